/*
 * fuzz/report.c - the report and lock-file reader (report.c over yaml.c):
 * `pkginit check --expect LOCK` reads a file people edit by hand and git
 * merges, so any bytes at all must end in the report or in one error.
 *
 * Property beyond "no crash, no leak, no undefined behaviour": what the
 * reader accepts is what report.c promises a caller: distinct package
 * paths, imports and main that name listed packages, an order that is
 * "lex" or "import", and every string present.
 */
#include "tool.h"
#include "fuzz.h"

static int listed(const struct report *r, const char *path)
{
	for (size_t i = 0; i < r->npkgs; i++)
		if (!strcmp(r->pkgs[i].path, path)) return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report r;
	const char *path = fuzz_path(data, size);
	if (report_read(path, &r)) return 0;
	enum order_mode m;
	FUZZ_CHECK(r.order && order_mode_parse(r.order, &m) == 0, "order '%s'",
		   r.order ? r.order : "(null)");
	FUZZ_CHECK(!r.main || listed(&r, r.main), "main '%s' not listed", r.main);
	for (size_t i = 0; i < r.npkgs; i++) {
		const struct report_pkg *p = &r.pkgs[i];
		FUZZ_CHECK(p->path != NULL, "package %zu has no path", i);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(p->path, r.pkgs[j].path), "'%s' twice",
				   p->path);
		for (size_t j = 0; j < p->nimports; j++)
			FUZZ_CHECK(p->imports[j] && listed(&r, p->imports[j]),
				   "import '%s' not listed", p->imports[j]);
		for (size_t j = 0; j < p->ninits; j++)
			FUZZ_CHECK(p->inits[j].name && p->inits[j].file &&
				   p->inits[j].line > 0, "init %zu of '%s'", j,
				   p->path);
	}
	report_free(&r);
	return 0;
}
