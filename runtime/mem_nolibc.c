/*
 * mem_nolibc.c - memset, memcpy, memmove and memcmp for the freestanding
 * build (libpkgrt-nolibc.a only).
 *
 * Even with -ffreestanding, gcc and clang may turn a structure's
 * initialization or copy into a call to these four (the C standard's
 * freestanding environment does not have them, but both compilers' docs
 * say the environment must).  Without libc someone has to define them.
 * They are weak, so a program that brings its own wins, and plain byte
 * loops: the runtime only ever clears or copies a few hundred bytes.
 *
 * The loops themselves must not be turned back into calls to the function
 * being defined (gcc and clang recognise such loops at -O2): they store
 * through volatile pointers, which no compiler merges into a call.
 */
#include <stddef.h>
#include <stdint.h>

#define NOBUILTIN __attribute__((weak, used))

NOBUILTIN void *
memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;        /* volatile: not a memset again */

	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

NOBUILTIN void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

NOBUILTIN void *
memmove(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)dst < (uintptr_t)src) {
		while (n-- > 0)
			*d++ = *s++;
	} else {
		while (n-- > 0)
			d[n] = s[n];
	}
	return dst;
}

NOBUILTIN int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}
