/*
 * proc_sys_files.c - the files glibc, procps and python read: /dev/fd,
 * /dev/stdin and reopening a pipe through /proc/self/fd/N (bash's process
 * substitution), /proc/cpuinfo, meminfo, self/status, self/stat, stat,
 * loadavg, uptime, filesystems, self/cmdline, self/environ, self/mountinfo,
 * /proc/sys/kernel/... and the sysfs CPU lists.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

static char text[65536];

/* Reads a whole file into `text`; returns its length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = 0, r;
	while (n < (long)sizeof text - 1 && (r = read(fd, text + n, sizeof text - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = 0;
	return n;
}

/* The value after "name:" in `text` (status, meminfo, cpuinfo), or NULL. */
static const char *field(const char *name)
{
	size_t len = strlen(name);
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *colon = line + len;
		while (strncmp(line, name, len) == 0 && (*colon == '\t' || *colon == ' '))
			colon++; /* cpuinfo pads names with tabs */
		if (strncmp(line, name, len) == 0 && *colon == ':') {
			const char *v = colon + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			return v;
		}
	}
	return NULL;
}

static long field_num(const char *name)
{
	const char *v = field(name);
	return v ? strtol(v, NULL, 10) : -1;
}

static int count_cpus_in_list(const char *list)
{
	int count = 0;
	const char *p = list;
	while (*p >= '0' && *p <= '9') {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		count += (int)(b - a + 1);
		p = *end == ',' ? end + 1 : end;
	}
	return count;
}

static void test_dev_fd(void)
{
	char link[64] = {0};
	CHECK(readlink("/dev/fd", link, sizeof link - 1) > 0, "/dev/fd is a symlink");
	CHECK_STR(link, "/proc/self/fd", "/dev/fd -> /proc/self/fd");
	memset(link, 0, sizeof link);
	CHECK(readlink("/dev/stdin", link, sizeof link - 1) > 0, "/dev/stdin is a symlink");
	CHECK_STR(link, "/proc/self/fd/0", "/dev/stdin -> /proc/self/fd/0");
	memset(link, 0, sizeof link);
	readlink("/dev/stderr", link, sizeof link - 1);
	CHECK_STR(link, "/proc/self/fd/2", "/dev/stderr -> /proc/self/fd/2");

	int p[2];
	CHECK_BAIL(pipe(p) == 0, "pipe");
	char path[64];
	snprintf(path, sizeof path, "/dev/fd/%d", p[0]);
	int r = open(path, O_RDONLY);
	CHECK(r >= 0 && r != p[0], "open /dev/fd/N of a pipe's read end gives a new descriptor");
	CHECK_EQ(write(p[1], "hi", 2), 2, "write into the pipe");
	char buf[8] = {0};
	CHECK_EQ(read(r, buf, sizeof buf), 2, "read through the reopened end");
	CHECK_STR(buf, "hi", "the same pipe's data");
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	int w = open(path, O_WRONLY);
	CHECK(w >= 0, "open /proc/self/fd/N of the write end for writing");
	CHECK_EQ(write(w, "yo", 2), 2, "write through it");
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read(p[0], buf, sizeof buf), 2, "arrives in the same pipe");
	close(w);
	close(p[1]);
	CHECK_EQ(read(r, buf, sizeof buf), 0, "EOF once every writer is closed");
	close(r);
	close(p[0]);

	/* A child whose stdin and stdout are pipes opens /dev/stdin and
	 * /dev/stdout (with O_TRUNC, as a shell's "> /dev/stdout" does). */
	int in[2], out[2];
	CHECK_BAIL(pipe(in) == 0 && pipe(out) == 0, "pipes");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		int i = open("/dev/stdin", O_RDONLY);
		int o = open("/dev/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		char b[16] = {0};
		long n = i < 0 ? -1 : read(i, b, sizeof b - 1);
		if (o < 0 || n <= 0)
			_exit(1);
		_exit(write(o, b, n) == n ? 0 : 2);
	}
	close(in[0]);
	close(out[1]);
	CHECK_EQ(write(in[1], "ping", 4), 4, "feed the child");
	close(in[1]);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read(out[0], buf, sizeof buf), 4, "the child echoed through /dev/stdin and /dev/stdout");
	CHECK_STR(buf, "ping", "what it read");
	CHECK_EQ(check_wait(pid), 0, "the child opened both");
	close(out[0]);
}

static void test_cpus_and_memory(void)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	CHECK(slurp("/proc/cpuinfo") > 0, "read /proc/cpuinfo");
	int processors = 0;
	for (const char *l = text; (l = strstr(l, "processor\t: ")); l++)
		processors++;
	CHECK_EQ(processors, online, "one processor block per online CPU");
	CHECK(field("vendor_id") && field("model name") && field("cpu MHz") && field("cache size") && field("address sizes"), "vendor_id, model name, cpu MHz, cache size, address sizes");
	const char *flags = field("flags");
	CHECK(flags && strstr(flags, "fpu ") && strstr(flags, " sse2 ") && strstr(flags, " lm "), "flags include fpu, sse2 and lm");
	CHECK(field_num("cpu family") > 0 && field_num("clflush size") == 64, "cpu family and clflush size");
	CHECK(field("bogomips") && strtod(field("bogomips"), NULL) > 0, "bogomips");

	CHECK(slurp("/sys/devices/system/cpu/online") > 0, "read /sys/devices/system/cpu/online");
	CHECK(text[0] == '0', "the online list starts at CPU 0");
	CHECK_EQ(count_cpus_in_list(text), online, "the online list counts the online CPUs");
	CHECK(slurp("/sys/devices/system/cpu/possible") > 0 && count_cpus_in_list(text) >= online, "possible");
	CHECK(slurp("/sys/devices/system/cpu/present") > 0 && count_cpus_in_list(text) >= online, "present");
	struct stat st;
	CHECK(stat("/sys/devices/system/cpu/cpu0", &st) == 0 && S_ISDIR(st.st_mode), "/sys/devices/system/cpu/cpu0 is a directory");
	CHECK(slurp("/sys/kernel/mm/transparent_hugepage/enabled") > 0 && strchr(text, '[') && strstr(text, "never"), "transparent_hugepage/enabled");

	struct sysinfo si;
	CHECK_EQ(sysinfo(&si), 0, "sysinfo");
	CHECK(slurp("/proc/meminfo") > 0, "read /proc/meminfo");
	long total = field_num("MemTotal"), free_ = field_num("MemFree");
	CHECK_EQ(total, (long)(si.totalram * si.mem_unit / 1024), "MemTotal agrees with sysinfo");
	CHECK(free_ > 0 && free_ <= total, "MemFree");
	CHECK(field_num("MemAvailable") >= 0 && field_num("Buffers") >= 0 && field_num("Cached") >= 0, "MemAvailable, Buffers, Cached");
	CHECK(field_num("SwapTotal") >= 0 && field_num("SwapFree") >= 0 && field_num("Shmem") >= 0 && field_num("SReclaimable") >= 0, "SwapTotal, SwapFree, Shmem, SReclaimable");
	CHECK(strncmp(text, "MemTotal:       ", 16) == 0 && strstr(text, " kB\n"), "Linux's layout: name, padding, value, kB");
}

static void on_usr2(int sig)
{
	(void)sig;
}

static void test_self(const char *argv0)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, on_usr2);
	signal(SIGHUP, SIG_IGN);
	CHECK(slurp("/proc/self/status") > 0, "read /proc/self/status");
	CHECK(field("Name") != NULL, "Name");
	CHECK_EQ(field_num("Pid"), getpid(), "Pid");
	CHECK_EQ(field_num("Tgid"), getpid(), "Tgid");
	CHECK_EQ(field_num("PPid"), getppid(), "PPid");
	CHECK(field_num("TracerPid") == 0 && field_num("Ngid") >= 0, "TracerPid and Ngid");
	char want[64];
	snprintf(want, sizeof want, "%d\t%d\t%d\t%d\n", getuid(), geteuid(), getuid(), geteuid());
	CHECK(field("Uid") && strncmp(field("Uid"), want, strlen(want)) == 0, "Uid has four columns");
	CHECK(field("Gid") && field("Groups") && field_num("FDSize") > 0, "Gid, Groups, FDSize");
	CHECK(field_num("VmSize") > 0 && field_num("VmRSS") > 0 && field_num("VmPeak") >= field_num("VmSize"), "VmPeak, VmSize, VmRSS");
	CHECK(field_num("VmData") >= 0 && field_num("VmStk") > 0 && field_num("VmExe") > 0, "VmData, VmStk, VmExe");
	CHECK_EQ(field_num("Threads"), 1, "Threads");
	CHECK(field("SigQ") && field("SigPnd") && field("ShdPnd"), "SigQ, SigPnd, ShdPnd");
	CHECK(field("SigBlk") && strtoull(field("SigBlk"), NULL, 16) & (1ULL << (SIGUSR1 - 1)), "SigBlk shows SIGUSR1 blocked");
	CHECK(field("SigCgt") && strtoull(field("SigCgt"), NULL, 16) & (1ULL << (SIGUSR2 - 1)), "SigCgt shows the SIGUSR2 handler");
	CHECK(field("SigIgn") && strtoull(field("SigIgn"), NULL, 16) & (1ULL << (SIGHUP - 1)), "SigIgn shows SIGHUP ignored");
	CHECK(field("CapInh") && field("CapPrm") && field("CapEff") && field("CapBnd") && field("CapAmb"), "the capability sets");
	CHECK(field_num("NoNewPrivs") == 0 && field_num("Seccomp") == 0, "NoNewPrivs and Seccomp");
	CHECK(field("Cpus_allowed") && field("Cpus_allowed_list") && field("Cpus_allowed_list")[0] == '0', "Cpus_allowed and its list");
	CHECK(field_num("voluntary_ctxt_switches") >= 0 && field_num("nonvoluntary_ctxt_switches") >= 0, "the context-switch counts");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGHUP, SIG_DFL);

	CHECK(slurp("/proc/self/stat") > 0, "read /proc/self/stat");
	const char *after = strrchr(text, ')');
	long f[20] = {0};
	int got = after ? sscanf(after + 2, "%*c %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11]) : 0;
	CHECK_EQ(got, 12, "stat fields 4-15 parse");
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	CHECK(f[6] > 0 && f[6] <= ru.ru_minflt, "stat's minflt (%ld) is counted and within getrusage's (%ld)", f[6], ru.ru_minflt);
	CHECK(f[8] >= 0 && f[8] <= ru.ru_majflt, "stat's majflt agrees with getrusage");
	CHECK(f[0] == getppid(), "stat's ppid");

	long n = slurp("/proc/self/cmdline");
	CHECK(n > 0 && strcmp(text, argv0) == 0, "/proc/self/cmdline starts with argv[0]");
	n = slurp("/proc/self/environ");
	int found = 0;
	for (long i = 0; i < n; i += strlen(text + i) + 1)
		if (strncmp(text + i, "TMPDIR=", 7) == 0)
			found = 1;
	CHECK(found, "/proc/self/environ holds the starting environment (TMPDIR)");
	CHECK(slurp("/proc/self/mountinfo") > 0, "read /proc/self/mountinfo");
	CHECK(strstr(text, " / / ") && strstr(text, " - "), "mountinfo has the root and the separator");
	CHECK(strstr(text, " /proc ") && strstr(text, " - proc "), "mountinfo has /proc");
}

static void test_system(void)
{
	struct utsname u;
	uname(&u);
	CHECK(slurp("/proc/sys/kernel/ostype") > 0 && strcmp(text, "Linux\n") == 0, "kernel/ostype");
	char want[128];
	snprintf(want, sizeof want, "%s\n", u.release);
	CHECK(slurp("/proc/sys/kernel/osrelease") > 0 && strcmp(text, want) == 0, "kernel/osrelease is uname's release");
	snprintf(want, sizeof want, "%s\n", u.nodename);
	CHECK(slurp("/proc/sys/kernel/hostname") > 0 && strcmp(text, want) == 0, "kernel/hostname is uname's nodename");
	CHECK(slurp("/proc/sys/kernel/version") > 0 && slurp("/proc/sys/kernel/domainname") > 0, "kernel/version and domainname");
	CHECK(slurp("/proc/sys/kernel/pid_max") > 0 && atol(text) >= 32768, "kernel/pid_max");
	CHECK(slurp("/proc/sys/kernel/threads-max") > 0 && atol(text) > 0, "kernel/threads-max");
	CHECK(slurp("/proc/sys/kernel/ngroups_max") > 0 && atol(text) >= 65536, "kernel/ngroups_max");
	int last = 0;
	while (prctl(PR_CAPBSET_READ, last + 1) >= 0)
		last++;
	CHECK(slurp("/proc/sys/kernel/cap_last_cap") > 0 && atol(text) == last, "kernel/cap_last_cap agrees with PR_CAPBSET_READ");
	char first[64];
	CHECK(slurp("/proc/sys/kernel/random/boot_id") == 37 && text[8] == '-' && text[14] == '4', "random/boot_id is a version-4 UUID");
	strcpy(first, text);
	CHECK(slurp("/proc/sys/kernel/random/boot_id") == 37 && strcmp(first, text) == 0, "boot_id stays the same");
	slurp("/proc/sys/kernel/random/uuid");
	strcpy(first, text);
	CHECK(slurp("/proc/sys/kernel/random/uuid") == 37 && strcmp(first, text) != 0, "random/uuid is new each time");
	CHECK(slurp("/proc/sys/vm/overcommit_memory") > 0 && text[0] >= '0' && text[0] <= '2', "vm/overcommit_memory");
	CHECK(slurp("/proc/sys/fs/file-max") > 0 && atol(text) > 0, "fs/file-max");

	double a, b, c, up, idle;
	int running, total, last_pid;
	CHECK(slurp("/proc/loadavg") > 0 && sscanf(text, "%lf %lf %lf %d/%d %d", &a, &b, &c, &running, &total, &last_pid) == 6, "loadavg's six fields");
	CHECK(running >= 1 && total >= running, "loadavg's running/total");
	CHECK(slurp("/proc/uptime") > 0 && sscanf(text, "%lf %lf", &up, &idle) == 2 && up > 0, "uptime");
	CHECK(slurp("/proc/stat") > 0 && strncmp(text, "cpu  ", 5) == 0, "stat starts with the cpu line");
	long btime = 0;
	const char *bt = strstr(text, "\nbtime ");
	if (bt)
		btime = atol(bt + 7);
	CHECK(btime > 1000000000, "stat's btime");
	CHECK(strstr(text, "\nprocesses ") && strstr(text, "\nprocs_running "), "stat's processes and procs_running");
	CHECK(strstr(text, "\ncpu0 "), "stat's cpu0 line");
	CHECK(slurp("/proc/filesystems") > 0 && strstr(text, "\tproc\n") && strstr(text, "\tsysfs\n"), "filesystems lists proc and sysfs");
}

int main(int argc, char **argv)
{
	(void)argc;
	test_dev_fd();
	test_cpus_and_memory();
	test_self(argv[0]);
	test_system();
	return check_done();
}
