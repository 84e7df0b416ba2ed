# runtime/runtime.mk - libpkgrt, included by the top-level Makefile.
#
#   runtime          $(BUILD)/lib/libpkgrt.a (glibc), libpkgrt-musl.a (if
#                    musl-gcc exists), $(BUILD)/include/, and pkg-config
#                    files for the build tree in $(BUILD)/lib/pkgconfig/
#   install-runtime  the libraries, headers and pkgrt.pc under $(PREFIX)
#
# A program links with the runtime as
#
#   cc main.o ... inittab.o $(pkg-config --libs pkgrt)
#
# whose flags are -L<libdir> -lpkgrt -Wl,-e,_rt0_amd64_linux -Wl,--wrap=main.
# No --whole-archive is needed: libc's crt1.o refers to main, which the
# --wrap turns into __wrap_main (asm_amd64.o); that pulls in the rest, and
# os_linux.o refers to runtime.rt0sp, defined next to _rt0_amd64_linux.

RT_VERSION  := 0.1.0
RT_C_SRCS   := $(addprefix runtime/,os_linux.c panic.c proc.c runtime1.c stack.c trace.c)
RT_S_SRCS   := $(addprefix runtime/,rt0_linux_amd64.S asm_amd64.S sys_linux_amd64.S)
RT_HEADERS  := runtime/include/pkgrt.h runtime/include/pkginit.h
RT_CFLAGS   := $(CSTD) $(WARN) $(CFLAGS) -Iruntime -Iruntime/include -fPIE -fvisibility=hidden
RT_LDFLAGS  := -Wl,-e,_rt0_amd64_linux -Wl,--wrap=main

RT_OBJS     := $(patsubst runtime/%.c,$(BUILD)/obj/runtime/%.o,$(RT_C_SRCS)) \
               $(patsubst runtime/%.S,$(BUILD)/obj/runtime/%.o,$(RT_S_SRCS))
RT_LIB      := $(BUILD)/lib/libpkgrt.a

# The musl build: a second archive of the same sources, built with musl-gcc.
MUSL_CC     ?= $(shell command -v musl-gcc 2>/dev/null)
RT_MUSL_OBJS := $(patsubst $(BUILD)/obj/runtime/%,$(BUILD)/obj/runtime-musl/%,$(RT_OBJS))
RT_MUSL_LIB := $(if $(MUSL_CC),$(BUILD)/lib/libpkgrt-musl.a)

RT_INCLUDES := $(patsubst runtime/include/%,$(BUILD)/include/%,$(RT_HEADERS))
RT_PCS      := $(BUILD)/lib/pkgconfig/pkgrt.pc $(if $(MUSL_CC),$(BUILD)/lib/pkgconfig/pkgrt-musl.pc)

.PHONY: runtime install-runtime
runtime: $(RT_LIB) $(RT_MUSL_LIB) $(RT_INCLUDES) $(RT_PCS)

$(BUILD)/obj/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/runtime/%.o: runtime/%.S
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/runtime-musl/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/runtime-musl/%.o: runtime/%.S
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(RT_LIB): $(RT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/lib/libpkgrt-musl.a: $(RT_MUSL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/include/%.h: runtime/include/%.h
	@mkdir -p $(dir $@)
	cp $< $@

-include $(RT_OBJS:.o=.d) $(RT_MUSL_OBJS:.o=.d)

# rt_pc PREFIX LIBNAME: a pkg-config file.
define rt_pc
printf '%s\n' \
	'prefix=$(1)' \
	'exec_prefix=$${prefix}' \
	'libdir=$${exec_prefix}/lib' \
	'includedir=$${prefix}/include' \
	'' \
	'Name: $(2)' \
	'Description: pkginit runtime: Go-style start-up and package initialization for C$(if $(filter %-musl,$(2)), (musl))' \
	'Version: $(RT_VERSION)' \
	'Cflags: -I$${includedir}' \
	'Libs: -L$${libdir} -l$(2) $(RT_LDFLAGS)'
endef

# For the build tree: PKG_CONFIG_PATH=$(BUILD)/lib/pkgconfig.
$(BUILD)/lib/pkgconfig/%.pc: runtime/runtime.mk
	@mkdir -p $(dir $@)
	$(call rt_pc,$(abspath $(BUILD)),$*) >$@

install-runtime: runtime
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 644 $(RT_LIB) $(RT_MUSL_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 $(RT_HEADERS) $(DESTDIR)$(PREFIX)/include/
	$(call rt_pc,$(PREFIX),pkgrt) >$(DESTDIR)$(PREFIX)/lib/pkgconfig/pkgrt.pc
	$(if $(MUSL_CC),$(call rt_pc,$(PREFIX),pkgrt-musl) >$(DESTDIR)$(PREFIX)/lib/pkgconfig/pkgrt-musl.pc)

# ---- the runtime's unit tests (cmocka), linked with the runtime archive ----
# This rule is more specific than the top Makefile's $(BUILD)/tests/%, so
# make uses it for tests/unit/test_rt_*.c.

RT_UNIT_SRCS      := $(sort $(wildcard tests/unit/test_rt_*.c))
RUNTIME_UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(RT_UNIT_SRCS))
RT_TEST_CFLAGS    := $(CSTD) $(WARN) $(CFLAGS) -Iruntime -Iruntime/include -Iruntime/testdata

$(BUILD)/tests/test_rt_%: tests/unit/test_rt_%.c $(RT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(RT_TEST_CFLAGS) -MMD -MP -o $@ $< $(RT_LIB) -lcmocka

-include $(RUNTIME_UNIT_BINS:=.d)
