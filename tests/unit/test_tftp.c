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
 * QEMU's slirp server (libslirp's tftp.c, read for the facts) differs:
 * it answers every ACK, whatever block it names, with the next block in
 * order (a repeated ACK brings a new block, never an old one again), has
 * no retransmission timer, and forgets the transfer as soon as it has
 * sent the last block; a case drops the first sending of the file's last
 * blocks, the tail a client must then get from another session.
 *
 * Spoofing: an attacker on the LAN (ATTACKER_PORT on the server's address,
 * or a third host) injects packets at chosen moments: before the first
 * answer, to the port an attacker would predict (the old client's 60000),
 * or to the very port of our read request (an attacker who learnt it);
 * in the data phase, to our port from another port of the server.  The
 * server can also lie: a tsize smaller or larger than its file, a
 * malformed OACK, an ERROR without text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../com32/tftp.c"

/* --- the simulated link and server --------------------------------------- */

#define SERVER_IP	0x0100a8c0u	/* 192.168.0.1, network order */
#define THIRD_IP	0x0700a8c0u	/* 192.168.0.7, another host */
#define ATTACKER_PORT	4444u		/* spoofed source port on SERVER_IP */
#define PREDICTED_PORT	60000u		/* the old client's first port */
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
static long long server_tsize = -1;	/* tsize announced; -1: the truth */
static const uint8_t *server_oack;	/* OACK options sent instead */
static size_t server_oack_len;
static const uint8_t *server_err;	/* "missing": ERROR text bytes */
static size_t server_err_len;
static uint32_t server_end_after;	/* ERROR 3 (text server_err) after
					   this block; 0: never */
static int attack_rrq;		/* forged answers still to send, one per RRQ */
static int attack_kind;		/* 0 ERROR, 1 DATA, 2 a bad OACK */
static int attack_data;		/* forge packets at the ACK of block
				   attack_data_blk (0: of the OACK) */
static uint32_t attack_data_blk;
static uint64_t attack_data_pause;	/* simulated time passing first */
static unsigned burst_at;	/* bit i: a forged OACK + DATA burst reaches
				   the port of read request i (0: the first)
				   ahead of the server's answer */
static int burst_whole;		/* the burst is the attacker's whole file */
static uint16_t rrq_ports[16];	/* the ports of the read requests */
static unsigned rrqs;		/* read requests the server received */
static unsigned rrqs_sent;	/* read requests the client sent */
static uint64_t attack_max_us = 1000000;	/* attack_case's time bound */
static int used_predicted;	/* the client sent from PREDICTED_PORT */
static unsigned datagrams_read;	/* pxe_udp_recv_to() calls that gave one */
static uint8_t forged_file[2816];	/* what the attacker serves */
static const char *open_path = "file.bin";	/* what attack_case opens */
static int server_slirp;	/* behave as QEMU's slirp (see above) */
static uint32_t server_tail_drop;	/* drop the first sending of each of
					 * the file's last N blocks */
static uint8_t tail_sent[64];	/* [nblocks - k]: block k was sent */

static size_t udp_max = PXE_UDP_MAX;	/* pxe_udp_max(): iPXE's or not */
static uint32_t server_bs_cap = 65464;	/* largest blksize the server gives */

static const uint8_t *file;	/* the file the server serves */
static size_t file_size;

struct pkt {
	uint64_t ready;
	uint32_t src_ip;
	uint16_t sport, dport;
	uint16_t len;
	uint8_t data[PXE_UDP_BIG];
};
static struct pkt queue[QUEUE_MAX];
static unsigned q_head, q_len;
static unsigned q_front;	/* packets put ahead of the queue since the
				   last read request */
static unsigned queue_cap = QUEUE_MAX;	/* packets waiting, at most */

struct transfer {
	int live;
	uint16_t cport, sport;	/* client's port, ours */
	uint32_t bs, s;		/* block size, last block sent (0: OACK) */
	uint32_t nblocks;
	unsigned retx;
	uint64_t next_retx;
	uint32_t ws, base;	/* RFC 7440: windowsize granted (0: none),
				 * the last block acknowledged */
};
static struct transfer xfers[64];
static uint32_t server_ws;	/* grant windowsize up to this (0: ignore) */
static int server_ws_stray;	/* also send a block past each window */

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

/** Queue @len bytes from @ip port @sport to the client's @dport, ready
 * after @delay microseconds. */
static void enqueue(uint32_t ip, uint16_t sport, uint16_t dport,
		    const void *data, size_t len, uint64_t delay)
{
	if (q_len >= queue_cap)
		return;	/* the receive queue is full: dropped */
	struct pkt *p = &queue[(q_head + q_len++) % QUEUE_MAX];
	p->ready = now_us + delay;
	p->src_ip = ip;
	p->sport = sport;
	p->dport = dport;
	p->len = (uint16_t)len;
	memcpy(p->data, data, len);
}

/* The most DATA packets of one transfer the server had sent and the client
 * had not yet read, at any moment: 1 for a lock-step client, up to the
 * acknowledgement window for one that acknowledges ahead. */
static unsigned inflight_max;

/* A policer on the server's link (a thin uplink: what it cannot pass at
 * once is dropped, nothing queues): police_rate bytes/s with a bucket of
 * police_burst bytes; 0: none.  Everything the server sends is counted. */
static uint64_t police_rate, police_burst;
static uint64_t police_tokens, police_at;	/* bytes x 1e6; clock_us */
static uint64_t srv_bytes, srv_dropped;		/* sent, dropped by it */

/** True when the policer drops a packet of @len bytes sent now. */
static int policed(size_t len)
{
	srv_bytes += len;
	if (!police_rate)
		return 0;
	police_tokens += (now_us - police_at) * police_rate;
	police_at = now_us;
	if (police_tokens > police_burst * 1000000)
		police_tokens = police_burst * 1000000;
	if (police_tokens < len * 1000000) {
		srv_dropped += len;
		return 1;
	}
	police_tokens -= len * 1000000;
	return 0;
}

/** True when the link drops a datagram of @len bytes: each of its IP
 * fragments (1480 bytes of UDP each, the first less 8 for the UDP header)
 * is lost on its own, and one lost loses it all. */
static int dropped_datagram(size_t len)
{
	int lost = 0;

	for (size_t sent = 0; sent < len + 8; sent += 1480)
		lost |= dropped();
	return lost;
}

/** The server sends @len bytes from its port @sport to the client's @dport. */
static void server_send(uint16_t sport, uint16_t dport, const void *data,
			size_t len)
{
	if (!policed(len) && !dropped_datagram(len))
		enqueue(SERVER_IP, sport, dport, data, len, LATENCY_US);
	if (len >= 2 && ((const uint8_t *)data)[1] == OP_DATA) {
		unsigned n = 0;
		for (unsigned i = 0; i < q_len; i++) {
			const struct pkt *p = &queue[(q_head + i) % QUEUE_MAX];
			n += p->src_ip == SERVER_IP && p->sport == sport &&
			     p->dport == dport && p->data[1] == OP_DATA;
		}
		if (n > inflight_max)
			inflight_max = n;
	}
}

/** The attacker sends @len bytes "from" @ip port @sport to our @dport,
 * arriving at once (it is closer, or was sent in advance). */
static void forge(uint32_t ip, uint16_t sport, uint16_t dport,
		  const void *data, size_t len)
{
	enqueue(ip, sport, dport, data, len, 0);
}

/** Put a packet like forge()'s ahead of everything queued (after those put
 * there before it since the last read request): an attacker flooding
 * every port has its packets waiting before the server's answer comes. */
static void forge_front(uint16_t sport, uint16_t dport, const void *data,
			size_t len)
{
	unsigned n = q_len - q_front;

	if (q_len == QUEUE_MAX)
		return;
	forge(SERVER_IP, sport, dport, data, len);
	/* rotate the new packet back to position q_front */
	for (unsigned i = 0; i < n; i++) {
		unsigned a = (q_head + q_len - 1 - i) % QUEUE_MAX;
		unsigned b = (q_head + q_len - 2 - i) % QUEUE_MAX;
		struct pkt tmp = queue[a];
		queue[a] = queue[b];
		queue[b] = tmp;
	}
	q_front++;
}

/** Forged DATA block @k of the attacker's file to @dport from @ip:@sport. */
static void forge_data(uint32_t ip, uint16_t sport, uint16_t dport, uint32_t k)
{
	uint8_t b[4 + 1408] = { 0, OP_DATA, (uint8_t)(k >> 8), (uint8_t)k };
	size_t off = (size_t)(k - 1) * 1408, n = 0;

	if (off < sizeof(forged_file))
		n = sizeof(forged_file) - off < 1408 ? sizeof(forged_file) - off : 1408;
	memcpy(b + 4, forged_file + off, n);
	forge(ip, sport, dport, b, 4 + n);
}

/** The attacker's OACK (tsize of its own file) to @dport from @sport. */
static void forge_oack(uint16_t sport, uint16_t dport)
{
	static const uint8_t o[] = "\0\6tsize\0" "2816\0blksize\0" "1408";

	forge(SERVER_IP, sport, dport, o, sizeof(o));
}

/** Send block x->s (or the OACK when it is 0) of transfer @x. */
static void server_send_current(struct transfer *x)
{
	static uint8_t b[PXE_UDP_BIG];

	if (x->s == 0) {
		int n = sprintf((char *)b + 2, "tsize%c%llu%cblksize%c%u", 0,
				server_tsize < 0 ? (unsigned long long)file_size :
				(unsigned long long)server_tsize, 0, 0, x->bs) + 1;
		if (x->ws)
			n += sprintf((char *)b + 2 + n, "windowsize%c%u", 0,
				     x->ws) + 1;
		b[0] = 0;
		b[1] = OP_OACK;
		if (server_oack) {
			memcpy(b + 2, server_oack, server_oack_len);
			n = (int)server_oack_len;
		}
		server_send(x->sport, x->cport, b, 2 + (size_t)n);
		return;
	}
	if (server_end_after && x->s == server_end_after + 1) {
		b[0] = 0;
		b[1] = OP_ERROR;
		b[2] = 0;
		b[3] = 3;
		memcpy(b + 4, server_err, server_err_len);
		server_send(x->sport, x->cport, b, 4 + server_err_len);
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
	if (x->nblocks - x->s < server_tail_drop &&
	    !tail_sent[x->nblocks - x->s]) {
		tail_sent[x->nblocks - x->s] = 1;
		return;	/* lost on the way */
	}
	server_send(x->sport, x->cport, b, 4 + n);
}

/**
 * RFC 7440: after the ACK of block @n, transfer @x sends the next window
 * (x->ws blocks, fewer at the end of the file); with server_ws_stray also
 * a block numbered past the window after it, with wrong bytes: past what
 * the client can have acknowledged when it arrives (a server's bug, or a
 * forger on its port: never to be taken).
 */
static void server_send_window(struct transfer *x, uint32_t n)
{
	x->base = n;
	for (uint32_t k = n + 1; k <= n + x->ws && k <= x->nblocks; k++) {
		x->s = k;
		server_send_current(x);
	}
	if (server_ws_stray && n + 2 * x->ws + 1 <= x->nblocks)
		forge_data(SERVER_IP, x->sport, x->cport, n + 2 * x->ws + 1);
}

/** Run the server's retransmission timers. */
static void server_timers(void)
{
	for (unsigned i = 0; i < 64; i++) {
		struct transfer *x = &xfers[i];
		if (!x->live || now_us < x->next_retx || server_slirp)
			continue;
		if (++x->retx > 7) {
			x->live = 0;
			continue;
		}
		x->next_retx += SERVER_RETX_US;
		if (x->ws && x->s)
			server_send_window(x, x->base);
		else
			server_send_current(x);
	}
}

/** A packet from the client reaches the server. */
/** The value of option @opt in the read request @p (@len bytes); @dflt
 * when it has none. */
static uint32_t asked_option(const uint8_t *p, size_t len, const char *opt,
			     uint32_t dflt)
{
	const char *s = (const char *)p + 2, *end = (const char *)p + len;

	s += strlen(s) + 1;	/* the file name */
	s += strlen(s) + 1;	/* the mode */
	while (s < end) {
		const char *v = s + strlen(s) + 1;
		if (!strcasecmp(s, opt))
			return (uint32_t)strtoul(v, NULL, 10);
		s = v + strlen(v) + 1;
	}
	return dflt;
}

static void server_receive(uint16_t cport, uint16_t dport, const uint8_t *p,
			   size_t len)
{
	if (server_dead_after == 0)
		return;
	if (server_dead_after > 0)
		server_dead_after--;
	if (dport == 69 && get16(p) == OP_RRQ) {
		const char *path = (const char *)p + 2;
		uint8_t e[200] = { 0, OP_ERROR, 0, 1 };
		struct transfer *x = NULL;
		rrqs++;
		for (unsigned i = 0; i < 64 && !x; i++)
			if (!xfers[i].live)
				x = &xfers[i];
		if (!x)
			return;
		if (!strcmp(path, "missing")) {
			if (!server_err) {
				strcpy((char *)e + 4, "File not found");
				server_send(69, cport, e, 4 + 15);
				return;
			}
			/* Leftovers of another host's datagram first: an
			 * ERROR's text must come from the ERROR alone. */
			forge(THIRD_IP, 69, cport, "\0\5\0\1leftover text", 18);
			memcpy(e + 4, server_err, server_err_len);
			server_send(69, cport, e, 4 + server_err_len);
			return;
		}
		memset(x, 0, sizeof(*x));
		x->live = 1;
		x->cport = cport;
		x->sport = next_port_sim++;
		x->bs = server_no_options ? 512 : asked_option(p, len, "blksize", 512);
		if (x->bs > server_bs_cap)
			x->bs = server_bs_cap;
		x->ws = server_no_options ? 0 : asked_option(p, len, "windowsize", 0);
		if (x->ws > server_ws)
			x->ws = server_ws;
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
		} else if (x->ws && get16(p) == OP_ACK) {
			/* RFC 7440: the ACK of a block of the window sent
			 * (or of the one before it): the next window from
			 * there; any other is ignored. */
			uint32_t n = x->base + (uint16_t)(get16(p + 2) - (uint16_t)x->base);
			if (n > x->s)
				return;
			if (n == x->nblocks) {
				x->live = 0;
				return;
			}
			x->retx = 0;
			x->next_retx = now_us + SERVER_RETX_US;
			server_send_window(x, n);
		} else if (server_slirp && get16(p) == OP_ACK) {
			/* Any ACK: the next block in order; sending the
			 * last block ends the transfer. */
			uint32_t k = x->s + 1;
			if (k > x->nblocks)
				return;
			x->s = k;
			server_send_current(x);
			if (k == x->nblocks)
				x->live = 0;
		} else if (get16(p) == OP_ACK && get16(p + 2) == (uint16_t)x->s) {
			if (attack_data && x->s == attack_data_blk) {
				now_us += attack_data_pause;
				/* Someone who learnt our port (not the
				 * server's) tries to join the transfer. */
				static const uint8_t err[] = "\0\5\0\1File not found";
				attack_data = 0;
				forge_oack(ATTACKER_PORT, cport);
				forge(SERVER_IP, ATTACKER_PORT, cport, err, sizeof(err));
				forge(SERVER_IP, 69, cport, err, sizeof(err));
				for (uint32_t k = 1; k <= 3; k++) {
					forge_data(SERVER_IP, ATTACKER_PORT, cport, k);
					forge_data(THIRD_IP, x->sport, cport, k);
				}
				forge(THIRD_IP, x->sport, cport, err, sizeof(err));
			}
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

size_t pxe_udp_max(void)
{
	return udp_max;
}

/* The old client's ports (60000, 60001, ...; for the check against it). */
static uint16_t old_port = PREDICTED_PORT;

uint16_t pxe_udp_new_port(void)
{
	return old_port++;
}

/* What the PXE stack would give for the ports' key: a fixed "DHCP ACK"
 * (MAC byte 5 settable) and a time-stamp counter that a test may freeze. */
static uint8_t boot_mac5 = 0x56;
static uint64_t tsc_step = 1000;
static uint64_t tsc;

size_t pxe_udp_boot_entropy(uint8_t *buf, size_t cap)
{
	uint8_t ack[300] = { 2, 1, 6, 0, 0x12, 0x34, 0x56, 0x78 };

	ack[28] = 0x52;
	ack[29] = 0x54;
	ack[33] = boot_mac5;
	memcpy(ack + 300 - 8, &tsc, 8);
	if (cap > sizeof(ack))
		cap = sizeof(ack);
	memcpy(buf, ack, cap);
	return cap;
}

uint64_t pxe_udp_noise(void)
{
	return tsc += tsc_step;
}

int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len)
{
	now_us += RECV_COST_US;
	if (sport == PREDICTED_PORT)
		used_predicted = 1;
	if (ip == SERVER_IP && dport == 69 && rrqs_sent < 16) {
		/* The blind flood: the attacker's OACK (the server's tsize when
		 * burst_whole is 0, its own file's otherwise) and DATA 1 and 2
		 * (and the empty 3: its whole 2816-byte file) to this port. */
		rrq_ports[rrqs_sent] = sport;
		q_front = 0;
		if (burst_at & (1u << rrqs_sent)) {
			char o[64];
			int on = sprintf(o + 2, "tsize%c%zu%cblksize%c1408", 0,
					 burst_whole ? sizeof(forged_file) : file_size,
					 0, 0) + 1;
			o[0] = 0;
			o[1] = OP_OACK;
			forge_front(ATTACKER_PORT, sport, o, 2 + (size_t)on);
			for (uint32_t k = 1; k <= (burst_whole ? 3u : 2u); k++) {
				uint8_t b[4 + 1408] = { 0, OP_DATA, 0, (uint8_t)k };
				size_t off = (size_t)(k - 1) * 1408;
				size_t dn = off >= sizeof(forged_file) ? 0 : 1408;
				memcpy(b + 4, forged_file + off, dn);
				forge_front(ATTACKER_PORT, sport, b, 4 + dn);
			}
		}
	}
	if (ip == SERVER_IP && dport == 69)
		rrqs_sent++;
	if (ip == SERVER_IP && dport == 69 && attack_rrq > 0) {
		/* One who sees (or guessed) our request's port answers
		 * first: "file not found", DATA as if options were not known,
		 * or an OACK we cannot use. */
		static const uint8_t err[] = "\0\5\0\1File not found (forged)";
		static const uint8_t oack[] = "\0\6tsize\0" "-1\0blksize\0" "1408";
		attack_rrq--;
		if (attack_kind == 1)
			forge_data(SERVER_IP, ATTACKER_PORT, sport, 1);
		else if (attack_kind == 2)
			forge(SERVER_IP, ATTACKER_PORT, sport, oack, sizeof(oack));
		else
			forge(SERVER_IP, ATTACKER_PORT, sport, err, sizeof(err));
	}
	if (ip == SERVER_IP && !dropped())
		server_receive(sport, dport, data, len);
	return 0;
}

int pxe_udp_recv_to(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		    uint16_t *sport, uint16_t *to)
{
	static uint8_t buf[PXE_UDP_BIG];

	now_us += RECV_COST_US;
	server_timers();
	if (!q_len || queue[q_head].ready > now_us)
		return -1;
	struct pkt *p = &queue[q_head];
	q_head = (q_head + 1) % QUEUE_MAX;
	q_len--;
	if (dport && p->dport != dport)
		return -1;	/* iPXE drops it */
	memcpy(buf, p->data, p->len);
	*data = buf;
	*src_ip = p->src_ip;
	*sport = p->sport;
	*to = p->dport;
	datagrams_read++;
	return p->len;
}

/** The old call (HEAD's tftp.c used it; kept so this file builds with it). */
int pxe_udp_recv(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		 uint16_t *sport)
{
	uint16_t to;

	return pxe_udp_recv_to(dport, data, src_ip, sport, &to);
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
	tftp_link_reset();
	police_rate = police_burst = police_at = 0;
	udp_max = PXE_UDP_MAX;
	server_bs_cap = 65464;
	server_ws = 0;
	server_ws_stray = 0;
	police_tokens = 0;
	srv_bytes = srv_dropped = 0;
	q_head = q_len = 0;
	inflight_max = 0;
	loss_pct = loss;
	rng = seed;
	server_dead_after = -1;
	server_no_options = 0;
	server_tsize = -1;
	server_oack = NULL;
	server_err = NULL;
	server_end_after = 0;
	attack_rrq = 0;
	attack_kind = 0;
	attack_data = 0;
	burst_at = 0;
	attack_data_blk = 0;
	attack_data_pause = 0;
	next_port_sim = 1000;
	burst_whole = 0;
	q_front = 0;
	rrqs_sent = 0;
	attack_max_us = 1000000;
	server_slirp = 0;
	server_tail_drop = 0;
	queue_cap = QUEUE_MAX;
	memset(tail_sent, 0, sizeof(tail_sent));
	rrqs = 0;
	used_predicted = 0;
	open_path = "file.bin";
	old_port = PREDICTED_PORT;
	memset(forged_file, 'A', sizeof(forged_file));
	file = f;
	file_size = n;
	return f;
}

/**
 * Read the whole served file in pieces of @chunk bytes (0: at once) and
 * check it: byte-exact, within @max_s simulated seconds; @arm (if any)
 * sets the server up after setup().
 */
static void read_case_armed(const char *what, unsigned loss, size_t n,
			    size_t chunk, double max_s, uint32_t seed,
			    void (*arm)(void))
{
	static struct tftp_file t;
	struct mb_error err = { 0 };
	uint8_t *f = setup(loss, n, seed), *got = calloc(1, n + 1);

	if (arm)
		arm();
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
	/* Without loss the properties themselves, not only a time bound: one
	 * session, no chain mended, and the server streaming - a whole
	 * acknowledgement window of blocks in flight at once (a client that
	 * waited a round trip per block would show 1), so the round trip is
	 * paid once per window.  Reads that end inside a window (pieces of a
	 * few blocks) cannot fill it; servers set up otherwise (@arm) are
	 * judged by their own cases. */
	else if (!loss && !arm && n >= (size_t)TFTP_BLKSIZE * TFTP_WINDOW * 2 &&
		 (!chunk || chunk >= TFTP_BLKSIZE * TFTP_WINDOW * 2) &&
		 (t.passes || t.restarts || inflight_max < TFTP_WINDOW))
		snprintf(detail, sizeof(detail),
			 "no loss but %u more sessions, %u chains mended, at most %u blocks in flight (window %u)",
			 t.passes, t.restarts, inflight_max, TFTP_WINDOW);
	char name[480], link[200];
	tftp_link_describe(link, sizeof(link));
	snprintf(name, sizeof(name), "%s (%.2f s simulated, %u lost blocks fetched again, %u more sessions, %u chain restarts, at most %u blocks in flight; %s)",
		 what, s, t.lost, t.passes, t.restarts, inflight_max, link);
	check(!detail[0], name, detail);
	free(f);
	free(got);
}

/** read_case_armed with the plain (dnsmasq) server. */
static void read_case(const char *what, unsigned loss, size_t n, size_t chunk,
		      double max_s, uint32_t seed)
{
	read_case_armed(what, loss, n, chunk, max_s, seed, NULL);
}

/** QEMU's slirp server. */
static void arm_slirp(void)
{
	server_slirp = 1;
}

/** QEMU's slirp server, and a receive queue of 32 packets (a NIC's
 * receive ring): more in flight are dropped. */
static void arm_slirp_ring(void)
{
	server_slirp = 1;
	queue_cap = 32;
}

/**
 * QEMU's slirp server, and the first sending of each of the last 9 blocks
 * is lost: more than the 8 the client acknowledges ahead, so its ACK of
 * the last block but one went out before it missed any of them, and the
 * server ended the transfer on it.
 */
static void arm_slirp_tail(void)
{
	server_slirp = 1;
	server_tail_drop = 9;
}

/**
 * Open @path and read it whole into @got (capacity @n + 1) with tftp_read,
 * *@have bytes; close it.  Returns the first error code (MB_OK at the end
 * of the file), with the message in @err.
 */
static int read_whole(struct tftp_file *t, const char *path, uint8_t *got,
		      size_t n, size_t *have, struct mb_error *err)
{
	size_t k = 0;
	int rc = tftp_open(t, SERVER_IP, 69, path, "file.bin", err);

	while (!rc) {
		rc = tftp_read(t, got + *have, n + 1 - *have, &k, "file.bin", err);
		if (rc || !k)
			break;
		*have += k;
	}
	tftp_close(t);
	return rc;
}

/**
 * A lock-step client as PXELINUX's own (the stock module's path): one read
 * request without options' pipelining, each block acknowledged when it
 * arrives, a lost block waited for (the server's timer sends it again;
 * our ACK is repeated after 1 s of silence).  Reads the served file into
 * @dst (@n bytes); returns 0 when all of it arrived.
 */
static int lockstep_read(uint8_t *dst, size_t n)
{
	static const char rrq[] = "\0\1file.bin\0octet\0blksize\0" "1408";
	uint16_t lport = 40000, rport = 0;
	uint32_t want = 0;	/* 0: the OACK */
	uint64_t last = now_us, start = now_us;

	pxe_udp_send(SERVER_IP, lport, 69, rrq, sizeof(rrq));
	for (;;) {
		const uint8_t *p;
		uint32_t ip;
		uint16_t sport, to;
		int len = pxe_udp_recv_to(lport, &p, &ip, &sport, &to);
		if (len < 4) {
			if (now_us - last > 1000000) {
				uint8_t a[4] = { 0, OP_ACK, (uint8_t)(want >> 8), (uint8_t)want };
				if (!rport)
					pxe_udp_send(SERVER_IP, lport, 69, rrq, sizeof(rrq));
				else if (want)
					pxe_udp_send(SERVER_IP, lport, rport, a, 4);
				last = now_us;
			}
			if (now_us - start > 600000000u)
				return -1;
			continue;
		}
		rport = sport;
		uint32_t k = get16(p) == OP_OACK ? 0 : get16(p + 2);
		if ((k & 0xffff) != ((want + (get16(p) == OP_DATA)) & 0xffff))
			continue;	/* a repeat */
		if (get16(p) == OP_DATA) {
			want++;
			memcpy(dst + (size_t)(want - 1) * 1408, p + 4, (size_t)len - 4);
		}
		uint8_t a[4] = { 0, OP_ACK, (uint8_t)(want >> 8), (uint8_t)want };
		pxe_udp_send(SERVER_IP, lport, rport, a, 4);
		last = now_us;
		if (get16(p) == OP_DATA && len - 4 < 1408)
			return (size_t)(want - 1) * 1408 + (size_t)len - 4 == n ? 0 : -1;
	}
}

/**
 * Behind a policer of @rate bytes/s (burst @burst bytes) that drops what
 * the link cannot pass at once: ours against the lock-step client on the
 * same @n-byte file.  Ours must back off instead of refilling into the
 * full link: the server sends at most @max_ratio bytes per byte of the
 * file, and ours takes at most 1.2 times as long as lock-step (it learns
 * the link from losses in the first blocks; the holes they leave cost a
 * pass over those).  The client before congestion control (840c67a)
 * fails all four cases below: 6.0, 4.1, 2.0 and 2.1 bytes per byte, and
 * 39.7 s against lock-step's 0.4 s at 8 MB/s.
 */
static void policed_case(const char *what, uint64_t rate, uint64_t burst,
			 size_t n, double max_ratio)
{
	static struct tftp_file t;
	struct mb_error err = { 0 };
	uint8_t *f = setup(0, n, 21), *got = calloc(1, n + 1);
	char detail[400] = "";
	size_t have = 0;

	police_rate = rate;
	police_burst = burst;
	police_at = now_us;
	uint64_t t0 = now_us;
	int rc = read_whole(&t, "file.bin", got, n, &have, &err);
	double ours_s = (double)(now_us - t0) / 1e6;
	double ours_ratio = (double)srv_bytes / (double)(n ? n : 1);
	uint64_t ours_drop = srv_dropped;
	int ok = !rc && have == n && !memcmp(f, got, n);
	char link[200];
	tftp_link_describe(link, sizeof(link));

	setup(0, n, 21);
	police_rate = rate;
	police_burst = burst;
	police_at = now_us;
	memset(got, 0, n + 1);
	t0 = now_us;
	int lrc = lockstep_read(got, n);
	double ls_s = (double)(now_us - t0) / 1e6;
	double ls_ratio = (double)srv_bytes / (double)(n ? n : 1);
	int lok = !lrc && !memcmp(f, got, n);

	if (!ok)
		snprintf(detail, sizeof(detail), "ours failed: %s", rc ? err.msg : "wrong bytes");
	else if (!lok)
		snprintf(detail, sizeof(detail), "the lock-step reference failed");
	else if (ours_ratio > max_ratio)
		snprintf(detail, sizeof(detail), "the server sent %.2f bytes per byte (limit %.2f)",
			 ours_ratio, max_ratio);
	else if (ours_s > ls_s * 1.2)
		snprintf(detail, sizeof(detail), "ours %.2f s, more than 1.2 times lock-step's %.2f s",
			 ours_s, ls_s);
	char name[500];
	snprintf(name, sizeof(name), "%s (ours %.2f s simulated, server sent %.3f bytes per byte, %llu KB dropped, %u more sessions; lock-step %.2f s, %.3f; %s)",
		 what, ours_s, ours_ratio, (unsigned long long)ours_drop / 1000,
		 t.passes, ls_s, ls_ratio, link);
	check(!detail[0], name, detail);
	free(f);
	free(got);
}

/**
 * Big blocks: with a PXE stack that reassembles fragments (pxe_udp_max()
 * PXE_UDP_BIG, iPXE), the client asks for TFTP_BLKSIZE_BIG and takes what
 * a server capped at @cap gives; the @n-byte file at @loss % frame loss
 * (fragments lost one by one) arrives byte-exact in at most @max_s
 * simulated seconds and, without loss, in at most @max_reads datagrams
 * read; it ends in blocks of @want_bs, started again in small blocks when
 * (and only when) frames are lost.  Then a second file on the same link:
 * after a loss it asks for TFTP_BLKSIZE (@want_next_bs).
 */
static void big_case(const char *what, unsigned loss, size_t n, uint32_t cap,
		     uint32_t want_bs, double max_s, unsigned max_reads,
		     uint32_t want_next_bs)
{
	static struct tftp_file t, t2;
	struct mb_error err = { 0 };
	uint8_t *f = setup(loss, n, 31), *got = calloc(1, n + 1);
	char detail[400] = "", link[200];
	size_t have = 0;

	udp_max = PXE_UDP_BIG;
	server_bs_cap = cap;
	datagrams_read = 0;
	uint64_t t0 = now_us;
	int rc = read_whole(&t, "file.bin", got, n, &have, &err);
	double s = (double)(now_us - t0) / 1e6;
	unsigned reads = datagrams_read;
	tftp_link_describe(link, sizeof(link));

	size_t have2 = 0;
	memset(got + n, 0, 1);
	int rc2 = rc ? rc : read_whole(&t2, "file.bin", got, n, &have2, &err);
	if (rc || rc2)
		snprintf(detail, sizeof(detail), "error %d: %s", rc ? rc : rc2, err.msg);
	else if (have != n || have2 != n || memcmp(f, got, n))
		snprintf(detail, sizeof(detail), "got %zu and %zu of %zu bytes", have, have2, n);
	else if (t.bs != want_bs || t.smaller != (loss > 0))
		snprintf(detail, sizeof(detail), "ended with blksize %u, %s (expected %u, %s)",
			 t.bs, t.smaller ? "started again smaller" : "as begun",
			 want_bs, loss ? "started again smaller" : "as begun");
	else if (t2.ask_bs != want_next_bs)
		snprintf(detail, sizeof(detail), "the next file asked for %u, expected %u",
			 t2.ask_bs, want_next_bs);
	else if (s > max_s)
		snprintf(detail, sizeof(detail), "took %.2f s simulated (limit %.2f)", s, max_s);
	else if (!loss && reads > max_reads)
		snprintf(detail, sizeof(detail), "%u datagrams read (limit %u)", reads, max_reads);
	char name[500];
	snprintf(name, sizeof(name), "%s (blksize %u, %.2f s simulated, %u datagrams read, %u more sessions; next file blksize %u; %s)",
		 what, t.bs, s, reads, t.passes, t2.bs, link);
	check(!detail[0], name, detail);
	free(f);
	free(got);
}

/**
 * A server granting RFC 7440 windowsize up to @ws (server_ws_stray:
 * @stray): the @n-byte file at @loss % loss arrives byte-exact within
 * @max_s simulated seconds, in one session (no block fetched by passing
 * others again), with the window the server granted.
 */
static void ws_case(const char *what, unsigned loss, size_t n, uint32_t ws,
		    int stray, double max_s)
{
	static struct tftp_file t;
	struct mb_error err = { 0 };
	uint8_t *f = setup(loss, n, 41), *got = calloc(1, n + 1);
	char detail[400] = "";
	size_t have = 0;

	server_ws = ws;
	server_ws_stray = stray;
	uint64_t t0 = now_us;
	int rc = read_whole(&t, "file.bin", got, n, &have, &err);
	double s = (double)(now_us - t0) / 1e6;
	uint32_t want_ws = ws < TFTP_WINDOWSIZE ? ws : TFTP_WINDOWSIZE;

	if (rc)
		snprintf(detail, sizeof(detail), "error %d: %s", rc, err.msg);
	else if (have != n || memcmp(f, got, n))
		snprintf(detail, sizeof(detail), "got %zu of %zu bytes, %s", have, n,
			 have == n ? "contents differ" : "short");
	else if (t.first.wsize != want_ws)
		snprintf(detail, sizeof(detail), "window %u, expected %u", t.first.wsize, want_ws);
	else if (t.passes)
		snprintf(detail, sizeof(detail), "%u more sessions", t.passes);
	else if (s > max_s)
		snprintf(detail, sizeof(detail), "took %.2f s simulated (limit %.2f)", s, max_s);
	char name[400];
	snprintf(name, sizeof(name), "%s (%.3f s simulated, %u times gone back, %u more sessions)",
		 what, s, t.restarts, t.passes);
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

static void arm_predicted(void);

/**
 * Read an @n-byte file once with @arm() run after the link is set up (it
 * arms an attack or a lie); expect success with exactly the server's
 * file (the attacker's file when @msg is "forged": a case that states a
 * hole), or failure @code with @msg when @code is not MB_OK.  @rrq_want,
 * when not 0, is how many read requests the server must have seen.  The
 * case took at most 1 s simulated (the lies are found at once, not by
 * waiting for the stall timers).
 */
static void attack_case(const char *what, void (*arm)(void), size_t n,
			int code, const char *msg, unsigned rrq_want)
{
	static struct tftp_file t;
	struct mb_error err = { 0 };
	uint8_t *f = setup(0, n, 11), *got = calloc(1, n + 1);
	char detail[700] = "";
	size_t have = 0;
	uint64_t t0;
	int rc;

	arm();
	t0 = now_us;
	rc = read_whole(&t, open_path, got, n, &have, &err);
	if (code == MB_OK && rc)
		snprintf(detail, sizeof(detail), "error %d: %s", rc, err.msg);
	else if (code == MB_OK && !strcmp(msg, "forged") &&
		 (have != sizeof(forged_file) || memcmp(forged_file, got, have)))
		snprintf(detail, sizeof(detail), "%zu bytes, not the attacker's file (the case states the residual hole: update it when it closes)",
			 have);
	else if (code == MB_OK && strcmp(msg, "forged") &&
		 (have != n || memcmp(f, got, n)))
		snprintf(detail, sizeof(detail), "success with %zu bytes, %s (%zu expected)",
			 have, have == n ? "contents differ" : "not the file", n);
	else if (code != MB_OK && (rc != code || strcmp(err.msg, msg)))
		snprintf(detail, sizeof(detail), "got %d \"%s\", expected %d \"%s\"",
			 rc, rc ? err.msg : "", code, msg);
	else if (arm == arm_predicted && used_predicted)
		snprintf(detail, sizeof(detail), "the client used the predictable port %u",
			 PREDICTED_PORT);
	else if (rrq_want && rrqs != rrq_want)
		snprintf(detail, sizeof(detail), "%u read requests, expected %u",
			 rrqs, rrq_want);
	else if (now_us - t0 > attack_max_us)
		snprintf(detail, sizeof(detail), "took %.3f ms simulated (limit %.3f)",
			 (double)(now_us - t0) / 1e3, (double)attack_max_us / 1e3);
	char name[300];
	snprintf(name, sizeof(name), "%s (%.2f ms simulated, %u read requests)",
		 what, (double)(now_us - t0) / 1e3, rrqs);
	check(!detail[0], name, detail);
	free(f);
	free(got);
}

/** An attacker who predicts the old first port: OACK and data queued. */
static void arm_predicted(void)
{
	forge_oack(ATTACKER_PORT, PREDICTED_PORT);
	for (uint32_t k = 1; k <= 3; k++)
		forge_data(SERVER_IP, ATTACKER_PORT, PREDICTED_PORT, k);
}

/** One forged ERROR to the port of our first read request. */
static void arm_error_once(void)
{
	attack_rrq = 1;
}

/** One forged DATA block 1 (as from a server without options) to it. */
static void arm_data_once(void)
{
	attack_rrq = 1;
	attack_kind = 1;
}

/** One forged OACK with options we cannot use to it. */
static void arm_bad_oack_once(void)
{
	attack_rrq = 1;
	attack_kind = 2;
}

/** A forged ERROR to every read request's port (one who sees them all). */
static void arm_error_always(void)
{
	attack_rrq = 1000;
}

/** Forged packets to our port in the data phase (see server_receive). */
static void arm_data_phase(void)
{
	attack_data = 1;
}

/** The same forgeries at the ACK of block 5, after a 150 ms pause: past
 * TFTP_CONFLICT_US, flood noise to be ignored, not a conflict. */
static void arm_data_phase_late(void)
{
	attack_data = 1;
	attack_data_blk = 5;
	attack_data_pause = 150000;
}

/** No attack: the plain missing file, answered within one round trip
 * (two requests in parallel: 0.21 ms simulated; asking again after the
 * first refusal, as before, took 0.38 ms). */
static void arm_missing(void)
{
	open_path = "missing";
	attack_max_us = 300;
}

/** The blind flood lands on the first request's port (A) only. */
static void arm_burst_a(void)
{
	burst_at = 1;
	burst_whole = 1;
}

/** The blind flood lands on the second request's port (B) only. */
static void arm_burst_b(void)
{
	burst_at = 2;
	burst_whole = 1;
}

/** The flood lands on both ports with OACKs alike (the server's tsize:
 * the attacker knows the file's size) and DATA 1-2, before the server's
 * answers: the p^2 case. */
static void arm_burst_both(void)
{
	burst_at = 3;
}

/** As arm_burst_both, with the attacker's whole (2-block) file. */
static void arm_burst_both_whole(void)
{
	burst_at = 3;
	burst_whole = 1;
}

/* The server announces a tsize other than its file's size. */
static void arm_tsize_block_short(void) { server_tsize = (long long)file_size - 1408; }
static void arm_tsize_short(void) { server_tsize = 1408 * 70 + 5; }
static void arm_tsize_zero(void) { server_tsize = 0; }
static void arm_tsize_long(void) { server_tsize = (long long)file_size + 3000; }
static void arm_tsize_long_block(void) { server_tsize = (long long)file_size + 1408; }

/* ERRORs whose text is empty, or unprintable and unterminated. */
static void arm_missing_empty(void)
{
	open_path = "missing";
	server_err = (const uint8_t *)"";
	server_err_len = 0;
}

static const char ugly[] = "\x1b[31mgone\a"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

static void arm_missing_ugly(void)
{
	open_path = "missing";
	server_err = (const uint8_t *)ugly;
	server_err_len = sizeof(ugly) - 1;	/* no NUL */
}

static void arm_end_empty(void)
{
	server_err = (const uint8_t *)"";
	server_err_len = 0;
	server_end_after = 3;
}

/* A malformed OACK: the options part after the opcode. */
#define OACK(s) do { static const char o[] = s; server_oack = (const uint8_t *)o; \
		     server_oack_len = sizeof(o) - 1; } while (0)
static void arm_oack_overflow(void) { OACK("tsize\0" "18446744073709551617\0blksize\0" "1408\0"); }
static void arm_oack_negative(void) { OACK("tsize\0" "-5\0blksize\0" "1408\0"); }
static void arm_oack_empty(void) { OACK("tsize\0\0blksize\0" "1408\0"); }
static void arm_oack_junk(void) { OACK("tsize\0" "100000\0blksize\0" "1408junk\0"); }
static void arm_oack_bs7(void) { OACK("tsize\0" "100000\0blksize\0" "7\0"); }
static void arm_oack_bs1409(void) { OACK("tsize\0" "100000\0blksize\0" "1409\0"); }
static void arm_oack_extra(void) { OACK("tsize\0" "100000\0blksize\0" "1408\0timeout\0" "4\0"); }
static void arm_oack_ws9(void) { OACK("tsize\0" "100000\0blksize\0" "1408\0windowsize\0" "9\0"); }
static void arm_oack_ws0(void) { OACK("tsize\0" "100000\0blksize\0" "1408\0windowsize\0" "0\0"); }
static void arm_oack_ws_twice(void) { OACK("tsize\0" "100000\0blksize\0" "1408\0windowsize\0" "4\0WindowSize\0" "4\0"); }
static void arm_oack_twice(void) { OACK("tsize\0" "100000\0blksize\0" "1408\0TSIZE\0" "5\0"); }
static void arm_oack_no_tsize(void) { OACK("blksize\0" "1408\0"); }
static void arm_oack_unended(void) { OACK("blksize\0" "1408\0tsize\0" "100000"); }
static void arm_oack_huge(void) { OACK("tsize\0" "281474976710655\0blksize\0" "8\0"); }
static void arm_oack_big_over(void) { udp_max = PXE_UDP_BIG; OACK("tsize\0" "100000\0blksize\0" "8193\0"); }
static void arm_oack_big_under(void) { udp_max = PXE_UDP_BIG; server_bs_cap = 1468; OACK("tsize\0" "100000\0blksize\0" "1468\0"); }
static void arm_oack_case(void) { OACK("TSize\0" "0100000\0BLKSIZE\0" "1408\0"); }

#define SRV "file.bin: TFTP server 192.168.0.1 "

#ifdef TFTP_PORT_FIRST
/** SipHash-2-4 against its authors' test vectors (key 00..0f). */
static void siphash_case(void)
{
	uint8_t m[15];
	uint64_t k0 = 0x0706050403020100ull, k1 = 0x0f0e0d0c0b0a0908ull;
	char d[200] = "";

	for (unsigned i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)i;
	uint64_t e = siphash24(k0, k1, m, 0), f = siphash24(k0, k1, m, 15);
	if (e != 0x726fdb47dd0e0e31ull || f != 0xa129ca6149be45e5ull)
		snprintf(d, sizeof(d), "got %016llx and %016llx",
			 (unsigned long long)e, (unsigned long long)f);
	check(!d[0], "ports: SipHash-2-4 gives the reference vectors (empty and 15-byte message)", d);
}

/**
 * Ports drawn with the time-stamp counter frozen (the worst case: only the
 * boot key and the counter vary): in range, none among the 32 before,
 * not a sequence; another MAC gives other ports.
 */
static void port_case(void)
{
	enum { N = 4096 };
	static uint16_t a[N], b[16];
	char d[200] = "";
	unsigned seq = 0, per[8] = { 0 };

	tsc_step = 0;
	port_keyed = 0;
	port_count = 0;
	memset(port_recent, 0, sizeof(port_recent));
	for (unsigned i = 0; i < N; i++) {
		a[i] = new_port();
		if (a[i] - TFTP_PORT_FIRST >= TFTP_PORT_COUNT)	/* unsigned */
			snprintf(d, sizeof(d), "port %u out of range", a[i]);
		for (unsigned j = i > 32 ? i - 32 : 0; j < i; j++)
			if (a[j] == a[i])
				snprintf(d, sizeof(d), "port %u again after %u draws",
					 a[i], i - j);
		if (i && a[i] == (uint16_t)(a[i - 1] + 1))
			seq++;
		per[(a[i] - TFTP_PORT_FIRST) / (TFTP_PORT_COUNT / 8)]++;
	}
	/* Uniform: 512 per eighth expected, a standard deviation of 21. */
	for (unsigned i = 0; i < 8 && !d[0]; i++)
		if (per[i] < 400 || per[i] > 624)
			snprintf(d, sizeof(d), "%u of %u ports in eighth %u", per[i], N, i);
	if (!d[0] && seq > 8)
		snprintf(d, sizeof(d), "%u of %u ports follow the one before", seq, N);
	port_keyed = 0;
	port_count = 0;
	memset(port_recent, 0, sizeof(port_recent));
	boot_mac5 = 0x57;
	unsigned same = 0;
	for (unsigned i = 0; i < 16; i++)
		same += (b[i] = new_port()) == a[i];
	if (!d[0] && same > 1)
		snprintf(d, sizeof(d), "another MAC: %u of 16 ports the same", same);
	boot_mac5 = 0x56;
	tsc_step = 1000;
	check(!d[0], "ports: 4096 drawn, in 57344-65535, none repeated within 32, uniform, not a sequence; another MAC, other ports", d);
}
#endif

int main(void)
{
#ifdef TFTP_PORT_FIRST
	siphash_case();
	port_case();
#endif
	attack_case("spoof: OACK and DATA queued for the predictable port 60000 are not taken",
		    arm_predicted, 100000, MB_OK, "", 2);
	attack_case("spoof: one forged ERROR to our request's port does not make the file missing",
		    arm_error_once, 100000, MB_OK, "", 4);
	attack_case("spoof: one forged DATA at the open does not turn the client away (no options)",
		    arm_data_once, 100000, MB_OK, "", 4);
	attack_case("spoof: one forged unusable OACK at the open does not turn the client away",
		    arm_bad_oack_once, 100000, MB_OK, "", 4);
	attack_case("spoof: forged ERRORs to every request's port (an attacker who sees them): contested 4 times, then a clear error",
		    arm_error_always, 100000, MB_E_READ,
		    "file.bin: forged or inconsistent answers from TFTP server 192.168.0.1: 4 times two read requests disagreed (last: one request answered from ports 4444 and 1006)", 8);
	attack_case("spoof: data phase, an OACK and block 1 from another server port to our (once-requested) session: the read fails, no forged byte taken",
		    arm_data_phase, 100000, MB_E_READ,
		    "file.bin: forged TFTP packets: TFTP server 192.168.0.1 answered one read request from ports 1000 and 4444", 2);
	attack_case("spoof: data phase, the same forgeries 150 ms after the request (past TFTP_CONFLICT_US): ignored, the server's file",
		    arm_data_phase_late, 100000, MB_OK, "", 2);
	attack_case("spoof: blind burst (OACK + DATA 1-3) at request A before the server's OACK: contested, the server's file read from two fresh ports",
		    arm_burst_a, 100000, MB_OK, "", 4);
	attack_case("spoof: the same burst at request B only: contested (other sizes), the server's file",
		    arm_burst_b, 100000, MB_OK, "", 4);
	attack_case("spoof: consistent OACKs + DATA 1-2 at both A and B first (the p^2 case): A's forged transfer taken, then the server's OACK to A fails the read",
		    arm_burst_both, 100000, MB_E_READ,
		    "file.bin: forged TFTP packets: TFTP server 192.168.0.1 answered one read request from ports 4444 and 1000", 2);
	attack_case("spoof: residual: both ports AND the attacker's whole 2-block file ahead of the server's answer: the forged file is taken",
		    arm_burst_both_whole, 2816, MB_OK, "forged", 2);
	attack_case("missing file: two read requests at once, both refused, one round trip",
		    arm_missing, 0, MB_E_NOT_FOUND,
		    "file.bin: file not found (TFTP server 192.168.0.1: error 1, \"File not found\")", 2);
	attack_case("tsize a block short of the file (a multiple of the block size)",
		    arm_tsize_block_short, 1408 * 71, MB_E_READ,
		    "file.bin: the TFTP server sent more than the 98560 bytes its tsize announced", 0);
	attack_case("tsize short of the file (not a multiple)",
		    arm_tsize_short, 100000, MB_E_READ,
		    "file.bin: the TFTP server sent more than the 98565 bytes its tsize announced", 0);
	attack_case("tsize 0 for a non-empty file",
		    arm_tsize_zero, 100000, MB_E_READ,
		    "file.bin: the TFTP server sent more than the 0 bytes its tsize announced", 0);
	attack_case("tsize longer than the file",
		    arm_tsize_long, 100000, MB_E_READ,
		    "file.bin: the TFTP server's file ended at byte 100000, short of the 103000 bytes its tsize announced", 0);
	attack_case("tsize a block longer than the file",
		    arm_tsize_long_block, 1408 * 71, MB_E_READ,
		    "file.bin: the TFTP server's file ended at byte 99968, short of the 101376 bytes its tsize announced", 0);
	attack_case("4-byte ERROR answering the request: empty text, not leftovers",
		    arm_missing_empty, 100000, MB_E_NOT_FOUND,
		    "file.bin: file not found (TFTP server 192.168.0.1: error 1, \"\")", 2);
	attack_case("ERROR text unprintable, unterminated and long: cleaned and cut",
		    arm_missing_ugly, 100000, MB_E_NOT_FOUND,
		    "file.bin: file not found (TFTP server 192.168.0.1: error 1, \"?[31mgone?xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\")", 2);
	attack_case("4-byte ERROR ending the transfer",
		    arm_end_empty, 100000, MB_E_READ,
		    "file.bin: the TFTP server ended the transfer (error 3, \"\")", 2);
	attack_case("OACK tsize 2^64 + 1", arm_oack_overflow, 100000, MB_E_FIRMWARE,
		    SRV "answered with tsize \"18446744073709551617\", not a decimal number of bytes up to 281474976710655", 2);
	attack_case("OACK tsize -5", arm_oack_negative, 100000, MB_E_FIRMWARE,
		    SRV "answered with tsize \"-5\", not a decimal number of bytes up to 281474976710655", 2);
	attack_case("OACK tsize empty", arm_oack_empty, 100000, MB_E_FIRMWARE,
		    SRV "answered with tsize \"\", not a decimal number of bytes up to 281474976710655", 2);
	attack_case("OACK blksize 1408junk", arm_oack_junk, 100000, MB_E_FIRMWARE,
		    SRV "answered with blksize \"1408junk\", not a decimal number from 8 to 1408 (what we asked for)", 2);
	attack_case("OACK blksize 7", arm_oack_bs7, 100000, MB_E_FIRMWARE,
		    SRV "answered with blksize \"7\", not a decimal number from 8 to 1408 (what we asked for)", 2);
	attack_case("OACK blksize 1409", arm_oack_bs1409, 100000, MB_E_FIRMWARE,
		    SRV "answered with blksize \"1409\", not a decimal number from 8 to 1408 (what we asked for)", 2);
	attack_case("OACK with an option not asked for", arm_oack_extra, 100000, MB_E_FIRMWARE,
		    SRV "answered with option \"timeout\" (\"4\"), which we did not ask for", 2);
	attack_case("OACK windowsize 9, larger than the 8 asked for", arm_oack_ws9, 100000, MB_E_FIRMWARE,
		    SRV "answered with windowsize \"9\", not a decimal number from 1 to 8 (what we asked for)", 2);
	attack_case("OACK windowsize 0", arm_oack_ws0, 100000, MB_E_FIRMWARE,
		    SRV "answered with windowsize \"0\", not a decimal number from 1 to 8 (what we asked for)", 2);
	attack_case("OACK windowsize twice", arm_oack_ws_twice, 100000, MB_E_FIRMWARE,
		    SRV "answered with option \"windowsize\" twice", 2);
	/* RFC 7440: a server that grants windowsize is read window by
	 * window; a lost block is fetched again by going back, never by a
	 * further session. */
	ws_case("windowsize 8, no loss, 3 MiB", 0, 3 << 20, 8, 0, 0.2);
	ws_case("windowsize 4 granted of 8, no loss, 3 MiB", 0, 3 << 20, 4, 0, 0.3);
	/* Bounds: about 1.6 times what was measured (0.23, 0.76, 6.4 s);
	 * the acknowledge-ahead client takes 1.04 s, 5.0 s for 512 KiB at
	 * 20 %, 42 s. */
	ws_case("windowsize 8, 5 % loss, 3 MiB", 5, 3 << 20, 8, 0, 0.4);
	ws_case("windowsize 8, 20 % loss, 1 MiB", 20, 1 << 20, 8, 0, 1.2);
	ws_case("windowsize 8, 5 % loss, more than 65535 blocks (block numbers wrap)", 5,
		(size_t)70000 * 1408 + 5, 8, 0, 10.0);
	ws_case("windowsize 8, a block numbered past each window (wrong bytes): not taken",
		0, 1 << 20, 8, 1, 0.2);
	attack_case("OACK with tsize twice", arm_oack_twice, 100000, MB_E_FIRMWARE,
		    SRV "answered with option \"tsize\" twice", 2);
	attack_case("OACK without tsize", arm_oack_no_tsize, 100000, MB_E_FIRMWARE,
		    SRV "answered without the tsize option", 2);
	attack_case("OACK not NUL-terminated", arm_oack_unended, 100000, MB_E_FIRMWARE,
		    SRV "answered with option \"tsize\" not followed by a value and a NUL", 2);
	attack_case("OACK tsize too large for 32-bit block numbers", arm_oack_huge, 100000, MB_E_FIRMWARE,
		    SRV "answered with tsize 281474976710655, too large for blocks of 8", 2);
	attack_case("OACK in other letter cases, a leading zero: taken", arm_oack_case, 100000,
		    MB_OK, "", 2);
	attack_case("OACK blksize 8193 after asking for 8192 (big blocks)", arm_oack_big_over, 100000, MB_E_FIRMWARE,
		    SRV "answered with blksize \"8193\", not a decimal number from 8 to 8192 (what we asked for)", 2);
	attack_case("OACK blksize 1468 after asking for 8192 (big blocks): taken", arm_oack_big_under, 100000,
		    MB_OK, "", 2);
	/* 3 MiB is 2235 blocks of 1408: big blocks need 385 of 8192. */
	big_case("big blocks, no loss, 3 MiB", 0, 3 << 20, 65464, 8192, 0.2, 400, 8192);
	big_case("big blocks, server caps blksize at 1468 (dnsmasq), no loss, 3 MiB", 0, 3 << 20, 1468, 1468, 0.3, 2200, 8192);
	/* With loss, the same bound as small blocks from the start. */
	big_case("big blocks, 5 % frame loss, 3 MiB", 5, 3 << 20, 65464, 1408, 2.0, 0, 1408);
	big_case("big blocks, 20 % frame loss, 1 MiB", 20, 1 << 20, 65464, 1408, 40.0, 0, 1408);
	read_case("no loss, 3 MiB at once", 0, 3 << 20, 0, 3.0, 1);
	read_case("no loss, 64 KiB pieces", 0, 1 << 20, 65536, 3.0, 2);
	read_case("no loss, a multiple of the block size", 0, 1408 * 300, 0,
		  1.0, 3);
	read_case("no loss, a multiple of the block size, 64 KiB pieces", 0,
		  1408 * 300, 65536, 1.0, 3);
	read_case("5 % loss, a multiple of the block size, 1408-byte pieces", 5,
		  1408 * 100, 1408, 5.0, 3);
	read_case("no loss, empty file", 0, 0, 0, 1.0, 4);
	read_case("5 % loss, 3 MiB at once", 5, 3 << 20, 0, 2.0, 5);
	read_case("5 % loss, 64 KiB pieces", 5, 1 << 20, 65536, 5.0, 6);
	/* 20 % and 40 %: halving the window at every loss makes these ~5 and
	 * ~3 times slower than the client without congestion control (4.9 s
	 * and 15 s); the price of not collapsing a full link. */
	read_case("20 % loss, 3 MiB at once", 20, 3 << 20, 0, 40.0, 7);
	read_case("20 % loss, 16 KiB pieces", 20, 512 << 10, 16384, 30.0, 8);
	read_case("40 % loss, 256 KiB", 40, 256 << 10, 0, 80.0, 9);
	read_case("5 % loss, more than 65535 blocks (block numbers wrap)", 5,
		  (size_t)70000 * 1408 + 5, 0, 60.0, 10);
	read_case_armed("slirp, no loss, 3 MiB at once", 0, 3 << 20, 0, 3.0, 1,
			arm_slirp);
	read_case_armed("slirp, 5 % loss, 3 MiB at once", 5, 3 << 20, 0, 3.0, 5,
			arm_slirp);
	read_case_armed("slirp, 5 % loss, a queue of 32 packets, 3 MiB at once",
			5, 3 << 20, 0, 3.0, 5, arm_slirp_ring);
	read_case_armed("slirp, the last 9 blocks lost once, 1 MiB at once", 0,
			1 << 20, 0, 1.0, 11, arm_slirp_tail);
	policed_case("policer 8 MB/s, burst 64 KB, 3 MiB", 8000000, 65536,
		     3 << 20, 1.25);
	policed_case("policer 2 MB/s, burst 64 KB, 3 MiB", 2000000, 65536,
		     3 << 20, 1.25);
	policed_case("policer 500 KB/s, burst 64 KB, 3 MiB", 500000, 65536,
		     3 << 20, 1.25);
	policed_case("policer 500 KB/s, burst 16 KB, 3 MiB", 500000, 16384,
		     3 << 20, 1.25);
	fail_case("file not found", "missing", -1, 0, MB_E_NOT_FOUND,
		  "file.bin: file not found (TFTP server 192.168.0.1: error 1, \"File not found\")");
	fail_case("server without options", "file.bin", -1, 1, MB_E_FIRMWARE,
		  "file.bin: TFTP server 192.168.0.1 does not offer the tsize and blksize options");
	fail_case("server dies mid-file", "file.bin", 20, 0, MB_E_READ,
		  "file.bin: no data for 5 s");
	fail_case("server never answers", "file.bin", 0, 0, MB_E_FIRMWARE,
		  "file.bin: no answer from TFTP server 192.168.0.1 (6 requests in 15.7 s)");
	printf("tftp: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
