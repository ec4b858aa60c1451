/*
 * cpio.c - the newc cpio walk (see cpio.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "cpio.h"

#define HDR_LEN 110	/* "070701" and 13 fields of 8 hex digits */

/** The 8 hex digits at @p as a number; false if one is not hex. */
static bool hex8(const uint8_t *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

/** True when the name @name (@n bytes, NUL included) starts with @path. */
static bool starts(const uint8_t *name, size_t n, const char *path)
{
	size_t pl = strlen(path);

	return n >= pl && !memcmp(name, path, pl);
}

void cpio_walk(const uint8_t *data, size_t len, struct cpio_summary *out)
{
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	out->cpio = len >= 6 && (!memcmp(data, "070701", 6) ||
				 !memcmp(data, "070702", 6));
	if (!out->cpio)
		return;
	while (off < len) {
		if (len - off < HDR_LEN) {
			/* Only zero padding may trail the last archive. */
			while (off < len && !data[off])
				off++;
			break;
		}
		if (!data[off]) {	/* padding between archives */
			off += 4;
			continue;
		}
		const uint8_t *h = data + off;
		uint32_t mode, fsize, nsize;
		if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
			break;
		if (!hex8(h + 14, &mode) || !hex8(h + 54, &fsize) ||
		    !hex8(h + 94, &nsize))
			break;
		/* Name after the header, data after the name, each padded
		 * to a multiple of 4 from the archive's start (as newc
		 * writers align them). */
		size_t name_off = off + HDR_LEN;
		size_t data_off = (name_off + nsize + 3) & ~(size_t)3;
		size_t next = (data_off + (size_t)fsize + 3) & ~(size_t)3;
		if (nsize == 0 || data_off > len || data_off + fsize > len ||
		    next < data_off)
			break;
		const uint8_t *name = data + name_off;
		if (nsize == 11 && !memcmp(name, "TRAILER!!!", 11)) {
			off = next > len ? len : next;
			continue;
		}
		if ((mode & 0170000) == 0100000) {
			out->files++;
			if (starts(name, nsize, CPIO_UCODE_DIR)) {
				out->ucode_files++;
				out->intel |= starts(name, nsize,
					CPIO_UCODE_DIR "GenuineIntel.bin");
				out->amd |= starts(name, nsize,
					CPIO_UCODE_DIR "AuthenticAMD.bin");
			}
		}
		off = next > len ? len : next;
	}
	out->whole = off >= len;
}
