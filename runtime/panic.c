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
 *     sees the fault in the guard page (or the stack pointer below the
 *     stack) and reports the stack's size and how to raise it;
 *   - the runtime's own impossible cases (mcall misuse, no memory).
 *
 * A crash inside an init function (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT)
 * is reported with the package and the function's name; then the signal
 * gets its default action back and is delivered again, so the process
 * still dies of that signal and dumps core as it would have without us.
 * Any other crash is left alone the same way, without a message.
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

/* " in init function F of package P" */
static void
pinitfn(struct printbuf *pb)
{
	const struct pkgrt_inittask *t = initing.task;
	const char *name = NULL;

	if (t->names != NULL && initing.fn < t->nfns)
		name = t->names[initing.fn];
	pstr(pb, " in init function ");
	if (name != NULL) {
		pstr(pb, name);
	} else {
		pstr(pb, "#");
		puint(pb, initing.fn);
	}
	pstr(pb, " of package ");
	pstr(pb, t->path != NULL ? t->path : "?");
}

/*
 * isoverflow: is a fault at addr, with the stack pointer at sp, the
 * goroutine running off the bottom of its stack?  Either the fault is in
 * the guard page, or the stack pointer itself went below the stack (a
 * frame larger than the guard page skipped over it) and the fault is
 * between it and the stack.
 */
static int
isoverflow(struct g *gp, uintptr_t addr, uintptr_t sp)
{
	uintptr_t lo = gp->stack.lo, guardlo = lo - gp->guard;

	if (addr >= guardlo && addr < lo)
		return 1;
	return sp < lo && sp >= guardlo - ((uintptr_t)1 << 20) &&
	       addr < lo && addr + 65536 >= sp;
}

/*
 * sighandler runs on the alternate signal stack with every signal blocked.
 * info is a siginfo_t, ctx a ucontext_t (sys_linux.h).
 */
void
sighandler(int sig, void *info, void *ctx)
{
	struct g *gp = getg();
	uintptr_t addr = sigctxt_addr(info);
	struct printbuf pb;

	if (sig == KSIGSEGV && sigctxt_fault(info) /* a fault, not kill(2) */ &&
	    gp != NULL && gp != gp->m->g0 && isoverflow(gp, addr, sigctxt_sp(ctx))) {
		fatalbegin(&pb);
		pstr(&pb, "stack overflow on the main goroutine (its stack is ");
		psize(&pb, gp->stacksize);
		pstr(&pb, ")");
		if (initing.task != NULL)
			pinitfn(&pb);
		pstr(&pb, "; raise it with PKGRT_STACK, e.g. PKGRT_STACK=");
		psize(&pb, gp->stacksize * 2);
		fatalend(&pb);
	}
	if (initing.task != NULL) {
		fatalbegin(&pb);
		pstr(&pb, "signal ");
		pstr(&pb, signame(sig));
		pinitfn(&pb);
		pstr(&pb, " (addr=");
		phex(&pb, addr);
		pstr(&pb, " pc=");
		phex(&pb, sigctxt_pc(ctx));
		pstr(&pb, ")");
		pflush(&pb, 2);
	}
	/*
	 * Die of this signal, as without the runtime.  A fault (si_code > 0)
	 * happens again when the handler returns to the faulting instruction,
	 * now with the default action, and the core shows the real fault; a
	 * sent signal (abort, kill) is sent again, and delivered as soon as
	 * the handler returns and unblocks it.
	 */
	setsigdefault(sig);
	if (!sigctxt_fault(info))
		raisesig(sig);
}
