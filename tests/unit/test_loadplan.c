/*
 * test_loadplan.c - the load plan policy (lib/loadplan.c) that the module
 * and the host checker share: which slots exist, their sizes, alignments
 * and order, where they land, and the planner's failures passed through.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include "plan_fixture.h"
#include "put.h"
#include "elfsec.h"
#include "util.h"

/** True if [a, a+al) and [b, b+bl) share a byte. */
static int overlap(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return al && bl && a < b + bl && b < a + al;
}

/** Every placed slot: aligned, inside the arena, clear of the segments
 * (whole pages) and of every other slot. */
static void check_invariants(void)
{
	for (unsigned i = 0; i < fx_plan.nallocs; i++) {
		const struct mb_alloc *a = &fx_plan.allocs[i];
		if (!a->size)
			continue;
		CHECK_MSG(a->addr % a->align == 0, "%s at 0x%x aligned to %u",
			  a->name, a->addr, a->align);
		CHECK_MSG(a->addr >= fx_space[0].start &&
			  a->addr + (uint64_t)a->size <= fx_space[0].end,
			  "%s inside the arena", a->name);
		for (unsigned s = 0; s < fx_img.nsegs; s++)
			CHECK_MSG(!overlap(a->addr, a->size,
					   fx_img.segs[s].addr & ~0xfffu,
					   MB_ALIGN_UP(fx_img.segs[s].addr +
						       fx_img.segs[s].memsz,
						       0x1000u) -
					   (fx_img.segs[s].addr & ~0xfffu)),
				  "%s clear of segment %u", a->name, s);
		for (unsigned j = i + 1; j < fx_plan.nallocs; j++)
			CHECK_MSG(!overlap(a->addr, a->size,
					   fx_plan.allocs[j].addr,
					   fx_plan.allocs[j].size),
				  "%s clear of %s", a->name,
				  fx_plan.allocs[j].name);
	}
}

static void test_mb1(void)
{
	static const uint32_t mods[] = { 100000, 3, 0 };
	fx_setup("-v xen.gz dom0_mem=512M --- vmlinuz root=/dev/ram --- initrd.gz --- empty.bin",
		 1, mods, 0x08000000, 0x1f000000);
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	CHECK_EQ_U(fx_plan.nallocs, MB_SLOT_MODS + 3);
	/* Slot sizes: the information as mbi1.c builds it, the boot area
	 * given, no image copy, no ELF sections. */
	CHECK_EQ_U(fx_plan.info_size, mb1_info_size(&fx_in1));
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_INFO].size, fx_plan.info_size);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_INFO].align, 8);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_BOOT].size, 0x2c0);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_BOOT].align, 16);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_IMAGE].size, 0);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_ELFSEC].size, 0);
	CHECK_STR(fx_plan.allocs[MB_SLOT_MODS].name, "vmlinuz");
	CHECK_STR(fx_plan.allocs[MB_SLOT_MODS + 2].name, "empty.bin");
	/* In slot order, lowest first: info at the arena's start, boot area
	 * on the next page, modules page by page after. */
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_INFO].addr, 0x08000000);
	CHECK_EQ_U(fx_plan.info_addr, 0x08000000);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_BOOT].addr, 0x08001000);
	CHECK_EQ_U(fx_plan.mod_addr[0], 0);
	CHECK_EQ_U(fx_plan.mod_addr[1], 0x08002000);
	CHECK_EQ_U(fx_plan.mod_addr[2], 0x08002000 + 0x19000);
	CHECK_EQ_U(fx_plan.mod_addr[3], 0x08002000 + 0x1a000);
	check_invariants();
	CHECK_EQ_U(mb_load_total_bytes(&fx_in), 0x29000 + 100003);
}

static void test_image_copy(void)
{
	static const uint32_t mods[] = { 5000 };
	/* The arena starts right above the kernel: the planner must keep
	 * the copy (and everything else) clear of its pages. */
	fx_setup("k.elf --- m", 1, mods, 0x100000, 0x400000);
	fx_in.move_image = true;
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_IMAGE].size, 0x29000);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_IMAGE].addr % 16, 0);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_INFO].addr, 0x120000);
	check_invariants();

	/* Where the heap copy lies decides it. */
	CHECK(mb_load_image_must_move(&fx_img, 0x0ff000, 0x1001));
	CHECK(!mb_load_image_must_move(&fx_img, 0x0ff000, 0x1000));
	CHECK(mb_load_image_must_move(&fx_img, 0x347fff, 1));
	CHECK(!mb_load_image_must_move(&fx_img, 0x348000, 0x100000));
	CHECK(!mb_load_image_must_move(&fx_img, 0x120000, 0x1e0000));
	CHECK(mb_load_image_must_move(&fx_img, 0x120000, 0x1e0001));
}

static void test_failures(void)
{
	static const uint32_t mods[] = { 4096, 200u << 20 };
	fx_setup("k.elf --- small.bin --- huge.bin", 1, mods, 0x08000000,
		 0x10000000);
	CHECK_EQ_U(fx_plan_it(), MB_E_OUT_OF_MEMORY);
	CHECK_EQ_U(fx_err.code, MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(fx_err.msg,
		       "huge.bin: out of memory: needs 209715200 bytes (204800 KiB) in one piece, the largest free block below 4 GiB is 131060 KiB (131060 KiB free in all, 204800 KiB still to place)");

	/* A segment outside the RAM given: the kernel is named. */
	static const uint32_t one[] = { 10 };
	fx_setup("kern.elf --- m", 1, one, 0x08000000, 0x10000000);
	fx_img.segs[1].addr = 0x1fff0000;
	CHECK_EQ_U(fx_plan_it(), MB_E_SEGMENT_NOT_RAM);
	CHECK_CONTAINS(fx_err.msg,
		       "kern.elf: segment 0x1fff0000-0x20038000 is not inside usable RAM");

	/* The boot area alone does not fit a tiny arena. */
	fx_setup("kern.elf --- m", 1, one, 0x08000000, 0x08001000);
	fx_in.boot_area_size = 0x2000;
	CHECK_EQ_U(fx_plan_it(), MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(fx_err.msg, "boot area: out of memory: needs 8192 bytes");
}

static uint8_t elf[4096];

/** A small ELF32 with a section header table (null, .text, .comment). */
static void build_elf(void)
{
	memset(elf, 0, sizeof(elf));
	memcpy(elf, "\177ELF\1\1\1", 7);
	put32(elf + 32, 0x200);		/* e_shoff */
	put16(elf + 46, 40);		/* e_shentsize */
	put16(elf + 48, 3);		/* e_shnum */
	put16(elf + 50, 0);		/* e_shstrndx */
	uint8_t *h = elf + 0x200 + 40;
	put32(h + 4, 1);
	put32(h + 8, 6);		/* SHF_ALLOC | SHF_EXECINSTR */
	put32(h + 12, 0x100000);
	put32(h + 16, 0x100);
	put32(h + 20, 0x80);
	h += 40;
	put32(h + 4, 1);		/* .comment: copied */
	put32(h + 16, 0x500);
	put32(h + 20, 14);
}

static void test_elf_sections(void)
{
	static const uint32_t mods[] = { 777 };
	struct mb_elf_sections es;

	build_elf();
	fx_setup("k.elf --- m", 2, mods, 0x08000000, 0x10000000);
	/* Multiboot 1, or an a.out kernel: no tag 9, inputs untouched. */
	CHECK(!mb_load_elf_sections(1, &fx_img, elf, sizeof(elf), &fx_in2, &es));
	fx_img.format = MB_FMT_AOUT;
	CHECK(!mb_load_elf_sections(2, &fx_img, elf, sizeof(elf), &fx_in2, &es));
	CHECK(fx_in2.elf_shdrs == NULL);
	fx_img.format = MB_FMT_ELF32;
	CHECK(mb_load_elf_sections(2, &fx_img, elf, sizeof(elf), &fx_in2, &es));
	CHECK(fx_in2.elf_shdrs == elf + 0x200);
	CHECK_EQ_U(fx_in2.elf_shnum, 3);
	CHECK_EQ_U(fx_in2.elf_shentsize, 40);
	CHECK_EQ_U(es.size, 120 + 14);
	/* The tag is counted in the information and the copy gets a slot. */
	size_t without = mb2_info_size(&fx_in2);
	fx_in.elfsec_size = es.size;
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	CHECK_EQ_U(fx_plan.info_size, without);
	CHECK_EQ_U(fx_plan.info_size, mb2_info_size(&fx_in2));
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_ELFSEC].size, 134);
	CHECK_EQ_U(fx_plan.allocs[MB_SLOT_ELFSEC].addr % 8, 0);
	check_invariants();
	/* A file too short for its table: no tag. */
	CHECK(!mb_load_elf_sections(2, &fx_img, elf, 0x200, &fx_in2, &es));
}

static void test_mb2_info_size(void)
{
	static const uint32_t mods[] = { 1, 2 };
	fx_setup("-mb2 k.elf a b c --- m1 x --- m2", 2, mods, 0x08000000,
		 0x10000000);
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	CHECK_EQ_U(fx_plan.info_size, mb2_info_size(&fx_in2));
	/* The EFI map's room is reserved in the slot. */
	static uint8_t efimap[480];
	fx_in2.efi_mmap = efimap;
	fx_in2.efi_mmap_len = sizeof(efimap);
	fx_in2.efi_desc_size = 48;
	fx_in2.efi_mmap_room = 256 * 48;
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	CHECK(fx_plan.info_size >= sizeof(efimap) + 256 * 48);
	CHECK_EQ_U(fx_plan.info_size, mb2_info_size(&fx_in2));
	check_invariants();
}

int main(void)
{
	test_mb1();
	test_image_copy();
	test_failures();
	test_elf_sections();
	test_mb2_info_size();
	return check_summary("loadplan");
}
