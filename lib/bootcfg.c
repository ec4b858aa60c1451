/*
 * bootcfg.c - a VMware boot.cfg turned into the kernel and module parts of
 * a request (see bootcfg.h).
 *
 * The file is read line by line without being modified; the parts are
 * written out as one line in the KERNEL line's own syntax and handed to
 * mb_parse_parts, so options, "---" splitting and every limit are the
 * line's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "bootcfg.h"
#include "util.h"

/** A piece of the file: @n bytes at @s; @set once a line gave it. */
struct span {
	const char *s;
	size_t n;
	int set;
};

/** The line being written: @len bytes of @cap used at @buf. */
struct out {
	char *buf;
	size_t len, cap;
};

/** True for the blanks around keys, values and words. */
static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/** Trim blanks from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n && is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

/** True if [s, s+n) equals the NUL-terminated @word. */
static int same(const char *s, size_t n, const char *word)
{
	size_t l = mb_strlen(word);
	return l == n && !mb_memcmp(s, word, n);
}

/** True if the @n bytes at @s contain the NUL-terminated @needle. */
static int contains(const char *s, size_t n, const char *needle)
{
	size_t l = mb_strlen(needle);
	for (size_t i = 0; i + l <= n; i++)
		if (!mb_memcmp(s + i, needle, l))
			return 1;
	return 0;
}

/** Append @n bytes at @s to @o; -1 when they do not fit (NUL kept). */
static int put(struct out *o, const char *s, size_t n)
{
	if (n >= o->cap - o->len)
		return -1;
	mb_memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return 0;
}

/** The next word of [*s, end): returns its length, *s moved to it. */
static size_t next_word(const char **s, const char *end)
{
	while (*s < end && is_blank(**s))
		(*s)++;
	const char *t = *s;
	while (t < end && !is_blank(*t))
		t++;
	return (size_t)(t - *s);
}

/**
 * Append the item [s, s+n) - [options] NAME [args] - to @o with NAME
 * joined to @prefix unless NAME is absolute ('/', "::" or "://") or the
 * prefix is empty.  The options are copied as words, the text after NAME
 * as written.
 */
static int put_item(struct out *o, const char *s, size_t n,
		    const struct span *prefix)
{
	const char *end = s + n;
	size_t w;

	while ((w = next_word(&s, end)) && s[0] == '-') {
		if (put(o, s, w) || put(o, " ", 1))
			return -1;
		s += w;
	}
	if (!w)
		return 0;	/* no name: mb_parse_parts says what is missing */
	if (prefix->n && s[0] != '/' && !contains(s, w, "::") &&
	    !contains(s, w, "://")) {
		const char *p = prefix->s;
		size_t pn = prefix->n;
		int joined = p[pn - 1] == '/' ||
			     (pn >= 2 && p[pn - 1] == ':' && p[pn - 2] == ':');
		if (put(o, p, pn) || (!joined && put(o, "/", 1)))
			return -1;
	}
	return put(o, s, (size_t)(end - s));
}

/** True if the words of [s, s+n) include "---". */
static int has_separator(const char *s, size_t n)
{
	const char *end = s + n;
	size_t w;

	while ((w = next_word(&s, end))) {
		if (same(s, w, "---"))
			return 1;
		s += w;
	}
	return 0;
}

/**
 * The parts into @o: kernel= (prefixed) and kernelopt=, then each item of
 * modules= after a " --- ".  Returns MB_OK or an error for @cfgname.
 */
static int write_line(struct out *o, const struct span *kernel,
		      const struct span *kopt, const struct span *mods,
		      const struct span *prefix, const char *cfgname,
		      struct mb_error *err)
{
	if (has_separator(kernel->s, kernel->n) ||
	    has_separator(kopt->s, kopt->n))
		return mb_fail(err, MB_E_BAD_OPTION,
			       "%s: kernel= and kernelopt= may not contain \"---\" (modules go in modules=)",
			       cfgname);
	int full = put_item(o, kernel->s, kernel->n, prefix);
	if (!full && kopt->n)
		full = put(o, " ", 1) || put(o, kopt->s, kopt->n);
	/* modules=: items between "---" words; an empty one is passed on
	 * empty, for mb_parse_parts to name. */
	const char *s = mods->s, *end = mods->s + mods->n, *item = s;
	size_t w;
	while (!full && mods->n) {
		w = next_word(&s, end);
		if (w && !same(s, w, "---")) {
			s += w;
			continue;
		}
		full = put(o, " --- ", 5) ||
		       put_item(o, item, (size_t)(s - item), prefix);
		if (!w)
			break;
		s += w;
		item = s;
	}
	if (full)
		return mb_fail(err, MB_E_CMDLINE_TOO_LONG,
			       "%s: the kernel and modules come to more than %zu characters",
			       cfgname, o->cap - 1);
	return MB_OK;
}

int mb_bootcfg_apply(const char *text, size_t len, const char *cfgname,
		     char *line, size_t cap, struct mb_request *req,
		     struct mb_bootcfg *cfg, struct mb_error *err)
{
	/* "" rather than NULL: pointer arithmetic on an unset one is then
	 * still defined (the length is 0). */
	struct span kernel = { "", 0, 0 }, kopt = { "", 0, 0 },
		    mods = { "", 0, 0 }, prefix = { "", 0, 0 };
	const char *p = text, *end = text + len;
	unsigned lineno = 0;

	cfg->title[0] = '\0';
	if (len > MB_BOOTCFG_MAX)
		return mb_fail(err, MB_E_BAD_OPTION,
			       "%s: %zu bytes; a boot.cfg may have at most %u",
			       cfgname, len, MB_BOOTCFG_MAX);
	while (p < end) {
		const char *nl = p;
		while (nl < end && *nl != '\n')
			nl++;
		const char *s = p;
		size_t n = (size_t)(nl - p);
		p = nl < end ? nl + 1 : end;
		lineno++;
		for (size_t i = 0; i < n; i++)
			if (!s[i])
				return mb_fail(err, MB_E_BAD_OPTION,
					       "%s: line %u holds a NUL byte (not a text file)",
					       cfgname, lineno);
		trim(&s, &n);
		if (!n || s[0] == '#')
			continue;
		size_t k = 0;
		while (k < n && s[k] != '=')
			k++;
		if (k == n)
			return mb_fail(err, MB_E_BAD_OPTION,
				       "%s: line %u \"%.*s\" is not key=value",
				       cfgname, lineno, n > 60 ? 60 : (int)n, s);
		const char *key = s, *val = s + k + 1;
		size_t kn = k, vn = n - k - 1;
		trim(&key, &kn);
		trim(&val, &vn);
		struct span *to = same(key, kn, "kernel") ? &kernel :
				  same(key, kn, "kernelopt") ? &kopt :
				  same(key, kn, "modules") ? &mods :
				  same(key, kn, "prefix") ? &prefix : NULL;
		if (to) {
			*to = (struct span){ val, vn, 1 };
		} else if (same(key, kn, "title")) {
			size_t t = vn < sizeof(cfg->title) ? vn :
				   sizeof(cfg->title) - 1;
			mb_memcpy(cfg->title, val, t);
			cfg->title[t] = '\0';
		}	/* any other key: VMware's, of no use here */
	}
	if (!kernel.n)
		return mb_fail(err, MB_E_USAGE, "%s: no kernel= line", cfgname);
	if (!prefix.set) {	/* the boot.cfg's own directory */
		size_t dir = 0;
		for (size_t i = 0; cfgname[i]; i++)
			if (cfgname[i] == '/' ||
			    (cfgname[i] == ':' && cfgname[i + 1] == ':'))
				dir = i + (cfgname[i] == ':' ? 2 : 1);
		prefix = (struct span){ cfgname, dir, 1 };
	}

	struct out o = { line, 0, cap < MB_CFG_LINE_MAX ? cap : MB_CFG_LINE_MAX };
	line[0] = '\0';
	int rc = write_line(&o, &kernel, &kopt, &mods, &prefix, cfgname, err);
	if (rc)
		return rc;
	struct mb_error inner;
	rc = mb_parse_parts(line, o.cap, req, &inner);
	if (rc)
		return mb_fail(err, (enum mb_code)rc, "%s: %s", cfgname, inner.msg);
	return MB_OK;
}
