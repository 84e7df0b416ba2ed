/*
 * path.c - path arithmetic.  Everything here is lexical except
 * path_display, which asks for the current directory once, and
 * path_real, which asks the kernel what a path really is.
 */
#include "tool.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *path_normalize(const char *p)
{
	int abs = p[0] == '/';
	size_t n = strlen(p);
	/* Components, kept as offsets into a copy. */
	char *copy = xstrndup(p, n);
	char **parts = xmalloc((n / 2 + 2) * sizeof *parts);
	size_t np = 0;
	char *save = NULL;
	/* strtok_r: scanning threads normalize paths at the same time. */
	for (char *s = strtok_r(copy, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (!strcmp(s, ".")) continue;
		if (!strcmp(s, "..")) {
			if (np && strcmp(parts[np - 1], "..")) { np--; continue; }
			if (abs) continue;      /* "/.." is "/" */
		}
		parts[np++] = s;
	}
	struct strbuf sb = {0};
	if (abs) sb_putc(&sb, '/');
	for (size_t i = 0; i < np; i++) {
		if (i) sb_putc(&sb, '/');
		sb_puts(&sb, parts[i]);
	}
	if (!sb.len) sb_putc(&sb, '.');
	free(parts);
	free(copy);
	return sb_detach(&sb);
}

char *path_join(const char *dir, const char *file)
{
	if (file[0] == '/' || !dir || !dir[0]) return path_normalize(file);
	char *j = xasprintf("%s/%s", dir, file);
	char *n = path_normalize(j);
	free(j);
	return n;
}

static char *cwd;
static pthread_once_t cwd_once = PTHREAD_ONCE_INIT;

static void cwd_init(void)
{
	char buf[PATH_MAX];
	cwd = getcwd(buf, sizeof buf) ? path_normalize(buf) : xstrdup("/");
}

char *path_display(const char *p)
{
	char *n = path_normalize(p);
	if (n[0] != '/') return n;
	pthread_once(&cwd_once, cwd_init);
	char *rel = path_under(n, cwd);
	if (!rel) return n;
	free(n);
	return rel;
}

char *path_under(const char *p, const char *root)
{
	if (!strcmp(root, ".")) {
		if (p[0] == '/' || !strcmp(p, "..") || !strncmp(p, "../", 3))
			return NULL;
		return xstrdup(p);
	}
	size_t n = strlen(root);
	if (!strcmp(root, "/")) return p[0] == '/' ? xstrdup(p[1] ? p + 1 : ".") : NULL;
	if (strncmp(p, root, n)) return NULL;
	if (p[n] == 0) return xstrdup(".");
	if (p[n] != '/') return NULL;
	return xstrdup(p + n + 1);
}

char *path_dir(const char *p)
{
	const char *slash = strrchr(p, '/');
	if (!slash) return xstrdup(".");
	if (slash == p) return xstrdup("/");
	return xstrndup(p, (size_t)(slash - p));
}

/* The current directory, absolute and normalized (the kernel's: getcwd
 * never returns a symbolic link). */
static const char *path_cwd(void)
{
	pthread_once(&cwd_once, cwd_init);
	return cwd;
}

char *path_real(const char *p)
{
	/* The kernel first, on the path as given: ".." after a link is the
	 * link's parent, which lexical normalization would get wrong. */
	char *r = realpath(p, NULL);
	if (r) {
		char *n = path_normalize(r);
		free(r);
		return n;
	}
	char *abs = path_join(p[0] == '/' ? "/" : path_cwd(), p);
	/* Longer than the kernel resolves: nothing to ask. */
	if (strlen(abs) >= PATH_MAX) return abs;
	/* The longest prefix that exists, resolved, then the rest as is
	 * (a file not created yet, or a directory we may not search). */
	size_t cut = strlen(abs);
	char *res = NULL;
	while (!res) {
		char *prefix = cut ? xstrndup(abs, cut) : xstrdup("/");
		char *r = realpath(prefix, NULL);
		free(prefix);
		if (r) {
			res = xasprintf("%s%s", r, abs + cut);
			free(r);
		} else if (!cut) {
			res = xstrdup(abs);
		} else {
			/* Back to the slash before the last component. */
			for (cut--; cut && abs[cut] != '/'; cut--) {}
		}
	}
	free(abs);
	char *n = path_normalize(res);
	free(res);
	return n;
}

/* ---- package paths ------------------------------------------------------- */

/* Is s well-formed UTF-8 (no overlong forms, surrogates or code points
 * beyond U+10FFFF)?  Reports and lock files are YAML, which carries only
 * that. */
static int path_utf8_valid(const unsigned char *s)
{
	unsigned long cp;
	for (size_t n; *s; s += n)
		if (!(n = utf8_decode(s, &cp))) return 0;
	return 1;
}

/* Why a package path is not clean, or NULL.  A package is a directory,
 * and a directory's name may hold any byte but '/' and NUL: quotes,
 * backslashes and UTF-8 are fine (the table escapes them); control
 * characters are not, nor bytes that are not UTF-8, which YAML cannot
 * carry. */
const char *path_package_problem(const char *p)
{
	if (!*p) return "it is empty";
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return "it contains a control character";
	if (!path_utf8_valid((const unsigned char *)p))
		return "it is not valid UTF-8";
	size_t n = strlen(p);
	if (p[0] == '/' || p[n - 1] == '/')
		return "it starts or ends with '/'";
	if (strstr(p, "//")) return "it has an empty component ('//')";
	for (const char *s = p; *s;) {
		size_t len = strcspn(s, "/");
		if ((len == 1 && s[0] == '.') ||
		    (len == 2 && s[0] == '.' && s[1] == '.'))
			return "it has a '.' or '..' component";
		s += len;
		if (*s) s++;
	}
	return NULL;
}
