/*
 * mbi1.h - building the Multiboot 1 information structure.
 *
 * The structure, the memory map, the module list and every string are
 * built as one blob, laid out for the physical address it will be copied
 * to, so a single allocation of mb1_info_size() bytes holds it all:
 *
 *     struct mb1_info | mmap entries | mb1_module[n] | strings
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MBI1_H
#define MBOOT_MBI1_H

#include <stddef.h>
#include <stdint.h>
#include "cmdline.h"
#include "multiboot1.h"

/** One firmware (E820) memory map entry. */
struct mb_e820 {
	uint64_t base, len;
	uint32_t type;		/* 1 = usable RAM, 2 = reserved, 3 = ACPI ... */
};
#define MB_E820_RAM 1

/** What goes into the information structure. */
struct mb1_input {
	const struct mb_request *req;	/* files[0] kernel, 1.. modules */
	const uint32_t *mod_addr;	/* final address of module i (1-based) */
	const uint32_t *mod_len;	/* its length in bytes */
	const struct mb_e820 *map;	/* the firmware memory map */
	unsigned nmap;
	const char *loader_name;
	/* The APM table (flag 10), laid out as the Multiboot 1 spec's
	 * apm_table; NULL when the BIOS has no 32-bit APM interface. */
	const struct mb1_apm *apm;
	/* -solaris (lib/solaris.h): the DHCP ACK, copied after everything
	 * else and pointed at by drives_addr/drives_length, boot_device
	 * MB_SOLARIS_BOOT_DEVICE, flag 1 set; NULL: none of it. */
	const void *solaris_dhcp;
	uint32_t solaris_dhcp_len;
};

/** Bytes needed for the blob describing @in. */
size_t mb1_info_size(const struct mb1_input *in);

/**
 * Build the blob into @buf (at least mb1_info_size() bytes) for physical
 * address @addr.  mem_lower/mem_upper come from the map: the usable RAM
 * starting at 0 and the usable RAM contiguous from 1 MiB.  Returns the size
 * written.
 */
size_t mb1_info_build(const struct mb1_input *in, void *buf, uint32_t addr);

/**
 * KiB of usable RAM in @map contiguous from @from (adjacent or overlapping
 * usable entries are joined), capped at 4 GiB.
 */
uint32_t mb_contiguous_kib(const struct mb_e820 *map, unsigned n,
			   uint64_t from);

#endif
