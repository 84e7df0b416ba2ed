#!/usr/bin/env bash
# pkginit check against a lock file, and pkginit graph on a cycle.
. "$(dirname "$0")/../lib.sh"
scratch check
write main.c <<'C'
#include <pkginit.h>
#include "log/log.h"
PKG_INIT void main_init(void) {}
int main(void) { return 0; }
C
write log/log.h <<'C'
void log_write(const char *);
C
write log/log.c <<'C'
#include <pkginit.h>
#include "log/log.h"
PKG_INIT void log_init(void) {}
C
write config/config.c <<'C'
#include <pkginit.h>
PKG_INIT void config_init(void) {}
C
SRCS="main.c log/log.c config/config.c"
CF="-I. -I$RTINC"

run "$PKGINIT" check --expect init.lock.yaml --update $SRCS -- $CF
expect_rc "--update creates the lock" 0
expect_match "--update says what it wrote" "$ERR" 'wrote init.lock.yaml'
[ -f init.lock.yaml ] && ok "lock file exists" || not_ok "lock file exists"

run "$PKGINIT" check --expect init.lock.yaml $SRCS -- $CF
expect_rc "same order passes" 0
expect_eq "a pass prints nothing" "$OUT$ERR" ""

stamp=$(stat -c %Y.%s init.lock.yaml); cp init.lock.yaml before.yaml
touch -d '2000-01-01' init.lock.yaml; stamp=$(stat -c %Y init.lock.yaml)
run "$PKGINIT" check --expect init.lock.yaml --update $SRCS -- $CF
expect_eq "--update leaves an unchanged lock untouched" "$(stat -c %Y init.lock.yaml)" "$stamp"

# Line numbers are not compared.
sed -i '1i /* a comment that moves every line */' log/log.c
run "$PKGINIT" check --expect init.lock.yaml $SRCS -- $CF
expect_rc "moved lines still pass" 0

# A new package imported by log: the order changes.
write audit/audit.h <<'C'
void audit(void);
C
write audit/audit.c <<'C'
#include <pkginit.h>
PKG_INIT void audit_init(void) {}
C
sed -i '1i #include "audit/audit.h"' log/log.h
run "$PKGINIT" check --expect init.lock.yaml $SRCS audit/audit.c -- $CF
expect_rc "changed order fails with exit 1" 1
expect_match "error names the lock" "$ERR" '^init.lock.yaml: error: the init order differs from the lock file$'
expect_match "diff header" "$OUT" '^--- init.lock.yaml \(expected\)$'
expect_match "diff adds the package" "$OUT" '^\+ audit$'
expect_match "diff adds its init" "$OUT" '^\+     audit_init  \(audit/audit.c\)$'
expect_match "diff keeps context" "$OUT" '^  config$'
expect_match "note says how to accept" "$ERR" 'rerun with --update and commit init.lock.yaml'
run "$PKGINIT" check --expect init.lock.yaml --update $SRCS audit/audit.c -- $CF
expect_rc "--update accepts" 0
run "$PKGINIT" check --expect init.lock.yaml $SRCS audit/audit.c -- $CF
expect_rc "then check passes" 0

# An init function moved to another file of the same package is a change.
write log/log2.c <<'C'
#include <pkginit.h>
PKG_INIT void log_init2(void) {}
C
run "$PKGINIT" check --expect init.lock.yaml $SRCS audit/audit.c log/log2.c -- $CF
expect_rc "a new init function fails" 1
expect_match "diff shows it inside its package" "$OUT" '^\+     log_init2  \(log/log2.c\)$'

# A corrupt lock file is an input error.
printf 'pkginit: 1\nkind: report\norder: lex\nmain: main\npackages:\n  - path: [\n' > bad.yaml
run "$PKGINIT" check --expect bad.yaml $SRCS -- $CF
expect_rc "malformed lock is exit 3" 3
expect_match "malformed lock located" "$ERR" '^bad.yaml:[0-9]+:[0-9]+: error: '

# graph: cycles are shown, not errors.
write c1/c1.h <<'C'
#pragma once
#include "c2/c2.h"
C
write c2/c2.h <<'C'
#pragma once
#include "c1/c1.h"
C
write c1/c1.c <<'C'
#include "c1/c1.h"
C
write c2/c2.c <<'C'
#include "c2/c2.h"
C
run "$PKGINIT" graph $SRCS c1/c1.c c2/c2.c -- $CF
expect_rc "graph does not fail on a cycle" 0
expect_match "graph text lists the cycle" "$OUT" '^cycle: c1 c2$'
expect_match "graph text shows the edge's origin" "$OUT" 'imports c2  \(include at c1/c1.h:2\)  \[cycle\]'
run "$PKGINIT" graph --format=dot $SRCS c1/c1.c c2/c2.c -- $CF
expect_rc "graph dot" 0
expect_match "dot edge" "$OUT" '"c1" -> "c2" \[color=red\];'
expect_match "dot cluster for the cycle" "$OUT" 'subgraph cluster_cycle'
run "$PKGINIT" gen $SRCS c1/c1.c c2/c2.c -- $CF
expect_rc "gen fails on the same cycle" 1
expect_match "cycle note at c1's include" "$ERR" '^c1/c1.h:2(:[0-9]+)?: note: '
expect_match "cycle note at c2's include" "$ERR" '^c2/c2.h:2(:[0-9]+)?: note: '

done_testing
