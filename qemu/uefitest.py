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
  mb2efi        MB2EFI_ASM below, a minimal Multiboot 2 kernel with an
                EFI amd64 entry, plus a module: the kernel reports the magic,
                the information address, its command line and the module
                (extent and string) on COM1
  mb2efi-efi    the same boot: the information holds the EFI system table
                (tag 12) and image handle (tag 20), the kernel prints
                through ConOut (boot services alive) and powers off through
                ResetSystem
  xen           Debian's xen.gz + dom0 vmlinuz + busybox initrd (as the BIOS
                demo, qemu/xen/demo.py) to the dom0 userspace marker

and, for the record (not counted), SYSLINUX's own efi64 mboot.c32 on the
same Xen files (--no-stock to skip).

Usage: uefitest.py [--build DIR] [--only NAME,...] [--nic ovmf|ipxe|e1000]
                   [--no-stock] [--echo]
Logs: BUILD/uefi/<case>.log.  Last line: "uefi: N passed, M failed".

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import re
import subprocess
import sys
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


def build_kernels(build):
    """Assemble the test kernels into BUILD/uefi/data; returns their
    paths."""
    out = os.path.join(build, "uefi", "data")
    os.makedirs(out, exist_ok=True)
    src = os.path.join(out, "mb2efi.asm")
    old = None
    if os.path.exists(src):
        with open(src) as f:
            old = f.read()
    if old != MB2EFI_ASM:
        with open(src, "w") as f:
            f.write(MB2EFI_ASM)
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
    # A module with known contents.
    mod = os.path.join(out, "mod1.bin")
    data = bytes((i * 7 + (i >> 8)) & 0xff for i in range(150000))
    with open(mod, "wb") as f:
        f.write(data)
    paths["mod1.bin"] = mod
    paths["mod1.crc"] = zlib.crc32(data)
    paths["mod1.len"] = len(data)
    return paths


MB2EFI_ASM = r"""; mb2efi.asm (written by qemu/uefitest.py) - a minimal Multiboot 2 kernel with an EFI amd64 entry, for the
; UEFI boot tests.  Built with: nasm -f bin.
;
; At its EFI amd64 entry (header tag 9, boot services kept) it reports on
; COM1, by port I/O, what it got:
;
;   MB2EFI entry eax=36D76289 rbx=<info address> rip=<entry address>
;   MB2EFI tag <type> <size>               one line per information tag
;   MB2EFI cmdline <string>                tag 1
;   MB2EFI module <start> <end> <string>   tag 3
;   MB2EFI st <EFI system table>           tag 12
;   MB2EFI ih <EFI image handle>           tag 20
;   MB2EFI conout ok                       printed through ConOut (tag 12)
;   MB2EFI done
;
; then powers off through ResetSystem when it has the system table, else
; halts.  Position independent: a relocating loader may move it.
;
; SPDX-License-Identifier: GPL-2.0-or-later

bits 64
default rel
LOAD    equ 0x2000000           ; 32 MiB (relocatable anyway)
org LOAD

COM1    equ 0x3f8

start:
header:
        dd 0xe85250d6                   ; magic
        dd 0                            ; architecture i386
        dd header_end - header
        dd -(0xe85250d6 + (header_end - header))
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

putsn:                                  ; rsi = string, rcx = max length
        push rsi
        push rcx
        push rax
.l:     test rcx, rcx
        jz .e
        lodsb
        test al, al
        jz .e
        call putc
        dec rcx
        jmp .l
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

; --- the EFI amd64 entry --------------------------------------------------
entry64:
        mov r12d, eax                   ; magic
        mov r13, rbx                    ; information
        and rsp, -16
        lea rsi, [s_entry]
        call puts
        mov eax, r12d
        mov cl, 8
        call puthex
        lea rsi, [s_rbx]
        call puts
        mov rax, r13
        mov cl, 8
        call puthex
        lea rsi, [s_rip]
        call puts
        lea rax, [entry64]
        mov cl, 8
        call puthex
        call newline
        cmp r12d, 0x36d76289
        jne done

        xor r14, r14                    ; EFI system table, once seen
        lea rbx, [r13 + 8]              ; first tag
        mov r15d, [r13]
        add r15, r13                    ; end of the information
.tag:   cmp rbx, r15
        jae .tags_done
        mov eax, [rbx]                  ; type
        mov edx, [rbx + 4]              ; size
        test eax, eax
        jz .tags_done
        lea rsi, [s_tag]
        call puts
        mov cl, 2
        call puthex
        call space
        push rax
        mov eax, edx
        mov cl, 4
        call puthex
        pop rax
        call newline
        cmp eax, 1
        je .cmdline
        cmp eax, 3
        je .module
        cmp eax, 12
        je .st
        cmp eax, 20
        je .ih
.next:  mov edx, [rbx + 4]
        add edx, 7
        and edx, -8
        add rbx, rdx
        jmp .tag

.cmdline:
        lea rsi, [s_cmdline]
        call puts
        lea rsi, [rbx + 8]
        mov ecx, [rbx + 4]
        sub ecx, 8
        call putsn
        call newline
        jmp .next
.module:
        lea rsi, [s_module]
        call puts
        mov eax, [rbx + 8]
        mov cl, 8
        call puthex
        call space
        mov eax, [rbx + 12]
        call puthex
        call space
        lea rsi, [rbx + 16]
        mov ecx, [rbx + 4]
        sub ecx, 16
        call putsn
        call newline
        jmp .next
.st:    lea rsi, [s_st]
        call puts
        mov rax, [rbx + 8]
        mov r14, rax
        mov cl, 16
        call puthex
        call newline
        jmp .next
.ih:    lea rsi, [s_ih]
        call puts
        mov rax, [rbx + 8]
        mov cl, 16
        call puthex
        call newline
        jmp .next

.tags_done:
        test r14, r14
        jz done
        ; ConOut->OutputString(ConOut, L"...")   (system table + 64)
        mov rcx, [r14 + 64]
        lea rdx, [w_conout]
        sub rsp, 32
        call [rcx + 8]
        add rsp, 32
        lea rsi, [s_done]
        call puts
        ; RuntimeServices->ResetSystem(EfiResetShutdown, 0, 0, NULL)
        mov rax, [r14 + 88]
        mov ecx, 2
        xor edx, edx
        xor r8d, r8d
        xor r9d, r9d
        sub rsp, 32
        call [rax + 104]
        add rsp, 32
        jmp halt

done:   lea rsi, [s_done]
        call puts
halt:   cli
.h:     hlt
        jmp .h

s_entry:        db "MB2EFI entry eax=", 0
s_rbx:          db " rbx=", 0
s_rip:          db " rip=", 0
s_tag:          db "MB2EFI tag ", 0
s_cmdline:      db "MB2EFI cmdline ", 0
s_module:       db "MB2EFI module ", 0
s_st:           db "MB2EFI st ", 0
s_ih:           db "MB2EFI ih ", 0
s_done:         db "MB2EFI done", 13, 10, 0
        align 2
w_conout:       dw __utf16__("MB2EFI conout ok"), 13, 10, 0

load_end:
bss_end equ load_end + 8192             ; zeroed by the loader
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
              cpu=None):
    root = os.path.join(args.build, "uefi", "tftp-" + name)
    uefi.make_tftp_root(root, loader, files, line)
    logp = os.path.join(args.build, "uefi", name + ".log")
    b = uefi.boot(root, timeout, stops, mem=mem, nic=args.nic, cpu=cpu,
                  echo=args.echo, log_path=logp)
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
    """One boot for both mb2efi cases."""
    if "b" not in _MB2EFI_BOOT:
        line = ("mboot.c32 -verbose mb2efi.bin hello=world a=b --- "
                "mod1.bin modarg=1")
        _MB2EFI_BOOT["b"] = tftp_boot(
            args, "mb2efi", args.loader,
            {"mb2efi.bin": k["mb2efi.bin"], "mod1.bin": k["mod1.bin"]},
            line, 120, (r"MB2EFI done", RE_ERROR))
    return _MB2EFI_BOOT["b"]


def case_mb2efi(args, k):
    res = Result("mb2efi")
    b = boot_mb2efi(args, k)
    res.check(not lines(b, RE_ERROR), "loader error: %s" %
              " ".join(lines(b, RE_ERROR)))
    entry = lines(b, r"^MB2EFI entry ")
    if res.check(entry, "the kernel's EFI entry did not run"):
        m = re.search(r"eax=(\w+) rbx=(\w+) rip=(\w+)", entry[0])
        res.check(m and m.group(1) == MB2_MAGIC, "EAX is not the magic")
        info = lines(b, r"^mboot: Multiboot information at 0x")
        if info and m:
            res.check(int(m.group(2), 16) ==
                      int(info[0].split()[4], 16),
                      "RBX is not the information's address")
        res.notes.append(entry[0])
    cl = lines(b, r"^MB2EFI cmdline ")
    res.check(cl and cl[0].endswith("mb2efi.bin hello=world a=b"),
              "kernel command line wrong: %r" % cl)
    mods = lines(b, r"^MB2EFI module ")
    if res.check(len(mods) == 1, "want 1 module, got %d" % len(mods)):
        f = mods[0].split(None, 4)
        start, end = int(f[2], 16), int(f[3], 16)
        res.check(end - start == k["mod1.len"], "module extent %d bytes" %
                  (end - start))
        res.check(f[4] == "mod1.bin modarg=1", "module string %r" % f[4])
        crc = lines(b, r"^mboot: mod1\.bin: crc32 ")
        res.check(crc and int(crc[0].split()[3], 16) == k["mod1.crc"] and
                  int(crc[0].split()[5], 16) == start,
                  "module CRC/address as loaded: %r" % crc)
    res.notes.append("information tags: " + " ".join(
        l.split()[2] for l in lines(b, r"^MB2EFI tag ")))
    return res


def case_mb2efi_efi(args, k):
    res = Result("mb2efi-efi")
    b = boot_mb2efi(args, k)
    res.check(lines(b, r"^MB2EFI st [0-9A-F]{16}"),
              "no EFI system table tag (12) in the information")
    res.check(lines(b, r"^MB2EFI ih [0-9A-F]{16}"),
              "no EFI image handle tag (20) in the information")
    tags = [l.split()[2] for l in lines(b, r"^MB2EFI tag ")]
    res.check("12" in tags, "no EFI boot services tag (18 = 0x12)")
    res.check("11" in tags, "no EFI memory map tag (17 = 0x11)")
    res.check(lines(b, r"MB2EFI conout ok"),
              "the kernel could not print through ConOut")
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
    res.check(ok or reasons, "demo analysis failed")
    res.notes += notes + ["ended: %s after %.0f s" % (b.reason, b.seconds)]
    res.notes += lines(b, RE_ERROR + r"|^ERR: |Panic|X64 Exception")[:3]
    return res


def stock_xen(args):
    """SYSLINUX's efi64 mboot.c32 on the Xen files: what happens."""
    b, ok, fields, reasons, notes = xen_boot(args, "stock-xen",
                                             uefi.STOCK_MBOOT)
    last = lines(b, r"Loading|Exception|^RIP|Find image|^mboot|^boot:|"
                    r"Xen version|MBOOT-")[:8]
    log("stock efi64 mboot.c32 + Xen: %s after %.0f s; %s" % (
        b.reason, b.seconds, "dom0 reached" if ok else "; ".join(reasons)))
    for l in last:
        log("  stock | " + l)


CASES = [("missing", case_missing), ("noheader", case_noheader),
         ("noefi", case_noefi), ("mb2efi", case_mb2efi),
         ("mb2efi-efi", case_mb2efi_efi), ("xen", case_xen)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--loader", default=None,
                    help="module under test (default BUILD/efi64/mboot.c32)")
    ap.add_argument("--only", default="", help="comma-separated case names")
    ap.add_argument("--nic", default="ovmf", choices=sorted(uefi.NICS))
    ap.add_argument("--no-stock", action="store_true")
    ap.add_argument("--xen-timeout", type=int, default=420)
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
    passed = failed = 0
    for name, fn in CASES:
        if only and name not in only:
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
    if not args.no_stock and (not only or "stock" in only):
        stock_xen(args)
    print("uefi: %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
