/*
 * cache.c - the scan cache: a scan record is a pure function of the
 * compile command and of the bytes of every file the TU read, so it is
 * stored under a hash of those and handed back instead of parsing again.
 *
 * Key.  An entry's name is the SHA-256 of everything that shapes the
 * record except file contents: the cache format, pkginit's version and
 * this executable's identity (a rebuilt pkginit may scan differently),
 * libclang's version, the current directory (records hold paths relative
 * to it), the environment variables clang reads include paths from, the
 * TU's file, working directory and flags, the roots, and the mapping
 * rules of pkginit.yaml.  A different flag is a different entry.
 *
 * Contents.  The entry lists every file the TU read with the SHA-256 of
 * its bytes, then the record.  A lookup compares those files as they are
 * now; all equal, the record is returned, else it is a miss and the scan
 * that follows overwrites the entry.  So a touched header re-parses only
 * the TUs whose entries list it.  Comparing is by content, but reading
 * every header of every TU would be most of a warm run: so the entry
 * also keeps each file's signature (device, inode, size, modification
 * and change times) from when it was hashed, and a file whose signature
 * is unchanged is not read again, as git's index does.  That is only
 * sound when a later write must change the signature, which is why a
 * file written in the same clock tick as its hashing is marked as not to
 * be trusted that way (cache_hash_file).  A different signature is not a
 * miss by itself: the file is hashed, and a touched but unchanged file is
 * still a hit.  Each file is stat'ed and hashed at most once per process
 * (a table shared by the scanning threads), because every TU reads the
 * same system headers.  A file whose name clang looked up but
 * did not find is not recorded: adding a header that shadows another in
 * the include path is not seen (Make's depfiles have the same blind spot;
 * spec/cli.md says so).
 *
 * Integrity.  The entry ends with a checksum of everything before it
 * (XXH64: damage is what it guards against, and verifying every entry
 * with SHA-256 was half of a warm run), and is written to a temporary
 * file and renamed (file.c), so concurrent
 * pkginit processes sharing the cache (make -j running `pkginit scan` per
 * TU) only ever see whole entries.  An entry that fails the check, or
 * whose contents do not decode, is reported, deleted, and scanned again:
 * never trusted.
 *
 * Races with editing.  A record is stored only if every file it read was
 * last modified before the scan started and still has the size, inode and
 * times it had when hashed: a file saved during the scan could otherwise
 * have its new hash stored beside a record of its old contents.  (This
 * relies on file times finer than the time between a save and a scan,
 * as ext4, xfs, btrfs and tmpfs have.)
 *
 * The record is stored in its binary form (record_encode in record.c,
 * beside the YAML one), not YAML: decoding it is most of a warm run's
 * work, and the binary form round-trips the struct exactly, so a record
 * from the cache prints the same bytes as a fresh one.
 */
#include "tool.h"

#include <clang-c/Index.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_MAGIC     "PKGINITC"
#define CACHE_VERSION   3u

/* What a file looked like: what changes whenever its contents do. */
struct cache_sig {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

/* One file, as this process has seen it: its signature now (stat), and
 * the hash of its contents, each found out on first need. */
struct cache_file {
	char *path;
	int statted, stat_exists;
	struct cache_sig now;
	int hashed, exists;
	struct cache_sig sig;   /* when hashed */
	int sig_safe;           /* sig was already old when hashed (below) */
	unsigned char hash[HASH_SIZE];
};

struct cache {
	char *dir;
	unsigned char base[HASH_SIZE];  /* the key's per-process part */
	pthread_mutex_t lock;
	struct cache_file **slots;      /* path -> file, open addressing */
	size_t nslots, nfiles;
	struct cache_stats stats;
	int write_warned;       /* an entry could not be written */
};

/* ---- file hashes ------------------------------------------------------- */

static void cache_sig_of(const struct stat *st, struct cache_sig *s)
{
	*s = (struct cache_sig){st->st_dev, st->st_ino, st->st_size,
				st->st_mtim, st->st_ctim};
}

static int cache_sig_same(const struct cache_sig *a, const struct cache_sig *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec &&
	       a->ctime.tv_sec == b->ctime.tv_sec &&
	       a->ctime.tv_nsec == b->ctime.tv_nsec;
}

static int cache_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* Hash the file as it is; the signature is taken before reading, so a
 * write during the read shows up as a changed signature later.
 *
 * The signature can stand for the contents later (a lookup that finds
 * the same signature need not read the file) only if any later write
 * must change it.  A write changes mtime and ctime to the (coarse)
 * current time, so that holds when both were already older than the
 * moment of hashing; a file written in the same clock tick is "racy", as
 * git calls it, and is always hashed. */
static void cache_hash_file(struct cache_file *f, const char *path)
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
	cache_sig_of(&st, &f->sig);
	struct hash_ctx h;
	hash_init(&h);
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) hash_update(&h, buf, (size_t)n);
	close(fd);
	if (n < 0) return;
	hash_final(&h, f->hash);
	f->exists = 1;
	f->sig_safe = cache_before(f->sig.mtime, t) && cache_before(f->sig.ctime, t);
}

static void cache_stat_file(struct cache_file *f, const char *path)
{
	struct stat st;
	f->statted = 1;
	f->stat_exists = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	if (f->stat_exists) cache_sig_of(&st, &f->now);
}

static size_t cache_str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ h >> 29);
}

static struct cache_file **cache_slot(struct cache *c, const char *path)
{
	size_t mask = c->nslots - 1, i = cache_str_hash(path) & mask;
	while (c->slots[i] && strcmp(c->slots[i]->path, path)) i = (i + 1) & mask;
	return &c->slots[i];
}

/* The file as this process first saw it: with hash, its contents'
 * hash, else its signature.  Every file is stat'ed and hashed at most
 * once per process, because every TU reads the same system headers.  The
 * work happens outside the lock; when two threads do it for one file,
 * the first to finish is kept. */
static struct cache_file cache_file_get(struct cache *c, const char *path,
					int hash)
{
	struct cache_file f = {0};
	pthread_mutex_lock(&c->lock);
	struct cache_file **s = c->nslots ? cache_slot(c, path) : NULL;
	if (s && *s) f = **s;
	pthread_mutex_unlock(&c->lock);
	if (hash ? f.hashed : f.statted) return f;
	if (hash) cache_hash_file(&f, path);
	else cache_stat_file(&f, path);

	pthread_mutex_lock(&c->lock);
	if (hash) c->stats.hashed++;
	if ((c->nfiles + 1) * 2 > c->nslots) {
		struct cache_file **old = c->slots;
		size_t n = c->nslots;
		c->nslots = n ? n * 2 : 256;
		c->slots = xcalloc(c->nslots, sizeof *c->slots);
		for (size_t i = 0; i < n; i++)
			if (old[i]) *cache_slot(c, old[i]->path) = old[i];
		free(old);
	}
	s = cache_slot(c, path);
	if (!*s) {
		*s = xcalloc(1, sizeof **s);
		(*s)->path = xstrdup(path);
		c->nfiles++;
	}
	struct cache_file *m = *s;
	if (hash && !m->hashed) {
		m->hashed = 1, m->exists = f.exists, m->sig = f.sig;
		m->sig_safe = f.sig_safe;
		memcpy(m->hash, f.hash, HASH_SIZE);
	}
	if (!hash && !m->statted)
		m->statted = 1, m->stat_exists = f.stat_exists, m->now = f.now;
	f = *m;
	pthread_mutex_unlock(&c->lock);
	return f;
}

/* ---- signatures in binary --------------------------------------------- */

static void put_sig(struct strbuf *b, const struct cache_sig *s)
{
	bin_put_u64(b, (uint64_t)s->dev);
	bin_put_u64(b, (uint64_t)s->ino);
	bin_put_u64(b, (uint64_t)s->size);
	bin_put_u64(b, (uint64_t)s->mtime.tv_sec);
	bin_put_u32(b, (uint32_t)s->mtime.tv_nsec);
	bin_put_u64(b, (uint64_t)s->ctime.tv_sec);
	bin_put_u32(b, (uint32_t)s->ctime.tv_nsec);
}

static void get_sig(struct bin_rd *d, struct cache_sig *s)
{
	s->dev = (dev_t)bin_u64(d);
	s->ino = (ino_t)bin_u64(d);
	s->size = (off_t)bin_u64(d);
	s->mtime.tv_sec = (time_t)bin_u64(d);
	s->mtime.tv_nsec = (long)bin_u32(d);
	s->ctime.tv_sec = (time_t)bin_u64(d);
	s->ctime.tv_nsec = (long)bin_u32(d);
}

/* ---- opening ----------------------------------------------------------- */

/* Keep the cache out of version control and out of backups. */
static void cache_mark_dir(const char *dir)
{
	static const struct {
		const char *name, *text;
	} marks[] = {
		{".gitignore", "# Created by pkginit: the scan cache.\n*\n"},
		{"CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
				 "# This file is a cache directory tag created "
				 "by pkginit.\n"},
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		char *p = path_join(dir, marks[i].name);
		struct out o;
		if (access(p, F_OK) != 0 && out_open_as(&o, p, OUT_WARN) == 0) {
			fputs(marks[i].text, o.fp);
			out_commit(&o);
		}
		free(p);
	}
}

static int cache_mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s) continue;
		char save = *s;
		*s = 0;
		if (mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
		*s = save;
		if (!save) break;
	}
	free(p);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) rc = -1;
	if (!rc && access(dir, W_OK | X_OK) != 0) rc = -1;
	return rc;
}

struct cache *cache_open(const char *dir)
{
	if (cache_mkdirs(dir) != 0) {
		diag_warning((struct loc){0}, "cannot use '%s' as the scan cache "
			     "(%s); scanning without it", dir, strerror(errno));
		return NULL;
	}
	cache_mark_dir(dir);
	struct cache *c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir);
	pthread_mutex_init(&c->lock, NULL);

	struct hash_ctx h;
	hash_init(&h);
	hash_str(&h, CACHE_MAGIC);
	char v[32];
	snprintf(v, sizeof v, "%u %d", CACHE_VERSION, PKGINIT_FORMAT);
	hash_str(&h, v);
	hash_str(&h, PKGINIT_VERSION);
	struct stat st;
	if (stat("/proc/self/exe", &st) == 0) {
		struct cache_sig s;
		cache_sig_of(&st, &s);
		/* ctime would change with every hard link; the rest names
		 * the build. */
		s.ctime = (struct timespec){0, 0};
		char id[128];
		snprintf(id, sizeof id, "%ju %ju %jd %jd.%09ld",
			 (uintmax_t)s.dev, (uintmax_t)s.ino, (intmax_t)s.size,
			 (intmax_t)s.mtime.tv_sec, s.mtime.tv_nsec);
		hash_str(&h, id);
	}
	CXString cv = clang_getClangVersion();
	hash_str(&h, clang_getCString(cv));
	clang_disposeString(cv);
	char cwd[PATH_MAX];
	hash_str(&h, getcwd(cwd, sizeof cwd) ? cwd : "?");
	static const char *const env[] = {"CPATH", "C_INCLUDE_PATH", NULL};
	for (const char *const *e = env; *e; e++) {
		hash_str(&h, *e);
		hash_str(&h, getenv(*e));
	}
	hash_final(&h, c->base);
	return c;
}

void cache_close(struct cache *c)
{
	if (!c) return;
	for (size_t i = 0; i < c->nslots; i++)
		if (c->slots[i]) {
			free(c->slots[i]->path);
			free(c->slots[i]);
		}
	free(c->slots);
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

struct cache_stats cache_stats(const struct cache *c)
{
	return c ? c->stats : (struct cache_stats){0};
}

void cache_key(const struct cache *c, const char *file,
	       const struct scan_opts *o, unsigned char key[HASH_SIZE])
{
	struct hash_ctx h;
	hash_init(&h);
	hash_update(&h, c->base, HASH_SIZE);
	hash_str(&h, file);
	hash_str(&h, o->directory);
	hash_str(&h, "args");
	for (size_t i = 0; i < o->nargs; i++) hash_str(&h, o->args[i]);
	hash_str(&h, "roots");
	for (size_t i = 0; i < o->nroots; i++) hash_str(&h, o->roots[i]);
	config_fingerprint(o->config, &h);
	hash_final(&h, key);
}

static char *cache_entry_path(const struct cache *c,
			      const unsigned char key[HASH_SIZE])
{
	char hex[2 * HASH_SIZE + 1];
	hash_hex(key, hex);
	return xasprintf("%s/%.2s/%s", c->dir, hex, hex + 2);
}

static void cache_count(struct cache *c, unsigned *counter)
{
	pthread_mutex_lock(&c->lock);
	(*counter)++;
	pthread_mutex_unlock(&c->lock);
}

/* ---- lookup and store -------------------------------------------------- */

#define CACHE_HEAD (sizeof CACHE_MAGIC - 1 + 4)
#define CACHE_SUM 8             /* the XXH64 of everything before it */
/* A file in an entry: its path, the hash of its contents, whether its
 * signature stands for them, the signature. */
#define CACHE_DEP_MIN (4 + HASH_SIZE + 4 + 5 * 8 + 2 * 4)

static void cache_put_dep(struct strbuf *b, const char *path,
			  const struct cache_file *f)
{
	bin_put_str(b, path);
	sb_putn(b, (const char *)f->hash, HASH_SIZE);
	bin_put_u32(b, (uint32_t)f->sig_safe);
	put_sig(b, &f->sig);
}

/* Is the next file of an entry as it was?  The same signature says so
 * without reading the file, when the signature was safe to trust; else
 * the contents are hashed: a touched but unchanged file is still the
 * same. */
static int cache_dep_same(struct cache *c, struct bin_rd *d)
{
	char *dep = bin_str(d, 0);
	unsigned char hash[HASH_SIZE];
	bin_bytes(d, hash, HASH_SIZE);
	uint32_t safe = bin_u32(d);
	struct cache_sig sig;
	get_sig(d, &sig);
	int same = 0;
	if (!d->bad && safe) {
		struct cache_file f = cache_file_get(c, dep, 0);
		same = f.stat_exists && cache_sig_same(&f.now, &sig);
	}
	if (!d->bad && !same) {
		struct cache_file f = cache_file_get(c, dep, 1);
		same = f.exists && !memcmp(f.hash, hash, HASH_SIZE);
	}
	free(dep);
	return same;
}

int cache_get(struct cache *c, const unsigned char key[HASH_SIZE],
	      struct scan_record *r)
{
	*r = (struct scan_record){0};
	char *path = cache_entry_path(c, key);
	size_t len;
	unsigned char *buf = (unsigned char *)file_read_max(path, FILE_MAX_CACHE,
							   &len);
	if (!buf) {
		cache_count(c, &c->stats.misses);
		free(path);
		return 0;
	}
	const char *why = NULL;
	if (len < CACHE_HEAD + 4 + CACHE_SUM) {
		why = "it is truncated";
	} else {
		struct bin_rd t = {buf + len - CACHE_SUM, buf + len, 0};
		if (bin_u64(&t) != hash_check64(buf, len - CACHE_SUM))
			why = "its checksum does not match";
		else if (memcmp(buf, CACHE_MAGIC, CACHE_HEAD - 4))
			why = "it is not a pkginit cache entry";
	}
	struct bin_rd d = {buf + CACHE_HEAD - 4, buf + len - CACHE_SUM, 0};
	if (!why && bin_u32(&d) != CACHE_VERSION)
		why = "it has another format version";
	int stale = 0;
	if (!why) {
		size_t n = bin_count(&d, CACHE_DEP_MIN);
		for (size_t i = 0; i < n && !d.bad && !stale; i++)
			stale = !cache_dep_same(c, &d);
		if (d.bad) why = "its list of files is damaged";
	}
	int hit = 0;
	if (!why && !stale) {
		if (record_decode(d.p, (size_t)(d.end - d.p), r) == 0) hit = 1;
		else why = "its record is damaged";
	}
	if (why) {
		diag_warning((struct loc){path, 0, 0}, "discarding a corrupt scan "
			     "cache entry (%s); scanning again", why);
		unlink(path);
		cache_count(c, &c->stats.corrupt);
	}
	cache_count(c, hit ? &c->stats.hits : &c->stats.misses);
	free(buf);
	free(path);
	return hit;
}

void cache_put(struct cache *c, const unsigned char key[HASH_SIZE],
	       const struct scan_record *r, struct timespec started)
{
	struct strbuf b = {0};
	sb_putn(&b, CACHE_MAGIC, CACHE_HEAD - 4);
	bin_put_u32(&b, CACHE_VERSION);
	bin_put_u32(&b, (uint32_t)r->ndeps);
	for (size_t i = 0; i < r->ndeps; i++) {
		struct cache_file f = cache_file_get(c, r->deps[i], 1);
		struct stat st;
		struct cache_sig now;
		int ok = f.exists && stat(r->deps[i], &st) == 0;
		if (ok) cache_sig_of(&st, &now);
		/* Changed since hashed, or possibly during the scan: the
		 * record may not match the hash.  Leave it uncached. */
		if (!ok || !cache_sig_same(&now, &f.sig) ||
		    !cache_before(now.mtime, started)) {
			sb_free(&b);
			cache_count(c, &c->stats.unstable);
			return;
		}
		cache_put_dep(&b, r->deps[i], &f);
	}
	record_encode(&b, r);
	bin_put_u64(&b, hash_check64(b.buf, b.len));

	char *path = cache_entry_path(c, key);
	char *dir = path_dir(path);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		/* Not worth failing the run for: the scan is done. */
		free(dir);
		free(path);
		sb_free(&b);
		return;
	}
	/* A cache entry that cannot be written is a warning, once: the
	 * run's result does not depend on it. */
	struct out o;
	pthread_mutex_lock(&c->lock);
	enum out_report how = c->write_warned ? OUT_QUIET : OUT_WARN;
	pthread_mutex_unlock(&c->lock);
	int rc = out_open_as(&o, path, how);
	if (!rc) {
		o.no_sync = 1;
		fwrite(b.buf, 1, b.len, o.fp);
		rc = out_commit(&o);
	}
	if (!rc) cache_count(c, &c->stats.stored);
	pthread_mutex_lock(&c->lock);
	if (rc) c->write_warned = 1;
	pthread_mutex_unlock(&c->lock);
	free(dir);
	free(path);
	sb_free(&b);
}
