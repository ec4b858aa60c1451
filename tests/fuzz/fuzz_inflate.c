/*
 * fuzz_inflate.c - libFuzzer target for lib/inflate.c and lib/gzip.c.
 *
 * For each input (first byte: seed for the streaming split):
 *   - raw DEFLATE: inflate_raw() must accept exactly what zlib accepts,
 *     with identical output;
 *   - gzip: one-shot and streaming (random piece sizes) must agree on the
 *     status and output; when zlib decodes the input as exactly one gzip
 *     member our result must be the same bytes, when zlib rejects the
 *     first member we must reject too.
 * Output buffers are malloc'ed at their exact size so ASan reports any
 * write past the end.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilib \
 *        tests/fuzz/fuzz_inflate.c lib/[*].c -lz
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gzip.h"
#include "inflate.h"

#define MAX_OUT (1u << 20)

#define ASSERT(c)                                                        \
	do {                                                             \
		if (!(c))                                                \
			__builtin_trap();                                \
	} while (0)

/**
 * zlib_inflate - decode @in with zlib (@wbits: -15 raw, 31 gzip)
 * Returns 1 and a malloc'ed *out if zlib reaches the end of the stream
 * with at most MAX_OUT bytes of output; *used gets the input consumed and
 * *rejected is set if zlib found the data invalid or cut short (rather
 * than just too big).
 */
static int zlib_inflate(const uint8_t *in, size_t len, int wbits,
			uint8_t **out, size_t *out_len, size_t *used,
			int *rejected)
{
	z_stream z;
	uint8_t *o = malloc(MAX_OUT);
	int r;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		abort();
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = o;
	z.avail_out = MAX_OUT;
	r = inflate(&z, Z_FINISH);
	*out_len = z.total_out;
	*used = z.total_in;
	*rejected = r == Z_DATA_ERROR || (r == Z_BUF_ERROR && z.avail_out);
	inflateEnd(&z);
	if (r != Z_STREAM_END) {
		free(o);
		return 0;
	}
	*out = o;
	return 1;
}

/** stream_decode - gz_stream_* over @in in pseudo-random pieces. */
static int stream_decode(const uint8_t *in, size_t len, uint8_t *out,
			 size_t cap, uint32_t seed, size_t *out_len)
{
	static struct gz_stream s;
	size_t pos = 0;

	gz_stream_init(&s, out, cap);
	while (pos < len) {
		size_t n;
		int r;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % (seed & 0x100 ? 7 : 700);
		if (n > len - pos)
			n = len - pos;
		r = gz_stream_feed(&s, in + pos, n);
		pos += n;
		if (r != GZ_OK && r != GZ_NEED_INPUT)
			return r;
	}
	return gz_stream_finish(&s, out_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct inflate_state st;
	uint8_t *zout = NULL, *out, *out2;
	size_t zlen = 0, zused = 0, olen = 0, olen2 = 0, cap;
	uint32_t seed;
	int zok, zbad, r, r2;

	if (size < 1)
		return 0;
	seed = data[0];
	data++;
	size--;

	/* Raw DEFLATE against zlib. */
	zok = zlib_inflate(data, size, -15, &zout, &zlen, &zused, &zbad);
	cap = zok ? zlen : (size * 16 + 1024 < MAX_OUT ? size * 16 + 1024 : MAX_OUT);
	out = malloc(cap ? cap : 1);
	r = inflate_raw(&st, data, size, out, cap, &olen, NULL);
	if (zok)
		ASSERT(r == GZ_OK && olen == zlen && !memcmp(out, zout, zlen));
	else if (zbad)
		ASSERT(r != GZ_OK);
	free(out);
	free(zout);
	zout = NULL;

	/* gzip: one-shot vs streaming vs zlib. */
	zok = zlib_inflate(data, size, 31, &zout, &zlen, &zused, &zbad);
	cap = zok ? zlen : (size * 16 + 1024 < MAX_OUT ? size * 16 + 1024 : MAX_OUT);
	out = malloc(cap ? cap : 1);
	out2 = malloc(cap ? cap : 1);
	r = gz_decompress(data, size, out, cap, &olen, NULL);
	r2 = stream_decode(data, size, out2, cap, seed, &olen2);
	ASSERT(r == r2);
	if (r == GZ_OK)
		ASSERT(olen == olen2 && !memcmp(out, out2, olen));
	if (zok && zused == size)
		ASSERT(r == GZ_OK && olen == zlen && !memcmp(out, zout, zlen));
	if (zbad)
		ASSERT(r != GZ_OK);
	free(out);
	free(out2);
	free(zout);
	return 0;
}
