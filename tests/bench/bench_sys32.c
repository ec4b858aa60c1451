/*
 * bench_sys32.c - minimal runtime for the freestanding i386 benchmark
 * (see bench_sys32.h).  memcpy & co. use "rep movs/stos" like the
 * module's assembly routines, so all decoders pay the same for them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include "bench_sys32.h"

/** sys3 - Linux i386 system call @nr with three arguments. */
static long sys3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("push %%ebx\n\tmov %2, %%ebx\n\tint $0x80\n\tpop %%ebx"
			 : "=a"(r)
			 : "a"(nr), "r"(a), "c"(b), "d"(c)
			 : "memory");
	return r;
}

int open(const char *path, int flags)
{
	return (int)sys3(5, (long)path, flags, 0);
}

ssize_t read(int fd, void *buf, size_t n)
{
	return sys3(3, fd, (long)buf, (long)n);
}

off_t lseek(int fd, off_t off, int whence)
{
	return sys3(19, fd, off, whence);
}

int close(int fd)
{
	return (int)sys3(6, fd, 0, 0);
}

/** malloc - bump allocation from brk space; free does nothing. */
void *malloc(size_t n)
{
	static uintptr_t cur, end;
	uintptr_t p;

	if (!cur)
		cur = end = (uintptr_t)sys3(45, 0, 0, 0);	/* brk(0) */
	p = (cur + 63) & ~(uintptr_t)63;
	if (p + n > end) {
		uintptr_t want = (p + n + 0xfffff) & ~(uintptr_t)0xfffff;

		end = (uintptr_t)sys3(45, (long)want, 0, 0);
		if (end < want)
			return NULL;
	}
	cur = p + n;
	return (void *)p;
}

void free(void *p)
{
	(void)p;
}

void *memcpy(void *d, const void *s, size_t n)
{
	void *ret = d;
	size_t words = n >> 2, rest = n & 3;

	__asm__ volatile("rep movsl\n\tmov %3, %%ecx\n\trep movsb"
			 : "+D"(d), "+S"(s), "+c"(words)
			 : "r"(rest)
			 : "memory");
	return ret;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dd = d;
	const unsigned char *ss = s;

	if (dd <= ss || dd >= ss + n)
		return memcpy(d, s, n);
	while (n--)
		dd[n] = ss[n];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	void *ret = d;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/** put_num - append @v in base @base to @p; returns the new end. */
static char *put_num(char *p, unsigned long v, unsigned int base)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

void bench_print(const char *fmt, ...)
{
	char buf[256], *p = buf;
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt && p < buf + 200; fmt++) {
		if (*fmt == '%' && (fmt[1] == 'x' || fmt[1] == 'u')) {
			p = put_num(p, va_arg(ap, unsigned int),
				    fmt[1] == 'x' ? 16 : 10);
			fmt++;
		} else {
			*p++ = *fmt;
		}
	}
	va_end(ap);
	sys3(4, 1, (long)buf, p - buf);
}

int bench_main(int argc, char **argv);

/* Entry point: argc at (%esp), argv after it; exit_group(main(...)). */
__asm__(".globl _start\n"
	"_start:\n\t"
	"xor %ebp, %ebp\n\t"
	"mov (%esp), %eax\n\t"
	"lea 4(%esp), %edx\n\t"
	"and $-16, %esp\n\t"
	"push %edx\n\t"
	"push %eax\n\t"
	"call bench_main\n\t"
	"mov %eax, %ebx\n\t"
	"mov $252, %eax\n\t"
	"int $0x80\n");
