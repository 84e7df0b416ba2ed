/*
 * sys_linux_check.c - sys_linux.h's kernel ABI, checked against libc's
 * headers at compile time.  tests/e2e/rt_nolibc.sh compiles it for each
 * architecture (cc -fsyntax-only, aarch64-linux-gnu-gcc -fsyntax-only):
 * it compiles only if every number and offset agrees.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <ucontext.h>

#include "sys_linux.h"

#define SAME(a, b) _Static_assert((a) == (b), #a " == " #b)

SAME(NR_write, SYS_write);
SAME(NR_mmap, SYS_mmap);
SAME(NR_mprotect, SYS_mprotect);
SAME(NR_munmap, SYS_munmap);
SAME(NR_rt_sigaction, SYS_rt_sigaction);
SAME(NR_rt_sigprocmask, SYS_rt_sigprocmask);
SAME(NR_rt_sigreturn, SYS_rt_sigreturn);
SAME(NR_getpid, SYS_getpid);
SAME(NR_sigaltstack, SYS_sigaltstack);
SAME(NR_gettid, SYS_gettid);
SAME(NR_sched_getaffinity, SYS_sched_getaffinity);
SAME(NR_clock_gettime, SYS_clock_gettime);
SAME(NR_exit_group, SYS_exit_group);
SAME(NR_tgkill, SYS_tgkill);
SAME(NR_prlimit64, SYS_prlimit64);

SAME(KSIGILL, SIGILL);
SAME(KSIGABRT, SIGABRT);
SAME(KSIGBUS, SIGBUS);
SAME(KSIGFPE, SIGFPE);
SAME(KSIGSEGV, SIGSEGV);
SAME(KSA_SIGINFO, SA_SIGINFO);
SAME(KSA_ONSTACK, SA_ONSTACK);
SAME(KSA_RESTART, SA_RESTART);
SAME(KSA_NODEFER, SA_NODEFER);
SAME(KSA_RESETHAND, SA_RESETHAND);
SAME(KSIG_SETMASK, SIG_SETMASK);
SAME(KSS_DISABLE, SS_DISABLE);
SAME(KSI_USER, SI_USER);
SAME(KSI_KERNEL, SI_KERNEL);
SAME(KSI_QUEUE, SI_QUEUE);
SAME(KSI_TKILL, SI_TKILL);
SAME(KBUS_MCEERR_AO, BUS_MCEERR_AO);
SAME(KRLIMIT_DATA, RLIMIT_DATA);
SAME(KRLIMIT_STACK, RLIMIT_STACK);
SAME(KRLIMIT_AS, RLIMIT_AS);
SAME(KAT_NULL, AT_NULL);
SAME(KAT_PAGESZ, AT_PAGESZ);
SAME(KAT_MINSIGSTKSZ, AT_MINSIGSTKSZ);
SAME(KAT_EXECFN, AT_EXECFN);

SAME(offsetof(struct ksiginfo, signo), offsetof(siginfo_t, si_signo));
SAME(offsetof(struct ksiginfo, code), offsetof(siginfo_t, si_code));
SAME(offsetof(struct ksiginfo, u.addr), offsetof(siginfo_t, si_addr));
SAME(offsetof(struct ksiginfo, u.kill.pid), offsetof(siginfo_t, si_pid));
SAME(offsetof(struct ksiginfo, u.kill.uid), offsetof(siginfo_t, si_uid));
SAME(offsetof(struct kucontext, sigmask), offsetof(ucontext_t, uc_sigmask));
SAME(sizeof(struct kstack), sizeof(stack_t));
SAME(offsetof(struct kstack, size), offsetof(stack_t, ss_size));
SAME(offsetof(struct kucontext, stack), offsetof(ucontext_t, uc_stack));

#if defined(__x86_64__)
SAME(offsetof(struct kucontext, gregs[15]), offsetof(ucontext_t, uc_mcontext.gregs[REG_RSP]));
SAME(offsetof(struct kucontext, gregs[16]), offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]));
#elif defined(__aarch64__)
SAME(offsetof(struct kucontext, mcontext.sp), offsetof(ucontext_t, uc_mcontext.sp));
SAME(offsetof(struct kucontext, mcontext.pc), offsetof(ucontext_t, uc_mcontext.pc));
SAME(offsetof(struct kucontext, mcontext.fault_address),
     offsetof(ucontext_t, uc_mcontext.fault_address));
#endif
