/*
 * firmware.h - what the load pipeline needs from the firmware underneath
 * PXELINUX: BIOS (pxelinux.0, fw_bios.c) or UEFI (syslinux.efi, fw_efi.c).
 *
 * The pipeline in main.c is the same on both; only these steps differ:
 *
 *   memory map   E820 (INT 15h)                 GetMemoryMap, converted
 *   space        one big heap block (arena)     conventional memory < 4 GiB
 *   claim        nothing (the arena owns it)    AllocatePages(AllocateAddress)
 *   kernel       copied by the trampoline       copied at once (memory owned)
 *   boot         trampoline, i386 state         jump to the EFI amd64 entry
 *                                               with boot services kept
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_FIRMWARE_H
#define MBOOT_FIRMWARE_H

#include <stdint.h>
#include "../lib/error.h"
#include "../lib/image.h"
#include "../lib/mb2.h"
#include "../lib/mbi1.h"
#include "../lib/mbi2.h"
#include "../lib/place.h"

/** Extra facts for Multiboot 2 information tags (NULL/0 when absent). */
struct fw_info {
	const void *rsdp_v1;		/* 20-byte ACPI 1.0 RSDP */
	const void *rsdp_v2;		/* ACPI 2.0+ RSDP */
	uint32_t rsdp_v2_len;
	const void *dhcp_ack;		/* the DHCP ACK PXELINUX received */
	uint32_t dhcp_ack_len;
	uint64_t efi_system_table;	/* EFI only */
	uint64_t efi_image_handle;	/* EFI only */
	const void *efi_mmap;		/* EFI only: the raw map, for tag 17 */
	const struct mb1_apm *apm;	/* BIOS with APM: its 32-bit interface */
	uint32_t efi_mmap_len, efi_desc_size, efi_desc_version;
};

#ifdef __FIRMWARE_EFI64__
/* UEFI: Multiboot 2 with an EFI amd64 entry and boot services kept. */
#define FW_NEEDS_MB2 1
#define FW_CHECK_MB2 fw_efi_check_mb2
/** Refuse what a UEFI boot cannot give (@can_give: MB2_INFO_BIT mask). */
int fw_efi_check_mb2(const struct mb2_header_info *h, const char *name,
		     uint32_t can_give, struct mb_error *err);
#else
#define FW_NEEDS_MB2 0
#define FW_CHECK_MB2 mb2_check_bios
#endif

/** Set up (EFI: find the system table and image handle). */
int fw_init(struct mb_error *err);

/** The machine's memory map, as E820-style entries; returns the count. */
unsigned fw_memory_map(struct mb_e820 *map, unsigned max);

/**
 * Ranges where kernel segments may be loaded (checked by the planner);
 * returns the count.
 */
unsigned fw_segment_ranges(struct mb_range *r, unsigned max);

/**
 * Ranges the loader owns (or may claim) for modules, the information
 * structure and its own pieces; returns the count, 0 on failure.
 */
unsigned fw_alloc_ranges(struct mb_range *r, unsigned max,
			 struct mb_error *err);

/** Take [addr, addr+len) for good (EFI: AllocatePages); 0 or an error. */
int fw_claim(uint32_t addr, uint32_t len, const char *what,
	     struct mb_error *err);

/** Give back everything taken (after a failure). */
void fw_release(void);

/** Fill @info with what the firmware can tell. */
void fw_get_info(struct fw_info *info);

/**
 * Bytes to reserve, inside the allocation ranges, for the boot step of an
 * image with @nsegs segments (BIOS: the trampoline; EFI: 0).
 */
uint32_t fw_boot_area_size(unsigned nsegs);

/**
 * Where the information structure (@size bytes) finally lives, when the
 * boot step moves it there from where the plan staged it; 0 when it stays
 * where it was planned.  BIOS: low memory (mb_load_info_low_addr in
 * lib/loadplan.h says where and why).  EFI: 0.
 */
uint32_t fw_info_final_addr(const struct mb_e820 *map, unsigned nmap,
			    uint32_t size);

/**
 * Have the boot step copy @len bytes from @staged to @final_addr before it
 * loads the kernel (BIOS: the information structure, built for its low
 * address; see fw_info_final_addr).  @staged must lie clear of every
 * segment.  One such copy; a later call replaces it.
 */
void fw_move_at_boot(const void *staged, uint32_t len, uint32_t final_addr);

/**
 * Load the kernel's segments from @image (a buffer no segment overlaps)
 * and enter it at @entry with EAX=@magic, EBX=@info_addr.  @area is the
 * reserved boot area.  @efi_entry: use the EFI amd64 entry (boot services
 * kept).  Returns only on failure.
 */
int fw_boot(const struct mb_image *img, const uint8_t *image, void *area,
	    uint32_t magic, uint32_t info_addr, int efi_entry,
	    struct mb_error *err);

#endif
