/*
 * gunzip.c - gzip files for the loader (see gunzip.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gunzip.h"
#include "gzip.h"

int mb_gunzip_size(const uint8_t *in, size_t in_len, const char *name,
		   uint32_t *size, struct mb_error *err)
{
	if (in_len < 18)
		return mb_fail(err, MB_E_GZIP,
			       "%s: gzip file is truncated (%zu bytes)", name,
			       in_len);
	*size = gz_isize(in, in_len);
	if ((uint64_t)*size > (uint64_t)in_len * 1032 + 1024)
		return mb_fail(err, MB_E_GZIP,
			       "%s: gzip trailer claims %u bytes from %zu compressed: the file is truncated or corrupt",
			       name, *size, in_len);
	return MB_OK;
}

int mb_gzip_fail(const char *name, int status, size_t pos,
		 struct mb_error *err)
{
	return mb_fail(err, MB_E_GZIP,
		       "%s: gzip data error at compressed offset %zu: %s", name,
		       pos, gz_strerror(status));
}

int mb_gunzip(const uint8_t *in, size_t in_len, const char *name, void *out,
	      size_t cap, size_t *out_len, int *status, struct mb_error *err)
{
	size_t pos = 0;
	int rc = gz_decompress(in, in_len, out, cap, out_len, &pos);

	if (status)
		*status = rc;
	return rc ? mb_gzip_fail(name, rc, pos, err) : MB_OK;
}
