/*
 * retry.h - when a file transfer that failed is tried again, and what the
 * console is told.
 *
 * A transfer that stalls or fails is re-opened and goes on at the first
 * byte not yet handed on; the server sends the file from its start again
 * (TFTP and iPXE's file API cannot start mid-file) and the bytes before
 * that are dropped (com32/fetch_retry.c).  Retries are bounded twice: MB_RETRY_IN_ROW in a row without a
 * single new byte, MB_RETRY_TOTAL for one file in all.  Each retry is
 * announced with one line; giving up is an error naming the file, the
 * offset, the cause and the number of retries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_RETRY_H
#define MBOOT_RETRY_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Retries in a row that brought no new byte, then we give up. */
#define MB_RETRY_IN_ROW		5
/* Retries of one file in all, however far each one got. */
#define MB_RETRY_TOTAL		20
/* Pause before the first retry in a row; it doubles up to the maximum. */
#define MB_RETRY_PAUSE_MS	500u
#define MB_RETRY_PAUSE_MAX_MS	8000u

/** Retry state of one file (all zero for a fresh transfer). */
struct mb_retry {
	unsigned in_row;	/* retries since a byte was last gained */
	unsigned total;		/* retries of this file */
	uint64_t best;		/* bytes handed on when the last retry began */
};

/**
 * The transfer of @name failed @at bytes into the file (of @size; 0 when
 * unknown) because of @cause (e.g. "no data for 10 s"), fetched @via
 * (e.g. "TFTP, iPXE").  Returns MB_OK when it is to be tried again: @line
 * (capacity @cap) then holds the line to show,
 *     "NAME: CAUSE at byte N of M (VIA); retry K of 5 in S.S s"
 * and *@pause_ms how long to wait before re-opening.  Returns MB_E_READ
 * when it is time to give up, with @err holding
 *     "NAME: CAUSE at byte N of M after K retries (VIA)".
 */
int mb_retry_next(struct mb_retry *r, const char *name, uint64_t at,
		  uint64_t size, const char *cause, const char *via,
		  char *line, size_t cap, unsigned *pause_ms,
		  struct mb_error *err);

#endif
