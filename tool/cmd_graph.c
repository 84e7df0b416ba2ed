/*
 * cmd_graph.c - pkginit graph: show the import graph.
 *
 * Unlike every other command it does not fail on import cycles: a team
 * looking at a legacy codebase before adopting pkginit needs to see the
 * cycles (strongly connected components) to break them.
 */
#include "opt.h"

#include <stdlib.h>
#include <string.h>

static const char *graph_edge_kind(enum edge_kind k)
{
	return k == EDGE_INCLUDE ? "include" : k == EDGE_IMPORT ? "PKG_IMPORT"
	       : k == EDGE_AFTER ? "PKG_AFTER" : "implicit";
}

/* Components with more than one package, or a package importing itself
 * (impossible by construction, but cheap to be honest about). */
static int graph_is_cycle(const size_t *comp, const size_t *size, size_t i)
{
	return size[comp[i]] > 1;
}

/* The inside of a DOT quoted string: '"' and '\\' escaped (a backslash
 * would otherwise start an escape such as \N or \l in a label). */
static void graph_dot_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') fputc('\\', f);
		fputc(*s, f);
	}
}

static void graph_dot_id(FILE *f, const char *s)
{
	fputc('"', f);
	graph_dot_text(f, s);
	fputc('"', f);
}

static void graph_dot(FILE *f, const struct graph *g, const size_t *comp,
		      const size_t *size, size_t ncomp)
{
	fprintf(f, "digraph imports {\n\trankdir=BT;\n\tnode [shape=box];\n");
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *p = &g->pkgs[i];
		fputc('\t', f);
		graph_dot_id(f, p->path);
		fputs(" [label=\"", f);
		graph_dot_text(f, p->path);
		fprintf(f, "\\n%zu init%s\"%s];\n", p->ninits,
			p->ninits == 1 ? "" : "s",
			graph_is_cycle(comp, size, i) ? ", color=red" : "");
	}
	for (size_t i = 0; i < g->npkgs; i++)
		for (size_t j = 0; j < g->pkgs[i].nimports; j++) {
			const struct edge *e = &g->pkgs[i].imports[j];
			fputc('\t', f);
			graph_dot_id(f, g->pkgs[i].path);
			fputs(" -> ", f);
			graph_dot_id(f, g->pkgs[e->to].path);
			if (e->kind == EDGE_IMPLICIT) fputs(" [style=dashed]", f);
			else if (comp[i] == comp[e->to]) fputs(" [color=red]", f);
			fputs(";\n", f);
		}
	for (size_t c = 0; c < ncomp; c++) {
		if (size[c] < 2) continue;
		fprintf(f, "\tsubgraph cluster_cycle%zu {\n\t\tlabel=\"import cycle\";\n\t\tcolor=red;\n", c);
		for (size_t i = 0; i < g->npkgs; i++)
			if (comp[i] == c) {
				fputs("\t\t", f);
				graph_dot_id(f, g->pkgs[i].path);
				fputs(";\n", f);
			}
		fputs("\t}\n", f);
	}
	fputs("}\n", f);
}

static void graph_text(FILE *f, const struct graph *g, const size_t *comp,
		       const size_t *size, size_t ncomp)
{
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *p = &g->pkgs[i];
		fprintf(f, "%s", p->path);
		if (strcmp(p->path, p->dir)) fprintf(f, " (directory %s)", p->dir);
		fprintf(f, ": %zu init function%s\n", p->ninits, p->ninits == 1 ? "" : "s");
		for (size_t j = 0; j < p->nimports; j++) {
			const struct edge *e = &p->imports[j];
			fprintf(f, "    imports %s", g->pkgs[e->to].path);
			if (e->at.file)
				fprintf(f, "  (%s at %s:%u)", graph_edge_kind(e->kind),
					e->at.file, e->at.line);
			else
				fprintf(f, "  (implicit: not reachable from main)");
			if (comp[i] == comp[e->to]) fputs("  [cycle]", f);
			fputc('\n', f);
		}
	}
	size_t ncycles = 0;
	for (size_t c = 0; c < ncomp; c++) ncycles += size[c] > 1;
	fprintf(f, "%zu package%s, %zu import cycle%s\n", g->npkgs,
		g->npkgs == 1 ? "" : "s", ncycles, ncycles == 1 ? "" : "s");
	for (size_t c = 0; c < ncomp; c++) {
		if (size[c] < 2) continue;
		fprintf(f, "cycle:");
		for (size_t i = 0; i < g->npkgs; i++)
			if (comp[i] == c) fprintf(f, " %s", g->pkgs[i].path);
		fputc('\n', f);
	}
}

static void graph_yaml(FILE *f, const struct graph *g, const size_t *comp,
		       const size_t *size, size_t ncomp)
{
	fprintf(f, "pkginit: %d\nkind: graph\n", PKGINIT_FORMAT);
	if (g->main != GRAPH_NONE) {
		fputs("main: ", f);
		yaml_put_str(f, g->pkgs[g->main].path);
		fputc('\n', f);
	}
	fputs(g->npkgs ? "packages:\n" : "packages: []\n", f);
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *p = &g->pkgs[i];
		fputs("  - path: ", f);
		yaml_put_str(f, p->path);
		fputs("\n    dir: ", f);
		yaml_put_str(f, p->dir);
		fprintf(f, "\n    inits: %zu\n", p->ninits);
		fputs(p->nimports ? "    imports:\n" : "    imports: []\n", f);
		for (size_t j = 0; j < p->nimports; j++) {
			const struct edge *e = &p->imports[j];
			fputs("      - {path: ", f);
			yaml_put_str(f, g->pkgs[e->to].path);
			fprintf(f, ", kind: %s", e->kind == EDGE_INCLUDE ? "include"
				: e->kind == EDGE_IMPORT ? "import" : "implicit");
			if (e->at.file) {
				fputs(", file: ", f);
				yaml_put_str(f, e->at.file);
				fprintf(f, ", line: %u", e->at.line);
			}
			fputs("}\n", f);
		}
	}
	size_t ncycles = 0;
	for (size_t c = 0; c < ncomp; c++) ncycles += size[c] > 1;
	fputs(ncycles ? "cycles:\n" : "cycles: []\n", f);
	for (size_t c = 0; c < ncomp; c++) {
		if (size[c] < 2) continue;
		const char **members = xcalloc(size[c], sizeof *members);
		size_t n = 0;
		for (size_t i = 0; i < g->npkgs; i++)
			if (comp[i] == c) members[n++] = g->pkgs[i].path;
		fputs("  - ", f);
		yaml_put_str_seq(f, (char *const *)members, n);
		fputc('\n', f);
		free(members);
	}
}

/* Without cycles, the order the table would have. */
static void graph_order_line(FILE *f, const struct graph *g, enum order_mode mode)
{
	size_t *order = xcalloc(g->npkgs ? g->npkgs : 1, sizeof *order);
	if (order_packages(g, mode, order) == 0) {
		fprintf(f, "order (%s):", order_mode_name(mode));
		for (size_t i = 0; i < g->npkgs; i++) fprintf(f, " %s", g->pkgs[order[i]].path);
		fputc('\n', f);
	}
	free(order);
}

static const char *const graph_formats[] = {"text", "dot", "yaml", NULL};

int cmd_graph(int argc, char **argv)
{
	const char *format = "text", *out = "-";
	struct inputs_opts io = {0};
	const struct option opts[] = {
		{OPT_CHOICE, NULL, "format", OPT_CHOICE_OF(format, graph_formats),
		 NULL, "output format (default text)"},
		{OPT_STRING, "o", "output", &out, "FILE", "write here (default: stdout)"},
		INPUTS_OPTIONS(io),
		{0},
	};
	const struct opt_cmd cmd = {
		"graph",
		"(REC... | FILE.c... [-- CFLAGS...] | -p BUILD_DIR [FILE.c...])",
		"Show the import graph: packages, their imports with the #include or\n"
		"PKG_IMPORT behind each, and import cycles (strongly connected\n"
		"components).  Cycles are shown, not errors.",
		opts,
		"Exit status: 0 ok (even with cycles), 1 the packages are wrong\n"
		"(two mains, duplicate init function, unknown import), 2 usage,\n"
		"3 an input cannot be read or parsed.",
	};
	struct opt_args args;
	struct scan_record *recs = NULL;
	size_t nrecs = 0;
	struct graph g = {0};
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	void (*show)(FILE *, const struct graph *, const size_t *, const size_t *, size_t) =
		!strcmp(format, "dot") ? graph_dot
		: !strcmp(format, "yaml") ? graph_yaml : graph_text;
	/* graph shows packages; it needs no function facts. */
	io.no_verify = 1;
	rc = inputs_load("graph", &io, &args, &recs, &nrecs);
	/* The order mode: --order, else pkginit.yaml's (a choice: valid). */
	enum order_mode mode = ORDER_LEX;
	if (io.order) order_mode_parse(io.order, &mode);
	struct graph_opts go = {.main = io.main, .need_main = 0};
	const struct out_name names[] = {{"-o", out}};
	if (!rc) rc = inputs_check_outputs("graph", &io, recs, nrecs, names, 1);
	if (!rc) rc = graph_build(&g, recs, nrecs, &go);
	if (!rc) {
		size_t *comp = xcalloc(g.npkgs ? g.npkgs : 1, sizeof *comp);
		size_t ncomp = graph_scc(&g, comp);
		size_t *size = xcalloc(ncomp ? ncomp : 1, sizeof *size);
		for (size_t i = 0; i < g.npkgs; i++) size[comp[i]]++;
		struct out o;
		rc = out_open(&o, out);
		if (!rc) {
			show(o.fp, &g, comp, size, ncomp);
			if (show == graph_text) graph_order_line(o.fp, &g, mode);
			rc = out_commit(&o);
		}
		free(size);
		free(comp);
	}
	graph_free(&g);
	inputs_free(recs, nrecs);
	free(args.files);
	inputs_done(&io);
	return rc;
}
