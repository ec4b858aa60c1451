/*
 * syslinux/pxe_api.h - host stand-in: the PXE calls and structures of the
 * iPXE file API (PXE opcodes 0xe0-0xe6) that com32/fetch_ipxe.c uses, laid
 * out as in SYSLINUX 6.04's header (packed, 16-bit status).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_HOST_STUB_PXE_API_H
#define MBOOT_HOST_STUB_PXE_API_H

#include <stdint.h>
#include <com32.h>

typedef uint16_t pxenv_status_t;
typedef far_ptr_t segoff16_t;

typedef struct s_PXENV_FILE_API_CHECK {
	pxenv_status_t Status;
	uint16_t Size;
	uint32_t Magic;
	uint32_t Provider;
	uint32_t APIMask;
	uint32_t Flags;
} __attribute__((packed)) t_PXENV_FILE_API_CHECK;

typedef struct s_PXENV_FILE_READ {
	pxenv_status_t Status;
	uint16_t FileHandle;
	uint16_t BufferSize;
	segoff16_t Buffer;
} __attribute__((packed)) t_PXENV_FILE_READ;

typedef struct s_PXENV_FILE_OPEN {
	pxenv_status_t Status;
	uint16_t FileHandle;
	segoff16_t FileName;
	uint32_t Reserved;
} __attribute__((packed)) t_PXENV_FILE_OPEN;

typedef struct s_PXENV_FILE_CLOSE {
	pxenv_status_t Status;
	uint16_t FileHandle;
} __attribute__((packed)) t_PXENV_FILE_CLOSE;

typedef struct s_PXENV_GET_FILE_SIZE {
	pxenv_status_t Status;
	uint16_t FileHandle;
	uint32_t FileSize;
} __attribute__((packed)) t_PXENV_GET_FILE_SIZE;

#define PXENV_FILE_OPEN			0x00e0
#define PXENV_FILE_CLOSE		0x00e1
#define PXENV_FILE_SELECT		0x00e2
#define PXENV_FILE_READ			0x00e3
#define PXENV_GET_FILE_SIZE		0x00e4
#define PXENV_FILE_EXEC			0x00e5
#define PXENV_FILE_API_CHECK		0x00e6

#define PXENV_STATUS_SUCCESS		0x00
#define PXENV_STATUS_FAILURE		0x01
#define PXENV_STATUS_TFTP_FILE_NOT_FOUND 0x3b

/** The PXE stack: the simulated firmware (ipxe_sim.h). */
int pxe_call(int opcode, void *params);

#endif
