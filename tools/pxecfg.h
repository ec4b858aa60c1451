/*
 * pxecfg.h - reading a pxelinux.cfg file the way ldlinux.c32 (SYSLINUX
 * 6.04, com32/elflink/ldlinux) does, as far as choosing the command line
 * of one entry goes.
 *
 * Understood: LABEL; KERNEL/LINUX/COM32/BOOT/... (the label's program);
 * APPEND (in a label: its own, "-" meaning none; before any label: the
 * global one labels without APPEND inherit); INITRD (adds " initrd=X");
 * DEFAULT and ONTIMEOUT (a label name, possibly with more arguments, or
 * a command line of its own); INCLUDE and MENU INCLUDE (the file is
 * resolved as PXELINUX resolves names); PATH (where ldlinux also looks
 * for mboot.c32 itself); IPAPPEND/SYSAPPEND (recorded: the
 * line then gets strings the checker cannot know); TEXT HELP...ENDTEXT
 * skipped.  Keywords are case-insensitive, labels are not.  A CONFIG
 * label's command is ".config FILE [DIR]" (tools/mboot-check.c follows
 * it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_CHECK_PXECFG_H
#define MBOOT_CHECK_PXECFG_H

#include <stdbool.h>
#include "pxename.h"

/** The command an entry runs. */
struct pxe_choice {
	char command[4096];	/* "mboot.c32 ARGS" as ldlinux executes it */
	char how[300];		/* which entry, e.g. label "xen" (DEFAULT) */
	unsigned sysappend;	/* IPAPPEND/SYSAPPEND bits in effect */
	bool has_initrd;	/* INITRD added " initrd=..." */
	bool from_label;
	unsigned nlabels;	/* labels in the config */
	unsigned label_bytes;	/* their KERNEL and APPEND text, in bytes */
	char path[1024];	/* PATH: directories for modules, ':'-separated */
};

/**
 * Read the config file @cfg_path (a host path; INCLUDE names resolve with
 * @names) and choose the entry @label, or when @label is NULL what an
 * unattended boot runs: ONTIMEOUT when set, else DEFAULT.  Fills @c.
 * Problems are reported through diag(); returns false when no command
 * could be chosen.
 */
bool pxecfg_choose(const struct pxe_names *names, const char *cfg_path,
		   const char *label, struct pxe_choice *c);

/**
 * True if the config last read by pxecfg_choose() has a label named
 * exactly @label (what -fallback=LABEL runs).
 */
bool pxecfg_has_label(const char *label);

/**
 * The @i-th label of the config last read (in file order): its name, and
 * whether its program is mboot.c32 (KERNEL/COM32 mboot.c32 or mboot).
 * Returns NULL past the last label.
 */
const char *pxecfg_label(unsigned i, bool *runs_mboot);

#endif
