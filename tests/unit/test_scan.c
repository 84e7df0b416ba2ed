/*
 * test_scan.c - scan_tu against small source trees.
 *
 * The whole run works in testutil.h's scratch directory (the process's
 * current directory from the group set-up on, so that paths in records
 * and diagnostics are short and relative, as a user would see them).
 * Each test writes its tree under a subdirectory of its own and scans it
 * with that subdirectory as the root.  Diagnostics are captured
 * (tu_capture_begin) and compared line by line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static char *g_inc;             /* -I<abs path of runtime/include> */
static const char *g_dir;       /* the current test's subdirectory */
static char *g_diag;            /* diagnostics of the last scan */

/* ---- helpers ----------------------------------------------------------- */

/* "<test dir>/rel"; kept until group_teardown, so tests can use it inline
 * (and LeakSanitizer, under make test SANITIZE=..., sees no leak). */
static char **g_paths;
static size_t g_npaths, g_cappaths;
static char *tp(const char *rel)
{
	char *p = xasprintf("%s/%s", g_dir, rel);
	VEC_PUSH(g_paths, g_npaths, g_cappaths, p);
	return p;
}

/* Write rel under the test's directory. */
static void wr(const char *rel, const char *text) { tu_write(tp(rel), text); }

static void use_dir(const char *name)
{
	g_dir = name;
	mkdir(name, 0777);
}

static int scan_with(const char *file, const char *const *roots,
		     size_t nroots, const char *const *args, size_t nargs,
		     const char *dir, struct scan_record *r)
{
	struct scan_opts o = {.roots = roots, .nroots = nroots, .args = args,
			      .nargs = nargs, .directory = dir};
	free(g_diag);
	tu_capture_begin();
	int rc = scan_tu(file, &o, r);
	g_diag = tu_capture_end();
	return rc;
}

/* Scan <test dir>/rel with the test's directory as the only root. */
static int scan(const char *rel, struct scan_record *r)
{
	const char *roots[] = {g_dir};
	const char *args[] = {g_inc};
	return scan_with(tp(rel), roots, 1, args, 1, NULL, r);
}

/* The diagnostics expected, one line per argument, NULL-terminated; each
 * "%s" is replaced by the test's directory. */
static void expect_diag(const char *first, ...)
{
	struct strbuf sb = {0};
	va_list ap;
	va_start(ap, first);
	for (const char *l = first; l; l = va_arg(ap, const char *)) {
		const char *pct = strstr(l, "%s");
		if (pct) {
			sb_putn(&sb, l, (size_t)(pct - l));
			sb_puts(&sb, g_dir);
			sb_puts(&sb, pct + 2);
		} else {
			sb_puts(&sb, l);
		}
		sb_putc(&sb, '\n');
	}
	va_end(ap);
	char *want = sb_detach(&sb);
	assert_string_equal(g_diag, want);
	free(want);
}

static const struct scan_file *find_file(const struct scan_record *r,
					 const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path)) return &r->files[i];
	return NULL;
}

static int has_dep(const struct scan_record *r, const char *path)
{
	for (size_t i = 0; i < r->ndeps; i++)
		if (!strcmp(r->deps[i], path)) return 1;
	return 0;
}

static void assert_init(const struct scan_init *in, const char *name,
			const char *rel, unsigned line, unsigned col)
{
	assert_string_equal(in->name, name);
	assert_string_equal(in->file, tp(rel));
	assert_int_equal(in->line, line);
	assert_int_equal(in->col, col);
}

static void assert_annot(const struct scan_annot *a, const char *path,
			 const char *rel, unsigned line, unsigned col)
{
	assert_string_equal(a->path, path);
	assert_string_equal(a->file, tp(rel));
	assert_int_equal(a->line, line);
	assert_int_equal(a->col, col);
}

static void assert_include(const struct scan_include *e, const char *from,
			   unsigned line, const char *to)
{
	assert_string_equal(e->from, tp(from));
	assert_int_equal(e->line, line);
	assert_string_equal(e->to, tp(to));
}

/* ---- annotations ------------------------------------------------------- */

static void test_init_function(void **state)
{
	(void)state;
	use_dir("init");
	wr("a/a.c", "#include <pkginit.h>\n"
		    "\n"
		    "PKG_INIT void a_init(void)\n"
		    "{\n"
		    "\tint x = 1;\n"
		    "\t(void)x;\n"
		    "}\n"
		    "void helper(void) {}\n");
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), 0);
	assert_string_equal(g_diag, "");
	assert_string_equal(r.tu, tp("a/a.c"));
	assert_int_equal(r.nroots, 1);
	assert_string_equal(r.roots[0], "init");
	assert_int_equal(r.ninits, 1);
	assert_init(&r.inits[0], "a_init", "a/a.c", 3, 15);
	assert_int_equal(r.nfiles, 1);
	assert_string_equal(r.files[0].path, tp("a/a.c"));
	assert_string_equal(r.files[0].name, "a/a.c");
	assert_string_equal(r.files[0].package, "a");
	assert_int_equal(r.nimports + r.npackages + r.nincludes, 0);
	assert_false(r.defines_main);
	assert_null(r.source);
	record_free(&r);
}

static void test_several_inits(void **state)
{
	(void)state;
	use_dir("several");
	wr("p/p.h", "#include <pkginit.h>\n"
		    "PKG_INIT void from_header(void);\n");
	wr("p/p.c", "#include \"p.h\"\n"                           /* 1 */
		    "PKG_INIT void z_init(void);\n"                /* 2 */
		    "PKG_INIT void z_init(void) {}\n"              /* 3 */
		    "PKG_INIT void a_init(void) /* c */ // c\n"    /* 4 */
		    "{\n"
		    "}\n"
		    "void from_header(void) {}\n"                  /* 7 */
		    "#define DEFINE_INIT(n) PKG_INIT void n(void) {}\n"
		    "DEFINE_INIT(m_init);\n"                       /* 9 */
		    "PKG_INIT void  b_init(void) {}\n");           /* 10 */
	struct scan_record r;
	assert_int_equal(scan("p/p.c", &r), 0);
	assert_string_equal(g_diag, "");
	assert_int_equal(r.ninits, 5);
	assert_init(&r.inits[0], "z_init", "p/p.c", 3, 15);
	assert_init(&r.inits[1], "a_init", "p/p.c", 4, 15);
	assert_init(&r.inits[2], "from_header", "p/p.c", 7, 6);
	assert_init(&r.inits[3], "m_init", "p/p.c", 9, 13);
	assert_init(&r.inits[4], "b_init", "p/p.c", 10, 16);
	assert_int_equal(r.nfiles, 2);
	assert_string_equal(r.files[0].path, tp("p/p.c"));
	assert_string_equal(r.files[1].path, tp("p/p.h"));
	assert_string_equal(r.files[1].package, "p");
	record_free(&r);
}

static void test_imports_and_packages(void **state)
{
	(void)state;
	use_dir("annot");
	wr("b/b.h", "#ifndef B_H\n"
		    "#define B_H\n"
		    "#include <pkginit.h>\n"
		    "PKG_IMPORT(\"log\");\n"                       /* 4 */
		    "PKG_PACKAGE(\"storage/b\");\n"                /* 5 */
		    "#endif\n");
	wr("a/a.c", "#include <pkginit.h>\n"
		    "#include \"../b/b.h\"\n"
		    "PKG_IMPORT(\"net/http\");\n"                  /* 3 */
		    "_Static_assert(sizeof(\"pkginit:import:no\") > 1, \"fine\");\n"
		    "  PKG_IMPORT(\"db\" \"/\" \"sql\");\n"        /* 5 */
		    "PKG_PACKAGE(\"main\");\n"                     /* 6 */
		    "PKG_IMPORT(\"log\");\n"                       /* 7 */
		    "#include \"../b/b.h\"\n");
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), 0);
	assert_string_equal(g_diag, "");
	assert_int_equal(r.nimports, 4);
	assert_annot(&r.imports[0], "net/http", "a/a.c", 3, 1);
	assert_annot(&r.imports[1], "db/sql", "a/a.c", 5, 3);
	assert_annot(&r.imports[2], "log", "a/a.c", 7, 1);
	assert_annot(&r.imports[3], "log", "b/b.h", 4, 1);
	assert_int_equal(r.npackages, 2);
	assert_annot(&r.packages[0], "main", "a/a.c", 6, 1);
	assert_annot(&r.packages[1], "storage/b", "b/b.h", 5, 1);
	assert_int_equal(r.ninits, 0);
	record_free(&r);
}

static void test_invalid_annotations(void **state)
{
	(void)state;
	use_dir("badannot");
	wr("a/a.h", "#include <pkginit.h>\n"
		    "PKG_IMPORT(\"../up\");\n");
	wr("a/a.c", "#include \"a.h\"\n"
		    "PKG_IMPORT(\"\");\n"
		    "PKG_IMPORT(\"/abs\");\n"
		    "PKG_IMPORT(\"dir/\");\n"
		    "PKG_IMPORT(\"a//b\");\n"
		    "PKG_IMPORT(\"./a\");\n"
		    "PKG_PACKAGE(\"a/..\");\n"
		    "PKG_IMPORT(\"a\\\\b\");\n"
		    "PKG_IMPORT(\"tab\\there\");\n"
		    "_Static_assert(1, \"pkginit:export:x\");\n"
		    "PKG_IMPORT(\"ok\");\n"
		    "PKG_INIT void fine(void) {}\n");
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), EXIT_ORDER);
	assert_null(r.tu);
	assert_int_equal(r.ninits, 0);
#define NOTE(l) "%s/a/a.c:" #l ":1: note: a package path is a directory " \
	"relative to a root, like \"log\" or \"net/http\""
	expect_diag(
		"%s/a/a.c:2:1: error: invalid package path \"\" in PKG_IMPORT: "
		"it is empty", NOTE(2),
		"%s/a/a.c:3:1: error: invalid package path \"/abs\" in "
		"PKG_IMPORT: it starts or ends with '/'", NOTE(3),
		"%s/a/a.c:4:1: error: invalid package path \"dir/\" in "
		"PKG_IMPORT: it starts or ends with '/'", NOTE(4),
		"%s/a/a.c:5:1: error: invalid package path \"a//b\" in "
		"PKG_IMPORT: it has an empty component ('//')", NOTE(5),
		"%s/a/a.c:6:1: error: invalid package path \"./a\" in "
		"PKG_IMPORT: it has a '.' or '..' component", NOTE(6),
		"%s/a/a.c:7:1: error: invalid package path \"a/..\" in "
		"PKG_PACKAGE: it has a '.' or '..' component", NOTE(7),
		/* line 8: a backslash is a byte a directory may hold */
		"%s/a/a.c:9:1: error: invalid package path \"tab\\x09here\" in "
		"PKG_IMPORT: it contains a control character", NOTE(9),
		"%s/a/a.c:10:1: error: unknown pkginit annotation "
		"\"pkginit:export:x\"",
		"%s/a/a.c:10:1: note: <pkginit.h> provides PKG_IMPORT(\"path\"), "
		"PKG_PACKAGE(\"path\") and PKG_AFTER(init, other)",
		"%s/a/a.h:2:1: error: invalid package path \"../up\" in "
		"PKG_IMPORT: it has a '.' or '..' component",
		"%s/a/a.h:2:1: note: a package path is a directory relative to "
		"a root, like \"log\" or \"net/http\"",
		NULL);
#undef NOTE
}

/* ---- invalid init functions -------------------------------------------- */

/* Scan a/a.c holding src (after #include <pkginit.h>, so src starts on
 * line 2) and expect EXIT_ORDER with exactly these diagnostics. */
#define EXPECT_BAD_INIT(dir, src, ...)                                      \
	do {                                                                \
		use_dir(dir);                                               \
		wr("a/a.c", "#include <pkginit.h>\n" src);                  \
		struct scan_record r_;                                      \
		assert_int_equal(scan("a/a.c", &r_), EXIT_ORDER);           \
		assert_null(r_.tu);                                         \
		expect_diag(__VA_ARGS__, NULL);                             \
	} while (0)

static void test_init_static(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("static",
		"PKG_INIT static void s_init(void) {}\n",
		"%s/a/a.c:2:22: error: 's_init' is marked PKG_INIT but is "
		"static; init functions need external linkage",
		"%s/a/a.c:2:22: note: the generated init table calls it from "
		"another file: remove 'static'");
}

static void test_init_static_prototype(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("staticproto",
		"static void s_init(void);\n"
		"PKG_INIT void s_init(void) {}\n",
		"%s/a/a.c:3:15: error: 's_init' is marked PKG_INIT but is "
		"static; init functions need external linkage",
		"%s/a/a.c:3:15: note: the generated init table calls it from "
		"another file: remove 'static'");
}

static void test_init_returns(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("returns",
		"typedef unsigned status;\n"
		"PKG_INIT status r_init(void) { return 0; }\n",
		"%s/a/a.c:3:17: error: 'r_init' is marked PKG_INIT but returns "
		"'status'; init functions have type void (void) "
		"or int (void)",
		"%s/a/a.c:3:17: note: the init table calls it as 'void "
		"r_init(void)', or as 'int r_init(void)' whose non-zero result "
		"stops start-up: declare it as one of them");
}

/* Only void and int: each other return type is refused, by its real
 * type (an enum and _Bool are not int; the table calls through exactly
 * one of two pointer types). */
static void test_init_returns_other(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("returnsother",
		"enum e { OK };\n"
		"PKG_INIT long l_init(void) { return 0; }\n"
		"PKG_INIT enum e e_init(void) { return OK; }\n"
		"PKG_INIT _Bool b_init(void) { return 0; }\n"
		"PKG_INIT int *p_init(void) { return 0; }\n",
		"%s/a/a.c:3:15: error: 'l_init' is marked PKG_INIT but returns "
		"'long'; init functions have type void (void) or int (void)",
		"%s/a/a.c:3:15: note: the init table calls it as 'void "
		"l_init(void)', or as 'int l_init(void)' whose non-zero result "
		"stops start-up: declare it as one of them",
		"%s/a/a.c:4:17: error: 'e_init' is marked PKG_INIT but returns "
		"'enum e'; init functions have type void (void) or int (void)",
		"%s/a/a.c:4:17: note: the init table calls it as 'void "
		"e_init(void)', or as 'int e_init(void)' whose non-zero result "
		"stops start-up: declare it as one of them",
		"%s/a/a.c:5:16: error: 'b_init' is marked PKG_INIT but returns "
		"'_Bool'; init functions have type void (void) or int (void)",
		"%s/a/a.c:5:16: note: the init table calls it as 'void "
		"b_init(void)', or as 'int b_init(void)' whose non-zero result "
		"stops start-up: declare it as one of them",
		"%s/a/a.c:6:15: error: 'p_init' is marked PKG_INIT but returns "
		"'int *'; init functions have type void (void) or int (void)",
		"%s/a/a.c:6:15: note: the init table calls it as 'void "
		"p_init(void)', or as 'int p_init(void)' whose non-zero result "
		"stops start-up: declare it as one of them");
}

/* int (void) is an init function that can fail: recorded as such,
 * through a typedef too; void ones are not. */
static void test_init_returns_int(void **state)
{
	(void)state;
	use_dir("returnsint");
	wr("a/a.c", "#include <pkginit.h>\n"
		    "typedef int status;\n"
		    "PKG_INIT int i_init(void) { return 0; }\n"
		    "PKG_INIT status s_init(void) { return 1; }\n"
		    "PKG_INIT void v_init(void) {}\n");
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), 0);
	assert_string_equal(g_diag, "");
	assert_int_equal(r.ninits, 3);
	assert_init(&r.inits[0], "i_init", "a/a.c", 3, 14);
	assert_int_equal(r.inits[0].returns_int, 1);
	assert_init(&r.inits[1], "s_init", "a/a.c", 4, 17);
	assert_int_equal(r.inits[1].returns_int, 1);
	assert_init(&r.inits[2], "v_init", "a/a.c", 5, 15);
	assert_int_equal(r.inits[2].returns_int, 0);
	record_free(&r);
}

/* The hints for an int init function's other problems keep its type. */
static void test_init_int_params(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("intparams",
		"PKG_INIT int q_init(int n) { return n; }\n"
		"PKG_INIT int k_init() { return 0; }\n",
		"%s/a/a.c:2:14: error: 'q_init' is marked PKG_INIT but takes "
		"parameters; init functions have type void (void) or int (void)",
		"%s/a/a.c:2:14: note: the init table calls it with no "
		"arguments: declare it as 'int q_init(void)'",
		"%s/a/a.c:3:14: error: 'k_init' is marked PKG_INIT but has no "
		"prototype; init functions have type void (void) or int (void)",
		"%s/a/a.c:3:14: note: write 'int k_init(void)': empty "
		"parentheses leave the parameters unspecified");
}

static void test_init_params(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("params",
		"PKG_INIT void p_init(int argc) { (void)argc; }\n",
		"%s/a/a.c:2:15: error: 'p_init' is marked PKG_INIT but takes "
		"parameters; init functions have type void (void) "
		"or int (void)",
		"%s/a/a.c:2:15: note: the init table calls it with no "
		"arguments: declare it as 'void p_init(void)'");
}

static void test_init_unprototyped(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("noproto",
		"PKG_INIT void u_init() {}\n",
		"%s/a/a.c:2:15: error: 'u_init' is marked PKG_INIT but has no "
		"prototype; init functions have type void (void) "
		"or int (void)",
		"%s/a/a.c:2:15: note: write 'void u_init(void)': empty "
		"parentheses leave the parameters unspecified");
}

static void test_init_variadic(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("variadic",
		"PKG_INIT void v_init(int n, ...) { (void)n; }\n",
		"%s/a/a.c:2:15: error: 'v_init' is marked PKG_INIT but takes "
		"parameters; init functions have type void (void) "
		"or int (void)",
		"%s/a/a.c:2:15: note: the init table calls it with no "
		"arguments: declare it as 'void v_init(void)'");
}

static void test_init_declaration_only(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("declonly",
		"void other(void);\n"
		"PKG_INIT void d_init(void);\n"
		"#define DECLARE(n) PKG_INIT void n(void)\n"
		"DECLARE(m_init);\n",
		"%s/a/a.c:3:15: error: 'd_init' is marked PKG_INIT but is not "
		"defined in this translation unit",
		"%s/a/a.c:3:15: note: PKG_INIT marks a definition: put it on "
		"the function's definition in its .c file, not on a "
		"declaration",
		"%s/a/a.c:5:9: error: 'm_init' is marked PKG_INIT but is not "
		"defined in this translation unit",
		"%s/a/a.c:5:9: note: PKG_INIT marks a definition: put it on "
		"the function's definition in its .c file, not on a "
		"declaration");
}

static void test_init_in_header(void **state)
{
	(void)state;
	use_dir("header");
	wr("b/b.h", "#include <pkginit.h>\n"
		    "PKG_INIT void h_init(void) {}\n");
	wr("a/a.c", "#include \"../b/b.h\"\n");
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), EXIT_ORDER);
	expect_diag("%s/b/b.h:2:15: error: 'h_init' is marked PKG_INIT but is "
		    "defined in an included file; init functions are defined "
		    "in the .c file being compiled",
		    "%s/b/b.h:2:15: note: every file that includes it would "
		    "define 'h_init' again: move the definition into one .c "
		    "file",
		    NULL);
}

/* A PKG_INIT prototype in a package's header documents the header; the
 * TUs that include it without defining the function are fine. */
static void test_init_prototype_in_header(void **state)
{
	(void)state;
	use_dir("proto");
	wr("log/log.h", "#include <pkginit.h>\n"
			"PKG_INIT void log_init(void);\n");
	wr("db/db.c", "#include \"../log/log.h\"\n"
		      "PKG_INIT void db_init(void) {}\n");
	wr("log/log.c", "#include \"log.h\"\n"
			"void log_init(void) {}\n");
	struct scan_record r;
	assert_int_equal(scan("db/db.c", &r), 0);
	assert_string_equal(g_diag, "");
	assert_int_equal(r.ninits, 1);
	assert_init(&r.inits[0], "db_init", "db/db.c", 2, 15);
	record_free(&r);
	assert_int_equal(scan("log/log.c", &r), 0);
	assert_int_equal(r.ninits, 1);
	assert_init(&r.inits[0], "log_init", "log/log.c", 2, 6);
	record_free(&r);
}

/* A TU outside every root has no package: a usage error, no record. */
static void test_tu_outside_roots(void **state)
{
	(void)state;
	use_dir("outside");
	wr("src/a.c", "int a;\n");
	wr("elsewhere/b.c", "int b;\n");
	const char *roots[] = {tp("src")};
	const char *args[] = {g_inc};
	struct scan_record r;
	assert_int_equal(scan_with(tp("elsewhere/b.c"), roots, 1, args, 1, NULL, &r),
			 EXIT_USAGE);
	expect_diag("%s/elsewhere/b.c: error: file is outside every root "
		    "('outside/src'), so it belongs to no package",
		    "pkginit: note: add --root for the directory that holds "
		    "its package, or scan from that directory",
		    NULL);
	assert_null(r.tu);
}

static void test_all_errors_reported(void **state)
{
	(void)state;
	EXPECT_BAD_INIT("allerrors",
		"PKG_INIT static long two(int x) { return x; }\n"
		"PKG_INIT void good(void) {}\n"
		"PKG_INIT void decl(void);\n",
		"%s/a/a.c:2:22: error: 'two' is marked PKG_INIT but is static; "
		"init functions need external linkage",
		"%s/a/a.c:2:22: note: the generated init table calls it from "
		"another file: remove 'static'",
		"%s/a/a.c:2:22: error: 'two' is marked PKG_INIT but returns "
		"'long'; init functions have type void (void) or int (void)",
		"%s/a/a.c:2:22: note: the init table calls it as 'void "
		"two(void)', or as 'int two(void)' whose non-zero result "
		"stops start-up: declare it as one of them",
		"%s/a/a.c:2:22: error: 'two' is marked PKG_INIT but takes "
		"parameters; init functions have type void (void) "
		"or int (void)",
		"%s/a/a.c:2:22: note: the init table calls it with no "
		"arguments: declare it as 'void two(void)'",
		"%s/a/a.c:4:15: error: 'decl' is marked PKG_INIT but is not "
		"defined in this translation unit",
		"%s/a/a.c:4:15: note: PKG_INIT marks a definition: put it on "
		"the function's definition in its .c file, not on a "
		"declaration");
}

/* ---- includes and files ------------------------------------------------ */

static void test_include_edges(void **state)
{
	(void)state;
	use_dir("edges");
	wr("c/c.h", "#ifndef C_H\n#define C_H\nint c(void);\n#endif\n");
	wr("b/b.h", "#ifndef B_H\n"
		    "#define B_H\n"
		    "#include \"../c/c.h\"\n"                      /* 3 */
		    "#endif\n");
	wr("a/a.c", "\n"
		    "#include \"../b/b.h\"\n");                    /* 2 */
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), 0);
	assert_int_equal(r.nincludes, 2);
	assert_include(&r.includes[0], "a/a.c", 2, "b/b.h");
	assert_include(&r.includes[1], "b/b.h", 3, "c/c.h");
	assert_int_equal(r.nfiles, 3);
	const struct scan_file *f = find_file(&r, tp("c/c.h"));
	assert_non_null(f);
	assert_string_equal(f->name, "c/c.h");
	assert_string_equal(f->package, "c");
	record_free(&r);
}

static void test_guarded_header_twice(void **state)
{
	(void)state;
	use_dir("guarded");
	wr("b/b.h", "#ifndef B_H\n#define B_H\nint b(void);\n#endif\n");
	wr("a/x.h", "#include \"../b/b.h\"\n");
	wr("a/a.c", "#include \"x.h\"\n"
		    "#include \"../b/b.h\"\n"
		    "#include \"x.h\"\n"
		    "#include \"../b/b.h\"\n");
	wr("top.c", "#include \"b/b.h\"\n");
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), 0);
	assert_int_equal(r.nincludes, 5);
	assert_include(&r.includes[0], "a/a.c", 1, "a/x.h");
	assert_include(&r.includes[1], "a/a.c", 2, "b/b.h");
	assert_include(&r.includes[2], "a/a.c", 3, "a/x.h");
	assert_include(&r.includes[3], "a/a.c", 4, "b/b.h");
	assert_include(&r.includes[4], "a/x.h", 1, "b/b.h");
	record_free(&r);

	/* A file directly in the root is in package ".". */
	assert_int_equal(scan("top.c", &r), 0);
	const struct scan_file *f = find_file(&r, tp("top.c"));
	assert_non_null(f);
	assert_string_equal(f->name, "top.c");
	assert_string_equal(f->package, ".");
	assert_int_equal(r.nincludes, 1);
	assert_include(&r.includes[0], "top.c", 1, "b/b.h");
	record_free(&r);
}

static void test_system_headers(void **state)
{
	(void)state;
	use_dir("system");
	wr("a/a.c", "#include <stdio.h>\n"
		    "#include <stddef.h>\n"
		    "#include <pkginit.h>\n"
		    "PKG_INIT void a_init(void) { printf(\"%d\", 1); }\n");
	struct scan_record r;
	assert_int_equal(scan("a/a.c", &r), 0);
	assert_int_equal(r.nfiles, 1);
	assert_int_equal(r.nincludes, 0);
	assert_true(has_dep(&r, tp("a/a.c")));
	assert_true(has_dep(&r, "/usr/include/stdio.h"));
	char *pkginit_h = xasprintf("%s/runtime/include/pkginit.h", tu_top);
	assert_true(has_dep(&r, pkginit_h));
	int stddef = 0;
	for (size_t i = 0; i < r.ndeps; i++) {
		if (i) assert_true(strcmp(r.deps[i - 1], r.deps[i]) < 0);
		const char *s = strrchr(r.deps[i], '/');
		stddef |= s && !strcmp(s, "/stddef.h");
	}
	assert_true(stddef);
	assert_true(r.ndeps > 5);
	free(pkginit_h);
	record_free(&r);
}

static void test_outside_roots(void **state)
{
	(void)state;
	use_dir("roots");
	wr("third/t.h", "#include <pkginit.h>\n"
			"PKG_IMPORT(\"third\");\n"
			"PKG_INIT void t_init(void);\n"
			"#include \"../src/lib/l.h\"\n");
	wr("src/lib/l.h", "int l(void);\n");
	wr("src/a.c", "#include \"../third/t.h\"\n"
		      "#include \"lib/l.h\"\n"
		      "void t_init(void) {}\n");
	const char *roots[] = {tp("src"), tp("src/lib"), tp("other")};
	const char *args[] = {g_inc};
	struct scan_record r;
	assert_int_equal(scan_with(tp("src/a.c"), roots, 3, args, 1, NULL, &r),
			 0);
	assert_string_equal(g_diag, "");
	assert_int_equal(r.nfiles, 2);
	assert_string_equal(r.files[0].path, tp("src/a.c"));
	assert_string_equal(r.files[0].name, "a.c");
	assert_string_equal(r.files[0].package, ".");
	/* The longest root wins. */
	assert_string_equal(r.files[1].path, tp("src/lib/l.h"));
	assert_string_equal(r.files[1].name, "l.h");
	assert_string_equal(r.files[1].package, ".");
	assert_int_equal(r.nimports, 0);
	/* The definition inherits PKG_INIT from the third-party prototype. */
	assert_int_equal(r.ninits, 1);
	assert_init(&r.inits[0], "t_init", "src/a.c", 3, 6);
	/* Only the include between project files is an edge. */
	assert_int_equal(r.nincludes, 1);
	assert_include(&r.includes[0], "src/a.c", 2, "src/lib/l.h");
	assert_true(has_dep(&r, tp("third/t.h")));
	record_free(&r);
}

/* ---- main, errors, determinism, directories ---------------------------- */

static void test_defines_main(void **state)
{
	(void)state;
	use_dir("main");
	wr("m/h.h", "int main(void);\n");
	wr("m/main.c", "#include \"h.h\"\n"
		       "int main(void);\n"
		       "\n"
		       "int main(void)\n"
		       "{\n"
		       "\treturn 0;\n"
		       "}\n");
	wr("m/decl.c", "#include \"h.h\"\nint main(void);\n");
	wr("m/hdr.h", "int main(void) { return 0; }\n");
	wr("m/hdr.c", "#include \"hdr.h\"\n");
	struct scan_record r;
	assert_int_equal(scan("m/main.c", &r), 0);
	assert_true(r.defines_main);
	assert_string_equal(r.main_at.file, tp("m/main.c"));
	assert_ptr_equal(r.main_at.file, r.tu);
	assert_int_equal(r.main_at.line, 4);
	assert_int_equal(r.main_at.col, 5);
	record_free(&r);
	assert_int_equal(scan("m/decl.c", &r), 0);
	assert_false(r.defines_main);
	record_free(&r);
	/* main in a header of the project that the TU includes: the TU
	 * defines it, there. */
	assert_int_equal(scan("m/hdr.c", &r), 0);
	assert_true(r.defines_main);
	assert_string_equal(r.main_at.file, tp("m/hdr.h"));
	assert_int_equal(r.main_at.line, 1);
	assert_int_equal(r.main_at.col, 5);
	record_free(&r);
}

static void test_parse_error(void **state)
{
	(void)state;
	use_dir("parse");
	wr("a/a.c", "#include <pkginit.h>\n"
		    "static int unused(void) { return 0; }\n"
		    "int x = ;\n"
		    "#include \"nope.h\"\n"
		    "int y = 1;\n"
		    "int y = 2;\n");
	const char *roots[] = {g_dir};
	const char *args[] = {g_inc, "-Wall", "-Werror"};
	struct scan_record r;
	assert_int_equal(scan_with(tp("a/a.c"), roots, 1, args, 3, NULL, &r),
			 EXIT_INPUT);
	assert_null(r.tu);
	/* Errors only: the unused function is a warning turned error by
	 * -Werror, and would not be one had the body been parsed. */
	expect_diag("%s/a/a.c:3:9: error: expected expression",
		    "%s/a/a.c:4:10: error: 'nope.h' file not found",
		    "%s/a/a.c:6:5: error: redefinition of 'y'",
		    "%s/a/a.c:5:5: note: previous definition is here", NULL);
}

static void test_missing_file(void **state)
{
	(void)state;
	use_dir("missing");
	struct scan_record r;
	assert_int_equal(scan("nope.c", &r), EXIT_INPUT);
	expect_diag("pkginit: error: cannot read '%s/nope.c': No such file or "
		    "directory", NULL);
}

static void test_scan_flag_defined(void **state)
{
	(void)state;
	use_dir("flag");
	wr("a/a.c", "#include <pkginit.h>\n"
		    "#ifndef __PKGINIT_SCAN__\n"
		    "#error not scanning\n"
		    "#endif\n"
		    "#if __PKGINIT_SCAN__ != 1\n"
		    "#error wrong value\n"
		    "#endif\n"
		    "#ifdef EXTRA\n"
		    "PKG_INIT void extra_init(void) {}\n"
		    "#endif\n");
	const char *roots[] = {g_dir};
	const char *args[] = {g_inc, "-DEXTRA"};
	struct scan_record r;
	assert_int_equal(scan_with(tp("a/a.c"), roots, 1, args, 2, NULL, &r),
			 0);
	assert_string_equal(g_diag, "");
	assert_int_equal(r.ninits, 1);
	record_free(&r);
}

static void test_deterministic(void **state)
{
	(void)state;
	use_dir("twice");
	wr("c/c.h", "#pragma once\n#include <pkginit.h>\nPKG_IMPORT(\"z\");\n");
	wr("b/b.h", "#include \"../c/c.h\"\nPKG_IMPORT(\"y\");\n");
	wr("a/a.c", "#include <stdlib.h>\n"
		    "#include \"../b/b.h\"\n"
		    "#include \"../c/c.h\"\n"
		    "PKG_INIT void z(void) {}\n"
		    "PKG_INIT void a(void) {}\n"
		    "PKG_PACKAGE(\"x\");\n"
		    "int main(void) { return 0; }\n");
	struct scan_record r1, r2;
	assert_int_equal(scan("a/a.c", &r1), 0);
	assert_int_equal(scan("a/a.c", &r2), 0);
	char *t1 = tu_record_text(&r1), *t2 = tu_record_text(&r2);
	assert_string_equal(t1, t2);
	assert_true(r1.defines_main);
	assert_int_equal(r1.ninits, 2);
	assert_int_equal(r1.nimports, 2);
	assert_int_equal(r1.nfiles, 3);
	free(t1);
	free(t2);
	record_free(&r1);
	record_free(&r2);
}

/* The compile command's directory: the file and -I are relative to it,
 * roots and the reported paths to the process's directory. */
static void test_directory(void **state)
{
	(void)state;
	use_dir("dir");
	wr("proj/inc/i.h", "int i(void);\n");
	wr("proj/a/a.c", "#include \"i.h\"\n"
			 "#include <pkginit.h>\n"
			 "PKG_INIT void a_init(void) {}\n");
	const char *roots[] = {tp("proj")};
	const char *args[] = {g_inc, "-Iinc"};
	char *rel = tp("proj");
	char *abs = xasprintf("%s/%s", tu_dir, rel);
	const char *dirs[] = {rel, abs};
	char *text[2];
	for (int k = 0; k < 2; k++) {
		struct scan_record r;
		assert_int_equal(scan_with("a/a.c", roots, 1, args, 2, dirs[k],
					   &r),
				 0);
		assert_string_equal(g_diag, "");
		assert_string_equal(r.tu, tp("proj/a/a.c"));
		assert_int_equal(r.ninits, 1);
		assert_init(&r.inits[0], "a_init", "proj/a/a.c", 3, 15);
		assert_int_equal(r.nincludes, 1);
		assert_include(&r.includes[0], "proj/a/a.c", 1, "proj/inc/i.h");
		const struct scan_file *f = find_file(&r, tp("proj/inc/i.h"));
		assert_non_null(f);
		assert_string_equal(f->name, "inc/i.h");
		assert_string_equal(f->package, "inc");
		assert_true(has_dep(&r, tp("proj/a/a.c")));
		text[k] = tu_record_text(&r);
		record_free(&r);
	}
	assert_string_equal(text[0], text[1]);
	/* Other threads rely on the process's directory staying put. */
	char buf[PATH_MAX];
	assert_non_null(getcwd(buf, sizeof buf));
	assert_string_equal(buf, tu_dir);
	free(text[0]);
	free(text[1]);
	free(abs);

	/* A missing file is named as the user would find it. */
	struct scan_record r;
	assert_int_equal(scan_with("nope.c", roots, 1, args, 2, dirs[0], &r),
			 EXIT_INPUT);
	expect_diag("pkginit: error: cannot read '%s/proj/nope.c': No such "
		    "file or directory", NULL);
}

/* Scanning from several threads at once gives what one thread gives. */
struct thread_job {
	const char *file;
	int rc;
	char *text;
};

static void *scan_thread(void *arg)
{
	struct thread_job *j = arg;
	const char *roots[] = {g_dir};
	const char *args[] = {g_inc};
	struct scan_opts o = {.roots = roots, .nroots = 1, .args = args, .nargs = 1};
	struct scan_record r;
	j->rc = scan_tu(j->file, &o, &r);
	if (!j->rc) {
		j->text = tu_record_text(&r);
		record_free(&r);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	use_dir("threads");
	wr("b/b.h", "#include <pkginit.h>\nPKG_IMPORT(\"q\");\n");
	wr("a/a.c", "#include <stdio.h>\n#include \"../b/b.h\"\n"
		    "PKG_INIT void a_init(void) {}\n");
	wr("c/c.c", "#include <stdlib.h>\n#include \"../b/b.h\"\n"
		    "PKG_INIT void c_init(void) {}\nint main(void) {}\n");
	struct thread_job jobs[8];
	pthread_t th[8];
	for (int i = 0; i < 8; i++) {
		jobs[i] = (struct thread_job){tp(i % 2 ? "c/c.c" : "a/a.c"), -1,
					      NULL};
		assert_int_equal(pthread_create(&th[i], NULL, scan_thread,
						&jobs[i]),
				 0);
	}
	for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(jobs[i].rc, 0);
		assert_string_equal(jobs[i].text, jobs[i % 2].text);
	}
	assert_string_not_equal(jobs[0].text, jobs[1].text);
	for (int i = 0; i < 8; i++) free(jobs[i].text);
}

/* ---- set-up ------------------------------------------------------------ */

static int group_setup(void **state)
{
	/* path_display relativizes against the directory of its first
	 * call: tu_setup_dir is there before any scan. */
	if (tu_setup_dir(state) != 0) return -1;
	g_inc = xasprintf("-I%s/runtime/include", tu_top);
	return 0;
}

static int group_teardown(void **state)
{
	free(g_diag);
	free(g_inc);
	for (size_t i = 0; i < g_npaths; i++) free(g_paths[i]);
	free(g_paths);
	return tu_teardown_dir(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_function),
		cmocka_unit_test(test_several_inits),
		cmocka_unit_test(test_imports_and_packages),
		cmocka_unit_test(test_invalid_annotations),
		cmocka_unit_test(test_init_static),
		cmocka_unit_test(test_init_static_prototype),
		cmocka_unit_test(test_init_returns),
		cmocka_unit_test(test_init_returns_other),
		cmocka_unit_test(test_init_returns_int),
		cmocka_unit_test(test_init_int_params),
		cmocka_unit_test(test_init_params),
		cmocka_unit_test(test_init_unprototyped),
		cmocka_unit_test(test_init_variadic),
		cmocka_unit_test(test_init_declaration_only),
		cmocka_unit_test(test_init_in_header),
		cmocka_unit_test(test_init_prototype_in_header),
		cmocka_unit_test(test_tu_outside_roots),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_include_edges),
		cmocka_unit_test(test_guarded_header_twice),
		cmocka_unit_test(test_system_headers),
		cmocka_unit_test(test_outside_roots),
		cmocka_unit_test(test_defines_main),
		cmocka_unit_test(test_parse_error),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_scan_flag_defined),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("scan", tests, group_setup,
					   group_teardown);
}
