#!/usr/bin/env bash
# bench_link.sh - what `pkginit link` costs on a large program: 10,000
# scan records with 200,000 functions and 2,000,000 references (issue 14:
# under 1 s, memory proportional to the input), and half of it, side by
# side in one run.
#
#   tests/bench_link.sh          BENCH_LINK_TUS records (default 10000)
#                                and half as many
#
# The records are generated (tests/bench/genlink.c: packages of 20 TUs,
# 20 functions a TU, calls mostly within a package, a few thousand
# globals, a few hundred init functions), not scanned: this measures
# link alone.  Two programs of each size:
#   uses     partners anywhere, so the include graph is one big import
#            cycle, as in a legacy code base: `link --deps uses`;
#   include  partners only in packages with smaller numbers, so the
#            include graph is acyclic: `link` (include mode, verified
#            against the function facts, the default).
# Wall time is the best of 3 runs, with the CPU time (user + system) of
# that run and the peak resident size (wait4), next to the records'
# size: "peak/records" is the same at both sizes when memory is
# proportional to the input.  Then callgrind on the full-size uses run:
# instructions in reading records (yaml.c, record.c), the graph, deps.c,
# plan.c and writing the outputs.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PKGINIT=$BUILD/bin/pkginit
WORK=$BUILD/bench/link
NTU=${BENCH_LINK_TUS:-10000}
[ -x "$PKGINIT" ] || { echo "bench_link: build pkginit first (make tool)"; exit 1; }
mkdir -p "$WORK"

LLVM_CONFIG=$(command -v llvm-config || ls /usr/bin/llvm-config-* 2>/dev/null | sort -V | tail -1)
LIBDIR=$($LLVM_CONFIG --libdir)
GL=$WORK/genlink
cc -std=c11 -D_GNU_SOURCE -O2 -I"$TOP/tool" "$TOP/tests/bench/genlink.c" \
	"$BUILD/lib/libpkginit-tool.a" -L"$LIBDIR" -Wl,-rpath,"$LIBDIR" -lclang -lyaml \
	-Wl,-Bstatic -lnettle -lxxhash -Wl,-Bdynamic -lpthread -o "$GL" || exit 1

# gen NAME NTU [acyclic]: the records in $WORK/NAME/rec, the generator's
# figures in $WORK/NAME/stats.
gen() {
	rm -rf "${WORK:?}/$1"
	"$GL" gen "$WORK/$1" "$2" ${3:-} >"$WORK/$1.stats" || exit 1
}
stat_of() { awk -v k="$2" '{ for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$WORK/$1.stats"; }

half=$((NTU / 2 / 20 * 20))
gen uses-$NTU "$NTU"
gen uses-$half "$half"
gen include-$NTU "$NTU" acyclic
gen include-$half "$half" acyclic

# What the process takes before reading anything (the tool maps
# libclang): subtracted, so that the ratio is the input's.
read -r _ _ base < <("$GL" time "$WORK/base.log" -- "$PKGINIT" link --help)
echo "link: generated programs (tests/bench/genlink.c), $(nproc) CPUs"
s=uses-$NTU
echo "  $(stat_of $s functions) functions ($(stat_of $s static) static), $(stat_of $s refs) references ($(stat_of $s calls) calls), $(stat_of $s inits) init functions, $(stat_of $s globals) globals, $(stat_of $s statics) statics;"
echo "  an init function reaches $(stat_of $s reach_mean) functions on average, $(stat_of $s reach_max) at most"
echo "  peak/records: (peak resident size - $((base / 1024)) MB of \`pkginit link --help\`) / records' size"
printf '  %-8s %8s %9s %9s %8s %8s %8s %9s %13s\n' mode records functions refs \
	"recs MB" "wall s" "cpu s" "peak MB" "peak/records"
for s in uses-$NTU uses-$half include-$NTU include-$half; do
	mode=${s%-*}
	args=()
	[ "$mode" = uses ] && args=(--deps uses)
	best= cpu= peak=
	for run in 1 2 3; do
		read -r w c k < <(cd "$WORK/$s" && "$GL" time "$WORK/$s.log" -- "$PKGINIT" link \
			"${args[@]}" -o inittab.c --report report.yaml rec/*.rec)
		if ! [ -s "$WORK/$s/inittab.c" ] || [ -s "$WORK/$s.log" ]; then
			echo "  $s: link failed:"; head -5 "$WORK/$s.log"; exit 1
		fi
		if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$w cpu=$c peak=$k
		fi
		rm -f "$WORK/$s/inittab.c"
	done
	bytes=$(stat_of $s bytes)
	printf '  %-8s %8s %9s %9s %8.1f %8.3f %8.3f %9.0f %13.2f\n' "$mode" \
		"$(stat_of $s records)" "$(stat_of $s functions)" "$(stat_of $s refs)" \
		"$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$best" "$cpu" \
		"$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" \
		"$(awk -v k="$peak" -v z="$base" -v b="$bytes" 'BEGIN { print (k - z) * 1024 / b }')"
	eval "wall_${mode}_$([ "$s" = "$mode-$NTU" ] && echo full || echo half)=$best"
done
verdict() { awk -v t="$1" 'BEGIN { print (t < 1.0 ? "met" : "NOT met") }'; }
echo "  goal: $NTU records in under 1 s:  uses $wall_uses_full s ($(verdict "$wall_uses_full")), include $wall_include_full s ($(verdict "$wall_include_full"))"

command -v valgrind >/dev/null || { echo "  (no valgrind: no instruction counts)"; exit 0; }
echo "where the instructions go (callgrind, link --deps uses, $NTU records; inclusive)"
cg=$WORK/callgrind.out
(cd "$WORK/uses-$NTU" && valgrind --tool=callgrind --callgrind-out-file="$cg" \
	"$PKGINIT" link --deps uses -o inittab.c --report report.yaml rec/*.rec >/dev/null 2>&1) || exit 1
callgrind_annotate --inclusive=yes --threshold=100 "$cg" 2>/dev/null | awk '
	/PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
	/=>/ { next }
	{
		n = split($0, f, ":"); fn = f[n]; sub(/ .*/, "", fn)
		c = $1; gsub(",", "", c)
		if (fn in want && !(fn in got)) got[fn] = c
	}
	BEGIN {
		split("record_read graph_build deps_build plan_build emit_table report_write inputs_free", w, " ")
		for (i in w) want[w[i]] = 1
		label["record_read"] = "reading records (yaml.c, record.c)"
		label["graph_build"] = "graph_build (graph.c)"
		label["deps_build"] = "deps_build (deps.c)"
		label["plan_build"] = "plan_build (plan.c, deps_order)"
		label["emit_table"] = "emit_table (emit.c)"
		label["report_write"] = "report_write (report.c)"
		label["inputs_free"] = "freeing the records"
	}
	END {
		printf "  %-40s %12s\n", "total", sprintf("%.0fM", total / 1e6)
		for (i = 1; i <= 7; i++) {
			fn = w[i]
			printf "  %-40s %12s %6.1f %%\n", label[fn], sprintf("%.0fM", got[fn] / 1e6), 100 * got[fn] / total
		}
	}'
