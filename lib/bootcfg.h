/*
 * bootcfg.h - "-c FILE": the kernel and modules from a VMware boot.cfg.
 *
 * VMware's own mboot.c32 (KERNEL mboot.c32 / APPEND -c boot.cfg) reads a
 * file of key=value lines; ours reads the same file, so module lists longer
 * than PXELINUX's 2047-character APPEND fit (ESXi has ~90 modules):
 *
 *     # a comment
 *     title=Loading ESXi
 *     prefix=esxi-8.0
 *     kernel=b.b00
 *     kernelopt=runweasel
 *     modules=jumpstrt.gz --- useropts.gz --- features.gz
 *
 * - kernel= is required; it and each item of modules= (split on "---"
 *   words) are what a part of the KERNEL line is: [options] NAME [args],
 *   so -sha256=, -gunzip and -cat work there too.  kernelopt= is appended
 *   to the kernel's arguments; it may not contain a "---" word.
 * - prefix=DIR: relative names are DIR/NAME.  Without a prefix= line they
 *   are relative to the boot.cfg's own directory (VMware's default); with
 *   an empty "prefix=" they are used as written (PXELINUX's rules:
 *   relative to the config's directory).  A name starting with '/', or
 *   holding "::" or "://", is never prefixed.
 * - title= is shown (ours prints it); blank lines and lines whose first
 *   non-blank character is '#' are skipped; lines end in LF or CR LF.
 * - Every other key VMware knows (timeout, nobootif, noquirks, norts,
 *   build, updated, bootstate, crypto, runtimewd, runtimewdtimeout,
 *   tftpblksize, acpitables, skip, errtimeout, ...) is read and ignored;
 *   a line with no '=' is an error naming the file and line.
 * - A later line with the same key replaces the earlier one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_BOOTCFG_H
#define MBOOT_BOOTCFG_H

#include <stddef.h>
#include "cmdline.h"
#include "error.h"

/* Longest boot.cfg read (bytes). */
#define MB_BOOTCFG_MAX (256u * 1024)

/** What a boot.cfg said beside the files. */
struct mb_bootcfg {
	char title[128];	/* title=, cut to 127 characters; "" if none */
};

/**
 * Turn the boot.cfg @text (@len bytes, fetched as @cfgname) into the
 * kernel and module parts of @req (whose loader options, from the KERNEL
 * line, are kept), using @line (@cap bytes, at most MB_CFG_LINE_MAX are
 * used) for the one-line form it comes to.  Fills @cfg.  Returns MB_OK,
 * or an error code with @err naming @cfgname: a line without '=' (with
 * its number), no kernel=, a "---" word in kernel= or kernelopt=, a NUL
 * byte, a file over MB_BOOTCFG_MAX, or what mb_parse_parts refuses.
 */
int mb_bootcfg_apply(const char *text, size_t len, const char *cfgname,
		     char *line, size_t cap, struct mb_request *req,
		     struct mb_bootcfg *cfg, struct mb_error *err);

#endif
