/*
 * fuzz_tftp.c - libFuzzer target for mboot's TFTP client (com32/tftp.c):
 * tftp_open and tftp_read against a simulated server and an attacker,
 * every packet the client receives chosen by the input.
 *
 * com32/tftp.c is compiled in; its PXE UDP calls and its clock are
 * simulated here.  The real server behaves as test_tftp.c's (dnsmasq):
 * an OACK with tsize and blksize from a new port per read request, block
 * k + 1 on the ACK of block k, its own retransmission timer.  Its packets
 * wait in one queue, as iPXE's PXENV_UDP_READ keeps them (a packet for
 * another port than the one read is dropped).
 *
 * Input: a 6-byte header (file size, the server's block size, whether it
 * announces a wrong tsize, answers "not found", ignores the options or
 * sends OACK options taken from the input, the sizes of the reads; see
 * tests/fuzz/make-tftp-seeds.py), then one event per receive call the client
 * makes: deliver the real server's next packet, lose it, let time pass,
 * or hand over a forged packet (to the port read, or, when the client
 * reads any port while its two read requests wait, to one of those two) (structured - DATA, OACK, ERROR, other
 * opcodes - or raw bytes) from the server's port 69, the transfer's own
 * port, another port of the server's address, or a third host.  When the
 * input runs out, the real server's packets are delivered without loss
 * and time moves on by 1 ms per empty receive, so every read ends.
 *
 * The attacker knows our port (the worst case: it saw or guessed it),
 * with two exceptions that TFTP cannot tell apart from the server and
 * that the random ports are there to prevent (tftp.h):
 *  - an OACK at a port that has not yet acknowledged one (the race for
 *    the transfer ID at the open) is not forged;
 *  - from the transfer's own port (both transfer IDs known: the attacker
 *    sees the traffic), DATA carries the server's true block (a repeat
 *    or a reordering), never other bytes; raw bytes from there with the
 *    DATA opcode get another opcode.
 * Everything else may be forged at any moment.
 *
 * Checks: no memory error or undefined behaviour (ASan, UBSan); every
 * failure has its code and a printable message; every read ends (at most
 * an hour simulated); and a sequence of reads that succeeds to the end of
 * the file returns exactly the server's file - forged bytes, a tsize that
 * lies or a truncated transfer never make a success.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../com32/tftp.c"

#define SERVER_IP	0x0100a8c0u	/* 192.168.0.1, network order */
#define THIRD_IP	0x0700a8c0u	/* 192.168.0.7 */
#define ATTACKER_PORT	4444u
#define LATENCY_US	150u
#define RECV_COST_US	20u
#define SERVER_RETX_US	1500000u
#define MAX_FILE	8192u
#define QUEUE_MAX	256u
#define XFERS		16u
#define TIME_LIMIT_US	3600000000ull	/* an hour: "every read ends" */

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "fuzz_tftp: %s\n", what);
	abort();
}

/* --- the input ------------------------------------------------------------ */

static const uint8_t *in;
static size_t in_len, in_pos;

/** The next input byte; 0 once the input ran out (check in_left()). */
static uint8_t next(void)
{
	return in_pos < in_len ? in[in_pos++] : 0;
}

/** True while input is left. */
static int in_left(void)
{
	return in_pos < in_len;
}

/* --- the simulated server ------------------------------------------------- */

static uint64_t now_us;
static uint64_t out_at;		/* when the input ran out (0: not yet) */
static uint8_t file[MAX_FILE];
static size_t file_size;	/* the real file */
static uint64_t announced;	/* the tsize the server sends */
static uint32_t srv_bs;		/* the server's block size */
static int srv_missing, srv_no_options;
static int srv_oack_len;	/* -1: a correct OACK; else bytes of srv_oack */
static uint8_t srv_oack[256];	/* a broken server's OACK options */
static int srv_custom;		/* its OACK options come from the input */
static uint16_t next_srv_port;
static uint64_t tsc;
static uint8_t acked_port[65536 / 8];	/* the client sent an ACK from it */
static uint16_t rrq_port[2];	/* the ports of the last two read requests */

struct pkt {
	uint16_t sport, dport, len;
	uint8_t data[PXE_UDP_MAX];
};
static struct pkt queue[QUEUE_MAX];
static unsigned q_head, q_len;
static uint64_t q_ready[QUEUE_MAX];

struct transfer {
	int live;
	uint16_t cport, sport;
	uint32_t s, nblocks;	/* last block sent (0: the OACK) */
	unsigned retx;
	uint64_t next_retx;
};
static struct transfer xfers[XFERS];

/** Queue a packet of the server from @sport to the client's @dport. */
static void server_send(uint16_t sport, uint16_t dport, const uint8_t *d,
			size_t len)
{
	if (q_len == QUEUE_MAX)
		return;
	unsigned i = (q_head + q_len++) % QUEUE_MAX;
	queue[i].sport = sport;
	queue[i].dport = dport;
	queue[i].len = (uint16_t)len;
	memcpy(queue[i].data, d, len);
	q_ready[i] = now_us + LATENCY_US;
}

/** Block @k of the real file as DATA into @b; returns the length. */
static size_t real_block(uint32_t k, uint8_t *b)
{
	uint64_t off = (uint64_t)(k - 1) * srv_bs;
	size_t n = off >= file_size ? 0 : file_size - off < srv_bs ?
		   file_size - (size_t)off : srv_bs;

	b[0] = 0;
	b[1] = OP_DATA;
	b[2] = (uint8_t)(k >> 8);
	b[3] = (uint8_t)k;
	if (n)
		memcpy(b + 4, file + off, n);
	return 4 + n;
}

/** Send what transfer @x is at: the OACK, or block x->s. */
static void server_send_current(struct transfer *x)
{
	uint8_t b[PXE_UDP_MAX];

	if (x->s == 0 && srv_custom) {
		if (srv_oack_len < 0) {	/* taken from the input once */
			srv_oack_len = next();
			for (int i = 0; i < srv_oack_len; i++)
				srv_oack[i] = next();
		}
		b[0] = 0;
		b[1] = OP_OACK;
		memcpy(b + 2, srv_oack, (size_t)srv_oack_len);
		server_send(x->sport, x->cport, b, 2 + (size_t)srv_oack_len);
		return;
	}
	if (x->s == 0) {
		int n = snprintf((char *)b + 2, sizeof(b) - 2,
				 "tsize%c%llu%cblksize%c%u", 0,
				 (unsigned long long)announced, 0, 0, srv_bs);
		b[0] = 0;
		b[1] = OP_OACK;
		server_send(x->sport, x->cport, b, 2 + (size_t)n + 1);
		return;
	}
	server_send(x->sport, x->cport, b, real_block(x->s, b));
}

/** The server's retransmission timers. */
static void server_timers(void)
{
	for (unsigned i = 0; i < XFERS; i++) {
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

/** A packet from the client's @cport reaches the server's @dport. */
static void server_receive(uint16_t cport, uint16_t dport, const uint8_t *p,
			   size_t len)
{
	if (len < 4)
		return;
	if (dport == 69 && get16(p) == OP_RRQ) {
		struct transfer *x = NULL;
		for (unsigned i = 0; i < XFERS && !x; i++)
			if (!xfers[i].live)
				x = &xfers[i];
		if (srv_missing) {
			static const uint8_t e[] = "\0\5\0\1File not found";
			server_send(69, cport, e, sizeof(e));
			return;
		}
		if (!x)
			return;
		memset(x, 0, sizeof(*x));
		x->live = 1;
		x->cport = cport;
		x->sport = next_srv_port++;
		x->s = srv_no_options ? 1 : 0;
		x->nblocks = (uint32_t)(file_size / srv_bs) + 1;
		x->next_retx = now_us + SERVER_RETX_US;
		server_send_current(x);
		return;
	}
	for (unsigned i = 0; i < XFERS; i++) {
		struct transfer *x = &xfers[i];
		if (!x->live || x->sport != dport || x->cport != cport)
			continue;
		if (get16(p) == OP_ERROR) {
			x->live = 0;
		} else if (get16(p) == OP_ACK && get16(p + 2) == (uint16_t)x->s) {
			if (x->s == x->nblocks) {
				x->live = 0;
				return;
			}
			x->s++;
			x->retx = 0;
			x->next_retx = now_us + SERVER_RETX_US;
			server_send_current(x);
		}
		return;
	}
}

/** The real server's port of its latest transfer to the client's @cport,
 * ended or not (0: none). */
static uint16_t transfer_port(uint16_t cport)
{
	uint16_t port = 0;

	for (unsigned i = 0; i < XFERS; i++)
		if (xfers[i].sport && xfers[i].cport == cport &&
		    xfers[i].sport > port)
			port = xfers[i].sport;
	return port;
}

/* --- forged packets ----------------------------------------------------------- */

/**
 * A forged packet for the client's port *@to from the input (when *@to is
 * 0, the client reads any port: one of the last two read requests' ports
 * is chosen and put there); *@ip / *@sport are its source, @b its bytes.  Returns its length, or -1 when it is not
 * one the attacker can send (see the top of this file).
 */
static int forge(uint16_t *to, int raw, uint32_t *ip, uint16_t *sport,
		 uint8_t *b)
{
	static const char *const sizes[] = {
		"0", "1", "1408", "8192", "18446744073709551617", "-5", "",
		"1408junk", "00100", "281474976710655", " 12", "4294967296"
	};
	static const char *const names[] = {
		"tsize", "blksize", "TSIZE", "windowsize", "timeout", ""
	};
	uint8_t src = next(), kind = next();
	/* A read for any port (while the two read requests wait): aimed at
	 * one of the two requests' ports (the second when bit 2 of src is
	 * set). */
	uint16_t dport = *to ? *to : rrq_port[src >> 2 & 1];
	uint16_t tid = transfer_port(dport);
	int len = 0;

	switch (src & 3) {
	case 0: *ip = SERVER_IP; *sport = 69; break;
	case 1: *ip = SERVER_IP; *sport = tid ? tid : ATTACKER_PORT; break;
	case 2: *ip = SERVER_IP; *sport = ATTACKER_PORT; break;
	default: *ip = THIRD_IP; *sport = tid ? tid : 69; break;
	}
	int from_tid = *ip == SERVER_IP && tid && *sport == tid;

	if (raw) {
		len = kind;
		for (int i = 0; i < len; i++)
			b[i] = next();
		if (from_tid && len >= 2 && get16(b) == OP_DATA)
			b[1] = 0x33;	/* see above: not the server's DATA */
	} else {
		switch (kind % 6) {
		case 0:	/* DATA k: garbage, or the true block from the TID */
		case 1: {
			uint32_t k = next();
			k = k | (uint32_t)next() << 8;
			if (from_tid || kind % 6 == 1) {	/* true bytes */
				len = (int)real_block(k ? k : 1, b);
				b[2] = (uint8_t)(k >> 8);
				b[3] = (uint8_t)k;
				break;
			}
			uint8_t l = next();
			len = 4 + (l < 200 ? (int)(l * srv_bs / 199) :
				   (int)srv_bs + (l - 200));
			if (len > (int)PXE_UDP_MAX)
				len = PXE_UDP_MAX;
			b[0] = 0;
			b[1] = OP_DATA;
			b[2] = (uint8_t)(k >> 8);
			b[3] = (uint8_t)k;
			memset(b + 4, 'X', (size_t)len - 4);
			break;
		}
		case 2: {	/* OACK: some options from the dictionaries */
			unsigned n = next() % 4;
			b[0] = 0;
			b[1] = OP_OACK;
			len = 2;
			for (unsigned i = 0; i < n; i++) {
				const char *nm = names[next() % 6];
				const char *v = sizes[next() % 12];
				memcpy(b + len, nm, strlen(nm) + 1);
				len += (int)strlen(nm) + 1;
				memcpy(b + len, v, strlen(v) + 1);
				len += (int)strlen(v) + 1;
			}
			if (next() & 1)
				len--;	/* without its last NUL */
			break;
		}
		case 3: {	/* ERROR: code, text of some length, maybe no NUL */
			uint8_t n = next();
			b[0] = 0;
			b[1] = OP_ERROR;
			b[2] = 0;
			b[3] = next();
			for (unsigned i = 0; i < n % 100; i++)
				b[4 + i] = next();
			len = 4 + n % 100;
			break;
		}
		default: {	/* RRQ, ACK, an unknown opcode, or a stub */
			uint8_t op = next();
			b[0] = 0;
			b[1] = op;
			b[2] = next();
			b[3] = next();
			len = kind % 6 == 4 ? 4 : (int)(next() % 4);
			break;
		}
		}
	}
	/* The race for the transfer ID at the open is the random port's. */
	if (len >= 2 && get16(b) == OP_OACK &&
	    !(acked_port[dport / 8] & (1u << (dport % 8))))
		return -1;
	*to = dport;
	return len;
}

/* --- what tftp.c calls ------------------------------------------------------ */

uint64_t clock_us(void)
{
	return ++now_us;
}

int pxe_udp_available(void)
{
	return 1;
}

/* iPXE's stack (big blocks asked for) or a plain one: from the input. */
static size_t udp_max = PXE_UDP_MAX;

size_t pxe_udp_max(void)
{
	return udp_max;
}

size_t pxe_udp_boot_entropy(uint8_t *buf, size_t cap)
{
	static const uint8_t ack[16] = { 2, 1, 6, 0, 0x12, 0x34, 0x56, 0x78,
					 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	size_t n = cap < sizeof(ack) ? cap : sizeof(ack);

	memcpy(buf, ack, n);
	return n;
}

uint64_t pxe_udp_noise(void)
{
	return tsc += 977;
}

int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len)
{
	const uint8_t *p = data;

	now_us += RECV_COST_US;
	if (len >= 2 && get16(p) == OP_ACK)
		acked_port[sport / 8] |= (uint8_t)(1u << (sport % 8));
	if (len >= 2 && get16(p) == OP_RRQ) {	/* a new session on it */
		acked_port[sport / 8] &= (uint8_t)~(1u << (sport % 8));
		rrq_port[0] = rrq_port[1];
		rrq_port[1] = sport;
	}
	if (ip == SERVER_IP)
		server_receive(sport, dport, p, len);
	return 0;
}

int pxe_udp_recv_to(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		    uint16_t *sport, uint16_t *to)
{
	static uint8_t buf[PXE_UDP_MAX];
	int len;

	now_us += RECV_COST_US;
	server_timers();
	if (!in_left()) {
		if (!out_at)
			out_at = now_us;
		if (now_us - out_at > TIME_LIMIT_US)
			fail("a read does not end (an hour simulated after the input)");
		if (!q_len || q_ready[q_head] > now_us) {
			now_us += 1000;
			return -1;
		}
	} else {
		uint8_t op = next();
		switch (op % 8) {
		case 0:
			return -1;
		case 4:		/* the server's packet is lost */
			if (q_len) {
				q_head = (q_head + 1) % QUEUE_MAX;
				q_len--;
			}
			return -1;
		case 5:
		case 6: {
			uint16_t to_port = dport;
			len = forge(&to_port, op % 8 == 6, src_ip, sport, buf);
			if (len < 0)
				return -1;
			*data = buf;
			*to = to_port;
			return len;
		}
		case 7:
			now_us += 1000ull * next();
			return -1;
		default:	/* 1-3: the server's next packet, if any */
			if (!q_len)
				return -1;
			break;
		}
	}
	struct pkt *p = &queue[q_head];
	q_head = (q_head + 1) % QUEUE_MAX;
	q_len--;
	if (dport && p->dport != dport)
		return -1;	/* iPXE drops it */
	memcpy(buf, p->data, p->len);
	*data = buf;
	*src_ip = SERVER_IP;
	*sport = p->sport;
	*to = p->dport;
	return p->len;
}

/* --- the target --------------------------------------------------------------- */

/** A failure must carry its code and a printable, terminated message. */
static void check_error(int rc, const struct mb_error *err)
{
	const char *end = memchr(err->msg, '\0', sizeof(err->msg));

	if ((int)err->code != rc || !err->msg[0] || !end)
		fail("error not recorded");
	for (const char *c = err->msg; c < end; c++)
		if (*c < 0x20 || *c > 0x7e) {
			fprintf(stderr, "message: %s\n", err->msg);
			fail("unprintable byte in an error message");
		}
}

/**
 * One run: the header sets up the server and the reads, the rest drives
 * the packets (see the top of this file); open, read to the end, check.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[8] = { 8, 13, 64, 100, 512, 1024, 1400, 1408 };
	static const size_t chunks[8] = { 0, 1, 7, 100, 512, 1408, 1500, 4096 };
	static struct tftp_file t;
	static uint8_t got[MAX_FILE + 16];
	struct mb_error err = { 0 };
	size_t have = 0, k, chunk;
	int rc;

	if (size < 6)
		return 0;
	in = data + 6;
	in_len = size - 6;
	in_pos = 0;
	file_size = (data[0] | (size_t)data[1] << 8) % (MAX_FILE + 1);
	srv_bs = sizes[data[2] & 7];
	udp_max = data[2] & 8 ? PXE_UDP_BIG : PXE_UDP_MAX;
	for (size_t i = 0; i < file_size; i++)
		file[i] = (uint8_t)(i * 131 + data[3]);
	switch (data[4] & 3) {	/* the tsize it announces */
	case 0: announced = file_size; break;
	case 1: announced = file_size >= srv_bs ? file_size - srv_bs : 0; break;
	case 2: announced = file_size + 1 + (data[4] >> 4); break;	/* 1-16 more */
	default: announced = file_size / 2; break;
	}
	srv_missing = (data[4] >> 2 & 3) == 2;	/* ERROR "File not found" */
	srv_no_options = (data[4] >> 2 & 3) == 3;	/* DATA, no OACK */
	srv_custom = (data[4] >> 2 & 3) == 1;	/* its OACK from the input */
	srv_oack_len = -1;
	chunk = chunks[data[5] & 7];

	now_us = 0;
	out_at = 0;
	tsc = 0;
	q_head = q_len = 0;
	next_srv_port = 1000;
	memset(xfers, 0, sizeof(xfers));
	memset(acked_port, 0, sizeof(acked_port));
	rrq_port[0] = rrq_port[1] = 0;
	port_keyed = 0;		/* the same ports for the same input */
	port_count = 0;
	memset(port_recent, 0, sizeof(port_recent));

	rc = tftp_open(&t, SERVER_IP, 69, "file.bin", "file.bin", &err);
	if (rc) {
		check_error(rc, &err);
		if (getenv("FUZZ_TFTP_VERBOSE"))
			fprintf(stderr, "fuzz_tftp: open: %s\n", err.msg);
		return 0;
	}
	for (;;) {
		size_t want = chunk ? chunk : MAX_FILE + 16 - have;
		if (want > MAX_FILE + 16 - have)
			want = MAX_FILE + 16 - have;
		rc = tftp_read(&t, got + have, want, &k, "file.bin", &err);
		if (rc) {
			check_error(rc, &err);
			break;
		}
		if (k > want)
			fail("a read returned more than asked for");
		have += k;
		if (!k)
			break;
	}
	tftp_close(&t);
	if (getenv("FUZZ_TFTP_VERBOSE"))	/* for reading what a seed does */
		fprintf(stderr, "fuzz_tftp: %s, %zu of %zu bytes read, %u sessions more, %.3f s simulated\n",
			rc ? err.msg : "success", have, file_size, t.passes,
			(double)now_us / 1e6);
	if (!rc && (have != file_size || memcmp(got, file, file_size))) {
		fprintf(stderr, "file %zu bytes (tsize %llu), read %zu\n",
			file_size, (unsigned long long)announced, have);
		fail("a successful read that is not the server's file");
	}
	return 0;
}
