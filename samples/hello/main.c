#include <pkginit.h>
#include <stdio.h>
#include "a/a.h"                /* main imports a */

PKG_INIT void main_init(void) { puts("init main"); }

int main(void)
{
	printf("main: %s\n", a_message());
	return 0;
}
