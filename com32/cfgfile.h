/*
 * cfgfile.h - "-c FILE": fetching a boot.cfg and taking the kernel and
 * modules from it (the parsing is lib/bootcfg.c's).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CFGFILE_H
#define MBOOT_CFGFILE_H

#include "../lib/cmdline.h"
#include "../lib/error.h"

/**
 * Fetch @req->cfgfile (with the fetch @flags, named as any file is:
 * relative to the config's directory) and fill @req's files from it;
 * print its title= unless @quiet.  Returns MB_OK or an error code: the
 * file not fetched, or what mb_bootcfg_apply refuses.
 */
int cfgfile_load(struct mb_request *req, unsigned flags, int quiet,
		 struct mb_error *err);

#endif
