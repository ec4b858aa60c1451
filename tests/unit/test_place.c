/*
 * test_place.c - the placement planner (lib/place.c): hand-made maps with
 * exact expectations, hostile maps, and a brute-force comparison against
 * an independent model over many random maps.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "place.h"

#define MIB 0x100000ull
#define GIB 0x40000000ull
#define FOUR_GIB 0x100000000ull

static struct mb_error err;
static struct mb_image img;
static struct mb_range ram[MB_MAX_RANGES + 64];
static unsigned nram;
static struct mb_alloc allocs[300];
static unsigned nalloc;

static void reset(void)
{
	memset(&img, 0, sizeof(img));
	memset(&err, 0, sizeof(err));
	nram = 0;
	nalloc = 0;
}

static void add_ram(uint64_t start, uint64_t end)
{
	ram[nram].start = start;
	ram[nram].end = end;
	nram++;
}

static void add_seg(uint32_t addr, uint32_t memsz)
{
	img.segs[img.nsegs].addr = addr;
	img.segs[img.nsegs].memsz = memsz;
	img.segs[img.nsegs].filesz = memsz / 2;
	img.nsegs++;
}

static void add_alloc(const char *name, uint32_t size, uint32_t align)
{
	allocs[nalloc] = (struct mb_alloc){ name, size, align, 0xdeadbeef };
	nalloc++;
}

static int plan(void)
{
	int rc = mb_plan(ram, nram, &img, "kern", allocs, nalloc, &err);
	if (rc)
		CHECK_MSG(err.code == (enum mb_code)rc && err.msg[0],
			  "error %d recorded with a message", rc);
	return rc;
}

static void test_basic(void)
{
	reset();
	add_ram(0, 0x9f000);
	add_ram(MIB, 128 * MIB);
	add_seg(0x100000, 0x5000);
	add_alloc("info", 0x123, MB_PAGE_SIZE);
	add_alloc("stub", 0x1000, MB_PAGE_SIZE);
	add_alloc("mod1", 0x100000, MB_PAGE_SIZE);
	add_alloc("mod2", 1, MB_PAGE_SIZE);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, 0x105000);
	CHECK_EQ_U(allocs[1].addr, 0x106000);
	CHECK_EQ_U(allocs[2].addr, 0x107000);
	CHECK_EQ_U(allocs[3].addr, 0x207000);

	/* No kernel at all (a NULL image and an empty one). */
	CHECK_EQ_U(mb_plan(ram, nram, NULL, "kern", allocs, nalloc, &err),
		   MB_OK);
	CHECK_EQ_U(allocs[0].addr, 0x100000);
	img.nsegs = 0;
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, 0x100000);
	CHECK_EQ_U(allocs[3].addr, 0x202000);

	/* Nothing to allocate. */
	add_seg(0x100000, 0x5000);
	CHECK_EQ_U(mb_plan(ram, nram, &img, "kern", allocs, 0, &err), MB_OK);
}

static void test_odd_kernel(void)
{
	/* Kernel segments at odd addresses: their whole pages are off limits,
	 * even to byte-aligned allocations. */
	reset();
	add_ram(MIB, 64 * MIB);
	add_seg(0x100123, 0x10);
	add_seg(0x102fff, 2);	/* crosses into page 0x103000 */
	add_alloc("a", 5, 1);
	add_alloc("b", 5, 1);
	add_alloc("c", 0x1000, 1);
	add_alloc("d", 1, 1);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, 0x101000);
	CHECK_EQ_U(allocs[1].addr, 0x104000);	/* 0x102000-0x104000: kernel */
	CHECK_EQ_U(allocs[2].addr, 0x105000);
	CHECK_EQ_U(allocs[3].addr, 0x106000);
}

static void test_ram_shapes(void)
{
	/* Unsorted, overlapping: one block from 1 MiB to 5 MiB. */
	reset();
	add_ram(2 * MIB, 4 * MIB);
	add_ram(1 * MIB, 3 * MIB);
	add_ram(0x380000, 5 * MIB);
	add_ram(3 * MIB, 3 * MIB + 1);
	add_alloc("big", 4 * MIB, MB_PAGE_SIZE);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, MIB);
	allocs[0].size = 4 * MIB + 1;
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);

	/* Touching ranges join; so does a kernel segment across the seam. */
	reset();
	add_ram(2 * MIB, 3 * MIB);
	add_ram(1 * MIB, 2 * MIB);
	add_alloc("m", 2 * MIB, MB_PAGE_SIZE);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, MIB);
	reset();
	add_ram(2 * MIB, 3 * MIB);
	add_ram(1 * MIB, 2 * MIB);
	add_seg(0x1ff000, 0x2000);
	CHECK_EQ_U(plan(), MB_OK);
	/* ... but not across a one-byte hole. */
	ram[0].start = 2 * MIB + 1;
	CHECK_EQ_U(plan(), MB_E_SEGMENT_NOT_RAM);

	/* Holes: the first block big enough wins, later small ones fill in. */
	reset();
	add_ram(MIB, 0x180000);
	add_ram(2 * MIB, 4 * MIB);
	add_alloc("m1", 0x100000, MB_PAGE_SIZE);
	add_alloc("m2", 0x1000, MB_PAGE_SIZE);
	add_alloc("m3", 0x80000, MB_PAGE_SIZE);
	add_alloc("m4", 0x1000, MB_PAGE_SIZE);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, 2 * MIB);
	CHECK_EQ_U(allocs[1].addr, MIB);
	CHECK_EQ_U(allocs[2].addr, 3 * MIB);
	CHECK_EQ_U(allocs[3].addr, MIB + 0x1000);

	/* Empty and inverted ranges are ignored. */
	reset();
	add_ram(5 * MIB, 5 * MIB);
	add_ram(9 * MIB, 6 * MIB);
	add_ram(~0ull, 0);
	add_alloc("m", 1, 1);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	add_ram(7 * MIB, 8 * MIB);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, 7 * MIB);

	/* No RAM at all. */
	reset();
	add_alloc("m", 1, 1);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	add_seg(0x100000, 1);
	CHECK_EQ_U(plan(), MB_E_SEGMENT_NOT_RAM);
}

static void test_low_and_high(void)
{
	/* Below 1 MiB is never used, whatever the map says. */
	reset();
	add_ram(0, 2 * MIB);
	add_alloc("m", 0x1000, 1);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, MIB);
	allocs[0].size = MIB + 1;
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);

	/* RAM above 4 GiB is not used for allocations. */
	reset();
	add_ram(MIB, 2 * MIB);
	add_ram(FOUR_GIB, 8 * GIB);
	add_alloc("m", 2 * MIB, MB_PAGE_SIZE);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(err.msg, "largest free block below 4 GiB is 1024 KiB");

	/* A range across 4 GiB: only its low part counts. */
	reset();
	add_ram(FOUR_GIB - MIB, FOUR_GIB + GIB);
	add_alloc("m1", MIB, MB_PAGE_SIZE);
	add_alloc("m2", 1, 1);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(err.msg, "m2");
	CHECK_EQ_U(allocs[0].addr, FOUR_GIB - MIB);
	/* ... up to the very last byte below 4 GiB. */
	reset();
	add_ram(0, ~0ull);
	add_seg(0x100000, 0xffe00000u);	/* all but the top 1 MiB */
	add_alloc("m1", 0xff000, MB_PAGE_SIZE);
	add_alloc("m2", 0xfff, 1);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, 0xfff00000u);
	CHECK_EQ_U(allocs[1].addr, 0xfffff000u);
	add_alloc("m3", 1, 1);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);

	/* A kernel segment ending exactly at 4 GiB. */
	reset();
	add_ram(MIB, FOUR_GIB);
	add_seg(0xfffff000u, 0x1000);
	CHECK_EQ_U(plan(), MB_OK);
}

static void test_segment_errors(void)
{
	reset();
	add_ram(0, 0x9f000);
	add_ram(MIB, 16 * MIB);
	add_ram(32 * MIB, 64 * MIB);

	add_seg(0x10000, 0x1000);
	CHECK_EQ_U(plan(), MB_E_SEGMENT_IN_USE);
	CHECK_CONTAINS(err.msg, "kern: ");
	CHECK_CONTAINS(err.msg, "0x00010000-0x00011000");
	CHECK_CONTAINS(err.msg, "1 MiB");

	img.nsegs = 0;
	add_seg(0xff000, 0x2000);	/* straddles 1 MiB */
	CHECK_EQ_U(plan(), MB_E_SEGMENT_IN_USE);

	img.nsegs = 0;
	add_seg(20 * MIB, 0x1000);	/* in the hole */
	CHECK_EQ_U(plan(), MB_E_SEGMENT_NOT_RAM);
	CHECK_CONTAINS(err.msg, "0x01400000-0x01401000");

	img.nsegs = 0;
	add_seg(16 * MIB - 0x1000, 0x1001);	/* one byte over the edge */
	CHECK_EQ_U(plan(), MB_E_SEGMENT_NOT_RAM);
	img.segs[0].memsz = 0x1000;
	CHECK_EQ_U(plan(), MB_OK);

	img.nsegs = 0;
	add_seg(32 * MIB - 1, 2);	/* starts one byte early */
	CHECK_EQ_U(plan(), MB_E_SEGMENT_NOT_RAM);

	/* The first bad segment is the one reported. */
	img.nsegs = 0;
	add_seg(2 * MIB, 0x1000);
	add_seg(20 * MIB, 0x1000);
	add_seg(0x1000, 0x1000);
	CHECK_EQ_U(plan(), MB_E_SEGMENT_NOT_RAM);
}

static void test_out_of_memory(void)
{
	reset();
	add_ram(MIB, 2 * MIB);
	add_ram(3 * MIB, 3 * MIB + 0x80000);
	add_alloc("info", 0x100, MB_PAGE_SIZE);
	add_alloc("initrd.img", 2 * MIB, MB_PAGE_SIZE);
	add_alloc("other", 0x1000, MB_PAGE_SIZE);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(err.msg, "initrd.img: ");
	CHECK_CONTAINS(err.msg, "2097152 bytes");
	CHECK_CONTAINS(err.msg, "(2048 KiB)");
	CHECK_CONTAINS(err.msg, "largest free block below 4 GiB is 1020 KiB");
	CHECK_CONTAINS(err.msg, "1532 KiB free in all");
	CHECK_CONTAINS(err.msg, "2052 KiB still to place");

	/* Sizes near 4 GiB are reported right. */
	reset();
	add_ram(MIB, 2 * MIB);
	add_alloc("huge", 0xffffffffu, 1);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(err.msg, "4294967295 bytes");
	CHECK_CONTAINS(err.msg, "(4194304 KiB)");
	CHECK_CONTAINS(err.msg, "4194304 KiB still to place");

	/* Alignment can make the difference. */
	reset();
	add_ram(MIB, 3 * MIB);
	add_alloc("a", 0x1000, 4 * MIB);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	ram[0].end = 4 * MIB + 0x1000;
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, 4 * MIB);
	allocs[0].align = 0x80000000u;
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	/* Alignment 0 means 1. */
	allocs[0].align = 0;
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[0].addr, MIB);
}

static void test_many(void)
{
	/* More map entries than the planner keeps: no overflow. */
	reset();
	for (unsigned i = 0; i < MB_MAX_RANGES + 50; i++)
		add_ram(MIB + i * 0x3000ull, MIB + i * 0x3000ull + 0x2000);
	add_seg(MIB + 0x3000, 0x10);
	for (unsigned i = 0; i < 129; i++)
		add_alloc("m", 0x800, 0x800);
	CHECK_EQ_U(plan(), MB_OK);
	/* Every module takes a page; a range has two, the kernel one. */
	for (unsigned i = 0; i < 129; i++)
		CHECK_EQ_U(allocs[i].addr, MIB + (i < 2 ? i * 0x1000 :
			   ((i + 1) / 2) * 0x3000 + ((i + 1) & 1) * 0x1000));
	/* 128 ranges of two pages, less the kernel's: 255 pages, and the
	 * entries past MB_MAX_RANGES are not used. */
	while (nalloc < 2 * MB_MAX_RANGES - 1)
		add_alloc("m", 0x800, 0x800);
	CHECK_EQ_U(plan(), MB_OK);
	CHECK_EQ_U(allocs[nalloc - 1].addr, MIB + (MB_MAX_RANGES - 1) * 0x3000 +
		   0x1000);
	add_alloc("last", 0x800, 0x800);
	CHECK_EQ_U(plan(), MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(err.msg, "last: ");

	/* The worst case for splitting free ranges: each allocation splits
	 * one (unaligned range starts), with the most ranges and segments. */
	reset();
	for (unsigned i = 0; i < MB_MAX_RANGES; i++)
		add_ram(MIB + i * 0x100000ull + 0x10, MIB + i * 0x100000ull +
			0xf0000);
	for (unsigned i = 0; i < MB_MAX_SEGMENTS; i++)
		add_seg((uint32_t)(MIB + i * 0x100000ull + 0x80000), 0x10);
	for (unsigned i = 0; i < 129; i++)
		add_alloc("m", 0x10, 0x100);
	CHECK_EQ_U(plan(), MB_OK);
}

/* --- the model --------------------------------------------------------------
 * Written without a free list: an address is usable when the RAM ranges
 * cover it and no busy interval (low memory, 4 GiB and up, kernel pages,
 * earlier allocations) touches it.  The lowest usable aligned address is
 * the aligned start of some free run, and every run starts at a RAM range
 * start or at the end of a busy interval, so trying those finds it. */

struct busy {
	unsigned n;
	uint64_t s[256], e[256];
};

static unsigned model_nram(void)
{
	return nram < MB_MAX_RANGES ? nram : MB_MAX_RANGES;
}

/** True if the RAM ranges together cover [s, e) (s < e). */
static int ram_covers(uint64_t s, uint64_t e)
{
	uint64_t pos = s;

	while (pos < e) {
		uint64_t best = pos;
		for (unsigned i = 0; i < model_nram(); i++)
			if (ram[i].start <= pos && ram[i].end > pos &&
			    ram[i].end > best)
				best = ram[i].end;
		if (best == pos)
			return 0;
		pos = best;
	}
	return 1;
}

static int busy_hits(const struct busy *b, uint64_t s, uint64_t e)
{
	for (unsigned i = 0; i < b->n; i++)
		if (s < b->e[i] && b->s[i] < e)
			return 1;
	return 0;
}

static void busy_add(struct busy *b, uint64_t s, uint64_t e)
{
	b->s[b->n] = s;
	b->e[b->n] = e;
	b->n++;
}

static uint64_t page_down(uint64_t x)
{
	return x & ~(uint64_t)(MB_PAGE_SIZE - 1);
}

static uint64_t up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

/** What the planner should do; fills @want (allocation addresses). */
static int model_plan(uint32_t *want)
{
	static struct busy b;

	for (unsigned i = 0; i < img.nsegs; i++) {
		uint64_t s = img.segs[i].addr, e = s + img.segs[i].memsz;
		if (s < MB_LOW_LIMIT)
			return MB_E_SEGMENT_IN_USE;
		if (!ram_covers(s, e))
			return MB_E_SEGMENT_NOT_RAM;
	}
	b.n = 0;
	busy_add(&b, 0, MB_LOW_LIMIT);
	busy_add(&b, FOUR_GIB, ~0ull);
	for (unsigned i = 0; i < img.nsegs; i++) {
		uint64_t s = img.segs[i].addr, e = s + img.segs[i].memsz;
		busy_add(&b, page_down(s), up(e, MB_PAGE_SIZE));
	}
	for (unsigned k = 0; k < nalloc; k++) {
		uint64_t size = allocs[k].size;
		uint64_t align = allocs[k].align ? allocs[k].align : 1;
		uint64_t best = ~0ull;
		for (unsigned c = 0; c < model_nram() + b.n; c++) {
			uint64_t x = c < model_nram() ? ram[c].start :
				     b.e[c - model_nram()];
			uint64_t a = up(x, align);
			if (a < x || a >= FOUR_GIB || a + size > FOUR_GIB)
				continue;
			if (a < best && ram_covers(a, a + size) &&
			    !busy_hits(&b, a, a + size))
				best = a;
		}
		if (best == ~0ull)
			return MB_E_OUT_OF_MEMORY;
		want[k] = (uint32_t)best;
		busy_add(&b, best, up(best + size, MB_PAGE_SIZE));
	}
	return MB_OK;
}

static uint32_t rng_state = 2463534242u;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static uint64_t rnd64(void)
{
	return (uint64_t)rnd() << 32 | rnd();
}

/** An address: mostly around the first few MiB, sometimes anywhere. */
static uint64_t rnd_addr(void)
{
	switch (rnd() % 8) {
	case 0:
		return rnd64() >> (rnd() % 64);
	case 1:
		return FOUR_GIB - (rnd() % (64 * MIB));
	case 2:
		return rnd() % (2 * MIB);
	default:
		return MIB + (rnd() % (32 * MIB) & ~(uint64_t)(rnd() % 2 ? 0xfff :
							     0));
	}
}

static uint32_t rnd_size(void)
{
	switch (rnd() % 6) {
	case 0:
		return 1 + rnd() % 16;
	case 1:
		return 1 + rnd();
	case 2:
		return MB_PAGE_SIZE * (1 + rnd() % 16);
	default:
		return 1 + rnd() % (4 * MIB);
	}
}

static void test_random(void)
{
	unsigned agree = 0, ok = 0, oom = 0, seg_err = 0;

	for (int iter = 0; iter < 30000; iter++) {
		reset();
		unsigned nr = rnd() % 12;
		for (unsigned i = 0; i < nr; i++) {
			uint64_t s = rnd_addr(), l = rnd() % 4 ? rnd_size() :
							 rnd64() >> (rnd() % 64);
			add_ram(s, rnd() % 16 ? s + l : s - l);	/* some inverted */
			if (ram[i].end < ram[i].start && rnd() % 2)
				ram[i].end = ~0ull;
		}
		unsigned ns = rnd() % 5;
		for (unsigned i = 0; i < ns; i++) {
			/* Mostly inside some RAM range, sometimes anywhere. */
			uint64_t a;
			uint32_t sz = 1 + rnd() % (rnd() % 2 ? 0x3000 : 0x300000);
			if (nr && rnd() % 8) {
				const struct mb_range *r = &ram[rnd() % nr];
				a = r->start + (r->end > r->start ?
						rnd64() % (r->end - r->start) : 0);
			} else {
				a = rnd_addr();
			}
			if (a >= FOUR_GIB || a + sz > FOUR_GIB)
				continue;
			add_seg((uint32_t)a, sz);
		}
		/* Segments of a real image never overlap. */
		int overlap = 0;
		for (unsigned i = 0; i < img.nsegs; i++)
			for (unsigned j = 0; j < i; j++)
				if (img.segs[i].addr < (uint64_t)img.segs[j].addr +
						       img.segs[j].memsz &&
				    img.segs[j].addr < (uint64_t)img.segs[i].addr +
						       img.segs[i].memsz)
					overlap = 1;
		if (overlap)
			img.nsegs = 0;
		unsigned na = rnd() % 10;
		for (unsigned i = 0; i < na; i++)
			add_alloc("m", rnd_size(),
				  rnd() % 3 ? MB_PAGE_SIZE : 1u << (rnd() % 23));

		uint32_t want[200];
		int want_rc = model_plan(want);
		int rc = plan();
		int same = rc == want_rc;
		for (unsigned k = 0; same && rc == MB_OK && k < nalloc; k++)
			same = allocs[k].addr == want[k];
		if (!CHECK_MSG(same, "iteration %d: planner %d, model %d (%s)",
			       iter, rc, want_rc, err.msg))
			continue;
		agree++;
		if (rc == MB_E_OUT_OF_MEMORY)
			oom++;
		if (rc == MB_E_SEGMENT_NOT_RAM || rc == MB_E_SEGMENT_IN_USE)
			seg_err++;
		if (rc != MB_OK)
			continue;
		ok++;

		/* The invariants, checked on their own. */
		int good = 1;
		for (unsigned k = 0; k < nalloc; k++) {
			const struct mb_alloc *a = &allocs[k];
			uint64_t s = a->addr, e = s + a->size;
			uint64_t align = a->align ? a->align : 1;
			good &= s % align == 0;
			good &= s >= MB_LOW_LIMIT && e <= FOUR_GIB;
			good &= ram_covers(s, e);
			for (unsigned j = 0; j < k; j++)
				good &= !(s < (uint64_t)allocs[j].addr +
					       allocs[j].size &&
					  allocs[j].addr < e);
			for (unsigned i = 0; i < img.nsegs; i++) {
				uint64_t ks = page_down(img.segs[i].addr);
				uint64_t ke = up((uint64_t)img.segs[i].addr +
						 img.segs[i].memsz,
						 MB_PAGE_SIZE);
				good &= !(s < ke && ks < e);
			}
		}
		CHECK_MSG(good, "iteration %d: invariants", iter);
	}
	CHECK(agree > 0);
	CHECK_MSG(ok > 3000 && oom > 1000 && seg_err > 1000,
		  "random cases cover every outcome: %u ok, %u oom, %u segment",
		  ok, oom, seg_err);
}

int main(void)
{
	test_basic();
	test_odd_kernel();
	test_ram_shapes();
	test_low_and_high();
	test_segment_errors();
	test_out_of_memory();
	test_many();
	test_random();
	return check_summary("place");
}
