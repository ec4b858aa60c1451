; Multiboot 1 conformance test kernel ("tk") -- entry stub.
; SPDX-License-Identifier: GPL-2.0-or-later
;
; Written from the Multiboot 0.6.96 specification.  The stub records the
; machine state exactly as the boot loader left it, before touching any
; register that is checked, then installs its own flat GDT and stack and
; calls tk_main().
;
; Build-time defines (nasm -D...):
;   MB_FLAGS   multiboot header flags (0x00000003 for ELF, 0x00010003 for
;              the a.out kludge packaging)

bits 32

%ifndef MB_FLAGS
%define MB_FLAGS 0x00000003
%endif

MB_MAGIC equ 0x1BADB002

extern __kernel_start, __load_end, __kernel_end, tk_main
global _start, tk_save, tk_halt

; ---------------------------------------------------------------------------
; Multiboot header.  Placed first in the image by the linker scripts, so it
; is in the first 8 KiB of the file and 4-byte aligned.  The address fields
; are always present; they are only meaningful when flag 16 is set.
; ---------------------------------------------------------------------------
section .multiboot progbits alloc noexec nowrite align=4
align 4
mb_header:
        dd MB_MAGIC
        dd MB_FLAGS
        dd -(MB_MAGIC + MB_FLAGS)
        dd mb_header            ; header_addr
        dd __kernel_start       ; load_addr
        dd __load_end           ; load_end_addr
        dd __kernel_end         ; bss_end_addr
        dd _start               ; entry_addr

; ---------------------------------------------------------------------------
; Saved entry state.  Lives in .data (not .bss: the BSS is checked for zero).
; Layout must match struct tk_save in tk.c.
; ---------------------------------------------------------------------------
section .data
align 16
tk_save:
.eax:       dd 0                ;  0
.ebx:       dd 0                ;  4
.esp:       dd 0                ;  8
.eflags:    dd 0                ; 12
.cr0:       dd 0                ; 16
.sel:       times 6 dd 0        ; 20: cs ds es fs gs ss (16-bit values)
.gdtr:      dw 0                ; 44: limit
            dd 0                ; 46: base
            dw 0                ; 50: pad
.desc:      times 12 dd 0       ; 52: 6 descriptors, 8 bytes each
.desc_ok:   times 6 dd 0        ; 100: 1 if descriptor copied

SV_SEL     equ 20
SV_GDTR    equ 44
SV_DESC    equ 52
SV_DESC_OK equ 100

align 8
tk_gdt:
        dq 0                                    ; null
        dq 0x00CF9A000000FFFF                   ; 0x08: code, flat, 32-bit
        dq 0x00CF92000000FFFF                   ; 0x10: data, flat, 32-bit
tk_gdt_end:

align 4
        dw 0
tk_gdtr:
        dw tk_gdt_end - tk_gdt - 1
        dd tk_gdt

; Copy the descriptor for saved selector number %1 out of the loader's GDT.
%macro COPYDESC 1
        movzx eax, word [tk_save + SV_SEL + 4*%1]
        test al, 4                              ; TI=1: LDT, not ours to read
        jnz %%skip
        and eax, 0xFFF8
        jz %%skip                               ; null selector
        lea ecx, [eax + 7]
        cmp ecx, edx                            ; beyond GDT limit?
        ja %%skip
        mov ecx, [esi + eax]
        mov [tk_save + SV_DESC + 8*%1], ecx
        mov ecx, [esi + eax + 4]
        mov [tk_save + SV_DESC + 8*%1 + 4], ecx
        mov dword [tk_save + SV_DESC_OK + 4*%1], 1
%%skip:
%endmacro

section .text
_start:
        ; Nothing before these stores may modify EAX/EBX/segments/CR0/IF.
        mov [tk_save.eax], eax
        mov [tk_save.ebx], ebx
        mov [tk_save.esp], esp
        mov [tk_save + SV_SEL + 0],  cs
        mov [tk_save + SV_SEL + 4],  ds
        mov [tk_save + SV_SEL + 8],  es
        mov [tk_save + SV_SEL + 12], fs
        mov [tk_save + SV_SEL + 16], gs
        mov [tk_save + SV_SEL + 20], ss
        sgdt [tk_save + SV_GDTR]
        mov eax, cr0
        mov [tk_save.cr0], eax

        ; Read the descriptors now: the loader's GDT may sit in memory it no
        ; longer protects.
        mov esi, [tk_save + SV_GDTR + 2]
        movzx edx, word [tk_save + SV_GDTR]
        COPYDESC 0
        COPYDESC 1
        COPYDESC 2
        COPYDESC 3
        COPYDESC 4
        COPYDESC 5

        ; Our own GDT, segments and stack (neither changes EFLAGS.IF/VM).
        lgdt [tk_gdtr]
        jmp 0x08:.flat
.flat:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, tk_stack_top
        pushfd
        pop eax
        mov [tk_save.eflags], eax
        cli
        cld
        call tk_main
tk_halt:
        cli
        hlt
        jmp tk_halt

; Stack: NOBITS, placed after the checked BSS range by the linker script.
section .stack nobits alloc write align=16
        resb 65536
global tk_stack_top
tk_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
