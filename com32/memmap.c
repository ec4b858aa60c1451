/*
 * memmap.c - firmware memory map and PXELINUX's free memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <com32.h>
#include <string.h>
#include <syslinux/movebits.h>
#include "memmap.h"

#define SMAP 0x534d4150u	/* "SMAP" */

/** The 24-byte buffer INT 15h E820h fills (the ACPI 3.0 attribute too). */
struct e820_raw {
	uint64_t base, len;
	uint32_t type, ext;
} __attribute__((packed));

unsigned memmap_read_e820(struct mb_e820 *map, unsigned max)
{
	com32sys_t ireg, oreg;
	struct e820_raw *buf = lmalloc(sizeof(*buf));
	unsigned n = 0;

	if (!buf)
		return 0;
	memset(&ireg, 0, sizeof(ireg));
	do {
		memset(buf, 0, sizeof(*buf));
		buf->ext = 1;	/* "valid" for BIOSes that return 24 bytes */
		ireg.eax.l = 0xe820;
		ireg.edx.l = SMAP;
		ireg.ecx.l = sizeof(*buf);
		ireg.es = SEG(buf);
		ireg.edi.w[0] = OFFS(buf);
		__intcall(0x15, &ireg, &oreg);
		if ((oreg.eflags.l & EFLAGS_CF) || oreg.eax.l != SMAP)
			break;
		/* ACPI 3.0: bit 0 clear in the extended attributes means
		 * "ignore this entry". */
		if (oreg.ecx.l >= 24 && !(buf->ext & 1))
			goto next;
		if (buf->len) {
			map[n].base = buf->base;
			map[n].len = buf->len;
			map[n].type = buf->type;
			n++;
		}
next:
		ireg.ebx.l = oreg.ebx.l;
	} while (ireg.ebx.l && n < max);
	lfree(buf);
	return n;
}

unsigned memmap_free_ranges(struct mb_range *ranges, unsigned max)
{
	struct syslinux_memmap *mm = syslinux_memory_map(), *m;
	unsigned n = 0;

	if (!mm)
		return 0;
	for (m = mm; m && m->type != SMT_END && n < max; m = m->next) {
		if (m->type != SMT_FREE)
			continue;
		uint64_t end = m->next ? (uint64_t)m->next->start : 0x100000000ull;
		if (end == 0 && m->next)	/* wrapped: runs to 4 GiB */
			end = 0x100000000ull;
		if (end > m->start) {
			ranges[n].start = m->start;
			ranges[n].end = end;
			n++;
		}
	}
	syslinux_free_memmap(mm);
	return n;
}
