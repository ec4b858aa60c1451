/*
 * util.c - portable C versions of the memory primitives declared in util.h.
 *
 * The module replaces mb_memcpy/mb_memmove/mb_memset with the NASM routines
 * in asm/memcpy.asm when MBOOT_ASM_MEMCPY is defined; the host build (tests,
 * fuzzers) uses these.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util.h"

#ifndef MBOOT_ASM_MEMCPY
void *mb_memcpy(void *dst, const void *src, size_t n)
{
	return __builtin_memcpy(dst, src, n);
}

void *mb_memmove(void *dst, const void *src, size_t n)
{
	return __builtin_memmove(dst, src, n);
}

void *mb_memset(void *dst, int c, size_t n)
{
	return __builtin_memset(dst, c, n);
}
#endif

int mb_memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t mb_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
