/*
 * inflatefile.c - gzip files on the host (see inflatefile.h), with the
 * decoder the module uses (lib/gzip.c, lib/inflate.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include "../lib/gunzip.h"
#include "../lib/gzip.h"
#include "inflatefile.h"

/* com32/main.c stream_kernel(): its output estimate and its limit. */
#define STREAM_FACTOR 8u
#define STREAM_EXTRA (1u << 20)
#define STREAM_LIMIT 0x40000000u
#define STREAM_CHUNK (64u * 1024)

/**
 * As the module streams the kernel: 64 KiB pieces into one buffer of the
 * estimated size.  Returns MB_OK, 1 when the estimate was too small (the
 * module then reads the file whole), or MB_E_GZIP.
 */
static int inflate_streamed(const uint8_t *in, size_t in_len,
			    const char *name, uint8_t **out, size_t *out_len,
			    struct mb_error *err)
{
	static struct gz_stream gz;
	uint64_t cap = (uint64_t)in_len * STREAM_FACTOR + STREAM_EXTRA;
	int rc = GZ_NEED_INPUT;

	if (cap > STREAM_LIMIT)
		return 1;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return 1;
	gz_stream_init(&gz, buf, cap);
	for (size_t off = 0; off < in_len; off += STREAM_CHUNK) {
		size_t n = in_len - off < STREAM_CHUNK ? in_len - off :
							 STREAM_CHUNK;
		rc = gz_stream_feed(&gz, in + off, n);
		if (rc != GZ_OK && rc != GZ_NEED_INPUT)
			break;
	}
	if (rc == GZ_OK || rc == GZ_NEED_INPUT)
		rc = gz_stream_finish(&gz, out_len);
	if (rc == GZ_ERR_OUTPUT_FULL) {
		free(buf);
		return 1;
	}
	if (rc) {
		free(buf);
		return mb_gzip_fail(name, rc, gz_stream_error_pos(&gz), err);
	}
	*out = buf;
	return MB_OK;
}

/**
 * As the module's whole-file path (load_to_heap): the trailer's size,
 * grown up to 7 times while the output does not fit.
 */
static int inflate_whole(const uint8_t *in, size_t in_len, const char *name,
			 uint8_t **out, size_t *out_len, struct mb_error *err)
{
	uint32_t cap32;
	int rc = mb_gunzip_size(in, in_len, name, &cap32, err), gz;
	size_t cap = cap32;
	uint8_t *buf = NULL;

	for (int tries = 0; !rc; tries++) {
		free(buf);
		buf = malloc(cap ? cap : 1);
		if (!buf)
			return mb_fail(err, MB_E_NO_MEMORY,
				       "%s: cannot allocate %zu bytes to decompress it",
				       name, cap);
		rc = mb_gunzip(in, in_len, name, buf, cap, out_len, &gz, err);
		if (!rc || gz != GZ_ERR_OUTPUT_FULL || tries == 7)
			break;
		cap = cap < in_len * 4 ? in_len * 4 : cap * 2;
		rc = MB_OK;
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	return MB_OK;
}

/* Whether the last inflate_kernel() fell back to the whole-file path. */
static int last_whole;

int inflate_kernel(const uint8_t *in, size_t in_len, const char *name,
		   uint8_t **out, size_t *out_len, struct mb_error *err)
{
	*out = NULL;
	*out_len = in_len;
	last_whole = 0;
	if (!gz_is_gzip(in, in_len))
		return MB_OK;
	int rc = inflate_streamed(in, in_len, name, out, out_len, err);
	if (rc == 1) {
		last_whole = 1;
		rc = inflate_whole(in, in_len, name, out, out_len, err);
	}
	return rc;
}

int inflate_kernel_was_whole(void)
{
	return last_whole;
}

int inflate_check(const uint8_t *in, size_t in_len, const char *name,
		  size_t *out_len, inflate_look_fn look, void *ctx,
		  struct mb_error *err)
{
	uint8_t *buf = NULL;
	int rc = inflate_kernel(in, in_len, name, &buf, out_len, err);

	if (rc)
		return rc;
	if (look)
		look(ctx, buf ? buf : in, *out_len);
	free(buf);
	return MB_OK;
}
