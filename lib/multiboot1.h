/*
 * multiboot1.h - Multiboot 0.6.96 structures, written from the specification.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MULTIBOOT1_H
#define MBOOT_MULTIBOOT1_H

#include <stdint.h>

#define MB1_HEADER_MAGIC	0x1BADB002u	/* in the OS image */
#define MB1_BOOT_MAGIC		0x2BADB002u	/* in EAX at entry */
#define MB1_SEARCH_LIMIT	8192u		/* header within these bytes */
#define MB1_HEADER_ALIGN	4u

/* Header flags.  Bits 0-15 are requirements, 16-31 optional features. */
#define MB1_HF_PAGE_ALIGN	(1u << 0)	/* modules on 4 KiB boundaries */
#define MB1_HF_MEMORY_INFO	(1u << 1)	/* mem_* (and mmap) wanted */
#define MB1_HF_VIDEO_MODE	(1u << 2)	/* video mode table wanted */
#define MB1_HF_AOUT_KLUDGE	(1u << 16)	/* address fields are valid */
#define MB1_HF_REQUIRED_MASK	0x0000ffffu

/** The header as it lies in the image (all fields little-endian). */
struct mb1_header {
	uint32_t magic, flags, checksum;
	/* Valid when MB1_HF_AOUT_KLUDGE is set. */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr,
		entry_addr;
	/* Valid when MB1_HF_VIDEO_MODE is set. */
	uint32_t mode_type, width, height, depth;
} __attribute__((packed));

/* Information flags (struct mb1_info.flags). */
#define MB1_IF_MEMORY		(1u << 0)
#define MB1_IF_BOOTDEV		(1u << 1)
#define MB1_IF_CMDLINE		(1u << 2)
#define MB1_IF_MODS		(1u << 3)
#define MB1_IF_AOUT_SYMS	(1u << 4)
#define MB1_IF_ELF_SHDR		(1u << 5)
#define MB1_IF_MMAP		(1u << 6)
#define MB1_IF_DRIVES		(1u << 7)
#define MB1_IF_CONFIG_TABLE	(1u << 8)
#define MB1_IF_LOADER_NAME	(1u << 9)
#define MB1_IF_APM		(1u << 10)
#define MB1_IF_VBE		(1u << 11)

/** The boot information structure handed over in EBX. */
struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;		/* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off,
		vbe_interface_len;
} __attribute__((packed));

/** The APM table (information flag 10). */
struct mb1_apm {
	uint16_t version, cseg;
	uint32_t offset;
	uint16_t cseg_16, dseg, flags, cseg_len, cseg_16_len, dseg_len;
} __attribute__((packed));

/** One module: [mod_start, mod_end) and its command line. */
struct mb1_module {
	uint32_t mod_start, mod_end, string, reserved;
} __attribute__((packed));

/** One memory map entry; @size counts the bytes after itself (20). */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t base_addr, length;
	uint32_t type;
} __attribute__((packed));

#endif
