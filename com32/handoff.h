/*
 * handoff.h - the final move into place and the jump to the kernel.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_HANDOFF_H
#define MBOOT_HANDOFF_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/error.h"
#include "../lib/image.h"

/** Size of the hand-off stub (must fit the allocation made for it). */
#define HANDOFF_STUB_SIZE 16
/** Bytes reserved for the stub plus a small stack under it. */
#define HANDOFF_AREA_SIZE 4096

/** A piece of memory to be copied to its final address. */
struct handoff_piece {
	uint32_t dest;
	const void *src;
	uint32_t len;
};

/**
 * Copy the kernel's segments (zeroing their BSS), the @npieces pieces and
 * the hand-off stub (at @stub_addr, HANDOFF_AREA_SIZE bytes) into place,
 * then enter the kernel at @img->entry with EAX=@magic, EBX=@info_addr and
 * every segment register flat.  Returns only on failure.
 */
int handoff_boot(const struct mb_image *img, const uint8_t *kernel,
		 const struct handoff_piece *pieces, unsigned npieces,
		 uint32_t stub_addr, uint32_t magic, uint32_t info_addr,
		 struct mb_error *err);

#endif
