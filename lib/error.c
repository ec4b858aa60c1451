/*
 * error.c - recording failures (see error.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include "error.h"
#include "format.h"

int mb_fail(struct mb_error *err, enum mb_code code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		mb_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *mb_code_name(enum mb_code code)
{
	static const char *const names[MB_E__COUNT] = {
		[MB_OK] = "ok",
		[MB_E_USAGE] = "usage",
		[MB_E_EMPTY_MODULE] = "empty-module",
		[MB_E_TOO_MANY_FILES] = "too-many-files",
		[MB_E_CMDLINE_TOO_LONG] = "cmdline-too-long",
		[MB_E_BAD_OPTION] = "bad-option",
		[MB_E_NOT_FOUND] = "not-found",
		[MB_E_READ] = "read-error",
		[MB_E_EMPTY_FILE] = "empty-file",
		[MB_E_NO_MEMORY] = "no-heap",
		[MB_E_NO_HEADER] = "no-header",
		[MB_E_HEADER_CHECKSUM] = "header-checksum",
		[MB_E_HEADER_TOO_FAR] = "header-too-far",
		[MB_E_UNSUPPORTED_FLAG] = "unsupported-flag",
		[MB_E_AOUT_FIELDS] = "aout-fields",
		[MB_E_NOT_ELF] = "not-elf",
		[MB_E_ELF_HEADER] = "elf-header",
		[MB_E_ELF_PHDRS] = "elf-phdrs",
		[MB_E_SEGMENT_FILE] = "segment-past-eof",
		[MB_E_SEGMENT_OVERLAP] = "segment-overlap",
		[MB_E_SEGMENT_RANGE] = "segment-range",
		[MB_E_NO_SEGMENTS] = "no-segments",
		[MB_E_ENTRY] = "entry-outside",
		[MB_E_SEGMENT_NOT_RAM] = "segment-not-ram",
		[MB_E_SEGMENT_IN_USE] = "segment-in-use",
		[MB_E_OUT_OF_MEMORY] = "out-of-memory",
		[MB_E_GZIP] = "gzip",
		[MB_E_BOOT] = "boot",
		[MB_E_FIRMWARE] = "firmware",
		[MB_E_MB2_HEADER] = "mb2-header",
		[MB_E_MB2_UNSUPPORTED] = "mb2-unsupported",
		[MB_E_RELOCATE] = "relocate",
		[MB_E_DIGEST] = "digest-mismatch",
	};

	if ((unsigned)code < MB_E__COUNT && names[code])
		return names[code];
	return "unknown";
}
