/*
 * gunzip.h - gzip files as the loader meets them: their size checked for
 * plausibility, decompression failures worded for the console.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_GUNZIP_H
#define MBOOT_GUNZIP_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/**
 * The size the gzip file @name (@in, @in_len bytes) claims to decompress
 * to: its last member's ISIZE, into *@size.  DEFLATE cannot expand more
 * than about 1032:1, so a larger claim means a truncated or corrupt file.
 * Returns MB_OK or MB_E_GZIP.
 */
int mb_gunzip_size(const uint8_t *in, size_t in_len, const char *name,
		   uint32_t *size, struct mb_error *err);

/**
 * Record the decoder's failure @status (a GZ_ERR_* of gzip.h), found at
 * compressed offset @pos of @name, in @err; returns MB_E_GZIP.
 */
int mb_gzip_fail(const char *name, int status, size_t pos,
		 struct mb_error *err);

/**
 * Decompress the gzip file @name into @out (@cap bytes); *@out_len gets
 * the size.  On failure returns MB_E_GZIP with @err filled, and *@status
 * (if non-NULL) says which GZ_ERR_* it was, so a caller can tell a buffer
 * that was too small (GZ_ERR_OUTPUT_FULL) from bad data.
 */
int mb_gunzip(const uint8_t *in, size_t in_len, const char *name, void *out,
	      size_t cap, size_t *out_len, int *status, struct mb_error *err);

#endif
