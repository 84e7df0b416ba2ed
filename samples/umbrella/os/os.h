/* os/os.h - what start-up learns about the machine. */
#ifndef OS_OS_H
#define OS_OS_H

#include <stddef.h>

#include "util/all.h"

extern size_t pagesize;                 /* 0 until os_init */
extern size_t cacheline;                /* 0 until os_init */
extern long long os_boot_time;

void os_init(void);

/* n rounded up to whole pages. */
static inline size_t os_page_round(size_t n)
{
	if (pagesize == 0) die("os_page_round: pagesize read before os_init set it");
	return (n + pagesize - 1) / pagesize * pagesize;
}

#endif
