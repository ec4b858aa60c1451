/*
 * filename.h - what kind of file name PXELINUX sees in a name.
 *
 * PXELINUX 6.04 (core/fs/pxe, url_type()) decides by the name's first
 * ':': followed by "//" it is a URL (http://, tftp://, ...); followed by
 * another ':' it is the old TFTP form "host::path" (or "::path" for the
 * server PXELINUX booted from); otherwise, or without any ':', it is
 * relative to PXELINUX's working directory.  The module (fetch_ipxe.c,
 * building the URL iPXE opens) and the host checker (tools/pxename.c,
 * finding the file under a TFTP root) both follow this.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_FILENAME_H
#define MBOOT_FILENAME_H

enum mb_name_kind {
	MB_NAME_RELATIVE,	/* "name", "dir/name", "/name" */
	MB_NAME_URL,		/* "scheme://host/path" */
	MB_NAME_TFTP,		/* "host::path", "::path" */
};

/** The kind of the NUL-terminated file name @s (see above). */
enum mb_name_kind mb_name_kind(const char *s);

#endif
