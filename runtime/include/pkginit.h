/*
 * pkginit.h - annotations read by the pkginit tool.
 *
 *   #include <pkginit.h>
 *
 *   PKG_IMPORT("log");             an import that no #include shows
 *   PKG_PACKAGE("storage");        put this file in another package
 *
 *   PKG_INIT void db_init(void)    runs after the inits of every package
 *   { ... }                        this one imports (--deps include), or
 *                                  after the inits that write what it
 *                                  reads (--deps uses)
 *
 *   PKG_INIT int db_open(void)     the same, and can fail: a non-zero
 *   { ... }                        result stops start-up (exit status
 *                                  result % 256, else 1)
 *
 *   PKG_AFTER(db_init, log_init);  db_init runs after log_init: an order
 *                                  the analysis cannot see (a call
 *                                  through a function pointer)
 *
 * The annotations emit no code and no data.  PKG_IMPORT, PKG_PACKAGE and
 * PKG_AFTER are C11 static assertions that are always true: the compiler checks and
 * discards them, and the scanner reads their message.  PKG_INIT is a clang
 * "annotate" attribute, which the scanner (libclang) sees; gcc warns about
 * unknown attributes, so there it is nothing at all.
 */
#ifndef PKGINIT_H
#define PKGINIT_H

#define PKGINIT_VERSION_MAJOR 0
#define PKGINIT_VERSION_MINOR 1

#if defined(__clang__)
#define PKG_INIT __attribute__((annotate("pkginit:init")))
#else
#define PKG_INIT
#endif

#define PKG_IMPORT(path)  _Static_assert(1, "pkginit:import:" path)
#define PKG_PACKAGE(path) _Static_assert(1, "pkginit:package:" path)
#define PKG_AFTER(init, after) \
	_Static_assert(1, "pkginit:after:" #init ":" #after)

#endif /* PKGINIT_H */
