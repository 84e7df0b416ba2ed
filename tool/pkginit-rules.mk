# pkginit-rules.mk - pkginit for a Makefile that keeps its own compile and
# link rules.  pkginit.mk owns the whole build of a new program; this file
# only adds what pkginit needs beside a build that exists: the scan
# records and the init table's object, per program or shared library.
#
#     include /usr/local/share/pkginit/pkginit-rules.mk
#
#     # name, sources (relative to this directory), driver (default rt0)
#     $(eval $(call pkginit,server,main.c log/log.c db/db.c))
#     $(eval $(call pkginit,libgeo.so,geo/geo.c,shlib))
#
#     server: $(OBJS) $(server_PKGINIT_OBJ)           # your own link rule
#             $(CC) $(PKGRT_LIBS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -L. -lgeo
#     libgeo.so: geo/geo.o $(libgeo.so_PKGINIT_OBJ)
#             $(CC) -shared -o $@ $^
#
# Each call gives, for NAME:
#
#   NAME_PKGINIT_OBJ     the compiled init table: add it to NAME's link
#   NAME_PKGINIT_TABLE   the table's C file; NAME_PKGINIT_REPORT its report
#   NAME_PKGINIT_RECS    the scan records (one per source)
#   targets check-init-NAME, update-init-lock-NAME (against NAME_PKGINIT_LOCK,
#   default NAME.init.lock.yaml; programs only: a lock is a program's whole
#   order), clean-init-NAME; check-init and clean-init do every NAME.
#
# and once: PKGRT_CFLAGS (the -I for <pkginit.h>: add it to your CFLAGS,
# or install pkginit where the compiler looks) and PKGRT_LIBS (the
# runtime's link flags for a program whose driver is rt0; they are the
# runtime as one object, so they may go before or after the objects).
#
# Drivers: rt0 (a program linked with the runtime), ctor or manual (a
# program without it), shlib (a shared library: its packages get a table of
# their own inside it, registered with the program's runtime when it is
# loaded; spec/shlib.md).  The sources of a shared library belong to its
# call only: a program's table leaves out the packages that its shared
# libraries initialize because it never scans them.
#
# Variables read by the rules (set them before `make` runs the recipes;
# NAME_ ones are per call):
#
#   PKGINIT_O              where the records and tables go (default
#                          .pkginit): $(PKGINIT_O)/NAME/
#   NAME_PKGINIT_CFLAGS    the flags the scan sees (default: $(CPPFLAGS)
#                          $(CFLAGS), as your compile does); per source,
#                          PKGINIT_CFLAGS_<source> adds to them
#   NAME_PKGINIT_ORDER     lex or import; NAME_PKGINIT_MAIN  --main
#   NAME_PKGINIT_DEPS      include or uses (--deps)
#   PKGINIT_ROOTS          --root directories (default .)
#   PKGINIT_CACHE          the scan cache (default $(PKGINIT_O)/cache)
#   PKGINIT_PREFIX         where pkginit is installed (default: from the
#                          location of this file)
#   PKGINIT_RUNTIME        pkgrt (default), pkgrt-musl, pkgrt-nolibc
#
# Incremental builds work as in pkginit.mk (spec/make.md): each record has
# a depfile, so a touched header rescans exactly its includers; the link
# runs while Make remakes an included makefile, and leaves the table
# untouched when the order did not change, so the table's object is then
# not recompiled and a second `make` runs nothing.

PKGINIT_RULES_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
PKGINIT_PREFIX ?= $(abspath $(PKGINIT_RULES_DIR)/../..)
PKGINIT ?= $(PKGINIT_PREFIX)/bin/pkginit
PKGINIT_RUNTIME ?= pkgrt
PKGINIT_PKG_CONFIG = PKG_CONFIG_PATH=$(PKGINIT_PREFIX)/lib/pkgconfig$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} pkg-config
PKGRT_CFLAGS ?= $(shell $(PKGINIT_PKG_CONFIG) --cflags $(PKGINIT_RUNTIME))
PKGRT_LIBS ?= $(shell $(PKGINIT_PKG_CONFIG) --libs $(PKGINIT_RUNTIME))
PKGINIT_O ?= .pkginit
PKGINIT_ROOTS ?= .
PKGINIT_CACHE ?= $(PKGINIT_O)/cache
PKGINIT_CONFIG_FILE := $(wildcard pkginit.yaml)
PKGINIT_NAMES :=
PKGINIT_SCAN_FLAGS = $(addprefix --root ,$(PKGINIT_ROOTS)) \
	$(if $(PKGINIT_CACHE),--cache $(PKGINIT_CACHE),--no-cache)
# Cleaning must not first scan and link everything.
PKGINIT_LINKING := $(if $(filter clean clean-init clean-init-%,$(MAKECMDGOALS)),,1)

# pkginit NAME, SOURCES[, DRIVER]: the rules for one program or library.
# The call defines rules but leaves Make's default goal as it was (empty:
# the next target the Makefile defines, as if the call were not there).
define pkginit
pkginit_goal := $$(.DEFAULT_GOAL)
PKGINIT_NAMES += $(1)
$(1)_PKGINIT_DRIVER := $(or $(strip $(3)),rt0)
$(1)_PKGINIT_RECS := $$(patsubst %.c,$(PKGINIT_O)/$(1)/%.rec,$(2))
$(1)_PKGINIT_TABLE := $(PKGINIT_O)/$(1)/inittab.c
$(1)_PKGINIT_OBJ := $(PKGINIT_O)/$(1)/inittab.o
$(1)_PKGINIT_REPORT := $(PKGINIT_O)/$(1)/init.yaml
$(1)_PKGINIT_LOCK ?= $(1).init.lock.yaml
$(1)_PKGINIT_CFLAGS ?= $$(CPPFLAGS) $$(CFLAGS)
$(1)_PKGINIT_DEPS_FLAGS = $$(if $$($(1)_PKGINIT_DEPS),--deps $$($(1)_PKGINIT_DEPS))
$(1)_PKGINIT_LINK_FLAGS = $$(if $$($(1)_PKGINIT_ORDER),--order $$($(1)_PKGINIT_ORDER)) \
	$$(if $$($(1)_PKGINIT_MAIN),--main $$($(1)_PKGINIT_MAIN)) \
	$$($(1)_PKGINIT_DEPS_FLAGS)

$$($(1)_PKGINIT_RECS): $(PKGINIT_O)/$(1)/%.rec: %.c $$(PKGINIT_CONFIG_FILE)
	@mkdir -p $$(@D)
	$$(PKGINIT) scan $$(PKGINIT_SCAN_FLAGS) $$($(1)_PKGINIT_DEPS_FLAGS) -o $$@ -MF $$@.d -MP $$< -- $$($(1)_PKGINIT_CFLAGS) $$(PKGINIT_CFLAGS_$$<) $$(PKGRT_CFLAGS)

# Generated code, self-contained: compiled without the project's flags
# (position-independent, so that it links into a shared library too).
$$($(1)_PKGINIT_OBJ): $$($(1)_PKGINIT_TABLE)
	$$(CC) -fPIC -c $$< -o $$@

$(PKGINIT_O)/$(1)/link.mk: $$($(1)_PKGINIT_RECS) $$(PKGINIT_CONFIG_FILE)
	$$(PKGINIT) link $$($(1)_PKGINIT_LINK_FLAGS) --driver $$($(1)_PKGINIT_DRIVER) $$(if $$(filter shlib,$$($(1)_PKGINIT_DRIVER)),--module $(notdir $(1))) -o $$($(1)_PKGINIT_TABLE) --report $$($(1)_PKGINIT_REPORT) $$($(1)_PKGINIT_RECS)
	@echo '# made by pkginit-rules.mk: the init table of $(1) is linked from its records' > $$@

$$($(1)_PKGINIT_TABLE) $$($(1)_PKGINIT_REPORT): $(PKGINIT_O)/$(1)/link.mk

.PHONY: clean-init-$(1)
clean-init-$(1):
	rm -rf $(PKGINIT_O)/$(1)
clean-init: clean-init-$(1)

# A lock is a program's whole order: programs only.
ifneq ($$($(1)_PKGINIT_DRIVER),shlib)
.PHONY: check-init-$(1) update-init-lock-$(1)
check-init-$(1): $$($(1)_PKGINIT_RECS)
	$$(PKGINIT) check $$($(1)_PKGINIT_LINK_FLAGS) --expect $$($(1)_PKGINIT_LOCK) $$($(1)_PKGINIT_RECS)
update-init-lock-$(1): $$($(1)_PKGINIT_RECS)
	$$(PKGINIT) check --update $$($(1)_PKGINIT_LINK_FLAGS) --expect $$($(1)_PKGINIT_LOCK) $$($(1)_PKGINIT_RECS)
check-init: check-init-$(1)
endif

ifneq ($(PKGINIT_LINKING),)
include $(PKGINIT_O)/$(1)/link.mk
endif
-include $$($(1)_PKGINIT_RECS:=.d)
.DEFAULT_GOAL := $$(pkginit_goal)
endef

.PHONY: check-init clean-init
