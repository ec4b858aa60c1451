/*
 * fuzz_probe.c - libFuzzer target for the kernel image path: Multiboot
 * header search, ELF32/ELF64/a.out-kludge parsing (lib/mbheader.c,
 * lib/image.c, lib/elf.c, lib/aout.c) and the placement planner
 * (lib/place.c) on a memory map taken from the same input.
 *
 * Input layout (PREFIX_SIZE bytes, then the kernel file):
 *
 *     0        options: bit 0 -noaout, bit 1 -aout
 *     1        number of RAM ranges (mod MAX_RAM + 1)
 *     2        number of allocations (mod MAX_ALLOC + 1)
 *     3        unused
 *     4..      MAX_RAM ranges of 10 bytes: u32 start, u32 length,
 *              u8 start shift, u8 length shift (value << (shift % 20));
 *              length shift bit 7 set: the range is given inverted
 *     164..    MAX_ALLOC allocations of 5 bytes: u32 size, u8 log2 align
 *     256..    the kernel file
 *
 * After a successful probe every segment must lie inside the file and
 * below 4 GiB, segments must be sorted and disjoint and the entry inside
 * one; its file bytes are read (so ASan sees any bound that is wrong).
 * After a successful plan every allocation must be aligned, in RAM, at or
 * above 1 MiB, below 4 GiB and clear of the others and the kernel pages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmdline.h"
#include "image.h"
#include "place.h"
#include "util.h"

#define FUZZ_NAME "fuzz_probe"
#include "fuzz_common.h"

#define PREFIX_SIZE 256
#define MAX_RAM 16
#define MAX_ALLOC 16
#define RAM_AT 4
#define ALLOC_AT (RAM_AT + MAX_RAM * 10)


static void check_image(const struct mb_image *img, const uint8_t *buf,
			size_t len)
{
	if (img->format != MB_FMT_ELF32 && img->format != MB_FMT_ELF64 &&
	    img->format != MB_FMT_AOUT)
		fail("format", NULL);
	/* The header, as long as its flags make it, is inside the file and
	 * inside the first 8 KiB, and its checksum is right. */
	uint32_t flags = img->header.flags;
	uint32_t need = flags & MB1_HF_VIDEO_MODE ? 48 :
			flags & MB1_HF_AOUT_KLUDGE ? 32 : 12;
	if (img->header_offset % 4 || img->header_offset + need > 8192 ||
	    img->header_offset + need > len ||
	    img->header.magic != MB1_HEADER_MAGIC ||
	    (uint32_t)(img->header.magic + flags + img->header.checksum) ||
	    memcmp(buf + img->header_offset, &img->header, need))
		fail("header", NULL);
	if (flags & 0xfffc)
		fail("unsupported required flag accepted", NULL);
	check_segments(img, buf, len);
}

static void check_plan(const struct mb_image *img, const struct mb_range *ram,
		       unsigned nram, const struct mb_alloc *a, unsigned n)
{
	for (unsigned i = 0; i < img->nsegs; i++)
		if (img->segs[i].addr < MB_LOW_LIMIT ||
		    !covered(ram, nram, img->segs[i].addr,
			     (uint64_t)img->segs[i].addr + img->segs[i].memsz))
			fail("kernel segment accepted outside RAM", NULL);
	for (unsigned k = 0; k < n; k++) {
		uint64_t s = a[k].addr, e = s + a[k].size;
		uint64_t align = a[k].align ? a[k].align : 1;
		if (s % align)
			fail("allocation misaligned", NULL);
		if (s < MB_LOW_LIMIT || e > FOUR_GIB)
			fail("allocation below 1 MiB or above 4 GiB", NULL);
		if (a[k].size && !covered(ram, nram, s, e))
			fail("allocation outside RAM", NULL);
		for (unsigned j = 0; j < k; j++)
			if (a[k].size && a[j].size && s < (uint64_t)a[j].addr +
			    a[j].size && a[j].addr < e)
				fail("allocations overlap", NULL);
		for (unsigned i = 0; i < img->nsegs; i++) {
			uint64_t ks = img->segs[i].addr & ~(uint64_t)0xfff;
			uint64_t ke = MB_ALIGN_UP((uint64_t)img->segs[i].addr +
						  img->segs[i].memsz,
						  (uint64_t)MB_PAGE_SIZE);
			if (a[k].size && s < ke && ks < e)
				fail("allocation on a kernel page", NULL);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb_image img;
	static struct mb_range ram[MAX_RAM];
	static struct mb_alloc allocs[MAX_ALLOC];
	struct mb_error err;

	if (size < PREFIX_SIZE)
		return 0;
	const uint8_t *file = data + PREFIX_SIZE;
	size_t len = size - PREFIX_SIZE;
	unsigned opts = (data[0] & 1 ? MB_OPT_NOAOUT : 0) |
			(data[0] & 2 ? MB_OPT_AOUT : 0);
	unsigned nram = data[1] % (MAX_RAM + 1);
	unsigned nalloc = data[2] % (MAX_ALLOC + 1);

	memset(&err, 0, sizeof(err));
	memset(&img, 0xa5, sizeof(img));
	int rc = mb_image_probe(file, len, "kernel", opts, &img, &err);
	if (rc) {
		check_error(rc, &err);
		return 0;
	}
	check_image(&img, file, len);

	for (unsigned i = 0; i < nram; i++) {
		const uint8_t *p = data + RAM_AT + i * 10;
		uint64_t s = (uint64_t)mb_le32(p) << (p[8] % 20);
		uint64_t l = (uint64_t)mb_le32(p + 4) << (p[9] % 20);
		ram[i].start = p[9] & 0x80 ? s + l : s;
		ram[i].end = p[9] & 0x80 ? s : s + l;
	}
	for (unsigned k = 0; k < nalloc; k++) {
		const uint8_t *p = data + ALLOC_AT + k * 5;
		allocs[k].name = "module";
		allocs[k].size = mb_le32(p);
		allocs[k].align = 1u << (p[4] % 32);
		allocs[k].addr = 0;
	}
	rc = mb_plan(ram, nram, &img, "kernel", allocs, nalloc, &err);
	if (rc) {
		check_error(rc, &err);
		if (rc != MB_E_SEGMENT_IN_USE && rc != MB_E_SEGMENT_NOT_RAM &&
		    rc != MB_E_OUT_OF_MEMORY)
			fail("unexpected planner error", &err);
		return 0;
	}
	check_plan(&img, ram, nram, allocs, nalloc);
	return 0;
}
