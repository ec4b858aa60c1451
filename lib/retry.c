/*
 * retry.c - the retry policy of a file transfer and its messages (see
 * retry.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "format.h"
#include "retry.h"

/** "at byte N of M" (or "at byte N" when @size is unknown) into @buf. */
static void where(char *buf, size_t cap, uint64_t at, uint64_t size)
{
	if (size)
		mb_snprintf(buf, cap, "at byte %llu of %llu",
			    (unsigned long long)at, (unsigned long long)size);
	else
		mb_snprintf(buf, cap, "at byte %llu", (unsigned long long)at);
}

int mb_retry_next(struct mb_retry *r, const char *name, uint64_t at,
		  uint64_t size, const char *cause, const char *via,
		  char *line, size_t cap, unsigned *pause_ms,
		  struct mb_error *err)
{
	char pos[64];

	if (at > r->best) {	/* bytes were gained since the last retry */
		r->best = at;
		r->in_row = 0;
	}
	where(pos, sizeof(pos), at, size);
	if (r->in_row >= MB_RETRY_IN_ROW || r->total >= MB_RETRY_TOTAL)
		return mb_fail(err, MB_E_READ, "%s: %s %s after %u retries (%s)",
			       name, cause, pos, r->in_row >= MB_RETRY_IN_ROW ?
			       r->in_row : r->total, via);
	unsigned pause = MB_RETRY_PAUSE_MS;
	for (unsigned i = 0; i < r->in_row && pause < MB_RETRY_PAUSE_MAX_MS; i++)
		pause *= 2;
	if (pause > MB_RETRY_PAUSE_MAX_MS)
		pause = MB_RETRY_PAUSE_MAX_MS;
	r->in_row++;
	r->total++;
	*pause_ms = pause;
	mb_snprintf(line, cap, "%s: %s %s (%s); retry %u of %u in %u.%u s", name,
		    cause, pos, via, r->in_row, MB_RETRY_IN_ROW, pause / 1000,
		    pause % 1000 / 100);
	return MB_OK;
}
