#!/usr/bin/env python3
"""uefitest.py - boot tests of the efi64 mboot.c32 under OVMF (UEFI PXE).

Every case PXE-boots Debian's syslinux.efi in QEMU (TCG) with OVMF, runs
build/efi64/mboot.c32 from pxelinux.cfg/default and judges the serial
console (see qemu/uefi.py):

  missing       a missing kernel: our "mboot: error:" line naming the file
                (proves the module loads, runs and finds the EFI system
                table and image handle, shown with -verbose), then the
                boot: prompt
  noheader      a kernel with no Multiboot header: our error, boot: prompt
  noefi         a Multiboot 2 kernel without an EFI amd64 entry (header tag
                9): refused ("needs boot services exited"), boot: prompt
  mb2efi        MB2EFI_ASM below, a Multiboot 2 test kernel with an EFI
                amd64 entry, and two modules whose strings give their
                length and CRC-32: the kernel checks the machine state and
                the boot information (magic, tag layout, requested tags,
                exact command line, memory maps, modules: alignment,
                length, CRC, no overlap, load base, ACPI RSDPs, DHCP ACK;
                see its header) and reports PASS/FAIL per check on COM1, as
                tests/kernel does; every check in MB2EFI_CHECKS must pass
  mb2efi-efi    the same boot: the EFI checks (system table signature,
                image handle a loaded image of it, boot services tag, EFI
                memory map, every page of kernel, information and modules
                claimed), the kernel prints through ConOut (boot services
                alive) and powers off through ResetSystem
  dryrun        the mb2efi line with -n: every file fetched and placed, the
                information built, then the verdict and the placement
                table (every row in a RAM map entry), no kernel entry,
                everything freed, the boot: prompt
  xen           Debian's xen.gz + dom0 vmlinuz + busybox initrd (as the BIOS
                demo, qemu/xen/demo.py) to the dom0 userspace marker
  stock-xen     SYSLINUX's own efi64 mboot.c32 on the same Xen files: it
                must fail as README says, with a CPU exception in the
                firmware while loading xen.gz (--no-stock: counted as
                skipped)

mb2efi also requires every file to come by mboot's own TFTP client over
the firmware's UDP (com32/efi_udp.c): its line "via <transport>
(tftp://...)" with the transport name of com32/fetch_tftp.c.

  lossy         the mb2efi kernel with a 4 MiB PRNG module (and 4 KiB)
                through uefi.LossyLink: from the loader's read request for
                mb2efi.bin on, 5 % of the frames each way are dropped
                (PRNG, seeded); every file via mboot's TFTP, the kernel's
                CRC checks pass, and frames were dropped both ways

Long cases (only when named in --only, or with --long; minutes each):

  big           the mb2efi kernel with a 150 MB PRNG module (BIG_SIZE,
                well over the 92 MB / 65535-block mark of 1408-byte
                blocks) and a 4 KiB one over TFTP: the kernel's CRC checks
                pass, the module came by mboot's TFTP; its MB/s is noted
  big-pxelinux  the same boot with -pxelinux (syslinux.efi's own TFTP):
                for the comparison; its MB/s is noted
  lab           2 OVMF clients at once in the network lab (qemu/netlab,
                dnsmasq, nftables dropping 5 % of the frames each way from
                the first DHCP packet on), each booting the mb2efi kernel
                with a 4 MiB PRNG module: every kernel check but net.dhcp
                (it expects QEMU's user-network address) passes on both,
                every file via mboot's TFTP; needs root (skipped: no)

Usage: uefitest.py [--build DIR] [--only NAME,...] [--nic ovmf|ipxe|e1000]
                   [--no-stock] [--long] [--echo]
Logs: BUILD/uefi/<case>.log.  Last line: "uefi: N passed, M failed" (with
", K skipped" when a case was skipped).

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "xen"))
import uefi  # noqa: E402

MB2_MAGIC = "36D76289"
RE_ERROR = r"^mboot: error: "


def log(msg):
    print("uefi: " + msg, flush=True)


# What the mb2efi kernel must find (compiled into it, see MB2EFI_ASM): its
# command line, its modules ({name: bytes}; each string carries len= and
# crc=), the address OVMF's DHCP (QEMU user network) gives.
MB2EFI_CMDLINE = "mb2efi.bin hello=world a=b"
def prng_bytes(seed, size):
    """@size bytes from a PRNG seeded with @seed: the same every run, with
    no period, so a piece of a module put at a wrong offset (by any
    distance) changes its CRC-32."""
    return random.Random(seed).randbytes(size)


MB2EFI_MODS = [
    ("mod1.bin", prng_bytes("uefi-mod1", 150000)),
    ("mod2.bin", prng_bytes("uefi-mod2", 4096)),
]
MB2EFI_YIADDR = "10.0.2.15"
# The big case's module: well over 65535 blocks of 1408 bytes (92 MB),
# where a 16-bit block number wraps.
BIG_SIZE = 150 * 1000 * 1000
# The lossy case: a 4 MiB module, LOSSY_PCT % of the frames lost each way
# (at 5 % a 16 MiB one took 31 s: 0.5 MB/s).
LOSSY_SIZE = 4 << 20
LOSSY_PCT = 5
# The lab case: clients, loss (%), module size, time limit (s).
LAB_CLIENTS = 2
LAB_LOSS = 5
LAB_SIZE = 4 << 20
LAB_TIMEOUT = 900


def tftp_transport():
    """The name fetch.c prints after "via" for mboot's own TFTP client
    (fetch_tftp_ops.name in com32/fetch_tftp.c)."""
    with open(os.path.join(REPO, "com32", "fetch_tftp.c")) as f:
        m = re.search(r'fetch_tftp_ops\s*=\s*\{[^}]*?\.name\s*=\s*"([^"]+)"',
                      f.read())
    if not m:
        sys.exit("uefi: no fetch_tftp_ops name in com32/fetch_tftp.c")
    return m.group(1)


RE_FETCHED = (r"^mboot: (\S+): (\d+) bytes in (\d+\.\d+) s "
              r"\((\d+\.\d) MB/s\) via (.*)$")


def fetched(b):
    """{file name: (bytes, seconds, "MB/s", transport text)} from the
    loader's final line per file (the last one for a file read twice)."""
    out = {}
    for l in lines(b, RE_FETCHED):
        m = re.match(RE_FETCHED, l)
        out[m.group(1)] = (int(m.group(2)), float(m.group(3)), m.group(4),
                           m.group(5))
    return out


def check_via(res, b, names, transport):
    """Every file of @names fetched, each by @transport over tftp://."""
    got = fetched(b)
    for n in names:
        via = got.get(n, (0, 0, "", "(no fetch line)"))[3]
        res.check(via.startswith(transport + " (tftp://"),
                  "%s came via %s, not %s (tftp://...)" % (n, via, transport))
# Every check the kernel must report (and pass).  OVMF's ACPI RSDP is
# revision 2 with an XSDT (measured: revision=2 length=36), so both RSDP
# tags must be there: acpi.rsdp1 and acpi.rsdp2 are printed only for a tag
# that is present.
MB2EFI_CHECKS = (
    ["bss", "magic", "mbi.align", "mbi.tags", "mbi.request", "cmdline",
     "loader_name", "mem.basic", "mmap", "efi.st", "efi.ih", "efi.ih.image",
     "efi.bs", "efi.mmap"] +
    ["mod%d.%s" % (i, c) for i in range(len(MB2EFI_MODS))
     for c in ("align", "len", "crc")] +
    ["mods.count", "overlap", "efi.claimed", "load_base", "acpi.rsdp1",
     "acpi.rsdp2", "acpi.present", "net.dhcp"])
MB2EFI_EFI_CHECKS = ("efi.st", "efi.ih", "efi.ih.image", "efi.bs",
                     "efi.mmap", "efi.claimed")


def mb2efi_source():
    """MB2EFI_ASM with the expected values defined in front."""
    ip = [int(x) for x in MB2EFI_YIADDR.split(".")]
    return ("%%define EXPECT_CMDLINE '%s'\n"
            "%%define EXPECT_MODS %d\n"
            "%%define EXPECT_YIADDR 0x%08X\n" % (
                MB2EFI_CMDLINE, len(MB2EFI_MODS),
                ip[0] | ip[1] << 8 | ip[2] << 16 | ip[3] << 24)) + MB2EFI_ASM


def build_kernels(build):
    """Assemble the test kernels into BUILD/uefi/data; returns their
    paths."""
    out = os.path.join(build, "uefi", "data")
    os.makedirs(out, exist_ok=True)
    src = os.path.join(out, "mb2efi.asm")
    text = mb2efi_source()
    old = None
    if os.path.exists(src):
        with open(src) as f:
            old = f.read()
    if old != text:
        with open(src, "w") as f:
            f.write(text)
    paths = {}
    for name, defs in (("mb2efi.bin", []), ("mb2noefi.bin", ["-DNO_EFI64"])):
        dst = os.path.join(out, name)
        if not os.path.exists(dst) or \
                os.path.getmtime(dst) < os.path.getmtime(src):
            subprocess.run(["nasm", "-f", "bin"] + defs + [src, "-o", dst],
                           check=True)
        paths[name] = dst
    # No Multiboot header at all.
    plain = os.path.join(out, "plain.bin")
    with open(plain, "wb") as f:
        f.write(bytes(range(256)) * 64)
    paths["plain.bin"] = plain
    # The modules, with known contents; their strings name length and CRC.
    paths["mods"] = []
    for name, data in MB2EFI_MODS:
        mod = os.path.join(out, name)
        with open(mod, "wb") as f:
            f.write(data)
        paths[name] = mod
        paths["mods"].append((name, len(data), zlib.crc32(data)))
    return paths


MB2EFI_ASM = r"""; mb2efi.asm (written by qemu/uefitest.py) - a Multiboot 2 test kernel with
; an EFI amd64 entry, for the UEFI boot tests.  Built with: nasm -f bin
; [-DNO_EFI64]; qemu/uefitest.py puts the expected values (EXPECT_CMDLINE,
; EXPECT_MODS, EXPECT_YIADDR) in %defines in front of this text.
;
; At its EFI amd64 entry (header tag 9, boot services kept) it checks what
; it got and reports on COM1 by port I/O, one check a line, as the BIOS
; test kernel does (tests/kernel/PROTOCOL.md; the check name is the second
; word, the rest is detail for humans; lines end in CR LF):
;
;   MB2EFI entry eax=<EAX> rbx=<info address> rip=<entry address>
;   PASS <check> <detail>    or    FAIL <check> <detail>
;   MB2EFI tag <type> <size>                   one per information tag (hex)
;   MB2EFI mod<i> start=0x.. end=0x.. string=<module string>
;   MB2EFI VERDICT PASS    or    MB2EFI VERDICT FAIL n=<failed checks>
;   MB2EFI conout ok                           printed through ConOut
;   MB2EFI reset                               before ResetSystem
;   MB2EFI done                                only if it returns, or
;                                              without a valid system table
;
; then powers off through ResetSystem when it has a valid system table, else
; halts.  Checks (in this order; a failed mbi.align or mbi.tags ends them):
;
;   bss            the 8 KiB after the loaded bytes are zero
;   magic          EAX = 0x36D76289
;   mbi.align      RBX is not 0 and 8-byte aligned
;   mbi.tags       total_size 16 .. 16 MiB, reserved 0; every tag (each at
;                  the previous end rounded up to 8) has size >= 8 and lies
;                  inside total_size; the end tag (type 0, size 8) ends
;                  exactly at total_size; no type but 3 twice; tags 1 2 3
;                  hold a NUL; sizes: 4 = 16, 6 >= 16, 12 = 16, 14 >= 28,
;                  15 >= 44, 16 >= 248, 17 >= 16, 18 = 8, 20 = 16, 21 = 12
;   mbi.request    the required requested types are all there
;   cmdline        tag 1 is exactly EXPECT_CMDLINE (printed)
;   loader_name    tag 2 is not empty (printed)
;   mem.basic      tag 4: mem_lower <= 640 KiB, mem_upper > 0
;   mmap           tag 6: entry_size >= 24 and a multiple of 8, version 0,
;                  entries fill the tag; each type != 0, no wrap; some RAM
;   efi.st         tag 12: the pointer is not 0, the table's signature is
;                  "IBI SYST" (0x5453595320494249), revision >= 2.0
;   efi.ih         tag 20: the handle is not 0
;   efi.ih.image   BS->HandleProtocol(handle, LOADED_IMAGE) succeeds and the
;                  image's SystemTable is tag 12's
;   efi.bs         tag 18 is there (boot services not exited)
;   efi.mmap       tag 17: descriptor size >= 40, version 1, descriptors fill
;                  the tag; each type < 16, start 4 KiB aligned, pages != 0,
;                  no wrap; some EfiConventionalMemory
;   mod<i>.align   module i starts on 4 KiB
;   mod<i>.len     end - start = len=<decimal> of its string (2nd word on)
;   mod<i>.crc     CRC-32 (IEEE, as zlib) of [start, end) = crc=<8 hex>
;   mods.count     EXPECT_MODS module tags
;   overlap        kernel image (to the end of its bss), information and
;                  modules do not overlap each other
;   efi.claimed    no page of these is free: BS->AllocatePages(AllocateAddress)
;                  fails on every one of them
;   load_base      tag 21 = the address this image runs at
;   acpi.rsdp1     tag 14 (when there): "RSD PTR ", 20-byte checksum
;   acpi.rsdp2     tag 15 (when there): "RSD PTR ", revision >= 2, length
;                  36 .. tag, both checksums
;   acpi.present   tag 14 or 15 is there
;   net.dhcp       tag 16: BOOTREPLY, magic cookie, DHCP message type 5
;                  (ACK), yiaddr = EXPECT_YIADDR (printed)
;
; Position independent: a relocating loader may move it.
;
; SPDX-License-Identifier: GPL-2.0-or-later

bits 64
default rel
LOAD    equ 0x2000000           ; 32 MiB (relocatable anyway)
org LOAD

COM1    equ 0x3f8
MB2_MAGIC equ 0x36d76289
BSS_SIZE equ 8192
MAX_MODS equ 16

%ifndef EXPECT_CMDLINE
%define EXPECT_CMDLINE 'mb2efi.bin'
%endif
%ifndef EXPECT_MODS
%define EXPECT_MODS 0
%endif
%ifndef EXPECT_YIADDR
%define EXPECT_YIADDR 0x0F02000A        ; 10.0.2.15 as stored
%endif

%if EXPECT_MODS
REQ_MODS equ 1 << 3
%else
REQ_MODS equ 0
%endif
; Required information types, as requested below.
REQ_MASK equ (1 << 1) | (1 << 2) | REQ_MODS | (1 << 4) | (1 << 6) | \
             (1 << 12) | (1 << 16) | (1 << 17) | (1 << 18) | (1 << 20) | \
             (1 << 21)

start:
header:
        dd 0xe85250d6                   ; magic
        dd 0                            ; architecture i386
        dd header_end - header
        dd -(0xe85250d6 + (header_end - header))
        align 8, db 0
        ; information request (1), required
ir1:    dw 1, 0
        dd ir1_end - ir1
        dd 1, 2, 3, 4, 6, 12, 16, 17, 18, 20, 21
ir1_end:
        align 8, db 0
        ; information request (1), optional: the ACPI RSDPs
ir2:    dw 1, 1
        dd ir2_end - ir2
        dd 14, 15
ir2_end:
        align 8, db 0
        ; address tag (2)
        dw 2, 0
        dd 24
        dd header, start, load_end, bss_end
        align 8, db 0
        ; entry address tag (3): the i386 entry (never used here)
        dw 3, 0
        dd 12
        dd entry32
        align 8, db 0
        ; module alignment (6)
        dw 6, 0
        dd 8
        ; EFI boot services tag (7)
        dw 7, 0
        dd 8
%ifndef NO_EFI64
        ; EFI amd64 entry tag (9); left out with -DNO_EFI64 (a kernel that
        ; needs boot services exited)
        dw 9, 0
        dd 12
        dd entry64
        align 8, db 0
%endif
        ; relocatable tag (10): 1 MiB .. 1 GiB, page aligned, no preference
        dw 10, 1
        dd 24
        dd 0x100000, 0x40000000, 4096, 0
        align 8, db 0
        dw 0, 0
        dd 8
header_end:

bits 32
entry32:
        cli
.h:     hlt
        jmp .h
bits 64

; --- macros -----------------------------------------------------------------
%macro STR 1                    ; rsi = address of the inline string %1
        jmp %%over
%%s:    db %1, 0
%%over: lea rsi, [%%s]
%endmacro

%macro PRINT 1                  ; print the inline string %1
        push rsi
        STR %1
        call puts
        pop rsi
%endmacro

%macro REPORT 1                 ; al != 0: PASS, else FAIL, check %1
        push rsi
        call report_begin
        STR %1
        call puts
        pop rsi
%endmacro

%macro MODREPORT 1              ; as REPORT, check mod<r9d>%1
        push rsi
        call report_begin
        PRINT "mod"
        push rax
        mov eax, r9d
        call putdec
        pop rax
        STR %1
        call puts
        pop rsi
%endmacro

%macro HEX 2                    ; print " %1" and the value %2 as 0x<hex>
        PRINT %1
        push rax
        push rcx
        mov rax, %2
        call puthex0
        pop rcx
        pop rax
%endmacro

%macro DEC 2                    ; print " %1" and the value %2 in decimal
        PRINT %1
        push rax
        mov rax, %2
        call putdec
        pop rax
%endmacro

%macro BADIF 2                  ; on condition %1: tag walk fails, reason %2
        j%-1 %%ok
        lea r8, [%%s]
        jmp tags_bad
%%s:    db %2, 0
%%ok:
%endmacro

; --- serial output ------------------------------------------------------
putc:                                   ; al = byte; keeps all but flags
        push rdx
        push rax
        mov dx, COM1 + 5
.wait:  in al, dx
        test al, 0x20
        jz .wait
        pop rax
        mov dx, COM1
        out dx, al
        pop rdx
        ret

puts:                                   ; rsi = NUL-terminated string
        push rsi
        push rax
.l:     lodsb
        test al, al
        jz .e
        call putc
        jmp .l
.e:     pop rax
        pop rsi
        ret

putsafe:                                ; rsi = string from the loader:
        push rsi                        ; bytes < 0x20 or >= 0x7f as '?',
        push rcx                        ; at most 1000 characters
        push rax
        mov ecx, 1000
.l:     lodsb
        test al, al
        jz .e
        cmp al, 0x20
        jb .q
        cmp al, 0x7f
        jb .p
.q:     mov al, '?'
.p:     call putc
        dec ecx
        jnz .l
.e:     pop rax
        pop rcx
        pop rsi
        ret

puthex:                                 ; rax = value, cl = digits
        push rax
        push rbx
        push rcx
        movzx ecx, cl
        mov rbx, rax
.l:     dec ecx
        js .e
        mov rax, rbx
        push rcx
        shl ecx, 2
        shr rax, cl
        pop rcx
        and eax, 15
        add al, '0'
        cmp al, '9'
        jbe .p
        add al, 'A' - '0' - 10
.p:     call putc
        jmp .l
.e:     pop rcx
        pop rbx
        pop rax
        ret

puthex0:                                ; rax = value: 0x<hex, no leading 0s>
        push rax
        push rcx
        push rdx
        mov rdx, rax
        mov al, '0'
        call putc
        mov al, 'x'
        call putc
        mov cl, 1
.n:     cmp cl, 16
        jae .p
        mov rax, rdx
        push rcx
        shl cl, 2
        shr rax, cl
        pop rcx
        test rax, rax
        jz .p
        inc cl
        jmp .n
.p:     mov rax, rdx
        call puthex
        pop rdx
        pop rcx
        pop rax
        ret

putdec:                                 ; rax = unsigned value
        push rax
        push rbx
        push rdx
        push rsi
        sub rsp, 32
        lea rsi, [rsp + 31]
        mov byte [rsi], 0
        mov ebx, 10
.l:     xor edx, edx
        div rbx
        add dl, '0'
        dec rsi
        mov [rsi], dl
        test rax, rax
        jnz .l
        call puts
        add rsp, 32
        pop rsi
        pop rdx
        pop rbx
        pop rax
        ret

space:  push rax
        mov al, ' '
        call putc
        pop rax
        ret

newline:
        push rax
        mov al, 13
        call putc
        mov al, 10
        call putc
        pop rax
        ret

; al != 0: print "PASS ", else "FAIL " and count it.  Keeps all registers.
report_begin:
        push rsi
        test al, al
        jz .f
        inc dword [passes]
        lea rsi, [s_pass]
        jmp .p
.f:     inc dword [fails]
        lea rsi, [s_fail]
.p:     call puts
        pop rsi
        ret

; --- helpers ----------------------------------------------------------------
; rax = 0: the first information tag of type ecx; else the next one after
; the tag at rax.  Returns rax = tag or 0.  Only after mbi.tags passed.
find_tag:
        push rdx
        test rax, rax
        jnz .adv
        lea rax, [r13 + 8]
        jmp .chk
.adv:   mov edx, [rax + 4]
        add edx, 7
        and edx, -8
        add rax, rdx
.chk:   cmp dword [rax], 0
        je .none
        cmp [rax], ecx
        je .ret
        jmp .adv
.none:  xor eax, eax
.ret:   pop rdx
        ret

; CF = 1 when the rcx bytes at rsi hold a NUL.
has_nul:
        push rsi
        push rcx
        push rax
.l:     test rcx, rcx
        jz .no
        lodsb
        test al, al
        jz .yes
        dec rcx
        jmp .l
.yes:   pop rax
        pop rcx
        pop rsi
        stc
        ret
.no:    pop rax
        pop rcx
        pop rsi
        clc
        ret

; al = 1 when the strings at rsi and rdi are equal, else 0.
streq:
        push rsi
        push rdi
        push rdx
.l:     mov al, [rsi]
        mov dl, [rdi]
        cmp al, dl
        jne .ne
        inc rsi
        inc rdi
        test al, al
        jnz .l
        mov al, 1
        jmp .e
.ne:    xor eax, eax
.e:     pop rdx
        pop rdi
        pop rsi
        ret

; al = sum of the rcx bytes at rsi (mod 256).
sum8:
        push rsi
        push rcx
        push rdx
        xor edx, edx
.l:     test rcx, rcx
        jz .e
        add dl, [rsi]
        inc rsi
        dec rcx
        jmp .l
.e:     mov eax, edx
        pop rdx
        pop rcx
        pop rsi
        ret

; eax = CRC-32 (IEEE 802.3, reflected, as zlib) of the rcx bytes at rsi.
crc32:
        push rsi
        push rcx
        push rdx
        mov eax, -1
.l:     test rcx, rcx
        jz .e
        xor al, [rsi]
        inc rsi
        mov edx, 8
.b:     shr eax, 1
        jnc .n
        xor eax, 0xedb88320
.n:     dec edx
        jnz .b
        dec rcx
        jmp .l
.e:     not eax
        pop rdx
        pop rcx
        pop rsi
        ret

; rsi = module string, rdi = key ("len="): rax = its value (in the string)
; from the first word that begins with the key, the second word on; 0 if none.
find_arg:
        push rsi
        push rcx
        push rdx
.word:  mov al, [rsi]               ; skip a word
        test al, al
        jz .none
        cmp al, ' '
        je .sp
        inc rsi
        jmp .word
.sp:    mov al, [rsi]               ; skip spaces
        test al, al
        jz .none
        cmp al, ' '
        jne .key
        inc rsi
        jmp .sp
.key:   mov rcx, rsi
        mov rdx, rdi
.c:     mov al, [rdx]
        test al, al
        jz .found
        cmp al, [rcx]
        jne .word
        inc rcx
        inc rdx
        jmp .c
.found: mov rax, rcx
        jmp .ret
.none:  xor eax, eax
.ret:   pop rdx
        pop rcx
        pop rsi
        ret

; rsi = decimal digits: rax = value, rcx = number of digits.
parse_dec:
        push rsi
        push rdx
        xor eax, eax
        xor ecx, ecx
.l:     movzx edx, byte [rsi + rcx]
        sub edx, '0'
        cmp edx, 9
        ja .e
        imul rax, rax, 10
        add rax, rdx
        inc ecx
        jmp .l
.e:     pop rdx
        pop rsi
        ret

; rsi = hex digits: rax = value, rcx = number of digits.
parse_hex:
        push rsi
        push rdx
        xor eax, eax
        xor ecx, ecx
.l:     movzx edx, byte [rsi + rcx]
        or edx, 0x20                    ; lower case letters
        sub edx, '0'
        cmp edx, 9
        jbe .d
        sub edx, 'a' - '0'
        cmp edx, 5
        ja .e
        add edx, 10
.d:     shl rax, 4
        add rax, rdx
        inc ecx
        jmp .l
.e:     pop rdx
        pop rsi
        ret

; al = 1 when [rax, rdx) and [rsi, rdi) are disjoint (empty ranges are).
disjoint:
        cmp rax, rdx
        jae .yes
        cmp rsi, rdi
        jae .yes
        cmp rdx, rsi
        jbe .yes
        cmp rdi, rax
        jbe .yes
        xor eax, eax
        ret
.yes:   mov eax, 1
        ret

; The pages of [rax, rdx): al = 1 when BS->AllocatePages(AllocateAddress)
; fails on every one (none is free); a page it gets is given back and
; counted in [free_pages], the first one in [free_first].
all_claimed:
        push rbx
        push rcx
        push rdx
        push rsi
        push rdi
        push r8
        push r9
        push r10
        push r11
        push r12
        mov rbx, rsp                    ; an aligned stack for the calls
        and rsp, -16
        mov rsi, rax
        and rsi, -4096
        mov rdi, rdx
        mov r12d, 1                     ; callee-saved: the calls keep it
.l:     cmp rsi, rdi
        jae .e
        mov [alloc_addr], rsi
        mov rax, [r14 + 96]             ; BootServices
        mov ecx, 2                      ; AllocateAddress
        mov edx, 2                      ; EfiLoaderData
        mov r8d, 1
        lea r9, [alloc_addr]
        sub rsp, 32
        call [rax + 40]                 ; AllocatePages
        add rsp, 32
        test rax, rax
        jnz .next                       ; not free: good
        xor r12d, r12d
        cmp qword [free_pages], 0
        jne .cnt
        mov [free_first], rsi
.cnt:   inc qword [free_pages]
        mov rax, [r14 + 96]
        mov rcx, rsi
        mov edx, 1
        sub rsp, 32
        call [rax + 48]                 ; FreePages
        add rsp, 32
.next:  add rsi, 4096
        jmp .l
.e:     mov eax, r12d
        mov rsp, rbx
        pop r12
        pop r11
        pop r10
        pop r9
        pop r8
        pop rdi
        pop rsi
        pop rdx
        pop rcx
        pop rbx
        ret

; --- the EFI amd64 entry --------------------------------------------------
entry64:
        mov r12d, eax                   ; magic
        mov r13, rbx                    ; information
        and rsp, -16
        xor r14, r14                    ; EFI system table, once valid
        call newline
        PRINT "MB2EFI entry eax="
        mov eax, r12d
        mov cl, 8
        call puthex
        PRINT " rbx="
        mov rax, r13
        mov cl, 8
        call puthex
        PRINT " rip="
        lea rax, [entry64]
        mov cl, 8
        call puthex
        call newline

chk_bss:                                ; nothing is written there
        lea rsi, [load_end]
        lea rdi, [bss_end]
        mov rbx, rsi
.l:     cmp rsi, rdi
        jae .e
        cmp qword [rsi], 0
        jne .e
        add rsi, 8
        jmp .l
.e:     cmp rsi, rdi
        setae al
        REPORT "bss"
        HEX " from=", rbx
        HEX " to=", rdi
        test al, al
        jnz .nl
        HEX " nonzero_at=", rsi
.nl:    call newline

chk_magic:
        cmp r12d, MB2_MAGIC
        sete al
        REPORT "magic"
        HEX " eax=", r12
        call newline

chk_align:
        test r13, r13
        setnz al
        test r13b, 7
        setz dl
        and al, dl
        REPORT "mbi.align"
        HEX " rbx=", r13
        call newline
        test r13, r13
        jz verdict
        test r13b, 7
        jnz verdict

chk_tags:
        mov eax, [r13]
        lea r15, [r13 + rax]            ; end of the information
        xor r9d, r9d                    ; tags
        xor r10d, r10d                  ; types seen (below 64)
        mov rbx, r13
        cmp eax, 16
        BADIF b, "total_size below 16"
        cmp eax, 0x1000000
        BADIF a, "total_size above 16 MiB"
        cmp dword [r13 + 4], 0
        BADIF ne, "reserved field not 0"
        lea rbx, [r13 + 8]
.walk:  lea rax, [rbx + 8]
        cmp rax, r15
        BADIF a, "tag header past total_size"
        mov eax, [rbx]
        mov edx, [rbx + 4]
        cmp edx, 8
        BADIF b, "tag size below 8"
        lea rcx, [rbx + rdx]
        cmp rcx, r15
        BADIF a, "tag past total_size"
        test eax, eax
        jz .end
        inc r9d
        cmp eax, 64
        jae .sizes
        bts r10, rax
        jnc .sizes
        cmp eax, 3
        BADIF ne, "type given twice"
.sizes: cmp eax, 1
        je .s8
        cmp eax, 2
        je .s8
        cmp eax, 3
        je .s16
        cmp eax, 4
        je .eq16
        cmp eax, 6
        je .min16
        cmp eax, 12
        je .eq16
        cmp eax, 14
        je .min28
        cmp eax, 15
        je .min44
        cmp eax, 16
        je .min248
        cmp eax, 17
        je .min16
        cmp eax, 18
        je .eq8
        cmp eax, 20
        je .eq16
        cmp eax, 21
        je .eq12
        jmp .next
.eq8:   cmp edx, 8
        BADIF ne, "size not 8"
        jmp .next
.eq12:  cmp edx, 12
        BADIF ne, "size not 12"
        jmp .next
.eq16:  cmp edx, 16
        BADIF ne, "size not 16"
        jmp .next
.min16: cmp edx, 16
        BADIF b, "size below 16"
        jmp .next
.min28: cmp edx, 28
        BADIF b, "size below 28"
        jmp .next
.min44: cmp edx, 44
        BADIF b, "size below 44"
        jmp .next
.min248:
        cmp edx, 248
        BADIF b, "size below 248"
        jmp .next
.s8:    lea rsi, [rbx + 8]
        lea rcx, [rdx - 8]
        call has_nul
        BADIF nc, "string without NUL"
        jmp .next
.s16:   cmp edx, 17
        BADIF b, "module tag below 17 bytes"
        lea rsi, [rbx + 16]
        lea rcx, [rdx - 16]
        call has_nul
        BADIF nc, "module string without NUL"
.next:  add edx, 7
        and edx, -8
        add rbx, rdx
        jmp .walk
.end:   cmp edx, 8
        BADIF ne, "end tag size not 8"
        lea rax, [rbx + 8]
        cmp rax, r15
        BADIF ne, "end tag does not end at total_size"
        mov [seen], r10
        mov al, 1
        REPORT "mbi.tags"
        mov eax, [r13]
        DEC " total_size=", rax
        DEC " tags=", r9
        call newline
        jmp tags_list

tags_bad:
        xor eax, eax
        REPORT "mbi.tags"
        call space
        mov rsi, r8
        call puts
        mov rax, rbx
        sub rax, r13
        HEX " at offset ", rax
        mov eax, [r13]
        HEX " total_size=", rax
        call newline
        jmp verdict

tags_list:                              ; one line per tag, for the record
        lea rbx, [r13 + 8]
.l:     mov eax, [rbx]
        test eax, eax
        jz .e
        PRINT "MB2EFI tag "
        mov cl, 2
        call puthex
        call space
        mov eax, [rbx + 4]
        mov cl, 4
        call puthex
        call newline
        mov edx, [rbx + 4]
        add edx, 7
        and edx, -8
        add rbx, rdx
        jmp .l
.e:

chk_request:
        mov rax, REQ_MASK
        mov rcx, [seen]
        not rcx
        and rax, rcx
        mov rbx, rax
        test rax, rax
        setz al
        REPORT "mbi.request"
        HEX " missing(bit mask)=", rbx
        call newline

chk_cmdline:
        xor eax, eax
        mov ecx, 1
        call find_tag
        test rax, rax
        jz .none
        lea rsi, [rax + 8]
        lea rdi, [expect_cmdline]
        call streq
        REPORT "cmdline"
        PRINT ' "'
        call putsafe
        PRINT '"'
        test al, al
        jnz .nl
        PRINT ' want "'
        mov rsi, rdi
        call putsafe
        PRINT '"'
        jmp .nl
.none:  REPORT "cmdline"
        PRINT " no tag 1"
.nl:    call newline

chk_loader:
        xor eax, eax
        mov ecx, 2
        call find_tag
        test rax, rax
        jz .none
        lea rsi, [rax + 8]
        cmp byte [rsi], 0
        setne al
        REPORT "loader_name"
        PRINT ' "'
        call putsafe
        PRINT '"'
        jmp .nl
.none:  REPORT "loader_name"
        PRINT " no tag 2"
.nl:    call newline

chk_basic:
        xor eax, eax
        mov ecx, 4
        call find_tag
        test rax, rax
        jz .none
        mov ebx, [rax + 8]
        mov edx, [rax + 12]
        cmp ebx, 640
        setbe al
        test edx, edx
        setnz cl
        and al, cl
        REPORT "mem.basic"
        DEC " lower=", rbx
        DEC " upper=", rdx
        jmp .nl
.none:  REPORT "mem.basic"
        PRINT " no tag 4"
.nl:    call newline

chk_mmap:
        xor eax, eax
        mov ecx, 6
        call find_tag
        test rax, rax
        jz .none
        mov rbx, rax
        mov ecx, [rbx + 8]              ; entry_size
        xor r8d, r8d                    ; reason
        xor r9d, r9d                    ; entries
        xor r10d, r10d                  ; usable bytes
        lea r8, [s_esize]
        cmp ecx, 24
        jb .bad
        test ecx, 7
        jnz .bad
        lea r8, [s_eversion]
        cmp dword [rbx + 12], 0
        jne .bad
        mov eax, [rbx + 4]
        sub eax, 16
        xor edx, edx
        div ecx
        lea r8, [s_fill]
        test edx, edx
        jnz .bad
        test eax, eax
        jz .bad
        mov r11d, eax
        lea rsi, [rbx + 16]
.l:     mov rax, [rsi]
        mov rdx, [rsi + 8]
        lea r8, [s_type0]
        cmp dword [rsi + 16], 0
        je .bad
        lea r8, [s_wrap]
        add rax, rdx
        jc .bad
        cmp dword [rsi + 16], 1
        jne .nu
        add r10, rdx
.nu:    inc r9d
        add rsi, rcx
        cmp r9d, r11d
        jb .l
        lea r8, [s_noram]
        test r10, r10
        jz .bad
        mov al, 1
        REPORT "mmap"
        DEC " entries=", r9
        shr r10, 10
        DEC " usable_kib=", r10
        jmp .nl
.bad:   xor eax, eax
        REPORT "mmap"
        call space
        mov rsi, r8
        call puts
        DEC " entry_size=", rcx
        DEC " entry=", r9
        jmp .nl
.none:  REPORT "mmap"
        PRINT " no tag 6"
.nl:    call newline

chk_st:
        xor eax, eax
        mov ecx, 12
        call find_tag
        test rax, rax
        jz .none
        mov rbx, [rax + 8]
        xor edx, edx                    ; revision
        test rbx, rbx
        jz .bad
        mov rcx, 0x5453595320494249     ; "IBI SYST"
        cmp [rbx], rcx
        jne .bad
        mov edx, [rbx + 8]
        cmp edx, 0x20000
        jb .bad
        mov r14, rbx                    ; valid
        mov al, 1
        jmp .rep
.bad:   xor eax, eax
.rep:   REPORT "efi.st"
        HEX " st=", rbx
        test rbx, rbx
        jz .nl
        HEX " signature=", [rbx]
        mov eax, edx
        shr eax, 16
        DEC " revision=", rax
        PRINT "."
        movzx eax, dx
        call putdec
        jmp .nl
.none:  REPORT "efi.st"
        PRINT " no tag 12"
.nl:    call newline

chk_ih:
        xor eax, eax
        mov ecx, 20
        call find_tag
        test rax, rax
        jz .none
        mov rbx, [rax + 8]
        test rbx, rbx
        setnz al
        REPORT "efi.ih"
        HEX " handle=", rbx
        call newline
        ; Is it a loaded image of this system table?
        test r14, r14
        jz chk_bs
        test rbx, rbx
        jz chk_bs
        mov qword [iface], 0
        mov rax, [r14 + 96]             ; BootServices
        mov rcx, rbx
        lea rdx, [guid_loaded_image]
        lea r8, [iface]
        sub rsp, 32
        call [rax + 152]                ; HandleProtocol
        add rsp, 32
        mov rbx, rax                    ; status
        test rax, rax
        jnz .img
        mov rcx, [iface]
        test rcx, rcx
        jz .img
        cmp [rcx + 16], r14             ; LoadedImage->SystemTable
        sete al
        jmp .irep
.img:   xor eax, eax
.irep:  REPORT "efi.ih.image"
        HEX " status=", rbx
        HEX " loaded_image=", [iface]
        jmp .nl
.none:  REPORT "efi.ih"
        PRINT " no tag 20"
.nl:    call newline

chk_bs:
        xor eax, eax
        mov ecx, 18
        call find_tag
        test rax, rax
        setnz al
        REPORT "efi.bs"
        test al, al
        jnz .nl
        PRINT " no tag 18"
.nl:    call newline

chk_efimap:
        xor eax, eax
        mov ecx, 17
        call find_tag
        test rax, rax
        jz .none
        mov rbx, rax
        mov ecx, [rbx + 8]              ; descriptor size
        xor r9d, r9d                    ; descriptors
        xor r10d, r10d                  ; conventional pages
        lea r8, [s_dsize]
        cmp ecx, 40
        jb .bad
        lea r8, [s_dversion]
        cmp dword [rbx + 12], 1
        jne .bad
        mov eax, [rbx + 4]
        sub eax, 16
        xor edx, edx
        div ecx
        lea r8, [s_fill]
        test edx, edx
        jnz .bad
        test eax, eax
        jz .bad
        mov r11d, eax
        lea rsi, [rbx + 16]
.l:     lea r8, [s_dtype]
        cmp dword [rsi], 16
        jae .bad
        mov rax, [rsi + 8]              ; PhysicalStart
        lea r8, [s_dalign]
        test eax, 0xfff
        jnz .bad
        mov rdx, [rsi + 24]             ; NumberOfPages
        lea r8, [s_dpages]
        test rdx, rdx
        jz .bad
        lea r8, [s_wrap]
        push rdx
        shr rdx, 52
        pop rdx
        jnz .bad
        shl rdx, 12
        add rax, rdx
        jc .bad
        cmp dword [rsi], 7              ; EfiConventionalMemory
        jne .nc
        add r10, [rsi + 24]
.nc:    inc r9d
        add rsi, rcx
        cmp r9d, r11d
        jb .l
        lea r8, [s_noram]
        test r10, r10
        jz .bad
        mov al, 1
        REPORT "efi.mmap"
        DEC " descriptor_size=", rcx
        mov eax, [rbx + 12]
        DEC " version=", rax
        DEC " descriptors=", r9
        DEC " conventional_pages=", r10
        jmp .nl
.bad:   xor eax, eax
        REPORT "efi.mmap"
        call space
        mov rsi, r8
        call puts
        DEC " descriptor_size=", rcx
        mov eax, [rbx + 12]
        DEC " version=", rax
        DEC " descriptor=", r9
        jmp .nl
.none:  REPORT "efi.mmap"
        PRINT " no tag 17"
.nl:    call newline

chk_mods:
        xor r9d, r9d                    ; module index
        xor eax, eax
.next:  mov ecx, 3
        call find_tag
        test rax, rax
        jz .done
        mov rbx, rax
        mov r10d, [rbx + 8]             ; start
        mov r11d, [rbx + 12]            ; end (exclusive)
        lea rsi, [rbx + 16]
        PRINT "MB2EFI mod"
        mov eax, r9d
        call putdec
        HEX " start=", r10
        HEX " end=", r11
        PRINT " string="
        call putsafe
        call newline
        cmp r9d, MAX_MODS
        jae .noslot
        mov eax, r9d
        shl eax, 4
        lea rdx, [mods_tab]
        mov [rdx + rax], r10
        mov [rdx + rax + 8], r11
.noslot:
        test r10d, 0xfff
        setz al
        MODREPORT ".align"
        HEX " start=", r10
        call newline
        ; len=
        lea rdi, [s_key_len]
        call find_arg
        test rax, rax
        jz .nolen
        push rsi
        mov rsi, rax
        call parse_dec
        pop rsi
        mov r8, rax                     ; wanted
        test ecx, ecx
        jnz .have
        mov r8, -1
.have:  mov rdx, r11
        sub rdx, r10
        cmp r11, r10
        setae al
        cmp rdx, r8
        sete cl
        and al, cl
        MODREPORT ".len"
        DEC " end-start=", rdx
        DEC " want=", r8
        call newline
        jmp .crc
.nolen: MODREPORT ".len"
        PRINT " no len= in the module string"
        call newline
.crc:   lea rdi, [s_key_crc]
        call find_arg
        test rax, rax
        jz .nocrc
        push rsi
        mov rsi, rax
        call parse_hex
        pop rsi
        mov rdx, rax                    ; wanted
        cmp ecx, 8
        jne .crcbad
        cmp r11, r10
        jb .crcbad
        push rsi
        mov rsi, r10
        mov rcx, r11
        sub rcx, r10
        call crc32
        pop rsi
        cmp eax, edx
        sete cl
        mov r8d, eax
        mov al, cl
        jmp .repcrc
.crcbad:
        xor r8d, r8d
        xor eax, eax
.repcrc:
        MODREPORT ".crc"
        HEX " crc32=", r8
        HEX " want=", rdx
        call newline
        jmp .adv
.nocrc: MODREPORT ".crc"
        PRINT " no crc= in the module string"
        call newline
.adv:   inc r9d
        mov rax, rbx
        jmp .next
.done:  mov [nmods], r9d
        cmp r9d, EXPECT_MODS
        sete al
        REPORT "mods.count"
        DEC " got=", r9
        DEC " want=", EXPECT_MODS
        call newline

chk_overlap:
        ; objects: kernel image, information, modules (up to MAX_MODS)
        lea rdi, [objs_tab]
        lea rax, [start]
        mov [rdi], rax
        lea rax, [bss_end]
        mov [rdi + 8], rax
        mov [rdi + 16], r13
        mov [rdi + 24], r15
        mov ecx, [nmods]
        cmp ecx, MAX_MODS
        jbe .n
        mov ecx, MAX_MODS
.n:     add ecx, 2
        mov [nobjs], ecx
        xor r8d, r8d                    ; i
        mov r11d, 1                     ; all disjoint
.i:     cmp r8d, [nobjs]
        jae .rep
        lea r9d, [r8 + 1]               ; j
.j:     cmp r9d, [nobjs]
        jae .inext
        lea rbx, [objs_tab]
        mov eax, r8d
        shl eax, 4
        mov rsi, [rbx + rax]
        mov rdi, [rbx + rax + 8]
        mov eax, r9d
        shl eax, 4
        mov rdx, [rbx + rax + 8]
        mov rax, [rbx + rax]
        call disjoint
        test al, al
        jnz .jnext
        test r11d, r11d
        jz .jnext
        xor r11d, r11d                  ; first clash, for the detail
        mov [clash_i], r8d
        mov [clash_j], r9d
.jnext: inc r9d
        jmp .j
.inext: inc r8d
        jmp .i
.rep:   mov eax, r11d
        REPORT "overlap"
        mov ecx, [nobjs]
        DEC " objects=", rcx
        test r11d, r11d
        jnz .nl
        mov ecx, [clash_i]
        DEC " clash=", rcx
        mov ecx, [clash_j]
        DEC ",", rcx
        PRINT " (0 kernel, 1 information, 2.. modules)"
.nl:    call newline

chk_claimed:
        test r14, r14
        jz .skip
        mov qword [free_pages], 0
        mov qword [free_first], 0
        mov r11d, 1
        xor r8d, r8d
.l:     cmp r8d, [nobjs]
        jae .rep
        lea rbx, [objs_tab]
        mov eax, r8d
        shl eax, 4
        mov rdx, [rbx + rax + 8]
        mov rax, [rbx + rax]
        call all_claimed
        and r11d, eax
        inc r8d
        jmp .l
.rep:   mov eax, r11d
        REPORT "efi.claimed"
        mov ecx, [nobjs]
        DEC " objects=", rcx
        DEC " free_pages=", [free_pages]
        cmp qword [free_pages], 0
        je .nl
        HEX " first_free=", [free_first]
        jmp .nl
.skip:  xor eax, eax
        REPORT "efi.claimed"
        PRINT " no valid EFI system table"
.nl:    call newline

chk_load_base:
        xor eax, eax
        mov ecx, 21
        call find_tag
        test rax, rax
        jz .none
        mov ebx, [rax + 8]
        lea rdx, [start]
        cmp rbx, rdx
        sete al
        REPORT "load_base"
        HEX " tag=", rbx
        HEX " running_at=", rdx
        jmp .nl
.none:  REPORT "load_base"
        PRINT " no tag 21"
.nl:    call newline

chk_acpi:
        xor r10d, r10d                  ; RSDP tags seen
        xor eax, eax
        mov ecx, 14
        call find_tag
        test rax, rax
        jz .new
        inc r10d
        lea rsi, [rax + 8]
        mov rcx, 0x2052545020445352     ; "RSD PTR "
        cmp [rsi], rcx
        sete bl
        mov ecx, 20
        call sum8
        test al, al
        sete al
        and al, bl
        REPORT "acpi.rsdp1"
        movzx ecx, byte [rsi + 15]
        DEC " revision=", rcx
        HEX " rsdt=", [rsi + 16]
        call newline
.new:   xor eax, eax
        mov ecx, 15
        call find_tag
        test rax, rax
        jz .pres
        inc r10d
        mov rdx, rax
        lea rsi, [rax + 8]
        mov rcx, 0x2052545020445352
        cmp [rsi], rcx
        sete bl
        cmp byte [rsi + 15], 2
        setae al
        and bl, al
        mov ecx, 20
        call sum8
        test al, al
        sete al
        and bl, al
        mov ecx, [rsi + 20]             ; Length
        cmp ecx, 36
        setae al
        and bl, al
        mov eax, [rdx + 4]
        sub eax, 8
        cmp ecx, eax
        setbe al
        and bl, al
        test bl, bl
        jz .r2
        call sum8
        test al, al
        sete bl
.r2:    mov al, bl
        REPORT "acpi.rsdp2"
        movzx ecx, byte [rsi + 15]
        DEC " revision=", rcx
        mov ecx, [rsi + 20]
        DEC " length=", rcx
        HEX " xsdt=", [rsi + 24]
        call newline
.pres:  test r10d, r10d
        setnz al
        REPORT "acpi.present"
        DEC " rsdp_tags=", r10
        call newline

chk_net:
        xor eax, eax
        mov ecx, 16
        call find_tag
        test rax, rax
        jz .none
        lea rsi, [rax + 8]              ; the DHCP packet
        mov edx, [rax + 4]
        lea rdi, [rax + rdx]            ; its end
        mov bl, 1
        cmp byte [rsi], 2               ; op = BOOTREPLY
        je .c1
        xor ebx, ebx
.c1:    cmp dword [rsi + 236], 0x63538263   ; 99.130.83.99
        je .c2
        xor ebx, ebx
.c2:    cmp dword [rsi + 16], EXPECT_YIADDR
        je .c3
        xor ebx, ebx
.c3:    ; option 53 (DHCP message type)
        xor r8d, r8d                    ; its value
        lea rcx, [rsi + 240]
.o:     cmp rcx, rdi
        jae .oe
        movzx eax, byte [rcx]
        cmp al, 255
        je .oe
        test al, al
        jnz .o1
        inc rcx
        jmp .o
.o1:    lea rdx, [rcx + 2]
        cmp rdx, rdi
        ja .oe
        movzx edx, byte [rcx + 1]
        cmp al, 53
        jne .o2
        movzx r8d, byte [rcx + 2]
        jmp .oe
.o2:    lea rcx, [rcx + rdx + 2]
        jmp .o
.oe:    cmp r8d, 5                      ; DHCPACK
        je .c4
        xor ebx, ebx
.c4:    mov al, bl
        REPORT "net.dhcp"
        movzx ecx, byte [rsi]
        DEC " op=", rcx
        DEC " type=", r8
        PRINT " yiaddr="
        movzx eax, byte [rsi + 16]
        call putdec
        PRINT "."
        movzx eax, byte [rsi + 17]
        call putdec
        PRINT "."
        movzx eax, byte [rsi + 18]
        call putdec
        PRINT "."
        movzx eax, byte [rsi + 19]
        call putdec
        jmp .nl
.none:  REPORT "net.dhcp"
        PRINT " no tag 16"
.nl:    call newline

verdict:
        PRINT "MB2EFI VERDICT "
        mov eax, [fails]
        test eax, eax
        jnz .f
        PRINT "PASS"
        jmp .nl
.f:     PRINT "FAIL n="
        call putdec
.nl:    call newline

        test r14, r14
        jz done
        ; ConOut->OutputString(ConOut, L"...")   (system table + 64)
        mov rcx, [r14 + 64]
        lea rdx, [w_conout]
        sub rsp, 32
        call [rcx + 8]
        add rsp, 32
        PRINT "MB2EFI reset"
        call newline
        ; RuntimeServices->ResetSystem(EfiResetShutdown, 0, 0, NULL)
        mov rax, [r14 + 88]
        mov ecx, 2
        xor edx, edx
        xor r8d, r8d
        xor r9d, r9d
        sub rsp, 32
        call [rax + 104]
        add rsp, 32
        ; it returned: fall through

done:   lea rsi, [s_done]
        call puts
halt:   cli
.h:     hlt
        jmp .h

s_pass:         db "PASS ", 0
s_fail:         db "FAIL ", 0
s_done:         db "MB2EFI done", 13, 10, 0
s_key_len:      db "len=", 0
s_key_crc:      db "crc=", 0
s_esize:        db "entry_size below 24 or not a multiple of 8", 0
s_eversion:     db "entry_version not 0", 0
s_fill:         db "entries do not fill the tag", 0
s_type0:        db "an entry of type 0", 0
s_wrap:         db "an entry wraps", 0
s_noram:        db "no usable RAM", 0
s_dsize:        db "descriptor size below 40", 0
s_dversion:     db "descriptor version not 1", 0
s_dtype:        db "a descriptor type above 15", 0
s_dalign:       db "a descriptor start not 4 KiB aligned", 0
s_dpages:       db "a descriptor of 0 pages", 0
expect_cmdline: db EXPECT_CMDLINE, 0
        align 2
w_conout:       dw __utf16__("MB2EFI conout ok"), 13, 10, 0
        align 8
guid_loaded_image:                      ; 5B1B31A1-9562-11d2-8E3F-00A0C969723B
        dd 0x5b1b31a1
        dw 0x9562, 0x11d2
        db 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b
; Variables: in the loaded image (the bss after it is checked, not used).
passes:         dd 0
fails:          dd 0
nmods:          dd 0
nobjs:          dd 0
clash_i:        dd 0
clash_j:        dd 0
seen:           dq 0
iface:          dq 0
alloc_addr:     dq 0
free_pages:     dq 0
free_first:     dq 0
objs_tab:       times 2 * 2 dq 0        ; kernel, information, then
mods_tab:       times MAX_MODS * 2 dq 0 ; modules: objs_tab[i + 2]

        align 8
load_end:
bss_end equ load_end + BSS_SIZE         ; zeroed by the loader
"""


class Result:
    def __init__(self, name):
        self.name = name
        self.problems = []
        self.notes = []

    def check(self, cond, what):
        if not cond:
            self.problems.append(what)
        return cond


def tftp_boot(args, name, loader, files, line, timeout, stops, mem=512,
              cpu=None, replies=(), link=None):
    root = os.path.join(args.build, "uefi", "tftp-" + name)
    uefi.make_tftp_root(root, loader, files, line)
    logp = os.path.join(args.build, "uefi", name + ".log")
    b = uefi.boot(root, timeout, stops, mem=mem, nic=args.nic, cpu=cpu,
                  echo=args.echo, log_path=logp, replies=replies, link=link)
    b.log_path = logp
    return b


def lines(b, rx):
    r = re.compile(rx)
    return [l for _, l in b.lines if r.search(l)]


def error_case(args, name, kernel_files, line, message_rx):
    """A boot that must end in our error matching @message_rx and the
    boot: prompt."""
    res = Result(name)
    b = tftp_boot(args, name, args.loader, kernel_files, line, 120,
                  ())
    errs = lines(b, RE_ERROR)
    res.check(errs, "no 'mboot: error:' line")
    if errs:
        res.check(re.search(message_rx, errs[0]),
                  "error %r does not match %r" % (errs[0], message_rx))
        res.notes.append(errs[0])
    res.check(b.reason.startswith("stop:^boot:"),
              "did not return to the boot: prompt (%s)" % b.reason)
    return res, b


def case_missing(args, k):
    res, b = error_case(args, "missing", {}, "mboot.c32 -verbose nosuch.elf",
                        r"nosuch\.elf: file not found")
    res.check(lines(b, r"^mboot: EFI system table 0x[0-9a-f]+"),
              "no system table line (-verbose)")
    res.check(lines(b, r"^mboot: UEFI \d+\.\d+, image handle 0x[0-9a-f]+"),
              "no image handle line (-verbose)")
    res.notes += lines(b, r"^mboot: (EFI system table|UEFI )")
    return res


def case_noheader(args, k):
    res, _ = error_case(args, "noheader", {"plain.bin": k["plain.bin"]},
                        "mboot.c32 plain.bin", r"plain\.bin: .*header")
    return res


def case_noefi(args, k):
    res, _ = error_case(args, "noefi", {"mb2noefi.bin": k["mb2noefi.bin"]},
                        "mboot.c32 mb2noefi.bin",
                        r"needs boot services exited, not supported on UEFI")
    return res


_MB2EFI_BOOT = {}


def boot_mb2efi(args, k):
    """One boot for both mb2efi cases: MB2EFI_CMDLINE and MB2EFI_MODS, each
    module string carrying its len= and crc=.  It ends when QEMU exits
    (the kernel's ResetSystem) or on "MB2EFI done" (no system table, or
    ResetSystem returned)."""
    if "b" not in _MB2EFI_BOOT:
        line = "mboot.c32 -verbose " + MB2EFI_CMDLINE
        files = {"mb2efi.bin": k["mb2efi.bin"]}
        for name, size, crc in k["mods"]:
            line += " --- %s len=%d crc=%08x" % (name, size, crc)
            files[name] = k[name]
        _MB2EFI_BOOT["b"] = tftp_boot(
            args, "mb2efi", args.loader, files, line, 120,
            (r"^MB2EFI done", RE_ERROR))
    return _MB2EFI_BOOT["b"]


RE_CHECK = r"^(PASS|FAIL) (\S+)(.*)$"
# Rows of the placement table (-verbose, -n; lib/plantable.h).
TABLE_ROW = r"^mboot:   0x[0-9a-f]+ 0x[0-9a-f]+ +\d+ \| "
TABLE_INFO_ROW = TABLE_ROW + r".* \| info$"


def mb2efi_checks(b):
    """The kernel's check lines: {name: (PASS|FAIL, detail)} (first one)."""
    out = {}
    for l in lines(b, RE_CHECK):
        m = re.match(RE_CHECK, l)
        out.setdefault(m.group(2), (m.group(1), m.group(3).strip()))
    return out


def check_note(checks, c):
    verdict, detail = checks[c]
    return "%s %s%s" % (verdict, c, ": " + detail if detail else "")


def judge_checks(res, checks, want):
    """Every check in @want reported and passed; failures listed."""
    missing = [c for c in want if c not in checks]
    failed = ["%s (%s)" % (c, checks[c][1]) for c in want
              if c in checks and checks[c][0] != "PASS"]
    res.check(not missing, "checks not reported: " + " ".join(missing))
    res.check(not failed, "checks failed: " + "; ".join(failed))


def case_mb2efi(args, k):
    res = Result("mb2efi")
    b = boot_mb2efi(args, k)
    res.check(not lines(b, RE_ERROR), "loader error: %s" %
              " ".join(lines(b, RE_ERROR)))
    entry = lines(b, r"^MB2EFI entry ")
    if res.check(entry, "the kernel's EFI entry did not run"):
        m = re.search(r"eax=(\w+) rbx=(\w+) rip=(\w+)", entry[0])
        res.check(m and m.group(1) == MB2_MAGIC, "EAX is not the magic")
        info = lines(b, TABLE_INFO_ROW)
        if res.check(info, "no info row in the placement table") and m:
            res.check(int(m.group(2), 16) ==
                      int(info[0].split()[1], 16),
                      "RBX is not the information's address in the table")
        res.notes.append(entry[0])
    checks = mb2efi_checks(b)
    judge_checks(res, checks, MB2EFI_CHECKS)
    # Any other check the kernel failed.
    other = [c for c, (v, _) in checks.items()
             if v != "PASS" and c not in MB2EFI_CHECKS]
    res.check(not other, "other checks failed: " + " ".join(other))
    verdict = lines(b, r"^MB2EFI VERDICT ")
    res.check(verdict == ["MB2EFI VERDICT PASS"],
              "kernel verdict: %r" % verdict)
    # The modules where our module says it put them (-verbose), with the
    # CRC it computed.
    mods = lines(b, r"^MB2EFI mod\d+ start=")
    res.check(len(mods) == len(k["mods"]), "want %d modules, got %d" %
              (len(k["mods"]), len(mods)))
    for (name, size, crc), l in zip(k["mods"], mods):
        start = int(re.search(r"start=0x(\w+)", l).group(1), 16)
        ours = lines(b, r"^mboot: %s: crc32 " % re.escape(name))
        res.check(ours and int(ours[0].split()[3], 16) == crc and
                  int(ours[0].split()[5], 16) == start,
                  "%s: CRC/address as loaded: %r" % (name, ours))
    check_via(res, b, ["mb2efi.bin"] + [n for n, _, _ in k["mods"]],
              tftp_transport())
    n_pass = sum(1 for v, _ in checks.values() if v == "PASS")
    res.notes.append("kernel checks: %d passed, %d failed" % (
        n_pass, len(checks) - n_pass))
    for c in ("cmdline", "loader_name", "net.dhcp", "acpi.rsdp2"):
        if c in checks:
            res.notes.append(check_note(checks, c))
    res.notes.append("information tags: " + " ".join(
        str(int(l.split()[2], 16)) for l in lines(b, r"^MB2EFI tag ")))
    return res


def case_dryrun(args, k):
    """The mb2efi line with -n, then the same line without it typed at the
    boot: prompt: the dry run gives the verdict and the table and enters
    nothing; the real boot then enters the kernel, which passes its
    checks, with the information where the new table says."""
    res = Result("dryrun")
    line = MB2EFI_CMDLINE
    files = {"mb2efi.bin": k["mb2efi.bin"]}
    total = os.path.getsize(k["mb2efi.bin"])
    for name, size, crc in k["mods"]:
        line += " --- %s len=%d crc=%08x" % (name, size, crc)
        files[name] = k[name]
        total += size
    b = tftp_boot(args, "dryrun", args.loader, files, "mboot.c32 -n " + line,
                  180, (r"^MB2EFI done", RE_ERROR),
                  replies=("mboot.c32 -verbose " + line,))
    want = "mboot: dry run: mb2efi.bin would boot (Multiboot 2), %d files, " \
           "%d bytes" % (1 + len(k["mods"]), total)
    text = b.text
    verdict = text.find(want + "\n")
    prompt = re.search(r"^boot: *$", text, re.M)
    entry = re.search(r"^MB2EFI entry .*rbx=(\w+)", text, re.M)
    res.check(verdict >= 0, "no verdict line %r" % want)
    res.check(not lines(b, RE_ERROR), "loader error: %s" %
              " ".join(lines(b, RE_ERROR)))
    res.check(prompt and verdict < prompt.start() and entry and
              entry.start() > prompt.start(),
              "not: verdict, boot: prompt, then the kernel")
    dry = [l for l in text[:prompt.start() if prompt else len(text)]
           .splitlines() if re.match(TABLE_ROW, l)]
    res.check(len([r for r in dry if " | module " in r]) == len(k["mods"])
              and [r for r in dry if r.endswith(" | info")],
              "dry-run table without the info and module rows: %r" % dry)
    res.check(all(" RAM | " in r for r in dry),
              "a row outside RAM: %r" % [r for r in dry if " RAM | " not in r])
    info = lines(b, TABLE_INFO_ROW)
    res.check(len(info) == 2 and entry and
              int(entry.group(1), 16) == int(info[-1].split()[1], 16),
              "RBX is not the information's address in the real boot's "
              "table: %r" % info)
    checks = mb2efi_checks(b)
    judge_checks(res, checks, MB2EFI_CHECKS)
    res.check(lines(b, r"^MB2EFI VERDICT ") == ["MB2EFI VERDICT PASS"],
              "kernel verdict: %r" % lines(b, r"^MB2EFI VERDICT "))
    res.notes += [want] + dry
    return res


def case_mb2efi_efi(args, k):
    res = Result("mb2efi-efi")
    b = boot_mb2efi(args, k)
    checks = mb2efi_checks(b)
    judge_checks(res, checks, MB2EFI_EFI_CHECKS)
    for c in MB2EFI_EFI_CHECKS:
        if c in checks:
            res.notes.append(check_note(checks, c))
    res.check(lines(b, r"MB2EFI conout ok"),
              "the kernel could not print through ConOut")
    res.check(lines(b, r"^MB2EFI reset"), "the kernel did not call "
              "ResetSystem")
    res.check(b.reason == "exit" and not lines(b, r"^MB2EFI done"),
              "ResetSystem did not power off (%s)" % b.reason)
    return res


def big_boot(args, k, name, opts, size=BIG_SIZE, link=None):
    """The mb2efi kernel with a PRNG module big.bin of @size bytes (and
    mod2.bin) over TFTP, the loader run with @opts (through @link when
    given); returns (Result, boot)."""
    res = Result(name)
    big = os.path.join(args.build, "uefi", "data", "big-%d.bin" % size)
    if not os.path.exists(big) or os.path.getsize(big) != size:
        with open(big, "wb") as f:
            f.write(prng_bytes("uefi-big", size))
    with open(big, "rb") as f:
        crc = zlib.crc32(f.read())
    small = [m for m in k["mods"] if m[0] == "mod2.bin"][0]
    line = "mboot.c32 %s %s --- big.bin len=%d crc=%08x --- %s len=%d " \
        "crc=%08x" % (opts, MB2EFI_CMDLINE, size, crc, small[0],
                      small[1], small[2])
    files = {"mb2efi.bin": k["mb2efi.bin"], "big.bin": big,
             small[0]: k[small[0]]}
    b = tftp_boot(args, name, args.loader, files, line, 900,
                  (r"^MB2EFI done", RE_ERROR), mem=1024, link=link)
    res.check(not lines(b, RE_ERROR), "loader error: %s" %
              " ".join(lines(b, RE_ERROR)))
    checks = mb2efi_checks(b)
    judge_checks(res, checks, ["mod0.len", "mod0.crc", "mod1.len",
                               "mod1.crc", "mods.count", "overlap",
                               "efi.claimed"])
    verdict = lines(b, r"^MB2EFI VERDICT ")
    res.check(verdict == ["MB2EFI VERDICT PASS"],
              "kernel verdict: %r" % verdict)
    got = fetched(b).get("big.bin")
    if res.check(got, "no fetch line for big.bin"):
        res.notes.append("big.bin: %d bytes in %.3f s, %s MB/s via %s" %
                         got)
    res.notes.append("ended: %s after %.0f s" % (b.reason, b.seconds))
    return res, b


def case_big(args, k):
    res, b = big_boot(args, k, "big", "-verbose")
    check_via(res, b, ["mb2efi.bin", "big.bin", "mod2.bin"],
              tftp_transport())
    return res


def case_big_pxelinux(args, k):
    res, b = big_boot(args, k, "big-pxelinux", "-verbose -pxelinux")
    via = fetched(b).get("big.bin", (0, 0, "", ""))[3]
    res.check(via.startswith("PXELINUX"),
              "big.bin came via %r with -pxelinux" % via)
    return res


def case_lossy(args, k):
    """LOSSY_SIZE module over a link that drops LOSSY_PCT % of the frames
    each way from the loader's request for the kernel on: byte-exact."""
    link = uefi.LossyLink(os.path.join(args.build, "uefi", "lossy-link"),
                          LOSSY_PCT / 100.0, seed=17,
                          armed=uefi.tftp_request_for("mb2efi.bin"))
    try:
        res, b = big_boot(args, k, "lossy", "-verbose", LOSSY_SIZE, link)
    finally:
        link.close()
    check_via(res, b, ["mb2efi.bin", "big.bin", "mod2.bin"],
              tftp_transport())
    up, down = link.counts["up"], link.counts["down"]
    res.check(up[1] and down[1], "the link dropped no frame one way "
              "(up %d, down %d)" % (up[1], down[1]))
    res.notes.append("link: from the NIC %d passed, %d dropped; to it %d "
                     "passed, %d dropped" % (up[0], up[1], down[0], down[1]))
    res.notes += lines(b, r"^mboot: \S+: \d+ blocks lost")
    return res


def case_lab(args, k):
    """LAB_CLIENTS OVMF clients at once in the network lab (qemu/netlab:
    a namespace with a bridge, dnsmasq for DHCP and TFTP, LAB_LOSS % of
    the frames dropped each way by nftables from the first DHCP packet
    on), each booting the mb2efi kernel with a LAB_SIZE PRNG module and
    mod2.bin; every client's kernel checks pass (net.dhcp aside: it
    expects QEMU's user-network address) and every file came via mboot's
    TFTP.  dnsmasq names pxelinux.0 as the boot file to every client
    (servers.Dnsmasq): here that file is syslinux.efi."""
    res = Result("lab")
    sys.path.insert(0, os.path.join(HERE, "netlab"))
    import namespace  # noqa: E402  (qemu/netlab/)
    import servers  # noqa: E402
    import clients  # noqa: E402
    problems = namespace.missing_prerequisites()
    if not res.check(not problems, "no lab: " + "; ".join(problems)):
        return res
    workdir = os.path.join(args.build, "uefi", "lab")
    root = os.path.join(workdir, "root")
    os.makedirs(workdir, exist_ok=True)
    big = os.path.join(args.build, "uefi", "data", "big-%d.bin" % LAB_SIZE)
    if not os.path.exists(big) or os.path.getsize(big) != LAB_SIZE:
        with open(big, "wb") as f:
            f.write(prng_bytes("uefi-big", LAB_SIZE))
    with open(big, "rb") as f:
        crc = zlib.crc32(f.read())
    small = [m for m in k["mods"] if m[0] == "mod2.bin"][0]
    line = "mboot.c32 -verbose %s --- big.bin len=%d crc=%08x --- %s " \
        "len=%d crc=%08x" % (MB2EFI_CMDLINE, LAB_SIZE, crc, small[0],
                             small[1], small[2])
    uefi.make_tftp_root(root, args.loader, {
        "mb2efi.bin": k["mb2efi.bin"], "big.bin": big,
        small[0]: k[small[0]], "pxelinux.0": uefi.SYSLINUX_EFI}, line)
    ns = namespace.Namespace("uefilab-%d" % os.getpid())
    stop_rx = re.compile("|".join((r"^MB2EFI done", RE_ERROR) +
                                  uefi.FATAL_PATTERNS))
    dnsmasq = tftpd = None
    cls = []
    loss = {}
    try:
        ns.create()
        for i in range(LAB_CLIENTS):
            ns.add_tap("tap%d" % i)
        ns.set_loss(LAB_LOSS)
        dnsmasq, tftpd = servers.make_tftp_server("dnsmasq", ns, root,
                                                  workdir)
        dnsmasq.start()
        cls = [clients.Client(i, ns, 1024, None,
                              os.path.join(workdir, "client%d.log" % i),
                              firmware="ovmf",
                              vars_path=os.path.join(workdir,
                                                     "vars%d.fd" % i))
               for i in range(LAB_CLIENTS)]
        t0 = time.monotonic()
        for c in cls:
            c.start(t0)
        clients.watch(cls, LAB_TIMEOUT, lambda c: "stop" if any(
            stop_rx.search(l) for _, l in c.lines[-30:]) else None)
        loss = ns.loss_counters()
    finally:
        for c in cls:
            if c.proc is not None and c.outcome is None:
                c.finish("interrupted")
        if dnsmasq:
            dnsmasq.stop()
        ns.delete()
    for c in cls:
        tag = "client %d: " % c.index
        checks = mb2efi_checks(c)
        want = ["mod0.len", "mod0.crc", "mod1.len", "mod1.crc",
                "mods.count", "overlap", "efi.claimed"]
        judge_checks(res, checks, want)
        bad = [n for n, (v, _) in checks.items()
               if v != "PASS" and n != "net.dhcp"]
        res.check(not bad, tag + "kernel checks failed: " + " ".join(bad))
        res.check(not lines(c, RE_ERROR), tag + "loader error: " +
                  " ".join(lines(c, RE_ERROR)))
        check_via(res, c, ["mb2efi.bin", "big.bin", "mod2.bin"],
                  tftp_transport())
        got = fetched(c).get("big.bin")
        res.notes.append(tag + "%s after %.0f s; big.bin %s" % (
            c.outcome, c.end_t or 0, "%d bytes in %.3f s, %s MB/s" %
            got[:3] if got else "not fetched"))
        res.notes += [tag + l for l in lines(c, r"^mboot: \S+: \d+ blocks "
                                             r"lost")]
    res.check(loss.get("in", (0, 0))[1] and loss.get("out", (0, 0))[1],
              "nftables dropped nothing one way: %r" % loss)
    res.notes.append("bridge frames (seen, dropped): in %r, out %r" % (
        loss.get("in"), loss.get("out")))
    return res


def xen_files(args):
    import demo  # qemu/xen/demo.py
    debs = demo.fetch_debs(args.build, quiet=True)
    initrd = demo.make_initrd(args.build, debs["busybox"], 0, "gzip")
    return demo, debs, initrd


def xen_boot(args, name, loader, opts=""):
    demo, debs, initrd = xen_files(args)
    ipath, isize, imd5 = initrd
    dom0_args = "%s mboot.initrd_size=%d mboot.initrd_md5=%s" % (
        demo.DOM0_ARGS, isize, imd5)
    line = "mboot.c32 %sxen.gz %s --- vmlinuz %s --- initrd.gz" % (
        opts + " " if opts else "", demo.XEN_ARGS, dom0_args)
    files = {"xen.gz": debs["xen_gz"], "vmlinuz": debs["vmlinuz"],
             "initrd.gz": ipath}
    b = tftp_boot(args, name, loader, files, line, args.xen_timeout,
                  (r"MBOOT-DOM0-POWEROFF", r"Panic on CPU", r"Kernel panic",
                   r"^ERR: ", RE_ERROR), mem=2048, cpu="max,-smap")
    outcome = {"stop:^boot: *$": "boot-prompt", "timeout": "timeout"}.get(
        b.reason, b.reason)
    ok, fields, reasons, notes = demo.analyse(
        b, outcome, demo.XEN_ARGS, dom0_args, initrd, False)
    return b, ok, fields, reasons, notes


def case_xen(args, k):
    res = Result("xen")
    b, ok, fields, reasons, notes = xen_boot(args, "xen", args.loader,
                                             "-verbose")
    res.problems += reasons
    # analyse() is ok exactly when it found no reason; both are checked so
    # that neither can pass the case alone.
    res.check(ok, "demo analysis not ok%s" % ("" if reasons else
                                              " (and gave no reason)"))
    res.notes += notes + ["ended: %s after %.0f s" % (b.reason, b.seconds)]
    res.notes += lines(b, RE_ERROR + r"|^ERR: |Panic|X64 Exception")[:3]
    return res


def case_stock_xen(args, k):
    """SYSLINUX's efi64 mboot.c32 on the same Xen files fails as README
    says: a CPU exception in the firmware (OVMF's "!!!! X64 Exception
    Type" dump, measured: #GP) right after its "Loading xen.gz...", before
    Xen prints anything.  A stock module that boots Xen, or fails some
    other way, fails this case."""
    res = Result("stock-xen")
    b, ok, fields, reasons, notes = xen_boot(args, "stock-xen",
                                             uefi.STOCK_MBOOT)
    exc = lines(b, r"!!!! X64 Exception Type")
    res.check(b.reason == "stop:!!!! X64 Exception Type",
              "did not end in a firmware CPU exception (%s after %.0f s)" %
              (b.reason, b.seconds))
    res.check(exc and re.search(r"^Loading xen\.gz\.\.\. *!!!! X64 Exception",
                                exc[0]),
              "the exception did not come while loading xen.gz: %r" % exc[:1])
    res.check(not ok and "no Xen banner" in reasons,
              "Xen ran under the stock module (%s)" %
              ("dom0 reached" if ok else "; ".join(reasons)))
    res.notes += lines(b, r"Loading|Exception|^RIP|Xen version|MBOOT-")[:4]
    return res


CASES = [("missing", case_missing), ("noheader", case_noheader),
         ("noefi", case_noefi), ("mb2efi", case_mb2efi),
         ("mb2efi-efi", case_mb2efi_efi), ("dryrun", case_dryrun),
         ("lossy", case_lossy), ("xen", case_xen)]
# Run only when named in --only, or with --long.
LONG_CASES = [("big", case_big), ("big-pxelinux", case_big_pxelinux),
              ("lab", case_lab)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--loader", default=None,
                    help="module under test (default BUILD/efi64/mboot.c32)")
    ap.add_argument("--only", default="", help="comma-separated case names")
    ap.add_argument("--nic", default="ovmf", choices=sorted(uefi.NICS))
    ap.add_argument("--no-stock", action="store_true")
    ap.add_argument("--xen-timeout", type=int, default=420)
    ap.add_argument("--long", action="store_true",
                    help="also the long cases (LONG_CASES)")
    ap.add_argument("--echo", action="store_true")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    args.loader = os.path.abspath(args.loader or os.path.join(
        args.build, "efi64", "mboot.c32"))
    if not os.path.exists(args.loader):
        sys.exit("uefi: %s missing (make build/efi64/mboot.c32)" %
                 args.loader)
    only = set(filter(None, args.only.split(",")))
    k = build_kernels(args.build)
    passed = failed = skipped = 0
    cases = list(CASES) + [c for c in LONG_CASES
                           if args.long or c[0] in only]
    if not only or "stock-xen" in only or "stock" in only:
        if args.no_stock:
            skipped += 1
            log("SKIP stock-xen (--no-stock)")
        else:
            cases.append(("stock-xen", case_stock_xen))
    for name, fn in cases:
        if only and name not in only and not (
                name == "stock-xen" and "stock" in only):
            continue
        res = fn(args, k)
        if res.problems:
            failed += 1
            log("FAIL %s: %s" % (name, "; ".join(res.problems)))
        else:
            passed += 1
            log("PASS %s" % name)
        for n in res.notes:
            log("     %s" % n)
    print("uefi: %d passed, %d failed%s" % (
        passed, failed, ", %d skipped" % skipped if skipped else ""),
        flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
