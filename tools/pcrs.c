/*
 * pcrs.c - the expected PCR 8 and 9 of a measured boot (see pcrs.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/digest.h"
#include "../lib/tcg.h"
#include "diag.h"
#include "pcrs.h"

/** SHA-256 of the file at @path into @out; false when it cannot be read. */
static bool file_sha256(const char *path, uint8_t out[MB_SHA256_SIZE])
{
	static uint8_t buf[1 << 16];
	struct mb_sha256 s;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return false;
	mb_sha256_init(&s);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		mb_sha256_update(&s, buf, n);
	bool ok = !ferror(f);
	fclose(f);
	mb_sha256_final(&s, out);
	return ok;
}

/** One measurement line: the PCR, the digest and the event text. */
static void print_event(unsigned pcr, const uint8_t d[MB_SHA256_SIZE],
			const char *desc)
{
	char hex[2 * MB_SHA256_SIZE + 1];

	printf("mboot-check: measure: PCR %u sha256 %s \"%s\"\n", pcr,
	       mb_hex_encode(d, MB_SHA256_SIZE, hex), desc);
}

bool pcr_predict(const struct mb_request *req,
		 const struct pxe_resolved *where, const bool *readable)
{
	uint8_t pcr8[MB_SHA256_SIZE] = { 0 }, pcr9[MB_SHA256_SIZE] = { 0 };
	uint8_t d[MB_SHA256_SIZE];
	char hex[2 * MB_SHA256_SIZE + 1];

	for (unsigned i = 0; i < req->nfiles; i++) {
		if (!readable[i]) {
			diag(DIAG_ERROR, "%s: not a local file: its PCR 9 measurement cannot be computed",
			     req->files[i].name);
			return false;
		}
	}
	/* In the module's order: each file (PCR 9), then its command line
	 * as the kernel or module receives it (PCR 8). */
	for (unsigned i = 0; i < req->nfiles; i++) {
		const struct mb_file_req *f = &req->files[i];
		size_t n = mb_file_cmdline_len(f);
		char *line = malloc(n + 1);
		char *desc = malloc(n + MB_TCG_DESC_PREFIX + 1);

		if (!line || !desc) {
			free(line);
			free(desc);
			diag(DIAG_ERROR, "out of memory");
			return false;
		}
		if (!file_sha256(where[i].path, d)) {
			diag(DIAG_ERROR, "%s: cannot read %s", f->name,
			     where[i].path);
			free(line);
			free(desc);
			return false;
		}
		print_event(MB_TCG_PCR_BINARY, d, f->name);
		mb_tcg_extend(pcr9, d);
		mb_file_cmdline(f, line);
		mb_tcg_cmdline_desc(i, line, desc, n + MB_TCG_DESC_PREFIX + 1);
		mb_sha256(line, n, d);
		print_event(MB_TCG_PCR_STRING, d, desc);
		mb_tcg_extend(pcr8, d);
		free(line);
		free(desc);
	}
	printf("mboot-check: expected PCR 8 sha256 %s\n",
	       mb_hex_encode(pcr8, MB_SHA256_SIZE, hex));
	printf("mboot-check: expected PCR 9 sha256 %s\n",
	       mb_hex_encode(pcr9, MB_SHA256_SIZE, hex));
	return true;
}
