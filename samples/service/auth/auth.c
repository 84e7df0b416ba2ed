#include <pkginit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/auth.h"
#include "config/config.h"
#include "log/log.h"
#include "store/store.h"
#include "util/strutil.h"

/* Load users into the store as "user:<name>" -> hash of the password. */
PKG_INIT void auth_init(void)
{
	char *list = strdup(config_get("auth.users")), *save = NULL;
	int n = 0;
	if (!list) abort();
	for (char *u = strtok_r(list, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
		u = util_trim(u);
		char *colon = strchr(u, ':');
		if (!colon || colon == u || !colon[1]) {
			fprintf(stderr, "auth: %s: auth.users entry '%s' is not name:password\n",
				config_path(), u);
			exit(1);
		}
		*colon = 0;
		char key[96], hash[32];
		snprintf(key, sizeof key, "user:%s", u);
		snprintf(hash, sizeof hash, "%lx", util_hash(colon + 1));
		store_put(key, hash);
		n++;
	}
	free(list);
	log_printf(LOG_INFO, "auth", "%d users", n);
}

const char *auth_login(const char *user, const char *password)
{
	char key[96], hash[32];
	snprintf(key, sizeof key, "user:%s", user);
	snprintf(hash, sizeof hash, "%lx", util_hash(password));
	const char *want = store_get(key);
	if (!want || strcmp(want, hash)) return NULL;
	static char token[64];
	snprintf(token, sizeof token, "t%lx", util_hash(key));
	char tkey[96];
	snprintf(tkey, sizeof tkey, "token:%s", token);
	store_put(tkey, user);
	return token;
}

const char *auth_user(const char *token)
{
	char tkey[96];
	snprintf(tkey, sizeof tkey, "token:%s", token);
	return store_get(tkey);
}
