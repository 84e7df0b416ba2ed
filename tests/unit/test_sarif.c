/*
 * test_sarif.c - the SARIF log of --diagnostics-format sarif: which rule
 * a message gets, how locations, notes and messages are written (URIs
 * percent-encoded, JSON escaped, invalid UTF-8 replaced), notes joining
 * the result of their own thread, and what is not collected.  The log's
 * validity against the SARIF schema is tests/e2e/sarif.sh's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cmd.h"
#include "testutil.h"

#include <pthread.h>
#include <semaphore.h>

static void expect_rule(const char *level, const char *msg, const char *id)
{
	const char *got = sarif_rule_id(sarif_rule_of(level, msg));
	if (strcmp(got, id))
		fail_msg("'%s' (%s): rule %s, want %s", msg, level, got, id);
}

/* The messages as pkginit prints them, each with its rule. */
static void test_rules(void **state)
{
	(void)state;
	expect_rule("error", "import cycle not allowed", "import-cycle");
	expect_rule("error", "unsafe init order: 'os_init' runs before 'time_init' "
		    "but must run after it", "unsafe-order");
	expect_rule("error", "init order cycle: 'a_init' must run before itself",
		    "init-cycle");
	expect_rule("error", "PKG_AFTER(a_init, zz): 'zz' is not an init function",
		    "invalid-after");
	expect_rule("error", "PKG_AFTER(a_init, a_init): an init function cannot "
		    "run after itself", "invalid-after");
	expect_rule("error", "the init order differs from the lock file", "lock-mismatch");
	expect_rule("error", "no package defines main", "no-main");
	expect_rule("error", "--main app: package 'app' does not define main", "no-main");
	expect_rule("error", "--main x: no scanned file is in package 'x'", "no-main");
	expect_rule("error", "main defined in package 'a' and in package 'b'", "several-mains");
	expect_rule("error", "init function 'a_init' defined twice", "duplicate-init");
	expect_rule("error", "'f' is marked PKG_INIT but is static; init functions "
		    "need external linkage", "invalid-init");
	expect_rule("error", "PKG_IMPORT of unknown package 'zz'", "unknown-import");
	expect_rule("error", "PKG_IMPORT(\"main\") names the main package, which "
		    "cannot be imported", "unknown-import");
	expect_rule("error", "PKG_PACKAGE(\"a\") conflicts with the earlier "
		    "PKG_PACKAGE(\"b\") in this file", "package-conflict");
	expect_rule("error", "invalid package path \"/x\" in PKG_IMPORT: it is absolute",
		    "invalid-package-path");
	expect_rule("error", "unknown pkginit annotation \"pkginit:foo\"", "unknown-annotation");
	expect_rule("error", "file is outside every root (.), so it belongs to no "
		    "package", "outside-root");
	expect_rule("warning", "records disagree about this file; using package 'a'",
		    "records-disagree");
	/* Anything else: the catch-all of its level; the pattern is the
	 * whole message, not a prefix. */
	expect_rule("error", "expected ';' after top level declarator", "error");
	expect_rule("error", "an import cycle not allowed", "error");
	expect_rule("error", "import cycle not allowed here", "error");
	expect_rule("warning", "discarding a corrupt scan cache entry", "warning");
	expect_rule("note", "main is defined here", "note");
	expect_rule("error", "", "error");
}

static char *run_log(int rc, int *got_rc, void (*emit)(void))
{
	struct diag_output d = {"sarif", "log.sarif"};
	tu_capture_begin();
	assert_int_equal(sarif_begin("link", &d, 0), 0);
	assert_false(sarif_stdout_taken());
	emit();
	*got_rc = sarif_end(rc);
	free(tu_capture_end());
	char *log = file_read("log.sarif", NULL);
	assert_non_null(log);
	return log;
}

static void expect_in(const char *log, const char *want)
{
	if (!strstr(log, want)) fail_msg("not in the log: %s\n%s", want, log);
}

static void emit_mixed(void)
{
	diag_note((struct loc){0}, "before any result: left out");
	diag_error((struct loc){"dir with space/\xc3\xbc%.c", 3, 4},
		   "bad \"quote\" \\ \x01 \xff tab\there");
	diag_note((struct loc){"x.h", 7, 0}, "the other place");
	diag_note((struct loc){0}, "advice");
	diag_warning((struct loc){"w.c", 0, 0}, "records disagree about this file");
	diag_fail("cannot read 'gone.rec'");
	diag_note((struct loc){"/abs/p.c", 2, 1}, "a note of the notification");
}

static void test_log(void **state)
{
	(void)state;
	int rc;
	char *log = run_log(1, &rc, emit_mixed);
	assert_int_equal(rc, 1);
	expect_in(log, "\"version\": \"2.1.0\"");
	/* The error: its place percent-encoded, its text escaped, the
	 * invalid byte replaced; the note without a place in its message. */
	expect_in(log, "{\"ruleId\": \"error\", \"ruleIndex\": ");
	expect_in(log, "\"uri\": \"dir%20with%20space/%C3%BC%25.c\", \"uriBaseId\": \"SRCROOT\"}, "
		  "\"region\": {\"startLine\": 3, \"startColumn\": 4}");
	expect_in(log, "\"message\": {\"text\": \"bad \\\"quote\\\" \\\\ \\u0001 \\ufffd "
		  "tab\\there\\nadvice\"}");
	expect_in(log, "\"relatedLocations\": [{\"id\": 1, \"physicalLocation\": "
		  "{\"artifactLocation\": {\"uri\": \"x.h\", \"uriBaseId\": \"SRCROOT\"}, "
		  "\"region\": {\"startLine\": 7}}, \"message\": {\"text\": \"the other place\"}}]");
	/* The warning: a whole file, no region. */
	expect_in(log, "\"ruleId\": \"records-disagree\"");
	expect_in(log, "{\"uri\": \"w.c\", \"uriBaseId\": \"SRCROOT\"}}}]");
	/* The error without a place, and its note with an absolute one. */
	expect_in(log, "\"toolExecutionNotifications\": [\n        {\"level\": \"error\", "
		  "\"message\": {\"text\": \"cannot read 'gone.rec'\"}}]");
	assert_null(strstr(log, "a note of the notification"));
	assert_null(strstr(log, "before any result"));
	expect_in(log, "\"exitCode\": 1");
	expect_in(log, "\"executionSuccessful\": true");
	free(log);
}

static void emit_nothing(void) {}

static void test_empty_log(void **state)
{
	(void)state;
	int rc;
	char *log = run_log(3, &rc, emit_nothing);
	assert_int_equal(rc, 3);
	expect_in(log, "\"results\": []");
	expect_in(log, "\"executionSuccessful\": false, \"exitCode\": 3");
	assert_null(strstr(log, "toolExecutionNotifications"));
	free(log);
}

/* Notes join the result of their own thread, whatever another thread
 * printed in between (scanning threads print their TU's errors). */
static sem_t sem_a, sem_b;

static void *other_thread(void *arg)
{
	(void)arg;
	diag_error((struct loc){"a.c", 1, 0}, "from the other thread");
	sem_post(&sem_a);
	sem_wait(&sem_b);
	diag_note((struct loc){"a.h", 2, 0}, "note of the other thread");
	return NULL;
}

static void emit_threads(void)
{
	pthread_t t;
	sem_init(&sem_a, 0, 0);
	sem_init(&sem_b, 0, 0);
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	sem_wait(&sem_a);
	diag_error((struct loc){"m.c", 5, 0}, "from the main thread");
	sem_post(&sem_b);
	pthread_join(t, NULL);
	diag_note((struct loc){"m.h", 6, 0}, "note of the main thread");
}

static void test_threads(void **state)
{
	(void)state;
	int rc;
	char *log = run_log(1, &rc, emit_threads);
	char *a = strstr(log, "from the other thread"), *m = strstr(log, "from the main thread");
	char *na = strstr(log, "note of the other thread"), *nm = strstr(log, "note of the main thread");
	assert_non_null(a);
	assert_non_null(m);
	assert_non_null(na);
	assert_non_null(nm);
	/* Results in the order printed, each note after its own result. */
	assert_true(a < na && na < m && m < nm);
	free(log);
}

static void test_usage(void **state)
{
	(void)state;
	struct diag_output text_file = {"text", "x.sarif"}, busy = {"sarif", NULL},
			   dash = {"sarif", "-"}, text = {NULL, NULL};
	tu_capture_begin();
	assert_int_equal(sarif_begin("gen", &text_file, 0), EXIT_USAGE);
	assert_int_equal(sarif_begin("gen", &busy, 1), EXIT_USAGE);
	assert_int_equal(sarif_begin("gen", &dash, 1), EXIT_USAGE);
	assert_int_equal(sarif_begin("gen", &text, 1), 0);
	assert_false(sarif_stdout_taken());
	assert_int_equal(sarif_end(2), 2);
	const char *err = tu_captured();
	assert_non_null(strstr(err, "--diagnostics-output needs --diagnostics-format sarif"));
	assert_non_null(strstr(err, "give --diagnostics-output FILE"));
	assert_null(strstr(err, "x.sarif"));
	assert_int_equal(access("x.sarif", F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_log),
		cmocka_unit_test(test_empty_log),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_usage),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
