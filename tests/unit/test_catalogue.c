/*
 * test_catalogue.c - the catalogue of bad inputs (project issue #6, "every
 * bad input gets a clear error").
 *
 * One test per entry: it builds the bad input in memory, runs the lib/
 * function mboot.c32 runs on it (mb_parse_cmdline, mb_image_probe,
 * mb_plan / mb_plan_within, gz_decompress, mb2_find_header, mb2_check_bios,
 * mb2_image_probe ...) and asserts the exact error code and the exact full
 * message, written out literally here so that any change of wording shows
 * up as a failure (and docs/ERRORS.md, which lists the same lines, can be
 * brought up to date with it).  On the console the user sees each message
 * as "mboot: error: <message>".
 *
 * The output doubles as the catalogue: one line per entry,
 *
 *     ok   <entry>: <message>
 *     FAIL <entry>: ... what differed ...
 *
 * then "catalogue: N passed, M failed" (N and M count entries).
 *
 * The gzip messages come from lib/gunzip.c, which com32/main.c calls for
 * gzipped kernels and -gunzip modules; gunzip_module() below runs it the
 * way a -gunzip module is unpacked in place (into exactly ISIZE bytes).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "put.h"
#include "cmdline.h"
#include "crc32.h"
#include "digest.h"
#include "error.h"
#include "format.h"
#include "gunzip.h"
#include "gzip.h"
#include "image.h"
#include "mb2.h"
#include "probe.h"
#include "retry.h"
#include "mbi2.h"
#include "place.h"
#include "util.h"

#define BUF_SIZE (128 * 1024)

static uint8_t buf[BUF_SIZE];
static struct mb_image img;
static struct mb2_header_info mb2h;
static struct mb_request req;
static struct mb_error err;
static unsigned entries_passed, entries_failed;

/* --- the check ------------------------------------------------------------ */

/**
 * Judge one entry: @rc (what the function returned) and the recorded error
 * must be exactly @code and @msg.  Prints the catalogue line.
 */
static void expect(const char *entry, int rc, enum mb_code code,
		   const char *msg)
{
	int ok = rc == (int)code && err.code == code && !strcmp(err.msg, msg);

	if (ok) {
		entries_passed++;
		printf("ok   %s: %s\n", entry, err.msg);
		return;
	}
	entries_failed++;
	printf("FAIL %s:\n"
	       "     got      %d (%s), recorded %d (%s): \"%s\"\n"
	       "     expected %d (%s): \"%s\"\n",
	       entry, rc, mb_code_name((enum mb_code)rc), err.code,
	       mb_code_name(err.code), err.msg, code, mb_code_name(code), msg);
}

/** Start an entry: a clean error record and a zeroed buffer. */
static void fresh(void)
{
	memset(&err, 0, sizeof(err));
	memset(buf, 0, sizeof(buf));
	memset(&img, 0, sizeof(img));
	memset(&mb2h, 0, sizeof(mb2h));
}

/* --- little-endian writers -------------------------------------------------- */

/* --- Multiboot 1 kernels ------------------------------------------------------ */

/* The kernel the builders make, like tests/kernel's tk-elf32.elf: header at
 * 4096, one PT_LOAD of the file's second page at 1 MiB (plus BSS), entry
 * 0x100020. */
#define HDR_OFF 0x1000u
#define KLEN 0x2000u
#define LOAD 0x100000u
#define ENTRY 0x100020u

/** A Multiboot 1 header at @off with @flags and a right checksum. */
static void mb1hdr(size_t off, uint32_t flags)
{
	put32(buf + off, MB1_HEADER_MAGIC);
	put32(buf + off + 4, flags);
	put32(buf + off + 8, 0u - MB1_HEADER_MAGIC - flags);
}

/** The same with the a.out kludge fields (flag 16 added). */
static void mb1hdr_aout(size_t off, uint32_t flags, uint32_t header_addr,
			uint32_t load_addr, uint32_t load_end_addr,
			uint32_t bss_end_addr, uint32_t entry_addr)
{
	mb1hdr(off, flags | MB1_HF_AOUT_KLUDGE);
	put32(buf + off + 12, header_addr);
	put32(buf + off + 16, load_addr);
	put32(buf + off + 20, load_end_addr);
	put32(buf + off + 24, bss_end_addr);
	put32(buf + off + 28, entry_addr);
}

struct ph {
	uint64_t offset, paddr, filesz, memsz;
};

/** An ELF32 (@cls 1) or ELF64 (@cls 2) executable header with @n PT_LOAD
 * program headers @ph (vaddr = paddr) right after it, entry @entry. */
static void elf(int cls, uint64_t entry, const struct ph *ph, unsigned n)
{
	memcpy(buf, "\177ELF", 4);
	buf[4] = (uint8_t)cls;
	buf[5] = 1;		/* little-endian */
	buf[6] = 1;
	put16(buf + 16, 2);	/* ET_EXEC */
	put16(buf + 18, cls == 1 ? 3 : 62);
	put32(buf + 20, 1);
	if (cls == 1) {
		put32(buf + 24, (uint32_t)entry);
		put32(buf + 28, 52);
		put16(buf + 40, 52);
		put16(buf + 42, 32);
		put16(buf + 44, (uint16_t)n);
		for (unsigned i = 0; i < n; i++) {
			uint8_t *p = buf + 52 + 32 * i;
			put32(p, 1);
			put32(p + 4, (uint32_t)ph[i].offset);
			put32(p + 8, (uint32_t)ph[i].paddr);
			put32(p + 12, (uint32_t)ph[i].paddr);
			put32(p + 16, (uint32_t)ph[i].filesz);
			put32(p + 20, (uint32_t)ph[i].memsz);
			put32(p + 24, 7);
			put32(p + 28, 0x1000);
		}
	} else {
		put64(buf + 24, entry);
		put64(buf + 32, 64);
		put16(buf + 52, 64);
		put16(buf + 54, 56);
		put16(buf + 56, (uint16_t)n);
		for (unsigned i = 0; i < n; i++) {
			uint8_t *p = buf + 64 + 56 * i;
			put32(p, 1);
			put32(p + 4, 7);
			put64(p + 8, ph[i].offset);
			put64(p + 16, ph[i].paddr);
			put64(p + 24, ph[i].paddr);
			put64(p + 32, ph[i].filesz);
			put64(p + 40, ph[i].memsz);
			put64(p + 48, 0x1000);
		}
	}
}

/** The standard good ELF32 kernel (header flags 3: page-aligned modules,
 * memory information), for the entries that break one thing later. */
static void good_elf32(void)
{
	static const struct ph ph = { HDR_OFF, LOAD, 0x1000, 0x2af80 };

	elf(1, ENTRY, &ph, 1);
	mb1hdr(HDR_OFF, 3);
}

static int probe(size_t len, const char *name)
{
	return mb_image_probe(buf, len, name, 0, &img, &err);
}

/* --- the command line --------------------------------------------------------- */

static int parse(const char *line)
{
	return mb_parse_cmdline(line, &req, &err);
}

static void t_no_kernel(void)
{
	fresh();
	expect("no-kernel", parse("   "), MB_E_USAGE,
	       "no kernel given; usage: mboot.c32 [options] KERNEL [args] [--- MODULE [args]]...");
	fresh();
	expect("no-kernel-only-options", parse("-quiet -verbose"), MB_E_USAGE,
	       "no kernel given; usage: mboot.c32 [options] KERNEL [args] [--- MODULE [args]]...");
}

static void t_empty_module(void)
{
	fresh();
	expect("empty-module", parse("xen.gz dom0_mem=512M --- --- initrd.img"),
	       MB_E_EMPTY_MODULE,
	       "module 1 is empty (\"--- ---\" or a trailing \"---\")");
}

static void t_trailing_sep(void)
{
	fresh();
	expect("trailing-sep", parse("xen.gz --- vmlinuz ro ---"),
	       MB_E_EMPTY_MODULE,
	       "module 2 is empty (\"--- ---\" or a trailing \"---\")");
}

static void t_unknown_option(void)
{
	fresh();
	expect("unknown-loader-option", parse("-quite xen.gz"),
	       MB_E_BAD_OPTION,
	       "unknown loader option \"-quite\" (file names may not start with '-')");
	fresh();
	expect("unknown-module-option", parse("xen.gz --- -gzip initrd.gz"),
	       MB_E_BAD_OPTION,
	       "unknown module option \"-gzip\" (file names may not start with '-')");
	fresh();
	expect("fallback-label-too-long",
	       parse("-fallback=a-label-name-that-is-much-longer-than-sixty-three-characters-in-all xen.gz"),
	       MB_E_BAD_OPTION,
	       "fallback label \"a-label-name-that-is-much-longer-than-sixty-three-characters-in-all\" is longer than 63 characters");
}

static void t_line_too_long(void)
{
	static char line[MB_CMDLINE_MAX + 1];

	fresh();
	memset(line, 'x', MB_CMDLINE_MAX);
	memcpy(line, "xen.gz ", 7);
	line[MB_CMDLINE_MAX] = '\0';
	expect("line-too-long", parse(line), MB_E_CMDLINE_TOO_LONG,
	       "command line is 2048 characters; the limit is 2047");
}

static void t_too_many_modules(void)
{
	static char line[MB_CMDLINE_MAX];
	size_t n;

	/* 128 modules: the information structure describes at most 127
	 * (MB_MAX_FILES - 1) next to the kernel. */
	fresh();
	n = (size_t)sprintf(line, "k");
	for (unsigned i = 0; i < MB_MAX_FILES; i++)
		n += (size_t)sprintf(line + n, " --- m%u", i);
	expect("too-many-modules", parse(line), MB_E_TOO_MANY_FILES,
	       "more than 127 modules given");
}

/* --- the kernel's Multiboot 1 header ------------------------------------------- */

static void t_empty_kernel(void)
{
	fresh();
	expect("empty-kernel", probe(0, "empty.elf"), MB_E_EMPTY_FILE,
	       "empty.elf: file is empty");
}

static void t_no_header(void)
{
	fresh();
	memcpy(buf, "MZ this is not a Multiboot kernel", 33);
	expect("no-header", probe(20000, "noheader.bin"), MB_E_NO_HEADER,
	       "noheader.bin: no Multiboot header in the first 8192 bytes (not a Multiboot kernel)");
}

static void t_bad_checksum(void)
{
	fresh();
	good_elf32();
	put32(buf + HDR_OFF + 8, 0xe4524ffc);
	expect("bad-checksum", probe(KLEN, "bad-checksum.elf"),
	       MB_E_HEADER_CHECKSUM,
	       "bad-checksum.elf: Multiboot header at offset 4096 has a bad checksum (magic 0x1badb002 + flags 0x00000003 + checksum 0xe4524ffc != 0)");
}

static void t_header_past_8k(void)
{
	fresh();
	mb1hdr(8192, 3);
	expect("header-past-8k", probe(16384, "far.elf"),
	       MB_E_HEADER_TOO_FAR,
	       "far.elf: Multiboot header found at offset 8192, but it must lie within the first 8192 bytes");
}

static void t_header_straddles_8k(void)
{
	/* 12 bytes at 8184: its last 4 bytes are past the limit. */
	fresh();
	mb1hdr(8184, 3);
	expect("header-straddles-8k", probe(16384, "straddle.elf"),
	       MB_E_HEADER_TOO_FAR,
	       "straddle.elf: Multiboot header found at offset 8184, but it must lie within the first 8192 bytes");
	/* Magic, flags and checksum inside, a.out fields (32 bytes) not. */
	fresh();
	mb1hdr_aout(8180, 0, 0x101ff4, 0x100000, 0, 0, 0x100000);
	expect("header-fields-past-8k", probe(16384, "straddle.bin"),
	       MB_E_HEADER_TOO_FAR,
	       "straddle.bin: Multiboot header at offset 8180 ends past the first 8192 bytes");
}

static void t_header_cut_off(void)
{
	fresh();
	mb1hdr_aout(100, 0, 0x100064, 0x100000, 0, 0, 0x100000);
	expect("header-cut-off", probe(120, "short.bin"), MB_E_NO_HEADER,
	       "short.bin: Multiboot header at offset 100 is cut off by the end of the file (120 bytes)");
}

static void t_required_flag(void)
{
	fresh();
	good_elf32();
	mb1hdr(HDR_OFF, 7);
	expect("required-flag-2", probe(KLEN, "flag2.elf"),
	       MB_E_UNSUPPORTED_FLAG,
	       "flag2.elf: Multiboot header requires flag bit 2 (video mode information; flags 0x00000007), which mboot does not support");
	fresh();
	good_elf32();
	mb1hdr(HDR_OFF, 0x23);
	expect("required-flag-5", probe(KLEN, "flag5.elf"),
	       MB_E_UNSUPPORTED_FLAG,
	       "flag5.elf: Multiboot header requires flag bit 5 (flags 0x00000023), which mboot does not support");
}

/* --- a.out kludge ------------------------------------------------------------- */

/* A flat binary: header at 0x40, so header_addr = load_addr + 0x40. */
#define AOFF 0x40u
#define ALEN 0x3000u

static void t_aout_fields(void)
{
	fresh();
	mb1hdr_aout(AOFF, 0, 0x100040, 0x100080, 0, 0, 0x100080);
	expect("aout-load-above-header", probe(ALEN, "kludge.bin"),
	       MB_E_AOUT_FIELDS,
	       "kludge.bin: a.out kludge: load_addr 0x00100080 is above header_addr 0x00100040");
	fresh();
	mb1hdr_aout(AOFF, 0, 0x101040, 0x100000, 0, 0, 0x100000);
	expect("aout-header-before-file", probe(ALEN, "kludge.bin"),
	       MB_E_AOUT_FIELDS,
	       "kludge.bin: a.out kludge: header_addr - load_addr = 0x1040 but the header is only 64 bytes into the file");
	fresh();
	mb1hdr_aout(AOFF, 0, 0x100040, 0x100000, 0xff000, 0, 0x100000);
	expect("aout-load-end-below-load", probe(ALEN, "kludge.bin"),
	       MB_E_AOUT_FIELDS,
	       "kludge.bin: a.out kludge: load_end_addr 0x000ff000 is below load_addr 0x00100000");
	fresh();
	mb1hdr_aout(AOFF, 0, 0x100040, 0x100000, 0x102000, 0x101000,
		    0x100000);
	expect("aout-bss-end-below-load-end", probe(ALEN, "kludge.bin"),
	       MB_E_AOUT_FIELDS,
	       "kludge.bin: a.out kludge: bss_end_addr 0x00101000 is below the end of the loaded image 0x00102000");
	fresh();
	mb1hdr_aout(AOFF, 0, 0x100040, 0x100000, 0x104000, 0x105000,
		    0x100000);
	expect("aout-load-end-past-eof", probe(ALEN, "kludge.bin"),
	       MB_E_SEGMENT_FILE,
	       "kludge.bin: a.out kludge: load_end_addr 0x00104000 asks for 16384 bytes but the file has only 12288 from offset 0");
	fresh();
	mb1hdr_aout(AOFF, 0, 0x100040, 0x100000, 0, 0x105000, 0x200000);
	expect("aout-entry-outside", probe(ALEN, "kludge.bin"), MB_E_ENTRY,
	       "kludge.bin: a.out kludge: entry_addr 0x00200000 is outside the image 0x00100000-0x00105000");
	fresh();
	mb1hdr_aout(AOFF, 0, 0xfffff040, 0xfffff000, 0, 0, 0xfffff000);
	expect("aout-above-4g", probe(ALEN, "kludge.bin"), MB_E_SEGMENT_RANGE,
	       "kludge.bin: a.out kludge: image at 0xfffff000 (12288 bytes) does not fit below 4 GiB");
}

/* --- ELF ------------------------------------------------------------------------ */

static void t_not_elf(void)
{
	fresh();
	mb1hdr(HDR_OFF, 3);
	expect("not-elf", probe(KLEN, "flat.bin"), MB_E_NOT_ELF,
	       "flat.bin: not an ELF file and header flag 16 (a.out kludge) is not set");
}

static void t_elf_header(void)
{
	fresh();
	good_elf32();
	put16(buf + 16, 3);	/* ET_DYN */
	expect("elf-not-executable", probe(KLEN, "pie.elf"), MB_E_ELF_HEADER,
	       "pie.elf: ELF type 3 is not an executable (ET_EXEC)");
	fresh();
	good_elf32();
	put16(buf + 18, 40);	/* EM_ARM */
	expect("elf-wrong-machine", probe(KLEN, "arm.elf"), MB_E_ELF_HEADER,
	       "arm.elf: ELF32 machine 40 is not i386");
	fresh();
	good_elf32();
	buf[5] = 2;
	expect("elf-big-endian", probe(KLEN, "be.elf"), MB_E_ELF_HEADER,
	       "be.elf: ELF file is not little-endian");
}

static void t_elf_truncated_phdrs(void)
{
	/* Three program headers announced right after the Multiboot
	 * header, the file ends in the middle of the second. */
	fresh();
	good_elf32();
	put32(buf + 28, HDR_OFF + 16);
	put16(buf + 44, 3);
	expect("elf-phdrs-truncated", probe(HDR_OFF + 16 + 40, "cut.elf"),
	       MB_E_ELF_PHDRS,
	       "cut.elf: ELF program header table (3 entries of 32 bytes at offset 4112) is not inside the file (4152 bytes)");
}

static void t_segment_past_eof(void)
{
	static const struct ph ph = { HDR_OFF, LOAD, 0x3000, 0x3000 };

	fresh();
	elf(1, ENTRY, &ph, 1);
	mb1hdr(HDR_OFF, 3);
	expect("segment-past-eof", probe(KLEN, "short.elf"), MB_E_SEGMENT_FILE,
	       "short.elf: segment 0 (offset 4096, 12288 bytes) runs past the end of the file (8192 bytes)");
	static const struct ph ph2[2] = {
		{ HDR_OFF, LOAD, 0x1000, 0x1000 },
		{ 0x10000, 0x200000, 0x100, 0x100 },
	};
	fresh();
	elf(1, ENTRY, ph2, 2);
	mb1hdr(HDR_OFF, 3);
	expect("segment-offset-past-eof", probe(KLEN, "short.elf"),
	       MB_E_SEGMENT_FILE,
	       "short.elf: segment 1 (offset 65536, 256 bytes) runs past the end of the file (8192 bytes)");
}

static void t_segment_filesz_above_memsz(void)
{
	static const struct ph ph = { HDR_OFF, LOAD, 0x1000, 0x800 };

	fresh();
	elf(1, ENTRY, &ph, 1);
	mb1hdr(HDR_OFF, 3);
	expect("segment-filesz-above-memsz", probe(KLEN, "odd.elf"),
	       MB_E_ELF_HEADER,
	       "odd.elf: segment 0 has file size 0x1000 above its memory size 0x800");
}

static void t_segment_overlap(void)
{
	static const struct ph ph[2] = {
		{ HDR_OFF, LOAD, 0x1000, 0x3000 },
		{ HDR_OFF, LOAD + 0x2000, 0x1000, 0x1000 },
	};

	fresh();
	elf(1, ENTRY, ph, 2);
	mb1hdr(HDR_OFF, 3);
	expect("segment-overlap", probe(KLEN, "overlap.elf"),
	       MB_E_SEGMENT_OVERLAP,
	       "overlap.elf: segments overlap: 0x00100000-0x00103000 and 0x00102000-0x00103000");
}

static void t_no_segments(void)
{
	fresh();
	good_elf32();
	put32(buf + 52, 4);	/* PT_NOTE */
	expect("no-loadable-segment", probe(KLEN, "empty.elf"),
	       MB_E_NO_SEGMENTS,
	       "empty.elf: ELF file has no loadable segment");
}

static void t_entry_outside(void)
{
	fresh();
	good_elf32();
	put32(buf + 24, 0x400000);
	expect("entry-outside", probe(KLEN, "entry.elf"), MB_E_ENTRY,
	       "entry.elf: entry point 0x400000 is outside every loadable segment");
}

static void t_elf64_above_4g(void)
{
	static const struct ph ph[2] = {
		{ HDR_OFF, LOAD, 0x1000, 0x1000 },
		{ HDR_OFF, 0x100000000ull, 0x1000, 0x2000 },
	};

	fresh();
	elf(2, ENTRY, ph, 2);
	mb1hdr(HDR_OFF, 3);
	expect("elf64-segment-above-4g", probe(KLEN, "high64.elf"),
	       MB_E_SEGMENT_RANGE,
	       "high64.elf: segment 1 at 0x100000000-0x100002000 does not lie below 4 GiB");
	static const struct ph ph2 = { HDR_OFF, 0xfffff000u, 0x1000, 0x2000 };
	fresh();
	elf(2, 0xfffff000u, &ph2, 1);
	mb1hdr(HDR_OFF, 3);
	expect("elf64-segment-across-4g", probe(KLEN, "cross64.elf"),
	       MB_E_SEGMENT_RANGE,
	       "cross64.elf: segment 0 at 0xfffff000-0x100001000 does not lie below 4 GiB");
}

/* --- placement: RAM, low memory, out of memory ----------------------------------- */

/* The RAM of a 128 MiB QEMU guest as the planner gets it. */
static const struct mb_range ram128[] = {
	{ 0, 0x9fc00 },
	{ 0x100000, 0x7fe0000 },
};

static void t_segment_not_ram(void)
{
	static const struct ph ph = { HDR_OFF, 0xe0000000u, 0x1000, 0x2af80 };

	fresh();
	elf(1, 0xe0000020u, &ph, 1);
	mb1hdr(HDR_OFF, 3);
	int rc = probe(KLEN, "not-ram.elf");
	if (rc == MB_OK)
		rc = mb_plan(ram128, 2, &img, "not-ram.elf", NULL, 0, &err);
	expect("segment-not-ram", rc, MB_E_SEGMENT_NOT_RAM,
	       "not-ram.elf: segment 0xe0000000-0xe002af80 is not inside usable RAM");
}

static void t_segment_low(void)
{
	static const struct ph ph = { HDR_OFF, 0x8000, 0x1000, 0x2af80 };

	fresh();
	elf(1, 0x8020, &ph, 1);
	mb1hdr(HDR_OFF, 3);
	int rc = probe(KLEN, "low.elf");
	if (rc == MB_OK)
		rc = mb_plan(ram128, 2, &img, "low.elf", NULL, 0, &err);
	expect("segment-low", rc, MB_E_SEGMENT_IN_USE,
	       "low.elf: segment 0x00008000-0x00032f80 lies below 1 MiB, where the BIOS, PXELINUX and the PXE stack live");
}

static void t_out_of_memory(void)
{
	/* As com32/main.c plans it: information, boot area, (no kernel
	 * image move), then the modules, inside the loader's arena. */
	static const struct mb_range arena[] = { { 0x400000, 0x7e00000 } };
	struct mb_alloc allocs[] = {
		{ "Multiboot information", 391, 8, 0 },
		{ "boot area", 600, 16, 0 },
		{ "kernel image", 0, 16, 0 },
		{ "initrd.img", 20000000, MB_PAGE_SIZE, 0 },
		{ "huge.bin", 209715200, MB_PAGE_SIZE, 0 },
	};

	fresh();
	good_elf32();
	int rc = probe(KLEN, "tk-elf32.elf");
	if (rc == MB_OK)
		rc = mb_plan_within(ram128, 2, arena, 1, &img, "tk-elf32.elf",
				    allocs, 5, &err);
	expect("out-of-memory", rc, MB_E_OUT_OF_MEMORY,
	       "huge.bin: out of memory: needs 209715200 bytes (204800 KiB) in one piece, the largest free block below 4 GiB is 105388 KiB (105388 KiB free in all, 204800 KiB still to place)");
}

/* --- gzip ---------------------------------------------------------------------- */

/* What a -gunzip module goes through (com32/main.c): lib/gunzip.c's
 * plausibility check of the trailer's ISIZE, then decompression into
 * exactly that many bytes.  (A kernel's buffer grows instead when ISIZE
 * is too small: several gzip members.) */
static uint8_t gz_out[64 * 1024];

static int gunzip_module(const uint8_t *in, size_t in_len, const char *name)
{
	size_t out_len = 0;
	uint32_t size;
	int rc = mb_gunzip_size(in, in_len, name, &size, &err);

	if (rc)
		return rc;
	if (size > sizeof(gz_out))
		return mb_fail(&err, MB_E_FIRMWARE, "test buffer too small");
	return mb_gunzip(in, in_len, name, gz_out, size, &out_len, NULL, &err);
}

/* A deterministic gzip file (one stored block, so the offsets in the
 * messages do not depend on a compressor): 10-byte header, 5-byte block
 * header, GZ_DATA bytes, CRC-32, ISIZE.  1023 bytes in all. */
#define GZ_DATA 1000u
#define GZ_LEN (10 + 5 + GZ_DATA + 8)

static size_t gz_build(void)
{
	static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	uint8_t *d = buf + 15;

	memcpy(buf, hdr, 10);
	buf[10] = 1;	/* BFINAL, stored */
	put16(buf + 11, GZ_DATA);
	put16(buf + 13, (uint16_t)~GZ_DATA);
	for (unsigned i = 0; i < GZ_DATA; i++)
		d[i] = (uint8_t)('a' + i % 26);
	put32(d + GZ_DATA, crc32_update(0, d, GZ_DATA));
	put32(d + GZ_DATA + 4, GZ_DATA);
	return GZ_LEN;
}

static void t_gzip(void)
{
	size_t n;

	/* First, the builder's file must be good. */
	fresh();
	n = gz_build();
	if (gunzip_module(buf, n, "good.gz") != MB_OK)
		printf("FAIL gzip builder: %s\n", err.msg), entries_failed++;

	fresh();
	n = gz_build();
	buf[n - 8] ^= 0x55;
	expect("gzip-bad-crc", gunzip_module(buf, n, "bad-crc.gz"), MB_E_GZIP,
	       "bad-crc.gz: gzip data error at compressed offset 1015: CRC-32 mismatch");

	/* ISIZE larger than the data, yet plausible. */
	fresh();
	n = gz_build();
	put32(buf + n - 4, 2 * GZ_DATA);
	expect("gzip-bad-isize", gunzip_module(buf, n, "bad-isize.gz"),
	       MB_E_GZIP,
	       "bad-isize.gz: gzip data error at compressed offset 1019: uncompressed size mismatch");
	/* ISIZE smaller than the data: the buffer sized by it overflows. */
	fresh();
	n = gz_build();
	put32(buf + n - 4, GZ_DATA / 2);
	expect("gzip-small-isize", gunzip_module(buf, n, "small-isize.gz"),
	       MB_E_GZIP,
	       "small-isize.gz: gzip data error at compressed offset 15: output buffer too small");

	/* Cut in the data: the last four bytes read as a huge ISIZE. */
	fresh();
	n = gz_build();
	expect("gzip-truncated", gunzip_module(buf, 615, "truncated.gz"),
	       MB_E_GZIP,
	       "truncated.gz: gzip trailer claims 1650555513 bytes from 615 compressed: the file is truncated or corrupt");
	/* Cut in the data where the last four bytes happen to look like a
	 * plausible size (4096). */
	fresh();
	n = gz_build();
	put32(buf + 611, 4096);
	expect("gzip-truncated-plausible",
	       gunzip_module(buf, 615, "truncated.gz"), MB_E_GZIP,
	       "truncated.gz: gzip data error at compressed offset 615: unexpected end of input");
	fresh();
	n = gz_build();
	expect("gzip-truncated-header", gunzip_module(buf, 10, "stub.gz"),
	       MB_E_GZIP, "stub.gz: gzip file is truncated (10 bytes)");

	/* Garbage after the member.  Its last four bytes are what the size
	 * check reads: arbitrary garbage usually fails that check ... */
	fresh();
	n = gz_build();
	memcpy(buf + n, "GARBAGE!", 8);
	expect("gzip-garbage-after", gunzip_module(buf, n + 8, "junk.gz"),
	       MB_E_GZIP,
	       "junk.gz: gzip trailer claims 558188353 bytes from 1031 compressed: the file is truncated or corrupt");
	/* ... while garbage ending like the trailer reaches the decoder. */
	fresh();
	n = gz_build();
	memcpy(buf + n, buf + n - 8, 8);
	expect("gzip-garbage-after-member",
	       gunzip_module(buf, n + 8, "junk.gz"), MB_E_GZIP,
	       "junk.gz: gzip data error at compressed offset 1023: trailing garbage after data");

	fresh();
	n = gz_build();
	buf[3] = 0x20;	/* FLG bit 5: reserved */
	expect("gzip-bad-flags", gunzip_module(buf, n, "flags.gz"), MB_E_GZIP,
	       "flags.gz: gzip data error at compressed offset 3: reserved header flags set");
	fresh();
	n = gz_build();
	buf[2] = 7;	/* CM: not deflate */
	expect("gzip-bad-method", gunzip_module(buf, n, "method.gz"), MB_E_GZIP,
	       "method.gz: gzip data error at compressed offset 2: unknown compression method");
}

/* --- Multiboot 2 ------------------------------------------------------------------ */

#define MB2OFF 0x1000u

/** A Multiboot2 header at MB2OFF: architecture @arch, the @tlen bytes of
 * @tags (8-byte aligned tags, without the end tag), then an end tag. */
static void mb2hdr(uint32_t arch, const uint8_t *tags, uint32_t tlen)
{
	uint8_t *h = buf + MB2OFF;
	uint32_t hlen = 16 + tlen + 8;

	put32(h, MB2_HEADER_MAGIC);
	put32(h + 4, arch);
	put32(h + 8, hlen);
	put32(h + 12, 0u - MB2_HEADER_MAGIC - arch - hlen);
	if (tlen)
		memcpy(h + 16, tags, tlen);
	put16(h + 16 + tlen, MB2_HT_END);
	put16(h + 16 + tlen + 2, 0);
	put32(h + 16 + tlen + 4, 8);
}

/** Tag writer: type, flags, size, then 32-bit fields; padded to 8. */
static uint32_t tag(uint8_t *p, uint16_t type, uint16_t flags,
		    const uint32_t *fields, unsigned n)
{
	uint32_t size = 8 + 4 * n;

	put16(p, type);
	put16(p + 2, flags);
	put32(p + 4, size);
	for (unsigned i = 0; i < n; i++)
		put32(p + 8 + 4 * i, fields[i]);
	return MB_ALIGN_UP(size, 8u);
}

/** What a BIOS boot through com32/main.c gives (mb2_info_types): an
 * RSDP, PXELINUX's DHCP ACK, the load base; no APM, no ELF sections. */
static uint32_t bios_can_give(void)
{
	static const uint8_t rsdp[20], ack[300];
	struct mb2_input in;

	memset(&in, 0, sizeof(in));
	in.rsdp_v1 = rsdp;
	in.dhcp_ack = ack;
	in.dhcp_ack_len = sizeof(ack);
	in.have_load_base = true;
	return mb2_info_types(&in);
}

/** What com32/main.c runs for a Multiboot2 kernel on BIOS: the header,
 * the image, then what the BIOS boot can honour. */
/** What com32/main.c runs on BIOS with loader options @opts: the probe
 * (lib/probe.c chooses the protocol), then for Multiboot 2 the BIOS
 * check of what the header requires. */
static int probe_run(size_t len, const char *name, unsigned opts)
{
	int proto;
	int rc = mb_probe_kernel(buf, len, name, opts, false, &img, &mb2h,
				 &proto, &err);
	if (rc || proto == 1)
		return rc;
	return mb2_check_bios(&mb2h, name, bios_can_give(), &err);
}

/** The same with -mb2. */
static int mb2_run(size_t len, const char *name)
{
	return probe_run(len, name, MB_OPT_MB2);
}

/** The same without -mb1/-mb2. */
static int auto_run(size_t len, const char *name)
{
	return probe_run(len, name, 0);
}

/** An ELF32 image for the Multiboot2 entries: no Multiboot 1 header. */
static void mb2_elf(void)
{
	static const struct ph ph = { HDR_OFF, LOAD, 0x1000, 0x2af80 };

	elf(1, ENTRY, &ph, 1);
}

/* mb2_run() is what runs with -mb2 (or on UEFI); auto_run() what runs
 * without an option.  Entries past the checksum ones use auto_run(): their
 * headers are intact, so the console shows the same line either way. */
static void t_mb2(void)
{
	uint8_t tags[256];
	uint32_t t;

	fresh();
	mb2_elf();
	expect("mb2-no-header", mb2_run(KLEN, "plain.elf"), MB_E_NO_HEADER,
	       "plain.elf: no Multiboot2 header in the first 32768 bytes");

	fresh();
	mb2_elf();
	mb2hdr(MB2_ARCH_I386, NULL, 0);
	put32(buf + MB2OFF + 12, 0x12345678);
	expect("mb2-bad-checksum", mb2_run(KLEN, "sum2.elf"),
	       MB_E_HEADER_CHECKSUM,
	       "sum2.elf: Multiboot2 header at offset 4096 has a bad checksum (magic 0xe85250d6 + architecture 0x00000000 + header_length 0x00000018 + checksum 0x12345678 != 0)");

	/* The same file without -mb2: no Multiboot 1 header, but the
	 * Multiboot 2 magic is there, so its error is the one reported. */
	fresh();
	mb2_elf();
	mb2hdr(MB2_ARCH_I386, NULL, 0);
	put32(buf + MB2OFF + 12, 0x12345678);
	expect("mb2-bad-checksum-without-mb2", auto_run(KLEN, "sum2.elf"),
	       MB_E_HEADER_CHECKSUM,
	       "sum2.elf: Multiboot2 header at offset 4096 has a bad checksum (magic 0xe85250d6 + architecture 0x00000000 + header_length 0x00000018 + checksum 0x12345678 != 0)");

	fresh();
	mb2_elf();
	mb2hdr(7, NULL, 0);
	expect("mb2-bad-architecture", auto_run(KLEN, "arch.elf"),
	       MB_E_MB2_HEADER,
	       "arch.elf: Multiboot2 header at offset 4096 has unknown architecture 7 (i386 is 0)");
	fresh();
	mb2_elf();
	mb2hdr(MB2_ARCH_MIPS32, NULL, 0);
	expect("mb2-mips", auto_run(KLEN, "mips.elf"), MB_E_MB2_UNSUPPORTED,
	       "mips.elf: Multiboot2 header at offset 4096 is for 32-bit MIPS (architecture 4), not i386");

	fresh();
	mb2_elf();
	mb2hdr(MB2_ARCH_I386, NULL, 0);
	put32(buf + MB2OFF + 8, 0x2000);	/* header_length past EOF */
	put32(buf + MB2OFF + 12, 0u - MB2_HEADER_MAGIC - 0x2000);
	expect("mb2-header-cut-off", auto_run(KLEN, "cut2.elf"),
	       MB_E_MB2_HEADER,
	       "cut2.elf: Multiboot2 header at offset 4096 (header_length 8192) is cut off by the end of the file (8192 bytes)");

	fresh();
	mb2_elf();
	t = tag(tags, 42, 0, NULL, 0);
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-unknown-required-tag", auto_run(KLEN, "tag42.elf"),
	       MB_E_MB2_UNSUPPORTED,
	       "tag42.elf: Multiboot2 header tag type 42 at offset 4112 is not marked optional, and mboot does not know that tag");

	/* Required EFI tags on a BIOS boot. */
	fresh();
	mb2_elf();
	t = tag(tags, MB2_HT_EFI_BS, 0, NULL, 0);
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-efi-boot-services", auto_run(KLEN, "efi.elf"),
	       MB_E_MB2_UNSUPPORTED,
	       "efi.elf: Multiboot2 header tag 7 (EFI boot services) is not marked optional: the kernel requires EFI boot services, which a BIOS PXELINUX boot cannot provide");
	fresh();
	mb2_elf();
	{
		uint32_t f = 0x100020;
		t = tag(tags, MB2_HT_ENTRY_EFI64, 0, &f, 1);
	}
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-efi64-entry", auto_run(KLEN, "efi64.elf"),
	       MB_E_MB2_UNSUPPORTED,
	       "efi64.elf: Multiboot2 header tag 9 (EFI amd64 entry point) is not marked optional: the kernel requires EFI boot services, which a BIOS PXELINUX boot cannot provide");

	/* A required video mode, a required console. */
	fresh();
	mb2_elf();
	{
		uint32_t f[3] = { 1024, 768, 32 };
		t = tag(tags, MB2_HT_FRAMEBUFFER, 0, f, 3);
	}
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-framebuffer", auto_run(KLEN, "fb.elf"), MB_E_MB2_UNSUPPORTED,
	       "fb.elf: the Multiboot2 header requires a framebuffer video mode 1024x768x32 (header tag 5, not marked optional); mboot cannot set a video mode yet");
	fresh();
	mb2_elf();
	{
		uint32_t f = MB2_CONSOLE_REQUIRED;
		t = tag(tags, MB2_HT_CONSOLE, 0, &f, 1);
	}
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-console", auto_run(KLEN, "con.elf"), MB_E_MB2_UNSUPPORTED,
	       "con.elf: the Multiboot2 header requires a console described in the boot information (console flags 0x1, header tag 4, not marked optional), but mboot gives no framebuffer information (type 8)");

	/* Required information requests we cannot give. */
	fresh();
	mb2_elf();
	{
		uint32_t f[3] = { MB2_IT_MMAP, MB2_IT_SMBIOS, MB2_IT_CMDLINE };
		t = tag(tags, MB2_HT_INFO_REQUEST, 0, f, 3);
	}
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-info-request", auto_run(KLEN, "smbios.elf"),
	       MB_E_MB2_UNSUPPORTED,
	       "smbios.elf: the Multiboot2 header requests boot information type 13 (SMBIOS tables) without marking the request optional, and mboot cannot provide it on this BIOS boot");
	fresh();
	mb2_elf();
	{
		uint32_t f[2] = { MB2_IT_MMAP, 40 };
		t = tag(tags, MB2_HT_INFO_REQUEST, 0, f, 2);
	}
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-info-request-unknown", auto_run(KLEN, "req40.elf"),
	       MB_E_MB2_UNSUPPORTED,
	       "req40.elf: the Multiboot2 header requests boot information type 40 (unknown) without marking the request optional");

	/* Address tag without an entry address tag. */
	fresh();
	{
		uint32_t f[4] = { 0x101000, 0x100000, 0, 0x104000 };
		t = tag(tags, MB2_HT_ADDRESS, 0, f, 4);
	}
	mb2hdr(MB2_ARCH_I386, tags, t);
	expect("mb2-address-without-entry", auto_run(KLEN, "flat2.bin"),
	       MB_E_ENTRY,
	       "flat2.bin: Multiboot2 header has an address tag but no entry address tag (type 3)");

	/* No ELF, no address tag. */
	fresh();
	mb2hdr(MB2_ARCH_I386, NULL, 0);
	expect("mb2-not-elf", auto_run(KLEN, "flat2.bin"), MB_E_NOT_ELF,
	       "flat2.bin: not an ELF file and its Multiboot2 header has no address tag (type 2)");
}

/* --- a transfer that keeps failing (lib/retry.c, com32/fetch_retry.c) ------- */

/**
 * Fail a transfer of @name at @at of @size bytes @times times with @cause
 * over @via, as fetch_retry.c does; the retries must be announced with
 * pauses 0.5, 1, 2, 4, 8 s.  Returns what the last failure returned.
 */
static int fail_transfer(struct mb_retry *r, const char *name, uint64_t at,
			 uint64_t size, const char *cause, const char *via,
			 unsigned times)
{
	char line[400];
	unsigned pause = 0;
	int rc = MB_OK;

	for (unsigned i = 0; i < times && rc == MB_OK; i++) {
		rc = mb_retry_next(r, name, at, size, cause, via, line,
				   sizeof(line), &pause, &err);
		if (rc == MB_OK && pause != (r->in_row >= 5 ? 8000u
					     : 500u << (r->in_row - 1))) {
			printf("FAIL retry pause %u before retry %u\n", pause,
			       r->in_row);
			entries_failed++;
		}
	}
	return rc;
}

static void t_retry(void)
{
	struct mb_retry r;
	char line[400];
	unsigned pause;

	/* Five retries in a row at the same offset are announced; the
	 * sixth failure gives up. */
	fresh();
	memset(&r, 0, sizeof(r));
	expect("retry-stalled",
	       fail_transfer(&r, "vmlinuz", 3145728, 7654321, "no data for 10 s",
			     "TFTP, iPXE", 6),
	       MB_E_READ,
	       "vmlinuz: no data for 10 s at byte 3145728 of 7654321 after 5 retries (TFTP, iPXE)");

	/* The retry line itself (what fetch_retry.c prints after "mboot: "). */
	fresh();
	memset(&r, 0, sizeof(r));
	if (mb_retry_next(&r, "vmlinuz", 3145728, 7654321, "no data for 10 s",
			  "TFTP, iPXE", line, sizeof(line), &pause, &err) ||
	    strcmp(line, "vmlinuz: no data for 10 s at byte 3145728 of 7654321 (TFTP, iPXE); retry 1 of 5 in 0.5 s")) {
		printf("FAIL retry-line: \"%s\"\n", line);
		entries_failed++;
	} else {
		printf("ok   retry-line: %s\n", line);
		entries_passed++;
	}

	/* Bytes gained between failures start the count again; the re-open
	 * failing (server gone) gives up with that cause; size unknown. */
	fresh();
	memset(&r, 0, sizeof(r));
	fail_transfer(&r, "http://10.0.2.2/initrd.gz", 1000, 0,
		      "read error (PXE status 0x35)", "HTTP, iPXE", 4);
	expect("retry-server-gone",
	       fail_transfer(&r, "http://10.0.2.2/initrd.gz", 2000, 0,
			     "iPXE cannot open it (http://10.0.2.2/initrd.gz, PXE status 0x39)",
			     "HTTP, iPXE", 6),
	       MB_E_READ,
	       "http://10.0.2.2/initrd.gz: iPXE cannot open it (http://10.0.2.2/initrd.gz, PXE status 0x39) at byte 2000 after 5 retries (HTTP, iPXE)");

	/* A file that fails again and again, a little further each time,
	 * stops at 20 retries in all. */
	fresh();
	memset(&r, 0, sizeof(r));
	int rc = MB_OK;
	for (unsigned i = 1; i <= 21 && rc == MB_OK; i++)
		rc = mb_retry_next(&r, "xen.gz", i * 65536ull, 2097152,
				   "transfer ended early", "TFTP, PXELINUX",
				   line, sizeof(line), &pause, &err);
	expect("retry-total", rc, MB_E_READ,
	       "xen.gz: transfer ended early at byte 1376256 of 2097152 after 20 retries (TFTP, PXELINUX)");
}

/* -sha256=HEX: the option's errors (lib/cmdline.c, lib/digest.c), and the
 * verdict com32/fetch.c gives on a file whose bytes, hashed piece by piece
 * as they arrive, are not the ones named. */
static void t_sha256(void)
{
	static const char server[] = "the initrd the server has\n";
	struct mb_sha256 s;
	uint8_t want[MB_SHA256_SIZE], got[MB_SHA256_SIZE];

	fresh();
	expect("sha256-length", parse("xen.gz --- -sha256=0123 vmlinuz"),
	       MB_E_BAD_OPTION,
	       "-sha256 for module 1 has 4 hex digits; a SHA-256 digest has 64");
	fresh();
	expect("sha256-not-hex",
	       parse("-sha256=321bff64378fdb545657e8b62059ab0ad0e43059caa753c90f516605fd9bdacg xen.gz"),
	       MB_E_BAD_OPTION,
	       "-sha256 for the kernel: character 64 ('g') is not a hex digit");
	fresh();
	expect("sha256-twice",
	       parse("xen.gz --- -sha256=321bff64378fdb545657e8b62059ab0ad0e43059caa753c90f516605fd9bdac9"
		     " -gunzip -sha256=321bff64378fdb545657e8b62059ab0ad0e43059caa753c90f516605fd9bdac9 initrd.gz"),
	       MB_E_BAD_OPTION, "-sha256 given twice for module 1");

	fresh();
	int rc = parse("xen.gz --- vmlinuz --- -sha256=F3AB20876DC0B8DB370751E7AAC0C127F2AE3D94AE6683AC2EBC260D7635D840 initrd.gz");
	memcpy(want, req.files[2].sha256, sizeof(want));
	mb_sha256_init(&s);
	for (size_t i = 0; i < sizeof(server) - 1; i += 5)
		mb_sha256_update(&s, server + i,
				 sizeof(server) - 1 - i < 5 ? sizeof(server) - 1 - i : 5);
	mb_sha256_final(&s, got);
	if (!rc)
		rc = mb_sha256_verdict(req.files[2].name, want, got,
				       sizeof(server) - 1, &err);
	expect("sha256-mismatch", rc, MB_E_DIGEST,
	       "initrd.gz: SHA-256 mismatch: expected f3ab20876dc0b8db370751e7aac0c127f2ae3d94ae6683ac2ebc260d7635d840, "
	       "got 321bff64378fdb545657e8b62059ab0ad0e43059caa753c90f516605fd9bdac9 (over the 26 bytes fetched)");
}

int main(void)
{
	t_no_kernel();
	t_empty_module();
	t_trailing_sep();
	t_unknown_option();
	t_line_too_long();
	t_too_many_modules();

	t_empty_kernel();
	t_no_header();
	t_bad_checksum();
	t_header_past_8k();
	t_header_straddles_8k();
	t_header_cut_off();
	t_required_flag();

	t_aout_fields();

	t_not_elf();
	t_elf_header();
	t_elf_truncated_phdrs();
	t_segment_past_eof();
	t_segment_filesz_above_memsz();
	t_segment_overlap();
	t_no_segments();
	t_entry_outside();
	t_elf64_above_4g();

	t_segment_not_ram();
	t_segment_low();
	t_out_of_memory();

	t_gzip();

	t_mb2();

	t_retry();

	t_sha256();

	printf("catalogue: %u passed, %u failed\n", entries_passed,
	       entries_failed);
	return entries_failed ? 1 : 0;
}
