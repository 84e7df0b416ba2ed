/*
 * test_cache.c - the scan cache: SHA-256 and XXH64 against known values,
 * the record's binary form (exact round trip, and no crash on any damaged
 * input), and the cache itself: a hit gives the same record, a changed
 * header or flag misses, a corrupt or truncated entry is discarded and
 * reported, a file changed during the scan is not stored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"
#include "testutil.h"

static void expect_sha(const void *data, size_t n, const char *hex)
{
	unsigned char d[HASH_SIZE];
	char got[2 * HASH_SIZE + 1];
	hash_buf(data, n, d);
	hash_hex(d, got);
	assert_string_equal(got, hex);
}

static void test_hashes(void **state)
{
	(void)state;
	/* FIPS 180-4 examples. */
	expect_sha("", 0,
		   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect_sha("abc", 3,
		   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	expect_sha(two, strlen(two),
		   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	expect_sha(million, 1000000,
		   "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* Fed in pieces of every size across block boundaries. */
	unsigned char whole[HASH_SIZE], parts[HASH_SIZE];
	hash_buf(million, 1000, whole);
	for (size_t step = 1; step < 130; step++) {
		struct hash_ctx h;
		hash_init(&h);
		for (size_t off = 0; off < 1000; off += step)
			hash_update(&h, million + off, off + step > 1000 ? 1000 - off : step);
		hash_final(&h, parts);
		assert_memory_equal(whole, parts, HASH_SIZE);
	}
	free(million);
	/* Lists of strings hash unambiguously. */
	struct hash_ctx a, b;
	hash_init(&a);
	hash_str(&a, "ab");
	hash_str(&a, "c");
	hash_init(&b);
	hash_str(&b, "a");
	hash_str(&b, "bc");
	hash_final(&a, whole);
	hash_final(&b, parts);
	assert_memory_not_equal(whole, parts, HASH_SIZE);

	/* XXH64, seed 0, against the reference implementation's values. */
	assert_true(hash_check64("", 0) == 0xef46db3751d8e999ull);
	assert_true(hash_check64("a", 1) == 0xd24ec4f1a98c6e5bull);
	assert_true(hash_check64("abc", 3) == 0x44bc2cf5ad770999ull);
	const char *fox = "The quick brown fox jumps over the lazy dog";
	assert_true(hash_check64(fox, strlen(fox)) == 0x0b242d361fda71bcull);
}

/* What `pkginit scan` writes for r (record.c's record_text). */
static char *text_of(const struct scan_record *r)
{
	struct strbuf b = {0};
	record_text(&b, r);
	sb_putc(&b, 0);
	return sb_detach(&b);
}

/* A project with every kind of fact a record holds, under dir, and the
 * options to scan its a/a.c. */
struct project {
	const char *roots[1];
	char *inc, *idir;
	const char *args[2];
	struct scan_opts o;
};

static void project_init(struct project *pj, const char *dir)
{
	char *p;
#define W(rel, text) (p = xasprintf("%s/%s", dir, rel), tu_write(p, text), tu_age(p), free(p))
	W("b/b.h", "#ifndef B_H\n#define B_H\n#include <stddef.h>\nint b(void);\n#endif\n");
	W("c/c.h", "void c(void);\n");
	W("a/a.c", "#include <pkginit.h>\n#include \"b/b.h\"\n#include \"c/c.h\"\n"
		   "PKG_IMPORT(\"c\");\nPKG_PACKAGE(\"a2\");\n"
		   "PKG_INIT void a_init(void) {}\nint main(void) { return 0; }\n");
#undef W
	pj->roots[0] = dir;
	pj->inc = xasprintf("-I%s/runtime/include", tu_top);
	pj->idir = xasprintf("-I%s", dir);
	pj->args[0] = pj->inc;
	pj->args[1] = pj->idir;
	pj->o = (struct scan_opts){.roots = pj->roots, .nroots = 1,
				   .args = pj->args, .nargs = 2};
}

static void project_free(struct project *pj)
{
	free(pj->inc);
	free(pj->idir);
}

static void test_binary_form(void **state)
{
	(void)state;
	struct project pj;
	project_init(&pj, "bin");
	const struct scan_opts o = pj.o;
	struct scan_record r, back;
	assert_int_equal(scan_tu("bin/a/a.c", &o, &r), 0);
	assert_int_equal(r.ninits, 1);
	assert_int_equal(r.nimports, 1);
	assert_int_equal(r.npackages, 1);
	assert_true(r.defines_main);
	struct strbuf b = {0};
	record_encode(&b, &r);
	assert_int_equal(record_decode(b.buf, b.len, &back), 0);
	char *t1 = text_of(&r), *t2 = text_of(&back);
	assert_string_equal(t1, t2);
	assert_ptr_equal(back.main_at.file, back.tu);

	/* An init function that returns int keeps its kind through the
	 * binary form. */
	r.inits[0].returns_int = 1;
	struct strbuf bi = {0};
	struct scan_record backi;
	record_encode(&bi, &r);
	assert_int_equal(record_decode(bi.buf, bi.len, &backi), 0);
	assert_int_equal(backi.inits[0].returns_int, 1);
	char *ti = text_of(&backi);
	assert_non_null(strstr(ti, ", returns: int}\n"));
	free(ti);
	record_free(&backi);
	sb_free(&bi);
	r.inits[0].returns_int = 0;

	/* Every truncation, and every single flipped byte, is refused or
	 * decodes to something; never a crash or an out-of-bounds read
	 * (run under valgrind to see the second). */
	for (size_t n = 0; n < b.len; n++) {
		struct scan_record x;
		assert_int_equal(record_decode(b.buf, n, &x), -1);
	}
	for (size_t i = 0; i < b.len; i++) {
		struct scan_record x;
		char *copy = xmalloc(b.len);
		memcpy(copy, b.buf, b.len);
		copy[i] ^= 0x5a;
		if (record_decode(copy, b.len, &x) == 0) record_free(&x);
		free(copy);
	}
	free(t1);
	free(t2);
	sb_free(&b);
	record_free(&r);
	record_free(&back);
	project_free(&pj);
}

/* A cache as a new process opens it, with a new table of what files
 * look like (inputs.c's io->files); one at a time. */
static struct filehash *test_files;

static struct cache *copen(const char *dir)
{
	assert_null(test_files);
	test_files = filehash_new();
	struct cache *c = cache_open(dir, test_files);
	if (!c) {
		filehash_free(test_files);
		test_files = NULL;
	}
	return c;
}

static void cclose(struct cache *c)
{
	cache_close(c);
	filehash_free(test_files);
	test_files = NULL;
}

/* Scan through the cache as inputs.c does; *hit says whether it came
 * from the cache. */
static int scan_cached(struct cache *c, const char *file,
		       const struct scan_opts *o, struct scan_record *r,
		       int *hit)
{
	unsigned char key[HASH_SIZE];
	cache_key(c, file, o, key);
	*hit = cache_get(c, key, r, NULL);
	if (*hit) return 0;
	struct timespec started;
	clock_gettime(CLOCK_REALTIME_COARSE, &started);
	int rc = scan_tu(file, o, r);
	if (!rc) cache_put(c, key, r, NULL, started);
	return rc;
}

static char *entry_of(struct cache *c, const char *dir, const char *file,
		      const struct scan_opts *o)
{
	unsigned char key[HASH_SIZE];
	char hex[2 * HASH_SIZE + 1];
	cache_key(c, file, o, key);
	hash_hex(key, hex);
	return xasprintf("%s/%.2s/%s", dir, hex, hex + 2);
}

static void test_hit_and_miss(void **state)
{
	(void)state;
	struct project pj;
	project_init(&pj, "hm");
	const struct scan_opts o = pj.o;
	struct cache *c = copen("hm-cache");
	assert_non_null(c);
	assert_int_equal(access("hm-cache/CACHEDIR.TAG", F_OK), 0);
	assert_int_equal(access("hm-cache/.gitignore", F_OK), 0);

	struct scan_record cold, warm;
	int hit;
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o, &cold, &hit), 0);
	assert_false(hit);
	assert_int_equal(cache_stats(c).stored, 1);
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o, &warm, &hit), 0);
	assert_true(hit);
	char *t1 = text_of(&cold), *t2 = text_of(&warm);
	assert_string_equal(t1, t2);
	free(t2);
	record_free(&warm);

	/* What `pkginit scan` asks for: the YAML as stored, and of the
	 * struct only the TU and the files it read, nothing decoded. */
	unsigned char key[HASH_SIZE];
	cache_key(c, "hm/a/a.c", &o, key);
	struct strbuf text = {0};
	assert_int_equal(cache_get(c, key, &warm, &text), 1);
	assert_int_equal(text.len, strlen(t1));
	assert_string_equal(text.buf, t1);
	assert_string_equal(warm.tu, cold.tu);
	assert_int_equal(warm.ndeps, cold.ndeps);
	for (size_t i = 0; i < cold.ndeps; i++)
		assert_string_equal(warm.deps[i], cold.deps[i]);
	assert_int_equal(warm.nfiles, 0);
	assert_int_equal(warm.ninits, 0);
	record_free(&warm);
	/* Appended to a text that has bytes already. */
	sb_puts(&text, "#");
	struct strbuf again = {0};
	sb_puts(&again, "#");
	assert_int_equal(cache_get(c, key, &warm, &again), 1);
	assert_int_equal(again.len, 1 + strlen(t1));
	assert_memory_equal(again.buf + 1, t1, strlen(t1));
	record_free(&warm);
	sb_free(&again);
	sb_free(&text);
	/* A text the caller printed already is stored as it is. */
	struct timespec now_ts;
	clock_gettime(CLOCK_REALTIME_COARSE, &now_ts);
	struct strbuf given = {0};
	sb_puts(&given, t1);
	cache_put(c, key, &cold, &given, now_ts);
	sb_free(&given);
	assert_int_equal(cache_get(c, key, &warm, &text), 1);
	assert_string_equal(text.buf, t1);
	record_free(&warm);
	sb_free(&text);
	assert_int_equal(cache_get(c, key, &warm, NULL), 1);
	t2 = text_of(&warm);
	assert_string_equal(t1, t2);
	free(t2);
	record_free(&warm);
	cclose(c);

	/* A new process (a new table of file hashes) after a header's
	 * contents changed: a miss, then a hit again. */
	tu_write("hm/c/c.h", "void c(void);\nvoid c2(void);\n");
	/* A file changed in the clock tick in which it is hashed is not
	 * trusted by its signature later (see cache.c): let the tick pass,
	 * as it has for files saved before any real scan. */
	tu_age("hm/c/c.h");
	usleep(20000);
	c = copen("hm-cache");
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o, &warm, &hit), 0);
	assert_false(hit);
	record_free(&warm);
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o, &warm, &hit), 0);
	assert_true(hit);
	record_free(&warm);
	cclose(c);

	/* Files whose signature did not change are not read again. */
	c = copen("hm-cache");
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o, &warm, &hit), 0);
	assert_true(hit);
	assert_int_equal(cache_stats(c).hashed, 0);
	record_free(&warm);
	cclose(c);

	/* Touching a file without changing it is no change: that one
	 * file is read and hashed, and the entry still holds. */
	c = copen("hm-cache");
	struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
	assert_int_equal(utimensat(AT_FDCWD, "hm/b/b.h", now, 0), 0);
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o, &warm, &hit), 0);
	assert_true(hit);
	assert_int_equal(cache_stats(c).hashed, 1);
	record_free(&warm);

	/* Another flag is another key. */
	const char *args2[] = {pj.inc, pj.idir, "-DX=1"};
	struct scan_opts o2 = o;
	o2.args = args2;
	o2.nargs = 3;
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o2, &warm, &hit), 0);
	assert_false(hit);
	record_free(&warm);
	/* So are other roots, and pkginit.yaml's rules. */
	unsigned char k1[HASH_SIZE], k2[HASH_SIZE];
	cache_key(c, "hm/a/a.c", &o, k1);
	struct config cfg = {0};
	cfg.exclude = (char *[]){"c"};
	cfg.nexclude = 1;
	struct scan_opts o3 = o;
	o3.config = &cfg;
	cache_key(c, "hm/a/a.c", &o3, k2);
	assert_memory_not_equal(k1, k2, HASH_SIZE);
	const char *roots2[] = {"."};
	o3 = o;
	o3.roots = roots2;
	cache_key(c, "hm/a/a.c", &o3, k2);
	assert_memory_not_equal(k1, k2, HASH_SIZE);

	/* A deleted header misses (and the scan then fails, as the
	 * compiler would). */
	assert_int_equal(rename("hm/c/c.h", "hm/c/c.h.away"), 0);
	cclose(c);
	c = copen("hm-cache");
	tu_capture_begin();
	assert_int_equal(scan_cached(c, "hm/a/a.c", &o, &warm, &hit), EXIT_INPUT);
	tu_captured();
	assert_false(hit);
	assert_int_equal(rename("hm/c/c.h.away", "hm/c/c.h"), 0);
	cclose(c);
	free(t1);
	record_free(&cold);
	project_free(&pj);
}

static void test_corrupt(void **state)
{
	(void)state;
	struct project pj;
	project_init(&pj, "co");
	const struct scan_opts o = pj.o;
	struct cache *c = copen("co-cache");
	struct scan_record r;
	int hit;
	assert_int_equal(scan_cached(c, "co/a/a.c", &o, &r, &hit), 0);
	char *want = text_of(&r);
	record_free(&r);
	char *entry = entry_of(c, "co-cache", "co/a/a.c", &o);
	size_t len;
	char *good = file_read(entry, &len);
	assert_non_null(good);

	static const struct {
		const char *what;
		size_t cut;             /* keep this many bytes, or 0 */
		size_t flip;            /* flip the byte at len - flip, or 0 */
		const char *why;
	} cases[] = {
		{"one byte changed", 0, 100, "its checksum does not match"},
		{"the checksum changed", 0, 1, "its checksum does not match"},
		{"truncated", 10, 0, "it is truncated"},
		{"cut in the middle", 300, 0, "its checksum does not match"},
		{"empty", 0, 0, "it is truncated"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = cases[i].cut ? cases[i].cut : cases[i].flip ? len : 0;
		char *bad = xmalloc(len);
		memcpy(bad, good, len);
		if (cases[i].flip) bad[len - cases[i].flip] ^= 1;
		assert_int_equal(out_write_file(entry, bad, n), 0);
		free(bad);
		tu_capture_begin();
		assert_int_equal(scan_cached(c, "co/a/a.c", &o, &r, &hit), 0);
		char *msg = xasprintf("%s: warning: discarding a corrupt scan cache "
				      "entry (%s); scanning again\n", entry,
				      cases[i].why);
		const char *got = tu_captured();
		if (strcmp(got, msg)) fail_msg("%s: %s", cases[i].what, got);
		char *msg2 = msg;
		assert_false(hit);
		char *text = text_of(&r);
		assert_string_equal(text, want);
		free(text);
		record_free(&r);
		/* The text-only lookup checks the same sum. */
		assert_int_equal(out_write_file(entry, good, len), 0);
		bad = xmalloc(len);
		memcpy(bad, good, len);
		if (cases[i].flip) bad[len - cases[i].flip] ^= 1;
		assert_int_equal(out_write_file(entry, bad, n), 0);
		free(bad);
		unsigned char key[HASH_SIZE];
		cache_key(c, "co/a/a.c", &o, key);
		struct strbuf t = {0};
		tu_capture_begin();
		assert_int_equal(cache_get(c, key, &r, &t), 0);
		if (strcmp(tu_captured(), msg2)) fail_msg("%s (text)", cases[i].what);
		assert_null(t.buf);
		assert_int_equal(scan_cached(c, "co/a/a.c", &o, &r, &hit), 0);
		record_free(&r);
		/* Rebuilt: the next lookup hits, silently. */
		tu_capture_begin();
		assert_int_equal(scan_cached(c, "co/a/a.c", &o, &r, &hit), 0);
		assert_string_equal(tu_captured(), "");
		assert_true(hit);
		record_free(&r);
		free(msg2);
	}
	assert_int_equal(cache_stats(c).corrupt, 10);
	free(good);
	free(entry);
	free(want);
	cclose(c);
	project_free(&pj);
}

static void test_changed_during_scan(void **state)
{
	(void)state;
	struct project pj;
	project_init(&pj, "ch");
	const struct scan_opts o = pj.o;
	struct cache *c = copen("ch-cache");
	unsigned char key[HASH_SIZE];
	cache_key(c, "ch/a/a.c", &o, key);
	struct scan_record r;
	assert_int_equal(scan_tu("ch/a/a.c", &o, &r), 0);
	/* A header saved after the scan started: not stored. */
	struct timespec started = {1000000000 - 1, 0};
	cache_put(c, key, &r, NULL, started);
	assert_int_equal(cache_stats(c).stored, 0);
	assert_int_equal(cache_stats(c).unstable, 1);
	struct scan_record r2;
	assert_int_equal(cache_get(c, key, &r2, NULL), 0);
	/* Saved before: stored. */
	clock_gettime(CLOCK_REALTIME_COARSE, &started);
	cache_put(c, key, &r, NULL, started);
	assert_int_equal(cache_stats(c).stored, 1);
	assert_int_equal(cache_get(c, key, &r2, NULL), 1);
	record_free(&r2);
	record_free(&r);
	cclose(c);
	project_free(&pj);
}

static void test_unusable_dir(void **state)
{
	(void)state;
	tu_write("notadir", "x");
	tu_capture_begin();
	assert_null(copen("notadir/cache"));
	assert_string_equal(tu_captured(), "pkginit: warning: cannot use "
			    "'notadir/cache' as the scan cache (Not a directory); "
			    "scanning without it\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_binary_form),
		cmocka_unit_test(test_hit_and_miss),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_changed_during_scan),
		cmocka_unit_test(test_unusable_dir),
	};
	return cmocka_run_group_tests_name("cache", tests, tu_setup_dir, tu_teardown_dir);
}
