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
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
	/* Read at its size, and NUL-terminated: empty, and sizes around
	 * the buffer's growth. */
	size_t sizes[] = {0, 1, 7, 8, 65535, 65536, 65537, 300000};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char *data = xmalloc(sizes[i] + 1);
		for (size_t k = 0; k < sizes[i]; k++) data[k] = (char)('a' + k % 26);
		assert_int_equal(out_write_file("sized", data, sizes[i]), 0);
		s = file_read_max("sized", sizes[i], &n);
		assert_non_null(s);
		assert_int_equal(n, sizes[i]);
		assert_memory_equal(s, data, sizes[i]);
		assert_int_equal(s[n], 0);
		free(s);
		free(data);
	}
	/* A pipe, longer than any first buffer: read to its end. */
	assert_int_equal(mkfifo("fifo", 0600), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("fifo", O_WRONLY);
		char block[1000];
		memset(block, 'p', sizeof block);
		for (int k = 0; k < 200; k++)
			if (write(fd, block, sizeof block) != (ssize_t)sizeof block) _exit(1);
		_exit(write(fd, "!", 1) == 1 ? 0 : 1);
	}
	s = file_read_max("fifo", 1 << 20, &n);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_non_null(s);
	assert_int_equal(n, 200001);
	assert_int_equal(s[200000], '!');
	assert_int_equal(s[n], 0);
	free(s);
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
		int rc = out_check_names("link", outs, 2, ins, 3, NULL);
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
	assert_int_equal(out_check_names("gen", same, 2, NULL, 0, NULL), EXIT_USAGE);
	tu_captured();
	struct out_name same2[] = {{"-o", "id/lnk.c"}, {"--report", "id/hard.c"}};
	tu_capture_begin();
	assert_int_equal(out_check_names("gen", same2, 2, NULL, 0, NULL), EXIT_USAGE);
	tu_captured();
	struct out_name devs[] = {{"-o", "/dev/null"}, {"--report", "/dev/null"}};
	assert_int_equal(out_check_names("gen", devs, 2, NULL, 0, NULL), 0);

	/* With a table of what the run has seen (the scan cache's), the
	 * same answers; an input it has seen is judged by what it saw
	 * (dev, ino), one it has not is stat'ed. */
	struct filehash *seen = filehash_new();
	dev_t dev;
	ino_t ino;
	assert_int_equal(filehash_ident(seen, "id/src.c", &dev, &ino), 0);
	filehash_get(seen, "id/src.c", 0);
	struct stat st;
	assert_int_equal(stat("id/src.c", &st), 0);
	assert_int_equal(filehash_ident(seen, "id/src.c", &dev, &ino), 1);
	assert_true(dev == st.st_dev && ino == st.st_ino);
	filehash_get(seen, "id/nothere.c", 0);
	assert_int_equal(filehash_ident(seen, "id/nothere.c", &dev, &ino), 0);
	const char *ins2[] = {"id/src.c", "id/other.c", "id/src.c"};
	struct out_name hard[] = {{"-o", "id/hard.c"}, {"-MF", NULL}};
	tu_capture_begin();
	assert_int_equal(out_check_names("scan", hard, 2, ins2, 3, seen), EXIT_USAGE);
	assert_string_equal(tu_captured(), "pkginit: error: -o 'id/hard.c' is "
			    "'id/src.c', an input of this run: writing it would "
			    "destroy it\nTry 'pkginit scan --help' for more "
			    "information.\n");
	tu_write("id/other.c", "int y;\n");    /* not in the table: stat'ed */
	struct out_name other[] = {{"-o", "id/other.c"}, {"-MF", NULL}};
	tu_capture_begin();
	assert_int_equal(out_check_names("scan", other, 2, ins2, 3, seen), EXIT_USAGE);
	tu_captured();
	struct out_name fresh[] = {{"-o", "id/fresh.c"}, {"-MF", "id/fresh.d"}};
	assert_int_equal(out_check_names("scan", fresh, 2, ins2, 3, seen), 0);
	filehash_free(seen);
}

/* An output that already holds its bytes is touched, not replaced. */
static void test_holds_and_touch(void **state)
{
	(void)state;
	mkdir("ho", 0777);
	tu_write("ho/r.rec", "pkginit: 1\n");
	assert_true(out_holds("ho/r.rec", "pkginit: 1\n", 11));
	assert_false(out_holds("ho/r.rec", "pkginit: 2\n", 11));   /* a byte */
	assert_false(out_holds("ho/r.rec", "pkginit: 1\n\n", 12)); /* longer */
	assert_false(out_holds("ho/r.rec", "pkginit: 1", 10));     /* shorter */
	assert_false(out_holds("ho/none.rec", "", 0));
	tu_write("ho/empty", "");
	assert_true(out_holds("ho/empty", "", 0));
	assert_false(out_holds("-", "", 0));
	assert_false(out_holds("/dev/null", "", 0));
	assert_false(out_holds("ho", "", 0));
	assert_int_equal(symlink("r.rec", "ho/lnk"), 0);
	assert_true(out_holds("ho/lnk", "pkginit: 1\n", 11));
	/* Larger than the compare buffer, differing only at the end. */
	size_t n = 100000;
	char *big = xmalloc(n);
	memset(big, 'x', n);
	assert_int_equal(out_write_file("ho/big", big, n), 0);
	assert_true(out_holds("ho/big", big, n));
	big[n - 1] = 'y';
	assert_false(out_holds("ho/big", big, n));
	free(big);

	/* Touching sets the time of the file a link leads to, keeps the
	 * inode and the bytes. */
	struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
	assert_int_equal(utimensat(AT_FDCWD, "ho/r.rec", old, 0), 0);
	struct stat before, after;
	assert_int_equal(stat("ho/r.rec", &before), 0);
	assert_int_equal(out_touch("ho/lnk"), 0);
	assert_int_equal(stat("ho/r.rec", &after), 0);
	assert_true(after.st_ino == before.st_ino);
	assert_true(after.st_mtim.tv_sec > 1000000000);
	char *s = slurp("ho/r.rec");
	assert_string_equal(s, "pkginit: 1\n");
	free(s);
	tu_capture_begin();
	assert_int_equal(out_touch("ho/nodir/r.rec"), EXIT_INPUT);
	assert_string_equal(tu_captured(), "pkginit: error: cannot write "
			    "'ho/nodir/r.rec': No such file or directory\n");
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
		cmocka_unit_test(test_holds_and_touch),
		cmocka_unit_test(test_path_real),
	};
	return cmocka_run_group_tests_name("file", tests, tu_setup_dir, tu_teardown_dir);
}
