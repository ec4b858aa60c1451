/*
 * test_tftp.c - mboot's TFTP client (com32/tftp.c) against a simulated
 * dnsmasq on a lossy link, on the host.
 *
 * The client is compiled in as it is (its PXE UDP and clock calls are
 * provided here).  The simulated server behaves as dnsmasq 2.90 does (its
 * src/tftp.c, read for the facts): an OACK with tsize and blksize; it
 * sends block k + 1 when it gets the ACK of block k, the block it last
 * sent, and ignores every other ACK; it retransmits only on its own timer
 * (1.5 s here: dnsmasq's whole-second clock gives 1-2 s), and gives up
 * after 7 retransmissions.  Packets are dropped at random each way with a
 * fixed seed; the link adds a latency; simulated time advances with every
 * call the client makes.  The receive queue behaves as iPXE's
 * PXENV_UDP_READ: one queue, a packet for another port is dropped.
 *
 * Each case reads a file and checks every byte, the code and message on
 * failures, and that simulated time stays within a bound (a few times
 * what the client needs today, so a change that makes it wait for the
 * server's timer shows: 3 MiB at 5 % loss takes 0.5 s simulated, at 0 %
 * 0.1 s; waiting 1.5 s per lost block would take minutes).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../com32/tftp.c"

/* --- the simulated link and server --------------------------------------- */

#define SERVER_IP	0x0100a8c0u	/* 192.168.0.1, network order */
#define LATENCY_US	150u
#define RECV_COST_US	20u
#define SERVER_RETX_US	1500000u
#define QUEUE_MAX	4096

static uint64_t now_us;
static unsigned loss_pct;	/* each way */
static uint32_t rng = 12345;
static int server_dead_after = -1;	/* packets the server handles, then dies */
static int server_no_options;
static uint16_t next_port_sim = 1000;

static const uint8_t *file;	/* the file the server serves */
static size_t file_size;

struct pkt {
	uint64_t ready;
	uint16_t sport, dport;
	uint16_t len;
	uint8_t data[1500];
};
static struct pkt queue[QUEUE_MAX];
static unsigned q_head, q_len;

struct transfer {
	int live;
	uint16_t cport, sport;	/* client's port, ours */
	uint32_t bs, s;		/* block size, last block sent (0: OACK) */
	uint32_t nblocks;
	unsigned retx;
	uint64_t next_retx;
};
static struct transfer xfers[64];

/** A pseudo-random number (xorshift). */
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/** True when the link drops this packet. */
static int dropped(void)
{
	return rnd() % 100 < loss_pct;
}

/** The server sends @len bytes from its port @sport to the client's @dport. */
static void server_send(uint16_t sport, uint16_t dport, const void *data,
			size_t len)
{
	if (dropped() || q_len == QUEUE_MAX)
		return;
	struct pkt *p = &queue[(q_head + q_len++) % QUEUE_MAX];
	p->ready = now_us + LATENCY_US;
	p->sport = sport;
	p->dport = dport;
	p->len = (uint16_t)len;
	memcpy(p->data, data, len);
}

/** Send block x->s (or the OACK when it is 0) of transfer @x. */
static void server_send_current(struct transfer *x)
{
	uint8_t b[1500];

	if (x->s == 0) {
		int n = sprintf((char *)b + 2, "tsize%c%zu%cblksize%c%u", 0,
				file_size, 0, 0, x->bs);
		b[0] = 0;
		b[1] = OP_OACK;
		server_send(x->sport, x->cport, b, 2 + (size_t)n + 1);
		return;
	}
	uint64_t off = (uint64_t)(x->s - 1) * x->bs;
	size_t n = off >= file_size ? 0 : file_size - off < x->bs ?
		   file_size - off : x->bs;
	b[0] = 0;
	b[1] = OP_DATA;
	b[2] = (uint8_t)(x->s >> 8);
	b[3] = (uint8_t)x->s;
	memcpy(b + 4, file + off, n);
	server_send(x->sport, x->cport, b, 4 + n);
}

/** Run the server's retransmission timers. */
static void server_timers(void)
{
	for (unsigned i = 0; i < 64; i++) {
		struct transfer *x = &xfers[i];
		if (!x->live || now_us < x->next_retx)
			continue;
		if (++x->retx > 7) {
			x->live = 0;
			continue;
		}
		x->next_retx += SERVER_RETX_US;
		server_send_current(x);
	}
}

/** A packet from the client reaches the server. */
static void server_receive(uint16_t cport, uint16_t dport, const uint8_t *p,
			   size_t len)
{
	if (server_dead_after == 0)
		return;
	if (server_dead_after > 0)
		server_dead_after--;
	if (dport == 69 && get16(p) == OP_RRQ) {
		const char *path = (const char *)p + 2;
		uint8_t e[64] = { 0, OP_ERROR, 0, 1 };
		struct transfer *x = NULL;
		for (unsigned i = 0; i < 64 && !x; i++)
			if (!xfers[i].live)
				x = &xfers[i];
		if (!x)
			return;
		if (!strcmp(path, "missing")) {
			strcpy((char *)e + 4, "File not found");
			server_send(69, cport, e, 4 + 15);
			return;
		}
		memset(x, 0, sizeof(*x));
		x->live = 1;
		x->cport = cport;
		x->sport = next_port_sim++;
		x->bs = server_no_options ? 512 : TFTP_BLKSIZE;
		x->s = server_no_options ? 1 : 0;
		x->nblocks = (uint32_t)(file_size / x->bs) + 1;
		x->next_retx = now_us + SERVER_RETX_US;
		server_send_current(x);
		return;
	}
	for (unsigned i = 0; i < 64; i++) {
		struct transfer *x = &xfers[i];
		if (!x->live || x->sport != dport || x->cport != cport)
			continue;
		if (get16(p) == OP_ERROR) {
			x->live = 0;
		} else if (get16(p) == OP_ACK && get16(p + 2) == (uint16_t)x->s) {
			if (x->s == x->nblocks) {	/* last block acknowledged */
				x->live = 0;
				return;
			}
			x->s++;
			x->retx = 0;
			x->next_retx = now_us + SERVER_RETX_US;
			server_send_current(x);
		}
		(void)len;
		return;
	}
}

/* --- what tftp.c calls ---------------------------------------------------- */

uint64_t clock_us(void)
{
	return ++now_us;
}

int pxe_udp_available(void)
{
	return 1;
}

uint16_t pxe_udp_new_port(void)
{
	static uint16_t port = 60000;
	return port++;
}

int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len)
{
	now_us += RECV_COST_US;
	if (ip == SERVER_IP && !dropped())
		server_receive(sport, dport, data, len);
	return 0;
}

int pxe_udp_recv(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		 uint16_t *sport)
{
	static uint8_t buf[1500];

	now_us += RECV_COST_US;
	server_timers();
	if (!q_len || queue[q_head].ready > now_us)
		return -1;
	struct pkt *p = &queue[q_head];
	q_head = (q_head + 1) % QUEUE_MAX;
	q_len--;
	if (p->dport != dport)
		return -1;	/* iPXE drops it */
	memcpy(buf, p->data, p->len);
	*data = buf;
	*src_ip = SERVER_IP;
	*sport = p->sport;
	return p->len;
}

/* --- the cases ------------------------------------------------------------ */

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

/** A fresh link and server with @loss % loss, serving @n random bytes. */
static uint8_t *setup(unsigned loss, size_t n, uint32_t seed)
{
	uint8_t *f = malloc(n ? n : 1);

	for (size_t i = 0; i < n; i++)
		f[i] = (uint8_t)(i * 2654435761u >> 13);
	memset(xfers, 0, sizeof(xfers));
	q_head = q_len = 0;
	loss_pct = loss;
	rng = seed;
	server_dead_after = -1;
	server_no_options = 0;
	file = f;
	file_size = n;
	return f;
}

/**
 * Read the whole served file in pieces of @chunk bytes (0: at once) and
 * check it: byte-exact, within @max_s simulated seconds.
 */
static void read_case(const char *what, unsigned loss, size_t n, size_t chunk,
		      double max_s, uint32_t seed)
{
	static struct tftp_file t;
	struct mb_error err = { 0 };
	uint8_t *f = setup(loss, n, seed), *got = calloc(1, n + 1);
	char detail[400] = "";
	uint64_t t0 = now_us;
	size_t have = 0;
	int rc = tftp_open(&t, SERVER_IP, 69, "file.bin", "file.bin", &err);

	while (!rc) {
		size_t want = chunk ? chunk : n + 1, k = 0;
		rc = tftp_read(&t, got + have, want, &k, "file.bin", &err);
		if (rc || !k)
			break;
		have += k;
	}
	tftp_close(&t);
	double s = (double)(now_us - t0) / 1e6;
	if (rc)
		snprintf(detail, sizeof(detail), "error %d: %s", rc, err.msg);
	else if (have != n || memcmp(f, got, n))
		snprintf(detail, sizeof(detail), "got %zu of %zu bytes, %s", have,
			 n, have == n ? "contents differ" : "short");
	else if (s > max_s)
		snprintf(detail, sizeof(detail), "took %.2f s simulated (limit %.1f)",
			 s, max_s);
	char name[200];
	snprintf(name, sizeof(name), "%s (%.2f s simulated, %u lost blocks fetched again, %u more sessions, %u chain restarts)",
		 what, s, t.lost, t.passes, t.restarts);
	check(!detail[0], name, detail);
	free(f);
	free(got);
}

/** Open/read that must fail with @code and @msg. */
static void fail_case(const char *what, const char *path, int kill_after,
		      int no_options, int code, const char *msg)
{
	static struct tftp_file t;
	struct mb_error err = { 0 };
	uint8_t *f = setup(0, 100000, 7), buf[100001];
	size_t k = 0;
	uint64_t t0 = now_us;
	char detail[600] = "";

	server_dead_after = kill_after;
	server_no_options = no_options;
	int rc = tftp_open(&t, SERVER_IP, 69, path, "file.bin", &err);
	if (!rc)
		rc = tftp_read(&t, buf, sizeof(buf), &k, "file.bin", &err);
	tftp_close(&t);
	if (rc != code || strcmp(err.msg, msg))
		snprintf(detail, sizeof(detail), "got %d \"%s\", expected %d \"%s\"",
			 rc, err.msg, code, msg);
	else if (now_us - t0 > 20000000u)
		snprintf(detail, sizeof(detail), "took %.1f s simulated",
			 (double)(now_us - t0) / 1e6);
	check(!detail[0], what, detail);
	free(f);
}

int main(void)
{
	read_case("no loss, 3 MiB at once", 0, 3 << 20, 0, 3.0, 1);
	read_case("no loss, 64 KiB pieces", 0, 1 << 20, 65536, 3.0, 2);
	read_case("no loss, a multiple of the block size", 0, 1408 * 300, 0,
		  1.0, 3);
	read_case("no loss, empty file", 0, 0, 0, 1.0, 4);
	read_case("5 % loss, 3 MiB at once", 5, 3 << 20, 0, 2.0, 5);
	read_case("5 % loss, 64 KiB pieces", 5, 1 << 20, 65536, 5.0, 6);
	read_case("20 % loss, 3 MiB at once", 20, 3 << 20, 0, 10.0, 7);
	read_case("20 % loss, 16 KiB pieces", 20, 512 << 10, 16384, 30.0, 8);
	read_case("40 % loss, 256 KiB", 40, 256 << 10, 0, 20.0, 9);
	read_case("5 % loss, more than 65535 blocks (block numbers wrap)", 5,
		  (size_t)70000 * 1408 + 5, 0, 60.0, 10);
	fail_case("file not found", "missing", -1, 0, MB_E_NOT_FOUND,
		  "file.bin: file not found (TFTP server 192.168.0.1: error 1, \"File not found\")");
	fail_case("server without options", "file.bin", -1, 1, MB_E_FIRMWARE,
		  "file.bin: TFTP server 192.168.0.1 does not offer the tsize and blksize options");
	fail_case("server dies mid-file", "file.bin", 20, 0, MB_E_READ,
		  "file.bin: no data for 3 s");
	fail_case("server never answers", "file.bin", 0, 0, MB_E_FIRMWARE,
		  "file.bin: no answer from TFTP server 192.168.0.1 (6 requests in 15.7 s)");
	printf("tftp: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
