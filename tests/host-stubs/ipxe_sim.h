/*
 * ipxe_sim.h - a simulated PXE stack with iPXE's file API, under the
 * com32 fetch code compiled on the host (tests/unit/test_fetch_bounds.c,
 * tests/fuzz/fuzz_ipxe.c).  Include it once: it defines the functions the
 * stub headers declare (pxe_call, the clock, low memory, far pointers,
 * SYSLINUX's configuration).
 *
 * What it serves: the file of sim.len bytes (UINT64_MAX: it never ends),
 * sim_byte(offset) at each offset, the same in every session, so a
 * resumed transfer gets the same bytes.  How it answers comes from one of
 * two places:
 *
 *   - sim.script (the fuzz target): each call takes its answer from the
 *     next bytes (sim_script_*() below say how); when the script runs out,
 *     opens fail and reads find no data, so the stall timeouts end it;
 *   - otherwise the fixed behaviour in struct sim_cfg (the unit test):
 *     packets of sim.pkt bytes, the sizes GET_FILE_SIZE gives at each
 *     open and after the end, a stall at a given offset.
 *
 * Either way a FILE_READ writes at most the BufferSize it was asked for
 * into the buffer it was given (an answer "larger than asked" reports the
 * larger size but writes only what was asked: the firmware is trusted
 * with its own writes, the code under test must not trust the number).
 * The buffer is written with memset/memcpy, so ASan sees a request for
 * more than the bounce buffer holds.  The clock advances 1 ms per reading
 * and more per PXE call, so timeouts and retry pauses pass quickly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_IPXE_SIM_H
#define MBOOT_IPXE_SIM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <com32.h>
#include <sys/times.h>
#include <syslinux/config.h>
#include <syslinux/pxe_api.h>

#define SIM_WOULD_BLOCK	0x1b	/* iPXE's status for "no data yet" */
#define SIM_API_MAGIC_IN	0x91d447b2u
#define SIM_API_MAGIC_OUT	0xe9c17b20u
#define SIM_API_ALL	0x7fu	/* opcodes 0xe0-0xe6 */
#define SIM_OPENS_MAX	8

/** The fixed behaviour (no script). */
struct sim_cfg {
	uint32_t api_mask;	/* APIMask (0: no iPXE file API) */
	uint64_t len;		/* file length; UINT64_MAX: never ends */
	unsigned pkt;		/* bytes per FILE_READ (at most asked) */
	uint32_t size_open[SIM_OPENS_MAX];	/* GET_FILE_SIZE at open n
						 * (the last one repeats) */
	unsigned nsize_open;
	uint32_t size_eof;	/* GET_FILE_SIZE after the end */
	int size_so_far;	/* GET_FILE_SIZE before the end: bytes sent */
	uint64_t stall_at;	/* first session: no data from here on
				 * (0: never) */
	unsigned open_status;	/* FILE_OPEN status (0: success) */
	const uint8_t *data;	/* the bytes (NULL: sim_byte's pattern) */
	/* the fuzz target's answers, when set */
	const uint8_t *script;
	size_t script_len;
};

static struct sim_cfg sim;
static size_t sim_script_pos;
static uint64_t sim_ms;

/* The current session (iPXE opens one file at a time here). */
static struct {
	int open;
	uint16_t handle;
	uint64_t off;		/* bytes delivered in this session */
	int eof;		/* the end was answered */
	unsigned n;		/* sessions opened so far */
} sim_sess;

/* What was delivered, for the tests' invariants. */
static uint64_t sim_eof_at = UINT64_MAX;	/* offset of the last end
						 * answered */
static unsigned sim_opens, sim_reads, sim_overlong;

/** The byte at @off of the pattern served when sim.data is NULL. */
static uint8_t sim_pattern(uint64_t off)
{
	uint32_t x = (uint32_t)off * 2654435761u + (uint32_t)(off >> 32);

	return (uint8_t)(x >> 24 ^ x >> 11 ^ 0x5a);
}

/** The byte at @off of the served file. */
static uint8_t sim_byte(uint64_t off)
{
	return sim.data ? sim.data[off] : sim_pattern(off);
}

/** Reset the firmware, the session and the counters; keep sim. */
static void sim_reset(void)
{
	memset(&sim_sess, 0, sizeof(sim_sess));
	sim_script_pos = 0;
	sim_eof_at = UINT64_MAX;
	sim_opens = sim_reads = sim_overlong = 0;
}

/** True while the script has bytes left. */
static int sim_script_left(void)
{
	return sim.script && sim_script_pos < sim.script_len;
}

/** The next script byte (0 once it is used up). */
static uint8_t sim_script_u8(void)
{
	return sim_script_left() ? sim.script[sim_script_pos++] : 0;
}

/** The next 4 script bytes, little-endian. */
static uint32_t sim_script_u32(void)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)sim_script_u8() << (8 * i);
	return v;
}

/* --- the clock, low memory, far pointers --------------------------------- */

/** The clock (sys/times.h stub): 1 ms per reading. */
clock_t sim_times(struct tms *buf)
{
	(void)buf;
	return (clock_t)(uint32_t)sim_ms++;
}

#define SIM_FAR_MAX 16
static void *sim_far[SIM_FAR_MAX];
static unsigned sim_far_next;

/** A number standing for @p (a slot of sim_far; old ones are reused). */
far_ptr_t FAR_PTR(void *p)
{
	far_ptr_t fp;
	unsigned i;

	for (i = 0; i < SIM_FAR_MAX && sim_far[i] != p; i++)
		;
	if (i == SIM_FAR_MAX) {
		i = sim_far_next++ % SIM_FAR_MAX;
		sim_far[i] = p;
	}
	fp.ptr = i + 1;
	return fp;
}

/** The address a far pointer of FAR_PTR stands for. */
void *GET_PTR(far_ptr_t fp)
{
	return fp.ptr >= 1 && fp.ptr <= SIM_FAR_MAX ? sim_far[fp.ptr - 1] :
						      NULL;
}

/** Low memory: zeroed heap, so ASan watches it. */
void *lzalloc(size_t n)
{
	return calloc(1, n);
}

/** Free low memory; its far pointers stand for nothing any more. */
void lfree(void *p)
{
	for (unsigned i = 0; i < SIM_FAR_MAX; i++)
		if (sim_far[i] == p)
			sim_far[i] = NULL;
	free(p);
}

/** No command line from the core. */
const char *com32_cmdline(void)
{
	return NULL;
}

/** A label cannot run on the host. */
int syslinux_run_command(const char *command)
{
	(void)command;
	return -1;
}

/* --- SYSLINUX's configuration -------------------------------------------- */

static const struct syslinux_version sim_version = {
	"PXELINUX 6.04 PXE 20190226 Copyright (C) 1994-2015 H. Peter Anvin et al",
};
static const struct syslinux_ipinfo sim_ip = {
	.serverip = 0x0202000a,	/* 10.0.2.2, network order */
};
static const union syslinux_derivative_info sim_di = {
	.pxe = { .ipinfo = &sim_ip },
};

/** PXELINUX 6.04 with the PXE stack (not lwIP). */
const struct syslinux_version *syslinux_version(void)
{
	return &sim_version;
}

/** Always PXELINUX. */
enum syslinux_filesystem syslinux_filesystem(void)
{
	return SYSLINUX_FS_PXELINUX;
}

/** The TFTP server: 10.0.2.2. */
const union syslinux_derivative_info *syslinux_derivative_info(void)
{
	return &sim_di;
}

/* --- the PXE calls -------------------------------------------------------- */

/** FILE_OPEN: a new session, or a failure status. */
static void sim_open(t_PXENV_FILE_OPEN *p)
{
	const char *url = GET_PTR(p->FileName);
	unsigned status = sim.open_status;

	sim_ms += 5;
	if (!url || !memchr(url, 0, 1024))
		abort();	/* the code under test passed no URL */
	if (sim.script) {
		uint8_t b = sim_script_u8();
		status = !sim_script_left() && !b ? PXENV_STATUS_FAILURE :
			 b % 8 == 5 ? PXENV_STATUS_TFTP_FILE_NOT_FOUND :
			 b % 8 == 6 ? PXENV_STATUS_FAILURE : 0;
		sim_ms += (b >> 3) * 40u;	/* up to 1.2 s: some slow */
	}
	p->Status = (pxenv_status_t)status;
	if (status)
		return;
	sim_sess.open = 1;
	sim_sess.handle = (uint16_t)(0x100 + sim_sess.n);
	sim_sess.off = 0;
	sim_sess.eof = 0;
	sim_sess.n++;
	sim_opens++;
	p->FileHandle = sim_sess.handle;
}

/** GET_FILE_SIZE: per sim (or the script). */
static void sim_size(t_PXENV_GET_FILE_SIZE *p)
{
	if (!sim_sess.open || p->FileHandle != sim_sess.handle) {
		p->Status = PXENV_STATUS_FAILURE;
		return;
	}
	p->Status = PXENV_STATUS_SUCCESS;
	if (sim.script) {
		uint8_t b = sim_script_u8();
		switch (b % 4) {
		case 0:
			p->Status = PXENV_STATUS_FAILURE;
			break;
		case 1:
			p->FileSize = sim_script_u32();
			break;
		case 2:
			p->FileSize = (uint32_t)sim_sess.off;	/* so far */
			break;
		default:
			p->FileSize = (uint32_t)(b >> 2) * 1024u;
			break;
		}
		return;
	}
	if (sim_sess.eof)
		p->FileSize = sim.size_eof;
	else if (sim.size_so_far)
		p->FileSize = (uint32_t)sim_sess.off;
	else
		p->FileSize = sim.size_open[sim_sess.n - 1 < sim.nsize_open ?
					    sim_sess.n - 1 :
					    sim.nsize_open - 1];
}

/** Write @n bytes of the file from the session's offset into @buf. */
static void sim_deliver(uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = sim_byte(sim_sess.off + i);
	sim_sess.off += n;
}

/** The end of file: BufferSize 0, success. */
static void sim_end(t_PXENV_FILE_READ *p)
{
	sim_sess.eof = 1;
	sim_eof_at = sim_sess.off;
	p->Status = PXENV_STATUS_SUCCESS;
	p->BufferSize = 0;
}

/** FILE_READ by the script: data, no data yet, the end, an error, or a
 * length larger than asked. */
static void sim_read_script(t_PXENV_FILE_READ *p, uint8_t *buf, size_t asked)
{
	uint64_t left = sim.len - sim_sess.off;
	uint8_t b;
	size_t n;

	if (!sim_script_left()) {	/* used up: the server went quiet */
		sim_ms += 500;
		p->Status = SIM_WOULD_BLOCK;
		return;
	}
	if (sim_sess.eof || !left) {
		sim_end(p);
		return;
	}
	b = sim_script_u8();
	switch (b % 8) {
	case 0: case 1: case 2:	/* a packet of the script's length */
		n = (size_t)sim_script_u8() * 16 + (b >> 3) + 1;
		break;
	case 3:			/* no data yet, for a while */
		sim_ms += (b >> 3) * 200u;
		p->Status = SIM_WOULD_BLOCK;
		return;
	case 4:
		sim_end(p);
		return;
	case 5:			/* an error status (maybe "would block") */
		p->Status = (pxenv_status_t)(b >> 3 | 1);
		return;
	case 6:			/* "success" with more than was asked */
		n = asked < left ? asked : (size_t)left;
		memset(buf, 0xee, n);
		p->Status = PXENV_STATUS_SUCCESS;
		p->BufferSize = (uint16_t)(asked + 1 + sim_script_u8());
		sim_overlong++;
		return;
	default:		/* all that was asked */
		n = asked;
		break;
	}
	if (n > asked)
		n = asked;
	if (n > left)
		n = (size_t)left;
	sim_deliver(buf, n);
	p->Status = PXENV_STATUS_SUCCESS;
	p->BufferSize = (uint16_t)n;
}

/** FILE_READ: per sim or the script. */
static void sim_read(t_PXENV_FILE_READ *p)
{
	uint8_t *buf = GET_PTR(p->Buffer);
	size_t asked = p->BufferSize;

	sim_ms += 1;
	sim_reads++;
	if (!sim_sess.open || p->FileHandle != sim_sess.handle || !buf) {
		p->Status = PXENV_STATUS_FAILURE;
		return;
	}
	/* The whole buffer asked for must be there: ASan says if not. */
	memset(buf, 0xcc, asked);
	p->BufferSize = 0;
	if (sim.script) {
		sim_read_script(p, buf, asked);
		return;
	}
	if (sim.stall_at && sim_sess.n == 1 && sim_sess.off >= sim.stall_at) {
		sim_ms += 100;
		p->Status = SIM_WOULD_BLOCK;
		return;
	}
	uint64_t left = sim.len - sim_sess.off;
	if (sim_sess.eof || !left) {
		sim_end(p);
		return;
	}
	size_t n = sim.pkt < asked ? sim.pkt : asked;
	if (n > left)
		n = (size_t)left;
	sim_deliver(buf, n);
	p->Status = PXENV_STATUS_SUCCESS;
	p->BufferSize = (uint16_t)n;
}

/** Trace one call's answer (build with -DSIM_TRACE: seed and crash work). */
static void sim_trace(int opcode, const void *params)
{
#ifdef SIM_TRACE
	const t_PXENV_FILE_READ *r = params;
	const t_PXENV_GET_FILE_SIZE *z = params;

	fprintf(stderr, "sim %5llu ms: op %#x status %#x", (unsigned long long)sim_ms,
		opcode, r->Status);
	if (opcode == PXENV_FILE_READ)
		fprintf(stderr, " size %u (session at %llu)", r->BufferSize,
			(unsigned long long)sim_sess.off);
	if (opcode == PXENV_GET_FILE_SIZE)
		fprintf(stderr, " file size %u", z->FileSize);
	fprintf(stderr, "\n");
#else
	(void)opcode;
	(void)params;
#endif
}

/** The PXE entry point: the file API calls above; others fail. */
int pxe_call(int opcode, void *params)
{
	switch (opcode) {
	case PXENV_FILE_API_CHECK: {
		t_PXENV_FILE_API_CHECK *c = params;
		if (!sim.api_mask || c->Magic != SIM_API_MAGIC_IN) {
			c->Status = PXENV_STATUS_FAILURE;
			return 1;
		}
		c->Status = PXENV_STATUS_SUCCESS;
		c->Magic = SIM_API_MAGIC_OUT;
		c->Size = sizeof(*c);
		c->APIMask = sim.api_mask;
		return 0;
	}
	case PXENV_FILE_OPEN:
		sim_open(params);
		break;
	case PXENV_GET_FILE_SIZE:
		sim_size(params);
		break;
	case PXENV_FILE_READ:
		sim_read(params);
		break;
	case PXENV_FILE_CLOSE: {
		t_PXENV_FILE_CLOSE *c = params;
		if (sim_sess.open && c->FileHandle == sim_sess.handle)
			sim_sess.open = 0;
		c->Status = PXENV_STATUS_SUCCESS;
		break;
	}
	default:
		return 1;
	}
	sim_trace(opcode, params);
	return ((t_PXENV_FILE_CLOSE *)params)->Status ? 1 : 0;
}

#endif
