/*
 * inputs.c - what the commands read: scan records, or C sources scanned
 * on a pool of threads, then the graph and its order.
 *
 * Scanning is the expensive step (libclang parses every TU), and TUs are
 * independent, so `-j N` threads take TUs from a shared counter.  Each
 * result lands in its own slot, and everything after scanning sorts what
 * it uses, so the output does not depend on which thread finished first.
 */
#include "opt.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned inputs_ncpu(void)
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

struct scan_pool {
	const char *const *files;
	size_t nfiles;
	struct scan_opts opts;
	struct scan_record *recs;
	int *rcs;
	size_t next;
	pthread_mutex_t lock;
};

static void *inputs_worker(void *arg)
{
	struct scan_pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->nfiles) return NULL;
		p->rcs[i] = scan_tu(p->files[i], &p->opts, &p->recs[i]);
	}
}

int inputs_scan(const char *const *files, size_t nfiles,
		const char *const *roots, size_t nroots,
		const char *const *cflags, size_t ncflags, unsigned jobs,
		struct scan_record *recs)
{
	struct scan_pool p = {
		.files = files, .nfiles = nfiles, .recs = recs,
		.opts = {.roots = roots, .nroots = nroots,
			 .args = cflags, .nargs = ncflags},
		.rcs = xcalloc(nfiles, sizeof(int)),
	};
	pthread_mutex_init(&p.lock, NULL);
	if (!jobs) jobs = inputs_ncpu();
	if (jobs > nfiles) jobs = (unsigned)nfiles;
	if (jobs <= 1) {
		inputs_worker(&p);
	} else {
		pthread_t *t = xcalloc(jobs, sizeof *t);
		/* libclang parses deep headers recursively: give each
		 * thread the stack a main thread would have. */
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 8u << 20);
		unsigned started = 0;
		for (unsigned i = 0; i < jobs; i++)
			if (pthread_create(&t[i], &attr, inputs_worker, &p) == 0)
				started++;
			else
				break;
		if (!started) inputs_worker(&p);
		for (unsigned i = 0; i < started; i++) pthread_join(t[i], NULL);
		pthread_attr_destroy(&attr);
		free(t);
	}
	pthread_mutex_destroy(&p.lock);
	int worst = 0;
	for (size_t i = 0; i < nfiles; i++)
		if (p.rcs[i] > worst) worst = p.rcs[i];
	free(p.rcs);
	return worst;
}

int inputs_is_source(const char *f)
{
	size_t n = strlen(f);
	return n > 2 && !strcmp(f + n - 2, ".c");
}

int inputs_load(const char *cmd, struct inputs_opts *io,
		const struct opt_args *args, struct scan_record **recs,
		size_t *nrecs)
{
	if (!args->nfiles)
		return diag_usage(cmd, "no input files (give scan records or .c files)");
	size_t nsrc = 0;
	for (size_t i = 0; i < args->nfiles; i++) nsrc += inputs_is_source(args->files[i]);
	if (args->ncflags && !nsrc)
		return diag_usage(cmd, "compiler flags after '--' need .c files to scan");
	if (nsrc && nsrc != args->nfiles)
		return diag_usage(cmd, "give either scan records or .c files, not both");
	struct scan_record *r = xcalloc(args->nfiles, sizeof *r);
	int rc = 0;
	if (nsrc) {
		char **roots;
		size_t nroots;
		rc = inputs_roots(cmd, io, &roots, &nroots);
		if (rc) {
			free(r);
			return rc;
		}
		rc = inputs_scan((const char *const *)args->files, args->nfiles,
				 (const char *const *)roots, nroots, args->cflags,
				 args->ncflags, io->jobs, r);
		for (size_t i = 0; i < nroots; i++) free(roots[i]);
		free(roots);
	} else {
		if (io->roots.n) {
			free(r);
			return diag_usage(cmd, "--root applies when scanning .c files; "
					  "scan records carry their roots");
		}
		for (size_t i = 0; i < args->nfiles; i++) {
			int e = record_read(args->files[i], &r[i]);
			if (e > rc) rc = e;
		}
	}
	if (rc) {
		for (size_t i = 0; i < args->nfiles; i++) record_free(&r[i]);
		free(r);
		return rc;
	}
	*recs = r;
	*nrecs = args->nfiles;
	return 0;
}

int inputs_order(const char *cmd, struct inputs_opts *io,
		 struct scan_record *recs, size_t nrecs, int need_main,
		 struct graph *g, enum order_mode *mode, size_t **order)
{
	*mode = ORDER_LEX;
	if (io->order && order_mode_parse(io->order, mode) != 0)
		return diag_usage(cmd, "--order must be 'lex' or 'import', not '%s'",
				  io->order);
	struct graph_opts go = {.main = io->main, .need_main = need_main};
	int rc = graph_build(g, recs, nrecs, &go);
	if (rc) return rc;
	*order = xcalloc(g->npkgs, sizeof **order);
	if (order_packages(g, *mode, *order) != 0) {
		free(*order);
		*order = NULL;
		return order_report_cycle(g);
	}
	return 0;
}

void inputs_free(struct scan_record *recs, size_t nrecs)
{
	for (size_t i = 0; i < nrecs; i++) record_free(&recs[i]);
	free(recs);
}
