/*
 * fuzz_common.h - checks shared by the fuzz targets.  Define FUZZ_NAME
 * (the target's name, for messages) before including it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_FUZZ_COMMON_H
#define MBOOT_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "image.h"
#include "place.h"

#ifndef FOUR_GIB
#define FOUR_GIB 0x100000000ull
#endif

/** Report @what (and @err's message) and stop: libFuzzer keeps the input. */
static void __attribute__((noreturn, unused))
fail(const char *what, const struct mb_error *err)
{
	fprintf(stderr, FUZZ_NAME ": %s (%s)\n", what, err ? err->msg : "");
	abort();
}

/** A failing call must have recorded its own code and a message. */
static void __attribute__((unused))
check_error(int rc, const struct mb_error *err)
{
	if (err->code != (enum mb_code)rc || !err->msg[0] ||
	    !memchr(err->msg, '\0', sizeof(err->msg)) ||
	    rc <= MB_OK || rc >= MB_E__COUNT)
		fail("error not recorded", err);
}

/** True if the @n ranges together cover [s, e). */
static int __attribute__((unused))
covered(const struct mb_range *r, unsigned n, uint64_t s, uint64_t e)
{
	uint64_t pos = s;

	while (pos < e) {
		uint64_t best = pos;
		for (unsigned i = 0; i < n; i++)
			if (r[i].start <= pos && r[i].end > pos &&
			    r[i].end > best)
				best = r[i].end;
		if (best == pos)
			return 0;
		pos = best;
	}
	return 1;
}

/**
 * What every image description must satisfy, whatever the file: 1 to
 * MB_MAX_SEGMENTS non-empty segments, sorted and disjoint, inside the file
 * and below 4 GiB, with the entry inside one of them.  Every file byte of
 * every segment is read (a "load"), so ASan sees any bad offset.
 */
static void __attribute__((unused))
check_segments(const struct mb_image *img, const uint8_t *buf, size_t len)
{
	static volatile uint8_t sink;
	int entry_in = 0;
	uint8_t sum = 0;

	if (img->nsegs == 0 || img->nsegs > MB_MAX_SEGMENTS)
		fail("segment count", NULL);
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct mb_segment *s = &img->segs[i];
		if (s->memsz == 0 || s->filesz > s->memsz)
			fail("segment sizes", NULL);
		if ((uint64_t)s->file_off + s->filesz > len)
			fail("segment past the end of the file", NULL);
		if ((uint64_t)s->addr + s->memsz > FOUR_GIB)
			fail("segment above 4 GiB", NULL);
		if (i && (uint64_t)img->segs[i - 1].addr +
				 img->segs[i - 1].memsz > s->addr)
			fail("segments unsorted or overlapping", NULL);
		if (img->entry >= s->addr && img->entry - s->addr < s->memsz)
			entry_in = 1;
		for (uint32_t k = 0; k < s->filesz; k++)
			sum = (uint8_t)(sum + buf[s->file_off + k]);
	}
	if (!entry_in)
		fail("entry outside the segments", NULL);
	sink = sum;
}

#endif
