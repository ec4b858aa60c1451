; tpm64.asm - the Multiboot 2 header and EFI amd64 entry of the UEFI
; measured boot test kernel (tk-tpm64.bin; its body is tpm64.c).
; Assembled with nasm -f elf64, linked by tpm64.ld into a flat binary.
;
; SPDX-License-Identifier: GPL-2.0-or-later

bits 64
default rel
extern tpm64_main
extern __load_end, __bss_end
global header

section .mbhdr progbits alloc exec
align 8
header:
        dd 0xe85250d6                   ; magic
        dd 0                            ; architecture i386
        dd header_end - header
        dd -(0xe85250d6 + (header_end - header))
        align 8, db 0
        dw 1, 1                         ; information request, optional:
        dd 12                           ; the EFI amd64 system table (12)
        dd 12
        align 8, db 0
        dw 2, 0                         ; address tag
        dd 24
        dd header, header, __load_end, __bss_end
        align 8, db 0
        dw 3, 0                         ; i386 entry (never used: halts)
        dd 12
        dd entry32
        align 8, db 0
        dw 7, 0                         ; EFI boot services kept
        dd 8
        dw 9, 0                         ; EFI amd64 entry
        dd 12
        dd entry64
        align 8, db 0
        dw 10, 0                        ; relocatable: 1 MiB .. 1 GiB
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
; EAX = the Multiboot 2 magic, RBX = the information; boot services on.
entry64:
        mov edi, eax
        mov rsi, rbx
        and rsp, -16
        call tpm64_main
.h:     cli
        hlt
        jmp .h
