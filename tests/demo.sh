#!/usr/bin/env bash
# make demo: the README's walkthrough, run for real.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PKGINIT=$BUILD/bin/pkginit
SRC=$TOP/samples/walkthrough
OUT=$BUILD/demo
rm -rf "$OUT" && mkdir -p "$OUT"
cd "$SRC"
CFLAGS="-I. -I$BUILD/include"
SRCS="main.c log/log.c config/config.c"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say pkginit gen --report init.yaml -o inittab.c $SRCS -- -I. ...
"$PKGINIT" gen --report "$OUT/init.yaml" -o "$OUT/inittab.c" $SRCS -- $CFLAGS
cat "$OUT/init.yaml"

say pkginit graph $SRCS
"$PKGINIT" graph $SRCS -- $CFLAGS

say cc ... inittab.c -lpkgrt -o prog
for f in $SRCS; do cc -std=c11 -Wall -Wextra $CFLAGS -c "$f" -o "$OUT/$(basename "${f%.c}").o"; done
cc -c "$OUT/inittab.c" -o "$OUT/inittab.o"
cc "$OUT"/*.o $("$BUILD/bin/pkgrt-config" --libs 2>/dev/null || echo "-L$BUILD/lib -lpkgrt -Wl,-e,_rt0_amd64_linux -Wl,--wrap=main") -o "$OUT/prog"

say PKGRT_DEBUG=inittrace=1,starttrace=1 ./prog
PKGRT_DEBUG=inittrace=1,starttrace=1 "$OUT/prog"

say 'pkginit check --expect init.lock.yaml ... (after log.h starts importing config)'
cp "$OUT/init.yaml" "$OUT/init.lock.yaml"
rm -rf "$OUT/src" && cp -r "$SRC" "$OUT/src" && cd "$OUT/src"
sed -i 's|#define LOG_LOG_H|#define LOG_LOG_H\n#include "config/config.h"|' log/log.h
"$PKGINIT" gen $SRCS -o /dev/null -- $CFLAGS || echo "(exit status $?: the cycle is an error, as in Go)"
