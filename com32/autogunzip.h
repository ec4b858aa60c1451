/*
 * autogunzip.h - the gzip modules decompressed without -gunzip: a ".gz"
 * module holding a gzip-compressed ELF file (lib/gzelf.h has the rule
 * and why).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_AUTOGUNZIP_H
#define MBOOT_AUTOGUNZIP_H

#include "../lib/cmdline.h"
#include "../lib/error.h"

/**
 * For module @f (not -gunzip, -nogunzip or -cat, its name ending in
 * ".gz"): read its first 64 KiB (fetch @flags) and, when they are gzip of
 * an ELF file, mark it MB_FILE_GUNZIP and say so unless @quiet.  Returns
 * MB_OK (marked or not), or the error of opening or reading it.
 */
int autogunzip_apply(struct mb_file_req *f, unsigned flags, int quiet,
		     struct mb_error *err);

#endif
