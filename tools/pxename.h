/*
 * pxename.h - where PXELINUX 6.04 would fetch a file name from, mapped to
 * a path on this host.
 *
 * PXELINUX's rules (core/fs/pxe/pxe.c, urlparse.c): a name containing
 * "://" is a URL (scheme://host/path); "host::path" (or "::path", the
 * boot server) is TFTP with path taken as it is; anything else is
 * prefixed with the working directory, which starts as "::" followed by
 * the path prefix (DHCP option 210, or the boot file's directory).
 * A TFTP path maps to ROOT/path (a leading '/' is inside the root, as
 * dnsmasq and QEMU serve it).  URLs: tftp:// to the boot server (or any
 * host, with a warning) maps like TFTP; http:// maps under --http-root
 * when given; other URLs cannot be checked.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_PXENAME_H
#define MBOOT_CHECK_PXENAME_H

#include <stddef.h>

/** Where names are looked up. */
struct pxe_names {
	const char *root;	/* the TFTP root directory */
	const char *cwd;	/* working directory: "::" + prefix, or a URL
				 * prefix ("http://host/dir/") */
	const char *http_root;	/* directory serving http:// paths, or NULL */
};

enum pxe_where {
	PXE_LOCAL,		/* @path is the host file */
	PXE_URL_UNCHECKED,	/* a URL we cannot read (see @why) */
};

/** The result of resolving one name. */
struct pxe_resolved {
	enum pxe_where where;
	char full[1024];	/* the name as PXELINUX opens it (cwd applied) */
	char path[2048];	/* PXE_LOCAL: the host path */
	char why[160];		/* PXE_URL_UNCHECKED: the reason; else a note
				 * (e.g. another TFTP host), or "" */
};

/** Resolve @name against @n into @r. */
void pxe_resolve(const struct pxe_names *n, const char *name,
		 struct pxe_resolved *r);

/**
 * The working directory PXELINUX starts with for a path prefix @prefix
 * ("" for the TFTP root, "boot/" for a subdirectory, or a URL), into @buf.
 */
const char *pxe_cwd_for_prefix(const char *prefix, char *buf, size_t cap);

#endif
