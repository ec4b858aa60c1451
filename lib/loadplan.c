/*
 * loadplan.c - what gets placed for a boot, and where (see loadplan.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "loadplan.h"
#include "util.h"

bool mb_load_image_must_move(const struct mb_image *img, uint64_t addr,
			     uint64_t len)
{
	for (unsigned i = 0; i < img->nsegs; i++)
		if (addr < (uint64_t)img->segs[i].addr + img->segs[i].memsz &&
		    img->segs[i].addr < addr + len)
			return true;
	return false;
}

bool mb_load_elf_sections(int proto, const struct mb_image *img,
			  const uint8_t *kernel, uint32_t len,
			  struct mb2_input *in2, struct mb_elf_sections *esec)
{
	if (proto != 2 || img->format == MB_FMT_AOUT ||
	    mb_elf_sections_find(kernel, len, esec))
		return false;
	in2->elf_shdrs = kernel + esec->shoff;
	in2->elf_shnum = esec->shnum;
	in2->elf_shentsize = esec->shentsize;
	in2->elf_shndx = esec->shndx;
	return true;
}

int mb_load_plan(const struct mb_load_input *in, struct mb_load_plan *plan,
		 struct mb_error *err)
{
	const struct mb_request *req = in->req;
	struct mb_alloc *a = plan->allocs;
	size_t info = (in->proto == 1 ? mb1_info_size(in->in1) :
					mb2_info_size(in->in2)) + in->info_room;

	mb_memset(plan, 0, sizeof(*plan));
	plan->info_size = (uint32_t)info;
	a[MB_SLOT_INFO] = (struct mb_alloc){ "Multiboot information",
					     (uint32_t)info, 8, 0 };
	a[MB_SLOT_BOOT] = (struct mb_alloc){ "boot area", in->boot_area_size,
					     16, 0 };
	/* The image is the copy source for its segments: when it lies where
	 * a segment goes, it needs a safe place of its own. */
	a[MB_SLOT_IMAGE] = (struct mb_alloc){
		"kernel image", in->move_image ? in->file_len[0] : 0, 16, 0 };
	a[MB_SLOT_ELFSEC] = (struct mb_alloc){ "ELF sections",
					       in->elfsec_size, 8, 0 };
	for (unsigned i = 1; i < req->nfiles; i++)
		a[MB_SLOT_MODS + i - 1] = (struct mb_alloc){
			req->files[i].name, in->file_len[i], MB_PAGE_SIZE, 0 };
	plan->nallocs = MB_SLOT_MODS + req->nfiles - 1;

	int rc = mb_plan_within(in->ram, in->nram, in->space, in->nspace,
				in->img, req->files[0].name, a, plan->nallocs,
				err);
	if (rc)
		return rc;
	for (unsigned i = 1; i < req->nfiles; i++)
		plan->mod_addr[i] = a[MB_SLOT_MODS + i - 1].addr;
	plan->info_addr = a[MB_SLOT_INFO].addr;
	return MB_OK;
}

uint64_t mb_load_total_bytes(const struct mb_load_input *in)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < in->req->nfiles; i++)
		n += in->file_len[i];
	return n;
}

uint32_t mb_load_info_low_addr(const struct mb_e820 *map, unsigned nmap,
			       uint32_t size)
{
	for (unsigned i = 0; i < nmap; i++) {
		uint64_t end = map[i].base + map[i].len;
		if (map[i].type == MB_E820_RAM &&
		    map[i].base <= MB_INFO_LOW_BASE &&
		    (uint64_t)MB_INFO_LOW_BASE + size <= end &&
		    (uint64_t)MB_INFO_LOW_BASE + size <= MB_INFO_LOW_LIMIT)
			return MB_INFO_LOW_BASE;
	}
	return 0;
}
