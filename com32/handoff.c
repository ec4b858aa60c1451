/*
 * handoff.c - moving the kernel into place and entering it.
 *
 * Modules and the information structure are already at their final
 * addresses when we get here (read straight into place).  What remains is
 * the kernel itself: its segments go to fixed addresses that PXELINUX,
 * ldlinux.c32 and this module may still occupy, so the copies can only run
 * once nothing of PXELINUX is needed any more.  That is the trampoline's
 * job (asm/trampoline.asm): it is copied into memory the plan reserved for
 * it, away from every destination, and runs there after PXELINUX's last
 * service call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <syslinux/boot.h>
#include "handoff.h"

/* From asm/trampoline.asm. */
extern const uint8_t tramp_start[];
extern const uint32_t tramp_params_offset;	/* = the code's size */

/** The trampoline's entry: EAX = its own address (regparm(3)). */
typedef void __attribute__((regparm(3))) tramp_fn(uint32_t base);

/** The parameter block the trampoline reads after its code. */
struct tramp_params {
	uint32_t magic, info, entry, ncopies;
	struct handoff_copy copies[];
};

size_t handoff_area_size(unsigned ncopies)
{
	return tramp_params_offset + sizeof(struct tramp_params) +
	       ncopies * sizeof(struct handoff_copy);
}

unsigned handoff_kernel_copies(const struct mb_image *img,
			       const uint8_t *image,
			       struct handoff_copy *copies)
{
	unsigned n = 0;

	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct mb_segment *s = &img->segs[i];
		if (s->filesz)
			copies[n++] = (struct handoff_copy){
				s->addr, (uint32_t)(image + s->file_off),
				s->filesz };
		if (s->memsz > s->filesz)
			copies[n++] = (struct handoff_copy){
				s->addr + s->filesz, HANDOFF_ZERO,
				s->memsz - s->filesz };
	}
	return n;
}

void handoff_boot(void *area, uint32_t magic, uint32_t info, uint32_t entry,
		  const struct handoff_copy *copies, unsigned ncopies)
{
	struct tramp_params *p =
		(struct tramp_params *)((uint8_t *)area + tramp_params_offset);
	tramp_fn *tramp = (tramp_fn *)area;

	memcpy(area, tramp_start, tramp_params_offset);
	p->magic = magic;
	p->info = info;
	p->entry = entry;
	p->ncopies = ncopies;
	memcpy(p->copies, copies, ncopies * sizeof(*copies));

	/* PXELINUX's last service: unload the PXE stack, reset the
	 * hardware it touched.  Nothing of it may be called after this. */
	syslinux_final_cleanup(0);
	asm volatile("cli" ::: "memory");
	tramp((uint32_t)area);
	__builtin_unreachable();
}
