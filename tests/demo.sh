#!/usr/bin/env bash
# make demo: pkginit's main job on samples/service, a ten-package program.
# Builds it with its own Makefile (pkginit.mk), prints the init order
# pkginit computed, runs it with the runtime's traces, and shows what an
# import cycle looks like.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
OUT=$BUILD/demo
MK="make --no-print-directory PKGINIT_PREFIX=$BUILD"
rm -rf "$OUT"          # start clean, so every step shows

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

say "make -C samples/service O=$OUT/service   (scan each TU, link the records, build)"
$MK -C "$TOP/samples/service" O="$OUT/service"

say "the init order pkginit computed (from its report, $OUT/service/init.yaml)"
"$BUILD/bin/pkginit" graph "$OUT"/service/*.rec "$OUT"/service/*/*.rec | tail -1
awk '/^  - path:/ { printf "  %-8s", $3 } /^    imports:/ { $1 = ""; print "imports" $0 }' "$OUT/service/init.yaml"

say "PKGRT_DEBUG=inittrace=1,starttrace=1 ./service service.conf GET..."
cd "$TOP/samples/service"
PKGRT_DEBUG=inittrace=1,starttrace=1 "$OUT/service/service" service.conf \
	"GET /health" "GET /login/alice/wonderland" "GET /get/greeting" "GET /metrics"

say "make -C samples/cycle   (ping and pong include each other's headers)"
$MK -C "$TOP/samples/cycle" O="$OUT/cycle" 2>&1 | grep -E 'error:|note:' || true
