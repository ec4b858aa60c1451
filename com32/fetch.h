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

struct fetch;

/** One transport. */
struct fetch_ops {
	const char *name;	/* for messages: "PXELINUX", "iPXE" */
	/** Open @name; set f->size when the transport knows it. */
	int (*open)(struct fetch *f, const char *name, struct mb_error *err);
	/** Read up to @len bytes into @dst; *@got = 0 means end of file. */
	int (*read)(struct fetch *f, void *dst, size_t len, size_t *got,
		    struct mb_error *err);
	/** Release everything open() took. */
	void (*close)(struct fetch *f);
};

/** An open file. */
struct fetch {
	const struct fetch_ops *ops;
	const char *name;	/* as the user gave it */
	uint64_t size;		/* 0 when unknown */
	uint64_t done;		/* bytes read so far */
	int fd;			/* transport state */
	uint32_t handle;
	void *priv;
	const char *url;	/* what the transport fetches, if not name */
	unsigned quiet;		/* no progress display */
	/* progress display state */
	uint32_t t_start, t_last;
};

#define FETCH_QUIET		(1u << 0)	/* no progress output */
#define FETCH_FORCE_PXELINUX	(1u << 1)	/* never use the iPXE API */

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
 * Read the whole file @name into a malloc()ed buffer (*@data, *@len; the
 * caller frees it).  Errors: not found, read error, no memory.
 */
int fetch_file(const char *name, unsigned flags, uint8_t **data, size_t *len,
	       struct mb_error *err);

/* Transports. */
extern const struct fetch_ops fetch_pxelinux_ops;
extern const struct fetch_ops fetch_ipxe_ops;
/** True when iPXE's PXE file API is usable (checked once). */
int fetch_ipxe_available(void);

#endif
