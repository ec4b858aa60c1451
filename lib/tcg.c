/*
 * tcg.c - measured boot's records and commands (see tcg.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tcg.h"
#include "util.h"

/** Store @v big-endian in 2 bytes at @p (the TPM's byte order). */
static uint8_t *put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

/** Store @v big-endian in 4 bytes at @p. */
static uint8_t *put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

/** Store @v little-endian in 2 bytes at @p (the event log's byte order). */
static uint8_t *put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

/** Store @v little-endian in 4 bytes at @p. */
static uint8_t *put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
	return p + 4;
}

size_t mb_tcg_cmdline_desc(unsigned index, const char *line, char *out,
			   size_t cap)
{
	const char *prefix = index ? "module_cmdline: " : "kernel_cmdline: ";
	size_t np = mb_strlen(prefix), nl = mb_strlen(line);

	if (np + nl + 1 > cap)
		return 0;
	mb_memcpy(out, prefix, np);
	mb_memcpy(out + np, line, nl + 1);
	return np + nl;
}

void mb_tcg_extend(uint8_t pcr[MB_SHA256_SIZE],
		   const uint8_t digest[MB_SHA256_SIZE])
{
	struct mb_sha256 s;

	mb_sha256_init(&s);
	mb_sha256_update(&s, pcr, MB_SHA256_SIZE);
	mb_sha256_update(&s, digest, MB_SHA256_SIZE);
	mb_sha256_final(&s, pcr);
}

size_t mb_tpm2_extend_cmd(uint32_t pcr, const uint8_t digest[MB_SHA256_SIZE],
			  uint8_t *out)
{
	uint8_t *p = out;

	p = put_be16(p, MB_TPM2_ST_SESSIONS);
	p = put_be32(p, MB_TPM2_EXTEND_CMD_SIZE);
	p = put_be32(p, MB_TPM2_CC_PCR_EXTEND);
	p = put_be32(p, pcr);			/* pcrHandle */
	p = put_be32(p, 9);			/* authorizationSize */
	p = put_be32(p, MB_TPM2_RS_PW);		/* sessionHandle */
	p = put_be16(p, 0);			/* nonce: empty */
	*p++ = 0;				/* sessionAttributes */
	p = put_be16(p, 0);			/* hmac: the empty password */
	p = put_be32(p, 1);			/* TPML_DIGEST_VALUES.count */
	p = put_be16(p, MB_TPM2_ALG_SHA256);
	mb_memcpy(p, digest, MB_SHA256_SIZE);
	p += MB_SHA256_SIZE;
	return (size_t)(p - out);
}

int mb_tpm2_response_code(const uint8_t *rsp, size_t len, uint32_t *rc)
{
	if (len < 10)
		return -1;
	uint32_t size = (uint32_t)rsp[2] << 24 | (uint32_t)rsp[3] << 16 |
			(uint32_t)rsp[4] << 8 | rsp[5];
	if (size != len)
		return -1;
	*rc = (uint32_t)rsp[6] << 24 | (uint32_t)rsp[7] << 16 |
	      (uint32_t)rsp[8] << 8 | rsp[9];
	return 0;
}

size_t mb_tcg_event2_size(const struct mb_tcg_event *ev)
{
	return 4 + 4 + 4 + 2 + MB_SHA256_SIZE + 4 + mb_strlen(ev->desc) + 1;
}

size_t mb_tcg_event2(const struct mb_tcg_event *ev, uint8_t *out)
{
	size_t n = mb_strlen(ev->desc) + 1;
	uint8_t *p = out;

	p = put_le32(p, ev->pcr);
	p = put_le32(p, ev->type);
	p = put_le32(p, 1);			/* digests: SHA-256 only */
	p = put_le16(p, MB_TPM2_ALG_SHA256);
	mb_memcpy(p, ev->digest, MB_SHA256_SIZE);
	p += MB_SHA256_SIZE;
	p = put_le32(p, (uint32_t)n);
	mb_memcpy(p, ev->desc, n);
	return (size_t)(p + n - out);
}

/** The little-endian 32-bit value at @p. */
static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The first record: PCR, type, a SHA-1 digest, the event size. */
#define SPEC_ID_HDR	32u
/* In its event: signature[16], platform class, version bytes, uintn size,
 * then the number of algorithms. */
#define SPEC_ID_NALG	24u

int mb_tcg_log_next(const uint8_t *log, size_t cap, size_t last, size_t *next)
{
	static const char sig[] = "Spec ID Event03";
	uint16_t alg_id[8], alg_size[8];

	if (cap < SPEC_ID_HDR + SPEC_ID_NALG + 4)
		return -1;
	size_t ev_size = get_le32(log + 28);
	if (ev_size > cap - SPEC_ID_HDR || ev_size < SPEC_ID_NALG + 4 ||
	    mb_memcmp(log + SPEC_ID_HDR, sig, sizeof(sig)))
		return -1;
	const uint8_t *e = log + SPEC_ID_HDR;
	uint32_t nalg = get_le32(e + SPEC_ID_NALG);
	if (nalg == 0 || nalg > 8 || SPEC_ID_NALG + 4 + 4 * nalg > ev_size)
		return -1;
	for (uint32_t k = 0; k < nalg; k++) {
		const uint8_t *a = e + SPEC_ID_NALG + 4 + 4 * k;
		alg_id[k] = (uint16_t)(a[0] | a[1] << 8);
		alg_size[k] = (uint16_t)(a[2] | a[3] << 8);
	}
	if (last == 0) {		/* only the Spec ID record so far */
		*next = SPEC_ID_HDR + ev_size;
		return 0;
	}
	if (last < SPEC_ID_HDR + ev_size || last > cap || cap - last < 12)
		return -1;
	/* TCG_PCR_EVENT2: PCR, type, count, count x (algorithm, digest),
	 * event size, event. */
	size_t off = last + 12;
	uint32_t count = get_le32(log + last + 8);
	if (count > nalg)
		return -1;
	for (uint32_t d = 0; d < count; d++) {
		if (cap - off < 2)
			return -1;
		uint16_t id = (uint16_t)(log[off] | log[off + 1] << 8);
		uint32_t k = 0;
		while (k < nalg && alg_id[k] != id)
			k++;
		if (k == nalg || cap - off - 2 < alg_size[k])
			return -1;
		off += 2 + alg_size[k];
	}
	if (cap - off < 4 || get_le32(log + off) > cap - off - 4)
		return -1;
	*next = off + 4 + get_le32(log + off);
	return 0;
}

size_t mb_tcg2_efi_event(const struct mb_tcg_event *ev, uint8_t *out)
{
	size_t n = mb_strlen(ev->desc) + 1;
	uint8_t *p = out;

	p = put_le32(p, (uint32_t)(MB_TCG2_EFI_EVENT_HDR + n));	/* Size */
	p = put_le32(p, 14);			/* HeaderSize */
	p = put_le16(p, 1);			/* HeaderVersion */
	p = put_le32(p, ev->pcr);
	p = put_le32(p, ev->type);
	mb_memcpy(p, ev->desc, n);
	return MB_TCG2_EFI_EVENT_HDR + n;
}
