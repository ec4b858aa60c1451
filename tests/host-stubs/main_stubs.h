/*
 * main_stubs.h - what com32/main.c and com32/fetch.c call that the host
 * tests do not compile in: the firmware layer (fw_*; nothing of it runs in
 * the cases, which stop before the plan), mboot's TFTP transport (it
 * does not apply: no PXE UDP here) and the TPM (none).  Include once,
 * after main.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MAIN_STUBS_H
#define MBOOT_MAIN_STUBS_H

#include <string.h>
#include "../../com32/fetch.h"
#include "../../com32/firmware.h"

/** Nothing to set up on the host. */
int fw_init(struct mb_error *err)
{
	(void)err;
	return MB_OK;
}

/** No memory map: the cases stop before it is read. */
unsigned fw_memory_map(struct mb_e820 *map, unsigned max)
{
	(void)map;
	(void)max;
	return 0;
}

/** No free ranges (as fw_memory_map). */
unsigned fw_segment_ranges(struct mb_range *r, unsigned max)
{
	(void)r;
	(void)max;
	return 0;
}

/** No space for a plan (the cases make none). */
unsigned fw_alloc_ranges(struct mb_range *r, unsigned max,
			 struct mb_error *err)
{
	(void)r;
	(void)max;
	(void)err;
	return 0;
}

/** Every claim succeeds (none is made). */
int fw_claim(uint32_t addr, uint32_t len, const char *what,
	     struct mb_error *err)
{
	(void)addr;
	(void)len;
	(void)what;
	(void)err;
	return MB_OK;
}

/** Nothing was taken. */
void fw_release(void)
{
}

/** No firmware tables. */
void fw_get_info(struct fw_info *info)
{
	memset(info, 0, sizeof(*info));
}

/** No boot area. */
uint32_t fw_boot_area_size(unsigned nsegs)
{
	(void)nsegs;
	return 0;
}

/** The information stays where it is built. */
uint32_t fw_info_final_addr(const struct mb_e820 *map, unsigned nmap,
			    uint32_t size)
{
	(void)map;
	(void)nmap;
	(void)size;
	return 0;
}

/** Nothing is moved: there is no boot. */
void fw_move_at_boot(const void *staged, uint32_t len, uint32_t final_addr)
{
	(void)staged;
	(void)len;
	(void)final_addr;
}

/** Never boots: an error. */
int fw_boot(const struct mb_image *img, const uint8_t *image, void *area,
	    uint32_t magic, uint32_t info_addr, int efi_entry,
	    struct mb_error *err)
{
	(void)img;
	(void)image;
	(void)area;
	(void)magic;
	(void)info_addr;
	(void)efi_entry;
	return mb_fail(err, MB_E_BOOT, "no boot on the host");
}

/** mboot's TFTP client never applies on the host. */
int fetch_tftp_applies(const char *name)
{
	(void)name;
	return 0;
}

/** Its open, were it asked: the firmware's UDP is not there. */
static int stub_tftp_open(struct fetch *f, const char *name,
			  struct mb_error *err)
{
	(void)f;
	return mb_fail(err, MB_E_FIRMWARE, "%s: no PXE UDP", name);
}

const struct fetch_ops fetch_tftp_ops = {
	.name = "PXE UDP",
	.open = stub_tftp_open,
};

/* Measured boot (com32/measure.c, compiled in here) over no TPM: the
 * cases boot nothing, so nothing is measured. */
#include "../../com32/measure.c"

/** The host has no TPM. */
int tpm_fw_probe(char *what, size_t cap)
{
	snprintf(what, cap, "host test");
	return 0;
}

/** The digest would do (never asked: there is no TPM). */
int tpm_fw_needs_data(void)
{
	return 0;
}

/** Never called without a TPM. */
int tpm_fw_extend(const struct mb_tcg_event *ev, const void *data, size_t len,
		  struct mb_error *err)
{
	(void)data;
	(void)len;
	return mb_fail(err, MB_E_FIRMWARE, "%s: no TPM on the host", ev->desc);
}

#endif
