/*
 * sysver.h - the SYSLINUX files a PXE boot of mboot.c32 loads (BIOS:
 * pxelinux.0 or lpxelinux.0, ldlinux.c32; UEFI: syslinux.efi,
 * ldlinux.e64), their versions, and whether they fit together.  SYSLINUX 6 writes its version
 * only into the core (pxelinux.0, lpxelinux.0: "PXELINUX 6.04 PXE
 * 20200816", inside its LZO-compressed part; syslinux.efi: "Syslinux 6.04
 * (EFI; 20200816)"); ldlinux.c32, libcom32.c32 and the modules record
 * none, only the compiler that built them (their ELF .comment).  What
 * breaks a boot is a symbol one of them needs that nothing loaded before
 * it defines: the core loads ldlinux.c32 against its own symbols;
 * ldlinux.c32 loads a module after the libraries it names (DT_NEEDED,
 * libcom32.c32), and refuses it ("Failed to load COM32 file NAME.c32")
 * when a symbol it needs (not weak) is defined by none of the core,
 * ldlinux.c32 and those libraries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_SYSVER_H
#define MBOOT_CHECK_SYSVER_H

#include <stdbool.h>

/**
 * The host path of the SYSLINUX file @name as PXELINUX would find it
 * (written to @path, @cap bytes); false when it is not in the root.
 */
typedef bool (*sysver_find_fn)(void *ctx, const char *name, char *path,
			       size_t cap);

/**
 * Read the cores (pxelinux.0, lpxelinux.0, syslinux.efi), ldlinux.c32
 * and ldlinux.e64, the libraries the module @module names and the module
 * itself, found through @find; note each one's version (or, for the ELF
 * files, that none is recorded and the compiler that built them); report,
 * naming the files and versions, two BIOS cores of different versions
 * side by side (a warning), and for each core a file of the other build
 * (i386 or x86-64), a COM32 binary of SYSLINUX 4 or earlier and every
 * symbol a file needs that nothing loaded before it defines: errors for
 * the first core found, warnings for the others.  Reported through
 * diag().
 */
void sysver_check(const char *module, sysver_find_fn find, void *ctx);

#endif
