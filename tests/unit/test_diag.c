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
 * cap on the address space breaks it; under ASan the exhaustion tests
 * are skipped (UBSan and the plain build run them). */
#if defined(__SANITIZE_ADDRESS__)
#define TD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TD_ASAN 1
#endif
#endif

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

static void td_xmalloc_exhausted(void)
{
	td_exhaust_memory();
	void *p = xmalloc(64);
	(void)p;
}

static void td_strbuf_exhausted(void)
{
	td_exhaust_memory();
	struct strbuf sb = {0};
	for (int i = 0; i < 1000; i++) sb_puts(&sb, "a line of some length\n");
}

static void expect_oom(void (*fn)(void), const char *want)
{
#ifdef TD_ASAN
	(void)fn, (void)want;
	skip();
#else
	char *err;
	int status = tu_child(fn, &err);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_INPUT)
		fail_msg("status %#x, stderr: %s", status, err);
	assert_string_equal(err, want);
	free(err);
#endif
}

static void test_xmalloc_out_of_memory(void **state)
{
	(void)state;
	expect_oom(td_xmalloc_exhausted,
		   "pkginit: error: out of memory (64 bytes)\n");
}

static void test_strbuf_out_of_memory(void **state)
{
	(void)state;
	expect_oom(td_strbuf_exhausted,
		   "pkginit: error: out of memory (32 bytes)\n");
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
