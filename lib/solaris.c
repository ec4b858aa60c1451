/*
 * solaris.c - when the stock module's Solaris DHCP hack applies (solaris.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cmdline.h"
#include "solaris.h"

#define EI_CLASS	4
#define EI_OSABI	7
#define ELFCLASS32	1
#define ELFOSABI_SOLARIS 6

bool mb_solaris_wanted(unsigned opts, const uint8_t *kernel, size_t len)
{
	if (opts & MB_OPT_NOSOLARIS)
		return false;
	if (opts & MB_OPT_SOLARIS)
		return true;
	/* Stock looks only at an ELF32 header (its ELF64 path never does). */
	return len >= 16 && kernel[0] == 0x7f && kernel[1] == 'E' &&
	       kernel[2] == 'L' && kernel[3] == 'F' &&
	       kernel[EI_CLASS] == ELFCLASS32 &&
	       kernel[EI_OSABI] == ELFOSABI_SOLARIS;
}
