/*
 * fuzz_bootcfg.c - libFuzzer target for the boot.cfg reader
 * (lib/bootcfg.c, through lib/cmdline.c's mb_parse_parts).  The input is
 * the boot.cfg's text, NUL bytes and all; it is read as "-c d/boot.cfg".
 *
 * Beyond memory safety (ASan/UBSan) it checks what a read promises: an
 * error has a message; a success names 1 to 127 modules, every name a
 * single word that is not an option, every argument text trimmed; and a
 * boot.cfg written back from the request (with an empty prefix=, so the
 * names are taken as they are) reads to the same names and arguments.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootcfg.h"
#include "cmdline.h"

/** Stop with @what: libFuzzer keeps the input. */
static void fail(const char *what)
{
	fprintf(stderr, "fuzz_bootcfg: %s\n", what);
	abort();
}

/** True for the blanks lib/cmdline.c splits words on. */
static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb_request req, again;
	static struct mb_bootcfg cfg;
	static char line[MB_CFG_LINE_MAX], text[2 * MB_CFG_LINE_MAX + 4096];
	struct mb_error err;

	if (mb_parse_cmdline("-c d/boot.cfg", &req, &err))
		fail("-c d/boot.cfg refused");
	memset(&err, 0, sizeof(err));
	if (mb_bootcfg_apply((const char *)data, size, "d/boot.cfg", line,
			     sizeof(line), &req, &cfg, &err)) {
		if (!err.msg[0])
			fail("an error without a message");
		return 0;
	}
	if (req.nfiles < 1 || req.nfiles > MB_MAX_FILES)
		fail("file count out of range");
	if (strlen(cfg.title) >= sizeof(cfg.title))
		fail("title not terminated");
	size_t n = (size_t)snprintf(text, sizeof(text), "prefix=\nkernel=%s\nkernelopt=%s\nmodules=",
				    req.files[0].name, req.files[0].args);
	for (unsigned i = 0; i < req.nfiles; i++) {
		const struct mb_file_req *f = &req.files[i];
		if (!f->name[0] || f->name[0] == '-')
			fail("empty name, or one that is an option");
		for (const char *p = f->name; *p; p++)
			if (blank(*p))
				fail("a name with a blank in it");
		size_t a = strlen(f->args);
		if (a && (blank(f->args[0]) || blank(f->args[a - 1])))
			fail("argument text not trimmed");
		if (i)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s %s",
					      i > 1 ? " --- " : "", f->name, f->args);
	}
	text[n++] = '\n';
	if (mb_parse_cmdline("-c d/boot.cfg", &again, &err) ||
	    mb_bootcfg_apply(text, n, "d/boot.cfg", line, sizeof(line), &again,
			     &cfg, &err))
		fail("written back, it is refused");
	if (again.nfiles != req.nfiles)
		fail("written back, another file count");
	for (unsigned i = 0; i < req.nfiles; i++)
		if (strcmp(again.files[i].name, req.files[i].name) ||
		    strcmp(again.files[i].args, req.files[i].args))
			fail("written back, another name or argument text");
	return 0;
}
