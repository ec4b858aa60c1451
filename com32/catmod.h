/*
 * catmod.h - "-cat": several files loaded as one module, their bytes
 * concatenated in the order named (a shared initrd plus a per-host
 * overlay: Linux reads concatenated initramfs archives).
 *
 *     --- -cat -sha256=HEX1+HEX2 base.cpio.gz+host.cpio args
 *
 * The part's name is split on '+' (lib/cmdline.c checks 1 to MB_CAT_MAX
 * non-empty names); each file is fetched like any other (relative to the
 * config's directory) and checked against its own digest, then the files
 * are joined in the heap and copied into place once.  The module's
 * command line is the name as written, then the arguments.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CATMOD_H
#define MBOOT_CATMOD_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/cmdline.h"
#include "../lib/error.h"

/**
 * Fetch every file of the -cat part @f (fetch @flags) and return their
 * bytes joined, in a heap buffer at *@data of *@len bytes.  Prints one
 * line naming the files and the total unless @quiet.  Returns MB_OK or
 * the first file's error (not found, read, digest mismatch), or
 * MB_E_NO_MEMORY / MB_E_OUT_OF_MEMORY when the total does not fit.
 */
int catmod_load(const struct mb_file_req *f, unsigned flags, int quiet,
		uint8_t **data, size_t *len, struct mb_error *err);

#endif
