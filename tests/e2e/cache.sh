#!/usr/bin/env bash
# The scan cache, from the command line: a re-run with nothing changed
# parses nothing, a changed header re-parses exactly the TUs that read it,
# a changed flag re-parses, a corrupt entry is discarded and rebuilt; the
# outputs are the same bytes with and without the cache and for any -j;
# processes sharing a cache; progress on a terminal only.
. "$(dirname "$0")/../lib.sh"
scratch cache
for p in a b c d; do
	write $p/$p.h <<C
#include <stddef.h>
int ${p}_f(void);
C
	write $p/$p.c <<C
#include <pkginit.h>
#include <stdio.h>
#include "$p/$p.h"
PKG_INIT void ${p}_init(void) {}
C
done
echo '#include "a/a.h"' >> b/b.h
echo '#include "b/b.h"' >> c/c.c
write main.c <<'C'
#include <pkginit.h>
#include "c/c.h"
#include "d/d.h"
int main(void) { return 0; }
C
# Files saved before the run, as in a real tree (age, tests/lib.sh).
age
SRCS="main.c a/a.c b/b.c c/c.c d/d.c"
CF="-I. -I$RTINC"
parsed() { echo "$ERR" | sed -n 's/^pkginit: note: \(.*\): parsed$/\1/p' | sort | tr '\n' ' '; }

run "$PKGINIT" gen -v -o cold.c --report cold.yaml $SRCS -- $CF
expect_rc "cold run" 0
expect_eq "cold: every TU parsed" "$(parsed)" "a/a.c b/b.c c/c.c d/d.c main.c "
[ -f .pkginit-cache/CACHEDIR.TAG ] && ok "the cache is .pkginit-cache, tagged" \
	|| not_ok "the cache is .pkginit-cache, tagged"

run "$PKGINIT" gen -v -o warm.c --report warm.yaml $SRCS -- $CF
expect_rc "warm run" 0
expect_eq "warm: nothing parsed" "$(parsed)" ""
expect_match "warm: all from the cache" "$ERR" '5 translation units: 0 parsed, 5 from the cache'
expect_same_file "warm table = cold table" warm.c cold.c
expect_same_file "warm report = cold report" warm.yaml cold.yaml

run "$PKGINIT" gen --no-cache -v -o none.c --report none.yaml $SRCS -- $CF
expect_match "--no-cache parses" "$ERR" '5 parsed, 0 from the cache \(no cache\)'
expect_same_file "no cache: same table" none.c cold.c
expect_same_file "no cache: same report" none.yaml cold.yaml
for j in 1 3 8; do
	run "$PKGINIT" gen -j$j -o j.c --report j.yaml $SRCS -- $CF
	expect_same_file "-j$j through the cache: same report" j.yaml cold.yaml
	run "$PKGINIT" gen -j$j --no-cache -o j.c --report j.yaml $SRCS -- $CF
	expect_same_file "-j$j without the cache: same report" j.yaml cold.yaml
done

# A changed header: only the TUs that read it.  a/a.h is read by a/a.c
# and, through b/b.h, by b/b.c and c/c.c; d/d.h by d/d.c and main.c.
# (Each edit is aged before the run: a file saved in the clock tick the
# scan starts in is not cached, and a scan that does not load libclang
# starts within that tick.)
echo 'int d_g(void);' >> d/d.h
age
run "$PKGINIT" gen -v -o t.c --report t.yaml $SRCS -- $CF
expect_eq "changed d/d.h: d/d.c and main.c parsed" "$(parsed)" "d/d.c main.c "
age
echo '/* comment */' >> a/a.h
age
run "$PKGINIT" gen -v -o t.c --report t.yaml $SRCS -- $CF
expect_eq "changed a/a.h: the three TUs that read it" "$(parsed)" "a/a.c b/b.c c/c.c "
touch b/b.h
run "$PKGINIT" gen -v -o t.c --report t.yaml $SRCS -- $CF
expect_eq "a touched but unchanged header: nothing parsed" "$(parsed)" ""

# A flag is part of the key.
run "$PKGINIT" gen -v -o t.c $SRCS -- $CF -DSOMETHING
expect_eq "a new flag: everything parsed" "$(parsed)" "a/a.c b/b.c c/c.c d/d.c main.c "
run "$PKGINIT" gen -v -o t.c $SRCS -- $CF -DSOMETHING
expect_eq "then cached under that flag" "$(parsed)" ""
run "$PKGINIT" gen -v -o t.c $SRCS -- $CF
expect_eq "and the old flags still cached" "$(parsed)" ""

# A corrupt entry: reported, discarded, scanned again; same outputs.
run "$PKGINIT" gen --cache cc -o cold.c --report cold.yaml $SRCS -- $CF
for e in cc/??/*; do
	head -c 50 "$e" >"$e.tmp" && mv "$e.tmp" "$e"
	break
done
run "$PKGINIT" gen -v --cache cc -o c.c --report c.yaml $SRCS -- $CF
expect_rc "a corrupt entry does not fail the run" 0
expect_match "a corrupt entry is reported" "$ERR" \
	'^cc/[0-9a-f]{2}/[0-9a-f]+: warning: discarding a corrupt scan cache entry \(its checksum does not match\); scanning again$'
expect_eq "one TU parsed again" "$(parsed | wc -w)" "1"
expect_same_file "corrupt entry: same report" c.yaml cold.yaml
run "$PKGINIT" gen -v --cache cc -o c.c $SRCS -- $CF
expect_eq "rebuilt: nothing parsed, nothing reported" "$(parsed)$(echo "$ERR" | grep -c warning)" "0"

# --cache DIR; scan uses the cache too; processes sharing one cache.
run "$PKGINIT" scan -v --cache shared -o s1.rec a/a.c -- $CF
expect_match "scan: parsed" "$ERR" 'a/a.c: parsed'
run "$PKGINIT" scan -v --cache shared -o s2.rec a/a.c -- $CF
expect_match "scan: from the cache" "$ERR" 'a/a.c: from the cache'
expect_same_file "scan: the cached record is the same bytes" s2.rec s1.rec
[ -f shared/CACHEDIR.TAG ] && ok "--cache DIR is created" || not_ok "--cache DIR is created"
# The record and depfile of a scan answered by the cache are the bytes a
# parse writes; an output that holds them already is touched (newer, for
# Make), not replaced (the same inode); one that differs is replaced.
run "$PKGINIT" scan --no-cache -MD -o s0.rec a/a.c -- $CF
run "$PKGINIT" scan --cache shared -MD -o s3.rec a/a.c -- $CF
expect_same_file "scan -MD from the cache: the record a parse writes" s3.rec s0.rec
expect_eq "scan -MD from the cache: the depfile a parse writes" \
	"$(sed 's/^s3\.rec:/s0.rec:/' s3.d)" "$(cat s0.d)"
touch -d '2001-01-01' s3.rec s3.d
ino=$(stat -c %i s3.rec s3.d)
run "$PKGINIT" scan --cache shared -MD -o s3.rec a/a.c -- $CF
expect_rc "scan over its own outputs" 0
expect_eq "outputs that hold their bytes keep their files" "$(stat -c %i s3.rec s3.d)" "$ino"
expect_eq "... and are newer than the header they depend on" \
	"$(find s3.rec s3.d -newer a/a.h | sort | tr '\n' ' ')" "s3.d s3.rec "
expect_same_file "... with the same bytes" s3.rec s0.rec
echo '# stale' >> s3.rec
chmod 640 s3.rec
run "$PKGINIT" scan --cache shared -MD -o s3.rec a/a.c -- $CF
expect_same_file "a record that differs is replaced" s3.rec s0.rec
expect_eq "... keeping its mode" "$(stat -c %a s3.rec)" "640"
ln -s s3.rec s3.lnk
touch -d '2001-01-01' s3.rec
run "$PKGINIT" scan --cache shared -o s3.lnk a/a.c -- $CF
expect_eq "a link to a record that holds its bytes: the record is touched" \
	"$([ -L s3.lnk ] && find s3.rec -newer a/a.h)" "s3.rec"
rm -rf shared
pids=
for i in 1 2 3 4 5 6; do
	for f in $SRCS; do
		"$PKGINIT" scan --cache shared -o "p$i-${f//\//_}.rec" "$f" -- $CF &
		pids="$pids $!"
	done
done
bad=0
for p in $pids; do wait "$p" || bad=1; done
expect_eq "concurrent scans sharing a cache all succeed" "$bad" "0"
same=1
for f in $SRCS; do
	for i in 2 3 4 5 6; do cmp -s "p1-${f//\//_}.rec" "p$i-${f//\//_}.rec" || same=0; done
done
expect_eq "concurrent scans: identical records" "$same" "1"
expect_eq "no temporary file left in the cache" "$(find shared -name '.*.tmp.*')" ""
run "$PKGINIT" gen -v --cache shared -o t.c $SRCS -- $CF
expect_eq "and the shared cache is whole" "$(parsed)$(echo "$ERR" | grep -c warning)" "0"

# A cache that cannot be used: a warning, and the run goes on.
echo x > notadir
run "$PKGINIT" gen --cache notadir/c -o t.c --report t2.yaml $SRCS -- $CF
expect_rc "an unusable cache is not fatal" 0
expect_match "an unusable cache is a warning" "$ERR" \
	"^pkginit: warning: cannot use 'notadir/c' as the scan cache \(Not a directory\); scanning without it$"

# Progress: on a terminal only, and not with -q.
run "$PKGINIT" gen --no-cache -o t.c $SRCS -- $CF
expect_eq "no progress when stderr is not a terminal" "$ERR" ""
if command -v script >/dev/null; then
	run script -qec "$PKGINIT gen --no-cache -j1 -o t.c $SRCS -- $CF" /dev/null
	expect_match "progress on a terminal" "$OUT" 'scanning 5/5 translation units'
	run script -qec "$PKGINIT gen -q --no-cache -o t.c $SRCS -- $CF" /dev/null
	expect_eq "-q: no progress" "$(echo "$OUT" | grep -c scanning)" "0"
fi

done_testing
