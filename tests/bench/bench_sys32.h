/*
 * bench_sys32.h - the few libc pieces the freestanding i386 benchmark
 * needs (no 32-bit libc is installed): Linux int $0x80 system calls, a
 * bump allocator and string functions.  Implemented in bench_sys32.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BENCH_SYS32_H
#define BENCH_SYS32_H

#include <stddef.h>
#include <stdint.h>

typedef long off_t;
typedef long ssize_t;
#define O_RDONLY 0
#define SEEK_SET 0
#define SEEK_END 2

int open(const char *path, int flags);
ssize_t read(int fd, void *buf, size_t n);
off_t lseek(int fd, off_t off, int whence);
int close(int fd);
void *malloc(size_t n);
void free(void *p);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);
/** Print @fmt with %x and %u conversions only, to stdout. */
void bench_print(const char *fmt, ...);

#endif
