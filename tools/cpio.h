/*
 * cpio.h - what a module holds when it is an uncompressed "newc" cpio
 * archive (or several concatenated), read the way Xen's early cpio code
 * reads one: entries from the start, zero padding between archives
 * skipped in 4-byte steps, the walk stopping at the first bytes that are
 * not a header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_CPIO_H
#define MBOOT_CHECK_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where Linux and Xen look for early microcode in a cpio archive. */
#define CPIO_UCODE_DIR "kernel/x86/microcode/"

/** The summary of one walk. */
struct cpio_summary {
	bool cpio;		/* it starts with a newc header */
	bool whole;		/* the walk reached the end: nothing but cpio
				 * archives and zero padding */
	unsigned files;		/* regular files */
	unsigned ucode_files;	/* of which under CPIO_UCODE_DIR */
	bool intel, amd;	/* CPIO_UCODE_DIR "GenuineIntel.bin" /
				 * "AuthenticAMD.bin" found (as Xen matches
				 * them: the name starts with the path) */
};

/** Walk @data (@len bytes) and fill @out. */
void cpio_walk(const uint8_t *data, size_t len, struct cpio_summary *out);

#endif
