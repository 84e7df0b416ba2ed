/*
 * sanitized.c - a program built with a sanitizer and linked with the
 * plain runtime (tests/e2e/rt_sanitizers.sh, `twoways`): the runtime finds
 * the sanitizer at run time and tells it about the main goroutine's stack,
 * so that nothing differs from the program without the runtime.  argv[1]
 * says what to do:
 *
 *   longjmp   leave deep frames with arrays by longjmp, then use the same
 *             stack again: no false stack-buffer-overflow (ASan unpoisons
 *             the stack it knows the thread is on)
 *   exit      exit(3) from main: no "ignoring requested
 *             __asan_handle_no_return" warning
 *   overflow  a real stack-buffer-overflow: still reported
 *   segv      a NULL dereference in main: the sanitizer's own report
 *   race      a data race between main and a thread (TSan)
 *   ub        signed overflow (UBSan), in main and in the init function
 *
 * INIT=segv or INIT=ub makes the init function do it.
 */
#include <pkginit.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf jb;
static volatile int sink;

__attribute__((noinline)) static void
jumper(int n)
{
	char buf[64];

	memset(buf, n, sizeof buf);
	sink += buf[n % 64];
	if (n == 0)
		longjmp(jb, 1);
	jumper(n - 1);
	sink += buf[1];
}

__attribute__((noinline)) static void
reuse(void)
{
	char big[16384];

	memset(big, 1, sizeof big);   /* over where jumper's redzones were */
	sink += big[100];
}

__attribute__((noinline)) static int
overflow(int i)
{
	char buf[16], *p = buf;

	memset(buf, 0, sizeof buf);
	return p[i];
}

__attribute__((noinline)) static void
segv(void)
{
	static int *volatile nowhere;
	*nowhere = 1;
}

static int shared;
/* The thread's write comes first, always: main waits for this flag
 * before its own.  A relaxed atomic orders nothing for TSan, so the two
 * writes still race, and TSan reports the race at main's write, the
 * second, in every run (without the flag it reported whichever came
 * second, main's or the thread's, and the runs with and without the
 * runtime could differ). */
static atomic_int racerdone;

static void *
racer(void *arg)
{
	(void)arg;
	shared++;
	atomic_store_explicit(&racerdone, 1, memory_order_relaxed);
	return NULL;
}

__attribute__((noinline)) static int
add(int a, int b)
{
	return a + b;
}

PKG_INIT void
san_init(void)
{
	const char *what = getenv("INIT");

	if (what != NULL && strcmp(what, "segv") == 0)
		segv();
	if (what != NULL && strcmp(what, "ub") == 0)
		printf("init: %d\n", add(INT_MAX, (int)strlen(what)));
}

int
main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (strcmp(what, "longjmp") == 0) {
		for (int i = 0; i < 3; i++) {
			if (setjmp(jb) == 0)
				jumper(40);
			reuse();
		}
		printf("longjmp: done\n");
	}
	if (strcmp(what, "overflow") == 0)
		return overflow(16);
	if (strcmp(what, "segv") == 0)
		segv();
	if (strcmp(what, "race") == 0) {
		pthread_t t;
		pthread_create(&t, NULL, racer, NULL);
		while (!atomic_load_explicit(&racerdone, memory_order_relaxed))
			;
		shared++;
		pthread_join(t, NULL);
		printf("race: %d\n", shared);
	}
	if (strcmp(what, "ub") == 0)
		printf("main: %d\n", add(INT_MAX, argc));
	printf("main done\n");
	if (strcmp(what, "exit") == 0)
		exit(3);
	return 0;
}
