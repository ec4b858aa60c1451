/*
 * fetch_retry.c - reading through a transport, with retries when the
 * transfer stalls or fails.
 *
 * fetch_read() reads through fetch_read_retrying().  A read that fails
 * (a transport error, a transport that delivered nothing for its stall
 * time, or an end of file before the announced size) closes the file,
 * waits, opens it again through the same transport and goes on from the
 * first byte not yet handed on.  The server sends the file from its start
 * again (TFTP cannot start mid-file, iPXE's file API offers no ranges):
 * a transport with a seek (mboot's TFTP client) keeps only the blocks from
 * there, the others are read up to it into a scratch buffer.  Each byte is
 * handed on once, in order, so whatever the caller hashes or checks over
 * the bytes stays right.  A read that failed hands on nothing, though the
 * transport may have written part of it into the destination already
 * (mboot's TFTP client: a whole module is one read; iPXE: up to 64 KiB):
 * those bytes are written there again (tests/unit/test_fetch.c).  The
 * policy and the words are lib/retry.c's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <sys/times.h>
#include "fetch.h"

/* Bytes skipped per transport read while resuming. */
#define SKIP_CHUNK 16384u

static uint8_t skip_buf[SKIP_CHUNK];

/** Milliseconds since boot (PXELINUX's timer, 55 ms steps). */
static uint32_t retry_now_ms(void)
{
	return (uint32_t)times(NULL);
}

/** Wait @ms milliseconds. */
static void retry_pause(unsigned ms)
{
	uint32_t t0 = retry_now_ms();

	while (retry_now_ms() - t0 < ms)
		;
}

/**
 * "PROTOCOL, TRANSPORT" for messages into @buf: the URL scheme of what
 * the transport fetches (upper case; TFTP for PXELINUX-style names) and
 * the transport's name, e.g. "TFTP, iPXE" or "HTTP, PXELINUX".
 */
static void retry_via(const struct fetch *f, char *buf, size_t cap)
{
	const char *u = f->url ? f->url : f->name;
	const char *colon = strstr(u, "://");
	char proto[12] = "TFTP";

	if (colon && colon > u && (size_t)(colon - u) < sizeof(proto)) {
		size_t n = (size_t)(colon - u);
		for (size_t i = 0; i < n; i++)
			proto[i] = (u[i] >= 'a' && u[i] <= 'z') ? u[i] - 32 : u[i];
		proto[n] = '\0';
	}
	snprintf(buf, cap, "%s, %s", proto, f->ops->name);
}

/**
 * The cause in @err's message: the text after "NAME: " when the message
 * starts with @f's name (the transports' form), else the whole message;
 * copied into @buf.
 */
static void retry_cause(const struct fetch *f, const struct mb_error *err,
			char *buf, size_t cap)
{
	size_t n = strlen(f->name);
	const char *m = err->msg;

	if (!strncmp(m, f->name, n) && m[n] == ':' && m[n + 1] == ' ')
		m += n + 2;
	snprintf(buf, cap, "%s", m);
}

/**
 * Close @f, open it again through the same transport and seek to f->done
 * (or, when the transport cannot seek, read the f->done bytes already
 * handed on into the scratch buffer).  The size
 * must not have changed.  Returns MB_OK or an error with @err filled;
 * *@final is set when retrying cannot help (the file is gone or changed).
 */
static int retry_reopen(struct fetch *f, int *final, struct mb_error *err)
{
	uint64_t size = f->size, skipped = 0;
	unsigned quiet = f->quiet, hint = f->size_hint;
	int rc;

	f->quiet = 1;	/* no transport summary for the abandoned transfer */
	f->ops->close(f);
	f->quiet = quiet;
	rc = f->ops->open(f, f->name, err);
	*final = rc == MB_E_NOT_FOUND || rc == MB_E_NO_MEMORY;
	if (rc)
		return rc;
	/* The first open's size stays the transfer's: an announced size
	 * must be announced again alike (or not at all); a hint, what had
	 * arrived when it was taken, is a lower bound, so the larger one is
	 * kept, and it stays a hint (bytes past it are no error). */
	if (!hint && size && f->size && !f->size_hint && f->size != size) {
		*final = 1;
		return mb_fail(err, MB_E_READ,
			       "%s: changed on the server: %llu bytes, was %llu",
			       f->name, (unsigned long long)f->size,
			       (unsigned long long)size);
	}
	if (!hint && size)
		f->size = size;
	else if (f->size < size)
		f->size = size;
	f->size_hint = hint;
	if (f->ops->seek)
		return f->ops->seek(f, f->done, err);
	while (skipped < f->done) {
		uint64_t left = f->done - skipped;
		size_t n = 0;

		rc = f->ops->read(f, skip_buf,
				  left < SKIP_CHUNK ? (size_t)left : SKIP_CHUNK,
				  &n, err);
		if (rc)
			return rc;
		if (!n)
			return mb_fail(err, MB_E_READ,
				       "%s: file ended at byte %llu when resuming",
				       f->name, (unsigned long long)skipped);
		skipped += n;
	}
	return MB_OK;
}

/**
 * One failure of @f, described in @err: show the retry line, wait, re-open
 * and resume, as often as lib/retry.c allows.  Returns MB_OK when the
 * transfer goes on, else the final error.
 */
static int retry_after(struct fetch *f, struct mb_error *err)
{
	char cause[sizeof(err->msg)], via[32], line[sizeof(err->msg) + 80];
	unsigned pause;
	int rc, final;

	retry_via(f, via, sizeof(via));
	for (;;) {
		retry_cause(f, err, cause, sizeof(cause));
		/* A hint is no size: "at byte N", not "of" a smaller M. */
		rc = mb_retry_next(&f->retry, f->name, f->done,
				   f->size_hint ? 0 : f->size, cause,
				   via, line, sizeof(line), &pause, err);
		if (rc)
			return rc;
		if (!(f->quiet & FETCH_SILENT))	/* -quiet: errors only */
			printf("\rmboot: %s\n", line);
		retry_pause(pause);
		rc = retry_reopen(f, &final, err);
		if (rc == MB_OK || final)
			return rc;
	}
}

int fetch_read_retrying(struct fetch *f, void *dst, size_t len, size_t *got,
			struct mb_error *err)
{
	for (;;) {
		size_t n = 0;
		int rc = f->ops->read(f, dst, len, &n, err);

		if (rc == MB_OK && (n || !f->size || f->done >= f->size)) {
			*got = n;
			return MB_OK;
		}
		if (rc == MB_OK)
			mb_fail(err, MB_E_READ, "%s: transfer ended early",
				f->name);
		else if (rc != MB_E_READ)
			return rc;
		rc = retry_after(f, err);
		if (rc)
			return rc;
	}
}
