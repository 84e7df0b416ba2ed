/*
 * proc.c - start-up, the scheduler and the init tasks (Go: proc.go).
 *
 * Go's runtime runs goroutines (G) on OS threads (M), each of which needs a
 * processor (P) to run Go code.  Every M has a goroutine of its own, g0,
 * that runs on the thread's OS stack: the scheduler runs there, never on a
 * user goroutine's stack.  The first M, m0, and its g0 are static
 * variables.  Start-up (rt0_go in asm_amd64.s) runs on g0:
 *
 *   args       argc, argv, envp, auxv                 (os_linux.c)
 *   osinit     CPU count, page size                   (os_linux.c)
 *   schedinit  m0 and g0, debug variables, P array    (here)
 *   newproc    the main goroutine g1, runnable, to run runtime.main
 *   mstart     record g0's stack, signal stack and handlers, schedule
 *   schedule   take g1 and gogo to it: from here on we are on g1's stack
 *   runtime.main (on g1)
 *              run the init tasks in order (doInit), then the user's main,
 *              then exit
 *
 * pkgrt does the same in a C program, after libc has started the process:
 * __wrap_main, which libc calls instead of main, is our rt0_go.  Without
 * libc (PKGRT_NOLIBC) the entry point calls that code itself, as
 * runtime.rt0_go, and runtime.main calls main and exit_group directly.  There is
 * one M and one goroutine that runs code, g1; the P array is sized as in
 * Go (PKGRT_MAXPROCS, else the CPU count) but only P 0 is used.  What this
 * buys a C program: its packages' init functions run in the order the
 * pkginit tool computed from the import graph, with Go's checks and
 * traces, and main runs on a stack at least as large as it would have had
 * (newproc), whose overflow the runtime reports.  Everything else is the
 * program's, as Go leaves C code in a cgo program alone: its signals
 * (os_linux.c, panic.c), its threads (g is per thread), its environment
 * (runtime_main), its sanitizers (below).
 *
 * The init table (pkgrt.h) is Go's []*initTask: one task per package with
 * init functions, in order.  A task's state goes 0 -> 1 (running) -> 2
 * (done); meeting a task in state 1 means initialization came back into
 * itself, which is fatal, as in Go.  An `int f(void)` init function that
 * returns non-zero stops start-up (initfailed), where Go's init would
 * panic.
 */
#ifdef PKGRT_NOLIBC
#define exit(status) exit2(status)      /* no libc: no atexit, no stdio */
#else
#include <stdlib.h>
#endif

#include "runtime.h"

/*
 * Sanitizers and valgrind follow the stack a thread runs on; gogo and mcall
 * change it behind their backs.  ASan: a noreturn call on g1 (exit,
 * longjmp, a C++ throw) unpoisons "the stack" from there up to the top of
 * the stack it believes it is on; if that is the OS stack, it finds
 * gigabytes between the two, warns ("ignoring requested
 * __asan_handle_no_return"), and leaves the poison of dead frames behind,
 * for false stack-buffer-overflow reports later.  TSan keeps a shadow
 * call stack per thread, which a stack switch it was not told about
 * leaves pointing at the wrong frames.  So each switch is announced: to
 * ASan as a fiber switch (sanstartswitch just before it, sanfinishswitch
 * first thing on the other side), to TSan as a switch between its fibers
 * (racectx).  valgrind: malg registers each goroutine stack, so the stack
 * pointer jumping there is a switch, not a frame of gigabytes.
 *
 * The sanitizers are found at run time, not when the runtime is built:
 * their interfaces are weak references, which are NULL unless the program
 * was linked with that sanitizer's runtime.  So the one installed
 * libpkgrt.a serves plain programs and programs built with
 * -fsanitize=address, thread or undefined (UBSan follows no stacks and
 * needs nothing).  One symbol per sanitizer is tested (its address is
 * NULL or not); the others are only called when it is there, through the
 * PLT, which the dynamic linker binds on the first call: each address
 * tested costs a failed symbol lookup at start-up in every dynamic
 * program, about 550 instructions (callgrind), a lazily bound call none.
 * In a plain program a switch costs one test of a NULL pointer; the
 * valgrind macro is a few no-op instructions outside valgrind, and
 * valgrind.h is optional (cross and musl builds do without it).  When g1
 * runs on the OS stack (newproc's fallback) there is no switch to
 * announce.
 */
extern void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
                                           size_t size) __attribute__((weak));
extern void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                            size_t *size_old) __attribute__((weak));
extern void *__tsan_get_current_fiber(void) __attribute__((weak));
extern void *__tsan_create_fiber(unsigned flags) __attribute__((weak));
extern void __tsan_switch_to_fiber(void *fiber, unsigned flags) __attribute__((weak));

static void *g0fakestack;       /* ASan's fake stack of g0 while it is away */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0
#endif

/* About to switch from the current goroutine to gp; save is where ASan
 * keeps the current goroutine's fake stack, NULL if it never runs again.
 * A goroutine on the OS stack (newproc's fallback) shares g0's stack:
 * between the two there is no switch to announce. */
static void
sanstartswitch(void **save, struct g *gp)
{
	if (gp->onosstack || getg()->onosstack)
		return;
	if (__tsan_switch_to_fiber != NULL) {           /* TSan is there */
		struct g *cur = getg();
		if (cur->racectx == NULL)
			cur->racectx = __tsan_get_current_fiber();
		if (gp->racectx == NULL)
			gp->racectx = __tsan_create_fiber(0);
		__tsan_switch_to_fiber(gp->racectx, 0);
	}
	if (__sanitizer_start_switch_fiber != NULL)     /* ASan is there */
		__sanitizer_start_switch_fiber(save, (const void *)gp->stack.lo,
		                               gp->stack.hi - gp->stack.lo);
}

/* Now on the new stack, after a switch between g0 and gp; save is what
 * sanstartswitch saved when this goroutine left it (NULL the first time
 * it runs).  As there, nothing when gp is on the OS stack. */
static void
sanfinishswitch(void *save, const struct g *gp)
{
	if (gp->onosstack)
		return;
	if (__sanitizer_start_switch_fiber != NULL)     /* ASan is there */
		__sanitizer_finish_switch_fiber(save, NULL, NULL);
}

/* The assembly uses these offsets (runtime.h); check them. */
_Static_assert(offsetof(struct gobuf, sp) == gobuf_sp, "gobuf_sp");
_Static_assert(offsetof(struct gobuf, pc) == gobuf_pc, "gobuf_pc");
_Static_assert(offsetof(struct gobuf, g) == gobuf_g, "gobuf_g");
_Static_assert(offsetof(struct gobuf, ret) == gobuf_ret, "gobuf_ret");
_Static_assert(offsetof(struct gobuf, bp) == gobuf_bp, "gobuf_bp");
#if defined(__aarch64__)
_Static_assert(offsetof(struct gobuf, lr) == gobuf_lr, "gobuf_lr");
_Static_assert(offsetof(struct gobuf, x) == gobuf_x19, "gobuf_x19");
_Static_assert(offsetof(struct gobuf, d) == gobuf_d8, "gobuf_d8");
#else
_Static_assert(offsetof(struct gobuf, bx) == gobuf_bx, "gobuf_bx");
_Static_assert(offsetof(struct gobuf, r12) == gobuf_r12, "gobuf_r12");
_Static_assert(offsetof(struct gobuf, r13) == gobuf_r13, "gobuf_r13");
_Static_assert(offsetof(struct gobuf, r14) == gobuf_r14, "gobuf_r14");
_Static_assert(offsetof(struct gobuf, r15) == gobuf_r15, "gobuf_r15");
#endif
_Static_assert(sizeof(struct gobuf) == gobuf__size, "gobuf__size");
_Static_assert(offsetof(struct g, stack.lo) == g_stack_lo, "g_stack_lo");
_Static_assert(offsetof(struct g, stack.hi) == g_stack_hi, "g_stack_hi");
_Static_assert(offsetof(struct g, sched) == g_sched, "g_sched");
_Static_assert(offsetof(struct g, m) == g_m, "g_m");
_Static_assert(offsetof(struct m, g0) == m_g0, "m_g0");
_Static_assert(offsetof(struct m, curg) == m_curg, "m_curg");

/* The init table's layout (pkgrt.h, spec/runtime.md), which generated
 * tables repeat without the header: LP64, the same on amd64 and arm64. */
_Static_assert(offsetof(struct pkgrt_inittask, state) == 0, "inittask.state");
_Static_assert(offsetof(struct pkgrt_inittask, nfns) == 4, "inittask.nfns");
_Static_assert(offsetof(struct pkgrt_inittask, path) == 8, "inittask.path");
_Static_assert(offsetof(struct pkgrt_inittask, fns) == 16, "inittask.fns");
_Static_assert(offsetof(struct pkgrt_inittask, names) == 24, "inittask.names");
_Static_assert(offsetof(struct pkgrt_inittask, kinds) == 32, "inittask.kinds");
_Static_assert(sizeof(struct pkgrt_inittask) == 40, "inittask size");
_Static_assert(offsetof(struct pkgrt_inittab, tasks) == 16, "inittab.tasks");
_Static_assert(sizeof(struct pkgrt_inittab) == 24, "inittab size");

/* The ABI this runtime implements; the init table refers to it by name. */
__attribute__((visibility("default")))
const char PKGRT_ABI_SYMBOL[] = "pkgrt init table ABI 2";

struct m m0;
struct g g0;
struct schedt sched;
struct p *allp;
int32_t gomaxprocs;
PKGRT_TLS struct g *tlsg;
struct initing initing;
struct tracestat inittrace;
int64_t runtimeInitTime;

/* ---- schedinit -------------------------------------------------------------- */

/*
 * procresize makes the P array: nprocs Ps, P 0 attached to this M
 * (Go: procresize, at start-up).
 */
void
procresize(int32_t nprocs)
{
	struct m *mp = getg()->m;

	allp = sysAlloc((uintptr_t)nprocs * sizeof(struct p));
	if (allp == NULL)
		throw("cannot allocate the P array");
	for (int32_t i = 0; i < nprocs; i++) {
		allp[i].id = i;
		allp[i].status = Pidle;
	}
	mp->p = &allp[0];
	allp[0].m = mp;
	allp[0].status = Prunning;
	gomaxprocs = nprocs;
}

/*
 * schedinit: m0 and g0, the debug variables, the Ps.  g0's stack is the OS
 * stack: from the stack pointer at the entry point (Go: rt0_go sets
 * g0.stack.hi to SP) down to what RLIMIT_STACK lets it grow to; with no
 * limit, a nominal 8 MiB (the bounds are only what sanitizers are told
 * when g0 runs again).
 */
void
schedinit(void)
{
	uintptr_t hi = rt0sp != 0 ? rt0sp : (uintptr_t)__builtin_frame_address(0);
	uint64_t size = 0;
	struct printbuf pb;

	if (getrlimitstack(&size) != 0 || size == 0 || size > hi)
		size = (uintptr_t)8 << 20;
	g0.stack.hi = hi;
	g0.stack.lo = hi - (uintptr_t)size;
	g0.goid = 0;
	g0.atomicstatus = Grunning;
	g0.m = &m0;
	m0.g0 = &g0;
	m0.id = 0;
	tlsg = &g0;

	goenvs();
	parsedebugvars();
	if (debug.starttrace)
		starttrace_early();

	procresize(getmaxprocs());

	if (debug.starttrace) {
		tracebegin(&pb, "schedinit");
		pstr(&pb, " m0 g0");
		prange(&pb, "stack", g0.stack);
		pstr(&pb, " (the OS stack) maxprocs=");
		pint(&pb, gomaxprocs);
		pstr(&pb, " inittrace=");
		pint(&pb, debug.inittrace);
		pstr(&pb, " starttrace=");
		pint(&pb, debug.starttrace);
		traceend(&pb);
	}
}

/* ---- goroutines ------------------------------------------------------------- */

/*
 * malg allocates a goroutine with a stack of stacksize bytes and a guard
 * region (STACKGUARD) below it.  The runtime has no heap, so the g itself
 * sits at the top of its own stack.  Returns NULL if the kernel will not
 * map it.
 */
struct g *
malg(uintptr_t stacksize)
{
	uintptr_t guard = round_page(STACKGUARD);
	struct stack stk = stackalloc(stacksize, guard);
	struct g *newg;
	uintptr_t top;

	if (stk.lo == 0)
		return NULL;
	top = (stk.hi - sizeof(struct g)) & ~(uintptr_t)63;
	newg = (struct g *)top;         /* zeroed: fresh from mmap */
	newg->stack.lo = stk.lo;
	newg->stack.hi = top;
	newg->guard = guard;
	newg->stacksize = stk.hi - stk.lo;
	newg->atomicstatus = Gidle;
	/* Never deregistered: the main goroutine lives until exit. */
	(void)VALGRIND_STACK_REGISTER(stk.lo, top);
	return newg;
}

/*
 * gostartcallfn sets up gp so that gogo(&gp->sched) calls fn as if goexit
 * had called it (Go: gostartcallfn/gostartcall).  The top of the stack:
 *
 *     hi-8    0
 *     hi-16   g0sched      for goexit's unwind rule: where g0 was
 *     hi-24   goexit+1     amd64: fn's return address   <- gp->sched.sp
 *
 * so that fn starts with rsp = 8 mod 16, as after a call.  On arm64 the
 * return address, goexit+4, goes in lr (x30), and sp = hi-16 (16-byte
 * aligned, as AAPCS64 requires at every call).
 */
void
gostartcallfn(struct g *gp, void (*fn)(void), struct gobuf *g0sched)
{
	uintptr_t *hi = (uintptr_t *)gp->stack.hi;

	hi[-1] = 0;
	hi[-goroot_g0sched / 8] = (uintptr_t)g0sched;
#if defined(__aarch64__)
	gp->sched.lr = (uintptr_t)goexit + PCQUANTUM;
	gp->sched.sp = gp->stack.hi - goroot_g0sched;
#else
	hi[-goroot_retpc / 8] = (uintptr_t)goexit + PCQUANTUM;
	gp->sched.sp = gp->stack.hi - goroot_retpc;
#endif
	gp->sched.pc = (uintptr_t)fn;
	gp->sched.g = gp;
	gp->sched.bp = 0;               /* frame-pointer walkers stop here */
	gp->startpc = (uintptr_t)fn;
}

/* The main goroutine when it runs on the OS stack (newproc's fallback):
 * there is no mapping of ours to put it at the top of. */
static struct g g1os;

/*
 * newproc creates the main goroutine, to run fn, and puts it where schedule
 * will find it (Go: newproc, runqput to p.runnext).  Its stack is at least
 * what the program's main would have had without the runtime: PKGRT_STACK
 * if set, else a mapping of RLIMIT_STACK's soft limit (mainstacksize).
 * When that cannot be (the limit is unlimited or huge, or the kernel will
 * not reserve the mapping, e.g. under a tight RLIMIT_AS), g1 runs on the
 * OS stack itself, below g0's frames, where it can grow exactly as the
 * program's main would have; starttrace says so, and a PKGRT_STACK that
 * could not be had is reported.  Start-up never fails for want of a stack.
 */
struct g *
newproc(void (*fn)(void))
{
	struct m *mp = getg()->m;
	const char *why = "default";
	uintptr_t size = mainstacksize(&why);
	struct g *newg = size != 0 ? malg(size) : NULL;
	struct printbuf pb;

	if (newg == NULL) {
		uint64_t soft = 0;

		if (size != 0 && why[0] == 'P') {       /* asked for with PKGRT_STACK */
			char buf[32];
			buf[fmtsize(buf, size)] = '\0';
			warnenv("PKGRT_STACK", buf, "cannot reserve a stack of that size", "the OS stack");
		}
		newg = &g1os;
		newg->onosstack = 1;
		newg->stack.lo = osstacklo();
		newg->guard = newg->stack.lo != 0 ? STACKGUARD : 0;
		if (newg->stack.lo != 0 && getrlimitstack(&soft) == 0)
			newg->stacksize = (uintptr_t)soft;
		newg->startpc = (uintptr_t)fn; /* execute lays out its stack */
	} else {
		gostartcallfn(newg, fn, &mp->g0->sched);
	}
	newg->goid = ++sched.goidgen;
	newg->atomicstatus = Grunnable;
	mp->p->runnext = newg;

	if (debug.starttrace) {
		tracebegin(&pb, "newproc");
		pstr(&pb, " g");
		pint(&pb, newg->goid);
		pstr(&pb, " to run runtime.main");
		if (newg->onosstack) {
			pstr(&pb, " on the OS stack (");
			if (size != 0) {
				pstr(&pb, "could not reserve ");
				psize(&pb, size);
				pstr(&pb, " from ");
			}
			pstr(&pb, why);
			pstr(&pb, ")");
			if (newg->stack.lo != 0) {
				pstr(&pb, " down to ");
				phex(&pb, newg->stack.lo);
				pstr(&pb, " (RLIMIT_STACK ");
				psize(&pb, newg->stacksize);
				pstr(&pb, ")");
			}
		} else {
			prange(&pb, "stack", newg->stack);
			pstr(&pb, " size=");
			psize(&pb, size);
			pstr(&pb, " (");
			pstr(&pb, why);
			pstr(&pb, ")");
			prange(&pb, "guard", (struct stack){newg->stack.lo - newg->guard, newg->stack.lo});
		}
		traceend(&pb);
	}
	return newg;
}

/* ---- mstart, schedule ----------------------------------------------------- */

/*
 * mstart is where an M starts running goroutines (Go: mstart, mstart0,
 * mstart1).  It never returns.
 */
void
mstart(void)
{
	struct g *gp = getg();          /* g0 */
	struct m *mp = gp->m;
	struct printbuf pb;

	/*
	 * Record where g0 is: mcall switches back to this stack pointer, and
	 * an unwinder on a goroutine continues into g0's frames from here
	 * (Go's mstart1: gp.sched.pc = getcallerpc(), sp = getcallersp()).
	 */
	if (gosave(&gp->sched) != 0)
		throw("mstart: g0 continued after gosave");

	minitSignalStack();             /* Go: minit */
	if (mp == &m0)
		initsig();              /* Go: mstartm0 */

	if (debug.starttrace) {
		tracebegin(&pb, "mstart");
		pstr(&pb, " m0 g0 sched.sp=");
		phex(&pb, gp->sched.sp);
		prange(&pb, "gsignal", mp->gsignal);
		pstr(&pb, " (");
		pstr(&pb, mp->gsignalwhy);
		pstr(&pb, ") handlers for SIGSEGV SIGBUS SIGFPE SIGILL SIGABRT");
		traceend(&pb);
	}
	schedule();
}

/*
 * execute runs gp on this M (Go: execute).  Never returns.
 *
 * A g1 on the OS stack (newproc's fallback) gets its stack here, when g0
 * is as deep as it will ever be before the switch: execute moves its own
 * stack pointer down by OSSTACK_GAP (alloca) and puts g1's top at the top
 * of that gap, so that g1's root slots are written above the stack
 * pointer, where a stack may be written (valgrind's memcheck and its
 * stack growth insist), and what execute still calls (starttrace's
 * printing, gogo) runs below them; from there down, all of the OS stack
 * is g1's.  g0's frames are dead from then on: only mcall would use them
 * again, and nothing calls it (see goexit1).
 */
#define OSSTACK_GAP ((uintptr_t)8 << 10)

static void __attribute__((noreturn))
execute(struct g *gp)
{
	struct m *mp = getg()->m;
	struct printbuf pb;

	mp->curg = gp;
	gp->m = mp;
	gp->atomicstatus = Grunning;
	if (gp->onosstack && gp->stack.hi == 0) {
		char *gap = __builtin_alloca(OSSTACK_GAP);

		gp->stack.hi = ((uintptr_t)gap + OSSTACK_GAP - 64) & ~(uintptr_t)63;
		gostartcallfn(gp, (void (*)(void))gp->startpc, &mp->g0->sched);
	}
	if (debug.starttrace) {
		tracebegin(&pb, "gogo");
		pstr(&pb, " g0 -> g");
		pint(&pb, gp->goid);
		pstr(&pb, " sp=");
		phex(&pb, gp->sched.sp);
		pstr(&pb, " pc=");
		phex(&pb, gp->sched.pc);
		pstr(&pb, gp->startpc == (uintptr_t)runtime_main ? " (runtime.main)" : "");
		traceend(&pb);
	}
	sanstartswitch(&g0fakestack, gp);
	gogo(&gp->sched);
}

/*
 * schedule finds a runnable goroutine and runs it (Go: schedule,
 * findRunnable).  Ours only ever has the main goroutine.
 */
void
schedule(void)
{
	struct p *pp = getg()->m->p;
	struct g *gp = pp->runnext;

	if (gp == NULL)
		throw("all goroutines are asleep - deadlock!");
	pp->runnext = NULL;
	execute(gp);
}

/*
 * goexit0 and goexit1 finish a goroutine whose function returned (Go:
 * goexit0, goexit1), through mcall to g0.  They are kept for the model and
 * for the unit tests, but in a program they never run: the only goroutine
 * is g1, and its function, runtime.main, ends the process (exit) instead
 * of returning.  If it ever did return, schedule would find nothing and
 * throw "all goroutines are asleep - deadlock!".
 */
static void
goexit0(struct g *gp)
{
	sanfinishswitch(g0fakestack, gp);
	gp->atomicstatus = Gdead;
	gp->m->curg = NULL;
	schedule();
}

/* goexit1: the goroutine's function returned (from goexit, asm_amd64.S). */
void
goexit1(void)
{
	struct g *gp = getg();

	sanstartswitch(NULL, gp->m->g0);
	mcall(goexit0);
	throw("goexit1: goroutine continued");
}

/* ---- init tasks (Go: doInit, doInit1) -------------------------------------- */

/*
 * initfailstatus: the exit status for an init function that returned st
 * (non-zero): what exit(st) would show the parent (st modulo 256), but
 * never 0, which would say success: 256 and its multiples give 1.  The
 * ctor and manual runners (tool/emit.c) compute the same.
 */
static int
initfailstatus(int st)
{
	unsigned int low = (unsigned int)st & 0xffu;

	return low != 0 ? (int)low : 1;
}

/*
 * initfailed: init function i of task t returned st != 0.  Start-up stops
 * here: one line, then exit as if main had returned the status (atexit
 * handlers and stdio buffers run and flush: the earlier init functions
 * succeeded, and the failing one may have printed why).  The task stays
 * "running" and gets no inittrace line: it did not finish.
 */
static void __attribute__((noreturn))
initfailed(const struct pkgrt_inittask *t, unsigned int i, int st)
{
	struct printbuf pb;
	int status = initfailstatus(st);

	initing.task = NULL;    /* a crash from here on is not this init's */
	pb.n = 0;
	pstr(&pb, "pkgrt: ");
	pinitfnof(&pb, t, i);
	pstr(&pb, " failed with status ");
	pint(&pb, st);
	pflush(&pb, 2);
	if (debug.starttrace) {
		tracebegin(&pb, "exit");
		pstr(&pb, " init failed; ");
#ifdef PKGRT_NOLIBC
		pstr(&pb, "exit_group(");
#else
		pstr(&pb, "exit(");
#endif
		pint(&pb, status);
		pstr(&pb, "), main not called");
		traceend(&pb);
	}
	exit(status);
}

void
doInit1(struct pkgrt_inittask *t)
{
	struct printbuf pb;
	int64_t start = 0;

	switch (t->state) {
	case PKGRT_TASK_DONE:           /* fully initialized */
		return;
	case PKGRT_TASK_RUNNING:        /* initialization in progress */
		fatalbegin(&pb);
		pstr(&pb, "recursive call during initialization: package ");
		pstr(&pb, t->path != NULL ? t->path : "?");
		pstr(&pb, " is already being initialized");
		fatalend(&pb);
	case PKGRT_TASK_UNINITIALIZED:
		break;
	default:
		fatalbegin(&pb);
		pstr(&pb, "init task of package ");
		pstr(&pb, t->path != NULL ? t->path : "?");
		pstr(&pb, " has a bad state ");
		puint(&pb, t->state);
		fatalend(&pb);
	}
	if (t->nfns == 0 || t->fns == NULL) {
		/* The table only lists packages with init functions. */
		fatalbegin(&pb);
		pstr(&pb, "inittask with no functions: package ");
		pstr(&pb, t->path != NULL ? t->path : "?");
		fatalend(&pb);
	}
	t->state = PKGRT_TASK_RUNNING;

	if (debug.starttrace) {
		pb.n = 0;
		pstr(&pb, "start init ");
		pstr(&pb, t->path != NULL ? t->path : "?");
		pstr(&pb, ":");
		for (unsigned int i = 0; i < t->nfns; i++) {
			pstr(&pb, i == 0 ? " " : ", ");
			pstr(&pb, t->names != NULL && t->names[i] != NULL ? t->names[i] : "?");
		}
		traceend(&pb);
	}
	if (inittrace.active)
		start = nanotime();

	for (unsigned int i = 0; i < t->nfns; i++) {
		unsigned int kind = t->kinds != NULL ? t->kinds[i] : PKGRT_INITFN_VOID;
		int st;

		if (t->fns[i] == NULL)
			throw("init function is NULL");
		if (kind != PKGRT_INITFN_VOID && kind != PKGRT_INITFN_INT) {
			fatalbegin(&pb);
			pstr(&pb, "init task of package ");
			pstr(&pb, t->path != NULL ? t->path : "?");
			pstr(&pb, " has a bad kind ");
			puint(&pb, kind);
			pstr(&pb, " for init function ");
			pinitname(&pb, t, i);
			fatalend(&pb);
		}
		initing.task = t;       /* for the signal handler's message */
		initing.fn = i;
		if (kind == PKGRT_INITFN_VOID) {
			t->fns[i]();
			continue;
		}
		/* Back to the function's own type (pkgrt.h): defined. */
		st = ((pkgrt_initfn_int *)t->fns[i])();
		if (st != 0)
			initfailed(t, i, st);
	}
	initing.task = NULL;

	if (inittrace.active)
		traceinit(t, start, nanotime());
	t->state = PKGRT_TASK_DONE;
}

void
doInit(const struct pkgrt_inittab *tab)
{
	struct initing saved = initing;

	if (tab->ntasks > 0 && tab->tasks == NULL)
		throw("init table has tasks but no task array");
	for (unsigned int i = 0; i < tab->ntasks; i++)
		doInit1(&tab->tasks[i]);
	initing = saved;
}

/*
 * pkgrt_run_inits runs the init table now (pkgrt.h).  runtime.main has
 * already run it, so from main it does nothing, and from an init function
 * it is recursive initialization; it exists so that a program written for
 * --driver=manual (which calls it from main) also links with the runtime.
 */
__attribute__((visibility("default"))) void
pkgrt_run_inits(void)
{
	doModuleInits();
	doInit(&pkgrt_inittab);
}

/* ---- runtime.main ----------------------------------------------------------- */

/*
 * The environment main is given: what libc would give it now.  glibc
 * passes main `__environ` as it is when it calls main (after the
 * constructors, which may have called setenv); the runtime calls main
 * later, after the init functions, which may have called setenv too
 * (and glibc frees the vector it replaces), so it reads `environ` again.
 * musl passes the vector the kernel put on the stack, whatever setenv did
 * meanwhile; so does the runtime (libc gave it to __wrap_main, and it
 * stays valid: musl never frees it).  Without libc there is only that one.
 */
#if !defined(PKGRT_NOLIBC) && defined(__GLIBC__)
extern char **environ;
#define mainenv() environ
#else
#define mainenv() mainenvp
#endif

/*
 * runtime_main (the symbol runtime.main) is the main goroutine's function:
 * the init tasks, then the user's main, then exit (Go: runtime.main).
 */
void
runtime_main(void)
{
	struct g *gp = getg();
	struct printbuf pb;
	int status;

	sanfinishswitch(NULL, gp);      /* the first time on g1's stack */
	if (pkgrt_inittab.abi != PKGRT_ABI_SYMBOL)
		throw("the init table was generated for another runtime ABI");
	if (debug.inittrace) {
		inittrace.active = 1;
		runtimeInitTime = nanotime();
	}
	doModuleInits();         /* the shared libraries' (module.c) */
	doInit(&pkgrt_inittab);
	inittrace.active = 0;
	initsigdone();

	if (debug.starttrace) {
		tracebegin(&pb, "main");
		pstr(&pb, " g");
		pint(&pb, gp->goid);
		pstr(&pb, " calls main sp=");
		phex(&pb, getsp());
		prange(&pb, "stack", gp->stack);
		pstr(&pb, " inits=");
		puint(&pb, pkgrt_inittab.ntasks);
		traceend(&pb);
	}
	status = __real_main(argc, argv, mainenv());
	if (debug.starttrace) {
		tracebegin(&pb, "exit");
		pstr(&pb, " main returned ");
		pint(&pb, status);
#ifdef PKGRT_NOLIBC
		pstr(&pb, "; exit_group(");
		pint(&pb, status);
		pstr(&pb, ") (no libc)");
#else
		pstr(&pb, "; exit(");
		pint(&pb, status);
		pstr(&pb, ") runs atexit handlers and flushes stdio");
#endif
		traceend(&pb);
	}
	exit(status);
}
