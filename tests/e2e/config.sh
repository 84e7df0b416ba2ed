#!/usr/bin/env bash
# pkginit.yaml: found in the current directory or given by --config;
# mapping rules for headers that live apart from their sources, excluded
# paths, roots, the order mode and the lock file; its errors at
# file:line:col.
. "$(dirname "$0")/../lib.sh"
scratch config
write include/net/net.h <<'C'
#include "log/log.h"
#include "z/z.h"
void net_up(void);
C
write include/log/log.h <<'C'
void log_msg(const char *);
C
write src/net/tcp.c <<'C'
#include <pkginit.h>
#include "net/net.h"
PKG_INIT void net_init(void) {}
C
write src/log/log.c <<'C'
#include <pkginit.h>
#include "log/log.h"
PKG_INIT void log_init(void) {}
C
write third_party/z/z.h <<'C'
int z(void);
C
write third_party/z/z.c <<'C'
#include <pkginit.h>
PKG_INIT void z_init(void) {}
C
write app/main.c <<'C'
#include <pkginit.h>
#include "net/net.h"
PKG_INIT void app_init(void) {}
int main(void) { return 0; }
C
write pkginit.yaml <<'EOF'
pkginit: 1
kind: config
packages:
  - files: [include/*/**, src/*/**]
    package: $1
  - files: app/**
    package: cmd/app
exclude: [third_party]
order: import
lock: locks/init.lock.yaml
EOF
SRCS="app/main.c src/net/tcp.c src/log/log.c third_party/z/z.c"
CF="-Iinclude -Ithird_party -I$RTINC"
order_of() { sed -n 's/^  - path: //p' "$1" | tr '\n' ' '; }

run "$PKGINIT" gen -v -o t.c --report r.yaml $SRCS -- $CF
expect_rc "gen reads ./pkginit.yaml" 0
expect_eq "headers and sources are one package; third_party is none" \
	"$(order_of r.yaml)" "log net main "
expect_match "the order mode comes from the configuration" "$(cat r.yaml)" '^order: import$'
expect_match "an excluded TU is not scanned" "$ERR" '3 translation units'
expect_match "the mapped package imports" "$(tr '\n' ' ' <r.yaml)" 'path: net +imports: \[log\]'

run "$PKGINIT" graph $SRCS -- $CF
expect_match "graph: main keeps its mapped directory name" "$OUT" '^main \(directory cmd/app\)'

# scan and link take the same configuration: the record has the mapped
# package, and scan + link = gen.
mkdir -p rec
for f in app/main.c src/net/tcp.c src/log/log.c; do
	"$PKGINIT" scan -o "rec/$(basename "$f" .c).rec" "$f" -- $CF || not_ok "scan $f"
done
expect_match "the record carries the mapped package" "$(cat rec/tcp.rec)" \
	'path: include/net/net.h, name: include/net/net.h, package: net'
expect_match "an excluded header is not a project file" "$(grep -c third_party rec/tcp.rec)" '^1$'
run "$PKGINIT" link -o l.c --report l.yaml rec/main.rec rec/tcp.rec rec/log.rec
expect_rc "link" 0
expect_same_file "link reads the order from the configuration too" l.yaml r.yaml
run "$PKGINIT" scan -o rec/z.rec third_party/z/z.c -- $CF
expect_rc "scan of an excluded TU" 0
expect_match "its record holds no file" "$(cat rec/z.rec)" '^files: \[\]$'
expect_match "its record holds no init" "$(cat rec/z.rec)" '^inits: \[\]$'

# --order wins over the configuration.
run "$PKGINIT" gen --order lex -o t.c --report lex.yaml $SRCS -- $CF
expect_match "--order overrides order:" "$(cat lex.yaml)" '^order: lex$'

# check uses the lock file the configuration names.
mkdir -p locks
run "$PKGINIT" check --update $SRCS -- $CF
expect_rc "check --update with lock: from the configuration" 0
[ -f locks/init.lock.yaml ] && ok "lock written where pkginit.yaml says" \
	|| not_ok "lock written where pkginit.yaml says"
run "$PKGINIT" check $SRCS -- $CF
expect_rc "check without --expect" 0

# --config FILE: paths in it are relative to it.
mkdir -p conf
write conf/other.yaml <<'EOF'
pkginit: 1
kind: config
roots: [../src, ../include]
exclude: ["**/z"]
EOF
write src/main/main.c <<'C'
#include <pkginit.h>
#include "net/net.h"
int main(void) { return 0; }
C
run "$PKGINIT" gen --config conf/other.yaml -o t.c --report o.yaml \
	src/main/main.c src/net/tcp.c src/log/log.c -- $CF
expect_rc "--config with roots" 0
expect_eq "roots from --config" "$(order_of o.yaml)" "log net main "
expect_match "default order when the file has none" "$(cat o.yaml)" '^order: lex$'

# Errors: exit 3, at the place in the file.
run "$PKGINIT" gen --config nowhere.yaml $SRCS -- $CF
expect_rc "--config of a missing file is exit 3" 3
expect_eq "missing config named" "$ERR" "pkginit: error: cannot read 'nowhere.yaml': No such file or directory"
write bad.yaml <<'EOF'
pkginit: 1
kind: config
exlude: [third_party]
EOF
run "$PKGINIT" gen --config bad.yaml $SRCS -- $CF
expect_rc "an unknown key is exit 3" 3
expect_eq "unknown key at its place" "$ERR" "bad.yaml:3:1: error: unknown field 'exlude'"
write bad.yaml <<'EOF'
pkginit: 1
kind: config
order: newest
EOF
run "$PKGINIT" link --config bad.yaml rec/main.rec
expect_rc "a bad value is exit 3" 3
expect_eq "bad value at its place" "$ERR" \
	"bad.yaml:3:8: error: field 'order' must be 'lex' or 'import', not 'newest'"
write bad.yaml <<'EOF'
pkginit: 1
kind: config
packages:
  - files: include/*/*log.h
    package: $2
EOF
run "$PKGINIT" gen --config bad.yaml -o t.c $SRCS -- $CF
expect_rc "a rule that maps to no valid package is exit 1" 1
expect_match "the rule is named, with the file and why" "$ERR" \
	"^bad.yaml:4:5: error: this rule puts 'include/log/log.h' in package '', which is not a package path: it is empty$"

# A broken ./pkginit.yaml is an error for every command that reads it.
echo "roots: [" >> pkginit.yaml
run "$PKGINIT" gen $SRCS -- $CF
expect_rc "a malformed ./pkginit.yaml is exit 3" 3
expect_match "malformed ./pkginit.yaml named" "$ERR" '^pkginit.yaml:[0-9]+:[0-9]+: error: invalid YAML'

done_testing
