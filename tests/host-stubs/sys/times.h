/*
 * sys/times.h - host stand-in: the com32 files read PXELINUX's clock with
 * times(NULL) (milliseconds); on the host it is the simulated clock of
 * ipxe_sim.h, so stall timeouts and retry pauses run in simulated time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_HOST_STUB_SYS_TIMES_H
#define MBOOT_HOST_STUB_SYS_TIMES_H

#include <time.h>

struct tms;
/** The simulated clock in milliseconds; each call advances it by 1 ms. */
clock_t sim_times(struct tms *buf);
#define times(buf) sim_times(buf)

#endif
