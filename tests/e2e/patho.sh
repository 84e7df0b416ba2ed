#!/usr/bin/env bash
# patho.sh - pathological inputs end in an error or a result, in bounded
# time and memory, without a stack overflow: a 10,000-deep include chain
# (through libclang, and as records), a 100,000-package import cycle, a
# 1 MB package path, "billion laughs" and deeply nested YAML, a TU that
# includes itself, and a glob that backtracks exponentially in a naive
# matcher.
#
# The inputs are generated here, not committed.  Each run has a memory
# ceiling (ulimit -v, in a subshell; not under ASan, which reserves
# terabytes of address space for its shadow) and a time ceiling
# (timeout: a guard against a hang, far above what the run takes; this is
# not a timed test).  A stack overflow would show as a crash: every case
# checks the exit status and the first line of the message.
. "$(dirname "$0")/../lib.sh"
scratch patho
CF="-I. -I$RTINC"
LIMIT_TIME=60

# bounded KB CMD...: run CMD (with run) under a ceiling of KB kilobytes of
# address space and LIMIT_TIME seconds.
bounded() {
	local kb=$1
	shift
	if [ -n "$SAN_FLAGS" ]; then
		run timeout "$LIMIT_TIME" "$@"
	else
		run bash -c 'ulimit -v "$0" && exec timeout "$1" "${@:2}"' "$kb" "$LIMIT_TIME" "$@"
	fi
}
first() { printf '%s\n' "$1" | head -1; }

# chain_record N CYCLIC: one scan record in which main.c includes d0/h.h,
# and each dI/h.h (package dI) includes d(I+1)/h.h, up to d(N-1); with
# CYCLIC, d(N-1)/h.h includes d0/h.h.
chain_record() {
	awk -v n="$1" -v cyclic="$2" 'BEGIN {
		print "pkginit: 1\nkind: scan\ntu: main.c\nroots: [.]\ndefines_main: true"
		print "main: {file: main.c, line: 2, column: 5}\nfiles:"
		print "  - {path: main.c, name: main.c, package: .}"
		for (i = 0; i < n; i++) printf "  - {path: d%d/h.h, name: d%d/h.h, package: d%d}\n", i, i, i
		print "inits: []\nimports: []\npackages: []\nincludes:"
		print "  - {from: main.c, line: 1, to: d0/h.h}"
		for (i = 0; i < n - !cyclic; i++)
			printf "  - {from: d%d/h.h, line: 1, to: d%d/h.h}\n", i, (i + 1) % n
		print "deps: []"
	}'
}

# ---- a 10,000-deep include chain ---------------------------------------------

# d0/h.h includes d1/h.h ... includes d10000/h.h: clang stops at its
# include depth limit (200), the scan fails with its error.
mkdir -p $(printf 'chain/d%d ' $(seq 0 10000))
for ((i = 0; i < 10000; i++)); do
	printf '#include "chain/d%d/h.h"\n' $((i + 1)) >chain/d$i/h.h
done
echo 'void chain_end(void);' >chain/d10000/h.h
write chain/main.c <<'C'
#include "chain/d0/h.h"
int main(void) { return 0; }
C
bounded 2097152 "$PKGINIT" gen --no-cache -o chain.c chain/main.c -- $CF
expect_rc "10,000-deep #include chain: a scan error" 3
expect_eq "10,000-deep #include chain: clang's message" "$(first "$ERR")" \
	"chain/d198/h.h:1:10: error: #include nested too deeply"
[ ! -e chain.c ] && ok "10,000-deep #include chain: no table" || not_ok "10,000-deep #include chain: no table"

# The same chain as a record (as if scanned without the limit): link
# orders 10,001 packages, deepest first, in both modes (a hand-written
# record has no function facts: --no-verify).
chain_record 10000 0 >chain.rec
for order in lex import; do
	bounded 1048576 "$PKGINIT" link --no-verify --order=$order -o chain.c --report chain.yaml chain.rec
	expect_rc "10,000-deep import chain, --order=$order: linked" 0
	expect_eq "10,000-deep import chain, --order=$order: deepest first, main last" \
		"$(grep '^  - path: ' chain.yaml | sed -n '1p;2p;$p' | tr '\n' ' ')" \
		"  - path: d9999   - path: d9998   - path: main "
done

# ---- a 100,000-package import cycle ----------------------------------------

chain_record 100000 1 >cycle.rec
for order in lex import; do
	bounded 1048576 "$PKGINIT" link --no-verify --order=$order -o cycle.c cycle.rec
	expect_rc "100,000-package cycle, --order=$order: exit 1" 1
	expect_eq "100,000-package cycle, --order=$order: the error" "$(first "$ERR")" \
		"d0/h.h:1: error: import cycle not allowed"
	expect_eq "100,000-package cycle, --order=$order: a note per edge" \
		"$(printf '%s\n' "$ERR" | grep -c ': note: d[0-9]* imports d[0-9]* (includes ')" 100000
done
[ ! -e cycle.c ] && ok "100,000-package cycle: no table" || not_ok "100,000-package cycle: no table"
bounded 1048576 "$PKGINIT" graph --format=yaml -o cycle.graph cycle.rec
expect_rc "100,000-package cycle: graph shows it" 0

# ---- a 1 MB package path ----------------------------------------------------

big=$(head -c 1048576 /dev/zero | tr '\0' a)/b
mkdir -p big
printf '#include <pkginit.h>\nPKG_PACKAGE("%s");\nPKG_INIT void big_init(void) {}\n' "$big" >big/l.c
printf '#include <pkginit.h>\nPKG_IMPORT("%s");\nint main(void) { return 0; }\n' "$big" >big/main.c
bounded 2097152 "$PKGINIT" gen --no-cache -o big.c --report big.yaml big/l.c big/main.c -- $CF
expect_rc "1 MB package path: a table" 0
expect_eq "1 MB package path: in the report" \
	"$(grep -cxF -f <(printf '  - path: %s\n' "$big") big.yaml)" 1
bounded 2097152 "$PKGINIT" check --expect big.yaml big/l.c big/main.c -- $CF
expect_rc "1 MB package path: the report reads back as a lock" 0
if cc -c big.c -o big.o 2>cc.err; then ok "1 MB package path: the table compiles"
else not_ok "1 MB package path: the table compiles"; head -5 cc.err | sed 's/^/#   /'; fi
# As an argument: the kernel's limit for one is 128K, so 100K.
long=$(head -c 102400 /dev/zero | tr '\0' a)
bounded 1048576 "$PKGINIT" link --main "$long" -o big.c chain.rec
expect_rc "100K --main: exit 1" 1
expect_eq "100K --main: the message" "$(first "$ERR")" \
	"pkginit: error: --main $long: no scanned file is in package '$long'"
bounded 1048576 "$PKGINIT" scan --root "$long" -o x.rec big/l.c -- $CF
expect_rc "100K --root: exit 2" 2
expect_eq "100K --root: the message" "$(first "$ERR")" \
	"pkginit: error: --root '$long': File name too long"

# ---- YAML bombs -------------------------------------------------------------

# "Billion laughs": ten levels of ten aliases each.
{
	printf 'pkginit: 1\nkind: lock\norder: lex\n'
	printf 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
	for i in $(seq 1 9); do
		printf 'a%d: &a%d [' "$i" "$i"
		for _ in $(seq 1 10); do printf '*a%d, ' $((i - 1)); done
		printf ']\n'
	done
	printf 'packages: []\n'
} >laughs.yaml
bounded 1048576 "$PKGINIT" check --expect laughs.yaml chain.rec
expect_rc "billion laughs: refused" 3
expect_eq "billion laughs: at the first anchor" "$ERR" \
	"laughs.yaml:4:5: error: anchors and aliases are not supported (found '&a0')"
# A million levels of flow nesting, and 10,000 of block mappings.
{ printf 'pkginit: 1\nkind: scan\ntu: '; head -c 1000000 /dev/zero | tr '\0' '['; echo; } >deep.rec
bounded 1048576 "$PKGINIT" link -o deep.c deep.rec
expect_rc "a million nested [: refused" 3
expect_eq "a million nested [: at depth 65" "$ERR" \
	"deep.rec:3:68: error: nesting deeper than 64 levels is not supported"
awk 'BEGIN { printf "pkginit: 1\nkind: config\nroots:\n"; for (i = 1; i <= 700; i++) printf "%*sk:\n", 2 * i, "" }' >deep.yaml
bounded 1048576 "$PKGINIT" link --config deep.yaml -o deep.c chain.rec
expect_rc "700 nested mappings: refused" 3
expect_eq "700 nested mappings: at depth 65" "$ERR" \
	"deep.yaml:67:129: error: nesting deeper than 64 levels is not supported"
[ ! -e deep.c ] && ok "YAML bombs: no table" || not_ok "YAML bombs: no table"

# ---- a TU that includes itself -------------------------------------------

write self/loop.c <<'C'
#include "self/loop.c"
int main(void) { return 0; }
C
write self/once.c <<'C'
#ifndef ONCE_C
#define ONCE_C
#include <pkginit.h>
#include "self/once.c"
PKG_INIT void once_init(void) {}
int main(void) { return 0; }
#endif
C
bounded 2097152 "$PKGINIT" gen --no-cache -o self.c self/loop.c -- $CF
expect_rc "a TU that includes itself: clang's error" 3
expect_eq "a TU that includes itself: the message" "$(first "$ERR")" \
	"self/loop.c:1:10: error: #include nested too deeply"
bounded 2097152 "$PKGINIT" gen --no-cache -o self.c --report self.yaml self/once.c -- $CF
expect_rc "a TU that includes itself once: a table" 0
expect_eq "a TU that includes itself once: one package, its init" \
	"$(sed -n 's/^  - path: //p; s/^      - {name: \([a-z_]*\),.*/\1/p' self.yaml)" "main
once_init"

# ---- a glob that a naive matcher takes exponential time on ----------------

mkdir -p glob
name=$(head -c 200 /dev/zero | tr '\0' a)
printf 'int %s_x;\n' "x" >"glob/$name.c"
printf 'int main(void) { return 0; }\n' >glob/main.c
printf 'pkginit: 1\nkind: config\nexclude: ["*a*a*a*a*a*a*a*a*b"]\n' >glob.yaml
bounded 2097152 "$PKGINIT" gen --no-cache --config glob.yaml -o glob.c "glob/$name.c" glob/main.c -- $CF
expect_rc "9 wildcards against 200 a's: a result" 0

done_testing
