#!/usr/bin/env bash
# uses.sh - init order from what the code does (--deps uses), end to end,
# on samples/umbrella: a program written without pkginit in mind, whose
# four directories all include each other (util/all.h), whose main.c sits
# in core/ beside library files, and whose start-up weaves between the
# directories (core -> os -> core).  There is no pkginit.yaml.
#
#   - --deps uses builds it and it runs: each init function dies if what
#     it reads is not set yet, so a run proves the order; gen and
#     scan+link (pkginit.mk) write the same table byte for byte; the
#     rt0, ctor and manual drivers run the same order; inittrace shows
#     core in two tasks, and a call back into initialization from core's
#     second task is recursive initialization of core; a failing int
#     init function stops start-up; PKGINIT_DEPS and deps: in pkginit.yaml;
#   - the analysis: a table several init functions write orders nothing,
#     an address given to a variadic logger is a read (given as int * it
#     is a write, and then there is a real cycle), same-named static
#     functions of two TUs stay apart, a read in a fragment #included in
#     a body is placed in the function's file; an address given to a
#     function without a prototype is a write, and so are writes that
#     macros and the variable's own address hide (INC(x), LIST_INIT(&h),
#     *buf = 0, SET(p, &v));
#   - --deps include: the import cycle; with the directories merged into
#     one package (pkginit.yaml), 'unsafe init order' with each chain,
#     exit 1; --no-verify links it and the program dies at start-up;
#   - pkginit why, between init functions and between packages;
#   - PKG_AFTER: an unknown name, a cycle with the uses constraints, the
#     order inside a package and across packages in include mode;
#   - pkginit check with the sample's lock, records without function
#     facts, and the scan cache.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

SRCS="core/main.c core/times.c core/crc32.c core/slab.c os/posix.c net/net.c util/log.c"
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -I. -I$RTINC"
# The lines the init functions print, in the only order that works.
RUN_OK="time_init: cached_time set
os_init: read cached_time, set pagesize and cacheline
slab_init: read pagesize (through os_page_round)
crc32_init: read cacheline and err_levels
net_init: read the slab and the crc table"
# What main prints (the packet's crc is CRC-32 of "hello").
MAIN_OK_RE='^main: packet "hello" crc32 3610a686, 160 bytes of slab, page [0-9]+, line [0-9]+$'

# The runtime's link flags (PKG_CONFIG_PATH is the build tree's: e2e.sh).
read -ra RTLIBS <<<"$(pkg-config --libs pkgrt)"
# copy: a scratch copy of samples/umbrella; cd into it.
copy() {
	scratch "$1"
	cp -r "$TOP/samples/umbrella/." .
}
trace_pkgs() { printf '%s\n' "$1" | sed -n 's/^init \([^ ]*\) @[0-9.]* ms, [0-9.]* ms clock$/\1/p' | tr '\n' ' '; }
# inits_of REPORT: the init functions of a report or lock, in run order.
inits_of() { sed -n 's/^ *- {name: \([^,]*\),.*/\1/p' "$1" | tr '\n' ' '; }
# The sample merged into one package: include mode can order it.
merged_config() {
	write pkginit.yaml <<'Y'
pkginit: 1
kind: config
packages:
  - files: [core/**, os/**, net/**, util/**]
    package: lib
Y
}

# ---- --deps uses: builds with pkginit.mk (scan + link), runs ------------
copy make
[ -e pkginit.yaml ] && not_ok "the sample has no pkginit.yaml" || ok "the sample has no pkginit.yaml"
run make --no-print-directory PKGINIT_PREFIX="$BUILD" O=build
expect_rc "make (PKGINIT_DEPS=uses, scan + link) builds it" 0
expect_match "... the records are scanned with --deps uses" "$OUT" "pkginit scan .*--deps uses .*core/crc32.c"
expect_match "... and linked with --deps uses" "$OUT" "pkginit link .*--deps uses"
run env PKGRT_DEBUG=inittrace=1 build/umbrella
expect_rc "it runs" 0
expect_eq "every init function found what it reads already set" "$(printf '%s\n' "$OUT" | sed '$d')" "$RUN_OK"
expect_match "main runs last, with everything ready" "$(printf '%s\n' "$OUT" | tail -1)" "$MAIN_OK_RE"
expect_eq "inittrace: core runs in two tasks, before and after os" "$(trace_pkgs "$ERR")" "core os core net "
expect_eq "the report lists the init functions in run order" "$(inits_of build/init.yaml)" \
	"time_init os_init slab_init crc32_init net_init "
expect_match "the report says deps: uses" "$(cat build/init.yaml)" "^deps: uses$"
expect_eq "the report has core twice, with its init functions of each task" \
	"$(awk '/^  - path:/{p=$3} /^      - \{name:/{print p}' build/init.yaml | tr '\n' ' ')" "core os core core net "
expect_eq "main is a package of its own (core/main.c), the rest of core stays core" \
	"$(sed -n 's/^  - path: //p' build/init.yaml | sort -u | tr '\n' ' ')" "core main net os util "
run make --no-print-directory PKGINIT_PREFIX="$BUILD" O=build check-init
expect_rc "make check-init: the order is the committed lock's" 0
run make --no-print-directory -q PKGINIT_PREFIX="$BUILD" O=build
expect_rc "a second make has nothing to do" 0
run make --no-print-directory PKGINIT_PREFIX="$BUILD" O=build-include PKGINIT_DEPS=include
expect_rc "make PKGINIT_DEPS=include: the import cycle stops the build" 2
expect_match "... with pkginit's message" "$ERR" "^core/core.h:8: error: import cycle not allowed$"
[ -e build-include/umbrella ] && not_ok "... no program" || ok "... no program"
run make --no-print-directory PKGINIT_PREFIX="$BUILD" O=build-ctor PKGINIT_DRIVER=ctor
expect_rc "make PKGINIT_DRIVER=ctor (no runtime) builds it too" 0
run build-ctor/umbrella
expect_eq "... and it runs in the same order" "$(printf '%s\n' "$OUT" | sed '$d')" "$RUN_OK"

# gen writes the same table as scan + link.
run "$PKGINIT" gen --deps uses --no-cache -o gen.c --report gen.yaml $SRCS -- $CFLAGS
expect_rc "pkginit gen --deps uses" 0
expect_same_file "gen and scan + link: the same table, byte for byte" gen.c build/inittab.c
expect_same_file "gen and scan + link: the same report" gen.yaml build/init.yaml
expect_same_file "the report is the committed lock" gen.yaml init.lock.yaml
run "$PKGINIT" gen --deps uses --order import --no-cache -o imp.c --report imp.yaml $SRCS -- $CFLAGS
expect_eq "--order import: the constraints give the same order" "$(inits_of imp.yaml)" \
	"time_init os_init slab_init crc32_init net_init "
# deps: in pkginit.yaml is the same as --deps; the command line wins.
printf 'pkginit: 1\nkind: config\ndeps: uses\n' >pkginit.yaml
run "$PKGINIT" gen --no-cache -o cfg.c $SRCS -- $CFLAGS
expect_same_file "'deps: uses' in pkginit.yaml: the same table" cfg.c gen.c
run "$PKGINIT" gen --deps include --no-cache -o cfg2.c $SRCS -- $CFLAGS
expect_rc "... --deps include on the command line wins: the import cycle" 1
rm pkginit.yaml

# A failing int init function stops start-up where it is.
run env PKGRT_DEBUG=inittrace=1 UMBRELLA_NET_DOWN=1 build/umbrella
expect_rc "net_init returning -1: exit status 255" 255
expect_eq "... the init functions before it ran, main did not" "$OUT" "$(printf '%s\n' "$RUN_OK" | sed '$d')"
expect_match "... its error path logged (the level's address given to the logger)" "$ERR" \
	"^net: UMBRELLA_NET_DOWN is set \(level unset\)$"
expect_match "... the runtime names the function, its package and the value" "$ERR" \
	"^pkgrt: init function net_init of package net failed with status -1$"

# ---- the three drivers ------------------------------------------------
# ctor and manual: the table runs itself; the program links without the
# runtime.  manual: the program's own main calls pkgrt_run_inits() first
# (the sample's main is renamed, so the sample itself stays as it is).
write manual_main.c <<'C'
#include <pkgrt.h>
#include <stdio.h>
int umbrella_main(int argc, char **argv);
int main(int argc, char **argv)
{
	puts("manual: main starts");
	pkgrt_run_inits();
	return umbrella_main(argc, argv);
}
C
# REINIT=1: slab_init, in core's second task, calls back into
# initialization (on its own line, so no init function moves).
sed -i 's|^\tlog_set_level(MOD_SLAB, LOG_INFO);$|&\n\tif (getenv("REINIT")) { extern void pkgrt_run_inits(void); pkgrt_run_inits(); }|' core/slab.c
grep -q REINIT core/slab.c || not_ok "core/slab.c: REINIT added"
for driver in rt0 ctor manual; do
	run "$PKGINIT" gen --deps uses --no-cache --driver=$driver -o tab_$driver.c $SRCS -- $CFLAGS
	expect_rc "$driver: gen --deps uses" 0
	objs=()
	for f in $SRCS; do
		o=obj_$driver/${f%.c}.o
		mkdir -p "$(dirname "$o")"
		if [ $driver = manual ] && [ $f = core/main.c ]; then
			cc $CFLAGS -Dmain=umbrella_main -c $f -o "$o"
		else
			cc $CFLAGS -c $f -o "$o"
		fi
		objs+=("$o")
	done
	cc -c tab_$driver.c -o tab_$driver.o
	case $driver in
	rt0) cc -o prog_rt0 "${objs[@]}" tab_rt0.o "${RTLIBS[@]}" ;;
	ctor) cc -o prog_ctor "${objs[@]}" tab_ctor.o ;;
	manual) cc $CFLAGS -c manual_main.c -o manual_main.o && cc -o prog_manual "${objs[@]}" manual_main.o tab_manual.o ;;
	esac
	expect_eq "$driver: links" "$?" 0
	run env PKGRT_DEBUG=inittrace=1 ./prog_$driver
	expect_rc "$driver: runs" 0
	want=$RUN_OK
	[ $driver = manual ] && want="manual: main starts
$RUN_OK"
	expect_eq "$driver: the same order" "$(printf '%s\n' "$OUT" | sed '$d')" "$want"
	expect_match "$driver: main ran" "$(printf '%s\n' "$OUT" | tail -1)" "$MAIN_OK_RE"
	expect_eq "$driver: inittrace shows core in two tasks" "$(trace_pkgs "$ERR")" "core os core net "
	run env REINIT=1 ./prog_$driver
	expect_rc "$driver: an init function of core's second task calling pkgrt_run_inits: exit status 2" 2
	expect_eq "$driver: ... recursive initialization of core, the runtime's message" "$ERR" \
		"pkgrt: fatal: recursive call during initialization: package core is already being initialized"
done
expect_same_file "the rt0 table is make's" tab_rt0.c build/inittab.c

# ---- what the analysis sees ------------------------------------------
copy why
# err_levels is written by time_init, os_init and slab_init, each its own
# entry: no order between them.
run "$PKGINIT" why --deps uses --no-cache slab_init time_init $SRCS -- $CFLAGS
expect_rc "why slab_init time_init: no reason (a table both write orders nothing)" 1
expect_eq "... says so" "$ERR" "pkginit: note: slab_init does not depend on time_init directly"
run "$PKGINIT" why --deps uses --no-cache time_init os_init $SRCS -- $CFLAGS
expect_rc "why time_init os_init: none the other way (core's headers include os's only through util)" 1
# Every reason, each at its place: the call chain to the read, the one to
# the write, and os/os.h's inline function.
run "$PKGINIT" why --deps uses --no-cache crc32_init os_init $SRCS -- $CFLAGS
expect_rc "why crc32_init os_init" 0
expect_eq "... both variables, each chain, in compiler format" "$ERR" \
"core/crc32.c:27:15: note: 'crc32_init' reads 'cacheline', which 'os_init' writes:
core/crc32.c:29:6: note: 'crc32_init' reads 'cacheline'
os/posix.c:30:2: note: 'os_init' calls 'probe'
os/posix.c:24:2: note: 'probe' writes 'cacheline'
core/crc32.c:27:15: note: 'crc32_init' reads 'err_levels', which 'os_init' writes:
core/crc32.c:31:23: note: 'crc32_init' reads 'err_levels'
os/posix.c:31:2: note: 'os_init' calls 'log_set_level'
util/log.c:15:2: note: 'log_set_level' writes 'err_levels'
pkginit: note: crc32_init depends on os_init: 2 reasons above"
run "$PKGINIT" why --deps uses --no-cache slab_init os_init $SRCS -- $CFLAGS
expect_eq "why slab_init os_init: through a recursive function and a header's inline function" "$ERR" \
"core/slab.c:31:15: note: 'slab_init' reads 'pagesize', which 'os_init' writes:
core/slab.c:33:14: note: 'slab_init' calls 'slab_fit'
core/slab.c:15:35: note: 'slab_fit' calls 'os_page_round'
os/os.h:18:6: note: 'os_page_round' reads 'pagesize'
os/posix.c:30:2: note: 'os_init' calls 'probe'
os/posix.c:23:2: note: 'probe' writes 'pagesize'
pkginit: note: slab_init depends on os_init: 1 reason above"
# net_init reads err_levels only by giving an entry's address to the
# variadic logger, on an error path: a read, so it comes after the
# writers, and crc32_init (which reads err_levels too) is not ordered
# after it.
run "$PKGINIT" why --deps uses --no-cache net_init os_init $SRCS -- $CFLAGS
expect_eq "why net_init os_init: &err_levels[...] given to a variadic function is a read" "$ERR" \
"net/net.c:39:14: note: 'net_init' reads 'err_levels', which 'os_init' writes:
net/net.c:41:50: note: 'net_init' calls 'net_fail'
net/net.c:18:41: note: 'net_fail' reads 'err_levels'
os/posix.c:31:2: note: 'os_init' calls 'log_set_level'
util/log.c:15:2: note: 'log_set_level' writes 'err_levels'
pkginit: note: net_init depends on os_init: 1 reason above"
run "$PKGINIT" why --deps uses --no-cache crc32_init net_init $SRCS -- $CFLAGS
expect_rc "why crc32_init net_init: none" 1
# Between packages: the #include site and the variable.
run "$PKGINIT" why --deps uses --no-cache os core $SRCS -- $CFLAGS
expect_rc "why os core" 0
expect_eq "... the include site, then the call chain and the variable" "$ERR" \
"os/posix.c:5: note: os imports core: includes core/core.h
os/posix.c:27:15: note: 'os_init' reads 'cached_time', which 'time_init' writes:
os/posix.c:29:17: note: 'os_init' calls 'time_now'
core/times.c:13:6: note: 'time_now' reads 'cached_time'
core/times.c:21:2: note: 'time_init' writes 'cached_time'
pkginit: note: os depends on core: 2 reasons above"
run "$PKGINIT" why --deps uses --no-cache net core $SRCS -- $CFLAGS
expect_rc "why net core" 0
expect_match "... net's include of core/core.h" "$ERR" "^net/net.c:4: note: net imports core: includes core/core.h$"
expect_match "... the slab net_init reads" "$ERR" "^net/net.c:39:14: note: 'net_init' reads 'slab_base', which 'slab_init' writes:$"
expect_match "... the crc table" "$ERR" "^net/net.c:39:14: note: 'net_init' reads 'crc_block', which 'crc32_init' writes:$"
expect_match "... the write, at its place" "$ERR" "^core/crc32.c:33:2: note: 'crc32_init' writes 'crc_block'$"

# The same address given as int * (to where it can be written through) is
# a write: net_init becomes a writer of err_levels, which crc32_init
# reads, and crc32_init writes what net_init reads: a real cycle.
cp net/net.c net.c.orig
sed -i 's|^static int net_fail(const char \*why)$|static void keep(int *level) { (void)level; }\n&|' net/net.c
sed -i 's|^\tlog_fmt("net: %s (level %pL)\\n", why, &err_levels\[MOD_NET\]);$|\tkeep(\&err_levels[MOD_NET]);\n&|' net/net.c
run "$PKGINIT" gen --deps uses --no-cache -o t.c $SRCS -- $CFLAGS
expect_rc "an address given as int * is a write: a cycle" 1
expect_match "... shown from crc32_init" "$ERR" "^core/crc32.c:27:15: error: init order cycle: 'crc32_init' must run before itself$"
expect_match "... crc32_init reads what net_init (now) writes" "$ERR" \
	"^core/crc32.c:27:15: note: 'crc32_init' reads 'err_levels', which 'net_init' writes:$"
expect_match "... the write is the address taken" "$ERR" "^net/net.c:19:8: note: 'net_fail' writes 'err_levels'$"
# ... and as const int * it is a read again.
sed -i 's|^static void keep(int \*level)|static void keep(const int *level)|' net/net.c
run "$PKGINIT" gen --deps uses --no-cache -o t.c --report t.yaml $SRCS -- $CFLAGS
expect_rc "an address given as const int * is a read: no cycle" 0
expect_eq "... the same order" "$(inits_of t.yaml)" "time_init os_init slab_init crc32_init net_init "
cp net.c.orig net/net.c

# The two static probe()s (os/posix.c writes pagesize and cacheline,
# net/net.c reads a packet) are two functions: were they one, net_init
# would write pagesize and slab_init, which net_init waits for, would
# wait for net_init.
run "$PKGINIT" why --deps uses --no-cache slab_init net_init $SRCS -- $CFLAGS
expect_rc "static functions of the same name in two TUs stay apart" 1

# A read in a fragment #included inside the body: the place is in the
# function's own file (the enclosing block), never a line of the
# fragment taken for a line of the function's file.
sed -n 29p core/crc32.c >core/crc32_check.inc
sed -i '29s|.*|#include "core/crc32_check.inc"|' core/crc32.c
run "$PKGINIT" why --deps uses --no-cache crc32_init os_init $SRCS -- $CFLAGS
expect_match "a read in an #included fragment: at the enclosing block" "$ERR" \
	"^core/crc32.c:28:1: note: 'crc32_init' reads 'cacheline'$"
cp "$TOP/samples/umbrella/core/crc32.c" core/crc32.c

# An address given to a function without a prototype (old code's
# 'void fill();') is given as a pointer to non-const: a write.  z_init
# fills v that way, b_init reads it: z_init first, against lex order.
scratch noproto
write z/z.c <<'C'
#include <pkginit.h>
int v;
void fill();
PKG_INIT void z_init(void) { fill(&v); }
C
write z/fill.c <<'C'
void fill(int *p) { *p = 42; }
C
write b/b.c <<'C'
#include <pkginit.h>
#include <stdlib.h>
extern int v;
PKG_INIT void b_init(void) { if (v != 42) abort(); }
C
write main.c <<'C'
int main(void) { return 0; }
C
run "$PKGINIT" gen --deps uses --no-cache -o t.c --report t.yaml main.c b/b.c z/z.c z/fill.c -- -I"$RTINC"
expect_rc "an address given to a function without a prototype" 0
expect_eq "... is a write: the writer runs first" "$(inits_of t.yaml)" "z_init b_init "
run "$PKGINIT" why --deps uses --no-cache b_init z_init main.c b/b.c z/z.c z/fill.c -- -I"$RTINC"
expect_match "... at the call" "$ERR" "^z/z.c:4:36: note: 'z_init' writes 'v'$"
# Writes the tokens or the shape hide: x++ inside a macro (the tokens
# are the macro's call), a write through the variable's own address
# ((&q)->n, as list macros do: LIST_INIT(&head)), through an array's
# first element (*buf), and &v stored by a macro (SET(p, &v)); an
# address given as const int * by a macro is still only a read.
write x/x.c <<'C'
#include <pkginit.h>
struct list { struct list *next; int n; };
struct list head, q;
char buf[8];
int n, m, v2;
int *p;
void keep(const int *p);
#define BUMP(c) c++
#define LOOK(c) keep(&c)
#define LIST_INIT(l) ((l)->next = (l))
#define SET(a, b) ((a) = (b))
PKG_INIT void x_init(void)
{
	BUMP(n); LOOK(m);
	LIST_INIT(&head);
	(&q)->n = 1;
	*buf = 'x';
	SET(p, &v2);
}
C
write b/b.c <<'C'
#include <pkginit.h>
#include <stdlib.h>
struct list { struct list *next; int n; };
extern struct list head, q;
extern char buf[8];
extern int v, n, m, v2, *p;
PKG_INIT void b_init(void)
{
	if (v != 42 || n != 1 || m != 0 || head.next != &head || q.n != 1 || buf[0] != 'x' || v2 != 0)
		abort();
}
C
run "$PKGINIT" why --deps uses --no-cache b_init x_init main.c b/b.c x/x.c z/z.c z/fill.c -- -I"$RTINC"
expect_rc "writes that tokens and shapes hide" 0
expect_eq "... are writes (and &m given as const int * by a macro is not)" "$ERR" \
"b/b.c:7:15: note: 'b_init' reads 'buf', which 'x_init' writes:
b/b.c:9:71: note: 'b_init' reads 'buf'
x/x.c:17:3: note: 'x_init' writes 'buf'
b/b.c:7:15: note: 'b_init' reads 'head', which 'x_init' writes:
b/b.c:9:37: note: 'b_init' reads 'head'
x/x.c:15:2: note: 'x_init' writes 'head'
b/b.c:7:15: note: 'b_init' reads 'n', which 'x_init' writes:
b/b.c:9:17: note: 'b_init' reads 'n'
x/x.c:14:2: note: 'x_init' writes 'n'
b/b.c:7:15: note: 'b_init' reads 'q', which 'x_init' writes:
b/b.c:9:59: note: 'b_init' reads 'q'
x/x.c:16:4: note: 'x_init' writes 'q'
b/b.c:7:15: note: 'b_init' reads 'v2', which 'x_init' writes:
b/b.c:9:88: note: 'b_init' reads 'v2'
x/x.c:18:2: note: 'x_init' writes 'v2'
pkginit: note: b_init depends on x_init: 5 reasons above"

# ---- --deps include ---------------------------------------------------
copy include
run "$PKGINIT" gen --no-cache -o t.c $SRCS -- $CFLAGS
expect_rc "--deps include: the umbrella header makes an import cycle" 1
expect_eq "... reported as one, with each include" "$ERR" \
"core/core.h:8: error: import cycle not allowed
core/core.h:8: note: core imports util (includes util/all.h)
util/all.h:11: note: util imports core (includes core/core.h)"
[ -e t.c ] && not_ok "... no table written" || ok "... no table written"

# Merging the directories into one package (all of it becomes main, as
# main's package) makes the imports acyclic, and the file order runs
# crc32_init first: verification catches it.
merged_config
run "$PKGINIT" gen --no-cache -o t.c $SRCS -- $CFLAGS
expect_rc "merged into one package: the order is unsafe, exit 1" 1
expect_eq "... each violation, with the read and the write at their places" "$ERR" \
"core/crc32.c:27:15: error: unsafe init order: 'crc32_init' runs before 'slab_init' but must run after it
core/crc32.c:27:15: note: 'crc32_init' reads 'err_levels', which 'slab_init' writes:
core/crc32.c:31:23: note: 'crc32_init' reads 'err_levels'
core/slab.c:36:2: note: 'slab_init' calls 'log_set_level'
util/log.c:15:2: note: 'log_set_level' writes 'err_levels'
core/crc32.c:27:15: error: unsafe init order: 'crc32_init' runs before 'time_init' but must run after it
core/crc32.c:27:15: note: 'crc32_init' reads 'err_levels', which 'time_init' writes:
core/crc32.c:31:23: note: 'crc32_init' reads 'err_levels'
core/times.c:23:2: note: 'time_init' calls 'log_set_level'
util/log.c:15:2: note: 'log_set_level' writes 'err_levels'
core/crc32.c:27:15: error: unsafe init order: 'crc32_init' runs before 'os_init' but must run after it
core/crc32.c:27:15: note: 'crc32_init' reads 'cacheline', which 'os_init' writes:
core/crc32.c:29:6: note: 'crc32_init' reads 'cacheline'
os/posix.c:30:2: note: 'os_init' calls 'probe'
os/posix.c:24:2: note: 'probe' writes 'cacheline'
pkginit: note: and 1 more reason: 'pkginit why crc32_init os_init' lists them all
core/slab.c:31:15: error: unsafe init order: 'slab_init' runs before 'os_init' but must run after it
core/slab.c:31:15: note: 'slab_init' reads 'pagesize', which 'os_init' writes:
core/slab.c:33:14: note: 'slab_init' calls 'slab_fit'
core/slab.c:15:35: note: 'slab_fit' calls 'os_page_round'
os/os.h:18:6: note: 'os_page_round' reads 'pagesize'
os/posix.c:30:2: note: 'os_init' calls 'probe'
os/posix.c:23:2: note: 'probe' writes 'pagesize'
net/net.c:39:14: error: unsafe init order: 'net_init' runs before 'os_init' but must run after it
net/net.c:39:14: note: 'net_init' reads 'err_levels', which 'os_init' writes:
net/net.c:41:50: note: 'net_init' calls 'net_fail'
net/net.c:18:41: note: 'net_fail' reads 'err_levels'
os/posix.c:31:2: note: 'os_init' calls 'log_set_level'
util/log.c:15:2: note: 'log_set_level' writes 'err_levels'
pkginit: note: the order comes from package imports (--deps include); --deps uses orders init functions by what they read and write, PKG_AFTER states an order, and --no-verify skips this check"
[ -e t.c ] && not_ok "... no table written" || ok "... no table written"
for f in $SRCS; do "$PKGINIT" scan --no-cache -o "${f%.c}.rec" "$f" -- $CFLAGS || echo "scan $f failed"; done
for cmd in link check; do
	if [ $cmd = link ]; then run "$PKGINIT" link -o t.c ${SRCS//.c/.rec}
	else run "$PKGINIT" check --deps include --expect "$TOP/samples/umbrella/init.lock.yaml" ${SRCS//.c/.rec}; fi
	expect_rc "$cmd: the same verification, exit 1" 1
	expect_eq "$cmd: the same 5 errors" "$(printf '%s\n' "$ERR" | grep -c ': error: unsafe init order')" 5
done
# --no-verify: Go's rules only; it links, and the program dies at start-up.
run "$PKGINIT" gen --no-verify --no-cache -o t.c --report t.yaml $SRCS -- $CFLAGS
expect_rc "--no-verify: it links" 0
expect_eq "... in file order" "$(inits_of t.yaml)" "crc32_init slab_init time_init net_init os_init "
for f in $SRCS; do cc $CFLAGS -c "$f" -o "${f%.c}.o"; done
cc -o prog_nv ${SRCS//.c/.o} t.c -x none "${RTLIBS[@]}" 2>cc.err || sed 's/^/#   /' cc.err
run ./prog_nv
if [ "$RC" -gt 128 ]; then ok "... and the program dies at start-up (status $RC)"; else
	not_ok "... and the program dies at start-up"; echo "#   status $RC"; fi
expect_eq "... in crc32_init, which read cacheline before os_init set it" "$OUT" ""
expect_match "... the program's own message" "$ERR" "^umbrella: fatal: crc32_init: cacheline read before os_init set it$"
# --deps uses with the same configuration: one package in three tasks? No:
# all of it is main, and the order is by uses alone.
run "$PKGINIT" gen --deps uses --no-cache -o u.c --report u.yaml $SRCS -- $CFLAGS
expect_rc "merged, --deps uses: fine" 0
expect_eq "... the working order" "$(inits_of u.yaml)" "time_init os_init slab_init crc32_init net_init "

# PKG_AFTER orders init functions inside a package in include mode: the
# three the errors above ask for make the order safe.
cp core/main.c main.c.orig
cat >>core/main.c <<'C'

#include <pkginit.h>
PKG_AFTER(slab_init, os_init);
PKG_AFTER(crc32_init, slab_init);
PKG_AFTER(net_init, os_init);
C
run "$PKGINIT" gen --no-cache -o t.c --report t.yaml $SRCS -- $CFLAGS
expect_rc "include mode, PKG_AFTER inside the package: verified" 0
expect_eq "... the order they state, the rest by file" "$(inits_of t.yaml)" "time_init os_init slab_init crc32_init net_init "
cc $CFLAGS -c core/main.c -o core/main.o
cc -o prog_after ${SRCS//.c/.o} t.c -x none "${RTLIBS[@]}" 2>cc.err || sed 's/^/#   /' cc.err
run ./prog_after
expect_rc "... and the program runs" 0
expect_eq "... correctly" "$(printf '%s\n' "$OUT" | sed '$d')" "$RUN_OK"
run "$PKGINIT" gen --no-verify --no-cache -o nv2.c --report nv2.yaml $SRCS -- $CFLAGS
expect_eq "--no-verify still follows PKG_AFTER" "$(inits_of nv2.yaml)" "time_init os_init slab_init crc32_init net_init "
run "$PKGINIT" why --no-cache crc32_init slab_init $SRCS -- $CFLAGS
expect_match "why lists the PKG_AFTER too, at its place" "$ERR" \
	"^core/main.c:20:1: note: 'crc32_init' runs after 'slab_init' \(PKG_AFTER\)$"
cp main.c.orig core/main.c

# ---- PKG_AFTER errors (--deps uses) -----------------------------------
copy after
cp core/slab.c slab.c.orig
echo 'PKG_AFTER(slab_init, bogus_init);' >>core/slab.c
run "$PKGINIT" gen --deps uses --no-cache -o t.c $SRCS -- $CFLAGS
expect_rc "PKG_AFTER naming no init function: exit 1" 1
expect_eq "... an error at the annotation" "$ERR" \
"core/slab.c:39:1: error: PKG_AFTER(slab_init, bogus_init): 'bogus_init' is not an init function
pkginit: note: PKG_AFTER names two functions marked PKG_INIT: the one that runs after, then the one it follows"
cp slab.c.orig core/slab.c
# time_init after net_init contradicts what the code does: a cycle, each
# link shown (net after crc32, time after net, os after time, slab after
# os, crc32 after slab).
echo 'PKG_AFTER(time_init, net_init);' >>core/times.c
run "$PKGINIT" gen --deps uses --no-cache -o t.c $SRCS -- $CFLAGS
expect_rc "a PKG_AFTER against the uses constraints: a cycle, exit 1" 1
expect_eq "... with each link" "$ERR" \
"core/crc32.c:27:15: error: init order cycle: 'crc32_init' must run before itself
net/net.c:39:14: note: 'net_init' reads 'crc_block', which 'crc32_init' writes:
net/net.c:42:13: note: 'net_init' calls 'net_packet'
net/net.c:35:11: note: 'net_packet' calls 'crc32'
core/crc32.c:22:6: note: 'crc32' reads 'crc_block'
core/crc32.c:33:2: note: 'crc32_init' writes 'crc_block'
core/times.c:26:1: note: 'time_init' runs after 'net_init' (PKG_AFTER)
os/posix.c:27:15: note: 'os_init' reads 'cached_time', which 'time_init' writes:
os/posix.c:29:17: note: 'os_init' calls 'time_now'
core/times.c:13:6: note: 'time_now' reads 'cached_time'
core/times.c:21:2: note: 'time_init' writes 'cached_time'
core/slab.c:31:15: note: 'slab_init' reads 'pagesize', which 'os_init' writes:
core/slab.c:33:14: note: 'slab_init' calls 'slab_fit'
core/slab.c:15:35: note: 'slab_fit' calls 'os_page_round'
os/os.h:18:6: note: 'os_page_round' reads 'pagesize'
os/posix.c:30:2: note: 'os_init' calls 'probe'
os/posix.c:23:2: note: 'probe' writes 'pagesize'
core/crc32.c:27:15: note: 'crc32_init' reads 'err_levels', which 'slab_init' writes:
core/crc32.c:31:23: note: 'crc32_init' reads 'err_levels'
core/slab.c:36:2: note: 'slab_init' calls 'log_set_level'
util/log.c:15:2: note: 'log_set_level' writes 'err_levels'
pkginit: note: a variable written by both orders nothing; to break the cycle, make one of them not read what the other writes, or state the order with PKG_AFTER (spec/uses.md)"
[ -e t.c ] && not_ok "... no table written" || ok "... no table written"

# PKG_AFTER across packages in include mode is an import: a and b import
# nothing, lex order runs a first; PKG_AFTER(a_init, b_init) runs b first
# and the report shows a importing b.
scratch after-include
write a/a.c <<'C'
#include <pkginit.h>
#include <stdio.h>
PKG_INIT void a_init(void) { puts("a_init"); }
PKG_AFTER(a_init, b_init);
C
write b/b.c <<'C'
#include <pkginit.h>
#include <stdio.h>
#include "c/c.h"
PKG_INIT void b_init(void) { puts("b_init"); }
C
write c/c.h <<'C'
C
write main.c <<'C'
int main(void) { return 0; }
C
run "$PKGINIT" gen --no-cache -o t.c --report t.yaml main.c a/a.c b/b.c -- -I. -I"$RTINC"
expect_rc "include mode, PKG_AFTER across packages" 0
expect_eq "... b's init function first" "$(inits_of t.yaml)" "b_init a_init "
run "$PKGINIT" why --no-cache a b main.c a/a.c b/b.c -- -I. -I"$RTINC"
expect_eq "... why a b: the annotation" "$ERR" "a/a.c:4:1: note: 'a_init' runs after 'b_init' (PKG_AFTER)
pkginit: note: a depends on b: 1 reason above"
# ... and an import cycle made by one is reported at the annotation.
write c/c.h <<'C'
#include <pkginit.h>
PKG_AFTER(b_init, a_init);
C
run "$PKGINIT" gen --no-cache -o t2.c main.c a/a.c b/b.c -- -I. -I"$RTINC"
expect_rc "two PKG_AFTERs across packages that contradict: an import cycle" 1
expect_match "... at one annotation" "$ERR" "^a/a.c:4:1: note: a imports b \(PKG_AFTER\(a_init, b_init\)\)$"
expect_match "... and the other" "$ERR" "^c/c.h:2:1: note: c imports a \(PKG_AFTER\(b_init, a_init\)\)$|^c/c.h:2:1: note: b imports a \(PKG_AFTER\(b_init, a_init\)\)$"
# Two PKG_AFTERs inside a package that contradict each other: a cycle of
# annotations alone, in both modes, and the advice is about them.
write c/c.h <<'C'
C
write d/d.c <<'C'
#include <pkginit.h>
PKG_INIT void d1(void) {}
PKG_INIT void d2(void) {}
PKG_AFTER(d1, d2);
PKG_AFTER(d2, d1);
C
for deps in include uses; do
	run "$PKGINIT" gen --deps $deps --no-cache -o t3.c main.c a/a.c b/b.c d/d.c -- -I. -I"$RTINC"
	expect_rc "$deps: PKG_AFTERs that contradict each other: exit 1" 1
	expect_eq "$deps: ... the cycle, each annotation, and what to do" "$ERR" \
"d/d.c:2:15: error: init order cycle: 'd1' must run before itself
d/d.c:5:1: note: 'd2' runs after 'd1' (PKG_AFTER)
d/d.c:4:1: note: 'd1' runs after 'd2' (PKG_AFTER)
pkginit: note: these PKG_AFTERs contradict each other: remove one of them"
done

# ---- the lock -----------------------------------------------------------
copy lock
run "$PKGINIT" check --deps uses --no-cache --expect init.lock.yaml $SRCS -- $CFLAGS
expect_rc "check --deps uses with the sample's lock: passes" 0
# crc32_init stops reading err_levels: it no longer waits for slab_init,
# and the order changes.
sed -i 's|^\t\tif (s != MOD_NET \&\& err_levels\[s\] == LOG_UNSET)$|\t\tif (0)|' core/crc32.c
sed -i 's|^\tif (log_enabled(MOD_OS, LOG_DEBUG)) |\tif (0) |' core/crc32.c
run "$PKGINIT" check --deps uses --no-cache --expect init.lock.yaml $SRCS -- $CFLAGS
expect_rc "an init function's reads change: check fails, exit 1" 1
expect_match "... with a diff: crc32_init now before slab_init" "$OUT$ERR" "^\+     crc32_init  \(core/crc32.c\)$"
run "$PKGINIT" check --no-cache --deps include --expect init.lock.yaml $SRCS -- $CFLAGS
expect_rc "check --deps include: the import cycle, exit 1" 1
expect_match "... the cycle, not a diff" "$ERR" "^core/core.h:8: error: import cycle not allowed$"

# ---- records without function facts ------------------------------------
copy facts
for f in $SRCS; do "$PKGINIT" scan --no-cache -o "${f%.c}.rec" "$f" -- $CFLAGS || echo "scan $f failed"; done
run "$PKGINIT" scan --no-verify --no-cache -o core/times.rec core/times.c -- $CFLAGS
expect_rc "scan --no-verify" 0
expect_eq "... the record has no facts" "$(grep -c '^facts: true' core/times.rec)" 0
expect_eq "... the others have" "$(cat ${SRCS//.c/.rec} | grep -c '^facts: true')" 6
run "$PKGINIT" link --deps uses -o t.c ${SRCS//.c/.rec}
expect_rc "link --deps uses of a record without facts: exit 3" 3
expect_eq "... says which record and what to do" "$ERR" \
"core/times.rec: error: this scan record has no function facts (it was scanned with --no-verify, or by a pkginit without them)
pkginit: note: scan it again without --no-verify, or pass --no-verify (with --deps include) to skip the check of the order"
merged_config
for f in $SRCS; do "$PKGINIT" scan --no-verify --no-cache -o "${f%.c}.rec" "$f" -- $CFLAGS; done
run "$PKGINIT" link -o t.c ${SRCS//.c/.rec}
expect_rc "link (include mode, verifying) of such records: the same error" 3
expect_match "... for each" "$ERR" "^core/main.rec: error: this scan record has no function facts"
run "$PKGINIT" link --no-verify -o t.c ${SRCS//.c/.rec}
expect_rc "link --no-verify of them: fine" 0

# ---- the cache -----------------------------------------------------------
copy cache
# Files saved in the clock tick a scan starts in are not cached: age the
# fresh copy (tests/lib.sh).
age
run "$PKGINIT" gen -v --deps uses --cache cache -o g1.c $SRCS -- $CFLAGS
expect_rc "gen with the cache" 0
expect_match "... the first parses every TU" "$ERR" "^pkginit: note: 7 translation units: 7 parsed, 0 from the cache$"
run "$PKGINIT" gen -v --deps uses --cache cache -o g2.c $SRCS -- $CFLAGS
expect_match "... the second parses nothing" "$ERR" "^pkginit: note: 7 translation units: 0 parsed, 7 from the cache$"
expect_same_file "... and writes the same table" g2.c g1.c
# A cached record without facts is not taken for one with them.
rm -rf cache
run "$PKGINIT" gen -v --no-verify --cache cache -o nv.c $SRCS -- $CFLAGS
run "$PKGINIT" gen -v --deps uses --cache cache -o g3.c $SRCS -- $CFLAGS
expect_rc "gen --deps uses after gen --no-verify with one cache" 0
expect_match "... parses again (the records need facts)" "$ERR" "^pkginit: note: 7 translation units: 7 parsed, 0 from the cache$"
expect_same_file "... the same table" g3.c g1.c

done_testing
