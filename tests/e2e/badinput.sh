#!/usr/bin/env bash
# badinput.sh - every error the pkginit command can answer with, each
# asserted three ways: the exit status, the exact message, and that no
# output was created or changed.
#
# Each case runs in the same project, beside outputs left by an earlier
# good run (a table, a report, a record, a depfile, a lock file, a graph)
# and asserts that after the failed run every file in the project is
# byte-for-byte and timestamp-for-timestamp what it was, that no file
# appeared, and that nothing went to stdout.  The scan cache is left out
# of that comparison: it is a cache, and storing the scan of a TU that
# parsed is right even when the run fails later.
#
# The cases follow the code: the usage errors of the option parser and of
# each command, unreadable and malformed inputs (records, lock files,
# pkginit.yaml, compilation databases) with one case per check of the
# YAML and JSON readers, the order errors of graph.c and order.c, and
# outputs that cannot be written.  What cli.sh, pipeline.sh and check.sh
# already assert about a message is not repeated unless the check of the
# outputs adds something.
. "$(dirname "$0")/../lib.sh"
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
scratch badinput
CF="-I. -I$RTINC"

write a/a.h <<'C'
void a_init(void);
C
write a/a.c <<'C'
#include <pkginit.h>
#include "a/a.h"
PKG_INIT void a_init(void) {}
C
write p/main.c <<'C'
#include <pkginit.h>
#include "a/a.h"
int main(void) { return 0; }
C
write q/main.c <<'C'
int main(void) { return 1; }
C
write bad/static.c <<'C'
#include <pkginit.h>
PKG_INIT static void hidden_init(void) {}
C
write bad/returns.c <<'C'
#include <pkginit.h>
PKG_INIT long returns_init(void) { return 0; }
C
write bad/params.c <<'C'
#include <pkginit.h>
PKG_INIT void params_init(int argc) { (void)argc; }
C
write bad/noproto.c <<'C'
#include <pkginit.h>
PKG_INIT void noproto_init() {}
C
write bad/undefined.c <<'C'
#include <pkginit.h>
PKG_INIT void undefined_init(void);
C
write bad/inheader.h <<'C'
#include <pkginit.h>
PKG_INIT void inheader_init(void) {}
C
write bad/inheader.c <<'C'
#include "bad/inheader.h"
C
write bad/path.c <<'C'
#include <pkginit.h>
PKG_IMPORT("../up");
C
write bad/annotation.c <<'C'
_Static_assert(1, "pkginit:export:x");
C
write bad/syntax.c <<'C'
int x = ;
C
write bad/include.c <<'C'
#include "bad/nothere.h"
C
for f in a/a.c p/main.c q/main.c; do
	"$PKGINIT" scan --no-cache -o "$(basename "$(dirname "$f")").rec" "$f" -- $CF ||
		{ not_ok "setup: scan $f"; done_testing; }
done
# The outputs of a good run, which every failure below must leave alone.
"$PKGINIT" link -o out.c --report out.yaml a.rec p.rec &&
	"$PKGINIT" scan --no-cache -o out.rec -MF out.d a/a.c -- $CF &&
	"$PKGINIT" check --update --expect lock.yaml a.rec p.rec 2>/dev/null &&
	"$PKGINIT" graph -o out.dot --format dot a.rec p.rec ||
	{ not_ok "setup: the good run"; done_testing; }
mkdir -p adir
touch -d '2001-02-03 04:05:06' out.c out.yaml out.rec out.d lock.yaml out.dot

# The golden messages (after "exit"), snapshot and bad: tests/lib.sh.
load_messages "$SELF"

# ---- the command line ------------------------------------------------------

bad "unknown command" 2 "$PKGINIT" frobnicate
bad "unknown long option" 2 "$PKGINIT" link -o out.c --bogus a.rec p.rec
bad "unknown short option" 2 "$PKGINIT" link -o out.c -Z a.rec p.rec
bad "option missing its value" 2 "$PKGINIT" link a.rec p.rec -o
bad "a flag given a value" 2 "$PKGINIT" gen --no-cache=yes -o out.c a/a.c p/main.c -- $CF
bad "-j 0" 2 "$PKGINIT" gen -j 0 -o out.c a/a.c p/main.c -- $CF
bad "-j above 4096" 2 "$PKGINIT" gen -j 4097 -o out.c a/a.c p/main.c -- $CF
bad "-j not a number" 2 "$PKGINIT" gen -jx -o out.c a/a.c p/main.c -- $CF
bad "--order unknown" 2 "$PKGINIT" link --order=random -o out.c a.rec p.rec
bad "--driver unknown" 2 "$PKGINIT" link --driver=init -o out.c a.rec p.rec
bad "graph --format unknown" 2 "$PKGINIT" graph --format=svg -o out.dot a.rec p.rec
bad "graph --order unknown" 2 "$PKGINIT" graph --order=x -o out.dot a.rec p.rec

bad "scan: no input" 2 "$PKGINIT" scan -o out.rec
bad "scan: two inputs" 2 "$PKGINIT" scan -o out.rec --root . a/a.c p/main.c
bad "scan: --root missing" 2 "$PKGINIT" scan -o out.rec --root nowhere a/a.c -- $CF
bad "scan: --root a file" 2 "$PKGINIT" scan -o out.rec --root a/a.c a/a.c -- $CF
bad "link: no input" 2 "$PKGINIT" link -o out.c
bad "link: compiler flags" 2 "$PKGINIT" link -o out.c a.rec p.rec -- -DX
bad "link: a C source" 2 "$PKGINIT" link -o out.c a.rec p/main.c
bad "graph: --root with records" 2 "$PKGINIT" graph -o out.dot --root . a.rec p.rec
bad "gen: a record" 2 "$PKGINIT" gen -o out.c a.rec
bad "graph: records and sources" 2 "$PKGINIT" graph -o out.dot a.rec p/main.c
bad "graph: flags without sources" 2 "$PKGINIT" graph -o out.dot a.rec -- -DX
bad "check: no input" 2 "$PKGINIT" check --expect lock.yaml
bad "check: no lock file named" 2 "$PKGINIT" check a.rec p.rec
bad "gen: -p and --compdb" 2 "$PKGINIT" gen -o out.c -p . --compdb x.json

# ---- inputs that cannot be read --------------------------------------------

bad "scan: missing source" 3 "$PKGINIT" scan -o out.rec missing.c -- $CF
bad "scan: syntax error" 3 "$PKGINIT" scan -o out.rec bad/syntax.c -- $CF
bad "scan: missing header" 3 "$PKGINIT" scan -o out.rec bad/include.c -- $CF
bad "gen: one TU of two does not parse" 3 "$PKGINIT" gen --no-cache -o out.c a/a.c bad/syntax.c -- $CF
bad "link: missing record" 3 "$PKGINIT" link -o out.c a.rec missing.rec
bad "link: a directory as a record" 3 "$PKGINIT" link -o out.c a.rec adir
bad "check: missing lock file" 3 "$PKGINIT" check --expect missing.yaml a.rec p.rec
bad "--config missing" 3 "$PKGINIT" link --config missing.yaml -o out.c a.rec p.rec

# ---- records: each check of the YAML reader, then the record's own --------

# yrec NAME TEXT: a record file NAME.rec holding TEXT (printf's escapes).
yrec() { printf -- "$2" >"$1.rec"; }
HDR='pkginit: 1\nkind: scan\n'
REC="${HDR}tu: x/x.c\nroots: [.]\ndefines_main: false\nfiles:\n  - {path: x/x.c, name: x/x.c, package: x}\ninits: []\nimports: []\npackages: []\nincludes: []\ndeps: []\n"
yrec empty ''
yrec syntax 'pkginit: [1\n'
yrec encoding 'pkginit: 1\nkind: \xff\n'
yrec anchor "${HDR}tu: &t x/x.c\n"
yrec alias "${HDR}tu: *t\n"
yrec tag "${HDR}tu: !!str x/x.c\n"
yrec nul "${HDR}tu: \"x\\\\0y\"\n"
yrec twodocs "${REC}---\npkginit: 1\n"
yrec deep "${HDR}tu: $(printf '%.0s[' {1..70})$(printf '%.0s]' {1..70})\n"
yrec dupkey "${HDR}kind: scan\n"
yrec seqkey "${HDR}? [a]\n: 1\n"
yrec notmap '- 1\n'
yrec noversion 'kind: scan\n'
yrec badversion 'pkginit: one\nkind: scan\n'
yrec newversion 'pkginit: 2\nkind: scan\n'
yrec wrongkind 'pkginit: 1\nkind: report\n'
yrec unknownfield "${REC}colour: blue\n"
yrec missingfield "$(printf "$REC" | grep -v '^tu:')\n"
yrec tuseq "$(printf "$REC" | sed 's/^tu: .*/tu: [x]/')\n"
yrec tunull "$(printf "$REC" | sed 's/^tu: .*/tu: ~/')\n"
yrec mainbool "$(printf "$REC" | sed 's/^defines_main: .*/defines_main: yes/')\n"
yrec filesmap "$(printf "$REC" | sed '/^  - {path: x/d; s/^files:.*/files: {}/')\n"
yrec badline "${REC/inits: []/inits: [{name: f, file: x/x.c, line: 0, column: 1\}]}"
yrec initfile "${REC/inits: []/inits: [{name: f, file: y/y.c, line: 1, column: 1\}]}"
yrec filetwice "$(printf "$REC" | sed 's/^\(  - {path: x.*\)/\1\\n\1/')\n"
yrec mainfalse "${REC}main: {file: x/x.c, line: 1, column: 1}\n"
yrec mainfile "${REC/defines_main: false/defines_main: true\\nmain: {file: y/y.c, line: 1, column: 1\}}"
for r in empty syntax encoding anchor alias tag nul twodocs deep dupkey seqkey notmap \
	noversion badversion newversion wrongkind unknownfield missingfield tuseq tunull \
	mainbool filesmap badline initfile filetwice mainfalse mainfile; do
	bad "record $r" 3 "$PKGINIT" link -o out.c --report out.yaml a.rec "$r.rec" p.rec
done

# ---- lock files ------------------------------------------------------------

# lock NAME: a lock file lock-NAME.yaml from stdin.
lock() { cat >"lock-$1.yaml"; }
lock order <<'EOF'
pkginit: 1
kind: lock
order: random
packages: []
EOF
lock kind <<'EOF'
pkginit: 1
kind: scan
order: lex
packages: []
EOF
lock main <<'EOF'
pkginit: 1
kind: lock
order: lex
main: nowhere
packages: []
EOF
lock import <<'EOF'
pkginit: 1
kind: lock
order: lex
packages:
  - {path: a, imports: [b], inits: []}
EOF
lock twice <<'EOF'
pkginit: 1
kind: lock
order: lex
packages:
  - {path: a, imports: [], inits: []}
  - {path: a, imports: [], inits: []}
EOF
lock init <<'EOF'
pkginit: 1
kind: lock
order: lex
packages:
  - {path: a, imports: [], inits: [{name: a_init, file: a/a.c}]}
EOF
lock stale <<'EOF'
pkginit: 1
kind: lock
order: lex
main: main
packages:
  - {path: main, imports: [], inits: []}
  - {path: a, imports: [], inits: []}
EOF
touch -d '2001-02-03 04:05:06' lock-*.yaml
for l in order kind main import twice init; do
	bad "lock file: $l" 3 "$PKGINIT" check --expect "lock-$l.yaml" a.rec p.rec
done
bad "check --update: a lock that does not read" 3 \
	"$PKGINIT" check --update --expect lock-twice.yaml a.rec p.rec
bad "check --update: the lock path is a directory" 3 \
	"$PKGINIT" check --update --expect adir q.rec

# ---- pkginit.yaml ----------------------------------------------------------

# cfg NAME TEXT: a configuration NAME.yaml after the header.
cfg() { printf 'pkginit: 1\nkind: config\n%b' "$2" >"cfg-$1.yaml"; }
cfg noroots 'roots: []\n'
cfg rootmissing 'roots: [nowhere]\n'
cfg rootfile 'roots: [a/a.c]\n'
cfg noglob 'packages:\n  - {files: [], package: x}\n'
cfg globabs 'packages:\n  - {files: /a/*.c, package: x}\n'
cfg glob3 'packages:\n  - {files: "a/***", package: x}\n'
cfg globempty 'exclude: ["a//b"]\n'
cfg globdot 'exclude: ["a/../b"]\n'
cfg globslash 'exclude: ["a/"]\n'
cfg globmany 'exclude: ["*/*/*/*/*/*/*/*/*/*"]\n'
cfg globnone 'exclude: [""]\n'
cfg dollar 'packages:\n  - {files: "src/*.c", package: "x$"}\n'
cfg dollar2 'packages:\n  - {files: "src/*.c", package: "x/$2"}\n'
cfg badpkg 'packages:\n  - {files: "src/*.c", package: "../x"}\n'
cfg order 'order: random\n'
cfg field 'exlude: [x]\n'
cfg rulefield 'packages:\n  - {files: "*.c", pkg: x}\n'
for c in noroots rootmissing rootfile noglob globabs glob3 globempty globdot globslash \
	globmany globnone dollar dollar2 badpkg order field rulefield; do
	bad "pkginit.yaml: $c" 3 "$PKGINIT" link --config "cfg-$c.yaml" -o out.c a.rec p.rec
done

# ---- compilation databases -------------------------------------------------

mkdir -p nodb
printf '[{"directory": ".", "file": "a/a.c", "arguments": ["cc", "-c", "a/a.c"]}' >db-open.json
printf '{"directory": "."}' >db-object.json
printf '[1]' >db-item.json
printf '[{"directory": ".", "file": "a/a.c"}]' >db-nocommand.json
printf '[{"directory": ".", "file": 7, "command": "cc -c a/a.c"}]' >db-filetype.json
printf '[{"directory": ".", "file": "a/a.c", "command": "cc -c a/a.c"}] x' >db-trailing.json
printf '[{"directory": ".", "file": "z.cpp", "command": "c++ -c z.cpp"}]' >db-noc.json
printf '[{"directory": ".", "file": "a/a.c", "command": "cc -I. -Iruntime -c a/a.c"}]' >db-good.json
bad "compdb: no compile_commands.json" 3 "$PKGINIT" gen -o out.c -p nodb
for j in open object item nocommand filetype trailing noc; do
	bad "compdb: $j" 3 "$PKGINIT" gen -o out.c --compdb "db-$j.json"
done
bad "compdb: a record operand" 2 "$PKGINIT" gen -o out.c --compdb db-good.json a.rec
bad "compdb: compiler flags" 2 "$PKGINIT" gen -o out.c --compdb db-good.json -- -DX
bad "compdb: a file it does not have" 2 "$PKGINIT" gen -o out.c --compdb db-good.json p/main.c

# ---- the program's order is wrong (exit 1) ---------------------------------

write cyc/c/c.h <<'C'
#pragma once
#include "cyc/d/d.h"
C
write cyc/d/d.h <<'C'
#pragma once
#include "cyc/c/c.h"
C
write cyc/main.c <<'C'
#include "cyc/c/c.h"
int main(void) { return 0; }
C
write dup/b/b.c <<'C'
#include <pkginit.h>
PKG_INIT void a_init(void) {}
C
write imp/x.c <<'C'
#include <pkginit.h>
PKG_IMPORT("nowhere");
C
write imp/m.c <<'C'
#include <pkginit.h>
PKG_IMPORT("main");
C
write main/x.c <<'C'
int x;
C
"$PKGINIT" scan --no-cache -o dup.rec dup/b/b.c -- $CF &&
	"$PKGINIT" scan --no-cache -o imp.rec imp/x.c -- $CF &&
	"$PKGINIT" scan --no-cache -o impmain.rec imp/m.c -- $CF &&
	"$PKGINIT" scan --no-cache -o mainpkg.rec main/x.c -- $CF ||
	not_ok "scan the records of the order errors"
REC2=${REC/tu: x\/x.c/tu: y.c}
yrec outside "${REC2/inits: []/inits: [{name: f, file: y.c, line: 1, column: 1\}]}"

for f in static returns params noproto undefined inheader path annotation; do
	bad "scan: bad/$f.c" 1 "$PKGINIT" scan -o out.rec "bad/$f.c" -- $CF
done
printf 'pkginit: 1\nkind: config\npackages:\n  - {files: "bad/*.c", package: "x/$1"}\n' >cfg-rule.yaml
write bad/.c <<'C'
int empty_name;
C
bad "scan: a rule that makes no package path" 1 \
	"$PKGINIT" scan --no-cache --config cfg-rule.yaml -o out.rec bad/.c -- $CF
bad "gen: an import cycle" 1 "$PKGINIT" gen --no-cache -o out.c --report out.yaml cyc/main.c -- $CF
bad "link: two mains" 1 "$PKGINIT" link -o out.c a.rec p.rec q.rec
bad "link: no main" 1 "$PKGINIT" link -o out.c a.rec
bad "link: --main of a package without main" 1 "$PKGINIT" link -o out.c --main a a.rec p.rec
bad "link: --main of no package" 1 "$PKGINIT" link -o out.c --main nowhere a.rec p.rec
bad "link: an init function defined twice" 1 "$PKGINIT" link -o out.c a.rec dup.rec p.rec
bad "link: PKG_IMPORT of an unknown package" 1 "$PKGINIT" link -o out.c a.rec imp.rec p.rec
bad "link: PKG_IMPORT of main" 1 "$PKGINIT" link -o out.c a.rec impmain.rec p.rec
bad "link: a package named main beside main" 1 "$PKGINIT" link -o out.c a.rec mainpkg.rec p.rec
bad "link: an init function outside every root" 1 "$PKGINIT" link -o out.c a.rec outside.rec p.rec

# A lock that differs: the diff is check's output, on stdout.
before=$(snapshot)
run "$PKGINIT" check --expect lock-stale.yaml a.rec p.rec
expect_rc "check: the order differs: exit status 1" 1
expect_msg "check: the order differs"
if [ -n "${DISCOVER:-}" ]; then
	printf '### %s\n%s\n' "check: the order differs: the diff" "$OUT" >&2
fi
expect_eq "check: the order differs: the diff" "$OUT" "${MSG[check: the order differs: the diff]-}"
expect_eq "check: the order differs: no output created or changed" "$(snapshot)" "$before"

# ---- outputs that cannot be written -----------------------------------------

bad "link -o a directory" 3 "$PKGINIT" link -o adir a.rec p.rec
bad "link -o in a missing directory" 3 "$PKGINIT" link -o nodir/t.c a.rec p.rec
bad "link --report on a full disk" 3 "$PKGINIT" link -o out.c --report /dev/full a.rec p.rec
bad "link -o on a full disk" 3 "$PKGINIT" link -o /dev/full --report out.yaml a.rec p.rec
bad "scan -MF on a full disk" 3 "$PKGINIT" scan --no-cache -o out.rec -MF /dev/full a/a.c -- $CF
bad "scan -o in a missing directory" 3 "$PKGINIT" scan --no-cache -o nodir/x.rec -MF out.d a/a.c -- $CF
bad "graph -o a directory" 3 "$PKGINIT" graph -o adir a.rec p.rec
bad "graph to a full stdout" 3 sh -c '"$0" graph a.rec p.rec >/dev/full' "$PKGINIT"

done_testing
exit
### unknown command
pkginit: error: unknown command 'frobnicate'
Try 'pkginit --help' for more information.
### unknown long option
pkginit: error: unknown option '--bogus'
Try 'pkginit link --help' for more information.
### unknown short option
pkginit: error: unknown option '-Z'
Try 'pkginit link --help' for more information.
### option missing its value
pkginit: error: option '-o' needs a value (TABLE.c)
Try 'pkginit link --help' for more information.
### a flag given a value
pkginit: error: option '--no-cache' takes no value
Try 'pkginit gen --help' for more information.
### -j 0
pkginit: error: option '-j' needs a whole number from 1 to 4096, not '0'
Try 'pkginit gen --help' for more information.
### -j above 4096
pkginit: error: option '-j' needs a whole number from 1 to 4096, not '4097'
Try 'pkginit gen --help' for more information.
### -j not a number
pkginit: error: option '-j' needs a whole number from 1 to 4096, not 'x'
Try 'pkginit gen --help' for more information.
### --order unknown
pkginit: error: --order must be 'lex' or 'import', not 'random'
Try 'pkginit link --help' for more information.
### --driver unknown
pkginit: error: --driver must be 'rt0', 'ctor', 'manual' or 'shlib', not 'init'
Try 'pkginit link --help' for more information.
### graph --format unknown
pkginit: error: --format must be 'text', 'dot' or 'yaml', not 'svg'
Try 'pkginit graph --help' for more information.
### graph --order unknown
pkginit: error: --order must be 'lex' or 'import', not 'x'
Try 'pkginit graph --help' for more information.
### scan: no input
pkginit: error: no input file
Try 'pkginit scan --help' for more information.
### scan: two inputs
pkginit: error: scan takes exactly one FILE.c (got 2)
Try 'pkginit scan --help' for more information.
### scan: --root missing
pkginit: error: --root 'nowhere': No such file or directory
Try 'pkginit scan --help' for more information.
### scan: --root a file
pkginit: error: --root 'a/a.c': not a directory
Try 'pkginit scan --help' for more information.
### link: no input
pkginit: error: no input files (give scan records)
Try 'pkginit link --help' for more information.
### link: compiler flags
pkginit: error: link takes scan records, not compiler flags
Try 'pkginit link --help' for more information.
### link: a C source
pkginit: error: 'p/main.c' is a C source; link reads scan records (use 'pkginit gen' to scan and link)
Try 'pkginit link --help' for more information.
### graph: --root with records
pkginit: error: --root applies when scanning .c files; scan records carry their roots
Try 'pkginit graph --help' for more information.
### gen: a record
pkginit: error: 'a.rec' is not a C source (.c); gen scans sources (use 'pkginit link' for scan records)
Try 'pkginit gen --help' for more information.
### graph: records and sources
pkginit: error: give either scan records or .c files, not both
Try 'pkginit graph --help' for more information.
### graph: flags without sources
pkginit: error: compiler flags after '--' need .c files to scan
Try 'pkginit graph --help' for more information.
### check: no input
pkginit: error: no input files (give scan records, .c files, or -p BUILD_DIR)
Try 'pkginit check --help' for more information.
### check: no lock file named
pkginit: error: --expect LOCK.yaml is required (or 'lock:' in pkginit.yaml)
Try 'pkginit check --help' for more information.
### gen: -p and --compdb
pkginit: error: give -p BUILD_DIR or --compdb FILE, not both
Try 'pkginit gen --help' for more information.
### scan: missing source
pkginit: error: cannot read 'missing.c': No such file or directory
### scan: syntax error
bad/syntax.c:1:9: error: expected expression
### scan: missing header
bad/include.c:1:10: error: 'bad/nothere.h' file not found
### gen: one TU of two does not parse
bad/syntax.c:1:9: error: expected expression
### link: missing record
pkginit: error: cannot read 'missing.rec': No such file or directory
### link: a directory as a record
pkginit: error: cannot read 'adir': Is a directory
### check: missing lock file
pkginit: error: cannot read 'missing.yaml': No such file or directory
pkginit: note: to create the lock file, run the same command with --update
### --config missing
pkginit: error: cannot read 'missing.yaml': No such file or directory
### record empty
empty.rec:1:1: error: the file is empty (no YAML document)
### record syntax
syntax.rec:2:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence started at line 1, column 10)
### record encoding
encoding.rec:2:7: error: invalid YAML: invalid leading UTF-8 octet (#xFF)
### record anchor
anchor.rec:3:5: error: anchors and aliases are not supported (found '&t')
### record alias
alias.rec:3:5: error: aliases are not supported (found '*t')
### record tag
tag.rec:3:5: error: tags are not supported (found 'tag:yaml.org,2002:str')
### record nul
nul.rec:3:5: error: a NUL character in a string is not supported
### record twodocs
twodocs.rec:13:1: error: a second YAML document is not supported (a file holds one document)
### record deep
deep.rec:3:68: error: nesting deeper than 64 levels is not supported
### record dupkey
dupkey.rec:3:1: error: duplicate key 'kind'
dupkey.rec:2:1: note: 'kind' first appears here
### record seqkey
seqkey.rec:3:3: error: a mapping key must be a string, not a sequence
### record notmap
notmap.rec:1:1: error: not a pkginit file: expected a mapping with 'pkginit: 1' at the top level
### record noversion
noversion.rec:1:1: error: not a pkginit file: missing field 'pkginit' (the format version)
### record badversion
badversion.rec:1:10: error: field 'pkginit' must be a positive integer (the format version)
### record newversion
newversion.rec:1:10: error: unsupported format version 2 (this pkginit reads version 1); regenerate the file with this pkginit
### record wrongkind
wrongkind.rec:2:7: error: wrong kind 'report': expected 'scan'
### record unknownfield
unknownfield.rec:13:1: error: unknown field 'colour'
### record missingfield
missingfield.rec:12:1: error: missing field 'tu'
### record tuseq
tuseq.rec:3:5: error: field 'tu' must be a string, not a sequence
### record tunull
tunull.rec:3:5: error: field 'tu' must be a string, not null
### record mainbool
mainbool.rec:5:15: error: field 'defines_main' must be true or false
### record filesmap
filesmap.rec:6:8: error: field 'files' must be a sequence, not a mapping
### record badline
badline.rec:8:38: error: field 'line' must be a positive integer
### record initfile
initfile.rec:8:25: error: init file 'y/y.c' is not one of the record's 'files'
### record filetwice
filetwice.rec:8:12: error: file 'x/x.c' is listed twice in 'files'
filetwice.rec:7:5: note: first listed here
### record mainfalse
mainfalse.rec:13:1: error: field 'main' is given but 'defines_main' is false
### record mainfile
mainfile.rec:6:14: error: main's file 'y/y.c' is not one of the record's 'files'
### lock file: order
lock-order.yaml:3:8: error: field 'order' must be 'lex' or 'import', not 'random'
### lock file: kind
lock-kind.yaml:2:7: error: wrong kind 'scan': expected 'report' or 'lock'
### lock file: main
lock-main.yaml:4:7: error: main package 'nowhere' is not one of the packages listed
### lock file: import
lock-import.yaml:5:25: error: import 'b' is not one of the packages listed
### lock file: twice
lock-twice.yaml:6:12: error: package 'a' is listed twice
lock-twice.yaml:5:5: note: first listed here
### lock file: init
lock-init.yaml:5:62: error: missing field 'line'
### check --update: a lock that does not read
lock-twice.yaml:6:12: error: package 'a' is listed twice
lock-twice.yaml:5:5: note: first listed here
### check --update: the lock path is a directory
pkginit: error: cannot read 'adir': Is a directory
### pkginit.yaml: noroots
cfg-noroots.yaml:3:8: error: field 'roots' must name at least one directory
### pkginit.yaml: rootmissing
cfg-rootmissing.yaml:3:9: error: root 'nowhere': No such file or directory
### pkginit.yaml: rootfile
cfg-rootfile.yaml:3:9: error: root 'a/a.c': not a directory
### pkginit.yaml: noglob
cfg-noglob.yaml:4:13: error: field 'files' must name at least one glob
### pkginit.yaml: globabs
cfg-globabs.yaml:4:13: error: glob '/a/*.c' in field 'files': it is absolute; globs match names relative to a root
### pkginit.yaml: glob3
cfg-glob3.yaml:4:13: error: glob 'a/***' in field 'files': '***' is not a wildcard; use '**'
### pkginit.yaml: globempty
cfg-globempty.yaml:3:11: error: glob 'a//b' in field 'exclude': it has an empty component
### pkginit.yaml: globdot
cfg-globdot.yaml:3:11: error: glob 'a/../b' in field 'exclude': it has a '.' or '..' component
### pkginit.yaml: globslash
cfg-globslash.yaml:3:11: error: glob 'a/' in field 'exclude': it ends with '/'
### pkginit.yaml: globmany
cfg-globmany.yaml:3:11: error: glob '*/*/*/*/*/*/*/*/*/*' in field 'exclude': it has more than 9 wildcards
### pkginit.yaml: globnone
cfg-globnone.yaml:3:11: error: glob '' in field 'exclude': it is empty
### pkginit.yaml: dollar
cfg-dollar.yaml:4:33: error: package 'x$': '$' must be followed by a wildcard number, $1 to $9
### pkginit.yaml: dollar2
cfg-dollar2.yaml:4:33: error: package 'x/$2': $2 names no wildcard (the rule's globs have 1)
### pkginit.yaml: badpkg
cfg-badpkg.yaml:4:33: error: package '../x' is not a package path: it has a '.' or '..' component
### pkginit.yaml: order
cfg-order.yaml:3:8: error: field 'order' must be 'lex' or 'import', not 'random'
### pkginit.yaml: field
cfg-field.yaml:3:1: error: unknown field 'exlude'
### pkginit.yaml: rulefield
cfg-rulefield.yaml:4:20: error: unknown field 'pkg'
### compdb: no compile_commands.json
pkginit: error: no compilation database in 'nodb': 'nodb/compile_commands.json' does not exist (CMake writes it with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, Bear with 'bear -- make')
### compdb: open
db-open.json:1:1: error: invalid JSON: '[' not closed
### compdb: object
db-object.json:1:1: error: a compilation database is a JSON array of compile commands; this file does not start with '['
### compdb: item
db-item.json:1:2: error: compile command 1 must be an object with 'directory', 'file' and 'command' or 'arguments'
### compdb: nocommand
db-nocommand.json:1:2: error: compile command 1 has no 'command' or 'arguments'
### compdb: filetype
db-filetype.json:1:29: error: compile command 1: 'file' must be a string
### compdb: trailing
db-trailing.json:1:65: error: invalid JSON: text after the end of the array
### compdb: noc
db-noc.json: error: no compile command for a .c file under the roots (1 commands)
### compdb: a record operand
pkginit: error: 'a.rec' is not a C source (.c); gen scans sources (use 'pkginit link' for scan records)
Try 'pkginit gen --help' for more information.
### compdb: compiler flags
pkginit: error: compiler flags after '--' do not apply with a compilation database: each file is scanned with its own command
Try 'pkginit gen --help' for more information.
### compdb: a file it does not have
pkginit: error: 'p/main.c' is not a C file of the compilation database 'db-good.json' under the roots
Try 'pkginit gen --help' for more information.
### scan: bad/static.c
bad/static.c:2:22: error: 'hidden_init' is marked PKG_INIT but is static; init functions need external linkage
bad/static.c:2:22: note: the generated init table calls it from another file: remove 'static'
### scan: bad/returns.c
bad/returns.c:2:15: error: 'returns_init' is marked PKG_INIT but returns 'long'; init functions have type void (void) or int (void)
bad/returns.c:2:15: note: the init table calls it as 'void returns_init(void)', or as 'int returns_init(void)' whose non-zero result stops start-up: declare it as one of them
### scan: bad/params.c
bad/params.c:2:15: error: 'params_init' is marked PKG_INIT but takes parameters; init functions have type void (void) or int (void)
bad/params.c:2:15: note: the init table calls it with no arguments: declare it as 'void params_init(void)'
### scan: bad/noproto.c
bad/noproto.c:2:15: error: 'noproto_init' is marked PKG_INIT but has no prototype; init functions have type void (void) or int (void)
bad/noproto.c:2:15: note: write 'void noproto_init(void)': empty parentheses leave the parameters unspecified
### scan: bad/undefined.c
bad/undefined.c:2:15: error: 'undefined_init' is marked PKG_INIT but is not defined in this translation unit
bad/undefined.c:2:15: note: PKG_INIT marks a definition: put it on the function's definition in its .c file, not on a declaration
### scan: bad/inheader.c
bad/inheader.h:2:15: error: 'inheader_init' is marked PKG_INIT but is defined in an included file; init functions are defined in the .c file being compiled
bad/inheader.h:2:15: note: every file that includes it would define 'inheader_init' again: move the definition into one .c file
### scan: bad/path.c
bad/path.c:2:1: error: invalid package path "../up" in PKG_IMPORT: it has a '.' or '..' component
bad/path.c:2:1: note: a package path is a directory relative to a root, like "log" or "net/http"
### scan: bad/annotation.c
bad/annotation.c:1:1: error: unknown pkginit annotation "pkginit:export:x"
bad/annotation.c:1:1: note: <pkginit.h> provides PKG_IMPORT("path"), PKG_PACKAGE("path") and PKG_AFTER(init, other)
### scan: a rule that makes no package path
cfg-rule.yaml:4:5: error: this rule puts 'bad/.c' in package 'x/', which is not a package path: it starts or ends with '/'
### gen: an import cycle
cyc/c/c.h:2: error: import cycle not allowed
cyc/c/c.h:2: note: cyc/c imports cyc/d (includes cyc/d/d.h)
cyc/d/d.h:2: note: cyc/d imports cyc/c (includes cyc/c/c.h)
### link: two mains
q/main.c:1:5: error: main defined in package 'p' and in package 'q'
p/main.c:3:5: note: main of package 'p' is defined here
pkginit: note: use --main PATH to choose
### link: no main
pkginit: error: no package defines main
### link: --main of a package without main
pkginit: error: --main a: package 'a' does not define main
p/main.c:3:5: note: main is defined in package 'p'
### link: --main of no package
pkginit: error: --main nowhere: no scanned file is in package 'nowhere'
p/main.c:3:5: note: main is defined in package 'p'
### link: an init function defined twice
dup/b/b.c:2:15: error: init function 'a_init' defined twice
a/a.c:3:15: note: 'a_init' is first defined here
### link: PKG_IMPORT of an unknown package
imp/x.c:2:1: error: PKG_IMPORT of unknown package 'nowhere'
imp/x.c:2:1: note: no scanned file is in package 'nowhere'
### link: PKG_IMPORT of main
imp/m.c:2:1: error: PKG_IMPORT("main") names the main package, which cannot be imported
### link: a package named main beside main
main/x.c: error: package 'main' has the name of the main package (main is defined in package 'p')
p/main.c:3:5: note: main is defined here
### link: an init function outside every root
y.c:1:1: error: init function 'f' is outside every root
### check: the order differs
lock-stale.yaml: error: the init order differs from the lock file
lock-stale.yaml:6:5: note: the lock file has package 'main' here
a/a.c:3:15: note: the computed order has package 'a' here
pkginit: note: if the new order is intended, rerun with --update and commit lock-stale.yaml
### check: the order differs: the diff
--- lock-stale.yaml (expected)
+++ computed order
+ a
+     a_init  (a/a.c)
  main
- a
### link -o a directory
pkginit: error: cannot write 'adir': it is a directory
### link -o in a missing directory
pkginit: error: cannot write 'nodir/t.c': directory 'nodir' does not exist
### link --report on a full disk
pkginit: error: cannot write '/dev/full': No space left on device
### link -o on a full disk
pkginit: error: cannot write '/dev/full': No space left on device
### scan -MF on a full disk
pkginit: error: cannot write '/dev/full': No space left on device
### scan -o in a missing directory
pkginit: error: cannot write 'nodir/x.rec': directory 'nodir' does not exist
### graph -o a directory
pkginit: error: cannot write 'adir': it is a directory
### graph to a full stdout
pkginit: error: cannot write to standard output: No space left on device
