/*
 * test_pxe_udp.c - com32/pxe_udp.c on the host, over stand-ins for the
 * SYSLINUX headers it includes (tests/unit/pxe_udp_stubs/) and a
 * simulated PXE stack: the length the stack reports for a datagram is
 * trusted only up to our buffer, and the ports' key material holds the
 * DHCP ACK and a time-stamp counter.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define __FIRMWARE_BIOS__ 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../com32/pxe_udp.c"

/* --- the simulated SYSLINUX and PXE stack ----------------------------------- */

static const struct syslinux_ipinfo ipinfo = {
	4, 0x0200a8c0u, 0x0100a8c0u, 0xfe00a8c0u, 0x00ffffffu
};
static uint16_t next_len;	/* buffer_size the stack reports */
static uint8_t next_fill;	/* the byte it writes */
static uint8_t dhcp_ack[300];

const struct syslinux_version *syslinux_version(void)
{
	static const struct syslinux_version v = { "PXELINUX 6.04 PXE" };
	return &v;
}

int syslinux_filesystem(void)
{
	return SYSLINUX_FS_PXELINUX;
}

const union syslinux_derivative_info *syslinux_derivative_info(void)
{
	static union syslinux_derivative_info d = { { &ipinfo } };
	return &d;
}

void *lzalloc(size_t n)
{
	return calloc(1, n);
}

int pxe_get_cached_info(int level, void **buf, size_t *len)
{
	if (level != PXENV_PACKET_TYPE_DHCP_ACK || !(*buf = malloc(sizeof(dhcp_ack))))
		return -1;
	memcpy(*buf, dhcp_ack, sizeof(dhcp_ack));
	*len = sizeof(dhcp_ack);
	return 0;
}

/**
 * PXENV_UDP_READ delivers one datagram of @next_len bytes (writing at most
 * the buffer's size: a stack that reports more than it wrote is the case
 * under test); PXENV_UDP_WRITE succeeds.
 */
int pxe_call(int opcode, void *param)
{
	if (opcode == PXENV_UDP_READ) {
		t_PXENV_UDP_READ *r = param;
		size_t n = next_len < r->buffer_size ? next_len : r->buffer_size;
		memset(r->buffer.p, next_fill, n);
		r->status = PXENV_STATUS_SUCCESS;
		r->src_ip = ipinfo.serverip;
		r->s_port = htons(1234);
		r->buffer_size = next_len;
		return 0;
	}
	((t_PXENV_UDP_WRITE *)param)->status = PXENV_STATUS_SUCCESS;
	return 0;
}

static int is_ipxe;	/* what PXENV_FILE_API_CHECK would say */

/** fetch_ipxe.c's answer: the PXE stack is iPXE. */
int fetch_ipxe_available(void)
{
	return is_ipxe;
}

/* --- the cases ---------------------------------------------------------------- */

static unsigned passed, failed;

/** Report one check. */
static void check(int ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
		printf("ok   %s\n", what);
	} else {
		failed++;
		printf("FAIL %s: %s\n", what, detail);
	}
}

/** A datagram of @len bytes reported: expect @want (-1: dropped). */
static void recv_case(const char *what, uint16_t len, int want)
{
	const uint8_t *data = NULL;
	uint32_t ip = 0;
	uint16_t sport = 0;
	char d[200] = "";

	next_len = len;
	next_fill = (uint8_t)(len | 1);
	int got = pxe_udp_recv(69, &data, &ip, &sport);
	if (got != want)
		snprintf(d, sizeof(d), "returned %d, expected %d", got, want);
	else if (got >= 0 && (ip != ipinfo.serverip || sport != 1234 ||
			      data[got - 1] != next_fill))
		snprintf(d, sizeof(d), "sender or bytes wrong");
	check(!d[0], what, d);
}

/** The key material: the DHCP ACK and two different counter readings. */
static void entropy_case(void)
{
	static uint8_t a[1600], b[1600];
	char d[200] = "";

	for (unsigned i = 0; i < sizeof(dhcp_ack); i++)
		dhcp_ack[i] = (uint8_t)(i * 7 + 1);
	size_t na = pxe_udp_boot_entropy(a, sizeof(a));
	size_t nb = pxe_udp_boot_entropy(b, sizeof(b));
	if (na != 16 + sizeof(dhcp_ack) || nb != na)
		snprintf(d, sizeof(d), "%zu and %zu bytes, expected %zu", na, nb,
			 16 + sizeof(dhcp_ack));
	else if (memcmp(a + 16, dhcp_ack, sizeof(dhcp_ack)))
		snprintf(d, sizeof(d), "the DHCP ACK is not in it");
	else if (!memcmp(a, b, 8))
		snprintf(d, sizeof(d), "the time-stamp counter did not move");
	else if (pxe_udp_boot_entropy(a, 20) != 20)
		snprintf(d, sizeof(d), "wrote past a 20-byte buffer");
	check(!d[0], "boot entropy: TSC, timer, then the DHCP ACK, bounded by the buffer", d);
}

int main(void)
{
	if (!pxe_udp_available()) {
		printf("FAIL pxe_udp_available() on a simulated PXELINUX\n");
		printf("pxe_udp: 0 passed, 1 failed\n");
		return 1;
	}
	recv_case("a 100-byte datagram", 100, 100);
	recv_case("a datagram filling the buffer exactly", sizeof(low->rx),
		  (int)sizeof(low->rx));
	recv_case("a length one past the buffer: dropped", sizeof(low->rx) + 1, -1);
	recv_case("a length of 65535: dropped", 65535, -1);
	entropy_case();
	check(pxe_udp_max() == PXE_UDP_MAX,
	      "a plain PXE stack: datagrams up to one frame (1408-byte blocks)",
	      "pxe_udp_max() is not PXE_UDP_MAX");
	is_ipxe = 1;
	check(pxe_udp_max() == PXE_UDP_BIG,
	      "iPXE (reassembles fragments): datagrams up to PXE_UDP_BIG",
	      "pxe_udp_max() is not PXE_UDP_BIG");
	recv_case("an 8196-byte datagram (a big TFTP block): whole", PXE_UDP_BIG,
		  PXE_UDP_BIG);
	printf("pxe_udp: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
