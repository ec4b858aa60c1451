/*
 * test_mbi1.c - the Multiboot 1 information structure (lib/mbi1.c): build
 * it for some physical address, then read it back as a kernel would.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "cmdline.h"
#include "mbi1.h"
#include "util.h"

#define KIB 1024ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

static struct mb_request req;
static uint8_t blob[256 * 1024];

/* A typical PC map, deliberately not sorted. */
static const struct mb_e820 pc_map[] = {
	{ 0x100000, 0x7fee0000 - 0x100000, 1 },
	{ 0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x7fee0000, 0x20000, 3 },
	{ 0xfffc0000, 0x40000, 2 },
	{ 0x100000000ull, 2 * GIB, 1 },
};

/** Read the blob at physical address @phys (built for @addr) as a string;
 * NULL if it does not lie, NUL-terminated, inside the first @size bytes. */
static const char *str_at(uint32_t phys, uint32_t addr, size_t size)
{
	if (phys < addr || phys - addr >= size)
		return NULL;
	const char *s = (const char *)blob + (phys - addr);
	if (!memchr(s, '\0', size - (phys - addr)))
		return NULL;
	return s;
}

static void test_contiguous(void)
{
	static const struct mb_e820 adj[] = {
		{ 2 * MIB, MIB, 1 }, { MIB, MIB, 1 }, { 3 * MIB, MIB, 1 },
	};
	CHECK_EQ_U(mb_contiguous_kib(adj, 3, MIB), 3072);
	CHECK_EQ_U(mb_contiguous_kib(adj, 3, 2 * MIB), 2048);
	CHECK_EQ_U(mb_contiguous_kib(adj, 3, 0), 0);
	CHECK_EQ_U(mb_contiguous_kib(adj, 0, MIB), 0);

	/* Overlapping, nested and out-of-order entries. */
	static const struct mb_e820 ovl[] = {
		{ 5 * MIB, 3 * MIB, 1 }, { MIB, 3 * MIB, 1 },
		{ 2 * MIB, 4 * MIB, 1 }, { 3 * MIB, 1, 1 },
	};
	CHECK_EQ_U(mb_contiguous_kib(ovl, 4, MIB), 7 * 1024);

	/* A reserved entry breaks the run; so does a one-byte hole. */
	static const struct mb_e820 brk[] = {
		{ MIB, MIB, 1 }, { 2 * MIB, MIB, 2 }, { 3 * MIB, MIB, 1 },
		{ 0, 0x9fc00, 1 }, { 0x9fc01, 0x100, 1 },
	};
	CHECK_EQ_U(mb_contiguous_kib(brk, 5, MIB), 1024);
	CHECK_EQ_U(mb_contiguous_kib(brk, 5, 0), 639);
	CHECK_EQ_U(mb_contiguous_kib(brk, 5, 3 * MIB), 1024);

	/* An entry that starts below @from and covers it counts from @from. */
	static const struct mb_e820 big[] = { { 0, 16 * MIB, 1 } };
	CHECK_EQ_U(mb_contiguous_kib(big, 1, MIB), 15 * 1024);
	CHECK_EQ_U(mb_contiguous_kib(big, 1, 16 * MIB), 0);

	/* Empty entries do nothing; sub-KiB remainders round down. */
	static const struct mb_e820 odd[] = {
		{ MIB, 0, 1 }, { MIB, 1023, 1 }, { MIB + 1023, 2, 1 },
	};
	CHECK_EQ_U(mb_contiguous_kib(odd, 1, MIB), 0);
	CHECK_EQ_U(mb_contiguous_kib(odd, 2, MIB), 0);
	CHECK_EQ_U(mb_contiguous_kib(odd, 3, MIB), 1);

	/* Capped at 4 GiB. */
	static const struct mb_e820 huge[] = {
		{ MIB, 8 * GIB, 1 },
		{ 0, ~0ull, 1 },			/* to the very top */
		{ MIB, ~0ull - MIB + 1, 1 },	/* wraps to 0 */
	};
	CHECK_EQ_U(mb_contiguous_kib(huge, 1, MIB), (4 * GIB - MIB) / KIB);
	CHECK_EQ_U(mb_contiguous_kib(huge + 1, 1, MIB), (4 * GIB - MIB) / KIB);
	CHECK_EQ_U(mb_contiguous_kib(huge + 2, 1, MIB), (4 * GIB - MIB) / KIB);
	CHECK_EQ_U(mb_contiguous_kib(pc_map, MB_ARRAY_SIZE(pc_map), 4 * GIB), 0);
	CHECK_EQ_U(mb_contiguous_kib(pc_map, MB_ARRAY_SIZE(pc_map), MIB),
		   (0x7fee0000 - MIB) / KIB);
	CHECK_EQ_U(mb_contiguous_kib(pc_map, MB_ARRAY_SIZE(pc_map), 0), 639);
}

/** Build for @line and @map at @addr; check everything a kernel reads. */
static void build_and_check(const char *line, const struct mb_e820 *map,
			    unsigned nmap, uint32_t addr, const char *loader,
			    uint32_t want_lower, uint32_t want_upper)
{
	static uint32_t mod_addr[MB_MAX_FILES], mod_len[MB_MAX_FILES];
	struct mb_error err;

	if (!CHECK_EQ_U(mb_parse_cmdline(line, &req, &err), MB_OK))
		return;
	for (unsigned i = 0; i < MB_MAX_FILES; i++) {
		mod_addr[i] = 0x1000000u + i * 0x10000u + i;
		mod_len[i] = i * 77u + 1;
	}
	mod_addr[0] = mod_len[0] = 0xdeadbeef;	/* not used: the kernel */
	struct mb1_input in = {
		.req = &req, .mod_addr = mod_addr, .mod_len = mod_len,
		.map = map, .nmap = nmap, .loader_name = loader,
	};
	size_t size = mb1_info_size(&in);
	if (!CHECK(size + 64 <= sizeof(blob)))
		return;
	memset(blob, 0xcc, sizeof(blob));
	CHECK_EQ_U(mb1_info_build(&in, blob, addr), size);
	/* Nothing written past the end. */
	int clean = 1;
	for (size_t i = size; i < size + 64; i++)
		clean &= blob[i] == 0xcc;
	CHECK_MSG(clean, "no bytes written past the %zu the size promised", size);

	struct mb1_info info;
	memcpy(&info, blob, sizeof(info));
	CHECK_EQ_U(info.flags, MB1_IF_MEMORY | MB1_IF_CMDLINE | MB1_IF_MODS |
				       MB1_IF_MMAP | MB1_IF_LOADER_NAME);
	CHECK_EQ_U(info.mem_lower, want_lower);
	CHECK_EQ_U(info.mem_upper, want_upper);
	CHECK_EQ_U(info.boot_device, 0);
	CHECK_EQ_U(info.drives_length, 0);
	CHECK_EQ_U(info.vbe_mode, 0);
	CHECK_EQ_U(info.syms[0] | info.syms[1] | info.syms[2] | info.syms[3], 0);

	/* The kernel's command line: "name args". */
	char want[MB_CMDLINE_MAX + 8];
	mb_file_cmdline(&req.files[0], want);
	CHECK_STR(str_at(info.cmdline, addr, size), want);

	/* The memory map: the firmware entries, in order, size 20 each. */
	CHECK_EQ_U(info.mmap_length, nmap * 24);
	CHECK(info.mmap_addr >= addr &&
	      info.mmap_addr - addr + info.mmap_length <= size);
	CHECK_EQ_U(info.mmap_addr % 4, addr % 4);
	for (unsigned i = 0; i < nmap; i++) {
		struct mb1_mmap_entry e;
		memcpy(&e, blob + (info.mmap_addr - addr) + i * 24, sizeof(e));
		CHECK_EQ_U(e.size, 20);
		CHECK_EQ_U(e.base_addr, map[i].base);
		CHECK_EQ_U(e.length, map[i].len);
		CHECK_EQ_U(e.type, map[i].type);
	}

	/* Modules. */
	CHECK_EQ_U(info.mods_count, req.nfiles - 1);
	CHECK(info.mods_addr >= addr &&
	      info.mods_addr - addr + info.mods_count * 16 <= size);
	for (unsigned i = 0; i < info.mods_count; i++) {
		struct mb1_module m;
		memcpy(&m, blob + (info.mods_addr - addr) + i * 16, sizeof(m));
		CHECK_EQ_U(m.mod_start, mod_addr[i + 1]);
		CHECK_EQ_U(m.mod_end, mod_addr[i + 1] + mod_len[i + 1]);
		CHECK_EQ_U(m.reserved, 0);
		mb_file_cmdline(&req.files[i + 1], want);
		CHECK_STR(str_at(m.string, addr, size), want);
	}

	CHECK_STR(str_at(info.boot_loader_name, addr, size), loader);
	/* The loader name is the last thing in the blob. */
	CHECK_EQ_U(info.boot_loader_name - addr + strlen(loader) + 1, size);

	/* The size is exactly what the pieces need. */
	size_t strings = strlen(loader) + 1;
	for (unsigned i = 0; i < req.nfiles; i++)
		strings += mb_file_cmdline_len(&req.files[i]) + 1;
	CHECK_EQ_U(size, sizeof(struct mb1_info) + nmap * 24 +
				 (req.nfiles - 1) * 16 + strings);
}

static void test_build(void)
{
	CHECK_EQ_U(sizeof(struct mb1_info), 88);
	CHECK_EQ_U(sizeof(struct mb1_mmap_entry), 24);
	CHECK_EQ_U(sizeof(struct mb1_module), 16);

	build_and_check("xen.gz dom0_mem=1G  loglvl=all --- vmlinuz root=/dev/sda1"
			" ro --- -gunzip initrd.img",
			pc_map, MB_ARRAY_SIZE(pc_map), 0x12345000u,
			"PXELINUX 6.04 mboot 0.1", 639,
			(uint32_t)((0x7fee0000 - MIB) / KIB));

	/* No modules, no map at all. */
	build_and_check("kernel", NULL, 0, 0x100000, "x", 0, 0);

	/* mem_lower is at most 640 KiB even if the map says more. */
	static const struct mb_e820 flat[] = { { 0, 64 * MIB, 1 } };
	build_and_check("k a b", flat, 1, 0x200000, "loader", 640,
			(uint32_t)(63 * MIB / KIB));

	/* Near the top of the address space. */
	build_and_check("k --- m1 --- m2 x", pc_map, 3, 0xffff0000u, "", 639,
			(uint32_t)((0x7fee0000 - MIB) / KIB));
}

static void test_many_modules(void)
{
	/* The most modules, the longest line, a long map. */
	static char line[MB_CMDLINE_MAX];
	static struct mb_e820 map[128];
	size_t n = (size_t)sprintf(line, "k  kernel\targs");
	for (unsigned i = 1; i < MB_MAX_FILES; i++)
		n += (size_t)sprintf(line + n, " --- m%u a%u", i, i);
	while (n + 3 < sizeof(line) - 1)
		n += (size_t)sprintf(line + n, " zz");
	for (unsigned i = 0; i < MB_ARRAY_SIZE(map); i++)
		map[i] = (struct mb_e820){ MIB + i * MIB, MIB, i % 7 ? 1 : 2 };
	build_and_check(line, map, MB_ARRAY_SIZE(map), 0x7fff000, "mboot", 0,
			0);
	CHECK_EQ_U(req.nfiles, MB_MAX_FILES);
}

/** The APM table (flag 10): after the strings, 4-byte aligned, exact. */
static void test_apm(void)
{
	static uint32_t mod_addr[2] = { 0, 0x200000 }, mod_len[2] = { 0, 5 };
	static const struct mb1_apm apm = { 0x102, 0xf000, 0xd198, 0xf000,
					    0xf000, 0x3, 0xfff0, 0xfff0, 0xfff0 };
	struct mb_error err;

	CHECK_EQ_U(sizeof(struct mb1_apm), 20);
	if (!CHECK_EQ_U(mb_parse_cmdline("k a --- m", &req, &err), MB_OK))
		return;
	struct mb1_input in = {
		.req = &req, .mod_addr = mod_addr, .mod_len = mod_len,
		.map = pc_map, .nmap = MB_ARRAY_SIZE(pc_map), .loader_name = "L",
	};
	size_t plain = mb1_info_size(&in);
	in.apm = &apm;
	size_t size = mb1_info_size(&in);
	CHECK_EQ_U(size, ((plain + 3) & ~(size_t)3) + 20);
	memset(blob, 0xcc, sizeof(blob));
	CHECK_EQ_U(mb1_info_build(&in, blob, 0x100000), size);
	struct mb1_info info;
	memcpy(&info, blob, sizeof(info));
	CHECK(info.flags & MB1_IF_APM);
	CHECK_EQ_U(info.apm_table % 4, 0);
	CHECK_EQ_U(info.apm_table, 0x100000 + size - 20);
	CHECK(!memcmp(blob + size - 20, &apm, 20));
	CHECK_EQ_U(blob[size], 0xcc);
}

int main(void)
{
	test_contiguous();
	test_build();
	test_many_modules();
	test_apm();
	return check_summary("mbi1");
}
