/*
 * lint.c - explaining likely mistakes on the line (see lint.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* memmem */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "../lib/gzip.h"
#include "diag.h"
#include "lint.h"

#define MAX_TOKENS 1100

struct token {
	const char *s;
	size_t n;
};

/** True if token @t is exactly @word. */
static bool is(const struct token *t, const char *word)
{
	return t->n == strlen(word) && !memcmp(t->s, word, t->n);
}

/** True for a token made of two or more '-' only. */
static bool all_dashes(const struct token *t)
{
	if (t->n < 2)
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i] != '-')
			return false;
	return true;
}

/**
 * True for a word that looks like a file name rather than an argument:
 * no '=', not an option, and a dot followed by a letter (initrd.img,
 * xen.gz) or a path ("boot/vmlinuz").
 */
static bool looks_like_file(const char *w)
{
	const char *dot = strrchr(w, '.');

	if (!*w || *w == '-' || strchr(w, '='))
		return false;
	return strchr(w, '/') || (dot && isalpha((unsigned char)dot[1]));
}

void lint_separators(const char *line, lint_exists_fn exists, void *ctx)
{
	static struct token tok[MAX_TOKENS];
	unsigned n = 0, part = 0;
	const char *p = line;

	while (*p && n < MAX_TOKENS) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		tok[n].s = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		tok[n].n = (size_t)(p - tok[n].s);
		n++;
	}
	bool named = false;	/* the current part's file name was seen */
	for (unsigned i = 0; i < n; i++) {
		struct token *t = &tok[i];
		if (is(t, "---")) {
			if (i == n - 1)
				diag(DIAG_WARNING, "the line ends with \"---\": an empty module (mboot.c32 refuses it; remove the \"---\")");
			else if (i == 0)
				diag(DIAG_WARNING, "the line starts with \"---\": no kernel before it");
			else if (is(&tok[i - 1], "---"))
				diag(DIAG_WARNING, "\"--- ---\" after part %u: an empty module between them (mboot.c32 refuses it)",
				     part);
			part++;
			named = false;
			continue;
		}
		if (all_dashes(t) && named && i + 1 < n && !is(t, "---")) {
			char word[256];
			size_t wl = tok[i + 1].n < sizeof(word) - 1 ?
					    tok[i + 1].n : sizeof(word) - 1;
			memcpy(word, tok[i + 1].s, wl);
			word[wl] = '\0';
			bool file = word[0] != '-' && exists && exists(ctx, word);
			char whose[32] = "the kernel";
			if (part)
				snprintf(whose, sizeof(whose), "module %u", part);
			if (file || looks_like_file(word))
				diag(DIAG_WARNING, "\"%.*s\" followed by \"%s\", %s: \"---\" was probably meant (as written, %s is an argument of %s, not a module)",
				     (int)t->n, t->s, word,
				     file ? "a file on the server" :
					    "which looks like a file name",
				     word, whose);
		}
		if (!named && t->s[0] != '-') {
			named = true;
			continue;
		}
		if (named && (is(t, "-gunzip") ||
			      (t->n > 8 && !memcmp(t->s, "-sha256=", 8))))
			diag(DIAG_WARNING, "\"%.*s\" after the file name of part %u is passed to it as an argument; a loader option goes before the name",
			     (int)(t->n > 20 ? 20 : t->n), t->s, part);
	}
}

enum lint_kind lint_kind_of(const uint8_t *h, size_t len)
{
	if (len >= 0x206 && !memcmp(h + 0x202, "HdrS", 4))
		return LINT_LINUX;	/* bzImage boot protocol header */
	if (len >= 6 && (!memcmp(h, "070701", 6) || !memcmp(h, "070702", 6) ||
			 !memcmp(h, "070707", 6)))
		return LINT_INITRD;	/* cpio (newc, crc, odc) */
	if (len >= 2 && h[0] == 0xc7 && h[1] == 0x71)
		return LINT_INITRD;	/* binary cpio */
	for (size_t off = 0; off + 12 <= len && off < 8192; off += 4)
		if (h[off] == 0x02 && h[off + 1] == 0xb0 &&
		    h[off + 2] == 0xad && h[off + 3] == 0x1b)
			return LINT_MULTIBOOT;
	return LINT_OTHER;
}

bool lint_is_xen(const uint8_t *buf, size_t len)
{
	static const char sig[] = "Xen version %d.%d";

	return len >= sizeof(sig) && memmem(buf, len, sig, sizeof(sig) - 1);
}

int lint_xen_at(const struct mb_request *req, const struct lint_file *files)
{
	return files[0].xen ? 0 : req->nfiles > 1 && files[1].xen ? 1 : -1;
}

void lint_files(const struct mb_request *req, const struct lint_file *files)
{
	int at = lint_xen_at(req, files);	/* Xen's file */
	bool xen = at >= 0;
	unsigned first = (unsigned)at + 1;	/* dom0's kernel, for Xen */
	unsigned nmods = xen ? req->nfiles - first : 0;

	if (at == 1)
		diag(DIAG_NOTE, "module 1 (%s) is Xen, booted by %s: Xen's modules are the files after it",
		     req->files[1].name, req->files[0].name);
	/* Which Xen reads the line is not known here: name both limits. */
	if (xen && nmods == LINT_XEN_MODULES_TO_4_19)
		diag(DIAG_WARNING, "%u modules: Xen 4.20 and later use only the first %u (module %u is ignored); Xen 4.19 and earlier use all %u",
		     nmods, LINT_XEN_MODULES_FROM_4_20,
		     first + LINT_XEN_MODULES_FROM_4_20, nmods);
	else if (xen && nmods > LINT_XEN_MODULES_TO_4_19)
		diag(DIAG_WARNING, "%u modules: Xen uses only the first %u up to 4.19 (modules %u-%u are ignored) and the first %u from 4.20 (modules %u-%u)",
		     nmods, LINT_XEN_MODULES_TO_4_19,
		     first + LINT_XEN_MODULES_TO_4_19, req->nfiles - 1,
		     LINT_XEN_MODULES_FROM_4_20,
		     first + LINT_XEN_MODULES_FROM_4_20, req->nfiles - 1);
	if (xen && nmods == 0)
		diag(DIAG_WARNING, "%s is Xen but no module follows: Xen needs dom0's kernel as its first module",
		     req->files[at].name);
	if (xen && nmods >= 1 && files[first].known &&
	    lint_kind_of(files[first].head, files[first].head_len) != LINT_LINUX) {
		for (unsigned i = first + 1; i < req->nfiles; i++)
			if (files[i].known &&
			    lint_kind_of(files[i].head, files[i].head_len) ==
				    LINT_LINUX) {
				diag(DIAG_WARNING, "module %u (%s) is a Linux kernel but module %u (%s) is not: Xen boots its first module as dom0's kernel",
				     i, req->files[i].name, first,
				     req->files[first].name);
				break;
			}
	}
	for (unsigned i = 1; i < req->nfiles; i++) {
		const struct lint_file *f = &files[i];
		if (!(req->files[i].opts & MB_FILE_GUNZIP) || !f->known)
			continue;
		if (!f->gzip) {
			diag(DIAG_NOTE, "module %u (%s) is marked -gunzip but is not gzip: passed as it is",
			     i, req->files[i].name);
			continue;
		}
		enum lint_kind k = lint_kind_of(f->head, f->head_len);
		if (k == LINT_INITRD)
			diag(DIAG_WARNING, "module %u (%s) is a gzip initrd marked -gunzip: %s decompresses its initrd itself; -gunzip only makes the module larger",
			     i, req->files[i].name, xen ? "Xen's dom0 (Linux)" : "Linux");
		else if (xen && (int)i > at && k != LINT_MULTIBOOT)
			diag(DIAG_WARNING, "module %u (%s) is gzip and marked -gunzip under Xen, which takes dom0's kernel and initrd compressed",
			     i, req->files[i].name);
	}
}
