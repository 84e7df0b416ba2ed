/*
 * cache.c - the scan cache: a scan record is a pure function of the
 * compile command and of the bytes of every file the TU read, so it is
 * stored under a hash of those and handed back instead of parsing again.
 *
 * Key.  An entry's name is the SHA-256 of everything that shapes the
 * record except file contents: the cache format, pkginit's version and
 * this executable's identity (a rebuilt pkginit may scan differently),
 * libclang's identity (its file's signature: a hit must not load it),
 * the current directory (records hold paths relative to it), the
 * environment variables clang reads include paths from, the
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
 * The record is stored twice, for the two kinds of caller.  `gen`,
 * `link` and `check` scanning .c files want the struct: its binary form
 * (record_encode in record.c, beside the YAML one) decodes it exactly,
 * several times faster than YAML would.  `pkginit scan` wants the
 * record file: the entry also holds the YAML bytes (record_text), with
 * the TU's name before them, and a scan answered by the cache copies
 * them out without decoding anything.  Decoding and printing again were
 * 2.5M of the 3.9M instructions of a warm scan of Open vSwitch's
 * lib/netdev-dummy.c (callgrind; spec/performance.md).  The YAML is
 * printed once, when the entry is stored, about 1 % of the parse it
 * follows.
 *
 * Layout: "PKGINITC", the version, the files (path, hash, whether the
 * signature is safe, signature), the TU, the YAML, the binary record,
 * the checksum.
 */
#include "tool.h"

#include "libclang.h"

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
#define CACHE_VERSION   6u      /* 4: inits carry returns_int; 5: function facts,
				   PKG_AFTER; 6: the TU and the YAML text */

struct cache {
	char *dir;
	unsigned char base[HASH_SIZE];  /* the key's per-process part */
	struct filehash *files;         /* what each file looks like */
	pthread_mutex_t lock;           /* for stats */
	struct cache_stats stats;
	int write_warned;       /* "cannot write" was said */
	int warning;            /* a thread writes that may say it */
};

/* ---- signatures in binary --------------------------------------------- */

static void put_sig(struct strbuf *b, const struct filehash_sig *s)
{
	bin_put_u64(b, (uint64_t)s->dev);
	bin_put_u64(b, (uint64_t)s->ino);
	bin_put_u64(b, (uint64_t)s->size);
	bin_put_u64(b, (uint64_t)s->mtime.tv_sec);
	bin_put_u32(b, (uint32_t)s->mtime.tv_nsec);
	bin_put_u64(b, (uint64_t)s->ctime.tv_sec);
	bin_put_u32(b, (uint32_t)s->ctime.tv_nsec);
}

static void get_sig(struct bin_rd *d, struct filehash_sig *s)
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
	/* Usually it is there: one stat, not a mkdir per component. */
	struct stat st;
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return access(dir, W_OK | X_OK) == 0 ? 0 : -1;
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
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) rc = -1;
	if (!rc && access(dir, W_OK | X_OK) != 0) rc = -1;
	return rc;
}

struct cache *cache_open(const char *dir, struct filehash *files)
{
	if (cache_mkdirs(dir) != 0) {
		diag_warning((struct loc){0}, "cannot use '%s' as the scan cache "
			     "(%s); scanning without it", dir, strerror(errno));
		return NULL;
	}
	cache_mark_dir(dir);
	struct cache *c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir);
	c->files = files;
	pthread_mutex_init(&c->lock, NULL);

	struct hash_ctx h;
	hash_init(&h);
	hash_str(&h, CACHE_MAGIC);
	char v[32];
	snprintf(v, sizeof v, "%u %d", CACHE_VERSION, PKGINIT_FORMAT);
	hash_str(&h, v);
	hash_str(&h, PKGINIT_VERSION);
	hash_file_id(&h, "/proc/self/exe");
	/* Not clang_getClangVersion(): a cache hit must not load libclang. */
	libclang_fingerprint(&h);
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
	/* A record with function facts is another record. */
	hash_str(&h, o->facts ? "facts" : "no facts");
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
	bin_put_str(b, path);
	sb_putn(b, (const char *)f->hash, HASH_SIZE);
	bin_put_u32(b, (uint32_t)f->sig_safe);
	put_sig(b, &f->sig);
}

/* Is the next file of an entry as it was?  The same signature says so
 * without reading the file, when the signature was safe to trust; else
 * the contents are hashed: a touched but unchanged file is still the
 * same. */
static int cache_dep_same(struct cache *c, struct bin_rd *d, char **path)
{
	char *dep = bin_str(d, 0);
	unsigned char hash[HASH_SIZE];
	bin_bytes(d, hash, HASH_SIZE);
	uint32_t safe = bin_u32(d);
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
	*path = dep;
	return same;
}

int cache_get(struct cache *c, const unsigned char key[HASH_SIZE],
	      struct scan_record *r, struct strbuf *text)
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
	char **deps = NULL;
	size_t ndeps = 0;
	if (!why) {
		size_t n = bin_count(&d, CACHE_DEP_MIN);
		deps = xcalloc(n ? n : 1, sizeof *deps);
		for (; ndeps < n && !d.bad && !stale; ndeps++)
			stale = !cache_dep_same(c, &d, &deps[ndeps]);
		if (d.bad) why = "its list of files is damaged";
	}
	int hit = 0;
	char *tu = NULL;
	const void *yaml = NULL;
	size_t nyaml = 0;
	if (!why && !stale) {
		tu = bin_str(&d, 0);
		yaml = bin_blob(&d, &nyaml);
		if (d.bad) why = "its record is damaged";
	}
	if (!why && !stale && text) {
		/* What `pkginit scan` needs besides the bytes: the TU and
		 * the files it read, for the depfile and the output check. */
		r->tu = tu;
		r->deps = deps;
		r->ndeps = ndeps;
		tu = NULL;
		deps = NULL;
		if (!text->buf) {
			/* The entry's buffer becomes the text: no second
			 * buffer of a record's size to fault in and copy. */
			memmove(buf, yaml, nyaml);
			buf[nyaml] = 0;
			*text = (struct strbuf){(char *)buf, nyaml, nyaml + 1};
			buf = NULL;
		} else {
			sb_putn(text, yaml, nyaml);
		}
		hit = 1;
	} else if (!why && !stale) {
		if (record_decode(d.p, (size_t)(d.end - d.p), r) == 0) hit = 1;
		else why = "its record is damaged";
	}
	free(tu);
	for (size_t i = 0; deps && i < ndeps; i++) free(deps[i]);
	free(deps);
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
	       const struct scan_record *r, const struct strbuf *text,
	       struct timespec started)
{
	struct strbuf b = {0};
	sb_putn(&b, CACHE_MAGIC, CACHE_HEAD - 4);
	bin_put_u32(&b, CACHE_VERSION);
	bin_put_u32(&b, (uint32_t)r->ndeps);
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
	bin_put_str(&b, r->tu);
	if (text) {
		bin_put_blob(&b, text->buf, text->len);
	} else {
		struct strbuf t = {0};
		record_text(&t, r);
		bin_put_blob(&b, t.buf, t.len);
		sb_free(&t);
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
	 * run's result does not depend on it.
	 * One thread at a time may be the one to say it; the others write
	 * quietly meanwhile. */
	struct out o;
	pthread_mutex_lock(&c->lock);
	enum out_report how = c->write_warned || c->warning ? OUT_QUIET : OUT_WARN;
	if (how == OUT_WARN) c->warning = 1;
	pthread_mutex_unlock(&c->lock);
	int rc = out_open_as(&o, path, how);
	if (!rc) {
		o.no_sync = 1;
		fwrite(b.buf, 1, b.len, o.fp);
		rc = out_commit(&o);
	}
	if (!rc) cache_count(c, &c->stats.stored);
	pthread_mutex_lock(&c->lock);
	if (rc && how == OUT_WARN) c->write_warned = 1;
	if (how == OUT_WARN) c->warning = 0;
	pthread_mutex_unlock(&c->lock);
	free(dir);
	free(path);
	sb_free(&b);
}
