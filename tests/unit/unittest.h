/*
 * unittest.h - shared by the runtime's cmocka tests (tests/unit/test_rt_*.c).
 * The tool's tests have testutil.h beside it: the two stay apart because
 * these tests link libpkgrt, not the tool (no xmalloc, no strbuf), and
 * are written in the runtime's style (CONTRIBUTING.md).
 *
 * The tests link libpkgrt.a and call its internal functions (runtime.h).
 * The archive's proc.o refers to the init table and to the user's main,
 * which a test program does not have: weak stand-ins are defined here.
 *
 * rt_setup   what __wrap_main does before schedinit: args, osinit, and
 *            m0/g0 linked up, so that stackalloc, getg() etc. work.
 * rt_child   run a function in a child process, with its stderr captured;
 *            for what ends the process (throw, a signal).
 * rt_capture_begin / rt_capture_end
 *            capture what this process writes on fd 2.
 */
#ifndef PKGRT_UNITTEST_H
#define PKGRT_UNITTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"

__attribute__((weak)) const struct pkgrt_inittab pkgrt_inittab = { pkgrt_abi_v2, 0, 0 };

__attribute__((weak)) int
__real_main(int c, char **v, char **e)
{
	(void)c, (void)v, (void)e;
	return 0;
}

static struct p rt_test_p;

static inline void
rt_setup(int c, char **v, char **e)
{
	pthread_attr_t attr;
	void *lo;
	size_t size;

	args(c, v, e);
	osinit();
	g0.m = &m0;
	m0.g0 = &g0;
	m0.p = &rt_test_p;
	tlsg = &g0;
	/* g0's stack bounds, as schedinit records them: the runtime tells
	 * ASan about them when a goroutine switches back to g0. */
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &lo, &size) == 0)
			g0.stack = (struct stack){(uintptr_t)lo, (uintptr_t)lo + size};
		pthread_attr_destroy(&attr);
	}
}

/* Read all of fd into buf (NUL-terminated). */
static inline void
rt_readall(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got + 1 < n && (r = read(fd, buf + got, n - 1 - got)) > 0)
		got += (size_t)r;
	buf[got] = '\0';
}

/*
 * rt_child runs fn() in a child process whose stderr goes to err (up to n
 * bytes, NUL-terminated); returns the wait status.  The child makes no
 * core dump, and the default action for the signals cmocka catches; if
 * fn returns, the child exits 0.
 */
static inline int
rt_child(void (*fn)(void), char *err, size_t n)
{
	int fds[2], status = 0;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS};
		struct rlimit nocore = {0, 0};
		setrlimit(RLIMIT_CORE, &nocore);
		/* cmocka's handlers would catch these and go on testing */
		for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			signal(sigs[i], SIG_DFL);
		close(fds[0]);
		dup2(fds[1], 2);
		fn();
		_exit(0);
	}
	close(fds[1]);
	rt_readall(fds[0], err, n);
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

static int rt_saved_stderr = -1;
static int rt_capture_fd = -1;

static inline void
rt_capture_begin(void)
{
	int fds[2];

	if (pipe(fds) != 0)
		return;
	rt_saved_stderr = dup(2);
	dup2(fds[1], 2);
	close(fds[1]);
	rt_capture_fd = fds[0];
}

static inline void
rt_capture_end(char *buf, size_t n)
{
	dup2(rt_saved_stderr, 2);
	close(rt_saved_stderr);
	rt_readall(rt_capture_fd, buf, n);
	close(rt_capture_fd);
}

/* Count the lines of s. */
static inline int
rt_lines(const char *s)
{
	int n = 0;
	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

#endif /* PKGRT_UNITTEST_H */
