/*
 * graph_fixture.h - scan records from short descriptions, for the graph,
 * order and emit tests (header-only: each test program includes it once).
 *
 * A record is one string of facts separated by ';':
 *
 *   "a/a.c; a/a.c:3 includes b/b.h; init a_init a/a.c:5; main a/a.c:9:5"
 *
 *   PATH                      first fact: the TU (also a project file)
 *   FROM:LINE includes TO     an #include between project files
 *   init NAME FILE:LINE[:COL] a PKG_INIT function
 *   initint NAME FILE:LINE[:COL]  a PKG_INIT function returning int
 *   import PATH FILE:LINE[:COL]   PKG_IMPORT("PATH")
 *   package PATH FILE:LINE[:COL]  PKG_PACKAGE("PATH")
 *   main FILE:LINE[:COL]      the TU defines main there
 *   file PATH                 another project file the TU read
 *
 * Every file mentioned is a project file under root ".", in its
 * directory's package ("." for none), named by its path.
 *
 * A whole graph can also be written as packages separated by '|':
 *
 *   "*app > a b | a > b | b"
 *
 * each package P gets one TU P/x.c that #includes Q/x.h for each Q after
 * '>' (lines 1, 2, ...) and an init function P_init (non-identifier
 * bytes become '_'); a leading '*' makes P/x.c define main, a trailing '!'
 * leaves P without an init function.
 */
#ifndef GRAPH_FIXTURE_H
#define GRAPH_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Not every test uses every helper. */
#define FX __attribute__((unused)) static

FX char *fx_trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n') s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = 0;
	return s;
}

FX void fx_add_file(struct scan_record *r, size_t *cap, const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path)) return;
	struct scan_file f = {xstrdup(path), xstrdup(path), path_dir(path)};
	VEC_PUSH(r->files, r->nfiles, *cap, f);
}

/* "file:line[:col]" */
FX char *fx_place(const char *s, unsigned *line, unsigned *col)
{
	const char *c1 = strchr(s, ':');
	if (!c1) { fprintf(stderr, "fixture: no line in '%s'\n", s); abort(); }
	char *file = xstrndup(s, (size_t)(c1 - s));
	char *end;
	*line = (unsigned)strtoul(c1 + 1, &end, 10);
	*col = *end == ':' ? (unsigned)strtoul(end + 1, NULL, 10) : 0;
	return file;
}

FX int fx_cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct scan_file *)a)->path,
		      ((const struct scan_file *)b)->path);
}

FX struct scan_record fx_record(const char *desc)
{
	struct scan_record r = {0};
	size_t capf = 0, capi = 0, capm = 0, capp = 0, capn = 0;
	char *copy = xstrdup(desc), *save = NULL;
	int first = 1;
	for (char *tok = strtok_r(copy, ";", &save); tok;
	     tok = strtok_r(NULL, ";", &save)) {
		char *t = fx_trim(tok);
		char a[256], b[256], c[256];
		unsigned line, col;
		char kw[16] = "";
		sscanf(t, "%15s", kw);
		if (first) {
			first = 0;
			r.tu = xstrdup(t);
			fx_add_file(&r, &capf, t);
		} else if ((!strcmp(kw, "init") || !strcmp(kw, "initint")) &&
			   sscanf(t, "%*s %255s %255s", a, b) == 2) {
			struct scan_init in = {.name = xstrdup(a),
					       .file = fx_place(b, &line, &col)};
			in.line = line;
			in.col = col;
			in.returns_int = kw[4] == 'i';
			fx_add_file(&r, &capf, in.file);
			VEC_PUSH(r.inits, r.ninits, capi, in);
		} else if ((!strcmp(kw, "import") || !strcmp(kw, "package")) &&
			   sscanf(t, "%*s %255s %255s", a, b) == 2) {
			struct scan_annot an = {xstrdup(a), fx_place(b, &line, &col), 0, 0};
			an.line = line;
			an.col = col;
			fx_add_file(&r, &capf, an.file);
			if (kw[1] == 'm') VEC_PUSH(r.imports, r.nimports, capm, an);
			else VEC_PUSH(r.packages, r.npackages, capp, an);
		} else if (!strcmp(kw, "main") && sscanf(t, "main %255s", a) == 1) {
			r.defines_main = 1;
			r.main_at.file = fx_place(a, &r.main_at.line, &r.main_at.col);
			fx_add_file(&r, &capf, r.main_at.file);
		} else if (!strcmp(kw, "file") && sscanf(t, "file %255s", a) == 1) {
			fx_add_file(&r, &capf, a);
		} else if (sscanf(t, "%255s includes %255s", a, c) == 2) {
			struct scan_include in = {fx_place(a, &line, &col), 0, xstrdup(c)};
			in.line = line;
			fx_add_file(&r, &capf, in.from);
			fx_add_file(&r, &capf, in.to);
			VEC_PUSH(r.includes, r.nincludes, capn, in);
		} else {
			fprintf(stderr, "fixture: cannot parse '%s'\n", t);
			abort();
		}
	}
	free(copy);
	if (r.nfiles) qsort(r.files, r.nfiles, sizeof *r.files, fx_cmp_file);
	return r;
}

FX void fx_record_free(struct scan_record *r)
{
	free(r->tu);
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].name);
		free(r->files[i].package);
	}
	for (size_t i = 0; i < r->ninits; i++) {
		free(r->inits[i].name);
		free(r->inits[i].file);
	}
	for (size_t i = 0; i < r->nimports; i++) {
		free(r->imports[i].path);
		free(r->imports[i].file);
	}
	for (size_t i = 0; i < r->npackages; i++) {
		free(r->packages[i].path);
		free(r->packages[i].file);
	}
	for (size_t i = 0; i < r->nincludes; i++) {
		free(r->includes[i].from);
		free(r->includes[i].to);
	}
	free((char *)r->main_at.file);
	free(r->files);
	free(r->inits);
	free(r->imports);
	free(r->packages);
	free(r->includes);
	*r = (struct scan_record){0};
}

/* Build from n record descriptions. */
FX int fx_build(struct graph *g, const char *const *descs, size_t n,
		    const struct graph_opts *o)
{
	struct scan_record *recs = xcalloc(n, sizeof *recs);
	for (size_t i = 0; i < n; i++) recs[i] = fx_record(descs[i]);
	int rc = graph_build(g, recs, n, o);
	for (size_t i = 0; i < n; i++) fx_record_free(&recs[i]);
	free(recs);
	return rc;
}

FX void fx_mangle(struct strbuf *sb, const char *p)
{
	for (; *p; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_';
		sb_putc(sb, ok ? c : '_');
	}
}

/* The '|' form: "*app > a b | a > b | b". */
FX int fx_graph(struct graph *g, const char *spec,
		    const struct graph_opts *o)
{
	char *copy = xstrdup(spec), *save = NULL;
	char **descs = NULL;
	size_t n = 0, cap = 0;
	for (char *part = strtok_r(copy, "|", &save); part;
	     part = strtok_r(NULL, "|", &save)) {
		char *gt = strchr(part, '>');
		if (gt) *gt = 0;
		char *name = fx_trim(part);
		int is_main = name[0] == '*';
		if (is_main) name++;
		size_t len = strlen(name);
		int noinit = len && name[len - 1] == '!';
		if (noinit) name[--len] = 0;
		struct strbuf sb = {0};
		sb_printf(&sb, "%s/x.c", name);
		if (!noinit) {
			sb_puts(&sb, "; init ");
			fx_mangle(&sb, name);
			sb_printf(&sb, "_init %s/x.c:100", name);
		}
		if (is_main) sb_printf(&sb, "; main %s/x.c:200:5", name);
		if (gt) {
			char *save2 = NULL;
			unsigned line = 1;
			for (char *q = strtok_r(gt + 1, " ", &save2); q;
			     q = strtok_r(NULL, " ", &save2))
				sb_printf(&sb, "; %s/x.c:%u includes %s/x.h",
					  name, line++, q);
		}
		VEC_PUSH(descs, n, cap, sb_detach(&sb));
	}
	int rc = fx_build(g, (const char *const *)descs, n, o);
	for (size_t i = 0; i < n; i++) free(descs[i]);
	free(descs);
	free(copy);
	return rc;
}

/* The order as "a b c", or "cycle". */
FX char *fx_order(const struct graph *g, enum order_mode m)
{
	size_t *out = xmalloc((g->npkgs + 1) * sizeof *out);
	if (order_packages(g, m, out)) {
		free(out);
		return xstrdup("cycle");
	}
	struct strbuf sb = {0};
	for (size_t i = 0; i < g->npkgs; i++) {
		if (i) sb_putc(&sb, ' ');
		sb_puts(&sb, g->pkgs[out[i]].path);
	}
	free(out);
	return sb_detach(&sb);
}

/* Every edge, one per line: "a -> b include a/x.c:1". */
FX char *fx_edges(const struct graph *g)
{
	static const char *kinds[] = {"include", "import", "implicit"};
	struct strbuf sb = {0};
	for (size_t i = 0; i < g->npkgs; i++)
		for (size_t j = 0; j < g->pkgs[i].nimports; j++) {
			const struct edge *e = &g->pkgs[i].imports[j];
			sb_printf(&sb, "%s -> %s %s", g->pkgs[i].path,
				  g->pkgs[e->to].path, kinds[e->kind]);
			if (e->at.file) sb_printf(&sb, " %s:%u", e->at.file, e->at.line);
			if (e->at.col) sb_printf(&sb, ":%u", e->at.col);
			sb_putc(&sb, '\n');
		}
	return sb_detach(&sb);
}

/* Diagnostics captured in memory. */
FX char *fx_diag_buf;
FX size_t fx_diag_len;
FX FILE *fx_diag_fp;

FX void fx_diag_begin(void)
{
	fx_diag_fp = open_memstream(&fx_diag_buf, &fx_diag_len);
	diag_set_stream(fx_diag_fp);
}

/* Returns what was printed since fx_diag_begin; the caller frees it. */
FX char *fx_diag_end(void)
{
	diag_set_stream(NULL);
	fclose(fx_diag_fp);
	fx_diag_fp = NULL;
	char *s = fx_diag_buf;
	fx_diag_buf = NULL;
	return s;
}

/* The init table of graph g, its packages in order mode m, as driver d
 * writes it (module names a --driver=shlib table).  Not inlined: gcc 12
 * then takes the open_memstream buffer for a pointer to the local that
 * held its address (a false -Wdangling-pointer). */
__attribute__((noinline, unused)) static char *fx_emit(const struct graph *g, enum order_mode m,
						       enum driver d, const char *module)
{
	size_t *order = xmalloc((g->npkgs + 1) * sizeof *order);
	assert_int_equal(order_packages(g, m, order), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct plan p;
	plan_from_order(&p, g, m, order);
	emit_table(f, g, &p, d, module);
	plan_free(&p);
	fclose(f);
	free(order);
	return buf;
}

/* fx_emit of the graph described by spec, in lex order. */
__attribute__((unused)) static char *fx_table(const char *spec, enum driver d, const char *module)
{
	struct graph g;
	assert_int_equal(fx_graph(&g, spec, NULL), 0);
	char *buf = fx_emit(&g, ORDER_LEX, d, module);
	graph_free(&g);
	return buf;
}

#endif /* GRAPH_FIXTURE_H */
