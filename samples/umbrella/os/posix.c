/* os/posix.c - the machine, as POSIX describes it.  os_init needs the
 * clock (core), and core's allocator and checksums need what it finds:
 * core -> os -> core. */
#include "util/all.h"
#include "core/core.h"             /* time_now */

#include <pkginit.h>
#include <stdio.h>
#include <unistd.h>

size_t pagesize;
size_t cacheline;
long long os_boot_time;

/* Ask the system.  (net/net.c has a static probe() of its own.) */
static void probe(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	long cl = -1;
#ifdef _SC_LEVEL1_DCACHE_LINESIZE
	cl = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
#endif
	pagesize = ps > 0 ? (size_t)ps : 4096;
	cacheline = cl > 0 ? (size_t)cl : 64;
}

PKG_INIT void os_init(void)
{
	os_boot_time = time_now();
	probe();
	log_set_level(MOD_OS, LOG_WARN);
	puts("os_init: read cached_time, set pagesize and cacheline");
}
