/*
 * tpm64.c - the UEFI measured boot test kernel (tk-tpm64.bin): booted by
 * mboot.c32 under syslinux.efi through its EFI amd64 entry (tpm64.asm),
 * boot services kept.  On COM1, lines ending in CR LF:
 *
 *   TK START tk-tpm64.bin
 *   TK PCR 8 sha256 <64 hex>        PCRs 8 and 9 read through the TIS
 *   TK PCR 9 sha256 <64 hex>        interface (tis.h)
 *   PASS|FAIL tpm.pcr_read ...
 *   TK TPMLOG-LAST <hex offset>     EFI_TCG2_PROTOCOL.GetEventLog (crypto
 *   TK TPMLOG <hex, 32 bytes>       agile): the log from its start to
 *   PASS|FAIL tpm.log ...           4 KiB past its last record's start
 *   TK VERDICT PASS|FAIL n=<failed>
 *
 * then halts.  The reader finds where the last record (at TPMLOG-LAST)
 * ends.  Position independent (no absolute addresses in data): mboot may
 * relocate it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "tis.h"

#define COM1	0x3f8
#define EFIAPI	__attribute__((ms_abi))

static uint32_t n_fail;

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void putc_(char c)
{
	if (c == '\n')
		putc_('\r');
	for (uint32_t spin = 1000000; !(inb(COM1 + 5) & 0x20) && spin; spin--)
		;
	outb(COM1, (uint8_t)c);
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void put_hex(uint64_t v, int digits)
{
	for (int i = digits - 1; i >= 0; i--)
		putc_("0123456789abcdef"[(v >> (4 * i)) & 15]);
}

/* One check line: "PASS name detail" or "FAIL name detail". */
static void check(int ok, const char *name, const char *detail)
{
	n_fail += !ok;
	puts_(ok ? "PASS " : "FAIL ");
	puts_(name);
	putc_(' ');
	puts_(detail);
	putc_('\n');
}

/* The parts of the UEFI tables used here (UEFI 2.x layouts, x86-64). */
#define ST_BOOT_SERVICES	96	/* EFI_SYSTEM_TABLE.BootServices */
#define BS_LOCATE_PROTOCOL	320	/* EFI_BOOT_SERVICES.LocateProtocol */
typedef uint64_t (EFIAPI *locate_fn)(const void *guid, void *reg, void **out);
typedef uint64_t (EFIAPI *get_log_fn)(void *self, uint32_t format,
				      uint64_t *location, uint64_t *last,
				      uint8_t *truncated);

/* The Multiboot 2 tag of @type in the information at @mbi, or 0. */
static const uint8_t *mb2_tag(uint64_t mbi, uint32_t type)
{
	const uint8_t *p = (const uint8_t *)mbi + 8;
	const uint8_t *end = (const uint8_t *)mbi + *(const uint32_t *)mbi;

	while (p + 8 <= end && *(const uint32_t *)p) {
		if (*(const uint32_t *)p == type)
			return p;
		p += (*(const uint32_t *)(p + 4) + 7) & ~7u;
	}
	return 0;
}

/* The firmware's crypto-agile event log through EFI_TCG2_PROTOCOL. */
static void dump_log(uint64_t mbi)
{
	/* EFI_TCG2_PROTOCOL_GUID 607f766c-7455-42be-930b-e4d76db2720f */
	static const uint8_t guid[16] = {
		0x6c, 0x76, 0x7f, 0x60, 0x55, 0x74, 0xbe, 0x42,
		0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f,
	};
	const uint8_t *t = mb2_tag(mbi, 12);
	uint64_t loc = 0, last = 0, r;
	uint8_t trunc = 0;
	void **tcg2 = 0;

	if (!t) {
		check(0, "tpm.log", "no EFI system table (tag 12)");
		return;
	}
	const uint8_t *st = (const uint8_t *)*(const uint64_t *)(t + 8);
	const uint8_t *bs = *(const uint8_t *const *)(st + ST_BOOT_SERVICES);
	r = (*(const locate_fn *)(bs + BS_LOCATE_PROTOCOL))(guid, 0,
							   (void **)&tcg2);
	if (r || !tcg2) {
		check(0, "tpm.log", "no EFI_TCG2_PROTOCOL");
		return;
	}
	/* GetEventLog is the protocol's second function; format 2: TCG 2. */
	r = ((get_log_fn)tcg2[1])(tcg2, 2, &loc, &last, &trunc);
	if (r || !loc || last < loc) {
		check(0, "tpm.log", "GetEventLog failed");
		return;
	}
	puts_("TK TPMLOG-LAST ");
	put_hex(last - loc, 8);
	putc_('\n');
	for (uint64_t off = 0; off < last - loc + 4096; off += 32) {
		puts_("TK TPMLOG ");
		for (uint64_t k = off; k < off + 32; k++)
			put_hex(((const uint8_t *)loc)[k], 2);
		putc_('\n');
	}
	check(!trunc, "tpm.log", trunc ? "truncated" : "GetEventLog");
}

void tpm64_main(uint32_t magic, uint64_t mbi);
void tpm64_main(uint32_t magic, uint64_t mbi)
{
	uint8_t pcr[2][32];
	const char *why;

	outb(COM1 + 1, 0);		/* 115200 8N1, no interrupts */
	outb(COM1 + 3, 0x80);
	outb(COM1, 1);
	outb(COM1 + 1, 0);
	outb(COM1 + 3, 3);
	puts_("\nTK START tk-tpm64.bin\n");
	check(magic == 0x36d76289, "magic", "EAX");
	why = tis_pcr_read(pcr);
	for (uint32_t i = 0; !why && i < 2; i++) {
		puts_("TK PCR ");
		putc_((char)('8' + i));
		puts_(" sha256 ");
		for (uint32_t k = 0; k < 32; k++)
			put_hex(pcr[i][k], 2);
		putc_('\n');
	}
	check(!why, "tpm.pcr_read", why ? why : "PCRs 8 and 9 read");
	if (magic == 0x36d76289)
		dump_log(mbi);
	puts_(n_fail ? "TK VERDICT FAIL\n" : "TK VERDICT PASS\n");
}
