/*
 * opt.c - the one option parser every subcommand uses (git's
 * parse-options idea: each command declares a table, the parser does the
 * rest, and --help is generated from the same table so it cannot drift).
 *
 * Accepted forms: --name VALUE, --name=VALUE, -x VALUE, -xVALUE, gcc-style
 * multi-letter single-dash options (-MD, -MF DEP, -MFDEP), and "--",
 * after which every argument is a compiler flag.
 */
#include "opt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int opt_takes_value(const struct option *o)
{
	return o->type != OPT_FLAG;
}

static int opt_store(const struct opt_cmd *cmd, const struct option *o,
		     const char *shown, const char *val)
{
	switch (o->type) {
	case OPT_END:
		break;
	case OPT_FLAG:
		*(int *)o->value = 1;
		return 0;
	case OPT_STRING:
		*(const char **)o->value = val;
		return 0;
	case OPT_LIST: {
		struct opt_list *l = o->value;
		VEC_PUSH(l->items, l->n, l->cap, val);
		return 0;
	}
	case OPT_CHOICE: {
		const struct opt_choice *c = o->value;
		int i = opt_choice(c->choices, val);
		if (i < 0) {
			char *msg = opt_choice_problem(shown, c->choices, val);
			int rc = diag_usage(cmd->name, "%s", msg);
			free(msg);
			return rc;
		}
		*c->value = c->choices[i];
		return 0;
	}
	case OPT_UINT: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(val, &end, 10);
		if (!*val || *end || errno || v == 0 || v > 4096 || val[0] == '-')
			return diag_usage(cmd->name,
				"option '%s' needs a whole number from 1 to 4096, not '%s'",
				shown, val);
		*(unsigned *)o->value = (unsigned)v;
		return 0;
	}
	}
	return 0;
}

static const struct option *opt_find_long(const struct option *opts,
					  const char *name, size_t len)
{
	for (const struct option *o = opts; o->type != OPT_END; o++)
		if (o->lname && strlen(o->lname) == len && !strncmp(o->lname, name, len))
			return o;
	return NULL;
}

/* The single-dash option that arg starts with; an exact match wins, then
 * the longest short name that takes a value (so -MFdep is -MF dep). */
static const struct option *opt_find_short(const struct option *opts,
					   const char *arg)
{
	const struct option *best = NULL;
	for (const struct option *o = opts; o->type != OPT_END; o++) {
		if (!o->sname) continue;
		size_t n = strlen(o->sname);
		if (strncmp(o->sname, arg, n)) continue;
		if (!arg[n]) return o;
		if (opt_takes_value(o) && (!best || strlen(best->sname) < n))
			best = o;
	}
	return best;
}

static int opt_parse1(const struct opt_cmd *cmd, int argc, char **argv,
		      struct opt_args *args)
{
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--")) {
			args->cflags = (const char *const *)argv + i + 1;
			args->ncflags = (size_t)(argc - i - 1);
			break;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			opt_help(cmd, stdout);
			return OPT_HELP;
		}
		if (a[0] != '-' || !a[1]) {
			VEC_PUSH(args->files, args->nfiles, args->capfiles, a);
			continue;
		}
		const struct option *o;
		const char *val = NULL;
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			o = opt_find_long(cmd->opts, name, len);
			if (!o)
				return diag_usage(cmd->name, "unknown option '%.*s'",
						  (int)len + 2, a);
			if (eq) {
				if (!opt_takes_value(o))
					return diag_usage(cmd->name,
						"option '--%s' takes no value", o->lname);
				val = eq + 1;
			}
		} else {
			o = opt_find_short(cmd->opts, a + 1);
			if (!o) return diag_usage(cmd->name, "unknown option '%s'", a);
			if (a[1 + strlen(o->sname)]) val = a + 1 + strlen(o->sname);
		}
		/* Messages name the option as it is spelled, without a value
		 * glued to it: "-j", not "-jx". */
		char shown[64];
		snprintf(shown, sizeof shown, a[1] == '-' ? "--%s" : "-%s",
			 a[1] == '-' ? o->lname : o->sname);
		if (opt_takes_value(o) && !val) {
			if (i + 1 >= argc)
				return diag_usage(cmd->name, "option '%s' needs a value (%s)",
						  shown, o->argname ? o->argname : "VALUE");
			val = argv[++i];
		}
		int rc = opt_store(cmd, o, shown, val);
		if (rc) return rc;
	}
	return 0;
}

/* A command returns at once when parsing fails or --help is given: what
 * parsing collected so far (files, repeated options) is freed here, so
 * that no caller needs a cleanup path for it. */
int opt_parse(const struct opt_cmd *cmd, int argc, char **argv,
	      struct opt_args *args)
{
	*args = (struct opt_args){0};
	int rc = opt_parse1(cmd, argc, argv, args);
	if (!rc) return 0;
	free(args->files);
	*args = (struct opt_args){0};
	for (const struct option *o = cmd->opts; o->type != OPT_END; o++)
		if (o->type == OPT_LIST) {
			struct opt_list *l = o->value;
			free(l->items);
			*l = (struct opt_list){0};
		}
	return rc;
}

int opt_choice(const char *const *choices, const char *s)
{
	for (int i = 0; s && choices[i]; i++)
		if (!strcmp(choices[i], s)) return i;
	return -1;
}

char *opt_choices_text(const char *const *choices)
{
	struct strbuf sb = {0};
	for (size_t i = 0; choices[i]; i++)
		sb_printf(&sb, "%s'%s'", !i ? "" : choices[i + 1] ? ", " : " or ",
			  choices[i]);
	return sb_detach(&sb);
}

char *opt_choice_problem(const char *what, const char *const *choices,
			 const char *value)
{
	char *list = opt_choices_text(choices);
	char *msg = xasprintf("%s must be %s, not '%s'", what, list, value);
	free(list);
	return msg;
}

/* "--order lex|import", "-o REC", "--no-cache": an option as the usage
 * line and --help show it. */
static void opt_spell(const struct option *o, int both, char *buf, size_t size)
{
	int n = 0;
	if (o->sname) n += snprintf(buf + n, size - (size_t)n, "-%s", o->sname);
	if (o->sname && o->lname && both)
		n += snprintf(buf + n, size - (size_t)n, ", ");
	if (o->lname && (both || !o->sname))
		n += snprintf(buf + n, size - (size_t)n, "--%s", o->lname);
	if (o->type == OPT_CHOICE) {
		const char *const *ch = ((const struct opt_choice *)o->value)->choices;
		for (size_t i = 0; ch[i]; i++)
			n += snprintf(buf + n, size - (size_t)n, "%s%s",
				      i ? "|" : " ", ch[i]);
	} else if (opt_takes_value(o)) {
		snprintf(buf + n, size - (size_t)n, " %s",
			 o->argname ? o->argname : "VALUE");
	}
}

void opt_usage(const struct opt_cmd *cmd, FILE *f)
{
	char lead[64], word[128];
	int indent = snprintf(lead, sizeof lead, "pkginit %s", cmd->name);
	fputs(lead, f);
	int col = indent;
	for (const struct option *o = cmd->opts; ; o++) {
		const char *w = word;
		if (o->type == OPT_END) {
			w = cmd->operands;
		} else {
			char spelled[100];
			opt_spell(o, 0, spelled, sizeof spelled);
			snprintf(word, sizeof word, "[%s]%s", spelled,
				 o->type == OPT_LIST ? "..." : "");
		}
		int n = (int)strlen(w);
		if (col + 1 + n > 80 && col > indent) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		}
		fprintf(f, " %s", w);
		col += 1 + n;
		if (o->type == OPT_END) break;
	}
	fputc('\n', f);
}

void opt_help(const struct opt_cmd *cmd, FILE *f)
{
	fputs("usage: ", f);
	opt_usage(cmd, f);
	fprintf(f, "\n%s\n\noptions:\n", cmd->what);
	for (const struct option *o = cmd->opts; o->type != OPT_END; o++) {
		char buf[100];
		opt_spell(o, 1, buf, sizeof buf);
		fprintf(f, "  %-24s %s\n", buf, o->help);
	}
	fprintf(f, "  %-24s %s\n", "-h, --help", "show this help");
	if (cmd->more) fprintf(f, "\n%s\n", cmd->more);
}
