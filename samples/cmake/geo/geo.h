/* geo/geo.h - in libgeo.so. */
#ifndef GEO_H
#define GEO_H
int geo_area(int side);
#endif
