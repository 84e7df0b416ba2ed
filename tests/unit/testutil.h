/*
 * testutil.h - what the tool's unit tests share (tests/unit/test_*.c but
 * test_rt_*.c, whose helpers are unittest.h beside this file): a scratch
 * directory for the whole run, writing files into it, capturing
 * diagnostics, a record as text, and running what ends the process in a
 * child.
 *
 * Header-only (each test is one program); include after <cmocka.h> and
 * "tool.h".  A test program passes tu_setup_dir / tu_teardown_dir to
 * cmocka_run_group_tests (or calls them from its own group set-up); its
 * files then live in a fresh directory under /tmp, which is the current
 * directory while the tests run, so paths in records and diagnostics are
 * short and relative, as a user would see them.
 */
#ifndef PKGINIT_TESTUTIL_H
#define PKGINIT_TESTUTIL_H

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tu_dir[PATH_MAX];   /* the scratch directory, absolute */
static char tu_top[PATH_MAX];   /* the directory the tests started in */

static inline int tu_setup_dir(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/pkginit-test-XXXXXX";
	if (!getcwd(tu_top, sizeof tu_top)) return -1;
	if (!mkdtemp(tmpl) || chdir(tmpl) != 0) return -1;
	/* As getcwd spells it (path_display relativizes against that), in
	 * case /tmp is a symbolic link. */
	return getcwd(tu_dir, sizeof tu_dir) ? 0 : -1;
}

static inline int tu_rm_entry(const char *path, const struct stat *st,
			      int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Back to where the tests started, and the scratch directory removed. */
static inline int tu_teardown_dir(void **state)
{
	(void)state;
	if (chdir(tu_top) != 0) return -1;
	return nftw(tu_dir, tu_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write len bytes of text to path (relative to the scratch directory). */
static inline void tu_put_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Write text to path, creating its directories. */
static inline void tu_write(const char *path, const char *text)
{
	char *dir = xstrdup(path);
	for (char *s = strchr(dir + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		mkdir(dir, 0777);
		*s = '/';
	}
	free(dir);
	tu_put_file(path, text, strlen(text));
}

/* Give path a modification time long past, as a file has that was not
 * saved this very moment (the scan cache does not store a record when a
 * file it read may have changed during the scan). */
static inline void tu_age(const char *path)
{
	struct timespec t[2] = {{1000000000, 0}, {1000000000, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* Write text to path with the first occurrence of old replaced by new:
 * a valid sample made invalid in one place. */
static inline void tu_put_variant(const char *path, const char *text,
			   const char *old, const char *new)
{
	const char *at = strstr(text, old);
	assert_non_null(at);
	struct strbuf sb = {0};
	sb_putn(&sb, text, (size_t)(at - text));
	sb_puts(&sb, new);
	sb_puts(&sb, at + strlen(old));
	tu_put_file(path, sb.buf, sb.len);
	sb_free(&sb);
}

/* The record as record.c writes it (malloc'd): to compare two records
 * whole, or one with the text it must be. */
static inline char *tu_record_text(const struct scan_record *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	record_write(f, r);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Diagnostics printed between tu_capture_begin and tu_capture_end are
 * returned as one string (malloc'd; the caller frees it). */
static char *tu_cap_buf;
static size_t tu_cap_len;
static FILE *tu_cap_f;

static inline void tu_capture_begin(void)
{
	tu_cap_f = open_memstream(&tu_cap_buf, &tu_cap_len);
	assert_non_null(tu_cap_f);
	diag_set_stream(tu_cap_f);
}

static inline char *tu_capture_end(void)
{
	diag_set_stream(NULL);
	fclose(tu_cap_f);
	char *s = tu_cap_buf;
	tu_cap_buf = NULL;
	return s;
}

/* The same, kept until the next call (which frees it): for comparing
 * in place. */
static inline const char *tu_captured(void)
{
	static char *last;
	free(last);
	last = tu_capture_end();
	return last;
}

/* Run fn in a child process and return its wait status; what it writes
 * on stderr is returned in *err (malloc'd; the caller frees it).  For
 * what ends the process (diag_die).  The child dumps no core, and gets
 * the default action back for the signals cmocka catches, so a crash is
 * seen as one. */
static inline int tu_child(void (*fn)(void), char **err)
{
	int fds[2], status = -1;
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);   /* or the child's exit writes our buffers again */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
					   SIGABRT, SIGSYS};
		struct rlimit nocore = {0, 0};
		setrlimit(RLIMIT_CORE, &nocore);
		for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			signal(sigs[i], SIG_DFL);
		close(fds[0]);
		dup2(fds[1], 2);
		close(fds[1]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	struct strbuf sb = {0};
	char buf[4096];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) > 0) sb_putn(&sb, buf, (size_t)n);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*err = sb_detach(&sb);
	return status;
}

/* Run a shell command in the scratch directory, its output in ./out;
 * on failure the command and its output are printed.  Returns system's
 * status. */
static inline int tu_sh(const char *cmd)
{
	char *full = xasprintf("%s >out 2>&1", cmd);
	int rc = system(full);
	if (rc) {
		char *text = file_read("out", NULL);
		print_message("command failed (%d): %s\n%s", rc, cmd, text ? text : "");
		free(text);
	}
	free(full);
	return rc;
}

#endif /* PKGINIT_TESTUTIL_H */
