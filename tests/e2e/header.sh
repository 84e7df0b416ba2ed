#!/usr/bin/env bash
# <pkginit.h>: the annotations compile without a warning under gcc and
# clang at -std=c11 -Wall -Wextra -pedantic, used several times in one
# file, and emit no code and no data: the object holds the functions and
# nothing else.
. "$(dirname "$0")/../lib.sh"
scratch header
write a.c <<'C'
#include <pkginit.h>

PKG_IMPORT("log");
PKG_IMPORT("net/http");
PKG_PACKAGE("storage");
PKG_IMPORT("db" "/" "sql");

PKG_INIT void a_init(void);

PKG_INIT void a_init(void)
{
}

PKG_INIT void b_init(void)
{
}

void helper(void)
{
}
PKG_IMPORT("config");
C

for cc in gcc clang; do
	if ! command -v $cc >/dev/null; then
		not_ok "$cc is installed"
		continue
	fi
	run $cc -std=c11 -Wall -Wextra -pedantic -Werror -I"$RTINC" -c a.c -o a-$cc.o
	expect_rc "$cc compiles the annotations" 0
	expect_eq "$cc prints no warning" "$ERR" ""
	run nm a-$cc.o
	expect_eq "$cc: the only symbols are the functions" \
		"$(echo "$OUT" | awk '{print $(NF-1), $NF}' | sort)" \
		"$(printf 'T a_init\nT b_init\nT helper')"
	run size -A a-$cc.o
	expect_eq "$cc: no data, bss or read-only data" \
		"$(echo "$OUT" | awk '$1 ~ /^\.(data|bss|rodata)/ && $2 != 0')" ""
done

# The later standards and the GNU dialects take it as well.
for cc in gcc clang; do
	for std in c17 gnu11; do
		run $cc -std=$std -Wall -Wextra -pedantic -Werror -I"$RTINC" -fsyntax-only a.c
		expect_rc "$cc -std=$std compiles the annotations" 0
	done
done

done_testing
