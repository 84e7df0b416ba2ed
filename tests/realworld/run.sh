#!/usr/bin/env bash
# tests/realworld/run.sh - pkginit on two real codebases (`make realworld`,
# issue 14 points 9 and 10; the contract is spec/realworld.md).
#
# Open vSwitch (ovs-vswitchd, ovsdb-server, ovs-vsctl) and BlueZ
# (bluetoothd), from Debian's openvswitch-source and bluez-source, are
# unpacked under $BUILD/realworld/, configured and built as their users
# build them (./configure with the options their install guides give,
# then make), under Bear, which records the compilation database of that
# build.  A second run reuses the build.  Then, for each:
#
#   1. graph   `pkginit graph` over the whole database under --deps
#              include and --deps uses: packages, imports, cycles;
#   2. ratios  on the program's TUs: serial `clang -fsyntax-only`, cold
#              `gen -j2 --deps uses`, cold `gen -j2 --deps include
#              --no-verify`, wall-clock (with CPU seconds beside) in this
#              one run, printed side by side and never asserted (a
#              benchmark, not a timed test);
#   3. start-up  tests/realworld/<program>.patch, applied to a hard-linked
#              copy of the tree, turns the program's start-up into PKG_INIT
#              functions; --deps uses must order them as the constraints
#              the patch's header names require, and --deps include with
#              the cyclic directories merged into one package
#              (<program>.yaml) must fail verification (exit 1) naming
#              the variable read and written, and `pkginit why` must list
#              it among the reasons.
#
# REALWORLD_STEPS (words, default all) runs only some of the steps: build
# (always done: the others need it; build alone builds or reuses and stops
# there), graph, ratios, startup, or all; e.g. REALWORLD_STEPS=ratios is
# the build and the scan ratios (tests/bench_realworld.sh, in `make
# bench`).  REALWORLD_CODEBASES (default "ovs bluez") chooses the
# codebases; e.g. REALWORLD_STEPS=build REALWORLD_CODEBASES=ovs builds
# Open vSwitch only (tests/bench_incremental.sh measures on that build).
#
# The checks print TAP lines, the last line is "N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PKGINIT=$BUILD/bin/pkginit
# Physical paths: the databases name files by absolute path, and pkginit
# compares them with the current directory's.
mkdir -p "$BUILD/realworld"
RW=$(cd "$BUILD/realworld" && pwd -P)
HERE=$TOP/tests/realworld
RTINC=$TOP/runtime/include
JOBS=${REALWORLD_JOBS:-$(nproc)}
STEPS=" ${REALWORLD_STEPS:-all} " CODEBASES=" ${REALWORLD_CODEBASES:-ovs bluez} "
for w in $STEPS; do
	case $w in build|graph|ratios|startup|all) ;;
	*) echo "realworld: REALWORLD_STEPS: no step '$w' (build, graph, ratios, startup or all)"; echo "0 passed, 1 failed"; exit 1 ;;
	esac
done
for w in $CODEBASES; do
	case $w in ovs|bluez) ;;
	*) echo "realworld: REALWORLD_CODEBASES: no codebase '$w' (ovs or bluez)"; echo "0 passed, 1 failed"; exit 1 ;;
	esac
done
# step NAME: run step NAME (build always runs, before the others).
step() { case $STEPS in *" all "*|*" $1 "*) return 0 ;; esac; return 1; }
# codebase NAME: NAME is one of those to run.
codebase() { case $CODEBASES in *" $1 "*) return 0 ;; esac; return 1; }

_n=0 _pass=0 _fail=0
ok()     { _n=$((_n + 1)); _pass=$((_pass + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _fail=$((_fail + 1)); echo "not ok $_n - $*"; }
indent() { sed 's/^/    /'; }

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g ? "met" : "NOT met") }'; }

T_START=$(now)
for t in bear clang python3 patch make; do
	command -v $t >/dev/null || { echo "realworld: $t is not installed (make realworld-deps)"; echo "0 passed, 1 failed"; exit 1; }
done
[ -x "$PKGINIT" ] || { echo "realworld: build pkginit first (make all)"; echo "0 passed, 1 failed"; exit 1; }

# ---- building ----------------------------------------------------------------

# build NAME DEBPKG TARBALL TOPDIR CLEAN "CONFIGURE ARGS" "MAKE TARGETS"
# Unpack, configure, make the generated sources (BUILT_SOURCES, which
# automake builds first only for `make all`), make the targets; both makes
# under Bear, so $RW/NAME/src/compile_commands.json is the real build's.
# CLEAN=1: `make clean` first (bluez-source ships a built tree, whose
# objects would hide the compile commands from Bear).
build() {
	local name=$1 deb=$2 tarball=$3 top=$4 clean=$5 conf=$6 targets=$7
	local dir=$RW/$name src=$RW/$name/src ver key bs t0 t1 t2 t3
	ver=$(dpkg-query -W -f='${Version}' "$deb" 2>/dev/null)
	if [ -z "$ver" ] || [ ! -f "$tarball" ]; then
		not_ok "$name: the sources are installed ($deb: $tarball; run make realworld-deps)"
		return 1
	fi
	key="$deb $ver | ./configure $conf | make $targets"
	if [ -f "$dir/built" ] && [ "$(cat "$dir/built")" = "$key" ] &&
		[ -s "$src/compile_commands.json" ]; then
		echo "$name: reusing the build in ${src#$TOP/} ($deb $ver)"
		ok "$name: built ($deb $ver, reused)"
		return 0
	fi
	echo "$name: building $deb $ver in ${src#$TOP/}"
	rm -rf "$dir"; mkdir -p "$dir"
	t0=$(now)
	if ! tar -xf "$tarball" -C "$dir" || ! mv "$dir/$top" "$src"; then
		not_ok "$name: unpack $tarball"; return 1
	fi
	t1=$(now)
	# shellcheck disable=SC2086  # the options are words
	if ! (cd "$src" && ./configure $conf) >"$dir/configure.log" 2>&1; then
		tail -20 "$dir/configure.log" | indent
		not_ok "$name: ./configure $conf"; return 1
	fi
	t2=$(now)
	(
		cd "$src" || exit 1
		if [ "$clean" = 1 ]; then make clean || exit 1; fi
		bs=$(make -s -f Makefile -f - print-built-sources \
			<<<'print-built-sources: ; @echo $(BUILT_SOURCES)') || exit 1
		bear --output compile_commands.json -- make -j"$JOBS" $bs || exit 1
		bear --append --output compile_commands.json -- make -j"$JOBS" $targets
	) >"$dir/build.log" 2>&1
	if [ $? -ne 0 ]; then
		grep -E 'error|Error' "$dir/build.log" | head -20 | indent
		not_ok "$name: make $targets (log: ${dir#$TOP/}/build.log)"; return 1
	fi
	t3=$(now)
	echo "$key" >"$dir/built"
	printf '%s: unpacked in %s s, configured in %s s, built in %s s (make -j%s), %s compile commands\n' \
		"$name" "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")" "$(secs "$t2" "$t3")" "$JOBS" \
		"$(grep -c '"file"' "$src/compile_commands.json")"
	ok "$name: built ($deb $ver)"
}

# ---- 1. the graph under both modes -------------------------------------------

# graph NAME MODE EXPECT-REGEX [OPTIONS...]: `pkginit graph` over the whole
# database; print the packages, imports and cycles; the include-mode cycle
# of the issue must be there.
graph() {
	local name=$1 mode=$2 want=$3 src=$RW/$1/src out rc; shift 3
	out=$RW/$name/graph-$mode.txt
	(cd "$src" && "$PKGINIT" graph -j"$JOBS" -p . --deps "$mode" --cache "$RW/cache/$name" "$@") \
		>"$out" 2>"$out.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		indent <"$out.err" | head -10
		not_ok "$name: graph --deps $mode (exit $rc)"; return
	fi
	# One block per program (a repository has several): its imports
	# counted, its summary line and its cycles.
	echo "$name, graph --deps $mode:"
	awk '
		/^program / { prog = $2 }
		/^    imports / { imp++; if (/\[cycle\]/) cyc++ }
		/^[0-9]+ packages/ {
			printf "%s: %s; %d imports, %d of them in cycles\n", (prog ? prog : "the program"), $0, imp, cyc
			imp = cyc = 0
		}
		/^cycle/ { print "    " $0 }
	' "$out" | indent
	if [ -z "$want" ] || grep -E '^cycle' "$out" | grep -Eq -- "$want"; then
		ok "$name: graph --deps $mode${want:+ shows the include cycle ($want)}"
	else
		not_ok "$name: graph --deps $mode shows the include cycle ($want)"
	fi
}

# ---- 2. scan ratios ------------------------------------------------------------

BT=$BUILD/bin/bench_tool
bench_tool() {
	# The Makefile's rule, so it links as the tool does.
	make -s -C "$TOP" --no-print-directory BUILD="$BUILD" "$BT"
}

# timed OUT ERR CMD...: run CMD (stdout to OUT, stderr to ERR); set RC,
# WALL (seconds) and CPU (user + system seconds of CMD and its children).
timed() {
	local out=$1 err=$2 t u s; shift 2
	t=$( { TIMEFORMAT='%R %U %S'; time { "$@"; echo $? >"$err.rc"; } >"$out" 2>"$err"; } 2>&1 )
	RC=$(cat "$err.rc")
	read -r WALL u s <<<"$t"
	CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
}

# ratios NAME CONFIG: over the program's TUs (db/prog), one after the other
# in this run: serial clang -fsyntax-only, then each gen with an empty
# cache.  Wall-clock is what the goals compare (-j2 against one process);
# the CPU seconds beside it say how much of a ratio is parallelism and
# how much is work, which matters on a loaded machine.  CONFIG merges the
# include cycle so that include mode orders (gen fails on a cycle); both
# gens read it, so both scan the same TUs as clang.
ratios() {
	local name=$1 cfg=$2 src=$RW/$1/src db=$RW/$1/db/prog sw sc ntus what goal
	if ! bench_tool >"$RW/bench_tool.log" 2>&1; then
		indent <"$RW/bench_tool.log" | head -10
		not_ok "$name: ratios: build tests/bench/bench_tool.c"; return
	fi
	cd "$src" || return
	timed "$RW/$name/bench-clang.out" "$RW/$name/bench-clang.err" "$BT" clang "$db"
	if [ "$RC" -ne 0 ]; then
		indent <"$RW/$name/bench-clang.err" | head -10
		not_ok "$name: serial clang -fsyntax-only over ${db#$TOP/} (exit $RC)"; cd "$TOP"; return
	fi
	read -r sw ntus <"$RW/$name/bench-clang.out"
	sc=$CPU
	echo "$name: scan ratios over the ${ntus:-?} TUs of ${db#$TOP/}, this run, load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
	printf '    %-42s %7s s wall %7s s CPU\n' "serial clang -fsyntax-only" "$sw" "$sc"
	for what in uses include; do
		local flags=(--deps "$what") label="cold gen -j2 --deps $what" goal=0.45
		if [ "$what" = include ]; then flags+=(--no-verify); label="$label --no-verify"; goal=0.30; fi
		rm -rf "$RW/cache/bench"
		timed /dev/null "$RW/$name/bench-$what.err" "$PKGINIT" gen -q -j2 "${flags[@]}" -p "$db" --config "$cfg" \
			--cache "$RW/cache/bench" -o "$RW/$name/bench-inittab.c"
		rm -rf "$RW/cache/bench"
		if [ "$RC" -ne 0 ]; then
			indent <"$RW/$name/bench-$what.err" | head -10
			not_ok "$name: $label (exit $RC)"; continue
		fi
		printf '    %-42s %7s s wall %7s s CPU   %s x serial wall (goal <= %s: %s), %s x CPU\n' \
			"$label" "$WALL" "$CPU" "$(ratio "$WALL" "$sw")" "$goal" \
			"$(verdict "$(ratio "$WALL" "$sw")" "$goal")" "$(ratio "$CPU" "$sc")"
		ok "$name: $label over the program's TUs (exit 0)"
	done
	cd "$TOP" || return
}

# ---- 3. a start-up sequence ----------------------------------------------------

# inits FILE: the init functions a report lists, in its order.
inits() { grep -oE 'name: [A-Za-z_][A-Za-z0-9_]*' "$1" | sed 's/name: //'; }

# reasons FILE: pkginit's verification errors, each with the reason it
# shows first (its notes are the chain, in FILE).
reasons() { grep -E "error: |note: '[A-Za-z0-9_]+' (reads '.*', which|runs after .*PKG_AFTER)" "$1"; }

# before ORDER-FILE A B WHY: A runs before B.
before() {
	local a b
	a=$(grep -nx "$2" "$1" | cut -d: -f1 | head -1)
	b=$(grep -nx "$3" "$1" | cut -d: -f1 | head -1)
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then
		ok "$NAME: --deps uses runs $2 before $3 ($4)"
	else
		not_ok "$NAME: --deps uses runs $2 before $3 ($4)"
		echo "#   order: $(tr '\n' ' ' <"$1")"
	fi
}

# patched NAME PROGRAM DROP...: the hard-linked copy with PROGRAM.patch
# applied (patch(1) writes a new file, so the build's files stay as they
# are), its database db/patched (the program's entries, moved to the copy,
# with -I for pkginit.h), and pkginit-realworld.yaml in it.
patched() {
	local name=$1 prog=$2 src=$RW/$1/src dst=$RW/$1/patched a; shift 2
	local drops=()
	for a in "$@"; do drops+=(--drop "$a"); done
	rm -rf "$dst"
	cp -al "$src" "$dst" || return 1
	if ! (cd "$dst" && patch -p1 -s --no-backup-if-mismatch) <"$HERE/$prog.patch" >"$RW/$name/patch.log" 2>&1; then
		indent <"$RW/$name/patch.log"
		not_ok "$name: $prog.patch applies"; return 1
	fi
	ok "$name: $prog.patch applies to a copy of the built tree"
	rm -f "$dst/pkginit-realworld.yaml"
	cp "$HERE/$prog.yaml" "$dst/pkginit-realworld.yaml"
	mkdir -p "$RW/$name/db/patched"
	python3 "$HERE/compdb.py" "$src/compile_commands.json" "$RW/$name/db/patched/compile_commands.json" \
		--from "$src" --to "$dst" --arg "-I$RTINC" "${drops[@]}"
}

# startup NAME PROGRAM VAR-REGEX WRITER READER [A B WHY]...: the checks of 3.
startup() {
	NAME=$1
	local prog=$2 var=$3 writer=$4 reader=$5 dir=$RW/$1/patched db=$RW/$1/db/patched rc
	shift 5
	cd "$dir" || return
	# --deps uses: gen succeeds (verification on) and orders the inits.
	"$PKGINIT" gen -q -j"$JOBS" --deps uses -p "$db" --cache "$RW/cache/$NAME" \
		--report "$RW/$NAME/uses.yaml" -o "$RW/$NAME/uses-inittab.c" 2>"$RW/$NAME/uses.err"
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "$NAME: gen --deps uses on the patched $prog (exit 0, verified)"
		inits "$RW/$NAME/uses.yaml" >"$RW/$NAME/uses.order"
		echo "$NAME: --deps uses runs: $(tr '\n' ' ' <"$RW/$NAME/uses.order")"
		while [ $# -ge 3 ]; do before "$RW/$NAME/uses.order" "$1" "$2" "$3"; shift 3; done
	else
		not_ok "$NAME: gen --deps uses on the patched $prog (exit $rc, want 0)"
		indent <"$RW/$NAME/uses.err" | head -40
	fi
	# --deps include, the cycle merged: the file order is unsafe, and
	# verification says so.
	"$PKGINIT" gen -q -j"$JOBS" --deps include --config pkginit-realworld.yaml -p "$db" \
		--cache "$RW/cache/$NAME" -o "$RW/$NAME/include-inittab.c" 2>"$RW/$NAME/include.err"
	rc=$?
	echo "$NAME: --deps include, merged (${prog}.yaml), exit $rc (each error and the reason it shows; all in ${RW#$TOP/}/$NAME/include.err):"
	reasons "$RW/$NAME/include.err" | indent
	# One of the reasons shown: "'READER' reads 'VAR', which 'WRITER' writes".
	if [ $rc -eq 1 ] && grep -Eq "'$reader' reads '($var)', which '$writer' writes" "$RW/$NAME/include.err"; then
		ok "$NAME: gen --deps include (merged) fails verification: $reader reads what $writer writes"
	else
		not_ok "$NAME: gen --deps include (merged) fails verification (exit $rc, want 1, naming $reader, $writer and one of $var)"
	fi
	# pkginit why: every reason the reader depends on the writer.
	"$PKGINIT" why -q -j"$JOBS" --deps uses -p "$db" --cache "$RW/cache/$NAME" "$reader" "$writer" \
		>"$RW/$NAME/why.txt" 2>&1
	rc=$?
	echo "$NAME: pkginit why $reader $writer, exit $rc (the variables; chains in ${RW#$TOP/}/$NAME/why.txt):"
	grep -E "reads '.*', which|depends on" "$RW/$NAME/why.txt" | indent
	if [ $rc -eq 0 ] && grep -Eq "'$reader' reads '($var)', which '$writer' writes" "$RW/$NAME/why.txt"; then
		ok "$NAME: pkginit why $reader $writer names the constraint's variable"
	else
		not_ok "$NAME: pkginit why $reader $writer names the constraint's variable (exit $rc, one of $var)"
	fi
	# The same without verification: the order that would have run.
	"$PKGINIT" gen -q -j"$JOBS" --deps include --no-verify --config pkginit-realworld.yaml -p "$db" \
		--cache "$RW/cache/$NAME" --report "$RW/$NAME/include.yaml" -o "$RW/$NAME/include-inittab.c" \
		2>"$RW/$NAME/include-nv.err"
	rc=$?
	if [ $rc -eq 0 ]; then
		inits "$RW/$NAME/include.yaml" >"$RW/$NAME/include.order"
		echo "$NAME: --deps include --no-verify would run: $(tr '\n' ' ' <"$RW/$NAME/include.order")"
		local r w
		r=$(grep -nx "$reader" "$RW/$NAME/include.order" | cut -d: -f1)
		w=$(grep -nx "$writer" "$RW/$NAME/include.order" | cut -d: -f1)
		if [ -n "$r" ] && [ -n "$w" ] && [ "$r" -lt "$w" ]; then
			ok "$NAME: --deps include --no-verify runs $reader before $writer (the unsafe order)"
		else
			not_ok "$NAME: --deps include --no-verify runs $reader before $writer (the unsafe order)"
		fi
	else
		not_ok "$NAME: gen --deps include --no-verify (merged) (exit $rc, want 0)"
		indent <"$RW/$NAME/include-nv.err" | head -10
	fi
	cd "$TOP" || return
}

# ---- the two codebases -------------------------------------------------------

# Open vSwitch: Documentation/intro/install/general.rst configures with
# these options; the two daemons and the client that configures them.
OVS_CONF="--prefix=/usr --localstatedir=/var --sysconfdir=/etc"
OVS_TARGETS="vswitchd/ovs-vswitchd ovsdb/ovsdb-server utilities/ovs-vsctl"
# BlueZ: README's configure line.  --with-udevdir: configure asks udev's
# pkg-config file where udev rules go and stops without it; CI runs no
# udev, and the option only names where `make install` would put them.
BLUEZ_CONF="--prefix=/usr --mandir=/usr/share/man --sysconfdir=/etc --localstatedir=/var --with-udevdir=/lib/udev"
BLUEZ_TARGETS="src/bluetoothd"

mkdir -p "$RW/cache"

if codebase ovs && build ovs openvswitch-source /usr/src/openvswitch/openvswitch.tar.gz openvswitch 0 \
	"$OVS_CONF" "$OVS_TARGETS" && { step graph || step ratios || step startup; }; then
	T0=$(now)
	# ovs-vswitchd's TUs: all but the other programs' directories.
	mkdir -p "$RW/ovs/db/prog"
	python3 "$HERE/compdb.py" "$RW/ovs/src/compile_commands.json" "$RW/ovs/db/prog/compile_commands.json" \
		--drop ovsdb/ --drop utilities/
	if step graph; then
		graph ovs include 'lib .*ofproto|ofproto .*lib'
		graph ovs uses ''
	fi
	rm -f "$RW/ovs/src/pkginit-realworld.yaml"
	cp "$HERE/ovs-vswitchd.yaml" "$RW/ovs/src/pkginit-realworld.yaml"
	step ratios && ratios ovs "$RW/ovs/src/pkginit-realworld.yaml"
	if step startup && patched ovs ovs-vswitchd ovsdb/ utilities/; then
		startup ovs ovs-vswitchd 'dummy_numa|dummy_config|program_name|destinations' vswitchd_args_init ovs_numa_init \
			vswitchd_args_init ovs_numa_init "dummy_numa: ovs_numa_set_dummy 'must be called once, before ovs_numa_init()'" \
			vswitchd_args_init bridge_start "bridge_remote: the remote parse_options returned" \
			vswitchd_args_init vswitchd_unixctl_init "PKG_AFTER: the socket is named after the daemon's pid"
	fi
	echo "ovs: analysis in $(secs "$T0" "$(now)") s"
fi

if codebase bluez && build bluez bluez-source /usr/src/bluez.tar.bz2 bluez-source 1 "$BLUEZ_CONF" "$BLUEZ_TARGETS" &&
	{ step graph || step ratios || step startup; }; then
	T0=$(now)
	mkdir -p "$RW/bluez/db/prog"
	python3 "$HERE/compdb.py" "$RW/bluez/src/compile_commands.json" "$RW/bluez/db/prog/compile_commands.json"
	if step graph; then
		graph bluez include 'attrib .*src/shared|src/shared .*attrib'
		graph bluez uses ''
	fi
	rm -f "$RW/bluez/src/pkginit-realworld.yaml"
	cp "$HERE/bluetoothd.yaml" "$RW/bluez/src/pkginit-realworld.yaml"
	step ratios && ratios bluez "$RW/bluez/src/pkginit-realworld.yaml"
	if step startup && patched bluez bluetoothd; then
		startup bluez bluetoothd 'connection' btd_dbus_init adapter_module_init \
			btd_main_init btd_dbus_init "btd_opts: D-Bus set-up reads btd_opts.experimental" \
			btd_dbus_init adapter_module_init "connection: adapter_init reads btd_get_dbus_connection()" \
			btd_dbus_init btd_device_init "connection: btd_device_init reads it" \
			btd_dbus_init btd_agent_init "connection: btd_agent_init registers on it" \
			btd_dbus_init btd_profile_init "connection: btd_profile_init registers on it" \
			btd_dbus_init plugin_start "PKG_AFTER: plugins after D-Bus, src/main.c:1273" \
			btd_main_init btd_sdp_init "btd_opts: the SDP server reads btd_opts.mode" \
			btd_main_init plugin_start "plugin_enable: --plugin reaches plugin_init"
	fi
	echo "bluez: analysis in $(secs "$T0" "$(now)") s"
fi

if [ "$STEPS$CODEBASES" = " all  ovs bluez " ]; then
	echo "make realworld: $(secs "$T_START" "$(now)") s"
else
	echo "realworld, steps ${REALWORLD_STEPS:-all}, codebases ${REALWORLD_CODEBASES:-ovs bluez}: $(secs "$T_START" "$(now)") s"
fi
echo "$_pass passed, $_fail failed"
[ "$_fail" -eq 0 ]
