; Multiboot 1 and 2 conformance test kernel ("tk") -- entry stub.
; SPDX-License-Identifier: GPL-2.0-or-later
;
; Written from the Multiboot 0.6.96 and 2.0 specifications.  The stub records the
; machine state exactly as the boot loader left it, before touching any
; register that is checked, then installs its own flat GDT and stack and
; calls tk_main().
;
; Build-time defines (nasm -D...):
;   MB_FLAGS   multiboot header flags (0x00000003 for ELF, 0x00010003 for
;              the a.out kludge packaging)
;   TK_NO_MB1  leave the Multiboot 1 header out (Multiboot 2 only images)
;   TK_MB2     add a Multiboot 2 header (specification 2.0, section 3.1)
;   TK_MB2_ENTRY  ... with an entry address tag (type 3)
;   TK_MB2_EFI    ... with a required EFI boot services tag (type 7)
;   TK_PIE     position-independent image with a relocatable tag (type 10):
;              the stub finds where it runs, applies the image's own
;              R_386_RELATIVE relocations and only then leaves PIC code.
;              TK_RELOC_MIN/MAX/ALIGN/PREF are the tag's fields.

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
%ifdef TK_MB2
section .multiboot progbits alloc noexec nowrite align=8
%else
section .multiboot progbits alloc noexec nowrite align=4
%endif
%ifndef TK_NO_MB1
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
%endif

%ifdef TK_MB2
; ---------------------------------------------------------------------------
; Multiboot 2 header (specification 2.0, 3.1): 8-byte aligned, in the first
; 32 KiB of the file; magic fields, then 8-byte aligned tags {u16 type,
; u16 flags, u32 size}, the last one the end tag.  Flags bit 0 = optional.
; ---------------------------------------------------------------------------
MB2_MAGIC equ 0xE85250D6
MB2_ARCH  equ 0                 ; i386 protected mode

align 8, db 0
mb2_header:
        dd MB2_MAGIC
        dd MB2_ARCH
        dd mb2_header_end - mb2_header
        dd -(MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))

        ; Information request, required: what a BIOS PXE boot always gives
        ; (command line, loader name, modules, basic meminfo, memory map,
        ; DHCP ACK, load base).
align 8, db 0
.req:   dw 1, 0
        dd .req_end - .req
        dd 1, 2, 3, 4, 6, 16, 21
.req_end:
        ; Information request, optional: ACPI RSDPs (only when found).
align 8, db 0
.opt:   dw 1, 1
        dd .opt_end - .opt
        dd 14, 15
.opt_end:
        ; Module alignment: modules on page boundaries.
align 8, db 0
        dw 6, 0
        dd 8
%ifdef TK_MB2_ENTRY
align 8, db 0
        dw 3, 0
        dd 12
        dd _start
%endif
%ifdef TK_MB2_EFI
        ; EFI boot services, not optional: a BIOS loader must refuse.
align 8, db 0
        dw 7, 0
        dd 8
%endif
%ifdef TK_PIE
align 8, db 0
        dw 10, 0
        dd 24
        dd TK_RELOC_MIN, TK_RELOC_MAX, TK_RELOC_ALIGN, TK_RELOC_PREF
%endif
align 8, db 0
        dw 0, 0
        dd 8
mb2_header_end:
%endif

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

%ifdef TK_PIE
; ---------------------------------------------------------------------------
; Position-independent entry (tk-mb2-reloc.elf).  The loader may have put the
; image anywhere (relocatable tag), so no absolute address may be used until
; the image's own relocations are applied.  EAX, EBX, ESP are first parked
; in EDI, EBX, EBP (the specification leaves ECX, EDX, ESI, EDI, EBP
; undefined at entry; segments, CR0, GDTR and EFLAGS are not touched).
; To learn EIP without a stack of our own, CALL uses a 4-byte scratch stack
; at TK_SCRATCH in conventional memory, whose word is restored right after.
; ---------------------------------------------------------------------------
TK_SCRATCH equ 0x7BFC

global tk_reloc_delta, tk_reloc_count, tk_reloc_bad
extern __rel_start, __rel_end, _GLOBAL_OFFSET_TABLE_

%macro COPYDESC_PIC 1
        movzx eax, word [ebx + SV_SEL + 4*%1]
        test al, 4                              ; TI=1: LDT, not ours to read
        jnz %%skip
        and eax, 0xFFF8
        jz %%skip                               ; null selector
        lea ecx, [eax + 7]
        cmp ecx, edx                            ; beyond GDT limit?
        ja %%skip
        mov ecx, [esi + eax]
        mov [ebx + SV_DESC + 8*%1], ecx
        mov ecx, [esi + eax + 4]
        mov [ebx + SV_DESC + 8*%1 + 4], ecx
        mov dword [ebx + SV_DESC_OK + 4*%1], 1
%%skip:
%endmacro

section .data
align 4
tk_reloc_delta: dd 0            ; runtime minus link address
tk_reloc_count: dd 0            ; R_386_RELATIVE entries applied
tk_reloc_bad:   dd 0            ; entries of any other type (not applied)
tk_link_here:   dd _start.here  ; R_386_RELATIVE: holds the link address
                                ; of .here until relocated

section .text
_start:
        mov edi, eax
        mov ebp, esp
        mov edx, [TK_SCRATCH]
        mov esp, TK_SCRATCH + 4
        call .here
.here:
        pop esi                                 ; runtime address of .here
        mov [TK_SCRATCH], edx
        mov ecx, esi
        add ecx, _GLOBAL_OFFSET_TABLE_ + $$ - .here wrt ..gotpc
        mov eax, ebx                            ; EBX at entry
        lea ebx, [ecx + tk_save wrt ..gotoff]
        mov [ebx + 0], edi
        mov [ebx + 4], eax
        mov [ebx + 8], ebp
        mov ebp, ecx                            ; EBP = GOT from here on
        mov [ebx + SV_SEL + 0],  cs
        mov [ebx + SV_SEL + 4],  ds
        mov [ebx + SV_SEL + 8],  es
        mov [ebx + SV_SEL + 12], fs
        mov [ebx + SV_SEL + 16], gs
        mov [ebx + SV_SEL + 20], ss
        sgdt [ebx + SV_GDTR]
        mov eax, cr0
        mov [ebx + 16], eax

        mov edi, esi                            ; ESI is needed below
        mov esi, [ebx + SV_GDTR + 2]
        movzx edx, word [ebx + SV_GDTR]
        COPYDESC_PIC 0
        COPYDESC_PIC 1
        COPYDESC_PIC 2
        COPYDESC_PIC 3
        COPYDESC_PIC 4
        COPYDESC_PIC 5

        ; delta = where .here runs - where it was linked
        sub edi, [ebp + tk_link_here wrt ..gotoff]
        mov [ebp + tk_reloc_delta wrt ..gotoff], edi
        lea ecx, [ebp + __rel_start wrt ..gotoff]
        lea edx, [ebp + __rel_end wrt ..gotoff]
.rel:
        cmp ecx, edx
        jae .rel_done
        cmp byte [ecx + 4], 8                   ; R_386_RELATIVE
        jne .rel_bad
        mov eax, [ecx]                          ; r_offset (link address)
        add [eax + edi], edi                    ; REL: addend in place
        inc dword [ebp + tk_reloc_count wrt ..gotoff]
        jmp .rel_next
.rel_bad:
        inc dword [ebp + tk_reloc_bad wrt ..gotoff]
.rel_next:
        add ecx, 8
        jmp .rel
.rel_done:
        ; Our own GDT (its base in tk_gdtr is relocated now), stack, segments.
        lgdt [ebp + tk_gdtr wrt ..gotoff]
        lea esp, [ebp + tk_stack_top wrt ..gotoff]
        lea eax, [ebp + .flat wrt ..gotoff]
        push dword 0x08
        push eax
        retf
.flat:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        lea esp, [ebp + tk_stack_top wrt ..gotoff]
        pushfd
        pop eax
        mov [ebx + 12], eax
        cli
        cld
        call tk_main
tk_halt:
        cli
        hlt
        jmp tk_halt
%else
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

%endif

; Stack: NOBITS, placed after the checked BSS range by the linker script.
section .stack nobits alloc write align=16
        resb 65536
global tk_stack_top
tk_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
