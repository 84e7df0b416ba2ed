/*
 * runtime.h - libpkgrt's internal declarations (Go: runtime2.go, stubs.go).
 *
 * The words are Go's:
 *
 *   G   a goroutine: a stack and the registers saved when it is not running
 *       (its gobuf, g->sched).  g1 is the main goroutine: the init tasks and
 *       the user's main run on it.
 *   M   a machine: an OS thread.  We only have m0, the process's first thread;
 *       threads the program starts are not Ms (their g is NULL).
 *   P   a processor: what an M needs to run Go code.  We size the P array like
 *       Go does (PKGRT_MAXPROCS, else the CPU count) but run on one.
 *   g0  the M's scheduling goroutine, running on the OS thread's own stack.
 *       The start-up code (args, osinit, schedinit, newproc, mstart, schedule)
 *       runs on g0, then gogo switches to g1.
 *   m0  the first M, a static variable, like g0.
 *
 * Names.  The C code below says `schedinit`, `newproc`, `gogo`... like Go's
 * source, but a static archive's symbols share one namespace with the user's
 * program, and hidden visibility does not help there (it only hides from the
 * dynamic symbol table).  So every internal symbol is given Go's own symbol
 * name with GONAME: `schedinit` is the ELF symbol `runtime.schedinit`, which
 * no C program can define, and which is what a debugger shows for a Go
 * binary too.  The exported symbols are `_rt0_amd64_linux` (arm64:
 * `_rt0_arm64_linux`), `__wrap_main` (hosted) and `pkgrt_*`.
 *
 * This header is included by the assembly files too (the offsets at the end:
 * Go generates go_asm.h for that).
 */
#ifndef PKGRT_RUNTIME_H
#define PKGRT_RUNTIME_H

/* The architecture: amd64 (x86-64) or arm64 (AArch64), Go's names. */
#if defined(__aarch64__)
#define GOARCH       "arm64"
#define RT0_FINIREG  "x0"       /* where the entry point gets rtld's fini */
#define PCQUANTUM    4          /* instruction size (Go: sys.PCQuantum) */
#elif defined(__x86_64__)
#define GOARCH       "amd64"
#define RT0_FINIREG  "rdx"
#define PCQUANTUM    1
#else
#error "pkgrt: unsupported architecture (x86-64 and arm64 only)"
#endif
#define RT0_ENTRY "_rt0_" GOARCH "_linux"

/* Offsets of struct gobuf, struct g and struct m fields, for assembly.
 * proc.c checks them against the structures with _Static_assert. */
#define gobuf_sp   0
#define gobuf_pc   8
#define gobuf_g    16
#define gobuf_ret  24
#define gobuf_bp   32           /* rbp; x29 (fp) on arm64 */
#if defined(__aarch64__)
#define gobuf_lr   40           /* x30 */
#define gobuf_x19  48           /* x19 ... x28: 48 + 8 * (n - 19) */
#define gobuf_d8   128          /* d8 ... d15: 128 + 8 * (n - 8) */
#define gobuf__size 192
#else
#define gobuf_bx   40
#define gobuf_r12  48
#define gobuf_r13  56
#define gobuf_r14  64
#define gobuf_r15  72
#define gobuf__size 80
#endif

#define g_stack_lo 0
#define g_stack_hi 8
#define g_sched    16
#define g_m        (g_sched + gobuf__size)

#define m_g0       0
#define m_curg     8

/* Slots newproc plants at the top of a new goroutine's stack (offsets down
 * from stack.hi); runtime.goexit's unwind information reads the first.
 * On amd64 fn's return address is on the stack, on arm64 in lr (x30). */
#define goroot_g0sched 16       /* &m->g0->sched: where g0 was when it left */
#define goroot_retpc   24       /* amd64: goexit+1, fn's return address */

#ifdef __ASSEMBLER__
/* An 8-byte hidden global variable, zeroed (put it in .bss). */
#define ASM_BSS_WORD(name) \
	.globl name; .hidden name; .type name, %object; .size name, 8; name: .zero 8
#else

#include <stddef.h>
#include <stdint.h>

#include "pkgrt.h"

#define HIDDEN       __attribute__((visibility("hidden")))
#define NORETURN     __attribute__((noreturn))
#define GONAME(name) __asm__("runtime." name) HIDDEN

/* ---- the scheduler's structures (Go: runtime2.go) --------------------- */

/* Stack bounds: [lo, hi).  The stack grows down from hi. */
struct stack {
	uintptr_t lo;
	uintptr_t hi;
};

/*
 * A gobuf is a stopped goroutine's registers: what gogo loads to continue
 * it.  Go's has sp, pc, g, ctxt, ret, lr and bp; Go's ABI has no callee-
 * saved registers, but C's does, so ours also keeps the rest of them:
 * rbx and r12-r15 on amd64; x19-x28 and d8-d15 on arm64 (AAPCS64).
 */
struct gobuf {
	uintptr_t sp;           /* stack pointer */
	uintptr_t pc;           /* where to continue */
	struct g *g;            /* the goroutine this belongs to */
	uintptr_t ret;          /* rax / x0 when it continues: gosave's result */
	uintptr_t bp;           /* frame pointer: rbp / x29 */
#if defined(__aarch64__)
	uintptr_t lr;           /* x30 when it continues: for a new goroutine,
	                         * its function's return address (goexit+4) */
	uintptr_t x[10];        /* x19-x28 */
	uint64_t d[8];          /* d8-d15 (the low 64 bits of v8-v15) */
#else
	uintptr_t bx, r12, r13, r14, r15;  /* the other callee-saved registers */
#endif
};

/* Goroutine status (Go: _Gidle, _Grunnable, ...). */
enum {
	Gidle = 0,              /* just allocated */
	Grunnable = 1,          /* on a run queue, not running */
	Grunning = 2,           /* running user code, has an M and a P */
	Gdead = 6,              /* finished */
};

struct m;

struct g {
	struct stack stack;     /* its stack, [lo, hi) */
	struct gobuf sched;     /* its registers while it is not running */
	struct m *m;            /* the M running it */
	int64_t goid;           /* 0 for g0, 1 for the main goroutine */
	uint32_t atomicstatus;  /* G* */
	uintptr_t startpc;      /* the function it was created to run */
	uintptr_t guard;        /* bytes of guard below stack.lo (0: none known) */
	uintptr_t stacksize;    /* its size, for messages */
	int onosstack;          /* runs on the OS stack, not on a mapping of ours
	                         * (newproc's fallback; stack.hi is set by execute) */
	void *racectx;          /* TSan's fiber for it (Go: g.racectx), or NULL */
};

struct p {
	int32_t id;
	uint32_t status;        /* Pidle or Prunning */
	struct m *m;            /* the M it is attached to */
	struct g *runnext;      /* the next goroutine to run (Go: p.runnext) */
};

enum { Pidle = 0, Prunning = 1 };

struct m {
	struct g *g0;           /* the scheduling goroutine, on the OS stack */
	struct g *curg;         /* the user goroutine running now, or NULL */
	struct p *p;            /* the attached P */
	int64_t id;
	struct stack gsignal;   /* the alternate signal stack (Go: m.gsignal) */
	const char *gsignalwhy; /* whose it is, for starttrace */
};

/* Go: schedt, the global scheduler state. */
struct schedt {
	int64_t goidgen;        /* last goroutine id handed out */
};

/* The debug variables from PKGRT_DEBUG (Go: runtime1.go's debug). */
struct dbgvars {
	int32_t inittrace;
	int32_t starttrace;
};

/* Go's tracestat for inittrace, reduced to what we measure. */
struct tracestat {
	int active;
};

/* A line of output being built (trace.c). */
struct printbuf {
	int n;
	char b[480];
};

/* ---- global state ------------------------------------------------------ */

extern struct m m0 GONAME("m0");
extern struct g g0 GONAME("g0");
extern struct schedt sched GONAME("sched");
extern struct p *allp GONAME("allp");
extern int32_t gomaxprocs GONAME("gomaxprocs");
extern int32_t ncpu GONAME("ncpu");
extern uintptr_t physPageSize GONAME("physPageSize");
extern uintptr_t minSigStackSize GONAME("minSigStackSize");  /* KAT_MINSIGSTKSZ or 0 */
extern uintptr_t execfn GONAME("execfn");   /* KAT_EXECFN: near the OS stack's top */
extern struct dbgvars debug GONAME("debug");
extern struct tracestat inittrace GONAME("inittrace");
extern int64_t runtimeInitTime GONAME("runtimeInitTime");

/* What args found. */
extern int32_t argc GONAME("argc");
extern char **argv GONAME("argv");
extern char **envs GONAME("envs");
extern uintptr_t *auxv GONAME("auxv");
extern char **mainenvp GONAME("mainenvp");  /* the envp libc passed to main */
extern int argsource GONAME("argsource");   /* 1: from the entry stack */

/* Recorded by _rt0_amd64_linux / _rt0_arm64_linux (rt0_linux_*.S): the
 * entry stack pointer, and rdx / x0, the dynamic linker's fini function. */
extern uintptr_t rt0sp GONAME("rt0sp");
extern uintptr_t rt0fini GONAME("rt0fini");

/*
 * The current goroutine, per thread (Go keeps it in TLS, and in R14 on
 * amd64): &g0 or g1 on the main thread, NULL on any thread the program
 * starts, so that a signal handler can tell whose fault it is.  The
 * local-exec model: the runtime is always linked into the executable,
 * where the variable's offset from the thread pointer (%fs, tpidr_el0) is
 * known at link time; asm_*.S reach it the same way.  Without libc there
 * is no thread pointer and no threads: a plain variable.
 */
#ifdef PKGRT_NOLIBC
#define PKGRT_TLS
#else
#define PKGRT_TLS __thread __attribute__((tls_model("local-exec")))
#endif
extern PKGRT_TLS struct g *tlsg GONAME("tlsg");
static inline struct g *getg(void) { return tlsg; }

/* The stack pointer of the caller (for starttrace). */
static inline uintptr_t
getsp(void)
{
	uintptr_t sp;
#if defined(__aarch64__)
	__asm__ volatile("mov %0, sp" : "=r"(sp));
#else
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#endif
	return sp;
}

/* The init task running now, for crash messages (NULL when none). */
struct initing {
	const struct pkgrt_inittask *task;
	unsigned int fn;
};
extern struct initing initing GONAME("initing");

/* ---- start-up, in order (asm_*.S: __wrap_main / rt0_go calls them) ----- */

void args(int c, char **v, char **e) GONAME("args");
void osinit(void) GONAME("osinit");
void schedinit(void) GONAME("schedinit");
struct g *newproc(void (*fn)(void)) GONAME("newproc");
NORETURN void mstart(void) GONAME("mstart");
NORETURN void schedule(void) GONAME("schedule");
NORETURN void runtime_main(void) GONAME("main");

/* proc.c */
struct g *malg(uintptr_t stacksize) GONAME("malg");
void gostartcallfn(struct g *gp, void (*fn)(void), struct gobuf *g0sched)
	GONAME("gostartcallfn");
void doInit(const struct pkgrt_inittab *tab) GONAME("doInit");
void doInit1(struct pkgrt_inittask *t) GONAME("doInit1");
/* module.c: the shared libraries' tables, before the program's. */
void doModuleInits(void) GONAME("doModuleInits");
NORETURN void goexit1(void) GONAME("goexit1");
void procresize(int32_t nprocs) GONAME("procresize");

/* asm_amd64.S, asm_arm64.S: switching between g0 and a goroutine. */
NORETURN void gogo(struct gobuf *buf) GONAME("gogo");
void mcall(void (*fn)(struct g *)) GONAME("mcall");
__attribute__((returns_twice)) uintptr_t gosave(struct gobuf *buf) GONAME("gosave");
void goexit(void) GONAME("goexit");

/* stack.c */
struct stack stackalloc(uintptr_t n, uintptr_t guard) GONAME("stackalloc");
void stackfree(struct stack stk, uintptr_t guard) GONAME("stackfree");
uintptr_t mainstacksize(const char **why) GONAME("mainstacksize");
uintptr_t round_page(uintptr_t n) GONAME("round_page");
uintptr_t osstacklo(void) GONAME("osstacklo");
/* The guard region below a goroutine stack: PROT_NONE, reserved address
 * space, no memory.  1 MiB, the kernel's gap below the OS stack
 * (stack_guard_gap, 256 pages of 4 KiB): a frame up to that size that
 * runs off the stack faults in it rather than writing over what is
 * mapped below. */
#define STACKGUARD ((uintptr_t)1 << 20)

/* runtime1.c: the environment. */
const char *gogetenv(const char *key) GONAME("gogetenv");
void parsedebugvars(void) GONAME("parsedebugvars");
void goenvs(void) GONAME("goenvs");
void goenv1(const char *s, int warn) GONAME("goenv1");
extern int envsread GONAME("envsread");     /* args called goenv1 for each */
int parsedebug(const char *s, struct dbgvars *d, int warn) GONAME("parsedebug");
int parsesize(const char *s, uintptr_t *out) GONAME("parsesize");
int parsemaxprocs(const char *s, int32_t *out) GONAME("parsemaxprocs");
int32_t getmaxprocs(void) GONAME("getmaxprocs");
#define MAXSTACK  ((uintptr_t)64 << 30)   /* PKGRT_STACK at most 64G */
#define MINSTACK  ((uintptr_t)16 << 10)   /* and at least 16K */
#define MAXPROCS  1024                    /* Go: _MaxGomaxprocs */

/* os_linux.c: the only place that talks to the kernel. */
void sysauxv(uintptr_t *auxv) GONAME("sysauxv");
int32_t getproccount(void) GONAME("getproccount");
void *sysMmap(void *addr, uintptr_t n, int prot, int flags) GONAME("sysMmap");
int sysMprotect(void *addr, uintptr_t n, int prot) GONAME("sysMprotect");
int sysMunmap(void *addr, uintptr_t n) GONAME("sysMunmap");
void *sysAlloc(uintptr_t n) GONAME("sysAlloc");
long write1(int fd, const void *p, uintptr_t n) GONAME("write1");
NORETURN void exit2(int code) GONAME("exit2");           /* exit_group, no atexit */
int64_t nanotime(void) GONAME("nanotime");
int getrlimit1(int resource, uint64_t *soft) GONAME("getrlimit1");
int getrlimitstack(uint64_t *soft) GONAME("getrlimitstack");
#define RLIM_UNLIMITED (~(uint64_t)0)
void minitSignalStack(void) GONAME("minitSignalStack");
void initsig(void) GONAME("initsig");
void initsigdone(void) GONAME("initsigdone");
uintptr_t sigctxt_sp(void *ctx) GONAME("sigctxt_sp");
uintptr_t sigctxt_pc(void *ctx) GONAME("sigctxt_pc");
uintptr_t sigctxt_addr(void *info) GONAME("sigctxt_addr");
int sigisfault(int sig, void *info) GONAME("sigisfault");
int sigsender(void *info) GONAME("sigsender");
int sigselfsent(void *info) GONAME("sigselfsent");
int sigwouldkill(int sig, void *info) GONAME("sigwouldkill");
void sigfwd(int sig, void *info, void *ctx) GONAME("sigfwd");
uintptr_t sigstackneed(void) GONAME("sigstackneed");
void sigreturn__sigaction(void) GONAME("sigreturn__sigaction");

/* panic.c: fatal errors (Go: throw, sighandler). */
NORETURN void throw(const char *s) GONAME("throw");
void fatalbegin(struct printbuf *pb) GONAME("fatalbegin");
NORETURN void fatalend(struct printbuf *pb) GONAME("fatalend");
NORETURN void badmcall(void) GONAME("badmcall");
NORETURN void badmcall2(void) GONAME("badmcall2");
void sighandler(int sig, void *info, void *ctx) GONAME("sighandler");
void pinitname(struct printbuf *pb, const struct pkgrt_inittask *t, unsigned int i)
	GONAME("pinitname");
void pinitfnof(struct printbuf *pb, const struct pkgrt_inittask *t, unsigned int i)
	GONAME("pinitfnof");

/* trace.c: printing without stdio (Go: print.go) and the traces. */
void pstr(struct printbuf *pb, const char *s) GONAME("printstring");
void pbytes(struct printbuf *pb, const char *s, uintptr_t n) GONAME("printbytes");
void pint(struct printbuf *pb, int64_t v) GONAME("printint");
void puint(struct printbuf *pb, uint64_t v) GONAME("printuint");
void phex(struct printbuf *pb, uint64_t v) GONAME("printhex");
void psize(struct printbuf *pb, uint64_t v) GONAME("printsize");
void pms(struct printbuf *pb, uint64_t ns) GONAME("printms");
void pflush(struct printbuf *pb, int fd) GONAME("printflush");
int fmtsize(char *buf, uint64_t v) GONAME("fmtsize");
int fmtNSAsMS(char *buf, uint64_t ns) GONAME("fmtNSAsMS");
const char *pcstr(struct printbuf *pb) GONAME("printcstr");
void starttrace_early(void) GONAME("starttrace_early");
void tracebegin(struct printbuf *pb, const char *phase) GONAME("tracebegin");
void traceend(struct printbuf *pb) GONAME("traceend");
void prange(struct printbuf *pb, const char *name, struct stack s) GONAME("printrange");
void traceinit(const struct pkgrt_inittask *t, int64_t start, int64_t end)
	GONAME("traceinit");
void warnenv(const char *name, const char *value, const char *problem,
             const char *fallback) GONAME("warnenv");

/* The user's main: --wrap=main makes __real_main the real one; with no
 * libc, the runtime calls main itself (rt0 -> rt0_go -> runtime.main). */
#ifdef PKGRT_NOLIBC
extern int __real_main(int, char **, char **) __asm__("main");
#else
extern int __real_main(int, char **, char **);
#endif

#endif /* !__ASSEMBLER__ */
#endif /* PKGRT_RUNTIME_H */
