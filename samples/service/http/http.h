#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

/* A toy request router: "GET /path" -> a handler's answer.  token is the
 * session token from an earlier /login, or "" for none. */
typedef void http_handler(const char *arg, const char *user, char *out,
			  unsigned long size);

void http_route(const char *prefix, int needs_user, http_handler *h);
/* Handle one request; returns a status code (200, 401, 404). */
int http_handle(const char *request, const char *token, char *out,
		unsigned long size);

#endif
