/*
 * invisible.c - one program, built with the runtime and without it
 * (tests/e2e/rt_invisible.sh, `twoways`), that does what the runtime must
 * not change (issue 12): the environment main gets after an init called
 * setenv; signal handlers installed before the runtime, SIG_IGN
 * inherited from the parent, signals sent rather than faults; faults in
 * threads and on makecontext stacks; deep recursion under large stack
 * limits; a program that calls its own main (invisible_other.c).
 *
 * INV=<mode> in the environment says what to do (an init function cannot
 * see argv without the runtime, getenv works under both); the mode names
 * say where: init-* in the init function, main-* in main.  Output goes
 * through write(2) where a signal may end the process, so that what ran
 * shows either way.
 */
#define _GNU_SOURCE
#include <pkginit.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <ucontext.h>
#endif

int call_main(int argc, char **argv);  /* invisible_other.c */

static const char *
mode(void)
{
	const char *m = getenv("INV");
	return m != NULL ? m : "";
}

static int
is(const char *m)
{
	return strcmp(mode(), m) == 0;
}

static void
say(const char *s)
{
	ssize_t r = write(1, s, strlen(s));
	(void)r;
}

/* ---- handlers a constructor installs before the runtime starts ---------- */

static sigjmp_buf jb;
static char altstack[64 << 10];

/* Recovers from a fault: back to the sigsetjmp. */
static void
on_fault_jump(int sig, siginfo_t *si, void *uc)
{
	(void)si, (void)uc;
	siglongjmp(jb, sig);
}

/* Reports what it got, and whether it runs on the program's own
 * alternate stack; returns. */
static void
on_signal_report(int sig, siginfo_t *si, void *uc)
{
	char buf[160];
	char here;
	int onalt = &here >= altstack && &here < altstack + sizeof altstack;
	sigset_t cur;

	(void)uc;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	snprintf(buf, sizeof buf, "handler: sig=%d code=%d value=%d self=%d onalt=%d blocked=%d usr2blocked=%d\n",
	         sig, si->si_code, si->si_code == SI_QUEUE ? si->si_value.sival_int : 0,
	         si->si_code <= 0 && si->si_pid == getpid(), onalt,
	         sigismember(&cur, sig), sigismember(&cur, SIGUSR2));
	say(buf);
}

__attribute__((constructor(101))) static void
install(void)
{
	struct sigaction sa;
	const char *m = mode();

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_SIGINFO;
	if (strstr(m, "-recover") != NULL) {
		sa.sa_sigaction = on_fault_jump;
		sigaction(SIGSEGV, &sa, NULL);
	}
	if (strstr(m, "-report") != NULL) {
		/* its own alternate stack, its own mask (SIGUSR2), so that the
		 * handler can tell whether it got what the kernel gives it */
		stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
		sigaltstack(&ss, NULL);
		sa.sa_sigaction = on_signal_report;
		sa.sa_flags |= SA_ONSTACK;
		sigaddset(&sa.sa_mask, SIGUSR2);
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
		sigaction(SIGABRT, &sa, NULL);
	}
}

/* ---- what the modes do ------------------------------------------------------ */

/* A real fault, not a store the compiler can see is undefined. */
static void
fault(void)
{
	static int *volatile nowhere;
	*nowhere = 1;
}

static void
recover(const char *where)
{
	char buf[64];

	if (sigsetjmp(jb, 1) == 0) {
		fault();
		say("not reached\n");
	}
	snprintf(buf, sizeof buf, "recovered from SIGSEGV in %s\n", where);
	say(buf);
}

/* Send this thread sig with si_code code, as the kernel or sigqueue would. */
static void
sendself(int sig, int code, int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	syscall(SYS_rt_tgsigqueueinfo, getpid(), (pid_t)syscall(SYS_gettid), sig, &si);
}

static int
recurse(long n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	return n <= 0 ? 0 : recurse(n - 1) + frame[0];
}

static void *
thread_fault(void *arg)
{
	(void)arg;
	fault();
	return NULL;
}

static void *
thread_overflow(void *arg)
{
	(void)arg;
	recurse(1L << 30);
	return NULL;
}

static void
in_thread(void *(*fn)(void *))
{
	pthread_t t;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10);
	pthread_create(&t, &attr, fn, NULL);
	pthread_join(t, NULL);
}

#ifdef __GLIBC__
static ucontext_t uc_main, uc_deep;

static void
deep_on_context(void)
{
	recurse(1L << 30);
}

static void
makecontext_overflow(void)
{
	static char stack[256 << 10];

	getcontext(&uc_deep);
	uc_deep.uc_stack.ss_sp = stack;
	uc_deep.uc_stack.ss_size = sizeof stack;
	uc_deep.uc_link = &uc_main;
	makecontext(&uc_deep, deep_on_context, 0);
	swapcontext(&uc_main, &uc_deep);
}
#else
static void
makecontext_overflow(void)
{
	say("no makecontext in this libc\n");
	fault();
}
#endif

/* The signals, sent or raised, in init or main. */
static void
signals(const char *where)
{
	char m[64];

	snprintf(m, sizeof m, "%s-kill-segv", where);
	if (strncmp(mode(), m, strlen(m)) == 0) {
		kill(getpid(), SIGSEGV);
		say("survived kill(SIGSEGV)\n");
	}
	snprintf(m, sizeof m, "%s-raise-abrt", where);
	if (strncmp(mode(), m, strlen(m)) == 0) {
		raise(SIGABRT);
		say("survived raise(SIGABRT)\n");
	}
	snprintf(m, sizeof m, "%s-sigqueue-segv", where);
	if (strncmp(mode(), m, strlen(m)) == 0) {
		sendself(SIGSEGV, SI_QUEUE, 42);
		say("survived sigqueue(SIGSEGV)\n");
	}
	snprintf(m, sizeof m, "%s-mceerr-ao", where);
	if (strncmp(mode(), m, strlen(m)) == 0) {
		sendself(SIGBUS, BUS_MCEERR_AO, 0);
		say("survived SIGBUS BUS_MCEERR_AO\n");
	}
	snprintf(m, sizeof m, "%s-fault", where);
	if (strncmp(mode(), m, strlen(m)) == 0) {
		say("faulting\n");
		fault();
		say("survived a fault\n");
	}
}

PKG_INIT void
inv_init(void)
{
	if (is("setenv")) {
		char name[32];
		for (int i = 0; i < 200; i++) {   /* enough to move environ */
			snprintf(name, sizeof name, "PKGINIT_TEST_%d", i);
			setenv(name, name + 8, 1);
		}
	}
	if (is("init-recover"))
		recover("init");
	signals("init");
	if (is("init-thread-fault"))
		in_thread(thread_fault);
	if (is("init-thread-overflow"))
		in_thread(thread_overflow);
	say("init done\n");
}

int
main(int argc, char **argv, char **envp)
{
	printf("main argc=%d\n", argc);
	if (is("setenv")) {
		int n = 0;
		for (char **e = envp; *e != NULL; e++)
			n += strncmp(*e, "PKGINIT_TEST_", 13) == 0;
		printf("envp has %d of them, environ %s envp, getenv says %s\n", n,
		       environ == envp ? "is" : "is not", getenv("PKGINIT_TEST_7"));
	}
	if (is("main-recover"))
		recover("main");
	fflush(stdout);
	signals("main");
	if (is("main-makecontext-overflow"))
		makecontext_overflow();
	if (is("main-malloc")) {
		size_t n = (size_t)atol(argv[1]) << 20;
		char *p = malloc(n);
		if (p != NULL)
			memset(p, 1, n);
		printf("malloc(%s MiB): %s\n", argv[1], p != NULL ? "ok" : "failed");
		free(p);
	}
	if (is("main-recurse"))
		printf("recursed %d MiB\n", recurse(atol(argv[1]) * 1024) >= 0 ? atoi(argv[1]) : -1);
	if (is("main-altstack-report"))
		printf("altstack=[%#lx,%#lx)\n", (unsigned long)altstack,
		       (unsigned long)altstack + (unsigned long)sizeof altstack);
	if (is("main-main")) {
		if (argc < 4)
			return call_main(argc, argv) + 1;
		printf("main called again with argc=%d: %s\n", argc, argv[argc - 1]);
		return 10;
	}
	return 0;
}
