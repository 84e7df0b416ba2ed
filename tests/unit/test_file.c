/*
 * test_file.c - file.c and path.c under careless and hostile use (issue
 * 11): bounded reads, outputs through links and special files, kept
 * modes, temporaries within NAME_MAX, outputs compared with inputs by
 * identity, and real paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tool.h"
#include "testutil.h"

#include <errno.h>
#include <limits.h>

static void test_read_max(void **state)
{
	(void)state;
	tu_write("ten", "0123456789");
	size_t n;
	char *s = file_read_max("ten", 10, &n);
	assert_non_null(s);
	assert_int_equal(n, 10);
	free(s);
	errno = 0;
	assert_null(file_read_max("ten", 9, &n));
	assert_int_equal(errno, EFBIG);
	/* Not a regular file: stops at the limit while reading. */
	errno = 0;
	assert_null(file_read_max("/dev/zero", 1 << 20, &n));
	assert_int_equal(errno, EFBIG);
	tu_capture_begin();
	file_read_failed("/dev/zero", EFBIG, 1 << 20, "pkginit.yaml");
	assert_string_equal(tu_captured(), "pkginit: error: cannot read '/dev/zero': "
			    "it is larger than 1 MiB, the limit for pkginit.yaml "
			    "(is it the right file?)\n");
}

static int write_out(const char *path, const char *text)
{
	struct out o;
	int rc = out_open(&o, path);
	if (rc) return rc;
	fputs(text, o.fp);
	return out_commit(&o);
}

static char *slurp(const char *path)
{
	char *s = file_read(path, NULL);
	assert_non_null(s);
	return s;
}

static void test_through_link(void **state)
{
	(void)state;
	mkdir("real", 0777);
	tu_write("real/r.txt", "old\n");
	assert_int_equal(chmod("real/r.txt", 0604), 0);
	assert_int_equal(symlink("real/r.txt", "via"), 0);
	assert_int_equal(symlink("via", "via2"), 0);
	assert_int_equal(write_out("via2", "new\n"), 0);
	struct stat st;
	assert_int_equal(lstat("via", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat("via2", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat("real/r.txt", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0604);
	char *s = slurp("real/r.txt");
	assert_string_equal(s, "new\n");
	free(s);
	/* A dangling link: the file it names is created. */
	assert_int_equal(symlink("real/made.txt", "dangling"), 0);
	assert_int_equal(write_out("dangling", "x\n"), 0);
	s = slurp("real/made.txt");
	assert_string_equal(s, "x\n");
	free(s);
	/* A loop: an error, nothing written. */
	assert_int_equal(symlink("loopb", "loopa"), 0);
	assert_int_equal(symlink("loopa", "loopb"), 0);
	tu_capture_begin();
	assert_int_equal(write_out("loopa", "x\n"), EXIT_INPUT);
	assert_string_equal(tu_captured(), "pkginit: error: cannot write 'loopa': "
			    "Too many levels of symbolic links\n");
}

static void test_long_name(void **state)
{
	(void)state;
	char name[NAME_MAX + 1];
	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = 0;
	assert_int_equal(write_out(name, "x\n"), 0);
	char *s = slurp(name);
	assert_string_equal(s, "x\n");
	free(s);
	unlink(name);
}

static void test_errors_name_the_cause(void **state)
{
	(void)state;
	tu_capture_begin();
	assert_int_equal(write_out("nodir/x", "x\n"), EXIT_INPUT);
	assert_string_equal(tu_captured(), "pkginit: error: cannot write 'nodir/x': "
			    "directory 'nodir' does not exist\n");
	/* A warning for what must not fail the run. */
	struct out o;
	tu_capture_begin();
	assert_int_equal(out_open_as(&o, "nodir/x", OUT_WARN), EXIT_INPUT);
	assert_string_equal(tu_captured(), "pkginit: warning: cannot write 'nodir/x': "
			    "directory 'nodir' does not exist\n");
	tu_capture_begin();
	assert_int_equal(out_open_as(&o, "nodir/x", OUT_QUIET), EXIT_INPUT);
	assert_string_equal(tu_captured(), "");
}

static void test_outputs_and_inputs(void **state)
{
	(void)state;
	mkdir("id", 0777);
	tu_write("id/src.c", "int x;\n");
	assert_int_equal(symlink("src.c", "id/lnk.c"), 0);
	assert_int_equal(link("id/src.c", "id/hard.c"), 0);
	const char *ins[] = {"id/src.c", NULL, "-"};
	struct {
		const char *out, *want;
	} cases[] = {
		{"id/src.c", "pkginit: error: -o 'id/src.c' is an input of this run: "
			     "writing it would destroy it\n"},
		{"./id/../id/src.c", "pkginit: error: -o './id/../id/src.c' is "
			     "'id/src.c', an input of this run: writing it would "
			     "destroy it\n"},
		{"id/lnk.c", "pkginit: error: -o 'id/lnk.c' is 'id/src.c', an input "
			     "of this run: writing it would destroy it\n"},
		{"id/hard.c", "pkginit: error: -o 'id/hard.c' is 'id/src.c', an input "
			      "of this run: writing it would destroy it\n"},
		{"id/other.c", ""},
		{"/dev/null", ""},
		{"-", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct out_name outs[] = {{"-o", cases[i].out}, {"--report", NULL}};
		tu_capture_begin();
		int rc = out_check_names("link", outs, 2, ins, 3);
		const char *got = tu_captured();
		if (*cases[i].want) {
			assert_int_equal(rc, EXIT_USAGE);
			char *want = xasprintf("%sTry 'pkginit link --help' for more "
					       "information.\n", cases[i].want);
			assert_string_equal(got, want);
			free(want);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(got, "");
		}
	}
	/* Two outputs, one file: existing or not, any spelling. */
	struct out_name same[] = {{"-o", "id/new.c"}, {"--report", "id/./new.c"}};
	tu_capture_begin();
	assert_int_equal(out_check_names("gen", same, 2, NULL, 0), EXIT_USAGE);
	tu_captured();
	struct out_name same2[] = {{"-o", "id/lnk.c"}, {"--report", "id/hard.c"}};
	tu_capture_begin();
	assert_int_equal(out_check_names("gen", same2, 2, NULL, 0), EXIT_USAGE);
	tu_captured();
	struct out_name devs[] = {{"-o", "/dev/null"}, {"--report", "/dev/null"}};
	assert_int_equal(out_check_names("gen", devs, 2, NULL, 0), 0);
}

static void test_path_real(void **state)
{
	(void)state;
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	mkdir("pr", 0777);
	mkdir("pr/d", 0777);
	assert_int_equal(symlink("d", "pr/l"), 0);
	char *want = xasprintf("%s/pr/d/x/y.h", cwd);
	char *got = path_real("pr/l/x/y.h");    /* x does not exist */
	assert_string_equal(got, want);
	free(got);
	free(want);
	want = xasprintf("%s/pr/d", cwd);
	got = path_real("./pr//l/");
	assert_string_equal(got, want);
	free(got);
	free(want);
	got = path_real("/");
	assert_string_equal(got, "/");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_max),
		cmocka_unit_test(test_through_link),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_errors_name_the_cause),
		cmocka_unit_test(test_outputs_and_inputs),
		cmocka_unit_test(test_path_real),
	};
	return cmocka_run_group_tests_name("file", tests, tu_setup_dir, tu_teardown_dir);
}
