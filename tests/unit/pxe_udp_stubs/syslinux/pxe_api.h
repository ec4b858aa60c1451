/*
 * syslinux/pxe_api.h - host stand-in: the PXE UDP calls com32/pxe_udp.c
 * makes, with SYSLINUX 6.04's field names (network-order ports).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PXE_UDP_STUB_PXE_API_H
#define MBOOT_PXE_UDP_STUB_PXE_API_H

#include <stdint.h>
#include <com32.h>

#define PXENV_UDP_WRITE			0x0033
#define PXENV_UDP_READ			0x0032
#define PXENV_STATUS_SUCCESS		0x00
#define PXENV_PACKET_TYPE_DHCP_ACK	2

typedef struct {
	uint16_t status;
	uint32_t ip, gw;
	uint16_t src_port, dst_port, buffer_size;
	far_ptr_t buffer;
} t_PXENV_UDP_WRITE;

typedef struct {
	uint16_t status;
	uint32_t src_ip, dest_ip;
	uint16_t s_port, d_port, buffer_size;
	far_ptr_t buffer;
} t_PXENV_UDP_READ;

#endif
