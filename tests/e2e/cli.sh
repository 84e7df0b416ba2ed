#!/usr/bin/env bash
# The command line: help, version, and every usage error (exit 2) or
# unreadable input (exit 3), each with its message.
. "$(dirname "$0")/../lib.sh"
scratch cli
write p/a.c <<'C'
int main(void) { return 0; }
C

run "$PKGINIT"
expect_rc "no command is a usage error" 2
expect_match "no command prints usage" "$ERR" '^usage: pkginit <command>'

run "$PKGINIT" frobnicate
expect_rc "unknown command" 2
expect_match "unknown command named" "$ERR" "^pkginit: error: unknown command 'frobnicate'$"

run "$PKGINIT" --version
expect_rc "--version" 0
expect_match "--version prints the version" "$OUT" '^pkginit [0-9]+\.[0-9]+\.[0-9]+ '

run "$PKGINIT" --help
expect_rc "--help" 0
expect_match "--help lists the commands" "$OUT" '^  check '

for c in scan link gen check graph; do
	run "$PKGINIT" $c --help
	expect_rc "$c --help exits 0" 0
	expect_match "$c --help shows usage" "$OUT" "^usage: pkginit $c "
	expect_match "$c --help lists -h" "$OUT" '^  -h, --help'
	run "$PKGINIT" $c --no-such-option x
	expect_rc "$c: unknown option is exit 2" 2
	expect_match "$c: unknown option named" "$ERR" "^pkginit: error: unknown option '--no-such-option'$"
	expect_match "$c: points at --help" "$ERR" "^Try 'pkginit $c --help' for more information.$"
done

for c in scan link gen graph; do
	run "$PKGINIT" $c
	expect_rc "$c with no inputs is exit 2" 2
done
run "$PKGINIT" check --expect lock.yaml
expect_rc "check with no inputs is exit 2" 2

run "$PKGINIT" scan p/a.c -o
expect_rc "option missing its value" 2
expect_match "missing value named" "$ERR" "option '-o' needs a value \(REC\)"

run "$PKGINIT" scan p/a.c p/a.c
expect_rc "scan takes one file" 2
expect_match "scan one file message" "$ERR" 'scan takes exactly one FILE.c \(got 2\)'

run "$PKGINIT" scan --root nowhere p/a.c
expect_rc "missing --root" 2
expect_match "missing root named" "$ERR" "--root 'nowhere': No such file or directory"

run "$PKGINIT" scan --root p/a.c p/a.c
expect_rc "--root that is a file" 2
expect_match "root not a directory" "$ERR" "--root 'p/a.c': not a directory"

run "$PKGINIT" gen -j 0 p/a.c
expect_rc "-j 0 is a usage error" 2
expect_match "-j range named" "$ERR" "option '-j' needs a whole number from 1 to 4096, not '0'"
run "$PKGINIT" gen -jx p/a.c
expect_rc "-jx is a usage error" 2
expect_match "-jx names the option, not the glued value" "$ERR" "option '-j' needs a whole number from 1 to 4096, not 'x'"
run "$PKGINIT" gen --jobs=x p/a.c
expect_match "--jobs=x names --jobs" "$ERR" "option '--jobs' needs a whole number from 1 to 4096, not 'x'"

run "$PKGINIT" gen --order=random p/a.c
expect_rc "bad --order" 2
expect_match "bad --order named" "$ERR" "--order must be 'lex' or 'import', not 'random'"

run "$PKGINIT" graph --format=svg p/a.c
expect_rc "bad --format" 2
expect_match "bad --format named" "$ERR" "--format must be 'text', 'dot' or 'yaml', not 'svg'"

run "$PKGINIT" check p/a.c
expect_rc "check needs --expect" 2
expect_match "check --expect named" "$ERR" "--expect LOCK.yaml is required"

run "$PKGINIT" link p/a.c
expect_rc "link refuses sources" 2
expect_match "link says use gen" "$ERR" "'p/a.c' is a C source; link reads scan records"

run "$PKGINIT" gen a.rec
expect_rc "gen refuses records" 2
expect_match "gen says use link" "$ERR" "'a.rec' is not a C source"

run "$PKGINIT" graph a.rec p/a.c
expect_rc "mixed inputs" 2
expect_match "mixed inputs message" "$ERR" "give either scan records or .c files, not both"

run "$PKGINIT" link --order=lex -- -DX a.rec
expect_rc "link with compiler flags" 2

run "$PKGINIT" link missing.rec
expect_rc "missing record is exit 3" 3
expect_match "missing record named" "$ERR" "cannot read 'missing.rec': No such file or directory"

run "$PKGINIT" scan missing.c
expect_rc "missing source is exit 3" 3
expect_match "missing source named" "$ERR" "missing.c"
[ ! -e missing.rec ] && ok "no record for a missing source" || not_ok "no record for a missing source"

run "$PKGINIT" check --expect missing.lock p/a.c
expect_rc "missing lock file is exit 3" 3
expect_match "missing lock suggests --update" "$ERR" "note: to create the lock file, run the same command with --update"

done_testing
