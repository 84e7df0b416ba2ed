/*
 * fuzz/config.c - the configuration reader (config.c: pkginit.yaml) and
 * the package mapping it drives: globs matched against file names, and
 * package templates filled from what the wildcards matched.
 *
 * The input is a pkginit.yaml, then optionally a NUL and NUL-separated
 * strings (a NUL cannot occur in YAML, so it cleanly ends the file).
 * With a configuration that loads, each string is a root-relative file
 * name given to config_package; the first two strings are also a glob
 * and a name for glob_match alone, whether the YAML loads or not.
 *
 * Properties, beyond "no crash, no leak, no undefined behaviour":
 *   - glob_match agrees with a reference matcher written here as
 *     dynamic programming over (glob position, name position), from the
 *     rules in config.c's comment; this is also what catches exponential
 *     backtracking, as a libFuzzer timeout;
 *   - config_package returns 0 exactly when an exclude glob matches the
 *     name or one of its directories; 1 with a valid package path when a
 *     rule matched (else the name's directory); -1 only with the rule's
 *     place and the invalid package.
 */
#include "tool.h"
#include "fuzz.h"

/* A glob as tokens: a byte, or one of these. */
enum { T_ANY1 = 256, T_STAR, T_STARSTAR, T_DIRS };

static int ref_match(const char *glob, const char *name)
{
	size_t nt = 0, len = strlen(name), glen = strlen(glob);
	int wild = 0;
	int *tok = xmalloc((glen + 1) * sizeof *tok);
	for (const char *p = glob; *p; p++) {
		if (*p == '?') tok[nt++] = T_ANY1;
		else if (*p != '*') tok[nt++] = (unsigned char)*p;
		else if (p[1] != '*') tok[nt++] = T_STAR, wild++;
		else if (p[2] == '/') tok[nt++] = T_DIRS, p += 2, wild++;
		else tok[nt++] = T_STARSTAR, p++, wild++;
	}
	if (wild > 9) {         /* config.c: at most 9 wildcards */
		free(tok);
		return 0;
	}
	/* m[t][j]: tokens t.. match name[j..]; after[j]: some k > j with
	 * name[k-1] == '/' has m[t+1][k] (for T_DIRS at t). */
	unsigned char *m = xcalloc((nt + 1) * (len + 1), 1);
	unsigned char *after = xcalloc(len + 2, 1);
#define M(t, j) m[(size_t)(t) * (len + 1) + (j)]
	M(nt, len) = 1;
	for (size_t t = nt; t-- > 0;) {
		after[len] = 0;
		for (size_t j = len + 1; j-- > 0;) {
			if (j < len)
				after[j] = (name[j] == '/' && M(t + 1, j + 1)) || after[j + 1];
			int c = j < len ? (unsigned char)name[j] : -1, r = 0;
			switch (tok[t]) {
			case T_ANY1: r = c >= 0 && c != '/' && M(t + 1, j + 1); break;
			case T_STAR: r = M(t + 1, j) || (c >= 0 && c != '/' && M(t, j + 1)); break;
			case T_STARSTAR: r = M(t + 1, j) || (c >= 0 && M(t, j + 1)); break;
			case T_DIRS: r = M(t + 1, j) || after[j]; break;
			default: r = c == tok[t] && M(t + 1, j + 1); break;
			}
			M(t, j) = (unsigned char)r;
		}
	}
	int r = M(0, 0);
#undef M
	free(m);
	free(after);
	free(tok);
	return r;
}

static void check_glob(const char *glob, const char *name)
{
	int got = glob_match(glob, name), want = ref_match(glob, name);
	FUZZ_CHECK(got == want, "glob_match(\"%s\", \"%s\") = %d, want %d",
		   glob, name, got, want);
}

static int excluded(const struct config *c, const char *name)
{
	int hit = 0;
	char *dir = xstrdup(name);
	for (size_t i = 0; i < c->nexclude && !hit; i++) {
		strcpy(dir, name);
		hit = ref_match(c->exclude[i], dir);
		for (char *s = strrchr(dir, '/'); s && !hit; s = strrchr(dir, '/')) {
			*s = 0;
			hit = ref_match(c->exclude[i], dir);
		}
	}
	free(dir);
	return hit;
}

static void check_package(const struct config *c, const char *name)
{
	char *pkg;
	struct loc at = {0};
	int rc = config_package(c, name, &pkg, &at);
	FUZZ_CHECK(rc >= -1 && rc <= 1, "config_package = %d", rc);
	FUZZ_CHECK((rc == 0) == excluded(c, name),
		   "config_package(\"%s\") = %d; excluded: %d", name, rc,
		   excluded(c, name));
	if (rc == 1) FUZZ_CHECK(pkg != NULL, "no package for '%s'", name);
	if (rc == -1)
		FUZZ_CHECK(pkg && path_package_problem(pkg) && at.line > 0,
			   "-1 without an invalid package and the rule's place");
	for (size_t i = 0; i < c->nrules; i++)
		for (size_t j = 0; j < c->rules[i].nglobs; j++)
			check_glob(c->rules[i].globs[j], name);
	for (size_t i = 0; i < c->nexclude; i++) check_glob(c->exclude[i], name);
	free(pkg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t ylen = nul ? (size_t)(nul - data) : size;
	/* The strings after the YAML, NUL-terminated (the last one too). */
	size_t slen = nul ? size - ylen - 1 : 0;
	char *strs = xmalloc(slen + 1);
	memcpy(strs, nul ? nul + 1 : data, slen);
	strs[slen] = '\0';
	const char *names[16];
	size_t n = 0;
	for (char *s = strs; n < 16 && s <= strs + slen; s += strlen(s) + 1)
		names[n++] = s;
	if (nul && n >= 2) check_glob(names[0], names[1]);

	struct config c;
	if (!config_load(&c, fuzz_path(data, ylen))) {
		for (size_t i = 0; nul && i < n; i++) check_package(&c, names[i]);
		config_free(&c);
	}
	free(strs);
	return 0;
}
