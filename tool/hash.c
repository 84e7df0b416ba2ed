/*
 * hash.c - the scan cache's hashes: SHA-256 for its keys and for the
 * contents of the files a record depends on, XXH64 for the checksum of
 * an entry.  Both come from libraries (nettle, libxxhash); this file
 * gives them the tool's names and adds how lists of strings are hashed.
 *
 * SHA-256: the cache trusts a stored record when the hashes of the
 * command and of every file the TU read equal the ones it was stored
 * under, so a collision would hand back a wrong record without any
 * error.  A cryptographic hash makes that impossible in practice, also
 * for file contents someone crafts (a vendored header), which a fast
 * non-cryptographic one like XXH3-128 would not.  Keeping that costs
 * nothing measurable: nettle's SHA-256 uses the CPU's SHA instructions
 * where it has them (1.15 GB/s here, against 7.8 GB/s for XXH3-128), and
 * a cold scan hashes well under a megabyte of headers per process.
 * spec/dependencies.md has the figures.
 *
 * hash_check64 is XXH64 with seed 0: not a defence against anyone, but
 * fast, for checksums that only need to catch damage (a cache entry cut
 * short or with flipped bits), where SHA-256 over every entry was half of
 * a warm run.  XXH64 rather than the newer XXH3 because the checksum is
 * part of the cache's entry format: the same function keeps every entry
 * written before valid.
 */
#include "tool.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

void hash_init(struct hash_ctx *h) { sha256_init(&h->sha); }

void hash_update(struct hash_ctx *h, const void *data, size_t n)
{
	sha256_update(&h->sha, n, data);
}

void hash_final(struct hash_ctx *h, unsigned char out[HASH_SIZE])
{
	sha256_digest(&h->sha, HASH_SIZE, out);
}

void hash_buf(const void *data, size_t n, unsigned char out[HASH_SIZE])
{
	struct hash_ctx h;
	hash_init(&h);
	hash_update(&h, data, n);
	hash_final(&h, out);
}

/* Length first, so that ("ab", "c") and ("a", "bc") differ. */
void hash_str(struct hash_ctx *h, const char *s)
{
	uint64_t n = s ? strlen(s) + 1 : 0;     /* NULL differs from "" */
	unsigned char len[8];
	for (int i = 0; i < 8; i++) len[i] = (unsigned char)(n >> (8 * i));
	hash_update(h, len, sizeof len);
	if (s) hash_update(h, s, n - 1);
}

void hash_file_id(struct hash_ctx *h, const char *path)
{
	struct stat st;
	char id[128] = "absent";
	if (stat(path, &st) == 0)
		snprintf(id, sizeof id, "%ju %ju %jd %jd.%09ld",
			 (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
			 (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec);
	hash_str(h, id);
}

void hash_hex(const unsigned char d[HASH_SIZE], char out[2 * HASH_SIZE + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < HASH_SIZE; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * HASH_SIZE] = 0;
}

uint64_t hash_check64(const void *data, size_t n)
{
	return XXH64(data, n, 0);
}
