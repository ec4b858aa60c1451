/*
 * arena.c - the plan's own block of memory.
 *
 * PXELINUX 6.04 hands all free memory above 1 MiB to its malloc heap, and
 * its loaded modules live there too, so the only way to own memory without
 * colliding with anything PXELINUX still uses is to allocate it.  Modules
 * and the information structure are then read straight into this block at
 * the addresses the planner chose inside it: their final addresses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include "arena.h"

int arena_grab(struct arena *a, uint32_t keep_free)
{
	/* Binary search for the largest size malloc can satisfy. */
	uint32_t lo = 0, hi = 0xfff00000u;

	while (hi - lo > 64 * 1024) {
		uint32_t mid = lo + (hi - lo) / 2;
		void *p = malloc(mid);
		if (p) {
			free(p);
			lo = mid;
		} else {
			hi = mid;
		}
	}
	a->base = NULL;
	a->size = 0;
	if (lo <= keep_free)
		return -1;
	a->size = lo - keep_free;
	a->base = malloc(a->size);
	return a->base ? 0 : -1;
}

void arena_release(struct arena *a)
{
	free(a->base);
	a->base = NULL;
	a->size = 0;
}
