/*
 * stack.c - goroutine stacks (Go: stack.go).
 *
 * Go's goroutine stacks start small and grow by copying, because the Go
 * compiler checks the stack bound in every function prologue.  C code does
 * not, so a goroutine stack here is fixed: the main goroutine gets a stack
 * at least as large as the C program's main thread would have had
 * (mainstacksize: PKGRT_STACK, else the RLIMIT_STACK soft limit), mapped
 * with mmap and reserved, not committed (MAP_NORESERVE: pages are only
 * backed when touched, as with the OS stack).  Below it is a guard region
 * with no access, STACKGUARD (1 MiB) wide, so that running off the end --
 * even with a frame of up to a megabyte -- faults at once instead of
 * writing over whatever is mapped below; the SIGSEGV handler (panic.c)
 * recognises a fault there, with the stack pointer at the bottom of the
 * stack, as a stack overflow.  Frames larger than the guard are only
 * caught in code built with -fstack-clash-protection, which touches each
 * page of a large frame in order.
 *
 *     hi  +------------------+
 *         |  g, root slots   |  (proc.c: newproc/malg)
 *         |        |         |
 *         |        v         |  grows down
 *     lo  +------------------+
 *         |   guard region   |  PROT_NONE, 1 MiB
 *   base  +------------------+
 *
 * When the program would have had more than a mapping can give -- an
 * unlimited RLIMIT_STACK, one above the 64G PKGRT_STACK allows, or one
 * the kernel will not reserve (a tight RLIMIT_AS, strict overcommit) --
 * the main goroutine runs on the OS stack instead (proc.c: newproc), which
 * then grows as the kernel lets it, exactly as without the runtime.
 */
#include "runtime.h"
#include "sys_linux.h"

#define PROT_NONE_  0x0
#define PROT_RW     0x3         /* PROT_READ|PROT_WRITE */
#define MAP_FLAGS   (0x02 | 0x20 | 0x4000 | 0x20000)
                    /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_STACK */

uintptr_t
round_page(uintptr_t n)
{
	uintptr_t ps = physPageSize ? physPageSize : 4096;

	return (n + ps - 1) & ~(ps - 1);
}

/*
 * stackalloc maps a stack of n bytes (rounded up to pages) with `guard`
 * bytes of inaccessible memory below it.  Returns {0, 0} if the kernel
 * refuses.
 */
struct stack
stackalloc(uintptr_t n, uintptr_t guard)
{
	struct stack s = {0, 0};
	char *base;

	n = round_page(n);
	guard = round_page(guard);
	if (n == 0 || n + guard < n)
		return s;
	base = sysMmap(NULL, n + guard, PROT_RW, MAP_FLAGS);
	if (base == NULL)
		return s;
	if (guard != 0 && sysMprotect(base, guard, PROT_NONE_) != 0) {
		sysMunmap(base, n + guard);
		return s;
	}
	s.lo = (uintptr_t)base + guard;
	s.hi = s.lo + n;
	return s;
}

void
stackfree(struct stack stk, uintptr_t guard)
{
	guard = round_page(guard);
	sysMunmap((void *)(stk.lo - guard), stk.hi - stk.lo + guard);
}

/* limited: the soft limit of resource is set (not unlimited). */
static int
limited(int resource)
{
	uint64_t soft = RLIM_UNLIMITED;

	return getrlimit1(resource, &soft) == 0 && soft != RLIM_UNLIMITED;
}

/*
 * mainstacksize: the size of the main goroutine's stack, and where it came
 * from (*why): "PKGRT_STACK", "RLIMIT_STACK", or "default" (8 MiB, when the
 * limit cannot be read).  0 means the main goroutine runs on the OS stack,
 * because the program would have had more than we can map: RLIMIT_STACK is
 * unlimited ("RLIMIT_STACK unlimited") or above MAXSTACK ("RLIMIT_STACK
 * above 64G"); or because a mapping would cost the program what its own
 * stack does not: a reserved mapping counts in full against RLIMIT_AS,
 * and a writable private one against RLIMIT_DATA, whereas the OS stack
 * only counts what it has grown to, so under either limit a mapping would
 * leave the program less room for its heap than it would have had
 * ("RLIMIT_AS set", "RLIMIT_DATA set").  A bad PKGRT_STACK is reported on
 * stderr and ignored; a good one is always tried.
 */
uintptr_t
mainstacksize(const char **why)
{
	const char *s = gogetenv("PKGRT_STACK");
	uintptr_t n = 0, def;
	uint64_t soft = 0;
	const char *defwhy;
	char buf[32];

	if (getrlimitstack(&soft) != 0) {
		def = (uintptr_t)8 << 20;
		defwhy = "default";
	} else if (soft == RLIM_UNLIMITED) {
		def = 0;
		defwhy = "RLIMIT_STACK unlimited";
	} else if (soft > MAXSTACK) {
		def = 0;
		defwhy = "RLIMIT_STACK above 64G";
	} else if (limited(KRLIMIT_AS)) {
		def = 0;
		defwhy = "RLIMIT_AS set";
	} else if (limited(KRLIMIT_DATA)) {
		def = 0;
		defwhy = "RLIMIT_DATA set";
	} else {
		def = round_page(soft < MINSTACK ? MINSTACK : (uintptr_t)soft);
		defwhy = "RLIMIT_STACK";
	}
	if (s != NULL) {
		int err = parsesize(s, &n);
		if (err == 0) {
			*why = "PKGRT_STACK";
			return round_page(n);
		}
		if (def != 0)
			buf[fmtsize(buf, def)] = '\0';
		warnenv("PKGRT_STACK", s,
		        err == 1 ? "not a size (want a number with an optional K, M or G suffix, e.g. 8M)"
		        : err == 2 ? "too small (minimum 16K)"
		                   : "too large (maximum 64G)",
		        def != 0 ? buf : "the OS stack");
	}
	*why = defwhy;
	return def;
}

/*
 * osstacklo: how far down the OS stack may grow, as the kernel counts it
 * (RLIMIT_STACK from the top of the stack mapping, which is just above
 * the program's file name, KAT_EXECFN, the highest string exec put
 * there); 0 if there is no limit or it cannot be known.  Rounded up a
 * page, so that a fault below the real limit is always below this.
 */
uintptr_t
osstacklo(void)
{
	uint64_t soft = 0;
	uintptr_t top, lo = 0;
	const char *p = (const char *)execfn;

	if (p != NULL && getrlimitstack(&soft) == 0 && soft != RLIM_UNLIMITED) {
		while (*p != '\0')
			p++;
		top = round_page((uintptr_t)p + 1 + sizeof(void *));
		if (soft < top)
			lo = top - (uintptr_t)soft + physPageSize;
	}
	return lo;
}
