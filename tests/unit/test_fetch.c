/*
 * test_fetch.c - the fetch layer (com32/fetch.c, fetch_retry.c,
 * fetch_tftp.c with mboot's TFTP client com32/tftp.c) on the host, for
 * what the README and the manual page say about it:
 *
 *  - a retry opens the file again and the server sends it from its first
 *    byte again (TFTP has no way to start in the middle; iPXE's file API
 *    offers none): the bytes already handed on are transferred again and
 *    dropped, so each is handed on (and hashed) once;
 *  - where a module's bytes are written: a module read in one piece over
 *    TFTP is written into place by the TFTP client block by block; a
 *    failed read is handed on as nothing, so after a retry every byte of
 *    it is written into place a second time; reads under 1 MiB go through
 *    the 1 MiB read-ahead buffer and are copied into place once from it;
 *  - when -sha256 hashes: per piece handed on, so a module read in one
 *    piece over TFTP is hashed after its last block has arrived;
 *  - -quiet (FETCH_SILENT) prints no retry line and no fallback line.
 *
 * The sources are compiled in as they are.  Here are what they call: a
 * simulated TFTP server (no loss; it can be stopped after a number of
 * DATA packets and comes back, as a restarted dnsmasq, knowing no
 * transfer), a fake iPXE file API (no seek, 64 KiB reads like
 * fetch_ipxe.c's, one failure at a given offset), a simulated clock.
 * memcpy is counted per destination byte, printf is captured.
 *
 * Prints "ok/FAIL" lines and "fetch: N passed, M failed".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../lib/error.h"	/* before printf is redefined below */
#include "../../lib/format.h"
#include "../../lib/sha256.h"

/* --- what is measured ------------------------------------------------------ */

static uint8_t *watch;		/* the destination buffer being watched */
static size_t watch_len;
static uint8_t *writes;		/* per byte of it: times written */
static unsigned watch_calls;	/* memcpy calls into it */

/** memcpy that counts every byte it writes into the watched buffer. */
static void *counted_memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;

	if (watch && n && p < watch + watch_len && p + n > watch) {
		size_t a = p > watch ? (size_t)(p - watch) : 0;
		size_t b = (size_t)(p + n - watch);
		if (b > watch_len)
			b = watch_len;
		for (size_t i = a; i < b; i++)
			if (writes[i] < 255)
				writes[i]++;
		watch_calls++;
	}
	return memcpy(d, s, n);
}

static char out[65536];		/* what the code under test printed */
static size_t out_len;

/** printf of the code under test: into out[]. */
static int captured_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_len += (size_t)n < sizeof(out) - out_len ?
			   (size_t)n : sizeof(out) - out_len - 1;
	return n;
}

static unsigned hash_calls;	/* mb_sha256_update calls */
static size_t hash_bytes;	/* bytes they hashed */
static int hash_before_end;	/* one came before the server sent the last
				 * block */
static int server_sent_last;	/* the simulated server sent the last block */

/** mb_sha256_update as fetch.c calls it: counted, then done. */
static void counted_sha256_update(struct mb_sha256 *s, const void *p,
				  size_t n)
{
	hash_calls++;
	hash_bytes += n;
	if (!server_sent_last)
		hash_before_end = 1;
	mb_sha256_update(s, p, n);
}

/* Both the PXE UDP port call of the committed tftp.c and those of its
 * successor (ports keyed by boot entropy) are provided below. */
uint16_t pxe_udp_new_port(void);
size_t pxe_udp_boot_entropy(uint8_t *buf, size_t cap);
uint64_t pxe_udp_noise(void);

#define memcpy counted_memcpy
#define printf captured_printf
#define mb_sha256_update counted_sha256_update
#include "../../com32/tftp.c"
#include "../../com32/fetch_tftp.c"
#include "../../com32/fetch_retry.c"
#include "../../com32/fetch.c"
#undef memcpy
#undef printf
#undef mb_sha256_update

/* --- the simulated clock and TFTP server ------------------------------------ */

#define SERVER_IP	0x0100a8c0u	/* 192.168.0.1, network order */
#define LATENCY_US	150u
#define COST_US		20u
#define QMAX		4096

static uint64_t now_us;
static const uint8_t *file;	/* what the server serves */
static size_t file_size;
static long dies_after = -1;	/* DATA packets until it stops (-1: never) */
static uint64_t back_at;	/* when a stopped server is back */
static int stopped;
static int answers = 1;		/* 0: no answer at all (no TFTP server) */
static unsigned rrqs;		/* read requests it accepted */
static unsigned long data_sent;	/* DATA packets sent */
static unsigned long block1_sent;	/* ... of them block 1 */
static uint32_t forge_at;	/* when the server sends this block (once),
				   an attacker's OACK and DATA 1 follow it */

static struct spkt {
	uint64_t ready;
	uint16_t sport, dport, len;
	uint8_t data[1500];
} q[QMAX];
static unsigned qh, qn;

static struct sxfer {
	int live;
	uint16_t cport, sport;
	uint32_t s, nblocks;	/* last block sent (0: the OACK) */
} xf[64];
static uint16_t next_sport = 2000;

/** Queue a packet from the server's @sport to the client's @dport. */
static void srv_send(uint16_t sport, uint16_t dport, const uint8_t *p,
		     size_t n)
{
	if (qn == QMAX)
		return;
	struct spkt *k = &q[(qh + qn++) % QMAX];
	k->ready = now_us + LATENCY_US;
	k->sport = sport;
	k->dport = dport;
	k->len = (uint16_t)n;
	memcpy(k->data, p, n);
}

/** Send what transfer @x is at: the OACK, or DATA block x->s. */
static void srv_current(struct sxfer *x)
{
	uint8_t b[1500];

	if (x->s == 0) {
		int n = sprintf((char *)b + 2, "tsize%c%zu%cblksize%c%u", 0,
				file_size, 0, 0, TFTP_BLKSIZE);
		b[0] = 0;
		b[1] = OP_OACK;
		srv_send(x->sport, x->cport, b, 2 + (size_t)n + 1);
		return;
	}
	if (dies_after >= 0 && (long)data_sent >= dies_after) {
		stopped = 1;	/* killed: every transfer forgotten */
		dies_after = -1;
		memset(xf, 0, sizeof(xf));
		return;
	}
	uint64_t off = (uint64_t)(x->s - 1) * TFTP_BLKSIZE;
	size_t n = off >= file_size ? 0 : file_size - off < TFTP_BLKSIZE ?
		   file_size - off : TFTP_BLKSIZE;
	b[0] = 0;
	b[1] = OP_DATA;
	b[2] = (uint8_t)(x->s >> 8);
	b[3] = (uint8_t)x->s;
	memcpy(b + 4, file + off, n);
	if (forge_at && x->s == forge_at) {
		/* A forgery from another port of the server's address, to
		 * the transfer's port: an OACK (the true size) and block 1 of
		 * other bytes. */
		uint8_t o[64], d[4 + 100] = { 0, OP_DATA, 0, 1 };
		int on = sprintf((char *)o + 2, "tsize%c%zu%cblksize%c%u", 0,
				 file_size, 0, 0, TFTP_BLKSIZE) + 1;
		o[0] = 0;
		o[1] = OP_OACK;
		memset(d + 4, 'X', 100);
		forge_at = 0;
		srv_send(4444, x->cport, o, 2 + (size_t)on);
		srv_send(4444, x->cport, d, sizeof(d));
	}
	data_sent++;
	block1_sent += x->s == 1;
	if (x->s == x->nblocks)
		server_sent_last = 1;
	srv_send(x->sport, x->cport, b, 4 + n);
}

/** A packet from the client's @cport to the server's @dport. */
static void srv_receive(uint16_t cport, uint16_t dport, const uint8_t *p)
{
	if (stopped && now_us >= back_at)
		stopped = 0;	/* restarted */
	if (stopped || !answers)
		return;
	if (dport == 69 && get16(p) == OP_RRQ) {
		for (unsigned i = 0; i < 64; i++)
			if (!xf[i].live) {
				xf[i] = (struct sxfer){ 1, cport, next_sport++, 0,
					(uint32_t)(file_size / TFTP_BLKSIZE) + 1 };
				rrqs++;
				srv_current(&xf[i]);
				return;
			}
		return;
	}
	for (unsigned i = 0; i < 64; i++) {
		struct sxfer *x = &xf[i];
		if (!x->live || x->sport != dport || x->cport != cport)
			continue;
		if (get16(p) == OP_ERROR)
			x->live = 0;
		else if (get16(p) == OP_ACK && get16(p + 2) == (uint16_t)x->s) {
			if (x->s == x->nblocks) {
				x->live = 0;
				return;
			}
			x->s++;
			srv_current(x);
		}
		return;
	}
}

/** Start a fresh server serving @f (@n bytes). */
static void srv_reset(const uint8_t *f, size_t n)
{
	file = f;
	file_size = n;
	dies_after = -1;
	stopped = 0;
	answers = 1;
	rrqs = 0;
	data_sent = block1_sent = 0;
	server_sent_last = 0;
	qh = qn = 0;
	memset(xf, 0, sizeof(xf));
	forge_at = 0;
}

uint64_t clock_us(void)
{
	return ++now_us;
}

/** PXELINUX's times(): milliseconds; here the simulated clock. */
clock_t times(struct tms *buf)
{
	(void)buf;
	now_us += 1000;
	return (clock_t)(now_us / 1000);
}

static int udp_on = 1;		/* the PXE UDP API is there */

int pxe_udp_available(void)
{
	return udp_on;
}

size_t pxe_udp_max(void)
{
	return PXE_UDP_MAX;	/* a plain PXE stack: 1408-byte blocks */
}

uint16_t pxe_udp_new_port(void)
{
	static uint16_t port = 60000;
	return port++;
}

/** Fixed "entropy": the simulation is deterministic. */
size_t pxe_udp_boot_entropy(uint8_t *buf, size_t cap)
{
	for (size_t i = 0; i < cap; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	return cap;
}

/** The simulated clock as the time-stamp counter. */
uint64_t pxe_udp_noise(void)
{
	return now_us;
}

int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len)
{
	(void)len;
	now_us += COST_US;
	if (ip == SERVER_IP)
		srv_receive(sport, dport, data);
	return 0;
}

int pxe_udp_recv_to(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		    uint16_t *sport, uint16_t *to)
{
	static uint8_t buf[1500];

	now_us += COST_US;
	if (!qn || q[qh].ready > now_us)
		return -1;
	struct spkt *k = &q[qh];
	qh = (qh + 1) % QMAX;
	qn--;
	if (dport && k->dport != dport)
		return -1;
	memcpy(buf, k->data, k->len);
	*data = buf;
	*src_ip = SERVER_IP;
	*sport = k->sport;
	*to = k->dport;
	return k->len;
}

/** As fetch_ipxe.c: the tftp:// URL of a plain name on the server. */
int fetch_make_url(const char *name, char *url)
{
	snprintf(url, 1024, "tftp://192.168.0.1/%s", name);
	return 0;
}

/* --- a fake iPXE file API: no seek, 64 KiB reads ------------------------------ */

static int ipxe_on;		/* fetch_ipxe_available() */
static int ipxe_open_fails;	/* open fails as "cannot open it" */
static uint64_t ipxe_fail_at = ~0ull;	/* one read error at this offset */
static unsigned ipxe_opens;
static uint64_t ipxe_served;	/* bytes handed out over all opens */

int fetch_ipxe_available(void)
{
	return ipxe_on;
}

/** Open: the whole served file, from its first byte. */
static int fi_open(struct fetch *f, const char *name, struct mb_error *err)
{
	if (ipxe_open_fails)
		return mb_fail(err, MB_E_FIRMWARE,
			       "%s: iPXE cannot open it (PXE status 0x03)", name);
	ipxe_opens++;
	f->size = file_size;
	f->handle = 0;		/* position */
	return MB_OK;
}

/** Read up to 64 KiB; fails once on reaching ipxe_fail_at. */
static int fi_read(struct fetch *f, void *dst, size_t len, size_t *got,
		   struct mb_error *err)
{
	uint64_t pos = f->handle;

	if (len > 65536)
		len = 65536;
	if (pos + len > file_size)
		len = (size_t)(file_size - pos);
	if (pos <= ipxe_fail_at && pos + len > ipxe_fail_at) {
		if (pos == ipxe_fail_at) {
			ipxe_fail_at = ~0ull;
			return mb_fail(err, MB_E_READ, "%s: no data for 10 s",
				       f->name);
		}
		len = (size_t)(ipxe_fail_at - pos);
	}
	counted_memcpy(dst, file + pos, len);
	f->handle = (uint32_t)(pos + len);
	ipxe_served += len;
	*got = len;
	return MB_OK;
}

static void fi_close(struct fetch *f)
{
	(void)f;
}

const struct fetch_ops fetch_ipxe_ops = {
	.name = "iPXE", .open = fi_open, .read = fi_read, .close = fi_close,
};

/** PXELINUX's file layer: never reached here but by the fallback test. */
static int fp_open(struct fetch *f, const char *name, struct mb_error *err)
{
	(void)f;
	return mb_fail(err, MB_E_NOT_FOUND, "%s: file not found (test)", name);
}

const struct fetch_ops fetch_pxelinux_ops = {
	.name = "PXELINUX", .open = fp_open, .read = fi_read, .close = fi_close,
};

/* --- the cases ---------------------------------------------------------------- */

static unsigned passed, failed;

/** Report one check. */
static void check(int ok, const char *what, const char *fmt, ...)
{
	char detail[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (ok) {
		passed++;
		printf("ok   %s\n", what);
	} else {
		failed++;
		printf("FAIL %s: %s\n", what, detail);
	}
}

/** @n bytes of a fixed pattern (malloc()ed). */
static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *p = malloc(n);

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((i + seed) * 2654435761u >> 13);
	return p;
}

/** Start watching writes into @dst (@n bytes), clear the counters. */
static void watch_start(uint8_t *dst, size_t n)
{
	free(writes);
	writes = calloc(1, n);
	watch = dst;
	watch_len = n;
	watch_calls = 0;
	out_len = 0;
	out[0] = '\0';
	hash_calls = 0;
	hash_bytes = 0;
	hash_before_end = 0;
}

/** Times each byte in [a, b) of the watched buffer was written: the
 * smallest and largest. */
static void write_range(size_t a, size_t b, unsigned *lo, unsigned *hi)
{
	*lo = 255;
	*hi = 0;
	for (size_t i = a; i < b; i++) {
		if (writes[i] < *lo)
			*lo = writes[i];
		if (writes[i] > *hi)
			*hi = writes[i];
	}
}

/**
 * Read @name (@n bytes served) with @flags into a buffer in one
 * fetch_read, or in @piece-byte fetch_reads when @piece is not 0, with a
 * SHA-256 expected (the right one).  Returns the fetch_verify() verdict.
 */
static int read_file(const char *name, const uint8_t *data, size_t n,
		     size_t piece, unsigned flags, uint8_t *dst,
		     struct mb_error *err)
{
	static uint8_t want[MB_SHA256_SIZE];
	struct mb_sha256 s;
	struct fetch f;
	size_t have = 0, got;
	int rc;

	mb_sha256_init(&s);
	mb_sha256_update(&s, data, n);
	mb_sha256_final(&s, want);
	rc = fetch_open(&f, name, flags, err);
	if (rc)
		return rc;
	fetch_expect_sha256(&f, want);
	while (!rc && have < n) {
		size_t len = piece ? (n - have < piece ? n - have : piece) : n;
		rc = fetch_read(&f, dst + have, len, &got, err);
		if (!rc && !got)
			break;
		have += got;
	}
	if (!rc)
		rc = fetch_verify(&f, err);
	fetch_close(&f);
	return rc;
}

/**
 * A module read into place in one fetch_read over mboot's TFTP client
 * (what fetch_into_place does for a module of 1 MiB or more), the server
 * killed after @kill DATA packets and back 2 s later.
 */
static void tftp_whole_retry(void)
{
	const size_t n = 3u << 20;
	const long kill = 1000;		/* blocks, 1408000 bytes */
	uint8_t *data = pattern(n, 1), *dst = calloc(1, n);
	struct mb_error err = { 0 };
	unsigned lo, hi;

	udp_on = 1;
	ipxe_on = 0;
	srv_reset(data, n);
	dies_after = kill;
	back_at = now_us + 2000000;
	watch_start(dst, n);
	int rc = read_file("whole.bin", data, n, 0, 0, dst, &err);
	watch = NULL;
	check(!rc && !memcmp(dst, data, n),
	      "TFTP, one read, server killed mid-file: byte-exact, SHA-256 right",
	      "rc %d: %s", rc, err.msg);
	check(strstr(out, "mboot: whole.bin: no data for 5 s at byte 0 of 3145728 (TFTP, PXE UDP); retry 1 of 5 in 0.5 s\n") != NULL,
	      "TFTP, one read: the retry line says byte 0 (a module is handed on whole)",
	      "printed: %s", out);
	/* Two read requests per open (tftp.h: at once, from two ports). */
	check(rrqs == 4 && block1_sent == 2 && data_sent >= (unsigned long)kill + n / TFTP_BLKSIZE + 1,
	      "TFTP retry: a second read request, the file sent again from block 1",
	      "%u read requests, block 1 sent %lu times, %lu DATA packets",
	      rrqs, block1_sent, data_sent);
	size_t cut = (size_t)kill * TFTP_BLKSIZE;
	write_range(0, cut, &lo, &hi);
	check(lo == 2 && hi == 2,
	      "TFTP, one read, after a retry: every byte before the failure written into place twice",
	      "written %u-%u times", lo, hi);
	write_range(cut, n, &lo, &hi);
	check(lo == 1 && hi == 1,
	      "TFTP, one read: every byte after the failure written into place once",
	      "written %u-%u times", lo, hi);
	check(hash_calls == 1 && hash_bytes == n && !hash_before_end,
	      "TFTP, one read: hashed once, after the server sent the last block",
	      "%u calls, %zu bytes, %s", hash_calls, hash_bytes,
	      hash_before_end ? "one before the end" : "");
	free(data);
	free(dst);
}

/**
 * A module read in one fetch_read over mboot's TFTP client while an
 * attacker's OACK and DATA 1 reach the transfer's port from another port
 * of the server (tftp.h: a conflict): the read fails without taking those
 * bytes, the fetch layer opens the file again (two more read requests)
 * and the bytes read are the server's, SHA-256 right.
 */
static void tftp_forged_retry(void)
{
	const size_t n = 1u << 20;
	uint8_t *data = pattern(n, 3), *dst = calloc(1, n);
	struct mb_error err = { 0 };

	udp_on = 1;
	ipxe_on = 0;
	srv_reset(data, n);
	forge_at = 100;
	out_len = 0;
	out[0] = '\0';
	int rc = read_file("forged.bin", data, n, 0, 0, dst, &err);
	check(!rc && !memcmp(dst, data, n),
	      "TFTP, forged OACK + DATA 1 from another server port mid-file: retried, the server's bytes, SHA-256 right",
	      "rc %d: %s", rc, err.msg);
	check(strstr(out, "mboot: forged.bin: forged TFTP packets: TFTP server 192.168.0.1 answered one read request from ports ") &&
	      strstr(out, " and 4444 at byte 0 of 1048576 (TFTP, PXE UDP); retry 1 of 5 in 0.5 s\n") && rrqs == 4,
	      "TFTP, forged packets: the retry line names them; the file opened again (4 read requests)",
	      "%u read requests, printed: %s", rrqs, out);
	free(data);
	free(dst);
}

/**
 * The same server failure while a file is read in 64 KiB pieces over
 * TFTP (the kernel's streaming read): the pieces go through the read-
 * ahead buffer, the retry resumes at the first byte not yet handed on.
 */
static void tftp_pieces_retry(void)
{
	const size_t n = 3u << 20;
	const long kill = 1000;		/* 1408000 bytes: in the 2nd MiB */
	uint8_t *data = pattern(n, 2), *dst = calloc(1, n);
	struct mb_error err = { 0 };
	unsigned lo, hi;

	srv_reset(data, n);
	dies_after = kill;
	back_at = now_us + 2000000;
	watch_start(dst, n);
	int rc = read_file("pieces.bin", data, n, 65536, 0, dst, &err);
	watch = NULL;
	check(!rc && !memcmp(dst, data, n),
	      "TFTP, 64 KiB pieces, server killed mid-file: byte-exact, SHA-256 right",
	      "rc %d: %s", rc, err.msg);
	check(strstr(out, "mboot: pieces.bin: no data for 5 s at byte 1048576 of 3145728 (TFTP, PXE UDP); retry 1 of 5 in 0.5 s\n") != NULL,
	      "TFTP pieces: the retry resumes at the first byte not handed on (the read-ahead buffer's start, 1048576)",
	      "printed: %s", out);
	check(rrqs == 4 && block1_sent == 2,
	      "TFTP pieces retry: a second read request, sent from block 1 again",
	      "%u read requests, block 1 sent %lu times", rrqs, block1_sent);
	write_range(0, n, &lo, &hi);
	check(lo == 1 && hi == 1 && watch_calls == n / 65536,
	      "TFTP pieces: every byte written once, one copy per piece out of the read-ahead buffer",
	      "written %u-%u times in %u copies", lo, hi, watch_calls);
	check(hash_calls == n / 65536 && hash_bytes == n,
	      "TFTP pieces: hashed piece by piece",
	      "%u calls, %zu bytes", hash_calls, hash_bytes);
	free(data);
	free(dst);
}

/**
 * Modules under 1 MiB over TFTP: one copy into place from the read-ahead
 * buffer; 1 MiB and more: written into place by the client, block by
 * block.
 */
static void tftp_readahead(void)
{
	const size_t small = 300000, big = 1u << 20;
	uint8_t *data = pattern(big, 3), *dst = calloc(1, big);
	struct mb_error err = { 0 };
	unsigned lo, hi;

	srv_reset(data, small);
	watch_start(dst, small);
	int rc = read_file("small.bin", data, small, 0, 0, dst, &err);
	watch = NULL;
	write_range(0, small, &lo, &hi);
	check(!rc && !memcmp(dst, data, small) && lo == 1 && hi == 1 &&
	      watch_calls == 1,
	      "TFTP, module under 1 MiB: one copy into place, from the read-ahead buffer",
	      "rc %d (%s), written %u-%u times in %u copies", rc, err.msg, lo,
	      hi, watch_calls);
	srv_reset(data, big);
	watch_start(dst, big);
	rc = read_file("big.bin", data, big, 0, 0, dst, &err);
	watch = NULL;
	write_range(0, big, &lo, &hi);
	unsigned blocks = (unsigned)(big / TFTP_BLKSIZE + 1);
	check(!rc && !memcmp(dst, data, big) && lo == 1 && hi == 1 &&
	      watch_calls == blocks,
	      "TFTP, module of 1 MiB: written into place by the TFTP client, one copy per block",
	      "rc %d (%s), written %u-%u times in %u copies (%u blocks)", rc,
	      err.msg, lo, hi, watch_calls, blocks);
	free(data);
	free(dst);
}

/**
 * The iPXE file API cannot seek: a retry re-opens, reads the bytes
 * already handed on again into a scratch buffer, and goes on.
 */
static void ipxe_retry(void)
{
	const size_t n = 1u << 20;
	const uint64_t at = 5 * 65536 + 1000;
	uint8_t *data = pattern(n, 4), *dst = calloc(1, n);
	struct mb_error err = { 0 };
	unsigned lo, hi;

	udp_on = 0;
	ipxe_on = 1;
	srv_reset(data, n);
	ipxe_opens = 0;
	ipxe_served = 0;
	ipxe_fail_at = at;
	watch_start(dst, n);
	int rc = read_file("http://192.168.0.1/i.bin", data, n, 0, 0, dst, &err);
	watch = NULL;
	check(!rc && !memcmp(dst, data, n),
	      "iPXE, read error mid-file: byte-exact, SHA-256 right",
	      "rc %d: %s", rc, err.msg);
	check(strstr(out, "mboot: http://192.168.0.1/i.bin: no data for 10 s at byte 328680 of 1048576 (HTTP, iPXE); retry 1 of 5 in 0.5 s\n") != NULL,
	      "iPXE: the retry line names the first byte not handed on",
	      "printed: %s", out);
	check(ipxe_opens == 2 && ipxe_served == n + at,
	      "iPXE retry: opened again, the bytes before the failure read again",
	      "%u opens, %llu bytes served for %zu", ipxe_opens,
	      (unsigned long long)ipxe_served, n);
	write_range(0, n, &lo, &hi);
	check(lo == 1 && hi == 1,
	      "iPXE retry: the bytes read again go to the scratch buffer, every byte into place once",
	      "written %u-%u times", lo, hi);
	check(hash_bytes == n, "iPXE retry: every byte hashed once",
	      "%zu bytes hashed of %zu", hash_bytes, n);
	free(data);
	free(dst);
}

/** -quiet (FETCH_SILENT): the same retry prints nothing. */
static void quiet_retry(void)
{
	const size_t n = 1u << 20;
	uint8_t *data = pattern(n, 5), *dst = calloc(1, n);
	struct mb_error err = { 0 };

	udp_on = 1;
	ipxe_on = 0;
	srv_reset(data, n);
	dies_after = 300;
	back_at = now_us + 2000000;
	watch_start(dst, n);
	int rc = read_file("quiet.bin", data, n, 0, FETCH_QUIET | FETCH_SILENT,
			   dst, &err);
	watch = NULL;
	check(!rc && rrqs == 4 && out_len == 0,
	      "-quiet: a retried transfer prints nothing",
	      "rc %d (%s), %u read requests, printed: %s", rc, err.msg, rrqs,
	      out);
	free(data);
	free(dst);
}

/**
 * The transport fallback lines, with and without FETCH_SILENT (each in
 * a child process: fetch.c remembers a fallback for good).  @tftp: the
 * TFTP server does not answer (the firmware's TFTP is used instead);
 * else iPXE cannot open the name (PXELINUX is tried).
 */
static void fallback_line(int tftp, int silent)
{
	char what[200];
	pid_t pid;
	int status;

	snprintf(what, sizeof(what), "%s: the %s fallback line %s",
		 silent ? "-quiet" : "without -quiet", tftp ? "TFTP" : "iPXE",
		 silent ? "is not printed" : "is printed");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct mb_error err = { 0 };
		struct fetch f;
		srv_reset(NULL, 0);
		udp_on = tftp;
		answers = 0;
		ipxe_on = 1;
		ipxe_open_fails = !tftp;
		out_len = 0;
		out[0] = '\0';
		int rc = fetch_open(&f, "fb.bin", silent ? FETCH_QUIET | FETCH_SILENT : 0, &err);
		const char *want = tftp ? "; using the firmware's TFTP instead\n" :
					  "; trying PXELINUX's file layer\n";
		int shown = strstr(out, want) != NULL;
		if (!rc)
			fetch_close(&f);
		_exit(shown == !silent ? 0 : 1);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, what, "the child says otherwise");
}

int main(void)
{
	tftp_whole_retry();
	tftp_pieces_retry();
	tftp_forged_retry();
	tftp_readahead();
	ipxe_retry();
	quiet_retry();
	fallback_line(1, 0);
	fallback_line(1, 1);
	fallback_line(0, 0);
	fallback_line(0, 1);
	printf("fetch: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
