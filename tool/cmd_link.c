/*
 * cmd_link.c - pkginit link: scan records in, init table and report out.
 *
 * This is the linker's half of Go's split: each TU's record says what it
 * defines and imports; link sees them all, builds the import graph,
 * orders it, and writes the one table the runtime walks.
 */
#include "opt.h"

#include <stdlib.h>

static int link_write(const struct graph *g, enum order_mode mode,
		      enum driver d, const char *module, const size_t *order,
		      const char *table, const char *report)
{
	/* Both files are complete in their temporaries before either is
	 * renamed, so a failure never leaves a new table beside an old
	 * report. */
	struct out t = {0}, r = {0};
	int rc = 0;
	if (table && !(rc = out_open(&t, table))) {
		if (d == DRIVER_SHLIB)
			emit_table_shlib(t.fp, g, mode, order, module);
		else
			emit_table_driver(t.fp, g, mode, order, d);
	}
	if (!rc && report && !(rc = out_open(&r, report)))
		report_write(r.fp, g, mode, order);
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
	enum order_mode mode;
	enum driver d = DRIVER_RT0;
	size_t *order = NULL;
	int rc = 0;
	if (io->driver && driver_parse(io->driver, &d) != 0)
		rc = diag_usage(cmd, "--driver must be 'rt0', 'ctor', 'manual' or 'shlib', not '%s'",
				io->driver);
	if (!rc && io->module && d != DRIVER_SHLIB)
		rc = diag_usage(cmd, "--module names a shared library's table; it needs --driver=shlib");
	/* A shared library has no main. */
	if (!rc) rc = inputs_order(cmd, io, recs, nrecs, d != DRIVER_SHLIB, &g, &mode, &order);
	if (!rc) rc = link_write(&g, mode, d, io->module, order,
				 table ? table : "inittab.c", report);
	free(order);
	graph_free(&g);
	inputs_free(recs, nrecs);
	return rc;
}

int cmd_link(int argc, char **argv)
{
	const char *table = NULL, *report = NULL;
	struct inputs_opts io = {0};
	const struct option opts[] = {
		{OPT_STRING, "o", "output", &table, "TABLE.c",
		 "write the init table here (default: inittab.c)"},
		{OPT_STRING, NULL, "report", &report, "R.yaml",
		 "also write the YAML report of the order"},
		{OPT_STRING, NULL, "order", &io.order, "lex|import",
		 "order between packages (default lex, as Go >= 1.21)"},
		{OPT_STRING, NULL, "main", &io.main, "PATH",
		 "the package to treat as main when several define main()"},
		CONFIG_OPTION(io),
		DRIVER_OPTION(io),
		SHLIB_REPORT_OPTION(io),
		{0},
	};
	const struct opt_cmd cmd = {
		"link",
		"pkginit link [-o TABLE.c] [--report R.yaml] [--order lex|import] [--main P]\n"
		"                    [--driver rt0|ctor|manual|shlib [--module NAME]] [--shlib-report R.yaml]...\n"
		"                    [--config FILE] REC...",
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
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	if (args.ncflags) {
		free(args.files);
		return diag_usage("link", "link takes scan records, not compiler flags");
	}
	/* inputs_load's message would offer .c files and -p, which are gen's. */
	if (!args.nfiles)
		return diag_usage("link", "no input files (give scan records)");
	rc = inputs_require("link", &args, 0, "is a C source; link reads scan "
			    "records (use 'pkginit gen' to scan and link)");
	if (rc) {
		free(args.files);
		return rc;
	}
	struct scan_record *recs;
	size_t nrecs;
	rc = inputs_load("link", &io, &args, &recs, &nrecs);
	free(args.files);
	if (!rc) rc = link_run("link", &io, recs, nrecs, table, report);
	inputs_done(&io);
	return rc;
}
