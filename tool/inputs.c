/*
 * inputs.c - what the commands read: scan records, or C sources scanned
 * on a pool of threads, then the graph and its order.
 *
 * The sources are .c operands, all with the flags after "--", or the
 * entries of a compilation database, each with its own flags and
 * directory (compdb.c); pkginit.yaml (config.c) may give the roots, the
 * order and files to leave out.  Each becomes a scan job.
 *
 * Scanning is the expensive step (libclang parses every TU), and TUs are
 * independent, so `-j N` threads take jobs from a shared counter (pool.c,
 * which also prints each TU's diagnostics in input order).  Each
 * job first asks the scan cache (cache.c), which answers for TUs whose
 * command and files have not changed; only the others are parsed.  Each
 * result lands in its own slot, and everything after scanning sorts what
 * it uses, so the output does not depend on which thread finished first
 * or on what came from the cache.  On a terminal, a status line counts
 * the TUs done (diag.c keeps it below the diagnostics).
 */
#include "inputs.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The CPUs this process may run on: the default for -j. */
static unsigned inputs_ncpu(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0) {
		int n = CPU_COUNT(&set);
		if (n > 0) return (unsigned)n;
	}
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

int inputs_roots(const char *cmd, struct inputs_opts *io, char ***roots,
		 size_t *nroots)
{
	int rc = inputs_config(io);
	if (rc) return rc;
	size_t n = io->roots.n ? io->roots.n : 1;
	char **r = xcalloc(n, sizeof *r);
	for (size_t i = 0; i < n; i++) {
		const char *given = io->roots.n ? io->roots.items[i] : ".";
		struct stat st;
		const char *why = NULL;
		if (stat(given, &st) != 0)
			why = strerror(errno);
		else if (!S_ISDIR(st.st_mode))
			why = "not a directory";
		if (why) {
			for (size_t j = 0; j < i; j++) free(r[j]);
			free(r);
			return diag_usage(cmd, "--root '%s': %s", given, why);
		}
		r[i] = path_display(given);
	}
	/* The same root twice is harmless; sorting makes the scan records
	 * independent of the order the roots were given in. */
	qsort(r, n, sizeof *r, cmp_strp);
	*roots = r;
	*nroots = n;
	return 0;
}

/* ---- configuration ------------------------------------------------------- */

int inputs_config(struct inputs_opts *io)
{
	if (io->config_read) return 0;
	int rc = config_find(&io->config, io->config_file);
	if (rc) return rc;
	io->config_read = 1;
	if (!io->roots.n)
		for (size_t i = 0; i < io->config.nroots; i++)
			VEC_PUSH(io->roots.items, io->roots.n, io->roots.cap,
				 io->config.roots[i]);
	if (!io->order) io->order = io->config.order;
	if (!io->deps) io->deps = io->config.deps;
	return 0;
}

int inputs_want_facts(const struct inputs_opts *io)
{
	if (io->no_facts) return 0;
	return !io->no_verify || (io->deps && !strcmp(io->deps, "uses"));
}

void inputs_done(struct inputs_opts *io)
{
	filehash_free(io->files);
	io->files = NULL;
	config_free(&io->config);
	io->config_read = 0;
	free(io->roots.items);
	io->roots = (struct opt_list){0};
	free(io->shlib_reports.items);
	io->shlib_reports = (struct opt_list){0};
}

/* ---- the scanning pool ----------------------------------------------------- */

struct scan_pool {
	const struct scan_job *jobs;
	size_t njobs;
	struct scan_record *recs;
	struct strbuf *texts;   /* NULL: the records are wanted whole */
	int *rcs;
	unsigned char *cached;
	struct cache *cache;
	int first_looked_up;    /* job 0 missed the cache already: its key */
	unsigned char first_key[HASH_SIZE];
	size_t done;
	int progress;
	struct timespec shown;
	pthread_mutex_t lock;
};

static double inputs_seconds(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* One more TU done: redraw the progress line, at most every 50 ms (a
 * warm run finishes thousands of TUs a second; a terminal is slower). */
static void inputs_progress(struct scan_pool *p)
{
	pthread_mutex_lock(&p->lock);
	size_t done = ++p->done;
	int draw = 0;
	if (p->progress) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		draw = done == p->njobs || inputs_seconds(p->shown, now) >= 0.05;
		if (draw) p->shown = now;
	}
	pthread_mutex_unlock(&p->lock);
	if (!draw) return;
	char *line = xasprintf("pkginit: scanning %zu/%zu translation units",
			       done, p->njobs);
	diag_status(line);
	free(line);
}

/* Job i from the cache: 1 when it answered. */
static int inputs_cached_job(struct scan_pool *p, size_t i,
			     unsigned char key[HASH_SIZE])
{
	const struct scan_job *j = &p->jobs[i];
	cache_key(p->cache, j->file, &j->opts, key);
	p->cached[i] = (unsigned char)cache_get(p->cache, key, &p->recs[i],
						p->texts ? &p->texts[i] : NULL);
	return p->cached[i];
}

static int inputs_scan_job(struct scan_pool *p, size_t i)
{
	const struct scan_job *j = &p->jobs[i];
	struct strbuf *text = p->texts ? &p->texts[i] : NULL;
	unsigned char key[HASH_SIZE];
	if (i == 0 && p->first_looked_up) memcpy(key, p->first_key, HASH_SIZE);
	else if (p->cache && inputs_cached_job(p, i, key)) return 0;
	/* The coarse clock is the one file times come from: a file saved
	 * after this instant has a time at or after it. */
	struct timespec started;
	clock_gettime(CLOCK_REALTIME_COARSE, &started);
	int rc = scan_tu(j->file, &j->opts, &p->recs[i]);
	if (!rc && text) {
		/* The caller prints the text: the struct's lists are not
		 * its to see (they are not filled from the cache). */
		record_text(text, &p->recs[i]);
	}
	if (!rc && p->cache) cache_put(p->cache, key, &p->recs[i], text, started);
	return rc;
}

static void inputs_job(void *ctx, size_t i)
{
	struct scan_pool *p = ctx;
	p->rcs[i] = inputs_scan_job(p, i);
	inputs_progress(p);
}

/* -v: what each TU cost, in job order whatever the threads did. */
static void inputs_report(const struct scan_pool *p)
{
	size_t cached = 0, failed = 0;
	for (size_t i = 0; i < p->njobs; i++) {
		const struct scan_job *j = &p->jobs[i];
		char *joined = path_join(j->opts.directory, j->file);
		char *shown = path_display(joined);
		diag_note((struct loc){0}, "%s: %s", shown,
			  p->rcs[i] ? "failed" : p->cached[i] ? "from the cache"
			  : "parsed");
		free(shown);
		free(joined);
		cached += p->cached[i];
		failed += p->rcs[i] != 0;
	}
	struct cache_stats st = cache_stats(p->cache);
	char *fails = failed ? xasprintf(", %zu failed", failed) : xstrdup("");
	diag_note((struct loc){0}, "%zu translation unit%s: %zu parsed, %zu "
		  "from the cache%s%s", p->njobs, p->njobs == 1 ? "" : "s",
		  p->njobs - cached - failed, cached, fails,
		  !p->cache ? " (no cache)" : st.unstable
		  ? " (some files changed while scanning: not cached)" : "");
	free(fails);
}

int inputs_scan_jobs(struct inputs_opts *io, const struct scan_job *jobs,
		     size_t njobs, struct scan_record *recs, struct strbuf *texts)
{
	struct scan_pool p = {
		.jobs = jobs, .njobs = njobs, .recs = recs, .texts = texts,
		.rcs = xcalloc(njobs, sizeof(int)),
		.cached = xcalloc(njobs, 1),
		.progress = !io->quiet && njobs > 1 && isatty(2),
	};
	if (!io->no_cache && njobs) {
		if (!io->files) io->files = filehash_new();
		p.cache = cache_open(io->cache_dir ? io->cache_dir : CACHE_DIR,
				     io->files);
	}
	pthread_mutex_init(&p.lock, NULL);
	/* One TU (`pkginit scan`, the usual step of an incremental build)
	 * is looked up here first: only a parse needs a pool thread's
	 * stack (pool.c), and starting one was about 0.1 ms of a 2 ms warm
	 * scan (spec/performance.md).  With several, the lookups run on
	 * the pool, in parallel and with their diagnostics in job order. */
	if (njobs == 1 && p.cache) {
		p.first_looked_up = 1;
		if (inputs_cached_job(&p, 0, p.first_key)) p.done = 1;
	}
	if (!p.done) pool_run(njobs, io->jobs ? io->jobs : inputs_ncpu(), inputs_job, &p);
	pthread_mutex_destroy(&p.lock);
	if (p.progress) diag_status(NULL);
	if (io->verbose) inputs_report(&p);
	cache_close(p.cache);
	int worst = 0;
	for (size_t i = 0; i < njobs; i++)
		if (p.rcs[i] > worst) worst = p.rcs[i];
	free(p.rcs);
	free(p.cached);
	return worst;
}

int inputs_is_source(const char *f)
{
	size_t n = strlen(f);
	return n > 2 && !strcmp(f + n - 2, ".c");
}

int inputs_require(const char *cmd, const struct opt_args *args, int sources,
		   const char *why)
{
	for (size_t i = 0; i < args->nfiles; i++)
		if (inputs_is_source(args->files[i]) != sources)
			return diag_usage(cmd, "'%s' %s", args->files[i], why);
	/* A .c file compiled as another language (-x c++, -ObjC) is not C
	 * either. */
	for (size_t i = 0; sources && i < args->ncflags; i++) {
		const char *f = args->cflags[i], *lang = NULL;
		if (!strcmp(f, "-x") && i + 1 < args->ncflags) lang = args->cflags[i + 1];
		else if (!strncmp(f, "-x", 2) && f[2]) lang = f + 2;
		else if (!strcmp(f, "-ObjC") || !strcmp(f, "-ObjC++")) lang = f + 1;
		if (lang && strcmp(lang, "c") && strcmp(lang, "c-header"))
			return diag_usage(cmd, "'%s%s%s' makes the sources another "
					  "language than C; pkginit scans C "
					  "translation units", f, lang == f + 1 ||
					  lang == f + 2 ? "" : " ",
					  lang == f + 1 || lang == f + 2 ? "" : lang);
	}
	return 0;
}

/* ---- what to scan ------------------------------------------------------------ */

/* Would a file at this absolute path be in a package: under a root, and
 * not excluded by pkginit.yaml? */
static int inputs_in_package(const char *abs, char *const *absroots,
			     size_t nroots, const struct config *cfg)
{
	char *name = config_root_name(abs, (const char *const *)absroots, nroots);
	char *pkg = NULL;
	int in = name && config_package(cfg, name, &pkg, NULL) != 0;
	free(pkg);
	free(name);
	return in;
}

/* Paths compare as what they are (path_real), like scan.c's. */
static char *inputs_abs(const char *p)
{
	return path_real(p);
}

/* The jobs of a compilation database: each C file under a root once per
 * distinct command (the same file built twice with other flags is
 * scanned twice, and graph.c merges what the two records say), in the
 * database's order; only the files named by .c operands when there are
 * some.  Files outside the roots or excluded are another project's
 * (generated code, vendored libraries): skipped. */
static int inputs_compdb_jobs(const char *cmd, struct inputs_opts *io,
			      const struct opt_args *args, const struct compdb *db,
			      char *const *roots, size_t nroots,
			      struct scan_job **jobs, size_t *njobs)
{
	char **absroots = xcalloc(nroots, sizeof *absroots);
	for (size_t i = 0; i < nroots; i++) absroots[i] = inputs_abs(roots[i]);
	char **wanted = xcalloc(args->nfiles ? args->nfiles : 1, sizeof *wanted);
	unsigned char *found = xcalloc(args->nfiles ? args->nfiles : 1, 1);
	for (size_t i = 0; i < args->nfiles; i++) wanted[i] = inputs_abs(args->files[i]);
	struct strmap seen = {0};
	char **keys = xcalloc(db->ncmds ? db->ncmds : 1, sizeof *keys);
	size_t cap = 0;
	*jobs = NULL;
	*njobs = 0;
	for (size_t i = 0; i < db->ncmds; i++) {
		const struct compdb_cmd *c = &db->cmds[i];
		if (!inputs_is_source(c->file)) continue;
		char *joined = path_join(c->directory, c->file);
		char *abs = inputs_abs(joined);
		free(joined);
		int pick = inputs_in_package(abs, absroots, nroots, &io->config);
		if (pick && args->nfiles) {
			int named = 0;
			for (size_t k = 0; k < args->nfiles; k++)
				if (!strcmp(abs, wanted[k])) found[k] = named = 1;
			pick = named;
		}
		if (pick) {
			keys[i] = compdb_cmd_key(c, abs);
			pick = !strmap_get(&seen, keys[i], NULL);
			strmap_put(&seen, keys[i], i);
		}
		free(abs);
		if (!pick) continue;
		struct scan_job j = {c->file, {
			.roots = (const char *const *)roots, .nroots = nroots,
			.args = (const char *const *)c->args, .nargs = c->nargs,
			.directory = c->directory, .config = &io->config,
			.entry = c->at,
			.facts = inputs_want_facts(io),
		}};
		VEC_PUSH(*jobs, *njobs, cap, j);
	}
	int rc = 0;
	for (size_t k = 0; k < args->nfiles && !rc; k++)
		if (!found[k])
			rc = diag_usage(cmd, "'%s' is not a C file of the compilation "
					"database '%s' under the roots",
					args->files[k], db->path);
	if (!rc && !*njobs) {
		diag_error((struct loc){db->path, 0, 0}, "no compile command for a "
			   ".c file under the roots (%zu commands)", db->ncmds);
		rc = EXIT_INPUT;
	}
	strmap_free(&seen);
	for (size_t i = 0; i < db->ncmds; i++) free(keys[i]);
	free(keys);
	for (size_t i = 0; i < args->nfiles; i++) free(wanted[i]);
	free(wanted);
	free(found);
	for (size_t i = 0; i < nroots; i++) free(absroots[i]);
	free(absroots);
	if (rc) {
		free(*jobs);
		*jobs = NULL;
	}
	return rc;
}

/* The jobs of .c operands: every one, with the flags after "--", except
 * those pkginit.yaml excludes (they belong to no package). */
static void inputs_operand_jobs(struct inputs_opts *io, const struct opt_args *args,
				char *const *roots, size_t nroots,
				struct scan_job **jobs, size_t *njobs)
{
	char **absroots = xcalloc(nroots, sizeof *absroots);
	for (size_t i = 0; i < nroots; i++) absroots[i] = inputs_abs(roots[i]);
	*jobs = xcalloc(args->nfiles, sizeof **jobs);
	*njobs = 0;
	for (size_t i = 0; i < args->nfiles; i++) {
		char *abs = inputs_abs(args->files[i]);
		/* A file outside every root is scan_tu's error to report. */
		int skip = io->config.nexclude &&
			   inputs_in_package(abs, absroots, nroots, NULL) &&
			   !inputs_in_package(abs, absroots, nroots, &io->config);
		free(abs);
		if (skip) continue;
		(*jobs)[(*njobs)++] = (struct scan_job){args->files[i], {
			.roots = (const char *const *)roots, .nroots = nroots,
			.args = args->cflags, .nargs = args->ncflags,
			.config = &io->config,
			.facts = inputs_want_facts(io),
		}};
	}
	for (size_t i = 0; i < nroots; i++) free(absroots[i]);
	free(absroots);
}

static int inputs_scan_sources(const char *cmd, struct inputs_opts *io,
			       const struct opt_args *args,
			       struct scan_record **recs, size_t *nrecs)
{
	char **roots;
	size_t nroots;
	int rc = inputs_roots(cmd, io, &roots, &nroots);
	if (rc) return rc;
	struct compdb db = {0};
	struct scan_job *jobs = NULL;
	size_t njobs = 0;
	if (io->compdb_dir || io->compdb_file) {
		rc = compdb_load(&db, io->compdb_dir ? io->compdb_dir : io->compdb_file,
				 io->compdb_dir != NULL);
		if (!rc)
			rc = inputs_compdb_jobs(cmd, io, args, &db, roots, nroots,
						&jobs, &njobs);
	} else {
		inputs_operand_jobs(io, args, roots, nroots, &jobs, &njobs);
	}
	if (!rc) {
		*recs = xcalloc(njobs, sizeof **recs);
		*nrecs = njobs;
		rc = inputs_scan_jobs(io, jobs, njobs, *recs, NULL);
		if (rc == EXIT_USAGE) diag_try(cmd);
		if (rc) {
			inputs_free(*recs, njobs);
			*recs = NULL;
			*nrecs = 0;
		}
	}
	free(jobs);
	compdb_free(&db);
	for (size_t i = 0; i < nroots; i++) free(roots[i]);
	free(roots);
	return rc;
}

/* ---- reading scan records ---------------------------------------------- */

/* Reading records is most of what link costs: libyaml parses every byte
 * (10,000 records of 200,000 functions, 71 MB, are 85 % of link's 25.0G
 * instructions, callgrind), and records are independent, so io->jobs
 * threads read them, each into its own slot.  That link (--deps uses,
 * 2 CPUs, best of 3): 1.83 s serial, 1.03 s on 2 threads, the same
 * 1.6 s of CPU.  Diagnostics must not depend on the threads: the
 * threads (this one among them) read silently (diag_quiet), and the
 * records that failed are read again, in order, printing what they
 * printed before (a record that reads prints nothing). */
struct read_pool {
	char *const *files;
	size_t n, next;
	struct scan_record *recs;
	int *rcs;
	pthread_mutex_t lock;
};

static void *inputs_read_worker(void *arg)
{
	struct read_pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n) break;
		p->rcs[i] = record_read(p->files[i], &p->recs[i]);
	}
	return NULL;
}

static void *inputs_read_quiet(void *arg)
{
	diag_quiet(1);
	inputs_read_worker(arg);
	diag_quiet(0);
	return NULL;
}

static int inputs_read_records(struct inputs_opts *io, char *const *files,
			       size_t n, struct scan_record *recs)
{
	unsigned jobs = io->jobs ? io->jobs : inputs_ncpu();
	if (jobs > n) jobs = (unsigned)n;
	int *rcs = xcalloc(n ? n : 1, sizeof *rcs);
	if (jobs > 1) {
		struct read_pool p = {files, n, 0, recs, rcs, PTHREAD_MUTEX_INITIALIZER};
		pthread_t *t = xcalloc(jobs, sizeof *t);
		unsigned started = 0;
		for (unsigned i = 1; i < jobs; i++) {
			if (pthread_create(&t[i], NULL, inputs_read_quiet, &p)) break;
			started++;
		}
		inputs_read_quiet(&p);
		for (unsigned i = 1; i <= started; i++) pthread_join(t[i], NULL);
		free(t);
	} else {
		for (size_t i = 0; i < n; i++) rcs[i] = -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		/* A failed read left its record empty: read it again, now
		 * with its diagnostics, in order. */
		if (rcs[i]) rcs[i] = record_read(files[i], &recs[i]);
		if (rcs[i] > rc) rc = rcs[i];
	}
	free(rcs);
	return rc;
}

int inputs_load(const char *cmd, struct inputs_opts *io,
		const struct opt_args *args, struct scan_record **recs,
		size_t *nrecs)
{
	int compdb = io->compdb_dir || io->compdb_file;
	if (io->compdb_dir && io->compdb_file)
		return diag_usage(cmd, "give -p BUILD_DIR or --compdb FILE, not both");
	if (!args->nfiles && !compdb)
		return diag_usage(cmd, "no input files (give scan records, .c files, "
				  "or -p BUILD_DIR)");
	size_t nsrc = 0;
	for (size_t i = 0; i < args->nfiles; i++) nsrc += inputs_is_source(args->files[i]);
	if (compdb && nsrc != args->nfiles)
		return diag_usage(cmd, "with a compilation database, operands are .c "
				  "files to pick from it, not scan records");
	if (compdb && args->ncflags)
		return diag_usage(cmd, "compiler flags after '--' do not apply with a "
				  "compilation database: each file is scanned with "
				  "its own command");
	if (args->ncflags && !nsrc)
		return diag_usage(cmd, "compiler flags after '--' need .c files to scan");
	if (nsrc && nsrc != args->nfiles)
		return diag_usage(cmd, "give either scan records or .c files, not both");
	int cli_roots = io->roots.n > 0;
	int rc = inputs_config(io);
	if (rc) return rc;
	if (nsrc && (rc = inputs_require(cmd, args, 1, "is not a C source")))
		return rc;
	if (nsrc || compdb) return inputs_scan_sources(cmd, io, args, recs, nrecs);

	if (cli_roots)
		return diag_usage(cmd, "--root applies when scanning .c files; "
				  "scan records carry their roots");
	struct scan_record *r = xcalloc(args->nfiles, sizeof *r);
	rc = inputs_read_records(io, args->files, args->nfiles, r);
	if (rc) {
		inputs_free(r, args->nfiles);
		return rc;
	}
	*recs = r;
	*nrecs = args->nfiles;
	return 0;
}

int inputs_plan(struct inputs_opts *io, struct scan_record *recs,
		size_t nrecs, int need_main, struct graph *g, struct plan *p)
{
	enum order_mode mode = ORDER_LEX;
	enum deps_mode deps = DEPS_INCLUDE;
	if (io->order) order_mode_parse(io->order, &mode);     /* choices: valid */
	if (io->deps) deps = (enum deps_mode)opt_choice(deps_mode_names, io->deps);
	*p = (struct plan){0};
	struct graph_opts go = {.main = io->main, .need_main = need_main};
	int rc = graph_build(g, recs, nrecs, &go);
	if (!rc) rc = shlib_apply(&io->shlib_reports, g);       /* shlib.c */
	if (rc) return rc;
	struct deps *d = NULL;
	rc = deps_build(&d, recs, nrecs, g, inputs_want_facts(io),
			io->follow_addresses);
	if (!rc && io->verbose) deps_summary(d);
	if (!rc) rc = plan_build(p, g, d, mode, deps, !io->no_verify);
	deps_free(d);
	return rc;
}

void inputs_free(struct scan_record *recs, size_t nrecs)
{
	for (size_t i = 0; i < nrecs; i++) record_free(&recs[i]);
	free(recs);
}

/* ---- outputs that are inputs ----------------------------------------------- */

int inputs_check_outputs(const char *cmd, const struct inputs_opts *io,
			 const struct scan_record *recs, size_t nrecs,
			 const struct out_name *outs, size_t nouts)
{
	const char **ins = NULL;
	size_t nins = 0, cap = 0;
	char *db = io->compdb_dir ? path_join(io->compdb_dir, "compile_commands.json")
				  : NULL;
	VEC_PUSH(ins, nins, cap, io->config.path);
	VEC_PUSH(ins, nins, cap, db ? db : io->compdb_file);
	/* A record read from a file is that file; a scanned one is every
	 * file its TU read (the source and each header). */
	for (size_t i = 0; i < nrecs; i++) {
		if (recs[i].source) {
			VEC_PUSH(ins, nins, cap, recs[i].source);
			continue;
		}
		for (size_t k = 0; k < recs[i].ndeps; k++)
			VEC_PUSH(ins, nins, cap, recs[i].deps[k]);
	}
	int rc = out_check_names(cmd, outs, nouts, ins, nins, io->files);
	free(ins);
	free(db);
	return rc;
}
