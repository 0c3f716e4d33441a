/* FreeBSD ABI tag note (NT_FREEBSD_ABI_TAG), 24 bytes */
	.section .note.tag,"a",@note
	.p2align 2
	.long	8		/* n_namesz = strlen("FreeBSD")+1 */
	.long	4		/* n_descsz */
	.long	1		/* n_type = NT_FREEBSD_ABI_TAG */
	.asciz	"FreeBSD"	/* name, 8 bytes, already 4-aligned */
	.long	1400097		/* desc = __FreeBSD_version (14.0-RELEASE) */

	.text
	.globl _start
_start:
	/* write(1, msg, len) */
	movl	$4, %eax
	movl	$1, %edi
	leaq	msg(%rip), %rsi
	movl	$len, %edx
	syscall
	/* exit(0) */
	movl	$1, %eax
	xorl	%edi, %edi
	syscall
	hlt
	.section .rodata
msg:	.ascii "hello\n"
	.set len, . - msg
	.section .note.GNU-stack,"",@progbits
