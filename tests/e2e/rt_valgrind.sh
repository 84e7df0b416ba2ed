#!/usr/bin/env bash
# rt_valgrind.sh - a program linked with the runtime, and pkginit itself,
# run clean under valgrind's memcheck: the switch from g0 to the main
# goroutine's mmap'd stack (registered with VALGRIND_STACK_REGISTER) is
# not mistaken for a frame of megabytes, init functions and main use the
# heap and the new stack without a report, and the stack-overflow path
# still works.  --error-exitcode makes any report fail the run.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	ok "valgrind # SKIP valgrind not installed"
	done_testing
fi
if [ -n "$SAN_FLAGS" ]; then
	# ASan's shadow memory and valgrind's cannot share a process.
	ok "valgrind # SKIP not with sanitizers (make test SANITIZE=...)"
	done_testing
fi
VG=(valgrind --error-exitcode=99 --track-origins=yes --leak-check=full
    --errors-for-leak-kinds=definite -q)

scratch valgrind
write main.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *greeting;

void log_init(void) { printf("log_init\n"); }
void db_init(void)
{
	greeting = malloc(64);
	strcpy(greeting, "hello from db_init");
}

/* Frames of 1K, 2000 deep: 2M of g1's stack, newly touched. */
static int deep(int n)
{
	volatile char buf[1024];
	buf[0] = (char)n;
	return n ? deep(n - 1) + buf[0] : 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "overflow") == 0)
		return deep(1 << 30);
	printf("%s %d\n", greeting, deep(2000) != 0);
	free(greeting);
	return 3;
}
EOF
mktable inittab.c log:log_init db:db_init
rtbuild prog -- main.c inittab.c || { not_ok "link"; sed 's/^/#   /' link.err; done_testing; }

run env PKGRT_DEBUG=starttrace=1,inittrace=1 "${VG[@]}" ./prog
expect_rc "memcheck: no error, main's exit status" 3
expect_eq "memcheck: inits, then main on g1" "$OUT" "log_init
hello from db_init 1"
expect_eq "memcheck: nothing but the runtime's trace on stderr" \
	"$(printf '%s\n' "$ERR" | grep -Ev '^(start |init )')" ""

run env PKGRT_STACK=256K "${VG[@]}" ./prog overflow
expect_rc "memcheck: a stack overflow is still the runtime's fatal error" 2
expect_eq "memcheck: ... with its message only" "$ERR" \
	"pkgrt: fatal: stack overflow on the main goroutine (its stack is 256K); raise it with PKGRT_STACK, e.g. PKGRT_STACK=512K"

# The tool: link and check over records (libclang, which scan uses, is
# left out: valgrind on LLVM takes minutes).
write a/a.h <<'EOF'
void a_init(void);
EOF
write a/a.c <<'EOF'
#include <pkginit.h>
#include "a.h"
PKG_INIT void a_init(void) {}
EOF
write main.c <<'EOF'
#include <pkginit.h>
#include "a/a.h"
int main(void) { return 0; }
EOF
"$PKGINIT" scan -o a.rec a/a.c -- -I"$RTINC" -I. 2>scan.err &&
	"$PKGINIT" scan -o main.rec main.c -- -I"$RTINC" -I. 2>>scan.err ||
	{ not_ok "scan"; sed 's/^/#   /' scan.err; done_testing; }
run "${VG[@]}" "$PKGINIT" link -o inittab.c --report init.yaml a.rec main.rec
expect_rc "memcheck: pkginit link" 0
expect_eq "memcheck: pkginit link prints nothing" "$ERR" ""
run "${VG[@]}" "$PKGINIT" check --expect init.yaml a.rec main.rec
expect_rc "memcheck: pkginit check" 0

done_testing
