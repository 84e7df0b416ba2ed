/*
 * test_rt_signal.c - what the signal handler keeps and what it forwards
 * (issue 12): sighandler is called with a made-up siginfo and context, as
 * the kernel would call it, for a fault in the main goroutine's guard with
 * the stack pointer at the bottom of the stack (an overflow, reported with
 * advice the runtime accepts at every size), a wild write into the guard
 * with a sane stack pointer, a fault on a thread that is not the
 * runtime's, and sent signals; sigfwd hands a signal to the program's
 * handler as the kernel would (SA_SIGINFO arguments, its sa_mask,
 * SA_RESETHAND); the alternate signal stack is checked against
 * AT_MINSIGSTKSZ; osinit refuses to go on without a page size.
 */
#include <stdio.h>

#include "unittest.h"
#include "sys_linux.h"

static struct g fakeg;
static struct kucontext uc;
static struct ksiginfo si;

/* A main goroutine of `size` bytes whose guard is a real PROT_NONE region;
 * it is the current g, running on m0. */
static void
fake_main_goroutine(uintptr_t size, int onosstack)
{
	struct stack s = stackalloc(64 << 10, STACKGUARD);

	assert_true(s.lo != 0);
	memset(&fakeg, 0, sizeof fakeg);
	fakeg.stack = s;
	fakeg.guard = STACKGUARD;
	fakeg.stacksize = size;
	fakeg.onosstack = onosstack;
	fakeg.m = &m0;
	fakeg.goid = 1;
	m0.curg = &fakeg;
	tlsg = &fakeg;
}

/* What the kernel passes for a fault at addr with the stack pointer at sp. */
static void
fault_at(uintptr_t addr, uintptr_t sp)
{
	memset(&si, 0, sizeof si);
	memset(&uc, 0, sizeof uc);
	si.signo = SIGSEGV;
	si.code = SEGV_ACCERR;
	si.u.addr = (void *)addr;
	KUC_SP(&uc) = sp;
}

static uintptr_t child_size;
static int child_onos;

static void
overflow_child(void)
{
	initsig();
	fake_main_goroutine(child_size, child_onos);
	fault_at(fakeg.stack.lo - 8, fakeg.stack.lo - 16);     /* a call's push */
	sighandler(SIGSEGV, &si, &uc);
	_exit(0);       /* not reached: fatal */
}

static void
expect_overflow(uintptr_t size, int onos, const char *want)
{
	char err[512];
	int status;

	child_size = size;
	child_onos = onos;
	status = rt_child(overflow_child, err, sizeof err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_string_equal(err, want);
}

/* The advice never names a size PKGRT_STACK would refuse. */
static void
test_overflow_advice(void **state)
{
	(void)state;
	expect_overflow(8 << 20, 0, "pkgrt: fatal: stack overflow on the main goroutine (its stack is 8M); "
	                            "raise it with PKGRT_STACK, e.g. PKGRT_STACK=16M\n");
	expect_overflow((uintptr_t)32 << 30, 0, "pkgrt: fatal: stack overflow on the main goroutine (its stack is 32G); "
	                                        "raise it with PKGRT_STACK, e.g. PKGRT_STACK=64G\n");
	expect_overflow((uintptr_t)40 << 30, 0, "pkgrt: fatal: stack overflow on the main goroutine (its stack is 40G); "
	                                        "raise it with PKGRT_STACK, e.g. PKGRT_STACK=64G\n");
	expect_overflow(MAXSTACK, 0, "pkgrt: fatal: stack overflow on the main goroutine (its stack is 64G); "
	                             "it is the largest PKGRT_STACK allows\n");
	expect_overflow(1 << 20, 1, "pkgrt: fatal: stack overflow on the main goroutine (its stack is 1M, the OS stack); "
	                            "raise RLIMIT_STACK (ulimit -s)\n");
}

/* Each suggested size is one parsesize accepts. */
static void
test_advice_accepted(void **state)
{
	uintptr_t n;
	(void)state;

	assert_int_equal(parsesize("64G", &n), 0);
	assert_int_equal(parsesize("16M", &n), 0);
	assert_int_equal(parsesize("65G", &n), 3);
}

/* Not the runtime's: the handler returns, having given the signal back
 * to SIG_DFL, so that the fault happens again and kills as it would. */
static void
expect_forwarded_fault(void)
{
	struct sigaction now;

	sigaction(SIGSEGV, NULL, &now);
	assert_true(now.sa_handler == SIG_DFL);
}

/* cmocka catches SIGSEGV to report a crashed test; what the runtime
 * would forward to here is the default. */
static void
initsig_dfl(void)
{
	signal(SIGSEGV, SIG_DFL);
	initsig();
}

static void
test_wild_write_not_overflow(void **state)
{
	char err[64];
	(void)state;

	initsig_dfl();
	fake_main_goroutine(8 << 20, 0);
	/* into the guard, from a stack pointer in the middle of the stack */
	fault_at(fakeg.stack.lo - 100, fakeg.stack.lo + (32 << 10));
	rt_capture_begin();
	sighandler(SIGSEGV, &si, &uc);
	rt_capture_end(err, sizeof err);
	assert_string_equal(err, "");
	expect_forwarded_fault();

	/* below the guard entirely: not this stack's */
	initsig_dfl();
	fault_at(fakeg.stack.lo - 3 * STACKGUARD, fakeg.stack.lo - 3 * STACKGUARD);
	rt_capture_begin();
	sighandler(SIGSEGV, &si, &uc);
	rt_capture_end(err, sizeof err);
	assert_string_equal(err, "");
	expect_forwarded_fault();
	tlsg = &g0;
	m0.curg = NULL;
}

/* On a thread the runtime did not start, g is NULL: never an overflow,
 * never an init function's crash. */
static struct g *thread_g = (struct g *)1;

static void *
thread_body(void *arg)
{
	char err[64];
	(void)arg;

	thread_g = getg();
	initing.task = &(struct pkgrt_inittask){0, 0, "p", NULL, NULL, NULL};
	fault_at(fakeg.stack.lo - 8, fakeg.stack.lo - 16);
	rt_capture_begin();
	sighandler(SIGSEGV, &si, &uc);
	rt_capture_end(err, sizeof err);
	initing.task = NULL;
	assert_string_equal(err, "");
	return NULL;
}

static void
test_other_thread(void **state)
{
	pthread_t t;
	(void)state;

	initsig_dfl();
	fake_main_goroutine(8 << 20, 0);
	pthread_create(&t, NULL, thread_body, NULL);
	pthread_join(t, NULL);
	assert_null(thread_g);
	assert_ptr_equal(getg(), &fakeg);       /* this thread's is untouched */
	expect_forwarded_fault();
	tlsg = &g0;
	m0.curg = NULL;
}

/* ---- forwarding to the program's handler ---------------------------------- */

/* volatile: a signal handler writes them, behind raise(3), which glibc
 * declares a leaf (a call that cannot come back into this file) */
static volatile sig_atomic_t got_sig, got_code, got_usr2_blocked, got_self_blocked;

static void
program_handler(int sig, siginfo_t *info, void *ctx)
{
	sigset_t cur;
	(void)ctx;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	got_sig = sig;
	got_code = info->si_code;
	got_usr2_blocked = sigismember(&cur, SIGUSR2);
	got_self_blocked = sigismember(&cur, sig);
}

static void
test_forward_to_handler(void **state)
{
	struct sigaction sa, now;
	(void)state;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = program_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGBUS, &sa, NULL);
	initsig();              /* the runtime's handler; the program's remembered */
	got_sig = 0;
	raise(SIGBUS);          /* sent, not a fault: not the runtime's */
	assert_int_equal(got_sig, SIGBUS);
	assert_int_equal(got_code, SI_TKILL);
	assert_int_equal(got_usr2_blocked, 1);  /* its sa_mask */
	assert_int_equal(got_self_blocked, 1);  /* no SA_NODEFER */
	sigaction(SIGBUS, NULL, &now);
	assert_true(now.sa_handler == SIG_DFL); /* SA_RESETHAND, as the kernel does */
	initsigdone();
}

/* SIG_IGN from the parent: a sent signal stays ignored. */
static void
test_forward_ignored(void **state)
{
	(void)state;

	signal(SIGSEGV, SIG_IGN);
	initsig();
	raise(SIGSEGV);         /* would kill if the runtime did not forward */
	kill(getpid(), SIGSEGV);
	signal(SIGSEGV, SIG_DFL);
}

/* ---- the alternate signal stack -------------------------------------------- */

static void
test_sigaltstack_checked(void **state)
{
	static char small[2048], large[256 << 10];
	stack_t ss = {.ss_sp = small, .ss_size = sizeof small, .ss_flags = 0}, now;
	(void)state;

	/* the program's, too small for the kernel's frame plus ours: replaced */
	assert_int_equal(sigaltstack(&ss, NULL), 0);
	minitSignalStack();
	assert_string_equal(m0.gsignalwhy, "ours: the program's was too small");
	assert_true(m0.gsignal.hi - m0.gsignal.lo >= sigstackneed());
	assert_int_equal(sigaltstack(NULL, &now), 0);
	assert_ptr_equal(now.ss_sp, (void *)m0.gsignal.lo);
	assert_true(sigstackneed() >= minSigStackSize);

	/* the program's, large enough: kept, and shown */
	ss.ss_sp = large;
	ss.ss_size = sizeof large;
	assert_int_equal(sigaltstack(&ss, NULL), 0);
	minitSignalStack();
	assert_string_equal(m0.gsignalwhy, "the program's");
	assert_int_equal(m0.gsignal.lo, (uintptr_t)large);
	assert_int_equal(m0.gsignal.hi, (uintptr_t)large + sizeof large);

	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	minitSignalStack();
	assert_string_equal(m0.gsignalwhy, "ours");
	assert_true(m0.gsignal.hi - m0.gsignal.lo >= (32 << 10));
}

/* ---- osinit ------------------------------------------------------------------ */

static void
no_pagesize(void)
{
	physPageSize = 0;
	osinit();
}

static void
odd_pagesize(void)
{
	physPageSize = 4095;
	osinit();
}

static void
test_osinit_needs_pagesize(void **state)
{
	char err[256];
	int status;
	(void)state;

	status = rt_child(no_pagesize, err, sizeof err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_non_null(strstr(err, "pkgrt: fatal: failed to get system page size"));
	status = rt_child(odd_pagesize, err, sizeof err);
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_true(physPageSize == (uintptr_t)sysconf(_SC_PAGESIZE));
	assert_true(ncpu >= 1);
}

int
main(int argc, char **argv, char **envp)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overflow_advice),
		cmocka_unit_test(test_advice_accepted),
		cmocka_unit_test(test_wild_write_not_overflow),
		cmocka_unit_test(test_other_thread),
		cmocka_unit_test(test_forward_to_handler),
		cmocka_unit_test(test_forward_ignored),
		cmocka_unit_test(test_sigaltstack_checked),
		cmocka_unit_test(test_osinit_needs_pagesize),
	};

	rt_setup(argc, argv, envp);
	return cmocka_run_group_tests_name("runtime signals", tests, NULL, NULL);
}
