/*
 * args_env_auxv.c - the initial process stack: argc/argv/envp/auxv.
 *
 * Must be run exactly as
 *     args_env_auxv one "two words" three
 * with HELCTIC_TEST=yes in the environment (other variables may exist).
 * argv[0] may be any path whose last component is "args_env_auxv".
 *
 * Checks the argument and environment vectors, the ELF auxiliary vector
 * (getauxval and a manual walk past envp agree; AT_PAGESZ, AT_RANDOM,
 * AT_PHDR/AT_PHENT/AT_PHNUM against the program headers, AT_ENTRY against
 * _start and e_entry, AT_UID/EUID/GID/EGID, AT_SECURE, AT_EXECFN,
 * AT_CLKTCK), the System V x86_64 stack layout and alignment at entry,
 * and /proc/self/cmdline.
 */
#define _GNU_SOURCE
#include "check.h"

#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
extern char _start[];

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

__attribute__((noinline)) static int stack_aligned(void)
{
	volatile _Alignas(16) char probe[16];
	probe[0] = 1;
	return ((uintptr_t)probe & 15) == 0;
}

static void test_args(int argc, char **argv)
{
	CHECK_EQ(argc, 4, "argc is 4");
	if (argc != 4)
		return;
	CHECK(argv[0] != NULL, "argv[0] present");
	CHECK_STR(base_name(argv[0]), "args_env_auxv", "argv[0] names the program");
	CHECK_STR(argv[1], "one", "argv[1]");
	CHECK_STR(argv[2], "two words", "argv[2] keeps its space");
	CHECK_STR(argv[3], "three", "argv[3]");
	CHECK(argv[4] == NULL, "argv[argc] is NULL");
	int contiguous = 1;
	for (int i = 0; i + 1 < argc; i++)
		if (argv[i + 1] != argv[i] + strlen(argv[i]) + 1)
			contiguous = 0;
	CHECK(contiguous, "argv strings are laid out back to back (Linux layout)");
}

static void test_env(char **argv, char **envp)
{
	CHECK(envp == environ, "main's envp is environ");
	CHECK(envp == argv + 5, "envp starts right after argv's NULL (argv + argc + 1)");
	int found = 0, count = 0, malformed = 0;
	for (char **e = envp; *e; e++) {
		count++;
		if (!strchr(*e, '='))
			malformed++;
		if (strcmp(*e, "HELCTIC_TEST=yes") == 0)
			found++;
	}
	CHECK_EQ(found, 1, "envp contains HELCTIC_TEST=yes exactly once");
	CHECK_EQ(malformed, 0, "every envp entry has an '='");
	CHECK_STR(getenv("HELCTIC_TEST"), "yes", "getenv(HELCTIC_TEST)");
	CHECK(getenv("HELCTIC_NO_SUCH_VARIABLE") == NULL, "getenv of an unset variable is NULL");
	CHECK_EQ(setenv("HELCTIC_NEW", "v", 1), 0, "setenv");
	CHECK_STR(getenv("HELCTIC_NEW"), "v", "getenv after setenv");
	DIAG("%d environment variables", count);
}

static void test_auxv(char **envp)
{
	/* walk past envp's NULL to the auxiliary vector */
	char **e = envp;
	while (*e)
		e++;
	Elf64_auxv_t *av = (Elf64_auxv_t *)(e + 1);
	int n = 0, mismatch = 0;
	unsigned long walked_pagesz = 0;
	for (; av[n].a_type != AT_NULL && n < 256; n++) {
		/* glibc's getauxval(AT_HWCAP/AT_HWCAP2) returns its own idea of
		 * the hardware capabilities on x86_64, not the kernel's word */
		if (av[n].a_type == AT_HWCAP || av[n].a_type == AT_HWCAP2)
			continue;
		if (getauxval(av[n].a_type) != av[n].a_un.a_val && av[n].a_type < 64) {
			DIAG("auxv type %lu: stack %#lx getauxval %#lx", (unsigned long)av[n].a_type, (unsigned long)av[n].a_un.a_val, getauxval(av[n].a_type));
			mismatch++;
		}
		if (av[n].a_type == AT_PAGESZ)
			walked_pagesz = av[n].a_un.a_val;
	}
	CHECK(n > 5 && n < 256, "auxv follows envp and is AT_NULL-terminated (%d entries)", n);
	CHECK_EQ(mismatch, 0, "getauxval agrees with the auxv walked from the stack");
	CHECK_EQ(walked_pagesz, 4096, "walked auxv has AT_PAGESZ 4096");

	CHECK_EQ(getauxval(AT_PAGESZ), 4096, "AT_PAGESZ is 4096");
	CHECK_EQ(sysconf(_SC_PAGESIZE), 4096, "sysconf(_SC_PAGESIZE) is 4096");

	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	CHECK(rnd != NULL, "AT_RANDOM present");
	if (rnd) {
		int nonzero = 0;
		unsigned char copy[16];
		memcpy(copy, rnd, 16); /* faults if the 16 bytes are not mapped */
		for (int i = 0; i < 16; i++)
			nonzero |= copy[i];
		CHECK(nonzero, "AT_RANDOM's 16 bytes are readable and not all zero");
	}

	unsigned long phdr = getauxval(AT_PHDR);
	unsigned long phent = getauxval(AT_PHENT);
	unsigned long phnum = getauxval(AT_PHNUM);
	CHECK(phdr != 0, "AT_PHDR present");
	CHECK_EQ(phent, sizeof(Elf64_Phdr), "AT_PHENT is sizeof(Elf64_Phdr)");
	CHECK(phnum >= 2 && phnum < 64, "AT_PHNUM is sane (%lu)", phnum);
	if (phdr && phent == sizeof(Elf64_Phdr) && phnum < 64) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)phdr;
		int loads = 0, bad_type = 0, exec_load = 0;
		long bias = 0;
		int have_bias = 0;
		const Elf64_Ehdr *eh = NULL;
		for (unsigned long i = 0; i < phnum; i++) {
			if (ph[i].p_type == PT_LOAD) {
				loads++;
				if (ph[i].p_flags & PF_X)
					exec_load++;
			}
			if (ph[i].p_type == PT_PHDR) {
				bias = (long)(phdr - ph[i].p_vaddr);
				have_bias = 1;
			}
			if (ph[i].p_type > PT_NUM && ph[i].p_type < PT_LOOS)
				bad_type++;
		}
		CHECK(loads >= 1 && exec_load >= 1, "AT_PHDR table has PT_LOAD segments incl. an executable one");
		CHECK_EQ(bad_type, 0, "AT_PHDR table entries have valid p_type");
		if (!have_bias) {
			/* no PT_PHDR: the headers sit at e_phoff in the first segment */
			for (unsigned long i = 0; i < phnum; i++)
				if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
					Elf64_Ehdr *h = (Elf64_Ehdr *)(phdr - sizeof(Elf64_Ehdr));
					bias = (long)((uintptr_t)h - ph[i].p_vaddr);
					have_bias = 1;
					break;
				}
		}
		for (unsigned long i = 0; have_bias && i < phnum; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
				eh = (const Elf64_Ehdr *)(ph[i].p_vaddr + bias);
		CHECK(eh != NULL, "found the mapped ELF header via the program headers");
		if (eh) {
			CHECK(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0, "mapped ELF header has the ELF magic");
			CHECK_EQ(eh->e_phnum, phnum, "e_phnum equals AT_PHNUM");
			CHECK_EQ((uintptr_t)eh + eh->e_phoff, phdr, "AT_PHDR is header address + e_phoff");
			CHECK_EQ(eh->e_entry + (unsigned long)bias, getauxval(AT_ENTRY), "AT_ENTRY is e_entry plus load bias");
		}
	}
	CHECK_EQ(getauxval(AT_ENTRY), (uintptr_t)_start, "AT_ENTRY is the address of _start");

	CHECK_EQ(getauxval(AT_UID), getuid(), "AT_UID equals getuid()");
	CHECK_EQ(getauxval(AT_EUID), geteuid(), "AT_EUID equals geteuid()");
	CHECK_EQ(getauxval(AT_GID), getgid(), "AT_GID equals getgid()");
	CHECK_EQ(getauxval(AT_EGID), getegid(), "AT_EGID equals getegid()");
	errno = 0;
	unsigned long secure = getauxval(AT_SECURE);
	CHECK(secure == 0 && errno == 0, "AT_SECURE present and 0");
	CHECK_EQ(getauxval(AT_CLKTCK), 100, "AT_CLKTCK is 100 (USER_HZ)");

	const char *execfn = (const char *)getauxval(AT_EXECFN);
	CHECK(execfn != NULL && *execfn, "AT_EXECFN is a non-empty string");
	if (execfn)
		CHECK_STR(base_name(execfn), "args_env_auxv", "AT_EXECFN names the program");

	unsigned long vdso = getauxval(AT_SYSINFO_EHDR);
	/* One check either way, so the count does not depend on the kernel. */
	CHECK(!vdso || memcmp((const void *)vdso, ELFMAG, SELFMAG) == 0, "AT_SYSINFO_EHDR, when present, points at an ELF image");
	if (!vdso)
		DIAG("no vDSO (AT_SYSINFO_EHDR absent)");

	errno = 0;
	CHECK(getauxval(0x7fff) == 0 && errno == ENOENT, "getauxval of an absent type is 0 with ENOENT");
}

static void test_stack(char **argv)
{
	/* at _start, rsp is 16-byte aligned and points at argc; argv = rsp + 8 */
	CHECK_EQ((uintptr_t)argv & 15, 8, "argv sits 8 bytes above a 16-byte aligned entry rsp");
	CHECK_EQ(*((long *)argv - 1), 4, "argc is stored just below argv");
	CHECK(stack_aligned(), "16-byte aligned locals in a function called from main");
	int local;
	CHECK((uintptr_t)&local < (uintptr_t)argv, "stack grows down below argv");
}

static void test_proc_cmdline(int argc, char **argv)
{
	char buf[4096];
	int fd = open("/proc/self/cmdline", O_RDONLY);
	CHECK(fd >= 0, "open /proc/self/cmdline");
	if (fd < 0)
		return;
	ssize_t n = 0, r;
	while ((r = read(fd, buf + n, sizeof buf - (size_t)n)) > 0)
		n += r;
	close(fd);
	char want[4096];
	size_t w = 0;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;
		if (w + l > sizeof want)
			break;
		memcpy(want + w, argv[i], l);
		w += l;
	}
	CHECK_EQ(n, (long long)w, "/proc/self/cmdline length is the NUL-joined argv length");
	CHECK(n == (ssize_t)w && memcmp(buf, want, w) == 0, "/proc/self/cmdline equals the NUL-joined argv");
}

int main(int argc, char **argv, char **envp)
{
	test_stack(argv);
	test_args(argc, argv);
	test_env(argv, envp);
	test_auxv(envp);
	test_proc_cmdline(argc, argv);
	return check_done();
}
