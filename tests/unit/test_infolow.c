/*
 * test_infolow.c - where the Multiboot information lives on BIOS
 * (mb_load_info_low_addr, lib/loadplan.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "loadplan.h"

/** QEMU/SeaBIOS's map at -m 512: low RAM up to the EBDA, then above 1 MiB. */
static const struct mb_e820 qemu_map[] = {
	{ 0x0, 0x9fc00, MB_E820_RAM },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x1ff00000, MB_E820_RAM },
};

int main(void)
{
	/* A typical structure goes to the low base. */
	CHECK_EQ_U(mb_load_info_low_addr(qemu_map, 4, 4096), MB_INFO_LOW_BASE);
	/* Up to the limit, inclusive; one byte more stays in its slot. */
	CHECK_EQ_U(mb_load_info_low_addr(qemu_map, 4,
				       MB_INFO_LOW_LIMIT - MB_INFO_LOW_BASE),
		 MB_INFO_LOW_BASE);
	CHECK_EQ_U(mb_load_info_low_addr(qemu_map, 4,
				       MB_INFO_LOW_LIMIT - MB_INFO_LOW_BASE + 1),
		 0);
	/* Low RAM that ends early (a large EBDA) must cover all of it. */
	static const struct mb_e820 short_low[] = {
		{ 0x0, 0x11000, MB_E820_RAM },
		{ 0x100000, 0x1000000, MB_E820_RAM },
	};
	CHECK_EQ_U(mb_load_info_low_addr(short_low, 2, 0x1000), MB_INFO_LOW_BASE);
	CHECK_EQ_U(mb_load_info_low_addr(short_low, 2, 0x1001), 0);
	/* Reserved low memory, or none listed: not used. */
	static const struct mb_e820 reserved_low[] = {
		{ 0x0, 0xa0000, 2 },
		{ 0x100000, 0x1000000, MB_E820_RAM },
	};
	CHECK_EQ_U(mb_load_info_low_addr(reserved_low, 2, 16), 0);
	CHECK_EQ_U(mb_load_info_low_addr(qemu_map + 3, 1, 16), 0);
	/* RAM starting above the base does not cover it. */
	static const struct mb_e820 late_low[] = {
		{ 0x20000, 0x70000, MB_E820_RAM },
	};
	CHECK_EQ_U(mb_load_info_low_addr(late_low, 1, 16), 0);
	return check_summary("infolow");
}
