; memcpy.asm - mb_memcpy, mb_memmove and mb_memset for the i386 module.
;
; Calling convention: the module is built with -mregparm=3, so the first
; three arguments arrive in EAX, EDX, ECX and the result goes in EAX.
; EBX, ESI, EDI, EBP must be preserved.
;
; SPDX-License-Identifier: GPL-2.0-or-later

	bits	32
	section	.text

%include "copy.inc"

	global	mb_memcpy:function hidden
	global	mb_memmove:function hidden
	global	mb_memset:function hidden

; void *mb_memcpy(void *dst /*EAX*/, const void *src /*EDX*/, size_t n /*ECX*/)
mb_memcpy:
	push	esi
	push	edi
	push	eax			; the return value
	mov	edi, eax
	mov	esi, edx
	COPY_FORWARD
	pop	eax
	pop	edi
	pop	esi
	ret

; void *mb_memmove(void *dst /*EAX*/, const void *src /*EDX*/, size_t n /*ECX*/)
; Copies backwards only when the destination starts inside the source.
mb_memmove:
	push	esi
	push	edi
	push	eax
	mov	edi, eax
	mov	esi, edx
	sub	eax, edx		; dst - src (unsigned)
	cmp	eax, ecx
	jb	.backward		; src < dst < src + n: overlap upwards
	COPY_FORWARD
	jmp	.done
.backward:
	COPY_BACKWARD
.done:
	pop	eax
	pop	edi
	pop	esi
	ret

; void *mb_memset(void *dst /*EAX*/, int c /*EDX*/, size_t n /*ECX*/)
mb_memset:
	push	edi
	push	eax
	mov	edi, eax
	mov	eax, edx
	FILL
	pop	eax
	pop	edi
	ret

	section .note.GNU-stack noalloc noexec nowrite progbits
