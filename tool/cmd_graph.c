/*
 * cmd_graph.c - pkginit graph: show the import graph.
 *
 * Unlike every other command it does not fail on import cycles: a team
 * looking at a legacy codebase before adopting pkginit needs to see the
 * cycles (strongly connected components) to break them, and it does not
 * fail on several mains either: over a whole repository's compilation
 * database it shows each program, as `link --main FILE` would build it,
 * one graph_build per program (the records are parsed once).
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

/* graph_build's edges only: PKG_AFTER's (EDGE_AFTER) are plan.c's, added
 * when a table is planned, which graph never does. */
static const char *cmd_graph_edge_kind(enum edge_kind k)
{
	return k == EDGE_INCLUDE ? "include" : k == EDGE_IMPORT ? "PKG_IMPORT"
	       : "implicit";
}

/* One program's graph with its cycles, as the formats show it.  Two sets
 * of strongly connected components: over the real imports (#include,
 * PKG_IMPORT), whose cycles are the code's, and over every import, where
 * main's implicit imports (spec/packages.md) may close one more: as they
 * all leave main, that is at most one component, main's, and it counts
 * as a cycle through implicit imports when one of them lies inside it. */
struct cmd_graph_view {
	const struct graph *g;
	size_t *comp;                   /* every import */
	size_t *real, *rsize, nreal;    /* real imports only */
	int implicit_cycle;             /* main's component is one */
	size_t prog;                    /* section number (dot ids) */
	int sections;                   /* several programs are shown */
};

static void cmd_graph_view_init(struct cmd_graph_view *v, const struct graph *g,
			    size_t prog, int sections)
{
	size_t n = g->npkgs ? g->npkgs : 1;
	*v = (struct cmd_graph_view){.g = g, .prog = prog, .sections = sections};
	v->comp = xcalloc(n, sizeof *v->comp);
	v->real = xcalloc(n, sizeof *v->real);
	graph_scc(g, v->comp);
	v->nreal = graph_scc_real(g, v->real);
	v->rsize = xcalloc(v->nreal ? v->nreal : 1, sizeof *v->rsize);
	for (size_t i = 0; i < g->npkgs; i++) v->rsize[v->real[i]]++;
	if (g->main != GRAPH_NONE) {
		const struct package *m = &g->pkgs[g->main];
		for (size_t j = 0; j < m->nimports; j++)
			if (m->imports[j].kind == EDGE_IMPLICIT &&
			    v->comp[m->imports[j].to] == v->comp[g->main])
				v->implicit_cycle = 1;
	}
}

static void cmd_graph_view_free(struct cmd_graph_view *v)
{
	free(v->comp);
	free(v->real);
	free(v->rsize);
}

/* Package i is on a cycle of real imports. */
static int cmd_graph_in_cycle(const struct cmd_graph_view *v, size_t i)
{
	return v->rsize[v->real[i]] > 1;
}

/* ... or only on the cycle through implicit imports. */
static int cmd_graph_in_implicit_cycle(const struct cmd_graph_view *v, size_t i)
{
	return v->implicit_cycle && !cmd_graph_in_cycle(v, i) &&
	       v->comp[i] == v->comp[v->g->main];
}

/* Edge e of package i: 1 on a cycle of real imports, 2 only on the
 * cycle through implicit imports, else 0. */
static int cmd_graph_edge_cycle(const struct cmd_graph_view *v, size_t i,
			    const struct edge *e)
{
	if (e->kind != EDGE_IMPLICIT && v->real[i] == v->real[e->to]) return 1;
	if (v->implicit_cycle && v->comp[i] == v->comp[v->g->main] &&
	    v->comp[e->to] == v->comp[i])
		return 2;
	return 0;
}

static size_t cmd_graph_ncycles(const struct cmd_graph_view *v)
{
	size_t n = 0;
	for (size_t c = 0; c < v->nreal; c++) n += v->rsize[c] > 1;
	return n;
}

/* The members of real component c (implicit: main's component) in byte
 * order, as an allocated array. */
static const char **cmd_graph_members(const struct cmd_graph_view *v, int implicit,
				  size_t c, size_t *n)
{
	const struct graph *g = v->g;
	const char **m = xcalloc(g->npkgs ? g->npkgs : 1, sizeof *m);
	*n = 0;
	for (size_t i = 0; i < g->npkgs; i++)
		if (implicit ? v->comp[i] == c : v->real[i] == c)
			m[(*n)++] = g->pkgs[i].path;
	return m;
}

/* The inside of a DOT quoted string: '"' and '\\' escaped (a backslash
 * would otherwise start an escape such as \N or \l in a label). */
static void cmd_graph_dot_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') fputc('\\', f);
		fputc(*s, f);
	}
}

static void cmd_graph_dot_id(FILE *f, const struct cmd_graph_view *v, const char *s)
{
	fputc('"', f);
	/* Several programs share one drawing: a node per program. */
	if (v->sections) fprintf(f, "%zu:", v->prog);
	cmd_graph_dot_text(f, s);
	fputc('"', f);
}

static void cmd_graph_dot_cluster(FILE *f, const struct cmd_graph_view *v,
			      const char *ind, int implicit, size_t c)
{
	size_t n;
	const char **m = cmd_graph_members(v, implicit, c, &n);
	fprintf(f, "%ssubgraph cluster_%s%zu_%zu {\n%s\tlabel=\"%s\";\n"
		"%s\tcolor=%s;\n", ind, implicit ? "implicit" : "cycle", v->prog,
		c, ind, implicit ? "cycle through implicit imports" : "import cycle",
		ind, implicit ? "orange" : "red");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s\t", ind);
		cmd_graph_dot_id(f, v, m[i]);
		fputs(";\n", f);
	}
	fprintf(f, "%s}\n", ind);
	free(m);
}

static void cmd_graph_dot(FILE *f, const struct cmd_graph_view *v)
{
	const struct graph *g = v->g;
	const char *ind = v->sections ? "\t\t" : "\t";
	if (!v->sections) {
		fprintf(f, "digraph imports {\n\trankdir=BT;\n\tnode [shape=box];\n");
	} else {
		fprintf(f, "\tsubgraph cluster_program%zu {\n\t\tlabel=", v->prog);
		char *label = xasprintf("program %s", g->main_file);
		cmd_graph_dot_id(f, &(struct cmd_graph_view){0}, label);
		free(label);
		fputs(";\n", f);
	}
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *p = &g->pkgs[i];
		fputs(ind, f);
		cmd_graph_dot_id(f, v, p->path);
		fputs(" [label=\"", f);
		cmd_graph_dot_text(f, p->path);
		fprintf(f, "\\n%zu init%s\"%s];\n", p->ninits,
			p->ninits == 1 ? "" : "s",
			cmd_graph_in_cycle(v, i) ? ", color=red"
			: cmd_graph_in_implicit_cycle(v, i) ? ", color=orange" : "");
	}
	for (size_t i = 0; i < g->npkgs; i++)
		for (size_t j = 0; j < g->pkgs[i].nimports; j++) {
			const struct edge *e = &g->pkgs[i].imports[j];
			int cyc = cmd_graph_edge_cycle(v, i, e);
			fputs(ind, f);
			cmd_graph_dot_id(f, v, g->pkgs[i].path);
			fputs(" -> ", f);
			cmd_graph_dot_id(f, v, g->pkgs[e->to].path);
			if (e->kind == EDGE_IMPLICIT)
				fputs(cyc ? " [style=dashed, color=orange]"
				      : " [style=dashed]", f);
			else if (cyc == 1) fputs(" [color=red]", f);
			else if (cyc == 2) fputs(" [color=orange]", f);
			fputs(";\n", f);
		}
	for (size_t c = 0; c < v->nreal; c++)
		if (v->rsize[c] > 1) cmd_graph_dot_cluster(f, v, ind, 0, c);
	if (v->implicit_cycle)
		cmd_graph_dot_cluster(f, v, ind, 1, v->comp[g->main]);
	fputs(v->sections ? "\t}\n" : "}\n", f);
}

/* "program FILE (package main: ...)", what main reaches, and what it
 * imports only implicitly. */
static void cmd_graph_text_program(FILE *f, const struct graph *g)
{
	const struct package *m = &g->pkgs[g->main];
	fprintf(f, "program %s", g->main_file);
	if (g->main_alone)
		fprintf(f, " (package main: this file alone, as other packages "
			"import %s, first at %s:%u)\n", m->dir,
			g->main_alone_at.file, g->main_alone_at.line);
	else
		fprintf(f, " (package main: directory %s)\n", m->dir);
	unsigned char *implicit = xcalloc(g->npkgs, 1);
	for (size_t j = 0; j < m->nimports; j++)
		if (m->imports[j].kind == EDGE_IMPLICIT)
			implicit[m->imports[j].to] = 1;
	for (int pass = 0; pass < 2; pass++) {
		const char *sep = pass ? "implicitly imports:" : "reaches:";
		for (size_t i = 0; i < g->npkgs; i++) {
			if (i == g->main || implicit[i] != pass) continue;
			fprintf(f, "%s %s", sep, g->pkgs[i].path);
			sep = "";
		}
		if (!*sep) fputc('\n', f);
	}
	free(implicit);
}

static void cmd_graph_text(FILE *f, const struct cmd_graph_view *v)
{
	const struct graph *g = v->g;
	if (v->sections && v->prog) fputc('\n', f);
	if (g->main != GRAPH_NONE && g->main_file) cmd_graph_text_program(f, g);
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *p = &g->pkgs[i];
		fprintf(f, "%s", p->path);
		if (i == g->main && g->main_alone)
			fprintf(f, " (file %s)", g->main_file);
		else if (strcmp(p->path, p->dir))
			fprintf(f, " (directory %s)", p->dir);
		fprintf(f, ": %zu init function%s\n", p->ninits, p->ninits == 1 ? "" : "s");
		for (size_t j = 0; j < p->nimports; j++) {
			const struct edge *e = &p->imports[j];
			fprintf(f, "    imports %s", g->pkgs[e->to].path);
			if (e->at.file)
				fprintf(f, "  (%s at %s:%u)", cmd_graph_edge_kind(e->kind),
					e->at.file, e->at.line);
			else
				fprintf(f, "  (implicit: not reachable from main)");
			int cyc = cmd_graph_edge_cycle(v, i, e);
			if (cyc) fputs(cyc == 1 ? "  [cycle]" : "  [implicit cycle]", f);
			fputc('\n', f);
		}
	}
	size_t ncycles = cmd_graph_ncycles(v);
	fprintf(f, "%zu package%s, %zu import cycle%s, %d through implicit "
		"imports\n", g->npkgs, g->npkgs == 1 ? "" : "s", ncycles,
		ncycles == 1 ? "" : "s", v->implicit_cycle);
	for (size_t c = 0; c < v->nreal + v->implicit_cycle; c++) {
		int implicit = c == v->nreal;
		size_t k = implicit ? v->comp[g->main] : c, n;
		if (!implicit && v->rsize[c] < 2) continue;
		const char **m = cmd_graph_members(v, implicit, k, &n);
		fputs(implicit ? "cycle through implicit imports:" : "cycle:", f);
		for (size_t i = 0; i < n; i++) fprintf(f, " %s", m[i]);
		fputc('\n', f);
		free(m);
	}
}

/* One program's mapping: lead goes before its first key, ind before the
 * others. */
static void cmd_graph_yaml_body(FILE *f, const struct cmd_graph_view *v,
			    const char *lead, const char *ind)
{
	const struct graph *g = v->g;
	if (g->main != GRAPH_NONE) {
		fprintf(f, "%sprogram: ", lead);
		yaml_put_str(f, g->main_file);
		fprintf(f, "\n%smain: ", ind);
		yaml_put_str(f, g->pkgs[g->main].path);
		fprintf(f, "\n%smain_alone: %s\n", ind, g->main_alone ? "true" : "false");
		if (g->main_alone) {
			fprintf(f, "%smain_alone_at: {file: ", ind);
			yaml_put_str(f, g->main_alone_at.file);
			fprintf(f, ", line: %u}\n", g->main_alone_at.line);
		}
	}
	fprintf(f, g->npkgs ? "%spackages:\n" : "%spackages: []\n",
		g->main != GRAPH_NONE ? ind : lead);
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *p = &g->pkgs[i];
		fprintf(f, "%s  - path: ", ind);
		yaml_put_str(f, p->path);
		fprintf(f, "\n%s    dir: ", ind);
		yaml_put_str(f, p->dir);
		fprintf(f, "\n%s    inits: %zu\n", ind, p->ninits);
		fprintf(f, p->nimports ? "%s    imports:\n" : "%s    imports: []\n", ind);
		for (size_t j = 0; j < p->nimports; j++) {
			const struct edge *e = &p->imports[j];
			fprintf(f, "%s      - {path: ", ind);
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
	size_t ncycles = cmd_graph_ncycles(v);
	fprintf(f, ncycles ? "%scycles:\n" : "%scycles: []\n", ind);
	for (size_t c = 0; c < v->nreal; c++) {
		if (v->rsize[c] < 2) continue;
		size_t n;
		const char **m = cmd_graph_members(v, 0, c, &n);
		fprintf(f, "%s  - ", ind);
		yaml_put_str_seq(f, (char *const *)m, n);
		fputc('\n', f);
		free(m);
	}
	fprintf(f, v->implicit_cycle ? "%simplicit_cycles:\n" : "%simplicit_cycles: []\n",
		ind);
	if (v->implicit_cycle) {
		size_t n;
		const char **m = cmd_graph_members(v, 1, v->comp[g->main], &n);
		fprintf(f, "%s  - ", ind);
		yaml_put_str_seq(f, (char *const *)m, n);
		fputc('\n', f);
		free(m);
	}
}

static void cmd_graph_yaml(FILE *f, const struct cmd_graph_view *v)
{
	if (!v->sections) {
		fprintf(f, "pkginit: %d\nkind: graph\n", PKGINIT_FORMAT);
		cmd_graph_yaml_body(f, v, "", "");
		return;
	}
	if (!v->prog) fprintf(f, "pkginit: %d\nkind: graph\nprograms:\n", PKGINIT_FORMAT);
	cmd_graph_yaml_body(f, v, "  - ", "    ");
}

/* Without cycles, the order the table would have. */
static void cmd_graph_order_line(FILE *f, const struct graph *g, enum order_mode mode)
{
	size_t *order = xcalloc(g->npkgs ? g->npkgs : 1, sizeof *order);
	if (order_packages(g, mode, order) == 0) {
		fprintf(f, "order (%s):", order_mode_name(mode));
		for (size_t i = 0; i < g->npkgs; i++) fprintf(f, " %s", g->pkgs[order[i]].path);
		fputc('\n', f);
	}
	free(order);
}

static const char *const cmd_graph_formats[] = {"text", "dot", "yaml", NULL};

int cmd_graph(int argc, char **argv)
{
	const char *format = "text", *out = "-";
	struct inputs_opts io = {0};
	const struct option opts[] = {
		{OPT_CHOICE, NULL, "format", OPT_CHOICE_OF(format, cmd_graph_formats),
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
		"components), apart from cycles that main's implicit imports close.\n"
		"Cycles are shown, not errors.  With several files that define main\n"
		"(a whole repository), one section per program; --main PATH shows one.",
		opts,
		"Exit status: 0 ok (even with cycles), 1 the packages are wrong\n"
		"(duplicate init function, unknown import, a --main that names no\n"
		"program), 2 usage, 3 an input cannot be read or parsed.",
	};
	struct opt_args args;
	struct scan_record *recs = NULL;
	size_t nrecs = 0;
	struct graph g = {0};
	const char **progs = NULL;
	size_t nprogs = 0;
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	void (*show)(FILE *, const struct cmd_graph_view *) =
		!strcmp(format, "dot") ? cmd_graph_dot
		: !strcmp(format, "yaml") ? cmd_graph_yaml : cmd_graph_text;
	/* graph shows packages; it needs no function facts. */
	io.no_facts = 1;
	rc = inputs_load("graph", &io, &args, &recs, &nrecs);
	/* The order mode: --order, else pkginit.yaml's (a choice: valid). */
	enum order_mode mode = ORDER_LEX;
	if (io.order) order_mode_parse(io.order, &mode);
	/* A whole repository has several programs: without --main, a
	 * section each, built as `link --main FILE` would build it. */
	if (!rc && !io.main) nprogs = graph_programs(recs, nrecs, &progs);
	int sections = nprogs > 1;
	size_t nshow = sections ? nprogs : 1;
	const struct out_name names[] = {{"-o", out}};
	if (!rc) rc = inputs_check_outputs("graph", &io, recs, nrecs, names, 1);
	struct out o;
	if (!rc) rc = out_open(&o, out);
	for (size_t k = 0; !rc && k < nshow; k++) {
		struct graph_opts go = {.main = sections ? progs[k] : io.main,
					.need_main = 0};
		rc = graph_build(&g, recs, nrecs, &go);
		if (rc) {
			if (sections)
				diag_note((struct loc){progs[k], 0, 0},
					  "in the graph of the program whose "
					  "main is here");
			out_abort(&o);
			break;
		}
		struct cmd_graph_view v;
		cmd_graph_view_init(&v, &g, k, sections);
		/* Several programs make one drawing, a cluster each. */
		if (sections && !k && show == cmd_graph_dot)
			fputs("digraph programs {\n\trankdir=BT;\n\tnode [shape=box];\n",
			      o.fp);
		show(o.fp, &v);
		if (show == cmd_graph_text) cmd_graph_order_line(o.fp, &g, mode);
		if (sections && k + 1 == nshow && show == cmd_graph_dot) fputs("}\n", o.fp);
		cmd_graph_view_free(&v);
		graph_free(&g);
		if (k + 1 == nshow) rc = out_commit(&o);
	}
	free(progs);
	inputs_free(recs, nrecs);
	free(args.files);
	inputs_done(&io);
	return rc;
}
