/*
 * inflatefile.h - gzip files on the host as mboot.c32 meets them: the
 * kernel decompressed the way the module does (so a bad file gets the
 * module's own message), and any gzip file checked whole (CRC-32, ISIZE).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_INFLATEFILE_H
#define MBOOT_CHECK_INFLATEFILE_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/error.h"

/**
 * The kernel @name (@in, @in_len bytes as the server sends it) in the
 * form the module probes: @in itself when it is not gzip (*@out = NULL),
 * else decompressed into a new buffer *@out (free it) of *@out_len bytes:
 * first as com32/main.c streams it (an output of 8 times the input plus
 * 1 MiB), then, when that is too small, sized by the trailer and grown as
 * the module's whole-file path does.  Returns MB_OK or MB_E_GZIP with the
 * module's message in @err.
 */
int inflate_kernel(const uint8_t *in, size_t in_len, const char *name,
		   uint8_t **out, size_t *out_len, struct mb_error *err);

/** True if the last inflate_kernel() took the whole-file path. */
int inflate_kernel_was_whole(void);

/** Called with a file's decompressed bytes (see inflate_check). */
typedef void (*inflate_look_fn)(void *ctx, const uint8_t *data, size_t len);

/**
 * Check the gzip file @name (@in, @in_len bytes) whole: every member's
 * CRC-32 and ISIZE, nothing but zeroes after the last.  *@out_len gets
 * the decompressed size; @look (if non-NULL) is called with the
 * decompressed bytes before they are freed.  Returns MB_OK or MB_E_GZIP
 * (message as the module's).
 */
int inflate_check(const uint8_t *in, size_t in_len, const char *name,
		  size_t *out_len, inflate_look_fn look, void *ctx,
		  struct mb_error *err);

#endif
