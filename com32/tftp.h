/*
 * tftp.h - mboot's own TFTP client (RFC 1350 with the blksize and tsize
 * options, RFC 2347-2349), over the PXE UDP API, built for lossy links.
 *
 * Why: a TFTP server retransmits a lost DATA packet only on its own timer
 * and ignores a repeated ACK of the block before it (dnsmasq: one to two
 * seconds, whole-second clock; RFC 1123 forbids resending on a duplicate
 * ACK).  So every lost packet costs a classic client a second or more,
 * and 5 % loss turns a 3 MiB module into minutes.  This client never
 * waits for that timer while it can do better:
 *
 *  - The server sends block k + 1 as soon as it accepts the ACK of block
 *    k, and it accepts an ACK of the very block it last sent, received or
 *    not.  So the client acknowledges up to TFTP_WINDOW blocks ahead of
 *    what has arrived: the server streams, and the round trip is paid
 *    once per window, not once per block.  A block whose DATA is lost is
 *    a hole; an ACK lost breaks the chain (the server ignores the ACKs
 *    after it), which the client sees as silence for a few round trips
 *    and mends by acknowledging again from the last block that arrived.
 *  - Holes are filled by further sessions of the same file (a new read
 *    request each), which run from the start, acknowledging everything
 *    as it comes and keeping only the blocks still missing.  With 5 %
 *    loss a pass leaves 5 % of the holes it found.  Like the first, they
 *    stay open from one read to the next (a read of the next piece goes
 *    on where they stopped); one that died meanwhile is started again.
 *  - The last session allowed per read is patient: it waits for the
 *    server's retransmission of a block it needs, so a read always ends.
 *
 * A read of bytes [off, off + len) fills @dst directly; blocks that arrive
 * past it are kept in a small cache for the next read.  Every byte of
 * @dst is written from the block that holds it, whichever session brought
 * it, so the result is the file exactly (block numbers place every byte).
 * The end of a TFTP file is its short block (RFC 1350), not the size the
 * tsize option announced: a read that reaches the end succeeds only once
 * the server's last block arrived and was exactly as short as tsize says
 * (empty when tsize is a multiple of the block size); a longer or a
 * premature short block ends the read with an error.
 *
 * Spoofed packets (anyone on the LAN can send UDP "from" the server):
 *  - Our port (the transfer ID) is drawn at random for every session, from
 *    TFTP_PORT_FIRST..TFTP_PORT_FIRST + TFTP_PORT_COUNT - 1, with SipHash
 *    keyed by what differs from boot to boot (time-stamp counter, timer,
 *    the DHCP ACK with the MAC and transaction id): a packet aimed at the
 *    transfer must guess it (13 bits per session).
 *  - Every session start (the first session of a file and every later
 *    one) sends its read request twice at once, from two fresh random
 *    ports A and B (A first), and reads with any destination port until
 *    both are answered, keeping only packets from the server's address to
 *    A or B.  For each port the first answer is noted (an OACK and its
 *    options, an ERROR, DATA without an OACK) with the server port it
 *    came from, which becomes the transfer ID; a second server port
 *    answering the same request is a conflict when that request went out
 *    once (one request starts one genuine transfer, so one of the two is
 *    forged); when it was repeated, a second genuine transfer may answer,
 *    so it is only told "unknown transfer ID" (RFC 1350) as a stray.
 *    Both OACKs alike and no conflict: the transfer of A goes on, B's is
 *    ended with an ERROR.  Both refused alike: the refusal is believed (a
 *    missing file costs no more round trips than one request).  Anything
 *    else (a conflict, an OACK against an ERROR, other sizes) is
 *    contested: both are dropped and two fresh ports ask again, at most
 *    TFTP_CONTESTS times, then the open fails naming forged or
 *    inconsistent answers.  (A request answered with an OACK while the
 *    other got nothing through all its tries is taken: loss, since a
 *    forged OACK is exposed by the server's own answer to that port.)
 *  - Why: a blind attacker (one who cannot see our packets) who floods
 *    forged OACKs at our port range must now land mutually consistent
 *    ones on both drawn ports before the genuine answers, about p^2
 *    instead of p per session for a chance p per port; a forgery on A
 *    alone is exposed by the server's own OACK to A, which it sends before
 *    B's.  Even then, the server's answer to A still comes: in the data
 *    phase an OACK or DATA block 1 from a second server port to a session
 *    whose request went out once, within TFTP_CONFLICT_US of it, ends the
 *    read with an error (the fetch layer opens the file again), so the
 *    forgery must also deliver the whole read before that answer is read.
 *    That is the hole left (test_tftp states it): OACKs alike on both
 *    ports plus every block of a read, all queued ahead of the server's
 *    answer to A - 2 + size / 1408 packets aimed at two ports drawn from
 *    8192 within a round trip.  The forgery chooses its own size (tsize
 *    is the attacker's too), and a Multiboot kernel fits in one block, so
 *    this is a matter of luck, not of file size: only -sha256 closes it.
 *    (Measured in the network lab: without that time limit, the aimed
 *    flood, 5000 forged packets/s over our 8192 ports, failed 7 module
 *    reads in one 2-client boot, one module 3 times in a row.)
 *  - From the first answer on, only packets from the transfer's port
 *    count: a packet from another port is answered with ERROR 5
 *    ("unknown transfer ID") and dropped (an ERROR from there only
 *    dropped; an OACK or block 1 from there is the conflict above), a
 *    repeated OACK is ignored.  Packets from other addresses are never
 *    looked at.
 *  - OACK options are checked as RFC 2347-2349 say: only the two we asked
 *    for, each once, decimal numbers (digits only), blksize 8..1408.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_TFTP_H
#define MBOOT_TFTP_H

#include <stddef.h>
#include <stdint.h>
#include "../lib/error.h"

/* Our ports: above PXELINUX's own 49152-57343, a power of two of them. */
#define TFTP_PORT_FIRST	57344u
#define TFTP_PORT_COUNT	8192u
/* A port is not drawn again while one of the last this many holds it
 * (every session a read keeps open has its own). */
#define TFTP_PORT_RECENT	32u
/* How long after its read request a session takes an OACK or block 1
 * from a second server port as a conflict (the server's own answer comes
 * within a round trip; later ones are only strays: a blind flood hits a
 * long transfer's port now and then, which must not fail the read). */
#define TFTP_CONFLICT_US	100000u
/* Rounds of two read requests whose answers disagreed, before the open
 * fails (each round from two fresh ports). */
#define TFTP_CONTESTS	4u

/* Block size asked for (PXELINUX's: safe for every PXE ROM's buffers). */
#define TFTP_BLKSIZE	1408u
/* Block size asked for when the PXE stack reassembles IP fragments
 * (pxe_udp_max(), iPXE) and no block of the boot was lost yet: one
 * PXENV_UDP_READ (the cost that bounds a transfer under emulation, and a
 * real-mode switch on hardware) brings ~5.8 times the bytes.  A frame lost
 * loses the whole block, so once losses were seen, later files ask for
 * TFTP_BLKSIZE (a file's sessions all keep the block size it started
 * with: its holes are counted in its blocks). */
#define TFTP_BLKSIZE_BIG	8192u
/* A block of the first this many lost in blocks bigger than one frame
 * (PXE_UDP_MAX - 4 = 1468 bytes of data): the file starts again in small
 * ones (costs at most these again: 512 KiB). */
#define TFTP_BIG_PROBE	64u
/* Sessions per read: the first plus fillers; the last one is patient. */
#define TFTP_PASSES	6u
/* Blocks that arrived past a read, kept for the next one. */
#define TFTP_CACHE	4u
/* No packet at all for this long: the transfer has stalled.  A live
 * server answers a repeated ACK within a round trip, so a session that
 * is not waiting for a retransmission gives up sooner. */
#define TFTP_STALL_MS	10000u
#define TFTP_SILENT_MS	5000u

/* Acknowledgements sent ahead of the data.  Kept well below a NIC's
 * transmit ring: PXE_UDP_WRITE does not reap finished transmissions, and
 * iPXE's e1000 driver drops a packet when its 15 descriptors are taken. */
#define TFTP_WINDOW	8u

/* RFC 7440 windowsize asked for (blocks the server sends per ACK): a
 * server that grants it is read window by window, a lost block fetched
 * again by acknowledging the last one in order (tftp.c, window_run);
 * one that ignores it by acknowledging ahead (session_run). */
#define TFTP_WINDOWSIZE		8u
#define TFTP_WINDOWSIZE_TEXT	"8"

/* Congestion control (see tftp.c, "congestion control"): the window grows
 * TFTP_PLATEAU times more slowly from one below the window at the last
 * loss on.  A block that comes TFTP_LATE_US after its ACK was sent again by
 * the server's timer: a loss.  The link is judged full or lossy once
 * TFTP_CC_SAMPLES blocks were seen at a window of 1 and above it, from
 * counts halved at TFTP_CC_MEMORY blocks; on a full link wider windows are
 * tried in the first TFTP_PROBE_ZONE blocks of each file only. */
#define TFTP_PLATEAU	8u
#define TFTP_LATE_US	400000u
#define TFTP_CC_SAMPLES	64u
#define TFTP_CC_MEMORY	2048u
#define TFTP_PROBE_ZONE	256u

/** One session: one read request and the server's transfer it started. */
struct tftp_session {
	uint16_t lport, rport;	/* our port, the server's (0: not open) */
	uint32_t acked;		/* last block acknowledged in the chain */
	uint32_t seen;		/* last block received */
	uint32_t resume;	/* block to acknowledge when going on */
	uint8_t has_resume;	/* resume is valid */
	uint8_t done;		/* the server sent the last block */
	uint8_t once;		/* its read request went out once */
	uint64_t conflict_until;	/* clock_us: see TFTP_CONFLICT_US */
	uint32_t resent_to;	/* ACKs up to here may have been sent twice */
	uint32_t lost_to;	/* blocks up to here were counted as lost */
	uint32_t wsize;		/* RFC 7440 windowsize granted (0: none) */
	/* when each acknowledgement in the window was sent (round trips) */
	uint32_t sent_blk[TFTP_WINDOW];
	uint64_t sent_us[TFTP_WINDOW];
};

/** An open file. */
struct tftp_file {
	uint32_t server;	/* IPv4, network order */
	uint16_t port;		/* the server's request port (69) */
	char path[512];		/* as sent in the read request */
	uint64_t size;		/* from tsize */
	uint32_t bs;		/* negotiated block size */
	uint32_t ask_bs;	/* the block size asked for */
	uint8_t smaller;	/* started again with small blocks */
	uint32_t nblocks;	/* blocks in the file: size / bs + 1 */
	uint64_t pos;		/* where the next read starts */
	uint8_t ended;		/* the last (short) block arrived, as long
				   as tsize says */
	struct tftp_session first;	/* kept open from read to read */
	struct tftp_session fill[TFTP_PASSES - 1];	/* later ones, too */
	uint32_t srtt_us, rttvar_us;	/* round trip estimate */
	/* statistics for the summary line */
	uint32_t lost;		/* blocks fetched again by a later session */
	uint32_t passes;	/* sessions after the first */
	uint32_t restarts;	/* acknowledgement chains started again */
	uint8_t filling;	/* a later session is running */
	uint8_t counts_acks;	/* the server sent a block not yet asked for:
				 * it answers every ACK with its next block,
				 * whatever the number (QEMU's slirp) */
	struct {
		uint32_t blk;		/* 0: empty */
		uint16_t len;
		uint8_t data[TFTP_BLKSIZE_BIG];
	} cache[TFTP_CACHE];
};

/**
 * Open @path on @server (network order) port @port: two read requests
 * with blksize and tsize (see above); the answer gives the size.  @name
 * is for messages.  Returns MB_OK; MB_E_NOT_FOUND when the server says
 * the file is not there (both requests refused alike); MB_E_FIRMWARE
 * when the server cannot be used this way (no answer, no options, options
 * we cannot use, or ERROR 8 "options refused": the caller may use another
 * transport); MB_E_READ when the answers disagreed TFTP_CONTESTS times.
 */
int tftp_open(struct tftp_file *t, uint32_t server, uint16_t port,
	      const char *path, const char *name, struct mb_error *err);

/**
 * Read @len bytes at t->pos (fewer at the end of the file) into @dst;
 * *@got says how many.  A read that reaches the end of the file (or starts
 * there) waits for the server's last, short block.  Errors are MB_E_READ
 * worded "NAME: cause".
 */
int tftp_read(struct tftp_file *t, void *dst, size_t len, size_t *got,
	      const char *name, struct mb_error *err);

/**
 * Forget what was learnt about the link (the congestion window, shared by
 * every file of a boot): for a new boot, and for the host tests.
 */
void tftp_link_reset(void);

/**
 * What the congestion control knows of the link now, for the summary
 * line: the window, whether the link is judged full, and the loss counts
 * it judges by (see tftp.c).  Returns what snprintf returns.
 */
int tftp_link_describe(char *buf, size_t cap);

/** End the open session (an ERROR packet tells the server to stop). */
void tftp_close(struct tftp_file *t);

#endif
