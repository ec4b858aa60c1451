/*
 * cfgread.c - "-c FILE" on the host (see cfgread.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include "../lib/bootcfg.h"
#include "cfgread.h"
#include "diag.h"

bool cfgread_apply(struct mb_request *req, const struct pxe_names *names)
{
	static char line[MB_CFG_LINE_MAX];
	static struct mb_bootcfg cfg;
	struct pxe_resolved r;
	struct mb_error err;
	FILE *f;
	char *text;
	size_t len;

	pxe_resolve(names, req->cfgfile, &r);
	if (r.where != PXE_LOCAL) {
		diag(DIAG_WARNING, "-c %s: %s: its files are not checked",
		     req->cfgfile, r.why);
		return false;
	}
	if (!(f = fopen(r.path, "rb"))) {
		diag(DIAG_ERROR, "-c %s: file not found (%s as %s)", req->cfgfile,
		     r.full, r.path);
		return false;
	}
	/* One byte more than the module reads, so that a file over the
	 * limit reaches its parser and gets its message. */
	text = malloc(MB_BOOTCFG_MAX + 2);
	len = text ? fread(text, 1, MB_BOOTCFG_MAX + 1, f) : 0;
	fclose(f);
	if (!text) {
		diag(DIAG_ERROR, "-c %s: out of memory", req->cfgfile);
		return false;
	}
	int rc = mb_bootcfg_apply(text, len, req->cfgfile, line, sizeof(line),
				  req, &cfg, &err);
	free(text);
	if (rc) {
		diag(DIAG_ERROR, "%s", err.msg);
		return false;
	}
	diag(DIAG_NOTE, "-c %s: read as %s: a kernel and %u module%s%s%s",
	     req->cfgfile, r.path, req->nfiles - 1,
	     req->nfiles == 2 ? "" : "s", cfg.title[0] ? "; title: " : "",
	     cfg.title);
	return true;
}
