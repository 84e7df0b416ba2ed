#!/usr/bin/env bash
# hostile.sh - the tool is exact under careless and hostile input (issue
# 11): each class of the issue, asserted as badinput.sh asserts its
# cases -- the exit status, the exact message, and that every file that
# was there is byte-for-byte, mode-for-mode and timestamp-for-timestamp
# what it was, that no file appeared (no temporary left), and that
# nothing went to stdout -- plus the positive half of each class (what
# must work: a report through a link, a gcc compilation database, UTF-8
# package paths...).  Cases about permissions run as an unprivileged
# user (nobody, through setpriv, when the suite runs as root: root
# writes anywhere).
. "$(dirname "$0")/../lib.sh"
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
scratch hostile
chmod 755 .
CF="-I. -I$RTINC"

# asuser CMD...: run CMD as an unprivileged user.
asuser() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}

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
for f in a/a.c p/main.c; do
	"$PKGINIT" scan --no-cache -o "$(basename "$(dirname "$f")").rec" "$f" -- $CF ||
		{ not_ok "setup: scan $f"; done_testing; }
done
"$PKGINIT" link -o out.c --report out.yaml a.rec p.rec &&
	"$PKGINIT" scan --no-cache -o out.rec -MF out.d a/a.c -- $CF &&
	"$PKGINIT" check --update --expect lock.yaml a.rec p.rec 2>/dev/null ||
	{ not_ok "setup: the good run"; done_testing; }
ln -s a.rec link.rec
ln -s a/a.h link.h
chmod 640 out.yaml
touch -h -d '2001-02-03 04:05:06' out.c out.yaml out.rec out.d lock.yaml link.rec link.h

# Every file but the scan cache: name, type, mode, size, mtime, link
# target, checksum.  A temporary left behind is a new name.
snapshot() {
	find . -path ./.pkginit-cache -prune -o -name .stderr -o -type d -printf '%p/ %m\n' \
		-o -printf '%p %y %m %s %T@ %l\n' | sort
	find . -path ./.pkginit-cache -prune -o -type f ! -name .stderr -print0 |
		sort -z | xargs -0 cksum
}

declare -A MSG
name=
while IFS= read -r line; do
	case $line in
	'### '*) name=${line#'### '}; MSG[$name]= ;;
	*) MSG[$name]+=${MSG[$name]:+$'\n'}$line ;;
	esac
done < <(sed '1,/^exit$/d' "$SELF")

# bad NAME STATUS CMD...: CMD fails with STATUS, prints exactly the
# message of NAME, nothing on stdout, and changes no file.
bad() {
	local name=$1 status=$2 before
	shift 2
	before=$(snapshot)
	run "$@"
	if [ -n "${DISCOVER:-}" ]; then
		printf '### %s\n%s\n' "$name" "$ERR" >&2
	fi
	expect_rc "$name: exit status $status" "$status"
	if [ -z "${MSG[$name]+set}" ]; then
		not_ok "$name: the message"; echo "#   no message for '$name' in the table"
	else
		expect_eq "$name: the message" "$ERR" "${MSG[$name]}"
	fi
	expect_eq "$name: no file created or changed, no temporary left" \
		"$(snapshot)$OUT" "$before"
}

# msg NAME: check $ERR against the table (after a run that is not bad).
msg() {
	if [ -n "${DISCOVER:-}" ]; then printf '### %s\n%s\n' "$1" "$ERR" >&2; fi
	expect_eq "$1: the message" "$ERR" "${MSG[$1]-(no message in the table)}"
}

# Under ASan, ulimit -v cannot be set (the shadow memory is terabytes).
bounded() {
	if [ -n "$SAN_FLAGS" ]; then "$@"; else
		(ulimit -v 1048576 && exec timeout 120 "$@"); fi
}

# ---- 1. an output that names an input is refused ---------------------------

bad "scan -o the source" 2 "$PKGINIT" scan --no-cache -o a/a.c a/a.c -- $CF
bad "scan -MF the source" 2 "$PKGINIT" scan --no-cache -o out.rec -MF a/a.c a/a.c -- $CF
bad "scan -o a header it reads, spelled another way" 2 \
	"$PKGINIT" scan --no-cache -o ./a/../a/a.h a/a.c -- $CF
bad "gen --report a header the TUs read" 2 \
	"$PKGINIT" gen --no-cache -o out.c --report a/a.h a/a.c p/main.c -- $CF
bad "gen --report a link to a header" 2 \
	"$PKGINIT" gen --no-cache -o out.c --report link.h a/a.c p/main.c -- $CF
bad "link -o one of its records" 2 "$PKGINIT" link -o a.rec a.rec p.rec
bad "link -o a link to one of its records" 2 "$PKGINIT" link -o link.rec a.rec p.rec
printf 'pkginit: 1\nkind: config\n' >cfg.yaml
touch -d '2001-02-03 04:05:06' cfg.yaml
bad "link --report the config" 2 "$PKGINIT" link --config cfg.yaml -o out.c --report cfg.yaml a.rec p.rec
bad "two outputs, one file" 2 "$PKGINIT" link -o out.c --report out.c a.rec p.rec
bad "two outputs, one file not there yet" 2 "$PKGINIT" link -o new.c --report ./new.c a.rec p.rec
bad "check --update the lock onto a source" 2 \
	"$PKGINIT" check --no-cache --update --order lex --expect a/a.c a/a.c p/main.c -- $CF
bad "graph -o a record it reads" 2 "$PKGINIT" graph -o p.rec a.rec p.rec

# ---- 2. outputs through links, special files, long names, permissions -------

# A report through a link: the file it points to is replaced, the link
# stays a link, the mode stays.
mkdir -p real
printf 'old\n' >real/r.yaml
chmod 604 real/r.yaml
ln -s real/r.yaml via.yaml
run "$PKGINIT" link -o out2.c --report via.yaml a.rec p.rec
expect_rc "a report through a link: written" 0
expect_eq "a report through a link: the link is still a link" "$(readlink via.yaml)" real/r.yaml
expect_eq "a report through a link: the file it points to is the report" \
	"$(head -2 real/r.yaml)" "$(head -2 out.yaml)"
expect_eq "a report through a link: its mode is kept" "$(stat -c %a real/r.yaml)" 604
ln -s real/new.yaml dangling.yaml
run "$PKGINIT" link -o out2.c --report dangling.yaml a.rec p.rec
expect_eq "a dangling link: the file it names is created" \
	"$RC $(readlink dangling.yaml) $(head -1 real/new.yaml)" "0 real/new.yaml pkginit: 1"
# /dev/stdout is a link into /proc: written in place, never replaced.
stdout_link=$(readlink /dev/stdout)
"$PKGINIT" link -o /dev/stdout a.rec p.rec >viastdout.c
expect_eq "-o /dev/stdout: the table goes to stdout" "$(head -1 viastdout.c)" \
	"/* Code generated by pkginit. DO NOT EDIT. */"
expect_eq "-o /dev/stdout: /dev/stdout is still the system's link" \
	"$(readlink /dev/stdout)" "$stdout_link"
long=$(printf 'n%.0s' {1..250}).c
run "$PKGINIT" link -o "$long" a.rec p.rec
expect_eq "a 252-byte output name: written, no temporary left" \
	"$RC $(ls -A | grep -c '\.tmp\.')" "0 0"
rm -f "$long" out2.c viastdout.c
# Permissions, as an unprivileged user: nothing written, the real cause.
mkdir -p ro
cp out.c ro/t.c
chmod 666 ro/t.c
chmod 555 ro
chmod 644 a.rec p.rec
bad "an unwritable directory (unprivileged)" 3 asuser "$PKGINIT" link -o ro/t.c a.rec p.rec
bad "a missing directory" 3 "$PKGINIT" link -o nodir/t.c a.rec p.rec
ln -s loop1 loop2; ln -s loop2 loop1
bad "an output through a loop of links" 3 "$PKGINIT" link -o loop1 a.rec p.rec
rm -f loop1 loop2
chmod 640 out.yaml

# ---- 4. bounded input -----------------------------------------------------------

truncate -s 65M big.rec
printf 'pkginit: 1\nkind: config\n' >big.yaml
truncate -s 2M big.yaml
touch -d '2001-02-03 04:05:06' big.rec big.yaml
bad "link /dev/zero" 3 bounded "$PKGINIT" link -o out.c /dev/zero
bad "a 65 MiB record" 3 bounded "$PKGINIT" link -o out.c big.rec
bad "--config /dev/zero" 3 bounded "$PKGINIT" link --config /dev/zero -o out.c a.rec p.rec
bad "a 2 MiB pkginit.yaml" 3 bounded "$PKGINIT" link --config big.yaml -o out.c a.rec p.rec
bad "check --expect /dev/zero" 3 bounded "$PKGINIT" check --expect /dev/zero a.rec p.rec
bad "check --update --expect /dev/full" 3 bounded "$PKGINIT" check --update --expect /dev/full a.rec p.rec
run bounded "$PKGINIT" check --update --order lex --expect /dev/full a.rec p.rec
expect_rc "check --update --order --expect /dev/full: the old lock is not read" 3
msg "check --update --order --expect /dev/full"
bad "--compdb /dev/zero" 3 bounded "$PKGINIT" gen -o out.c --compdb /dev/zero
{ printf 'pkginit: 1\nkind: scan\ntu: ['; head -c 8400000 /dev/zero | tr '\0' 'a' | sed 's/a/a,/g'; echo 'a]'; } >many.rec 2>/dev/null ||
	{ printf 'pkginit: 1\nkind: scan\ntu: ['; yes 'a,' | head -n 4200000 | tr -d '\n'; echo 'a]'; } >many.rec
touch -d '2001-02-03 04:05:06' many.rec
bad "a record of 4 million values" 3 bounded "$PKGINIT" link -o out.c many.rec
rm -f big.rec big.yaml many.rec

# ---- 5. records are untrusted (tests/e2e/table.sh has the rest) -----------------

sed 's/name: a_init/name: "a_init(void); int evil = 1; extern void x"/' a.rec >evil.rec
sed 's/package: a}/package: ..\/x}/' a.rec >evilpkg.rec
sed 's/name: a_init/name: pkgrt_inittab/' a.rec >evilsym.rec
touch -d '2001-02-03 04:05:06' evil.rec evilpkg.rec evilsym.rec
bad "a record that smuggles code into the table" 3 "$PKGINIT" link -o out.c evil.rec p.rec
bad "a record with the package ../x" 3 "$PKGINIT" link -o out.c evilpkg.rec p.rec
bad "a record whose init is the table's own symbol" 3 "$PKGINIT" link -o out.c evilsym.rec p.rec

# ---- 6. init functions the table cannot call ---------------------------------

write bad6/inline.c <<'C'
#include <pkginit.h>
PKG_INIT inline void inline_init(void) {}
C
write bad6/externinline.c <<'C'
#include <pkginit.h>
extern inline void ok_init(void);
PKG_INIT inline void ok_init(void) {}
C
write bad6/asm.c <<'C'
#include <pkginit.h>
PKG_INIT void asm_init(void) __asm__("renamed");
void asm_init(void) {}
C
write bad6/main.c <<'C'
#include <pkginit.h>
PKG_INIT int main(void) { return 0; }
C
write bad6/ctor.c <<'C'
#include <pkginit.h>
#define CTOR __attribute__((constructor))
PKG_INIT CTOR void ctor_init(void) {}
C
write bad6/dtor.c <<'C'
#include <pkginit.h>
PKG_INIT __attribute__((destructor)) void dtor_init(void) {}
C
write bad6/var.c <<'C'
#include <pkginit.h>
PKG_INIT int counter;
C
write bad6/collide.c <<'C'
#include <pkginit.h>
PKG_INIT void pkgrt_run_inits(void) {}
PKG_INIT void puts(void) {}
PKG_INIT void _start_init(void) {}
C
printf 'int x;\n' >bad6/x.cpp
printf 'int x;\n' >bad6/x.m
for f in inline asm main ctor dtor var collide; do
	bad "scan: bad6/$f.c" 1 "$PKGINIT" scan --no-cache -o out.rec "bad6/$f.c" -- $CF
done
run "$PKGINIT" scan --no-cache -o ei.rec bad6/externinline.c -- $CF
expect_eq "scan: an inline definition with an extern declaration is callable" \
	"$RC $(sed -n '/^inits:/,/^imports:/p' ei.rec | grep -c 'name: ok_init')" "0 1"
rm -f ei.rec
bad "scan: a C++ file" 2 "$PKGINIT" scan --no-cache -o out.rec bad6/x.cpp -- $CF
bad "scan: an Objective-C file" 2 "$PKGINIT" scan --no-cache -o out.rec bad6/x.m -- $CF
bad "scan: -x c++" 2 "$PKGINIT" scan --no-cache -o out.rec a/a.c -- $CF -x c++
bad "gen: -ObjC" 2 "$PKGINIT" gen --no-cache -o out.c a/a.c p/main.c -- $CF -ObjC

# ---- 7. compile commands as gcc builds write them ------------------------------

cat >db-gcc.json <<JSON
[{"directory": "$PWD", "file": "a/a.c",
  "command": "gcc $CF -fconserve-stack -fanalyzer -mindirect-branch=thunk-extern -fno-allow-store-data-races -Wno-maybe-uninitialized -Werror=stringop-overflow -c a/a.c -o a.o -MD -MF a.d -Wp,-MMD,a.dd"},
 {"directory": "$PWD", "file": "p/main.c",
  "command": "gcc $CF -fconserve-stack -c p/main.c -o main.o"}]
JSON
run "$PKGINIT" gen --no-cache --compdb db-gcc.json -o gcc.c --report gcc.yaml -v
expect_rc "a gcc compilation database: scanned" 0
expect_same_file "a gcc compilation database: the same report" gcc.yaml out.yaml
msg "a gcc compilation database: one warning per flag, -v counts"
expect_eq "a gcc compilation database: no depfile written" "$(ls a.d a.dd 2>&1 | grep -c 'No such')" 2
rm -f gcc.c gcc.yaml
bad "scan: a flag clang does not know, after --" 3 \
	"$PKGINIT" scan --no-cache -o out.rec a/a.c -- $CF -fconserve-stack
write bad7/syntax.c <<'C'
int x = ;
C
cat >db-fail.json <<JSON
[{"directory": "$PWD", "file": "a/a.c", "command": "cc $CF -c a/a.c"},
 {"directory": "$PWD", "file": "bad7/syntax.c", "command": "cc $CF -c bad7/syntax.c"}]
JSON
touch -d '2001-02-03 04:05:06' db-gcc.json db-fail.json
bad "-v counts failures" 3 "$PKGINIT" gen --no-cache -v --compdb db-fail.json -o out.c

# ---- 8. scan correctness -------------------------------------------------------

write s8/pragma.c <<'C'
#pragma GCC diagnostic error "-Wunused-function"
#include <pkginit.h>
static void helper(void) {}
PKG_INIT void pragma_init(void) { helper(); }
C
run "$PKGINIT" scan --no-cache -o s8.rec s8/pragma.c -- $CF -Werror
expect_eq "#pragma GCC diagnostic error: skipped bodies do not fail the scan" \
	"$RC $(sed -n '/^inits:/,/^imports:/p' s8.rec | grep -c 'name: pragma_init')" "0 1"
write s8/m/main.h <<'C'
int main(void) { return 0; }
C
write s8/m/m.c <<'C'
#include "s8/m/main.h"
C
run "$PKGINIT" scan --no-cache -o s8.rec s8/m/m.c -- $CF
expect_eq "main in a header the TU includes is seen" \
	"$RC $(grep '^main:' s8.rec)" "0 main: {file: s8/m/main.h, line: 1, column: 5}"
write 'u8/café/c.c' <<'C'
#include <pkginit.h>
PKG_INIT void cafe_init(void) {}
C
write 'u8/q"uote/q.c' <<'C'
#include <pkginit.h>
PKG_INIT void quote_init(void) {}
C
write 'u8/b\slash/b.c' <<'C'
#include <pkginit.h>
PKG_INIT void slash_init(void) {}
C
write u8/main.c <<'C'
#include <pkginit.h>
PKG_IMPORT("u8/q\"uote"); PKG_IMPORT("u8/caf\u00e9"); PKG_IMPORT(u8"u8/b\\slash");
int main(void) { return 0; }
C
run "$PKGINIT" gen --no-cache --order import -o u8.c --report u8.yaml u8/main.c 'u8/café/c.c' 'u8/q"uote/q.c' 'u8/b\slash/b.c' -- $CF
expect_rc "PKG_IMPORT of UTF-8, quoted and backslashed package paths" 0
expect_eq "imports on one line in column order (--order import)" \
	"$(sed -n 's/^  - path: //p' u8.yaml | tr '\n' ' ')" \
	'u8/q"uote "u8/café" u8/b\slash main '
if cc -std=c11 -pedantic -Werror -c -o /dev/null u8.c; then ok "their table compiles"; else not_ok "their table compiles"; fi
write d8/x.c <<'C'
#include <pkginit.h>
#ifdef WIDE
int wide;
#endif
PKG_INIT void x_init(void) {}
C
cat >db-twice.json <<JSON
[{"directory": "$PWD", "file": "d8/x.c", "command": "cc $CF -c d8/x.c"},
 {"directory": "$PWD", "file": "d8/x.c", "command": "cc $CF -DWIDE -c d8/x.c -o wide.o"},
 {"directory": "$PWD", "file": "p/main.c", "command": "cc $CF -c p/main.c"}]
JSON
run "$PKGINIT" gen --no-cache --compdb db-twice.json -o d8.c --report d8.yaml
expect_eq "one file built twice with other -D flags: one init function" \
	"$RC $(grep -c 'name: x_init' d8.yaml)" "0 1"
rm -rf s8.rec u8.c u8.yaml d8.c d8.yaml

# ---- 9. resource failures --------------------------------------------------------

# Threads that cannot be created: fewer threads, the same result.
# (Not under the sanitizers: LeakSanitizer needs a thread of its own.)
if [ -z "$SAN_FLAGS" ]; then
	chmod -R a+rX a p
	mkdir -p nproc && chmod 777 nproc
	run asuser bash -c 'ulimit -u 1 && exec "$@"' sh "$PKGINIT" gen --no-cache -j 4 \
		-o nproc/t.c --report nproc/r.yaml a/a.c p/main.c -- $CF
	expect_rc "ulimit -u 1: scanned anyway" 0
	msg "ulimit -u 1: a warning"
	expect_same_file "ulimit -u 1: the same report" nproc/r.yaml out.yaml
	rm -rf nproc
else
	ok "ulimit -u 1 # SKIP not with sanitizers (LeakSanitizer needs a thread)"
fi
# Out of memory in pkginit itself: one message, exit 3, nothing written.
# (Where it runs out depends on the machine's libraries: the message is
# matched, not compared.)
if [ -z "$SAN_FLAGS" ]; then
	{ printf 'pkginit: 1\nkind: scan\ntu: x.c\nroots: [.]\ndefines_main: false\nfiles: []\ninits: []\nimports: []\npackages: []\nincludes: []\ndeps: ['
	  head -c 60000000 /dev/zero | tr '\0' 'd'; echo ']'; } >huge.rec
	touch -d '2001-02-03 04:05:06' huge.rec
	before=$(snapshot)
	run bash -c 'ulimit -v 100000 && exec "$0" link -o out.c huge.rec' "$PKGINIT"
	expect_rc "out of memory: exit status 3" 3
	expect_eq "out of memory: one message" \
		"$(printf '%s\n' "$ERR" | wc -l) $(printf '%s\n' "$ERR" | grep -c '^pkginit: error: out of memory')" "1 1"
	expect_eq "out of memory: no file created or changed" "$(snapshot)$OUT" "$before"
	rm -f huge.rec
else
	ok "out of memory # SKIP not with sanitizers (ulimit -v)"
fi

# ---- 10. outputs others parse ------------------------------------------------------

write 'sp ace/m#$.c' <<'C'
#include "a/a.h"
C
run "$PKGINIT" scan --no-cache -MD -MP 'sp ace/m#$.c' -- $CF
expect_eq "a depfile quotes as gcc does" "$(cat 'm#$.d')" \
'm\#$$.rec: sp\ ace/m\#$$.c a/a.h
a/a.h:'
run "$PKGINIT" scan --no-cache -MD -MT 'x y' -o my.rec 'sp ace/m#$.c' -- $CF
expect_eq "-MT's target as given, as gcc does" "$(head -1 my.d)" 'x y: sp\ ace/m\#$$.c a/a.h'
rm -f 'm#$.d' 'm#$.rec' my.d my.rec
run "$PKGINIT" graph --format dot 'u8/q"uote/q.c' 'u8/b\slash/b.c' -- $CF
expect_eq "DOT labels are escaped like node names" \
	"$(printf '%s\n' "$OUT" | grep label= | grep -v cycle)" \
"	\"u8/b\\\\slash\" [label=\"u8/b\\\\slash\\n1 init\"];
	\"u8/q\\\"uote\" [label=\"u8/q\\\"uote\\n1 init\"];"
# A scan cache whose entries cannot be written: one warning, exit 0.
mkdir -p wcache
for i in $(seq 0 255); do mkdir -p "wcache/$(printf %02x "$i")"; done
chmod 555 wcache/??
chmod 777 wcache
chmod -R a+rX a p
mkdir -p wr && chmod 777 wr
run asuser "$PKGINIT" gen --cache wcache -o wr/t.c a/a.c p/main.c -- $CF
expect_rc "an unwritable scan cache entry: the run goes on" 0
expect_eq "an unwritable scan cache entry: one warning" \
	"$(printf '%s\n' "$ERR" | sed -E 's|wcache/[0-9a-f]{2}/[0-9a-f]+|wcache/XX/KEY|; s|wcache/[0-9a-f]{2}|wcache/XX|g')" \
	"pkginit: warning: cannot write 'wcache/XX/KEY': cannot create a file in directory 'wcache/XX': Permission denied"
rm -rf wr wcache

# Several failing TUs: their messages in input order whatever -j.
# The first is the slowest to parse, so that it finishes last.
for i in 1 2 3 4 5 6; do printf 'int x%s = ;\n' "$i" >"bad7/f$i.c"; done
{ seq 1 40000 | sed 's/.*/int v&(int, char *, double);/'; echo 'int x1 = ;'; } >bad7/f1.c
touch -d '2001-02-03 04:05:06' bad7/*.c
bad "six failing TUs, -j 1" 3 "$PKGINIT" gen --no-cache -j 1 -o out.c bad7/f1.c bad7/f2.c bad7/f3.c bad7/f4.c bad7/f5.c bad7/f6.c -- $CF
MSG["six failing TUs, -j 6"]=${MSG["six failing TUs, -j 1"]-}
bad "six failing TUs, -j 6" 3 "$PKGINIT" gen --no-cache -j 6 -o out.c bad7/f1.c bad7/f2.c bad7/f3.c bad7/f4.c bad7/f5.c bad7/f6.c -- $CF
write outside/o.c <<'C'
int o;
C
bad "scan outside every root: a usage error with its hint" 2 \
	"$PKGINIT" scan --no-cache --root a -o out.rec outside/o.c -- $CF

done_testing
exit
### scan -o the source
pkginit: error: -o 'a/a.c' is an input of this run: writing it would destroy it
Try 'pkginit scan --help' for more information.
### scan -MF the source
pkginit: error: -MF 'a/a.c' is an input of this run: writing it would destroy it
Try 'pkginit scan --help' for more information.
### scan -o a header it reads, spelled another way
pkginit: error: -o './a/../a/a.h' is 'a/a.h', an input of this run: writing it would destroy it
Try 'pkginit scan --help' for more information.
### gen --report a header the TUs read
pkginit: error: --report 'a/a.h' is an input of this run: writing it would destroy it
Try 'pkginit gen --help' for more information.
### gen --report a link to a header
pkginit: error: --report 'link.h' is 'a/a.h', an input of this run: writing it would destroy it
Try 'pkginit gen --help' for more information.
### link -o one of its records
pkginit: error: -o 'a.rec' is an input of this run: writing it would destroy it
Try 'pkginit link --help' for more information.
### link -o a link to one of its records
pkginit: error: -o 'link.rec' is 'a.rec', an input of this run: writing it would destroy it
Try 'pkginit link --help' for more information.
### link --report the config
pkginit: error: --report 'cfg.yaml' is an input of this run: writing it would destroy it
Try 'pkginit link --help' for more information.
### two outputs, one file
pkginit: error: -o 'out.c' and --report 'out.c' are the same file: each output needs its own
Try 'pkginit link --help' for more information.
### two outputs, one file not there yet
pkginit: error: -o 'new.c' and --report './new.c' are the same file: each output needs its own
Try 'pkginit link --help' for more information.
### check --update the lock onto a source
pkginit: error: --expect 'a/a.c' is an input of this run: writing it would destroy it
Try 'pkginit check --help' for more information.
### graph -o a record it reads
pkginit: error: -o 'p.rec' is an input of this run: writing it would destroy it
Try 'pkginit graph --help' for more information.
### an unwritable directory (unprivileged)
pkginit: error: cannot write 'ro/t.c': cannot create a file in directory 'ro': Permission denied
### a missing directory
pkginit: error: cannot write 'nodir/t.c': directory 'nodir' does not exist
### an output through a loop of links
pkginit: error: cannot write 'loop1': Too many levels of symbolic links
### link /dev/zero
pkginit: error: cannot read '/dev/zero': it is larger than 64 MiB, the limit for a scan record, report or lock file (is it the right file?)
### a 65 MiB record
pkginit: error: cannot read 'big.rec': it is larger than 64 MiB, the limit for a scan record, report or lock file (is it the right file?)
### --config /dev/zero
pkginit: error: cannot read '/dev/zero': it is larger than 1 MiB, the limit for pkginit.yaml (is it the right file?)
### a 2 MiB pkginit.yaml
pkginit: error: cannot read 'big.yaml': it is larger than 1 MiB, the limit for pkginit.yaml (is it the right file?)
### check --expect /dev/zero
pkginit: error: cannot read '/dev/zero': it is larger than 64 MiB, the limit for a scan record, report or lock file (is it the right file?)
### check --update --expect /dev/full
pkginit: error: cannot read '/dev/full': it is larger than 64 MiB, the limit for a scan record, report or lock file (is it the right file?)
### check --update --order --expect /dev/full
pkginit: error: cannot write '/dev/full': No space left on device
### --compdb /dev/zero
pkginit: error: cannot read '/dev/zero': it is larger than 256 MiB, the limit for a compilation database (is it the right file?)
### a record of 4 million values
many.rec:3:8388606: error: more than 4194304 values in one file is not supported
### a record that smuggles code into the table
evil.rec:10:12: error: invalid init function name 'a_init(void); int evil = 1; extern void x': it is not a C identifier (ASCII letters, digits and '_', not starting with a digit)
### a record with the package ../x
evilpkg.rec:7:41: error: invalid package '../x': it has a '.' or '..' component
### a record whose init is the table's own symbol
evilsym.rec:10:12: error: invalid init function name 'pkgrt_inittab': names starting with 'pkgrt_' or 'pkginit_' belong to the init table and the runtime
### scan: bad6/inline.c
bad6/inline.c:2:22: error: 'inline_init' is marked PKG_INIT but is an inline definition, which gives the table no function to call
bad6/inline.c:2:22: note: remove 'inline', or declare 'inline_init' extern in this file (C11 6.7.4)
### scan: bad6/asm.c
bad6/asm.c:3:6: error: 'asm_init' is marked PKG_INIT but an asm label renames its symbol; the init table calls it by its C name
bad6/asm.c:3:6: note: remove the asm label, or mark a plain function that calls this one
### scan: bad6/main.c
bad6/main.c:2:14: error: 'main' is marked PKG_INIT but the init table cannot call it: main is the program's entry, which runs after the table
bad6/main.c:2:14: note: give the init function another name, like '<package>_init'
### scan: bad6/ctor.c
bad6/ctor.c:3:20: error: 'ctor_init' is marked PKG_INIT but is also a constructor; it would run twice
bad6/ctor.c:3:20: note: remove __attribute__((constructor)): the init table runs it before main
### scan: bad6/dtor.c
bad6/dtor.c:2:43: error: 'dtor_init' is marked PKG_INIT but is also a destructor; it would run twice
bad6/dtor.c:2:43: note: remove __attribute__((destructor)): the init table runs it before main
### scan: bad6/var.c
bad6/var.c:2:14: error: 'counter' is marked PKG_INIT but is a variable; PKG_INIT marks an init function
bad6/var.c:2:14: note: write 'PKG_INIT void counter_init(void) { ... }' to initialize it
### scan: bad6/collide.c
bad6/collide.c:2:15: error: 'pkgrt_run_inits' is marked PKG_INIT but the init table cannot call it: names starting with 'pkgrt_' or 'pkginit_' belong to the init table and the runtime
bad6/collide.c:2:15: note: give the init function another name, like '<package>_init'
bad6/collide.c:3:15: error: 'puts' is marked PKG_INIT but the init table cannot call it: the C library already declares it (the table's runner includes <stdio.h>, <stdlib.h>, <string.h> and <time.h>)
bad6/collide.c:3:15: note: give the init function another name, like '<package>_init'
bad6/collide.c:4:15: error: '_start_init' is marked PKG_INIT but the init table cannot call it: names starting with '_' are reserved for the C implementation (C11 7.1.3)
bad6/collide.c:4:15: note: give the init function another name, like '<package>_init'
### scan: a C++ file
pkginit: error: 'bad6/x.cpp' is not a C source (.c); pkginit scans C translation units
Try 'pkginit scan --help' for more information.
### scan: an Objective-C file
pkginit: error: 'bad6/x.m' is not a C source (.c); pkginit scans C translation units
Try 'pkginit scan --help' for more information.
### scan: -x c++
pkginit: error: '-x c++' makes the sources another language than C; pkginit scans C translation units
Try 'pkginit scan --help' for more information.
### gen: -ObjC
pkginit: error: '-ObjC' makes the sources another language than C; pkginit scans C translation units
Try 'pkginit gen --help' for more information.
### a gcc compilation database: one warning per flag, -v counts
db-gcc.json:1:2: warning: compile command 1: clang does not know '-fconserve-stack' (2 commands have it); scanning without it
db-gcc.json:1:2: warning: compile command 1: clang does not know '-fanalyzer' (1 command has it); scanning without it
db-gcc.json:1:2: warning: compile command 1: clang does not know '-mindirect-branch=thunk-extern' (1 command has it); scanning without it
db-gcc.json:1:2: warning: compile command 1: clang does not know '-fno-allow-store-data-races' (1 command has it); scanning without it
pkginit: note: a/a.c: parsed
pkginit: note: p/main.c: parsed
pkginit: note: 2 translation units: 2 parsed, 0 from the cache (no cache)
pkginit: note: facts: 2 functions, 0 variables (0 tables), 0 calls, 0 accesses; 0 constraints between 1 init functions
### scan: a flag clang does not know, after --
a/a.c: error: unknown argument: '-fconserve-stack'
pkginit: note: fix or remove the flag among those after '--'
### -v counts failures
bad7/syntax.c:1:9: error: expected expression
pkginit: note: a/a.c: parsed
pkginit: note: bad7/syntax.c: failed
pkginit: note: 2 translation units: 1 parsed, 0 from the cache, 1 failed (no cache)
### ulimit -u 1: a warning
pkginit: warning: could only start 0 of 2 scanning threads (Resource temporarily unavailable); scanning in the main thread
### six failing TUs, -j 1
bad7/f1.c:40001:10: error: expected expression
bad7/f2.c:1:10: error: expected expression
bad7/f3.c:1:10: error: expected expression
bad7/f4.c:1:10: error: expected expression
bad7/f5.c:1:10: error: expected expression
bad7/f6.c:1:10: error: expected expression
### six failing TUs, -j 6
bad7/f1.c:40001:10: error: expected expression
bad7/f2.c:1:10: error: expected expression
bad7/f3.c:1:10: error: expected expression
bad7/f4.c:1:10: error: expected expression
bad7/f5.c:1:10: error: expected expression
bad7/f6.c:1:10: error: expected expression
### scan outside every root: a usage error with its hint
outside/o.c: error: file is outside every root ('a'), so it belongs to no package
pkginit: note: add --root for the directory that holds its package, or scan from that directory
Try 'pkginit scan --help' for more information.
