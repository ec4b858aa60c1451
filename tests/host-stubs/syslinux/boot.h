/*
 * syslinux/boot.h - host stand-in: main.c runs the -fallback label with
 * syslinux_run_command (the tests never reach it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_HOST_STUB_BOOT_H
#define MBOOT_HOST_STUB_BOOT_H

int syslinux_run_command(const char *command);

#endif
