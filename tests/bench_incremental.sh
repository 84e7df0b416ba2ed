#!/usr/bin/env bash
# bench_incremental.sh - what `pkginit scan` costs per TU in an
# incremental build, where the scan cache answers, next to
# `clang -fsyntax-only` on the same TU with the same flags, each run as
# its own process the way a build runs them (spec/performance.md).
#
#   tests/bench_incremental.sh
#
# On Open vSwitch (Debian's openvswitch-source), as `make realworld`
# builds it (tests/realworld/run.sh, spec/realworld.md): the TUs of its
# compile_commands.json in $BUILD/realworld/ovs/src.  That build is
# reused; when it is missing (or was made from another version or with
# other options), this runs `REALWORLD_STEPS=build REALWORLD_CODEBASES=ovs
# tests/realworld/run.sh` first (a few minutes).  Its own outputs (the
# scan cache, logs) go to $BUILD/bench-ovs.  When
# the source package or bear is missing (both are in
# REALWORLD_DEB_PACKAGES, which `make bench` installs first), the
# benchmark is skipped with a message.
#
# Measured side by side in this run:
#   wall   for every BENCH_EVERY-th distinct TU (default 8), the fastest
#          of BENCH_REPS (default 5) alternating runs of each:
#            clang -fsyntax-only FLAGS FILE
#            pkginit scan --cache DIR -o REC --root DIR FILE -- FLAGS
#            true (an empty process: the floor of any per-TU step)
#          (the scan after the cache holds the TU; bench_tool checks
#          that the cache answered)          goal: scan <= 0.03 x clang
#          and the scan once more over a record that differs, so that
#          it is replaced, not only touched (cmd_scan.c)
#   instructions   callgrind on the first of those TUs, both commands
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PKGINIT=$BUILD/bin/pkginit
WORK=$BUILD/bench-ovs
EVERY=${BENCH_EVERY:-8} REPS=${BENCH_REPS:-5}

skip() { echo "bench_incremental: skipped: $*"; exit 0; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g ? "met" : "NOT met") }'; }

[ -x "$PKGINIT" ] || { echo "bench_incremental: build pkginit first (make tool)"; exit 1; }
for t in clang cc make tar; do
	command -v $t >/dev/null || skip "$t is not installed"
done
# Both are in the Makefile's REALWORLD_DEB_PACKAGES: `make bench`
# installs them (make realworld-deps) before it runs this.
[ -f /usr/src/openvswitch/openvswitch.tar.gz ] ||
	skip "Open vSwitch's source is not installed (/usr/src/openvswitch/openvswitch.tar.gz; run 'make realworld-deps' as root, or: sudo apt-get install openvswitch-source)"
command -v bear >/dev/null ||
	skip "bear is not installed (run 'make realworld-deps' as root, or: sudo apt-get install bear)"

# The realworld build of Open vSwitch: reused as it is, built when it is
# missing or stale (run.sh compares its stamp with the package version,
# the configure options and the targets).
mkdir -p "$WORK" "$BUILD/realworld"
src=$(cd "$BUILD/realworld" && pwd -P)/ovs/src
REALWORLD_STEPS=build REALWORLD_CODEBASES=ovs BUILD=$BUILD "$TOP/tests/realworld/run.sh" \
	>"$WORK/realworld-build.log" 2>&1
rc=$?
grep -E '^ovs: ' "$WORK/realworld-build.log" | sed 's/^/bench_incremental: /'
if [ $rc -ne 0 ] || [ ! -s "$src/compile_commands.json" ]; then
	tail -20 "$WORK/realworld-build.log"
	echo "bench_incremental: no Open vSwitch build in ${src#$TOP/} (log: ${WORK#$TOP/}/realworld-build.log)"
	exit 1
fi

# The helper, linked against the tool's archive by the Makefile's rule.
BT=$BUILD/bin/bench_tool
make -s -C "$TOP" --no-print-directory BUILD="$BUILD" "$BT" || exit 1

cache=$WORK/cache
rm -rf "$cache" && mkdir -p "$cache"
cd "$src" || exit 1
echo "per-TU scans in an incremental build: Open vSwitch (${src#$TOP/}, $(grep -c '"file"' "$src/compile_commands.json") compile commands)"
echo "  every $EVERY-th distinct TU, fastest of $REPS runs each, one process per run"
"$BT" pertu "$src" "$PKGINIT" "$cache" "$EVERY" "$REPS" >"$WORK/pertu.out" ||
	{ echo "bench_incremental: the measurement failed"; exit 1; }
read -r _ tclang tscan ntus ttrue trepl < <(tail -1 "$WORK/pertu.out")
r=$(ratio "$tscan" "$tclang")
printf '  %-46s %9.4f s  (%s TUs, %.2f ms a TU)\n' "clang -fsyntax-only" "$tclang" "$ntus" \
	"$(awk -v t="$tclang" -v n="$ntus" 'BEGIN { print 1000 * t / n }')"
printf '  %-46s %9.4f s  (%.2f ms a TU)\n' "pkginit scan, answered by the cache" "$tscan" \
	"$(awk -v t="$tscan" -v n="$ntus" 'BEGIN { print 1000 * t / n }')"
printf '  %-46s %9.4f s  (%.2f ms a TU, ratio %s)\n' "  the same, over a record that differs" "$trepl" \
	"$(awk -v t="$trepl" -v n="$ntus" 'BEGIN { print 1000 * t / n }')" "$(ratio "$trepl" "$tclang")"
printf '  %-46s %9.4f s  (%.2f ms a TU: spawn, exec, exit)\n' "true (an empty process, for scale)" "$ttrue" \
	"$(awk -v t="$ttrue" -v n="$ntus" 'BEGIN { print 1000 * t / n }')"
printf '  %-46s %9s   (goal <= 0.03: %s)\n' "ratio scan / clang" "$r" "$(verdict "$r" 0.03)"

if command -v valgrind >/dev/null; then
	mapfile -t cmd < <("$BT" argv "$src" "$EVERY")
	dir=${cmd[0]} file=${cmd[1]} flags=("${cmd[@]:2}")
	irs() { grep -o 'Collected : [0-9]*' "$1" | awk '{ s += $3 } END { print s + 0 }'; }
	cd "$dir" || exit 1
	valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null \
		clang -fsyntax-only "${flags[@]}" "$file" >/dev/null 2>"$WORK/cg-clang.err"
	# Under valgrind the executable is another one, so the cache key
	# differs: the first run fills the entry, the second is measured.
	scan=("$PKGINIT" scan --cache "$cache" -o "$cache/cg.rec" --root "$dir" "$file" -- "${flags[@]}")
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "${scan[@]}" 2>/dev/null
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "${scan[@]}" 2>"$WORK/cg-scan.err"
	ic=$(irs "$WORK/cg-clang.err") is=$(irs "$WORK/cg-scan.err")
	echo "  instructions (callgrind) on $file:"
	printf '    %-44s %14s\n' "clang -fsyntax-only" "$ic" "pkginit scan, answered by the cache" "$is"
	printf '    %-44s %14s\n' "ratio scan / clang" "$(ratio "$is" "$ic")"
fi
