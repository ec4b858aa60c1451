/*
 * crc32.c - table-driven CRC-32 without SIMD or carry-less multiply.
 *
 * The boot target has no SSE/PCLMUL, so this uses only integer loads,
 * shifts and table lookups.  Two methods, both built on the linearity of
 * the CRC (the register after some data is the xor of the contributions
 * of each byte, each advanced over the bytes that follow it):
 *
 *  - Slicing by 8: fold 8 input bytes per step.  Table k holds the
 *    contribution of a byte followed by k zero bytes, so the 8 lookups of
 *    a step are independent; only the final xor feeds the next step.
 *
 *  - Interleaved lanes (64-bit hosts): the input is cut into blocks of
 *    CRC32_LANES 8-byte words and lane i takes word i of every block, with
 *    its own register.  A lane treats the other lanes' words as zeros, so
 *    its per-word step is "fold 8 bytes, then advance over
 *    8*(CRC32_LANES-1) zero bytes", which is again a slicing step, just
 *    with tables that include the extra zeros.  The lanes' dependency
 *    chains are independent, so the CPU overlaps them; since the data of
 *    the lanes interleaves, their contributions simply xor together (done
 *    in the last block, see crc32_lanes()).
 *
 *  - All-zero stretches (common in kernel images: page padding, bss) cost
 *    nothing to checksum: advancing the register over n zero bytes is
 *    multiplying it by x^(8n) modulo the polynomial, so a zero chunk of
 *    CRC32_ZCHUNK bytes is one GF(2) multiplication by a constant.
 *
 * Tables (8 or 16 KiB) are computed on first use instead of being stored
 * in the module image.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "crc32.h"
#include "util.h"

/* Reflected form of the generator polynomial 0x04C11DB7. */
#define CRC32_POLY 0xEDB88320u

#if SIZE_MAX > 0xffffffffu
#define CRC32_USE_LANES 1
#define CRC32_LANES 6
#else
#define CRC32_USE_LANES 0
#endif

/* crc32_slice[k][b]: byte b followed by k zero bytes. */
static uint32_t crc32_slice[8][256];
#if CRC32_USE_LANES
/* crc32_lane[k][b]: byte b at offset k of a lane word, i.e. followed by
 * 7-k bytes of its word and the 8*(CRC32_LANES-1) bytes of other lanes. */
static uint32_t crc32_lane[8][256];
#endif
static bool crc32_ready;

/* Zero chunks: size (a power of two) and x^(8 * CRC32_ZCHUNK) mod P. */
#define CRC32_ZCHUNK 16384
static uint32_t crc32_zchunk_mul;

/** crc32_zeros - advance register @c over @n zero bytes. */
static uint32_t crc32_zeros(uint32_t c, unsigned int n)
{
	while (n--)
		c = (c >> 8) ^ crc32_slice[0][c & 0xff];
	return c;
}

/**
 * crc32_mulmod - product of @a and @b modulo the CRC polynomial
 *
 * Polynomials are in the CRC's reflected form: bit 31 is the coefficient
 * of x^0, bit 0 that of x^31.  Shift-and-add: for each term x^i of @a add
 * b * x^i, where multiplying by x is a right shift that folds x^32 back
 * with the polynomial.
 */
static uint32_t crc32_mulmod(uint32_t a, uint32_t b)
{
	uint32_t prod = 0;

	for (int i = 0; i < 32; i++) {
		if (a & (0x80000000u >> i))
			prod ^= b;
		b = (b >> 1) ^ (CRC32_POLY & -(b & 1));
	}
	return prod;
}

/** crc32_all_zero - true if the @n bytes (a multiple of 64) at @p are 0. */
static bool crc32_all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += 64) {
		size_t acc = 0;

		for (int k = 0; k < 64; k += (int)sizeof(size_t)) {
			size_t w;

			__builtin_memcpy(&w, p + i + k, sizeof(w));
			acc |= w;
		}
		if (acc)
			return false;
	}
	return true;
}

/** crc32_init_tables - fill the tables (first call only). */
static void crc32_init_tables(void)
{
	for (unsigned int b = 0; b < 256; b++) {
		uint32_t c = b;

		for (int i = 0; i < 8; i++)
			c = (c >> 1) ^ (CRC32_POLY & -(c & 1));
		crc32_slice[0][b] = c;
	}
	for (unsigned int k = 1; k < 8; k++)
		for (unsigned int b = 0; b < 256; b++)
			crc32_slice[k][b] = crc32_zeros(crc32_slice[k - 1][b], 1);
#if CRC32_USE_LANES
	for (unsigned int k = 0; k < 8; k++)
		for (unsigned int b = 0; b < 256; b++)
			crc32_lane[k][b] = crc32_zeros(crc32_slice[0][b],
						       7 - k + 8 * (CRC32_LANES - 1));
#endif
	/* x^1 squared log2(8 * CRC32_ZCHUNK) times: x^(8 * CRC32_ZCHUNK). */
	crc32_zchunk_mul = 0x40000000u;
	for (unsigned int n = 1; n < 8 * CRC32_ZCHUNK; n *= 2)
		crc32_zchunk_mul = crc32_mulmod(crc32_zchunk_mul,
						crc32_zchunk_mul);
	crc32_ready = true;
}

/** crc32_fold8 - fold the 8 bytes of @x (little-endian, register already
 *  xored in) into a register, using the tables @t (slice or lane). */
static inline uint32_t crc32_fold8(const uint32_t (*t)[256], uint32_t lo,
				   uint32_t hi)
{
	return t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
	       t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
	       t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
	       t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
}

/**
 * crc32_slice8_run - slicing-by-8 over [*@pp, @end) (a multiple of 8
 * bytes) from register @c; advances *@pp and returns the register.
 *
 * The table base is kept in one register and one flat array is indexed:
 * with -fPIC on i386 GCC otherwise re-derives table addresses from the GOT
 * pointer for every lookup (5 more instructions per 8 bytes).
 */
static inline uint32_t crc32_slice8_run(uint32_t c, const uint8_t **pp,
					const uint8_t *end)
{
	const uint32_t *t = &crc32_slice[0][0];
	const uint8_t *p = *pp;

	__asm__("" : "+r"(t));
	while (p != end) {
		uint32_t lo = c ^ mb_le32(p);
		uint32_t hi = mb_le32(p + 4);

		p += 8;
		c = t[7 * 256 + (lo & 0xff)] ^ t[6 * 256 + ((lo >> 8) & 0xff)];
		c ^= t[5 * 256 + ((lo >> 16) & 0xff)] ^ t[4 * 256 + (lo >> 24)];
		c ^= t[3 * 256 + (hi & 0xff)] ^ t[2 * 256 + ((hi >> 8) & 0xff)];
		c ^= t[1 * 256 + ((hi >> 16) & 0xff)] ^ t[hi >> 24];
	}
	*pp = p;
	return c;
}

#if CRC32_USE_LANES
/**
 * crc32_lanes_body - run register @c over @nblocks >= 2 blocks of
 * CRC32_LANES words at *@pp; advances *@pp and returns the register.  If
 * @dst is not NULL the data is also copied there (*@dst advanced too), in
 * the same pass: each word is loaded once for both jobs.
 *
 * crc32_lane[] is indexed from the other end than crc32_slice[] (byte k
 * uses lane table k), hence the reversed table order below.
 */
static inline __attribute__((always_inline)) uint32_t
crc32_lanes_body(uint32_t c, const uint8_t **pp, size_t nblocks, uint8_t **dst)
{
	const uint8_t *p = *pp;
	const uint32_t (*t)[256] = crc32_lane;
	uint32_t s[CRC32_LANES] = { c };
	uint8_t *d = dst ? *dst : NULL;

	for (; nblocks > 1; nblocks--, p += 8 * CRC32_LANES) {
		for (int i = 0; i < CRC32_LANES; i++) {
			uint64_t w;
			uint32_t lo, hi;

			__builtin_memcpy(&w, p + 8 * i, 8);
			if (dst)
				__builtin_memcpy(d + 8 * i, &w, 8);
			lo = (uint32_t)w ^ s[i];
			hi = (uint32_t)(w >> 32);
			s[i] = t[0][lo & 0xff] ^ t[1][(lo >> 8) & 0xff] ^
			       t[2][(lo >> 16) & 0xff] ^ t[3][lo >> 24] ^
			       t[4][hi & 0xff] ^ t[5][(hi >> 8) & 0xff] ^
			       t[6][(hi >> 16) & 0xff] ^ t[7][hi >> 24];
		}
		if (dst)
			d += 8 * CRC32_LANES;
	}
	/* Last block: lane i's register sits exactly at word i, where the
	 * lanes before it have finished; fold the words in order with the
	 * plain tables, xoring in each lane's register as we reach it. */
	c = 0;
	for (int i = 0; i < CRC32_LANES; i++, p += 8) {
		if (dst) {
			__builtin_memcpy(d, p, 8);
			d += 8;
		}
		c = crc32_fold8(crc32_slice, mb_le32(p) ^ s[i] ^ c,
				mb_le32(p + 4));
	}
	*pp = p;
	if (dst)
		*dst = d;
	return c;
}

/** crc32_lanes - crc32_lanes_body() without copying. */
static uint32_t crc32_lanes(uint32_t c, const uint8_t **pp, size_t nblocks)
{
	return crc32_lanes_body(c, pp, nblocks, NULL);
}

/** crc32_lanes_copy - crc32_lanes_body() copying to *@dst. */
static uint32_t crc32_lanes_copy(uint32_t c, const uint8_t **pp,
				 size_t nblocks, uint8_t **dst)
{
	return crc32_lanes_body(c, pp, nblocks, dst);
}
#endif

/**
 * crc32_update - extend a CRC-32 over @len bytes at @buf; see crc32.h.
 *
 * Works on the pre-inverted register: the public value is the register
 * complemented, as in zlib, so crc32_update(0, ...) starts from all-ones.
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c = ~crc;

	if (!crc32_ready)
		crc32_init_tables();

	/* Byte steps until p is 8-byte aligned, so word loads are aligned
	 * (cheaper on old CPUs; on x86 any alignment is correct). */
	while (len && ((uintptr_t)p & 7)) {
		c = (c >> 8) ^ crc32_slice[0][(c ^ *p++) & 0xff];
		len--;
	}

	/* Whole chunks: skip zero ones, checksum the others.  The zero test
	 * stops at the first non-zero word, so it costs next to nothing on
	 * ordinary data. */
	for (; len >= CRC32_ZCHUNK; len -= CRC32_ZCHUNK) {
		if (crc32_all_zero(p, CRC32_ZCHUNK)) {
			c = crc32_mulmod(c, crc32_zchunk_mul);
			p += CRC32_ZCHUNK;
			continue;
		}
#if CRC32_USE_LANES
		{
			const size_t nblocks = CRC32_ZCHUNK / (8 * CRC32_LANES);

			c = crc32_lanes(c, &p, nblocks);
			for (size_t n = nblocks * 8 * CRC32_LANES;
			     n < CRC32_ZCHUNK; n += 8, p += 8)
				c = crc32_fold8(crc32_slice, c ^ mb_le32(p),
						mb_le32(p + 4));
		}
#else
		c = crc32_slice8_run(c, &p, p + CRC32_ZCHUNK);
#endif
	}
	c = crc32_slice8_run(c, &p, p + (len & ~(size_t)7));
	len &= 7;
	while (len--)
		c = (c >> 8) ^ crc32_slice[0][(c ^ *p++) & 0xff];

	return ~c;
}

/**
 * crc32_copy - copy @len bytes from @src to @dst and extend @crc over them
 *
 * Returns crc32_update(@crc, @src, @len); the regions must not overlap.
 * On 64-bit hosts the copy rides along with the checksum (one load per
 * word for both); elsewhere it copies a chunk and checksums it while it is
 * still in the cache.
 */
uint32_t crc32_copy(uint32_t crc, void *dst, const void *src, size_t len)
{
	const uint8_t *p = src;
	uint8_t *d = dst;

#if CRC32_USE_LANES
	const size_t nblocks = CRC32_ZCHUNK / (8 * CRC32_LANES);
	uint32_t c;

	if (!crc32_ready)
		crc32_init_tables();
	c = ~crc;
	for (; len >= CRC32_ZCHUNK; len -= CRC32_ZCHUNK) {
		size_t done = nblocks * 8 * CRC32_LANES;

		c = crc32_lanes_copy(c, &p, nblocks, &d);
		mb_memcpy(d, p, CRC32_ZCHUNK - done);
		crc = crc32_update(~c, p, CRC32_ZCHUNK - done);
		c = ~crc;
		p += CRC32_ZCHUNK - done;
		d += CRC32_ZCHUNK - done;
	}
	crc = ~c;
#endif
	while (len) {
		size_t n = len < CRC32_ZCHUNK ? len : CRC32_ZCHUNK;

		mb_memcpy(d, p, n);
		crc = crc32_update(crc, d, n);
		p += n;
		d += n;
		len -= n;
	}
	return crc;
}
