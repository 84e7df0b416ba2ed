/*
 * opt.h - the shared option parser and the pieces every subcommand
 * shares: inputs (scan records or C sources to scan) and outputs.
 */
#ifndef PKGINIT_OPT_H
#define PKGINIT_OPT_H

#include "tool.h"

enum opt_type {
	OPT_END = 0,
	OPT_FLAG,       /* int, set to 1 */
	OPT_STRING,     /* const char *, last one wins */
	OPT_LIST,       /* struct opt_list, repeatable */
	OPT_UINT,       /* unsigned, 1..4096 */
	OPT_CHOICE,     /* struct opt_choice: one of its choices (the
			   table's own string is stored), last one wins */
};

/* What an OPT_CHOICE option's value points at. */
struct opt_choice {
	const char **value;
	const char *const *choices;     /* NULL-terminated */
};
#define OPT_CHOICE_OF(var, names) (&(struct opt_choice){&(var), (names)})

struct opt_list {
	const char **items;
	size_t n, cap;
};

struct option {
	enum opt_type type;
	const char *sname;      /* after one dash: "o", "j", "MF"; or NULL */
	const char *lname;      /* after two dashes: "root"; or NULL */
	void *value;
	const char *argname;    /* for --help: "DIR" (OPT_CHOICE: NULL,
				   the choices are shown as "a|b") */
	const char *help;
};

struct opt_cmd {
	const char *name;       /* "scan" */
	const char *operands;   /* the usage line after the options, e.g.
				   "FILE.c [-- CFLAGS...]"; the options part
				   is generated from opts */
	const char *what;       /* a sentence */
	const struct option *opts;      /* ends with {0} */
	const char *more;       /* extra --help text, or NULL */
};

struct opt_args {
	char **files;           /* operands, in order */
	size_t nfiles, capfiles;
	const char *const *cflags;      /* after "--" */
	size_t ncflags;
};

#define OPT_HELP (-1)   /* --help was printed: exit 0 */

/* Parse argv[1..argc) (argv[0] is the subcommand name).  Returns 0,
 * OPT_HELP, or EXIT_USAGE after printing the error. */
int opt_parse(const struct opt_cmd *cmd, int argc, char **argv,
	      struct opt_args *args);
void opt_help(const struct opt_cmd *cmd, FILE *f);
/* The usage line, generated from the option table: "pkginit NAME [-o
 * REC] [--root DIR]... OPERANDS", wrapped at 80 columns. */
void opt_usage(const struct opt_cmd *cmd, FILE *f);


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
	const char *driver;     /* --driver (link and gen): driver_names */
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

/* Scan every file (.c sources) with the given flags on io->jobs threads.
 * recs gets nfiles records in input order.  Returns 0 or the worst exit
 * code of any TU (every TU is scanned; all diagnostics are printed). */
int inputs_scan(const char *const *files, size_t nfiles,
		const char *const *roots, size_t nroots,
		const char *const *cflags, size_t ncflags, unsigned jobs,
		struct scan_record *recs);

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
 * job order.  Returns 0 or the worst exit code of any TU. */
int inputs_scan_jobs(struct inputs_opts *io, const struct scan_job *jobs,
		     size_t njobs, struct scan_record *recs);

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

/* ---- cmd_link.c: the outputs of link and gen ---------------------------- */

/* Order the records and write the table (default inittab.c) and, when
 * report is set, the report: each atomically, both or neither.  Returns
 * 0 or an exit code. */
int link_run(const char *cmd, struct inputs_opts *io,
	     struct scan_record *recs, size_t nrecs, const char *table,
	     const char *report);

/* --driver, for link and gen. */
#define DRIVER_OPTION(io)                                                     \
	{OPT_CHOICE, NULL, "driver", OPT_CHOICE_OF((io).driver, driver_names), \
	 NULL, "what runs the table (default rt0: the runtime; see below)"},  \
	{OPT_STRING, NULL, "module", &(io).module, "NAME",                     \
	 "with --driver=shlib: the shared library's name, for traces"}

/* The outputs of link and gen. */
#define LINK_OUTPUT_OPTIONS(table, report)                                    \
	{OPT_STRING, "o", "output", &(table), "TABLE.c",                      \
	 "write the init table here (default: inittab.c)"},                   \
	{OPT_STRING, NULL, "report", &(report), "R.yaml",                     \
	 "also write the YAML report of the order"}

/* The --help text that explains it. */
#define DRIVER_HELP                                                           \
	"--driver rt0 (default): the runtime (libpkgrt) runs the table before\n" \
	"main.  ctor: the table file also holds a runner that a constructor\n"  \
	"calls before main.  manual: the same runner, pkgrt_run_inits(), for\n" \
	"the program to call.  With ctor or manual, link without the runtime.\n" \
	"shlib: the table of a shared library (no main), registered with the\n" \
	"program's runtime when the library is loaded, or run by the library's\n" \
	"constructor in a program without it."

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

/* Free what inputs_load returned. */
void inputs_free(struct scan_record *recs, size_t nrecs);

/* Refuse, before anything is written, outputs that are one file or that
 * are an input of this run (out_check_names): pkginit.yaml, the
 * compilation database, each record read, and every file a scanned TU
 * read.  Returns 0 or EXIT_USAGE. */
int inputs_check_outputs(const char *cmd, const struct inputs_opts *io,
			 const struct scan_record *recs, size_t nrecs,
			 const struct out_name *outs, size_t nouts);

/* ---- the subcommands (main.c dispatches; one cmd_*.c each) ------------- */

int cmd_scan(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_why(int argc, char **argv);

/* ---- sarif.c: --diagnostics-format, for link, gen and check ------------ */

/* The choices of --diagnostics-format. */
extern const char *const diag_format_names[];

struct diag_output {
	const char *format;     /* --diagnostics-format: NULL (text), "text",
				   "sarif" */
	const char *file;       /* --diagnostics-output: the SARIF log's file,
				   NULL or "-" for standard output */
};

#define DIAG_OUTPUT_OPTIONS(d)                                                \
	{OPT_CHOICE, NULL, "diagnostics-format",                              \
	 OPT_CHOICE_OF((d).format, diag_format_names), NULL,                  \
	 "text (on stderr, the default) or sarif (also as a SARIF 2.1.0 "     \
	 "log, for code scanning)"},                                          \
	{OPT_STRING, NULL, "diagnostics-output", &(d).file, "FILE",           \
	 "write the SARIF log here (default: standard output)"}

/* After the options are parsed: with --diagnostics-format sarif, collect
 * every diagnostic from now on (they are still printed).  stdout_busy:
 * the command writes something else to standard output (-o -), which the
 * log then must not share.  Returns 0, or a usage error (2) or, when the
 * log's file cannot be created, 3. */
int sarif_begin(const char *cmd, const struct diag_output *d, int stdout_busy);
/* At the command's end: write the log, whole, with rc as its exit
 * status.  Returns rc, or 3 when rc is 0 and the log cannot be written.
 * Without sarif, returns rc. */
int sarif_end(int rc);
/* Is the log going to standard output (so text for the user must go to
 * stderr)? */
int sarif_stdout_taken(void);
/* The rule of a diagnostic ("error", "warning" or "note") by its message:
 * an index for sarif_rule_id. */
size_t sarif_rule_of(const char *level, const char *msg);
const char *sarif_rule_id(size_t rule);
/* Does -o or --report name standard output ("-")? (cmd_link.c) */
int link_to_stdout(const char *table, const char *report);

/* What diag.c hands every diagnostic to, when set (sarif.c's collector):
 * kind is "error", "warning" or "note"; fmt and ap are the message. */
typedef void diag_sink_fn(struct loc at, const char *kind, const char *fmt,
			  va_list ap);
extern diag_sink_fn *diag_sink;

#endif /* PKGINIT_OPT_H */
