/*
 * xenlint.h - a Xen entry's modules as Xen itself sorts them, read in
 * xen-project/xen's x86 setup.c, xsm/xsm_policy.c and
 * arch/x86/cpu/microcode/core.c at RELEASE-4.17.0 (Debian 12's) and
 * 4.22.0: Xen's module 0 is dom0's kernel; an XSM/FLASK policy is
 * claimed (only by a Xen built with XSM); "ucode=N" claims module N (N
 * counted from dom0's kernel as 0, negative from the end); "ucode=scan"
 * looks inside every unclaimed module and claims none; dom0's initrd is
 * the first module left unclaimed, and Xen warns "Multiple initrd
 * candidates" when more than one is left.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_XENLINT_H
#define MBOOT_CHECK_XENLINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/cmdline.h"

/* The first word of a FLASK binary policy (XSM_MAGIC, FLASK_MAGIC). */
#define XEN_FLASK_MAGIC 0xf97cff8cu
/* The first word of an AMD microcode container (UCODE_MAGIC, amd.c). */
#define XEN_AMD_UCODE_MAGIC 0x00414d44u
/* Printed by every Xen built with XSM (xsm_core.c); absent otherwise. */
#define XEN_XSM_MARK "XSM Framework v"

/**
 * Reads file @i of the line (@i >= 1) as the kernel receives it: whole,
 * decompressed when the line marks it -gunzip.  Returns a buffer to free
 * (*@len bytes), or NULL when the file cannot be read here.
 */
typedef uint8_t *(*xenlint_read_fn)(void *ctx, unsigned i, size_t *len);

/**
 * The Xen lints for the line @req whose file @at is Xen (@xen, @xen_len:
 * its decompressed image): ucode=N naming no module, one already claimed
 * or one that is not microcode; ucode=scan with no uncompressed cpio
 * holding CPIO_UCODE_DIR's GenuineIntel.bin or AuthenticAMD.bin; dom0's
 * initrd (the first unclaimed module) a microcode-only cpio; more than
 * one initrd candidate; an XSM/FLASK policy module that this Xen will
 * not claim (built without XSM) or will not use (xsm=dummy/silo,
 * flask=disabled).  Reported through diag().
 */
void xenlint_check(const struct mb_request *req, unsigned at,
		   const uint8_t *xen, size_t xen_len, xenlint_read_fn read,
		   void *ctx);

#endif
