/*
 * bench_inflate.c - benchmark driver: our gzip decoder vs libdeflate vs zlib.
 *
 * Host build (libc, -m64):
 *   bench_inflate dump DECODER FILE.gz        decompressed data to stdout
 *   bench_inflate time DECODER FILE.gz RUNS   "<median ns> <bytes out>"
 * Freestanding i386 build (-DBENCH_FREESTANDING, bench_sys32.c, run under
 * qemu-i386 with an instruction-counting plugin):
 *   bench_inflate DECODER FILE.gz             decode once, print
 *                                             "<crc32 of output> <bytes>"
 *   DECODER "none" does everything except decoding (baseline to subtract).
 *
 * DECODER is one of: ours, libdeflate, zlib.  Every decoder decompresses
 * the whole file in one call into a buffer of exactly ISIZE bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifdef BENCH_FREESTANDING
#include "bench_sys32.h"
#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#define bench_print(...) printf(__VA_ARGS__)
#endif

#include <libdeflate.h>
#include <zlib.h>

#include "crc32.h"
#include "gzip.h"

static struct libdeflate_decompressor *ld;

/** bench_alloc/bench_free - allocator handed to zlib. */
static voidpf bench_zalloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return malloc((size_t)items * size);
}

static void bench_zfree(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

/** decode - decompress @in into @out with decoder @name; returns bytes
 *  written or (size_t)-1 on failure. */
static size_t decode(const char *name, const uint8_t *in, size_t len,
		     uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (!strcmp(name, "ours")) {
		if (gz_decompress(in, len, out, cap, &n, NULL) != GZ_OK)
			return (size_t)-1;
		return n;
	}
	if (!strcmp(name, "libdeflate")) {
		if (!ld)
			ld = libdeflate_alloc_decompressor();
		if (libdeflate_gzip_decompress(ld, in, len, out, cap, &n) !=
		    LIBDEFLATE_SUCCESS)
			return (size_t)-1;
		return n;
	}
	if (!strcmp(name, "zlib")) {
		z_stream z;
		int r;

		memset(&z, 0, sizeof(z));
		z.zalloc = bench_zalloc;
		z.zfree = bench_zfree;
		if (inflateInit2(&z, 31) != Z_OK)
			return (size_t)-1;
		z.next_in = (Bytef *)in;
		z.avail_in = (uInt)len;
		z.next_out = out;
		z.avail_out = (uInt)cap;
		r = inflate(&z, Z_FINISH);
		n = z.total_out;
		inflateEnd(&z);
		return r == Z_STREAM_END ? n : (size_t)-1;
	}
	if (!strcmp(name, "none"))
		return cap;
	return (size_t)-1;
}

/** load - read the whole file @path; returns its contents, size in *len. */
static uint8_t *load(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	off_t size;
	uint8_t *p;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	p = malloc((size_t)size + 1);
	while (p && got < (size_t)size) {
		ssize_t r = read(fd, p + got, (size_t)size - got);

		if (r <= 0)
			return NULL;
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return p;
}

#ifdef BENCH_FREESTANDING
int bench_main(int argc, char **argv)
{
	uint8_t *in, *out;
	size_t len, cap, n;

	if (argc != 3)
		return 2;
	libdeflate_set_memory_allocator(malloc, free);
	in = load(argv[2], &len);
	if (!in || len < 18)
		return 3;
	cap = gz_isize(in, len);
	out = malloc(cap + 1);
	if (!out)
		return 4;
	n = decode(argv[1], in, len, out, cap);
	if (n != cap)
		return 5;
	bench_print("%x %u\n", crc32_update(0, out, n), (unsigned)n);
	return 0;
}
#else
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	uint8_t *in, *out;
	size_t len, cap, n;

	if (argc < 4)
		return 2;
	in = load(argv[3], &len);
	if (!in || len < 18)
		return 3;
	cap = gz_isize(in, len);
	out = malloc(cap + 1);
	if (!out)
		return 4;
	n = decode(argv[2], in, len, out, cap);	/* also faults pages in */
	if (n != cap) {
		fprintf(stderr, "%s: %s failed\n", argv[3], argv[2]);
		return 5;
	}
	if (!strcmp(argv[1], "dump")) {
		fwrite(out, 1, n, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "time") && argc == 5) {
		int runs = atoi(argv[4]);
		uint64_t *t = calloc((size_t)runs, sizeof(*t));

		for (int i = 0; i < runs; i++) {
			uint64_t t0 = now_ns();

			if (decode(argv[2], in, len, out, cap) != cap)
				return 5;
			t[i] = now_ns() - t0;
		}
		qsort(t, (size_t)runs, sizeof(*t), cmp_u64);
		printf("%llu %zu\n", (unsigned long long)t[runs / 2], n);
		return 0;
	}
	return 2;
}
#endif
