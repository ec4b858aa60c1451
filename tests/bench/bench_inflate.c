/*
 * bench_inflate.c - benchmark driver: our gzip decoder vs libdeflate vs zlib.
 *
 * Host build (libc, -m64):
 *   bench_inflate dump DECODER FILE.gz        decompressed data to stdout
 *   bench_inflate time FILE.gz RUNS DECODER...
 *       runs the decoders in turn, RUNS rounds (so machine noise hits all
 *       of them alike), then prints "<bytes out> <median ns>..." with one
 *       median per decoder
 * Freestanding i386 build (-DBENCH_FREESTANDING, bench_sys32.c, run under
 * qemu-i386 with an instruction-counting plugin):
 *   bench_inflate DECODER FILE.gz             decode once, print
 *                                             "<crc32 of output> <bytes>"
 *   DECODER "none" does everything except decoding (baseline to subtract).
 *
 * DECODER is one of: ours, libdeflate, zlib (whole gzip files, including
 * the CRC-32 check), or ours-raw, libdeflate-raw (only the DEFLATE data,
 * no CRC: to tell decoding and checksum costs apart).  Every decoder
 * decompresses the whole file in one call into a buffer of exactly ISIZE
 * bytes.
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

/** deflate_start - offset of the DEFLATE data in gzip file @in (FEXTRA,
 *  FNAME, FCOMMENT, FHCRC skipped); @len must be >= 18. */
static size_t deflate_start(const uint8_t *in, size_t len)
{
	size_t pos = 10;

	if (in[3] & 4)
		pos += 2 + (size_t)(in[10] | in[11] << 8);
	for (int f = 8; f <= 16; f <<= 1)
		if (in[3] & f)
			while (pos < len && in[pos++])
				;
	if (in[3] & 2)
		pos += 2;
	return pos;
}

/** decode - decompress @in into @out with decoder @name; returns bytes
 *  written or (size_t)-1 on failure. */
static size_t decode(const char *name, const uint8_t *in, size_t len,
		     uint8_t *out, size_t cap)
{
	static struct inflate_state st;
	size_t n = 0;

	if (!strcmp(name, "ours-raw")) {
		size_t s = deflate_start(in, len);

		if (inflate_raw(&st, in + s, len - 8 - s, out, cap, &n, NULL) !=
		    GZ_OK)
			return (size_t)-1;
		return n;
	}
	if (!strcmp(name, "libdeflate-raw")) {
		size_t s = deflate_start(in, len);

		if (!ld)
			ld = libdeflate_alloc_decompressor();
		if (libdeflate_deflate_decompress(ld, in + s, len - 8 - s, out,
						  cap, &n) != LIBDEFLATE_SUCCESS)
			return (size_t)-1;
		return n;
	}

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
	size_t len, cap;

	if (argc == 4 && !strcmp(argv[1], "dump")) {
		in = load(argv[3], &len);
		if (!in || len < 18)
			return 3;
		cap = gz_isize(in, len);
		out = malloc(cap + 1);
		if (!out || decode(argv[2], in, len, out, cap) != cap) {
			fprintf(stderr, "%s: %s failed\n", argv[3], argv[2]);
			return 5;
		}
		fwrite(out, 1, cap, stdout);
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "time")) {
		int runs = atoi(argv[3]), ndec = argc - 4;
		uint64_t *t = calloc((size_t)(runs * ndec), sizeof(*t));

		in = load(argv[2], &len);
		if (!in || len < 18 || runs < 1)
			return 3;
		cap = gz_isize(in, len);
		out = malloc(cap + 1);
		/* One untimed round: faults the pages in, checks success. */
		for (int d = 0; d < ndec; d++)
			if (decode(argv[4 + d], in, len, out, cap) != cap) {
				fprintf(stderr, "%s: %s failed\n", argv[2],
					argv[4 + d]);
				return 5;
			}
		for (int i = 0; i < runs; i++)
			for (int d = 0; d < ndec; d++) {
				uint64_t t0 = now_ns();

				decode(argv[4 + d], in, len, out, cap);
				t[d * runs + i] = now_ns() - t0;
			}
		printf("%zu", cap);
		for (int d = 0; d < ndec; d++) {
			qsort(t + d * runs, (size_t)runs, sizeof(*t), cmp_u64);
			printf(" %llu", (unsigned long long)t[d * runs + runs / 2]);
		}
		printf("\n");
		return 0;
	}
	fprintf(stderr, "usage: bench_inflate dump DECODER FILE | time FILE RUNS DECODER...\n");
	return 2;
}
#endif
