/*
 * test_checker_lzo.c - the checker's LZO1X decoder (tools/lzo1x.c): hand-
 * made streams (literals, an overlapping match, the end marker) and
 * broken ones (a match reaching before the output, no end marker, no
 * room), then whole files compressed by lzop (LZO1X-1 and LZO1X-999, the
 * compressor SYSLINUX's prepcore uses) decoded block by block and
 * compared with the original.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../tools/lzo1x.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/** Hand-made streams: what each decodes to, or that it is refused. */
static void streams(void)
{
	/* 17 + 3: three literals, then the end marker (0x11 0 0). */
	static const uint8_t abc[] = { 20, 'a', 'b', 'c', 0x11, 0, 0 };
	/* two literals, then a 4-byte match 2 back (0x64: 3 + 1 bytes,
	 * distance (0 << 3) + 1 + 1, no literals after), the end marker. */
	static const uint8_t abab[] = { 19, 'a', 'b', 0x64, 0, 0x11, 0, 0 };
	static const uint8_t far[] = { 19, 'a', 'b', 0x64, 5, 0x11, 0, 0 };
	uint8_t out[64];
	size_t used = 0;

	CHECK(lzo1x_decode(abc, sizeof(abc), out, sizeof(out), &used) == 3);
	CHECK(!memcmp(out, "abc", 3) && used == sizeof(abc));
	CHECK(lzo1x_decode(abab, sizeof(abab), out, sizeof(out), &used) == 6);
	CHECK(!memcmp(out, "ababab", 6) && used == sizeof(abab));
	/* a match 42 bytes back after 2 bytes of output */
	CHECK(lzo1x_decode(far, sizeof(far), out, sizeof(out), &used) == -1);
	/* the end marker cut off */
	CHECK(lzo1x_decode(abab, sizeof(abab) - 3, out, sizeof(out), &used) == -1);
	/* room for 5 of the 6 bytes */
	CHECK(lzo1x_decode(abab, sizeof(abab), out, 5, &used) == -1);
}

/**
 * Compress @data (@len bytes) with "lzop @level" and decode every block
 * of lzop's file (its header skipped as lzop 1.04 writes it: version
 * 0x1040 or later, no filter, no extra field).
 */
static void through_lzop(const uint8_t *data, size_t len, const char *level)
{
	char cmd[200];
	FILE *f = fopen("/tmp/test_checker_lzo.bin", "wb");
	size_t n = 0, got = 0, flen = 0;
	uint8_t *file = malloc(len * 2 + 4096), *out = malloc(1 << 18);

	CHECK(f && file && out);
	if (!f || !file || !out)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "lzop -f %s -o /tmp/test_checker_lzo.lzo /tmp/test_checker_lzo.bin",
		 level);
	CHECK_MSG(system(cmd) == 0, "%s failed (is lzop installed? tests/install-deps.sh)", cmd);
	f = fopen("/tmp/test_checker_lzo.lzo", "rb");
	if (f) {
		flen = fread(file, 1, len * 2 + 4096, f);
		fclose(f);
	}
	CHECK(flen > 50 && !memcmp(file, "\x89LZO\0\r\n\x1a\n", 9));
	if (flen <= 50) {
		free(file), free(out);
		return;
	}
	/* magic, version, lib version, version needed, method, level,
	 * flags, mode, mtime (2 words), name length + name, checksum */
	size_t p = 9 + 2 + 2 + 2 + 1 + 1;
	uint32_t flags = be32(file + p);
	p += 4 + 4 + 8;
	p += 1 + file[p];
	p += 4;
	unsigned blocks = 0, packed = 0;
	while (p + 8 <= flen) {
		uint32_t dlen = be32(file + p), clen;
		if (!dlen)
			break;
		clen = be32(file + p + 4);
		p += 8;
		p += (flags & 1) ? 4 : 0;	/* F_ADLER32_D */
		p += (flags & 0x100) ? 4 : 0;	/* F_CRC32_D */
		if (clen < dlen) {
			p += (flags & 2) ? 4 : 0;	/* F_ADLER32_C */
			p += (flags & 0x200) ? 4 : 0;	/* F_CRC32_C */
			size_t used = 0;
			long r = lzo1x_decode(file + p, clen, out, 1 << 18, &used);
			CHECK_MSG(r == (long)dlen && used == clen &&
					  !memcmp(out, data + got, dlen),
				  "%s block %u: %ld of %u bytes, used %zu of %u",
				  level, blocks, r, dlen, used, clen);
			packed++;
		} else {
			CHECK(!memcmp(file + p, data + got, dlen));
		}
		got += dlen;
		p += clen;
		blocks++;
	}
	CHECK_MSG(got == len && packed > 0, "%s: %zu of %zu bytes in %u blocks",
		  level, got, len, blocks);
	(void)n;
	free(file);
	free(out);
}

int main(void)
{
	size_t len = 600000;
	uint8_t *data = malloc(len);
	uint32_t x = 12345;

	streams();
	if (!data)
		return 1;
	/* Text-like runs, repeats near and far, and some noise: every kind
	 * of instruction shows up. */
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (i % 7000 < 3000) ? "the quick brown fox "[i % 20] :
			  (i % 7000 < 5000) ? data[i - 2900 + (x >> 28)] :
					      (uint8_t)(x >> 24);
	}
	through_lzop(data, len, "-1");
	through_lzop(data, len, "-9");
	free(data);
	remove("/tmp/test_checker_lzo.bin");
	remove("/tmp/test_checker_lzo.lzo");
	return check_summary("test_checker_lzo");
}
