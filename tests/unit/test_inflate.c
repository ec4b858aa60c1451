/*
 * test_inflate.c - unit tests for lib/crc32.c, lib/inflate.c, lib/gzip.c.
 *
 * Hand-made streams for every block type, header flag and error; streaming
 * in 1-byte and random pieces against one-shot; differential tests against
 * zlib (byte-exact output, same accept/reject decision) on generated data.
 *
 * Build: cc -O2 -g -Wall -Wextra -Ilib tests/unit/test_inflate.c lib/[*].c -lz
 * (i.e. with all of lib's .c files)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "crc32.h"
#include "gzip.h"
#include "inflate.h"

#define MB_ARRAY_SIZE_T(a) (sizeof(a) / sizeof((a)[0]))

static int n_pass, n_fail;
static int cur_failed;	/* failed checks in the current test */

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond) && ++cur_failed <= 10) {                      \
			printf("  FAIL %s:%d: %s: ", __FILE__, __LINE__,   \
			       #cond);                                    \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
		}                                                         \
	} while (0)

/** Run one test function and print its result line. */
static void run(const char *name, void (*fn)(void))
{
	cur_failed = 0;
	fn();
	printf("%s %s\n", cur_failed ? "FAIL" : "ok  ", name);
	if (cur_failed)
		n_fail++;
	else
		n_pass++;
}

/* ---- small helpers ---------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/** xorshift64* pseudo-random numbers (deterministic). */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

/** Random number in [0, n). */
static size_t rndn(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void buf_put(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void buf_byte(struct buf *b, uint8_t c)
{
	buf_put(b, &c, 1);
}

static void buf_le32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };
	buf_put(b, x, 4);
}

/** zlib deflate of @in into a malloc'ed buffer (windowBits as zlib). */
static uint8_t *zcompress(const uint8_t *in, size_t len, int level, int wbits,
			  int memlevel, int strategy, size_t *out_len)
{
	z_stream z;
	uLong cap;
	uint8_t *out;
	int r;

	memset(&z, 0, sizeof(z));
	r = deflateInit2(&z, level, Z_DEFLATED, wbits, memlevel, strategy);
	if (r != Z_OK)
		abort();
	cap = deflateBound(&z, len) + 64;
	out = malloc(cap);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	r = deflate(&z, Z_FINISH);
	if (r != Z_STREAM_END)
		abort();
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

/** zlib raw inflate; returns 1 if zlib accepts the stream (output into
 *  *out, malloc'ed), 0 if it reports an error or needs more input. */
static int zinflate_raw(const uint8_t *in, size_t len, uint8_t **out,
			size_t *out_len, size_t max_out)
{
	z_stream z;
	size_t cap = 1024;
	uint8_t *o = malloc(cap);
	int r;

	memset(&z, 0, sizeof(z));
	inflateInit2(&z, -15);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	for (;;) {
		if (z.total_out == cap) {
			cap *= 2;
			o = realloc(o, cap);
		}
		z.next_out = o + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		r = inflate(&z, Z_NO_FLUSH);
		if (r == Z_STREAM_END)
			break;
		if (r != Z_OK || z.total_out > max_out ||
		    (z.avail_in == 0 && z.avail_out != 0)) {
			inflateEnd(&z);
			free(o);
			return 0;
		}
	}
	*out = o;
	*out_len = z.total_out;
	inflateEnd(&z);
	return 1;
}

/** Wrap a raw deflate body into a gzip member with header flags @flg. */
static void gz_wrap(struct buf *b, const uint8_t *body, size_t blen,
		    const uint8_t *data, size_t dlen, uint8_t flg)
{
	size_t hstart = b->len;
	uint8_t hdr[10] = { 0x1f, 0x8b, 8, flg, 1, 2, 3, 4, 0, 3 };

	buf_put(b, hdr, 10);
	if (flg & 4) {
		buf_byte(b, 5);
		buf_byte(b, 0);
		buf_put(b, "AB\0CD", 5);
	}
	if (flg & 8)
		buf_put(b, "name.txt", 9);
	if (flg & 16)
		buf_put(b, "a comment", 10);
	if (flg & 2) {
		uint32_t c = crc32_update(0, b->p + hstart, b->len - hstart);

		buf_byte(b, (uint8_t)c);
		buf_byte(b, (uint8_t)(c >> 8));
	}
	buf_put(b, body, blen);
	buf_le32(b, crc32_update(0, data, dlen));
	buf_le32(b, (uint32_t)dlen);
}

/** gzip @data with zlib raw deflate at @level and header flags @flg. */
static void make_gz(struct buf *b, const uint8_t *data, size_t dlen, int level,
		    uint8_t flg)
{
	size_t blen;
	uint8_t *body = zcompress(data, dlen, level, -15, 8, Z_DEFAULT_STRATEGY,
				  &blen);

	gz_wrap(b, body, blen, data, dlen, flg);
	free(body);
}

/** One-shot decompress with an exact-size (malloc'ed) output buffer
 *  followed by canary bytes that must stay untouched. */
static int decomp(const uint8_t *in, size_t len, size_t cap, uint8_t **out,
		  size_t *out_len, size_t *err_pos)
{
	uint8_t *o = malloc(cap + 64);
	int r;

	memset(o + cap, 0xa5, 64);
	r = gz_decompress(in, len, o, cap, out_len, err_pos);
	for (int i = 0; i < 64; i++)
		CHECK(o[cap + i] == 0xa5, "write past out_cap at +%d", i);
	*out = o;
	return r;
}

/** Streaming decompress, feeding pieces of random size up to @maxpiece
 *  (1 = byte by byte).  Returns the final status. */
static int stream_decomp(const uint8_t *in, size_t len, uint8_t *out,
			 size_t cap, size_t maxpiece, size_t *out_len)
{
	static struct gz_stream s;
	size_t pos = 0;
	int r = GZ_NEED_INPUT;

	gz_stream_init(&s, out, cap);
	while (pos < len) {
		size_t n = maxpiece == 1 ? 1 : 1 + rndn(maxpiece);

		if (n > len - pos)
			n = len - pos;
		r = gz_stream_feed(&s, in + pos, n);
		pos += n;
		if (r != GZ_OK && r != GZ_NEED_INPUT)
			return r;
	}
	return gz_stream_finish(&s, out_len);
}

/* ---- bit writer for hand-made DEFLATE streams ------------------------- */

struct bw {
	uint8_t b[4096];
	size_t bits;
};

static void bw_put(struct bw *w, uint32_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, w->bits++) {
		if ((w->bits & 7) == 0)
			w->b[w->bits >> 3] = 0;
		w->b[w->bits >> 3] |= ((v >> i) & 1) << (w->bits & 7);
	}
}

/** Write Huffman codeword @code of @len bits, most significant bit first. */
static void bw_code(struct bw *w, uint32_t code, unsigned int len)
{
	while (len--)
		bw_put(w, (code >> len) & 1, 1);
}

static size_t bw_bytes(const struct bw *w)
{
	return (w->bits + 7) >> 3;
}

/** Canonical codewords for @lens (RFC 1951 3.2.2). */
static void canon(const uint8_t *lens, int n, uint32_t *codes)
{
	int count[16] = { 0 }, next[16];
	int code = 0;

	for (int i = 0; i < n; i++)
		count[lens[i]]++;
	count[0] = 0;
	for (int l = 1; l < 16; l++) {
		code = (code + count[l - 1]) << 1;
		next[l] = code;
	}
	for (int i = 0; i < n; i++)
		if (lens[i])
			codes[i] = (uint32_t)next[lens[i]]++;
}

static const uint8_t pre_order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
				       11, 4,  12, 3, 13, 2, 14, 1, 15 };

/**
 * Write a dynamic block header.  @lens holds nlit + ndist code lengths;
 * they are sent with a precode where symbols 0-15 all have 4-bit codes.
 * Optional @raw_pre overrides that: pre_lens and a list of precode symbols
 * (with extra bits) written verbatim.
 */
static void bw_dyn_header(struct bw *w, int final, int nlit, int ndist,
			  const uint8_t *lens)
{
	uint8_t pre_lens[19] = { 0 };
	uint32_t pre_codes[19];

	for (int i = 0; i < 16; i++)
		pre_lens[i] = 4;
	canon(pre_lens, 19, pre_codes);
	bw_put(w, (uint32_t)final, 1);
	bw_put(w, 2, 2);
	bw_put(w, (uint32_t)(nlit - 257), 5);
	bw_put(w, (uint32_t)(ndist - 1), 5);
	bw_put(w, 19 - 4, 4);
	for (int i = 0; i < 19; i++)
		bw_put(w, pre_lens[pre_order[i]], 3);
	for (int i = 0; i < nlit + ndist; i++)
		bw_code(w, pre_codes[lens[i]], 4);
}

/** Gzip-wrap a hand-made deflate body whose output is @data. */
static void wrap_bw(struct buf *b, const struct bw *w, const void *data,
		    size_t dlen)
{
	gz_wrap(b, w->b, bw_bytes(w), data, dlen, 0);
}

/** Expect gz_decompress(@in) to return @want (and, if OK, @data). */
static void expect(const struct buf *in, int want, const void *data,
		   size_t dlen, size_t cap)
{
	uint8_t *o, *o2 = malloc(cap + 1);
	size_t olen = 0, ep = 0, olen2 = 0;
	int r = decomp(in->p, in->len, cap, &o, &olen, &ep);
	int r2;

	CHECK(r == want, "got %d (%s), want %d (%s)", r, gz_strerror(r), want,
	      gz_strerror(want));
	if (r == GZ_OK && want == GZ_OK) {
		CHECK(olen == dlen && !memcmp(o, data, dlen), "bad output");
	}
	if (r != GZ_OK)
		CHECK(ep <= in->len, "err_pos %zu beyond input %zu", ep, in->len);
	r2 = stream_decomp(in->p, in->len, o2, cap, 1, &olen2);
	CHECK(r2 == want, "streaming 1-byte: got %d want %d", r2, want);
	free(o);
	free(o2);
}

/* ---- tests ------------------------------------------------------------ */

static void test_crc32(void)
{
	static uint8_t data[10000];

	CHECK(crc32_update(0, "123456789", 9) == 0xcbf43926u, "check value");
	CHECK(crc32_update(0, "", 0) == 0, "empty");
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rnd();
	for (int t = 0; t < 300; t++) {
		size_t off = rndn(64), len = rndn(sizeof(data) - 64);
		size_t cut = rndn(len + 1);
		uint32_t want = (uint32_t)crc32(0, data + off, (uInt)len);
		uint32_t got = crc32_update(crc32_update(0, data + off, cut),
					    data + off + cut, len - cut);

		CHECK(crc32_update(0, data + off, len) == want, "len %zu", len);
		CHECK(got == want, "chained at %zu of %zu", cut, len);
	}
	/* crc32_copy: same CRC, exact copy, nothing written past the end. */
	{
		static uint8_t big[100000], dst[100000 + 64];

		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = (uint8_t)rnd();
		for (int t = 0; t < 60; t++) {
			size_t off = rndn(64), len = rndn(sizeof(big) - 64);
			uint32_t want = (uint32_t)crc32(7, big + off, (uInt)len);

			memset(dst, 0xa5, sizeof(dst));
			CHECK(crc32_copy(7, dst + off, big + off, len) == want,
			      "copy crc len %zu", len);
			CHECK(!memcmp(dst + off, big + off, len), "copy data");
			CHECK(dst[off + len] == 0xa5, "copy overrun");
		}
	}
	/* Long buffers with zero stretches (skipped by multiplication). */
	{
		size_t n = 300000;
		uint8_t *z = calloc(n, 1);

		for (int t = 0; t < 40; t++) {
			size_t off = rndn(64), len = rndn(n - 64);
			size_t cut = rndn(len + 1);
			uint32_t want, got;

			memset(z, 0, n);
			for (int k = (int)rndn(6); k > 0; k--)
				z[rndn(n)] = (uint8_t)(1 + rndn(255));
			want = (uint32_t)crc32(t, z + off, (uInt)len);
			got = crc32_update(crc32_update(t, z + off, cut),
					   z + off + cut, len - cut);
			CHECK(got == want, "zeros: len %zu cut %zu", len, cut);
		}
		free(z);
	}
}

/*
 * Both CRC implementations (carry-less multiply where the build and CPU
 * have it, and the tables) against each other and zlib: every length
 * 0..5000 at several alignments (all the tail and lane-count cases and the
 * fold constants), crc32_copy likewise, and large buffers with zero
 * chunks (skipped by multiplication) and random chunks mixed.
 */
static void test_crc32_paths(void)
{
	static const size_t aligns[] = { 0, 1, 3, 7, 8, 13, 15, 16 };
	const bool two = crc32_force_table(false);
	size_t n = 5000 + 64, big = 3 << 20;
	uint8_t *src = malloc(n), *dst = malloc(n + 64), *z = malloc(big);

	printf("  (carry-less multiply version %s)\n",
	       two ? "present: comparing both" : "absent: tables only");
	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)rnd();
	for (size_t len = 0; len <= 5000; len++) {
		for (size_t a = 0; a < MB_ARRAY_SIZE_T(aligns); a++) {
			const uint8_t *p = src + aligns[a];
			uint32_t seed = (uint32_t)rnd();
			uint32_t want = (uint32_t)crc32(seed, p, (uInt)len);
			uint32_t fast, slow, cfast, cslow;

			fast = crc32_update(seed, p, len);
			memset(dst, 0x5a, n + 64);
			cfast = crc32_copy(seed, dst + aligns[(a + 3) % 8], p, len);
			CHECK(!memcmp(dst + aligns[(a + 3) % 8], p, len) &&
			      dst[aligns[(a + 3) % 8] + len] == 0x5a,
			      "copy data len %zu", len);
			crc32_force_table(true);
			slow = crc32_update(seed, p, len);
			cslow = crc32_copy(seed, dst, p, len);
			crc32_force_table(false);
			CHECK(fast == want && slow == want, "len %zu align %zu: "
			      "%08x / %08x, zlib %08x", len, aligns[a], fast,
			      slow, want);
			CHECK(cfast == want && cslow == want, "copy len %zu", len);
		}
	}
	/* 3 MiB of 16 KiB pieces, each zero, random, or zero with a few
	 * random bytes; random lengths and offsets, chained at a cut. */
	for (size_t off = 0; off < big; off += 16384) {
		int kind = (int)rndn(3);

		for (size_t i = off; i < off + 16384; i++)
			z[i] = kind == 1 ? (uint8_t)rnd() : 0;
		if (kind == 2)
			z[off + rndn(16384)] = (uint8_t)(1 + rndn(255));
	}
	for (int t = 0; t < 40; t++) {
		size_t off = rndn(64), len = t ? rndn(big - 64) : big - 64;
		size_t cut = rndn(len + 1);
		uint32_t want = (uint32_t)crc32(t, z + off, (uInt)len);
		uint32_t fast, slow, chained;

		fast = crc32_update(t, z + off, len);
		chained = crc32_update(crc32_update(t, z + off, cut),
				       z + off + cut, len - cut);
		crc32_force_table(true);
		slow = crc32_update(t, z + off, len);
		crc32_force_table(false);
		CHECK(fast == want && slow == want && chained == want,
		      "big len %zu: %08x %08x %08x want %08x", len, fast, slow,
		      chained, want);
	}
	free(src);
	free(dst);
	free(z);
}

static void test_empty_and_stored(void)
{
	struct buf b = { 0 };
	struct bw w = { { 0 }, 0 };
	static const char hello[] = "hello, world";

	/* Fixed block holding only end-of-block: empty file. */
	bw_put(&w, 1, 1);
	bw_put(&w, 1, 2);
	bw_put(&w, 0, 7);
	wrap_bw(&b, &w, "", 0);
	expect(&b, GZ_OK, "", 0, 0);

	/* Stored blocks: empty non-final, then final "hello, world". */
	b.len = 0;
	w.bits = 0;
	bw_put(&w, 0, 3);
	bw_put(&w, 0, 5);
	bw_put(&w, 0x0000, 16);
	bw_put(&w, 0xffff, 16);
	bw_put(&w, 1, 3);
	bw_put(&w, 0, 5);
	bw_put(&w, 12, 16);
	bw_put(&w, (uint16_t)~12, 16);
	for (int i = 0; i < 12; i++)
		bw_put(&w, (uint8_t)hello[i], 8);
	wrap_bw(&b, &w, hello, 12);
	expect(&b, GZ_OK, hello, 12, 12);
	expect(&b, GZ_ERR_OUTPUT_FULL, NULL, 0, 11);

	/* NLEN mismatch */
	b.p[10 + 5 + 3] ^= 1;
	b.len = 10 + bw_bytes(&w);
	buf_le32(&b, crc32_update(0, hello, 12));
	buf_le32(&b, 12);
	expect(&b, GZ_ERR_STORED_LEN, NULL, 0, 100);
	free(b.p);
}

static void test_block_type_3(void)
{
	struct buf b = { 0 };
	struct bw w = { { 0 }, 0 };

	bw_put(&w, 1, 1);
	bw_put(&w, 3, 2);
	bw_put(&w, 0, 16);
	wrap_bw(&b, &w, "", 0);
	expect(&b, GZ_ERR_BLOCK_TYPE, NULL, 0, 10);
	free(b.p);
}

/** Fixed-code litlen codeword for symbol @s. */
static void fixed_lit(struct bw *w, int s)
{
	if (s < 144)
		bw_code(w, 0x30 + s, 8);
	else if (s < 256)
		bw_code(w, 0x190 + s - 144, 9);
	else if (s < 280)
		bw_code(w, s - 256, 7);
	else
		bw_code(w, 0xc0 + s - 280, 8);
}

static void test_fixed_handmade(void)
{
	struct buf b = { 0 };
	struct bw w = { { 0 }, 0 };

	/* "ab" + match(len 4, dist 2) = "ababab"; len 258 (sym 285) too. */
	bw_put(&w, 1, 1);
	bw_put(&w, 1, 2);
	fixed_lit(&w, 'a');
	fixed_lit(&w, 'b');
	fixed_lit(&w, 258);	/* length 4 */
	bw_code(&w, 1, 5);	/* distance 2 */
	fixed_lit(&w, 256);
	wrap_bw(&b, &w, "ababab", 6);
	expect(&b, GZ_OK, "ababab", 6, 6);
	expect(&b, GZ_ERR_OUTPUT_FULL, NULL, 0, 5);

	/* distance 3 after 2 bytes: too far */
	b.len = 0;
	w.bits = 0;
	bw_put(&w, 1, 1);
	bw_put(&w, 1, 2);
	fixed_lit(&w, 'a');
	fixed_lit(&w, 'b');
	fixed_lit(&w, 258);
	bw_code(&w, 2, 5);	/* distance 3 */
	fixed_lit(&w, 256);
	wrap_bw(&b, &w, "", 0);
	expect(&b, GZ_ERR_DISTANCE, NULL, 0, 100);

	/* litlen symbol 286 and distance symbol 30 are invalid */
	for (int k = 0; k < 2; k++) {
		b.len = 0;
		w.bits = 0;
		bw_put(&w, 1, 1);
		bw_put(&w, 1, 2);
		fixed_lit(&w, 'a');
		if (k == 0) {
			fixed_lit(&w, 286);
		} else {
			fixed_lit(&w, 258);
			bw_code(&w, 30, 5);
		}
		for (int i = 0; i < 4; i++)
			fixed_lit(&w, 'x');
		fixed_lit(&w, 256);
		wrap_bw(&b, &w, "", 0);
		expect(&b, GZ_ERR_INVALID_CODE, NULL, 0, 100);
	}

	/* A long run of 258-byte matches at distance 1 (big output). */
	{
		static uint8_t big[258 * 200 + 1];

		memset(big, 'z', sizeof(big));
		b.len = 0;
		w.bits = 0;
		bw_put(&w, 1, 1);
		bw_put(&w, 1, 2);
		fixed_lit(&w, 'z');
		for (int i = 0; i < 200; i++) {
			fixed_lit(&w, 285);
			bw_code(&w, 0, 5);
		}
		fixed_lit(&w, 256);
		wrap_bw(&b, &w, big, sizeof(big));
		expect(&b, GZ_OK, big, sizeof(big), sizeof(big));
	}
	free(b.p);
}

/** Write a dynamic block with the given litlen/dist lengths and check. */
static void dyn_case(int nlit, int ndist, const uint8_t *lens, int want)
{
	struct buf b = { 0 };
	struct bw w = { { 0 }, 0 };

	bw_dyn_header(&w, 1, nlit, ndist, lens);
	bw_put(&w, 0, 32);	/* some body bits */
	wrap_bw(&b, &w, "", 0);
	expect(&b, want, NULL, 0, 100);
	free(b.p);
}

static void test_dynamic_handmade(void)
{
	uint8_t lens[320];
	uint32_t codes[320];
	struct buf b = { 0 };
	struct bw w = { { 0 }, 0 };

	/* 'a','b',EOB,len3 with 2-bit codes; one 1-bit distance code. */
	memset(lens, 0, sizeof(lens));
	lens['a'] = lens['b'] = lens[256] = lens[257] = 2;
	lens[258] = 1;	/* dist code 0 (distance 1), alone */
	bw_dyn_header(&w, 1, 258, 1, lens);
	canon(lens, 258, codes);
	bw_code(&w, codes['a'], 2);
	bw_code(&w, codes['b'], 2);
	bw_code(&w, codes[257], 2);
	bw_code(&w, 0, 1);
	bw_code(&w, codes[256], 2);
	wrap_bw(&b, &w, "abbbb", 5);
	expect(&b, GZ_OK, "abbbb", 5, 5);

	/* ... and the unused 1-bit distance codeword is invalid. */
	b.len = 0;
	w.bits = 0;
	bw_dyn_header(&w, 1, 258, 1, lens);
	bw_code(&w, codes['a'], 2);
	bw_code(&w, codes[257], 2);
	bw_code(&w, 1, 1);
	bw_code(&w, codes[256], 2);
	bw_put(&w, 0, 16);
	wrap_bw(&b, &w, "", 0);
	expect(&b, GZ_ERR_INVALID_CODE, NULL, 0, 100);

	/* No distance codes at all is fine for a literal-only block, */
	lens[258] = 0;
	b.len = 0;
	w.bits = 0;
	bw_dyn_header(&w, 1, 258, 1, lens);
	bw_code(&w, codes['b'], 2);
	bw_code(&w, codes[256], 2);
	wrap_bw(&b, &w, "b", 1);
	expect(&b, GZ_OK, "b", 1, 1);
	/* but a match then has an invalid distance code. */
	b.len = 0;
	w.bits = 0;
	bw_dyn_header(&w, 1, 258, 1, lens);
	bw_code(&w, codes['b'], 2);
	bw_code(&w, codes[257], 2);
	bw_put(&w, 0, 24);
	wrap_bw(&b, &w, "", 0);
	expect(&b, GZ_ERR_INVALID_CODE, NULL, 0, 100);

	/* Only end-of-block, a lone 1-bit code: valid, empty. */
	memset(lens, 0, sizeof(lens));
	lens[256] = 1;
	b.len = 0;
	w.bits = 0;
	bw_dyn_header(&w, 1, 257, 1, lens);
	bw_code(&w, 0, 1);
	wrap_bw(&b, &w, "", 0);
	expect(&b, GZ_OK, "", 0, 0);

	/* Over-subscribed, incomplete, missing end-of-block. */
	memset(lens, 0, sizeof(lens));
	lens['a'] = lens['b'] = lens['c'] = lens[256] = lens[257] = 2;
	dyn_case(258, 1, lens, GZ_ERR_HUFFMAN_TABLE);
	lens['c'] = 0;
	lens[257] = 0;
	dyn_case(258, 1, lens, GZ_ERR_HUFFMAN_TABLE);
	lens['c'] = 2;
	lens[257] = 2;
	lens[256] = 0;
	lens['d'] = 2;
	dyn_case(258, 1, lens, GZ_ERR_HUFFMAN_TABLE);
	/* Over-subscribed / incomplete distance code. */
	memset(lens, 0, sizeof(lens));
	lens['a'] = lens['b'] = lens[256] = lens[257] = 2;
	lens[258] = lens[259] = lens[260] = 1;
	dyn_case(258, 3, lens, GZ_ERR_HUFFMAN_TABLE);
	lens[258] = 2;
	lens[259] = 2;
	lens[260] = 0;
	dyn_case(258, 3, lens, GZ_ERR_HUFFMAN_TABLE);
	lens[258] = 1;
	lens[259] = 1;
	/* complete 2-code distance tree: valid; the zero body is 48 literals
	 * and then simply runs out of input */
	dyn_case(258, 3, lens, GZ_ERR_TRUNCATED);
	free(b.p);
}

/** Dynamic header with hand-written precode and precode symbols. */
static void precode_case(int nlit, int ndist, int npre, const uint8_t *pre_lens,
			 const int *syms, int want)
{
	struct buf b = { 0 };
	struct bw w = { { 0 }, 0 };
	uint32_t pcodes[19];

	canon(pre_lens, 19, pcodes);
	bw_put(&w, 1, 1);
	bw_put(&w, 2, 2);
	bw_put(&w, (uint32_t)(nlit - 257), 5);
	bw_put(&w, (uint32_t)(ndist - 1), 5);
	bw_put(&w, (uint32_t)(npre - 4), 4);
	for (int i = 0; i < npre; i++)
		bw_put(&w, pre_lens[pre_order[i]], 3);
	for (int i = 0; syms[i] >= 0; i += 3) {
		bw_code(&w, pcodes[syms[i]], pre_lens[syms[i]]);
		bw_put(&w, (uint32_t)syms[i + 1], (unsigned int)syms[i + 2]);
	}
	bw_put(&w, 0, 32);
	wrap_bw(&b, &w, "", 0);
	expect(&b, want, NULL, 0, 100);
	free(b.p);
}

static void test_bad_precode(void)
{
	uint8_t pl[19] = { 0 };
	static const int first16[] = { 16, 0, 2, -1 };
	static const int overflow[] = { 18, 127, 7, 18, 127, 7, 18, 127, 7, -1 };
	static const int ok_zeros[] = { 18, 127, 7, 18, 127, 7, -1 };

	/* precode: 0,2? no: symbols 16,17,18,1 with 2-bit codes */
	pl[16] = pl[17] = pl[18] = pl[1] = 2;
	precode_case(257, 1, 19, pl, first16, GZ_ERR_HUFFMAN_TABLE);
	/* 3 x 138 zeros > 258 lengths */
	precode_case(257, 1, 19, pl, overflow, GZ_ERR_HUFFMAN_TABLE);
	/* 276 zeros > 258 too, but 2 x 138 = 276 - only 258 wanted */
	precode_case(257, 1, 19, pl, ok_zeros, GZ_ERR_HUFFMAN_TABLE);
	/* over-subscribed precode */
	pl[2] = 2;
	precode_case(257, 1, 19, pl, first16, GZ_ERR_HUFFMAN_TABLE);
	/* incomplete precode */
	pl[2] = 0;
	pl[1] = 0;
	precode_case(257, 1, 19, pl, first16, GZ_ERR_HUFFMAN_TABLE);
	/* HLIT 287/288, HDIST 31/32 */
	pl[1] = 2;
	precode_case(287, 1, 19, pl, first16, GZ_ERR_HUFFMAN_TABLE);
	precode_case(288, 1, 19, pl, first16, GZ_ERR_HUFFMAN_TABLE);
	precode_case(257, 31, 19, pl, first16, GZ_ERR_HUFFMAN_TABLE);
	precode_case(257, 32, 19, pl, first16, GZ_ERR_HUFFMAN_TABLE);
}

static void test_long_codes(void)
{
	/* Skewed complete codes: lengths 1..14,15,15 for litlen (uses
	 * subtables) and for distances 0-15 (dist subtables). */
	uint8_t lens[320] = { 0 };
	uint32_t lc[288], dc[32];
	static const int lsyms[16] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
				       'i', 'j', 'k', 'l', 'm', 257, 256, 'z' };
	struct buf b = { 0 };
	struct bw w = { { 0 }, 0 };
	uint8_t want[4096];
	size_t n = 0;

	for (int i = 0; i < 16; i++)
		lens[lsyms[i]] = (uint8_t)(i < 15 ? i + 1 : 15);
	for (int i = 0; i < 16; i++)
		lens[286 + i] = (uint8_t)(i < 15 ? i + 1 : 15);
	canon(lens, 286, lc);
	canon(lens + 286, 16, dc);
	bw_dyn_header(&w, 1, 286, 16, lens);
	/* 300 literals cycling over all literal symbols, then matches with
	 * every distance symbol (extra bits 0). */
	for (int i = 0; i < 300; i++) {
		int s = lsyms[i % 16];

		if (s == 256 || s == 257)
			s = 'z';
		bw_code(&w, lc[s], lens[s]);
		want[n++] = (uint8_t)s;
	}
	for (int d = 0; d < 16; d++) {
		static const int base[16] = { 1, 2, 3, 4, 5, 7, 9, 13,
					      17, 25, 33, 49, 65, 97, 129, 193 };
		static const int ext[16] = { 0, 0, 0, 0, 1, 1, 2, 2,
					     3, 3, 4, 4, 5, 5, 6, 6 };

		bw_code(&w, lc[257], lens[257]);	/* length 3 */
		bw_code(&w, dc[d], lens[286 + d]);
		bw_put(&w, 0, (unsigned int)ext[d]);
		for (int k = 0; k < 3; k++, n++)
			want[n] = want[n - (size_t)base[d]];
	}
	bw_code(&w, lc[256], lens[256]);
	wrap_bw(&b, &w, want, n);
	expect(&b, GZ_OK, want, n, n);
	free(b.p);
}

static void test_header_flags(void)
{
	static uint8_t data[3000];
	struct buf b = { 0 };

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)("abcdefgh"[rndn(8)]);
	for (int flg = 0; flg < 32; flg++) {
		b.len = 0;
		make_gz(&b, data, sizeof(data), 6, (uint8_t)flg);
		expect(&b, GZ_OK, data, sizeof(data), sizeof(data));
		CHECK(!cur_failed, "flags %#x", flg);
		if (flg & 2) {
			/* corrupt the header CRC */
			size_t hl = 10 + (flg & 4 ? 7 : 0) + (flg & 8 ? 9 : 0) +
				    (flg & 16 ? 10 : 0);

			b.p[hl] ^= 0x40;
			expect(&b, GZ_ERR_HEADER_CRC, NULL, 0, sizeof(data));
		}
	}
	for (int bit = 5; bit < 8; bit++) {
		b.len = 0;
		make_gz(&b, data, 10, 6, (uint8_t)(1 << bit));
		expect(&b, GZ_ERR_RESERVED_FLAGS, NULL, 0, 100);
	}
	b.len = 0;
	make_gz(&b, data, 10, 6, 0);
	b.p[2] = 7;
	expect(&b, GZ_ERR_METHOD, NULL, 0, 100);
	b.p[2] = 8;
	b.p[1] = 0x8c;
	expect(&b, GZ_ERR_NOT_GZIP, NULL, 0, 100);
	CHECK(!gz_is_gzip(b.p, b.len), "is_gzip on bad magic");
	b.p[1] = 0x8b;
	CHECK(gz_is_gzip(b.p, b.len), "is_gzip");
	CHECK(!gz_is_gzip(b.p, 1), "is_gzip short");
	CHECK(gz_isize(b.p, b.len) == 10, "isize");
	free(b.p);
}

static void test_trailer_errors(void)
{
	static uint8_t data[5000];
	struct buf b = { 0 };

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rndn(4);
	make_gz(&b, data, sizeof(data), 9, 0);
	b.p[b.len - 8] ^= 1;
	expect(&b, GZ_ERR_CRC, NULL, 0, sizeof(data));
	b.p[b.len - 8] ^= 1;
	b.p[b.len - 4] ^= 1;
	expect(&b, GZ_ERR_ISIZE, NULL, 0, sizeof(data));
	b.p[b.len - 4] ^= 1;
	expect(&b, GZ_OK, data, sizeof(data), sizeof(data));
	expect(&b, GZ_ERR_OUTPUT_FULL, NULL, 0, sizeof(data) - 1);
	expect(&b, GZ_ERR_OUTPUT_FULL, NULL, 0, 0);
	free(b.p);
}

static void test_members_and_garbage(void)
{
	static uint8_t data[7000];
	struct buf b = { 0 };
	size_t one;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 / 13);
	make_gz(&b, data, 3000, 6, 0);
	make_gz(&b, data + 3000, 4000, 1, 8);
	make_gz(&b, data + 7000, 0, 6, 0);
	one = b.len;
	expect(&b, GZ_OK, data, 7000, 7000);
	expect(&b, GZ_ERR_OUTPUT_FULL, NULL, 0, 6999);
	buf_put(&b, "\0\0\0\0\0\0\0\0\0\0", 10);
	expect(&b, GZ_OK, data, 7000, 7000);
	buf_byte(&b, 'x');
	expect(&b, GZ_ERR_TRAILING_GARBAGE, NULL, 0, 7000);
	b.len = one;
	buf_byte(&b, 'x');
	expect(&b, GZ_ERR_TRAILING_GARBAGE, NULL, 0, 7000);
	b.len = one;
	buf_put(&b, "\x1f\x8c", 2);
	expect(&b, GZ_ERR_TRAILING_GARBAGE, NULL, 0, 7000);
	b.len = one;
	buf_put(&b, "\x1f\x8b\x08", 3);
	expect(&b, GZ_ERR_TRUNCATED, NULL, 0, 7000);
	/* zeros, then a member: treated as garbage */
	b.len = one;
	buf_put(&b, "\0\0", 2);
	make_gz(&b, data, 10, 6, 0);
	expect(&b, GZ_ERR_TRAILING_GARBAGE, NULL, 0, 7100);
	/* empty input */
	b.len = 0;
	expect(&b, GZ_ERR_TRUNCATED, NULL, 0, 10);
	free(b.p);
}

static void test_truncation(void)
{
	static uint8_t data[600];
	struct buf b = { 0 };
	uint8_t out[700];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)"the quick brown fox "[rndn(20)];
	for (int variant = 0; variant < 3; variant++) {
		b.len = 0;
		if (variant == 2) {
			/* stored */
			size_t blen;
			uint8_t *body = zcompress(data, 300, 0, -15, 8,
						  Z_DEFAULT_STRATEGY, &blen);

			gz_wrap(&b, body, blen, data, 300, 30);
			free(body);
		} else {
			make_gz(&b, data, variant ? 300 : 600,
				variant ? 9 : 6, 30);
		}
		for (size_t n = 0; n < b.len; n++) {
			uint8_t *o;
			size_t olen, ep;
			int r = decomp(b.p, n, 700, &o, &olen, &ep);

			CHECK(r == GZ_ERR_TRUNCATED, "prefix %zu: %d", n, r);
			free(o);
			r = stream_decomp(b.p, n, out, sizeof(out), 7, &olen);
			CHECK(r == GZ_ERR_TRUNCATED, "stream prefix %zu: %d",
			      n, r);
		}
	}
	free(b.p);
}

static void test_raw_api(void)
{
	static uint8_t data[20000], out[20000];
	static struct inflate_state st;
	size_t clen, olen, used;
	uint8_t *c;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(rndn(3) ? 'a' + rndn(3) : rnd());
	c = zcompress(data, sizeof(data), 6, -15, 8, Z_DEFAULT_STRATEGY, &clen);
	CHECK(inflate_raw(&st, c, clen, out, sizeof(out), &olen, &used) ==
		      GZ_OK, "raw");
	CHECK(olen == sizeof(data) && !memcmp(out, data, olen), "raw data");
	CHECK(used == clen, "used %zu of %zu", used, clen);
	CHECK(inflate_raw(&st, c, clen - 1, out, sizeof(out), &olen, &used) ==
		      GZ_ERR_TRUNCATED, "raw trunc");
	free(c);
}

/* Generated data of various kinds for differential tests. */
static void gen(uint8_t *p, size_t n, int kind)
{
	size_t i = 0;

	switch (kind) {
	case 0:	/* random */
		for (; i < n; i++)
			p[i] = (uint8_t)rnd();
		break;
	case 1:	/* small alphabet */
		for (; i < n; i++)
			p[i] = (uint8_t)('a' + rndn(1 + (i >> 12 & 15)));
		break;
	case 2:	/* runs */
		while (i < n) {
			size_t r = 1 + rndn(rndn(2) ? 4 : 600);
			uint8_t c = (uint8_t)rndn(4);

			for (; r-- && i < n; i++)
				p[i] = c;
		}
		break;
	case 3:	/* copies of earlier data at random distances (text-like) */
		while (i < n) {
			if (i > 10 && rndn(3)) {
				size_t d = 1 + rndn(i < 40000 ? i : 40000);
				size_t l = 3 + rndn(rndn(4) ? 20 : 300);

				for (; l-- && i < n; i++)
					p[i] = p[i - d];
			} else {
				p[i++] = (uint8_t)(' ' + rndn(90));
			}
		}
		break;
	default: /* skewed byte distribution: long Huffman codes */
		for (; i < n; i++) {
			uint64_t r = rnd();
			int b = __builtin_ctzll(r | (1ull << 40));

			p[i] = (uint8_t)(b * 6 + (r >> 60) % 6);
		}
		break;
	}
}

static void test_zlib_differential(void)
{
	static const int strategies[] = { Z_DEFAULT_STRATEGY, Z_FILTERED,
					  Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED };
	size_t total = 0;
	int cases = 0;

	for (int t = 0; t < 6000; t++) {
		size_t n = rndn(4) ? rndn(3000) : rndn(rndn(8) ? 40000 : 300000);
		int kind = (int)rndn(5);
		int level = (int)rndn(10);
		int strategy = strategies[rndn(5)];
		int wbits = 9 + (int)rndn(7);
		int memlevel = 1 + (int)rndn(9);
		uint8_t *data = malloc(n + 1), *z, *o;
		size_t zlen, olen = 0, ep;
		int r;

		gen(data, n, kind);
		z = zcompress(data, n, level, 16 + wbits, memlevel, strategy,
			      &zlen);
		r = decomp(z, zlen, n, &o, &olen, &ep);
		CHECK(r == GZ_OK && olen == n && !memcmp(o, data, n),
		      "case %d: n %zu kind %d level %d strat %d wbits %d mem %d: r=%d",
		      t, n, kind, level, strategy, wbits, memlevel, r);
		if (t % 10 == 0) {
			memset(o, 0, n);
			r = stream_decomp(z, zlen, o, n, 1 + rndn(t % 20 ? 5000 : 3),
					  &olen);
			CHECK(r == GZ_OK && olen == n && !memcmp(o, data, n),
			      "stream case %d: r=%d", t, r);
		}
		total += n;
		cases++;
		free(o);
		free(z);
		free(data);
		if (cur_failed)
			break;
	}
	printf("  %d zlib streams, %zu bytes\n", cases, total);
}

/* Corrupt valid raw streams; ours must accept exactly when zlib does,
 * with the same output. */
static void test_corruption_vs_zlib(void)
{
	static struct inflate_state st;
	int agree_ok = 0, agree_err = 0;

	for (int t = 0; t < 8000; t++) {
		size_t n = 1 + rndn(rndn(4) ? 200 : 5000);
		uint8_t *data = malloc(n), *z, *zo = NULL, *o;
		size_t zlen, zolen = 0, olen = 0;
		int zok, r, nflips = 1 + (int)rndn(3);

		gen(data, n, (int)rndn(5));
		z = zcompress(data, n, (int)rndn(10), -15, 8,
			      rndn(3) ? Z_DEFAULT_STRATEGY : Z_FIXED, &zlen);
		for (int f = 0; f < nflips; f++)
			z[rndn(zlen)] ^= (uint8_t)(1u << rndn(8));
		zok = zinflate_raw(z, zlen, &zo, &zolen, 4 * n + 1000);
		o = malloc(zok ? zolen + 1 : 4 * n + 1000);
		r = inflate_raw(&st, z, zlen, o, zok ? zolen : 4 * n + 1000,
				&olen, NULL);
		if (zok) {
			CHECK(r == GZ_OK && olen == zolen && !memcmp(o, zo, zolen),
			      "case %d: zlib ok, we %d (%s)", t, r, gz_strerror(r));
			agree_ok++;
		} else {
			CHECK(r != GZ_OK || olen > 4 * n + 999,
			      "case %d: zlib rejects, we accept", t);
			agree_err++;
		}
		free(zo);
		free(o);
		free(z);
		free(data);
		if (cur_failed)
			break;
	}
	printf("  corrupted streams: %d accepted, %d rejected by both\n",
	       agree_ok, agree_err);
}

static void test_streaming_errors_match(void)
{
	/* Error streams give the same status fed one byte at a time and in
	 * random chunks as in one shot. */
	static uint8_t data[20000], out[20000];
	struct buf b = { 0 };

	gen(data, sizeof(data), 3);
	for (int t = 0; t < 200; t++) {
		uint8_t *o;
		size_t olen, ep, olen2;
		int r1, r2;

		b.len = 0;
		make_gz(&b, data, sizeof(data), (int)rndn(10), (uint8_t)rndn(32));
		if (t)
			b.p[rndn(b.len)] ^= (uint8_t)(1u << rndn(8));
		r1 = decomp(b.p, b.len, sizeof(data), &o, &olen, &ep);
		r2 = stream_decomp(b.p, b.len, out, sizeof(out),
				   t & 1 ? 1 : 1 + rndn(3000), &olen2);
		CHECK(r1 == r2, "case %d: one-shot %d, streaming %d", t, r1, r2);
		if (r1 == GZ_OK)
			CHECK(olen == olen2 && !memcmp(o, out, olen), "data");
		free(o);
	}
	free(b.p);
}

int main(void)
{
	run("crc32", test_crc32);
	run("crc32 carry-less multiply vs tables vs zlib", test_crc32_paths);
	run("empty and stored blocks", test_empty_and_stored);
	run("block type 3", test_block_type_3);
	run("fixed blocks, distance, invalid codes", test_fixed_handmade);
	run("dynamic blocks and bad tables", test_dynamic_handmade);
	run("bad precode / repeats / counts", test_bad_precode);
	run("long codes (subtables)", test_long_codes);
	run("header flags", test_header_flags);
	run("trailer CRC/ISIZE, output full", test_trailer_errors);
	run("members, padding, trailing garbage", test_members_and_garbage);
	run("truncation at every byte", test_truncation);
	run("raw inflate API", test_raw_api);
	run("streaming errors match one-shot", test_streaming_errors_match);
	run("corruption vs zlib", test_corruption_vs_zlib);
	run("zlib differential", test_zlib_differential);
	printf("inflate: %d passed, %d failed\n", n_pass, n_fail);
	return n_fail != 0;
}
