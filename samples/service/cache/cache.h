#ifndef CACHE_CACHE_H
#define CACHE_CACHE_H

/* A small LRU cache in front of the store. */
const char *cache_get(const char *key);

#endif
