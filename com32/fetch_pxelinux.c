/*
 * fetch_pxelinux.c - the PXELINUX file layer transport (open/read/fstat:
 * TFTP, and HTTP/FTP under lpxelinux.0 or iPXE).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fetch.h"

/** Open @name through PXELINUX; the size comes from fstat (TFTP tsize). */
static int px_open(struct fetch *f, const char *name, struct mb_error *err)
{
	struct stat st;

	f->fd = open(name, O_RDONLY);
	if (f->fd < 0)
		return mb_fail(err, MB_E_NOT_FOUND, "%s: file not found (%s)",
			       name, strerror(errno));
	if (!fstat(f->fd, &st) && st.st_size > 0)
		f->size = (uint64_t)st.st_size;
	return MB_OK;
}

/** Read up to @len bytes; PXELINUX returns what it has, maybe less. */
static int px_read(struct fetch *f, void *dst, size_t len, size_t *got,
		   struct mb_error *err)
{
	ssize_t n = read(f->fd, dst, len > (1u << 16) ? (1u << 16) : len);

	if (n < 0)
		return mb_fail(err, MB_E_READ, "%s: read error (%s)", f->name,
			       strerror(errno));
	*got = (size_t)n;
	return MB_OK;
}

/** Close the file descriptor. */
static void px_close(struct fetch *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

const struct fetch_ops fetch_pxelinux_ops = {
	.name = "PXELINUX",
	.open = px_open,
	.read = px_read,
	.close = px_close,
};
