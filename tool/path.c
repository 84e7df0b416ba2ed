/*
 * path.c - lexical path arithmetic.  Nothing here touches the file
 * system except path_display, which asks for the current directory once.
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
