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
	if ((f->opts & MB_FILE_SHA256) || f->cat_sha_mask)
		return mb_fail(err, MB_E_BAD_OPTION, "-sha256 given twice for %s",
			       what);
	/* "H0+H1+...": one digest per file of a -cat name, in its order; an
	 * empty one leaves that file unchecked.  Whether the part is -cat
	 * (and has that many files) is judged at the end of the part. */
	for (unsigned k = 0;; k++) {
		size_t m = 0;
		while (m < n && hex[m] != '+')
			m++;
		if (k == MB_CAT_MAX)
			return mb_fail(err, MB_E_BAD_OPTION,
				       "-sha256 for %s lists more than %u digests",
				       what, MB_CAT_MAX);
		if (m || (k == 0 && m == n)) {	/* a lone "-sha256=": an error */
			int rc = mb_sha256_parse(hex, m, what,
						 k ? f->cat_sha256[k] : f->sha256,
						 err);
			if (rc)
				return rc;
			if (k)
				f->cat_sha_mask |= 1u << k;
			else
				f->opts |= MB_FILE_SHA256;
		}
		if (m == n)
			return MB_OK;
		hex += m + 1;
		n -= m + 1;
		if (!n)
			return mb_fail(err, MB_E_BAD_OPTION,
				       "-sha256 for %s ends in '+'", what);
	}
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
		if (token_is(s, n, "-tpm-required"))
			return req->opts |= MB_OPT_TPM_REQUIRED, MB_OK;
		/* The stock module's option, and its negation (stock 6.04
		 * strips a leading -no and then compares with "-solaris", so
		 * its own -nosolaris never matched: lib/solaris.h). */
		if (token_is(s, n, "-solaris"))
			return req->opts = (req->opts & ~MB_OPT_NOSOLARIS) |
					   MB_OPT_SOLARIS, MB_OK;
		if (token_is(s, n, "-nosolaris"))
			return req->opts = (req->opts & ~MB_OPT_SOLARIS) |
					   MB_OPT_NOSOLARIS, MB_OK;
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
	} else if (token_is(s, n, "-nogunzip")) {
		req->files[req->nfiles].opts |= MB_FILE_NOGUNZIP;
		return MB_OK;
	} else if (token_is(s, n, "-cat")) {
		req->files[req->nfiles].opts |= MB_FILE_CAT;
		return MB_OK;
	}
	return mb_fail(err, MB_E_BAD_OPTION,
		       "unknown %s option \"%.*s\" (file names may not start with '-')",
		       part ? "module" : "loader", (int)n, s);
}

/**
 * The checks at the end of part @part (file @f, named @name, @name_len
 * characters): a -cat name splits into 1 to MB_CAT_MAX non-empty files
 * and has no more digests than files; a list of digests needs -cat; -cat
 * does not go with -gunzip, nor -gunzip with -nogunzip.  Returns MB_OK or MB_E_BAD_OPTION.
 */
static int check_part(const struct mb_file_req *f, unsigned part,
		      const char *name, size_t name_len, struct mb_error *err)
{
	if ((f->opts & MB_FILE_GUNZIP) && (f->opts & MB_FILE_NOGUNZIP))
		return mb_fail(err, MB_E_BAD_OPTION,
			       "module %u: -gunzip and -nogunzip cannot be combined", part);
	if (!(f->opts & MB_FILE_CAT)) {
		if (f->cat_sha_mask)
			return mb_fail(err, MB_E_BAD_OPTION,
				       "module %u: a list of -sha256 digests needs -cat", part);
		return MB_OK;
	}
	if (f->opts & MB_FILE_GUNZIP)
		return mb_fail(err, MB_E_BAD_OPTION,
			       "module %u: -cat and -gunzip cannot be combined", part);
	unsigned files = 1;
	for (size_t k = 0; k < name_len; k++) {
		if (name[k] != '+')
			continue;
		if (k == 0 || k + 1 == name_len || name[k + 1] == '+')
			return mb_fail(err, MB_E_BAD_OPTION,
				       "module %u: -cat name \"%.*s\" has an empty file name",
				       part, (int)name_len, name);
		files++;
	}
	if (files > MB_CAT_MAX)
		return mb_fail(err, MB_E_BAD_OPTION,
			       "module %u: -cat joins %u files; the limit is %u",
			       part, files, MB_CAT_MAX);
	if (f->cat_sha_mask >> files)
		return mb_fail(err, MB_E_BAD_OPTION,
			       "module %u: -sha256 lists more digests than the %u files of \"%.*s\"",
			       part, files, (int)name_len, name);
	return MB_OK;
}

/**
 * The parser proper: @line (below @limit characters) into @req's files;
 * with @parts_only, "-c" is refused and the loader options already in
 * @req are kept (mb_parse_parts).
 */
static int parse_line(const char *line, size_t limit, int parts_only,
		      struct mb_request *req, struct mb_error *err)
{
	size_t len = mb_strlen(line);
	char *out = req->text;
	const char *p = line, *end = line + len;

	if (!parts_only)
		mb_memset(req, 0, sizeof(*req) - sizeof(req->text));
	else
		mb_memset(req->files, 0, sizeof(req->files));
	req->nfiles = 0;
	if (len >= limit)
		return mb_fail(err, MB_E_CMDLINE_TOO_LONG,
			       "%s is %zu characters; the limit is %zu",
			       parts_only ? "the boot.cfg's kernel and modules line" :
					    "command line",
			       len, limit - 1);

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
			if (!name && part == 0 && token_is(t, n, "-c")) {
				/* -c FILE: the file is the next word. */
				while (p < end && is_space(*p))
					p++;
				t = p;
				while (p < end && !is_space(*p))
					p++;
				n = (size_t)(p - t);
				if (parts_only)
					return mb_fail(err, MB_E_BAD_OPTION,
						       "-c inside a boot.cfg (a boot.cfg cannot name another)");
				if (!n || is_separator(t, n))
					return mb_fail(err, MB_E_BAD_OPTION,
						       "-c needs a file name (-c boot.cfg)");
				if (n >= sizeof(req->cfgfile))
					return mb_fail(err, MB_E_BAD_OPTION,
						       "-c file name is %zu characters; the limit is %zu",
						       n, sizeof(req->cfgfile) - 1);
				mb_memcpy(req->cfgfile, t, n);
				req->cfgfile[n] = '\0';
			} else if (!name && t[0] == '-') {
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

		if (!name && part == 0 && req->cfgfile[0] && !more &&
		    !parts_only) {
			/* -c FILE alone: the files come from FILE. */
			req->nfiles = 0;
			return MB_OK;
		}
		if (name && part == 0 && req->cfgfile[0] && !parts_only)
			return mb_fail(err, MB_E_USAGE,
				       "-c %s names the kernel and modules; the line names \"%.*s\" too",
				       req->cfgfile, (int)name_len, name);
		if (!name) {
			if (part == 0)
				return mb_fail(err, MB_E_USAGE,
					       "no kernel given; usage: mboot.c32 [options] KERNEL [args] [--- MODULE [args]]...");
			return mb_fail(err, MB_E_EMPTY_MODULE,
				       "module %u is empty (\"--- ---\" or a trailing \"---\")",
				       part);
		}

		struct mb_file_req *f = &req->files[part];
		int rc = check_part(f, part, name, name_len, err);
		if (rc)
			return rc;
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

int mb_parse_cmdline(const char *line, struct mb_request *req,
		     struct mb_error *err)
{
	return parse_line(line, MB_CMDLINE_MAX, 0, req, err);
}

int mb_parse_parts(const char *line, size_t limit, struct mb_request *req,
		   struct mb_error *err)
{
	if (limit > MB_CFG_LINE_MAX)
		limit = MB_CFG_LINE_MAX;
	return parse_line(line, limit, 1, req, err);
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
