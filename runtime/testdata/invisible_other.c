/*
 * invisible_other.c - a program that calls its own main, from another
 * file (where the link's --wrap=main turns the call into one to
 * __wrap_main): with the runtime it must be the program's main again,
 * not a second start-up.  Part of invisible.c's program.
 */
#include <stdio.h>

int main(int argc, char **argv, char **envp);

int
call_main(int argc, char **argv)
{
	static char *args[8];
	int i;

	for (i = 0; i < argc && i < 5; i++)
		args[i] = argv[i];
	args[i++] = "again";
	args[i] = NULL;
	fflush(stdout);
	return main(i, args, NULL);
}
