/*
 * xenlint.c - a Xen entry's modules as Xen sorts them (see xenlint.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/gzip.h"
#include "cpio.h"
#include "diag.h"
#include "inflatefile.h"
#include "xenlint.h"

/** What Xen's command line asks of the modules. */
struct xen_opts {
	bool ucode_idx_given;	/* ucode=N */
	long ucode_idx;
	bool scan;		/* ucode=scan */
	char xsm[16];		/* xsm=VALUE, "" when absent */
	char flask[16];		/* flask=VALUE */
};

/** What one module is, as Xen gets it and as dom0 would read it. */
struct xen_mod {
	bool known;		/* read */
	bool flask;		/* starts with XEN_FLASK_MAGIC */
	bool raw_ucode;		/* an Intel update or an AMD container */
	uint8_t head[4];	/* its first bytes (zeroes when shorter) */
	bool gzip;		/* as Xen gets it */
	struct cpio_summary xen_view;	/* the bytes Xen scans */
	struct cpio_summary dom0_view;	/* decompressed, as Linux reads it */
	bool claimed;		/* by the XSM policy or ucode=N */
};

/** Little-endian 32-bit word at @p. */
static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/**
 * Xen's parse_boolean(): @s (@n bytes) is @name, "no-"@name or
 * @name=<bool>.  Returns 1, 0, or -1 when @s is not about @name.
 */
static int xen_bool(const char *s, size_t n, const char *name)
{
	size_t nl = strlen(name);
	int val = 1;

	if (n > 3 && !strncmp(s, "no-", 3)) {
		s += 3, n -= 3;
		val = 0;
	}
	if (n < nl || strncmp(s, name, nl))
		return -1;
	if (n == nl)
		return val;
	if (s[nl] != '=' || !val)
		return -1;
	s += nl + 1, n -= nl + 1;
	static const char *const no[] = { "0", "no", "false", "off",
					  "disable" };
	for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (n == strlen(no[i]) && !strncmp(s, no[i], n))
			return 0;
	return 1;
}

/** The comma list of "ucode=" (@v, @n bytes) into @o, as parse_ucode. */
static void parse_ucode(const char *v, size_t n, struct xen_opts *o)
{
	while (n) {
		size_t l = 0;
		int b;
		while (l < n && v[l] != ',')
			l++;
		if ((b = xen_bool(v, l, "scan")) >= 0) {
			o->scan = b;
		} else if (xen_bool(v, l, "nmi") < 0 &&
			   xen_bool(v, l, "allow-same") < 0 &&
			   xen_bool(v, l, "digest-check") < 0 && l < 24) {
			char num[24], *end;
			memcpy(num, v, l);
			num[l] = '\0';
			long idx = strtol(num, &end, 0);
			if (l && !*end) {
				o->ucode_idx = idx;
				o->ucode_idx_given = true;
			}
		}
		v += l + (l < n);
		n -= l + (l < n);
	}
}

/** Xen's options from its argument text @args (up to a "--" token). */
static void parse_xen_args(const char *args, struct xen_opts *o)
{
	const char *p = args;

	memset(o, 0, sizeof(*o));
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t n = strcspn(p, " \t");
		if (!n)
			break;
		if (n == 2 && !strncmp(p, "--", 2))
			break;	/* the rest is dom0's */
		if (n > 6 && !strncmp(p, "ucode=", 6))
			parse_ucode(p + 6, n - 6, o);
		else if (n > 4 && !strncmp(p, "xsm=", 4))
			snprintf(o->xsm, sizeof(o->xsm), "%.*s", (int)(n - 4),
				 p + 4);
		else if (n > 6 && !strncmp(p, "flask=", 6))
			snprintf(o->flask, sizeof(o->flask), "%.*s",
				 (int)(n - 6), p + 6);
		p += n;
	}
}

/** Fill @m from module @i's bytes (read through @read). */
static void look(struct xen_mod *m, const struct mb_request *req, unsigned i,
		 xenlint_read_fn read, void *ctx)
{
	size_t len = 0, out_len = 0;
	uint8_t *data = read(ctx, i, &len), *out = NULL;
	struct mb_error err;

	if (!data)
		return;
	m->known = true;
	memcpy(m->head, data, len < 4 ? len : 4);
	m->flask = len >= 4 && le32(data) == XEN_FLASK_MAGIC;
	/* Intel: header version 1 and loader version 1 (intel.c checks
	 * both); AMD: the container's magic. */
	m->raw_ucode = (len >= 48 && le32(data) == 1 && le32(data + 20) == 1) ||
		       (len >= 4 && le32(data) == XEN_AMD_UCODE_MAGIC);
	m->gzip = gz_is_gzip(data, len);
	cpio_walk(data, len, &m->xen_view);
	m->dom0_view = m->xen_view;
	if (m->gzip && !inflate_kernel(data, len, req->files[i].name, &out,
				       &out_len, &err) && out)
		cpio_walk(out, out_len, &m->dom0_view);
	free(out);
	free(data);
}

/** ucode=N: the module it names, claimed, and whether it is microcode. */
static void check_ucode_idx(const struct mb_request *req, unsigned at,
			    const struct xen_opts *o, struct xen_mod *mods,
			    unsigned nm)
{
	long idx = o->ucode_idx < 0 ? o->ucode_idx + (long)nm : o->ucode_idx;

	if (o->ucode_idx == 0) {
		diag(DIAG_WARNING, "ucode=0 names no module: Xen counts from dom0's kernel (module 0 for Xen) and ignores ucode=0");
		return;
	}
	if (idx <= 0 || idx >= (long)nm) {
		diag(DIAG_WARNING, "ucode=%ld names no module: Xen counts its modules from dom0's kernel (module %u on the line) as 0, negative numbers from the end, and this line gives it %u after dom0's kernel",
		     o->ucode_idx, at + 1, nm - 1);
		return;
	}
	unsigned i = at + 1 + (unsigned)idx;
	struct xen_mod *m = &mods[idx];
	if (m->claimed) {
		diag(DIAG_WARNING, "ucode=%ld names module %u (%s), which Xen already took as its XSM policy: no microcode is loaded from it",
		     o->ucode_idx, i, req->files[i].name);
		return;
	}
	m->claimed = true;
	if (m->known && m->raw_ucode)
		diag(DIAG_NOTE, "ucode=%ld names module %u (%s), %s",
		     o->ucode_idx, i, req->files[i].name,
		     le32(m->head) == 1 ? "an Intel microcode update" :
					  "an AMD microcode container");
	if (!m->known || m->raw_ucode)
		return;
	if (m->xen_view.intel || m->xen_view.amd)
		diag(DIAG_WARNING, "ucode=%ld names module %u (%s), a cpio archive holding microcode: Xen 4.22 and later look inside it; Xen 4.21 and earlier take it as a raw microcode update and find none (name the update file itself, or use ucode=scan)",
		     o->ucode_idx, i, req->files[i].name);
	else
		diag(DIAG_WARNING, "ucode=%ld names module %u (%s), which is not microcode (neither an Intel update nor an AMD container%s): Xen claims it anyway, so it is not dom0's initrd either",
		     o->ucode_idx, i, req->files[i].name,
		     m->xen_view.cpio ? "; it is a cpio archive without " CPIO_UCODE_DIR "GenuineIntel.bin or AuthenticAMD.bin" : "");
}

/** ucode=scan: is there an unclaimed module Xen's scan finds? */
static void check_scan(const struct mb_request *req, unsigned at,
		       const struct xen_mod *mods, unsigned nm)
{
	int packed = -1;	/* a gzip module with microcode inside */

	for (unsigned k = 1; k < nm; k++) {
		if (mods[k].claimed)
			continue;
		if (!mods[k].known)
			return;	/* cannot tell */
		if (mods[k].xen_view.intel || mods[k].xen_view.amd) {
			unsigned i = at + 1 + k;
			diag(DIAG_NOTE, "ucode=scan: module %u (%s) holds %s%s%s: Xen's scan finds it",
			     i, req->files[i].name,
			     mods[k].xen_view.intel ? CPIO_UCODE_DIR "GenuineIntel.bin" : "",
			     mods[k].xen_view.intel && mods[k].xen_view.amd ? " and " : "",
			     mods[k].xen_view.amd ? CPIO_UCODE_DIR "AuthenticAMD.bin" : "");
			return;
		}
		if (packed < 0 && mods[k].gzip &&
		    (mods[k].dom0_view.intel || mods[k].dom0_view.amd))
			packed = (int)k;
	}
	if (packed > 0)
		diag(DIAG_WARNING, "ucode=scan: module %u (%s) holds microcode but is gzip: Xen's scan reads only uncompressed cpio archives, so Xen loads no microcode (put the microcode in an uncompressed cpio, first in the initrd)",
		     at + 1 + (unsigned)packed, req->files[at + 1 + packed].name);
	else
		diag(DIAG_WARNING, "ucode=scan: no module is an uncompressed cpio archive holding " CPIO_UCODE_DIR "GenuineIntel.bin or AuthenticAMD.bin: Xen loads no microcode");
}

/** The policy modules: claimed and used, or not. */
static void check_xsm(const struct mb_request *req, unsigned at,
		      const struct xen_opts *o, struct xen_mod *mods,
		      unsigned nm, bool has_xsm)
{
	for (unsigned k = nm - 1; k >= 1; k--) {
		unsigned i = at + 1 + k;
		if (!mods[k].flask)
			continue;
		if (!has_xsm) {
			diag(DIAG_WARNING, "module %u (%s) is an XSM/FLASK policy, but %s is built without XSM: Xen does not take it as a policy, and it counts as a candidate for dom0's initrd",
			     i, req->files[i].name, req->files[at].name);
			continue;
		}
		bool off = (o->xsm[0] && strcmp(o->xsm, "flask")) ||
			   !strcmp(o->flask, "disabled");
		/* Xen claims the last policy module only (it looks from the
		 * end); the loop sees that one first. */
		if (off)
			diag(DIAG_WARNING, "module %u (%s) is an XSM/FLASK policy; Xen takes it but does not enforce it: %s%s%s",
			     i, req->files[i].name, o->xsm[0] ? "xsm=" : "",
			     o->xsm[0] ? o->xsm : "flask=disabled",
			     o->xsm[0] ? " selects another XSM module (xsm=flask selects FLASK)" : "");
		else if (o->xsm[0])
			diag(DIAG_NOTE, "module %u (%s) is an XSM/FLASK policy: Xen takes it and xsm=flask enforces it",
			     i, req->files[i].name);
		else
			diag(DIAG_NOTE, "module %u (%s) is an XSM/FLASK policy: used when this Xen's default XSM module is FLASK (Xen's Kconfig default when FLASK is built in); otherwise add xsm=flask",
			     i, req->files[i].name);
		mods[k].claimed = true;
		break;
	}
}

/** dom0's initrd: the first unclaimed module; more than one candidate. */
static void check_initrd(const struct mb_request *req, unsigned at,
			 const struct xen_mod *mods, unsigned nm)
{
	unsigned cand[MB_MAX_FILES], nc = 0;

	for (unsigned k = 1; k < nm; k++) {
		if (!mods[k].known)
			return;	/* cannot tell what Xen claims */
		if (!mods[k].claimed)
			cand[nc++] = k;
	}
	if (!nc)
		return;
	unsigned i0 = at + 1 + cand[0];
	const struct cpio_summary *d = &mods[cand[0]].dom0_view;
	if (d->cpio && d->whole && d->files && d->ucode_files == d->files)
		diag(DIAG_WARNING, "module %u (%s), dom0's initrd for Xen (the first module Xen does not claim), holds nothing but microcode (%u file%s under " CPIO_UCODE_DIR "): dom0 gets no other initrd%s",
		     i0, req->files[i0].name, d->files, d->files == 1 ? "" : "s",
		     nc > 1 ? "; prepend it to the real initrd (one module), or name it with ucode=N" : "");
	if (nc > 1) {
		char list[400] = "";
		size_t l = 0;
		for (unsigned c = 0; c < nc && l < sizeof(list) - 80; c++) {
			unsigned i = at + 1 + cand[c];
			l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%u (%s)",
					      c ? ", " : "", i, req->files[i].name);
		}
		diag(DIAG_WARNING, "dom0's initrd has %u candidates (modules Xen claims as neither microcode nor policy): modules %s%s; Xen warns \"Multiple initrd candidates, picking module #%u\" and gives dom0 only module %u (%s)",
		     nc, list, l >= sizeof(list) - 80 ? ", ..." : "", cand[0],
		     i0, req->files[i0].name);
	}
}

void xenlint_check(const struct mb_request *req, unsigned at,
		   const uint8_t *xen, size_t xen_len, xenlint_read_fn read,
		   void *ctx)
{
	static struct xen_mod mods[MB_MAX_FILES];
	unsigned nm = req->nfiles - at - 1;	/* Xen's modules, dom0's kernel
						 * included */
	struct xen_opts o;
	bool has_xsm = xen && memmem(xen, xen_len, XEN_XSM_MARK,
				     sizeof(XEN_XSM_MARK) - 1);

	if (nm < 2 && !strstr(req->files[at].args, "ucode="))
		return;
	parse_xen_args(req->files[at].args, &o);
	memset(mods, 0, sizeof(mods));
	for (unsigned k = 1; k < nm; k++)
		look(&mods[k], req, at + 1 + k, read, ctx);
	/* Xen's order: the XSM policy, then ucode=N, then the scan, then
	 * the initrd (setup.c). */
	if (nm >= 2)
		check_xsm(req, at, &o, mods, nm, has_xsm);
	if (o.ucode_idx_given)
		check_ucode_idx(req, at, &o, mods, nm);
	if (o.scan)
		check_scan(req, at, mods, nm);
	check_initrd(req, at, mods, nm);
}
