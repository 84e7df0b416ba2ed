/*
 * filehash.c - what each file looks like, found out once per process:
 * its signature (device, inode, size, modification and change times) and
 * the SHA-256 of its contents.  The scan cache (cache.c) asks for both for
 * every file every TU read, and every TU reads the same system headers,
 * so each file is stat'ed and hashed at most once per process, in a table
 * the scanning threads share.
 *
 * A file's signature can stand for its contents later (a lookup that
 * finds the same signature need not read the file) only if any later
 * write must change it.  A write changes mtime and ctime to the (coarse)
 * current time, so that holds when both were already older than the
 * moment of hashing; a file written in the same clock tick is "racy", as
 * git calls it, and is marked so (sig_safe is 0): it is always hashed.
 */
#include "tool.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct filehash {
	pthread_mutex_t lock;
	struct strmap index;            /* path -> files[] */
	struct filehash_entry {
		char *path;             /* the index's key */
		struct filehash_file f;
	} *files;
	size_t nfiles, capfiles;
	unsigned hashed;                /* files whose contents were read */
};

void filehash_sig_of(const struct stat *st, struct filehash_sig *s)
{
	*s = (struct filehash_sig){st->st_dev, st->st_ino, st->st_size,
				   st->st_mtim, st->st_ctim};
}

int filehash_sig_same(const struct filehash_sig *a, const struct filehash_sig *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec &&
	       a->ctime.tv_sec == b->ctime.tv_sec &&
	       a->ctime.tv_nsec == b->ctime.tv_nsec;
}

int filehash_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* Hash the file as it is; the signature is taken before reading, so a
 * write during the read shows up as a changed signature later. */
static void filehash_read(struct filehash_file *f, const char *path)
{
	f->hashed = 1;
	f->exists = f->sig_safe = 0;
	struct timespec t;
	clock_gettime(CLOCK_REALTIME_COARSE, &t);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	filehash_sig_of(&st, &f->sig);
	struct hash_ctx h;
	hash_init(&h);
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) hash_update(&h, buf, (size_t)n);
	close(fd);
	if (n < 0) return;
	hash_final(&h, f->hash);
	f->exists = 1;
	f->sig_safe = filehash_before(f->sig.mtime, t) &&
		      filehash_before(f->sig.ctime, t);
}

static void filehash_stat(struct filehash_file *f, const char *path)
{
	struct stat st;
	f->statted = 1;
	f->stat_exists = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	if (f->stat_exists) filehash_sig_of(&st, &f->now);
}

struct filehash *filehash_new(void)
{
	struct filehash *t = xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void filehash_free(struct filehash *t)
{
	if (!t) return;
	for (size_t i = 0; i < t->nfiles; i++) free(t->files[i].path);
	free(t->files);
	strmap_free(&t->index);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

unsigned filehash_hashed(struct filehash *t)
{
	pthread_mutex_lock(&t->lock);
	unsigned n = t->hashed;
	pthread_mutex_unlock(&t->lock);
	return n;
}

int filehash_ident(struct filehash *t, const char *path, dev_t *dev, ino_t *ino)
{
	struct filehash_file f = {0};
	size_t i;
	int known = 0;
	pthread_mutex_lock(&t->lock);
	if (strmap_get(&t->index, path, &i)) f = t->files[i].f, known = 1;
	pthread_mutex_unlock(&t->lock);
	const struct filehash_sig *s = !known ? NULL
		: f.statted && f.stat_exists ? &f.now
		: f.hashed && f.exists ? &f.sig : NULL;
	if (!s) return 0;
	*dev = s->dev;
	*ino = s->ino;
	return 1;
}

/* The work happens outside the lock; when two threads do it for one
 * file, the first to finish is kept. */
struct filehash_file filehash_get(struct filehash *t, const char *path,
				  int hash)
{
	struct filehash_file f = {0};
	size_t i;
	pthread_mutex_lock(&t->lock);
	if (strmap_get(&t->index, path, &i)) f = t->files[i].f;
	pthread_mutex_unlock(&t->lock);
	if (hash ? f.hashed : f.statted) return f;
	if (hash) filehash_read(&f, path);
	else filehash_stat(&f, path);

	pthread_mutex_lock(&t->lock);
	if (hash) t->hashed++;
	if (!strmap_get(&t->index, path, &i)) {
		struct filehash_entry e = {xstrdup(path), {0}};
		VEC_PUSH(t->files, t->nfiles, t->capfiles, e);
		i = t->nfiles - 1;
		strmap_put(&t->index, t->files[i].path, i);
	}
	struct filehash_file *m = &t->files[i].f;
	if (hash && !m->hashed) {
		m->hashed = 1, m->exists = f.exists, m->sig = f.sig;
		m->sig_safe = f.sig_safe;
		memcpy(m->hash, f.hash, HASH_SIZE);
	}
	if (!hash && !m->statted)
		m->statted = 1, m->stat_exists = f.stat_exists, m->now = f.now;
	f = *m;
	pthread_mutex_unlock(&t->lock);
	return f;
}
