/*
 * syslinux/config.h - host stand-in: what com32/fetch_ipxe.c and main.c
 * ask of SYSLINUX's configuration (its version string, the filesystem,
 * the PXE server address); answered by the simulated firmware.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_HOST_STUB_CONFIG_H
#define MBOOT_HOST_STUB_CONFIG_H

#include <stdint.h>

enum syslinux_filesystem {
	SYSLINUX_FS_UNKNOWN = 0x30,
	SYSLINUX_FS_SYSLINUX = 0x31,
	SYSLINUX_FS_PXELINUX = 0x32,
	SYSLINUX_FS_ISOLINUX = 0x33,
	SYSLINUX_FS_EXTLINUX = 0x34,
};

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

/* The IPAPPEND/SYSAPPEND strings: none here (main.c finds nothing to
 * move on the host). */
struct syslinux_ipappend_strings {
	int count;
	const char *const *ptr;
};

/** The machine's IPAPPEND strings: an empty set on the host. */
static inline const struct syslinux_ipappend_strings *
syslinux_ipappend_strings(void)
{
	static const struct syslinux_ipappend_strings none = { 0, 0 };
	return &none;
}

const struct syslinux_version *syslinux_version(void);
enum syslinux_filesystem syslinux_filesystem(void);
const union syslinux_derivative_info *syslinux_derivative_info(void);

#endif
