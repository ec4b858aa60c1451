/*
 * put.h - little-endian writers for the unit tests that build kernel
 * images, headers and tables in memory (reads use lib/util.h's mb_le*).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_TEST_PUT_H
#define MBOOT_TEST_PUT_H

#include <stdint.h>

/** Store @v at @p, little-endian, 2/4/8 bytes. */
static __attribute__((unused)) void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static __attribute__((unused)) void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static __attribute__((unused)) void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

#endif
