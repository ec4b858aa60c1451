/*
 * test_fetch_bounds.c - every write on the fetch path stays inside its
 * buffer, whatever size a transport announced, and every size is checked
 * before it is used (issue 15).
 *
 * com32/fetch.c, fetch_retry.c, fetch_ipxe.c and main.c are compiled in
 * as they are, against the stub SYSLINUX headers of tests/host-stubs and
 * its simulated iPXE (ipxe_sim.h), under ASan and UBSan (Makefile).  Two
 * transports feed them: that simulated iPXE file API, and a scripted one
 * in place of PXELINUX's (fx below: it announces one size and delivers
 * another, exactly as asked).
 *
 * The BIOS module's size_t is 32 bits; the host's is 64.  So that the
 * host sees what the module would, every malloc/realloc of the code under
 * test goes through a shim that takes the size modulo 2^32, as the
 * module's 32-bit arithmetic would have, and counts the requests that did
 * not fit (expected: none).  A buffer of 64 MiB or more is address space
 * only (PROT_NONE): the scripted transport then reports bytes without
 * writing them ("lazy") and checks instead that they would land inside a
 * live buffer.  Modules are read into place at addresses below 4 GiB
 * (MAP_32BIT), each ending at an inaccessible page.
 *
 * Prints "case NAME" per case, failures, and "fetch_bounds: N passed, M
 * failed".  With an argument, runs only the case of that name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include "check.h"
#include "ipxe_sim.h"

/* --- the 32-bit allocator shim -------------------------------------------- */

#define SHIM_BLOCKS 64
#define SHIM_FAKE_MIN (64u << 20)	/* from here on: address space only */

static struct shim_block {
	void *p;
	size_t n;
	int fake;
} shim_blk[SHIM_BLOCKS];
static unsigned shim_wrapped;	/* requests of 2^32 bytes or more */
static unsigned shim_bad_free;	/* free/realloc of no live block */
static size_t shim_largest;	/* the largest block handed out */

/** Hand out a block of @n bytes (already 32 bits) and record it. */
static void *shim_alloc(size_t n)
{
	int fake = n >= SHIM_FAKE_MIN;
	void *p;
	unsigned i;

	for (i = 0; i < SHIM_BLOCKS && shim_blk[i].p; i++)
		;
	if (i == SHIM_BLOCKS)
		abort();	/* the test leaks: a bug in it */
	if (fake) {
		p = mmap(NULL, n, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
	} else {
		p = malloc(n);	/* malloc(0) too: ASan sees any write */
		if (!p)
			return NULL;
	}
	shim_blk[i] = (struct shim_block){ p, n, fake };
	if (n > shim_largest)
		shim_largest = n;
	return p;
}

/** The live block at @p, or NULL. */
static struct shim_block *shim_find(const void *p)
{
	for (unsigned i = 0; i < SHIM_BLOCKS; i++)
		if (shim_blk[i].p && shim_blk[i].p == p)
			return &shim_blk[i];
	return NULL;
}

/** The module's malloc: the size as its 32-bit size_t holds it. */
static void *shim_malloc(size_t n)
{
	if (n > UINT32_MAX)
		shim_wrapped++;
	return shim_alloc((uint32_t)n);
}

/** free: a pointer that is not a live block is counted, not freed. */
static void shim_free(void *p)
{
	struct shim_block *b;

	if (!p)
		return;
	b = shim_find(p);
	if (!b) {
		shim_bad_free++;
		return;
	}
	if (b->fake)
		munmap(b->p, b->n);
	else
		free(b->p);
	b->p = NULL;
}

/** realloc as SYSLINUX's (size 0: free, NULL), on 32-bit sizes. */
static void *shim_realloc(void *p, size_t n)
{
	struct shim_block *b;
	void *q;

	if (n > UINT32_MAX)
		shim_wrapped++;
	n = (uint32_t)n;
	if (!p)
		return shim_alloc(n);
	b = shim_find(p);
	if (!b) {
		shim_bad_free++;
		return NULL;
	}
	if (!n) {
		shim_free(p);
		return NULL;
	}
	q = shim_alloc(n);
	if (!q)
		return NULL;
	b = shim_find(p);
	if (!b->fake && n < SHIM_FAKE_MIN)	/* a fake block has no bytes */
		memcpy(q, p, b->n < n ? b->n : n);
	shim_free(p);
	return q;
}

/** True when [@p, @p + @n) lies inside one live block. */
static int shim_inside(const void *p, size_t n)
{
	const uint8_t *q = p;

	for (unsigned i = 0; i < SHIM_BLOCKS; i++) {
		const uint8_t *s = shim_blk[i].p;
		if (s && q >= s && q <= s + shim_blk[i].n &&
		    n <= (size_t)(s + shim_blk[i].n - q))
			return 1;
	}
	return 0;
}

/* --- the code under test ----------------------------------------------------- */

#define malloc(n) shim_malloc(n)
#define realloc(p, n) shim_realloc(p, n)
#define free(p) shim_free(p)
#define main mboot_main
#include "../../com32/fetch.c"
#include "../../com32/fetch_retry.c"
#include "../../com32/fetch_ipxe.c"
#include "../../com32/main.c"
#include "../../com32/autogunzip.c"
#include "../../com32/catmod.c"
#include "../../com32/cfgfile.c"
#undef main
#undef malloc
#undef realloc
#undef free

#include "main_stubs.h"

/* --- fx: the scripted transport in PXELINUX's place ------------------------- */

static struct {
	uint64_t announce;	/* the size it announces (0: none) */
	uint64_t len;		/* the bytes it delivers; UINT64_MAX: no end */
	size_t per_read;	/* at most this per read (0: all asked) */
	int lazy;		/* count the bytes, do not write them */
	uint64_t pos;
	unsigned opens, outside;	/* reads not inside a live buffer */
} fx;

/** Open: announce fx.announce. */
static int fx_open(struct fetch *f, const char *name, struct mb_error *err)
{
	(void)name;
	(void)err;
	fx.opens++;
	fx.pos = 0;
	f->size = fx.announce;
	return MB_OK;
}

/** Read: the next bytes of the pattern, at most @len (the contract). */
static int fx_read(struct fetch *f, void *dst, size_t len, size_t *got,
		   struct mb_error *err)
{
	uint64_t left = fx.len - fx.pos;
	size_t n = len;

	(void)f;
	(void)err;
	if (fx.per_read && n > fx.per_read)
		n = fx.per_read;
	if (n > left)
		n = (size_t)left;
	if (fx.lazy) {
		if (n && !shim_inside(dst, n))
			fx.outside++;
	} else {
		for (size_t i = 0; i < n; i++)
			((uint8_t *)dst)[i] = sim_pattern(fx.pos + i);
	}
	fx.pos += n;
	*got = n;
	return MB_OK;
}

/** Close: nothing to release. */
static void fx_close(struct fetch *f)
{
	(void)f;
}

const struct fetch_ops fetch_pxelinux_ops = {
	.name = "PXELINUX", .open = fx_open, .read = fx_read, .close = fx_close,
};

/* --- helpers ------------------------------------------------------------------ */

/** Forget what the last case left: files, sessions, counters. */
static void reset(const char *line)
{
	struct mb_error err;

	for (unsigned i = 0; i < MB_MAX_FILES; i++) {
		shim_free(heap_data[i]);
		heap_data[i] = NULL;
		file_len[i] = heap_len[i] = file_addr[i] = 0;
		is_held[i] = false;
	}
	memset(&fx, 0, sizeof(fx));
	memset(&sim, 0, sizeof(sim));
	sim_reset();
	sim.api_mask = SIM_API_ALL;
	sim.pkt = 1432;
	ipxe_checked = 0;	/* the API check again, per sim.api_mask */
	ipxe_stalled = 0;
	ipxe_refused[0] = '\0';
	shim_wrapped = shim_bad_free = 0;
	shim_largest = 0;
	if (mb_parse_cmdline(line, &req, &err))
		printf("bad test line %s: %s\n", line, err.msg);
	req.opts |= MB_OPT_QUIET;
}

/** True when @p holds the first @n bytes of the pattern. */
static int is_pattern(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != sim_pattern(i))
			return 0;
	return 1;
}

/** The kernel as load_kernel() reads it: streamed, else whole. */
static int read_kernel(struct mb_error *err)
{
	int rc = stream_kernel(err);

	if (rc == 1)
		rc = load_to_heap(0, 1, err);
	return rc;
}

/**
 * @n bytes below 4 GiB (as the module's file_addr) ending right at an
 * inaccessible page, so a write past them faults.
 */
static uint8_t *low_buffer(size_t n, void **map, size_t *map_len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t rw = (n + pg - 1) / pg * pg;
	uint8_t *m = mmap(NULL, rw + pg, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	mprotect(m + rw, pg, PROT_NONE);
	*map = m;
	*map_len = rw + pg;
	return m + rw - n;
}

/* --- the cases ----------------------------------------------------------------- */

/*
 * Finding 1: iPXE over TFTP without tsize announces at the open only the
 * first block (1432 bytes); a plain kernel of 200000 bytes.  Before the
 * fix: a 1433-byte buffer and a 64 KiB copy into it (ASan: heap overflow).
 * Now the buffer grows as the kernel arrives, in the one transfer.
 */
static void case_stream_ipxe_no_tsize(void)
{
	struct mb_error err;

	reset("tftp://10.0.2.2/vmlinuz");
	sim.len = 200000;
	sim.size_open[0] = 1432;
	sim.nsize_open = 1;
	sim.size_eof = 200000;
	int rc = read_kernel(&err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(file_len[0], 200000);
	CHECK(heap_data[0] && is_pattern(heap_data[0], file_len[0]));
	CHECK_EQ_U(shim_wrapped, 0);
	CHECK_EQ_U(sim_opens, 1);
}

/*
 * The same for a gzip kernel: no output estimate can come from a hint, so
 * it is read whole (a second open) and then decompressed.
 */
static void case_stream_ipxe_no_tsize_gzip(void)
{
	static uint8_t plain[300000], gz[310000];
	struct mb_error err;
	z_stream z;

	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = i % 3 ? sim_pattern(i) : 'k';
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_in = plain;
	z.avail_in = sizeof(plain);
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
	deflateEnd(&z);
	reset("tftp://10.0.2.2/xen.gz");
	sim.data = gz;
	sim.len = z.total_out;
	sim.size_open[0] = 1432;
	sim.nsize_open = 1;
	sim.size_eof = (uint32_t)z.total_out;
	int rc = read_kernel(&err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(file_len[0], sizeof(plain));
	CHECK(rc == MB_OK && !memcmp(heap_data[0], plain, sizeof(plain)));
	CHECK_EQ_U(sim_opens, 2);
}

/*
 * A transport whose size is announced (not a hint) delivers more: in the
 * first 64 KiB piece (before: that piece copied whole into the announced
 * size + 1, a heap overflow), or later (before: "transfer ended after
 * 100001 of 100000 bytes").
 */
static void case_stream_longer(uint64_t announce, uint64_t len)
{
	struct mb_error err;
	char want[128];

	reset("-pxelinux vmlinuz");
	fx.announce = announce;
	fx.len = len;
	int rc = read_kernel(&err);
	snprintf(want, sizeof(want),
		 "vmlinuz: the server sent more than the %llu bytes it announced",
		 (unsigned long long)announce);
	CHECK_EQ_U(rc, MB_E_READ);
	CHECK_STR(err.msg, want);
	CHECK(!heap_data[0]);
	CHECK_EQ_U(shim_wrapped, 0);
}

/* The same kernel when the transport keeps its word: streamed, whole. */
static void case_stream_exact(void)
{
	struct mb_error err;

	reset("-pxelinux vmlinuz");
	fx.announce = fx.len = 100000;
	fx.per_read = 1000;
	int rc = read_kernel(&err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(file_len[0], 100000);
	CHECK(heap_data[0] && is_pattern(heap_data[0], 100000));
	CHECK_EQ_U(fx.opens, 1);	/* streamed: one read of the file */
}

/*
 * Finding 2: sizes that do not fit 32 bits.  2^61: before, 8 times it
 * plus 1 MiB wrapped to 1 MiB, so the kernel was streamed into
 * malloc(2^61 + 1), 1 byte in 32 bits.  2^32 + 1000 and 2^32 - 1: the
 * whole-file buffer (size + 1) was 1001 and 0 bytes in 32 bits.
 */
static void case_size_too_big(const char *line, const char *name,
			      uint64_t announce, int kernel)
{
	struct mb_error err;
	char want[128];
	uint8_t *data = NULL;
	size_t len = 0;
	int rc;

	reset(line);
	fx.announce = announce;
	fx.len = 5000;
	if (kernel) {
		rc = read_kernel(&err);
	} else {
		rc = fetch_file(name, FETCH_FORCE_PXELINUX | FETCH_QUIET, NULL,
				&data, &len, &err);
		shim_free(data);
	}
	snprintf(want, sizeof(want), "%s: %llu bytes cannot fit below 4 GiB",
		 name, (unsigned long long)announce);
	CHECK_EQ_U(rc, MB_E_OUT_OF_MEMORY);
	CHECK_STR(err.msg, want);
	CHECK_EQ_U(shim_wrapped, 0);
	CHECK_EQ_U(fx.pos, 0);	/* refused before any read */
}

/*
 * Finding 2: a file of no announced size that never ends.  The buffer
 * doubles up to the most that fits below 4 GiB, then the read stops with
 * an error; before, the doubling past 2 GiB wrapped to 0 in 32 bits
 * (realloc(p, 0) frees p, which was then freed again).
 */
static void case_unknown_never_ends(void)
{
	struct mb_error err;
	char want[128];
	uint8_t *data = NULL;
	size_t len = 0;

	reset("-pxelinux vmlinuz");
	fx.len = UINT64_MAX;
	fx.lazy = 1;
	int rc = fetch_file("endless", FETCH_FORCE_PXELINUX | FETCH_QUIET,
			    NULL, &data, &len, &err);
	snprintf(want, sizeof(want),
		 "endless: more than %u bytes cannot fit below 4 GiB",
		 0xfff00000u);
	CHECK_EQ_U(rc, MB_E_OUT_OF_MEMORY);
	CHECK_STR(err.msg, want);
	CHECK_EQ_U(shim_wrapped, 0);
	CHECK_EQ_U(shim_bad_free, 0);
	CHECK_EQ_U(fx.outside, 0);
	CHECK_EQ_U(shim_largest, 0xfff00001u);
	CHECK_EQ_U(fx.pos, 0xfff00001u);	/* filled, not more */
}

/* A whole file over iPXE without tsize: the buffer grows with it. */
static void case_file_ipxe_hint(void)
{
	struct mb_error err;
	uint8_t *data = NULL;
	size_t len = 0;

	reset("vmlinuz");
	sim.len = 300000;
	sim.size_open[0] = 1432;
	sim.nsize_open = 1;
	sim.size_eof = 300000;
	int rc = fetch_file("tftp://10.0.2.2/initrd", FETCH_QUIET, NULL, &data,
			    &len, &err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(len, 300000);
	CHECK(data && is_pattern(data, len));
	shim_free(data);
}

/*
 * A module over iPXE without tsize: its size is not known until it has
 * arrived, so it is read whole and then copied into place.  Before: the
 * plan took the 1432 bytes announced, and the read into place stopped
 * with "file is longer than the 1432 bytes announced".
 */
static void case_module_ipxe_hint(void)
{
	struct mb_error err;
	void *map = NULL;
	size_t map_len = 0;

	reset("tftp://10.0.2.2/k --- tftp://10.0.2.2/initrd");
	sim.len = 200000;
	sim.size_open[0] = 1432;
	sim.nsize_open = 1;
	sim.size_eof = 200000;
	int rc = size_module(1, &err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(file_len[1], 200000);
	uint8_t *dst = low_buffer(file_len[1], &map, &map_len);
	CHECK(dst != NULL);
	if (!dst)
		return;
	file_addr[1] = (uint32_t)(uintptr_t)dst;
	rc = fetch_into_place(1, &err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK(rc == MB_OK && is_pattern(dst, file_len[1]));
	munmap(map, map_len);
}

/*
 * A module whose announced size is exceeded is an error naming the file
 * and the size, with nothing written past its place (a fault if it were).
 */
static void case_module_longer(void)
{
	struct mb_error err;
	void *map = NULL;
	size_t map_len = 0;

	reset("-pxelinux k --- initrd");
	fx.announce = 5000;
	fx.len = 6000;
	int rc = size_module(1, &err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(file_len[1], 5000);
	uint8_t *dst = low_buffer(5000, &map, &map_len);
	CHECK(dst != NULL);
	if (!dst)
		return;
	file_addr[1] = (uint32_t)(uintptr_t)dst;
	rc = fetch_into_place(1, &err);
	CHECK_EQ_U(rc, MB_E_READ);
	CHECK_STR(err.msg,
		  "initrd: the server sent more than the 5000 bytes it announced");
	CHECK(is_pattern(dst, 5000));
	munmap(map, map_len);
}

/*
 * A transfer over iPXE without tsize stalls and is opened again; the
 * second open has more queued (2864 bytes so far).  Two hints are not
 * two sizes: the transfer resumes.  Before: "changed on the server: 2864
 * bytes, was 1432", final.
 */
static void case_retry_hints(void)
{
	struct mb_error err;
	uint8_t *data = NULL;
	size_t len = 0;

	reset("vmlinuz");
	sim.len = 300000;
	sim.size_open[0] = 1432;
	sim.size_open[1] = 2864;
	sim.nsize_open = 2;
	sim.size_eof = 300000;
	sim.stall_at = 100000;
	int rc = fetch_file("tftp://10.0.2.2/initrd", FETCH_QUIET, NULL, &data,
			    &len, &err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(len, 300000);
	CHECK(data && is_pattern(data, len));
	CHECK_EQ_U(sim_opens, 2);
	shim_free(data);
}

/*
 * A kernel with an announced size (iPXE, TFTP tsize) stalls in its first
 * 64 KiB piece; the re-open gives only a hint (1432 bytes so far).  The
 * announced size stays the transfer's and the transfer resumes, every
 * byte in place (before: "changed on the server: 1432 bytes, was 100000").
 * (fuzz_ipxe's corpus/ipxe/regress-stream-hint-after-retry is the case
 * where such a hint, updated at a short end of file, became the size, and
 * the first piece was cut to it.)
 */
static void case_stream_retry_hint(void)
{
	struct mb_error err;

	reset("tftp://10.0.2.2/vmlinuz");
	sim.len = 100000;
	sim.size_open[0] = 100000;
	sim.size_open[1] = 1432;
	sim.nsize_open = 2;
	sim.size_eof = 100000;
	sim.stall_at = 30000;
	int rc = read_kernel(&err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK_EQ_U(file_len[0], 100000);
	CHECK(rc == MB_OK && is_pattern(heap_data[0], file_len[0]));
	CHECK_EQ_U(sim_opens, 2);
}

/*
 * iPXE over TFTP with a tsize (64 KiB or more at the open: no first block
 * is that large) is an announced size: a server that sends more than its
 * tsize is refused.  Before: the size was replaced by iPXE's at the end,
 * and the longer file taken.
 */
static void case_ipxe_tsize_low(void)
{
	struct mb_error err;
	uint8_t *data = NULL;
	size_t len = 0;

	reset("vmlinuz");
	sim.len = 120000;
	sim.size_open[0] = 100000;
	sim.nsize_open = 1;
	sim.size_eof = 120000;
	int rc = fetch_file("tftp://10.0.2.2/initrd", FETCH_QUIET, NULL, &data,
			    &len, &err);
	CHECK_EQ_U(rc, MB_E_READ);
	CHECK_STR(err.msg,
		  "tftp://10.0.2.2/initrd: the server sent more than the 100000 bytes it announced");
	shim_free(data);
}

/* HTTP's Content-Length is an announced size: planned, read in place. */
static void case_module_ipxe_http(void)
{
	struct mb_error err;
	void *map = NULL;
	size_t map_len = 0;

	reset("http://10.0.2.2/k --- http://10.0.2.2/initrd");
	sim.len = 150000;
	sim.size_open[0] = 150000;
	sim.nsize_open = 1;
	sim.size_eof = 150000;
	int rc = size_module(1, &err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK(!heap_data[1]);	/* not read yet: straight into place later */
	CHECK_EQ_U(file_len[1], 150000);
	uint8_t *dst = low_buffer(150000, &map, &map_len);
	CHECK(dst != NULL);
	if (!dst)
		return;
	file_addr[1] = (uint32_t)(uintptr_t)dst;
	rc = fetch_into_place(1, &err);
	CHECK_MSG(rc == MB_OK, "rc %d: %s", rc, rc ? err.msg : "");
	CHECK(is_pattern(dst, 150000));
	munmap(map, map_len);
}

#ifdef FETCH_HEAP_MAX	/* the helpers the fix added */
/* The buffer sizes at their limits: never past FETCH_HEAP_MAX + 1, so
 * exact in 32 bits. */
static void case_next_cap(void)
{
	const size_t max = (size_t)FETCH_HEAP_MAX + 1;

	CHECK_EQ_U(fetch_next_cap(0, 0, 0), 256 * 1024);
	CHECK_EQ_U(fetch_next_cap(0, 1000, 0), 1001);
	CHECK_EQ_U(fetch_next_cap(1001, 1000, 0), 0);	/* announced: full */
	CHECK_EQ_U(fetch_next_cap(1433, 1432, 1), 256 * 1024);	/* hint */
	CHECK_EQ_U(fetch_next_cap(65536, 100000, 0), 100001);
	CHECK_EQ_U(fetch_next_cap(0, FETCH_HEAP_MAX, 0), max);
	CHECK_EQ_U(fetch_next_cap(max, FETCH_HEAP_MAX, 1), 0);
	CHECK_EQ_U(fetch_next_cap(0x40000000u, 0, 0), 0x80000000u);
	CHECK_EQ_U(fetch_next_cap(max / 2, 0, 0), max - 1);
	CHECK_EQ_U(fetch_next_cap(max / 2 + 1, 0, 0), max);	/* not 2^32 */
	CHECK_EQ_U(fetch_next_cap(0x80000000u, 0, 1), max);
	CHECK_EQ_U(fetch_next_cap(max, 0, 0), 0);
	CHECK_EQ_U(fetch_next_cap(max - 1, 0, 0), max);
	CHECK(max <= UINT32_MAX);
}

/* Which iPXE sizes are hints (see ipxe_size_is_hint). */
static void case_ipxe_hint_rule(void)
{
	CHECK(ipxe_size_is_hint("tftp://10.0.2.2/k", 1432));
	CHECK(ipxe_size_is_hint("tftp://10.0.2.2/k", 65535));
	CHECK(!ipxe_size_is_hint("tftp://10.0.2.2/k", 65536));
	CHECK(!ipxe_size_is_hint("http://10.0.2.2/k", 1432));
	CHECK(!ipxe_size_is_hint("https://10.0.2.2/k", 0));
	CHECK(ipxe_size_is_hint("ftp://10.0.2.2/k", 1 << 20));
}
#endif

/* Each case by name (test_fetch_bounds NAME runs one). */
static void c_longer_first(void) { case_stream_longer(1000, 70000); }
static void c_longer_later(void) { case_stream_longer(100000, 150000); }
static void c_big_kernel_2_61(void)
{ case_size_too_big("-pxelinux vmlinuz", "vmlinuz", 1ull << 61, 1); }
static void c_big_kernel_4g(void)
{ case_size_too_big("-pxelinux vmlinuz", "vmlinuz", (1ull << 32) + 1000, 1); }
static void c_big_file_4g(void)
{ case_size_too_big("-pxelinux vmlinuz", "mod", (1ull << 32) + 1000, 0); }
static void c_big_file_ffffffff(void)
{ case_size_too_big("-pxelinux vmlinuz", "mod", 0xffffffffu, 0); }

static const struct {
	const char *name;
	void (*run)(void);
} cases[] = {
	{ "stream-ipxe-no-tsize", case_stream_ipxe_no_tsize },
	{ "stream-ipxe-no-tsize-gzip", case_stream_ipxe_no_tsize_gzip },
	{ "stream-longer-first-piece", c_longer_first },
	{ "stream-longer-later", c_longer_later },
	{ "stream-exact", case_stream_exact },
	{ "too-big-kernel-2^61", c_big_kernel_2_61 },
	{ "too-big-kernel-4G+1000", c_big_kernel_4g },
	{ "too-big-file-4G+1000", c_big_file_4g },
	{ "too-big-file-4G-1", c_big_file_ffffffff },
	{ "unknown-never-ends", case_unknown_never_ends },
	{ "file-ipxe-no-tsize", case_file_ipxe_hint },
	{ "module-ipxe-no-tsize", case_module_ipxe_hint },
	{ "module-longer", case_module_longer },
	{ "retry-hints", case_retry_hints },
	{ "stream-retry-hint", case_stream_retry_hint },
	{ "ipxe-tsize-low", case_ipxe_tsize_low },
	{ "module-ipxe-http", case_module_ipxe_http },
#ifdef FETCH_HEAP_MAX
	{ "next-cap", case_next_cap },
	{ "ipxe-hint-rule", case_ipxe_hint_rule },
#endif
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (argc < 2 || !strcmp(argv[1], cases[i].name)) {
			printf("case %s\n", cases[i].name);
			fflush(stdout);
			cases[i].run();
		}
	reset("k");
	return check_summary("fetch_bounds");
}
