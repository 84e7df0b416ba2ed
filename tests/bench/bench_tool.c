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
 *   bench_tool pertu BUILD_DIR PKGINIT CACHE EVERY REPS
 *       Per process and per TU, as a build that runs `pkginit scan` for
 *       each TU does: for every EVERY-th distinct C TU of the database
 *       (under the current directory), run `clang -fsyntax-only` and
 *       `PKGINIT scan --cache CACHE` once the cache holds the TU, each
 *       REPS times alternately, in the entry's directory, with the same
 *       flags, and `true` (what starting any process costs); keep each
 *       one's fastest run, and the scan once more over a record that
 *       differs (written before it, untimed), which it must replace.
 *       Print one line per TU, "clang_s scan_s file replaced_s", then
 *       "total clang_s scan_s ntus true_s replaced_s"; exit 1 if a warm
 *       scan did not come from the cache.
 *
 *   bench_tool argv BUILD_DIR EVERY
 *       The first TU pertu measures: its directory, its file, then its
 *       flags, one a line (for callgrind in the shell).
 *
 *   bench_tool order NPKG FANOUT
 *       Build NPKG scan records in memory, one TU per package whose
 *       header includes FANOUT headers of packages with smaller numbers,
 *       then time graph_build and order_packages on them; print
 *       "npkgs edges build_s order_s records_MB peak_MB".  Peak is the
 *       process's maximum resident size, records included.
 */
#include "tool.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

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

/* The distinct C TUs of the database under the current directory, every
 * every-th of them (bench_clang runs clang on all of them). */
static size_t bench_select(struct compdb *db, size_t every, size_t **out)
{
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd)) return 0;
	struct strmap seen = {0};
	char **keys = xcalloc(db->ncmds ? db->ncmds : 1, sizeof *keys);
	size_t *sel = xcalloc(db->ncmds ? db->ncmds : 1, sizeof *sel);
	size_t n = 0, distinct = 0;
	for (size_t i = 0; i < db->ncmds; i++) {
		struct compdb_cmd *c = &db->cmds[i];
		size_t len = strlen(c->file);
		if (len < 3 || strcmp(c->file + len - 2, ".c")) continue;
		char *dir = path_join(cwd, c->directory);
		char *abs = path_join(dir, c->file);
		char *under = path_under(abs, cwd);
		keys[i] = compdb_cmd_key(c, abs);
		int skip = !under || strmap_get(&seen, keys[i], NULL);
		strmap_put(&seen, keys[i], i);
		free(under);
		free(abs);
		free(dir);
		if (!skip && distinct++ % every == 0) sel[n++] = i;
	}
	strmap_free(&seen);
	for (size_t i = 0; i < db->ncmds; i++) free(keys[i]);
	free(keys);
	*out = sel;
	return n;
}

static int bench_clang(const char *builddir)
{
	struct compdb db;
	if (compdb_load(&db, builddir, 1)) return 1;
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd)) return 1;
	double t0 = now();
	size_t *sel;
	size_t ntus = bench_select(&db, 1, &sel);
	for (size_t s = 0; s < ntus; s++) {
		struct compdb_cmd *c = &db.cmds[sel[s]];
		char *dir = path_join(cwd, c->directory);
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
	}
	double t = now() - t0;
	printf("%.3f %zu\n", t, ntus);
	free(sel);
	compdb_free(&db);
	return 0;
}

/* Run argv in dir with stdout to /dev/null and stderr to errfile (or
 * /dev/null); returns the wall time, or -1 when it failed.  posix_spawn,
 * not fork: this process has libclang mapped (compdb_load), and copying
 * its page tables for fork added about 0.8 ms to every run measured. */
static double bench_run(const char *dir, const char *const *argv,
			const char *errfile)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, errfile ? errfile : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0666);
	double t0 = now();
	pid_t pid;
	int st = -1;
	int bad = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ)
		  || waitpid(pid, &st, 0) != pid;
	double t = now() - t0;
	posix_spawn_file_actions_destroy(&fa);
	return !bad && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

static int bench_pertu(const char *builddir, const char *pkginit,
		       const char *cache, size_t every, int reps)
{
	struct compdb db;
	if (compdb_load(&db, builddir, 1)) return 1;
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd)) return 1;
	size_t *sel;
	size_t n = bench_select(&db, every ? every : 1, &sel);
	char *errfile = xasprintf("%s/pertu.err", cache);
	char *rec = xasprintf("%s/pertu.rec", cache);
	double tclang = 0, tscan = 0, tnull = 0, trepl = 0;
	const char *const nullv[] = {"true", NULL};
	int rc = 0;
	for (size_t s = 0; s < n && !rc; s++) {
		struct compdb_cmd *c = &db.cmds[sel[s]];
		char *dir = path_join(cwd, c->directory);
		const char **cv = xcalloc(c->nargs + 4, sizeof *cv);
		const char **sv = xcalloc(c->nargs + 12, sizeof *sv);
		size_t a = 0, b = 0;
		cv[a++] = "clang";
		cv[a++] = "-fsyntax-only";
		for (size_t k = 0; k < c->nargs; k++) cv[a++] = c->args[k];
		cv[a++] = c->file;
		sv[b++] = pkginit;
		sv[b++] = "scan";
		sv[b++] = "--cache";
		sv[b++] = cache;
		sv[b++] = "-o";
		sv[b++] = rec;
		sv[b++] = "--root";
		sv[b++] = dir;
		size_t verbose = b;
		sv[b++] = "-v";         /* for the check below */
		sv[b++] = c->file;
		sv[b++] = "--";
		for (size_t k = 0; k < c->nargs; k++) sv[b++] = c->args[k];
		/* Fill the cache, then check that it answers. */
		bench_run(dir, sv, NULL);
		double t = bench_run(dir, sv, errfile);
		char *err = file_read(errfile, NULL);
		if (t < 0 || !err || !strstr(err, "0 parsed, 1 from the cache")) {
			fprintf(stderr, "bench_tool: %s: the warm scan %s\n", c->file,
				t < 0 ? "failed" : "was not answered by the cache");
			rc = 1;
		}
		free(err);
		/* The timed scans without -v. */
		memmove(sv + verbose, sv + verbose + 1, (b - verbose) * sizeof *sv);
		double bc = 1e9, bs = 1e9, bn = 1e9, br = 1e9;
		for (int r = 0; r < reps && !rc; r++) {
			double x = bench_run(dir, cv, NULL);
			double y = bench_run(dir, sv, NULL);
			double z = bench_run(dir, nullv, NULL);
			/* The record on disk from another state of the tree:
			 * the scan replaces it (y found its own bytes there
			 * and only touched it; cmd_scan.c). */
			if (out_write_file(rec, "stale\n", 6)) rc = 1;
			double w = rc ? -1 : bench_run(dir, sv, NULL);
			if (z >= 0 && z < bn) bn = z;
			if (w >= 0 && w < br) br = w;
			if (x < 0 || y < 0 || w < 0) {
				fprintf(stderr, "bench_tool: %s: %s failed\n", c->file,
					x < 0 ? "clang" : "pkginit scan");
				rc = 1;
			}
			if (x < bc) bc = x;
			if (y < bs) bs = y;
		}
		if (!rc) {
			printf("%.6f %.6f %s %.6f\n", bc, bs, c->file, br);
			tclang += bc;
			tscan += bs;
			tnull += bn;
			trepl += br;
		}
		free(cv);
		free(sv);
		free(dir);
	}
	if (!rc) printf("total %.6f %.6f %zu %.6f %.6f\n", tclang, tscan, n, tnull, trepl);
	free(errfile);
	free(rec);
	free(sel);
	compdb_free(&db);
	return rc;
}

static int bench_argv(const char *builddir, size_t every)
{
	struct compdb db;
	if (compdb_load(&db, builddir, 1)) return 1;
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd)) return 1;
	size_t *sel;
	size_t n = bench_select(&db, every ? every : 1, &sel);
	int rc = 1;
	if (n) {
		struct compdb_cmd *c = &db.cmds[sel[0]];
		char *dir = path_join(cwd, c->directory);
		printf("%s\n%s\n", dir, c->file);
		for (size_t k = 0; k < c->nargs; k++) printf("%s\n", c->args[k]);
		free(dir);
		rc = 0;
	}
	free(sel);
	compdb_free(&db);
	return rc;
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
	if (argc == 7 && !strcmp(argv[1], "pertu"))
		return bench_pertu(argv[2], argv[3], argv[4],
				   strtoul(argv[5], NULL, 10), atoi(argv[6]));
	if (argc == 4 && !strcmp(argv[1], "argv"))
		return bench_argv(argv[2], strtoul(argv[3], NULL, 10));
	if (argc == 4 && !strcmp(argv[1], "order"))
		return bench_order(strtoul(argv[2], NULL, 10),
				   strtoul(argv[3], NULL, 10));
	fprintf(stderr, "usage: bench_tool clang BUILD_DIR | pertu BUILD_DIR PKGINIT "
		"CACHE EVERY REPS | argv BUILD_DIR EVERY | order NPKG FANOUT\n");
	return 2;
}
