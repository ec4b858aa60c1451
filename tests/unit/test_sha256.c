/*
 * test_sha256.c - SHA-256 (lib/sha256.c) and the digest text (lib/digest.c).
 *
 *  - FIPS 180 examples: "abc", the 448-bit two-block message, one million
 *    'a' (fed whole, and a byte at a time).
 *  - NIST CAVP byte-oriented vectors (tests/unit/vectors/, CAVS 11.x:
 *    SHA256ShortMsg.rsp 65 messages, SHA256LongMsg.rsp 64, and the Monte
 *    Carlo chain SHA256Monte.rsp, 100 checkpoints of 1000 hashes).
 *  - Differential: 1117 pseudo-random inputs against digests made by
 *    Python's hashlib (vectors/sha256-random.txt, see its generator), each
 *    fed whole and in random piece sizes (zero-length pieces included); and,
 *    when libcrypto.so.3 can be loaded, 300 more against OpenSSL live.
 *  - Every split: a 300-byte message cut at every point into two pieces,
 *    and a 130-byte one at every pair of points into three; unaligned
 *    input addresses.
 *  - Each of these with every block function this CPU can run (SHA-NI and
 *    the portable C the i386 module uses).
 *  - Hex digits, encoding, -sha256 parsing and the mismatch message, with
 *    the exact text.
 *
 * The vector files are found next to this source (its __FILE__ path, as
 * make compiles it from the repository root) or in $SHA256_VECTORS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "digest.h"
#include "sha256.h"
#include "util.h"

/* --- helpers --------------------------------------------------------------- */

/** The hex text of a digest (a static buffer per call site is enough). */
static const char *hexd(const uint8_t d[32], char buf[65])
{
	return mb_hex_encode(d, 32, buf);
}

/** Parse 2n hex digits at @s into @out; returns n or -1. */
static long unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[0] != '\r' && s[0] != '\n') {
		int hi = mb_hex_digit(s[0]), lo = mb_hex_digit(s[1]);
		if (hi < 0 || lo < 0 || n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (long)n;
}

/** xorshift32 bytes, the same generator as vectors/make-sha256-random.py. */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed ? seed : 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 24);
	}
}

/** A small generator for piece sizes and lengths (test-local state). */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/** Hash @n bytes at @p in random pieces (0 to about 3 blocks, sometimes
 *  much larger), into @d. */
static void hash_pieces(const uint8_t *p, size_t n, uint8_t d[32])
{
	struct mb_sha256 s;

	mb_sha256_init(&s);
	while (n) {
		size_t k = rng() % 8 == 0 ? rng() % (n + 1) : rng() % 200;
		if (k > n)
			k = n;
		mb_sha256_update(&s, p, k);
		p += k;
		n -= k;
	}
	mb_sha256_update(&s, p, 0);
	mb_sha256_final(&s, d);
}

/** Open a vector file by name: $SHA256_VECTORS/NAME or next to this file. */
static FILE *open_vectors(const char *name)
{
	char path[512];
	const char *dir = getenv("SHA256_VECTORS");

	if (dir) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	} else {
		const char *slash = strrchr(__FILE__, '/');
		int len = slash ? (int)(slash - __FILE__) : 1;
		snprintf(path, sizeof(path), "%.*s/vectors/%s", len,
			 slash ? __FILE__ : ".", name);
	}
	FILE *f = fopen(path, "r");
	CHECK_MSG(f != NULL, "cannot open %s", path);
	return f;
}

/* The block functions to test: "auto" (SHA-NI where the CPU has it) and
 * the portable C. */
static const char *impl_names[2];
static int nimpl;

static void use_impl(int i)
{
	mb_sha256_force_portable(i == 1);
}

/* --- FIPS 180 examples ------------------------------------------------------- */

static void test_fips180(void)
{
	static const struct {
		const char *msg, *md;
	} ex[] = {
		{ "abc",
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	};
	static uint8_t million[1000000];
	uint8_t d[32];
	char h[65];

	memset(million, 'a', sizeof(million));
	for (int im = 0; im < nimpl; im++) {
		use_impl(im);
		for (size_t i = 0; i < MB_ARRAY_SIZE(ex); i++) {
			mb_sha256(ex[i].msg, strlen(ex[i].msg), d);
			CHECK_MSG(!strcmp(hexd(d, h), ex[i].md),
				  "%s: SHA-256(\"%s\") = %s, want %s",
				  impl_names[im], ex[i].msg, h, ex[i].md);
		}
		const char *want =
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
		mb_sha256(million, sizeof(million), d);
		CHECK_MSG(!strcmp(hexd(d, h), want), "%s: million a: %s",
			  impl_names[im], h);
		struct mb_sha256 s;
		mb_sha256_init(&s);
		for (size_t i = 0; i < sizeof(million); i++)
			mb_sha256_update(&s, "a", 1);
		mb_sha256_final(&s, d);
		CHECK_MSG(!strcmp(hexd(d, h), want),
			  "%s: million a, one byte at a time: %s",
			  impl_names[im], h);
	}
}

/* --- NIST CAVP ------------------------------------------------------------- */

/**
 * Every "Len/Msg/MD" record of @name: one-shot and in pieces, with each
 * implementation.  Returns the number of records (the file's count is
 * checked by the caller).
 */
static unsigned cavp_messages(const char *name)
{
	static char line[140000];
	static uint8_t msg[70000];
	FILE *f = open_vectors(name);
	unsigned records = 0;
	long bits = -1, mlen = -1;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Len = ", 6)) {
			bits = atol(line + 6);
		} else if (!strncmp(line, "Msg = ", 6)) {
			mlen = unhex(line + 6, msg, sizeof(msg));
		} else if (!strncmp(line, "MD = ", 5)) {
			uint8_t want[32], d[32];
			char h[65], w[65];

			CHECK_MSG(bits >= 0 && bits % 8 == 0 && mlen >= bits / 8 &&
					  unhex(line + 5, want, 32) == 32,
				  "%s: malformed record after %u", name, records);
			records++;
			for (int im = 0; im < nimpl; im++) {
				use_impl(im);
				mb_sha256(msg, (size_t)bits / 8, d);
				CHECK_MSG(!memcmp(d, want, 32),
					  "%s Len = %ld (%s): %s, want %s", name,
					  bits, impl_names[im], hexd(d, h),
					  hexd(want, w));
				hash_pieces(msg, (size_t)bits / 8, d);
				CHECK_MSG(!memcmp(d, want, 32),
					  "%s Len = %ld (%s, in pieces): %s", name,
					  bits, impl_names[im], hexd(d, h));
			}
			bits = mlen = -1;
		}
	}
	fclose(f);
	return records;
}

/**
 * The SHAVS Monte Carlo test: from the seed, 100 checkpoints, each the
 * last of 1000 hashes of the three previous digests concatenated.
 */
static void cavp_monte(void)
{
	char line[256];
	uint8_t seed[32], md[3][32], m[96], want[32];
	FILE *f = open_vectors("SHA256Monte.rsp");
	unsigned checkpoints = 0;
	int have_seed = 0;

	if (!f)
		return;
	for (int im = 0; im < nimpl; im++) {
		use_impl(im);
		rewind(f);
		checkpoints = 0;
		have_seed = 0;
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "Seed = ", 7)) {
				have_seed = unhex(line + 7, seed, 32) == 32;
				continue;
			}
			if (strncmp(line, "MD = ", 5) || !have_seed)
				continue;
			unhex(line + 5, want, 32);
			memcpy(md[0], seed, 32);
			memcpy(md[1], seed, 32);
			memcpy(md[2], seed, 32);
			for (int i = 3; i < 1003; i++) {
				memcpy(m, md[0], 32);
				memcpy(m + 32, md[1], 32);
				memcpy(m + 64, md[2], 32);
				memmove(md[0], md[1], 64);
				mb_sha256(m, 96, md[2]);
			}
			memcpy(seed, md[2], 32);
			char h[65];
			CHECK_MSG(!memcmp(seed, want, 32),
				  "Monte checkpoint %u (%s): %s", checkpoints,
				  impl_names[im], hexd(seed, h));
			checkpoints++;
		}
		CHECK_EQ_U(checkpoints, 100);
	}
	fclose(f);
}

static void test_cavp(void)
{
	CHECK_EQ_U(cavp_messages("SHA256ShortMsg.rsp"), 65);
	CHECK_EQ_U(cavp_messages("SHA256LongMsg.rsp"), 64);
	cavp_monte();
}

/* --- differential ------------------------------------------------------------ */

/** Against the hashlib table: whole and in pieces, every implementation. */
static void test_hashlib_table(void)
{
	static uint8_t buf[400 * 1024];
	char line[200];
	FILE *f = open_vectors("sha256-random.txt");
	unsigned n = 0, bad = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long len, seed;
		char hex[80];
		uint8_t want[32], d[32];

		if (sscanf(line, "%lu %lu %70s", &len, &seed, hex) != 3 ||
		    len > sizeof(buf) || unhex(hex, want, 32) != 32) {
			CHECK_MSG(0, "sha256-random.txt: bad line %s", line);
			continue;
		}
		n++;
		fill(buf, len, (uint32_t)seed);
		for (int im = 0; im < nimpl; im++) {
			use_impl(im);
			mb_sha256(buf, len, d);
			if (memcmp(d, want, 32) && bad++ < 5)
				CHECK_MSG(0, "length %lu seed %lu (%s): differs from hashlib",
					  len, seed, impl_names[im]);
			hash_pieces(buf, len, d);
			if (memcmp(d, want, 32) && bad++ < 5)
				CHECK_MSG(0, "length %lu seed %lu (%s, pieces): differs from hashlib",
					  len, seed, impl_names[im]);
		}
	}
	fclose(f);
	CHECK_EQ_U(n, 1117);
	CHECK_MSG(bad == 0, "%u differences from hashlib", bad);
}

/** Against OpenSSL's libcrypto, loaded at run time (no link dependency). */
static void test_openssl_live(void)
{
	void *lib = dlopen("libcrypto.so.3", RTLD_NOW);
	if (!lib) {
		printf("note: libcrypto.so.3 not loadable (%s): live OpenSSL comparison not run\n",
		       dlerror());
		return;
	}
	const void *(*evp_sha256)(void) =
		(const void *(*)(void))dlsym(lib, "EVP_sha256");
	int (*evp_digest)(const void *, size_t, unsigned char *, unsigned *,
			  const void *, void *) =
		(int (*)(const void *, size_t, unsigned char *, unsigned *,
			 const void *, void *))dlsym(lib, "EVP_Digest");
	if (!CHECK(evp_sha256 && evp_digest)) {
		dlclose(lib);
		return;
	}
	static uint8_t buf[70000];
	unsigned bad = 0;

	for (int i = 0; i < 300; i++) {
		size_t len = i < 150 ? rng() % 300 : rng() % sizeof(buf);
		uint8_t want[32], d[32];
		unsigned wl = 32;

		fill(buf, len, rng());
		if (!evp_digest(buf, len, want, &wl, evp_sha256(), NULL)) {
			bad++;
			continue;
		}
		for (int im = 0; im < nimpl; im++) {
			use_impl(im);
			hash_pieces(buf, len, d);
			if (memcmp(d, want, 32) && bad++ < 5)
				CHECK_MSG(0, "length %zu (%s): differs from OpenSSL",
					  len, impl_names[im]);
		}
	}
	CHECK_MSG(bad == 0, "%u differences from OpenSSL", bad);
	dlclose(lib);
}

/* --- splits and alignment -------------------------------------------------------- */

static void test_splits(void)
{
	uint8_t msg[300], ref[32], d[32];
	struct mb_sha256 s;

	fill(msg, sizeof(msg), 77);
	for (int im = 0; im < nimpl; im++) {
		unsigned bad = 0;

		use_impl(im);
		mb_sha256(msg, sizeof(msg), ref);
		for (size_t k = 0; k <= sizeof(msg); k++) {
			mb_sha256_init(&s);
			mb_sha256_update(&s, msg, k);
			mb_sha256_update(&s, msg + k, sizeof(msg) - k);
			mb_sha256_final(&s, d);
			bad += memcmp(d, ref, 32) != 0;
		}
		CHECK_MSG(bad == 0, "%s: %u of 301 two-piece splits differ",
			  impl_names[im], bad);

		bad = 0;
		mb_sha256(msg, 130, ref);
		for (size_t i = 0; i <= 130; i++)
			for (size_t j = i; j <= 130; j++) {
				mb_sha256_init(&s);
				mb_sha256_update(&s, msg, i);
				mb_sha256_update(&s, msg + i, j - i);
				mb_sha256_update(&s, msg + j, 130 - j);
				mb_sha256_final(&s, d);
				bad += memcmp(d, ref, 32) != 0;
			}
		CHECK_MSG(bad == 0, "%s: %u three-piece splits of 130 bytes differ",
			  impl_names[im], bad);

		/* Unaligned sources: the loads must not assume alignment. */
		static uint8_t big[8 + 5000];
		mb_sha256(msg, 256, ref);
		bad = 0;
		for (int off = 0; off < 8; off++) {
			memcpy(big + off, msg, 256);
			mb_sha256(big + off, 256, d);
			bad += memcmp(d, ref, 32) != 0;
		}
		CHECK_MSG(bad == 0, "%s: %u unaligned offsets differ",
			  impl_names[im], bad);
	}
}

/* --- hex text, parsing, the verdict ------------------------------------------------ */

static void test_hex(void)
{
	static const char digits[] = "0123456789abcdefABCDEF";
	struct mb_error err;
	uint8_t d[32], want[32];
	char h[65], line[200];

	for (int c = 0; c < 256; c++) {
		const char *p = c ? strchr(digits, c) : NULL;
		int v = p ? (int)(p - digits) : -1;
		if (v >= 16)
			v -= 6;
		if (mb_hex_digit((char)c) != v)
			CHECK_MSG(0, "mb_hex_digit(0x%02x) = %d, want %d", c,
				  mb_hex_digit((char)c), v);
	}
	CHECK_EQ_U(mb_hex_digit('f'), 15);
	CHECK_EQ_U(mb_hex_digit('F'), 15);
	CHECK(mb_hex_digit('g') == -1);
	CHECK(mb_hex_digit('/') == -1);
	CHECK(mb_hex_digit(':') == -1);
	CHECK(mb_hex_digit('@') == -1);
	CHECK(mb_hex_digit('`') == -1);

	uint8_t b[3] = { 0x00, 0x9f, 0xff };
	CHECK_STR(mb_hex_encode(b, 3, h), "009fff");
	CHECK_STR(mb_hex_encode(b, 0, h), "");

	/* Parsing: lower, upper, mixed case give the same bytes. */
	const char *abc =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	mb_sha256("abc", 3, want);
	memset(&err, 0, sizeof(err));
	CHECK_EQ_U(mb_sha256_parse(abc, 64, "the kernel", d, &err), MB_OK);
	CHECK(!memcmp(d, want, 32));
	for (int i = 0; i < 64; i++)
		line[i] = (char)((i % 3) ? abc[i] : abc[i] >= 'a' ? abc[i] - 32 : abc[i]);
	CHECK_EQ_U(mb_sha256_parse(line, 64, "module 1", d, &err), MB_OK);
	CHECK(!memcmp(d, want, 32));

	/* Errors, with the exact text. */
	CHECK_EQ_U(mb_sha256_parse(abc, 63, "module 2", d, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 2 has 63 hex digits; a SHA-256 digest has 64");
	CHECK_EQ_U(mb_sha256_parse(abc, 0, "the kernel", d, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for the kernel has 0 hex digits; a SHA-256 digest has 64");
	snprintf(line, sizeof(line), "%s0", abc);
	CHECK_EQ_U(mb_sha256_parse(line, 65, "module 1", d, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 1 has 65 hex digits; a SHA-256 digest has 64");
	memcpy(line, abc, 65);
	line[0] = 'x';
	CHECK_EQ_U(mb_sha256_parse(line, 64, "the kernel", d, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for the kernel: character 1 ('x') is not a hex digit");
	memcpy(line, abc, 65);
	line[63] = 'G';
	CHECK_EQ_U(mb_sha256_parse(line, 64, "module 3", d, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 3: character 64 ('G') is not a hex digit");
	memcpy(line, abc, 65);
	line[31] = '-';
	CHECK_EQ_U(mb_sha256_parse(line, 64, "module 1", d, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 1: character 32 ('-') is not a hex digit");

	/* The verdict. */
	memset(&err, 0, sizeof(err));
	CHECK_EQ_U(mb_sha256_verdict("xen.gz", want, want, 3, &err), MB_OK);
	CHECK_STR(err.msg, "");
	mb_sha256("abd", 3, d);
	CHECK_EQ_U(mb_sha256_verdict("xen.gz", want, d, 3, &err), MB_E_DIGEST);
	CHECK_EQ_U(err.code, MB_E_DIGEST);
	snprintf(line, sizeof(line),
		 "xen.gz: SHA-256 mismatch: expected %s, got %s (over the 3 bytes fetched)",
		 abc, hexd(d, h));
	CHECK_STR(err.msg, line);
	/* A long name is shown by its end; both digests stay whole. */
	char name[200];
	memset(name, 'u', sizeof(name));
	memcpy(name + 180, "/boot/xen.gz", 13);
	CHECK_EQ_U(mb_sha256_verdict(name, want, d, 123456789, &err), MB_E_DIGEST);
	CHECK(!strncmp(err.msg, "...uuu", 6));
	CHECK_CONTAINS(err.msg, "uuu/boot/xen.gz: SHA-256 mismatch: expected ");
	CHECK_CONTAINS(err.msg, "(over the 123456789 bytes fetched)");
	CHECK_EQ_U(strlen(err.msg), 3 + 93 + strlen(line) - strlen("xen.gz") + 8);
}

int main(void)
{
	impl_names[nimpl++] = mb_sha256_impl();
	mb_sha256_force_portable(1);
	if (strcmp(mb_sha256_impl(), impl_names[0]))
		impl_names[nimpl++] = mb_sha256_impl();
	mb_sha256_force_portable(0);
	printf("sha256: block functions tested: %s%s%s\n", impl_names[0],
	       nimpl > 1 ? ", " : "", nimpl > 1 ? impl_names[1] : "");

	test_fips180();
	test_cavp();
	test_hashlib_table();
	test_openssl_live();
	test_splits();
	test_hex();
	mb_sha256_force_portable(0);
	return check_summary("sha256");
}
