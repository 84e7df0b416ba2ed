#include <pkginit.h>
#include <stdio.h>
#include "http/http.h"
#include "metrics/metrics.h"

static void health(const char *arg, const char *user, char *out, unsigned long size)
{
	(void)arg, (void)user;
	snprintf(out, size, "ok");
}

static void metrics(const char *arg, const char *user, char *out, unsigned long size)
{
	(void)arg, (void)user;
	metrics_write(out, size);
}

/* http/http.c sorts before http/routes.c: the counters exist by now. */
PKG_INIT void http_routes_init(void)
{
	http_route("/health", 0, health);
	http_route("/metrics", 0, metrics);
}
