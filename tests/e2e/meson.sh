#!/usr/bin/env bash
# samples/meson with Debian's meson and ninja, from a fresh copy of the
# sample: dependency('pkgrt'), a scan step per source, the tables of the
# program and of its shared library; the order the program prints =
# inittrace = the reports = the lock; a touched header rescans exactly its
# includers and recompiles no table while the order stands; `meson test`
# fails on a changed order and the update-init-lock target fixes it.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/buildsys.sh"

if ! command -v meson >/dev/null || ! command -v ninja >/dev/null; then
	not_ok "meson and ninja are installed (make deps)"; done_testing
fi
scanned() { sed -n 's/.*pkginit scan .* -o \([^ ]*\) .*/\1/p' | sort | tr '\n' ' '; }

fresh_sample meson
setup=(meson setup b --pkg-config-path "$BUILD/lib/pkgconfig")
[ -n "$SAN_FLAGS" ] && setup+=("-Dc_link_args=$SAN_FLAGS")
run "${setup[@]}"
expect_rc "meson setup finds dependency('pkgrt')" 0
run meson compile -C b
expect_rc "meson compile" 0
run ./b/shapes
expect_eq "the program runs, the shared library's package first" "$OUT" "init mathx
init text
init app
shapes: hello, size 12"
printed=$(echo "$OUT" | printed_order)
run env PKGRT_DEBUG=inittrace=1 ./b/shapes
expect_eq "inittrace = what the program printed" "$(echo "$ERR" | trace_order)" "mathx text app "
expect_match "inittrace names libmathx.so's table" "$ERR" '^init module libmathx.so \(shared library, 1 task\)$'
expect_eq "the reports (libmathx.so, shapes) = that order" \
	"$(report_order b/mathx-init.yaml b/shapes-init.yaml)" "$printed"
expect_eq "the program's report = the committed lock" \
	"$(report_order b/shapes-init.yaml)" "$(report_order init.lock.yaml)"
run meson test -C b
expect_rc "meson test: the check passes on the committed lock" 0

run meson compile -C b
expect_match "a second compile does nothing" "$OUT" "ninja: no work to do."

sleep 1; touch text/text.h
run meson compile -C b -v
expect_eq "touching text/text.h rescans app/app.c and text/text.c only" \
	"$(echo "$OUT" | scanned)" "app_app_c.rec text_text_c.rec "
if echo "$OUT" | grep -q -- '-c [^ ]*shapes-inittab.c'; then
	not_ok "... and does not recompile the unchanged table"
else ok "... and does not recompile the unchanged table"; fi

sed -i 's|#include "text/text.h"|const char *text_greeting(void);|' app/app.c
run meson compile -C b -v
if echo "$OUT" | grep -q -- '-c [^ ]*shapes-inittab.c'; then ok "a changed order recompiles the table"
else not_ok "a changed order recompiles the table"; fi
run ./b/shapes
expect_eq "... which runs in the new order" "$(echo "$OUT" | printed_order)" "mathx app text "
run meson test -C b
expect_rc "meson test fails on the changed order" 1
run meson compile -C b update-init-lock
expect_rc "update-init-lock" 0
run meson test -C b
expect_rc "meson test passes after the update" 0

done_testing
