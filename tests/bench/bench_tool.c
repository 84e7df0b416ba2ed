/*
 * bench_tool.c - the measurements tests/bench_scan.sh cannot make from
 * the shell, built against the tool's archive.
 *
 *   bench_tool clang BUILD_DIR
 *       Run `clang -fsyntax-only` serially on every TU pkginit gen -p
 *       BUILD_DIR scans (C files under the current directory, each
 *       distinct command once), with the flags pkginit gives libclang,
 *       in the entry's directory; print the wall time in seconds.  This
 *       is the baseline: what checking the syntax of the program costs.
 *
 *   bench_tool order NPKG FANOUT
 *       Build NPKG scan records in memory, one TU per package whose
 *       header includes FANOUT headers of packages with smaller numbers,
 *       then time graph_build and order_packages on them; print
 *       "npkgs edges build_s order_s records_MB peak_MB".  Peak is the
 *       process's maximum resident size, records included.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

static int bench_clang(const char *builddir)
{
	struct compdb db;
	if (compdb_load(&db, builddir, 1)) return 1;
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd)) return 1;
	struct strmap seen = {0};
	char **keys = xcalloc(db.ncmds ? db.ncmds : 1, sizeof *keys);
	size_t ntus = 0;
	double t0 = now();
	for (size_t i = 0; i < db.ncmds; i++) {
		struct compdb_cmd *c = &db.cmds[i];
		size_t n = strlen(c->file);
		if (n < 3 || strcmp(c->file + n - 2, ".c")) continue;
		char *dir = path_join(cwd, c->directory);
		char *abs = path_join(dir, c->file);
		char *under = path_under(abs, cwd);
		keys[i] = compdb_cmd_key(c, abs);
		int skip = !under || strmap_get(&seen, keys[i], NULL);
		strmap_put(&seen, keys[i], i);
		free(under);
		free(abs);
		if (skip) {
			free(dir);
			continue;
		}
		const char **argv = xcalloc(c->nargs + 4, sizeof *argv);
		size_t a = 0;
		argv[a++] = "clang";
		argv[a++] = "-fsyntax-only";
		for (size_t k = 0; k < c->nargs; k++) argv[a++] = c->args[k];
		argv[a++] = c->file;
		pid_t pid = fork();
		if (pid == 0) {
			if (chdir(dir) != 0) _exit(127);
			freopen("/dev/null", "w", stderr);
			execvp("clang", (char *const *)argv);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		free(argv);
		free(dir);
		ntus++;
	}
	double t = now() - t0;
	printf("%.3f %zu\n", t, ntus);
	strmap_free(&seen);
	for (size_t i = 0; i < db.ncmds; i++) free(keys[i]);
	free(keys);
	compdb_free(&db);
	return 0;
}

static char *pkgfile(size_t p, const char *base)
{
	return xasprintf("p%06zu/%s", p, base);
}

static void add_file(struct scan_record *r, size_t p, const char *base)
{
	struct scan_file *f = &r->files[r->nfiles++];
	f->path = pkgfile(p, base);
	f->name = xstrdup(f->path);
	f->package = xasprintf("p%06zu", p);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct scan_file *)a)->path,
		      ((const struct scan_file *)b)->path);
}

static int cmp_include(const void *a, const void *b)
{
	const struct scan_include *x = a, *y = b;
	int c = strcmp(x->from, y->from);
	if (c) return c;
	return (x->line > y->line) - (x->line < y->line);
}

static int bench_order(size_t npkg, size_t fanout)
{
	double before = rss_mb();
	struct scan_record *recs = xcalloc(npkg, sizeof *recs);
	for (size_t p = 0; p < npkg; p++) {
		struct scan_record *r = &recs[p];
		size_t nimp = p < fanout ? p : fanout;
		r->tu = pkgfile(p, "x.c");
		r->roots = xcalloc(1, sizeof *r->roots);
		r->roots[0] = xstrdup(".");
		r->nroots = 1;
		r->files = xcalloc(2 + nimp, sizeof *r->files);
		add_file(r, p, "x.c");
		add_file(r, p, "x.h");
		r->includes = xcalloc(1 + nimp, sizeof *r->includes);
		r->includes[r->nincludes++] = (struct scan_include){
			pkgfile(p, "x.c"), 1, pkgfile(p, "x.h")};
		for (size_t k = 0; k < nimp; k++) {
			/* Distinct smaller packages, spread over the range. */
			size_t q = (p * 2654435761u + k * (p / nimp)) % p;
			q = (q + k) % p;
			add_file(r, q, "x.h");
			r->includes[r->nincludes++] = (struct scan_include){
				pkgfile(p, "x.h"), (unsigned)(k + 1), pkgfile(q, "x.h")};
		}
		/* A package's header may name the same package twice: keep
		 * files unique, as scan does. */
		qsort(r->files, r->nfiles, sizeof *r->files, cmp_file);
		size_t keep = 0;
		for (size_t i = 0; i < r->nfiles; i++) {
			if (keep && !strcmp(r->files[keep - 1].path, r->files[i].path)) {
				free(r->files[i].path);
				free(r->files[i].name);
				free(r->files[i].package);
				continue;
			}
			r->files[keep++] = r->files[i];
		}
		r->nfiles = keep;
		qsort(r->includes, r->nincludes, sizeof *r->includes, cmp_include);
		r->inits = xcalloc(1, sizeof *r->inits);
		r->inits[0] = (struct scan_init){.name = xasprintf("p%06zu_init", p),
						 .file = pkgfile(p, "x.c"),
						 .line = 3, .col = 15};
		r->ninits = 1;
		if (p == npkg - 1) {
			r->defines_main = 1;
			r->main_at = (struct loc){r->tu, 5, 5};
		}
	}
	double recs_mb = rss_mb() - before;
	struct graph g;
	struct graph_opts go = {.need_main = 1};
	double t0 = now();
	if (graph_build(&g, recs, npkg, &go)) return 1;
	double t1 = now();
	size_t *order = xcalloc(g.npkgs, sizeof *order);
	if (order_packages(&g, ORDER_LEX, order)) return 1;
	double t2 = now();
	size_t edges = 0;
	for (size_t i = 0; i < g.npkgs; i++) edges += g.pkgs[i].nimports;
	printf("%zu %zu %.3f %.3f %.0f %.0f\n", g.npkgs, edges, t1 - t0,
	       t2 - t1, recs_mb, rss_mb());
	free(order);
	graph_free(&g);
	for (size_t p = 0; p < npkg; p++) record_free(&recs[p]);
	free(recs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "clang")) return bench_clang(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "order"))
		return bench_order(strtoul(argv[2], NULL, 10),
				   strtoul(argv[3], NULL, 10));
	fprintf(stderr, "usage: bench_tool clang BUILD_DIR | order NPKG FANOUT\n");
	return 2;
}
