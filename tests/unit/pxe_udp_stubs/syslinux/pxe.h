/*
 * syslinux/pxe.h - host stand-in: PXELINUX's cached DHCP packets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PXE_UDP_STUB_PXE_H
#define MBOOT_PXE_UDP_STUB_PXE_H

#include <stddef.h>

/** A heap copy of cached packet @level (the caller frees it); 0 or -1. */
int pxe_get_cached_info(int level, void **buf, size_t *len);

#endif
