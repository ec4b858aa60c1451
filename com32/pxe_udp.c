/*
 * pxe_udp.c - UDP through the PXE stack's UDP API (see pxe_udp.h).
 *
 * Every structure and buffer the PXE stack sees is a real-mode seg:off,
 * so one block of low memory, taken on first use and kept, holds the call
 * parameters and one datagram each way.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <com32.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <syslinux/config.h>
#include <syslinux/pxe.h>
#include <syslinux/pxe_api.h>
#include "fetch.h"
#include "pxe_udp.h"

/** The low-memory block. */
struct udp_low {
	t_PXENV_UDP_WRITE write;
	t_PXENV_UDP_READ read;
	uint8_t tx[PXE_UDP_MAX];
	uint8_t rx[PXE_UDP_BIG + 64];
};

static struct udp_low *low;
static int checked, usable;
static uint32_t my_ip, netmask, gateway;

int pxe_udp_available(void)
{
	if (checked)
		return usable;
	checked = 1;
#ifdef __FIRMWARE_BIOS__	/* syslinux.efi has no PXE API */
	const char *v = syslinux_version()->version_string;
	const struct syslinux_ipinfo *ip;

	if (syslinux_filesystem() != SYSLINUX_FS_PXELINUX ||
	    (v && strstr(v, " lwIP ")))
		return 0;
	ip = syslinux_derivative_info()->pxe.ipinfo;
	if (!ip || ip->ipver != 4 || !ip->myip)
		return 0;
	my_ip = ip->myip;
	netmask = ip->netmask;
	gateway = ip->gateway;
	low = lzalloc(sizeof(*low));
	usable = low != NULL;
#endif
	return usable;
}

size_t pxe_udp_max(void)
{
	return pxe_udp_available() && fetch_ipxe_available() ? PXE_UDP_BIG :
							       PXE_UDP_MAX;
}

/** The CPU's time-stamp counter. */
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint64_t pxe_udp_noise(void)
{
	return rdtsc();
}

size_t pxe_udp_boot_entropy(uint8_t *buf, size_t cap)
{
	uint64_t w[2] = { rdtsc(), (uint64_t)times(NULL) };
	size_t n = sizeof(w) < cap ? sizeof(w) : cap;

	memcpy(buf, w, n);
#ifdef __FIRMWARE_BIOS__
	void *ack;
	size_t len;

	if (syslinux_filesystem() == SYSLINUX_FS_PXELINUX &&
	    !pxe_get_cached_info(PXENV_PACKET_TYPE_DHCP_ACK, &ack, &len)) {
		if (len > cap - n)
			len = cap - n;
		memcpy(buf + n, ack, len);
		n += len;
		free(ack);
	}
#endif
	return n;
}

int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len)
{
	t_PXENV_UDP_WRITE *w = &low->write;

	if (!usable || len > sizeof(low->tx))
		return -1;
	memcpy(low->tx, data, len);
	memset(w, 0, sizeof(*w));
	w->ip = ip;
	w->gw = ((ip ^ my_ip) & netmask) ? gateway : 0;
	w->src_port = htons(sport);
	w->dst_port = htons(dport);
	w->buffer_size = (uint16_t)len;
	w->buffer = FAR_PTR(low->tx);
	if (pxe_call(PXENV_UDP_WRITE, w) || w->status != PXENV_STATUS_SUCCESS)
		return -1;
	return 0;
}

int pxe_udp_recv_to(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		    uint16_t *sport, uint16_t *to)
{
	t_PXENV_UDP_READ *r = &low->read;

	if (!usable)
		return -1;
	memset(r, 0, sizeof(*r));
	r->dest_ip = my_ip;
	r->d_port = htons(dport);	/* 0: any port, filled in */
	r->buffer_size = sizeof(low->rx);
	r->buffer = FAR_PTR(low->rx);
	if (pxe_call(PXENV_UDP_READ, r) || r->status != PXENV_STATUS_SUCCESS)
		return -1;
	/* The stack says how much it wrote; more than the buffer would mean
	 * bytes we do not have (and must not read past): drop it. */
	if (r->buffer_size > sizeof(low->rx))
		return -1;
	*data = low->rx;
	*src_ip = r->src_ip;
	*sport = ntohs(r->s_port);
	*to = ntohs(r->d_port);
	return r->buffer_size;
}

int pxe_udp_recv(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		 uint16_t *sport)
{
	uint16_t to;

	return pxe_udp_recv_to(dport, data, src_ip, sport, &to);
}
