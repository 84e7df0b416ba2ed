/* util: a header-only package of small string helpers.  It has no .c
 * file and no init function, yet it is a package: the packages that
 * include it import it, and the report lists it. */
#ifndef UTIL_STRUTIL_H
#define UTIL_STRUTIL_H

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#define UTIL_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Trim white space at both ends, in place. */
static inline char *util_trim(char *s)
{
	while (isspace((unsigned char)*s)) s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
	return s;
}

/* FNV-1a: good enough to spread keys over buckets. */
static inline unsigned long util_hash(const char *s)
{
	unsigned long h = 2166136261ul;
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619ul;
	return h;
}

#endif
