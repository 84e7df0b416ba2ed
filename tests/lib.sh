# tests/lib.sh - helpers for end-to-end tests, sourced by tests/e2e/*.sh.
#
# Each check prints one TAP line ("ok N - name" / "not ok N - name") and,
# on failure, what was expected and what came.  Every test runs in its own
# scratch directories under $BUILD/e2e/SCRIPT/ (scratch NAME), emptied when
# a test makes them again and left in place afterwards to look at.
set -u
TOP=${PKGINIT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PKGINIT=$BUILD/bin/pkginit
# The sanitizer flags the build was made with (make test SANITIZE=...; the
# tool, the runtime and pkgrt.pc's Libs carry them); empty in a plain run.
SAN_FLAGS=${SAN_FLAGS:-}
RTINC=$TOP/runtime/include
_n=0
_failed=0

ok()     { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=1; echo "not ok $_n - $*"; }

# scratch NAME: a fresh directory; cd into it.
scratch() {
	SCRATCH=$BUILD/e2e/$(basename "$0" .sh)/$1
	rm -rf "$SCRATCH"
	mkdir -p "$SCRATCH"
	cd "$SCRATCH" || exit 1
}

# run CMD...: run, capturing stdout in $OUT, stderr in $ERR, status in $RC.
run() {
	OUT=$("$@" 2>"$SCRATCH/.stderr")
	RC=$?
	ERR=$(cat "$SCRATCH/.stderr")
}

# expect_rc NAME WANT: after run.
expect_rc() {
	if [ "$RC" -eq "$2" ]; then ok "$1"; else
		not_ok "$1"; echo "#   exit status $RC, want $2"
		echo "$ERR" | sed 's/^/#   stderr: /'; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		not_ok "$1"
		diff <(echo "$3") <(echo "$2") | sed 's/^/#   /'
	fi
}

# expect_match NAME TEXT REGEX (grep -E, any line)
expect_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else
		not_ok "$1"; echo "#   no line matches: $3"
		printf '%s\n' "$2" | sed 's/^/#   got: /'; fi
}

# expect_same_file NAME FILE WANT-FILE: the two files are byte for byte
# the same (a diff of the first lines otherwise).
expect_same_file() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1"; diff "$3" "$2" | head -20 | sed 's/^/#   /'; fi
}

# write FILE <<EOF: create a file and its directory.
write() { mkdir -p "$(dirname "$1")"; cat >"$1"; }

done_testing() {
	echo "1..$_n"
	exit $_failed
}
