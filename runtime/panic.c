/*
 * panic.c - fatal errors (Go: panic.go's throw, signal_unix.go's sighandler).
 *
 * Like Go's throw, a fatal error prints one line on stderr,
 *
 *     pkgrt: fatal: <what happened>
 *
 * and ends the process at once with exit status 2: no atexit handlers, no
 * stdio flush, since the process is in a state nobody planned for.  They are:
 *
 *   - recursive initialization: an init task found running when it is
 *     reached (Go: "recursive call during initialization - linker skew");
 *   - a stack overflow on the main goroutine: the SIGSEGV handler, running
 *     on the alternate signal stack because the goroutine's stack is full,
 *     sees the main thread running g1 fault in g1's guard region with its
 *     stack pointer at the bottom of g1's stack (isoverflow), and reports
 *     the stack's size and how to raise it;
 *   - the runtime's own impossible cases (mcall misuse, no page size).
 *
 * Signals belong to the program (Go's rule for C code in a cgo program):
 * the handler keeps only those two cases, a synchronous fault on the main
 * goroutine's guard and a crash inside an init function on the main
 * goroutine, and forwards everything else -- another thread's faults, a
 * makecontext stack's, signals sent with kill(2) or sigqueue(3) -- to the
 * disposition the program had before us (os_linux.c: sigfwd).  A crash
 * inside an init function (a fault, or abort(3)/raise(3) by the init
 * itself) that would kill the process is named with the package and the
 * function, then forwarded too: the process dies of that signal, and
 * dumps core, as it would have without us.  When the program had its own
 * handler, that handler decides, and the runtime says nothing.
 */
#include "runtime.h"
#include "sys_linux.h"

void
fatalbegin(struct printbuf *pb)
{
	pb->n = 0;
	pstr(pb, "pkgrt: fatal: ");
}

void
fatalend(struct printbuf *pb)
{
	pflush(pb, 2);
	exit2(2);
}

void
throw(const char *s)
{
	struct printbuf pb;

	fatalbegin(&pb);
	pstr(&pb, s);
	fatalend(&pb);
}

void
badmcall(void)
{
	throw("runtime: mcall called on m->g0 stack");
}

void
badmcall2(void)
{
	throw("runtime: mcall function returned");
}

static const char *
signame(int sig)
{
	switch (sig) {
	case KSIGSEGV: return "SIGSEGV: segmentation violation";
	case KSIGBUS:  return "SIGBUS: bus error";
	case KSIGFPE:  return "SIGFPE: floating-point exception";
	case KSIGILL:  return "SIGILL: illegal instruction";
	case KSIGABRT: return "SIGABRT: abort";
	default:      return "signal";
	}
}

/* pinitname: function i of task t by its name, else "#i". */
void
pinitname(struct printbuf *pb, const struct pkgrt_inittask *t, unsigned int i)
{
	const char *name = NULL;

	if (t->names != NULL && i < t->nfns)
		name = t->names[i];
	if (name != NULL) {
		pstr(pb, name);
	} else {
		pstr(pb, "#");
		puint(pb, i);
	}
}

/* pinitfnof: "init function F of package P", for a crash in it and for
 * its failure (proc.c). */
void
pinitfnof(struct printbuf *pb, const struct pkgrt_inittask *t, unsigned int i)
{
	pstr(pb, "init function ");
	pinitname(pb, t, i);
	pstr(pb, " of package ");
	pstr(pb, t->path != NULL ? t->path : "?");
}

/* " in init function F of package P" */
static void
pinitfn(struct printbuf *pb)
{
	pstr(pb, " in ");
	pinitfnof(pb, initing.task, initing.fn);
}

/*
 * isoverflow: is a fault at addr, with the stack pointer at sp, the main
 * goroutine running off the bottom of its stack?  The fault must be in
 * the guard region below the stack, and the stack pointer at the bottom
 * of the stack: in the guard, just above it (a push or a call writes just
 * below sp, and amd64 has a 128-byte red zone), or below it by at most
 * the guard's width (a frame larger than what was left: its stores land
 * above its new sp, in the guard).  A wild write into the guard from a
 * function whose stack pointer is well inside the stack is not an
 * overflow, nor is a fault on another stack (a makecontext stack, the
 * signal stack).  A frame larger than the guard region can jump over it
 * entirely; gcc's and clang's -fstack-clash-protection make such frames
 * touch each page on the way down, so that they fault in the guard too.
 */
#define SP_SLACK 256            /* amd64's red zone and a few pushes */

static int
isoverflow(struct g *gp, uintptr_t addr, uintptr_t sp)
{
	uintptr_t lo = gp->stack.lo, guardlo = lo - gp->guard;

	return gp->guard != 0 && addr >= guardlo && addr < lo &&
	       sp < lo + SP_SLACK && sp >= guardlo - gp->guard;
}

/*
 * poverflowadvice: how to get a larger stack, never a size the runtime
 * would then refuse (PKGRT_STACK is at most MAXSTACK).
 */
static void
poverflowadvice(struct printbuf *pb, struct g *gp)
{
	uintptr_t size = gp->stacksize;

	if (gp->onosstack) {
		pstr(pb, "; raise RLIMIT_STACK (ulimit -s)");
	} else if (size < MAXSTACK) {
		pstr(pb, "; raise it with PKGRT_STACK, e.g. PKGRT_STACK=");
		psize(pb, size <= MAXSTACK / 2 ? round_page(size * 2) : MAXSTACK);
	} else {
		pstr(pb, "; it is the largest PKGRT_STACK allows");
	}
}

/*
 * sighandler runs on the alternate signal stack with every signal blocked.
 * info is a siginfo_t, ctx a ucontext_t (sys_linux.h).  The current g is
 * this thread's (TLS): NULL on a thread the runtime did not start, so
 * only the main thread can be the runtime's business: an overflow of
 * g1's stack while g1 runs, a crash while an init function runs (on g1).
 */
void
sighandler(int sig, void *info, void *ctx)
{
	struct g *gp = getg();
	uintptr_t addr = sigctxt_addr(info);
	int fault = sigisfault(sig, info);
	struct printbuf pb;

	/* gp == NULL: not the runtime's thread, nothing of ours */
	if (gp != NULL && sig == KSIGSEGV && fault && gp->m != NULL && gp == gp->m->curg &&
	    isoverflow(gp, addr, sigctxt_sp(ctx))) {
		fatalbegin(&pb);
		pstr(&pb, "stack overflow on the main goroutine (its stack is ");
		psize(&pb, gp->stacksize);
		pstr(&pb, gp->onosstack ? ", the OS stack)" : ")");
		if (initing.task != NULL)
			pinitfn(&pb);
		poverflowadvice(&pb, gp);
		fatalend(&pb);
	}
	if (gp != NULL && initing.task != NULL && (fault || (sig == KSIGABRT && sigselfsent(info))) &&
	    sigwouldkill(sig, info)) {
		fatalbegin(&pb);
		pstr(&pb, "signal ");
		pstr(&pb, signame(sig));
		pinitfn(&pb);
		if (fault) {
			pstr(&pb, " (addr=");
			phex(&pb, addr);
		} else {
			pstr(&pb, " (sent by pid ");
			pint(&pb, sigsender(info));
			pstr(&pb, ",");
		}
		pstr(&pb, " pc=");
		phex(&pb, sigctxt_pc(ctx));
		pstr(&pb, ")");
		pflush(&pb, 2);
	}
	sigfwd(sig, info, ctx);
}
