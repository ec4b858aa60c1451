/*
 * mb2.h - probing a Multiboot2 kernel: header search and tag parsing
 * (lib/mb2header.c), what a BIOS boot can honour, segments and relocation
 * (lib/mb2image.c).
 *
 * The order of use is
 *
 *     mb2_find_header   find and parse the header into struct mb2_header_info
 *     mb2_check_bios    refuse what a BIOS PXELINUX boot cannot give
 *     mb2_image_probe   segments and entry point (address tag or ELF)
 *     mb2_relocate      only with a relocatable tag: choose the load base
 *
 * after which the image goes to the planner (place.h) like a Multiboot 1
 * one, and the boot information is built by mbi2.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MB2_H
#define MBOOT_MB2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "image.h"
#include "multiboot2.h"
#include "place.h"

/** Everything the header says, parsed and checked for structure. */
struct mb2_header_info {
	uint32_t offset;		/* of the header in the file */
	uint32_t header_length;
	uint32_t architecture;

	/* Header tag types seen (bit t for type t < MB2_HT__COUNT), and
	 * those of them not marked optional.  When a type appears more than
	 * once, the last tag's fields count (information requests add up). */
	uint32_t tags_present;
	uint32_t tags_required;

	/* Type 1: requested boot information types.  Bit t of req_required
	 * (req_optional) is set when type t < 32 was requested by a tag not
	 * marked optional (marked optional).  A required request for a type
	 * of 32 or more can never be met: the first one is kept here. */
	uint32_t req_required, req_optional;
	bool have_req_big;
	uint32_t req_big;

	/* Type 2: the address tag; load_addr may be MB2_LOAD_FROM_START. */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	/* Type 3: the i386 entry address. */
	uint32_t entry_addr;
	/* Type 4: console flags (MB2_CONSOLE_*). */
	uint32_t console_flags;
	/* Type 5: the preferred video mode (0 = no preference). */
	uint32_t fb_width, fb_height, fb_depth;
	/* Types 8, 9: EFI entry addresses (never used on BIOS). */
	uint32_t efi32_entry, efi64_entry;
	/* Type 10: relocation limits and preference (MB2_RELOC_PREF_*). */
	uint32_t reloc_min, reloc_max, reloc_align, reloc_pref;
};

/** True if @h has a tag of type @t (MB2_HT_*). */
static inline bool mb2_has_tag(const struct mb2_header_info *h, unsigned t)
{
	return t < 32 && (h->tags_present >> t) & 1;
}

/** True if @h has a tag of type @t not marked optional. */
static inline bool mb2_tag_required(const struct mb2_header_info *h,
				    unsigned t)
{
	return t < 32 && (h->tags_required >> t) & 1;
}

/**
 * Quick check: true if the first MB2_SEARCH_LIMIT bytes of @buf (@len
 * bytes) hold, 8-byte aligned, the Multiboot2 magic followed by a matching
 * checksum, i.e. the file means to be a Multiboot2 kernel.  Whether that
 * header is usable is for mb2_find_header to say.
 */
bool mb2_has_header(const uint8_t *buf, size_t len);

/**
 * Find and parse the Multiboot2 header of @name in @buf[0..@len): 8-byte
 * aligned, wholly within the first 32768 bytes and the file, magic plus
 * architecture plus header_length plus checksum zero, architecture i386,
 * header_length at least 16, then the tags up to the end tag, each 8-byte
 * aligned, at least 8 bytes and inside header_length; tags of known types
 * must be long enough for their fields.  An unknown tag type not marked
 * optional is refused (the specification says the loader must fail);
 * optional unknown ones are skipped.  Fills @h.  Errors: MB_E_NO_HEADER,
 * MB_E_HEADER_CHECKSUM (magic with a bad checksum, the first one's offset),
 * MB_E_HEADER_TOO_FAR (valid header only past 32 KiB, or straddling it),
 * MB_E_MB2_HEADER (bad length, tag structure, unknown architecture),
 * MB_E_MB2_UNSUPPORTED (MIPS, unknown required tag).
 */
int mb2_find_header(const uint8_t *buf, size_t len, const char *name,
		    struct mb2_header_info *h, struct mb_error *err);

/**
 * Refuse, for a BIOS boot, what @h requires and we cannot honour, with
 * MB_E_MB2_UNSUPPORTED and a message naming @name, the tag and why:
 * non-optional EFI tags (7, 8, 9), a non-optional framebuffer tag (no mode
 * setting yet), a non-optional console tag requiring a console while
 * @can_give lacks type 8 (framebuffer information, which describes it), and
 * information requests not marked optional for types missing from
 * @can_give: a mask of MB2_INFO_BIT(type) for every boot information type
 * the loader will provide (mb2_info_types() in mbi2.h computes it from the
 * build input).  Type 0 (end) always counts as given.  Returns MB_OK or
 * the error code.
 */
int mb2_check_bios(const struct mb2_header_info *h, const char *name,
		   uint32_t can_give, struct mb_error *err);

/** A short English name for boot information type @type ("memory map"),
 * "unknown" for types the specification does not define. */
const char *mb2_info_type_name(uint32_t type);

/**
 * The checks every firmware shares: a required framebuffer, a required
 * console, and required information requests outside @can_give (an
 * MB2_INFO_BIT mask) are refused, naming the tag or type; @boot ("BIOS",
 * "UEFI") completes the message.  Returns MB_OK or MB_E_MB2_UNSUPPORTED.
 */
int mb2_check_requests(const struct mb2_header_info *h, const char *name,
		       uint32_t can_give, const char *boot,
		       struct mb_error *err);

/**
 * Describe the Multiboot2 kernel @name (@buf, @len bytes, already
 * decompressed) whose header @h came from mb2_find_header.  With an
 * address tag: one segment from it, validated like the a.out kludge
 * (load_addr above header_addr, load_end_addr below load_addr, bss_end_addr
 * below the loaded end, data past the end of the file, not below 4 GiB),
 * entry from the entry address tag, which is then required.  Without one:
 * the ELF32/ELF64 program headers (mb_elf_segments), entry from the entry
 * address tag if present, else from the ELF header.  The entry must lie in
 * a segment; segments are sorted and must not overlap.  Sets
 * @img->header_offset; @img->header (the Multiboot 1 header) is zeroed.
 * Returns MB_OK or an error code with @err filled.
 */
int mb2_image_probe(const uint8_t *buf, size_t len, const char *name,
		    const struct mb2_header_info *h, struct mb_image *img,
		    struct mb_error *err);

/**
 * For a kernel with a relocatable tag (check mb2_has_tag(h,
 * MB2_HT_RELOCATABLE) first): choose where its image, the span from its
 * lowest segment to the end of its highest, goes.  The base is a multiple
 * of the tag's align (0 counts as 1), at or above both min_addr and
 * MB_LOW_LIMIT, with the image ending at or below max_addr and 4 GiB, and
 * the whole span inside one stretch of the @nram @ram ranges (any order,
 * may touch or overlap; as for mb_plan).  Preference low takes the lowest
 * such base, high the highest; none (or an undefined value) keeps the
 * linked address when it qualifies, else takes the lowest.  Every segment
 * and the entry point are shifted by the same amount; *@load_base receives
 * the new base (for boot information tag 21).  Errors: MB_E_RELOCATE, the
 * message naming @name, min_addr, max_addr, align and the size; @img is
 * then unchanged.
 */
int mb2_relocate(struct mb_image *img, const struct mb2_header_info *h,
		 const struct mb_range *ram, unsigned nram,
		 uint32_t *load_base, const char *name, struct mb_error *err);

#endif
