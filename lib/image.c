/*
 * image.c - probing a kernel file into an image description (see image.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cmdline.h"
#include "image.h"

/** Names of the required header flag bits we know, for messages. */
static const char *flag_name(unsigned bit)
{
	switch (bit) {
	case 2:
		return "video mode information; ";
	default:
		return "";
	}
}

/** Sort @img's segments by address (insertion sort: there are few). */
static void sort_segments(struct mb_image *img)
{
	for (unsigned i = 1; i < img->nsegs; i++) {
		struct mb_segment s = img->segs[i];
		unsigned j = i;
		for (; j && img->segs[j - 1].addr > s.addr; j--)
			img->segs[j] = img->segs[j - 1];
		img->segs[j] = s;
	}
}

int mb_image_probe(const uint8_t *buf, size_t len, const char *name,
		   unsigned opts, struct mb_image *img, struct mb_error *err)
{
	int rc;

	if (len == 0)
		return mb_fail(err, MB_E_EMPTY_FILE, "%s: file is empty", name);
	rc = mb1_find_header(buf, len, name, img, err);
	if (rc)
		return rc;

	/* Bits 0-15 are requirements: refuse what we cannot honour. */
	uint32_t unsupported = img->header.flags & MB1_HF_REQUIRED_MASK &
			       ~(MB1_HF_PAGE_ALIGN | MB1_HF_MEMORY_INFO);
	if (unsupported) {
		unsigned bit = 0;
		while (!(unsupported & (1u << bit)))
			bit++;
		return mb_fail(err, MB_E_UNSUPPORTED_FLAG,
			       "%s: Multiboot header requires flag bit %u (%sflags 0x%08x), which mboot does not support",
			       name, bit, flag_name(bit), img->header.flags);
	}

	int use_aout = (img->header.flags & MB1_HF_AOUT_KLUDGE) &&
		       (!(opts & MB_OPT_NOAOUT) || !mb_is_elf(buf, len));
	rc = use_aout ? mb_aout_segments(buf, len, name, img, err) :
			mb_elf_segments(buf, len, name, img, err);
	if (rc)
		return rc;

	return mb_segments_check(img, name, err);
}

int mb_segments_check(struct mb_image *img, const char *name,
		      struct mb_error *err)
{
	sort_segments(img);
	for (unsigned i = 1; i < img->nsegs; i++) {
		const struct mb_segment *a = &img->segs[i - 1], *b = &img->segs[i];
		if ((uint64_t)a->addr + a->memsz > b->addr)
			return mb_fail(err, MB_E_SEGMENT_OVERLAP,
				       "%s: segments overlap: 0x%08x-0x%08llx and 0x%08x-0x%08llx",
				       name, a->addr,
				       (unsigned long long)a->addr + a->memsz,
				       b->addr,
				       (unsigned long long)b->addr + b->memsz);
	}
	return MB_OK;
}
