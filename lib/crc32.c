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
 * On x86-64 (the host and the efi64 module: UEFI runs with SSE enabled)
 * long buffers go to a carry-less multiply (PCLMULQDQ) version instead,
 * chosen at run time from CPUID; see "Carry-less multiply folding" below.
 * The i386 module never contains it (PXELINUX does not enable SSE).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "crc32.h"
#include "util.h"

/* Reflected form of the generator polynomial 0x04C11DB7. */
#define CRC32_POLY 0xEDB88320u

/* INFLATE_FORCE_32BIT (host tests of the i386 code paths, see inflate.mk)
 * also selects the i386 CRC code: slicing by 8 only. */
#if SIZE_MAX > 0xffffffffu && !defined(INFLATE_FORCE_32BIT)
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

/* ------------------------------------------------------------------------
 * Carry-less multiply folding (x86-64 only)
 *
 * Notation.  Data is a polynomial over GF(2); the first bit of the stream
 * (bit 0 of the first byte) is its highest-degree coefficient.  With
 * P = x^32 + ... + 1 the generator, the CRC register after a message M of
 * N bits, started from register c, is
 *
 *	(c * x^N + M * x^32) mod P,
 *
 * and since c * x^N = (c * x^(N-32)) * x^32, starting from c is the same as
 * starting from 0 with c xored into the first 32 bits of M.  The register's
 * bit i is the coefficient of x^(31-i) ("reflected": the CRC's own order).
 *
 * A 16-byte little-endian load puts stream bit k into vector bit k, so
 * vector bit k is the coefficient of x^(127-k) of that 128-bit piece: the
 * reflected form of a polynomial of degree < 128.  Likewise a 64-bit half
 * holds a degree < 64 polynomial with bit i <-> x^(63-i).
 *
 * Folding.  Let X (degree < 128) be congruent mod P to the data so far.
 * After n more bits D, the data is X * x^n + D.  Write X = H * x^64 + L
 * (H = low qword, the earlier bytes; L = high qword); then
 *
 *	X * x^n + D  ==  H * (x^(n+64) mod P) + L * (x^n mod P) + D  (mod P)
 *
 * and both products have degree < 64 + 32, so the right side again fits
 * 128 bits: the data is "folded" into one vector without ever reducing it
 * fully.  Every step only ever replaces something by a congruent value,
 * which is why the result stays exact.  With 8 independent accumulators
 * over interleaved 16-byte pieces (accumulator i takes pieces i, i+8, ...)
 * n is 1024 bits, and the 8 chains overlap in the CPU; at the end they are
 * folded into one (accumulator i by 128 * (7 - i) bits, in pairs).
 *
 * PCLMULQDQ on reflected operands.  Multiplying qwords A and B (bit i <->
 * x^(63-i)) gives bit k = sum over i + j = k of A_i B_j, the coefficient
 * of x^(126-k) of the product; read as a reflected 128-bit value (bit k <->
 * x^(127-k)) it is A * B * x.  A 32-bit constant r in reflected form placed
 * in the low half of a qword stands for r * x^32 (its bit j <-> x^(63-j)),
 * so multiplying by it yields A * r * x^33.  Hence the fold constants are
 *
 *	K_H(n) = x^(n+64-33) mod P,  K_L(n) = x^(n-33) mod P
 *
 * (reflected 32-bit values in the low half of the qword), and the products
 * A * r * x^33 have degree <= 63 + 31 + 33 = 127: they fit.
 *
 * Final reduction of X to the register X * x^32 mod P:
 *  1. X * x^32 = H * x^96 + L * x^32.  Here the constant goes in the HIGH
 *     half of the qword (r << 32 stands for r itself, the product is
 *     A * r * x) so the result stays low-degree: H * (x^95 mod P) * x has
 *     degree <= 95, i.e. vector bits 32..127; L * x^32 is L moved to vector
 *     bits 32..95.  Their sum U has degree < 96 and U == X * x^32.
 *  2. U = U1 * x^64 + U0 (U1 = vector bits 32..63, degree < 32): the same
 *     way U1 * (x^63 mod P) * x + U0 == U, degree < 64, in the high qword.
 *  3. Barrett reduction of that V = V1 * x^32 + V0 (two 32-bit halves):
 *     with mu = floor(x^64 / P) (degree 32), Q = floor(V1 * mu / x^32) is
 *     exactly floor(V / P) [V1 * x^64 = V1 * mu * P + V1 * (x^64 mod P);
 *     dividing by x^32 * P leaves a remainder of degree < 32], so
 *     V mod P = V0 + (Q * P mod x^32).  With V1 and Q in the low 32 bits
 *     (standing for V1 * x^32, Q * x^32) and mu, P as 33-bit reflected
 *     values (bit i <-> x^(32-i); they stand for mu * x^31, P * x^31), the
 *     products are V1 * mu * x^64, whose low 32 bits are Q, and
 *     Q * P * x^64, whose bits 32..63 are Q * P mod x^32.
 *
 * The constants were computed with the reflected shift-and-xor loop of
 * crc32_mulmod() (x^0 = 0x80000000; times x: shift right, xor 0xEDB88320
 * if bit 0 fell out) and plain polynomial long division for mu:
 *
 *	x^63 = 0xb8bc6765   x^95 = 0xccaa009e   x^159 = 0xae689191
 *	x^223 = 0x81256527  x^287 = 0xf1da05aa  x^479 = 0x1d9513d7
 *	x^543 = 0x8f352d95  x^991 = 0x910eeec1  x^1055 = 0x33fff533
 *	mu = x^64 div P = 0x104d101df, reflected over 33 bits 0x1f7011641
 *	P reflected over 33 bits: 0x1db710641
 *
 * and the unit test compares this path with the table code and zlib on
 * every length 0..5000 at several alignments (any wrong constant shows).
 * ------------------------------------------------------------------------ */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(INFLATE_FORCE_32BIT) && \
	!defined(CRC32_NO_CLMUL)
#define CRC32_USE_CLMUL 1
/* GCC's and clang's own intrinsics header (found with -nostdinc via
 * -iwithprefix include); the functions using it carry target("pclmul"),
 * the rest of the file stays baseline x86-64. */
#include <wmmintrin.h>

#define CLMUL_FN static inline __attribute__((always_inline, target("pclmul")))

/* Below this many bytes the table code wins (the vector set-up and the
 * final reduction cost about as much as 64 bytes of table steps). */
#define CRC32_CLMUL_MIN 64

/* {K_H(n), K_L(n)}: low qword multiplies H, high qword multiplies L. */
#define CRC32_K(kh, kl) _mm_set_epi64x((long long)(kl), (long long)(kh))

/* 0 = not yet decided, 1 = use it, -1 = CPU lacks it or forced off. */
static int8_t crc32_clmul_state;

/** crc32_cpu_has_clmul - CPUID leaf 1: ECX bit 1 is PCLMULQDQ.  (SSE2, for
 *  the other vector instructions used, is part of x86-64.) */
static bool crc32_cpu_has_clmul(void)
{
	uint32_t a, b, c, d;

	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return (c >> 1) & 1;
}

static inline bool crc32_clmul_ok(void)
{
	if (!crc32_clmul_state)
		crc32_clmul_state = crc32_cpu_has_clmul() ? 1 : -1;
	return crc32_clmul_state > 0;
}

/** crc32_fold - X * x^n + D as above, K = CRC32_K(K_H(n), K_L(n)). */
CLMUL_FN __m128i crc32_fold(__m128i x, __m128i k, __m128i d)
{
	return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00),
					   _mm_clmulepi64_si128(x, k, 0x11)),
			     d);
}

/** crc32_load - 16 bytes at @p; with @dst also stored to @dst + @i. */
CLMUL_FN __m128i crc32_load(const uint8_t *p, uint8_t *dst, size_t i)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(p + i));

	if (dst)
		_mm_storeu_si128((__m128i *)(dst + i), v);
	return v;
}

/**
 * crc32_clmul_body - run register @c over the first @len & ~15 bytes at
 * @p (@len >= 16) and return the register; if @dst is not NULL the bytes
 * are also copied there as they are loaded (each 16-byte piece is loaded
 * once for both jobs; the copy gets the data itself, the register is
 * xored into the first piece only after it was stored).
 */
CLMUL_FN uint32_t crc32_clmul_body(uint32_t c, const uint8_t *p, size_t len,
				   uint8_t *dst)
{
	const __m128i k128 = CRC32_K(0xae689191, 0xccaa009e);	/* x^159, x^95 */
	__m128i x0, u, v, q;
	uint64_t v64;

	if (len >= 128) {
		const __m128i k1024 = CRC32_K(0x33fff533, 0x910eeec1);
		const __m128i k512 = CRC32_K(0x8f352d95, 0x1d9513d7);
		const __m128i k256 = CRC32_K(0xf1da05aa, 0x81256527);
		__m128i x1, x2, x3, x4, x5, x6, x7;

		x0 = crc32_load(p, dst, 0);
		x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)c));
		x1 = crc32_load(p, dst, 16);
		x2 = crc32_load(p, dst, 32);
		x3 = crc32_load(p, dst, 48);
		x4 = crc32_load(p, dst, 64);
		x5 = crc32_load(p, dst, 80);
		x6 = crc32_load(p, dst, 96);
		x7 = crc32_load(p, dst, 112);
		p += 128;
		if (dst)
			dst += 128;
		len -= 128;
		for (; len >= 128; len -= 128) {
			x0 = crc32_fold(x0, k1024, crc32_load(p, dst, 0));
			x1 = crc32_fold(x1, k1024, crc32_load(p, dst, 16));
			x2 = crc32_fold(x2, k1024, crc32_load(p, dst, 32));
			x3 = crc32_fold(x3, k1024, crc32_load(p, dst, 48));
			x4 = crc32_fold(x4, k1024, crc32_load(p, dst, 64));
			x5 = crc32_fold(x5, k1024, crc32_load(p, dst, 80));
			x6 = crc32_fold(x6, k1024, crc32_load(p, dst, 96));
			x7 = crc32_fold(x7, k1024, crc32_load(p, dst, 112));
			p += 128;
			if (dst)
				dst += 128;
		}
		/* Eight accumulators 16 bytes apart into one: x0..x3 are
		 * 64 bytes before x4..x7, then 32, then 16. */
		x0 = crc32_fold(x0, k512, x4);
		x1 = crc32_fold(x1, k512, x5);
		x2 = crc32_fold(x2, k512, x6);
		x3 = crc32_fold(x3, k512, x7);
		x0 = crc32_fold(x0, k256, x2);
		x1 = crc32_fold(x1, k256, x3);
		x0 = crc32_fold(x0, k128, x1);
	} else {
		x0 = crc32_load(p, dst, 0);
		x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)c));
		p += 16;
		if (dst)
			dst += 16;
		len -= 16;
	}
	for (; len >= 16; len -= 16) {
		x0 = crc32_fold(x0, k128, crc32_load(p, dst, 0));
		p += 16;
		if (dst)
			dst += 16;
	}

	/* Final reduction, steps 1-3 above.  (The unsigned constants
	 * shifted to the high half convert to long long modulo 2^64.) */
	u = _mm_clmulepi64_si128(x0, _mm_cvtsi64_si128(
			(long long)(0xccaa009eull << 32)), 0x00); /* x^95 */
	u = _mm_xor_si128(u, _mm_slli_si128(_mm_srli_si128(x0, 8), 4));
	v = _mm_clmulepi64_si128(u, _mm_cvtsi64_si128(
			(long long)(0xb8bc6765ull << 32)), 0x00); /* x^63 */
	v = _mm_xor_si128(v, u);
	v64 = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v));
	q = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)(uint32_t)v64),
				 _mm_cvtsi64_si128(0x1f7011641ll), 0x00);
	q = _mm_clmulepi64_si128(_mm_cvtsi32_si128(_mm_cvtsi128_si32(q)),
				 _mm_cvtsi64_si128(0x1db710641ll), 0x00);
	return (uint32_t)(v64 >> 32) ^
	       (uint32_t)((uint64_t)_mm_cvtsi128_si64(q) >> 32);
}

/** crc32_all_zero_sse - crc32_all_zero() 64 bytes per step (SSE2, part of
 *  x86-64); the scalar loop manages only a quarter of that. */
static __attribute__((noinline, target("pclmul"))) bool
crc32_all_zero_sse(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += 64) {
		__m128i a = _mm_or_si128(crc32_load(p, NULL, i),
					 crc32_load(p, NULL, i + 16));
		__m128i b = _mm_or_si128(crc32_load(p, NULL, i + 32),
					 crc32_load(p, NULL, i + 48));

		a = _mm_cmpeq_epi8(_mm_or_si128(a, b), _mm_setzero_si128());
		if (_mm_movemask_epi8(a) != 0xffff)
			return false;
	}
	return true;
}

/** crc32_clmul - register @c over @len & ~15 bytes at @p (@len >= 16). */
static __attribute__((noinline, target("pclmul"))) uint32_t
crc32_clmul(uint32_t c, const uint8_t *p, size_t len)
{
	return crc32_clmul_body(c, p, len, NULL);
}

/** crc32_clmul_copy - crc32_clmul(), copying the bytes to @dst too. */
static __attribute__((noinline, target("pclmul"))) uint32_t
crc32_clmul_copy(uint32_t c, uint8_t *dst, const uint8_t *p, size_t len)
{
	return crc32_clmul_body(c, p, len, dst);
}
#else
#define CRC32_USE_CLMUL 0
#endif

/** crc32_force_table - see crc32.h. */
bool crc32_force_table(bool on)
{
#if CRC32_USE_CLMUL
	crc32_clmul_state = 0;
	if (!crc32_clmul_ok())
		return false;
	if (on)
		crc32_clmul_state = -1;
	return true;
#else
	(void)on;
	return false;
#endif
}

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

#if CRC32_USE_CLMUL
	if (len >= CRC32_CLMUL_MIN && crc32_clmul_ok()) {
		/* Zero chunks are skipped here too: testing 16 KiB for zero
		 * reads it several times faster than PCLMULQDQ folds it,
		 * and stops at the first non-zero word. */
		for (; len >= CRC32_ZCHUNK; len -= CRC32_ZCHUNK) {
			if (crc32_all_zero_sse(p, CRC32_ZCHUNK))
				c = crc32_mulmod(c, crc32_zchunk_mul);
			else
				c = crc32_clmul(c, p, CRC32_ZCHUNK);
			p += CRC32_ZCHUNK;
		}
		if (len >= 16) {
			c = crc32_clmul(c, p, len);
			p += len & ~(size_t)15;
			len &= 15;
		}
		while (len--)
			c = (c >> 8) ^ crc32_slice[0][(c ^ *p++) & 0xff];
		return ~c;
	}
#endif

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
 * With PCLMULQDQ, and with the table lanes on other 64-bit hosts, the copy
 * rides along with the checksum (one load per piece for both); elsewhere
 * it copies a chunk and checksums it while it is still in the cache.
 */
uint32_t crc32_copy(uint32_t crc, void *dst, const void *src, size_t len)
{
	const uint8_t *p = src;
	uint8_t *d = dst;

#if CRC32_USE_CLMUL
	if (len >= CRC32_CLMUL_MIN && crc32_clmul_ok()) {
		size_t n = len & ~(size_t)15;

		crc = ~crc32_clmul_copy(~crc, d, p, len);
		mb_memcpy(d + n, p + n, len - n);
		return crc32_update(crc, p + n, len - n);
	}
#endif

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
