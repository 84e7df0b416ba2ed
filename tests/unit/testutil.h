/*
 * testutil.h - what the tool's unit tests share: a scratch directory for
 * the whole run, writing files into it, and capturing diagnostics.
 *
 * Header-only (each test is one program); include after <cmocka.h> and
 * "tool.h".  A test program passes tu_setup_dir / tu_teardown_dir to
 * cmocka_run_group_tests; its files then live in a fresh directory under
 * /tmp, which is the current directory while the tests run.
 */
#ifndef PKGINIT_TESTUTIL_H
#define PKGINIT_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char tu_dir[] = "/tmp/pkginit-test-XXXXXX";

static int tu_setup_dir(void **state)
{
	(void)state;
	if (!mkdtemp(tu_dir) || chdir(tu_dir) != 0) return -1;
	return 0;
}

static int tu_teardown_dir(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", tu_dir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

/* Write len bytes of text to path (relative to the scratch directory). */
static void tu_put_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Diagnostics printed between tu_capture_begin and tu_capture_end are
 * returned as one string (malloc'd; the caller frees it). */
static char *tu_cap_buf;
static size_t tu_cap_len;
static FILE *tu_cap_f;

static void tu_capture_begin(void)
{
	tu_cap_f = open_memstream(&tu_cap_buf, &tu_cap_len);
	assert_non_null(tu_cap_f);
	diag_set_stream(tu_cap_f);
}

static char *tu_capture_end(void)
{
	diag_set_stream(NULL);
	fclose(tu_cap_f);
	char *s = tu_cap_buf;
	tu_cap_buf = NULL;
	return s;
}

#endif /* PKGINIT_TESTUTIL_H */
