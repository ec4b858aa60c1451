/*
 * plan_fixture.h - a whole boot's plan inputs for test_loadplan.c and
 * test_plantable.c: a request parsed from a real line, a kernel image, the
 * memory map QEMU's SeaBIOS gives a 512 MiB machine, the free RAM and an
 * arena as PXELINUX leaves them, and both information inputs filled as
 * com32/main.c fills them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_TEST_PLAN_FIXTURE_H
#define MBOOT_TEST_PLAN_FIXTURE_H

#include <string.h>
#include "check.h"
#include "cmdline.h"
#include "loadplan.h"
#include "mbi1.h"
#include "mbi2.h"

#define MIB 0x100000u

/* QEMU 7.2 + SeaBIOS, -m 512 (as the test kernel prints it). */
static const struct mb_e820 fx_map[] = {
	{ 0x0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x1fee0000, 1 },
	{ 0x1ffe0000, 0x20000, 2 },
	{ 0xfeffc000, 0x4000, 2 },
	{ 0xfffc0000, 0x40000, 2 },
};
#define FX_NMAP (sizeof(fx_map) / sizeof(fx_map[0]))

static struct mb_request fx_req;
static struct mb_image fx_img;
static struct mb1_input fx_in1;
static struct mb2_input fx_in2;
static uint32_t fx_len[MB_MAX_FILES], fx_addr[MB_MAX_FILES];
static struct mb_range fx_ram[2], fx_space[1];
static struct mb_load_input fx_in;
static struct mb_load_plan fx_plan;
static struct mb_error fx_err;

/**
 * Set up a boot of @line (parsed; must parse) with protocol @proto, a
 * kernel of two segments (1 MiB: 0x20000 bytes, 3 MiB: 0x8000 + BSS),
 * module i of @mod_len[i-1] bytes and the arena [@space_start,
 * @space_end).  Fills fx_in ready for mb_load_plan().
 */
static void fx_setup(const char *line, int proto, const uint32_t *mod_len,
		     uint32_t space_start, uint32_t space_end)
{
	memset(&fx_img, 0, sizeof(fx_img));
	memset(&fx_err, 0, sizeof(fx_err));
	memset(fx_len, 0, sizeof(fx_len));
	memset(fx_addr, 0, sizeof(fx_addr));
	CHECK_EQ_U(mb_parse_cmdline(line, &fx_req, &fx_err), MB_OK);
	fx_img.format = MB_FMT_ELF32;
	fx_img.nsegs = 2;
	fx_img.segs[0] = (struct mb_segment){ 0x100000, 0x1000, 0x20000,
					      0x20000 };
	fx_img.segs[1] = (struct mb_segment){ 0x300000, 0x21000, 0x8000,
					      0x48000 };
	fx_img.entry = 0x100000;
	fx_len[0] = 0x29000;
	for (unsigned i = 1; i < fx_req.nfiles; i++)
		fx_len[i] = mod_len[i - 1];
	/* PXELINUX's free memory: above its own core, to the top of RAM. */
	fx_ram[0] = (struct mb_range){ 0x100000, 0x1ffe0000 };
	fx_ram[1] = (struct mb_range){ 0x20000, 0x90000 };
	fx_space[0] = (struct mb_range){ space_start, space_end };
	fx_in1 = (struct mb1_input){
		.req = &fx_req, .mod_addr = fx_addr, .mod_len = fx_len,
		.map = fx_map, .nmap = FX_NMAP,
		.loader_name = "SYSLINUX 6.04 mboot 0.1",
	};
	fx_in2 = (struct mb2_input){
		.req = &fx_req, .mod_addr = fx_addr, .mod_len = fx_len,
		.map = fx_map, .nmap = FX_NMAP,
		.loader_name = fx_in1.loader_name,
		.have_load_base = true, .load_base = 0x100000,
	};
	fx_in = (struct mb_load_input){
		.req = &fx_req, .img = &fx_img, .proto = proto,
		.in1 = &fx_in1, .in2 = &fx_in2, .file_len = fx_len,
		.boot_area_size = 0x2c0, .move_image = false,
		.elfsec_size = 0,
		.ram = fx_ram, .nram = 2, .space = fx_space, .nspace = 1,
	};
}

/** Plan fx_in; on success point the module addresses at the plan's. */
static int fx_plan_it(void)
{
	int rc = mb_load_plan(&fx_in, &fx_plan, &fx_err);
	if (!rc)
		memcpy(fx_addr, fx_plan.mod_addr, sizeof(fx_addr));
	return rc;
}

#endif
