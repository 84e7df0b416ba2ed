#!/usr/bin/env bash
# bench_scan.sh - what pkginit's scanning costs next to compiling, what
# the scan cache saves, and what ordering costs at scale; every ratio is
# measured side by side in this one run, on the same TUs with the same
# flags.
#
#   tests/bench_scan.sh                  a generated project (BENCH_PKGS
#                                        packages x BENCH_FILES .c files,
#                                        BENCH_FANOUT imports each)
#   tests/bench_scan.sh -p BUILD_DIR [--touch HEADER] [--main PKG]
#                                        a real codebase, from the source
#                                        directory, through its
#                                        compile_commands.json
#
# Scanning (wall time, -j = the CPUs this process may use):
#   serial   `clang -fsyntax-only` on every TU, one after the other, with
#            the flags pkginit gives libclang (bench_tool clang)
#   cold     `pkginit gen -jN` with an empty cache    goal <= 0.30 x serial
#   warm     the same again, nothing changed          goal <= 0.02 x cold
#   touched  one header's contents changed            (only its TUs parse)
# Ordering: graph_build + order_packages on records already in memory
# (bench_tool order) at 1k, 10k and 100k packages, ~11 imports each, with
# the process's peak resident memory.
#
# A real codebase is scanned with `pkginit graph` rather than gen: legacy
# code has import cycles and several mains, on which gen stops after
# scanning, and graph does not.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PKGINIT=$BUILD/bin/pkginit
WORK=$BUILD/bench/scan
NPKG=${BENCH_PKGS:-100} NFILES=${BENCH_FILES:-5} FANOUT=${BENCH_FANOUT:-3}
JOBS=$(nproc)
builddir= touch_file= main=
while [ $# -gt 0 ]; do
	case $1 in
	-p) builddir=$2; shift 2 ;;
	--touch) touch_file=$2; shift 2 ;;
	--main) main=$2; shift 2 ;;
	*) echo "usage: $0 [-p BUILD_DIR [--touch HEADER] [--main PKG]]" >&2; exit 2 ;;
	esac
done
for t in clang cc; do
	command -v $t >/dev/null || { echo "bench_scan: $t is not installed"; exit 1; }
done
[ -x "$PKGINIT" ] || { echo "bench_scan: build pkginit first (make tool)"; exit 1; }
mkdir -p "$WORK"

# The helper, linked against the tool's archive by the Makefile's rule.
BT=$BUILD/bin/bench_tool
make -s -C "$TOP" --no-print-directory BUILD="$BUILD" "$BT" || exit 1

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g ? "met" : "NOT met") }'; }

if [ -z "$builddir" ]; then
	src=$WORK/project
	bash "$TOP/tests/bench/genproject.sh" "$src" "$NPKG" "$NFILES" "$FANOUT" \
		"$TOP/runtime/include" || exit 1
	builddir=build
	# A low-level package: its header is read, through others, by about
	# a fifth of the TUs.
	tp=p$(printf %03d $((NPKG / 20)))
	touch_file=${touch_file:-$tp/$tp.h}
	what="generated: $NPKG packages x $NFILES files, $FANOUT imports each"
	cmd=(gen -o "$WORK/inittab.c")
else
	src=$PWD
	what="$src"
	cmd=(graph -o /dev/null ${main:+--main "$main"})
fi
cd "$src" || exit 1
# Files saved long ago, as in a checked-out tree (the cache does not store
# a record whose files may be changing while it is scanned).
if [ "$src" = "$WORK/project" ]; then
	find . -type f -exec touch -d '2001-01-01' {} +
fi
cache=$WORK/cache

echo "scanning: $what"
t0=$(now); read -r serial ntus < <("$BT" clang "$builddir"); t1=$(now)
echo "  TUs: $ntus (each distinct command of a .c file under $src)"
printf '  %-44s %8.3f s\n' "serial clang -fsyntax-only" "$serial"

rm -rf "$cache"
t0=$(now)
"$PKGINIT" "${cmd[@]}" -q -j"$JOBS" -p "$builddir" --cache "$cache" 2>"$WORK/cold.err"
rc=$?
t1=$(now); cold=$(secs "$t0" "$t1")
[ $rc -eq 0 ] || { echo "  pkginit failed (status $rc):"; head -5 "$WORK/cold.err"; exit 1; }
r=$(ratio "$cold" "$serial")
printf '  %-44s %8.3f s   %s x serial   (goal <= 0.30: %s)\n' \
	"cold pkginit ${cmd[0]} -j$JOBS" "$cold" "$r" "$(verdict "$r" 0.30)"

t0=$(now)
"$PKGINIT" "${cmd[@]}" -q -j"$JOBS" -p "$builddir" --cache "$cache" -v 2>"$WORK/warm.err"
t1=$(now); warm=$(secs "$t0" "$t1")
r=$(ratio "$warm" "$cold")
printf '  %-44s %8.3f s   %s x cold     (goal <= 0.02: %s)\n' \
	"warm, nothing changed" "$warm" "$r" "$(verdict "$r" 0.02)"
parsed=$(grep -c ': parsed$' "$WORK/warm.err")
[ "$parsed" -eq 0 ] || echo "  (warm run parsed $parsed TUs: files changed while scanning?)"

if [ -n "$touch_file" ] && [ -f "$touch_file" ]; then
	cp -p "$touch_file" "$WORK/touched.orig"
	echo "/* touched by bench_scan.sh */" >>"$touch_file"
	t0=$(now)
	"$PKGINIT" "${cmd[@]}" -q -j"$JOBS" -p "$builddir" --cache "$cache" -v 2>"$WORK/touch.err"
	t1=$(now); touched=$(secs "$t0" "$t1")
	cp -p "$WORK/touched.orig" "$touch_file"
	n=$(grep -c ': parsed$' "$WORK/touch.err")
	printf '  %-44s %8.3f s   %s x cold     (%s TUs re-parsed)\n' \
		"one header touched ($touch_file)" "$touched" "$(ratio "$touched" "$cold")" "$n"
fi

echo "ordering: graph_build + order from records in memory (lex)"
printf '  %9s %9s %9s %9s %12s %12s\n' packages edges build order "records MB" "peak RSS MB"
for n in 1000 10000 100000; do
	read -r np ne b o rmb peak < <("$BT" order "$n" 10)
	printf '  %9s %9s %8ss %8ss %12s %12s\n' "$np" "$ne" "$b" "$o" "$rmb" "$peak"
done
