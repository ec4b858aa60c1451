/*
 * fetch.h - getting a file's bytes, whatever the transport.
 *
 * One small interface used by the load plan: open by name, size if known,
 * read into a given destination, close.  Transports implement struct
 * fetch_ops: PXELINUX's own file layer (fetch_pxelinux.c) and iPXE's PXE
 * file API (fetch_ipxe.c) when the firmware is iPXE.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_FETCH_H
#define MBOOT_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/error.h"
#include "../lib/sha256.h"
#include "../lib/retry.h"

struct fetch;

/** One transport. */
struct fetch_ops {
	const char *name;	/* for messages: "PXELINUX", "iPXE" */
	/** Open @name; set f->size when the transport knows it. */
	int (*open)(struct fetch *f, const char *name, struct mb_error *err);
	/** Read up to @len bytes into @dst; *@got = 0 means end of file. */
	int (*read)(struct fetch *f, void *dst, size_t len, size_t *got,
		    struct mb_error *err);
	/** Optional: make the next read start at byte @off (resuming). */
	int (*seek)(struct fetch *f, uint64_t off, struct mb_error *err);
	/** Release everything open() took. */
	void (*close)(struct fetch *f);
};

/** An open file. */
struct fetch {
	const struct fetch_ops *ops;
	const char *name;	/* as the user gave it */
	uint64_t size;		/* 0 when unknown */
	/* Set by the transport when f->size is only a hint: what it knows so
	 * far (iPXE over TFTP without tsize: the bytes arrived), so reads may
	 * bring more.  Clear: f->size is the size the server announced, and
	 * a byte more is an error (fetch_read_rest). */
	unsigned size_hint;
	uint64_t done;		/* bytes read so far */
	int fd;			/* transport state */
	uint32_t handle;
	void *priv;
	const char *url;	/* what the transport fetches, if not name */
	unsigned quiet;		/* no progress display */
	/* -sha256: the digest of every byte fetch_read() returned */
	const uint8_t *sha256_want;	/* expected digest; NULL: none */
	uint8_t *sha256_out;		/* measured boot: where the digest
					   goes (fetch_record_sha256) */
	struct mb_sha256 sha256;
	int at_eof;			/* fetch_read() met the end of file */
	int sha256_ok;			/* fetch_verify() found it right */
	/* progress display state */
	uint32_t t_start, t_last;
	struct mb_retry retry;	/* retries so far (fetch_retry.c) */
};

#define FETCH_QUIET		(1u << 0)	/* no progress output */
#define FETCH_FORCE_PXELINUX	(1u << 1)	/* never use the iPXE API */
/* -quiet: no line at all but errors - no retry line, no transport
 * fallback line, no summary (kept in f->quiet beside FETCH_QUIET). */
#define FETCH_SILENT		(1u << 2)

/**
 * Open @name with the best transport (iPXE's file API when present, else
 * PXELINUX's; falling back to PXELINUX's once, with a message, when the
 * fast path fails).  Returns MB_OK or MB_E_NOT_FOUND with @err filled.
 */
int fetch_open(struct fetch *f, const char *name, unsigned flags,
	       struct mb_error *err);

/**
 * Read exactly @len bytes into @dst (fewer only at end of file: *@got says
 * how many), updating the progress display.
 */
int fetch_read(struct fetch *f, void *dst, size_t len, size_t *got,
	       struct mb_error *err);

/**
 * Make an open @f (opened quietly, e.g. only to learn its size) ready for
 * the real read: progress per @flags, timing from now.
 */
void fetch_resume(struct fetch *f, unsigned flags);

/** Close @f and print the final summary line (size, time, rate). */
void fetch_close(struct fetch *f);

/**
 * Check every byte of @f against the SHA-256 @want (32 bytes; NULL: no
 * check): from now on fetch_read() hashes what it returns, and
 * fetch_verify() gives the verdict.  Call it right after the open, before
 * the first read, so the digest covers the file from its first byte; each
 * open starts afresh (a file opened once to size it and again to read it
 * is judged on the read).
 */
void fetch_expect_sha256(struct fetch *f, const uint8_t *want);

/**
 * Measured boot: have fetch_verify() write the SHA-256 of every byte of
 * @f to @out (32 bytes; NULL: not wanted), whether or not a digest is
 * expected.  It is the same running digest -sha256 uses, so the file is
 * hashed once either way.  Call it, like fetch_expect_sha256(), before
 * the first read.
 */
void fetch_record_sha256(struct fetch *f, uint8_t *out);

/**
 * The verdict for @f (MB_OK when no digest is expected): reads what is
 * left of the file first (hashing it, so the digest is always of the whole
 * file as sent), then compares.  MB_E_DIGEST names the file and both
 * digests; read errors as fetch_read().
 */
int fetch_verify(struct fetch *f, struct mb_error *err);

/*
 * The largest file the fetch path reads into the heap, and so the largest
 * buffer it allocates: nothing larger can be loaded below 4 GiB.  Every
 * buffer size on the path is at most this plus one (the byte that shows a
 * file longer than announced), so the size arithmetic is the same with the
 * BIOS module's 32-bit size_t as with a 64-bit one: nothing wraps.
 */
#define FETCH_HEAP_MAX	0xfff00000u

/**
 * Read the rest of the open @f into the malloc()ed buffer *@buf (room for
 * *@cap bytes, *@have of them already filled; NULL, 0, 0 to start), every
 * write inside the buffer.  The buffer is grown to the announced size
 * plus one byte; beyond that, when f->size is only a hint (or unknown), it
 * doubles, up to FETCH_HEAP_MAX + 1; when f->size was announced, the byte
 * past it ends the read with "NAME: the server sent more than the N bytes
 * it announced".  A file that ends before its size is "NAME: transfer
 * ended after N of M bytes"; one larger than FETCH_HEAP_MAX "NAME: N bytes
 * cannot fit below 4 GiB" (before anything is read, when it is announced).
 * On any return *@buf, *@cap, *@have describe the buffer (the caller
 * frees it).
 */
int fetch_read_rest(struct fetch *f, uint8_t **buf, size_t *cap,
		    size_t *have, struct mb_error *err);

/**
 * Read the whole file @name into a malloc()ed buffer (*@data, *@len; the
 * caller frees it), checked against the SHA-256 @sha256 when it is not
 * NULL.  Errors: not found, read error, no memory, digest mismatch, and
 * fetch_read_rest()'s.
 */
int fetch_file(const char *name, unsigned flags, const uint8_t *sha256,
	       uint8_t **data, size_t *len, struct mb_error *err);

/** fetch_file(), and the file's SHA-256 written to @digest_out (32 bytes)
 *  when it is not NULL (fetch_record_sha256). */
int fetch_file_digest(const char *name, unsigned flags, const uint8_t *sha256,
		      uint8_t *digest_out, uint8_t **data, size_t *len,
		      struct mb_error *err);

/**
 * One transport read of up to @len bytes at f->done (*@got = 0: end of
 * file), re-opening and resuming when the transfer stalls or fails, with
 * a line per retry, until lib/retry.c's limits (fetch_retry.c).
 */
int fetch_read_retrying(struct fetch *f, void *dst, size_t len, size_t *got,
			struct mb_error *err);

/* Transports. */
extern const struct fetch_ops fetch_pxelinux_ops;
extern const struct fetch_ops fetch_ipxe_ops;
extern const struct fetch_ops fetch_tftp_ops;	/* mboot's TFTP (tftp.c) */
/** True when @name is fetched over TFTP from an IPv4 server and the PXE
 * UDP API is there (fetch_tftp.c). */
int fetch_tftp_applies(const char *name);
/**
 * The URL of the file PXELINUX would open for @name into @url (1024
 * bytes): URLs as given, other names as tftp://server/path.  Returns 0,
 * or -1 when too long (fetch_ipxe.c).
 */
int fetch_make_url(const char *name, char *url);
/** True when iPXE's PXE file API is usable (checked once). */
int fetch_ipxe_available(void);

#endif
