/*
 * gzip.h - gzip (RFC 1952) container on top of the DEFLATE decoder.
 *
 * One-shot (gz_decompress) and streaming (gz_stream_*) decompression of a
 * gzip file, including concatenated members, into one caller buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_GZIP_H
#define MBOOT_GZIP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "inflate.h"

/** Results of the gzip and inflate functions. */
enum gz_status {
	GZ_OK = 0,		 /* done */
	GZ_NEED_INPUT,		 /* streaming: feed more */
	GZ_ERR_NOT_GZIP,	 /* no 1f 8b magic */
	GZ_ERR_METHOD,		 /* compression method is not deflate (8) */
	GZ_ERR_RESERVED_FLAGS,	 /* FLG bits 5-7 set */
	GZ_ERR_HEADER_CRC,	 /* FHCRC mismatch */
	GZ_ERR_TRUNCATED,	 /* input ended early */
	GZ_ERR_BLOCK_TYPE,	 /* BTYPE 3 */
	GZ_ERR_STORED_LEN,	 /* stored block NLEN != ~LEN */
	GZ_ERR_HUFFMAN_TABLE,	 /* bad code lengths / Huffman code */
	GZ_ERR_INVALID_CODE,	 /* undefined literal/length or distance code */
	GZ_ERR_DISTANCE,	 /* back-reference before start of output */
	GZ_ERR_OUTPUT_FULL,	 /* output does not fit the destination */
	GZ_ERR_CRC,		 /* CRC-32 of member data mismatch */
	GZ_ERR_ISIZE,		 /* ISIZE of member mismatch */
	GZ_ERR_TRAILING_GARBAGE, /* non-zero bytes after the last member */
	GZ_ERR_STATE,		 /* stream used after it failed or finished */
	GZ_NUM_STATUS
};

/** Internal input buffer of a stream: holds one incomplete decoding unit
 *  (at most one dynamic block header, ~290 bytes) between gz_stream_feed()
 *  calls. */
#define GZ_PEND_MAX 512

/**
 * struct gz_stream - streaming decompressor state
 *
 * Allocate it yourself (sizeof(struct gz_stream) is about 12.7 KiB; it
 * needs 4-byte alignment) and set it up with gz_stream_init().  Fields are
 * private.
 */
struct gz_stream {
	struct inflate_state inf;
	uint8_t *out;		/* destination buffer */
	size_t out_cap;		/* its size */
	size_t member_start;	/* offset in out of the current member */
	size_t in_pos;		/* input bytes consumed so far */
	size_t err_pos;		/* input offset of the error, if any */
	uint32_t hcrc;		/* running CRC-32 of the header bytes */
	uint32_t field_left;	/* bytes left in the current header field */
	int status;		/* sticky error, or GZ_OK when finished */
	uint8_t phase;		/* where in the file we are (gzip.c) */
	uint8_t flags;		/* FLG byte of the current header */
	uint8_t skip_bits;	/* bits of pend[0] / next input byte used */
	uint8_t nbuf;		/* bytes collected in buf[] */
	uint8_t members;	/* complete members seen (saturating) */
	uint8_t buf[10];	/* fixed header or trailer being collected */
	uint16_t pend_len;	/* bytes in pend[] */
	uint8_t pend[GZ_PEND_MAX];
};

/** A short English description of a status, e.g. "CRC-32 mismatch". */
const char *gz_strerror(int status);

/** True if @buf (of @len bytes) starts with the gzip magic 1f 8b. */
bool gz_is_gzip(const void *buf, size_t len);

/** ISIZE (uncompressed size mod 2^32) from the last 4 bytes of a complete
 *  gzip file @buf of @len bytes; 0 if @len < 4.  Beware: with concatenated
 *  members or zero padding this is not the total size. */
uint32_t gz_isize(const void *buf, size_t len);

/**
 * gz_decompress - one-shot decompression of a complete gzip file
 * @in, @in_len: the file (all members; trailing zero bytes are tolerated)
 * @out, @out_cap: destination
 * @out_len: on success, bytes written
 * @err_pos: if non-NULL, on error the input offset where it was detected
 *
 * Returns GZ_OK or a GZ_ERR_* code.  Never writes outside @out[0..@out_cap).
 * Uses a struct gz_stream (~12.7 KiB) on the stack.
 */
int gz_decompress(const void *in, size_t in_len, void *out, size_t out_cap,
		  size_t *out_len, size_t *err_pos);

/** gz_stream_init - start decompressing a gzip file into @out[0..@out_cap). */
void gz_stream_init(struct gz_stream *s, void *out, size_t out_cap);

/**
 * gz_stream_feed - give the stream the next @len bytes of the file
 *
 * Returns GZ_NEED_INPUT while more input is expected, GZ_OK when all input
 * so far forms complete gzip members (nothing partial pending), or a
 * GZ_ERR_* code.  Errors are sticky.  GZ_OK does not mean "stop reading":
 * another concatenated member or zero padding may still follow, so keep
 * feeding until the input ends and then call gz_stream_finish().
 */
int gz_stream_feed(struct gz_stream *s, const void *chunk, size_t len);

/**
 * gz_stream_finish - declare the end of the input
 * @out_len: on success, total bytes written to the destination
 *
 * Returns GZ_OK, GZ_ERR_TRUNCATED if the file was incomplete, or the
 * stream's earlier error.
 */
int gz_stream_finish(struct gz_stream *s, size_t *out_len);

/** gz_stream_error_pos - input offset at which the stream's error was
 *  detected (meaningful after an error return). */
size_t gz_stream_error_pos(const struct gz_stream *s);

#endif
