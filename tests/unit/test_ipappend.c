/*
 * test_ipappend.c - IPAPPEND/SYSAPPEND strings found at the end of the
 * line and given to the part that reads them (lib/ipappend.c): which
 * strings are recognised, which part gets them (a Linux kernel, under
 * tboot too; none: the Multiboot kernel; the option), bad input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "cmdline.h"
#include "ipappend.h"

/* A machine's strings, as SYSLINUX 6.04 keeps them (sysappend.h order:
 * ip, BOOTIF, SYSUUID, CPU, SYSVENDOR, ...). */
#define IP "ip=10.0.2.15:10.0.2.2:10.0.2.2:255.255.255.0"
#define BOOTIF "BOOTIF=01-52-54-00-12-34-57"
#define UUID "SYSUUID=8e3f9c2a-1d4b-4c6e-9a7f-0b1c2d3e4f50"
static const char *strings[19] = {
	IP, BOOTIF, UUID, "CPU=6XL", "SYSVENDOR=QEMU",
	"SYSPRODUCT=Standard PC (i440FX + PIIX, 1996)",
};

static struct mb_request req;
static struct mb_error err;
static struct mb_ipappend ipa;

/** Find the strings in @line, then parse what is left. */
static int find_and_parse(const char *line)
{
	memset(&err, 0, sizeof(err));
	mb_ipappend_find(line, strings, 19, &ipa);
	return mb_parse_cmdline(ipa.line, &req, &err);
}

/* Which modules are Linux kernels, for mb_ipappend_target. */
static unsigned linux_mask;
static unsigned asked;

/** is_linux callback: bit i of linux_mask. */
static bool is_linux(void *ctx, unsigned i)
{
	(void)ctx;
	asked++;
	return (linux_mask >> i) & 1;
}

/** Where the strings go for the current req; gives them there. */
static unsigned route(unsigned mask)
{
	linux_mask = mask;
	asked = 0;
	unsigned t = mb_ipappend_target(&req, is_linux, NULL);
	CHECK_EQ_U(mb_ipappend_give(&req, &ipa, t, &err), MB_OK);
	return t;
}

/** The command line part @i receives. */
static const char *cmdline_of(unsigned i)
{
	static char buf[2 * MB_CMDLINE_MAX];

	return mb_file_cmdline(&req.files[i], buf);
}

static void test_mangle(void)
{
	char out[64];

	CHECK_EQ_U(mb_ipappend_mangle("  Standard PC \t(i440FX)  ", out,
				      sizeof(out)), 20);
	CHECK_STR(out, "Standard_PC_(i440FX)");
	CHECK_EQ_U(mb_ipappend_mangle("a\x7f" "b", out, sizeof(out)), 3);
	CHECK_STR(out, "a_b");
	CHECK_EQ_U(mb_ipappend_mangle("   ", out, sizeof(out)), 0);
	CHECK_EQ_U(mb_ipappend_mangle("toolongforit", out, 5), 0);
}

/* IPAPPEND 1, 2, 3: the exact strings, in order, off the initrd. */
static void test_find_ipappend_values(void)
{
	static const struct {
		const char *tail;
		uint32_t mask;
	} v[] = {
		{ " " IP, 1 }, { " " BOOTIF, 2 }, { " " IP " " BOOTIF, 3 },
		{ " " IP " " BOOTIF " " UUID " CPU=6XL", 15 },
		{ " SYSPRODUCT=Standard_PC_(i440FX_+_PIIX,_1996)", 32 },
	};
	char line[512];

	for (unsigned k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		snprintf(line, sizeof(line),
			 "xen.gz dom0_mem=512M --- vmlinuz console=hvc0 --- initrd.gz%s",
			 v[k].tail);
		CHECK_EQ_U(find_and_parse(line), MB_OK);
		CHECK_EQ_U(ipa.mask, v[k].mask);
		CHECK_STR(ipa.text, v[k].tail + 1);
		CHECK_STR(ipa.line,
			  "xen.gz dom0_mem=512M --- vmlinuz console=hvc0 --- initrd.gz");
		CHECK_STR(req.files[2].args, "");
	}
	/* Trailing whitespace after them (a label's APPEND) is no matter. */
	CHECK_EQ_U(find_and_parse("k --- m " IP " " BOOTIF "  \t"), MB_OK);
	CHECK_EQ_U(ipa.mask, 3);
	CHECK_STR(ipa.text, IP " " BOOTIF);
	CHECK_STR(req.files[1].args, "");
}

/* Look-alikes stay where they were typed. */
static void test_lookalikes_stay(void)
{
	/* Another MAC typed at the end. */
	CHECK_EQ_U(find_and_parse("xen.gz --- vmlinuz --- initrd.gz BOOTIF=01-aa-bb-cc-dd-ee-ff"),
		   MB_OK);
	CHECK_EQ_U(ipa.count, 0);
	CHECK_STR(req.files[2].args, "BOOTIF=01-aa-bb-cc-dd-ee-ff");
	/* The machine's own string, typed, but not at the end. */
	CHECK_EQ_U(find_and_parse("xen.gz --- vmlinuz " BOOTIF " quiet --- initrd.gz"),
		   MB_OK);
	CHECK_EQ_U(ipa.count, 0);
	CHECK_STR(req.files[1].args, BOOTIF " quiet");
	/* A typed one before the appended one: only the appended goes. */
	CHECK_EQ_U(find_and_parse("xen.gz --- vmlinuz BOOTIF=01-aa-bb-cc-dd-ee-ff --- initrd.gz " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(ipa.mask, 2);
	CHECK_EQ_U(route(2), 1);
	CHECK_STR(cmdline_of(1), "vmlinuz BOOTIF=01-aa-bb-cc-dd-ee-ff " BOOTIF);
	/* Out of PXELINUX's order (BOOTIF before ip=): only the last. */
	CHECK_EQ_U(find_and_parse("k --- m " BOOTIF " " IP), MB_OK);
	CHECK_EQ_U(ipa.mask, 1);
	CHECK_STR(req.files[1].args, BOOTIF);
	/* Glued to another token, or a prefix of a longer one. */
	CHECK_EQ_U(find_and_parse("k --- m x" BOOTIF), MB_OK);
	CHECK_EQ_U(ipa.count, 0);
	CHECK_EQ_U(find_and_parse("k --- m " BOOTIF "-00"), MB_OK);
	CHECK_EQ_U(ipa.count, 0);
	/* Never the kernel's name itself. */
	mb_ipappend_find(BOOTIF, strings, 19, &ipa);
	CHECK_EQ_U(ipa.count, 0);
	CHECK_STR(ipa.line, BOOTIF);
	/* A line too long stays too long: the parser refuses it. */
	static char longline[MB_CMDLINE_MAX + 64];
	memset(longline, 'a', sizeof(longline) - 1);
	memcpy(longline + sizeof(longline) - 1 - strlen(BOOTIF), BOOTIF,
	       strlen(BOOTIF));
	longline[sizeof(longline) - 2 - strlen(BOOTIF)] = ' ';
	CHECK_EQ_U(find_and_parse(longline), MB_E_CMDLINE_TOO_LONG);
	CHECK_EQ_U(ipa.count, 0);
	/* No strings known (not PXELINUX): nothing found. */
	static const char *none[19];
	mb_ipappend_find("k --- m " BOOTIF, none, 19, &ipa);
	CHECK_EQ_U(ipa.count, 0);
}

/* Xen: dom0's kernel (module 1) gets them, the initrd loses them. */
static void test_route_xen(void)
{
	CHECK_EQ_U(find_and_parse("xen.gz dom0_mem=512M --- vmlinuz console=hvc0 --- initrd.gz " IP " " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(route(1u << 1), 1);
	CHECK_STR(cmdline_of(0), "xen.gz dom0_mem=512M");
	CHECK_STR(cmdline_of(1), "vmlinuz console=hvc0 " IP " " BOOTIF);
	CHECK_STR(cmdline_of(2), "initrd.gz");
	/* A module with no arguments gets them without a leading space. */
	CHECK_EQ_U(find_and_parse("xen.gz --- vmlinuz --- initrd.gz " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(route(1u << 1), 1);
	CHECK_STR(cmdline_of(1), "vmlinuz " BOOTIF);
	CHECK_STR(req.files[1].args, BOOTIF);
	/* Given once only. */
	CHECK_EQ_U(mb_ipappend_give(&req, &ipa, 2, &err), MB_OK);
	CHECK_STR(cmdline_of(2), "initrd.gz");
}

/* tboot: Xen is module 1, dom0's kernel module 2. */
static void test_route_tboot(void)
{
	CHECK_EQ_U(find_and_parse("tboot.gz logging=serial --- -gunzip xen.gz console=com1 --- vmlinuz console=hvc0 --- initrd.gz --- SINIT.BIN " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(route(1u << 2), 2);
	CHECK_STR(cmdline_of(1), "xen.gz console=com1");
	CHECK_STR(cmdline_of(2), "vmlinuz console=hvc0 " BOOTIF);
	CHECK_STR(cmdline_of(4), "SINIT.BIN");
	/* Two Linux kernels: the first. */
	CHECK_EQ_U(find_and_parse("k --- a --- b --- c " BOOTIF), MB_OK);
	CHECK_EQ_U(route((1u << 2) | (1u << 3)), 2);
}

/* No Linux kernel among the modules: the Multiboot kernel. */
static void test_route_no_linux(void)
{
	CHECK_EQ_U(find_and_parse("kernel.elf root=x --- mod1 --- mod2 " IP " " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(route(0), 0);
	CHECK_EQ_U(asked, 2);	/* every module looked at */
	CHECK_STR(cmdline_of(0), "kernel.elf root=x " IP " " BOOTIF);
	CHECK_STR(cmdline_of(2), "mod2");
	/* A kernel alone, with no arguments of its own. */
	CHECK_EQ_U(find_and_parse("kernel.elf " BOOTIF), MB_OK);
	CHECK_EQ_U(req.nfiles, 1);
	CHECK_EQ_U(route(0), 0);
	CHECK_STR(cmdline_of(0), "kernel.elf " BOOTIF);
}

/* -ipappend=: keep, a part number, kernel. */
static void test_option(void)
{
	CHECK_EQ_U(find_and_parse("-ipappend=keep xen.gz --- vmlinuz --- initrd.gz " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(req.ipappend_mode, MB_IPAPPEND_KEEP);
	CHECK_EQ_U(mb_ipappend_check(&req, &err), MB_OK);
	CHECK_EQ_U(route(1u << 1), 2);
	CHECK_EQ_U(asked, 0);	/* the contents do not matter */
	CHECK_STR(cmdline_of(2), "initrd.gz " BOOTIF);
	CHECK_STR(cmdline_of(1), "vmlinuz");

	CHECK_EQ_U(find_and_parse("-ipappend=2 xen.gz --- vmlinuz --- initrd.gz " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(req.ipappend_mode, MB_IPAPPEND_PART);
	CHECK_EQ_U(route(1u << 1), 2);
	CHECK_EQ_U(find_and_parse("-ipappend=0 xen.gz a --- vmlinuz --- initrd.gz " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(route(1u << 1), 0);
	CHECK_STR(cmdline_of(0), "xen.gz a " BOOTIF);
	CHECK_EQ_U(find_and_parse("-ipappend=kernel xen.gz --- vmlinuz " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(route(1u << 1), 0);
	CHECK_EQ_U(find_and_parse("-ipappend=auto xen.gz --- vmlinuz --- i " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(req.ipappend_mode, MB_IPAPPEND_AUTO);
	CHECK_EQ_U(route(1u << 1), 1);
	/* The option is the loader's, never passed on. */
	CHECK_STR(cmdline_of(0), "xen.gz");
}

/* Bad input: a part that does not exist; a malformed value. */
static void test_bad_option(void)
{
	CHECK_EQ_U(find_and_parse("-ipappend=3 xen.gz --- vmlinuz --- initrd.gz " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(mb_ipappend_check(&req, &err), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "-ipappend=3: there is no module 3");
	CHECK_CONTAINS(err.msg, "the kernel and 2 modules");
	/* The same without strings: judged the same on every machine. */
	CHECK_EQ_U(find_and_parse("-ipappend=1 xen.gz"), MB_OK);
	CHECK_EQ_U(mb_ipappend_check(&req, &err), MB_E_BAD_OPTION);
	CHECK_CONTAINS(err.msg, "the kernel and 0 modules");
	CHECK_EQ_U(find_and_parse("-ipappend=2 xen.gz --- vmlinuz " BOOTIF),
		   MB_OK);
	CHECK_CONTAINS(mb_ipappend_check(&req, &err) ? err.msg : "",
		       "the kernel and 1 module)");
	static const char *bad[] = { "-ipappend=", "-ipappend=last",
				     "-ipappend=-1", "-ipappend=1x",
				     "-ipappend=12345" };
	char line[64];
	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(line, sizeof(line), "%s xen.gz", bad[k]);
		CHECK_EQ_U(find_and_parse(line), MB_E_BAD_OPTION);
		CHECK_CONTAINS(err.msg, "-ipappend=");
	}
	/* A module option, not the kernel's. */
	CHECK_EQ_U(find_and_parse("xen.gz --- -ipappend=keep vmlinuz"),
		   MB_E_BAD_OPTION);
}

/* The bzImage test: "HdrS" at 0x202. */
static void test_bzimage(void)
{
	static uint8_t buf[0x400];

	memcpy(buf + 0x202, "HdrS", 4);
	CHECK(mb_is_bzimage(buf, sizeof(buf)));
	CHECK(mb_is_bzimage(buf, 0x206));
	CHECK(!mb_is_bzimage(buf, 0x205));	/* cut short */
	buf[0x205] = 's';
	CHECK(!mb_is_bzimage(buf, sizeof(buf)));
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\x7f" "ELF", 4);	/* Xen's ELF, or any module */
	CHECK(!mb_is_bzimage(buf, sizeof(buf)));
}

/* The room the plan keeps for strings given after it. */
static void test_room(void)
{
	CHECK_EQ_U(find_and_parse("xen.gz --- vmlinuz --- initrd.gz"), MB_OK);
	CHECK_EQ_U(mb_ipappend_room(&ipa), 0);
	CHECK_EQ_U(find_and_parse("xen.gz --- vmlinuz --- initrd.gz " IP " " BOOTIF),
		   MB_OK);
	CHECK_EQ_U(mb_ipappend_room(&ipa),
		   strlen(IP " " BOOTIF) + MB_IPAPPEND_ROOM_EXTRA);
	/* The longest result: a part's text and the strings together that
	 * do not fit are refused with the part's name. */
	static char longargs[2 * MB_CMDLINE_MAX];
	memset(longargs, 'a', sizeof(longargs) - 1);
	req.files[1].args = longargs;
	CHECK_EQ_U(mb_ipappend_give(&req, &ipa, 1, &err),
		   MB_E_CMDLINE_TOO_LONG);
	CHECK_CONTAINS(err.msg, "vmlinuz: its arguments");
}

/* The keys named for a mask (the checker's message). */
static void test_keys(void)
{
	char buf[128];

	CHECK_STR(mb_ipappend_keys(3, buf, sizeof(buf)), "ip=, BOOTIF=");
	CHECK_STR(mb_ipappend_keys(2, buf, sizeof(buf)), "BOOTIF=");
	CHECK_STR(mb_ipappend_keys((1u << 18) | (1u << 20), buf, sizeof(buf)),
		  "FSUUID=, bit 20");
	CHECK_STR(mb_ipappend_keys(0, buf, sizeof(buf)), "");
	CHECK_STR(mb_ipappend_keys(0xffffffffu, buf, 12), "ip=, BOOTIF");
}

int main(void)
{
	test_keys();
	test_mangle();
	test_find_ipappend_values();
	test_lookalikes_stay();
	test_route_xen();
	test_route_tboot();
	test_route_no_linux();
	test_option();
	test_bad_option();
	test_bzimage();
	test_room();
	return check_summary("test_ipappend");
}
