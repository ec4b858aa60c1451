/*
 * mb2header.c - finding and parsing the Multiboot2 header (specification
 * section 3.1), and refusing what a BIOS boot cannot honour (see mb2.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "format.h"
#include "mb2.h"
#include "util.h"

/* A valid header is only looked for this far, to say it is too far. */
#define MB2_LOOK_FURTHER (64u * 1024u)
#define MAGIC_FIELDS 16u

/** True if the 16 bytes at @p are the magic with a matching checksum. */
static bool magic_valid(const uint8_t *p)
{
	return mb_le32(p) == MB2_HEADER_MAGIC &&
	       (uint32_t)(mb_le32(p) + mb_le32(p + 4) + mb_le32(p + 8) +
			  mb_le32(p + 12)) == 0;
}

bool mb2_has_header(const uint8_t *buf, size_t len)
{
	size_t limit = len < MB2_SEARCH_LIMIT ? len : MB2_SEARCH_LIMIT;

	for (size_t off = 0; off + MAGIC_FIELDS <= limit;
	     off += MB2_HEADER_ALIGN)
		if (magic_valid(buf + off))
			return true;
	return false;
}

const char *mb2_info_type_name(uint32_t type)
{
	static const char *const names[MB2_IT__COUNT] = {
		[MB2_IT_END] = "end",
		[MB2_IT_CMDLINE] = "boot command line",
		[MB2_IT_LOADER_NAME] = "boot loader name",
		[MB2_IT_MODULE] = "modules",
		[MB2_IT_BASIC_MEMINFO] = "basic memory information",
		[MB2_IT_BOOTDEV] = "BIOS boot device",
		[MB2_IT_MMAP] = "memory map",
		[MB2_IT_VBE] = "VBE information",
		[MB2_IT_FRAMEBUFFER] = "framebuffer information",
		[MB2_IT_ELF_SECTIONS] = "ELF sections",
		[MB2_IT_APM] = "APM table",
		[MB2_IT_EFI32] = "EFI 32-bit system table",
		[MB2_IT_EFI64] = "EFI 64-bit system table",
		[MB2_IT_SMBIOS] = "SMBIOS tables",
		[MB2_IT_ACPI_OLD] = "ACPI old RSDP",
		[MB2_IT_ACPI_NEW] = "ACPI new RSDP",
		[MB2_IT_NETWORK] = "networking information (DHCP ACK)",
		[MB2_IT_EFI_MMAP] = "EFI memory map",
		[MB2_IT_EFI_BS] = "EFI boot services not terminated",
		[MB2_IT_EFI32_IH] = "EFI 32-bit image handle",
		[MB2_IT_EFI64_IH] = "EFI 64-bit image handle",
		[MB2_IT_LOAD_BASE] = "image load base physical address",
	};

	return type < MB2_IT__COUNT ? names[type] : "unknown";
}

/** Bytes a header tag of known @type needs, 0 for unknown types. */
static uint32_t tag_min_size(unsigned type)
{
	static const uint8_t min[MB2_HT__COUNT] = {
		[MB2_HT_END] = 8,
		[MB2_HT_INFO_REQUEST] = 8,
		[MB2_HT_ADDRESS] = 24,
		[MB2_HT_ENTRY] = 12,
		[MB2_HT_CONSOLE] = 12,
		[MB2_HT_FRAMEBUFFER] = 20,
		[MB2_HT_MODULE_ALIGN] = 8,
		[MB2_HT_EFI_BS] = 8,
		[MB2_HT_ENTRY_EFI32] = 12,
		[MB2_HT_ENTRY_EFI64] = 12,
		[MB2_HT_RELOCATABLE] = 24,
	};

	return type < MB2_HT__COUNT ? min[type] : 0;
}

/** Record the information request tag at @t (@size bytes) in @h. */
static int parse_info_request(const uint8_t *t, uint32_t size, bool optional,
			      const char *name, size_t pos,
			      struct mb2_header_info *h, struct mb_error *err)
{
	if ((size - 8) % 4)
		return mb_fail(err, MB_E_MB2_HEADER,
			       "%s: Multiboot2 information request tag at offset %zu has size %u, not 8 plus a multiple of 4",
			       name, pos, size);
	for (uint32_t i = 8; i < size; i += 4) {
		uint32_t type = mb_le32(t + i);
		if (type < 32) {
			if (optional)
				h->req_optional |= MB2_INFO_BIT(type);
			else
				h->req_required |= MB2_INFO_BIT(type);
		} else if (!optional && !h->have_req_big) {
			h->have_req_big = true;
			h->req_big = type;
		}
	}
	return MB_OK;
}

/** Record the fields of the tag of known @type at @t in @h. */
static void parse_fields(const uint8_t *t, unsigned type,
			 struct mb2_header_info *h)
{
	switch (type) {
	case MB2_HT_ADDRESS:
		h->header_addr = mb_le32(t + 8);
		h->load_addr = mb_le32(t + 12);
		h->load_end_addr = mb_le32(t + 16);
		h->bss_end_addr = mb_le32(t + 20);
		break;
	case MB2_HT_ENTRY:
		h->entry_addr = mb_le32(t + 8);
		break;
	case MB2_HT_CONSOLE:
		h->console_flags = mb_le32(t + 8);
		break;
	case MB2_HT_FRAMEBUFFER:
		h->fb_width = mb_le32(t + 8);
		h->fb_height = mb_le32(t + 12);
		h->fb_depth = mb_le32(t + 16);
		break;
	case MB2_HT_ENTRY_EFI32:
		h->efi32_entry = mb_le32(t + 8);
		break;
	case MB2_HT_ENTRY_EFI64:
		h->efi64_entry = mb_le32(t + 8);
		break;
	case MB2_HT_RELOCATABLE:
		h->reloc_min = mb_le32(t + 8);
		h->reloc_max = mb_le32(t + 12);
		h->reloc_align = mb_le32(t + 16);
		h->reloc_pref = mb_le32(t + 20);
		break;
	default:	/* no fields (6, 7) or handled elsewhere (1) */
		break;
	}
}

/** Walk the tags of the header at @off (@h->header_length bytes, inside
 * @buf) up to the end tag, filling @h. */
static int parse_tags(const uint8_t *buf, size_t off, const char *name,
		      struct mb2_header_info *h, struct mb_error *err)
{
	size_t end = off + h->header_length;
	size_t pos = off + MAGIC_FIELDS;

	for (;;) {
		if (end - pos < 8)
			return mb_fail(err, MB_E_MB2_HEADER,
				       "%s: Multiboot2 header at offset %zu (header_length %u) has no end tag: its tags run to offset %zu",
				       name, off, h->header_length, pos);
		const uint8_t *t = buf + pos;
		unsigned type = mb_le16(t);
		bool optional = mb_le16(t + 2) & MB2_HT_OPTIONAL;
		uint32_t size = mb_le32(t + 4);
		if (size < 8)
			return mb_fail(err, MB_E_MB2_HEADER,
				       "%s: Multiboot2 header tag type %u at offset %zu has size %u, below 8",
				       name, type, pos, size);
		if (size > end - pos)
			return mb_fail(err, MB_E_MB2_HEADER,
				       "%s: Multiboot2 header tag type %u at offset %zu (size %u) runs past the end of the header at offset %zu (header_length %u)",
				       name, type, pos, size, end,
				       h->header_length);
		if (type == MB2_HT_END)
			return MB_OK;

		uint32_t need = tag_min_size(type);
		if (!need) {
			if (!optional)
				return mb_fail(err, MB_E_MB2_UNSUPPORTED,
					       "%s: Multiboot2 header tag type %u at offset %zu is not marked optional, and mboot does not know that tag",
					       name, type, pos);
		} else if (size < need) {
			return mb_fail(err, MB_E_MB2_HEADER,
				       "%s: Multiboot2 header tag type %u at offset %zu has size %u, below the %u bytes its fields need",
				       name, type, pos, size, need);
		} else {
			h->tags_present |= 1u << type;
			if (!optional)
				h->tags_required |= 1u << type;
			if (type == MB2_HT_INFO_REQUEST) {
				int rc = parse_info_request(t, size, optional,
							    name, pos, h, err);
				if (rc)
					return rc;
			}
			parse_fields(t, type, h);
		}
		/* size <= end - pos, so this cannot wrap; padding reaching
		 * end leaves no room for the end tag. */
		uint32_t step = MB_ALIGN_UP(size, MB2_TAG_ALIGN);
		if (step >= end - pos)
			return mb_fail(err, MB_E_MB2_HEADER,
				       "%s: Multiboot2 header at offset %zu (header_length %u) has no end tag: its tags run to offset %zu",
				       name, off, h->header_length, end);
		pos += step;
	}
}

/** Check and parse the header whose magic fields at @off are valid. */
static int parse_header(const uint8_t *buf, size_t len, size_t off,
			const char *name, struct mb2_header_info *h,
			struct mb_error *err)
{
	mb_memset(h, 0, sizeof(*h));
	h->offset = (uint32_t)off;
	h->architecture = mb_le32(buf + off + 4);
	h->header_length = mb_le32(buf + off + 8);

	if (h->architecture == MB2_ARCH_MIPS32)
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "%s: Multiboot2 header at offset %zu is for 32-bit MIPS (architecture 4), not i386",
			       name, off);
	if (h->architecture != MB2_ARCH_I386)
		return mb_fail(err, MB_E_MB2_HEADER,
			       "%s: Multiboot2 header at offset %zu has unknown architecture %u (i386 is 0)",
			       name, off, h->architecture);
	if (h->header_length < MAGIC_FIELDS)
		return mb_fail(err, MB_E_MB2_HEADER,
			       "%s: Multiboot2 header at offset %zu has header_length %u, below the 16 bytes of its magic fields",
			       name, off, h->header_length);
	if (h->header_length > len - off)
		return mb_fail(err, MB_E_MB2_HEADER,
			       "%s: Multiboot2 header at offset %zu (header_length %u) is cut off by the end of the file (%zu bytes)",
			       name, off, h->header_length, len);
	if (h->header_length > MB2_SEARCH_LIMIT - off)
		return mb_fail(err, MB_E_HEADER_TOO_FAR,
			       "%s: Multiboot2 header at offset %zu (header_length %u) ends past the first %u bytes",
			       name, off, h->header_length, MB2_SEARCH_LIMIT);
	return parse_tags(buf, off, name, h, err);
}

int mb2_find_header(const uint8_t *buf, size_t len, const char *name,
		    struct mb2_header_info *h, struct mb_error *err)
{
	size_t limit = len < MB2_SEARCH_LIMIT ? len : MB2_SEARCH_LIMIT;
	long bad_checksum_at = -1;

	for (size_t off = 0; off + MAGIC_FIELDS <= limit;
	     off += MB2_HEADER_ALIGN) {
		if (mb_le32(buf + off) != MB2_HEADER_MAGIC)
			continue;
		if (magic_valid(buf + off))
			return parse_header(buf, len, off, name, h, err);
		if (bad_checksum_at < 0)
			bad_checksum_at = (long)off;
	}

	if (bad_checksum_at >= 0) {
		const uint8_t *p = buf + bad_checksum_at;
		return mb_fail(err, MB_E_HEADER_CHECKSUM,
			       "%s: Multiboot2 header at offset %ld has a bad checksum (magic 0x%08x + architecture 0x%08x + header_length 0x%08x + checksum 0x%08x != 0)",
			       name, bad_checksum_at, mb_le32(p), mb_le32(p + 4),
			       mb_le32(p + 8), mb_le32(p + 12));
	}
	/* Resume after the last offset searched above: a header starting at
	 * 32760 straddles the limit and is too far as well. */
	for (size_t off = MB2_SEARCH_LIMIT - MAGIC_FIELDS + MB2_HEADER_ALIGN;
	     off + MAGIC_FIELDS <= len && off < MB2_LOOK_FURTHER;
	     off += MB2_HEADER_ALIGN)
		if (magic_valid(buf + off))
			return mb_fail(err, MB_E_HEADER_TOO_FAR,
				       "%s: Multiboot2 header found at offset %zu, but it must lie within the first %u bytes",
				       name, off, MB2_SEARCH_LIMIT);
	return mb_fail(err, MB_E_NO_HEADER,
		       "%s: no Multiboot2 header in the first %u bytes",
		       name, MB2_SEARCH_LIMIT);
}

/** "WxHxD" of the framebuffer tag, "any" for 0 fields, into @buf. */
static const char *fb_mode(const struct mb2_header_info *h, char *buf,
			   size_t cap)
{
	const uint32_t v[3] = { h->fb_width, h->fb_height, h->fb_depth };
	size_t n = 0;

	for (unsigned i = 0; i < 3; i++) {
		if (i)
			n += mb_snprintf(buf + n, cap - n, "x");
		if (v[i])
			n += mb_snprintf(buf + n, cap - n, "%u", v[i]);
		else
			n += mb_snprintf(buf + n, cap - n, "any");
	}
	return buf;
}

int mb2_check_bios(const struct mb2_header_info *h, const char *name,
		   uint32_t can_give, struct mb_error *err)
{
	static const char *const efi_what[] = {
		"EFI boot services", "EFI i386 entry point",
		"EFI amd64 entry point",
	};

	for (unsigned t = MB2_HT_EFI_BS; t <= MB2_HT_ENTRY_EFI64; t++)
		if (mb2_tag_required(h, t))
			return mb_fail(err, MB_E_MB2_UNSUPPORTED,
				       "%s: Multiboot2 header tag %u (%s) is not marked optional: the kernel requires EFI boot services, which a BIOS PXELINUX boot cannot provide",
				       name, t, efi_what[t - MB2_HT_EFI_BS]);
	return mb2_check_requests(h, name, can_give, "BIOS", err);
}

int mb2_check_requests(const struct mb2_header_info *h, const char *name,
		       uint32_t can_give, const char *boot,
		       struct mb_error *err)
{
	if (mb2_tag_required(h, MB2_HT_FRAMEBUFFER)) {
		char mode[48];
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "%s: the Multiboot2 header requires a framebuffer video mode %s (header tag 5, not marked optional); mboot cannot set a video mode yet",
			       name, fb_mode(h, mode, sizeof(mode)));
	}
	if (mb2_tag_required(h, MB2_HT_CONSOLE) &&
	    (h->console_flags & MB2_CONSOLE_REQUIRED) &&
	    !(can_give & MB2_INFO_BIT(MB2_IT_FRAMEBUFFER)))
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "%s: the Multiboot2 header requires a console described in the boot information (console flags 0x%x, header tag 4, not marked optional), but mboot gives no framebuffer information (type 8)",
			       name, h->console_flags);

	uint32_t missing = h->req_required & ~(can_give | MB2_INFO_BIT(0));
	if (missing) {
		unsigned t = 0;
		while (!(missing & MB2_INFO_BIT(t)))
			t++;
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "%s: the Multiboot2 header requests boot information type %u (%s) without marking the request optional, and mboot cannot provide it on this %s boot",
			       name, t, mb2_info_type_name(t), boot);
	}
	if (h->have_req_big)
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "%s: the Multiboot2 header requests boot information type %u (unknown) without marking the request optional",
			       name, h->req_big);
	return MB_OK;
}
