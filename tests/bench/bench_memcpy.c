/*
 * bench_memcpy.c - the copy routine of asm/copy.inc against its peers.
 * Driven by bench-memcpy.sh.
 *
 * Host -m64 build (default):
 *   bench_memcpy verify
 *       checks every implementation against a reference byte loop
 *       (n 0..300 x src/dst alignment 0..7, plus the benchmark sizes);
 *       prints "verify: N passed, M failed".
 *   bench_memcpy time RUNS SRC_OFF DST_OFF SIZE...
 *       for each SIZE prints "SIZE ours glibc repmovsb byteloop" in GB/s
 *       (1e9 bytes/s), each the median of RUNS runs; the implementations
 *       are interleaved within each run, each run copies SIZE bytes as
 *       many times as it takes to last >= 50 ms (calibrated first), and
 *       the page-aligned buffers are pre-faulted; the copy runs from
 *       SRC_OFF bytes into the source buffer to DST_OFF into the other.
 *   "ours" is ours_memcpy64: asm/copy.inc's COPY_FORWARD macro assembled
 *   for x86-64 by bench-memcpy.sh (the same instructions with 64-bit
 *   register names), linked in.
 *
 * Freestanding i386 build (-DBENCH_FREESTANDING, with bench_sys32.c and the
 * real asm/memcpy.asm, run under qemu-i386 or valgrind by the script):
 *   bench_memcpy32 none|ours|byte SIZE
 *       allocates two SIZE buffers and copies once with mb_memcpy or the
 *       byte loop ("none": allocation only, the baseline to subtract).
 *       Every mode prints "rep_iters N", the iterations mb_memcpy's three
 *       rep-prefixed instructions perform for these pointers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifdef BENCH_FREESTANDING
#include "bench_sys32.h"
#else
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#endif

/**
 * byte_loop - the plain C copy; built with -fno-tree-vectorize
 * -fno-tree-loop-distribute-patterns so it stays one byte per iteration.
 */
__attribute__((noinline)) static void *byte_loop(void *dst, const void *src,
						 size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = s[i];
	return dst;
}

#ifdef BENCH_FREESTANDING

void *mb_memcpy(void *dst, const void *src, size_t n) __attribute__((regparm(3)));

/** rep_iters - iterations COPY_FORWARD's rep instructions do for @d, @n. */
static size_t rep_iters(uintptr_t d, size_t n)
{
	size_t head;

	if (n < 16)
		return n;
	head = (0 - d) & 3;
	return head + ((n - head) >> 2) + ((n - head) & 3);
}

/** parse_u - decimal string to number. */
static size_t parse_u(const char *s)
{
	size_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (size_t)(*s++ - '0');
	return v;
}

/** bench_main - one copy of SIZE bytes with the chosen implementation. */
int bench_main(int argc, char **argv)
{
	unsigned char *src, *dst;
	int is_ours, is_byte, is_none;
	size_t n;

	if (argc != 3) {
		bench_print("usage: bench_memcpy32 none|ours|byte SIZE\n");
		return 2;
	}
	/* All three compares in every mode: the same cost to subtract. */
	is_ours = !strcmp(argv[1], "ours");
	is_byte = !strcmp(argv[1], "byte");
	is_none = !strcmp(argv[1], "none");
	if (is_ours + is_byte + is_none != 1) {
		bench_print("unknown mode\n");
		return 2;
	}
	n = parse_u(argv[2]);
	src = malloc(n + 4096);
	dst = malloc(n + 4096);
	if (!src || !dst) {
		bench_print("out of memory\n");
		return 1;
	}
	/* Page-aligned like the -m64 runs (malloc aligns to 64). */
	src = (unsigned char *)(((uintptr_t)src + 4095) & ~(uintptr_t)4095);
	dst = (unsigned char *)(((uintptr_t)dst + 4095) & ~(uintptr_t)4095);
	if (is_ours)
		mb_memcpy(dst, src, n);
	if (is_byte)
		byte_loop(dst, src, n);
	/* Printed in every mode so that the baseline subtracts its cost. */
	bench_print("rep_iters %u\n", (unsigned)rep_iters((uintptr_t)dst, n));
	return 0;
}

#else /* host -m64 */

typedef void *(*copy_fn)(void *, const void *, size_t);

/* asm/copy.inc's COPY_FORWARD for x86-64 (generated ours64.asm). */
void *ours_memcpy64(void *dst, const void *src, size_t n);

/** rep_movsb - the whole copy as one "rep movsb". */
__attribute__((noinline)) static void *rep_movsb(void *dst, const void *src,
						 size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

/* glibc's memcpy, called through a pointer so GCC cannot inline it. */
static copy_fn volatile glibc_memcpy = memcpy;

static const struct impl {
	const char *name;
	copy_fn fn;
} impls[] = {
	{ "ours", ours_memcpy64 },
	{ "glibc", NULL },		/* filled from glibc_memcpy */
	{ "repmovsb", rep_movsb },
	{ "byteloop", byte_loop },
};
#define NIMPL 4

/** get_fn - implementation @i's function. */
static copy_fn get_fn(int i)
{
	return impls[i].fn ? impls[i].fn : glibc_memcpy;
}

/** now_ns - CLOCK_MONOTONIC in nanoseconds. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/** big_buffer - @n pre-faulted, page-aligned bytes filled with @seed. */
static unsigned char *big_buffer(size_t n, unsigned seed)
{
	unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 131 + seed + (i >> 12));
	return p;
}

/** verify - every implementation against the byte loop; 0 if all pass. */
static int verify(void)
{
	static const size_t big[] = { 4095, 4096, 65537, 256 << 10,
				      (8 << 20) + 3 };
	size_t cap = (8 << 20) + 64, n;
	unsigned char *src = big_buffer(cap, 1), *dst = big_buffer(cap, 2);
	unsigned char *ref = big_buffer(cap, 3);
	unsigned long passed = 0, failed = 0;
	unsigned sa, da;
	int i;

	for (i = 0; i < NIMPL; i++)
		for (n = 0; n <= 300 + sizeof(big) / sizeof(big[0]); n++) {
			size_t len = n <= 300 ? n : big[n - 301];

			for (sa = 0; sa < 8; sa++)
				for (da = 0; da < 8; da++) {
					int ok;

					/* the 8 MiB ones: 16 of the 64 pairs */
					if (len > 65537 && sa != da && sa + da != 7)
						continue;
					memset(dst, 0xa5, len + 16);
					memset(ref, 0xa5, len + 16);
					byte_loop(ref + 8 + da, src + sa, len);
					ok = get_fn(i)(dst + 8 + da, src + sa, len) ==
						     dst + 8 + da &&
					     !memcmp(dst, ref, len + 16);
					if (ok) {
						passed++;
					} else if (failed++ < 10) {
						printf("FAIL %s n=%zu src+%u dst+%u\n",
						       impls[i].name, len, sa, da);
					}
				}
		}
	printf("verify: %lu passed, %lu failed\n", passed, failed);
	return failed != 0;
}

/** time_reps - nanoseconds for @reps copies of @n bytes with @fn. */
static uint64_t time_reps(copy_fn fn, unsigned char *dst,
			  const unsigned char *src, size_t n, unsigned reps)
{
	uint64_t t0 = now_ns();
	unsigned r;

	for (r = 0; r < reps; r++) {
		fn(dst, src, n);
		__asm__ volatile("" : : : "memory");
	}
	return now_ns() - t0;
}

/** cmp_double - qsort comparator. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/** time_size - print "SIZE" and the median GB/s of each implementation. */
static void time_size(unsigned char *dst, const unsigned char *src, size_t n,
		      int runs)
{
	unsigned reps[NIMPL];
	double *gbs = calloc((size_t)runs * NIMPL, sizeof(double));
	int i, r;

	for (i = 0; i < NIMPL; i++) {	/* calibrate (also warms up) */
		reps[i] = 1;
		while (time_reps(get_fn(i), dst, src, n, reps[i]) < 50000000u)
			reps[i] *= 2;
	}
	for (r = 0; r < runs; r++)
		for (i = 0; i < NIMPL; i++) {
			uint64_t ns = time_reps(get_fn(i), dst, src, n, reps[i]);

			gbs[i * runs + r] = (double)n * reps[i] / (double)ns;
		}
	printf("%zu", n);
	for (i = 0; i < NIMPL; i++) {
		qsort(gbs + i * runs, (size_t)runs, sizeof(double), cmp_double);
		printf(" %.3f", gbs[i * runs + runs / 2]);
	}
	printf("\n");
	fflush(stdout);
	free(gbs);
}

/** main - see the top of the file. */
int main(int argc, char **argv)
{
	size_t max = 0, soff, doff;
	unsigned char *src, *dst;
	int runs, i;

	if (argc == 2 && !strcmp(argv[1], "verify"))
		return verify();
	if (argc < 6 || strcmp(argv[1], "time")) {
		fprintf(stderr, "usage: %s verify | time RUNS SRC_OFF DST_OFF SIZE...\n",
			argv[0]);
		return 2;
	}
	runs = atoi(argv[2]);
	if (runs < 1)
		runs = 1;
	soff = (size_t)strtoull(argv[3], NULL, 0) % 4096;
	doff = (size_t)strtoull(argv[4], NULL, 0) % 4096;
	for (i = 5; i < argc; i++)
		if ((size_t)strtoull(argv[i], NULL, 0) > max)
			max = (size_t)strtoull(argv[i], NULL, 0);
	src = big_buffer(max + 4096, 7);
	dst = big_buffer(max + 4096, 9);
	for (i = 5; i < argc; i++)
		time_size(dst + doff, src + soff, (size_t)strtoull(argv[i], NULL, 0),
			  runs);
	return 0;
}

#endif
