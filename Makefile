# mboot - a Multiboot loader module for PXELINUX 6.04
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make            build/mboot.c32 (BIOS COM32 module)
#   make check      install what is needed, then every test
#   make demo       boot Xen + a Debian dom0 through PXE in QEMU (LOADER=stock
#                   for SYSLINUX's own mboot.c32)
#   make bench      benchmarks against the peers, the budgeted form (<= 40 min)
#   make bench-full the long form (fuzz 600 s per target, full matrices)
#   make bench-readme  make bench, then README's Measured section from
#                   docs/BENCH.md
#   make fuzz       run each fuzz target for FUZZ_SECONDS
#   make install    modules, mboot-check and man pages under $(DESTDIR)$(PREFIX)

VERSION     := 0.1
BUILD       ?= build
B           := $(abspath $(BUILD))
SYSLINUX_SRC = $(B)/syslinux-src
SYSLINUX_MODULES ?= /usr/lib/syslinux/modules/bios
PREFIX      ?= /usr
MODULEDIR   ?= $(PREFIX)/lib/syslinux/modules/bios
FUZZ_SECONDS ?= 60
LOADER      ?= ours

CC          ?= gcc
HOSTCC      ?= gcc
CLANG       ?= clang
NASM        ?= nasm

LIB_SRCS    := $(sort $(wildcard lib/*.c))
LIB_HDRS    := $(wildcard lib/*.h)
COM32_SRCS  := $(sort $(wildcard com32/*.c))
EFI_ONLY    := com32/fw_efi.c $(wildcard com32/efi_*.c)
COM32_HDRS  := $(wildcard com32/*.h)

# --- the BIOS module, with SYSLINUX's own module flags ---------------------
COM32_CFLAGS := -std=gnu99 -m32 -march=i386 -mpreferred-stack-boundary=2 \
	-Os -fomit-frame-pointer -fno-stack-protector -fwrapv -freg-struct-return \
	-fno-exceptions -fno-asynchronous-unwind-tables -fPIC -mregparm=3 \
	-DREGPARM=3 -fcommon -D__COM32__ -D__FIRMWARE_BIOS__ -DDYNAMIC_MODULE \
	-nostdinc -iwithprefix include \
	-I$(SYSLINUX_SRC)/com32/include -I$(SYSLINUX_SRC)/com32/include/sys \
	-I$(SYSLINUX_SRC)/com32/libutil/include -I$(SYSLINUX_SRC)/com32/gplinclude \
	-I$(SYSLINUX_SRC)/core/include \
	-W -Wall -Wextra -Werror=implicit-function-declaration \
	-DMBOOT_VERSION='"$(VERSION)"' -DMBOOT_ASM_MEMCPY
# The decoder is the hot path: speed over size there.
FAST_SRCS   := lib/inflate.c lib/gzip.c lib/crc32.c
LIB_CFLAGS  := -ffreestanding

ASM_SRCS  := asm/memcpy.asm asm/trampoline.asm
BIOS_OBJS := $(patsubst %.c,$(B)/bios/%.o,$(LIB_SRCS) $(filter-out $(EFI_ONLY),$(COM32_SRCS))) \
	$(patsubst %.asm,$(B)/bios/%.o,$(ASM_SRCS))

all: $(B)/mboot.c32 $(B)/efi64/mboot.c32 $(B)/mboot-check

$(SYSLINUX_SRC)/.complete:
	com32/get-syslinux-src.sh $(SYSLINUX_SRC)

$(B)/bios/lib/%.o: lib/%.c $(LIB_HDRS) $(SYSLINUX_SRC)/.complete
	@mkdir -p $(dir $@)
	$(CC) $(COM32_CFLAGS) $(LIB_CFLAGS) $(if $(filter $<,$(FAST_SRCS)),-O2) -c $< -o $@

$(B)/bios/com32/%.o: com32/%.c $(COM32_HDRS) $(LIB_HDRS) $(SYSLINUX_SRC)/.complete
	@mkdir -p $(dir $@)
	$(CC) $(COM32_CFLAGS) -c $< -o $@

$(B)/bios/asm/%.o: asm/%.asm asm/copy.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -Iasm/ $< -o $@

# A SysV symbol hash table: with a GNU one, SYSLINUX 6.04's module loader
# refused a build of this module ("Failed to load COM32 file mboot.c32")
# whose only change was one more call between two of its own files.
$(B)/mboot.elf: $(BIOS_OBJS)
	ld -m elf_i386 -shared --hash-style=sysv -T $(SYSLINUX_SRC)/com32/lib/i386/elf.ld \
		--as-needed --no-warn-rwx-segments -o $@ $(BIOS_OBJS) \
		$(SYSLINUX_MODULES)/libcom32.c32

$(B)/mboot.c32: $(B)/mboot.elf
	objcopy --strip-debug --strip-unneeded $< $@

# --- extra inflate targets (the i386 code paths on the host) ---------------
INFLATE_BUILD := $(B)
include lib/inflate.mk

# --- the UEFI module (syslinux.efi, efi64) from the same sources ----------
include com32/efi64.mk

# --- host build of lib/ and its unit tests ---------------------------------
HOST_CFLAGS := -std=gnu99 -O2 -g -Wall -Wextra -Ilib
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS   := $(patsubst tests/unit/%.c,$(B)/host/%,$(UNIT_SRCS))

$(B)/host/test_%: tests/unit/test_%.c $(LIB_SRCS) $(LIB_HDRS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $< $(LIB_SRCS) -lz -o $@
# test_tftp compiles com32/tftp.c in (with a simulated server).
$(B)/host/test_tftp: com32/tftp.c com32/tftp.h
# test_pxe_udp compiles com32/pxe_udp.c in, over its own SYSLINUX stand-ins.
$(B)/host/test_pxe_udp: tests/unit/test_pxe_udp.c com32/pxe_udp.c com32/pxe_udp.h \
		$(wildcard tests/unit/pxe_udp_stubs/*.h tests/unit/pxe_udp_stubs/*/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/unit/pxe_udp_stubs $< -o $@

# test_fetch_bounds compiles com32/fetch.c, fetch_retry.c, fetch_ipxe.c and
# main.c in, against the stub SYSLINUX headers and the simulated iPXE of
# tests/host-stubs, under ASan and UBSan (its cases are memory errors).
FETCH_HOST_DEPS := com32/fetch.c com32/fetch_retry.c com32/fetch_ipxe.c \
	com32/main.c com32/autogunzip.c com32/catmod.c com32/cfgfile.c \
	$(COM32_HDRS) \
	$(wildcard tests/host-stubs/*.h tests/host-stubs/*/*.h)
$(B)/host/test_fetch_bounds: tests/unit/test_fetch_bounds.c $(FETCH_HOST_DEPS) \
		$(LIB_SRCS) $(LIB_HDRS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) -std=gnu99 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ilib -Itests/host-stubs $< $(LIB_SRCS) \
		-lz -o $@
# test_fetch compiles the fetch layer in (fetch.c, fetch_retry.c, fetch_tftp.c,
# tftp.c), with a simulated server and iPXE.
$(B)/host/test_fetch: com32/fetch.c com32/fetch_retry.c com32/fetch_tftp.c \
		com32/tftp.c $(wildcard com32/*.h)

# --- the host-side checker (tools/): lib/ built for the host ----------------
# The trampoline's size (boot area) is read from its object, as the module's.
CHECK_SRCS := $(sort $(wildcard tools/*.c))
CHECK_PARTS := $(filter-out tools/mboot-check.c,$(CHECK_SRCS))
TRAMP_CODE_SIZE = $$(nm $(B)/bios/asm/trampoline.o | \
	awk '$$3 == "tramp_params_offset" { print "0x" $$1 }')

$(B)/mboot-check: $(CHECK_SRCS) $(wildcard tools/*.h) $(LIB_SRCS) $(LIB_HDRS) \
		$(B)/bios/asm/trampoline.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -DMBOOT_VERSION='"$(VERSION)"' \
		-DMB_TRAMP_CODE_SIZE=$(TRAMP_CODE_SIZE) $(CHECK_SRCS) $(LIB_SRCS) -o $@

$(B)/host/test_checker%: tests/unit/test_checker%.c $(CHECK_PARTS) \
		$(wildcard tools/*.h) $(LIB_SRCS) $(LIB_HDRS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $< $(CHECK_PARTS) $(LIB_SRCS) -lz -o $@

checker-tests: $(B)/mboot-check testkernels
	@tests/checker/run.sh $(B)

unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

# --- fuzzing ------------------------------------------------------------------
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRCS))

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) -std=gnu99 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Ilib $< $(LIB_SRCS) -lz -o $@

# fuzz_tftp compiles com32/tftp.c in (PXE UDP and the clock simulated).
$(B)/fuzz/fuzz_tftp: com32/tftp.c com32/tftp.h com32/pxe_udp.h com32/clock.h

# fuzz_ipxe compiles com32/fetch*.c and main.c in, as test_fetch_bounds.
$(B)/fuzz/fuzz_ipxe: tests/fuzz/fuzz_ipxe.c $(FETCH_HOST_DEPS) $(LIB_SRCS) \
		$(LIB_HDRS) tests/fuzz/fuzz_common.h
	@mkdir -p $(dir $@)
	$(CLANG) -std=gnu99 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Ilib -Itests/host-stubs $< \
		$(LIB_SRCS) -lz -o $@

fuzz: $(FUZZ_BINS)
	@tests/run-fuzz.sh $(B)/fuzz $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-smoke: $(FUZZ_BINS)
	@tests/run-fuzz.sh $(B)/fuzz 10 $(FUZZ_BINS)

# --- test kernels and the QEMU PXE boot tests -------------------------------
testkernels:
	$(MAKE) -C tests/kernel BUILD=$(B)/tk

boot-tests: $(B)/mboot.c32 testkernels
	python3 qemu/boottest.py --build $(B)

xen-test: $(B)/mboot.c32
	@if python3 qemu/xen/demo.py --build $(B) --test; then \
		echo "xen: 1 passed, 0 failed"; \
	else echo "xen: 0 passed, 1 failed"; exit 1; fi

# The stock module gunzips initrd.gz before dom0 sees it: the demo reports
# that (initrd=CHANGED(gunzipped)) but still counts the boot as shown.
# Through Multiboot 2 Xen relocates itself (header tag 10): its log then
# names the load base, which it only does on that path.
xen-mb2-test: $(B)/mboot.c32
	@if python3 qemu/xen/demo.py --build $(B) --loader ours --mb2 --quiet \
		--name ours-mb2 && \
	    grep -q "(XEN) Xen image load base address: 0x" $(B)/xen/ours-mb2.log; then \
		echo "xen-mb2: 1 passed, 0 failed"; \
	else echo "xen-mb2: 0 passed, 1 failed"; exit 1; fi

# The measured-launch chain: Debian's tboot as the Multiboot kernel, Xen
# its first module, on the stock module's line (no -gunzip: xen.gz holds
# an ELF, which mboot decompresses as stock does; tboot reads it as ELF).
# tboot moves the modules into the memory right after its own image, which
# is why the information structure lives in low memory on BIOS.
xen-tboot-test: $(B)/mboot.c32
	@if python3 qemu/xen/demo.py --build $(B) --tboot --quiet \
		--name ours-tboot --timeout 240; then \
		echo "xen-tboot: 1 passed, 0 failed"; \
	else echo "xen-tboot: 0 passed, 1 failed"; exit 1; fi

# Measured boot (qemu/tpmtest.py): swtpm under SeaBIOS and OVMF, the PCRs
# the test kernels read against mboot-check --pcrs.
tpm-tests: $(B)/mboot.c32 $(B)/efi64/mboot.c32 $(B)/mboot-check testkernels
	python3 qemu/tpmtest.py --build $(B)

# A diskless dom0 whose root is an iSCSI LUN (qemu/netlab/iscsi.py), in the
# netns lab: tgt exports the root, the clients have two NICs and boot from
# the second, dom0's initramfs finds that NIC from BOOTIF=.  Ours with
# IPAPPEND 2 and 3, the stock module with IPAPPEND 2 beside them (expected
# and checked: its dom0 finds no BOOTIF=).  Three Xen boots at once.
iscsi-test: $(B)/mboot.c32
	python3 qemu/netlab.py --build $(B) --kernel iscsi

# FIRMWARE=efi: the same Xen boot through syslinux.efi under OVMF.
# SCENARIO=iscsi: the iSCSI-root scenario above (both loaders).
FIRMWARE    ?= bios
SCENARIO    ?=
demo: deps
	$(if $(filter ours,$(LOADER)),$(MAKE) all)
ifeq ($(SCENARIO),iscsi)
	python3 qemu/netlab.py --build $(B) --kernel iscsi
else ifeq ($(FIRMWARE),efi)
	python3 qemu/uefitest.py --build $(B) --only xen --echo \
		$(if $(filter stock,$(LOADER)),--loader /usr/lib/syslinux/modules/efi64/mboot.c32,--no-stock)
else
	python3 qemu/xen/demo.py --build $(B) --loader $(LOADER) \
		$(if $(filter stock,$(LOADER)),--accept-gunzipped)
endif

# --- everything -----------------------------------------------------------
deps:
	@tests/install-deps.sh

check: deps
	$(MAKE) all
	@tests/run-all.sh $(B)

# Peers side by side, ratios printed: inflate (vs zlib, libdeflate), memcpy
# (vs glibc, rep movsb), SHA-256 (vs OpenSSL, coreutils), the network-facing
# fuzz targets (executions, coverage), module size and load time (vs the
# stock module), transports, Xen boots (vs the stock module; UEFI vs GRUB
# 2), the network lab.  tests/bench/run-bench.sh runs them in one of two
# forms: default (make bench: budgeted to 40 minutes on the 2-CPU reference
# machine with nothing else running) or full (make bench-full, or
# BENCH=full: fuzz 600 s per target, the full matrices; hours).  Each
# script writes its section to $(B)/bench/NAME.md, naming the form;
# collect.sh assembles docs/BENCH.md.  A step that fails (a QEMU bench
# with a failed boot exits 1 after writing its table) does not stop the
# others or docs/BENCH.md; make bench then exits non-zero.
# bench-readme: make bench (even when a step failed), then README's
# Measured section rendered from docs/BENCH.md (tests/bench/readme-update.py).
BENCH       ?= default
bench: deps all testkernels
	tests/bench/run-bench.sh $(BENCH) $(B)

bench-full:
	$(MAKE) bench BENCH=full

bench-readme:
	-$(MAKE) bench
	python3 tests/bench/readme-update.py

EFI64_MODULEDIR ?= $(PREFIX)/lib/syslinux/modules/efi64

BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/mboot

# Both modules, the host-side checker, the two man pages (docs/*.1,
# docs/*.7, written in roff) and the guide and error catalogue they refer
# to.  debian/rules calls this with DESTDIR.
install: $(B)/mboot.c32 $(B)/efi64/mboot.c32 $(B)/mboot-check
	install -D -m 0644 $(B)/mboot.c32 $(DESTDIR)$(MODULEDIR)/mboot.c32
	install -D -m 0644 $(B)/efi64/mboot.c32 $(DESTDIR)$(EFI64_MODULEDIR)/mboot.c32
	install -D -m 0755 $(B)/mboot-check $(DESTDIR)$(BINDIR)/mboot-check
	install -D -m 0644 docs/mboot-check.1 $(DESTDIR)$(MANDIR)/man1/mboot-check.1
	install -D -m 0644 docs/mboot.c32.7 $(DESTDIR)$(MANDIR)/man7/mboot.c32.7
	install -D -m 0644 README $(DESTDIR)$(DOCDIR)/README
	install -D -m 0644 docs/ERRORS.md $(DESTDIR)$(DOCDIR)/ERRORS.md

clean: efi64-clean
	rm -rf $(B)/bios $(B)/host $(B)/fuzz $(B)/tk $(B)/mboot.elf $(B)/mboot.c32

# Per-host overlays: dom0's initrd as two files joined by -cat (the shared
# initrd.gz and a per-host cpio), each with its own -sha256; dom0 must get
# the joined bytes and print the host part's file.
xen-cat-test: $(B)/mboot.c32
	@if python3 qemu/xen/demo.py --build $(B) --overlay --quiet \
		--name ours-cat --timeout 240; then \
		echo "xen-cat: 1 passed, 0 failed"; \
	else echo "xen-cat: 0 passed, 1 failed"; exit 1; fi

.PHONY: all unit checker-tests fuzz fuzz-smoke testkernels boot-tests tpm-tests xen-test xen-mb2-test xen-cat-test iscsi-test demo deps \
	check bench bench-full bench-readme install clean
