/*
 * fetch.h - getting a file's bytes through PXELINUX's file layer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_FETCH_H
#define MBOOT_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/error.h"

/**
 * Read the whole file @name (TFTP, HTTP, ... as PXELINUX resolves it) into
 * a malloc()ed buffer.  On success *@data and *@len hold it (the caller
 * frees it).  Errors: not found, read error (with the offset), no memory.
 */
int fetch_file(const char *name, uint8_t **data, size_t *len,
	       struct mb_error *err);

#endif
