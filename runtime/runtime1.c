/*
 * runtime1.c - the environment and the debug variables (Go: runtime1.go,
 * env_posix.go).
 *
 * The runtime reads three variables, before main, from the environment
 * args found (not through getenv: this is the stack's envp, as in Go):
 *
 *   PKGRT_DEBUG     comma-separated key=value settings, like GODEBUG:
 *                   inittrace=1 (one line per init task, Go's format),
 *                   starttrace=1 (one line per start-up phase)
 *   PKGRT_MAXPROCS  the number of Ps, like GOMAXPROCS (1..1024)
 *   PKGRT_STACK     the main goroutine's stack size: 262144, 256K, 8M, 1G
 *
 * A value the runtime cannot use is reported on stderr, in one line that
 * names the variable and the value, and the default is used.  So is an
 * unknown PKGRT_DEBUG key and an unknown PKGRT_ variable (a typo would
 * otherwise be silently ignored).
 */
#include "runtime.h"

struct dbgvars debug;

/* Go: dbgvars.  The PKGRT_DEBUG keys. */
static const struct {
	const char *name;
	int32_t *value;
} dbgvars[] = {
	{"inittrace", &debug.inittrace},
	{"starttrace", &debug.starttrace},
};
#define NDBGVARS (int)(sizeof dbgvars / sizeof dbgvars[0])

static const char *const knownenvs[] = {"PKGRT_DEBUG", "PKGRT_MAXPROCS", "PKGRT_STACK"};
#define NKNOWNENVS (int)(sizeof knownenvs / sizeof knownenvs[0])

/* hasprefix: s starts with p; returns the rest or NULL. */
static const char *
hasprefix(const char *s, const char *p)
{
	while (*p != '\0')
		if (*s++ != *p++)
			return NULL;
	return s;
}

/* What goenv1 found: the values of knownenvs[i], or NULL; and whether it
 * found any (most programs run with none: gogetenv then need not look,
 * which saves some 350 instructions of every start-up, callgrind). */
static const char *envvals[NKNOWNENVS];
static int envany;
/* Whether it saw a PKGRT_ variable the runtime does not know. */
static int envunknown;

/*
 * goenv1 looks at one string of the environment that starts with 'P'
 * (args calls it as it walks envp on its way to auxv, so that the runtime
 * reads the environment in one pass).  It keeps the value of a variable
 * the runtime knows; with warn, it reports one it does not.
 */
void
goenv1(const char *s, int warn)
{
	const char *v = NULL;
	int i;

	if (hasprefix(s, "PKGRT_") == NULL)
		return;
	for (i = 0; i < NKNOWNENVS; i++) {
		v = hasprefix(s + 6, knownenvs[i] + 6);
		if (v != NULL && *v == '=')
			break;
	}
	if (i < NKNOWNENVS) {
		envvals[i] = v + 1;     /* the last one wins, like getenv */
		envany = 1;
		return;
	}
	envunknown = 1;
	if (warn) {
		char name[64];
		int n = 0;
		while (s[n] != '\0' && s[n] != '=' && n < (int)sizeof name - 1) {
			name[n] = s[n];
			n++;
		}
		name[n] = '\0';
		warnenv(name, s[n] == '=' ? s + n + 1 : "",
		        "unknown variable (known: PKGRT_DEBUG, PKGRT_MAXPROCS, PKGRT_STACK)",
		        NULL);
	}
}

/*
 * goenvs reads the runtime's variables from the environment (Go: goenvs),
 * and warns about unknown PKGRT_ variables.  At start-up args has already
 * read them, so goenvs only walks the environment again if there is
 * something to warn about.
 */
void
goenvs(void)
{
	if (envs == NULL || (envsread && !envunknown))
		return;
	for (int i = 0; i < NKNOWNENVS; i++)
		envvals[i] = NULL;
	envany = 0;
	envunknown = 0;
	for (char **e = envs; *e != NULL; e++)
		if ((*e)[0] == 'P')
			goenv1(*e, 1);
}

/* gogetenv: the value of one of the runtime's variables, or NULL. */
const char *
gogetenv(const char *key)
{
	if (!envany)
		return NULL;
	/* Checked first: key may be shorter than the prefix ("PATH"). */
	const char *k = hasprefix(key, "PKGRT_");

	if (k == NULL)
		return NULL;
	for (int i = 0; i < NKNOWNENVS; i++) {
		const char *rest = hasprefix(k, knownenvs[i] + 6);
		if (rest != NULL && *rest == '\0')
			return envvals[i];
	}
	return NULL;
}

/*
 * atou: the decimal number at s[0:n], into *out; 0 if s[0:n] is not one
 * (empty, a character not a digit, or more than max).
 */
static int
atou(const char *s, int n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 1;
}

static int
slen(const char *s)
{
	int n = 0;
	while (s[n] != '\0')
		n++;
	return n;
}

/*
 * parsesize parses a size: digits, then optionally K, M or G (either case),
 * binary multiples.  Returns 0 and sets *out; or 1 if s is not a size,
 * 2 if it is below MINSTACK, 3 if it is above MAXSTACK.
 */
int
parsesize(const char *s, uintptr_t *out)
{
	int n = slen(s);
	unsigned shift = 0;
	uint64_t v;

	if (n > 0) {
		switch (s[n - 1]) {
		case 'k': case 'K': shift = 10; n--; break;
		case 'm': case 'M': shift = 20; n--; break;
		case 'g': case 'G': shift = 30; n--; break;
		}
	}
	if (n == 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 1;
	if (!atou(s, n, MAXSTACK, &v) || v > (MAXSTACK >> shift))
		return 3;
	v <<= shift;
	if (v < MINSTACK)
		return 2;
	*out = (uintptr_t)v;
	return 0;
}

/* parsemaxprocs: 0 and *out for 1..MAXPROCS; 1 if not a number; 2 out of range. */
int
parsemaxprocs(const char *s, int32_t *out)
{
	int n = slen(s);
	uint64_t v;

	if (n == 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 1;
	if (!atou(s, n, MAXPROCS, &v) || v == 0)
		return 2;
	*out = (int32_t)v;
	return 0;
}

/* getmaxprocs: PKGRT_MAXPROCS if usable, else the CPU count (Go: schedinit). */
int32_t
getmaxprocs(void)
{
	const char *s = gogetenv("PKGRT_MAXPROCS");
	int32_t procs = ncpu > MAXPROCS ? MAXPROCS : ncpu;
	struct printbuf pb;
	int32_t n;
	int err;

	if (s == NULL)
		return procs;
	err = parsemaxprocs(s, &n);
	if (err == 0)
		return n;
	pb.n = 0;
	puint(&pb, (uint64_t)procs);
	pstr(&pb, " (the CPU count)");
	warnenv("PKGRT_MAXPROCS", s,
	        err == 1 ? "not a number" : "out of range (want 1 to 1024)", pcstr(&pb));
	return procs;
}

/*
 * parsedebug parses a PKGRT_DEBUG value into d.  Each problem is reported
 * (if warn) and skipped: the other settings still apply.  Returns the
 * number of problems.
 */
int
parsedebug(const char *s, struct dbgvars *d, int warn)
{
	const char *full = s;
	int bad = 0;

	while (*s != '\0') {
		const char *item = s, *eq = NULL;
		struct printbuf msg = {.n = 0};
		int n = 0, klen, i;
		uint64_t v;

		while (s[n] != '\0' && s[n] != ',') {
			if (s[n] == '=' && eq == NULL)
				eq = s + n;
			n++;
		}
		s += n;
		if (*s == ',')
			s++;
		if (n == 0)
			continue;               /* empty item: "a=1,,b=1" */
		if (eq == NULL) {
			pstr(&msg, "want key=value, not ");
			pbytes(&msg, item, (uintptr_t)n);
			if (warn)
				warnenv("PKGRT_DEBUG", full, pcstr(&msg), NULL);
			bad++;
			continue;
		}
		klen = (int)(eq - item);
		for (i = 0; i < NDBGVARS; i++)
			if (slen(dbgvars[i].name) == klen && hasprefix(item, dbgvars[i].name) != NULL)
				break;
		if (i == NDBGVARS) {
			pstr(&msg, "unknown key ");
			pbytes(&msg, item, (uintptr_t)klen);
			pstr(&msg, " (known: inittrace, starttrace)");
			if (warn)
				warnenv("PKGRT_DEBUG", full, pcstr(&msg), NULL);
			bad++;
			continue;
		}
		/* the field of d that dbgvars[i].value is in debug */
		int32_t *field = (int32_t *)((char *)d + ((char *)dbgvars[i].value - (char *)&debug));
		if (atou(eq + 1, n - klen - 1, INT32_MAX, &v)) {
			*field = (int32_t)v;
		} else {
			pstr(&msg, "bad value for ");
			pstr(&msg, dbgvars[i].name);
			pstr(&msg, " (want a number)");
			if (warn)
				warnenv("PKGRT_DEBUG", full, pcstr(&msg), "0");
			*field = 0;
			bad++;
		}
	}
	return bad;
}

/* parsedebugvars: PKGRT_DEBUG into debug (Go: parsedebugvars). */
void
parsedebugvars(void)
{
	const char *s = gogetenv("PKGRT_DEBUG");

	if (s != NULL)
		parsedebug(s, &debug, 1);
}
