/*
 * measure.c - measured boot over the firmware's TPM (see measure.h).
 *
 * No extra pass: the SHA-256 of each file comes from the fetch layer,
 * which hashes the bytes as they arrive (the pass -sha256 makes anyway).
 * On BIOS that digest is all the TPM gets (tpm_bios.c); on UEFI the
 * firmware's HashLogExtendEvent takes only the data and hashes it itself,
 * so there the bytes as fetched are kept until they are measured
 * (measure_hold) and the firmware makes a second pass over them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/digest.h"
#include "../lib/tcg.h"
#include "measure.h"
#include "tpm.h"

static uint8_t digest[MB_MAX_FILES][MB_SHA256_SIZE];
static bool asked[MB_MAX_FILES];	/* the slot went to the fetch layer */
static struct { uint8_t *data; size_t len; bool owned; } raw[MB_MAX_FILES];
static int have_tpm;		/* 1: a TPM 2.0 to extend into */
static int active;		/* digests wanted: a TPM, or a dry run */
static char tpm_what[96];	/* the interface, or why there is none */

int measure_begin(const struct mb_request *req, struct mb_error *err)
{
	have_tpm = tpm_fw_probe(tpm_what, sizeof(tpm_what));
	active = have_tpm || (req->opts & MB_OPT_DRY_RUN);
	if (!have_tpm && (req->opts & MB_OPT_TPM_REQUIRED))
		return mb_fail(err, MB_E_FIRMWARE,
			       "-tpm-required: no TPM 2.0 to measure into (%s)",
			       tpm_what);
	return MB_OK;
}

uint8_t *measure_digest_slot(unsigned i)
{
	if (!active || i >= MB_MAX_FILES)
		return NULL;
	asked[i] = true;
	return digest[i];
}

bool measure_wants_raw(void)
{
	return have_tpm && tpm_fw_needs_data();
}

bool measure_hold(unsigned i, uint8_t *data, size_t len, bool owned)
{
	if (!measure_wants_raw() || i >= MB_MAX_FILES)
		return false;
	if (raw[i].owned && raw[i].data != data)
		free(raw[i].data);
	raw[i].data = data;
	raw[i].len = len;
	raw[i].owned = owned;
	return true;
}

void measure_end(void)
{
	for (unsigned i = 0; i < MB_MAX_FILES; i++) {
		if (raw[i].owned)
			free(raw[i].data);
		raw[i].data = NULL;
		raw[i].owned = false;
		asked[i] = false;
	}
}

/** Print @ev as one line, after @lead ("measured", "dry run: would
 *  measure"). */
static void print_event(const char *lead, const struct mb_tcg_event *ev)
{
	char hex[2 * MB_SHA256_SIZE + 1];

	printf("mboot: %s: PCR %u sha256 %s \"%s\"\n", lead, (unsigned)ev->pcr,
	       mb_hex_encode(ev->digest, MB_SHA256_SIZE, hex), ev->desc);
}

int measure_all(const struct mb_request *req, struct mb_error *err)
{
	bool dry = req->opts & MB_OPT_DRY_RUN;
	bool verbose = req->opts & MB_OPT_VERBOSE;
	bool quiet = req->opts & MB_OPT_QUIET;	/* no line but errors */
	unsigned done = 0, total = 2 * req->nfiles;

	if (!have_tpm && !dry) {
		if (!quiet)
			printf("mboot: nothing was measured: no TPM 2.0 (%s)\n",
			       tpm_what);
		return MB_OK;
	}
	if (dry)
		printf("mboot: dry run: %s: %u measurements would be made\n",
		       have_tpm ? tpm_what : "no TPM 2.0, none made", total);
	/* Nothing is extended unless every file can be: a digest from the
	 * fetch layer for each (a file read another way has none), and on
	 * UEFI its bytes. */
	for (unsigned i = 0; i < req->nfiles; i++) {
		int rc = MB_OK;
		if (!asked[i])
			rc = mb_fail(err, MB_E_FIRMWARE,
				     "%s: read without a digest, cannot be measured",
				     req->files[i].name);
		else if (!dry && !raw[i].data && tpm_fw_needs_data())
			rc = mb_fail(err, MB_E_FIRMWARE,
				     "%s: its bytes as fetched were not kept, cannot be measured",
				     req->files[i].name);
		if (rc && (req->opts & MB_OPT_TPM_REQUIRED))
			return rc;
		if (rc) {
			if (!quiet)
				printf("mboot: TPM: %s: nothing was measured\n",
				       err->msg);
			return MB_OK;
		}
	}
	for (unsigned i = 0; i < req->nfiles; i++) {
		const struct mb_file_req *f = &req->files[i];
		/* The file as fetched (PCR 9), then its command line as the
		 * kernel receives it (PCR 8), as GRUB orders them. */
		struct mb_tcg_event ev = {
			.pcr = MB_TCG_PCR_BINARY, .type = MB_TCG_EV_IPL,
			.desc = f->name,
		};
		const void *data = raw[i].data;
		size_t len = raw[i].len;
		int rc = MB_OK;

		memcpy(ev.digest, digest[i], MB_SHA256_SIZE);
		size_t n = mb_file_cmdline_len(f);
		char *line = malloc(n + 1), *desc = malloc(n + MB_TCG_DESC_PREFIX + 1);

		if (!line || !desc)
			rc = mb_fail(err, MB_E_NO_MEMORY,
				     "%s: no memory for its command line's measurement",
				     f->name);
		for (int part = 0; part < 2 && !rc; part++) {
			if (part == 1) {
				mb_file_cmdline(f, line);
				mb_tcg_cmdline_desc(i, line, desc,
						    n + MB_TCG_DESC_PREFIX + 1);
				ev.pcr = MB_TCG_PCR_STRING;
				ev.desc = desc;
				data = line;
				len = strlen(line);
				mb_sha256(line, len, ev.digest);
			}
			if (dry) {
				print_event("dry run: would measure", &ev);
				continue;
			}
			rc = tpm_fw_extend(&ev, data, len, err);
			if (!rc) {
				done++;
				if (verbose)
					print_event("measured", &ev);
			}
		}
		free(line);
		free(desc);
		if (rc && (req->opts & MB_OPT_TPM_REQUIRED))
			return rc;
		if (rc) {
			if (!quiet)
				printf("mboot: TPM: %s: %u of %u measurements made, the rest not\n",
				       err->msg, done, total);
			return MB_OK;
		}
	}
	if (!dry && !quiet)
		printf("mboot: measured %u files and %u command lines into PCRs 9 and 8 (%s)\n",
		       req->nfiles, req->nfiles, tpm_what);
	return MB_OK;
}
