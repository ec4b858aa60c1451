/*
 * error.h - how failures travel through the core.
 *
 * Every function that can fail takes a struct mb_error * and returns a
 * nonzero error code after filling it with mb_fail(): the code says which
 * failure it was, the message says it in words, naming the file and giving
 * the numbers (offsets, addresses, sizes, flag bits).  The caller at the top
 * prints the message once; nothing in between prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_ERROR_H
#define MBOOT_ERROR_H

/* Distinct failure codes (never renumber: tests and docs refer to them). */
enum mb_code {
	MB_OK = 0,
	MB_E_USAGE,		/* no kernel named on the command line */
	MB_E_EMPTY_MODULE,	/* "--- ---" or a trailing "---" */
	MB_E_TOO_MANY_FILES,	/* more modules than we can describe */
	MB_E_CMDLINE_TOO_LONG,	/* command line over the length limit */
	MB_E_BAD_OPTION,	/* unknown loader option */
	MB_E_NOT_FOUND,		/* file could not be opened */
	MB_E_READ,		/* read error in the middle of a file */
	MB_E_EMPTY_FILE,	/* zero-length kernel */
	MB_E_NO_MEMORY,		/* the loader's own heap is exhausted */
	MB_E_NO_HEADER,		/* no Multiboot header in the first 8 KiB */
	MB_E_HEADER_CHECKSUM,	/* magic found, checksum wrong */
	MB_E_HEADER_TOO_FAR,	/* valid header, but past the 8 KiB limit */
	MB_E_UNSUPPORTED_FLAG,	/* a required header flag we cannot honour */
	MB_E_AOUT_FIELDS,	/* a.out kludge address fields inconsistent */
	MB_E_NOT_ELF,		/* no a.out kludge and no usable ELF header */
	MB_E_ELF_HEADER,	/* ELF header fields invalid or unsupported */
	MB_E_ELF_PHDRS,		/* program header table outside the file */
	MB_E_SEGMENT_FILE,	/* segment data past the end of the file */
	MB_E_SEGMENT_OVERLAP,	/* two segments overlap */
	MB_E_SEGMENT_RANGE,	/* segment above 4 GiB or wrapping */
	MB_E_NO_SEGMENTS,	/* nothing to load */
	MB_E_ENTRY,		/* entry point outside every segment */
	MB_E_SEGMENT_NOT_RAM,	/* segment not in usable RAM */
	MB_E_SEGMENT_IN_USE,	/* segment where the loader itself lives */
	MB_E_OUT_OF_MEMORY,	/* the modules do not fit in RAM */
	MB_E_GZIP,		/* gzip stream invalid (see message) */
	MB_E_BOOT,		/* the final hand-off could not be set up */
	MB_E_FIRMWARE,		/* firmware service failed */
	MB_E_MB2_HEADER,	/* Multiboot2 header or its tags malformed */
	MB_E_MB2_UNSUPPORTED,	/* a required Multiboot2 tag or request we
				   cannot honour (EFI, video mode, ...) */
	MB_E_RELOCATE,		/* no room for a relocatable image */
	MB_E_DIGEST,		/* -sha256: the file's digest differs */
	MB_E__COUNT
};

/** An error: its code and a message for the person at the console. */
struct mb_error {
	enum mb_code code;
	char msg[320];
};

/**
 * Record a failure in @err (if non-NULL) and return @code, so callers can
 * write "return mb_fail(err, MB_E_X, "...", ...);".  The format is that of
 * mb_snprintf (format.h).
 */
int mb_fail(struct mb_error *err, enum mb_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** A short fixed name for @code, e.g. "no-header" (used by tests and docs). */
const char *mb_code_name(enum mb_code code);

#endif
