/* core/main.c - the program, in the library's own directory (a common
 * layout: core/main.c beside core/crc32.c, which other directories
 * include).  By the time main runs, every subsystem is ready. */
#include "util/all.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	const char *msg = argc > 1 ? argv[1] : "hello";
	struct packet *p = net_packet(msg);
	if (p == NULL) die("main: no packet");
	printf("main: packet \"%s\" crc32 %08x, %zu bytes of slab, page %zu, line %zu\n",
	       msg, (unsigned)p->crc, slab_used(), pagesize, cacheline);
	return 0;
}
