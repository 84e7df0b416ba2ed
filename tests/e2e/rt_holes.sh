#!/usr/bin/env bash
# rt_holes.sh - what the runtime adds on purpose, checked where the
# program without it has nothing to compare with (issue 12, points 3, 4
# and 6):
#
#   - the guard region is wide enough for real frames: a recursion whose
#     frames are 300 KiB (far more than a page) is still reported as an
#     overflow of the main goroutine, also when memory is mapped right
#     below the guard (which a one-page guard let such frames write over); with -fstack-clash-protection, a
#     single frame larger than the whole guard is too; a wild write into
#     the guard with a sane stack pointer is not an overflow (amd64 and
#     arm64)
#   - more than 1024 CPUs (sched_getaffinity refusing a 128-byte mask, by
#     a seccomp filter): the runtime still counts them
#   - a program's own alternate signal stack is kept and shown by
#     starttrace; main's sp in starttrace is on g1's stack
#   - a crash by a signal an init sent itself names the sender's pid, not
#     an address
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"
ulimit -c 0

scratch holes
write main.c <<'EOF'
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Frames of `size` bytes, touched at their lowest address first. */
static int big(long n, long size)
{
	char *frame = __builtin_alloca(size);
	frame[0] = (char)n;
	((volatile char *)frame)[0];
	return n <= 0 ? 0 : big(n - 1, size) + frame[0];
}

/* One frame larger than the guard region (1 MiB). */
static int huge(void)
{
	volatile char frame[3 << 20];
	frame[sizeof frame - 1] = 1;
	frame[0] = 1;
	return frame[0] + frame[sizeof frame - 1];
}

void a_init(void) {}

/* Map memory right below the guard under the stack this runs on, as a
 * heap block or another thread's stack could be; its start, or NULL. */
static char *map_below_guard(void *sp)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, guardlo = 0, prevlo = 0, prevhi = 0;
	char perms[8], line[512];
	char *p = NULL;

	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (lo <= (unsigned long)sp && (unsigned long)sp < hi && prevhi == lo)
			guardlo = prevlo;       /* the mapping below: the guard */
		prevlo = lo, prevhi = hi;
	}
	if (f != NULL)
		fclose(f);
	if (guardlo != 0)
		p = mmap((void *)(guardlo - (4UL << 20)), 4UL << 20, PROT_READ | PROT_WRITE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
	char local;
	if (argc > 1 && strcmp(argv[1], "below") == 0) {
		if (map_below_guard(&local) == NULL)
			return 99;
		return big(1L << 20, 300 << 10);
	}
	if (argc > 1 && strcmp(argv[1], "big") == 0)
		return big(1L << 20, 300 << 10);
	if (argc > 1 && strcmp(argv[1], "huge") == 0)
		return huge();
	if (argc > 1 && strcmp(argv[1], "wild") == 0) {
		/* 512 KiB below this frame, while the stack has room: with
		 * PKGRT_STACK=256K that is in the guard, with sp far above it */
		((volatile char *)&local)[-(512L << 10)] = 1;
		return 0;
	}
	printf("main local=%p\n", (void *)&local);
	return 0;
}
EOF
mktable inittab.c a:a_init

# guard VARIANT CC RUN...
guard() {
	local v=$1 xcc=$2
	shift 2
	rm -f ./*.o
	# shellcheck disable=SC2086
	if ! rtbuild prog_$v $xcc -O1 -- main.c inittab.c; then not_ok "$v: links"; sed 's/^/#   /' link.err; return; fi
	run env PKGRT_STACK=2M "$@" ./prog_$v big
	expect_rc "$v: 300 KiB frames run off a 2M stack: status 2" 2
	expect_eq "$v: ... reported as the main goroutine's overflow" "$ERR" \
		"pkgrt: fatal: stack overflow on the main goroutine (its stack is 2M); raise it with PKGRT_STACK, e.g. PKGRT_STACK=4M"
	run env PKGRT_STACK=2M "$@" ./prog_$v below
	expect_rc "$v: ... with memory mapped just below the guard: still status 2" 2
	expect_match "$v: ... reported, not written over" "$ERR" '^pkgrt: fatal: stack overflow on the main goroutine \(its stack is 2M\)'
	run env PKGRT_STACK=256K "$@" ./prog_$v wild
	expect_rc "$v: a wild write into the guard, the stack pointer well above: SIGSEGV" 139
	if printf '%s\n' "$ERR" | grep -q '^pkgrt: '; then not_ok "$v: ... not called an overflow"; echo "#   $ERR"
	else ok "$v: ... not called an overflow"; fi
	rm -f ./*.o
	# shellcheck disable=SC2086
	if ! rtbuild prog_${v}_scp $xcc -O1 -fstack-clash-protection -- main.c inittab.c; then
		not_ok "$v: links with -fstack-clash-protection"; sed 's/^/#   /' link.err; return; fi
	run env PKGRT_STACK=2M "$@" ./prog_${v}_scp huge
	expect_rc "$v: -fstack-clash-protection, a 3 MiB frame on a 2M stack: status 2" 2
	expect_match "$v: ... reported as the main goroutine's overflow" "$ERR" \
		'^pkgrt: fatal: stack overflow on the main goroutine \(its stack is 2M\); raise it with PKGRT_STACK, e.g. PKGRT_STACK=4M$'
}
guard amd64 cc
if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && command -v qemu-aarch64 >/dev/null 2>&1 &&
	[ -f "$BUILD/arm64/lib/libpkgrt.a" ]; then
	PKG_CONFIG_PATH=$BUILD/arm64/lib/pkgconfig guard arm64 aarch64-linux-gnu-gcc qemu-aarch64 -L /usr/aarch64-linux-gnu
else
	not_ok "arm64: the cross compiler, qemu-aarch64 or $BUILD/arm64/lib/libpkgrt.a missing"
fi

# More CPUs than 1024 bits: sched_getaffinity wants a larger mask.
rm -f ./*.o
rtbuild prog -- main.c inittab.c || not_ok "links"
if cc -o seccomp_affinity "$TOP/runtime/testdata/seccomp_affinity.c" 2>cc.err; then
	run ./seccomp_affinity ./prog
	expect_rc "a 128-byte affinity mask refused: the program runs" 0
	run ./seccomp_affinity /usr/bin/env PKGRT_DEBUG=starttrace=1 ./prog
	expect_match "... and the runtime counts every CPU with a larger mask" "$ERR" "^start osinit: ncpu=$NCPU physPageSize=[0-9]+\$"
else
	not_ok "seccomp_affinity builds"; sed 's/^/#   /' cc.err
fi

# main's sp, as starttrace prints it, is on g1's stack.
run env PKGRT_DEBUG=starttrace=1 ./prog
expect_on_g1 "starttrace: main's sp is on g1's stack" "$(printf '%s\n' "$ERR" | sed -n 's/^start main: .* sp=0x\([0-9a-f]*\) .*/\1/p')"

# A program's own alternate signal stack: kept, and what starttrace shows.
cp "$TOP/runtime/testdata/invisible.c" "$TOP/runtime/testdata/invisible_other.c" .
if twoways inv cc -O2 -pthread -- invisible.c invisible_other.c; then
	run env INV=main-altstack-report PKGRT_DEBUG=starttrace=1 ./inv_rt
	want=$(printf '%s\n' "$OUT" | sed -n 's/^altstack=\(.*\)$/\1/p')
	expect_match "starttrace: the program's alternate stack, kept" "$ERR" \
		"^start mstart: m0 g0 sched.sp=0x[0-9a-f]+ gsignal=$(printf '%s' "$want" | sed 's/\[/\\[/; s/)/\\)/') \\(the program's\\) handlers for "
	run env INV= PKGRT_DEBUG=starttrace=1 ./inv_rt
	# (under SANITIZE, ASan's runtime has given the thread one already)
	whose=ours
	[ -n "$SAN_FLAGS" ] && whose="ours|the program's"
	expect_match "starttrace: otherwise the runtime's own" "$ERR" \
		"^start mstart: m0 g0 sched.sp=0x[0-9a-f]+ gsignal=\\[0x[0-9a-f]+,0x[0-9a-f]+\\) \\(($whose)\\) handlers for "
	# abort(3) in an init: named with the pid that sent it, this one
	run env INV=init-raise-abrt ./inv_rt
	pid=$(printf '%s\n' "$ERR" | sed -n 's/.*(sent by pid \([0-9]*\), pc=.*/\1/p')
	expect_match "raise(SIGABRT) in an init: the sender named" "$ERR" '\(sent by pid [0-9]+, pc=0x[0-9a-f]+\)$'
	if [ -n "$pid" ] && [ "$pid" -gt 1 ]; then ok "... a pid, not an address"; else not_ok "... a pid, not an address"; fi
else
	not_ok "invisible.c builds both ways"; sed 's/^/#   /' link.err
fi

done_testing
