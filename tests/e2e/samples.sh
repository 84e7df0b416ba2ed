#!/usr/bin/env bash
# The samples built with their own Makefiles through pkginit.mk, as a user
# would: the order the program prints = the report = the lock; -j1 and -j4
# give the same table; incremental rebuilds run exactly what a change
# needs; cycles fail; check-init catches a new import; O=build works; and
# an installed prefix works as well as the build tree.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/buildsys.sh"

# copy_sample NAME: a scratch copy of samples/NAME; cd into it.
copy_sample() {
	scratch "$1${2:+-$2}"
	cp -r "$TOP/samples/$1/." .
	MK="make --no-print-directory PKGINIT_PREFIX=$BUILD"
}

# ---- hello --------------------------------------------------------------
copy_sample hello
run $MK
expect_rc "hello builds" 0
run ./hello
expect_eq "hello prints its inits in order" "$OUT" "init b
init a
init main
main: hello, world"
run env PKGRT_DEBUG=inittrace=1 ./hello
expect_eq "hello: runtime order = report order" "$(echo "$ERR" | trace_order)" "$(report_order init.yaml)"
expect_eq "hello: report order = lock order" "$(report_order init.yaml)" "$(report_order init.lock.yaml)"
run $MK check-init
expect_rc "hello: check-init passes on the committed lock" 0

# Nothing touched: nothing runs, make -q agrees.
run $MK
expect_match "second make does nothing" "$OUT" "Nothing to be done"
run $MK -q
expect_rc "make -q: up to date" 0

# A header touched: rescan exactly its includers, relink the records, keep
# the table (the order did not change), recompile its includers.
sleep 1; touch b/b.h
run $MK
expect_eq "touching b/b.h rescans a and b only" \
	"$(echo "$OUT" | sed -n 's/.* scan .* -o \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')" "a/a.rec b/b.rec "
expect_match "... and relinks the records" "$OUT" 'pkginit link '
if echo "$OUT" | grep -q 'cc -c .*inittab.c'; then not_ok "... but does not recompile the unchanged table"
else ok "... but does not recompile the unchanged table"; fi
run $MK -q
expect_rc "up to date again" 0

# An import that changes the order: the table is regenerated and compiled.
sed -i 's|#include "b/b.h"                /\* a imports b \*/|#include "b/b.h"\n#include "c/c.h"|' a/a.c
mkdir -p c && printf '#include <pkginit.h>\n#include <stdio.h>\nvoid c_nothing(void);\nPKG_INIT void c_init(void) { puts("init c"); }\n' > c/c.c
printf 'void c_nothing(void);\n' > c/c.h
run $MK SRCS="main.c a/a.c b/b.c c/c.c"
expect_match "a new import regenerates the table" "$OUT" 'cc -c ./inittab.c|cc -c inittab.c'
run ./hello
expect_eq "the new package initializes first" "$(echo "$OUT" | head -2 | tr '\n' ' ')" "init b init c "
run $MK SRCS="main.c a/a.c b/b.c c/c.c" check-init
expect_rc "check-init fails on the new order" 2
expect_match "check-init names the lock" "$ERR" 'init.lock.yaml: error: the init order differs from the lock file'
expect_match "check-init shows the new package" "$OUT" '^\+ c$'
expect_match "check-init shows its init" "$OUT" '^\+     c_init  \(c/c.c\)$'
run $MK SRCS="main.c a/a.c b/b.c c/c.c" update-init-lock
expect_rc "update-init-lock" 0
run $MK SRCS="main.c a/a.c b/b.c c/c.c" check-init
expect_rc "check-init passes after update-init-lock" 0

# -j4 and -j1 give identical tables; O=build keeps the sources clean.
copy_sample service j1
run make --no-print-directory PKGINIT_PREFIX=$BUILD O=build -j1
expect_rc "service builds out of tree with -j1" 0
copy_sample service j4
run make --no-print-directory PKGINIT_PREFIX=$BUILD O=build -j4
expect_rc "service builds out of tree with -j4" 0
expect_same_file "-j1 and -j4 give the same table" "$BUILD/e2e/samples/service-j1/build/inittab.c" build/inittab.c
expect_same_file "-j1 and -j4 give the same report" "$BUILD/e2e/samples/service-j1/build/init.yaml" build/init.yaml
expect_eq "O=build leaves no build output beside the sources" \
	"$(find . -path ./build -prune -o \( -name '*.o' -o -name '*.rec' -o -name 'inittab.c' \) -print)" ""

# ---- service ------------------------------------------------------------
run env PKGRT_DEBUG=inittrace=1 build/service service.conf "GET /login/alice/wonderland" "GET /get/greeting" "GET /metrics"
expect_rc "service serves its requests" 0
expect_match "login works (auth loaded users from the config)" "$OUT" '^GET /login/alice/wonderland -> 200 t[0-9a-f]+$'
expect_match "the store was seeded and the session kept" "$OUT" '^GET /get/greeting -> 200 alice: hello from the store$'
expect_match "metrics were registered by the inits" "$OUT" 'store.puts=[0-9]+ .*http.requests=3'
expect_eq "service: runtime order = report order" "$(echo "$ERR" | trace_order)" "$(report_order build/init.yaml)"
expect_eq "service: report order = lock order" "$(report_order build/init.yaml)" "$(report_order init.lock.yaml)"
expect_eq "service: lock order" "$(report_order init.lock.yaml)" "config log metrics store auth cache http app main "
run make --no-print-directory PKGINIT_PREFIX=$BUILD O=build check-init
expect_rc "service: check-init passes" 0
run build/service testdata/bad.conf
expect_rc "a bad config exits non-zero" 1
expect_eq "... with the config package's message" "$ERR" "config: testdata/bad.conf:2: expected 'key = value': 'store.buckets 64'"
run build/service
expect_rc "no config file is a usage error" 2
expect_match "... that says so" "$ERR" '^usage: .*service CONFIG-FILE'

# ---- cycle --------------------------------------------------------------
copy_sample cycle
run $MK
expect_rc "samples/cycle fails to build" 2
expect_match "with the import cycle error" "$ERR" '^ping/ping.h:3: error: import cycle not allowed$'
expect_match "naming ping's include" "$ERR" '^ping/ping.h:3: note: ping imports pong \(includes pong/pong.h\)$'
expect_match "naming pong's include" "$ERR" '^pong/pong.h:3: note: pong imports ping \(includes ping/ping.h\)$'
[ ! -e cycle ] && ok "no program is linked" || not_ok "no program is linked"

# ---- in-tree, with the sample's default prefix (../../build) -------------
scratch intree
if [ "$BUILD" = "$TOP/build" ]; then
	run make --no-print-directory -C "$TOP/samples/hello" O="$SCRATCH/out"
	expect_rc "samples/hello builds in-tree with its default prefix" 0
	run "$SCRATCH/out/hello"
	expect_match "and runs" "$OUT" '^main: hello, world$'
	expect_eq "the source tree is left clean" \
		"$(git -C "$TOP" status --porcelain --untracked-files=all -- samples/hello)" ""
else
	ok "# SKIP the default prefix is ../../build, and this run builds into $BUILD"
fi

# ---- an installed prefix ------------------------------------------------
scratch install
run make --no-print-directory -C "$TOP" install PREFIX="$SCRATCH/prefix" BUILD="$BUILD"
expect_rc "make install PREFIX=..." 0
for f in bin/pkginit include/pkginit.h include/pkgrt.h lib/libpkgrt.a lib/pkgconfig/pkgrt.pc \
	 share/pkginit/pkginit.mk share/man/man1/pkginit.1; do
	[ -e "prefix/$f" ] && ok "installed $f" || not_ok "installed $f"
done
mkdir src && cp -r "$TOP/samples/hello/." src/
run make --no-print-directory -C src PKGINIT_PREFIX="$SCRATCH/prefix"
expect_rc "hello builds against the installed prefix" 0
expect_match "it used the installed pkginit" "$OUT" "$SCRATCH/prefix/bin/pkginit scan"
run src/hello
expect_match "and runs" "$OUT" '^main: hello, world$'
run env PKG_CONFIG_PATH="$SCRATCH/prefix/lib/pkgconfig" pkg-config --libs pkgrt
expect_match "pkgrt.pc carries the entry point and the wrap" "$OUT" 'pkgrt.o -Wl,-e,_rt0_amd64_linux -Wl,--wrap=main'

done_testing
