#!/usr/bin/env bash
# Shared libraries with tables of their own (pkginit link --driver=shlib,
# runtime/module.c): each library's packages run when it is loaded, before
# the packages of what links it, in the dynamic linker's order; with the
# runtime, with the ctor and manual drivers, and without any pkginit in
# the program; hidden init functions work; inittrace and starttrace show
# the library tables; the recursive-init check holds across tables; a
# library loaded with dlopen after start-up runs its table then; the
# generated module matches pkgrt.h's layout.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/buildsys.sh"

scratch shlib
INC="-I. -I$BUILD/include"
LIBS=$(PKG_CONFIG_PATH=$BUILD/lib/pkgconfig pkg-config --libs pkgrt)

# pkg NAME IMPORT...: a package NAME whose init prints "init NAME" and
# calls each import's function, which it exports; hidden init function.
pkg() {
	local n=$1 i; shift
	{
		echo '#include <pkginit.h>'
		echo '#include <stdio.h>'
		echo "#include \"$n/$n.h\""
		for i in "$@"; do echo "#include \"$i/$i.h\""; done
		echo "__attribute__((visibility(\"hidden\"))) PKG_INIT void ${n}_init(void)"
		echo "{"
		for i in "$@"; do echo "	${i}_use();"; done
		echo "	puts(\"init $n\");"
		echo "}"
		echo "static int used;"
		echo "__attribute__((visibility(\"default\"))) void ${n}_use(void) { used++; }"
	} | write "$n/$n.c"
	printf 'void %s_use(void);\n' "$n" | write "$n/$n.h"
}
pkg mathx
pkg geo mathx
pkg util geo
printf '#include <stdio.h>\n#include "util/util.h"\nint main(void) { util_use(); puts("main"); return 0; }\n' >main.c

# The libraries: libmathx.so, and libgeo.so which links it.
run "$PKGINIT" gen --driver shlib --module libmathx.so --report mathx.yaml -o mathx_tab.c mathx/mathx.c -- $INC
expect_rc "gen --driver shlib: a table with no main" 0
if grep -q '^main:' mathx.yaml; then not_ok "... a library's report names no main"
else ok "... a library's report names no main"; fi
"$PKGINIT" gen --driver shlib --module libgeo.so --report geo.yaml -o geo_tab.c geo/geo.c -- $INC
run cc -std=c11 -Wall -Wextra -Werror -fPIC -c mathx_tab.c -o mathx_tab.o
expect_rc "the table compiles warning-free with no -I" 0
cc $INC -fPIC -fvisibility=hidden -shared -o libmathx.so mathx/mathx.c mathx_tab.o
cc $INC -fPIC -fvisibility=hidden -shared -o libgeo.so geo/geo.c geo_tab.c -L. -lmathx -Wl,-rpath,'$ORIGIN'
if [ ! -f libmathx.so ] || nm -D --defined-only libmathx.so | grep -q 'mathx_init\|pkgrt_run_inits'; then
	not_ok "the library exports neither its init function nor a runner"
else ok "the library exports neither its init function nor a runner"; fi

# The program's table: its own packages only.
"$PKGINIT" gen --report app.yaml -o app_tab.c main.c util/util.c -- $INC
expect_eq "the program's table leaves the libraries' packages out" \
	"$(grep -c 'mathx_init\|geo_init' app_tab.c)" "0"
PROG="main.c util/util.c -L. -lgeo -lmathx -Wl,-rpath,\$ORIGIN"
run cc $INC -o app_rt0 $LIBS $SAN_FLAGS app_tab.c $PROG
expect_rc "the program links with the runtime's flags first" 0
run ./app_rt0
expect_eq "rt0: the libraries' packages first, in dependency order" "$OUT" "init mathx
init geo
init util
main"
expect_eq "... = the reports, libraries then program" "$(echo "$OUT" | printed_order)" \
	"$(report_order mathx.yaml geo.yaml app.yaml)"
run env PKGRT_DEBUG=inittrace=1,starttrace=1 ./app_rt0
expect_match "starttrace shows the first library's table" "$ERR" \
	'^start module: libmathx.so tasks=1 \(shared library, registered 1st\)$'
expect_match "... and the second's" "$ERR" \
	'^start module: libgeo.so tasks=1 \(shared library, registered 2nd\)$'
expect_match "... with their tasks" "$ERR" '^start init geo: geo_init$'
expect_match "inittrace names the library tables" "$ERR" '^init module libgeo.so \(shared library, 1 task\)$'
expect_eq "inittrace: every package, in order" "$(echo "$ERR" | trace_order)" "mathx geo util "
expect_match "the main line counts the program's tasks" "$ERR" 'inits=1$'

# Without the runtime: the libraries' constructors run their tables.
for d in ctor manual; do
	"$PKGINIT" gen --driver $d -o app_$d.c main.c util/util.c -- $INC
done
sed 's/util_use(); puts/pkgrt_run_inits(); util_use(); puts/; 1i void pkgrt_run_inits(void);' main.c >main_manual.c
cc $INC -o app_ctor app_ctor.c $PROG
cc $INC -o app_manual app_manual.c main_manual.c util/util.c -L. -lgeo -lmathx -Wl,-rpath,'$ORIGIN'
run env PKGRT_DEBUG=inittrace=1 ./app_ctor
expect_eq "ctor: the same order" "$(echo "$OUT" | printed_order)" "mathx geo util "
expect_eq "... traced by the libraries' runners" "$(echo "$ERR" | trace_order)" "mathx geo util "
run ./app_manual
expect_eq "manual: the same order" "$(echo "$OUT" | printed_order)" "mathx geo util "
printf '#include <stdio.h>\nvoid geo_use(void);\nint main(void) { geo_use(); puts("main"); return 0; }\n' >plain.c
cc -o plain plain.c -L. -lgeo -lmathx -Wl,-rpath,'$ORIGIN'
run ./plain
expect_eq "a program with no pkginit at all: the libraries still initialize" "$OUT" "init mathx
init geo
main"

# Recursive initialization across tables: an init function of a library
# that calls pkgrt_run_inits finds its own task running.
sed 's/puts("init geo");/puts("init geo"); { extern void pkgrt_run_inits(void); pkgrt_run_inits(); }/' geo/geo.c >geo_rec.c
cc $INC -fPIC -shared -o librec.so geo_rec.c geo_tab.c -L. -lmathx -Wl,-rpath,'$ORIGIN'
mkdir -p rec && cp librec.so rec/libgeo.so && cp libmathx.so rec/
cc $INC -o rec/app $LIBS $SAN_FLAGS app_tab.c main.c util/util.c -Lrec -lgeo -lmathx -Wl,-rpath,'$ORIGIN'
run ./rec/app
expect_rc "a library init re-entering initialization is fatal" 2
expect_eq "... naming its package" "$ERR" \
	"pkgrt: fatal: recursive call during initialization: package geo is already being initialized"

# dlopen after start-up: the runtime runs the new table at once.
pkg plug
"$PKGINIT" gen --driver shlib --module libplug.so -o plug_tab.c plug/plug.c -- $INC
cc $INC -fPIC -shared -o libplug.so plug/plug.c plug_tab.c
cat >dl.c <<'EOD'
#include <dlfcn.h>
#include <stdio.h>
int main(void)
{
	puts("main");
	void *h = dlopen("./libplug.so", RTLD_NOW);
	if (!h) { puts(dlerror()); return 1; }
	void (*use)(void) = (void (*)(void))dlsym(h, "plug_use");
	use();
	puts("loaded");
	return 0;
}
EOD
"$PKGINIT" gen -o dl_tab.c dl.c -- $INC
cc $INC -o dl $LIBS $SAN_FLAGS dl.c dl_tab.c -ldl
run env PKGRT_DEBUG=starttrace=1,inittrace=1 ./dl
expect_eq "dlopen: the library's table runs when it is loaded" "$OUT" "main
init plug
loaded"
expect_match "... by the runtime, traced" "$ERR" \
	'^start module: libplug.so tasks=1 \(shared library, loaded after start-up: runs now\)$'
expect_match "... with inittrace" "$ERR" '^init plug @'

# The module's layout is pkgrt.h's: a program that registers modules
# itself, through pkgrt.h, walks the library's table.
cat >walker.c <<'EOD'
#include <stdio.h>
#include "pkgrt.h"
__attribute__((visibility("default"))) int pkgrt_register_module_v1(struct pkgrt_module *m)
{
	printf("module %s abi=%s tasks=%u\n", m->name, m->tab->abi ? "set" : "null", m->tab->ntasks);
	for (unsigned i = 0; i < m->tab->ntasks; i++) {
		struct pkgrt_inittask *t = &m->tab->tasks[i];
		printf("task %s state %u %s\n", t->path, t->state, t->names[0]);
		t->fns[0]();
	}
	return 1;
}
int main(void) { return 0; }
EOD
run cc -std=c11 -Wall -Wextra -Werror -I"$RTINC" -o walker walker.c -Wl,--no-as-needed -L. -lgeo -lmathx -Wl,-rpath,'$ORIGIN'
expect_rc "a walker built against pkgrt.h links with the libraries" 0
run ./walker
expect_eq "... and walks their tables in load order" "$OUT" "module libmathx.so abi=null tasks=1
task mathx state 0 mathx_init
init mathx
module libgeo.so abi=null tasks=1
task geo state 0 geo_init
init geo"

# --shlib-report: a program whose inputs also hold the libraries' sources
# leaves their packages to the libraries' tables.
run "$PKGINIT" gen --shlib-report mathx.yaml --shlib-report geo.yaml --report all.yaml -o all_tab.c \
	main.c util/util.c geo/geo.c mathx/mathx.c -- $INC
expect_rc "gen --shlib-report with every source" 0
expect_eq "... the table leaves the libraries' init functions out" "$(grep -c 'mathx_init\|geo_init' all_tab.c)" "0"
expect_eq "... the report lists only the program's" "$(report_order all.yaml)" "util "
cc $INC -o app_all $LIBS $SAN_FLAGS all_tab.c $PROG
run ./app_all
expect_eq "... and the program runs each package once, libraries first" "$(echo "$OUT" | printed_order)" "mathx geo util "
run "$PKGINIT" check --shlib-report mathx.yaml --shlib-report geo.yaml --expect all.yaml \
	main.c util/util.c geo/geo.c mathx/mathx.c -- $INC
expect_rc "check --shlib-report computes the same order" 0
run "$PKGINIT" check --expect all.yaml main.c util/util.c geo/geo.c mathx/mathx.c -- $INC
expect_rc "... which differs without it" 1
# A library package that needs a package of the program: an error.
sed 's|#include "geo/geo.h"|#include "geo/geo.h"\n#include "util/util.h"|' geo/geo.c >geo/geo_bad.c
"$PKGINIT" gen --driver shlib --report geo_bad.yaml -o geo_bad_tab.c geo/geo_bad.c -- $INC
run "$PKGINIT" gen --shlib-report geo_bad.yaml -o bad_tab.c main.c util/util.c -- $INC
expect_rc "a library package importing a package of the program fails" 1
expect_match "... at the library report's line" "$ERR" \
	"^geo_bad.yaml:[0-9]+:[0-9]+: error: package 'geo' of this shared library imports 'util', whose init functions are in the program's table: the library initializes first$"
[ ! -e bad_tab.c ] && ok "... and writes no table" || not_ok "... and writes no table"
# ... also through a package of the program without init functions.
printf '#include "util/util.h"\nvoid mid_use(void);\n' | write mid/mid.h
printf '#include "mid/mid.h"\nvoid mid_use(void) { util_use(); }\n' | write mid/mid.c
sed 's|#include "geo/geo.h"|#include "geo/geo.h"\n#include "mid/mid.h"|' geo/geo.c >geo/geo_mid.c
"$PKGINIT" gen --driver shlib --report geo_mid.yaml -o geo_mid_tab.c geo/geo_mid.c -- $INC
run "$PKGINIT" gen --shlib-report geo_mid.yaml -o bad_tab.c main.c util/util.c mid/mid.c -- $INC
expect_rc "a library package reaching the program's through one without init functions fails" 1
expect_match "... naming the import" "$ERR" \
	"^geo_mid.yaml:[0-9]+:[0-9]+: error: package 'geo' of this shared library imports 'mid', whose init functions are in the program's table"
expect_match "... and what it reaches" "$ERR" "^pkginit: note: 'mid' reaches 'util', which has init functions$"
rm -rf mid geo/geo_mid.c
run "$PKGINIT" gen --shlib-report missing.yaml -o x.c main.c -- $INC
expect_rc "a missing report: input error" 3
expect_match "... naming it" "$ERR" "missing.yaml"
rm -f geo/geo_bad.c

# Usage errors.
run "$PKGINIT" gen --module libx.so -o x.c main.c -- $INC
expect_rc "--module without --driver=shlib is a usage error" 2
expect_match "... that says why" "$ERR" "--module names a shared library's table; it needs --driver=shlib"
run "$PKGINIT" gen --driver shared -o x.c main.c -- $INC
expect_match "--driver lists shlib" "$ERR" "--driver must be 'rt0', 'ctor', 'manual' or 'shlib', not 'shared'"

done_testing
