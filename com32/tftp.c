/*
 * tftp.c - mboot's own TFTP client for lossy links (see tftp.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "pxe_udp.h"
#include "tftp.h"

#define OP_RRQ		1
#define OP_DATA		3
#define OP_ACK		4
#define OP_ERROR	5
#define OP_OACK		6

/* Read requests: first wait, doubled per try. */
#define RRQ_TRIES	6u
#define RRQ_FIRST_US	250000u
/* Quick repeats of the request still unanswered when the other was
 * answered, and the margin over twice the first answer's delay. */
#define RRQ_QUICK	4u
#define RRQ_QUICK_US	2000u
/* Retransmission timeout bounds and the first estimate. */
#define RTO_MIN_US	2000u
#define RTO_MAX_US	500000u
#define RTT_FIRST_US	5000u
/* Silences in a row at the end of what may be asked for, then the
 * missing tail is left to the next session. */
#define TAIL_SILENCES	2u
/* Longest ERROR text or option value quoted in a message. */
#define TEXT_MAX	64u

/* session_run's answer (never returned by tftp_read): a block of the
 * file's first TFTP_BIG_PROBE was lost while it ran with big blocks. */
#define SMALLER_BLOCKS	(-1)
/* Largest tsize taken (2^48 - 1: far past anything that fits in memory,
 * small enough that no byte offset computed from it overflows). */
#define TSIZE_MAX	0xffffffffffffull

/** What one read wants: bytes [off, off + len) into dst. */
struct range {
	uint8_t *dst;
	uint64_t off;
	size_t len;
	uint32_t fb, lb;	/* first and last block touching it */
	uint8_t *missing;	/* bit i: block fb + i not yet copied */
	uint32_t nmissing;
	uint32_t first_missing;	/* no block before it is missing */
};

/** Big-endian 16 bits at @p. */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* --- our ports: SipHash-2-4 keyed by the boot's entropy ------------------- */

/** Rotate @x left by @b bits. */
static uint64_t rotl64(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

/** One SipRound on the state @v. */
static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl64(v[1], 13) ^ v[0];
	v[0] = rotl64(v[0], 32);
	v[2] += v[3];
	v[3] = rotl64(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = rotl64(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = rotl64(v[1], 17) ^ v[2];
	v[2] = rotl64(v[2], 32);
}

/**
 * SipHash-2-4 (Aumasson and Bernstein) of the @n bytes at @m under the key
 * @k0, @k1: a keyed pseudo-random function, so ports drawn from it tell
 * nothing about the key or about the ports before and after.
 */
static uint64_t siphash24(uint64_t k0, uint64_t k1, const uint8_t *m,
			  size_t n)
{
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			  k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull };
	uint64_t w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		w = 0;
		for (unsigned j = 0; j < 8; j++)
			w |= (uint64_t)m[i + j] << (8 * j);
		v[3] ^= w;
		sip_round(v);
		sip_round(v);
		v[0] ^= w;
	}
	w = (uint64_t)(n & 0xff) << 56;
	for (unsigned j = 0; i + j < n; j++)
		w |= (uint64_t)m[i + j] << (8 * j);
	v[3] ^= w;
	sip_round(v);
	sip_round(v);
	v[0] ^= w;
	v[2] ^= 0xff;
	for (unsigned r = 0; r < 4; r++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint64_t port_key[2];	/* from the boot's entropy, on first use */
static uint8_t port_keyed;
static uint64_t port_count;	/* ports drawn so far */
static uint16_t port_recent[TFTP_PORT_RECENT];

/**
 * A fresh port for a session (RFC 1350's transfer ID, which it says to
 * choose at random): SipHash under the boot's key of a counter and the
 * time-stamp counter now, reduced to our range (a power of two, so
 * without bias), never one of the last TFTP_PORT_RECENT drawn.
 */
static uint16_t new_port(void)
{
	static uint8_t pool[1600];
	uint8_t in[16];
	uint16_t port;

	if (!port_keyed) {
		size_t n = pxe_udp_boot_entropy(pool, sizeof(pool));
		port_key[0] = siphash24(0, 0, pool, n);
		port_key[1] = siphash24(1, 0, pool, n);
		port_keyed = 1;
	}
	for (;;) {
		uint64_t c = ++port_count, tsc = pxe_udp_noise();
		int fresh = 1;

		for (unsigned j = 0; j < 8; j++) {
			in[j] = (uint8_t)(c >> (8 * j));
			in[8 + j] = (uint8_t)(tsc >> (8 * j));
		}
		port = (uint16_t)(TFTP_PORT_FIRST +
				  siphash24(port_key[0], port_key[1], in, 16) %
				  TFTP_PORT_COUNT);
		for (unsigned j = 0; j < TFTP_PORT_RECENT; j++)
			if (port_recent[j] == port)
				fresh = 0;
		if (fresh)
			break;
	}
	port_recent[port_count % TFTP_PORT_RECENT] = port;
	return port;
}

/* --- packets ---------------------------------------------------------------- */

/**
 * Copy the @n bytes at @p, up to the first NUL, into @out (capacity @cap,
 * at least 4) as printable ASCII: other bytes become '?', and a text cut
 * short ends in "...".  Text from the network may hold anything.
 */
static void printable(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0, i;

	for (i = 0; i < n && p[i]; i++) {
		if (o + 1 >= cap) {
			memcpy(out + cap - 4, "...", 3);
			o = cap - 1;
			break;
		}
		out[o++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	}
	out[o] = '\0';
}

/** Send ACK @blk (its low 16 bits) on session @s, noting when. */
static void send_ack(struct tftp_file *t, struct tftp_session *s, uint32_t blk)
{
	uint8_t p[4] = { 0, OP_ACK, (uint8_t)(blk >> 8), (uint8_t)blk };

	pxe_udp_send(t->server, s->lport, s->rport, p, sizeof(p));
	s->sent_blk[blk % TFTP_WINDOW] = blk;
	s->sent_us[blk % TFTP_WINDOW] = clock_us();
}

/** Send an ERROR packet from our port @lport to the server's @rport. */
static void send_error(struct tftp_file *t, uint16_t lport, uint16_t rport,
		       uint8_t code, const char *msg)
{
	uint8_t p[40] = { 0, OP_ERROR, 0, code };
	size_t n = strlen(msg) + 1;

	memcpy(p + 4, msg, n);
	pxe_udp_send(t->server, lport, rport, p, 4 + n);
}

/** Retransmission timeout: smoothed RTT plus four deviations, bounded. */
static uint32_t rto_us(const struct tftp_file *t)
{
	uint32_t rto = t->srtt_us + 2 * t->rttvar_us;

	return rto < RTO_MIN_US ? RTO_MIN_US : rto > RTO_MAX_US ? RTO_MAX_US : rto;
}

/** Fold the round trip @us into the estimate (Jacobson's). */
static void rtt_sample(struct tftp_file *t, uint32_t us)
{
	uint32_t dev = us > t->srtt_us ? us - t->srtt_us : t->srtt_us - us;

	t->rttvar_us = (3 * t->rttvar_us + dev) / 4;
	t->srtt_us = (7 * t->srtt_us + us) / 8;
}

/* --- congestion control ------------------------------------------------------
 *
 * Why: acknowledging ahead makes the server send as fast as our ACKs go
 * out, and a block lost then is a hole that a further session fetches,
 * passing every block before it again.  On a link that loses blocks
 * because it is full (a rack booting at once over one server uplink),
 * sending ahead without backing off and refilling with new sessions
 * multiplies the load until the link collapses, where lock-step TFTP
 * paces itself.  So, as TCP does: only cc.cwnd blocks may be in flight
 * from the server (1: lock-step, one ACK per block received), halved at a
 * loss (at most once per round trip), grown by one block per window of
 * clean blocks (per block below cc.ssthresh), TFTP_PLATEAU times more
 * slowly from one below the window of the last loss on (where the link
 * was full: probed, not run into).  One window for every session and
 * file of the boot: they share the link.
 *
 * A loss is a block known to be lost: one skipped over (the network keeps
 * the order), or one that came so late (TFTP_LATE_US after its ACK) that
 * the server's timer sent it again.  A silence alone is no loss: under a
 * loaded emulator or switch a block may just be slow.
 *
 * Unlike TCP's, our losses are not cheap to repair.  Above a window of 1
 * a lost block is a hole (it was acknowledged before it came): a later
 * session fetches it, passing every block before it again.  In lock-step
 * it need not be: nothing after the last block received was acknowledged,
 * so the server sends it again on its own timer (a second or so: time,
 * no bytes).  Which to pay depends on why blocks are lost, and the client
 * measures it: the share of blocks lost in lock-step and above it (both
 * counts halved now and then, so they follow the link).  When lock-step
 * loses less than a quarter of what wider windows lose (at least
 * TFTP_CC_SAMPLES blocks seen each way), the link is full: the window
 * stays at 1 and a lost block is waited for, except in the first
 * TFTP_PROBE_ZONE blocks of each file's first session, where wider
 * windows are tried again (a hole there costs little).  Otherwise (not
 * known to be full) a lock-step block still missing after two silences is
 * skipped: a hole, as waiting for the server's timer at every loss of a
 * link that loses at random would cost more than one more pass.
 *
 * What this does not do (measured, see the issue notes): a rack of clients
 * whose losses at a window of 1 and above are alike (the others' bursts
 * fill the link either way) is not found full, and its holes, spread over
 * each file, each cost a pass; on dnsmasq, which ignores a repeated ACK,
 * there is no cheaper way to fetch a block again. */
static struct {
	uint32_t cwnd;		/* blocks in flight allowed (1: lock-step) */
	uint32_t ssthresh;	/* slow start below it */
	uint32_t grow;		/* clean blocks since cwnd last grew */
	uint32_t w_loss;	/* the window at the last loss */
	uint64_t loss_us;	/* clock_us of the last loss taken */
	uint32_t blocks[2];	/* blocks received at window 1, wider */
	uint32_t losses[2];	/* losses seen at window 1, wider */
	uint8_t set;
} cc;

void tftp_link_reset(void)
{
	memset(&cc, 0, sizeof(cc));
}

/** The window's state on first use: as wide as we allow, no threshold. */
static void cc_init(void)
{
	if (cc.set)
		return;
	cc.cwnd = TFTP_WINDOW + 1;
	cc.ssthresh = TFTP_WINDOW + 1;
	cc.set = 1;
}

/** True when the link is full rather than lossy (see above). */
static int cc_full(void)
{
	return cc.blocks[0] >= TFTP_CC_SAMPLES &&
	       cc.blocks[1] >= TFTP_CC_SAMPLES &&
	       (uint64_t)cc.losses[0] * 4 * cc.blocks[1] <
	       (uint64_t)cc.losses[1] * cc.blocks[0];
}

int tftp_link_describe(char *buf, size_t cap)
{
	return snprintf(buf, cap, "window %u, link %s: lock-step lost %u of %u blocks, wider windows %u of %u",
			cc.cwnd, cc_full() ? "full" : "not known full",
			cc.losses[0], cc.blocks[0], cc.losses[1], cc.blocks[1]);
}

/** The window for a session whose next block is @k: 1 on a full link,
 * but in the first TFTP_PROBE_ZONE blocks of a file (where a hole costs
 * little) wider ones are tried. */
static uint32_t cc_window(const struct tftp_file *t, uint32_t k)
{
	if (cc_full() && (k > TFTP_PROBE_ZONE || t->filling))
		return 1;
	return cc.cwnd;
}

/** Count block @k of @t (@lost or not) at the window in use. */
static void cc_count(const struct tftp_file *t, uint32_t k, int lost)
{
	unsigned w = cc_window(t, k) > 1;

	cc.blocks[w]++;
	cc.losses[w] += lost;
	if (cc.blocks[w] >= TFTP_CC_MEMORY) {	/* follow the link */
		cc.blocks[w] /= 2;
		cc.losses[w] /= 2;
	}
}

/** Block @k of @t received in order: the window grows (see above). */
static void cc_clean(const struct tftp_file *t, uint32_t k)
{
	cc_count(t, k, 0);
	if (cc_window(t, k) == 1 && cc_full()) {
		cc.cwnd = 2;	/* what the next file's start tries */
		cc.grow = 0;
		return;
	}
	if (cc.cwnd > TFTP_WINDOW)
		return;
	uint32_t per = cc.cwnd + 1 >= cc.w_loss ? TFTP_PLATEAU : 1;
	if (cc.cwnd < cc.ssthresh || ++cc.grow >= cc.cwnd * per) {
		cc.cwnd++;
		cc.grow = 0;
	}
}

/** A loss of block @k was seen at @now: halve the window, once per round
 * trip (the losses of one window are one event). */
static void cc_loss(const struct tftp_file *t, uint32_t k, uint64_t now)
{
	cc_count(t, k, 1);
	if (cc.loss_us &&
	    now - cc.loss_us < t->srtt_us + 4 * t->rttvar_us)
		return;
	cc.loss_us = now;
	cc.w_loss = cc.cwnd;
	cc.ssthresh = cc.cwnd / 2 > 1 ? cc.cwnd / 2 : 1;
	cc.cwnd = cc.ssthresh;
	cc.grow = 0;
}

/** Bytes block @k holds: bs, less in the last one (possibly 0). */
static uint32_t block_len(const struct tftp_file *t, uint32_t k)
{
	uint64_t start = (uint64_t)(k - 1) * t->bs;
	uint64_t left = t->size - start;

	return left < t->bs ? (uint32_t)left : t->bs;
}

/** Keep block @k (@n bytes at @p) for the next read. */
static void cache_put(struct tftp_file *t, uint32_t k, const uint8_t *p,
		      uint32_t n)
{
	unsigned slot = k % TFTP_CACHE;

	t->cache[slot].blk = k;
	t->cache[slot].len = (uint16_t)n;
	memcpy(t->cache[slot].data, p, n);
}

/**
 * Block @k (@n bytes at @p) arrived: copy what @r still misses of it into
 * the destination, and keep it if it reaches past the range.
 */
static void take_block(struct tftp_file *t, struct range *r, uint32_t k,
		       const uint8_t *p, uint32_t n)
{
	uint64_t b0 = (uint64_t)(k - 1) * t->bs, b1 = b0 + n;
	uint64_t end = r->off + r->len;

	if (k >= r->fb && k <= r->lb) {
		uint32_t i = k - r->fb;
		if (r->missing[i >> 3] & (1u << (i & 7))) {
			uint64_t a0 = b0 > r->off ? b0 : r->off;
			uint64_t a1 = b1 < end ? b1 : end;
			if (a1 > a0)
				memcpy(r->dst + (a0 - r->off), p + (a0 - b0),
				       (size_t)(a1 - a0));
			r->missing[i >> 3] &= (uint8_t)~(1u << (i & 7));
			r->nmissing--;
			t->lost += t->filling;
		}
	}
	if (b1 > end && k >= r->lb)
		cache_put(t, k, p, n);
}

/** True when @r still needs block @k. */
static int needed(const struct range *r, uint32_t k)
{
	uint32_t i = k - r->fb;

	return k >= r->fb && k <= r->lb &&
	       (r->missing[i >> 3] & (1u << (i & 7)));
}

/** The first block @r still needs (0 when none). */
static uint32_t first_missing(struct range *r)
{
	if (!r->nmissing)
		return 0;
	while (!needed(r, r->first_missing))
		r->first_missing++;
	return r->first_missing;
}

/**
 * Wait until @deadline (clock_us) for a packet from the server's port of
 * session @s (its transfer ID).  Only that port counts: a packet from
 * another port of the server (a second transfer started by a repeated
 * request, or a forgery) is told "unknown transfer ID" and dropped, an
 * ERROR from another port is dropped unanswered (errors are never
 * answered), and a repeated OACK is ignored.  Returns OP_DATA with the
 * block in *@k (widened from 16 bits around s->acked; packets that would
 * be block 0 or before are dropped) and its data in *@p / *@n; OP_ERROR
 * with the server's code in *@k and its text, made printable, in @text
 * (TEXT_MAX bytes); OP_OACK with the other port in *@k when, the
 * session's request having gone out once, an OACK or DATA block 1 comes
 * from a second port of the server within TFTP_CONFLICT_US of the request
 * (a conflict: see session_start); 0 on timeout.
 */
static int session_recv(struct tftp_file *t, struct tftp_session *s,
			uint64_t deadline, uint32_t *k, const uint8_t **p,
			uint32_t *n, char *text)
{
	const uint8_t *pkt;
	uint32_t ip;
	uint16_t sport, dport;
	int len;

	for (;;) {
		len = pxe_udp_recv_to(s->lport, &pkt, &ip, &sport, &dport);
		if (len < 0) {
			if (clock_us() >= deadline)
				return 0;
			continue;
		}
		if (ip != t->server || len < 4)
			continue;
		if (sport != s->rport) {
			if (get16(pkt) != OP_ERROR)	/* RFC 1350 */
				send_error(t, s->lport, sport, 5, "unknown transfer ID");
			/* One request, one genuine transfer: an OACK or block 1
			 * from a second port means one of the two was forged,
			 * and the one we run may be it (it answered first).
			 * Only while the server's own answer may still come:
			 * later it is flood noise, a stray like any other. */
			if (s->once && clock_us() < s->conflict_until &&
			    (get16(pkt) == OP_OACK ||
					(get16(pkt) == OP_DATA && get16(pkt + 2) == 1))) {
				*k = sport;
				return OP_OACK;
			}
			continue;
		}
		switch (get16(pkt)) {
		case OP_DATA: {
			int32_t d = (int16_t)(uint16_t)(get16(pkt + 2) -
							(uint16_t)s->acked);
			if (d <= 0 && (uint32_t)-d >= s->acked)
				continue;	/* block 0 or before */
			*k = s->acked + (uint32_t)d;
			*p = pkt + 4;
			*n = (uint32_t)len - 4;
			return OP_DATA;
		}
		case OP_ERROR:
			*k = get16(pkt + 2);
			printable(pkt + 4, (size_t)len - 4, text, TEXT_MAX);
			return OP_ERROR;
		default:	/* a repeated OACK: the session is running */
			continue;
		}
	}
}

/**
 * The first NUL in [@p, @end), or NULL.  (Not memchr: SYSLINUX 6.04's
 * libcom32 memchr never moves past the first byte.)
 */
static const uint8_t *find_nul(const uint8_t *p, const uint8_t *end)
{
	for (; p < end; p++)
		if (!*p)
			return p;
	return NULL;
}

/**
 * @s (a NUL-terminated option value) as a decimal number no larger than
 * @max into *@v: digits only, at least one (no sign, space or suffix).
 * Returns 0, or -1 when it is not such a number.
 */
static int parse_decimal(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (*s < '0' || *s > '9' || d > max || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/**
 * Take the value @vl (@val: printable) of OACK option @opt, a count we
 * asked for up to @hi: once (*@have counts), decimal, from @lo to @hi,
 * into *@out.  Returns 0, or -1 with @why (capacity @cap) saying why not.
 */
static int asked_count(const char *opt, const uint8_t *vl, const char *val,
		       uint32_t lo, uint32_t hi, int *have, uint32_t *out,
		       char *why, size_t cap)
{
	uint64_t v;

	if ((*have)++) {
		snprintf(why, cap, "answered with option \"%s\" twice", opt);
		return -1;
	}
	if (parse_decimal((const char *)vl, hi, &v) || v < lo) {
		snprintf(why, cap, "answered with %s \"%s\", not a decimal number from %u to %u (what we asked for)",
			 opt, val, lo, hi);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/**
 * Check the options [@p, @end) of an OACK against our request (RFC 2347:
 * the server may only acknowledge options the client asked for; RFC 2348:
 * blksize from 8 to what we asked, @ask_bs; RFC 2349: tsize, the size in
 * bytes; RFC 7440: windowsize from 1 to the TFTP_WINDOWSIZE asked, if
 * granted): each of tsize and blksize exactly once, windowsize at most
 * once, case aside, with a decimal value in range, nothing else, every
 * string NUL-terminated.  Fills *@size, *@bs and (when granted) *@ws.
 * Returns 0, or -1 with the cause in @why (capacity @cap).
 */
static int oack_check(const uint8_t *p, const uint8_t *end, uint32_t ask_bs,
		      uint64_t *size, uint32_t *bs, uint32_t *ws, char *why,
		      size_t cap)
{
	int have_size = 0, have_bs = 0, have_ws = 0;
	char name[TEXT_MAX], val[TEXT_MAX];

	while (p < end) {
		const uint8_t *nm = p, *vl, *z = find_nul(p, end);
		if (!z || !(vl = z + 1, z = find_nul(vl, end))) {
			printable(nm, (size_t)(end - nm), name, sizeof(name));
			snprintf(why, cap, "answered with option \"%s\" not followed by a value and a NUL",
				 name);
			return -1;
		}
		printable(nm, (size_t)(vl - nm), name, sizeof(name));
		printable(vl, (size_t)(z - vl), val, sizeof(val));
		p = z + 1;
		if (!strcasecmp((const char *)nm, "tsize")) {
			if (have_size++) {
				snprintf(why, cap, "answered with option \"tsize\" twice");
				return -1;
			}
			if (parse_decimal((const char *)vl, TSIZE_MAX, size)) {
				snprintf(why, cap, "answered with tsize \"%s\", not a decimal number of bytes up to %llu",
					 val, TSIZE_MAX);
				return -1;
			}
		} else if (!strcasecmp((const char *)nm, "blksize")) {
			if (asked_count("blksize", vl, val, 8, ask_bs, &have_bs,
					bs, why, cap))
				return -1;
		} else if (!strcasecmp((const char *)nm, "windowsize")) {
			if (asked_count("windowsize", vl, val, 1, TFTP_WINDOWSIZE,
					&have_ws, ws, why, cap))
				return -1;
		} else {
			snprintf(why, cap, "answered with option \"%s\" (\"%s\"), which we did not ask for",
				 name, val);
			return -1;
		}
	}
	if (!have_size || !have_bs) {
		snprintf(why, cap, "answered without the %s",
			 have_size ? "blksize option" :
			 have_bs ? "tsize option" : "tsize and blksize options");
		return -1;
	}
	/* Block numbers are counted in 32 bits. */
	if (*size / *bs >= 0xffffffffu) {
		snprintf(why, cap, "answered with tsize %llu, too large for blocks of %u",
			 (unsigned long long)*size, *bs);
		return -1;
	}
	return 0;
}

/* What the first answer to one read request was (struct answer's kind). */
#define ANS_NONE	0	/* nothing yet */
#define ANS_OACK	1	/* an OACK we can use: size, bs */
#define ANS_ERROR	2	/* an ERROR: code, text */
#define ANS_DATA	3	/* DATA: the server ignores options */
#define ANS_BAD		4	/* an OACK we cannot use: why */

/** One of the two read requests a session start sends, and its answer. */
struct answer {
	uint16_t lport;		/* our port, drawn for this request */
	unsigned sent;		/* requests sent from it */
	uint64_t sent_at;	/* clock_us when the first went out */
	uint8_t kind;		/* ANS_* */
	uint8_t conflict;	/* a second server port answered it */
	uint16_t sport, other;	/* the answering port; the second one */
	uint64_t size;		/* ANS_OACK */
	uint32_t bs;
	uint32_t ws;		/* its windowsize (0: none, RFC 7440 not known) */
	unsigned code;		/* ANS_ERROR */
	char text[TEXT_MAX];
	char why[200];		/* ANS_BAD */
};

/**
 * Note the packet @pkt (@len bytes, at least 4) from the server's port
 * @sport answering request @a.  The first answer is kept.  A later one
 * from the same port is a repeat (ignored); from another port it is a
 * conflict when @a's request went out once (one request, one genuine
 * transfer: the other answer is forged), and a stray second transfer when
 * it was repeated (the server may have heard both: told "unknown transfer
 * ID", like any stray, unless it is an ERROR).  Non-ERROR first answers
 * that will not be used are answered as RFC 2347 says (ERROR 8).
 */
static void answer_note(struct tftp_file *t, struct answer *a,
			const uint8_t *pkt, int len, uint16_t sport)
{
	unsigned op = get16(pkt);

	if (op != OP_OACK && op != OP_ERROR && op != OP_DATA)
		return;
	if (a->kind != ANS_NONE) {
		if (sport == a->sport)
			return;
		if (op != OP_ERROR)
			send_error(t, a->lport, sport, 5, "unknown transfer ID");
		if (a->sent == 1 && !a->conflict) {
			a->conflict = 1;
			a->other = sport;
		}
		return;
	}
	a->sport = sport;
	switch (op) {
	case OP_OACK:
		a->ws = 0;
		if (oack_check(pkt + 2, pkt + len, t->ask_bs, &a->size, &a->bs,
			       &a->ws, a->why, sizeof(a->why))) {
			send_error(t, a->lport, sport, 8, "options refused");
			a->kind = ANS_BAD;
		} else {
			a->kind = ANS_OACK;
		}
		break;
	case OP_ERROR:
		a->code = get16(pkt + 2);
		printable(pkt + 4, (size_t)len - 4, a->text, TEXT_MAX);
		a->kind = ANS_ERROR;
		break;
	default:	/* DATA: no option support, not for us */
		send_error(t, a->lport, sport, 8, "options needed");
		a->kind = ANS_DATA;
		break;
	}
}

/**
 * Send the read request @rrq (@n bytes) from two fresh ports at once,
 * @a[0] first, and collect the answers, reading with any destination
 * port (so neither request's answers are dropped while we wait for the
 * other's) and keeping only packets from the server's address to one of
 * the two ports.  A request still unanswered is sent again with a
 * doubling wait, RRQ_TRIES times in all; and, once the other is answered,
 * sooner: both went out together, so the second answer is late when it
 * has not come within twice the first one's delay and RRQ_QUICK_US more
 * (a lost packet; waiting the whole RRQ_FIRST_US for it made every
 * session start on a lossy link slower).  Such quick repeats, up to
 * RRQ_QUICK of them, count no try.  Returns once both are answered, one
 * of them is in conflict (no need to wait for the other), or the tries
 * are over.
 */
static void request_pair(struct tftp_file *t, const uint8_t *rrq, size_t n,
			 struct answer a[2])
{
	uint32_t wait = RRQ_FIRST_US;
	unsigned tries = 1, quick = 0;

	memset(a, 0, 2 * sizeof(*a));
	a[0].lport = new_port();
	a[1].lport = new_port();
	while (tries <= RRQ_TRIES) {
		uint64_t sent = clock_us(), deadline = sent + wait;
		int shortened = 0;
		for (unsigned i = 0; i < 2; i++)
			if (a[i].kind == ANS_NONE) {
				pxe_udp_send(t->server, a[i].lport, t->port, rrq, n);
				if (!a[i].sent++)
					a[i].sent_at = sent;
			}
		for (;;) {
			const uint8_t *pkt;
			uint32_t ip;
			uint16_t sport, dport;
			int len = pxe_udp_recv_to(0, &pkt, &ip, &sport, &dport);
			if (len < 0) {
				if (clock_us() >= deadline)
					break;
				continue;
			}
			if (ip != t->server || len < 4)
				continue;
			for (unsigned i = 0; i < 2; i++)
				if (dport == a[i].lport)
					answer_note(t, &a[i], pkt, len, sport);
			if (a[0].conflict || a[1].conflict ||
			    (a[0].kind && a[1].kind))
				return;
			if ((a[0].kind || a[1].kind) && !shortened &&
			    quick < RRQ_QUICK) {
				uint64_t now = clock_us();
				uint64_t d = now + 2 * (now - sent) + RRQ_QUICK_US;
				shortened = 1;
				if (d < deadline) {
					deadline = d;
					shortened = 2;
				}
			}
		}
		if (shortened == 2) {
			quick++;
			continue;
		}
		tries++;
		wait *= 2;
	}
}

/** True when answers @x and @y say the same (kind and what it carries). */
static int answers_agree(const struct answer *x, const struct answer *y)
{
	if (x->kind != y->kind)
		return 0;
	switch (x->kind) {
	case ANS_OACK:
		return x->size == y->size && x->bs == y->bs && x->ws == y->ws;
	case ANS_ERROR:
		return x->code == y->code && !strcmp(x->text, y->text);
	case ANS_BAD:
		return !strcmp(x->why, y->why);
	default:
		return 1;
	}
}

/** Tell the server to stop the transfers answering @a (a request we drop). */
static void answer_drop(struct tftp_file *t, const struct answer *a)
{
	if (a->kind == ANS_OACK)
		send_error(t, a->lport, a->sport, 0, "done");
}

/** Describe in @buf (capacity @cap) how the answers @a disagreed. */
static void contest_why(const struct answer a[2], char *buf, size_t cap)
{
	static const char *const kinds[] = { "no answer", "an OACK", "an ERROR",
					     "DATA", "an unusable OACK" };

	for (unsigned i = 0; i < 2; i++)
		if (a[i].conflict) {
			snprintf(buf, cap, "one request answered from ports %u and %u",
				 a[i].sport, a[i].other);
			return;
		}
	if (a[0].kind == ANS_OACK && a[1].kind == ANS_OACK)
		snprintf(buf, cap, "OACKs for %llu bytes in blocks of %u and %llu in %u",
			 (unsigned long long)a[0].size, a[0].bs,
			 (unsigned long long)a[1].size, a[1].bs);
	else
		snprintf(buf, cap, "%s and %s", kinds[a[0].kind], kinds[a[1].kind]);
}

/**
 * Start session @s: a read request with tsize and blksize, sent from two
 * fresh random ports at once (see tftp.h, "Spoofed packets"), and judge
 * the two answers.  Both OACKs with the same options and no conflict:
 * the session is the first request's transfer, the second is ended.  Both
 * refused alike (the same ERROR, DATA without options, the same unusable
 * OACK): the refusal is believed.  One request answered with an OACK and
 * the other silent through all its tries: that OACK (loss, not a forgery:
 * a forged one is exposed by the server's own answer to that port, which
 * comes within the tries).  Anything else is contested: both are dropped
 * and two fresh ports ask again, TFTP_CONTESTS times at most.  Fills
 * *@size and *@bs.  Returns MB_OK, MB_E_NOT_FOUND (an ERROR: its code and
 * text), MB_E_FIRMWARE (no answer, a server without the options or with
 * options we cannot use, ERROR 8 "options refused"), or MB_E_READ
 * (contested every time).
 */
static int session_start(struct tftp_file *t, struct tftp_session *s,
			 uint64_t *size, uint32_t *bs, const char *name,
			 struct mb_error *err)
{
	static const char tail[] = "octet\0tsize\0" "0\0blksize";
	static const char wtail[] = "windowsize\0" TFTP_WINDOWSIZE_TEXT;
	char bs_text[12];
	uint8_t rrq[PXE_UDP_MAX];
	size_t plen = strlen(t->path), n;
	size_t blen = (size_t)snprintf(bs_text, sizeof(bs_text), "%u",
				       t->ask_bs) + 1;
	const uint8_t *srv = (const uint8_t *)&t->server;
	struct answer a[2];
	char why[120];

	memset(s, 0, sizeof(*s));
	if (3 + plen + sizeof(tail) + blen + sizeof(wtail) > sizeof(rrq))
		return mb_fail(err, MB_E_FIRMWARE, "%s: TFTP path too long", name);
	rrq[0] = 0;
	rrq[1] = OP_RRQ;
	memcpy(rrq + 2, t->path, plen + 1);
	memcpy(rrq + 3 + plen, tail, sizeof(tail));
	memcpy(rrq + 3 + plen + sizeof(tail), bs_text, blen);
	n = 3 + plen + sizeof(tail) + blen;
	memcpy(rrq + n, wtail, sizeof(wtail));
	n += sizeof(wtail);

	for (unsigned round = 0; round < TFTP_CONTESTS; round++) {
		request_pair(t, rrq, n, a);
		int lone = !a[0].conflict && !a[1].conflict &&
			   (a[0].kind == ANS_NONE) != (a[1].kind == ANS_NONE);
		const struct answer *w = a[0].kind ? &a[0] : &a[1];

		if (a[0].kind == ANS_NONE && a[1].kind == ANS_NONE &&
		    !a[0].conflict && !a[1].conflict)
			return mb_fail(err, MB_E_FIRMWARE,
				       "%s: no answer from TFTP server %u.%u.%u.%u (%u requests in %u.%u s)",
				       name, srv[0], srv[1], srv[2], srv[3], RRQ_TRIES,
				       (RRQ_FIRST_US * ((1u << RRQ_TRIES) - 1)) / 1000000,
				       (RRQ_FIRST_US * ((1u << RRQ_TRIES) - 1)) / 100000 % 10);
		if ((lone && w->kind == ANS_OACK) ||
		    (!a[0].conflict && !a[1].conflict && answers_agree(&a[0], &a[1]))) {
			switch (w->kind) {
			case ANS_OACK:
				if (w == &a[0])
					answer_drop(t, &a[1]);
				s->lport = w->lport;
				s->rport = w->sport;
				s->once = w->sent == 1;
				s->conflict_until = w->sent_at + TFTP_CONFLICT_US;
				s->resume = 0;	/* the OACK: ACK 0 starts the data */
				s->has_resume = 1;
				s->wsize = w->ws;
				*size = w->size;
				*bs = w->bs;
				return MB_OK;
			case ANS_ERROR:
				if (w->code == 8)	/* RFC 2347: options refused */
					return mb_fail(err, MB_E_FIRMWARE,
						       "%s: TFTP server %u.%u.%u.%u refused the tsize and blksize options (error 8, \"%s\")",
						       name, srv[0], srv[1], srv[2], srv[3], w->text);
				return mb_fail(err, MB_E_NOT_FOUND,
					       "%s: file not found (TFTP server %u.%u.%u.%u: error %u, \"%s\")",
					       name, srv[0], srv[1], srv[2], srv[3],
					       w->code, w->text);
			case ANS_DATA:
				return mb_fail(err, MB_E_FIRMWARE,
					       "%s: TFTP server %u.%u.%u.%u does not offer the tsize and blksize options",
					       name, srv[0], srv[1], srv[2], srv[3]);
			default:
				return mb_fail(err, MB_E_FIRMWARE,
					       "%s: TFTP server %u.%u.%u.%u %s",
					       name, srv[0], srv[1], srv[2], srv[3],
					       w->why);
			}
		}
		/* Contested: neither answer can be trusted. */
		answer_drop(t, &a[0]);
		answer_drop(t, &a[1]);
		contest_why(a, why, sizeof(why));
	}
	return mb_fail(err, MB_E_READ,
		       "%s: forged or inconsistent answers from TFTP server %u.%u.%u.%u: %u times two read requests disagreed (last: %s)",
		       name, srv[0], srv[1], srv[2], srv[3], TFTP_CONTESTS, why);
}

/** End session @s: an ERROR packet unless the server already finished. */
static void session_end(struct tftp_file *t, struct tftp_session *s)
{
	if (s->lport && s->rport && !s->done)
		send_error(t, s->lport, s->rport, 0, "done");
	s->lport = s->rport = 0;
}

/**
 * Check DATA block @k of @n bytes from the transfer's port (the server's
 * own): every block but the last is full, the last one holds what tsize
 * leaves (possibly nothing), and the file ends there.  Returns 0, or
 * MB_E_READ with @err saying what is wrong.
 */
static int data_bad(const struct tftp_file *t, uint32_t k, uint32_t n,
		    const char *name, struct mb_error *err)
{
	if (n > t->bs)
		return mb_fail(err, MB_E_READ,
			       "%s: the TFTP server sent a block of %u bytes, larger than the block size %u",
			       name, n, t->bs);
	if (k > t->nblocks || (k == t->nblocks && n > block_len(t, k)))
		return mb_fail(err, MB_E_READ,
			       "%s: the TFTP server sent more than the %llu bytes its tsize announced",
			       name, (unsigned long long)t->size);
	if (n < block_len(t, k))
		return mb_fail(err, MB_E_READ,
			       "%s: the TFTP server's file ended at byte %llu, short of the %llu bytes its tsize announced",
			       name, (unsigned long long)(k - 1) * t->bs + n,
			       (unsigned long long)t->size);
	return 0;
}

/**
 * What ends a running session, as session_recv() returned it in @op: an
 * ERROR from the server (@k its code, @text its words), an OACK or block
 * 1 from a second server port @k (one of the two transfers is forged), or
 * a DATA block data_bad() refused (@err already says why).  Returns
 * MB_E_READ.
 */
static int answer_fail(const struct tftp_file *t,
		       const struct tftp_session *s, int op, uint32_t k,
		       const char *text, const char *name,
		       struct mb_error *err)
{
	const uint8_t *v = (const uint8_t *)&t->server;

	if (op == OP_ERROR)
		return mb_fail(err, MB_E_READ,
			       "%s: the TFTP server ended the transfer (error %u, \"%s\")",
			       name, k, text);
	if (op == OP_OACK)
		return mb_fail(err, MB_E_READ,
			       "%s: forged TFTP packets: TFTP server %u.%u.%u.%u answered one read request from ports %u and %u",
			       name, v[0], v[1], v[2], v[3], s->rport, k);
	return MB_E_READ;
}

/** The last block session @s may acknowledge for range @r (see below). */
static uint32_t ack_limit(const struct tftp_file *t, struct range *r,
			  int patient)
{
	uint32_t lim = r->lb < t->nblocks ? r->lb - 1 : t->nblocks;
	uint32_t miss = patient ? first_missing(r) : 0;

	return miss && miss - 1 < lim ? miss - 1 : lim;
}

/**
 * Run session @s through range @r.  Acknowledgements run up to
 * TFTP_WINDOW blocks ahead of the last block received, but never past
 * r->lb - 1 (so the server stops having sent r->lb, and the next read can
 * go on from there), nor, when @patient, past the block before the first
 * one still missing (that one is waited for: the server's retransmission).
 * Stops once block r->lb (or a later one) arrived, when a @filler finds
 * nothing missing, at the end of the file, or after TAIL_SILENCES
 * timeouts with everything allowed asked for.  Returns MB_OK or MB_E_READ.
 */
static int session_run(struct tftp_file *t, struct tftp_session *s,
		       struct range *r, int filler, int patient,
		       const char *name, struct mb_error *err)
{
	uint64_t last_rx = clock_us();
	unsigned silences = 0;
	uint32_t top;	/* the highest block acknowledged in this run */

	if (s->has_resume) {
		send_ack(t, s, s->resume);
		s->acked = s->resume;
		s->has_resume = 0;
	}
	top = s->acked;
	while (!s->done && s->seen < r->lb && !(filler && !r->nmissing)) {
		uint32_t lim = ack_limit(t, r, patient), k = 0, n = 0;
		uint32_t wait = rto_us(t) << (silences < 7 ? silences : 7);
		const uint8_t *p = NULL;
		char text[TEXT_MAX];

		/* Once packets were lost, each ACK goes out twice: the copy
		 * is ignored when the first arrived, and keeps the chain
		 * whole when it did not (fewer silences to wait out); the
		 * window shrinks so the copies fit the NIC's transmit ring.
		 * Not to a server that counts ACKs: each copy would bring
		 * one more block, the blocks more ACKs, and the flood fills
		 * the receive queue. */
		int twice = (t->restarts || t->passes) && !t->counts_acks;
		uint32_t window = cc_window(t, s->seen + 1) - 1;	/* ACKs ahead */
		uint32_t ring = twice ? TFTP_WINDOW * 3 / 4 : TFTP_WINDOW;
		if (window > ring)
			window = ring;
		while (s->acked < lim && s->acked < s->seen + window) {
			send_ack(t, s, ++s->acked);
			if (twice)
				send_ack(t, s, s->acked);
		}
		if (s->acked > top)
			top = s->acked;
		if (wait > RTO_MAX_US)
			wait = RTO_MAX_US;
		int op = session_recv(t, s, clock_us() + wait, &k, &p, &n, text);
		uint64_t now = clock_us();

		if (op == OP_ERROR || op == OP_OACK ||
		    (op == OP_DATA && data_bad(t, k, n, name, err)))
			return answer_fail(t, s, op, k, text, name, err);
		if (op == OP_DATA) {
			/* A round trip from the ACK that made the server send
			 * this block, unless that ACK went out twice (Karn). */
			if (!silences && k - 1 > s->resent_to &&
			    s->sent_blk[(k - 1) % TFTP_WINDOW] == k - 1)
				rtt_sample(t, (uint32_t)(now -
					   s->sent_us[(k - 1) % TFTP_WINDOW]));
			/* Block k answers the ACK of k - 1 at the latest
			 * from a server that follows the numbers. */
			if (k > s->acked + 1)
				t->counts_acks = 1;
			/* The window: blocks skipped over were lost (the
			 * network keeps their order); the next one in order is
			 * a clean one. */
			if (k > s->seen + 1 && k - 1 > s->lost_to) {
				cc_loss(t, k - 1, now);
				s->lost_to = k - 1;
				/* Big blocks on a link that loses frames:
				 * each block is several frames, and the
				 * holes cost passes in big blocks.  Early in
				 * the file, starting again with small ones
				 * is cheaper (see tftp_read). */
				if (t->bs > PXE_UDP_MAX - 4 && !filler &&
				    k <= TFTP_BIG_PROBE)
					return SMALLER_BLOCKS;
			} else if (k == s->seen + 1 && k - 1 > s->resent_to &&
				   s->sent_blk[(k - 1) % TFTP_WINDOW] == k - 1 &&
				   now - s->sent_us[(k - 1) % TFTP_WINDOW] >= TFTP_LATE_US) {
				cc_loss(t, k, now);	/* the server's timer */
			} else if (k == s->seen + 1) {
				cc_clean(t, k);
			}
			/* A block we had already is no progress (a server that
			 * no longer takes our ACKs sends its last block again
			 * and again on its timer). */
			if (k > s->seen)
				last_rx = now;
			silences = 0;
			take_block(t, r, k, p, n);
			if (k > s->seen)
				s->seen = k;
			if (k == t->nblocks) {	/* the last block: end it */
				t->ended = 1;
				if (s->acked < k)
					send_ack(t, s, k);
				s->acked = k;
				s->done = 1;
			}
			continue;
		}
		/* Silence: a lost ACK broke the chain, or the DATA at the end
		 * of what we asked for was lost. */
		silences++;
		/* In lock-step nothing after the last block received was
		 * acknowledged: the server sends the next one again on its
		 * own timer.  On a full link that is waited for (see
		 * "congestion control"); not from a server that counts ACKs
		 * (QEMU's slirp has no timer: it sends its next block for our
		 * ACK). */
		int lockstep = cc_full() && s->acked == s->seen &&
			       s->seen < r->lb && !t->counts_acks;
		int waiting = lockstep ||
			      (patient && first_missing(r) == lim + 1);
		uint32_t stall_ms = waiting ? TFTP_STALL_MS : TFTP_SILENT_MS;
		if (now - last_rx > stall_ms * 1000ull)
			return mb_fail(err, MB_E_READ, "%s: no data for %u s",
				       name, stall_ms / 1000);
		/* Everything allowed was asked for: what is still missing
		 * is the next session's.  So also once the ACK of the last
		 * block but one went out (top: the window may since have
		 * shrunk and kept the ACKs after a restart short of it): the
		 * server then sent its last block and may have ended the
		 * transfer (QEMU's slirp forgets it at once and never sends
		 * again), so the blocks lost before it will not come, however
		 * often we ask. */
		int asked_all = s->acked >= lim || top + 1 >= t->nblocks;
		if (asked_all && silences >= TAIL_SILENCES && !waiting)
			break;
		/* Acknowledge again from the last block that arrived up to
		 * the last one acknowledged: the server is waiting for one of
		 * these (it takes only the ACK of the block it sent last), and
		 * will not send again before its timer unless that one comes,
		 * so the chain is sent whole even when the window has shrunk
		 * below it since (the window holds back new ACKs only).  A
		 * server that counts ACKs sends its next block for the first,
		 * so the others are not sent again (each would bring one
		 * block more than the window).  Still silent after the chain
		 * went out again: the server may have taken all of it and
		 * lost the block it sent for the last ACK too; one ACK
		 * further gets it going (making a hole of that block; in
		 * lock-step too, unless the link is full: see above). */
		if (silences >= 2 && !lockstep && s->acked < lim &&
		    !t->counts_acks)
			s->acked++;
		t->restarts++;
		if (s->acked < s->seen)
			s->acked = s->seen;
		s->resent_to = s->acked + TFTP_WINDOW;
		send_ack(t, s, s->seen);
		for (uint32_t b = s->seen + 1; !t->counts_acks && b <= s->acked; b++)
			send_ack(t, s, b);
	}
	if (!s->done && r->lb < t->nblocks) {
		/* The server has sent (or is about to send) the block after
		 * the last one acknowledged (r->lb for the first session): the
		 * next read goes on by acknowledging it.  (Had it arrived
		 * while another session was read, it was dropped: a hole.) */
		s->resume = s->seen > s->acked ? s->seen : s->acked + 1;
		s->has_resume = 1;
	}
	return MB_OK;
}

/**
 * Run session @s, whose server granted RFC 7440's windowsize, through
 * range @r: the server sends s->wsize blocks for each ACK, and we
 * acknowledge the last block of each window.  A block missing (a later
 * one came first) or a silence is answered by acknowledging the last
 * block received in order: the server goes back to the one after it
 * (RFC 7440, section 4), so nothing is left for a later session and no
 * block is fetched by passing others again.  Blocks of the window after a
 * gap are taken where the range needs them (they are the server's, from
 * the transfer's port), and come again.  A block numbered past the
 * window we acknowledged is not taken: the server cannot have sent it.
 * Stops once block r->lb (or a later one) arrived, or at the end of the
 * file; the next read goes on by acknowledging the last block received.
 * Returns MB_OK or MB_E_READ.
 */
static int window_run(struct tftp_file *t, struct tftp_session *s,
		      struct range *r, const char *name, struct mb_error *err)
{
	uint64_t last_rx = clock_us();
	unsigned silences = 0;
	uint32_t back_at = UINT32_MAX;	/* the block we last went back from
					 * (none yet: block 1 may be lost) */

	if (s->has_resume) {
		send_ack(t, s, s->resume);
		s->acked = s->resume;
		s->has_resume = 0;
	}
	while (!s->done && s->seen < r->lb) {
		uint32_t wait = rto_us(t) << (silences < 7 ? silences : 7), k = 0, n = 0;
		const uint8_t *p = NULL;
		char text[TEXT_MAX];

		if (wait > RTO_MAX_US)
			wait = RTO_MAX_US;
		int op = session_recv(t, s, clock_us() + wait, &k, &p, &n, text);
		uint64_t now = clock_us();

		/* Not sent for the ACKs we sent, or a block we have: not
		 * looked at (a block past the window is no block of ours). */
		if (op == OP_DATA && (k > s->acked + s->wsize || k <= s->seen))
			continue;
		if (op == OP_ERROR || op == OP_OACK ||
		    (op == OP_DATA && data_bad(t, k, n, name, err)))
			return answer_fail(t, s, op, k, text, name, err);
		if (op == OP_DATA) {
			take_block(t, r, k, p, n);
			if (k > s->seen + 1) {
				/* A gap: go back once per block missing; big
				 * blocks lost early: small ones (tftp_read). */
				cc_loss(t, s->seen + 1, now);
				if (t->bs > PXE_UDP_MAX - 4 && k <= TFTP_BIG_PROBE)
					return SMALLER_BLOCKS;
				if (back_at != s->seen) {
					back_at = s->seen;
					t->restarts++;
					send_ack(t, s, s->seen);
					s->acked = s->seen;
				}
				continue;
			}
			/* A round trip: the ACK of the window before to
			 * this window's first block, unless that ACK went
			 * out again (Karn). */
			if (k == s->acked + 1 && !silences &&
			    back_at != s->acked &&
			    s->sent_blk[s->acked % TFTP_WINDOW] == s->acked)
				rtt_sample(t, (uint32_t)(now -
					   s->sent_us[s->acked % TFTP_WINDOW]));
			s->seen = k;
			last_rx = now;
			silences = 0;
			if (k == t->nblocks) {	/* the last block: end it */
				t->ended = 1;
				send_ack(t, s, k);
				s->acked = k;
				s->done = 1;
			} else if (k == s->acked + s->wsize && k < r->lb) {
				send_ack(t, s, k);	/* the next window */
				s->acked = k;
			}
			continue;
		}
		/* Silence: the window's last block or our ACK was lost. */
		silences++;
		cc_loss(t, s->seen + 1, now);
		if (t->bs > PXE_UDP_MAX - 4 && s->seen < TFTP_BIG_PROBE)
			return SMALLER_BLOCKS;
		if (now - last_rx > TFTP_SILENT_MS * 1000ull)
			return mb_fail(err, MB_E_READ, "%s: no data for %u s",
				       name, TFTP_SILENT_MS / 1000);
		t->restarts++;
		back_at = s->seen;
		send_ack(t, s, s->seen);
		s->acked = s->seen;
	}
	if (!s->done && r->lb < t->nblocks) {
		s->resume = s->seen;
		s->has_resume = 1;
	}
	return MB_OK;
}

/** Run session @s through range @r as its server allows (see above). */
static int run(struct tftp_file *t, struct tftp_session *s, struct range *r,
	       int filler, int patient, const char *name, struct mb_error *err)
{
	if (s->wsize)
		return window_run(t, s, r, name, err);
	return session_run(t, s, r, filler, patient, name, err);
}

int tftp_open(struct tftp_file *t, uint32_t server, uint16_t port,
	      const char *path, const char *name, struct mb_error *err)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (!pxe_udp_available())
		return mb_fail(err, MB_E_FIRMWARE,
			       "%s: the PXE UDP API is not usable", name);
	if (strlen(path) >= sizeof(t->path))
		return mb_fail(err, MB_E_FIRMWARE, "%s: TFTP path too long",
			       name);
	strcpy(t->path, path);
	t->server = server;
	t->port = port;
	t->srtt_us = RTT_FIRST_US;
	t->rttvar_us = RTT_FIRST_US;
	cc_init();
	t->ask_bs = TFTP_BLKSIZE;
	if (pxe_udp_max() >= TFTP_BLKSIZE_BIG + 4 && !cc.losses[0] &&
	    !cc.losses[1])
		t->ask_bs = TFTP_BLKSIZE_BIG;
	rc = session_start(t, &t->first, &t->size, &t->bs, name, err);
	if (rc)
		return rc;
	t->nblocks = (uint32_t)(t->size / t->bs) + 1;
	return MB_OK;
}

/**
 * Open a further session @f of the file: the server must offer the same
 * size and block size.  Returns MB_OK or MB_E_READ.
 */
static int start_filler(struct tftp_file *t, struct tftp_session *f,
			const char *name, struct mb_error *err)
{
	uint64_t size;
	uint32_t bs;
	int rc = session_start(t, f, &size, &bs, name, err);

	if (rc) {	/* the server was there a moment ago */
		if (err)
			err->code = MB_E_READ;
		return MB_E_READ;
	}
	if (size != t->size || bs != t->bs) {
		session_end(t, f);
		return mb_fail(err, MB_E_READ,
			       "%s: the TFTP server now offers %llu bytes in blocks of %u, was %llu in %u",
			       name, (unsigned long long)size, bs,
			       (unsigned long long)t->size, t->bs);
	}
	t->passes++;
	return MB_OK;
}

/**
 * Start file @t again with blocks of TFTP_BLKSIZE: its first session lost
 * one of its first TFTP_BIG_PROBE big blocks.  What was read stays where
 * it is (the same bytes arrive again); the blocks kept past the last read
 * are dropped (numbered in the old size).  The server must offer the same
 * size.  Returns MB_OK or MB_E_READ.
 */
static int restart_small(struct tftp_file *t, const char *name,
			 struct mb_error *err)
{
	uint64_t size;
	uint32_t bs;
	int rc;

	session_end(t, &t->first);
	memset(t->cache, 0, sizeof(t->cache));
	t->ask_bs = TFTP_BLKSIZE;
	t->ended = 0;
	rc = session_start(t, &t->first, &size, &bs, name, err);
	if (rc) {
		if (err)
			err->code = MB_E_READ;
		return MB_E_READ;
	}
	if (size != t->size) {
		session_end(t, &t->first);
		return mb_fail(err, MB_E_READ,
			       "%s: the TFTP server now offers %llu bytes in blocks of %u, was %llu in %u",
			       name, (unsigned long long)size, bs,
			       (unsigned long long)t->size, t->bs);
	}
	t->bs = bs;
	t->nblocks = (uint32_t)(t->size / t->bs) + 1;
	t->smaller = 1;
	return MB_OK;
}

int tftp_read(struct tftp_file *t, void *dst, size_t len, size_t *got,
	      const char *name, struct mb_error *err)
{
	struct range r;
	int rc = MB_OK;

	*got = 0;
	if (!len)
		return MB_OK;
	r.off = t->pos < t->size ? t->pos : t->size;
	if (len > t->size - r.off)
		len = (size_t)(t->size - r.off);
	if (!len && t->ended)
		return MB_OK;	/* at the end, and the server said so */
	r.dst = dst;
	r.len = len;
	r.fb = (uint32_t)(r.off / t->bs) + 1;
	/* A read that reaches the end of the file ends with the server's last
	 * block, the short one: tsize only announces where that should be. */
	r.lb = r.off + len == t->size ? t->nblocks :
	       (uint32_t)((r.off + len - 1) / t->bs) + 1;
	r.nmissing = r.lb - r.fb + 1;
	r.first_missing = r.fb;
	r.missing = malloc(r.nmissing / 8 + 1);
	if (!r.missing)
		return mb_fail(err, MB_E_NO_MEMORY,
			       "%s: no memory for a %u-block TFTP read", name,
			       r.nmissing);
	memset(r.missing, 0xff, r.nmissing / 8 + 1);
	for (unsigned i = 0; i < TFTP_CACHE; i++)
		if (t->cache[i].blk >= r.fb && t->cache[i].blk <= r.lb)
			take_block(t, &r, t->cache[i].blk, t->cache[i].data,
				   t->cache[i].len);
	/* The empty last block, already seen, brings nothing to copy. */
	if (t->ended && !block_len(t, t->nblocks) && needed(&r, t->nblocks))
		take_block(t, &r, t->nblocks, NULL, 0);

	if (r.nmissing && t->first.lport && !t->first.done)
		rc = run(t, &t->first, &r, 0, 0, name, err);
	if (rc == SMALLER_BLOCKS) {
		free(r.missing);
		rc = restart_small(t, name, err);
		return rc ? rc : tftp_read(t, dst, len, got, name, err);
	}
	for (unsigned pass = 1; !rc && r.nmissing && pass < TFTP_PASSES; pass++) {
		struct tftp_session *f = &t->fill[pass - 1];
		/* A session still open goes on if the server has not yet
		 * sent it the first block missing (it sends each block once,
		 * after the ACK of the one before; a block sent while the
		 * session waited was dropped). */
		uint32_t next = f->has_resume ? f->resume + 1 : f->acked + 1;
		int reused = f->lport && !f->done && next <= first_missing(&r);

		for (;;) {
			if (!reused) {
				session_end(t, f);
				rc = start_filler(t, f, name, err);
				if (rc)
					break;
			}
			uint32_t seen = f->seen;
			t->filling = 1;
			rc = run(t, f, &r, 1, pass == TFTP_PASSES - 1, name,
				 err);
			t->filling = 0;
			/* A session that had waited and now brings nothing
			 * has died meanwhile (the server forgot it): anew. */
			if (!reused || (!rc && (f->seen != seen || !r.nmissing)))
				break;
			reused = 0;
			rc = MB_OK;
		}
	}
	if (!rc && r.nmissing)
		rc = mb_fail(err, MB_E_READ,
			     "%s: %u blocks still missing after %u TFTP sessions",
			     name, r.nmissing, TFTP_PASSES);
	free(r.missing);
	if (rc)
		return rc;
	t->pos += len;
	*got = len;
	return MB_OK;
}

void tftp_close(struct tftp_file *t)
{
	session_end(t, &t->first);
	for (unsigned i = 0; i < TFTP_PASSES - 1; i++)
		session_end(t, &t->fill[i]);
}
