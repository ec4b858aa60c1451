/*
 * crc32.h - CRC-32 (IEEE 802.3 polynomial, reflected), as used by gzip.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CRC32_H
#define MBOOT_CRC32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * crc32_update - extend a CRC-32 over more data
 * @crc: CRC of the data so far (0 for none)
 * @buf: next bytes
 * @len: number of bytes at @buf
 *
 * Returns the CRC of the concatenation.  crc32_update(0, buf, len) is the
 * CRC of @buf, and chaining works like zlib's crc32().
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

/**
 * crc32_copy - copy @len bytes from @src to @dst (not overlapping) and
 * return crc32_update(@crc, @src, @len), in one pass over the data.
 */
uint32_t crc32_copy(uint32_t crc, void *dst, const void *src, size_t len);

/**
 * crc32_force_table - for tests and benchmarks: with @on, crc32_update()
 * and crc32_copy() use the portable table code even where a carry-less
 * multiply version exists; !@on restores the automatic choice.
 *
 * Returns true if this build and CPU have the faster version (i.e. if
 * there are two versions to compare).
 */
bool crc32_force_table(bool on);

#endif
