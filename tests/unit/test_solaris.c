/*
 * test_solaris.c - the stock module's Solaris DHCP hack (-solaris,
 * -nosolaris; lib/solaris.c, its part of lib/mbi1.c, lib/cmdline.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "cmdline.h"
#include "mbi1.h"
#include "solaris.h"
#include "util.h"

static struct mb_request req;
static struct mb_error err;
static uint8_t blob[64 * 1024];

/** A 64-byte ELF identification: class @cls, OS ABI @abi. */
static void elf_ident(uint8_t *k, uint8_t cls, uint8_t abi)
{
	memset(k, 0, 64);
	memcpy(k, "\x7f" "ELF", 4);
	k[4] = cls;
	k[5] = 1;
	k[7] = abi;
}

/** The options on the line, and when the ACK is given: as stock decides. */
static void test_wanted(void)
{
	uint8_t sol[64], sysv[64], sol64[64];

	elf_ident(sol, 1, 6);
	elf_ident(sysv, 1, 0);
	elf_ident(sol64, 2, 6);
	CHECK_EQ_U(mb_parse_cmdline("k", &req, &err), MB_OK);
	CHECK(mb_solaris_wanted(req.opts, sol, sizeof(sol)));	/* automatic */
	CHECK(!mb_solaris_wanted(req.opts, sysv, sizeof(sysv)));
	CHECK(!mb_solaris_wanted(req.opts, sol64, sizeof(sol64)));	/* ELF32 only */
	CHECK(!mb_solaris_wanted(req.opts, sol, 7));	/* too short to say */
	CHECK_EQ_U(mb_parse_cmdline("-solaris k a", &req, &err), MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_SOLARIS);
	CHECK(mb_solaris_wanted(req.opts, sysv, sizeof(sysv)));
	CHECK(mb_solaris_wanted(req.opts, (const uint8_t *)"flat", 4));
	CHECK_EQ_U(mb_parse_cmdline("-nosolaris k", &req, &err), MB_OK);
	CHECK_EQ_U(req.opts, MB_OPT_NOSOLARIS);
	CHECK(!mb_solaris_wanted(req.opts, sol, sizeof(sol)));
	/* The last one given counts. */
	CHECK_EQ_U(mb_parse_cmdline("-solaris -nosolaris k", &req, &err), MB_OK);
	CHECK(!mb_solaris_wanted(req.opts, sol, sizeof(sol)));
	CHECK_EQ_U(mb_parse_cmdline("-nosolaris -solaris k", &req, &err), MB_OK);
	CHECK(mb_solaris_wanted(req.opts, sysv, sizeof(sysv)));
	/* A kernel-part option: after the name it is the kernel's argument,
	 * and a module part does not take it. */
	CHECK_EQ_U(mb_parse_cmdline("k -solaris", &req, &err), MB_OK);
	CHECK_EQ_U(req.opts, 0);
	CHECK_STR(req.files[0].args, "-solaris");
	CHECK_EQ_U(mb_parse_cmdline("k --- -solaris m", &req, &err),
		   MB_E_BAD_OPTION);
}

/** The information blob with the ACK: where stock puts each field. */
static void test_info(void)
{
	static uint32_t mod_addr[MB_MAX_FILES] = { 0, 0x200000 };
	static uint32_t mod_len[MB_MAX_FILES] = { 0, 100 };
	static const struct mb_e820 map[] = { { 0, 0x9fc00, 1 },
					      { 0x100000, 0x7f00000, 1 } };
	uint8_t ack[300];

	for (unsigned i = 0; i < sizeof(ack); i++)
		ack[i] = (uint8_t)(i * 7 + 1);
	if (!CHECK_EQ_U(mb_parse_cmdline("k a --- m", &req, &err), MB_OK))
		return;
	struct mb1_input in = {
		.req = &req, .mod_addr = mod_addr, .mod_len = mod_len,
		.map = map, .nmap = 2, .loader_name = "L",
	};
	size_t plain = mb1_info_size(&in);
	struct mb1_info info;
	memset(blob, 0xcc, sizeof(blob));
	mb1_info_build(&in, blob, 0x10000);
	memcpy(&info, blob, sizeof(info));
	CHECK(!(info.flags & MB1_IF_BOOTDEV));	/* none without the option */
	CHECK_EQ_U(info.drives_length, 0);
	CHECK_EQ_U(info.boot_device, 0);

	in.solaris_dhcp = ack;
	in.solaris_dhcp_len = sizeof(ack);
	size_t size = mb1_info_size(&in);
	CHECK_EQ_U(size, ((plain + 3) & ~(size_t)3) + sizeof(ack));
	memset(blob, 0xcc, sizeof(blob));
	CHECK_EQ_U(mb1_info_build(&in, blob, 0x10000), size);
	memcpy(&info, blob, sizeof(info));
	CHECK(info.flags & MB1_IF_BOOTDEV);
	CHECK(!(info.flags & MB1_IF_DRIVES));
	CHECK_EQ_U(info.boot_device, 0x20ffffff);
	CHECK_EQ_U(info.drives_length, sizeof(ack));
	CHECK_EQ_U(info.drives_addr % 4, 0);
	CHECK_EQ_U(info.drives_addr, 0x10000 + size - sizeof(ack));
	CHECK(!memcmp(blob + (info.drives_addr - 0x10000), ack, sizeof(ack)));
	CHECK_EQ_U(blob[size], 0xcc);	/* nothing past the size */
	/* The rest is as before: the other flags are all still there. */
	CHECK_EQ_U(info.flags & ~MB1_IF_BOOTDEV,
		   MB1_IF_MEMORY | MB1_IF_CMDLINE | MB1_IF_MODS | MB1_IF_MMAP |
		   MB1_IF_LOADER_NAME);
}

int main(void)
{
	test_wanted();
	test_info();
	return check_summary("solaris");
}
