/*
 * fw_efi.c - the firmware interface under syslinux.efi (UEFI, x86-64).
 *
 * The module runs in the firmware's long mode (identity-mapped paging,
 * interrupts on) with boot services alive, so memory is taken from the
 * firmware with AllocatePages(AllocateAddress) and the kernel is entered
 * at its EFI amd64 entry (Multiboot 2 header tag 9) with boot services
 * kept: RAX = magic, RBX = the information's address.
 *
 * syslinux.efi hands modules neither its system table nor its image
 * handle.  It does export ImageBase and __bss_end, and the system table
 * pointer it was started with is stored in its memory between the two;
 * the image handle is the loaded image whose range contains ImageBase.
 * Every candidate is validated (signatures, sizes, CRC-32 of the table
 * headers, pointers inside the firmware's memory map) before it is used.
 *
 * Firmware calls go through gnu-efi's headers (GNU_EFI_USE_MS_ABI makes
 * each service a plain ms_abi function pointer); no gnu-efi code is used.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifdef __FIRMWARE_EFI64__

#include <com32.h>
#include <stdio.h>
#include <string.h>
#include <syslinux/memscan.h>
#include <efi.h>
#include "../lib/crc32.h"
#include "firmware.h"

/* Exported by syslinux.efi; weak so that a core without them fails in
 * fw_init with a message instead of refusing to load the module. */
extern char ImageBase[] __attribute__((weak));
extern char __bss_end[] __attribute__((weak));

#define FOUR_GIB 0x100000000ull
#define PAGE_SHIFT 12
#define PAGE_SIZE 4096ull

static EFI_SYSTEM_TABLE *st;
static EFI_BOOT_SERVICES *bs;
static EFI_HANDLE image_handle;
static int verbose;

/* Pages we took with AllocatePages: [start, end), page aligned. */
#define MAX_CLAIMS (2 * MB_MAX_FILES + MB_MAX_SEGMENTS + 16)
static struct claim {
	uint64_t start, end;
} claims[MAX_CLAIMS];
static unsigned nclaims;

/* efi_udp.c: mboot's TFTP over EFI_UDP4; its child is given back before
 * the kernel runs and before the module returns (fw_boot, fw_release). */
void efi_udp_shutdown(void);

/** The system table fw_init found (NULL before), for efi_udp.c. */
EFI_SYSTEM_TABLE *fw_efi_system_table(void)
{
	return st;
}

/** syslinux.efi's image handle fw_init found (NULL before), for efi_udp.c. */
EFI_HANDLE fw_efi_image_handle(void)
{
	return image_handle;
}

/** True with -verbose, for efi_udp.c's counts. */
int fw_efi_verbose(void)
{
	return verbose;
}

/* -------------------------------------------------------------------- */
/* Small helpers                                                          */

/** True when -verbose is among the loader options of the command line. */
static int want_verbose(void)
{
	const char *p = com32_cmdline();

	while (p && *p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '-')
			return 0;	/* the kernel's name: options are over */
		const char *e = p;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		if (e - p == 8 && !memcmp(p, "-verbose", 8))
			return 1;
		p = e;
	}
	return 0;
}

/** A short name for EFI memory type @t (for messages). */
static const char *efi_type_name(uint32_t t)
{
	static const char *const names[] = {
		"reserved", "loader code", "loader data",
		"boot services code", "boot services data",
		"runtime services code", "runtime services data",
		"conventional memory", "unusable memory", "ACPI reclaim",
		"ACPI NVS", "MMIO", "MMIO port space", "PAL code",
		"persistent memory",
	};
	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown";
}

/** A short text for EFI status @s. */
static const char *efi_status_name(EFI_STATUS s)
{
	switch (s) {
	case EFI_SUCCESS: return "success";
	case EFI_INVALID_PARAMETER: return "invalid parameter";
	case EFI_UNSUPPORTED: return "unsupported";
	case EFI_BUFFER_TOO_SMALL: return "buffer too small";
	case EFI_OUT_OF_RESOURCES: return "out of resources";
	case EFI_NOT_FOUND: return "not found";
	default: return "error";
	}
}

/* -------------------------------------------------------------------- */
/* The memory map                                                         */

struct efi_map {
	uint8_t *buf;		/* AllocatePool()ed, reused */
	UINTN cap;		/* bytes at buf */
	UINTN size;		/* bytes of the last map */
	UINTN desc_size;
	UINT32 desc_version;
	UINTN key;
};

static struct efi_map cur_map;	/* for the conversions */
static struct efi_map info_map;	/* the copy handed to the kernel */

/**
 * Read the firmware's memory map into @m, growing its buffer as needed
 * (the buffer's own allocation can add descriptors, hence the slack).
 * Returns 0 or -1.
 */
static int map_read(struct efi_map *m)
{
	for (int tries = 0; tries < 8; tries++) {
		UINTN size = m->cap;
		EFI_STATUS s = bs->GetMemoryMap(&size,
			(EFI_MEMORY_DESCRIPTOR *)m->buf, &m->key,
			&m->desc_size, &m->desc_version);
		if (s == EFI_SUCCESS && m->buf) {
			m->size = size;
			return 0;
		}
		if (s != EFI_BUFFER_TOO_SMALL)
			return -1;
		if (m->buf)
			bs->FreePool(m->buf);
		m->buf = NULL;
		m->cap = 0;
		size += 16 * (m->desc_size ? m->desc_size : 48);
		void *p = NULL;
		if (bs->AllocatePool(EfiLoaderData, size, &p) != EFI_SUCCESS)
			return -1;
		m->buf = p;
		m->cap = size;
	}
	return -1;
}

/** Descriptor @i of @m. */
static const EFI_MEMORY_DESCRIPTOR *map_desc(const struct efi_map *m,
					      UINTN i)
{
	return (const EFI_MEMORY_DESCRIPTOR *)(m->buf + i * m->desc_size);
}

static UINTN map_count(const struct efi_map *m)
{
	return m->desc_size ? m->size / m->desc_size : 0;
}

/** E820 type for EFI memory type @t. */
static uint32_t e820_type(uint32_t t)
{
	switch (t) {
	case EfiConventionalMemory:
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return 1;
	case EfiACPIReclaimMemory:
		return 3;
	case EfiACPIMemoryNVS:
		return 4;
	case EfiUnusableMemory:
		return 5;
	default:
		return 2;
	}
}

/** Sort @n E820 entries by base (insertion sort: maps are short). */
static void e820_sort(struct mb_e820 *e, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct mb_e820 t = e[i];
		unsigned j = i;
		while (j > 0 && e[j - 1].base > t.base) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = t;
	}
}

unsigned fw_memory_map(struct mb_e820 *map, unsigned max)
{
	if (!bs || map_read(&cur_map))
		return 0;
	unsigned n = 0;
	for (UINTN i = 0; i < map_count(&cur_map) && n < max; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = map_desc(&cur_map, i);
		if (!d->NumberOfPages)
			continue;
		map[n].base = d->PhysicalStart;
		map[n].len = d->NumberOfPages << PAGE_SHIFT;
		map[n].type = e820_type(d->Type);
		n++;
	}
	e820_sort(map, n);
	/* Merge neighbours of the same type. */
	unsigned out = 0;
	for (unsigned i = 0; i < n; i++) {
		if (out && map[out - 1].type == map[i].type &&
		    map[out - 1].base + map[out - 1].len == map[i].base) {
			map[out - 1].len += map[i].len;
			continue;
		}
		map[out++] = map[i];
	}
	return out;
}

/**
 * Conventional memory inside [@lo, 4 GiB) as sorted, merged ranges;
 * returns the count.
 */
static unsigned free_ranges(struct mb_range *r, unsigned max, uint64_t lo)
{
	if (!bs || map_read(&cur_map))
		return 0;
	unsigned n = 0;
	for (UINTN i = 0; i < map_count(&cur_map) && n < max; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = map_desc(&cur_map, i);
		uint64_t s = d->PhysicalStart;
		uint64_t e = s + (d->NumberOfPages << PAGE_SHIFT);
		if (d->Type != EfiConventionalMemory)
			continue;
		if (s < lo)
			s = lo;
		if (e > FOUR_GIB)
			e = FOUR_GIB;
		if (s >= e)
			continue;
		/* insert sorted */
		unsigned j = n++;
		while (j > 0 && r[j - 1].start > s) {
			r[j] = r[j - 1];
			j--;
		}
		r[j].start = s;
		r[j].end = e;
	}
	unsigned out = 0;
	for (unsigned i = 0; i < n; i++) {
		if (out && r[out - 1].end >= r[i].start) {
			if (r[i].end > r[out - 1].end)
				r[out - 1].end = r[i].end;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

unsigned fw_segment_ranges(struct mb_range *r, unsigned max)
{
	return free_ranges(r, max, 0);
}

unsigned fw_alloc_ranges(struct mb_range *r, unsigned max,
			 struct mb_error *err)
{
	unsigned n = free_ranges(r, max, MB_LOW_LIMIT);

	if (!n)
		mb_fail(err, MB_E_NO_MEMORY,
			"no conventional memory between 1 MiB and 4 GiB in the UEFI memory map");
	return n;
}

/* -------------------------------------------------------------------- */
/* Finding the system table and the image handle                          */

/* What the firmware map (through syslinux's scan) lists: a dereference
 * filter, so that no stray word of the core is read as a pointer into
 * unmapped or device space.  syslinux passes 32-bit addresses here. */
#define MAX_KNOWN 256
static struct mb_range known[MAX_KNOWN];
static unsigned nknown;

static int known_cb(void *data, addr_t start, addr_t len,
		    enum syslinux_memmap_types type)
{
	(void)data, (void)type;
	if (nknown < MAX_KNOWN && len) {
		known[nknown].start = start;
		known[nknown].end = (uint64_t)start + len;
		nknown++;
	}
	return 0;
}

/** True if [@p, @p+@len) lies inside one listed range, below 4 GiB. */
static int readable(uint64_t p, uint64_t len)
{
	if (!p || p + len < p || p + len > FOUR_GIB)
		return 0;
	for (unsigned i = 0; i < nknown; i++)
		if (known[i].start <= p && p + len <= known[i].end)
			return 1;
	return 0;
}

/** The CRC-32 of a table header of @size bytes at @hdr, CRC field as 0. */
static uint32_t header_crc(const EFI_TABLE_HEADER *hdr, uint32_t size)
{
	const uint8_t *p = (const uint8_t *)hdr;
	size_t off = offsetof(EFI_TABLE_HEADER, CRC32);
	static const uint8_t zero[4];
	uint32_t crc = crc32_update(0, p, off);

	crc = crc32_update(crc, zero, 4);
	return crc32_update(crc, p + off + 4, size - off - 4);
}

/**
 * Check a table header at @p: readable, signature @sig, a header size
 * between @min and 64 KiB.  Returns 0 when not even that, 1 when the
 * CRC-32 does not match, 2 when everything does.
 */
static int table_ok(uint64_t p, uint64_t sig, uint32_t min)
{
	const EFI_TABLE_HEADER *h = (const EFI_TABLE_HEADER *)(uintptr_t)p;

	if ((p & 7) || !readable(p, sizeof(*h)) || h->Signature != sig ||
	    h->HeaderSize < min || h->HeaderSize > 65536 ||
	    !readable(p, h->HeaderSize) || (h->Revision >> 16) < 1)
		return 0;
	return header_crc(h, h->HeaderSize) == h->CRC32 ? 2 : 1;
}

/**
 * Validate a system table candidate: its header, its boot and runtime
 * services tables, its configuration table.  At least one of the system
 * and boot services CRCs must match (both do on sane firmware).
 */
static int system_table_ok(uint64_t p)
{
	int s = table_ok(p, EFI_SYSTEM_TABLE_SIGNATURE,
			 sizeof(EFI_SYSTEM_TABLE));
	if (!s)
		return 0;
	const EFI_SYSTEM_TABLE *t = (const EFI_SYSTEM_TABLE *)(uintptr_t)p;
	int b = table_ok((uintptr_t)t->BootServices,
			 EFI_BOOT_SERVICES_SIGNATURE,
			 sizeof(EFI_BOOT_SERVICES));
	int r = table_ok((uintptr_t)t->RuntimeServices,
			 EFI_RUNTIME_SERVICES_SIGNATURE,
			 offsetof(EFI_RUNTIME_SERVICES, ResetSystem) +
			 sizeof(void *));
	if (!b || !r || (s < 2 && b < 2))
		return 0;
	if (t->NumberOfTableEntries > 4096 ||
	    (t->NumberOfTableEntries &&
	     !readable((uintptr_t)t->ConfigurationTable,
		       t->NumberOfTableEntries *
		       sizeof(EFI_CONFIGURATION_TABLE))))
		return 0;
	return 1;
}

/** Scan syslinux.efi's memory for a pointer to a valid system table. */
static EFI_SYSTEM_TABLE *find_system_table(struct mb_error *err)
{
	uintptr_t lo = (uintptr_t)ImageBase, hi = (uintptr_t)__bss_end;

	if (!lo || !hi || hi <= lo || hi - lo > 64u * 1024 * 1024) {
		mb_fail(err, MB_E_FIRMWARE,
			"syslinux.efi does not export ImageBase/__bss_end (%p, %p): cannot find the EFI system table",
			(void *)lo, (void *)hi);
		return NULL;
	}
	nknown = 0;
	if (syslinux_scan_memory(known_cb, NULL) || !nknown) {
		mb_fail(err, MB_E_FIRMWARE,
			"cannot read the memory map through syslinux.efi: cannot look for the EFI system table");
		return NULL;
	}
	lo = (lo + 7) & ~(uintptr_t)7;
	unsigned seen = 0;
	for (uintptr_t a = lo; a + 8 <= hi; a += 8) {
		uint64_t v = *(const uint64_t *)a;
		if ((v & 7) || v < 0x1000 || (v >= lo && v < hi))
			continue;
		if (!readable(v, sizeof(EFI_TABLE_HEADER)) ||
		    ((const EFI_TABLE_HEADER *)(uintptr_t)v)->Signature !=
		    EFI_SYSTEM_TABLE_SIGNATURE)
			continue;
		seen++;
		if (system_table_ok(v)) {
			if (verbose)
				printf("mboot: EFI system table 0x%llx (pointer at 0x%llx in syslinux.efi 0x%llx-0x%llx)\n",
				       (unsigned long long)v,
				       (unsigned long long)a,
				       (unsigned long long)(uintptr_t)ImageBase,
				       (unsigned long long)hi);
			return (EFI_SYSTEM_TABLE *)(uintptr_t)v;
		}
	}
	mb_fail(err, MB_E_FIRMWARE,
		"no valid EFI system table pointer in syslinux.efi's memory 0x%llx-0x%llx (%u signature matches failed validation)",
		(unsigned long long)lo, (unsigned long long)hi, seen);
	return NULL;
}

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID pxe_guid = EFI_PXE_BASE_CODE_PROTOCOL_GUID;
static EFI_GUID acpi1_guid = ACPI_TABLE_GUID;
static EFI_GUID acpi2_guid = ACPI_20_TABLE_GUID;

/** The loaded image whose memory holds syslinux.efi's ImageBase. */
static EFI_HANDLE find_image_handle(struct mb_error *err)
{
	EFI_HANDLE *h = NULL, found = NULL;
	UINTN n = 0;
	uintptr_t me = (uintptr_t)ImageBase;
	EFI_STATUS s = bs->LocateHandleBuffer(ByProtocol, &loaded_image_guid,
					      NULL, &n, &h);

	if (s != EFI_SUCCESS) {
		mb_fail(err, MB_E_FIRMWARE,
			"cannot list the loaded images (EFI status 0x%llx, %s)",
			(unsigned long long)s, efi_status_name(s));
		return NULL;
	}
	for (UINTN i = 0; i < n && !found; i++) {
		EFI_LOADED_IMAGE *li = NULL;
		if (bs->HandleProtocol(h[i], &loaded_image_guid,
				       (void **)&li) != EFI_SUCCESS || !li)
			continue;
		uintptr_t base = (uintptr_t)li->ImageBase;
		if (me >= base && me - base < li->ImageSize)
			found = h[i];
	}
	bs->FreePool(h);
	if (!found)
		mb_fail(err, MB_E_FIRMWARE,
			"none of the %llu loaded images contains syslinux.efi (ImageBase 0x%llx): no EFI image handle",
			(unsigned long long)n, (unsigned long long)me);
	return found;
}

int fw_init(struct mb_error *err)
{
	if (bs)
		return MB_OK;
	verbose = want_verbose();
	EFI_SYSTEM_TABLE *t = find_system_table(err);
	if (!t)
		return MB_E_FIRMWARE;
	st = t;
	bs = t->BootServices;
	image_handle = find_image_handle(err);
	if (!image_handle) {
		st = NULL;
		bs = NULL;
		return MB_E_FIRMWARE;
	}
	/* The firmware's 5-minute watchdog (UEFI 2.x, 3.1.2) runs while a
	 * boot option loads: a big initrd over a slow or lossy link takes
	 * longer, and the firmware would reset the machine in the middle
	 * (seen with syslinux.efi's own TFTP at 327 s).  A boot loader turns
	 * it off; the kernel is started with boot services kept. */
	bs->SetWatchdogTimer(0, 0, 0, NULL);
	if (verbose)
		printf("mboot: UEFI %u.%02u, image handle 0x%llx\n",
		       st->Hdr.Revision >> 16, st->Hdr.Revision & 0xffff,
		       (unsigned long long)(uintptr_t)image_handle);
	return MB_OK;
}

/* -------------------------------------------------------------------- */
/* Claiming memory                                                        */

/** The EFI type of the memory around the page at @a (for messages). */
static const char *type_at(uint64_t a)
{
	if (map_read(&cur_map))
		return "unknown memory";
	for (UINTN i = 0; i < map_count(&cur_map); i++) {
		const EFI_MEMORY_DESCRIPTOR *d = map_desc(&cur_map, i);
		if (a >= d->PhysicalStart &&
		    a - d->PhysicalStart < (d->NumberOfPages << PAGE_SHIFT))
			return efi_type_name(d->Type);
	}
	return "a hole in the memory map";
}

/** Take pages [@s, @e) that are not ours yet, as EFI memory @type. */
static int claim_pages(uint64_t s, uint64_t e, EFI_MEMORY_TYPE type,
		       const char *what, uint64_t addr, uint64_t len,
		       struct mb_error *err)
{
	uint64_t cur = s;

	while (cur < e) {
		uint64_t next = e;
		int inside = 0;
		for (unsigned i = 0; i < nclaims; i++) {
			if (claims[i].start <= cur && cur < claims[i].end) {
				cur = claims[i].end;
				inside = 1;
				break;
			}
			if (claims[i].start > cur && claims[i].start < next)
				next = claims[i].start;
		}
		if (inside)
			continue;
		if (nclaims == MAX_CLAIMS)
			return mb_fail(err, MB_E_FIRMWARE,
				       "%s: more than %u memory claims",
				       what, MAX_CLAIMS);
		EFI_PHYSICAL_ADDRESS a = cur;
		EFI_STATUS st_ = bs->AllocatePages(AllocateAddress, type,
						   (next - cur) >> PAGE_SHIFT,
						   &a);
		if (st_ != EFI_SUCCESS || a != cur) {
			/* Say which page is taken and by what. */
			uint64_t bad = cur;
			for (uint64_t p = cur; p < next; p += PAGE_SIZE) {
				EFI_PHYSICAL_ADDRESS one = p;
				if (bs->AllocatePages(AllocateAddress, type, 1,
						      &one) != EFI_SUCCESS) {
					bad = p;
					break;
				}
				bs->FreePages(one, 1);
			}
			return mb_fail(err, MB_E_FIRMWARE,
				       "%s: cannot claim 0x%08llx-0x%08llx from UEFI (EFI status 0x%llx, %s): the page at 0x%08llx is %s",
				       what, (unsigned long long)addr,
				       (unsigned long long)(addr + len),
				       (unsigned long long)st_,
				       efi_status_name(st_),
				       (unsigned long long)bad, type_at(bad));
		}
		claims[nclaims].start = cur;
		claims[nclaims].end = next;
		nclaims++;
		cur = next;
	}
	return MB_OK;
}

static int claim(uint64_t addr, uint64_t len, EFI_MEMORY_TYPE type,
		 const char *what, struct mb_error *err)
{
	if (!bs)
		return mb_fail(err, MB_E_FIRMWARE, "%s: UEFI not initialised",
			       what);
	if (!len)
		return MB_OK;
	uint64_t s = addr & ~(PAGE_SIZE - 1);
	uint64_t e = (addr + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	return claim_pages(s, e, type, what, addr, len, err);
}

int fw_claim(uint32_t addr, uint32_t len, const char *what,
	     struct mb_error *err)
{
	return claim(addr, len, EfiLoaderData, what, err);
}

void fw_release(void)
{
	if (!bs)
		return;
	efi_udp_shutdown();
	for (unsigned i = 0; i < nclaims; i++)
		bs->FreePages(claims[i].start,
			      (claims[i].end - claims[i].start) >> PAGE_SHIFT);
	nclaims = 0;
	struct efi_map *maps[] = { &cur_map, &info_map };
	for (unsigned i = 0; i < 2; i++) {
		if (maps[i]->buf)
			bs->FreePool(maps[i]->buf);
		memset(maps[i], 0, sizeof(*maps[i]));
	}
}

/* -------------------------------------------------------------------- */
/* Information for the kernel                                             */

/** The DHCP ACK of the PXE base code that loaded syslinux.efi. */
static void dhcp_ack(struct fw_info *info)
{
	EFI_HANDLE *h = NULL;
	UINTN n = 0;
	EFI_PXE_BASE_CODE_PROTOCOL *pxe = NULL;
	EFI_LOADED_IMAGE *li = NULL;

	/* The device syslinux.efi came from first, then any started one. */
	if (bs->HandleProtocol(image_handle, &loaded_image_guid,
			       (void **)&li) != EFI_SUCCESS || !li ||
	    bs->HandleProtocol(li->DeviceHandle, &pxe_guid,
			       (void **)&pxe) != EFI_SUCCESS)
		pxe = NULL;
	if ((!pxe || !pxe->Mode || !pxe->Mode->DhcpAckReceived) &&
	    bs->LocateHandleBuffer(ByProtocol, &pxe_guid, NULL, &n,
				   &h) == EFI_SUCCESS) {
		pxe = NULL;
		for (UINTN i = 0; i < n && !pxe; i++) {
			EFI_PXE_BASE_CODE_PROTOCOL *p = NULL;
			if (bs->HandleProtocol(h[i], &pxe_guid,
					       (void **)&p) == EFI_SUCCESS &&
			    p && p->Mode && p->Mode->DhcpAckReceived)
				pxe = p;
		}
		bs->FreePool(h);
	}
	if (!pxe || !pxe->Mode || !pxe->Mode->DhcpAckReceived ||
	    pxe->Mode->UsingIpv6)
		return;
	const uint8_t *pkt = (const uint8_t *)&pxe->Mode->DhcpAck;
	uint32_t len = sizeof(pxe->Mode->DhcpAck);
	/* Up to the end option, when the packet has the DHCP cookie. */
	if (pkt[236] == 99 && pkt[237] == 130 && pkt[238] == 83 &&
	    pkt[239] == 99) {
		uint32_t i = 240;
		while (i < len && pkt[i] != 255) {
			if (pkt[i] == 0)
				i++;
			else if (i + 1 < len)
				i += 2 + pkt[i + 1];
			else
				break;
		}
		if (i < len)
			len = i + 1;
	}
	info->dhcp_ack = pkt;
	info->dhcp_ack_len = len;
}

/** ACPI RSDPs from the configuration table. */
static void acpi_rsdp(struct fw_info *info)
{
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		const EFI_CONFIGURATION_TABLE *c = &st->ConfigurationTable[i];
		const uint8_t *r = c->VendorTable;
		if (!r || memcmp(r, "RSD PTR ", 8))
			continue;
		if (!memcmp(&c->VendorGuid, &acpi2_guid, sizeof(EFI_GUID)) &&
		    r[15] >= 2) {
			uint32_t len = r[20] | r[21] << 8 | r[22] << 16 |
				       (uint32_t)r[23] << 24;
			if (len >= 36 && len <= 4096) {
				info->rsdp_v2 = r;
				info->rsdp_v2_len = len;
			}
		} else if (!memcmp(&c->VendorGuid, &acpi1_guid,
				   sizeof(EFI_GUID))) {
			info->rsdp_v1 = r;
		}
	}
}

void fw_get_info(struct fw_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!bs)
		return;
	info->efi_system_table = (uintptr_t)st;
	info->efi_image_handle = (uintptr_t)image_handle;
	acpi_rsdp(info);
	dhcp_ack(info);
	/* Last: every allocation above changes the map. */
	if (!map_read(&info_map)) {
		info->efi_mmap = info_map.buf;
		info->efi_mmap_len = (uint32_t)info_map.size;
		info->efi_desc_size = (uint32_t)info_map.desc_size;
		info->efi_desc_version = info_map.desc_version;
	}
}

/* -------------------------------------------------------------------- */
/* What a UEFI boot can honour                                            */

int fw_efi_check_mb2(const struct mb2_header_info *h, const char *name,
		     uint32_t can_give, struct mb_error *err)
{
	/* Boot services are kept (tag 7 honoured); entry through tag 9. */
	if (!mb2_has_tag(h, MB2_HT_ENTRY_EFI64) || !h->efi64_entry)
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "%s: no EFI amd64 entry address (Multiboot2 header tag 9): the kernel needs boot services exited, not supported on UEFI",
			       name);
	return mb2_check_requests(h, name, can_give, "UEFI", err);
}

/* -------------------------------------------------------------------- */
/* The boot                                                               */

uint32_t fw_boot_area_size(unsigned nsegs)
{
	(void)nsegs;
	return 0;
}

/**
 * Enter the kernel: RAX = @magic, RBX = @info, RCX = the entry, on a
 * 16-byte aligned stack as after a call; returns only if the kernel does.
 */
static void enter(uint64_t entry, uint32_t magic, uint32_t info)
{
	uint64_t a = magic, b = info, c = entry;

	__asm__ __volatile__(
		"push %%rbp\n\t"
		"mov %%rsp, %%rbp\n\t"
		"and $-16, %%rsp\n\t"
		"call *%%rcx\n\t"
		"mov %%rbp, %%rsp\n\t"
		"pop %%rbp"
		: "+a"(a), "+b"(b), "+c"(c)
		:
		: "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory",
		  "cc");
}

uint32_t fw_info_final_addr(const struct mb_e820 *map, unsigned nmap,
			    uint32_t size)
{
	/* Boot services stay up: the information stays in pages we own. */
	(void)map;
	(void)nmap;
	(void)size;
	return 0;
}

void fw_move_at_boot(const void *staged, uint32_t len, uint32_t final_addr)
{
	/* Never asked for: fw_info_final_addr() is 0 here. */
	(void)staged;
	(void)len;
	(void)final_addr;
}

int fw_boot(const struct mb_image *img, const uint8_t *image, void *area,
	    uint32_t magic, uint32_t info_addr, int efi_entry,
	    struct mb_error *err)
{
	(void)area;
	if (!efi_entry)
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "this kernel has no EFI amd64 entry (Multiboot 2 header tag 9): it needs boot services exited, not supported on UEFI");
	if (!bs)
		return mb_fail(err, MB_E_FIRMWARE, "UEFI not initialised");
	if (!img->entry)
		return mb_fail(err, MB_E_MB2_UNSUPPORTED,
			       "no EFI amd64 entry address: the kernel needs boot services exited, not supported on UEFI");
	/* Segments not claimed yet (all of them, unless the caller did)
	 * are taken now: as loader code, since they hold the kernel. */
	for (unsigned i = 0; i < img->nsegs; i++) {
		char what[40];
		snprintf(what, sizeof(what), "kernel segment %u", i);
		int rc = claim(img->segs[i].addr, img->segs[i].memsz,
			       EfiLoaderCode, what, err);
		if (rc)
			return rc;
	}
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct mb_segment *s = &img->segs[i];
		uint8_t *dst = (uint8_t *)(uintptr_t)s->addr;
		memmove(dst, image + s->file_off, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	efi_udp_shutdown();	/* the NIC is the kernel's from here */
	if (verbose)
		printf("mboot: entering 0x%08x (EFI amd64, boot services kept), info at 0x%08x\n",
		       img->entry, info_addr);
	enter(img->entry, magic, info_addr);
	return mb_fail(err, MB_E_BOOT, "the kernel returned to the loader");
}

#endif /* __FIRMWARE_EFI64__ */
