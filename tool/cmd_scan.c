/*
 * cmd_scan.c - pkginit scan: one translation unit in, one scan record out.
 *
 * Like cc -c, it is a pure function of the file, what it includes and the
 * flags, so a build system can run it in parallel, cache it, and rerun it
 * only when a dependency changes (-MD writes those dependencies).  It
 * also goes through pkginit's own scan cache, shared by every process
 * that uses the same cache directory, so a clean build whose sources did
 * not change parses nothing.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

/* "dir/foo.c" -> "foo" + ext, in the current directory, like cc -c. */
static char *scan_default_name(const char *src, const char *ext)
{
	const char *base = strrchr(src, '/');
	base = base ? base + 1 : src;
	size_t n = strlen(base);
	if (n > 2 && !strcmp(base + n - 2, ".c")) n -= 2;
	return xasprintf("%.*s%s", (int)n, base, ext);
}

/* The depfile beside the record: "x.rec" -> "x.d". */
static char *scan_depfile_name(const char *rec)
{
	size_t n = strlen(rec);
	if (n > 4 && !strcmp(rec + n - 4, ".rec")) n -= 4;
	return xasprintf("%.*s.d", (int)n, rec);
}

int cmd_scan(int argc, char **argv)
{
	const char *out = NULL, *depfile = NULL, *target = NULL;
	int md = 0, mp = 0;
	struct inputs_opts io = {0};
	const struct option opts[] = {
		{OPT_STRING, "o", "output", &out, "REC",
		 "write the scan record here (default: FILE's base name + .rec)"},
		ROOT_OPTION(io),
		DEPS_OPTIONS(io),
		{OPT_FLAG, "MD", NULL, &md, NULL,
		 "also write a Make depfile (default name: REC with .d)"},
		{OPT_STRING, "MF", NULL, &depfile, "DEP", "the depfile's name (implies -MD)"},
		{OPT_STRING, "MT", NULL, &target, "TGT",
		 "the depfile's target (default: REC)"},
		{OPT_FLAG, "MP", NULL, &mp, NULL,
		 "add a phony target for each header, as gcc -MP"},
		CACHE_OPTIONS(io),
		{0},
	};
	const struct opt_cmd cmd = {
		"scan", "FILE.c [-- CFLAGS...]",
		"Parse one translation unit with libclang and write its scan record:\n"
		"its init functions, imports, project #includes, and the files it read.",
		opts,
		"CFLAGS are the flags the file is compiled with (-I, -D, -std...).\n"
		"Exit status: 0 ok, 1 invalid init function or annotation, 2 usage,\n"
		"3 the file does not parse or cannot be read (no record is written).",
	};
	struct opt_args args;
	char **roots = NULL, *outname = NULL, *depname = NULL;
	size_t nroots = 0;
	struct scan_record r = {0};
	struct strbuf text = {0};       /* the record's YAML */
	struct out d = {0}, o = {0};
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	if (!args.nfiles) rc = diag_usage("scan", "no input file");
	else if (args.nfiles > 1)
		rc = diag_usage("scan", "scan takes exactly one FILE.c (got %zu)",
				args.nfiles);
	if (!rc) rc = inputs_require("scan", &args, 1, "is not a C source (.c); "
				     "pkginit scans C translation units");
	if (!rc) rc = inputs_roots("scan", &io, &roots, &nroots);
	if (rc) goto done;

	const char *src = args.files[0];
	outname = out ? xstrdup(out) : scan_default_name(src, ".rec");
	depname = depfile ? xstrdup(depfile)
		: md ? scan_depfile_name(outname) : NULL;
	struct scan_job job = {src, {
		.roots = (const char *const *)roots, .nroots = nroots,
		.args = args.cflags, .nargs = args.ncflags,
		.config = &io.config,
		.facts = inputs_want_facts(&io),
	}};
	/* The text, not the struct: from the cache, the bytes are copied
	 * out as stored, and r holds only the TU and the files it read. */
	rc = inputs_scan_jobs(&io, &job, 1, &r, &text);
	if (rc == EXIT_USAGE) diag_try("scan");
	const struct out_name names[] = {{"-o", outname}, {"-MF", depname}};
	if (!rc) rc = inputs_check_outputs("scan", &io, &r, 1, names, 2);
	/* Both outputs are printed in memory first.  One that already
	 * holds its bytes (the same TU scanned again after a touch, a
	 * checkout and back, make -B) is only touched, as Make needs it
	 * newer than what it depends on; the others are written out, both
	 * before either is renamed, so a failure leaves the old record and
	 * depfile as they were, and the touches come last. */
	/* The default target is the record, quoted for Make as gcc quotes
	 * its default target; -MT's is used as given, as gcc does. */
	struct strbuf dep = {0};
	if (!rc && depname) {
		char *quoted = target ? NULL : record_munge(outname);
		struct sb_stream m;
		sb_stream_open(&m);
		record_write_depfile(m.fp, &r, target ? target : quoted, mp);
		sb_stream_close(&m, &dep);
		free(quoted);
	}
	int dep_same = !rc && depname && out_holds(depname, dep.buf, dep.len);
	int rec_same = !rc && out_holds(outname, text.buf, text.len);
	if (!rc && depname && !dep_same && !(rc = out_open(&d, depname)))
		fwrite(dep.buf, 1, dep.len, d.fp);
	if (!rc && !rec_same && !(rc = out_open(&o, outname)))
		fwrite(text.buf, 1, text.len, o.fp);
	/* Renamed whole into place, but not synced to disk, as a compiler
	 * does not sync its objects: the fsync was 7 ms of an 8 ms scan
	 * answered by the cache (strace -T, ext4), and a record is rebuilt
	 * from its sources (spec/performance.md). */
	d.no_sync = o.no_sync = 1;
	if (!rc) rc = out_flush(&d);
	if (!rc) rc = out_flush(&o);
	if (!rc) rc = out_commit(&d);
	if (!rc) rc = out_commit(&o);
	if (rc) {
		out_abort(&d);
		out_abort(&o);
	}
	if (!rc && dep_same) rc = out_touch(depname);
	if (!rc && rec_same) rc = out_touch(outname);
	sb_free(&dep);
done:
	record_free(&r);
	sb_free(&text);
	for (size_t i = 0; i < nroots; i++) free(roots[i]);
	free(roots);
	free(outname);
	free(depname);
	free(args.files);
	inputs_done(&io);
	return rc;
}
