/*
 * cmd_check.c - pkginit check: does the init order still match the lock
 * file committed to the repository?
 *
 * What is compared is what decides behaviour: the sequence of packages
 * and, inside each, the sequence of init functions with their files.
 * Line numbers and import lists are not compared, so editing a file
 * above an init function does not fail CI; moving one does.  A
 * difference is shown as a diff of those lines (longest common
 * subsequence), the way a reviewer wants to read it.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One compared line: a package, or an init function inside one. */
static void check_lines(const struct report *r, char ***lines, size_t *n)
{
	size_t cap = 0;
	*lines = NULL;
	*n = 0;
	for (size_t i = 0; i < r->npkgs; i++) {
		const struct report_pkg *p = &r->pkgs[i];
		VEC_PUSH(*lines, *n, cap, xasprintf("%s", p->path));
		for (size_t j = 0; j < p->ninits; j++)
			VEC_PUSH(*lines, *n, cap, xasprintf("    %s  (%s)",
				 p->inits[j].name, p->inits[j].file));
	}
}

/* Where the idx-th compared line is: in a lock, its place in the file;
 * in a computed order, an init function's definition, and a package's
 * first init function's (a package itself is nowhere).  {0} when there
 * is no such line or place. */
static struct loc check_line_at(const struct report *r, size_t idx)
{
	size_t k = 0;
	for (size_t i = 0; i < r->npkgs; i++) {
		const struct report_pkg *p = &r->pkgs[i];
		if (k++ == idx)
			return p->at.file || !p->ninits ? p->at : p->inits[0].at;
		for (size_t j = 0; j < p->ninits; j++)
			if (k++ == idx) return p->inits[j].at;
	}
	return (struct loc){0};
}

static void check_free_lines(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++) free(l[i]);
	free(l);
}

/* Print a diff of a (the lock) against b (the computed order).  Common
 * head and tail are trimmed first; the middle gets an LCS table unless it
 * is too large to be worth it, then it is shown as removed + added. */
static void check_diff(FILE *f, char **a, size_t na, char **b, size_t nb)
{
	size_t pre = 0, suf = 0;
	while (pre < na && pre < nb && !strcmp(a[pre], b[pre])) pre++;
	while (suf < na - pre && suf < nb - pre &&
	       !strcmp(a[na - 1 - suf], b[nb - 1 - suf]))
		suf++;
	/* Two lines of context, as diff -U2. */
	for (size_t i = pre > 2 ? pre - 2 : 0; i < pre; i++) fprintf(f, "  %s\n", a[i]);
	size_t n = na - pre - suf, m = nb - pre - suf;
	char **x = a + pre, **y = b + pre;
	if (n && m && (n + 1) * (m + 1) <= 16u << 20) {
		/* len[i][j] = LCS of x[i..] and y[j..] */
		unsigned *len = xcalloc((n + 1) * (m + 1), sizeof *len);
#define LEN(i, j) len[(i) * (m + 1) + (j)]
		for (size_t i = n; i-- > 0;)
			for (size_t j = m; j-- > 0;)
				LEN(i, j) = !strcmp(x[i], y[j]) ? LEN(i + 1, j + 1) + 1
					  : LEN(i + 1, j) > LEN(i, j + 1) ? LEN(i + 1, j)
					  : LEN(i, j + 1);
		size_t i = 0, j = 0;
		while (i < n || j < m) {
			if (i < n && j < m && !strcmp(x[i], y[j])) {
				fprintf(f, "  %s\n", x[i++]);
				j++;
			} else if (j < m && (i == n || LEN(i, j + 1) >= LEN(i + 1, j))) {
				fprintf(f, "+ %s\n", y[j++]);
			} else {
				fprintf(f, "- %s\n", x[i++]);
			}
		}
#undef LEN
		free(len);
	} else {
		for (size_t i = 0; i < n; i++) fprintf(f, "- %s\n", x[i]);
		for (size_t j = 0; j < m; j++) fprintf(f, "+ %s\n", y[j]);
	}
	for (size_t i = na - suf; i < na && i < na - suf + 2; i++)
		fprintf(f, "  %s\n", a[i]);
}

/* Rewrite the lock only when its bytes would change, so an unchanged
 * lock keeps its timestamp (Make rules depend on it). */
static int check_update(const char *lock, const struct graph *g,
			const struct plan *p)
{
	struct out o;
	int rc = out_open(&o, lock);
	if (rc) return rc;
	report_write(o.fp, g, p);
	o.keep_same = 1;
	rc = out_commit(&o);
	if (!rc)
		fprintf(stderr, "pkginit: %s %s (%zu packages)\n",
			o.kept ? "unchanged:" : "wrote", lock, g->npkgs);
	return rc;
}

/* Compare the computed order with the lock; print a diff when they
 * differ.  Returns 0 or EXIT_ORDER. */
static int check_compare(const char *lock, const struct report *want,
			 const struct graph *g, const struct plan *p)
{
	struct report got = {0};
	report_from_plan(&got, g, p);
	char **a, **b;
	size_t na, nb;
	check_lines(want, &a, &na);
	check_lines(&got, &b, &nb);
	int same = na == nb, rc = 0;
	for (size_t i = 0; same && i < na; i++) same = !strcmp(a[i], b[i]);
	if (!same) {
		diag_error((struct loc){lock, 0, 0},
			   "the init order differs from the lock file");
		/* The first line that differs, in the lock and in the
		 * sources, so an editor (or code scanning) shows both. */
		size_t first = 0;
		while (first < na && first < nb && !strcmp(a[first], b[first]))
			first++;
		struct loc wa = check_line_at(want, first), ga = check_line_at(&got, first);
		if (wa.file)
			diag_note(wa, "the lock file has %s'%s' here",
				  a[first][0] == ' ' ? "" : "package ",
				  a[first] + strspn(a[first], " "));
		if (ga.file)
			diag_note(ga, "the computed order has %s'%s' here",
				  b[first][0] == ' ' ? "" : "package ",
				  b[first] + strspn(b[first], " "));
		/* The diff is the output, unless a SARIF log is. */
		FILE *out = sarif_stdout_taken() ? stderr : stdout;
		fflush(stderr);
		fprintf(out, "--- %s (expected)\n+++ computed order\n", lock);
		check_diff(out, a, na, b, nb);
		fflush(out);
		diag_note((struct loc){0}, "if the new order is intended, rerun with "
			  "--update and commit %s", lock);
		rc = EXIT_ORDER;
	}
	check_free_lines(a, na);
	check_free_lines(b, nb);
	report_free(&got);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	const char *lock = NULL;
	int update = 0;
	struct inputs_opts io = {0};
	struct diag_output dout = {0};
	const struct option opts[] = {
		{OPT_STRING, NULL, "expect", &lock, "LOCK.yaml",
		 "the lock file: a report committed to the repository (default: "
		 "pkginit.yaml's 'lock')"},
		{OPT_FLAG, NULL, "update", &update, NULL,
		 "write the computed order to the lock file instead of comparing"},
		INPUTS_OPTIONS(io),
		SHLIB_REPORT_OPTION(io),
		DIAG_OUTPUT_OPTIONS(dout),
		{0},
	};
	const struct opt_cmd cmd = {
		"check",
		"(REC... | FILE.c... [-- CFLAGS...] | -p BUILD_DIR [FILE.c...])",
		"Compare the init order of the program with a lock file: the sequence\n"
		"of packages and of init functions (with their files), not line numbers.",
		opts,
		"The order mode is --order, else pkginit.yaml's, else the lock file's,\n"
		"else lex.\n"
		"Exit status: 0 same order (or lock updated), 1 the order differs\n"
		"(a diff is printed) or is wrong, 2 usage, 3 an input or the lock\n"
		"file cannot be read.",
	};
	struct opt_args args;
	struct report want = {0};
	struct scan_record *recs = NULL;
	size_t nrecs = 0;
	struct graph g = {0};
	struct plan plan = {0};
	int rc = opt_parse(&cmd, argc, argv, &args);
	if (rc) return rc == OPT_HELP ? 0 : rc;
	rc = sarif_begin("check", &dout, 0);
	if (!rc && !args.nfiles && !io.compdb_dir && !io.compdb_file)
		rc = diag_usage("check", "no input files (give scan records, .c files, "
				"or -p BUILD_DIR)");
	if (!rc) rc = inputs_config(&io);
	if (!rc && !lock) lock = io.config.lock;
	if (!rc && !lock)
		rc = diag_usage("check", "--expect LOCK.yaml is required (or 'lock:' "
				"in pkginit.yaml)");
	/* --update reads the old lock only for its order, when nothing else
	 * gives one (and then within report_read's limit): the new lock
	 * replaces it whatever it holds. */
	if (!rc && (!update || (!io.order && access(lock, F_OK) == 0))) {
		rc = report_read(lock, &want);
		if (rc && !update && access(lock, F_OK) != 0)
			diag_note((struct loc){0}, "to create the lock file, run "
				  "the same command with --update");
	}
	/* A lock's order is a choice report_read checked (want lives until
	 * the end). */
	if (!rc && !io.order && want.order) io.order = want.order;
	if (!rc) rc = inputs_load("check", &io, &args, &recs, &nrecs);
	const struct out_name names[] = {{"--expect", lock}};
	if (!rc && update) rc = inputs_check_outputs("check", &io, recs, nrecs, names, 1);
	/* ... and so is its deps. */
	if (!rc && !io.deps && want.deps) io.deps = want.deps;
	if (!rc) rc = inputs_plan(&io, recs, nrecs, 1, &g, &plan);
	if (!rc) rc = update ? check_update(lock, &g, &plan)
			     : check_compare(lock, &want, &g, &plan);
	rc = sarif_end(rc);
	plan_free(&plan);
	graph_free(&g);
	inputs_free(recs, nrecs);
	report_free(&want);
	free(args.files);
	inputs_done(&io);
	return rc;
}
