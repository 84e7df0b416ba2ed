/*
 * file.c - reading inputs and writing outputs atomically.
 *
 * An output is written to a temporary file in the target's directory
 * (so rename is atomic: same file system) and renamed over the target
 * only when complete.  Temporaries still open at exit — an error path
 * that calls exit() — are removed by an atexit handler, so a failed run
 * leaves the previous output as it was and no stray file.
 */
#include "tool.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *file_read(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) return NULL;
	struct strbuf sb = {0};
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_putn(&sb, buf, n);
	int err = ferror(f) ? errno : 0;
	if (f != stdin) fclose(f);
	if (err) {
		sb_free(&sb);
		errno = err;
		return NULL;
	}
	if (len) *len = sb.len;
	return sb_detach(&sb);
}

/* Temporaries that exist right now, for the exit handler. */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static char **out_live;
static size_t out_nlive, out_caplive;
static int out_handler_set;

static void out_cleanup(void)
{
	for (size_t i = 0; i < out_nlive; i++) unlink(out_live[i]);
	out_nlive = 0;
}

static void out_track(char *tmp)
{
	pthread_mutex_lock(&out_lock);
	if (!out_handler_set) {
		atexit(out_cleanup);
		out_handler_set = 1;
	}
	VEC_PUSH(out_live, out_nlive, out_caplive, tmp);
	pthread_mutex_unlock(&out_lock);
}

static void out_untrack(const char *tmp)
{
	pthread_mutex_lock(&out_lock);
	for (size_t i = 0; i < out_nlive; i++)
		if (out_live[i] == tmp) {
			out_live[i] = out_live[--out_nlive];
			break;
		}
	pthread_mutex_unlock(&out_lock);
}

/* umask can only be read by setting it; done once, under the lock,
 * because scanning threads write cache entries at the same time and two
 * interleaved read-and-restore pairs would leave the umask at 0. */
static mode_t out_umask(void)
{
	static mode_t um;
	static int known;
	pthread_mutex_lock(&out_lock);
	if (!known) {
		um = umask(0);
		umask(um);
		known = 1;
	}
	mode_t r = um;
	pthread_mutex_unlock(&out_lock);
	return r;
}

int out_open(struct out *o, const char *path)
{
	*o = (struct out){0};
	if (!strcmp(path, "-")) {
		o->fp = stdout;
		return 0;
	}
	/* A device or a pipe (-o /dev/null, a fifo) cannot be replaced by
	 * renaming, and must not be: write to it directly. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			diag_fail("cannot write '%s': it is a directory", path);
			return EXIT_INPUT;
		}
		o->fp = fopen(path, "w");
		if (!o->fp) {
			diag_fail("cannot write '%s': %s", path, strerror(errno));
			return EXIT_INPUT;
		}
		o->direct = 1;
		o->path = xstrdup(path);
		return 0;
	}
	o->path = xstrdup(path);
	char *dir = path_dir(path);
	const char *slash = strrchr(path, '/');
	o->tmp = xasprintf("%s/.%s.tmp.XXXXXX", dir, slash ? slash + 1 : path);
	free(dir);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		diag_fail("cannot create '%s': %s", path, strerror(errno));
		free(o->tmp);
		free(o->path);
		*o = (struct out){0};
		return EXIT_INPUT;
	}
	/* mkstemp makes the file 0600; an output is an ordinary file. */
	fchmod(fd, 0666 & ~out_umask());
	out_track(o->tmp);
	o->fp = fdopen(fd, "w");
	if (!o->fp) diag_die("fdopen: %s", strerror(errno));
	return 0;
}

/* Do files a and b hold the same bytes? */
static int out_same(const char *a, const char *b)
{
	size_t na, nb;
	char *da = file_read(a, &na), *db = file_read(b, &nb);
	int same = da && db && na == nb && !memcmp(da, db, na);
	free(da);
	free(db);
	return same;
}

int out_flush(struct out *o)
{
	if (!o->fp) return 0;   /* flushed already */
	if (!o->path) {         /* stdout */
		if (fflush(o->fp) == 0) return 0;
		diag_fail("cannot write to standard output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	int bad = ferror(o->fp), err = errno;
	if (!bad && fflush(o->fp) != 0) bad = 1, err = errno;
	if (!bad && !o->direct && !o->no_sync && fsync(fileno(o->fp)) != 0)
		bad = 1, err = errno;
	if (fclose(o->fp) != 0 && !bad) bad = 1, err = errno;
	o->fp = NULL;
	if (bad) {
		diag_fail("cannot write '%s': %s", o->path, strerror(err));
		out_abort(o);
		return EXIT_INPUT;
	}
	return 0;
}

int out_commit(struct out *o)
{
	int rc = out_flush(o);
	if (rc || !o->path) return rc;  /* stdout stays open */
	if (o->direct) {
		free(o->path);
		*o = (struct out){0};
		return 0;
	}
	if (o->keep_same && out_same(o->tmp, o->path)) {
		out_abort(o);
		o->kept = 1;
		return 0;
	}
	if (rename(o->tmp, o->path) != 0) {
		diag_fail("cannot write '%s': %s", o->path, strerror(errno));
		out_abort(o);
		return EXIT_INPUT;
	}
	out_untrack(o->tmp);
	free(o->tmp);
	free(o->path);
	*o = (struct out){0};
	return 0;
}

void out_abort(struct out *o)
{
	if (o->fp && o->fp != stdout) fclose(o->fp);
	if (o->tmp) {
		unlink(o->tmp);
		out_untrack(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	*o = (struct out){0};
}

int out_write_file(const char *path, const char *data, size_t len)
{
	struct out o;
	int rc = out_open(&o, path);
	if (rc) return rc;
	fwrite(data, 1, len, o.fp);
	return out_commit(&o);
}
