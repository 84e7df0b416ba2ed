#!/usr/bin/env bash
# rt_arm64.sh - the arm64 runtime ($BUILD/arm64, which `make test` builds
# with CROSS_COMPILE=aarch64-linux-gnu-), programs linked by
# aarch64-linux-gnu-gcc as a user would and run under qemu-aarch64:
# start-up through _rt0_arm64_linux and libc (dynamic and -static), main
# on g1's stack, the exit status and atexit, the unwind information across
# the g0/g1 switch (backtrace(3), i.e. libgcc's unwinder, from main and
# from an init function reaches _start); then, with libc and with the
# freestanding runtime, the init order, the traces, the exit status and
# the fatal errors (check_pkgrt_prog in runtime/testdata/e2e.sh).
#
# Without the cross compiler, qemu or the arm64 runtime these checks fail
# rather than skip: `make deps` installs the first two, `make test` builds
# the third.
. "$(dirname "$0")/../lib.sh"
RTARCH=arm64
. "$TOP/runtime/testdata/e2e.sh"
ulimit -c 0     # the crashes below would dump core

XCC=aarch64-linux-gnu-gcc
QEMU=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
missing=
command -v $XCC >/dev/null 2>&1 || missing="$missing $XCC (make deps)"
command -v qemu-aarch64 >/dev/null 2>&1 || missing="$missing qemu-aarch64 (make deps)"
[ -f "$BUILD/arm64/lib/libpkgrt.a" ] || missing="$missing $BUILD/arm64/lib/libpkgrt.a (make CROSS_COMPILE=aarch64-linux-gnu- runtime)"
if [ -n "$missing" ]; then
	not_ok "arm64: missing:$missing"
	done_testing
fi

scratch arm64
# Start-up with libc: stdio, atexit, main's stack, and backtrace(3).
write main.c <<'EOF'
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The return addresses of the calls on the stack, as backtrace(3) (libgcc's
 * unwinder, reading the CFI) finds them; minus 1, to be inside the call. */
__attribute__((noinline)) static void bt(void)
{
	void *pcs[64];
	int n = backtrace(pcs, 64);
	for (int i = 0; i < n; i++)
		printf("pc %016lx\n", (unsigned long)pcs[i] - 1);
}

void log_init(void) { printf("log_init\n"); }
void db_init(void)
{
	if (getenv("BT_INIT") != NULL)
		bt();
	printf("db_init\n");
}

static void bye(void) { printf("atexit handler\n"); }

int main(int argc, char **argv)
{
	char local;

	if (argc > 1 && strcmp(argv[1], "bt") == 0) {
		bt();
		return 0;
	}
	atexit(bye);
	printf("main local=%lx; unflushed", (unsigned long)&local);
	return 7;
}
EOF
mktable inittab.c log:log_init db:db_init

for link in dynamic static; do
	flags=
	[ $link = static ] && flags=-static
	rm -f ./*.o
	# shellcheck disable=SC2086
	if rtbuild prog_$link $XCC -O2 $flags -- main.c inittab.c; then ok "$link: links"; else
		not_ok "$link: links"; sed 's/^/#   /' link.err; continue; fi
	run env PKGRT_DEBUG=starttrace=1 "${QEMU[@]}" ./prog_$link
	expect_rc "$link: main's status" 7
	expect_eq "$link: inits in table order, main, atexit, stdout flushed" \
		"$(printf '%s\n' "$OUT" | sed 's/ local=[0-9a-f]*;/;/')" "log_init
db_init
main; unflushedatexit handler"
	expect_match "$link: entered at _rt0_arm64_linux, x0 kept for libc" "$ERR" \
		'^start rt0: entry _rt0_arm64_linux sp=0x[0-9a-f]+ argc=1 x0=0x[0-9a-f]+ -> libc _start$'
	expect_match "$link: gogo to runtime.main" "$ERR" '^start gogo: g0 -> g1 sp=0x[0-9a-f]+ pc=0x[0-9a-f]+ \(runtime.main\)$'
	expect_on_g1 "$link: main runs on g1's stack" "$(printf '%s\n' "$OUT" | sed -n 's/.* local=\([0-9a-f]*\);.*/\1/p')"
done

# Unwinding across the switch: backtrace(3) in the static program, its
# return addresses named from the symbol table.
# frames: stdin "pc ADDR" lines -> the names of the functions, one line.
frames() {
	{ aarch64-linux-gnu-nm -n prog_static | awk '$2 ~ /^[TtWw]$/ { print $1, "S", $3 }'
	  awk '$1 == "pc" { print $2, "P", NR }'; } |
		sort | awk '$2 == "S" { s = $3 } $2 == "P" { print $3, s }' | sort -n |
		awk '{ printf "%s ", $2 }'
}
run "${QEMU[@]}" ./prog_static bt
expect_match "backtrace from main reaches _start through the runtime" "$(printf '%s\n' "$OUT" | frames)" \
	'^bt main runtime\.main runtime\.goexit runtime\.mstart __wrap_main (__libc_start_call_main )?__libc_start_main[a-z_]* _start $'
run env BT_INIT=1 "${QEMU[@]}" ./prog_static
expect_match "backtrace from an init function too" "$(printf '%s\n' "$OUT" | frames)" \
	'^bt db_init (runtime\.doInit1 )?runtime\.doInit runtime\.main runtime\.goexit runtime\.mstart __wrap_main .*_start $'

# The order, the traces, the exit status and the fatal errors, with libc
# and without (the freestanding runtime on arm64), on the same program.
cp "$TOP/runtime/testdata/pkgrt_prog.c" .
mktable inittab.c log:log_init config:config_load,config_check db:db_init
for libc in libc nolibc; do
	pc=pkgrt
	[ $libc = nolibc ] && pc=pkgrt-nolibc
	rm -f ./*.o
	if ! RTPC=$pc rtbuild prog_$libc $XCC -O2 -- pkgrt_prog.c inittab.c; then
		not_ok "$libc: links"; sed 's/^/#   /' link.err; continue
	fi
	ok "$libc: links"
	check_pkgrt_prog "$libc" $libc "${QEMU[@]}" ./prog_$libc
done
hdr=$(readelf -hl prog_nolibc)
expect_match "nolibc: an arm64 program" "$hdr" 'Machine: *AArch64'
if printf '%s\n' "$hdr" | grep -q INTERP; then not_ok "nolibc: static, no dynamic linker"
else ok "nolibc: static, no dynamic linker"; fi

done_testing
