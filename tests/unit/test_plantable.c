/*
 * test_plantable.c - the placement table (lib/plantable.c) on real plans:
 * every row inside its memory map entry, no two top-level rows sharing a
 * byte, the information's parts where the built structure really has
 * them (Multiboot 1 pointers, Multiboot 2 tags), the printed text, and a
 * failing plan giving the planner's message rather than a table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan_fixture.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "plantable.h"
#include "util.h"

static struct mb_plan_table table;
static uint8_t info[64 * 1024];

/** The row whose "what" is @what (and, for modules, index @index). */
static const struct mb_plan_row *row(const char *what)
{
	for (unsigned i = 0; i < table.nrows; i++)
		if (!strcmp(table.rows[i].what, what))
			return &table.rows[i];
	return NULL;
}

/** Invariants of any table: rows in RAM entries, sorted top-level rows
 * that do not overlap, parts inside the information row and disjoint. */
static void check_rows(void)
{
	const struct mb_plan_row *parent = NULL, *prev = NULL, *prev_part = NULL;

	for (unsigned i = 0; i < table.nrows; i++) {
		const struct mb_plan_row *r = &table.rows[i];
		CHECK_MSG(r->map >= 0 && r->map_type == MB_E820_RAM &&
			  fx_map[r->map].base == r->map_start &&
			  r->map_start <= r->start && r->end <= r->map_end,
			  "%s [0x%llx, 0x%llx) inside RAM entry %d", r->what,
			  (unsigned long long)r->start,
			  (unsigned long long)r->end, r->map);
		if (r->kind == MB_ROW_INFO_PART) {
			CHECK_MSG(parent && r->start >= parent->start &&
				  r->end <= parent->end,
				  "%s inside the information", r->what);
			CHECK_MSG(!prev_part || r->start >= prev_part->end,
				  "%s after %s", r->what,
			  prev_part ? prev_part->what : "");
			prev_part = r;
			continue;
		}
		CHECK_MSG(!prev || r->start >= prev->end ||
			  r->start == r->end || prev->start == prev->end,
			  "%s [0x%llx..) clear of %s [..0x%llx)", r->what,
			  (unsigned long long)r->start, prev ? prev->what : "",
			  prev ? (unsigned long long)prev->end : 0ull);
		CHECK_MSG(!prev || r->start >= prev->start, "%s sorted", r->what);
		prev = r;
		if (r->kind == MB_ROW_INFO)
			parent = r;
	}
}

static void test_mb1(void)
{
	static const uint32_t mods[] = { 100000, 3 };
	fx_setup("-v tk.elf tk.mods=2  x=-- --- mod-a.bin first module --- mod-b.bin",
		 1, mods, 0x08000000, 0x1f000000);
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	mb_plan_table_build(&fx_in, &fx_plan, fx_map, FX_NMAP, &table);
	check_rows();
	CHECK_EQ_U(table.proto, 1);
	/* 2 segments, info + 7 parts (fixed fields, memory map, module
	 * list, 3 command lines, loader name), boot area, 2 modules. */
	CHECK_EQ_U(table.nrows, 2 + 1 + 7 + 1 + 2);
	const struct mb_plan_row *s1 = row("kernel segment 1");
	CHECK(s1 && s1->start == 0x300000 && s1->end == 0x348000 &&
	      s1->map == 3);
	const struct mb_plan_row *m = row("module 1");
	CHECK(m && m->start == fx_plan.mod_addr[1] &&
	      m->end == fx_plan.mod_addr[1] + 100000u &&
	      !strcmp(m->name, "mod-a.bin") && m->index == 1);
	m = row("module 2");
	CHECK(m && m->end - m->start == 3 && !strcmp(m->name, "mod-b.bin"));
	const struct mb_plan_row *b = row("boot area");
	CHECK(b && b->start == fx_plan.allocs[MB_SLOT_BOOT].addr &&
	      b->end - b->start == 0x2c0);
	CHECK(!row("kernel image copy") && !row("ELF sections") &&
	      !row("info staging"));

	/* The parts are where the built structure points. */
	const struct mb_plan_row *in = row("info");
	uint32_t base = fx_plan.info_addr;
	CHECK(in && in->start == base && in->end == base + fx_plan.info_size);
	CHECK_EQ_U(mb1_info_build(&fx_in1, info, base), fx_plan.info_size);
	struct mb1_info mi;
	memcpy(&mi, info, sizeof(mi));
	const struct mb_plan_row *p = row("  info fixed fields");
	CHECK(p && p->start == base && p->end == base + sizeof(mi));
	p = row("  info memory map");
	CHECK(p && p->start == mi.mmap_addr &&
	      p->end - p->start == mi.mmap_length);
	p = row("  info module list");
	CHECK(p && p->start == mi.mods_addr &&
	      p->end - p->start == 2 * sizeof(struct mb1_module));
	p = row("  info cmdline kernel");
	CHECK(p && p->start == mi.cmdline);
	CHECK_STR((char *)info + (p->start - base), "tk.elf tk.mods=2  x=--");
	CHECK_EQ_U(p->end - p->start, strlen("tk.elf tk.mods=2  x=--") + 1);
	struct mb1_module mod2;
	memcpy(&mod2, info + (mi.mods_addr - base) + sizeof(mod2), sizeof(mod2));
	p = row("  info cmdline module 2");
	CHECK(p && p->start == mod2.string && p->end - p->start == 10);
	CHECK_STR((char *)info + (p->start - base), "mod-b.bin");
	p = row("  info cmdline module 1");
	CHECK(p && !strcmp((char *)info + (p->start - base),
			   "mod-a.bin first module"));
	p = row("  info loader name");
	CHECK(p && p->start == mi.boot_loader_name && p->end == in->end);

	/* The text: heading, then one line per row, map entries named. */
	static char text[16384];
	size_t n = mb_plan_table_format(&table, text, sizeof(text));
	CHECK_EQ_U(n, strlen(text));
	CHECK(!strncmp(text, "placement (Multiboot 1): start end bytes | memory map entry | what\n", 67));
	CHECK_CONTAINS(text, "  0x00300000 0x00348000     294912 | e820[3] 0x00100000-0x1ffe0000 RAM | kernel segment 1\n");
	char want[160];
	snprintf(want, sizeof(want),
		 "  0x%08x 0x%08x     100000 | e820[3] 0x00100000-0x1ffe0000 RAM | module 1 mod-a.bin\n",
		 fx_plan.mod_addr[1], fx_plan.mod_addr[1] + 100000);
	CHECK_CONTAINS(text, want);
	unsigned lines = 0;
	for (char *c = text; *c; c++)
		lines += *c == '\n';
	CHECK_EQ_U(lines, 1 + table.nrows);
	/* A small buffer: cut off, NUL-terminated, full length reported. */
	char small[40];
	CHECK_EQ_U(mb_plan_table_format(&table, small, sizeof(small)), n);
	CHECK_EQ_U(strlen(small), sizeof(small) - 1);
	CHECK(!strncmp(small, text, sizeof(small) - 1));

	char verdict[200];
	mb_plan_verdict(&fx_in, verdict, sizeof(verdict));
	CHECK_STR(verdict, "tk.elf would boot (Multiboot 1), 3 files, 267939 bytes");
}

/** Multiboot 2: parts inside the tags, found in the built blob. */
static void test_mb2(void)
{
	static const uint32_t mods[] = { 70000, 5, 4097 };
	fx_setup("-mb2 tk-mb2.elf tk.loader=PXELINUX --- m2a.bin first --- m2b.bin --- m2c.bin a  b",
		 2, mods, 0x08000000, 0x1f000000);
	fx_in2.have_bootdev = true;	/* moves the memory map tag */
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	mb_plan_table_build(&fx_in, &fx_plan, fx_map, FX_NMAP, &table);
	check_rows();
	uint32_t base = fx_plan.info_addr;
	CHECK_EQ_U(mb2_info_build(&fx_in2, info, base), fx_plan.info_size);
	static const struct { const char *what, *text; uint32_t tag, back; } want[] = {
		{ "  info cmdline kernel", "tk-mb2.elf tk.loader=PXELINUX", 1, 8 },
		{ "  info loader name", "SYSLINUX 6.04 mboot 0.1", 2, 8 },
		{ "  info cmdline module 1", "m2a.bin first", 3, 16 },
		{ "  info cmdline module 2", "m2b.bin", 3, 16 },
		{ "  info cmdline module 3", "m2c.bin a  b", 3, 16 },
	};
	for (unsigned i = 0; i < MB_ARRAY_SIZE(want); i++) {
		const struct mb_plan_row *p = row(want[i].what);
		CHECK_MSG(p != NULL, "row %s", want[i].what);
		if (!p)
			continue;
		uint32_t off = (uint32_t)(p->start - base);
		CHECK_STR((char *)info + off, want[i].text);
		CHECK_EQ_U(p->end - p->start, strlen(want[i].text) + 1);
		CHECK_EQ_U(mb_le32(info + off - want[i].back), want[i].tag);
	}
	const struct mb_plan_row *p = row("  info cmdline module 2");
	CHECK(p && mb_le32(info + (p->start - base) - 8) == fx_plan.mod_addr[2]);
	p = row("  info memory map");
	CHECK(p != NULL);
	if (p) {
		uint32_t off = (uint32_t)(p->start - base);
		CHECK_EQ_U(mb_le32(info + off), MB2_IT_MMAP);
		CHECK_EQ_U(mb_le32(info + off + 4), p->end - p->start);
		CHECK_EQ_U(p->end - p->start, 16 + FX_NMAP * 24);
	}
	char verdict[200];
	mb_plan_verdict(&fx_in, verdict, sizeof(verdict));
	CHECK_STR(verdict, "tk-mb2.elf would boot (Multiboot 2), 4 files, 242038 bytes");
}

/** A kernel image copy, ELF sections, an information structure moved to
 * low memory by the boot step, and a row outside every map entry. */
static void test_moved_and_outside(void)
{
	static const uint32_t mods[] = { 4096 };
	fx_setup("k.elf --- m.bin", 1, mods, 0x08000000, 0x1f000000);
	fx_in.move_image = true;
	fx_in.elfsec_size = 300;	/* as if Multiboot 2 had given one */
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	uint32_t staged = fx_plan.allocs[MB_SLOT_INFO].addr;
	fx_plan.info_addr = 0x10000;	/* fw_info_final_addr on BIOS */
	mb_plan_table_build(&fx_in, &fx_plan, fx_map, FX_NMAP, &table);
	check_rows();
	const struct mb_plan_row *r = row("info staging");
	CHECK(r && r->start == staged && r->end == staged + fx_plan.info_size);
	r = row("info");
	CHECK(r && r->start == 0x10000 && r->map == 0 && table.rows[0].kind == MB_ROW_INFO);
	CHECK(table.rows[1].kind == MB_ROW_INFO_PART &&
	      table.rows[1].start == 0x10000);
	r = row("  info cmdline kernel");
	CHECK(r && r->start < 0x10000 + fx_plan.info_size);
	CHECK_EQ_U(mb1_info_build(&fx_in1, info, 0x10000), fx_plan.info_size);
	struct mb1_info mi;
	memcpy(&mi, info, sizeof(mi));
	CHECK(r && r->start == mi.cmdline);
	r = row("kernel image copy");
	CHECK(r && r->end - r->start == 0x29000);
	r = row("ELF sections");
	CHECK(r && r->end - r->start == 300);

	/* A segment the map does not hold whole: "none". */
	fx_img.segs[1].addr = 0x1ffd0000;
	fx_ram[0].end = 0x20100000;	/* the planner's RAM allows it */
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	mb_plan_table_build(&fx_in, &fx_plan, fx_map, FX_NMAP, &table);
	r = row("kernel segment 1");
	CHECK(r && r->map == -1);
	static char text[16384];
	mb_plan_table_format(&table, text, sizeof(text));
	CHECK_CONTAINS(text, "  0x1ffd0000 0x20018000     294912 | none | kernel segment 1\n");
	CHECK_STR(mb_e820_type_name(2), "reserved");
	CHECK_STR(mb_e820_type_name(12), "type 12");
}

/** A plan that fails gives the planner's message, not a table. */
static void test_too_large(void)
{
	static const uint32_t mods[] = { 13, 200u << 20 };
	fx_setup("-n tk.elf --- small.bin --- huge.bin", 1, mods, 0x01000000,
		 0x07000000);
	CHECK(fx_req.opts & MB_OPT_DRY_RUN);
	CHECK_EQ_U(fx_plan_it(), MB_E_OUT_OF_MEMORY);
	CHECK_CONTAINS(fx_err.msg, "huge.bin: out of memory: needs 209715200 bytes");
}

/** Many modules: the table holds them all, in address order. */
static void test_many(void)
{
	static uint32_t mods[MB_MAX_FILES - 1];
	static char line[MB_CMDLINE_MAX];
	size_t n = snprintf(line, sizeof(line), "k.elf");
	for (unsigned i = 0; i < MB_MAX_FILES - 1; i++) {
		mods[i] = 1000 + 37 * i;
		n += snprintf(line + n, sizeof(line) - n, " --- m%u", i);
	}
	fx_setup(line, 2, mods, 0x08000000, 0x1f000000);
	fx_in.move_image = true;
	fx_in.elfsec_size = 64;
	CHECK_EQ_U(fx_plan_it(), MB_OK);
	mb_plan_table_build(&fx_in, &fx_plan, fx_map, FX_NMAP, &table);
	check_rows();
	/* 2 segments, info + 130 parts (128 command lines, loader name,
	 * memory map), boot, image, ELF, 127 modules. */
	CHECK_EQ_U(table.nrows, 2 + 1 + 130 + 3 + 127);
	CHECK(table.nrows <= MB_PLAN_MAX_ROWS);
	const struct mb_plan_row *r = row("module 127");
	CHECK(r && !strcmp(r->name, "m126") && r->end - r->start == 1000 + 37 * 126);
}

int main(void)
{
	test_mb1();
	test_mb2();
	test_moved_and_outside();
	test_too_large();
	test_many();
	return check_summary("plantable");
}
