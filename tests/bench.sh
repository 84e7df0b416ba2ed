#!/usr/bin/env bash
# make bench: every benchmark, tests/bench_*.sh.  Benchmarks print ratios
# measured side by side in one run (instruction counts where possible);
# they are not tests and do not pass or fail.
set -u
cd "$(dirname "$0")/.."
status=0
for b in tests/bench_*.sh; do
	[ -e "$b" ] || continue
	echo "== $b"
	bash "$b" || status=1
done
exit $status
