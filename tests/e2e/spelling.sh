#!/usr/bin/env bash
# spelling.sh - a package is a directory whatever spelling reaches it
# (issue 11 point 3).  One project, scanned through every way a build
# names its files: a symbolic link to a subdirectory in the include path,
# a root that is a link, a working directory entered through a link (the
# shell's $PWD then differs from the kernel's, and CMake writes absolute
# -I flags from $PWD), each with relative and absolute -I, and a mix of
# spellings across TUs.  Every report, in both order modes, must be byte
# for byte the one of the canonical spelling: same packages, same
# imports, same order.
. "$(dirname "$0")/../lib.sh"
scratch spelling
S=$PWD
write proj/main.c <<'C'
#include <pkginit.h>
#include "a/a.h"
#include "b/b.h"
PKG_INIT void main_init(void) {}
int main(void) { return 0; }
C
write proj/a/a.h <<'C'
#include "b/b.h"
void a_use(void);
C
write proj/a/a.c <<'C'
#include <pkginit.h>
#include "a/a.h"
PKG_INIT void a_init(void) {}
C
write proj/b/b.h <<'C'
void b_use(void);
C
write proj/b/b.c <<'C'
#include <pkginit.h>
#include "b/b.h"
PKG_INIT void b_init(void) {}
C
# The links: a directory of links to the packages, a linked root, a
# linked working directory.
mkdir -p proj/inc
ln -s ../a proj/inc/a
ln -s ../b proj/inc/b
ln -s proj lroot
ln -s proj lwd
SRCS="main.c a/a.c b/b.c"

# report NAME DIR ARGS...: gen's report from DIR (entered with cd, so
# $PWD keeps a link), for both orders, into $S/NAME.{lex,import}.yaml.
report() {
	local name=$1 dir=$2 o
	shift 2
	for o in lex import; do
		(cd "$dir" && "$PKGINIT" gen --no-cache --order $o -o /dev/null \
			--report "$S/$name.$o.yaml" "$@") 2>"$S/$name.err"
	done
}

# same NAME: NAME's reports are the canonical ones.
same() {
	local o
	for o in lex import; do
		if cmp -s "$S/$1.$o.yaml" "$S/canon.$o.yaml"; then ok "$1 ($o): the canonical report"
		else
			not_ok "$1 ($o): the canonical report"
			diff "$S/canon.$o.yaml" "$S/$1.$o.yaml" 2>&1 | head -20 | sed 's/^/#   /'
			sed 's/^/#   stderr: /' "$S/$1.err"
		fi
	done
}

report canon proj $SRCS -- -I. -I"$RTINC"
expect_eq "the canonical report has the three packages" \
	"$(sed -n 's/^  - path: //p' canon.lex.yaml | tr '\n' ' ')" "b a main "
expect_match "in it, main imports a and b" "$(cat canon.lex.yaml)" 'imports: \[a, b\]'

# A symbolic link to a subdirectory, in the include path.
report subdir-rel proj $SRCS -- -Iinc -I"$RTINC"
same subdir-rel
report subdir-abs proj $SRCS -- -I"$S/proj/inc" -I"$RTINC"
same subdir-abs
# The root is a link.
report root-rel "$S" --root lroot lroot/main.c lroot/a/a.c lroot/b/b.c -- -Ilroot -I"$RTINC"
same root-rel
report root-abs "$S" --root lroot lroot/main.c lroot/a/a.c lroot/b/b.c -- -I"$S/lroot" -I"$RTINC"
same root-abs
report root-real-files "$S" --root lroot proj/main.c proj/a/a.c proj/b/b.c -- -Iproj -I"$RTINC"
same root-real-files
# The working directory is entered through a link: $PWD is $S/lwd.
report wd-rel lwd $SRCS -- -I. -I"$RTINC"
same wd-rel
report wd-abs lwd $SRCS -- -I"$S/lwd" -I"$RTINC"
same wd-abs
report wd-abs-subdir lwd $SRCS -- -I"$S/lwd/inc" -I"$RTINC"
same wd-abs-subdir
# A source named through a linked directory.
report source-link proj main.c inc/a/a.c inc/b/b.c -- -I. -I"$RTINC"
same source-link

# Each TU its own spelling (scan + link): the result does not depend on
# which spelling was seen last.
(
	cd lwd &&
	"$PKGINIT" scan --no-cache -o "$S/m.rec" main.c -- -Iinc -I"$RTINC" &&
	"$PKGINIT" scan --no-cache -o "$S/a.rec" a/a.c -- -I"$S/lwd" -I"$RTINC" &&
	"$PKGINIT" scan --no-cache -o "$S/b.rec" inc/b/b.c -- -I"$S/proj/inc" -I"$RTINC"
) 2>mixed.err
for o in lex import; do
	"$PKGINIT" link --order $o -o /dev/null --report "mixed.$o.yaml" m.rec a.rec b.rec 2>>mixed.err
done
same mixed

# The same file through two spellings in one TU is one file.
write proj/c/c.c <<'C'
#include "a/a.h"
#include "inc/a/a.h"
int main(void) { return 0; }
C
run sh -c 'cd proj && exec "$0" scan --no-cache -o - c/c.c -- -I. -I"$1"' "$PKGINIT" "$RTINC"
expect_eq "one header through two spellings: one file of package a" \
	"$(printf '%s\n' "$OUT" | grep -c 'package: a}')" 1
expect_eq "... and no package 'inc'" "$(printf '%s\n' "$OUT" | grep -c 'package: inc')" 0

# ".." after a link is the link's parent, as the kernel (and clang) has
# it, not the directory the spelling shows: x/lnk/../w.h, with x/lnk a
# link to up/deep, is up/w.h (and x/w.h, a decoy, is not read).
write proj2/up/w.h <<'C'
void w(void);
C
write proj2/x/w.h <<'C'
void decoy(void);
C
mkdir -p proj2/up/deep
ln -s ../up/deep proj2/x/lnk
write proj2/m.c <<'C'
#include "x/lnk/../w.h"
int main(void) { return 0; }
C
run sh -c 'cd proj2 && exec "$0" scan --no-cache -o - m.c -- -I.' "$PKGINIT"
expect_match "'lnk/../w.h' through a link: the file of package up" "$OUT" \
	'\{path: up/w.h, name: up/w.h, package: up\}'

done_testing
