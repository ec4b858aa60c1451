/*
 * sysver.c - SYSLINUX's files in the root: versions and symbols (see
 * sysver.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "lzo1x.h"
#include "sysver.h"

#define CORE_MAX (1u << 20)	/* a decompressed core is ~64 KiB */
#define CORE_PREFIX 16384	/* its uncompressed prefix is ~3.5 KiB */
#define MAX_LIBS 8
#define LIST_MAX 300		/* room for the names in a warning */

/** A sorted set of names. */
struct names {
	char **v;
	size_t n, cap;
};

enum sf_kind { SF_MISSING, SF_ELF32, SF_ELF64, SF_COM32, SF_OTHER };

/** One SYSLINUX file as read. */
struct sysfile {
	char name[64];
	char path[4096];
	enum sf_kind kind;
	char comment[96];	/* the compiler line (.comment) */
	struct names defs;	/* symbols it defines (global or weak) */
	struct names needs;	/* undefined, not weak: must be found */
	char libs[MAX_LIBS][64];	/* DT_NEEDED */
	unsigned nlibs;
};

/** A core (pxelinux.0, lpxelinux.0) as read. */
struct core {
	const char *name;
	char path[4096];
	bool efi;		/* syslinux.efi: x86-64, not compressed */
	bool present, readable;
	char banner[80];	/* "PXELINUX 6.04 PXE 20200816" */
	uint8_t *img;		/* the decompressed image */
	size_t img_len;
};

/** Add @s (@n bytes) to @set (unsorted until names_sort). */
static void names_add(struct names *set, const char *s, size_t n)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 256;
		char **v = realloc(set->v, cap * sizeof(*v));
		if (!v)
			return;
		set->v = v;
		set->cap = cap;
	}
	char *c = malloc(n + 1);
	if (!c)
		return;
	memcpy(c, s, n);
	c[n] = '\0';
	set->v[set->n++] = c;
}

/** qsort/bsearch comparison of two names. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/** Sort @set for names_has. */
static void names_sort(struct names *set)
{
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), cmp_name);
}

/** True when @name is in the sorted @set. */
static bool names_has(const struct names *set, const char *name)
{
	return set->n && bsearch(&name, set->v, set->n, sizeof(*set->v),
				 cmp_name);
}

/** Free @set's names. */
static void names_free(struct names *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

/** Read @path whole; NULL when it cannot be. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)n + 1)))
		*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/** True when [@off, @off + @n) lies inside a file of @len bytes. */
static bool inside(size_t len, uint32_t off, uint32_t n)
{
	return off <= len && n <= len - off;
}

/** The NUL-terminated string at @off of the table [@t, @t + @tn). */
static const char *str_at(const uint8_t *d, uint32_t t, uint32_t tn,
			  uint32_t off)
{
	if (off >= tn || !memchr(d + t + off, 0, tn - off))
		return NULL;
	return (const char *)d + t + off;
}

/** Where an ELF class keeps the fields read here. */
struct elf_layout {
	unsigned shoff, shoff_w;	/* e_shoff: offset, width (4 or 8) */
	unsigned shentsize;		/* e_shentsize's offset */
	unsigned sh_off, sh_size, sh_link, w;	/* in a section header */
	unsigned dyn;			/* a dynamic entry's size */
	unsigned sym, sym_info, sym_shndx;	/* a symbol's size, fields */
};

static const struct elf_layout elf32 = { 32, 4, 46, 16, 20, 24, 4, 8,
					 16, 12, 14 };
static const struct elf_layout elf64 = { 40, 8, 58, 24, 32, 40, 8, 16,
					 24, 4, 6 };

/** A word of @w (4 or 8) bytes at @p, as 32 bits (0xffffffff when it
 * does not fit: then no range check passes). */
static uint32_t rdw(const uint8_t *p, unsigned w)
{
	if (w == 8 && rd32(p + 4))
		return 0xffffffffu;
	return rd32(p);
}

/**
 * A SYSLINUX module's dynamic symbols, DT_NEEDED libraries and compiler
 * line, from its section headers (SYSLINUX's modules keep them), for
 * the i386 (@L = elf32) or x86-64 (elf64) build.
 */
static void read_elf(struct sysfile *f, const uint8_t *d, size_t len,
		     const struct elf_layout *L)
{
	uint32_t shoff = rdw(d + L->shoff, L->shoff_w);
	uint16_t shentsize = rd16(d + L->shentsize),
		 shnum = rd16(d + L->shentsize + 2),
		 shstrndx = rd16(d + L->shentsize + 4);

	if (shentsize < L->sh_link + 4 ||
	    !inside(len, shoff, (uint32_t)shnum * shentsize))
		return;
	const uint8_t *sh = d + shoff;
	uint32_t shstr = 0, shstr_n = 0;
	if (shstrndx < shnum) {
		shstr = rdw(sh + shstrndx * shentsize + L->sh_off, L->w);
		shstr_n = rdw(sh + shstrndx * shentsize + L->sh_size, L->w);
		if (!inside(len, shstr, shstr_n))
			shstr = shstr_n = 0;
	}
	for (unsigned i = 0; i < shnum; i++) {
		const uint8_t *s = sh + i * shentsize;
		uint32_t type = rd32(s + 4), off = rdw(s + L->sh_off, L->w),
			 size = rdw(s + L->sh_size, L->w),
			 link = rd32(s + L->sh_link);
		const char *sname = str_at(d, shstr, shstr_n, rd32(s));
		if (!inside(len, off, size))
			continue;
		if (sname && !strcmp(sname, ".comment")) {
			size_t n = strnlen((const char *)d + off, size);
			snprintf(f->comment, sizeof(f->comment), "%.*s",
				 (int)n, (const char *)d + off);
			continue;
		}
		if ((type != 11 && type != 6) || link >= shnum)
			continue;	/* not SHT_DYNSYM or SHT_DYNAMIC */
		const uint8_t *ls = sh + link * shentsize;
		uint32_t t = rdw(ls + L->sh_off, L->w),
			 tn = rdw(ls + L->sh_size, L->w);
		if (!inside(len, t, tn))
			continue;
		if (type == 6) {	/* DT_NEEDED entries */
			for (uint32_t e = 0; e + L->dyn <= size; e += L->dyn) {
				const uint8_t *de = d + off + e;
				const char *lib = str_at(d, t, tn,
							 rdw(de + L->w, L->w));
				if (rdw(de, L->w) == 1 && lib &&
				    f->nlibs < MAX_LIBS)
					snprintf(f->libs[f->nlibs++],
						 sizeof(f->libs[0]), "%s", lib);
			}
			continue;
		}
		for (uint32_t e = L->sym; e + L->sym <= size; e += L->sym) {
			const uint8_t *sym = d + off + e;
			const char *nm = str_at(d, t, tn, rd32(sym));
			unsigned bind = sym[L->sym_info] >> 4;
			bool undef = rd16(sym + L->sym_shndx) == 0;
			if (!nm || !*nm)
				continue;
			if (undef && bind == 1)		/* STB_GLOBAL */
				names_add(&f->needs, nm, strlen(nm));
			else if (!undef && (bind == 1 || bind == 2))
				names_add(&f->defs, nm, strlen(nm));
		}
	}
	names_sort(&f->defs);
	names_sort(&f->needs);
}

/** Read the SYSLINUX file @name through @find into @f. */
static void read_sysfile(struct sysfile *f, const char *name,
			 sysver_find_fn find, void *ctx)
{
	size_t len = 0;
	uint8_t *d;

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	if (!find(ctx, name, f->path, sizeof(f->path)) ||
	    !(d = slurp(f->path, &len)))
		return;
	static const uint8_t com32r[] = { 0xb8, 0xfe, 0x4c, 0xcd, 0x21 };
	if (len >= sizeof(com32r) && !memcmp(d, com32r, sizeof(com32r)))
		f->kind = SF_COM32;
	else if (len < 52 || memcmp(d, "\177ELF", 4))
		f->kind = SF_OTHER;
	else if (d[4] == 2 && rd16(d + 18) == 62)
		f->kind = SF_ELF64;
	else if (d[4] == 1 && d[5] == 1 && rd16(d + 18) == 3)
		f->kind = SF_ELF32;
	else
		f->kind = SF_OTHER;
	if (f->kind == SF_ELF32 || f->kind == SF_ELF64)
		read_elf(f, d, len, f->kind == SF_ELF32 ? &elf32 : &elf64);
	free(d);
}

/** The text at @p that starts with @word and a digit, up to a NUL, CR or
 * LF, trailing spaces cut, into @out; false when there is none. */
static bool find_banner(const uint8_t *d, size_t len, const char *word,
			char *out, size_t cap)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i + wl + 1 < len; i++) {
		if (memcmp(d + i, word, wl) || d[i + wl] < '0' || d[i + wl] > '9')
			continue;
		size_t n = 0;
		while (i + n < len && n < cap - 1 && d[i + n] >= ' ' &&
		       d[i + n] < 0x7f)
			n++;
		while (n && d[i + n - 1] == ' ')
			n--;
		snprintf(out, cap, "%.*s", (int)n, (const char *)d + i);
		return true;
	}
	return false;
}

/**
 * Read the BIOS core @c.  SYSLINUX's prepcore writes the core as an
 * uncompressed prefix (the PXE entry, the decompressor, the banner) and
 * then the LZO1X stream of the rest, whose length it stores in the prefix
 * (pfx_cdatalen).  So the stream is the file's last V bytes for a 32-bit
 * V found in the prefix, checked by decoding: whole, ending at the file's
 * end, into at least 16 KiB.  (Decoding from other offsets can also
 * succeed, falling into step with the stream after some garbage: the
 * length stored is what pins the start.)
 */
static void read_core(struct core *c, sysver_find_fn find, void *ctx)
{
	size_t len = 0, used;
	uint8_t *d, *img;

	c->present = find(ctx, c->name, c->path, sizeof(c->path));
	if (!c->present || !(d = slurp(c->path, &len)))
		return;
	if (c->efi) {	/* a PE file, its symbol names in plain bytes */
		if (find_banner(d, len, "Syslinux ", c->banner,
				sizeof(c->banner))) {
			c->readable = true;
			c->img = d;
			c->img_len = len;
		} else {
			free(d);
		}
		return;
	}
	if (!(img = malloc(CORE_MAX))) {
		free(d);
		return;
	}
	long n = -1;
	for (size_t i = 0; i + 4 <= len && i < CORE_PREFIX; i++) {
		uint32_t v = rd32(d + i);
		if (v < 16 || v > len - i - 4)
			continue;
		n = lzo1x_decode(d + len - v, v, img, CORE_MAX, &used);
		if (n >= 16384 && used == v)
			break;
		n = -1;
	}
	if (n >= 16384 &&
	    find_banner(d, len - (size_t)used, "PXELINUX ", c->banner,
			sizeof(c->banner))) {
		c->readable = true;
		c->img = img;
		c->img_len = (size_t)n;
		img = NULL;
	}
	free(img);
	free(d);
}

/**
 * True when the core @c may define @name: the name ends a NUL-terminated
 * string in it.  The core's symbol names are such strings (the linker may
 * keep "free" as the tail of "lfree"), so a name not found is not
 * defined; a name found may still be one the core does not export.
 */
static bool core_has(const struct core *c, const char *name)
{
	size_t n = strlen(name) + 1;	/* with its NUL */

	return n > 1 && memmem(c->img, c->img_len, name, n);
}

/** The version and build date of a banner: its 2nd and 4th words. */
static void version_of(const char *banner, char *out, size_t cap)
{
	char w[4][32] = { "", "", "", "" };

	sscanf(banner, "%31s %31s %31s %31s", w[0], w[1], w[2], w[3]);
	snprintf(out, cap, "%s %s", w[1], w[3]);
}

/** How @f is named in messages: "NAME (built by COMPILER)". */
static const char *label(const struct sysfile *f)
{
	static char buf[4][200];
	static unsigned k;
	char *b = buf[k++ % 4];

	if (f->comment[0])
		snprintf(b, sizeof(buf[0]), "%s (built by %s)", f->name,
			 f->comment);
	else
		snprintf(b, sizeof(buf[0]), "%s", f->name);
	return b;
}

/** Say what kind of file @f is when it is not a 32-bit ELF module. */
static bool usable(const struct sysfile *f, const struct core *c,
		   enum diag_level lv)
{
	switch (f->kind) {
	case SF_ELF32:
		if (!c->efi)
			return true;
		diag(lv, "%s is an i386 ELF file, a module of SYSLINUX's BIOS build: %s (%s) is UEFI SYSLINUX (x86-64) and cannot load it",
		     label(f), c->name, c->banner);
		return false;
	case SF_ELF64:
		if (c->efi)
			return true;
		diag(lv, "%s is an x86-64 ELF file, a module of SYSLINUX's EFI build (efi64/): %s (%s) is BIOS PXELINUX and cannot load it",
		     label(f), c->name, c->banner);
		return false;
	case SF_MISSING:
		diag(lv, "%s is not in the root: %s (%s) cannot load %s",
		     f->name, c->name, c->banner, f->name);
		return false;
	case SF_COM32:
		diag(lv, "%s is a COM32 binary of SYSLINUX 4 or earlier: %s (%s) loads only ELF modules (SYSLINUX 5 and later)",
		     f->name, c->name, c->banner);
		return false;
	default:
		diag(lv, "%s is not a SYSLINUX module (not an ELF file): %s (%s) cannot load it",
		     f->name, c->name, c->banner);
		return false;
	}
}

/**
 * Warn when @f needs symbols that none of the core @c and the files
 * @by[0..nby) defines; @what says what the loader then does.  Returns
 * true when every symbol is found.
 */
static bool resolve(const struct sysfile *f, const struct core *c,
		    const struct sysfile *const *by, unsigned nby,
		    const char *what, enum diag_level lv)
{
	char list[LIST_MAX] = "", from[400];
	size_t l = 0, missing = 0;

	for (size_t i = 0; i < f->needs.n; i++) {
		const char *s = f->needs.v[i];
		bool found = core_has(c, s);
		for (unsigned b = 0; b < nby && !found; b++)
			found = names_has(&by[b]->defs, s);
		if (found)
			continue;
		if (l < sizeof(list) - 80)
			l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%s",
					      missing ? ", " : "", s);
		missing++;
	}
	if (!missing)
		return true;
	size_t fl = (size_t)snprintf(from, sizeof(from), "%s%s (%s)",
				     nby ? "none of " : "", c->name, c->banner);
	for (unsigned b = 0; b < nby && fl < sizeof(from); b++)
		fl += (size_t)snprintf(from + fl, sizeof(from) - fl, "%s%s",
				       b == nby - 1 ? " and " : ", ",
				       label(by[b]));
	/* @what may name the first missing symbol (SYMBOL), as the loader
	 * prints it. */
	char say[600], first[64];
	const char *at = strstr(what, "SYMBOL");
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(list, ","), list);
	if (at)
		snprintf(say, sizeof(say), "%.*s%s%s", (int)(at - what), what,
			 first, at + 6);
	else
		snprintf(say, sizeof(say), "%s", what);
	diag(lv, "%s needs %zu symbol%s that %s %s: %s%s; they come from different SYSLINUX builds, and %s",
	     label(f), missing, missing == 1 ? "" : "s", from,
	     nby ? "defines" : "does not define", list,
	     l >= sizeof(list) - 80 ? ", ..." : "", say);
	return false;
}

/** Check ldlinux.c32, the module's libraries and the module against the
 * core @c. */
static void check_against(const struct core *c, struct sysfile *ld,
			  struct sysfile *libs, unsigned nlibs,
			  struct sysfile *mod, enum diag_level lv)
{
	const struct sysfile *by[MAX_LIBS + 1];
	char what[400];

	/* In the loaders' order; the first file that fails stops the boot
	 * there, so nothing after it is judged. */
	if (!usable(ld, c, lv))
		return;
	snprintf(what, sizeof(what), "%s cannot load %.60s", c->name, ld->name);
	if (!resolve(ld, c, NULL, 0, what, lv))
		return;
	by[0] = ld;
	for (unsigned i = 0; i < nlibs; i++) {
		snprintf(what, sizeof(what), "%.60s cannot load %.60s, nor so %.60s (\"Failed to load COM32 file %.60s\")",
			 ld->name, libs[i].name, mod->name, mod->name);
		if (!usable(&libs[i], c, lv) ||
		    !resolve(&libs[i], c, by, 1 + i, what, lv))
			return;
		by[1 + i] = &libs[i];
	}
	if (!usable(mod, c, lv))
		return;
	snprintf(what, sizeof(what), "%.60s refuses %.60s (\"Undef symbol FAIL: SYMBOL\", then \"Failed to load COM32 file %.60s\")",
		 ld->name, mod->name, mod->name);
	if (resolve(mod, c, by, 1 + nlibs, what, lv))
		diag(DIAG_NOTE, "%s (%s): %s, %s%s%s find every symbol they need",
		     c->name, c->banner, ld->name, nlibs ? libs[0].name : "",
		     nlibs > 1 ? " ... " : nlibs ? " and " : "", mod->name);
}

void sysver_check(const char *module, sysver_find_fn find, void *ctx)
{
	static struct core cores[3] = { { .name = "pxelinux.0" },
					{ .name = "lpxelinux.0" },
					{ .name = "syslinux.efi", .efi = true } };
	static struct sysfile ld[2], libs[MAX_LIBS], mod;
	char v0[80], v1[80];
	unsigned nlibs = 0, ncores = 0;
	int primary = -1;

	for (unsigned i = 0; i < 3; i++) {
		free(cores[i].img);
		cores[i] = (struct core){ .name = cores[i].name,
					  .efi = cores[i].efi };
		read_core(&cores[i], find, ctx);
		if (cores[i].readable) {
			diag(DIAG_NOTE, "%s: %s", cores[i].name, cores[i].banner);
			ncores++;
			if (primary < 0)
				primary = (int)i;
		} else if (cores[i].present) {
			diag(DIAG_WARNING, "%s is not a %s core this checker can read (no %s with a \"%s n.nn\" banner): its SYSLINUX version is not checked",
			     cores[i].name, cores[i].efi ? "SYSLINUX" : "PXELINUX",
			     cores[i].efi ? "file" : "LZO-compressed image",
			     cores[i].efi ? "Syslinux" : "PXELINUX");
		}
	}
	if (cores[0].readable && cores[1].readable) {
		version_of(cores[0].banner, v0, sizeof(v0));
		version_of(cores[1].banner, v1, sizeof(v1));
		if (strcmp(v0, v1))
			diag(DIAG_WARNING, "pxelinux.0 is %s but lpxelinux.0 is %s: both load this directory's ldlinux.c32 and modules, which can fit only one of them",
			     cores[0].banner, cores[1].banner);
	}
	if (!ncores) {
		diag(DIAG_NOTE, "no pxelinux.0, lpxelinux.0 or syslinux.efi in the root: the SYSLINUX files are not checked against a core");
		return;
	}
	if (cores[0].readable || cores[1].readable)
		read_sysfile(&ld[0], "ldlinux.c32", find, ctx);
	if (cores[2].readable)
		read_sysfile(&ld[1], "ldlinux.e64", find, ctx);
	read_sysfile(&mod, module, find, ctx);
	for (unsigned i = 0; i < mod.nlibs && nlibs < MAX_LIBS; i++)
		read_sysfile(&libs[nlibs++], mod.libs[i], find, ctx);
	const struct sysfile *all[] = { &ld[0], &ld[1], &mod };
	for (unsigned i = 0; i < 3 + nlibs; i++) {
		const struct sysfile *f = i < 3 ? all[i] : &libs[i - 3];
		if (f->kind == SF_ELF32 || f->kind == SF_ELF64)
			diag(DIAG_NOTE, "%s: no SYSLINUX version recorded in it (SYSLINUX writes it only into the core); %s, built by %s",
			     f->name, f->kind == SF_ELF32 ? "i386" : "x86-64",
			     f->comment[0] ? f->comment : "an unnamed compiler");
	}
	/* Which core the DHCP server names is not known here: the files are
	 * judged against each core in the root, the first of pxelinux.0,
	 * lpxelinux.0 and syslinux.efi giving errors (the entry would not
	 * boot), any other warnings. */
	for (unsigned i = 0; i < 3; i++)
		if (cores[i].readable)
			check_against(&cores[i], &ld[i == 2], libs, nlibs, &mod,
				      (int)i == primary ? DIAG_ERROR :
							  DIAG_WARNING);
	for (unsigned i = 0; i < 2; i++)
		names_free(&ld[i].defs), names_free(&ld[i].needs);
	names_free(&mod.defs), names_free(&mod.needs);
	for (unsigned i = 0; i < nlibs; i++)
		names_free(&libs[i].defs), names_free(&libs[i].needs);
}
