/*
 * test_memcpy32.c - exhaustive test of asm/memcpy.asm (mb_memcpy,
 * mb_memmove, mb_memset) as the i386 module uses them.
 *
 * Built -m32, static and freestanding (no 32-bit libc here: the syscall
 * shim and _start come from tests/bench/bench_sys32.c) and run under
 * qemu-i386 by tests/asm/run.sh.  Every result is compared with a plain
 * reference byte loop applied to a twin buffer that received the same
 * random pre-fill, over the destination plus GUARD bytes either side.
 *
 * Every call goes through call_checked(), an assembly wrapper that loads
 * fresh values into EBX/ESI/EDI/EBP, calls the function with the
 * -mregparm=3 convention (EAX, EDX, ECX) and records the callee-saved
 * registers, ESP and EFLAGS afterwards.  Each case counts five checks:
 * the copied/filled bytes, the guard bytes, the return value (== dst),
 * the callee-saved registers (and ESP), and DF clear.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "bench_sys32.h"

/* The functions under test, with the module's calling convention. */
void *mb_memcpy(void *dst, const void *src, size_t n) __attribute__((regparm(3)));
void *mb_memmove(void *dst, const void *src, size_t n) __attribute__((regparm(3)));
void *mb_memset(void *dst, int c, size_t n) __attribute__((regparm(3)));

/**
 * call_checked - call @fn(@a, @b, @c) with regparm(3) and record the
 * machine state around it (see the assembly below).  Plain cdecl itself.
 */
uint32_t call_checked(const void *fn, uint32_t a, uint32_t b, uint32_t c)
	__attribute__((regparm(0)));

/* Inputs/outputs of call_checked: EBX, ESI, EDI, EBP before and after. */
uint32_t chk_in[4], chk_out[4];
uint32_t chk_fn, chk_esp_before, chk_esp_after, chk_eflags;

__asm__(".text\n"
	".globl call_checked\n"
	"call_checked:\n\t"
	"pushl %ebp\n\t"
	"pushl %ebx\n\t"
	"pushl %esi\n\t"
	"pushl %edi\n\t"
	"movl 20(%esp), %eax\n\t"
	"movl %eax, chk_fn\n\t"
	"movl 24(%esp), %eax\n\t"		/* a -> EAX */
	"movl 28(%esp), %edx\n\t"		/* b -> EDX */
	"movl 32(%esp), %ecx\n\t"		/* c -> ECX */
	"movl chk_in, %ebx\n\t"
	"movl chk_in+4, %esi\n\t"
	"movl chk_in+8, %edi\n\t"
	"movl chk_in+12, %ebp\n\t"
	"movl %esp, chk_esp_before\n\t"
	"cld\n\t"				/* the ABI's state on entry */
	"call *chk_fn\n\t"
	"movl %esp, chk_esp_after\n\t"
	"movl %ebx, chk_out\n\t"
	"movl %esi, chk_out+4\n\t"
	"movl %edi, chk_out+8\n\t"
	"movl %ebp, chk_out+12\n\t"
	"pushfl\n\t"
	"popl chk_eflags\n\t"
	"cld\n\t"				/* keep C safe even on failure */
	"popl %edi\n\t"
	"popl %esi\n\t"
	"popl %ebx\n\t"
	"popl %ebp\n\t"
	"ret\n");

#define GUARD 32			/* checked bytes either side */
#define EFLAGS_DF 0x400
#define MAX_FAIL_REPORTS 20

static const size_t big_lengths[] = { 4095, 4096, 65537, (1 << 20) + 3 };
#define NBIG (sizeof(big_lengths) / sizeof(big_lengths[0]))
#define MAXLEN ((1 << 20) + 3)

static uint8_t *S, *D, *R, *T;		/* source, dest, reference, temp */
static uint32_t rng = 0x12345678;
static unsigned long passed, failed, group_passed, group_failed;

/** rnd - next value of a small LCG (high bits are the good ones). */
static uint32_t rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/** check - count one check; report the first failures in detail. */
static void check(int ok, const char *fn, const char *what, uint32_t n,
		  uint32_t sa, uint32_t da)
{
	if (ok) {
		passed++;
		group_passed++;
		return;
	}
	failed++;
	group_failed++;
	if (failed <= MAX_FAIL_REPORTS) {
		bench_print("FAIL ");
		bench_print(fn);	/* bench_print has no %s: no '%' in these */
		bench_print(": ");
		bench_print(what);
		bench_print(" n=%u src_off|c=%u dst_off=%u\n", n, sa, da);
	}
}

/** same - 1 if @n bytes at @a and @b are equal (byte loop). */
static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/** prefill - the same random bytes into D[off..off+n) and R[off..off+n). */
static void prefill(uint8_t *d, uint8_t *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = r[i] = (uint8_t)rnd();
}

/** set_regs - fresh random values for the callee-saved registers. */
static void set_regs(void)
{
	int i;

	for (i = 0; i < 4; i++)
		chk_in[i] = rnd() ^ (rnd() << 24);
}

/**
 * check_call - the four checks common to every case after call_checked:
 * guards (@guards_ok), return value, callee-saved registers, DF.
 */
static void check_call(const char *fn, uint32_t ret, const void *dst,
		       int guards_ok, uint32_t n, uint32_t sa, uint32_t da)
{
	check(guards_ok, fn, "guard bytes changed", n, sa, da);
	check(ret == (uint32_t)(uintptr_t)dst, fn, "return value != dst", n, sa,
	      da);
	check(same((const uint8_t *)chk_in, (const uint8_t *)chk_out,
		   sizeof(chk_in)) && chk_esp_before == chk_esp_after,
	      fn, "EBX/ESI/EDI/EBP/ESP not preserved", n, sa, da);
	check(!(chk_eflags & EFLAGS_DF), fn, "DF left set", n, sa, da);
}

/**
 * case_copy - @fn copies @n bytes from S+@sa to D+GUARD+@da (no overlap);
 * the reference byte loop does the same into R.
 */
static void case_copy(const char *name, const void *fn, size_t n,
		      unsigned sa, unsigned da)
{
	const uint8_t *src = S + sa;
	uint8_t *d = D + da, *r = R + da;	/* region starts */
	uint8_t *dst = d + GUARD, *ref = r + GUARD;
	uint32_t ret;
	size_t i;

	prefill(d, r, n + 2 * GUARD);
	for (i = 0; i < n; i++)		/* every copied byte must change */
		if (dst[i] == src[i])
			dst[i] = ref[i] = (uint8_t)~src[i];
	for (i = 0; i < n; i++)		/* the reference */
		ref[i] = src[i];
	set_regs();
	ret = call_checked(fn, (uint32_t)(uintptr_t)dst,
			   (uint32_t)(uintptr_t)src, n);
	check(same(dst, ref, n), name, "copied bytes differ", n, sa, da);
	check_call(name, ret, dst,
		   same(d, r, GUARD) && same(dst + n, ref + n, GUARD), n, sa,
		   da);
}

/**
 * case_move - @fn moves @n bytes within D from offset @so to offset @dof
 * (may overlap); the reference goes through a temporary buffer in R.
 */
static void case_move(const char *name, const void *fn, size_t n,
		      size_t so, size_t dof)
{
	size_t lo = (so < dof ? so : dof) - GUARD;
	size_t hi = (so > dof ? so : dof) + n + GUARD;
	uint8_t *dst = D + dof;
	uint32_t ret;
	size_t i;

	prefill(D + lo, R + lo, hi - lo);
	for (i = 0; i < n; i++)		/* the reference */
		T[i] = R[so + i];
	for (i = 0; i < n; i++)
		R[dof + i] = T[i];
	set_regs();
	ret = call_checked(fn, (uint32_t)(uintptr_t)dst,
			   (uint32_t)(uintptr_t)(D + so), n);
	check(same(dst, R + dof, n), name, "moved bytes differ", n, so & 7,
	      dof & 7);
	/* Guards: everything in the region outside the destination. */
	check_call(name, ret, dst,
		   same(D + lo, R + lo, dof - lo) &&
			   same(dst + n, R + dof + n, hi - dof - n),
		   n, so & 7, dof & 7);
}

/**
 * case_fill - mb_memset(D+GUARD+@da, @c, @n); @c carries junk above the
 * low byte, which must be ignored (C converts it to unsigned char).
 */
static void case_fill(size_t n, unsigned da, unsigned c)
{
	uint8_t *d = D + da, *r = R + da, *dst = d + GUARD, *ref = r + GUARD;
	uint8_t v = (uint8_t)c;
	uint32_t ret;
	size_t i;

	prefill(d, r, n + 2 * GUARD);
	for (i = 0; i < n; i++)		/* every filled byte must change */
		if (dst[i] == v)
			dst[i] = ref[i] = v ^ 1;
	for (i = 0; i < n; i++)
		ref[i] = v;
	set_regs();
	ret = call_checked((const void *)mb_memset, (uint32_t)(uintptr_t)dst,
			   c | (rnd() << 8), n);
	check(same(dst, ref, n), "mb_memset", "filled bytes differ", n, c, da);
	check_call("mb_memset", ret, dst,
		   same(d, r, GUARD) && same(dst + n, ref + n, GUARD), n, c, da);
}

/** group_end - print one line for the group just run: "@fn @what: ...". */
static void group_end(const char *fn, const char *what)
{
	bench_print("  ");
	bench_print(fn);
	bench_print(" ");
	bench_print(what);
	bench_print(": %u checks passed, %u failed\n", (unsigned)group_passed,
		    (unsigned)group_failed);
	group_passed = group_failed = 0;
}

/** copy_groups - the no-overlap matrix for @fn (memcpy or memmove). */
static void copy_groups(const char *name, const void *fn)
{
	unsigned sa, da;
	size_t n, k;

	for (n = 0; n <= 300; n++)
		for (sa = 0; sa < 8; sa++)
			for (da = 0; da < 8; da++)
				case_copy(name, fn, n, sa, da);
	group_end(name, "no overlap, n 0..300 x src/dst align 0..7");
	for (k = 0; k < NBIG; k++)
		for (sa = 0; sa < 8; sa++)
			for (da = 0; da < 8; da++)
				case_copy(name, fn, big_lengths[k], sa, da);
	group_end(name, "no overlap, n 4095/4096/65537/1048579 x src/dst align 0..7");
}

/** move_groups - overlapping moves, both directions. */
static void move_groups(void)
{
	static const int far_dist[] = { 1, 2, 3, 4, 5, 7, 8, 15, 16, 17,
					4095, 4096, 4097 };
	size_t base = 4200 + GUARD, n, k;	/* room below for -4097 */
	unsigned sa;
	int d, j, s;

	for (n = 0; n <= 300; n++)
		for (d = -40; d <= 40; d++)
			for (sa = 0; sa < 8; sa++)
				case_move("mb_memmove", (const void *)mb_memmove,
					  n, base + sa, base + sa + d);
	group_end("mb_memmove", "overlap, n 0..300 x dst-src -40..40 x src align 0..7");
	for (k = 0; k < NBIG; k++)
		for (j = 0; j < (int)(sizeof(far_dist) / sizeof(far_dist[0])); j++)
			for (s = -1; s <= 1; s += 2)
				for (sa = 0; sa < 4; sa++)
					case_move("mb_memmove",
						  (const void *)mb_memmove,
						  big_lengths[k], base + sa,
						  base + sa + s * far_dist[j]);
	group_end("mb_memmove", "overlap, n 4095..1048579 x dst-src +-1..4097 x src align 0..3");
}

/** fill_groups - mb_memset with 0x00, 0xff and 0x5a. */
static void fill_groups(void)
{
	static const unsigned vals[] = { 0x00, 0xff, 0x5a };
	unsigned da, v;
	size_t n, k;

	for (v = 0; v < 3; v++)
		for (n = 0; n <= 300; n++)
			for (da = 0; da < 8; da++)
				case_fill(n, da, vals[v]);
	group_end("mb_memset", "00/ff/5a, n 0..300 x dst align 0..7");
	for (v = 0; v < 3; v++)
		for (k = 0; k < NBIG; k++)
			for (da = 0; da < 8; da++)
				case_fill(big_lengths[k], da, vals[v]);
	group_end("mb_memset", "00/ff/5a, n 4095..1048579 x dst align 0..7");
}

/**
 * direct_group - call the functions straight from C through their
 * regparm(3) declarations (what the module's C code does).
 */
static void direct_group(void)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 100, 4096 };
	uint8_t *dst = D + GUARD + 3, *src = S + 1;
	size_t k, i;
	uint8_t after;
	void *r;

	for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		size_t n = lens[k];

		for (i = 0; i < n + GUARD; i++)
			dst[i] = (uint8_t)~src[i];
		after = dst[n];
		r = mb_memcpy(dst, src, n);
		check(r == dst && same(dst, src, n) && dst[n] == after,
		      "mb_memcpy", "direct call", n, 1, 3);
		r = mb_memmove(dst + 1, dst, n);
		check(r == dst + 1 && same(dst + 1, src, n), "mb_memmove",
		      "direct call", n, 3, 4);
		r = mb_memset(dst, 0x5a, n);
		for (i = 0; i < n && dst[i] == 0x5a; i++)
			;
		check(r == dst && i == n, "mb_memset", "direct call", n, 0x5a, 3);
	}
	group_end("all three", "direct regparm(3) calls from C");
}

/** bench_main - run every group; exit status 1 if any check failed. */
int bench_main(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	S = malloc(MAXLEN + 64);
	D = malloc(MAXLEN + 2 * 4200 + 4 * GUARD + 64);
	R = malloc(MAXLEN + 2 * 4200 + 4 * GUARD + 64);
	T = malloc(MAXLEN + 64);
	if (!S || !D || !R || !T) {
		bench_print("asm: 0 passed, 1 failed (out of memory)\n");
		return 1;
	}
	for (i = 0; i < MAXLEN + 64; i++)
		S[i] = (uint8_t)rnd();

	copy_groups("mb_memcpy", (const void *)mb_memcpy);
	copy_groups("mb_memmove", (const void *)mb_memmove);
	move_groups();
	fill_groups();
	direct_group();

	bench_print("asm: %u passed, %u failed\n", (unsigned)passed,
		    (unsigned)failed);
	return failed != 0;
}
