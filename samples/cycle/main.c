#include <stdio.h>
#include "ping/ping.h"

int main(void)
{
	printf("%d\n", ping(3));
	return 0;
}
