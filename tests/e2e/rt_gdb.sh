#!/usr/bin/env bash
# rt_gdb.sh - the runtime's CFI lets a debugger unwind across the switch
# from g0 to the main goroutine: gdb's `bt` from inside main (and from
# inside an init function) walks back through runtime.main, runtime.goexit,
# mstart and __wrap_main down to libc's _start.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

if ! command -v gdb >/dev/null 2>&1; then
	ok "gdb backtrace # SKIP gdb not installed"
	done_testing
fi

scratch gdb
write main.c <<'EOF'
#include <stdio.h>
void db_init(void) { printf("db_init\n"); }
int main(void) { printf("main\n"); return 0; }
EOF
mktable inittab.c db:db_init

# frames BREAKPOINT: the function names of gdb's backtrace there, one line.
# A C function shows under its C name or its symbol (runtime_main or
# runtime.main); with clang's assembler's debug info gdb writes
# runtime.goexit as runtime[goexit].
frames() {
	gdb -batch -nx -ex 'set pagination off' -ex 'set backtrace past-main on' \
		-ex "break $1" -ex run -ex bt ./prog 2>&1 |
		sed -n 's/^#[0-9]*  *\(0x[0-9a-f]* in \)\{0,1\}\([^ ]*\) (.*/\2/p' |
		sed 's/^runtime\[\(.*\)\]$/runtime.\1/; s/^runtime_main$/runtime.main/; s/^mstart$/runtime.mstart/; s/^doInit1$/runtime.doInit1/; s/^doInit$/runtime.doInit/' |
		tr '\n' ' '
}

for flags in "-g" "-g -static"; do
	if [ -n "$SAN_FLAGS" ] && [ "$flags" != "${flags%-static}" ]; then
		ok "cc $flags # SKIP ASan's runtime cannot be linked statically (make test SANITIZE=...)"
		continue
	fi
	rm -f ./*.o prog
	# shellcheck disable=SC2086
	if ! rtbuild prog cc $flags -- main.c inittab.c; then
		not_ok "$flags: links"; sed 's/^/#   /' link.err; continue
	fi
	bt=$(frames main)
	expect_match "cc $flags: bt from main reaches _start through the runtime" "$bt" \
		'^main runtime\.main runtime\.goexit runtime\.mstart __wrap_main (__libc_start_call_main )?__libc_start_main[a-z_]* _start $'
	bt=$(frames db_init)
	expect_match "cc $flags: bt from an init function too" "$bt" \
		'^db_init runtime\.doInit1 runtime\.doInit runtime\.main runtime\.goexit runtime\.mstart __wrap_main .*_start $'
done

done_testing
