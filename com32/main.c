/*
 * main.c - mboot.c32: boot a Multiboot kernel from PXELINUX.
 *
 * The pipeline, one stage per step, each stage's output the next one's
 * input:
 *
 *   parse    the KERNEL line into a request             lib/cmdline.c
 *   fetch    the kernel (gunzip it if compressed)       com32/fetch.c, lib/gzip.c
 *   probe    its Multiboot header and segments          lib/image.c
 *   fetch    the modules                                com32/fetch.c
 *   plan     every final address                        lib/place.c
 *   describe the Multiboot information                  lib/mbi1.c
 *   hand off move into place and jump                   com32/handoff.c
 *
 * Any failure prints one line naming the file and the cause and returns
 * to PXELINUX's boot: prompt; nothing is moved before the plan succeeds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <com32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslinux/config.h>
#include "../lib/cmdline.h"
#include "../lib/gzip.h"
#include "../lib/image.h"
#include "../lib/mbi1.h"
#include "../lib/place.h"
#include "fetch.h"
#include "handoff.h"
#include "memmap.h"

#ifndef MBOOT_VERSION
#define MBOOT_VERSION "0.1"
#endif

static struct mb_request req;
static struct mb_image img;
static struct mb_e820 e820[MEMMAP_MAX_E820];
static struct mb_range ram[MB_MAX_RANGES];
static uint8_t *file_data[MB_MAX_FILES];
static uint32_t file_len[MB_MAX_FILES], file_addr[MB_MAX_FILES];
static struct mb_alloc allocs[MB_MAX_FILES + 2];
static struct handoff_piece pieces[MB_MAX_FILES + 1];

/** Print unless -quiet was given. */
#define say(...) do { if (!(req.opts & MB_OPT_QUIET)) printf(__VA_ARGS__); } while (0)

/**
 * If @i's data is gzip and should be decompressed (always for the kernel,
 * on -gunzip for modules), replace it by its decompressed bytes.
 */
static int maybe_gunzip(unsigned i, struct mb_error *err)
{
	const char *name = req.files[i].name;
	uint8_t *in = file_data[i];
	size_t in_len = file_len[i], out_len, err_pos = 0;

	if (!gz_is_gzip(in, in_len))
		return MB_OK;
	if (i && !(req.files[i].opts & MB_FILE_GUNZIP))
		return MB_OK;
	if (in_len < 18)
		return mb_fail(err, MB_E_GZIP,
			       "%s: gzip file is truncated (%zu bytes)", name,
			       in_len);
	size_t cap = gz_isize(in, in_len);
	uint8_t *out = malloc(cap ? cap : 1);
	if (!out)
		return mb_fail(err, MB_E_NO_MEMORY,
			       "%s: cannot allocate %zu bytes to decompress it",
			       name, cap);
	int rc = gz_decompress(in, in_len, out, cap, &out_len, &err_pos);
	if (rc) {
		free(out);
		return mb_fail(err, MB_E_GZIP,
			       "%s: gzip data error at compressed offset %zu: %s",
			       name, err_pos, gz_strerror(rc));
	}
	say("mboot: %s: decompressed %zu -> %zu bytes\n", name, in_len, out_len);
	free(in);
	file_data[i] = out;
	file_len[i] = (uint32_t)out_len;
	return MB_OK;
}

/** Fetch file @i of the request into file_data/file_len. */
static int load_file(unsigned i, struct mb_error *err)
{
	const char *name = req.files[i].name;
	size_t len;
	int rc;

	rc = fetch_file(name, (req.opts & MB_OPT_QUIET) ? FETCH_QUIET : 0,
			&file_data[i], &len, err);
	if (rc)
		return rc;
	if (len > 0xffffffffu)
		return mb_fail(err, MB_E_OUT_OF_MEMORY, "%s: larger than 4 GiB",
			       name);
	file_len[i] = (uint32_t)len;
	return maybe_gunzip(i, err);
}

/** The boot loader name: PXELINUX's version and ours, never "GRUB". */
static const char *loader_name(void)
{
	static char name[96];
	const char *v = syslinux_version()->version_string;

	snprintf(name, sizeof(name), "%.40s mboot " MBOOT_VERSION,
		 v ? v : "SYSLINUX");
	return name;
}

/** The whole pipeline; returns only on failure. */
static int run(const char *line, struct mb_error *err)
{
	int rc = mb_parse_cmdline(line, &req, err);
	if (rc)
		return rc;

	rc = load_file(0, err);
	if (rc)
		return rc;
	rc = mb_image_probe(file_data[0], file_len[0], req.files[0].name,
			    req.opts, &img, err);
	if (rc)
		return rc;
	for (unsigned i = 1; i < req.nfiles; i++) {
		rc = load_file(i, err);
		if (rc)
			return rc;
	}

	unsigned nmap = memmap_read_e820(e820, MEMMAP_MAX_E820);
	unsigned nram = memmap_free_ranges(ram, MB_MAX_RANGES);
	if (!nmap || !nram)
		return mb_fail(err, MB_E_FIRMWARE,
			       "cannot read the memory map (E820 entries: %u, free ranges: %u)",
			       nmap, nram);

	struct mb1_input info_in = {
		.req = &req, .mod_addr = file_addr, .mod_len = file_len,
		.map = e820, .nmap = nmap, .loader_name = loader_name(),
	};
	size_t info_size = mb1_info_size(&info_in);
	allocs[0] = (struct mb_alloc){ "Multiboot information", info_size,
				       MB_PAGE_SIZE, 0 };
	allocs[1] = (struct mb_alloc){ "hand-off stub", HANDOFF_AREA_SIZE,
				       MB_PAGE_SIZE, 0 };
	for (unsigned i = 1; i < req.nfiles; i++)
		allocs[i + 1] = (struct mb_alloc){ req.files[i].name,
						   file_len[i], MB_PAGE_SIZE, 0 };
	rc = mb_plan(ram, nram, &img, req.files[0].name, allocs,
		     req.nfiles + 1, err);
	if (rc)
		return rc;
	for (unsigned i = 1; i < req.nfiles; i++)
		file_addr[i] = allocs[i + 1].addr;

	uint8_t *info = malloc(info_size);
	if (!info)
		return mb_fail(err, MB_E_NO_MEMORY,
			       "cannot allocate %zu bytes for the Multiboot information",
			       info_size);
	mb1_info_build(&info_in, info, allocs[0].addr);

	unsigned np = 0;
	pieces[np++] = (struct handoff_piece){ allocs[0].addr, info, info_size };
	for (unsigned i = 1; i < req.nfiles; i++)
		pieces[np++] = (struct handoff_piece){ file_addr[i],
						       file_data[i], file_len[i] };
	if (req.opts & MB_OPT_VERBOSE) {
		for (unsigned i = 0; i < img.nsegs; i++)
			printf("mboot: segment %u: 0x%08x-0x%08x (%u from file)\n",
			       i, img.segs[i].addr,
			       img.segs[i].addr + img.segs[i].memsz,
			       img.segs[i].filesz);
		for (unsigned i = 0; i < req.nfiles + 1; i++)
			printf("mboot: %s at 0x%08x (%u bytes)\n", allocs[i].name,
			       allocs[i].addr, allocs[i].size);
	}
	say("mboot: booting %s, entry 0x%08x\n", req.files[0].name, img.entry);
	return handoff_boot(&img, file_data[0], pieces, np, allocs[1].addr,
			    MB1_BOOT_MAGIC, allocs[0].addr, err);
}

int main(int argc, char *argv[])
{
	static char joined[MB_CMDLINE_MAX + 1];
	static struct mb_error err;
	const char *line = com32_cmdline();

	if (!line) {	/* older cores: rebuild the line from argv */
		size_t n = 0;
		for (int i = 1; i < argc && n < sizeof(joined) - 1; i++)
			n += snprintf(joined + n, sizeof(joined) - n, "%s%s",
				      i > 1 ? " " : "", argv[i]);
		line = joined;
	}
	run(line, &err);
	printf("mboot: error: %s\n", err.msg);
	return 1;
}
