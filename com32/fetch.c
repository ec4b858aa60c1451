/*
 * fetch.c - choosing a transport, reading, and the progress display.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include "fetch.h"
#include "../lib/digest.h"

/* Progress lines for files of at least this size, at most 4 a second. */
#define PROGRESS_MIN_SIZE (1024u * 1024u)
#define PROGRESS_INTERVAL_MS 250u

/** Milliseconds since boot (PXELINUX's timer: it advances in 55 ms ticks). */
static uint32_t now_ms(void)
{
	return (uint32_t)times(NULL);
}

/* An iPXE open that fails after this long means its stack is stalled. */
#define IPXE_OPEN_STALL_MS 2000u

/* Set when iPXE's file API stalled once: PXELINUX for the rest. */
static int ipxe_stalled;
/* The last name iPXE could not open: straight to PXELINUX next time. */
static char ipxe_refused[256];

/** Reset @f for a fresh open of @name through @ops. */
static void fetch_init(struct fetch *f, const struct fetch_ops *ops,
		       const char *name, unsigned flags)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->fd = -1;
	f->quiet = flags & (FETCH_QUIET | FETCH_SILENT);
	f->ops = ops;
	f->t_start = f->t_last = now_ms();
}

/**
 * iPXE's file API first when it is there (and not refused by
 * FETCH_FORCE_PXELINUX); a missing file ends there, any other failure
 * gets one message and a second try through PXELINUX (also for later
 * opens of the same name: the plan opens each module twice).  An open
 * that failed slowly marks iPXE stalled, so later files do not wait again.
 */
int fetch_open(struct fetch *f, const char *name, unsigned flags,
	       struct mb_error *err)
{
	/* TFTP names: mboot's own client first (tftp.h says why); if the
	 * server cannot serve it that way, once, the others from then on. */
	static int tftp_off;
	if (!(flags & FETCH_FORCE_PXELINUX) && !tftp_off &&
	    fetch_tftp_applies(name)) {
		fetch_init(f, &fetch_tftp_ops, name, flags);
		int rc = f->ops->open(f, name, err);
		if (rc != MB_E_FIRMWARE)
			return rc;
		tftp_off = 1;
		if (!(flags & FETCH_SILENT))
			printf("mboot: %s; using the firmware's TFTP instead\n",
			       err ? err->msg : name);
	}
	if (!(flags & FETCH_FORCE_PXELINUX) && !ipxe_stalled &&
	    strcmp(name, ipxe_refused) && fetch_ipxe_available()) {
		fetch_init(f, &fetch_ipxe_ops, name, flags);
		int rc = f->ops->open(f, name, err);
		if (rc != MB_E_FIRMWARE)
			return rc;
		uint32_t ms = now_ms() - f->t_start;
		if (ms >= IPXE_OPEN_STALL_MS)
			ipxe_stalled = 1;
		snprintf(ipxe_refused, sizeof(ipxe_refused), "%s", name);
		if (!(flags & FETCH_SILENT))
			printf("mboot: %s after %u.%03u s; trying PXELINUX's file layer%s\n",
			       err ? err->msg : name, ms / 1000, ms % 1000,
			       ipxe_stalled ? " (also for the remaining files)" : "");
	}
	fetch_init(f, &fetch_pxelinux_ops, name, flags);
	return f->ops->open(f, name, err);
}

/** Update the in-place progress line for @f. */
static void progress(struct fetch *f, int final)
{
	uint32_t t = now_ms();

	if (f->quiet || (!final && (f->size < PROGRESS_MIN_SIZE ||
				    f->size_hint ||	/* no percentage */
				    t - f->t_last < PROGRESS_INTERVAL_MS)))
		return;
	f->t_last = t;
	uint32_t ms = t - f->t_start;
	unsigned rate = ms ? (unsigned)(f->done / 1000 / ms) : 0;	/* MB/s */
	unsigned rate_frac = ms ? (unsigned)((f->done / ms) % 1000 / 100) : 0;
	if (final) {
		printf("\rmboot: %s: %llu bytes in %u.%03u s (%u.%u MB/s) via %s%s%s%s\n",
		       f->name, (unsigned long long)f->done, ms / 1000,
		       ms % 1000, rate, rate_frac, f->ops->name,
		       f->url ? " (" : "", f->url ? f->url : "",
		       f->url ? ")" : "");
	} else {
		unsigned pct = (unsigned)(f->done * 100 / f->size);
		printf("\rmboot: %s: %llu / %llu bytes %3u%% %u.%u MB/s ",
		       f->name, (unsigned long long)f->done,
		       (unsigned long long)f->size, pct, rate, rate_frac);
	}
}

int fetch_read(struct fetch *f, void *dst, size_t len, size_t *got,
	       struct mb_error *err)
{
	size_t have = 0;

	while (have < len) {
		size_t n = 0;
		int rc = fetch_read_retrying(f, (uint8_t *)dst + have,
					     len - have, &n, err);
		if (rc)
			return rc;
		if (n == 0) {
			f->at_eof = 1;
			break;
		}
		if (f->sha256_want || f->sha256_out)	/* what the caller
							 * gets, as it arrives */
			mb_sha256_update(&f->sha256, (uint8_t *)dst + have, n);
		have += n;
		f->done += n;
		progress(f, 0);
	}
	*got = have;
	return MB_OK;
}

void fetch_expect_sha256(struct fetch *f, const uint8_t *want)
{
	f->sha256_want = want;
	if (want && !f->sha256_out)
		mb_sha256_init(&f->sha256);
}

void fetch_record_sha256(struct fetch *f, uint8_t *out)
{
	if (out && !f->sha256_want && !f->sha256_out)
		mb_sha256_init(&f->sha256);
	f->sha256_out = out;
}

int fetch_verify(struct fetch *f, struct mb_error *err)
{
	static uint8_t rest[16384];	/* BSS, not the COM32 stack */
	uint8_t got[MB_SHA256_SIZE];
	size_t n;

	if (!f->sha256_want && !f->sha256_out)
		return MB_OK;
	while (!f->at_eof) {	/* the caller stopped early: hash the rest */
		int rc = fetch_read(f, rest, sizeof(rest), &n, err);
		if (rc)
			return rc;
		if (n < sizeof(rest))
			break;
	}
	mb_sha256_final(&f->sha256, got);
	if (f->sha256_out)
		memcpy(f->sha256_out, got, MB_SHA256_SIZE);
	if (!f->sha256_want)
		return MB_OK;
	int rc = mb_sha256_verdict(f->name, f->sha256_want, got, f->done, err);
	f->sha256_ok = !rc;	/* said by fetch_close(), after the summary */
	return rc;
}

void fetch_resume(struct fetch *f, unsigned flags)
{
	f->quiet = flags & (FETCH_QUIET | FETCH_SILENT);
	f->t_start = f->t_last = now_ms();
}

void fetch_close(struct fetch *f)
{
	progress(f, 1);
	if (f->sha256_ok && !f->quiet)
		printf("mboot: %s: SHA-256 matches\n", f->name);
	f->ops->close(f);
}

/* The first buffer for a file of unknown size. */
#define FETCH_FIRST_CAP (256u * 1024u)

/**
 * The size to grow a full read buffer of @cap bytes to, for a file whose
 * announced size is @size (0: unknown; only a hint when @hint): first
 * @size plus one (the byte that shows a longer file); then, for a hint or
 * an unknown size, double (from FETCH_FIRST_CAP), at most FETCH_HEAP_MAX
 * plus one.  0 when the buffer must not grow: it holds an announced size
 * plus one, or FETCH_HEAP_MAX plus one.  The caller has checked @size <=
 * FETCH_HEAP_MAX, so no value here exceeds FETCH_HEAP_MAX + 1 < 2^32: the
 * arithmetic is exact in the BIOS module's 32-bit size_t (the doubling is
 * only done below half the limit).
 */
static size_t fetch_next_cap(size_t cap, uint64_t size, int hint)
{
	const size_t max = (size_t)FETCH_HEAP_MAX + 1;

	if (size && cap <= size)
		return (size_t)size + 1;
	if ((size && !hint) || cap >= max)
		return 0;
	if (cap < FETCH_FIRST_CAP)
		return FETCH_FIRST_CAP;
	return cap > max / 2 ? max : cap * 2;
}

int fetch_read_rest(struct fetch *f, uint8_t **buf, size_t *cap,
		    size_t *have, struct mb_error *err)
{
	int full = 0;

	if (f->size > FETCH_HEAP_MAX)	/* before any size_t arithmetic */
		return mb_fail(err, MB_E_OUT_OF_MEMORY,
			       "%s: %llu bytes cannot fit below 4 GiB", f->name,
			       (unsigned long long)f->size);
	while (!f->at_eof) {
		if (*have >= *cap) {
			size_t next = fetch_next_cap(*cap, f->size,
						     f->size_hint);
			if (!next) {
				full = 1;
				break;
			}
			uint8_t *nbuf = realloc(*buf, next);
			if (!nbuf)
				return mb_fail(err, MB_E_NO_MEMORY,
					       "%s: cannot allocate %zu bytes to read it",
					       f->name, next);
			*buf = nbuf;
			*cap = next;
		}
		size_t got;
		/* Never more than the room left: the transports write no
		 * further than the length they are given. */
		int rc = fetch_read(f, *buf + *have, *cap - *have, &got, err);
		if (rc)
			return rc;
		*have += got;
	}
	if (f->size && !f->size_hint && *have > f->size)
		return mb_fail(err, MB_E_READ,
			       "%s: the server sent more than the %llu bytes it announced",
			       f->name, (unsigned long long)f->size);
	if (full)
		return mb_fail(err, MB_E_OUT_OF_MEMORY,
			       "%s: more than %u bytes cannot fit below 4 GiB",
			       f->name, FETCH_HEAP_MAX);
	if (f->size && *have < f->size)
		return mb_fail(err, MB_E_READ,
			       "%s: transfer ended after %zu of %llu bytes",
			       f->name, *have, (unsigned long long)f->size);
	return MB_OK;
}

int fetch_file(const char *name, unsigned flags, const uint8_t *sha256,
	       uint8_t **data, size_t *len, struct mb_error *err)
{
	return fetch_file_digest(name, flags, sha256, NULL, data, len, err);
}

int fetch_file_digest(const char *name, unsigned flags, const uint8_t *sha256,
		      uint8_t *digest_out, uint8_t **data, size_t *len,
		      struct mb_error *err)
{
	struct fetch f;
	uint8_t *buf = NULL;
	size_t cap = 0, have = 0;
	int rc = fetch_open(&f, name, flags, err);

	if (rc)
		return rc;
	fetch_expect_sha256(&f, sha256);
	fetch_record_sha256(&f, digest_out);
	/* Known size: one buffer, one pass.  A short or long transfer is
	 * reported as such, not as a wrong digest. */
	rc = fetch_read_rest(&f, &buf, &cap, &have, err);
	if (!rc)
		rc = fetch_verify(&f, err);	/* at the end of file */
	fetch_close(&f);
	if (rc) {
		free(buf);
		return rc;
	}
	*data = buf;
	*len = have;
	return MB_OK;
}
