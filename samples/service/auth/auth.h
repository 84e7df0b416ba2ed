#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H

/* Users from auth.users ("name:password, ..."), kept hashed in the store;
 * a login gives a token that later requests present. */
const char *auth_login(const char *user, const char *password);
const char *auth_user(const char *token);   /* NULL if not logged in */

#endif
