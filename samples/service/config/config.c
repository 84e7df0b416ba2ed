#include <pkginit.h>
#include <pkgrt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/config.h"
#include "util/strutil.h"

#define CONFIG_MAX 64

static struct { char key[64], value[192]; } entries[CONFIG_MAX];
static int nentries;
static const char *path;

/* A configuration error is fatal, as a panic in a Go init would be. */
static void config_fail(int line, const char *what, const char *text)
{
	fprintf(stderr, "config: %s:%d: %s: '%s'\n", path, line, what, text);
	exit(1);
}

void config_set(const char *key, const char *value)
{
	for (int i = 0; i < nentries; i++)
		if (!strcmp(entries[i].key, key)) return;   /* the file wins */
	if (nentries == CONFIG_MAX) {
		fprintf(stderr, "config: more than %d settings\n", CONFIG_MAX);
		exit(1);
	}
	snprintf(entries[nentries].key, sizeof entries[0].key, "%s", key);
	snprintf(entries[nentries].value, sizeof entries[0].value, "%s", value);
	nentries++;
}

/* Parse "key = value" lines; '#' starts a comment. */
PKG_INIT void config_init(void)
{
	if (pkgrt_argc() < 2) {
		fprintf(stderr, "usage: %s CONFIG-FILE [REQUEST...]\n", pkgrt_argv()[0]);
		exit(2);
	}
	path = pkgrt_argv()[1];
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "config: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	char buf[256];
	for (int line = 1; fgets(buf, sizeof buf, f); line++) {
		char *hash = strchr(buf, '#');
		if (hash) *hash = 0;
		char *text = util_trim(buf);
		if (!*text) continue;
		char *eq = strchr(text, '=');
		if (!eq) config_fail(line, "expected 'key = value'", text);
		*eq = 0;
		char *key = util_trim(text), *value = util_trim(eq + 1);
		if (!*key) config_fail(line, "empty key before '='", value);
		config_set(key, value);
	}
	fclose(f);
}

const char *config_get(const char *key)
{
	for (int i = 0; i < nentries; i++)
		if (!strcmp(entries[i].key, key)) return entries[i].value;
	return NULL;
}

long config_get_int(const char *key, long min, long max)
{
	const char *v = config_get(key);
	char *end;
	errno = 0;
	long n = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || n < min || n > max) {
		fprintf(stderr, "config: %s: '%s' must be a number from %ld to %ld\n",
			key, v ? v : "", min, max);
		exit(1);
	}
	return n;
}

const char *config_path(void) { return path; }
