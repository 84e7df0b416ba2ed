/*
 * sys_linux.h - the Linux kernel ABI the runtime uses, for x86-64 and arm64
 * (Go: defs_linux_amd64.go, defs_linux_arm64.go, sys_linux_*.s).
 *
 * Everything the runtime needs to know about the kernel is here, in one
 * place, written out rather than taken from libc's headers: the system call
 * numbers, the raw system call instruction, and the layouts of the
 * structures the kernel hands to a signal handler.  So the same sources
 * build against glibc, musl, or no libc at all (-DPKGRT_NOLIBC
 * -ffreestanding -nostdlib), and for either architecture.
 *
 * The names carry a prefix (NR_, KSIG, KAT_, KSA_) so that a file may also
 * include libc's <signal.h> or <sys/syscall.h> without a clash; the runtime
 * tests compare every value here with libc's, on both architectures
 * (tests/e2e/rt_nolibc.sh).
 *
 * Included by os_linux.c, panic.c and stack.c, and by the sys_linux_*.S
 * files (the numbers only).
 */
#ifndef PKGRT_SYS_LINUX_H
#define PKGRT_SYS_LINUX_H

/* ---- system call numbers ------------------------------------------------ */

#if defined(__x86_64__)
/* arch/x86/entry/syscalls/syscall_64.tbl */
#define NR_write              1
#define NR_mmap               9
#define NR_mprotect          10
#define NR_munmap            11
#define NR_rt_sigaction      13
#define NR_rt_sigprocmask    14
#define NR_rt_sigreturn      15
#define NR_getpid            39
#define NR_sigaltstack      131
#define NR_gettid           186
#define NR_sched_getaffinity 204
#define NR_clock_gettime    228
#define NR_exit_group       231
#define NR_tgkill           234
#define NR_prlimit64        302
#elif defined(__aarch64__)
/* include/uapi/asm-generic/unistd.h: arm64 has the generic table */
#define NR_sched_getaffinity 123
#define NR_write             64
#define NR_exit_group        94
#define NR_clock_gettime    113
#define NR_tgkill           131
#define NR_sigaltstack      132
#define NR_rt_sigaction     134
#define NR_rt_sigprocmask   135
#define NR_rt_sigreturn     139
#define NR_getpid           172
#define NR_gettid           178
#define NR_munmap           215
#define NR_mmap             222
#define NR_mprotect         226
#define NR_prlimit64        261
#else
#error "pkgrt: unsupported architecture (x86-64 and arm64 only)"
#endif

#ifndef __ASSEMBLER__

#include <stdint.h>

/* ---- the system call instruction ----------------------------------------- */

/*
 * syscall6: a system call with up to six arguments; the result, or -errno
 * (-4095..-1) on error.  Nothing else is touched: no errno, no libc.
 */
#if defined(__x86_64__)
/* number in rax, arguments in rdi rsi rdx r10 r8 r9; the kernel clobbers
 * rcx (return address) and r11 (flags); the result comes back in rax. */
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
#elif defined(__aarch64__)
/* number in x8, arguments in x0-x5, `svc #0`; the result comes back in x0;
 * nothing else is clobbered. */
static inline long
syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a1;
	register long x1 __asm__("x1") = a2;
	register long x2 __asm__("x2") = a3;
	register long x3 __asm__("x3") = a4;
	register long x4 __asm__("x4") = a5;
	register long x5 __asm__("x5") = a6;
	__asm__ volatile("svc #0"
	                 : "+r"(x0)
	                 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
	                 : "memory");
	return x0;
}
#endif
#define syscall3(n, a, b, c)    syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall4(n, a, b, c, d) syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* ---- signals --------------------------------------------------------------- */

/* The same numbers on both architectures (asm-generic and x86 agree). */
#define KSIGILL   4
#define KSIGABRT  6
#define KSIGBUS   7
#define KSIGFPE   8
#define KSIGSEGV 11

#define KSIG_DFL     ((void *)0)        /* the default action */
#define KSIG_IGN     ((void *)1)        /* ignore */
#define KSIG_SETMASK 2                  /* rt_sigprocmask: set the mask */

#define KSA_SIGINFO   0x00000004
#define KSA_RESTORER  0x04000000
#define KSA_ONSTACK   0x08000000
#define KSA_RESTART   0x10000000
#define KSA_NODEFER   0x40000000
#define KSA_RESETHAND 0x80000000
#define KSS_DISABLE   2

/* si_code values (include/uapi/asm-generic/siginfo.h).  Positive codes
 * are the kernel's; SI_KERNEL (0x80) is a fault too (a general protection
 * fault is a SIGSEGV with SI_KERNEL).  Zero and negative ones are sent by
 * a process: kill(2), sigqueue(3), tgkill(2) (raise and abort use it). */
#define KSI_USER         0
#define KSI_KERNEL    0x80
#define KSI_QUEUE       -1
#define KSI_TKILL       -6
#define KBUS_MCEERR_AO   5      /* a memory error found in the background:
                                 * sent by the kernel, but asynchronous */

/* The kernel's struct sigaction (both: handler, flags, restorer, mask;
 * not libc's, whose mask is 128 bytes).  The mask is 8 bytes. */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* stack_t, for sigaltstack and in the ucontext. */
struct kstack {
	void *sp;
	int flags;
	unsigned long size;
};

/* The start of siginfo_t (the same on both): after the three ints,
 * 8-aligned, a union: the faulting address of a fault, or the sender's
 * pid and uid of a sent signal. */
struct ksiginfo {
	int signo;
	int errno_;
	int code;               /* > 0: the kernel sent it (KSI_*) */
	union {
		void *addr;     /* a fault (SIGSEGV, SIGBUS, ...): the address */
		struct {
			int pid;        /* a sent signal (code <= 0): the sender */
			unsigned int uid;
		} kill;
	} u;
};

/* The start of the ucontext the kernel passes a SA_SIGINFO handler, up to
 * the interrupted stack pointer and pc. */
#if defined(__x86_64__)
struct kucontext {
	unsigned long flags;
	void *link;
	struct kstack stack;
	uint64_t gregs[23];     /* struct sigcontext: r8 ... r15, rdi, rsi, rbp,
	                         * rbx, rdx, rax, rcx, rsp (15), rip (16), ... */
	void *fpstate;          /* the rest of struct sigcontext (256 bytes) */
	uint64_t reserved1[8];
	uint64_t sigmask;       /* the interrupted code's signal mask */
};
#define KUC_SP(uc) ((uc)->gregs[15])
#define KUC_PC(uc) ((uc)->gregs[16])
#define KUC_SIGMASK(uc) ((uc)->sigmask)
#elif defined(__aarch64__)
struct kucontext {
	unsigned long flags;
	void *link;
	struct kstack stack;
	uint64_t sigmask;
	uint8_t unused_[1024 / 8 - 8];   /* room for a larger sigset_t */
	struct {                         /* struct sigcontext, 16-aligned */
		_Alignas(16) uint64_t fault_address;
		uint64_t regs[31];       /* x0-x30 */
		uint64_t sp;
		uint64_t pc;
		uint64_t pstate;
	} mcontext;
};
#define KUC_SP(uc) ((uc)->mcontext.sp)
#define KUC_PC(uc) ((uc)->mcontext.pc)
#define KUC_SIGMASK(uc) ((uc)->sigmask)
#endif

/* ---- resource limits (prlimit64) --------------------------------------------- */

#define KRLIMIT_DATA   2
#define KRLIMIT_STACK  3
#define KRLIMIT_AS     9

/* ---- the auxiliary vector ---------------------------------------------------- */

#define KAT_NULL         0
#define KAT_PAGESZ       6
#define KAT_EXECFN      31      /* the program's file name, the highest string on the stack */
#define KAT_MINSIGSTKSZ 51      /* the signal frame's size on this CPU (Linux 5.14+) */

#endif /* !__ASSEMBLER__ */
#endif /* PKGRT_SYS_LINUX_H */
