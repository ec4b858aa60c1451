/*
 * com32.h - host stand-in for SYSLINUX's <com32.h>: what com32/fetch_ipxe.c
 * and com32/main.c use (see README).  A real-mode far pointer cannot hold
 * a host address, so FAR_PTR() hands out a small number that GET_PTR()
 * (the simulated firmware, ipxe_sim.h) turns back into the address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_HOST_STUB_COM32_H
#define MBOOT_HOST_STUB_COM32_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t ptr;
} far_ptr_t;

/** A far pointer standing for host address @p (ipxe_sim.h). */
far_ptr_t FAR_PTR(void *p);
/** The host address a far pointer stands for; NULL if none. */
void *GET_PTR(far_ptr_t fp);
/** Low memory: here ordinary heap, zeroed. */
void *lzalloc(size_t n);
void lfree(void *p);
/** The module's command line (unused by the tests: NULL). */
const char *com32_cmdline(void);

#endif
