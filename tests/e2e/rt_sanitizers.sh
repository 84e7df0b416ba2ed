#!/usr/bin/env bash
# rt_sanitizers.sh - programs built with -fsanitize=address, thread or
# undefined and linked with the runtime as installed (pkg-config pkgrt: in
# a plain `make test` the plain runtime, which finds the sanitizer at run
# time through weak references), each beside the same program built with
# `pkginit gen --driver=ctor` (no runtime).  The exit status, stdout and
# the sanitizer's reports (their kind and summary line) are the same:
#
#   ASan   longjmp out of deep frames, then the stack reused: no false
#          stack-buffer-overflow, no "ignoring requested
#          __asan_handle_no_return" warning (also at exit); a real overflow
#          is reported; ASan's own SEGV report, from main and from an init
#          function (its handler, installed before the runtime, gets the
#          signal); C++ exceptions thrown across frames with arrays
#   TSan   a data race between main (on g1) and a thread is reported; a
#          longjmp on g1 works
#   UBSan  signed overflow reported in main and in an init function
#
# Under make test SANITIZE=... the runtime is itself built with ASan and
# UBSan, so TSan cannot be linked with it: the TSan checks are skipped.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"
ulimit -c 0
unset ASAN_OPTIONS      # ASan's own signal handlers are part of what is tested

scratch sanitizers
cp "$TOP/runtime/testdata/sanitized.c" "$TOP/runtime/testdata/sanitized_cxx.cc" .

# reports: the sanitizer lines of $1 that do not depend on the run
# (pids, addresses, thread ids removed).
reports() {
	printf '%s\n' "$1" | grep -E '(ERROR|WARNING): (Address|Thread|UndefinedBehavior)Sanitizer|^SUMMARY:|runtime error:|ASan is ignoring' |
		sed -E 's/==[0-9]+==/==PID==/; s/0x[0-9a-f]+/0xADDR/g; s/\(pid=[0-9]+\)//; s/ T[0-9]+\b/ T/g'
}

# same_reports NAME WHAT ARGS...: run both builds with ARGS; the same exit
# status, stdout and sanitizer reports.  $ERR is the runtime's stderr.
same_reports() {
	local name=$1 what=$2 cerr
	shift 2
	run "./${name}_ctor" "$@"
	CRC=$RC COUT=$OUT cerr=$(reports "$ERR")
	run "./${name}_rt" "$@"
	if [ "$RC" = "$CRC" ] && [ "$OUT" == "$COUT" ] && [ "$(reports "$ERR")" == "$cerr" ]; then
		ok "$what: the same with the runtime and without (status $RC)"
	else
		not_ok "$what: the same with the runtime and without"
		echo "#   exit status: runtime $RC, ctor $CRC"
		diff <(printf '%s\n' "$COUT") <(printf '%s\n' "$OUT") | sed 's/^/#   stdout: /'
		diff <(printf '%s\n' "$cerr") <(reports "$ERR") | sed 's/^/#   report: /'
	fi
}

# no_warning WHAT: the runtime's run had no ASan warning about the stack.
no_warning() {
	if printf '%s\n' "$ERR" | grep -q 'ignoring requested __asan_handle_no_return\|False positive'; then
		not_ok "$1"; printf '%s\n' "$ERR" | head -5 | sed 's/^/#   /'
	else ok "$1"; fi
}

# ---- ASan -----------------------------------------------------------------------
if twoways asan cc -g -O1 -fsanitize=address -fno-omit-frame-pointer -pthread -- sanitized.c; then
	ok "ASan: builds both ways"
	same_reports asan "ASan: longjmp out of deep frames, then the stack reused" longjmp
	expect_eq "ASan: ... no report at all" "$(reports "$ERR")" ""
	expect_eq "ASan: ... the program ran to the end" "$OUT" "longjmp: done
main done"
	no_warning "ASan: ... and no warning about the stack"
	same_reports asan "ASan: exit(3) from main" exit
	expect_rc "ASan: ... its status" 3
	no_warning "ASan: ... no warning about the stack"
	same_reports asan "ASan: a real stack-buffer-overflow" overflow
	expect_match "ASan: ... reported" "$ERR" 'ERROR: AddressSanitizer: stack-buffer-overflow'
	same_reports asan "ASan: a NULL dereference in main" segv
	expect_match "ASan: ... ASan's SEGV report" "$ERR" 'ERROR: AddressSanitizer: SEGV on unknown address'
	run env INIT=segv ./asan_ctor
	CRC=$RC cerr=$(reports "$ERR")
	run env INIT=segv ./asan_rt
	expect_eq "ASan: a NULL dereference in an init function: ASan's report, as without the runtime" \
		"$RC $(reports "$ERR")" "$CRC $cerr"
	expect_match "ASan: ... ASan's SEGV report" "$ERR" 'ERROR: AddressSanitizer: SEGV on unknown address'
else
	not_ok "ASan: builds both ways"; sed 's/^/#   /' link.err
fi

# C++: the runtime with an empty table, beside the plain program.  g++ if
# installed, else clang++ (the clang package has it, and make deps installs
# clang); RT_TEST_CXX=clang++ chooses.
mktable empty.c
CXX=${RT_TEST_CXX:-$(command -v g++ || command -v clang++)}
# shellcheck disable=SC2046
if [ -n "$CXX" ] && "$CXX" -g -O1 -fsanitize=address -o cxx_ctor sanitized_cxx.cc 2>link.err &&
	cc -c empty.c 2>link.err &&
	"$CXX" -g -O1 -fsanitize=address -o cxx_rt sanitized_cxx.cc empty.o $(pkg-config --libs pkgrt) 2>link.err; then
	same_reports cxx "ASan: C++ exceptions thrown across frames, then the stack reused"
	expect_eq "ASan: ... caught each time, no report" "$OUT $(reports "$ERR")" "caught deep
caught deep
caught deep "
	no_warning "ASan: ... no warning about the stack"
else
	not_ok "ASan: C++ builds (${CXX:-no g++ or clang++})"; sed 's/^/#   /' link.err
fi

# ---- TSan ----------------------------------------------------------------------
if [ -n "$SAN_FLAGS" ]; then
	ok "TSan # SKIP the runtime is built with $SAN_FLAGS (make test SANITIZE=...): TSan cannot link with it"
elif twoways tsan cc -g -O1 -fsanitize=thread -pthread -- sanitized.c; then
	ok "TSan: builds both ways"
	same_reports tsan "TSan: a race between main and a thread" race
	expect_match "TSan: ... reported" "$ERR" 'WARNING: ThreadSanitizer: data race'
	same_reports tsan "TSan: longjmp on the main goroutine" longjmp
	expect_eq "TSan: ... no report" "$(reports "$ERR")" ""
	same_reports tsan "TSan: a plain run" ""
	expect_eq "TSan: ... no report" "$ERR" ""
else
	not_ok "TSan: builds both ways"; sed 's/^/#   /' link.err
fi

# ---- UBSan ---------------------------------------------------------------------
if twoways ubsan cc -g -O1 -fsanitize=undefined -pthread -- sanitized.c; then
	ok "UBSan: builds both ways"
	run env INIT=ub ./ubsan_ctor ub
	CRC=$RC COUT=$OUT CERR=$ERR
	run env INIT=ub ./ubsan_rt ub
	expect_eq "UBSan: signed overflow in an init function and in main: the same" \
		"$RC|$OUT|$ERR" "$CRC|$COUT|$CERR"
	# UBSan reports each place once: the init function's call, then not main's
	expect_eq "UBSan: ... reported, from the init function" \
		"$(printf '%s\n' "$ERR" | grep -c 'runtime error: signed integer overflow') $(printf '%s\n' "$OUT" | head -1)" \
		"1 init: -2147483647"
else
	not_ok "UBSan: builds both ways"; sed 's/^/#   /' link.err
fi

done_testing
