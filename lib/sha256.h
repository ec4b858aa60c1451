/*
 * sha256.h - SHA-256 (FIPS 180-4), streaming.
 *
 *     struct mb_sha256 s;
 *     mb_sha256_init(&s);
 *     mb_sha256_update(&s, piece, n);	   any number of pieces, any sizes
 *     mb_sha256_final(&s, digest);	   32 bytes
 *
 * Used to check files against the digest given on the KERNEL line
 * ("-sha256=HEX", see cmdline.h) while they arrive.  Portable C for the
 * i386 module; on x86-64 (host, efi64 module) the SHA extensions are used
 * when CPUID reports them (see sha256.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_SHA256_H
#define MBOOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MB_SHA256_SIZE 32	/* digest bytes */
#define MB_SHA256_BLOCK 64	/* block bytes */

/** A running SHA-256 computation. */
struct mb_sha256 {
	uint32_t h[8];			/* chaining state */
	uint64_t len;			/* bytes fed so far */
	uint8_t buf[MB_SHA256_BLOCK];	/* the partial block: len % 64 bytes */
};

/** Start a computation in @s. */
void mb_sha256_init(struct mb_sha256 *s);

/** Feed @n bytes at @data (any @n, including 0) into @s. */
void mb_sha256_update(struct mb_sha256 *s, const void *data, size_t n);

/**
 * Finish @s: write the 32-byte digest to @digest.  @s must be
 * initialised again before further use.
 */
void mb_sha256_final(struct mb_sha256 *s, uint8_t digest[MB_SHA256_SIZE]);

/** The digest of @n bytes at @data, in one call. */
void mb_sha256(const void *data, size_t n, uint8_t digest[MB_SHA256_SIZE]);

/**
 * Which block function is in use: "sha-ni" or "portable" (for the
 * benchmark and tests).  mb_sha256_force_portable(1) makes every later
 * call use the portable C code even where the SHA extensions exist (tests
 * compare both); it is a no-op where only the portable code is built.
 */
const char *mb_sha256_impl(void);
void mb_sha256_force_portable(int on);

#endif
