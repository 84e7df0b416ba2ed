/*
 * fuzz/table.c - from a scan record to the C that link writes: whatever
 * a record holds, the table can only ever hold what the scanner could
 * have produced (issue 11 point 5).
 *
 * The property: either link refuses the record (record_read, graph_build
 * or the order fails), or the table it writes (the include-mode plan of
 * the lex order), under each driver (rt0, ctor, shlib),
 * compiles with `cc -std=c11 -pedantic -Werror`.  A record whose init
 * name smuggles in code ("f(void); int evil = 1; extern void x"), a
 * package path that ends a comment or a string, or a name a header of
 * the ctor runner declares shows up as a compile error.  The compiler
 * runs only on records that pass, which most mutations do not, so the
 * target stays fast enough to explore.  tests/e2e/table.sh checks the
 * same property over crafted records in `make test`.
 */
#include "tool.h"
#include "fuzz.h"

#include <errno.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

/* Compile path; 1 when cc accepts it. */
static int fuzz_compiles(const char *path)
{
	const char *cc = getenv("CC") ? getenv("CC") : "cc";
	char *argv[] = {(char *)cc, "-std=c11", "-pedantic", "-Werror", "-x", "c",
			"-c", "-o", "/dev/null", (char *)path, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	if (posix_spawnp(&pid, cc, &fa, NULL, argv, environ) != 0) abort();
	posix_spawn_file_actions_destroy(&fa);
	int st;
	pid_t w;
	/* libFuzzer's -timeout alarm interrupts the wait every second. */
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
	if (w != pid) abort();
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static char tmp[] = "/tmp/pkginit-fuzz-table-XXXXXX.c";

static void fuzz_remove_tmp(void) { unlink(tmp); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	if (fd < 0) {
		if ((fd = mkstemps(tmp, 2)) < 0) abort();
		atexit(fuzz_remove_tmp);
	}
	diag_set_stream(fuzz_devnull());
	struct scan_record *r = xcalloc(1, sizeof *r);
	if (record_read(fuzz_path(data, size), r)) {
		free(r);
		return 0;
	}
	struct graph g = {0};
	struct graph_opts go = {.need_main = 1};
	size_t *order = NULL;
	if (graph_build(&g, r, 1, &go) == 0) {
		order = xcalloc(g.npkgs ? g.npkgs : 1, sizeof *order);
		if (order_packages(&g, ORDER_LEX, order) != 0) {
			free(order);
			order = NULL;
		}
	}
	static const enum driver drivers[] = {DRIVER_RT0, DRIVER_CTOR, DRIVER_SHLIB};
	struct plan plan = {0};
	if (order) plan_from_order(&plan, &g, ORDER_LEX, order);
	for (size_t i = 0; order && i < sizeof drivers / sizeof *drivers; i++) {
		FILE *f = fopen(tmp, "w");
		if (!f) abort();
		emit_table(f, &g, &plan, drivers[i], NULL);
		fclose(f);
		if (!fuzz_compiles(tmp)) {
			size_t n;
			char *text = file_read(tmp, &n);
			FUZZ_CHECK(0, "link accepted a record whose table (--driver=%s) "
				   "does not compile:\n%.*s\n---\n%s",
				   emit_driver_name(drivers[i]), (int)size, (const char *)data,
				   text ? text : "");
		}
	}
	if (order) plan_free(&plan);
	free(order);
	graph_free(&g);
	record_free(r);
	free(r);
	return 0;
}
