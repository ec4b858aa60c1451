/*
 * Multiboot 1 conformance test kernel ("tk").
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Written from the Multiboot 0.6.96 specification (sections 3.2 and 3.3).
 * Checks the machine state and boot information at entry, prints one line
 * per check on COM1 and ends QEMU through isa-debug-exit.  The output
 * protocol is described in PROTOCOL.md.
 *
 * Build-time defines:
 *   TK_NAME       packaging name printed in "TK START" (string literal)
 *   TK_BSS_PROBE  size in bytes of the dedicated zero-checked BSS array
 */
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

#ifndef TK_NAME
#define TK_NAME "tk"
#endif
#ifndef TK_BSS_PROBE
#define TK_BSS_PROBE 65536
#endif

#define MB_BOOT_MAGIC 0x2BADB002u

#define MBI_MEM      (1u << 0)
#define MBI_BOOTDEV  (1u << 1)
#define MBI_CMDLINE  (1u << 2)
#define MBI_MODS     (1u << 3)
#define MBI_MMAP     (1u << 6)
#define MBI_DRIVES   (1u << 7)
#define MBI_LOADER   (1u << 9)
#define MBI_APM      (1u << 10)
#define MBI_VBE      (1u << 11)
#define MBI_FB       (1u << 12)

#define MAX_MMAP   128
#define MAX_E820   64
#define MAX_MODS   256
#define STR_CAP    1000
#define STRLEN_MAX (1u << 20)

/* Written by entry.asm; layout fixed there. */
struct tk_save {
	uint32_t eax, ebx, esp, eflags, cr0;
	uint32_t sel[6];
	uint16_t gdtr_limit;
	uint32_t gdtr_base;
	uint16_t pad;
	uint32_t desc[6][2];
	uint32_t desc_ok[6];
} __attribute__((packed));

extern struct tk_save tk_save;
extern char __kernel_start[], __kernel_end[], __load_end[], __bss_end[];

/* The dedicated zero-checked array (the whole .bss is checked, this just
 * makes sure it is big). */
uint8_t tk_bss_probe[TK_BSS_PROBE] __attribute__((aligned(4096), used));

/* A20 probe: must live in .data at an address with bit 20 set. */
volatile uint32_t tk_a20_probe __attribute__((section(".data"), aligned(4))) = 0x5A20A5A2u;

struct mbi {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
} __attribute__((packed));

struct mb_mod {
	uint32_t mod_start, mod_end, string, reserved;
} __attribute__((packed));

struct range {
	uint64_t base, len;
	uint32_t type;
};

/* ------------------------------------------------------------------ libc */

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;
	if (p < q)
		while (n--)
			*p++ = *q++;
	else
		while (n--)
			p[n] = q[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *p = a, *q = b;
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

static uint32_t tk_strnlen(const char *s, uint32_t max)
{
	uint32_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* ------------------------------------------------------------------- I/O */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define COM1 0x3F8

static void serial_init(void)
{
	outb(COM1 + 1, 0x00);   /* no interrupts */
	outb(COM1 + 3, 0x80);   /* DLAB */
	outb(COM1 + 0, 0x01);   /* divisor 1: 115200 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);   /* 8N1 */
	outb(COM1 + 2, 0xC7);   /* FIFO on, cleared */
	outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

static void serial_putc(char c)
{
	uint32_t spin = 1000000;
	while (!(inb(COM1 + 5) & 0x20) && --spin)
		;
	outb(COM1, (uint8_t)c);
}

static void putc_(char c)
{
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void put_hex(uint64_t v, int min_digits)
{
	char buf[17];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v || n < min_digits);
	while (n)
		putc_(buf[--n]);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_(buf[--n]);
}

/* Sanitized string: bytes < 0x20 or >= 0x7f become '?', cap STR_CAP. */
static void put_safe(const char *s)
{
	uint32_t i;
	if (!s) {
		puts_("(null)");
		return;
	}
	for (i = 0; i < STR_CAP && s[i]; i++) {
		uint8_t c = (uint8_t)s[i];
		putc_((c < 0x20 || c >= 0x7f) ? '?' : (char)c);
	}
}

/*
 * Minimal printf: %s raw string, %S sanitized string, %u decimal u32,
 * %x hex u32 (0x prefix added by caller), %X hex u32 8 digits,
 * %q hex u64, %c char, %% percent.
 */
static void vprint(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc_(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's': puts_(va_arg(ap, const char *)); break;
		case 'S': put_safe(va_arg(ap, const char *)); break;
		case 'u': put_dec(va_arg(ap, uint32_t)); break;
		case 'x': put_hex(va_arg(ap, uint32_t), 1); break;
		case 'X': put_hex(va_arg(ap, uint32_t), 8); break;
		case 'q': put_hex(va_arg(ap, uint64_t), 1); break;
		case 'c': putc_((char)va_arg(ap, int)); break;
		case '%': putc_('%'); break;
		case 0: return;
		default: putc_('%'); putc_(*fmt); break;
		}
	}
}

static void print(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

/* In .data, not .bss: a loader that puts modules over our BSS must not
 * be able to garble the verdict count. */
static uint32_t n_fail __attribute__((section(".data")));
static uint32_t n_checks __attribute__((section(".data")));

/* One check line: "PASS name detail" / "FAIL name detail". */
static int check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;
	n_checks++;
	if (!ok)
		n_fail++;
	puts_(ok ? "PASS " : "FAIL ");
	puts_(name);
	putc_(' ');
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	putc_('\n');
	return ok;
}

/* Check name with an index, e.g. "mod3.crc". */
static char *idx_name(char *buf, const char *pre, uint32_t i, const char *post)
{
	char *p = buf, tmp[11];
	int n = 0;
	while (*pre)
		*p++ = *pre++;
	do {
		tmp[n++] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	while (n)
		*p++ = tmp[--n];
	while (*post)
		*p++ = *post++;
	*p = 0;
	return buf;
}

/* ----------------------------------------------------------------- CRC-32 */

static uint32_t crc_tab[8][256];

static void crc_init(void)
{
	uint32_t i, j, c;
	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
		crc_tab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			crc_tab[j][i] = (crc_tab[j - 1][i] >> 8) ^
				crc_tab[0][crc_tab[j - 1][i] & 0xFF];
}

/* CRC-32 (IEEE, reflected, as zlib/gzip) over [p, p+len). Slicing-by-8. */
static uint32_t crc32_buf(const uint8_t *p, uint32_t len)
{
	uint32_t crc = 0xFFFFFFFFu;
	while (len && ((uintptr_t)p & 3)) {
		crc = crc_tab[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		uint32_t a = *(const uint32_t *)p ^ crc;
		uint32_t b = *(const uint32_t *)(p + 4);
		crc = crc_tab[7][a & 0xFF] ^ crc_tab[6][(a >> 8) & 0xFF] ^
		      crc_tab[5][(a >> 16) & 0xFF] ^ crc_tab[4][a >> 24] ^
		      crc_tab[3][b & 0xFF] ^ crc_tab[2][(b >> 8) & 0xFF] ^
		      crc_tab[1][(b >> 16) & 0xFF] ^ crc_tab[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = crc_tab[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

/* --------------------------------------------------------------- fw_cfg */

#define FW_CFG_SEL  0x510
#define FW_CFG_DATA 0x511

static void fw_read(void *buf, uint32_t n)
{
	uint8_t *p = buf;
	while (n--)
		*p++ = inb(FW_CFG_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | ((uint64_t)le32(p + 4) << 32);
}

/* Returns number of e820 entries read, or -1 if unavailable. */
static int fw_e820(struct range *out, int max)
{
	uint8_t sig[4], ent[64];
	uint32_t count, i, size = 0;
	uint16_t sel = 0;
	int n = 0;

	outw(FW_CFG_SEL, 0x0000);
	fw_read(sig, 4);
	if (memcmp(sig, "QEMU", 4))
		return -1;
	outw(FW_CFG_SEL, 0x0019);
	fw_read(sig, 4);
	count = be32(sig);
	if (count > 4096)
		return -1;
	for (i = 0; i < count; i++) {
		fw_read(ent, 64);
		ent[63] = 0;
		if (!memcmp(ent + 8, "etc/e820", 9)) {
			size = be32(ent);
			sel = (uint16_t)((ent[4] << 8) | ent[5]);
		}
	}
	if (!sel)
		return -1;
	outw(FW_CFG_SEL, sel);
	for (i = 0; i + 20 <= size && n < max; i += 20) {
		fw_read(ent, 20);
		out[n].base = le64(ent);
		out[n].len = le64(ent + 8);
		out[n].type = le32(ent + 16);
		n++;
	}
	return n;
}

/* --------------------------------------------------------------- ranges */

/* Sort by base and merge overlapping/adjacent ranges (type ignored). */
static int merge_ranges(struct range *r, int n)
{
	int i, j, m;
	for (i = 1; i < n; i++) {
		struct range t = r[i];
		for (j = i; j > 0 && r[j - 1].base > t.base; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
	m = 0;
	for (i = 0; i < n; i++) {
		if (!r[i].len)
			continue;
		if (m && r[i].base <= r[m - 1].base + r[m - 1].len) {
			uint64_t e = r[i].base + r[i].len;
			if (e > r[m - 1].base + r[m - 1].len)
				r[m - 1].len = e - r[m - 1].base;
		} else {
			r[m++] = r[i];
		}
	}
	return m;
}

/* Is [b, e) inside one of the merged ranges? */
static int inside(const struct range *r, int n, uint64_t b, uint64_t e)
{
	int i;
	for (i = 0; i < n; i++)
		if (b >= r[i].base && e <= r[i].base + r[i].len)
			return 1;
	return 0;
}

/* Bytes of the merged ranges at or above 'floor'. */
static uint64_t total_above(const struct range *r, int n, uint64_t floor)
{
	uint64_t t = 0;
	int i;
	for (i = 0; i < n; i++) {
		uint64_t b = r[i].base, e = r[i].base + r[i].len;
		if (e <= floor)
			continue;
		if (b < floor)
			b = floor;
		t += e - b;
	}
	return t;
}

static int overlaps(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	return a < b && c < d && a < d && c < b;
}

/* ---------------------------------------------------------- arg parsing */

/* Find "key" (e.g. "len=") at the start of a space-separated word of s,
 * skipping the first 'skip' words.  Returns pointer to the value or 0. */
static const char *find_arg(const char *s, const char *key, int skip)
{
	uint32_t klen = tk_strnlen(key, 64);
	int word = 0;
	while (s && *s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (word >= skip && !memcmp(s, key, klen) &&
		    tk_strnlen(s, klen) == klen)
			return s + klen;
		while (*s && *s != ' ')
			s++;
		word++;
	}
	return 0;
}

static uint32_t word_len(const char *s)
{
	uint32_t n = 0;
	while (s[n] && s[n] != ' ' && n < STRLEN_MAX)
		n++;
	return n;
}

/* Does the first word of s equal the word starting at v? */
static int first_word_is(const char *s, const char *v)
{
	uint32_t a, b;
	while (*s == ' ')
		s++;
	a = word_len(s);
	b = word_len(v);
	return a == b && !memcmp(s, v, a);
}

static int parse_dec(const char *v, uint32_t *out)
{
	uint64_t x = 0;
	int n = 0;
	while (*v >= '0' && *v <= '9') {
		x = x * 10 + (uint32_t)(*v++ - '0');
		if (x > 0xFFFFFFFFu)
			return 0;
		n++;
	}
	if (!n || (*v && *v != ' '))
		return 0;
	*out = (uint32_t)x;
	return 1;
}

static int parse_hex8(const char *v, uint32_t *out)
{
	uint32_t x = 0;
	int n;
	for (n = 0; n < 8; n++) {
		char c = v[n];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return 0;
		x = (x << 4) | d;
	}
	if (v[8] && v[8] != ' ')
		return 0;
	*out = x;
	return 1;
}

/* Print the word starting at v (sanitized). */
static void put_word(const char *v)
{
	uint32_t i, n = word_len(v);
	for (i = 0; i < n && i < STR_CAP; i++) {
		uint8_t c = (uint8_t)v[i];
		putc_((c < 0x20 || c >= 0x7f) ? '?' : (char)c);
	}
}

/* ------------------------------------------------------------- segments */

static const char *const seg_names[6] = {
	"seg.cs", "seg.ds", "seg.es", "seg.fs", "seg.gs", "seg.ss"
};

static void check_segment(int i)
{
	uint32_t sel = tk_save.sel[i] & 0xFFFF;
	uint32_t lo = tk_save.desc[i][0], hi = tk_save.desc[i][1];
	uint32_t base, limit, access, type;
	const char *why = 0;

	if ((sel & ~3u) == 0) {
		check(0, seg_names[i], "sel=0x%x null selector", sel);
		return;
	}
	if (sel & 4) {
		check(0, seg_names[i], "sel=0x%x refers to the LDT", sel);
		return;
	}
	if (!tk_save.desc_ok[i]) {
		check(0, seg_names[i], "sel=0x%x beyond GDT limit 0x%x", sel,
		      (uint32_t)tk_save.gdtr_limit);
		return;
	}
	base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000u);
	limit = (lo & 0xFFFF) | (hi & 0x000F0000u);
	if (hi & (1u << 23))
		limit = (limit << 12) | 0xFFF;
	access = (hi >> 8) & 0xFF;
	type = access & 0xF;

	if (!(access & 0x80))
		why = "not present";
	else if (!(access & 0x10))
		why = "system descriptor";
	else if (base != 0)
		why = "base not 0";
	else if (limit != 0xFFFFFFFFu)
		why = "limit not 4 GiB";
	else if (i == 0) {
		if (!(type & 8))
			why = "CS not a code segment";
		else if (!(hi & (1u << 22)))
			why = "CS not 32-bit (D=0)";
	} else {
		if (type & 8)
			why = "not a data segment";
		else if (!(type & 2))
			why = "not writable";
		else if (type & 4)
			why = "expand-down";
		else if (i == 5 && !(hi & (1u << 22)))
			why = "SS B=0";
	}
	check(!why, seg_names[i], "sel=0x%x desc=%X%X base=0x%x limit=0x%x%s%s",
	      sel, hi, lo, base, limit, why ? " " : "", why ? why : "");
}

/* ----------------------------------------------------------------- main */

static void tk_exit(int fail)
{
	uint32_t spin = 1000000;
	/* Let the UART drain (transmitter empty) before QEMU goes away. */
	while (!(inb(COM1 + 5) & 0x40) && --spin)
		;
	outb(0xF4, fail ? 1 : 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static struct range mm[MAX_MMAP];     /* MBI mmap entries, raw order */
static struct range usable[MAX_MMAP]; /* merged type-1 ranges */
static struct range fw[MAX_E820];
static struct range fwram[MAX_E820];  /* merged type-1 fw_cfg ranges */

struct obj {
	const char *what;
	uint32_t idx;
	uint64_t b, e;
};
static struct obj objs[2 * MAX_MODS + 16];

void tk_main(void);
void tk_main(void)
{
	/* 1. BSS check first: nothing in .bss has been written yet.  The range
	 * starts right after the loaded bytes (__load_end), so the padding
	 * before .bss must be zero too. */
	const volatile uint32_t *bp = (const volatile uint32_t *)__load_end;
	const volatile uint32_t *be = (const volatile uint32_t *)__bss_end;
	uint32_t bss_bad = 0, bss_first = 0;
	for (; bp < be; bp++)
		if (*bp) {
			if (!bss_bad)
				bss_first = (uint32_t)(uintptr_t)bp;
			bss_bad++;
		}

	const struct mbi *mbi = (const struct mbi *)(uintptr_t)tk_save.ebx;
	uint32_t flags = 0, i, j;
	const char *cmdline = 0;
	int n_mm = 0, n_us = 0, n_fw = -1, n_fwram = 0, mm_ok = 1;
	char nbuf[32];

	serial_init();
	print("\nTK START %s\n", TK_NAME);

	/* ---- machine state ---- */
	check(tk_save.eax == MB_BOOT_MAGIC, "magic", "eax=0x%X", tk_save.eax);
	check((tk_save.cr0 & 1) && !(tk_save.cr0 & 0x80000000u), "cr0",
	      "cr0=0x%X PE=%u PG=%u", tk_save.cr0, tk_save.cr0 & 1,
	      tk_save.cr0 >> 31);
	check(!(tk_save.eflags & (1u << 9)) && !(tk_save.eflags & (1u << 17)),
	      "eflags", "eflags=0x%X IF=%u VM=%u", tk_save.eflags,
	      (tk_save.eflags >> 9) & 1, (tk_save.eflags >> 17) & 1);
	print("INFO gdtr base=0x%x limit=0x%x esp=0x%x\n", tk_save.gdtr_base,
	      (uint32_t)tk_save.gdtr_limit, tk_save.esp);
	for (i = 0; i < 6; i++)
		check_segment((int)i);

	/* A20: write our high variable, the alias 1 MiB lower must not follow. */
	{
		volatile uint32_t *hi = &tk_a20_probe;
		uint32_t a = (uint32_t)(uintptr_t)hi;
		if (!(a & 0x100000)) {
			check(0, "a20", "probe at 0x%x lacks bit 20: untestable", a);
		} else {
			const volatile uint32_t *lo =
				(const volatile uint32_t *)(uintptr_t)(a - 0x100000);
			uint32_t l0 = *lo, ok = 1, k;
			for (k = 0; k < 2 && ok; k++) {
				uint32_t v = k ? ~(*lo) : (*lo ^ 0x5A5A5A5Au);
				*hi = v;
				__asm__ volatile("" ::: "memory");
				if (*lo == v)
					ok = 0;
			}
			check(ok, "a20", "probe=0x%x alias=0x%x alias_value=0x%X%s", a,
			      a - 0x100000, l0, ok ? "" : " alias follows: A20 masked");
		}
	}

	check(!bss_bad, "bss", "range=0x%x-0x%x probe=%u bytes nonzero_words=%u first=0x%x",
	      (uint32_t)(uintptr_t)__load_end, (uint32_t)(uintptr_t)__bss_end,
	      (uint32_t)sizeof(tk_bss_probe), bss_bad, bss_first);

	crc_init();

	if (!mbi) {
		check(0, "mbi.flags", "EBX is 0, no boot information");
		goto verdict;
	}

	/* ---- boot information ---- */
	flags = mbi->flags;
	{
		uint32_t need = MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER;
		check((flags & need) == need, "mbi.flags",
		      "mbi=0x%x flags=0x%X missing=0x%x", tk_save.ebx, flags,
		      need & ~flags);
	}

	if ((flags & MBI_LOADER) && mbi->boot_loader_name)
		print("INFO loader=%S\n", (const char *)(uintptr_t)mbi->boot_loader_name);
	if ((flags & MBI_CMDLINE) && mbi->cmdline) {
		cmdline = (const char *)(uintptr_t)mbi->cmdline;
		print("INFO cmdline=%S\n", cmdline);
	}

	/* ---- memory map ---- */
	if (!(flags & MBI_MMAP)) {
		check(0, "mmap.format", "flag 6 not set");
		mm_ok = 0;
	} else {
		uint32_t off = 0, len = mbi->mmap_length;
		const uint8_t *p = (const uint8_t *)(uintptr_t)mbi->mmap_addr;
		const char *why = 0;
		if (!len || !p)
			why = "empty";
		while (!why && off < len) {
			uint32_t sz;
			if (off + 4 > len) {
				why = "trailing bytes";
				break;
			}
			sz = le32(p + off);
			if (sz < 20) {
				why = "entry size < 20";
				break;
			}
			if (off + 4 + sz > len || off + 4 + sz < off) {
				why = "entry overruns mmap_length";
				break;
			}
			if (n_mm >= MAX_MMAP) {
				why = "too many entries";
				break;
			}
			mm[n_mm].base = le64(p + off + 4);
			mm[n_mm].len = le64(p + off + 12);
			mm[n_mm].type = le32(p + off + 20);
			print("INFO mmap 0x%q 0x%q %u\n", mm[n_mm].base,
			      mm[n_mm].len, mm[n_mm].type);
			if (mm[n_mm].type == 0)
				why = "type 0";
			else if (mm[n_mm].base + mm[n_mm].len < mm[n_mm].base)
				why = "range wraps";
			n_mm++;
			off += sz + 4;
		}
		for (i = 0; i < (uint32_t)n_mm; i++)
			if (mm[i].type == 1)
				usable[n_us++] = mm[i];
		n_us = merge_ranges(usable, n_us);
		if (!why && !n_us)
			why = "no usable entry";
		mm_ok = !why;
		check(!why, "mmap.format", "addr=0x%x length=%u entries=%u%s%s",
		      mbi->mmap_addr, len, (uint32_t)n_mm, why ? " " : "",
		      why ? why : "");
	}

	n_fw = fw_e820(fw, MAX_E820);
	for (i = 0; n_fw > 0 && i < (uint32_t)n_fw; i++) {
		print("INFO e820 0x%q 0x%q %u\n", fw[i].base, fw[i].len, fw[i].type);
		if (fw[i].type == 1)
			fwram[n_fwram++] = fw[i];
	}
	n_fwram = merge_ranges(fwram, n_fwram);

	if (n_fw <= 0 || !n_fwram) {
		check(0, "mmap.vs_e820", "fw_cfg etc/e820 not available");
		check(0, "mmap.high", "fw_cfg etc/e820 not available");
	} else if (!(flags & MBI_MMAP)) {
		check(0, "mmap.vs_e820", "no mmap");
		check(0, "mmap.high", "no mmap");
	} else {
		uint64_t mb_tot = total_above(usable, n_us, 0x100000);
		uint64_t fw_tot = total_above(fwram, n_fwram, 0x100000);
		int bad = -1, ok;
		for (i = 0; i < (uint32_t)n_us; i++)
			if (!inside(fwram, n_fwram, usable[i].base,
				    usable[i].base + usable[i].len)) {
				bad = (int)i;
				break;
			}
		ok = bad < 0 && mb_tot * 100 >= fw_tot * 99;
		if (bad >= 0)
			check(0, "mmap.vs_e820",
			      "usable 0x%q+0x%q not RAM per fw_cfg",
			      usable[bad].base, usable[bad].len);
		else
			check(ok, "mmap.vs_e820",
			      "usable_above_1M=%u KiB fw_ram_above_1M=%u KiB",
			      (uint32_t)(mb_tot >> 10), (uint32_t)(fw_tot >> 10));

		/* RAM above 4 GiB must be reported usable, all of it. */
		{
			uint64_t fw_hi = total_above(fwram, n_fwram, 1ULL << 32);
			uint64_t mb_hi = total_above(usable, n_us, 1ULL << 32);
			int missing = -1;
			for (i = 0; i < (uint32_t)n_fwram; i++) {
				uint64_t b = fwram[i].base, e = b + fwram[i].len;
				if (e <= (1ULL << 32))
					continue;
				if (b < (1ULL << 32))
					b = 1ULL << 32;
				if (!inside(usable, n_us, b, e)) {
					missing = (int)i;
					break;
				}
			}
			if (!fw_hi)
				check(1, "mmap.high", "no fw_cfg RAM above 4 GiB");
			else
				check(missing < 0, "mmap.high",
				      "fw_ram_above_4G=%u MiB usable_above_4G=%u MiB%s",
				      (uint32_t)(fw_hi >> 20), (uint32_t)(mb_hi >> 20),
				      missing < 0 ? "" : " not all covered");
		}
	}

	/* mem_lower / mem_upper against the usable map. */
	if (!(flags & MBI_MEM)) {
		check(0, "mem.lower", "flag 0 not set");
		check(0, "mem.upper", "flag 0 not set");
	} else if (!mm_ok) {
		check(0, "mem.lower", "mem_lower=%u no valid mmap", mbi->mem_lower);
		check(0, "mem.upper", "mem_upper=%u no valid mmap", mbi->mem_upper);
	} else {
		uint64_t lo = 0, up = 0;
		for (i = 0; i < (uint32_t)n_us; i++) {
			if (usable[i].base == 0)
				lo = usable[i].len >> 10;
			if (usable[i].base <= 0x100000 &&
			    usable[i].base + usable[i].len > 0x100000)
				up = (usable[i].base + usable[i].len - 0x100000) >> 10;
		}
		check(mbi->mem_lower == lo && lo <= 640, "mem.lower",
		      "mem_lower=%u mmap=%u KiB", mbi->mem_lower, (uint32_t)lo);
		check(mbi->mem_upper == up, "mem.upper",
		      "mem_upper=%u mmap=%u KiB", mbi->mem_upper, (uint32_t)up);
	}

	/* ---- command line ---- */
	check(cmdline != 0, "cmdline.present", "flag=%u ptr=0x%x",
	      (flags >> 2) & 1, (flags & MBI_CMDLINE) ? mbi->cmdline : 0);
	if (cmdline) {
		const char *v = find_arg(cmdline, "tk.name=", 0);
		if (v) {
			int ok = first_word_is(cmdline, v);
			const char *f = cmdline;
			while (*f == ' ')
				f++;
			print("%s cmdline.name expect=", ok ? "PASS" : "FAIL");
			put_word(v);
			puts_(" got=");
			put_word(f);
			puts_("\n");
			n_checks++;
			n_fail += !ok;
		}
	}

	/* ---- loader name ---- */
	{
		const char *ln = (flags & MBI_LOADER) ?
			(const char *)(uintptr_t)mbi->boot_loader_name : 0;
		const char *pfx = cmdline ? find_arg(cmdline, "tk.loader=", 0) : 0;
		if (!ln)
			check(0, "loader_name", "absent (flag 9 %s)",
			      (flags & MBI_LOADER) ? "set, ptr 0" : "not set");
		else if (!*ln)
			check(0, "loader_name", "empty");
		else if (pfx) {
			uint32_t pl = word_len(pfx);
			int ok = tk_strnlen(ln, pl) == pl && !memcmp(ln, pfx, pl);
			print("%s loader_name name=%S prefix=", ok ? "PASS" : "FAIL", ln);
			put_word(pfx);
			puts_("\n");
			n_checks++;
			n_fail += !ok;
		} else
			check(1, "loader_name", "name=%S", ln);
	}

	/* ---- modules ---- */
	{
		uint32_t count = (flags & MBI_MODS) ? mbi->mods_count : 0;
		const struct mb_mod *mods = (flags & MBI_MODS) ?
			(const struct mb_mod *)(uintptr_t)mbi->mods_addr : 0;
		const char *v = cmdline ? find_arg(cmdline, "tk.mods=", 0) : 0;
		uint32_t want, n_obj = 0, mbi_size;
		uint64_t kb = (uintptr_t)__kernel_start, ke = (uintptr_t)__kernel_end;

		if (v) {
			if (parse_dec(v, &want))
				check(count == want, "mods.count",
				      "flag=%u mods_count=%u expect=%u",
				      (flags >> 3) & 1, count, want);
			else
				check(0, "mods.count", "bad tk.mods= value");
		}
		if (count > MAX_MODS) {
			check(0, "mods.limit", "mods_count=%u > %u, checking %u",
			      count, MAX_MODS, MAX_MODS);
			count = MAX_MODS;
		}
		if (count && !mods) {
			check(0, "mods.addr", "mods_addr is 0");
			count = 0;
		}

		for (i = 0; i < count; i++) {
			const struct mb_mod *m = &mods[i];
			const char *s = (const char *)(uintptr_t)m->string;
			uint32_t len, crc, got;
			const char *a;

			print("INFO mod%u start=0x%x end=0x%x string=%S\n", i,
			      m->mod_start, m->mod_end, s ? s : "");
			check(!(m->mod_start & 0xFFF), idx_name(nbuf, "mod", i, ".align"),
			      "start=0x%x", m->mod_start);

			a = s ? find_arg(s, "len=", 1) : 0;
			if (!a || !parse_dec(a, &len))
				check(0, idx_name(nbuf, "mod", i, ".len"),
				      "no valid len= in module string (size=%u)",
				      m->mod_end - m->mod_start);
			else
				check(m->mod_end >= m->mod_start &&
				      m->mod_end - m->mod_start == len,
				      idx_name(nbuf, "mod", i, ".len"),
				      "size=%u expect=%u", m->mod_end - m->mod_start, len);

			a = s ? find_arg(s, "crc=", 1) : 0;
			if (!a || !parse_hex8(a, &crc))
				check(0, idx_name(nbuf, "mod", i, ".crc"),
				      "no valid crc= in module string");
			else if (m->mod_end < m->mod_start)
				check(0, idx_name(nbuf, "mod", i, ".crc"),
				      "end < start");
			else {
				got = crc32_buf((const uint8_t *)(uintptr_t)m->mod_start,
						m->mod_end - m->mod_start);
				check(got == crc, idx_name(nbuf, "mod", i, ".crc"),
				      "crc=%X expect=%X", got, crc);
			}

			check(m->mod_end >= m->mod_start &&
			      inside(usable, n_us, m->mod_start, m->mod_end),
			      idx_name(nbuf, "mod", i, ".inram"),
			      "range=0x%x-0x%x", m->mod_start, m->mod_end);

			a = s ? find_arg(s, "name=", 1) : 0;
			if (a) {
				int ok = first_word_is(s, a);
				const char *f = s;
				while (*f == ' ')
					f++;
				print("%s mod%u.name expect=", ok ? "PASS" : "FAIL", i);
				put_word(a);
				puts_(" got=");
				put_word(f);
				puts_("\n");
				n_checks++;
				n_fail += !ok;
			}
		}

		/* Loader-owned objects, for overlap checks.  MBI size: through the
		 * last field group whose flag is set (at least up to
		 * boot_loader_name). */
		mbi_size = 68;
		if (flags & MBI_APM)
			mbi_size = 72;
		if (flags & MBI_VBE)
			mbi_size = 88;
		if (flags & MBI_FB)
			mbi_size = 116;
#define ADD(w, k, B, E) do { objs[n_obj].what = (w); objs[n_obj].idx = (k); \
		objs[n_obj].b = (B); objs[n_obj].e = (E); n_obj++; } while (0)
		ADD("mbi", 0, tk_save.ebx, (uint64_t)tk_save.ebx + mbi_size);
		if (cmdline)
			ADD("cmdline", 0, mbi->cmdline,
			    (uint64_t)mbi->cmdline + tk_strnlen(cmdline, STRLEN_MAX) + 1);
		if (count)
			ADD("mods_array", 0, mbi->mods_addr,
			    (uint64_t)mbi->mods_addr + 16ULL * count);
		if (flags & MBI_MMAP)
			ADD("mmap", 0, mbi->mmap_addr,
			    (uint64_t)mbi->mmap_addr + mbi->mmap_length);
		if ((flags & MBI_LOADER) && mbi->boot_loader_name)
			ADD("loader_name", 0, mbi->boot_loader_name,
			    (uint64_t)mbi->boot_loader_name +
			    tk_strnlen((const char *)(uintptr_t)mbi->boot_loader_name,
				       STRLEN_MAX) + 1);
		if ((flags & MBI_DRIVES) && mbi->drives_length)
			ADD("drives", 0, mbi->drives_addr,
			    (uint64_t)mbi->drives_addr + mbi->drives_length);
		for (i = 0; i < count; i++)
			if (mods[i].string)
				ADD("mod_string", i, mods[i].string,
				    (uint64_t)mods[i].string +
				    tk_strnlen((const char *)(uintptr_t)mods[i].string,
					       STRLEN_MAX) + 1);
		{
			uint32_t first_mod = n_obj;
			for (i = 0; i < count; i++)
				ADD("mod", i, mods[i].mod_start, mods[i].mod_end);

			/* mods.overlap */
			{
				int bad = 0;
				uint32_t x = 0, y = 0;
				for (i = first_mod; i < n_obj && !bad; i++)
					for (j = i + 1; j < n_obj && !bad; j++)
						if (overlaps(objs[i].b, objs[i].e, objs[j].b, objs[j].e)) {
							bad = 1;
							x = objs[i].idx;
							y = objs[j].idx;
						}
				if (count)
					check(!bad, "mods.overlap", bad ? "mod%u overlaps mod%u" :
					      "%u modules disjoint", bad ? x : count, y);
			}
			/* overlap.kernel: every loader object vs the kernel image */
			{
				int bad = -1;
				for (i = 0; i < n_obj && bad < 0; i++)
					if (overlaps(objs[i].b, objs[i].e, kb, ke))
						bad = (int)i;
				if (bad < 0)
					check(1, "overlap.kernel", "kernel=0x%x-0x%x objects=%u",
					      (uint32_t)kb, (uint32_t)ke, n_obj);
				else
					check(0, "overlap.kernel",
					      "kernel=0x%x-0x%x %s%u=0x%q-0x%q",
					      (uint32_t)kb, (uint32_t)ke, objs[bad].what,
					      objs[bad].idx, objs[bad].b, objs[bad].e);
			}
			/* overlap.mbi: modules vs the loader's info structures */
			{
				int bm = -1, bo = -1;
				for (i = first_mod; i < n_obj && bm < 0; i++)
					for (j = 0; j < first_mod && bm < 0; j++)
						if (overlaps(objs[i].b, objs[i].e, objs[j].b, objs[j].e)) {
							bm = (int)i;
							bo = (int)j;
						}
				if (bm < 0)
					check(1, "overlap.mbi", "mbi_size=%u structures=%u",
					      mbi_size, first_mod);
				else
					check(0, "overlap.mbi", "mod%u overlaps %s%u=0x%q-0x%q",
					      objs[bm].idx, objs[bo].what, objs[bo].idx,
					      objs[bo].b, objs[bo].e);
			}
		}
#undef ADD
	}

	if (cmdline) {
		const char *v = find_arg(cmdline, "tk.selftest_fail=", 0);
		if (v && *v == '1')
			check(0, "selftest", "deliberate failure (tk.selftest_fail=1)");
	}

verdict:
	if (n_fail)
		print("TK VERDICT FAIL n=%u\n", n_fail);
	else
		print("TK VERDICT PASS\n");
	tk_exit(n_fail != 0);
}
