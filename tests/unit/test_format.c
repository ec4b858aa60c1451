/*
 * test_format.c - the mini snprintf (lib/format.c), against the C library.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "error.h"
#include "format.h"

static char buf[256];

/* Format with mb_snprintf and with snprintf; they must agree. */
#define SAME(...) __extension__({ \
	char ref_[256]; \
	memset(buf, 'Z', sizeof(buf)); \
	size_t n_ = mb_snprintf(buf, sizeof(buf), __VA_ARGS__); \
	snprintf(ref_, sizeof(ref_), __VA_ARGS__); \
	CHECK_STR(buf, ref_); \
	CHECK_EQ_U(n_, strlen(ref_)); })

/* Format into @cap bytes and expect @want (and its length back). */
#define CAPPED(cap, want, ...) __extension__({ \
	memset(buf, 'Z', sizeof(buf)); \
	size_t n_ = mb_snprintf(buf, (cap), __VA_ARGS__); \
	CHECK_STR(buf, want); \
	CHECK_EQ_U(n_, strlen(want)); \
	CHECK_EQ_U((unsigned char)buf[(cap) < sizeof(buf) ? (cap) : 0], \
		   (cap) < sizeof(buf) ? 'Z' : (unsigned char)buf[0]); })

static void test_strings(void)
{
	SAME("plain text");
	SAME("%s", "abc");
	SAME("[%s]", "");
	SAME("%s=%s", "key", "value");
	SAME("[%8s]", "abc");
	SAME("[%2s]", "abcdef");
	SAME("%.*s|", 3, "abcdef");
	SAME("%.*s|", 0, "abcdef");
	SAME("%.*s|", 10, "abc");
	SAME("%.2s|", "abcdef");
	SAME("[%6.2s]", "abcdef");
	SAME("%c%c%c", 'x', 'y', 'z');
	SAME("100%%");
	SAME("%%%s%%", "mid");
	/* A negative precision from '*' means "no precision". */
	SAME("%.*s|", -1, "abcdef");
	const char *volatile null_str = NULL;
	mb_snprintf(buf, sizeof(buf), "%s", null_str);
	CHECK_STR(buf, "(null)");
}

static void test_unsigned(void)
{
	SAME("%u", 0u);
	SAME("%u", 42u);
	SAME("%u", UINT_MAX);
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%x", 0u);
	SAME("%08x", 0x1234u);
	SAME("%08x", (unsigned)(0x123456789ull & 0xffffffffu));
	SAME("0x%08x", 0u);
	SAME("%8x|", 0xabcu);
	SAME("%2x|", 0xabcdefu);
	SAME("%llx", 0x123456789abcdef0ull);
	SAME("%llx", ~0ull);
	SAME("%llu", ~0ull);
	SAME("0x%016llx", 0xfeedull);
	SAME("%lu", ULONG_MAX);
	SAME("%lx", (unsigned long)0xabcdef);
	SAME("%zu", (size_t)0);
	SAME("%zu", (size_t)123456789);
	SAME("%zu", SIZE_MAX);
	SAME("%zx", SIZE_MAX);
	SAME("%5zu|", (size_t)7);
	SAME("%u %x %llx %zu %s", 1u, 2u, 3ull, (size_t)4, "five");
}

static void test_signed(void)
{
	SAME("%d", 0);
	SAME("%d", 7);
	SAME("%d", -7);
	SAME("%i", -123456);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%5d|", -42);
	SAME("%05d|", -42);
	SAME("%05d|", 42);
	SAME("%2d|", -12345);
	SAME("%03d|", -1);
	SAME("[%d,%d]", -1, 1);
}

static void test_truncation(void)
{
	CAPPED(1, "", "hello");
	CAPPED(2, "h", "hello");
	CAPPED(5, "hell", "hello");
	CAPPED(6, "hello", "hello");
	CAPPED(7, "hello", "hello");
	CAPPED(4, "123", "%u", 123456u);
	CAPPED(4, "-00", "%05d", -5);
	CAPPED(3, "ab", "%s%s", "a", "bcdef");
	CAPPED(6, "0x000", "0x%08x", 0x1234u);
	CAPPED(4, "   ", "%8s", "abc");
	CAPPED(7, "     a", "%8s", "abc");
	CAPPED(3, "ab", "%.*s", 5, "abcdefgh");

	/* Capacity 0: nothing is written at all. */
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ_U(mb_snprintf(buf, 0, "hello %u", 5u), 0);
	CHECK_EQ_U((unsigned char)buf[0], 'Z');

	/* Arguments after the cut are still consumed in order. */
	char small[4];
	mb_snprintf(small, sizeof(small), "%s%u%s", "abcdef", 1u, "x");
	CHECK_STR(small, "abc");

	/* A long message into an error record is cut, NUL-terminated. */
	struct mb_error e;
	char big[1000];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&e, 'Z', sizeof(e));
	CHECK_EQ_U(mb_fail(&e, MB_E_READ, "%s: %s", "f", big), MB_E_READ);
	CHECK_EQ_U(e.code, MB_E_READ);
	CHECK_EQ_U(strlen(e.msg), sizeof(e.msg) - 1);
	CHECK(!strncmp(e.msg, "f: qqq", 6));
	CHECK_EQ_U(mb_fail(NULL, MB_E_GZIP, "x"), MB_E_GZIP);
}

/* These format strings are deliberately malformed. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void test_odd_formats(void)
{
	/* A '%' at the very end, or after a width, ends the output. */
	mb_snprintf(buf, sizeof(buf), "abc%");
	CHECK_STR(buf, "abc");
	mb_snprintf(buf, sizeof(buf), "abc%08");
	CHECK_STR(buf, "abc");
	mb_snprintf(buf, sizeof(buf), "abc%ll");
	CHECK_STR(buf, "abc");
	/* Unknown conversions are shown as they are. */
	mb_snprintf(buf, sizeof(buf), "%q|%u", 5u);
	CHECK_STR(buf, "%q|5");
	/* %p */
	mb_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x1234);
	CHECK_STR(buf, "0x1234");
}
#pragma GCC diagnostic pop

static void test_code_names(void)
{
	for (int c = 0; c < MB_E__COUNT; c++)
		CHECK_MSG(strcmp(mb_code_name((enum mb_code)c), "unknown"),
			  "code %d has a name", c);
	CHECK_STR(mb_code_name(MB_E_NO_HEADER), "no-header");
	CHECK_STR(mb_code_name(MB_E__COUNT), "unknown");
	CHECK_STR(mb_code_name((enum mb_code)-1), "unknown");
}

int main(void)
{
	test_strings();
	test_unsigned();
	test_signed();
	test_truncation();
	test_odd_formats();
	test_code_names();
	return check_summary("format");
}
