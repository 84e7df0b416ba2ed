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
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *diag_stream;
static char *diag_status_line;  /* shown on stderr's last line, or NULL */

/* Where this thread's diagnostics go instead of stderr, or NULL. */
static _Thread_local struct strbuf *diag_capture;

void diag_set_stream(FILE *f) { diag_stream = f; }

void diag_capture_begin(struct strbuf *sb) { diag_capture = sb; }
void diag_capture_end(void) { diag_capture = NULL; }

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
		sb_puts(diag_capture, sb.buf);
		sb_free(&sb);
		return;
	}
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
	return diag_try(cmd);
}

int diag_try(const char *cmd)
{
	fprintf(diag_stream ? diag_stream : stderr,
		"Try 'pkginit %s%s--help' for more information.\n",
		cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

/* Out of memory, or worse: nothing here may allocate (the failure may be
 * malloc's), and other threads may be inside libclang, whose C++ static
 * destructors exit() would run under them.  So: format on the stack, one
 * write(2), remove the temporaries, _exit.  A second thread that gets
 * here waits for the first to end the process: one message. */
_Noreturn void diag_die(const char *fmt, ...)
{
	static atomic_flag dying = ATOMIC_FLAG_INIT;
	if (atomic_flag_test_and_set(&dying))
		for (;;) pause();
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%spkginit: error: ",
			 diag_status_line ? "\r\033[K" : "");
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof buf)
		n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf - 1) n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	FILE *f = diag_stream ? diag_stream : stderr;
	fflush(f);
	int fd = fileno(f);
	if (fd < 0) {
		/* a test's memory stream */
		fwrite(buf, 1, (size_t)n, f);
		fflush(f);
	} else if (write(fd, buf, (size_t)n) < 0) {
		/* nowhere left to say it */
	}
	out_remove_temporaries();
	_exit(EXIT_INPUT);
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
