/*
 * cmd_why.c - pkginit why A B: every reason A depends on B.
 *
 * Go's `go mod why` answers the same question for modules with one
 * chain; a C codebase has dozens of reasons behind a typical edge (every
 * #include of one header), and what matters is each of them, where it
 * is.  So every reason is a note at its place, in compiler format, for
 * an editor to step through:
 *
 *   - each #include by a file of A's package of a file of B's package
 *     (as many records as read it, shown once);
 *   - each PKG_IMPORT in A's package naming B's package;
 *   - main's implicit import, when A is main;
 *   - for each init function of A (or A itself) and each of B: every
 *     variable it reads that the other writes, with both call chains,
 *     and every PKG_AFTER (deps.c).
 *
 * A and B are init function names or package paths (an init function
 * wins when a name is both).  The reasons are direct ones: why A's
 * package imports B's, not the chain of packages in between.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

/* What one of the two names stands for. */
struct why_end {
	const char *name;
	size_t pkg;                     /* its package */
	size_t init;                    /* deps.c's init number, or GRAPH_NONE */
};

static int why_resolve(const struct graph *g, const struct deps *d,
		       const char *name, struct why_end *e)
{
	*e = (struct why_end){name, GRAPH_NONE, deps_find_init(d, name)};
	if (e->init != GRAPH_NONE) {
		e->pkg = deps_init_pkg(d, e->init);
		return 0;
	}
	char *p = path_normalize(name);
	e->pkg = graph_find(g, p);
	free(p);
	if (e->pkg != GRAPH_NONE) return 0;
	diag_error((struct loc){0}, "'%s' is neither an init function nor a "
		   "package of this program", name);
	return EXIT_USAGE;
}

struct why_site {
	const char *from, *to;
	unsigned line;
};

static int why_cmp_site(const void *a, const void *b)
{
	const struct why_site *x = a, *y = b;
	int c = strcmp(x->from, y->from);
	if (c) return c;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	return strcmp(x->to, y->to);
}

static size_t why_file_pkg(const struct graph *g, const char *path)
{
	size_t p;
	return strmap_get(&g->files, path, &p) ? p : GRAPH_NONE;
}

/* The package-level reasons: #include sites, PKG_IMPORT, implicit. */
static size_t why_packages(const struct graph *g, const struct scan_record *recs,
			   size_t nrecs, size_t pa, size_t pb)
{
	struct why_site *sites = NULL;
	size_t n = 0, cap = 0, count = 0;
	for (size_t r = 0; r < nrecs; r++)
		for (size_t i = 0; i < recs[r].nincludes; i++) {
			const struct scan_include *inc = &recs[r].includes[i];
			if (why_file_pkg(g, inc->from) != pa ||
			    why_file_pkg(g, inc->to) != pb)
				continue;
			struct why_site s = {inc->from, inc->to, inc->line};
			VEC_PUSH(sites, n, cap, s);
		}
	if (n > 1) qsort(sites, n, sizeof *sites, why_cmp_site);
	for (size_t i = 0; i < n; i++) {
		if (i && !why_cmp_site(&sites[i - 1], &sites[i])) continue;
		diag_note((struct loc){sites[i].from, sites[i].line, 0},
			  "%s imports %s: includes %s", g->pkgs[pa].path,
			  g->pkgs[pb].path, sites[i].to);
		count++;
	}
	free(sites);
	for (size_t r = 0; r < nrecs; r++)
		for (size_t i = 0; i < recs[r].nimports; i++) {
			const struct scan_annot *a = &recs[r].imports[i];
			if (why_file_pkg(g, a->file) != pa) continue;
			if (strcmp(a->path, g->pkgs[pb].dir) &&
			    strcmp(a->path, g->pkgs[pb].path))
				continue;
			/* A header's PKG_IMPORT is seen by every TU that
			 * includes it: once per place. */
			int seen = 0;
			for (size_t q = 0; q < r && !seen; q++)
				for (size_t k = 0; k < recs[q].nimports && !seen; k++)
					seen = !strcmp(recs[q].imports[k].file, a->file) &&
					       recs[q].imports[k].line == a->line &&
					       !strcmp(recs[q].imports[k].path, a->path);
			if (seen) continue;
			diag_note((struct loc){a->file, a->line, a->col},
				  "%s imports %s: PKG_IMPORT(\"%s\")",
				  g->pkgs[pa].path, g->pkgs[pb].path, a->path);
			count++;
		}
	const struct package *p = &g->pkgs[pa];
	for (size_t i = 0; i < p->nimports; i++)
		if (p->imports[i].to == pb && p->imports[i].kind == EDGE_IMPLICIT) {
			diag_note((struct loc){0}, "%s imports %s implicitly: main "
				  "imports every package it does not reach, so that "
				  "its init functions run last", p->path,
				  g->pkgs[pb].path);
			count++;
		}
	return count;
}

/* Init i is what e stands for: e itself, or one of e's package's. */
static int why_covers(const struct deps *d, const struct why_end *e, size_t i)
{
	return e->init != GRAPH_NONE ? i == e->init : deps_init_pkg(d, i) == e->pkg;
}

/* The init-level reasons, for every pair of init functions of a and b. */
static size_t why_inits(const struct deps *d, const struct why_end *a,
			const struct why_end *b)
{
	size_t n = deps_ninits(d);
	unsigned char *in_a = xcalloc(n, 1), *in_b = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++) {
		in_a[i] = (unsigned char)why_covers(d, a, i);
		in_b[i] = (unsigned char)why_covers(d, b, i);
	}
	size_t count = deps_explain(d, in_a, in_b);
	free(in_a);
	free(in_b);
	return count;
}

int cmd_why(int argc, char **argv)
{
	struct inputs_opts io = {0};
	const struct option opts[] = {
		INPUTS_OPTIONS(io),
		{0},
	};
	const struct opt_cmd cmd = {
		"why",
		"A B (REC... | FILE.c... [-- CFLAGS...] | -p BUILD_DIR [FILE.c...])",
		"Print every reason A depends on B, each at its place: the #include\n"
		"sites and PKG_IMPORTs between their packages, and for their init\n"
		"functions each variable one reads that the other writes (with the\n"
		"call chains that reach the read and the write) and each PKG_AFTER.\n"
		"A and B are init function names or package paths.",
		opts,
		"Exit status: 0 reasons were printed, 1 A does not depend on B\n"
		"directly (or the packages are wrong), 2 usage, 3 an input cannot\n"
		"be read or parsed.",
	};
	struct opt_args args;
	struct scan_record *recs = NULL;
	size_t nrecs = 0;
	struct graph g = {0};
	struct deps *d = NULL;
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	const char *an = args.nfiles > 0 ? args.files[0] : NULL;
	const char *bn = args.nfiles > 1 ? args.files[1] : NULL;
	struct opt_args in = args;
	if (!bn) {
		rc = diag_usage("why", "give two names: 'pkginit why A B FILES...'");
	} else {
		in.files += 2;
		in.nfiles -= 2;
		if (!in.nfiles && !io.compdb_dir && !io.compdb_file)
			rc = diag_usage("why", "no input files (give scan records, "
					".c files, or -p BUILD_DIR)");
	}
	/* The reasons are in function facts, whatever --no-verify says. */
	io.no_verify = 0;
	if (!rc) rc = inputs_load("why", &io, &in, &recs, &nrecs);
	struct graph_opts go = {.main = io.main, .file_map = 1};
	if (!rc) rc = graph_build(&g, recs, nrecs, &go);
	if (!rc) rc = deps_build(&d, recs, nrecs, &g, 1, io.follow_addresses);
	struct why_end a, b;
	if (!rc) rc = why_resolve(&g, d, an, &a);
	if (!rc) rc = why_resolve(&g, d, bn, &b);
	if (!rc) {
		size_t n = 0;
		if (a.pkg != b.pkg) n += why_packages(&g, recs, nrecs, a.pkg, b.pkg);
		n += why_inits(d, &a, &b);
		if (n)
			diag_note((struct loc){0}, "%s depends on %s: %zu reason%s "
				  "above", an, bn, n, n > 1 ? "s" : "");
		else
			diag_note((struct loc){0}, "%s does not depend on %s "
				  "directly", an, bn);
		rc = n ? 0 : EXIT_ORDER;
	}
	deps_free(d);
	graph_free(&g);
	inputs_free(recs, nrecs);
	free(args.files);
	inputs_done(&io);
	return rc;
}
