/*
 * os_linux.c - what the runtime asks of Linux (Go: os_linux.go, mem_linux.go,
 * the system-call half of signal_unix.go, sys_linux_amd64.s).
 *
 * Every system call the runtime makes is here, made directly with the
 * `syscall` instruction rather than through libc's wrappers.  Three
 * reasons: the runtime must not touch the user's errno or stdio; a no-libc
 * build will need exactly this file; and each libc function a program
 * imports costs a symbol lookup in the dynamic linker at start-up (about a
 * thousand instructions each: the runtime's whole start-up budget is 5% of
 * a hello world's).  The one libc call the runtime makes is exit(3), on
 * purpose: it runs the atexit handlers and flushes stdio.
 *
 * Here:
 *   args     argc, argv, envp and auxv, from the stack the kernel built
 *   osinit   the CPU count (affinity mask) and the page size (AT_PAGESZ)
 *   memory   mmap, mprotect, munmap
 *   signals  rt_sigaction with our own restorer, sigaltstack, tgkill
 *   misc     write, exit_group, clock_gettime, prlimit64
 */
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <elf.h>

#include "runtime.h"

/* ---- raw system calls (x86-64: number in rax, args in rdi rsi rdx r10 r8
 * r9; the kernel clobbers rcx and r11; result in rax, -errno on error) ---- */

static inline long
syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}
#define syscall3(n, a, b, c)    syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall4(n, a, b, c, d) syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

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

/* sysauxv reads the auxiliary vector: (type, value) pairs up to AT_NULL. */
void
sysauxv(uintptr_t *av)
{
	for (; av[0] != AT_NULL; av += 2) {
		switch (av[0]) {
		case AT_PAGESZ:
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

	r = syscall3(SYS_sched_getaffinity, 0, sizeof buf, buf);
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
	if (physPageSize == 0)          /* no AT_PAGESZ: never on Linux */
		physPageSize = 4096;
}

/* ---- memory (Go: mem_linux.go) ------------------------------------------ */

void *
sysMmap(void *addr, uintptr_t n, int prot, int flags)
{
	long r = syscall6(SYS_mmap, (long)addr, (long)n, prot, flags, -1, 0);
	if (r < 0 && r > -4096)
		return NULL;
	return (void *)r;
}

int
sysMprotect(void *addr, uintptr_t n, int prot)
{
	return syscall3(SYS_mprotect, addr, n, prot) < 0 ? -1 : 0;
}

int
sysMunmap(void *addr, uintptr_t n)
{
	return syscall3(SYS_munmap, addr, n, 0) < 0 ? -1 : 0;
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
		long r = syscall3(SYS_write, fd, s + done, n - done);
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
		syscall3(SYS_exit_group, code, 0, 0);
}

int64_t
nanotime(void)
{
	struct { long sec, nsec; } ts = {0, 0};

	syscall3(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts, 0);
	return (int64_t)ts.sec * 1000000000 + ts.nsec;
}

/* getrlimitstack: the RLIMIT_STACK soft limit; 0 if unlimited or unknown. */
int
getrlimitstack(uintptr_t *soft)
{
	struct { uint64_t cur, max; } r;

	if (syscall4(SYS_prlimit64, 0, 3 /* RLIMIT_STACK */, 0, &r) < 0)
		return -1;
	*soft = r.cur == ~(uint64_t)0 ? 0 : (uintptr_t)r.cur;
	return 0;
}

/* ---- signals (Go: os_linux.go sigaction, signal_unix.go initsig) -------- */

#define KSA_SIGINFO  0x00000004
#define KSA_ONSTACK  0x08000000
#define KSA_RESTART  0x10000000
#define KSA_RESTORER 0x04000000

/* The kernel's struct sigaction on x86-64 (not libc's: the mask is 8 bytes). */
struct sigactiont {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

static int
rt_sigaction(int sig, const struct sigactiont *new, struct sigactiont *old)
{
	return syscall4(SYS_rt_sigaction, sig, new, old, 8) < 0 ? -1 : 0;
}

/*
 * The signals the runtime handles.  SIGSEGV for the whole run: a stack
 * overflow on the main goroutine arrives as a SIGSEGV on its guard page.
 * The others only while the init tasks run, to name the init function that
 * crashed; then initsigdone gives them back their previous disposition.
 */
static const int sigtable[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define NSIG_HANDLED (int)(sizeof sigtable / sizeof sigtable[0])
static struct sigactiont sigsaved[NSIG_HANDLED];

static void
sigtramp(int sig, siginfo_t *info, void *ctx)
{
	sighandler(sig, info, ctx);
}

void
initsig(void)
{
	struct sigactiont sa;

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
	struct sigactiont cur;

	for (int i = 1; i < NSIG_HANDLED; i++) {
		if (rt_sigaction(sigtable[i], NULL, &cur) == 0 &&
		    cur.handler == (void *)sigtramp)
			rt_sigaction(sigtable[i], &sigsaved[i], NULL);
	}
}

void
setsigdefault(int sig)
{
	struct sigactiont sa = { 0, KSA_RESTORER, (void *)sigreturn__sigaction, 0 };

	rt_sigaction(sig, &sa, NULL);   /* SIG_DFL is 0 */
}

/* raisesig sends sig to this thread (Go: raise). */
void
raisesig(int sig)
{
	long pid = syscall3(SYS_getpid, 0, 0, 0);
	long tid = syscall3(SYS_gettid, 0, 0, 0);

	syscall3(SYS_tgkill, pid, tid, sig);
}

/*
 * minitSignalStack gives this thread an alternate signal stack (Go:
 * m.gsignal), so that a handler can run when the goroutine's stack is the
 * thing that overflowed.  If the thread already has one, keep it.
 */
void
minitSignalStack(void)
{
	struct { void *sp; int flags; uintptr_t size; } ss, old;
	struct m *mp = getg()->m;

	if (syscall3(SYS_sigaltstack, NULL, &old, 0) == 0 && !(old.flags & 2 /* SS_DISABLE */))
		return;
	mp->gsignal = stackalloc(32 << 10, physPageSize);
	if (mp->gsignal.lo == 0)
		return;
	ss.sp = (void *)mp->gsignal.lo;
	ss.flags = 0;
	ss.size = mp->gsignal.hi - mp->gsignal.lo;
	syscall3(SYS_sigaltstack, &ss, NULL, 0);
}

/* The interrupted registers, from the context the kernel passes a handler
 * (Go: sigctxt in signal_linux_amd64.go). */
uintptr_t
sigctxt_sp(void *ctx)
{
	return (uintptr_t)((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RSP];
}

uintptr_t
sigctxt_pc(void *ctx)
{
	return (uintptr_t)((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RIP];
}
