# pkginit — top-level Makefile.  Everything is built into build/.
#
#   make            the tool (build/bin/pkginit) and the runtime libraries
#   make CROSS_COMPILE=aarch64-linux-gnu-
#                   the same, with the runtime for arm64 in build/arm64/
#                   (the tool is always built for the host)
#   make deps       install the Debian packages the build and tests need
#   make test       build, run every test, print "N passed, N failed"
#   make demo       show the main job on the sample program
#   make bench      benchmarks (ratios measured side by side)
#   make realworld  pkginit on Open vSwitch and BlueZ, built from Debian's
#                   sources in build/realworld/ (tests/realworld/run.sh)
#   make fuzz       run each libFuzzer target FUZZ_SECONDS (default 60)
#   make test SANITIZE=address,undefined
#                   the same tests, sanitized, in build-san/
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

# The one list of Debian packages the project needs.  (python3-jsonschema
# validates the SARIF output in tests/e2e/sarif.sh.  bear and
# openvswitch-source, for the benchmarks on Open vSwitch, are in
# REALWORLD_DEB_PACKAGES, which make bench installs.)
DEB_PACKAGES := gcc clang make pkg-config libclang-dev llvm libyaml-dev \
                libcmocka-dev musl-tools valgrind \
                gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user \
                libclang-rt-dev nettle-dev libxxhash-dev cmake ninja-build meson \
                python3-jsonschema

# What `make realworld` needs besides: the two codebases' sources, what
# their ./configure and make need (python3 and libssl-dev for Open
# vSwitch; glib, D-Bus, udev, libical, readline and docutils for BlueZ's
# defaults), bzip2 for BlueZ's tarball and Bear for the compilation
# database.  Installed by `make realworld-deps`, as `make deps` does.
REALWORLD_DEB_PACKAGES := openvswitch-source bluez-source bear bzip2 patch \
                python3 libssl-dev \
                libglib2.0-dev libdbus-1-dev libudev-dev libical-dev \
                libreadline-dev python3-docutils

PREFIX  ?= /usr/local
DESTDIR ?=
# make test SANITIZE=address,undefined: the tool, the glibc runtime, the
# unit tests and the programs the tests link (through pkgrt.pc) are built
# with these sanitizers, in a build tree of their own so that plain and
# instrumented objects never mix.  Any UBSan report aborts (no recovery),
# so a run is clean only if nothing was reported.
SANITIZE ?=
SAN_FLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer)
ifneq ($(SANITIZE),)
BUILD   ?= build-san
endif
BUILD   ?= build
CC      ?= cc
# Under CI every warning is an error; locally too.
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
CSTD    := -std=c11 -D_GNU_SOURCE

LLVM_CONFIG ?= $(shell command -v llvm-config 2>/dev/null || ls /usr/bin/llvm-config-* 2>/dev/null | sort -V | tail -1)
LLVM_INC    := $(if $(LLVM_CONFIG),$(shell $(LLVM_CONFIG) --includedir))
LLVM_LIB    := $(if $(LLVM_CONFIG),$(shell $(LLVM_CONFIG) --libdir))

# The tool opens libclang with dlopen when it first needs it (a scan the
# cache answers does not: tool/libclang.h), so it does not link -lclang.
# What it opens is the library the build's libclang.so points to, by its
# soname (the runtime package's file), and the message when it is
# missing names that package.
LIBCLANG_REAL   := $(if $(LLVM_LIB),$(shell readlink -f $(LLVM_LIB)/libclang.so 2>/dev/null))
LIBCLANG_SONAME := $(if $(LIBCLANG_REAL),$(shell readelf -d $(LIBCLANG_REAL) 2>/dev/null | sed -n 's/.*soname: \[\(.*\)\]/\1/p'))
LIBCLANG_PATH   := $(if $(LIBCLANG_SONAME),$(dir $(LIBCLANG_REAL))$(LIBCLANG_SONAME),$(LIBCLANG_REAL))
LIBCLANG_DEFS   := $(if $(LIBCLANG_PATH),-DPKGINIT_LIBCLANG='"$(LIBCLANG_PATH)"') \
                   $(if $(LLVM_CONFIG),-DPKGINIT_LIBCLANG_PKG='"libclang1-$(firstword $(subst ., ,$(shell $(LLVM_CONFIG) --version)))"')

TOOL_CFLAGS := $(CSTD) $(WARN) -Wmissing-prototypes $(CFLAGS) $(SAN_FLAGS) -I$(LLVM_INC) -Itool -Iruntime/include \
               $(LIBCLANG_DEFS)
# nettle and libxxhash are linked statically: as two more shared
# libraries they lengthened the dynamic linker's symbol lookups for
# libLLVM's relocations, and a warm `pkginit gen` took 40.47M
# instructions against 38.85M linked statically (callgrind;
# spec/dependencies.md), when the tool still linked libclang.  libyaml
# too, now that a scan the cache answers is mostly process start-up:
# 0.42 -> 0.40 ms of CPU for `pkginit --version` (perf stat -r 300).
TOOL_LIBS   := -Wl,-Bstatic -lyaml -lnettle -lxxhash -Wl,-Bdynamic -lpthread -ldl

TOOL_SRCS := $(sort $(wildcard tool/*.c))
TOOL_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TOOL_SRCS))
TOOL_LIB_OBJS := $(filter-out $(BUILD)/obj/tool/main.o,$(TOOL_OBJS))
TOOL_LIB      := $(BUILD)/lib/libpkginit-tool.a

PKGINIT := $(BUILD)/bin/pkginit

.PHONY: all tool runtime deps check-deps test demo bench bench-tool install clean
all: tool runtime $(BUILD)/share/pkginit/pkginit.mk $(BUILD)/share/pkginit/pkginit-rules.mk

# The build tree doubles as an install prefix (bin/, include/, lib/,
# lib/pkgconfig/, share/pkginit/), so the samples use the same Make rules
# against it as against an installed pkginit: pkginit.mk, and
# pkginit-rules.mk for Makefiles that keep their own rules (spec/make.md).
$(BUILD)/share/pkginit/%.mk: tool/%.mk
	@mkdir -p $(dir $@)
	cp $< $@

# The CMake package (spec/cmake.md), for the build tree and for install:
# it finds the prefix from where it is, so the same files serve both.
CMAKE_PKG := $(BUILD)/lib/cmake/pkginit/pkginitConfig.cmake $(BUILD)/lib/cmake/pkginit/pkginitConfigVersion.cmake
all: $(CMAKE_PKG)
pkginit_empty :=
space := $(pkginit_empty) $(pkginit_empty)
$(BUILD)/lib/cmake/pkginit/%.cmake: cmake/%.cmake.in runtime/runtime.mk
	@mkdir -p $(dir $@)
	sed -e 's/@RT_ENTRY@/$(RT_ENTRY)/g' -e 's/@VERSION@/$(RT_VERSION)/g' \
	    -e 's/@VERSION_MAJOR@/$(firstword $(subst ., ,$(RT_VERSION)))/g' \
	    -e 's/@GOARCH@/$(RT_GOARCH)/g' \
	    -e 's/@CMAKE_PROCESSORS@/$(if $(filter arm64,$(RT_GOARCH)),(aarch64|arm64|ARM64),(x86_64|amd64|AMD64))/g' \
	    -e 's/@SAN_LINK@/$(if $(SAN_FLAGS),;$(subst $(space),;,$(strip $(SAN_FLAGS))))/g' $< >$@

tool: $(PKGINIT)

$(BUILD)/obj/tool/%.o: tool/%.c tool/tool.h | check-deps
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_CFLAGS) -MMD -MP -c $< -o $@

$(TOOL_LIB): $(TOOL_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(PKGINIT): $(BUILD)/obj/tool/main.o $(TOOL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $< -Wl,--whole-archive $(TOOL_LIB) -Wl,--no-whole-archive $(TOOL_LIBS)

-include $(TOOL_OBJS:.o=.d)

# ---- dependencies ----------------------------------------------------------

deps realworld-deps:
	@missing=; for p in $(if $(filter realworld-deps,$@),$(REALWORLD_DEB_PACKAGES),$(DEB_PACKAGES)); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "deps: missing Debian packages:$$missing"; \
		echo "deps: run: sudo apt-get update && sudo apt-get install -y$$missing"; \
		exit 1; \
	fi

# The build needs libclang's headers; say how to get them instead of failing
# with a compiler error.
check-deps:
	@if [ -z "$(LLVM_CONFIG)" ] || [ ! -f "$(LLVM_INC)/clang-c/Index.h" ] || [ ! -f /usr/include/yaml.h ] || \
	     [ ! -f /usr/include/nettle/sha2.h ] || [ ! -f /usr/include/xxhash.h ]; then \
		echo "pkginit: libclang, libyaml, nettle or libxxhash headers not found; run 'make deps' (as root) or:"; \
		echo "  sudo apt-get install -y $(DEB_PACKAGES)"; exit 1; fi

# ---- runtime ---------------------------------------------------------------

include runtime/runtime.mk

# ---- fuzzing: make fuzz [FUZZ_SECONDS=60] (clang, libFuzzer; build-fuzz/) ---

include fuzz/fuzz.mk

# ---- tests -----------------------------------------------------------------

UNIT_SRCS := $(filter-out tests/unit/test_rt_%,$(sort $(wildcard tests/unit/test_*.c)))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TEST_CFLAGS := $(TOOL_CFLAGS) -Itests/unit

# Tool unit tests: tests/unit/test_*.c, linked with the tool's archive.
# The runtime's own unit tests are built by runtime/runtime.mk and listed
# in RUNTIME_UNIT_BINS.
$(BUILD)/tests/%: tests/unit/%.c $(TOOL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -o $@ $< $(TOOL_LIB) $(TOOL_LIBS) -lcmocka

-include $(UNIT_BINS:=.d)

test: deps
	@mkdir -p $(BUILD)
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(RUNTIME_UNIT_BINS) >$(BUILD)/make.log 2>&1 || { cat $(BUILD)/make.log; echo "0 passed, 1 failed"; exit 1; }
	@# the arm64 runtime, for tests/e2e/rt_arm64.sh (run under qemu-aarch64)
	@$(MAKE) --no-print-directory runtime CROSS_COMPILE=$(RT_TEST_CROSS) SANITIZE= BUILD=$(BUILD) >>$(BUILD)/make.log 2>&1 || { cat $(BUILD)/make.log; echo "0 passed, 1 failed"; exit 1; }
	@BUILD=$(BUILD) SAN_FLAGS='$(SAN_FLAGS)' tests/run $(UNIT_BINS) $(RUNTIME_UNIT_BINS) $(sort $(wildcard tests/e2e/*.sh))

demo: deps all
	@tests/demo.sh

# The benchmarks' driver (tests/bench/bench_tool.c), linked like the
# tool: one rule for bench_*.sh and make realworld.
BENCH_TOOL := $(BUILD)/bin/bench_tool
bench-tool: $(BENCH_TOOL)
$(BENCH_TOOL): tests/bench/bench_tool.c $(TOOL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_CFLAGS) -o $@ $< $(TOOL_LIB) $(TOOL_LIBS)

# realworld-deps: tests/bench_incremental.sh and tests/bench_realworld.sh
# measure on `make realworld`'s Open vSwitch build (built when missing).
bench: deps realworld-deps all $(BENCH_TOOL)
	@BUILD=$(BUILD) tests/bench.sh

.PHONY: realworld realworld-deps
# Not part of `make test`: it builds two real codebases (a few minutes);
# .ci/run runs it after the test passes.  Prints "N passed, N failed".
realworld-deps: deps
realworld: realworld-deps
	@mkdir -p $(BUILD)
	@$(MAKE) --no-print-directory all >$(BUILD)/make.log 2>&1 || { cat $(BUILD)/make.log; echo "0 passed, 1 failed"; exit 1; }
	@BUILD=$(BUILD) tests/realworld/run.sh

# ---- install ---------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	           $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/pkginit
	install -m 755 $(PKGINIT) $(DESTDIR)$(PREFIX)/bin/pkginit
	install -m 644 runtime/include/pkginit.h runtime/include/pkgrt.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 man/pkginit.1 $(DESTDIR)$(PREFIX)/share/man/man1/pkginit.1
	install -m 644 tool/pkginit.mk $(DESTDIR)$(PREFIX)/share/pkginit/pkginit.mk
	install -m 644 tool/pkginit-rules.mk $(DESTDIR)$(PREFIX)/share/pkginit/pkginit-rules.mk
	install -d $(DESTDIR)$(PREFIX)/lib/cmake/pkginit
	install -m 644 $(CMAKE_PKG) $(DESTDIR)$(PREFIX)/lib/cmake/pkginit/
	$(MAKE) --no-print-directory install-runtime

# Every build directory: the plain one, the sanitized one, the fuzzers'.
clean:
	rm -rf $(BUILD) build build-san $(FUZZ_BUILD)
