/*
 * pxe_udp.h - UDP through the PXE stack's UDP API (PXENV_UDP_WRITE and
 * PXENV_UDP_READ), as PXELINUX's own TFTP client uses it.
 *
 * PXELINUX opened the PXE UDP service at start-up (PXENV_UDP_OPEN with its
 * own address) and keeps it open while modules run; these functions only
 * send and receive on it, with local ports of our own choosing (PXELINUX
 * picks its ports from 49152-57343; tftp.c draws ours above, see
 * TFTP_PORT_FIRST).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PXE_UDP_H
#define MBOOT_PXE_UDP_H

#include <stddef.h>
#include <stdint.h>

/* Largest datagram sent, and received from a plain PXE stack (TFTP DATA
 * of blksize 1408 plus header: one Ethernet frame). */
#define PXE_UDP_MAX		1472u
/* Largest datagram received from a stack that reassembles IP fragments
 * (iPXE): TFTP DATA of blksize TFTP_BLKSIZE_BIG plus header. */
#define PXE_UDP_BIG		(8192u + 4u)

/**
 * True when the PXE UDP API can be used: PXELINUX booted over PXE with
 * pxelinux.0 (not lpxelinux.0, whose lwIP stack owns the NIC), an IPv4
 * address, and low memory for the call blocks.
 */
int pxe_udp_available(void);

/**
 * The largest datagram pxe_udp_recv() can return: PXE_UDP_BIG when the
 * PXE stack is iPXE (PXENV_FILE_API_CHECK answers), which reassembles IP
 * fragments before PXENV_UDP_READ sees them; PXE_UDP_MAX otherwise (a
 * plain PXE ROM's UDP API is only specified for single frames).
 */
size_t pxe_udp_max(void);

/**
 * Bytes that differ from machine to machine and boot to boot, for keying
 * the choice of our ports (PXE has no random number source): the
 * time-stamp counter, PXELINUX's timer, and the DHCP ACK the PXE stack
 * kept (our MAC, the transaction id, the addresses).  Fills at most @cap
 * bytes of @buf; returns how many.
 */
size_t pxe_udp_boot_entropy(uint8_t *buf, size_t cap);

/** The time-stamp counter now, mixed into each port drawn. */
uint64_t pxe_udp_noise(void);

/**
 * Send @len bytes of @data from local port @sport to @ip (network order)
 * port @dport (host order), through the DHCP gateway when @ip is off
 * our subnet.  Returns 0, or -1 when the PXE stack refused.
 */
int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len);

/**
 * Take one datagram addressed to local port @dport, or to any port when
 * @dport is 0 (iPXE's PXENV_UDP_READ takes d_port 0 as "any" and reports
 * the datagram's own; with a port, it drops a queued datagram for another
 * one), if one is waiting (never waits).  Returns its length with *@data
 * pointing at it (valid until the next call), the sender in *@src_ip
 * (network order) and *@sport (host order), and the port it was sent to
 * in *@to (host order); -1 when none was waiting, or when the PXE stack
 * reported a length larger than our buffer (the datagram is dropped: its
 * bytes are not all there).
 */
int pxe_udp_recv_to(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		    uint16_t *sport, uint16_t *to);

/** pxe_udp_recv_to() without the destination port. */
int pxe_udp_recv(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		 uint16_t *sport);

#endif
