/*
 * fw_bios.c - the firmware interface under pxelinux.0 (BIOS).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "arena.h"
#include "firmware.h"
#include "handoff.h"
#include "memmap.h"

/* Heap left to PXELINUX while files are read into the arena. */
#define ARENA_KEEP_FREE (2u * 1024 * 1024)

static struct arena arena;
static struct handoff_copy copies[2 * MB_MAX_SEGMENTS];

int fw_init(struct mb_error *err)
{
	(void)err;
	return MB_OK;
}

unsigned fw_memory_map(struct mb_e820 *map, unsigned max)
{
	return memmap_read_e820(map, max);
}

unsigned fw_segment_ranges(struct mb_range *r, unsigned max)
{
	return memmap_free_ranges(r, max);
}

unsigned fw_alloc_ranges(struct mb_range *r, unsigned max,
			 struct mb_error *err)
{
	if (!max || arena_grab(&arena, ARENA_KEEP_FREE)) {
		mb_fail(err, MB_E_NO_MEMORY,
			"less than %u KiB of memory left for the modules",
			ARENA_KEEP_FREE / 1024);
		return 0;
	}
	r->start = (uint32_t)arena.base;
	r->end = (uint64_t)(uint32_t)arena.base + arena.size;
	return 1;
}

int fw_claim(uint32_t addr, uint32_t len, const char *what,
	     struct mb_error *err)
{
	/* Everything placed lies in the arena, which we already own. */
	(void)addr, (void)len, (void)what, (void)err;
	return MB_OK;
}

void fw_release(void)
{
	arena_release(&arena);
}

void fw_get_info(struct fw_info *info)
{
	memset(info, 0, sizeof(*info));
}

uint32_t fw_boot_area_size(unsigned nsegs)
{
	return handoff_area_size(2 * nsegs);
}

int fw_boot(const struct mb_image *img, const uint8_t *image, void *area,
	    uint32_t magic, uint32_t info_addr, int efi_entry,
	    struct mb_error *err)
{
	if (efi_entry)
		return mb_fail(err, MB_E_BOOT,
			       "an EFI entry point cannot be used on a BIOS");
	unsigned n = handoff_kernel_copies(img, image, copies);
	handoff_boot(area, magic, info_addr, img->entry, copies, n);
}
