/*
 * lint.h - mistakes on a mboot.c32 line that the module either refuses
 * with a terse message or boots without complaint, explained for the
 * operator before the rack reboots.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_LINT_H
#define MBOOT_CHECK_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/cmdline.h"

/*
 * Xen boots dom0 from its first module and uses only the first few: 64 up
 * to Xen 4.19 (x86 setup.c keeps them in a one-word bitmap, module_map[1],
 * and says "Excessive multiboot modules - using the first 64 only"), 63
 * from Xen 4.20 on (MAX_NR_BOOTMODS in asm/bootinfo.h: "Excessive boot
 * modules - using the first 63 only").  Read in xen-project/xen at
 * RELEASE-4.17.0 (Debian 12's), 4.19.0, 4.20.0 and 4.22.0.
 */
#define LINT_XEN_MODULES_TO_4_19	64
#define LINT_XEN_MODULES_FROM_4_20	63

/** True when the file named @name exists where PXELINUX would look. */
typedef bool (*lint_exists_fn)(void *ctx, const char *name);

/**
 * The separators of @line (the text after mboot.c32), token by token:
 * a trailing "---", "---" twice in a row or first, a lone "--" (or
 * "----") followed by a word that names an existing file (probably a
 * mistyped "---": the kernel would get it as an argument), a module
 * option such as "-gunzip" or "-sha256=" placed after the file name
 * (then it is an argument).  Reported through diag().
 */
void lint_separators(const char *line, lint_exists_fn exists, void *ctx);

/** What the checker learnt about one file, for lint_files(). */
struct lint_file {
	bool known;		/* read: the fields below are meaningful */
	bool gzip;		/* as fetched */
	uint8_t head[1024];	/* its first bytes, decompressed */
	size_t head_len;
	bool xen;		/* it is Xen (lint_is_xen, decompressed) */
};

/** Kinds of payload recognised from the first bytes. */
enum lint_kind { LINT_OTHER, LINT_LINUX, LINT_INITRD, LINT_MULTIBOOT };

/** What the first bytes @head (@len) look like. */
enum lint_kind lint_kind_of(const uint8_t *head, size_t len);

/** True if the decompressed kernel @buf (@len bytes) is Xen. */
bool lint_is_xen(const uint8_t *buf, size_t len);

/** Which file is Xen: 0 (the kernel), 1 (under tboot), or -1. */
int lint_xen_at(const struct mb_request *req, const struct lint_file *files);

/**
 * Checks that need the files (@files indexed like @req->files).  Xen is
 * the kernel, or module 1 under a kernel that boots it as its first
 * module (tboot): then the file after Xen should be dom0's Linux kernel
 * (warn when a later file is and it is not), and Xen takes at most 64
 * modules up to 4.19 and 63 from 4.20 (warn past 63, naming both).  For any kernel: a gzip initrd marked -gunzip (Linux and Xen
 * decompress their own initrd: -gunzip only costs memory), and under Xen
 * any -gunzip module that is not a Multiboot kernel.
 */
void lint_files(const struct mb_request *req, const struct lint_file *files);

#endif
