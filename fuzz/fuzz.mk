# fuzz/fuzz.mk - libFuzzer targets, included by the top-level Makefile.
#
#   make fuzz [FUZZ_SECONDS=60]   build every target, run each that long
#   make fuzz-build               build them only (build-fuzz/bin/)
#   make fuzz-TARGET              run one target (FUZZ_SECONDS too)
#
# One C file per target in fuzz/, each an LLVMFuzzerTestOneInput; its
# committed seeds are fuzz/corpus/TARGET/, and fuzz/TARGET.dict, when
# present, is its dictionary.  The tool and runtime sources are compiled
# again with clang, coverage and ASan+UBSan into build-fuzz/, apart from
# every other build, because libFuzzer needs clang's instrumentation.
# A run reads the committed seeds but writes what it finds into
# build-fuzz/corpus/TARGET/ (kept between runs) and any crash into
# build-fuzz/crash/TARGET/, so fuzzing never dirties the source tree.
# A target that finds a crash, a leak or a UBSan report fails the run.

FUZZ_BUILD   := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
# libFuzzer's own limits: a slow or bloated input is a finding too.
FUZZ_RUNFLAGS ?= -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
                -I$(LLVM_INC) -Itool -Iruntime -Iruntime/include $(LIBCLANG_DEFS)
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/*.c)))
FUZZ_BINS    := $(addprefix $(FUZZ_BUILD)/bin/,$(FUZZ_TARGETS))

# What the targets link: archives of the tool without its main, and of the
# runtime, from which each target pulls what it calls.
FUZZ_TOOL_OBJS := $(patsubst tool/%.c,$(FUZZ_BUILD)/obj/tool/%.o,$(filter-out tool/main.c,$(TOOL_SRCS)))
FUZZ_RT_OBJS   := $(patsubst runtime/%,$(FUZZ_BUILD)/obj/runtime/%.o,$(basename $(RT_C_SRCS) $(RT_S_SRCS)))
FUZZ_LIBS      := $(FUZZ_BUILD)/lib/libpkginit-tool.a $(FUZZ_BUILD)/lib/libpkgrt.a

.PHONY: fuzz fuzz-build $(addprefix fuzz-,$(FUZZ_TARGETS))
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory fuzz-$$t FUZZ_SECONDS=$(FUZZ_SECONDS) || exit 1; \
	done

$(addprefix fuzz-,$(FUZZ_TARGETS)): fuzz-%: $(FUZZ_BUILD)/bin/%
	@mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/crash/$*
	@echo "fuzz: $* for $(FUZZ_SECONDS) s"
	@$< $(FUZZ_RUNFLAGS) -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(FUZZ_BUILD)/crash/$*/ \
		$(if $(wildcard fuzz/$*.dict),-dict=fuzz/$*.dict) \
		$(FUZZ_BUILD)/corpus/$* fuzz/corpus/$* >$(FUZZ_BUILD)/$*.log 2>&1 \
		|| { tail -60 $(FUZZ_BUILD)/$*.log; echo "fuzz: $* FAILED (log: $(FUZZ_BUILD)/$*.log)"; exit 1; }
	@grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $(FUZZ_BUILD)/$*.log | \
		sed 's/^stat::/fuzz: $*: /'

$(FUZZ_BUILD)/obj/tool/%.o: tool/%.c tool/tool.h | check-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/obj/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -fPIE -fvisibility=hidden -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/obj/runtime/%.o: runtime/%.S
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fPIE -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/lib/libpkginit-tool.a: $(FUZZ_TOOL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_BUILD)/lib/libpkgrt.a: $(FUZZ_RT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_BUILD)/bin/%: fuzz/%.c fuzz/fuzz.h $(FUZZ_LIBS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< $(FUZZ_LIBS) $(TOOL_LIBS)

-include $(FUZZ_TOOL_OBJS:.o=.d) $(FUZZ_RT_OBJS:.o=.d) $(FUZZ_BINS:=.d)
