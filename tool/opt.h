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
};

struct opt_list {
	const char **items;
	size_t n, cap;
};

struct option {
	enum opt_type type;
	const char *sname;      /* after one dash: "o", "j", "MF"; or NULL */
	const char *lname;      /* after two dashes: "root"; or NULL */
	void *value;
	const char *argname;    /* for --help: "DIR" */
	const char *help;
};

struct opt_cmd {
	const char *name;       /* "scan" */
	const char *usage;      /* one line */
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

/* ---- inputs.c: what scan, gen, check and graph read --------------------- */

struct inputs_opts {
	struct opt_list roots;  /* --root */
	unsigned jobs;          /* -j; 0 = number of CPUs */
	const char *main;       /* --main */
	const char *order;      /* --order */
};

/* The options every command that reads inputs shares. */
#define INPUTS_OPTIONS(io)                                                    \
	{OPT_LIST, NULL, "root", &(io).roots, "DIR",                          \
	 "a directory that holds packages (repeatable; default .)"},          \
	{OPT_UINT, "j", "jobs", &(io).jobs, "N",                              \
	 "scan N translation units at once (default: number of CPUs)"},       \
	{OPT_STRING, NULL, "main", &(io).main, "PATH",                        \
	 "the package to treat as main when several define main()"},          \
	{OPT_STRING, NULL, "order", &(io).order, "lex|import",                \
	 "order between packages (default lex, as Go >= 1.21)"}

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

/* Read records, or scan sources: operands ending in ".c" are scanned,
 * others are read as scan records.  Returns 0 or an exit code. */
int inputs_load(const char *cmd, struct inputs_opts *io,
		const struct opt_args *args, struct scan_record **recs,
		size_t *nrecs);

/* Build the graph and order it; on a cycle print it.  mode from
 * io->order (validated).  Returns 0 or an exit code. */
int inputs_order(const char *cmd, struct inputs_opts *io,
		 struct scan_record *recs, size_t nrecs, int need_main,
		 struct graph *g, enum order_mode *mode, size_t **order);

unsigned inputs_ncpu(void);

/* ---- cmd_link.c: the outputs of link and gen ---------------------------- */

/* Order the records and write the table (default inittab.c) and, when
 * report is set, the report: each atomically, both or neither.  Frees
 * recs.  Returns 0 or an exit code. */
int link_run(const char *cmd, struct inputs_opts *io,
	     struct scan_record *recs, size_t nrecs, const char *table,
	     const char *report);

/* Free what inputs_load returned. */
void inputs_free(struct scan_record *recs, size_t nrecs);

#endif /* PKGINIT_OPT_H */
