/*
 * fetch_ipxe.c - the iPXE transport: iPXE's PXE file API (FILE_OPEN,
 * GET_FILE_SIZE, FILE_READ, FILE_CLOSE) called from under pxelinux.0.
 *
 * When the PXE stack below PXELINUX is iPXE, it can fetch any URL it
 * supports (tftp://, http://, ...) itself, and its TFTP is faster than
 * PXELINUX's.  PXELINUX-style names are turned into the tftp:// URL of the
 * very file PXELINUX would fetch, so the choice of transport never changes
 * which bytes are loaded.
 *
 * Every structure and buffer handed to iPXE is a real-mode seg:off, so
 * each open file owns one small block of low memory: the call parameters,
 * the URL and a bounce buffer for FILE_READ.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <com32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <unistd.h>
#include <syslinux/config.h>
#include <syslinux/pxe_api.h>
#include "fetch.h"
#include "../lib/filename.h"

/* PXENV_FILE_API_CHECK magic numbers, in and out. */
#define IPXE_API_MAGIC_IN	0x91d447b2u
#define IPXE_API_MAGIC_OUT	0xe9c17b20u
/* APIMask bits: bit n is opcode PXENV_FILE_OPEN + n. */
#define IPXE_API_BIT(op)	(1u << ((op) - PXENV_FILE_OPEN))
#define IPXE_API_NEEDED		(IPXE_API_BIT(PXENV_FILE_OPEN) | \
				 IPXE_API_BIT(PXENV_FILE_CLOSE) | \
				 IPXE_API_BIT(PXENV_FILE_READ))

/* PXE status codes iPXE uses for its POSIX errors. */
#define IPXE_STATUS_WOULD_BLOCK	0x1b	/* no data yet: call again */

/* Longest URL we build or pass on. */
#define IPXE_URL_MAX		1024
/* FILE_READ bounce buffer: one packet is at most ~1.5 KiB. */
#define IPXE_BOUNCE_SIZE	4096
/* One read() returns after this many bytes so progress can be shown. */
#define IPXE_READ_CHUNK		(64u * 1024u)
/* A transfer with no data for this long has stalled (fetch_retry.c then
 * re-opens it).  Longer than the gaps a live TFTP server leaves when it
 * retransmits a lost block (dnsmasq: 1-2 s, then 2-3 s, ...). */
#define IPXE_STALL_MS		10000u

/** The low-memory block of one open file. */
struct ipxe_low {
	union {
		t_PXENV_FILE_OPEN open;
		t_PXENV_FILE_READ read;
		t_PXENV_FILE_CLOSE close;
		t_PXENV_GET_FILE_SIZE size;
	} p;
	char url[IPXE_URL_MAX];
	uint8_t buf[IPXE_BOUNCE_SIZE];
};

/* What the API check found (valid once ipxe_checked is set). */
static int ipxe_checked, ipxe_ok;
static uint32_t ipxe_api_mask;

/** Milliseconds since boot (PXELINUX's timer). */
static uint32_t ipxe_now_ms(void)
{
	return (uint32_t)times(NULL);
}

/**
 * True when PXELINUX is lpxelinux.0: it runs its own TCP/IP stack (lwIP)
 * on the NIC, so iPXE's stack below it can no longer receive (every
 * FILE_OPEN times out).  Its banner names the stack: "PXELINUX 6.04 lwIP
 * <date>" against "PXELINUX 6.04 PXE <date>" for pxelinux.0.
 */
static int ipxe_pxelinux_has_own_stack(void)
{
	const char *v = syslinux_version()->version_string;

	return v && strstr(v, " lwIP ") != NULL;
}

/** Run PXENV_FILE_API_CHECK once; fills ipxe_ok and ipxe_api_mask. */
static void ipxe_check(void)
{
	t_PXENV_FILE_API_CHECK *chk;

	ipxe_checked = 1;
	ipxe_ok = 0;
	if (syslinux_filesystem() != SYSLINUX_FS_PXELINUX ||
	    ipxe_pxelinux_has_own_stack())
		return;
	chk = lzalloc(sizeof(*chk));
	if (!chk)
		return;
	chk->Size = sizeof(*chk);
	chk->Magic = IPXE_API_MAGIC_IN;
	if (pxe_call(PXENV_FILE_API_CHECK, chk) == 0 &&
	    chk->Status == PXENV_STATUS_SUCCESS &&
	    chk->Magic == IPXE_API_MAGIC_OUT && chk->Size >= sizeof(*chk) &&
	    (chk->APIMask & IPXE_API_NEEDED) == IPXE_API_NEEDED) {
		ipxe_api_mask = chk->APIMask;
		ipxe_ok = 1;
	}
	lfree(chk);
}

/** True when iPXE's file API is usable; checked on the first call. */
int fetch_ipxe_available(void)
{
	if (!ipxe_checked)
		ipxe_check();
	return ipxe_ok;
}

/** Append @s (@n bytes) to @url at *@len; 0, or -1 when it does not fit. */
static int ipxe_url_put(char *url, size_t *len, const char *s, size_t n)
{
	if (*len + n >= IPXE_URL_MAX)
		return -1;
	memcpy(url + *len, s, n);
	*len += n;
	url[*len] = '\0';
	return 0;
}

/**
 * Append the TFTP file name @path to @url, %-escaping every byte a URI
 * parser would treat specially, so iPXE asks for exactly @path.
 */
static int ipxe_url_put_path(char *url, size_t *len, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~/!$&'()*+,;=:@", *p);
		char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };

		if (plain ? ipxe_url_put(url, len, (const char *)p, 1)
			  : ipxe_url_put(url, len, esc, 3))
			return -1;
	}
	return 0;
}

/**
 * Build in @url the URL of the file PXELINUX would open for @name: a name
 * with a scheme as given; "host::path" as tftp://host/path ("::path": the
 * TFTP server PXELINUX booted from); a relative name first prefixed with
 * PXELINUX's working directory (where the config came from, "::" plus the
 * boot file's directory unless changed).  Returns 0, or -1 when too long.
 * (Also used by the PXE UDP transport, fetch_tftp.c.)
 */
int fetch_make_url(const char *name, char *url)
{
	static char full[IPXE_URL_MAX];
	const struct syslinux_ipinfo *ip;
	const uint8_t *sip;
	char server[16];
	size_t len = 0;
	const char *host, *path, *q;

	url[0] = '\0';
	full[0] = '\0';
	if (mb_name_kind(name) == MB_NAME_RELATIVE && !getcwd(full, sizeof(full)))
		full[0] = '\0';
	if (strlen(full) + strlen(name) >= sizeof(full))
		return -1;
	strcat(full, name);

	switch (mb_name_kind(full)) {
	case MB_NAME_URL:
		return ipxe_url_put(url, &len, full, strlen(full));
	case MB_NAME_TFTP:
		q = strchr(full, ':');
		host = full;
		path = q + 2;
		break;
	default:	/* no "::" in the working directory: server-relative */
		host = q = path = full;
		break;
	}

	/* syslinux.efi leaves pxe.ipinfo NULL (efi_udp.c fills it in from
	 * the PXE base code when it can): no server address, no URL. */
	ip = syslinux_derivative_info()->pxe.ipinfo;
	if (!ip)
		return -1;
	sip = (const uint8_t *)&ip->serverip;
	snprintf(server, sizeof(server), "%u.%u.%u.%u", sip[0], sip[1], sip[2],
		 sip[3]);
	if (ipxe_url_put(url, &len, "tftp://", 7) ||
	    (q > host ? ipxe_url_put(url, &len, host, (size_t)(q - host))
		      : ipxe_url_put(url, &len, server, strlen(server))) ||
	    ipxe_url_put(url, &len, "/", 1) ||
	    ipxe_url_put_path(url, &len, path))
		return -1;
	return 0;
}

/**
 * Ask iPXE for the size of the open file; 0 when it does not know.  The
 * field is 32 bits (as iPXE's own size_t): a file of 4 GiB or more cannot
 * be reported right, but nothing that large fits below 4 GiB, and a size
 * that wrapped is smaller than the file, which the reads then show (an
 * error, or a hint that grows: ipxe_size_is_hint).
 */
static uint64_t ipxe_file_size(struct fetch *f)
{
	struct ipxe_low *low = f->priv;

	if (!(ipxe_api_mask & IPXE_API_BIT(PXENV_GET_FILE_SIZE)))
		return 0;
	memset(&low->p.size, 0, sizeof(low->p.size));
	low->p.size.FileHandle = (uint16_t)f->handle;
	if (pxe_call(PXENV_GET_FILE_SIZE, &low->p.size) ||
	    low->p.size.Status != PXENV_STATUS_SUCCESS)
		return 0;
	return low->p.size.FileSize;
}

/**
 * True when iPXE's size @size for the file at @url, asked right after the
 * open, may be only what has arrived so far (struct fetch's size_hint).
 * iPXE's size is the largest offset the protocol announced or delivered
 * (its core/posix_io.c), and its open returns once the first data is
 * queued.  HTTP announces Content-Length before the body and fails a body
 * that overruns it (no Content-Length: 0, unknown).  TFTP announces tsize
 * the same way; without tsize the size is the end of the first DATA block,
 * at most 65464 bytes (RFC 2348's largest block), so a TFTP size of 64 KiB
 * or more is a tsize.  Anything else may be a hint.  A server that sends
 * more than it announced is then an error, never a write past a buffer
 * (fetch_read_rest).
 */
static int ipxe_size_is_hint(const char *url, uint64_t size)
{
	if (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8))
		return 0;
	return strncmp(url, "tftp://", 7) || size < 65536;
}

/**
 * Open @name through iPXE.  A missing file is MB_E_NOT_FOUND; any other
 * failure is MB_E_FIRMWARE (the caller may then try PXELINUX's layer).
 * f->size is iPXE's size, which for TFTP without tsize may only be what
 * arrived so far (f->size_hint then says so, and ipxe_read() corrects it
 * at the end of the file).
 */
static int ipxe_open(struct fetch *f, const char *name, struct mb_error *err)
{
	struct ipxe_low *low;
	unsigned status;

	if (!fetch_ipxe_available())
		return mb_fail(err, MB_E_FIRMWARE,
			       "%s: iPXE's PXE file API is not available", name);
	low = lzalloc(sizeof(*low));
	if (!low)
		return mb_fail(err, MB_E_NO_MEMORY,
			       "%s: no low memory for iPXE's file API (%zu bytes)",
			       name, sizeof(*low));
	f->priv = low;
	if (fetch_make_url(name, low->url)) {
		lfree(low);
		f->priv = NULL;
		return mb_fail(err, MB_E_FIRMWARE,
			       "%s: URL longer than %u characters", name,
			       IPXE_URL_MAX - 1);
	}
	f->url = low->url;

	low->p.open.FileName = FAR_PTR(low->url);
	if (pxe_call(PXENV_FILE_OPEN, &low->p.open) ||
	    low->p.open.Status != PXENV_STATUS_SUCCESS) {
		status = low->p.open.Status;
		int code = status == PXENV_STATUS_TFTP_FILE_NOT_FOUND ?
			   MB_E_NOT_FOUND : MB_E_FIRMWARE;
		mb_fail(err, code, "%s: %s (%s, PXE status 0x%02x)", name,
			code == MB_E_NOT_FOUND ? "file not found"
					       : "iPXE cannot open it",
			low->url, status);
		f->url = NULL;
		f->priv = NULL;
		lfree(low);
		return code;
	}
	f->handle = low->p.open.FileHandle;
	f->size = ipxe_file_size(f);
	f->size_hint = ipxe_size_is_hint(low->url, f->size);
	return MB_OK;
}

/**
 * Read up to @len bytes (at most IPXE_READ_CHUNK per call) through the
 * bounce buffer.  "No data yet" (status 0x1b) is asked again, for up to
 * IPXE_STALL_MS; *@got = 0 only at end of file.  Errors are MB_E_READ,
 * worded "NAME: cause" (fetch_retry.c adds the offset and retries).
 */
static int ipxe_read(struct fetch *f, void *dst, size_t len, size_t *got,
		     struct mb_error *err)
{
	struct ipxe_low *low = f->priv;
	t_PXENV_FILE_READ *rd = &low->p.read;
	size_t have = 0;
	uint32_t t_data = ipxe_now_ms();

	if (len > IPXE_READ_CHUNK)
		len = IPXE_READ_CHUNK;
	while (have < len) {
		size_t want = len - have;

		if (want > IPXE_BOUNCE_SIZE)
			want = IPXE_BOUNCE_SIZE;
		memset(rd, 0, sizeof(*rd));
		rd->FileHandle = (uint16_t)f->handle;
		rd->BufferSize = (uint16_t)want;
		rd->Buffer = FAR_PTR(low->buf);
		if (pxe_call(PXENV_FILE_READ, rd) ||
		    rd->Status != PXENV_STATUS_SUCCESS) {
			if (rd->Status != IPXE_STATUS_WOULD_BLOCK)
				return mb_fail(err, MB_E_READ,
					       "%s: read error (PXE status 0x%02x)",
					       f->name, rd->Status);
			if (have)
				break;	/* hand over what we have */
			if (ipxe_now_ms() - t_data > IPXE_STALL_MS)
				return mb_fail(err, MB_E_READ,
					       "%s: no data for %u s", f->name,
					       IPXE_STALL_MS / 1000);
			continue;
		}
		if (rd->BufferSize == 0) {	/* end of file */
			/* iPXE now knows the exact size; an announced one
			 * stays as announced, so a longer file still shows. */
			uint64_t size = ipxe_file_size(f);
			if (size && f->size_hint)
				f->size = size;
			break;
		}
		/* Seen when the HTTP connection dies mid-file: a "success"
		 * with a length that cannot be (the buffer is checked, so
		 * nothing was written past it). */
		if (rd->BufferSize > want)
			return mb_fail(err, MB_E_READ,
				       "%s: read error (iPXE reported %u bytes for a %zu-byte read)",
				       f->name, rd->BufferSize, want);
		memcpy((uint8_t *)dst + have, low->buf, rd->BufferSize);
		have += rd->BufferSize;
		t_data = ipxe_now_ms();
	}
	*got = have;
	return MB_OK;
}

/** Close the iPXE file and give back the low memory. */
static void ipxe_close(struct fetch *f)
{
	struct ipxe_low *low = f->priv;

	if (!low)
		return;
	memset(&low->p.close, 0, sizeof(low->p.close));
	low->p.close.FileHandle = (uint16_t)f->handle;
	pxe_call(PXENV_FILE_CLOSE, &low->p.close);
	f->url = NULL;
	f->priv = NULL;
	lfree(low);
}

const struct fetch_ops fetch_ipxe_ops = {
	.name = "iPXE",
	.open = ipxe_open,
	.read = ipxe_read,
	.close = ipxe_close,
};
