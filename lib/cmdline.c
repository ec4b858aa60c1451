/*
 * cmdline.c - splitting the KERNEL line into a request (see cmdline.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cmdline.h"
#include "digest.h"
#include "format.h"
#include "ipappend.h"
#include "util.h"

/** True for the separators PXELINUX itself splits arguments on. */
static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/** True if the token [s, s+n) is exactly "---". */
static int is_separator(const char *s, size_t n)
{
	return n == 3 && s[0] == '-' && s[1] == '-' && s[2] == '-';
}

/** True if [s, s+n) equals the NUL-terminated @word. */
static int token_is(const char *s, size_t n, const char *word)
{
	size_t l = mb_strlen(word);
	return l == n && !mb_memcmp(s, word, n);
}

/**
 * "-sha256=HEX" (any part, the kernel's too): the digest the file must have
 * as fetched.  Like every option it is a leading token of its part, so it
 * is never part of the argument text the file's command line is made of.
 * Returns MB_OK or MB_E_BAD_OPTION (given twice, or not 64 hex digits).
 */
static int apply_sha256(struct mb_request *req, unsigned part,
			const char *hex, size_t n, struct mb_error *err)
{
	struct mb_file_req *f = &req->files[req->nfiles];
	char what[24];

	if (part)
		mb_snprintf(what, sizeof(what), "module %u", part);
	else
		mb_snprintf(what, sizeof(what), "the kernel");
	if (f->opts & MB_FILE_SHA256)
		return mb_fail(err, MB_E_BAD_OPTION, "-sha256 given twice for %s",
			       what);
	int rc = mb_sha256_parse(hex, n, what, f->sha256, err);
	if (!rc)
		f->opts |= MB_FILE_SHA256;
	return rc;
}

/**
 * Apply option token [s, s+n) to the part with index @part.
 * Returns MB_OK or MB_E_BAD_OPTION.
 */
static int apply_option(struct mb_request *req, unsigned part, const char *s,
			size_t n, struct mb_error *err)
{
	if (n >= 8 && !mb_memcmp(s, "-sha256=", 8))
		return apply_sha256(req, part, s + 8, n - 8, err);
	if (part == 0) {
		if (token_is(s, n, "-aout"))
			return req->opts |= MB_OPT_AOUT, MB_OK;
		if (token_is(s, n, "-noaout"))
			return req->opts |= MB_OPT_NOAOUT, MB_OK;
		if (token_is(s, n, "-quiet"))
			return req->opts |= MB_OPT_QUIET, MB_OK;
		if (token_is(s, n, "-v") || token_is(s, n, "-verbose"))
			return req->opts |= MB_OPT_VERBOSE, MB_OK;
		if (token_is(s, n, "-n") || token_is(s, n, "-dry-run"))
			return req->opts |= MB_OPT_DRY_RUN, MB_OK;
		if (token_is(s, n, "-pxelinux"))
			return req->opts |= MB_OPT_PXELINUX, MB_OK;
		if (token_is(s, n, "-mb1"))
			return req->opts |= MB_OPT_MB1, MB_OK;
		if (token_is(s, n, "-mb2"))
			return req->opts |= MB_OPT_MB2, MB_OK;
		if (n >= 10 && !mb_memcmp(s, "-ipappend=", 10))
			return mb_ipappend_option(req, s + 10, n - 10, err);
		if (n > 10 && !mb_memcmp(s, "-fallback=", 10)) {
			if (n - 10 >= sizeof(req->fallback))
				return mb_fail(err, MB_E_BAD_OPTION,
					       "fallback label \"%.*s\" is longer than %zu characters",
					       (int)(n - 10), s + 10,
					       sizeof(req->fallback) - 1);
			mb_memcpy(req->fallback, s + 10, n - 10);
			req->fallback[n - 10] = '\0';
			return MB_OK;
		}
	} else if (token_is(s, n, "-gunzip")) {
		req->files[req->nfiles].opts |= MB_FILE_GUNZIP;
		return MB_OK;
	}
	return mb_fail(err, MB_E_BAD_OPTION,
		       "unknown %s option \"%.*s\" (file names may not start with '-')",
		       part ? "module" : "loader", (int)n, s);
}

int mb_parse_cmdline(const char *line, struct mb_request *req,
		     struct mb_error *err)
{
	size_t len = mb_strlen(line);
	char *out = req->text;
	const char *p = line, *end = line + len;

	mb_memset(req, 0, sizeof(*req) - sizeof(req->text));
	if (len >= MB_CMDLINE_MAX)
		return mb_fail(err, MB_E_CMDLINE_TOO_LONG,
			       "command line is %zu characters; the limit is %u",
			       len, MB_CMDLINE_MAX - 1);

	for (unsigned part = 0;; part++) {
		const char *args_start = NULL, *args_end = NULL, *name = NULL;
		size_t name_len = 0;
		int more = 0;	/* stopped at a "---": another part follows */

		if (part == MB_MAX_FILES)
			return mb_fail(err, MB_E_TOO_MANY_FILES,
				       "more than %u modules given", MB_MAX_FILES - 1);
		req->files[part].opts = 0;
		req->nfiles = part;	/* apply_option indexes files[nfiles] */

		/* Walk the tokens of this part up to "---" or the end. */
		for (;;) {
			while (p < end && is_space(*p))
				p++;
			const char *t = p;
			while (p < end && !is_space(*p))
				p++;
			size_t n = (size_t)(p - t);
			if (n == 0)
				break;
			if (is_separator(t, n)) {
				more = 1;
				break;
			}
			if (!name && t[0] == '-') {
				int rc = apply_option(req, part, t, n, err);
				if (rc)
					return rc;
			} else if (!name) {
				name = t;
				name_len = n;
			} else {
				if (!args_start)
					args_start = t;
				args_end = p;
			}
		}

		if (!name) {
			if (part == 0)
				return mb_fail(err, MB_E_USAGE,
					       "no kernel given; usage: mboot.c32 [options] KERNEL [args] [--- MODULE [args]]...");
			return mb_fail(err, MB_E_EMPTY_MODULE,
				       "module %u is empty (\"--- ---\" or a trailing \"---\")",
				       part);
		}

		struct mb_file_req *f = &req->files[part];
		f->name = out;
		mb_memcpy(out, name, name_len);
		out += name_len;
		*out++ = '\0';
		f->args = out;
		if (args_start) {
			mb_memcpy(out, args_start, (size_t)(args_end - args_start));
			out += args_end - args_start;
		}
		*out++ = '\0';

		if (!more) {
			req->nfiles = part + 1;
			return MB_OK;
		}
	}
}

size_t mb_file_cmdline_len(const struct mb_file_req *f)
{
	size_t n = mb_strlen(f->name);

	if (f->args[0])
		n += 1 + mb_strlen(f->args);
	return n;
}

char *mb_file_cmdline(const struct mb_file_req *f, char *dst)
{
	size_t n = mb_strlen(f->name), a = mb_strlen(f->args);

	mb_memcpy(dst, f->name, n);
	if (a) {
		dst[n++] = ' ';
		mb_memcpy(dst + n, f->args, a);
		n += a;
	}
	dst[n] = '\0';
	return dst;
}
