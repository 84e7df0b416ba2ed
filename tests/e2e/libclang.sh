#!/usr/bin/env bash
# libclang is loaded on first need (tool/libclang.c): a scan the cache
# answers never opens it, a scan that parses does; when it cannot be
# loaded, the scan fails with status 3 and says what to do, and writes
# nothing.  The tool itself does not link libclang.
. "$(dirname "$0")/../lib.sh"
scratch libclang
write a/a.c <<'C'
#include <pkginit.h>
PKG_INIT void a_init(void) {}
C
age
CF="-I$RTINC"
# LD_DEBUG=files: glibc's loader names every library it opens.
loads_libclang() { printf '%s\n' "$ERR" | grep -Eq 'file=[^ ]*libclang'; }

if ldd "$PKGINIT" | grep -q libclang; then
	not_ok "pkginit does not link libclang"; ldd "$PKGINIT" | sed 's/^/#   /'
else ok "pkginit does not link libclang"; fi

run env LD_DEBUG=files "$PKGINIT" scan -v -o a.rec a/a.c -- $CF
expect_rc "cold scan" 0
expect_match "cold scan parses" "$ERR" 'a/a.c: parsed$'
if loads_libclang; then ok "a scan that parses loads libclang"; else
	not_ok "a scan that parses loads libclang"; fi

run env LD_DEBUG=files "$PKGINIT" scan -v -o b.rec a/a.c -- $CF
expect_rc "warm scan" 0
expect_match "warm scan from the cache" "$ERR" 'a/a.c: from the cache$'
if loads_libclang; then not_ok "a scan the cache answers does not load libclang"
	printf '%s\n' "$ERR" | grep libclang | sed 's/^/#   /'
else ok "a scan the cache answers does not load libclang"; fi
expect_same_file "the same record either way" b.rec a.rec

# The cache key has the library's identity: another libclang is another
# entry, so this parses, and fails to load it.
run env PKGINIT_LIBCLANG="$SCRATCH/no-such-libclang.so" "$PKGINIT" scan -o c.rec a/a.c -- $CF
expect_rc "a libclang that cannot be loaded: status 3" 3
expect_match "... says so, and what to do" "$ERR" \
	"^pkginit: error: cannot load libclang, which scanning needs: .*no-such-libclang.so.* \(PKGINIT_LIBCLANG names '.*no-such-libclang.so'; unset it to use the libclang pkginit was built with\)$"
[ ! -e c.rec ] && ok "... and writes no record" || not_ok "... and writes no record"

libc=$(ldd "$PKGINIT" | sed -n 's/.*libc\.so[^ ]* => \([^ ]*\).*/\1/p')
run env PKGINIT_LIBCLANG="$libc" "$PKGINIT" gen -o t.c a/a.c -- $CF
expect_rc "a library that is not libclang: status 3" 3
expect_match "... names the missing function" "$ERR" "^pkginit: error: cannot load libclang, which scanning needs: '.*libc\.so.*' has no function clang_[A-Za-z_]+ \(a libclang older than pkginit's\?\)"
[ ! -e t.c ] && ok "... and gen writes no table" || not_ok "... and gen writes no table"

run env PKGINIT_LIBCLANG= "$PKGINIT" scan -v -o d.rec a/a.c -- $CF
expect_rc "an empty PKGINIT_LIBCLANG is the default" 0
expect_match "... which the cache knows" "$ERR" 'a/a.c: from the cache$'
done_testing
