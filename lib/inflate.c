/*
 * inflate.c - raw DEFLATE (RFC 1951) decoder.
 *
 * Structure, top to bottom:
 *   1. bit reader primitives (word-sized bit buffer, branchless refill)
 *   2. decode table format and the canonical-Huffman table builder
 *   3. block headers (stored / fixed / dynamic)
 *   4. the fast Huffman loop (runs while input and output have margin)
 *   5. the careful Huffman loop and the driver inflate_decode()
 *
 * Input may arrive in pieces.  The decoder only ever stops between
 * "units" (block header, one literal or match, stored bytes); if a unit
 * does not fit in the input it is rolled back and reported as not yet
 * consumed (GZ_NEED_INPUT), so nothing but the output pointer and the
 * block mode survives between calls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "inflate.h"
#include "crc32.h"
#include "gzip.h"
#include "util.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "inflate.c loads input words directly and needs a little-endian CPU"
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ------------------------------------------------------------------------
 * 1. Bit reader
 *
 * DEFLATE packs bits LSB first, so the bit buffer holds the next unread
 * bits in its low end: bitbuf & ((1 << n) - 1) are the next n bits, and
 * consuming them is a right shift.  The buffer is one machine word (64 bits
 * on x86-64, 32 on i386) so all shifts are single instructions.
 *
 * Invariant: bits of bitbuf at positions >= bitsleft are either zero or
 * copies of the corresponding bits of the next input byte (see REFILL_FAST),
 * so OR-ing that byte in again is harmless.
 * ------------------------------------------------------------------------ */

/*
 * machword_t is the natural register width; it is used for the bit buffer
 * and for match copies.  Defining INFLATE_FORCE_32BIT builds the i386 code
 * paths on a 64-bit host, so the tests and fuzzers can cover them.
 */
#if SIZE_MAX > 0xffffffffu && !defined(INFLATE_FORCE_32BIT)
typedef uint64_t machword_t;
#define BITBUF_64 1
#else
typedef uint32_t machword_t;
#define BITBUF_64 0
#endif
typedef machword_t bitbuf_t;
#define BITBUF_BITS ((unsigned int)(8 * sizeof(bitbuf_t)))
#define WORD_BYTES sizeof(machword_t)

/** load_word - the machine word at @p (any alignment), little-endian. */
static inline bitbuf_t load_word(const uint8_t *p)
{
	bitbuf_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/** copy_word - copy one machine word from @src to @dst (any alignment). */
static inline void copy_word(uint8_t *dst, const uint8_t *src)
{
	machword_t v;

	__builtin_memcpy(&v, src, sizeof(v));
	__builtin_memcpy(dst, &v, sizeof(v));
}

/** store_word - store machine word @v at @dst (any alignment). */
static inline void store_word(uint8_t *dst, machword_t v)
{
	__builtin_memcpy(dst, &v, sizeof(v));
}

/*
 * REFILL_FAST: top the buffer up to BITBUF_BITS-8..BITBUF_BITS-1 bits with
 * one unaligned word load and no loop or branch.  The whole word is OR-ed in
 * at position bitsleft (bits shifted past the top are dropped); we then
 * account only for the bytes that fitted completely: (BITBUF_BITS-1-bitsleft)/8
 * of them, which brings bitsleft to BITBUF_BITS-8 + (bitsleft & 7), i.e.
 * "bitsleft |= BITBUF_BITS-8" (bitsleft < BITBUF_BITS).  The partly-fitting
 * next byte leaves its low bits above bitsleft: they equal what the next
 * refill will OR in at the same place, hence the invariant above.
 * Requires WORD_BYTES readable bytes at in: only used with input margin.
 */
#define REFILL_FAST()                                                  \
	do {                                                           \
		bitbuf |= load_word(in) << (bitsleft & (BITBUF_BITS - 1)); \
		in += ((BITBUF_BITS - 1) ^ (bitsleft & (BITBUF_BITS - 1))) >> 3; \
		bitsleft |= BITBUF_BITS - 8;                           \
	} while (0)

/*
 * REFILL_SLOW: the same guarantee (>= BITBUF_BITS-8 bits) byte by byte,
 * never reading at or past in_end.  Past the end it shifts in zero bytes and
 * counts them in pad; a unit that ends up consuming any of those bits
 * (OVERRAN) is rolled back: the input was too short for it.
 */
#define REFILL_SLOW()                                                  \
	do {                                                           \
		while (bitsleft < BITBUF_BITS - 8) {                   \
			bitbuf_t b_ = 0;                               \
			if (in < in_end)                               \
				b_ = *in++;                            \
			else                                           \
				pad++;                                 \
			bitbuf |= b_ << bitsleft;                      \
			bitsleft += 8;                                 \
		}                                                      \
	} while (0)

/*
 * The fast loop subtracts whole table entries from bitsleft (CONSUME_ENTRY)
 * instead of their low byte: the borrow only runs upwards, so the low
 * bits still hold the true count (always 0..BITBUF_BITS-1) and the upper
 * bits collect garbage.  All fast-loop uses mask bitsleft, and masking a
 * shift count by BITBUF_BITS-1 is free on x86, which masks shift counts
 * itself; this saves a zero-extension per symbol.  Entries consumed whole
 * total at most 20 bits (litlen) or 28 (distance, 64-bit buffer only), so
 * the masked shift count is exact (the 32-bit buffer only consumes whole
 * distance entries that fit, i.e. total < 32).
 */
#define CONSUME_ENTRY(e)                                               \
	do {                                                           \
		bitbuf >>= (e) & (BITBUF_BITS - 1);                    \
		bitsleft -= (e);                                       \
	} while (0)

#define OVERRAN() (bitsleft < 8 * pad)
#define BITS(n) ((uint32_t)bitbuf & ((1u << (n)) - 1))
#define CONSUME(n)                                                     \
	do {                                                           \
		bitbuf >>= (n);                                        \
		bitsleft -= (n);                                       \
	} while (0)

/* ------------------------------------------------------------------------
 * 2. Decode tables
 *
 * Every table entry is 32 bits:
 *   bits  0-7   total bits the entry consumes: codeword (+ extra bits)
 *   bits  8-15  codeword bits (for a subtable pointer: subtable index bits)
 *   bits 16-31  value and flags, by table:
 *
 * litlen:  bit 31 LITERAL   literal byte in bits 16-23
 *          bit 30 EXC       exceptional: subtable pointer, end of block or
 *                           invalid code
 *          bit 29 SUB       (with EXC) subtable at index bits 16-27
 *          bit 28 EOB       (with EXC) end of block
 *          no flag          length: base in bits 16-24, extra = total-codeword
 * dist:    bit 31 EXC       subtable pointer (bit 30) or invalid code
 *          otherwise        base in bits 16-30
 *
 * Putting the total in the low byte lets the decoder consume a whole
 * length or distance (code plus extra bits) with one shift by the low byte,
 * taking the extra bits from a saved copy of the buffer; literal-ness is
 * the sign bit, a single test.
 * ------------------------------------------------------------------------ */

#define E_LITERAL 0x80000000u
#define E_EXC 0x40000000u
#define E_SUB 0x20000000u
#define E_EOB 0x10000000u
#define D_EXC 0x80000000u
#define D_SUB 0x40000000u

#define LITLEN_TB INFLATE_LITLEN_TABLEBITS
#define DIST_TB INFLATE_DIST_TABLEBITS
#define PRECODE_TB INFLATE_PRECODE_TABLEBITS
#define MAX_CODEWORD 15

/** entry_extra - the extra-bits value of a length/distance entry @e, taken
 *  from @saved, the bit buffer as it was before the entry was consumed. */
static inline uint32_t entry_extra(bitbuf_t saved, uint32_t e)
{
	/* Written with 8-bit counts so that with BMI2 this becomes one BZHI
	 * (which takes its count from the low byte) and one SHRX. */
	return (uint32_t)((saved & (((bitbuf_t)1 << (uint8_t)e) - 1)) >>
			  (uint8_t)(e >> 8));
}

/*
 * entry_extra_bmi2 - entry_extra() as one BZHI plus one SHRX.  GCC does not
 * form BZHI from the mask expression inside the target("bmi2") clone of the
 * fast loop, so spell it out; only reached from that clone.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(INFLATE_NO_BMI2) && \
	!defined(INFLATE_FORCE_32BIT)
static inline __attribute__((always_inline)) uint32_t
entry_extra_bmi2(uint64_t saved, uint32_t e)
{
	uint64_t low;

	__asm__("bzhiq %2, %1, %0" : "=r"(low) : "rm"(saved), "r"((uint64_t)e));
	return (uint32_t)(low >> (uint8_t)(e >> 8));
}
#define ENTRY_EXTRA(saved, e)                                          \
	(use_bmi2 ? entry_extra_bmi2((saved), (e)) : entry_extra((saved), (e)))
#else
#define ENTRY_EXTRA(saved, e) entry_extra((saved), (e))
#endif

#define TMPL(base, extra) ((uint32_t)(base) << 16 | (extra))

/* Entry templates (value, flags, extra-bit count) for litlen symbols
 * 256-287; 286 and 287 only occur in the fixed code and are invalid. */
static const uint32_t litlen_tmpl[32] = {
	E_EXC | E_EOB,
	TMPL(3, 0), TMPL(4, 0), TMPL(5, 0), TMPL(6, 0),
	TMPL(7, 0), TMPL(8, 0), TMPL(9, 0), TMPL(10, 0),
	TMPL(11, 1), TMPL(13, 1), TMPL(15, 1), TMPL(17, 1),
	TMPL(19, 2), TMPL(23, 2), TMPL(27, 2), TMPL(31, 2),
	TMPL(35, 3), TMPL(43, 3), TMPL(51, 3), TMPL(59, 3),
	TMPL(67, 4), TMPL(83, 4), TMPL(99, 4), TMPL(115, 4),
	TMPL(131, 5), TMPL(163, 5), TMPL(195, 5), TMPL(227, 5),
	TMPL(258, 0),
	E_EXC, E_EXC,
};

/* Templates for distance symbols 0-31; 30 and 31 are invalid. */
static const uint32_t dist_tmpl[32] = {
	TMPL(1, 0), TMPL(2, 0), TMPL(3, 0), TMPL(4, 0),
	TMPL(5, 1), TMPL(7, 1), TMPL(9, 2), TMPL(13, 2),
	TMPL(17, 3), TMPL(25, 3), TMPL(33, 4), TMPL(49, 4),
	TMPL(65, 5), TMPL(97, 5), TMPL(129, 6), TMPL(193, 6),
	TMPL(257, 7), TMPL(385, 7), TMPL(513, 8), TMPL(769, 8),
	TMPL(1025, 9), TMPL(1537, 9), TMPL(2049, 10), TMPL(3073, 10),
	TMPL(4097, 11), TMPL(6145, 11), TMPL(8193, 12), TMPL(12289, 12),
	TMPL(16385, 13), TMPL(24577, 13),
	D_EXC, D_EXC,
};

/** How to build the table of one kind of code. */
struct code_kind {
	uint16_t enough;	/* table capacity in entries */
	uint8_t tablebits;	/* main table index bits */
	uint8_t allow_incomplete; /* RFC 1951: one code of length 1 is OK */
	uint16_t nlit;		/* symbols below this are "literals"... */
	uint32_t lit_flags;	/* ...with entry lit_flags | sym << 16 */
	const uint32_t *tmpl;	/* templates for symbols nlit, nlit+1, ... */
	uint32_t sub_flags;	/* flags of a subtable pointer */
	uint32_t invalid;	/* entry for unused codewords */
};

static const struct code_kind litlen_kind = {
	INFLATE_LITLEN_ENOUGH, LITLEN_TB, 1, 256, E_LITERAL, litlen_tmpl,
	E_EXC | E_SUB, E_EXC,
};
static const struct code_kind dist_kind = {
	INFLATE_DIST_ENOUGH, DIST_TB, 1, 0, 0, dist_tmpl,
	D_EXC | D_SUB, D_EXC,
};
static const struct code_kind precode_kind = {
	1 << PRECODE_TB, PRECODE_TB, 0, INFLATE_NUM_PRECODE, 0, NULL, 0, 0,
};

/**
 * next_codeword - the canonical codeword after @code, both bit-reversed
 * @code: a @len-bit codeword, stored reversed (first bit in bit 0) as the
 *	  decoder indexes tables with input bits in arrival order
 *
 * Adds one to the codeword in reversed representation: clear the trailing
 * (i.e. highest, here) ones and set the next bit.  Moving on to longer
 * codewords appends zero bits, which in reversed form changes nothing.
 * Returns 0 after the all-ones codeword.
 */
static inline unsigned int next_codeword(unsigned int code, unsigned int len)
{
	unsigned int bit = 1u << (len - 1);

	while (code & bit)
		bit >>= 1;
	if (!bit)
		return 0;
	return (code & (bit - 1)) + bit;
}

/**
 * build_table - build the decode table of a canonical Huffman code
 * @k: kind of code (table geometry and entry templates)
 * @table: output, @k->enough entries
 * @lens: code length of each symbol (0 = unused)
 * @nsyms: number of symbols
 * @sorted: scratch, @nsyms entries
 *
 * Returns false if the lengths do not describe a usable prefix code:
 * over-subscribed, or incomplete (except the empty code and a single
 * codeword of length 1 where @k allows it, as zlib and RFC 1951 do).
 *
 * Codewords of length <= tablebits fill every main-table slot whose low
 * bits equal the (reversed) codeword.  Longer codewords share a subtable per
 * tablebits-bit prefix; since canonical codewords with a common prefix are
 * consecutive, each subtable is built in one go, sized from the counts of
 * the still unplaced codewords per length (the smallest size that the
 * remaining codewords fill completely).
 */
static bool build_table(const struct code_kind *k, uint32_t *table,
			const uint8_t *lens, unsigned int nsyms,
			uint16_t *sorted)
{
	unsigned int count[MAX_CODEWORD + 1] = { 0 };
	unsigned int offs[MAX_CODEWORD + 2];
	const unsigned int tb = k->tablebits;
	const unsigned int tsize = 1u << tb;
	unsigned int maxlen = 0, len, code, i, sub_start = 0, sub_bits = 0;
	unsigned int next_free = tsize, prefix = ~0u;
	int left = 1;

	for (i = 0; i < nsyms; i++)
		count[lens[i]]++;
	for (len = 1; len <= MAX_CODEWORD; len++) {
		left = (left << 1) - (int)count[len];
		if (left < 0)
			return false;	/* over-subscribed */
		if (count[len])
			maxlen = len;
	}
	if (left > 0) {
		/* Incomplete: only "nothing" or a lone 1-bit codeword. */
		if (!k->allow_incomplete || maxlen > 1)
			return false;
		for (i = 0; i < tsize; i++)
			table[i] = k->invalid;
		if (maxlen == 0)
			return true;
	}

	/* Sort symbols by (length, symbol): canonical codeword order. */
	offs[1] = 0;
	for (len = 1; len < MAX_CODEWORD; len++)
		offs[len + 1] = offs[len] + count[len];
	for (i = 0; i < nsyms; i++)
		if (lens[i])
			sorted[offs[lens[i]]++] = (uint16_t)i;

	code = 0;
	i = 0;
	for (len = 1; len <= maxlen && len <= tb; len++) {
		for (unsigned int n = count[len]; n; n--) {
			unsigned int sym = sorted[i++];
			uint32_t e = sym < k->nlit ? k->lit_flags | sym << 16 :
						     k->tmpl[sym - k->nlit];

			e += len << 8 | len;
			for (unsigned int j = code; j < tsize; j += 1u << len)
				table[j] = e;
			code = next_codeword(code, len);
		}
	}
	for (; len <= maxlen; len++) {
		for (unsigned int n = count[len]; n; n--) {
			unsigned int sym = sorted[i++];
			unsigned int rel = len - tb;
			uint32_t e = sym < k->nlit ? k->lit_flags | sym << 16 :
						     k->tmpl[sym - k->nlit];

			if ((code & (tsize - 1)) != prefix) {
				int avail;
				unsigned int l = len;

				prefix = code & (tsize - 1);
				sub_bits = rel;
				avail = 1 << sub_bits;
				for (;;) {
					avail -= (int)count[l];
					if (avail <= 0 || l == maxlen)
						break;
					l++;
					sub_bits++;
					avail <<= 1;
				}
				if (next_free + (1u << sub_bits) > k->enough)
					return false;	/* cannot happen */
				sub_start = next_free;
				next_free += 1u << sub_bits;
				table[prefix] = k->sub_flags | sub_start << 16 |
						sub_bits << 8 | tb;
			}
			e += rel << 8 | rel;
			for (unsigned int j = code >> tb; j < (1u << sub_bits);
			     j += 1u << rel)
				table[sub_start + j] = e;
			count[len]--;
			code = next_codeword(code, len);
		}
	}
	return true;
}

/** build_fixed_tables - build the tables of the fixed code (BTYPE 1). */
static void build_fixed_tables(struct inflate_state *st)
{
	uint8_t *lens = st->lens;
	unsigned int i;

	for (i = 0; i < 144; i++)
		lens[i] = 8;
	for (; i < 256; i++)
		lens[i] = 9;
	for (; i < 280; i++)
		lens[i] = 7;
	for (; i < 288; i++)
		lens[i] = 8;
	for (i = 0; i < 32; i++)
		lens[288 + i] = 5;
	/* Both codes are complete: building cannot fail. */
	build_table(&litlen_kind, st->litlen_table, lens, 288, st->sorted);
	build_table(&dist_kind, st->dist_table, lens + 288, 32, st->sorted);
}

/* ------------------------------------------------------------------------
 * 3./4./5. Decoding
 * ------------------------------------------------------------------------ */

enum inflate_mode { MODE_HEADER, MODE_STORED, MODE_HUFFMAN, MODE_DONE };
enum { TABLES_NONE, TABLES_FIXED, TABLES_DYNAMIC };

/*
 * Margins for the fast loop.  One iteration reads at most 3 words at in
 * (advancing < WORD_BYTES per refill) and writes at most 2 literals plus one
 * match of 258 bytes, whose word-wise copy may run up to 4 words beyond the
 * match end (or to COPY_WORDS words from its start, less than 258).
 * Checking the margins once per iteration therefore keeps all accesses in
 * bounds without any per-access check.
 */
#define FAST_IN_MARGIN 32
#define COPY_WORDS (BITBUF_64 ? 5 : 4)
#define FAST_OUT_MARGIN (2 + 258 + 4 * WORD_BYTES + 8)

/* Output checksummed at a time by the Huffman driver (see run_fast()):
 * small enough to still be in the L1 data cache when it is read back, and
 * a little over 16 KiB so that each piece holds a whole 16 KiB chunk for
 * crc32.c's zero-chunk test even after its 8-byte alignment steps. */
#define CRC_CHUNK (16 * 1024 + 64)

/** Bit-reader state handed between the driver and the fast loop. */
struct bitreader {
	const uint8_t *in;
	bitbuf_t bitbuf;
	unsigned int bitsleft;
	uint8_t *out;
};

/**
 * inflate_fast_body - decode Huffman symbols while far from both ends
 * @st: decoder state with tables of the current block
 * @br: bit reader and output position, updated on return
 * @in_fastend: loop only while in < @in_fastend (FAST_IN_MARGIN bytes left)
 * @out_fastend: loop only while out < @out_fastend (FAST_OUT_MARGIN left)
 * @use_bmi2: compile-time constant: the caller is the BMI2 clone
 *
 * Returns GZ_OK at end of block, GZ_NEED_INPUT when a margin is reached
 * (continue in the careful loop), or an error.  All input bits used here
 * are real, so an error is a real error.  Always inlined into per-CPU
 * wrappers below.
 */
static inline __attribute__((always_inline)) int
inflate_fast_body(struct inflate_state *st, struct bitreader *br,
		  const uint8_t *in_fastend, uint8_t *out_fastend,
		  const bool use_bmi2)
{
	const uint8_t *in = br->in;
	bitbuf_t bitbuf = br->bitbuf;
	unsigned int bitsleft = br->bitsleft;
	uint8_t *out = br->out;
	uint8_t *const out_base = st->out_base;
	const uint32_t *const ltab = st->litlen_table;
	const uint32_t *const dtab = st->dist_table;
	bitbuf_t saved;
	uint32_t e, len, dist;
	int ret;

	(void)use_bmi2;	/* only used where the BMI2 clone exists */

	/* Each iteration starts with a full buffer (>= BITBUF_BITS-8 bits)
	 * and the main-table entry of the next symbol already in e. */
	REFILL_FAST();
	e = ltab[BITS(LITLEN_TB)];
	for (;;) {
		if (e & E_LITERAL) {
#if BITBUF_64
			/* 56 bits cover three literals (<= 15 bits each) and
			 * an 11-bit lookup after each of them. */
			CONSUME_ENTRY(e);
			*out++ = (uint8_t)(e >> 16);
			e = ltab[BITS(LITLEN_TB)];
			if (e & E_LITERAL) {
				CONSUME_ENTRY(e);
				*out++ = (uint8_t)(e >> 16);
				e = ltab[BITS(LITLEN_TB)];
				if (e & E_LITERAL) {
					CONSUME_ENTRY(e);
					*out++ = (uint8_t)(e >> 16);
					e = ltab[BITS(LITLEN_TB)];
					REFILL_FAST();
					goto next;
				}
			}
			/* e is a looked-up non-literal: refill (adds bits
			 * above the ones e was looked up with) and go on. */
			REFILL_FAST();
#else
			/* >= 24 bits: one literal (<= 11 bits, subtable
			 * literals go the other way), and usually enough
			 * left for the next lookup and a second literal. */
			CONSUME_ENTRY(e);
			*out++ = (uint8_t)(e >> 16);
			if (likely((bitsleft & (BITBUF_BITS - 1)) >= LITLEN_TB)) {
				e = ltab[BITS(LITLEN_TB)];
				if (e & E_LITERAL) {
					CONSUME_ENTRY(e);
					*out++ = (uint8_t)(e >> 16);
					REFILL_FAST();
					e = ltab[BITS(LITLEN_TB)];
					goto next;
				}
				REFILL_FAST();
			} else {
				REFILL_FAST();
				e = ltab[BITS(LITLEN_TB)];
				goto next;
			}
#endif
		}
		if (unlikely(e & E_EXC)) {
			if (e & E_SUB) {
				CONSUME(LITLEN_TB);
				e = ltab[((e >> 16) & 0xfff) + BITS((e >> 8) & 0xff)];
				if (e & E_LITERAL) {
					CONSUME_ENTRY(e);
					*out++ = (uint8_t)(e >> 16);
					REFILL_FAST();
					e = ltab[BITS(LITLEN_TB)];
					goto next;
				}
			}
			if (e & E_EXC) {
				if (e & E_EOB) {
					CONSUME_ENTRY(e);
					ret = GZ_OK;
				} else {
					ret = GZ_ERR_INVALID_CODE;
				}
				goto out;
			}
		}

		/* Length: code + extra bits <= 20 bits in one shift. */
		saved = bitbuf;
		CONSUME_ENTRY(e);
		len = (e >> 16) + ENTRY_EXTRA(saved, e);
#if !BITBUF_64
		REFILL_FAST();
#endif
		/* Distance: <= 15 + 13 bits; 64-bit: 56 - 20 left, enough. */
		e = dtab[BITS(DIST_TB)];
		if (unlikely(e & D_EXC)) {
			if (!(e & D_SUB)) {
				ret = GZ_ERR_INVALID_CODE;
				goto out;
			}
			CONSUME(DIST_TB);
			e = dtab[((e >> 16) & 0xfff) + BITS((e >> 8) & 0xff)];
			if (e & D_EXC) {
				ret = GZ_ERR_INVALID_CODE;
				goto out;
			}
		}
#if BITBUF_64
		saved = bitbuf;
		CONSUME_ENTRY(e);
		dist = (e >> 16) + ENTRY_EXTRA(saved, e);
#else
		/* 32-bit buffer: >= 16 bits are left; codeword plus extra
		 * bits can take up to 28.  Usually they fit; otherwise take
		 * the codeword, refill, then the extra bits. */
		if (likely((e & 0xff) <= (bitsleft & (BITBUF_BITS - 1)))) {
			saved = bitbuf;
			CONSUME_ENTRY(e);
			dist = (e >> 16) + ENTRY_EXTRA(saved, e);
		} else {
			unsigned int clen = (e >> 8) & 0xff;
			unsigned int nextra = (e & 0xff) - clen;

			CONSUME(clen);
			REFILL_FAST();
			dist = (e >> 16) + BITS(nextra);
			CONSUME(nextra);
		}
#endif
		if (unlikely(dist > (size_t)(out - out_base))) {
			ret = GZ_ERR_DISTANCE;
			goto out;
		}

		/* Look up the next symbol before copying, so the load
		 * overlaps the copy. */
		REFILL_FAST();
		e = ltab[BITS(LITLEN_TB)];

		{
			uint8_t *dst = out;
			const uint8_t *src = out - dist;

			out += len;
			if (likely(dist >= WORD_BYTES)) {
				/* Every word read ends at or before the
				 * word being written (dist >= word size),
				 * so it only sees finished bytes.  The first
				 * COPY_WORDS words are copied without a
				 * length test (most matches are that
				 * short, so the loop branch below is rarely
				 * taken and cannot mispredict); the writes
				 * past out stay within FAST_OUT_MARGIN. */
				copy_word(dst, src);
				copy_word(dst + WORD_BYTES, src + WORD_BYTES);
				copy_word(dst + 2 * WORD_BYTES, src + 2 * WORD_BYTES);
				copy_word(dst + 3 * WORD_BYTES, src + 3 * WORD_BYTES);
#if BITBUF_64
				copy_word(dst + 4 * WORD_BYTES, src + 4 * WORD_BYTES);
#endif
				dst += COPY_WORDS * WORD_BYTES;
				src += COPY_WORDS * WORD_BYTES;
				while (dst < out) {
					copy_word(dst, src);
					copy_word(dst + WORD_BYTES,
						  src + WORD_BYTES);
					dst += 2 * WORD_BYTES;
					src += 2 * WORD_BYTES;
				}
			} else if (dist == 1) {
				/* Run of one byte: store it broadcast, 4
				 * words per step (long runs are typical);
				 * may write up to 4 words past out. */
				machword_t v = (machword_t)0x0101010101010101ull * *src;

				do {
					store_word(dst, v);
					store_word(dst + WORD_BYTES, v);
					store_word(dst + 2 * WORD_BYTES, v);
					store_word(dst + 3 * WORD_BYTES, v);
					dst += 4 * WORD_BYTES;
				} while (dst < out);
			} else {
				/* Period 2..WORD_BYTES-1: each word copy
				 * gets its first dist bytes right (they come
				 * from finished output); the rest, read from
				 * not yet written bytes, is rewritten by the
				 * next copy, dist bytes further on. */
				do {
					copy_word(dst, src);
					dst += dist;
					src += dist;
				} while (dst < out);
			}
		}
next:
		if (unlikely(in >= in_fastend || out >= out_fastend))
			break;
	}
	ret = GZ_NEED_INPUT;
out:
	br->in = in;
	br->bitbuf = bitbuf;
	br->bitsleft = bitsleft & (BITBUF_BITS - 1);
	br->out = out;
	return ret;
}

/** inflate_fast_generic - the fast loop for any CPU. */
static int __attribute__((noinline))
inflate_fast_generic(struct inflate_state *st, struct bitreader *br,
		     const uint8_t *in_fastend, uint8_t *out_fastend)
{
	return inflate_fast_body(st, br, in_fastend, out_fastend, false);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(INFLATE_NO_BMI2) && \
	!defined(INFLATE_FORCE_32BIT)
#define HAVE_BMI2_VARIANT 1
/**
 * inflate_fast_bmi2 - the same loop compiled for BMI2, whose SHRX/BZHI do
 * variable shifts and masks without tying up CL: shorter dependency chains
 * on the bit buffer.  Only called if CPUID reports BMI2.
 */
static int __attribute__((noinline, target("bmi2")))
inflate_fast_bmi2(struct inflate_state *st, struct bitreader *br,
		  const uint8_t *in_fastend, uint8_t *out_fastend)
{
	return inflate_fast_body(st, br, in_fastend, out_fastend, true);
}

/** cpu_has_bmi2 - true if CPUID leaf 7 reports BMI2. */
static bool cpu_has_bmi2(void)
{
	uint32_t a, b, c, d;

	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (a < 7)
		return false;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (b >> 8) & 1;
}
#else
#define HAVE_BMI2_VARIANT 0
#endif

typedef int (*inflate_fast_fn)(struct inflate_state *, struct bitreader *,
			       const uint8_t *, uint8_t *);

/** pick_fast - the fast-loop variant for this CPU (decided once). */
static inflate_fast_fn pick_fast(void)
{
#if HAVE_BMI2_VARIANT
	static inflate_fast_fn chosen;

	if (!chosen)
		chosen = cpu_has_bmi2() ? inflate_fast_bmi2 :
					  inflate_fast_generic;
	return chosen;
#else
	return inflate_fast_generic;
#endif
}

/**
 * run_fast - the fast loop from @br up to the margins @in_fastend and
 * @out_fastend, or to the end of the block (returns as the fast loop).
 *
 * With a CRC to keep, it stops every CRC_CHUNK bytes of output and
 * checksums them while they are still in the L1 cache, instead of reading
 * them back later (a very compressible piece of input can expand to many
 * MB, far more than the caches hold).  That is exact: the fast loop stops
 * only between whole units and never rolls anything back, so all output
 * before br->out is final.
 */
static int run_fast(struct inflate_state *st, struct bitreader *br,
		    const uint8_t *in_fastend, uint8_t *out_fastend)
{
	const inflate_fast_fn fast = pick_fast();

	for (;;) {
		uint8_t *stop = out_fastend;
		int r;

		if (st->crc_enabled &&
		    (size_t)(out_fastend - st->crc_next) > CRC_CHUNK)
			stop = st->crc_next + CRC_CHUNK;
		r = fast(st, br, in_fastend, stop);
		if (r != GZ_NEED_INPUT || stop == out_fastend)
			return r;
		st->crc = crc32_update(st->crc, st->crc_next,
				       (size_t)(br->out - st->crc_next));
		st->crc_next = br->out;
		/* The fast loop stopped at a margin, or at the CRC stop;
		 * after the latter it goes on (each call decodes at least
		 * one unit, so this terminates). */
		if (br->out < stop || br->in >= in_fastend)
			return r;
	}
}

/** inflate_init - see inflate.h. */
void inflate_init(struct inflate_state *st, uint8_t *out_base,
		  uint8_t *out_next, uint8_t *out_end)
{
	st->out_base = out_base;
	st->out_next = out_next;
	st->out_end = out_end;
	st->crc_next = out_next;
	st->crc = 0;
	st->crc_enabled = 0;
	st->stored_left = 0;
	st->mode = MODE_HEADER;
	st->last_block = 0;
	st->tables = TABLES_NONE;
}

/** inflate_track_crc - see inflate.h. */
void inflate_track_crc(struct inflate_state *st)
{
	st->crc_enabled = 1;
	st->crc_next = st->out_next;
	st->crc = 0;
}

/** inflate_crc_output - see inflate.h. */
uint32_t inflate_crc_output(struct inflate_state *st)
{
	/* Output before out_next is final (the decoder only rolls back
	 * what it has not reported), and crc_next never passes out_next. */
	st->crc = crc32_update(st->crc, st->crc_next,
			       (size_t)(st->out_next - st->crc_next));
	st->crc_next = st->out_next;
	return st->crc;
}

/* Order in which the precode lengths are transmitted (RFC 1951 3.2.7). */
static const uint8_t precode_order[INFLATE_NUM_PRECODE] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

/* Rollback point: the reader state at the start of the current unit. */
#define SAVE()                                                         \
	do {                                                           \
		cp_in = in;                                            \
		cp_bitbuf = bitbuf;                                    \
		cp_bitsleft = bitsleft;                                \
		cp_pad = pad;                                          \
		cp_out = out;                                          \
	} while (0)

/* An error, unless the unit ran past the input: then it is incomplete. */
#define FAIL(code)                                                     \
	do {                                                           \
		if (OVERRAN())                                         \
			goto need_input;                               \
		err = (code);                                          \
		goto fail;                                             \
	} while (0)

/* An undefined codeword is only certain with a full codeword of real bits;
 * with less, it may just be cut off. */
#define INVALID_CODE()                                                 \
	do {                                                           \
		if (bitsleft < 8 * pad + MAX_CODEWORD)                  \
			goto need_input;                               \
		FAIL(GZ_ERR_INVALID_CODE);                             \
	} while (0)

/** inflate_decode - see inflate.h. */
int inflate_decode(struct inflate_state *st, const uint8_t *in_start,
		   size_t in_len, unsigned int skip_bits, bool more_input,
		   size_t *bits_used)
{
	const uint8_t *in = in_start;
	const uint8_t *const in_end = in_start + in_len;
	const uint8_t *in_fastend =
		in_len > FAST_IN_MARGIN ? in_end - FAST_IN_MARGIN : in_start;
	uint8_t *out = st->out_next;
	uint8_t *const out_end = st->out_end;
	uint8_t *const out_base = st->out_base;
	bitbuf_t bitbuf = 0;
	unsigned int bitsleft = 0, pad = 0;
	const uint8_t *cp_in;
	bitbuf_t cp_bitbuf;
	unsigned int cp_bitsleft, cp_pad;
	uint8_t *cp_out;
	uint32_t e, len, dist;
	int err;

	if (st->mode == MODE_DONE) {
		*bits_used = skip_bits;
		return GZ_OK;
	}
	if (in_len == 0) {
		*bits_used = skip_bits;
		return more_input ? GZ_NEED_INPUT : GZ_ERR_TRUNCATED;
	}
	if (skip_bits) {
		/* in_len >= 1: these are real bits. */
		REFILL_SLOW();
		CONSUME(skip_bits);
	}
	SAVE();

	for (;;) {
		switch (st->mode) {
		case MODE_HEADER: {
			unsigned int hdr;

			SAVE();
			REFILL_SLOW();
			hdr = BITS(3);
			CONSUME(3);
			st->last_block = hdr & 1;
			switch (hdr >> 1) {
			case 0: {	/* stored */
				uint32_t n, nn;

				CONSUME(bitsleft & 7);	/* to a byte boundary */
				REFILL_SLOW();
				n = BITS(16);
				CONSUME(16);
				REFILL_SLOW();
				nn = BITS(16);
				CONSUME(16);
				if (OVERRAN())
					goto need_input;
				if (n != (~nn & 0xffff))
					FAIL(GZ_ERR_STORED_LEN);
				/* Give back the whole bytes still buffered;
				 * the data is copied straight from in. */
				in -= (bitsleft >> 3) - pad;
				bitbuf = 0;
				bitsleft = 0;
				pad = 0;
				st->stored_left = n;
				st->mode = MODE_STORED;
				break;
			}
			case 1:		/* fixed Huffman codes */
				if (OVERRAN())
					goto need_input;
				if (st->tables != TABLES_FIXED) {
					build_fixed_tables(st);
					st->tables = TABLES_FIXED;
				}
				st->mode = MODE_HUFFMAN;
				break;
			case 2: {	/* dynamic Huffman codes */
				uint8_t pre_lens[INFLATE_NUM_PRECODE];
				unsigned int nlit, ndist, npre, i, n;

				REFILL_SLOW();	/* >= 24 bits: the 14 below */
				nlit = BITS(5) + 257;
				CONSUME(5);
				ndist = BITS(5) + 1;
				CONSUME(5);
				npre = BITS(4) + 4;
				CONSUME(4);
				/* zlib's limits: 286/287 and 30/31 only
				 * exist in the fixed code. */
				if (nlit > 286 || ndist > 30)
					FAIL(GZ_ERR_HUFFMAN_TABLE);
				for (i = 0; i < INFLATE_NUM_PRECODE; i++)
					pre_lens[i] = 0;
				for (i = 0; i < npre; i++) {
					REFILL_SLOW();
					pre_lens[precode_order[i]] = BITS(3);
					CONSUME(3);
				}
				if (OVERRAN())
					goto need_input;
				if (!build_table(&precode_kind,
						 st->precode_table, pre_lens,
						 INFLATE_NUM_PRECODE,
						 st->sorted))
					FAIL(GZ_ERR_HUFFMAN_TABLE);
				/* The tables are being replaced. */
				st->tables = TABLES_NONE;

				n = nlit + ndist;
				i = 0;
				while (i < n) {
					unsigned int sym, rep, val;

					REFILL_SLOW(); /* 7 + 7 bits needed */
					e = st->precode_table[BITS(PRECODE_TB)];
					CONSUME(e & 0xff);
					sym = e >> 16;
					if (sym < 16) {
						st->lens[i++] = (uint8_t)sym;
						continue;
					}
					if (sym == 16) {
						if (i == 0)
							FAIL(GZ_ERR_HUFFMAN_TABLE);
						rep = 3 + BITS(2);
						CONSUME(2);
						val = st->lens[i - 1];
					} else if (sym == 17) {
						rep = 3 + BITS(3);
						CONSUME(3);
						val = 0;
					} else {
						rep = 11 + BITS(7);
						CONSUME(7);
						val = 0;
					}
					if (rep > n - i)
						FAIL(GZ_ERR_HUFFMAN_TABLE);
					mb_memset(st->lens + i, (int)val, rep);
					i += rep;
					if (OVERRAN())
						goto need_input;
				}
				if (OVERRAN())
					goto need_input;
				if (st->lens[256] == 0)	/* no end-of-block */
					FAIL(GZ_ERR_HUFFMAN_TABLE);
				if (!build_table(&litlen_kind, st->litlen_table,
						 st->lens, nlit, st->sorted) ||
				    !build_table(&dist_kind, st->dist_table,
						 st->lens + nlit, ndist,
						 st->sorted))
					FAIL(GZ_ERR_HUFFMAN_TABLE);
				st->tables = TABLES_DYNAMIC;
				st->mode = MODE_HUFFMAN;
				break;
			}
			default:
				FAIL(GZ_ERR_BLOCK_TYPE);
			}
			break;
		}

		case MODE_STORED: {
			size_t n = st->stored_left;
			size_t avail;

			/* Coming from a header or a new call: byte aligned,
			 * buffer holds whole real bytes only; give them back. */
			in -= (bitsleft >> 3) - pad;
			bitbuf = 0;
			bitsleft = 0;
			pad = 0;
			if (n > (size_t)(out_end - out))
				FAIL(GZ_ERR_OUTPUT_FULL);
			avail = (size_t)(in_end - in);
			if (n > avail)
				n = avail;
			if (st->crc_enabled) {
				/* Checksum what precedes, then copy and
				 * checksum the stored data in one pass. */
				st->crc = crc32_update(st->crc, st->crc_next,
						       (size_t)(out - st->crc_next));
				st->crc = crc32_copy(st->crc, out, in, n);
				st->crc_next = out + n;
			} else {
				mb_memcpy(out, in, n);
			}
			out += n;
			in += n;
			st->stored_left -= (uint32_t)n;
			if (st->stored_left) {
				SAVE();
				goto need_input;
			}
			st->mode = st->last_block ? MODE_DONE : MODE_HEADER;
			break;
		}

		case MODE_HUFFMAN: {
			const uint32_t *const ltab = st->litlen_table;
			const uint32_t *const dtab = st->dist_table;

			if (in < in_fastend &&
			    (size_t)(out_end - out) > FAST_OUT_MARGIN) {
				struct bitreader br = { in, bitbuf, bitsleft, out };
				int r = run_fast(st, &br, in_fastend,
						 out_end - FAST_OUT_MARGIN);

				in = br.in;
				bitbuf = br.bitbuf;
				bitsleft = br.bitsleft;
				out = br.out;
				if (r == GZ_OK) {
					st->mode = st->last_block ? MODE_DONE :
								    MODE_HEADER;
					break;
				}
				if (r != GZ_NEED_INPUT) {
					err = r;
					goto fail;
				}
			}

			/* Careful loop: one unit at a time, every access
			 * checked, rolled back if the input runs out. */
			for (;;) {
				SAVE();
				REFILL_SLOW();
				e = ltab[BITS(LITLEN_TB)];
				if ((e & (E_EXC | E_SUB)) == (E_EXC | E_SUB)) {
					CONSUME(LITLEN_TB);
					e = ltab[((e >> 16) & 0xfff) +
						 BITS((e >> 8) & 0xff)];
				}
				if (e & E_LITERAL) {
					CONSUME(e & 0xff);
					if (OVERRAN())
						goto need_input;
					if (out == out_end)
						FAIL(GZ_ERR_OUTPUT_FULL);
					*out++ = (uint8_t)(e >> 16);
					continue;
				}
				if (e & E_EXC) {
					if (!(e & E_EOB))
						INVALID_CODE();
					CONSUME(e & 0xff);
					if (OVERRAN())
						goto need_input;
					break;
				}
				{
					unsigned int clen = (e >> 8) & 0xff;

					CONSUME(clen);
					REFILL_SLOW();
					len = (e >> 16) + BITS((e & 0xff) - clen);
					CONSUME((e & 0xff) - clen);
				}
				REFILL_SLOW();
				e = dtab[BITS(DIST_TB)];
				if (e & D_EXC) {
					if (e & D_SUB) {
						CONSUME(DIST_TB);
						e = dtab[((e >> 16) & 0xfff) +
							 BITS((e >> 8) & 0xff)];
					}
					if (e & D_EXC)
						INVALID_CODE();
				}
				{
					unsigned int clen = (e >> 8) & 0xff;

					CONSUME(clen);
					REFILL_SLOW();
					dist = (e >> 16) + BITS((e & 0xff) - clen);
					CONSUME((e & 0xff) - clen);
				}
				if (OVERRAN())
					goto need_input;
				if (dist > (size_t)(out - out_base))
					FAIL(GZ_ERR_DISTANCE);
				if (len > (size_t)(out_end - out))
					FAIL(GZ_ERR_OUTPUT_FULL);
				{
					const uint8_t *src = out - dist;

					while (len--)
						*out++ = *src++;
				}
			}
			st->mode = st->last_block ? MODE_DONE : MODE_HEADER;
			break;
		}

		case MODE_DONE:
		default:
			st->out_next = out;
			*bits_used = 8 * (size_t)(in - in_start) -
				     (bitsleft - 8 * pad);
			return GZ_OK;
		}
	}

need_input:
	in = cp_in;
	bitbuf = cp_bitbuf;
	bitsleft = cp_bitsleft;
	pad = cp_pad;
	out = cp_out;
	(void)bitbuf;
	st->out_next = out;
	*bits_used = 8 * (size_t)(in - in_start) - (bitsleft - 8 * pad);
	return more_input ? GZ_NEED_INPUT : GZ_ERR_TRUNCATED;

fail:
	st->out_next = out;
	*bits_used = 8 * (size_t)(in - in_start) -
		     (bitsleft > 8 * pad ? bitsleft - 8 * pad : 0);
	return err;
}

/** inflate_raw - see inflate.h. */
int inflate_raw(struct inflate_state *st, const void *in, size_t in_len,
		void *out, size_t out_cap, size_t *out_len, size_t *in_used)
{
	size_t bits;
	int r;

	inflate_init(st, out, out, (uint8_t *)out + out_cap);
	r = inflate_decode(st, in, in_len, 0, false, &bits);
	if (out_len)
		*out_len = (size_t)(st->out_next - (uint8_t *)out);
	if (in_used)
		*in_used = (bits + 7) / 8;
	return r;
}
