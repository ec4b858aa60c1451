/*
 * catread.c - a "-cat" module on the host (see catread.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/digest.h"
#include "../lib/sha256.h"
#include "catread.h"
#include "diag.h"

/** File @piece whole, appended to *@all (*@total bytes so far). */
static bool append(const char *piece, const struct pxe_names *names,
		   uint8_t **all, size_t *total, uint8_t got[MB_SHA256_SIZE],
		   size_t *plen)
{
	struct pxe_resolved r;
	FILE *f;
	long n;

	pxe_resolve(names, piece, &r);
	if (r.where != PXE_LOCAL) {
		diag(DIAG_WARNING, "%s: %s", piece, r.why);
		return false;
	}
	if (!(f = fopen(r.path, "rb"))) {
		diag(DIAG_ERROR, "%s: file not found (%s as %s)", piece, r.full,
		     r.path);
		return false;
	}
	uint8_t *grown = NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET) &&
	    (grown = realloc(*all, *total + (size_t)n + 1))) {
		*all = grown;
		*plen = fread(grown + *total, 1, (size_t)n, f);
	}
	fclose(f);
	if (!grown) {
		diag(DIAG_ERROR, "%s: cannot read %s", piece, r.path);
		return false;
	}
	mb_sha256(*all + *total, *plen, got);
	*total += *plen;
	return true;
}

bool catread_join(const struct mb_file_req *f, const struct pxe_names *names,
		  uint8_t **data, size_t *len)
{
	char piece[MB_CMDLINE_MAX];
	uint8_t got[MB_SHA256_SIZE];
	struct mb_error err;
	const char *p = f->name;
	size_t total = 0, plen = 0;
	uint8_t *all = NULL;
	bool ok = true;

	for (unsigned k = 0; ok; k++) {
		size_t n = strcspn(p, "+");
		const uint8_t *want = k == 0 ?
			((f->opts & MB_FILE_SHA256) ? f->sha256 : NULL) :
			(k < MB_CAT_MAX && (f->cat_sha_mask >> k & 1)) ?
				f->cat_sha256[k] : NULL;
		snprintf(piece, sizeof(piece), "%.*s", (int)n, p);
		ok = append(piece, names, &all, &total, got, &plen);
		if (ok && want &&
		    mb_sha256_verdict(piece, want, got, plen, &err)) {
			diag(DIAG_ERROR, "%s", err.msg);
			ok = false;
		} else if (ok && want) {
			diag(DIAG_NOTE, "%s: SHA-256 matches", piece);
		}
		p += n;
		if (*p != '+')
			break;
		p++;
	}
	if (!ok) {
		free(all);
		return false;
	}
	*data = all;
	*len = total;
	return true;
}
