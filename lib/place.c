/*
 * place.c - the placement planner (see place.h).
 *
 * The free space is kept as a sorted list of disjoint ranges; the kernel's
 * segments are carved out first (they are fixed), then each allocation
 * takes the first range where it fits once aligned and is carved out too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "place.h"
#include "util.h"

#define FOUR_GIB 0x100000000ull

/** The free list: sorted, disjoint, non-empty ranges. */
struct freelist {
	unsigned n;
	struct mb_range r[MB_MAX_RANGES * 2 + MB_MAX_SEGMENTS + 8];
};

/** Add [s, e) to @fl, merging with neighbours so ranges stay disjoint. */
static void fl_add(struct freelist *fl, uint64_t s, uint64_t e)
{
	if (s >= e)
		return;
	unsigned i = 0;
	while (i < fl->n && fl->r[i].end < s)
		i++;
	/* Merge every range that touches or overlaps [s, e). */
	unsigned j = i;
	while (j < fl->n && fl->r[j].start <= e) {
		if (fl->r[j].start < s)
			s = fl->r[j].start;
		if (fl->r[j].end > e)
			e = fl->r[j].end;
		j++;
	}
	if (j == i) {	/* insert */
		if (fl->n == MB_ARRAY_SIZE(fl->r))
			return;	/* cannot happen: bounded by the inputs */
		mb_memmove(&fl->r[i + 1], &fl->r[i], (fl->n - i) * sizeof(fl->r[0]));
		fl->n++;
	} else if (j > i + 1) {	/* collapse i..j-1 into i */
		mb_memmove(&fl->r[i + 1], &fl->r[j], (fl->n - j) * sizeof(fl->r[0]));
		fl->n -= j - i - 1;
	}
	fl->r[i].start = s;
	fl->r[i].end = e;
}

/** Remove [s, e) from @fl. */
static void fl_remove(struct freelist *fl, uint64_t s, uint64_t e)
{
	for (unsigned i = 0; i < fl->n; i++) {
		struct mb_range *r = &fl->r[i];
		if (r->end <= s || r->start >= e)
			continue;
		if (r->start < s && r->end > e) {	/* split in two */
			mb_memmove(&fl->r[i + 1], &fl->r[i],
				   (fl->n - i) * sizeof(fl->r[0]));
			fl->n++;
			fl->r[i].end = s;
			fl->r[i + 1].start = e;
			return;
		}
		if (r->start < s) {
			r->end = s;
		} else if (r->end > e) {
			r->start = e;
		} else {	/* wholly covered: drop it */
			mb_memmove(&fl->r[i], &fl->r[i + 1],
				   (fl->n - i - 1) * sizeof(fl->r[0]));
			fl->n--;
			i--;
		}
	}
}

/** True if [s, e) lies inside one range of @fl. */
static int fl_contains(const struct freelist *fl, uint64_t s, uint64_t e)
{
	for (unsigned i = 0; i < fl->n; i++)
		if (fl->r[i].start <= s && e <= fl->r[i].end)
			return 1;
	return 0;
}

int mb_plan(const struct mb_range *ram, unsigned nram,
	    const struct mb_image *img, const char *kernel_name,
	    struct mb_alloc *allocs, unsigned n, struct mb_error *err)
{
	return mb_plan_within(ram, nram, NULL, 0, img, kernel_name, allocs, n,
			      err);
}

int mb_plan_within(const struct mb_range *ram, unsigned nram,
		   const struct mb_range *within, unsigned nwithin,
		   const struct mb_image *img, const char *kernel_name,
		   struct mb_alloc *allocs, unsigned n, struct mb_error *err)
{
	static struct freelist fl;	/* large; the planner is not reentrant */

	fl.n = 0;
	if (nram > MB_MAX_RANGES)
		nram = MB_MAX_RANGES;
	for (unsigned i = 0; i < nram; i++)
		fl_add(&fl, ram[i].start, ram[i].end);

	for (unsigned i = 0; img && i < img->nsegs; i++) {
		const struct mb_segment *s = &img->segs[i];
		uint64_t end = (uint64_t)s->addr + s->memsz;
		if (s->addr < MB_LOW_LIMIT)
			return mb_fail(err, MB_E_SEGMENT_IN_USE,
				       "%s: segment 0x%08x-0x%08llx lies below 1 MiB, where the BIOS, PXELINUX and the PXE stack live",
				       kernel_name, s->addr, (unsigned long long)end);
		if (!fl_contains(&fl, s->addr, end))
			return mb_fail(err, MB_E_SEGMENT_NOT_RAM,
				       "%s: segment 0x%08x-0x%08llx is not inside usable RAM",
				       kernel_name, s->addr, (unsigned long long)end);
	}

	if (within) {	/* allocations only inside these ranges */
		fl.n = 0;
		if (nwithin > MB_MAX_RANGES)
			nwithin = MB_MAX_RANGES;
		for (unsigned i = 0; i < nwithin; i++)
			fl_add(&fl, within[i].start, within[i].end);
	}
	fl_remove(&fl, 0, MB_LOW_LIMIT);
	fl_remove(&fl, FOUR_GIB, ~0ull);
	for (unsigned i = 0; img && i < img->nsegs; i++) {
		const struct mb_segment *s = &img->segs[i];
		/* Keep whole pages around the kernel: modules never share one. */
		fl_remove(&fl, s->addr & ~(uint64_t)(MB_PAGE_SIZE - 1),
			  MB_ALIGN_UP((uint64_t)s->addr + s->memsz,
				      (uint64_t)MB_PAGE_SIZE));
	}

	for (unsigned k = 0; k < n; k++) {
		struct mb_alloc *a = &allocs[k];
		uint64_t align = a->align ? a->align : 1, size = a->size;
		int placed = 0;
		for (unsigned i = 0; i < fl.n && !placed; i++) {
			uint64_t s = MB_ALIGN_UP(fl.r[i].start, align);
			if (s < fl.r[i].end && fl.r[i].end - s >= size) {
				a->addr = (uint32_t)s;
				/* Allocations own whole pages, so later ones
				 * stay page-aligned without gaps mid-page. */
				fl_remove(&fl, s, MB_ALIGN_UP(s + size,
						(uint64_t)MB_PAGE_SIZE));
				placed = 1;
			}
		}
		if (!placed) {
			uint64_t largest = 0, total = 0, need = 0;
			for (unsigned i = 0; i < fl.n; i++) {
				uint64_t l = fl.r[i].end - fl.r[i].start;
				total += l;
				if (l > largest)
					largest = l;
			}
			for (unsigned j = k; j < n; j++)
				need += MB_ALIGN_UP((uint64_t)allocs[j].size,
						    (uint64_t)MB_PAGE_SIZE);
			return mb_fail(err, MB_E_OUT_OF_MEMORY,
				       "%s: out of memory: needs %u bytes (%u KiB) in one piece, the largest free block below 4 GiB is %llu KiB (%llu KiB free in all, %llu KiB still to place)",
				       a->name, a->size,
				       (unsigned)((a->size + 1023ull) / 1024),
				       (unsigned long long)largest / 1024,
				       (unsigned long long)total / 1024,
				       (unsigned long long)need / 1024);
		}
	}
	return MB_OK;
}
