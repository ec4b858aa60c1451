; trampoline.asm - the last code mboot runs: move the kernel into place and
; enter it in the Multiboot machine state.
;
; The C side (com32/handoff.c) copies this blob, followed by its parameter
; block and copy list, into memory that no destination touches, tears
; PXELINUX down (PXE stack unloaded, hardware reset), and jumps to the copy
; with interrupts off, in PXELINUX's flat 32-bit protected mode:
;
;     EAX = address of the blob's copy (the base everything is relative to)
;
; The code is position independent: every address it needs is computed
; from that base.  It loads its own GDT (flat 4 GiB code and data), runs
; the copy list (copies overlap-safe, zero fills), then jumps to the kernel
; with EAX = magic, EBX = information structure, every segment register
; flat, A20 as PXELINUX left it (on), paging off, interrupts off.
;
; SPDX-License-Identifier: GPL-2.0-or-later

	bits	32
	section	.rodata

%include "copy.inc"

; Layout of the parameter block that handoff.c appends right after the code
; (offsets from the blob's start are tramp_params_offset + these).
P_MAGIC		equ	0	; EAX for the kernel
P_INFO		equ	4	; EBX for the kernel
P_ENTRY		equ	8	; kernel entry point
P_NCOPIES	equ	12	; entries in the copy list that follows
P_COPIES	equ	16	; {dst, src, len} x n; src == 0xffffffff: zero fill

CODE_SEL	equ	0x08
DATA_SEL	equ	0x10

	global	tramp_start:data hidden
	global	tramp_end:data hidden
	global	tramp_params_offset:data hidden

	align	16
tramp_start:
	cli
	cld
	mov	ebp, eax			; EBP = our base from here on

	; Our own GDT: fill in its base, load it, reload every segment.
	lea	eax, [ebp + gdt - tramp_start]
	mov	[ebp + gdt_ptr + 2 - tramp_start], eax
	lgdt	[ebp + gdt_ptr - tramp_start]
	lea	eax, [ebp + .flat - tramp_start]
	push	dword CODE_SEL
	push	eax
	retf					; far return = jmp CODE_SEL:.flat
.flat:
	mov	eax, DATA_SEL
	mov	ds, eax
	mov	es, eax
	mov	fs, eax
	mov	gs, eax
	mov	ss, eax
	lea	esp, [ebp + stack_top - tramp_start]

	; Run the copy list.
	lea	ebx, [ebp + params - tramp_start]
	mov	edx, [ebx + P_NCOPIES]
	lea	ebx, [ebx + P_COPIES]
.next:
	test	edx, edx
	jz	.enter
	mov	edi, [ebx]			; dst
	mov	esi, [ebx + 4]			; src
	mov	ecx, [ebx + 8]			; len
	push	edx
	cmp	esi, 0xffffffff
	je	.zero
	mov	eax, edi
	sub	eax, esi			; dst - src (unsigned)
	cmp	eax, ecx
	jb	.backward			; dst inside [src, src+len)
	COPY_FORWARD
	jmp	.done
.backward:
	COPY_BACKWARD
	jmp	.done
.zero:
	xor	eax, eax
	FILL
.done:
	pop	edx
	add	ebx, 12
	dec	edx
	jmp	.next

.enter:
	lea	ebx, [ebp + params - tramp_start]
	mov	eax, [ebx + P_MAGIC]
	mov	ecx, [ebx + P_ENTRY]
	mov	ebx, [ebx + P_INFO]
	xor	edx, edx
	xor	esi, esi
	xor	edi, edi
	xor	ebp, ebp
	push	dword 0x2			; EFLAGS: IF=0, DF=0, VM=0
	popfd
	jmp	ecx

	align	8
gdt:
	dq	0				; null
	dq	0x00cf9b000000ffff		; 0x08: code, base 0, 4 GiB, 32-bit
	dq	0x00cf93000000ffff		; 0x10: data, base 0, 4 GiB
gdt_end:
	align	4
gdt_ptr:
	dw	gdt_end - gdt - 1
	dd	0				; base, filled in at run time
	align	16
stack:
	times	256 db 0
stack_top:
	align	16
params:					; the parameter block goes here
tramp_end:

tramp_params_offset:
	dd	params - tramp_start

	section .note.GNU-stack noalloc noexec nowrite progbits
