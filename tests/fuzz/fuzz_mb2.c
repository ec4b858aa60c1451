/*
 * fuzz_mb2.c - libFuzzer target for the Multiboot2 path: header search and
 * tag parsing (lib/mb2header.c), the BIOS checks, segments and relocation
 * (lib/mb2image.c), the boot information (lib/mbi2.c) and the RSDP scan
 * (lib/acpi.c).
 *
 * Input layout (PREFIX_SIZE bytes, then the kernel file):
 *
 *     0..3     can_give mask for mb2_check_bios
 *     4        number of RAM ranges (mod MAX_RAM + 1)
 *     5..7     unused
 *     8..      MAX_RAM ranges of 8 bytes: u32 start page, u32 page count
 *              (4 KiB pages, so ranges reach past 4 GiB)
 *     72..     the kernel file
 *
 * Checked: mb2_has_header agrees with mb2_find_header; a parsed header
 * lies in the file and the first 32 KiB; mb2_check_bios lets nothing
 * through that it should refuse; a probed image has sorted, disjoint
 * segments inside the file and below 4 GiB with the entry in one; a
 * relocated image moved as a whole to an aligned base inside [min_addr,
 * max_addr], at or above 1 MiB and inside the RAM; the boot information,
 * built into a buffer of exactly mb2_info_size() bytes, walks cleanly to
 * its end tag; an RSDP found in the file has valid checksums.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acpi.h"
#include "cmdline.h"
#include "mb2.h"
#include "mbi2.h"
#include "util.h"

#define FUZZ_NAME "fuzz_mb2"
#include "fuzz_common.h"

#define PREFIX_SIZE 72
#define MAX_RAM 8
#define RAM_AT 8


/** The header's claims hold against the file. */
static void check_header(const struct mb2_header_info *h, const uint8_t *buf,
			 size_t len)
{
	if (h->offset % 8 || h->header_length < 24 ||
	    (uint64_t)h->offset + h->header_length > len ||
	    h->offset + h->header_length > MB2_SEARCH_LIMIT)
		fail("header placement", NULL);
	const uint8_t *p = buf + h->offset;
	if (mb_le32(p) != MB2_HEADER_MAGIC || mb_le32(p + 4) != 0 ||
	    mb_le32(p + 8) != h->header_length ||
	    (uint32_t)(mb_le32(p) + mb_le32(p + 4) + mb_le32(p + 8) +
		       mb_le32(p + 12)))
		fail("header fields", NULL);
	if (h->tags_required & ~h->tags_present ||
	    h->tags_present >> MB2_HT__COUNT || h->tags_present & 1)
		fail("tag masks", NULL);
}

static void check_relocated(const struct mb_image *before,
			    const struct mb_image *img,
			    const struct mb2_header_info *h,
			    const struct mb_range *ram, unsigned nram,
			    uint32_t base)
{
	uint32_t align = h->reloc_align ? h->reloc_align : 1;
	uint64_t size = (uint64_t)before->segs[before->nsegs - 1].addr +
			before->segs[before->nsegs - 1].memsz -
			before->segs[0].addr;
	uint32_t delta = base - before->segs[0].addr;

	if (base % align || base < h->reloc_min || base < MB_LOW_LIMIT ||
	    base + size > h->reloc_max)
		fail("relocated base breaks the tag's limits", NULL);
	if (!covered(ram, nram, base, base + size))
		fail("relocated image outside RAM", NULL);
	if (img->nsegs != before->nsegs || img->entry != before->entry + delta)
		fail("entry not moved with the image", NULL);
	for (unsigned i = 0; i < img->nsegs; i++)
		if (img->segs[i].addr != before->segs[i].addr + delta ||
		    img->segs[i].file_off != before->segs[i].file_off ||
		    img->segs[i].memsz != before->segs[i].memsz)
			fail("segment not moved with the image", NULL);
}

/** Walk a built boot information blob of @size bytes. */
static void check_info(const uint8_t *b, size_t size, uint32_t types)
{
	size_t pos = 8;

	if (size % 8 || mb_le32(b) != size || mb_le32(b + 4))
		fail("info fixed part", NULL);
	for (;;) {
		if (size - pos < 8)
			fail("info without end tag", NULL);
		uint32_t type = mb_le32(b + pos), tsize = mb_le32(b + pos + 4);
		if (tsize < 8 || tsize > size - pos)
			fail("info tag size", NULL);
		if (type >= 32 || !(types & MB2_INFO_BIT(type)))
			fail("info tag type not announced", NULL);
		if (type == MB2_IT_END) {
			if (tsize != 8 || pos + 8 != size)
				fail("info end tag", NULL);
			return;
		}
		pos += MB_ALIGN_UP((size_t)tsize, (size_t)8);
	}
}

static void check_rsdp(const uint8_t *buf, size_t len)
{
	const uint8_t *r = mb_find_rsdp(buf, len);
	uint8_t sum = 0;

	if (!r)
		return;
	size_t off = (size_t)(r - buf);
	uint32_t n = mb_rsdp_length(r);
	if (off % 16 || n < 20 || n > len - off || memcmp(r, "RSD PTR ", 8))
		fail("RSDP placement", NULL);
	for (uint32_t i = 0; i < 20; i++)
		sum = (uint8_t)(sum + r[i]);
	if (sum)
		fail("RSDP checksum", NULL);
	for (uint32_t i = 20; i < n; i++)
		sum = (uint8_t)(sum + r[i]);
	if (sum)
		fail("RSDP extended checksum", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb2_header_info h;
	static struct mb_image img, before;
	static struct mb_range ram[MAX_RAM];
	static struct mb_e820 map[MAX_RAM];
	static struct mb_request req;
	static uint32_t mod_addr[4] = { 0, 0x2000000, 0x3000000, 0x4000000 };
	static uint32_t mod_len[4] = { 0, 100, 0, 0x12345 };
	struct mb_error err;

	if (size < PREFIX_SIZE)
		return 0;
	const uint8_t *file = data + PREFIX_SIZE;
	size_t len = size - PREFIX_SIZE;
	uint32_t can_give = mb_le32(data);
	unsigned nram = data[4] % (MAX_RAM + 1);
	for (unsigned i = 0; i < nram; i++) {
		const uint8_t *p = data + RAM_AT + i * 8;
		ram[i].start = (uint64_t)mb_le32(p) << 12;
		ram[i].end = ram[i].start + ((uint64_t)mb_le32(p + 4) << 12);
		map[i] = (struct mb_e820){ ram[i].start,
					   ram[i].end - ram[i].start,
					   p[7] % 6 };
	}

	check_rsdp(file, len);

	bool has = mb2_has_header(file, len);
	memset(&err, 0, sizeof(err));
	memset(&h, 0xa5, sizeof(h));
	int rc = mb2_find_header(file, len, "kernel", &h, &err);
	if (rc) {
		check_error(rc, &err);
		if (has && (rc == MB_E_NO_HEADER || rc == MB_E_HEADER_CHECKSUM))
			fail("has_header but none found", &err);
		return 0;
	}
	if (!has)
		fail("header found but has_header false", NULL);
	check_header(&h, file, len);

	rc = mb2_check_bios(&h, "kernel", can_give, &err);
	if (rc) {
		check_error(rc, &err);
	} else if (h.tags_required & (7u << MB2_HT_EFI_BS) ||
		   mb2_tag_required(&h, MB2_HT_FRAMEBUFFER) ||
		   h.req_required & ~(can_give | 1) || h.have_req_big) {
		fail("check_bios let a requirement through", NULL);
	}

	memset(&img, 0xa5, sizeof(img));
	rc = mb2_image_probe(file, len, "kernel", &h, &img, &err);
	if (rc) {
		check_error(rc, &err);
		return 0;
	}
	check_segments(&img, file, len);

	uint32_t base = 0;
	bool have_base = false;
	if (mb2_has_tag(&h, MB2_HT_RELOCATABLE)) {
		before = img;
		rc = mb2_relocate(&img, &h, ram, nram, &base, "kernel", &err);
		if (rc) {
			check_error(rc, &err);
			if (rc != MB_E_RELOCATE ||
			    memcmp(&before, &img, sizeof(img)))
				fail("failed relocation", &err);
		} else {
			check_relocated(&before, &img, &h, ram, nram, base);
			have_base = true;
		}
	}

	if (mb_parse_cmdline("kernel a  b --- mod1 x --- -gunzip mod2 --- m3",
			     &req, &err))
		fail("command line", &err);
	const uint8_t *rsdp = mb_find_rsdp(file, len);
	struct mb2_input in = {
		.req = &req, .mod_addr = mod_addr, .mod_len = mod_len,
		.map = map, .nmap = nram, .loader_name = "mboot",
		.have_bootdev = file[0] & 1, .bootdev_biosdev = 0x80,
		.elf_shdrs = len >= 80 ? file : NULL,
		.elf_shnum = 2, .elf_shentsize = 40, .elf_shndx = 1,
		.rsdp_v1 = rsdp,
		.rsdp_v2 = rsdp && rsdp[15] >= 2 ? rsdp : NULL,
		.rsdp_v2_len = rsdp ? mb_rsdp_length(rsdp) : 0,
		.dhcp_ack = file, .dhcp_ack_len = len < 600 ? (uint32_t)len : 600,
		.have_load_base = have_base, .load_base = base,
	};
	size_t n = mb2_info_size(&in);
	uint8_t *blob = malloc(n);
	if (!blob)
		return 0;
	if (mb2_info_build(&in, blob, 0x10000) != n)
		fail("info size", NULL);
	check_info(blob, n, mb2_info_types(&in));
	free(blob);
	return 0;
}
