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

# age: every file below . but the scan cache saved long ago, as in a real
# tree (the cache stores nothing a file saved during the scan, in the
# clock tick it started in, may have changed).
age() { find . -path ./.pkginit-cache -prune -o -type f -exec touch -d '2001-01-01' {} +; }

# snapshot: every file below . but the scan cache: name, type, mode, size,
# mtime, link target, checksum (a directory: its name and mode, since its
# mtime moves with run's own .stderr).  A temporary left behind is a new
# name.
snapshot() {
	find . -path ./.pkginit-cache -prune -o -name .stderr -o -type d -printf '%p/ %m\n' \
		-o -printf '%p %y %m %s %T@ %l\n' | sort
	find . -path ./.pkginit-cache -prune -o -type f ! -name .stderr -print0 |
		sort -z | xargs -0 cksum
}

# load_messages SCRIPT: the expected messages by case name, MSG[NAME],
# from the golden table at the end of SCRIPT (after its "exit" line):
# "### NAME" lines, each followed by the message.  DISCOVER=1 makes
# expect_msg (and so bad) print every case's message in that format as
# well, to review and paste when a message changes on purpose.
declare -A MSG
load_messages() {
	local name= line
	while IFS= read -r line; do
		case $line in
		'### '*) name=${line#'### '}; MSG[$name]= ;;
		*) MSG[$name]+=${MSG[$name]:+$'\n'}$line ;;
		esac
	done < <(sed '1,/^exit$/d' "$1")
}

# expect_msg NAME: $ERR, after a run, is exactly the message MSG[NAME].
expect_msg() {
	local name=$1
	if [ -n "${DISCOVER:-}" ]; then
		printf '### %s\n%s\n' "$name" "$ERR" >&2
	fi
	if [ -z "${MSG[$name]+set}" ]; then
		not_ok "$name: the message"; echo "#   no message for '$name' in the table"
	else
		expect_eq "$name: the message" "$ERR" "${MSG[$name]}"
	fi
}

# bad NAME STATUS CMD...: CMD fails with STATUS, prints exactly the
# message MSG[NAME] on stderr and nothing on stdout, and changes no file
# (snapshot).
bad() {
	local name=$1 status=$2 before
	shift 2
	before=$(snapshot)
	run "$@"
	expect_rc "$name: exit status $status" "$status"
	expect_msg "$name"
	expect_eq "$name: no file created or changed, no temporary left" \
		"$(snapshot)$OUT" "$before"
}

done_testing() {
	echo "1..$_n"
	exit $_failed
}
