/*
 * pkgrt.h - the runtime's public interface and the init table ABI.
 *
 * `pkginit link` writes a C file that defines `pkgrt_inittab`.  That file
 * is compiled with no -I, so it repeats the two structures below; they are
 * the ABI and change only together with PKGRT_ABI_VERSION.  The table
 * points at the symbol `pkgrt_abi_v<N>`, which only a runtime of ABI
 * version N defines: a table and a runtime of different versions fail at
 * link time with "undefined reference to `pkgrt_abi_v<N>'".
 *
 * One task per package that has init functions, in initialization order,
 * like Go's runtime.inittask: a state word (0 not started, 1 running,
 * 2 done) and the package's functions in the order they run.
 *
 * Version 2 added init functions that can fail, `int f(void)`, beside
 * `void f(void)`.  Calling a function through a pointer of another type is
 * undefined behaviour, so the table says per function which type it has:
 * `kinds[i]` is PKGRT_INITFN_VOID or PKGRT_INITFN_INT, and `fns[i]` holds
 * the function converted to pkgrt_initfn *, which the runner converts
 * back to pkgrt_initfn_int * before calling an int one (converting a
 * function pointer to another function pointer type and back gives the
 * original pointer, C11 6.3.2.3p8).  `kinds` is NULL when every function
 * of the task is void, so a table without int init functions has one null
 * pointer more per task than version 1 and nothing else.  An int function
 * that returns non-zero has failed: the runner prints one line naming it,
 * its package and the value, and exits (spec/runtime.md).
 */
#ifndef PKGRT_H
#define PKGRT_H

#define PKGRT_ABI_VERSION 2
#define PKGRT_ABI_SYMBOL  pkgrt_abi_v2

#define PKGRT_TASK_UNINITIALIZED 0u
#define PKGRT_TASK_RUNNING       1u
#define PKGRT_TASK_DONE          2u

#define PKGRT_INITFN_VOID 0u     /* void f(void) */
#define PKGRT_INITFN_INT  1u     /* int f(void): non-zero is failure */

typedef void pkgrt_initfn(void);
typedef int pkgrt_initfn_int(void);

struct pkgrt_inittask {
	unsigned int state;             /* PKGRT_TASK_*; the runtime writes it */
	unsigned int nfns;              /* number of entries in fns and names */
	const char *path;               /* package path, e.g. "net/http" */
	pkgrt_initfn *const *fns;       /* init functions, in order */
	const char *const *names;       /* their names, for traces and crashes */
	const unsigned char *kinds;     /* PKGRT_INITFN_* of each, or NULL: all void */
};

struct pkgrt_inittab {
	const char *abi;                /* &PKGRT_ABI_SYMBOL[0] */
	unsigned int ntasks;
	struct pkgrt_inittask *tasks;   /* ntasks entries, in init order */
};

/*
 * The command line, as Go's os.Args: set by the runtime's `args` before
 * any init function runs, so an init can read its configuration from it
 * (the argument vector main will receive, argv[argc] == NULL).
 */
int pkgrt_argc(void);
char **pkgrt_argv(void);

/*
 * Run the init table now.  With `pkginit link --driver=manual` the
 * generated file defines it and the program calls it (once, early in
 * main); with --driver=ctor the generated file's constructor calls it
 * before main; with the runtime (--driver=rt0, the default) runtime.main
 * has called it before main.  A second call does nothing; a call from an
 * init function is recursive initialization, a fatal error.
 */
void pkgrt_run_inits(void);

/*
 * Output and exit for freestanding programs (libpkgrt-nolibc.a, linked
 * -nostdlib), made with raw system calls: write(2) to fd, all of buf
 * (retrying short writes); the bytes written or -errno.  pkgrt_exit ends
 * the process with status at once (exit_group: no atexit, no stdio).  A
 * freestanding program can also just return its status from main.
 */
long pkgrt_write(int fd, const void *buf, unsigned long len);
#if defined(__GNUC__)
__attribute__((__noreturn__))
#endif
void pkgrt_exit(int status);

/* Defined by the generated table (--driver=rt0). */
extern const struct pkgrt_inittab pkgrt_inittab;

/* Defined by the runtime: the ABI it implements. */
extern const char PKGRT_ABI_SYMBOL[];

/*
 * Shared libraries (`pkginit link --driver=shlib`).  A shared library's
 * packages have a table of their own, inside the library, described by a
 * pkgrt_module that the library's constructor hands to the runtime of the
 * program it is loaded into.  The runtime runs the modules' tables in the
 * order they registered, which is the dynamic linker's: a library's
 * constructors run after those of the libraries it needs.  All of them
 * run before the program's own table, as Go's runtime.main runs each
 * module's inittasks before main's; a module registered later (dlopen
 * after start-up) runs at once, as Go's plugin.Open does.  In a program
 * without the runtime nothing defines PKGRT_REGISTER_SYMBOL (the library
 * refers to it weakly), and the library's constructor runs its table
 * itself.  The symbol's name carries the ABI version, so a runtime of
 * another version is as good as none.
 */
struct pkgrt_module {
	const char *name;                   /* the library, e.g. "libgeo.so" */
	const struct pkgrt_inittab *tab;    /* its tasks; tab->abi is NULL */
	struct pkgrt_module *next;          /* the runtime's list, load order */
};

#define PKGRT_REGISTER_SYMBOL pkgrt_register_module_v1

/* 1: the runtime runs m's table (or has just run it); 0: the caller must
 * run it itself.  Not thread-safe, like dlopen during start-up. */
int PKGRT_REGISTER_SYMBOL(struct pkgrt_module *m);

#endif /* PKGRT_H */
