/*
 * acpi.h - recognising the ACPI Root System Description Pointer (RSDP).
 *
 * The RSDP lies on a 16-byte boundary in the first KiB of the EBDA or in
 * the BIOS area 0xE0000-0xFFFFF.  Reading those areas is the module's job;
 * this only scans a copy (or a mapping) of one, so the host can test it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_ACPI_H
#define MBOOT_ACPI_H

#include <stddef.h>
#include <stdint.h>

#define MB_RSDP_V1_LEN 20u	/* the ACPI 1.0 structure */
#define MB_RSDP_V2_MIN 36u	/* revision 2 and later, at least */

/**
 * The first valid RSDP in @area[0..@len), looking at offsets that are
 * multiples of 16 (so @area should start on a 16-byte boundary of physical
 * memory): signature "RSD PTR ", the first 20 bytes summing to 0 mod 256,
 * and, for revision 2 or later, a length of at least 36 that fits in the
 * area with all those bytes summing to 0 as well.  Returns a pointer into
 * @area, or NULL.
 */
const uint8_t *mb_find_rsdp(const uint8_t *area, size_t len);

/** Bytes of the RSDP @rsdp (one mb_find_rsdp returned): 20 for revision 0
 * and 1, its length field for revision 2 and later. */
uint32_t mb_rsdp_length(const uint8_t *rsdp);

#endif
