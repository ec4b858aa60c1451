/*
 * pxemodel.c - the simulated machine (see pxemodel.h).
 *
 * Measured, not guessed: tests/checker/measure_space.py boots the test
 * kernel with `mboot.c32 -verbose KERNEL --- MODULE` through Debian's
 * pxelinux.0 (6.04~git20190206) in QEMU 7.2 (pc machine, SeaBIOS, the
 * e1000's iPXE ROM) and records the map the kernel received and the
 * module's "mboot: space" line.  Results (2026-11-26, mboot.c32 of commit
 * c380f4c: one PT_LOAD, memsz 0x30068, so a 0x31000-byte module image;
 * "line" is the length of the DEFAULT command):
 *
 *   -m     kernel (bytes, decompressed)   line  map entry at 1 MiB    space
 *   48M    tk-elf32.elf  22140             77   0x100000 +0x2e31000   0x003c7fd0-0x02d25470
 *   64M    tk-elf32.elf                    77   0x100000 +0x3e31000   0x003c7fd0-0x03d24470
 *   128M   tk-elf32.elf                    77   0x100000 +0x7e31000   0x003c7fd0-0x07d30460
 *   160M   tk-elf32.elf                    77   0x100000 +0x9e31000   0x003c7fd0-0x09d2e460
 *   512M   tk-elf32.elf                    77   0x100000 +0x1fe31000  0x003c7fd0-0x1fd28450
 *   1024M  tk-elf32.elf                    77   0x100000 +0x3fe31000  0x003c7fd0-0x3fd28430
 *   3072M  tk-elf32.elf                    77   0x100000 +0xbfe31000  0x003c7fd0-0xbfd283b0
 *   4096M  tk-elf32.elf   same, + 0x100000000 +0x40000000 RAM               0x003c7fd0-0xbfd283b0
 *   5G     tk-elf32.elf   same, + 0x100000000 +0x80000000 RAM               0x003c7fd0-0xbfd283b0
 *   128M   tk-elf32.gz   22140 (gzip)      75                         0x003c84b0-0x07d30940
 *   512M   tk-elf32.gz                     75                         0x003c84b0-0x1fd28930
 *   512M   tk-high.elf   22836             75                         0x003c8270-0x1fd286f0
 *   512M   pad1m.elf     1000000           71                         0x004b6b80-0x1fd270f0
 *   512M   pad3m.gz      3022140 (gzip)    69                         0x006a4b70-0x1fd252d0
 *   512M   tk-elf32.elf + -gunzip module of 500173 bytes   81         0x004421e0-0x1fd226e0
 *   512M   tk-elf32.elf                   677                         0x003c8940-0x1fd28dc0
 *   512M   tk-elf32.elf                  1277                         0x003c92a0-0x1fd29720
 *   512M   tk-elf32.elf, mboot.c32 with 128 KiB more BSS (image 0x51000)
 *                                          77                         0x003e7fd0-0x1fd28470
 *
 * (An earlier module, 0x16000 bytes smaller, gave 0x003b1fd0 for the
 * 77-character tk-elf32.elf runs: the module's own image is in the heap.)
 * Every run's map was, for -m M with B = M below 4 GiB (B = 3 GiB when
 * M >= 3.5 GiB: QEMU's pc machine puts the rest above 4 GiB):
 *
 *   0x0        0x9c400      RAM       (iPXE took 14 KiB of base memory)
 *   0xf0000    0x10000      reserved
 *   0x100000   B-0x1cf000   RAM       (iPXE hides 0xaf000 bytes below...)
 *   B-0x20000  0x20000      reserved  (...SeaBIOS's own 128 KiB)
 *   0xfffc0000 0x40000      reserved
 *   0x100000000 M-B         RAM       (only when M > B)
 *   0xfd00000000 0x300000000 reserved
 *
 * The formula, from PXELINUX's source (core/mem/init.c, core/mem/malloc.c,
 * com32/lib/sys/module/i386/elf_module.c, com32/arena.c) fitted to every
 * row above:
 *   - the heap block is the usable entry holding 1 MiB, up to T = its end
 *     (capped at 0xfff00000); its first bytes hold PXELINUX, ldlinux, the
 *     command line, mboot.c32's image and its heap copies, so the largest
 *     free block starts at
 *       S = BASE + IMAGE + 3 * LINE + WORDS + round16(KERNEL + 32)
 *           [+ 1248 for a gzip kernel]
 *           + for each -gunzip module (round16(FILE + 32) + 48)
 *     where BASE is PXELINUX's, ldlinux's and mboot.c32's own heap use
 *     (0x391759 for the module measured above; PXE_HEAP_USED_BASE in
 *     pxemodel.h is refitted whenever mboot.c32 allocates more or less
 *     before it takes its block: measure_space.py prints the model's
 *     error for each run), IMAGE is mboot.c32's PT_LOAD span rounded
 *     out to its alignment (the module loader's posix_memalign), LINE the
 *     command's length, WORDS the sum of round16(w + 32) over its words of w
 *     characters (argv: one allocation per word), KERNEL the kernel's
 *     decompressed size, FILE a -gunzip module's compressed size.  Fitted
 *     to the rows above and to three more 512M runs of tk-elf32.elf (six
 *     one-letter arguments more: 0x003c80a0; three modules: 0x003c8090;
 *     module arguments "len=13 crc=12345678 name=small.bin": 0x003c8090),
 *     every row is within 48 bytes of it (malloc rounds every copy);
 *     Labels in the config take heap too (their strings and menu
 *     entries), which the model counts roughly as twice the text of
 *     their KERNEL and APPEND values.  Measured with Xen's three files,
 *     -m 1024, -n -v, against the model without that term: the command
 *     as DEFAULT, no label: +16 bytes; the same as the one LABEL (95
 *     characters): +128; that and two more labels (308 characters in
 *     all): +608; qemu/xen/demo.py's config (a DEFAULT line and a label
 *     of 285 characters): +472.  With the term, the model's arena starts
 *     48 bytes after, 32 before and 96 after the module's;
 *     A gzip kernel that inflates to more than 8 times its size plus
 *     1 MiB is read whole after the stream buffer overflows: its
 *     compressed copy then leaves a hole below the block, counted as
 *     round16(FILE + 32) - round16(64 KiB + 31), and the streamed
 *     kernel's 1248 bytes are not there (one run: tboot.gz,
 *     163294 bytes to 29840928, -m 1024: the module's space started at
 *     0x02177eb0, the model's 240 bytes later);
 *     Since commit 5723db8 the module's TFTP transport reads the kernel
 *     through a 1 MiB read-ahead buffer, freed with the file: it leaves a
 *     hole of 1 MiB (and the 64 KiB stream piece) below the kernel copy;
 *     BASE includes it, and -gunzip modules' copies that fit there no
 *     longer move S (7a8dcc0, 512M: elf32 0x004cfce0, tk-elf32.gz
 *     0x004d01c0, pad3m.gz 0x007ac880, with the -gunzip module
 *     0x004cfd10, three modules 0x004cfda0: the model's to the byte,
 *     but +16 for pad3m.gz and -16 for three modules).  With -pxelinux
 *     (or an http:// kernel: iPXE's transport) there is no such buffer:
 *     0x003ce5a0 for tk-elf32.elf, 0x003ceaa0 for tk-elf32.gz;
 *   - malloc() needs round16(n + 31) <= T - S; com32/arena.c's binary
 *     search (64 KiB resolution, from 0xfff00000 down) finds the largest
 *     such n it reaches, L; the arena is [S + 16, S + 16 + L - 2 MiB).
 *     Given S, that is exact for every row;
 *   - the kernel's heap copy lies just below S, past the image (what
 *     decides whether it must be moved before the hand-off).
 *   tests/unit/test_checker_model.c asserts the model against every row.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/util.h"
#include "pxemodel.h"

#define MIB (1024ull * 1024)
#define FOUR_GIB 0x100000000ull

/* QEMU pc machine: RAM of 3.5 GiB or more is split at 3 GiB. */
#define QEMU_LOWMEM_SPLIT 0xe0000000ull
#define QEMU_LOWMEM_LOW 0xc0000000ull
/* Measured: SeaBIOS reserves 128 KiB at the top of low RAM, iPXE hides
 * 0xaf000 bytes below that and takes base memory down to 0x9c400. */
#define SEABIOS_TOP_RESERVED 0x20000ull
#define IPXE_HIDDEN 0xaf000ull
#define BASE_MEMORY_END 0x9c400ull

/* PXELINUX heap (core/mem/init.c: E820_MEM_MAX). */
#define HEAP_MAX 0xfff00000ull
#define STREAM_CHUNK (64u * 1024)	/* com32/main.c's read piece */
#define LINE_COPIES 3u
#define LABEL_COPIES 2u		/* rough: see "Labels" above */
#define HEAP_GZIP_EXTRA 1248u
#define HEAP_HELD_EXTRA 48u
#define ARENA_HEADER 16u		/* struct arena_header, i386 */
#define ARENA_KEEP_FREE (2u * 1024 * 1024)	/* com32/fw_bios.c */
#define ARENA_SEARCH_STEP (64u * 1024)		/* com32/arena.c */

unsigned pxe_model_qemu_map(uint64_t ram, struct mb_e820 *map)
{
	uint64_t low = ram >= QEMU_LOWMEM_SPLIT ? QEMU_LOWMEM_LOW : ram;
	unsigned n = 0;

	map[n++] = (struct mb_e820){ 0, BASE_MEMORY_END, 1 };
	map[n++] = (struct mb_e820){ 0xf0000, 0x10000, 2 };
	if (low > MIB + SEABIOS_TOP_RESERVED + IPXE_HIDDEN)
		map[n++] = (struct mb_e820){
			MIB, low - MIB - SEABIOS_TOP_RESERVED - IPXE_HIDDEN, 1 };
	map[n++] = (struct mb_e820){ low - SEABIOS_TOP_RESERVED,
				     SEABIOS_TOP_RESERVED, 2 };
	map[n++] = (struct mb_e820){ 0xfffc0000, 0x40000, 2 };
	if (ram > low)
		map[n++] = (struct mb_e820){ FOUR_GIB, ram - low, 1 };
	map[n++] = (struct mb_e820){ 0xfd00000000ull, 0x300000000ull, 2 };
	return n;
}

/** Parse one number ("0x" hex, else decimal; bare hex digits if @hex). */
static bool number(const char **p, uint64_t *v, bool hex)
{
	char *end;
	while (**p == ' ' || **p == '\t' || **p == '[' || **p == ',')
		(*p)++;
	if (!isxdigit((unsigned char)**p))
		return false;
	*v = strtoull(*p, &end, hex || !strncmp(*p, "0x", 2) ||
				       !strncmp(*p, "0X", 2) ? 16 : 10);
	if (end == *p)
		return false;
	*p = end;
	return true;
}

/** E820 type from a word or number; 0 if unknown. */
static uint32_t type_of(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '(')
		s++;
	if (isdigit((unsigned char)*s))
		return (uint32_t)strtoul(s, NULL, 10);
	static const struct { const char *word; uint32_t type; } words[] = {
		{ "usable", 1 }, { "ram", 1 }, { "reserved", 2 },
		{ "acpi nvs", 4 }, { "nvs", 4 }, { "acpi", 3 },
		{ "unusable", 5 }, { "disabled", 6 }, { "persistent", 7 },
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncasecmp(s, words[i].word, strlen(words[i].word)))
			return words[i].type;
	return 0;
}

int pxe_model_read_map(const char *path, struct mb_e820 *map, char *msg,
		       size_t cap)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0, lineno = 0;

	if (!f) {
		snprintf(msg, cap, "%s: cannot open the memory map file", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p = line, *m;
		uint64_t a, b;
		uint32_t type;
		bool ok;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n' || *p == '#')
			continue;
		if ((m = strstr(p, "INFO mmap ")))
			p = m + 10;
		if ((m = strstr(p, "[mem "))) {		/* Linux */
			p = m + 5;
			ok = number(&p, &a, true) && *p++ == '-' &&
			     number(&p, &b, true) && *p++ == ']';
			b = b + 1 - a;
		} else if ((m = strstr(p, " - ")) && !strchr(p, '[')) {	/* Xen */
			p = m;	/* the hex number right before " - " */
			while (p > line && isxdigit((unsigned char)p[-1]))
				p--;
			ok = number(&p, &a, true) && (p = m + 3) &&
			     number(&p, &b, true) && b >= a;
			b -= ok ? a : 0;
		} else {
			ok = number(&p, &a, false) && number(&p, &b, false);
		}
		type = ok ? type_of(p) : 0;
		if (!ok || !type) {
			snprintf(msg, cap,
				 "%s:%d: not a memory map line (want BASE LEN TYPE): %.60s",
				 path, lineno, line);
			fclose(f);
			return -1;
		}
		if (n == PXE_MAX_MAP) {
			snprintf(msg, cap, "%s: more than %d entries", path,
				 PXE_MAX_MAP);
			fclose(f);
			return -1;
		}
		map[n++] = (struct mb_e820){ a, b, type };
	}
	fclose(f);
	if (!n)
		snprintf(msg, cap, "%s: no memory map entries", path);
	return n ? n : -1;
}

/** Remove [s, e) from the @n ranges of @r (room for @max); returns n. */
static unsigned cut(struct mb_range *r, unsigned n, unsigned max, uint64_t s,
		    uint64_t e)
{
	for (unsigned i = 0; i < n; i++) {
		if (r[i].end <= s || r[i].start >= e)
			continue;
		if (r[i].start < s && r[i].end > e) {
			if (n < max) {
				r[n] = (struct mb_range){ e, r[i].end };
				n++;
			}
			r[i].end = s;
		} else if (r[i].start < s) {
			r[i].end = s;
		} else if (r[i].end > e) {
			r[i].start = e;
		} else {
			r[i--] = r[--n];
		}
	}
	return n;
}

unsigned pxe_model_free_ranges(const struct mb_e820 *map, unsigned nmap,
			       struct mb_range *r, unsigned max)
{
	unsigned n = 0;
	uint64_t dos = BASE_MEMORY_END;

	/* core/bios.c: INT 12h base memory from 0x510; E820 below 1 MiB is
	 * not trusted.  The base memory end is the usable entry at 0. */
	for (unsigned i = 0; i < nmap; i++)
		if (map[i].type == MB_E820_RAM && map[i].base == 0)
			dos = map[i].len;
	if (max)
		r[n++] = (struct mb_range){ 0x510, dos };
	for (unsigned i = 0; i < nmap && n < max; i++) {
		uint64_t s = map[i].base, e = map[i].base + map[i].len;
		if (map[i].type != MB_E820_RAM)
			continue;
		if (s < MIB)
			s = MIB;
		if (e > FOUR_GIB)
			e = FOUR_GIB;
		if (s < e)
			r[n++] = (struct mb_range){ s, e };
	}
	for (unsigned i = 0; i < nmap; i++) {	/* reserved wins */
		uint64_t s = map[i].base, e = map[i].base + map[i].len;
		if (map[i].type != MB_E820_RAM && e > MIB && s < FOUR_GIB)
			n = cut(r, n, max, s < MIB ? MIB : s, e);
	}
	return n;
}

/** malloc() bytes a request of @n takes (core/mem/malloc.c). */
static uint64_t malloc_size(uint64_t n)
{
	return (n + 2 * ARENA_HEADER - 1) & ~(uint64_t)(ARENA_HEADER - 1);
}

/** Heap the command takes in ldlinux and the module's argv: about three
 * copies of the line and one allocation per word. */
static uint64_t command_heap(const char *c)
{
	uint64_t n = 0;

	if (!c)
		return 0;
	for (const char *p = c; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (p > w)
			n += malloc_size((uint64_t)(p - w) + 1);
	}
	return n + LINE_COPIES * (uint64_t)strlen(c);
}

bool pxe_model_arena(const struct mb_e820 *map, unsigned nmap,
		     const struct pxe_heap_input *in,
		     struct pxe_heap_model *out)
{
	uint64_t top = 0, start;

	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < nmap; i++)
		if (map[i].type == MB_E820_RAM && map[i].base <= MIB &&
		    map[i].base + map[i].len > MIB)
			top = map[i].base + map[i].len;
	if (top > HEAP_MAX)
		top = HEAP_MAX;
	/* The kernel copy: malloc(len + 1), then shrunk to len. */
	uint64_t kernel_block = malloc_size((uint64_t)in->kernel_len + 1);
	uint64_t base = in->used_base ? in->used_base : PXE_HEAP_USED_BASE;
	uint64_t hole = in->hole ? in->hole : PXE_HEAP_HOLE;
	if (in->no_own_tftp && !in->used_base) {
		base -= PXE_OWN_TFTP_HEAP;
		hole = malloc_size(STREAM_CHUNK);
	}
	uint64_t before_kernel = base +
				 in->module_image +
				 command_heap(in->command) +
				 LABEL_COPIES * (uint64_t)in->label_bytes;
	start = before_kernel + kernel_block +
		(in->kernel_gzip && !in->kernel_whole ? HEAP_GZIP_EXTRA : 0) +
		(in->kernel_whole ? malloc_size((uint64_t)in->kernel_whole + 1) -
					    malloc_size(STREAM_CHUNK) : 0);
	/* Each held module: malloc(size + 1); rounded per module, so the
	 * caller's total is rounded as one (a few bytes at most).  They go
	 * into the hole below the kernel copy when they fit there. */
	uint64_t held = in->nheld ?
		malloc_size((uint64_t)in->held_bytes + in->nheld) +
			in->nheld * (uint64_t)HEAP_HELD_EXTRA : 0;
	if (held > hole)
		start += held;
	start = (start + 8) & ~15ull;	/* heap blocks are 16-byte multiples */
	out->heap_top = top;
	out->block_start = start;
	out->kernel_addr = (uint32_t)(before_kernel + ARENA_HEADER);
	if (start >= top)
		return false;
	uint64_t fsize = top - start;
	uint32_t lo = 0, hi = (uint32_t)HEAP_MAX;
	while (hi - lo > ARENA_SEARCH_STEP) {	/* as com32/arena.c */
		uint32_t mid = lo + (hi - lo) / 2;
		if (malloc_size(mid) <= fsize)
			lo = mid;
		else
			hi = mid;
	}
	out->largest = lo;
	if (lo <= ARENA_KEEP_FREE)
		return false;
	out->space.start = start + ARENA_HEADER;
	out->space.end = out->space.start + (lo - ARENA_KEEP_FREE);
	return true;
}

uint32_t pxe_model_module_image(const uint8_t *elf, size_t len)
{
	/* ELF32 little-endian i386, as COM32 modules are. */
	if (len < 52 || memcmp(elf, "\177ELF\1\1", 6))
		return 0;
	uint32_t phoff = mb_le32(elf + 28);
	uint16_t phentsize = mb_le16(elf + 42), phnum = mb_le16(elf + 44);
	uint64_t lo = ~0ull, hi = 0, align = 4;	/* i386 sizeof(void *) */

	if (phentsize < 32 || (uint64_t)phoff + (uint64_t)phnum * phentsize > len)
		return 0;
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = elf + phoff + i * phentsize;
		if (mb_le32(ph) != 1)	/* PT_LOAD */
			continue;
		uint64_t va = mb_le32(ph + 8), memsz = mb_le32(ph + 20),
			 a = mb_le32(ph + 28);
		if (va < lo)
			lo = va;
		if (va + memsz > hi)
			hi = va + memsz;
		if (a > align)
			align = a;
	}
	if (hi <= lo || align & (align - 1))
		return 0;
	lo &= ~(align - 1);
	hi = (hi + align - 1) & ~(align - 1);
	return (uint32_t)(hi - lo);
}
