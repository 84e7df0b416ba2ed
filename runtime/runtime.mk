# runtime/runtime.mk - libpkgrt, included by the top-level Makefile.
#
#   runtime          $(BUILD)/lib/libpkgrt.a (glibc), libpkgrt-musl.a (if
#                    musl-gcc exists), libpkgrt-nolibc.a (freestanding),
#                    $(BUILD)/include/, and pkg-config files for the build
#                    tree in $(BUILD)/lib/pkgconfig/
#   install-runtime  the libraries, headers and .pc files under $(PREFIX)
#
# Cross builds follow the kernel's convention: with
# CROSS_COMPILE=aarch64-linux-gnu- the runtime is built by
# $(CROSS_COMPILE)gcc for arm64 into $(BUILD)/arm64/ (lib/, include/,
# lib/pkgconfig/; no musl build); the tool is always built for the host.
#
# A program links with the runtime as
#
#   cc main.o ... inittab.o $(pkg-config --libs pkgrt)
#
# whose flags are <libdir>/pkgrt.o -Wl,-e,_rt0_amd64_linux -Wl,--wrap=main
# (_rt0_arm64_linux on arm64): pkgrt.o is libpkgrt.a's objects as one
# relocatable object, so the flags may come before the objects too; the
# archive is there for links that name it (-lpkgrt) after the objects.  A freestanding program (no libc) links with
# $(pkg-config --libs pkgrt-nolibc): -L<libdir> -lpkgrt-nolibc -nostdlib
# -static -Wl,-e,_rt0_amd64_linux -lgcc; the same sources are built with
# -DPKGRT_NOLIBC -ffreestanding, and _rt0_amd64_linux is the whole entry.
# No --whole-archive is needed: libc's crt1.o refers to main, which the
# --wrap turns into __wrap_main (asm_amd64.o); that pulls in the rest, and
# os_linux.o refers to runtime.rt0sp, defined next to _rt0_amd64_linux.

RT_VERSION  := 0.1.0

# The compiler and the architecture of the runtime (Go's names: amd64, arm64)
# and where it goes: $(BUILD), or $(BUILD)/<arch> for a cross build.
RT_CC       := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)gcc,$(CC))
RT_AR       := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)ar,$(AR))
RT_GOARCH   := $(if $(filter aarch64%,$(shell $(RT_CC) -dumpmachine 2>/dev/null)),arm64,amd64)
RT_BUILD    := $(if $(CROSS_COMPILE),$(BUILD)/$(RT_GOARCH),$(BUILD))
# What `make test` cross-builds for the arm64 end-to-end tests (under qemu).
RT_TEST_CROSS := aarch64-linux-gnu-

RT_C_SRCS   := $(addprefix runtime/,module.c os_linux.c panic.c proc.c runtime1.c stack.c trace.c)
RT_S_SRCS   := $(addprefix runtime/,rt0_linux_$(RT_GOARCH).S asm_$(RT_GOARCH).S sys_linux_$(RT_GOARCH).S)
RT_HEADERS  := runtime/include/pkgrt.h runtime/include/pkginit.h
RT_CFLAGS   := $(CSTD) $(WARN) $(CFLAGS) -Iruntime -Iruntime/include -fPIE -fvisibility=hidden
RT_ENTRY    := _rt0_$(RT_GOARCH)_linux
# The export: a shared library's table registers with the runtime through
# this symbol (module.c), also in a library loaded with dlopen, which the
# static link could not know about.
RT_LDFLAGS  := -Wl,-e,$(RT_ENTRY) -Wl,--wrap=main -Wl,--export-dynamic-symbol=pkgrt_register_module_v1

RT_OBJS     := $(patsubst runtime/%.c,$(RT_BUILD)/obj/runtime/%.o,$(RT_C_SRCS)) \
               $(patsubst runtime/%.S,$(RT_BUILD)/obj/runtime/%.o,$(RT_S_SRCS))
RT_LIB      := $(RT_BUILD)/lib/libpkgrt.a
# The same objects as one relocatable object (ld -r): named on a link line
# it is linked whole wherever it stands, so pkgrt.pc's Libs work before the
# program's objects as well as after them (an archive only serves the
# undefined symbols of what came before it).
RT_RELOC    := $(RT_BUILD)/lib/pkgrt.o

# The musl build: a second archive of the same sources, built with musl-gcc
# (host builds only).
MUSL_CC     ?= $(if $(CROSS_COMPILE),,$(shell command -v musl-gcc 2>/dev/null))
RT_MUSL_OBJS := $(patsubst $(RT_BUILD)/obj/runtime/%,$(RT_BUILD)/obj/runtime-musl/%,$(RT_OBJS))
RT_MUSL_LIB := $(if $(MUSL_CC),$(RT_BUILD)/lib/libpkgrt-musl.a)
RT_MUSL_RELOC := $(if $(MUSL_CC),$(RT_BUILD)/lib/pkgrt-musl.o)

# The freestanding build: the same sources again, with no libc at all.
# -DPKGRT_NOLIBC selects the few lines that differ (the entry calls rt0_go
# instead of libc's _start, main is called directly, exit is exit_group);
# mem_nolibc.c supplies the memset/memcpy the compiler may call.
RT_NOLIBC_CFLAGS  := $(CSTD) $(WARN) $(CFLAGS) -Iruntime -Iruntime/include -fPIE -fvisibility=hidden \
                     -DPKGRT_NOLIBC -ffreestanding -fno-stack-protector
RT_NOLIBC_LDFLAGS := -nostdlib -static -Wl,-e,$(RT_ENTRY) -lgcc
RT_NOLIBC_OBJS    := $(patsubst $(RT_BUILD)/obj/runtime/%,$(RT_BUILD)/obj/runtime-nolibc/%,$(RT_OBJS)) \
                     $(RT_BUILD)/obj/runtime-nolibc/mem_nolibc.o
RT_NOLIBC_LIB     := $(RT_BUILD)/lib/libpkgrt-nolibc.a

RT_INCLUDES := $(patsubst runtime/include/%,$(RT_BUILD)/include/%,$(RT_HEADERS))
RT_PCS      := $(RT_BUILD)/lib/pkgconfig/pkgrt.pc $(RT_BUILD)/lib/pkgconfig/pkgrt-nolibc.pc \
               $(if $(MUSL_CC),$(RT_BUILD)/lib/pkgconfig/pkgrt-musl.pc)

.PHONY: runtime install-runtime
runtime: $(RT_LIB) $(RT_RELOC) $(RT_MUSL_LIB) $(RT_MUSL_RELOC) $(RT_NOLIBC_LIB) $(RT_INCLUDES) $(RT_PCS)

# SAN_FLAGS (make SANITIZE=...) go to the glibc build only: the sanitizers'
# runtimes need glibc.
$(RT_BUILD)/obj/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(RT_BUILD)/obj/runtime/%.o: runtime/%.S
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(RT_BUILD)/obj/runtime-nolibc/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_NOLIBC_CFLAGS) -MMD -MP -c $< -o $@

$(RT_BUILD)/obj/runtime-nolibc/%.o: runtime/%.S
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_NOLIBC_CFLAGS) -MMD -MP -c $< -o $@

$(RT_BUILD)/obj/runtime-musl/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(RT_BUILD)/obj/runtime-musl/%.o: runtime/%.S
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(RT_LIB): $(RT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(RT_AR) rcs $@ $^

$(RT_RELOC): $(RT_OBJS)
	@mkdir -p $(dir $@)
	$(RT_CC) -r -nostdlib -o $@ $^

$(RT_BUILD)/lib/pkgrt-musl.o: $(RT_MUSL_OBJS)
	@mkdir -p $(dir $@)
	$(MUSL_CC) -r -nostdlib -o $@ $^

$(RT_BUILD)/lib/libpkgrt-musl.a: $(RT_MUSL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(RT_AR) rcs $@ $^

$(RT_NOLIBC_LIB): $(RT_NOLIBC_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(RT_AR) rcs $@ $^

$(RT_BUILD)/include/%.h: runtime/include/%.h
	@mkdir -p $(dir $@)
	cp $< $@

-include $(RT_OBJS:.o=.d) $(RT_MUSL_OBJS:.o=.d) $(RT_NOLIBC_OBJS:.o=.d)

# rt_pc PREFIX LIBNAME: a pkg-config file.
define rt_pc
printf '%s\n' \
	'prefix=$(1)' \
	'exec_prefix=$${prefix}' \
	'libdir=$${exec_prefix}/lib' \
	'includedir=$${prefix}/include' \
	'pkginit=$${prefix}/bin/pkginit' \
	'' \
	'Name: $(2)' \
	'Description: pkginit runtime: Go-style start-up and package initialization for C$(if $(filter %-musl,$(2)), (musl))$(if $(filter %-nolibc,$(2)), (freestanding, no libc))' \
	'Version: $(RT_VERSION)' \
	'Cflags: -I$${includedir}$(if $(filter %-nolibc,$(2)), -ffreestanding -fno-stack-protector)' \
	'Libs: $(if $(filter %-nolibc,$(2)),-L$${libdir} -l$(2) $(RT_NOLIBC_LDFLAGS),$${libdir}/$(2).o $(RT_LDFLAGS))$(rt_pc_san)'
endef
# A sanitized libpkgrt.a (make SANITIZE=...) needs the sanitizers' runtimes
# at link time: pkgrt.pc's Libs carry SAN_FLAGS.  Cflags do not: a
# program's own code is the user's business, and it may mean to crash.
rt_pc_san = $(if $(and $(SAN_FLAGS),$(filter pkgrt,$(2))), $(SAN_FLAGS))

# For the build tree: PKG_CONFIG_PATH=$(BUILD)/lib/pkgconfig (a cross
# build: $(BUILD)/arm64/lib/pkgconfig).
$(RT_BUILD)/lib/pkgconfig/%.pc: runtime/runtime.mk
	@mkdir -p $(dir $@)
	$(call rt_pc,$(abspath $(RT_BUILD)),$*) >$@

install-runtime: runtime
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 644 $(RT_LIB) $(RT_RELOC) $(RT_MUSL_LIB) $(RT_MUSL_RELOC) $(RT_NOLIBC_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 $(RT_HEADERS) $(DESTDIR)$(PREFIX)/include/
	$(call rt_pc,$(PREFIX),pkgrt) >$(DESTDIR)$(PREFIX)/lib/pkgconfig/pkgrt.pc
	$(call rt_pc,$(PREFIX),pkgrt-nolibc) >$(DESTDIR)$(PREFIX)/lib/pkgconfig/pkgrt-nolibc.pc
	$(if $(MUSL_CC),$(call rt_pc,$(PREFIX),pkgrt-musl) >$(DESTDIR)$(PREFIX)/lib/pkgconfig/pkgrt-musl.pc)

# ---- the runtime's unit tests (cmocka), linked with the runtime archive ----
# This rule is more specific than the top Makefile's $(BUILD)/tests/%, so
# make uses it for tests/unit/test_rt_*.c.

RT_UNIT_SRCS      := $(sort $(wildcard tests/unit/test_rt_*.c))
RUNTIME_UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(RT_UNIT_SRCS))
RT_TEST_CFLAGS    := $(CSTD) $(WARN) $(CFLAGS) $(SAN_FLAGS) -Iruntime -Iruntime/include -Itests/unit

$(BUILD)/tests/test_rt_%: tests/unit/test_rt_%.c $(RT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(RT_TEST_CFLAGS) -MMD -MP -o $@ $< $(RT_LIB) -lcmocka

-include $(RUNTIME_UNIT_BINS:=.d)
