/*
 * catmod.c - "-cat": one module from several files (catmod.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catmod.h"
#include "fetch.h"

int catmod_load(const struct mb_file_req *f, unsigned flags, int quiet,
		uint8_t **data, size_t *len, struct mb_error *err)
{
	static char piece[MB_CMDLINE_MAX];
	const char *p = f->name;
	uint8_t *all = NULL;
	size_t total = 0;
	unsigned k = 0;

	for (;; k++) {
		size_t n = strcspn(p, "+");
		const uint8_t *want = k == 0 ?
			((f->opts & MB_FILE_SHA256) ? f->sha256 : NULL) :
			((f->cat_sha_mask >> k & 1) ? f->cat_sha256[k] : NULL);
		uint8_t *part;
		size_t plen;
		int rc;

		if (n >= sizeof(piece))
			n = sizeof(piece) - 1;	/* cannot happen: the line's limit */
		memcpy(piece, p, n);
		piece[n] = '\0';
		rc = fetch_file(piece, flags, want, &part, &plen, err);
		if (rc) {
			free(all);
			return rc;
		}
		/* total + plen stays below 4 GiB: each file is at most
		 * FETCH_HEAP_MAX, and the sum is checked before it grows. */
		if (plen > FETCH_HEAP_MAX - total) {
			free(all);
			free(part);
			return mb_fail(err, MB_E_OUT_OF_MEMORY,
				       "%s: the files joined come to more than %u bytes",
				       f->name, FETCH_HEAP_MAX);
		}
		uint8_t *grown = realloc(all, total + plen ? total + plen : 1);
		if (!grown) {
			free(all);
			free(part);
			return mb_fail(err, MB_E_NO_MEMORY,
				       "%s: cannot allocate %zu bytes to join its files",
				       f->name, total + plen);
		}
		all = grown;
		memcpy(all + total, part, plen);
		total += plen;
		free(part);
		p += n;
		if (!*p)
			break;
		p++;	/* the '+' */
	}
	if (!quiet)
		printf("mboot: %s: %u files joined, %zu bytes\n", f->name, k + 1,
		       total);
	*data = all;
	*len = total;
	return MB_OK;
}
