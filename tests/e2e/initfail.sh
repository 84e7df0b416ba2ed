#!/usr/bin/env bash
# initfail.sh - init functions that can fail, `PKG_INIT int f(void)`: one
# program built under the three drivers (rt0 with the runtime, ctor and
# manual without it, gcc and clang).  A non-zero result stops start-up
# with one line naming the function, its package and the value, the same
# under every driver, and exit status value % 256 (1 where that is 0);
# the later init functions and main do not run, inittrace shows only the
# tasks that finished.  An int init function that returns 0 behaves like
# a void one: the same output, the same inittrace packages, the same
# report (the lock does not record return types).  scan records it as
# `returns: int`; a return type other than void and int is refused.  The
# freestanding runtime fails the same way.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

scratch initfail
# log, config (imports log), db (imports config), main (imports db).
# With -DVOID_INITS the same program has void init functions only.
write log/log.h <<'C'
void log_line(const char *s);
C
write log/log.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "log/log.h"
/* First to run: unbuffered, so stdout keeps its order whatever ends the
 * process. */
PKG_INIT void log_init(void) { setvbuf(stdout, NULL, _IONBF, 0); puts("log_init"); }
void log_line(const char *s) { puts(s); }
C
write config/config.h <<'C'
#include "log/log.h"
C
write config/config.c <<'C'
#include <pkginit.h>
#include <stdlib.h>
#include "config/config.h"
#ifdef VOID_INITS
PKG_INIT void config_load(void) { log_line("config_load"); }
#else
/* CONFIG_STATUS=N: fail with N. */
PKG_INIT int config_load(void)
{
	const char *s = getenv("CONFIG_STATUS");
	log_line("config_load");
	return s != NULL ? atoi(s) : 0;
}
#endif
PKG_INIT void config_after(void) { log_line("config_after"); }
C
write db/db.h <<'C'
#include "config/config.h"
C
write db/db.c <<'C'
#include <pkginit.h>
#include "db/db.h"
#ifdef VOID_INITS
PKG_INIT void db_open(void) { log_line("db_open"); }
#else
PKG_INIT int db_open(void) { log_line("db_open"); return 0; }   /* always succeeds */
#endif
C
write main.c <<'C'
#include <pkginit.h>
#include <pkgrt.h>
#include "db/db.h"
PKG_INIT void main_init(void) { log_line("main_init"); }
int main(void)
{
	log_line("main starts");
	pkgrt_run_inits();      /* manual: runs the table; otherwise: done already */
	log_line("main");
	return 0;
}
C
SRCS="main.c config/config.c db/db.c log/log.c"

# The scan record says which inits return int.
run "$PKGINIT" scan -o config.rec config/config.c -- -I. -I"$RTINC"
expect_rc "scan: an int init function is accepted" 0
expect_eq "scan: the record marks it 'returns: int', the void one not" \
	"$(grep -E '^  - \{name: config_.*column: [0-9]+(, returns: int)?}$' config.rec)" \
	"  - {name: config_load, file: config/config.c, line: 8, column: 14, returns: int}
  - {name: config_after, file: config/config.c, line: 15, column: 15}"

# gen NAME DRIVER [FLAGS...]: the table and the report.
gen() {
	local name=$1 driver=$2
	shift 2
	run "$PKGINIT" gen --driver="$driver" -o "tab_$name.c" --report "report_$name.yaml" \
		$SRCS -- -I. -I"$RTINC" "$@"
	expect_rc "$name: pkginit gen --driver=$driver" 0
}

# build NAME CC DRIVER [FLAGS...]: gen, compile the table alone (strict
# flags, no -I), link (with the runtime for rt0).
build() {
	local name=$1 cc=$2 driver=$3
	shift 3
	gen "$name" "$driver" "$@"
	if $cc -std=c11 -Wall -Wextra -pedantic -Werror -c "tab_$name.c" -o "tab_$name.o" 2>cc.err; then
		ok "$name: the table compiles alone, warning-free (-std=c11 -Wall -Wextra -pedantic)"
	else
		not_ok "$name: the table compiles alone, warning-free"; sed 's/^/#   /' cc.err
	fi
	if [ "$driver" = rt0 ]; then
		rm -f ./*.o ./*/*.o
		# shellcheck disable=SC2086
		if rtbuild "prog_$name" $cc -std=c11 -I. "$@" -- $SRCS "tab_$name.c"; then
			ok "$name: links with the runtime"
		else
			not_ok "$name: links with the runtime"; sed 's/^/#   /' link.err
		fi
		rm -f ./*.o ./*/*.o
	elif $cc -std=c11 -Wall -Wextra -Werror -I. -I"$RTINC" "$@" -o "prog_$name" $SRCS "tab_$name.o" 2>cc.err; then
		ok "$name: links without the runtime"
	else
		not_ok "$name: links without the runtime"; sed 's/^/#   /' cc.err
	fi
}

# What each run prints on stdout before the inits (manual: main runs first).
before() { [ "$1" = manual ] && echo "main starts" || true; }

# check NAME DRIVER: the program with int init functions.
check() {
	local name=$1 driver=$2 pre all
	pre=$(before "$driver")
	all=$(printf '%s\n' ${pre:+"$pre"} log_init config_load config_after db_open main_init)
	[ "$driver" = manual ] || all="$all
main starts"
	all="$all
main"

	# Success: every int init returned 0; as the void program.
	run env PKGRT_DEBUG=inittrace=1 "./prog_$name"
	expect_rc "$name: all succeed: exit status 0" 0
	expect_eq "$name: all succeed: every init, then main" "$OUT" "$all"
	expect_eq "$name: all succeed: the same output as with void init functions" \
		"$OUT" "$(./prog_${name}_void)"
	expect_eq "$name: all succeed: inittrace names every package" \
		"$(printf '%s\n' "$ERR" | sed -n 's/^init \([^ ]*\) @[0-9.]* ms, [0-9.]* ms clock$/\1/p')" \
		"log
config
db
main"
	expect_eq "$name: all succeed: nothing else on stderr" \
		"$(printf '%s\n' "$ERR" | grep -cv '^init [^ ]* @[0-9.]* ms, [0-9.]* ms clock$')" 0

	# Failure: one line, the status; config_after, db_open, main_init and
	# main never run.
	local v st
	for v in 5:5 1:1 -1:255 256:1 258:2; do
		st=${v#*:}
		v=${v%%:*}
		run env CONFIG_STATUS="$v" "./prog_$name"
		expect_rc "$name: config_load returns $v: exit status $st" "$st"
		expect_eq "$name: config_load returns $v: the message" "$ERR" \
			"pkgrt: init function config_load of package config failed with status $v"
		expect_eq "$name: config_load returns $v: nothing ran after it" "$OUT" \
			"$(printf '%s\n' ${pre:+"$pre"} log_init config_load)"
	done
	run env CONFIG_STATUS=3 PKGRT_DEBUG=inittrace=1 "./prog_$name"
	expect_rc "$name: inittrace on: exit status 3" 3
	expect_eq "$name: inittrace: the finished task, then the failure" \
		"$(printf '%s\n' "$ERR" | sed -E 's/@[0-9.]+ ms, [0-9.]+ ms clock$/@T/')" \
		"init log @T
pkgrt: init function config_load of package config failed with status 3"
}

for cc in gcc clang; do
	if ! command -v $cc >/dev/null 2>&1; then ok "$cc # SKIP not installed"; continue; fi
	for driver in rt0 ctor manual; do
		[ "$driver" = rt0 ] && [ "$cc" = clang ] && continue   # rt0: one compiler is enough
		name=${cc}_$driver
		build "${name}_void" $cc $driver -DVOID_INITS
		build "$name" $cc $driver
		check "$name" $driver
		expect_eq "$name: the report is the void program's but for line numbers" \
			"$(sed 's/, line: [0-9]*//' "report_$name.yaml")" \
			"$(sed 's/, line: [0-9]*//' "report_${name}_void.yaml")"
	done
done
expect_eq "the int table declares and converts the int functions" \
	"$(grep -E 'config_load|db_open' tab_gcc_rt0.c | grep -v '"')" \
	"extern int config_load(void);
	(void (*)(void))config_load,
extern int db_open(void);
	(void (*)(void))db_open,"
expect_eq "the void table has no kinds" "$(grep -c 'pkginit__kinds_' tab_gcc_rt0_void.c)" 0
# The lock records the order, not return types: the void program's lock
# holds for the int one.
run "$PKGINIT" check --expect report_gcc_rt0_void.yaml $SRCS -- -I. -I"$RTINC"
expect_rc "check: the void program's lock accepts the int program" 0

# The freestanding runtime (no libc): the same line and status, through
# exit_group.  An argument makes a_start fail (pkgrt_argc works in inits).
scratch nolibc
write a/a.c <<'C'
#include <pkginit.h>
#include <pkgrt.h>
PKG_INIT int a_start(void) { pkgrt_write(1, "a_start\n", 8); return pkgrt_argc() > 1 ? 7 : 0; }
PKG_INIT void a_after(void) { pkgrt_write(1, "a_after\n", 8); }
C
write main.c <<'C'
#include <pkgrt.h>
#include "a/a.h"
int main(void) { pkgrt_write(1, "main\n", 5); return 0; }
C
write a/a.h <<'C'
C
run "$PKGINIT" gen -o tab.c main.c a/a.c -- -I. -I"$RTINC"
expect_rc "nolibc: pkginit gen" 0
if [ -f "$BUILD/lib/libpkgrt-nolibc.a" ] && RTPC=pkgrt-nolibc rtbuild prog cc -I. -- main.c a/a.c tab.c; then
	run ./prog
	expect_rc "nolibc: a_start returns 0: exit status 0" 0
	expect_eq "nolibc: ... every init, then main" "$OUT" "a_start
a_after
main"
	run ./prog fail
	expect_rc "nolibc: a_start returns 7: exit status 7" 7
	expect_eq "nolibc: ... the message" "$ERR" \
		"pkgrt: init function a_start of package a failed with status 7"
	expect_eq "nolibc: ... nothing ran after it" "$OUT" "a_start"
	run env PKGRT_DEBUG=starttrace=1 ./prog fail
	expect_eq "nolibc: starttrace says how it ends" "$(printf '%s\n' "$ERR" | tail -1)" \
		"start exit: init failed; exit_group(7), main not called"
else
	not_ok "nolibc: links"; sed 's/^/#   /' link.err 2>/dev/null
fi

# Another return type is refused at the function.
write bad/bad.c <<'C'
#include <pkginit.h>
PKG_INIT unsigned bad_init(void) { return 0; }
C
run "$PKGINIT" scan -o bad.rec bad/bad.c -- -I"$RTINC"
expect_rc "scan: an unsigned init function: exit status 1" 1
expect_eq "scan: ... what is wrong, and what to write" "$ERR" \
	"bad/bad.c:2:19: error: 'bad_init' is marked PKG_INIT but returns 'unsigned int'; init functions have type void (void) or int (void)
bad/bad.c:2:19: note: the init table calls it as 'void bad_init(void)', or as 'int bad_init(void)' whose non-zero result stops start-up: declare it as one of them"

done_testing
