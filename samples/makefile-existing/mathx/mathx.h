/* mathx/mathx.h - a package that lives in a shared library, libmathx.so. */
#ifndef MATHX_H
#define MATHX_H
#define MATHX_API __attribute__((visibility("default")))
MATHX_API int mathx_scale(int x);
#endif
