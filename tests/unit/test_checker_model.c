/*
 * test_checker_model.c - the checker's machine model (tools/pxemodel.c)
 * against what was measured in QEMU (tests/checker/measure_space.py):
 * the map for each -m size and the space mboot.c32 printed; and its
 * PXELINUX name resolution (tools/pxename.c) on PXELINUX's rules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "../../tools/pxemodel.h"
#include "../../tools/pxename.h"

#define MIB (1024ull * 1024)

/** One measured run: -m, what was in the heap, the printed space. */
struct run {
	const char *what;
	uint64_t ram;
	uint32_t kernel_len;
	int gzip;
	uint32_t held;		/* one -gunzip module of this size, or 0 */
	const char *command;	/* the DEFAULT command */
	uint32_t image;		/* mboot.c32's image */
	uint32_t start, end;	/* "mboot: space START-END" */
};

/* The rows were measured with the module of commit c380f4c. */
#define IMG 0x31000u
#define BASE_C380F4C 0x391759u
#define HOLE_C380F4C 0x10010u	/* the 64 KiB stream piece only */
/* measure_space.py's command for kernel K (module small.bin, or mod.gz
 * with -gunzip; "x=aaa..." arguments making the line 600/1200 longer). */
#define CMD(k) "mboot.c32 -verbose " k " tk.name=" k " tk.mods=1 ---  small.bin"
#define CMDG "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf tk.mods=1 --- -gunzip mod.gz"
#define CMDX(a) "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf tk.mods=1 x=" a " ---  small.bin"
#define A6 "aaaaaa"
#define A60 A6 A6 A6 A6 A6 A6 A6 A6 A6 A6
#define A597 A60 A60 A60 A60 A60 A60 A60 A60 A60 A6 A6 A6 A6 A6 A6 A6 A6 A6 "aaa"
#define A600 A60 A60 A60 A60 A60 A60 A60 A60 A60 A60
static const struct run runs[] = {
	{ "48M elf32", 48 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0x02d25470 },
	{ "64M elf32", 64 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0x03d24470 },
	{ "128M elf32", 128 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0x07d30460 },
	{ "160M elf32", 160 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0x09d2e460 },
	{ "512M elf32", 512 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0x1fd28450 },
	{ "1024M elf32", 1024 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0x3fd28430 },
	{ "3072M elf32", 3072 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0xbfd283b0 },
	{ "4096M elf32", 4096 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0xbfd283b0 },
	{ "5G elf32", 5120 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), IMG, 0x003c7fd0, 0xbfd283b0 },
	{ "128M elf32.gz", 128 * MIB, 22140, 1, 0, CMD("tk-elf32.gz"), IMG, 0x003c84b0, 0x07d30940 },
	{ "512M elf32.gz", 512 * MIB, 22140, 1, 0, CMD("tk-elf32.gz"), IMG, 0x003c84b0, 0x1fd28930 },
	{ "512M high", 512 * MIB, 22836, 0, 0, CMD("tk-high.elf"), IMG, 0x003c8270, 0x1fd286f0 },
	{ "512M pad1m", 512 * MIB, 1000000, 0, 0, CMD("pad1m.elf"), IMG, 0x004b6b80, 0x1fd270f0 },
	{ "512M pad3m.gz", 512 * MIB, 3022140, 1, 0, CMD("pad3m.gz"), IMG, 0x006a4b70, 0x1fd252d0 },
	{ "512M -gunzip", 512 * MIB, 22140, 0, 500173, CMDG, IMG, 0x004421e0, 0x1fd226e0 },
	{ "512M line 677", 512 * MIB, 22140, 0, 0, CMDX(A597), IMG, 0x003c8940, 0x1fd28dc0 },
	{ "512M line 1277", 512 * MIB, 22140, 0, 0, CMDX(A597 A600), IMG, 0x003c92a0, 0x1fd29720 },
	{ "512M image+128K", 512 * MIB, 22140, 0, 0, CMD("tk-elf32.elf"), 0x51000, 0x003e7fd0, 0x1fd28470 },
	{ "512M 6 words more", 512 * MIB, 22140, 0, 0,
	  "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf tk.mods=1 a b c d e f --- small.bin",
	  IMG, 0x003c80a0, 0x1fd28520 },
	{ "512M 3 modules", 512 * MIB, 22140, 0, 0,
	  "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf tk.mods=3 --- small.bin --- small.bin --- small.bin",
	  IMG, 0x003c8090, 0x1fd28510 },
	{ "512M module args", 512 * MIB, 22140, 0, 0,
	  "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf tk.mods=1 --- small.bin len=13 crc=12345678 name=small.bin",
	  IMG, 0x003c8090, 0x1fd28510 },
};

/* The model's documented accuracy for the start (see pxemodel.c). */
#define SLACK 48

/** The measured space for each run, within SLACK bytes. */
static void test_space(void)
{
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run *r = &runs[i];
		struct mb_e820 map[PXE_MAX_MAP];
		unsigned n = pxe_model_qemu_map(r->ram, map);
		struct pxe_heap_input in = {
			.used_base = BASE_C380F4C, .hole = HOLE_C380F4C,
			.module_image = r->image, .command = r->command,
			.kernel_len = r->kernel_len, .kernel_gzip = r->gzip,
			.held_bytes = r->held, .nheld = r->held ? 1 : 0 };
		struct pxe_heap_model m;
		CHECK_MSG(pxe_model_arena(map, n, &in, &m), "%s: no arena",
			  r->what);
		int64_t ds = (int64_t)m.space.start - r->start;
		int64_t de = (int64_t)m.space.end - r->end;
		CHECK_MSG(ds >= -SLACK && ds <= SLACK,
			  "%s: start 0x%llx, measured 0x%x", r->what,
			  (unsigned long long)m.space.start, r->start);
		/* The search is exact given the start: the end moves with it
		 * (a 64 KiB step of the search is never crossed here). */
		CHECK_MSG(de == ds, "%s: end 0x%llx, measured 0x%x (start off by %lld)",
			  r->what, (unsigned long long)m.space.end, r->end,
			  (long long)ds);
	}
}

/** The module image size from mboot.c32's program headers. */
static void test_module_image(void)
{
	uint8_t elf[52 + 2 * 32] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };

	elf[28] = 52;			/* e_phoff */
	elf[42] = 32;			/* e_phentsize */
	elf[44] = 2;			/* e_phnum */
	uint8_t *ph = elf + 52;
	ph[0] = 1;			/* PT_LOAD at 0, memsz 0x30068 */
	ph[20] = 0x68, ph[21] = 0x00, ph[22] = 0x03;
	ph[28] = 0x00, ph[29] = 0x10;	/* align 0x1000 */
	ph[32] = 6;			/* PT_PHDR: ignored */
	CHECK_EQ_U(pxe_model_module_image(elf, sizeof(elf)), 0x31000);
	CHECK_EQ_U(pxe_model_module_image(elf, 40), 0);
	elf[1] = 'X';
	CHECK_EQ_U(pxe_model_module_image(elf, sizeof(elf)), 0);
}

/** The map the test kernel received (INFO mmap) at 512M and at 5G. */
static void test_maps(void)
{
	struct mb_e820 m[PXE_MAX_MAP];
	unsigned n = pxe_model_qemu_map(512 * MIB, m);

	CHECK_EQ_U(n, 6);
	CHECK_EQ_U(m[0].len, 0x9c400);
	CHECK_EQ_U(m[2].base, 0x100000);
	CHECK_EQ_U(m[2].len, 0x1fe31000);
	CHECK_EQ_U(m[3].base, 0x1ffe0000);
	n = pxe_model_qemu_map(5120 * MIB, m);
	CHECK_EQ_U(n, 7);
	CHECK_EQ_U(m[2].len, 0xbfe31000);
	CHECK_EQ_U(m[5].base, 0x100000000ull);
	CHECK_EQ_U(m[5].len, 0x80000000ull);

	/* PXELINUX's free memory: the heap entry, nothing above 4 GiB. */
	struct mb_range r[MB_MAX_RANGES];
	unsigned nr = pxe_model_free_ranges(m, n, r, MB_MAX_RANGES);
	CHECK_EQ_U(nr, 2);
	CHECK_EQ_U(r[0].start, 0x510);
	CHECK_EQ_U(r[1].start, 0x100000);
	CHECK_EQ_U(r[1].end, 0xbff31000);
}

/** Memory map files in the forms the checker reads. */
static void test_map_file(void)
{
	char path[] = "/tmp/test_checker_mapXXXXXX", msg[300];
	int fd = mkstemp(path);
	const char text[] =
		"# comment\n"
		"0x0 0x9fc00 1\n"
		"INFO mmap 0x100000 0x1fe31000 1\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000020000000-0x000000002fffffff] reserved\n"
		"(XEN)  0000000100000000 - 0000000140000000 (usable)\n"
		"4294967296 1024 ACPI\n";
	struct mb_e820 m[PXE_MAX_MAP];

	CHECK(fd >= 0 && write(fd, text, sizeof(text) - 1) > 0);
	close(fd);
	int n = pxe_model_read_map(path, m, msg, sizeof(msg));
	CHECK_EQ_U(n, 5);
	CHECK_EQ_U(m[0].len, 0x9fc00);
	CHECK_EQ_U(m[1].base, 0x100000);
	CHECK_EQ_U(m[2].base, 0x20000000);
	CHECK_EQ_U(m[2].len, 0x10000000);
	CHECK_EQ_U(m[2].type, 2);
	CHECK_EQ_U(m[3].base, 0x100000000ull);
	CHECK_EQ_U(m[3].len, 0x40000000);
	CHECK_EQ_U(m[3].type, 1);
	CHECK_EQ_U(m[4].type, 3);
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(write(fd, "0x100000 lots 1\n", 16) == 16);
	close(fd);
	CHECK(pxe_model_read_map(path, m, msg, sizeof(msg)) < 0);
	CHECK_CONTAINS(msg, ":1: not a memory map line");
	unlink(path);
}

/** PXELINUX's name rules (core/fs/pxe/pxe.c, urlparse.c). */
static void test_names(void)
{
	char cwd[64];
	struct pxe_names n = { "/srv/tftp", pxe_cwd_for_prefix("boot/", cwd,
							      sizeof(cwd)),
			       NULL };
	struct pxe_resolved r;

	CHECK_STR(cwd, "::boot/");
	pxe_resolve(&n, "xen.gz", &r);
	CHECK_EQ_U(r.where, PXE_LOCAL);
	CHECK_STR(r.full, "::boot/xen.gz");
	CHECK_STR(r.path, "/srv/tftp/boot/xen.gz");
	pxe_resolve(&n, "/abs/xen.gz", &r);	/* "::boot//abs": relative */
	CHECK_STR(r.path, "/srv/tftp/boot//abs/xen.gz");
	pxe_resolve(&n, "::abs/xen.gz", &r);
	CHECK_STR(r.path, "/srv/tftp/abs/xen.gz");
	CHECK_STR(r.why, "");
	pxe_resolve(&n, "10.0.0.1::xen.gz", &r);
	CHECK_STR(r.path, "/srv/tftp/xen.gz");
	CHECK_CONTAINS(r.why, "TFTP host 10.0.0.1");
	pxe_resolve(&n, "tftp://10.0.2.2/dir/xen.gz", &r);
	CHECK_EQ_U(r.where, PXE_LOCAL);
	CHECK_STR(r.path, "/srv/tftp/dir/xen.gz");
	pxe_resolve(&n, "http://10.0.2.2:8080/xen.gz", &r);
	CHECK_EQ_U(r.where, PXE_URL_UNCHECKED);
	CHECK_CONTAINS(r.why, "not checked: URL");
	n.http_root = "/var/www";
	pxe_resolve(&n, "http://10.0.2.2:8080/d/xen.gz?x=1", &r);
	CHECK_EQ_U(r.where, PXE_LOCAL);
	CHECK_STR(r.path, "/var/www/d/xen.gz");
	pxe_resolve(&n, "ftp://host/xen.gz", &r);
	CHECK_EQ_U(r.where, PXE_URL_UNCHECKED);
	/* A URL prefix: relative names go under it. */
	n.cwd = pxe_cwd_for_prefix("http://10.0.2.2/pxe/", cwd, sizeof(cwd));
	pxe_resolve(&n, "xen.gz", &r);
	CHECK_STR(r.full, "http://10.0.2.2/pxe/xen.gz");
	CHECK_STR(r.path, "/var/www/pxe/xen.gz");
}

int main(void)
{
	test_space();
	test_module_image();
	test_maps();
	test_map_file();
	test_names();
	return check_summary("checker-model");
}
