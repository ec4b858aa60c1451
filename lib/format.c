/*
 * format.c - a small printf-style formatter (see format.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "format.h"

/** Output cursor: writes stop at cap - 1 so there is always room for NUL. */
struct out {
	char *buf;
	size_t cap, len;
};

/** Append one character to @o if it fits. */
static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

/** Append @v in base @base, zero- or space-padded to @width. */
static void put_num(struct out *o, unsigned long long v, unsigned base,
		    int upper, int width, char pad, int negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative && pad == '0')
		put(o, '-');
	for (int w = n + negative; w < width; w++)
		put(o, pad);
	if (negative && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

size_t mb_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { buf, cap, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0, size_t_mod = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		int prec = -1;	/* only used by %s: at most prec characters */
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		if (*fmt == 'z') {
			size_t_mod = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = 0;
			/* The precision first: a %.*s string need not be
			 * NUL-terminated, so s[prec] may not be read. */
			while ((prec < 0 || n < prec) && s[n])
				n++;
			for (int w = n; w < width; w++)
				put(&o, ' ');
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i': {
			long long v = lng >= 2 ? va_arg(ap, long long) :
				      lng == 1 ? va_arg(ap, long) :
				      size_t_mod ? (long long)va_arg(ap, size_t) :
						   va_arg(ap, int);
			unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v :
						       (unsigned long long)v;
			put_num(&o, m, 10, 0, width, pad, v < 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v =
				lng >= 2 ? va_arg(ap, unsigned long long) :
				lng == 1 ? va_arg(ap, unsigned long) :
				size_t_mod ? va_arg(ap, size_t) :
					     va_arg(ap, unsigned int);
			put_num(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				width, pad, 0);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, 0,
				' ', 0);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len < cap ? o.len : (cap ? cap - 1 : 0);
}

size_t mb_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = mb_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
