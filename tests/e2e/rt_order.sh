#!/usr/bin/env bash
# rt_order.sh - the tool and the runtime together: `pkginit gen` writes the
# table and the report; the program linked with the runtime runs its init
# functions in exactly the report's order (both order modes), and
# inittrace names the packages in that order.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

if ! [ -x "$PKGINIT" ] || ! "$PKGINIT" gen --help >/dev/null 2>&1; then
	ok "init order equals the report's # SKIP $PKGINIT gen is not available"
	done_testing
fi

scratch order
# Lex order and import order differ here.  lex: of the packages whose
# imports are done, the first by path: log b z a main.  import: depth-first
# from main (z, then a), b last as an unreachable package: log z a b main.
write log/log.h <<'C'
void log_msg(const char *s);
C
write log/log.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "log/log.h"
void log_msg(const char *s) { printf("%s\n", s); }
PKG_INIT void log_init(void) { log_msg("log_init"); }
C
write z/z.h <<'C'
#include "log/log.h"
C
write z/z.c <<'C'
#include <pkginit.h>
#include "z/z.h"
PKG_INIT void z_init(void) { log_msg("z_init"); }
PKG_INIT void z_init2(void) { log_msg("z_init2"); }
C
write a/a.h <<'C'
#include "z/z.h"
C
write a/a.c <<'C'
#include <pkginit.h>
#include "a/a.h"
PKG_INIT void a_init(void) { log_msg("a_init"); }
C
write b/b.c <<'C'
#include <pkginit.h>
#include "log/log.h"
PKG_INIT void b_init(void) { log_msg("b_init"); }
C
write main.c <<'C'
#include <pkginit.h>
#include "z/z.h"
#include "a/a.h"
PKG_INIT void main_init(void) { log_msg("main_init"); }
int main(void) { log_msg("main"); return 0; }
C
SRCS="main.c a/a.c b/b.c log/log.c z/z.c"

for mode in lex import; do
	run "$PKGINIT" gen --order=$mode -o inittab_$mode.c --report report_$mode.yaml $SRCS -- -I. -I"$RTINC"
	expect_rc "$mode: pkginit gen" 0
	rm -f ./*.o a/*.o b/*.o log/*.o z/*.o
	if rtbuild prog_$mode cc -I. -I"$RTINC" -- $SRCS inittab_$mode.c; then
		ok "$mode: links with the runtime"
	else
		not_ok "$mode: links with the runtime"; sed 's/^/#   /' link.err
	fi
	run env PKGRT_DEBUG=inittrace=1 ./prog_$mode
	expect_rc "$mode: runs" 0
	want_inits=$(sed -n 's/^ *- {name: \([^,]*\),.*/\1/p' report_$mode.yaml | tr -d '"')
	expect_eq "$mode: the init functions run in the report's order" "$OUT" "$want_inits
main"
	want_pkgs=$(awk '/^  - path: /{p=$3} /^    inits:$/{if (p != "") print p}' report_$mode.yaml | tr -d '"')
	got_pkgs=$(printf '%s\n' "$ERR" | sed -n 's/^init \([^ ]*\) @.*/\1/p')
	expect_eq "$mode: inittrace names the packages in the report's order" "$got_pkgs" "$want_pkgs"
done
expect_eq "lex mode: by path among the ready packages" \
	"$(sed -n 's/^  - path: //p' report_lex.yaml | tr '\n' ' ')" "log b z a main "
expect_eq "... import mode is depth-first" \
	"$(sed -n 's/^  - path: //p' report_import.yaml | tr '\n' ' ')" "log z a b main "

done_testing
