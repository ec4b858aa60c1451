/*
 * syslinux/config.h - host stand-in: what com32/pxe_udp.c asks SYSLINUX
 * (which derivative, its version, PXELINUX's IP settings).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PXE_UDP_STUB_CONFIG_H
#define MBOOT_PXE_UDP_STUB_CONFIG_H

#include <stdint.h>

#define SYSLINUX_FS_PXELINUX 0x32

struct syslinux_version {
	const char *version_string;
};

struct syslinux_ipinfo {
	uint32_t ipver, myip, serverip, gateway, netmask;
};

union syslinux_derivative_info {
	struct {
		const struct syslinux_ipinfo *ipinfo;
	} pxe;
};

const struct syslinux_version *syslinux_version(void);
int syslinux_filesystem(void);
const union syslinux_derivative_info *syslinux_derivative_info(void);

#endif
