/*
 * pxecfg.c - choosing a pxelinux.cfg entry's command (see pxecfg.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "pxecfg.h"

#define MAX_LABELS 512
#define MAX_DEPTH 16

/* ldlinux's kernel types (readconfig.c kernel_types[]), "kernel" = 2. */
static const char *const kernel_types[] = {
	"localboot", "kernel", "linux", "boot", "bss", "pxe", "fdimage",
	"comboot", "com32", "config", NULL
};

struct label {
	char *name, *kernel, *append, *initrd;
	const char *type;	/* kernel_types entry */
	unsigned ipappend;
	bool menu_default;
};

struct config {
	struct label labels[MAX_LABELS];
	unsigned nlabels;
	struct label *cur;	/* the label being read, or NULL */
	char *global_append, *default_cmd, *ontimeout, *path;
	unsigned sysappend;
	int prompt, timeout;
	bool has_ui;
	const struct pxe_names *names;
};

/** If line @p starts with keyword @kw (case-insensitive) followed by a
 * space or the end, the text after it (spaces skipped); else NULL. */
static const char *keyword(const char *p, const char *kw)
{
	size_t n = strlen(kw);

	if (strncasecmp(p, kw, n) || (p[n] && !isspace((unsigned char)p[n])))
		return NULL;
	p += n;
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/** A copy of @s with trailing whitespace removed. */
static char *dup_trimmed(const char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *d = malloc(n + 1);
	if (!d) {
		perror("mboot-check");
		exit(2);
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/** The first word of @s, copied. */
static char *dup_word(const char *s)
{
	size_t n = 0;

	while (s[n] && !isspace((unsigned char)s[n]))
		n++;
	char *d = dup_trimmed(s);
	d[n] = '\0';
	return d;
}

static bool read_file(struct config *c, const char *path, const char *shown,
		      int depth);

/** One line of the file @shown (line @lineno). */
static void parse_line(struct config *c, const char *p, const char *shown,
		       int lineno, int depth)
{
	const char *a;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return;
	if ((a = keyword(p, "label"))) {
		if (c->nlabels == MAX_LABELS) {
			diag(DIAG_WARNING, "%s:%d: more than %d labels; the rest are ignored",
			     shown, lineno, MAX_LABELS);
			c->cur = NULL;
			return;
		}
		c->cur = &c->labels[c->nlabels++];
		memset(c->cur, 0, sizeof(*c->cur));
		c->cur->name = dup_word(a);
		c->cur->kernel = dup_word(a);	/* KERNEL defaults to it */
		c->cur->type = "kernel";
		c->cur->ipappend = c->sysappend;
		return;
	}
	if ((a = keyword(p, "append"))) {
		if (c->cur) {
			free(c->cur->append);
			c->cur->append = dup_trimmed(a);
		} else {
			free(c->global_append);
			c->global_append = dup_trimmed(a);
		}
		return;
	}
	if ((a = keyword(p, "initrd"))) {
		if (c->cur) {
			free(c->cur->initrd);
			c->cur->initrd = dup_trimmed(a);
		}
		return;
	}
	for (unsigned i = 0; kernel_types[i]; i++)
		if ((a = keyword(p, kernel_types[i]))) {
			if (c->cur) {
				free(c->cur->kernel);
				c->cur->kernel = dup_trimmed(a);
				c->cur->type = kernel_types[i];
			}
			return;
		}
	if ((a = keyword(p, "default"))) {
		free(c->default_cmd);
		c->default_cmd = dup_trimmed(a);
		return;
	}
	if ((a = keyword(p, "ontimeout"))) {
		free(c->ontimeout);
		c->ontimeout = dup_trimmed(a);
		return;
	}
	if ((a = keyword(p, "path"))) {
		free(c->path);
		c->path = dup_trimmed(a);
		return;
	}
	if ((a = keyword(p, "ui"))) {
		c->has_ui = true;
		return;
	}
	if ((a = keyword(p, "prompt"))) {
		c->prompt = atoi(a);
		return;
	}
	if ((a = keyword(p, "timeout"))) {
		c->timeout = atoi(a);
		return;
	}
	if ((a = keyword(p, "ipappend")) || (a = keyword(p, "sysappend"))) {
		unsigned v = (unsigned)strtoul(a, NULL, 0);
		if (c->cur)
			c->cur->ipappend = v;
		else
			c->sysappend = v;
		return;
	}
	const char *m = keyword(p, "menu");
	if (m && (a = keyword(m, "default"))) {
		if (c->cur)
			c->cur->menu_default = true;
		return;
	}
	if ((a = keyword(p, "include")) || (m && (a = keyword(m, "include")))) {
		char *name = dup_word(a);
		struct pxe_resolved r;
		pxe_resolve(c->names, name, &r);
		if (r.where != PXE_LOCAL)
			diag(DIAG_WARNING, "%s:%d: INCLUDE %s %s", shown, lineno,
			     name, r.why);
		else if (depth >= MAX_DEPTH)
			diag(DIAG_ERROR, "%s:%d: INCLUDE nested more than %d deep",
			     shown, lineno, MAX_DEPTH);
		else
			read_file(c, r.path, name, depth + 1);
		free(name);
		return;
	}
}

/** Read the config file @path (shown as @shown in messages). */
static bool read_file(struct config *c, const char *path, const char *shown,
		      int depth)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0;
	bool in_text = false;

	if (!f) {
		diag(DIAG_ERROR, "%s: cannot read the config file (%s)", shown,
		     path);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		const char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (in_text) {	/* TEXT HELP ... ENDTEXT */
			if (keyword(p, "endtext"))
				in_text = false;
			continue;
		}
		const char *t = keyword(p, "text");
		if (t && keyword(t, "help")) {
			in_text = true;
			continue;
		}
		parse_line(c, line, shown, lineno, depth);
	}
	fclose(f);
	return true;
}

/** The label named exactly @name (first word of a command), or NULL. */
static struct label *find_label(struct config *c, const char *cmd)
{
	size_t n = 0;

	while (cmd[n] && !isspace((unsigned char)cmd[n]))
		n++;
	for (unsigned i = 0; i < c->nlabels; i++)
		if (strlen(c->labels[i].name) == n &&
		    !strncmp(c->labels[i].name, cmd, n))
			return &c->labels[i];
	return NULL;
}

/** A label's command line, as readconfig.c builds me->cmdline. */
static void label_command(const struct config *c, const struct label *l,
			  char *dst, size_t cap)
{
	const char *a = l->append ? l->append : c->global_append;
	char initrd[600] = "";

	if (!a || !strcmp(a, "-"))
		a = "";
	if (l->initrd)
		snprintf(initrd, sizeof(initrd), " initrd=%s", l->initrd);
	if (!strcmp(l->type, "kernel"))
		snprintf(dst, cap, "%s%s%s%s", l->kernel, *a ? " " : "", a,
			 initrd);
	else
		snprintf(dst, cap, ".%s %s%s%s%s", l->type, l->kernel,
			 *a ? " " : "", a, initrd);
}

/* The config last read (kept for pxecfg_has_label). */
static struct config c;

bool pxecfg_has_label(const char *label)
{
	return find_label(&c, label) != NULL && !strpbrk(label, " \t");
}

const char *pxecfg_label(unsigned i, bool *runs_mboot)
{
	if (i >= c.nlabels)
		return NULL;
	const char *k = c.labels[i].kernel, *base = k;
	size_t n = strcspn(k, " \t");
	for (size_t j = 0; j < n; j++)
		if (k[j] == '/' || k[j] == ':')
			base = k + j + 1;
	size_t bl = (size_t)(k + n - base);
	*runs_mboot = (bl == 9 && !strncmp(base, "mboot.c32", 9)) ||
		      (bl == 5 && !strncmp(base, "mboot", 5));
	return c.labels[i].name;
}

bool pxecfg_choose(const struct pxe_names *names, const char *cfg_path,
		   const char *label, struct pxe_choice *out)
{
	const char *cmd = NULL, *why = "";
	bool ok;

	memset(&c, 0, sizeof(c));
	memset(out, 0, sizeof(*out));
	c.names = names;
	ok = read_file(&c, cfg_path, cfg_path, 0);
	if (!ok)
		return false;
	if (label) {
		cmd = label;
		why = "as asked";
	} else if (c.has_ui) {
		for (unsigned i = 0; i < c.nlabels && !cmd; i++)
			if (c.labels[i].menu_default)
				cmd = c.labels[i].name, why = "MENU DEFAULT";
		if (!cmd && c.ontimeout)
			cmd = c.ontimeout, why = "ONTIMEOUT, under the UI menu";
		if (!cmd && c.default_cmd)
			cmd = c.default_cmd, why = "DEFAULT, under the UI menu";
		if (!cmd && c.nlabels)
			cmd = c.labels[0].name, why = "the menu's first entry";
	} else if (c.prompt && c.timeout > 0 && c.ontimeout) {
		cmd = c.ontimeout, why = "ONTIMEOUT (PROMPT 1, TIMEOUT set)";
	} else if (c.default_cmd) {
		cmd = c.default_cmd, why = "DEFAULT";
	}
	if (!cmd) {
		diag(DIAG_ERROR, "%s: no DEFAULT or UI directive: PXELINUX would stop at boot: (\"No DEFAULT or UI configuration directive found!\")",
		     cfg_path);
		return false;
	}

	out->nlabels = c.nlabels;
	for (unsigned i = 0; i < c.nlabels; i++)
		out->label_bytes += strlen(c.labels[i].kernel) +
			(c.labels[i].append ? strlen(c.labels[i].append) : 0);
	if (c.path)
		snprintf(out->path, sizeof(out->path), "%s", c.path);
	struct label *l = find_label(&c, cmd);
	if (l) {
		const char *args = cmd + strlen(l->name);
		while (isspace((unsigned char)*args))
			args++;
		label_command(&c, l, out->command, sizeof(out->command));
		if (*args) {	/* load_kernel(): extra words are appended */
			size_t n = strlen(out->command);
			snprintf(out->command + n, sizeof(out->command) - n,
				 " %s", args);
		}
		snprintf(out->how, sizeof(out->how), "label \"%s\" (%s)",
			 l->name, why);
		out->sysappend = l->ipappend;
		out->has_initrd = l->initrd != NULL;
		out->from_label = true;
	} else if (label) {
		diag(DIAG_ERROR, "%s: no label \"%s\"", cfg_path, label);
		return false;
	} else {
		snprintf(out->command, sizeof(out->command), "%s", cmd);
		snprintf(out->how, sizeof(out->how), "the command line of %s",
			 why);
	}
	return true;
}
