/*
 * test_gzelf.c - which gzip modules are decompressed without -gunzip
 * (lib/gzelf.c) and the -nogunzip option (lib/cmdline.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <zlib.h>
#include "check.h"
#include "cmdline.h"
#include "gzelf.h"

static uint8_t plain[200000], packed[260000];

/** gzip @len bytes of plain into packed; returns the compressed size. */
static size_t gzip_it(size_t len)
{
	z_stream s;

	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	s.next_in = plain;
	s.avail_in = (uInt)len;
	s.next_out = packed;
	s.avail_out = sizeof(packed);
	deflate(&s, Z_FINISH);
	deflateEnd(&s);
	return s.total_out;
}

static void test_names(void)
{
	CHECK(mb_gz_name("xen.gz"));
	CHECK(mb_gz_name("/boot/xen-4.17-amd64.GZ"));
	CHECK(mb_gz_name("a.Gz"));
	CHECK(!mb_gz_name(".gz"));	/* no name before the suffix */
	CHECK(!mb_gz_name("xen"));
	CHECK(!mb_gz_name("initrd.gzip"));
	CHECK(!mb_gz_name("xen.gz.sig"));
	CHECK(!mb_gz_name("gz"));
}

static void test_contents(void)
{
	unsigned x = 1;
	for (size_t i = 0; i < sizeof(plain); i++) {	/* poorly compressible */
		x = x * 1103515245u + 12345u;
		plain[i] = (uint8_t)(x >> 16);
	}
	memcpy(plain, "\x7f" "ELF\x02\x01\x01", 7);
	size_t n = gzip_it(sizeof(plain));
	CHECK(mb_gz_holds_elf(packed, n));
	CHECK(mb_gz_holds_elf(packed, 64 * 1024));	/* a first read's worth */
	CHECK(mb_gz_holds_elf(packed, 300));	/* the first block's start */
	CHECK(!mb_gz_holds_elf(packed, 10));	/* the header only: no data */
	CHECK(!mb_gz_holds_elf(plain, sizeof(plain)));	/* ELF, not gzip */
	/* A cpio (an initrd) is not an ELF: passed as it is. */
	memcpy(plain, "070701", 6);
	n = gzip_it(sizeof(plain));
	CHECK(!mb_gz_holds_elf(packed, n));
	/* ELF magic not at the very start does not count. */
	memcpy(plain, "x\x7f" "ELF", 5);
	n = gzip_it(sizeof(plain));
	CHECK(!mb_gz_holds_elf(packed, n));
	/* Corrupt deflate data: no. */
	memcpy(plain, "\x7f" "ELF", 4);
	n = gzip_it(sizeof(plain));
	packed[10] = 0xff;	/* reserved block type 3 */
	CHECK(!mb_gz_holds_elf(packed, n));
	CHECK(!mb_gz_holds_elf(packed, 0));
}

static void test_option(void)
{
	static struct mb_request req;
	struct mb_error err;

	CHECK_EQ_U(mb_parse_cmdline("k --- -nogunzip xen.gz a", &req, &err), MB_OK);
	CHECK_EQ_U(req.files[1].opts, MB_FILE_NOGUNZIP);
	CHECK_STR(req.files[1].name, "xen.gz");
	CHECK_EQ_U(mb_parse_cmdline("k --- -nogunzip -gunzip x.gz", &req, &err),
		   MB_E_BAD_OPTION);
	CHECK_STR(err.msg, "module 1: -gunzip and -nogunzip cannot be combined");
	CHECK_EQ_U(mb_parse_cmdline("-nogunzip k", &req, &err), MB_E_BAD_OPTION);
}

int main(void)
{
	test_names();
	test_contents();
	test_option();
	return check_summary("gzelf");
}
