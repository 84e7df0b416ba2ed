/* util/util.h - a package of the program itself. */
#ifndef UTIL_H
#define UTIL_H
int util_base(void);
#endif
