/*
 * test_bootcfg.c - "-c FILE" (lib/bootcfg.c, its option in lib/cmdline.c)
 * and "-cat" names with their "-sha256=H0+H1" lists (lib/cmdline.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootcfg.h"
#include "check.h"
#include "cmdline.h"

static struct mb_request req;
static struct mb_error err;
static struct mb_bootcfg cfg;
static char line[MB_CFG_LINE_MAX];

#define H1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

/** "-c @cfgname" on the KERNEL line, then the boot.cfg @text. */
static int apply(const char *cfgname, const char *text)
{
	char l[300];

	memset(&err, 0, sizeof(err));
	memset(&req, 0xa5, sizeof(req));
	snprintf(l, sizeof(l), "-v -c %s", cfgname);
	int rc = mb_parse_cmdline(l, &req, &err);
	if (rc)
		return rc;
	return mb_bootcfg_apply(text, strlen(text), cfgname, line,
				sizeof(line), &req, &cfg, &err);
}

/** The -c option itself. */
static void test_option(void)
{
	memset(&req, 0xa5, sizeof(req));
	CHECK_EQ_U(mb_parse_cmdline("-c boot.cfg", &req, &err), MB_OK);
	CHECK_EQ_U(req.nfiles, 0);
	CHECK_STR(req.cfgfile, "boot.cfg");
	CHECK_EQ_U(mb_parse_cmdline("-quiet -c esxi/boot.cfg -v", &req, &err),
		   MB_OK);
	CHECK_STR(req.cfgfile, "esxi/boot.cfg");
	CHECK_EQ_U(req.opts, MB_OPT_QUIET | MB_OPT_VERBOSE);
	CHECK_EQ_U(mb_parse_cmdline("k", &req, &err), MB_OK);
	CHECK_STR(req.cfgfile, "");	/* none: cleared */
	CHECK_EQ_U(mb_parse_cmdline("-c", &req, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-c needs a file name (-c boot.cfg)");
	CHECK_EQ_U(mb_parse_cmdline("-c ---", &req, &err), MB_E_BAD_OPTION);
	CHECK_EQ_U(mb_parse_cmdline("-c boot.cfg xen.gz", &req, &err), MB_E_USAGE);
	CHECK_STR(err.msg, "-c boot.cfg names the kernel and modules; the line names \"xen.gz\" too");
	CHECK_EQ_U(mb_parse_cmdline("-c boot.cfg --- m", &req, &err),
		   MB_E_USAGE);
	/* After the kernel's name "-c" is the kernel's argument. */
	CHECK_EQ_U(mb_parse_cmdline("k -c boot.cfg", &req, &err), MB_OK);
	CHECK_STR(req.files[0].args, "-c boot.cfg");
	CHECK_STR(req.cfgfile, "");
}

/** VMware's syntax: keys, comments, prefix, title, the module list. */
static void test_syntax(void)
{
	CHECK_EQ_U(apply("esxi/boot.cfg",
		"bootstate=0\n"
		"# a comment\n"
		"   # an indented one\n"
		"title=Loading ESXi installer\r\n"
		"timeout=5\n"
		"\n"
		"kernel=b.b00\n"
		"kernelopt=runweasel  cdromBoot\n"
		"modules=jumpstrt.gz --- useropts.gz a=1 --- /abs.gz ---"
		" http://10.0.0.1/u.gz --- ::root.gz --- -sha256=" H1 " s.gz\n"
		"build=8.0.0\n"
		"updated=0"), MB_OK);
	CHECK_STR(cfg.title, "Loading ESXi installer");
	CHECK_EQ_U(req.nfiles, 7);
	CHECK_EQ_U(req.opts, MB_OPT_VERBOSE);	/* the KERNEL line's, kept */
	CHECK_STR(req.cfgfile, "esxi/boot.cfg");
	/* No prefix=: names are relative to the boot.cfg's directory. */
	CHECK_STR(req.files[0].name, "esxi/b.b00");
	CHECK_STR(req.files[0].args, "runweasel  cdromBoot");
	CHECK_STR(req.files[1].name, "esxi/jumpstrt.gz");
	CHECK_STR(req.files[1].args, "");
	CHECK_STR(req.files[2].name, "esxi/useropts.gz");
	CHECK_STR(req.files[2].args, "a=1");
	CHECK_STR(req.files[3].name, "/abs.gz");	/* never prefixed */
	CHECK_STR(req.files[4].name, "http://10.0.0.1/u.gz");
	CHECK_STR(req.files[5].name, "::root.gz");
	CHECK_STR(req.files[6].name, "esxi/s.gz");
	CHECK(req.files[6].opts & MB_FILE_SHA256);
	CHECK_EQ_U(req.files[6].sha256[0], 0x01);

	/* prefix= replaces the directory; a trailing '/' is not doubled. */
	CHECK_EQ_U(apply("esxi/boot.cfg", "prefix=images/8.0\nkernel=b.b00\n"
		   "modules=m1 --- m2\n"), MB_OK);
	CHECK_STR(req.files[0].name, "images/8.0/b.b00");
	CHECK_STR(req.files[2].name, "images/8.0/m2");
	CHECK_EQ_U(apply("boot.cfg", "prefix=http://srv/esx/\nkernel=b.b00\n"),
		   MB_OK);
	CHECK_STR(req.files[0].name, "http://srv/esx/b.b00");
	CHECK_EQ_U(req.nfiles, 1);
	/* An empty prefix=: names as written. */
	CHECK_EQ_U(apply("esxi/boot.cfg", "prefix=\nkernel=b.b00\n"), MB_OK);
	CHECK_STR(req.files[0].name, "b.b00");
	/* A boot.cfg at the top and "host::" names. */
	CHECK_EQ_U(apply("boot.cfg", "kernel=b.b00\n"), MB_OK);
	CHECK_STR(req.files[0].name, "b.b00");
	CHECK_EQ_U(apply("srv::boot.cfg", "kernel=b.b00\n"), MB_OK);
	CHECK_STR(req.files[0].name, "srv::b.b00");
	/* The last line of a key counts; blanks around '=' go. */
	CHECK_EQ_U(apply("boot.cfg", "kernel=a\n kernel = b  \nkernelopt= x y \n"),
		   MB_OK);
	CHECK_STR(req.files[0].name, "b");
	CHECK_STR(req.files[0].args, "x y");
	/* Leading options of an item stay options (-gunzip on a module). */
	CHECK_EQ_U(apply("d/boot.cfg", "kernel=k\nmodules=-gunzip m.gz z\n"),
		   MB_OK);
	CHECK(req.files[1].opts & MB_FILE_GUNZIP);
	CHECK_STR(req.files[1].name, "d/m.gz");
	CHECK_STR(req.files[1].args, "z");
}

/** Errors name the file and the cause. */
static void test_errors(void)
{
	CHECK_EQ_U(apply("x/boot.cfg", "title=t\nmodules=a\n"), MB_E_USAGE);
	CHECK_STR(err.msg, "x/boot.cfg: no kernel= line");
	CHECK_EQ_U(apply("boot.cfg", "kernel=k\n\njunk line here\n"),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "boot.cfg: line 3 \"junk line here\" is not key=value");
	CHECK_EQ_U(apply("boot.cfg", "kernel=k\nkernelopt=a --- b\n"),
		   MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "may not contain \"---\"");
	CHECK_EQ_U(apply("boot.cfg", "kernel=k\nmodules=a --- --- b\n"),
		   MB_E_EMPTY_MODULE);
	CHECK_STR(err.msg, "boot.cfg: module 2 is empty (\"--- ---\" or a trailing \"---\")");
	CHECK_EQ_U(apply("boot.cfg", "kernel=k\nmodules=a ---\n"),
		   MB_E_EMPTY_MODULE);
	CHECK_EQ_U(apply("boot.cfg", "kernel=-quite k\n"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "boot.cfg: unknown loader option \"-quite\"");
	/* Options and no name (found by fuzz_bootcfg: it read as no files). */
	CHECK_EQ_U(apply("boot.cfg", "kernel=-n\n"), MB_E_USAGE);
	CHECK_CONTAINS(err.msg, "boot.cfg: no kernel given");
	CHECK_EQ_U(apply("boot.cfg", "kernel=-c other.cfg k\n"), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "a boot.cfg cannot name another");
	static const char nul[] = "kernel=k\nti\0tle=x\n";
	CHECK_EQ_U(mb_parse_cmdline("-c b.cfg", &req, &err), MB_OK);
	CHECK_EQ_U(mb_bootcfg_apply(nul, sizeof(nul) - 1, "b.cfg", line,
				    sizeof(line), &req, &cfg, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "b.cfg: line 2 holds a NUL byte (not a text file)");
}

/** 120 modules (more than 2047 characters) fit; the limits hold. */
static void test_long(void)
{
	static char text[MB_CFG_LINE_MAX + 4096];
	size_t n = (size_t)snprintf(text, sizeof(text), "kernel=k\nmodules=");

	for (unsigned i = 0; i < 120; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%smodule-%03u.bin len=%u crc=00000000",
				      i ? " --- " : "", i, i * 1000);
	text[n++] = '\n';
	text[n] = '\0';
	CHECK(n > 2 * MB_CMDLINE_MAX);
	CHECK_EQ_U(apply("dir/boot.cfg", text), MB_OK);
	CHECK_EQ_U(req.nfiles, 121);
	CHECK_STR(req.files[120].name, "dir/module-119.bin");
	CHECK_STR(req.files[120].args, "len=119000 crc=00000000");

	/* 127 modules are the most, as on the line. */
	n = (size_t)snprintf(text, sizeof(text), "kernel=k\nmodules=");
	for (unsigned i = 0; i < 128; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%sm%u",
				      i ? " --- " : "", i);
	CHECK_EQ_U(apply("boot.cfg", text), MB_E_TOO_MANY_FILES);
	CHECK_STR(err.msg, "boot.cfg: more than 127 modules given");

	/* Past the length limit: refused with the number. */
	n = (size_t)snprintf(text, sizeof(text), "kernel=k\nkernelopt=");
	memset(text + n, 'a', MB_CFG_LINE_MAX);
	text[n + MB_CFG_LINE_MAX] = '\0';
	CHECK_EQ_U(apply("boot.cfg", text), MB_E_CMDLINE_TOO_LONG);
	CHECK_STR(err.msg, "boot.cfg: the kernel and modules come to more than 32767 characters");
	/* A short caller buffer is a limit too, never overrun. */
	char small[16];
	memset(small, 'Z', sizeof(small));
	CHECK_EQ_U(mb_parse_cmdline("-c b", &req, &err), MB_OK);
	CHECK_EQ_U(mb_bootcfg_apply("kernel=abcdefghijklmnop\n", 24, "b", small,
				    8, &req, &cfg, &err), MB_E_CMDLINE_TOO_LONG);
	CHECK_EQ_U(small[8], 'Z');
}

/** -cat names and their digest lists. */
static void test_cat(void)
{
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat base.cpio.gz+host.cpio a b", &req, &err),
		   MB_OK);
	CHECK(req.files[1].opts & MB_FILE_CAT);
	CHECK_STR(req.files[1].name, "base.cpio.gz+host.cpio");
	CHECK_STR(req.files[1].args, "a b");
	/* Without -cat a '+' is part of the name, as in the stock module. */
	CHECK_EQ_U(mb_parse_cmdline("k --- c++.img", &req, &err), MB_OK);
	CHECK_EQ_U(req.files[1].opts, 0);
	CHECK_STR(req.files[1].name, "c++.img");
	/* One digest per file, in order; an empty one leaves a file out. */
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat -sha256=" H1 "+" H2 " a+b", &req, &err),
		   MB_OK);
	CHECK(req.files[1].opts & MB_FILE_SHA256);
	CHECK_EQ_U(req.files[1].sha256[1], 0x23);
	CHECK_EQ_U(req.files[1].cat_sha_mask, 2);
	CHECK_EQ_U(req.files[1].cat_sha256[1][0], 0xfe);
	CHECK_EQ_U(mb_parse_cmdline("k --- -sha256=+" H2 " -cat a+b+c", &req, &err),
		   MB_OK);
	CHECK(!(req.files[1].opts & MB_FILE_SHA256));
	CHECK_EQ_U(req.files[1].cat_sha_mask, 2);
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat a+b+c+d", &req, &err), MB_OK);
	/* Refused: each with its message. */
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat a+b+c+d+e", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "module 1: -cat joins 5 files; the limit is 4");
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat a++b", &req, &err), MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "module 1: -cat name \"a++b\" has an empty file name");
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat +a", &req, &err), MB_E_BAD_OPTION);
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat a+", &req, &err), MB_E_BAD_OPTION);
	CHECK_EQ_U(mb_parse_cmdline("k --- -sha256=" H1 "+" H2 " a+b", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "module 1: a list of -sha256 digests needs -cat");
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat -sha256=" H1 "+" H2 "+" H1 " a+b", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "module 1: -sha256 lists more digests than the 2 files of \"a+b\"");
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat -gunzip a+b", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "module 1: -cat and -gunzip cannot be combined");
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat -sha256=" H1 "+ a+b", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 1 ends in '+'");
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat -sha256=" H1 "+x a+b", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat -sha256=+++++ a+b", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "-sha256 for module 1 lists more than 4 digests");
	CHECK_EQ_U(mb_parse_cmdline("k --- -cat -sha256= a+b", &req, &err),
		   MB_E_BAD_OPTION);
	/* The kernel's part takes no -cat. */
	CHECK_EQ_U(mb_parse_cmdline("-cat a+b", &req, &err), MB_E_BAD_OPTION);
}

int main(void)
{
	test_option();
	test_syntax();
	test_errors();
	test_long();
	test_cat();
	return check_summary("bootcfg");
}
