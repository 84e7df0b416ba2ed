/*
 * os_linux.c - what the runtime asks of Linux (Go: os_linux.go, mem_linux.go,
 * the system-call half of signal_unix.go, sys_linux_amd64.s).
 *
 * Every system call the runtime makes is here, made directly with the
 * system call instruction (sys_linux.h: `syscall` on x86-64, `svc #0` on
 * arm64) rather than through libc's wrappers.  Three reasons: the runtime
 * must not touch the user's errno or stdio; the freestanding build
 * (-DPKGRT_NOLIBC, libpkgrt-nolibc.a) has no libc to call; and each libc
 * function a program imports costs a symbol lookup in the dynamic linker at
 * start-up (about a thousand instructions each: the runtime's whole
 * start-up budget is 5% of a hello world's).  The one libc call the hosted
 * runtime makes is exit(3), on purpose (proc.c): it runs the atexit
 * handlers and flushes stdio.  The kernel's numbers and structures come
 * from sys_linux.h, not from libc's headers, so this file is the same for
 * both architectures and both builds.
 *
 * Here:
 *   args     argc, argv, envp and auxv, from the stack the kernel built
 *   osinit   the CPU count (affinity mask) and the page size (KAT_PAGESZ)
 *   memory   mmap, mprotect, munmap
 *   signals  rt_sigaction with our own restorer, sigaltstack, tgkill
 *   misc     write, exit_group, clock_gettime, prlimit64; pkgrt_write and
 *            pkgrt_exit, the freestanding program's output and exit
 */
#include "runtime.h"
#include "sys_linux.h"

/* ---- args (Go: runtime1.go args, os_linux.go sysargs/sysauxv) ---------- */

int32_t argc;
char **argv;
char **envs;
uintptr_t *auxv;
char **mainenvp;
int argsource;
int envsread;
uintptr_t physPageSize;
int32_t ncpu;

/*
 * args records argc, argv, envp and auxv.  If _rt0_amd64_linux was the
 * entry point, they come from the stack it recorded, as in Go's rt0_go:
 * argc at 0(sp), argv at 8(sp), envp after argv's NULL, auxv after envp's
 * NULL.  Otherwise (the program was linked without -e) from main's
 * arguments, which libc took from the same place.
 */
void
args(int c, char **v, char **e)
{
	char **p;

	mainenvp = e;
	if (rt0sp != 0 && *(long *)rt0sp == c && (char **)(rt0sp + 8) == v) {
		argc = (int32_t)*(long *)rt0sp;
		argv = (char **)(rt0sp + 8);
		argsource = 1;
	} else {
		argc = c;
		argv = v;
		argsource = 0;
	}
	envs = argv + argc + 1;
	for (p = envs; *p != NULL; p++)
		if ((*p)[0] == 'P')     /* maybe PKGRT_...: see runtime1.c */
			goenv1(*p, 0);
	envsread = 1;
	auxv = (uintptr_t *)(p + 1);
	sysauxv(auxv);
}

/* os.Args for C: what args recorded, for init functions and main alike. */
__attribute__((visibility("default"))) int pkgrt_argc(void) { return argc; }
__attribute__((visibility("default"))) char **pkgrt_argv(void) { return argv; }

/* sysauxv reads the auxiliary vector: (type, value) pairs up to KAT_NULL. */
void
sysauxv(uintptr_t *av)
{
	for (; av[0] != KAT_NULL; av += 2) {
		switch (av[0]) {
		case KAT_PAGESZ:
			physPageSize = av[1];
			break;
		}
	}
}

/*
 * getproccount counts the CPUs this thread may run on: the bits set in its
 * affinity mask, which is what `taskset` and cgroups' cpusets change.
 * The system call returns how many bytes of the mask it wrote.
 */
int32_t
getproccount(void)
{
	uint64_t buf[MAXPROCS / 64];
	long r;
	int32_t n = 0;

	r = syscall3(NR_sched_getaffinity, 0, sizeof buf, buf);
	if (r < 0)
		return 1;
	for (long i = 0; i < r / 8; i++) {
		uint64_t v = buf[i];
		while (v != 0) {
			v &= v - 1;     /* clear the lowest set bit */
			n++;
		}
	}
	return n > 0 ? n : 1;
}

void
osinit(void)
{
	ncpu = getproccount();
	if (physPageSize == 0)          /* no KAT_PAGESZ: never on Linux */
		physPageSize = 4096;
}

/* ---- memory (Go: mem_linux.go) ------------------------------------------ */

void *
sysMmap(void *addr, uintptr_t n, int prot, int flags)
{
	long r = syscall6(NR_mmap, (long)addr, (long)n, prot, flags, -1, 0);
	if (r < 0 && r > -4096)
		return NULL;
	return (void *)r;
}

int
sysMprotect(void *addr, uintptr_t n, int prot)
{
	return syscall3(NR_mprotect, addr, n, prot) < 0 ? -1 : 0;
}

int
sysMunmap(void *addr, uintptr_t n)
{
	return syscall3(NR_munmap, addr, n, 0) < 0 ? -1 : 0;
}

/* sysAlloc: zeroed memory straight from the kernel (the runtime has no heap). */
void *
sysAlloc(uintptr_t n)
{
	return sysMmap(NULL, round_page(n), 0x1 | 0x2 /* PROT_READ|PROT_WRITE */,
	               0x02 | 0x20 /* MAP_PRIVATE|MAP_ANONYMOUS */);
}

/* ---- misc ----------------------------------------------------------------- */

long
write1(int fd, const void *p, uintptr_t n)
{
	const char *s = p;
	uintptr_t done = 0;

	while (done < n) {
		long r = syscall3(NR_write, fd, s + done, n - done);
		if (r == -4 /* EINTR */)
			continue;
		if (r <= 0)
			return done > 0 ? (long)done : r;
		done += (uintptr_t)r;
	}
	return (long)done;
}

/* exit2: end the process now, without atexit handlers (Go: exit). */
void
exit2(int code)
{
	for (;;)
		syscall3(NR_exit_group, code, 0, 0);
}

/* The freestanding program's output and exit (pkgrt.h); in a hosted
 * program they work too, and bypass stdio and the atexit handlers. */
__attribute__((visibility("default"))) long
pkgrt_write(int fd, const void *buf, unsigned long len)
{
	return write1(fd, buf, len);
}

__attribute__((visibility("default"))) void
pkgrt_exit(int status)
{
	exit2(status);
}

int64_t
nanotime(void)
{
	struct { long sec, nsec; } ts = {0, 0};

	syscall3(NR_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts, 0);
	return (int64_t)ts.sec * 1000000000 + ts.nsec;
}

/* getrlimitstack: the RLIMIT_STACK soft limit; 0 if unlimited or unknown. */
int
getrlimitstack(uintptr_t *soft)
{
	struct { uint64_t cur, max; } r;

	if (syscall4(NR_prlimit64, 0, 3 /* RLIMIT_STACK */, 0, &r) < 0)
		return -1;
	*soft = r.cur == ~(uint64_t)0 ? 0 : (uintptr_t)r.cur;
	return 0;
}

/* ---- signals (Go: os_linux.go sigaction, signal_unix.go initsig) -------- */

static int
rt_sigaction(int sig, const struct ksigaction *new, struct ksigaction *old)
{
	return syscall4(NR_rt_sigaction, sig, new, old, 8) < 0 ? -1 : 0;
}

/*
 * The signals the runtime handles.  SIGSEGV for the whole run: a stack
 * overflow on the main goroutine arrives as a SIGSEGV on its guard page.
 * The others only while the init tasks run, to name the init function that
 * crashed; then initsigdone gives them back their previous disposition.
 */
static const int sigtable[] = { KSIGSEGV, KSIGBUS, KSIGFPE, KSIGILL, KSIGABRT };
#define NSIG_HANDLED (int)(sizeof sigtable / sizeof sigtable[0])
static struct ksigaction sigsaved[NSIG_HANDLED];

static void
sigtramp(int sig, void *info, void *ctx)
{
	sighandler(sig, info, ctx);
}

void
initsig(void)
{
	struct ksigaction sa;

	sa.handler = (void *)sigtramp;
	sa.flags = KSA_SIGINFO | KSA_ONSTACK | KSA_RESTART | KSA_RESTORER;
	sa.restorer = (void *)sigreturn__sigaction;
	sa.mask = ~(uint64_t)0;      /* block everything while handling */
	for (int i = 0; i < NSIG_HANDLED; i++)
		rt_sigaction(sigtable[i], &sa, &sigsaved[i]);
}

/* initsigdone: the init tasks are done; give back all but SIGSEGV, unless
 * an init function installed its own handler meanwhile. */
void
initsigdone(void)
{
	struct ksigaction cur;

	for (int i = 1; i < NSIG_HANDLED; i++) {
		if (rt_sigaction(sigtable[i], NULL, &cur) == 0 &&
		    cur.handler == (void *)sigtramp)
			rt_sigaction(sigtable[i], &sigsaved[i], NULL);
	}
}

void
setsigdefault(int sig)
{
	struct ksigaction sa = { 0, KSA_RESTORER, (void *)sigreturn__sigaction, 0 };

	rt_sigaction(sig, &sa, NULL);   /* SIG_DFL is 0 */
}

/* raisesig sends sig to this thread (Go: raise). */
void
raisesig(int sig)
{
	long pid = syscall3(NR_getpid, 0, 0, 0);
	long tid = syscall3(NR_gettid, 0, 0, 0);

	syscall3(NR_tgkill, pid, tid, sig);
}

/*
 * minitSignalStack gives this thread an alternate signal stack (Go:
 * m.gsignal), so that a handler can run when the goroutine's stack is the
 * thing that overflowed.  If the thread already has one, keep it.
 */
void
minitSignalStack(void)
{
	struct kstack ss, old;
	struct m *mp = getg()->m;

	if (syscall3(NR_sigaltstack, NULL, &old, 0) == 0 && !(old.flags & KSS_DISABLE))
		return;
	mp->gsignal = stackalloc(32 << 10, physPageSize);
	if (mp->gsignal.lo == 0)
		return;
	ss.sp = (void *)mp->gsignal.lo;
	ss.flags = 0;
	ss.size = mp->gsignal.hi - mp->gsignal.lo;
	syscall3(NR_sigaltstack, &ss, NULL, 0);
}

/* The interrupted registers, from the context the kernel passes a handler
 * (Go: sigctxt in signal_linux_amd64.go, signal_linux_arm64.go). */
uintptr_t
sigctxt_sp(void *ctx)
{
	return (uintptr_t)KUC_SP((struct kucontext *)ctx);
}

uintptr_t
sigctxt_pc(void *ctx)
{
	return (uintptr_t)KUC_PC((struct kucontext *)ctx);
}

/* sigctxt_addr: the faulting address of a SIGSEGV or SIGBUS; and whether
 * the kernel sent the signal (a fault) rather than kill(2) or raise(3). */
uintptr_t
sigctxt_addr(void *info)
{
	return (uintptr_t)((struct ksiginfo *)info)->addr;
}

int
sigctxt_fault(void *info)
{
	return ((struct ksiginfo *)info)->code > 0;
}
