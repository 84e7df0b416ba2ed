/*
 * glob.c - globs over root-relative file names, with captures: what
 * pkginit.yaml's mapping rules and exclusions are written in (config.c).
 *
 * '*' matches within one path component, '**' across components ('**'
 * followed by '/' matches zero or more whole directories), '?' one
 * character other than '/'; everything else is literal.  Each '*' or
 * '**' captures what it matched, so a rule's package template can name
 * it ($1 is the first wildcard's match).  No library matcher does '**'
 * with captures (fnmatch has neither), hence this file.
 *
 * Matching backtracks over wildcards only, and a glob has at most
 * GLOB_MAX_WILD of them, so the recursion depth is bounded by that
 * constant, not by the input; failed (glob, name) positions are
 * remembered, so the time is bounded by |glob| x |name| tries, not
 * exponential.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

int glob_wildcards(const char *p)
{
	int n = 0;
	for (; *p; p++)
		if (*p == '*') {
			n++;
			if (p[1] == '*') p++;
		}
	return n;
}

/* A match in progress.  Whether the rest of the glob from p matches the
 * rest of the name from s depends on (p, s) alone, so a wildcard records
 * each pair that failed and never tries it twice: a match then takes at
 * most |glob| x |name| tries of a wildcard, where plain backtracking
 * takes |name|^wildcards ("*a*a*a*a*a*a*a*a*b" against 50 a's ran for
 * minutes). */
struct glob_state {
	const char *p0, *s0;
	size_t cols;            /* strlen(s0) + 1 */
	unsigned char *failed;  /* bit (p - p0) * cols + (s - s0) */
};

static int glob_match_at(const char *p, const char *s, struct glob_state *g,
			 struct glob_cap *caps, int k)
{
	for (;;) {
		if (*p == '*') {
			size_t bit = (size_t)(p - g->p0) * g->cols + (size_t)(s - g->s0);
			if (g->failed[bit / 8] & (1u << bit % 8)) return 0;
			int dbl = p[1] == '*';
			const char *rest = p + 1 + dbl;
			/* "**" then "/" is a run of whole directories: the
			 * slash belongs to the wildcard, so it may match none. */
			int dirs = dbl && *rest == '/';
			if (dirs) rest++;
			for (const char *e = s;; e++) {
				if (!dirs || e == s || e[-1] == '/') {
					size_t len = (size_t)(e - s);
					if (dirs && len) len--;
					caps[k] = (struct glob_cap){(size_t)(s - g->s0), len};
					if (glob_match_at(rest, e, g, caps, k + 1))
						return 1;
				}
				if (!*e || (!dbl && *e == '/')) break;
			}
			g->failed[bit / 8] |= (unsigned char)(1u << bit % 8);
			return 0;
		}
		if (!*p) return !*s;
		if (!*s || (*p == '?' ? *s == '/' : *p != *s)) return 0;
		p++, s++;
	}
}

int glob_match_caps(const char *glob, const char *name, struct glob_cap *caps)
{
	struct glob_state g = {glob, name, strlen(name) + 1, NULL};
	g.failed = xcalloc((strlen(glob) * g.cols + 8) / 8, 1);
	int r = glob_match_at(glob, name, &g, caps, 0);
	free(g.failed);
	return r;
}

int glob_match(const char *glob, const char *name)
{
	struct glob_cap caps[GLOB_MAX_WILD + 1];
	return glob_wildcards(glob) <= GLOB_MAX_WILD &&
	       glob_match_caps(glob, name, caps);
}

const char *glob_problem(const char *g)
{
	if (!*g) return "it is empty";
	if (g[0] == '/') return "it is absolute; globs match names relative to a root";
	if (strstr(g, "***")) return "'***' is not a wildcard; use '**'";
	for (const char *s = g; *s;) {
		size_t len = strcspn(s, "/");
		if (!len) return "it has an empty component";
		if ((len == 1 && s[0] == '.') || (len == 2 && !strncmp(s, "..", 2)))
			return "it has a '.' or '..' component";
		s += len;
		if (*s && !*++s) return "it ends with '/'";
	}
	if (glob_wildcards(g) > GLOB_MAX_WILD)
		return "it has more than 9 wildcards";
	return NULL;
}
