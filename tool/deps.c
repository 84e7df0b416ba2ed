/*
 * deps.c - what orders init functions (--deps, pkginit.yaml's 'deps:').
 */
#include "tool.h"

const char *const deps_mode_names[] = {"include", "uses", NULL};
