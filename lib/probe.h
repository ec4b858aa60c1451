/*
 * probe.h - which Multiboot protocol a kernel is booted with, and its
 * image description.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PROBE_H
#define MBOOT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "image.h"
#include "mb2.h"

/**
 * Probe the kernel @name (@buf, @len bytes, decompressed) and choose the
 * protocol: -mb1/-mb2 in @opts force one; @mb2_only (UEFI) allows only
 * Multiboot 2; otherwise Multiboot 1 when its header is there (what the
 * stock module and GRUB legacy boot; Xen has both), else Multiboot 2 when
 * its magic is there (so a broken Multiboot 2 header is reported as
 * such), else the Multiboot 1 search's error.  Fills @img, @h2 (Multiboot
 * 2) and *@proto (1 or 2).  Returns MB_OK or the probe's error.
 */
int mb_probe_kernel(const uint8_t *buf, size_t len, const char *name,
		    unsigned opts, bool mb2_only, struct mb_image *img,
		    struct mb2_header_info *h2, int *proto,
		    struct mb_error *err);

#endif
