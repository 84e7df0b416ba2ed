/*
 * cmd_link.c - pkginit link: scan records in, init table and report out.
 *
 * This is the linker's half of Go's split: each TU's record says what it
 * defines and imports; link sees them all, builds the import graph,
 * orders it, and writes the one table the runtime walks.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

static int link_write(const struct graph *g, const struct plan *p,
		      enum driver d, const char *module, const char *table,
		      const char *report)
{
	/* Both files are complete in their temporaries before either is
	 * renamed, so a failure never leaves a new table beside an old
	 * report. */
	struct out t = {0}, r = {0};
	int rc = 0;
	if (table && !(rc = out_open(&t, table)))
		emit_table(t.fp, g, p, d, module);
	if (!rc && report && !(rc = out_open(&r, report)))
		report_write(r.fp, g, p);
	t.keep_same = r.keep_same = 1;
	if (!rc && table) rc = out_flush(&t);
	if (!rc && report) rc = out_flush(&r);
	if (!rc && table) rc = out_commit(&t);
	if (!rc && report) rc = out_commit(&r);
	if (rc) {
		out_abort(&t);
		out_abort(&r);
	}
	return rc;
}

int link_run(const char *cmd, struct inputs_opts *io,
	     struct scan_record *recs, size_t nrecs, const char *table,
	     const char *report)
{
	struct graph g = {0};
	struct plan p = {0};
	enum driver d = DRIVER_RT0;
	int rc = 0;
	if (io->driver) emit_driver_parse(io->driver, &d);  /* a choice: valid */
	if (io->module && d != DRIVER_SHLIB)
		rc = diag_usage(cmd, "--module names a shared library's table; it needs --driver=shlib");
	if (!table) table = "inittab.c";
	const struct out_name names[] = {{"-o", table}, {"--report", report}};
	if (!rc) rc = inputs_check_outputs(cmd, io, recs, nrecs, names, 2);
	/* A shared library has no main. */
	if (!rc) rc = inputs_plan(io, recs, nrecs, d != DRIVER_SHLIB, &g, &p);
	if (!rc) rc = link_write(&g, &p, d, io->module, table, report);
	plan_free(&p);
	graph_free(&g);
	return rc;
}

int link_to_stdout(const char *table, const char *report)
{
	return (table && !strcmp(table, "-")) || (report && !strcmp(report, "-"));
}

int cmd_link(int argc, char **argv)
{
	const char *table = NULL, *report = NULL;
	struct inputs_opts io = {0};
	struct diag_output dout = {0};
	const struct option opts[] = {
		LINK_OUTPUT_OPTIONS(table, report),
		ORDER_OPTION(io),
		DEPS_OPTIONS(io),
		MAIN_OPTION(io),
		CONFIG_OPTION(io),
		DRIVER_OPTION(io),
		SHLIB_REPORT_OPTION(io),
		DIAG_OUTPUT_OPTIONS(dout),
		{0},
	};
	const struct opt_cmd cmd = {
		"link", "REC...",
		"Merge scan records, order the packages, and write the C init table\n"
		"(and, with --report, the YAML report of the order).",
		opts,
		"The order mode is --order, else pkginit.yaml's, else lex.\n"
		DRIVER_HELP "\n"
		"Exit status: 0 ok, 1 the order is wrong (import cycle, two mains,\n"
		"duplicate init function, unknown import), 2 usage, 3 a record\n"
		"cannot be read.  On error no output is written or changed.",
	};
	struct opt_args args;
	struct scan_record *recs = NULL;
	size_t nrecs = 0;
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	rc = sarif_begin("link", &dout, link_to_stdout(table, report));
	if (rc)
		;
	else if (args.ncflags)
		rc = diag_usage("link", "link takes scan records, not compiler flags");
	/* inputs_load's message would offer .c files and -p, which are gen's. */
	else if (!args.nfiles)
		rc = diag_usage("link", "no input files (give scan records)");
	else
		rc = inputs_require("link", &args, 0, "is a C source; link reads "
				    "scan records (use 'pkginit gen' to scan and link)");
	if (!rc) rc = inputs_load("link", &io, &args, &recs, &nrecs);
	if (!rc) rc = link_run("link", &io, recs, nrecs, table, report);
	rc = sarif_end(rc);
	inputs_free(recs, nrecs);
	free(args.files);
	inputs_done(&io);
	return rc;
}
