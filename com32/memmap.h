/*
 * memmap.h - the machine's memory as firmware and PXELINUX see it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MEMMAP_H
#define MBOOT_MEMMAP_H

#include "../lib/mbi1.h"
#include "../lib/place.h"

#define MEMMAP_MAX_E820 128

/**
 * Read the firmware memory map (INT 15h, AX=E820h) into @map, all entries
 * including those above 4 GiB.  Returns the number of entries, 0 if the
 * BIOS does not support E820.
 */
unsigned memmap_read_e820(struct mb_e820 *map, unsigned max);

/**
 * The ranges the loaded kernel may be moved into: PXELINUX's view of free
 * memory (E820 RAM less what the core and the PXE stack keep).  Returns the
 * count written to @ranges.
 */
unsigned memmap_free_ranges(struct mb_range *ranges, unsigned max);

#endif
