#!/usr/bin/env bash
# driver.sh - `pkginit gen --driver=ctor|manual`: the generated file runs
# the table itself, so the program links with no runtime at all.  One
# program, whose main calls pkgrt_run_inits() first thing, is built under
# the three drivers: the init functions run in the report's order (both
# order modes), inittrace names the packages in that order, an init
# function that calls pkgrt_run_inits is recursive initialization (status
# 2, the runtime's message), with gcc and clang (and musl, and arm64 under
# qemu, when they are installed); the default driver's output is what it
# always was; pkginit.mk's PKGINIT_DRIVER builds a sample without the
# runtime.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

scratch driver
# pkg NAME IMPORTS...: package NAME, whose header includes its imports'
# headers and whose NAME_init prints its name.  Lex and import order
# differ here: lex is log b z a main; import (depth-first from main: z,
# then a; b, reachable from no one, last) is log z a b main.
pkg() {
	local p=$1 q
	shift
	mkdir -p "$p"
	for q in "$@"; do printf '#include "%s/%s.h"\n' "$q" "$q"; done >"$p/$p.h"
	printf '#include <pkginit.h>\n#include <stdio.h>\n#include "%s/%s.h"\n' "$p" "$p" >"$p/$p.c"
	printf 'PKG_INIT void %s_init(void) { puts("%s_init"); }\n' "$p" "$p" >>"$p/$p.c"
}
pkg log
pkg z log
pkg b log
pkg a z
cat >>a/a.c <<'C'
#include <pkgrt.h>
#include <stdlib.h>
/* a's second init function: back into initialization, which is fatal. */
PKG_INIT void a_again(void) { puts("a_again"); if (getenv("REINIT") != NULL) pkgrt_run_inits(); }
C
write main.c <<'C'
#include <pkginit.h>
#include <pkgrt.h>
#include <stdio.h>
#include "z/z.h"
#include "a/a.h"
PKG_INIT void main_init(void) { puts("main_init"); }
int main(void)
{
	puts("main starts");
	pkgrt_run_inits();      /* manual: runs the table; otherwise: done already */
	pkgrt_run_inits();      /* a second call does nothing */
	puts("main");
	return 0;
}
C
SRCS="main.c a/a.c b/b.c log/log.c z/z.c"

# The default driver writes what it always wrote: --driver=rt0 changes nothing.
run "$PKGINIT" gen -o rt0_default.c $SRCS -- -I. -I"$RTINC"
run "$PKGINIT" gen --driver=rt0 -o rt0.c $SRCS -- -I. -I"$RTINC"
expect_same_file "--driver=rt0 is the default, byte for byte" rt0.c rt0_default.c
run "$PKGINIT" gen --driver=bogus -o bogus.c $SRCS -- -I. -I"$RTINC"
expect_rc "--driver=bogus: usage error" 2
expect_match "--driver=bogus: says what it wants" "$ERR" "--driver must be 'rt0', 'ctor', 'manual' or 'shlib', not 'bogus'"
[ -e bogus.c ] && not_ok "--driver=bogus: no table written" || ok "--driver=bogus: no table written"

# build NAME CC DRIVER MODE: gen, compile the table alone (strict flags,
# no -I), link without the runtime.
build() {
	local name=$1 cc=$2 driver=$3 mode=$4
	run "$PKGINIT" gen --driver="$driver" --order="$mode" -o "tab_$name.c" --report "report_$name.yaml" \
		$SRCS -- -I. -I"$RTINC"
	expect_rc "$name: pkginit gen --driver=$driver" 0
	if $cc -std=c11 -Wall -Wextra -pedantic -Werror -c "tab_$name.c" -o "tab_$name.o" 2>cc.err; then
		ok "$name: the table compiles alone, warning-free (-std=c11 -Wall -Wextra -pedantic)"
	else
		not_ok "$name: the table compiles alone, warning-free"; sed 's/^/#   /' cc.err
	fi
	# shellcheck disable=SC2086
	if $cc -std=c11 -I. -I"$RTINC" -o "prog_$name" $SRCS "tab_$name.o" 2>cc.err; then
		ok "$name: links without the runtime"
	else
		not_ok "$name: links without the runtime"; sed 's/^/#   /' cc.err
	fi
}

# check NAME DRIVER RUNNER...: run the program, compare with the report.
check() {
	local name=$1 driver=$2 want_inits want_pkgs
	shift 2
	want_inits=$(sed -n 's/^ *- {name: \([^,]*\),.*/\1/p' "report_$name.yaml" | tr -d '"')
	want_pkgs=$(awk '/^  - path: /{p=$3} /^    inits:$/{if (p != "") print p}' "report_$name.yaml" | tr -d '"')
	run env PKGRT_DEBUG=inittrace=1 "$@" "./prog_$name"
	expect_rc "$name: runs" 0
	if [ "$driver" = manual ]; then
		expect_eq "$name: nothing runs until main calls pkgrt_run_inits, then the report's order" \
			"$OUT" "main starts
$want_inits
main"
	else
		expect_eq "$name: the init functions run before main, in the report's order" \
			"$OUT" "$want_inits
main starts
main"
	fi
	expect_eq "$name: inittrace names the packages in the report's order" \
		"$(printf '%s\n' "$ERR" | sed -n 's/^init \([^ ]*\) @[0-9.]* ms, [0-9.]* ms clock$/\1/p')" "$want_pkgs"
	expect_eq "$name: inittrace prints nothing else" \
		"$(printf '%s\n' "$ERR" | grep -cv '^init [^ ]* @[0-9.]* ms, [0-9.]* ms clock$')" 0
	run env REINIT=1 "$@" "./prog_$name"
	expect_rc "$name: an init calling pkgrt_run_inits: exit status 2" 2
	expect_eq "$name: ... recursive initialization, the runtime's message" "$ERR" \
		"pkgrt: fatal: recursive call during initialization: package a is already being initialized"
}

for cc in gcc clang; do
	if ! command -v $cc >/dev/null 2>&1; then ok "$cc # SKIP not installed"; continue; fi
	for driver in ctor manual; do
		for mode in lex import; do
			name=${cc}_${driver}_$mode
			build "$name" $cc $driver $mode
			check "$name" $driver
		done
		expect_eq "$cc $driver: no runtime symbol in the program" \
			"$(nm "prog_${cc}_${driver}_lex" | grep -E 'runtime\.|pkgrt_abi|_rt0_|__wrap_main' || true)" ""
	done
done
expect_eq "ctor: the table has a constructor" "$(grep -c '^__attribute__((constructor))' tab_gcc_ctor_lex.c)" 1
expect_eq "manual: the table has none" "$(grep -c 'constructor)' tab_gcc_manual_lex.c)" 0

# The same program with the runtime (--driver=rt0): the same output.
rm -f ./*.o a/*.o b/*.o log/*.o z/*.o
if rtbuild prog_rt0 cc -I. -I"$RTINC" -- $SRCS rt0.c; then
	run ./prog_rt0
	expect_eq "rt0: the same program, the same order (pkgrt_run_inits does nothing in main)" \
		"$OUT" "$(./prog_gcc_ctor_lex)"
	run env REINIT=1 ./prog_rt0
	expect_eq "rt0: the same recursive-initialization error" "$ERR" \
		"pkgrt: fatal: recursive call during initialization: package a is already being initialized"
else
	not_ok "rt0: links"; sed 's/^/#   /' link.err
fi

# Other libcs and architectures: what the constructor needs is there.
if command -v musl-gcc >/dev/null 2>&1; then
	build musl_ctor_lex musl-gcc ctor lex
	check musl_ctor_lex ctor
else
	ok "musl # SKIP musl-gcc not installed"
fi
if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && command -v qemu-aarch64 >/dev/null 2>&1; then
	build arm64_ctor_lex aarch64-linux-gnu-gcc ctor lex
	check arm64_ctor_lex ctor qemu-aarch64 -L /usr/aarch64-linux-gnu
else
	ok "arm64 # SKIP aarch64-linux-gnu-gcc or qemu-aarch64 not installed (rt_arm64.sh fails for it)"
fi

# pkginit.mk: PKGINIT_DRIVER=ctor builds samples/hello without the runtime.
scratch hello-ctor
cp -r "$TOP/samples/hello/." .
run make --no-print-directory PKGINIT_PREFIX="$BUILD" PKGINIT_DRIVER=ctor
expect_rc "samples/hello with PKGINIT_DRIVER=ctor builds" 0
expect_match "... the table says so" "$(cat inittab.c)" '^ \* Driver: ctor\.'
if printf '%s\n' "$OUT" | grep -E -- '-o hello ' | grep -qE -- '-lpkgrt|pkgrt\.o'; then
	not_ok "... the program links without -lpkgrt"
else
	ok "... the program links without -lpkgrt"
fi
run ./hello
expect_eq "... and runs its inits in order" "$OUT" "init b
init a
init main
main: hello, world"

done_testing
