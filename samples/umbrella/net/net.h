/* net/net.h - a toy packet layer over core's memory and checksums. */
#ifndef NET_NET_H
#define NET_NET_H

#include <stddef.h>
#include <stdint.h>

#include "util/all.h"

struct packet {
	size_t len;
	uint32_t crc;
	unsigned char data[64];
};

struct packet *net_packet(const char *payload);
int net_init(void);

#endif
