/*
 * cfgread.h - "-c FILE" on the host: the boot.cfg read from the TFTP root
 * as mboot.c32 fetches it (a file like any other, by PXELINUX's name
 * rules), its kernel and modules put into the request by the module's own
 * parser (lib/bootcfg.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_CFGREAD_H
#define MBOOT_CHECK_CFGREAD_H

#include <stdbool.h>
#include "../lib/cmdline.h"
#include "pxename.h"

/**
 * Read @req->cfgfile through @names and fill @req's files from it.
 * Returns false after reporting (through diag()) a file that cannot be
 * found or read, or the module's own error for its text.
 */
bool cfgread_apply(struct mb_request *req, const struct pxe_names *names);

#endif
