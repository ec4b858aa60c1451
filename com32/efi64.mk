# com32/efi64.mk - the UEFI (efi64) build of mboot.c32, for syslinux.efi 6.04.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Included by the top Makefile (uses its B, SYSLINUX_SRC, VERSION,
# COM32_CFLAGS, LIB_SRCS, COM32_SRCS, *_HDRS, FAST_SRCS, LIB_CFLAGS):
#
#   make build/efi64/mboot.c32     (included by the top Makefile)
#
# The same sources and flags as the BIOS module, but 64-bit: no regparm,
# no red zone (interrupts stay on, on the firmware's stack), and without
# the BIOS-only pieces (E820, the heap arena, the i386 trampoline, the PXE
# UDP API of pxe_udp.c - efi_udp.c gives tftp.c the same interface over
# EFI_UDP4 - and the NASM memcpy: lib/util.c's C mb_memcpy is used,
# MBOOT_ASM_MEMCPY is not defined).  Firmware calls go through gnu-efi's headers only (ms_abi
# function pointers); no gnu-efi library is linked.

EFI64_MODULES ?= /usr/lib/syslinux/modules/efi64
EFI_INCLUDE   ?= /usr/include/efi

EFI64_BIOS_ONLY := com32/fw_bios.c com32/memmap.c com32/arena.c com32/handoff.c \
	com32/pxe_udp.c com32/tpm_bios.c
EFI64_SRCS := $(LIB_SRCS) $(filter-out $(EFI64_BIOS_ONLY),$(COM32_SRCS))
EFI64_OBJS := $(patsubst %.c,$(B)/efi64/%.o,$(EFI64_SRCS))

EFI64_CFLAGS := $(filter-out -m32 -march=i386 -mpreferred-stack-boundary=2 \
	-mregparm=3 -DREGPARM=3 -D__FIRMWARE_BIOS__ -DMBOOT_ASM_MEMCPY, \
	$(COM32_CFLAGS)) -m64 -march=x86-64 -mno-red-zone -D__FIRMWARE_EFI64__
# Only the EFI layer sees gnu-efi's headers.
EFI64_GNUEFI := -I$(EFI_INCLUDE) -I$(EFI_INCLUDE)/x86_64 \
	-DGNU_EFI_USE_MS_ABI -fshort-wchar
EFI64_FW_SRCS := com32/fw_efi.c $(wildcard com32/efi_*.c)

$(B)/efi64/lib/%.o: lib/%.c $(LIB_HDRS) $(SYSLINUX_SRC)/.complete
	@mkdir -p $(dir $@)
	$(CC) $(EFI64_CFLAGS) $(LIB_CFLAGS) $(if $(filter $<,$(FAST_SRCS)),-O2) -c $< -o $@

$(B)/efi64/com32/%.o: com32/%.c $(COM32_HDRS) $(LIB_HDRS) $(SYSLINUX_SRC)/.complete
	@mkdir -p $(dir $@)
	$(CC) $(EFI64_CFLAGS) $(if $(filter $<,$(EFI64_FW_SRCS)),$(EFI64_GNUEFI)) -c $< -o $@

# SysV symbol hash, as for the BIOS module (see the Makefile): the same
# loader code runs in syslinux.efi.
$(B)/efi64/mboot.elf: $(EFI64_OBJS)
	ld -m elf_x86_64 -shared --hash-style=sysv \
		-T $(SYSLINUX_SRC)/com32/lib/x86_64/elf.ld \
		--as-needed --no-warn-rwx-segments -o $@ $(EFI64_OBJS) \
		$(EFI64_MODULES)/libcom32.c32

$(B)/efi64/mboot.c32: $(B)/efi64/mboot.elf
	objcopy --strip-debug --strip-unneeded $< $@

efi64: $(B)/efi64/mboot.c32

# "make build/efi64/mboot.c32" with the default relative BUILD.
ifneq ($(BUILD)/efi64/mboot.c32,$(B)/efi64/mboot.c32)
$(BUILD)/efi64/mboot.c32: $(B)/efi64/mboot.c32
endif

# OVMF PXE boot tests (qemu/uefitest.py); needs qemu, ovmf, syslinux-efi.
uefi-tests: $(B)/efi64/mboot.c32
	python3 qemu/uefitest.py --build $(B)

efi64-clean:
	rm -rf $(B)/efi64 $(B)/uefi

.PHONY: efi64 uefi-tests efi64-clean
