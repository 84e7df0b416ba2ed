/*
 * cmd.h - the subcommands (one cmd_*.c each, dispatched by main.c) and
 * what several of them share: link's outputs, --driver, shared-library
 * reports, --diagnostics-format.
 */
#ifndef PKGINIT_CMD_H
#define PKGINIT_CMD_H

#include "inputs.h"

/* ---- cmd_link.c: the outputs of link and gen ---------------------------- */

/* Order the records and write the table (default inittab.c) and, when
 * report is set, the report: each atomically, both or neither.  Returns
 * 0 or an exit code. */
int link_run(const char *cmd, struct inputs_opts *io,
	     struct scan_record *recs, size_t nrecs, const char *table,
	     const char *report);

/* --driver, for link and gen. */
#define DRIVER_OPTION(io)                                                     \
	{OPT_CHOICE, NULL, "driver", OPT_CHOICE_OF((io).driver, emit_driver_names), \
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

#endif /* PKGINIT_CMD_H */
