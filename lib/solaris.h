/*
 * solaris.h - the stock module's "Solaris DHCP hack" (-solaris).
 *
 * Solaris and illumos kernels booted from the network read the DHCP ACK
 * from the Multiboot 1 information's drives fields: drives_addr points at
 * the packet, drives_length is its length, boot_device is 0x20ffffff and
 * flag 1 (boot device) is set while flag 7 (drives) is clear.  SYSLINUX
 * 6.04's mboot.c32 (com32/mboot/solaris.c) does this with -solaris, and on
 * its own for an ELF32 kernel whose OS ABI byte (e_ident[7]) is 6
 * (ELFOSABI_SOLARIS).  Ours does the same, for Multiboot 1 only (under
 * Multiboot 2 the ACK is tag 16, always given); -nosolaris turns the
 * automatic case off.  Stock only does it under PXELINUX, as ours: off the
 * network there is no ACK to give.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_SOLARIS_H
#define MBOOT_SOLARIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* boot_device the stock module gives with the ACK. */
#define MB_SOLARIS_BOOT_DEVICE 0x20ffffffu

/**
 * True when the DHCP ACK goes into the drives fields: -solaris, or
 * neither -solaris nor -nosolaris and @kernel (@len bytes, decompressed)
 * is an ELF32 file whose OS ABI byte is 6.  @opts are the MB_OPT_* bits.
 */
bool mb_solaris_wanted(unsigned opts, const uint8_t *kernel, size_t len);

#endif
