/*
 * tcg.h - measured boot: what mboot extends into the TPM, in which PCR,
 * with which event log entry, and the bytes of the TPM 2.0 commands and
 * log records that carry it.  Freestanding: used by the module
 * (com32/measure.c, com32/tpm_bios.c, com32/tpm_efi.c) and by the
 * host-side checker, which predicts the PCR values (tools/mboot-check.c).
 *
 * The layout is GRUB 2's (grub-core/commands/tpm.c): every file, as the
 * server sent it (before any decompression; the digest -sha256 checks),
 * is extended into PCR 9 with its name as the event text; every command
 * line as the kernel or module receives it is extended into PCR 8 with the
 * text "kernel_cmdline: LINE" or "module_cmdline: LINE".  The event type is
 * EV_IPL (TCG PC Client Platform Firmware Profile, 10.4.1), the event data
 * the text with its terminating NUL, as GRUB writes it.  The digest of a
 * command line covers the line without its NUL.
 *
 * Only the SHA-256 bank is modelled here (the one mboot extends itself on
 * BIOS; see com32/tpm_bios.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_TCG_H
#define MBOOT_TCG_H

#include <stddef.h>
#include <stdint.h>
#include "sha256.h"

#define MB_TCG_PCR_STRING	8	/* command lines (GRUB_STRING_PCR) */
#define MB_TCG_PCR_BINARY	9	/* files (GRUB_BINARY_PCR) */
#define MB_TCG_EV_IPL		0x0000000du	/* PFP: EV_IPL */
#define MB_TPM2_ALG_SHA256	0x000bu
#define MB_TPM2_CC_PCR_EXTEND	0x00000182u
#define MB_TPM2_ST_SESSIONS	0x8002u
#define MB_TPM2_RS_PW		0x40000009u	/* the password session */

/* The prefix of a command line's event text, without its NUL. */
#define MB_TCG_DESC_PREFIX	16

/** One measurement: where it goes and what the log says about it. */
struct mb_tcg_event {
	uint32_t pcr;			/* 8 or 9 */
	uint32_t type;			/* MB_TCG_EV_IPL */
	uint8_t digest[MB_SHA256_SIZE];	/* SHA-256 of the measured bytes */
	const char *desc;		/* event text, NUL-terminated */
};

/**
 * The event text for command line @line of file @index (0: the kernel):
 * "kernel_cmdline: " or "module_cmdline: " and the line, NUL-terminated,
 * into @out (@cap bytes).  Returns the text's length without the NUL, or 0
 * when it does not fit.
 */
size_t mb_tcg_cmdline_desc(unsigned index, const char *line, char *out,
			   size_t cap);

/** Extend the SHA-256 PCR value @pcr by @digest, as a TPM 2.0 does:
 *  pcr = SHA-256(pcr || digest). */
void mb_tcg_extend(uint8_t pcr[MB_SHA256_SIZE],
		   const uint8_t digest[MB_SHA256_SIZE]);

/* TPM2_PCR_Extend with one SHA-256 digest: 10 bytes of header, the PCR
 * handle, 4 + 9 bytes of password session, 4 + 2 + 32 of digest list. */
#define MB_TPM2_EXTEND_CMD_SIZE	65u

/**
 * Write the TPM2_PCR_Extend command (TPM 2.0 Part 3, 22.2) that extends
 * PCR @pcr's SHA-256 bank by @digest to @out (MB_TPM2_EXTEND_CMD_SIZE
 * bytes, big-endian as the TPM reads it), authorised by the empty
 * password session (PCRs 8 and 9 have an empty authValue at locality 0).
 * Returns the command's size.
 */
size_t mb_tpm2_extend_cmd(uint32_t pcr, const uint8_t digest[MB_SHA256_SIZE],
			  uint8_t *out);

/**
 * The response code of the TPM 2.0 response @rsp (@len bytes): 0 is
 * success.  Returns 0 and sets *@rc, or -1 when @len is under 10 bytes or
 * the header's size field disagrees with @len.
 */
int mb_tpm2_response_code(const uint8_t *rsp, size_t len, uint32_t *rc);

/**
 * The size of the crypto-agile log record (TCG_PCR_EVENT2, PFP 10.2.2)
 * for @ev with one SHA-256 digest: 4 (PCR) + 4 (type) + 4 (count) + 2
 * (algorithm) + 32 + 4 (size) + the text with its NUL.
 */
size_t mb_tcg_event2_size(const struct mb_tcg_event *ev);

/** Write that record, little-endian, to @out (mb_tcg_event2_size bytes);
 *  returns its size. */
size_t mb_tcg_event2(const struct mb_tcg_event *ev, uint8_t *out);

/**
 * Where the next record goes in the crypto-agile event log at @log (@cap
 * bytes), whose last record starts at offset @last (the BIOS's TCG
 * StatusCheck says where): the first record must be the "Spec ID Event03"
 * (PFP 10.4.5.1, in the SHA-1 format) that lists the digest sizes, which
 * give the size of the record at @last.  Writes the offset to *@next and
 * returns 0; -1 when the log is not crypto-agile or a record runs past
 * @cap (nothing must then be written to it).
 */
int mb_tcg_log_next(const uint8_t *log, size_t cap, size_t last, size_t *next);

/*
 * The EFI_TCG2_EVENT that goes with HashLogExtendEvent (TCG EFI Protocol
 * Specification 6.6): UINT32 Size, then the header UINT32 HeaderSize (14),
 * UINT16 HeaderVersion (1), UINT32 PCRIndex, UINT32 EventType, packed,
 * then the event data (the text and its NUL).
 */
#define MB_TCG2_EFI_EVENT_HDR	18u

/** Write @ev's EFI_TCG2_EVENT to @out (MB_TCG2_EFI_EVENT_HDR plus the
 *  text with its NUL); returns its size. */
size_t mb_tcg2_efi_event(const struct mb_tcg_event *ev, uint8_t *out);

#endif
