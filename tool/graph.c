/*
 * graph.c - from scan records to packages and import edges.
 *
 * A package is a directory (spec/packages.md).  Every record lists the project
 * files its TU read, each with its directory package; the same header
 * shows up in many records, so files are merged by path first.  A
 * PKG_PACKAGE annotation moves the file it is in to another package.
 *
 * A program is a file that defines main; the graph is one program's
 * (--main chooses when there are several), and the TUs of other
 * programs' main files are left out, as they could not be linked into
 * it.  The package of main's file is renamed "main", as Go names the
 * package of a command main whatever its directory -- unless another
 * package imports that directory (src/util.h beside src/main.c): then
 * main's file alone is package main and the rest keeps its path, so that
 * library code never imports main (spec/packages.md, "Programs and the
 * main package").
 *
 * Imports come from two sources: a file of P that directly #includes a
 * file of Q, and PKG_IMPORT("Q") in a file of P.  One package usually has
 * the same import many times over (every TU sees the same headers), so all
 * occurrences are gathered, sorted by (importing file, line, target) and
 * the first occurrence of each target is kept.  That first-occurrence
 * order is what --order=import walks, the way Go <= 1.20 listed a
 * package's imports in source order, and the place it keeps is what
 * cycle diagnostics point at.
 *
 * Finally every package that main cannot reach gets an implicit import
 * from main (in byte order, after main's own imports), so main's init
 * functions run last and every package is initialized.
 *
 * Determinism: nothing depends on the order of the records.  Files are
 * numbered in byte order of their paths and packages in byte order of
 * theirs, so sorting on those numbers is sorting on the strings, and every
 * choice between two candidates picks the smaller one.
 *
 * Scale: 100,000 packages and a million edges, where the cost is cache
 * misses more than instructions.  Each path is hashed once, into a table
 * that keeps hashes beside keys; after that a record's paths are found by
 * binary search in its own sorted file list, and everything else compares
 * integers.  Edge occurrences are bucketed by importing package (a
 * counting sort) so only short per-package runs need sorting.  No
 * recursion: reachability and Tarjan's algorithm keep explicit stacks.
 * The graph's strings (package paths, init functions, the file of each
 * edge) are copied once per distinct string into large blocks that
 * graph_free releases together: a copy per edge meant a million small
 * allocations, a fifth of the time (measured with callgrind).
 */
#include "tool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE GRAPH_NONE

/* A project file, merged over every record that read it. */
struct gfile {
	const char *path;       /* borrowed from the records */
	const char *name;
	const char *dirpkg;     /* its directory package */
	const char *pkgname;    /* after PKG_PACKAGE */
	int conflict;           /* records disagree on name or package */
	size_t pkg;             /* package number, then final index */
	size_t first;           /* number in order of first sight */
};

/* Paths -> file numbers.  Open addressing that keeps each key's hash
 * beside it, so a probe that misses costs no visit to the string: with a
 * million lookups, cache misses are the cost. */
struct ftab {
	struct fslot {
		uint64_t hash;
		const char *path;
		size_t file;
		uint64_t meta;  /* hash of its (package, name) */
	} *slot;
	size_t cap, len;
};

/* One place that makes package `from` import package `to`. */
/* A million of these exist at once: 32-bit numbers keep one in 24 bytes
 * (graph_build refuses more than 2^32 - 1 files or packages).  The
 * importing package is the bucket it is in. */
struct occ {
	uint32_t to;            /* package */
	uint32_t file;          /* file number (byte order of paths) */
	uint32_t tofile;        /* the included file, or OCC_NONE */
	unsigned line, col;
	unsigned char kind;     /* enum edge_kind */
};
#define OCC_NONE UINT32_MAX

/* One candidate for main: a package defining main, at its first place. */
struct maincand {
	size_t pkg;             /* directory-level package number */
	size_t file;            /* the file that defines it */
	struct loc at;
};

struct gb {
	struct scan_record *recs;
	size_t nrecs;
	const struct graph_opts *opts;
	struct graph *g;
	unsigned nerr;

	struct gfile *files;
	size_t nfiles, capfiles;
	struct ftab fmap;       /* path -> file number */
	/* Each record's files as file numbers, and whether the record lists
	 * them sorted (records do): lookups from a record binary-search its
	 * own short, cache-warm list instead of hashing. */
	size_t **rfile;
	unsigned char *rsorted;

	const char **dirnames;  /* directory-level packages, byte order */
	size_t ndir;
	struct strmap dmap;     /* name -> directory-level number */
	size_t *remap;          /* directory-level number -> final index */
	size_t *fpkg;           /* file number -> package, compact for speed */
	size_t maindir;         /* directory-level number of main, or NONE */
	size_t mainfile;        /* the file that defines main, or NONE */
	unsigned char *skip;    /* per record: another program's main TU
				   (NULL when there is none) */
	unsigned char *dused;   /* per directory-level package: a record of
				   this program sees a file of it */
	/* The graph's copy of each file's path and name, made on first use. */
	const char **fpath, **fname;
	struct maincand *cands;
	size_t ncands, capcands;
	int quiet;              /* graph_programs: the warnings are
				   graph_build's to give */
};

static void gb_error(struct gb *b, struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void gb_error(struct gb *b, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_verror(at, fmt, ap);
	va_end(ap);
	b->nerr++;
}

/* Eight bytes at a time: hashing every path of every record is a tenth
 * of the time with a byte-at-a-time FNV. */
static uint64_t gb_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w = 0;
	const char *end = s + n;
	for (; end - s > 8; s += 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	/* The last 1..8 bytes: one load ending at the end, overlapping
	 * bytes already hashed, instead of a loop over the tail. */
	if (n >= 8) {
		memcpy(&w, end - 8, 8);
	} else {
		w = 0;
		for (; s < end; s++) w = w << 8 | (unsigned char)*s;
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return h | 1;                               /* 0 marks a free slot */
}

/* ---- the graph's strings ------------------------------------------------ */

struct graph_block {
	struct graph_block *next;
	size_t used, cap;
	char data[];
};

static char *graph_strdup(struct graph *g, const char *s)
{
	size_t n = strlen(s) + 1;
	struct graph_block *b = g->strings;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		b = xmalloc(sizeof *b + cap);
		*b = (struct graph_block){g->strings, 0, cap};
		g->strings = b;
	}
	char *p = b->data + b->used;
	memcpy(p, s, n);
	b->used += n;
	return p;
}

/* The slot of path (its own or the free one where it would go). */
static struct fslot *ftab_slot(const struct ftab *t, const char *path,
			       uint64_t h)
{
	size_t mask = t->cap - 1;
	for (size_t i = (size_t)(h ^ h >> 32) & mask;; i = (i + 1) & mask) {
		struct fslot *sl = &t->slot[i];
		if (!sl->hash) return sl;
		if (sl->hash == h && !strcmp(sl->path, path))
			return sl;
	}
}

static void ftab_grow(struct gb *b)
{
	struct ftab old = b->fmap;
	b->fmap.cap = old.cap ? old.cap * 2 : 1024;
	b->fmap.slot = xcalloc(b->fmap.cap, sizeof *b->fmap.slot);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.slot[i].hash) continue;
		size_t mask = b->fmap.cap - 1;
		size_t j = (size_t)(old.slot[i].hash ^ old.slot[i].hash >> 32) & mask;
		while (b->fmap.slot[j].hash) j = (j + 1) & mask;
		b->fmap.slot[j] = old.slot[i];
	}
	free(old.slot);
}

/* File number of a path anywhere in the project, or NONE. */
static size_t file_lookup(const struct gb *b, const char *path)
{
	if (!path || !b->fmap.cap) return NONE;
	struct fslot *sl = ftab_slot(&b->fmap, path, gb_hash(path));
	return sl->hash ? sl->file : NONE;
}

/* The same, for a path that record r mentions: usually one of its files. */
static size_t rec_file(const struct gb *b, size_t r, const char *path)
{
	const struct scan_record *rec = &b->recs[r];
	if (path && b->rsorted[r]) {
		size_t lo = 0, hi = rec->nfiles;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(rec->files[mid].path, path);
			if (!c) return b->rfile[r][mid];
			if (c < 0) lo = mid + 1;
			else hi = mid;
		}
	}
	return file_lookup(b, path);
}

/* Is record r another program's main TU? */
static int skipped(const struct gb *b, size_t r)
{
	return b->skip && b->skip[r];
}

static const char *copy_path(struct gb *b, size_t f)
{
	if (!b->fpath[f]) b->fpath[f] = graph_strdup(b->g, b->files[f].path);
	return b->fpath[f];
}

static const char *copy_name(struct gb *b, size_t f)
{
	if (!b->fname[f])
		b->fname[f] = b->files[f].name ? graph_strdup(b->g, b->files[f].name)
						: copy_path(b, f);
	return b->fname[f];
}

static int cmp_loc(struct loc a, struct loc b)
{
	int c = str_cmp(a.file, b.file);
	if (c) return c;
	if (a.line != b.line) return a.line < b.line ? -1 : 1;
	if (a.col != b.col) return a.col < b.col ? -1 : 1;
	return 0;
}

static int cmp_size(size_t a, size_t b) { return (a > b) - (a < b); }
static int cmp_uint(unsigned a, unsigned b) { return (a > b) - (a < b); }

/* ---- files --------------------------------------------------------------- */

static int cmp_gfile(const void *pa, const void *pb)
{
	return strcmp(((const struct gfile *)pa)->path,
		      ((const struct gfile *)pb)->path);
}

/* Merge every record's files by path and number them in byte order.  Two
 * records that disagree about a file (scanned with different --root) keep
 * the smaller (package, name) so the result does not depend on record
 * order, and the disagreement is worth a warning. */
static void collect_files(struct gb *b)
{
	size_t nr = b->nrecs ? b->nrecs : 1;
	b->rfile = xcalloc(nr, sizeof *b->rfile);
	b->rsorted = xcalloc(nr, 1);
	for (size_t r = 0; r < b->nrecs; r++) {
		const struct scan_record *rec = &b->recs[r];
		b->rfile[r] = xmalloc((rec->nfiles ? rec->nfiles : 1) *
				      sizeof *b->rfile[r]);
		b->rsorted[r] = 1;
		for (size_t i = 0; i < rec->nfiles; i++) {
			const struct scan_file *f = &rec->files[i];
			if (i && strcmp(rec->files[i - 1].path, f->path) >= 0)
				b->rsorted[r] = 0;
			if ((b->fmap.len + 1) * 2 > b->fmap.cap) ftab_grow(b);
			uint64_t h = gb_hash(f->path);
			uint64_t meta = gb_hash(f->package ? f->package : "") * 31 +
					gb_hash(f->name ? f->name : "");
			struct fslot *sl = ftab_slot(&b->fmap, f->path, h);
			if (!sl->hash) {
				struct gfile nf = {
					.path = f->path, .name = f->name,
					.dirpkg = f->package, .first = b->nfiles,
				};
				VEC_PUSH(b->files, b->nfiles, b->capfiles, nf);
				*sl = (struct fslot){h, f->path, b->nfiles - 1, meta};
				b->fmap.len++;
			}
			b->rfile[r][i] = sl->file;
			/* Agreeing copies, the rule, are told by the hash alone:
			 * b->files is too big to visit for each of them. */
			if (sl->meta == meta) continue;
			struct gfile *old = &b->files[sl->file];
			int cp = str_cmp(f->package, old->dirpkg);
			int cn = str_cmp(f->name, old->name);
			if (!cp && !cn) continue;
			old->conflict = 1;
			if (cp < 0 || (!cp && cn < 0)) {
				old->dirpkg = f->package;
				old->name = f->name;
			}
		}
	}

	/* Until now files were numbered in order of first sight; number
	 * them in byte order of their paths, and renumber the table and the
	 * records' lists. */
	size_t n = b->nfiles ? b->nfiles : 1;
	size_t *slot_of = xmalloc(n * sizeof *slot_of);
	for (size_t i = 0; i < b->fmap.cap; i++)
		if (b->fmap.slot[i].hash) slot_of[b->fmap.slot[i].file] = i;
	if (b->nfiles)
		qsort(b->files, b->nfiles, sizeof *b->files, cmp_gfile);
	size_t *renum = xmalloc(n * sizeof *renum);
	for (size_t i = 0; i < b->nfiles; i++) {
		renum[b->files[i].first] = i;
		b->fmap.slot[slot_of[b->files[i].first]].file = i;
	}
	for (size_t r = 0; r < b->nrecs; r++)
		for (size_t i = 0; i < b->recs[r].nfiles; i++)
			b->rfile[r][i] = renum[b->rfile[r][i]];
	free(renum);
	free(slot_of);

	for (size_t i = 0; i < b->nfiles; i++) {
		struct gfile *f = &b->files[i];
		f->pkgname = f->dirpkg;
		if (f->conflict && !b->quiet)
			diag_warning((struct loc){f->path, 0, 0},
				     "records disagree about this file; using "
				     "package '%s' (were they scanned with the "
				     "same --root?)", f->dirpkg);
	}
}

/* ---- PKG_PACKAGE ---------------------------------------------------------- */

struct annot_ref {
	const struct scan_annot *a;
	size_t file;
};

static int cmp_annot_ref(const void *pa, const void *pb)
{
	const struct annot_ref *x = pa, *y = pb;
	int c = cmp_size(x->file, y->file);
	if (!c) c = cmp_uint(x->a->line, y->a->line);
	if (!c) c = cmp_uint(x->a->col, y->a->col);
	if (!c) c = str_cmp(x->a->path, y->a->path);
	return c;
}

static int annot_same(const struct annot_ref *x, const struct annot_ref *y)
{
	return cmp_annot_ref(x, y) == 0;
}

static struct loc annot_loc(const struct gb *b, const struct annot_ref *r)
{
	return (struct loc){b->files[r->file].path, r->a->line, r->a->col};
}

/* Gather PKG_IMPORT (imports) or PKG_PACKAGE (!imports) annotations in
 * project files, sorted by place and without the copies other records
 * hold of the same header. */
static struct annot_ref *collect_annots(struct gb *b, int imports, size_t *n)
{
	struct annot_ref *v = NULL;
	size_t len = 0, cap = 0;
	for (size_t r = 0; r < b->nrecs; r++) {
		/* PKG_PACKAGE belongs to the file, whoever reads it; an
		 * import counts in this program's TUs only. */
		if (imports && skipped(b, r)) continue;
		const struct scan_record *rec = &b->recs[r];
		const struct scan_annot *a = imports ? rec->imports : rec->packages;
		size_t na = imports ? rec->nimports : rec->npackages;
		for (size_t i = 0; i < na; i++) {
			size_t f = rec_file(b, r, a[i].file);
			if (f == NONE) continue;   /* outside every root */
			struct annot_ref ref = {&a[i], f};
			VEC_PUSH(v, len, cap, ref);
		}
	}
	if (len) qsort(v, len, sizeof *v, cmp_annot_ref);
	size_t out = 0;
	for (size_t i = 0; i < len; i++)
		if (!out || !annot_same(&v[out - 1], &v[i])) v[out++] = v[i];
	*n = out;
	return v;
}

static void apply_packages(struct gb *b)
{
	size_t n;
	struct annot_ref *v = collect_annots(b, 0, &n);
	size_t first = 0;
	for (size_t i = 0; i < n; i++) {
		if (!i || v[i].file != v[i - 1].file) {
			first = i;
			b->files[v[i].file].pkgname = v[i].a->path;
			continue;
		}
		if (!strcmp(v[i].a->path, v[first].a->path)) continue;
		gb_error(b, annot_loc(b, &v[i]),
			 "PKG_PACKAGE(\"%s\") conflicts with the earlier "
			 "PKG_PACKAGE(\"%s\") in this file",
			 v[i].a->path, v[first].a->path);
		diag_note(annot_loc(b, &v[first]), "earlier PKG_PACKAGE is here");
	}
	free(v);
}

/* ---- packages and main --------------------------------------------------- */

static int cmp_strp_raw(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void collect_dirpkgs(struct gb *b)
{
	size_t cap = 0;
	const char *prev = NULL;
	for (size_t i = 0; i < b->nfiles; i++) {
		/* Files in byte order come in runs of one directory. */
		const char *p = b->files[i].pkgname;
		if (prev && !strcmp(prev, p)) continue;
		prev = p;
		if (strmap_get(&b->dmap, p, NULL)) continue;
		strmap_put(&b->dmap, p, 0);
		VEC_PUSH(b->dirnames, b->ndir, cap, p);
	}
	if (b->ndir)
		qsort(b->dirnames, b->ndir, sizeof *b->dirnames, cmp_strp_raw);
	for (size_t i = 0; i < b->ndir; i++) strmap_put(&b->dmap, b->dirnames[i], i);
	size_t d = 0;
	prev = NULL;
	for (size_t i = 0; i < b->nfiles; i++) {
		const char *p = b->files[i].pkgname;
		if (!prev || strcmp(prev, p)) strmap_get(&b->dmap, p, &d);
		prev = p;
		b->files[i].pkg = d;
	}
}

static int cmp_cand(const void *pa, const void *pb)
{
	const struct maincand *x = pa, *y = pb;
	int c = cmp_size(x->pkg, y->pkg);
	if (!c) c = cmp_size(x->file, y->file);
	return c ? c : cmp_loc(x->at, y->at);
}

/* The file a record defines main in: where main is, else the TU; NONE
 * for a TU outside every root. */
static size_t main_file_of(const struct gb *b, size_t r)
{
	const struct scan_record *rec = &b->recs[r];
	size_t f = rec_file(b, r, rec->main_at.file);
	return f != NONE ? f : rec_file(b, r, rec->tu);
}

/* Every file that defines main, each at its first definition: one
 * program each. */
static void collect_mains(struct gb *b)
{
	for (size_t r = 0; r < b->nrecs; r++) {
		const struct scan_record *rec = &b->recs[r];
		if (!rec->defines_main) continue;
		size_t f = main_file_of(b, r);
		if (f == NONE) continue;        /* a TU outside every root */
		struct loc at = rec->main_at;
		if (!at.file) at = (struct loc){rec->tu, 0, 0};
		struct maincand c = {b->files[f].pkg, f, at};
		VEC_PUSH(b->cands, b->ncands, b->capcands, c);
	}
	if (b->ncands) qsort(b->cands, b->ncands, sizeof *b->cands, cmp_cand);
	size_t out = 0;
	for (size_t i = 0; i < b->ncands; i++)
		if (!out || b->cands[out - 1].file != b->cands[i].file)
			b->cands[out++] = b->cands[i];
	b->ncands = out;
}

static void note_mains(const struct gb *b)
{
	for (size_t i = 0; i < b->ncands; i++)
		diag_note(b->cands[i].at, "main is defined in package '%s'",
			  b->dirnames[b->cands[i].pkg]);
}

/* Several candidates and nothing to choose between them: one error per
 * extra main, located at it, pointing back at the first, so the reader
 * sees every place that needs a decision.  first..end is the range of
 * candidates in question. */
static void ambiguous_mains(struct gb *b, size_t first, size_t end)
{
	const struct maincand *c0 = &b->cands[first];
	const char *p0 = b->dirnames[c0->pkg];
	for (size_t i = first + 1; i < end; i++) {
		const struct maincand *c = &b->cands[i];
		if (c->pkg == c0->pkg)
			gb_error(b, c->at, "main defined twice in package '%s'", p0);
		else
			gb_error(b, c->at,
				 "main defined in package '%s' and in package '%s'",
				 p0, b->dirnames[c->pkg]);
		diag_note(c0->at, "main of package '%s' is defined here", p0);
	}
	diag_note((struct loc){0}, "use --main PATH to choose");
}

/* Which candidate is the program: --main names its file (as a path or a
 * root-relative name) or its package; without --main there must be one
 * file that defines main.  Returns the candidate or NONE. */
static size_t choose_main(struct gb *b)
{
	const struct graph_opts *o = b->opts;
	size_t chosen = NONE;
	if (!o || !o->main) {
		if (b->ncands == 1) chosen = 0;
		else if (b->ncands) ambiguous_mains(b, 0, b->ncands);
		else if (o && o->need_main)
			gb_error(b, (struct loc){0}, "no package defines main");
		return chosen;
	}
	char *want = path_normalize(o->main);
	size_t lo = NONE, hi = 0;      /* candidates in package `want` */
	for (size_t i = 0; i < b->ncands && chosen == NONE; i++) {
		const struct gfile *f = &b->files[b->cands[i].file];
		if (!strcmp(f->path, want) || (f->name && !strcmp(f->name, want)))
			chosen = i;
		if (!strcmp(b->dirnames[b->cands[i].pkg], want)) {
			if (lo == NONE) lo = i;
			hi = i + 1;
		}
	}
	/* "--main main" means the one main there is. */
	if (chosen == NONE && lo == NONE && !strcmp(want, "main")) {
		lo = 0;
		hi = b->ncands;
	}
	if (chosen == NONE && lo != NONE && hi - lo == 1) chosen = lo;
	if (chosen == NONE && lo != NONE && hi > lo) {
		ambiguous_mains(b, lo, hi);
	} else if (chosen == NONE) {
		size_t f = file_lookup(b, want);
		if (f != NONE)
			gb_error(b, (struct loc){0},
				 "--main %s: file '%s' does not define main",
				 o->main, b->files[f].path);
		else if (strmap_get(&b->dmap, want, NULL))
			gb_error(b, (struct loc){0},
				 "--main %s: package '%s' does not define main",
				 o->main, want);
		else
			gb_error(b, (struct loc){0},
				 "--main %s: no scanned file is in package '%s'",
				 o->main, want);
		note_mains(b);
	}
	free(want);
	return chosen;
}

/* The program is one file that defines main.  A TU that defines another
 * main belongs to another program (the two could not be linked
 * together), so its record is left out, and so is every package only
 * such records see. */
static void select_program(struct gb *b, size_t cand)
{
	b->dused = xmalloc(b->ndir + 1);
	memset(b->dused, cand == NONE, b->ndir + 1);
	if (cand == NONE) return;
	b->mainfile = b->cands[cand].file;
	b->maindir = b->cands[cand].pkg;
	for (size_t r = 0; r < b->nrecs; r++) {
		if (!b->recs[r].defines_main) continue;
		size_t f = main_file_of(b, r);
		if (f == NONE || f == b->mainfile) continue;
		if (!b->skip) b->skip = xcalloc(b->nrecs, 1);
		b->skip[r] = 1;
	}
	if (!b->skip) {         /* every record is this program's */
		memset(b->dused, 1, b->ndir + 1);
		return;
	}
	for (size_t r = 0; r < b->nrecs; r++) {
		if (b->skip[r]) continue;
		for (size_t i = 0; i < b->recs[r].nfiles; i++)
			b->dused[b->files[b->rfile[r][i]].pkg] = 1;
	}
}

/* The first of several places, by file number (byte order of paths),
 * line, column. */
struct first_at {
	size_t file;            /* NONE: none yet */
	unsigned line, col;
};

static void first_at_offer(struct first_at *a, size_t file, unsigned line,
			   unsigned col)
{
	if (a->file == NONE || file < a->file ||
	    (file == a->file && (line < a->line ||
				 (line == a->line && col < a->col))))
		*a = (struct first_at){file, line, col};
}

/* Does another package import main's directory?  Then main's file is
 * package main by itself and the rest of the directory keeps its name:
 * otherwise library code in main's directory (src/util.c beside
 * src/main.c, included by other packages) would import main, and every
 * package main does not reach would close a cycle through main's
 * implicit imports.  An import is an #include of a file of the directory
 * other than main's own, or PKG_IMPORT of the directory's path, in a file
 * of another package.  Fills *at with the first such import (file, line,
 * column) and returns 1, or returns 0. */
static int main_dir_imported(struct gb *b, struct loc *at)
{
	size_t m = b->maindir, others = 0;
	for (size_t f = 0; f < b->nfiles && !others; f++)
		others = f != b->mainfile && b->files[f].pkg == m;
	if (!others) return 0;  /* main's file is its directory: the rule */
	struct first_at first = {NONE, 0, 0};
	for (size_t r = 0; r < b->nrecs; r++) {
		if (skipped(b, r)) continue;
		const struct scan_record *rec = &b->recs[r];
		/* Only a record that read another file of main's directory
		 * can include one: most records are told apart by their file
		 * numbers, before any lookup by path (without this test the
		 * pass cost a fifth of graph_build at 10,000 packages,
		 * measured with callgrind). */
		int reads_m = 0;
		for (size_t i = 0; i < rec->nfiles && !reads_m; i++) {
			size_t f = b->rfile[r][i];
			reads_m = f != b->mainfile && b->files[f].pkg == m;
		}
		const char *prev = NULL;
		size_t ff = NONE;
		for (size_t i = 0; reads_m && i < rec->nincludes; i++) {
			const struct scan_include *in = &rec->includes[i];
			if (!i || str_cmp(prev, in->from)) ff = rec_file(b, r, in->from);
			prev = in->from;
			if (ff == NONE || b->files[ff].pkg == m) continue;
			size_t tf = rec_file(b, r, in->to);
			if (tf != NONE && tf != b->mainfile && b->files[tf].pkg == m)
				first_at_offer(&first, ff, in->line, 0);
		}
		for (size_t i = 0; i < rec->nimports; i++) {
			const struct scan_annot *a = &rec->imports[i];
			size_t af = rec_file(b, r, a->file);
			if (af != NONE && b->files[af].pkg != m &&
			    !strcmp(a->path, b->dirnames[m]))
				first_at_offer(&first, af, a->line, a->col);
		}
	}
	if (first.file == NONE) return 0;
	*at = (struct loc){copy_path(b, first.file), first.line, first.col};
	return 1;
}

/* Give main's file its own directory-level package when the rule asks
 * for it (main_dir_imported).  The new package keeps the directory's
 * path as its dir and is named main; the directory's own entry in dmap
 * goes on naming the rest. */
static void place_main(struct gb *b)
{
	struct graph *g = b->g;
	if (b->maindir == NONE) return;
	g->main_file = copy_path(b, b->mainfile);
	struct loc at;
	if (!main_dir_imported(b, &at)) return;
	if (!strcmp(b->dirnames[b->maindir], "main")) {
		struct maincand *c = b->cands;
		while (c->file != b->mainfile) c++;
		gb_error(b, c->at, "main needs a package of its own, but its "
			 "directory is package 'main', which other packages "
			 "import");
		diag_note(at, "package 'main' is imported here");
		diag_note(c->at, "move the file that defines main to another "
			  "directory, or rename the directory");
		return;
	}
	b->dirnames = xrealloc(b->dirnames, (b->ndir + 1) * sizeof *b->dirnames);
	b->dirnames[b->ndir] = b->dirnames[b->maindir];
	b->dused[b->ndir] = 1;
	b->files[b->mainfile].pkg = b->maindir = b->ndir++;
	g->main_alone = 1;
	g->main_alone_at = at;
}

static const char *final_name(const struct gb *b, size_t d)
{
	return d == b->maindir ? "main" : b->dirnames[d];
}

struct named { const char *name; size_t d; };

static int cmp_named(const void *pa, const void *pb)
{
	const struct named *x = pa, *y = pb;
	int c = strcmp(x->name, y->name);
	return c ? c : cmp_size(x->d, y->d);
}

/* Rename main, sort by final path, create g->pkgs and g->index.  A
 * directory-level package only other programs see is no package. */
static void make_packages(struct gb *b)
{
	struct graph *g = b->g;
	size_t d;
	if (b->maindir != NONE && strmap_get(&b->dmap, "main", &d) &&
	    d != b->maindir && b->dused[d]) {
		size_t f = 0;
		while (b->files[f].pkg != d) f++;   /* first file, byte order */
		gb_error(b, (struct loc){b->files[f].path, 0, 0},
			 "package 'main' has the name of the main package "
			 "(main is defined in package '%s')",
			 b->dirnames[b->maindir]);
		for (size_t i = 0; i < b->ncands; i++)
			if (b->cands[i].file == b->mainfile)
				diag_note(b->cands[i].at, "main is defined here");
	}
	/* Renaming main moves it, so sort again on the final paths. */
	struct named *perm = xmalloc((b->ndir ? b->ndir : 1) * sizeof *perm);
	size_t n = 0;
	for (size_t i = 0; i < b->ndir; i++)
		if (b->dused[i]) perm[n++] = (struct named){final_name(b, i), i};
	if (n) qsort(perm, n, sizeof *perm, cmp_named);
	b->remap = xmalloc((b->ndir ? b->ndir : 1) * sizeof *b->remap);
	for (size_t i = 0; i < b->ndir; i++) b->remap[i] = NONE;
	g->npkgs = n;
	g->pkgs = xcalloc(n ? n : 1, sizeof *g->pkgs);
	g->main = NONE;
	for (size_t i = 0; i < n; i++) {
		d = perm[i].d;
		b->remap[d] = i;
		g->pkgs[i].path = graph_strdup(g, final_name(b, d));
		g->pkgs[i].dir = graph_strdup(g, b->dirnames[d]);
		if (d == b->maindir) g->main = i;
	}
	for (size_t i = 0; i < n; i++)
		strmap_put(&g->index, g->pkgs[i].path, i);
	/* Files only other programs see get NONE; nothing asks for them. */
	b->fpkg = xmalloc((b->nfiles ? b->nfiles : 1) * sizeof *b->fpkg);
	for (size_t i = 0; i < b->nfiles; i++)
		b->fpkg[i] = b->files[i].pkg = b->remap[b->files[i].pkg];
	free(perm);
}
/* ---- init functions ------------------------------------------------------ */

struct init_ref {
	const struct scan_init *in;
	size_t file;
};

static int cmp_init_ref(const void *pa, const void *pb)
{
	const struct init_ref *x = pa, *y = pb;
	int c = strcmp(x->in->name, y->in->name);
	if (!c) c = cmp_size(x->file, y->file);
	if (!c) c = cmp_uint(x->in->line, y->in->line);
	if (!c) c = cmp_uint(x->in->col, y->in->col);
	return c;
}

static int cmp_init_fn(const void *pa, const void *pb)
{
	const struct init_fn *x = pa, *y = pb;
	int c = strcmp(x->fname, y->fname);
	if (!c) c = cmp_uint(x->line, y->line);
	if (!c) c = cmp_uint(x->col, y->col);
	if (!c) c = strcmp(x->name, y->name);
	return c;
}

static void collect_inits(struct gb *b)
{
	struct graph *g = b->g;
	struct init_ref *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t r = 0; r < b->nrecs; r++) {
		if (skipped(b, r)) continue;
		const struct scan_record *rec = &b->recs[r];
		for (size_t i = 0; i < rec->ninits; i++) {
			const struct scan_init *in = &rec->inits[i];
			size_t f = rec_file(b, r, in->file);
			if (f == NONE) {
				/* No package to run it in; scan should not
				 * produce this, so say so rather than drop it. */
				gb_error(b, (struct loc){in->file, in->line, in->col},
					 "init function '%s' is outside every root",
					 in->name);
				continue;
			}
			struct init_ref ref = {in, f};
			VEC_PUSH(v, n, cap, ref);
		}
	}
	if (n) qsort(v, n, sizeof *v, cmp_init_ref);
	size_t first = 0;
	for (size_t i = 0; i < n; i++) {
		const struct scan_init *in = v[i].in;
		/* Several records see the same definition when a .c file
		 * is #included elsewhere, or is built twice with other -D
		 * flags (a compilation database), where #ifdef may put it on
		 * another line: one file cannot define a name twice, so the
		 * same name in the same file is still one function, at its
		 * first line.  Copies sort next to each other. */
		if (i && !strcmp(in->name, v[i - 1].in->name) &&
		    v[i].file == v[i - 1].file)
			continue;
		if (i && !strcmp(in->name, v[first].in->name)) {
			gb_error(b, (struct loc){b->files[v[i].file].path,
						 in->line, in->col},
				 "init function '%s' defined twice", in->name);
			diag_note((struct loc){b->files[v[first].file].path,
					       v[first].in->line, v[first].in->col},
				  "'%s' is first defined here", in->name);
			continue;
		}
		first = i;
		struct package *p = &g->pkgs[b->files[v[i].file].pkg];
		struct init_fn fn = {
			.name = graph_strdup(g, in->name),
			.file = (char *)copy_path(b, v[i].file),
			.fname = (char *)copy_name(b, v[i].file),
			.line = in->line, .col = in->col,
			.returns_int = in->returns_int,
		};
		VEC_PUSH(p->inits, p->ninits, p->capinits, fn);
	}
	free(v);
	for (size_t i = 0; i < g->npkgs; i++)
		if (g->pkgs[i].ninits > 1)
			qsort(g->pkgs[i].inits, g->pkgs[i].ninits,
			      sizeof *g->pkgs[i].inits, cmp_init_fn);
}

/* ---- imports ------------------------------------------------------------- */

static int cmp_occ(const void *pa, const void *pb)
{
	const struct occ *x = pa, *y = pb;
	int c = cmp_uint(x->file, y->file);
	if (!c) c = cmp_uint(x->line, y->line);
	/* Source order: two PKG_IMPORTs on one line by column. */
	if (!c) c = cmp_uint(x->col, y->col);
	if (!c) c = cmp_uint(x->to, y->to);      /* index order = path order */
	if (!c) c = (x->kind > y->kind) - (x->kind < y->kind);
	return c;
}

/* Buckets are mostly a handful of entries: insertion sort beats qsort's
 * indirect calls there. */
static void sort_occs(struct occ *a, size_t n)
{
	if (n > 16) {
		qsort(a, n, sizeof *a, cmp_occ);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct occ x = a[i];
		size_t j = i;
		for (; j && cmp_occ(&a[j - 1], &x) > 0; j--) a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Where an include of record r makes one package import another: 0 when
 * it does not (outside every root, or within one package). */
static int include_occ(const struct gb *b, size_t r, size_t ff,
		       const struct scan_include *in, size_t *p, struct occ *o)
{
	size_t tf = rec_file(b, r, in->to);
	if (ff == NONE || tf == NONE) return 0;
	*p = b->fpkg[ff];
	size_t q = b->fpkg[tf];
	if (*p == q) return 0;
	*o = (struct occ){(uint32_t)q, (uint32_t)ff, (uint32_t)tf, in->line, 0,
			  EDGE_INCLUDE};
	return 1;
}

/* Every occurrence goes straight into its importer's bucket: a first
 * pass counts at most how many each package has (every include of its
 * files, every PKG_IMPORT in them: one lookup per run of includes from
 * one file), a second fills the buckets.  Holding the occurrences once,
 * and without their importer, is what keeps memory at a million edges
 * near the size of the graph itself. */
static void collect_imports(struct gb *b)
{
	struct graph *g = b->g;
	size_t np = g->npkgs;
	size_t na;
	struct annot_ref *a = collect_annots(b, 1, &na);
	size_t *start = xcalloc(np + 1, sizeof *start);
	for (size_t r = 0; r < b->nrecs; r++) {
		if (skipped(b, r)) continue;
		const struct scan_record *rec = &b->recs[r];
		for (size_t i = 0, j; i < rec->nincludes; i = j) {
			/* Includes come sorted by includer: one lookup a run. */
			const char *from = rec->includes[i].from;
			for (j = i + 1; j < rec->nincludes; j++)
				if (str_cmp(from, rec->includes[j].from)) break;
			size_t ff = rec_file(b, r, from);
			if (ff != NONE) start[b->fpkg[ff] + 1] += j - i;
		}
	}
	for (size_t i = 0; i < na; i++) start[b->files[a[i].file].pkg + 1]++;
	for (size_t i = 0; i < np; i++) start[i + 1] += start[i];
	size_t *end = xmalloc((np + 1) * sizeof *end);
	memcpy(end, start, (np + 1) * sizeof *end);
	struct occ *s = xmalloc((start[np] ? start[np] : 1) * sizeof *s);

	for (size_t r = 0; r < b->nrecs; r++) {
		if (skipped(b, r)) continue;
		const struct scan_record *rec = &b->recs[r];
		const char *prev = NULL;
		size_t ff = NONE, p;
		struct occ o;
		for (size_t i = 0; i < rec->nincludes; i++) {
			const struct scan_include *in = &rec->includes[i];
			if (!i || str_cmp(prev, in->from)) ff = rec_file(b, r, in->from);
			prev = in->from;
			if (include_occ(b, r, ff, in, &p, &o)) s[end[p]++] = o;
		}
	}
	for (size_t i = 0; i < na; i++) {
		const char *target = a[i].a->path;
		struct loc at = annot_loc(b, &a[i]);
		size_t p = b->files[a[i].file].pkg, q = NONE;
		size_t d;
		/* main by its directory's path too, unless the directory
		 * is a package of its own (then the path names that). */
		int is_main = g->main != NONE &&
			(!strcmp(target, "main") ||
			 (!g->main_alone && !strcmp(target, g->pkgs[g->main].dir)));
		if (is_main && p == g->main) continue;  /* itself */
		if (is_main) {
			gb_error(b, at, "PKG_IMPORT(\"%s\") names the main package, "
				 "which cannot be imported", target);
			continue;
		}
		int known = strmap_get(&b->dmap, target, &d);
		if (known) q = b->remap[d];
		if (q == NONE) {
			gb_error(b, at, "PKG_IMPORT of unknown package '%s'", target);
			if (known)      /* a package only other programs see */
				diag_note(at, "only the translation units of other "
					  "programs read files of package '%s'",
					  target);
			else
				diag_note(at, "no scanned file is in package '%s'",
					  target);
			continue;
		}
		if (p == q) continue;   /* importing itself says nothing */
		s[end[p]++] = (struct occ){(uint32_t)q, (uint32_t)a[i].file,
					   OCC_NONE, a[i].a->line, a[i].a->col,
					   EDGE_IMPORT};
	}
	free(a);

	/* A first pass over each bucket counts the package's distinct
	 * imports so the list is allocated once; a second fills it.
	 * seen[q] == 2p + pass when package p has met q in this pass. */
	size_t *seen = xcalloc(np ? np : 1, sizeof *seen);
	for (size_t p = 0; p < np; p++) {
		size_t lo = start[p], hi = end[p], cnt = 0;
		sort_occs(s + lo, hi - lo);
		for (size_t i = lo; i < hi; i++)
			if (seen[s[i].to] != 2 * p + 1) {
				seen[s[i].to] = 2 * p + 1;
				cnt++;
			}
		struct package *pk = &g->pkgs[p];
		vec_reserve(&pk->imports, &pk->capimports, cnt, sizeof *pk->imports);
		for (size_t i = lo; i < hi; i++) {
			if (seen[s[i].to] == 2 * p + 2) continue;
			seen[s[i].to] = 2 * p + 2;
			pk->imports[pk->nimports++] = (struct edge){
				.to = s[i].to, .kind = (enum edge_kind)s[i].kind,
				.at = {copy_path(b, s[i].file), s[i].line, s[i].col},
				.via = s[i].tofile == OCC_NONE ? NULL
				     : (char *)copy_path(b, s[i].tofile),
			};
		}
	}
	free(seen);
	free(s);
	free(end);
	free(start);
}

/* Every package main does not reach becomes an import of main. */
static void add_implicit(struct graph *g)
{
	if (g->main == NONE) return;
	size_t n = g->npkgs, top = 0;
	unsigned char *seen = xcalloc(n, 1);
	size_t *stack = xmalloc(n * sizeof *stack);
	stack[top++] = g->main;
	seen[g->main] = 1;
	while (top) {
		const struct package *p = &g->pkgs[stack[--top]];
		for (size_t i = 0; i < p->nimports; i++) {
			size_t q = p->imports[i].to;
			if (!seen[q]) {
				seen[q] = 1;
				stack[top++] = q;
			}
		}
	}
	struct package *m = &g->pkgs[g->main];
	for (size_t i = 0; i < n; i++) {
		if (seen[i]) continue;
		struct edge e = {.to = i, .kind = EDGE_IMPLICIT};
		VEC_PUSH(m->imports, m->nimports, m->capimports, e);
	}
	free(stack);
	free(seen);
}

/* ---- public -------------------------------------------------------------- */

static void gb_free_files(struct gb *b)
{
	free(b->files);
	free(b->fmap.slot);
	for (size_t r = 0; r < b->nrecs; r++) free(b->rfile[r]);
	free(b->rfile);
	free(b->rsorted);
}

size_t graph_programs(const struct scan_record *recs, size_t nrecs,
		      const char ***files)
{
	struct gb b = {.recs = (struct scan_record *)recs, .nrecs = nrecs,
		       .quiet = 1};
	collect_files(&b);
	/* Before collect_dirpkgs every file's package is 0, so collect_mains
	 * leaves one candidate per file in file order: byte order of paths. */
	collect_mains(&b);
	const char **v = xmalloc((b.ncands ? b.ncands : 1) * sizeof *v);
	for (size_t i = 0; i < b.ncands; i++) v[i] = b.files[b.cands[i].file].path;
	size_t n = b.ncands;
	free(b.cands);
	gb_free_files(&b);
	*files = v;
	return n;
}

int graph_build(struct graph *g, struct scan_record *recs, size_t nrecs,
		const struct graph_opts *o)
{
	*g = (struct graph){.main = NONE};
	struct gb b = {.recs = recs, .nrecs = nrecs, .opts = o, .g = g,
		       .maindir = NONE, .mainfile = NONE};

	collect_files(&b);
	if (b.nfiles >= OCC_NONE) diag_die("too many files (%zu)", b.nfiles);
	b.fpath = xcalloc(b.nfiles ? b.nfiles : 1, sizeof *b.fpath);
	b.fname = xcalloc(b.nfiles ? b.nfiles : 1, sizeof *b.fname);
	apply_packages(&b);
	collect_dirpkgs(&b);
	collect_mains(&b);
	select_program(&b, choose_main(&b));
	place_main(&b);
	make_packages(&b);
	collect_inits(&b);
	collect_imports(&b);
	if (!b.nerr) add_implicit(g);
	for (size_t f = 0; o && o->file_map && !b.nerr && f < b.nfiles; f++)
		strmap_put(&g->files, copy_path(&b, f), b.files[f].pkg);

	gb_free_files(&b);
	free(b.dirnames);
	strmap_free(&b.dmap);
	free(b.remap);
	free(b.fpkg);
	free(b.cands);
	g->left_out = b.skip;           /* graph_free's (NULL after errors) */
	free(b.dused);
	free(b.fpath);
	free(b.fname);
	if (b.nerr) {
		graph_free(g);
		return EXIT_ORDER;
	}
	return 0;
}

void graph_free(struct graph *g)
{
	free(g->left_out);
	for (size_t i = 0; i < g->npkgs; i++) {
		free(g->pkgs[i].imports);
		free(g->pkgs[i].inits);
	}
	free(g->pkgs);
	strmap_free(&g->index);
	strmap_free(&g->files);
	while (g->strings) {
		struct graph_block *next = g->strings->next;
		free(g->strings);
		g->strings = next;
	}
	*g = (struct graph){.main = NONE};
}

void graph_add_import(struct graph *g, size_t from, size_t to,
		      enum edge_kind kind, struct loc at, const char *via)
{
	struct package *p = &g->pkgs[from];
	struct edge e = {.to = to, .kind = kind, .at = at,
			 .via = via ? graph_strdup(g, via) : NULL};
	if (at.file) e.at.file = graph_strdup(g, at.file);
	VEC_PUSH(p->imports, p->nimports, p->capimports, e);
}

size_t graph_find(const struct graph *g, const char *path)
{
	size_t i;
	return strmap_get(&g->index, path, &i) ? i : NONE;
}

/* Tarjan's algorithm with the recursion turned into a stack of (package,
 * next import) frames.  A component is numbered when its root finishes,
 * which is after every component it reaches has finished: so imports get
 * the smaller numbers, as Go's linker wants them. */
static size_t scc(const struct graph *g, size_t *comp, int real_only)
{
	size_t n = g->npkgs;
	if (!n) return 0;
	size_t *num = xmalloc(n * sizeof *num);         /* discovery order */
	size_t *low = xmalloc(n * sizeof *low);
	size_t *stk = xmalloc(n * sizeof *stk);         /* Tarjan's stack */
	size_t *fnode = xmalloc(n * sizeof *fnode);     /* call frames */
	size_t *fedge = xmalloc(n * sizeof *fedge);
	unsigned char *on = xcalloc(n, 1);
	size_t counter = 0, ncomp = 0, sp = 0, fp = 0;

	for (size_t i = 0; i < n; i++) num[i] = NONE;
	for (size_t root = 0; root < n; root++) {
		if (num[root] != NONE) continue;
		num[root] = low[root] = counter++;
		stk[sp++] = root;
		on[root] = 1;
		fnode[fp] = root;
		fedge[fp++] = 0;
		while (fp) {
			size_t v = fnode[fp - 1];
			const struct package *p = &g->pkgs[v];
			if (fedge[fp - 1] < p->nimports) {
				const struct edge *e = &p->imports[fedge[fp - 1]++];
				if (real_only && e->kind == EDGE_IMPLICIT) continue;
				size_t w = e->to;
				if (num[w] == NONE) {
					num[w] = low[w] = counter++;
					stk[sp++] = w;
					on[w] = 1;
					fnode[fp] = w;
					fedge[fp++] = 0;
				} else if (on[w] && num[w] < low[v]) {
					low[v] = num[w];
				}
				continue;
			}
			fp--;
			if (low[v] == num[v]) {
				size_t w;
				do {
					w = stk[--sp];
					on[w] = 0;
					comp[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
			if (fp) {
				size_t u = fnode[fp - 1];
				if (low[v] < low[u]) low[u] = low[v];
			}
		}
	}
	free(num);
	free(low);
	free(stk);
	free(fnode);
	free(fedge);
	free(on);
	return ncomp;
}

size_t graph_scc(const struct graph *g, size_t *comp)
{
	return scc(g, comp, 0);
}

size_t graph_scc_real(const struct graph *g, size_t *comp)
{
	return scc(g, comp, 1);
}
