/*
 * exec_hostile.c - execve of hostile executables and dynamic linkers.
 *
 * Writes small ELF images (built below, byte by byte) into a scratch
 * directory and execve()s each in a child, checking what happens: the
 * errno when exec refuses, the exit status or the killing signal when the
 * program runs. The parent must survive all of it, and so must the
 * machine (the harness fails a boot whose kernel logs a panic).
 *
 * The images: a program whose code exits with status 200 (PROGRAM_EXIT),
 * one that prints "hello\n" first (PROGRAM_HELLO), a stand-in dynamic
 * linker that exits with 201 (so a run through it is told from a run of
 * the program itself) and one whose entry jumps to an unmapped address.
 *
 * Cases: truncation at many lengths (inside the file header, the program
 * header table, a segment); overlapping, unordered, filesz > memsz and
 * out-of-file PT_LOAD segments; e_phnum 0, a wrong e_phentsize, ET_REL,
 * aarch64 and a 32-bit ELF; a PT_INTERP naming a missing file, the program
 * itself, a directory, a file without execute permission, a file that is
 * not ELF, truncated ELFs, a 32-bit and an aarch64 ELF, an ET_REL, a
 * linker with no program headers; a PT_INTERP without its NUL, empty, of
 * exactly PATH_MAX bytes, longer than PATH_MAX, or past the end of the
 * file; a relative PT_INTERP through a chain of symbolic links; a linker
 * that faults as it starts (only its process dies, of SIGSEGV). Then the
 * real dynamic linker: a hand-built dynamic program runs through it (by
 * PT_INTERP, through a symlink chain, and with ld.so run as a command),
 * and in the dynamically linked flavour this very program does too; and
 * the auxiliary vector (AT_BASE is ld.so's ELF header, named by
 * /proc/self/maps; AT_ENTRY and AT_PHDR agree with /proc/self/exe).
 *
 * Each case's expected outcome is what Linux (6.18, this build machine)
 * does. Where Helctic is stricter on purpose, the check accepts both
 * outcomes and says why; every case still requires exec to fail or the
 * program to run with the right status.
 */
#define _GNU_SOURCE
#include "check.h"

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define LDSO "/lib64/ld-linux-x86-64.so.2"

/* Exit statuses of the built programs: above every errno value, so a
 * child's _exit(errno) after a failed execve is never mistaken for them. */
#define STATUS_PROGRAM 200
#define STATUS_INTERP 201
/* How a child's fate is reported (see run()). */
#define KILLED(sig) (1000 + (sig))

static char dir[512];

/* ---- a small ELF64 builder ------------------------------------------- */

#define IMAGE_MAX 16384
#define EXEC_BASE 0x400000ul
/* The file layout every built image shares. */
#define OFF_PHDRS 0x40 /* up to 8 program headers: to 0x200 */
#define OFF_CODE 0x200
#define OFF_DYNAMIC 0x240 /* 5 entries: to 0x290 */
#define OFF_DYNSTR 0x290  /* one NUL */
#define OFF_DYNSYM 0x298  /* the null symbol: to 0x2b0 */
#define OFF_INTERP 0x300
#define MAX_PHDRS 8

enum program { PROGRAM_EXIT, PROGRAM_HELLO, PROGRAM_WILD_JUMP };

struct image {
	_Alignas(8) unsigned char bytes[IMAGE_MAX];
	size_t len;
};

static Elf64_Ehdr *ehdr(struct image *m)
{
	return (Elf64_Ehdr *)m->bytes;
}

static Elf64_Phdr *phdr(struct image *m, int i)
{
	return (Elf64_Phdr *)(m->bytes + OFF_PHDRS) + i;
}

/* The first program header of `type`, or NULL. */
static Elf64_Phdr *find_phdr(struct image *m, uint32_t type)
{
	for (int i = 0; i < ehdr(m)->e_phnum && i < MAX_PHDRS; i++)
		if (phdr(m, i)->p_type == type)
			return phdr(m, i);
	return NULL;
}

static Elf64_Phdr *add_phdr(struct image *m, uint32_t type, uint32_t flags)
{
	Elf64_Phdr *p = phdr(m, ehdr(m)->e_phnum++);
	memset(p, 0, sizeof *p);
	p->p_type = type;
	p->p_flags = flags;
	return p;
}

/* Out of line: inlined into build(), gcc mistakes the image's bytes for the
 * e_ident array written just before through the header's type. */
__attribute__((noinline)) static size_t put(struct image *m, size_t at, const void *bytes, size_t n)
{
	memcpy(m->bytes + at, bytes, n);
	return at + n;
}

static size_t put_u32(struct image *m, size_t at, uint32_t v)
{
	return put(m, at, &v, 4);
}

/* Position-independent code for `program`, at OFF_CODE; returns its end. */
static size_t put_code(struct image *m, enum program program, int status)
{
	static const unsigned char hello[] = {
		0xb8, 1, 0, 0, 0,		   /* mov eax, 1 (write) */
		0xbf, 1, 0, 0, 0,		   /* mov edi, 1 */
		0x48, 0x8d, 0x35, 19, 0, 0, 0, /* lea rsi, [rip + 19] (msg) */
		0xba, 6, 0, 0, 0,		   /* mov edx, 6 */
		0x0f, 0x05,			   /* syscall */
	};
	static const unsigned char wild_jump[] = {
		0x48, 0xb8, 0, 0, 0xad, 0xde, 0, 0, 0, 0, /* mov rax, 0xdead0000 */
		0xff, 0xe0,				  /* jmp rax */
	};
	size_t at = OFF_CODE;
	if (program == PROGRAM_WILD_JUMP)
		return put(m, at, wild_jump, sizeof wild_jump);
	if (program == PROGRAM_HELLO)
		at = put(m, at, hello, sizeof hello);
	at = put(m, at, "\xbf", 1); /* mov edi, status */
	at = put_u32(m, at, (uint32_t)status);
	at = put(m, at, "\xb8\xe7\0\0\0\x0f\x05", 7); /* mov eax, 231; syscall (exit_group) */
	if (program == PROGRAM_HELLO)
		at = put(m, at, "hello\n", 6); /* 19 bytes after the lea */
	return at;
}

struct spec {
	uint16_t type;	     /* ET_EXEC (at EXEC_BASE) or ET_DYN (at 0) */
	enum program program;
	int status;
	const char *interp;  /* PT_INTERP path, or NULL */
	size_t interp_size;  /* p_filesz of PT_INTERP; 0: strlen + 1 */
	int dynamic;	     /* a PT_DYNAMIC (DT_NULL only), for the real ld.so */
	size_t pad_to;	     /* file (and segment) length at least this */
};

/*
 * Builds: the file header, PT_PHDR, [PT_INTERP], one PT_LOAD (R+X) over the
 * whole file from offset 0, [PT_DYNAMIC], PT_GNU_STACK (RW).
 */
static void build(struct image *m, const struct spec *s)
{
	memset(m, 0, sizeof *m);
	uint64_t base = s->type == ET_EXEC ? EXEC_BASE : 0;
	Elf64_Ehdr *e = ehdr(m);
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = s->type;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = base + OFF_CODE;
	e->e_phoff = OFF_PHDRS;
	e->e_ehsize = sizeof(Elf64_Ehdr);
	e->e_phentsize = sizeof(Elf64_Phdr);
	size_t end = put_code(m, s->program, s->status);
	if (end < OFF_INTERP)
		end = OFF_INTERP;

	Elf64_Phdr *ph = add_phdr(m, PT_PHDR, PF_R);
	if (s->interp) {
		size_t size = s->interp_size ? s->interp_size : strlen(s->interp) + 1;
		size_t copy = strlen(s->interp) < size ? strlen(s->interp) : size;
		put(m, OFF_INTERP, s->interp, copy);
		Elf64_Phdr *ip = add_phdr(m, PT_INTERP, PF_R);
		ip->p_offset = OFF_INTERP;
		ip->p_vaddr = ip->p_paddr = base + OFF_INTERP;
		ip->p_filesz = ip->p_memsz = size;
		ip->p_align = 1;
		end = OFF_INTERP + size;
	}
	Elf64_Phdr *load = add_phdr(m, PT_LOAD, PF_R | PF_X);
	if (s->dynamic) {
		/* No libraries, no relocations; glibc's ld.so still wants a
		 * string and a symbol table. */
		const Elf64_Dyn dyn[] = {
			{DT_STRTAB, {base + OFF_DYNSTR}},
			{DT_STRSZ, {1}},
			{DT_SYMTAB, {base + OFF_DYNSYM}},
			{DT_SYMENT, {sizeof(Elf64_Sym)}},
			{DT_NULL, {0}},
		};
		put(m, OFF_DYNAMIC, dyn, sizeof dyn);
		Elf64_Phdr *dp = add_phdr(m, PT_DYNAMIC, PF_R);
		dp->p_offset = OFF_DYNAMIC;
		dp->p_vaddr = dp->p_paddr = base + OFF_DYNAMIC;
		dp->p_filesz = dp->p_memsz = sizeof dyn;
		dp->p_align = 8;
	}
	add_phdr(m, PT_GNU_STACK, PF_R | PF_W);
	if (end < s->pad_to)
		end = s->pad_to;
	m->len = end;

	ph->p_offset = OFF_PHDRS;
	ph->p_vaddr = ph->p_paddr = base + OFF_PHDRS;
	ph->p_filesz = ph->p_memsz = (uint64_t)e->e_phnum * sizeof(Elf64_Phdr);
	ph->p_align = 8;
	load->p_offset = 0;
	load->p_vaddr = load->p_paddr = base;
	load->p_filesz = load->p_memsz = m->len;
	load->p_align = 0x1000;
}

static void build_simple(struct image *m, uint16_t type, enum program program, int status, const char *interp)
{
	struct spec s = {.type = type, .program = program, .status = status, .interp = interp};
	build(m, &s);
}

/* A 32-bit i386 program that exits with STATUS_PROGRAM through int 0x80. */
static size_t build_elf32(unsigned char *out)
{
	static const unsigned char code[] = {
		0xbb, STATUS_PROGRAM, 0, 0, 0, /* mov ebx, 200 */
		0xb8, 1, 0, 0, 0,		/* mov eax, 1 (exit) */
		0xcd, 0x80,			/* int 0x80 */
	};
	size_t len = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr) + sizeof code;
	memset(out, 0, len);
	Elf32_Ehdr e = {0};
	memcpy(e.e_ident, ELFMAG, SELFMAG);
	e.e_ident[EI_CLASS] = ELFCLASS32;
	e.e_ident[EI_DATA] = ELFDATA2LSB;
	e.e_ident[EI_VERSION] = EV_CURRENT;
	e.e_type = ET_EXEC;
	e.e_machine = EM_386;
	e.e_version = EV_CURRENT;
	e.e_entry = 0x8048000 + sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr);
	e.e_phoff = sizeof(Elf32_Ehdr);
	e.e_ehsize = sizeof(Elf32_Ehdr);
	e.e_phentsize = sizeof(Elf32_Phdr);
	e.e_phnum = 1;
	Elf32_Phdr p = {0};
	p.p_type = PT_LOAD;
	p.p_vaddr = p.p_paddr = 0x8048000;
	p.p_filesz = p.p_memsz = (uint32_t)len;
	p.p_flags = PF_R | PF_X;
	p.p_align = 0x1000;
	memcpy(out, &e, sizeof e);
	memcpy(out + sizeof e, &p, sizeof p);
	memcpy(out + sizeof e + sizeof p, code, sizeof code);
	return len;
}

/* ---- files and children ---------------------------------------------- */

static char *path_of(const char *name)
{
	static char paths[8][1024];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	return p;
}

static int write_file(const char *path, const void *bytes, size_t len, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, bytes, len);
	close(fd);
	if (n != (ssize_t)len)
		return -1;
	return chmod(path, mode);
}

/* Writes `len` bytes of `m` as an executable file in the scratch directory. */
static const char *put_image(const char *name, struct image *m, size_t len)
{
	const char *path = path_of(name);
	if (write_file(path, m->bytes, len, 0755) != 0)
		DIAG("cannot write %s: %s", path, strerror(errno));
	return path;
}

/*
 * Runs `path` with `argv` in a child (in the scratch directory, so relative
 * interpreter paths resolve there). Returns errno (< 200) if execve failed,
 * the exit status if the program ran, KILLED(signal) if a signal ended it.
 * With `output`, the child's stdout is collected there (NUL-terminated).
 */
static int run_argv(const char *path, char *const argv[], char *output, size_t output_size)
{
	int pipefd[2] = {-1, -1};
	if (output && pipe(pipefd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		if (output) {
			dup2(pipefd[1], 1);
			close(pipefd[0]);
			close(pipefd[1]);
		}
		if (chdir(dir) != 0)
			_exit(199);
		/* A program that hangs is a failure, not a hung test. */
		alarm(60);
		execve(path, argv, environ);
		_exit(errno);
	}
	if (output) {
		close(pipefd[1]);
		size_t got = 0;
		ssize_t n;
		while (got + 1 < output_size && (n = read(pipefd[0], output + got, output_size - 1 - got)) != 0) {
			if (n < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			got += (size_t)n;
		}
		output[got] = 0;
		close(pipefd[0]);
	}
	return pid < 0 ? -1 : check_wait(pid);
}

static int run(const char *path)
{
	char *argv[] = {(char *)path, NULL};
	return run_argv(path, argv, NULL, 0);
}

static const char *outcome_name(int outcome)
{
	static char buf[4][64];
	static int next;
	char *b = buf[next++ % 4];
	if (outcome >= 1000)
		snprintf(b, sizeof buf[0], "killed by signal %d", outcome - 1000);
	else if (outcome >= STATUS_PROGRAM)
		snprintf(b, sizeof buf[0], "ran, exit %d", outcome);
	else if (outcome > 0)
		snprintf(b, sizeof buf[0], "errno %d (%s)", outcome, strerror(outcome));
	else
		snprintf(b, sizeof buf[0], "outcome %d", outcome);
	return b;
}

/* Passes if `got` is `want` or `also` (pass `also` = want for one). */
#define EXPECT2(got, want, also, ...)                                                              \
	({                                                                                         \
		int expect_got_ = (got), expect_want_ = (want), expect_also_ = (also);            \
		char expect_detail_[200];                                                          \
		if (expect_want_ == expect_also_)                                                  \
			snprintf(expect_detail_, sizeof expect_detail_, "(got %s, want %s) ",      \
				 outcome_name(expect_got_), outcome_name(expect_want_));          \
		else                                                                               \
			snprintf(expect_detail_, sizeof expect_detail_, "(got %s, want %s or %s) ", \
				 outcome_name(expect_got_), outcome_name(expect_want_),           \
				 outcome_name(expect_also_));                                     \
		check_report(expect_got_ == expect_want_ || expect_got_ == expect_also_,          \
			     expect_detail_, -1, __FILE__, __LINE__, __VA_ARGS__);                 \
	})
#define EXPECT(got, want, ...) EXPECT2(got, want, want, __VA_ARGS__)

static const char *program_with_interp(const char *name, const char *interp);

/* ---- the program itself is hostile ----------------------------------- */

static void test_truncated(void)
{
	struct image m;
	/* Two pages of segment, so a cut can fall inside it past the code. */
	struct spec s = {.type = ET_EXEC, .program = PROGRAM_EXIT, .status = STATUS_PROGRAM, .pad_to = 0x1800};
	build(&m, &s);
	const char *whole = put_image("whole", &m, m.len);
	EXPECT(run(whole), STATUS_PROGRAM, "the untruncated image runs and exits %d", STATUS_PROGRAM);

	/* Inside the identification and the file header, then inside the
	 * program header table (3 entries: it ends at 0x40 + 3 * 56). */
	static const size_t header_cuts[] = {0, 1, 3, 4, 5, 16, 17, 18, 20, 24, 52, 56, 58, 63};
	static const size_t table_cuts[] = {64, 65, 100, 0x40 + 56, 0x40 + 56 + 30, 0x40 + 3 * 56 - 1};
	int bad = 0;
	for (size_t i = 0; i < sizeof header_cuts / sizeof header_cuts[0]; i++) {
		int got = run(put_image("cut", &m, header_cuts[i]));
		if (got != ENOEXEC) {
			DIAG("cut to %zu bytes: %s", header_cuts[i], outcome_name(got));
			bad++;
		}
	}
	CHECK_EQ(bad, 0, "a file cut inside its ELF header fails with ENOEXEC (14 lengths)");
	bad = 0;
	for (size_t i = 0; i < sizeof table_cuts / sizeof table_cuts[0]; i++) {
		int got = run(put_image("cut", &m, table_cuts[i]));
		if (got != ENOEXEC) {
			DIAG("cut to %zu bytes: %s", table_cuts[i], outcome_name(got));
			bad++;
		}
	}
	CHECK_EQ(bad, 0, "a file cut inside its program header table fails with ENOEXEC (6 lengths)");

	/*
	 * Cut inside the PT_LOAD segment. Linux does not compare segments with
	 * the file's size: it maps them, and the program dies of SIGBUS only
	 * if it touches a page past the end, so a cut after the code still
	 * runs, and a cut before the code executes the zeros of the file's
	 * last page (SIGSEGV on the write to address 0 they encode). Helctic
	 * refuses a segment that lies outside its file at exec, with ENOEXEC
	 * and a log line, rather than start a program that cannot be whole.
	 */
	EXPECT2(run(put_image("cut", &m, OFF_CODE + 0x20)), STATUS_PROGRAM, ENOEXEC,
		"cut inside the segment, after the code: runs (Linux) or ENOEXEC (Helctic)");
	EXPECT2(run(put_image("cut", &m, 0x1100)), STATUS_PROGRAM, ENOEXEC,
		"cut inside the segment's second page: runs (Linux) or ENOEXEC (Helctic)");
	EXPECT2(run(put_image("cut", &m, OFF_CODE - 0x20)), KILLED(SIGSEGV), ENOEXEC,
		"cut inside the segment before the code: SIGSEGV (Linux) or ENOEXEC (Helctic)");
}

static void test_bad_segments(void)
{
	struct image m;

	/*
	 * Overlapping and unordered PT_LOADs: Linux maps each in turn (a later
	 * one replaces what it overlaps) and the program runs. Helctic's loader
	 * refuses them (the ELF specification requires ascending, disjoint
	 * segments, and its mapper relies on that) with ENOEXEC.
	 */
	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	ehdr(&m)->e_phnum++;
	*phdr(&m, ehdr(&m)->e_phnum - 1) = *find_phdr(&m, PT_LOAD);
	EXPECT2(run(put_image("overlap", &m, m.len)), STATUS_PROGRAM, ENOEXEC,
		"overlapping PT_LOAD segments: run (Linux) or ENOEXEC (Helctic)");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	Elf64_Phdr *load = find_phdr(&m, PT_LOAD);
	Elf64_Phdr high = *load;
	high.p_vaddr = high.p_paddr = EXEC_BASE + 0x200000;
	high.p_flags = PF_R;
	*load = high; /* the higher segment first ... */
	ehdr(&m)->e_phnum++;
	Elf64_Phdr *low = phdr(&m, ehdr(&m)->e_phnum - 1);
	*low = high; /* ... then the one with the code */
	low->p_vaddr = low->p_paddr = EXEC_BASE;
	low->p_flags = PF_R | PF_X;
	EXPECT2(run(put_image("unordered", &m, m.len)), STATUS_PROGRAM, ENOEXEC,
		"PT_LOAD segments out of address order: run (Linux) or ENOEXEC (Helctic)");

	/* Linux finds p_filesz > p_memsz only after the point of no return
	 * and kills the process with SIGSEGV; Helctic refuses at once. */
	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	find_phdr(&m, PT_LOAD)->p_memsz = 0x100;
	EXPECT2(run(put_image("filesz", &m, m.len)), KILLED(SIGSEGV), ENOEXEC,
		"p_filesz > p_memsz: SIGSEGV (Linux) or ENOEXEC (Helctic)");

	/* A second, writable segment whose file bytes lie past the end of the
	 * file, never touched: Linux maps it and the program runs (it would
	 * die of SIGBUS on touching it); Helctic refuses it, as above. */
	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	Elf64_Phdr *past = add_phdr(&m, PT_LOAD, PF_R | PF_W);
	past->p_offset = 0x10000;
	past->p_vaddr = past->p_paddr = EXEC_BASE + 0x10000;
	past->p_filesz = past->p_memsz = 0x1000;
	past->p_align = 0x1000;
	EXPECT2(run(put_image("pastend", &m, m.len)), STATUS_PROGRAM, ENOEXEC,
		"a segment past the end of the file: runs (Linux) or ENOEXEC (Helctic)");
}

/* Numbers at the edges of the address space: the loader's arithmetic must
 * neither overflow nor wrap. Linux finds these only while mapping, past
 * the point of no return, and kills the process (SIGSEGV or SIGKILL);
 * Helctic checks them before it commits to the exec: ENOEXEC. */
static void test_edge_addresses(void)
{
	struct image m;
	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	Elf64_Phdr *top = add_phdr(&m, PT_LOAD, PF_R);
	top->p_vaddr = top->p_paddr = 0xfffffffffffff000ull;
	top->p_align = 0x1000;
	EXPECT2(run(put_image("top-empty", &m, m.len)), KILLED(SIGSEGV), ENOEXEC,
		"an empty PT_LOAD at the top of the address space: SIGSEGV (Linux) or ENOEXEC (Helctic)");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	find_phdr(&m, PT_LOAD)->p_memsz = 0xffffffffff000000ull;
	EXPECT2(run(put_image("huge-memsz", &m, m.len)), KILLED(SIGSEGV), ENOEXEC,
		"a PT_LOAD of 2^64 - 2^24 bytes: SIGSEGV (Linux) or ENOEXEC (Helctic)");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	Elf64_Phdr *kernel = add_phdr(&m, PT_LOAD, PF_R | PF_W);
	kernel->p_vaddr = kernel->p_paddr = 0xffff800000000000ull;
	kernel->p_memsz = 0x1000;
	kernel->p_align = 0x1000;
	EXPECT2(run(put_image("kernel-half", &m, m.len)), KILLED(SIGSEGV), ENOEXEC,
		"a PT_LOAD in the kernel's half: SIGSEGV (Linux) or ENOEXEC (Helctic)");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	find_phdr(&m, PT_LOAD)->p_align = 1ull << 62;
	EXPECT2(run(put_image("pie-align", &m, m.len)), STATUS_PROGRAM, ENOEXEC,
		"a position-independent program aligned to 2^62: runs (Linux) or ENOEXEC (Helctic)");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	find_phdr(&m, PT_LOAD)->p_memsz = 0xfffffffffffff000ull;
	EXPECT2(run(program_with_interp("p-huge", put_image("linker-huge", &m, m.len))), KILLED(SIGSEGV), ELIBBAD,
		"a linker spanning 2^64 - 4096 bytes: SIGSEGV (Linux) or ELIBBAD (Helctic)");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	top = add_phdr(&m, PT_LOAD, PF_R);
	top->p_vaddr = top->p_paddr = 0xfffffffffffff000ull;
	top->p_align = 0x1000;
	EXPECT2(run(program_with_interp("p-top", put_image("linker-top", &m, m.len))), KILLED(SIGSEGV), ELIBBAD,
		"a linker with an empty PT_LOAD at the top of the address space: SIGSEGV (Linux) or ELIBBAD (Helctic)");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	find_phdr(&m, PT_LOAD)->p_align = 1ull << 62;
	EXPECT2(run(program_with_interp("p-align", put_image("linker-align", &m, m.len))), STATUS_INTERP, ELIBBAD,
		"a linker aligned to 2^62: runs (Linux) or ELIBBAD (Helctic)");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_INTERP, NULL);
	EXPECT(run(program_with_interp("p-fixed", put_image("linker-fixed", &m, m.len))), STATUS_INTERP,
	       "a fixed-address (ET_EXEC) linker at the program's own addresses replaces it, and runs");
}

static void test_bad_headers(void)
{
	struct image m;
	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	ehdr(&m)->e_phnum = 0;
	EXPECT(run(put_image("phnum0", &m, m.len)), ENOEXEC, "e_phnum 0: ENOEXEC");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	ehdr(&m)->e_phentsize = 32;
	EXPECT(run(put_image("phentsize", &m, m.len)), ENOEXEC, "e_phentsize 32: ENOEXEC");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	ehdr(&m)->e_phentsize = 64;
	EXPECT(run(put_image("phentsize", &m, m.len)), ENOEXEC, "e_phentsize 64: ENOEXEC");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	ehdr(&m)->e_type = ET_REL;
	EXPECT(run(put_image("rel", &m, m.len)), ENOEXEC, "ET_REL: ENOEXEC");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	ehdr(&m)->e_type = ET_CORE;
	EXPECT(run(put_image("core", &m, m.len)), ENOEXEC, "ET_CORE: ENOEXEC");

	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	ehdr(&m)->e_machine = EM_AARCH64;
	EXPECT(run(put_image("aarch64", &m, m.len)), ENOEXEC, "e_machine aarch64: ENOEXEC");

	/* A real i386 program: Linux runs it where the kernel has IA-32
	 * emulation (it exits 200) and refuses it with ENOEXEC where not;
	 * Helctic runs no 32-bit code and refuses it. */
	unsigned char elf32[256];
	size_t len = build_elf32(elf32);
	const char *p32 = path_of("elf32");
	write_file(p32, elf32, len, 0755);
	EXPECT2(run(p32), STATUS_PROGRAM, ENOEXEC, "a 32-bit i386 ELF: runs (IA-32 emulation) or ENOEXEC");

	/* Not ELF at all: text without #!, and an empty file. */
	const char *text = path_of("text");
	write_file(text, "echo not a program\n", 19, 0755);
	EXPECT(run(text), ENOEXEC, "a text file without #!: ENOEXEC");
	const char *empty = path_of("empty");
	write_file(empty, "", 0, 0755);
	EXPECT(run(empty), ENOEXEC, "an empty file: ENOEXEC");
}

/* ---- PT_INTERP ------------------------------------------------------- */

/* A program (exit 200) whose PT_INTERP is `interp`. */
static const char *program_with_interp(const char *name, const char *interp)
{
	struct image m;
	build_simple(&m, ET_EXEC, PROGRAM_EXIT, STATUS_PROGRAM, interp);
	return put_image(name, &m, m.len);
}

static void test_interp_files(void)
{
	struct image m;
	/* The stand-in dynamic linker: exits 201. */
	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	const char *linker = put_image("linker", &m, m.len);
	EXPECT(run(program_with_interp("p-linker", linker)), STATUS_INTERP,
	       "a program whose PT_INTERP is a built linker starts in the linker (exit %d)", STATUS_INTERP);
	EXPECT(run(linker), STATUS_INTERP, "the built linker runs as a program too");

	EXPECT(run(program_with_interp("p-missing", path_of("no-such-linker"))), ENOENT,
	       "PT_INTERP names a missing file: ENOENT");
	EXPECT(run(program_with_interp("p-missing-dir", path_of("no-such-dir/linker"))), ENOENT,
	       "PT_INTERP names a file in a missing directory: ENOENT");
	EXPECT(run(program_with_interp("p-notdir", path_of("linker/x"))), ENOTDIR,
	       "PT_INTERP goes through a file as if a directory: ENOTDIR");

	/* Linux maps the program a second time as its own interpreter and
	 * starts it at its entry: it runs and exits 200. */
	const char *self = path_of("p-self");
	EXPECT(run(program_with_interp("p-self", self)), STATUS_PROGRAM,
	       "PT_INTERP names the program itself: it runs as its own linker");

	mkdir(path_of("a-directory"), 0755);
	EXPECT(run(program_with_interp("p-dir", path_of("a-directory"))), EACCES,
	       "PT_INTERP names a directory: EACCES");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	const char *noexec = path_of("linker-noexec");
	write_file(noexec, m.bytes, m.len, 0644);
	EXPECT(run(program_with_interp("p-noexec", noexec)), EACCES,
	       "PT_INTERP names a file without execute permission: EACCES");

	/* Linux reads the linker's whole 64-byte file header first: a shorter
	 * file is EIO; a longer one without the ELF magic is ELIBBAD. */
	const char *text = path_of("linker-text");
	write_file(text, "#!/bin/sh\necho not a linker\n", 28, 0755);
	EXPECT(run(program_with_interp("p-text", text)), EIO,
	       "PT_INTERP names a 28-byte script (shorter than an ELF header): EIO");
	const char *long_text = path_of("linker-long-text");
	static const char script[] = "#!/bin/sh\n# not a dynamic linker, and longer than an ELF file header\nexit 7\n";
	write_file(long_text, script, sizeof script - 1, 0755);
	EXPECT(run(program_with_interp("p-long-text", long_text)), ELIBBAD,
	       "PT_INTERP names a script longer than an ELF header: ELIBBAD");
	const char *zeros = path_of("linker-zeros");
	static const unsigned char zero_page[4096];
	write_file(zeros, zero_page, sizeof zero_page, 0755);
	EXPECT(run(program_with_interp("p-zeros", zeros)), ELIBBAD,
	       "PT_INTERP names a file of zeros: ELIBBAD");

	/* Truncated linkers: Linux reads the whole file header first (a short
	 * read is EIO), then the program headers (ELIBBAD). */
	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	EXPECT(run(program_with_interp("p-cut10", put_image("linker-cut10", &m, 10))), EIO,
	       "linker cut inside its identification: EIO");
	EXPECT(run(program_with_interp("p-cut40", put_image("linker-cut40", &m, 40))), EIO,
	       "linker cut inside its file header: EIO");
	EXPECT(run(program_with_interp("p-cut0", put_image("linker-cut0", &m, 0))), EIO,
	       "an empty linker: EIO");
	EXPECT(run(program_with_interp("p-cut100", put_image("linker-cut100", &m, 100))), ELIBBAD,
	       "linker cut inside its program header table: ELIBBAD");
	/*
	 * Cut inside the linker's segment, after its code: Linux maps it and
	 * it runs (exit 201); Helctic refuses a segment outside its file, and
	 * names it a bad library (ELIBBAD), as Linux does for every other
	 * broken interpreter.
	 */
	struct spec big = {.type = ET_DYN, .program = PROGRAM_EXIT, .status = STATUS_INTERP, .pad_to = 0x1800};
	build(&m, &big);
	EXPECT2(run(program_with_interp("p-cutseg", put_image("linker-cutseg", &m, 0x1100))), STATUS_INTERP, ELIBBAD,
		"linker cut inside its segment: runs (Linux) or ELIBBAD (Helctic)");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	ehdr(&m)->e_machine = EM_AARCH64;
	EXPECT(run(program_with_interp("p-aarch64", put_image("linker-aarch64", &m, m.len))), ELIBBAD,
	       "an aarch64 linker: ELIBBAD");

	unsigned char elf32[256];
	size_t len = build_elf32(elf32);
	const char *l32 = path_of("linker-elf32");
	write_file(l32, elf32, len, 0755);
	EXPECT(run(program_with_interp("p-elf32", l32)), ELIBBAD, "a 32-bit linker: ELIBBAD");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	ehdr(&m)->e_phnum = 0;
	EXPECT(run(program_with_interp("p-phnum0", put_image("linker-phnum0", &m, m.len))), ELIBBAD,
	       "a linker with no program headers: ELIBBAD");

	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	ehdr(&m)->e_phentsize = 32;
	EXPECT(run(program_with_interp("p-phent", put_image("linker-phent", &m, m.len))), ELIBBAD,
	       "a linker with a wrong e_phentsize: ELIBBAD");

	/* An ET_REL linker passes Linux's early checks (magic, machine, program
	 * headers) and is refused only while being mapped, past the point of no
	 * return: the process is killed with SIGSEGV. Helctic checks the whole
	 * linker before it commits to the exec, and answers ELIBBAD. */
	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, NULL);
	ehdr(&m)->e_type = ET_REL;
	EXPECT2(run(program_with_interp("p-rel", put_image("linker-rel", &m, m.len))), KILLED(SIGSEGV), ELIBBAD,
		"an ET_REL linker: SIGSEGV (Linux) or ELIBBAD (Helctic)");

	/* A linker's own PT_INTERP is ignored (no chain of linkers). */
	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_INTERP, path_of("no-such-linker"));
	EXPECT(run(program_with_interp("p-interp2", put_image("linker-interp", &m, m.len))), STATUS_INTERP,
	       "a linker's own PT_INTERP is ignored");

	/* A linker that faults as it starts: only its process dies. */
	build_simple(&m, ET_DYN, PROGRAM_WILD_JUMP, 0, NULL);
	EXPECT(run(program_with_interp("p-wild", put_image("linker-wild", &m, m.len))), KILLED(SIGSEGV),
	       "a linker whose entry jumps to an unmapped address: its process dies of SIGSEGV");

	/* A relative PT_INTERP is resolved from the caller's working directory
	 * (run() executes in the scratch directory), here through three links. */
	symlink("linker", path_of("link3"));
	symlink("link3", path_of("link2"));
	symlink(path_of("link2"), path_of("link1"));
	EXPECT(run(program_with_interp("p-links", "link1")), STATUS_INTERP,
	       "PT_INTERP through a chain of three symbolic links (relative, absolute, relative)");
	symlink("loop-b", path_of("loop-a"));
	symlink("loop-a", path_of("loop-b"));
	EXPECT(run(program_with_interp("p-loop", "loop-a")), ELOOP, "PT_INTERP is a symlink loop: ELOOP");
}

static void test_interp_segment(void)
{
	struct image m;
	const char *linker = path_of("linker");

	struct spec s = {.type = ET_EXEC, .program = PROGRAM_EXIT, .status = STATUS_PROGRAM, .interp = linker};
	s.interp_size = strlen(linker); /* the NUL left out */
	build(&m, &s);
	EXPECT(run(put_image("i-nonul", &m, m.len)), ENOEXEC, "PT_INTERP without its terminating NUL: ENOEXEC");

	s.interp = "";
	s.interp_size = 1;
	build(&m, &s);
	EXPECT(run(put_image("i-empty1", &m, m.len)), ENOEXEC, "PT_INTERP of one NUL byte: ENOEXEC");
	s.interp_size = 2;
	build(&m, &s);
	/* Linux opens the empty path without the check open(2) makes (ENOENT):
	 * it names the working directory, which cannot be executed. */
	EXPECT(run(put_image("i-empty2", &m, m.len)), EACCES, "PT_INTERP of two NUL bytes (an empty path): EACCES");
	build(&m, &s);
	find_phdr(&m, PT_INTERP)->p_filesz = 0;
	EXPECT(run(put_image("i-empty0", &m, m.len)), ENOEXEC, "PT_INTERP of no bytes: ENOEXEC");

	/* p_filesz up to PATH_MAX is read; the path ends at its first NUL. */
	s.interp = linker;
	s.interp_size = PATH_MAX;
	build(&m, &s);
	EXPECT(run(put_image("i-pathmax", &m, m.len)), STATUS_INTERP,
	       "PT_INTERP of exactly PATH_MAX bytes (the path, then NULs) runs the linker");
	s.interp_size = PATH_MAX + 1;
	build(&m, &s);
	EXPECT(run(put_image("i-toolong", &m, m.len)), ENOEXEC, "PT_INTERP of PATH_MAX + 1 bytes: ENOEXEC");
	build(&m, &s);
	find_phdr(&m, PT_INTERP)->p_filesz = 0xffffffffffffull;
	EXPECT(run(put_image("i-huge", &m, m.len)), ENOEXEC, "PT_INTERP of 2^48 bytes: ENOEXEC");

	/* Text after the first NUL is ignored. */
	char with_tail[512];
	size_t n = (size_t)snprintf(with_tail, sizeof with_tail, "%s", linker);
	memcpy(with_tail + n, "\0junk", 6);
	s.interp = with_tail;
	s.interp_size = n + 6;
	build(&m, &s);
	memcpy(m.bytes + OFF_INTERP, with_tail, n + 6);
	EXPECT(run(put_image("i-tail", &m, m.len)), STATUS_INTERP, "PT_INTERP with bytes after its NUL runs the linker");

	/* Past the end of the file: Linux's read of it comes up short: EIO. */
	s.interp = linker;
	s.interp_size = 0;
	build(&m, &s);
	find_phdr(&m, PT_INTERP)->p_offset = 0x100000;
	EXPECT(run(put_image("i-pastend", &m, m.len)), EIO, "PT_INTERP past the end of the file: EIO");
	build(&m, &s);
	find_phdr(&m, PT_INTERP)->p_offset = m.len - 4; /* straddles the end */
	EXPECT(run(put_image("i-straddle", &m, m.len)), EIO, "PT_INTERP running past the end of the file: EIO");
	build(&m, &s);
	find_phdr(&m, PT_INTERP)->p_offset = 0xfffffffffffffff0ull;
	/* An offset that is negative as a file position: the read is EINVAL. */
	EXPECT(run(put_image("i-wrap", &m, m.len)), EINVAL, "PT_INTERP at an offset past 2^63: EINVAL");
}

/* ---- the real dynamic linker ----------------------------------------- */

static int has_ldso(void)
{
	return access(LDSO, X_OK) == 0;
}

/* Whether this program was linked dynamically (has a PT_INTERP). */
static int self_is_dynamic(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);
	for (unsigned long i = 0; ph && i < n; i++)
		if (ph[i].p_type == PT_INTERP)
			return 1;
	return 0;
}

static char self_path[PATH_MAX];

/* Reads this program's file (the one /proc/self/exe names). */
static unsigned char *read_self(size_t *len)
{
	int fd = open(self_path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct stat st;
	unsigned char *buf = NULL;
	if (fstat(fd, &st) == 0 && st.st_size > 0 && (buf = malloc((size_t)st.st_size))) {
		size_t got = 0;
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (got != (size_t)st.st_size) {
			free(buf);
			buf = NULL;
		}
		*len = got;
	}
	close(fd);
	return buf;
}

static void test_real_linker(void)
{
	if (!has_ldso()) {
		DIAG("%s is absent: skipping the real dynamic linker", LDSO);
		return;
	}
	struct image m;
	char out[256];
	struct spec s = {.type = ET_DYN, .program = PROGRAM_HELLO, .status = STATUS_PROGRAM, .interp = LDSO, .dynamic = 1};
	build(&m, &s);
	const char *hello = put_image("dyn-hello", &m, m.len);
	char *argv[] = {(char *)hello, "arg", NULL};
	EXPECT(run_argv(hello, argv, out, sizeof out), STATUS_PROGRAM,
	       "a built dynamic program (no libraries) runs through %s", LDSO);
	CHECK_STR(out, "hello\n", "... and prints what it prints");

	/* ld.so as a command: ld.so PROGRAM ARGS. */
	char *direct[] = {LDSO, (char *)hello, "arg", NULL};
	EXPECT(run_argv(LDSO, direct, out, sizeof out), STATUS_PROGRAM, "%s run as a command runs a built program", LDSO);
	CHECK_STR(out, "hello\n", "... which prints what it prints");

	/* The dynamic linker reached through a chain of links. */
	symlink(LDSO, path_of("ld-3"));
	symlink("ld-3", path_of("ld-2"));
	symlink(path_of("ld-2"), path_of("ld-1"));
	s.interp = "ld-1";
	build(&m, &s);
	const char *chained = put_image("dyn-chained", &m, m.len);
	argv[0] = (char *)chained;
	EXPECT(run_argv(chained, argv, out, sizeof out), STATUS_PROGRAM,
	       "a dynamic program whose ld.so path is a chain of three links runs");
	CHECK_STR(out, "hello\n", "... and prints what it prints");

	if (!self_is_dynamic())
		return;

	/* This very program (glibc, libc.so.6) through ld.so as a command. */
	char *self_direct[] = {LDSO, self_path, "--hello", "from ld.so", NULL};
	EXPECT(run_argv(LDSO, self_direct, out, sizeof out), 0, "%s %s --hello runs this program", LDSO, self_path);
	CHECK_STR(out, "hello from ld.so\n", "... which prints what it prints");

	/* A copy of this program whose PT_INTERP is patched to a relative
	 * chain of links to ld.so. */
	size_t len = 0;
	unsigned char *bytes = read_self(&len);
	CHECK_BAIL(bytes != NULL, "read this program's file %s", self_path);
	Elf64_Ehdr *e = (Elf64_Ehdr *)bytes;
	int patched = 0;
	for (int i = 0; i < e->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(bytes + e->e_phoff) + i;
		if (ph->p_type == PT_INTERP && ph->p_filesz > 5 && ph->p_offset + ph->p_filesz <= len) {
			memset(bytes + ph->p_offset, 0, ph->p_filesz);
			memcpy(bytes + ph->p_offset, "ld-1", 4);
			patched = 1;
		}
	}
	CHECK(patched, "found this program's PT_INTERP to patch");
	const char *copy = path_of("self-chained");
	CHECK_EQ(write_file(copy, bytes, len, 0755), 0, "wrote a copy with PT_INTERP \"ld-1\"");
	free(bytes);
	char *copy_argv[] = {(char *)copy, "--hello", "through links", NULL};
	EXPECT(run_argv(copy, copy_argv, out, sizeof out), 0, "the copy runs with ld.so found through the links");
	CHECK_STR(out, "hello through links\n", "... and prints what it prints");
}

/* ---- the auxiliary vector -------------------------------------------- */

/* The /proc/self/maps line whose range starts at `addr`: path, inode. */
static int maps_entry(unsigned long addr, char *path, size_t path_size, unsigned long *inode)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		return -1;
	static char buf[65536];
	size_t got = 0;
	ssize_t n;
	while (got + 1 < sizeof buf && (n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = 0;
	close(fd);
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		unsigned long start, end, offset, ino;
		char perms[8], dev[16];
		int consumed = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &start, &end, perms, &offset, dev, &ino, &consumed) >= 6 &&
		    start == addr) {
			snprintf(path, path_size, "%s", consumed ? line + consumed : "");
			*inode = ino;
			return 0;
		}
		line = next;
	}
	return -1;
}

static void test_auxv(void)
{
	int dynamic = self_is_dynamic();
	unsigned long base = getauxval(AT_BASE);
	unsigned long phdr_addr = getauxval(AT_PHDR);
	unsigned long entry = getauxval(AT_ENTRY);
	unsigned long phnum = getauxval(AT_PHNUM);
	CHECK_EQ(getauxval(AT_PHENT), sizeof(Elf64_Phdr), "AT_PHENT is 56");

	/* This program's headers, from its file. */
	size_t len = 0;
	unsigned char *bytes = read_self(&len);
	CHECK_BAIL(bytes != NULL && len >= sizeof(Elf64_Ehdr), "read this program's file");
	Elf64_Ehdr *e = (Elf64_Ehdr *)bytes;
	Elf64_Phdr *file_ph = (Elf64_Phdr *)(bytes + e->e_phoff);
	CHECK_BAIL(e->e_phoff + (size_t)e->e_phnum * sizeof(Elf64_Phdr) <= len, "its program headers are inside it");
	CHECK_EQ(phnum, e->e_phnum, "AT_PHNUM is the file's e_phnum");
	/* The load bias: AT_PHDR minus where the file says its headers are
	 * loaded (PT_PHDR, else the PT_LOAD holding e_phoff). */
	unsigned long phdr_vaddr = 0;
	int found = 0;
	for (int i = 0; i < e->e_phnum && !found; i++)
		if (file_ph[i].p_type == PT_PHDR) {
			phdr_vaddr = file_ph[i].p_vaddr;
			found = 1;
		}
	for (int i = 0; i < e->e_phnum && !found; i++)
		if (file_ph[i].p_type == PT_LOAD && file_ph[i].p_offset <= e->e_phoff &&
		    e->e_phoff < file_ph[i].p_offset + file_ph[i].p_filesz) {
			phdr_vaddr = file_ph[i].p_vaddr + (e->e_phoff - file_ph[i].p_offset);
			found = 1;
		}
	CHECK(found, "the program headers are loaded (PT_PHDR or a PT_LOAD holds them)");
	unsigned long bias = phdr_addr - phdr_vaddr;
	if (e->e_type == ET_EXEC)
		CHECK_EQ(bias, 0, "a fixed-address program has load bias 0");
	else
		CHECK(bias != 0 && bias % 4096 == 0, "a position-independent program has a page-aligned load bias (%#lx)", bias);
	CHECK_EQ(entry, e->e_entry + bias, "AT_ENTRY is e_entry of /proc/self/exe plus the load bias");
	CHECK(memcmp((const void *)phdr_addr, file_ph, (size_t)e->e_phnum * sizeof(Elf64_Phdr)) == 0,
	      "AT_PHDR points at this program's own program headers");
	free(bytes);

	if (!dynamic) {
		CHECK_EQ(base, 0, "a static program has AT_BASE 0");
		return;
	}
	CHECK(base != 0 && base % 4096 == 0, "AT_BASE is a page address (%#lx)", base);
	const Elf64_Ehdr *ld = (const Elf64_Ehdr *)base;
	CHECK(memcmp(ld->e_ident, ELFMAG, SELFMAG) == 0, "AT_BASE points at an ELF header");
	CHECK_EQ(ld->e_type, ET_DYN, "... of a shared object (ld.so)");
	CHECK(entry < base || entry >= base + 0x1000, "AT_ENTRY is the program's entry, not ld.so's");
	char path[PATH_MAX];
	unsigned long ino = 0;
	CHECK_BAIL(maps_entry(base, path, sizeof path, &ino) == 0, "/proc/self/maps has a mapping starting at AT_BASE");
	struct stat named, ldso;
	CHECK(stat(path, &named) == 0 && stat(LDSO, &ldso) == 0 && named.st_ino == ldso.st_ino &&
		      named.st_dev == ldso.st_dev,
	      "the mapping at AT_BASE names the dynamic linker's file (%s)", path);
	CHECK_EQ(ino, ldso.st_ino, "... with the dynamic linker's inode number");
}

/* ---- main ------------------------------------------------------------ */

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--hello") == 0) {
		char line[256];
		int n = snprintf(line, sizeof line, "hello %s\n", argv[2]);
		return write(1, line, (size_t)n) == n ? 0 : 1;
	}
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
	CHECK_BAIL(n > 0, "readlink /proc/self/exe");
	self_path[n] = 0;
	char *scratch = check_scratch_dir("exec");
	CHECK_BAIL(scratch != NULL, "scratch directory");
	snprintf(dir, sizeof dir, "%s", scratch);

	test_truncated();
	test_bad_segments();
	test_bad_headers();
	test_interp_files();
	test_interp_segment();
	test_edge_addresses();
	test_real_linker();
	test_auxv();

	/* Still standing: a good program still runs. */
	struct image m;
	build_simple(&m, ET_DYN, PROGRAM_EXIT, STATUS_PROGRAM, NULL);
	EXPECT(run(put_image("last", &m, m.len)), STATUS_PROGRAM, "after all that, a good program still runs");

	check_rm_rf(dir);
	return check_done();
}
