/*
 * fuzz_ipxe.c - libFuzzer target for the iPXE file-API transport
 * (com32/fetch_ipxe.c) and the reading built on it: fetch_open/fetch_read
 * with retries (fetch.c, fetch_retry.c), fetch_file, and the kernel read
 * of main.c (stream_kernel, else load_to_heap).  The sources are compiled
 * in as they are, against tests/host-stubs; the firmware under them is
 * ipxe_sim.h, answering every FILE_OPEN, GET_FILE_SIZE and FILE_READ from
 * the input: any size (32 bits), a BufferSize larger than asked, "no data
 * yet", errors, the end of file early, late or never (the simulated clock
 * makes the stall timeouts end it).
 *
 * Input: 8 bytes of setup, then the firmware's script (ipxe_sim.h).
 *   [0] bits 0-1: what runs: 0 the transport's own open/read/close,
 *       1 fetch_open + fetch_read, 2 fetch_file, 3 the kernel read;
 *       bit 2: no GET_FILE_SIZE in the API mask; bits 3-4: the URL scheme
 *       (tftp, http, https, ftp); bit 5: a -sha256 (of the first
 *       [5..7] bytes of the file); bit 6: the file is a gzip member;
 *       bit 7: read lengths vary (else 64 KiB).  (The transport is
 *       iPXE's throughout: mboot's TFTP client does not apply here, and
 *       PXELINUX's layer, the fallback, finds nothing.)
 *   [1..3] the file's length (little-endian; 0xffffff: it never ends).
 *   [4] bits 0-5: a seed for the read lengths (and in mode 1, with bit
 *       6, the reads before the caller stops: fetch_verify reads the
 *       rest); bit 7: a PXELINUX-style name ("::path" with characters
 *       to escape, "host::path") instead of the URL.
 *   [5..7] the length the digest is of (its low 18 bits).
 *
 * Invariants, beyond ASan/UBSan: a transport read returns at most what it
 * was asked, into a buffer of exactly that size; every byte any call
 * returns is the file's byte at that offset; fetch_file's data is the
 * whole file as the server ended it (the offset of its last end of file);
 * every failure records its code and a message.  Allocations above 16 MiB
 * fail, as the module's heap would (sooner: each run stays fast).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "ipxe_sim.h"
#include "sha256.h"

#define FUZZ_NAME "fuzz_ipxe"
#include "fuzz_common.h"

/* --- the module's heap: limited ------------------------------------------- */

#define FZ_HEAP_MAX (16u << 20)

/** malloc that fails above FZ_HEAP_MAX, as the module's heap would. */
static void *fz_malloc(size_t n)
{
	return n > FZ_HEAP_MAX ? NULL : malloc(n);
}

/** realloc likewise (size 0: free, NULL, as SYSLINUX's). */
static void *fz_realloc(void *p, size_t n)
{
	if (!n) {
		free(p);
		return NULL;
	}
	return n > FZ_HEAP_MAX ? NULL : realloc(p, n);
}

#define malloc(n) fz_malloc(n)
#define realloc(p, n) fz_realloc(p, n)
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
#include "main_stubs.h"

/* PXELINUX's layer, where fetch_open falls back: nothing there. */
static int px_open(struct fetch *f, const char *name, struct mb_error *err)
{
	(void)f;
	return mb_fail(err, MB_E_NOT_FOUND, "%s: file not found (fuzz)", name);
}

const struct fetch_ops fetch_pxelinux_ops = {
	.name = "PXELINUX", .open = px_open,
};

/* --- the served file ------------------------------------------------------ */

static uint8_t *gz_file;	/* a gzip member of the pattern */
static size_t gz_len;
static uint8_t *gz_plain;	/* what it decompresses to */
static size_t gz_plain_len = 300000;

/** Build the gzip member once (zlib, level 6). */
static void make_gzip(void)
{
	z_stream z;

	gz_plain = malloc(gz_plain_len);
	for (size_t i = 0; i < gz_plain_len; i++)
		gz_plain[i] = (uint8_t)(i % 251 < 128 ? sim_pattern(i) : 'a');
	gz_file = malloc(gz_plain_len + 1024);
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = gz_plain;
	z.avail_in = (uInt)gz_plain_len;
	z.next_out = gz_file;
	z.avail_out = (uInt)(gz_plain_len + 1024);
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	gz_len = z.total_out;
	deflateEnd(&z);
}

/** Print what a run came to when FUZZ_IPXE_VERBOSE is set (seed work). */
static void outcome(const char *what, int rc, const struct mb_error *err,
		    uint64_t len)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_IPXE_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "fuzz_ipxe: %s: %s (%llu bytes, %u opens)\n", what,
			rc ? err->msg : "ok", (unsigned long long)len,
			sim_opens);
}

/** Fail unless @p holds the file's bytes from offset @off on, @n of them. */
static void check_bytes(const uint8_t *p, uint64_t off, size_t n,
			const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != sim_byte(off + i))
			fail(what, NULL);
}

/** Forget the last run's state in the code under test. */
static void reset_module(void)
{
	for (unsigned i = 0; i < MB_MAX_FILES; i++) {
		free(heap_data[i]);
		heap_data[i] = NULL;
		file_len[i] = heap_len[i] = 0;
		is_held[i] = false;
	}
	ipxe_checked = 0;
	ipxe_stalled = 0;
	ipxe_refused[0] = '\0';
}

/** The length of read number @k (bit 7 of the mode: varied). */
static size_t read_len(unsigned mode, uint8_t seed, unsigned k)
{
	static const size_t odd[] = { 1, 7, 512, 1432, 4095, 4096, 4097,
				      65535, 65536, 65537, 100000 };

	if (!(mode & 0x80))
		return 65536;
	return odd[(seed + k * 7u) % (sizeof(odd) / sizeof(odd[0]))];
}

/** Mode 0: the transport's own calls, as fetch_retry.c makes them. */
static void run_ops(unsigned mode, uint8_t seed, const char *name)
{
	struct fetch f;
	struct mb_error err;
	uint64_t pos = 0;

	memset(&f, 0, sizeof(f));
	f.name = name;
	f.ops = &fetch_ipxe_ops;
	f.quiet = FETCH_QUIET | FETCH_SILENT;
	int rc = fetch_ipxe_ops.open(&f, name, &err);
	if (rc) {
		outcome("ops", rc, &err, 0);
		check_error(rc, &err);
		if (rc != MB_E_NOT_FOUND && rc != MB_E_FIRMWARE &&
		    rc != MB_E_NO_MEMORY)
			fail("open: unexpected code", &err);
		return;
	}
	for (unsigned k = 0; k < 4096; k++) {
		size_t len = read_len(mode, seed, k), got = 12345;
		uint8_t *buf = malloc(len);	/* exactly: ASan sees past it */
		rc = fetch_ipxe_ops.read(&f, buf, len, &got, &err);
		if (rc) {
			free(buf);
			check_error(rc, &err);
			if (rc != MB_E_READ)
				fail("read: unexpected code", &err);
			break;
		}
		if (got > len)
			fail("read returned more than asked", NULL);
		check_bytes(buf, pos, got, "read: wrong bytes");
		free(buf);
		pos += got;
		if (!got)
			break;
	}
	outcome("ops", rc, &err, pos);
	fetch_ipxe_ops.close(&f);
	if (f.priv)
		fail("close left the low memory", NULL);
}

/** Mode 1: fetch_open + fetch_read (with retries), then close. */
static void run_fetch_read(unsigned mode, uint8_t seed, const char *name,
			   const uint8_t *digest)
{
	struct fetch f;
	struct mb_error err;
	uint64_t pos = 0;

	int rc = fetch_open(&f, name, FETCH_QUIET | FETCH_SILENT, &err);
	if (rc) {
		outcome("fetch_read", rc, &err, 0);
		check_error(rc, &err);
		return;
	}
	fetch_expect_sha256(&f, digest);
	for (unsigned k = 0; k < 4096; k++) {
		size_t len = read_len(mode, seed, k), got = 12345;
		uint8_t *buf = malloc(len);
		rc = fetch_read(&f, buf, len, &got, &err);
		if (rc) {
			free(buf);
			check_error(rc, &err);
			break;
		}
		if (got > len || (got < len && !f.at_eof))
			fail("fetch_read: short without the end of file", NULL);
		check_bytes(buf, pos, got, "fetch_read: wrong bytes");
		free(buf);
		pos += got;
		if (f.done != pos)
			fail("fetch_read: done is not what was handed on", NULL);
		if (got < len)
			break;
		if ((seed & 0x40) && k == (seed & 7u))
			break;	/* the caller has what it wanted */
	}
	if (!rc && (rc = fetch_verify(&f, &err)))
		check_error(rc, &err);
	outcome("fetch_read", rc, &err, pos);
	fetch_close(&f);
}

/** Mode 2: fetch_file. */
static void run_fetch_file(const char *name, const uint8_t *digest,
			   uint64_t digest_len)
{
	struct mb_error err;
	uint8_t *data = NULL;
	size_t len = 0;

	int rc = fetch_file(name, FETCH_QUIET | FETCH_SILENT, digest, &data,
			    &len, &err);
	outcome("fetch_file", rc, &err, len);
	if (rc) {
		check_error(rc, &err);
		return;
	}
	if (len != sim_eof_at)
		fail("fetch_file: not the file as the server ended it", NULL);
	if (digest && len != digest_len)
		fail("fetch_file: digest of another length accepted", NULL);
	check_bytes(data, 0, len, "fetch_file: wrong bytes");
	free(data);
}

/** Mode 3: the kernel, as load_kernel() reads it. */
static void run_kernel(const char *name, const uint8_t *digest, int gz)
{
	struct mb_error err;
	char line[128];

	snprintf(line, sizeof(line), "-quiet %s", name);
	if (mb_parse_cmdline(line, &req, &err))
		fail("test line refused", &err);
	if (digest) {
		req.files[0].opts |= MB_FILE_SHA256;
		memcpy(req.files[0].sha256, digest, 32);
	}
	int rc = stream_kernel(&err);
	if (rc == 1)
		rc = load_to_heap(0, 1, &err);
	outcome("kernel", rc, &err, file_len[0]);
	if (rc) {
		check_error(rc, &err);
		return;
	}
	/* The gzip member decompressed, or (cut so short that it is no gzip
	 * file) the bytes as the server ended them. */
	if (gz && file_len[0] == gz_plain_len &&
	    !memcmp(heap_data[0], gz_plain, gz_plain_len))
		return;
	if (file_len[0] != sim_eof_at)
		fail("kernel: not the file as the server ended it", NULL);
	check_bytes(heap_data[0], 0, file_len[0], "kernel: wrong bytes");
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
	static const char *const url[] = {
		"tftp://10.0.2.2/boot/vmlinuz", "http://10.0.2.2/vmlinuz",
		"https://10.0.2.2/vmlinuz", "ftp://10.0.2.2/vmlinuz",
	};
	uint8_t digest[32];
	const uint8_t *want = NULL;

	if (n < 8)
		return 0;
	if (!gz_file)
		make_gzip();
	unsigned mode = in[0];
	uint32_t len = in[1] | in[2] << 8 | (uint32_t)in[3] << 16;
	/* At most 256 KiB: the digest is computed here on every run. */
	uint64_t digest_len = (in[5] | in[6] << 8 | (uint32_t)in[7] << 16) &
			      0x3ffff;
	int gz = (mode & 0x40) != 0;

	memset(&sim, 0, sizeof(sim));
	sim_reset();
	reset_module();
	sim.api_mask = SIM_API_ALL;
	if (mode & 4)
		sim.api_mask &= ~(1u << (PXENV_GET_FILE_SIZE - PXENV_FILE_OPEN));
	sim.len = len == 0xffffff ? UINT64_MAX : len;
	if (gz) {
		sim.data = gz_file;
		sim.len = gz_len;
	}
	sim.script = in + 8;
	sim.script_len = n - 8;
	if (mode & 0x20) {	/* the digest of the first digest_len bytes */
		struct mb_sha256 s;
		uint8_t b[4096];
		if (digest_len > sim.len)
			digest_len = sim.len;
		mb_sha256_init(&s);
		for (uint64_t o = 0; o < digest_len; o += sizeof(b)) {
			size_t k = digest_len - o < sizeof(b) ?
				   (size_t)(digest_len - o) : sizeof(b);
			for (size_t i = 0; i < k; i++)
				b[i] = sim_byte(o + i);
			mb_sha256_update(&s, b, k);
		}
		mb_sha256_final(&s, digest);
		want = digest;
	}
	static const char *const tftp_name[] = {
		"::boot/vm linuz#1?%", "10.0.2.2::vmlinuz",
		"::vmlinuz", "192.168.1.1::/x/y.gz",
	};
	const char *name = (in[4] & 0x80) ? tftp_name[(mode >> 3) & 3] :
					    url[(mode >> 3) & 3];

	switch (mode & 3) {
	case 0:
		run_ops(mode, in[4] & 0x3f, name);
		break;
	case 1:
		run_fetch_read(mode, in[4] & 0x7f, name, want);
		break;
	case 2:
		run_fetch_file(name, want, digest_len);
		break;
	default:
		run_kernel(name, want, gz);
		break;
	}
	reset_module();
	return 0;
}
