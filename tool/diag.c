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
 *
 * A captured diagnostic (pool.c: a job on a scanning thread) is held
 * whole, its text and what the sink (sarif.c) is told, and both are
 * let out by diag_capture_flush in job order: the SARIF log lists the
 * results of several failing TUs in input order under any -j, as the
 * text does (the sink used to be told when a thread printed, in the
 * order the threads finished).
 */
#include "tool.h"
#include "cmd.h"        /* diag_sink: sarif.c collects */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *diag_stream;
static char *diag_status_line;  /* shown on stderr's last line, or NULL */

/* Where this thread's diagnostics go instead of stderr, or NULL. */
static _Thread_local struct diag_capture *diag_capture;

void diag_set_stream(FILE *f) { diag_stream = f; }

/* Per thread: a reader that will redo the work it is trying, with
 * diagnostics, when the try fails (record.c, inputs.c). */
static _Thread_local int diag_quiet_on;   /* nesting depth */
void diag_quiet(int on) { diag_quiet_on += on ? 1 : -1; }
void diag_capture_begin(struct diag_capture *c) { diag_capture = c; }
void diag_capture_end(void) { diag_capture = NULL; }

static void diag_sink_msg(struct loc at, const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_sink(at, kind, fmt, ap);
	va_end(ap);
}

void diag_capture_flush(struct diag_capture *c)
{
	diag_print_text(c->text.buf);
	for (size_t i = 0; i < c->nheld; i++) {
		struct diag_held *h = &c->held[i];
		if (diag_sink) diag_sink_msg(h->at, h->kind, "%s", h->msg);
		free((char *)h->at.file);
		free(h->msg);
	}
	free(c->held);
	sb_free(&c->text);
	*c = (struct diag_capture){0};
}

void diag_print_text(const char *text)
{
	if (!text || !*text) return;
	pthread_mutex_lock(&diag_lock);
	FILE *f = diag_stream ? diag_stream : stderr;
	if (diag_status_line) fputs("\r\033[K", f);
	fputs(text, f);
	if (diag_status_line) {
		fputs(diag_status_line, f);
		fflush(f);
	}
	pthread_mutex_unlock(&diag_lock);
}

static void diag_emit(struct loc at, const char *kind, const char *fmt,
		      va_list ap)
{
	if (diag_quiet_on) return;
	if (diag_sink && diag_capture) {        /* told at diag_capture_flush */
		struct diag_held h = {at, kind, NULL};
		h.at.file = at.file ? xstrdup(at.file) : NULL;
		struct strbuf msg = {0};
		va_list aq;
		va_copy(aq, ap);
		sb_vprintf(&msg, fmt, aq);
		va_end(aq);
		h.msg = sb_detach(&msg);
		VEC_PUSH(diag_capture->held, diag_capture->nheld,
			 diag_capture->capheld, h);
	} else if (diag_sink) { /* --diagnostics-format sarif */
		va_list aq;
		va_copy(aq, ap);
		diag_sink(at, kind, fmt, aq);
		va_end(aq);
	}
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
	if (diag_capture) {
		sb_puts(&diag_capture->text, sb.buf);
		sb_free(&sb);
		return;
	}
	diag_print_text(sb.buf);
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
	return diag_try(cmd);
}

int diag_try(const char *cmd)
{
	fprintf(diag_stream ? diag_stream : stderr,
		"Try 'pkginit %s%s--help' for more information.\n",
		cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

/* The way out when the heap is gone: xmalloc calls this when malloc
 * fails, so nothing here may allocate.  The message is formatted into a
 * buffer on the stack (a longer one is cut short) and written with one
 * fputs (stderr is unbuffered: no buffer to allocate).  The lock is kept
 * until exit, so a second thread dying at the same moment waits and one
 * message is printed, and exit is never called by two threads at once
 * (so exit handlers must not print diagnostics: none does; file.c's only
 * removes temporaries).  A fatal error while this thread is already dying
 * (exit's handlers running out of memory too) would recurse until the
 * stack overflows: it writes a fixed line and ends the process at once. */
static _Thread_local int diag_dying;

_Noreturn void diag_die(const char *fmt, ...)
{
	static const char again[] =
		"pkginit: error: fatal error while exiting after a fatal error\n";
	if (diag_dying++) {
		ssize_t w = write(2, again, sizeof again - 1);
		(void)w;
		_exit(EXIT_INPUT);
	}
	char msg[1024];
	size_t n = sizeof "pkginit: error: " - 1;
	memcpy(msg, "pkginit: error: ", n);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(msg + n, sizeof msg - n - 1, fmt, ap);
	va_end(ap);
	n = m < 0 ? n : n + (size_t)m < sizeof msg - 1 ? n + (size_t)m
							: sizeof msg - 2;
	msg[n++] = '\n';
	msg[n] = 0;
	pthread_mutex_lock(&diag_lock);
	FILE *f = diag_stream ? diag_stream : stderr;
	if (diag_status_line) fputs("\r\033[K", f);
	fputs(msg, f);
	fflush(f);
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

/* Set by sarif_begin before any thread starts, cleared by sarif_end after
 * they are done, so diag_emit reads it without a lock. */
diag_sink_fn *diag_sink;
