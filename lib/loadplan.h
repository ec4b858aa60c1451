/*
 * loadplan.h - what gets placed for a boot, and where: the policy shared by
 * the module (com32/main.c) and the host-side checker (tools/), so that
 * both plan the very same allocations in the very same order.
 *
 * Given the request, the probed kernel, every file's final size, the
 * Multiboot information inputs and the memory the firmware layer offers,
 * mb_load_plan() builds the allocation list
 *
 *     slot MB_SLOT_INFO     the Multiboot information structure (8-aligned)
 *     slot MB_SLOT_BOOT     the boot area (BIOS: the trampoline; 16-aligned)
 *     slot MB_SLOT_IMAGE    a copy of the kernel image, when its current
 *                           copy lies where a segment goes (16-aligned)
 *     slot MB_SLOT_ELFSEC   Multiboot 2 ELF sections (tag 9; 8-aligned)
 *     slot MB_SLOT_MODS+i-1 module i (1-based file index), page-aligned
 *
 * (a slot not needed has size 0 and is not placed) and calls
 * mb_plan_within() (place.h): segments checked against @ram, allocations
 * made inside @space, in slot order, lowest address first.
 *
 * Firmware-specific numbers are inputs, never computed here:
 *   - boot_area_size: the module passes fw_boot_area_size(img->nsegs)
 *     (BIOS: handoff_area_size(2 * nsegs), a few hundred bytes; EFI: 0);
 *   - ram: where segments may go (BIOS: PXELINUX's free memory);
 *   - space: where allocations may go (BIOS: one heap block, the arena,
 *     i.e. the largest malloc block less 2 MiB kept free; EFI: the
 *     conventional memory between 1 MiB and 4 GiB);
 *   - move_image: whether the kernel image's current copy overlaps a
 *     segment (the module asks mb_load_image_must_move() about its heap
 *     copy; a checker that cannot know may pass true, the worst case).
 *
 * The information structure's size comes from mb1_info_size(@in1) or
 * mb2_info_size(@in2), so fill those inputs exactly as for the build
 * (loader name, memory map, APM, ACPI, DHCP ACK, ELF section headers via
 * mb_load_elf_sections(), EFI map room); mod_addr need not be set yet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_LOADPLAN_H
#define MBOOT_LOADPLAN_H

#include <stdbool.h>
#include <stdint.h>
#include "cmdline.h"
#include "elfsec.h"
#include "error.h"
#include "image.h"
#include "mbi1.h"
#include "mbi2.h"
#include "place.h"

/* Fixed slots of the allocation list, in planning order; modules follow. */
enum mb_load_slot {
	MB_SLOT_INFO,
	MB_SLOT_BOOT,
	MB_SLOT_IMAGE,
	MB_SLOT_ELFSEC,
	MB_SLOT_MODS
};
#define MB_LOAD_MAX_ALLOCS (MB_SLOT_MODS + MB_MAX_FILES - 1)

/** Everything the plan depends on (none of it is modified). */
struct mb_load_input {
	const struct mb_request *req;	/* files[0] kernel, 1.. modules */
	const struct mb_image *img;	/* probed, relocated if MB2 asked */
	int proto;			/* 1 or 2 */
	const struct mb1_input *in1;	/* proto 1: sizes the information */
	const struct mb2_input *in2;	/* proto 2: sizes the information */
	/* [0]: the kernel image's length after decompression (the size of
	 * the kernel image copy); [i]: module i's final length (after
	 * -gunzip), i.e. what the kernel will be told. */
	const uint32_t *file_len;
	uint32_t boot_area_size;	/* fw_boot_area_size(img->nsegs) */
	bool move_image;		/* place a copy of the kernel image */
	uint32_t elfsec_size;		/* mb_elf_sections.size, 0 if none */
	/* Bytes the information may still grow by after the plan: the
	 * IPAPPEND strings given to a part once the modules are read
	 * (mb_ipappend_room, lib/ipappend.h); 0 for none. */
	uint32_t info_room;
	const struct mb_range *ram;	/* segments must lie inside */
	unsigned nram;
	const struct mb_range *space;	/* allocations are made inside */
	unsigned nspace;
};

/** The result: every allocation with its address. */
struct mb_load_plan {
	struct mb_alloc allocs[MB_LOAD_MAX_ALLOCS];	/* by slot */
	unsigned nallocs;		/* MB_SLOT_MODS + nfiles - 1 */
	uint32_t info_size;		/* == allocs[MB_SLOT_INFO].size */
	/* Where the kernel finds the information: mb_load_plan() sets it to
	 * allocs[MB_SLOT_INFO].addr; a caller whose boot step moves the
	 * information elsewhere (BIOS: to low memory, fw_info_final_addr)
	 * sets it to that final address.  The table then shows the
	 * information and its parts there, and the planned slot as
	 * "info staging". */
	uint32_t info_addr;
	/* [i]: module i's address (1-based; [0] is 0): what in1/in2's
	 * mod_addr must hold when the information is built. */
	uint32_t mod_addr[MB_MAX_FILES];
};

/**
 * Build the allocation list for @in and plan it (mb_plan_within).
 * Returns MB_OK with @plan filled, or the planner's error (e.g. "NAME:
 * out of memory: needs N bytes ..." or "KERNEL: segment ... is not inside
 * usable RAM") in @err.
 */
int mb_load_plan(const struct mb_load_input *in, struct mb_load_plan *plan,
		 struct mb_error *err);

/**
 * True if [@addr, @addr + @len) overlaps any of @img's segments: then the
 * kernel image held there must be copied elsewhere before the hand-off
 * (the input move_image).
 */
bool mb_load_image_must_move(const struct mb_image *img, uint64_t addr,
			     uint64_t len);

/**
 * The ELF sections policy: a Multiboot 2 boot (@proto 2) of an ELF kernel
 * (@img not a.out) whose section header table is valid gets tag 9.  When
 * it does, fills @esec, points @in2's elf_shdrs/elf_shnum/elf_shentsize/
 * elf_shndx at @kernel's table (for sizing; the module re-points
 * elf_shdrs at the placed copy) and returns true; otherwise leaves @in2
 * alone and returns false.  @kernel is the decompressed image, @len bytes.
 */
bool mb_load_elf_sections(int proto, const struct mb_image *img,
			  const uint8_t *kernel, uint32_t len,
			  struct mb2_input *in2, struct mb_elf_sections *esec);

/* The low-memory home of the information structure on BIOS: above the
 * real-mode IVT, BDA and boot-sector area, below the EBDA and what option
 * ROMs take from the top of base memory. */
#define MB_INFO_LOW_BASE  0x10000u
#define MB_INFO_LOW_LIMIT 0x90000u

/**
 * The BIOS policy for where the kernel finds the information structure
 * (@size bytes): MB_INFO_LOW_BASE when one usable entry of the memory map
 * @map (@nmap entries) covers all of it below MB_INFO_LOW_LIMIT; else 0
 * (it stays in its planned slot).  Low memory is where SYSLINUX's own
 * module and GRUB legacy put it, and kernels rely on that: tboot moves
 * its modules into the memory right after its own image, over anything
 * there.  Low memory is PXELINUX's until the hand-off, so the structure
 * is built in its slot and moved by the boot step (plan info_addr).
 */
uint32_t mb_load_info_low_addr(const struct mb_e820 *map, unsigned nmap,
			       uint32_t size);

/** Sum of @in's file_len over every file (kernel and modules). */
uint64_t mb_load_total_bytes(const struct mb_load_input *in);

#endif
