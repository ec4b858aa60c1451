/*
 * fw_bios.c - the firmware interface under pxelinux.0 (BIOS).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <com32.h>
#include <stdlib.h>
#include <string.h>
#include <syslinux/config.h>
#include <syslinux/pxe.h>
#include "../lib/acpi.h"
#include "../lib/loadplan.h"
#include "arena.h"
#include "firmware.h"
#include "handoff.h"
#include "memmap.h"

/* Heap left to PXELINUX while files are read into the arena. */
#define ARENA_KEEP_FREE (2u * 1024 * 1024)

static struct arena arena;
/* Two per segment (file bytes, BSS), one for the information structure. */
static struct handoff_copy copies[2 * MB_MAX_SEGMENTS + 1];

int fw_init(struct mb_error *err)
{
	(void)err;
	return MB_OK;
}

unsigned fw_memory_map(struct mb_e820 *map, unsigned max)
{
	return memmap_read_e820(map, max);
}

unsigned fw_segment_ranges(struct mb_range *r, unsigned max)
{
	return memmap_free_ranges(r, max);
}

unsigned fw_alloc_ranges(struct mb_range *r, unsigned max,
			 struct mb_error *err)
{
	if (!max || arena_grab(&arena, ARENA_KEEP_FREE)) {
		mb_fail(err, MB_E_NO_MEMORY,
			"less than %u KiB of memory left for the modules",
			ARENA_KEEP_FREE / 1024);
		return 0;
	}
	r->start = (uint32_t)arena.base;
	r->end = (uint64_t)(uint32_t)arena.base + arena.size;
	return 1;
}

int fw_claim(uint32_t addr, uint32_t len, const char *what,
	     struct mb_error *err)
{
	/* Everything placed lies in the arena, which we already own. */
	(void)addr, (void)len, (void)what, (void)err;
	return MB_OK;
}

/* The DHCP ACK's heap copy (fw_get_info), freed by fw_release. */
static void *dhcp_ack_copy;

void fw_release(void)
{
	arena_release(&arena);
	free(dhcp_ack_copy);
	dhcp_ack_copy = NULL;
}

/**
 * The ACPI RSDP, found where the ACPI specification says a BIOS puts it:
 * the first KiB of the EBDA, then 0xE0000-0xFFFFF.  NULL if absent.
 */
static const uint8_t *find_rsdp(void)
{
	volatile uintptr_t bda_ebda = 0x40e;	/* hides the constant
						 * address from -Warray-bounds */
	uint32_t ebda = (uint32_t)*(const uint16_t *)bda_ebda << 4;
	const uint8_t *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = mb_find_rsdp((const uint8_t *)ebda, 1024);
	if (!r)
		r = mb_find_rsdp((const uint8_t *)0xe0000, 0x20000);
	return r;
}

/**
 * The BIOS's APM 32-bit protected-mode interface, connected the way a
 * kernel expects to find it (INT 15h: 5300h installation check, 5304h
 * disconnect whatever was connected, 5303h connect 32-bit).  NULL when the
 * BIOS has no APM or no 32-bit interface.
 */
static const struct mb1_apm *find_apm(void)
{
	static struct mb1_apm apm;
	com32sys_t r, o;

	memset(&r, 0, sizeof(r));
	r.eax.w[0] = 0x5300;
	__intcall(0x15, &r, &o);
	if ((o.eflags.l & EFLAGS_CF) || o.ebx.w[0] != 0x504d /* "PM" */ ||
	    !(o.ecx.w[0] & 0x2))	/* bit 1: 32-bit interface */
		return NULL;
	apm.version = o.eax.w[0];
	apm.flags = o.ecx.w[0];
	r.eax.w[0] = 0x5304;
	__intcall(0x15, &r, &o);	/* fails when nothing was connected */
	r.eax.w[0] = 0x5303;
	__intcall(0x15, &r, &o);
	if (o.eflags.l & EFLAGS_CF)
		return NULL;
	apm.cseg = o.eax.w[0];
	apm.offset = o.ebx.l;
	apm.cseg_16 = o.ecx.w[0];
	apm.dseg = o.edx.w[0];
	apm.cseg_len = o.esi.w[0];
	apm.cseg_16_len = o.esi.w[1];
	apm.dseg_len = o.edi.w[0];
	return &apm;
}

void fw_get_info(struct fw_info *info)
{
	const uint8_t *rsdp = find_rsdp();
	void *ack;
	size_t ack_len;

	memset(info, 0, sizeof(*info));
	info->apm = find_apm();
	if (rsdp) {
		info->rsdp_v1 = rsdp;
		if (rsdp[15] >= 2) {
			info->rsdp_v2 = rsdp;
			info->rsdp_v2_len = mb_rsdp_length(rsdp);
		}
	}
	if (syslinux_filesystem() == SYSLINUX_FS_PXELINUX &&
	    !pxe_get_cached_info(PXENV_PACKET_TYPE_DHCP_ACK, &ack, &ack_len)) {
		free(dhcp_ack_copy);	/* a heap copy, kept until boot */
		dhcp_ack_copy = ack;
		info->dhcp_ack = ack;
		info->dhcp_ack_len = (uint32_t)ack_len;
	}
}

uint32_t fw_boot_area_size(unsigned nsegs)
{
	return handoff_area_size(2 * nsegs + 1);
}

uint32_t fw_info_final_addr(const struct mb_e820 *map, unsigned nmap,
			    uint32_t size)
{
	return mb_load_info_low_addr(map, nmap, size);
}

/* The one copy fw_move_at_boot() asked for (len 0: none). */
static struct handoff_copy move_first;

void fw_move_at_boot(const void *staged, uint32_t len, uint32_t final_addr)
{
	move_first = (struct handoff_copy){
		final_addr, (uint32_t)(uintptr_t)staged, len };
}

int fw_boot(const struct mb_image *img, const uint8_t *image, void *area,
	    uint32_t magic, uint32_t info_addr, int efi_entry,
	    struct mb_error *err)
{
	unsigned n = 0;

	if (efi_entry)
		return mb_fail(err, MB_E_BOOT,
			       "an EFI entry point cannot be used on a BIOS");
	/* First: its source is clear of every segment, so nothing copied
	 * before could have overwritten it. */
	if (move_first.len)
		copies[n++] = move_first;
	n += handoff_kernel_copies(img, image, copies + n);
	handoff_boot(area, magic, info_addr, img->entry, copies, n);
}
