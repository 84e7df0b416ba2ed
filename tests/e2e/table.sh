#!/usr/bin/env bash
# table.sh - records are untrusted (issue 11 point 5): whatever a scan
# record holds, link either refuses it (an error at its file:line, exit
# 3) or writes a table that compiles with `cc -std=c11 -pedantic -Werror`
# under every driver.  The deterministic half of fuzz/table.c: crafted
# records that try to smuggle code, comments, strings or a colliding
# name into the table through each value that reaches it (the init
# function's name, its package path, the file names), and odd but
# legitimate values (UTF-8, quotes, backslashes, "*/", trigraphs) that
# must be accepted and come out escaped.
. "$(dirname "$0")/../lib.sh"
scratch table
CC=${CC:-cc}

# rec NAME PKG FILE: a record whose one init function is NAME, in a file
# FILE of package PKG, imported by main.c (each a YAML double-quoted
# string's contents).
rec() {
	cat <<YAML
pkginit: 1
kind: scan
tu: main.c
roots: [.]
defines_main: true
main: {file: main.c, line: 3, column: 5}
files:
  - {path: "$3", name: "$3", package: "$2"}
  - {path: main.c, name: main.c, package: .}
inits:
  - {name: "$1", file: "$3", line: 1, column: 15}
imports:
  - {path: "$2", file: main.c, line: 2, column: 1}
packages: []
includes: []
deps: []
YAML
}

n=0
# case WANT NAME PKG FILE: WANT is "accept", "reject" or "either".
case_() {
	local want=$1 label="name \"$2\", package \"$3\", file \"$4\""
	n=$((n + 1))
	rec "$2" "$3" "$4" >"c$n.rec"
	local got=accept d
	for d in rt0 ctor manual shlib; do
		# (Crafted records carry no function facts to verify.)
		run "$PKGINIT" link --no-verify --driver=$d -o "c$n-$d.c" "c$n.rec"
		if [ "$RC" -ne 0 ]; then
			got=reject
			if [ "$RC" -eq 3 ] && printf '%s\n' "$ERR" | grep -Eq "^c$n\.rec:[0-9]+:[0-9]+: error: "; then
				ok "$label: refused at its file:line"
			else
				not_ok "$label: refused at its file:line"
				echo "#   exit $RC"; printf '%s\n' "$ERR" | sed 's/^/#   /'
			fi
			[ -e "c$n-$d.c" ] && not_ok "$label: refused, yet a table was written"
			break
		fi
		if "$CC" -std=c11 -pedantic -Werror -c -o /dev/null "c$n-$d.c" 2>cc.err; then
			ok "$label: the --driver=$d table compiles"
		else
			not_ok "$label: the --driver=$d table compiles"
			sed 's/^/#   /' cc.err | head -10
		fi
	done
	if [ "$want" != either ]; then
		expect_eq "$label: ${want}ed" "$got" "$want"
	fi
}

# Init function names: only a C identifier the table may declare.
case_ reject 'app_init(void); int evil = 1; extern void x' a a/a.c
case_ reject 'x(void) {} void y' a a/a.c
case_ reject '1st_init' a a/a.c
case_ reject 'a b' a a/a.c
case_ reject 'caf\u00e9_init' a a/a.c
case_ reject 'a_init\n' a a/a.c
case_ reject 'main' a a/a.c
case_ reject 'int' a a/a.c
case_ reject 'printf' a a/a.c
case_ reject 'stdin' a a/a.c
case_ reject 'EOF' a a/a.c
case_ reject 'NULL' a a/a.c
case_ reject 'CLOCK_MONOTONIC' a a/a.c
case_ reject 'pkgrt_inittab' a a/a.c
case_ reject 'pkgrt_run_inits' a a/a.c
case_ reject 'pkginit__ms' a a/a.c
case_ reject '_init' a a/a.c
case_ reject '__x' a a/a.c
case_ accept 'a_init' a a/a.c
case_ accept "x$(printf '%.0s_long' {1..60})" a a/a.c
case_ accept 'Init2' a a/a.c

# Package paths: clean paths, any bytes of UTF-8 but control characters.
case_ reject a_init '../x' a/a.c
case_ reject a_init '/abs' a/a.c
case_ reject a_init 'a//b' a/a.c
case_ reject a_init 'a/./b' a/a.c
case_ reject a_init 'a/' a/a.c
case_ reject a_init 'a\nb' a/a.c
case_ reject a_init 'a\tb' a/a.c
case_ reject a_init 'a\u007fb' a/a.c
case_ accept a_init 'a*/b' a/a.c
case_ accept a_init 'a/*b' a/a.c
case_ accept a_init 'a\"b' a/a.c
case_ accept a_init 'a\\b' a/a.c
case_ accept a_init 'a\\' a/a.c
case_ accept a_init '??=x??/y' a/a.c
case_ accept a_init 'caf\u00e9/\u65e5\u672c' a/a.c
case_ accept a_init 'a b/c%d' a/a.c
case_ accept a_init '\u00ff' a/a.c

# File names (root-relative) and paths.
case_ reject a_init a '../a.c'
case_ reject a_init a '/a.c'
case_ reject a_init a ''
case_ reject a_init a 'a\r.c'
case_ accept a_init a 'a/*/x.c'
case_ accept a_init a 'a/\"x.c'

# An empty package path.
case_ reject a_init '' a/a.c

done_testing
