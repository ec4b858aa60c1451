/*
 * elfsec.h - the ELF section headers for the Multiboot 2 ELF-sections
 * information tag (type 9).
 *
 * The tag carries the kernel's section header table.  Sections the image
 * loads (SHF_ALLOC) already have their addresses; the others (symbol and
 * string tables, debug info) are copied by the loader into memory of its
 * choosing and their sh_addr set there, so the kernel can find its own
 * symbols.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_ELFSEC_H
#define MBOOT_ELFSEC_H

#include <stddef.h>
#include <stdint.h>

/** Where the section header table is and what loading it needs. */
struct mb_elf_sections {
	int elf64;
	uint32_t shoff, shnum, shentsize, shndx;
	uint32_t size;		/* bytes for the table plus the copies */
};

/**
 * Find the section header table of the ELF file @buf (@len bytes).
 * Returns 0 and fills @s when there is a valid one (every header and every
 * non-allocated section's data inside the file), -1 otherwise (then the
 * tag is simply not given).
 */
int mb_elf_sections_find(const uint8_t *buf, size_t len,
			 struct mb_elf_sections *s);

/**
 * Lay out @s->size bytes at @area (physical address @addr): the section
 * header table, then each non-allocated section's data, 8-byte aligned,
 * with its sh_addr pointing there.  Returns the table (for the tag).
 */
const void *mb_elf_sections_place(const uint8_t *buf,
				  const struct mb_elf_sections *s,
				  uint8_t *area, uint32_t addr);

#endif
