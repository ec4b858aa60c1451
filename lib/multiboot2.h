/*
 * multiboot2.h - Multiboot2 (specification 2.0) constants and structures,
 * written from the specification.
 *
 * The OS image carries a header (section 3.1): four magic fields followed
 * by 8-byte aligned header tags, {u16 type, u16 flags, u32 size}, the last
 * one of type 0 and size 8.  The loader answers with the boot information
 * (section 3.6): {u32 total_size, u32 reserved} followed by 8-byte aligned
 * information tags, {u32 type, u32 size}, the last one of type 0, size 8.
 * All fields are little-endian on i386.
 *
 * The structures below are the fixed parts of the tags, packed, as they lie
 * in memory; variable parts (strings, lists) follow them directly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MULTIBOOT2_H
#define MBOOT_MULTIBOOT2_H

#include <stdint.h>

#define MB2_HEADER_MAGIC	0xE85250D6u	/* in the OS image */
#define MB2_BOOT_MAGIC		0x36D76289u	/* in EAX at entry */
#define MB2_SEARCH_LIMIT	32768u		/* header wholly within these */
#define MB2_HEADER_ALIGN	8u
#define MB2_TAG_ALIGN		8u		/* header and information tags */
#define MB2_MOD_ALIGN		4096u		/* with header tag 6 */

/* The header's architecture field. */
#define MB2_ARCH_I386		0u	/* 32-bit protected mode of i386 */
#define MB2_ARCH_MIPS32		4u

/* Header tag types (section 3.1.3 onwards). */
#define MB2_HT_END		0
#define MB2_HT_INFO_REQUEST	1	/* u32 list of information types */
#define MB2_HT_ADDRESS		2	/* a.out-kludge-like load addresses */
#define MB2_HT_ENTRY		3	/* i386 entry address */
#define MB2_HT_CONSOLE		4	/* console flags */
#define MB2_HT_FRAMEBUFFER	5	/* preferred width, height, depth */
#define MB2_HT_MODULE_ALIGN	6	/* modules on page boundaries */
#define MB2_HT_EFI_BS		7	/* keep EFI boot services running */
#define MB2_HT_ENTRY_EFI32	8	/* EFI i386 entry address */
#define MB2_HT_ENTRY_EFI64	9	/* EFI amd64 entry address */
#define MB2_HT_RELOCATABLE	10	/* image may be loaded elsewhere */
#define MB2_HT__COUNT		11

/* Header tag flags: bit 0 set means the loader may ignore the tag. */
#define MB2_HT_OPTIONAL		1u

/* Console flags (header tag 4). */
#define MB2_CONSOLE_REQUIRED	(1u << 0)	/* a console must be described */
#define MB2_CONSOLE_EGA_TEXT	(1u << 1)	/* the image handles EGA text */

/* Relocatable header tag preference. */
#define MB2_RELOC_PREF_NONE	0u
#define MB2_RELOC_PREF_LOW	1u
#define MB2_RELOC_PREF_HIGH	2u

/* Boot information tag types (section 3.6). */
#define MB2_IT_END		0
#define MB2_IT_CMDLINE		1
#define MB2_IT_LOADER_NAME	2
#define MB2_IT_MODULE		3
#define MB2_IT_BASIC_MEMINFO	4
#define MB2_IT_BOOTDEV		5
#define MB2_IT_MMAP		6
#define MB2_IT_VBE		7
#define MB2_IT_FRAMEBUFFER	8
#define MB2_IT_ELF_SECTIONS	9
#define MB2_IT_APM		10
#define MB2_IT_EFI32		11
#define MB2_IT_EFI64		12
#define MB2_IT_SMBIOS		13
#define MB2_IT_ACPI_OLD		14
#define MB2_IT_ACPI_NEW		15
#define MB2_IT_NETWORK		16
#define MB2_IT_EFI_MMAP		17
#define MB2_IT_EFI_BS		18
#define MB2_IT_EFI32_IH		19
#define MB2_IT_EFI64_IH		20
#define MB2_IT_LOAD_BASE	21
#define MB2_IT__COUNT		22

/** Bit for boot information type @t (< 32) in masks of types. */
#define MB2_INFO_BIT(t)		(1u << (t))

/** The magic fields at the start of the header. */
struct mb2_header {
	uint32_t magic, architecture, header_length, checksum;
} __attribute__((packed));

/** The start of every header tag. */
struct mb2_header_tag {
	uint16_t type, flags;
	uint32_t size;		/* including these 8 bytes, excluding padding */
} __attribute__((packed));

/* Header tag bodies, after struct mb2_header_tag. */
struct mb2_ht_address {
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
} __attribute__((packed));
#define MB2_LOAD_FROM_START	0xFFFFFFFFu	/* load_addr: file offset 0 */

struct mb2_ht_framebuffer {
	uint32_t width, height, depth;
} __attribute__((packed));

struct mb2_ht_relocatable {
	uint32_t min_addr, max_addr, align, preference;
} __attribute__((packed));

/** The fixed part of the boot information. */
struct mb2_info_fixed {
	uint32_t total_size;	/* including this and the end tag */
	uint32_t reserved;	/* zero */
} __attribute__((packed));

/** The start of every boot information tag. */
struct mb2_tag {
	uint32_t type;
	uint32_t size;		/* including these 8 bytes, excluding padding */
} __attribute__((packed));

/* Types 1 and 2 are a struct mb2_tag followed by a NUL-terminated string. */

/** Type 3: one module, followed by its NUL-terminated command line. */
struct mb2_tag_module {
	uint32_t type, size;
	uint32_t mod_start, mod_end;	/* [mod_start, mod_end) */
} __attribute__((packed));

/** Type 4: KiB of memory from 0 (at most 640) and from 1 MiB. */
struct mb2_tag_meminfo {
	uint32_t type, size;
	uint32_t mem_lower, mem_upper;
} __attribute__((packed));

/** Type 5: the BIOS boot device. */
struct mb2_tag_bootdev {
	uint32_t type, size;
	uint32_t biosdev, partition, sub_partition;
} __attribute__((packed));

/** Type 6: memory map header, followed by entries of entry_size bytes. */
struct mb2_tag_mmap {
	uint32_t type, size;
	uint32_t entry_size;		/* 24 */
	uint32_t entry_version;		/* 0 */
} __attribute__((packed));

/** One memory map entry (version 0). */
struct mb2_mmap_entry {
	uint64_t base_addr, length;
	uint32_t type;		/* 1 RAM, 3 ACPI, 4 preserve, 5 bad, else reserved */
	uint32_t reserved;	/* zero */
} __attribute__((packed));

/**
 * Type 9: ELF section headers, followed by num headers of entsize bytes.
 * The specification's diagram shows u16 fields here, but its own example
 * header and the boot loaders and kernels in use all have u32 fields; the
 * u32 layout is what kernels parse, so that is what we build.
 */
struct mb2_tag_elf_sections {
	uint32_t type, size;
	uint32_t num, entsize, shndx;
} __attribute__((packed));

/** Type 10: the APM BIOS interface (APM 1.2 connect information). */
struct mb2_tag_apm {
	uint32_t type, size;
	uint16_t version, cseg;
	uint32_t offset;
	uint16_t cseg_16, dseg, flags, cseg_len, cseg_16_len, dseg_len;
} __attribute__((packed));

/* Types 14, 15 and 16 are a struct mb2_tag followed by a copy of the ACPI
 * 1.0 RSDP (20 bytes), of the ACPI 2.0+ RSDP (its length field's worth)
 * and of the DHCP ACK packet respectively. */

/** Type 21: where the image was loaded (its lowest byte). */
struct mb2_tag_load_base {
	uint32_t type, size;
	uint32_t load_base_addr;
} __attribute__((packed));

#endif
