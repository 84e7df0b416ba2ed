#!/usr/bin/env bash
# genproject.sh DIR NPKG NFILES FANOUT RTINC - a synthetic C project for
# the scanning benchmark.
#
# NPKG packages p000..., each a directory with one header and NFILES .c
# files; package i's header includes the headers of FANOUT packages with
# smaller numbers (so the graph has no cycle) chosen by a fixed formula,
# so the same arguments give the same tree.  Every .c file includes real
# system headers (what makes parsing cost what it costs in a real
# project) and has function bodies (what skipping bodies saves); the
# first file of each package has a PKG_INIT function.  main/main.c
# includes the last package's header.  DIR/build/compile_commands.json
# lists every TU with its command, as CMake would write it.
set -eu
dir=$1 npkg=$2 nfiles=$3 fanout=$4 rtinc=$5
rm -rf "$dir"
mkdir -p "$dir/build" "$dir/main"
dir=$(cd "$dir" && pwd)
awk -v dir="$dir" -v npkg="$npkg" -v nfiles="$nfiles" -v fanout="$fanout" \
    -v rtinc="$rtinc" '
function pkg(i) { return sprintf("p%03d", i) }
function out(f, s) { print s > f }
BEGIN {
	ncmd = 0
	for (i = 0; i < npkg; i++) {
		p = pkg(i)
		system("mkdir -p " dir "/" p)
		h = dir "/" p "/" p ".h"
		out(h, "#ifndef " toupper(p) "_H\n#define " toupper(p) "_H")
		out(h, "#include <stddef.h>")
		for (k = 1; k <= fanout && i > 0; k++) {
			d = (i * 7 + k * 13) % i
			out(h, "#include \"" pkg(d) "/" pkg(d) ".h\"")
		}
		out(h, "struct " p "_state { int n; char name[32]; size_t used; };")
		for (f = 0; f < nfiles; f++)
			out(h, "int " p "_f" f "(int x);")
		out(h, "#endif")
		close(h)
		for (f = 0; f < nfiles; f++) {
			c = dir "/" p "/f" f ".c"
			out(c, "#include <pkginit.h>\n#include <stdio.h>\n#include <stdlib.h>")
			out(c, "#include <string.h>\n#include <errno.h>\n#include <stdint.h>")
			out(c, "#include <unistd.h>\n#include <pthread.h>\n#include <sys/stat.h>")
			out(c, "#include \"" p "/" p ".h\"\n")
			out(c, "static struct " p "_state st" f ";")
			for (b = 0; b < 12; b++) {
				out(c, "static int helper" b "(int x)\n{\n\tint acc = x;")
				out(c, "\tfor (int i = 0; i < x; i++) {\n\t\tacc = acc * 31 + i;")
				out(c, "\t\tif (acc % 7 == 0) acc ^= (int)strlen(st" f ".name);")
				out(c, "\t\telse acc += (int)st" f ".used;\n\t}")
				out(c, "\tchar buf[64];\n\tsnprintf(buf, sizeof buf, \"%d\", acc);")
				out(c, "\treturn acc + atoi(buf) + errno;\n}\n")
			}
			out(c, "int " p "_f" f "(int x)\n{\n\tint r = 0;")
			for (b = 0; b < 12; b++) out(c, "\tr += helper" b "(x + " b ");")
			out(c, "\treturn r;\n}")
			if (f == 0) out(c, "\nPKG_INIT void " p "_init(void)\n{\n\tst0.n = 1;\n}")
			close(c)
			cmd[ncmd++] = p "/f" f ".c"
		}
	}
	m = dir "/main/main.c"
	out(m, "#include <pkginit.h>\n#include <stdio.h>")
	out(m, "#include \"" pkg(npkg - 1) "/" pkg(npkg - 1) ".h\"")
	out(m, "int main(void)\n{\n\treturn " pkg(npkg - 1) "_f0(1) > 0 ? 0 : 1;\n}")
	close(m)
	cmd[ncmd++] = "main/main.c"
	j = dir "/build/compile_commands.json"
	out(j, "[")
	for (i = 0; i < ncmd; i++) {
		o = cmd[i]; gsub(/[\/.]/, "_", o)
		out(j, "  {\"directory\": \"" dir "\", \"file\": \"" cmd[i] "\",")
		out(j, "   \"command\": \"cc -std=c11 -O2 -Wall -I" dir " -I" rtinc \
		       " -MD -MF build/" o ".d -c " cmd[i] " -o build/" o ".o\"}" \
		       (i + 1 < ncmd ? "," : ""))
	}
	out(j, "]")
	close(j)
}'
