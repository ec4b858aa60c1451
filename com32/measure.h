/*
 * measure.h - measured boot: every file and command line extended into the
 * TPM (see lib/tcg.h for the layout, tpm.h for the firmware side).
 *
 * The digest of each file is the one the fetch layer computes while the
 * file arrives (fetch_record_sha256, the same pass -sha256 uses); the
 * measurements are made after every file has arrived and been checked,
 * just before the hand-off, in the line's order: the kernel's file (PCR 9)
 * and command line (PCR 8), then each module's.  A dry run (-n) prints what
 * would be measured instead.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_MEASURE_H
#define MBOOT_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/cmdline.h"
#include "../lib/error.h"

/**
 * Look for the TPM (after fw_init).  Without one the boot goes on
 * unmeasured, unless -tpm-required was given: then MB_E_FIRMWARE.
 */
int measure_begin(const struct mb_request *req, struct mb_error *err);

/** Where file @i's SHA-256 goes (for fetch_record_sha256), or NULL when
 *  nothing will be measured or shown. */
uint8_t *measure_digest_slot(unsigned i);

/** True when the measured bytes of each file must be kept until they are
 *  measured (UEFI: see tpm_fw_needs_data). */
bool measure_wants_raw(void);

/**
 * Keep file @i's bytes as fetched, @data (@len bytes), for the
 * measurement; @owned: a heap block, freed by measure_end().  Returns true
 * when it was kept (the caller must not free it), false when nothing needs
 * it.  A later call for the same file replaces the earlier one.
 */
bool measure_hold(unsigned i, uint8_t *data, size_t len, bool owned);

/**
 * Measure every file and command line of @req (or, in a dry run, print
 * what would be measured).  A TPM that fails: one line saying what was
 * not measured, and MB_OK, unless -tpm-required: then the error.
 */
int measure_all(const struct mb_request *req, struct mb_error *err);

/** Free what measure_hold() kept. */
void measure_end(void);

#endif
