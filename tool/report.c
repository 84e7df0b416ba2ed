/*
 * report.c - the report of the initialization order, which is also the
 * lock file format (`pkginit check --expect`).
 *
 * Writing goes through struct report: report_write builds it with
 * report_from_plan and prints it, so the report a run prints and the
 * structure `check` compares are the same thing by construction.  A
 * package's imports are its explicit ones only (#include and PKG_IMPORT):
 * the implicit imports of main are an artefact of the ordering rule, and
 * listing them would make every new package a change to main in the lock
 * file.  They are sorted and deduplicated so that the file depends on the
 * import relation, not on which file happened to mention it first.
 *
 * Reading accepts `kind: report` or `kind: lock` and checks the file as
 * strictly as a record (see record.c): a lock file is edited by hand and
 * merged by git, and a mistake must fail at its line, not turn into a
 * puzzling order difference.  Beyond types, the packages must be
 * distinct, and every import and main must name one of them.
 *
 * Locations: a report read from a file has at.file pointing at the path
 * given to report_read, which must outlive the report; one built from a
 * graph points its inits at their source (file, line, column) and its
 * packages nowhere, and must not outlive the graph.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

void report_from_plan(struct report *r, const struct graph *g,
		      const struct plan *pl)
{
	*r = (struct report){0};
	r->order = xstrdup(order_mode_name(pl->mode));
	if (pl->deps == DEPS_USES) r->deps = xstrdup(deps_mode_names[DEPS_USES]);
	if (g->main != GRAPH_NONE) r->main = xstrdup(g->pkgs[g->main].path);
	r->pkgs = xcalloc(pl->ntasks ? pl->ntasks : 1, sizeof *r->pkgs);
	r->npkgs = pl->ntasks;
	for (size_t i = 0; i < pl->ntasks; i++) {
		const struct plan_task *t = &pl->tasks[i];
		const struct package *p = &g->pkgs[t->pkg];
		struct report_pkg *rp = &r->pkgs[i];
		rp->path = xstrdup(p->path);
		const char **imp = xcalloc(p->nimports ? p->nimports : 1, sizeof *imp);
		size_t n = 0;
		for (size_t j = 0; j < p->nimports; j++)
			if (p->imports[j].kind == EDGE_INCLUDE ||
			    p->imports[j].kind == EDGE_IMPORT)
				imp[n++] = g->pkgs[p->imports[j].to].path;
		qsort(imp, n, sizeof *imp, cmp_strp);
		rp->imports = xcalloc(n ? n : 1, sizeof *rp->imports);
		for (size_t j = 0; j < n; j++)
			if (!j || strcmp(imp[j], imp[j - 1]))
				rp->imports[rp->nimports++] = xstrdup(imp[j]);
		free(imp);
		rp->inits = xcalloc(t->ninits ? t->ninits : 1, sizeof *rp->inits);
		rp->ninits = t->ninits;
		for (size_t j = 0; j < t->ninits; j++) {
			const struct init_fn *fn = t->inits[j];
			rp->inits[j] = (struct report_init){
				.name = xstrdup(fn->name),
				.file = xstrdup(fn->fname),
				.line = fn->line,
				.at = {fn->file, fn->line, fn->col},
			};
		}
	}
}

static void report_print(FILE *f, const struct report *r)
{
	fprintf(f, "pkginit: %d\nkind: report\norder: ", PKGINIT_FORMAT);
	yaml_put_str(f, r->order);
	/* Include mode, the default, writes no field: reports and locks of
	 * before --deps stay byte for byte the same. */
	if (r->deps) {
		fputs("\ndeps: ", f);
		yaml_put_str(f, r->deps);
	}
	/* A graph without main (pkginit graph on a library) has no field. */
	if (r->main) {
		fputs("\nmain: ", f);
		yaml_put_str(f, r->main);
	}
	fprintf(f, "\npackages:%s\n", r->npkgs ? "" : " []");
	for (size_t i = 0; i < r->npkgs; i++) {
		const struct report_pkg *p = &r->pkgs[i];
		fputs("  - path: ", f);
		yaml_put_str(f, p->path);
		fputs("\n    imports: ", f);
		yaml_put_str_seq(f, p->imports, p->nimports);
		fprintf(f, "\n    inits:%s\n", p->ninits ? "" : " []");
		for (size_t j = 0; j < p->ninits; j++) {
			fputs("      - {name: ", f);
			yaml_put_str(f, p->inits[j].name);
			fputs(", file: ", f);
			yaml_put_str(f, p->inits[j].file);
			fprintf(f, ", line: %u}\n", p->inits[j].line);
		}
	}
}

void report_write(FILE *f, const struct graph *g, const struct plan *p)
{
	struct report r;
	report_from_plan(&r, g, p);
	report_print(f, &r);
	report_free(&r);
}

static const char *report_pkg_problem(const char *s)
{
	return strcmp(s, "main") ? record_package_problem(s) : NULL;
}

static void report_read_pkg(struct yaml_doc *d, const struct yaml_value *v,
			    const char *path, struct report_pkg *p)
{
	static const char *const fields[] = {"path", "imports", "inits", NULL};
	static const char *const init_fields[] = {"name", "file", "line", NULL};
	const struct yaml_value *m = yaml_map(d, v, "each item of 'packages'");
	yaml_check_fields(d, m, fields);
	p->at = (struct loc){path, v->at.line, v->at.col};
	p->path = yaml_get_str(d, m, "path");
	record_check(d, yaml_map_get(m, "path"), "package path", p->path,
		     report_pkg_problem);
	const struct yaml_value *seq = yaml_get_seq(d, m, "imports");
	if (seq) {
		p->imports = xcalloc(seq->n, sizeof *p->imports);
		p->nimports = seq->n;
	}
	for (size_t i = 0; seq && i < seq->n; i++)
		p->imports[i] = yaml_str(d, &seq->items[i], "each item of 'imports'");
	seq = yaml_get_seq(d, m, "inits");
	if (seq) {
		p->inits = xcalloc(seq->n, sizeof *p->inits);
		p->ninits = seq->n;
	}
	for (size_t i = 0; seq && i < seq->n; i++) {
		const struct yaml_value *iv = &seq->items[i];
		const struct yaml_value *im = yaml_map(d, iv, "each item of 'inits'");
		yaml_check_fields(d, im, init_fields);
		struct report_init *in = &p->inits[i];
		in->at = (struct loc){path, iv->at.line, iv->at.col};
		in->name = yaml_get_str(d, im, "name");
		record_check(d, yaml_map_get(im, "name"), "init function name",
			     in->name, record_name_problem);
		in->file = yaml_get_str(d, im, "file");
		record_check(d, yaml_map_get(im, "file"), "file name",
			     in->file, path_package_problem);
		in->line = yaml_get_uint(d, im, "line");
	}
}

/* Packages are distinct; imports and main name packages of the report. */
static void report_check_refs(struct yaml_doc *d, const struct yaml_value *pkgs,
			      const struct report *r)
{
	struct strmap index = {0};
	/* With deps: uses a package has one entry per run of its init
	 * functions, so it may come again (spec/formats.md). */
	int repeats = r->deps != NULL;
	for (size_t i = 0; i < r->npkgs && !d->failed; i++) {
		size_t first;
		if (!repeats && strmap_get(&index, r->pkgs[i].path, &first)) {
			yaml_fail(d, yaml_map_get(&pkgs->items[i], "path")->at,
				  "package '%s' is listed twice", r->pkgs[i].path);
			diag_note(r->pkgs[first].at, "first listed here");
		}
		strmap_put(&index, r->pkgs[i].path, i);
	}
	for (size_t i = 0; i < r->npkgs && !d->failed; i++) {
		const struct yaml_value *imps = yaml_map_get(&pkgs->items[i], "imports");
		for (size_t j = 0; j < r->pkgs[i].nimports; j++)
			if (!strmap_get(&index, r->pkgs[i].imports[j], NULL)) {
				yaml_fail(d, imps->items[j].at, "import '%s' is "
					  "not one of the packages listed",
					  r->pkgs[i].imports[j]);
				break;
			}
	}
	if (r->main && !strmap_get(&index, r->main, NULL))
		yaml_fail(d, yaml_map_get(d->root, "main")->at,
			  "main package '%s' is not one of the packages listed",
			  r->main);
	strmap_free(&index);
}

int report_read(const char *path, struct report *r)
{
	static const char *const kinds[] = {"report", "lock", NULL};
	static const char *const fields[] = {"pkginit", "kind", "order", "deps",
					     "main", "packages", NULL};
	*r = (struct report){0};
	struct yaml_doc d;
	int rc = yaml_load(&d, path);
	if (rc) return rc;
	const struct yaml_value *root = d.root;
	yaml_check_header(&d, kinds);
	yaml_check_fields(&d, root, fields);

	const char *order = yaml_choice(&d, yaml_get(&d, root, "order"),
					"field 'order'", order_mode_names);
	if (order) r->order = xstrdup(order);
	const struct yaml_value *depsv = yaml_map_get(root, "deps");
	const char *deps = depsv ? yaml_choice(&d, depsv, "field 'deps'",
					       deps_mode_names) : NULL;
	/* include is the default and is written as no field at all */
	if (deps && strcmp(deps, deps_mode_names[DEPS_INCLUDE]))
		r->deps = xstrdup(deps);
	const struct yaml_value *mainv = yaml_map_get(root, "main");
	if (mainv) r->main = yaml_str(&d, mainv, "field 'main'");
	const struct yaml_value *pkgs = yaml_get_seq(&d, root, "packages");
	if (pkgs) {
		r->pkgs = xcalloc(pkgs->n, sizeof *r->pkgs);
		r->npkgs = pkgs->n;
	}
	for (size_t i = 0; pkgs && i < pkgs->n; i++)
		report_read_pkg(&d, &pkgs->items[i], path, &r->pkgs[i]);
	if (!d.failed && pkgs) report_check_refs(&d, pkgs, r);

	rc = d.failed ? EXIT_INPUT : 0;
	yaml_doc_free(&d);
	if (rc) report_free(r);
	return rc;
}

void report_free(struct report *r)
{
	free(r->order);
	free(r->deps);
	free(r->main);
	for (size_t i = 0; i < r->npkgs; i++) {
		struct report_pkg *p = &r->pkgs[i];
		free(p->path);
		for (size_t j = 0; j < p->nimports; j++) free(p->imports[j]);
		free(p->imports);
		for (size_t j = 0; j < p->ninits; j++) {
			free(p->inits[j].name);
			free(p->inits[j].file);
		}
		free(p->inits);
	}
	free(r->pkgs);
	*r = (struct report){0};
}
