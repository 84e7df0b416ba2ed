#!/usr/bin/env bash
# --diagnostics-format sarif on link, gen and check: each log is valid
# SARIF 2.1.0 (against the schema, tests/sarif_check.py) and puts every
# diagnostic on the lines that cause it: a cycle with each of its edges,
# an invalid init function, a lock mismatch on the lock's line and the
# source's, an unsafe order with its read and write; notes without a place join their result's message; errors
# without one are tool notifications; the exit status is kept.  The log
# goes to stdout or to --diagnostics-output FILE, whole or not at all;
# text diagnostics still go to stderr, the same as without the option.
. "$(dirname "$0")/../lib.sh"
CHECK="/usr/bin/python3 $TOP/tests/sarif_check.py"
scratch sarif
write main.c <<'C'
#include <pkginit.h>
#include "ping/ping.h"
PKG_INIT void main_init(void) {}
int main(void) { return 0; }
C
write ping/ping.h <<'C'
#pragma once
#include "pong/pong.h"
void ping(void);
C
write ping/ping.c <<'C'
#include <pkginit.h>
#include "ping/ping.h"
PKG_INIT void ping_init(void) {}
C
write pong/pong.h <<'C'
#pragma once
#include "ping/ping.h"
void pong(void);
C
write pong/pong.c <<'C'
#include <pkginit.h>
#include "pong/pong.h"
PKG_INIT void pong_init(void) {}
C
CF="-I. -I$RTINC"
SRCS="main.c ping/ping.c pong/pong.c"
valid() {               # valid NAME LOG
	local p
	p=$($CHECK validate "$2")
	if [ $? -eq 0 ]; then ok "$1: valid SARIF 2.1.0"; else
		not_ok "$1: valid SARIF 2.1.0"; printf '%s\n' "$p" | sed 's/^/#   /'; fi
}
summary() { $CHECK summary "$1"; }

# gen, a cycle: the log on stdout.
run "$PKGINIT" gen --diagnostics-format sarif -o t.c $SRCS -- $CF
expect_rc "gen, a cycle: status 1 as without SARIF" 1
printf '%s\n' "$OUT" >gen.sarif
valid "gen, a cycle" gen.sarif
expect_eq "gen, a cycle: the result and each edge" "$(summary gen.sarif)" \
"result import-cycle error ping/ping.h:2 | import cycle not allowed
  related ping/ping.h:2 | ping imports pong (includes pong/pong.h)
  related pong/pong.h:2 | pong imports ping (includes ping/ping.h)
invocation exit=1 successful=true"
text_err=$ERR
run "$PKGINIT" gen -o t.c $SRCS -- $CF
expect_eq "gen, a cycle: stderr as without SARIF" "$text_err" "$ERR"
expect_eq "gen, a cycle: without SARIF, nothing on stdout" "$OUT" ""
run "$PKGINIT" gen --diagnostics-format text -o t.c $SRCS -- $CF
expect_eq "--diagnostics-format text is the default" "$OUT|$ERR" "|$text_err"
[ ! -e t.c ] && ok "gen, a cycle: no table" || not_ok "gen, a cycle: no table"

# link, the same cycle, the log to a file.
for f in $SRCS; do "$PKGINIT" scan -o "$(basename "$f" .c).rec" "$f" -- $CF || exit 1; done
RECS="main.rec ping.rec pong.rec"
run "$PKGINIT" link --diagnostics-format sarif --diagnostics-output out/link.sarif -o t.c $RECS
expect_rc "link, into a missing directory: status 3" 3
expect_match "... says so" "$ERR" "^pkginit: error: cannot .*'out/link.sarif'"
[ ! -e t.c ] && ok "... before writing anything" || not_ok "... before writing anything"
run "$PKGINIT" link --diagnostics-format sarif --diagnostics-output link.sarif -o t.c $RECS
expect_rc "link, a cycle: status 1" 1
expect_eq "link --diagnostics-output: nothing on stdout" "$OUT" ""
valid "link, a cycle" link.sarif
expect_eq "link: the same results as gen" "$(summary link.sarif)" "$(summary gen.sarif)"
expect_eq "link --diagnostics-output: no temporary left" "$(ls -A | grep -c '\.tmp\.')" "0"

# An invalid init function, found by the scan, at its line and column.
write pong/pong.h <<'C'
#pragma once
void pong(void);
C
write pong/bad.c <<'C'
#include <pkginit.h>
static PKG_INIT void bad_init(void) {}
C
run "$PKGINIT" gen --diagnostics-format sarif -o t.c $SRCS pong/bad.c -- $CF
expect_rc "gen, an invalid init function: status 1" 1
printf '%s\n' "$OUT" >bad.sarif
valid "gen, an invalid init function" bad.sarif
expect_match "... is rule invalid-init at its place" "$(summary bad.sarif)" \
	"^result invalid-init error pong/bad.c:2:22 \| 'bad_init' is marked PKG_INIT but is static"
rm pong/bad.c

# Several failing TUs under -j: the results in input order, as the text
# is, whichever thread finishes first.  The first TU is slow to parse (a
# header of 20,000 declarations), so on 2 threads the others finish
# before it.
mkdir -p many
for i in $(seq 20000); do echo "int many_decl_$i(int);"; done >many/big.h
printf '#include <pkginit.h>\n#include "many/big.h"\nstatic PKG_INIT void slow_init(void) {}\n' >many/slow.c
MANY=many/slow.c
for i in 1 2 3 4 5; do
	printf '#include <pkginit.h>\nstatic PKG_INIT void fast%s_init(void) {}\n' "$i" >"many/fast$i.c"
	MANY="$MANY many/fast$i.c"
done
run "$PKGINIT" gen --no-cache -j1 --diagnostics-format sarif -o t.c $MANY -- $CF
printf '%s\n' "$OUT" >many1.sarif
expect_eq "six failing TUs, -j1: a result each, in input order" \
	"$(summary many1.sarif | sed -n 's/^result invalid-init error \([^:]*\):.*/\1/p' | tr '\n' ' ')" \
	"many/slow.c many/fast1.c many/fast2.c many/fast3.c many/fast4.c many/fast5.c "
text1=$ERR
run "$PKGINIT" gen --no-cache -j2 --diagnostics-format sarif -o t.c $MANY -- $CF
printf '%s\n' "$OUT" >many2.sarif
expect_eq "... -j2: the same log" "$(summary many2.sarif)" "$(summary many1.sarif)"
expect_eq "... and the same text" "$ERR" "$text1"
rm -rf many

# check: a pass, then a mismatch, on the lock's line and the source's.
run "$PKGINIT" check --expect init.lock.yaml --update $SRCS -- $CF
expect_rc "check --update" 0
run "$PKGINIT" check --diagnostics-format sarif --expect init.lock.yaml $SRCS -- $CF
expect_rc "check, the same order: status 0" 0
printf '%s\n' "$OUT" >pass.sarif
valid "check, a pass" pass.sarif
expect_eq "check, a pass: no result" "$(summary pass.sarif)" "invocation exit=0 successful=true"
write aaa/aaa.c <<'C'
#include <pkginit.h>

PKG_INIT void aaa_init(void) {}
C
run "$PKGINIT" check --diagnostics-format sarif --expect init.lock.yaml $SRCS aaa/aaa.c -- $CF
expect_rc "check, another order: status 1" 1
printf '%s\n' "$OUT" >mismatch.sarif
valid "check, another order" mismatch.sarif
first=$(grep -n -m1 'path: ' init.lock.yaml)     # LINE:  - path: PKG
line=${first%%:*} pkg=${first##* }
expect_eq "check, another order: at the lock, with both lines and the advice" \
	"$(summary mismatch.sarif)" \
"result lock-mismatch error init.lock.yaml | the init order differs from the lock file / if the new order is intended, rerun with --update and commit init.lock.yaml
  related init.lock.yaml:$line:5 | the lock file has package '$pkg' here
  related aaa/aaa.c:3:15 | the computed order has package 'aaa' here
invocation exit=1 successful=true"
expect_match "... the diff goes to stderr" "$ERR" '^\+ aaa$'
run "$PKGINIT" check --expect init.lock.yaml $SRCS aaa/aaa.c -- $CF
expect_match "without SARIF the diff is on stdout" "$OUT" '^\+ aaa$'
expect_match "... and the notes name both lines" "$ERR" \
	"^init.lock.yaml:$line:5: note: the lock file has package '$pkg' here$"

# A bad input: a result at its place; one that cannot be read at all, a
# tool notification.
echo 'not a record' >bogus.rec
run "$PKGINIT" link --diagnostics-format sarif -o t.c bogus.rec
expect_rc "link, a bad record: status 3" 3
printf '%s\n' "$OUT" >bogus.sarif
valid "link, a bad record" bogus.sarif
expect_eq "... a result at its line, a failed execution" "$(summary bogus.sarif)" \
"result error error bogus.rec:1:1 | not a pkginit file: expected a mapping with 'pkginit: 1' at the top level
invocation exit=3 successful=false"
run "$PKGINIT" link --diagnostics-format sarif -o t.c missing.rec
expect_rc "link, a missing record: status 3" 3
printf '%s\n' "$OUT" >missing.sarif
valid "link, a missing record" missing.sarif
expect_eq "... a notification" "$(summary missing.sarif)" \
"notification error | cannot read 'missing.rec': No such file or directory
invocation exit=3 successful=false"

# Usage.
run "$PKGINIT" link --diagnostics-output x.sarif -o t.c $RECS
expect_rc "--diagnostics-output without sarif: status 2" 2
expect_match "... says why" "$ERR" '^pkginit: error: --diagnostics-output needs --diagnostics-format sarif$'
run "$PKGINIT" gen --diagnostics-format sarif -o - $SRCS -- $CF
expect_rc "the table and the log both on stdout: status 2" 2
expect_match "... says what to do" "$ERR" 'give --diagnostics-output FILE'
run "$PKGINIT" check --diagnostics-format json --expect init.lock.yaml $SRCS -- $CF
expect_rc "an unknown format: status 2" 2
expect_match "... names the choices" "$ERR" "text.*sarif"
run "$PKGINIT" gen --help
expect_match "gen --help lists the option" "$OUT" '--diagnostics-format text\|sarif'

# An unsafe order (--deps include, verified): at the init function that
# runs too early, with the read and the write as related locations.
scratch sarif-unsafe
write a/a.c <<'C'
#include <pkginit.h>
extern int b_value;
int a_copy;
PKG_INIT void a_init(void) { a_copy = b_value; }
C
write b/b.c <<'C'
#include <pkginit.h>
int b_value;
PKG_INIT void b_init(void) { b_value = 42; }
C
write main.c <<'C'
#include <pkginit.h>
int main(void) { return 0; }
C
run "$PKGINIT" gen --diagnostics-format sarif -o t.c main.c a/a.c b/b.c -- -I$RTINC
expect_rc "gen, an unsafe order: status 1" 1
printf '%s\n' "$OUT" >unsafe.sarif
valid "gen, an unsafe order" unsafe.sarif
expect_eq "gen, an unsafe order: the chain as related locations" \
	"$(summary unsafe.sarif | grep -v '^invocation' | sed 's/ | .*//')" \
"result unsafe-order error a/a.c:4:15
  related a/a.c:4:15
  related a/a.c:4:39
  related b/b.c:3:30"
expect_match "... which name the read and the write" "$(summary unsafe.sarif)" \
	"^  related b/b.c:3:30 \| 'b_init' writes 'b_value'$"

done_testing
