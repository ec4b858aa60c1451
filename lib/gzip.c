/*
 * gzip.c - gzip (RFC 1952) file format around the DEFLATE decoder.
 *
 * The file is processed by a small byte-level state machine (the phases
 * below) so input may be split anywhere, even inside a header field.  The
 * compressed data of each member goes to inflate_decode(), which reports
 * how far it got; a tail it could not use yet (an incomplete block header
 * or symbol, at most ~300 bytes) is kept in s->pend and prefixed to the next
 * piece of input.  Everything else is decoded straight from the caller's
 * buffers, into the caller's output buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gzip.h"
#include "crc32.h"
#include "util.h"

/* FLG bits (RFC 1952 2.3.1) */
#define GZ_FTEXT 0x01
#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_FRESERVED 0xe0

/*
 * Compressed data is handed to the decoder in pieces of at most this many
 * bytes.  The decoder checksums its output as it goes (stored blocks while
 * copying them, Huffman output every ~16 KiB, see inflate.c); after each
 * piece the CRC-32 is brought up to date with the few bytes it left, so
 * nothing is ever read back from far away.
 */
#define GZ_PIECE (64 * 1024)

/** Where the byte-level parser is. */
enum gz_phase {
	PH_HEADER,	/* the 10 fixed header bytes, collected in buf */
	PH_XLEN,	/* FEXTRA length, 2 bytes */
	PH_EXTRA,	/* FEXTRA data, field_left bytes */
	PH_NAME,	/* FNAME, up to a zero byte */
	PH_COMMENT,	/* FCOMMENT, up to a zero byte */
	PH_HCRC,	/* FHCRC, 2 bytes */
	PH_DEFLATE,	/* compressed data */
	PH_TRAILER,	/* CRC32 and ISIZE, 8 bytes */
	PH_AFTER,	/* after a member: another member, padding or end */
	PH_PAD,		/* zero padding after the last member */
	PH_FINISHED,	/* gz_stream_finish() was called */
};

static const char *const gz_messages[GZ_NUM_STATUS] = {
	[GZ_OK] = "success",
	[GZ_NEED_INPUT] = "more input needed",
	[GZ_ERR_NOT_GZIP] = "not in gzip format",
	[GZ_ERR_METHOD] = "unknown compression method",
	[GZ_ERR_RESERVED_FLAGS] = "reserved header flags set",
	[GZ_ERR_HEADER_CRC] = "header CRC mismatch",
	[GZ_ERR_TRUNCATED] = "unexpected end of input",
	[GZ_ERR_BLOCK_TYPE] = "invalid block type",
	[GZ_ERR_STORED_LEN] = "stored block length mismatch",
	[GZ_ERR_HUFFMAN_TABLE] = "invalid Huffman code lengths",
	[GZ_ERR_INVALID_CODE] = "invalid literal/length or distance code",
	[GZ_ERR_DISTANCE] = "distance too far back",
	[GZ_ERR_OUTPUT_FULL] = "output buffer too small",
	[GZ_ERR_CRC] = "CRC-32 mismatch",
	[GZ_ERR_ISIZE] = "uncompressed size mismatch",
	[GZ_ERR_TRAILING_GARBAGE] = "trailing garbage after data",
	[GZ_ERR_STATE] = "stream used after end or error",
};

/** gz_strerror - see gzip.h. */
const char *gz_strerror(int status)
{
	if (status < 0 || status >= GZ_NUM_STATUS)
		return "unknown error";
	return gz_messages[status];
}

/** gz_is_gzip - see gzip.h. */
bool gz_is_gzip(const void *buf, size_t len)
{
	const uint8_t *b = buf;

	return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/** gz_isize - see gzip.h. */
uint32_t gz_isize(const void *buf, size_t len)
{
	if (len < 4)
		return 0;
	return mb_le32((const uint8_t *)buf + len - 4);
}

/** gz_stream_init - see gzip.h. */
void gz_stream_init(struct gz_stream *s, void *out, size_t out_cap)
{
	s->out = out;
	s->out_cap = out_cap;
	s->member_start = 0;
	s->in_pos = 0;
	s->err_pos = 0;
	s->hcrc = 0;
	s->field_left = 0;
	s->status = GZ_OK;
	s->phase = PH_HEADER;
	s->flags = 0;
	s->skip_bits = 0;
	s->nbuf = 0;
	s->members = 0;
	s->pend_len = 0;
}

/** gz_fail - record error @status detected at input offset @pos; returns
 *  @status. */
static int gz_fail(struct gz_stream *s, int status, size_t pos)
{
	s->status = status;
	s->err_pos = pos;
	return status;
}

/**
 * gz_next_field - move to the first optional header field at or after
 * @phase that FLG announces; after the last one, start the DEFLATE data.
 */
static void gz_next_field(struct gz_stream *s, enum gz_phase phase)
{
	static const uint8_t flag_of[PH_DEFLATE] = {
		[PH_XLEN] = GZ_FEXTRA, [PH_NAME] = GZ_FNAME,
		[PH_COMMENT] = GZ_FCOMMENT, [PH_HCRC] = GZ_FHCRC,
	};

	/* PH_EXTRA is only ever asked for when there is extra data. */
	for (; phase < PH_DEFLATE; phase++)
		if (phase == PH_EXTRA || (s->flags & flag_of[phase]))
			break;
	s->phase = (uint8_t)phase;
	s->nbuf = 0;
	if (phase == PH_DEFLATE) {
		uint8_t *start = s->out + s->member_start;

		inflate_init(&s->inf, start, start, s->out + s->out_cap);
		inflate_track_crc(&s->inf);
		s->skip_bits = 0;
	}
}

/** gz_crc_output - bring the member's CRC up to date with the output
 *  decoded so far (right after each piece, while it is in the cache). */
static void gz_crc_output(struct gz_stream *s)
{
	inflate_crc_output(&s->inf);
}

/**
 * gz_process - run the parser over @p[0..@len)
 * @more: false if this is the very end of the file
 *
 * Returns the number of bytes consumed; fewer than @len only in the
 * DEFLATE phase when the rest is an incomplete unit (and @more is set).
 * Errors are left in s->status.  s->in_pos is the file offset of @p[0] on
 * entry and is advanced by the return value.
 */
static size_t gz_process(struct gz_stream *s, const uint8_t *p, size_t len,
			 bool more)
{
	size_t pos = 0;

	while (pos < len && s->status == GZ_OK) {
		switch (s->phase) {
		case PH_HEADER: {
			uint8_t b = p[pos];
			int bad = GZ_OK;

			switch (s->nbuf) {
			case 0:
			case 1:
				if (b != (s->nbuf ? 0x8b : 0x1f))
					bad = s->members ? GZ_ERR_TRAILING_GARBAGE :
							   GZ_ERR_NOT_GZIP;
				break;
			case 2:
				if (b != 8)
					bad = GZ_ERR_METHOD;
				break;
			case 3:
				if (b & GZ_FRESERVED)
					bad = GZ_ERR_RESERVED_FLAGS;
				break;
			}
			if (bad) {
				gz_fail(s, bad, s->in_pos + pos);
				break;
			}
			if (s->nbuf == 0)
				s->hcrc = 0;
			s->hcrc = crc32_update(s->hcrc, &b, 1);
			s->buf[s->nbuf++] = b;
			pos++;
			if (s->nbuf == 10) {
				s->flags = s->buf[3];
				gz_next_field(s, PH_XLEN);
			}
			break;
		}
		case PH_XLEN:
			s->hcrc = crc32_update(s->hcrc, p + pos, 1);
			s->buf[s->nbuf++] = p[pos++];
			if (s->nbuf == 2) {
				s->field_left = mb_le16(s->buf);
				gz_next_field(s, s->field_left ? PH_EXTRA :
								 PH_NAME);
			}
			break;
		case PH_EXTRA: {
			size_t n = len - pos;

			if (n > s->field_left)
				n = s->field_left;
			s->hcrc = crc32_update(s->hcrc, p + pos, n);
			pos += n;
			s->field_left -= (uint32_t)n;
			if (!s->field_left)
				gz_next_field(s, PH_NAME);
			break;
		}
		case PH_NAME:
		case PH_COMMENT: {
			size_t n = 0;
			bool found = false;

			while (pos + n < len && !found)
				found = p[pos + n++] == 0;
			s->hcrc = crc32_update(s->hcrc, p + pos, n);
			pos += n;
			if (found)
				gz_next_field(s, (enum gz_phase)(s->phase + 1));
			break;
		}
		case PH_HCRC:
			s->buf[s->nbuf++] = p[pos++];
			if (s->nbuf == 2) {
				if (mb_le16(s->buf) != (s->hcrc & 0xffff)) {
					gz_fail(s, GZ_ERR_HEADER_CRC,
						s->in_pos + pos - 2);
					break;
				}
				gz_next_field(s, PH_DEFLATE);
			}
			break;
		case PH_DEFLATE: {
			size_t avail = len - pos, piece = avail, bits;
			bool cut = false;
			int r;

			if (piece > GZ_PIECE) {
				piece = GZ_PIECE;
				cut = true;
			}
			r = inflate_decode(&s->inf, p + pos, piece, s->skip_bits,
					   more || cut, &bits);
			gz_crc_output(s);
			if (r == GZ_NEED_INPUT) {
				pos += bits >> 3;
				s->skip_bits = bits & 7;
				if (!cut)
					goto out;	/* keep the tail */
				break;
			}
			if (r != GZ_OK) {
				gz_fail(s, r, s->in_pos + pos + (bits >> 3));
				break;
			}
			/* The final block ends mid-byte: skip the rest. */
			pos += (bits + 7) >> 3;
			s->phase = PH_TRAILER;
			s->nbuf = 0;
			break;
		}
		case PH_TRAILER:
			s->buf[s->nbuf++] = p[pos++];
			if (s->nbuf == 8) {
				size_t end = (size_t)(s->inf.out_next - s->out);
				uint32_t isize = (uint32_t)(end - s->member_start);

				if (mb_le32(s->buf) != s->inf.crc) {
					gz_fail(s, GZ_ERR_CRC, s->in_pos + pos - 8);
					break;
				}
				if (mb_le32(s->buf + 4) != isize) {
					gz_fail(s, GZ_ERR_ISIZE, s->in_pos + pos - 4);
					break;
				}
				s->member_start = end;
				if (s->members < 255)
					s->members++;
				s->phase = PH_AFTER;
			}
			break;
		case PH_AFTER:
			/* Another member, or the start of zero padding. */
			if (p[pos] == 0x1f) {
				s->phase = PH_HEADER;
				s->nbuf = 0;
			} else if (p[pos] == 0) {
				s->phase = PH_PAD;
			} else {
				gz_fail(s, GZ_ERR_TRAILING_GARBAGE, s->in_pos + pos);
			}
			break;
		case PH_PAD:
			while (pos < len && p[pos] == 0)
				pos++;
			if (pos < len)
				gz_fail(s, GZ_ERR_TRAILING_GARBAGE, s->in_pos + pos);
			break;
		default:
			gz_fail(s, GZ_ERR_STATE, s->in_pos + pos);
			break;
		}
	}
out:
	s->in_pos += pos;
	return pos;
}

/** gz_stream_feed - see gzip.h. */
int gz_stream_feed(struct gz_stream *s, const void *chunk, size_t len)
{
	const uint8_t *p = chunk;

	if (s->status != GZ_OK)
		return s->status;
	if (s->phase == PH_FINISHED)
		return gz_fail(s, GZ_ERR_STATE, s->in_pos);

	while (len > 0 && s->status == GZ_OK) {
		if (s->pend_len) {
			/* Complete the held-back tail with new bytes. */
			size_t take = GZ_PEND_MAX - s->pend_len;
			size_t used, rest;

			if (take > len)
				take = len;
			if (take == 0)	/* a unit larger than pend[]: bug */
				return gz_fail(s, GZ_ERR_STATE, s->in_pos);
			mb_memcpy(s->pend + s->pend_len, p, take);
			s->pend_len += (uint16_t)take;
			used = gz_process(s, s->pend, s->pend_len, true);
			rest = s->pend_len - used;
			if (rest <= take) {
				/* Only new bytes are left: go on reading
				 * them from the caller's buffer. */
				p += take - rest;
				len -= take - rest;
				s->pend_len = 0;
			} else {
				mb_memmove(s->pend, s->pend + used, rest);
				s->pend_len = (uint16_t)rest;
				p += take;
				len -= take;
			}
		} else {
			size_t used = gz_process(s, p, len, true);

			p += used;
			len -= used;
			if (len && s->status == GZ_OK) {
				if (len > GZ_PEND_MAX)
					return gz_fail(s, GZ_ERR_STATE, s->in_pos);
				mb_memcpy(s->pend, p, len);
				s->pend_len = (uint16_t)len;
				len = 0;
			}
		}
	}
	if (s->status != GZ_OK)
		return s->status;
	if (s->pend_len == 0 && (s->phase == PH_AFTER || s->phase == PH_PAD))
		return GZ_OK;
	return GZ_NEED_INPUT;
}

/** gz_stream_finish - see gzip.h. */
int gz_stream_finish(struct gz_stream *s, size_t *out_len)
{
	if (s->status != GZ_OK)
		return s->status;
	if (s->phase == PH_FINISHED)
		return gz_fail(s, GZ_ERR_STATE, s->in_pos);
	if (s->pend_len) {
		gz_process(s, s->pend, s->pend_len, false);
		s->pend_len = 0;
		if (s->status != GZ_OK)
			return s->status;
	}
	if (s->phase != PH_AFTER && s->phase != PH_PAD)
		return gz_fail(s, GZ_ERR_TRUNCATED, s->in_pos);
	s->phase = PH_FINISHED;
	if (out_len)
		*out_len = s->member_start;
	return GZ_OK;
}

/** gz_stream_error_pos - see gzip.h. */
size_t gz_stream_error_pos(const struct gz_stream *s)
{
	return s->err_pos;
}

/** gz_decompress - see gzip.h. */
int gz_decompress(const void *in, size_t in_len, void *out, size_t out_cap,
		  size_t *out_len, size_t *err_pos)
{
	struct gz_stream s;
	size_t n = 0;
	int r;

	gz_stream_init(&s, out, out_cap);
	r = gz_stream_feed(&s, in, in_len);
	if (r == GZ_OK || r == GZ_NEED_INPUT)
		r = gz_stream_finish(&s, &n);
	if (out_len)
		*out_len = r == GZ_OK ? n : 0;
	if (r != GZ_OK && err_pos)
		*err_pos = s.err_pos;
	return r;
}
