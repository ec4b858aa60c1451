/*
 * arena.h - one large block of PXELINUX's heap that the load plan owns.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_ARENA_H
#define MBOOT_ARENA_H

#include <stdint.h>

/** The block: [base, base + size). */
struct arena {
	uint8_t *base;
	uint32_t size;
};

/**
 * Take the largest block PXELINUX's malloc can give, less @keep_free bytes
 * left for PXELINUX's own needs while files are read.  Returns 0, or -1
 * when not even @keep_free can be had.
 */
int arena_grab(struct arena *a, uint32_t keep_free);

/** Give the block back (after a failure). */
void arena_release(struct arena *a);

#endif
