/*
 * acpi.c - recognising the ACPI RSDP (see acpi.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "acpi.h"
#include "util.h"

#define RSDP_ALIGN	16u
#define RSDP_REVISION	15	/* byte offsets in the structure */
#define RSDP_LENGTH	20

/** True if the @n bytes at @p sum to 0 modulo 256. */
static int sums_to_zero(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum = (uint8_t)(sum + *p++);
	return sum == 0;
}

/** True if a valid RSDP starts at @p with @room bytes of area left. */
static int rsdp_valid(const uint8_t *p, size_t room)
{
	if (room < MB_RSDP_V1_LEN || mb_memcmp(p, "RSD PTR ", 8) ||
	    !sums_to_zero(p, MB_RSDP_V1_LEN))
		return 0;
	if (p[RSDP_REVISION] < 2)
		return 1;
	if (room < MB_RSDP_V2_MIN)
		return 0;
	uint32_t length = mb_le32(p + RSDP_LENGTH);
	return length >= MB_RSDP_V2_MIN && length <= room &&
	       sums_to_zero(p, length);
}

const uint8_t *mb_find_rsdp(const uint8_t *area, size_t len)
{
	for (size_t off = 0; off < len && len - off >= MB_RSDP_V1_LEN;
	     off += RSDP_ALIGN)
		if (rsdp_valid(area + off, len - off))
			return area + off;
	return NULL;
}

uint32_t mb_rsdp_length(const uint8_t *rsdp)
{
	return rsdp[RSDP_REVISION] < 2 ? MB_RSDP_V1_LEN :
					 mb_le32(rsdp + RSDP_LENGTH);
}
