/*
 * sha256.c - SHA-256 (FIPS 180-4 section 6.2), streaming.
 *
 * Two block functions, the same contract (run the state over n whole
 * 64-byte blocks):
 *
 *  - Portable C (the i386 module, and anywhere else).  All 64 rounds are
 *    written out, so every round constant is an immediate operand and the
 *    message-schedule indices are constants: no table base register (with
 *    -fPIC on i386 a table would cost the GOT pointer, one of the seven
 *    registers) and no loop counter.  The rounds do not move the eight
 *    working variables; the macro arguments rotate their names instead.
 *    The message schedule lives in a 16-word ring, each word replaced in
 *    place by the one 16 rounds later.  See "The round" below for the
 *    algebra that saves operations.
 *
 *  - x86-64 SHA extensions (SHA256RNDS2, SHA256MSG1/2), chosen at run time
 *    from CPUID like crc32.c's carry-less multiply.  Only in 64-bit
 *    builds: the host, and the efi64 module (UEFI runs with SSE enabled);
 *    the i386 module never contains them (PXELINUX does not enable SSE,
 *    and -march=i386 could not encode them anyway).
 *
 * The streaming layer buffers a partial block in the state; whole blocks
 * of the caller's data are hashed where they lie, without a copy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sha256.h"
#include "util.h"

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of
 * the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
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

/** Rotate @x right by @n (1..31); compilers emit one ROR for this form. */
static inline uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/** The big-endian 32-bit word at @p (any alignment).  The shifts and ors
 *  are recognised by GCC and clang as one load plus a byte swap (BSWAP on
 *  x86-64; on -march=i386, which lacks BSWAP, a ROL/ROL/ROL sequence). */
static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/** Store @v big-endian at @p. */
static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ------------------------------------------------------------------------
 * The round
 *
 * FIPS 180-4 defines, for round t,
 *
 *	T1 = h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t]
 *	T2 = Sigma0(a) + Maj(a, b, c)
 *	h = g, g = f, f = e, e = d + T1, d = c, c = b, b = a, a = T1 + T2.
 *
 * Renaming instead of moving: only d and h change value (d += T1, then h =
 * T1 + T2), and the next round is written with every argument shifted one
 * place (h becomes the new a, d the new e).  Eight rounds later the names
 * are back where they started.
 *
 * Fewer operations, each rewrite exact bit by bit:
 *
 *  - Ch(e, f, g) = (e & f) ^ (~e & g) = g ^ (e & (f ^ g)): where a bit of
 *    e is 1 this gives g ^ f ^ g = f, where it is 0 it gives g.  Three
 *    operations instead of four, and no NOT.
 *
 *  - Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)): where a and b agree the
 *    majority is that value and a ^ b is 0, leaving b; where they differ
 *    c decides, and b ^ (b ^ c) = c.  The next round's b ^ c is this
 *    round's a ^ b (its b and c are this round's a and b), so a ^ b is
 *    carried over in "ab" and each Maj costs 2 operations (XOR, AND) plus
 *    the XOR that makes the next a ^ b.
 *
 *  - Sigma1(e) = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)
 *              = ror(e ^ ror(e ^ ror(e, 14), 5), 6)
 *    (expand from the inside: ror(e ^ ror(e, 14), 5) = ror(e, 5) ^
 *    ror(e, 19), then ^ e and ror 6 gives the three terms), and likewise
 *    Sigma0(a) = ror(a ^ ror(a ^ ror(a, 9), 11), 2).  The same count of
 *    rotations and XORs, but one temporary instead of three copies of the
 *    input: on two-operand x86 that saves the register moves (and
 *    registers, which i386 has few of).  The schedule's small sigmas
 *    combine their two rotations the same way:
 *    sigma0(x) = ror(x ^ ror(x, 11), 7) ^ (x >> 3),
 *    sigma1(x) = ror(x ^ ror(x, 2), 17) ^ (x >> 10).
 * ------------------------------------------------------------------------ */
#define SHA_S0(x) ror32((x) ^ ror32((x) ^ ror32((x), 9), 11), 2)
#define SHA_S1(x) ror32((x) ^ ror32((x) ^ ror32((x), 14), 5), 6)
#define SHA_s0(x) (ror32((x) ^ ror32((x), 11), 7) ^ ((x) >> 3))
#define SHA_s1(x) (ror32((x) ^ ror32((x), 2), 17) ^ ((x) >> 10))

/* W[t] for t < 16: the block's words.  For t >= 16 the ring slot t & 15
 * holds W[t - 16] and becomes W[t] = sigma1(W[t-2]) + W[t-7] +
 * sigma0(W[t-15]) + W[t-16]. */
#define SHA_W_LOAD(t) (w[t] = load_be32(p + 4 * (t)))
#define SHA_W_NEXT(t) \
	(w[(t) & 15] += SHA_s1(w[((t) - 2) & 15]) + w[((t) - 7) & 15] + \
			SHA_s0(w[((t) - 15) & 15]))

#define SHA_ROUND(a, b, c, d, e, f, g, h, t, W)                            \
	do {                                                               \
		uint32_t t1 = h + SHA_S1(e) + (g ^ (e & (f ^ g))) +        \
			      sha256_k[t] + W(t);                          \
		uint32_t ab_next = a ^ b;                                  \
		h = SHA_S0(a) + (b ^ (ab_next & ab));                      \
		ab = ab_next;                                              \
		d += t1;                                                   \
		h += t1;                                                   \
	} while (0)

#define SHA_ROUNDS8(t, W)                                                  \
	do {                                                               \
		SHA_ROUND(a, b, c, d, e, f, g, h, (t) + 0, W);             \
		SHA_ROUND(h, a, b, c, d, e, f, g, (t) + 1, W);             \
		SHA_ROUND(g, h, a, b, c, d, e, f, (t) + 2, W);             \
		SHA_ROUND(f, g, h, a, b, c, d, e, (t) + 3, W);             \
		SHA_ROUND(e, f, g, h, a, b, c, d, (t) + 4, W);             \
		SHA_ROUND(d, e, f, g, h, a, b, c, (t) + 5, W);             \
		SHA_ROUND(c, d, e, f, g, h, a, b, (t) + 6, W);             \
		SHA_ROUND(b, c, d, e, f, g, h, a, (t) + 7, W);             \
	} while (0)

/** sha256_blocks_portable - run @h over @n 64-byte blocks at @p. */
static void sha256_blocks_portable(uint32_t h_[8], const uint8_t *p, size_t n)
{
	uint32_t w[16];

	for (; n; n--, p += MB_SHA256_BLOCK) {
		uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3];
		uint32_t e = h_[4], f = h_[5], g = h_[6], h = h_[7];
		uint32_t ab = b ^ c;	/* "the previous a ^ b" for round 0 */

		SHA_ROUNDS8(0, SHA_W_LOAD);
		SHA_ROUNDS8(8, SHA_W_LOAD);
		SHA_ROUNDS8(16, SHA_W_NEXT);
		SHA_ROUNDS8(24, SHA_W_NEXT);
		SHA_ROUNDS8(32, SHA_W_NEXT);
		SHA_ROUNDS8(40, SHA_W_NEXT);
		SHA_ROUNDS8(48, SHA_W_NEXT);
		SHA_ROUNDS8(56, SHA_W_NEXT);

		h_[0] += a;
		h_[1] += b;
		h_[2] += c;
		h_[3] += d;
		h_[4] += e;
		h_[5] += f;
		h_[6] += g;
		h_[7] += h;
	}
}

/* ------------------------------------------------------------------------
 * x86-64 SHA extensions
 *
 * SHA256RNDS2 does two rounds.  It keeps the state as two vectors, ABEF
 * (dwords from low to high: F, E, B, A) and CDGH (H, G, D, C), and takes
 * W[t] + K[t] for the two rounds from the low 64 bits of a third.  Its
 * result is the new ABEF; the old ABEF is then exactly the new CDGH (two
 * rounds shift a, b into c, d and e, f into g, h), so the two state
 * vectors simply swap roles from one call to the next, and after a pair
 * of calls (four rounds) they are back in place.
 *
 * SHA256MSG1(X, Y) gives X[i] + sigma0(the word after X[i]) for the four
 * words of X (the fourth "next" word is Y's first), i.e. W[t-16] +
 * sigma0(W[t-15]) for t .. t+3; adding W[t-7] .. W[t-4] (a 4-byte
 * realignment of the two vectors before the last) and then SHA256MSG2
 * (which adds sigma1(W[t-2]), computing W[t], W[t+1] first and feeding
 * them to W[t+2], W[t+3]) completes the next four schedule words.
 *
 * Only compiled for x86-64; the functions carry target("sha,sse4.1") so
 * the rest of the file stays baseline x86-64, and they only run when
 * CPUID says the CPU has SHA, SSSE3 and SSE4.1.  GCC's and clang's
 * builtins are used directly: <shaintrin.h> may only come via
 * <immintrin.h>, which the COM32 build cannot include.
 * ------------------------------------------------------------------------ */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(INFLATE_FORCE_32BIT) && \
	!defined(SHA256_NO_SHANI)
#define SHA256_USE_SHANI 1
#include <smmintrin.h>

/* 0 = not yet decided, 1 = use it, -1 = CPU lacks it or forced off. */
static int8_t sha256_shani_state;
static int sha256_portable_forced;

/** sha256_cpu_has_shani - CPUID: leaf 7 EBX bit 29 (SHA), leaf 1 ECX bits
 *  9 (SSSE3, for PSHUFB) and 19 (SSE4.1, for PBLENDW). */
static bool sha256_cpu_has_shani(void)
{
	uint32_t a, b, c, d;

	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (a < 7)
		return false;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!((c >> 9) & 1) || !((c >> 19) & 1))
		return false;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (b >> 29) & 1;
}

static inline bool sha256_shani_ok(void)
{
	if (!sha256_shani_state)
		sha256_shani_state = sha256_cpu_has_shani() ? 1 : -1;
	return sha256_shani_state > 0 && !sha256_portable_forced;
}

/** Two rounds: @cdgh becomes the new ABEF (see above); @wk's low half. */
#define SHANI_RNDS2(cdgh, abef, wk) \
	((cdgh) = (__m128i)__builtin_ia32_sha256rnds2((__v4si)(cdgh), \
						      (__v4si)(abef), (__v4si)(wk)))

/** sha256_blocks_shani - the portable function's contract, with SHA-NI. */
__attribute__((target("sha,sse4.1"))) static void
sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t n)
{
	/* PSHUFB mask: reverse the bytes of each dword (big-endian words). */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
					     0x0405060700010203LL);
	__m128i abcd = _mm_loadu_si128((const __m128i *)&h[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)&h[4]);
	__m128i badc = _mm_shuffle_epi32(abcd, 0xb1);	/* B A D C */
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);	/* H G F E */
	__m128i abef = _mm_alignr_epi8(badc, hgfe, 8);	/* F E B A */
	__m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);	/* H G D C */

	for (; n; n--, p += MB_SHA256_BLOCK) {
		__m128i abef0 = abef, cdgh0 = cdgh, m[4];

		/* m[g & 3] holds W[4g .. 4g+3] for group g of four rounds. */
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			__m128i wk;

			if (g < 4) {
				m[g] = _mm_shuffle_epi8(
					_mm_loadu_si128((const __m128i *)(p + 16 * g)),
					bswap);
			} else {
				__m128i t = (__m128i)__builtin_ia32_sha256msg1(
					(__v4si)m[g & 3], (__v4si)m[(g + 1) & 3]);

				t = _mm_add_epi32(t, _mm_alignr_epi8(m[(g + 3) & 3],
								     m[(g + 2) & 3], 4));
				m[g & 3] = (__m128i)__builtin_ia32_sha256msg2(
					(__v4si)t, (__v4si)m[(g + 3) & 3]);
			}
			wk = _mm_add_epi32(m[g & 3],
					   _mm_loadu_si128((const __m128i *)&sha256_k[4 * g]));
			SHANI_RNDS2(cdgh, abef, wk);		/* rounds 4g, 4g+1 */
			wk = _mm_shuffle_epi32(wk, 0x0e);	/* high half down */
			SHANI_RNDS2(abef, cdgh, wk);		/* rounds 4g+2, 4g+3 */
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	__m128i abfe = _mm_shuffle_epi32(abef, 0x1b);	/* A B E F */
	__m128i ghcd = _mm_shuffle_epi32(cdgh, 0xb1);	/* G H C D */
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(abfe, ghcd, 0xf0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(ghcd, abfe, 8));
}
#endif

/** sha256_blocks - run @h over @n whole blocks at @p, fastest code first. */
static void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
#if SHA256_USE_SHANI
	if (sha256_shani_ok()) {
		sha256_blocks_shani(h, p, n);
		return;
	}
#endif
	sha256_blocks_portable(h, p, n);
}

const char *mb_sha256_impl(void)
{
#if SHA256_USE_SHANI
	if (sha256_shani_ok())
		return "sha-ni";
#endif
	return "portable";
}

void mb_sha256_force_portable(int on)
{
#if SHA256_USE_SHANI
	sha256_portable_forced = on;
#else
	(void)on;
#endif
}

void mb_sha256_init(struct mb_sha256 *s)
{
	/* FIPS 180-4 section 5.3.3: square roots of the first 8 primes. */
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	mb_memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
}

void mb_sha256_update(struct mb_sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t have = (size_t)(s->len % MB_SHA256_BLOCK);

	s->len += n;
	if (have) {	/* complete the buffered block first */
		size_t take = MB_SHA256_BLOCK - have;

		if (n < take) {
			mb_memcpy(s->buf + have, p, n);
			return;
		}
		mb_memcpy(s->buf + have, p, take);
		sha256_blocks(s->h, s->buf, 1);
		p += take;
		n -= take;
	}
	if (n >= MB_SHA256_BLOCK) {	/* whole blocks where they lie */
		sha256_blocks(s->h, p, n / MB_SHA256_BLOCK);
		p += n & ~(size_t)(MB_SHA256_BLOCK - 1);
		n &= MB_SHA256_BLOCK - 1;
	}
	if (n)
		mb_memcpy(s->buf, p, n);
}

void mb_sha256_final(struct mb_sha256 *s, uint8_t digest[MB_SHA256_SIZE])
{
	/* Padding (FIPS 180-4 section 5.1.1): a 1 bit, zeros up to 56 bytes
	 * into a block, then the length in bits as a 64-bit big-endian
	 * number; a second block when fewer than 9 bytes are left. */
	size_t have = (size_t)(s->len % MB_SHA256_BLOCK);
	uint64_t bits = s->len * 8;

	s->buf[have++] = 0x80;
	if (have > MB_SHA256_BLOCK - 8) {
		mb_memset(s->buf + have, 0, MB_SHA256_BLOCK - have);
		sha256_blocks(s->h, s->buf, 1);
		have = 0;
	}
	mb_memset(s->buf + have, 0, MB_SHA256_BLOCK - 8 - have);
	store_be32(s->buf + 56, (uint32_t)(bits >> 32));
	store_be32(s->buf + 60, (uint32_t)bits);
	sha256_blocks(s->h, s->buf, 1);
	for (int i = 0; i < 8; i++)
		store_be32(digest + 4 * i, s->h[i]);
}

void mb_sha256(const void *data, size_t n, uint8_t digest[MB_SHA256_SIZE])
{
	struct mb_sha256 s;

	mb_sha256_init(&s);
	mb_sha256_update(&s, data, n);
	mb_sha256_final(&s, digest);
}
