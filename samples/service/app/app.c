/* app: the service's own routes.  Nothing calls into app: it registers
 * its handlers with http from its init function, and main imports it
 * with PKG_IMPORT("app") for that side effect alone (Go's `import _`). */
#include <pkginit.h>
#include <stdio.h>
#include <string.h>
#include "auth/auth.h"
#include "cache/cache.h"
#include "http/http.h"
#include "log/log.h"

static void login(const char *arg, const char *user, char *out, unsigned long size)
{
	(void)user;
	char name[32], password[64];
	if (sscanf(arg, "/%31[^/]/%63s", name, password) != 2) {
		snprintf(out, size, "use /login/NAME/PASSWORD");
		return;
	}
	const char *token = auth_login(name, password);
	snprintf(out, size, "%s", token ? token : "wrong name or password");
}

static void get(const char *arg, const char *user, char *out, unsigned long size)
{
	const char *value = cache_get(arg + (*arg == '/'));
	snprintf(out, size, "%s: %s", user, value ? value : "(none)");
}

PKG_INIT void app_init(void)
{
	http_route("/login", 0, login);
	http_route("/get", 1, get);
	log_printf(LOG_INFO, "app", "routes ready");
}
