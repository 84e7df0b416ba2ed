/*
 * fuzz/graph.c - graph_build, order_packages, order_find_cycle and
 * graph_scc on random programs.
 *
 * The input is decoded into scan records, as scan would produce them for
 * a made-up project: packages from a fixed list of names (chosen to mix
 * byte order, nesting, the root package "." and a directory named main),
 * each with a TU, and then a stream of facts: #includes between
 * packages, PKG_IMPORT, PKG_PACKAGE, init functions, definitions of main,
 * extra TUs.  Whatever the facts, graph_build ends in a graph or in
 * errors.  On a graph these properties must hold:
 *
 *   - both orders either list every package exactly once with each
 *     package after all of its imports, or report a cycle; and they
 *     report one exactly when order_find_cycle finds one;
 *   - lex order is Go's rule: each package is the smallest (by path) of
 *     those whose imports are all done;
 *   - a cycle found is one: each step's edge exists and leads to the next
 *     step's package, the last back to the first; it starts at the
 *     smallest package on any cycle and is a shortest cycle through it;
 *   - graph_scc agrees with reachability (checked by a transitive
 *     closure) and numbers a package's imports no higher than it;
 *   - with main, every package is reachable from main;
 *   - the records in reverse order give the same table and report bytes
 *     (spec/cli.md, Determinism: outputs do not depend on the order of the inputs).
 */
#include "tool.h"
#include "fuzz.h"

#define NONE GRAPH_NONE

static const char *const names[] = {
	"a", "b", "c", "a/b", "a/c", "b/a", "ab", "a-b", "zz", "x/y/z",
	".", "main", "B", "_", "a.b", "a/b/c",
};
#define NNAMES (sizeof names / sizeof names[0])
/* Package paths an annotation may name: the names, and some that no file
 * is in or that are not valid paths at all. */
static const char *const annot_paths[] = {
	"nowhere", "", "../up", "a//b", "/abs", "main", "a/", "\xff",
};
#define NANNOT (sizeof annot_paths / sizeof annot_paths[0])

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct input *in)
{
	if (!in->n) return 0;
	in->n--;
	return *in->p++;
}

/* The path of a file of package i: "x.c" at the root, "a/b/x.c" else. */
static char *pkg_file(size_t i, const char *base)
{
	return strcmp(names[i], ".") ? xasprintf("%s/%s", names[i], base)
				     : xstrdup(base);
}

static void add_file(struct scan_record *r, size_t *cap, const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path)) return;
	struct scan_file f = {xstrdup(path), xstrdup(path), path_dir(path)};
	VEC_PUSH(r->files, r->nfiles, *cap, f);
}

struct recs {
	struct scan_record *r;
	size_t n, cap;
	size_t *capf, *capi, *capm, *capp, *capn;
};

static size_t rec_for(struct recs *rs, size_t pkg, unsigned which)
{
	char *tu = pkg_file(pkg, which ? "y.c" : "x.c");
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].tu, tu)) {
			free(tu);
			return i;
		}
	struct scan_record r = {.tu = tu};
	VEC_PUSH(rs->r, rs->n, rs->cap, r);
	size_t i = rs->n - 1;
	rs->capf = xrealloc(rs->capf, rs->n * sizeof *rs->capf);
	rs->capi = xrealloc(rs->capi, rs->n * sizeof *rs->capi);
	rs->capm = xrealloc(rs->capm, rs->n * sizeof *rs->capm);
	rs->capp = xrealloc(rs->capp, rs->n * sizeof *rs->capp);
	rs->capn = xrealloc(rs->capn, rs->n * sizeof *rs->capn);
	rs->capf[i] = rs->capi[i] = rs->capm[i] = rs->capp[i] = rs->capn[i] = 0;
	add_file(&rs->r[i], &rs->capf[i], tu);
	return i;
}

static const char *annot_path(unsigned b, size_t npk)
{
	if (b % 4) return names[b % npk];
	return annot_paths[(b / 4) % NANNOT];
}

/* Decode the input into records over npk packages. */
static void decode(struct input *in, size_t npk, struct recs *rs)
{
	for (size_t i = 0; i < npk; i++) rec_for(rs, i, 0);
	unsigned line = 1;
	while (in->n) {
		unsigned op = take(in), a = take(in) % npk, b = take(in);
		size_t ri = rec_for(rs, a, op & 8);
		struct scan_record *r = &rs->r[ri];
		/* A fact is in the TU or in the package's header. */
		char *file = op & 16 ? pkg_file(a, "x.h") : xstrdup(r->tu);
		add_file(r, &rs->capf[ri], file);
		line += 1 + (op >> 5);
		switch (op % 8) {
		case 0:
		case 1:
		case 2: {       /* #include of another package's header */
			char *to = pkg_file(b % npk, "x.h");
			add_file(r, &rs->capf[ri], to);
			struct scan_include inc = {xstrdup(file), line, to};
			VEC_PUSH(r->includes, r->nincludes, rs->capn[ri], inc);
			break;
		}
		case 3: {       /* PKG_IMPORT */
			struct scan_annot an = {xstrdup(annot_path(b, npk)),
						xstrdup(file), line, 1};
			VEC_PUSH(r->imports, r->nimports, rs->capm[ri], an);
			break;
		}
		case 4: {       /* PKG_PACKAGE */
			struct scan_annot an = {xstrdup(annot_path(b, npk)),
						xstrdup(file), line, 1};
			VEC_PUSH(r->packages, r->npackages, rs->capp[ri], an);
			break;
		}
		case 5:
		case 6: {       /* PKG_INIT; names repeat, to meet duplicates */
			struct scan_init fn = {.name = xasprintf("f%u", b % 24),
					       .file = xstrdup(file),
					       .line = line, .col = 5,
					       .returns_int = (b & 32) != 0};
			VEC_PUSH(r->inits, r->ninits, rs->capi[ri], fn);
			break;
		}
		case 7:         /* main */
			if (!r->defines_main) {
				r->defines_main = 1;
				r->main_at = (struct loc){NULL, line, 5};
			}
			break;
		}
		free(file);
	}
	for (size_t i = 0; i < rs->n; i++) {
		struct scan_record *r = &rs->r[i];
		qsort(r->files, r->nfiles, sizeof *r->files, record_cmp_file);
		if (r->defines_main) r->main_at.file = r->tu;
	}
}

static void recs_free(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		rs->r[i].main_at.file = NULL;   /* points at tu */
		record_free(&rs->r[i]);
	}
	free(rs->r);
	free(rs->capf);
	free(rs->capi);
	free(rs->capm);
	free(rs->capp);
	free(rs->capn);
}

/* ---- properties ------------------------------------------------------- */

static void check_order(const struct graph *g, enum order_mode mode,
			int cyclic)
{
	size_t n = g->npkgs;
	size_t *out = xmalloc((n + 1) * sizeof *out);
	size_t *pos = xmalloc((n + 1) * sizeof *pos);
	int rc = order_packages(g, mode, out);
	FUZZ_CHECK(rc == cyclic, "order_packages(%s) = %d, find_cycle says %d",
		   order_mode_name(mode), rc, cyclic);
	if (rc) goto done;
	for (size_t i = 0; i < n; i++) pos[i] = NONE;
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(out[i] < n && pos[out[i]] == NONE,
			   "%s order is not a permutation", order_mode_name(mode));
		pos[out[i]] = i;
	}
	for (size_t p = 0; p < n; p++)
		for (size_t j = 0; j < g->pkgs[p].nimports; j++) {
			size_t q = g->pkgs[p].imports[j].to;
			FUZZ_CHECK(pos[q] < pos[p], "%s order: %s before its import %s",
				   order_mode_name(mode), g->pkgs[p].path,
				   g->pkgs[q].path);
		}
	if (mode == ORDER_LEX) {
		/* Each step takes the smallest ready package. */
		for (size_t i = 0; i < n; i++) {
			for (size_t p = 0; p < out[i]; p++) {
				if (pos[p] < i) continue;
				int ready = 1;
				for (size_t j = 0; j < g->pkgs[p].nimports; j++)
					if (pos[g->pkgs[p].imports[j].to] >= i) ready = 0;
				FUZZ_CHECK(!ready, "lex order: %s was ready before %s",
					   g->pkgs[p].path, g->pkgs[out[i]].path);
			}
		}
	}
done:
	free(out);
	free(pos);
}

/* reach[p * n + q]: q is reachable from p by one or more edges. */
static unsigned char *closure(const struct graph *g)
{
	size_t n = g->npkgs;
	unsigned char *r = xcalloc(n * n + 1, 1);
	for (size_t p = 0; p < n; p++)
		for (size_t j = 0; j < g->pkgs[p].nimports; j++)
			r[p * n + g->pkgs[p].imports[j].to] = 1;
	for (size_t k = 0; k < n; k++)
		for (size_t p = 0; p < n; p++)
			if (r[p * n + k])
				for (size_t q = 0; q < n; q++)
					r[p * n + q] |= r[k * n + q];
	return r;
}

/* Length of a shortest cycle through s (BFS over every edge), or 0. */
static size_t shortest_cycle(const struct graph *g, size_t s)
{
	size_t n = g->npkgs, best = 0, qh = 0, qt = 0;
	size_t *dist = xmalloc(n * sizeof *dist), *queue = xmalloc(n * sizeof *queue);
	for (size_t i = 0; i < n; i++) dist[i] = NONE;
	dist[s] = 0;
	queue[qt++] = s;
	while (qh < qt) {
		size_t v = queue[qh++];
		for (size_t j = 0; j < g->pkgs[v].nimports; j++) {
			size_t w = g->pkgs[v].imports[j].to;
			if (w == s && (!best || dist[v] + 1 < best)) best = dist[v] + 1;
			if (dist[w] == NONE) {
				dist[w] = dist[v] + 1;
				queue[qt++] = w;
			}
		}
	}
	free(dist);
	free(queue);
	return best;
}

static int check_cycles(const struct graph *g, const unsigned char *reach)
{
	size_t n = g->npkgs;
	size_t *comp = xmalloc((n + 1) * sizeof *comp);
	size_t ncomp = graph_scc(g, comp);
	FUZZ_CHECK(n == 0 || (ncomp >= 1 && ncomp <= n), "%zu components", ncomp);
	size_t first_on_cycle = NONE;
	for (size_t p = 0; p < n; p++) {
		FUZZ_CHECK(comp[p] < ncomp, "component number out of range");
		if (first_on_cycle == NONE && reach[p * n + p]) first_on_cycle = p;
		for (size_t q = 0; q < n; q++) {
			int same = p == q || (reach[p * n + q] && reach[q * n + p]);
			FUZZ_CHECK(same == (comp[p] == comp[q]),
				   "graph_scc: %s and %s", g->pkgs[p].path,
				   g->pkgs[q].path);
		}
		for (size_t j = 0; j < g->pkgs[p].nimports; j++)
			FUZZ_CHECK(comp[g->pkgs[p].imports[j].to] <= comp[p],
				   "graph_scc: an import numbered above its importer");
	}

	struct cycle_step *st;
	size_t len = order_find_cycle(g, &st);
	FUZZ_CHECK((len > 0) == (first_on_cycle != NONE),
		   "order_find_cycle found %zu steps; a cycle %s", len,
		   first_on_cycle != NONE ? "exists" : "does not exist");
	if (len) {
		FUZZ_CHECK(st[0].from == first_on_cycle,
			   "the cycle starts at %s, not at %s", g->pkgs[st[0].from].path,
			   g->pkgs[first_on_cycle].path);
		FUZZ_CHECK(len == shortest_cycle(g, first_on_cycle),
			   "a cycle of %zu edges through %s is not a shortest one",
			   len, g->pkgs[first_on_cycle].path);
		for (size_t i = 0; i < len; i++) {
			const struct package *p = &g->pkgs[st[i].from];
			FUZZ_CHECK(st[i].edge < p->nimports, "step %zu: no such edge", i);
			FUZZ_CHECK(p->imports[st[i].edge].to == st[(i + 1) % len].from,
				   "step %zu does not lead to the next", i);
		}
		FUZZ_CHECK(order_report_cycle(g) == EXIT_ORDER, "no cycle reported");
	}
	free(st);
	free(comp);
	return len > 0;
}

static void check_main_reaches_all(const struct graph *g,
				   const unsigned char *reach)
{
	for (size_t i = 0; g->main != NONE && i < g->npkgs; i++)
		FUZZ_CHECK(i == g->main || reach[g->main * g->npkgs + i],
			   "main does not reach %s", g->pkgs[i].path);
}

/* The table and the report, or "" with a cycle. */
static char *outputs(const struct graph *g)
{
	char *buf = NULL;
	size_t len;
	size_t *order = xmalloc((g->npkgs + 1) * sizeof *order);
	FILE *f = open_memstream(&buf, &len);
	for (int m = ORDER_LEX; m <= ORDER_IMPORT; m++)
		if (!order_packages(g, (enum order_mode)m, order)) {
			struct plan p;
			plan_from_order(&p, g, (enum order_mode)m, order);
			emit_table(f, g, &p, DRIVER_RT0, NULL);
			report_write(f, g, &p);
			plan_free(&p);
		}
	fclose(f);
	free(order);
	return buf;
}

/* ---- the target -------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	size_t npk = 1 + take(&in) % NNAMES;
	unsigned flags = take(&in);
	struct graph_opts o = {
		.main = flags & 1 ? names[(flags >> 1) % npk] : NULL,
		.need_main = (flags >> 5) & 1,
	};
	struct input copy = in;
	struct recs rs = {0}, rev = {0};
	decode(&in, npk, &rs);
	decode(&copy, npk, &rev);
	for (size_t i = 0; i < rev.n / 2; i++) {
		struct scan_record t = rev.r[i];
		rev.r[i] = rev.r[rev.n - 1 - i];
		rev.r[rev.n - 1 - i] = t;
	}

	struct graph g, h;
	int rc = graph_build(&g, rs.r, rs.n, &o);
	int rc2 = graph_build(&h, rev.r, rev.n, &o);
	FUZZ_CHECK(rc == rc2, "graph_build = %d, on the records reversed %d", rc, rc2);
	if (!rc) {
		unsigned char *reach = closure(&g);
		int cyclic = check_cycles(&g, reach);
		check_order(&g, ORDER_LEX, cyclic);
		check_order(&g, ORDER_IMPORT, cyclic);
		check_main_reaches_all(&g, reach);
		free(reach);
		char *a = outputs(&g), *b = outputs(&h);
		FUZZ_CHECK(!strcmp(a, b), "outputs depend on the records' order:\n"
			   "%s\n---\n%s", a, b);
		free(a);
		free(b);
		graph_free(&g);
		graph_free(&h);
	}
	recs_free(&rs);
	recs_free(&rev);
	return 0;
}
