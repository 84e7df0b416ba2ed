#!/usr/bin/env bash
# pkginit over a whole repository (issue 14, point 7): a compilation
# database with two programs and a test binary that share library
# directories, main inside a library directory (src/main.c beside
# src/util.c, which net includes), a cycle of real imports (net <-> wire)
# and one that main's implicit imports close (a test TU that #includes
# src/main.c).  graph shows every program; link/gen apply the same rule
# for main's own package, and the program it builds starts in the right
# order.
. "$(dirname "$0")/../lib.sh"
scratch repo
export PKG_CONFIG_PATH=$BUILD/lib/pkgconfig

write lib/log.h <<'C'
extern int log_ready;
C
write lib/log.c <<'C'
#include <pkginit.h>
#include "lib/log.h"
int log_ready;
PKG_INIT void log_init(void) { log_ready = 1; }
C
write src/util.h <<'C'
#include "lib/log.h"
extern int util_ready;
C
write src/util.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include <stdlib.h>
#include "src/util.h"
int util_ready;
PKG_INIT void util_init(void)
{
	if (!log_ready) abort();
	util_ready = 1;
	puts("util_init");
}
C
write src/main.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "src/util.h"
#include "net/net.h"
#ifndef APP_TEST   /* tests/app_test.c compiles this file too */
PKG_INIT void app_init(void) { puts("app_init"); }
#endif
int main(void) { puts(net_ready && util_ready ? "main: ready" : "main: NOT ready"); return 0; }
C
write net/net.h <<'C'
extern int net_ready;
C
write net/net.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include <stdlib.h>
#include "net/net.h"
#include "src/util.h"
#include "wire/wire.h"
int net_ready;
PKG_INIT void net_init(void)
{
	/* net needs util: src/util.c must not be part of package main,
	 * whose init functions run last. */
	if (!util_ready || !wire_ready) abort();
	net_ready = 1;
	puts("net_init");
}
C
write wire/wire.h <<'C'
extern int wire_ready;
C
write wire/wire.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "wire/wire.h"
#ifdef WIRE_CYCLE
#include "net/net.h"
#endif
int wire_ready;
PKG_INIT void wire_init(void) { wire_ready = 1; puts("wire_init"); }
C
write tools/stat.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "src/util.h"
PKG_INIT void stat_init(void) {}
PKG_INIT void stat_flags_init(void) {}
PKG_AFTER(stat_flags_init, stat_init);
int main(void) { return 0; }
C
write tests/test_util.c <<'C'
#include <pkginit.h>
#include "src/util.h"
PKG_INIT void test_init(void) {}
int main(void) { return util_ready ? 0 : 1; }
C
# A test TU that compiles the program's main file under another name.
write tests/app_test.c <<'C'
#define APP_TEST
#define main app_main
#include "src/main.c"
C

D=$PWD
entry() { # FILE [FLAGS]
	printf '  {"directory": "%s", "file": "%s", "command": "cc -I. -I%s %s -c %s"}' \
		"$D" "$1" "$RTINC" "${2:-}" "$1"
}
compdb() { # FILE... : build/compile_commands.json with those entries
	mkdir -p build
	{
		echo '['
		local sep=''
		for f in "$@"; do
			printf '%s' "$sep"; sep=$',\n'
			case $f in wire/wire.c) entry "$f" "${WIRE_FLAGS:-}" ;; *) entry "$f" ;; esac
		done
		printf '\n]\n'
	} >build/compile_commands.json
}
ALL="lib/log.c src/util.c src/main.c net/net.c wire/wire.c tools/stat.c tests/test_util.c tests/app_test.c"
WIRE_FLAGS=-DWIRE_CYCLE compdb $ALL

# ---- graph: one section per program ---------------------------------------
run "$PKGINIT" graph -p build
expect_rc "graph over the whole repository: exit 0" 0
expect_eq "a section per file that defines main, in byte order" \
	"$(printf '%s\n' "$OUT" | sed -n 's/^program \([^ ]*\).*/\1/p' | tr '\n' ' ')" \
	"src/main.c tests/test_util.c tools/stat.c "
# Each section alone.
section() { printf '%s\n' "$OUT" | awk -v p="$1" '/^program /{on = $2 == p} on'; }
APP=$(section src/main.c)
expect_match "src/main.c is package main by itself, and why" "$APP" \
	'^program src/main.c \(package main: this file alone, as other packages import src, first at net/net.c:5\)$'
expect_match "main's package is the file" "$APP" '^main \(file src/main.c\): 1 init function$'
expect_match "the rest of src is package src" "$APP" '^src: 1 init function$'
expect_match "net imports src, not main" "$APP" '^    imports src  \(include at net/net.c:5\)$'
expect_match "what main reaches" "$APP" '^reaches: lib net src wire$'
expect_match "what main imports only implicitly" "$APP" '^implicitly imports: tests$'
expect_match "the real cycle" "$APP" '^cycle: net wire$'
expect_match "its edge is marked" "$APP" '^    imports wire  \(include at net/net.c:6\)  \[cycle\]$'
expect_match "the cycle through implicit imports" "$APP" '^cycle through implicit imports: main tests$'
expect_match "the test TU imports main" "$APP" '^    imports main  \(include at tests/app_test.c:3\)  \[implicit cycle\]$'
expect_match "main's implicit import closes it" "$APP" \
	'^    imports tests  \(implicit: not reachable from main\)  \[implicit cycle\]$'
expect_match "counts" "$APP" '^6 packages, 1 import cycle, 1 through implicit imports$'
# spec/cli.md shows this section as it is.
expect_eq "spec/cli.md's example is the output" "$APP" \
	"$(awk '/^\*\*text\.\*\*/ {on = 1} on && /^```$/ {if (inb) exit; inb = 1; next} inb' "$TOP/spec/cli.md")"
TOOL=$(section tools/stat.c)
expect_match "tools/stat.c: main is its directory" "$TOOL" \
	'^program tools/stat.c \(package main: directory tools\)$'
expect_match "tools/stat.c: src/main.c is another program's, src is a library" \
	"$TOOL" '^src: 1 init function$'
expect_match "tools/stat.c: no cycle through main" "$TOOL" '^6 packages, 1 import cycle, 0 through implicit imports$'
# Here src/main.c is an ordinary file of src, read by tests/app_test.c:
# its #include of net/net.h puts src on the real cycle.
expect_match "tools/stat.c: src/main.c's includes are src's" "$TOOL" '^cycle: net src wire$'
TEST=$(section tests/test_util.c)
expect_match "the test binary: its directory" "$TEST" \
	'^program tests/test_util.c \(package main: directory tests\)$'
expect_match "the test binary: app_test.c's include of src/main.c imports src" \
	"$TEST" '^    imports src  \(include at tests/app_test.c:3\)$'

# The same in YAML and dot.
run "$PKGINIT" graph --format=yaml -p build
expect_rc "graph yaml" 0
expect_match "yaml: programs" "$OUT" '^programs:$'
expect_match "yaml: a program" "$OUT" '^  - program: src/main.c$'
expect_match "yaml: main alone" "$OUT" '^    main_alone: true$'
expect_match "yaml: why" "$OUT" '^    main_alone_at: \{file: net/net.c, line: 5\}$'
expect_match "yaml: real cycles" "$OUT" '^      - \[net, wire\]$'
expect_match "yaml: implicit cycles" "$OUT" '^      - \[main, tests\]$'
run "$PKGINIT" graph --format=dot -p build
expect_rc "graph dot" 0
expect_match "dot: one drawing" "$OUT" '^digraph programs \{$'
expect_match "dot: a cluster per program" "$OUT" '^	subgraph cluster_program2 \{$'
expect_match "dot: labelled with its file" "$OUT" '^		label="program tools/stat.c";$'
expect_match "dot: nodes per program" "$OUT" '^		"0:net" -> "0:wire" \[color=red\];$'
expect_match "dot: the implicit cycle" "$OUT" '^		"0:main" -> "0:tests" \[style=dashed, color=orange\];$'
expect_eq "dot: balanced braces" "$(printf '%s\n' "$OUT" | grep -c '{')" "$(printf '%s\n' "$OUT" | grep -c '}')"

# --main shows one program, as link would build it.
run "$PKGINIT" graph --main tools/stat.c -p build
expect_rc "graph --main FILE" 0
expect_eq "graph --main: one section" "$(printf '%s\n' "$OUT" | grep -c '^program ')" 1
expect_match "graph --main: that one" "$OUT" '^program tools/stat.c '
run "$PKGINIT" graph --main src/main.c --format=yaml -p build
expect_rc "graph --main yaml" 0
expect_eq "graph --main yaml: one program's keys at the top" \
	"$(printf '%s\n' "$OUT" | grep -E '^[a-z_]+:' | sed 's/:.*//' | tr '\n' ' ')" \
	"pkginit kind program main main_alone main_alone_at packages cycles implicit_cycles "
run "$PKGINIT" graph --main tests -p build
expect_rc "graph --main DIR with one main" 0
expect_match "graph --main DIR: that one" "$OUT" '^program tests/test_util.c '

# An error in one program's graph: exit 1, the program named, no output.
write lib/dup.c <<'C'
#include <pkginit.h>
PKG_INIT void stat_init(void) {}
C
WIRE_FLAGS=-DWIRE_CYCLE compdb $ALL lib/dup.c
run "$PKGINIT" graph -o g.txt -p build
expect_rc "an error in one program: exit 1" 1
expect_match "the error" "$ERR" "^tools/stat.c:4:15: error: init function 'stat_init' defined twice$"
expect_match "the program it is in" "$ERR" '^tools/stat.c: note: in the graph of the program whose main is here$'
[ ! -e g.txt ] && ok "nothing written" || not_ok "nothing written"
rm lib/dup.c
WIRE_FLAGS=-DWIRE_CYCLE compdb $ALL

# ---- link, gen: one program, the same rule --------------------------------
run "$PKGINIT" gen -o t.c -p build
expect_rc "gen without --main: several programs, exit 1" 1
expect_match "gen: names them" "$ERR" "^tools/stat.c:7:5: error: main defined in package 'src' and in package 'tools'$"
expect_match "gen: says what to do" "$ERR" '^pkginit: note: use --main PATH to choose$'
run "$PKGINIT" gen --main src/main.c -o t.c -p build
expect_rc "gen --main src/main.c with the cycles: exit 1" 1
expect_match "gen: the real cycle" "$ERR" 'error: import cycle not allowed$'

# Without the cycles (wire no longer includes net, the test TU gone): the
# program builds and starts in order.
compdb lib/log.c src/util.c src/main.c net/net.c wire/wire.c tools/stat.c tests/test_util.c
run "$PKGINIT" gen --main src/main.c --report app.yaml -o app_inittab.c -p build
expect_rc "gen --main src/main.c" 0
expect_eq "packages in order: src (the library part) before net" \
	"$(sed -n 's/^  - path: //p' app.yaml | tr '\n' ' ')" "lib src wire net main "
expect_match "src/util.c's init is in src" "$(tr '\n' ' ' <app.yaml)" 'path: src .*name: util_init'
expect_match "the table names main's file" "$(cat app_inittab.c)" '^ \* Init table\.  Order: lex\.  Main: main \(file src/main\.c\)\.$'
run cc -I. $(pkg-config --cflags pkgrt) lib/log.c src/util.c src/main.c net/net.c wire/wire.c app_inittab.c $(pkg-config --libs pkgrt) -o app
expect_rc "the program links" 0
run ./app
expect_rc "the program runs" 0
expect_eq "init functions in order, then main" "$OUT" "util_init
wire_init
net_init
app_init
main: ready"
run "$PKGINIT" gen --main tools/stat.c --report stat.yaml -o stat_inittab.c -p build
expect_rc "gen --main tools/stat.c" 0
expect_eq "tools/stat.c: its packages" "$(sed -n 's/^  - path: //p' stat.yaml | tr '\n' ' ')" "lib src wire net main "
expect_match "tools/stat.c: its own inits in main, PKG_AFTER obeyed" "$(tr '\n' ' ' <stat.yaml)" 'path: main .*name: stat_init.*name: stat_flags_init'
# src/main.c is another program's TU: app_init is not in this one.
if grep -q app_init stat.yaml; then not_ok "tools/stat.c: no app_init"; else ok "tools/stat.c: no app_init"; fi

done_testing
