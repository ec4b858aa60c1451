/*
 * autogunzip.c - a ".gz" module holding an ELF file is decompressed
 * (autogunzip.h, lib/gzelf.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include "../lib/gzelf.h"
#include "autogunzip.h"
#include "fetch.h"

/* Bytes read to decide: the gzip header and the first deflate block,
 * whose output starts with the ELF identification when there is one. */
#define PEEK_LEN (64u * 1024)

int autogunzip_apply(struct mb_file_req *f, unsigned flags, int quiet,
		     struct mb_error *err)
{
	struct fetch fh;
	uint8_t *buf;
	size_t got = 0;
	int rc;

	if ((f->opts & (MB_FILE_GUNZIP | MB_FILE_NOGUNZIP | MB_FILE_CAT)) ||
	    !mb_gz_name(f->name))
		return MB_OK;
	buf = malloc(PEEK_LEN);
	if (!buf)
		return mb_fail(err, MB_E_NO_MEMORY,
			       "%s: cannot allocate %u bytes to look into it",
			       f->name, PEEK_LEN);
	/* Quiet: this first look is not the transfer the summary is of. */
	rc = fetch_open(&fh, f->name, flags | FETCH_QUIET, err);
	if (!rc) {
		rc = fetch_read(&fh, buf, PEEK_LEN, &got, err);
		fetch_close(&fh);
	}
	if (!rc && mb_gz_holds_elf(buf, got)) {
		f->opts |= MB_FILE_GUNZIP;
		if (!quiet)
			printf("mboot: %s: a gzip-compressed ELF image: decompressed as the stock module does (-nogunzip keeps it)\n",
			       f->name);
	}
	free(buf);
	return rc;
}
