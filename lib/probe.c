/*
 * probe.c - choosing the protocol and describing the kernel (see probe.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cmdline.h"
#include "probe.h"

int mb_probe_kernel(const uint8_t *buf, size_t len, const char *name,
		    unsigned opts, bool mb2_only, struct mb_image *img,
		    struct mb2_header_info *h2, int *proto,
		    struct mb_error *err)
{
	bool want2;

	if (opts & MB_OPT_MB2)
		want2 = true;
	else if ((opts & MB_OPT_MB1) || len == 0)
		want2 = false;
	else if (mb2_only)
		want2 = true;
	else
		want2 = mb1_find_header(buf, len, name, img, NULL) != MB_OK &&
			mb2_find_header(buf, len, name, h2, NULL) !=
				MB_E_NO_HEADER;

	if (!want2) {
		if (mb2_only)
			return mb_fail(err, MB_E_MB2_UNSUPPORTED,
				       "%s: only Multiboot 2 kernels with an EFI entry can be booted on UEFI",
				       name);
		*proto = 1;
		return mb_image_probe(buf, len, name, opts, img, err);
	}
	*proto = 2;
	if (len == 0)
		return mb_fail(err, MB_E_EMPTY_FILE, "%s: file is empty", name);
	int rc = mb2_find_header(buf, len, name, h2, err);
	if (rc)
		return rc;
	return mb2_image_probe(buf, len, name, h2, img, err);
}
