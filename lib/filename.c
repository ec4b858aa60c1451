/*
 * filename.c - what kind of file name PXELINUX sees (see filename.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "filename.h"

enum mb_name_kind mb_name_kind(const char *s)
{
	while (*s && *s != ':')
		s++;
	if (!*s)
		return MB_NAME_RELATIVE;
	if (s[1] == '/' && s[2] == '/')
		return MB_NAME_URL;
	if (s[1] == ':')
		return MB_NAME_TFTP;
	return MB_NAME_RELATIVE;
}
