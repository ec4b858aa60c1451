/*
 * util.h - the few memory and string primitives the freestanding core needs.
 *
 * lib/ is built both for the host (unit tests, fuzzing) and for the 32-bit
 * COM32 module, so it includes no C library headers beyond the freestanding
 * ones (<stdint.h>, <stddef.h>, <stdarg.h>, <limits.h>, <stdbool.h>).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_UTIL_H
#define MBOOT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/** Copy @n bytes from @src to @dst (regions must not overlap); returns @dst. */
void *mb_memcpy(void *dst, const void *src, size_t n);
/** Copy @n bytes from @src to @dst, regions may overlap; returns @dst. */
void *mb_memmove(void *dst, const void *src, size_t n);
/** Fill @n bytes at @dst with @c; returns @dst. */
void *mb_memset(void *dst, int c, size_t n);
/** Compare @n bytes; returns <0, 0 or >0 like memcmp. */
int mb_memcmp(const void *a, const void *b, size_t n);
/** Length of the NUL-terminated string @s. */
size_t mb_strlen(const char *s);

/** Read a little-endian 16/32/64-bit value from a possibly unaligned @p. */
static inline uint16_t mb_le16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}
static inline uint32_t mb_le32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}
static inline uint64_t mb_le64(const void *p)
{
	const uint8_t *b = p;
	return (uint64_t)mb_le32(b) | (uint64_t)mb_le32(b + 4) << 32;
}

#define MB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MB_ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~(__typeof__(x))((a) - 1))

#endif
