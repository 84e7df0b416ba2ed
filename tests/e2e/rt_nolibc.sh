#!/usr/bin/env bash
# rt_nolibc.sh - the freestanding runtime (libpkgrt-nolibc.a) on the host:
# a program with no libc at all, linked with $(pkg-config --libs
# pkgrt-nolibc) by gcc and by clang, is static, imports nothing, and
# starts, runs its inits in order, traces and fails as the hosted runtime
# does (check_pkgrt_prog in runtime/testdata/e2e.sh); and sys_linux.h,
# the kernel ABI the runtime writes out instead of taking it from libc,
# agrees with libc's headers on both architectures.
. "$(dirname "$0")/../lib.sh"
RTPC=pkgrt-nolibc
. "$TOP/runtime/testdata/e2e.sh"
ulimit -c 0     # the crashes below would dump core

scratch nolibc
cp "$TOP/runtime/testdata/pkgrt_prog.c" .
mktable inittab.c log:log_init config:config_load,config_check db:db_init

expect_eq "pkg-config --libs pkgrt-nolibc" "$(pkg-config --libs pkgrt-nolibc | sed 's/ *$//')" \
	"-L$BUILD/lib -lpkgrt-nolibc -nostdlib -static -Wl,-e,_rt0_amd64_linux -lgcc"

for cc in gcc clang; do
	if ! command -v $cc >/dev/null 2>&1; then ok "$cc # SKIP $cc not installed"; continue; fi
	rm -f ./*.o
	if rtbuild prog_$cc $cc -O2 -- pkgrt_prog.c inittab.c; then ok "$cc: links"; else
		not_ok "$cc: links"; sed 's/^/#   /' link.err; continue; fi
	headers=$(readelf -lh prog_$cc)
	if printf '%s\n' "$headers" | grep -q INTERP; then not_ok "$cc: static, no dynamic linker"
	else ok "$cc: static, no dynamic linker"; fi
	expect_eq "$cc: the entry point is _rt0_amd64_linux" \
		"$(printf '%s\n' "$headers" | sed -n 's/^ *Entry point address: *0x0*//p')" \
		"$(nm prog_$cc | sed -n 's/^0*\([0-9a-f]*\) T _rt0_amd64_linux$/\1/p')"
	expect_eq "$cc: nothing undefined, no libc symbol" \
		"$(nm prog_$cc | grep -E ' U | (__libc_start_main|printf|malloc)$' || true)" ""
	check_pkgrt_prog "$cc" nolibc ./prog_$cc
done

# samples/freestanding, built with its Makefile through pkginit.mk.
scratch sample
cp -r "$TOP/samples/freestanding/." .
run make --no-print-directory PKGINIT_PREFIX="$BUILD"
expect_rc "samples/freestanding builds" 0
run env PKGRT_DEBUG=inittrace=1 ./hello
expect_rc "samples/freestanding: exit status 0 (main counted the lines)" 0
expect_eq "samples/freestanding: the inits in order, then main" "$OUT" "init out
init greet
init main
hello, world"
expect_eq "samples/freestanding: inittrace order = the lock's" \
	"$(printf '%s\n' "$ERR" | sed -n 's/^init \([^ ]*\) @.*/\1/p' | tr '\n' ' ')" \
	"$(sed -n 's/^  - path: //p' init.lock.yaml | tr '\n' ' ')"
run make --no-print-directory PKGINIT_PREFIX="$BUILD" check-init
expect_rc "samples/freestanding: check-init passes on the committed lock" 0
if readelf -l hello | grep -q INTERP; then not_ok "samples/freestanding: static, no libc"
else ok "samples/freestanding: static, no libc"; fi

# sys_linux.h against libc's headers, for each architecture and libc.
for cc in cc musl-gcc aarch64-linux-gnu-gcc; do
	if ! command -v $cc >/dev/null 2>&1; then
		if [ $cc = aarch64-linux-gnu-gcc ]; then not_ok "sys_linux.h agrees with $cc's headers: $cc not installed (make deps)"
		else ok "sys_linux.h agrees with $cc's headers # SKIP not installed"; fi
		continue
	fi
	if $cc -std=c11 -Wall -Wextra -Werror -I"$TOP/runtime" -fsyntax-only \
		"$TOP/runtime/testdata/sys_linux_check.c" 2>check.err; then
		ok "sys_linux.h agrees with $cc's headers"
	else
		not_ok "sys_linux.h agrees with $cc's headers"; sed 's/^/#   /' check.err
	fi
done

done_testing
