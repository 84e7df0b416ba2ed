/*
 * hash.c - SHA-256 (FIPS 180-4), for the scan cache's keys.
 *
 * The cache trusts a stored record when the hashes of the command and of
 * every file the TU read are equal to the ones it was stored under, so a
 * collision would hand back a wrong record without any error.  A 256-bit
 * cryptographic hash makes that impossible in practice, also for inputs
 * someone crafts, which a fast 64-bit hash would not.  The cost is small
 * here: each distinct file is hashed once per run, and the bytes hashed
 * per run are a few megabytes of headers.
 *
 * A plain portable implementation: no library, no CPU-specific code.
 *
 * hash_check64 is XXH64 (Yann Collet's xxHash, 64-bit): not a defence
 * against anyone, but ten times faster, for checksums that only need to
 * catch damage (a cache entry cut short or with flipped bits), where
 * SHA-256 over every entry was half of a warm run.
 */
#include "tool.h"

#include <string.h>

static const uint32_t hash_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void hash_block(uint32_t st[8], const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
	uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
			      ((e & f) ^ (~e & g)) + hash_k[i] + w[i];
		uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
			      ((a & b) ^ (a & c) ^ (b & c));
		h = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	st[0] += a, st[1] += b, st[2] += c, st[3] += d;
	st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

void hash_init(struct hash_ctx *h)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(h->state, iv, sizeof iv);
	h->len = 0;
}

void hash_update(struct hash_ctx *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t have = (size_t)(h->len % 64);
	h->len += n;
	if (have) {
		size_t take = 64 - have < n ? 64 - have : n;
		memcpy(h->buf + have, p, take);
		p += take, n -= take, have += take;
		if (have < 64) return;
		hash_block(h->state, h->buf);
	}
	for (; n >= 64; p += 64, n -= 64) hash_block(h->state, p);
	memcpy(h->buf, p, n);
}

void hash_final(struct hash_ctx *h, unsigned char out[HASH_SIZE])
{
	uint64_t bits = h->len * 8;
	unsigned char pad[72] = {0x80};
	size_t have = (size_t)(h->len % 64);
	size_t npad = (have < 56 ? 56 : 120) - have;
	for (int i = 0; i < 8; i++) pad[npad + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	hash_update(h, pad, npad + 8);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(h->state[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h->state[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h->state[i] >> 8);
		out[4 * i + 3] = (unsigned char)h->state[i];
	}
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

void hash_hex(const unsigned char d[HASH_SIZE], char out[2 * HASH_SIZE + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < HASH_SIZE; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * HASH_SIZE] = 0;
}

/* ---- XXH64 --------------------------------------------------------------- */

#define P1 0x9e3779b185ebca87ull
#define P2 0xc2b2ae3d27d4eb4full
#define P3 0x165667b19e3779f9ull
#define P4 0x85ebca77c2b2ae63ull
#define P5 0x27d4eb2f165667c5ull
#define ROL(x, n) (((x) << (n)) | ((x) >> (64 - (n))))

static uint64_t xxh_read64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);       /* XXH64 reads little-endian words */
#endif
	return v;
}

static uint64_t xxh_read32(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24;
}

static uint64_t xxh_round(uint64_t acc, uint64_t in)
{
	acc += in * P2;
	acc = ROL(acc, 31);
	return acc * P1;
}

static uint64_t xxh_merge(uint64_t acc, uint64_t v)
{
	acc ^= xxh_round(0, v);
	return acc * P1 + P4;
}

uint64_t hash_check64(const void *data, size_t n)
{
	const unsigned char *p = data, *end = p + n;
	uint64_t h;
	if (n >= 32) {
		uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0 - P1;
		for (; end - p >= 32; p += 32) {
			v1 = xxh_round(v1, xxh_read64(p));
			v2 = xxh_round(v2, xxh_read64(p + 8));
			v3 = xxh_round(v3, xxh_read64(p + 16));
			v4 = xxh_round(v4, xxh_read64(p + 24));
		}
		h = ROL(v1, 1) + ROL(v2, 7) + ROL(v3, 12) + ROL(v4, 18);
		h = xxh_merge(xxh_merge(xxh_merge(xxh_merge(h, v1), v2), v3), v4);
	} else {
		h = P5;
	}
	h += (uint64_t)n;
	for (; end - p >= 8; p += 8) {
		h ^= xxh_round(0, xxh_read64(p));
		h = ROL(h, 27) * P1 + P4;
	}
	if (end - p >= 4) {
		h ^= xxh_read32(p) * P1;
		h = ROL(h, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++) {
		h ^= *p * P5;
		h = ROL(h, 11) * P1;
	}
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}
