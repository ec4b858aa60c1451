/*
 * mbi1.c - building the Multiboot 1 information structure (see mbi1.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "mbi1.h"
#include "solaris.h"
#include "util.h"

size_t mb1_info_size(const struct mb1_input *in)
{
	size_t n = sizeof(struct mb1_info);

	n += in->nmap * sizeof(struct mb1_mmap_entry);
	n += (in->req->nfiles - 1) * sizeof(struct mb1_module);
	for (unsigned i = 0; i < in->req->nfiles; i++)
		n += mb_file_cmdline_len(&in->req->files[i]) + 1;
	n += mb_strlen(in->loader_name) + 1;
	if (in->apm)
		n = MB_ALIGN_UP(n, (size_t)4) + sizeof(struct mb1_apm);
	if (in->solaris_dhcp)
		n = MB_ALIGN_UP(n, (size_t)4) + in->solaris_dhcp_len;
	return n;
}

uint32_t mb_contiguous_kib(const struct mb_e820 *map, unsigned n,
			   uint64_t from)
{
	uint64_t end = from;
	int grew = 1;

	/* Extend [from, end) while some usable entry starts inside it.  The
	 * map is small and unsorted, so repeat until nothing changes. */
	while (grew) {
		grew = 0;
		for (unsigned i = 0; i < n; i++) {
			const struct mb_e820 *e = &map[i];
			/* Saturate: a hostile length must not wrap to 0. */
			uint64_t e_end = e->len > ~0ull - e->base ?
					 ~0ull : e->base + e->len;
			if (e->type == MB_E820_RAM && e->base <= end &&
			    e_end > end) {
				end = e_end;
				grew = 1;
			}
		}
	}
	if (end > 0x100000000ull)
		end = 0x100000000ull;
	return end > from ? (uint32_t)((end - from) >> 10) : 0;
}

size_t mb1_info_build(const struct mb1_input *in, void *buf, uint32_t addr)
{
	uint8_t *base = buf, *p = base;
	const struct mb_request *req = in->req;
	struct mb1_info *info = (struct mb1_info *)p;
	unsigned nmods = req->nfiles - 1;

	mb_memset(info, 0, sizeof(*info));
	p += sizeof(*info);

	info->flags = MB1_IF_MEMORY | MB1_IF_CMDLINE | MB1_IF_MODS |
		      MB1_IF_MMAP | MB1_IF_LOADER_NAME;
	info->mem_lower = mb_contiguous_kib(in->map, in->nmap, 0);
	if (info->mem_lower > 640)
		info->mem_lower = 640;
	info->mem_upper = mb_contiguous_kib(in->map, in->nmap, 0x100000);

	/* Memory map: every firmware entry, in firmware order, as it came. */
	info->mmap_addr = addr + (uint32_t)(p - base);
	for (unsigned i = 0; i < in->nmap; i++) {
		struct mb1_mmap_entry e = {
			.size = sizeof(struct mb1_mmap_entry) - 4,
			.base_addr = in->map[i].base,
			.length = in->map[i].len,
			.type = in->map[i].type,
		};
		mb_memcpy(p, &e, sizeof(e));
		p += sizeof(e);
	}
	info->mmap_length = in->nmap * sizeof(struct mb1_mmap_entry);

	struct mb1_module *mods = (struct mb1_module *)p;
	info->mods_count = nmods;
	info->mods_addr = addr + (uint32_t)(p - base);
	p += nmods * sizeof(*mods);

	char *s = (char *)p;
	info->cmdline = addr + (uint32_t)((uint8_t *)s - base);
	mb_file_cmdline(&req->files[0], s);
	s += mb_strlen(s) + 1;
	for (unsigned i = 0; i < nmods; i++) {
		struct mb1_module m = {
			.mod_start = in->mod_addr[i + 1],
			.mod_end = in->mod_addr[i + 1] + in->mod_len[i + 1],
			.string = addr + (uint32_t)((uint8_t *)s - base),
			.reserved = 0,
		};
		mb_memcpy(&mods[i], &m, sizeof(m));
		mb_file_cmdline(&req->files[i + 1], s);
		s += mb_strlen(s) + 1;
	}
	info->boot_loader_name = addr + (uint32_t)((uint8_t *)s - base);
	size_t ln = mb_strlen(in->loader_name) + 1;
	mb_memcpy(s, in->loader_name, ln);
	s += ln;
	if (in->apm) {
		size_t off = MB_ALIGN_UP((size_t)((uint8_t *)s - base), (size_t)4);
		mb_memset(s, 0, off - (size_t)((uint8_t *)s - base));
		mb_memcpy(base + off, in->apm, sizeof(*in->apm));
		info->apm_table = addr + (uint32_t)off;
		info->flags |= MB1_IF_APM;
		s = (char *)base + off + sizeof(*in->apm);
	}
	if (in->solaris_dhcp) {
		/* The stock module's layout: drives fields hold the ACK, flag
		 * 7 stays clear (they are not a drive list), flag 1 set. */
		size_t off = MB_ALIGN_UP((size_t)((uint8_t *)s - base), (size_t)4);
		mb_memset(s, 0, off - (size_t)((uint8_t *)s - base));
		mb_memcpy(base + off, in->solaris_dhcp, in->solaris_dhcp_len);
		info->drives_addr = addr + (uint32_t)off;
		info->drives_length = in->solaris_dhcp_len;
		info->boot_device = MB_SOLARIS_BOOT_DEVICE;
		info->flags = (info->flags & ~MB1_IF_DRIVES) | MB1_IF_BOOTDEV;
		s = (char *)base + off + in->solaris_dhcp_len;
	}
	return (size_t)((uint8_t *)s - base);
}
