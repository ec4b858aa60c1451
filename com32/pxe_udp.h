/*
 * pxe_udp.h - UDP through the PXE stack's UDP API (PXENV_UDP_WRITE and
 * PXENV_UDP_READ), as PXELINUX's own TFTP client uses it.
 *
 * PXELINUX opened the PXE UDP service at start-up (PXENV_UDP_OPEN with its
 * own address) and keeps it open while modules run; these functions only
 * send and receive on it, with local ports of our own choosing (PXELINUX
 * picks its ports from 49152-57343; ours come from PXE_UDP_PORT_BASE up).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PXE_UDP_H
#define MBOOT_PXE_UDP_H

#include <stddef.h>
#include <stdint.h>

/* Our local ports: PXE_UDP_PORT_BASE .. PXE_UDP_PORT_BASE + 4095. */
#define PXE_UDP_PORT_BASE	60000u
/* Largest datagram received (TFTP DATA of blksize 1408 plus header). */
#define PXE_UDP_MAX		1472u

/**
 * True when the PXE UDP API can be used: PXELINUX booted over PXE with
 * pxelinux.0 (not lpxelinux.0, whose lwIP stack owns the NIC), an IPv4
 * address, and low memory for the call blocks.
 */
int pxe_udp_available(void);

/** A fresh local port (host order), not used recently by us. */
uint16_t pxe_udp_new_port(void);

/**
 * Send @len bytes of @data from local port @sport to @ip (network order)
 * port @dport (host order), through the DHCP gateway when @ip is off
 * our subnet.  Returns 0, or -1 when the PXE stack refused.
 */
int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len);

/**
 * Take one datagram addressed to local port @dport, if one is waiting
 * (never waits).  Returns its length with *@data pointing at it (valid
 * until the next call) and the sender in *@src_ip (network order) and
 * *@sport (host order); -1 when none was waiting.
 */
int pxe_udp_recv(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		 uint16_t *sport);

#endif
