#!/usr/bin/env bash
# bench_realworld.sh - the cold scan ratios on real codebases in `make
# bench` (issue 14 point 10): over the TUs of ovs-vswitchd (Open vSwitch)
# and, when its build exists, bluetoothd (BlueZ), one after the other in
# this run, serial `clang -fsyntax-only` next to cold `pkginit gen -j2
# --deps uses` and cold `gen -j2 --deps include --no-verify`, wall-clock
# and CPU seconds, beside the goals (<= 0.45 and <= 0.30), never
# asserted (spec/performance.md, spec/realworld.md).
#
#   tests/bench_realworld.sh
#
# It is `make realworld`'s ratios step (REALWORLD_STEPS=ratios
# tests/realworld/run.sh) on the builds in $BUILD/realworld: Open vSwitch
# is built there first when it is missing (a few minutes; the build
# tests/bench_incremental.sh measures on too), BlueZ only by `make
# realworld`.  When the source package or bear is missing (both are in
# REALWORLD_DEB_PACKAGES, which `make bench` installs first), the
# benchmark is skipped with a message.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac

skip() { echo "bench_realworld: skipped: $*"; exit 0; }

[ -x "$BUILD/bin/pkginit" ] || { echo "bench_realworld: build pkginit first (make all)"; exit 1; }
[ -f /usr/src/openvswitch/openvswitch.tar.gz ] ||
	skip "Open vSwitch's source is not installed (/usr/src/openvswitch/openvswitch.tar.gz; run 'make realworld-deps' as root)"
command -v bear >/dev/null || skip "bear is not installed (run 'make realworld-deps' as root)"

# BlueZ when `make realworld` has built it (its stamp; run.sh checks
# that the stamp matches, and rebuilds when it does not).
codebases=ovs
[ -f "$BUILD/realworld/bluez/built" ] && codebases="ovs bluez"
[ "$codebases" = ovs ] &&
	echo "bench_realworld: BlueZ is not built (make realworld builds it); Open vSwitch only"

# run.sh prints TAP lines and a count for its checks (the builds, each gen
# exiting 0), which say whether the figures are there; the ratios are
# printed, never compared.
REALWORLD_STEPS=ratios REALWORLD_CODEBASES=$codebases BUILD=$BUILD "$TOP/tests/realworld/run.sh"
