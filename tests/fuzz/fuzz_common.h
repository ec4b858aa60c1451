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
#include "place.h"

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

#endif
