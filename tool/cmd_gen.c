/*
 * cmd_gen.c - pkginit gen: scan every TU on -j threads, then link, in one
 * process.  The outputs are byte for byte those of scan + link.  The TUs
 * are .c operands with one set of flags, or a compilation database's
 * entries, each with its own (inputs.c).
 */
#include "cmd.h"

#include <stdlib.h>

int cmd_gen(int argc, char **argv)
{
	const char *table = NULL, *report = NULL;
	struct inputs_opts io = {0};
	struct diag_output dout = {0};
	const struct option opts[] = {
		INPUTS_OPTIONS(io),
		LINK_OUTPUT_OPTIONS(table, report),
		DRIVER_OPTION(io),
		SHLIB_REPORT_OPTION(io),
		DIAG_OUTPUT_OPTIONS(dout),
		{0},
	};
	const struct opt_cmd cmd = {
		"gen", "(FILE.c... [-- CFLAGS...] | -p BUILD_DIR [FILE.c...])",
		"Scan the translation units and link them: write the C init table\n"
		"(and, with --report, the YAML report of the order).",
		opts,
		"CFLAGS are the flags every FILE.c is compiled with (-I, -D, -std...).\n"
		"With -p or --compdb each C file of the compilation database is\n"
		"scanned with its own command (only the FILE.c named, if any).\n"
		"Exit status: 0 ok, 1 the order is wrong or an init function is\n"
		"invalid, 2 usage, 3 a file does not parse or cannot be read.\n"
		"On error no output is written or changed.\n"
		DRIVER_HELP,
	};
	struct opt_args args;
	struct scan_record *recs = NULL;
	size_t nrecs = 0;
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	rc = sarif_begin("gen", &dout, link_to_stdout(table, report));
	if (!rc) rc = inputs_require("gen", &args, 1, "is not a C source (.c); gen "
				     "scans sources (use 'pkginit link' for scan records)");
	if (!rc) rc = inputs_load("gen", &io, &args, &recs, &nrecs);
	if (!rc) rc = link_run("gen", &io, recs, nrecs, table, report);
	rc = sarif_end(rc);
	inputs_free(recs, nrecs);
	free(args.files);
	inputs_done(&io);
	return rc;
}
