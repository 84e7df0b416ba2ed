/*
 * test_deps.c - the init order from what the code does (deps.c, plan.c),
 * on small trees scanned for real: each test writes a few files, scans
 * every .c with function facts, and states the order (or the error) that
 * --deps uses or the verification of --deps include must give.
 *
 * Package names are chosen so that the order without constraints (lex:
 * package, then file, then position) is the wrong one: every constraint
 * the test expects has to move something.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static char *g_inc;             /* -I<abs path of runtime/include> */
static char *g_diag;            /* diagnostics of the last order */
static int g_follow;            /* --follow-addresses */

/* Files: "path", "text", ..., NULL.  Directories are made as needed. */
static void tree(const char *dir, ...)
{
	va_list ap;
	va_start(ap, dir);
	mkdir(dir, 0777);
	for (const char *p; (p = va_arg(ap, const char *));) {
		const char *text = va_arg(ap, const char *);
		char *path = xasprintf("%s/%s", dir, p);
		for (char *s = strchr(path + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
			*s = 0;
			mkdir(path, 0777);
			*s = '/';
		}
		tu_write(path, text);
		free(path);
	}
	va_end(ap);
}

/* Scan every .c of dir (given, NULL-terminated, relative to dir) and
 * order it: the init functions in run order, space-separated, with '|'
 * between tasks; or "error" with the diagnostics in g_diag. */
static char *order(const char *dir, const char *deps, int verify, ...)
{
	const char *files[32];
	size_t n = 0;
	va_list ap;
	va_start(ap, verify);
	for (const char *f; (f = va_arg(ap, const char *)) && n < 32;) files[n++] = f;
	va_end(ap);
	struct scan_record *recs = xcalloc(n, sizeof *recs);
	const char *roots[] = {dir};
	char *inc = xasprintf("-I%s", dir);
	const char *args[] = {g_inc, inc};
	free(g_diag);
	tu_capture_begin();
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		struct scan_opts o = {.roots = roots, .nroots = 1, .args = args,
				      .nargs = 2, .facts = 1};
		rc = scan_tu(path, &o, &recs[i]);
		free(path);
	}
	struct inputs_opts io = {.deps = deps, .no_verify = !verify,
				 .follow_addresses = g_follow};
	struct graph g = {0};
	struct plan p = {0};
	if (!rc) rc = inputs_plan(&io, recs, n, 0, &g, &p);
	g_diag = tu_capture_end();
	struct strbuf sb = {0};
	if (rc) sb_puts(&sb, "error");
	for (size_t t = 0; !rc && t < p.ntasks; t++) {
		if (!p.tasks[t].ninits) continue;
		if (sb.len) sb_puts(&sb, " |");
		for (size_t j = 0; j < p.tasks[t].ninits; j++)
			sb_printf(&sb, "%s%s", sb.len ? " " : "", p.tasks[t].inits[j]->name);
	}
	plan_free(&p);
	graph_free(&g);
	for (size_t i = 0; i < n; i++) record_free(&recs[i]);
	free(recs);
	free(inc);
	return sb_detach(&sb);
}

static void expect_order(char *got, const char *want)
{
	if (strcmp(got, want)) fprintf(stderr, "diagnostics:\n%s", g_diag);
	assert_string_equal(got, want);
	free(got);
}

static void expect_diag_has(const char *what)
{
	if (!strstr(g_diag, what)) fprintf(stderr, "diagnostics:\n%s", g_diag);
	assert_non_null(strstr(g_diag, what));
}

/* ---- reads and writes ------------------------------------------------- */

/* aa reads what zz writes: zz's init runs first, in its own task. */
static void test_direct(void **state)
{
	(void)state;
	tree("direct",
	     "g.h", "extern int ready;\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int seen;\nPKG_INIT void aa_init(void) { seen = ready; }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int ready;\nPKG_INIT void zz_init(void) { ready = 1; }\n",
	     NULL);
	expect_order(order("direct", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "zz_init | aa_init");
	/* Include mode: nothing imports zz before aa, so the order is the
	 * unsafe one, and the verification says why, at each place. */
	expect_order(order("direct", "include", 1, "aa/a.c", "zz/z.c", NULL), "error");
	expect_diag_has("direct/aa/a.c:4:15: error: unsafe init order: 'aa_init' "
			"runs before 'zz_init' but must run after it\n");
	expect_diag_has("direct/aa/a.c:4:38: note: 'aa_init' reads 'ready'\n");
	expect_diag_has("direct/zz/z.c:4:31: note: 'zz_init' writes 'ready'\n");
	/* --no-verify: Go's rules only. */
	expect_order(order("direct", "include", 0, "aa/a.c", "zz/z.c", NULL),
		     "aa_init | zz_init");
}

/* A read three calls down, a write two calls down, through a static
 * helper of one TU and an inline function of a header. */
static void test_through_calls(void **state)
{
	(void)state;
	tree("calls",
	     "g.h", "extern long cached_time;\n"
		    "static inline long peek_time(void) { return cached_time; }\n"
		    "long now(void);\nvoid set_time(long t);\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "static long deep(void) { return peek_time(); }\n"
		       "long now(void) { return deep(); }\n"
		       "long t0;\nPKG_INIT void aa_init(void) { t0 = now(); }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "long cached_time;\n"
		       "void set_time(long t) { cached_time = t; }\n"
		       "static void tick(void) { set_time(42); }\n"
		       "PKG_INIT void zz_init(void) { tick(); }\n",
	     NULL);
	expect_order(order("calls", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "zz_init | aa_init");
	expect_order(order("calls", "include", 1, "aa/a.c", "zz/z.c", NULL), "error");
	/* The chain, each link where it is. */
	expect_diag_has("calls/aa/a.c:6:36: note: 'aa_init' calls 'now'\n");
	expect_diag_has("calls/aa/a.c:4:25: note: 'now' calls 'deep'\n");
	expect_diag_has("calls/aa/a.c:3:33: note: 'deep' calls 'peek_time'\n");
	expect_diag_has("calls/g.h:2:45: note: 'peek_time' reads 'cached_time'\n");
	expect_diag_has("calls/zz/z.c:6:31: note: 'zz_init' calls 'tick'\n");
	expect_diag_has("calls/zz/z.c:5:26: note: 'tick' calls 'set_time'\n");
	expect_diag_has("calls/zz/z.c:4:25: note: 'set_time' writes 'cached_time'\n");
}

/* Two TUs each have a static get(); only zz's reads the variable, and
 * aa's init calls its own: no constraint, the default order stays. */
static void test_statics_per_tu(void **state)
{
	(void)state;
	tree("statics",
	     "g.h", "extern int flag;\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "static int get(void) { return 0; }\n"
		       "int a;\nPKG_INIT void aa_init(void) { a = get(); }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int flag;\nstatic int get(void) { return flag; }\n"
		       "int z;\nPKG_INIT void zz_init(void) { flag = 1; z = get(); }\n",
	     NULL);
	expect_order(order("statics", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "aa_init | zz_init");
	/* A static variable of the same name in each TU is two variables. */
	tree("svars",
	     "aa/a.c", "#include <pkginit.h>\nstatic int n;\n"
		       "int out;\nPKG_INIT void aa_init(void) { out = n; }\n",
	     "zz/z.c", "#include <pkginit.h>\nstatic int n;\n"
		       "PKG_INIT void zz_init(void) { n = 3; }\n",
	     NULL);
	expect_order(order("svars", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "aa_init | zz_init");
	/* The same with a name longer than any fixed key buffer: still
	 * two variables (and a write in zz does not order aa). */
	char longname[701];
	memset(longname, 'n', 700);
	longname[700] = 0;
	char *a = xasprintf("#include <pkginit.h>\nstatic int %s;\n"
			    "int out;\nPKG_INIT void aa_init(void) { out = %s; }\n",
			    longname, longname);
	char *z = xasprintf("#include <pkginit.h>\nstatic int %s;\n"
			    "PKG_INIT void zz_init(void) { %s = 3; }\n",
			    longname, longname);
	tree("slong", "aa/a.c", a, "zz/z.c", z, NULL);
	expect_order(order("slong", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "aa_init | zz_init");
	free(a);
	free(z);
}

/* Recursion in the call graph ends; the read behind it is found. */
static void test_recursion(void **state)
{
	(void)state;
	tree("rec",
	     "g.h", "extern int depth_limit;\nint odd(int);\nint even(int);\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int even(int n) { return n == 0 ? depth_limit : odd(n - 1); }\n"
		       "int odd(int n) { return n == 0 ? 0 : even(n - 1); }\n"
		       "int r;\nPKG_INIT void aa_init(void) { r = odd(3); }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int depth_limit;\nPKG_INIT void zz_init(void) { depth_limit = 9; }\n",
	     NULL);
	expect_order(order("rec", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "zz_init | aa_init");
}

/* Addresses: a function passed as a callback is reached; a variable's
 * address is a write when it goes to a pointer to non-const, a read
 * when it goes to a pointer to const or to a variadic function. */
static void test_addresses(void **state)
{
	(void)state;
	tree("addr",
	     "g.h", "extern int cfg;\nextern int levels[4];\n"
		    "void each(void (*fn)(void));\n"
		    "void logf(const char *fmt, ...);\n"
		    "void show(const int *p);\nvoid fill(int *p);\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int got;\nstatic void cb(void) { got = cfg; }\n"
		       "PKG_INIT void aa_init(void) { each(&cb); }\n",
	     "mm/m.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int levels[4];\nvoid each(void (*fn)(void)) { fn(); }\n"
		       "void logf(const char *fmt, ...) { (void)fmt; }\n"
		       "void show(const int *p) { (void)p; }\n"
		       "void fill(int *p) { *p = 1; }\n"
		       /* reads levels twice over (variadic, const), writes nothing */
		       "PKG_INIT void mm_init(void) { logf(\"%p\", &levels[1]); show(&levels[2]); }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int cfg;\n"
		       "PKG_INIT void zz_init(void) { fill(&cfg); fill(levels); }\n",
	     NULL);
	/* mm only reads levels, which zz writes by passing the array to
	 * fill(int *); aa passes cb's address, which is not followed: a
	 * registered callback runs later (spec/uses.md). */
	expect_order(order("addr", "uses", 1, "aa/a.c", "mm/m.c", "zz/z.c", NULL),
		     "aa_init | zz_init | mm_init");
	/* --follow-addresses: aa reaches cb and reads cfg, which zz writes
	 * through fill(&cfg). */
	g_follow = 1;
	expect_order(order("addr", "uses", 1, "aa/a.c", "mm/m.c", "zz/z.c", NULL),
		     "zz_init | aa_init | mm_init");
	g_follow = 0;
	/* The variadic read: counting &levels[1] as a write would make mm a
	 * writer too, and then mm and zz would both write levels (no order)
	 * -- the point is that mm is a reader. */
	expect_order(order("addr", "include", 1, "aa/a.c", "mm/m.c", "zz/z.c", NULL),
		     "error");
	expect_diag_has("'mm_init' reads 'levels', which 'zz_init' writes:\n");
}

/* A variable defined in one TU, written by another package's init,
 * read by a third: the writer goes first, whoever defines it. */
static void test_defined_elsewhere(void **state)
{
	(void)state;
	tree("elsewhere",
	     "g.h", "extern int table[8];\n",
	     "aa/def.c", "#include \"g.h\"\nint table[8];\n",
	     "bb/b.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "int sum;\nPKG_INIT void bb_init(void) { sum = table[3]; }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "PKG_INIT void zz_init(void) { table[3] = 7; }\n",
	     NULL);
	expect_order(order("elsewhere", "uses", 1, "aa/def.c", "bb/b.c", "zz/z.c", NULL),
		     "zz_init | bb_init");
}

/* Two inits that both write a variable (a table of log levels) are not
 * ordered by it, even if one of them also reads it. */
static void test_shared_write(void **state)
{
	(void)state;
	tree("shared",
	     "g.h", "extern int log_level[4];\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\nint log_level[4];\n"
		       "PKG_INIT void aa_init(void) { log_level[0] = log_level[1] + 1; }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "PKG_INIT void zz_init(void) { log_level[1] = 2; }\n",
	     NULL);
	expect_order(order("shared", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "aa_init | zz_init");
	expect_order(order("shared", "include", 1, "aa/a.c", "zz/z.c", NULL),
		     "aa_init | zz_init");
}

/* The example: core -> os -> core.  Include mode cannot express
 * it (one package would have to run twice); uses mode gives core two
 * tasks. */
static void test_core_os_core(void **state)
{
	(void)state;
	tree("coreos",
	     "core/core.h", "extern long cached_time;\nextern int cacheline;\n"
			    "long core_now(void);\n",
	     "os/os.h", "extern int pagesize;\n",
	     "core/times.c", "#include <pkginit.h>\n#include \"core/core.h\"\n"
			     "long cached_time;\nlong core_now(void) { return cached_time; }\n"
			     "PKG_INIT void time_init(void) { cached_time = 1000; }\n",
	     "core/crc32.c", "#include <pkginit.h>\n#include \"core/core.h\"\n"
			     "int cacheline;\nstatic unsigned crc_table[256];\n"
			     "PKG_INIT void crc32_init(void) { for (int i = 0; i < 256; i++) "
			     "crc_table[i] = (unsigned)(i * cacheline); }\n",
	     "core/slab.c", "#include <pkginit.h>\n#include \"core/core.h\"\n"
			    "#include \"os/os.h\"\n"
			    "static int slab_size;\nPKG_INIT void slab_init(void) { slab_size = pagesize * 4; }\n",
	     "os/posix.c", "#include <pkginit.h>\n#include \"core/core.h\"\n"
			   "#include \"os/os.h\"\nint pagesize;\n"
			   "PKG_INIT void os_init(void) { long t = core_now(); "
			   "pagesize = 4096 + (int)(t - t); cacheline = 64; }\n",
	     NULL);
	expect_order(order("coreos", "uses", 1, "core/crc32.c", "core/slab.c",
			   "core/times.c", "os/posix.c", NULL),
		     "time_init | os_init | crc32_init slab_init");
}

/* ---- cycles, PKG_AFTER --------------------------------------------------- */

static void test_cycle(void **state)
{
	(void)state;
	tree("cycle",
	     "g.h", "extern int x, y;\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\nint x;\n"
		       "PKG_INIT void aa_init(void) { x = y; }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\nint y;\n"
		       "PKG_INIT void zz_init(void) { y = x; }\n",
	     NULL);
	expect_order(order("cycle", "uses", 1, "aa/a.c", "zz/z.c", NULL), "error");
	expect_diag_has("error: init order cycle: '");
	expect_diag_has("note: 'aa_init' reads 'y', which 'zz_init' writes:\n");
	expect_diag_has("note: 'zz_init' reads 'x', which 'aa_init' writes:\n");
	expect_diag_has("cycle/aa/a.c:4:35: note: 'aa_init' reads 'y'\n");
	expect_diag_has("cycle/zz/z.c:4:35: note: 'zz_init' reads 'x'\n");
}

static void test_after(void **state)
{
	(void)state;
	/* Nothing the analysis sees orders them; PKG_AFTER does, in both
	 * modes (include: zz's package becomes an import of aa's). */
	tree("after",
	     "aa/a.c", "#include <pkginit.h>\nPKG_AFTER(aa_init, zz_init);\n"
		       "PKG_INIT void aa_init(void) { }\n",
	     "zz/z.c", "#include <pkginit.h>\nPKG_INIT void zz_init(void) { }\n",
	     NULL);
	expect_order(order("after", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "zz_init | aa_init");
	expect_order(order("after", "include", 1, "aa/a.c", "zz/z.c", NULL),
		     "zz_init | aa_init");
	/* Inside one package: moves only what it names. */
	tree("after1",
	     "pk/a.c", "#include <pkginit.h>\nPKG_AFTER(a1, c1);\n"
		       "PKG_INIT void a1(void) { }\nPKG_INIT void a2(void) { }\n",
	     "pk/c.c", "#include <pkginit.h>\nPKG_INIT void c1(void) { }\n",
	     NULL);
	expect_order(order("after1", "include", 1, "pk/a.c", "pk/c.c", NULL),
		     "a2 c1 a1");
	/* An unknown name is an error at the annotation. */
	tree("after2",
	     "aa/a.c", "#include <pkginit.h>\nPKG_AFTER(aa_init, nosuch);\n"
		       "PKG_INIT void aa_init(void) { }\n",
	     NULL);
	expect_order(order("after2", "uses", 1, "aa/a.c", NULL), "error");
	expect_diag_has("after2/aa/a.c:2:1: error: PKG_AFTER(aa_init, nosuch): "
			"'nosuch' is not an init function\n");
	/* Contradicting what the code does: a cycle, with the PKG_AFTER. */
	tree("after3",
	     "g.h", "extern int v;\n",
	     "aa/a.c", "#include <pkginit.h>\n#include \"g.h\"\nint v;\n"
		       "PKG_INIT void aa_init(void) { v = 1; }\n",
	     "zz/z.c", "#include <pkginit.h>\n#include \"g.h\"\n"
		       "PKG_AFTER(aa_init, zz_init);\nint w;\n"
		       "PKG_INIT void zz_init(void) { w = v; }\n",
	     NULL);
	expect_order(order("after3", "uses", 1, "aa/a.c", "zz/z.c", NULL), "error");
	expect_diag_has("after3/zz/z.c:3:1: note: 'aa_init' runs after 'zz_init' (PKG_AFTER)\n");
	expect_diag_has("'zz_init' reads 'v', which 'aa_init' writes:\n");
}

/* No constraint at all: exactly today's order (lex), one task per
 * package. */
static void test_ties(void **state)
{
	(void)state;
	tree("ties",
	     "bb/b.c", "#include <pkginit.h>\nPKG_INIT void b2(void) { }\n"
		       "PKG_INIT void b1(void) { }\n",
	     "aa/a.c", "#include <pkginit.h>\nPKG_INIT void a1(void) { }\n",
	     "aa/b.c", "#include <pkginit.h>\nPKG_INIT void a0(void) { }\n",
	     NULL);
	expect_order(order("ties", "uses", 1, "bb/b.c", "aa/b.c", "aa/a.c", NULL),
		     "a1 a0 | b2 b1");
	expect_order(order("ties", "include", 1, "bb/b.c", "aa/b.c", "aa/a.c", NULL),
		     "a1 a0 | b2 b1");
}

/* A callback in a static table: not followed by default (a table of
 * function pointers is data), followed with --follow-addresses, which then
 * shows the table in the chain. */
static void test_tables(void **state)
{
	(void)state;
	tree("tables",
	     "aa/a.c", "#include <pkginit.h>\nstruct ops { void (*start)(void); };\n"
		       "extern int cfg;\nstatic void start(void) { (void)cfg; }\n"
		       "const struct ops aa_ops = { start };\n"
		       "PKG_INIT void aa_init(void) { aa_ops.start(); }\n",
	     "zz/z.c", "#include <pkginit.h>\nint cfg;\n"
		       "PKG_INIT void zz_init(void) { cfg = 1; }\n",
	     NULL);
	expect_order(order("tables", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "aa_init | zz_init");
	g_follow = 1;
	expect_order(order("tables", "uses", 1, "aa/a.c", "zz/z.c", NULL),
		     "zz_init | aa_init");
	expect_order(order("tables", "include", 1, "aa/a.c", "zz/z.c", NULL), "error");
	g_follow = 0;
	expect_diag_has("tables/aa/a.c:6:31: note: 'aa_init' reads the table 'aa_ops'\n");
	expect_diag_has("tables/aa/a.c:5:29: note: 'aa_ops' takes the address of 'start'\n");
	expect_diag_has("tables/aa/a.c:4:33: note: 'start' reads 'cfg'\n");
}

/* pkginit why: every reason, each at its place; none is exit 1. */
static void test_why(void **state)
{
	(void)state;
	tree("why",
	     "core/core.h", "extern long cached_time;\nlong core_now(void);\n",
	     "core/times.c", "#include <pkginit.h>\n#include \"core/core.h\"\n"
			     "long cached_time;\nlong core_now(void) { return cached_time; }\n"
			     "PKG_INIT void time_init(void) { cached_time = 1000; }\n",
	     "os/posix.c", "#include <pkginit.h>\n#include \"core/core.h\"\n"
			   "PKG_IMPORT(\"core\");\nlong boot;\n"
			   "PKG_INIT void os_init(void) { boot = core_now(); }\n",
	     "main.c", "#include \"core/core.h\"\nint main(void) { return 0; }\n",
	     NULL);
	char *inc = xasprintf("-Iwhy");
	char *argv[] = {"why", "os", "core", "--root", "why", "why/main.c",
			"why/core/times.c", "why/os/posix.c", "--", g_inc, inc, NULL};
	tu_capture_begin();
	assert_int_equal(cmd_why(11, argv), 0);
	char *err = tu_capture_end();
	static const char *const want[] = {
		"why/os/posix.c:2: note: os imports core: includes why/core/core.h\n",
		"why/os/posix.c:3:1: note: os imports core: PKG_IMPORT(\"core\")\n",
		"why/os/posix.c:5:15: note: 'os_init' reads 'cached_time', which "
		"'time_init' writes:\n"
		"why/os/posix.c:5:38: note: 'os_init' calls 'core_now'\n"
		"why/core/times.c:4:30: note: 'core_now' reads 'cached_time'\n"
		"why/core/times.c:5:33: note: 'time_init' writes 'cached_time'\n",
		"pkginit: note: os depends on core: 3 reasons above\n",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		if (!strstr(err, want[i])) fprintf(stderr, "got:\n%s", err);
		assert_non_null(strstr(err, want[i]));
	}
	free(err);
	/* The other way round: nothing. */
	argv[1] = "core", argv[2] = "os";
	tu_capture_begin();
	assert_int_equal(cmd_why(11, argv), EXIT_ORDER);
	err = tu_capture_end();
	assert_non_null(strstr(err, "pkginit: note: core does not depend on os directly\n"));
	free(err);
	/* A name that is neither. */
	argv[1] = "nosuch";
	tu_capture_begin();
	assert_int_equal(cmd_why(11, argv), EXIT_USAGE);
	err = tu_capture_end();
	assert_non_null(strstr(err, "'nosuch' is neither an init function nor a package"));
	free(err);
	free(inc);
}

/* ---- records ------------------------------------------------------------- */

static void test_record_roundtrip(void **state)
{
	(void)state;
	tree("rt",
	     "aa/a.c", "#include <pkginit.h>\nint x;\nstatic int y;\n"
		       "static void h(int *p) { *p = 1; }\n"
		       "PKG_INIT void aa_init(void) { static int n; n++; h(&y); x = y; }\n"
		       "PKG_AFTER(aa_init, aa_init2);\nPKG_INIT void aa_init2(void) { }\n",
	     NULL);
	const char *roots[] = {"rt"};
	const char *args[] = {g_inc};
	struct scan_opts o = {.roots = roots, .nroots = 1, .args = args, .nargs = 1,
			      .facts = 1};
	struct scan_record r, back, dec;
	assert_int_equal(scan_tu("rt/aa/a.c", &o, &r), 0);
	char *text = tu_record_text(&r);
	assert_non_null(strstr(text, "facts: true\n"));
	assert_non_null(strstr(text, "  - {name: aa_init, file: rt/aa/a.c, line: 5, "
				     "column: 15, static: false, uses: \"cs:h@5:50 "
				     "rs:aa_init.n@5:45 rs:y@5:61 ws:aa_init.n@5:45 "
				     "we:x@5:57 ws:y@5:53\"}\n"));
	assert_non_null(strstr(text, "afters:\n  - {init: aa_init, after: aa_init2, "
				     "file: rt/aa/a.c, line: 6, column: 1}\n"));
	tu_write("rt.rec", text);
	assert_int_equal(record_read("rt.rec", &back), 0);
	char *again = tu_record_text(&back);
	assert_string_equal(text, again);
	/* and the cache's binary form */
	struct strbuf b = {0};
	record_encode(&b, &r);
	assert_int_equal(record_decode(b.buf, b.len, &dec), 0);
	char *fromcache = tu_record_text(&dec);
	assert_string_equal(text, fromcache);
	/* A damaged reference is an error at its field. */
	char *bad = xstrdup(text);
	char *u = strstr(bad, "cs:h@5:50");
	u[2] = '!';
	tu_write("bad.rec", bad);
	struct scan_record x;
	tu_capture_begin();
	assert_int_equal(record_read("bad.rec", &x), EXIT_INPUT);
	char *err = tu_capture_end();
	assert_non_null(strstr(err, "field 'uses': bad reference 'cs!h@5:50'"));
	free(err);
	free(bad);
	free(fromcache);
	record_free(&dec);
	sb_free(&b);
	free(again);
	record_free(&back);
	free(text);
	record_free(&r);
}

static int setup(void **state)
{
	const char *top = getenv("PKGINIT_TOP");
	int rc = tu_setup_dir(state);
	g_inc = xasprintf("-I%s/runtime/include", top ? top : tu_top);
	return rc;
}

static int teardown(void **state)
{
	free(g_inc);
	free(g_diag);
	return tu_teardown_dir(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct),
		cmocka_unit_test(test_through_calls),
		cmocka_unit_test(test_statics_per_tu),
		cmocka_unit_test(test_recursion),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_defined_elsewhere),
		cmocka_unit_test(test_shared_write),
		cmocka_unit_test(test_core_os_core),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_after),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_record_roundtrip),
	};
	return cmocka_run_group_tests_name("deps", tests, setup, teardown);
}
