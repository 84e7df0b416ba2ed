/*
 * test_rt_init.c - doInit and doInit1, the init tasks' state machine: tasks
 * run in table order, each function once, state 0 -> 1 -> 2; a task found
 * running is "recursive call during initialization" (status 2); a crash in
 * an init function names it; inittrace prints Go's line per task; an int
 * init function that returns non-zero stops start-up with one line and
 * its status.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

#include "unittest.h"

static char order[256];
static struct pkgrt_inittab tab;
static struct pkgrt_inittask tasks[3];

static void
note(const char *s)
{
	strncat(order, s, sizeof order - strlen(order) - 1);
	strncat(order, " ", sizeof order - strlen(order) - 1);
}

/* Each function checks the states it sees while it runs. */
static void
log_init(void)
{
	assert_int_equal(tasks[0].state, PKGRT_TASK_RUNNING);
	assert_int_equal(tasks[1].state, PKGRT_TASK_UNINITIALIZED);
	assert_ptr_equal(initing.task, &tasks[0]);
	assert_int_equal(initing.fn, 0);
	note("log_init");
}

static void
db_open(void)
{
	assert_int_equal(tasks[0].state, PKGRT_TASK_DONE);
	assert_int_equal(tasks[1].state, PKGRT_TASK_RUNNING);
	assert_int_equal(tasks[2].state, PKGRT_TASK_UNINITIALIZED);
	assert_int_equal(initing.fn, 0);
	note("db_open");
}

static void
db_migrate(void)
{
	assert_int_equal(tasks[1].state, PKGRT_TASK_RUNNING);
	assert_int_equal(initing.fn, 1);
	note("db_migrate");
}

static void
main_init(void)
{
	assert_int_equal(tasks[1].state, PKGRT_TASK_DONE);
	assert_int_equal(tasks[2].state, PKGRT_TASK_RUNNING);
	note("main_init");
}

static pkgrt_initfn *const logfns[] = {log_init};
static const char *const lognames[] = {"log_init"};
static pkgrt_initfn *const dbfns[] = {db_open, db_migrate};
static const char *const dbnames[] = {"db_open", "db_migrate"};
static pkgrt_initfn *const mainfns[] = {main_init};
static const char *const mainnames[] = {"main_init"};

static int
setup(void **state)
{
	(void)state;
	order[0] = '\0';
	tasks[0] = (struct pkgrt_inittask){0, 1, "log", logfns, lognames, NULL};
	tasks[1] = (struct pkgrt_inittask){0, 2, "db", dbfns, dbnames, NULL};
	tasks[2] = (struct pkgrt_inittask){0, 1, "main", mainfns, mainnames, NULL};
	tab = (struct pkgrt_inittab){pkgrt_abi_v2, 3, tasks};
	debug.inittrace = 0;
	debug.starttrace = 0;
	inittrace.active = 0;
	return 0;
}

static void
test_order(void **state)
{
	(void)state;
	doInit(&tab);
	assert_string_equal(order, "log_init db_open db_migrate main_init ");
	for (int i = 0; i < 3; i++)
		assert_int_equal(tasks[i].state, PKGRT_TASK_DONE);
	assert_null(initing.task);
}

static void
test_once(void **state)
{
	(void)state;
	doInit(&tab);
	doInit(&tab);           /* every task is done: nothing runs again */
	assert_string_equal(order, "log_init db_open db_migrate main_init ");
}

static void
test_done_skipped(void **state)
{
	(void)state;
	tasks[0].state = PKGRT_TASK_DONE;     /* log was initialized before */
	doInit1(&tasks[0]);
	doInit1(&tasks[1]);
	doInit1(&tasks[2]);
	assert_string_equal(order, "db_open db_migrate main_init ");
}

static void
test_empty_table(void **state)
{
	struct pkgrt_inittab empty = {pkgrt_abi_v2, 0, NULL};
	(void)state;
	doInit(&empty);
	assert_string_equal(order, "");
}

/* ---- what is fatal ------------------------------------------------------ */

static void
reenter(void)
{
	note("reenter");
	doInit(&tab);           /* back into initialization from an init function */
}

static pkgrt_initfn *const reenterfns[] = {reenter};
static const char *const reenternames[] = {"reenter"};

static void
run_reentering(void)
{
	tasks[1] = (struct pkgrt_inittask){0, 1, "cyclic/pkg", reenterfns, reenternames, NULL};
	doInit(&tab);
}

static void
test_reentry_fatal(void **state)
{
	char err[512];
	int status = rt_child(run_reentering, err, sizeof err);
	(void)state;

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_string_equal(err, "pkgrt: fatal: recursive call during initialization: "
	                         "package cyclic/pkg is already being initialized\n");
}

static void
run_running(void)
{
	tasks[0].state = PKGRT_TASK_RUNNING;    /* a table that says so */
	doInit(&tab);
}

static void
test_running_fatal(void **state)
{
	char err[512];
	int status = rt_child(run_running, err, sizeof err);
	(void)state;

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_non_null(strstr(err, "recursive call during initialization: package log "));
}

static void
run_badstate(void)
{
	tasks[0].state = 7;
	doInit(&tab);
}

static void
run_nofns(void)
{
	tasks[1].nfns = 0;
	doInit(&tab);
}

static void
test_bad_tasks_fatal(void **state)
{
	char err[512];
	int status;
	(void)state;

	status = rt_child(run_badstate, err, sizeof err);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	assert_string_equal(err, "pkgrt: fatal: init task of package log has a bad state 7\n");

	status = rt_child(run_nofns, err, sizeof err);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	assert_string_equal(err, "pkgrt: fatal: inittask with no functions: package db\n");
}

/* A real fault, not UBSan's report of a null store, under SANITIZE too. */
__attribute__((no_sanitize("undefined"))) static void
crash_init(void)
{
	volatile int *p = NULL;
	*p = 1;
}

static void
abort_init(void)
{
	raise(SIGABRT);
}

static pkgrt_initfn *const crashfns[] = {db_open, crash_init};
static const char *const crashnames[] = {"db_open", "crash_init"};
static pkgrt_initfn *const abortfns[] = {abort_init};
static const char *const abortnames[] = {"abort_init"};

static void
run_crash(void)
{
	initsig();
	tasks[1] = (struct pkgrt_inittask){0, 2, "crash/pkg", crashfns, crashnames, NULL};
	doInit(&tab);
}

static void
run_abort(void)
{
	initsig();
	tasks[2] = (struct pkgrt_inittask){0, 1, "main", abortfns, abortnames, NULL};
	doInit(&tab);
}

static void
test_crash_names_init(void **state)
{
	char err[512];
	int status;
	(void)state;

	/* the message names the function and package; then the process
	 * still dies of the signal (so it can dump core) */
	status = rt_child(run_crash, err, sizeof err);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
	assert_non_null(strstr(err, "pkgrt: fatal: signal SIGSEGV: segmentation violation "
	                            "in init function crash_init of package crash/pkg (addr=0x0 pc=0x"));
	assert_int_equal(rt_lines(err), 1);

	status = rt_child(run_abort, err, sizeof err);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(err, "pkgrt: fatal: signal SIGABRT: abort in init function "
	                            "abort_init of package main (sent by pid "));
}

/* After the init tasks, initsigdone gives the signals back: a crash is
 * no longer reported as an init function's. */
static void
run_crash_after_init(void)
{
	initsig();
	doInit(&tab);
	initsigdone();
	raise(SIGABRT);
}

static void
test_no_report_after_init(void **state)
{
	char err[512];
	int status = rt_child(run_crash_after_init, err, sizeof err);
	(void)state;

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_string_equal(err, "");
}

/* ---- int init functions ------------------------------------------------- */

static int fail_with;           /* what db_check returns */

static int
db_check(void)
{
	assert_int_equal(tasks[1].state, PKGRT_TASK_RUNNING);
	note("db_check");
	return fail_with;
}

static int
log_ok(void)
{
	note("log_ok");
	return 0;
}

/* log: log_init, log_ok (int, succeeds); db: db_open, db_check (int),
 * db_migrate; main: main_init. */
static pkgrt_initfn *const log2fns[] = {log_init, (pkgrt_initfn *)log_ok};
static const char *const log2names[] = {"log_init", "log_ok"};
static const unsigned char log2kinds[] = {PKGRT_INITFN_VOID, PKGRT_INITFN_INT};
static pkgrt_initfn *const db3fns[] = {db_open, (pkgrt_initfn *)db_check, db_migrate};
static const char *const db3names[] = {"db_open", "db_check", "db_migrate"};
static const unsigned char db3kinds[] = {PKGRT_INITFN_VOID, PKGRT_INITFN_INT, PKGRT_INITFN_VOID};

static void
use_int_tasks(void)
{
	tasks[0] = (struct pkgrt_inittask){0, 2, "log", log2fns, log2names, log2kinds};
	tasks[1] = (struct pkgrt_inittask){0, 3, "db", db3fns, db3names, db3kinds};
}

/* db_migrate checks initing.fn == 1: here it is the third function. */
static void
db_migrate3(void)
{
	assert_int_equal(initing.fn, 2);
	note("db_migrate");
}

static void
test_int_succeeds(void **state)
{
	static pkgrt_initfn *const fns[] = {db_open, (pkgrt_initfn *)db_check, db_migrate3};
	(void)state;

	use_int_tasks();
	tasks[1].fns = fns;
	fail_with = 0;
	doInit(&tab);
	assert_string_equal(order, "log_init log_ok db_open db_check db_migrate main_init ");
	for (int i = 0; i < 3; i++)
		assert_int_equal(tasks[i].state, PKGRT_TASK_DONE);
	assert_null(initing.task);
}

/* In a child: run the int tables; db_check returns fail_with. */
static void
run_int_failing(void)
{
	use_int_tasks();
	doInit(&tab);
	note("returned");       /* never */
}

/* The child's notes: rt_child captures fd 2 only, so print them there
 * from an atexit handler, which exit() runs after the message. */
static void
print_order(void)
{
	fprintf(stderr, "ran: %s\n", order);
}

static void
run_int_failing_noted(void)
{
	atexit(print_order);
	run_int_failing();
}

static void
test_int_fails(void **state)
{
	static const struct { int ret, status; } cases[] = {
		{5, 5}, {1, 1}, {-1, 255}, {-2, 254}, {255, 255}, {256, 1}, {512, 1}, {258, 2},
	};
	char err[512], want[512];
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fail_with = cases[i].ret;
		order[0] = '\0';
		int status = rt_child(run_int_failing_noted, err, sizeof err);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), cases[i].status);
		snprintf(want, sizeof want,
		         "pkgrt: init function db_check of package db failed with status %d\n"
		         "ran: log_init log_ok db_open db_check \n", cases[i].ret);
		assert_string_equal(err, want);
	}
}

/* inittrace: a line for each task that finished, none for the failed one;
 * starttrace says how the process ends. */
static void
run_int_failing_traced(void)
{
	inittrace.active = 1;
	runtimeInitTime = nanotime();
	debug.starttrace = 1;
	run_int_failing();
}

static void
test_int_fails_traced(void **state)
{
	char err[1024];
	regex_t re;
	(void)state;

	fail_with = 9;
	int status = rt_child(run_int_failing_traced, err, sizeof err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 9);
	assert_int_equal(regcomp(&re,
		"^start init log: log_init, log_ok\n"
		"init log @[0-9.]+ ms, [0-9.]+ ms clock\n"
		"start init db: db_open, db_check, db_migrate\n"
		"pkgrt: init function db_check of package db failed with status 9\n"
		"start exit: init failed; exit\\(9\\), main not called\n$", REG_EXTENDED), 0);
	if (regexec(&re, err, 0, NULL, 0) != 0)
		fail_msg("unexpected trace:\n%s", err);
	regfree(&re);
}

/* A kind the runtime does not know is a damaged table: fatal, at that
 * function, before calling it. */
static void
run_bad_kind(void)
{
	static const unsigned char kinds[] = {PKGRT_INITFN_VOID, 7, PKGRT_INITFN_VOID};
	use_int_tasks();
	tasks[1].kinds = kinds;
	doInit(&tab);
}

static void
test_bad_kind_fatal(void **state)
{
	char err[512];
	(void)state;

	int status = rt_child(run_bad_kind, err, sizeof err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_string_equal(err, "pkgrt: fatal: init task of package db has a bad kind 7 "
	                         "for init function db_check\n");
}

/* ---- inittrace ------------------------------------------------------------ */

static void
test_inittrace(void **state)
{
	char out[2048], *line, *save = NULL;
	const char *want[] = {"log", "db", "main"};
	regex_t re;
	int i = 0;
	(void)state;

	assert_int_equal(regcomp(&re, "^init ([a-z]+) @[0-9]+(\\.[0-9]+)? ms, [0-9]+(\\.[0-9]+)? ms clock$",
	                         REG_EXTENDED), 0);
	inittrace.active = 1;
	runtimeInitTime = nanotime();
	rt_capture_begin();
	doInit(&tab);
	rt_capture_end(out, sizeof out);
	inittrace.active = 0;

	assert_int_equal(rt_lines(out), 3);
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		regmatch_t m[2];
		if (regexec(&re, line, 2, m, 0) != 0)
			fail_msg("not Go's inittrace format: %s", line);
		assert_int_equal(m[1].rm_eo - m[1].rm_so, strlen(want[i]));
		assert_memory_equal(line + m[1].rm_so, want[i], strlen(want[i]));
		i++;
	}
	regfree(&re);
}

static void
test_starttrace_init_lines(void **state)
{
	char out[2048];
	(void)state;

	debug.starttrace = 1;
	rt_capture_begin();
	doInit(&tab);
	rt_capture_end(out, sizeof out);
	debug.starttrace = 0;
	assert_string_equal(out, "start init log: log_init\n"
	                         "start init db: db_open, db_migrate\n"
	                         "start init main: main_init\n");
}

int
main(int argc, char **argv, char **envp)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order, setup),
		cmocka_unit_test_setup(test_once, setup),
		cmocka_unit_test_setup(test_done_skipped, setup),
		cmocka_unit_test_setup(test_empty_table, setup),
		cmocka_unit_test_setup(test_reentry_fatal, setup),
		cmocka_unit_test_setup(test_running_fatal, setup),
		cmocka_unit_test_setup(test_bad_tasks_fatal, setup),
		cmocka_unit_test_setup(test_crash_names_init, setup),
		cmocka_unit_test_setup(test_no_report_after_init, setup),
		cmocka_unit_test_setup(test_int_succeeds, setup),
		cmocka_unit_test_setup(test_int_fails, setup),
		cmocka_unit_test_setup(test_int_fails_traced, setup),
		cmocka_unit_test_setup(test_bad_kind_fatal, setup),
		cmocka_unit_test_setup(test_inittrace, setup),
		cmocka_unit_test_setup(test_starttrace_init_lines, setup),
	};

	rt_setup(argc, argv, envp);
	return cmocka_run_group_tests_name("runtime init tasks", tests, NULL, NULL);
}
