/*
 * catread.h - a "-cat" module on the host: its files ("a+b+...") found
 * by PXELINUX's name rules and joined in order, each checked against its
 * own -sha256 digest as mboot.c32 checks it (com32/catmod.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_CATREAD_H
#define MBOOT_CHECK_CATREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/cmdline.h"
#include "pxename.h"

/**
 * Join the files of the -cat module @f into a new buffer *@data (free
 * it) of *@len bytes.  Returns false after reporting (through diag(),
 * in the module's words where it has them) a file not found or not local,
 * or a digest that does not match.
 */
bool catread_join(const struct mb_file_req *f, const struct pxe_names *names,
		  uint8_t **data, size_t *len);

#endif
