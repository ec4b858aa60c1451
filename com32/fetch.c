/*
 * fetch.c - reading a whole file through PXELINUX's open/read.
 *
 * When the size is known up front (TFTP tsize, HTTP Content-Length, fstat)
 * the buffer is allocated once and filled by large reads; otherwise it
 * grows geometrically.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fetch.h"

int fetch_file(const char *name, uint8_t **data, size_t *len,
	       struct mb_error *err)
{
	struct stat st;
	size_t cap, have = 0;
	uint8_t *buf;
	int fd = open(name, O_RDONLY);

	if (fd < 0)
		return mb_fail(err, MB_E_NOT_FOUND, "%s: file not found (%s)",
			       name, strerror(errno));
	cap = (!fstat(fd, &st) && st.st_size > 0) ? (size_t)st.st_size : 0;
	int size_known = cap != 0;
	if (!size_known)
		cap = 64 * 1024;
	buf = malloc(cap + 1);	/* +1: a read at EOF still has room */
	if (!buf) {
		close(fd);
		return mb_fail(err, MB_E_NO_MEMORY,
			       "%s: cannot allocate %zu bytes to read it", name, cap);
	}
	for (;;) {
		if (have == cap + 1) {	/* full: unknown size, or longer
					 * than announced */
			size_known = 0;
			size_t ncap = cap * 2;
			uint8_t *nbuf = realloc(buf, ncap + 1);
			if (!nbuf) {
				free(buf);
				close(fd);
				return mb_fail(err, MB_E_NO_MEMORY,
					       "%s: cannot grow the read buffer to %zu bytes",
					       name, ncap);
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + have, cap + 1 - have);
		if (n < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return mb_fail(err, MB_E_READ,
				       "%s: read error after %zu bytes (%s)", name,
				       have, strerror(e));
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	if (size_known && have != cap) {
		free(buf);
		return mb_fail(err, MB_E_READ,
			       "%s: transfer ended after %zu of %zu bytes", name,
			       have, cap);
	}
	*data = buf;
	*len = have;
	return MB_OK;
}
