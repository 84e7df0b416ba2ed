/*
 * main.c - the pkginit command: dispatch to one subcommand.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} commands[] = {
	{"scan", cmd_scan, "parse one translation unit, write its scan record"},
	{"link", cmd_link, "order scan records, write the init table and report"},
	{"gen", cmd_gen, "scan and link in one process"},
	{"check", cmd_check, "compare the init order with a lock file"},
	{"graph", cmd_graph, "show the import graph and its cycles"},
	{"why", cmd_why, "every reason one package or init function depends on another"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: pkginit <command> [options] [files]\n\n"
		   "Go-style package initialization for C.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-6s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\n'pkginit <command> --help' describes a command; "
		   "'man pkginit' describes them all.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("pkginit %s (record and report format %d)\n",
		       PKGINIT_VERSION, PKGINIT_FORMAT);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return diag_usage(NULL, "unknown command '%s'", cmd);
}
