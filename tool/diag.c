/*
 * diag.c - diagnostics in compiler format.
 *
 *   path:line:col: error: message
 *   path:line: note: message
 *   pkginit: error: message            (no location)
 *
 * Everything goes to stderr, one line per call, written with a single
 * fputs under a lock so that lines from scanning threads never interleave.
 *
 * A status line (scanning progress on a terminal) lives under the same
 * lock: it is erased before each diagnostic and drawn again after it, so
 * diagnostics scroll up above it and are never overwritten or broken.
 */
#include "tool.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *diag_stream;
static char *diag_status_line;  /* shown on stderr's last line, or NULL */

void diag_set_stream(FILE *f) { diag_stream = f; }

static void diag_emit(struct loc at, const char *kind, const char *fmt,
		      va_list ap)
{
	struct strbuf sb = {0};
	if (at.file) {
		sb_puts(&sb, at.file);
		if (at.line) sb_printf(&sb, ":%u", at.line);
		if (at.line && at.col) sb_printf(&sb, ":%u", at.col);
		sb_puts(&sb, ": ");
	} else {
		sb_puts(&sb, "pkginit: ");
	}
	sb_printf(&sb, "%s: ", kind);
	sb_vprintf(&sb, fmt, ap);
	sb_putc(&sb, '\n');
	pthread_mutex_lock(&diag_lock);
	FILE *f = diag_stream ? diag_stream : stderr;
	if (diag_status_line) fputs("\r\033[K", f);
	fputs(sb.buf, f);
	if (diag_status_line) {
		fputs(diag_status_line, f);
		fflush(f);
	}
	pthread_mutex_unlock(&diag_lock);
	sb_free(&sb);
}

void diag_verror(struct loc at, const char *fmt, va_list ap)
{
	diag_emit(at, "error", fmt, ap);
}

void diag_vwarning(struct loc at, const char *fmt, va_list ap)
{
	diag_emit(at, "warning", fmt, ap);
}

#define DIAG_FN(fn, kind)                                                   \
	void fn(struct loc at, const char *fmt, ...)                        \
	{                                                                   \
		va_list ap;                                                 \
		va_start(ap, fmt);                                          \
		diag_emit(at, kind, fmt, ap);                               \
		va_end(ap);                                                 \
	}
DIAG_FN(diag_error, "error")
DIAG_FN(diag_warning, "warning")
DIAG_FN(diag_note, "note")

void diag_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_emit((struct loc){0}, "error", fmt, ap);
	va_end(ap);
}

int diag_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_emit((struct loc){0}, "error", fmt, ap);
	va_end(ap);
	fprintf(diag_stream ? diag_stream : stderr,
		"Try 'pkginit %s%s--help' for more information.\n",
		cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

_Noreturn void diag_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_emit((struct loc){0}, "error", fmt, ap);
	va_end(ap);
	exit(EXIT_INPUT);
}

void diag_status(const char *line)
{
	char *copy = line ? xstrdup(line) : NULL;
	pthread_mutex_lock(&diag_lock);
	FILE *f = diag_stream ? diag_stream : stderr;
	if (copy || diag_status_line) fputs("\r\033[K", f);
	if (copy) fputs(copy, f);
	fflush(f);
	free(diag_status_line);
	diag_status_line = copy;
	pthread_mutex_unlock(&diag_lock);
}
