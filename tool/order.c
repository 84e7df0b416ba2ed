/*
 * order.c - the order in which packages are initialized, and import
 * cycles.
 *
 * Two modes, both Go's (spec/packages.md):
 *
 *   lex     Go >= 1.21, cmd/link/internal/ld/inittask.go: among the
 *           packages whose imports are all initialized, take the one whose
 *           path is first in byte order, and repeat.  That is Kahn's
 *           algorithm with a min-heap for the ready set.  g->pkgs is sorted
 *           by path, so the heap compares package indices, not strings.
 *
 *   import  Go <= 1.20, runtime.doInit: depth first from main, a package's
 *           imports in the order its import list gives (first occurrence
 *           in its files), each package after all its imports.  doInit
 *           recursed; here an explicit stack of (package, next import)
 *           frames does, so a deep chain cannot overflow the C stack.
 *           A package still on the stack when reached again is a cycle,
 *           which doInit reported as "recursive call during
 *           initialization".
 *
 * Both are linear in packages + edges (plus log n per heap operation).
 *
 * A cycle is reported the way Go reports one: "import cycle not allowed",
 * then every edge of one cycle with the place that made it.  To keep the
 * message stable the cycle chosen is the shortest one through the
 * byte-order-smallest package that is on any cycle, found by a
 * breadth-first search inside that package's strongly connected component
 * that follows imports in list order.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

#define NONE GRAPH_NONE

/* ---- the two orders ------------------------------------------------------ */

static int order_lex(const struct graph *g, size_t *out, int loose)
{
	size_t n = g->npkgs, nedges = 0, k = 0;
	for (size_t i = 0; i < n; i++) nedges += g->pkgs[i].nimports;

	/* Who imports each package (compressed rows), so initializing one
	 * can release its importers.  Counting per edge rather than per
	 * distinct import keeps the counts right even for a graph with a
	 * repeated edge. */
	size_t *pending = xmalloc(n * sizeof *pending);
	size_t *start = xcalloc(n + 1, sizeof *start);
	size_t *by = xmalloc((nedges ? nedges : 1) * sizeof *by);
	for (size_t i = 0; i < n; i++) {
		pending[i] = g->pkgs[i].nimports;
		for (size_t j = 0; j < g->pkgs[i].nimports; j++)
			start[g->pkgs[i].imports[j].to + 1]++;
	}
	for (size_t i = 0; i < n; i++) start[i + 1] += start[i];
	size_t *fill = xmalloc((n + 1) * sizeof *fill);
	memcpy(fill, start, (n + 1) * sizeof *fill);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < g->pkgs[i].nimports; j++)
			by[fill[g->pkgs[i].imports[j].to]++] = i;
	free(fill);

	/* util.c's heap, by index: package indices are byte order. */
	struct heap h = {xmalloc((n ? n : 1) * sizeof *h.a), 0, NULL};
	for (size_t i = 0; i < n; i++)
		if (!pending[i]) heap_push(&h, i);
	/* loose: when every package left waits on a cycle, the first of
	 * them in byte order goes next, as if its unfinished imports were
	 * done (pending is then SIZE_MAX, so it is never pushed again). */
	size_t next = 0;
	while (h.n || (loose && k < n)) {
		if (!h.n) {
			while (pending[next] == 0 || pending[next] == SIZE_MAX) next++;
			pending[next] = 0;
			heap_push(&h, next);
		}
		size_t q = heap_pop(&h);
		pending[q] = SIZE_MAX;
		out[k++] = q;
		for (size_t j = start[q]; j < start[q + 1]; j++)
			if (pending[by[j]] != SIZE_MAX && !--pending[by[j]])
				heap_push(&h, by[j]);
	}
	free(h.a);
	free(by);
	free(start);
	free(pending);
	return k == n ? 0 : 1;
}

static int order_import(const struct graph *g, size_t *out, int loose)
{
	size_t n = g->npkgs, k = 0, fp = 0;
	/* 0 not visited, 1 on the stack (doInit's "in progress"), 2 done */
	unsigned char *state = xcalloc(n ? n : 1, 1);
	size_t *fnode = xmalloc((n ? n : 1) * sizeof *fnode);
	size_t *fedge = xmalloc((n ? n : 1) * sizeof *fedge);
	int cycle = 0;

	/* From main; every package is reachable from it (graph_build adds
	 * implicit imports), so the loop over the others only matters when
	 * there is no main, and then roots go in byte order. */
	for (size_t r = 0; r <= n && !cycle; r++) {
		size_t root = r == 0 ? g->main : r - 1;
		if (root == NONE || state[root]) continue;
		state[root] = 1;
		fnode[fp] = root;
		fedge[fp++] = 0;
		while (fp) {
			size_t v = fnode[fp - 1];
			const struct package *p = &g->pkgs[v];
			if (fedge[fp - 1] < p->nimports) {
				size_t w = p->imports[fedge[fp - 1]++].to;
				/* loose: an import back into the stack is
				 * skipped, as if it were done. */
				if (state[w] == 1 && !loose) {
					cycle = 1;
					break;
				}
				if (!state[w]) {
					state[w] = 1;
					fnode[fp] = w;
					fedge[fp++] = 0;
				}
				continue;
			}
			fp--;
			state[v] = 2;
			out[k++] = v;
		}
	}
	free(state);
	free(fnode);
	free(fedge);
	return cycle;
}

int order_packages(const struct graph *g, enum order_mode mode, size_t *out)
{
	return mode == ORDER_IMPORT ? order_import(g, out, 0)
				    : order_lex(g, out, 0);
}

void order_packages_loose(const struct graph *g, enum order_mode mode,
			  size_t *out)
{
	if (mode == ORDER_IMPORT) order_import(g, out, 1);
	else order_lex(g, out, 1);
}

/* ---- cycles -------------------------------------------------------------- */

size_t order_find_cycle(const struct graph *g, struct cycle_step **steps)
{
	size_t n = g->npkgs;
	*steps = NULL;
	if (!n) return 0;
	size_t *comp = xmalloc(n * sizeof *comp);
	size_t ncomp = graph_scc(g, comp);
	size_t *size = xcalloc(ncomp, sizeof *size);
	for (size_t i = 0; i < n; i++) size[comp[i]]++;

	/* The first package in byte order on a cycle: in a component of two
	 * or more (graph_build makes no edge from a package to itself, and
	 * PKG_AFTER inside a package is no import: plan.c). */
	size_t s = NONE;
	for (size_t i = 0; i < n && s == NONE; i++)
		if (size[comp[i]] > 1) s = i;
	free(size);
	if (s == NONE) {
		free(comp);
		return 0;
	}

	/* Breadth first from s inside its component: the first edge found
	 * back to s closes a shortest cycle through s. */
	size_t *pfrom = xmalloc(n * sizeof *pfrom);
	size_t *pedge = xmalloc(n * sizeof *pedge);
	size_t *queue = xmalloc(n * sizeof *queue);
	unsigned char *seen = xcalloc(n, 1);
	size_t qh = 0, qt = 0, last = NONE, lastedge = 0;
	queue[qt++] = s;
	seen[s] = 1;
	while (qh < qt && last == NONE) {
		size_t v = queue[qh++];
		const struct package *p = &g->pkgs[v];
		for (size_t j = 0; j < p->nimports; j++) {
			size_t w = p->imports[j].to;
			if (w == s) {
				last = v;
				lastedge = j;
				break;
			}
			if (seen[w] || comp[w] != comp[s]) continue;
			seen[w] = 1;
			pfrom[w] = v;
			pedge[w] = j;
			queue[qt++] = w;
		}
	}

	size_t len = 1;
	for (size_t v = last; v != s; v = pfrom[v]) len++;
	struct cycle_step *st = xmalloc(len * sizeof *st);
	st[len - 1] = (struct cycle_step){last, lastedge};
	size_t i = len - 1;
	for (size_t v = last; v != s; v = pfrom[v])
		st[--i] = (struct cycle_step){pfrom[v], pedge[v]};

	free(pfrom);
	free(pedge);
	free(queue);
	free(seen);
	free(comp);
	*steps = st;
	return len;
}

/* How an edge came to be, for the notes of a cycle. */
static char *edge_how(const struct edge *e)
{
	switch (e->kind) {
	case EDGE_INCLUDE:
		return e->via ? xasprintf("includes %s", e->via) : xstrdup("#include");
	case EDGE_IMPORT: return xstrdup("PKG_IMPORT");
	case EDGE_AFTER: return xstrdup(e->via);
	case EDGE_IMPLICIT: break;
	}
	return xstrdup("implicitly, as no declared import reaches it");
}

/* The error points at the first edge so an editor jumps to code that is
 * part of the cycle; the notes walk the whole cycle, one edge each:
 *
 *   a/a.c:3: error: import cycle not allowed
 *   a/a.c:3: note: a imports b (includes b/b.h)
 *   b/b.h:2:1: note: b imports a (PKG_IMPORT)
 */
int order_report_cycle(const struct graph *g)
{
	struct cycle_step *st;
	size_t n = order_find_cycle(g, &st);
	if (!n) return 0;
	const struct edge *first = &g->pkgs[st[0].from].imports[st[0].edge];
	diag_error(first->at, "import cycle not allowed");
	for (size_t i = 0; i < n; i++) {
		const struct package *p = &g->pkgs[st[i].from];
		const struct edge *e = &p->imports[st[i].edge];
		char *how = edge_how(e);
		diag_note(e->at, "%s imports %s (%s)", p->path,
			  g->pkgs[e->to].path, how);
		free(how);
	}
	free(st);
	return EXIT_ORDER;
}

const char *const order_mode_names[] = {"lex", "import", NULL};

const char *order_mode_name(enum order_mode m)
{
	return order_mode_names[m];
}

int order_mode_parse(const char *s, enum order_mode *m)
{
	int i = opt_choice(order_mode_names, s);
	if (i < 0) return -1;
	*m = (enum order_mode)i;
	return 0;
}
