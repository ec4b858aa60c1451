/*
 * ipappend.c - IPAPPEND/SYSAPPEND strings found at the end of the line and
 * given to the part that reads them (see ipappend.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ipappend.h"
#include "format.h"
#include "util.h"

/** Whitespace as PXELINUX's mangling sees it: control bytes, space, DEL. */
static bool is_ws(char c)
{
	return (unsigned char)c <= ' ' || (unsigned char)c == 0x7f;
}

size_t mb_ipappend_mangle(const char *src, char *dst, size_t cap)
{
	size_t n = 0, end = 0;	/* end: length without trailing '_' */
	bool was_space = true;	/* drops leading whitespace */

	for (; *src; src++) {
		if (is_ws(*src)) {
			if (!was_space) {
				if (n + 1 >= cap)
					return 0;
				dst[n++] = '_';
			}
			was_space = true;
		} else {
			if (n + 1 >= cap)
				return 0;
			dst[n++] = *src;
			end = n;
			was_space = false;
		}
	}
	if (cap)
		dst[end] = '\0';
	return end;
}

void mb_ipappend_find(const char *line, const char *const *strings,
		      unsigned n, struct mb_ipappend *ipa)
{
	size_t len = mb_strlen(line), end, first = 0;

	ipa->mask = 0;
	ipa->count = 0;
	ipa->given = false;
	ipa->part = 0;
	ipa->text[0] = '\0';
	if (len >= MB_CMDLINE_MAX) {	/* refused by the parser */
		mb_memcpy(ipa->line, line, MB_CMDLINE_MAX);
		ipa->line[MB_CMDLINE_MAX] = '\0';
		return;
	}
	mb_memcpy(ipa->line, line, len + 1);
	end = len;
	while (end && is_ws(ipa->line[end - 1]))
		end--;
	/* Highest bit first: PXELINUX appended them lowest first, so the
	 * last token can only be the highest bit present.  A string counts
	 * only as a whole token with whitespace before it, so it can never
	 * be the kernel's name or the tail of another argument. */
	for (unsigned i = n; i-- > 0 && i < 32;) {
		if (!strings[i])
			continue;
		size_t m = mb_ipappend_mangle(strings[i], ipa->scratch,
					      sizeof(ipa->scratch));
		if (!m || m >= end || !is_ws(ipa->line[end - m - 1]) ||
		    mb_memcmp(ipa->line + end - m, ipa->scratch, m))
			continue;
		ipa->mask |= 1u << i;
		ipa->count++;
		first = end - m;
		end = first;
		while (end && is_ws(ipa->line[end - 1]))
			end--;
	}
	if (!ipa->count)
		return;
	/* The strings as they stood (PXELINUX puts one space between). */
	size_t tlen = len - first;
	while (tlen && is_ws(ipa->line[first + tlen - 1]))
		tlen--;
	mb_memcpy(ipa->text, ipa->line + first, tlen);
	ipa->text[tlen] = '\0';
	ipa->line[end] = '\0';
}

int mb_ipappend_option(struct mb_request *req, const char *v, size_t n,
		       struct mb_error *err)
{
	unsigned part = 0;

	if (n == 4 && !mb_memcmp(v, "auto", 4)) {
		req->ipappend_mode = MB_IPAPPEND_AUTO;
		return MB_OK;
	}
	if (n == 4 && !mb_memcmp(v, "keep", 4)) {
		req->ipappend_mode = MB_IPAPPEND_KEEP;
		return MB_OK;
	}
	if (n == 6 && !mb_memcmp(v, "kernel", 6)) {
		req->ipappend_mode = MB_IPAPPEND_PART;
		req->ipappend_part = 0;
		return MB_OK;
	}
	for (size_t k = 0; k < n; k++) {
		/* Four digits are past MB_MAX_FILES already: no overflow. */
		if (v[k] < '0' || v[k] > '9' || k == 4)
			return mb_fail(err, MB_E_BAD_OPTION,
				       "-ipappend=%.*s: expected auto, keep, kernel or a part number (0 the kernel, 1 the first module)",
				       (int)n, v);
		part = part * 10 + (unsigned)(v[k] - '0');
	}
	if (!n)
		return mb_fail(err, MB_E_BAD_OPTION,
			       "-ipappend= needs a value: auto, keep, kernel or a part number");
	req->ipappend_mode = MB_IPAPPEND_PART;
	req->ipappend_part = part;
	return MB_OK;
}

int mb_ipappend_check(const struct mb_request *req, struct mb_error *err)
{
	if (req->ipappend_mode != MB_IPAPPEND_PART ||
	    req->ipappend_part < req->nfiles)
		return MB_OK;
	return mb_fail(err, MB_E_BAD_OPTION,
		       "-ipappend=%u: there is no module %u (the line has the kernel and %u module%s)",
		       req->ipappend_part, req->ipappend_part, req->nfiles - 1,
		       req->nfiles == 2 ? "" : "s");
}

bool mb_is_bzimage(const uint8_t *buf, size_t len)
{
	return len >= 0x206 && !mb_memcmp(buf + 0x202, "HdrS", 4);
}

unsigned mb_ipappend_target(const struct mb_request *req,
			    bool (*is_linux)(void *ctx, unsigned i),
			    void *ctx)
{
	if (req->ipappend_mode == MB_IPAPPEND_KEEP)
		return req->nfiles - 1;
	if (req->ipappend_mode == MB_IPAPPEND_PART)
		return req->ipappend_part;
	for (unsigned i = 1; i < req->nfiles; i++)
		if (is_linux(ctx, i))
			return i;
	return 0;
}

int mb_ipappend_give(struct mb_request *req, struct mb_ipappend *ipa,
		     unsigned part, struct mb_error *err)
{
	struct mb_file_req *f = &req->files[part];
	size_t a, t;

	if (!ipa->count || ipa->given || part >= req->nfiles)
		return MB_OK;
	a = mb_strlen(f->args);
	t = mb_strlen(ipa->text);
	if (a + 1 + t >= sizeof(ipa->args))
		return mb_fail(err, MB_E_CMDLINE_TOO_LONG,
			       "%s: its arguments (%zu characters) and the IPAPPEND strings (%zu) do not fit in %zu",
			       f->name, a, t, sizeof(ipa->args) - 1);
	mb_memcpy(ipa->args, f->args, a);
	if (a)
		ipa->args[a++] = ' ';
	mb_memcpy(ipa->args + a, ipa->text, t + 1);
	f->args = ipa->args;
	ipa->given = true;
	ipa->part = part;
	return MB_OK;
}

uint32_t mb_ipappend_room(const struct mb_ipappend *ipa)
{
	if (!ipa->count)
		return 0;
	return (uint32_t)mb_strlen(ipa->text) + MB_IPAPPEND_ROOM_EXTRA;
}

/* SYSLINUX 6.04's strings by bit (com32/include/syslinux/sysappend.h;
 * the keys from core/fs/pxe/pxe.c, core/sysappend.c and core/dmi.c). */
static const char *const keys[] = {
	"ip=", "BOOTIF=", "SYSUUID=", "CPU=", "SYSVENDOR=", "SYSPRODUCT=",
	"SYSVERSION=", "SYSSERIAL=", "SYSSKU=", "SYSFAMILY=", "MBVENDOR=",
	"MBPRODUCT=", "MBVERSION=", "MBSERIAL=", "MBASSET=", "BIOSVENDOR=",
	"BIOSVERSION=", "SYSFF=", "FSUUID=",
};

char *mb_ipappend_keys(uint32_t mask, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap)
		buf[0] = '\0';
	for (unsigned i = 0; i < 32 && n < cap; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (i < sizeof(keys) / sizeof(keys[0]))
			n += mb_snprintf(buf + n, cap - n, "%s%s", n ? ", " : "",
					 keys[i]);
		else
			n += mb_snprintf(buf + n, cap - n, "%sbit %u", n ? ", " : "",
					 i);
	}
	return buf;
}

char *mb_ipappend_part_name(const struct mb_request *req, unsigned part,
			    char *buf, size_t cap)
{
	if (part == 0)
		mb_snprintf(buf, cap, "the Multiboot kernel %s",
			    req->files[0].name);
	else
		mb_snprintf(buf, cap, "module %u %s", part,
			    req->files[part].name);
	return buf;
}
