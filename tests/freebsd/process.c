/*
 * process.c - FreeBSD process, resource and sysctl calls: fork (rdx),
 * vfork, execve, wait4 and its status word, kill with FreeBSD's signal
 * numbers, process groups and sessions, rlimits, getrusage, getrandom,
 * gettimeofday and __sysctl (by number, name2oid, name, and its size
 * and error rules).
 *
 * Every expected value comes from FreeBSD's headers and man pages
 * (sys/sys/wait.h, signal.h, resource.h, sysctl.h, random.h,
 * kern_sysctl.c), not from what Helctic returns.
 */
#include "bsd.h"

/* Calls bsd.h does not list (sys/kern/syscalls.master). */
enum {
	SYS_getpgrp = 81, SYS_setpgid = 82, SYS_getrusage = 117, SYS_setsid = 147,
	SYS_getpgid = 207, SYS_getsid = 310, SYS___sysctlbyname = 570,
};

/* sys/sys/wait.h */
enum { WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 4 };
/* sys/sys/signal.h: FreeBSD numbers (Linux's differ for all but KILL, TERM). */
enum { SIGKILL = 9, SIGTERM = 15, SIGSTOP = 17, SIGCONT = 19, SIGUSR1 = 30 };
/* sys/sys/resource.h */
enum { RLIMIT_NOFILE = 8, RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1 };
#define RLIM_INFINITY 0x7fffffffffffffffL

struct timespec { long tv_sec, tv_nsec; };
struct timeval { long tv_sec, tv_usec; };
struct rlimit { long rlim_cur, rlim_max; };
struct rusage {
	struct timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
		ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

/* fork, with rdx preset to a value neither side should see. */
static long fork2(long *rdx)
{
	unsigned long ret;
	unsigned char carry;
	long d = 0x55;
	__asm__ volatile("syscall\n\tsetc %1"
			 : "=a"(ret), "=r"(carry), "+d"(d)
			 : "a"((long)SYS_fork)
			 : "rcx", "r11", "rdi", "rsi", "r8", "r9", "r10", "memory", "cc");
	*rdx = d;
	return carry ? -(long)ret : (long)ret;
}

/*
 * vfork whose child exits with `code` at once, all in one asm block: the
 * child runs on the parent's stack and must not return or call.
 */
static long vfork_exit(long code, long *rdx)
{
	unsigned long ret;
	unsigned char carry;
	long d = 0x55;
	__asm__ volatile("syscall\n\t"
			 "setc %1\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov %4, %%rdi\n\t"
			 "mov $1, %%eax\n\t"
			 "syscall\n"
			 "1:"
			 : "=&a"(ret), "=&r"(carry), "+&d"(d)
			 : "0"((long)SYS_vfork), "r"(code)
			 : "rcx", "r11", "rdi", "rsi", "r8", "r9", "r10", "memory", "cc");
	*rdx = d;
	return carry ? -(long)ret : (long)ret;
}

static void sleep_forever(void)
{
	struct timespec ts = { 1, 0 };
	for (;;)
		sys2(SYS_nanosleep, &ts, 0);
}

static long sysctl(int *mib, unsigned n, void *old, size_t *oldlen, const void *new, size_t newlen)
{
	return sys6(SYS___sysctl, mib, n, old, oldlen, new, newlen);
}

/* name2oid: {0,3} with the name as the new value. Returns the count. */
static long name2oid(const char *name, int *oid)
{
	int q[2] = { 0, 3 };
	size_t len = 24 * sizeof(int);
	long r = sysctl(q, 2, oid, &len, name, bsd_strlen(name));
	return r < 0 ? r : (long)(len / sizeof(int));
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = bsd_strlen(s), b = bsd_strlen(tail);
	return a >= b && bsd_streq(s + a - b, tail);
}

static const char *base_name(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

static void test_fork_and_wait(void)
{
	long rdx = -1, status = -1;
	struct rusage ru;
	long pid = fork2(&rdx);
	if (pid == 0)
		sys1(SYS_exit, rdx == 1 ? 7 : 99); /* the child: rax 0, rdx 1 */
	CHECK(pid > 0, "fork returns the child's pid in the parent");
	CHECK_EQ(rdx, 0, "fork leaves rdx 0 in the parent");
	memset(&ru, 0xff, sizeof ru);
	int st = -1;
	CHECK_EQ(sys4(SYS_wait4, pid, &st, 0, &ru), pid, "wait4 returns the child");
	status = st;
	CHECK_EQ(status, 7 << 8, "the child saw rdx 1 and its exit(7) is 7<<8");
	CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000,
	      "wait4 fills a struct rusage");
	CHECK(ru.ru_ixrss == 0 && ru.ru_nswap == 0, "rusage's unkept counters are 0");
}

static void test_killed(int sig, const char *what)
{
	long rdx;
	int st = -1;
	long pid = fork2(&rdx);
	if (pid == 0)
		sleep_forever();
	CHECK_EQ(sys2(SYS_kill, pid, sig), 0, "kill a child");
	CHECK_EQ(sys4(SYS_wait4, pid, &st, 0, 0), pid, "wait4 reaps it");
	CHECK_EQ(st, sig, what);
}

static void test_wnohang_stop_continue(void)
{
	long rdx;
	int st = 12345;
	long pid = fork2(&rdx);
	if (pid == 0)
		sleep_forever();
	CHECK_EQ(sys4(SYS_wait4, pid, &st, WNOHANG, 0), 0, "WNOHANG with a live child returns 0");
	CHECK_EQ(st, 12345, "and leaves the status alone");
	CHECK_EQ(sys2(SYS_kill, pid, SIGSTOP), 0, "kill SIGSTOP (17)");
	CHECK_EQ(sys4(SYS_wait4, pid, &st, WUNTRACED, 0), pid, "WUNTRACED sees the stop");
	CHECK_EQ(st, SIGSTOP << 8 | 0177, "stopped: 17<<8 | 0177");
	CHECK_EQ(sys2(SYS_kill, pid, SIGCONT), 0, "kill SIGCONT (19)");
	CHECK_EQ(sys4(SYS_wait4, pid, &st, WCONTINUED, 0), pid, "WCONTINUED sees it continue");
	CHECK_EQ(st, 0x13, "continued: 0x13");
	CHECK_EQ(sys2(SYS_kill, pid, SIGKILL), 0, "kill SIGKILL");
	CHECK_EQ(sys4(SYS_wait4, -1, &st, 0, 0), pid, "wait4(-1) reaps it");
	CHECK_EQ(st, SIGKILL, "killed: 9");
	CHECK_EQ(sys4(SYS_wait4, -1, &st, 0, 0), -ECHILD, "no children: ECHILD (10)");
	CHECK_EQ(sys4(SYS_wait4, -1, &st, WNOHANG, 0), -ECHILD, "no children with WNOHANG: ECHILD");
	CHECK_EQ(sys4(SYS_wait4, -1, &st, 64, 0), -EINVAL, "an unknown wait4 option is EINVAL");
}

static void test_vfork(void)
{
	long rdx = -1;
	int st = -1;
	long pid = vfork_exit(5, &rdx);
	CHECK(pid > 0, "vfork returns the child's pid");
	CHECK_EQ(rdx, 0, "vfork leaves rdx 0 in the parent");
	CHECK_EQ(sys4(SYS_wait4, pid, &st, 0, 0), pid, "wait4 reaps the vfork child");
	CHECK_EQ(st, 5 << 8, "the vfork child's exit(5)");
}

static void test_exec(char **argv, char **envp)
{
	long rdx;
	int st = -1;
	char *args[] = { argv[0], "child", 0 };
	char *env[] = { "HELCTIC_FB=exec", 0 };
	long pid = fork2(&rdx);
	(void)envp;
	if (pid == 0) {
		sys3(SYS_execve, argv[0], args, env);
		sys1(SYS_exit, 100);
	}
	CHECK_EQ(sys4(SYS_wait4, pid, &st, 0, 0), pid, "wait4 reaps the exec'd child");
	CHECK_EQ(st, 42 << 8, "execve runs the program with argv[1] \"child\" and the new environment");
	CHECK_EQ(sys3(SYS_execve, "/nonexistent/program", args, env), -ENOENT, "execve of a missing path: ENOENT");
}

static void test_groups(void)
{
	long rdx;
	int st = -1;
	long me = sys0(SYS_getpid);
	long pgrp = sys0(SYS_getpgrp);
	CHECK(pgrp > 0, "getpgrp");
	CHECK_EQ(sys1(SYS_getpgid, 0), pgrp, "getpgid(0) is getpgrp()");
	CHECK_EQ(sys1(SYS_getpgid, me), pgrp, "getpgid(getpid())");
	CHECK(sys1(SYS_getsid, 0) > 0, "getsid(0)");
	CHECK_EQ(sys2(SYS_setpgid, 0, -1), -EINVAL, "setpgid to a negative group: EINVAL");
	long pid = fork2(&rdx);
	if (pid == 0) {
		long self = sys0(SYS_getpid);
		int ok = sys0(SYS_setsid) == self && sys0(SYS_getpgrp) == self && sys1(SYS_getsid, 0) == self &&
			 sys0(SYS_setsid) == -EPERM;
		sys1(SYS_exit, ok ? 0 : 1);
	}
	CHECK_EQ(sys4(SYS_wait4, pid, &st, 0, 0), pid, "reap the setsid child");
	CHECK_EQ(st, 0, "setsid in a child: a new session and group it leads; again EPERM");
	CHECK_EQ(sys2(SYS_kill, me, 0), 0, "kill(self, 0) checks only");
	CHECK_EQ(sys2(SYS_kill, me, 129), -EINVAL, "kill with signal 129: EINVAL");
}

static void test_limits(void)
{
	struct rlimit rl = { -5, -5 }, back;
	struct rusage ru;
	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_NOFILE, &rl), 0, "getrlimit(RLIMIT_NOFILE)");
	CHECK(rl.rlim_cur >= 0 && rl.rlim_max >= 0 && rl.rlim_cur <= rl.rlim_max, "soft <= hard");
	struct rlimit lower = { 64, rl.rlim_max };
	CHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &lower), 0, "setrlimit lowers the soft limit");
	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_NOFILE, &back), 0, "getrlimit again");
	CHECK_EQ(back.rlim_cur, 64, "the lowered soft limit reads back");
	CHECK_EQ(back.rlim_max, rl.rlim_max, "the hard limit stays");
	CHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &rl), 0, "setrlimit restores it");
	CHECK_EQ(sys2(SYS_getrlimit, 16, &back), -EINVAL, "getrlimit past RLIM_NLIMITS: EINVAL");
	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_SELF, &ru), 0, "getrusage(RUSAGE_SELF)");
	CHECK(ru.ru_utime.tv_usec < 1000000 && ru.ru_maxrss >= 0, "a sane struct rusage");
	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_CHILDREN, &ru), 0, "getrusage(RUSAGE_CHILDREN)");
	CHECK_EQ(sys2(SYS_getrusage, 5, &ru), -EINVAL, "getrusage(5): EINVAL");
}

static void test_random_and_time(void)
{
	unsigned char buf[32];
	struct timeval tv = { -1, -1 };
	int nonzero = 0;
	memset(buf, 0, sizeof buf);
	CHECK_EQ(sys3(SYS_getrandom, buf, sizeof buf, 0), 32, "getrandom fills 32 bytes");
	for (int i = 0; i < 32; i++)
		nonzero |= buf[i];
	CHECK(nonzero, "and they are not all zero");
	CHECK_EQ(sys3(SYS_getrandom, buf, 8, 1 | 2 | 4), 8, "GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE are accepted");
	CHECK_EQ(sys3(SYS_getrandom, buf, 8, 8), -EINVAL, "an unknown getrandom flag: EINVAL");
	CHECK_EQ(sys2(SYS_gettimeofday, &tv, 0), 0, "gettimeofday");
	CHECK(tv.tv_sec > 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000, "a sane timeval");
}

static void test_sysctl(char **argv)
{
	char buf[256];
	int oid[24];
	int v = -1;
	size_t len;
	int ostype[2] = { 1, 1 };

	len = sizeof buf;
	CHECK_EQ(sysctl(ostype, 2, buf, &len, 0, 0), 0, "kern.ostype");
	CHECK(bsd_streq(buf, "FreeBSD"), "kern.ostype is \"FreeBSD\"");
	CHECK_EQ(len, 8, "with its NUL");

	len = 0;
	CHECK_EQ(sysctl(ostype, 2, 0, &len, 0, 0), 0, "a null old buffer asks for the size");
	CHECK_EQ(len, 8, "the size needed");

	memset(buf, 0, sizeof buf);
	len = 3;
	CHECK_EQ(sysctl(ostype, 2, buf, &len, 0, 0), -ENOMEM, "a short buffer: ENOMEM (12)");
	CHECK(len == 3 && buf[0] == 'F' && buf[2] == 'e' && buf[3] == 0, "what fits is copied");

	len = sizeof buf;
	CHECK_EQ(sysctl(ostype, 2, buf, &len, "x", 1), -EPERM, "writing a read-only node: EPERM");
	CHECK_EQ(sysctl(ostype, 1, buf, &len, 0, 0), -EINVAL, "a name of one number: EINVAL");
	CHECK_EQ(sysctl(oid, 25, buf, &len, 0, 0), -EINVAL, "a name of 25 numbers: EINVAL");

	int pagesize[2] = { 6, 7 }, ncpu[2] = { 6, 3 }, osreldate[2] = { 1, 24 };
	len = sizeof v;
	CHECK_EQ(sysctl(pagesize, 2, &v, &len, 0, 0), 0, "hw.pagesize");
	CHECK_EQ(v, 4096, "hw.pagesize is 4096");
	int cpus = -1;
	len = sizeof cpus;
	CHECK_EQ(sysctl(ncpu, 2, &cpus, &len, 0, 0), 0, "hw.ncpu");
	CHECK(cpus >= 1, "hw.ncpu >= 1");
	len = sizeof v;
	CHECK_EQ(sysctl(osreldate, 2, &v, &len, 0, 0), 0, "kern.osreldate");
	CHECK_EQ(v, 1400097, "kern.osreldate is 1400097");

	long n = name2oid("kern.smp.maxcpus", oid);
	CHECK_EQ(n, 3, "name2oid(kern.smp.maxcpus) gives three numbers");
	CHECK(oid[0] == 1, "under kern");
	len = sizeof v;
	v = -1;
	CHECK_EQ(sysctl(oid, (unsigned)n, &v, &len, 0, 0), 0, "kern.smp.maxcpus by its OID");
	CHECK(v >= cpus, "kern.smp.maxcpus >= hw.ncpu");
	CHECK_EQ(name2oid("kern.nosuchthing", oid), -ENOENT, "name2oid of an unknown name: ENOENT");
	int unknown[2] = { 1, 9999 };
	len = sizeof buf;
	CHECK_EQ(sysctl(unknown, 2, buf, &len, 0, 0), -ENOENT, "an unknown OID: ENOENT");

	CHECK_EQ(name2oid("hw.machine", oid), 2, "name2oid(hw.machine)");
	len = sizeof buf;
	CHECK(sysctl(oid, 2, buf, &len, 0, 0) == 0 && bsd_streq(buf, "amd64"), "hw.machine is amd64");

	unsigned char rnd[16];
	memset(rnd, 0, sizeof rnd);
	int arandom[2] = { 1, 37 };
	len = sizeof rnd;
	CHECK_EQ(sysctl(arandom, 2, rnd, &len, 0, 0), 0, "kern.arandom");
	int any = 0;
	for (int i = 0; i < 16; i++)
		any |= rnd[i];
	CHECK(len == 16 && any, "kern.arandom fills 16 random bytes");

	int pathname[4] = { 1, 14, 12, -1 };
	len = sizeof buf;
	memset(buf, 0, sizeof buf);
	CHECK_EQ(sysctl(pathname, 4, buf, &len, 0, 0), 0, "kern.proc.pathname.-1");
	CHECK(buf[0] == '/' && ends_with(buf, base_name(argv[0])), "kern.proc.pathname ends with the program's name");
	CHECK_EQ(len, bsd_strlen(buf) + 1, "with its NUL");

	int name[6] = { 0, 1, 1, 14, 12, -1 };
	len = sizeof buf;
	CHECK_EQ(sysctl(name, 6, buf, &len, 0, 0), 0, "{0,1}: the name of an OID");
	CHECK(bsd_streq(buf, "kern.proc.pathname.-1"), "is kern.proc.pathname.-1");

	len = sizeof buf;
	CHECK_EQ(sys6(SYS___sysctlbyname, "kern.ostype", 11, buf, &len, 0, 0), 0, "__sysctlbyname(kern.ostype)");
	CHECK(len == 8 && bsd_streq(buf, "FreeBSD"), "gives \"FreeBSD\"");
	memset(buf, 0, sizeof buf);
	len = 2;
	CHECK_EQ(sys6(SYS___sysctlbyname, "kern.ostype", 11, buf, &len, 0, 0), -ENOMEM,
		 "__sysctlbyname with a short buffer: ENOMEM");
	CHECK(len == 2 && buf[0] == 'F' && buf[1] == 'r', "what fits is copied");
	CHECK_EQ(sys6(SYS___sysctlbyname, "kern.ostype", 0, buf, &len, 0, 0), -EINVAL,
		 "__sysctlbyname with an empty name: EINVAL");

	int boottime[2] = { 1, 21 };
	struct timeval bt = { -1, -1 }, now;
	len = sizeof bt;
	sys2(SYS_gettimeofday, &now, 0);
	CHECK_EQ(sysctl(boottime, 2, &bt, &len, 0, 0), 0, "kern.boottime");
	CHECK(len == 16 && bt.tv_sec > 0 && bt.tv_sec <= now.tv_sec && bt.tv_usec < 1000000, "a timeval before now");
}

int test_main(int argc, char **argv, char **envp)
{
	if (argc > 1 && bsd_streq(argv[1], "child"))
		return envp[0] && bsd_streq(envp[0], "HELCTIC_FB=exec") && !envp[1] ? 42 : 43;
	test_fork_and_wait();
	test_killed(SIGTERM, "killed by SIGTERM: status 15");
	test_killed(SIGUSR1, "killed by SIGUSR1: status 30, FreeBSD's number");
	test_wnohang_stop_continue();
	test_vfork();
	test_exec(argv, envp);
	test_groups();
	test_limits();
	test_random_and_time();
	test_sysctl(argv);
	return check_done();
}
