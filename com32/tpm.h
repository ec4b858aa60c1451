/*
 * tpm.h - the firmware's TPM 2.0, as measured boot (measure.c) uses it.
 *
 *   BIOS  the TCG BIOS interface, INT 1Ah AH=BBh (tpm_bios.c)
 *   UEFI  EFI_TCG2_PROTOCOL (efi_tpm.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_TPM_H
#define MBOOT_TPM_H

#include <stddef.h>
#include "../lib/error.h"
#include "../lib/tcg.h"

/**
 * Look for a TPM 2.0 the firmware lets us use.  Returns 1 when there is
 * one (@what, @cap bytes, then says which interface), 0 when there is none
 * (@what says why, e.g. "the BIOS has no TCG interface").
 */
int tpm_fw_probe(char *what, size_t cap);

/**
 * True when tpm_fw_extend() needs the measured bytes themselves (UEFI:
 * HashLogExtendEvent hashes them again; no interface takes a digest and
 * logs it), false when the digest in the event is enough (BIOS).
 */
int tpm_fw_needs_data(void);

/**
 * Extend @ev (its PCR, type, SHA-256 digest and text) into the TPM and its
 * event log.  @data, @len: the measured bytes (used only where
 * tpm_fw_needs_data()).  Returns MB_OK or MB_E_FIRMWARE naming the cause.
 */
int tpm_fw_extend(const struct mb_tcg_event *ev, const void *data, size_t len,
		  struct mb_error *err);

#endif
