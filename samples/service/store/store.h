#ifndef STORE_STORE_H
#define STORE_STORE_H

/* A key-value store: a hash table sized from store.buckets. */
int store_put(const char *key, const char *value);
const char *store_get(const char *key);

#endif
