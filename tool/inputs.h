/*
 * inputs.h - what scan, link, gen, check, graph and why read (inputs.c):
 * the options every such command shares, and reading records or scanning
 * sources, on threads, through the scan cache, into the plan.
 */
#ifndef PKGINIT_INPUTS_H
#define PKGINIT_INPUTS_H

#include "opt.h"

/* ---- inputs.c: what scan, gen, check and graph read --------------------- */

struct inputs_opts {
	struct opt_list roots;  /* --root */
	unsigned jobs;          /* -j; 0 = number of CPUs */
	const char *main;       /* --main */
	const char *order;      /* --order: one of order_mode_names */
	const char *deps;       /* --deps: one of deps_mode_names */
	int no_verify;          /* --no-verify */
	int follow_addresses;      /* --follow-addresses */
	int no_facts;           /* the command never needs function facts
				   (graph shows imports only) */
	const char *driver;     /* --driver (link and gen): emit_driver_names */
	const char *module;     /* --module, with --driver=shlib */
	struct opt_list shlib_reports;  /* --shlib-report (link, gen, check) */
	const char *compdb_dir;         /* -p BUILD_DIR */
	const char *compdb_file;        /* --compdb FILE */
	const char *config_file;        /* --config FILE */
	const char *cache_dir;          /* --cache DIR */
	int no_cache;                   /* --no-cache */
	int quiet;                      /* -q: no progress */
	int verbose;                    /* -v: say what was parsed, cached */
	struct config config;   /* pkginit.yaml, once inputs_config read it */
	int config_read;
	struct filehash *files; /* what the scan cache saw of each file,
				   asked again by inputs_check_outputs */
};

/* pkginit.yaml and the scan cache: every command that scans. */
#define CONFIG_OPTION(io)                                                     \
	{OPT_STRING, NULL, "config", &(io).config_file, "FILE",               \
	 "the configuration (default: ./" CONFIG_FILE " when it exists)"}
#define CACHE_OPTIONS(io)                                                     \
	CONFIG_OPTION(io),                                                    \
	{OPT_STRING, NULL, "cache", &(io).cache_dir, "DIR",                   \
	 "the scan cache (default: " CACHE_DIR ")"},                          \
	{OPT_FLAG, NULL, "no-cache", &(io).no_cache, NULL,                    \
	 "neither read nor write the scan cache"},                            \
	{OPT_FLAG, "v", "verbose", &(io).verbose, NULL,                       \
	 "list the translation units parsed and those taken from the cache"}

/* One definition of each option that several commands share. */
#define ROOT_OPTION(io)                                                       \
	{OPT_LIST, NULL, "root", &(io).roots, "DIR",                          \
	 "a directory that holds packages (repeatable; default .)"}
#define MAIN_OPTION(io)                                                       \
	{OPT_STRING, NULL, "main", &(io).main, "PATH",                        \
	 "the program, when several files define main(): that file, or its package"}
#define ORDER_OPTION(io)                                                      \
	{OPT_CHOICE, NULL, "order", OPT_CHOICE_OF((io).order, order_mode_names), \
	 NULL, "order between packages (default lex, as Go >= 1.21)"}
/* --deps and --no-verify: what orders init functions, and whether the
 * order is checked against what the init functions touch (deps.c). */
#define DEPS_OPTIONS(io)                                                      \
	{OPT_CHOICE, NULL, "deps", OPT_CHOICE_OF((io).deps, deps_mode_names), \
	 NULL, "what orders init functions: include (package imports, as "    \
	 "Go; the default) or uses (what the code reads and writes)"},        \
	{OPT_FLAG, NULL, "no-verify", &(io).no_verify, NULL,                  \
	 "do not check the order against what init functions read and "       \
	 "write (include mode only; scans skip function bodies)"},            \
	{OPT_FLAG, NULL, "follow-addresses", &(io).follow_addresses, NULL,    \
	 "count taking a function's address (in a body, or in a static "      \
	 "table's initializer) as reaching it"}

/* The options every command that reads inputs shares. */
#define INPUTS_OPTIONS(io)                                                    \
	ROOT_OPTION(io),                                                      \
	{OPT_UINT, "j", "jobs", &(io).jobs, "N",                              \
	 "scan N translation units at once (default: number of CPUs)"},       \
	MAIN_OPTION(io),                                                      \
	ORDER_OPTION(io),                                                     \
	DEPS_OPTIONS(io),                                                     \
	{OPT_STRING, "p", NULL, &(io).compdb_dir, "BUILD_DIR",                \
	 "scan every C file of BUILD_DIR/compile_commands.json"},             \
	{OPT_STRING, NULL, "compdb", &(io).compdb_file, "FILE",               \
	 "scan every C file of this compilation database"},                   \
	CACHE_OPTIONS(io),                                                    \
	{OPT_FLAG, "q", "quiet", &(io).quiet, NULL,                           \
	 "no progress on a terminal"}

/* Normalize and check the roots (each must be a directory).  Returns 0 or
 * prints a usage error and returns EXIT_USAGE. */
int inputs_roots(const char *cmd, struct inputs_opts *io, char ***roots,
		 size_t *nroots);


/* Does the operand name a C source (ends in ".c")? */
int inputs_is_source(const char *f);

/* Every operand a C source (sources set) or a scan record (not set):
 * 0, or a usage error "'OPERAND' why" naming the first that is not. */
int inputs_require(const char *cmd, const struct opt_args *args, int sources,
		   const char *why);

/* One translation unit to scan, with its command's flags. */
struct scan_job {
	const char *file;
	struct scan_opts opts;
};

/* Scan the jobs on io->jobs threads, through the scan cache unless
 * io->no_cache, with progress on a terminal.  recs gets njobs records in
 * job order.  With texts (njobs of them), each record's YAML is appended
 * to its text instead, and its record holds only tu and deps: what
 * `pkginit scan` writes, copied from the cache when it answers.  Returns
 * 0 or the worst exit code of any TU. */
int inputs_scan_jobs(struct inputs_opts *io, const struct scan_job *jobs,
		     size_t njobs, struct scan_record *recs, struct strbuf *texts);

/* Read pkginit.yaml (--config, else ./pkginit.yaml if any) once; its
 * roots and order apply when the command line gives none.  Returns 0 or
 * EXIT_INPUT. */
int inputs_config(struct inputs_opts *io);
/* Do the scans need function facts (--deps uses, or verification on)? */
int inputs_want_facts(const struct inputs_opts *io);
/* Free what inputs_config read. */
void inputs_done(struct inputs_opts *io);

/* Read records, or scan sources: operands ending in ".c" are scanned,
 * others are read as scan records; with -p or --compdb, the C files of
 * the compilation database are scanned (only those named, when .c
 * operands are given).  Returns 0 or an exit code. */
int inputs_load(const char *cmd, struct inputs_opts *io,
		const struct opt_args *args, struct scan_record **recs,
		size_t *nrecs);

/* Build the graph, resolve the function facts and order the init
 * functions by io's --order, --deps and --no-verify: *p (plan_free) is
 * what the table runs.  Returns 0, or an exit code after printing why
 * (cycle, unsafe order, records without facts). */
int inputs_plan(struct inputs_opts *io, struct scan_record *recs,
		size_t nrecs, int need_main, struct graph *g, struct plan *p);

/* Free what inputs_load returned. */
void inputs_free(struct scan_record *recs, size_t nrecs);

/* Refuse, before anything is written, outputs that are one file or that
 * are an input of this run (out_check_names): pkginit.yaml, the
 * compilation database, each record read, and every file a scanned TU
 * read.  Returns 0 or EXIT_USAGE. */
int inputs_check_outputs(const char *cmd, const struct inputs_opts *io,
			 const struct scan_record *recs, size_t nrecs,
			 const struct out_name *outs, size_t nouts);

/* --shlib-report, for link, gen and check (shlib.c; inputs_plan applies
 * it). */
#define SHLIB_REPORT_OPTION(io)                                               \
	{OPT_LIST, NULL, "shlib-report", &(io).shlib_reports, "R.yaml",        \
	 "a shared library's report: its packages' init functions are in its "  \
	 "own table, not this one (repeatable)"}

/* Leave out of g the init functions of the packages that the shared
 * libraries' reports initialize; a library package that needs one of the
 * init functions left in g is an error.  Returns 0 or an exit code. */
int shlib_apply(const struct opt_list *reports, struct graph *g);

#endif /* PKGINIT_INPUTS_H */
