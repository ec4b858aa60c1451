/*
 * elf.c - kernel segments from ELF32 and ELF64 program headers.
 *
 * Only PT_LOAD entries matter.  Each is loaded at its physical address
 * (p_paddr): Multiboot kernels run with paging off.  The entry point is
 * read in one of two conventions: a virtual address (inside a segment's
 * p_vaddr range: translated to that segment's physical address, as GRUB
 * and the stock module do), or - for kernels linked higher-half whose
 * e_entry is already physical - an address inside a segment's physical
 * range and no virtual one, used as it is.  ELF64 files are
 * accepted when every segment and the entry point lie below 4 GiB (Xen).
 * Every field is treated as hostile: offsets and sizes are checked against
 * the file and against 32-bit wrap-around before they are used.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "image.h"
#include "util.h"

#define EI_CLASS	4
#define EI_DATA		5
#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_386		3
#define EM_X86_64	62
#define PT_LOAD		1

int mb_is_elf(const uint8_t *buf, size_t len)
{
	return len >= 16 && buf[0] == 0x7f && buf[1] == 'E' && buf[2] == 'L' &&
	       buf[3] == 'F';
}

/** A program header, widened to 64 bits whatever the class. */
struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/** Read program header @i of a file of class @cls from @p. */
static void read_phdr(const uint8_t *p, int cls, struct phdr *ph)
{
	if (cls == ELFCLASS32) {
		ph->type = mb_le32(p);
		ph->offset = mb_le32(p + 4);
		ph->vaddr = mb_le32(p + 8);
		ph->paddr = mb_le32(p + 12);
		ph->filesz = mb_le32(p + 16);
		ph->memsz = mb_le32(p + 20);
	} else {
		ph->type = mb_le32(p);
		ph->offset = mb_le64(p + 8);
		ph->vaddr = mb_le64(p + 16);
		ph->paddr = mb_le64(p + 24);
		ph->filesz = mb_le64(p + 32);
		ph->memsz = mb_le64(p + 40);
	}
}

int mb_elf_segments(const uint8_t *buf, size_t len, const char *name,
		    struct mb_image *img, struct mb_error *err)
{
	if (!mb_is_elf(buf, len))
		return mb_fail(err, MB_E_NOT_ELF,
			       "%s: not an ELF file and header flag 16 (a.out kludge) is not set",
			       name);

	int cls = buf[EI_CLASS];
	size_t ehsize = cls == ELFCLASS32 ? 52 : 64;
	if (cls != ELFCLASS32 && cls != ELFCLASS64)
		return mb_fail(err, MB_E_ELF_HEADER, "%s: unknown ELF class %u",
			       name, cls);
	if (buf[EI_DATA] != ELFDATA2LSB)
		return mb_fail(err, MB_E_ELF_HEADER,
			       "%s: ELF file is not little-endian", name);
	if (len < ehsize)
		return mb_fail(err, MB_E_ELF_HEADER,
			       "%s: ELF header cut off (file is %zu bytes)", name,
			       len);

	uint16_t type = mb_le16(buf + 16), machine = mb_le16(buf + 18);
	uint64_t entry, phoff;
	uint16_t phentsize, phnum;
	if (cls == ELFCLASS32) {
		entry = mb_le32(buf + 24);
		phoff = mb_le32(buf + 28);
		phentsize = mb_le16(buf + 42);
		phnum = mb_le16(buf + 44);
	} else {
		entry = mb_le64(buf + 24);
		phoff = mb_le64(buf + 32);
		phentsize = mb_le16(buf + 54);
		phnum = mb_le16(buf + 56);
	}
	if (type != ET_EXEC)
		return mb_fail(err, MB_E_ELF_HEADER,
			       "%s: ELF type %u is not an executable (ET_EXEC)",
			       name, type);
	if (machine != (cls == ELFCLASS32 ? EM_386 : EM_X86_64))
		return mb_fail(err, MB_E_ELF_HEADER,
			       "%s: ELF%u machine %u is not %s", name,
			       cls == ELFCLASS32 ? 32 : 64, machine,
			       cls == ELFCLASS32 ? "i386" : "x86-64");
	size_t want_phentsize = cls == ELFCLASS32 ? 32 : 56;
	if (phentsize < want_phentsize)
		return mb_fail(err, MB_E_ELF_HEADER,
			       "%s: ELF program header size %u is below %zu",
			       name, phentsize, want_phentsize);
	if (phnum == 0 || phoff >= len ||
	    (uint64_t)phnum * phentsize > len - phoff)
		return mb_fail(err, MB_E_ELF_PHDRS,
			       "%s: ELF program header table (%u entries of %u bytes at offset %llu) is not inside the file (%zu bytes)",
			       name, phnum, phentsize,
			       (unsigned long long)phoff, len);

	img->format = cls == ELFCLASS32 ? MB_FMT_ELF32 : MB_FMT_ELF64;
	img->nsegs = 0;
	int have_entry = 0, entry_phys = 0;
	for (unsigned i = 0; i < phnum; i++) {
		struct phdr ph;
		read_phdr(buf + phoff + (size_t)i * phentsize, cls, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.filesz > ph.memsz)
			return mb_fail(err, MB_E_ELF_HEADER,
				       "%s: segment %u has file size 0x%llx above its memory size 0x%llx",
				       name, i, (unsigned long long)ph.filesz,
				       (unsigned long long)ph.memsz);
		if (ph.offset > len || ph.filesz > len - ph.offset)
			return mb_fail(err, MB_E_SEGMENT_FILE,
				       "%s: segment %u (offset %llu, %llu bytes) runs past the end of the file (%zu bytes)",
				       name, i, (unsigned long long)ph.offset,
				       (unsigned long long)ph.filesz, len);
		/* memsz must also fit the 32-bit mb_segment: 4 GiB at 0 would
		 * end "below 4 GiB" yet truncate to an empty segment. */
		if (ph.paddr >= 0x100000000ull || ph.memsz > 0xffffffffull ||
		    ph.memsz > 0x100000000ull - ph.paddr)
			return mb_fail(err, MB_E_SEGMENT_RANGE,
				       "%s: segment %u at 0x%llx-0x%llx does not lie below 4 GiB",
				       name, i, (unsigned long long)ph.paddr,
				       (unsigned long long)(ph.paddr + ph.memsz));
		if (img->nsegs == MB_MAX_SEGMENTS)
			return mb_fail(err, MB_E_ELF_HEADER,
				       "%s: more than %u loadable segments", name,
				       MB_MAX_SEGMENTS);
		/* The entry is a virtual address: translate it through the
		 * segment that contains it (physical == virtual for most). */
		if (!have_entry && entry >= ph.vaddr &&
		    entry - ph.vaddr < ph.memsz) {
			img->entry = (uint32_t)(entry - ph.vaddr + ph.paddr);
			have_entry = 1;
		}
		/* Higher-half kernels (p_vaddr = p_paddr + offset) may give
		 * a physical e_entry; it counts only if no segment's virtual
		 * range holds it (checked after the loop), so the virtual
		 * reading always wins where both are possible. */
		if (entry >= ph.paddr && entry - ph.paddr < ph.memsz)
			entry_phys = 1;
		struct mb_segment *s = &img->segs[img->nsegs++];
		s->addr = (uint32_t)ph.paddr;
		s->file_off = (uint32_t)ph.offset;
		s->filesz = (uint32_t)ph.filesz;
		s->memsz = (uint32_t)ph.memsz;
	}
	if (!img->nsegs)
		return mb_fail(err, MB_E_NO_SEGMENTS,
			       "%s: ELF file has no loadable segment", name);
	if (!have_entry && entry_phys) {
		img->entry = (uint32_t)entry;	/* < paddr + memsz <= 4 GiB */
		have_entry = 1;
	}
	if (!have_entry)
		return mb_fail(err, MB_E_ENTRY,
			       "%s: entry point 0x%llx is outside every loadable segment",
			       name, (unsigned long long)entry);
	return MB_OK;
}
