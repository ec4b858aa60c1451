/*
 * inflate.h - raw DEFLATE (RFC 1951) decoder core.
 *
 * The decoder writes straight into one caller-provided output buffer and
 * reads back-references from that same buffer, so it needs no separate
 * 32 KiB window.  Input can arrive in pieces: inflate_decode() always stops
 * at a "unit" boundary (a block header, one literal/match, or any byte of a
 * stored block) and reports how many *bits* it consumed; the caller passes
 * the unconsumed remainder again, together with more input, on the next
 * call.  No state lives in a bit buffer between calls.
 *
 * All memory is in struct inflate_state, which the caller allocates.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_INFLATE_H
#define MBOOT_INFLATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * Decode-table geometry.  The main table of each code is indexed by the
 * next TABLEBITS input bits; codes longer than that continue in subtables
 * stored after the main table.  The ENOUGH values are the largest total
 * sizes any valid code can need (computed by exhaustive enumeration as
 * done by zlib's examples/enough.c for 288 symbols / 11 root bits / 15 max
 * bits and 32 / 8 / 15); the table builder also checks them at run time.
 */
#define INFLATE_LITLEN_TABLEBITS 11
#define INFLATE_LITLEN_ENOUGH 2342
#define INFLATE_DIST_TABLEBITS 8
#define INFLATE_DIST_ENOUGH 402
#define INFLATE_PRECODE_TABLEBITS 7

#define INFLATE_NUM_LITLEN 288
#define INFLATE_NUM_DIST 32
#define INFLATE_NUM_PRECODE 19

/**
 * struct inflate_state - everything the decoder keeps between calls
 *
 * About 12.1 KiB, dominated by the two decode tables.  Treat as opaque.
 */
struct inflate_state {
	uint32_t litlen_table[INFLATE_LITLEN_ENOUGH];
	uint32_t dist_table[INFLATE_DIST_ENOUGH];
	uint32_t precode_table[1 << INFLATE_PRECODE_TABLEBITS];
	uint8_t lens[INFLATE_NUM_LITLEN + INFLATE_NUM_DIST];
	uint16_t sorted[INFLATE_NUM_LITLEN];

	uint8_t *out_base;	/* back-references may not reach before this */
	uint8_t *out_next;	/* next byte to write */
	uint8_t *out_end;	/* one past the last writable byte */

	/* Optional running CRC-32 of the output (see inflate_track_crc):
	 * covers [out_base, crc_next); stored blocks are checksummed while
	 * they are copied, Huffman output every ~16 KiB as it is decoded
	 * (while still in the L1 cache), the rest by inflate_crc_output(). */
	uint8_t *crc_next;
	uint32_t crc;
	uint8_t crc_enabled;

	uint32_t stored_left;	/* bytes still to copy in a stored block */
	uint8_t mode;		/* enum inflate_mode (inflate.c) */
	uint8_t last_block;	/* BFINAL of the current block */
	uint8_t tables;		/* which code the tables currently hold */
};

/**
 * inflate_init - prepare a decoder for a new DEFLATE stream
 * @st: state to initialise
 * @out_base: start of the stream's output (distances are checked against it)
 * @out_next: where the first output byte goes (>= @out_base)
 * @out_end: one past the last byte the decoder may write
 */
void inflate_init(struct inflate_state *st, uint8_t *out_base,
		  uint8_t *out_next, uint8_t *out_end);

/**
 * inflate_track_crc - keep a CRC-32 of the output in @st->crc
 *
 * Call after inflate_init().  Stored blocks are then checksummed as they
 * are copied (one pass instead of two) and Huffman-coded output in pieces
 * of ~16 KiB right after they are decoded; call inflate_crc_output() to
 * bring the CRC up to date with everything decoded so far.
 */
void inflate_track_crc(struct inflate_state *st);

/** inflate_crc_output - extend @st->crc over the output produced since
 *  the last update; returns the CRC of all output so far. */
uint32_t inflate_crc_output(struct inflate_state *st);

/**
 * inflate_decode - decode as much of the stream as the input allows
 * @st: decoder state
 * @in: input bytes, starting at the first unconsumed byte
 * @in_len: number of bytes at @in
 * @skip_bits: low bits of @in[0] already consumed by the previous call (0-7)
 * @more_input: true if more input may follow @in; false if @in ends the data
 * @bits_used: on return, bits of @in (counting @skip_bits) consumed
 *
 * Returns GZ_OK when the final block has been decoded (@bits_used then
 * ends inside or at the end of its last byte), GZ_NEED_INPUT if
 * @more_input is set and the input ran out (call again with the input
 * starting at byte @bits_used / 8, skipping @bits_used % 8 bits), or a
 * GZ_ERR_* code (see gzip.h); an input that ends early with @more_input
 * false gives GZ_ERR_TRUNCATED.  After an error, @bits_used tells roughly
 * where it was detected.  Never reads outside @in[0..@in_len) nor writes
 * outside [out_next, out_end).
 */
int inflate_decode(struct inflate_state *st, const uint8_t *in, size_t in_len,
		   unsigned int skip_bits, bool more_input, size_t *bits_used);

/**
 * inflate_raw - one-shot raw DEFLATE decompression
 * @st: scratch state (need not be initialised)
 * @in, @in_len: the complete compressed stream
 * @out, @out_cap: output buffer
 * @out_len: on success, bytes written
 * @in_used: if non-NULL, on return bytes of @in consumed (on error: the
 *	     position where the error was detected)
 *
 * Returns GZ_OK or a GZ_ERR_* code.
 */
int inflate_raw(struct inflate_state *st, const void *in, size_t in_len,
		void *out, size_t out_cap, size_t *out_len, size_t *in_used);

#endif
