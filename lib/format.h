/*
 * format.h - a small printf-style formatter for the freestanding core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_FORMAT_H
#define MBOOT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/**
 * Format into @buf (capacity @cap, always NUL-terminated when @cap > 0).
 * Supports %s %c %d %i %u %x %X %p %% with optional '0' flag, width, and
 * the length modifiers l, ll, z.  Returns the number of characters written
 * (excluding the NUL); output that does not fit is cut off.
 */
size_t mb_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t mb_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
