/* mathx/mathx.h - in libmathx.so, which exports only what says so. */
#ifndef MATHX_H
#define MATHX_H
__attribute__((visibility("default"))) int mathx_scale(int x);
#endif
