/*
 * digest.c - the text side of per-file digests (see digest.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "digest.h"
#include "util.h"

int mb_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *mb_hex_encode(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

int mb_sha256_parse(const char *hex, size_t len, const char *what,
		    uint8_t out[MB_SHA256_SIZE], struct mb_error *err)
{
	if (len != 2 * MB_SHA256_SIZE)
		return mb_fail(err, MB_E_BAD_OPTION,
			       "-sha256 for %s has %zu hex digits; a SHA-256 digest has %u",
			       what, len, 2 * MB_SHA256_SIZE);
	for (size_t i = 0; i < len; i++) {
		if (mb_hex_digit(hex[i]) < 0)
			return mb_fail(err, MB_E_BAD_OPTION,
				       "-sha256 for %s: character %zu ('%c') is not a hex digit",
				       what, i + 1, hex[i]);
	}
	for (size_t i = 0; i < MB_SHA256_SIZE; i++)
		out[i] = (uint8_t)(mb_hex_digit(hex[2 * i]) << 4 |
				   mb_hex_digit(hex[2 * i + 1]));
	return MB_OK;
}

int mb_sha256_verdict(const char *name, const uint8_t want[MB_SHA256_SIZE],
		      const uint8_t got[MB_SHA256_SIZE], uint64_t len,
		      struct mb_error *err)
{
	char w[2 * MB_SHA256_SIZE + 1], g[2 * MB_SHA256_SIZE + 1];
	size_t n = mb_strlen(name);

	if (!mb_memcmp(want, got, MB_SHA256_SIZE))
		return MB_OK;
	/* Keep both digests on the line whatever the name's length: a long
	 * URL is shown by its end, which names the file. */
	return mb_fail(err, MB_E_DIGEST,
		       "%s%s: SHA-256 mismatch: expected %s, got %s (over the %llu bytes fetched)",
		       n > 96 ? "..." : "", n > 96 ? name + n - 93 : name,
		       mb_hex_encode(want, MB_SHA256_SIZE, w),
		       mb_hex_encode(got, MB_SHA256_SIZE, g),
		       (unsigned long long)len);
}
