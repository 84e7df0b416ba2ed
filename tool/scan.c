/*
 * scan.c - read one translation unit with libclang and describe it as a
 * scan record: its project files, init functions, explicit imports,
 * include edges, whether it defines main, and every file it read.
 *
 * The steps, in order:
 *
 *  1. Parse the file as its compiler would, with the caller's flags plus
 *     -D__PKGINIT_SCAN__=1.  Function bodies are skipped: nothing pkginit
 *     needs is inside one, and skipping them is most of the speed.  The
 *     detailed preprocessing record is kept, because it holds every
 *     #include directive, even a guarded header's second inclusion.
 *     Warnings are switched off (-Wno-everything): the user's compiler
 *     prints them, and under -Werror a warning that exists only because
 *     bodies were skipped (a static function used only inside a body
 *     looks unused) would otherwise fail the scan.  Any error left means
 *     the TU does not parse: its diagnostics are printed, nothing else.
 *
 *  2. Classify each file the TU read once, keyed by its CXFile: its
 *     display path, and, when it lies under a root, its root-relative
 *     name and package (its directory, or what a mapping rule of
 *     pkginit.yaml says).  Files outside every root, and files the
 *     configuration excludes, belong to no package; nothing in them is
 *     looked at again.  A TU that is itself excluded is not parsed.
 *
 *  3. Walk the top-level cursors only, and skip the kinds that cannot
 *     matter before asking for any location.  An inclusion directive in a
 *     project file naming a project file is an include edge.  A static
 *     assertion whose message starts with "pkginit:" is a PKG_IMPORT or
 *     PKG_PACKAGE.  A function declared in a scanned file is remembered
 *     with whether it carries the "pkginit:init" annotation (PKG_INIT).
 *
 *  4. Check the remembered functions by name, once the whole TU has been
 *     seen (a PKG_INIT prototype may come before its definition, or
 *     after).  A valid init function is an external, void (void)
 *     definition in the main file; every violation is reported before
 *     returning, sorted by location.
 *
 * Definition or declaration: with skipped bodies libclang reports no
 * function as a definition, and a cursor's extent stops at the end of the
 * declarator.  The token right after the extent decides: '{' opens a
 * (skipped) body, ';' or ',' ends a declaration.  That is only true when
 * the declarator does not end inside a macro expansion: after
 * `DEFINE_FN(x);` the next token is ';' although the macro holds a body.
 * In that case, or when the next token is anything else (an old-style
 * definition), libclang's indexer answers; it knows about skipped bodies
 * but walks the whole TU, so it runs only when needed, once per TU.
 *
 * Paths: with o->directory, relative paths in the command are relative
 * to that directory.  chdir would affect every thread, so the file is
 * made absolute and clang's frontend gets -working-directory (through
 * -Xclang: the driver's option of that name calls chdir itself, checked
 * with libclang 14).  Clang then names files by absolute paths, which
 * path_display turns back into paths relative to the process's
 * directory.  Roots are relative to the process's directory.  Files are
 * matched to roots by absolute path.
 *
 * Threads: all state lives in one struct scan_ctx per call, with its own
 * CXIndex; diagnostics go through diag.c, which keeps lines whole.
 */
#include "tool.h"

#include <clang-c/Index.h>
#include "libclang.h"     /* clang_* calls load libclang on first use */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCAN_ANNOT_PREFIX "pkginit:"
#define SCAN_INIT_ANNOT   "pkginit:init"
#define SCAN_AFTER_PREFIX "pkginit:after:"

/* A file the TU read. */
struct scan_finfo {
	CXFile file;
	char *path;             /* display path */
	char *name;             /* root-relative; NULL outside every root */
	char *package;          /* directory of name; NULL outside roots */
};

/* A function declaration seen in a scanned file. */
struct scan_fn {
	char *name;
	CXCursor cursor;
	struct scan_finfo *fi;
	unsigned line, col;
	int annotated;
	size_t seq;             /* visit order, to keep "first" stable */
};

/* An error found while walking, printed once the walk is over. */
struct scan_problem {
	struct loc at;
	char *msg, *note;
	size_t seq;
};

struct scan_ctx {
	const struct scan_opts *o;
	char *cwd;              /* absolute, normalized */
	char *base;             /* absolute directory clang resolves against */
	char **absroots;
	char *clang_file;       /* the file name as handed to clang */
	char *tu_path;          /* display path of the main file */
	char *tu_name;          /* its root-relative name (scan_check_in_root) */
	CXIndex index;
	CXTranslationUnit tu;
	CXFile main;

	/* Every file seen, and CXFile -> its index there. */
	struct scan_finfo **finfos;
	size_t nfinfo, capfinfo;
	struct ptrmap fmap;

	struct scan_fn *fns;
	size_t nfns, capfns;
	struct scan_problem *problems;
	size_t nproblems, capproblems;

	/* Definitions according to the indexer, filled on first need. */
	int indexed;
	CXCursor *defs;
	size_t ndefs, capdefs;

	/* What becomes the record, filled as the walk goes (with the lists'
	 * capacities), normalized and handed over at the end. */
	struct scan_record rec;
	size_t capinits, capimports, cappackages, capincludes, capdeps;
	size_t capfuncs, capafters;
	/* Static functions of headers, walked only when used (facts). */
	struct scan_deferred {
		CXCursor cur;
		struct scan_finfo *fi;
		unsigned line, col;
		int done;
	} *deferred;
	size_t ndeferred, capdeferred;
	struct loc main_at;     /* file borrowed from the finfo */
	unsigned command_errors;        /* clang errors with no place */
};

/* ---- files ------------------------------------------------------------- */

static char *scan_root_name(const struct scan_ctx *c, const char *abs)
{
	return config_root_name(abs, (const char *const *)c->absroots,
				c->o->nroots);
}

/* pkginit.yaml decides the package of a file under a root: a mapping
 * rule, or its directory; an excluded file is in none, like a system
 * header.  A rule that yields no valid package path is the
 * configuration's mistake, reported at the rule. */
static void scan_map_package(struct scan_ctx *c, struct scan_finfo *fi)
{
	struct loc rule = {0};
	int how = config_package(c->o->config, fi->name, &fi->package, &rule);
	if (how > 0) return;
	if (how < 0) {
		struct scan_problem p = {
			.at = rule,
			.msg = xasprintf("this rule puts '%s' in package '%s', "
					 "which is not a package path: %s",
					 fi->name, fi->package,
					 path_package_problem(fi->package)),
			.seq = c->nproblems,
		};
		VEC_PUSH(c->problems, c->nproblems, c->capproblems, p);
	}
	free(fi->name);
	free(fi->package);
	fi->name = fi->package = NULL;
}

/* The real path (path_real) of a path clang gave, which is relative to
 * the process's directory once joined with the command's. */
static char *scan_real_path(const struct scan_ctx *c, const char *p)
{
	/* Joined, not normalized: path_real must see any ".." as clang
	 * did, after the links before it. */
	char *abs = p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", c->cwd, p);
	char *real = path_real(abs);
	free(abs);
	return real;
}

/* Where f lies: its display path and, under the longest matching root,
 * its name and package.  Done once per file: path arithmetic on every
 * cursor would cost more than the walk itself. */
static struct scan_finfo *scan_classify(struct scan_ctx *c, CXFile f)
{
	struct scan_finfo *fi = xcalloc(1, sizeof *fi);
	fi->file = f;
	CXString cs = clang_getFileName(f);
	const char *raw = clang_getCString(cs);
	if (!raw) raw = "";
	char *seen = path_join(c->o->directory, raw);
	/* Roots and files compare as what they really are, so a file
	 * reached through a link (a linked directory, an absolute -I under
	 * a linked working directory, "lnk/../x.h") is in the package of its
	 * real directory, and is shown by its real path. */
	char *joined = raw[0] == '/' || !c->o->directory ? xstrdup(raw)
		     : xasprintf("%s/%s", c->o->directory, raw);
	clang_disposeString(cs);
	char *abs = scan_real_path(c, joined);
	free(joined);
	fi->name = scan_root_name(c, abs);
	fi->path = path_display(fi->name ? abs : seen);
	if (fi->name) scan_map_package(c, fi);
	free(abs);
	free(seen);
	return fi;
}

static struct scan_finfo *scan_file_info(struct scan_ctx *c, CXFile f)
{
	if (!f) return NULL;
	size_t i;
	if (ptrmap_get(&c->fmap, f, &i)) return c->finfos[i];
	struct scan_finfo *fi = scan_classify(c, f);
	VEC_PUSH(c->finfos, c->nfinfo, c->capfinfo, fi);
	ptrmap_put(&c->fmap, f, c->nfinfo - 1);
	return fi;
}

/* Files whose contents pkginit reads: project files and the main file. */
static int scan_is_scanned(const struct scan_ctx *c,
			   const struct scan_finfo *fi)
{
	return fi && (fi->name || fi->file == c->main);
}

/* The file a cursor is in, if it is scanned, with its line and column
 * (of the macro argument or expansion when the cursor comes from a
 * macro, as the compiler would point).  NULL for everything else, which
 * is decided before computing any line number. */
static struct scan_finfo *scan_cursor_file(struct scan_ctx *c, CXCursor cur,
					   unsigned *line, unsigned *col)
{
	CXSourceLocation loc = clang_getCursorLocation(cur);
	if (clang_Location_isInSystemHeader(loc)) return NULL;
	CXFile f;
	clang_getFileLocation(loc, &f, NULL, NULL, NULL);
	struct scan_finfo *fi = scan_file_info(c, f);
	if (!scan_is_scanned(c, fi)) return NULL;
	clang_getFileLocation(loc, NULL, line, col, NULL);
	return fi;
}

static void scan_on_inclusion(CXFile f, CXSourceLocation *stack,
			      unsigned depth, CXClientData data)
{
	(void)stack;
	(void)depth;
	struct scan_ctx *c = data;
	struct scan_finfo *fi = scan_file_info(c, f);
	if (fi) VEC_PUSH(c->rec.deps, c->rec.ndeps, c->capdeps, xstrdup(fi->path));
}

/* ---- problems ---------------------------------------------------------- */

static void scan_problem(struct scan_ctx *c, const struct scan_finfo *fi,
			 unsigned line, unsigned col, char *msg, char *note)
{
	struct scan_problem p = {
		.at = {fi->path, line, col},
		.msg = msg,
		.note = note,
		.seq = c->nproblems,
	};
	VEC_PUSH(c->problems, c->nproblems, c->capproblems, p);
}

static int scan_cmp_problem(const void *a, const void *b)
{
	const struct scan_problem *x = a, *y = b;
	int d = str_cmp(x->at.file, y->at.file);
	if (d) return d;
	if (x->at.line != y->at.line) return x->at.line < y->at.line ? -1 : 1;
	if (x->at.col != y->at.col) return x->at.col < y->at.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void scan_print_problems(struct scan_ctx *c)
{
	if (c->nproblems)
		qsort(c->problems, c->nproblems, sizeof *c->problems,
		      scan_cmp_problem);
	for (size_t i = 0; i < c->nproblems; i++) {
		struct scan_problem *p = &c->problems[i];
		diag_error(p->at, "%s", p->msg);
		if (p->note) diag_note(p->at, "%s", p->note);
	}
}

/* ---- parsing ----------------------------------------------------------- */

static const char **scan_build_args(const struct scan_ctx *c, int *nargs)
{
	const struct scan_opts *o = c->o;
	const char **argv = xcalloc(o->nargs + 6, sizeof *argv);
	int n = 0;
	for (size_t i = 0; i < o->nargs; i++) argv[n++] = o->args[i];
	argv[n++] = "-D__PKGINIT_SCAN__=1";
	/* After the user's flags, so it also undoes their -Werror. */
	argv[n++] = "-Wno-everything";
	if (o->directory) {
		/* The frontend's option, not the driver's: the driver's
		 * -working-directory chdirs the whole process. */
		argv[n++] = "-Xclang";
		argv[n++] = "-working-directory";
		argv[n++] = "-Xclang";
		argv[n++] = c->base;
	}
	*nargs = n;
	return argv;
}

/* One clang diagnostic as "path:line:col: error: message [-Wflag]",
 * through diag.c so that the path is relative to our directory (clang's
 * would be relative to -working-directory), lines never interleave, and
 * the error is counted. */
static void scan_print_clang_diag(struct scan_ctx *c, CXDiagnostic d)
{
	enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
	CXFile f = NULL;
	struct loc at = {0};
	clang_getFileLocation(clang_getDiagnosticLocation(d), &f, &at.line,
			      &at.col, NULL);
	struct scan_finfo *fi = scan_file_info(c, f);
	if (fi) at.file = fi->path;
	/* No place: the driver's complaint about the command (an unknown
	 * flag); say which TU's command it is. */
	if (!fi && sev >= CXDiagnostic_Error) {
		at = (struct loc){c->tu_path, 0, 0};
		c->command_errors++;
	}
	CXString msg = clang_getDiagnosticSpelling(d);
	CXString opt = clang_getDiagnosticOption(d, NULL);
	const char *m = clang_getCString(msg), *w = clang_getCString(opt);
	char *text = w && *w ? xasprintf("%s [%s]", m, w) : xstrdup(m);
	if (sev >= CXDiagnostic_Error)
		diag_error(at, "%s", text);
	else
		diag_note(at, "%s", text);
	free(text);
	clang_disposeString(msg);
	clang_disposeString(opt);
	CXDiagnosticSet kids = clang_getChildDiagnostics(d);
	for (unsigned i = 0; i < clang_getNumDiagnosticsInSet(kids); i++) {
		CXDiagnostic k = clang_getDiagnosticInSet(kids, i);
		scan_print_clang_diag(c, k);
		clang_disposeDiagnostic(k);
	}
}

/* Print the TU's errors, each with the notes that follow it; warnings
 * and their notes are the compiler's business.  Returns the number of
 * errors. */
/* A warning made an error, by -Werror=X or by `#pragma GCC diagnostic
 * error "-WX"` in the source (which -Wno-everything on the command line
 * does not undo): it has a warning option, a real error has none.  With
 * bodies skipped such warnings are often wrong ("unused function"), and
 * whether the code compiles is the compiler's call, so the scan ignores
 * them. */
static int scan_promoted_warning(CXDiagnostic d)
{
	CXString opt = clang_getDiagnosticOption(d, NULL);
	const char *w = clang_getCString(opt);
	int promoted = w && !strncmp(w, "-W", 2);
	clang_disposeString(opt);
	return promoted;
}

static unsigned scan_clang_errors(struct scan_ctx *c)
{
	unsigned n = clang_getNumDiagnostics(c->tu), errors = 0;
	int in_error = 0;
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(c->tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		if (sev >= CXDiagnostic_Error && scan_promoted_warning(d)) {
			in_error = 0;
		} else if (sev >= CXDiagnostic_Error) {
			errors++;
			in_error = 1;
		} else if (sev != CXDiagnostic_Note) {
			in_error = 0;
		}
		if (in_error) scan_print_clang_diag(c, d);
		clang_disposeDiagnostic(d);
	}
	return errors;
}

/* After clang refused the command: where it comes from, what to do. */
static void scan_command_note(const struct scan_ctx *c)
{
	if (c->o->entry.file)
		diag_note(c->o->entry, "the command of '%s' is this entry of the "
			  "compilation database: fix or remove the flag there",
			  c->tu_path);
	else
		diag_note((struct loc){0}, "fix or remove the flag among those "
			  "after '--'");
}

/* libclang gave no translation unit at all. */
static void scan_libclang_failed(const struct scan_ctx *c, enum CXErrorCode err)
{
	const char *why = err == CXError_Crashed ? "libclang crashed"
			  : err == CXError_InvalidArguments ? "libclang refused "
			  "the arguments" : err == CXError_ASTReadError ?
			  "libclang could not read a precompiled file"
			  : "libclang failed";
	diag_error((struct loc){c->tu_path, 0, 0}, "cannot parse this file: %s "
		   "(error %d)", why, (int)err);
	if (c->o->entry.file)
		diag_note(c->o->entry, "its command is this entry of the "
			  "compilation database");
	diag_note((struct loc){0}, "check that clang compiles it with the same "
		  "flags; if it does, report a bug in pkginit");
}

static int scan_parse(struct scan_ctx *c)
{
	int nargs;
	const char **argv = scan_build_args(c, &nargs);
	/* Function facts are in the bodies; without them, skipping bodies
	 * is most of the speed. */
	unsigned flags = CXTranslationUnit_DetailedPreprocessingRecord |
			 CXTranslationUnit_KeepGoing;
	if (!c->o->facts) flags |= CXTranslationUnit_SkipFunctionBodies;
	enum CXErrorCode err = clang_parseTranslationUnit2(
		c->index, c->clang_file, argv, nargs, NULL, 0, flags, &c->tu);
	free(argv);
	if (err != CXError_Success) {
		c->tu = NULL;
		scan_libclang_failed(c, err);
		return EXIT_INPUT;
	}
	c->main = clang_getFile(c->tu, c->clang_file);
	if (!scan_clang_errors(c)) return 0;
	if (c->command_errors) scan_command_note(c);
	return EXIT_INPUT;
}

/* ---- annotations ------------------------------------------------------- */

static enum CXChildVisitResult scan_last_string(CXCursor cur, CXCursor parent,
						CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(cur) == CXCursor_StringLiteral)
		*(CXCursor *)data = cur;
	return CXChildVisit_Continue;
}


/* The text of a narrow (or u8) string literal as clang spells it, without
 * quotes; NULL for other literals. */
static char *scan_literal_text(const char *spelling)
{
	const char *q = strchr(spelling, '"');
	size_t n = strlen(spelling);
	if (!q || n < 2 || spelling[n - 1] != '"' || q == spelling + n - 1)
		return NULL;
	size_t prefix = (size_t)(q - spelling);
	if (prefix && !(prefix == 2 && !strncmp(spelling, "u8", 2)))
		return NULL;
	return xstrndup(q + 1, (size_t)(spelling + n - 1 - (q + 1)));
}

/* PKG_AFTER(init, other): "INIT:OTHER", two identifiers (the macro
 * stringizes them); link checks that both name init functions. */
static void scan_after(struct scan_ctx *c, struct scan_finfo *fi,
		       unsigned line, unsigned col, const char *text)
{
	const char *colon = strchr(text, ':');
	if (!colon || !record_is_name(text, (size_t)(colon - text), 0) ||
	    !record_is_name(colon + 1, strlen(colon + 1), 0)) {
		scan_problem(c, fi, line, col,
			     xasprintf("invalid PKG_AFTER \"%s\": it takes two "
				       "init function names", text),
			     xstrdup("write PKG_AFTER(db_init, log_init); to run "
				     "db_init after log_init"));
		return;
	}
	struct scan_after a = {xstrndup(text, (size_t)(colon - text)),
			       xstrdup(colon + 1), xstrdup(fi->path), line, col};
	VEC_PUSH(c->rec.afters, c->rec.nafters, c->capafters, a);
}

static void scan_annotation(struct scan_ctx *c, struct scan_finfo *fi,
			    unsigned line, unsigned col, const char *text)
{
	static const struct {
		const char *prefix, *macro;
		int package;
	} kinds[] = {
		{"pkginit:import:", "PKG_IMPORT", 0},
		{"pkginit:package:", "PKG_PACKAGE", 1},
	};
	if (!strncmp(text, SCAN_AFTER_PREFIX, strlen(SCAN_AFTER_PREFIX))) {
		scan_after(c, fi, line, col, text + strlen(SCAN_AFTER_PREFIX));
		return;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t n = strlen(kinds[i].prefix);
		if (strncmp(text, kinds[i].prefix, n)) continue;
		const char *path = text + n;
		const char *why = path_package_problem(path);
		if (why) {
			char *shown = record_shown(path);
			scan_problem(c, fi, line, col,
				     xasprintf("invalid package path \"%s\" in "
					       "%s: %s", shown, kinds[i].macro,
					       why),
				     xstrdup("a package path is a directory "
					     "relative to a root, like \"log\" "
					     "or \"net/http\""));
			free(shown);
			return;
		}
		struct scan_annot a = {xstrdup(path), xstrdup(fi->path), line,
				       col};
		if (kinds[i].package)
			VEC_PUSH(c->rec.packages, c->rec.npackages, c->cappackages, a);
		else
			VEC_PUSH(c->rec.imports, c->rec.nimports, c->capimports, a);
		return;
	}
	scan_problem(c, fi, line, col,
		     xasprintf("unknown pkginit annotation \"%s\"", text),
		     xstrdup("<pkginit.h> provides PKG_IMPORT(\"path\"), "
			     "PKG_PACKAGE(\"path\") and PKG_AFTER(init, other)"));
}

/* The bytes of a narrow or u8 string literal, as the compiler has them
 * (pieces concatenated, escapes decoded), or NULL for other literals.
 * libclang spells a literal with clang's StringLiteral::outputString:
 * printable ASCII as itself, backslash and quote escaped, a few control
 * characters as \n-style escapes and every other byte (UTF-8 included)
 * as three octal digits; this inverts it.  *nul is set when the string
 * holds a NUL (the text stops there). */
static char *scan_literal_value(CXCursor lit, int *nul)
{
	CXString cs = clang_getCursorSpelling(lit);
	char *sp = scan_literal_text(clang_getCString(cs));
	clang_disposeString(cs);
	if (!sp) return NULL;
	struct strbuf sb = {0};
	for (const char *p = sp; *p && !*nul; p++) {
		if (*p != '\\' || !p[1]) {
			sb_putc(&sb, *p);
			continue;
		}
		static const char esc[] = "a\ab\bf\fn\nr\rt\tv\v";
		const char *e = strchr(esc, *++p);
		if (*p >= '0' && *p <= '7') {
			unsigned v = 0;
			for (int k = 0; k < 3 && *p >= '0' && *p <= '7'; k++, p++)
				v = v * 8 + (unsigned)(*p - '0');
			p--;
			if (!(v & 0xff)) *nul = 1;
			else sb_putc(&sb, (char)v);
		} else if (e && (e - esc) % 2 == 0) {
			sb_putc(&sb, e[1]);
		} else {
			sb_putc(&sb, *p);       /* \\, \", \? and the like */
		}
	}
	free(sp);
	return sb_detach(&sb);
}

static void scan_on_static_assert(struct scan_ctx *c, CXCursor cur)
{
	unsigned line, col;
	struct scan_finfo *fi = scan_cursor_file(c, cur, &line, &col);
	if (!fi) return;
	/* The message is the last string literal child; the condition
	 * may hold string literals of its own, but only deeper down. */
	CXCursor lit = clang_getNullCursor();
	clang_visitChildren(cur, scan_last_string, &lit);
	if (clang_Cursor_isNull(lit)) return;
	int nul = 0;
	char *text = scan_literal_value(lit, &nul);
	if (text && !strncmp(text, SCAN_ANNOT_PREFIX,
			     strlen(SCAN_ANNOT_PREFIX))) {
		if (nul)
			scan_problem(c, fi, line, col,
				     xasprintf("a NUL character in the annotation "
					       "\"%s...\"", text),
				     xstrdup("a package path is a directory, "
					     "whose name cannot hold one"));
		else
			scan_annotation(c, fi, line, col, text);
	}
	free(text);
}

/* ---- includes ---------------------------------------------------------- */

static void scan_on_include(struct scan_ctx *c, CXCursor cur)
{
	unsigned line, col;
	struct scan_finfo *from = scan_cursor_file(c, cur, &line, &col);
	if (!from || !from->name) return;
	struct scan_finfo *to = scan_file_info(c, clang_getIncludedFile(cur));
	if (!to || !to->name) return;
	struct scan_include e = {xstrdup(from->path), line, xstrdup(to->path)};
	VEC_PUSH(c->rec.includes, c->rec.nincludes, c->capincludes, e);
}

/* ---- function facts ---------------------------------------------------
 *
 * With o->facts, every function defined in a project file is walked, and
 * each reference in its body to a project function or to a project
 * variable of static storage becomes a scan_ref (spec/uses.md says what
 * is and is not seen).  Whether a variable is read or written is decided
 * by the expression around its name, walking up from the DeclRefExpr:
 *
 *   - through what keeps it an lvalue: parentheses, '.' member access,
 *     and an array's decay when it is the base of a subscript (writing
 *     a[i] or s.f writes a or s);
 *   - then the first other node decides: the left operand of '=' is a
 *     write, of a compound assignment or of '++'/'--' a read and a write,
 *     sizeof/_Alignof neither; an implicit conversion (lvalue-to-rvalue)
 *     and everything else is a read;
 *   - taking the address ('&', or an array's decay) is a read unless the
 *     pointer goes where the variable can be written through it: it is
 *     followed through casts, parentheses, pointer arithmetic and '?:'
 *     to where it ends, and is a write when that is a pointer to
 *     non-const (a parameter, or an argument of a function without a
 *     prototype; the left side of '=', an initialized variable, a
 *     return value, an initializer list member), a read when
 *     it is an argument of a variadic function's '...' (printf-like
 *     loggers: measured on a real codebase, counting those as writes made
 *     a false cycle) or anything else (a comparison, a conversion to an
 *     integer); '->', '[]' or '*' applied to the address names the
 *     variable again ((&v)->f as list macros write it, *a for an array
 *     a), decided as above.
 *
 * libclang 14 has no operator kinds for expressions, so the operator of
 * a unary or binary expression is read from its tokens, only for the few
 * expressions whose operand is a tracked variable.  Inside a macro those
 * are the macro call's tokens (INC(x) for x++), so there the shapes
 * decide: an lvalue operand of a unary operator is '&' when the result
 * points to it, else '++' or '--'; a pointer-valued binary operator is
 * an assignment when its left side is an lvalue.
 */

/* One node on the way from a function's body down to a reference.  The
 * nodes from the body down are consecutive in scan_fwalk.stack, so a
 * node's parent is the one before it (scan_up). */
struct scan_fframe {
	struct scan_fwalk *w;
	CXCursor cur;
	enum CXCursorKind kind;
	unsigned idx;           /* among the parent's children */
	unsigned nkids;
	unsigned depth;         /* its place in the stack; 0 is the function */
};

struct scan_fwalk {
	struct scan_ctx *c;
	struct scan_finfo *fi;  /* the function's file */
	const char *fname;      /* the function's name */
	unsigned line, col;     /* and its place in fi */
	int funcs_only;         /* a table's initializer: functions only */
	struct scan_ref *refs;
	size_t nrefs, cap;
	struct scan_fframe *stack;      /* the path from the function down */
	size_t depth, capstack;
};

static const struct scan_fframe *scan_up(const struct scan_fframe *x)
{
	return x->depth ? x - 1 : NULL;
}

enum { SCAN_ACC_NONE = 0, SCAN_ACC_READ = 1, SCAN_ACC_WRITE = 2 };

static int scan_type_is_array(CXType t)
{
	t = clang_getCanonicalType(t);
	return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
	       t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray;
}

static int scan_type_is_pointer(CXType t)
{
	return clang_getCanonicalType(t).kind == CXType_Pointer;
}

/* Where a pointer of type t goes: write access when it points to
 * non-const. */
static int scan_ptr_access(CXType t)
{
	t = clang_getCanonicalType(t);
	if (t.kind != CXType_Pointer) return SCAN_ACC_READ;
	return clang_isConstQualifiedType(clang_getPointeeType(t))
		       ? SCAN_ACC_READ : SCAN_ACC_WRITE;
}

/* The spelling of the token of e's extent at index (negative: from the
 * end), or of the last token before the start of `before` when given;
 * copied into buf. */
static void scan_expr_token(struct scan_ctx *c, CXCursor e, int index,
			    const CXCursor *before, char *buf, size_t size)
{
	CXToken *toks;
	unsigned n;
	buf[0] = 0;
	clang_tokenize(c->tu, clang_getCursorExtent(e), &toks, &n);
	int pick = -1;
	if (before) {
		unsigned off;
		clang_getFileLocation(clang_getRangeStart(
			clang_getCursorExtent(*before)), NULL, NULL, NULL, &off);
		for (unsigned i = 0; i < n; i++) {
			unsigned o;
			clang_getFileLocation(clang_getTokenLocation(c->tu, toks[i]),
					      NULL, NULL, NULL, &o);
			if (o >= off) break;
			pick = (int)i;
		}
	} else {
		pick = index >= 0 ? index : (int)n + index;
	}
	if (pick >= 0 && (unsigned)pick < n) {
		CXString sp = clang_getTokenSpelling(c->tu, toks[pick]);
		snprintf(buf, size, "%s", clang_getCString(sp));
		clang_disposeString(sp);
	}
	clang_disposeTokens(c->tu, toks, n);
}

static int scan_var_access(const struct scan_fframe *ref);

/* Does u's value point to what x is (by the types)?  For a unary
 * operator u over x: u is '&'; with the roles swapped, x is '*' over u. */
static int scan_is_addr_of(const struct scan_fframe *u, const struct scan_fframe *x)
{
	CXType r = clang_getCanonicalType(clang_getCursorType(u->cur));
	CXType o = clang_getCanonicalType(clang_getCursorType(x->cur));
	return r.kind == CXType_Pointer &&
	       clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(r)), o);
}

static enum CXChildVisitResult scan_first_child(CXCursor cur, CXCursor parent,
						CXClientData data)
{
	(void)parent;
	*(CXCursor *)data = cur;
	return CXChildVisit_Break;
}

/* Is the left operand of binary operator b an lvalue, as only an
 * assignment's is (every other operator converts it first)? */
static int scan_lhs_is_lvalue(CXCursor b)
{
	CXCursor lhs = clang_getNullCursor();
	clang_visitChildren(b, scan_first_child, &lhs);
	switch (clang_getCursorKind(lhs)) {
	case CXCursor_DeclRefExpr:
	case CXCursor_MemberRefExpr:
	case CXCursor_ArraySubscriptExpr:
	case CXCursor_ParenExpr:
	case CXCursor_UnaryOperator:
		return 1;
	default:
		return 0;
	}
}

/* Where the address made at x (a '&' or an array's decay) ends up. */
static int scan_addr_access(const struct scan_fframe *x)
{
	struct scan_ctx *c = x->w->c;
	for (;;) {
		const struct scan_fframe *p = scan_up(x);
		if (!p) return SCAN_ACC_READ;
		char op[8];
		switch (p->kind) {
		case CXCursor_ParenExpr:
		case CXCursor_UnexposedExpr:
		case CXCursor_CStyleCastExpr:
			x = p;
			continue;
		case CXCursor_ConditionalOperator:
			if (x->idx == 0) return SCAN_ACC_READ;
			x = p;
			continue;
		case CXCursor_BinaryOperator:
			if (x->idx == 0) return SCAN_ACC_READ;
			scan_expr_token(c, p->cur, 0, &x->cur, op, sizeof op);
			if (!strcmp(op, "="))
				return scan_ptr_access(clang_getCursorType(x->cur));
			int ptr = scan_type_is_pointer(clang_getCursorType(p->cur));
			if ((!strcmp(op, "+") || !strcmp(op, "-")) && ptr) {
				x = p;
				continue;
			}
			/* Only '=', '+', '-' and ',' give a pointer.  Inside
			 * a macro the token is the macro call's (SET(p, &v)
			 * gives ',' or none): then it is an assignment when
			 * the left side is an lvalue, else it goes on. */
			if (ptr) {
				if (scan_lhs_is_lvalue(p->cur))
					return scan_ptr_access(clang_getCursorType(x->cur));
				x = p;
				continue;
			}
			return SCAN_ACC_READ;
		/* (&v)->f, (&v)[i], *&v and *a (a an array) name v itself. */
		case CXCursor_MemberRefExpr:
		case CXCursor_ArraySubscriptExpr:
			return x->idx == 0 ? scan_var_access(p) : SCAN_ACC_READ;
		case CXCursor_UnaryOperator:
			scan_expr_token(c, p->cur, 0, NULL, op, sizeof op);
			if (!strcmp(op, "!")) return SCAN_ACC_READ;
			return scan_is_addr_of(x, p) ? scan_var_access(p) : SCAN_ACC_READ;
		case CXCursor_CallExpr: {
			if (x->idx == 0) return SCAN_ACC_READ;
			CXCursor callee = clang_getCursorReferenced(p->cur);
			if (!clang_Cursor_isNull(callee)) {
				CXType ft = clang_getCursorType(callee);
				/* Only a variadic function's '...' reads; a
				 * function without a prototype (int f();) gets
				 * the pointer as it is, like a parameter. */
				int np = clang_getNumArgTypes(ft);
				if (ft.kind == CXType_FunctionProto && np >= 0 &&
				    (int)x->idx - 1 >= np)
					return SCAN_ACC_READ;
			}
			return scan_ptr_access(clang_getCursorType(x->cur));
		}
		case CXCursor_VarDecl:
			return scan_ptr_access(clang_getCursorType(p->cur));
		case CXCursor_ReturnStmt:
		case CXCursor_InitListExpr:
			return scan_ptr_access(clang_getCursorType(x->cur));
		default:
			return SCAN_ACC_READ;
		}
	}
}

/* How the variable named at ref is used. */
static int scan_var_access(const struct scan_fframe *ref)
{
	struct scan_ctx *c = ref->w->c;
	const struct scan_fframe *x = ref;
	for (;;) {
		const struct scan_fframe *p = scan_up(x);
		if (!p) return SCAN_ACC_READ;
		char op[8];
		switch (p->kind) {
		case CXCursor_ParenExpr:
		case CXCursor_MemberRefExpr:
			x = p;
			continue;
		case CXCursor_UnexposedExpr:
			if (scan_type_is_array(clang_getCursorType(x->cur)) &&
			    scan_type_is_pointer(clang_getCursorType(p->cur))) {
				const struct scan_fframe *pp = scan_up(p);
				if (pp && pp->kind == CXCursor_ArraySubscriptExpr &&
				    p->idx == 0) {
					x = pp;
					continue;
				}
				return scan_addr_access(p);
			}
			return SCAN_ACC_READ;
		case CXCursor_BinaryOperator:
			return x->idx == 0 ? SCAN_ACC_WRITE : SCAN_ACC_READ;
		case CXCursor_CompoundAssignOperator:
			return x->idx == 0 ? SCAN_ACC_READ | SCAN_ACC_WRITE
					   : SCAN_ACC_READ;
		case CXCursor_UnaryOperator:
			/* An operand that is still an lvalue here has '&',
			 * '++', '--' or GNU's '__extension__', '__real__',
			 * '__imag__': every other operator converts it first. */
			scan_expr_token(c, p->cur, 0, NULL, op, sizeof op);
			if (!strcmp(op, "&")) return scan_addr_access(p);
			if (!strcmp(op, "++") || !strcmp(op, "--"))
				return SCAN_ACC_READ | SCAN_ACC_WRITE;
			if (!strncmp(op, "__", 2)) {
				x = p;
				continue;
			}
			scan_expr_token(c, p->cur, -1, NULL, op, sizeof op);
			if (!strcmp(op, "++") || !strcmp(op, "--"))
				return SCAN_ACC_READ | SCAN_ACC_WRITE;
			/* Inside a macro the tokens are the macro's call
			 * (INC(x) for x++): then '&' is the operator whose
			 * result points to its operand. */
			return scan_is_addr_of(p, x) ? scan_addr_access(p)
						     : SCAN_ACC_READ | SCAN_ACC_WRITE;
		case CXCursor_UnaryExpr:        /* sizeof, _Alignof */
			return SCAN_ACC_NONE;
		default:
			return SCAN_ACC_READ;
		}
	}
}

/* Is the function named at ref the callee of a call? */
static int scan_is_callee(const struct scan_fframe *ref)
{
	const struct scan_fframe *x = ref, *p;
	while ((p = scan_up(x)) && (p->kind == CXCursor_UnexposedExpr ||
				   p->kind == CXCursor_ParenExpr))
		x = p;
	return p && p->kind == CXCursor_CallExpr && x->idx == 0;
}

/* Where the reference at `at` is, as a line and column of the function's
 * own file (a scan_ref has no file of its own): where its name is
 * expanded, or, when that is in another file (a fragment #included
 * inside the body), the nearest enclosing node that is in the function's
 * file; at worst the function itself. */
static void scan_ref_place(const struct scan_fwalk *w, const struct scan_fframe *at,
			   unsigned *line, unsigned *col)
{
	for (const struct scan_fframe *x = at; scan_up(x); x = scan_up(x)) {
		CXFile f;
		clang_getExpansionLocation(clang_getCursorLocation(x->cur), &f,
					   line, col, NULL);
		if (f && clang_File_isEqual(f, w->fi->file)) return;
	}
	*line = w->line;
	*col = w->col;
}

static void scan_add_ref(struct scan_fwalk *w, const struct scan_fframe *at,
			 const char *name, char kind, int is_static)
{
	unsigned line, col;
	scan_ref_place(w, at, &line, &col);
	struct scan_ref r = {xstrdup(name), kind, (char)is_static, line, col};
	VEC_PUSH(w->refs, w->nrefs, w->cap, r);
}

static void scan_on_ref(const struct scan_fframe *fr)
{
	struct scan_fwalk *w = fr->w;
	struct scan_ctx *c = w->c;
	CXCursor d = clang_getCursorReferenced(fr->cur);
	enum CXCursorKind k = clang_getCursorKind(d);
	if (k != CXCursor_FunctionDecl && k != CXCursor_VarDecl) return;
	unsigned line, col;
	struct scan_finfo *dfi = scan_cursor_file(c, d, &line, &col);
	if (!dfi || !dfi->name) return;         /* not a project declaration */
	/* An initializer reads and writes nothing at run time.  Its
	 * variables' files are classified all the same, as every walk
	 * classifies them, so that the record's files do not depend on it. */
	if (w->funcs_only && k == CXCursor_VarDecl) return;
	CXString s = clang_getCursorSpelling(d);
	const char *name = clang_getCString(s);
	if (k == CXCursor_FunctionDecl) {
		scan_add_ref(w, fr, name, scan_is_callee(fr) ? SCAN_REF_CALL
							      : SCAN_REF_ADDR,
			     clang_getCursorLinkage(d) == CXLinkage_Internal);
		clang_disposeString(s);
		return;
	}
	/* Static storage: at file scope, or a static local. */
	int file_scope = clang_getCursorKind(clang_getCursorSemanticParent(d)) ==
			 CXCursor_TranslationUnit;
	enum CX_StorageClass sc = clang_Cursor_getStorageClass(d);
	char *full = NULL;
	int is_static = 0;
	if (file_scope || sc == CX_SC_Extern) {
		is_static = clang_getCursorLinkage(d) == CXLinkage_Internal;
	} else if (sc == CX_SC_Static) {
		full = xasprintf("%s.%s", w->fname, name);
		is_static = 1;
	} else {
		clang_disposeString(s);
		return;                 /* automatic: no one else sees it */
	}
	int acc = scan_var_access(fr);
	if (acc & SCAN_ACC_READ)
		scan_add_ref(w, fr, full ? full : name, SCAN_REF_READ, is_static);
	if (acc & SCAN_ACC_WRITE)
		scan_add_ref(w, fr, full ? full : name, SCAN_REF_WRITE, is_static);
	free(full);
	clang_disposeString(s);
}

/* One walk over the whole body (CXChildVisit_Recurse), keeping the path
 * from the function down on a stack: libclang calls back with each node
 * and its parent, and the nodes below the parent are popped first.  A
 * clang_visitChildren per node, as a recursive walk would do, builds a
 * visitor each time: measured with callgrind on Open vSwitch's
 * lib/dpif.c, that was 38.9M instructions of a 70.8M scan. */
static enum CXChildVisitResult scan_facts_visit(CXCursor cur, CXCursor parent,
						CXClientData data)
{
	struct scan_fwalk *w = data;
	while (w->depth > 1 &&
	       !clang_equalCursors(w->stack[w->depth - 1].cur, parent))
		w->depth--;
	unsigned idx = w->stack[w->depth - 1].nkids++;
	enum CXCursorKind kind = clang_getCursorKind(cur);
	/* sizeof and _Alignof read nothing; nested function declarations
	 * and types hold no accesses. */
	if (kind == CXCursor_UnaryExpr ||
	    (clang_isDeclaration(kind) && kind != CXCursor_VarDecl))
		return CXChildVisit_Continue;
	vec_reserve(&w->stack, &w->capstack, w->depth + 1, sizeof *w->stack);
	w->stack[w->depth] = (struct scan_fframe){w, cur, kind, idx, 0,
						  (unsigned)w->depth};
	w->depth++;
	if (kind == CXCursor_DeclRefExpr) scan_on_ref(&w->stack[w->depth - 1]);
	return CXChildVisit_Recurse;
}

/* Walk the body (or initializer) of cur, of the given kind. */
static void scan_facts_walk(struct scan_fwalk *w, CXCursor cur,
			    enum CXCursorKind kind)
{
	vec_reserve(&w->stack, &w->capstack, 64, sizeof *w->stack);
	w->stack[0] = (struct scan_fframe){w, cur, kind, 0, 0, 0};
	w->depth = 1;
	clang_visitChildren(cur, scan_facts_visit, w);
	free(w->stack);
	w->stack = NULL;
	w->capstack = 0;
}

/* The facts of a function defined in a project file, or (is_table) of a
 * variable defined at file scope whose initializer names project
 * functions (a table of callbacks, an ops struct): recorded as a table,
 * so that link can follow a read of the variable to the functions in it
 * when asked (--follow-addresses, spec/uses.md).  A variable whose
 * initializer names none is no table. */
static void scan_facts_fn(struct scan_ctx *c, CXCursor cur,
			  struct scan_finfo *fi, unsigned line, unsigned col,
			  int is_table)
{
	CXString s = clang_getCursorSpelling(cur);
	struct scan_fwalk w = {.c = c, .fi = fi, .fname = clang_getCString(s),
			       .line = line, .col = col, .funcs_only = is_table};
	scan_facts_walk(&w, cur, is_table ? CXCursor_VarDecl
					  : CXCursor_FunctionDecl);
	if (is_table && !w.nrefs) {
		clang_disposeString(s);
		return;
	}
	struct scan_func f = {
		.name = xstrdup(w.fname), .file = xstrdup(fi->path),
		.line = line, .col = col,
		.is_static = clang_getCursorLinkage(cur) == CXLinkage_Internal,
		.is_table = is_table, .refs = w.refs, .nrefs = w.nrefs,
	};
	clang_disposeString(s);
	VEC_PUSH(c->rec.funcs, c->rec.nfuncs, c->capfuncs, f);
}

/* A variable at file scope of a scanned file fi (scan_visit found its
 * place): a table, if it is defined in a project file and its
 * initializer names project functions (scan_facts_fn). */
static void scan_facts_table(struct scan_ctx *c, CXCursor cur,
			     struct scan_finfo *fi, unsigned line, unsigned col)
{
	if (!fi->name || !clang_isCursorDefinition(cur)) return;
	scan_facts_fn(c, cur, fi, line, col, 1);
}

/* Walk the deferred static functions of headers that something walked
 * refers to, until nothing new is referred to.  Measured with callgrind
 * on Open vSwitch's lib/dpif.c, whose headers define hundreds of static
 * inline functions it never calls: see spec/performance.md. */
static void scan_facts_statics(struct scan_ctx *c)
{
	if (!c->ndeferred) return;
	struct strmap want = {0};
	size_t seen = 0;        /* functions whose references are in want */
	for (int more = 1; more;) {
		for (; seen < c->rec.nfuncs; seen++) {
			const struct scan_func *f = &c->rec.funcs[seen];
			for (size_t j = 0; j < f->nrefs; j++)
				if (f->refs[j].is_static &&
				    (f->refs[j].kind == SCAN_REF_CALL ||
				     f->refs[j].kind == SCAN_REF_ADDR))
					strmap_put(&want, f->refs[j].name, 1);
		}
		more = 0;
		for (size_t i = 0; i < c->ndeferred; i++) {
			struct scan_deferred *x = &c->deferred[i];
			if (x->done) continue;
			CXString s = clang_getCursorSpelling(x->cur);
			int used = strmap_get(&want, clang_getCString(s), NULL);
			clang_disposeString(s);
			if (!used) continue;
			x->done = 1;
			more = 1;
			/* want's keys point into the records' references:
			 * walking may move c->rec.funcs, not the names. */
			scan_facts_fn(c, x->cur, x->fi, x->line, x->col, 0);
		}
	}
	strmap_free(&want);
}

/* ---- functions --------------------------------------------------------- */

static enum CXChildVisitResult scan_find_init_attr(CXCursor cur,
						   CXCursor parent,
						   CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(cur) != CXCursor_AnnotateAttr)
		return CXChildVisit_Continue;
	CXString s = clang_getCursorSpelling(cur);
	int hit = !strcmp(clang_getCString(s), SCAN_INIT_ANNOT);
	clang_disposeString(s);
	if (!hit) return CXChildVisit_Continue;
	*(int *)data = 1;
	return CXChildVisit_Break;
}

static void scan_on_function(struct scan_ctx *c, CXCursor cur)
{
	unsigned line, col;
	struct scan_finfo *fi = scan_cursor_file(c, cur, &line, &col);
	if (!fi) return;
	int annotated = 0;
	clang_visitChildren(cur, scan_find_init_attr, &annotated);
	CXString s = clang_getCursorSpelling(cur);
	const char *name = clang_getCString(s);
	/* Every function is kept, annotated or not: it may be the definition
	 * of a function that another declaration marks PKG_INIT. */
	struct scan_fn fn = {
		.name = xstrdup(name),
		.cursor = cur,
		.fi = fi,
		.line = line,
		.col = col,
		.annotated = annotated,
		.seq = c->nfns,
	};
	clang_disposeString(s);
	VEC_PUSH(c->fns, c->nfns, c->capfns, fn);
	if (c->o->facts && fi->name && clang_isCursorDefinition(cur)) {
		/* A header's static (inline) function matters only if this
		 * TU uses it: walked later, when something walked refers to
		 * it (scan_facts_statics). */
		if (fi->file != c->main &&
		    clang_getCursorLinkage(cur) == CXLinkage_Internal) {
			struct scan_deferred dfn = {cur, fi, line, col, 0};
			VEC_PUSH(c->deferred, c->ndeferred, c->capdeferred, dfn);
		} else {
			scan_facts_fn(c, cur, fi, line, col, 0);
		}
	}
}

/* PKG_INIT on a variable of a scanned file fi: clang accepts the
 * annotation on anything, and the variable would silently not run. */
static void scan_on_variable(struct scan_ctx *c, CXCursor cur,
			     struct scan_finfo *fi, unsigned line, unsigned col)
{
	int annotated = 0;
	clang_visitChildren(cur, scan_find_init_attr, &annotated);
	if (!annotated) return;
	CXString s = clang_getCursorSpelling(cur);
	const char *name = clang_getCString(s);
	scan_problem(c, fi, line, col,
		     xasprintf("'%s' is marked PKG_INIT but is a variable; "
			       "PKG_INIT marks an init function", name),
		     xasprintf("write 'PKG_INIT void %s_init(void) { ... }' to "
			       "initialize it", name));
	clang_disposeString(s);
}

static enum CXChildVisitResult scan_visit(CXCursor cur, CXCursor parent,
					  CXClientData data)
{
	(void)parent;
	struct scan_ctx *c = data;
	switch (clang_getCursorKind(cur)) {
	case CXCursor_InclusionDirective: scan_on_include(c, cur); break;
	case CXCursor_StaticAssert: scan_on_static_assert(c, cur); break;
	case CXCursor_FunctionDecl: scan_on_function(c, cur); break;
	case CXCursor_VarDecl: {
		/* Its place once, for both: each scan_cursor_file asks
		 * libclang for the location again. */
		unsigned line, col;
		struct scan_finfo *fi = scan_cursor_file(c, cur, &line, &col);
		if (!fi) break;
		scan_on_variable(c, cur, fi, line, col);
		if (c->o->facts) scan_facts_table(c, cur, fi, line, col);
		break;
	}
	default: break;
	}
	return CXChildVisit_Continue;
}

/* ---- definition or declaration ----------------------------------------- */

static void scan_index_decl(CXClientData data, const CXIdxDeclInfo *info)
{
	struct scan_ctx *c = data;
	if (!info->isDefinition || !info->entityInfo ||
	    info->entityInfo->kind != CXIdxEntity_Function)
		return;
	if (clang_Location_isInSystemHeader(
		    clang_indexLoc_getCXSourceLocation(info->loc)))
		return;
	VEC_PUSH(c->defs, c->ndefs, c->capdefs, info->cursor);
}

/* The slow, exact answer: the indexer marks skipped bodies as
 * definitions. */
static int scan_indexer_says_definition(struct scan_ctx *c, CXCursor cur)
{
	if (!c->indexed) {
		c->indexed = 1;
		CXIndexAction act = clang_IndexAction_create(c->index);
		IndexerCallbacks cb = {.indexDeclaration = scan_index_decl};
		clang_indexTranslationUnit(act, c, &cb, sizeof cb,
					   CXIndexOpt_SuppressRedundantRefs |
						   CXIndexOpt_SuppressWarnings,
					   c->tu);
		clang_IndexAction_dispose(act);
	}
	for (size_t i = 0; i < c->ndefs; i++)
		if (clang_equalCursors(c->defs[i], cur)) return 1;
	return 0;
}

/* The first token at or after loc that is not a comment, or NULL. */
static CXToken *scan_token_after(CXTranslationUnit tu, CXSourceLocation loc)
{
	CXToken *t = clang_getToken(tu, loc);
	for (int i = 0; t && i < 64; i++) {
		if (clang_getTokenKind(*t) != CXToken_Comment) return t;
		CXSourceLocation end =
			clang_getRangeEnd(clang_getTokenExtent(tu, *t));
		clang_disposeTokens(tu, t, 1);
		t = clang_getToken(tu, end);
	}
	if (t) clang_disposeTokens(tu, t, 1);
	return NULL;
}

static int scan_is_definition(struct scan_ctx *c, CXCursor cur)
{
	/* With bodies parsed, libclang knows. */
	if (c->o->facts) return clang_isCursorDefinition(cur) != 0;
	CXSourceRange ext = clang_getCursorExtent(cur);
	CXFile f;
	unsigned off;
	clang_getFileLocation(clang_getRangeEnd(ext), &f, NULL, NULL, &off);
	if (!f || !off) return scan_indexer_says_definition(c, cur);
	CXSourceLocation last = clang_getLocationForOffset(c->tu, f, off - 1);
	if (clang_getCursorKind(clang_getCursor(c->tu, last)) ==
	    CXCursor_MacroExpansion)
		return scan_indexer_says_definition(c, cur);
	CXToken *t = scan_token_after(
		c->tu, clang_getLocationForOffset(c->tu, f, off));
	if (!t) return scan_indexer_says_definition(c, cur);
	CXString s = clang_getTokenSpelling(c->tu, *t);
	const char *sp = clang_getCString(s);
	int answer = !strcmp(sp, "{") ? 1
		     : !strcmp(sp, ";") || !strcmp(sp, ",") ? 0
							     : -1;
	clang_disposeString(s);
	clang_disposeTokens(c->tu, t, 1);
	return answer >= 0 ? answer : scan_indexer_says_definition(c, cur);
}

/* ---- init functions ---------------------------------------------------- */

static int scan_cmp_fn(const void *a, const void *b)
{
	const struct scan_fn *x = a, *y = b;
	int d = strcmp(x->name, y->name);
	if (d) return d;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

#define SCAN_WANT_TYPE "init functions have type void (void) or int (void)"

/* Problems with an init function's type or linkage, at fn.  Returns
 * whether it returns int (an init function that can fail: non-zero is
 * failure), by its canonical type, so a typedef of int counts; any other
 * return type (unsigned, long, an enum, _Bool) is a problem, since the
 * table calls it through a pointer of exactly one of the two types. */
static int scan_check_signature(struct scan_ctx *c, const struct scan_fn *fn)
{
	const char *n = fn->name;
	if (clang_getCursorLinkage(fn->cursor) == CXLinkage_Internal)
		scan_problem(c, fn->fi, fn->line, fn->col,
			     xasprintf("'%s' is marked PKG_INIT but is static; "
				       "init functions need external linkage",
				       n),
			     xstrdup("the generated init table calls it from "
				     "another file: remove 'static'"));
	CXType t = clang_getCursorType(fn->cursor);
	CXType ret = clang_getResultType(t);
	enum CXTypeKind rk = clang_getCanonicalType(ret).kind;
	int is_int = rk == CXType_Int;
	const char *want = is_int ? "int" : "void";
	if (rk != CXType_Void && !is_int) {
		CXString rs = clang_getTypeSpelling(ret);
		scan_problem(c, fn->fi, fn->line, fn->col,
			     xasprintf("'%s' is marked PKG_INIT but returns "
				       "'%s'; " SCAN_WANT_TYPE,
				       n, clang_getCString(rs)),
			     xasprintf("the init table calls it as 'void "
				       "%s(void)', or as 'int %s(void)' whose "
				       "non-zero result stops start-up: declare "
				       "it as one of them",
				       n, n));
		clang_disposeString(rs);
	}
	const char *why = NULL;
	if (t.kind == CXType_FunctionNoProto)
		why = "has no prototype";
	else if (clang_getNumArgTypes(t) > 0)
		why = "takes parameters";
	else if (clang_isFunctionTypeVariadic(t))
		why = "is variadic";
	if (why)
		scan_problem(c, fn->fi, fn->line, fn->col,
			     xasprintf("'%s' is marked PKG_INIT but %s; "
				       SCAN_WANT_TYPE, n, why),
			     t.kind == CXType_FunctionNoProto
				     ? xasprintf("write '%s %s(void)': empty "
						 "parentheses leave the "
						 "parameters unspecified",
						 want, n)
				     : xasprintf("the init table calls it with "
						 "no arguments: declare it as "
						 "'%s %s(void)'", want, n));
	return is_int;
}

static enum CXChildVisitResult scan_find_asm_label(CXCursor cur,
						   CXCursor parent,
						   CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(cur) != CXCursor_AsmLabelAttr)
		return CXChildVisit_Continue;
	*(int *)data = 1;
	return CXChildVisit_Break;
}

/* How clang prints a declaration, attributes included: libclang has no
 * cursor kind for constructor and destructor attributes, but prints
 * them. */
static char *scan_pretty(CXCursor cur)
{
	CXPrintingPolicy pol = clang_getCursorPrintingPolicy(cur);
	CXString s = clang_getCursorPrettyPrinted(cur, pol);
	char *text = xstrdup(clang_getCString(s) ? clang_getCString(s) : "");
	clang_disposeString(s);
	clang_PrintingPolicy_dispose(pol);
	return text;
}

/* Can the table call def by its name, once, before main?  Not when its
 * name is one the table cannot declare (main, the table's own symbols,
 * reserved names: record_name_problem), when an asm label renames its
 * symbol, when it is also a constructor or destructor (it would run
 * twice), or when it is an inline definition with no external one (C11
 * 6.7.4p7: every declaration in the TU says inline and none extern; an
 * extern or plain declaration anywhere makes the definition external).
 * g[0..n) are all its declarations. */
static void scan_check_callable(struct scan_ctx *c, const struct scan_fn *def,
				const struct scan_fn *g, size_t n)
{
	const char *name = def->name;
	const char *why = record_name_problem(name);
	if (why) {
		scan_problem(c, def->fi, def->line, def->col,
			     xasprintf("'%s' is marked PKG_INIT but the init table "
				       "cannot call it: %s", name, why),
			     xstrdup("give the init function another name, like "
				     "'<package>_init'"));
		return;
	}
	int label = 0, ctor = 0, dtor = 0, external = 0;
	for (size_t i = 0; i < n; i++) {
		clang_visitChildren(g[i].cursor, scan_find_asm_label, &label);
		char *pp = scan_pretty(g[i].cursor);
		ctor |= strstr(pp, "__attribute__((constructor") != NULL;
		dtor |= strstr(pp, "__attribute__((destructor") != NULL;
		external |= !clang_Cursor_isFunctionInlined(g[i].cursor) ||
			    !strncmp(pp, "extern ", 7) ||
			    !(strstr(pp, "inline ") == pp ||
			      strstr(pp, " inline ") != NULL);
		free(pp);
	}
	if (label)
		scan_problem(c, def->fi, def->line, def->col,
			     xasprintf("'%s' is marked PKG_INIT but an asm label "
				       "renames its symbol; the init table calls "
				       "it by its C name", name),
			     xstrdup("remove the asm label, or mark a plain "
				     "function that calls this one"));
	if (ctor || dtor)
		scan_problem(c, def->fi, def->line, def->col,
			     xasprintf("'%s' is marked PKG_INIT but is also a %s; "
				       "it would run twice", name,
				       ctor ? "constructor" : "destructor"),
			     xasprintf("remove __attribute__((%s)): the init table "
				       "runs it before main", ctor ? "constructor"
				       : "destructor"));
	if (!external)
		scan_problem(c, def->fi, def->line, def->col,
			     xasprintf("'%s' is marked PKG_INIT but is an inline "
				       "definition, which gives the table no "
				       "function to call", name),
			     xasprintf("remove 'inline', or declare '%s' extern "
				       "in this file (C11 6.7.4)", name));
}

/* One function, all its declarations in g[0..n): an init function, main,
 * or nothing. */
static void scan_check_function(struct scan_ctx *c, struct scan_fn *g,
				size_t n)
{
	int is_main = !strcmp(g[0].name, "main");
	struct scan_fn *marked = NULL, *def = NULL;
	for (size_t i = 0; i < n; i++)
		if (g[i].annotated && !marked) marked = &g[i];
	if (!marked && !is_main) return;
	/* main may be defined in a header of the project that the TU
	 * includes: wherever it is, the TU defines it. */
	for (size_t i = 0; i < n && !def; i++)
		if ((marked || g[i].fi->file == c->main || g[i].fi->name) &&
		    scan_is_definition(c, g[i].cursor))
			def = &g[i];
	if (is_main && def && !c->rec.defines_main) {
		c->rec.defines_main = 1;
		c->main_at = (struct loc){def->fi->path, def->line, def->col};
	}
	if (!marked) return;
	size_t before = c->nproblems;
	if (!def) {
		/* A PKG_INIT prototype in a header is documentation for
		 * the header's readers; the definition is in another TU.
		 * Only a .c file that marks a function it never defines
		 * has made a mistake (a typo for another name). */
		marked = NULL;
		for (size_t i = 0; i < n && !marked; i++)
			if (g[i].annotated && g[i].fi->file == c->main)
				marked = &g[i];
		if (!marked) return;
		scan_problem(c, marked->fi, marked->line, marked->col,
			     xasprintf("'%s' is marked PKG_INIT but is not "
				       "defined in this translation unit",
				       marked->name),
			     xstrdup("PKG_INIT marks a definition: put it on "
				     "the function's definition in its .c "
				     "file, not on a declaration"));
	} else if (def->fi->file != c->main) {
		scan_problem(c, def->fi, def->line, def->col,
			     xasprintf("'%s' is marked PKG_INIT but is defined "
				       "in an included file; init functions "
				       "are defined in the .c file being "
				       "compiled",
				       def->name),
			     xasprintf("every file that includes it would "
				       "define '%s' again: move the definition "
				       "into one .c file",
				       def->name));
	}
	int returns_int = scan_check_signature(c, def ? def : marked);
	if (def) scan_check_callable(c, def, g, n);
	if (c->nproblems != before) return;
	struct scan_init in = {xstrdup(def->name), xstrdup(def->fi->path),
			       def->line, def->col, returns_int};
	VEC_PUSH(c->rec.inits, c->rec.ninits, c->capinits, in);
}

static void scan_check_functions(struct scan_ctx *c)
{
	if (c->nfns) qsort(c->fns, c->nfns, sizeof *c->fns, scan_cmp_fn);
	for (size_t i = 0, j; i < c->nfns; i = j) {
		for (j = i + 1; j < c->nfns; j++)
			if (strcmp(c->fns[i].name, c->fns[j].name)) break;
		scan_check_function(c, &c->fns[i], j - i);
	}
}

/* ---- the record -------------------------------------------------------- */

static void scan_files(struct scan_ctx *c, struct scan_record *r)
{
	size_t cap = 0;
	for (size_t i = 0; i < c->nfinfo; i++) {
		struct scan_finfo *fi = c->finfos[i];
		if (!fi->name) continue;
		struct scan_file f = {xstrdup(fi->path), xstrdup(fi->name),
				      xstrdup(fi->package)};
		VEC_PUSH(r->files, r->nfiles, cap, f);
	}
}

/* Complete the record the walk filled, normalize it (record.c: sorted,
 * without repeats) and hand it over to *r. */
static void scan_fill_record(struct scan_ctx *c, struct scan_record *r)
{
	struct scan_record *x = &c->rec;
	/* Clang's name for the main file, so that tu matches the paths of
	 * files[] and inits byte for byte. */
	struct scan_finfo *mainfi = scan_file_info(c, c->main);
	x->tu = xstrdup(mainfi ? mainfi->path : c->tu_path);
	x->nroots = c->o->nroots;
	x->roots = xcalloc(x->nroots ? x->nroots : 1, sizeof *x->roots);
	for (size_t i = 0; i < x->nroots; i++)
		x->roots[i] = xstrdup(c->o->roots[i]);
	scan_files(c, x);
	x->has_facts = c->o->facts;
	record_normalize(x);
	/* record.c never frees main_at.file: it points into the record, at
	 * its tu or at the header of the project that defines main. */
	if (x->defines_main) {
		const char *own = record_own_path(x, c->main_at.file);
		x->main_at = (struct loc){own ? own : x->tu, c->main_at.line,
					  c->main_at.col};
	}
	*r = *x;
	c->rec = (struct scan_record){0};
}

/* ---- set-up and tear-down ---------------------------------------------- */

static void scan_ctx_init(struct scan_ctx *c, const char *file,
			  const struct scan_opts *o)
{
	char buf[PATH_MAX];
	c->o = o;
	c->cwd = path_normalize(getcwd(buf, sizeof buf) ? buf : "/");
	c->base = path_join(c->cwd, o->directory ? o->directory : ".");
	c->absroots = xcalloc(o->nroots ? o->nroots : 1, sizeof *c->absroots);
	for (size_t i = 0; i < o->nroots; i++)
		c->absroots[i] = path_real(o->roots[i]);
	/* Without a directory the file goes to clang as given, so that clang
	 * names files the way the user wrote them. */
	c->clang_file = o->directory ? path_join(c->base, file)
				     : xstrdup(file);
	char *given = path_join(o->directory, file);
	c->tu_path = path_display(given);
	free(given);
}

static void scan_ctx_free(struct scan_ctx *c)
{
	for (size_t i = 0; i < c->nfinfo; i++) {
		struct scan_finfo *fi = c->finfos[i];
		free(fi->path);
		free(fi->name);
		free(fi->package);
		free(fi);
	}
	free(c->finfos);
	ptrmap_free(&c->fmap);
	for (size_t i = 0; i < c->nfns; i++) free(c->fns[i].name);
	free(c->fns);
	for (size_t i = 0; i < c->nproblems; i++) {
		free(c->problems[i].msg);
		free(c->problems[i].note);
	}
	free(c->problems);
	free(c->defs);
	free(c->deferred);
	record_free(&c->rec);
	if (c->tu) clang_disposeTranslationUnit(c->tu);
	if (c->index) clang_disposeIndex(c->index);
	for (size_t i = 0; i < c->o->nroots; i++) free(c->absroots[i]);
	free(c->absroots);
	free(c->cwd);
	free(c->base);
	free(c->clang_file);
	free(c->tu_path);
	free(c->tu_name);
}

/* clang reports a missing main file as a failure with no diagnostic;
 * say it the way the other commands do. */
static int scan_check_readable(struct scan_ctx *c)
{
	if (access(c->clang_file, R_OK) == 0) return 0;
	char buf[256];
	diag_fail("cannot read '%s': %s", c->tu_path,
		  strerror_r(errno, buf, sizeof buf));
	return EXIT_INPUT;
}

/* A TU outside every root belongs to no package: its init functions
 * would have nowhere to go. */
static int scan_check_in_root(struct scan_ctx *c)
{
	/* Its name under the longest root, kept for scan_excluded: one
	 * realpath of the TU, and one root matching. */
	char *abs = scan_real_path(c, c->clang_file);
	c->tu_name = scan_root_name(c, abs);
	free(abs);
	if (c->tu_name) return 0;
	struct strbuf roots = {0};
	for (size_t i = 0; i < c->o->nroots; i++)
		sb_printf(&roots, "%s'%s'", i ? ", " : "", c->o->roots[i]);
	diag_error((struct loc){c->tu_path, 0, 0},
		   "file is outside every root (%s), so it belongs to no package",
		   roots.buf ? roots.buf : "");
	diag_note((struct loc){0}, "add --root for the directory that holds "
		  "its package, or scan from that directory");
	sb_free(&roots);
	return EXIT_USAGE;
}

/* Is the TU, which scan_check_in_root found under a root, a file that
 * pkginit.yaml excludes?  Then it belongs to no package, and its record
 * says only that it exists: a Make rule that scans every .c file still
 * gets a record (and a depfile) for it, and link finds nothing in it. */
static int scan_excluded(struct scan_ctx *c)
{
	if (!c->o->config) return 0;
	char *pkg = NULL;
	int excluded = c->tu_name &&
		       config_package(c->o->config, c->tu_name, &pkg, NULL) == 0;
	free(pkg);
	return excluded;
}

static void scan_excluded_record(struct scan_ctx *c, struct scan_record *r)
{
	r->tu = xstrdup(c->tu_path);
	r->nroots = c->o->nroots;
	r->roots = xcalloc(r->nroots ? r->nroots : 1, sizeof *r->roots);
	for (size_t i = 0; i < r->nroots; i++)
		r->roots[i] = xstrdup(c->o->roots[i]);
	r->deps = xcalloc(1, sizeof *r->deps);
	r->deps[0] = xstrdup(c->tu_path);
	r->ndeps = 1;
}

int scan_tu(const char *file, const struct scan_opts *o,
	    struct scan_record *r)
{
	*r = (struct scan_record){0};
	struct scan_ctx c = {0};
	scan_ctx_init(&c, file, o);
	int rc = scan_check_readable(&c);
	if (!rc) rc = scan_check_in_root(&c);
	if (!rc && scan_excluded(&c)) {
		scan_excluded_record(&c, r);
		scan_ctx_free(&c);
		return 0;
	}
	if (!rc) {
		c.index = clang_createIndex(0, 0);
		rc = scan_parse(&c);
	}
	if (!rc) {
		clang_getInclusions(c.tu, scan_on_inclusion, &c);
		clang_visitChildren(clang_getTranslationUnitCursor(c.tu),
				    scan_visit, &c);
		scan_facts_statics(&c);
		scan_check_functions(&c);
		if (c.nproblems) {
			scan_print_problems(&c);
			rc = EXIT_ORDER;
		}
	}
	if (!rc) scan_fill_record(&c, r);
	scan_ctx_free(&c);
	return rc;
}
