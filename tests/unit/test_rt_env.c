/*
 * test_rt_env.c - the runtime's environment: PKGRT_STACK sizes,
 * PKGRT_MAXPROCS, PKGRT_DEBUG, the warnings about bad values, and the
 * number formats of the traces.
 */
#include <stdio.h>

#include "unittest.h"

static char **saved_envs;

static int
setup(void **state)
{
	(void)state;
	saved_envs = envs;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	envs = saved_envs;
	envsread = 0;
	goenvs();
	return 0;
}

/* Use env (NULL-terminated) as the environment the runtime reads. */
static void
useenv(char **env)
{
	envs = env;
	envsread = 0;           /* as if args had not read it */
	goenvs();
}

static void
test_parsesize_good(void **state)
{
	static const struct { const char *s; uintptr_t want; } cases[] = {
		{"16K", 16 << 10},
		{"256K", 256 << 10},
		{"256k", 256 << 10},
		{"8M", 8 << 20},
		{"8m", 8 << 20},
		{"1G", (uintptr_t)1 << 30},
		{"1g", (uintptr_t)1 << 30},
		{"262144", 262144},
		{"16384", 16384},
		{"0016K", 16 << 10},
		{"64G", (uintptr_t)64 << 30},
		{"65536K", (uintptr_t)64 << 20},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uintptr_t got = 0;
		int err = parsesize(cases[i].s, &got);
		if (err != 0 || got != cases[i].want)
			fail_msg("parsesize(\"%s\") = %d, %lu; want 0, %lu", cases[i].s, err,
			         (unsigned long)got, (unsigned long)cases[i].want);
	}
}

static void
test_parsesize_bad(void **state)
{
	static const struct { const char *s; int want; } cases[] = {
		{"", 1}, {"K", 1}, {"M", 1}, {"12X", 1}, {"-1", 1}, {"+8M", 1},
		{" 8M", 1}, {"8M ", 1}, {"8MB", 1}, {"8MiB", 1}, {"8.5M", 1},
		{"0x100000", 1}, {"8KM", 1}, {"eight", 1},
		{"0", 2}, {"1", 2}, {"15K", 2}, {"16383", 2}, {"0M", 2},
		{"65G", 3}, {"68719476737", 3}, {"99999999999999999999999", 3},
		{"18446744073709551616K", 3}, {"1048576G", 3},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uintptr_t got = 12345;
		int err = parsesize(cases[i].s, &got);
		if (err != cases[i].want || got != 12345)
			fail_msg("parsesize(\"%s\") = %d (out %lu); want %d, untouched",
			         cases[i].s, err, (unsigned long)got, cases[i].want);
	}
}

static void
test_parsemaxprocs(void **state)
{
	static const struct { const char *s; int want; int32_t n; } cases[] = {
		{"1", 0, 1}, {"4", 0, 4}, {"1024", 0, 1024}, {"007", 0, 7},
		{"0", 2, 0}, {"1025", 2, 0}, {"99999999999", 2, 0},
		{"", 1, 0}, {"x", 1, 0}, {"-1", 1, 0}, {"2 ", 1, 0}, {"2.0", 1, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t got = -1;
		int err = parsemaxprocs(cases[i].s, &got);
		if (err != cases[i].want || (err == 0 && got != cases[i].n))
			fail_msg("parsemaxprocs(\"%s\") = %d, %d; want %d, %d", cases[i].s,
			         err, got, cases[i].want, cases[i].n);
	}
}

static void
test_parsedebug_good(void **state)
{
	struct dbgvars d;
	(void)state;

	memset(&d, 0, sizeof d);
	assert_int_equal(parsedebug("inittrace=1", &d, 0), 0);
	assert_int_equal(d.inittrace, 1);
	assert_int_equal(d.starttrace, 0);

	memset(&d, 0, sizeof d);
	assert_int_equal(parsedebug("inittrace=1,starttrace=2", &d, 0), 0);
	assert_int_equal(d.inittrace, 1);
	assert_int_equal(d.starttrace, 2);

	memset(&d, 0, sizeof d);
	assert_int_equal(parsedebug(",,starttrace=1,", &d, 0), 0);
	assert_int_equal(d.starttrace, 1);

	d.inittrace = 1;
	assert_int_equal(parsedebug("inittrace=0", &d, 0), 0);
	assert_int_equal(d.inittrace, 0);

	memset(&d, 0, sizeof d);
	assert_int_equal(parsedebug("", &d, 0), 0);
	assert_int_equal(d.inittrace, 0);
}

static void
test_parsedebug_bad(void **state)
{
	struct dbgvars d;
	(void)state;

	/* an unknown key is skipped, the rest applies */
	memset(&d, 0, sizeof d);
	assert_int_equal(parsedebug("foo=1,inittrace=1", &d, 0), 1);
	assert_int_equal(d.inittrace, 1);
	/* a prefix of a key is not the key */
	memset(&d, 0, sizeof d);
	assert_int_equal(parsedebug("init=1,inittracex=1", &d, 0), 2);
	assert_int_equal(d.inittrace, 0);
	/* bad values: the default (0) */
	d.inittrace = 5;
	assert_int_equal(parsedebug("inittrace=x", &d, 0), 1);
	assert_int_equal(d.inittrace, 0);
	assert_int_equal(parsedebug("inittrace=", &d, 0), 1);
	assert_int_equal(parsedebug("inittrace=-1", &d, 0), 1);
	assert_int_equal(parsedebug("inittrace=99999999999", &d, 0), 1);
	/* no '=' */
	assert_int_equal(parsedebug("inittrace", &d, 0), 1);
	assert_int_equal(parsedebug("inittrace,starttrace=1", &d, 0), 1);
	assert_int_equal(d.starttrace, 1);
}

/* Each problem: one line on stderr naming the variable and the value. */
static void
test_parsedebug_warnings(void **state)
{
	struct dbgvars d;
	char out[2048];
	(void)state;

	memset(&d, 0, sizeof d);
	rt_capture_begin();
	parsedebug("foo=1,inittrace=x,starttrace", &d, 1);
	rt_capture_end(out, sizeof out);
	assert_int_equal(rt_lines(out), 3);
	assert_non_null(strstr(out,
		"pkgrt: PKGRT_DEBUG=\"foo=1,inittrace=x,starttrace\": unknown key foo "
		"(known: inittrace, starttrace); ignored\n"));
	assert_non_null(strstr(out,
		"pkgrt: PKGRT_DEBUG=\"foo=1,inittrace=x,starttrace\": bad value for "
		"inittrace (want a number); using 0\n"));
	assert_non_null(strstr(out, ": want key=value, not starttrace; ignored\n"));
}

static void
test_goenvs(void **state)
{
	char *env[] = {
		"PATH=/bin", "PKGRT_STACK=1M", "PKGRT_DEBUG=inittrace=1", "PKG=x",
		"PKGRT_STACK=2M", "XPKGRT_MAXPROCS=3", NULL,
	};
	char out[1024];
	(void)state;

	rt_capture_begin();
	useenv(env);
	rt_capture_end(out, sizeof out);
	assert_string_equal(out, "");
	assert_string_equal(gogetenv("PKGRT_STACK"), "2M");   /* the last one */
	assert_string_equal(gogetenv("PKGRT_DEBUG"), "inittrace=1");
	assert_null(gogetenv("PKGRT_MAXPROCS"));
	assert_null(gogetenv("PATH"));
}

static void
test_goenvs_unknown(void **state)
{
	char *env[] = {"PKGRT_STAK=1M", "PKGRT_=", "PKGRT_STACKS=1", "PKGRT_DEBUG=", NULL};
	char out[2048];
	(void)state;

	rt_capture_begin();
	useenv(env);
	rt_capture_end(out, sizeof out);
	assert_int_equal(rt_lines(out), 3);
	assert_non_null(strstr(out, "pkgrt: PKGRT_STAK=\"1M\": unknown variable "
	                            "(known: PKGRT_DEBUG, PKGRT_MAXPROCS, PKGRT_STACK); ignored\n"));
	assert_non_null(strstr(out, "pkgrt: PKGRT_=\"\": unknown variable"));
	assert_non_null(strstr(out, "pkgrt: PKGRT_STACKS=\"1\": unknown variable"));
	assert_string_equal(gogetenv("PKGRT_DEBUG"), "");
}

static void
test_mainstacksize(void **state)
{
	char *env1[] = {"PKGRT_STACK=256K", NULL};
	char *env2[] = {"PKGRT_STACK=12X", NULL};
	char *env3[] = {"PKGRT_STACK=1", NULL};
	char *env0[] = {NULL};
	const char *why = NULL;
	struct rlimit saved, rl;
	char out[1024];
	(void)state;

	assert_int_equal(getrlimit(RLIMIT_STACK, &saved), 0);

	useenv(env1);
	assert_int_equal(mainstacksize(&why), 256 << 10);
	assert_string_equal(why, "PKGRT_STACK");

	/* no PKGRT_STACK: the RLIMIT_STACK soft limit */
	rl = saved;
	rl.rlim_cur = 4 << 20;
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < rl.rlim_cur)
		rl.rlim_cur = saved.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_STACK, &rl), 0);
	useenv(env0);
	assert_int_equal(mainstacksize(&why), round_page(rl.rlim_cur));
	assert_string_equal(why, "RLIMIT_STACK");

	/* a bad PKGRT_STACK: one line naming it and the value; the default */
	useenv(env2);
	rt_capture_begin();
	assert_int_equal(mainstacksize(&why), round_page(rl.rlim_cur));
	rt_capture_end(out, sizeof out);
	assert_string_equal(why, "RLIMIT_STACK");
	assert_int_equal(rt_lines(out), 1);
	assert_non_null(strstr(out, "pkgrt: PKGRT_STACK=\"12X\": not a size"));
	assert_non_null(strstr(out, "; using 4M\n"));

	useenv(env3);
	rt_capture_begin();
	mainstacksize(&why);
	rt_capture_end(out, sizeof out);
	assert_non_null(strstr(out, "pkgrt: PKGRT_STACK=\"1\": too small (minimum 16K); using 4M\n"));

	/* RLIMIT_AS or RLIMIT_DATA set (here to a value no program reaches,
	 * so that it holds under ASan too): the OS stack, which counts
	 * against them only as far as it grows */
	{
		struct rlimit as, data, big;
		assert_int_equal(getrlimit(RLIMIT_AS, &as), 0);
		assert_int_equal(getrlimit(RLIMIT_DATA, &data), 0);
		if (as.rlim_max == RLIM_INFINITY && data.rlim_max == RLIM_INFINITY) {
			useenv(env0);
			big = as;
			big.rlim_cur = RLIM_INFINITY - 1;
			assert_int_equal(setrlimit(RLIMIT_AS, &big), 0);
			assert_int_equal(mainstacksize(&why), 0);
			assert_string_equal(why, "RLIMIT_AS set");
			assert_int_equal(setrlimit(RLIMIT_AS, &as), 0);
			assert_int_equal(setrlimit(RLIMIT_DATA, &big), 0);
			assert_int_equal(mainstacksize(&why), 0);
			assert_string_equal(why, "RLIMIT_DATA set");
			assert_int_equal(setrlimit(RLIMIT_DATA, &data), 0);
			assert_int_equal(mainstacksize(&why), round_page(rl.rlim_cur));
		}
	}

	/* unlimited: no mapping could be as large; 0, the OS stack */
	if (saved.rlim_max == RLIM_INFINITY) {
		rl.rlim_cur = RLIM_INFINITY;
		assert_int_equal(setrlimit(RLIMIT_STACK, &rl), 0);
		useenv(env0);
		assert_int_equal(mainstacksize(&why), 0);
		assert_string_equal(why, "RLIMIT_STACK unlimited");
		/* so is a limit above what PKGRT_STACK may ask for, however
		 * close to the maximum (it must not wrap when rounded) */
		rl.rlim_cur = RLIM_INFINITY - 1;
		assert_int_equal(setrlimit(RLIMIT_STACK, &rl), 0);
		assert_int_equal(mainstacksize(&why), 0);
		assert_string_equal(why, "RLIMIT_STACK above 64G");
		rl.rlim_cur = ((rlim_t)64 << 30) + 1;
		assert_int_equal(setrlimit(RLIMIT_STACK, &rl), 0);
		assert_int_equal(mainstacksize(&why), 0);
		/* and a bad PKGRT_STACK then falls back to the OS stack */
		useenv(env2);
		rt_capture_begin();
		assert_int_equal(mainstacksize(&why), 0);
		rt_capture_end(out, sizeof out);
		assert_non_null(strstr(out, "; using the OS stack\n"));
	}
	assert_int_equal(setrlimit(RLIMIT_STACK, &saved), 0);
}

static void
test_getmaxprocs(void **state)
{
	char *env1[] = {"PKGRT_MAXPROCS=3", NULL};
	char *env2[] = {"PKGRT_MAXPROCS=lots", NULL};
	char *env0[] = {NULL};
	char out[1024], want[128];
	(void)state;

	useenv(env1);
	assert_int_equal(getmaxprocs(), 3);
	useenv(env0);
	assert_int_equal(getmaxprocs(), ncpu);
	assert_true(ncpu >= 1);
	useenv(env2);
	rt_capture_begin();
	assert_int_equal(getmaxprocs(), ncpu);
	rt_capture_end(out, sizeof out);
	snprintf(want, sizeof want,
	         "pkgrt: PKGRT_MAXPROCS=\"lots\": not a number; using %d (the CPU count)\n", ncpu);
	assert_string_equal(out, want);
}

static void
test_fmtNSAsMS(void **state)
{
	static const struct { uint64_t ns; const char *want; } cases[] = {
		{0, "0"}, {999, "0"}, {1000, "0.001"}, {12345, "0.012"}, {31000, "0.031"},
		{99999, "0.099"}, {123456, "0.12"}, {1500000, "1.5"}, {9999999, "9.9"},
		{10000000, "10"}, {123456789, "123"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		buf[fmtNSAsMS(buf, cases[i].ns)] = '\0';
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("fmtNSAsMS(%lu) = %s, want %s", (unsigned long)cases[i].ns, buf,
			         cases[i].want);
	}
}

static void
test_fmtsize(void **state)
{
	static const struct { uint64_t v; const char *want; } cases[] = {
		{8 << 20, "8M"}, {256 << 10, "256K"}, {(uint64_t)1 << 30, "1G"},
		{1000, "1000"}, {(uint64_t)3 << 40, "3072G"}, {1536 << 10, "1536K"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		buf[fmtsize(buf, cases[i].v)] = '\0';
		assert_string_equal(buf, cases[i].want);
	}
}

int
main(int argc, char **argv, char **envp)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsesize_good),
		cmocka_unit_test(test_parsesize_bad),
		cmocka_unit_test(test_parsemaxprocs),
		cmocka_unit_test(test_parsedebug_good),
		cmocka_unit_test(test_parsedebug_bad),
		cmocka_unit_test(test_parsedebug_warnings),
		cmocka_unit_test_setup_teardown(test_goenvs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_goenvs_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mainstacksize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getmaxprocs, setup, teardown),
		cmocka_unit_test(test_fmtNSAsMS),
		cmocka_unit_test(test_fmtsize),
	};

	rt_setup(argc, argv, envp);
	return cmocka_run_group_tests_name("runtime environment", tests, NULL, NULL);
}
