#!/usr/bin/env bash
# samples/cmake with Debian's cmake, under the Ninja and the Unix Makefiles
# generators, from a fresh copy of the sample: find_package(pkginit),
# pkginit_target on an executable, a static and two shared libraries (and
# a MODULE plugin, dlopened); the
# order the program prints = inittrace = the reports (libraries in load
# order, then the program) = the lock; incremental builds rescan exactly
# the includers of a touched header and recompile the table only when the
# order changed; the CTest check fails on a changed order and the update
# target fixes it; pkginit_target's argument errors; the installed package.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/buildsys.sh"
# The generated Makefiles run make themselves: not with make test's flags.
unset MAKEFLAGS MFLAGS MAKELEVEL

if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
	not_ok "cmake and ninja are installed (make deps)"; done_testing
fi

# scans OUTPUT: the sources a build scanned, sorted ("file (target)").
scans() { sed -n 's/.*pkginit scan \([^ ]*\) (\([^)]*\)).*/\1 (\2)/p' | sort | tr '\n' ' '; }
# table_compiled OUTPUT TARGET: did the build compile TARGET's table?
table_compiled() { grep -Eq "inittab\.c\.o|pkginit/$2/inittab\.c" <<<"$1" &&
	grep -E "inittab\.c" <<<"$1" | grep -Eq "Building C object.*pkginit/$2/|-c .*pkginit/$2/inittab\.c"; }

for gen in Ninja "Unix Makefiles"; do
	tag=${gen// /-}
	fresh_sample cmake "$tag"
	run cmake -S . -B b -G "$gen" -DCMAKE_PREFIX_PATH="$BUILD"
	expect_rc "$gen: configure (find_package(pkginit CONFIG REQUIRED))" 0
	run cmake --build b -j2
	expect_rc "$gen: build from scratch" 0
	run ./b/shapes
	expect_eq "$gen: the program runs, libraries' packages first" "$OUT" "init mathx
init geo
init text
init app
shapes: hello, area 12"
	printed=$(echo "$OUT" | printed_order)
	run env PKGRT_DEBUG=inittrace=1 ./b/shapes
	expect_eq "$gen: inittrace = what the program printed" "$(echo "$ERR" | trace_order)" "mathx geo text app "
	expect_eq "$gen: the reports (libmathx.so, libgeo.so, shapes) = that order" \
		"$(report_order b/pkginit/mathx/init.yaml b/pkginit/geo/init.yaml b/pkginit/shapes/init.yaml)" "$printed"
	expect_eq "$gen: the program's report = the committed lock" \
		"$(report_order b/pkginit/shapes/init.yaml)" "$(report_order init.lock.yaml)"
	expect_eq "$gen: the program's table holds the static library's package, not the shared ones'" \
		"$(grep -o '"[a-z]*", pkginit__fns' b/pkginit/shapes/inittab.c | tr '\n' ' ')" \
		'"text", pkginit__fns "app", pkginit__fns '
	if [ ! -f b/libmathx.so ] || nm -D --defined-only b/libmathx.so | grep -q mathx_init; then
		not_ok "$gen: libmathx.so's init function is hidden"
	else ok "$gen: libmathx.so's init function is hidden"; fi
	run ctest --test-dir b --output-on-failure
	expect_rc "$gen: the CTest check passes on the committed lock" 0

	run cmake --build b
	if [ "$gen" = Ninja ]; then
		expect_match "$gen: a second build does nothing" "$OUT" "^ninja: no work to do.$"
	else
		expect_eq "$gen: a second build does nothing" \
			"$(echo "$OUT" | grep -Ev 'Built target|^Consolidate|^Scanning|^\[ *[0-9]+%\] Built|make\[[0-9]+\]: (Entering|Leaving) directory' )" ""
	fi

	# A header touched: its includers rescan; the order stays, so no table
	# is compiled again.
	sleep 1; touch text/text.h
	run cmake --build b
	expect_eq "$gen: touching text/text.h rescans text.c and app/app.c only" \
		"$(echo "$OUT" | scans)" "app/app.c (shapes) text.c (text) "
	expect_match "$gen: ... relinks the program's records" "$OUT" "pkginit link \(shapes\)|pkginit link .*shapes"
	if table_compiled "$OUT" shapes; then not_ok "$gen: ... but does not recompile the unchanged table"
	else ok "$gen: ... but does not recompile the unchanged table"; fi

	# The order changes: app no longer imports text.
	sed -i 's|#include "text/text.h"|const char *text_greeting(void);|' app/app.c
	run cmake --build b -- $( [ "$gen" = Ninja ] && echo -v || echo VERBOSE=1)
	if table_compiled "$OUT" shapes; then ok "$gen: a changed order recompiles the table"
	else not_ok "$gen: a changed order recompiles the table"; echo "$OUT" | sed 's/^/#   /'; fi
	run ./b/shapes
	expect_eq "$gen: ... which runs in the new order" "$(echo "$OUT" | printed_order)" "mathx geo app text "
	run ctest --test-dir b --output-on-failure
	expect_rc "$gen: the CTest check fails on the changed order" 8
	expect_match "$gen: ... showing the difference" "$OUT" '^\+ app$'
	run cmake --build b --target shapes-update-init-lock
	expect_rc "$gen: shapes-update-init-lock" 0
	run ctest --test-dir b
	expect_rc "$gen: the CTest check passes after the update" 0
done

# DEPS is passed to every pkginit command; the generated commands show it.
fresh_sample cmake deps
sed -i 's/pkginit_target(shapes LOCK init.lock.yaml)/pkginit_target(shapes LOCK init.lock.yaml DEPS uses ORDER import MAIN main)/' CMakeLists.txt
run cmake -S . -B b -G Ninja -DCMAKE_PREFIX_PATH="$BUILD"
expect_rc "DEPS uses ORDER import MAIN main: configures" 0
expect_match "... the scans get --deps uses" "$(cat b/build.ninja)" "pkginit scan .*--deps uses -o [^ ]*/shapes/app/app.c.rec"
expect_match "... the link gets --order, --deps and --main" "$(cat b/build.ninja)" \
	"pkginit link --order import --deps uses --main main --driver rt0 "
expect_match "... and so does the CTest check" "$(cat b/CTestTestfile.cmake)" \
	'pkginit" "check" "--order" "import" "--deps" "uses" "--main" "main" "--expect"'
if grep -q -- "--deps" <<<"$(grep 'mathx.c.rec' b/build.ninja)"; then
	not_ok "... not the other targets' scans"
else ok "... not the other targets' scans"; fi
run cmake --build b
expect_rc "DEPS uses builds" 0

# A MODULE library (a plugin the program dlopens): a table of its own,
# with a hidden init function, run when it is loaded, after main began.
scratch cmake-module
write CMakeLists.txt <<'EOC'
cmake_minimum_required(VERSION 3.20)
project(plugins C)
find_package(pkginit CONFIG REQUIRED)
add_library(plug MODULE plug/plug.c)
set_target_properties(plug PROPERTIES C_VISIBILITY_PRESET hidden)
target_include_directories(plug PRIVATE ${PROJECT_SOURCE_DIR})
pkginit_target(plug)
add_executable(host main.c host/host.c)
target_include_directories(host PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(host PRIVATE PLUG="$<TARGET_FILE:plug>")
target_link_libraries(host PRIVATE ${CMAKE_DL_LIBS})
add_dependencies(host plug)
pkginit_target(host)
EOC
write plug/plug.h <<'C'
void plug_hello(void);
C
write plug/plug.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "plug/plug.h"
static int ready;
PKG_INIT void plug_init(void) { ready = 1; puts("init plug"); }
__attribute__((visibility("default"))) void plug_hello(void)
{
	puts(ready ? "plug: ready" : "plug: not initialized");
}
C
write host/host.h <<'C'
void host_use(void);
C
write host/host.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "host/host.h"
PKG_INIT void host_init(void) { puts("init host"); }
void host_use(void) {}
C
write main.c <<'C'
#include <dlfcn.h>
#include <stdio.h>
#include "host/host.h"
int main(void)
{
	host_use();
	puts("main");
	void *h = dlopen(PLUG, RTLD_NOW);
	if (!h) { puts(dlerror()); return 1; }
	void (*hello)(void) = (void (*)(void))dlsym(h, "plug_hello");
	if (!hello) { puts(dlerror()); return 1; }
	hello();
	return 0;
}
C
run cmake -S . -B b -G Ninja -DCMAKE_PREFIX_PATH="$BUILD"
expect_rc "MODULE: configures" 0
run cmake --build b -- -v
expect_rc "MODULE: builds" 0
expect_match "... its table is a module's (--driver shlib --module)" "$OUT" \
	"pkginit link .*--driver shlib --module [^ ]*plug"
run env PKGRT_DEBUG=starttrace=1 ./b/host
expect_eq "MODULE: the plugin's table runs when it is loaded" "$OUT" "init host
main
init plug
plug: ready"
expect_match "... by the runtime, after start-up" "$ERR" \
	'^start module: [^ ]*plug[^ ]* tasks=1 \(shared library, loaded after start-up: runs now\)$'
if nm -D --defined-only b/*plug* 2>/dev/null | grep -q plug_init; then
	not_ok "... its init function is hidden"
else ok "... its init function is hidden"; fi
expect_eq "... the program's table leaves the plugin out" "$(grep -c plug_init b/pkginit/host/inittab.c)" "0"

# Argument errors, at configure time, in one line that names the target.
errcase() {
	scratch "err-$1"
	write CMakeLists.txt <<EOC
cmake_minimum_required(VERSION 3.20)
project(e C)
find_package(pkginit ${3:-} CONFIG REQUIRED)
add_executable(p main.c)
add_library(s STATIC s.c)
$2
EOC
	echo 'int main(void) { return 0; }' >main.c
	echo 'int s;' >s.c
	run cmake -S . -B b -G Ninja -DCMAKE_PREFIX_PATH="$BUILD"
}
errcase order 'pkginit_target(p ORDER topo)'
expect_match "ORDER topo: refused" "$ERR" "pkginit_target\(p\): ORDER must be lex or import, not 'topo'"
errcase driver 'pkginit_target(p DRIVER shlib)'
expect_match "DRIVER shlib on an executable: refused" "$ERR" "DRIVER must be rt0, ctor or manual, not 'shlib'"
errcase lock 'pkginit_target(s LOCK x.yaml)'
expect_match "LOCK on a static library: refused" "$ERR" "pkginit_target\(s\): LOCK is for executables"
errcase unknown 'pkginit_target(p ORDRE lex)'
expect_match "an unknown argument: refused" "$ERR" "unknown argument 'ORDRE;lex'"
errcase none 'pkginit_target(q)'
expect_match "no such target" "$ERR" "pkginit_target\(q\): no such target"
errcase version '' 9.0
expect_rc "find_package(pkginit 9.0): not found" 1
errcase ok 'pkginit_target(p DRIVER ctor)' 0.1
expect_rc "find_package(pkginit 0.1) and DRIVER ctor: configures" 0
run cmake --build b -- -v
expect_rc "... and builds" 0
if grep -q 'pkgrt.o' <<<"$OUT"; then not_ok "... without the runtime"; else ok "... without the runtime"; fi

# The installed package.
scratch install
run make --no-print-directory -C "$TOP" install PREFIX="$SCRATCH/prefix" BUILD="$BUILD"
expect_rc "make install" 0
for f in lib/cmake/pkginit/pkginitConfig.cmake lib/cmake/pkginit/pkginitConfigVersion.cmake lib/pkgrt.o \
	share/pkginit/pkginit-rules.mk; do
	[ -f "prefix/$f" ] && ok "installed $f" || not_ok "installed $f"
done
prefix=$SCRATCH/prefix
fresh_sample cmake installed
run cmake -S . -B b -G Ninja -DCMAKE_PREFIX_PATH="$prefix"
run cmake --build b -- -v
expect_rc "the sample builds against the installed prefix" 0
expect_match "... with the installed pkginit" "$OUT" "$prefix/bin/pkginit scan"
run ./b/shapes
expect_match "... and runs" "$OUT" '^shapes: hello, area 12$'

done_testing
