/*
 * ipacheck.c - where mboot.c32 will put the IPAPPEND strings (see
 * ipacheck.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include "ipacheck.h"
#include "diag.h"
#include "../lib/ipappend.h"

/* The modules as read, for is_linux. */
struct view {
	const struct mb_request *req;
	const struct lint_file *files;
	bool unknown;		/* a module that could not be read */
};

/**
 * mb_ipappend_target's test: module @i is a bzImage as the kernel gets it
 * (a gzip module passed compressed is not; one marked -gunzip is judged
 * by its decompressed head, which lint_file holds).
 */
static bool is_linux(void *ctx, unsigned i)
{
	struct view *v = ctx;
	const struct lint_file *f = &v->files[i];

	if (!f->known) {
		v->unknown = true;
		return false;
	}
	if (f->gzip && !(v->req->files[i].opts & MB_FILE_GUNZIP))
		return false;
	return mb_is_bzimage(f->head, f->head_len);
}

void ipacheck_report(const struct mb_request *req, unsigned bits,
		     const struct lint_file *files)
{
	struct view v = { req, files, false };
	char keys[256], part[MB_CMDLINE_MAX + 32];
	unsigned last = req->nfiles - 1;

	if (!bits || !req->nfiles)
		return;
	mb_ipappend_keys(bits, keys, sizeof(keys));
	unsigned t = mb_ipappend_target(req, is_linux, &v);
	mb_ipappend_part_name(req, t, part, sizeof(part));
	if (req->ipappend_mode == MB_IPAPPEND_KEEP) {
		diag(DIAG_WARNING, "IPAPPEND/SYSAPPEND %u adds %s at the end of the line: with -ipappend=keep they stay on the last file, %s",
		     bits, keys, part);
		return;
	}
	if (t == last) {
		diag(DIAG_NOTE, "IPAPPEND/SYSAPPEND %u adds %s at the end of the line: they stay there, on %s (%s)",
		     bits, keys, part,
		     req->ipappend_mode == MB_IPAPPEND_PART ? "as -ipappend= asks" :
		     last ? "the first module that is a Linux kernel" :
			    "no module is a Linux kernel");
		return;
	}
	const char *why = req->ipappend_mode == MB_IPAPPEND_PART ?
			  "as -ipappend= asks" :
			  t ? "the first module that is a Linux kernel" :
			      "no module is a Linux kernel";
	diag(DIAG_NOTE, "IPAPPEND/SYSAPPEND %u adds %s at the end of the line: mboot.c32 takes them off the last module, %s, and gives them to %s (%s)%s",
	     bits, keys, req->files[last].name, part, why,
	     v.unknown ? "; a module could not be read here, which may change that" :
			 "");
}
