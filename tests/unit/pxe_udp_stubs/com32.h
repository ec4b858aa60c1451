/*
 * com32.h - host stand-in for SYSLINUX's <com32.h>, as much as
 * com32/pxe_udp.c uses (tests/unit/test_pxe_udp.c simulates the calls).
 * A far pointer here holds the host address itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_PXE_UDP_STUB_COM32_H
#define MBOOT_PXE_UDP_STUB_COM32_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	void *p;
} far_ptr_t;

#define FAR_PTR(x) ((far_ptr_t){ (x) })

/** Low memory: here ordinary heap, zeroed. */
void *lzalloc(size_t n);
/** A PXE API call: simulated by the test. */
int pxe_call(int opcode, void *param);

#endif
