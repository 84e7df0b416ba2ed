/* service: a pretend server.  Every package sets itself up in its init
 * functions, in the order pkginit computed from the imports; main only
 * serves the requests named on the command line:
 *
 *   ./service service.conf "GET /login/alice/wonderland" "GET /get/greeting"
 *
 * Like a client with a cookie jar, it keeps the token of a successful
 * login and presents it with the requests that follow.
 */
#include <pkginit.h>
#include <stdio.h>
#include <string.h>
#include "config/config.h"
#include "http/http.h"
#include "log/log.h"

PKG_IMPORT("app");      /* registers the /login and /get routes */

PKG_INIT void main_init(void)
{
	log_printf(LOG_INFO, "main", "serving with %s", config_path());
}

int main(int argc, char **argv)
{
	char out[512], token[64] = "";
	int failed = 0;
	for (int i = 2; i < argc; i++) {
		int status = http_handle(argv[i], token, out, sizeof out);
		printf("%s -> %d %s\n", argv[i], status, out);
		if (status == 200 && !strncmp(argv[i], "GET /login/", 11) && out[0] == 't')
			snprintf(token, sizeof token, "%.63s", out);
		failed |= status != 200;
	}
	return failed;
}
