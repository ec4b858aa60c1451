/*
 * mbi2.c - building the Multiboot2 boot information (see mbi2.h).
 *
 * One walk over the tags serves both for the size (with no buffer) and for
 * the build, so the two cannot disagree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "mbi2.h"
#include "util.h"

/** Where the walk is: @base is NULL when only counting. */
struct writer {
	uint8_t *base;
	size_t pos;
};

/** Append @n bytes of @src (zeros when @src is NULL) at the position. */
static void put(struct writer *w, const void *src, size_t n)
{
	if (w->base) {
		if (src)
			mb_memcpy(w->base + w->pos, src, n);
		else
			mb_memset(w->base + w->pos, 0, n);
	}
	w->pos += n;
}

/** Append a little-endian 32-bit (16-bit, 64-bit) value. */
static void put32(struct writer *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };
	put(w, b, 4);
}

static void put16(struct writer *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	put(w, b, 2);
}

static void put64(struct writer *w, uint64_t v)
{
	put32(w, (uint32_t)v);
	put32(w, (uint32_t)(v >> 32));
}

/** Start a tag of @type and @size bytes (header included). */
static void tag(struct writer *w, uint32_t type, uint32_t size)
{
	put32(w, type);
	put32(w, size);
}

/** Zero-pad to the next 8-byte boundary, ending a tag. */
static void pad(struct writer *w)
{
	put(w, NULL, MB_ALIGN_UP(w->pos, (size_t)MB2_TAG_ALIGN) - w->pos);
}

/** A tag of @type holding @n bytes of @data. */
static void blob_tag(struct writer *w, uint32_t type, const void *data,
		     uint32_t n)
{
	tag(w, type, 8 + n);
	put(w, data, n);
	pad(w);
}

/** Append file @f's command line ("name args") and its NUL. */
static void put_cmdline(struct writer *w, const struct mb_file_req *f)
{
	if (w->base)
		mb_file_cmdline(f, (char *)w->base + w->pos);
	w->pos += mb_file_cmdline_len(f) + 1;
}

/** The memory map tag. */
static void mmap_tag(struct writer *w, const struct mb2_input *in)
{
	tag(w, MB2_IT_MMAP, 16 + in->nmap * 24);
	put32(w, 24);
	put32(w, 0);
	for (unsigned i = 0; i < in->nmap; i++) {
		put64(w, in->map[i].base);
		put64(w, in->map[i].len);
		put32(w, in->map[i].type);
		put32(w, 0);
	}
}

/** Walk every tag for @in; returns the total size. */
static size_t emit(const struct mb2_input *in, uint8_t *base)
{
	struct writer w = { base, 0 };
	const struct mb_request *req = in->req;

	put(&w, NULL, 8);	/* total_size, reserved: filled in below */

	tag(&w, MB2_IT_CMDLINE,
	    8 + (uint32_t)mb_file_cmdline_len(&req->files[0]) + 1);
	put_cmdline(&w, &req->files[0]);
	pad(&w);

	blob_tag(&w, MB2_IT_LOADER_NAME, in->loader_name,
		 (uint32_t)mb_strlen(in->loader_name) + 1);

	for (unsigned i = 1; i < req->nfiles; i++) {
		tag(&w, MB2_IT_MODULE,
		    16 + (uint32_t)mb_file_cmdline_len(&req->files[i]) + 1);
		put32(&w, in->mod_addr[i]);
		put32(&w, in->mod_addr[i] + in->mod_len[i]);
		put_cmdline(&w, &req->files[i]);
		pad(&w);
	}

	uint32_t lower = mb_contiguous_kib(in->map, in->nmap, 0);
	tag(&w, MB2_IT_BASIC_MEMINFO, 16);
	put32(&w, lower > 640 ? 640 : lower);
	put32(&w, mb_contiguous_kib(in->map, in->nmap, 0x100000));

	if (in->have_bootdev) {
		tag(&w, MB2_IT_BOOTDEV, 20);
		put32(&w, in->bootdev_biosdev);
		put32(&w, in->bootdev_partition);
		put32(&w, in->bootdev_sub_partition);
		pad(&w);
	}

	mmap_tag(&w, in);

	if (in->elf_shdrs) {
		uint32_t n = in->elf_shnum * in->elf_shentsize;
		tag(&w, MB2_IT_ELF_SECTIONS, 20 + n);
		put32(&w, in->elf_shnum);
		put32(&w, in->elf_shentsize);
		put32(&w, in->elf_shndx);
		put(&w, in->elf_shdrs, n);
		pad(&w);
	}

	if (in->apm) {
		const struct mb1_apm *a = in->apm;
		tag(&w, MB2_IT_APM, 28);
		put16(&w, a->version);
		put16(&w, a->cseg);
		put32(&w, a->offset);
		put16(&w, a->cseg_16);
		put16(&w, a->dseg);
		put16(&w, a->flags);
		put16(&w, a->cseg_len);
		put16(&w, a->cseg_16_len);
		put16(&w, a->dseg_len);
		pad(&w);
	}

	if (in->rsdp_v1)
		blob_tag(&w, MB2_IT_ACPI_OLD, in->rsdp_v1, 20);
	if (in->rsdp_v2)
		blob_tag(&w, MB2_IT_ACPI_NEW, in->rsdp_v2, in->rsdp_v2_len);
	if (in->dhcp_ack)
		blob_tag(&w, MB2_IT_NETWORK, in->dhcp_ack, in->dhcp_ack_len);

	if (in->have_load_base) {
		tag(&w, MB2_IT_LOAD_BASE, 12);
		put32(&w, in->load_base);
		pad(&w);
	}

	if (in->have_efi64) {
		tag(&w, MB2_IT_EFI64, 16);
		put64(&w, in->efi64_system_table);
		tag(&w, MB2_IT_EFI64_IH, 16);
		put64(&w, in->efi64_image_handle);
	}
	if (in->efi_bs_kept)
		tag(&w, MB2_IT_EFI_BS, 8);
	if (in->efi_mmap) {
		tag(&w, MB2_IT_EFI_MMAP, 16 + in->efi_mmap_len);
		put32(&w, in->efi_desc_size);
		put32(&w, in->efi_desc_version);
		put(&w, in->efi_mmap, in->efi_mmap_len);
		pad(&w);
	}

	tag(&w, MB2_IT_END, 8);

	if (base) {
		struct writer head = { base, 0 };
		put32(&head, (uint32_t)w.pos);
		put32(&head, 0);
	}
	return w.pos;
}

uint32_t mb2_info_types(const struct mb2_input *in)
{
	uint32_t m = MB2_INFO_BIT(MB2_IT_END) | MB2_INFO_BIT(MB2_IT_CMDLINE) |
		     MB2_INFO_BIT(MB2_IT_LOADER_NAME) |
		     MB2_INFO_BIT(MB2_IT_MODULE) |
		     MB2_INFO_BIT(MB2_IT_BASIC_MEMINFO) |
		     MB2_INFO_BIT(MB2_IT_MMAP);

	if (in->have_bootdev)
		m |= MB2_INFO_BIT(MB2_IT_BOOTDEV);
	if (in->elf_shdrs)
		m |= MB2_INFO_BIT(MB2_IT_ELF_SECTIONS);
	if (in->apm)
		m |= MB2_INFO_BIT(MB2_IT_APM);
	if (in->rsdp_v1)
		m |= MB2_INFO_BIT(MB2_IT_ACPI_OLD);
	if (in->rsdp_v2)
		m |= MB2_INFO_BIT(MB2_IT_ACPI_NEW);
	if (in->dhcp_ack)
		m |= MB2_INFO_BIT(MB2_IT_NETWORK);
	if (in->have_load_base)
		m |= MB2_INFO_BIT(MB2_IT_LOAD_BASE);
	if (in->have_efi64)
		m |= MB2_INFO_BIT(MB2_IT_EFI64) | MB2_INFO_BIT(MB2_IT_EFI64_IH);
	if (in->efi_bs_kept)
		m |= MB2_INFO_BIT(MB2_IT_EFI_BS);
	if (in->efi_mmap)
		m |= MB2_INFO_BIT(MB2_IT_EFI_MMAP);
	return m;
}

size_t mb2_info_size(const struct mb2_input *in)
{
	return emit(in, NULL) + (in->efi_mmap ? in->efi_mmap_room : 0);
}

size_t mb2_info_build(const struct mb2_input *in, void *buf, uint32_t addr)
{
	if (addr % MB2_TAG_ALIGN)
		return 0;
	return emit(in, buf);
}
