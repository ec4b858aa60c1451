/*
 * test_filename.c - PXELINUX's kinds of file names (lib/filename.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "filename.h"

int main(void)
{
	CHECK_EQ_U(mb_name_kind("xen.gz"), MB_NAME_RELATIVE);
	CHECK_EQ_U(mb_name_kind("/boot/xen.gz"), MB_NAME_RELATIVE);
	CHECK_EQ_U(mb_name_kind(""), MB_NAME_RELATIVE);
	CHECK_EQ_U(mb_name_kind("http://10.0.2.2:8080/xen.gz"), MB_NAME_URL);
	CHECK_EQ_U(mb_name_kind("tftp://server/xen.gz"), MB_NAME_URL);
	CHECK_EQ_U(mb_name_kind("10.0.2.2::boot/xen.gz"), MB_NAME_TFTP);
	CHECK_EQ_U(mb_name_kind("::xen.gz"), MB_NAME_TFTP);
	/* Only the first ':' decides. */
	CHECK_EQ_U(mb_name_kind("a:b::c"), MB_NAME_RELATIVE);
	CHECK_EQ_U(mb_name_kind("a:/b"), MB_NAME_RELATIVE);
	CHECK_EQ_U(mb_name_kind("x:"), MB_NAME_RELATIVE);
	CHECK_EQ_U(mb_name_kind("h::p://q"), MB_NAME_TFTP);
	return check_summary("filename");
}
