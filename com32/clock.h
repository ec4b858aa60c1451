/*
 * clock.h - a microsecond clock for network timeouts.
 *
 * PXELINUX's own timer (times()) moves in 55 ms steps, far too coarse for
 * a retransmission timer on a LAN whose round trip is well under a
 * millisecond.  This clock reads the CPU's time-stamp counter, calibrated
 * once against PXELINUX's timer (about 0.1-0.2 s, on first use).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CLOCK_H
#define MBOOT_CLOCK_H

#include <stdint.h>

/** Microseconds since an arbitrary start (calibrates on the first call). */
uint64_t clock_us(void);

#endif
