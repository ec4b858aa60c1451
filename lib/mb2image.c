/*
 * mb2image.c - the segments of a Multiboot2 kernel (from its address tag
 * or its ELF program headers) and the relocation of a relocatable one
 * (see mb2.h).
 *
 * The address tag works like the Multiboot 1 a.out kludge: it places the
 * header at header_addr, so file offset X goes to load_addr + (X -
 * load_offset), load_offset being the header's offset minus (header_addr -
 * load_addr).  load_addr 0xFFFFFFFF means "load from the file's start":
 * load_offset is 0 and the file's first byte goes to header_addr minus the
 * header's offset.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "mb2.h"
#include "util.h"

#define FOUR_GIB 0x100000000ull

/** One segment for @img from the address tag of @h; also the entry. */
static int address_segment(size_t len, const char *name,
			   const struct mb2_header_info *h,
			   struct mb_image *img, struct mb_error *err)
{
	uint32_t off = h->offset, load_addr, load_offset;

	if (h->load_addr == MB2_LOAD_FROM_START) {
		if (h->header_addr < off)
			return mb_fail(err, MB_E_AOUT_FIELDS,
				       "%s: Multiboot2 address tag: load_addr -1 (from the file's start) with header_addr 0x%08x puts the file's start below 0 (the header is %u bytes into the file)",
				       name, h->header_addr, off);
		load_addr = h->header_addr - off;
		load_offset = 0;
	} else {
		load_addr = h->load_addr;
		if (load_addr > h->header_addr)
			return mb_fail(err, MB_E_AOUT_FIELDS,
				       "%s: Multiboot2 address tag: load_addr 0x%08x is above header_addr 0x%08x",
				       name, load_addr, h->header_addr);
		if (h->header_addr - load_addr > off)
			return mb_fail(err, MB_E_AOUT_FIELDS,
				       "%s: Multiboot2 address tag: header_addr - load_addr = 0x%x but the header is only %u bytes into the file",
				       name, h->header_addr - load_addr, off);
		load_offset = off - (h->header_addr - load_addr);
	}

	uint64_t file_bytes = len - load_offset;	/* load_end_addr 0: EOF */
	if (h->load_end_addr) {
		if (h->load_end_addr < load_addr)
			return mb_fail(err, MB_E_AOUT_FIELDS,
				       "%s: Multiboot2 address tag: load_end_addr 0x%08x is below load_addr 0x%08x",
				       name, h->load_end_addr, load_addr);
		if (h->load_end_addr - load_addr > file_bytes)
			return mb_fail(err, MB_E_SEGMENT_FILE,
				       "%s: Multiboot2 address tag: load_end_addr 0x%08x asks for %u bytes but the file has only %llu from offset %u",
				       name, h->load_end_addr,
				       h->load_end_addr - load_addr,
				       (unsigned long long)file_bytes, load_offset);
		file_bytes = h->load_end_addr - load_addr;
	}
	if (load_addr + file_bytes > FOUR_GIB)
		return mb_fail(err, MB_E_SEGMENT_RANGE,
			       "%s: Multiboot2 address tag: image at 0x%08x (%llu bytes) does not fit below 4 GiB",
			       name, load_addr, (unsigned long long)file_bytes);
	uint64_t mem_bytes = file_bytes;
	if (h->bss_end_addr) {
		if ((uint64_t)h->bss_end_addr < load_addr + file_bytes)
			return mb_fail(err, MB_E_AOUT_FIELDS,
				       "%s: Multiboot2 address tag: bss_end_addr 0x%08x is below the end of the loaded image 0x%08llx",
				       name, h->bss_end_addr,
				       (unsigned long long)(load_addr + file_bytes));
		mem_bytes = h->bss_end_addr - load_addr;
	}
	if (mem_bytes == 0)
		return mb_fail(err, MB_E_NO_SEGMENTS,
			       "%s: Multiboot2 address tag describes an empty image",
			       name);
	if (!mb2_has_tag(h, MB2_HT_ENTRY))
		return mb_fail(err, MB_E_ENTRY,
			       "%s: Multiboot2 header has an address tag but no entry address tag (type 3)",
			       name);

	img->format = MB_FMT_AOUT;
	img->nsegs = 1;
	img->segs[0].addr = load_addr;
	img->segs[0].file_off = load_offset;
	img->segs[0].filesz = (uint32_t)file_bytes;
	img->segs[0].memsz = (uint32_t)mem_bytes;
	img->entry = h->entry_addr;
	return MB_OK;
}

/** True if @addr lies inside one of @img's segments. */
static bool in_segment(const struct mb_image *img, uint32_t addr)
{
	for (unsigned i = 0; i < img->nsegs; i++)
		if (addr >= img->segs[i].addr &&
		    addr - img->segs[i].addr < img->segs[i].memsz)
			return true;
	return false;
}

int mb2_image_probe(const uint8_t *buf, size_t len, const char *name,
		    const struct mb2_header_info *h, struct mb_image *img,
		    struct mb_error *err)
{
	int rc;

	mb_memset(&img->header, 0, sizeof(img->header));
	img->header_offset = h->offset;
	img->nsegs = 0;
	if (len == 0)
		return mb_fail(err, MB_E_EMPTY_FILE, "%s: file is empty", name);

	if (mb2_has_tag(h, MB2_HT_ADDRESS)) {
		rc = address_segment(len, name, h, img, err);
	} else if (!mb_is_elf(buf, len)) {
		rc = mb_fail(err, MB_E_NOT_ELF,
			     "%s: not an ELF file and its Multiboot2 header has no address tag (type 2)",
			     name);
	} else {
		rc = mb_elf_segments(buf, len, name, img, err);
		if (!rc && mb2_has_tag(h, MB2_HT_ENTRY))
			img->entry = h->entry_addr;
	}
	if (rc)
		return rc;

	rc = mb_segments_check(img, name, err);
	if (rc)
		return rc;
	if (!in_segment(img, img->entry))
		return mb_fail(err, MB_E_ENTRY,
			       "%s: Multiboot2 entry address 0x%08x is outside every segment (0x%08x-0x%08llx)",
			       name, img->entry, img->segs[0].addr,
			       (unsigned long long)img->segs[img->nsegs - 1].addr +
				       img->segs[img->nsegs - 1].memsz);
	return MB_OK;
}

/** End of the stretch of @ram, clipped to 4 GiB, contiguous from @s. */
static uint64_t run_end(const struct mb_range *ram, unsigned nram, uint64_t s)
{
	uint64_t e = s;
	bool grew = true;

	while (grew && e < FOUR_GIB) {
		grew = false;
		for (unsigned j = 0; j < nram; j++)
			if (ram[j].start <= e && ram[j].end > e) {
				e = ram[j].end;
				grew = true;
			}
	}
	return e < FOUR_GIB ? e : FOUR_GIB;
}

int mb2_relocate(struct mb_image *img, const struct mb2_header_info *h,
		 const struct mb_range *ram, unsigned nram,
		 uint32_t *load_base, const char *name, struct mb_error *err)
{
	if (!img->nsegs)
		return mb_fail(err, MB_E_NO_SEGMENTS,
			       "%s: nothing to relocate", name);

	uint32_t lo = img->segs[0].addr;
	uint64_t hi = 0;
	for (unsigned i = 0; i < img->nsegs; i++) {
		uint64_t end = (uint64_t)img->segs[i].addr + img->segs[i].memsz;
		if (img->segs[i].addr < lo)
			lo = img->segs[i].addr;
		if (end > hi)
			hi = end;
	}
	uint64_t size = hi - lo;	/* >= 1: segments are not empty */
	uint32_t align = h->reloc_align ? h->reloc_align : 1;
	uint64_t min_base = h->reloc_min > MB_LOW_LIMIT ? h->reloc_min :
							  MB_LOW_LIMIT;
	uint64_t max_end = h->reloc_max;	/* below 4 GiB */
	if (nram > MB_MAX_RANGES)
		nram = MB_MAX_RANGES;

	/* Every base in [first, last] of some stretch qualifies. */
	bool found = false, keep = false;
	uint64_t best = 0;
	for (unsigned i = 0; i < nram; i++) {
		if (ram[i].start >= ram[i].end || ram[i].start >= FOUR_GIB)
			continue;
		uint64_t s = ram[i].start, e = run_end(ram, nram, s);
		uint64_t first = s > min_base ? s : min_base;
		uint64_t top = e < max_end ? e : max_end;
		if (top < size || top - size < first)
			continue;
		uint64_t last = top - size;	/* < 4 GiB: size >= 1 */
		uint32_t r = (uint32_t)first % align;
		if (r)
			first += align - r;
		last -= (uint32_t)last % align;
		if (first > last)
			continue;
		if (lo >= first && lo <= last && lo % align == 0)
			keep = true;
		if (!found || (h->reloc_pref == MB2_RELOC_PREF_HIGH ?
			       last > best : first < best))
			best = h->reloc_pref == MB2_RELOC_PREF_HIGH ? last :
								      first;
		found = true;
	}
	if (!found)
		return mb_fail(err, MB_E_RELOCATE,
			       "%s: relocatable image of %llu bytes (linked at 0x%08x) fits nowhere in usable RAM at or above 1 MiB with min_addr 0x%08x, max_addr 0x%08x, align 0x%x",
			       name, (unsigned long long)size, lo, h->reloc_min,
			       h->reloc_max, h->reloc_align);
	if (keep && h->reloc_pref != MB2_RELOC_PREF_LOW &&
	    h->reloc_pref != MB2_RELOC_PREF_HIGH)
		best = lo;

	uint32_t delta = (uint32_t)best - lo;	/* modulo 2^32 */
	for (unsigned i = 0; i < img->nsegs; i++)
		img->segs[i].addr += delta;
	img->entry += delta;
	*load_base = (uint32_t)best;
	return MB_OK;
}
