/*
 * compdb.c - compile_commands.json: every TU of a build, each with its own
 * flags and working directory, as CMake, Meson or Bear write it.
 *
 * libclang reads the database (clang_CompilationDatabase_*): it splits
 * "command" strings the way the compiler's shell would, expands @response
 * files, and is what clang's own tools use, so pkginit reads a database
 * exactly as they do.  But it reports a bad database only as an error
 * code, after printing a "LIBCLANG TOOLING ERROR" line of its own.  So
 * the file is first checked here, by a small JSON reader that knows line
 * and column: syntax, then the shape of each entry ('directory', 'file',
 * and 'command' or 'arguments'), each problem as file:line:col.  Only a
 * file that passes goes to libclang, with stderr silenced around the call
 * (no thread is running yet at that point).  libclang wants a directory
 * holding "compile_commands.json"; for --compdb FILE under another name a
 * temporary directory with a symbolic link of that name stands in.
 *
 * A database entry's arguments are a whole compiler command line; libclang
 * must get only the flags that shape the parse.  The compiler itself, -c,
 * -o OUT, the source file and the dependency-file flags (-MD, -MF DEP,
 * ...) are dropped: -MD would make libclang write a depfile.
 *
 * A database from a gcc build holds flags clang does not know
 * (-fconserve-stack, -fanalyzer, -mindirect-branch=thunk-extern...);
 * libclang would refuse every TU with "unknown argument".  So the
 * commands are tried once on an empty file (compdb_drop_unknown): what
 * the driver calls unknown or unsupported is dropped from every entry,
 * with one warning per flag naming an entry that has it.  An entry is
 * tried only when it has a flag no earlier try has seen, and flags that
 * clang always takes (-D, -U, -I, -W, -std=...) do not count, so a
 * database of thousands of entries costs a handful of tries.
 *
 * The JSON reader recurses over nested values; depth is capped at
 * COMPDB_MAX_DEPTH (a database needs 3), so the input cannot exhaust the
 * stack.
 */
#include "tool.h"

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libclang.h"     /* clang_* calls load libclang on first use */

#define COMPDB_MAX_DEPTH 32

/* ---- checking the JSON ------------------------------------------------- */

struct compdb_json {
	const char *path;
	const char *s, *end;
	const char *line_start;
	unsigned line;
	int failed;
	/* Where each entry starts, for later messages. */
	struct loc *entries;
	size_t nentries, capentries;
};

static struct loc compdb_here(const struct compdb_json *j)
{
	return (struct loc){j->path, j->line,
			    (unsigned)(j->s - j->line_start) + 1};
}

static void compdb_fail(struct compdb_json *j, struct loc at,
			const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void compdb_fail(struct compdb_json *j, struct loc at,
			const char *fmt, ...)
{
	if (j->failed) return;
	j->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	diag_verror(at, fmt, ap);
	va_end(ap);
}

static void compdb_ws(struct compdb_json *j)
{
	for (; j->s < j->end; j->s++) {
		if (*j->s == '\n') {
			j->line++;
			j->line_start = j->s + 1;
		} else if (*j->s != ' ' && *j->s != '\t' && *j->s != '\r') {
			break;
		}
	}
}

static const char *compdb_token_name(const struct compdb_json *j)
{
	if (j->s >= j->end) return "the end of the file";
	switch (*j->s) {
	case '{': return "'{'";
	case '[': return "'['";
	case '"': return "a string";
	default: return NULL;
	}
}

static void compdb_expected(struct compdb_json *j, const char *what)
{
	const char *got = compdb_token_name(j);
	if (got)
		compdb_fail(j, compdb_here(j), "invalid JSON: expected %s, got %s",
			    what, got);
	else
		compdb_fail(j, compdb_here(j), "invalid JSON: expected %s, got '%c'",
			    what, *j->s);
}

/* A string; *out gets its text (escapes decoded, \u as UTF-8) when out
 * is not NULL. */
static void compdb_string(struct compdb_json *j, char **out)
{
	struct strbuf sb = {0};
	struct loc start = compdb_here(j);
	j->s++;
	for (;;) {
		if (j->s >= j->end || *j->s == '\n') {
			compdb_fail(j, start, "invalid JSON: string not closed");
			break;
		}
		unsigned char ch = (unsigned char)*j->s;
		if (ch == '"') {
			j->s++;
			break;
		}
		if (ch < 0x20) {
			compdb_fail(j, compdb_here(j), "invalid JSON: control "
				    "character in a string (write it as \\u%04X)", ch);
			break;
		}
		if (ch != '\\') {
			sb_putc(&sb, (char)ch);
			j->s++;
			continue;
		}
		const char *esc = j->s++;
		char c = j->s < j->end ? *j->s++ : 0;
		const char *simple = strchr("\"\\/bfnrt", c ? c : '?');
		if (simple) {
			static const char map[] = "\"\\/\b\f\n\r\t";
			sb_putc(&sb, map[simple - "\"\\/bfnrt"]);
			continue;
		}
		unsigned cp = 0;
		int ok = c == 'u' && j->end - j->s >= 4;
		for (int i = 0; ok && i < 4; i++) {
			char h = *j->s++;
			cp = cp * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
				       : h >= 'a' && h <= 'f' ? h - 'a' + 10
				       : h >= 'A' && h <= 'F' ? h - 'A' + 10 : (ok = 0));
		}
		if (!ok) {
			j->s = esc;
			compdb_fail(j, compdb_here(j), "invalid JSON: bad escape "
				    "sequence in a string");
			break;
		}
		/* Surrogates stay as they are: paths with them are not
		 * valid UTF-8 anyway, and this text is only for messages. */
		if (cp < 0x80) {
			sb_putc(&sb, (char)cp);
		} else if (cp < 0x800) {
			sb_putc(&sb, (char)(0xc0 | cp >> 6));
			sb_putc(&sb, (char)(0x80 | (cp & 0x3f)));
		} else {
			sb_putc(&sb, (char)(0xe0 | cp >> 12));
			sb_putc(&sb, (char)(0x80 | (cp >> 6 & 0x3f)));
			sb_putc(&sb, (char)(0x80 | (cp & 0x3f)));
		}
	}
	if (out && !j->failed) *out = sb_detach(&sb);
	else sb_free(&sb);
}

static void compdb_value(struct compdb_json *j, unsigned depth);

static void compdb_literal(struct compdb_json *j)
{
	static const char *const words[] = {"true", "false", "null"};
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(j->end - j->s) >= n && !strncmp(j->s, words[i], n)) {
			j->s += n;
			return;
		}
	}
	/* A number, as JSON spells it. */
	const char *p = j->s;
	if (p < j->end && *p == '-') p++;
	const char *digits = p;
	while (p < j->end && *p >= '0' && *p <= '9') p++;
	if (p == digits) {
		compdb_expected(j, "a value");
		return;
	}
	if (p < j->end && *p == '.') {
		const char *f = ++p;
		while (p < j->end && *p >= '0' && *p <= '9') p++;
		if (p == f) p = NULL;
	}
	if (p && p < j->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < j->end && (*p == '+' || *p == '-')) p++;
		const char *e = p;
		while (p < j->end && *p >= '0' && *p <= '9') p++;
		if (p == e) p = NULL;
	}
	if (!p) {
		compdb_fail(j, compdb_here(j), "invalid JSON: malformed number");
		return;
	}
	j->s = p;
}

/* A sequence of items between open and close, separated by commas; each
 * item is read by fn. */
static void compdb_list(struct compdb_json *j, char close, unsigned depth,
			void (*item)(struct compdb_json *, unsigned, void *),
			void *data)
{
	struct loc start = compdb_here(j);
	j->s++;
	compdb_ws(j);
	if (j->s < j->end && *j->s == close) {
		j->s++;
		return;
	}
	for (;;) {
		item(j, depth, data);
		if (j->failed) return;
		compdb_ws(j);
		if (j->s < j->end && *j->s == ',') {
			j->s++;
			compdb_ws(j);
			continue;
		}
		if (j->s < j->end && *j->s == close) {
			j->s++;
			return;
		}
		if (j->s >= j->end) {
			compdb_fail(j, start, "invalid JSON: '%c' not closed",
				    close == ']' ? '[' : '{');
			return;
		}
		compdb_expected(j, close == ']' ? "',' or ']'" : "',' or '}'");
		return;
	}
}

/* One member "key": value of an object; the key goes to *(char **)data
 * when data is not NULL. */
static void compdb_member(struct compdb_json *j, unsigned depth, void *data)
{
	if (j->s >= j->end || *j->s != '"') {
		compdb_expected(j, "a string (an object's key)");
		return;
	}
	compdb_string(j, data);
	compdb_ws(j);
	if (j->s >= j->end || *j->s != ':') {
		compdb_expected(j, "':'");
		return;
	}
	j->s++;
	compdb_ws(j);
	compdb_value(j, depth);
}

static void compdb_item(struct compdb_json *j, unsigned depth, void *data)
{
	(void)data;
	compdb_value(j, depth);
}

static void compdb_value(struct compdb_json *j, unsigned depth)
{
	compdb_ws(j);
	if (j->s >= j->end) {
		compdb_expected(j, "a value");
		return;
	}
	if (depth >= COMPDB_MAX_DEPTH && (*j->s == '[' || *j->s == '{')) {
		compdb_fail(j, compdb_here(j), "JSON nested deeper than %d levels",
			    COMPDB_MAX_DEPTH);
		return;
	}
	switch (*j->s) {
	case '"': compdb_string(j, NULL); break;
	case '[': compdb_list(j, ']', depth + 1, compdb_item, NULL); break;
	case '{': compdb_list(j, '}', depth + 1, compdb_member, NULL); break;
	default: compdb_literal(j); break;
	}
}

/* ---- the shape of an entry --------------------------------------------- */

struct compdb_entry_check {
	int has_dir, has_file, has_cmd;
	size_t index;
	size_t nargs;           /* items of "arguments" */
};

/* An item of "arguments": a string. */
static void compdb_arg(struct compdb_json *j, unsigned depth, void *data)
{
	struct compdb_entry_check *e = data;
	(void)depth;
	if (j->s < j->end && *j->s == '"') {
		compdb_string(j, NULL);
		e->nargs++;
	} else if (j->s < j->end && strchr("[{-0123456789tfn", *j->s)) {
		compdb_fail(j, compdb_here(j), "compile command %zu: each item "
			    "of 'arguments' must be a string", e->index + 1);
	} else {
		compdb_expected(j, "a string");
	}
}

/* A value that must be a non-empty string, or (for "arguments") a
 * non-empty array of strings. */
static void compdb_entry_field(struct compdb_json *j, const char *key,
			       struct compdb_entry_check *e)
{
	struct loc at = compdb_here(j);
	int args = !strcmp(key, "arguments");
	int is_str = j->s < j->end && *j->s == '"';
	int is_arr = j->s < j->end && *j->s == '[';
	if (!(args ? is_arr : is_str)) {
		compdb_fail(j, at, "compile command %zu: '%s' must be %s",
			    e->index + 1, key,
			    args ? "an array of strings" : "a string");
		return;
	}
	if (args) {
		e->nargs = 0;
		compdb_list(j, ']', 3, compdb_arg, e);
		if (!j->failed && !e->nargs)
			compdb_fail(j, at, "compile command %zu: 'arguments' is "
				    "empty", e->index + 1);
		e->has_cmd = 1;
		return;
	}
	char *text = NULL;
	compdb_string(j, &text);
	if (!j->failed && !*text && strcmp(key, "output"))
		compdb_fail(j, at, "compile command %zu: '%s' is empty",
			    e->index + 1, key);
	if (!strcmp(key, "directory")) e->has_dir = 1;
	if (!strcmp(key, "file")) e->has_file = 1;
	if (!strcmp(key, "command")) {
		size_t n = strspn(text ? text : "", " \t");
		if (!j->failed && text && !text[n])
			compdb_fail(j, at, "compile command %zu: 'command' is "
				    "empty", e->index + 1);
		e->has_cmd = 1;
	}
	free(text);
}

static void compdb_entry_member(struct compdb_json *j, unsigned depth,
				void *data)
{
	struct compdb_entry_check *e = data;
	char *key = NULL;
	if (j->s >= j->end || *j->s != '"') {
		compdb_expected(j, "a string (an object's key)");
		return;
	}
	compdb_string(j, &key);
	compdb_ws(j);
	if (!j->failed && (j->s >= j->end || *j->s != ':'))
		compdb_expected(j, "':'");
	if (j->failed) {
		free(key);
		return;
	}
	j->s++;
	compdb_ws(j);
	static const char *const known[] = {"directory", "file", "command",
					    "arguments", "output", NULL};
	const char *const *k = known;
	while (*k && strcmp(*k, key)) k++;
	/* Other keys are other tools' business. */
	if (*k) compdb_entry_field(j, key, e);
	else compdb_value(j, depth);
	free(key);
}

static void compdb_entry(struct compdb_json *j, unsigned depth, void *data)
{
	(void)data;
	struct loc at = compdb_here(j);
	struct compdb_entry_check e = {.index = j->nentries};
	VEC_PUSH(j->entries, j->nentries, j->capentries, at);
	if (j->s >= j->end || *j->s != '{') {
		if (j->s < j->end && strchr("[\"-0123456789tfn", *j->s)) {
			compdb_fail(j, at, "compile command %zu must be an object "
				    "with 'directory', 'file' and 'command' or "
				    "'arguments'", e.index + 1);
			return;
		}
		compdb_expected(j, "an object");
		return;
	}
	compdb_list(j, '}', depth + 1, compdb_entry_member, &e);
	if (j->failed) return;
	const char *missing = !e.has_dir ? "'directory'" : !e.has_file ? "'file'"
			      : !e.has_cmd ? "'command' or 'arguments'" : NULL;
	if (missing)
		compdb_fail(j, at, "compile command %zu has no %s", e.index + 1,
			    missing);
}

int compdb_check_json(const char *path, const char *buf, size_t len,
		      struct loc **entries, size_t *nentries)
{
	struct compdb_json j = {.path = path, .s = buf, .end = buf + len,
				.line_start = buf, .line = 1};
	/* A UTF-8 byte order mark is allowed, as JSON readers allow it. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) j.s += 3, j.line_start += 3;
	compdb_ws(&j);
	if (j.s < j.end && *j.s == '[') {
		compdb_list(&j, ']', 1, compdb_entry, NULL);
	} else if (j.s >= j.end) {
		compdb_fail(&j, compdb_here(&j), "the file is empty: a compilation "
			    "database is a JSON array of compile commands");
	} else {
		compdb_fail(&j, compdb_here(&j), "a compilation database is a "
			    "JSON array of compile commands; this file does not "
			    "start with '['");
	}
	if (!j.failed) {
		compdb_ws(&j);
		if (j.s < j.end)
			compdb_fail(&j, compdb_here(&j), "invalid JSON: text after "
				    "the end of the array");
	}
	if (j.failed || !entries) {
		free(j.entries);
		if (entries) *entries = NULL;
		return j.failed ? EXIT_INPUT : 0;
	}
	*entries = j.entries;
	*nentries = j.nentries;
	return 0;
}

/* ---- arguments --------------------------------------------------------- */

/* Flags that take the next argument as their value and are dropped with
 * it: the output, and what writes a depfile. */
static int compdb_drop_with_value(const char *a)
{
	static const char *const flags[] = {"-o", "-MF", "-MT", "-MQ", "-MJ",
					    "--output", NULL};
	for (const char *const *f = flags; *f; f++)
		if (!strcmp(a, *f)) return 1;
	return 0;
}

static int compdb_drop(const char *a)
{
	static const char *const exact[] = {
		"-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MG", "-MP",
		"-fsyntax-only", "--write-dependencies",
		"--write-user-dependencies", "-pipe", NULL,
	};
	for (const char *const *f = exact; *f; f++)
		if (!strcmp(a, *f)) return 1;
	/* Glued forms: -oOUT, -MFdep.d, -Wp,-MD,dep.d (the kernel's). */
	static const char *const prefix[] = {"-o", "-MF", "-MT", "-MQ", "-MJ",
					     "-Wp,-MD,", "-Wp,-MMD,",
					     "--output=", NULL};
	for (const char *const *f = prefix; *f; f++)
		if (!strncmp(a, *f, strlen(*f))) return 1;
	return 0;
}

char **compdb_strip_args(const char *const *argv, size_t argc,
			 const char *file, const char *directory, size_t *nout)
{
	char **out = xcalloc(argc ? argc : 1, sizeof *out);
	size_t n = 0;
	char *want = path_join(directory, file);
	for (size_t i = 1; i < argc; i++) {      /* argv[0] is the compiler */
		const char *a = argv[i];
		if (compdb_drop_with_value(a)) {
			i++;
			continue;
		}
		/* -Wp,-MD,x and friends, but not -o's lookalikes that are
		 * real flags (-openmp is not -o penmp). */
		if (a[0] == '-' && compdb_drop(a) &&
		    strncmp(a, "-objc", 5) && strncmp(a, "-ob", 3))
			continue;
		if (a[0] != '-') {
			char *p = path_join(directory, a);
			int same = !strcmp(p, want) || !strcmp(a, file);
			free(p);
			if (same) continue;
		}
		out[n++] = xstrdup(a);
	}
	free(want);
	*nout = n;
	return out;
}

char *compdb_cmd_key(const struct compdb_cmd *c, const char *abs)
{
	struct strbuf key = {0};
	sb_puts(&key, abs);
	sb_putc(&key, '\n');
	sb_puts(&key, c->directory);
	for (size_t k = 0; k < c->nargs; k++) {
		sb_putc(&key, '\n');
		sb_puts(&key, c->args[k]);
	}
	return sb_detach(&key);
}

/* ---- loading ----------------------------------------------------------- */

/* libclang prints its own error to stderr before returning one; the
 * file was checked already, so whatever it says would only repeat that
 * less precisely. */
static CXCompilationDatabase compdb_libclang(const char *dir,
					     CXCompilationDatabase_Error *err)
{
	fflush(stderr);
	int saved = dup(2);
	int null = open("/dev/null", O_WRONLY);
	if (saved >= 0 && null >= 0) dup2(null, 2);
	CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(dir, err);
	fflush(stderr);
	if (saved >= 0 && null >= 0) dup2(saved, 2);
	if (saved >= 0) close(saved);
	if (null >= 0) close(null);
	return db;
}

static char *compdb_str(CXString s)
{
	const char *c = clang_getCString(s);
	char *r = xstrdup(c ? c : "");
	clang_disposeString(s);
	return r;
}

static void compdb_read_commands(struct compdb *db, CXCompilationDatabase cdb,
				 const char *jsondir, const struct loc *at,
				 size_t nat)
{
	char buf[PATH_MAX];
	const char *cwd = getcwd(buf, sizeof buf) ? buf : "/";
	CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(cdb);
	unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
	db->cmds = xcalloc(n ? n : 1, sizeof *db->cmds);
	for (unsigned i = 0; i < n; i++) {
		CXCompileCommand c = clang_CompileCommands_getCommand(cmds, i);
		struct compdb_cmd *out = &db->cmds[db->ncmds++];
		char *dir = compdb_str(clang_CompileCommand_getDirectory(c));
		/* The format wants an absolute directory; a relative one is
		 * taken as relative to the database, as clangd does. */
		char *joined = path_join(jsondir, dir);
		char *absdir = path_join(cwd, joined);
		out->directory = path_display(absdir);
		free(joined);
		free(dir);
		out->file = compdb_str(clang_CompileCommand_getFilename(c));
		unsigned na = clang_CompileCommand_getNumArgs(c);
		char **argv = xcalloc(na ? na : 1, sizeof *argv);
		for (unsigned k = 0; k < na; k++)
			argv[k] = compdb_str(clang_CompileCommand_getArg(c, k));
		/* Absolute, so that a file named relatively in the command
		 * and absolutely in the entry is still recognized. */
		out->args = compdb_strip_args((const char *const *)argv, na,
					      out->file, absdir, &out->nargs);
		free(absdir);
		for (unsigned k = 0; k < na; k++) free(argv[k]);
		free(argv);
		/* libclang keeps the file's order; when it added or merged
		 * entries, locations would be wrong, so there are none. */
		out->at = n == nat ? at[i] : (struct loc){db->path, 0, 0};
	}
	if (cmds) clang_CompileCommands_dispose(cmds);
}

/* ---- flags clang does not know ----------------------------------------- */

/* Flags that clang always understands, or that cannot fail the driver
 * (an unknown -W is a warning): no reason to try an entry for them. */
static int compdb_flag_known(const char *a)
{
	static const char *const prefixes[] = {
		"-D", "-U", "-I", "-W", "-std=", "-iquote", "-isystem",
		"-idirafter", "-include", "-imacros", "-O", "-g",
	};
	if (a[0] != '-') return 1;      /* a value, or an input */
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (!strncmp(a, prefixes[i], strlen(prefixes[i]))) return 1;
	return 0;
}

/* The flag a driver error names, or NULL (allocated): "unknown argument:
 * 'X'", "unknown argument 'X'; did you mean ...", "unsupported option
 * 'X' for target ...", "unsupported argument 'V' to option 'O'" (OV). */
static char *compdb_refused_flag(const char *msg)
{
	int arg_to = !strncmp(msg, "unsupported argument '", 22);
	if (strncmp(msg, "unknown argument", 16) && strncmp(msg, "unsupported option '", 20)
	    && !arg_to)
		return NULL;
	const char *q = strchr(msg, '\''), *e = q ? strchr(q + 1, '\'') : NULL;
	if (!e) return NULL;
	if (!arg_to) return xstrndup(q + 1, (size_t)(e - q - 1));
	const char *q2 = strchr(e + 1, '\''), *e2 = q2 ? strchr(q2 + 1, '\'') : NULL;
	if (!e2) return NULL;
	return xasprintf("%.*s%.*s", (int)(e2 - q2 - 1), q2 + 1, (int)(e - q - 1), q + 1);
}

/* Parse an empty file with c's flags; add what the driver refuses to
 * bad (value: the entry that first had it). */
static void compdb_try(CXIndex idx, const struct compdb_cmd *c, size_t entry,
		       char ***bad, size_t **badat, size_t *nbad, size_t *cap,
		       size_t *capat)
{
	static const char name[] = "pkginit-probe.c";
	struct CXUnsavedFile un = {name, "", 0};
	CXTranslationUnit tu = NULL;
	clang_parseTranslationUnit2(idx, name, (const char *const *)c->args,
				    (int)c->nargs, &un, 1,
				    CXTranslationUnit_SkipFunctionBodies, &tu);
	unsigned n = tu ? clang_getNumDiagnostics(tu) : 0;
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		CXString s = clang_getDiagnosticSpelling(d);
		char *flag = clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error
				     ? compdb_refused_flag(clang_getCString(s)) : NULL;
		clang_disposeString(s);
		clang_disposeDiagnostic(d);
		int known = !flag;
		for (size_t k = 0; !known && k < *nbad; k++) known = !strcmp((*bad)[k], flag);
		if (known) {
			free(flag);
			continue;
		}
		size_t nat = *nbad;
		VEC_PUSH(*bad, *nbad, *cap, flag);
		VEC_PUSH(*badat, nat, *capat, entry);
	}
	if (tu) clang_disposeTranslationUnit(tu);
}

static void compdb_drop_unknown(struct compdb *db)
{
	CXIndex idx = clang_createIndex(0, 0);
	struct strmap seen = {0};       /* every flag some try has seen */
	char **bad = NULL;
	size_t *badat = NULL, nbad = 0, cap = 0, capat = 0;
	for (size_t i = 0; i < db->ncmds; i++) {
		const struct compdb_cmd *c = &db->cmds[i];
		int novel = 0;
		for (size_t k = 0; k < c->nargs && !novel; k++)
			novel = !compdb_flag_known(c->args[k]) &&
				!strmap_get(&seen, c->args[k], NULL);
		if (!novel) continue;
		compdb_try(idx, c, i, &bad, &badat, &nbad, &cap, &capat);
		for (size_t k = 0; k < c->nargs; k++) strmap_put(&seen, c->args[k], i);
	}
	size_t *count = xcalloc(nbad ? nbad : 1, sizeof *count);
	for (size_t i = 0; i < db->ncmds && nbad; i++) {
		struct compdb_cmd *c = &db->cmds[i];
		size_t keep = 0;
		for (size_t k = 0; k < c->nargs; k++) {
			size_t b = 0;
			while (b < nbad && strcmp(bad[b], c->args[k])) b++;
			if (b < nbad) {
				count[b]++;
				free(c->args[k]);
			} else {
				c->args[keep++] = c->args[k];
			}
		}
		c->nargs = keep;
	}
	for (size_t b = 0; b < nbad; b++) {
		diag_warning(db->cmds[badat[b]].at, "compile command %zu: clang does "
			     "not know '%s' (%zu command%s %s it); scanning "
			     "without it", badat[b] + 1, bad[b], count[b],
			     count[b] == 1 ? "" : "s", count[b] == 1 ? "has" : "have");
		free(bad[b]);
	}
	free(count);
	free(bad);
	free(badat);
	strmap_free(&seen);
	clang_disposeIndex(idx);
}

int compdb_load(struct compdb *db, const char *path, int is_dir)
{
	*db = (struct compdb){0};
	char *file = is_dir ? path_join(path, "compile_commands.json")
			    : path_normalize(path);
	size_t len;
	char *buf = file_read_max(file, FILE_MAX_COMPDB, &len);
	if (!buf) {
		int e = errno;
		if (is_dir && e == ENOENT)
			diag_fail("no compilation database in '%s': '%s' does not "
				  "exist (CMake writes it with "
				  "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON, Bear with "
				  "'bear -- make')", path, file);
		else
			file_read_failed(file, e, FILE_MAX_COMPDB,
					 "a compilation database");
		free(file);
		return EXIT_INPUT;
	}
	struct loc *at = NULL;
	size_t nat = 0;
	db->path = file;
	int rc = compdb_check_json(file, buf, len, &at, &nat);
	free(buf);
	if (rc) {
		compdb_free(db);
		return rc;
	}

	/* libclang reads <dir>/compile_commands.json: give it a directory
	 * with that name in it when the file has another name. */
	char *jsondir = path_dir(file), *tmpdir = NULL, *link = NULL;
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	const char *dir = jsondir;
	if (strcmp(base, "compile_commands.json")) {
		const char *t = getenv("TMPDIR");
		tmpdir = xasprintf("%s/pkginit-compdb.XXXXXX", t && *t ? t : "/tmp");
		char cwd[PATH_MAX];
		char *abs = file[0] == '/' || !getcwd(cwd, sizeof cwd)
				    ? xstrdup(file) : path_join(cwd, file);
		if (!mkdtemp(tmpdir)) {
			diag_fail("cannot create a temporary directory for '%s': %s",
				  file, strerror(errno));
			rc = EXIT_INPUT;
		} else {
			link = xasprintf("%s/compile_commands.json", tmpdir);
			if (symlink(abs, link) != 0) {
				diag_fail("cannot link '%s' into '%s': %s", file,
					  tmpdir, strerror(errno));
				rc = EXIT_INPUT;
			}
		}
		free(abs);
		dir = tmpdir;
	}
	if (!rc) {
		CXCompilationDatabase_Error err;
		CXCompilationDatabase cdb = compdb_libclang(dir, &err);
		if (!cdb) {
			diag_error((struct loc){file, 0, 0}, "libclang cannot read "
				   "this compilation database (error %d)", (int)err);
			rc = EXIT_INPUT;
		} else {
			compdb_read_commands(db, cdb, jsondir, at, nat);
			clang_CompilationDatabase_dispose(cdb);
			compdb_drop_unknown(db);
		}
	}
	if (link) unlink(link);
	if (tmpdir) rmdir(tmpdir);
	free(link);
	free(tmpdir);
	free(jsondir);
	free(at);
	if (rc) compdb_free(db);
	return rc;
}

void compdb_free(struct compdb *db)
{
	for (size_t i = 0; i < db->ncmds; i++) {
		struct compdb_cmd *c = &db->cmds[i];
		free(c->file);
		free(c->directory);
		for (size_t k = 0; k < c->nargs; k++) free(c->args[k]);
		free(c->args);
	}
	free(db->cmds);
	free(db->path);
	*db = (struct compdb){0};
}
