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

/** One measured run: -m, the kernel in the heap, the printed space. */
struct run {
	const char *what;
	uint64_t ram;
	uint32_t kernel_len;
	int gzip;
	uint32_t held;		/* one -gunzip module of this size, or 0 */
	uint32_t start, end;	/* "mboot: space START-END" */
	uint32_t slack;		/* model may start this much later */
};

static const struct run runs[] = {
	{ "48M elf32", 48 * MIB, 22140, 0, 0, 0x003b1fd0, 0x02d2f450, 0 },
	{ "64M elf32", 64 * MIB, 22140, 0, 0, 0x003b1fd0, 0x03d2e450, 0 },
	{ "128M elf32", 128 * MIB, 22140, 0, 0, 0x003b1fd0, 0x07d2a450, 0 },
	{ "160M elf32", 160 * MIB, 22140, 0, 0, 0x003b1fd0, 0x09d28450, 0 },
	{ "512M elf32", 512 * MIB, 22140, 0, 0, 0x003b1fd0, 0x1fd22440, 0 },
	{ "1024M elf32", 1024 * MIB, 22140, 0, 0, 0x003b1fd0, 0x3fd22420, 0 },
	{ "3072M elf32", 3072 * MIB, 22140, 0, 0, 0x003b1fd0, 0xbfd223a0, 0 },
	{ "4096M elf32", 4096 * MIB, 22140, 0, 0, 0x003b1fd0, 0xbfd223a0, 0 },
	{ "5G elf32", 5120 * MIB, 22140, 0, 0, 0x003b1fd0, 0xbfd223a0, 0 },
	{ "128M elf32.gz", 128 * MIB, 22140, 1, 0, 0x003b24b0, 0x07d2a930, 0 },
	{ "512M elf32.gz", 512 * MIB, 22140, 1, 0, 0x003b24b0, 0x1fd22920, 0 },
	{ "512M high", 512 * MIB, 22836, 0, 0, 0x003b2270, 0x1fd226e0, 32 },
	{ "512M pad1m", 512 * MIB, 1000000, 0, 0, 0x004a0b80, 0x1fd210e0, 32 },
	{ "512M pad3m.gz", 512 * MIB, 3022140, 1, 0, 0x0068eb70, 0x1fd2f2b0, 0 },
	{ "512M -gunzip", 512 * MIB, 22140, 0, 500173, 0x0042c1e0, 0x1fd2c6c0, 0 },
};

/** The measured space for each run, to the byte (or the stated slack). */
static void test_space(void)
{
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run *r = &runs[i];
		struct mb_e820 map[PXE_MAX_MAP];
		unsigned n = pxe_model_qemu_map(r->ram, map);
		struct pxe_heap_input in = { r->kernel_len, r->gzip, r->held,
					     r->held ? 1 : 0 };
		struct pxe_heap_model m;
		CHECK_MSG(pxe_model_arena(map, n, &in, &m), "%s: no arena",
			  r->what);
		CHECK_MSG(m.space.start >= r->start &&
				  m.space.start <= r->start + r->slack,
			  "%s: start 0x%llx, measured 0x%x", r->what,
			  (unsigned long long)m.space.start, r->start);
		/* The end follows from the start through the search: the
		 * start's slack shifts it by as much. */
		CHECK_MSG(m.space.end >= r->end &&
				  m.space.end <= r->end + r->slack,
			  "%s: end 0x%llx, measured 0x%x", r->what,
			  (unsigned long long)m.space.end, r->end);
	}
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
	test_maps();
	test_map_file();
	test_names();
	return check_summary("checker-model");
}
