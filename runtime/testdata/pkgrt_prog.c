/*
 * pkgrt_prog.c - a program that needs nothing but pkgrt.h, so that it runs
 * with no libc (libpkgrt-nolibc.a) as well as with one (libpkgrt.a), for
 * the runtime's end-to-end tests (check_pkgrt_prog in e2e.sh; used by
 * tests/e2e/rt_nolibc.sh on the host, rt_arm64.sh under qemu).  Linked
 * with a table (mktable) of log:log_init config:config_load,config_check
 * db:db_init.
 *
 * It prints with pkgrt_write and reads its mode from pkgrt_argv(), which
 * init functions can use too (there is no getenv without libc):
 *
 *   (none)              the inits print their names, then "main ARGS..."
 *   exit N              main returns N
 *   pkgrt_exit N        main calls pkgrt_exit(N)
 *   recurse             main overflows its stack
 *   overflow-in-init    db_init overflows the stack
 *   crash-in-init       db_init writes through NULL
 *   reinit              db_init calls pkgrt_run_inits: recursive init
 *   run-inits           main calls pkgrt_run_inits: nothing happens
 */
#include <pkgrt.h>

static unsigned long
slen(const char *s)
{
	unsigned long n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

static void
say(const char *s)
{
	pkgrt_write(1, s, slen(s));
}

static int
streq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b)
		a++, b++;
	return *a == *b;
}

static int
atoi_(const char *s)
{
	int n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}

static const char *
mode(void)
{
	return pkgrt_argc() > 1 ? pkgrt_argv()[1] : "";
}

/* Not a tail call, and a frame the compiler cannot shrink. */
static int
depth(int n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	return n < 0 ? 0 : depth(n + 1) + frame[0];
}

static int sink;

void log_init(void) { say("log_init\n"); }
void config_load(void) { say("config_load\n"); }
void config_check(void) { say("config_check\n"); }

void
db_init(void)
{
	if (streq(mode(), "overflow-in-init"))
		sink = depth(0);
	if (streq(mode(), "crash-in-init")) {
		volatile int *p = (volatile int *)0;
		*p = 1;
	}
	if (streq(mode(), "reinit"))
		pkgrt_run_inits();
	say("db_init\n");
}

int
main(int argc, char **argv)
{
	if (streq(mode(), "exit"))
		return atoi_(argv[2]);
	if (streq(mode(), "pkgrt_exit"))
		pkgrt_exit(atoi_(argv[2]));
	if (streq(mode(), "recurse"))
		return depth(0);
	if (streq(mode(), "run-inits"))
		pkgrt_run_inits();
	say("main");
	for (int i = 1; i < argc; i++) {
		say(" ");
		say(argv[i]);
	}
	say("\n");
	return 0;
}
