# runtime/runtime.mk - libpkgrt, included by the top-level Makefile.
# (Filled in by the runtime work; this stub keeps the build working.)
RUNTIME_UNIT_BINS :=
.PHONY: install-runtime
runtime:
install-runtime:
