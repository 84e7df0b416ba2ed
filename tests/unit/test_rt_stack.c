/*
 * test_rt_stack.c - goroutine stacks and the switch between g0 and a
 * goroutine: stackalloc's guard page faults when touched, malg and
 * gostartcallfn lay out a new goroutine, gogo/mcall/gosave go back and
 * forth keeping the callee-saved registers, and an unwinder walks from a
 * goroutine's frames into g0's.
 */
#include <execinfo.h>
#include <sys/mman.h>

#include "unittest.h"

static void
test_stackalloc(void **state)
{
	struct stack s = stackalloc(64 << 10, physPageSize);
	(void)state;

	assert_true(s.lo != 0);
	assert_int_equal(s.hi - s.lo, 64 << 10);
	assert_int_equal(s.lo % physPageSize, 0);
	/* every byte of the stack is usable */
	memset((void *)s.lo, 0xa5, s.hi - s.lo);
	assert_int_equal(((unsigned char *)s.lo)[0], 0xa5);
	assert_int_equal(((unsigned char *)s.hi)[-1], 0xa5);
	stackfree(s, physPageSize);
}

static void
test_stackalloc_rounds(void **state)
{
	struct stack s = stackalloc(5000, 1);
	(void)state;

	assert_true(s.lo != 0);
	assert_int_equal(s.hi - s.lo, round_page(5000));
	assert_int_equal(s.hi - s.lo, 2 * physPageSize);
	stackfree(s, 1);
	s = stackalloc(0, physPageSize);
	assert_int_equal(s.lo, 0);
	s = stackalloc(~(uintptr_t)0 - 4096, physPageSize);   /* more than there is */
	assert_int_equal(s.lo, 0);
}

static struct stack guarded;

static void
touch_guard(void)
{
	((volatile char *)guarded.lo)[-1] = 1;  /* the last byte of the guard page */
}

static void
touch_guard_bottom(void)
{
	((volatile char *)guarded.lo)[-(long)physPageSize] = 1;   /* its first byte */
}

static void
touch_stack(void)
{
	((volatile char *)guarded.lo)[0] = 1;
}

static void
test_guard_page_faults(void **state)
{
	char err[256];
	int status;
	(void)state;

	guarded = stackalloc(64 << 10, physPageSize);
	assert_true(guarded.lo != 0);

	status = rt_child(touch_guard, err, sizeof err);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);

	status = rt_child(touch_guard_bottom, err, sizeof err);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);

	status = rt_child(touch_stack, err, sizeof err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	stackfree(guarded, physPageSize);
}

static void
test_malg(void **state)
{
	struct g *gp = malg(64 << 10);
	uintptr_t *hi;
	(void)state;

	assert_non_null(gp);
	/* the g sits at the top of its own stack, above stack.hi */
	assert_true((uintptr_t)gp == gp->stack.hi);
	assert_int_equal(gp->stack.hi % 64, 0);
	assert_true(gp->stack.hi - gp->stack.lo > (64 << 10) - 512);
	assert_int_equal(gp->stacksize, 64 << 10);
	assert_int_equal(gp->guard, STACKGUARD);
	assert_int_equal(gp->atomicstatus, Gidle);

	gostartcallfn(gp, (void (*)(void))test_malg, &g0.sched);
	hi = (uintptr_t *)gp->stack.hi;
	assert_int_equal(gp->sched.sp, gp->stack.hi - 24);
	assert_int_equal(gp->sched.sp % 16, 8);             /* as after a call */
	assert_int_equal(gp->sched.pc, (uintptr_t)test_malg);
	assert_ptr_equal(gp->sched.g, gp);
	assert_int_equal(hi[-3], (uintptr_t)goexit + 1);    /* fn returns into goexit */
	assert_int_equal(hi[-2], (uintptr_t)&g0.sched);     /* for goexit's unwind rule */
}

/* ---- g0 <-> goroutine ------------------------------------------------------ */

static struct g *testg;
static int steps;
static uintptr_t bodysp;
static long sums[2];
static int nframes;

static void
park(struct g *gp)
{
	/* on g0, at the stack pointer gosave recorded */
	assert_ptr_equal(getg(), &g0);
	assert_ptr_equal(gp, testg);
	steps += 10;
	gogo(&gp->sched);
}

static void
finish(struct g *gp)
{
	(void)gp;
	gogo(&g0.sched);        /* back into the test, after its gosave */
}

static void
body(void)
{
	char here;
	/* values live across the switches: the compiler keeps them in
	 * callee-saved registers, which mcall and gogo must keep */
	volatile long seed = 7;
	long a = seed, b = a * 3, c = b + 5, d = c * c, e = d - a, f = e ^ b;
	void *frames[64];

	bodysp = (uintptr_t)&here;
	assert_ptr_equal(getg(), testg);
	steps++;
	sums[0] = a + b + c + d + e + f;
	mcall(park);
	steps++;
	sums[1] = a + b + c + d + e + f;
	nframes = backtrace(frames, 64);
	mcall(finish);
	fail_msg("finish returned");
}

static void
test_gogo_mcall(void **state)
{
	volatile int resumed = 0;
	(void)state;

	testg = malg(64 << 10);
	assert_non_null(testg);
	gostartcallfn(testg, body, &g0.sched);
	testg->m = &m0;
	steps = 0;

	if (gosave(&g0.sched) == 0) {
		assert_int_equal(resumed, 0);
		resumed = 1;
		gogo(&testg->sched);
	}
	/* gosave returned a second time: finish switched back */
	assert_int_equal(resumed, 1);
	assert_ptr_equal(getg(), &g0);
	assert_int_equal(steps, 12);
	assert_true(bodysp >= testg->stack.lo && bodysp < testg->stack.hi);
	assert_int_equal(sums[0], sums[1]);
	/* backtrace(3) from the goroutine went past goexit into this
	 * function's frames and on (cmocka, main, libc): many more than
	 * body and goexit */
	assert_true(nframes >= 6);
}

/*
 * rt_test_regs(out, fn): set every callee-saved register to a pattern,
 * mcall(fn), and store what the registers hold afterwards in out[0..5]
 * (rbx, rbp, r12, r13, r14, r15).  mcall must save them in g->sched and
 * gogo must load them back, whatever fn did on g0 meanwhile.
 */
void rt_test_regs(uint64_t *out, void (*fn)(struct g *));
__asm__(
	".text\n"
	".globl rt_test_regs\n"
	"rt_test_regs:\n"
	"	pushq %rbx; pushq %rbp; pushq %r12; pushq %r13; pushq %r14; pushq %r15\n"
	"	pushq %rdi\n"                      /* out; rsp is 16-byte aligned now */
	"	movabsq $0x1111111111111111, %rbx\n"
	"	movabsq $0x2222222222222222, %rbp\n"
	"	movabsq $0x3333333333333333, %r12\n"
	"	movabsq $0x4444444444444444, %r13\n"
	"	movabsq $0x5555555555555555, %r14\n"
	"	movabsq $0x6666666666666666, %r15\n"
	"	movq %rsi, %rdi\n"
	"	call runtime.mcall\n"
	"	popq %rdi\n"
	"	movq %rbx, 0(%rdi); movq %rbp, 8(%rdi); movq %r12, 16(%rdi)\n"
	"	movq %r13, 24(%rdi); movq %r14, 32(%rdi); movq %r15, 40(%rdi)\n"
	"	popq %r15; popq %r14; popq %r13; popq %r12; popq %rbp; popq %rbx\n"
	"	ret\n");

static uint64_t regs[6];

static void
clobber_park(struct g *gp)
{
	/* on g0: use the registers for something else first */
	__asm__ volatile("xorl %%ebx, %%ebx; xorl %%r12d, %%r12d; xorl %%r13d, %%r13d;"
	                 "xorl %%r14d, %%r14d; xorl %%r15d, %%r15d"
	                 ::: "rbx", "r12", "r13", "r14", "r15");
	gogo(&gp->sched);
}

static void
regs_body(void)
{
	rt_test_regs(regs, clobber_park);
	mcall(finish);
}

static void
test_callee_saved(void **state)
{
	(void)state;
	testg = malg(64 << 10);
	assert_non_null(testg);
	gostartcallfn(testg, regs_body, &g0.sched);
	testg->m = &m0;
	if (gosave(&g0.sched) == 0)
		gogo(&testg->sched);
	assert_int_equal(regs[0], 0x1111111111111111);     /* rbx */
	assert_int_equal(regs[1], 0x2222222222222222);     /* rbp */
	assert_int_equal(regs[2], 0x3333333333333333);     /* r12 */
	assert_int_equal(regs[3], 0x4444444444444444);     /* r13 */
	assert_int_equal(regs[4], 0x5555555555555555);     /* r14 */
	assert_int_equal(regs[5], 0x6666666666666666);     /* r15 */
}

static void
returns(void)
{
}

static void
goroutine_returns(void)
{
	testg = malg(64 << 10);
	gostartcallfn(testg, returns, &g0.sched);
	testg->m = &m0;
	if (gosave(&g0.sched) == 0)
		gogo(&testg->sched);
}

/* A goroutine whose function returns goes to goexit, which schedules
 * the next goroutine; there is none. */
static void
test_goexit(void **state)
{
	char err[256];
	int status = rt_child(goroutine_returns, err, sizeof err);
	(void)state;

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_string_equal(err, "pkgrt: fatal: all goroutines are asleep - deadlock!\n");
}

static void
mcall_on_g0(void)
{
	mcall(park);
}

static void
test_badmcall(void **state)
{
	char err[256];
	int status = rt_child(mcall_on_g0, err, sizeof err);
	(void)state;

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_string_equal(err, "pkgrt: fatal: runtime: mcall called on m->g0 stack\n");
}

int
main(int argc, char **argv, char **envp)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stackalloc),
		cmocka_unit_test(test_stackalloc_rounds),
		cmocka_unit_test(test_guard_page_faults),
		cmocka_unit_test(test_malg),
		cmocka_unit_test(test_gogo_mcall),
		cmocka_unit_test(test_callee_saved),
		cmocka_unit_test(test_goexit),
		cmocka_unit_test(test_badmcall),
	};

	rt_setup(argc, argv, envp);
	return cmocka_run_group_tests_name("runtime stacks", tests, NULL, NULL);
}
