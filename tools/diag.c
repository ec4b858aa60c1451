/*
 * diag.c - printing and counting the checker's findings (see diag.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include "diag.h"

static unsigned counts[3];
static bool quiet;

void diag(enum diag_level level, const char *fmt, ...)
{
	static const char *const prefix[] = { "", "warning: ", "error: " };
	va_list ap;

	counts[level]++;
	if (level == DIAG_NOTE && quiet)
		return;
	printf("mboot-check: %s", prefix[level]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

unsigned diag_count(enum diag_level level)
{
	return counts[level];
}

void diag_set_quiet(bool q)
{
	quiet = q;
}

bool diag_verbose(void)
{
	return !quiet;
}
