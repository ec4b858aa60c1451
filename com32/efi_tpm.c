/*
 * efi_tpm.c - the TPM 2.0 through the firmware's EFI_TCG2_PROTOCOL (TCG
 * EFI Protocol Specification), as GRUB measures on UEFI.
 *
 * HashLogExtendEvent extends every active PCR bank and appends the record
 * to the firmware's event log, which reaches the OS through the final
 * events table as usual.  It takes the data, not a digest: no flag of the
 * protocol (PE_COFF_IMAGE, EXTEND_ONLY) lets a caller pass a digest it
 * computed, so the firmware hashes each file again here; that is the one
 * place where measuring costs a second pass over a file (measure.c keeps
 * the bytes as fetched until then).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifdef __FIRMWARE_EFI64__

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <efi.h>
#include "tpm.h"

EFI_SYSTEM_TABLE *fw_efi_system_table(void);

#define TCG2_PROTOCOL_GUID \
	{ 0x607f766c, 0x7455, 0x42be, \
	  { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } }

/* EFI_TCG2_BOOT_SERVICE_CAPABILITY (natural alignment, as in EDK2). */
struct tcg2_caps {
	UINT8 Size;
	UINT8 StructureVersion[2], ProtocolVersion[2];
	UINT32 HashAlgorithmBitmap, SupportedEventLogs;
	BOOLEAN TPMPresentFlag;
	UINT16 MaxCommandSize, MaxResponseSize;
	UINT32 ManufacturerID, NumberOfPCRBanks, ActivePcrBanks;
};

struct tcg2_protocol;
typedef EFI_STATUS (EFIAPI *tcg2_get_caps)(struct tcg2_protocol *This,
					   struct tcg2_caps *Caps);
typedef EFI_STATUS (EFIAPI *tcg2_hash_log_extend)(struct tcg2_protocol *This,
						  UINT64 Flags,
						  EFI_PHYSICAL_ADDRESS Data,
						  UINT64 DataLen, void *Event);

/* The protocol's first functions, in the specification's order. */
struct tcg2_protocol {
	tcg2_get_caps GetCapability;
	void *GetEventLog;
	tcg2_hash_log_extend HashLogExtendEvent;
	void *SubmitCommand, *GetActivePcrBanks, *SetActivePcrBanks;
	void *GetResultOfSetActivePcrBanks;
};

static EFI_GUID tcg2_guid = TCG2_PROTOCOL_GUID;
static struct tcg2_protocol *tcg2;

int tpm_fw_probe(char *what, size_t cap)
{
	EFI_SYSTEM_TABLE *st = fw_efi_system_table();
	struct tcg2_caps caps;
	EFI_STATUS s;

	tcg2 = NULL;
	if (!st) {
		snprintf(what, cap, "no EFI system table");
		return 0;
	}
	s = st->BootServices->LocateProtocol(&tcg2_guid, NULL,
					     (void **)&tcg2);
	if (s != EFI_SUCCESS || !tcg2) {
		tcg2 = NULL;
		snprintf(what, cap, "the firmware has no EFI_TCG2_PROTOCOL (LocateProtocol: 0x%llx)",
			 (unsigned long long)s);
		return 0;
	}
	memset(&caps, 0, sizeof(caps));
	caps.Size = sizeof(caps);
	s = tcg2->GetCapability(tcg2, &caps);
	if (s != EFI_SUCCESS || !caps.TPMPresentFlag) {
		snprintf(what, cap, "EFI_TCG2_PROTOCOL reports no TPM (GetCapability: 0x%llx, present %u)",
			 (unsigned long long)s, caps.TPMPresentFlag);
		tcg2 = NULL;
		return 0;
	}
	snprintf(what, cap, "TPM 2.0 via EFI_TCG2_PROTOCOL, PCR banks 0x%x",
		 caps.ActivePcrBanks);
	return 1;
}

int tpm_fw_needs_data(void)
{
	return 1;
}

int tpm_fw_extend(const struct mb_tcg_event *ev, const void *data, size_t len,
		  struct mb_error *err)
{
	uint8_t *event = malloc(MB_TCG2_EFI_EVENT_HDR + strlen(ev->desc) + 1);
	EFI_STATUS s;

	if (!event)
		return mb_fail(err, MB_E_NO_MEMORY,
			       "no memory for the TPM event of %s", ev->desc);
	mb_tcg2_efi_event(ev, event);
	s = tcg2->HashLogExtendEvent(tcg2, 0, (EFI_PHYSICAL_ADDRESS)(uintptr_t)data,
				     len, event);
	free(event);
	if (s != EFI_SUCCESS)
		return mb_fail(err, MB_E_FIRMWARE,
			       "HashLogExtendEvent of PCR %u (%s) failed: EFI status 0x%llx",
			       (unsigned)ev->pcr, ev->desc,
			       (unsigned long long)s);
	return MB_OK;
}

#endif
