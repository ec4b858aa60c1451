/*
 * tis.h - PCR 8 and 9 read from the TPM 2.0 through its FIFO (TIS)
 * interface at 0xFED40000, locality 0 (TCG PC Client Platform TPM
 * Profile), for the test kernels' measured boot checks: tk.c (32-bit,
 * tk.tpm=) and tpm64.c (the UEFI one).  Included once by each; needs
 * the TPM's registers mapped 1:1 (true in both: no paging, or the
 * firmware's identity map).
 *
 * The command is TPM2_PCR_Read of PCRs 8 and 9 in the SHA-256 bank.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TK_TIS_H
#define TK_TIS_H

#include <stdint.h>

#define TIS_BASE	0xfed40000u
#define TIS_ACCESS	0x00	/* 8 bits: activeLocality 0x20, requestUse 0x02 */
#define TIS_STS		0x18	/* stsValid 0x80, commandReady 0x40, tpmGo 0x20,
				 * dataAvail 0x10 */
#define TIS_FIFO	0x24
#define TIS_SPIN	20000000u

static uint8_t tis_rd8(uint32_t off)
{
	return *(volatile uint8_t *)(uintptr_t)(TIS_BASE + off);
}

static void tis_wr8(uint32_t off, uint8_t v)
{
	*(volatile uint8_t *)(uintptr_t)(TIS_BASE + off) = v;
}

/* Wait until (register @off & @mask) == @want; 0 on timeout. */
static int tis_wait(uint32_t off, uint8_t mask, uint8_t want)
{
	for (uint32_t n = 0; n < TIS_SPIN; n++)
		if ((tis_rd8(off) & mask) == want)
			return 1;
	return 0;
}

/* The big-endian 32-bit value at @p (the TPM's byte order). */
static uint32_t tis_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Send @cmd (@len bytes), read the response into @rsp (@cap bytes).
 * Returns the response's length, or 0 with *@why set. */
static uint32_t tis_transmit(const uint8_t *cmd, uint32_t len, uint8_t *rsp,
			     uint32_t cap, const char **why)
{
	uint32_t n, size;

	if (tis_rd8(TIS_ACCESS) == 0xff)
		return *why = "no TPM at 0xfed40000", 0;
	if (!(tis_rd8(TIS_ACCESS) & 0x20)) {
		tis_wr8(TIS_ACCESS, 0x02);		/* requestUse */
		if (!tis_wait(TIS_ACCESS, 0x20, 0x20))
			return *why = "locality 0 not granted", 0;
	}
	tis_wr8(TIS_STS, 0x40);				/* commandReady */
	if (!tis_wait(TIS_STS, 0x40, 0x40))
		return *why = "not ready for a command", 0;
	for (n = 0; n < len; n++)
		tis_wr8(TIS_FIFO, cmd[n]);
	tis_wr8(TIS_STS, 0x20);				/* tpmGo */
	if (!tis_wait(TIS_STS, 0x90, 0x90))		/* stsValid, dataAvail */
		return *why = "no response", 0;
	for (n = 0; n < 10; n++)
		rsp[n] = tis_rd8(TIS_FIFO);
	size = tis_be32(rsp + 2);
	if (size < 10 || size > cap)
		return *why = "response size out of range", 0;
	for (; n < size; n++)
		rsp[n] = tis_rd8(TIS_FIFO);
	tis_wr8(TIS_STS, 0x40);				/* back to idle */
	tis_wr8(TIS_ACCESS, 0x20);			/* give up locality 0 */
	return size;
}

/* PCRs 8 and 9 (SHA-256) into @pcr; NULL, or why they could not be read. */
static const char *tis_pcr_read(uint8_t pcr[2][32])
{
	static const uint8_t cmd[20] = {
		0x80, 0x01, 0, 0, 0, 20, 0, 0, 0x01, 0x7e,	/* PCR_Read */
		0, 0, 0, 1, 0, 0x0b, 3, 0, 3, 0,	/* SHA-256: 8, 9 */
	};
	static uint8_t rsp[256];
	const char *why = "";
	uint32_t len = tis_transmit(cmd, sizeof(cmd), rsp, sizeof(rsp), &why);

	if (!len)
		return why;
	/* header 10, update counter 4, selection 4+2+1+3, count 4, then two
	 * TPM2B_DIGESTs of 2+32 */
	if (tis_be32(rsp + 6) || len != 10 + 4 + 10 + 4 + 2 * 34 ||
	    tis_be32(rsp + 24) != 2)
		return "unexpected TPM2_PCR_Read response";
	for (uint32_t i = 0; i < 2; i++)
		for (uint32_t k = 0; k < 32; k++)
			pcr[i][k] = rsp[28 + 34 * i + 2 + k];
	return 0;
}

#endif
