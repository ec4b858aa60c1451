/*
 * test_image.c - Multiboot header search and ELF32/ELF64/a.out-kludge
 * segment extraction (lib/mbheader.c, lib/image.c, lib/elf.c, lib/aout.c),
 * on images built in memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "put.h"
#include "cmdline.h"
#include "image.h"
#include "util.h"

#define BUF_SIZE (128 * 1024)
#define MBOFF 0x400u		/* where the builders put the Multiboot header */

static uint8_t buf[BUF_SIZE];
static struct mb_image img;
static struct mb_error err;

/** A Multiboot header with flags @flags at @off (checksum right). */
static void mbhdr(size_t off, uint32_t flags)
{
	put32(buf + off, MB1_HEADER_MAGIC);
	put32(buf + off + 4, flags);
	put32(buf + off + 8, 0u - MB1_HEADER_MAGIC - flags);
}

/** A header with the a.out kludge fields (flag 16 added to @flags). */
static void mbhdr_aout(size_t off, uint32_t flags, uint32_t header_addr,
		       uint32_t load_addr, uint32_t load_end_addr,
		       uint32_t bss_end_addr, uint32_t entry_addr)
{
	mbhdr(off, flags | MB1_HF_AOUT_KLUDGE);
	put32(buf + off + 12, header_addr);
	put32(buf + off + 16, load_addr);
	put32(buf + off + 20, load_end_addr);
	put32(buf + off + 24, bss_end_addr);
	put32(buf + off + 28, entry_addr);
}

/* --- ELF builder ---------------------------------------------------------- */

#define PT_NULL 0
#define PT_LOAD 1
#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551u

struct ph {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

struct elfspec {
	int cls;			/* 1 = ELF32, 2 = ELF64 */
	uint8_t data;			/* 1 = little-endian */
	uint16_t type, machine;
	uint64_t entry, phoff;
	uint16_t phentsize, phnum;
	unsigned nph;
	struct ph ph[40];
};

/** A sane ELF of class @cls with no program headers yet. */
static struct elfspec elf_spec(int cls)
{
	struct elfspec e;

	memset(&e, 0, sizeof(e));
	e.cls = cls;
	e.data = 1;
	e.type = 2;
	e.machine = cls == 1 ? 3 : 62;
	e.phoff = cls == 1 ? 52 : 64;
	e.phentsize = cls == 1 ? 32 : 56;
	return e;
}

/** Append a program header; phnum follows nph. */
static void add_ph(struct elfspec *e, uint32_t type, uint64_t offset,
		   uint64_t vaddr, uint64_t paddr, uint64_t filesz,
		   uint64_t memsz)
{
	e->ph[e->nph++] = (struct ph){ type, offset, vaddr, paddr, filesz,
				       memsz };
	e->phnum = (uint16_t)e->nph;
}

/** Clear buf and write @e into it (headers only; data stays zero). */
static void build_elf(const struct elfspec *e)
{
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\177ELF", 4);
	buf[4] = (uint8_t)e->cls;
	buf[5] = e->data;
	buf[6] = 1;
	put16(buf + 16, e->type);
	put16(buf + 18, e->machine);
	put32(buf + 20, 1);
	if (e->cls == 1) {
		put32(buf + 24, (uint32_t)e->entry);
		put32(buf + 28, (uint32_t)e->phoff);
		put16(buf + 40, 52);
		put16(buf + 42, e->phentsize);
		put16(buf + 44, e->phnum);
	} else {
		put64(buf + 24, e->entry);
		put64(buf + 32, e->phoff);
		put16(buf + 52, 64);
		put16(buf + 54, e->phentsize);
		put16(buf + 56, e->phnum);
	}
	for (unsigned i = 0; i < e->nph; i++) {
		uint64_t at = e->phoff + (uint64_t)i * e->phentsize;
		if (at + e->phentsize > sizeof(buf))
			break;
		uint8_t *p = buf + at;
		const struct ph *h = &e->ph[i];
		if (e->cls == 1) {
			put32(p, h->type);
			put32(p + 4, (uint32_t)h->offset);
			put32(p + 8, (uint32_t)h->vaddr);
			put32(p + 12, (uint32_t)h->paddr);
			put32(p + 16, (uint32_t)h->filesz);
			put32(p + 20, (uint32_t)h->memsz);
			put32(p + 24, 7);
			put32(p + 28, 0x1000);
		} else {
			put32(p, h->type);
			put32(p + 4, 7);
			put64(p + 8, h->offset);
			put64(p + 16, h->vaddr);
			put64(p + 24, h->paddr);
			put64(p + 32, h->filesz);
			put64(p + 40, h->memsz);
			put64(p + 48, 0x1000);
		}
	}
}

/** The usual test kernel: text at 1 MiB from offset 0x1000, data + BSS. */
static struct elfspec elf_typical(int cls)
{
	struct elfspec e = elf_spec(cls);
	e.entry = 0x10000c;
	add_ph(&e, PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x1000);
	add_ph(&e, PT_LOAD, 0x2000, 0x101000, 0x101000, 0x800, 0x3000);
	return e;
}

/** Build @e with a Multiboot header (flags @flags) at MBOFF. */
static void build_mb_elf(const struct elfspec *e, uint32_t flags)
{
	build_elf(e);
	mbhdr(MBOFF, flags);
}

static int probe(size_t len, unsigned opts)
{
	memset(&img, 0x5a, sizeof(img));
	memset(&err, 0, sizeof(err));
	int rc = mb_image_probe(buf, len, "kern", opts, &img, &err);
	if (rc) {
		CHECK_MSG(err.code == (enum mb_code)rc && err.msg[0],
			  "error %d recorded with a message", rc);
		CHECK_MSG(!strncmp(err.msg, "kern: ", 6),
			  "message names the file: %s", err.msg);
	}
	return rc;
}

static int find(size_t len)
{
	memset(&img, 0x5a, sizeof(img));
	memset(&err, 0, sizeof(err));
	return mb1_find_header(buf, len, "kern", &img, &err);
}

/** The invariants of every successful probe of a @len-byte file. */
static int image_sane(size_t len)
{
	if (img.nsegs == 0 || img.nsegs > MB_MAX_SEGMENTS)
		return 0;
	int entry_in = 0;
	for (unsigned i = 0; i < img.nsegs; i++) {
		const struct mb_segment *s = &img.segs[i];
		if (s->filesz > s->memsz || s->memsz == 0)
			return 0;
		if ((uint64_t)s->file_off + s->filesz > len)
			return 0;
		if ((uint64_t)s->addr + s->memsz > 0x100000000ull)
			return 0;
		if (i && (uint64_t)img.segs[i - 1].addr +
				 img.segs[i - 1].memsz > s->addr)
			return 0;
		if (img.entry >= s->addr && img.entry - s->addr < s->memsz)
			entry_in = 1;
	}
	return entry_in;
}

/* --- header search ------------------------------------------------------ */

static void test_header_search(void)
{
	memset(buf, 0, sizeof(buf));
	mbhdr(0, 0);
	CHECK_EQ_U(find(12), MB_OK);
	CHECK_EQ_U(img.header_offset, 0);
	CHECK_EQ_U(img.header.magic, MB1_HEADER_MAGIC);
	CHECK_EQ_U(img.header.flags, 0);
	/* Fields the flags do not cover are zero, not file bytes. */
	memset(buf + 12, 0xee, 64);
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(img.header.header_addr, 0);
	CHECK_EQ_U(img.header.entry_addr, 0);
	CHECK_EQ_U(img.header.depth, 0);
	/* A non-ELF file without the kludge has nothing to load. */
	CHECK_EQ_U(probe(4096, 0), MB_E_NOT_ELF);

	/* Too short for any header. */
	CHECK_EQ_U(find(11), MB_E_NO_HEADER);
	CHECK_EQ_U(find(1), MB_E_NO_HEADER);

	/* The last places a 12-byte header fits entirely in 8 KiB. */
	memset(buf, 0, sizeof(buf));
	mbhdr(8176, 0);
	CHECK_EQ_U(find(8192), MB_OK);
	CHECK_EQ_U(img.header_offset, 8176);
	memset(buf, 0, sizeof(buf));
	mbhdr(8180, MB1_HF_MEMORY_INFO);
	CHECK_EQ_U(find(8192), MB_OK);
	CHECK_EQ_U(img.header_offset, 8180);
	CHECK_EQ_U(img.header.flags, MB1_HF_MEMORY_INFO);
	CHECK_EQ_U(find(20000), MB_OK);

	/* Straddling the 8 KiB limit: a valid header, but too far. */
	for (size_t off = 8184; off <= 8188; off += 4) {
		memset(buf, 0, sizeof(buf));
		mbhdr(off, 0);
		CHECK_EQ_U(find(20000), MB_E_HEADER_TOO_FAR);
		CHECK_MSG(strstr(err.msg, off == 8184 ? "8184" : "8188") != NULL,
			  "offset in message: %s", err.msg);
		CHECK_EQ_U(find(off + 12), MB_E_HEADER_TOO_FAR);
		/* Cut by the end of the file: no header at all. */
		CHECK_EQ_U(find(off + 8), MB_E_NO_HEADER);
	}
	/* A header whose kludge fields cross the limit ends too far. */
	memset(buf, 0, sizeof(buf));
	mbhdr_aout(8168, 0, 0x100000, 0x100000, 0, 0, 0x100000);
	CHECK_EQ_U(find(20000), MB_E_HEADER_TOO_FAR);
	CHECK_CONTAINS(err.msg, "8168");
	/* ... and the same header cut by the end of the file. */
	CHECK_EQ_U(find(8192), MB_E_NO_HEADER);
	CHECK_CONTAINS(err.msg, "cut off");
	CHECK_CONTAINS(err.msg, "8168");
	/* Just fitting: 32 bytes ending at 8192. */
	memset(buf, 0, sizeof(buf));
	mbhdr_aout(8160, 0, 0x100000, 0x100000, 0, 0, 0x100000);
	CHECK_EQ_U(find(8192), MB_OK);
	CHECK_EQ_U(img.header.load_addr, 0x100000);

	/* Past 8 KiB. */
	memset(buf, 0, sizeof(buf));
	mbhdr(8192, 0);
	CHECK_EQ_U(find(20000), MB_E_HEADER_TOO_FAR);
	CHECK_CONTAINS(err.msg, "8192");
	memset(buf, 0, sizeof(buf));
	mbhdr(12000, 0);
	CHECK_EQ_U(find(20000), MB_E_HEADER_TOO_FAR);
	CHECK_CONTAINS(err.msg, "12000");
	CHECK_EQ_U(probe(20000, 0), MB_E_HEADER_TOO_FAR);

	/* Nothing at all. */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_U(find(BUF_SIZE), MB_E_NO_HEADER);
	CHECK_CONTAINS(err.msg, "8192");
	CHECK_EQ_U(probe(BUF_SIZE, 0), MB_E_NO_HEADER);

	/* Misaligned headers do not count. */
	for (size_t off = 101; off < 104; off++) {
		memset(buf, 0, sizeof(buf));
		mbhdr(off, 0);
		CHECK_EQ_U(find(4096), MB_E_NO_HEADER);
	}
	/* Misaligned past 8 KiB: also not "too far", just absent. */
	memset(buf, 0, sizeof(buf));
	mbhdr(9002, 0);
	CHECK_EQ_U(find(20000), MB_E_NO_HEADER);
}

static void test_header_checksum(void)
{
	memset(buf, 0, sizeof(buf));
	mbhdr(100, 0);
	put32(buf + 108, 0x12345678);
	CHECK_EQ_U(find(4096), MB_E_HEADER_CHECKSUM);
	CHECK_EQ_U(err.code, MB_E_HEADER_CHECKSUM);
	CHECK_CONTAINS(err.msg, "offset 100");
	CHECK_CONTAINS(err.msg, "0x12345678");
	CHECK_CONTAINS(err.msg, "0x1badb002");
	CHECK_EQ_U(probe(4096, 0), MB_E_HEADER_CHECKSUM);

	/* A stray magic before the real header is skipped. */
	mbhdr(200, 0);
	CHECK_EQ_U(find(4096), MB_OK);
	CHECK_EQ_U(img.header_offset, 200);

	/* Only the first bad one is reported. */
	memset(buf, 0, sizeof(buf));
	put32(buf + 64, MB1_HEADER_MAGIC);
	put32(buf + 128, MB1_HEADER_MAGIC);
	CHECK_EQ_U(find(4096), MB_E_HEADER_CHECKSUM);
	CHECK_CONTAINS(err.msg, "offset 64");

	/* Wrong flags but right checksum for other flags. */
	memset(buf, 0, sizeof(buf));
	mbhdr(0, 3);
	put32(buf + 4, 2);
	CHECK_EQ_U(find(64), MB_E_HEADER_CHECKSUM);
	CHECK_CONTAINS(err.msg, "offset 0");
}

static void test_flags(void)
{
	struct elfspec e = elf_typical(1);

	build_mb_elf(&e, MB1_HF_PAGE_ALIGN | MB1_HF_MEMORY_INFO);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);

	/* Optional bits 17-31 are ignored. */
	build_mb_elf(&e, 0xfffe0000u | MB1_HF_MEMORY_INFO);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_ELF32);

	build_mb_elf(&e, MB1_HF_VIDEO_MODE | MB1_HF_MEMORY_INFO);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_UNSUPPORTED_FLAG);
	CHECK_CONTAINS(err.msg, "bit 2");
	CHECK_CONTAINS(err.msg, "video");
	CHECK_CONTAINS(err.msg, "0x00000006");

	build_mb_elf(&e, 1u << 5);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_UNSUPPORTED_FLAG);
	CHECK_CONTAINS(err.msg, "bit 5");
	CHECK(!strstr(err.msg, "bit 2"));

	build_mb_elf(&e, 1u << 15 | 1u << 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_UNSUPPORTED_FLAG);
	CHECK_CONTAINS(err.msg, "bit 15");

	/* Several: the lowest is named. */
	build_mb_elf(&e, 1u << 5 | 1u << 3 | 1u << 9);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_UNSUPPORTED_FLAG);
	CHECK_CONTAINS(err.msg, "bit 3");
}

/* --- a.out kludge ----------------------------------------------------------- */

/** A flat file of @len bytes with a kludge header at MBOFF. */
static void aout_file(uint32_t header_addr, uint32_t load_addr,
		      uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
	memset(buf, 0x90, sizeof(buf));
	mbhdr_aout(MBOFF, MB1_HF_MEMORY_INFO, header_addr, load_addr,
		   load_end, bss_end, entry);
}

static void test_aout(void)
{
	/* File offset 0 loads at 1 MiB; 0x2000 bytes of file, BSS to 0x5000. */
	aout_file(0x100000 + MBOFF, 0x100000, 0x102000, 0x105000, 0x100100);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_AOUT);
	CHECK_EQ_U(img.nsegs, 1);
	CHECK_EQ_U(img.segs[0].addr, 0x100000);
	CHECK_EQ_U(img.segs[0].file_off, 0);
	CHECK_EQ_U(img.segs[0].filesz, 0x2000);
	CHECK_EQ_U(img.segs[0].memsz, 0x5000);
	CHECK_EQ_U(img.entry, 0x100100);
	CHECK_EQ_U(img.header_offset, MBOFF);
	CHECK_EQ_U(img.header.bss_end_addr, 0x105000);

	/* load_end 0: the whole rest of the file; bss_end 0: no BSS. */
	aout_file(0x100000 + MBOFF, 0x100000, 0, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].filesz, 0x3000);
	CHECK_EQ_U(img.segs[0].memsz, 0x3000);
	CHECK_EQ_U(img.entry, 0x100000);

	/* Loading starts inside the file: header_addr - load_addr = 0x10. */
	aout_file(0x200010, 0x200000, 0x200100, 0, 0x2000ff);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].file_off, MBOFF - 0x10);
	CHECK_EQ_U(img.segs[0].filesz, 0x100);
	CHECK_EQ_U(img.segs[0].memsz, 0x100);
	CHECK_EQ_U(img.entry, 0x2000ff);

	/* Entry just past the image, and below it. */
	aout_file(0x200010, 0x200000, 0x200100, 0, 0x200100);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);
	CHECK_CONTAINS(err.msg, "0x00200100");
	aout_file(0x200010, 0x200000, 0x200100, 0x200200, 0x200100);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);	/* BSS counts */
	aout_file(0x200010, 0x200000, 0x200100, 0, 0x1fffff);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);
	aout_file(0x200010, 0x200000, 0x200100, 0, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);

	/* load_addr above header_addr. */
	aout_file(0x100000, 0x100004, 0, 0, 0x100004);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "0x00100004");
	CHECK_CONTAINS(err.msg, "0x00100000");

	/* The header would have to be further into the file than it is. */
	aout_file(0x100000 + MBOFF + 4, 0x100000, 0, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_AOUT_FIELDS);
	aout_file(0xffffffffu, 0, 0, 0, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_AOUT_FIELDS);

	/* load_end below load. */
	aout_file(0x100000 + MBOFF, 0x100000, 0xfffff, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "0x000fffff");

	/* load_end past the end of the file. */
	aout_file(0x100000 + MBOFF, 0x100000, 0x103001, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_FILE);
	CHECK_CONTAINS(err.msg, "12289");	/* bytes asked for */
	CHECK_CONTAINS(err.msg, "12288");	/* bytes there are */
	aout_file(0x100000 + MBOFF, 0x100000, 0x103000, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	aout_file(0x100000 + MBOFF, 0x100000, 0xffffffffu, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_FILE);

	/* bss_end below load_end. */
	aout_file(0x100000 + MBOFF, 0x100000, 0x102000, 0x101fff, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_AOUT_FIELDS);
	CHECK_CONTAINS(err.msg, "0x00101fff");
	/* bss_end below the end of a load-to-EOF image. */
	aout_file(0x100000 + MBOFF, 0x100000, 0, 0x102000, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_AOUT_FIELDS);
	/* bss_end == load_end: no BSS, fine. */
	aout_file(0x100000 + MBOFF, 0x100000, 0x102000, 0x102000, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].memsz, 0x2000);

	/* An empty image. */
	aout_file(0x100000 + MBOFF, 0x100000, 0x100000, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_NO_SEGMENTS);
	/* ... unless there is BSS: nothing from the file, all zeroed. */
	aout_file(0x100000 + MBOFF, 0x100000, 0x100000, 0x101000, 0x100000);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].filesz, 0);
	CHECK_EQ_U(img.segs[0].memsz, 0x1000);

	/* Up to exactly 4 GiB is fine, beyond is not. */
	aout_file(0xfffff000u + MBOFF, 0xfffff000u, 0, 0, 0xfffff000u);
	CHECK_EQ_U(probe(0x1000, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].addr, 0xfffff000u);
	CHECK_EQ_U(probe(0x1001, 0), MB_E_SEGMENT_RANGE);
	CHECK_CONTAINS(err.msg, "0xfffff000");
	aout_file(0xfffff000u + MBOFF, 0xfffff000u, 0, 0, 0xfffff000u);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_RANGE);

	/* The kludge with a header at the very start of the file. */
	memset(buf, 0, sizeof(buf));
	mbhdr_aout(0, 0, 0x100000, 0x100000, 0x100020, 0x100040, 0x100020);
	CHECK_EQ_U(probe(32, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].filesz, 32);
	CHECK_EQ_U(img.segs[0].memsz, 0x40);
	CHECK_EQ_U(probe(31, 0), MB_E_NO_HEADER);
}

/** Flag 16 on an ELF file: the kludge wins unless -noaout. */
static void test_aout_on_elf(void)
{
	struct elfspec e = elf_typical(1);

	build_elf(&e);
	mbhdr_aout(MBOFF, MB1_HF_MEMORY_INFO, 0x300000 + MBOFF, 0x300000,
		   0x302000, 0x304000, 0x300010);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_AOUT);
	CHECK_EQ_U(img.segs[0].addr, 0x300000);
	CHECK_EQ_U(img.entry, 0x300010);
	CHECK_EQ_U(probe(0x3000, MB_OPT_AOUT), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_AOUT);

	CHECK_EQ_U(probe(0x3000, MB_OPT_NOAOUT), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_ELF32);
	CHECK_EQ_U(img.nsegs, 2);
	CHECK_EQ_U(img.segs[0].addr, 0x100000);
	CHECK_EQ_U(img.entry, 0x10000c);

	/* -noaout with broken kludge fields on an ELF: the fields are not
	 * looked at; without -noaout they are. */
	build_elf(&e);
	mbhdr_aout(MBOFF, 0, 0x100000, 0x200000, 0, 0, 0);
	CHECK_EQ_U(probe(0x3000, MB_OPT_NOAOUT), MB_OK);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_AOUT_FIELDS);

	/* -noaout on a file that is not ELF: the kludge is all there is. */
	aout_file(0x100000 + MBOFF, 0x100000, 0, 0, 0x100000);
	CHECK_EQ_U(probe(0x3000, MB_OPT_NOAOUT), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_AOUT);

	/* ELF64 with the kludge (as Xen's multiboot header has). */
	e = elf_typical(2);
	build_elf(&e);
	mbhdr_aout(MBOFF, 0, 0x100000 + MBOFF, 0x100000, 0x102000, 0x108000,
		   0x100000 + MBOFF + 32);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_AOUT);
	CHECK_EQ_U(img.segs[0].memsz, 0x8000);
	CHECK_EQ_U(probe(0x3000, MB_OPT_NOAOUT), MB_OK);
	CHECK_EQ_U(img.format, MB_FMT_ELF64);
}

/* --- ELF ------------------------------------------------------------------ */

static void test_elf_good(void)
{
	for (int cls = 1; cls <= 2; cls++) {
		struct elfspec e = elf_typical(cls);
		build_mb_elf(&e, MB1_HF_MEMORY_INFO);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);
		CHECK_EQ_U(img.format, cls == 1 ? MB_FMT_ELF32 : MB_FMT_ELF64);
		CHECK_EQ_U(img.header_offset, MBOFF);
		CHECK_EQ_U(img.nsegs, 2);
		CHECK_EQ_U(img.segs[0].addr, 0x100000);
		CHECK_EQ_U(img.segs[0].file_off, 0x1000);
		CHECK_EQ_U(img.segs[0].filesz, 0x1000);
		CHECK_EQ_U(img.segs[0].memsz, 0x1000);
		CHECK_EQ_U(img.segs[1].addr, 0x101000);
		CHECK_EQ_U(img.segs[1].file_off, 0x2000);
		CHECK_EQ_U(img.segs[1].filesz, 0x800);
		CHECK_EQ_U(img.segs[1].memsz, 0x3000);
		CHECK_EQ_U(img.entry, 0x10000c);
		CHECK(image_sane(0x3000));

		/* The file may end exactly where the last segment's data does. */
		CHECK_EQ_U(probe(0x2800, 0), MB_OK);
		CHECK_EQ_U(probe(0x27ff, 0), MB_E_SEGMENT_FILE);
		CHECK_CONTAINS(err.msg, "segment 1");
		CHECK_CONTAINS(err.msg, "10239");	/* the file size */

		/* A wider program header entry is stepped over correctly. */
		e.phentsize = (uint16_t)(e.phentsize + 24);
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);
		CHECK_EQ_U(img.nsegs, 2);
		CHECK_EQ_U(img.segs[1].memsz, 0x3000);
	}
}

static void test_elf_sorted(void)
{
	/* Program headers in a scrambled order come out sorted. */
	static const uint32_t order[] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	for (int cls = 1; cls <= 2; cls++) {
		struct elfspec e = elf_spec(cls);
		e.entry = 0x100000 + 3 * 0x2000 + 4;
		for (unsigned i = 0; i < MB_ARRAY_SIZE(order); i++)
			add_ph(&e, PT_LOAD, 0x1000 + order[i] * 0x100,
			       0x100000 + order[i] * 0x2000,
			       0x100000 + order[i] * 0x2000, 0x100,
			       0x1000 + order[i]);
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);
		CHECK_EQ_U(img.nsegs, MB_ARRAY_SIZE(order));
		for (unsigned i = 0; i < img.nsegs; i++) {
			CHECK_EQ_U(img.segs[i].addr, 0x100000 + i * 0x2000);
			CHECK_EQ_U(img.segs[i].memsz, 0x1000 + i);
			CHECK_EQ_U(img.segs[i].file_off, 0x1000 + i * 0x100);
		}
		CHECK_EQ_U(img.entry, 0x106004);
	}
}

static void test_elf_skipped(void)
{
	for (int cls = 1; cls <= 2; cls++) {
		struct elfspec e = elf_spec(cls);
		e.entry = 0x100000;
		/* Junk in entries that are not loaded is never looked at. */
		add_ph(&e, PT_NOTE, 0xffffffffu, 0, 0xfffff000u, 0xffffffffu, 1);
		add_ph(&e, PT_NULL, 0, 0, 0, 0, 0);
		add_ph(&e, PT_GNU_STACK, 0, 0, 0, 0, 0x10000);
		add_ph(&e, PT_LOAD, 0x1000, 0x100000, 0x100000, 0x100, 0x100);
		add_ph(&e, PT_LOAD, 0xffffffffu, 0, 0xfffffff0u, 0, 0);
		add_ph(&e, PT_LOAD, 0x1000, 0x100000, 0x100000, 0, 0);
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);
		CHECK_EQ_U(img.nsegs, 1);
		CHECK_EQ_U(img.segs[0].addr, 0x100000);

		/* Nothing loadable at all. */
		e = elf_spec(cls);
		e.entry = 0x100000;
		add_ph(&e, PT_NOTE, 0x1000, 0x100000, 0x100000, 0x100, 0x100);
		add_ph(&e, PT_LOAD, 0x1000, 0x100000, 0x100000, 0, 0);
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_NO_SEGMENTS);
	}
}

static void test_elf_header_errors(void)
{
	for (int cls = 1; cls <= 2; cls++) {
		struct elfspec e = elf_typical(cls);

		e.type = 3;	/* ET_DYN */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
		CHECK_CONTAINS(err.msg, "type 3");

		e = elf_typical(cls);
		e.type = 1;	/* ET_REL */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);

		e = elf_typical(cls);
		e.machine = cls == 1 ? 62 : 3;	/* the other one */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
		CHECK_CONTAINS(err.msg, "machine");
		e.machine = 40;	/* ARM */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
		CHECK_CONTAINS(err.msg, "40");

		e = elf_typical(cls);
		e.data = 2;	/* big-endian */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
		CHECK_CONTAINS(err.msg, "endian");
		e.data = 0;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);

		e = elf_typical(cls);
		e.phentsize = (uint16_t)(e.phentsize - 1);
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
		e.phentsize = 0;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
	}

	/* Unknown classes. */
	struct elfspec e = elf_typical(1);
	e.cls = 0;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
	e.cls = 3;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
	CHECK_CONTAINS(err.msg, "class 3");

	/* An ELF64 file too short for its own header (header at 40..51). */
	e = elf_typical(2);
	build_elf(&e);
	mbhdr(40, 0);
	CHECK_EQ_U(probe(52, 0), MB_E_ELF_HEADER);
	CHECK_CONTAINS(err.msg, "52 bytes");

	/* Empty file. */
	CHECK_EQ_U(probe(0, 0), MB_E_EMPTY_FILE);
	CHECK_CONTAINS(err.msg, "empty");
}

static void test_elf_phdr_errors(void)
{
	for (int cls = 1; cls <= 2; cls++) {
		struct elfspec e = elf_typical(cls);

		/* Table runs past the end of the file. */
		e.phoff = 0x3000 - e.phentsize;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_PHDRS);
		CHECK_CONTAINS(err.msg, "2 entries");
		/* ... just fits. */
		e.phnum = 1;
		e.nph = 1;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);

		/* phoff at or past the end. */
		e = elf_typical(cls);
		e.phoff = 0x3000;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_PHDRS);
		e.phoff = cls == 1 ? 0xffffffffu : 0xffffffffffffff00ull;
		e.nph = 0;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_PHDRS);

		/* No program headers. */
		e = elf_typical(cls);
		e.phnum = 0;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_PHDRS);

		/* phnum * phentsize at their maxima. */
		e = elf_typical(cls);
		e.phnum = 0xffff;
		e.phentsize = 0xffff;
		e.nph = 0;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_PHDRS);
		CHECK_EQ_U(probe(BUF_SIZE, 0), MB_E_ELF_PHDRS);
		e.phoff = cls == 1 ? 0xfffffff0u : 0xfffffffffffffff0ull;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(BUF_SIZE, 0), MB_E_ELF_PHDRS);
	}
}

static void test_elf_segment_errors(void)
{
	for (int cls = 1; cls <= 2; cls++) {
		struct elfspec e = elf_typical(cls);

		/* Offset past the end of the file. */
		e.ph[1].offset = 0x3001;
		e.ph[1].filesz = 0;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_FILE);
		e.ph[1].offset = 0x3000;	/* at EOF, empty: fine */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);
		e.ph[1].offset = cls == 1 ? 0xffffffffu : 0x8000000000000000ull;
		e.ph[1].filesz = 0x10;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_FILE);
		/* offset + filesz wrapping around. */
		e.ph[1].offset = 0x1000;
		e.ph[1].filesz = e.ph[1].memsz = cls == 1 ? 0xfffff001u :
			0xfffffffffffff001ull;
		build_mb_elf(&e, 0);
		CHECK(probe(0x3000, 0) != MB_OK);

		/* filesz above memsz. */
		e = elf_typical(cls);
		e.ph[0].filesz = 0x1001;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
		CHECK_CONTAINS(err.msg, "segment 0");
		CHECK_CONTAINS(err.msg, "0x1001");

		/* Overlapping segments, in either order; touching is fine. */
		e = elf_typical(cls);
		e.ph[1].paddr = 0x100fff;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_OVERLAP);
		CHECK_CONTAINS(err.msg, "0x00100fff");
		e.ph[1].paddr = 0xff000;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_OVERLAP);
		e.ph[1].paddr = 0x100800;	/* inside the first */
		e.ph[1].memsz = e.ph[1].filesz = 0x10;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_OVERLAP);
		e.ph[1].paddr = 0x100000;	/* same address */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_OVERLAP);
		e.ph[1].paddr = 0xff000;	/* just touching below */
		e.ph[1].memsz = 0x1000;
		e.ph[1].filesz = 0x800;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);

		/* Entry outside every segment. */
		e = elf_typical(cls);
		e.entry = 0x104000;	/* just past the BSS */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);
		CHECK_CONTAINS(err.msg, "0x104000");
		e.entry = 0x103fff;	/* last BSS byte */
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);
		CHECK_EQ_U(img.entry, 0x103fff);
		e.entry = 0xfffff;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);

		/* Too many loadable segments. */
		e = elf_spec(cls);
		e.entry = 0x100000;
		e.phoff = 0x1800;	/* clear of the Multiboot header */
		for (unsigned i = 0; i < MB_MAX_SEGMENTS + 1; i++)
			add_ph(&e, PT_LOAD, 0x1000, 0x100000 + i * 0x1000,
			       0x100000 + i * 0x1000, 0x10, 0x10);
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_E_ELF_HEADER);
		CHECK_CONTAINS(err.msg, "32");
		e.nph = e.phnum = MB_MAX_SEGMENTS;
		build_mb_elf(&e, 0);
		CHECK_EQ_U(probe(0x3000, 0), MB_OK);
		CHECK_EQ_U(img.nsegs, MB_MAX_SEGMENTS);
	}
}

static void test_elf_range(void)
{
	/* ELF32: ending exactly at 4 GiB is fine, past it is not. */
	struct elfspec e = elf_spec(1);
	e.entry = 0xfffff000u;
	add_ph(&e, PT_LOAD, 0x1000, 0xfffff000u, 0xfffff000u, 0x100, 0x1000);
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	e.ph[0].memsz = 0x1001;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_RANGE);
	CHECK_CONTAINS(err.msg, "0xfffff000");
	e.ph[0].memsz = 0xffffffffu;	/* wraps in 32 bits */
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_RANGE);

	/* ELF64: segments at or above 4 GiB. */
	e = elf_spec(2);
	e.entry = 0x100000000ull;
	add_ph(&e, PT_LOAD, 0x1000, 0x100000000ull, 0x100000000ull, 0x100,
	       0x100);
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_RANGE);
	CHECK_CONTAINS(err.msg, "0x100000000");
	e.ph[0].paddr = 0xffffffffffff0000ull;	/* wraps in 64 bits */
	e.ph[0].memsz = 0x20000;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_RANGE);
	e.ph[0].paddr = 0x100000;
	e.ph[0].memsz = 0xffffffffffff0000ull;	/* huge */
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_RANGE);
	/* Exactly 4 GiB at 0 "ends at 4 GiB" but does not fit 32 bits. */
	e.ph[0].paddr = 0;
	e.ph[0].vaddr = 0;
	e.ph[0].memsz = 0x100000000ull;
	e.entry = 0x10;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_SEGMENT_RANGE);
	e.ph[0].memsz = 0xffffffffull;	/* the most that fits */
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].memsz, 0xffffffffu);
	e.ph[0].paddr = 0xfffff000u;
	e.ph[0].memsz = 0x1000;
	e.ph[0].vaddr = 0xfffff000u;
	e.entry = 0xfffff000u;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.segs[0].addr, 0xfffff000u);
}

static void test_elf_virtual_entry(void)
{
	/* A higher-half ELF32 kernel: entry translated to physical. */
	struct elfspec e = elf_spec(1);
	e.entry = 0xc010000c;
	add_ph(&e, PT_LOAD, 0x1000, 0xc0100000u, 0x100000, 0x1000, 0x1000);
	add_ph(&e, PT_LOAD, 0x2000, 0xc0200000u, 0x200000, 0x100, 0x1000);
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.entry, 0x10000c);
	CHECK_EQ_U(img.segs[0].addr, 0x100000);
	CHECK_EQ_U(img.segs[1].addr, 0x200000);
	e.entry = 0xc0200ff0u;	/* in the second segment's BSS */
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.entry, 0x200ff0);
	/* Linked higher-half with a physical e_entry (inside a segment's
	 * physical range, no virtual one): used as it is, as the stock
	 * module and QEMU -kernel do (issue 20). */
	e.entry = 0x10000c;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.entry, 0x10000c);
	e.entry = 0x200ff0;	/* the second segment's BSS, physically */
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.entry, 0x200ff0);
	/* In neither range: still refused. */
	e.entry = 0x101000;	/* between the segments, physically */
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);
	CHECK_CONTAINS(err.msg, "0x101000");
	e.entry = 0xc0101000u;	/* between them, virtually */
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);
	/* Both readings possible: the virtual one wins.  Segment 0 maps
	 * virtual 0x200000 to physical 0x100000; segment 1 sits at
	 * physical 0x200000: the entry 0x200010 is segment 0's virtual
	 * 0x200010 -> 0x100010, not segment 1's physical byte. */
	e = elf_spec(1);
	e.entry = 0x200010;
	add_ph(&e, PT_LOAD, 0x1000, 0x200000, 0x100000, 0x1000, 0x1000);
	add_ph(&e, PT_LOAD, 0x2000, 0xc0200000u, 0x200000, 0x100, 0x1000);
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.entry, 0x100010);

	/* ELF64 with the usual -2 GiB kernel mapping. */
	e = elf_spec(2);
	e.entry = 0xffffffff80100040ull;
	add_ph(&e, PT_LOAD, 0x1000, 0xffffffff80100000ull, 0x100000, 0x1000,
	       0x2000);
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.entry, 0x100040);
	CHECK_EQ_U(img.segs[0].memsz, 0x2000);
	/* Truncating the entry to 32 bits must not make it match. */
	e.entry = 0x80100040ull;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_E_ENTRY);
	/* ELF64 higher-half with a physical entry (Xen-style link). */
	e.entry = 0x100040;
	build_mb_elf(&e, 0);
	CHECK_EQ_U(probe(0x3000, 0), MB_OK);
	CHECK_EQ_U(img.entry, 0x100040);
}

/** Random byte changes to valid images: probe succeeds with a sane image
 * or fails cleanly (the ASan/UBSan build of this test catches the rest). */
static void test_mutations(void)
{
	static uint8_t orig[0x3000];
	unsigned seed = 99, ok = 0, fails = 0;

	for (int base = 0; base < 3; base++) {
		if (base < 2) {
			struct elfspec e = elf_typical(base + 1);
			build_mb_elf(&e, MB1_HF_MEMORY_INFO);
		} else {
			aout_file(0x100000 + MBOFF, 0x100000, 0x102000,
				  0x105000, 0x100100);
		}
		memcpy(orig, buf, sizeof(orig));
		for (int iter = 0; iter < 4000; iter++) {
			memcpy(buf, orig, sizeof(orig));
			unsigned nchanges = 1 + (seed >> 16) % 4;
			for (unsigned c = 0; c < nchanges; c++) {
				seed = seed * 1103515245 + 12345;
				/* Mostly hit the headers, sometimes anything. */
				unsigned r = seed >> 8;
				size_t at = r & 1 ? (r >> 1) % 0x180 :
					    r & 2 ? MBOFF + (r >> 2) % 32 :
						    (r >> 2) % sizeof(orig);
				seed = seed * 1103515245 + 12345;
				buf[at] = (uint8_t)(seed >> 16);
			}
			/* Keep the header checksum right half of the time. */
			if (iter & 1)
				put32(buf + MBOFF + 8, 0u - mb_le32(buf + MBOFF) -
						       mb_le32(buf + MBOFF + 4));
			seed = seed * 1103515245 + 12345;
			size_t len = sizeof(orig) - (seed >> 16) % 0x800;
			int rc = mb_image_probe(buf, len, "kern",
						(seed >> 12) & 1 ? MB_OPT_NOAOUT : 0,
						&img, &err);
			if (rc) {
				fails++;
				if (!CHECK_MSG(err.code == (enum mb_code)rc &&
					       err.msg[0], "clean failure %d", rc))
					return;
			} else {
				ok++;
				if (!CHECK_MSG(image_sane(len),
					       "sane image after mutation %d", iter))
					return;
			}
		}
	}
	CHECK(ok > 100);
	CHECK(fails > 100);
}

int main(void)
{
	test_header_search();
	test_header_checksum();
	test_flags();
	test_aout();
	test_aout_on_elf();
	test_elf_good();
	test_elf_sorted();
	test_elf_skipped();
	test_elf_header_errors();
	test_elf_phdr_errors();
	test_elf_segment_errors();
	test_elf_range();
	test_elf_virtual_entry();
	test_mutations();
	return check_summary("image");
}
