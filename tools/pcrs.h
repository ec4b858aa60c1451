/*
 * pcrs.h - mboot-check --pcrs: the PCR 8 and 9 values (SHA-256 bank) a
 * measured boot of the entry gives, computed from the files, the way
 * mboot.c32 measures them (lib/tcg.h, com32/measure.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PCRS_H
#define MBOOT_PCRS_H

#include <stdbool.h>
#include "../lib/cmdline.h"
#include "pxename.h"

/**
 * Print every measurement of @req (file i read from @where[i].path, when
 * @readable[i]) and the expected PCR 8 and 9, starting from all zeros.
 * Returns true, or false (with a diag error naming the file) when a file
 * cannot be read: nothing is then predicted.
 */
bool pcr_predict(const struct mb_request *req,
		 const struct pxe_resolved *where, const bool *readable);

#endif
