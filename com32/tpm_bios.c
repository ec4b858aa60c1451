/*
 * tpm_bios.c - the TPM 2.0 through the TCG BIOS interface (INT 1Ah,
 * AH=BBh; TCG PC Client Specific Implementation Specification for
 * Conventional BIOS), as SeaBIOS and server BIOSes provide it.
 *
 * TCG_HashLogExtendEvent (AL=01h) is not used: the interface hashes with
 * SHA-1 only, and SeaBIOS 1.15 to 1.17 (Debian 12 ships 1.16.2) hands that
 * 20-byte digest to a TPM 2.0 as if it were a TPML_DIGEST_VALUES, which
 * the TPM refuses.  Instead each measurement is
 *
 *   - TCG_PassThroughToTPM (AL=02h) with a TPM2_PCR_Extend of the SHA-256
 *     digest the fetch layer already computed (no pass over the data here);
 *     only the SHA-256 bank is extended;
 *   - a TCG_PCR_EVENT2 record with that digest, appended to the firmware's
 *     crypto-agile event log (TCG_StatusCheck gives its start and last
 *     record, the ACPI TPM2 table its size), which the OS reads from there
 *     as it reads the firmware's own records.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef __FIRMWARE_EFI64__

#include <com32.h>
#include <stdio.h>
#include <string.h>
#include "../lib/acpi.h"
#include "../lib/tcg.h"
#include "firmware.h"
#include "tpm.h"

#define TCG_MAGIC	0x41504354u	/* "TCPA" in EBX */
#define TCG_STATUS	0x00
#define TCG_PASSTHRU	0x02

/* Pass-through parameter blocks: IPB length, reserved, OPB length,
 * reserved, then the command; OPB length, reserved, then the response. */
struct tcg_ipb {
	uint16_t ipb_len, res1, opb_len, res2;
	uint8_t cmd[MB_TPM2_EXTEND_CMD_SIZE];
} __attribute__((packed));
struct tcg_opb {
	uint16_t opb_len, res;
	uint8_t rsp[64];
} __attribute__((packed));

static struct tcg_ipb *ipb;	/* in low memory (lmalloc) */
static struct tcg_opb *opb;
static uint8_t *log_base;	/* the firmware's event log, or NULL */
static size_t log_cap, log_next;
static int log_warned;

/** INT 1Ah AH=BBh function @al with ES:DI = @in, DS:SI = @out; returns
 *  EAX, with *@o the registers after. */
static uint32_t tcg_call(uint8_t al, void *in, void *out, com32sys_t *o)
{
	com32sys_t r;

	memset(&r, 0, sizeof(r));
	r.eax.l = 0xbb00 | al;
	r.ebx.l = TCG_MAGIC;
	if (in) {
		r.es = SEG(in);
		r.edi.w[0] = OFFS(in);
	}
	if (out) {
		r.ds = SEG(out);
		r.esi.w[0] = OFFS(out);
	}
	__intcall(0x1a, &r, o);
	return o->eax.l;
}

/**
 * The ACPI TPM2 table's log area (LAML at offset 64, LASA at 68, present
 * when the table is at least 76 bytes long): its size, or 0.
 */
static uint32_t acpi_log_size(uint32_t lasa)
{
	struct fw_info fi;

	fw_get_info(&fi);
	if (!fi.rsdp_v1)
		return 0;
	const uint8_t *rsdt = (const uint8_t *)(uintptr_t)
		*(const uint32_t *)((const uint8_t *)fi.rsdp_v1 + 16);
	uint32_t len = *(const uint32_t *)(rsdt + 4);
	for (uint32_t off = 36; off + 4 <= len; off += 4) {
		const uint8_t *t = (const uint8_t *)(uintptr_t)
			*(const uint32_t *)(rsdt + off);
		if (memcmp(t, "TPM2", 4) || *(const uint32_t *)(t + 4) < 76)
			continue;
		if (*(const uint32_t *)(t + 68) == lasa &&
		    !*(const uint32_t *)(t + 72))
			return *(const uint32_t *)(t + 64);
	}
	return 0;
}

int tpm_fw_probe(char *what, size_t cap)
{
	com32sys_t o;

	if (!ipb)
		ipb = lmalloc(sizeof(*ipb));
	if (!opb)
		opb = lmalloc(sizeof(*opb));
	if (!ipb || !opb) {
		snprintf(what, cap, "no low memory for the TCG BIOS calls");
		return 0;
	}
	if (tcg_call(TCG_STATUS, NULL, NULL, &o) != 0 || o.ebx.l != TCG_MAGIC) {
		snprintf(what, cap, "the BIOS has no TCG interface or no TPM: INT 1Ah BB00h gave EAX=%08x",
			 o.eax.l);
		return 0;
	}
	uint32_t lasa = o.esi.l, last = o.edi.l;
	/* A TPM 2.0 answers a TPM 2.0 command: extend PCR 9 by nothing
	 * would change it, so ask for a PCR read (no sessions) instead. */
	static const uint8_t pcr_read[] = {
		0x80, 0x01, 0, 0, 0, 20, 0, 0, 0x01, 0x7e,
		0, 0, 0, 1, 0, 0x0b, 3, 0, 2, 0,
	};
	memcpy(ipb->cmd, pcr_read, sizeof(pcr_read));
	ipb->ipb_len = 8 + sizeof(pcr_read);
	ipb->opb_len = sizeof(*opb);
	ipb->res1 = ipb->res2 = 0;
	uint32_t rc, eax = tcg_call(TCG_PASSTHRU, ipb, opb, &o);
	if (eax || opb->opb_len < 4 + 10 ||
	    mb_tpm2_response_code(opb->rsp, opb->opb_len - 4u, &rc) || rc) {
		snprintf(what, cap, "the TPM is not a TPM 2.0, or failed (TPM2_PCR_Read: EAX=%08x)",
			 eax);
		return 0;
	}
	log_cap = lasa ? acpi_log_size(lasa) : 0;
	log_base = log_cap ? (uint8_t *)(uintptr_t)lasa : NULL;
	if (log_base && (last < lasa ||
	    mb_tcg_log_next(log_base, log_cap, last - lasa, &log_next)))
		log_base = NULL;
	snprintf(what, cap, "TPM 2.0 via the TCG BIOS interface, SHA-256 bank%s",
		 log_base ? ", event log" : ", no event log found");
	return 1;
}

int tpm_fw_needs_data(void)
{
	return 0;	/* the digest is passed through */
}

int tpm_fw_extend(const struct mb_tcg_event *ev, const void *data, size_t len,
		  struct mb_error *err)
{
	com32sys_t o;
	uint32_t rc = 0;

	(void)data, (void)len;
	ipb->ipb_len = 8 + mb_tpm2_extend_cmd(ev->pcr, ev->digest, ipb->cmd);
	ipb->opb_len = sizeof(*opb);
	uint32_t eax = tcg_call(TCG_PASSTHRU, ipb, opb, &o);
	if (eax || opb->opb_len < 4 ||
	    mb_tpm2_response_code(opb->rsp, opb->opb_len - 4u, &rc) || rc)
		return mb_fail(err, MB_E_FIRMWARE,
			       "TPM2_PCR_Extend of PCR %u (%s) failed: INT 1Ah BB02h EAX=%08x, TPM response code 0x%x",
			       (unsigned)ev->pcr, ev->desc, eax, rc);
	size_t n = mb_tcg_event2_size(ev);
	if (log_base && n <= log_cap - log_next) {
		mb_tcg_event2(ev, log_base + log_next);
		log_next += n;
	} else if (!log_warned) {
		log_warned = 1;
		printf("mboot: TPM: %s: PCR extended, but %s\n", ev->desc,
		       log_base ? "the event log is full: no more log records" :
				  "no event log to record it in");
	}
	return MB_OK;
}

#endif
