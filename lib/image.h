/*
 * image.h - the image description: what a kernel file asks to be loaded.
 *
 * Probing a kernel file finds its Multiboot header and turns the ELF32,
 * ELF64 or a.out-kludge layout into a list of segments (where each goes in
 * physical memory, which file bytes fill it, how much is zeroed after) and
 * a physical entry point.  It only reads the file; nothing is placed yet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_IMAGE_H
#define MBOOT_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "multiboot1.h"

#define MB_MAX_SEGMENTS 32

/** One piece of the kernel in physical memory. */
struct mb_segment {
	uint32_t addr;		/* physical load address */
	uint32_t file_off;	/* where its bytes start in the file */
	uint32_t filesz;	/* bytes copied from the file */
	uint32_t memsz;		/* filesz plus zeroed bytes (BSS) */
};

enum mb_image_format { MB_FMT_ELF32 = 1, MB_FMT_ELF64, MB_FMT_AOUT };

/** Everything the later stages need to know about the kernel. */
struct mb_image {
	uint32_t header_offset;		/* of the Multiboot 1 header */
	struct mb1_header header;	/* copied out; unused fields zero */
	enum mb_image_format format;
	unsigned nsegs;
	struct mb_segment segs[MB_MAX_SEGMENTS];	/* sorted by addr */
	uint32_t entry;			/* physical entry point */
};

/**
 * Find the Multiboot 1 header of @name in @buf[0..@len): 4-byte aligned,
 * entirely within the first 8192 bytes, magic plus flags plus checksum zero.
 * Fills @img->header and @img->header_offset.  Errors: no header, a magic
 * whose checksum is wrong (with its offset), a valid header found only past
 * 8 KiB, a header cut off by the end of the file.
 */
int mb1_find_header(const uint8_t *buf, size_t len, const char *name,
		    struct mb_image *img, struct mb_error *err);

/**
 * Describe the kernel @name (@buf, @len bytes, already decompressed):
 * header search, required-flag check, then segments from the a.out kludge
 * fields (when header flag 16 is set and @opts lacks MB_OPT_NOAOUT, or when
 * the file is not ELF) or from the ELF32/ELF64 program headers.  Validates
 * that every segment lies inside the file and below 4 GiB, that segments do
 * not overlap and that the entry point is inside one.  Returns MB_OK or an
 * error code with @err naming @name and the numbers.
 */
int mb_image_probe(const uint8_t *buf, size_t len, const char *name,
		   unsigned opts, struct mb_image *img, struct mb_error *err);

/**
 * Sort @img's segments by address and check that no two overlap (the last
 * step of mb_image_probe, shared with mb2_image_probe).  Returns MB_OK or
 * MB_E_SEGMENT_OVERLAP with @err naming @name and both ranges.
 */
int mb_segments_check(struct mb_image *img, const char *name,
		      struct mb_error *err);

/* Format-specific parts, used by mb_image_probe (lib/elf.c, lib/aout.c). */
int mb_elf_segments(const uint8_t *buf, size_t len, const char *name,
		    struct mb_image *img, struct mb_error *err);
int mb_aout_segments(const uint8_t *buf, size_t len, const char *name,
		     struct mb_image *img, struct mb_error *err);
/** True if @buf starts with an ELF identification. */
int mb_is_elf(const uint8_t *buf, size_t len);

#endif
