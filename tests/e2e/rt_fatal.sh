#!/usr/bin/env bash
# rt_fatal.sh - the runtime's fatal errors and warnings: a stack overflow on
# the main goroutine (default size and PKGRT_STACK=256K), a crash inside an
# init function, recursive initialization, and bad PKGRT_* values.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"
ulimit -c 0     # the crashes below would dump core
# Under an unlimited stack the main goroutine runs on the OS stack, which
# has no size to report (rt_invisible.sh tests that): give it one.
[ "$(ulimit -s)" = unlimited ] && ulimit -s 8192

scratch fatal
write main.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int mode_overflow_init;

/* Not a tail call, and a frame the compiler cannot shrink. */
static int depth(int n)
{
	volatile char frame[512];
	frame[0] = (char)n;
	return n < 0 ? 0 : depth(n + 1) + frame[0];
}

void a_init(void) { printf("a_init\n"); }
void crash_init(void)
{
	if (getenv("CRASH") != NULL) {
		volatile int *p = NULL;
		*p = 1;
	}
	if (getenv("OVERFLOW_IN_INIT") != NULL)
		mode_overflow_init = depth(0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "recurse") == 0)
		return depth(0);
	printf("main\n");
	return 0;
}
EOF
mktable inittab.c a:a_init crash:crash_init
mktable running.c --state 1 a:a_init crash:crash_init
rtbuild prog -- main.c inittab.c || { not_ok "link"; sed 's/^/#   /' link.err; done_testing; }
rtbuild prog_running -- main.c running.c || { not_ok "link"; sed 's/^/#   /' link.err; done_testing; }

# A stack overflow on the main goroutine: caught on the signal stack,
# reported with the stack's size and how to raise it; status 2.
run ./prog recurse
expect_rc "stack overflow: exit status 2" 2
size=$(ulimit -s)
want=$(( size / 1024 ))M double=$(( size * 2 / 1024 ))M
[ $(( size % 1024 )) -eq 0 ] || { want=${size}K double=$(( size * 2 ))K; }
expect_eq "stack overflow: the message names the size and PKGRT_STACK" "$ERR" \
	"pkgrt: fatal: stack overflow on the main goroutine (its stack is $want); raise it with PKGRT_STACK, e.g. PKGRT_STACK=$double"

run env PKGRT_STACK=256K ./prog recurse
expect_rc "stack overflow with PKGRT_STACK=256K: exit status 2" 2
expect_eq "stack overflow with PKGRT_STACK=256K: message" "$ERR" \
	"pkgrt: fatal: stack overflow on the main goroutine (its stack is 256K); raise it with PKGRT_STACK, e.g. PKGRT_STACK=512K"

run env PKGRT_STACK=64M ./prog recurse
expect_match "a larger PKGRT_STACK is the size used" "$ERR" 'its stack is 64M\); raise it with PKGRT_STACK, e.g. PKGRT_STACK=128M$'

run env PKGRT_STACK=256K OVERFLOW_IN_INIT=1 ./prog
expect_rc "stack overflow in an init function: exit status 2" 2
expect_match "stack overflow in an init function: names it" "$ERR" \
	'^pkgrt: fatal: stack overflow on the main goroutine \(its stack is 256K\) in init function crash_init of package crash; raise it'

# A crash inside an init function names the package and the function,
# then the process dies of the signal (so a core dump is still made).
run env CRASH=1 ./prog
expect_rc "segfault in an init function: killed by SIGSEGV" $((128 + 11))
expect_match "segfault in an init function: names it" "$ERR" \
	'^pkgrt: fatal: signal SIGSEGV: segmentation violation in init function crash_init of package crash \(addr=0x0 pc=0x[0-9a-f]+\)$'
if command -v gdb >/dev/null 2>&1; then
	# the signal the process dies of is the original fault, at the faulting
	# instruction in crash_init (what a core file would show)
	gdb_out=$(CRASH=1 gdb -batch -ex 'set pagination off' -ex run -ex continue -ex 'info symbol $pc' -ex continue ./prog 2>&1)
	expect_match "the fault is delivered again at crash_init" "$gdb_out" '^crash_init( \+ [0-9]+)? in section \.text'
	expect_match "the process then dies of SIGSEGV" "$gdb_out" 'Program terminated with signal SIGSEGV'
else
	ok "the fault is delivered again at crash_init # SKIP gdb not installed"
	ok "the process then dies of SIGSEGV # SKIP gdb not installed"
fi

# A task found running: recursive initialization, status 2.
run ./prog_running
expect_rc "recursive initialization: exit status 2" 2
expect_eq "recursive initialization: message" "$ERR" \
	"pkgrt: fatal: recursive call during initialization: package a is already being initialized"
expect_eq "recursive initialization: nothing ran" "$OUT" ""

# Bad values: one line naming the variable and the value; the default.
run env PKGRT_STACK=12X PKGRT_DEBUG=starttrace=1 ./prog
expect_rc "bad PKGRT_STACK: the program runs" 0
expect_eq "bad PKGRT_STACK: the program's output" "$OUT" "a_init
main"
expect_eq "bad PKGRT_STACK: one line on stderr naming it" \
	"$(printf '%s\n' "$ERR" | grep -v '^start ')" \
	"pkgrt: PKGRT_STACK=\"12X\": not a size (want a number with an optional K, M or G suffix, e.g. 8M); using $want"
expect_match "bad PKGRT_STACK: the default size is used" "$ERR" "^start newproc: .* size=$want \\((RLIMIT_STACK|default)\\)"

run env PKGRT_STACK=1K ./prog
expect_eq "PKGRT_STACK too small" "$ERR" "pkgrt: PKGRT_STACK=\"1K\": too small (minimum 16K); using $want"
run env PKGRT_STACK=1T ./prog
expect_match "PKGRT_STACK too large" "$ERR" '^pkgrt: PKGRT_STACK="1T": not a size'
run env PKGRT_STACK=65G ./prog
expect_eq "PKGRT_STACK above 64G" "$ERR" "pkgrt: PKGRT_STACK=\"65G\": too large (maximum 64G); using $want"

run env PKGRT_MAXPROCS=0 PKGRT_DEBUG=starttrace=1 ./prog
expect_rc "bad PKGRT_MAXPROCS: the program runs" 0
expect_match "bad PKGRT_MAXPROCS: reported" "$ERR" \
	"^pkgrt: PKGRT_MAXPROCS=\"0\": out of range \\(want 1 to 1024\\); using $NCPU \\(the CPU count\\)\$"
expect_match "bad PKGRT_MAXPROCS: the CPU count is used" "$ERR" "^start schedinit: .* maxprocs=$NCPU "

run env PKGRT_DEBUG=inittrace=1,bogus=1,starttrace=yes ./prog
expect_rc "bad PKGRT_DEBUG: the program runs" 0
expect_eq "bad PKGRT_DEBUG: one line per problem, the good keys apply" \
	"$(printf '%s\n' "$ERR" | sed -E 's/@[0-9.]+ ms, [0-9.]+ ms clock$/@T ms, C ms clock/')" \
	'pkgrt: PKGRT_DEBUG="inittrace=1,bogus=1,starttrace=yes": unknown key bogus (known: inittrace, starttrace); ignored
pkgrt: PKGRT_DEBUG="inittrace=1,bogus=1,starttrace=yes": bad value for starttrace (want a number); using 0
init a @T ms, C ms clock
init crash @T ms, C ms clock'

run env PKGRT_STAK=1M ./prog
expect_eq "unknown PKGRT_ variable: reported" "$ERR" \
	'pkgrt: PKGRT_STAK="1M": unknown variable (known: PKGRT_DEBUG, PKGRT_MAXPROCS, PKGRT_STACK); ignored'

done_testing
