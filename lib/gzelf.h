/*
 * gzelf.h - which gzip modules are decompressed without -gunzip.
 *
 * SYSLINUX's stock mboot.c32 decompresses every gzip module, so a line
 * like "tboot.gz ... --- xen.gz ... --- vmlinuz --- initrd.gz" boots
 * there: tboot reads its first module as an ELF image and cannot
 * decompress it.  Ours passes modules byte-exact (Xen and Linux
 * decompress their own initrd, and a dom0 initrd must stay the file on
 * the server), except for this one rule: a module whose name ends in
 * ".gz" and whose contents are a gzip-compressed ELF file (a kernel: Xen,
 * a Linux vmlinux) is decompressed, as -gunzip would.  Any other gzip
 * module - an initrd, a cpio - is passed as it is; -nogunzip keeps even
 * an ELF one compressed.
 *
 * Only names ending in ".gz" are looked into: deciding costs a first read
 * of the file before the plan (com32/autogunzip.c), and a plain module is
 * otherwise never read before its final place is known.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_GZELF_H
#define MBOOT_GZELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** True if the file name @name ends in ".gz" (any case). */
bool mb_gz_name(const char *name);

/**
 * True if @buf (the first @len bytes of a file, at least the gzip header
 * and the first compressed block) is gzip whose decompressed contents
 * start with an ELF identification (7f 'E' 'L' 'F').
 */
bool mb_gz_holds_elf(const uint8_t *buf, size_t len);

#endif
