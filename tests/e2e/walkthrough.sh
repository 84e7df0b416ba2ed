#!/usr/bin/env bash
# The README's walkthrough, run as written, against what the README shows:
# the report (exactly), the trace, and the cycle error (exactly).
. "$(dirname "$0")/../lib.sh"
scratch walkthrough
cp -r "$TOP/samples/walkthrough/." .
export PATH=$BUILD/bin:$PATH PKG_CONFIG_PATH=$BUILD/lib/pkgconfig

# The Nth fenced block of a language in the README.
readme_block() {
	awk -v lang="$1" -v want="$2" '
		/^ *```/ {
			if (open) { open = 0; inb = 0; next }
			open = 1
			if ($0 ~ "^ *```" lang "$" && ++n == want) inb = 1
			next
		}
		inb { sub(/^   /, ""); print }' "$TOP/README.md"
}

run pkginit gen --report init.yaml -o inittab.c main.c log/log.c config/config.c -- -I. $(pkg-config --cflags pkgrt)
expect_rc "step 1: gen" 0
expect_eq "step 1: the report is the README's" "$(cat init.yaml)" "$(readme_block yaml 1)"

run cc -c -I. $(pkg-config --cflags pkgrt) main.c log/log.c config/config.c inittab.c
expect_rc "step 2: compile" 0
run cc main.o log.o config.o inittab.o $(pkg-config --libs pkgrt) -o prog
expect_rc "step 2: link" 0
run env PKGRT_DEBUG=inittrace=1 ./prog
expect_rc "step 2: run" 0
expect_eq "step 2: trace and output, as the README shows (times aside)" \
	"$(printf '%s\n%s\n' "$ERR" "$OUT" | sed 's/@[0-9.]* ms, [0-9.]* ms clock/@T/')" \
	"$(readme_block '' 1 | sed -n '/^init log/,$p' | sed 's/@[0-9.]* ms, [0-9.]* ms clock/@T/')"

sed -i 's|#define LOG_LOG_H|#define LOG_LOG_H\n#include "config/config.h"|' log/log.h
run pkginit gen -o inittab.c main.c log/log.c config/config.c -- -I. $(pkg-config --cflags pkgrt)
expect_rc "step 3: the cycle fails" 1
expect_eq "step 3: the message is the README's" "$ERR" "$(readme_block '' 2)"

done_testing
