/*
 * The smallest FreeBSD program: raw system calls, no libc, branded with
 * FreeBSD's ABI note (.note.tag, NT_FREEBSD_ABI_TAG). It checks the
 * convention itself: a failed call sets the carry flag and leaves a
 * positive errno in rax (EBADF is 9 on FreeBSD as on Linux; ENOSYS is 78
 * on FreeBSD, 38 on Linux), and a good one clears the carry flag.
 *
 * Prints one TAP line and "# passed 1 failed 0" and exits 0 when every
 * check holds; otherwise
 * prints which one failed and exits with its number.
 */
	.section .note.tag,"a",@note
	.p2align 2
	.long	8		/* n_namesz: "FreeBSD" and its NUL */
	.long	4		/* n_descsz */
	.long	1		/* n_type: NT_FREEBSD_ABI_TAG */
	.asciz	"FreeBSD"
	.long	1400097		/* __FreeBSD_version: 14.0-RELEASE */

	.text
	.globl	_start
_start:
	/* argc's address is in rdi: argc is at least 1. */
	cmpq	$1, (%rdi)
	jb	fail_argc

	/* write(-1, msg, 1): EBADF (9) with the carry flag set. */
	movl	$4, %eax
	movl	$-1, %edi
	leaq	ok(%rip), %rsi
	movl	$1, %edx
	syscall
	jnc	fail_badf
	cmpq	$9, %rax
	jne	fail_badf

	/* A number FreeBSD never assigned: ENOSYS (78). (FreeBSD also raises
	 * SIGSYS, which this personality does not yet.) */
	movl	$1000, %eax
	syscall
	jnc	fail_nosys
	cmpq	$78, %rax
	jne	fail_nosys

	/* getpid: a positive number, carry clear. */
	movl	$20, %eax
	syscall
	jc	fail_getpid
	testq	%rax, %rax
	jz	fail_getpid

	/* write(1, "freebsd: ok\n", 12): 12, carry clear. */
	movl	$4, %eax
	movl	$1, %edi
	leaq	ok(%rip), %rsi
	movl	$ok_len, %edx
	syscall
	jc	fail_write
	cmpq	$ok_len, %rax
	jne	fail_write

	/* exit(0) */
	movl	$1, %eax
	xorl	%edi, %edi
	syscall
	hlt

fail_argc:	movl	$1, %ebx
	jmp	fail
fail_badf:	movl	$2, %ebx
	jmp	fail
fail_nosys:	movl	$3, %ebx
	jmp	fail
fail_getpid:	movl	$4, %ebx
	jmp	fail
fail_write:	movl	$5, %ebx
fail:
	movl	$4, %eax
	movl	$1, %edi
	leaq	bad(%rip), %rsi
	movl	$bad_len, %edx
	syscall
	movl	$1, %eax
	movl	%ebx, %edi
	syscall
	hlt

	.section .rodata
ok:	.ascii	"ok 1 - freebsd: the raw call convention holds\n1..1\n# passed 1 failed 0\n"
	.set	ok_len, . - ok
bad:	.ascii	"freebsd: a check failed (the exit status says which)\n"
	.set	bad_len, . - bad
	.section .note.GNU-stack,"",@progbits
