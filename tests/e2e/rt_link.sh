#!/usr/bin/env bash
# rt_link.sh - linking as a user would, every way the runtime supports:
# glibc dynamic PIE, -no-pie, -static, clang with lld, musl (dynamic and
# static, with the musl build of the runtime); an init table of another
# ABI version fails to link naming its symbol; `make install-runtime`
# installs what `pkg-config --libs pkgrt` needs.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"

scratch link
write main.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
void log_init(void) { printf("log_init\n"); }
void db_init(void) { printf("db_init\n"); }
static void bye(void) { printf("bye\n"); }
int main(int argc, char **argv)
{
	char local;
	atexit(bye);
	printf("main %d %s stack=%p\n", argc, argv[1], (void *)&local);
	return 42;
}
EOF
mktable inittab.c log:log_init db:db_init
want="log_init
db_init
main 2 hello stack=
bye"

# variant NAME RUNTIME CC-AND-FLAGS...: build, run, check.
variant() {
	local name=$1 pc=$2
	shift 2
	rm -f ./*.o prog
	if ! RTPC=$pc rtbuild prog "$@" -- main.c inittab.c; then
		not_ok "$name: links"; sed 's/^/#   /' link.err; return
	fi
	ok "$name: links"
	run env PKGRT_DEBUG=starttrace=1 ./prog hello
	expect_rc "$name: main's exit status" 42
	expect_eq "$name: inits, main, atexit" "$(printf '%s\n' "$OUT" | sed 's/stack=.*/stack=/')" "$want"
	expect_match "$name: entered at _rt0_amd64_linux" "$ERR" '^start rt0: entry _rt0_amd64_linux sp=0x[0-9a-f]+ argc=2 '
	# main's stack is g1's, as newproc reported it
	expect_on_g1 "$name: main runs on g1's stack" "$(printf '%s\n' "$OUT" | sed -n 's/.*stack=0x\([0-9a-f]*\)$/\1/p')"
}

variant "glibc dynamic PIE" pkgrt cc -pie -fPIE
variant "glibc -no-pie" pkgrt cc -no-pie -fno-pie
if [ -n "$SAN_FLAGS" ]; then
	ok "glibc -static # SKIP ASan's runtime cannot be linked statically (make test SANITIZE=...)"
else
	variant "glibc -static" pkgrt cc -static
fi
if command -v clang >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1; then
	variant "clang with lld" pkgrt clang -fuse-ld=lld
else
	ok "clang with lld # SKIP clang or lld not installed"
fi
if command -v musl-gcc >/dev/null 2>&1 && [ -f "$BUILD/lib/libpkgrt-musl.a" ]; then
	variant "musl dynamic" pkgrt-musl musl-gcc
	variant "musl -static" pkgrt-musl musl-gcc -static
	file_out=$(file -b prog)
	expect_match "musl -static: a static musl program" "$file_out" 'statically linked'
else
	ok "musl # SKIP musl-gcc not installed"
fi

# A table of another ABI version does not link, and says which symbol.
# (Version 1, an older pkginit's table: no per-function kinds.)
mktable inittab_v1.c --abi 1 log:log_init db:db_init
rm -f ./*.o
if rtbuild prog_v1 -- main.c inittab_v1.c; then
	not_ok "a table of ABI version 1 fails to link with runtime version 2"
else
	ok "a table of ABI version 1 fails to link with runtime version 2"
fi
expect_match "the link error names pkgrt_abi_v1" "$(cat link.err)" "undefined reference to .pkgrt_abi_v1'"

# Linked without -e, libc's _start is the entry: the runtime still starts
# (from main's arguments) and says so.
rm -f ./*.o
# shellcheck disable=SC2086
cc -c main.c inittab.c && cc -o prog_noentry main.o inittab.o -L"$BUILD/lib" -lpkgrt -Wl,--wrap=main $SAN_FLAGS
run env PKGRT_DEBUG=starttrace=1 ./prog_noentry hello
expect_rc "without -e: runs" 42
expect_match "without -e: starttrace says rt0 was not the entry" "$ERR" \
	'^start rt0: not the entry point \(link with -Wl,-e,_rt0_amd64_linux\)$'
expect_match "without -e: args from main's arguments" "$ERR" "^start args: argc=2 .* \\(from main's arguments\\)$"

# The runtime refers to the table: a program without one does not link.
rm -f ./*.o
if rtbuild prog_notab -- main.c; then not_ok "no table: link fails"; else ok "no table: link fails"; fi
expect_match "no table: the error names pkgrt_inittab" "$(cat link.err)" "undefined reference to .pkgrt_inittab'"

# make install-runtime, then link with the installed pkgrt.pc.
prefix=$SCRATCH/prefix
if make -C "$TOP" --no-print-directory -s install-runtime BUILD="$BUILD" PREFIX="$prefix" >install.log 2>&1; then
	ok "make install-runtime"
else
	not_ok "make install-runtime"; sed 's/^/#   /' install.log
fi
for f in lib/libpkgrt.a lib/pkgrt.o lib/pkgconfig/pkgrt.pc lib/libpkgrt-nolibc.a lib/pkgconfig/pkgrt-nolibc.pc \
	include/pkgrt.h include/pkginit.h; do
	if [ -f "$prefix/$f" ]; then ok "installed $f"; else not_ok "installed $f"; fi
done
libs=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --libs pkgrt | sed "s/ *$//")
expect_eq "pkg-config --libs pkgrt" "$libs" \
	"$prefix/lib/pkgrt.o -Wl,-e,_rt0_amd64_linux -Wl,--wrap=main -Wl,--export-dynamic-symbol=pkgrt_register_module_v1${SAN_FLAGS:+ $SAN_FLAGS}"
cflags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags pkgrt | sed "s/ *$//")
expect_eq "pkg-config --cflags pkgrt" "$cflags" "-I$prefix/include"
rm -f ./*.o prog
cc -c main.c inittab.c && cc -o prog main.o inittab.o $libs 2>link.err
run ./prog hello
expect_rc "the program linked with the installed runtime runs" 42
expect_eq "... and prints what it should" "$(printf '%s\n' "$OUT" | sed 's/stack=.*/stack=/')" "$want"

done_testing
