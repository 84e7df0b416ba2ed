/* net/net.c - packets, allocated from core's slab, checksummed with
 * core's crc32.  net_init can fail: it returns non-zero. */
#include "util/all.h"
#include "core/core.h"             /* slab_alloc, crc32 */

#include <pkginit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct packet *loopback;

/* Only on error paths: report with the subsystem's level (the logger
 * takes the entry's address; it only reads it). */
static int net_fail(const char *why)
{
	fflush(stdout);
	log_fmt("net: %s (level %pL)\n", why, &err_levels[MOD_NET]);
	return -1;
}

/* The same name as os/posix.c's probe(), another function: this one
 * checks a packet, that one asks the system. */
static int probe(const struct packet *p)
{
	return crc32(p->data, p->len) == p->crc;
}

struct packet *net_packet(const char *payload)
{
	struct packet *p = slab_alloc(sizeof *p);
	if (p == NULL) return NULL;
	p->len = strlen(payload) < sizeof p->data ? strlen(payload) : sizeof p->data;
	memcpy(p->data, payload, p->len);
	p->crc = crc32(p->data, p->len);
	return p;
}

PKG_INIT int net_init(void)
{
	if (getenv("UMBRELLA_NET_DOWN") != NULL) return net_fail("UMBRELLA_NET_DOWN is set");
	loopback = net_packet("loopback");
	if (loopback == NULL) return net_fail("no memory for the loopback packet");
	if (!probe(loopback)) return net_fail("the loopback packet does not check");
	puts("net_init: read the slab and the crc table");
	return 0;
}
