/*
 * pxename.c - PXELINUX's file names mapped to this host (see pxename.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include "pxename.h"
#include "../lib/filename.h"

const char *pxe_cwd_for_prefix(const char *prefix, char *buf, size_t cap)
{
	if (mb_name_kind(prefix) == MB_NAME_RELATIVE)
		snprintf(buf, cap, "::%s", prefix);
	else
		snprintf(buf, cap, "%s", prefix);
	return buf;
}

/** @dir + "/" + @path (leading '/' of @path dropped) into @r->path. */
static void map_under(struct pxe_resolved *r, const char *dir,
		      const char *path, size_t len)
{
	while (len && *path == '/')
		path++, len--;
	snprintf(r->path, sizeof(r->path), "%s/%.*s", dir, (int)len, path);
	r->where = PXE_LOCAL;
}

void pxe_resolve(const struct pxe_names *n, const char *name,
		 struct pxe_resolved *r)
{
	memset(r, 0, sizeof(*r));
	if (mb_name_kind(name) == MB_NAME_RELATIVE)
		snprintf(r->full, sizeof(r->full), "%s%s", n->cwd, name);
	else
		snprintf(r->full, sizeof(r->full), "%s", name);

	const char *f = r->full;
	if (mb_name_kind(f) == MB_NAME_TFTP) {	/* host::path */
		const char *q = strchr(f, ':');
		if (q != f)
			snprintf(r->why, sizeof(r->why),
				 "TFTP host %.*s: looked up in the root given",
				 (int)(q - f), f);
		map_under(r, n->root, q + 2, strlen(q + 2));
		return;
	}
	if (mb_name_kind(f) != MB_NAME_URL) {	/* cannot happen: cwd is "::" */
		map_under(r, n->root, f, strlen(f));
		return;
	}
	const char *colon = strchr(f, ':');
	size_t scheme_len = (size_t)(colon - f);
	const char *host = colon + 3;
	const char *slash = strchr(host, '/');
	const char *path = slash ? slash + 1 : "";
	size_t path_len = strcspn(path, "#");

	if (scheme_len == 4 && !strncasecmp(f, "tftp", 4)) {
		snprintf(r->why, sizeof(r->why),
			 "TFTP host %.*s: looked up in the root given",
			 (int)(slash ? (size_t)(slash - host) : strlen(host)),
			 host);
		map_under(r, n->root, path, path_len);
		return;
	}
	if (scheme_len == 4 && !strncasecmp(f, "http", 4) && n->http_root) {
		map_under(r, n->http_root, path, strcspn(path, "#?"));
		return;
	}
	r->where = PXE_URL_UNCHECKED;
	snprintf(r->why, sizeof(r->why), "not checked: URL%s",
		 scheme_len == 4 && !strncasecmp(f, "http", 4) ?
			 " (give --http-root DIR to check http:// files)" : "");
}
