/*
 * test_aout_option.c - what the README and mboot.c32(7) say of -aout and
 * -noaout: for a kernel whose Multiboot header sets flag 16 (the a.out
 * kludge), the kludge's address fields are used by default, even when the
 * file is an ELF; -aout is accepted for the stock module's lines and
 * changes nothing; -noaout makes an ELF file load by its program headers
 * (and wins over -aout).
 *
 * One ELF32 file, built here, whose kludge fields and program header put
 * the image at different addresses (1 MiB and 2 MiB), is parsed from a
 * KERNEL line (lib/cmdline.c) and probed (lib/image.c) with each option.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "../../lib/cmdline.h"
#include "../../lib/image.h"

#define FILE_SIZE	8192u
#define HDR_OFF		0x1000u		/* Multiboot header and segment data */
#define AOUT_LOAD	0x00100000u	/* the kludge: file offset 0 there */
#define ELF_LOAD	0x00200000u	/* the program header: offset 0x1000 */

static uint8_t file[FILE_SIZE];

/** Little-endian 16 and 32 bits at @off. */
static void put16(uint32_t off, uint16_t v)
{
	file[off] = (uint8_t)v;
	file[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint32_t off, uint32_t v)
{
	put16(off, (uint16_t)v);
	put16(off + 2, (uint16_t)(v >> 16));
}

/** The kernel: an i386 ET_EXEC with one PT_LOAD and a flag-16 header. */
static void build(void)
{
	const uint32_t magic = 0x1badb002u, flags = 1u << 16;

	memset(file, 0, sizeof(file));
	memcpy(file, "\177ELF", 4);
	file[4] = 1;			/* ELFCLASS32 */
	file[5] = 1;			/* little-endian */
	file[6] = 1;			/* EV_CURRENT */
	put16(16, 2);			/* ET_EXEC */
	put16(18, 3);			/* EM_386 */
	put32(20, 1);
	put32(24, ELF_LOAD + 0x20);	/* e_entry */
	put32(28, 52);			/* e_phoff */
	put16(40, 52);			/* e_ehsize */
	put16(42, 32);			/* e_phentsize */
	put16(44, 1);			/* e_phnum */
	put32(52, 1);			/* PT_LOAD */
	put32(56, HDR_OFF);		/* p_offset */
	put32(60, ELF_LOAD);		/* p_vaddr */
	put32(64, ELF_LOAD);		/* p_paddr */
	put32(68, 0x1000);		/* p_filesz */
	put32(72, 0x1000);		/* p_memsz */
	put32(76, 7);
	put32(HDR_OFF, magic);
	put32(HDR_OFF + 4, flags);
	put32(HDR_OFF + 8, 0u - magic - flags);
	put32(HDR_OFF + 12, AOUT_LOAD + HDR_OFF);	/* header_addr */
	put32(HDR_OFF + 16, AOUT_LOAD);			/* load_addr */
	put32(HDR_OFF + 20, AOUT_LOAD + FILE_SIZE);	/* load_end_addr */
	put32(HDR_OFF + 24, AOUT_LOAD + FILE_SIZE + 0x1000);	/* bss_end */
	put32(HDR_OFF + 28, AOUT_LOAD + 0x20);		/* entry_addr */
}

/**
 * Parse "OPTS k.elf" and probe the file with the options it gives; the
 * load address and format into *@addr, *@fmt.  Returns the probe's code.
 */
static int probe_with(const char *opts, uint32_t *addr, unsigned *fmt)
{
	static struct mb_request req;
	static struct mb_image img;
	struct mb_error err = { 0 };
	char line[64];

	snprintf(line, sizeof(line), "%s k.elf", opts);
	int rc = mb_parse_cmdline(line, &req, &err);
	if (rc)
		return rc;
	rc = mb_image_probe(file, sizeof(file), "k.elf", req.opts, &img, &err);
	*addr = rc ? 0 : img.segs[0].addr;
	*fmt = rc ? 0 : img.format;
	return rc;
}

int main(void)
{
	uint32_t a_none, a_aout, a_noaout, a_both;
	unsigned f_none, f_aout, f_noaout, f_both;

	build();
	CHECK_EQ_U(probe_with("", &a_none, &f_none), MB_OK);
	CHECK_EQ_U(probe_with("-aout", &a_aout, &f_aout), MB_OK);
	CHECK_EQ_U(probe_with("-noaout", &a_noaout, &f_noaout), MB_OK);
	CHECK_EQ_U(probe_with("-aout -noaout", &a_both, &f_both), MB_OK);
	/* Default: the kludge's fields, though the file is an ELF. */
	CHECK_EQ_U(a_none, AOUT_LOAD);
	CHECK_EQ_U(f_none, MB_FMT_AOUT);
	/* -aout: the same as no option. */
	CHECK_EQ_U(a_aout, a_none);
	CHECK_EQ_U(f_aout, f_none);
	/* -noaout: the program header; it wins over -aout. */
	CHECK_EQ_U(a_noaout, ELF_LOAD);
	CHECK_EQ_U(f_noaout, MB_FMT_ELF32);
	CHECK_EQ_U(a_both, ELF_LOAD);
	CHECK_EQ_U(f_both, MB_FMT_ELF32);
	return check_summary("aout-option");
}
