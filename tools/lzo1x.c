/*
 * lzo1x.c - the LZO1X stream decoder (see lzo1x.h).
 *
 * The stream is a sequence of instructions, each a match (copy bytes
 * already written, at a distance back) followed by 0-3 literals, or a
 * run of literals; the low two bits of a match ("state") say how many
 * literals follow it and so how the next instruction byte below 16 is
 * read.  Every read and copy is bounds-checked: the input here is any
 * file in a TFTP root.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "lzo1x.h"

/** The decoder's cursor over input and output. */
struct lzo {
	const uint8_t *in;
	size_t in_len, ip;
	uint8_t *out;
	size_t cap, op;
	int bad;
};

/** The next input byte (0 and marks the stream bad past the end). */
static unsigned next(struct lzo *z)
{
	if (z->ip >= z->in_len) {
		z->bad = 1;
		return 0;
	}
	return z->in[z->ip++];
}

/** A length of @base + 255 per zero byte + the first non-zero byte. */
static size_t long_len(struct lzo *z, size_t base)
{
	size_t n = base;
	unsigned b;

	while (!z->bad && (b = next(z)) == 0) {
		n += 255;
		if (n > z->cap)	/* no output is that long: stop early */
			z->bad = 1;
	}
	return n + b;
}

/** Copy @n literal bytes from input to output. */
static void literals(struct lzo *z, size_t n)
{
	if (z->bad || n > z->in_len - z->ip || n > z->cap - z->op) {
		z->bad = 1;
		return;
	}
	memcpy(z->out + z->op, z->in + z->ip, n);
	z->ip += n;
	z->op += n;
}

/** Copy @n bytes from @dist back in the output (may overlap: byte-wise). */
static void match(struct lzo *z, size_t dist, size_t n)
{
	if (z->bad || dist == 0 || dist > z->op || n > z->cap - z->op) {
		z->bad = 1;
		return;
	}
	for (size_t k = 0; k < n; k++, z->op++)
		z->out[z->op] = z->out[z->op - dist];
}

long lzo1x_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
		  size_t *used)
{
	struct lzo z = { in, in_len, 0, out, cap, 0, 0 };
	unsigned state = 0, t;

	if (in_len && in[0] > 17) {	/* the stream opens with literals */
		unsigned n = next(&z) - 17;
		literals(&z, n);
		state = n >= 4 ? 4 : n;
	}
	while (!z.bad) {
		size_t dist, len;
		unsigned s;
		t = next(&z);
		if (t < 16) {
			if (state == 0) {	/* a run of 4 or more literals */
				literals(&z, 3 + (t ? t : long_len(&z, 15)));
				state = 4;
				continue;
			}
			dist = (next(&z) << 2) + ((t >> 2) & 3) + 1;
			if (state == 4) {	/* 3 bytes, 2-3 KiB back */
				dist += 2048;
				len = 3;
			} else {		/* 2 bytes, up to 1 KiB back */
				len = 2;
			}
			s = t & 3;
		} else if (t < 32) {		/* 16-48 KiB back; end marker */
			len = 2 + ((t & 7) ? (t & 7) : long_len(&z, 7));
			unsigned d = next(&z);
			d |= next(&z) << 8;
			dist = 16384 + ((size_t)(t & 8) << 11) + (d >> 2);
			s = d & 3;
			if (dist == 16384) {	/* the end of the stream */
				if (z.bad)
					break;
				*used = z.ip;
				return (long)z.op;
			}
		} else if (t < 64) {		/* up to 16 KiB back */
			len = 2 + ((t & 31) ? (t & 31) : long_len(&z, 31));
			unsigned d = next(&z);
			d |= next(&z) << 8;
			dist = (d >> 2) + 1;
			s = d & 3;
		} else {			/* 3-8 bytes, up to 2 KiB back */
			len = t < 128 ? 3 + ((t >> 5) & 1) : 5 + ((t >> 5) & 3);
			dist = (next(&z) << 3) + ((t >> 2) & 7) + 1;
			s = t & 3;
		}
		match(&z, dist, len);
		literals(&z, s);
		state = s;
	}
	return -1;
}
