/*
 * mboot-check - check a mboot.c32 boot entry on the host, before any
 * machine reboots: resolve every file as PXELINUX would, validate the
 * kernel and the modules with the module's own code (lib/), simulate the
 * placement for a given RAM size or memory map with the module's own
 * planner (lib/loadplan.c), print the module's placement table and one
 * verdict.  Exit status: 0 would boot, 1 would not (or warnings under
 * --strict), 2 usage.
 *
 * The stages follow com32/main.c: parse, load the kernel (inflate,
 * probe, relocate), size the modules, describe the information inputs,
 * plan.  Where the module asks the firmware, the checker asks its model
 * (tools/pxemodel.c: QEMU/SeaBIOS/iPXE under Debian's pxelinux.0,
 * measured); where the module reads the network, the checker reads the
 * TFTP root (tools/pxename.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* memmem */
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "../lib/cmdline.h"
#include "../lib/gunzip.h"
#include "../lib/gzip.h"
#include "../lib/ipappend.h"
#include "../lib/loadplan.h"
#include "../lib/mb2.h"
#include "../lib/plantable.h"
#include "../lib/probe.h"
#include "diag.h"
#include "inflatefile.h"
#include "ipacheck.h"
#include "lint.h"
#include "pcrs.h"
#include "pxecfg.h"
#include "pxemodel.h"
#include "pxename.h"
#include "catread.h"
#include "cfgread.h"
#include "sysver.h"
#include "xenlint.h"

/* SHA-256 digests on the line (-sha256=HEX, lib/cmdline.c + lib/digest.c). */
#if defined(__has_include)
#if __has_include("../lib/digest.h")
#include "../lib/digest.h"
#endif
#endif
#if defined(MB_FILE_SHA256) && defined(MBOOT_DIGEST_H)
#define HAVE_DIGESTS 1
#else
#define HAVE_DIGESTS 0	/* hook: digests are checked once lib has them */
#endif

extern char **environ;

#ifndef MBOOT_VERSION
#define MBOOT_VERSION "0.1"
#endif
/* asm/trampoline.asm's code size (tramp_params_offset), from the build. */
#ifndef MB_TRAMP_CODE_SIZE
#define MB_TRAMP_CODE_SIZE 0x230
#endif

/* What the BIOS module's firmware layer reports under QEMU/SeaBIOS
 * (measured: test kernel INFO lines, Debian 12's pxelinux.0). */
#define LOADER_NAME "PXELINUX 6.04 PXE 20200816 mboot " MBOOT_VERSION
#define DHCP_ACK_LEN 1260	/* QEMU's DHCP ACK as PXELINUX caches it */

/* The command line PXELINUX accepts (MAX_CMDLINE_LEN). */
#define PXELINUX_CMDLINE_MAX 2048

static const char usage_text[] =
"usage: mboot-check [options] TFTP-ROOT [CONFIG [LABEL]]\n"
"       mboot-check [options] --all TFTP-ROOT CONFIG\n"
"       mboot-check [options] --line 'ARGS' TFTP-ROOT\n"
"\n"
"Check a mboot.c32 boot entry on this host before any machine boots it.\n"
"\n"
"  - The entry: CONFIG is a pxelinux.cfg file read as ldlinux.c32 reads\n"
"    it (LABEL, KERNEL/COM32, APPEND, INITRD, DEFAULT, ONTIMEOUT, INCLUDE,\n"
"    CONFIG, PATH, IPAPPEND, UI with MENU DEFAULT); the entry is LABEL, or\n"
"    what an unattended boot runs (ONTIMEOUT with PROMPT 1 and a TIMEOUT,\n"
"    else DEFAULT).  It must run mboot.c32 (KERNEL mboot.c32 + APPEND,\n"
"    or DEFAULT mboot.c32 ...).\n"
"    With --line, ARGS is the text after mboot.c32.  The line is parsed by\n"
"    the module's own parser.\n"
"  - Files, found as PXELINUX finds them: names relative to the path\n"
"    prefix, ::name and host::name from the TFTP root, tftp:// URLs from\n"
"    the root, http:// URLs from --http-root (other URLs: a warning).\n"
"    With -c FILE the boot.cfg is read from there (the module's parser);\n"
"    a -cat module's files are each found, digest-checked and joined.\n"
"  - The kernel, with the module's own code: gzip inflated, Multiboot 1/2\n"
"    header, required flags, ELF32/ELF64/a.out segments and entry, what a\n"
"    BIOS boot cannot give.  Every gzip module: CRC-32 and size.  Every\n"
"    -sha256=HEX: the file's digest.\n"
"  - Placement (--ram or --memmap): the module's own planner, in the\n"
"    memory mboot.c32 gets under Debian's pxelinux.0 (a model measured in\n"
"    QEMU/SeaBIOS: PXELINUX's largest heap block less 2 MiB), then the\n"
"    placement table mboot.c32 -v prints.\n"
"  - Lints: a trailing or doubled \"---\", a lone \"--\" before a file\n"
"    name, a module option after a file name, INITRD adding text to the\n"
"    line, a -fallback label missing from the config, a\n"
"    mboot.c32 in the root that is not this mboot; for Xen (the\n"
"    kernel, or module 1 under tboot): dom0's kernel not the file after\n"
"    it, more modules than Xen reads (64 up to Xen 4.19, 63 from 4.20);\n"
"    a gzip initrd marked -gunzip; Xen's sorting of its modules: ucode=N\n"
"    naming no module, the XSM policy or no microcode, ucode=scan finding\n"
"    no uncompressed microcode cpio, a microcode-only cpio as dom0's\n"
"    initrd, several initrd candidates, a FLASK policy Xen will not use.\n"
"  - SYSLINUX: the versions of pxelinux.0, lpxelinux.0 and syslinux.efi,\n"
"    the compilers of ldlinux.c32/.e64, libcom32.c32, mboot.c32 (they record\n"
"    no version), and every symbol one of them needs that nothing loaded\n"
"    before it defines (\"Failed to load COM32 file\").\n"
"  - IPAPPEND/SYSAPPEND: which part mboot.c32 gives the strings to.\n"
"\n"
"options:\n"
"  -c, --config FILE    the pxelinux.cfg file (instead of the 2nd argument)\n"
"  -l, --label LABEL    the entry to check (instead of the 3rd argument)\n"
"  -a, --line ARGS      check ARGS, the text after mboot.c32, instead of a\n"
"                       config entry\n"
"  -m, --ram SIZE       simulate a machine with SIZE of RAM (bytes, or with\n"
"                       K, M, G, T): QEMU's pc machine, SeaBIOS, iPXE ROM\n"
"  -M, --memmap FILE    simulate the memory map in FILE: lines 'BASE LEN\n"
"                       TYPE', 'BIOS-e820: [mem A-B] usable' (Linux log),\n"
"                       'A - B (usable)' (Xen log) or 'INFO mmap ...'\n"
"  -p, --prefix DIR     PXELINUX's path prefix (DHCP option 210, or the\n"
"                       boot file's directory); default: the directory\n"
"                       holding pxelinux.cfg/, else the root\n"
"  -H, --http-root DIR  the directory an http:// server serves\n"
"  -A, --all            check every label that runs mboot.c32, one run\n"
"                       each, then a summary (exit 1 if any would fail)\n"
"  -P, --pcrs           print what a measured boot extends into PCRs 8\n"
"                       and 9 and their expected SHA-256 values (from 0)\n"
"  -s, --strict         warnings fail too (exit status 1)\n"
"  -q, --quiet          print only errors, warnings and the verdict\n"
"  -h, --help           this text\n"
"  -V, --version        the version\n"
"\n"
"Without --ram or --memmap the placement is not simulated.  The model is\n"
"of pxelinux.0 (BIOS).  Measured against the module's own table: the\n"
"information structure's address within 0.1 KiB, every other row\n"
"identical; so the verdict can differ only for an entry that fits within\n"
"about that.\n"
"\n"
"Output: notes (\"mboot-check: ...\"), warnings (\"mboot-check: warning:\n"
"...\"), errors (\"mboot-check: error: ...\", in the module's own words\n"
"where the module would fail), the placement table as mboot.c32 -v prints\n"
"it, and a last line \"mboot-check: verdict: ...\".\n"
"\n"
"Exit status: 0 the entry would boot; 1 it would not (errors), or\n"
"warnings with --strict; 2 usage error.\n";

/** Command-line options. */
struct options {
	const char *root, *config, *label, *line, *memmap, *http_root,
		*prefix;
	uint64_t ram;
	bool strict, quiet, all, pcrs;
};

static struct options opt;
static struct pxe_names names;
static char cwd[1100];
static struct mb_request req;
/* Per file (0 = kernel). */
static struct pxe_resolved where[MB_MAX_FILES];
static bool readable[MB_MAX_FILES];	/* local and found */
static uint32_t file_len[MB_MAX_FILES];
static struct lint_file lint[MB_MAX_FILES];
static uint8_t *kernel;			/* decompressed */
static size_t kernel_len;
static bool kernel_gzip, kernel_ok;
static uint32_t kernel_whole;		/* see struct pxe_heap_input */
static struct mb_image img;
static struct mb2_header_info mb2h;
static int proto;
static struct mb_e820 map[PXE_MAX_MAP];
static unsigned nmap;
static struct mb_range ram[MB_MAX_RANGES];
static unsigned nram;
static uint32_t load_base;
static bool sizes_known = true;		/* every file's size is known */
static uint32_t module_image = PXE_DEFAULT_MODULE_IMAGE;	/* in the heap */
static const char *command;		/* the command ldlinux runs */
static struct pxe_choice choice;	/* the config entry, if any */
static uint32_t held_bytes;
static unsigned nheld;

/** Parse a size: digits with an optional K/M/G/T suffix (powers of 1024). */
static bool parse_size(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 0);

	switch (*end) {
	case 't': case 'T': n <<= 10;	/* fall through */
	case 'g': case 'G': n <<= 10;	/* fall through */
	case 'm': case 'M': n <<= 10;	/* fall through */
	case 'k': case 'K': n <<= 10; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'B' || *end == 'b')
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	*v = n;
	return end != s && !*end && n;
}

/** Read the host file @path whole; NULL with errno set on failure. */
static uint8_t *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) || !(buf = malloc(st.st_size ? st.st_size : 1))) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, st.st_size, f);
	fclose(f);
	return buf;
}

/** lint_exists_fn: does @name resolve to an existing local file? */
static bool name_exists(void *ctx, const char *name)
{
	struct pxe_resolved r;
	struct stat st;

	(void)ctx;
	pxe_resolve(&names, name, &r);
	return r.where == PXE_LOCAL && !stat(r.path, &st) && S_ISREG(st.st_mode);
}

/**
 * Find file @i: resolve its name, say where it is, and report a missing
 * file with the module's wording.  Returns true when it can be read.
 */
static bool locate(unsigned i)
{
	const char *name = req.files[i].name;
	struct pxe_resolved *r = &where[i];
	struct stat st;

	pxe_resolve(&names, name, r);
	if (r->where == PXE_URL_UNCHECKED) {
		diag(DIAG_WARNING, "%s: %s", name, r->why);
		sizes_known = false;
		return false;
	}
	if (r->why[0])
		diag(DIAG_NOTE, "%s: %s", name, r->why);
	if (stat(r->path, &st) || !S_ISREG(st.st_mode)) {
		diag(DIAG_ERROR, "%s: file not found (%s as %s)", name, r->full,
		     r->path);
		sizes_known = false;
		return false;
	}
	if ((uint64_t)st.st_size > 0xfff00000u) {
		diag(DIAG_ERROR, "%s: %llu bytes cannot fit below 4 GiB", name,
		     (unsigned long long)st.st_size);
		sizes_known = false;
		return false;
	}
	file_len[i] = (uint32_t)st.st_size;
	readable[i] = true;
	return true;
}

/** Check file @i's digest over its bytes as fetched (@data, @len). */
static void check_digest(unsigned i, const uint8_t *data, size_t len)
{
#if HAVE_DIGESTS
	struct mb_error err;
	uint8_t got[MB_SHA256_SIZE];

	if (!(req.files[i].opts & MB_FILE_SHA256))
		return;
	mb_sha256(data, len, got);
	if (mb_sha256_verdict(req.files[i].name, req.files[i].sha256, got, len,
			      &err))
		diag(DIAG_ERROR, "%s", err.msg);
	else
		diag(DIAG_NOTE, "%s: SHA-256 matches", req.files[i].name);
#else
	(void)i, (void)data, (void)len;	/* HOOK: -sha256= not in lib yet */
#endif
}

/** True when file @i carries a digest to check. */
static bool has_digest(unsigned i)
{
#if HAVE_DIGESTS
	return req.files[i].opts & MB_FILE_SHA256;
#else
	(void)i;
	return false;
#endif
}

/** Stage: the kernel, read, checked, decompressed and probed. */
static void load_kernel(void)
{
	const char *name = req.files[0].name;
	struct mb_error err;
	uint8_t *raw, *out;
	size_t len;

	if (!locate(0))
		return;
	raw = read_whole(where[0].path, &len);
	if (!raw) {
		diag(DIAG_ERROR, "%s: cannot read %s", name, where[0].path);
		return;
	}
	check_digest(0, raw, len);
	kernel_gzip = gz_is_gzip(raw, len);
	if (inflate_kernel(raw, len, name, &out, &kernel_len, &err)) {
		diag(DIAG_ERROR, "%s", err.msg);
		free(raw);
		return;
	}
	if (inflate_kernel_was_whole())
		kernel_whole = (uint32_t)len;
	if (out) {
		free(raw);
		kernel = out;
		diag(DIAG_NOTE, "%s: gzip, %zu bytes, decompressed to %zu bytes",
		     name, len, kernel_len);
	} else {
		kernel = raw;
	}
	file_len[0] = (uint32_t)kernel_len;
	if (mb_probe_kernel(kernel, kernel_len, name, req.opts, false, &img,
			    &mb2h, &proto, &err)) {
		diag(DIAG_ERROR, "%s", err.msg);
		return;
	}
	static const char *const fmt[] = { "?", "ELF32", "ELF64",
					   "a.out kludge" };
	lint[0].known = true;
	lint[0].xen = lint_is_xen(kernel, kernel_len);
	diag(DIAG_NOTE, "%s: Multiboot %d, %s, %u segment%s, entry 0x%08x%s",
	     name, proto, fmt[img.format <= MB_FMT_AOUT ? img.format : 0],
	     img.nsegs, img.nsegs == 1 ? "" : "s", img.entry,
	     lint[0].xen ? " (Xen)" : "");
	kernel_ok = true;
}

/** Stage: the machine's memory map and PXELINUX's free memory. */
static bool load_memory(void)
{
	char msg[300];

	if (opt.memmap) {
		int n = pxe_model_read_map(opt.memmap, map, msg, sizeof(msg));
		if (n < 0) {
			fprintf(stderr, "mboot-check: %s\n", msg);
			exit(2);
		}
		nmap = (unsigned)n;
	} else if (opt.ram) {
		nmap = pxe_model_qemu_map(opt.ram, map);
	} else {
		return false;
	}
	nram = pxe_model_free_ranges(map, nmap, ram, MB_MAX_RANGES);
	return true;
}

/** Stage, after the memory: relocation and the module-alignment warning. */
static void place_kernel(bool have_memory)
{
	struct mb_error err;

	load_base = img.segs[0].addr;
	if (have_memory && proto == 2 && mb2_has_tag(&mb2h, MB2_HT_RELOCATABLE)) {
		if (mb2_relocate(&img, &mb2h, ram, nram, &load_base,
				 req.files[0].name, &err)) {
			diag(DIAG_ERROR, "%s", err.msg);
			kernel_ok = false;
			return;
		}
		diag(DIAG_NOTE, "%s: relocated to 0x%08x", req.files[0].name,
		     load_base);
	}
	if (req.nfiles == 1 &&
	    (proto == 1 ? (img.header.flags & MB1_HF_PAGE_ALIGN) :
			  mb2_has_tag(&mb2h, MB2_HT_MODULE_ALIGN)))
		diag(DIAG_WARNING, "%s asks for page-aligned modules but none were given",
		     req.files[0].name);
}

/** inflate_look_fn: what the lints need of a file's (decompressed) bytes. */
static void look_at(void *ctx, const uint8_t *data, size_t len)
{
	struct lint_file *f = ctx;

	f->head_len = len < sizeof(f->head) ? len : sizeof(f->head);
	memcpy(f->head, data, f->head_len);
	f->xen = lint_is_xen(data, len);
}

/** Stage: module @i found, sized, checked (gzip, digest) and looked at. */
static void size_module(unsigned i)
{
	const char *name = req.files[i].name;
	bool gunzip = req.files[i].opts & MB_FILE_GUNZIP;
	struct mb_error err;
	uint8_t head[sizeof(lint[i].head)];
	size_t len = 0, hn;
	FILE *f;

	if (req.files[i].opts & MB_FILE_CAT) {	/* -cat: joined in the heap */
		uint8_t *data;
		if (!catread_join(&req.files[i], &names, &data, &len)) {
			sizes_known = false;
			return;
		}
		file_len[i] = (uint32_t)len;
		held_bytes += (uint32_t)len;
		nheld++;
		lint[i].known = true;
		lint[i].gzip = gz_is_gzip(data, len);
		look_at(&lint[i], data, len);
		diag(DIAG_NOTE, "%s: %zu bytes joined", name, len);
		free(data);
		return;
	}
	if (!locate(i))
		return;
	f = fopen(where[i].path, "rb");
	hn = f ? fread(head, 1, sizeof(head), f) : 0;
	if (f)
		fclose(f);
	lint[i].known = true;
	lint[i].gzip = gz_is_gzip(head, hn);
	memcpy(lint[i].head, head, hn);
	lint[i].head_len = hn;
	/* Read whole only what needs it: gzip (integrity), a digest, and
	 * module 1 (Xen under tboot is recognised by its contents). */
	if (!lint[i].gzip && !has_digest(i) && i != 1)
		return;
	uint8_t *data = read_whole(where[i].path, &len);
	if (!data) {
		diag(DIAG_ERROR, "%s: cannot read %s", name, where[i].path);
		return;
	}
	check_digest(i, data, len);
	if (lint[i].gzip) {
		uint32_t isize;
		size_t out_len = 0;
		/* The module sizes a -gunzip module by its trailer first. */
		if (gunzip && mb_gunzip_size(data, len, name, &isize, &err)) {
			diag(DIAG_ERROR, "%s", err.msg);
			sizes_known = false;
		} else if (inflate_check(data, len, name, &out_len, look_at,
					 &lint[i], &err)) {
			/* Kept compressed, the module would pass it on and
			 * the kernel would fail on it: an error either way. */
			diag(DIAG_ERROR, "%s%s", err.msg,
			     gunzip ? "" : " (the kernel gets it compressed and will fail to decompress it)");
			if (gunzip)
				sizes_known = false;
		} else {
			if (gunzip && out_len != isize) {
				diag(DIAG_ERROR, "%s: decompressed to %zu bytes, but the gzip trailer says %u",
				     name, out_len, isize);
			}
			if (gunzip) {
				file_len[i] = isize;
				held_bytes += (uint32_t)len;
				nheld++;
			}
			diag(DIAG_NOTE, "%s: gzip, %zu bytes, CRC-32 and size check out (%zu bytes decompressed%s)",
			     name, len, out_len,
			     gunzip ? ", -gunzip: the kernel gets those" : ", the kernel gets it compressed");
		}
	}
	if (!lint[i].gzip)
		look_at(&lint[i], data, len);
	free(data);
}

/**
 * xenlint_read_fn: file @i whole as the kernel gets it (decompressed when
 * marked -gunzip, or always with @ctx non-NULL); NULL when not read here.
 */
static uint8_t *read_as_received(void *ctx, unsigned i, size_t *len)
{
	struct mb_error err;
	uint8_t *data, *out = NULL;
	size_t out_len;

	if (!readable[i] || !(data = read_whole(where[i].path, len)))
		return NULL;
	if (!gz_is_gzip(data, *len) ||
	    (!ctx && !(req.files[i].opts & MB_FILE_GUNZIP)))
		return data;
	if (inflate_kernel(data, *len, req.files[i].name, &out, &out_len,
			   &err) || !out) {
		free(data);
		return NULL;	/* reported by size_module() */
	}
	free(data);
	*len = out_len;
	return out;
}

/** Stage: Xen's own sorting of its modules (tools/xenlint.c). */
static void lint_xen(void)
{
	int at = lint_xen_at(&req, lint);
	size_t len = 0;
	uint8_t *xen;

	if (at < 0)
		return;
	xen = at == 0 ? kernel : read_as_received((void *)1, 1, &len);
	xenlint_check(&req, (unsigned)at, xen, at == 0 ? kernel_len : len,
		      read_as_received, NULL);
	if (at)
		free(xen);
}

/* The information inputs, as com32/main.c describe_inputs() fills them
 * from the BIOS (values measured under SeaBIOS: an APM 1.2 32-bit
 * interface, an ACPI 1.0 RSDP, QEMU's DHCP ACK). */
static struct mb1_input in1;
static struct mb2_input in2;
static struct mb_elf_sections esec;
static bool have_esec;
static uint32_t mod_addr[MB_MAX_FILES];

/** Stage: what the information will hold; refuse what BIOS cannot give. */
static bool describe_inputs(void)
{
	static const struct mb1_apm apm = { .version = 0x102, .cseg = 0xf000,
					     .flags = 0x3, .cseg_len = 0xfff0 };
	static const uint8_t rsdp[20], ack[DHCP_ACK_LEN];
	struct mb_error err;

	in1 = (struct mb1_input){
		.req = &req, .mod_addr = mod_addr, .mod_len = file_len,
		.map = map, .nmap = nmap, .loader_name = LOADER_NAME,
		.apm = &apm,
	};
	in2 = (struct mb2_input){
		.req = &req, .mod_addr = mod_addr, .mod_len = file_len,
		.map = map, .nmap = nmap, .loader_name = LOADER_NAME,
		.rsdp_v1 = rsdp, .dhcp_ack = ack, .dhcp_ack_len = DHCP_ACK_LEN,
		.have_load_base = true, .load_base = load_base, .apm = &apm,
	};
	if (proto == 1)
		return true;
	have_esec = mb_load_elf_sections(proto, &img, kernel,
					 (uint32_t)kernel_len, &in2, &esec);
	if (mb2_check_bios(&mb2h, req.files[0].name, mb2_info_types(&in2),
			   &err)) {
		diag(DIAG_ERROR, "%s", err.msg);
		return false;
	}
	return true;
}

/** mb_line_fn: one table line, prefixed like the checker's notes. */
static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	printf("mboot-check: %s\n", line);
}

/**
 * com32/fw_bios.c fw_boot_area_size(): the trampoline's code, its 16-byte
 * parameter block and its copy list (12 bytes an entry: two per segment
 * and the staged copy of the information).
 */
static uint32_t boot_area_size(unsigned nsegs)
{
	return MB_TRAMP_CODE_SIZE + 16 + (2 * nsegs + 1) * 12;
}

static struct mb_load_input load;
static struct mb_load_plan plan;

/**
 * True when the module's own TFTP client fetches @full (the name as
 * PXELINUX opens it): TFTP names (::path, host::path, tftp://), not
 * other URLs (iPXE's file API takes those).
 */
static bool own_tftp_name(const char *full)
{
	const char *s = strstr(full, "://");

	return !s || (s - full == 4 && !strncasecmp(full, "tftp", 4));
}

/** Stage: the plan inside the modelled arena; prints the table. */
static bool make_plan(void)
{
	struct pxe_heap_input hin = {
		.module_image = module_image, .command = command,
		.label_bytes = choice.label_bytes,
		.kernel_len = (uint32_t)kernel_len, .kernel_gzip = kernel_gzip,
		.kernel_whole = kernel_whole,
		.no_own_tftp = (req.opts & MB_OPT_PXELINUX) ||
			       !own_tftp_name(where[0].full),
		.held_bytes = held_bytes, .nheld = nheld,
	};
	struct pxe_heap_model heap;
	struct mb_error err;

	if (!pxe_model_arena(map, nmap, &hin, &heap)) {
		/* com32/fw_bios.c's wording */
		diag(DIAG_ERROR, "less than %u KiB of memory left for the modules",
		     2048u);
		return false;
	}
	diag(DIAG_NOTE, "memory: %s; PXELINUX's heap ends at 0x%08llx, mboot.c32 plans in 0x%08llx-0x%08llx (%llu KiB)",
	     opt.memmap ? opt.memmap : "QEMU/SeaBIOS model",
	     (unsigned long long)heap.heap_top,
	     (unsigned long long)heap.space.start,
	     (unsigned long long)heap.space.end,
	     (unsigned long long)(heap.space.end - heap.space.start) / 1024);
	load = (struct mb_load_input){
		.req = &req, .img = &img, .proto = proto, .in1 = &in1,
		.in2 = &in2, .file_len = file_len,
		.boot_area_size = boot_area_size(img.nsegs),
		.move_image = mb_load_image_must_move(&img, heap.kernel_addr,
						      kernel_len),
		.elfsec_size = have_esec ? esec.size : 0,
		.ram = ram, .nram = nram, .space = &heap.space, .nspace = 1,
	};
	if (mb_load_plan(&load, &plan, &err)) {
		diag(DIAG_ERROR, "%s", err.msg);
		return false;
	}
	/* BIOS: the information is staged in its slot and moved to low
	 * memory at the hand-off, as com32/main.c does. */
	uint32_t low = mb_load_info_low_addr(map, nmap, plan.info_size);
	if (low)
		plan.info_addr = low;
	static struct mb_plan_table table;
	mb_plan_table_build(&load, &plan, map, nmap, &table);
	if (diag_verbose())
		mb_plan_table_print(&table, print_line, NULL);
	return true;
}

/** Options and arguments into opt; exits with 2 on a usage error. */
static void parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "label", required_argument, NULL, 'l' },
		{ "line", required_argument, NULL, 'a' },
		{ "ram", required_argument, NULL, 'm' },
		{ "memmap", required_argument, NULL, 'M' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "http-root", required_argument, NULL, 'H' },
		{ "strict", no_argument, NULL, 's' },
		{ "pcrs", no_argument, NULL, 'P' },
		{ "all", no_argument, NULL, 'A' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:l:a:m:M:p:H:sPAqhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'c': opt.config = optarg; break;
		case 'l': opt.label = optarg; break;
		case 'a': opt.line = optarg; break;
		case 'm':
			if (!parse_size(optarg, &opt.ram)) {
				fprintf(stderr, "mboot-check: --ram %s: not a size (e.g. 512M, 4G)\n",
					optarg);
				exit(2);
			}
			break;
		case 'M': opt.memmap = optarg; break;
		case 'p': opt.prefix = optarg; break;
		case 'H': opt.http_root = optarg; break;
		case 's': opt.strict = true; break;
		case 'P': opt.pcrs = true; break;
		case 'A': opt.all = true; break;
		case 'q': opt.quiet = true; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		case 'V': puts("mboot-check " MBOOT_VERSION); exit(0);
		default: fputs(usage_text, stderr); exit(2);
		}
	}
	if (optind < argc)
		opt.root = argv[optind++];
	if (optind < argc && !opt.config)
		opt.config = argv[optind++];
	if (optind < argc && !opt.label)
		opt.label = argv[optind++];
	if (optind < argc || !opt.root || (!opt.config == !opt.line) ||
	    (opt.label && !opt.config) || (opt.all && (opt.label || !opt.config))) {
		fputs(usage_text, stderr);
		exit(2);
	}
	struct stat st;
	if (stat(opt.root, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "mboot-check: %s: not a directory (the TFTP root)\n",
			opt.root);
		exit(2);
	}
}

/**
 * PXELINUX's path prefix when not given: the directory above
 * "pxelinux.cfg/" when the config lies in one inside the root (PXELINUX
 * finds its config there, relative to the prefix), else the root.
 */
static void default_prefix(char *buf, size_t cap)
{
	char root[4096], cfg[4096];

	buf[0] = '\0';
	if (!opt.config || !realpath(opt.root, root) ||
	    !realpath(opt.config, cfg))
		return;
	size_t rl = strlen(root);
	if (strncmp(cfg, root, rl) || cfg[rl] != '/')
		return;
	const char *rel = cfg + rl + 1, *p = strstr(rel, "pxelinux.cfg/");
	if (p && (p == rel || p[-1] == '/'))
		snprintf(buf, cap, "%.*s", (int)(p - rel), rel);
}

/**
 * Say when the module file @name (@elf, @len bytes) is not this mboot
 * (its loader name " mboot VERSION" is missing: SYSLINUX's stock
 * mboot.c32, say) or another version of it.
 */
static void check_module_version(const char *name, const uint8_t *elf,
				 size_t len)
{
	static const char tag[] = " mboot ";
	const uint8_t *p = elf, *end = elf + len;
	char version[16] = "";

	/* " mboot " followed by a digit: the loader name's version */
	while ((p = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1)) &&
	       (p + sizeof(tag) - 1 >= end || p[sizeof(tag) - 1] < '0' ||
		p[sizeof(tag) - 1] > '9'))
		p++;

	for (size_t i = 0; p && i < sizeof(version) - 1; i++) {
		const uint8_t *c = p + sizeof(tag) - 1 + i;
		if (c >= elf + len || !*c || *c == ' ')
			break;
		version[i] = (char)*c;
	}
	if (!version[0])
		diag(DIAG_WARNING, "%s is not this project's mboot.c32 (SYSLINUX's stock module?): what is checked here is what mboot " MBOOT_VERSION " would do",
		     name);
	else if (strcmp(version, MBOOT_VERSION))
		diag(DIAG_NOTE, "%s is mboot %s; this checker is mboot-check " MBOOT_VERSION,
		     name, version);
}

static bool find_module(char *mod, size_t cap);

/**
 * sysver_find_fn: SYSLINUX's file @name as ldlinux finds a module (the
 * working directory, then PATH), else from the TFTP root (a core the DHCP
 * server names from there); its host path in @path.
 */
static bool find_sysfile(void *ctx, const char *name, char *path, size_t cap)
{
	char mod[1100];
	struct pxe_resolved r;

	(void)ctx;
	snprintf(mod, sizeof(mod), "%s", name);
	if (!find_module(mod, sizeof(mod))) {
		snprintf(mod, sizeof(mod), "::%s", name);
		if (!name_exists(NULL, mod))
			return false;
	}
	pxe_resolve(&names, mod, &r);
	snprintf(path, cap, "%s", r.path);
	return true;
}

/**
 * The heap mboot.c32's own image takes (the model needs it): from the
 * module file @name as the root has it, else the measured build's.
 */
static void measure_module(const char *name)
{
	struct pxe_resolved r;
	size_t len = 0;
	uint8_t *elf;
	uint32_t size = 0;

	pxe_resolve(&names, name, &r);
	if (r.where == PXE_LOCAL && (elf = read_whole(r.path, &len))) {
		size = pxe_model_module_image(elf, len);
		check_module_version(name, elf, len);
		free(elf);
		sysver_check(name, find_sysfile, NULL);
	}
	if (size)
		module_image = size;
	else
		diag(DIAG_NOTE, "%s is not a COM32 module this checker can read; its heap use is taken as %u bytes",
		     name, PXE_DEFAULT_MODULE_IMAGE);
}

/**
 * ldlinux's findpath(): the module @mod (room for @cap bytes) as named,
 * else in each PATH directory; on success @mod holds the name found.
 */
static bool find_module(char *mod, size_t cap)
{
	char try[2300];
	const char *p = choice.path;

	if (name_exists(NULL, mod))
		return true;
	while (*p && !strchr(mod, '/')) {
		size_t n = strcspn(p, ":");
		snprintf(try, sizeof(try), "%.*s%s%s", (int)n, p,
			 n && p[n - 1] != '/' ? "/" : "", mod);
		size_t tl = strlen(try);
		if (tl < cap && name_exists(NULL, try)) {
			diag(DIAG_NOTE, "%s: found as %s (PATH)", mod, try);
			memcpy(mod, try, tl + 1);
			return true;
		}
		p += n + (p[n] == ':');
	}
	return false;
}

/** The text after the module's name in @command, or NULL if the command
 * does not run mboot.c32 (then it says why). */
static const char *mboot_args(const char *command)
{
	const char *p = command, *name;
	size_t n;

	if (!strncmp(p, ".com32 ", 7) || !strncmp(p, ".kernel ", 8))
		p = strchr(p, ' ') + 1;
	while (*p == ' ')
		p++;
	name = p;
	n = strcspn(p, " \t");
	const char *base = name + n;
	while (base > name && base[-1] != '/' && base[-1] != ':')
		base--;
	size_t bl = (size_t)(name + n - base);
	if (!((bl == 9 && !strncmp(base, "mboot.c32", 9)) ||
	      (bl == 5 && !strncmp(base, "mboot", 5)))) {
		diag(DIAG_ERROR, "the entry runs \"%.*s\", not mboot.c32: nothing to check",
		     (int)n, name);
		return NULL;
	}
	char mod[1100];
	snprintf(mod, sizeof(mod), "%.*s%s", (int)n, name, bl == 5 ? ".c32" : "");
	if (!find_module(mod, sizeof(mod)))
		diag(DIAG_WARNING, "%s not found (looked for %s%s%s%s): PXELINUX could not load it",
		     mod, cwd, mod, choice.path[0] ? " and under PATH " : "",
		     choice.path);
	else
		measure_module(mod);
	p = name + n;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/**
 * The entry is a CONFIG label (".config FILE [DIR]"): ldlinux opens FILE
 * from the working directory, then changes it to DIR (appended when it is
 * relative, as PXELINUX's chdir does) and runs the new file's default.
 * Reads that file into choice; false when it cannot.
 */
static bool follow_config(void)
{
	static char file[1100], dir[1100], shown[sizeof(where[0].path)];
	const char *a = choice.command + 8;
	size_t n = strcspn(a, " \t");
	struct pxe_resolved r;

	snprintf(file, sizeof(file), "%.*s", (int)n, a);
	a += n;
	a += strspn(a, " \t");
	snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(a, " \t"), a);
	pxe_resolve(&names, file, &r);
	if (r.where != PXE_LOCAL) {
		diag(DIAG_WARNING, "CONFIG %s: %s", file, r.why);
		return false;
	}
	if (dir[0] && (strstr(dir, "::") || strstr(dir, "://")))
		snprintf(cwd, sizeof(cwd), "%s", dir);
	else if (dir[0] && strlen(cwd) + strlen(dir) < sizeof(cwd))
		strcat(cwd, dir);
	diag(DIAG_NOTE, "CONFIG %s: reading %s, working directory %s", file,
	     r.path, cwd);
	snprintf(shown, sizeof(shown), "%s", r.path);
	opt.config = shown;
	return pxecfg_choose(&names, shown, NULL, &choice);
}

/**
 * --all: run this program again for every label of the config that runs
 * mboot.c32 (@argv plus "--label NAME", "--all" left out), then print one
 * summary line.  Returns the exit status: 1 if any entry failed.
 */
static int check_all_labels(int argc, char **argv)
{
	char **sub = calloc((size_t)argc + 3, sizeof(*sub));
	unsigned n = 0, bad = 0, skipped = 0;
	bool mboot;
	const char *name;
	int k = 0;

	if (!sub) {
		perror("mboot-check");
		return 2;
	}
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--all") && strcmp(argv[i], "-A"))
			sub[k++] = argv[i];
	sub[k] = "--label";
	for (unsigned i = 0; (name = pxecfg_label(i, &mboot)); i++) {
		if (!mboot) {
			skipped++;
			continue;
		}
		printf("mboot-check: === label \"%s\"\n", name);
		fflush(stdout);
		sub[k + 1] = (char *)name;
		sub[k + 2] = NULL;
		pid_t pid;
		int status = 0;
		if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, sub, environ) ||
		    waitpid(pid, &status, 0) < 0) {
			perror("mboot-check");
			free(sub);
			return 2;
		}
		n++;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	free(sub);
	printf("mboot-check: all: %u entr%s run mboot.c32 (%u other label%s skipped): %u would boot, %u would not\n",
	       n, n == 1 ? "y" : "ies", skipped, skipped == 1 ? "" : "s",
	       n - bad, bad);
	return bad ? 1 : 0;
}

/**
 * The checker: options, the entry's line, then the stages in the
 * module's order; prints the verdict.  Returns the exit status (0 would
 * boot, 1 would not or warnings under --strict; usage errors exit 2).
 */
int main(int argc, char **argv)
{
	static char prefix[1024], linebuf[4200];
	struct mb_error err;
	const char *line;

	parse_options(argc, argv);
	diag_set_quiet(opt.quiet);
	bool have_memory = load_memory();	/* a bad map file: usage */
	if (opt.prefix)
		snprintf(prefix, sizeof(prefix), "%s", opt.prefix);
	else
		default_prefix(prefix, sizeof(prefix));
	pxe_cwd_for_prefix(prefix, cwd, sizeof(cwd));
	names = (struct pxe_names){ opt.root, cwd, opt.http_root };

	/* The line: from the config entry, or as given. */
	if (opt.config) {
		bool chosen = pxecfg_choose(&names, opt.config, opt.label,
					    &choice);
		if (opt.all)
			return check_all_labels(argc, argv);
		for (int hop = 0; chosen && hop < 8 &&
				  !strncmp(choice.command, ".config ", 8); hop++)
			chosen = follow_config();
		if (!chosen)
			goto verdict;
		diag(DIAG_NOTE, "%s: %s runs: %s", opt.config, choice.how,
		     choice.command);
		if (strlen(choice.command) >= PXELINUX_CMDLINE_MAX) {
			diag(DIAG_ERROR, "the command is %zu characters: PXELINUX refuses %u or more (\"cmdline too long\") before mboot.c32 runs",
			     strlen(choice.command), PXELINUX_CMDLINE_MAX);
			goto verdict;
		}
		if (!(line = mboot_args(choice.command)))
			goto verdict;
		command = choice.command[0] == '.' ?	/* ".com32 NAME ..." */
			  strchr(choice.command, ' ') + 1 : choice.command;
		if (choice.has_initrd)
			diag(DIAG_WARNING, "INITRD adds \"initrd=...\" to the line: mboot.c32 does not load it; it becomes an argument of the last file (give the initrd as a module after \"---\")");
	} else {
		snprintf(linebuf, sizeof(linebuf), "mboot.c32 %s", opt.line);
		if (strlen(linebuf) >= PXELINUX_CMDLINE_MAX) {
			diag(DIAG_ERROR, "the command is %zu characters: PXELINUX refuses %u or more (\"cmdline too long\") before mboot.c32 runs",
			     strlen(linebuf), PXELINUX_CMDLINE_MAX);
			goto verdict;
		}
		line = opt.line;
		command = linebuf;
		char mod[1100] = "mboot.c32";
		if (find_module(mod, sizeof(mod)))
			measure_module(mod);
		else
			diag(DIAG_WARNING, "mboot.c32 not found (looked for %smboot.c32): PXELINUX could not load it",
			     cwd);
	}

	lint_separators(line, name_exists, NULL);
	if (mb_parse_cmdline(line, &req, &err)) {
		diag(DIAG_ERROR, "%s", err.msg);
		goto verdict;
	}
	if (req.cfgfile[0] && !cfgread_apply(&req, &names))	/* -c FILE */
		goto verdict;
	if (mb_ipappend_check(&req, &err)) {	/* the parts are known now */
		diag(DIAG_ERROR, "%s", err.msg);
		goto verdict;
	}
	if (req.fallback[0] && opt.config && !pxecfg_has_label(req.fallback))
		diag(DIAG_WARNING, "-fallback=%s: %s has no label \"%s\": after a failure PXELINUX would not find it either",
		     req.fallback, opt.config, req.fallback);
	else if (req.fallback[0])
		diag(DIAG_NOTE, "-fallback=%s: on a failure mboot.c32 runs label \"%s\" instead of stopping at boot: (check it with --label %s)",
		     req.fallback, req.fallback, req.fallback);

	load_kernel();
	if (kernel_ok)
		place_kernel(have_memory);
	for (unsigned i = 1; i < req.nfiles; i++)
		size_module(i);
	if (opt.config)		/* where the IPAPPEND strings will go */
		ipacheck_report(&req, choice.sysappend, lint);
	if (kernel_ok) {
		lint_files(&req, lint);
		lint_xen();
	}
	if (opt.pcrs)	/* measured boot (tools/pcrs.c) */
		pcr_predict(&req, where, readable);
	if (!kernel_ok || diag_count(DIAG_ERROR))
		goto verdict;
	if (!describe_inputs())
		goto verdict;
	if (!have_memory) {
		diag(DIAG_NOTE, "placement not simulated (give --ram SIZE or --memmap FILE)");
		goto verdict;
	}
	if (!sizes_known) {
		diag(DIAG_WARNING, "placement not simulated: not every file's size is known");
		goto verdict;
	}
	if (make_plan()) {
		char v[MB_CMDLINE_MAX + 100];
		mb_plan_verdict(&load, v, sizeof(v));
		unsigned w = diag_count(DIAG_WARNING);
		printf("mboot-check: verdict: %s; %u warning%s%s\n", v, w,
		       w == 1 ? "" : "s",
		       opt.strict && w ? " (--strict: fails)" : "");
		return opt.strict && w ? 1 : 0;
	}

verdict:;
	unsigned e = diag_count(DIAG_ERROR), w = diag_count(DIAG_WARNING);
	const char *k = req.nfiles ? req.files[0].name : "the entry";
	if (e)
		printf("mboot-check: verdict: %s would NOT boot: %u error%s, %u warning%s\n",
		       k, e, e == 1 ? "" : "s", w, w == 1 ? "" : "s");
	else
		printf("mboot-check: verdict: %s would boot as far as checked (placement not simulated); %u warning%s%s\n",
		       k, w, w == 1 ? "" : "s",
		       opt.strict && w ? " (--strict: fails)" : "");
	return e || (opt.strict && w) ? 1 : 0;
}
