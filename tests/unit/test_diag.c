/*
 * test_diag.c - the fatal-error path (tool/diag.c diag_die, tool/util.c's
 * x-allocators): when the heap is really exhausted, the tool says "out of
 * memory" and exits 3, the way tool.h promises, instead of recursing into
 * the allocator it just saw fail.
 *
 * Memory is exhausted for real, in a child process: its address space is
 * capped a little above what it uses (RLIMIT_AS) and then filled with
 * malloc, in ever smaller blocks down to the size of a pointer, so that
 * no further allocation of any size can succeed.  Then the tool's code is called.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* ASan reserves terabytes of address space for its shadow memory, so a
 * cap on the address space breaks it.  Under ASan the same paths are
 * driven by an allocation larger than ASan serves (it returns NULL with
 * allocator_may_return_null): the message and the exit, not exhaustion.
 * The plain build and UBSan exhaust the heap for real. */
#if defined(__SANITIZE_ADDRESS__)
#define TD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TD_ASAN 1
#endif
#endif
#ifdef TD_ASAN
#define TD_HUGE ((size_t)1 << 44)       /* above ASan's largest allocation */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
#endif

#ifndef TD_ASAN
static void *td_heap;            /* every block taken, chained */
static void *volatile td_heap_end;

static void td_exhaust_memory(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;
	if (!f || fscanf(f, "%lu", &pages) != 1) _exit(90);
	fclose(f);
	rlim_t cap = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (64u << 20);
	struct rlimit lim = {cap, cap};
	if (setrlimit(RLIMIT_AS, &lim) != 0) _exit(91);
	/* Each block is chained to the one before, from a global, so that
	 * the compiler cannot drop the allocations as unused (clang does). */
	size_t total = 0;
	for (size_t size = 1u << 20; size >= sizeof(void *); size /= 2) {
		void **p;
		while ((p = malloc(size))) {
			*p = td_heap;
			td_heap = p;
			total += size;
		}
	}
	/* Nothing left, and the cap was really reached. */
	td_heap_end = malloc(1);
	if (td_heap_end || total < (32u << 20)) _exit(92);
}
#endif

static void td_xmalloc_exhausted(void)
{
#ifdef TD_ASAN
	void *p = xmalloc(TD_HUGE);
#else
	td_exhaust_memory();
	void *p = xmalloc(64);
#endif
	(void)p;
}

static void td_strbuf_exhausted(void)
{
	struct strbuf sb = {0};
#ifdef TD_ASAN
	sb_putn(&sb, "", TD_HUGE);      /* fails in vec_reserve, first */
#else
	td_exhaust_memory();
	for (int i = 0; i < 1000; i++) sb_puts(&sb, "a line of some length\n");
#endif
}

static void expect_oom(void (*fn)(void), const char *want)
{
	char *err;
	int status = tu_child(fn, &err);
	const char *last = err;
#ifdef TD_ASAN
	/* After ASan's own warning about the allocation it refused. */
	for (const char *p = err; *p; p++)
		if (*p == '\n' && p[1]) last = p + 1;
#endif
	int exited = WIFEXITED(status) && WEXITSTATUS(status) == EXIT_INPUT;
	int same = !strcmp(last, want);
	if (!exited || !same) {
		print_error("status %#x, stderr: %s", status, err);
		free(err);
		fail();
	}
	free(err);
}

static void test_xmalloc_out_of_memory(void **state)
{
	(void)state;
#ifdef TD_ASAN
	expect_oom(td_xmalloc_exhausted,
		   "pkginit: error: out of memory (17592186044416 bytes)\n");
#else
	expect_oom(td_xmalloc_exhausted,
		   "pkginit: error: out of memory (64 bytes)\n");
#endif
}

static void test_strbuf_out_of_memory(void **state)
{
	(void)state;
#ifdef TD_ASAN
	expect_oom(td_strbuf_exhausted,
		   "pkginit: error: out of memory (35184372088832 bytes)\n");
#else
	expect_oom(td_strbuf_exhausted,
		   "pkginit: error: out of memory (32 bytes)\n");
#endif
}

/* A message longer than the fixed buffer is cut, still one line. */
static void td_die_long(void)
{
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	diag_die("%s", big);
}

static void test_long_message_cut(void **state)
{
	(void)state;
	char *err;
	int status = tu_child(td_die_long, &err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_INPUT);
	size_t n = strlen(err);
	assert_int_equal(n, 1023);
	assert_memory_equal(err, "pkginit: error: xxx", 19);
	assert_int_equal(err[n - 2], 'x');
	assert_int_equal(err[n - 1], '\n');
	free(err);
}

/* A fatal error while exiting from one (an exit handler failing too)
 * does not recurse: one fixed line more, and still exit 3. */
static void td_die_again(void) { diag_die("second"); }

static void td_die_twice(void)
{
	atexit(td_die_again);
	diag_die("first");
}

static void test_recursion_stops(void **state)
{
	(void)state;
	char *err;
	int status = tu_child(td_die_twice, &err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_INPUT);
	assert_string_equal(err, "pkginit: error: first\n"
			    "pkginit: error: fatal error while exiting "
			    "after a fatal error\n");
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xmalloc_out_of_memory),
		cmocka_unit_test(test_strbuf_out_of_memory),
		cmocka_unit_test(test_long_message_cut),
		cmocka_unit_test(test_recursion_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
