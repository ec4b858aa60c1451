/*
 * elfsec.c - section headers for the ELF-sections tag (see elfsec.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "elfsec.h"
#include "util.h"

#define SHT_NULL	0
#define SHT_NOBITS	8
#define SHF_ALLOC	0x2

/** One section header, widened to 64 bits whatever the class. */
struct shdr {
	uint32_t type;
	uint64_t flags, addr, offset, size;
};

/** Read section header @p of a file of class @elf64. */
static void read_shdr(const uint8_t *p, int elf64, struct shdr *sh)
{
	sh->type = mb_le32(p + 4);
	if (elf64) {
		sh->flags = mb_le64(p + 8);
		sh->addr = mb_le64(p + 16);
		sh->offset = mb_le64(p + 24);
		sh->size = mb_le64(p + 32);
	} else {
		sh->flags = mb_le32(p + 8);
		sh->addr = mb_le32(p + 12);
		sh->offset = mb_le32(p + 16);
		sh->size = mb_le32(p + 20);
	}
}

/** True for a section the loader must copy: data the image does not load. */
static int needs_copy(const struct shdr *sh)
{
	return sh->type != SHT_NULL && sh->type != SHT_NOBITS &&
	       !(sh->flags & SHF_ALLOC) && sh->size;
}

int mb_elf_sections_find(const uint8_t *buf, size_t len,
			 struct mb_elf_sections *s)
{
	if (len < 64 || buf[0] != 0x7f || buf[1] != 'E' || buf[2] != 'L' ||
	    buf[3] != 'F' || (buf[4] != 1 && buf[4] != 2))
		return -1;
	s->elf64 = buf[4] == 2;
	uint64_t shoff = s->elf64 ? mb_le64(buf + 40) : mb_le32(buf + 32);
	s->shentsize = mb_le16(buf + (s->elf64 ? 58 : 46));
	s->shnum = mb_le16(buf + (s->elf64 ? 60 : 48));
	s->shndx = mb_le16(buf + (s->elf64 ? 62 : 50));
	if (!s->shnum || s->shentsize < (s->elf64 ? 64u : 40u) ||
	    shoff >= len || (uint64_t)s->shnum * s->shentsize > len - shoff ||
	    s->shndx >= s->shnum)
		return -1;
	s->shoff = (uint32_t)shoff;

	uint64_t size = (uint64_t)s->shnum * s->shentsize;
	for (uint32_t i = 0; i < s->shnum; i++) {
		struct shdr sh;
		read_shdr(buf + s->shoff + i * s->shentsize, s->elf64, &sh);
		if (!needs_copy(&sh))
			continue;
		if (sh.offset > len || sh.size > len - sh.offset)
			return -1;
		size = MB_ALIGN_UP(size, (uint64_t)8) + sh.size;
	}
	if (size > 0x10000000u)	/* 256 MiB of symbols: not plausible */
		return -1;
	s->size = (uint32_t)size;
	return 0;
}

const void *mb_elf_sections_place(const uint8_t *buf,
				  const struct mb_elf_sections *s,
				  uint8_t *area, uint32_t addr)
{
	uint32_t pos = s->shnum * s->shentsize;

	mb_memcpy(area, buf + s->shoff, pos);
	for (uint32_t i = 0; i < s->shnum; i++) {
		uint8_t *h = area + i * s->shentsize;
		struct shdr sh;
		read_shdr(h, s->elf64, &sh);
		if (!needs_copy(&sh))
			continue;
		pos = MB_ALIGN_UP(pos, 8u);
		mb_memcpy(area + pos, buf + sh.offset, (size_t)sh.size);
		uint32_t a = addr + pos;
		if (s->elf64) {
			uint8_t v[8] = { a, a >> 8, a >> 16, a >> 24, 0, 0, 0, 0 };
			mb_memcpy(h + 16, v, 8);
		} else {
			uint8_t v[4] = { a, a >> 8, a >> 16, a >> 24 };
			mb_memcpy(h + 12, v, 4);
		}
		pos += (uint32_t)sh.size;
	}
	return area;
}
