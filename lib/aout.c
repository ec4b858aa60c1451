/*
 * aout.c - kernel segment from the a.out kludge address fields (header
 * flag 16; Multiboot spec section 3.1.3).
 *
 * The fields place the header at header_addr, so file offset X maps to
 * address load_addr + (X - load_offset) where load_offset is the header's
 * file offset minus (header_addr - load_addr).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "image.h"

int mb_aout_segments(const uint8_t *buf, size_t len, const char *name,
		     struct mb_image *img, struct mb_error *err)
{
	const struct mb1_header *h = &img->header;
	uint32_t off = img->header_offset;
	(void)buf;

	if (h->load_addr > h->header_addr)
		return mb_fail(err, MB_E_AOUT_FIELDS,
			       "%s: a.out kludge: load_addr 0x%08x is above header_addr 0x%08x",
			       name, h->load_addr, h->header_addr);
	if (h->header_addr - h->load_addr > off)
		return mb_fail(err, MB_E_AOUT_FIELDS,
			       "%s: a.out kludge: header_addr - load_addr = 0x%x but the header is only %u bytes into the file",
			       name, h->header_addr - h->load_addr, off);
	uint32_t load_offset = off - (h->header_addr - h->load_addr);
	uint64_t file_bytes = len - load_offset;	/* load_end_addr 0: to EOF */
	if (h->load_end_addr) {
		if (h->load_end_addr < h->load_addr)
			return mb_fail(err, MB_E_AOUT_FIELDS,
				       "%s: a.out kludge: load_end_addr 0x%08x is below load_addr 0x%08x",
				       name, h->load_end_addr, h->load_addr);
		if (h->load_end_addr - h->load_addr > file_bytes)
			return mb_fail(err, MB_E_SEGMENT_FILE,
				       "%s: a.out kludge: load_end_addr 0x%08x asks for %u bytes but the file has only %llu from offset %u",
				       name, h->load_end_addr,
				       h->load_end_addr - h->load_addr,
				       (unsigned long long)file_bytes, load_offset);
		file_bytes = h->load_end_addr - h->load_addr;
	}
	if ((uint64_t)h->load_addr + file_bytes > 0x100000000ull)
		return mb_fail(err, MB_E_SEGMENT_RANGE,
			       "%s: a.out kludge: image at 0x%08x (%llu bytes) does not fit below 4 GiB",
			       name, h->load_addr, (unsigned long long)file_bytes);
	uint64_t mem_bytes = file_bytes;
	if (h->bss_end_addr) {
		if ((uint64_t)h->bss_end_addr < h->load_addr + file_bytes)
			return mb_fail(err, MB_E_AOUT_FIELDS,
				       "%s: a.out kludge: bss_end_addr 0x%08x is below the end of the loaded image 0x%08llx",
				       name, h->bss_end_addr,
				       (unsigned long long)(h->load_addr + file_bytes));
		mem_bytes = h->bss_end_addr - h->load_addr;
	}
	if (mem_bytes == 0)
		return mb_fail(err, MB_E_NO_SEGMENTS,
			       "%s: a.out kludge describes an empty image", name);

	img->format = MB_FMT_AOUT;
	img->nsegs = 1;
	img->segs[0].addr = h->load_addr;
	img->segs[0].file_off = load_offset;
	img->segs[0].filesz = (uint32_t)file_bytes;
	img->segs[0].memsz = (uint32_t)mem_bytes;
	if (h->entry_addr < h->load_addr ||
	    h->entry_addr - h->load_addr >= mem_bytes)
		return mb_fail(err, MB_E_ENTRY,
			       "%s: a.out kludge: entry_addr 0x%08x is outside the image 0x%08x-0x%08llx",
			       name, h->entry_addr, h->load_addr,
			       (unsigned long long)(h->load_addr + mem_bytes));
	img->entry = h->entry_addr;
	return MB_OK;
}
