/* main.c - the program: prints what its packages set up. */
#include <stdio.h>
#include "util/util.h"

int main(void)
{
	printf("calc: base = %d\n", util_base());
	return 0;
}
