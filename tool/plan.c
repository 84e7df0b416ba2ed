/*
 * plan.c - the order as the table runs it: tasks of init functions.
 *
 * Go's linker writes one inittask per package, in package order
 * (cmd/link/internal/ld/inittask.go); with --deps include so does
 * pkginit.  With --deps uses the order is one of init functions, which
 * may leave a package, run another's, and come back: each run of one
 * package's init functions is a task of its own (deps.c, spec/uses.md).
 *
 * Include mode, step by step:
 *   1. PKG_AFTER(f, g) between packages is an import of g's package by
 *      f's (an EDGE_AFTER edge at the annotation, so a cycle it makes is
 *      reported there);
 *   2. packages in --order's order; an import cycle is an error;
 *   3. inside a package, init functions by file and position, moved only
 *      as far as PKG_AFTER within the package needs (a stable
 *      topological order);
 *   4. unless verification is off, deps_verify checks the result against
 *      what the init functions read and write.
 *
 * Uses mode: the package order with cycles allowed (order.c's loose
 * order) gives each init function a rank, deps_order sorts the init
 * functions topologically by their constraints, smallest rank first,
 * and consecutive ones of a package are grouped.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->ntasks; i++) free(p->tasks[i].inits);
	free(p->tasks);
	*p = (struct plan){0};
}

static struct plan_task *plan_add(struct plan *p, size_t *cap, size_t pkg)
{
	struct plan_task t = {pkg, NULL, 0};
	VEC_PUSH(p->tasks, p->ntasks, *cap, t);
	return &p->tasks[p->ntasks - 1];
}

void plan_from_order(struct plan *p, const struct graph *g,
		     enum order_mode mode, const size_t *order)
{
	*p = (struct plan){.mode = mode, .deps = DEPS_INCLUDE};
	size_t cap = 0;
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *pk = &g->pkgs[order[i]];
		struct plan_task *t = plan_add(p, &cap, order[i]);
		t->ninits = pk->ninits;
		t->inits = xcalloc(pk->ninits ? pk->ninits : 1, sizeof *t->inits);
		for (size_t j = 0; j < pk->ninits; j++) t->inits[j] = &pk->inits[j];
	}
}

/* Init i's package-order rank: its place when packages go in order[]
 * and each package's init functions in graph order. */
static size_t *plan_ranks(const struct graph *g, const struct deps *d,
			  const size_t *order)
{
	size_t n = deps_ninits(d);
	size_t *first = xcalloc(g->npkgs + 1, sizeof *first), *at = xcalloc(g->npkgs + 1, sizeof *at);
	/* graph-order numbering: package p's inits start at first[p] */
	for (size_t p = 0; p < g->npkgs; p++) first[p + 1] = first[p] + g->pkgs[p].ninits;
	size_t r = 0;
	for (size_t i = 0; i < g->npkgs; i++) {
		at[order[i]] = r;
		r += g->pkgs[order[i]].ninits;
	}
	size_t *rank = xmalloc((n ? n : 1) * sizeof *rank);
	for (size_t i = 0; i < n; i++) {
		size_t p = deps_init_pkg(d, i);
		rank[i] = at[p] + (i - first[p]);
	}
	free(first);
	free(at);
	return rank;
}

static int plan_include(struct plan *p, struct graph *g, const struct deps *d,
			enum order_mode mode, int verify)
{
	size_t before, after;
	struct loc at;
	for (size_t k = 0; deps_after(d, k, &before, &after, &at); k++) {
		size_t pf = deps_init_pkg(d, after), pg = deps_init_pkg(d, before);
		if (pf == pg) continue;
		char *via = xasprintf("PKG_AFTER(%s, %s)", deps_init(d, after)->name,
				      deps_init(d, before)->name);
		graph_add_import(g, pf, pg, EDGE_AFTER, at, via);
		free(via);
	}
	size_t *order = xcalloc(g->npkgs ? g->npkgs : 1, sizeof *order);
	if (order_packages(g, mode, order) != 0) {
		free(order);
		return order_report_cycle(g);
	}
	plan_from_order(p, g, mode, order);
	/* PKG_AFTER inside a package: a stable topological order of the
	 * package's init functions, by their place (rank). */
	size_t n = deps_ninits(d);
	size_t *rank = plan_ranks(g, d, order), *out = xmalloc((n ? n : 1) * sizeof *out);
	int rc = deps_order(d, rank, 1, out);
	if (!rc) {
		/* out keeps a package's init functions together, packages
		 * in order[]'s order: a PKG_AFTER between packages is an
		 * import now, so it points forward in order[], and ranks
		 * number packages in that order; the smallest rank ready is
		 * then always one of the first package with init functions
		 * left (what they wait on there is done, and a cycle among
		 * them would have failed deps_order).  So the tasks' init
		 * functions are out, slice by slice. */
		size_t k = 0;
		for (size_t t = 0; t < p->ntasks; t++)
			for (size_t j = 0; j < p->tasks[t].ninits; j++)
				p->tasks[t].inits[j] = deps_init(d, out[k++]);
		if (verify) {
			size_t *pos = xmalloc((n ? n : 1) * sizeof *pos);
			for (size_t i = 0; i < n; i++) pos[out[i]] = i;
			rc = deps_verify(d, pos);
			free(pos);
		}
	}
	free(rank);
	free(out);
	free(order);
	return rc;
}

static int plan_uses(struct plan *p, struct graph *g, const struct deps *d,
		     enum order_mode mode)
{
	*p = (struct plan){.mode = mode, .deps = DEPS_USES};
	size_t n = deps_ninits(d);
	size_t *order = xcalloc(g->npkgs ? g->npkgs : 1, sizeof *order);
	order_packages_loose(g, mode, order);
	size_t *rank = plan_ranks(g, d, order), *out = xmalloc((n ? n : 1) * sizeof *out);
	int rc = deps_order(d, rank, 0, out);
	size_t cap = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		size_t pkg = deps_init_pkg(d, out[i]);
		/* Every task made here gets its first init at once. */
		struct plan_task *t = p->ntasks ? &p->tasks[p->ntasks - 1] : NULL;
		if (!t || t->pkg != pkg) {
			t = plan_add(p, &cap, pkg);
			t->inits = xcalloc(g->pkgs[pkg].ninits, sizeof *t->inits);
		}
		t->inits[t->ninits++] = deps_init(d, out[i]);
	}
	for (size_t i = 0; !rc && i < g->npkgs; i++)
		if (!g->pkgs[order[i]].ninits) {
			struct plan_task *t = plan_add(p, &cap, order[i]);
			t->inits = xcalloc(1, sizeof *t->inits);
		}
	free(rank);
	free(out);
	free(order);
	if (rc) plan_free(p);
	return rc;
}

int plan_build(struct plan *p, struct graph *g, const struct deps *d,
	       enum order_mode mode, enum deps_mode deps, int verify)
{
	*p = (struct plan){0};
	if (deps == DEPS_USES) return plan_uses(p, g, d, mode);
	int rc = plan_include(p, g, d, mode, verify);
	if (rc) plan_free(p);
	return rc;
}
