/*
 * clock.c - a microsecond clock from the time-stamp counter (see clock.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <sys/times.h>
#include "clock.h"

/* Calibration interval: two of PXELINUX's 55 ms timer steps. */
#define CALIBRATE_MS 110u

static uint64_t tsc_per_ms;

/** The CPU's time-stamp counter. */
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/**
 * Wait for PXELINUX's timer to step; returns its new value and the
 * time-stamp counter at that edge in *@tsc.
 */
static uint32_t next_step(uint64_t *tsc)
{
	uint32_t t0 = (uint32_t)times(NULL), t;

	while ((t = (uint32_t)times(NULL)) == t0)
		;
	*tsc = rdtsc();
	return t;
}

/** Count TSC ticks between two edges of PXELINUX's timer. */
static void calibrate(void)
{
	uint64_t a, b;
	uint32_t t0 = next_step(&a), t1;

	do
		t1 = next_step(&b);
	while (t1 - t0 < CALIBRATE_MS);
	tsc_per_ms = (b - a) / (t1 - t0);
	if (!tsc_per_ms)
		tsc_per_ms = 1;
}

uint64_t clock_us(void)
{
	if (!tsc_per_ms)
		calibrate();
	return rdtsc() * 1000 / tsc_per_ms;
}
