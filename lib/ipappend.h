/*
 * ipappend.h - the strings PXELINUX appends for IPAPPEND/SYSAPPEND, given
 * to the part of the line that reads them.
 *
 * With "IPAPPEND 2" (or SYSAPPEND) PXELINUX adds "BOOTIF=01-<mac>" (bit 0:
 * "ip=<client>:<server>:<gateway>:<netmask>", bit 2 "SYSUUID=", ...) at the
 * end of the whole KERNEL line: one space before each, in bit order, with
 * the whitespace inside a string turned into '_'.  For mboot.c32 that end
 * is the last module (the initrd), where nothing reads them.  The module
 * learns the strings this machine would append from SYSLINUX
 * (syslinux_ipappend_strings()), finds those that end its line, takes them
 * off and hands them on:
 *
 *   default (-ipappend=auto)  the first module that is a Linux kernel (a
 *                             bzImage: "HdrS" at 0x202), i.e. dom0's kernel
 *                             under Xen, also under tboot; with none, the
 *                             Multiboot kernel itself;
 *   -ipappend=N               part N: 0 the Multiboot kernel, N module N
 *                             (an N past the last module is an error);
 *   -ipappend=keep            where PXELINUX put them (the last part).
 *
 * Only a run of the machine's own strings, in PXELINUX's order, at the very
 * end of the line is recognised: a "BOOTIF=" typed in the APPEND line with
 * another value, or followed by anything else, stays where it was typed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_IPAPPEND_H
#define MBOOT_IPAPPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cmdline.h"
#include "error.h"

/* mb_request.ipappend_mode */
#define MB_IPAPPEND_AUTO 0	/* the first Linux kernel, else file 0 */
#define MB_IPAPPEND_KEEP 1	/* leave them on the last part */
#define MB_IPAPPEND_PART 2	/* part mb_request.ipappend_part */

/*
 * Bytes the Multiboot information can grow by when the strings are given
 * to a part only after the plan was made (the default: a Linux kernel is
 * recognised by its contents): their length, plus one space before them,
 * plus up to 7 bytes a Multiboot 2 module tag is padded to 8 by.
 */
#define MB_IPAPPEND_ROOM_EXTRA 8

/** What mb_ipappend_find() found, and where it goes. */
struct mb_ipappend {
	/* The line without them; one byte more than a line may have, so a
	 * line too long stays too long for the parser to refuse. */
	char line[MB_CMDLINE_MAX + 1];
	char text[MB_CMDLINE_MAX];	/* "ip=... BOOTIF=...", "" if none */
	uint32_t mask;			/* bit i: SYSAPPEND string i found */
	unsigned count;			/* how many */
	bool given;			/* mb_ipappend_give() has run */
	unsigned part;			/* then: the part that got them */
	char args[2 * MB_CMDLINE_MAX];	/* that part's new argument text */
	char scratch[MB_CMDLINE_MAX];	/* one string, mangled */
};

/**
 * Write @src as PXELINUX appends it to @dst (@cap bytes, NUL included):
 * leading and trailing whitespace dropped, each run of whitespace inside
 * (bytes up to ' ' and 0x7f) turned into one '_'.  Returns its length, or
 * 0 when it is empty or does not fit (then it can never be matched).
 */
size_t mb_ipappend_mangle(const char *src, char *dst, size_t cap);

/**
 * Find, at the end of @line, the strings PXELINUX appended: @strings[i]
 * (@n of them, NULL or "" where the machine has none) is SYSAPPEND bit
 * i's string.  Walking back from the end, the highest bit first (they were
 * appended in bit order), each that is the line's last token, with
 * whitespace before it, is taken off.  Fills @ipa: line (without them),
 * text (as they stood, in order), mask, count.  A @line of MB_CMDLINE_MAX
 * characters or more is copied as MB_CMDLINE_MAX of them, with nothing
 * found: still too long, the parser refuses it.
 */
void mb_ipappend_find(const char *line, const char *const *strings,
		      unsigned n, struct mb_ipappend *ipa);

/**
 * Parse the value of "-ipappend=" ([@v, @v + @n)): "auto", "keep",
 * "kernel" (part 0) or a decimal part number, into @req.  Returns MB_OK
 * or MB_E_BAD_OPTION.
 */
int mb_ipappend_option(struct mb_request *req, const char *v, size_t n,
		       struct mb_error *err);

/**
 * Check the option against the parsed @req: a part number past the last
 * module is an error (whether or not strings were found, so a line is
 * judged the same on every machine).  Returns MB_OK or MB_E_BAD_OPTION
 * naming the part and how many the line has.
 */
int mb_ipappend_check(const struct mb_request *req, struct mb_error *err);

/** True if @buf (@len bytes) is a Linux bzImage: "HdrS" at 0x202. */
bool mb_is_bzimage(const uint8_t *buf, size_t len);

/**
 * The part that gets the strings.  -ipappend=keep: the last part;
 * -ipappend=N: N; the default: the first module i (1 ..) for which
 * @is_linux(@ctx, i) is true, else 0, the Multiboot kernel.  @is_linux is
 * only called in the default mode.
 */
unsigned mb_ipappend_target(const struct mb_request *req,
			    bool (*is_linux)(void *ctx, unsigned i),
			    void *ctx);

/**
 * Give @ipa's strings to part @part of @req: its argument text becomes
 * the old text, a space (when there was any) and the strings, held in
 * @ipa->args.  Nothing happens when no string was found, or a second
 * time.  Returns MB_OK, or MB_E_CMDLINE_TOO_LONG when the part's text
 * and the strings together do not fit in @ipa->args (a part's text from a
 * boot.cfg may be longer than a KERNEL line).
 */
int mb_ipappend_give(struct mb_request *req, struct mb_ipappend *ipa,
		     unsigned part, struct mb_error *err);

/**
 * Room the information needs beyond its size without the strings, for
 * them to be given after the plan: 0 when none was found, else their
 * length plus MB_IPAPPEND_ROOM_EXTRA.
 */
uint32_t mb_ipappend_room(const struct mb_ipappend *ipa);

/**
 * The keys of the strings in @mask ("ip=, BOOTIF=") into @buf (@cap
 * bytes), SYSLINUX 6.04's names by bit ("bit N=" past them); returns @buf.
 */
char *mb_ipappend_keys(uint32_t mask, char *buf, size_t cap);

/**
 * Describe part @part of @req for messages ("the Multiboot kernel xen.gz",
 * "module 1 vmlinuz") into @buf (@cap bytes); returns @buf.
 */
char *mb_ipappend_part_name(const struct mb_request *req, unsigned part,
			    char *buf, size_t cap);

#endif
