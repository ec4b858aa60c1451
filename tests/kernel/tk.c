/*
 * Multiboot 1 and 2 conformance test kernel ("tk").
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Written from the Multiboot 0.6.96 specification (sections 3.2 and 3.3)
 * and the Multiboot 2.0 specification (sections 3.3 and 3.6).
 * Checks the machine state and boot information at entry, prints one line
 * per check on COM1 and ends QEMU through isa-debug-exit.  The output
 * protocol is described in PROTOCOL.md.
 *
 * Build-time defines:
 *   TK_NAME       packaging name printed in "TK START" (string literal)
 *   TK_BSS_PROBE  size in bytes of the dedicated zero-checked BSS array
 *   TK_MB2        1: Multiboot 2 only image, checks the Multiboot 2 boot
 *                 information (specification 2.0, sections 3.3 and 3.6);
 *                 2: image with both headers, the protocol follows EAX
 *   TK_PIE        built position independent (-fpie) for the relocatable
 *                 packaging; entry.asm applies the relocations
 */
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

#ifdef TK_PIE
/* Everything is inside this image: PC-relative (GOTOFF) access throughout,
 * and only R_386_RELATIVE relocations for entry.asm to apply. */
#pragma GCC visibility push(hidden)
#endif

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
#ifdef TK_PIE
extern uint32_t tk_reloc_delta, tk_reloc_count, tk_reloc_bad;
#endif
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

static uint32_t __attribute__((unused)) le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
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

/** 0 if the NUL-terminated strings @a and @b are equal (like strcmp). */
static int __attribute__((unused)) strcmp_k(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

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
static int n_mm, n_us;

struct obj {
	const char *what;
	uint32_t idx;
	uint64_t b, e;
};
static struct obj objs[2 * MAX_MODS + 16];
static uint32_t n_obj;

/* One module as either protocol describes it: [start, end) and its string. */
struct modrec {
	uint32_t start, end;
	const char *s;
};
static struct modrec mods_v[MAX_MODS];

static void add_obj(const char *what, uint32_t idx, uint64_t b, uint64_t e)
{
	objs[n_obj].what = what;
	objs[n_obj].idx = idx;
	objs[n_obj].b = b;
	objs[n_obj].e = e;
	n_obj++;
}

/* Parse one memory map entry {u64 base, u64 len, u32 type} at p into
 * mm[n_mm] and print it; returns why it is bad, or 0. */
static const char *mmap_entry(const uint8_t *p)
{
	const char *why = 0;
	mm[n_mm].base = le64(p);
	mm[n_mm].len = le64(p + 8);
	mm[n_mm].type = le32(p + 16);
	print("INFO mmap 0x%q 0x%q %u\n", mm[n_mm].base,
	      mm[n_mm].len, mm[n_mm].type);
	if (mm[n_mm].type == 0)
		why = "type 0";
	else if (mm[n_mm].base + mm[n_mm].len < mm[n_mm].base)
		why = "range wraps";
	n_mm++;
	return why;
}

/* usable[] from mm[]: the type-1 entries, merged. */
static void collect_usable(void)
{
	int i;
	for (i = 0; i < n_mm; i++)
		if (mm[i].type == 1)
			usable[n_us++] = mm[i];
	n_us = merge_ranges(usable, n_us);
}

/* mmap.vs_e820 and mmap.high: the loader's map against QEMU's fw_cfg.
 * @want_high (tk.highmem=1): the machine was given RAM above 4 GiB, so
 * mmap.high fails unless fw_cfg shows some; without it, a machine with
 * none passes mmap.high only if the map claims none either. */
static void check_vs_fw(int have_mmap, int want_high)
{
	int n_fw, n_fwram = 0, i;

	n_fw = fw_e820(fw, MAX_E820);
	for (i = 0; n_fw > 0 && i < n_fw; i++) {
		print("INFO e820 0x%q 0x%q %u\n", fw[i].base, fw[i].len, fw[i].type);
		if (fw[i].type == 1)
			fwram[n_fwram++] = fw[i];
	}
	n_fwram = merge_ranges(fwram, n_fwram);

	if (n_fw <= 0 || !n_fwram) {
		check(0, "mmap.vs_e820", "fw_cfg etc/e820 not available");
		check(0, "mmap.high", "fw_cfg etc/e820 not available");
	} else if (!have_mmap) {
		check(0, "mmap.vs_e820", "no mmap");
		check(0, "mmap.high", "no mmap");
	} else {
		uint64_t mb_tot = total_above(usable, n_us, 0x100000);
		uint64_t fw_tot = total_above(fwram, n_fwram, 0x100000);
		int bad = -1, ok;
		for (i = 0; i < n_us; i++)
			if (!inside(fwram, n_fwram, usable[i].base,
				    usable[i].base + usable[i].len)) {
				bad = i;
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
			for (i = 0; i < n_fwram; i++) {
				uint64_t b = fwram[i].base, e = b + fwram[i].len;
				if (e <= (1ULL << 32))
					continue;
				if (b < (1ULL << 32))
					b = 1ULL << 32;
				if (!inside(usable, n_us, b, e)) {
					missing = i;
					break;
				}
			}
			if (!fw_hi && want_high)
				check(0, "mmap.high", "tk.highmem=1 but fw_cfg "
				      "has no RAM above 4 GiB (QEMU -m 5G gives some)");
			else if (!fw_hi)
				check(!mb_hi, "mmap.high", "fw_ram_above_4G=0 "
				      "usable_above_4G=%u MiB%s",
				      (uint32_t)(mb_hi >> 20),
				      mb_hi ? " is more than there is" : "");
			else
				check(missing < 0, "mmap.high",
				      "fw_ram_above_4G=%u MiB usable_above_4G=%u MiB%s",
				      (uint32_t)(fw_hi >> 20), (uint32_t)(mb_hi >> 20),
				      missing < 0 ? "" : " not all covered");
		}
	}
}

/* mem.lower / mem.upper against the usable map.  @absent: why there are
 * no values (0 when there are). */
static void check_mem(const char *absent, int mm_ok, uint32_t lower,
		      uint32_t upper)
{
	uint64_t lo = 0, up = 0;
	int i;

	if (absent) {
		check(0, "mem.lower", "%s", absent);
		check(0, "mem.upper", "%s", absent);
		return;
	}
	if (!mm_ok) {
		check(0, "mem.lower", "mem_lower=%u no valid mmap", lower);
		check(0, "mem.upper", "mem_upper=%u no valid mmap", upper);
		return;
	}
	for (i = 0; i < n_us; i++) {
		if (usable[i].base == 0)
			lo = usable[i].len >> 10;
		if (usable[i].base <= 0x100000 &&
		    usable[i].base + usable[i].len > 0x100000)
			up = (usable[i].base + usable[i].len - 0x100000) >> 10;
	}
	check(lower == lo && lo <= 640, "mem.lower",
	      "mem_lower=%u mmap=%u KiB", lower, (uint32_t)lo);
	check(upper == up, "mem.upper",
	      "mem_upper=%u mmap=%u KiB", upper, (uint32_t)up);
}

/* 1 if the command line asks for RAM above 4 GiB (tk.highmem=1). */
static int want_highmem(const char *cmdline)
{
	const char *v = cmdline ? find_arg(cmdline, "tk.highmem=", 0) : 0;
	return v && v[0] == '1';
}

/* cmdline.name (only with tk.name=). */
static void check_cmdline_name(const char *cmdline)
{
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

/* loader_name; @absent_fmt/@absent_arg say why @ln is 0. */
static void check_loader(const char *ln, const char *cmdline,
			 const char *absent_fmt, const char *absent_arg)
{
	const char *pfx = cmdline ? find_arg(cmdline, "tk.loader=", 0) : 0;
	if (!ln)
		check(0, "loader_name", absent_fmt, absent_arg);
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

/* mod<i>.align/.len/.crc/.inram/.name for module @i. */
static void check_module(uint32_t i, const struct modrec *m)
{
	const char *s = m->s;
	uint32_t len, crc, got;
	const char *a;
	char nbuf[32];

	print("INFO mod%u start=0x%x end=0x%x string=%S\n", i,
	      m->start, m->end, s ? s : "");
	check(!(m->start & 0xFFF), idx_name(nbuf, "mod", i, ".align"),
	      "start=0x%x", m->start);

	a = s ? find_arg(s, "len=", 1) : 0;
	if (!a || !parse_dec(a, &len))
		check(0, idx_name(nbuf, "mod", i, ".len"),
		      "no valid len= in module string (size=%u)",
		      m->end - m->start);
	else
		check(m->end >= m->start && m->end - m->start == len,
		      idx_name(nbuf, "mod", i, ".len"),
		      "size=%u expect=%u", m->end - m->start, len);

	a = s ? find_arg(s, "crc=", 1) : 0;
	if (!a || !parse_hex8(a, &crc))
		check(0, idx_name(nbuf, "mod", i, ".crc"),
		      "no valid crc= in module string");
	else if (m->end < m->start)
		check(0, idx_name(nbuf, "mod", i, ".crc"), "end < start");
	else {
		got = crc32_buf((const uint8_t *)(uintptr_t)m->start,
				m->end - m->start);
		check(got == crc, idx_name(nbuf, "mod", i, ".crc"),
		      "crc=%X expect=%X", got, crc);
	}

	check(m->end >= m->start && inside(usable, n_us, m->start, m->end),
	      idx_name(nbuf, "mod", i, ".inram"),
	      "range=0x%x-0x%x", m->start, m->end);

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

/* mods.overlap, overlap.kernel, overlap.mbi.  objs[0, first_mod) are the
 * loader's structures; the @count modules are appended here. */
static void check_overlaps(uint32_t count, uint32_t info_size)
{
	uint64_t kb = (uintptr_t)__kernel_start, ke = (uintptr_t)__kernel_end;
	uint32_t first_mod = n_obj, i, j;

	for (i = 0; i < count; i++)
		add_obj("mod", i, mods_v[i].start, mods_v[i].end);

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
			      info_size, first_mod);
		else
			check(0, "overlap.mbi", "mod%u overlaps %s%u=0x%q-0x%q",
			      objs[bm].idx, objs[bo].what, objs[bo].idx,
			      objs[bo].b, objs[bo].e);
	}
}

/* --------------------------------------------------- Multiboot 1 info */

/* ---- tk.tpm=1: PCR 8 and 9 read from the TPM (measured boot) ----------
 * Through the TPM's FIFO (TIS) interface at 0xFED40000, locality 0 (TCG
 * PC Client Platform TPM Profile): request the locality, commandReady,
 * the command into the FIFO, tpmGo, wait for dataAvail, read the
 * response.  The command is TPM2_PCR_Read of PCRs 8 and 9, SHA-256 bank.
 * Lines: "TK PCR <n> sha256 <64 hex>" and check tpm.pcr_read; with
 * tk.tpm=2 also the firmware's event log, found through the ACPI TPM2
 * table (LASA, LAML), as "TK TPMLOG <hex>" lines of 32 bytes up to 32
 * bytes past its last non-zero byte (the reader finds where the records
 * end), and check tpm.log. */
#include "tis.h"

static void tpm_dump_log(void)
{
	const uint8_t *p, *rsdt = 0, *t = 0;
	uint32_t i, laml = 0, lasa = 0, used = 0;

	for (p = (const uint8_t *)0xe0000; p < (const uint8_t *)0x100000; p += 16)
		if (!memcmp(p, "RSD PTR ", 8)) {
			rsdt = (const uint8_t *)(uintptr_t)le32(p + 16);
			break;
		}
	for (i = 36; rsdt && i + 4 <= le32(rsdt + 4) && !t; i += 4) {
		const uint8_t *c = (const uint8_t *)(uintptr_t)le32(rsdt + i);
		if (!memcmp(c, "TPM2", 4) && le32(c + 4) >= 76)
			t = c;
	}
	if (t) {
		laml = le32(t + 64);
		lasa = le32(t + 68);
	}
	if (!lasa || !laml) {
		check(0, "tpm.log", "no ACPI TPM2 table with a log area");
		return;
	}
	p = (const uint8_t *)(uintptr_t)lasa;
	for (i = 0; i < laml; i++)
		if (p[i])
			used = i + 1;
	/* The last record may end in zero bytes (its text's NUL): 32 more. */
	used = (used + 31) / 32 * 32 + 32;
	if (used > laml)
		used = laml;
	for (i = 0; i < used; i += 32) {
		uint32_t k;
		puts_("TK TPMLOG ");
		for (k = i; k < i + 32 && k < used; k++)
			put_hex(p[k], 2);
		putc_('\n');
	}
	check(used > 0, "tpm.log", "lasa=0x%x laml=%u used=%u", lasa, laml, used);
}

static void tpm_report(const char *cmdline)
{
	const char *v = cmdline ? find_arg(cmdline, "tk.tpm=", 0) : 0;
	uint8_t pcr[2][32];
	const char *why;

	if (!v || (*v != '1' && *v != '2'))
		return;
	why = tis_pcr_read(pcr);
	for (uint32_t i = 0; !why && i < 2; i++) {
		print("TK PCR %u sha256 ", 8 + i);
		for (uint32_t k = 0; k < 32; k++)
			put_hex(pcr[i][k], 2);
		putc_('\n');
	}
	check(!why, "tpm.pcr_read", why ? "%s" : "PCRs 8 and 9 read", why);
	if (*v == '2')
		tpm_dump_log();
}

static void mb1_checks(void)
{
	const struct mbi *mbi = (const struct mbi *)(uintptr_t)tk_save.ebx;
	uint32_t flags = 0, i;
	const char *cmdline = 0;
	int mm_ok = 1;

	if (!mbi) {
		check(0, "mbi.flags", "EBX is 0, no boot information");
		return;
	}

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
			why = mmap_entry(p + off + 4);
			off += sz + 4;
		}
		collect_usable();
		if (!why && !n_us)
			why = "no usable entry";
		mm_ok = !why;
		check(!why, "mmap.format", "addr=0x%x length=%u entries=%u%s%s",
		      mbi->mmap_addr, len, (uint32_t)n_mm, why ? " " : "",
		      why ? why : "");
	}

	check_vs_fw(flags & MBI_MMAP, want_highmem(cmdline));
	check_mem((flags & MBI_MEM) ? 0 : "flag 0 not set", mm_ok,
		  mbi->mem_lower, mbi->mem_upper);

	/* ---- command line ---- */
	check(cmdline != 0, "cmdline.present", "flag=%u ptr=0x%x",
	      (flags >> 2) & 1, (flags & MBI_CMDLINE) ? mbi->cmdline : 0);
	if (cmdline)
		check_cmdline_name(cmdline);
	tpm_report(cmdline);

	/* ---- loader name ---- */
	check_loader((flags & MBI_LOADER) ?
		     (const char *)(uintptr_t)mbi->boot_loader_name : 0,
		     cmdline, "absent (flag 9 %s)",
		     (flags & MBI_LOADER) ? "set, ptr 0" : "not set");

	/* ---- APM table (flag 10): optional, but when given it must be the
	 * connected 32-bit interface (version, code segment and length, the
	 * 32-bit flag). ---- */
	if (flags & (1u << 10)) {
		const uint8_t *apm = (const uint8_t *)(uintptr_t)mbi->apm_table;
		check(apm && le16(apm) >= 0x100 && le16(apm + 2) &&
		      (le16(apm + 12) & 0x2) && le16(apm + 14), "apm",
		      "table=0x%x version=0x%x cseg=0x%x flags=0x%x cseg_len=0x%x",
		      mbi->apm_table, apm ? le16(apm) : 0, apm ? le16(apm + 2) : 0,
		      apm ? le16(apm + 12) : 0, apm ? le16(apm + 14) : 0);
	} else {
		print("INFO apm none (flag 10 clear)\n");
	}

	/* ---- tk.solaris=1|0: the stock module's Solaris DHCP hack ---- */
	{
		const char *v = cmdline ? find_arg(cmdline, "tk.solaris=", 0) : 0;
		const uint8_t *ack =
			(const uint8_t *)(uintptr_t)mbi->drives_addr;

		/* 1: the DHCP ACK in drives_addr/drives_length (a BOOTREPLY
		 * with the DHCP magic cookie), boot_device 0x20ffffff, flag
		 * 1 set and flag 7 clear.  0: none of it. */
		if (v && *v == '1')
			check((flags & MBI_BOOTDEV) && !(flags & MBI_DRIVES) &&
			      mbi->boot_device == 0x20ffffffu &&
			      mbi->drives_length >= 240 && ack && ack[0] == 2 &&
			      ack[236] == 99 && ack[237] == 130 &&
			      ack[238] == 83 && ack[239] == 99,
			      "solaris", "flags=0x%X boot_device=0x%x drives=0x%x+%u op=%u",
			      flags, mbi->boot_device, mbi->drives_addr,
			      mbi->drives_length, ack ? ack[0] : 0);
		else if (v)
			check(!(flags & MBI_BOOTDEV) && !mbi->drives_length,
			      "solaris", "flags=0x%X drives_length=%u", flags,
			      mbi->drives_length);
	}

	/* ---- modules ---- */
	{
		uint32_t count = (flags & MBI_MODS) ? mbi->mods_count : 0;
		const struct mb_mod *mods = (flags & MBI_MODS) ?
			(const struct mb_mod *)(uintptr_t)mbi->mods_addr : 0;
		const char *v = cmdline ? find_arg(cmdline, "tk.mods=", 0) : 0;
		uint32_t want, mbi_size;

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
			mods_v[i].start = mods[i].mod_start;
			mods_v[i].end = mods[i].mod_end;
			mods_v[i].s = (const char *)(uintptr_t)mods[i].string;
			check_module(i, &mods_v[i]);
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
		add_obj("mbi", 0, tk_save.ebx, (uint64_t)tk_save.ebx + mbi_size);
		if (cmdline)
			add_obj("cmdline", 0, mbi->cmdline,
				(uint64_t)mbi->cmdline + tk_strnlen(cmdline, STRLEN_MAX) + 1);
		if (count)
			add_obj("mods_array", 0, mbi->mods_addr,
				(uint64_t)mbi->mods_addr + 16ULL * count);
		if (flags & MBI_MMAP)
			add_obj("mmap", 0, mbi->mmap_addr,
				(uint64_t)mbi->mmap_addr + mbi->mmap_length);
		if ((flags & MBI_LOADER) && mbi->boot_loader_name)
			add_obj("loader_name", 0, mbi->boot_loader_name,
				(uint64_t)mbi->boot_loader_name +
				tk_strnlen((const char *)(uintptr_t)mbi->boot_loader_name,
					   STRLEN_MAX) + 1);
		if ((flags & MBI_DRIVES) && mbi->drives_length)
			add_obj("drives", 0, mbi->drives_addr,
				(uint64_t)mbi->drives_addr + mbi->drives_length);
		for (i = 0; i < count; i++)
			if (mods[i].string)
				add_obj("mod_string", i, mods[i].string,
					(uint64_t)mods[i].string +
					tk_strnlen((const char *)(uintptr_t)mods[i].string,
						   STRLEN_MAX) + 1);
		check_overlaps(count, mbi_size);
	}

	if (cmdline) {
		const char *v = find_arg(cmdline, "tk.selftest_fail=", 0);
		if (v && *v == '1')
			check(0, "selftest", "deliberate failure (tk.selftest_fail=1)");
	}
}

#ifdef TK_MB2
/* --------------------------------------------------- Multiboot 2 info */

#define MB2_BOOT_MAGIC 0x36D76289u
#define MB2_INFO_MAX   (16u << 20)  /* a sane bound for total_size */

/* The types our header requests without the optional flag (entry.asm),
 * except 3 (modules), which is only present when there are modules. */
#define MB2_REQUIRED ((1u << 1) | (1u << 2) | (1u << 4) | (1u << 6) | \
		      (1u << 16) | (1u << 21))

static const char *const mb2_tag_names[22] = {
	"end", "cmdline", "loader_name", "module", "basic_meminfo", "bootdev",
	"mmap", "vbe", "framebuffer", "elf_sections", "apm", "efi32", "efi64",
	"smbios", "acpi_old", "acpi_new", "network", "efi_mmap", "efi_bs",
	"efi32_ih", "efi64_ih", "load_base",
};

/* Is there a NUL in [s, s+n)? */
static int has_nul(const char *s, uint32_t n)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		if (!s[i])
			return 1;
	return 0;
}

static uint8_t sum8(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static void mb2_checks(void)
{
	uint32_t base = tk_save.ebx, total = 0, off, i;
	const uint8_t *info = (const uint8_t *)(uintptr_t)base;
	const char *cmdline = 0, *loader = 0, *tags_why = 0;
	const uint8_t *meminfo = 0, *mmap = 0, *acpi_old = 0, *acpi_new = 0;
	const uint8_t *net = 0, *lbase = 0, *elfsec = 0, *apm = 0;
	uint32_t elfsec_size = 0;
	uint32_t seen = 0, dup = 0, n_tags = 0, count = 0, mod_tags = 0;
	uint32_t acpi_new_size = 0, net_size = 0, mmap_size = 0;
	int end_ok = 0, mm_ok = 0;
	char why_buf[64];

	if (!base) {
		check(0, "mbi.align", "EBX is 0, no boot information");
		return;
	}
	check(!(base & 7), "mbi.align", "mbi=0x%x", base);

	/* ---- the tag list ---- */
	total = le32(info);
	if (total < 16 || total > MB2_INFO_MAX || (uint64_t)base + total > (1ULL << 32))
		tags_why = "total_size out of range";
	for (off = 8; !tags_why;) {
		uint32_t type, size;
		const uint8_t *t = info + off;
		if (off + 8 > total) {
			tags_why = "no end tag before total_size";
			break;
		}
		type = le32(t);
		size = le32(t + 4);
		n_tags++;
		print("INFO tag %u size=%u at=0x%x %s\n", type, size, base + off,
		      type < 22 ? mb2_tag_names[type] : "unknown");
		if (size < 8 || size > total - off) {
			tags_why = "tag size below 8 or past total_size";
			break;
		}
		if (type < 32) {
			if ((seen & (1u << type)) && type != 3)
				dup |= 1u << type;
			seen |= 1u << type;
		}
		switch (type) {
		case 0:
			if (size != 8)
				tags_why = "end tag size not 8";
			else if (off + 8 != total)
				tags_why = "end tag does not end at total_size";
			else
				end_ok = 1;
			break;
		case 1:
		case 2:
			if (size < 9 || !has_nul((const char *)t + 8, size - 8))
				tags_why = "string tag without NUL inside its size";
			else if (type == 1)
				cmdline = (const char *)t + 8;
			else
				loader = (const char *)t + 8;
			break;
		case 3:
			mod_tags++;
			if (size < 17 || !has_nul((const char *)t + 16, size - 16)) {
				tags_why = "module tag without NUL inside its size";
				break;
			}
			if (count < MAX_MODS) {
				mods_v[count].start = le32(t + 8);
				mods_v[count].end = le32(t + 12);
				mods_v[count].s = (const char *)t + 16;
				count++;
			}
			break;
		case 4:
			if (size != 16)
				tags_why = "basic meminfo size not 16";
			meminfo = t;
			break;
		case 6:
			if (size < 16)
				tags_why = "mmap tag size below 16";
			mmap = t;
			mmap_size = size;
			break;
		case 14:
			if (size < 8 + 20)
				tags_why = "ACPI old tag below 28 bytes";
			acpi_old = t;
			break;
		case 15:
			if (size < 8 + 36)
				tags_why = "ACPI new tag below 44 bytes";
			acpi_new = t;
			acpi_new_size = size;
			break;
		case 16:
			net = t;
			net_size = size;
			break;
		case 21:
			if (size != 12)
				tags_why = "load base tag size not 12";
			lbase = t;
			break;
		case 9:
			elfsec = t;
			elfsec_size = size;
			break;
		case 10:
			if (size != 28)
				tags_why = "APM tag size not 28";
			apm = t;
			break;
		default:
			break;
		}
		if (end_ok || tags_why)
			break;
		off += (size + 7) & ~7u;
	}
	if (!tags_why && dup) {
		uint32_t t = 0;
		while (!(dup & (1u << t)))
			t++;
		idx_name(why_buf, "duplicate tag type ", t, "");
		tags_why = why_buf;
	}
	check(!tags_why, "mbi.tags", "total_size=%u reserved=0x%x tags=%u%s%s",
	      total, le32(info + 4), n_tags,
	      tags_why ? " " : "", tags_why ? tags_why : "");
	{
		uint32_t missing = MB2_REQUIRED & ~seen;
		check(!missing, "mbi.request", "requested_types=0x%x missing=0x%x",
		      MB2_REQUIRED, missing);
	}

	if (loader)
		print("INFO loader=%S\n", loader);
	if (cmdline)
		print("INFO cmdline=%S\n", cmdline);

	/* ---- memory map (tag 6) ---- */
	if (!mmap) {
		check(0, "mmap.format", "no tag 6");
	} else {
		uint32_t esz = le32(mmap + 8), ever = le32(mmap + 12), o;
		const char *why = 0;
		if (esz < 24 || (esz & 7))
			why = "entry_size below 24 or not a multiple of 8";
		else if (ever != 0)
			why = "entry_version not 0";
		else if ((mmap_size - 16) % esz)
			why = "entries do not fill the tag";
		for (o = 16; !why && o + esz <= mmap_size; o += esz) {
			if (n_mm >= MAX_MMAP) {
				why = "too many entries";
				break;
			}
			why = mmap_entry(mmap + o);
		}
		collect_usable();
		if (!why && !n_us)
			why = "no usable entry";
		mm_ok = !why;
		check(!why, "mmap.format", "addr=0x%x size=%u entry_size=%u entries=%u%s%s",
		      (uint32_t)(uintptr_t)mmap, mmap_size, esz, (uint32_t)n_mm,
		      why ? " " : "", why ? why : "");
	}
	check_vs_fw(mmap != 0, want_highmem(cmdline));
	check_mem(meminfo ? 0 : "no tag 4", mm_ok,
		  meminfo ? le32(meminfo + 8) : 0, meminfo ? le32(meminfo + 12) : 0);

	/* ---- command line, loader name ---- */
	check(cmdline != 0, "cmdline.present", "tag=%u ptr=0x%x",
	      (seen >> 1) & 1, (uint32_t)(uintptr_t)cmdline);
	if (cmdline)
		check_cmdline_name(cmdline);
	check_loader(loader, cmdline, "absent (no tag 2)", "");

	/* ---- modules (tag 3) ---- */
	{
		const char *v = cmdline ? find_arg(cmdline, "tk.mods=", 0) : 0;
		uint32_t want;
		if (v) {
			if (parse_dec(v, &want))
				check(mod_tags == want, "mods.count",
				      "module_tags=%u expect=%u", mod_tags, want);
			else
				check(0, "mods.count", "bad tk.mods= value");
		}
		if (mod_tags > MAX_MODS)
			check(0, "mods.limit", "module_tags=%u > %u, checking %u",
			      mod_tags, MAX_MODS, MAX_MODS);
		for (i = 0; i < count; i++)
			check_module(i, &mods_v[i]);
		/* The whole boot information holds every string. */
		add_obj("mbi", 0, base, (uint64_t)base + (total <= MB2_INFO_MAX ? total : 8));
		check_overlaps(count, total);
	}

	/* ---- ACPI (tags 14, 15) ---- */
	if (!acpi_old) {
		check(0, "acpi.rsdp", "no tag 14");
	} else {
		const uint8_t *r = acpi_old + 8;
		int sig = !memcmp(r, "RSD PTR ", 8);
		uint8_t s = sum8(r, 20);
		check(sig && !s, "acpi.rsdp", "sig=%s sum=0x%x rev=%u rsdt=0x%x",
		      sig ? "ok" : "bad", (uint32_t)s, (uint32_t)r[15], le32(r + 16));
	}
	/* On BIOS, one RSDP feeds both tags (tag 14 holds its first 20
	 * bytes), so tag 15 must be there exactly when its revision is 2 or
	 * later.  QEMU 7.2's SeaBIOS RSDP is revision 0 (pc and q35), so
	 * most boots check that no tag 15 is made up; boottest's mb2-acpi2
	 * adds a revision 2 RSDP in the EBDA (an option ROM), where tag 15
	 * is required. */
	if (!acpi_new) {
		uint32_t rev = acpi_old ? acpi_old[8 + 15] : 0;
		check(acpi_old && rev < 2, "acpi.rsdp2",
		      "no tag 15; tag 14 %s revision %u%s", acpi_old ? "has" : "absent,",
		      rev, acpi_old && rev >= 2 ? ": tag 15 missing" : "");
	} else {
		const uint8_t *r = acpi_new + 8;
		uint32_t len = le32(r + 20);
		int sig = !memcmp(r, "RSD PTR ", 8);
		int fits = len >= 36 && len <= acpi_new_size - 8;
		uint8_t s1 = sum8(r, 20), s2 = fits ? sum8(r, len) : 0xFF;
		check(sig && fits && !s1 && !s2 && r[15] >= 2, "acpi.rsdp2",
		      "sig=%s length=%u sum=0x%x ext_sum=0x%x rev=%u xsdt=0x%q",
		      sig ? "ok" : "bad", len, (uint32_t)s1, (uint32_t)s2,
		      (uint32_t)r[15], le64(r + 24));
	}

	/* ---- network (tag 16): the DHCP ACK ---- */
	if (!net) {
		check(0, "net.dhcp", "no tag 16");
	} else if (net_size < 8 + 240) {
		check(0, "net.dhcp", "size=%u below a BOOTP header + cookie", net_size);
	} else {
		const uint8_t *d = net + 8;
		uint32_t yi = be32(d + 16);
		int cookie = d[236] == 0x63 && d[237] == 0x82 && d[238] == 0x53 &&
			     d[239] == 0x63;
		check(d[0] == 2 && cookie && yi == 0x0A00020Fu, "net.dhcp",
		      "size=%u op=%u cookie=%s yiaddr=%u.%u.%u.%u",
		      net_size - 8, (uint32_t)d[0], cookie ? "ok" : "bad",
		      yi >> 24, (yi >> 16) & 255, (yi >> 8) & 255, yi & 255);
	}

	/* ---- ELF sections (tag 9): the section names must be readable
	 * through the string table the loader copied, and ".text" must be
	 * where this code runs (linked address; shifted by the relocation in
	 * the relocatable packaging, whose headers keep link addresses). ---- */
	if (!elfsec) {
		check(0, "elf_sections", "no tag 9");
	} else {
		uint32_t num = le32(elfsec + 8), ent = le32(elfsec + 12);
		uint32_t shndx = le32(elfsec + 16), text_ok = 0, named = 0;
		const uint8_t *sh = elfsec + 20;
		uint32_t here = (uint32_t)(uintptr_t)mb2_checks;
#ifdef TK_PIE
		here -= tk_reloc_delta;
#endif
		if (ent < 40 || shndx >= num || 20 + num * ent > elfsec_size) {
			check(0, "elf_sections", "num=%u entsize=%u shndx=%u size=%u",
			      num, ent, shndx, elfsec_size);
		} else {
			const uint8_t *str = sh + shndx * ent;
			const char *names = (const char *)(uintptr_t)le32(str + 12);
			uint32_t strsize = le32(str + 20);
			for (i = 0; names && i < num; i++) {
				const uint8_t *h = sh + i * ent;
				uint32_t nm = le32(h);
				if (nm >= strsize)
					continue;
				named++;
				if (!strcmp_k(names + nm, ".text") &&
				    here >= le32(h + 12) &&
				    here - le32(h + 12) < le32(h + 20))
					text_ok = 1;
			}
			check(names && text_ok, "elf_sections",
			      "num=%u entsize=%u strtab=0x%x named=%u .text_holds_code=%u",
			      num, ent, (uint32_t)(uintptr_t)names, named, text_ok);
		}
	}

	/* ---- APM (tag 10): SeaBIOS has a 32-bit APM interface, so the
	 * loader must have connected it and passed its segments. ---- */
	if (!apm)
		check(0, "apm", "no tag 10");
	else
		check(le16(apm + 8) >= 0x100 && le16(apm + 10) &&
		      le16(apm + 20) & 0x2 && le16(apm + 22),
		      "apm", "version=0x%x cseg=0x%x offset=0x%x dseg=0x%x flags=0x%x cseg_len=0x%x",
		      le16(apm + 8), le16(apm + 10), le32(apm + 12),
		      le16(apm + 18), le16(apm + 20), le16(apm + 22));

	/* ---- load base (tag 21) ---- */
	{
		uint32_t ks = (uint32_t)(uintptr_t)__kernel_start;
		if (!lbase)
			check(0, "load_base", "no tag 21 (kernel at 0x%x)", ks);
		else
			check(le32(lbase + 8) == ks, "load_base",
			      "load_base_addr=0x%x kernel_start=0x%x",
			      le32(lbase + 8), ks);
	}

	if (cmdline) {
		const char *v = find_arg(cmdline, "tk.selftest_fail=", 0);
		if (v && *v == '1')
			check(0, "selftest", "deliberate failure (tk.selftest_fail=1)");
	}
}
#endif /* TK_MB2 */

void tk_main(void);
void tk_main(void)
{
	/* 1. BSS check first: nothing in .bss has been written yet.  The range
	 * starts right after the loaded bytes (__load_end), so the padding
	 * before .bss must be zero too. */
	const volatile uint32_t *bp = (const volatile uint32_t *)__load_end;
	const volatile uint32_t *be = (const volatile uint32_t *)__bss_end;
	uint32_t bss_bad = 0, bss_first = 0, i;
#ifdef TK_MB2
	int mb2;
#endif

	for (; bp < be; bp++)
		if (*bp) {
			if (!bss_bad)
				bss_first = (uint32_t)(uintptr_t)bp;
			bss_bad++;
		}

	serial_init();
	print("\nTK START %s\n", TK_NAME);

#ifdef TK_MB2
	/* The boot information is read the way EAX says.  A Multiboot 2 only
	 * image expects the Multiboot 2 magic (so a loader that boots it with
	 * Multiboot 1 fails "magic", and its MBI is still checked); an image
	 * with both headers accepts either. */
	mb2 = TK_MB2 == 1 ? tk_save.eax != MB_BOOT_MAGIC :
			    tk_save.eax == MB2_BOOT_MAGIC;
	print("INFO protocol=%s\n", mb2 ? "mb2" : "mb1");
#endif

	/* ---- machine state ---- */
#ifdef TK_MB2
	if (TK_MB2 == 1 || mb2)
		check(tk_save.eax == MB2_BOOT_MAGIC, "magic", "eax=0x%X", tk_save.eax);
	else
#endif
		check(tk_save.eax == MB_BOOT_MAGIC, "magic", "eax=0x%X", tk_save.eax);
	check((tk_save.cr0 & 1) && !(tk_save.cr0 & 0x80000000u), "cr0",
	      "cr0=0x%X PE=%u PG=%u", tk_save.cr0, tk_save.cr0 & 1,
	      tk_save.cr0 >> 31);
	check(!(tk_save.eflags & (1u << 9)) && !(tk_save.eflags & (1u << 17)),
	      "eflags", "eflags=0x%X IF=%u VM=%u", tk_save.eflags,
	      (tk_save.eflags >> 9) & 1, (tk_save.eflags >> 17) & 1);
	print("INFO gdtr base=0x%x limit=0x%x esp=0x%x\n", tk_save.gdtr_base,
	      (uint32_t)tk_save.gdtr_limit, tk_save.esp);
#ifdef TK_PIE
	print("INFO reloc delta=0x%x applied=%u\n", tk_reloc_delta, tk_reloc_count);
	check(!tk_reloc_bad && tk_reloc_count, "reloc",
	      "delta=0x%x R_386_RELATIVE=%u other=%u", tk_reloc_delta,
	      tk_reloc_count, tk_reloc_bad);
#endif
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

#ifdef TK_MB2
	if (mb2)
		mb2_checks();
	else
#endif
		mb1_checks();

	if (n_fail)
		print("TK VERDICT FAIL n=%u\n", n_fail);
	else
		print("TK VERDICT PASS\n");
	tk_exit(n_fail != 0);
}
