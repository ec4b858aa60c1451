/*
 * ipacheck.h - the checker's view of IPAPPEND/SYSAPPEND: where mboot.c32
 * will put the strings PXELINUX appends (lib/ipappend.h), judged from the
 * files as the kernel will get them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_IPACHECK_H
#define MBOOT_CHECK_IPACHECK_H

#include "../lib/cmdline.h"
#include "lint.h"

/**
 * Report (through diag) where the strings of IPAPPEND/SYSAPPEND @bits go
 * for @req: a note naming the part (the first Linux kernel among the
 * modules, the Multiboot kernel, or the part -ipappend= names), or a
 * warning when -ipappend=keep leaves them on the last file.  @files are
 * the files as read (lint_file: head bytes, gzip or not); a file that
 * could not be read counts as no Linux kernel, and the note says its
 * judgement may change.  Nothing is reported when @bits is 0.
 */
void ipacheck_report(const struct mb_request *req, unsigned bits,
		     const struct lint_file *files);

#endif
