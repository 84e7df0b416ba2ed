/*
 * stack.c - goroutine stacks (Go: stack.go).
 *
 * Go's goroutine stacks start small and grow by copying, because the Go
 * compiler checks the stack bound in every function prologue.  C code does
 * not, so a goroutine stack here is fixed: the main goroutine gets a stack
 * as large as a C program's main thread would have (PKGRT_STACK, else the
 * RLIMIT_STACK soft limit, else 8 MiB), mapped with mmap and reserved, not
 * committed (MAP_NORESERVE: pages are only backed when touched, as with the
 * OS stack).  Below it is a guard page with no access, so running off the
 * end faults at once instead of writing over whatever is mapped below; the
 * SIGSEGV handler (panic.c) recognises a fault there as a stack overflow.
 *
 *     hi  +------------------+
 *         |  g, root slots   |  (proc.c: newproc/malg)
 *         |        |         |
 *         |        v         |  grows down
 *     lo  +------------------+
 *         |   guard page     |  PROT_NONE
 *   base  +------------------+
 */
#include "runtime.h"

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

/*
 * mainstacksize: the size of the main goroutine's stack and where it came
 * from ("PKGRT_STACK", "RLIMIT_STACK" or "default").  A bad PKGRT_STACK is
 * reported on stderr and ignored.
 */
uintptr_t
mainstacksize(const char **why)
{
	const char *s = gogetenv("PKGRT_STACK");
	uintptr_t n = 0, soft = 0, def;
	const char *defwhy;
	char buf[32];

	if (getrlimitstack(&soft) == 0 && soft != 0) {
		def = round_page(soft < MINSTACK ? MINSTACK : soft);
		defwhy = "RLIMIT_STACK";
	} else {
		def = (uintptr_t)8 << 20;
		defwhy = "default";
	}
	if (s != NULL) {
		int err = parsesize(s, &n);
		if (err == 0) {
			*why = "PKGRT_STACK";
			return round_page(n);
		}
		buf[fmtsize(buf, def)] = '\0';
		warnenv("PKGRT_STACK", s,
		        err == 1 ? "not a size (want a number with an optional K, M or G suffix, e.g. 8M)"
		        : err == 2 ? "too small (minimum 16K)"
		                   : "too large (maximum 64G)",
		        buf);
	}
	*why = defwhy;
	return def;
}
