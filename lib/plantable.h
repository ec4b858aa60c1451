/*
 * plantable.h - the placement table: where every piece of a boot goes and
 * which memory map entry holds it; printed by the module (-v, and in a dry
 * run) and by the host-side checker from the same plan (loadplan.h).
 *
 * One row per kernel segment, the information structure (with sub-rows
 * for the parts inside it: Multiboot 1 fixed fields, memory map, module
 * list, every command line, the loader name, the APM table; Multiboot 2
 * the command line, loader name, module command lines and memory map
 * inside their tags), the boot area (trampoline), the kernel image copy,
 * the ELF sections, and each module.  Zero-sized slots (not needed) have
 * no row; an empty module does (start == end).  Top-level rows are sorted
 * by start address; sub-rows follow their information row.
 *
 * Printed form (one line per call of the caller's @emit, no newline; the
 * module prefixes "mboot: ", columns separated by spaces, end exclusive):
 *
 *   placement (Multiboot 1): start end bytes | memory map entry | what
 *     0x00100000 0x00120000     131072 | e820[3] 0x00100000-0x1ffe0000 RAM | kernel segment 0
 *     0x08000000 0x0800016a        362 | e820[3] 0x00100000-0x1ffe0000 RAM | info
 *     0x08000000 0x08000058         88 | e820[3] 0x00100000-0x1ffe0000 RAM |   info fixed fields
 *     0x08000058 0x08000100        168 | e820[3] 0x00100000-0x1ffe0000 RAM |   info memory map
 *     0x08000100 0x08000120         32 | e820[3] 0x00100000-0x1ffe0000 RAM |   info module list
 *     0x08000120 0x08000131         17 | e820[3] 0x00100000-0x1ffe0000 RAM |   info cmdline kernel
 *     0x08000131 0x08000148         23 | e820[3] 0x00100000-0x1ffe0000 RAM |   info cmdline module 1
 *     0x08000148 0x08000160         24 | e820[3] 0x00100000-0x1ffe0000 RAM |   info loader name
 *     0x08001000 0x080012c0        704 | e820[3] 0x00100000-0x1ffe0000 RAM | boot area
 *     0x08002000 0x0801a6a0     100000 | e820[3] 0x00100000-0x1ffe0000 RAM | module 1 mod-a.bin
 *
 * The "what" column is stable for parsers: "kernel segment N", "info",
 * "  info <part>", "info staging", "boot area", "kernel image copy",
 * "ELF sections", "module N NAME" (N = 1-based file index, NAME as on
 * the line).  "info" is where the kernel finds the information (the
 * plan's info_addr); "info staging" appears only when that differs from
 * the planned slot, where it is built first.  A row
 * that no single memory map entry holds shows "none" in the map column
 * instead of "e820[K] START-END TYPE".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PLANTABLE_H
#define MBOOT_PLANTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "loadplan.h"
#include "mbi1.h"

enum mb_row_kind {
	MB_ROW_SEGMENT,		/* index: segment number (0-based) */
	MB_ROW_INFO,		/* the information structure */
	MB_ROW_INFO_PART,	/* a part of it (sub-row) */
	MB_ROW_BOOT,		/* boot area / trampoline */
	MB_ROW_IMAGE,		/* kernel image copy */
	MB_ROW_ELFSEC,		/* Multiboot 2 ELF sections */
	MB_ROW_MODULE,		/* index: 1-based file index */
	MB_ROW_INFO_STAGING,	/* where the information is built, when the
				 * boot step moves it (plan info_addr) */
};

/** One row: a half-open range and the memory map entry holding it. */
struct mb_plan_row {
	enum mb_row_kind kind;
	unsigned index;		/* see enum mb_row_kind; else 0 */
	char what[40];		/* "kernel segment 0", "  info cmdline
				 * module 3", "module 2" (no file name) */
	const char *name;	/* module rows: the file name, else NULL */
	uint64_t start, end;	/* [start, end) */
	int map;		/* index of the map entry holding the whole
				 * range, -1 if none does */
	uint64_t map_start, map_end;	/* that entry's range */
	uint32_t map_type;		/* and its type (1 = RAM) */
};

#define MB_PLAN_MAX_ROWS (MB_MAX_SEGMENTS + 2 * MB_MAX_FILES + 16)

/** The whole table. */
struct mb_plan_table {
	int proto;		/* 1 or 2 */
	unsigned nrows;
	struct mb_plan_row rows[MB_PLAN_MAX_ROWS];
};

/**
 * Fill @t from the input @in and the plan @plan made from it (both as
 * mb_load_plan() took and returned them), locating each row in the memory
 * map @map (@nmap entries, the one given to the kernel): the first entry,
 * in map order, that holds the whole row; RAM entries are preferred.
 */
void mb_plan_table_build(const struct mb_load_input *in,
			 const struct mb_load_plan *plan,
			 const struct mb_e820 *map, unsigned nmap,
			 struct mb_plan_table *t);

/** A line sink: called once per line, @line without a newline. */
typedef void (*mb_line_fn)(void *ctx, const char *line);

/** Emit @t as text: a heading line, then one line per row (see above). */
void mb_plan_table_print(const struct mb_plan_table *t, mb_line_fn emit,
			 void *ctx);

/**
 * The same text into @buf (capacity @cap, NUL-terminated when @cap > 0),
 * each line ending in '\n'.  Returns the length the whole text needs
 * (excluding the NUL), which may exceed what fit.
 */
size_t mb_plan_table_format(const struct mb_plan_table *t, char *buf,
			    size_t cap);

/**
 * The verdict, without prefix, into @buf: "KERNEL would boot (Multiboot
 * P), F files, N bytes" (F = kernel plus modules, N = mb_load_total_bytes).
 * Returns its length.
 */
size_t mb_plan_verdict(const struct mb_load_input *in, char *buf, size_t cap);

/** A short name for memory map type @type: "RAM", "reserved", "ACPI",
 * "NVS", "unusable", "disabled", "persistent", else "type N" (in a static
 * buffer). */
const char *mb_e820_type_name(uint32_t type);

#endif
