/*
 * mbi2.h - building the Multiboot2 boot information (specification
 * section 3.6).
 *
 * The information is one self-contained blob of 8-byte aligned tags (no
 * pointers into itself), built in one go into mb2_info_size() bytes:
 *
 *     total_size, reserved | 1 cmdline | 2 loader name | 3 module ... |
 *     4 basic meminfo | [5 bootdev] | 6 memory map | [9 ELF sections] |
 *     [10 APM] | [14 ACPI old] | [15 ACPI new] | [16 network] |
 *     [21 load base] | 0 end
 *
 * Bracketed tags are present only when the input provides them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MBI2_H
#define MBOOT_MBI2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cmdline.h"
#include "multiboot1.h"
#include "mbi1.h"
#include "multiboot2.h"

/** The APM BIOS connect information, as the APM tag (type 10) holds it. */
/* Tag 10 carries the same APM table as Multiboot 1's apm_table:
 * struct mb1_apm (multiboot1.h). */

/** What goes into the boot information.  Optional parts are absent when
 * their pointer is NULL (or their flag false). */
struct mb2_input {
	const struct mb_request *req;	/* files[0] kernel, 1.. modules */
	const uint32_t *mod_addr;	/* final address of module i (1-based) */
	const uint32_t *mod_len;	/* its length in bytes */
	const struct mb_e820 *map;	/* the firmware memory map */
	unsigned nmap;
	const char *loader_name;

	/* Tag 5: BIOS boot device (drive number, partitions or ~0). */
	bool have_bootdev;
	uint32_t bootdev_biosdev, bootdev_partition, bootdev_sub_partition;
	/* Tag 9: the kernel's ELF section headers, @elf_shnum of
	 * @elf_shentsize bytes, already patched with load addresses. */
	const void *elf_shdrs;
	uint32_t elf_shnum, elf_shentsize, elf_shndx;
	/* Tag 10: APM. */
	const struct mb1_apm *apm;
	/* Tag 14: the ACPI RSDP's first 20 bytes (the ACPI 1.0 RSDP). */
	const void *rsdp_v1;
	/* Tag 15: a revision 2+ RSDP, @rsdp_v2_len bytes (its length field). */
	const void *rsdp_v2;
	uint32_t rsdp_v2_len;
	/* Tag 16: the DHCP ACK packet, @dhcp_ack_len bytes. */
	const void *dhcp_ack;
	uint32_t dhcp_ack_len;
	/* Tag 21: the physical address of the image's lowest byte. */
	bool have_load_base;
	uint32_t load_base;
	/* UEFI: tags 12 and 20 (the 64-bit system table and image handle),
	 * 18 (boot services not terminated) when @efi_bs_kept, and 17 (the
	 * raw EFI memory map, @efi_mmap_len bytes of @efi_desc_size-byte
	 * descriptors).  The map grows with every allocation, so the size
	 * reported by mb2_info_size() leaves @efi_mmap_room more bytes. */
	bool have_efi64;
	uint64_t efi64_system_table, efi64_image_handle;
	bool efi_bs_kept;
	const void *efi_mmap;
	uint32_t efi_mmap_len, efi_desc_size, efi_desc_version;
	uint32_t efi_mmap_room;
};

/** Mask of MB2_INFO_BIT(type) for every tag type mb2_info_build() emits
 * for @in (including 0, the end tag): the @can_give of mb2_check_bios(). */
uint32_t mb2_info_types(const struct mb2_input *in);

/** Bytes mb2_info_build() writes for @in (its total_size). */
size_t mb2_info_size(const struct mb2_input *in);

/**
 * Build the boot information for @in into @buf (at least mb2_info_size()
 * bytes), to be copied to physical address @addr, which must be 8-byte
 * aligned (the tags hold no pointers into the blob, so nothing else depends
 * on it).  Padding and reserved fields are zero.  mem_lower/mem_upper are
 * computed as for Multiboot 1; memory map entries are the firmware's, in
 * its order.  Returns the size written (== mb2_info_size()), or 0 if @addr
 * is not 8-byte aligned.
 */
size_t mb2_info_build(const struct mb2_input *in, void *buf, uint32_t addr);

#endif
