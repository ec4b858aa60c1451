/*
 * handoff.h - the final move into place and the jump to the kernel.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_HANDOFF_H
#define MBOOT_HANDOFF_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/image.h"

/** One entry of the trampoline's copy list. */
struct handoff_copy {
	uint32_t dst;
	uint32_t src;		/* HANDOFF_ZERO: fill with zeroes */
	uint32_t len;
};
#define HANDOFF_ZERO 0xffffffffu

/** Bytes the trampoline needs for a copy list of @ncopies entries. */
size_t handoff_area_size(unsigned ncopies);

/**
 * Fill @copies with the kernel's segments: bytes from @image (the kernel
 * file, in memory that no destination overlaps) and the BSS zero fills.
 * Returns the number of entries (at most 2 * img->nsegs).
 */
unsigned handoff_kernel_copies(const struct mb_image *img,
			       const uint8_t *image,
			       struct handoff_copy *copies);

/**
 * Copy the trampoline with its parameters and copy list into @area (at
 * least handoff_area_size() bytes of memory that no destination touches),
 * shut PXELINUX down and jump to it: it runs the copy list and enters the
 * kernel at @entry with EAX=@magic, EBX=@info.  Does not return.
 */
void handoff_boot(void *area, uint32_t magic, uint32_t info, uint32_t entry,
		  const struct handoff_copy *copies, unsigned ncopies)
	__attribute__((noreturn));

#endif
