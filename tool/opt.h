/*
 * opt.h - the one option parser every subcommand uses (opt.c): option
 * tables, choices, generated usage lines and --help.  What the options
 * fill is inputs.h's (inputs) and cmd.h's (outputs, subcommands).
 */
#ifndef PKGINIT_OPT_H
#define PKGINIT_OPT_H

#include "tool.h"

enum opt_type {
	OPT_END = 0,
	OPT_FLAG,       /* int, set to 1 */
	OPT_STRING,     /* const char *, last one wins */
	OPT_LIST,       /* struct opt_list, repeatable */
	OPT_UINT,       /* unsigned, 1..4096 */
	OPT_CHOICE,     /* struct opt_choice: one of its choices (the
			   table's own string is stored), last one wins */
};

/* What an OPT_CHOICE option's value points at. */
struct opt_choice {
	const char **value;
	const char *const *choices;     /* NULL-terminated */
};
#define OPT_CHOICE_OF(var, names) (&(struct opt_choice){&(var), (names)})

struct opt_list {
	const char **items;
	size_t n, cap;
};

struct option {
	enum opt_type type;
	const char *sname;      /* after one dash: "o", "j", "MF"; or NULL */
	const char *lname;      /* after two dashes: "root"; or NULL */
	void *value;
	const char *argname;    /* for --help: "DIR" (OPT_CHOICE: NULL,
				   the choices are shown as "a|b") */
	const char *help;
};

struct opt_cmd {
	const char *name;       /* "scan" */
	const char *operands;   /* the usage line after the options, e.g.
				   "FILE.c [-- CFLAGS...]"; the options part
				   is generated from opts */
	const char *what;       /* a sentence */
	const struct option *opts;      /* ends with {0} */
	const char *more;       /* extra --help text, or NULL */
};

struct opt_args {
	char **files;           /* operands, in order */
	size_t nfiles, capfiles;
	const char *const *cflags;      /* after "--" */
	size_t ncflags;
};

#define OPT_HELP (-1)   /* --help was printed: exit 0 */

/* Parse argv[1..argc) (argv[0] is the subcommand name).  Returns 0,
 * OPT_HELP, or EXIT_USAGE after printing the error. */
int opt_parse(const struct opt_cmd *cmd, int argc, char **argv,
	      struct opt_args *args);
void opt_help(const struct opt_cmd *cmd, FILE *f);
/* The usage line, generated from the option table: "pkginit NAME [-o
 * REC] [--root DIR]... OPERANDS", wrapped at 80 columns. */
void opt_usage(const struct opt_cmd *cmd, FILE *f);

#endif /* PKGINIT_OPT_H */
