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
 * start-up budget is 5% of a hello world's).  The hosted runtime takes
 * two things from libc, on purpose (proc.c): exit(3), which runs the
 * atexit handlers and flushes stdio, and, with glibc, `environ`, the
 * environment main is given.  The kernel's numbers and structures come
 * from sys_linux.h, not from libc's headers, so this file is the same for
 * both architectures and both builds.
 *
 * Here:
 *   args     argc, argv, envp and auxv, from the stack the kernel built;
 *            sysauxv reads the page size (KAT_PAGESZ) and the signal
 *            frame's size (KAT_MINSIGSTKSZ) from auxv
 *   osinit   the CPU count (affinity mask); checks that args found the
 *            page size (Go throws without it too)
 *   memory   mmap, mprotect, munmap
 *   signals  rt_sigaction with our own restorer, the dispositions the
 *            program had before us and forwarding to them (Go: fwdSig,
 *            sigfwdgo), sigaltstack, tgkill
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
uintptr_t minSigStackSize;
uintptr_t execfn;
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
		case KAT_MINSIGSTKSZ:
			minSigStackSize = av[1];
			break;
		case KAT_EXECFN:
			execfn = av[1];
			break;
		}
	}
}

/*
 * getproccount counts the CPUs this thread may run on: the bits set in its
 * affinity mask, which is what `taskset` and cgroups' cpusets change.
 * The system call returns how many bytes of the mask it wrote, or EINVAL
 * if our mask is smaller than the kernel's (nr_cpu_ids bits, which can be
 * more than 1024).  The first try is with 128 bytes on the stack, enough
 * for 1024 CPUs and so for nearly every machine; then with twice as much,
 * from mmap, up to 1 MiB (8M CPUs).  (Go asks once with 8 KiB, 64K CPUs.)
 */
int32_t
getproccount(void)
{
	uint64_t buf[MAXPROCS / 64];
	uint64_t *mask = buf;
	uintptr_t size = sizeof buf;
	long r;
	int32_t n = 0;

	r = syscall3(NR_sched_getaffinity, 0, size, mask);
	while (r == -22 /* EINVAL */ && size < ((uintptr_t)1 << 20)) {
		if (mask != buf)
			sysMunmap(mask, round_page(size));
		size *= 2;
		mask = sysAlloc(size);
		if (mask == NULL)
			break;
		r = syscall3(NR_sched_getaffinity, 0, size, mask);
	}
	for (long i = 0; mask != NULL && i < r / 8; i++) {
		uint64_t v = mask[i];
		while (v != 0) {
			v &= v - 1;     /* clear the lowest set bit */
			n++;
		}
	}
	if (mask != buf && mask != NULL)
		sysMunmap(mask, round_page(size));
	return n > 0 ? n : 1;
}

/*
 * osinit: the CPU count.  The page size was read by args (sysauxv); like
 * Go (mallocinit: "failed to get system page size"), a process without
 * one cannot go on: every stack and guard size is a multiple of it.
 */
void
osinit(void)
{
	ncpu = getproccount();
	if (physPageSize == 0 || (physPageSize & (physPageSize - 1)) != 0)
		throw("failed to get system page size (AT_PAGESZ missing from the auxiliary vector, or not a power of 2)");
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

/* getrlimit1: a soft limit (KRLIMIT_*), RLIM_UNLIMITED (all ones) if
 * unlimited; -1 if the kernel does not say. */
int
getrlimit1(int resource, uint64_t *soft)
{
	struct { uint64_t cur, max; } r;
	int err = -1;

	if (syscall4(NR_prlimit64, 0, resource, 0, &r) >= 0) {
		*soft = r.cur;
		err = 0;
	}
	return err;
}

/* getrlimitstack: the RLIMIT_STACK soft limit (getrlimit1). */
int
getrlimitstack(uint64_t *soft)
{
	return getrlimit1(KRLIMIT_STACK, soft);
}

/* ---- signals (Go: os_linux.go sigaction, signal_unix.go initsig,
 *      sigfwdgo, dieFromSignal) ------------------------------------------- */

static int
rt_sigaction(int sig, const struct ksigaction *new, struct ksigaction *old)
{
	return syscall4(NR_rt_sigaction, sig, new, old, 8) < 0 ? -1 : 0;
}

/*
 * The signals the runtime handles, and what each had before: the program's
 * handler (a constructor's, a preloaded library's, a sanitizer's), SIG_IGN
 * inherited from the parent, or SIG_DFL (Go: fwdSig).  Whatever is not the
 * runtime's own business is forwarded there (sigfwd), so the program sees
 * its signals as it would have without us.  SIGSEGV is handled for the
 * whole run: a stack overflow on the main goroutine arrives as a SIGSEGV
 * on its guard.  The others only while the init tasks run, to name the
 * init function that crashed; then initsigdone gives them back.
 */
static const int sigtable[] = { KSIGSEGV, KSIGBUS, KSIGFPE, KSIGILL, KSIGABRT };
#define NSIG_HANDLED (int)(sizeof sigtable / sizeof sigtable[0])
static struct ksigaction fwdsig[NSIG_HANDLED];

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
	sa.mask = ~(uint64_t)0;      /* block everything while deciding */
	for (int i = 0; i < NSIG_HANDLED; i++) {
		struct ksigaction old;

		if (rt_sigaction(sigtable[i], &sa, &old) != 0)
			old.handler = KSIG_DFL;
		if (old.handler != (void *)sigtramp)    /* not ours (a second initsig) */
			fwdsig[i] = old;
	}
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
			rt_sigaction(sigtable[i], &fwdsig[i], NULL);
	}
}

static void
setsigdefault(int sig)
{
	struct ksigaction sa = { KSIG_DFL, KSA_RESTORER, (void *)sigreturn__sigaction, 0 };

	rt_sigaction(sig, &sa, NULL);
}

/* raisesig sends sig to this thread (Go: raise). */
static void
raisesig(int sig)
{
	long pid = syscall3(NR_getpid, 0, 0, 0);
	long tid = syscall3(NR_gettid, 0, 0, 0);

	syscall3(NR_tgkill, pid, tid, sig);
}

/*
 * sigisfault: did the kernel raise sig because of the instruction that
 * was running (a synchronous fault, which happens again if the handler
 * returns to it)?  Not for a sent signal (si_code <= 0: kill, sigqueue,
 * tgkill, which raise(3) and abort(3) use), nor for the kernel's
 * asynchronous BUS_MCEERR_AO (memory found bad in the background).
 */
int
sigisfault(int sig, void *info)
{
	int code = ((struct ksiginfo *)info)->code;

	return code > 0 && sig != KSIGABRT && !(sig == KSIGBUS && code == KBUS_MCEERR_AO);
}

/* sigsender: the pid that sent a sent signal (si_code <= 0), else 0. */
int
sigsender(void *info)
{
	const struct ksiginfo *si = info;

	return si->code <= 0 ? si->u.kill.pid : 0;
}

/* sigselfsent: sent by this process (raise(3), abort(3)). */
int
sigselfsent(void *info)
{
	return sigsender(info) == (int)syscall3(NR_getpid, 0, 0, 0) &&
	       ((struct ksiginfo *)info)->code <= 0;
}

static int
sigindex(int sig)
{
	for (int i = 0; i < NSIG_HANDLED; i++)
		if (sigtable[i] == sig)
			return i;
	return -1;
}

/*
 * sigwouldkill: would the disposition the program had before us end the
 * process for this signal?  SIG_DFL does (for all five); so does SIG_IGN
 * for a fault, which the kernel does not let a process ignore (it resets
 * the action to SIG_DFL and delivers it).  A handler of the program's
 * decides for itself.
 */
int
sigwouldkill(int sig, void *info)
{
	int i = sigindex(sig);
	void *h = i < 0 ? KSIG_DFL : fwdsig[i].handler;

	return h == KSIG_DFL || (h == KSIG_IGN && sigisfault(sig, info));
}

/*
 * sigfwd hands a signal the runtime does not keep to the disposition the
 * program had before us, as the kernel would have delivered it (Go:
 * sigfwdgo, sigfwd, dieFromSignal):
 *
 *   SIG_DFL  die of it: the default action is set; a fault happens again
 *            when we return to the instruction, so the process dies at
 *            the real fault (and a core shows it); a sent signal is sent
 *            again and arrives when we return and the mask is restored;
 *   SIG_IGN  nothing, for a sent signal; a fault cannot be ignored (the
 *            kernel would have forced the default), so as SIG_DFL;
 *   handler  called on this stack with the signal mask the kernel would
 *            have set for it (the interrupted mask, plus its sa_mask, plus
 *            the signal itself unless SA_NODEFER), after resetting the
 *            action if it asked for SA_RESETHAND.  It may return, or leave
 *            with siglongjmp.
 */
void
sigfwd(int sig, void *info, void *ctx)
{
	int i = sigindex(sig);
	struct ksigaction fwd = { KSIG_DFL, 0, NULL, 0 };
	uint64_t mask;

	if (i >= 0)
		fwd = fwdsig[i];
	if (sigwouldkill(sig, info)) {
		setsigdefault(sig);
		if (!sigisfault(sig, info))
			raisesig(sig);
	} else if (fwd.handler != KSIG_IGN) {
		if (fwd.flags & KSA_RESETHAND) {
			setsigdefault(sig);
			fwdsig[i].handler = KSIG_DFL;
		}
		mask = KUC_SIGMASK((struct kucontext *)ctx) | fwd.mask;
		if (!(fwd.flags & KSA_NODEFER))
			mask |= (uint64_t)1 << (sig - 1);
		syscall4(NR_rt_sigprocmask, KSIG_SETMASK, &mask, NULL, 8);
		if (fwd.flags & KSA_SIGINFO)
			((void (*)(int, void *, void *))fwd.handler)(sig, info, ctx);
		else
			((void (*)(int))fwd.handler)(sig);
	}
	/* else SIG_IGN and sent: ignored, as the kernel would have */
}

/*
 * minitSignalStack gives this thread an alternate signal stack (Go:
 * m.gsignal), so that a handler can run when the goroutine's stack is the
 * thing that overflowed.  It must hold the kernel's signal frame, whose
 * size depends on the CPU's registers (KAT_MINSIGSTKSZ: 3 KiB with
 * AVX-512, 11 KiB with AMX; without it, the MINSIGSTKSZ of the ABI), and
 * our handler's frames on top of it (SIGHANDLER_STACK).  If the thread
 * already has one that large (the program's, or a sanitizer's), keep it;
 * otherwise install ours, Go's 32 KiB or more.
 */
#if defined(__aarch64__)
#define MINSIGSTKSZ_ABI 5120
#else
#define MINSIGSTKSZ_ABI 2048
#endif
#define SIGHANDLER_STACK ((uintptr_t)4 << 10)   /* sighandler: a printbuf, a few frames */

uintptr_t
sigstackneed(void)
{
	return (minSigStackSize > MINSIGSTKSZ_ABI ? minSigStackSize : MINSIGSTKSZ_ABI) + SIGHANDLER_STACK;
}

void
minitSignalStack(void)
{
	struct kstack ss, old;
	struct m *mp = getg()->m;
	uintptr_t need = sigstackneed();
	uintptr_t size = (uintptr_t)32 << 10;
	int keep = 0;

	mp->gsignalwhy = "ours";
	if (syscall3(NR_sigaltstack, NULL, &old, 0) == 0 && !(old.flags & KSS_DISABLE)) {
		mp->gsignal.lo = (uintptr_t)old.sp;
		mp->gsignal.hi = (uintptr_t)old.sp + old.size;
		keep = old.size >= need;
		mp->gsignalwhy = keep ? "the program's" : "ours: the program's was too small";
	}
	if (!keep) {
		if (size < need)
			size = round_page(need);
		mp->gsignal = stackalloc(size, physPageSize);
		if (mp->gsignal.lo == 0) {
			mp->gsignalwhy = "none: no memory";
		} else {
			ss.sp = (void *)mp->gsignal.lo;
			ss.flags = 0;
			ss.size = mp->gsignal.hi - mp->gsignal.lo;
			syscall3(NR_sigaltstack, &ss, NULL, 0);
		}
	}
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

/* sigctxt_addr: the faulting address of a fault (meaningless for a sent
 * signal, where the same bytes hold the sender's pid and uid). */
uintptr_t
sigctxt_addr(void *info)
{
	return (uintptr_t)((struct ksiginfo *)info)->u.addr;
}
