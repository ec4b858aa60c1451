/*
 * test_elfsec.c - the ELF section headers for Multiboot 2 tag 9
 * (lib/elfsec.c): table found, non-allocated sections copied and their
 * sh_addr pointed at the copies, allocated ones left alone, hostile
 * tables refused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "put.h"
#include "elfsec.h"
#include "util.h"

static uint8_t file[4096], area[4096];

/** One ELF32 section header at index @i of the table at 0x200. */
static void sh(unsigned i, uint32_t name, uint32_t type, uint32_t flags,
	       uint32_t addr, uint32_t off, uint32_t size)
{
	uint8_t *h = file + 0x200 + i * 40;
	memset(h, 0, 40);
	put32(h, name);
	put32(h + 4, type);
	put32(h + 8, flags);
	put32(h + 12, addr);
	put32(h + 16, off);
	put32(h + 20, size);
}

/** An ELF32 file: null, .text (alloc, at 0x100000), .comment, .shstrtab. */
static void build(void)
{
	static const char names[] = "\0.text\0.comment\0.shstrtab";
	memset(file, 0, sizeof(file));
	memcpy(file, "\177ELF\1\1\1", 7);
	put32(file + 32, 0x200);	/* e_shoff */
	put16(file + 46, 40);		/* e_shentsize */
	put16(file + 48, 4);		/* e_shnum */
	put16(file + 50, 3);		/* e_shstrndx */
	memcpy(file + 0x400, names, sizeof(names));
	memcpy(file + 0x500, "hello, comment", 14);
	sh(0, 0, 0, 0, 0, 0, 0);
	sh(1, 1, 1, 0x6, 0x100000, 0x100, 0x80);
	sh(2, 7, 1, 0, 0, 0x500, 14);
	sh(3, 16, 3, 0, 0, 0x400, sizeof(names));
}

int main(void)
{
	struct mb_elf_sections s;

	build();
	CHECK(mb_elf_sections_find(file, sizeof(file), &s) == 0);
	CHECK_EQ_U(s.shnum, 4);
	CHECK_EQ_U(s.shndx, 3);
	/* table 160, then .comment (14) at 160, .shstrtab at 176 */
	CHECK_EQ_U(s.size, 176 + 26);
	memset(area, 0xee, sizeof(area));
	const uint8_t *t = mb_elf_sections_place(file, &s, area, 0x5000000);
	CHECK(t == area);
	CHECK_EQ_U(mb_le32(area + 40 + 12), 0x100000);	/* .text untouched */
	CHECK_EQ_U(mb_le32(area + 80 + 12), 0x5000000 + 160);
	CHECK(!memcmp(area + 160, "hello, comment", 14));
	CHECK_EQ_U(mb_le32(area + 120 + 12), 0x5000000 + 176);
	CHECK(!memcmp(area + 176 + 16, ".shstrtab", 10));
	CHECK(!memcmp(area, file + 0x200, 12));		/* the rest as is */

	/* Hostile tables: no tag rather than a bad one. */
	build();
	put16(file + 48, 200);		/* past the end of the file */
	CHECK(mb_elf_sections_find(file, sizeof(file), &s) == -1);
	build();
	put16(file + 50, 4);		/* string table index out of range */
	CHECK(mb_elf_sections_find(file, sizeof(file), &s) == -1);
	build();
	sh(2, 7, 1, 0, 0, 0xff0, 0x100);	/* data past the end */
	CHECK(mb_elf_sections_find(file, sizeof(file), &s) == -1);
	build();
	put16(file + 46, 20);		/* entries too small */
	CHECK(mb_elf_sections_find(file, sizeof(file), &s) == -1);
	build();
	file[4] = 3;			/* not ELF32/64 */
	CHECK(mb_elf_sections_find(file, sizeof(file), &s) == -1);
	return check_summary("elfsec");
}
