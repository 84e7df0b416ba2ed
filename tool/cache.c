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
 * be trusted that way (filehash.c).  A different signature is not a
 * miss by itself: the file is hashed, and a touched but unchanged file is
 * still a hit.  Each file is stat'ed and hashed at most once per process
 * (filehash.c, a table shared by the scanning threads), because every TU
 * reads the same system headers.  A file whose name clang looked up but
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
 * The record is stored in a small binary form, not YAML: decoding it is
 * most of a warm run's work, and the binary form round-trips the struct
 * exactly, so a record from the cache prints the same bytes as a fresh
 * one.
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

struct cache {
	char *dir;
	unsigned char base[HASH_SIZE];  /* the key's per-process part */
	struct filehash *files;         /* what each file looks like */
	pthread_mutex_t lock;           /* for stats */
	struct cache_stats stats;
};

/* ---- the record in binary ---------------------------------------------- */

static void put_u32(struct strbuf *b, uint32_t v)
{
	char x[4] = {(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};
	sb_putn(b, x, 4);
}

static void put_u64(struct strbuf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_sig(struct strbuf *b, const struct filehash_sig *s)
{
	put_u64(b, (uint64_t)s->dev);
	put_u64(b, (uint64_t)s->ino);
	put_u64(b, (uint64_t)s->size);
	put_u64(b, (uint64_t)s->mtime.tv_sec);
	put_u32(b, (uint32_t)s->mtime.tv_nsec);
	put_u64(b, (uint64_t)s->ctime.tv_sec);
	put_u32(b, (uint32_t)s->ctime.tv_nsec);
}

static void put_str(struct strbuf *b, const char *s)
{
	if (!s) {
		put_u32(b, UINT32_MAX);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	sb_putn(b, s, n);
}

void cache_encode(struct strbuf *b, const struct scan_record *r)
{
	put_str(b, r->tu);
	put_u32(b, (uint32_t)r->nroots);
	for (size_t i = 0; i < r->nroots; i++) put_str(b, r->roots[i]);
	put_u32(b, (uint32_t)r->nfiles);
	for (size_t i = 0; i < r->nfiles; i++) {
		put_str(b, r->files[i].path);
		put_str(b, r->files[i].name);
		put_str(b, r->files[i].package);
	}
	put_u32(b, (uint32_t)r->ninits);
	for (size_t i = 0; i < r->ninits; i++) {
		put_str(b, r->inits[i].name);
		put_str(b, r->inits[i].file);
		put_u32(b, r->inits[i].line);
		put_u32(b, r->inits[i].col);
	}
	const struct scan_annot *lists[2] = {r->imports, r->packages};
	size_t counts[2] = {r->nimports, r->npackages};
	for (int k = 0; k < 2; k++) {
		put_u32(b, (uint32_t)counts[k]);
		for (size_t i = 0; i < counts[k]; i++) {
			put_str(b, lists[k][i].path);
			put_str(b, lists[k][i].file);
			put_u32(b, lists[k][i].line);
			put_u32(b, lists[k][i].col);
		}
	}
	put_u32(b, (uint32_t)r->nincludes);
	for (size_t i = 0; i < r->nincludes; i++) {
		put_str(b, r->includes[i].from);
		put_u32(b, r->includes[i].line);
		put_str(b, r->includes[i].to);
	}
	put_u32(b, (uint32_t)r->defines_main);
	put_str(b, r->defines_main ? r->main_at.file : NULL);
	put_u32(b, r->main_at.line);
	put_u32(b, r->main_at.col);
	put_u32(b, (uint32_t)r->ndeps);
	for (size_t i = 0; i < r->ndeps; i++) put_str(b, r->deps[i]);
}

/* A reader over untrusted bytes: every read is bounds-checked, and after
 * the first failure every read returns zero / NULL. */
struct cache_rd {
	const unsigned char *p, *end;
	int bad;
};

static uint32_t get_u32(struct cache_rd *d)
{
	if (d->bad || d->end - d->p < 4) {
		d->bad = 1;
		return 0;
	}
	uint32_t v = (uint32_t)d->p[0] | (uint32_t)d->p[1] << 8 |
		     (uint32_t)d->p[2] << 16 | (uint32_t)d->p[3] << 24;
	d->p += 4;
	return v;
}

static uint64_t get_u64(struct cache_rd *d)
{
	uint64_t lo = get_u32(d);
	return lo | (uint64_t)get_u32(d) << 32;
}

static void get_sig(struct cache_rd *d, struct filehash_sig *s)
{
	s->dev = (dev_t)get_u64(d);
	s->ino = (ino_t)get_u64(d);
	s->size = (off_t)get_u64(d);
	s->mtime.tv_sec = (time_t)get_u64(d);
	s->mtime.tv_nsec = (long)get_u32(d);
	s->ctime.tv_sec = (time_t)get_u64(d);
	s->ctime.tv_nsec = (long)get_u32(d);
}

/* A count of items that need at least min bytes each: never more than
 * the bytes left could hold, so a corrupt count cannot ask for a huge
 * allocation. */
static size_t get_count(struct cache_rd *d, size_t min)
{
	uint32_t n = get_u32(d);
	if (!d->bad && (size_t)(d->end - d->p) / min < n) d->bad = 1;
	return d->bad ? 0 : n;
}

static char *get_str(struct cache_rd *d, int nullable)
{
	uint32_t n = get_u32(d);
	if (d->bad) return NULL;
	if (n == UINT32_MAX && nullable) return NULL;
	if ((size_t)(d->end - d->p) < n || memchr(d->p, 0, n)) {
		d->bad = 1;
		return NULL;
	}
	char *s = xstrndup((const char *)d->p, n);
	d->p += n;
	return s;
}

int cache_decode(const void *buf, size_t len, struct scan_record *r)
{
	struct cache_rd d = {buf, (const unsigned char *)buf + len, 0};
	*r = (struct scan_record){0};
	r->tu = get_str(&d, 0);
	r->nroots = get_count(&d, 4);
	r->roots = xcalloc(r->nroots, sizeof *r->roots);
	for (size_t i = 0; i < r->nroots; i++) r->roots[i] = get_str(&d, 0);
	r->nfiles = get_count(&d, 12);
	r->files = xcalloc(r->nfiles, sizeof *r->files);
	for (size_t i = 0; i < r->nfiles; i++) {
		r->files[i].path = get_str(&d, 0);
		r->files[i].name = get_str(&d, 0);
		r->files[i].package = get_str(&d, 0);
	}
	r->ninits = get_count(&d, 16);
	r->inits = xcalloc(r->ninits, sizeof *r->inits);
	for (size_t i = 0; i < r->ninits; i++) {
		r->inits[i].name = get_str(&d, 0);
		r->inits[i].file = get_str(&d, 0);
		r->inits[i].line = get_u32(&d);
		r->inits[i].col = get_u32(&d);
	}
	struct scan_annot **lists[2] = {&r->imports, &r->packages};
	size_t *counts[2] = {&r->nimports, &r->npackages};
	for (int k = 0; k < 2; k++) {
		*counts[k] = get_count(&d, 16);
		*lists[k] = xcalloc(*counts[k], sizeof **lists[k]);
		for (size_t i = 0; i < *counts[k]; i++) {
			(*lists[k])[i].path = get_str(&d, 0);
			(*lists[k])[i].file = get_str(&d, 0);
			(*lists[k])[i].line = get_u32(&d);
			(*lists[k])[i].col = get_u32(&d);
		}
	}
	r->nincludes = get_count(&d, 12);
	r->includes = xcalloc(r->nincludes, sizeof *r->includes);
	for (size_t i = 0; i < r->nincludes; i++) {
		r->includes[i].from = get_str(&d, 0);
		r->includes[i].line = get_u32(&d);
		r->includes[i].to = get_str(&d, 0);
	}
	uint32_t dm = get_u32(&d);
	char *mainfile = get_str(&d, 1);
	r->main_at.line = get_u32(&d);
	r->main_at.col = get_u32(&d);
	r->ndeps = get_count(&d, 4);
	r->deps = xcalloc(r->ndeps, sizeof *r->deps);
	for (size_t i = 0; i < r->ndeps; i++) r->deps[i] = get_str(&d, 0);
	if (d.p != d.end || dm > 1 || !dm != !mainfile) d.bad = 1;
	r->defines_main = (int)dm;
	/* main_at.file points into the record, as record.c has it. */
	if (!d.bad && mainfile) {
		if (r->tu && !strcmp(mainfile, r->tu)) r->main_at.file = r->tu;
		for (size_t i = 0; i < r->nfiles && !r->main_at.file; i++)
			if (!strcmp(mainfile, r->files[i].path))
				r->main_at.file = r->files[i].path;
		if (!r->main_at.file) d.bad = 1;
	}
	free(mainfile);
	if (d.bad) {
		record_free(r);
		return -1;
	}
	return 0;
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
		if (access(p, F_OK) != 0)
			out_write_file(p, marks[i].text, strlen(marks[i].text));
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
	c->files = filehash_new();
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
		struct filehash_sig s;
		filehash_sig_of(&st, &s);
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
	filehash_free(c->files);
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

struct cache_stats cache_stats(const struct cache *c)
{
	if (!c) return (struct cache_stats){0};
	struct cache_stats s = c->stats;
	s.hashed = filehash_hashed(c->files);
	return s;
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
			  const struct filehash_file *f)
{
	put_str(b, path);
	sb_putn(b, (const char *)f->hash, HASH_SIZE);
	put_u32(b, (uint32_t)f->sig_safe);
	put_sig(b, &f->sig);
}

/* Is the next file of an entry as it was?  The same signature says so
 * without reading the file, when the signature was safe to trust; else
 * the contents are hashed: a touched but unchanged file is still the
 * same. */
static int cache_dep_same(struct cache *c, struct cache_rd *d)
{
	char *dep = get_str(d, 0);
	unsigned char hash[HASH_SIZE];
	if (!d->bad && (size_t)(d->end - d->p) >= HASH_SIZE) {
		memcpy(hash, d->p, HASH_SIZE);
		d->p += HASH_SIZE;
	} else {
		d->bad = 1;
	}
	uint32_t safe = get_u32(d);
	struct filehash_sig sig;
	get_sig(d, &sig);
	int same = 0;
	if (!d->bad && safe) {
		struct filehash_file f = filehash_get(c->files, dep, 0);
		same = f.stat_exists && filehash_sig_same(&f.now, &sig);
	}
	if (!d->bad && !same) {
		struct filehash_file f = filehash_get(c->files, dep, 1);
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
	unsigned char *buf = (unsigned char *)file_read(path, &len);
	if (!buf) {
		cache_count(c, &c->stats.misses);
		free(path);
		return 0;
	}
	const char *why = NULL;
	if (len < CACHE_HEAD + 4 + CACHE_SUM) {
		why = "it is truncated";
	} else {
		struct cache_rd t = {buf + len - CACHE_SUM, buf + len, 0};
		if (get_u64(&t) != hash_check64(buf, len - CACHE_SUM))
			why = "its checksum does not match";
		else if (memcmp(buf, CACHE_MAGIC, CACHE_HEAD - 4))
			why = "it is not a pkginit cache entry";
	}
	struct cache_rd d = {buf + CACHE_HEAD - 4, buf + len - CACHE_SUM, 0};
	if (!why && get_u32(&d) != CACHE_VERSION)
		why = "it has another format version";
	int stale = 0;
	if (!why) {
		size_t n = get_count(&d, CACHE_DEP_MIN);
		for (size_t i = 0; i < n && !d.bad && !stale; i++)
			stale = !cache_dep_same(c, &d);
		if (d.bad) why = "its list of files is damaged";
	}
	int hit = 0;
	if (!why && !stale) {
		if (cache_decode(d.p, (size_t)(d.end - d.p), r) == 0) hit = 1;
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
	put_u32(&b, CACHE_VERSION);
	put_u32(&b, (uint32_t)r->ndeps);
	for (size_t i = 0; i < r->ndeps; i++) {
		struct filehash_file f = filehash_get(c->files, r->deps[i], 1);
		struct stat st;
		struct filehash_sig now;
		int ok = f.exists && stat(r->deps[i], &st) == 0;
		if (ok) filehash_sig_of(&st, &now);
		/* Changed since hashed, or possibly during the scan: the
		 * record may not match the hash.  Leave it uncached. */
		if (!ok || !filehash_sig_same(&now, &f.sig) ||
		    !filehash_before(now.mtime, started)) {
			sb_free(&b);
			cache_count(c, &c->stats.unstable);
			return;
		}
		cache_put_dep(&b, r->deps[i], &f);
	}
	cache_encode(&b, r);
	put_u64(&b, hash_check64(b.buf, b.len));

	char *path = cache_entry_path(c, key);
	char *dir = path_dir(path);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		/* Not worth failing the run for: the scan is done. */
		free(dir);
		free(path);
		sb_free(&b);
		return;
	}
	struct out o;
	if (out_open(&o, path) == 0) {
		o.no_sync = 1;
		fwrite(b.buf, 1, b.len, o.fp);
		if (out_commit(&o) == 0) cache_count(c, &c->stats.stored);
	}
	free(dir);
	free(path);
	sb_free(&b);
}
