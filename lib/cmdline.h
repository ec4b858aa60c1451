/*
 * cmdline.h - the request: what the user asked for on the KERNEL line.
 *
 *     mboot.c32 [loader options] KERNEL [args] --- [-gunzip] MODULE [args] ...
 *
 * The line is split on "---" tokens only (a "--" in the kernel's own
 * arguments belongs to the kernel).  Each part is [options] NAME [ARGS]:
 * options are leading tokens starting with '-', NAME is the file to fetch and
 * ARGS is the rest of the part's text exactly as typed (inner spacing kept,
 * only the spacing around the part trimmed).
 *
 * "-sha256=HEX" may lead any part, the kernel's included: the SHA-256 the
 * file must have as the server sends it (before any decompression).  Being
 * an option, it is taken off the line with the others and can never reach,
 * or change, the command line the kernel or a module receives: that is
 * built from NAME and ARGS alone, and an option token is only recognised
 * before NAME (after it, "-sha256=..." would be an ordinary argument).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CMDLINE_H
#define MBOOT_CMDLINE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* PXELINUX refuses command lines of this length or more (MAX_CMDLINE_LEN). */
#define MB_CMDLINE_MAX 2048
/* -c FILE (lib/bootcfg.h): the kernel and module parts a boot.cfg comes to,
 * written as one line, stay below this many characters. */
#define MB_CFG_LINE_MAX 32768
/* -cat: at most this many files joined into one module (com32/catmod.h). */
#define MB_CAT_MAX 4
/* Kernel plus modules (Xen itself reads only the first 64 modules up to
 * 4.19, 63 from 4.20: tools/lint.h). */
#define MB_MAX_FILES 128

/* Loader options (kernel part). */
/* -aout: accepted for the stock module's lines and read by nothing: the
 * a.out kludge fields are used by default, even for an ELF (lib/image.c;
 * tests/unit/test_aout_option.c). */
#define MB_OPT_AOUT	(1u << 0)
#define MB_OPT_NOAOUT	(1u << 1)	/* prefer ELF headers, like GRUB */
#define MB_OPT_QUIET	(1u << 2)	/* no progress or summary output */
#define MB_OPT_VERBOSE	(1u << 3)	/* -v, -verbose: the placement table */
#define MB_OPT_PXELINUX	(1u << 4)	/* fetch through PXELINUX, never iPXE */
#define MB_OPT_MB1	(1u << 5)	/* boot through the Multiboot 1 header */
#define MB_OPT_MB2	(1u << 6)	/* boot through the Multiboot 2 header */
#define MB_OPT_DRY_RUN	(1u << 7)	/* -n, -dry-run: all but the hand-off */
/* -tpm-required: no TPM 2.0, or one that fails, stops the boot (measured
 * boot, com32/measure.c); without it the boot goes on unmeasured. */
#define MB_OPT_TPM_REQUIRED	(1u << 16)
/* -solaris: the DHCP ACK in the Multiboot 1 drives fields, as the stock
 * module does for Solaris/illumos (lib/solaris.h); -nosolaris: never, even
 * for an ELF whose OS ABI byte says Solaris. */
#define MB_OPT_SOLARIS	(1u << 10)
#define MB_OPT_NOSOLARIS (1u << 11)
/* Per-file options. */
#define MB_FILE_GUNZIP	(1u << 8)	/* decompress this module if gzipped */
#define MB_FILE_SHA256	(1u << 9)	/* -sha256=HEX: check the file's digest */
#define MB_FILE_CAT	(1u << 12)	/* -cat: NAME is files joined by '+' */
/* -nogunzip: never decompress, not even a ".gz" ELF (lib/gzelf.h). */
#define MB_FILE_NOGUNZIP (1u << 13)

/** One file of the request: its name and argument text, as typed. */
struct mb_file_req {
	const char *name;	/* NUL-terminated, points into mb_request.text */
	const char *args;	/* "" when there are none */
	unsigned opts;		/* MB_FILE_* */
	uint8_t sha256[32];	/* with MB_FILE_SHA256: the expected digest
				   of the file as fetched (before gunzip) */
	/* -cat with "-sha256=H0+H1+...": digest k (k >= 1) of file k of
	 * the joined name, when bit k of cat_sha_mask is set (file 0's is
	 * sha256 above, with MB_FILE_SHA256). */
	unsigned cat_sha_mask;
	uint8_t cat_sha256[MB_CAT_MAX][32];
};

/** The parsed command line. */
struct mb_request {
	unsigned opts;			/* MB_OPT_* */
	unsigned nfiles;		/* files[0] is the kernel */
	char fallback[64];		/* -fallback=LABEL: run on failure */
	unsigned ipappend_mode;		/* -ipappend=: MB_IPAPPEND_* (ipappend.h) */
	unsigned ipappend_part;		/* with MB_IPAPPEND_PART */
	char cfgfile[256];		/* -c FILE: the boot.cfg, or "" */
	struct mb_file_req files[MB_MAX_FILES];
	char text[MB_CFG_LINE_MAX + MB_MAX_FILES * 2];
};

/**
 * Parse @line (the text after "mboot.c32") into @req.
 * Returns MB_OK, or an error code with @err filled: no kernel named, an
 * empty part ("--- ---", a trailing "---"), an unknown option, a -sha256
 * that is not 64 hex digits or is given twice for one file, too many
 * files, or a line of MB_CMDLINE_MAX characters or more.
 */
int mb_parse_cmdline(const char *line, struct mb_request *req,
		     struct mb_error *err);

/*
 * With "-c FILE" the line names no kernel: mb_parse_cmdline then returns
 * MB_OK with nfiles 0 and cfgfile set, and the caller fetches FILE and
 * hands its text to mb_bootcfg_apply (lib/bootcfg.h), which fills in the
 * files through mb_parse_parts.
 */

/**
 * Parse @line (below @limit characters) as the kernel and module parts
 * of a request, into @req's files and text, keeping @req's loader
 * options, fallback and cfgfile (those of the KERNEL line): what a
 * boot.cfg's kernel=, kernelopt= and modules= come to.  Errors as
 * mb_parse_cmdline's; "-c" is refused here (no boot.cfg inside one).
 */
int mb_parse_parts(const char *line, size_t limit, struct mb_request *req,
		   struct mb_error *err);

/**
 * Length of the command line the kernel receives for @f: its name, then a
 * space and its arguments when there are any (what SYSLINUX's stock module
 * and GRUB legacy pass).  Excludes the NUL.
 */
size_t mb_file_cmdline_len(const struct mb_file_req *f);

/** Write that command line, NUL-terminated, to @dst; returns @dst. */
char *mb_file_cmdline(const struct mb_file_req *f, char *dst);

#endif
