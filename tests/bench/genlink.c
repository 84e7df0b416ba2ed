/*
 * genlink.c - scan records of a large synthetic C program, for the
 * benchmark of `pkginit link` (tests/bench_link.sh), and a timer.
 *
 *   genlink gen DIR NTU [acyclic]
 *       Write NTU scan records with function facts into DIR/rec/, as
 *       `pkginit scan` would have written them for a program of NTU/20
 *       packages (directories) of 20 TUs each, 20 functions a TU, about
 *       10 references a function; print what was generated.  Records
 *       are written with the tool's own record_write, so they are what
 *       scan writes, byte for byte in form.  No libclang: the benchmark
 *       measures link alone.
 *
 *   genlink time LOG -- CMD ARGS...
 *       Run CMD with its output in LOG; print "WALL_S CPU_S PEAK_KB"
 *       (wall time; user and system time and maximum resident size of
 *       the child, from wait4), and exit
 *       with CMD's status.  What /usr/bin/time -v gives, without the
 *       package.
 *
 * The shape (everything scales with NTU; the figures for NTU = 10,000):
 *   - 500 packages p0000..p0499, each a directory of 20 TUs fNN.c and a
 *     header pNNNN.h; the last TU is main.c at the root instead;
 *   - 20 functions a TU (200,000), 30 % static, named alike in every TU
 *     (helperN: resolution per TU is exercised);
 *   - 2,000,000 references, 4 to 16 a function (the mean kept at 10):
 *     calls (a third of them: 35 % to the TU's static functions, 45 % to
 *     the package's, 20 % to one of 6 partner packages, mostly one to
 *     three levels down), addresses of functions, reads and writes of 8
 *     globals a package (4,000) and 3 statics a TU (30,000), and a few
 *     static locals;
 *   - about 400 init functions (60 % of the packages have one, 10 % a
 *     second), each writing the "configuration" variables it owns (3
 *     globals, 1 static), which other functions read;
 *   - each TU includes its package's header and the headers of the
 *     packages it refers to.
 *
 * Without "acyclic" partners are any packages, so the include graph is
 * full of cycles (what a legacy code base looks like): only --deps uses
 * links it.  With it, a package refers only to packages with smaller
 * numbers, so include mode links it too, and verification passes.
 *
 * Why no order constraint is a cycle: every function has a level
 * (0..11), and calls and addresses go only to smaller levels, so the call
 * graph is a DAG and an init function reaches only lower levels.  Init
 * functions have levels 1..6.  A configuration variable is written only
 * by its owner, directly, and read only at levels above the owner's;
 * every other access reachable from an init writes ("state" variables:
 * read-modify-write, or a plain write; read-only accesses only at levels
 * 7..11, which no init reaches).  So each constraint g-before-f has
 * level(g) < level(f).  In the acyclic project a reader of a variable
 * includes its owner's header, so g's package imports come first, and of
 * two inits of one package the lower level is in the earlier file.
 */
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#define TUS_PER_PKG 20
#define FNS_PER_TU 20
#define GLOBALS_PER_PKG 8
#define STATICS_PER_TU 3
#define PARTNERS 6
#define NLEVEL 24
#define INIT_MAX 12             /* init functions have levels 1..INIT_MAX */
#define MEAN_REFS 10
#define CALL_SPAN 3             /* most calls go at most this many levels down */

/* splitmix64: a stream per TU, so the output does not depend on order. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static unsigned rng(uint64_t *s, unsigned n) { return (unsigned)(rng_next(s) % n); }

struct gen {
	unsigned npkg, ntu, nfn;
	int acyclic;
	unsigned char *level;           /* per function (gid) */
	unsigned char *is_static;
	unsigned char *is_init;
	unsigned *partners;             /* npkg x PARTNERS, (unsigned)-1 none */
	/* extern callable functions of each package, by level */
	unsigned **ext;
	unsigned (*ext_below)[NLEVEL + 1];      /* count with level < L */
	/* per global variable (pkg * GLOBALS_PER_PKG + k): owner init's
	 * level, 0 when a state variable */
	unsigned char *gowner;
	/* configuration globals of each package sorted by owner level */
	unsigned (*cfg)[GLOBALS_PER_PKG];
	unsigned (*cfg_below)[NLEVEL + 1];
	/* per TU: the level of the init owning its static s_var0, or 0 */
	unsigned char *sowner;
	/* the call graph, for the reach statistics */
	unsigned **calls;
	unsigned *ncalls;
	size_t nrefs, ncallrefs, ninits, nbytes;
};

static unsigned gid_pkg(unsigned gid) { return gid / FNS_PER_TU / TUS_PER_PKG; }
static unsigned gid_tu(unsigned gid) { return gid / FNS_PER_TU; }

static int is_main_tu(const struct gen *g, unsigned tu) { return tu == g->ntu - 1; }

static char *fn_name(const struct gen *g, unsigned gid)
{
	unsigned tu = gid_tu(gid), k = gid % FNS_PER_TU;
	unsigned p = gid_pkg(gid), t = tu % TUS_PER_PKG;
	if (is_main_tu(g, tu)) return k ? xasprintf("main_%02u", k) : xstrdup("main");
	if (g->is_init[gid]) return xasprintf("p%04u_init%s", p, t ? "_late" : "");
	if (g->is_static[gid]) return xasprintf("helper%u", k);
	return xasprintf("p%04u_t%02u_fn%02u", p, t, k);
}

static char *tu_path(const struct gen *g, unsigned tu)
{
	if (is_main_tu(g, tu)) return xstrdup("main.c");
	return xasprintf("p%04u/f%02u.c", tu / TUS_PER_PKG, tu % TUS_PER_PKG);
}

static char *hdr_path(unsigned p) { return xasprintf("p%04u/p%04u.h", p, p); }

/* qsort has no context: the table of levels for the comparator. */
static const unsigned char *sort_levels;
static int cmp_by_level(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	if (sort_levels[x] != sort_levels[y]) return sort_levels[x] < sort_levels[y] ? -1 : 1;
	return (x > y) - (x < y);
}

/* Levels, linkage, inits, partners and variable owners: what every TU
 * must know about the others. */
static void gen_plan(struct gen *g, uint64_t seed)
{
	uint64_t s = seed;
	g->level = xcalloc(g->nfn, 1);
	g->is_static = xcalloc(g->nfn, 1);
	g->is_init = xcalloc(g->nfn, 1);
	for (unsigned f = 0; f < g->nfn; f++) {
		unsigned r = rng(&s, 100);
		g->level[f] = r < 25 ? 0 : (unsigned char)(1 + rng(&s, NLEVEL - 1));
		g->is_static[f] = rng(&s, 100) < 30;
	}
	/* main.c: main and its helpers, at the top, extern. */
	for (unsigned k = 0; k < FNS_PER_TU; k++) {
		unsigned f = (g->ntu - 1) * FNS_PER_TU + k;
		g->level[f] = (unsigned char)(k ? INIT_MAX + 1 + rng(&s, NLEVEL - INIT_MAX - 2)
					      : NLEVEL - 1);
		g->is_static[f] = 0;
	}
	g->gowner = xcalloc((size_t)g->npkg * GLOBALS_PER_PKG, 1);
	g->sowner = xcalloc(g->ntu, 1);
	for (unsigned p = 0; p < g->npkg; p++) {
		unsigned r = rng(&s, 100);
		unsigned ninit = r < 60 ? 1 : r < 70 ? 2 : 0;
		unsigned lv[2] = {1 + rng(&s, INIT_MAX), 1 + rng(&s, INIT_MAX)};
		if (lv[1] < lv[0]) {
			unsigned t = lv[0];
			lv[0] = lv[1];
			lv[1] = t;
		}
		for (unsigned i = 0; i < ninit; i++) {
			unsigned tu = p * TUS_PER_PKG + i;
			if (is_main_tu(g, tu)) break;
			unsigned f = tu * FNS_PER_TU;   /* the TU's first function */
			g->is_init[f] = 1;
			g->is_static[f] = 0;
			g->level[f] = (unsigned char)lv[i];
			g->sowner[tu] = (unsigned char)lv[i];
			/* globals 3i .. 3i+2 are this init's */
			for (unsigned k = 3 * i; k < 3 * i + 3; k++)
				g->gowner[p * GLOBALS_PER_PKG + k] = (unsigned char)lv[i];
			g->ninits++;
		}
	}
	g->partners = xmalloc((size_t)g->npkg * PARTNERS * sizeof *g->partners);
	for (unsigned p = 0; p < g->npkg; p++)
		for (unsigned k = 0; k < PARTNERS; k++) {
			unsigned q = (unsigned)-1;
			for (int tries = 0; tries < 20 && q == (unsigned)-1; tries++) {
				unsigned c = g->acyclic ? (p ? rng(&s, p) : p) : rng(&s, g->npkg);
				if (c == p) continue;
				int dup = 0;
				for (unsigned j = 0; j < k; j++) dup |= g->partners[p * PARTNERS + j] == c;
				if (!dup) q = c;
			}
			g->partners[p * PARTNERS + k] = q;
		}
	g->ext = xcalloc(g->npkg, sizeof *g->ext);
	g->ext_below = xcalloc(g->npkg, sizeof *g->ext_below);
	g->cfg = xcalloc(g->npkg, sizeof *g->cfg);
	g->cfg_below = xcalloc(g->npkg, sizeof *g->cfg_below);
	sort_levels = g->level;
	for (unsigned p = 0; p < g->npkg; p++) {
		size_t n = 0;
		g->ext[p] = xmalloc(TUS_PER_PKG * FNS_PER_TU * sizeof **g->ext);
		for (unsigned f = p * TUS_PER_PKG * FNS_PER_TU;
		     f < (p + 1) * TUS_PER_PKG * FNS_PER_TU && f < g->nfn; f++)
			if (!g->is_static[f] && !g->is_init[f] && !is_main_tu(g, gid_tu(f)))
				g->ext[p][n++] = f;
		qsort(g->ext[p], n, sizeof **g->ext, cmp_by_level);
		for (unsigned L = 0; L <= NLEVEL; L++) {
			unsigned c = 0;
			while (c < n && g->level[g->ext[p][c]] < L) c++;
			g->ext_below[p][L] = c;
		}
		/* configuration globals by owner level */
		unsigned m = 0;
		for (unsigned lvl = 1; lvl <= INIT_MAX; lvl++)
			for (unsigned k = 0; k < GLOBALS_PER_PKG; k++)
				if (g->gowner[p * GLOBALS_PER_PKG + k] == lvl)
					g->cfg[p][m++] = k;
		for (unsigned L = 0; L <= NLEVEL; L++) {
			unsigned c = 0;
			while (c < m && g->gowner[p * GLOBALS_PER_PKG + g->cfg[p][c]] < L) c++;
			g->cfg_below[p][L] = c;
		}
	}
	g->calls = xcalloc(g->nfn, sizeof *g->calls);
	g->ncalls = xcalloc(g->nfn, sizeof *g->ncalls);
}

/* One TU being generated. */
struct tu_gen {
	struct gen *g;
	unsigned tu, pkg;
	int main_tu;
	uint64_t s;
	unsigned *refpkgs;              /* packages referred to */
	size_t nrefpkgs;
};

static void tu_use_pkg(struct tu_gen *t, unsigned q)
{
	if (q == t->pkg && !t->main_tu) return;
	for (size_t i = 0; i < t->nrefpkgs; i++)
		if (t->refpkgs[i] == q) return;
	t->refpkgs[t->nrefpkgs++] = q;
}

static int has_ref(const struct scan_func *fn, char kind, const char *name, int st)
{
	for (size_t i = 0; i < fn->nrefs; i++)
		if (fn->refs[i].kind == kind && fn->refs[i].is_static == st &&
		    !strcmp(fn->refs[i].name, name))
			return 1;
	return 0;
}

/* Add a reference unless the function has it; 1 when added (name is
 * taken either way). */
static int add_ref(struct scan_func *fn, size_t cap, char kind, char *name, int st,
		   unsigned line)
{
	if (fn->nrefs >= cap || has_ref(fn, kind, name, st)) {
		free(name);
		return 0;
	}
	fn->refs[fn->nrefs++] = (struct scan_ref){name, kind, (char)st, line, 9};
	return 1;
}

/* A partner of the TU's package (or of every package, for main). */
static unsigned tu_partner(struct tu_gen *t)
{
	if (t->main_tu) return rng(&t->s, t->g->npkg);
	return t->g->partners[t->pkg * PARTNERS + rng(&t->s, PARTNERS)];
}

/* A function below level L to call: the TU's own static ones, its
 * package's, or a partner's; (unsigned)-1 when none was found. */
static unsigned pick_callee(struct tu_gen *t, unsigned L)
{
	struct gen *g = t->g;
	unsigned r = rng(&t->s, 100);
	if (r < 35 && !t->main_tu) {
		unsigned c[FNS_PER_TU], n = 0;
		for (unsigned k = 0; k < FNS_PER_TU; k++) {
			unsigned f = t->tu * FNS_PER_TU + k;
			if (g->is_static[f] && g->level[f] < L) c[n++] = f;
		}
		if (n) return c[rng(&t->s, n)];
	}
	unsigned q = r < 80 && !t->main_tu ? t->pkg : tu_partner(t);
	if (q == (unsigned)-1) q = t->pkg;
	if (t->main_tu && q == t->pkg) return (unsigned)-1;
	/* Mostly one to three levels down: call chains as deep as a real
	 * program's, not straight to the leaves. */
	unsigned lo = L > CALL_SPAN && rng(&t->s, 100) < 80 ? L - CALL_SPAN : 0;
	unsigned a = g->ext_below[q][lo], n = g->ext_below[q][L] - a;
	if (!n) return (unsigned)-1;
	tu_use_pkg(t, q);
	return g->ext[q][a + rng(&t->s, n)];
}

/* A configuration variable readable at level L: a global of the
 * package or a partner whose owner has a smaller level, or the TU's
 * own static one.  0 when none. */
static int pick_config(struct tu_gen *t, unsigned L, char **name, int *st)
{
	struct gen *g = t->g;
	unsigned r = rng(&t->s, 100);
	if (r < 15 && g->sowner[t->tu] && g->sowner[t->tu] < L) {
		*name = xstrdup("s_var0");
		*st = 1;
		return 1;
	}
	unsigned q = r < 60 && !t->main_tu ? t->pkg : tu_partner(t);
	if (q == (unsigned)-1 || (t->main_tu && q == t->pkg)) return 0;
	unsigned n = g->cfg_below[q][L];
	if (!n) return 0;
	tu_use_pkg(t, q);
	*name = xasprintf("p%04u_var%u", q, g->cfg[q][rng(&t->s, n)]);
	*st = 0;
	return 1;
}

/* A state variable: a global of the package or a partner, or one of
 * the TU's statics. */
static void pick_state(struct tu_gen *t, char **name, int *st)
{
	struct gen *g = t->g;
	for (;;) {
		unsigned r = rng(&t->s, 100);
		if (r < 20 || t->main_tu) {
			unsigned k = rng(&t->s, STATICS_PER_TU);
			if (k == 0 && g->sowner[t->tu]) continue;
			*name = xasprintf("s_var%u", k);
			*st = 1;
			return;
		}
		unsigned q = r < 80 ? t->pkg : tu_partner(t);
		if (q == (unsigned)-1) q = t->pkg;
		unsigned k = rng(&t->s, GLOBALS_PER_PKG);
		if (g->gowner[q * GLOBALS_PER_PKG + k]) continue;
		tu_use_pkg(t, q);
		*name = xasprintf("p%04u_var%u", q, k);
		*st = 0;
		return;
	}
}

static void gen_func(struct tu_gen *t, unsigned k, struct scan_func *fn,
		     size_t budget)
{
	struct gen *g = t->g;
	unsigned gid = t->tu * FNS_PER_TU + k, L = g->level[gid];
	fn->name = fn_name(g, gid);
	fn->file = tu_path(g, t->tu);
	fn->line = 20 + 25 * k;
	fn->is_static = g->is_static[gid];
	fn->col = fn->is_static ? 13 : 6;
	fn->refs = xcalloc(budget ? budget : 1, sizeof *fn->refs);
	unsigned line = fn->line + 1;
	if (g->is_init[gid]) {
		/* It writes what it owns. */
		unsigned first = t->tu % TUS_PER_PKG ? 3 : 0;
		for (unsigned v = first; v < first + 3; v++)
			add_ref(fn, budget, SCAN_REF_WRITE,
				xasprintf("p%04u_var%u", t->pkg, v), 0, line++);
		add_ref(fn, budget, SCAN_REF_WRITE, xstrdup("s_var0"), 1, line++);
	}
	unsigned calls[FNS_PER_TU * 2];
	size_t ncalls = 0;
	for (int tries = 0; fn->nrefs < budget && tries < 200; tries++) {
		unsigned r = rng(&t->s, 100);
		char *name = NULL;
		int st = 0;
		if (r < 48 && L > 0) {
			unsigned to = pick_callee(t, L);
			if (to == (unsigned)-1) continue;
			char kind = r < 45 ? SCAN_REF_CALL : SCAN_REF_ADDR;
			if (add_ref(fn, budget, kind, fn_name(g, to), g->is_static[to], line++) &&
			    ncalls < sizeof calls / sizeof *calls)
				calls[ncalls++] = to;
			continue;
		}
		r = rng(&t->s, 100);
		if (r < 40) {
			if (pick_config(t, L, &name, &st))
				add_ref(fn, budget, SCAN_REF_READ, name, st, line++);
			continue;
		}
		if (r < 44) {
			/* a static local, read and written */
			if (budget - fn->nrefs < 2) continue;
			char *base = fn_name(g, gid);
			add_ref(fn, budget, SCAN_REF_READ, xasprintf("%s.cache", base), 1, line);
			add_ref(fn, budget, SCAN_REF_WRITE, xasprintf("%s.cache", base), 1, line++);
			free(base);
			continue;
		}
		pick_state(t, &name, &st);
		if (r < 54) {
			add_ref(fn, budget, SCAN_REF_WRITE, name, st, line++);
		} else if (r < 70 && L > INIT_MAX) {
			add_ref(fn, budget, SCAN_REF_READ, name, st, line++);
		} else if (budget - fn->nrefs >= 2 && !has_ref(fn, SCAN_REF_READ, name, st) &&
			   !has_ref(fn, SCAN_REF_WRITE, name, st)) {
			add_ref(fn, budget, SCAN_REF_READ, xstrdup(name), st, line);
			add_ref(fn, budget, SCAN_REF_WRITE, name, st, line++);
		} else {
			free(name);
		}
	}
	g->calls[gid] = xmalloc((ncalls ? ncalls : 1) * sizeof **g->calls);
	memcpy(g->calls[gid], calls, ncalls * sizeof *calls);
	g->ncalls[gid] = (unsigned)ncalls;
	for (size_t i = 0; i < fn->nrefs; i++)
		if (fn->refs[i].kind == SCAN_REF_CALL || fn->refs[i].kind == SCAN_REF_ADDR)
			g->ncallrefs++;
}

static int mkdir_p(const char *dir)
{
	char *d = xstrdup(dir);
	for (char *p = d + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(d, 0777);
			*p = '/';
		}
	int rc = mkdir(d, 0777) && errno != EEXIST ? -1 : 0;
	free(d);
	return rc;
}

static void add_file(struct scan_record *r, char *path, const char *pkg)
{
	r->files[r->nfiles++] = (struct scan_file){path, xstrdup(path), xstrdup(pkg)};
}

static int gen_tu(struct gen *g, const char *dir, unsigned tu, long *carry,
		  uint64_t seed)
{
	struct tu_gen t = {g, tu, tu / TUS_PER_PKG, is_main_tu(g, tu),
			   seed ^ ((uint64_t)tu * 0x2545f4914f6cdd1du), NULL, 0};
	t.refpkgs = xcalloc(g->npkg, sizeof *t.refpkgs);
	struct scan_record r = {0};
	r.tu = tu_path(g, tu);
	r.roots = xcalloc(1, sizeof *r.roots);
	r.roots[0] = xstrdup(".");
	r.nroots = 1;
	r.has_facts = 1;
	r.funcs = xcalloc(FNS_PER_TU, sizeof *r.funcs);
	r.nfuncs = FNS_PER_TU;
	for (unsigned k = 0; k < FNS_PER_TU; k++) {
		/* 4..16 references, the target mean kept by carrying what
		 * a function could not take to the next one. */
		long want = MEAN_REFS - 6 + (long)rng(&t.s, 13) + *carry;
		if (want < 1) want = 1;
		if (want > 40) want = 40;
		gen_func(&t, k, &r.funcs[k], (size_t)want);
		*carry += MEAN_REFS - (long)r.funcs[k].nrefs;
		g->nrefs += r.funcs[k].nrefs;
		unsigned gid = tu * FNS_PER_TU + k;
		if (g->is_init[gid]) {
			r.inits = xrealloc(r.inits, (r.ninits + 1) * sizeof *r.inits);
			r.inits[r.ninits++] = (struct scan_init){
				xstrdup(r.funcs[k].name), xstrdup(r.tu),
				r.funcs[k].line, r.funcs[k].col, 0};
		}
	}
	if (t.main_tu) {
		r.defines_main = 1;
		r.main_at = (struct loc){r.tu, r.funcs[0].line, r.funcs[0].col};
	}
	/* The TU, its package's header, the headers it refers to. */
	r.files = xcalloc(t.nrefpkgs + 2, sizeof *r.files);
	r.includes = xcalloc(t.nrefpkgs + 1, sizeof *r.includes);
	char *pkgname = t.main_tu ? xstrdup(".") : xasprintf("p%04u", t.pkg);
	add_file(&r, xstrdup(r.tu), pkgname);
	unsigned line = 2;
	if (!t.main_tu) {
		add_file(&r, hdr_path(t.pkg), pkgname);
		r.includes[r.nincludes++] = (struct scan_include){
			xstrdup(r.tu), line++, hdr_path(t.pkg)};
	}
	free(pkgname);
	for (size_t i = 0; i < t.nrefpkgs; i++) {
		unsigned q = t.refpkgs[i];
		char *qn = xasprintf("p%04u", q);
		add_file(&r, hdr_path(q), qn);
		free(qn);
		r.includes[r.nincludes++] = (struct scan_include){
			xstrdup(r.tu), line++, hdr_path(q)};
	}
	static const char *const sys[] = {
		"/usr/include/stdio.h", "/usr/include/stdlib.h",
		"/usr/include/string.h", "/usr/include/features.h",
		"/work/include/pkginit.h",
	};
	size_t nsys = sizeof sys / sizeof *sys;
	r.deps = xcalloc(r.nfiles + nsys, sizeof *r.deps);
	for (size_t i = 0; i < nsys; i++) r.deps[r.ndeps++] = xstrdup(sys[i]);
	for (size_t i = 0; i < r.nfiles; i++) r.deps[r.ndeps++] = xstrdup(r.files[i].path);
	record_normalize(&r);
	if (t.main_tu) r.main_at.file = r.tu;

	char *path = xasprintf("%s/rec/%05u.rec", dir, tu);
	FILE *f = fopen(path, "w");
	int rc = 0;
	if (!f) {
		fprintf(stderr, "genlink: %s: %s\n", path, strerror(errno));
		rc = 1;
	} else {
		record_write(f, &r);
		long at = ftell(f);
		if (at > 0) g->nbytes += (size_t)at;
		if (fclose(f)) rc = 1;
	}
	free(path);
	free(t.refpkgs);
	record_free(&r);
	return rc;
}

/* How many functions each init reaches through calls: the work of
 * deps_reach, and a check that the shape is what it claims. */
static void gen_reach(const struct gen *g, double *mean, unsigned *max)
{
	unsigned *seen = xcalloc(g->nfn, sizeof *seen), *stack = xmalloc(g->nfn * sizeof *stack);
	size_t total = 0;
	unsigned stamp = 0, n = 0;
	*max = 0;
	for (unsigned f = 0; f < g->nfn; f++) {
		if (!g->is_init[f]) continue;
		stamp++;
		size_t top = 0, cnt = 0;
		stack[top++] = f;
		seen[f] = stamp;
		while (top) {
			unsigned x = stack[--top];
			cnt++;
			for (unsigned i = 0; i < g->ncalls[x]; i++) {
				unsigned y = g->calls[x][i];
				if (seen[y] == stamp) continue;
				seen[y] = stamp;
				stack[top++] = y;
			}
		}
		total += cnt;
		if (cnt > *max) *max = (unsigned)cnt;
		n++;
	}
	*mean = n ? (double)total / n : 0;
	free(seen);
	free(stack);
}

static int cmd_gen(const char *dir, unsigned ntu, int acyclic)
{
	if (ntu < TUS_PER_PKG * 2 || ntu % TUS_PER_PKG) {
		fprintf(stderr, "genlink: NTU must be a multiple of %d, at least %d\n",
			TUS_PER_PKG, 2 * TUS_PER_PKG);
		return 2;
	}
	struct gen g = {.npkg = ntu / TUS_PER_PKG, .ntu = ntu,
			.nfn = ntu * FNS_PER_TU, .acyclic = acyclic};
	char *rec = xasprintf("%s/rec", dir);
	if (mkdir_p(rec)) {
		fprintf(stderr, "genlink: cannot create %s: %s\n", rec, strerror(errno));
		return 1;
	}
	free(rec);
	uint64_t seed = 0x70b1e5eedu ^ ntu ^ ((uint64_t)acyclic << 40);
	gen_plan(&g, seed);
	long carry = 0;
	int rc = 0;
	for (unsigned tu = 0; tu < ntu && !rc; tu++) rc = gen_tu(&g, dir, tu, &carry, seed);
	double mean;
	unsigned max;
	gen_reach(&g, &mean, &max);
	unsigned nstatic = 0;
	for (unsigned f = 0; f < g.nfn; f++) nstatic += g.is_static[f];
	/* One line of "key value" pairs, for the script. */
	printf("records %u functions %u static %u refs %zu calls %zu inits %zu "
	       "globals %u statics %u bytes %zu reach_mean %.0f reach_max %u\n",
	       ntu, g.nfn, nstatic, g.nrefs, g.ncallrefs, g.ninits,
	       g.npkg * GLOBALS_PER_PKG, ntu * STATICS_PER_TU, g.nbytes, mean, max);
	return rc;
}

static int cmd_time(const char *log, char **argv)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid < 0) return 1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) != pid) return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("%.3f %.3f %ld\n", t, cpu, ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "gen"))
		return cmd_gen(argv[2], (unsigned)strtoul(argv[3], NULL, 10),
			       argc > 4 && !strcmp(argv[4], "acyclic"));
	if (argc >= 5 && !strcmp(argv[1], "time") && !strcmp(argv[3], "--"))
		return cmd_time(argv[2], argv + 4);
	fprintf(stderr, "usage: genlink gen DIR NTU [acyclic]\n"
			"       genlink time LOG -- CMD ARGS...\n");
	return 2;
}
