/*
 * test_cmdline.c - splitting the KERNEL line (lib/cmdline.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "check.h"
#include "cmdline.h"

static struct mb_request req;
static struct mb_error err;

/** Parse @line; returns the code (err and req filled). */
static int parse(const char *line)
{
	memset(&err, 0, sizeof(err));
	memset(&req, 0xa5, sizeof(req));	/* stale garbage must not leak */
	return mb_parse_cmdline(line, &req, &err);
}

/** The command line file @i receives. */
static const char *file_cmdline(unsigned i)
{
	static char buf[MB_CMDLINE_MAX + 16];

	memset(buf, 'X', sizeof(buf));
	mb_file_cmdline(&req.files[i], buf);
	CHECK_EQ_U(strlen(buf), mb_file_cmdline_len(&req.files[i]));
	return buf;
}

static void test_simple(void)
{
	CHECK_EQ_U(parse("xen.gz"), MB_OK);
	CHECK_EQ_U(req.nfiles, 1);
	CHECK_EQ_U(req.opts, 0);
	CHECK_STR(req.files[0].name, "xen.gz");
	CHECK_STR(req.files[0].args, "");
	CHECK_EQ_U(req.files[0].opts, 0);
	CHECK_STR(file_cmdline(0), "xen.gz");

	CHECK_EQ_U(parse("  \t xen.gz \t "), MB_OK);
	CHECK_EQ_U(req.nfiles, 1);
	CHECK_STR(req.files[0].name, "xen.gz");
	CHECK_STR(req.files[0].args, "");
	CHECK_STR(file_cmdline(0), "xen.gz");
}

static void test_modules(void)
{
	CHECK_EQ_U(parse("xen.gz dom0_mem=512M  loglvl=all --- vmlinuz "
			 "root=/dev/sda1 ro --- initrd.img"), MB_OK);
	CHECK_EQ_U(req.nfiles, 3);
	CHECK_STR(req.files[0].name, "xen.gz");
	CHECK_STR(req.files[0].args, "dom0_mem=512M  loglvl=all");
	CHECK_STR(req.files[1].name, "vmlinuz");
	CHECK_STR(req.files[1].args, "root=/dev/sda1 ro");
	CHECK_STR(req.files[2].name, "initrd.img");
	CHECK_STR(req.files[2].args, "");
	CHECK_STR(file_cmdline(0), "xen.gz dom0_mem=512M  loglvl=all");
	CHECK_STR(file_cmdline(1), "vmlinuz root=/dev/sda1 ro");
	CHECK_STR(file_cmdline(2), "initrd.img");

	/* Separators need not be surrounded by single spaces. */
	CHECK_EQ_U(parse("k\t---\tm1\n---  m2   a  b  "), MB_OK);
	CHECK_EQ_U(req.nfiles, 3);
	CHECK_STR(req.files[0].name, "k");
	CHECK_STR(req.files[1].name, "m1");
	CHECK_STR(req.files[1].args, "");
	CHECK_STR(req.files[2].name, "m2");
	CHECK_STR(req.files[2].args, "a  b");
}

static void test_separator_tokens(void)
{
	/* "--" and "----" and "---x" are arguments, not separators. */
	CHECK_EQ_U(parse("k a -- b ---- c ---x x--- --- m"), MB_OK);
	CHECK_EQ_U(req.nfiles, 2);
	CHECK_STR(req.files[0].args, "a -- b ---- c ---x x---");
	CHECK_STR(req.files[1].name, "m");

	/* A name that merely contains dashes. */
	CHECK_EQ_U(parse("k --- mod--- x"), MB_OK);
	CHECK_EQ_U(req.nfiles, 2);
	CHECK_STR(req.files[1].name, "mod---");
	CHECK_STR(req.files[1].args, "x");

	/* Options are only leading tokens: later dashes are arguments. */
	CHECK_EQ_U(parse("k -quiet -- -x --- m -gunzip"), MB_OK);
	CHECK_EQ_U(req.opts, 0);
	CHECK_STR(req.files[0].args, "-quiet -- -x");
	CHECK_STR(req.files[1].args, "-gunzip");
	CHECK_EQ_U(req.files[1].opts, 0);
}

static void test_args_exact(void)
{
	CHECK_EQ_U(parse("   kern   a\t\tb   c  \"q  x\"  \t"), MB_OK);
	CHECK_STR(req.files[0].name, "kern");
	CHECK_STR(req.files[0].args, "a\t\tb   c  \"q  x\"");
	CHECK_STR(file_cmdline(0), "kern a\t\tb   c  \"q  x\"");

	/* Every whitespace character PXELINUX may leave is a separator. */
	CHECK_EQ_U(parse("\r\n\f\vk\va\fb\r"), MB_OK);
	CHECK_STR(req.files[0].name, "k");
	CHECK_STR(req.files[0].args, "a\fb");
}

static void test_options(void)
{
	CHECK_EQ_U(parse("-aout -quiet k"), MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_AOUT | MB_OPT_QUIET);
	CHECK_STR(req.files[0].name, "k");

	CHECK_EQ_U(parse("-noaout -verbose k x --- -gunzip m y --- n"), MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_NOAOUT | MB_OPT_VERBOSE);
	CHECK_EQ_U(req.nfiles, 3);
	CHECK_EQ_U(req.files[0].opts, 0);
	CHECK_EQ_U(req.files[1].opts, MB_FILE_GUNZIP);
	CHECK_EQ_U(req.files[2].opts, 0);
	CHECK_STR(req.files[1].name, "m");
	CHECK_STR(req.files[1].args, "y");
	CHECK_STR(file_cmdline(1), "m y");	/* the option is not passed */

	/* -v is -verbose; -n and -dry-run: everything but the hand-off.
	 * Loader options only, whole tokens only. */
	CHECK_EQ_U(parse("-v -n k x"), MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_VERBOSE | MB_OPT_DRY_RUN);
	CHECK_STR(file_cmdline(0), "k x");
	CHECK_EQ_U(parse("-dry-run k --- m -n"), MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_DRY_RUN);
	CHECK_STR(file_cmdline(1), "m -n");	/* an argument, not an option */
	CHECK_EQ_U(parse("k --- -n m"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "unknown module option \"-n\"");
	CHECK_EQ_U(parse("-nv k"), MB_E_BAD_OPTION);
	CHECK_EQ_U(parse("-dry k"), MB_E_BAD_OPTION);
	CHECK_EQ_U(parse("-vn k"), MB_E_BAD_OPTION);

	/* Repeated options are harmless. */
	CHECK_EQ_U(parse("-quiet -quiet k --- -gunzip -gunzip m"), MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_QUIET);
	CHECK_EQ_U(req.files[1].opts, MB_FILE_GUNZIP);

	/* Unknown options, and options in the wrong part. */
	CHECK_EQ_U(parse("-bogus k"), MB_E_BAD_OPTION);
	CHECK_EQ_U(err.code, MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "\"-bogus\"");
	CHECK_CONTAINS(err.msg, "loader");

	CHECK_EQ_U(parse("-gunzip k"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "\"-gunzip\"");

	CHECK_EQ_U(parse("k --- -quiet m"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "module");
	CHECK_CONTAINS(err.msg, "\"-quiet\"");

	CHECK_EQ_U(parse("k --- -gunzipx m"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "\"-gunzipx\"");

	/* "-" alone and "--" in option position are unknown options. */
	CHECK_EQ_U(parse("- k"), MB_E_BAD_OPTION);
	CHECK_EQ_U(parse("-- k"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "\"--\"");
	CHECK_EQ_U(parse("-quie k"), MB_E_BAD_OPTION);
	CHECK_EQ_U(parse("-quiet2 k"), MB_E_BAD_OPTION);
}

/* Three digests for the -sha256 tests (any 64 hex digits will do). */
#define H1 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define H2 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define H3U "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1"

/** True if the 32 bytes at @d are the digest written as hex @hex. */
static int digest_is(const uint8_t *d, const char *hex)
{
	char buf[65];

	for (int i = 0; i < 32; i++)
		snprintf(buf + 2 * i, 3, "%02x", d[i]);
	return !strcasecmp(buf, hex);
}

static void test_sha256_option(void)
{
	static const uint8_t zero[32];

	/* The syntax of the issue: a leading option of each part. */
	CHECK_EQ_U(parse("-sha256=" H1 " xen.gz dom0_mem=512M --- -sha256=" H2
			 " vmlinuz console=hvc0 --- -gunzip -sha256=" H3U
			 " initrd.gz --- plain.bin a"), MB_OK);
	CHECK_EQ_U(req.nfiles, 4);
	CHECK_EQ_U(req.opts, 0);	/* not a loader option bit */
	CHECK_EQ_U(req.files[0].opts, MB_FILE_SHA256);
	CHECK_EQ_U(req.files[1].opts, MB_FILE_SHA256);
	CHECK_EQ_U(req.files[2].opts, MB_FILE_GUNZIP | MB_FILE_SHA256);
	CHECK_EQ_U(req.files[3].opts, 0);
	CHECK(digest_is(req.files[0].sha256, H1));
	CHECK(digest_is(req.files[1].sha256, H2));
	CHECK(digest_is(req.files[2].sha256, H3U));
	CHECK(!memcmp(req.files[3].sha256, zero, 32));
	/* What each file receives never contains the option. */
	CHECK_STR(file_cmdline(0), "xen.gz dom0_mem=512M");
	CHECK_STR(file_cmdline(1), "vmlinuz console=hvc0");
	CHECK_STR(file_cmdline(2), "initrd.gz");
	CHECK_STR(file_cmdline(3), "plain.bin a");

	/* With the loader's own options, in any order. */
	CHECK_EQ_U(parse("-quiet -sha256=" H2 " -mb2 k --- -sha256=" H1 " -gunzip m"),
		   MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_QUIET | MB_OPT_MB2);
	CHECK(digest_is(req.files[0].sha256, H2));
	CHECK_EQ_U(req.files[1].opts, MB_FILE_GUNZIP | MB_FILE_SHA256);
	CHECK(digest_is(req.files[1].sha256, H1));

	/* After the name it is an argument like any other, passed as typed. */
	CHECK_EQ_U(parse("k -sha256=" H1 " --- m -sha256=" H2), MB_OK);
	CHECK_EQ_U(req.files[0].opts, 0);
	CHECK_EQ_U(req.files[1].opts, 0);
	CHECK_STR(file_cmdline(0), "k -sha256=" H1);
	CHECK_STR(file_cmdline(1), "m -sha256=" H2);

	/* Errors: length, characters, twice, no '=', nothing after it. */
	CHECK_EQ_U(parse("-sha256= k"), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for the kernel has 0 hex digits; a SHA-256 digest has 64");
	CHECK_EQ_U(parse("k --- m --- -sha256=abc m2"), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 2 has 3 hex digits; a SHA-256 digest has 64");
	CHECK_EQ_U(parse("-sha256=" H1 "0 k"), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for the kernel has 65 hex digits; a SHA-256 digest has 64");
	CHECK_EQ_U(parse("k --- -sha256=" "ba7816bf8f01cfea414140de5dae2223"
			 "b00361a396177a9cb410ff61f20015zd m"), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 1: character 63 ('z') is not a hex digit");
	CHECK_EQ_U(parse("-sha256=" H1 " -sha256=" H1 " k"), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 given twice for the kernel");
	CHECK_EQ_U(parse("k --- -sha256=" H1 " -gunzip -sha256=" H2 " m"),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 given twice for module 1");
	CHECK_EQ_U(parse("-sha256 k"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "unknown loader option \"-sha256\"");
	CHECK_EQ_U(parse("k --- -sha256:" H1 " m"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "unknown module option");
	CHECK_EQ_U(parse("k --- -sha256=" H1), MB_E_EMPTY_MODULE);

	/* One digest per file: a later file's does not leak into another. */
	CHECK_EQ_U(parse("k --- -sha256=" H1 " a --- b --- -sha256=" H2 " c"), MB_OK);
	CHECK_EQ_U(req.files[0].opts, 0);
	CHECK(!memcmp(req.files[0].sha256, zero, 32));
	CHECK(digest_is(req.files[1].sha256, H1));
	CHECK_EQ_U(req.files[2].opts, 0);
	CHECK(!memcmp(req.files[2].sha256, zero, 32));
	CHECK(digest_is(req.files[3].sha256, H2));
}

static void test_errors(void)
{
	CHECK_EQ_U(parse(""), MB_E_USAGE);
	CHECK_EQ_U(err.code, MB_E_USAGE);
	CHECK_CONTAINS(err.msg, "usage");
	CHECK_EQ_U(parse(" \t "), MB_E_USAGE);
	CHECK_EQ_U(parse("-quiet"), MB_E_USAGE);	/* options, no kernel */
	CHECK_EQ_U(parse("-quiet --- m"), MB_E_USAGE);

	/* A leading "---" names no kernel. */
	CHECK_EQ_U(parse("--- m"), MB_E_USAGE);
	CHECK_EQ_U(parse("---"), MB_E_USAGE);
	CHECK_EQ_U(parse("--- ---"), MB_E_USAGE);

	CHECK_EQ_U(parse("k --- ---"), MB_E_EMPTY_MODULE);
	CHECK_EQ_U(err.code, MB_E_EMPTY_MODULE);
	CHECK_CONTAINS(err.msg, "module 1 ");
	CHECK_EQ_U(parse("k --- a --- --- b"), MB_E_EMPTY_MODULE);
	CHECK_CONTAINS(err.msg, "module 2 ");
	CHECK_EQ_U(parse("k ---"), MB_E_EMPTY_MODULE);
	CHECK_CONTAINS(err.msg, "module 1 ");
	CHECK_EQ_U(parse("k --- m1 --- m2 ---   "), MB_E_EMPTY_MODULE);
	CHECK_CONTAINS(err.msg, "module 3 ");
	CHECK_EQ_U(parse("k --- -gunzip"), MB_E_EMPTY_MODULE);
	CHECK_EQ_U(parse("k --- -gunzip ---"), MB_E_EMPTY_MODULE);
}

/** A line with @nmods modules ("k --- m --- m ..."). */
static char *line_with_modules(unsigned nmods)
{
	char *s = malloc(16 + nmods * 16);
	size_t n = (size_t)sprintf(s, "k");

	for (unsigned i = 0; i < nmods; i++)
		n += (size_t)sprintf(s + n, " --- m%u a%u", i + 1, i + 1);
	return s;
}

static void test_too_many(void)
{
	char *s = line_with_modules(MB_MAX_FILES - 1);
	CHECK(strlen(s) < MB_CMDLINE_MAX);
	CHECK_EQ_U(parse(s), MB_OK);
	CHECK_EQ_U(req.nfiles, MB_MAX_FILES);
	CHECK_STR(req.files[MB_MAX_FILES - 1].name, "m127");
	CHECK_STR(req.files[MB_MAX_FILES - 1].args, "a127");
	CHECK_STR(req.files[64].name, "m64");
	free(s);

	s = line_with_modules(MB_MAX_FILES);
	CHECK(strlen(s) < MB_CMDLINE_MAX);
	CHECK_EQ_U(parse(s), MB_E_TOO_MANY_FILES);
	CHECK_EQ_U(err.code, MB_E_TOO_MANY_FILES);
	CHECK_CONTAINS(err.msg, "127");
	free(s);

	/* Shortest possible modules: still limited by count, not length. */
	char line[MB_CMDLINE_MAX];
	size_t n = 0;
	line[n++] = 'k';
	for (unsigned i = 0; i < MB_MAX_FILES + 10; i++) {
		n += (size_t)sprintf(line + n, " --- m");
	}
	CHECK(n < sizeof(line));
	CHECK_EQ_U(parse(line), MB_E_TOO_MANY_FILES);
}

static void test_length(void)
{
	static char line[MB_CMDLINE_MAX + 64];

	/* MB_CMDLINE_MAX - 1 characters: accepted, every byte kept. */
	memset(line, 'a', MB_CMDLINE_MAX - 1);
	line[0] = 'k';
	line[1] = ' ';
	line[MB_CMDLINE_MAX - 1] = '\0';
	CHECK_EQ_U(parse(line), MB_OK);
	CHECK_EQ_U(strlen(req.files[0].args), MB_CMDLINE_MAX - 3);
	CHECK_EQ_U(mb_file_cmdline_len(&req.files[0]), MB_CMDLINE_MAX - 1);

	/* MB_CMDLINE_MAX characters: refused, the message has the numbers. */
	memset(line, 'a', MB_CMDLINE_MAX);
	line[MB_CMDLINE_MAX] = '\0';
	CHECK_EQ_U(parse(line), MB_E_CMDLINE_TOO_LONG);
	CHECK_EQ_U(err.code, MB_E_CMDLINE_TOO_LONG);
	CHECK_CONTAINS(err.msg, "2048");
	CHECK_CONTAINS(err.msg, "2047");

	memset(line, ' ', MB_CMDLINE_MAX + 10);	/* even when it is blank */
	line[MB_CMDLINE_MAX + 10] = '\0';
	CHECK_EQ_U(parse(line), MB_E_CMDLINE_TOO_LONG);
	CHECK_CONTAINS(err.msg, "2058");

	/* The worst case for the text buffer: one-character names only. */
	size_t n = 0;
	line[n++] = 'k';
	while (n + 6 < MB_CMDLINE_MAX - 1 && n < 6 * (MB_MAX_FILES - 1))
		n += (size_t)sprintf(line + n, " --- m");
	while (n + 2 < MB_CMDLINE_MAX - 1)
		n += (size_t)sprintf(line + n, " x");
	line[n] = '\0';
	CHECK_EQ_U(parse(line), MB_OK);
	CHECK_EQ_U(req.nfiles, MB_MAX_FILES);
	size_t args = strlen(req.files[MB_MAX_FILES - 1].args);
	CHECK(args > 0 && args == n - (1 + 6 * (MB_MAX_FILES - 1)) - 1);
}

/** Random lines: parse must succeed or fail cleanly, and re-joining the
 * parts must give back a line that parses to the same request. */
static void test_random_roundtrip(void)
{
	static const char *const tokens[] = {
		"---", "--", "-", "k", "mod", "a=b", "-quiet", "-gunzip",
		"-aout", "x---", "", "\t", "  ", "\"", "-verbose", "-v", "-n",
		"-dry-run", "-sha256=" H1, "-sha256=" H3U, "-sha256=12",
	};
	static char line[MB_CMDLINE_MAX + 200];
	static struct mb_request first;
	unsigned seed = 12345, ok = 0, bad = 0;

	for (int iter = 0; iter < 20000; iter++) {
		size_t n = 0;
		unsigned ntok = (seed = seed * 1103515245 + 12345) >> 16 & 31;
		for (unsigned t = 0; t < ntok; t++) {
			seed = seed * 1103515245 + 12345;
			const char *tok = tokens[(seed >> 16) % (sizeof(tokens) / sizeof(tokens[0]))];
			n += (size_t)sprintf(line + n, "%s%s", t ? " " : "", tok);
		}
		line[n] = '\0';
		int rc = parse(line);
		if (rc) {
			bad += err.code == (enum mb_code)rc && err.msg[0];
			continue;
		}
		first = req;
		/* Rebuild: options, then "name args", parts joined by ---. */
		static char again[MB_CMDLINE_MAX + 400];
		size_t m = 0;
		for (unsigned i = 0; i < first.nfiles; i++) {
			if (i)
				m += (size_t)sprintf(again + m, " --- ");
			if (first.files[i].opts & MB_FILE_SHA256) {
				m += (size_t)sprintf(again + m, "-sha256=");
				for (int b = 0; b < 32; b++)
					m += (size_t)sprintf(again + m, "%02x",
							     first.files[i].sha256[b]);
				again[m++] = ' ';
			}
			if (i == 0) {
				if (first.opts & MB_OPT_AOUT)
					m += (size_t)sprintf(again + m, "-aout ");
				if (first.opts & MB_OPT_QUIET)
					m += (size_t)sprintf(again + m, "-quiet ");
				if (first.opts & MB_OPT_VERBOSE)
					m += (size_t)sprintf(again + m, "-verbose ");
				if (first.opts & MB_OPT_DRY_RUN)
					m += (size_t)sprintf(again + m, "-n ");
			} else if (first.files[i].opts & MB_FILE_GUNZIP) {
				m += (size_t)sprintf(again + m, "-gunzip ");
			}
			mb_file_cmdline(&first.files[i], again + m);
			m += strlen(again + m);
		}
		int same = parse(again) == MB_OK && req.nfiles == first.nfiles &&
			   req.opts == first.opts;
		for (unsigned i = 0; same && i < req.nfiles; i++)
			same = !strcmp(req.files[i].name, first.files[i].name) &&
			       !strcmp(req.files[i].args, first.files[i].args) &&
			       req.files[i].opts == first.files[i].opts &&
			       !memcmp(req.files[i].sha256, first.files[i].sha256, 32) &&
			       req.files[i].name[0] != '-' &&
			       strcmp(req.files[i].name, "---");
		if (!CHECK_MSG(same, "round trip of \"%s\" via \"%s\"", line,
			       again))
			break;
		ok++;
	}
	CHECK(ok > 1000);	/* the generator produces valid lines too */
	CHECK(bad > 1000);	/* ... and invalid ones, with messages */
}

int main(void)
{
	test_simple();
	test_modules();
	test_separator_tokens();
	test_args_exact();
	test_options();
	test_sha256_option();
	test_errors();
	test_too_many();
	test_length();
	test_random_roundtrip();
	return check_summary("cmdline");
}
