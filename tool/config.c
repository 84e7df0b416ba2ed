/*
 * config.c - pkginit.yaml: a project's roots, package mapping rules,
 * excluded paths, order mode and lock file, in one committed file.
 *
 * The file is read with yaml.c's tree and checkers, so every mistake is
 * one error at its file:line:col and an unknown key is an error (a
 * misspelt "exlude" must not silently exclude nothing).  Paths in it
 * (roots, lock) are relative to the file's directory, so the same file
 * works from wherever pkginit is run; they are turned into paths from the
 * current directory here, once.
 *
 * Mapping rules exist for codebases whose headers live apart from their
 * sources: include/net/x.h and src/net/x.c are one package, "net".  A
 * rule is a set of globs over root-relative file names and a package
 * template that may name what the wildcards matched ($1 is the first
 * wildcard's match).  The first rule with a matching glob decides; a file
 * that matches no rule is in its directory's package, as without a
 * configuration.  Excluded files belong to no package, like system
 * headers.  Rules apply when scanning (the scan record carries the mapped
 * package), which is why the cache key includes config_fingerprint.
 * The globs themselves (syntax, matching, captures) are glob.c's.
 */
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An exclude pattern excludes a file when it matches the file's name or
 * one of its directories: "third_party" excludes everything below it. */
static int config_excludes(const char *glob, const char *name)
{
	if (glob_match(glob, name)) return 1;
	char *dir = xstrdup(name);
	int hit = 0;
	for (char *s = strrchr(dir, '/'); s && !hit; s = strrchr(dir, '/')) {
		*s = 0;
		hit = glob_match(glob, dir);
	}
	free(dir);
	return hit;
}

/* The template with $N replaced by capture N of name. */
static char *config_expand(const char *tmpl, const char *name,
			   const struct glob_cap *caps)
{
	struct strbuf sb = {0};
	for (const char *t = tmpl; *t; t++) {
		if (*t == '$' && t[1] >= '1' && t[1] <= '9') {
			const struct glob_cap *c = &caps[t[1] - '1'];
			sb_putn(&sb, name + c->off, c->len);
			t++;
		} else {
			sb_putc(&sb, *t);
		}
	}
	return sb_detach(&sb);
}

int config_package(const struct config *c, const char *name, char **package,
		   struct loc *rule_at)
{
	*package = NULL;
	if (!c) {
		*package = path_dir(name);
		return 1;
	}
	for (size_t i = 0; i < c->nexclude; i++)
		if (config_excludes(c->exclude[i], name)) return 0;
	for (size_t i = 0; i < c->nrules; i++) {
		const struct config_rule *r = &c->rules[i];
		for (size_t j = 0; j < r->nglobs; j++) {
			struct glob_cap caps[GLOB_MAX_WILD + 1] = {{0, 0}};
			if (!glob_match_caps(r->globs[j], name, caps))
				continue;
			*package = config_expand(r->package, name, caps);
			if (path_package_problem(*package)) {
				if (rule_at) *rule_at = r->at;
				return -1;
			}
			return 1;
		}
	}
	*package = path_dir(name);
	return 1;
}

char *config_root_name(const char *abs, const char *const *absroots,
		       size_t nroots)
{
	char *name = NULL;
	size_t best = 0;
	for (size_t i = 0; i < nroots; i++) {
		size_t len = strlen(absroots[i]);
		if (name && len <= best) continue;
		char *n = path_under(abs, absroots[i]);
		if (!n) continue;
		free(name);
		name = n;
		best = len;
	}
	return name;
}

void config_fingerprint(const struct config *c, struct hash_ctx *h)
{
	hash_str(h, "config");
	if (!c) return;
	for (size_t i = 0; i < c->nrules; i++) {
		hash_str(h, "rule");
		for (size_t j = 0; j < c->rules[i].nglobs; j++)
			hash_str(h, c->rules[i].globs[j]);
		hash_str(h, "package");
		hash_str(h, c->rules[i].package);
	}
	for (size_t i = 0; i < c->nexclude; i++) {
		hash_str(h, "exclude");
		hash_str(h, c->exclude[i]);
	}
}

/* ---- reading ----------------------------------------------------------- */

/* A string or a list of strings, at least one, each a valid glob. */
static char **config_globs(struct yaml_doc *d, const struct yaml_value *v,
			   const char *what, size_t *n)
{
	*n = 0;
	if (!v || d->failed) return NULL;
	const struct yaml_value *one = v->kind == YAML_KIND_SEQ ? NULL : v;
	size_t count = one ? 1 : v->n;
	if (!count) {
		yaml_fail(d, v->at, "%s must name at least one glob", what);
		return NULL;
	}
	char **out = xcalloc(count, sizeof *out);
	for (size_t i = 0; i < count && !d->failed; i++) {
		const struct yaml_value *item = one ? one : &v->items[i];
		char *g = yaml_str(d, item, what);
		if (!g) break;
		out[(*n)++] = g;
		const char *why = glob_problem(g);
		if (why) yaml_fail(d, item->at, "glob '%s' in %s: %s", g, what, why);
	}
	return out;
}

/* A package template: $N must name a wildcard of every glob of the rule,
 * and the literal text must be a package path. */
static void config_check_template(struct yaml_doc *d,
				  const struct yaml_value *v,
				  const struct config_rule *r)
{
	if (d->failed) return;
	int wild = GLOB_MAX_WILD;
	for (size_t i = 0; i < r->nglobs; i++) {
		int w = glob_wildcards(r->globs[i]);
		if (w < wild) wild = w;
	}
	struct strbuf sk = {0};
	for (const char *t = r->package; *t; t++) {
		if (*t != '$') {
			sb_putc(&sk, *t);
			continue;
		}
		if (t[1] < '1' || t[1] > '9') {
			yaml_fail(d, v->at, "package '%s': '$' must be followed by "
				  "a wildcard number, $1 to $9", r->package);
			break;
		}
		if (t[1] - '0' > wild) {
			yaml_fail(d, v->at, "package '%s': $%c names no wildcard "
				  "(the rule's globs have %d)", r->package, t[1],
				  wild);
			break;
		}
		sb_putc(&sk, 'x');
		t++;
	}
	const char *why = d->failed ? NULL : path_package_problem(sk.buf ? sk.buf : "");
	if (why)
		yaml_fail(d, v->at, "package '%s' is not a package path: %s",
			  r->package, why);
	sb_free(&sk);
}

static void config_read_rules(struct yaml_doc *d, const struct yaml_value *seq,
			      struct config *c)
{
	static const char *const fields[] = {"files", "package", NULL};
	if (!seq || d->failed) return;
	c->rules = xcalloc(seq->n ? seq->n : 1, sizeof *c->rules);
	for (size_t i = 0; i < seq->n && !d->failed; i++) {
		const struct yaml_value *m =
			yaml_map(d, &seq->items[i], "each item of 'packages'");
		yaml_check_fields(d, m, fields);
		if (d->failed) break;
		struct config_rule *r = &c->rules[c->nrules++];
		/* The document's path dies with it; the config's does not. */
		r->at = (struct loc){c->path, m->at.line, m->at.col};
		r->globs = config_globs(d, yaml_get(d, m, "files"), "field 'files'",
					&r->nglobs);
		r->package = yaml_get_str(d, m, "package");
		if (r->package) config_check_template(d, yaml_map_get(m, "package"), r);
	}
}

static void config_read_roots(struct yaml_doc *d, const struct yaml_value *seq,
			      const char *dir, struct config *c)
{
	if (!seq || d->failed) return;
	if (!seq->n) {
		yaml_fail(d, seq->at, "field 'roots' must name at least one directory");
		return;
	}
	c->roots = xcalloc(seq->n, sizeof *c->roots);
	for (size_t i = 0; i < seq->n && !d->failed; i++) {
		char *r = yaml_str(d, &seq->items[i], "each item of 'roots'");
		if (!r) break;
		char *joined = path_join(dir, r);
		struct stat st;
		const char *why = stat(joined, &st) ? strerror(errno)
				  : !S_ISDIR(st.st_mode) ? "not a directory" : NULL;
		if (why)
			yaml_fail(d, seq->items[i].at, "root '%s': %s", r, why);
		c->roots[c->nroots++] = path_display(joined);
		free(joined);
		free(r);
	}
}

int config_load(struct config *c, const char *path)
{
	static const char *const kinds[] = {"config", NULL};
	static const char *const fields[] = {"pkginit", "kind", "roots",
					     "packages", "exclude", "order", "deps",
					     "lock", NULL};
	*c = (struct config){0};
	struct yaml_doc d;
	int rc = yaml_load_max(&d, path, FILE_MAX_CONFIG, "pkginit.yaml");
	if (rc) return rc;
	c->path = xstrdup(path);
	char *dir = path_dir(path);
	yaml_check_header(&d, kinds);
	yaml_check_fields(&d, d.root, fields);
	const struct yaml_value *root = d.root, *v;

	if ((v = yaml_map_get(root, "roots")))
		config_read_roots(&d, yaml_seq(&d, v, "field 'roots'"), dir, c);
	if ((v = yaml_map_get(root, "packages")))
		config_read_rules(&d, yaml_seq(&d, v, "field 'packages'"), c);
	if ((v = yaml_map_get(root, "exclude")))
		c->exclude = config_globs(&d, v, "field 'exclude'", &c->nexclude);
	if ((v = yaml_map_get(root, "order")))
		c->order = yaml_choice(&d, v, "field 'order'", order_mode_names);
	if ((v = yaml_map_get(root, "deps")))
		c->deps = yaml_choice(&d, v, "field 'deps'", deps_mode_names);
	if ((v = yaml_map_get(root, "lock"))) {
		char *lock = yaml_str(&d, v, "field 'lock'");
		if (lock) {
			char *j = path_join(dir, lock);
			c->lock = path_display(j);
			free(j);
		}
		free(lock);
	}
	rc = d.failed ? EXIT_INPUT : 0;
	yaml_doc_free(&d);
	free(dir);
	if (rc) config_free(c);
	return rc;
}

int config_find(struct config *c, const char *given)
{
	*c = (struct config){0};
	if (given) return config_load(c, given);
	if (access(CONFIG_FILE, F_OK) != 0) return 0;
	return config_load(c, CONFIG_FILE);
}

static void config_free_strs(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++) free(s[i]);
	free(s);
}

void config_free(struct config *c)
{
	free(c->path);
	config_free_strs(c->roots, c->nroots);
	for (size_t i = 0; i < c->nrules; i++) {
		config_free_strs(c->rules[i].globs, c->rules[i].nglobs);
		free(c->rules[i].package);
	}
	free(c->rules);
	config_free_strs(c->exclude, c->nexclude);
	free(c->lock);
	*c = (struct config){0};
}
