/*
 * test_tcg.c - measured boot's records and commands (lib/tcg.c).
 *
 *  - PCR extend: SHA-256(old || digest), against the one-shot hash of the
 *    64 bytes and a value made by Python's hashlib (extend of 32 zero
 *    bytes by SHA-256("abc")); chained extends differ by order.
 *  - Event texts: "kernel_cmdline: " for file 0, "module_cmdline: " after
 *    (GRUB's), NUL-terminated; 0 when they do not fit, exactly at the edge.
 *  - TPM2_PCR_Extend: every field at its offset, big-endian; the size
 *    field equals the bytes written (65).
 *  - Response codes: success, an error code, a short or inconsistent
 *    response refused.
 *  - TCG_PCR_EVENT2 and EFI_TCG2_EVENT: every field, little-endian, the
 *    text with its NUL, the sizes the functions announce.
 *  - The BIOS log's next record: after the Spec ID record alone, after a
 *    record with two digests; refused when the first record is not a Spec
 *    ID event, a record names an algorithm the header does not list, or
 *    runs past the area.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "digest.h"
#include "sha256.h"
#include "tcg.h"

/** Big-endian 16/32-bit value at @p. */
static unsigned be16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static unsigned long be32(const uint8_t *p)
{
	return (unsigned long)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}
/** Little-endian 16/32-bit value at @p. */
static unsigned le16(const uint8_t *p) { return p[0] | p[1] << 8; }
static unsigned long le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (unsigned long)p[3] << 24;
}

static void test_extend(void)
{
	uint8_t pcr[32] = { 0 }, d[32], both[64], want[32];
	char hex[65];

	mb_sha256("abc", 3, d);
	memcpy(both + 32, d, 32);
	memset(both, 0, 32);
	mb_sha256(both, 64, want);
	mb_tcg_extend(pcr, d);
	CHECK(!memcmp(pcr, want, 32));
	/* python3: sha256(bytes(32) + sha256(b"abc").digest()) */
	CHECK_STR(mb_hex_encode(pcr, 32, hex),
		  "589f9ffed4c477966bfb8d41f37895b08c69047df8f911d6f3b57fbe08faee8d");

	/* Order matters: a then b differs from b then a. */
	uint8_t a[32], b[32], p1[32] = { 0 }, p2[32] = { 0 };
	mb_sha256("a", 1, a);
	mb_sha256("b", 1, b);
	mb_tcg_extend(p1, a);
	mb_tcg_extend(p1, b);
	mb_tcg_extend(p2, b);
	mb_tcg_extend(p2, a);
	CHECK(memcmp(p1, p2, 32) != 0);
}

static void test_desc(void)
{
	char out[64];

	CHECK_EQ_U(mb_tcg_cmdline_desc(0, "xen.gz dom0_mem=1G", out, sizeof(out)),
		   16 + 18);
	CHECK_STR(out, "kernel_cmdline: xen.gz dom0_mem=1G");
	CHECK_EQ_U(mb_tcg_cmdline_desc(3, "initrd.gz", out, sizeof(out)), 25);
	CHECK_STR(out, "module_cmdline: initrd.gz");
	/* "module_cmdline: " + "abc" + NUL = 20 bytes: fits in 20, not 19. */
	CHECK_EQ_U(mb_tcg_cmdline_desc(1, "abc", out, 20), 19);
	CHECK_EQ_U(mb_tcg_cmdline_desc(1, "abc", out, 19), 0);
	CHECK_EQ_U(MB_TCG_DESC_PREFIX, strlen("module_cmdline: "));
}

static void test_extend_cmd(void)
{
	uint8_t d[32], cmd[80];

	for (int i = 0; i < 32; i++)
		d[i] = (uint8_t)(0xa0 + i);
	memset(cmd, 0xee, sizeof(cmd));
	size_t n = mb_tpm2_extend_cmd(9, d, cmd);
	CHECK_EQ_U(n, MB_TPM2_EXTEND_CMD_SIZE);
	CHECK_EQ_U(n, 65);
	CHECK_EQ_U(be16(cmd), 0x8002);		/* TPM_ST_SESSIONS */
	CHECK_EQ_U(be32(cmd + 2), n);		/* commandSize */
	CHECK_EQ_U(be32(cmd + 6), 0x182);	/* TPM_CC_PCR_Extend */
	CHECK_EQ_U(be32(cmd + 10), 9);		/* pcrHandle */
	CHECK_EQ_U(be32(cmd + 14), 9);		/* authorizationSize */
	CHECK_EQ_U(be32(cmd + 18), 0x40000009);	/* TPM_RS_PW */
	CHECK_EQ_U(be16(cmd + 22), 0);		/* nonce */
	CHECK_EQ_U(cmd[24], 0);			/* attributes */
	CHECK_EQ_U(be16(cmd + 25), 0);		/* hmac */
	CHECK_EQ_U(be32(cmd + 27), 1);		/* digests */
	CHECK_EQ_U(be16(cmd + 31), 0x000b);	/* TPM_ALG_SHA256 */
	CHECK(!memcmp(cmd + 33, d, 32));
	CHECK_EQ_U(cmd[65], 0xee);		/* nothing written past it */
}

static void test_response(void)
{
	uint8_t ok[10] = { 0x80, 0x02, 0, 0, 0, 10, 0, 0, 0, 0 };
	uint8_t bad[10] = { 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x84 };
	uint32_t rc = 77;

	CHECK_EQ_U(mb_tpm2_response_code(ok, 10, &rc), 0);
	CHECK_EQ_U(rc, 0);
	CHECK_EQ_U(mb_tpm2_response_code(bad, 10, &rc), 0);
	CHECK_EQ_U(rc, 0x184);
	rc = 77;
	CHECK(mb_tpm2_response_code(ok, 9, &rc) == -1);
	CHECK(mb_tpm2_response_code(ok, 11, &rc) == -1);
	CHECK_EQ_U(rc, 77);
}

static void test_event2(void)
{
	struct mb_tcg_event ev = { .pcr = 8, .type = MB_TCG_EV_IPL,
				   .desc = "kernel_cmdline: k a" };
	uint8_t out[128];

	for (int i = 0; i < 32; i++)
		ev.digest[i] = (uint8_t)i;
	memset(out, 0xee, sizeof(out));
	size_t n = mb_tcg_event2(&ev, out);
	CHECK_EQ_U(n, mb_tcg_event2_size(&ev));
	CHECK_EQ_U(n, 4 + 4 + 4 + 2 + 32 + 4 + 20);
	CHECK_EQ_U(le32(out), 8);
	CHECK_EQ_U(le32(out + 4), 0x0d);
	CHECK_EQ_U(le32(out + 8), 1);
	CHECK_EQ_U(le16(out + 12), 0x000b);
	CHECK(!memcmp(out + 14, ev.digest, 32));
	CHECK_EQ_U(le32(out + 46), 20);
	CHECK(!memcmp(out + 50, "kernel_cmdline: k a", 20));	/* and NUL */
	CHECK_EQ_U(out[n], 0xee);

	memset(out, 0xee, sizeof(out));
	ev.pcr = 9;
	ev.desc = "xen.gz";
	n = mb_tcg2_efi_event(&ev, out);
	CHECK_EQ_U(n, 18 + 7);
	CHECK_EQ_U(le32(out), n);		/* Size */
	CHECK_EQ_U(le32(out + 4), 14);		/* HeaderSize */
	CHECK_EQ_U(le16(out + 8), 1);		/* HeaderVersion */
	CHECK_EQ_U(le32(out + 10), 9);		/* PCRIndex */
	CHECK_EQ_U(le32(out + 14), 0x0d);	/* EventType */
	CHECK(!memcmp(out + 18, "xen.gz", 7));
	CHECK_EQ_U(out[n], 0xee);
}

/** A log: the Spec ID record listing SHA-1 (20) and SHA-256 (32); returns
 *  its size. */
static size_t spec_id(uint8_t *log)
{
	uint8_t *e = log + 32;
	memset(log, 0, 32);
	log[4] = 3;				/* EV_NO_ACTION */
	memcpy(e, "Spec ID Event03", 16);
	memset(e + 16, 0, 8);
	e[24] = 2;				/* two algorithms */
	e[25] = e[26] = e[27] = 0;
	e[28] = 0x04; e[29] = 0; e[30] = 20; e[31] = 0;
	e[32] = 0x0b; e[33] = 0; e[34] = 32; e[35] = 0;
	e[36] = 0;				/* vendor info size */
	log[28] = 37;				/* event size */
	return 32 + 37;
}

static void test_log_next(void)
{
	static uint8_t log[1024];
	size_t next = 0, first;

	memset(log, 0, sizeof(log));
	first = spec_id(log);
	CHECK_EQ_U(mb_tcg_log_next(log, sizeof(log), 0, &next), 0);
	CHECK_EQ_U(next, first);

	/* One record with both digests and 5 bytes of event. */
	uint8_t *r = log + first;
	r[0] = 7; r[4] = 4; r[8] = 2;
	r[12] = 0x04; r[34] = 0x0b;
	r[68] = 5;				/* event size */
	size_t rsize = 12 + 22 + 34 + 4 + 5;
	CHECK_EQ_U(mb_tcg_log_next(log, sizeof(log), first, &next), 0);
	CHECK_EQ_U(next, first + rsize);
	/* A record of ours appended there reads back as the next last one. */
	struct mb_tcg_event ev = { .pcr = 9, .type = MB_TCG_EV_IPL,
				   .desc = "mod" };
	size_t ours = next;
	mb_tcg_event2(&ev, log + ours);
	CHECK_EQ_U(mb_tcg_log_next(log, sizeof(log), ours, &next), 0);
	CHECK_EQ_U(next, ours + mb_tcg_event2_size(&ev));

	/* Refused: the area ends inside the record. */
	CHECK(mb_tcg_log_next(log, first + rsize - 1, first, &next) == -1);
	/* An algorithm the header does not list. */
	r[34] = 0x0c;
	CHECK(mb_tcg_log_next(log, sizeof(log), first, &next) == -1);
	r[34] = 0x0b;
	/* Not a crypto-agile log. */
	log[32] = 'X';
	CHECK(mb_tcg_log_next(log, sizeof(log), 0, &next) == -1);
}

int main(void)
{
	test_extend();
	test_desc();
	test_extend_cmd();
	test_response();
	test_event2();
	test_log_next();
	return check_summary("tcg");
}
