/*
 * diag.h - the checker's findings, printed as they are found and counted
 * for the verdict: errors (the module would not boot the entry), warnings
 * (it would, but something is probably wrong) and notes (facts).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_DIAG_H
#define MBOOT_CHECK_DIAG_H

#include <stdbool.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/**
 * Print "mboot-check: error: ...", "mboot-check: warning: ..." or
 * "mboot-check: ..." (a note, not printed when quiet) and count it.
 */
void diag(enum diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** How many findings of @level were reported. */
unsigned diag_count(enum diag_level level);

/** Quiet: notes are not printed (errors and warnings still are). */
void diag_set_quiet(bool quiet);

/** True when notes are being printed. */
bool diag_verbose(void);

#endif
