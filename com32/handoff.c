/*
 * handoff.c - moving everything into place and entering the kernel.
 *
 * SYSLINUX's shuffler does the copies once PXELINUX no longer needs its
 * memory and enters 32-bit protected mode with flat CS, DS, ES and SS but
 * null FS and GS.  The Multiboot spec wants every data segment register
 * flat, so the shuffler jumps to our stub, which loads FS and GS from DS
 * and then jumps to the kernel:
 *
 *     mov ecx, ds ; mov fs, ecx ; mov gs, ecx ; mov ecx, ENTRY ; jmp ecx
 *
 * ECX is undefined at Multiboot entry, so using it costs nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <syslinux/bootpm.h>
#include <syslinux/movebits.h>
#include "handoff.h"

/** Write the stub that flattens FS/GS and jumps to @entry into @code. */
static void build_stub(uint8_t *code, uint32_t entry)
{
	static const uint8_t head[] = {
		0x8c, 0xd9,		/* mov ecx, ds */
		0x8e, 0xe1,		/* mov fs, ecx */
		0x8e, 0xe9,		/* mov gs, ecx */
		0xb9,			/* mov ecx, imm32 */
	};
	memset(code, 0x90, HANDOFF_STUB_SIZE);
	memcpy(code, head, sizeof(head));
	memcpy(code + sizeof(head), &entry, 4);
	code[sizeof(head) + 4] = 0xff;	/* jmp ecx */
	code[sizeof(head) + 5] = 0xe1;
}

int handoff_boot(const struct mb_image *img, const uint8_t *kernel,
		 const struct handoff_piece *pieces, unsigned npieces,
		 uint32_t stub_addr, uint32_t magic, uint32_t info_addr,
		 struct mb_error *err)
{
	static uint8_t stub[HANDOFF_STUB_SIZE];
	struct syslinux_movelist *ml = NULL;
	struct syslinux_memmap *mmap = syslinux_memory_map();
	struct syslinux_pm_regs regs;

	if (!mmap)
		return mb_fail(err, MB_E_BOOT,
			       "cannot read PXELINUX's memory map for the hand-off");

	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct mb_segment *s = &img->segs[i];
		if (s->filesz &&
		    syslinux_add_movelist(&ml, s->addr,
					  (addr_t)(kernel + s->file_off),
					  s->filesz))
			goto nomem;
		if (s->memsz > s->filesz &&
		    syslinux_add_memmap(&mmap, s->addr + s->filesz,
					s->memsz - s->filesz, SMT_ZERO))
			goto nomem;
	}
	for (unsigned i = 0; i < npieces; i++)
		if (pieces[i].len &&
		    syslinux_add_movelist(&ml, pieces[i].dest,
					  (addr_t)pieces[i].src, pieces[i].len))
			goto nomem;

	build_stub(stub, img->entry);
	if (syslinux_add_movelist(&ml, stub_addr, (addr_t)stub, sizeof(stub)))
		goto nomem;

	memset(&regs, 0, sizeof(regs));
	regs.eax = magic;
	regs.ebx = info_addr;
	regs.esp = stub_addr + HANDOFF_AREA_SIZE;	/* a stack, though the
							 * spec promises none */
	regs.eip = stub_addr;
	syslinux_shuffle_boot_pm(ml, mmap, 0, &regs);
	/* Only returns if the shuffle could not be arranged. */
	return mb_fail(err, MB_E_BOOT,
		       "SYSLINUX could not arrange the final memory moves (destinations overlap memory it needs)");
nomem:
	return mb_fail(err, MB_E_NO_MEMORY,
		       "out of loader memory while listing the final moves");
}
