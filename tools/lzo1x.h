/*
 * lzo1x.h - an LZO1X stream decoder, for SYSLINUX's cores: pxelinux.0
 * and lpxelinux.0 keep most of themselves LZO1X-compressed (SYSLINUX's
 * lzo/prepcore), the banner with the version and the table of symbols
 * the core gives to ldlinux.c32 and the modules among it.  Written from
 * the stream format as the Linux kernel documents it
 * (Documentation/staging/lzo.rst); checked against lzop's output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_LZO1X_H
#define MBOOT_CHECK_LZO1X_H

#include <stddef.h>
#include <stdint.h>

/**
 * Decode the LZO1X stream at @in (at most @in_len bytes) into @out (room
 * for @cap bytes).  Returns the bytes written and sets *@used to the
 * bytes of @in the stream took (through its end marker), or returns -1
 * when @in is not a complete, valid stream that fits in @cap.
 */
long lzo1x_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
		  size_t *used);

#endif
