/*
 * file.c - reading inputs and writing outputs atomically.
 *
 * An output is written to a temporary file in the target's directory
 * (so rename is atomic: same file system) and renamed over the target
 * only when complete.  Temporaries still open at exit — an error path
 * that calls exit() — are removed by an atexit handler, so a failed run
 * leaves the previous output as it was and no stray file.
 *
 * The target is the file the name leads to: a symbolic link is followed
 * (the temporary goes beside the file it points to, and the link stays a
 * link), and a file that is replaced keeps its mode (and, when we may,
 * its owner).  A device or fifo cannot be replaced by renaming and is
 * written in place, and so is anything reached through /proc (/dev/stdout
 * is a link to /proc/self/fd/1): renaming there would replace a link of
 * the system, or the file the shell redirected to.  A temporary's name is
 * cut so that it never exceeds NAME_MAX, whatever the target's length.
 *
 * Reading is bounded: file_read_max stops at a limit per kind of input
 * (FILE_MAX_*), so /dev/zero or a huge file fails with one message
 * instead of growing memory until the machine runs out.
 *
 * out_check_names refuses, before anything is written, an output that is
 * one of the run's inputs or another of its outputs, comparing files by
 * identity (device and inode), not by spelling.
 */
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *file_read_max(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) return NULL;
	struct strbuf sb = {0};
	int err = 0;
	/* A regular file that is too large fails before any of it is read;
	 * one that is not is read straight into a buffer of its size (a
	 * scan cache entry of 140 KB was three reads, two reallocations
	 * and their copies, and the page faults of each new buffer). */
	struct stat st;
	size_t want = 65536;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > max) err = EFBIG;
		else want = (size_t)st.st_size + 1;     /* + 1: sees the end */
	}
	if (!err) sb_grow(&sb, want);
	size_t n;
	while (!err && (n = fread(sb.buf + sb.len, 1, sb.cap - sb.len - 1, f)) > 0) {
		if (n > max - sb.len) err = EFBIG;
		sb.len += n;
		sb.buf[sb.len] = 0;
		if (!err && sb.cap - sb.len < 2) sb_grow(&sb, 65536);
	}
	if (!err && ferror(f)) err = errno ? errno : EIO;
	if (f != stdin) fclose(f);
	if (err) {
		sb_free(&sb);
		errno = err;
		return NULL;
	}
	if (len) *len = sb.len;
	return sb_detach(&sb);
}

char *file_read(const char *path, size_t *len)
{
	return file_read_max(path, SIZE_MAX, len);
}

void file_read_failed(const char *path, int err, size_t max, const char *what)
{
	if (err == EFBIG)
		diag_fail("cannot read '%s': it is larger than %zu MiB, the limit "
			  "for %s (is it the right file?)", path, max >> 20, what);
	else
		diag_fail("cannot read '%s': %s", path, strerror(err));
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

/* An output's error: an error, or (a cache entry) a warning, or nothing. */
static void out_fail(enum out_report how, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void out_fail(enum out_report how, const char *fmt, ...)
{
	if (how == OUT_QUIET) return;
	va_list ap;
	va_start(ap, fmt);
	if (how == OUT_WARN) diag_vwarning((struct loc){0}, fmt, ap);
	else diag_verror((struct loc){0}, fmt, ap);
	va_end(ap);
}

/* Is p (a link's name or its target) in /proc, where links are the
 * kernel's (/proc/self/fd/N) and a file must never be renamed? */
static int out_in_proc(const char *p)
{
	return !strncmp(p, "/proc/", 6) || !strncmp(p, "/dev/fd/", 8);
}

/* The file that path leads to, following symbolic links in its last
 * component (the directories are the kernel's to follow): *target
 * (allocated).  Returns 0, 1 when a link leads into /proc (write the
 * name in place), or an errno (ELOOP). */
static int out_resolve(const char *path, char **target)
{
	char *cur = xstrdup(path);
	int rc = 0;
	for (int hops = 0;; hops++) {
		struct stat st;
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) break;
		if (hops >= 40) {
			rc = ELOOP;
			break;
		}
		char buf[PATH_MAX];
		ssize_t n = readlink(cur, buf, sizeof buf - 1);
		if (n < 0) {
			rc = errno;
			break;
		}
		buf[n] = 0;
		if (out_in_proc(cur) || out_in_proc(buf)) {
			rc = 1;
			break;
		}
		char *dir = path_dir(cur);
		char *next = buf[0] == '/' ? xstrdup(buf) : xasprintf("%s/%s", dir, buf);
		free(dir);
		free(cur);
		cur = next;
	}
	*target = cur;
	return rc;
}

/* The temporary's name: ".BASE.tmp.XXXXXX" beside target, with BASE cut
 * so that the name fits in NAME_MAX. */
static char *out_tmp_name(const char *target)
{
	char *dir = path_dir(target);
	const char *slash = strrchr(target, '/');
	const char *base = slash ? slash + 1 : target;
	size_t room = NAME_MAX - strlen("..tmp.XXXXXX");
	size_t n = strlen(base);
	if (n > room) n = room;
	char *tmp = xasprintf("%s/.%.*s.tmp.XXXXXX", dir, (int)n, base);
	free(dir);
	return tmp;
}

static int out_open_direct(struct out *o, const char *path, const char *target)
{
	o->fp = fopen(target, "w");
	if (!o->fp) {
		out_fail(o->report, "cannot write '%s': %s", path, strerror(errno));
		return EXIT_INPUT;
	}
	o->direct = 1;
	o->path = xstrdup(path);
	return 0;
}

/* mkstemp failed with err: say why in terms of the directory, which is
 * where the file is created (the target itself may well be writable). */
static void out_create_failed(const struct out *o, const char *path,
			      const char *target, int err)
{
	char *dir = path_dir(target);
	if (err == ENOENT || err == ENOTDIR)
		out_fail(o->report, "cannot write '%s': directory '%s' does not exist",
			  path, dir);
	else
		out_fail(o->report, "cannot write '%s': cannot create a file in directory "
			  "'%s': %s", path, dir, strerror(err));
	free(dir);
}

int out_open(struct out *o, const char *path)
{
	return out_open_as(o, path, OUT_ERROR);
}

int out_open_as(struct out *o, const char *path, enum out_report report)
{
	*o = (struct out){.report = report};
	if (!strcmp(path, "-")) {
		o->fp = stdout;
		return 0;
	}
	char *target;
	int how = out_resolve(path, &target);
	int rc = 0;
	struct stat st;
	int exists = how == 0 && stat(target, &st) == 0;
	if (how == 1) {
		rc = out_open_direct(o, path, path);
	} else if (how) {
		out_fail(o->report, "cannot write '%s': %s", path, strerror(how));
		rc = EXIT_INPUT;
	} else if (exists && S_ISDIR(st.st_mode)) {
		out_fail(o->report, "cannot write '%s': it is a directory", path);
		rc = EXIT_INPUT;
	} else if (exists && !S_ISREG(st.st_mode)) {
		/* A device or a pipe (-o /dev/null, a fifo) cannot be
		 * replaced by renaming, and must not be: write to it. */
		rc = out_open_direct(o, path, target);
	}
	if (rc || o->fp) {
		free(target);
		return rc;
	}
	o->path = xstrdup(path);
	o->target = target;
	o->tmp = out_tmp_name(target);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		out_create_failed(o, path, target, errno);
		free(o->tmp);
		free(o->path);
		free(o->target);
		*o = (struct out){0};
		return EXIT_INPUT;
	}
	out_track(o->tmp);
	/* mkstemp makes the file 0600: a new output is an ordinary file, a
	 * replaced one keeps its mode and, when we may set it, its owner. */
	if (exists) {
		if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
		    fchown(fd, st.st_uid, st.st_gid) != 0)
			(void)0;        /* not ours to give: the mode still holds */
		fchmod(fd, st.st_mode & 07777);
	} else {
		fchmod(fd, 0666 & ~out_umask());
	}
	o->fp = fdopen(fd, "w");
	if (!o->fp) diag_die("fdopen: %s", strerror(errno));
	return 0;
}

/* Do files a and b hold the same bytes?  Compared in blocks, so an old
 * output of any size costs no memory. */
static int out_same(const char *a, const char *b)
{
	enum { N = 65536 };
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = fa && fb;
	char *ba = xmalloc(2 * N), *bb = ba + N;
	while (same) {
		size_t na = fread(ba, 1, N, fa);
		size_t nb = fread(bb, 1, N, fb);
		if (na != nb || memcmp(ba, bb, na)) same = 0;
		else if (na < N) break;
	}
	if (same && (ferror(fa) || ferror(fb))) same = 0;
	free(ba);
	if (fa) fclose(fa);
	if (fb) fclose(fb);
	return same;
}

int out_flush(struct out *o)
{
	if (!o->fp) return 0;   /* flushed already */
	if (!o->path) {         /* stdout */
		if (fflush(o->fp) == 0) return 0;
		out_fail(o->report, "cannot write to standard output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	int bad = ferror(o->fp), err = errno;
	if (!bad && fflush(o->fp) != 0) bad = 1, err = errno;
	if (!bad && !o->direct && !o->no_sync && fsync(fileno(o->fp)) != 0)
		bad = 1, err = errno;
	if (fclose(o->fp) != 0 && !bad) bad = 1, err = errno;
	o->fp = NULL;
	if (bad) {
		out_fail(o->report, "cannot write '%s': %s", o->path, strerror(err));
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
	if (o->keep_same && out_same(o->tmp, o->target)) {
		out_abort(o);
		o->kept = 1;
		return 0;
	}
	if (rename(o->tmp, o->target) != 0) {
		out_fail(o->report, "cannot write '%s': %s", o->path, strerror(errno));
		out_abort(o);
		return EXIT_INPUT;
	}
	out_untrack(o->tmp);
	free(o->tmp);
	free(o->path);
	free(o->target);
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
	free(o->target);
	*o = (struct out){0};
}

int out_holds(const char *path, const char *data, size_t len)
{
	if (!strcmp(path, "-")) return 0;
	char *target;
	int how = out_resolve(path, &target);
	struct stat st;
	int same = !how && stat(target, &st) == 0 && S_ISREG(st.st_mode) &&
		   (uintmax_t)st.st_size == (uintmax_t)len &&
		   /* out_touch must be able to set its time. */
		   (st.st_uid == geteuid() || access(target, W_OK) == 0);
	if (same) {
		FILE *f = fopen(target, "rb");
		char buf[16384];        /* 64 KiB was 16 page faults of stack */
		size_t off = 0, n = 0;
		same = f != NULL;
		while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
			same = n <= len - off && !memcmp(buf, data + off, n);
			off += n;
		}
		same = same && off == len && !ferror(f);
		if (f) fclose(f);
	}
	free(target);
	return same;
}

int out_touch(const char *path)
{
	if (utimensat(AT_FDCWD, path, NULL, 0) == 0) return 0;
	out_fail(OUT_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return EXIT_INPUT;
}

int out_write_file(const char *path, const char *data, size_t len)
{
	struct out o;
	int rc = out_open(&o, path);
	if (rc) return rc;
	fwrite(data, 1, len, o.fp);
	return out_commit(&o);
}

/* ---- outputs that are inputs ------------------------------------------- */

/* An output as out_open would write it: skip (stdout, a device, /proc),
 * or an existing regular file (its identity), or a file to create (the
 * real path of its directory and its name). */
struct out_ident {
	int skip, exists;
	dev_t dev;
	ino_t ino;
	char *canon;
};

static void out_identify(const char *path, struct out_ident *id)
{
	*id = (struct out_ident){0};
	if (!strcmp(path, "-")) {
		id->skip = 1;
		return;
	}
	char *target;
	int how = out_resolve(path, &target);
	struct stat st;
	if (how) {
		id->skip = 1;           /* /proc, or out_open's error to give */
	} else if (stat(target, &st) == 0) {
		if (!S_ISREG(st.st_mode)) id->skip = 1;
		id->exists = 1;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	} else {
		char *dir = path_dir(target);
		const char *slash = strrchr(target, '/');
		char *real = realpath(dir, NULL);
		id->canon = xasprintf("%s/%s", real ? real : dir,
				      slash ? slash + 1 : target);
		free(real);
		free(dir);
	}
	free(target);
}

int out_check_names(const char *cmd, const struct out_name *outs, size_t nouts,
		    const char *const *ins, size_t nins, struct filehash *known)
{
	struct out_ident *id = xcalloc(nouts, sizeof *id);
	int rc = 0, any = 0;
	for (size_t i = 0; i < nouts; i++) {
		if (!outs[i].path) {
			id[i].skip = 1;
			continue;
		}
		out_identify(outs[i].path, &id[i]);
		any |= !id[i].skip && id[i].exists;
	}
	for (size_t i = 0; i < nouts && !rc; i++)
		for (size_t j = i + 1; j < nouts && !rc; j++) {
			const struct out_ident *a = &id[i], *b = &id[j];
			if (a->skip || b->skip || a->exists != b->exists) continue;
			if (a->exists ? a->dev == b->dev && a->ino == b->ino
				      : !strcmp(a->canon, b->canon))
				rc = diag_usage(cmd, "%s '%s' and %s '%s' are the same "
						"file: each output needs its own",
						outs[i].opt, outs[i].path,
						outs[j].opt, outs[j].path);
		}
	/* Only an output that exists can be an input: skip the stat of
	 * every input in the common case of a fresh build.  An input named
	 * twice (a header of many TUs) is looked at once; with known, a
	 * second look is one lookup, as cheap as seen's. */
	struct strmap seen = {0};
	for (size_t k = 0; k < nins && any && !rc; k++) {
		if (!ins[k] || !strcmp(ins[k], "-")) continue;
		if (!known && strmap_get(&seen, ins[k], NULL)) continue;
		if (!known) strmap_put(&seen, ins[k], k);
		/* A scanned TU's headers were stat'ed by the scan cache
		 * moments ago (filehash.c): ask it, not the disk. */
		dev_t dev;
		ino_t ino;
		if (!known || !filehash_ident(known, ins[k], &dev, &ino)) {
			struct stat st;
			if (stat(ins[k], &st) != 0) continue;
			dev = st.st_dev;
			ino = st.st_ino;
		}
		for (size_t i = 0; i < nouts && !rc; i++) {
			if (id[i].skip || !id[i].exists || id[i].dev != dev ||
			    id[i].ino != ino)
				continue;
			if (!strcmp(outs[i].path, ins[k]))
				rc = diag_usage(cmd, "%s '%s' is an input of this run: "
						"writing it would destroy it",
						outs[i].opt, outs[i].path);
			else
				rc = diag_usage(cmd, "%s '%s' is '%s', an input of this "
						"run: writing it would destroy it",
						outs[i].opt, outs[i].path, ins[k]);
		}
	}
	strmap_free(&seen);
	for (size_t i = 0; i < nouts; i++) free(id[i].canon);
	free(id);
	return rc;
}
