#!/usr/bin/env bash
# oom.sh - the pkginit command out of memory: its address space capped
# (ulimit -v) a little above what it needs to start and read a small
# compilation database, it is given one that never ends (/dev/zero).  It
# must say "out of memory" in one line and exit 3, as tool.h promises.
#
# Here the allocation that fails is a large one (the buffer the file is
# read into, doubling), so smaller ones could still succeed afterwards.
# That diag_die allocates nothing at all, which matters when the heap is
# exhausted to its last byte (it used to recurse into the allocator until
# the stack overflowed), is tests/unit/test_diag.c's to check: it fills
# the heap of a child process completely first.
. "$(dirname "$0")/../lib.sh"
scratch oom

case $SAN_FLAGS in
*address*)
	# ASan reserves terabytes of address space for its shadow memory.
	ok "out of memory: exit status 3 # SKIP under ASan"
	ok "out of memory: one line # SKIP under ASan"
	done_testing ;;
esac

: >empty.json
# starts CAP: pkginit, capped at CAP KiB, starts and reads empty.json.
starts() {
	local err
	err=$( (ulimit -v "$1"; "$PKGINIT" graph --compdb empty.json) 2>&1 >/dev/null)
	[ "$err" = "empty.json:1:1: error: the file is empty: a compilation database is a JSON array of compile commands" ]
}
# The smallest cap that does, to 1 MiB.
lo=1024 hi=$((16 * 1024 * 1024))
if ! starts $hi; then
	not_ok "pkginit starts under a cap of $hi KiB"
	done_testing
fi
while [ $((hi - lo)) -gt 1024 ]; do
	mid=$(((lo + hi) / 2))
	if starts $mid; then hi=$mid; else lo=$mid; fi
done
cap=$((hi + 64 * 1024))

run bash -c "ulimit -v $cap; exec \"\$0\" graph --compdb /dev/zero" "$PKGINIT"
expect_rc "out of memory: exit status 3 (cap $cap KiB)" 3
expect_match "out of memory: one line" "$ERR" '^pkginit: error: out of memory \([0-9]+ bytes\)$'
expect_eq "out of memory: nothing else on stderr" "$(printf '%s\n' "$ERR" | wc -l)" 1
done_testing
