#!/usr/bin/env bash
# samples/makefile-existing: a Makefile with its own compile and link rules
# (link flags before the objects, a shared library built with hidden
# visibility) that adds pkginit with pkginit-rules.mk, from a fresh copy
# of the sample: the order the program prints = inittrace = the reports
# (the library's, then the program's) = the lock; incremental rebuilds run
# what a change needs and no more; check-init catches a new order; a
# flag for one source's scan (PKGINIT_CFLAGS_<source>).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/buildsys.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL
fresh_sample makefile-existing
MK=(make --no-print-directory "PKGINIT_PREFIX=$BUILD")
[ -n "$SAN_FLAGS" ] && MK+=("LDLIBS=$SAN_FLAGS")
run "${MK[@]}"
expect_rc "the sample builds with its own rules" 0
expect_match "... its link puts the runtime before the objects" "$OUT" \
	"^cc $BUILD/lib/pkgrt.o .* -o build/calc build/main.o"
run ./build/calc
expect_rc "the program runs" 0
expect_eq "it prints its inits in order, the library's first" "$OUT" "init mathx
init util
calc: base = 6"
printed=$(echo "$OUT" | printed_order)
run env PKGRT_DEBUG=inittrace=1 ./build/calc
expect_eq "inittrace = what the program printed" "$(echo "$ERR" | trace_order)" "mathx util "
expect_match "inittrace names the library's table" "$ERR" '^init module libmathx.so \(shared library, 1 task\)$'
expect_eq "the reports, library then program, = that order" \
	"$(report_order build/pkginit/libmathx.so/init.yaml build/pkginit/calc/init.yaml)" "$printed"
expect_eq "the program's report = its lock" "$(report_order build/pkginit/calc/init.yaml)" \
	"$(report_order init.lock.yaml)"
expect_match "the program's table leaves mathx out" \
	"$(grep -c mathx_init build/pkginit/calc/inittab.c)" '^0$'
if [ ! -f build/libmathx.so ] || nm -D --defined-only build/libmathx.so | grep -q mathx_init; then
	not_ok "the library's init function is hidden"
else ok "the library's init function is hidden"; fi
run "${MK[@]}" check-init-calc
expect_rc "check-init-calc passes on the committed lock" 0

run "${MK[@]}"
expect_match "a second make does nothing" "$OUT" "Nothing to be done"
run "${MK[@]}" -q
expect_rc "make -q: up to date" 0

# A header touched: its includers are rescanned and recompiled, the
# unchanged tables are not recompiled.
sleep 1; touch util/util.h
run "${MK[@]}"
expect_eq "touching util/util.h rescans main.c and util/util.c only" \
	"$(echo "$OUT" | sed -n 's/.* scan .* -o \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')" \
	"build/pkginit/calc/main.rec build/pkginit/calc/util/util.rec "
if echo "$OUT" | grep -q -- '-c .*inittab.c'; then not_ok "... and compiles no table"
else ok "... and compiles no table"; fi
run "${MK[@]}" -q
expect_rc "up to date again" 0

# A new package that util imports: the program's order changes.
mkdir -p clock
printf '#include <pkginit.h>\n#include <stdio.h>\nvoid clock_tick(void);\nPKG_INIT void clock_init(void) { puts("init clock"); }\nvoid clock_tick(void) {}\n' >clock/clock.c
printf 'void clock_tick(void);\n' >clock/clock.h
sed -i 's|#include "util/util.h"|#include "util/util.h"\n#include "clock/clock.h"|' util/util.c
SRCS='CALC_SRCS=main.c util/util.c clock/clock.c'
run "${MK[@]}" "$SRCS"
expect_match "a new import regenerates and compiles the program's table" "$OUT" 'cc -fPIC -c build/pkginit/calc/inittab.c'
if echo "$OUT" | grep -q 'libmathx.so/inittab'; then not_ok "... not the library's"
else ok "... not the library's"; fi
run ./build/calc
expect_eq "the new order runs" "$(echo "$OUT" | printed_order)" "mathx clock util "
run "${MK[@]}" "$SRCS" check-init-calc
expect_rc "check-init-calc fails on the new order" 2
expect_match "... with a diff" "$OUT" '^\+ clock$'
run "${MK[@]}" "$SRCS" update-init-lock-calc
expect_rc "update-init-lock-calc" 0
run "${MK[@]}" "$SRCS" check-init
expect_rc "check-init passes after the update" 0
# A flag for one source's scan only (PKGINIT_CFLAGS_<source>, spec/make.md):
# its scan sees it, the others do not, and it reaches clang (a missing
# -include makes that one scan fail, naming the file).
run "${MK[@]}" "$SRCS" 'PKGINIT_CFLAGS_util/util.c=-DONLY_UTIL=1' -B build/pkginit/calc/util/util.rec build/pkginit/calc/main.rec
expect_match "PKGINIT_CFLAGS_util/util.c: util.c's scan sees it" "$OUT" ' scan .* -o build/pkginit/calc/util/util.rec .* -DONLY_UTIL=1'
if echo "$OUT" | grep ' -o build/pkginit/calc/main.rec ' | grep -q ONLY_UTIL; then
	not_ok "... main.c's does not"
else ok "... main.c's does not"; fi
run "${MK[@]}" "$SRCS" 'PKGINIT_CFLAGS_util/util.c=-include no-such-header.h' -B build/pkginit/calc/util/util.rec
expect_rc "... it reaches clang: a missing -include fails that scan" 2
expect_match "... naming the header" "$ERR" "no-such-header.h"
run "${MK[@]}" "$SRCS" clean-init
expect_rc "clean-init" 0
[ ! -e build/pkginit/calc ] && [ ! -e build/pkginit/libmathx.so ] && ok "clean-init removed both tables" ||
	not_ok "clean-init removed both tables"

# NAME_PKGINIT_DEPS reaches scan, link and check.
fresh_sample makefile-existing deps
run "${MK[@]}" calc_PKGINIT_DEPS=uses libmathx.so_PKGINIT_DEPS=uses
expect_rc "DEPS uses: builds" 0
expect_match "... the scans get --deps uses" "$OUT" 'pkginit scan .*--deps uses -o build/pkginit/calc/util/util.rec'
expect_match "... the link too" "$OUT" 'pkginit link +--deps uses --driver rt0'
run ./build/calc
expect_eq "... and the program runs in order" "$(echo "$OUT" | printed_order)" "mathx util "
run "${MK[@]}" calc_PKGINIT_DEPS=uses update-init-lock-calc
expect_match "... update-init-lock-calc passes it to check" "$OUT" 'pkginit check --update +--deps uses'
run "${MK[@]}" calc_PKGINIT_DEPS=uses check-init-calc
expect_rc "... and check-init-calc agrees" 0
expect_match "... the lock records the mode" "$(cat init.lock.yaml)" '^deps: uses$' 

done_testing
