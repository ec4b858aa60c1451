/*
 * fuzz_cmdline.c - libFuzzer target for the KERNEL line parser
 * (lib/cmdline.c).  The input is the line itself (cut at the first NUL).
 *
 * Beyond memory safety (ASan/UBSan) it checks what a parse promises:
 * names are single tokens that are not options or separators, argument
 * text is trimmed and taken verbatim from the line, the per-file command
 * line has the length it claims, and writing the request back out as a
 * line parses to the same request.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* strcasestr */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmdline.h"
#include "error.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static void fail(const char *what, const char *line)
{
	fprintf(stderr, "fuzz_cmdline: %s\nline: \"%s\"\n", what, line);
	abort();
}

static int same_request(const struct mb_request *a, const struct mb_request *b)
{
	if (a->nfiles != b->nfiles || a->opts != b->opts ||
	    strcmp(a->fallback, b->fallback))
		return 0;
	for (unsigned i = 0; i < a->nfiles; i++)
		if (strcmp(a->files[i].name, b->files[i].name) ||
		    strcmp(a->files[i].args, b->files[i].args) ||
		    a->files[i].opts != b->files[i].opts ||
		    memcmp(a->files[i].sha256, b->files[i].sha256, 32) ||
		    a->files[i].cat_sha_mask != b->files[i].cat_sha_mask ||
		    memcmp(a->files[i].cat_sha256, b->files[i].cat_sha256,
			   sizeof(a->files[i].cat_sha256)))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb_request req, again;
	static char line[MB_CMDLINE_MAX + 512];
	static char rebuilt[2 * MB_CMDLINE_MAX + 4096];
	static char cmd[MB_CMDLINE_MAX + 8];
	struct mb_error err;

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = '\0';
	size_t len = strlen(line);

	memset(&err, 0, sizeof(err));
	int rc = mb_parse_cmdline(line, &req, &err);
	if (rc) {
		if (err.code != (enum mb_code)rc || !err.msg[0] ||
		    !memchr(err.msg, '\0', sizeof(err.msg)))
			fail("error not recorded", line);
		if (len >= MB_CMDLINE_MAX && rc != MB_E_CMDLINE_TOO_LONG)
			fail("overlong line not refused as such", line);
		return 0;
	}
	if (len >= MB_CMDLINE_MAX)
		fail("overlong line accepted", line);
	if (req.cfgfile[0]) {	/* -c FILE: no files on the line itself */
		if (req.nfiles != 0 || !strstr(line, req.cfgfile))
			fail("-c FILE with files, or a FILE not from the line", line);
		return 0;
	}
	if (req.nfiles < 1 || req.nfiles > MB_MAX_FILES)
		fail("file count out of range", line);
	if (req.opts & ~(MB_OPT_AOUT | MB_OPT_NOAOUT | MB_OPT_QUIET |
			 MB_OPT_VERBOSE | MB_OPT_PXELINUX | MB_OPT_MB1 |
			 MB_OPT_MB2 | MB_OPT_DRY_RUN | MB_OPT_TPM_REQUIRED |
			 MB_OPT_SOLARIS | MB_OPT_NOSOLARIS))
		fail("unknown loader option bit", line);
	if ((req.opts & MB_OPT_SOLARIS) && (req.opts & MB_OPT_NOSOLARIS))
		fail("-solaris and -nosolaris both set", line);

	size_t text_used = 0;
	for (unsigned i = 0; i < req.nfiles; i++) {
		const struct mb_file_req *f = &req.files[i];
		const char *lo = req.text, *hi = req.text + sizeof(req.text);
		if (f->name < lo || f->name >= hi || f->args < lo || f->args >= hi)
			fail("strings outside the request's text", line);
		size_t nl = strlen(f->name), al = strlen(f->args);
		text_used += nl + al + 2;
		if (nl == 0 || f->name[0] == '-')
			fail("empty name or name that is an option", line);
		for (size_t k = 0; k < nl; k++)
			if (is_space(f->name[k]))
				fail("name with a space", line);
		if (al && (is_space(f->args[0]) || is_space(f->args[al - 1])))
			fail("arguments not trimmed", line);
		if (!strstr(line, f->name) || !strstr(line, f->args))
			fail("name or arguments not from the line", line);
		if (f->opts & ~(MB_FILE_GUNZIP | MB_FILE_SHA256 | MB_FILE_CAT |
				MB_FILE_NOGUNZIP) ||
		    (i == 0 && (f->opts & (MB_FILE_GUNZIP | MB_FILE_CAT |
					   MB_FILE_NOGUNZIP))) ||
		    (f->cat_sha_mask && !(f->opts & MB_FILE_CAT)))
			fail("bad file option bits", line);
		/* -sha256 is only taken from before the name, and the 64
		 * digits given are the digest stored (either case). */
		static const uint8_t zero[32];
		if (!(f->opts & MB_FILE_SHA256) && memcmp(f->sha256, zero, 32))
			fail("digest stored without -sha256", line);
		if (f->opts & MB_FILE_SHA256) {
			char hex[65];
			for (int b = 0; b < 32; b++)
				sprintf(hex + 2 * b, "%02x", f->sha256[b]);
			if (!strcasestr(line, hex))
				fail("stored digest not on the line", line);
		}
		/* No "---" token inside the arguments. */
		const char *p = f->args;
		while ((p = strstr(p, "---")) != NULL) {
			if ((p == f->args || is_space(p[-1])) &&
			    (p[3] == '\0' || is_space(p[3])))
				fail("separator kept in arguments", line);
			p++;
		}
		size_t cl = mb_file_cmdline_len(f);
		if (cl != nl + (al ? al + 1 : 0) || cl > MB_CMDLINE_MAX)
			fail("command line length", line);
		memset(cmd, 'X', sizeof(cmd));
		mb_file_cmdline(f, cmd);
		if (strlen(cmd) != cl || strncmp(cmd, f->name, nl) ||
		    (al && (cmd[nl] != ' ' || strcmp(cmd + nl + 1, f->args))))
			fail("command line text", line);
	}
	if (text_used > len + 2 * req.nfiles)
		fail("request text larger than the line", line);

	/* Write it back out and parse again. */
	size_t n = 0;
	for (unsigned i = 0; i < req.nfiles; i++) {
		if (i)
			n += (size_t)sprintf(rebuilt + n, " --- ");
		if (req.files[i].opts & MB_FILE_SHA256 ||
		    req.files[i].cat_sha_mask) {
			/* Digest k of a -cat list after k '+' signs. */
			n += (size_t)sprintf(rebuilt + n, "-sha256=");
			for (unsigned k = 0; k < MB_CAT_MAX; k++) {
				const uint8_t *d = k ? req.files[i].cat_sha256[k] :
						   req.files[i].sha256;
				unsigned have = k ? req.files[i].cat_sha_mask >> k & 1 :
					       !!(req.files[i].opts & MB_FILE_SHA256);
				if (k && !(req.files[i].cat_sha_mask >> k))
					break;
				if (k)
					rebuilt[n++] = '+';
				for (int b = 0; have && b < 32; b++)
					n += (size_t)sprintf(rebuilt + n, "%02X", d[b]);
			}
			rebuilt[n++] = ' ';
		}
		if (i == 0) {
			if (req.opts & MB_OPT_AOUT)
				n += (size_t)sprintf(rebuilt + n, "-aout ");
			if (req.opts & MB_OPT_NOAOUT)
				n += (size_t)sprintf(rebuilt + n, "-noaout ");
			if (req.opts & MB_OPT_QUIET)
				n += (size_t)sprintf(rebuilt + n, "-quiet ");
			if (req.opts & MB_OPT_VERBOSE)
				n += (size_t)sprintf(rebuilt + n, "-verbose ");
			if (req.opts & MB_OPT_DRY_RUN)
				n += (size_t)sprintf(rebuilt + n, "-dry-run ");
			if (req.opts & MB_OPT_PXELINUX)
				n += (size_t)sprintf(rebuilt + n, "-pxelinux ");
			if (req.opts & MB_OPT_MB1)
				n += (size_t)sprintf(rebuilt + n, "-mb1 ");
			if (req.opts & MB_OPT_MB2)
				n += (size_t)sprintf(rebuilt + n, "-mb2 ");
			if (req.opts & MB_OPT_TPM_REQUIRED)
				n += (size_t)sprintf(rebuilt + n, "-tpm-required ");
			if (req.opts & MB_OPT_SOLARIS)
				n += (size_t)sprintf(rebuilt + n, "-solaris ");
			if (req.opts & MB_OPT_NOSOLARIS)
				n += (size_t)sprintf(rebuilt + n, "-nosolaris ");
			if (req.fallback[0])
				n += (size_t)sprintf(rebuilt + n, "-fallback=%s ",
						     req.fallback);
		} else {
			if (req.files[i].opts & MB_FILE_GUNZIP)
				n += (size_t)sprintf(rebuilt + n, "-gunzip ");
			if (req.files[i].opts & MB_FILE_NOGUNZIP)
				n += (size_t)sprintf(rebuilt + n, "-nogunzip ");
			if (req.files[i].opts & MB_FILE_CAT)
				n += (size_t)sprintf(rebuilt + n, "-cat ");
		}
		mb_file_cmdline(&req.files[i], rebuilt + n);
		n += strlen(rebuilt + n);
	}
	rc = mb_parse_cmdline(rebuilt, &again, &err);
	if (n < MB_CMDLINE_MAX) {
		if (rc != MB_OK || !same_request(&req, &again))
			fail("rebuilt line parses differently", line);
	} else if (rc != MB_E_CMDLINE_TOO_LONG) {
		fail("long rebuilt line not refused", line);
	}
	return 0;
}
