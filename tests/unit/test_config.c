/*
 * test_config.c - pkginit.yaml: globs (glob.c), mapping rules and exclusions, the
 * file's schema with its errors at file:line:col, and the rules applied
 * by scan_tu (the record carries the mapped packages).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"
#include "testutil.h"

static void test_globs(void **state)
{
	(void)state;
	static const struct {
		const char *glob, *name;
		int match;
	} cases[] = {
		{"a.c", "a.c", 1},
		{"*.c", "a.c", 1},
		{"*.c", "d/a.c", 0},            /* '*' stays in one component */
		{"*/*.c", "d/a.c", 1},
		{"**/*.c", "a.c", 1},           /* zero directories */
		{"**/*.c", "x/y/a.c", 1},
		{"src/**", "src/a/b.c", 1},
		{"src/**", "src", 0},
		{"src/**", "srcx/a.c", 0},
		{"a?c", "abc", 1},
		{"a?c", "a/c", 0},              /* '?' is not '/' */
		{"include/*/*.h", "include/net/x.h", 1},
		{"include/*/*.h", "include/net/sub/x.h", 0},
		{"include/**/*.h", "include/net/sub/x.h", 1},
		{"**", "any/thing", 1},
		{"x*y*z", "xaaybbz", 1},
		{"x*y*z", "xaaybb", 0},
		{"*.[ch]", "a.c", 0},           /* no character classes */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = glob_match(cases[i].glob, cases[i].name);
		if (got != cases[i].match)
			fail_msg("glob '%s' on '%s': %d, want %d", cases[i].glob,
				 cases[i].name, got, cases[i].match);
	}
}

/* Load text as "cfg/pkginit.yaml"; returns the diagnostics. */
static const char *load(const char *text, struct config *c, int want_rc)
{
	tu_write("cfg/pkginit.yaml", text);
	tu_capture_begin();
	int rc = config_load(c, "cfg/pkginit.yaml");
	const char *d = tu_captured();
	assert_int_equal(rc, want_rc);
	return d;
}

static void expect_pkg(const struct config *c, const char *name,
		       int want_rc, const char *want)
{
	char *pkg;
	struct loc at = {0};
	int rc = config_package(c, name, &pkg, &at);
	if (rc != want_rc || (want && str_cmp(pkg, want)))
		fail_msg("'%s': %d '%s', want %d '%s'", name, rc,
			 pkg ? pkg : "(null)", want_rc, want ? want : "(null)");
	free(pkg);
}

static void test_example(void **state)
{
	(void)state;
	mkdir("cfg", 0777);
	mkdir("cfg/src", 0777);
	mkdir("cfg/include", 0777);
	struct config c;
	assert_string_equal(load(
		"pkginit: 1\n"
		"kind: config\n"
		"roots: [src, include]\n"
		"packages:\n"
		"  - files: [include/*/**, src/*/**]\n"
		"    package: $1\n"
		"  - files: lib/*/impl/*.c\n"
		"    package: lib/$2\n"
		"  - files: app/**\n"
		"    package: cmd/app\n"
		"exclude: [third_party, \"**/tests\"]\n"
		"order: import\n"
		"lock: locks/init.lock.yaml\n", &c, 0), "");
	assert_string_equal(c.path, "cfg/pkginit.yaml");
	assert_int_equal(c.nroots, 2);
	assert_string_equal(c.roots[0], "cfg/src");
	assert_string_equal(c.roots[1], "cfg/include");
	assert_string_equal(c.order, "import");
	assert_string_equal(c.lock, "cfg/locks/init.lock.yaml");
	assert_int_equal(c.nrules, 3);
	assert_int_equal(c.rules[1].at.line, 7);

	expect_pkg(&c, "include/net/net.h", 1, "net");
	expect_pkg(&c, "src/net/tcp/tcp.c", 1, "net");
	expect_pkg(&c, "lib/x/impl/y.c", 1, "lib/y");
	expect_pkg(&c, "app/main.c", 1, "cmd/app");
	expect_pkg(&c, "other/dir/z.c", 1, "other/dir");      /* no rule */
	expect_pkg(&c, "top.c", 1, ".");
	expect_pkg(&c, "third_party/zlib/zlib.h", 0, NULL);   /* excluded */
	expect_pkg(&c, "src/net/tests/t.c", 0, NULL);
	expect_pkg(&c, "include/x.h", 1, "include");   /* no rule matches */
	/* The second wildcard matched nothing: "lib/" is no package. */
	expect_pkg(&c, "lib/x/impl/.c", -1, "lib/");
	expect_pkg(NULL, "a/b/c.c", 1, "a/b");

	/* The fingerprint covers rules and exclusions. */
	unsigned char h1[HASH_SIZE], h2[HASH_SIZE];
	struct hash_ctx h;
	hash_init(&h);
	config_fingerprint(&c, &h);
	hash_final(&h, h1);
	free(c.exclude[1]);
	c.exclude[1] = xstrdup("**/test");
	hash_init(&h);
	config_fingerprint(&c, &h);
	hash_final(&h, h2);
	assert_memory_not_equal(h1, h2, HASH_SIZE);
	config_free(&c);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text, *diag;
	} cases[] = {
		{"pkginit: 1\nkind: config\nexlude: [x]\n",
		 "cfg/pkginit.yaml:3:1: error: unknown field 'exlude'\n"},
		{"pkginit: 1\nkind: config\norder: random\n",
		 "cfg/pkginit.yaml:3:8: error: field 'order' must be 'lex' or "
		 "'import', not 'random'\n"},
		{"pkginit: 2\nkind: config\n",
		 "cfg/pkginit.yaml:1:10: error: unsupported format version 2 (this "
		 "pkginit reads version 1); regenerate the file with this pkginit\n"},
		{"kind: config\n",
		 "cfg/pkginit.yaml:1:1: error: not a pkginit file: missing field "
		 "'pkginit' (the format version)\n"},
		{"pkginit: 1\nkind: lock\n",
		 "cfg/pkginit.yaml:2:7: error: wrong kind 'lock': expected 'config'\n"},
		{"pkginit: 1\nkind: config\nroots: [nowhere]\n",
		 "cfg/pkginit.yaml:3:9: error: root 'nowhere': No such file or "
		 "directory\n"},
		{"pkginit: 1\nkind: config\nroots: []\n",
		 "cfg/pkginit.yaml:3:8: error: field 'roots' must name at least one "
		 "directory\n"},
		{"pkginit: 1\nkind: config\nroots: src\n",
		 "cfg/pkginit.yaml:3:8: error: field 'roots' must be a sequence, not "
		 "a scalar\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: /abs/*.c\n"
		 "    package: x\n",
		 "cfg/pkginit.yaml:4:12: error: glob '/abs/*.c' in field 'files': it "
		 "is absolute; globs match names relative to a root\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: [a/../b]\n"
		 "    package: x\n",
		 "cfg/pkginit.yaml:4:13: error: glob 'a/../b' in field 'files': it "
		 "has a '.' or '..' component\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: []\n"
		 "    package: x\n",
		 "cfg/pkginit.yaml:4:12: error: field 'files' must name at least one "
		 "glob\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: src/*/**\n"
		 "    package: $3\n",
		 "cfg/pkginit.yaml:5:14: error: package '$3': $3 names no wildcard "
		 "(the rule's globs have 2)\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: [src/*/**, x/*]\n"
		 "    package: $2\n",
		 "cfg/pkginit.yaml:5:14: error: package '$2': $2 names no wildcard "
		 "(the rule's globs have 1)\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: src/*\n"
		 "    package: pkg$x\n",
		 "cfg/pkginit.yaml:5:14: error: package 'pkg$x': '$' must be "
		 "followed by a wildcard number, $1 to $9\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: src/*\n"
		 "    package: ../$1\n",
		 "cfg/pkginit.yaml:5:14: error: package '../$1' is not a package "
		 "path: it has a '.' or '..' component\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - files: src/*\n",
		 "cfg/pkginit.yaml:5:1: error: missing field 'package'\n"
		 "cfg/pkginit.yaml:4:5: note: in the mapping that starts here\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - src/*\n",
		 "cfg/pkginit.yaml:4:5: error: each item of 'packages' must be a "
		 "mapping, not a scalar\n"},
		{"pkginit: 1\nkind: config\npackages:\n  - {files: x, package: y, "
		 "pakage: z}\n",
		 "cfg/pkginit.yaml:4:28: error: unknown field 'pakage'\n"},
		{"pkginit: 1\nkind: config\nexclude: [\"\"]\n",
		 "cfg/pkginit.yaml:3:11: error: glob '' in field 'exclude': it is "
		 "empty\n"},
		{"pkginit: 1\nkind: config\nexclude: [a//b]\n",
		 "cfg/pkginit.yaml:3:11: error: glob 'a//b' in field 'exclude': it "
		 "has an empty component\n"},
		{"pkginit: 1\nkind: config\nlock: [a]\n",
		 "cfg/pkginit.yaml:3:7: error: field 'lock' must be a string, not a sequence\n"},
		{"pkginit: 1\nkind: config\nroots: [a\n",
		 "cfg/pkginit.yaml:4:1: error: invalid YAML: did not find expected ',' "
		 "or ']' (while parsing a flow sequence started at line 3, column 8)\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c;
		const char *d = load(cases[i].text, &c, EXIT_INPUT);
		if (strcmp(d, cases[i].diag))
			fail_msg("case %zu:\n%s\ngot:\n%s", i, cases[i].text, d);
		assert_null(c.path);
	}
}

static void test_find(void **state)
{
	(void)state;
	mkdir("find", 0777);
	assert_int_equal(chdir("find"), 0);
	struct config c;
	assert_int_equal(config_find(&c, NULL), 0);
	assert_null(c.path);
	tu_write("pkginit.yaml", "pkginit: 1\nkind: config\norder: import\n");
	assert_int_equal(config_find(&c, NULL), 0);
	assert_string_equal(c.path, "pkginit.yaml");
	assert_string_equal(c.order, "import");
	config_free(&c);
	tu_capture_begin();
	assert_int_equal(config_find(&c, "other.yaml"), EXIT_INPUT);
	assert_string_equal(tu_captured(), "pkginit: error: cannot read 'other.yaml': "
			    "No such file or directory\n");
	assert_int_equal(chdir(".."), 0);
}

static const struct scan_file *file_of(const struct scan_record *r,
				       const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path)) return &r->files[i];
	return NULL;
}

/* scan_tu applies the rules: the record says what the config says. */
static void test_scan_applies(void **state)
{
	(void)state;
	tu_write("sc/include/net/net.h", "#include \"third/lib.h\"\nvoid net_up(void);\n");
	tu_write("sc/include/third/lib.h", "void lib(void);\n");
	tu_write("sc/include/top.h", "void top(void);\n");
	tu_write("sc/src/net/net.c", "#include \"net/net.h\"\n#include \"top.h\"\n"
		 "void net_up(void) {}\n");
	tu_write("sc/third/x.c", "int x;\n");
	tu_write("sc/pkginit.yaml",
		 "pkginit: 1\nkind: config\npackages:\n"
		 "  - files: [include/*/*.h, src/*/*.c]\n    package: $1\n"
		 "  - files: include/**/*.h\n    package: $1\n"
		 "exclude: [include/third, third]\n");
	struct config c;
	assert_int_equal(config_load(&c, "sc/pkginit.yaml"), 0);
	const char *roots[] = {"sc"};
	const char *args[] = {"-Isc/include"};
	struct scan_opts o = {.roots = roots, .nroots = 1, .args = args,
			      .nargs = 1, .config = &c};
	struct scan_record r;
	tu_capture_begin();
	/* include/top.h maps to "": the rule is wrong. */
	assert_int_equal(scan_tu("sc/src/net/net.c", &o, &r), EXIT_ORDER);
	assert_string_equal(tu_captured(),
		"sc/pkginit.yaml:6:5: error: this rule puts 'include/top.h' in "
		"package '', which is not a package path: it is empty\n");
	free(c.rules[1].package);
	c.rules[1].package = xstrdup("top");

	tu_capture_begin();
	assert_int_equal(scan_tu("sc/src/net/net.c", &o, &r), 0);
	assert_string_equal(tu_captured(), "");
	assert_int_equal(r.nfiles, 3);
	assert_string_equal(file_of(&r, "sc/include/net/net.h")->package, "net");
	assert_string_equal(file_of(&r, "sc/src/net/net.c")->package, "net");
	assert_string_equal(file_of(&r, "sc/include/top.h")->package, "top");
	assert_null(file_of(&r, "sc/include/third/lib.h"));  /* excluded */
	assert_int_equal(r.nincludes, 2);       /* not the one to lib.h */
	record_free(&r);

	/* An excluded TU has a record that says only that it exists. */
	assert_int_equal(scan_tu("sc/third/x.c", &o, &r), 0);
	assert_string_equal(r.tu, "sc/third/x.c");
	assert_int_equal(r.nfiles, 0);
	assert_int_equal(r.ndeps, 1);
	assert_string_equal(r.deps[0], "sc/third/x.c");
	record_free(&r);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_globs),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_scan_applies),
	};
	return cmocka_run_group_tests_name("config", tests, tu_setup_dir, tu_teardown_dir);
}
