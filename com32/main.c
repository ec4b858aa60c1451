/*
 * main.c - mboot.c32: boot a Multiboot kernel from PXELINUX.
 *
 * The pipeline, one stage per step, each stage's output the next one's
 * input:
 *
 *   parse    the KERNEL line into a request             lib/cmdline.c
 *            (IPAPPEND strings taken off its end)       lib/ipappend.c
 *   fetch    the kernel (gunzip it if compressed)       com32/fetch.c, lib/gzip.c
 *   probe    its Multiboot header and segments          lib/image.c
 *   size     every module (opened, not yet read)        com32/fetch.c
 *   plan     every final address, inside one arena      lib/place.c, com32/arena.c
 *   fetch    the modules straight into place            com32/fetch.c
 *   describe the Multiboot information, in place        lib/mbi1.c
 *   hand off move the kernel into place and jump        com32/handoff.c, asm/
 *
 * A plain module of known size is read straight to its final address
 * (over mboot's TFTP a module under 1 MiB passes through its read-ahead
 * buffer, and a retry writes the blocks again); -gunzip modules and those
 * of unknown size go through the heap first; the kernel's bytes are copied
 * once, by the trampoline.  Any failure prints one line naming the file
 * and the cause and returns to PXELINUX's boot: prompt; no plain module's
 * byte is downloaded before the plan fits (the kernel, -gunzip modules and
 * modules of unknown size are read before it), and nothing is moved
 * before every file has arrived.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <com32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslinux/boot.h>
#include <syslinux/config.h>
#include "../lib/cmdline.h"
#include "../lib/elfsec.h"
#include "../lib/crc32.h"
#include "../lib/gunzip.h"
#include "../lib/gzip.h"
#include "../lib/image.h"
#include "../lib/ipappend.h"
#include "../lib/loadplan.h"
#include "../lib/mb2.h"
#include "../lib/mbi1.h"
#include "../lib/mbi2.h"
#include "../lib/place.h"
#include "../lib/plantable.h"
#include "../lib/probe.h"
#include "../lib/solaris.h"
#include "autogunzip.h"
#include "catmod.h"
#include "cfgfile.h"
#include "fetch.h"
#include "firmware.h"
#include "measure.h"

#ifndef MBOOT_VERSION
#define MBOOT_VERSION "0.1"
#endif

#define MAX_E820 128

static struct mb_request req;
static struct mb_image img;
static struct mb2_header_info mb2h;
static int proto;		/* 1 or 2: the Multiboot version booted */
static struct mb_e820 e820[MAX_E820];
static struct mb_range ram[MB_MAX_RANGES], space[MB_MAX_RANGES];
/* Per file (index 0 = kernel): bytes already in the heap, if any. */
static uint8_t *heap_data[MB_MAX_FILES];
static uint32_t heap_len[MB_MAX_FILES];
static uint32_t file_len[MB_MAX_FILES], file_addr[MB_MAX_FILES];
/* What the plan was made from, and the plan (lib/loadplan.h). */
static struct mb_load_input load;
static struct mb_load_plan plan;
/* Modules left open between sizing and reading (see size_module). */
static struct fetch held[MB_MAX_FILES];
static bool is_held[MB_MAX_FILES];

/* The IPAPPEND/SYSAPPEND strings found at the end of the line. */
static struct mb_ipappend ipa;

/** Print unless -quiet was given. */
#define say(...) do { if (!(req.opts & MB_OPT_QUIET)) printf(__VA_ARGS__); } while (0)

/** Fetch flags for the request's options. */
static unsigned fetch_flags(void)
{
	return ((req.opts & MB_OPT_QUIET) ? FETCH_QUIET | FETCH_SILENT : 0) |
	       ((req.opts & MB_OPT_PXELINUX) ? FETCH_FORCE_PXELINUX : 0);
}

/** The SHA-256 file @i must have (-sha256=HEX), or NULL. */
static const uint8_t *file_sha256(unsigned i)
{
	return (req.files[i].opts & MB_FILE_SHA256) ? req.files[i].sha256 :
						      NULL;
}

/* Streaming the kernel: input is read in pieces of this size. */
#define STREAM_CHUNK (64u * 1024)
/* Its output buffer: 8 times the announced size plus 1 MiB, at most
 * STREAM_OUT_MAX; so the announced size is at most STREAM_IN_MAX (checked
 * first, so the estimate cannot wrap). */
#define STREAM_OUT_MAX 0x40000000u
#define STREAM_IN_MAX ((STREAM_OUT_MAX - (1u << 20)) / 8)

/**
 * Fetch the kernel (file 0) and, when it is gzip, decompress it while it
 * arrives, so its compressed copy is never held whole.  Needs the size
 * from the transport (to size the output: 8 times the compressed size plus
 * 1 MiB covers kernels, which compress 3-5:1).  Returns MB_OK with the
 * kernel in heap_data[0]; 1 (not an error) when streaming does not apply
 * (size unknown, a gzip kernel whose size is only a hint, or the output
 * estimate was too small: the caller then reads the file whole, growing
 * its buffer), or an error code.  No write goes by the size alone: a
 * plain kernel's buffer is the announced size plus one byte (grown as it
 * arrives when the size is only a hint), and the reads into it are
 * bounded by what is left of it (fetch_read_rest).
 */
static int stream_kernel(struct mb_error *err)
{
	static struct gz_stream gz;
	const char *name = req.files[0].name;
	struct fetch f;
	uint8_t *chunk = NULL, *out = NULL;
	size_t got, out_len = 0, out_cap;
	uint32_t cap;
	int plain = 0;
	int rc, gzrc = GZ_NEED_INPUT;

	/* Measured on UEFI: the firmware hashes the file itself, so it is
	 * read whole and kept as fetched (measure.h). */
	if (measure_wants_raw())
		return 1;
	rc = fetch_open(&f, name, fetch_flags(), err);
	if (rc)
		return rc;
	fetch_expect_sha256(&f, file_sha256(0));
	fetch_record_sha256(&f, measure_digest_slot(0));
	if (!f.size || f.size > STREAM_IN_MAX || !(chunk = malloc(STREAM_CHUNK)))
		goto fallback;
	cap = (uint32_t)f.size * 8 + (1u << 20);	/* <= STREAM_OUT_MAX */
	rc = fetch_read(&f, chunk, STREAM_CHUNK, &got, err);
	if (rc)
		goto done;
	if (!gz_is_gzip(chunk, got)) {
		/* Plain: one buffer of the announced size plus one byte, or
		 * of the piece read should that be longer (fetch_read_rest
		 * then reports it, or grows the buffer if the size is only a
		 * hint): no byte read is dropped.  A retry keeps the first
		 * open's size (fetch_retry.c); checked again all the same
		 * before the size_t arithmetic. */
		plain = 1;
		if (f.size > STREAM_IN_MAX)
			goto fallback;
		out_cap = got > f.size ? got : (size_t)f.size + 1;
		out = malloc(out_cap);
		if (!out)
			goto fallback;
		memcpy(out, chunk, got);
		out_len = got;
		rc = fetch_read_rest(&f, &out, &out_cap, &out_len, err);
		goto done;
	}
	if (f.size_hint)	/* no estimate of the output from a hint */
		goto fallback;
	out = malloc(cap);
	if (!out)
		goto fallback;
	gz_stream_init(&gz, out, cap);
	while (got) {
		gzrc = gz_stream_feed(&gz, chunk, got);
		if (gzrc != GZ_OK && gzrc != GZ_NEED_INPUT)
			break;
		rc = fetch_read(&f, chunk, STREAM_CHUNK, &got, err);
		if (rc)
			goto done;
	}
	if (gzrc == GZ_OK || gzrc == GZ_NEED_INPUT)
		gzrc = gz_stream_finish(&gz, &out_len);
	if (gzrc == GZ_ERR_OUTPUT_FULL)
		goto fallback;
	if (gzrc) {
		rc = mb_gzip_fail(name, gzrc, gz_stream_error_pos(&gz), err);
		goto done;
	}
	goto done;

fallback:
	rc = 1;
done:
	/* The digest is of the file as sent, checked before anything is
	 * decompressed further: after a gzip error too, since a file that is
	 * not the one named is the better explanation.  (On the fallback the
	 * second, whole read is checked instead.) */
	if (rc == MB_OK || rc == MB_E_GZIP) {
		int vrc = fetch_verify(&f, err);
		if (vrc)
			rc = vrc;
	}
	fetch_close(&f);
	free(chunk);
	if (rc) {
		free(out);
		return rc;
	}
	if (!plain)
		say("mboot: %s: decompressed to %zu bytes while it arrived\n",
		    name, out_len);
	uint8_t *fit = realloc(out, out_len ? out_len : 1);	/* shrink */
	heap_data[0] = fit ? fit : out;
	heap_len[0] = file_len[0] = (uint32_t)out_len;
	return MB_OK;
}

/**
 * Read file @i whole into the heap (heap_data/file_len); decompress it
 * there when it is gzip and @inflate is set.
 */
static int load_to_heap(unsigned i, int inflate, struct mb_error *err)
{
	const char *name = req.files[i].name;
	uint8_t *data;
	size_t len;
	int rc = fetch_file_digest(name, fetch_flags(), file_sha256(i),
				   measure_digest_slot(i), &data, &len, err);

	if (rc)
		return rc;
	if (len > 0xfff00000u) {
		free(data);
		return mb_fail(err, MB_E_OUT_OF_MEMORY,
			       "%s: %zu bytes cannot fit below 4 GiB", name, len);
	}
	if (inflate && gz_is_gzip(data, len)) {
		uint32_t cap;
		size_t out_len = 0;
		uint8_t *out = NULL;
		int gz;
		rc = mb_gunzip_size(data, len, name, &cap, err);
		/* ISIZE is the last member's: a file of several members needs
		 * more, so grow the buffer while the output does not fit. */
		for (int tries = 0; !rc; tries++) {
			free(out);
			out = malloc(cap ? cap : 1);
			if (!out) {
				rc = mb_fail(err, MB_E_NO_MEMORY,
					     "%s: cannot allocate %u bytes to decompress it",
					     name, cap);
				break;
			}
			rc = mb_gunzip(data, len, name, out, cap, &out_len, &gz,
				       err);
			if (!rc || gz != GZ_ERR_OUTPUT_FULL || tries == 7 ||
			    cap >= FETCH_HEAP_MAX)
				break;
			/* 4 times the input, then doubling, up to the most
			 * that fits below 4 GiB: in 64 bits, so nothing
			 * wraps in the module's 32-bit size_t. */
			uint64_t next = (uint64_t)len * 4 > cap ?
					(uint64_t)len * 4 : (uint64_t)cap * 2;
			cap = next > FETCH_HEAP_MAX ? FETCH_HEAP_MAX : (uint32_t)next;
			rc = MB_OK;
		}
		if (!measure_hold(i, data, len, true))	/* as fetched */
			free(data);
		if (rc) {
			free(out);
			return rc;
		}
		say("mboot: %s: decompressed to %zu bytes\n", name, out_len);
		data = out;
		len = out_len;
	} else {
		measure_hold(i, data, len, false);
	}
	heap_data[i] = data;
	heap_len[i] = file_len[i] = (uint32_t)len;
	return MB_OK;
}

/**
 * Learn module @i's size without reading it, so the plan can be made
 * before any download.  Files whose size the transport does not tell are
 * read into the heap instead, and so are modules marked -gunzip: their
 * final size is the gzip trailer's ISIZE, and they are decompressed
 * straight into their final place later.
 */
static int size_module(unsigned i, struct mb_error *err)
{
	struct fetch f;
	int rc;

	if (req.files[i].opts & MB_FILE_CAT) {	/* joined in the heap */
		size_t len;
		rc = catmod_load(&req.files[i], fetch_flags(),
				 req.opts & MB_OPT_QUIET, &heap_data[i], &len, err);
		if (!rc)
			heap_len[i] = file_len[i] = (uint32_t)len;
		return rc;
	}
	/* A ".gz" ELF (a kernel for a loader such as tboot): as -gunzip. */
	rc = autogunzip_apply(&req.files[i], fetch_flags(),
			      req.opts & MB_OPT_QUIET, err);
	if (rc)
		return rc;
	if (req.files[i].opts & MB_FILE_GUNZIP) {
		rc = load_to_heap(i, 0, err);
		if (rc || !gz_is_gzip(heap_data[i], heap_len[i]))
			return rc;	/* not gzip: passed as it is */
		return mb_gunzip_size(heap_data[i], heap_len[i],
				      req.files[i].name, &file_len[i], err);
	}
	rc = fetch_open(&f, req.files[i].name, fetch_flags() | FETCH_QUIET,
			err);
	if (rc)
		return rc;
	/* A size that is only a hint cannot be planned with: the file may
	 * be longer (fetch.h), so it is read whole like an unknown one. */
	uint64_t size = f.size_hint ? 0 : f.size;
	/* Over HTTP, closing now and opening again later costs a second
	 * request, a transfer cut short and a stalled connection, so the
	 * last module sized stays open and is read first.  Only one: with
	 * two connections open, iPXE was seen to stall the one being read.
	 * (TFTP is acknowledged packet by packet: a file left open would be
	 * buffered whole, so it is closed.) */
	if (size && i == req.nfiles - 1 && f.ops == &fetch_ipxe_ops &&
	    (!strncmp(f.name, "http://", 7) || !strncmp(f.name, "https://", 8))) {
		held[i] = f;
		is_held[i] = true;
	} else {
		fetch_close(&f);
	}
	if (!size)	/* unknown (or empty): read it to find out */
		return load_to_heap(i, 0, err);
	if (size > 0xfff00000u)
		return mb_fail(err, MB_E_OUT_OF_MEMORY,
			       "%s: %llu bytes cannot fit below 4 GiB",
			       req.files[i].name, (unsigned long long)size);
	file_len[i] = (uint32_t)size;
	return MB_OK;
}

/** Read module @i straight into its final place, exactly file_len[i] bytes. */
static int fetch_into_place(unsigned i, struct mb_error *err)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)file_addr[i];
	const char *name = req.files[i].name;
	struct fetch f;
	size_t got;
	uint8_t extra;
	int rc;

	if (heap_data[i]) {	/* already read: -gunzip, or size unknown */
		size_t out_len = heap_len[i];
		rc = MB_OK;
		if ((req.files[i].opts & MB_FILE_GUNZIP) &&
		    gz_is_gzip(heap_data[i], heap_len[i])) {
			rc = mb_gunzip(heap_data[i], heap_len[i], name, dst,
				       file_len[i], &out_len, NULL, err);
			if (!rc && out_len != file_len[i])	/* ISIZE lied */
				rc = mb_fail(err, MB_E_GZIP,
					     "%s: decompressed to %zu bytes, but the gzip trailer says %u",
					     name, out_len, file_len[i]);
			if (!rc)
				say("mboot: %s: decompressed %u -> %u bytes in place\n",
				    name, heap_len[i], file_len[i]);
		} else {
			memcpy(dst, heap_data[i], heap_len[i]);
		}
		if (!measure_hold(i, heap_data[i], heap_len[i], true))
			free(heap_data[i]);
		heap_data[i] = NULL;
		return rc;
	}
	if (is_held[i]) {
		f = held[i];
		is_held[i] = false;
		fetch_resume(&f, fetch_flags());
	} else {
		rc = fetch_open(&f, name, fetch_flags(), err);
		if (rc)
			return rc;
	}
	fetch_expect_sha256(&f, file_sha256(i));	/* nothing read yet */
	fetch_record_sha256(&f, measure_digest_slot(i));
	rc = fetch_read(&f, dst, file_len[i], &got, err);
	if (!rc && got != file_len[i])
		rc = mb_fail(err, MB_E_READ,
			     "%s: transfer ended after %zu of %u bytes", name,
			     got, file_len[i]);
	if (!rc && (rc = fetch_read(&f, &extra, 1, &got, err)) == MB_OK && got)
		rc = mb_fail(err, MB_E_READ,
			     "%s: the server sent more than the %u bytes it announced",
			     name, file_len[i]);
	if (!rc)
		rc = fetch_verify(&f, err);
	fetch_close(&f);
	if (!rc)
		measure_hold(i, dst, file_len[i], false);
	if (!rc && (req.opts & MB_OPT_VERBOSE))
		printf("mboot: %s: crc32 %08x at 0x%08x\n", name,
		       crc32_update(0, dst, file_len[i]), file_addr[i]);
	return rc;
}

/**
 * The boot loader name: SYSLINUX's version string and ours, never "GRUB".
 * The string ends at its first control character.  On EFI the core points
 * version_string two bytes into a banner that, unlike the BIOS one, has no
 * leading CR LF, so "Syslinux" arrives as "slinux": put the two back.
 */
static const char *loader_name(void)
{
	static char name[96];
	const char *v = syslinux_version()->version_string;
	int n = 0;

	if (!v)
		v = "SYSLINUX";
	if (!strncmp(v, "slinux", 6))
		n = snprintf(name, sizeof(name), "Sy");
	while (*v >= ' ' && n < 60)
		name[n++] = *v++;
	while (n > 0 && name[n - 1] == ' ')
		n--;
	snprintf(name + n, sizeof(name) - n, " mboot " MBOOT_VERSION);
	return name;
}

/* State handed from one stage to the next. */
static unsigned nmap, nram, nspace;
static uint32_t linked_base, load_base;	/* the image's, before/after
						 * relocation */
static struct fw_info fwi;
static struct mb1_input in1;
static struct mb2_input in2;
static struct mb_elf_sections esec;
static bool have_esec;

/** mb_line_fn for the placement table: one console line. */
static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	printf("mboot: %s\n", line);
}

/** Print the placement table of the plan (-v, and a dry run). */
static void print_table(void)
{
	static struct mb_plan_table table;

	mb_plan_table_build(&load, &plan, e820, nmap, &table);
	mb_plan_table_print(&table, print_line, NULL);
}

/**
 * Give the IPAPPEND strings found (if any) to part @part and say so.
 */
static int give_ipappend(unsigned part, struct mb_error *err)
{
	static char what[MB_CMDLINE_MAX + 32];
	int rc;

	if (!ipa.count)
		return MB_OK;
	rc = mb_ipappend_give(&req, &ipa, part, err);
	if (!rc)
		say("mboot: IPAPPEND strings \"%s\" go to %s\n", ipa.text,
		    mb_ipappend_part_name(&req, part, what, sizeof(what)));
	return rc;
}

/** mb_ipappend_target's test, on module @i in its final place. */
static bool module_is_linux(void *ctx, unsigned i)
{
	(void)ctx;
	return mb_is_bzimage((const uint8_t *)(uintptr_t)file_addr[i],
			     file_len[i]);
}

/**
 * Stage, once the parts are known (the line's, or a -c FILE's) and before
 * the kernel or any module is downloaded: -ipappend= checked against
 * them, and the strings given now when the option names the part (the
 * default waits for the modules' contents).
 */
static int route_ipappend(struct mb_error *err)
{
	int rc = mb_ipappend_check(&req, err);
	if (rc || req.ipappend_mode == MB_IPAPPEND_AUTO)
		return rc;
	return give_ipappend(mb_ipappend_target(&req, NULL, NULL), err);
}

/**
 * Stage: the kernel, whole and decompressed (streamed when it can be),
 * probed, relocated if it asks for it; and the memory maps.
 */
static int load_kernel(struct mb_error *err)
{
	int rc = stream_kernel(err);
	if (rc == 1)	/* streaming did not apply: read it whole */
		rc = load_to_heap(0, 1, err);
	if (rc)
		return rc;
	rc = mb_probe_kernel(heap_data[0], file_len[0], req.files[0].name,
			     req.opts, FW_NEEDS_MB2, &img, &mb2h, &proto, err);
	if (rc)
		return rc;
	nmap = fw_memory_map(e820, MAX_E820);
	nram = fw_segment_ranges(ram, MB_MAX_RANGES);
	if (!nmap || !nram)
		return mb_fail(err, MB_E_FIRMWARE,
			       "cannot read the memory map (entries: %u, free ranges: %u)",
			       nmap, nram);

	linked_base = load_base = img.segs[0].addr;
	if (proto == 2 && mb2_has_tag(&mb2h, MB2_HT_RELOCATABLE)) {
		rc = mb2_relocate(&img, &mb2h, ram, nram, &load_base,
				  req.files[0].name, err);
		if (rc)
			return rc;
	}
	if (req.nfiles == 1 &&
	    (proto == 1 ? (img.header.flags & MB1_HF_PAGE_ALIGN) :
			  mb2_has_tag(&mb2h, MB2_HT_MODULE_ALIGN)))
		say("mboot: warning: %s asks for page-aligned modules but none were given\n",
		    req.files[0].name);
	return MB_OK;
}

/**
 * Stage: what the information structure will hold, apart from the
 * addresses still to be planned; refuse a Multiboot 2 kernel that asks for
 * what this firmware cannot give.
 */
static int describe_inputs(struct mb_error *err)
{
	fw_get_info(&fwi);
	in1 = (struct mb1_input){
		.req = &req, .mod_addr = file_addr, .mod_len = file_len,
		.map = e820, .nmap = nmap, .loader_name = loader_name(),
		.apm = fwi.apm,
	};
	if (proto == 1 && fwi.dhcp_ack &&
	    mb_solaris_wanted(req.opts, heap_data[0], file_len[0])) {
		in1.solaris_dhcp = fwi.dhcp_ack;
		in1.solaris_dhcp_len = fwi.dhcp_ack_len;
	}
	in2 = (struct mb2_input){
		.req = &req, .mod_addr = file_addr, .mod_len = file_len,
		.map = e820, .nmap = nmap, .loader_name = in1.loader_name,
		.rsdp_v1 = fwi.rsdp_v1, .rsdp_v2 = fwi.rsdp_v2,
		.rsdp_v2_len = fwi.rsdp_v2_len, .dhcp_ack = fwi.dhcp_ack,
		.dhcp_ack_len = fwi.dhcp_ack_len,
		.have_load_base = true, .load_base = load_base,
		.apm = fwi.apm,
		.have_efi64 = fwi.efi_system_table != 0,
		.efi64_system_table = fwi.efi_system_table,
		.efi64_image_handle = fwi.efi_image_handle,
		.efi_bs_kept = FW_NEEDS_MB2,
		.efi_mmap = fwi.efi_mmap, .efi_mmap_len = fwi.efi_mmap_len,
		.efi_desc_size = fwi.efi_desc_size,
		.efi_desc_version = fwi.efi_desc_version,
		/* Room for the map to grow until it is taken again at the
		 * end: every claim and every download buffer adds entries
		 * (seen: 100 -> 204 descriptors with Xen's three files). */
		.efi_mmap_room = fwi.efi_mmap_len + 256 * fwi.efi_desc_size,
	};
	if (proto == 1)
		return MB_OK;
	/* ELF image: the section headers go in tag 9, and the sections the
	 * image does not load are copied for the kernel. */
	have_esec = mb_load_elf_sections(proto, &img, heap_data[0],
					 file_len[0], &in2, &esec);
	return FW_CHECK_MB2(&mb2h, req.files[0].name, mb2_info_types(&in2),
			    err);
}

/**
 * Stage: every address, planned inside the space the firmware layer gives
 * us, then claimed.  Takes that space: the caller releases it on failure.
 */
static int make_plan(struct mb_error *err)
{
	nspace = fw_alloc_ranges(space, MB_MAX_RANGES, err);
	if (!nspace)
		return err->code;
	load = (struct mb_load_input){
		.req = &req, .img = &img, .proto = proto, .in1 = &in1,
		.in2 = &in2, .file_len = file_len,
		.boot_area_size = fw_boot_area_size(img.nsegs),
		/* If the heap put the image where a segment goes, it needs a
		 * safe place of its own. */
		.move_image = mb_load_image_must_move(
			&img, (uintptr_t)heap_data[0], file_len[0]),
		.elfsec_size = have_esec ? esec.size : 0,
		/* Strings still to be given get room (fetch_and_describe). */
		.info_room = ipa.given ? 0 : mb_ipappend_room(&ipa),
		.ram = ram, .nram = nram, .space = space, .nspace = nspace,
	};
	int rc = mb_load_plan(&load, &plan, err);
	/* Own every destination before the first download (on EFI the
	 * network stack allocates too); a no-op on BIOS. */
	for (unsigned i = 0; i < img.nsegs && !rc; i++)
		rc = fw_claim(img.segs[i].addr, img.segs[i].memsz,
			      "kernel segment", err);
	for (unsigned i = 0; i < plan.nallocs && !rc; i++)
		if (plan.allocs[i].size)
			rc = fw_claim(plan.allocs[i].addr, plan.allocs[i].size,
				      plan.allocs[i].name, err);
	if (rc)
		return rc;
	/* BIOS: the information is staged in its slot and moved to low
	 * memory at the hand-off (fw_info_final_addr says why). */
	uint32_t low = fw_info_final_addr(e820, nmap, plan.info_size);
	if (low)
		plan.info_addr = low;
	for (unsigned i = 1; i < req.nfiles; i++)
		file_addr[i] = plan.mod_addr[i];
	if ((req.opts & MB_OPT_VERBOSE) && !(req.opts & MB_OPT_DRY_RUN)) {
		for (unsigned i = 0; i < nspace; i++)
			printf("mboot: space 0x%08llx-0x%08llx\n",
			       (unsigned long long)space[i].start,
			       (unsigned long long)space[i].end);
		print_table();
	}
	return MB_OK;
}

/**
 * Stage: every module read straight into its place (a module still open
 * from sizing goes first), then the pieces the plan made room for: the
 * ELF sections, the kernel image if it had to move, the information.
 */
static int fetch_and_describe(struct mb_error *err)
{
	unsigned last = req.nfiles - 1;
	bool last_first = is_held[last];
	int rc;

	for (unsigned k = 0; k < last; k++) {
		unsigned i = !last_first ? k + 1 : k == 0 ? last : k;
		rc = fetch_into_place(i, err);
		if (rc)
			return rc;
	}
	if (have_esec)
		in2.elf_shdrs = mb_elf_sections_place(
			heap_data[0], &esec,
			(uint8_t *)(uintptr_t)plan.allocs[MB_SLOT_ELFSEC].addr,
			plan.allocs[MB_SLOT_ELFSEC].addr);
	if (load.move_image)
		memcpy((void *)(uintptr_t)plan.allocs[MB_SLOT_IMAGE].addr,
		       heap_data[0], file_len[0]);
	/* The default part is known now that every module is in place. */
	if (!ipa.given) {
		rc = give_ipappend(mb_ipappend_target(&req, module_is_linux,
						      NULL), err);
		if (rc)
			return rc;
		/* The plan kept info_room for them: checked, not assumed. */
		size_t need = proto == 1 ? mb1_info_size(&in1) :
					   mb2_info_size(&in2);
		if (need > plan.allocs[MB_SLOT_INFO].size)
			return mb_fail(err, MB_E_BOOT,
				       "the Multiboot information grew to %zu bytes with the IPAPPEND strings, more than the %u planned",
				       need, plan.allocs[MB_SLOT_INFO].size);
	}
	/* Every file is in and every command line final: measured before
	 * the information is built (on UEFI the firmware's log may take
	 * memory, and the EFI map is taken below). */
	rc = measure_all(&req, err);
	if (rc)
		return rc;

	/* Built in its slot for the address the kernel will find it at. */
	void *info = (void *)(uintptr_t)plan.allocs[MB_SLOT_INFO].addr;
	if (plan.info_addr != plan.allocs[MB_SLOT_INFO].addr)
		fw_move_at_boot(info, plan.info_size, plan.info_addr);
	if (proto == 1) {
		mb1_info_build(&in1, info, plan.info_addr);
		return MB_OK;
	}
	if (in2.efi_mmap) {	/* the EFI map as it is now, at the end */
		fw_get_info(&fwi);
		in2.efi_mmap = fwi.efi_mmap;
		in2.efi_mmap_len = fwi.efi_mmap_len;
		in2.efi_mmap_room = 0;
		if (mb2_info_size(&in2) > plan.allocs[MB_SLOT_INFO].size)
			return mb_fail(err, MB_E_FIRMWARE,
				       "the EFI memory map grew to %u bytes, more than planned",
				       fwi.efi_mmap_len);
	}
	mb2_info_build(&in2, info, plan.info_addr);
	return MB_OK;
}

/** Stage: hand off.  Returns only on failure. */
static int boot(struct mb_error *err)
{
	const uint8_t *image = load.move_image ?
		(const uint8_t *)(uintptr_t)plan.allocs[MB_SLOT_IMAGE].addr :
		heap_data[0];
	/* The EFI entry moves with a relocated image, like the i386 one. */
	int efi_entry = proto == 2 && FW_NEEDS_MB2;
	if (efi_entry)
		img.entry = mb2h.efi64_entry + (load_base - linked_base);
	say("mboot: booting %s (Multiboot %d), entry 0x%08x\n",
	    req.files[0].name, proto, img.entry);
	return fw_boot(&img, image,
		       (void *)(uintptr_t)plan.allocs[MB_SLOT_BOOT].addr,
		       proto == 1 ? MB1_BOOT_MAGIC : MB2_BOOT_MAGIC,
		       plan.info_addr, efi_entry, err);
}

/**
 * Stage, instead of the hand-off in a dry run (-n): the verdict and the
 * placement table.  Everything before has run: every file fetched (and
 * checked), decompressed, placed, the information built.
 */
static void dry_run_report(void)
{
	static char verdict[MB_CMDLINE_MAX + 80];

	mb_plan_verdict(&load, verdict, sizeof(verdict));
	printf("mboot: dry run: %s\n", verdict);
	print_table();
}

/**
 * The whole pipeline, stage by stage; returns only on failure, or with
 * MB_OK after a dry run (everything taken given back).
 */
static int run(const char *line, struct mb_error *err)
{
	const struct syslinux_ipappend_strings *sa = syslinux_ipappend_strings();
	mb_ipappend_find(line, sa->ptr, sa->count > 0 ? (unsigned)sa->count : 0,
			 &ipa);
	int rc = mb_parse_cmdline(ipa.line, &req, err);
	if (!rc)
		rc = fw_init(err);
	if (!rc)
		rc = measure_begin(&req, err);
	if (!rc && req.cfgfile[0])	/* -c FILE: the files are in FILE */
		rc = cfgfile_load(&req, fetch_flags(), req.opts & MB_OPT_QUIET,
				  err);
	/* Once the parts are known (after a -c FILE's), before any of
	 * them is downloaded. */
	if (!rc)
		rc = route_ipappend(err);
	if (!rc)
		rc = load_kernel(err);
	for (unsigned i = 1; i < req.nfiles && !rc; i++)
		rc = size_module(i, err);	/* every size before any read */
	if (!rc)
		rc = describe_inputs(err);
	if (rc)
		return rc;
	rc = make_plan(err);
	if (!rc)
		rc = fetch_and_describe(err);
	if (!rc && (req.opts & MB_OPT_DRY_RUN))
		dry_run_report();
	else if (!rc)
		rc = boot(err);
	fw_release();
	return rc;
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
	int rc = run(line, &err);
	for (unsigned i = 0; i < MB_MAX_FILES; i++)
		if (is_held[i]) {
			held[i].quiet = 1;
			fetch_close(&held[i]);
			is_held[i] = false;
		}
	for (unsigned i = 0; i < MB_MAX_FILES; i++) {
		free(heap_data[i]);
		heap_data[i] = NULL;
	}
	measure_end();
	if (rc == MB_OK)	/* a dry run: back to the boot: prompt */
		return 0;
	printf("mboot: error: %s\n", err.msg);
	if (req.fallback[0] && (req.opts & MB_OPT_DRY_RUN)) {
		/* A dry run boots nothing, not even the fallback. */
		printf("mboot: dry run: would run fallback label \"%s\"\n",
		       req.fallback);
	} else if (req.fallback[0]) {
		printf("mboot: running fallback label \"%s\"\n", req.fallback);
		syslinux_run_command(req.fallback);	/* returns only if
							 * the label failed */
	}
	return 1;
}
