/*
 * libclang.c - open libclang on first need (see libclang.h for why).
 *
 * The library is the one pkginit was built against: the Makefile passes
 * its path by soname (PKGINIT_LIBCLANG, e.g.
 * /usr/lib/x86_64-linux-gnu/libclang-14.so.13, the file the runtime
 * package installs, so a point release of the same libclang is still
 * found) and the Debian package that holds it (PKGINIT_LIBCLANG_PKG)
 * for the error message.  $PKGINIT_LIBCLANG, when set, names another
 * file.  Every function of LIBCLANG_FUNCTIONS is looked up at once, so a
 * library that lacks one fails at load with its name, not later in a
 * scan.
 *
 * The scan cache keys entries on the library's identity: previously
 * clang_getClangVersion(), which needs the library loaded; now its path
 * and file signature (device, inode, size, modification time), one stat,
 * which also changes when the package is upgraded in place.
 */
#define LIBCLANG_NO_REDIRECT
#include "libclang.h"

#include "tool.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PKGINIT_LIBCLANG
#define PKGINIT_LIBCLANG "libclang.so.1"
#endif
#ifndef PKGINIT_LIBCLANG_PKG
#define PKGINIT_LIBCLANG_PKG "libclang1"
#endif

const struct libclang_api *libclang_loaded;

static struct libclang_api libclang_table;
static pthread_once_t libclang_once = PTHREAD_ONCE_INIT;

const char *libclang_path(void)
{
	const char *env = getenv("PKGINIT_LIBCLANG");
	return env && *env ? env : PKGINIT_LIBCLANG;
}

/* One line through diag_die: it is printed at once, even when this
 * thread's diagnostics are being collected for later, and the process
 * ends without running what other threads may be in the middle of. */
static _Noreturn void libclang_fail(const char *path, const char *why)
{
	const char *env = getenv("PKGINIT_LIBCLANG");
	if (env && *env)
		diag_die("cannot load libclang, which scanning needs: %s "
			 "(PKGINIT_LIBCLANG names '%s'; unset it to use the "
			 "libclang pkginit was built with)", why, path);
	diag_die("cannot load libclang, which scanning needs: %s (install it: "
		 "on Debian, sudo apt-get install %s; or set PKGINIT_LIBCLANG "
		 "to the path of libclang's shared library)", why,
		 PKGINIT_LIBCLANG_PKG);
}

static void libclang_open(void)
{
	const char *path = libclang_path();
	/* RTLD_LOCAL: nothing else in the process uses LLVM's symbols. */
	void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
	if (!h) libclang_fail(path, dlerror());
	struct {
		const char *name;
		void *slot;     /* a function pointer of the table */
	} fns[] = {
#define LIBCLANG_SLOT(f) {#f, &libclang_table.f},
		LIBCLANG_FUNCTIONS(LIBCLANG_SLOT)
#undef LIBCLANG_SLOT
	};
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		/* POSIX: dlsym's result converts to a function pointer. */
		void *fn = dlsym(h, fns[i].name);
		memcpy(fns[i].slot, &fn, sizeof fn);
		if (!fn) {
			char *why = xasprintf("'%s' has no function %s (a libclang "
					      "older than pkginit's?)", path,
					      fns[i].name);
			libclang_fail(path, why);
		}
	}
	__atomic_store_n(&libclang_loaded, &libclang_table, __ATOMIC_RELEASE);
}

const struct libclang_api *libclang_load(void)
{
	pthread_once(&libclang_once, libclang_open);
	return libclang_loaded;
}

void libclang_fingerprint(struct hash_ctx *h)
{
	const char *path = libclang_path();
	hash_str(h, "libclang");
	hash_str(h, path);
	hash_file_id(h, path);
}
