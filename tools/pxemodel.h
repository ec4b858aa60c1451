/*
 * pxemodel.h - the machine the checker simulates: a firmware memory map
 * (from a RAM size, modelled on QEMU + SeaBIOS + its iPXE ROM, or read
 * from a file), PXELINUX's view of free memory, and the one heap block
 * mboot.c32 plans in under Debian's pxelinux.0 (see pxemodel.c for the
 * measurements behind the model).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_PXEMODEL_H
#define MBOOT_CHECK_PXEMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/mbi1.h"
#include "../lib/place.h"

#define PXE_MAX_MAP 128

/**
 * The E820 map QEMU's pc machine with SeaBIOS and its iPXE ROM reports
 * for @ram_bytes of RAM (as measured), into @map (room for PXE_MAX_MAP).
 * Returns the number of entries.
 */
unsigned pxe_model_qemu_map(uint64_t ram_bytes, struct mb_e820 *map);

/**
 * Read a memory map file @path into @map: one entry per line, any of
 *   BASE LEN TYPE                       (numbers; "0x" hex or decimal)
 *   INFO mmap BASE LEN TYPE             (the test kernel's lines)
 *   BIOS-e820: [mem START-LAST] usable  (Linux's boot log, LAST inclusive)
 *   START - END (usable)                (Xen's boot log, END exclusive)
 * TYPE is a number or usable/RAM, reserved, ACPI (data), NVS, unusable.
 * Blank lines and lines starting with '#' are skipped.  Returns the
 * number of entries, or -1 with @msg (@cap bytes) saying which line is
 * wrong and why.
 */
int pxe_model_read_map(const char *path, struct mb_e820 *map, char *msg,
		       size_t cap);

/**
 * PXELINUX's free memory as syslinux_memory_map() reports it, which
 * mboot.c32 checks kernel segments against: [0x510, base memory end) and
 * every usable entry clipped to [1 MiB, 4 GiB), reserved entries taking
 * precedence where they overlap.  Returns the number of ranges in @r.
 */
unsigned pxe_model_free_ranges(const struct mb_e820 *map, unsigned nmap,
			       struct mb_range *r, unsigned max);

/* mboot.c32's image in the heap when its file is not at hand: the
 * measured build's (one PT_LOAD of memsz 0x30068, 4 KiB aligned). */
#define PXE_DEFAULT_MODULE_IMAGE 0x31000u

/**
 * The bytes the COM32 module loader allocates for the module file @elf
 * (@len bytes): its PT_LOAD span rounded out to the largest alignment.
 * 0 when @elf is not an i386 ELF32 file.
 */
uint32_t pxe_model_module_image(const uint8_t *elf, size_t len);

/* The heap in use before mboot.c32's image, command line and heap copies
 * (PXELINUX, ldlinux, the config, and what mboot.c32 itself allocates
 * before it grabs its block): measured, see pxemodel.c.  Fitted for the
 * module of commit 3a51383 (tests/checker/measure_space.py: measured -
 * model = 0 for tk-elf32.elf at -m 48 and 512, tk-elf32.gz and the
 * -gunzip module; -16 for three modules), then at 2ee944f: +28176 for
 * tk-elf32.elf (its TFTP file state keeps four 8192-byte blocks since
 * c1a7bbe: +27280; the rest +896, the same with -pxelinux), then at
 * 5e9e916: -928 for every row, -pxelinux too (why it moved by 928 bytes
 * between the two fits is not known: the commits between them changed
 * no allocation on purpose).  Earlier
 * modules: 0x49a4c9 (that build), 0x4936b9 (3a51383), 0x493469
 * (7a8dcc0), 0x393439 (5bc43a6, before the TFTP read-ahead buffer).
 * Refit when mboot.c32 changes what it allocates before it takes its
 * block. */
#define PXE_HEAP_USED_BASE 0x49a129u
/* The free gap below the kernel's heap copy that mboot.c32's later heap
 * copies (-gunzip modules) fill first: the 64 KiB stream piece and, since
 * its own TFTP client (commit 5723db8), the transport's 1 MiB read-ahead
 * buffer, both freed once the kernel is in. */
#define PXE_HEAP_HOLE (0x10010u + 0x100010u)
/* What mboot's own TFTP client holds while the kernel arrives (its 1 MiB
 * read-ahead buffer and session), part of PXE_HEAP_USED_BASE: measured
 * with -pxelinux at 7a8dcc0, 1054592 and 1054544 bytes less; at 3a51383
 * the session takes 592 bytes more; at 2ee944f 27280 more (its kept
 * blocks are up to 8192 bytes: big blocks over iPXE). */
#define PXE_OWN_TFTP_HEAP 1082432u

/** What sits in PXELINUX's heap before mboot.c32 grabs its block. */
struct pxe_heap_input {
	uint32_t used_base;	/* 0: PXE_HEAP_USED_BASE (another module
				 * version's measured value otherwise) */
	uint32_t hole;		/* 0: PXE_HEAP_HOLE (likewise) */
	bool no_own_tftp;	/* the kernel comes through iPXE or PXELINUX
				 * (-pxelinux, http://), not mboot's TFTP */
	uint32_t module_image;	/* pxe_model_module_image() of mboot.c32 */
	const char *command;	/* the command ldlinux ran ("mboot.c32 ...") */
	uint32_t label_bytes;	/* KERNEL + APPEND text of the config's labels */
	uint32_t kernel_len;	/* the kernel, decompressed */
	bool kernel_gzip;	/* it arrived compressed (streamed inflate) */
	uint32_t kernel_whole;	/* its compressed size when it inflates to
				 * more than the stream buffer (8x + 1 MiB),
				 * so the module read it whole; else 0 */
	uint32_t held_bytes;	/* -gunzip modules: compressed, in the heap */
	unsigned nheld;		/* how many */
};

/** The modelled result. */
struct pxe_heap_model {
	uint64_t heap_top;	/* end of the heap block above 1 MiB */
	uint64_t block_start;	/* start of the largest free block */
	uint32_t largest;	/* largest malloc() mboot.c32 finds */
	struct mb_range space;	/* the arena: where allocations go */
	uint32_t kernel_addr;	/* where the kernel's heap copy lies */
};

/**
 * Model the arena mboot.c32 gets for @in on @map: PXELINUX's heap is the
 * usable entry holding 1 MiB (capped at 4 GiB - 1 MiB), its start used by
 * PXELINUX, its modules and mboot's heap copies; mboot takes the largest
 * block its binary search finds, less 2 MiB.  Returns false (and leaves
 * @out->space empty) when there is no such block or it is under 2 MiB.
 */
bool pxe_model_arena(const struct mb_e820 *map, unsigned nmap,
		     const struct pxe_heap_input *in,
		     struct pxe_heap_model *out);

#endif
