/*
 * sarif.c - --diagnostics-format sarif: a command's diagnostics as one
 * SARIF 2.1.0 log, for code-scanning tools (GitHub code scanning and
 * others), so a cycle or a lock mismatch shows on the lines that cause it.
 *
 * Collecting.  While a command collects (sarif_begin), diag.c hands every
 * diagnostic to sarif_collect as it prints it (a scanning thread's when
 * the pool lets them out, in job order: diag_capture_flush), so the log
 * has them in the order they were printed; they are still printed on
 * stderr as text, for the CI log.  The log is written once, by sarif_end, whole: to a
 * file through file.c (a temporary renamed over the target, so a reader
 * never sees half a log, and a failed run that exits early leaves none),
 * or to standard output in one write.
 *
 * Mapping.  An error or a warning is a result: its level, its message,
 * its location, and a ruleId found by its message in sarif_rules below.
 * The notes that follow it from the same thread belong to it: a note
 * with a location is one of its relatedLocations (the note is that
 * location's message: the other edges of a cycle, the other definition
 * of a duplicate); a note without one is appended to its message, on a
 * line of its own.  A location is the file as diagnostics print it
 * (relative to the current directory when under it) as a URI relative to
 * the base id SRCROOT, which originalUriBaseIds binds to the current
 * directory; an absolute path is a file: URI.  Lines and columns are
 * 1-based as in the text; a diagnostic about a whole file has no region.
 * An error with no location at all (an input that cannot be read, an
 * option's value) is not about a line of code: it is one of the
 * invocation's toolExecutionNotifications.  A note with a location and no
 * result before it is a result of level "note"; one with neither (-v's
 * progress) is left out.  The invocation also has the exit status, and
 * executionSuccessful is false when the command failed for a reason other
 * than its findings (status 2 or 3).
 */
#include "cmd.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const diag_format_names[] = {"text", "sarif", NULL};

/* The rules, each with the messages it covers: shell-style patterns
 * ('*' is any text) over a diagnostic's whole message.  The first rule
 * whose pattern matches wins; a message that none matches gets the
 * catch-all of its level.  A new diagnostic of pkginit's own gets its
 * pattern here (tests/unit/test_sarif.c checks the ones below). */
struct sarif_rule {
	const char *id;
	const char *text;               /* shortDescription */
	const char *level;              /* defaultConfiguration */
	const char *const *patterns;    /* NULL-terminated */
};

#define SARIF_PATTERNS(...) ((const char *const[]){__VA_ARGS__, NULL})
static const struct sarif_rule sarif_rules[] = {
	{"import-cycle", "Packages import each other: no init order exists",
	 "error", SARIF_PATTERNS("import cycle not allowed")},
	{"unsafe-order", "An init function runs before one whose writes it "
	 "reads", "error",
	 SARIF_PATTERNS("unsafe init order: '*' runs before '*' but must run after it")},
	{"init-cycle", "Init functions must each run after the other", "error",
	 SARIF_PATTERNS("init order cycle: '*' must run before itself")},
	{"invalid-after", "A PKG_AFTER does not name two init functions",
	 "error", SARIF_PATTERNS("PKG_AFTER(*, *): *")},
	{"lock-mismatch", "The init order differs from the lock file", "error",
	 SARIF_PATTERNS("the init order differs from the lock file")},
	{"no-main", "No package defines main, or not the one given with --main",
	 "error", SARIF_PATTERNS("no package defines main",
				 "--main *: package '*' does not define main",
				 "--main *: no scanned file is in package '*'")},
	{"several-mains", "More than one package defines main", "error",
	 SARIF_PATTERNS("main defined in package '*' and in package '*'",
			"package 'main' has the name of the main package*")},
	{"duplicate-init", "An init function is defined twice", "error",
	 SARIF_PATTERNS("init function '*' defined twice")},
	{"invalid-init", "A PKG_INIT function is not an external void (void) "
	 "definition in the file being compiled", "error",
	 SARIF_PATTERNS("'*' is marked PKG_INIT but *")},
	{"unknown-import", "A PKG_IMPORT names no scanned package, or main",
	 "error", SARIF_PATTERNS("PKG_IMPORT of unknown package '*'",
				 "PKG_IMPORT(\"*\") names the main package*")},
	{"package-conflict", "Two PKG_PACKAGE annotations of a file disagree",
	 "error", SARIF_PATTERNS("PKG_PACKAGE(\"*\") conflicts with *")},
	{"invalid-package-path", "An annotation or mapping names an invalid "
	 "package path", "error", SARIF_PATTERNS("invalid package path *")},
	{"unknown-annotation", "A pkginit: static assertion is not an annotation",
	 "error", SARIF_PATTERNS("unknown pkginit annotation *")},
	{"outside-root", "A file or init function lies outside every --root",
	 "error", SARIF_PATTERNS("file is outside every root*",
				 "init function '*' is outside every root")},
	{"records-disagree", "Scan records put one file in different packages",
	 "warning", SARIF_PATTERNS("records disagree about this file*")},
	/* The catch-alls, one per level: last. */
	{"error", "An error (a file that does not parse, an input that cannot "
	 "be read)", "error", SARIF_PATTERNS("*")},
	{"warning", "A warning", "warning", SARIF_PATTERNS("*")},
	{"note", "A note with a location", "note", SARIF_PATTERNS("*")},
};
#define SARIF_NRULES (sizeof sarif_rules / sizeof sarif_rules[0])

/* '*' matches any text, every other byte itself. */
static int sarif_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*') pat++;
	return !*pat;
}

size_t sarif_rule_of(const char *level, const char *msg)
{
	size_t i;
	for (i = 0; i < SARIF_NRULES; i++) {
		const struct sarif_rule *r = &sarif_rules[i];
		int fallback = !strcmp(r->patterns[0], "*");
		if (fallback && strcmp(r->level, level)) continue;
		int hit = 0;
		for (const char *const *p = r->patterns; *p && !hit; p++)
			hit = sarif_match(*p, msg);
		if (hit) break;
	}
	return i < SARIF_NRULES ? i : SARIF_NRULES - 1;
}

const char *sarif_rule_id(size_t rule)
{
	return rule < SARIF_NRULES ? sarif_rules[rule].id : NULL;
}

/* ---- what is collected -------------------------------------------------- */

struct sarif_loc {
	char *file;             /* NULL: none */
	unsigned line, col;
};

struct sarif_related {
	struct sarif_loc at;
	char *msg;
};

struct sarif_item {
	const char *level;      /* "error", "warning", "note" */
	size_t rule;
	struct sarif_loc at;
	struct strbuf msg;
	struct sarif_related *rel;
	size_t nrel, caprel;
};

static struct {
	int on;
	const char *cmd;
	struct out out;         /* the log, opened by sarif_begin */
	int to_stdout;
	char *cwd;
	struct sarif_item *items;
	size_t n, cap;
} sarif;

/* Per thread: 1 + the index of the last error or warning it reported,
 * which its notes belong to (0: none). */
static _Thread_local size_t sarif_last;

static struct sarif_loc sarif_loc_copy(struct loc at)
{
	return (struct sarif_loc){at.file ? xstrdup(at.file) : NULL,
				  at.line, at.col};
}

static pthread_mutex_t sarif_lock = PTHREAD_MUTEX_INITIALIZER;

static void sarif_collect1(struct loc at, const char *kind, const char *msg)
{
	int note = !strcmp(kind, "note");
	if (note && sarif_last) {
		struct sarif_item *it = &sarif.items[sarif_last - 1];
		if (at.file) {
			VEC_PUSH(it->rel, it->nrel, it->caprel,
				 ((struct sarif_related){sarif_loc_copy(at),
							 xstrdup(msg)}));
		} else {
			sb_putc(&it->msg, '\n');
			sb_puts(&it->msg, msg);
		}
		return;
	}
	if (note && !at.file) return;
	struct sarif_item it = {
		.level = note ? "note" : !strcmp(kind, "warning") ? "warning"
							      : "error",
		.at = sarif_loc_copy(at),
	};
	it.rule = sarif_rule_of(it.level, msg);
	sb_puts(&it.msg, msg);
	VEC_PUSH(sarif.items, sarif.n, sarif.cap, it);
	sarif_last = note ? 0 : sarif.n;
}

/* diag.c calls this for every diagnostic, from whichever thread prints
 * it, at the moment it is printed. */
static void sarif_collect(struct loc at, const char *kind, const char *fmt,
			  va_list ap)
{
	struct strbuf msg = {0};
	sb_vprintf(&msg, fmt, ap);
	pthread_mutex_lock(&sarif_lock);
	sarif_collect1(at, kind, msg.buf ? msg.buf : "");
	pthread_mutex_unlock(&sarif_lock);
	sb_free(&msg);
}

int sarif_begin(const char *cmd, const struct diag_output *d, int stdout_busy)
{
	int sarif_fmt = d->format && !strcmp(d->format, "sarif");
	if (!sarif_fmt && d->file)
		return diag_usage(cmd, "--diagnostics-output needs "
				  "--diagnostics-format sarif");
	if (!sarif_fmt) return 0;
	int to_stdout = !d->file || !strcmp(d->file, "-");
	if (to_stdout && stdout_busy)
		return diag_usage(cmd, "the SARIF log and another output both go "
				  "to standard output; give --diagnostics-output FILE");
	/* Opened now, so a log that cannot be written fails the command
	 * before it writes anything else. */
	if (!to_stdout && out_open(&sarif.out, d->file)) return EXIT_INPUT;
	char cwd[PATH_MAX];
	sarif.cwd = xstrdup(getcwd(cwd, sizeof cwd) ? cwd : "/");
	sarif.on = 1;
	sarif.cmd = cmd;
	sarif.to_stdout = to_stdout;
	sarif_last = 0;
	diag_sink = sarif_collect;
	return 0;
}

int sarif_stdout_taken(void)
{
	return sarif.on && sarif.to_stdout;
}

/* ---- writing ------------------------------------------------------------ */

/* A JSON string.  JSON text is UTF-8: a byte that does not start a valid
 * UTF-8 sequence (a path in another encoding) is written as U+FFFD. */
static void sarif_json_str(struct strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	sb_putc(b, '"');
	while (*p) {
		unsigned char c = *p;
		unsigned long cp;
		size_t n = utf8_decode(p, &cp);
		if (!n) {
			sb_puts(b, "\\ufffd");
			p++;
		} else if (n > 1) {
			sb_putn(b, (const char *)p, n);
			p += n;
		} else {
			if (c == '"' || c == '\\') {
				sb_putc(b, '\\');
				sb_putc(b, (char)c);
			} else if (c == '\n') {
				sb_puts(b, "\\n");
			} else if (c == '\t') {
				sb_puts(b, "\\t");
			} else if (c < 0x20 || c == 0x7f) {
				sb_printf(b, "\\u%04x", c);
			} else {
				sb_putc(b, (char)c);
			}
			p++;
		}
	}
	sb_putc(b, '"');
}

/* A path as a URI: bytes other than unreserved ones and '/' are
 * percent-encoded (RFC 3986). */
static void sarif_uri_path(struct strbuf *u, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			sb_putc(u, (char)c);
		} else {
			sb_putc(u, '%');
			sb_putc(u, hex[c >> 4]);
			sb_putc(u, hex[c & 15]);
		}
	}
}

static void sarif_json_uri(struct strbuf *b, const char *prefix,
			   const char *path, const char *suffix)
{
	struct strbuf u = {0};
	sb_puts(&u, prefix);
	sarif_uri_path(&u, path);
	sb_puts(&u, suffix);
	sarif_json_str(b, u.buf);
	sb_free(&u);
}

static void sarif_json_message(struct strbuf *b, const char *text)
{
	sb_puts(b, "{\"text\": ");
	sarif_json_str(b, text);
	sb_putc(b, '}');
}

static void sarif_json_physical(struct strbuf *b, const struct sarif_loc *at)
{
	sb_puts(b, "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
	if (at->file[0] == '/') {
		sarif_json_uri(b, "file://", at->file, "");
		sb_putc(b, '}');
	} else {
		sarif_json_uri(b, "", at->file, "");
		sb_puts(b, ", \"uriBaseId\": \"SRCROOT\"}");
	}
	if (at->line) {
		sb_printf(b, ", \"region\": {\"startLine\": %u", at->line);
		if (at->col) sb_printf(b, ", \"startColumn\": %u", at->col);
		sb_putc(b, '}');
	}
	sb_putc(b, '}');
}

static void sarif_json_rules(struct strbuf *b)
{
	sb_puts(b, "\"rules\": [");
	for (size_t i = 0; i < SARIF_NRULES; i++) {
		const struct sarif_rule *r = &sarif_rules[i];
		sb_puts(b, i ? ",\n          " : "\n          ");
		sb_printf(b, "{\"id\": \"%s\", \"name\": \"%s\", \"shortDescription\": ",
			  r->id, r->id);
		sarif_json_message(b, r->text);
		sb_printf(b, ", \"defaultConfiguration\": {\"level\": \"%s\"}}",
			  r->level);
	}
	sb_puts(b, "]");
}

static void sarif_json_result(struct strbuf *b, const struct sarif_item *it)
{
	sb_printf(b, "{\"ruleId\": \"%s\", \"ruleIndex\": %zu, \"level\": \"%s\", "
		  "\"message\": ", sarif_rules[it->rule].id, it->rule, it->level);
	sarif_json_message(b, it->msg.buf);
	sb_puts(b, ",\n         \"locations\": [{");
	sarif_json_physical(b, &it->at);
	sb_puts(b, "}]");
	if (it->nrel) {
		sb_puts(b, ",\n         \"relatedLocations\": [");
		for (size_t i = 0; i < it->nrel; i++) {
			sb_printf(b, "%s{\"id\": %zu, ", i ? ",\n           " : "", i + 1);
			sarif_json_physical(b, &it->rel[i].at);
			sb_puts(b, ", \"message\": ");
			sarif_json_message(b, it->rel[i].msg);
			sb_putc(b, '}');
		}
		sb_putc(b, ']');
	}
	sb_putc(b, '}');
}

/* The whole log. */
static void sarif_json_log(struct strbuf *b, int rc)
{
	sb_puts(b, "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/"
		"v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n"
		"  \"version\": \"2.1.0\",\n  \"runs\": [{\n");
	sb_puts(b, "    \"tool\": {\"driver\": {\"name\": \"pkginit\", \"version\": \""
		PKGINIT_VERSION "\", \"semanticVersion\": \"" PKGINIT_VERSION "\",\n"
		"        ");
	sarif_json_rules(b);
	sb_puts(b, "}},\n    \"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": ");
	const char *slash = strcmp(sarif.cwd, "/") ? "/" : "";
	sarif_json_uri(b, "file://", sarif.cwd, slash);
	sb_printf(b, "}},\n    \"invocations\": [{\"executionSuccessful\": %s, "
		  "\"exitCode\": %d",
		  rc == 0 || rc == EXIT_ORDER ? "true" : "false", rc);
	sb_puts(b, ", \"workingDirectory\": {\"uri\": ");
	sarif_json_uri(b, "file://", sarif.cwd, slash);
	sb_putc(b, '}');
	size_t nnote = 0;
	for (size_t i = 0; i < sarif.n; i++) {
		const struct sarif_item *it = &sarif.items[i];
		if (it->at.file) continue;
		sb_puts(b, nnote++ ? ",\n        "
			: ",\n      \"toolExecutionNotifications\": [\n        ");
		sb_printf(b, "{\"level\": \"%s\", \"message\": ", it->level);
		sarif_json_message(b, it->msg.buf);
		sb_putc(b, '}');
	}
	if (nnote) sb_putc(b, ']');
	sb_puts(b, "}],\n    \"results\": [");
	size_t nres = 0;
	for (size_t i = 0; i < sarif.n; i++) {
		const struct sarif_item *it = &sarif.items[i];
		if (!it->at.file) continue;
		sb_puts(b, nres++ ? ",\n        " : "\n        ");
		sarif_json_result(b, it);
	}
	sb_puts(b, "]\n  }]\n}\n");
}

static void sarif_reset(void)
{
	for (size_t i = 0; i < sarif.n; i++) {
		struct sarif_item *it = &sarif.items[i];
		free(it->at.file);
		sb_free(&it->msg);
		for (size_t j = 0; j < it->nrel; j++) {
			free(it->rel[j].at.file);
			free(it->rel[j].msg);
		}
		free(it->rel);
	}
	free(sarif.items);
	free(sarif.cwd);
	memset(&sarif, 0, sizeof sarif);
	sarif_last = 0;
}

int sarif_end(int rc)
{
	if (!sarif.on) return rc;
	/* What goes wrong from here on is about the log, not in it. */
	diag_sink = NULL;
	struct strbuf b = {0};
	sarif_json_log(&b, rc);
	int wrc = 0;
	if (sarif.to_stdout) {
		if (fwrite(b.buf, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			diag_fail("cannot write the SARIF log to standard output");
			wrc = EXIT_INPUT;
		}
	} else {
		fputs(b.buf, sarif.out.fp);
		wrc = out_commit(&sarif.out);
	}
	sb_free(&b);
	sarif_reset();
	return rc ? rc : wrc;
}
