# tests/buildsys.sh - helpers for the build-system tests (tests/e2e/cmake.sh,
# meson.sh, makefile_existing.sh, shlib.sh, samples.sh), sourced after
# tests/lib.sh.

# fresh_sample NAME [TAG]: a scratch directory holding samples/NAME as a
# fresh clone would: the files git knows (tracked, or new and not
# ignored), nothing a build left behind.  Outside a git checkout (a
# tarball), a plain copy.  cd into it.
fresh_sample() {
	scratch "$1${2:+-$2}"
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TOP/samples/$1" && git ls-files -co --exclude-standard -z . |
			xargs -0 cp --parents -t "$SCRATCH")
	else
		cp -r "$TOP/samples/$1/." .
	fi
}

# The package order the runtime's (or a runner's) inittrace prints.
trace_order() { sed -n 's/^init \([^ ]*\) @.*/\1/p' | tr '\n' ' '; }
# The order the program's own init functions print ("init P" lines).
printed_order() { sed -n 's/^init \([^ ]*\)$/\1/p' | tr '\n' ' '; }
# The package order of reports or locks (packages with init functions),
# one file after another.
report_order() {
	local f
	for f in "$@"; do
		awk '/^  - path:/ { p = $3 } /^    inits: \[\]/ { p = "" }
		     /^      - \{name:/ && p != "" { print p; p = "" }' "$f" | tr -d '"'
	done | tr '\n' ' '
}
