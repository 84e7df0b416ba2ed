/* main.c - the program's main package. */
#include "app/app.h"

int main(void)
{
	app_run();
	return 0;
}
