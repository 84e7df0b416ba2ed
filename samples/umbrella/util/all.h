/* util/all.h - everything, for every file: the umbrella header.
 *
 * Each directory's header includes this one and this one includes every
 * directory's header, so every directory includes every other, as in
 * many codebases that grew up without a package structure.  Any order of
 * the four directories by their #includes is a cycle. */
#ifndef UTIL_ALL_H
#define UTIL_ALL_H

#include "util/log.h"
#include "core/core.h"
#include "os/os.h"
#include "net/net.h"

#endif
