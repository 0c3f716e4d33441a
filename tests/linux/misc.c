/*
 * misc.c - assorted process-information calls.
 *
 * uname (sysname "Linux", machine "x86_64", other fields non-empty,
 * nodename == gethostname), getrandom (fills the buffer, differs between
 * calls, GRND_NONBLOCK) and /dev/urandom, /dev/null, /dev/zero,
 * getrlimit/setrlimit/prlimit64 on RLIMIT_NOFILE (with sysconf
 * _SC_OPEN_MAX agreeing), getuid/geteuid/getgid/getegid/getresuid/
 * getresgid/getgroups, umask round trip, sysinfo, sched_getaffinity,
 * /proc/self/exe matching argv[0] (via realpath), prctl PR_SET_NAME/
 * PR_GET_NAME and /proc/self/comm, and arch_prctl(ARCH_GET_FS) pointing
 * at the thread control block.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#define K_ARCH_GET_FS 0x1003

static void test_uname(void)
{
	struct utsname u;
	memset(&u, 0, sizeof u);
	CHECK_EQ(uname(&u), 0, "uname");
	CHECK_STR(u.sysname, "Linux", "uname sysname is Linux");
	CHECK_STR(u.machine, "x86_64", "uname machine is x86_64");
	CHECK(u.nodename[0] != 0, "uname nodename non-empty");
	CHECK(u.release[0] != 0, "uname release non-empty (%s)", u.release);
	CHECK(u.version[0] != 0, "uname version non-empty");
	int maj = 0, min = 0;
	CHECK(sscanf(u.release, "%d.%d", &maj, &min) == 2 && maj >= 3,
	      "release looks like a Linux version >= 3 (%s)", u.release);
	char host[256] = {0};
	CHECK_EQ(gethostname(host, sizeof host), 0, "gethostname");
	CHECK_STR(host, u.nodename, "gethostname equals uname nodename");
}

static int all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void test_random_devices(void)
{
	unsigned char a[64], b[64];
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	CHECK_EQ(getrandom(a, sizeof a, 0), 64, "getrandom 64 bytes");
	CHECK(!all_zero(a, sizeof a), "getrandom filled the buffer (not all zero)");
	CHECK_EQ(getrandom(b, sizeof b, GRND_NONBLOCK), 64, "getrandom GRND_NONBLOCK");
	CHECK(memcmp(a, b, sizeof a) != 0, "two getrandom results differ");
	CHECK_EQ(getrandom(a, 0, 0), 0, "getrandom of 0 bytes returns 0");
	CHECK_ERR(getrandom(a, 8, 0x1000), EINVAL, "getrandom with unknown flags is EINVAL");
	static unsigned char big[100000];
	CHECK_EQ(getrandom(big, sizeof big, 0), (long long)sizeof big, "getrandom 100000 bytes in one call");
	int counts[256] = {0};
	for (size_t i = 0; i < sizeof big; i++)
		counts[big[i]]++;
	int lo = counts[0], hi = counts[0];
	for (int i = 1; i < 256; i++) {
		if (counts[i] < lo)
			lo = counts[i];
		if (counts[i] > hi)
			hi = counts[i];
	}
	CHECK(lo > 200 && hi < 700, "getrandom bytes look uniform (byte counts %d..%d, expect ~390)", lo, hi);

	int fd = open("/dev/urandom", O_RDONLY);
	CHECK(fd >= 0, "open /dev/urandom");
	memset(a, 0, sizeof a);
	CHECK_EQ(read(fd, a, sizeof a), 64, "read 64 bytes from /dev/urandom");
	CHECK(!all_zero(a, sizeof a), "/dev/urandom bytes not all zero");
	close(fd);

	fd = open("/dev/zero", O_RDONLY);
	memset(a, 0xff, sizeof a);
	CHECK(fd >= 0 && read(fd, a, sizeof a) == 64 && all_zero(a, sizeof a), "/dev/zero reads zeros");
	close(fd);
	fd = open("/dev/null", O_RDWR);
	CHECK_EQ(write(fd, a, sizeof a), 64, "/dev/null swallows writes");
	CHECK_EQ(read(fd, a, sizeof a), 0, "/dev/null reads EOF");
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode), "/dev/null is a character device");
	close(fd);
}

static void test_rlimits(void)
{
	struct rlimit rl, orig;
	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &orig), 0, "getrlimit RLIMIT_NOFILE");
	CHECK(orig.rlim_cur <= orig.rlim_max, "soft limit <= hard limit");
	CHECK(orig.rlim_cur >= 64, "soft NOFILE limit is at least 64 (%llu)", (unsigned long long)orig.rlim_cur);
	CHECK_EQ(sysconf(_SC_OPEN_MAX), (long long)orig.rlim_cur, "sysconf(_SC_OPEN_MAX) equals the soft limit");

	rl = orig;
	rl.rlim_cur = 64;
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0, "setrlimit soft NOFILE to 64");
	struct rlimit now;
	getrlimit(RLIMIT_NOFILE, &now);
	CHECK(now.rlim_cur == 64 && now.rlim_max == orig.rlim_max, "getrlimit reads back 64 and the same hard limit");

	/* raw prlimit64: read, then set and get the old value in one call */
	struct {
		unsigned long long cur, max;
	} k_old, k_new;
	CHECK_EQ(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &k_old), 0, "prlimit64 get");
	CHECK(k_old.cur == 64 && k_old.max == (unsigned long long)orig.rlim_max, "prlimit64 sees the same limits");
	k_new.cur = 100;
	k_new.max = k_old.max;
	CHECK_EQ(syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, &k_new, &k_old), 0, "prlimit64 set (own pid)");
	CHECK_EQ(k_old.cur, 64, "prlimit64 returned the previous soft limit");
	getrlimit(RLIMIT_NOFILE, &now);
	CHECK_EQ(now.rlim_cur, 100, "prlimit64 set the new soft limit");
	CHECK_EQ(prlimit(0, RLIMIT_NOFILE, NULL, &now), 0, "prlimit() wrapper");

	rl.rlim_cur = orig.rlim_max;
	rl.rlim_max = orig.rlim_max;
	if (orig.rlim_max != RLIM_INFINITY) {
		struct rlimit bad = {orig.rlim_max + 1, orig.rlim_max};
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &bad), EINVAL, "soft limit above hard limit is EINVAL");
	}
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &orig), 0, "restore the original NOFILE limits");

	CHECK_EQ(getrlimit(RLIMIT_STACK, &rl), 0, "getrlimit RLIMIT_STACK");
	CHECK(rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 1 << 20, "stack limit at least 1 MiB");
	CHECK_ERR(getrlimit(1000, &rl), EINVAL, "getrlimit of an unknown resource is EINVAL");
}

static void test_ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	CHECK_EQ(getresuid(&r, &e, &s), 0, "getresuid");
	CHECK(r == getuid() && e == geteuid(), "getresuid agrees with getuid/geteuid");
	CHECK_EQ(getresgid(&gr, &ge, &gs), 0, "getresgid");
	CHECK(gr == getgid() && ge == getegid(), "getresgid agrees with getgid/getegid");
	CHECK_EQ(s, e, "saved uid equals effective uid for a plain exec");
	CHECK(getgroups(0, NULL) >= 0, "getgroups(0, NULL) returns a count");
	if (geteuid() == 0) {
		CHECK_EQ(setresuid(-1, -1, -1), 0, "setresuid(-1,-1,-1) is a no-op");
		CHECK_EQ(getuid(), r, "uid unchanged");
	}
}

static void test_umask(void)
{
	mode_t a = umask(027);
	mode_t b = umask(a);
	CHECK_EQ(b, 027, "umask returns the previous mask");
	CHECK_EQ(umask(a), a, "umask restored");
	CHECK_EQ(umask(0777 | 07000) & 07777, a, "umask round trip again");
	CHECK_EQ(umask(a), 0777, "umask keeps only the permission bits");
}

static void test_sysinfo(void)
{
	struct sysinfo si;
	memset(&si, 0, sizeof si);
	CHECK_EQ(sysinfo(&si), 0, "sysinfo");
	/* uptime is long in glibc, unsigned long in musl */
	long long up = (long long)si.uptime;
	CHECK(up >= 0 && up < 100LL * 365 * 86400, "uptime >= 0 and sane (%lld s)", up);
	CHECK(si.totalram > 0, "totalram > 0");
	CHECK(si.mem_unit >= 1, "mem_unit >= 1");
	CHECK(si.freeram <= si.totalram, "freeram <= totalram");
	CHECK(si.procs >= 1, "at least one process (%u)", (unsigned)si.procs);
	CHECK((unsigned long long)si.totalram * si.mem_unit >= 16ULL << 20, "at least 16 MiB of RAM reported");

	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK_EQ(sched_getaffinity(0, sizeof set, &set), 0, "sched_getaffinity");
	CHECK(CPU_COUNT(&set) >= 1, "at least one CPU in the affinity mask");
	CHECK_EQ(sched_yield(), 0, "sched_yield");
}

static void test_proc_self(const char *argv0)
{
	char exe[PATH_MAX + 1], want[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	CHECK(n > 0, "readlink /proc/self/exe");
	if (n > 0)
		exe[n] = 0;
	else
		exe[0] = 0;
	CHECK(exe[0] == '/', "/proc/self/exe is an absolute path (%s)", exe);
	if (strchr(argv0, '/')) {
		CHECK(realpath(argv0, want) != NULL, "realpath(argv[0])");
		CHECK_STR(exe, want, "/proc/self/exe matches realpath(argv[0])");
	} else {
		const char *base = strrchr(exe, '/');
		CHECK_STR(base ? base + 1 : exe, argv0, "/proc/self/exe basename matches argv[0]");
	}
	struct stat a, b;
	CHECK(stat("/proc/self/exe", &a) == 0 && stat(exe, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev,
	      "/proc/self/exe and its target are the same file");

	char name[32] = {0};
	CHECK_EQ(prctl(PR_SET_NAME, "helctic-misc", 0, 0, 0), 0, "prctl PR_SET_NAME");
	CHECK_EQ(prctl(PR_GET_NAME, name, 0, 0, 0), 0, "prctl PR_GET_NAME");
	CHECK_STR(name, "helctic-misc", "PR_GET_NAME returns the new name");
	prctl(PR_SET_NAME, "a-name-longer-than-fifteen-chars", 0, 0, 0);
	memset(name, 0, sizeof name);
	prctl(PR_GET_NAME, name, 0, 0, 0);
	CHECK_STR(name, "a-name-longer-t", "names are truncated to 15 bytes");
	int fd = open("/proc/self/comm", O_RDONLY);
	CHECK(fd >= 0, "open /proc/self/comm");
	char comm[64] = {0};
	if (fd >= 0) {
		read(fd, comm, sizeof comm - 1);
		close(fd);
	}
	CHECK_STR(comm, "a-name-longer-t\n", "/proc/self/comm shows the PR_SET_NAME name");
}

static void test_tls_register(void)
{
	unsigned long fs = 0;
	CHECK_EQ(syscall(SYS_arch_prctl, K_ARCH_GET_FS, &fs), 0, "arch_prctl ARCH_GET_FS");
	CHECK_EQ(fs, (unsigned long)pthread_self(), "FS base is the thread pointer (pthread_self)");
	unsigned long selfptr;
	__asm__("movq %%fs:0, %0" : "=r"(selfptr));
	CHECK_EQ(selfptr, fs, "%%fs:0 holds the TCB self-pointer");
}

int main(int argc, char **argv)
{
	(void)argc;
	test_uname();
	test_random_devices();
	test_rlimits();
	test_ids();
	test_umask();
	test_sysinfo();
	test_proc_self(argv[0]);
	test_tls_register();
	return check_done();
}
