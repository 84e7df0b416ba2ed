#include <stdio.h>
#include "config/config.h"

int main(void)
{
	printf("answer = %d\n", config_get("answer"));
	return config_get("answer") == 42 ? 0 : 1;
}
