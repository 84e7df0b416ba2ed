#!/usr/bin/env bash
# rt_asan.sh - under make test SANITIZE=address,undefined: a program
# whose own code is instrumented too runs on the main goroutine's stack
# with no false report (the runtime announces each stack switch to ASan
# as a fiber switch), with ASan's fake stacks on; and a real overflow of
# a buffer on that stack is still caught and reported as one.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

if [ -z "$SAN_FLAGS" ] || [ "$SAN_FLAGS" = "${SAN_FLAGS/address/}" ]; then
	ok "ASan on the main goroutine # SKIP only under make test SANITIZE=address,..."
	done_testing
fi

scratch asan
write main.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void log_init(void) { printf("log_init\n"); }

/* Frames with arrays ASan puts redzones around, deep on g1's stack. */
static int deep(int n)
{
	char buf[256];
	memset(buf, n, sizeof buf);
	return n ? deep(n - 1) + buf[n % 256] : 0;
}

static int overflow(int i)
{
	char buf[16], *p = buf; /* through a pointer: ASan's case, not UBSan's */
	memset(buf, 0, sizeof buf);
	return p[i];            /* i = 16: one past the end */
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return overflow(atoi(argv[1]));
	printf("main %d\n", deep(1000) != 0);
	exit(7);                /* noreturn on g1: ASan unpoisons g1's stack */
}
EOF
mktable inittab.c log:log_init
# shellcheck disable=SC2086
rtbuild prog cc $SAN_FLAGS -- main.c inittab.c || { not_ok "link"; sed 's/^/#   /' link.err; done_testing; }

run env ASAN_OPTIONS=detect_stack_use_after_return=1 ./prog
expect_rc "instrumented main on g1: its exit status" 7
expect_eq "instrumented main on g1: its output" "$OUT" "log_init
main 1"
expect_eq "instrumented main on g1: no report, no warning" "$ERR" ""

run ./prog 16
expect_rc "an overflow on g1's stack: ASan stops the program" 1
expect_match "an overflow on g1's stack: reported as one" "$ERR" \
	'ERROR: AddressSanitizer: stack-buffer-overflow'
expect_match "an overflow on g1's stack: in overflow()" "$ERR" '#0 .* in overflow '
expect_match "an overflow on g1's stack: the trace goes on to g0" "$ERR" ' in runtime\.mstart '

done_testing
