/*
 * gzelf.c - the rule for gzip modules decompressed without -gunzip
 * (gzelf.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gzelf.h"
#include "gzip.h"
#include "util.h"

bool mb_gz_name(const char *name)
{
	size_t n = mb_strlen(name);

	return n > 3 && name[n - 3] == '.' &&
	       (name[n - 2] == 'g' || name[n - 2] == 'G') &&
	       (name[n - 1] == 'z' || name[n - 1] == 'Z');
}

bool mb_gz_holds_elf(const uint8_t *buf, size_t len)
{
	static struct gz_stream gz;	/* ~12.7 KiB: not on the stack */
	/* Only 4 bytes are looked at, but a stored (uncompressed) deflate
	 * block - up to 65535 bytes - is copied whole or not at all. */
	static uint8_t out[65536];

	if (!gz_is_gzip(buf, len))
		return false;
	/* Decompress as much of the start as fits in out: the stream stops
	 * with "output full" or "need input" either way, and only the first
	 * four bytes are looked at. */
	mb_memset(out, 0, sizeof(out));
	gz_stream_init(&gz, out, sizeof(out));
	int rc = gz_stream_feed(&gz, buf, len);
	if (rc != GZ_OK && rc != GZ_NEED_INPUT && rc != GZ_ERR_OUTPUT_FULL)
		return false;
	return out[0] == 0x7f && out[1] == 'E' && out[2] == 'L' &&
	       out[3] == 'F';
}
