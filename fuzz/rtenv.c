/*
 * fuzz/rtenv.c - the runtime's reading of its environment (runtime1.c,
 * stack.c): PKGRT_STACK sizes, PKGRT_MAXPROCS, PKGRT_DEBUG lists, and the
 * walk over the environment that finds them and warns about unknown
 * PKGRT_ variables.  This code runs before main in every program linked
 * with the runtime, on whatever the environment holds, without libc.
 *
 * The input is used twice:
 *   - whole (up to its first NUL) as one value for parsesize,
 *     parsemaxprocs and parsedebug, each checked against a plain
 *     reference implementation written here from the documented rules,
 *     and a size that parses must come back the same through fmtsize;
 *   - split at NULs and newlines into an environment, which goenvs,
 *     parsedebugvars, getmaxprocs and mainstacksize then read as at
 *     start-up; their results must be in range whatever it holds.
 * The warnings they print on fd 2 go to /dev/null (fuzz_quiet).
 */
#include "runtime.h"
#define FUZZ_OWN_INIT
#include "fuzz.h"

/* proc.o refers to these, as it would to a program's table and main. */
__attribute__((weak)) const struct pkgrt_inittab pkgrt_inittab = {pkgrt_abi_v2, 0, 0};
__attribute__((weak)) int __real_main(int c, char **v, char **e)
{
	(void)c, (void)v, (void)e;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	physPageSize = 4096;
	ncpu = 8;
	return 0;
}

/* Digits then an optional K/M/G: 0 ok, 1 not a size, 2 small, 3 large. */
static int ref_size(const char *s, uint64_t *out)
{
	size_t n = strlen(s);
	unsigned shift = 0;
	if (n && strchr("kK", s[n - 1])) shift = 10, n--;
	else if (n && strchr("mM", s[n - 1])) shift = 20, n--;
	else if (n && strchr("gG", s[n - 1])) shift = 30, n--;
	if (!n) return 1;
	unsigned __int128 v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return 1;
		if (v < ((unsigned __int128)1 << 100)) v = v * 10 + (unsigned)(s[i] - '0');
	}
	v <<= shift;
	if (v > MAXSTACK) return 3;
	if (v < MINSTACK) return 2;
	*out = (uint64_t)v;
	return 0;
}

static int ref_maxprocs(const char *s, int32_t *out)
{
	size_t n = strlen(s);
	uint64_t v = 0;
	if (!n) return 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return 1;
		if (v <= MAXPROCS) v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > MAXPROCS) return 2;
	*out = (int32_t)v;
	return 0;
}

/* PKGRT_DEBUG: comma-separated key=value; empty items skipped; known
 * keys inittrace and starttrace take a decimal up to INT32_MAX (else the
 * key becomes 0).  Returns the number of bad items. */
static int ref_debug(const char *s, struct dbgvars *d)
{
	int bad = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *item = s, *eq = memchr(item, '=', n);
		s += n;
		if (*s == ',') s++;
		if (!n) continue;
		if (!eq) { bad++; continue; }
		size_t klen = (size_t)(eq - item);
		int32_t *field = NULL;
		if (klen == 9 && !memcmp(item, "inittrace", 9)) field = &d->inittrace;
		else if (klen == 10 && !memcmp(item, "starttrace", 10)) field = &d->starttrace;
		if (!field) { bad++; continue; }
		const char *v = eq + 1;
		size_t vlen = n - klen - 1;
		uint64_t x = 0;
		int ok = vlen > 0;
		for (size_t i = 0; i < vlen && ok; i++) {
			if (v[i] < '0' || v[i] > '9') ok = 0;
			else if ((x = x * 10 + (unsigned)(v[i] - '0')) > INT32_MAX) ok = 0;
		}
		*field = ok ? (int32_t)x : 0;
		if (!ok) bad++;
	}
	return bad;
}

static void check_values(const char *s)
{
	uintptr_t size = 0;
	uint64_t want = 0;
	int rc = parsesize(s, &size), ref = ref_size(s, &want);
	FUZZ_CHECK(rc == ref, "parsesize(\"%s\") = %d, want %d", s, rc, ref);
	if (rc == 0) {
		FUZZ_CHECK(size == want, "parsesize(\"%s\") = %lu, want %lu", s,
			   (unsigned long)size, (unsigned long)want);
		char buf[32];
		uintptr_t back = 0;
		buf[fmtsize(buf, size)] = '\0';
		FUZZ_CHECK(parsesize(buf, &back) == 0 && back == size,
			   "fmtsize(%lu) = \"%s\" does not parse back",
			   (unsigned long)size, buf);
	}

	int32_t procs = 0, wantp = 0;
	rc = parsemaxprocs(s, &procs);
	ref = ref_maxprocs(s, &wantp);
	FUZZ_CHECK(rc == ref && (rc || procs == wantp),
		   "parsemaxprocs(\"%s\") = %d (%d), want %d (%d)", s, rc,
		   (int)procs, ref, (int)wantp);

	struct dbgvars d = {0}, dref = {0};
	fuzz_quiet();           /* the warnings are the point, not a finding */
	int bad = parsedebug(s, &d, 1);
	fuzz_loud();
	int badref = ref_debug(s, &dref);
	FUZZ_CHECK(bad == badref && d.inittrace == dref.inittrace &&
		   d.starttrace == dref.starttrace,
		   "parsedebug(\"%s\") = %d {%d, %d}, want %d {%d, %d}", s, bad,
		   (int)d.inittrace, (int)d.starttrace, badref,
		   (int)dref.inittrace, (int)dref.starttrace);
}

static void check_environment(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	char *env[65];
	size_t n = 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0, start = 0; i <= size && n < 64; i++) {
		if (i < size && copy[i] != '\n' && copy[i] != '\0') continue;
		copy[i] = '\0';
		env[n++] = copy + start;
		start = i + 1;
	}
	env[n] = NULL;

	envs = env;
	envsread = 0;
	debug = (struct dbgvars){0};
	const char *why = NULL;
	fuzz_quiet();
	goenvs();
	parsedebugvars();
	int32_t procs = getmaxprocs();
	uintptr_t stack = mainstacksize(&why);
	fuzz_loud();
	FUZZ_CHECK(procs >= 1 && procs <= MAXPROCS, "getmaxprocs() = %d", (int)procs);
	FUZZ_CHECK(why != NULL && stack >= MINSTACK && stack <= MAXSTACK &&
		   stack % physPageSize == 0, "mainstacksize() = %lu (%s)",
		   (unsigned long)stack, why ? why : "?");
	const char *v = gogetenv("PKGRT_STACK");
	FUZZ_CHECK(!v || (v > copy && v <= copy + size && v[-1] == '='),
		   "gogetenv points outside the environment");
	envs = NULL;
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	check_values(s);
	free(s);
	check_environment(data, size);
	return 0;
}
