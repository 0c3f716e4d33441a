/*
 * vdso.c - the vDSO: the shared object the kernel maps into every process
 * and names in AT_SYSINFO_EHDR.
 *
 * The image is found and parsed here, as a C library does (program
 * headers, dynamic section, symbol hash table, .gnu.version and
 * .gnu.version_d): an x86-64 ET_DYN with a R+X PT_LOAD and no
 * relocations, exporting __vdso_clock_gettime, __vdso_gettimeofday,
 * __vdso_time, __vdso_getcpu and __vdso_clock_getres (and the weak
 * unprefixed aliases) at version LINUX_2.6. Then the functions are called
 * directly and compared with the real system calls taken just before and
 * after: every clock the vDSO serves falls between the two readings of the
 * same clock (realtime within a second), a mix of vDSO and system-call
 * readings never goes backwards, gettimeofday and time agree with
 * CLOCK_REALTIME, clock_getres matches, an invalid clock id gives -EINVAL
 * without touching errno, CPU-time clocks (served by the system call
 * behind the vDSO) work, getcpu names a valid CPU. /proc/self/maps has a
 * [vdso] line at the auxv address and a [vvar] line; the vDSO works in a
 * forked child; a write to the vDSO after mprotect (as a debugger's
 * breakpoint) stays private to the writer; and libc's own clock_gettime
 * (which uses the vDSO) still agrees with the system call.
 */
#define _GNU_SOURCE
#include "check.h"

#include <elf.h>
#include <sched.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef long (*cgt_fn)(clockid_t, struct timespec *);
typedef long (*gtod_fn)(struct timeval *, struct timezone *);
typedef long (*time_fn)(time_t *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static const char *const functions[] = {
	"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
	"__vdso_getcpu", "__vdso_clock_getres",
};
static const char *const aliases[] = {
	"clock_gettime", "gettimeofday", "time", "getcpu", "clock_getres",
};
#define NFUNCS 5

struct vdso {
	uintptr_t base, bias;
	const Elf64_Phdr *load;
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strings;
	const Elf64_Half *versym;
	const Elf64_Verdef *verdef;
	int relocations;
};

static struct vdso v;

/* The number of symbols a GNU hash table covers (the highest chain end). */
static size_t gnu_hash_count(const uint32_t *gh)
{
	uint32_t nbuckets = gh[0], symoffset = gh[1], bloom_size = gh[2];
	const uint64_t *bloom = (const uint64_t *)(gh + 4);
	const uint32_t *buckets = (const uint32_t *)(bloom + bloom_size);
	const uint32_t *chain = buckets + nbuckets;
	uint32_t last = 0;
	for (uint32_t i = 0; i < nbuckets; i++)
		if (buckets[i] > last)
			last = buckets[i];
	if (last < symoffset)
		return symoffset;
	while (!(chain[last - symoffset] & 1))
		last++;
	return last + 1;
}

static void parse_image(void)
{
	v.base = getauxval(AT_SYSINFO_EHDR);
	CHECK_BAIL(v.base != 0, "AT_SYSINFO_EHDR names the vDSO");
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)v.base;
	CHECK_BAIL(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64,
		   "the vDSO starts with an ELF64 header");
	CHECK_EQ(eh->e_type, ET_DYN, "the vDSO is a shared object (ET_DYN)");
	CHECK_EQ(eh->e_machine, EM_X86_64, "the vDSO is for x86-64");

	const Elf64_Phdr *ph = (const Elf64_Phdr *)(v.base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	int loads = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD) {
			loads++;
			if (!v.load)
				v.load = &ph[i];
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const Elf64_Dyn *)(v.base + ph[i].p_offset);
		}
	}
	CHECK_BAIL(v.load && dyn, "the vDSO has a PT_LOAD and a PT_DYNAMIC segment");
	CHECK(v.load->p_offset == 0 && (v.load->p_flags & (PF_R | PF_W | PF_X)) == (PF_R | PF_X),
	      "its first PT_LOAD starts at the ELF header and is read+execute (%d loads)", loads);
	v.bias = v.base + v.load->p_offset - v.load->p_vaddr;

	const uint32_t *hash = NULL, *gnu_hash = NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		void *p = (void *)(v.bias + dyn->d_un.d_ptr);
		switch (dyn->d_tag) {
		case DT_STRTAB: v.strings = p; break;
		case DT_SYMTAB: v.syms = p; break;
		case DT_HASH: hash = p; break;
		case DT_GNU_HASH: gnu_hash = p; break;
		case DT_VERSYM: v.versym = p; break;
		case DT_VERDEF: v.verdef = p; break;
		case DT_REL: case DT_RELA: case DT_JMPREL: case DT_TEXTREL:
			v.relocations++;
			break;
		}
	}
	CHECK_BAIL(v.strings && v.syms && (hash || gnu_hash), "the dynamic section names a symbol table, strings and a hash table");
	CHECK(v.versym && v.verdef, "the dynamic section names .gnu.version and .gnu.version_d");
	CHECK_EQ(v.relocations, 0, "the vDSO needs no relocations");
	v.nsyms = hash ? hash[1] : gnu_hash_count(gnu_hash);
	CHECK(v.nsyms > NFUNCS && v.nsyms < 1000, "the symbol table has a sane size (%zu)", v.nsyms);
}

/* The name of version index `ndx` in .gnu.version_d, or NULL. */
static const char *version_name(Elf64_Half ndx)
{
	const Elf64_Verdef *d = v.verdef;
	for (;;) {
		if (d->vd_ndx == ndx) {
			const Elf64_Verdaux *aux = (const Elf64_Verdaux *)((const char *)d + d->vd_aux);
			return v.strings + aux->vda_name;
		}
		if (!d->vd_next)
			return NULL;
		d = (const Elf64_Verdef *)((const char *)d + d->vd_next);
	}
}

/* The address of defined function `name` at version LINUX_2.6, or NULL. */
static void *lookup(const char *name, int *binding)
{
	for (size_t i = 1; i < v.nsyms; i++) {
		const Elf64_Sym *s = &v.syms[i];
		if (s->st_shndx == SHN_UNDEF || ELF64_ST_TYPE(s->st_info) != STT_FUNC || strcmp(v.strings + s->st_name, name))
			continue;
		const char *version = v.versym ? version_name(v.versym[i] & 0x7fff) : NULL;
		if (!version || strcmp(version, "LINUX_2.6") || (v.versym[i] & 0x8000))
			continue;
		*binding = ELF64_ST_BIND(s->st_info);
		return (void *)(v.bias + s->st_value);
	}
	return NULL;
}

static cgt_fn vdso_clock_gettime, vdso_clock_getres;
static gtod_fn vdso_gettimeofday;
static time_fn vdso_time;
static getcpu_fn vdso_getcpu;

static void test_symbols(void)
{
	void *found[NFUNCS];
	for (int i = 0; i < NFUNCS; i++) {
		int binding = -1, alias_binding = -1;
		found[i] = lookup(functions[i], &binding);
		CHECK(found[i] && binding == STB_GLOBAL, "%s@@LINUX_2.6 is a global function", functions[i]);
		void *alias = lookup(aliases[i], &alias_binding);
		CHECK(alias && alias == found[i] && alias_binding == STB_WEAK, "%s@@LINUX_2.6 is a weak alias of %s", aliases[i], functions[i]);
	}
	CHECK_EQ(lookup("__vdso_no_such_function", &(int){0}) == NULL, 1, "an unknown name is not found");
	vdso_clock_gettime = (cgt_fn)found[0];
	vdso_gettimeofday = (gtod_fn)found[1];
	vdso_time = (time_fn)found[2];
	vdso_getcpu = (getcpu_fn)found[3];
	vdso_clock_getres = (cgt_fn)found[4];
	CHECK_BAIL(vdso_clock_gettime && vdso_gettimeofday && vdso_time && vdso_getcpu && vdso_clock_getres, "all five vDSO functions were found");
}

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int64_t sys_ns(clockid_t c)
{
	struct timespec t = { -1, -1 };
	if (syscall(SYS_clock_gettime, c, &t) != 0)
		return -1;
	return ns_of(&t);
}

static const struct {
	clockid_t id;
	const char *name;
	int64_t slack; /* how far outside the two system-call readings it may be */
} clocks[] = {
	{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC", 0 },
	{ CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW", 0 },
	{ CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE", 0 },
	{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME", 0 },
	{ CLOCK_REALTIME, "CLOCK_REALTIME", 1000000000LL },
	{ CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE", 1000000000LL },
};
#define NCLOCKS (sizeof clocks / sizeof clocks[0])

static void test_clock_gettime(void)
{
	for (size_t i = 0; i < NCLOCKS; i++) {
		struct timespec ts = { -1, -1 };
		int64_t before = sys_ns(clocks[i].id);
		long r = vdso_clock_gettime(clocks[i].id, &ts);
		int64_t after = sys_ns(clocks[i].id);
		int64_t got = ns_of(&ts);
		CHECK(r == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000, "__vdso_clock_gettime(%s) returns 0 and a valid timespec (r %ld)", clocks[i].name, r);
		CHECK(before >= 0 && before - clocks[i].slack <= got && got <= after + clocks[i].slack,
		      "__vdso_clock_gettime(%s) lies between system-call readings (%lld <= %lld <= %lld)",
		      clocks[i].name, (long long)before, (long long)got, (long long)after);
	}

	/* Mixing the two never goes backwards. */
	int backwards = 0;
	int64_t last = sys_ns(CLOCK_MONOTONIC);
	for (int i = 0; i < 2000; i++) {
		struct timespec ts;
		vdso_clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t now = ns_of(&ts);
		if (now < last)
			backwards++;
		last = now;
		now = sys_ns(CLOCK_MONOTONIC);
		if (now < last)
			backwards++;
		last = now;
	}
	CHECK_EQ(backwards, 0, "CLOCK_MONOTONIC from the vDSO and the system call, interleaved 2000 times, never goes backwards");

	/* What the vDSO cannot answer, the system call behind it does. */
	struct timespec cpu = { -1, -1 };
	CHECK_EQ(vdso_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu), 0, "__vdso_clock_gettime(CLOCK_PROCESS_CPUTIME_ID) works");
	CHECK(cpu.tv_sec >= 0 && cpu.tv_nsec >= 0 && cpu.tv_nsec < 1000000000, "and gives a valid timespec");
	CHECK_EQ(vdso_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu), 0, "__vdso_clock_gettime(CLOCK_THREAD_CPUTIME_ID) works");

	for (clockid_t bad = 100; bad <= 12345; bad += 12245) {
		struct timespec ts = { 7, 7 };
		errno = 0;
		long r = vdso_clock_gettime(bad, &ts);
		CHECK(r == -EINVAL && errno == 0, "__vdso_clock_gettime(%d) returns -EINVAL and leaves errno alone (r %ld, errno %d)", bad, r, errno);
		errno = 0;
		r = vdso_clock_getres(bad, &ts);
		CHECK(r == -EINVAL && errno == 0, "__vdso_clock_getres(%d) returns -EINVAL and leaves errno alone (r %ld)", bad, r);
	}
}

static void test_getres(void)
{
	for (size_t i = 0; i < NCLOCKS; i++) {
		struct timespec mine = { -1, -1 }, sys = { -2, -2 };
		long r = vdso_clock_getres(clocks[i].id, &mine);
		syscall(SYS_clock_getres, clocks[i].id, &sys);
		CHECK(r == 0 && mine.tv_sec == sys.tv_sec && mine.tv_nsec == sys.tv_nsec,
		      "__vdso_clock_getres(%s) matches the system call (%ld.%09ld vs %ld.%09ld)",
		      clocks[i].name, (long)mine.tv_sec, mine.tv_nsec, (long)sys.tv_sec, sys.tv_nsec);
	}
	CHECK_EQ(vdso_clock_getres(CLOCK_MONOTONIC, NULL), 0, "__vdso_clock_getres with a NULL result pointer");
	struct timespec mine = { -1, -1 }, sys = { -2, -2 };
	long r = vdso_clock_getres(CLOCK_PROCESS_CPUTIME_ID, &mine);
	syscall(SYS_clock_getres, CLOCK_PROCESS_CPUTIME_ID, &sys);
	CHECK(r == 0 && mine.tv_sec == sys.tv_sec && mine.tv_nsec == sys.tv_nsec, "__vdso_clock_getres(CLOCK_PROCESS_CPUTIME_ID) matches the system call");
}

static void test_gettimeofday_and_time(void)
{
	struct timeval tv = { -1, -1 };
	struct timezone tz = { 12345, 12345 };
	int64_t before = sys_ns(CLOCK_REALTIME);
	long r = vdso_gettimeofday(&tv, &tz);
	int64_t after = sys_ns(CLOCK_REALTIME);
	int64_t us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	CHECK(r == 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000, "__vdso_gettimeofday returns 0 and a valid timeval");
	CHECK(us >= before / 1000 - 1000000 && us <= after / 1000 + 1000000, "__vdso_gettimeofday agrees with CLOCK_REALTIME (%lld us vs %lld..%lld ns)",
	      (long long)us, (long long)before, (long long)after);
	CHECK(tz.tz_minuteswest != 12345 && tz.tz_dsttime != 12345, "__vdso_gettimeofday fills the timezone");
	CHECK_EQ(vdso_gettimeofday(NULL, NULL), 0, "__vdso_gettimeofday(NULL, NULL)");

	time_t stored = -1;
	before = sys_ns(CLOCK_REALTIME);
	long t = vdso_time(&stored);
	after = sys_ns(CLOCK_REALTIME);
	CHECK_EQ(t, stored, "__vdso_time returns what it stores");
	CHECK(t >= before / 1000000000 - 1 && t <= after / 1000000000 + 1, "__vdso_time agrees with CLOCK_REALTIME (%ld)", t);
	t = vdso_time(NULL);
	CHECK(t >= before / 1000000000 - 1 && t <= after / 1000000000 + 2, "__vdso_time(NULL) returns the time");
}

static void test_getcpu(void)
{
	unsigned cpu = 12345, node = 12345;
	cpu_set_t allowed;
	CPU_ZERO(&allowed);
	CHECK_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0, "sched_getaffinity");
	long r = vdso_getcpu(&cpu, &node, NULL);
	/* A CPU this process may run on: on a one-CPU machine, exactly 0. */
	CHECK(r == 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &allowed) && node != 12345,
	      "__vdso_getcpu names a CPU this process may run on, and a node (cpu %u node %u of %d allowed)", cpu, node, CPU_COUNT(&allowed));
	CHECK_EQ(vdso_getcpu(NULL, NULL, NULL), 0, "__vdso_getcpu with NULL pointers");
}

static void test_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	CHECK_BAIL(f != NULL, "open /proc/self/maps");
	char line[512];
	int vdso_at_base = 0, vvar = 0;
	char vdso_perms[5] = "";
	while (fgets(line, sizeof line, f)) {
		unsigned long start, end;
		char perms[5];
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) != 3)
			continue;
		if (strstr(line, "[vdso]") && start == v.base) {
			vdso_at_base = 1;
			memcpy(vdso_perms, perms, sizeof perms);
		}
		if (strstr(line, "[vvar]"))
			vvar = 1;
	}
	fclose(f);
	CHECK(vdso_at_base, "/proc/self/maps has a [vdso] line at AT_SYSINFO_EHDR (%#lx)", (unsigned long)v.base);
	CHECK(strncmp(vdso_perms, "r-x", 3) == 0, "the [vdso] mapping is read+execute (%s)", vdso_perms);
	CHECK(vvar, "/proc/self/maps has a [vvar] line");
}

static void test_fork_and_private_writes(void)
{
	/* The vDSO works in a forked child. */
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts;
		int64_t before = sys_ns(CLOCK_MONOTONIC);
		long r = vdso_clock_gettime(CLOCK_MONOTONIC, &ts);
		_exit(r == 0 && ns_of(&ts) >= before && ns_of(&ts) <= sys_ns(CLOCK_MONOTONIC) ? 0 : 1);
	}
	CHECK_EQ(check_wait(pid), 0, "__vdso_clock_gettime works in a forked child");

	/* A write to the image after mprotect (a debugger's breakpoint) is the
	 * writer's alone: a child forked before it still sees the original. */
	long page = sysconf(_SC_PAGESIZE);
	volatile unsigned char *byte = (unsigned char *)v.base + page - 1;
	unsigned char original = *byte;
	int go[2];
	CHECK_BAIL(pipe(go) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(*byte == original ? 0 : 1);
	}
	close(go[0]);
	/* Linux before 6.15 allows it (the page is copied on write); kernels
	 * that seal their system mappings refuse. */
	int made_writable = mprotect((void *)v.base, page, PROT_READ | PROT_WRITE | PROT_EXEC) == 0;
	int refusal = made_writable ? 0 : errno;
	CHECK(made_writable || refusal == EINVAL || refusal == EPERM || refusal == EACCES,
	      "mprotect of the vDSO's first page either makes it writable or is refused as for a sealed mapping (errno %d)", refusal);
	if (!made_writable)
		DIAG("the vDSO is sealed here; the write checks below are empty");
	if (made_writable)
		*byte = (unsigned char)~original;
	CHECK(!made_writable || *byte == (unsigned char)~original, "a write to it is seen by the writer");
	CHECK_EQ(write(go[1], "x", 1), 1, "tell the child to look");
	close(go[1]);
	CHECK_EQ(check_wait(pid), 0, "a child forked before the write still sees the original byte");
	if (made_writable) {
		*byte = original;
		mprotect((void *)v.base, page, PROT_READ | PROT_EXEC);
	}
	struct timespec ts;
	CHECK_EQ(vdso_clock_gettime(CLOCK_MONOTONIC, &ts), 0, "the vDSO still works after the write was undone");
}

static void test_libc_clock(void)
{
	/* glibc and musl call the vDSO themselves; their answers must agree
	 * with the system call as well. */
	struct timespec ts;
	int64_t before = sys_ns(CLOCK_MONOTONIC);
	int r = clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t after = sys_ns(CLOCK_MONOTONIC);
	CHECK(r == 0 && before <= ns_of(&ts) && ns_of(&ts) <= after, "libc clock_gettime(CLOCK_MONOTONIC) lies between system-call readings");
	CHECK_ERR(clock_gettime((clockid_t)12345, &ts), EINVAL, "libc clock_gettime of an invalid clock sets errno EINVAL");
	struct timeval tv;
	before = sys_ns(CLOCK_REALTIME);
	CHECK_EQ(gettimeofday(&tv, NULL), 0, "libc gettimeofday");
	after = sys_ns(CLOCK_REALTIME);
	int64_t us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	CHECK(us >= before / 1000 - 1000000 && us <= after / 1000 + 1000000, "libc gettimeofday agrees with CLOCK_REALTIME");
	time_t t = time(NULL);
	CHECK(t >= before / 1000000000 - 1 && t <= after / 1000000000 + 2, "libc time agrees with CLOCK_REALTIME");
}

int main(void)
{
	parse_image();
	test_symbols();
	test_clock_gettime();
	test_getres();
	test_gettimeofday_and_time();
	test_getcpu();
	test_maps();
	test_libc_clock();
	test_fork_and_private_writes();
	return check_done();
}
