/*
 * fetch_tftp.c - the "PXE UDP" transport: mboot's own TFTP client
 * (tftp.c) for every name PXELINUX would fetch over TFTP.
 *
 * The name is turned into the tftp:// URL of the very file PXELINUX would
 * fetch (fetch_make_url, shared with the iPXE transport); servers given by
 * host name (not a dotted IPv4 address) are left to the other transports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fetch.h"
#include "pxe_udp.h"
#include "tftp.h"

/* Longest URL fetch_make_url builds. */
#define TFTP_URL_MAX 1024

/* Reads smaller than this (the kernel is streamed in 64 KiB pieces) are
 * served from a read-ahead buffer of this size: holes are then fetched
 * again once per buffer, not once per piece. */
#define TFTP_READAHEAD (1024u * 1024u)

/** An open file: the client's state and the URL for messages. */
struct tf_priv {
	struct tftp_file t;
	char url[TFTP_URL_MAX];
	uint64_t pos;		/* the next byte handed on */
	uint8_t *ahead;		/* read-ahead buffer (NULL until needed) */
	uint64_t ahead_off;	/* file offset of ahead[0] */
	size_t ahead_len;	/* bytes in it */
};

/** Parse a dotted IPv4 address of exactly @n characters; 0 if not one. */
static uint32_t parse_ipv4(const char *s, size_t n, uint32_t *ip)
{
	uint8_t *b = (uint8_t *)ip;
	unsigned part = 0, val = 0, digits = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] >= '0' && s[i] <= '9' && digits < 3) {
			val = val * 10 + (unsigned)(s[i] - '0');
			digits++;
		} else if ((i == n || s[i] == '.') && digits && val < 256 &&
			   part < 4) {
			b[part++] = (uint8_t)val;
			val = digits = 0;
		} else {
			return 0;
		}
	}
	return part == 4;
}

/** Decode %XX escapes of @s into @out (capacity @cap); -1 if too long. */
static int unescape(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	for (; *s; s++) {
		char c = *s;
		if (c == '%' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };
			c = (char)strtoul(hex, NULL, 16);
			s += 2;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/**
 * Split "tftp://HOST[:PORT]/PATH" into a server address, port and the
 * unescaped path.  Returns 0, or -1 when @url is not that with an IPv4
 * HOST.
 */
static int split_url(const char *url, uint32_t *ip, uint16_t *port,
		     char *path, size_t cap)
{
	const char *host = url + 7, *slash, *colon;

	if (strncmp(url, "tftp://", 7) || !(slash = strchr(host, '/')))
		return -1;
	/* strchr, not memchr: SYSLINUX 6.04's libcom32 memchr never moves
	 * past the first byte (tests/lint.sh keeps it out of the module). */
	colon = strchr(host, ':');
	if (colon && colon > slash)
		colon = NULL;
	*port = 69;
	if (colon) {
		unsigned long p = strtoul(colon + 1, NULL, 10);
		if (!p || p > 65535)
			return -1;
		*port = (uint16_t)p;
	}
	if (!parse_ipv4(host, (size_t)((colon ? colon : slash) - host), ip))
		return -1;
	return unescape(slash + 1, path, cap);
}

/**
 * Open @name with mboot's TFTP client.  MB_E_FIRMWARE when this transport
 * does not apply (not a TFTP name, no PXE UDP API, a server without the
 * options) or the server does not answer: the caller tries the others.
 */
static int tf_open(struct fetch *f, const char *name, struct mb_error *err)
{
	struct tf_priv *p;
	uint32_t ip;
	uint16_t port;
	char path[512];
	int rc;

	if (!pxe_udp_available())
		return mb_fail(err, MB_E_FIRMWARE,
			       "%s: the PXE UDP API is not usable", name);
	p = malloc(sizeof(*p));
	if (!p)
		return mb_fail(err, MB_E_NO_MEMORY,
			       "%s: no memory for a TFTP transfer", name);
	if (fetch_make_url(name, p->url) ||
	    split_url(p->url, &ip, &port, path, sizeof(path))) {
		free(p);
		return mb_fail(err, MB_E_FIRMWARE,
			       "%s: not a TFTP name with an IPv4 server", name);
	}
	rc = tftp_open(&p->t, ip, port, path, name, err);
	if (rc) {
		free(p);
		return rc;
	}
	p->pos = 0;
	p->ahead = NULL;
	p->ahead_len = 0;
	f->priv = p;
	f->url = p->url;
	f->size = p->t.size;
	return MB_OK;
}

/**
 * Read at p->pos: from the read-ahead buffer when it holds that byte;
 * large reads straight into @dst, whole (a module is one read: one pass of
 * every session over it); small ones through the buffer, filled with the
 * next TFTP_READAHEAD bytes.
 */
static int tf_read(struct fetch *f, void *dst, size_t len, size_t *got,
		   struct mb_error *err)
{
	struct tf_priv *p = f->priv;
	int rc;

	*got = 0;
	if (!p->ahead_len || p->pos < p->ahead_off ||
	    p->pos >= p->ahead_off + p->ahead_len) {
		p->ahead_len = 0;
		p->t.pos = p->pos;
		if (len >= TFTP_READAHEAD ||
		    (!p->ahead && !(p->ahead = malloc(TFTP_READAHEAD)))) {
			rc = tftp_read(&p->t, dst, len, got, f->name, err);
			p->pos += *got;
			return rc;
		}
		rc = tftp_read(&p->t, p->ahead, TFTP_READAHEAD, &p->ahead_len,
			       f->name, err);
		if (rc || !p->ahead_len)
			return rc;
		p->ahead_off = p->pos;
	}
	size_t at = (size_t)(p->pos - p->ahead_off), n = p->ahead_len - at;

	if (n > len)
		n = len;
	memcpy(dst, p->ahead + at, n);
	p->pos += n;
	*got = n;
	return MB_OK;
}

/** Seek: reads start wherever they are told. */
static int tf_seek(struct fetch *f, uint64_t off, struct mb_error *err)
{
	struct tf_priv *p = f->priv;

	(void)err;
	p->pos = off;
	return MB_OK;
}

/**
 * End the transfer; when packets were lost, say how the client made up
 * for them (unless quiet).
 */
static void tf_close(struct fetch *f)
{
	struct tf_priv *p = f->priv;

	if (!p)
		return;
	tftp_close(&p->t);
	if (!f->quiet && (p->t.lost || p->t.passes || p->t.restarts ||
			  p->t.bs != TFTP_BLKSIZE || p->t.smaller ||
			  p->t.first.wsize)) {
		char link[160], win[40] = "";
		tftp_link_describe(link, sizeof(link));
		if (p->t.first.wsize)
			snprintf(win, sizeof(win), " in windows of %u (RFC 7440)",
				 p->t.first.wsize);
		printf("mboot: %s: blocks of %u bytes%s%s, %u lost and fetched again in %u more TFTP sessions, %u broken acknowledgement chains mended (round trip %u.%u ms; %s)\n",
		       f->name, p->t.bs,
		       p->t.smaller ? " (read again in these: big blocks lost frames early)" : "",
		       win,
		       p->t.lost, p->t.passes, p->t.restarts,
		       p->t.srtt_us / 1000, p->t.srtt_us % 1000 / 100, link);
	}
	f->url = NULL;
	f->priv = NULL;
	free(p->ahead);
	free(p);
}

/** True when @name is a TFTP name this transport could fetch. */
int fetch_tftp_applies(const char *name)
{
	static char url[TFTP_URL_MAX];
	static char path[512];
	uint32_t ip;
	uint16_t port;

	return pxe_udp_available() && !fetch_make_url(name, url) &&
	       !split_url(url, &ip, &port, path, sizeof(path));
}

const struct fetch_ops fetch_tftp_ops = {
	.name = "PXE UDP",
	.open = tf_open,
	.read = tf_read,
	.seek = tf_seek,
	.close = tf_close,
};
