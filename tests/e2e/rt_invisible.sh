#!/usr/bin/env bash
# rt_invisible.sh - the runtime is invisible to the program (issue 12):
# one program (runtime/testdata/invisible.c) built with the runtime and
# with `pkginit gen --driver=ctor` (no runtime), run the same ways; exit
# status, stdout and stderr (apart from pkgrt's own lines) must be the
# same.  On glibc, on musl, and on arm64 under qemu:
#
#   1  the environment main gets after an init called setenv
#   2  a constructor's SIGSEGV handler that recovers with siglongjmp, in
#      main and in an init; a preloaded library's crash handler; a constructor's reporting handler gets sent
#      signals (kill, raise, sigqueue, BUS_MCEERR_AO) with their siginfo,
#      on its own alternate stack, with its own mask; SIG_IGN inherited
#      from the parent (SIGSEGV, SIGABRT) stays ignored for sent signals
#      and a real fault still kills; with no handler, sent signals and
#      faults kill as they would, silently unless in an init function
#   3  a fault in a thread started by an init, an overflow of a thread's
#      stack, of a makecontext stack: not the runtime's business
#   6  a program that calls its own main
#
# and, on x86-64 (glibc and musl), the stack limits of point 4: ulimit -s
# unlimited with a recursion deeper than 8 MiB, a 64 MiB limit, a tight
# RLIMIT_AS with a large stack limit, RLIMIT_AS and RLIMIT_DATA leaving the
# heap its room, prlimit values near the maximum.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"
ulimit -c 0     # the crashes below would dump core

scratch invisible
cp "$TOP/runtime/testdata/invisible.c" "$TOP/runtime/testdata/invisible_other.c" .
SRCS=(invisible.c invisible_other.c)

# quiet NAME: after a run, the runtime wrote nothing of its own.
quiet() {
	if printf '%s\n' "$ERR" | grep -q '^pkgrt: '; then
		not_ok "$1"; printf '%s\n' "$ERR" | sed 's/^/#   stderr: /'
	else ok "$1"; fi
}

# battery VARIANT RUN...: the checks of points 1, 2, 3 and 6; RUN is the
# command prefix (empty, or qemu).  Under qemu-user, a signal sent to
# itself with a kernel si_code (BUS_MCEERR_AO) trips an assertion in qemu
# (cpu_exec: cpu == current_cpu), with the runtime or without: not run.
battery() {
	local v=$1 m sig sigs
	shift
	same "$v" "$v: plain run" env INV= "$@" @PROG@
	expect_eq "$v: plain run: the init ran, then main" "$OUT" "init done
main argc=1"

	# 1. the environment after setenv in an init
	same "$v" "$v: setenv in an init, main walks envp" env INV=setenv "$@" @PROG@

	# 2. the program's handlers, installed before the runtime
	same "$v" "$v: a constructor's SIGSEGV handler recovers in main" env INV=main-recover "$@" @PROG@
	expect_match "$v: ... it ran" "$OUT" '^recovered from SIGSEGV in main$'
	same "$v" "$v: ... and in an init function" env INV=init-recover "$@" @PROG@
	expect_match "$v: ... it ran" "$OUT" '^recovered from SIGSEGV in init$'
	quiet "$v: ... and the runtime said nothing"
	for m in init main; do
		same "$v" "$v: kill(SIGSEGV) in $m, to a constructor's handler" env INV=$m-kill-segv-report "$@" @PROG@
		expect_match "$v: ... which got SI_USER from this process, on its own stack, with its mask" "$OUT" \
			'^handler: sig=11 code=0 value=0 self=1 onalt=1 blocked=1 usr2blocked=1$'
		same "$v" "$v: raise(SIGABRT) in $m, to a constructor's handler" env INV=$m-raise-abrt-report "$@" @PROG@
		expect_match "$v: ... SI_TKILL" "$OUT" '^handler: sig=6 code=-6 '
		same "$v" "$v: sigqueue(SIGSEGV) in $m, to a constructor's handler" env INV=$m-sigqueue-segv-report "$@" @PROG@
		expect_match "$v: ... SI_QUEUE with its value" "$OUT" '^handler: sig=11 code=-1 value=42 '
		sigs="kill-segv:139 raise-abrt:134 sigqueue-segv:139 fault:139"
		if [ "$v" != arm64 ]; then
			sigs="$sigs mceerr-ao:135"
			same "$v" "$v: SIGBUS BUS_MCEERR_AO in $m, to a constructor's handler" env INV=$m-mceerr-ao-report "$@" @PROG@
			expect_match "$v: ... code 5, and the program goes on" "$OUT" '^survived SIGBUS BUS_MCEERR_AO$'
		fi

		# no handler: sent signals kill, silently; a fault or abort(3)
		# in an init function is named, then kills all the same
		for sig in $sigs; do
			same "$v" "$v: $m-${sig%:*} with the default action" env INV=$m-${sig%:*} "$@" @PROG@
			expect_rc "$v: ... dies of the signal" "${sig#*:}"
			case $m-${sig%:*} in
			init-fault) expect_match "$v: ... named" "$ERR" \
				'^pkgrt: fatal: signal SIGSEGV: segmentation violation in init function inv_init of package main \(addr=0x0 pc=0x[0-9a-f]+\)$' ;;
			init-raise-abrt) expect_match "$v: ... named" "$ERR" \
				'^pkgrt: fatal: signal SIGABRT: abort in init function inv_init of package main \(sent by pid [0-9]+, pc=0x[0-9a-f]+\)$' ;;
			*) quiet "$v: ... and the runtime says nothing" ;;
			esac
		done
		# SIG_IGN inherited: sent signals stay ignored, a fault still kills
		same "$v" "$v: SIGSEGV ignored by the parent, kill(SIGSEGV) in $m" \
			bash -c 'trap "" SEGV; exec "$@"' sh env INV=$m-kill-segv "$@" @PROG@
		expect_rc "$v: ... ignored" 0
		same "$v" "$v: SIGABRT ignored by the parent, raise(SIGABRT) in $m" \
			bash -c 'trap "" ABRT; exec "$@"' sh env INV=$m-raise-abrt "$@" @PROG@
		expect_match "$v: ... ignored" "$OUT" '^survived raise\(SIGABRT\)$'
		same "$v" "$v: SIGSEGV ignored by the parent, a fault in $m" \
			bash -c 'trap "" SEGV; exec "$@"' sh env INV=$m-fault "$@" @PROG@
		expect_rc "$v: ... kills all the same" 139
	done

	# 3. faults on other threads and stacks
	same "$v" "$v: a fault in a thread an init started" env INV=init-thread-fault "$@" @PROG@
	expect_rc "$v: ... dies of SIGSEGV" 139
	quiet "$v: ... not blamed on the init function"
	same "$v" "$v: a thread's stack overflows" env INV=init-thread-overflow "$@" @PROG@
	quiet "$v: ... not the main goroutine's overflow"
	same "$v" "$v: a makecontext stack overflows in main" env INV=main-makecontext-overflow "$@" @PROG@
	expect_rc "$v: ... dies of SIGSEGV" 139
	quiet "$v: ... not the main goroutine's overflow"

	# 6. main calls main
	same "$v" "$v: main calls main from another file" env INV=main-main "$@" @PROG@ a b
	expect_rc "$v: ... the program's main ran again" 11
	expect_match "$v: ... with its arguments" "$OUT" '^main called again with argc=4: again$'
}

# ---- glibc, musl, arm64 --------------------------------------------------------

if twoways glibc cc -O2 -pthread -- "${SRCS[@]}"; then ok "glibc: builds both ways"; battery glibc
else not_ok "glibc: builds both ways"; sed 's/^/#   /' link.err; fi

if command -v musl-gcc >/dev/null 2>&1 && [ -f "$BUILD/lib/libpkgrt-musl.a" ]; then
	if RTPC=pkgrt-musl twoways musl musl-gcc -O2 -pthread -- "${SRCS[@]}"; then
		ok "musl: builds both ways"; battery musl
	else not_ok "musl: builds both ways"; sed 's/^/#   /' link.err; fi
else
	not_ok "musl: musl-gcc or $BUILD/lib/libpkgrt-musl.a missing (make deps; make)"
fi

if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && command -v qemu-aarch64 >/dev/null 2>&1 &&
	[ -f "$BUILD/arm64/lib/libpkgrt.a" ]; then
	if PKG_CONFIG_PATH=$BUILD/arm64/lib/pkgconfig twoways arm64 aarch64-linux-gnu-gcc -O2 -pthread -- "${SRCS[@]}"; then
		ok "arm64: builds both ways"; battery arm64 qemu-aarch64 -L /usr/aarch64-linux-gnu
	else not_ok "arm64: builds both ways"; sed 's/^/#   /' link.err; fi
else
	not_ok "arm64: the cross compiler, qemu-aarch64 or $BUILD/arm64/lib/libpkgrt.a missing (make deps; make test)"
fi

# ---- a preloaded library's handler (glibc) ---------------------------------------

write preload.c <<'EOF'
#include <signal.h>
#include <string.h>
#include <unistd.h>
/* A crash reporter, as preloaded libraries install: says so, exits 42. */
static void report(int sig)
{
	static const char msg[] = "preloaded handler: caught a crash\n";
	ssize_t r = write(2, msg, sizeof msg - 1);
	(void)r;
	_exit(40 + (sig == SIGSEGV) * 2);
}
__attribute__((constructor)) static void install(void)
{
	signal(SIGSEGV, report);
}
EOF
if [ -n "$SAN_FLAGS" ]; then
	ok "glibc: a preloaded library's handler # SKIP ASan must come first in the library list"
elif cc -shared -fPIC -o preload.so preload.c 2>link.err && [ -x ./glibc_rt ]; then
	for m in init main; do
		same glibc "glibc: a preloaded library's SIGSEGV handler, a fault in $m" \
			env LD_PRELOAD="$PWD/preload.so" INV=$m-fault @PROG@
		expect_rc "glibc: ... it ran" 42
		quiet "glibc: ... and the runtime said nothing"
	done
else
	not_ok "glibc: preload.so builds"; sed 's/^/#   /' link.err
fi

# ---- 4. stacks: at least what the program would have had ------------------------

stacks() {
	local v=$1
	[ -x "./${v}_rt" ] || return
	# 8 MiB is what the runtime used to give under unlimited; 64 MiB is more
	same "$v" "$v: ulimit -s unlimited, a 64 MiB recursion" \
		bash -c 'ulimit -s unlimited && exec "$@"' sh env INV=main-recurse @PROG@ 64
	expect_rc "$v: ... runs" 0
	run bash -c 'ulimit -s unlimited && exec "$@"' sh env PKGRT_DEBUG=starttrace=1 "./${v}_rt" 1
	expect_match "$v: ... on the OS stack, says starttrace" "$ERR" \
		'^start newproc: g1 to run runtime.main on the OS stack \(RLIMIT_STACK unlimited\)$'
	same "$v" "$v: ulimit -s 65536, a 48 MiB recursion" \
		bash -c 'ulimit -s 65536 && exec "$@"' sh env INV=main-recurse @PROG@ 48
	expect_rc "$v: ... runs" 0
	run bash -c 'ulimit -s 65536 && exec "$@"' sh env PKGRT_DEBUG=starttrace=1 "./${v}_rt"
	expect_match "$v: ... on a 64M mapping" "$ERR" '^start newproc: .* size=64M \(RLIMIT_STACK\) guard=\[0x[0-9a-f]+,0x[0-9a-f]+\)$'
	if [ -n "$SAN_FLAGS" ]; then
		ok "$v: a tight RLIMIT_AS # SKIP not with sanitizers (they reserve terabytes)"
	else
		# a sandbox: 256 MiB of address space, a 256 MiB stack limit
		same "$v" "$v: ulimit -v 262144 -s 262144, a 4 MiB recursion" \
			bash -c 'ulimit -v 262144 -s 262144 && exec "$@"' sh env INV=main-recurse @PROG@ 4
		expect_rc "$v: ... runs" 0
		run bash -c 'ulimit -v 262144 -s 262144 && exec "$@"' sh env PKGRT_DEBUG=starttrace=1 "./${v}_rt"
		expect_match "$v: ... on the OS stack, says starttrace" "$ERR" \
			'^start newproc: g1 to run runtime.main on the OS stack \(RLIMIT_AS set\) down to 0x[0-9a-f]+ \(RLIMIT_STACK 256M\)$'
		# a mapping would count in full against RLIMIT_AS and RLIMIT_DATA,
		# the OS stack only as far as it has grown: the heap keeps its room
		same "$v" "$v: ulimit -v 65536 -s 32768, malloc(40 MiB)" \
			bash -c 'ulimit -v 65536 -s 32768 && exec "$@"' sh env INV=main-malloc @PROG@ 40
		expect_match "$v: ... succeeds" "$OUT" '^malloc\(40 MiB\): ok$'
		same "$v" "$v: ulimit -d 65536 -s 32768, malloc(40 MiB)" \
			bash -c 'ulimit -d 65536 -s 32768 && exec "$@"' sh env INV=main-malloc @PROG@ 40
		expect_match "$v: ... succeeds" "$OUT" '^malloc\(40 MiB\): ok$'
		run bash -c 'ulimit -d 65536 -s 32768 && exec "$@"' sh env PKGRT_DEBUG=starttrace=1 "./${v}_rt"
		expect_match "$v: ... on the OS stack (RLIMIT_DATA set)" "$ERR" \
			'^start newproc: g1 to run runtime.main on the OS stack \(RLIMIT_DATA set\) down to 0x[0-9a-f]+ \(RLIMIT_STACK 32M\)$'
		# a PKGRT_STACK the kernel will not reserve: the OS stack, and an
		# overflow there is still reported, with advice that works
		run bash -c 'ulimit -v 1048576 -s 1024 && exec "$@"' sh env PKGRT_STACK=4G INV=main-recurse "./${v}_rt" 4
		expect_rc "$v: ... an overflow of the OS stack is reported" 2
		expect_eq "$v: ... with advice the runtime can follow" "$ERR" \
			'pkgrt: PKGRT_STACK="4G": cannot reserve a stack of that size; using the OS stack
pkgrt: fatal: stack overflow on the main goroutine (its stack is 1M, the OS stack); raise RLIMIT_STACK (ulimit -s)'
	fi
	if command -v prlimit >/dev/null 2>&1; then
		for lim in 18446744073709551614 18446744073709547520 68719476737; do
			same "$v" "$v: prlimit --stack=$lim" prlimit --stack=$lim: env INV=main-recurse @PROG@ 16
			expect_rc "$v: ... runs" 0
		done
	else
		not_ok "$v: prlimit not installed (util-linux)"
	fi
}
stacks glibc
stacks musl

done_testing
