/*
 * place.h - the placement planner: final addresses for everything.
 *
 * Pure: given the RAM the destinations may use (the firmware map less what
 * the running loader reserves), the kernel's fixed segments and the sizes
 * of what remains to place (modules, the information structure, the
 * hand-off stub), it chooses every address or fails before anything is
 * downloaded, saying what was needed and what was available.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PLACE_H
#define MBOOT_PLACE_H

#include <stdint.h>
#include "error.h"
#include "image.h"

#define MB_PAGE_SIZE 4096u
/* Nothing is placed below this: the BIOS, PXELINUX and the PXE stack. */
#define MB_LOW_LIMIT 0x100000u
#define MB_MAX_RANGES 128

/** A half-open physical range [start, end). */
struct mb_range {
	uint64_t start, end;
};

/** One thing to place: @size bytes at a multiple of @align. */
struct mb_alloc {
	const char *name;	/* for messages */
	uint32_t size;
	uint32_t align;		/* power of two */
	uint32_t addr;		/* result */
};

/**
 * Plan the load.  @ram lists the @nram ranges destinations may use (any
 * order, may overlap or touch).  Checks that each of @img's segments lies
 * inside that RAM at or above MB_LOW_LIMIT, then gives each of the @n
 * @allocs an address: aligned, below 4 GiB, at or above MB_LOW_LIMIT,
 * overlapping neither a segment nor another allocation.  Allocations are
 * made in order, lowest free address first.  Returns MB_OK, or an error
 * naming the segment or allocation with the sizes needed and available.
 */
int mb_plan(const struct mb_range *ram, unsigned nram,
	    const struct mb_image *img, const char *kernel_name,
	    struct mb_alloc *allocs, unsigned n, struct mb_error *err);

/**
 * As mb_plan, but the allocations are made only inside the @nwithin ranges
 * @within (memory the loader has reserved for them, e.g. one large heap
 * block), while the segments are still checked against @ram.
 */
int mb_plan_within(const struct mb_range *ram, unsigned nram,
		   const struct mb_range *within, unsigned nwithin,
		   const struct mb_image *img, const char *kernel_name,
		   struct mb_alloc *allocs, unsigned n, struct mb_error *err);

#endif
