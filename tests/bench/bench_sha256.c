/*
 * bench_sha256.c - SHA-256 speed: ours against real peers (driven by
 * bench-sha256.sh, which prints the tables and ratios).
 *
 * The peer's portable C is GNU coreutils' (gnulib's lib/sha256.c, what
 * sha256sum runs), built from Debian's source package by bench-sha256.sh
 * and linked through peer_sha256(): this file compiled once more with
 * -DBENCH_PEER_GLUE and gnulib's lib/ on the include path.
 *
 * Hosted -m64 build (linked with OpenSSL's libcrypto):
 *   bench_sha256 time SIZE RUNS IMPL...
 *       hash SIZE bytes of pseudo-random data RUNS times with each IMPL,
 *       interleaved (run 1 of every IMPL, then run 2, ...); prints one
 *       line per IMPL: "IMPL <median ns> <digest hex>".  Times are the
 *       process's CPU time, so other load on the machine counts less.
 *   IMPL: ours (SHA-NI when the CPU has it, else portable C),
 *         ours-portable (the portable C the i386 module runs),
 *         openssl (EVP_Digest; what it uses follows OPENSSL_ia32cap),
 *         coreutils (gnulib's C, -O2 like ours).
 *   bench_sha256 write FILE SIZE
 *       write the SIZE pseudo-random bytes to FILE (for sha256sum).
 *
 * Freestanding i386 build (-DBENCH_FREESTANDING, bench_sys32.c), run under
 * qemu-i386 with the instruction-counting plugin, or natively for time:
 *   bench_sha256 IMPL SIZE [REPEAT]
 *       fill SIZE bytes, hash them REPEAT times (default 1) with IMPL and
 *       print "<digest hex> <microseconds>"; IMPL "none" only fills (the baseline to
 *       subtract), "peer" is the peer's portable C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifdef BENCH_PEER_GLUE
#include <stddef.h>
#include <stdint.h>
#include "sha256.h"	/* gnulib's */

void peer_sha256(const void *data, size_t n, uint8_t digest[32]);

/** peer_sha256 - the peer's one-shot digest of @n bytes at @data. */
void peer_sha256(const void *data, size_t n, uint8_t digest[32])
{
	sha256_buffer(data, n, digest);
}
#else

#ifdef BENCH_FREESTANDING
#include "bench_sys32.h"
#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#endif

#include "sha256.h"

/* The peer's one-shot entry point (the BENCH_PEER_GLUE object). */
void peer_sha256(const void *data, size_t n, uint8_t digest[32]);

/** fill - deterministic pseudo-random bytes (xorshift32) into @p. */
static void fill(uint8_t *p, size_t n)
{
	uint32_t x = 0x9e3779b9u;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 24);
	}
}

/** hex - @n bytes of @d as lowercase hex into @out (2n+1 bytes). */
static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[d[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	out[2 * n] = '\0';
}

#ifdef BENCH_FREESTANDING
/** now_us - this process's CPU time (CLOCK_PROCESS_CPUTIME_ID: other
 *  load on the machine counts less than in wall time) in microseconds,
 *  wrapping at 2^32 (only differences are used), through the i386
 *  clock_gettime system call. */
static uint32_t now_us(void)
{
	struct { long sec, nsec; } ts;
	long r;

	__asm__ volatile("push %%ebx\n\tmov %2, %%ebx\n\tint $0x80\n\tpop %%ebx"
			 : "=a"(r)
			 : "a"(265), "r"(2L), "c"(&ts)
			 : "memory");
	(void)r;
	return (uint32_t)ts.sec * 1000000u + (uint32_t)ts.nsec / 1000u;
}

/** parse_u - decimal string to unsigned. */
static unsigned parse_u(const char *s)
{
	unsigned v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

int bench_main(int argc, char **argv)
{
	uint8_t d[32] = { 0 };
	char line[100];
	unsigned size, repeat;
	uint8_t *buf;
	uint32_t t0, t1;

	if (argc < 3)
		return 2;
	size = parse_u(argv[2]);
	repeat = argc > 3 ? parse_u(argv[3]) : 1;
	buf = malloc(size);
	if (!buf)
		return 3;
	fill(buf, size);
	t0 = now_us();
	for (unsigned r = 0; r < repeat; r++) {
		if (!strcmp(argv[1], "ours"))
			mb_sha256(buf, size, d);
		else if (!strcmp(argv[1], "peer"))
			peer_sha256(buf, size, d);
		else if (strcmp(argv[1], "none"))
			return 4;
	}
	t1 = now_us();
	hex(d, 32, line);
	bench_print(line);
	bench_print(" %u\n", t1 - t0);	/* microseconds */
	return 0;
}
#else
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/** run - hash @n bytes at @p once with @impl into @d; 0 or -1 (unknown). */
static int run(const char *impl, const uint8_t *p, size_t n, uint8_t d[32])
{
	if (!strcmp(impl, "ours") || !strcmp(impl, "ours-portable")) {
		mb_sha256_force_portable(!strcmp(impl, "ours-portable"));
		mb_sha256(p, n, d);
		return 0;
	}
	if (!strcmp(impl, "openssl")) {
		unsigned len = 32;
		return EVP_Digest(p, n, d, &len, EVP_sha256(), NULL) ? 0 : -1;
	}
	if (!strcmp(impl, "coreutils")) {
		peer_sha256(p, n, d);
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "write")) {
		size_t size = strtoul(argv[3], NULL, 0);
		uint8_t *buf = malloc(size);
		FILE *f = fopen(argv[2], "wb");

		if (!buf || !f)
			return 3;
		fill(buf, size);
		return fwrite(buf, 1, size, f) == size && !fclose(f) ? 0 : 3;
	}
	if (argc < 5 || strcmp(argv[1], "time")) {
		fprintf(stderr, "usage: %s time SIZE RUNS IMPL...\n", argv[0]);
		return 2;
	}
	size_t size = strtoul(argv[2], NULL, 0);
	int runs = atoi(argv[3]), nimpl = argc - 4;
	uint8_t *buf = malloc(size), d[32];
	uint64_t *ns = calloc((size_t)(runs * nimpl), sizeof(*ns));
	char digest[16][65];

	if (!buf || !ns || nimpl > 16 || runs < 1)
		return 3;
	fill(buf, size);
	for (int i = 0; i < nimpl; i++)	/* warm up, and the digests */
		if (run(argv[4 + i], buf, size, d)) {
			fprintf(stderr, "unknown implementation %s\n", argv[4 + i]);
			return 2;
		} else {
			hex(d, 32, digest[i]);
		}
	for (int r = 0; r < runs; r++)
		for (int i = 0; i < nimpl; i++) {
			uint64_t t0 = now_ns();
			run(argv[4 + i], buf, size, d);
			ns[i * runs + r] = now_ns() - t0;
		}
	for (int i = 0; i < nimpl; i++) {
		qsort(ns + i * runs, (size_t)runs, sizeof(*ns), cmp_u64);
		printf("%s %llu %s\n", argv[4 + i],
		       (unsigned long long)ns[i * runs + runs / 2], digest[i]);
	}
	return 0;
}
#endif
#endif /* !BENCH_PEER_GLUE */
