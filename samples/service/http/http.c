#include <pkginit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/auth.h"
#include "http/http.h"
#include "log/log.h"
#include "metrics/metrics.h"

#define HTTP_MAX_ROUTES 16

static struct route { const char *prefix; int needs_user; http_handler *h; } routes[HTTP_MAX_ROUTES];
static int nroutes;
static long *requests, *not_found, *unauthorized;

PKG_INIT void http_init(void)
{
	requests = metrics_counter("http.requests");
	not_found = metrics_counter("http.404");
	unauthorized = metrics_counter("http.401");
}

void http_route(const char *prefix, int needs_user, http_handler *h)
{
	if (nroutes == HTTP_MAX_ROUTES) {
		log_printf(LOG_ERROR, "http", "too many routes");
		exit(1);
	}
	routes[nroutes++] = (struct route){prefix, needs_user, h};
	log_printf(LOG_DEBUG, "http", "route %s", prefix);
}

int http_handle(const char *request, const char *token, char *out,
		unsigned long size)
{
	char path[128];
	++*requests;
	if (sscanf(request, "GET %127s", path) != 1) {
		snprintf(out, size, "bad request");
		return 400;
	}
	for (int i = 0; i < nroutes; i++) {
		size_t n = strlen(routes[i].prefix);
		if (strncmp(path, routes[i].prefix, n)) continue;
		const char *user = token[0] ? auth_user(token) : NULL;
		if (routes[i].needs_user && !user) {
			++*unauthorized;
			snprintf(out, size, "login first");
			return 401;
		}
		routes[i].h(path + n, user, out, size);
		return 200;
	}
	++*not_found;
	snprintf(out, size, "no route for %s", path);
	return 404;
}
