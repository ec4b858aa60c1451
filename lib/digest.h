/*
 * digest.h - per-file SHA-256 digests given on the KERNEL line: the hex
 * text of "-sha256=HEX" and the verdict on a file's bytes.
 *
 * The digest is of the file exactly as the server sends it (before any
 * decompression), computed while it arrives (com32/fetch.c) or over the
 * file on disk (the host-side checker).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_DIGEST_H
#define MBOOT_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "sha256.h"

/** The value of hex digit @c (0-9, a-f, A-F), or -1. */
int mb_hex_digit(char c);

/** Write @n bytes at @b as 2 * @n lowercase hex digits plus a NUL to
 *  @out; returns @out. */
char *mb_hex_encode(const uint8_t *b, size_t n, char *out);

/**
 * Parse the @len characters at @hex (the text after "-sha256=") into the
 * 32 bytes at @out.  @what names the file's part for messages ("the
 * kernel", "module 2").  Returns MB_OK, or MB_E_BAD_OPTION with @err
 * filled: not exactly 64 characters, or one that is not a hex digit
 * (upper or lower case are both accepted).
 */
int mb_sha256_parse(const char *hex, size_t len, const char *what,
		    uint8_t out[MB_SHA256_SIZE], struct mb_error *err);

/**
 * The verdict on file @name: @got (the digest of its @len bytes as
 * fetched) against @want (from the line).  Returns MB_OK when they are
 * equal, else MB_E_DIGEST with @err naming the file, both digests and the
 * byte count.
 */
int mb_sha256_verdict(const char *name, const uint8_t want[MB_SHA256_SIZE],
		      const uint8_t got[MB_SHA256_SIZE], uint64_t len,
		      struct mb_error *err);

#endif
