#!/usr/bin/env bash
# Compilation databases: gen, check and graph with -p BUILD_DIR and
# --compdb FILE, each entry scanned with its own flags and directory, the
# same file built twice scanned once per distinct command and merged, and
# every kind of bad database a clear error.
. "$(dirname "$0")/../lib.sh"
scratch compdb
write include/log/log.h <<'C'
void log_msg(const char *);
C
write include/net/net.h <<'C'
#include "log/log.h"
void net_up(void);
C
write log/log.c <<'C'
#include <pkginit.h>
#include "log/log.h"
PKG_INIT void log_init(void) {}
#ifdef LOG_EXTRA
PKG_INIT void log_extra_init(void) {}
#endif
C
write net/net.c <<'C'
#include <pkginit.h>
#include "net/net.h"
#ifndef NET_FLAG
#error built without its flag
#endif
PKG_INIT void net_init(void) {}
C
write app/main.c <<'C'
#include <pkginit.h>
#include "net/net.h"
int main(void) { return 0; }
C
write ../outside.c <<'C'
int outside;
C
D=$PWD
# The shapes real databases have: "command" with a depfile and -o,
# "arguments" with a relative file, a relative include path resolved in
# the entry's directory, a file listed twice with the same command, the
# same file with another flag, a file outside the root, a C++ file.
write build/compile_commands.json <<EOF
[
  {"directory": "$D/build", "file": "../log/log.c",
   "command": "gcc -c -o log.o -MD -MF log.d -MT log.o -I../include -I$RTINC ../log/log.c"},
  {"directory": "$D", "file": "$D/net/net.c",
   "arguments": ["cc", "-Iinclude", "-I$RTINC", "-DNET_FLAG", "-c", "net/net.c", "-o", "build/net.o"]},
  {"directory": "$D/app", "file": "main.c",
   "command": "cc -I../include -I$RTINC -Wall -Werror -c main.c"},
  {"directory": "$D/app", "file": "main.c",
   "command": "cc -I../include -I$RTINC -Wall -Werror -c main.c"},
  {"directory": "$D", "file": "log/log.c",
   "command": "cc -Iinclude -I$RTINC -DLOG_EXTRA -c log/log.c -o build/log-extra.o"},
  {"directory": "$D", "file": "../outside.c", "command": "cc -c ../outside.c"},
  {"directory": "$D", "file": "x.cc", "command": "c++ -c x.cc"}
]
EOF
order_of() { sed -n 's/^  - path: //p' "$1" | tr '\n' ' '; }
# Headers live in include/, apart from their sources: a second root.
R="--root . --root include"

run "$PKGINIT" gen $R -v -p build -o t.c --report r.yaml
expect_rc "gen -p" 0
expect_eq "order from the database" "$(order_of r.yaml)" "log net main "
expect_match "each distinct command once" "$ERR" '4 translation units: 4 parsed'
expect_match "the same file with another flag: its inits merged" \
	"$(tr '\n' ' ' <r.yaml)" 'name: log_init.*name: log_extra_init'
expect_match "files outside the root are not scanned" "$(echo "$ERR" | grep -c outside)" '^0$'

run "$PKGINIT" gen $R --compdb build/compile_commands.json -o t2.c --report r2.yaml
expect_rc "gen --compdb" 0
expect_same_file "--compdb = -p" r2.yaml r.yaml
cp build/compile_commands.json ci-commands.json
run "$PKGINIT" gen $R --compdb ci-commands.json -o t3.c --report r3.yaml
expect_rc "--compdb under another name" 0
expect_same_file "--compdb under another name: same report" r3.yaml r.yaml
expect_same_file "--compdb under another name: same table" t3.c t.c

# The same TUs and flags given by hand give the same bytes.
run "$PKGINIT" gen $R -o h.c --report h.yaml app/main.c log/log.c net/net.c \
	-- -Iinclude -I"$RTINC" -DNET_FLAG -DLOG_EXTRA
expect_rc "gen with operands" 0
expect_same_file "operands and flags by hand = the database" h.yaml r.yaml

run "$PKGINIT" check $R -p build --expect lock.yaml --update
expect_rc "check -p --update" 0
run "$PKGINIT" check $R -p build --expect lock.yaml
expect_rc "check -p" 0
run "$PKGINIT" graph $R -p build
expect_rc "graph -p" 0
expect_match "graph -p shows the include" "$OUT" 'imports log  \(include at include/net/net.h:1\)'

# Operands pick entries from the database.
run "$PKGINIT" graph -v -p build net/net.c
expect_rc "graph -p with an operand" 0
expect_match "only the file named is scanned" "$ERR" '1 translation unit: '
run "$PKGINIT" graph -p build nowhere.c
expect_rc "an operand not in the database is exit 2" 2
expect_match "operand not in the database named" "$ERR" \
	"'nowhere.c' is not a C file of the compilation database 'build/compile_commands.json'"

# Usage errors.
run "$PKGINIT" gen -p build --compdb ci-commands.json
expect_rc "-p and --compdb is exit 2" 2
expect_match "-p and --compdb message" "$ERR" 'give -p BUILD_DIR or --compdb FILE, not both'
run "$PKGINIT" gen -p build -- -DX
expect_rc "-p with flags after -- is exit 2" 2
expect_match "-p with flags message" "$ERR" "flags after '--' do not apply with a compilation database"
run "$PKGINIT" graph -p build r.yaml
expect_rc "-p with a record is exit 2" 2

# Bad databases: exit 3, the place, and nothing from libclang.
mkdir -p empty
run "$PKGINIT" gen -p empty
expect_rc "no compile_commands.json is exit 3" 3
expect_eq "missing database message" "$ERR" \
	"pkginit: error: no compilation database in 'empty': 'empty/compile_commands.json' does not exist (CMake writes it with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, Bear with 'bear -- make')"
run "$PKGINIT" gen --compdb missing.json
expect_rc "--compdb missing file is exit 3" 3
expect_eq "missing file message" "$ERR" "pkginit: error: cannot read 'missing.json': No such file or directory"
write bad/compile_commands.json <<'EOF'
[
  {"directory": "/x", "file": "a.c", "command": "cc a.c"}
  {"directory": "/x", "file": "b.c", "command": "cc b.c"}
]
EOF
run "$PKGINIT" gen -p bad
expect_rc "bad JSON is exit 3" 3
expect_eq "bad JSON at its line and column" "$ERR" \
	"bad/compile_commands.json:3:3: error: invalid JSON: expected ',' or ']', got '{'"
write nocmd.json <<'EOF'
[
  {"directory": "/x", "file": "a.c", "command": "cc a.c"},
  {"directory": "/x", "file": "b.c", "output": "b.o"}
]
EOF
run "$PKGINIT" graph --compdb nocmd.json
expect_rc "an entry with no command is exit 3" 3
expect_eq "entry with no command message" "$ERR" \
	"nocmd.json:3:3: error: compile command 2 has no 'command' or 'arguments'"
write nothing.json <<EOF
[{"directory": "$D", "file": "../outside.c", "command": "cc -c ../outside.c"}]
EOF
run "$PKGINIT" gen --compdb nothing.json
expect_rc "nothing under the roots is exit 3" 3
expect_match "nothing under the roots message" "$ERR" \
	"^nothing.json: error: no compile command for a .c file under the roots \(1 commands\)$"

# A TU that does not parse with its command is reported as the compiler would.
sed -i 's/"-DNET_FLAG", //' build/compile_commands.json
run "$PKGINIT" gen -p build -o t.c
expect_rc "a TU that fails with its own flags is exit 3" 3
expect_match "its error, at its place" "$ERR" '^net/net.c:4:2: error: built without its flag'

done_testing
