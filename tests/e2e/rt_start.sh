#!/usr/bin/env bash
# rt_start.sh - a program linked with the runtime starts like a Go program:
# its init functions run in the table's order before main, every start-up
# phase shows in starttrace, main runs on the main goroutine's stack with
# argv, envp and auxv intact, and the exit goes through libc.
. "$(dirname "$0")/../lib.sh"
. "$TOP/runtime/testdata/e2e.sh"
# Under an unlimited stack the main goroutine runs on the OS stack, with
# no mapping of its own (rt_invisible.sh tests that): give it a limit.
[ "$(ulimit -s)" = unlimited ] && ulimit -s 8192

scratch start
write main.c <<'EOF'
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void log_init(void) { printf("log_init\n"); }
void config_load(void) { printf("config_load\n"); }
void config_check(void) { printf("config_check\n"); }
void db_init(void) { printf("db_init\n"); }

static void bye(void) { printf("atexit handler\n"); }

static size_t slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(buf, 1, n, f) : 0;
	if (f) fclose(f);
	return got;
}

/* Which mapping of /proc/self/maps holds addr: its name, or "anonymous". */
static void mapping_of(const void *addr, char *name, size_t n)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo, hi, a = (unsigned long)addr;
	snprintf(name, n, "none");
	while (f && fgets(line, sizeof line, f)) {
		char path[256] = "";
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %255s", &lo, &hi, path) >= 2 &&
		    a >= lo && a < hi) {
			snprintf(name, n, "%s %lx-%lx", path[0] ? path : "anonymous", lo, hi);
			break;
		}
	}
	if (f) fclose(f);
}

int main(int argc, char **argv, char **envp)
{
	static char buf[1 << 16];
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "order") == 0) {
		printf("main\n");
		return 0;
	}
	if (strcmp(mode, "exit") == 0)
		return atoi(argv[2]);
	if (strcmp(mode, "flush") == 0) {
		atexit(bye);
		printf("unflushed, no newline; ");
		return 0;
	}
	if (strcmp(mode, "stack") == 0) {
		char local, name[300];
		mapping_of(&local, name, sizeof name);
		printf("main's stack: %s local=%lx\n", name, (unsigned long)&local);
		return 0;
	}
	if (strcmp(mode, "args") == 0) {
		size_t n = slurp("/proc/self/cmdline", buf, sizeof buf), off = 0;
		int i, ok = 1;
		for (i = 0; i < argc; i++) {
			size_t len = strlen(argv[i]) + 1;
			if (off + len > n || memcmp(buf + off, argv[i], len) != 0) ok = 0;
			off += len;
		}
		printf("argv %s argc=%d\n", ok && off == n && argv[argc] == NULL ? "intact" : "BROKEN", argc);

		n = slurp("/proc/self/environ", buf, sizeof buf);
		off = 0; ok = 1;
		for (i = 0; envp[i] != NULL; i++) {
			size_t len = strlen(envp[i]) + 1;
			if (off + len > n || memcmp(buf + off, envp[i], len) != 0) ok = 0;
			off += len;
		}
		printf("envp %s envc=%d\n", ok && off == n ? "intact" : "BROKEN", i);

		/* auxv: after envp's NULL, as the kernel laid it out */
		unsigned long *av = (unsigned long *)(envp + i + 1);
		n = slurp("/proc/self/auxv", buf, sizeof buf);
		for (i = 0; av[2 * i] != AT_NULL; i++)
			;
		ok = n == (size_t)(i + 1) * 2 * sizeof(unsigned long) && memcmp(buf, av, n) == 0;
		printf("auxv %s auxc=%d\n", ok ? "intact" : "BROKEN", i);
		return 0;
	}
	printf("unknown mode %s\n", mode);
	return 1;
}
EOF
mktable inittab.c log:log_init config:config_load,config_check db:db_init
if rtbuild prog -- main.c inittab.c; then ok "link with \$(pkg-config --libs pkgrt)"; else
	not_ok "link with \$(pkg-config --libs pkgrt)"; sed 's/^/#   /' link.err; done_testing; fi

# The init functions run in the table's order, then main.
run ./prog order
expect_rc "runs" 0
expect_eq "init functions in table order, then main" "$OUT" "log_init
config_load
config_check
db_init
main"
expect_eq "no runtime output by default" "$ERR" ""

# starttrace: one line per phase, in order.
run env PKGRT_DEBUG=starttrace=1 ./prog order
expect_rc "runs with starttrace" 0
phases=$(printf '%s\n' "$ERR" | sed -n 's/^start \([^:]*\):.*/\1/p' | tr '\n' '|')
expect_eq "starttrace shows every phase in order" "$phases" \
	"rt0|args|osinit|schedinit|newproc|mstart|gogo|init log|init config|init db|main|exit|"
expect_match "rt0: the entry stack pointer" "$ERR" '^start rt0: entry _rt0_amd64_linux sp=0x[0-9a-f]+ argc=2 '
expect_match "args: argc, argv, envp, auxv from the entry stack" "$ERR" \
	'^start args: argc=2 argv=0x[0-9a-f]+ envp=0x[0-9a-f]+ envc=[0-9]+ auxv=0x[0-9a-f]+ auxc=[1-9][0-9]* \(from the entry stack\)$'
expect_match "osinit: ncpu and page size" "$ERR" "^start osinit: ncpu=$NCPU physPageSize=$(getconf PAGESIZE)\$"
expect_match "schedinit: g0 on the OS stack, maxprocs" "$ERR" \
	"^start schedinit: m0 g0 stack=\[0x[0-9a-f]+,0x[0-9a-f]+\) \(the OS stack\) maxprocs=$NCPU "
expect_match "newproc: g1's stack and guard" "$ERR" \
	'^start newproc: g1 to run runtime.main stack=\[0x[0-9a-f]+,0x[0-9a-f]+\) size=[0-9]+[KMG]? \((RLIMIT_STACK|default)\) guard=\['
expect_match "gogo: g0 to g1" "$ERR" '^start gogo: g0 -> g1 sp=0x[0-9a-f]+ pc=0x[0-9a-f]+ \(runtime.main\)$'
expect_match "init task: its functions" "$ERR" '^start init config: config_load, config_check$'
expect_match "exit: the status" "$ERR" '^start exit: main returned 0; exit\(0\)'

if command -v taskset >/dev/null 2>&1; then
	run taskset -c 0 env PKGRT_DEBUG=starttrace=1 ./prog order
	expect_match "ncpu comes from the affinity mask" "$ERR" '^start osinit: ncpu=1 '
	expect_match "maxprocs defaults to it" "$ERR" '^start schedinit: .* maxprocs=1 '
else
	ok "ncpu comes from the affinity mask # SKIP no taskset"
fi

run env PKGRT_DEBUG=starttrace=1 PKGRT_MAXPROCS=3 ./prog order
expect_match "PKGRT_MAXPROCS sizes the P array" "$ERR" '^start schedinit: .* maxprocs=3 '

# inittrace: Go's format, one line per package with init functions.
run env PKGRT_DEBUG=inittrace=1 ./prog order
expect_rc "runs with inittrace" 0
expect_eq "inittrace: one line per package, in order" \
	"$(printf '%s\n' "$ERR" | sed -E 's/@[0-9]+(\.[0-9]+)? ms, [0-9]+(\.[0-9]+)? ms clock$/@T ms, C ms clock/')" \
	"init log @T ms, C ms clock
init config @T ms, C ms clock
init db @T ms, C ms clock"

# main runs on the main goroutine's stack (an anonymous mapping), not on
# the OS stack ([stack]).
run env PKGRT_DEBUG=starttrace=1 ./prog stack
expect_match "main's locals are in an anonymous mapping" "$OUT" '^main.s stack: anonymous '
range=$(printf '%s\n' "$ERR" | sed -n 's/^start newproc: .* stack=\[0x\([0-9a-f]*\),0x\([0-9a-f]*\)).*/\1 \2/p')
local=$(printf '%s\n' "$OUT" | sed -n 's/.* local=\([0-9a-f]*\)$/\1/p')
if [ -n "$range" ] && [ -n "$local" ] &&
	(( 16#${range% *} <= 16#$local && 16#$local < 16#${range#* } )); then
	ok "main's locals are inside g1's stack as newproc reported it"
else
	not_ok "main's locals are inside g1's stack as newproc reported it"
	echo "#   local=$local g1 stack=$range"
fi

# argv, envp and auxv reach main as the kernel passed them.
run env -i A=1 'B=two words' PATH=/usr/bin:/bin ./prog args '' 'x y' 'ünï' --
expect_rc "args program runs" 0
expect_eq "argv, envp and auxv intact" "$(printf '%s\n' "$OUT" | grep -E '^(argv|envp|auxv) ')" "argv intact argc=6
envp intact envc=3
auxv intact auxc=$(LD_SHOW_AUXV=1 /bin/true | wc -l)"

# The exit status of main propagates; atexit handlers run and stdout is
# flushed (it is a pipe here: fully buffered).
for s in 0 1 7 255; do
	run ./prog exit $s
	expect_rc "exit status $s propagates" "$s"
done
run ./prog flush
expect_rc "flush program runs" 0
expect_eq "atexit handlers run and unflushed stdout is flushed" "$OUT" \
	"log_init
config_load
config_check
db_init
unflushed, no newline; atexit handler"

done_testing
