/*
 * mbheader.c - finding the Multiboot 1 header (spec section 3.1.1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "image.h"
#include "util.h"

/* The header must lie entirely within the first 8192 bytes; we look a
 * little further only to tell the user that it was found too far. */
#define MB1_LOOK_FURTHER (64u * 1024u)

/** True if the 12 bytes at @p are a magic with a matching checksum. */
static int header_valid(const uint8_t *p)
{
	return mb_le32(p) == MB1_HEADER_MAGIC &&
	       (uint32_t)(mb_le32(p) + mb_le32(p + 4) + mb_le32(p + 8)) == 0;
}

/** Bytes of header the flags say are meaningful. */
static uint32_t header_size(uint32_t flags)
{
	if (flags & MB1_HF_VIDEO_MODE)
		return 48;
	if (flags & MB1_HF_AOUT_KLUDGE)
		return 32;
	return 12;
}

int mb1_find_header(const uint8_t *buf, size_t len, const char *name,
		    struct mb_image *img, struct mb_error *err)
{
	size_t limit = len < MB1_SEARCH_LIMIT ? len : MB1_SEARCH_LIMIT;
	long bad_checksum_at = -1;

	for (size_t off = 0; off + 12 <= limit; off += MB1_HEADER_ALIGN) {
		if (mb_le32(buf + off) != MB1_HEADER_MAGIC)
			continue;
		if (!header_valid(buf + off)) {
			if (bad_checksum_at < 0)
				bad_checksum_at = (long)off;
			continue;
		}
		uint32_t flags = mb_le32(buf + off + 4);
		uint32_t need = header_size(flags);
		if (off + need > len)
			return mb_fail(err, MB_E_NO_HEADER,
				       "%s: Multiboot header at offset %zu is cut off by the end of the file (%zu bytes)",
				       name, off, len);
		if (off + need > MB1_SEARCH_LIMIT)
			return mb_fail(err, MB_E_HEADER_TOO_FAR,
				       "%s: Multiboot header at offset %zu ends past the first %u bytes",
				       name, off, MB1_SEARCH_LIMIT);
		mb_memset(&img->header, 0, sizeof(img->header));
		mb_memcpy(&img->header, buf + off, need);
		img->header_offset = (uint32_t)off;
		return MB_OK;
	}

	if (bad_checksum_at >= 0) {
		size_t off = (size_t)bad_checksum_at;
		return mb_fail(err, MB_E_HEADER_CHECKSUM,
			       "%s: Multiboot header at offset %zu has a bad checksum (magic 0x%08x + flags 0x%08x + checksum 0x%08x != 0)",
			       name, off, mb_le32(buf + off), mb_le32(buf + off + 4),
			       mb_le32(buf + off + 8));
	}
	/* Resume after the last offset searched above (8180): a header at
	 * 8184 or 8188 straddles the limit and is too far as well. */
	for (size_t off = MB1_SEARCH_LIMIT - 12 + MB1_HEADER_ALIGN;
	     off + 12 <= len && off < MB1_LOOK_FURTHER; off += MB1_HEADER_ALIGN)
		if (header_valid(buf + off))
			return mb_fail(err, MB_E_HEADER_TOO_FAR,
				       "%s: Multiboot header found at offset %zu, but it must lie within the first %u bytes",
				       name, off, MB1_SEARCH_LIMIT);
	return mb_fail(err, MB_E_NO_HEADER,
		       "%s: no Multiboot header in the first %u bytes (not a Multiboot kernel)",
		       name, MB1_SEARCH_LIMIT);
}
