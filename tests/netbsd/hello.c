/*
 * hello.c - NetBSD's calling convention and initial state inside Helctic.
 * Expected values are NetBSD's: sys/arch/amd64/amd64/machdep.c setregs
 * (rsp at argc, rbx at struct ps_strings, rdx 0), sys/arch/x86/x86/
 * syscall.c (a positive errno in rax with the carry flag set; a second
 * result in rdx), sys/sys/errno.h (EBADF 9, ENOSYS 78),
 * sys/kern/syscalls.master (getpid returns the parent's pid in rdx).
 */
#include "nbsd.h"

int test_main(int argc, char **argv, char **envp)
{
	long second = -1;

	CHECK_EQ(sys3(SYS_write, 1, "hello from a NetBSD program\n", 28), 28, "write(1) returns the byte count");
	CHECK_EQ(nbsd_entry_rsp, (unsigned long)argv - 8, "rsp points at argc on entry");
	CHECK_EQ(nbsd_entry_rsp % 16, 0, "argc is 16-byte aligned");
	CHECK_EQ(nbsd_entry_rdx, 0, "rdx is 0 on entry (no cleanup function)");
	CHECK(nbsd_ps_strings != 0, "rbx holds the address of struct ps_strings");
	if (nbsd_ps_strings) {
		CHECK_EQ(nbsd_ps_strings->ps_nargvstr, argc, "ps_strings: ps_nargvstr is argc");
		CHECK_EQ((long)nbsd_ps_strings->ps_argvstr, (long)argv, "ps_strings: ps_argvstr is argv");
		CHECK_EQ((long)nbsd_ps_strings->ps_envstr, (long)envp, "ps_strings: ps_envstr is envp");
	}
	CHECK(argc >= 1 && argv[0] != 0 && argv[argc] == 0, "argv is NULL-terminated");

	/* The auxiliary vector after envp: 16-byte entries, AT_PAGESZ 4096. */
	char **e = envp;
	while (*e)
		e++;
	unsigned long *aux = (unsigned long *)(e + 1);
	long pagesz = -1, entries = 0;
	for (; aux[0] != 0 && entries < 64; aux += 2, entries++)
		if ((unsigned int)aux[0] == 6)
			pagesz = (long)aux[1];
	CHECK_EQ(pagesz, 4096, "auxv: AT_PAGESZ (6) is 4096");

	CHECK_EQ(sys3(SYS_write, 99, "x", 1), -EBADF, "write to a closed descriptor: carry set, rax EBADF (9)");
	CHECK_EQ(sys0(499), -ENOSYS, "an unknown call: ENOSYS (78)");
	long pid = nbsd_syscall_pair(SYS_getpid, 0, 0, &second);
	CHECK(pid > 0, "getpid returns the pid");
	CHECK_EQ(second, sys0(SYS_getppid), "getpid's second result (rdx) is the parent's pid");
	CHECK_EQ(sys1(SYS_close, 99), -EBADF, "close of a closed descriptor: EBADF");
	return check_done();
}
