# pkginit.mk - Make rules for programs whose init order pkginit computes.
#
# In your Makefile:
#
#     PROG := server
#     SRCS := main.c log/log.c db/db.c db/pool.c
#     CFLAGS := -std=c11 -Wall -O2 -I.
#     include /usr/local/share/pkginit/pkginit.mk
#
# and you get:
#
#     make                   $(O)/$(PROG), linked with the pkgrt runtime
#     make check-init        compare the init order with $(PKGINIT_LOCK)
#     make update-init-lock  write the current order to $(PKGINIT_LOCK)
#     make clean-init        remove what these rules built
#
# How it works.  Each x.c gets a scan record $(O)/x.rec beside its object
# $(O)/x.o, written by `pkginit scan` with a depfile, so `make -j` scans in
# parallel and touching a header rescans exactly the TUs that include it.
# `pkginit link` turns the records into the init table $(O)/inittab.c and
# the report $(O)/init.yaml, and leaves the table untouched when the order
# did not change.  For that to stop the rebuild there, the link runs while
# Make remakes an included makefile ($(O)/pkginit-link.mk): Make then
# restarts and compares the table's real timestamp with its object's, so
# an unchanged order compiles nothing, and a second `make` (or `make -q`)
# finds everything up to date.
#
# Variables you may set (before or after the include):
#
#   PROG            the program's name (required)
#   SRCS            its C sources, relative to this directory (required)
#   O               build directory (default .): make O=build
#   CC, CFLAGS, CPPFLAGS, LDFLAGS, LDLIBS   as usual; the scan sees
#                   CPPFLAGS and CFLAGS, as the compiler does
#   PKGINIT_ROOTS   directories holding packages (default .)
#   PKGINIT_ORDER   lex or import (default: pkginit.yaml's order, else lex)
#   PKGINIT_DEPS    include or uses: what orders init functions, passed as
#                   --deps to scan, link and check (default: pkginit.yaml's
#                   deps, else include)
#   PKGINIT_CACHE   pkginit's scan cache (default $(O)/.pkginit-cache;
#                   empty: no cache)
#   PKGINIT_MAIN    the main package, when several define main()
#   PKGINIT_LOCK    the lock file (default init.lock.yaml)
#   PKGINIT_PREFIX  where pkginit is installed (default: found from the
#                   location of this file)
#   PKGINIT_RUNTIME pkgrt (default) or another pkg-config name of the
#                   runtime (pkgrt-musl, pkgrt-nolibc, ...)
#   PKGINIT_DRIVER  what runs the init table: rt0 (default), the runtime;
#                   ctor, a constructor in the table; manual, the program
#                   calling pkgrt_run_inits().  With ctor and manual the
#                   program links without the runtime (PKGRT_LIBS is
#                   empty).  After changing it: make clean-init.

PKGINIT_MK_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
PKGINIT_PREFIX ?= $(abspath $(PKGINIT_MK_DIR)/../..)
PKGINIT ?= $(PKGINIT_PREFIX)/bin/pkginit
PKGINIT_RUNTIME ?= pkgrt
PKGINIT_DRIVER ?= rt0
PKGINIT_PKG_CONFIG = PKG_CONFIG_PATH=$(PKGINIT_PREFIX)/lib/pkgconfig$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} pkg-config
PKGRT_CFLAGS ?= $(shell $(PKGINIT_PKG_CONFIG) --cflags $(PKGINIT_RUNTIME))
PKGRT_LIBS ?= $(if $(filter rt0,$(PKGINIT_DRIVER)),$(shell $(PKGINIT_PKG_CONFIG) --libs $(PKGINIT_RUNTIME)))

O ?= .
PKGINIT_ROOTS ?= .
PKGINIT_ORDER ?=
PKGINIT_DEPS ?=
PKGINIT_CACHE ?= $(O)/.pkginit-cache
# pkginit reads ./pkginit.yaml by itself; a change to it must rescan.
PKGINIT_CONFIG_FILE := $(wildcard pkginit.yaml)
PKGINIT_LOCK ?= init.lock.yaml
PKGINIT_MAIN ?=

ifeq ($(strip $(PROG)),)
$(error pkginit.mk: set PROG to the program's name before including pkginit.mk)
endif
ifeq ($(strip $(SRCS)),)
$(error pkginit.mk: set SRCS to the program's C sources before including pkginit.mk)
endif

PKGINIT_OBJS := $(patsubst %.c,$(O)/%.o,$(SRCS))
PKGINIT_RECS := $(patsubst %.c,$(O)/%.rec,$(SRCS))
PKGINIT_TABLE := $(O)/inittab.c
PKGINIT_REPORT := $(O)/init.yaml
PKGINIT_DEPS_FLAGS = $(if $(PKGINIT_DEPS),--deps $(PKGINIT_DEPS))
PKGINIT_LINK_FLAGS = $(if $(PKGINIT_ORDER),--order $(PKGINIT_ORDER)) $(if $(PKGINIT_MAIN),--main $(PKGINIT_MAIN)) \
	$(PKGINIT_DEPS_FLAGS)
PKGINIT_SCAN_FLAGS = $(addprefix --root ,$(PKGINIT_ROOTS)) $(PKGINIT_DEPS_FLAGS) \
	$(if $(PKGINIT_CACHE),--cache $(PKGINIT_CACHE),--no-cache)

.PHONY: all check-init update-init-lock clean-init
all: $(O)/$(PROG)

$(O)/$(PROG): $(PKGINIT_OBJS) $(O)/inittab.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(PKGRT_LIBS)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKGRT_CFLAGS) -MMD -MP -c $< -o $@

$(O)/%.rec: %.c $(PKGINIT_CONFIG_FILE)
	@mkdir -p $(@D)
	$(PKGINIT) scan $(PKGINIT_SCAN_FLAGS) -o $@ -MF $(O)/$*.rec.d -MP $< -- $(CPPFLAGS) $(CFLAGS) $(PKGRT_CFLAGS)

# The table is generated code: compiled without the program's flags.
$(O)/inittab.o: $(PKGINIT_TABLE)
	$(CC) -c $< -o $@

# Linking the records happens while Make remakes this included makefile
# (see the top of this file).  The table and the report are its side
# outputs; they exist once it has been made.
$(O)/pkginit-link.mk: $(PKGINIT_RECS) $(PKGINIT_CONFIG_FILE)
	$(PKGINIT) link $(PKGINIT_LINK_FLAGS) --driver $(PKGINIT_DRIVER) -o $(PKGINIT_TABLE) --report $(PKGINIT_REPORT) $(PKGINIT_RECS)
	@echo '# made by pkginit.mk: the init table is linked from the records' > $@

$(PKGINIT_TABLE) $(PKGINIT_REPORT): $(O)/pkginit-link.mk

check-init: $(PKGINIT_RECS)
	$(PKGINIT) check $(PKGINIT_LINK_FLAGS) --expect $(PKGINIT_LOCK) $(PKGINIT_RECS)

update-init-lock: $(PKGINIT_RECS)
	$(PKGINIT) check --update $(PKGINIT_LINK_FLAGS) --expect $(PKGINIT_LOCK) $(PKGINIT_RECS)

clean-init:
	rm -f $(O)/$(PROG) $(PKGINIT_OBJS) $(PKGINIT_OBJS:.o=.d) $(PKGINIT_RECS) \
	      $(PKGINIT_RECS:.rec=.rec.d) $(O)/inittab.o $(PKGINIT_TABLE) \
	      $(PKGINIT_REPORT) $(O)/pkginit-link.mk
	$(if $(PKGINIT_CACHE),rm -rf $(PKGINIT_CACHE))

# Cleaning must not first scan and link everything.  A plain include (not
# -include): when linking fails, for example on an import cycle, make stops
# there with pkginit's diagnostics.
ifeq ($(filter clean clean-init,$(MAKECMDGOALS)),)
include $(O)/pkginit-link.mk
endif
-include $(PKGINIT_OBJS:.o=.d) $(PKGINIT_RECS:.rec=.rec.d)
