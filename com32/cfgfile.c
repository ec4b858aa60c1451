/*
 * cfgfile.c - "-c FILE": the kernel and modules from a boot.cfg (cfgfile.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include "../lib/bootcfg.h"
#include "cfgfile.h"
#include "fetch.h"

int cfgfile_load(struct mb_request *req, unsigned flags, int quiet,
		 struct mb_error *err)
{
	static char line[MB_CFG_LINE_MAX];
	static struct mb_bootcfg cfg;
	uint8_t *data;
	size_t len;
	int rc = fetch_file(req->cfgfile, flags, NULL, &data, &len, err);

	if (rc)
		return rc;
	rc = mb_bootcfg_apply((const char *)data, len, req->cfgfile, line,
			      sizeof(line), req, &cfg, err);
	free(data);
	if (!rc && cfg.title[0] && !quiet)
		printf("mboot: %s: %s\n", req->cfgfile, cfg.title);
	return rc;
}
