/*
 * test_mb2.c - Multiboot2: header search and tag parsing
 * (lib/mb2header.c), the BIOS checks, segments from the address tag or
 * ELF and relocation (lib/mb2image.c), the boot information
 * (lib/mbi2.c), read back as a kernel would, and the RSDP scan
 * (lib/acpi.c).  Images are built in memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "put.h"
#include "acpi.h"
#include "cmdline.h"
#include "mb2.h"
#include "mbi2.h"
#include "util.h"

#define BUF_SIZE (96 * 1024)
#define MIB 0x100000u

static uint8_t buf[BUF_SIZE];
static struct mb2_header_info hi;
static struct mb_image img;
static struct mb_error err;

static uint32_t get32(const uint8_t *p)
{
	return mb_le32(p);
}

/* --- header builder ------------------------------------------------------ */

/** A header being written into buf: where it starts, where the next tag
 * goes, and its architecture. */
static size_t hb_off, hb_pos;
static uint32_t hb_arch;

/** Clear buf and start a header at @off. */
static void hb_start(size_t off)
{
	memset(buf, 0, sizeof(buf));
	hb_off = off;
	hb_pos = off + 16;
	hb_arch = MB2_ARCH_I386;
}

/** Append a tag of @type with @flags whose size field says @size and
 * whose body is @n u32 words @w (the size need not match them). */
static void hb_tag_sized(uint16_t type, uint16_t flags, uint32_t size,
			 const uint32_t *w, unsigned n)
{
	put16(buf + hb_pos, type);
	put16(buf + hb_pos + 2, flags);
	put32(buf + hb_pos + 4, size);
	for (unsigned i = 0; i < n; i++)
		put32(buf + hb_pos + 8 + 4 * i, w[i]);
	hb_pos += MB_ALIGN_UP((size_t)size, (size_t)8);
}

/** Append a well-formed tag with body @w[0..@n). */
static void hb_tag(uint16_t type, uint16_t flags, const uint32_t *w,
		   unsigned n)
{
	hb_tag_sized(type, flags, 8 + 4 * n, w, n);
}

/** Write the magic fields for @length bytes of header (checksum right). */
static void hb_magic(uint32_t length)
{
	put32(buf + hb_off, MB2_HEADER_MAGIC);
	put32(buf + hb_off + 4, hb_arch);
	put32(buf + hb_off + 8, length);
	put32(buf + hb_off + 12, 0u - MB2_HEADER_MAGIC - hb_arch - length);
}

/** Append the end tag and write the magic fields; returns the length. */
static uint32_t hb_finish(void)
{
	hb_tag(MB2_HT_END, 0, NULL, 0);
	uint32_t length = (uint32_t)(hb_pos - hb_off);
	hb_magic(length);
	return length;
}

/** A header at @off with only the end tag. */
static void minimal_header(size_t off)
{
	hb_start(off);
	hb_finish();
}

/** mb2_find_header on buf[0..len); checks the error is recorded. */
static int find(size_t len)
{
	memset(&err, 0, sizeof(err));
	int rc = mb2_find_header(buf, len, "k", &hi, &err);
	if (rc)
		CHECK_MSG(err.code == (enum mb_code)rc && err.msg[0],
			  "error %d not recorded (%s)", rc, err.msg);
	return rc;
}

static void test_search(void)
{
	/* The smallest header, at 0 and at other 8-byte offsets. */
	minimal_header(0);
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.offset, 0);
	CHECK_EQ_U(hi.header_length, 24);
	CHECK_EQ_U(hi.tags_present, 0);
	CHECK(mb2_has_header(buf, 4096));

	minimal_header(8);
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.offset, 8);
	minimal_header(0x1238);
	CHECK_EQ_U(find(8192), MB_OK);
	CHECK_EQ_U(hi.offset, 0x1238);

	/* Only 8-byte aligned offsets count. */
	minimal_header(4);
	CHECK_EQ_U(find(4096), MB_E_NO_HEADER);
	CHECK(!mb2_has_header(buf, 4096));
	minimal_header(0x1234);
	CHECK_EQ_U(find(8192), MB_E_NO_HEADER);
	CHECK_CONTAINS(err.msg, "no Multiboot2 header");

	/* Nothing at all, tiny files, an empty file. */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_U(find(BUF_SIZE), MB_E_NO_HEADER);
	minimal_header(0);
	CHECK_EQ_U(find(15), MB_E_NO_HEADER);
	CHECK_EQ_U(find(0), MB_E_NO_HEADER);
	CHECK(!mb2_has_header(buf, 15));
	/* The magic fields fit but the tags do not. */
	CHECK_EQ_U(find(16), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "cut off by the end of the file");

	/* Wholly inside the first 32 KiB: ending exactly at 32768 is fine. */
	minimal_header(32768 - 24);
	CHECK_EQ_U(find(BUF_SIZE), MB_OK);
	CHECK_EQ_U(hi.offset, 32768 - 24);
	/* Magic fields inside, tags straddling the limit. */
	minimal_header(32768 - 16);
	CHECK_EQ_U(find(BUF_SIZE), MB_E_HEADER_TOO_FAR);
	CHECK_CONTAINS(err.msg, "ends past the first 32768 bytes");
	CHECK(mb2_has_header(buf, BUF_SIZE));
	/* Magic fields themselves straddling it, and past it. */
	minimal_header(32768 - 8);
	CHECK_EQ_U(find(BUF_SIZE), MB_E_HEADER_TOO_FAR);
	CHECK_CONTAINS(err.msg, "offset 32760");
	CHECK(!mb2_has_header(buf, BUF_SIZE));
	minimal_header(40000);
	CHECK_EQ_U(find(BUF_SIZE), MB_E_HEADER_TOO_FAR);
	CHECK_CONTAINS(err.msg, "found at offset 40000");
	/* ... but not searched for forever. */
	minimal_header(80000);
	CHECK_EQ_U(find(BUF_SIZE), MB_E_NO_HEADER);
	/* A file shorter than 32 KiB with the header near its end. */
	minimal_header(1000);
	CHECK_EQ_U(find(1024), MB_OK);
	CHECK_EQ_U(find(1023), MB_E_MB2_HEADER);

	/* Bad checksum: reported with its offset and fields... */
	minimal_header(0x100);
	put32(buf + 0x100 + 12, get32(buf + 0x100 + 12) + 1);
	CHECK_EQ_U(find(4096), MB_E_HEADER_CHECKSUM);
	CHECK_CONTAINS(err.msg, "offset 256");
	CHECK_CONTAINS(err.msg, "magic 0xe85250d6");
	CHECK(!mb2_has_header(buf, 4096));
	/* ... unless a valid header follows. */
	hb_off = 0x200;
	hb_pos = 0x210;
	hb_finish();
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.offset, 0x200);
	/* A bad checksum before 32 KiB wins over a valid header past it. */
	minimal_header(40000);
	put32(buf + 0x100, MB2_HEADER_MAGIC);
	CHECK_EQ_U(find(BUF_SIZE), MB_E_HEADER_CHECKSUM);
	/* A Multiboot 1 magic is not a Multiboot2 header. */
	memset(buf, 0, sizeof(buf));
	put32(buf, 0x1BADB002u);
	put32(buf + 4, 0);
	put32(buf + 8, 0u - 0x1BADB002u);
	CHECK_EQ_U(find(4096), MB_E_NO_HEADER);

	/* Architecture. */
	hb_start(0);
	hb_arch = MB2_ARCH_MIPS32;
	hb_finish();
	CHECK(mb2_has_header(buf, 4096));
	CHECK_EQ_U(find(4096), MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "MIPS");
	hb_start(0);
	hb_arch = 7;
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "unknown architecture 7");

	/* header_length. */
	hb_start(0x40);
	hb_magic(8);
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "header_length 8, below the 16");
	hb_magic(16);		/* no room for any tag */
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "no end tag");
	hb_magic(20);		/* room for half a tag */
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "no end tag");
	hb_magic(5000);		/* past the end of the file */
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "header_length 5000");
	CHECK_CONTAINS(err.msg, "cut off");
	hb_magic(0xfffffff0u);	/* huge: must not wrap */
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	hb_magic(40000);	/* in the file, past 32 KiB */
	CHECK_EQ_U(find(BUF_SIZE), MB_E_HEADER_TOO_FAR);
	/* A longer header_length than the tags need is fine. */
	hb_start(0);
	hb_tag(MB2_HT_END, 0, NULL, 0);
	hb_magic(64);
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.header_length, 64);
}

static void test_tags(void)
{
	static const uint32_t addr[] = { 0x100000, 0x100000, 0x104000,
					 0x108000 };
	static const uint32_t entry[] = { 0x100040 };
	static const uint32_t cons[] = { 3 };
	static const uint32_t fb[] = { 1024, 768, 32 };
	static const uint32_t e32[] = { 0x1000 }, e64[] = { 0x2000 };
	static const uint32_t reloc[] = { 0x200000, 0x40000000, 0x200000, 2 };
	static const uint32_t req[] = { 1, 6, 12, 40 };
	static const uint32_t req_opt[] = { 8, 50, 3 };

	/* Every known tag, its fields, its optional flag. */
	hb_start(0x80);
	hb_tag(MB2_HT_INFO_REQUEST, 0, req, 4);
	hb_tag(MB2_HT_INFO_REQUEST, MB2_HT_OPTIONAL, req_opt, 3);
	hb_tag(MB2_HT_ADDRESS, 0, addr, 4);
	hb_tag(MB2_HT_ENTRY, 0, entry, 1);	/* size 12, padded to 16 */
	hb_tag(MB2_HT_CONSOLE, MB2_HT_OPTIONAL, cons, 1);
	hb_tag(MB2_HT_FRAMEBUFFER, MB2_HT_OPTIONAL, fb, 3);
	hb_tag(MB2_HT_MODULE_ALIGN, 0, NULL, 0);
	hb_tag(MB2_HT_EFI_BS, MB2_HT_OPTIONAL, NULL, 0);
	hb_tag(MB2_HT_ENTRY_EFI32, MB2_HT_OPTIONAL, e32, 1);
	hb_tag(MB2_HT_ENTRY_EFI64, MB2_HT_OPTIONAL, e64, 1);
	hb_tag(MB2_HT_RELOCATABLE, 0, reloc, 4);
	uint32_t len = hb_finish();
	CHECK_EQ_U(find(8192), MB_OK);
	CHECK_EQ_U(hi.offset, 0x80);
	CHECK_EQ_U(hi.header_length, len);
	CHECK_EQ_U(hi.tags_present, 0x7fe);
	CHECK_EQ_U(hi.tags_required,
		   1u << 1 | 1u << 2 | 1u << 3 | 1u << 6 | 1u << 10);
	CHECK_EQ_U(hi.req_required, 1u << 1 | 1u << 6 | 1u << 12);
	CHECK_EQ_U(hi.req_optional, 1u << 8 | 1u << 3);
	CHECK(hi.have_req_big);
	CHECK_EQ_U(hi.req_big, 40);
	CHECK_EQ_U(hi.header_addr, 0x100000);
	CHECK_EQ_U(hi.load_addr, 0x100000);
	CHECK_EQ_U(hi.load_end_addr, 0x104000);
	CHECK_EQ_U(hi.bss_end_addr, 0x108000);
	CHECK_EQ_U(hi.entry_addr, 0x100040);
	CHECK_EQ_U(hi.console_flags, 3);
	CHECK_EQ_U(hi.fb_width, 1024);
	CHECK_EQ_U(hi.fb_height, 768);
	CHECK_EQ_U(hi.fb_depth, 32);
	CHECK_EQ_U(hi.efi32_entry, 0x1000);
	CHECK_EQ_U(hi.efi64_entry, 0x2000);
	CHECK_EQ_U(hi.reloc_min, 0x200000);
	CHECK_EQ_U(hi.reloc_max, 0x40000000);
	CHECK_EQ_U(hi.reloc_align, 0x200000);
	CHECK_EQ_U(hi.reloc_pref, MB2_RELOC_PREF_HIGH);
	CHECK(mb2_has_tag(&hi, MB2_HT_RELOCATABLE));
	CHECK(!mb2_tag_required(&hi, MB2_HT_EFI_BS));
	CHECK(mb2_tag_required(&hi, MB2_HT_MODULE_ALIGN));
	CHECK(!mb2_has_tag(&hi, 40));

	/* Unknown tags: optional ones are skipped, others refused. */
	hb_start(0);
	hb_tag(42, MB2_HT_OPTIONAL, fb, 3);
	hb_tag(MB2_HT_ENTRY, 0, entry, 1);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.tags_present, 1u << MB2_HT_ENTRY);
	CHECK_EQ_U(hi.entry_addr, 0x100040);
	hb_start(0);
	hb_tag(MB2_HT_ENTRY, 0, entry, 1);
	hb_tag(42, 0, fb, 3);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "tag type 42 at offset 32");
	CHECK_CONTAINS(err.msg, "not marked optional");
	hb_start(0);
	hb_tag(0xffff, 2, NULL, 0);	/* flag bits other than 0 */
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "type 65535");

	/* Tags after the end tag are not looked at. */
	hb_start(0);
	hb_tag(MB2_HT_END, 0, NULL, 0);
	hb_tag(42, 0, NULL, 0);
	hb_magic((uint32_t)(hb_pos - hb_off));
	CHECK_EQ_U(find(4096), MB_OK);

	/* A tag running past header_length. */
	hb_start(0);
	hb_tag(MB2_HT_ENTRY, 0, entry, 1);
	hb_tag_sized(MB2_HT_FRAMEBUFFER, MB2_HT_OPTIONAL, 48, fb, 3);
	hb_magic(16 + 16 + 24 + 8);	/* the size says 48, 32 are there */
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "tag type 5 at offset 32 (size 48) runs past the end of the header");
	/* Running past it by less than a tag header. */
	hb_start(0);
	hb_tag(MB2_HT_ADDRESS, 0, addr, 4);
	hb_magic(16 + 20);
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "tag type 2 at offset 16 (size 24) runs past the end of the header at offset 36 (header_length 36)");
	/* The end tag itself running past it. */
	hb_start(0);
	hb_tag(MB2_HT_END, 0, NULL, 0);
	hb_magic(20);
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	/* Padding of the last tag running past it: no end tag. */
	hb_start(0);
	hb_tag(MB2_HT_ENTRY, 0, entry, 1);
	hb_magic(28);
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "no end tag");
	/* Tags filling header_length exactly, then no end tag. */
	hb_start(0);
	hb_tag(MB2_HT_MODULE_ALIGN, 0, NULL, 0);
	hb_magic(24);
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "no end tag");

	/* Sizes below 8, below a known tag's fields. */
	hb_start(0);
	hb_tag_sized(MB2_HT_MODULE_ALIGN, 0, 4, NULL, 0);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "size 4, below 8");
	hb_start(0);
	hb_tag_sized(MB2_HT_ENTRY, 0, 0, NULL, 0);	/* must not loop */
	hb_pos += 8;
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "tag type 3 at offset 16 has size 0, below 8");
	hb_start(0);
	hb_tag_sized(MB2_HT_ADDRESS, 0, 16, addr, 2);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "tag type 2 at offset 16 has size 16, below the 24 bytes");
	hb_start(0);
	hb_tag_sized(MB2_HT_RELOCATABLE, MB2_HT_OPTIONAL, 20, reloc, 3);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	/* Longer than needed is accepted. */
	hb_start(0);
	hb_tag_sized(MB2_HT_ENTRY, 0, 20, entry, 1);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.entry_addr, 0x100040);
	/* An information request that is not a list of u32. */
	hb_start(0);
	hb_tag_sized(MB2_HT_INFO_REQUEST, 0, 14, req, 2);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_E_MB2_HEADER);
	CHECK_CONTAINS(err.msg, "size 14, not 8 plus a multiple of 4");
	/* An empty one is fine. */
	hb_start(0);
	hb_tag(MB2_HT_INFO_REQUEST, 0, NULL, 0);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.req_required, 0);
	CHECK(!hi.have_req_big);
	/* A repeated tag: the last one counts. */
	hb_start(0);
	hb_tag(MB2_HT_ENTRY, MB2_HT_OPTIONAL, e32, 1);
	hb_tag(MB2_HT_ENTRY, 0, entry, 1);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(hi.entry_addr, 0x100040);
	CHECK(mb2_tag_required(&hi, MB2_HT_ENTRY));
}

/** Parse a header holding one tag @type with @flags and body @w[0..n). */
static void one_tag(uint16_t type, uint16_t flags, const uint32_t *w,
		    unsigned n)
{
	hb_start(0);
	hb_tag(type, flags, w, n);
	hb_finish();
	CHECK_EQ_U(find(4096), MB_OK);
}

static void test_check_bios(void)
{
	const uint32_t all = 0xffffffffu;
	const uint32_t basic = MB2_INFO_BIT(1) | MB2_INFO_BIT(2) |
			       MB2_INFO_BIT(3) | MB2_INFO_BIT(4) |
			       MB2_INFO_BIT(6);

	minimal_header(0);
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", 0, &err), MB_OK);

	/* EFI tags: refused when required, ignored when optional. */
	static const uint32_t e[] = { 0x1000 };
	for (unsigned t = MB2_HT_EFI_BS; t <= MB2_HT_ENTRY_EFI64; t++) {
		one_tag((uint16_t)t, 0, e, t == MB2_HT_EFI_BS ? 0 : 1);
		CHECK_EQ_U(mb2_check_bios(&hi, "k", all, &err),
			   MB_E_MB2_UNSUPPORTED);
		CHECK_CONTAINS(err.msg, "requires EFI boot services, which a BIOS PXELINUX boot cannot provide");
		CHECK_CONTAINS(err.msg, t == 7 ? "tag 7 (EFI boot services)" :
					t == 8 ? "tag 8 (EFI i386 entry point)" :
						 "tag 9 (EFI amd64 entry point)");
		one_tag((uint16_t)t, MB2_HT_OPTIONAL, e,
			t == MB2_HT_EFI_BS ? 0 : 1);
		CHECK_EQ_U(mb2_check_bios(&hi, "k", 0, &err), MB_OK);
	}

	/* Framebuffer: required means a mode we cannot set. */
	static const uint32_t fb[] = { 1024, 768, 32 }, fb0[] = { 0, 0, 16 };
	one_tag(MB2_HT_FRAMEBUFFER, 0, fb, 3);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", all, &err), MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "video mode 1024x768x32");
	one_tag(MB2_HT_FRAMEBUFFER, 0, fb0, 3);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", all, &err), MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "video mode anyxanyx16");
	one_tag(MB2_HT_FRAMEBUFFER, MB2_HT_OPTIONAL, fb, 3);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", 0, &err), MB_OK);

	/* Console: a required console needs framebuffer information. */
	static const uint32_t creq[] = { MB2_CONSOLE_REQUIRED |
					 MB2_CONSOLE_EGA_TEXT };
	static const uint32_t cega[] = { MB2_CONSOLE_EGA_TEXT };
	one_tag(MB2_HT_CONSOLE, 0, creq, 1);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic, &err),
		   MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "console flags 0x3");
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic | MB2_INFO_BIT(8), &err),
		   MB_OK);
	one_tag(MB2_HT_CONSOLE, MB2_HT_OPTIONAL, creq, 1);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic, &err), MB_OK);
	one_tag(MB2_HT_CONSOLE, 0, cega, 1);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic, &err), MB_OK);

	/* Information requests. */
	static const uint32_t r12[] = { 1, 6, 12 }, r14[] = { 14, 4 };
	static const uint32_t r0[] = { 0 }, rbig[] = { 1, 99 };
	one_tag(MB2_HT_INFO_REQUEST, 0, r12, 3);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic, &err),
		   MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "type 12 (EFI 64-bit system table)");
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic | MB2_INFO_BIT(12), &err),
		   MB_OK);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", MB2_INFO_BIT(12) | MB2_INFO_BIT(1),
				  &err), MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "type 6 (memory map)");
	one_tag(MB2_HT_INFO_REQUEST, MB2_HT_OPTIONAL, r12, 3);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", 0, &err), MB_OK);
	one_tag(MB2_HT_INFO_REQUEST, 0, r14, 2);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic, &err),
		   MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "type 14 (ACPI old RSDP)");
	CHECK_EQ_U(mb2_check_bios(&hi, "k", basic | MB2_INFO_BIT(14), &err),
		   MB_OK);
	one_tag(MB2_HT_INFO_REQUEST, 0, r0, 1);	/* the end tag: always */
	CHECK_EQ_U(mb2_check_bios(&hi, "k", 0, &err), MB_OK);
	one_tag(MB2_HT_INFO_REQUEST, 0, rbig, 2);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", all, &err), MB_E_MB2_UNSUPPORTED);
	CHECK_CONTAINS(err.msg, "type 99 (unknown)");
	one_tag(MB2_HT_INFO_REQUEST, MB2_HT_OPTIONAL, rbig, 2);
	CHECK_EQ_U(mb2_check_bios(&hi, "k", 0, &err), MB_OK);

	CHECK_STR(mb2_info_type_name(21), "image load base physical address");
	CHECK_STR(mb2_info_type_name(22), "unknown");
	CHECK_STR(mb2_info_type_name(0xffffffffu), "unknown");
	for (uint32_t t = 0; t < MB2_IT__COUNT; t++)
		CHECK_MSG(strcmp(mb2_info_type_name(t), "unknown") != 0,
			  "type %u has no name", t);
	CHECK_STR(mb_code_name(MB_E_MB2_HEADER), "mb2-header");
	CHECK_STR(mb_code_name(MB_E_MB2_UNSUPPORTED), "mb2-unsupported");
	CHECK_STR(mb_code_name(MB_E_RELOCATE), "relocate");
}

/* --- images -------------------------------------------------------------- */

/** A flat kernel: header at @off with an address tag and, if @entry is
 * nonzero, an entry address tag; the file is @len bytes. */
static void flat(size_t off, uint32_t header_addr, uint32_t load_addr,
		 uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
	const uint32_t a[] = { header_addr, load_addr, load_end, bss_end };
	hb_start(off);
	hb_tag(MB2_HT_ADDRESS, 0, a, 4);
	if (entry)
		hb_tag(MB2_HT_ENTRY, 0, &entry, 1);
	hb_finish();
}

/** Header search plus probe of buf[0..len). */
static int probe(size_t len)
{
	memset(&img, 0x5a, sizeof(img));
	memset(&err, 0, sizeof(err));
	int rc = mb2_find_header(buf, len, "k", &hi, &err);
	if (rc)
		return -1;
	rc = mb2_image_probe(buf, len, "k", &hi, &img, &err);
	if (rc)
		CHECK_MSG(err.code == (enum mb_code)rc && err.msg[0],
			  "error %d not recorded", rc);
	return rc;
}

static void test_address_tag(void)
{
	/* Header 0x40 into the file, the file loaded from its start. */
	flat(0x40, 0x100040, 0x100000, 0, 0x110000, 0x100080);
	CHECK_EQ_U(probe(0x2000), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_AOUT);
	CHECK_EQ_U(img.nsegs, 1);
	CHECK_EQ_U(img.segs[0].addr, 0x100000);
	CHECK_EQ_U(img.segs[0].file_off, 0);
	CHECK_EQ_U(img.segs[0].filesz, 0x2000);
	CHECK_EQ_U(img.segs[0].memsz, 0x10000);
	CHECK_EQ_U(img.entry, 0x100080);
	CHECK_EQ_U(img.header_offset, 0x40);
	CHECK_EQ_U(img.header.magic, 0);

	/* Skipping a prefix of the file; load_end_addr limiting the data. */
	flat(0x1000, 0x200800, 0x200000, 0x201000, 0, 0x200900);
	CHECK_EQ_U(probe(0x4000), MB_OK);
	CHECK_EQ_U(img.segs[0].addr, 0x200000);
	CHECK_EQ_U(img.segs[0].file_off, 0x800);
	CHECK_EQ_U(img.segs[0].filesz, 0x1000);
	CHECK_EQ_U(img.segs[0].memsz, 0x1000);
	/* load_end_addr exactly at the end of the file, and one past. */
	flat(0x1000, 0x200800, 0x200000, 0x203800, 0, 0x200900);
	CHECK_EQ_U(probe(0x4000), MB_OK);
	CHECK_EQ_U(img.segs[0].filesz, 0x3800);
	flat(0x1000, 0x200800, 0x200000, 0x203801, 0, 0x200900);
	CHECK_EQ_U(probe(0x4000), MB_E_SEGMENT_FILE);
	CHECK_CONTAINS(err.msg, "load_end_addr 0x00203801");

	/* load_addr -1: the file's first byte goes to header_addr - offset. */
	flat(0x40, 0x300040, MB2_LOAD_FROM_START, 0, 0x310000, 0x300100);
	CHECK_EQ_U(probe(0x3000), MB_OK);
	CHECK_EQ_U(img.segs[0].addr, 0x300000);
	CHECK_EQ_U(img.segs[0].file_off, 0);
	CHECK_EQ_U(img.segs[0].filesz, 0x3000);
	CHECK_EQ_U(img.segs[0].memsz, 0x10000);
	flat(0x40, 0x30, MB2_LOAD_FROM_START, 0, 0, 0x10);
	CHECK_EQ_U(probe(0x3000), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "below 0");

	/* The a.out-kludge inconsistencies. */
	flat(0x40, 0x100040, 0x100044, 0, 0, 0x100080);
	CHECK_EQ_U(probe(0x2000), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "load_addr 0x00100044 is above header_addr 0x00100040");
	flat(0x40, 0x100040, 0x100000 - 8, 0, 0, 0x100080);
	CHECK_EQ_U(probe(0x2000), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "only 64 bytes into the file");
	flat(0x40, 0x100040, 0x100000, 0xfff00, 0, 0x100080);
	CHECK_EQ_U(probe(0x2000), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "load_end_addr 0x000fff00 is below load_addr");
	flat(0x40, 0x100040, 0x100000, 0, 0x101000, 0x100080);
	CHECK_EQ_U(probe(0x2000), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "bss_end_addr 0x00101000 is below the end of the loaded image 0x00102000");
	flat(0x40, 0xfffff040, 0xfffff000, 0, 0, 0xfffff100);
	CHECK_EQ_U(probe(0x2000), MB_E_SEGMENT_RANGE);
	CHECK_CONTAINS(err.msg, "below 4 GiB");
	/* Entry: required with an address tag, and inside the image. */
	flat(0x40, 0x100040, 0x100000, 0, 0, 0);
	CHECK_EQ_U(probe(0x2000), MB_E_ENTRY);
	CHECK_CONTAINS(err.msg, "no entry address tag");
	flat(0x40, 0x100040, 0x100000, 0, 0x104000, 0x104000);
	CHECK_EQ_U(probe(0x2000), MB_E_ENTRY);
	CHECK_CONTAINS(err.msg, "entry address 0x00104000 is outside");
	flat(0x40, 0x100040, 0x100000, 0, 0x104000, 0x103fff);
	CHECK_EQ_U(probe(0x2000), MB_OK);
	flat(0x40, 0x100040, 0x100000, 0, 0, 0xfffff);
	CHECK_EQ_U(probe(0x2000), MB_E_ENTRY);
	/* Nothing to load: the whole file is before the load offset. */
	flat(0x40, 0x100040, 0x100000, 0x100000, 0, 0x100000);
	CHECK_EQ_U(probe(0x2000), MB_E_NO_SEGMENTS);
	/* An empty file. */
	CHECK_EQ_U(mb2_image_probe(buf, 0, "k", &hi, &img, &err),
		   MB_E_EMPTY_FILE);
}

/** An ELF32 file in buf with @n PT_LOAD segments {offset, paddr, filesz,
 * memsz}, entry @entry, and a Multiboot2 header at 0x1000 whose tags are
 * added by the caller between hb_start and hb_finish. */
static void elf32(uint32_t entry, const uint32_t (*ph)[4], unsigned n)
{
	memcpy(buf, "\177ELF\1\1\1", 7);
	put16(buf + 16, 2);		/* ET_EXEC */
	put16(buf + 18, 3);		/* EM_386 */
	put32(buf + 20, 1);
	put32(buf + 24, entry);
	put32(buf + 28, 52);		/* phoff */
	put16(buf + 40, 52);
	put16(buf + 42, 32);
	put16(buf + 44, (uint16_t)n);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = buf + 52 + 32 * i;
		put32(p, 1);
		put32(p + 4, ph[i][0]);
		put32(p + 8, ph[i][1]);	/* vaddr = paddr */
		put32(p + 12, ph[i][1]);
		put32(p + 16, ph[i][2]);
		put32(p + 20, ph[i][3]);
	}
}

static void test_elf(void)
{
	static const uint32_t two[][4] = {
		{ 0x2000, 0x400000, 0x1000, 0x1000 },
		{ 0x1000, 0x200000, 0x1000, 0x3000 },	/* lower: sorted */
	};
	static const uint32_t overlap[][4] = {
		{ 0x1000, 0x200000, 0x1000, 0x3000 },
		{ 0x2000, 0x202000, 0x1000, 0x1000 },
	};
	uint32_t e;

	hb_start(0x1000);
	hb_finish();
	elf32(0x200010, two, 2);
	CHECK_EQ_U(probe(0x4000), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_ELF32);
	CHECK_EQ_U(img.nsegs, 2);
	CHECK_EQ_U(img.segs[0].addr, 0x200000);
	CHECK_EQ_U(img.segs[0].memsz, 0x3000);
	CHECK_EQ_U(img.segs[1].addr, 0x400000);
	CHECK_EQ_U(img.entry, 0x200010);
	CHECK_EQ_U(img.header_offset, 0x1000);

	/* The entry address tag overrides the ELF entry... */
	hb_start(0x1000);
	e = 0x400020;
	hb_tag(MB2_HT_ENTRY, 0, &e, 1);
	hb_finish();
	elf32(0x200010, two, 2);
	CHECK_EQ_U(probe(0x4000), MB_OK);
	CHECK_EQ_U(img.entry, 0x400020);
	/* ... and must lie inside a segment (the gap is not). */
	hb_start(0x1000);
	e = 0x300000;
	hb_tag(MB2_HT_ENTRY, 0, &e, 1);
	hb_finish();
	elf32(0x200010, two, 2);
	CHECK_EQ_U(probe(0x4000), MB_E_ENTRY);
	CHECK_CONTAINS(err.msg, "0x00300000");

	/* An address tag wins over the ELF headers. */
	flat(0x1000, 0x500000, 0x500000 - 0x1000, 0, 0, 0x500000);
	elf32(0x200010, two, 2);
	CHECK_EQ_U(probe(0x4000), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_AOUT);
	CHECK_EQ_U(img.segs[0].addr, 0x4ff000);

	/* Overlapping ELF segments are refused. */
	hb_start(0x1000);
	hb_finish();
	elf32(0x200010, overlap, 2);
	CHECK_EQ_U(probe(0x4000), MB_E_SEGMENT_OVERLAP);

	/* Neither ELF nor an address tag. */
	minimal_header(0x1000);
	CHECK_EQ_U(probe(0x4000), MB_E_NOT_ELF);
	CHECK_CONTAINS(err.msg, "no address tag");
	/* A broken ELF header is reported by the ELF parser. */
	hb_start(0x1000);
	hb_finish();
	elf32(0x200010, two, 2);
	put16(buf + 18, 40);
	CHECK_EQ_U(probe(0x4000), MB_E_ELF_HEADER);
}

/* --- relocation ---------------------------------------------------------- */

/** A two-segment image linked at @base: 0x3000 bytes, a gap, 0x1000 more
 * (0x5000 in all), entry 0x10 in, and a relocatable tag. */
static void reloc_image(uint32_t base, uint32_t min, uint32_t max,
			uint32_t align, uint32_t pref)
{
	memset(&img, 0, sizeof(img));
	img.nsegs = 2;
	img.segs[0] = (struct mb_segment){ base, 0x1000, 0x1000, 0x3000 };
	img.segs[1] = (struct mb_segment){ base + 0x4000, 0x2000, 0x800,
					   0x1000 };
	img.entry = base + 0x10;
	memset(&hi, 0, sizeof(hi));
	hi.tags_present = 1u << MB2_HT_RELOCATABLE;
	hi.reloc_min = min;
	hi.reloc_max = max;
	hi.reloc_align = align;
	hi.reloc_pref = pref;
}

/** Relocate; on success check that the image moved as one piece to the
 * returned base.  Returns the code, the base in *@base. */
static int relocate(const struct mb_range *ram, unsigned nram,
		    uint32_t *base)
{
	struct mb_image before = img;
	memset(&err, 0, sizeof(err));
	*base = 0xdeadbeef;
	int rc = mb2_relocate(&img, &hi, ram, nram, base, "k", &err);
	if (rc) {
		CHECK_MSG(err.code == (enum mb_code)rc && err.msg[0],
			  "error %d not recorded", rc);
		CHECK_MSG(!memcmp(&before, &img, sizeof(img)),
			  "image changed by a failed relocation");
		return rc;
	}
	uint32_t delta = *base - before.segs[0].addr;
	CHECK_EQ_U(img.segs[0].addr, *base);
	CHECK_EQ_U(img.segs[1].addr, before.segs[1].addr + delta);
	CHECK_EQ_U(img.entry, before.entry + delta);
	CHECK_EQ_U(img.segs[1].file_off, before.segs[1].file_off);
	CHECK_EQ_U(img.segs[1].memsz, before.segs[1].memsz);
	return rc;
}

static void test_relocate(void)
{
	static const struct mb_range pc[] = {
		{ 0, 0x9f000 }, { MIB, 64 * MIB },
	};
	uint32_t base;

	/* Low, high and no preference. */
	reloc_image(32 * MIB, 0, 64 * MIB, 2 * MIB, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 2 * MIB);
	reloc_image(32 * MIB, 0, 64 * MIB, 2 * MIB, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 62 * MIB);
	reloc_image(32 * MIB, 0, 64 * MIB, 2 * MIB, MB2_RELOC_PREF_NONE);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 32 * MIB);
	/* None, linked where it cannot stay: the lowest place. */
	reloc_image(128 * MIB, 0, 0xffffffffu, 4096, MB2_RELOC_PREF_NONE);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, MIB);
	reloc_image(32 * MIB + 4096, 0, 64 * MIB, 2 * MIB, 7);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 2 * MIB);

	/* max_addr bounds the end, min_addr the start. */
	reloc_image(32 * MIB, 0, 24 * MIB + 0x5000, 4096,
		    MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 24 * MIB);
	reloc_image(32 * MIB, 0, 24 * MIB + 0x4fff, 4096,
		    MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 24 * MIB - 4096);
	reloc_image(32 * MIB, 5 * MIB + 1, 64 * MIB, 4096,
		    MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 5 * MIB + 4096);

	/* Never below 1 MiB even when allowed and RAM is there. */
	reloc_image(32 * MIB, 0, 64 * MIB, 0, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, MIB);
	static const struct mb_range from0[] = { { 0, 64 * MIB } };
	CHECK_EQ_U(relocate(from0, 1, &base), MB_OK);
	CHECK_EQ_U(base, MIB);

	/* Alignment 0 counts as 1; odd alignments work too. */
	reloc_image(32 * MIB, 0x123457, 64 * MIB, 0, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 0x123457);
	reloc_image(32 * MIB, MIB + 1, 64 * MIB, 0x3000, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base, 0x102000);
	reloc_image(32 * MIB, 0, 64 * MIB, 0x3000, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_OK);
	CHECK_EQ_U(base % 0x3000, 0);
	CHECK(base + 0x5000 <= 64 * MIB && base + 0x5000 + 0x3000 > 64 * MIB);

	/* Touching and overlapping ranges form one stretch; holes do not. */
	static const struct mb_range pieces[] = {
		{ 3 * MIB, 3 * MIB + 0x2000 }, { MIB, 0x100800 },
		{ 0x100800, 0x102000 }, { 0x101000, 0x103000 },
		{ 0x103000, 0x104fff },		/* one byte short */
		{ 2 * MIB, 2 * MIB + 0x3000 }, { 2 * MIB + 0x2800, 2 * MIB + 0x5000 },
	};
	reloc_image(32 * MIB, 0, 64 * MIB, 0x800, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pieces, MB_ARRAY_SIZE(pieces), &base), MB_OK);
	CHECK_EQ_U(base, 2 * MIB);
	reloc_image(32 * MIB, 0, 64 * MIB, 0x800, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(pieces, MB_ARRAY_SIZE(pieces), &base), MB_OK);
	CHECK_EQ_U(base, 2 * MIB);
	/* Several stretches: the lowest or the highest wins, whatever the
	 * order of the ranges. */
	static const struct mb_range two_up[] = {
		{ MIB, 8 * MIB }, { 16 * MIB, 24 * MIB }, { 10 * MIB, 12 * MIB },
	};
	static const struct mb_range two_down[] = {
		{ 16 * MIB, 24 * MIB }, { 10 * MIB, 12 * MIB }, { MIB, 8 * MIB },
	};
	reloc_image(32 * MIB, 0, 64 * MIB, 4096, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(two_up, 3, &base), MB_OK);
	CHECK_EQ_U(base, 24 * MIB - 0x5000);
	reloc_image(32 * MIB, 0, 64 * MIB, 4096, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(two_down, 3, &base), MB_OK);
	CHECK_EQ_U(base, 24 * MIB - 0x5000);
	reloc_image(32 * MIB, 0, 64 * MIB, 4096, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(two_up, 3, &base), MB_OK);
	CHECK_EQ_U(base, MIB);
	reloc_image(32 * MIB, 0, 64 * MIB, 4096, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(two_down, 3, &base), MB_OK);
	CHECK_EQ_U(base, MIB);
	reloc_image(32 * MIB, 9 * MIB, 23 * MIB, 4096, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(two_down, 3, &base), MB_OK);
	CHECK_EQ_U(base, 23 * MIB - 0x5000);
	reloc_image(32 * MIB, 9 * MIB, 15 * MIB, 4096, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(two_down, 3, &base), MB_OK);
	CHECK_EQ_U(base, 12 * MIB - 0x5000);
	reloc_image(32 * MIB, 9 * MIB, 15 * MIB, 4096, MB2_RELOC_PREF_NONE);
	CHECK_EQ_U(relocate(two_down, 3, &base), MB_OK);
	CHECK_EQ_U(base, 10 * MIB);
	reloc_image(20 * MIB, 9 * MIB, 25 * MIB, 4096, MB2_RELOC_PREF_NONE);
	CHECK_EQ_U(relocate(two_down, 3, &base), MB_OK);
	CHECK_EQ_U(base, 20 * MIB);

	/* Empty and inverted ranges count for nothing. */
	static const struct mb_range junk[] = {
		{ 8 * MIB, 8 * MIB }, { 16 * MIB, 9 * MIB }, { 4 * MIB, 5 * MIB },
	};
	reloc_image(32 * MIB, 0, 64 * MIB, 4096, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(junk, 3, &base), MB_OK);
	CHECK_EQ_U(base, 5 * MIB - 0x5000);

	/* RAM above 4 GiB is clipped. */
	static const struct mb_range big[] = { { MIB, 0x200000000ull } };
	reloc_image(32 * MIB, 0, 0xffffffffu, 2 * MIB, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(big, 1, &base), MB_OK);
	CHECK_EQ_U(base, 0xffe00000u);
	static const struct mb_range high_only[] = {
		{ 0x100000000ull, 0x200000000ull },
	};
	reloc_image(32 * MIB, 0, 0xffffffffu, 4096, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(high_only, 1, &base), MB_E_RELOCATE);

	/* Impossible: the message gives the limits and the size. */
	reloc_image(32 * MIB, 80 * MIB, 0xffffffffu, 0x200000,
		    MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_E_RELOCATE);
	CHECK_CONTAINS(err.msg, "20480 bytes");
	CHECK_CONTAINS(err.msg, "min_addr 0x05000000");
	CHECK_CONTAINS(err.msg, "max_addr 0xffffffff");
	CHECK_CONTAINS(err.msg, "align 0x200000");
	CHECK_CONTAINS(err.msg, "linked at 0x02000000");
	CHECK_EQ_U(base, 0xdeadbeef);
	reloc_image(32 * MIB, 8 * MIB, 4 * MIB, 4096, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_E_RELOCATE);
	reloc_image(32 * MIB, 0, MIB + 0x4fff, 4096, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_E_RELOCATE);
	reloc_image(32 * MIB, 0, 64 * MIB, 0x80000000u, MB2_RELOC_PREF_LOW);
	CHECK_EQ_U(relocate(pc, 2, &base), MB_E_RELOCATE);
	CHECK_EQ_U(relocate(pc, 0, &base), MB_E_RELOCATE);
	/* The stretch is exactly the image's size. */
	static const struct mb_range exact[] = { { 3 * MIB, 3 * MIB + 0x5000 } };
	reloc_image(32 * MIB, 0, 0xffffffffu, 4096, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(exact, 1, &base), MB_OK);
	CHECK_EQ_U(base, 3 * MIB);
	static const struct mb_range short1[] = { { 3 * MIB, 3 * MIB + 0x4fff } };
	reloc_image(32 * MIB, 0, 0xffffffffu, 1, MB2_RELOC_PREF_HIGH);
	CHECK_EQ_U(relocate(short1, 1, &base), MB_E_RELOCATE);

	/* The whole path: header, probe, relocate. */
	static const uint32_t rt[] = { 0x400000, 0x1000000, 0x400000,
				       MB2_RELOC_PREF_LOW };
	static const uint32_t one[][4] = { { 0x2000, 0x200000, 0x1000, 0x8000 } };
	hb_start(0x1000);
	hb_tag(MB2_HT_RELOCATABLE, MB2_HT_OPTIONAL, rt, 4);
	hb_finish();
	elf32(0x200100, one, 1);
	CHECK_EQ_U(probe(0x4000), MB_OK);
	CHECK(mb2_has_tag(&hi, MB2_HT_RELOCATABLE));
	CHECK_EQ_U(mb2_relocate(&img, &hi, pc, 2, &base, "k", &err), MB_OK);
	CHECK_EQ_U(base, 0x400000);
	CHECK_EQ_U(img.segs[0].addr, 0x400000);
	CHECK_EQ_U(img.segs[0].file_off, 0x2000);
	CHECK_EQ_U(img.entry, 0x400100);
}

/* --- boot information ---------------------------------------------------- */

static struct mb_request req;
static uint8_t blob[64 * 1024];

static const struct mb_e820 pc_map[] = {
	{ 0x100000, 0x7fee0000 - 0x100000, 1 },
	{ 0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x7fee0000, 0x20000, 3 },
	{ 0x100000000ull, 0x80000000ull, 1 },
};

/** Walk the tags of the blob (@size bytes); checks the framing and that
 * padding is zero.  Returns the number of tags, fills @at with each tag's
 * offset (at most @max). */
static unsigned walk(size_t size, size_t *at, unsigned max)
{
	unsigned n = 0;
	size_t pos = 8;

	CHECK_EQ_U(get32(blob), size);
	CHECK_EQ_U(get32(blob + 4), 0);
	while (pos + 8 <= size) {
		uint32_t type = get32(blob + pos), tsize = get32(blob + pos + 4);
		CHECK_MSG(pos % 8 == 0, "tag %u at %zu not 8-byte aligned",
			  type, pos);
		if (!CHECK_MSG(tsize >= 8 && tsize <= size - pos,
			       "tag %u at %zu has size %u", type, pos, tsize))
			return n;
		if (n < max)
			at[n] = pos;
		n++;
		size_t next = MB_ALIGN_UP(pos + tsize, (size_t)8);
		for (size_t i = pos + tsize; i < next && i < size; i++)
			CHECK_MSG(blob[i] == 0, "padding byte %zu is 0x%02x", i,
				  blob[i]);
		if (type == MB2_IT_END) {
			CHECK_EQ_U(tsize, 8);
			CHECK_EQ_U(pos + 8, size);
			return n;
		}
		pos = next;
	}
	CHECK_MSG(0, "no end tag");
	return n;
}

static void test_mbi2(void)
{
	static uint32_t mod_addr[MB_MAX_FILES], mod_len[MB_MAX_FILES];
	static uint8_t shdrs[3 * 40], rsdp1[20], rsdp2[36], ack[300];
	static const struct mb1_apm apm = { 0x0102, 0xf000, 0x12345678,
					    0xf100, 0x0040, 0x3, 0xfff0,
					    0xffe0, 0x100 };
	size_t at[64];

	if (!CHECK_EQ_U(mb_parse_cmdline("xen.gz  dom0_mem=512M  console=com1 --- vmlinuz root=/dev/ram --- -gunzip initrd.gz",
					 &req, &err), MB_OK))
		return;
	for (unsigned i = 0; i < MB_MAX_FILES; i++) {
		mod_addr[i] = 0x2000000u + i * 0x100000u;
		mod_len[i] = 1000u * i + 3;
	}
	for (unsigned i = 0; i < sizeof(shdrs); i++)
		shdrs[i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < sizeof(rsdp1); i++)
		rsdp1[i] = (uint8_t)(0x40 + i);
	for (unsigned i = 0; i < sizeof(rsdp2); i++)
		rsdp2[i] = (uint8_t)(0x80 + i);
	for (unsigned i = 0; i < sizeof(ack); i++)
		ack[i] = (uint8_t)(i ^ 0x5a);

	struct mb2_input in = {
		.req = &req, .mod_addr = mod_addr, .mod_len = mod_len,
		.map = pc_map, .nmap = MB_ARRAY_SIZE(pc_map),
		.loader_name = "mboot.c32 0.1",
		.have_bootdev = true, .bootdev_biosdev = 0x80,
		.bootdev_partition = 1, .bootdev_sub_partition = 0xffffffffu,
		.elf_shdrs = shdrs, .elf_shnum = 3, .elf_shentsize = 40,
		.elf_shndx = 2, .apm = &apm, .rsdp_v1 = rsdp1,
		.rsdp_v2 = rsdp2, .rsdp_v2_len = sizeof(rsdp2),
		.dhcp_ack = ack, .dhcp_ack_len = 300,
		.have_load_base = true, .load_base = 0x400000,
	};
	CHECK_EQ_U(mb2_info_types(&in), 0x21c67f);

	size_t size = mb2_info_size(&in);
	memset(blob, 0xaa, sizeof(blob));
	CHECK_EQ_U(mb2_info_build(&in, blob, 0x9000), size);
	CHECK_EQ_U(size % 8, 0);
	CHECK_EQ_U(blob[size], 0xaa);	/* nothing written past the end */
	unsigned n = walk(size, at, 64);
	static const uint32_t want[] = { 1, 2, 3, 3, 4, 5, 6, 9, 10, 14, 15,
					 16, 21, 0 };
	if (CHECK_EQ_U(n, MB_ARRAY_SIZE(want))) {
		for (unsigned i = 0; i < n; i++)
			CHECK_EQ_U(get32(blob + at[i]), want[i]);
	} else {
		return;
	}
	const uint8_t *t;
	/* 1: the kernel's command line, "name args". */
	t = blob + at[0];
	CHECK_STR((const char *)t + 8, "xen.gz dom0_mem=512M  console=com1");
	CHECK_EQ_U(get32(t + 4), 8 + strlen("xen.gz dom0_mem=512M  console=com1") + 1);
	/* 2: loader name. */
	t = blob + at[1];
	CHECK_STR((const char *)t + 8, "mboot.c32 0.1");
	CHECK_EQ_U(get32(t + 4), 8 + 14);
	/* 3: modules in order. */
	t = blob + at[2];
	CHECK_EQ_U(get32(t + 8), 0x2100000);
	CHECK_EQ_U(get32(t + 12), 0x2100000 + 1003);
	CHECK_STR((const char *)t + 16, "vmlinuz root=/dev/ram");
	CHECK_EQ_U(get32(t + 4), 16 + strlen("vmlinuz root=/dev/ram") + 1);
	t = blob + at[3];
	CHECK_EQ_U(get32(t + 8), 0x2200000);
	CHECK_EQ_U(get32(t + 12), 0x2200000 + 2003);
	CHECK_STR((const char *)t + 16, "initrd.gz");
	/* 4: basic memory information. */
	t = blob + at[4];
	CHECK_EQ_U(get32(t + 4), 16);
	CHECK_EQ_U(get32(t + 8), 639);
	CHECK_EQ_U(get32(t + 12), (0x7fee0000 - 0x100000) / 1024);
	/* 5: boot device. */
	t = blob + at[5];
	CHECK_EQ_U(get32(t + 4), 20);
	CHECK_EQ_U(get32(t + 8), 0x80);
	CHECK_EQ_U(get32(t + 12), 1);
	CHECK_EQ_U(get32(t + 16), 0xffffffffu);
	/* 6: the memory map, as the firmware gave it. */
	t = blob + at[6];
	CHECK_EQ_U(get32(t + 4), 16 + 24 * MB_ARRAY_SIZE(pc_map));
	CHECK_EQ_U(get32(t + 8), 24);
	CHECK_EQ_U(get32(t + 12), 0);
	for (unsigned i = 0; i < MB_ARRAY_SIZE(pc_map); i++) {
		const uint8_t *e = t + 16 + 24 * i;
		CHECK_EQ_U(mb_le64(e), pc_map[i].base);
		CHECK_EQ_U(mb_le64(e + 8), pc_map[i].len);
		CHECK_EQ_U(get32(e + 16), pc_map[i].type);
		CHECK_EQ_U(get32(e + 20), 0);
	}
	/* 9: ELF sections. */
	t = blob + at[7];
	CHECK_EQ_U(get32(t + 4), 20 + sizeof(shdrs));
	CHECK_EQ_U(get32(t + 8), 3);
	CHECK_EQ_U(get32(t + 12), 40);
	CHECK_EQ_U(get32(t + 16), 2);
	CHECK(!memcmp(t + 20, shdrs, sizeof(shdrs)));
	/* 10: APM. */
	t = blob + at[8];
	CHECK_EQ_U(get32(t + 4), 28);
	CHECK_EQ_U(mb_le16(t + 8), 0x0102);
	CHECK_EQ_U(mb_le16(t + 10), 0xf000);
	CHECK_EQ_U(get32(t + 12), 0x12345678);
	CHECK_EQ_U(mb_le16(t + 16), 0xf100);
	CHECK_EQ_U(mb_le16(t + 18), 0x0040);
	CHECK_EQ_U(mb_le16(t + 20), 3);
	CHECK_EQ_U(mb_le16(t + 22), 0xfff0);
	CHECK_EQ_U(mb_le16(t + 24), 0xffe0);
	CHECK_EQ_U(mb_le16(t + 26), 0x100);
	/* 14, 15, 16: copies. */
	t = blob + at[9];
	CHECK_EQ_U(get32(t + 4), 28);
	CHECK(!memcmp(t + 8, rsdp1, 20));
	t = blob + at[10];
	CHECK_EQ_U(get32(t + 4), 8 + 36);
	CHECK(!memcmp(t + 8, rsdp2, 36));
	t = blob + at[11];
	CHECK_EQ_U(get32(t + 4), 8 + 300);
	CHECK(!memcmp(t + 8, ack, 300));
	/* 21: load base. */
	t = blob + at[12];
	CHECK_EQ_U(get32(t + 4), 12);
	CHECK_EQ_U(get32(t + 8), 0x400000);

	/* Only the kernel, nothing optional. */
	if (!CHECK_EQ_U(mb_parse_cmdline("k", &req, &err), MB_OK))
		return;
	struct mb2_input bare = {
		.req = &req, .mod_addr = mod_addr, .mod_len = mod_len,
		.map = pc_map, .nmap = 0, .loader_name = "",
	};
	CHECK_EQ_U(mb2_info_types(&bare), 0x5f);
	size = mb2_info_size(&bare);
	/* 8 + cmdline 16 + name 16 + meminfo 16 + mmap 16 + end 8 */
	CHECK_EQ_U(size, 80);
	memset(blob, 0xaa, sizeof(blob));
	CHECK_EQ_U(mb2_info_build(&bare, blob, 0x100008), size);
	n = walk(size, at, 64);
	static const uint32_t want_bare[] = { 1, 2, 4, 6, 0 };
	if (CHECK_EQ_U(n, MB_ARRAY_SIZE(want_bare)))
		for (unsigned i = 0; i < n; i++)
			CHECK_EQ_U(get32(blob + at[i]), want_bare[i]);
	CHECK_STR((const char *)blob + at[0] + 8, "k");
	CHECK_EQ_U(get32(blob + at[2] + 8), 0);	/* no map: no memory */
	CHECK_EQ_U(get32(blob + at[2] + 12), 0);
	CHECK_EQ_U(get32(blob + at[3] + 4), 16);

	/* Sizes that need no padding and odd ones. */
	for (uint32_t len = 0; len < 20; len++) {
		struct mb2_input odd = bare;
		odd.dhcp_ack = ack;
		odd.dhcp_ack_len = len;
		odd.rsdp_v2 = rsdp2;
		odd.rsdp_v2_len = len;
		size = mb2_info_size(&odd);
		memset(blob, 0xaa, sizeof(blob));
		CHECK_EQ_U(mb2_info_build(&odd, blob, 0), size);
		CHECK_EQ_U(walk(size, at, 64), 7);
		CHECK_EQ_U(get32(blob + at[4] + 4), 8 + len);
		CHECK_EQ_U(get32(blob + at[5] + 4), 8 + len);
	}

	/* The address must be 8-byte aligned. */
	memset(blob, 0xaa, sizeof(blob));
	CHECK_EQ_U(mb2_info_build(&bare, blob, 0x100004), 0);
	CHECK_EQ_U(blob[0], 0xaa);

	/* Many modules: the size still matches. */
	char line[MB_CMDLINE_MAX];
	size_t p = (size_t)snprintf(line, sizeof(line), "kernel");
	for (unsigned i = 0; i < 100; i++)
		p += (size_t)snprintf(line + p, sizeof(line) - p,
				      " --- m%u%s", i, i % 3 ? " a" : "");
	if (!CHECK_EQ_U(mb_parse_cmdline(line, &req, &err), MB_OK))
		return;
	in.req = &req;
	size = mb2_info_size(&in);
	CHECK(size < sizeof(blob));
	CHECK_EQ_U(mb2_info_build(&in, blob, 0x8000), size);
	CHECK_EQ_U(walk(size, at, 64), 112);
}

/* --- RSDP ---------------------------------------------------------------- */

static uint8_t area[0x2000];

/** Write an RSDP of @rev at @off (length @len for rev >= 2), checksums
 * right. */
static void rsdp_at(size_t off, uint8_t rev, uint32_t len)
{
	uint8_t *p = area + off, sum = 0;

	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "MBOOT ", 6);
	p[15] = rev;
	put32(p + 16, 0x7fee1234);
	p[8] = 0;
	for (unsigned i = 0; i < 20; i++)
		sum = (uint8_t)(sum + p[i]);
	p[8] = (uint8_t)-sum;
	if (rev >= 2) {
		put32(p + 20, len);
		put32(p + 24, 0x7fee5678);
		put32(p + 28, 0);
		p[32] = 0;
		sum = 0;
		for (unsigned i = 0; i < len; i++)
			sum = (uint8_t)(sum + p[i]);
		p[32] = (uint8_t)-sum;
	}
}

static void test_rsdp(void)
{
	memset(area, 0, sizeof(area));
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);
	CHECK(mb_find_rsdp(area, 0) == NULL);

	rsdp_at(0x1230, 0, 0);
	CHECK(mb_find_rsdp(area, sizeof(area)) == area + 0x1230);
	CHECK_EQ_U(mb_rsdp_length(area + 0x1230), 20);
	CHECK(mb_find_rsdp(area, 0x1230 + 20) == area + 0x1230);
	CHECK(mb_find_rsdp(area, 0x1230 + 19) == NULL);
	/* A bad checksum is skipped... */
	area[0x1230 + 10] ^= 1;
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);
	/* ... and a later valid one found. */
	rsdp_at(0x1800, 0, 0);
	CHECK(mb_find_rsdp(area, sizeof(area)) == area + 0x1800);
	/* Off the 16-byte grid: not looked at. */
	memset(area, 0, sizeof(area));
	rsdp_at(0x1238, 0, 0);
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);
	/* A signature alone is not enough. */
	memset(area, 0, sizeof(area));
	memcpy(area + 0x100, "RSD PTR ", 8);
	area[0x108] = 1;
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);

	/* Revision 2: the extended checksum and the length count. */
	memset(area, 0, sizeof(area));
	rsdp_at(0x400, 2, 36);
	CHECK(mb_find_rsdp(area, sizeof(area)) == area + 0x400);
	CHECK_EQ_U(mb_rsdp_length(area + 0x400), 36);
	CHECK(mb_find_rsdp(area, 0x400 + 36) == area + 0x400);
	CHECK(mb_find_rsdp(area, 0x400 + 35) == NULL);
	area[0x400 + 30] ^= 0x10;	/* breaks only the extended sum */
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);
	rsdp_at(0x400, 2, 40);		/* longer than 36: fine */
	CHECK(mb_find_rsdp(area, sizeof(area)) == area + 0x400);
	CHECK_EQ_U(mb_rsdp_length(area + 0x400), 40);
	rsdp_at(0x400, 2, 24);		/* shorter than 36: invalid */
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);
	rsdp_at(0x400, 2, 0);
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);
	rsdp_at(0x400, 3, 36);
	CHECK(mb_find_rsdp(area, sizeof(area)) == area + 0x400);
	/* A length reaching past the area. */
	memset(area, 0, sizeof(area));
	rsdp_at(sizeof(area) - 48, 2, 36);
	CHECK(mb_find_rsdp(area, sizeof(area)) == area + sizeof(area) - 48);
	put32(area + sizeof(area) - 48 + 20, 0xffffff00u);
	CHECK(mb_find_rsdp(area, sizeof(area)) == NULL);
	/* Revision 1 is treated as ACPI 1.0. */
	memset(area, 0, sizeof(area));
	rsdp_at(sizeof(area) - 32, 1, 0);
	CHECK(mb_find_rsdp(area, sizeof(area)) == area + sizeof(area) - 32);
	CHECK_EQ_U(mb_rsdp_length(area + sizeof(area) - 32), 20);
}

int main(void)
{
	test_search();
	test_tags();
	test_check_bios();
	test_address_tag();
	test_elf();
	test_relocate();
	test_mbi2();
	test_rsdp();
	return check_summary("mb2");
}
