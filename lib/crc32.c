/*
 * crc32.c - table-driven CRC-32 ("slicing by 16").
 *
 * The classic byte-at-a-time method needs one table lookup per byte and
 * every lookup depends on the previous one.  Slicing instead folds 16
 * input bytes per step: table k holds the CRC contribution of a byte that
 * still has k further zero bytes to pass through the register, so the 16
 * lookups of a step are independent of each other and can be issued in
 * parallel; only the final xor feeds the next step.  That dependency chain
 * (xor, byte extract, load, xor tree) is what limits speed, and 16 bytes per
 * chain is about twice as fast as 8.  Only plain 32-bit loads are used (the
 * boot target has no SSE/PCLMUL available), which also suits i386.
 *
 * The 16 KiB of tables are computed on first use instead of being stored in
 * the module image.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "crc32.h"
#include "util.h"

/* Reflected form of the generator polynomial 0x04C11DB7. */
#define CRC32_POLY 0xEDB88320u

#define CRC32_SLICES 16

static uint32_t crc32_table[CRC32_SLICES][256];
static bool crc32_table_ready;

/**
 * crc32_init_tables - fill crc32_table[][]
 *
 * Table 0 is the usual byte table.  Table k (k > 0) is table k-1 advanced
 * by one more zero byte: T[k][b] = (T[k-1][b] >> 8) ^ T[0][T[k-1][b] & 0xff].
 */
static void crc32_init_tables(void)
{
	for (unsigned int b = 0; b < 256; b++) {
		uint32_t c = b;

		for (int i = 0; i < 8; i++)
			c = (c >> 1) ^ (CRC32_POLY & -(c & 1));
		crc32_table[0][b] = c;
	}
	for (unsigned int k = 1; k < CRC32_SLICES; k++)
		for (unsigned int b = 0; b < 256; b++) {
			uint32_t c = crc32_table[k - 1][b];

			crc32_table[k][b] = (c >> 8) ^ crc32_table[0][c & 0xff];
		}
	crc32_table_ready = true;
}

/**
 * crc32_update - extend a CRC-32 over @len bytes at @buf; see crc32.h.
 *
 * Works on the pre-inverted register: the public value is the register
 * complemented, as in zlib, so crc32_update(0, ...) starts from all-ones.
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	const uint32_t (*t)[256] = crc32_table;
	uint32_t c = ~crc;

	if (!crc32_table_ready)
		crc32_init_tables();

	/* Byte steps until p is 4-byte aligned, so the word loads below are
	 * aligned (cheaper on old CPUs; on x86 any alignment is correct). */
	while (len && ((uintptr_t)p & 3)) {
		c = (c >> 8) ^ t[0][(c ^ *p++) & 0xff];
		len--;
	}

	/* Sixteen bytes per step.  The first word is xored into the register
	 * (its bytes are "in" the CRC register); the later words are not:
	 * their bytes only need the tables for 11..0 further bytes. */
	while (len >= 16) {
		uint32_t a = c ^ mb_le32(p);
		uint32_t b = mb_le32(p + 4);
		uint32_t d = mb_le32(p + 8);
		uint32_t e = mb_le32(p + 12);

		c = t[15][a & 0xff] ^ t[14][(a >> 8) & 0xff] ^
		    t[13][(a >> 16) & 0xff] ^ t[12][a >> 24] ^
		    t[11][b & 0xff] ^ t[10][(b >> 8) & 0xff] ^
		    t[9][(b >> 16) & 0xff] ^ t[8][b >> 24] ^
		    t[7][d & 0xff] ^ t[6][(d >> 8) & 0xff] ^
		    t[5][(d >> 16) & 0xff] ^ t[4][d >> 24] ^
		    t[3][e & 0xff] ^ t[2][(e >> 8) & 0xff] ^
		    t[1][(e >> 16) & 0xff] ^ t[0][e >> 24];
		p += 16;
		len -= 16;
	}

	while (len--)
		c = (c >> 8) ^ t[0][(c ^ *p++) & 0xff];

	return ~c;
}
