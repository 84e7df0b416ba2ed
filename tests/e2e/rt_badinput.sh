#!/usr/bin/env bash
# rt_badinput.sh - the runtime's answers to what rt_fatal.sh does not
# cover: every other PKGRT_* value it refuses, an init table that is
# damaged (a NULL function, tasks without a task array, a task without
# functions or in a bad state, a function of an unknown kind, another
# ABI's string), a main goroutine stack the kernel will not map (not
# fatal: the OS stack), and crashes by each signal the runtime
# names.  Each is asserted three ways: the exit status, the exact
# message, and (for the fatal ones) that nothing else ran: no init
# function after the failure, no main, nothing on stdout.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"
ulimit -c 0     # the crashes below would dump core
# Under an unlimited stack the default is the OS stack, not a size (the
# messages below name one): give it a limit.
[ "$(ulimit -s)" = unlimited ] && ulimit -s 8192

scratch rt_badinput
write main.c <<'EOF'
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Unbuffered, so what ran before a fatal error shows: the runtime exits
 * at once, without flushing stdio (Go's throw). */
void a_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("a_init\n");
}

/* CRASH=<signal name>: die of that signal inside an init function. */
void crash_init(void)
{
	const char *how = getenv("CRASH");
	static volatile int zero, seven = 7;   /* 1/x is not a division to gcc */
	if (how == NULL)
		return;
	if (strcmp(how, "FPE") == 0)
		printf("%d\n", seven / zero);
	if (strcmp(how, "ILL") == 0)
		__builtin_trap();
	if (strcmp(how, "ABRT") == 0)
		abort();
	if (strcmp(how, "BUS") == 0) {
		/* A page of a file that is shorter than the mapping. */
		FILE *f = tmpfile();
		char *p = f ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(f), 0) : MAP_FAILED;
		if (p != MAP_FAILED)
			printf("%d\n", *(volatile char *)p);
	}
}

int main(void)
{
	printf("main\n");
	return 0;
}
EOF
# table FILE BODY: an init table in the generated form, with BODY after
# the declarations (for the tables pkginit never writes).
table() {
	{
		echo 'typedef void pkgrt_initfn(void);'
		echo 'struct pkgrt_inittask { unsigned int state; unsigned int nfns;'
		echo '	const char *path; pkgrt_initfn *const *fns; const char *const *names;'
		echo '	const unsigned char *kinds; };'
		echo 'struct pkgrt_inittab { const char *abi; unsigned int ntasks; struct pkgrt_inittask *tasks; };'
		echo 'extern const char pkgrt_abi_v2[];'
		echo 'extern pkgrt_initfn a_init, crash_init;'
		echo "$2"
	} >"$1"
}
mktable ok.c a:a_init crash:crash_init
mktable state.c --state 7 a:a_init
table nullfn.c 'static pkgrt_initfn *const fns[] = { a_init, 0 };
static const char *const names[] = { "a_init", "gone_init" };
static struct pkgrt_inittask tasks[] = { { 0, 2, "a", fns, names, 0 } };
const struct pkgrt_inittab pkgrt_inittab = { pkgrt_abi_v2, 1, tasks };'
table notasks.c 'const struct pkgrt_inittab pkgrt_inittab = { pkgrt_abi_v2, 3, 0 };'
table nofns.c 'static struct pkgrt_inittask tasks[] = { { 0, 0, "empty", 0, 0, 0 } };
const struct pkgrt_inittab pkgrt_inittab = { pkgrt_abi_v2, 1, tasks };'
table kind.c 'static pkgrt_initfn *const fns[] = { a_init, crash_init };
static const char *const names[] = { "a_init", "crash_init" };
static const unsigned char kinds[] = { 0, 9 };
static struct pkgrt_inittask tasks[] = { { 0, 2, "a", fns, names, kinds } };
const struct pkgrt_inittab pkgrt_inittab = { pkgrt_abi_v2, 1, tasks };'
table abi.c '/* The ABI symbol is linked, but the table points elsewhere: a table
 * written for another runtime that kept the symbol name. */
const char *const keep = pkgrt_abi_v2;
const struct pkgrt_inittab pkgrt_inittab = { "pkgrt init table ABI 3", 0, 0 };'
for t in ok state nullfn notasks nofns kind abi; do
	rtbuild "prog_$t" -- main.c "$t.c" || { not_ok "link prog_$t"; sed 's/^/#   /' link.err; }
done
size=$(ulimit -s)
if [ "$size" = unlimited ]; then want=8M; else
	want=$(( size / 1024 ))M
	[ $(( size % 1024 )) -eq 0 ] || want=${size}K
fi

# fatal NAME STATUS MESSAGE OUT CMD...: CMD ends with STATUS, MESSAGE on
# stderr and OUT on stdout (what ran before the failure).
fatal() {
	local name=$1 status=$2 msg=$3 out=$4
	shift 4
	run "$@"
	expect_rc "$name: exit status $status" "$status"
	expect_eq "$name: the message" "$ERR" "$msg"
	expect_eq "$name: nothing ran after it" "$OUT" "$out"
}

# ---- the environment: one line, the default, the program runs -------------

run env PKGRT_MAXPROCS=abc ./prog_ok
expect_rc "PKGRT_MAXPROCS=abc: the program runs" 0
expect_eq "PKGRT_MAXPROCS=abc: the message" "$ERR" \
	"pkgrt: PKGRT_MAXPROCS=\"abc\": not a number; using $NCPU (the CPU count)"
run env PKGRT_MAXPROCS=1025 ./prog_ok
expect_eq "PKGRT_MAXPROCS=1025: the message" "$ERR" \
	"pkgrt: PKGRT_MAXPROCS=\"1025\": out of range (want 1 to 1024); using $NCPU (the CPU count)"
run env PKGRT_MAXPROCS= ./prog_ok
expect_eq "PKGRT_MAXPROCS empty: the message" "$ERR" \
	"pkgrt: PKGRT_MAXPROCS=\"\": not a number; using $NCPU (the CPU count)"
run env PKGRT_DEBUG=inittrace ./prog_ok
expect_rc "PKGRT_DEBUG=inittrace: the program runs" 0
expect_eq "PKGRT_DEBUG=inittrace: the message" "$ERR" \
	'pkgrt: PKGRT_DEBUG="inittrace": want key=value, not inittrace; ignored'
run env PKGRT_DEBUG=inittrace=99999999999 ./prog_ok
expect_eq "PKGRT_DEBUG value too large: the message" "$ERR" \
	'pkgrt: PKGRT_DEBUG="inittrace=99999999999": bad value for inittrace (want a number); using 0'
run env PKGRT_STACK= ./prog_ok
expect_rc "PKGRT_STACK empty: the program runs" 0
expect_eq "PKGRT_STACK empty: the message" "$ERR" \
	"pkgrt: PKGRT_STACK=\"\": not a size (want a number with an optional K, M or G suffix, e.g. 8M); using $want"
run env PKGRT_STACK=99999999999999999999K ./prog_ok
expect_eq "PKGRT_STACK overflowing: the message" "$ERR" \
	"pkgrt: PKGRT_STACK=\"99999999999999999999K\": too large (maximum 64G); using $want"
run env PKGRT_=1 ./prog_ok
expect_eq "PKGRT_ alone: the message" "$ERR" \
	'pkgrt: PKGRT_="1": unknown variable (known: PKGRT_DEBUG, PKGRT_MAXPROCS, PKGRT_STACK); ignored'
expect_eq "bad values: the program's output is as always" "$OUT" "a_init
main"

# ---- fatal: status 2, one line, nothing runs after ------------------------

fatal "a task in a bad state" 2 \
	"pkgrt: fatal: init task of package a has a bad state 7" "" ./prog_state
fatal "a NULL init function" 2 \
	"pkgrt: fatal: init function is NULL" "a_init" ./prog_nullfn
fatal "tasks without a task array" 2 \
	"pkgrt: fatal: init table has tasks but no task array" "" ./prog_notasks
fatal "a task without functions" 2 \
	"pkgrt: fatal: inittask with no functions: package empty" "" ./prog_nofns
fatal "a function of an unknown kind" 2 \
	"pkgrt: fatal: init task of package a has a bad kind 9 for init function crash_init" "a_init" ./prog_kind
fatal "a table of another ABI" 2 \
	"pkgrt: fatal: the init table was generated for another runtime ABI" "" ./prog_abi
if [ -n "$SAN_FLAGS" ]; then
	# ASan reserves terabytes of address space: no ulimit -v under it.
	ok "a stack the kernel refuses # SKIP not with sanitizers (make test SANITIZE=...)"
else
	# not fatal: the program runs on the OS stack, as it would without us
	run bash -c 'ulimit -v 1048576 && PKGRT_STACK=4G exec ./prog_ok'
	expect_rc "a stack the kernel refuses: the program still runs" 0
	expect_eq "a stack the kernel refuses: one line says so" "$ERR" \
		'pkgrt: PKGRT_STACK="4G": cannot reserve a stack of that size; using the OS stack'
	expect_eq "a stack the kernel refuses: everything ran" "$OUT" "a_init
main"
fi

# ---- crashes in an init function: named, then the signal's own death ------

for sig in FPE:136:"SIGFPE: floating-point exception" ILL:132:"SIGILL: illegal instruction" \
	BUS:135:"SIGBUS: bus error" ABRT:134:"SIGABRT: abort"; do
	IFS=: read -r name status what <<<"$sig"
	run env CRASH="$name" ./prog_ok
	expect_rc "SIG$name in an init function: dies of it" "$status"
	# a fault names its address; abort(3), a signal the init sent itself, its sender
	where='addr=0x[0-9a-f]+'
	[ "$name" = ABRT ] && where='sent by pid [0-9]+,'
	expect_match "SIG$name in an init function: named" "$ERR" \
		"^pkgrt: fatal: signal $what in init function crash_init of package crash \\($where pc=0x[0-9a-f]+\\)\$"
	expect_eq "SIG$name in an init function: one line" "$(printf '%s\n' "$ERR" | wc -l)" 1
	expect_eq "SIG$name in an init function: main did not run" "$OUT" "a_init"
done

done_testing
