/*
 * test_libclang.c - libclang through the table of tool/libclang.h: every
 * function listed has its redirecting macro, nothing is loaded until the
 * first call, the first call loads all of them, and the cache's
 * fingerprint of the library follows PKGINIT_LIBCLANG and the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"
#include "libclang.h"
#include "testutil.h"

#define LC_STR(x) #x
#define LC_XSTR(x) LC_STR(x)

/* A listed name that lacks its #define would call the real function,
 * which the tool does not link: its expansion must be the table's. */
static void test_every_function_redirected(void **state)
{
	(void)state;
	static const char *const expanded[] = {
#define LC_EXPANDED(f) LC_XSTR(f),
		LIBCLANG_FUNCTIONS(LC_EXPANDED)
#undef LC_EXPANDED
	};
	static const char *const names[] = {
#define LC_NAME(f) #f,
		LIBCLANG_FUNCTIONS(LC_NAME)
#undef LC_NAME
	};
	size_t n = sizeof names / sizeof names[0];
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++) {
		char *want = xasprintf("(libclang_api()->%s)", names[i]);
		assert_string_equal(expanded[i], want);
		free(want);
	}
}

static void test_loaded_on_first_call(void **state)
{
	(void)state;
	assert_null(libclang_loaded);
	tu_capture_begin();
	CXString v = clang_getClangVersion();
	assert_string_equal(tu_captured(), "");        /* quietly */
	assert_non_null(libclang_loaded);
	assert_non_null(strstr(clang_getCString(v), "clang version"));
	clang_disposeString(v);
	/* Every slot is filled (libclang_open fails otherwise). */
	const void *const *slot = (const void *const *)libclang_loaded;
	for (size_t i = 0; i < sizeof(struct libclang_api) / sizeof(void *); i++)
		assert_non_null(slot[i]);
	assert_ptr_equal(libclang_load(), libclang_loaded);
}

static void fingerprint(char hex[2 * HASH_SIZE + 1])
{
	struct hash_ctx h;
	unsigned char d[HASH_SIZE];
	hash_init(&h);
	libclang_fingerprint(&h);
	hash_final(&h, d);
	hash_hex(d, hex);
}

static void test_fingerprint(void **state)
{
	(void)state;
	char a[2 * HASH_SIZE + 1], b[2 * HASH_SIZE + 1], c[2 * HASH_SIZE + 1];
	unsetenv("PKGINIT_LIBCLANG");
	fingerprint(a);
	fingerprint(b);
	assert_string_equal(a, b);
	/* Another file, and the same file once changed, are other keys. */
	tu_write("lib.so", "one");
	char *abs = xasprintf("%s/lib.so", tu_dir);
	setenv("PKGINIT_LIBCLANG", abs, 1);
	assert_string_equal(libclang_path(), abs);
	fingerprint(b);
	assert_string_not_equal(a, b);
	tu_write("lib.so", "other");
	fingerprint(c);
	assert_string_not_equal(b, c);
	setenv("PKGINIT_LIBCLANG", "", 1);
	fingerprint(c);
	assert_string_equal(a, c);
	unsetenv("PKGINIT_LIBCLANG");
	free(abs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_function_redirected),
		cmocka_unit_test(test_loaded_on_first_call),
		cmocka_unit_test(test_fingerprint),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
