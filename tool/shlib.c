/*
 * shlib.c - --shlib-report: the packages that a program's shared
 * libraries initialize with tables of their own (spec/shlib.md).
 *
 * A shared library linked with --driver=shlib runs its packages' init
 * functions itself, when it is loaded, before the program's table.  A
 * program whose records also cover those packages (a compilation
 * database with every target's TUs, a Makefile that scans all sources)
 * would initialize them a second time and call functions the library may
 * not export.  Given the libraries' reports, link, gen and check leave
 * those packages' init functions out of this table and out of its report
 * (the packages stay, as imports, with no init functions), so the table,
 * the report and the lock describe what this table runs.
 *
 * The library runs first, so none of its packages may need a package
 * whose init functions stay in this table: a library package that
 * imports one, directly or through packages without init functions, is
 * an error at the library report's line.  (Go's runtime has the same
 * rule for free: a module's packages cannot import the program's.)
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

/* Does package i (not itself in a library) lead, through packages that
 * have no init functions here, to one that has?  Returns its index or
 * GRAPH_NONE.  seen is per walk.  Depth first, in import order, as a
 * recursion would go, but on a stack of its own: a chain of packages
 * without init functions can be as long as the graph, and graph.c's
 * walks keep off the C stack for the same reason. */
static size_t shlib_reaches(const struct graph *g, size_t i,
			    const unsigned char *inlib, unsigned char *seen)
{
	if (seen[i] || inlib[i]) return GRAPH_NONE;
	seen[i] = 1;
	if (g->pkgs[i].ninits) return i;
	struct shlib_frame {
		size_t pkg, next;       /* a package, its next import */
	} *st = NULL;
	size_t n = 0, cap = 0, found = GRAPH_NONE;
	VEC_PUSH(st, n, cap, ((struct shlib_frame){i, 0}));
	while (n && found == GRAPH_NONE) {
		struct shlib_frame *f = &st[n - 1];
		if (f->next == g->pkgs[f->pkg].nimports) {
			n--;
			continue;
		}
		size_t to = g->pkgs[f->pkg].imports[f->next++].to;
		if (seen[to] || inlib[to]) continue;
		seen[to] = 1;
		if (g->pkgs[to].ninits) found = to;
		else VEC_PUSH(st, n, cap, ((struct shlib_frame){to, 0}));
	}
	free(st);
	return found;
}

int shlib_apply(const struct opt_list *reports, struct graph *g)
{
	int rc = 0;
	if (!reports->n) return rc;
	struct report *rs = xcalloc(reports->n, sizeof *rs);
	size_t nread = 0;
	for (; !rc && nread < reports->n; nread++)
		rc = report_read(reports->items[nread], &rs[nread]);
	unsigned char *inlib = xcalloc(g->npkgs + 1, 1);
	unsigned char *seen = xcalloc(g->npkgs + 1, 1);
	for (size_t r = 0; !rc && r < nread; r++)
		for (size_t p = 0; p < rs[r].npkgs; p++) {
			size_t i = graph_find(g, rs[r].pkgs[p].path);
			if (rs[r].pkgs[p].ninits && i != GRAPH_NONE) inlib[i] = 1;
		}
	for (size_t r = 0; !rc && r < nread; r++)
		for (size_t p = 0; p < rs[r].npkgs; p++) {
			const struct report_pkg *rp = &rs[r].pkgs[p];
			for (size_t k = 0; rp->ninits && k < rp->nimports; k++) {
				size_t i = graph_find(g, rp->imports[k]);
				if (i == GRAPH_NONE) continue;
				memset(seen, 0, g->npkgs);
				size_t x = shlib_reaches(g, i, inlib, seen);
				if (x == GRAPH_NONE) continue;
				diag_error(rp->at, "package '%s' of this shared library imports '%s', "
					   "whose init functions are in the program's table: the "
					   "library initializes first", rp->path, rp->imports[k]);
				if (x != i)
					diag_note((struct loc){0}, "'%s' reaches '%s', which has init "
						  "functions", rp->imports[k], g->pkgs[x].path);
				diag_note((struct loc){0}, "move '%s' into the library, or drop "
					  "the import", g->pkgs[x].path);
				rc = EXIT_ORDER;
			}
		}
	for (size_t i = 0; !rc && i < g->npkgs; i++)
		if (inlib[i]) g->pkgs[i].ninits = 0;
	for (size_t r = 0; r < nread; r++) report_free(&rs[r]);
	free(rs);
	free(inlib);
	free(seen);
	return rc;
}
