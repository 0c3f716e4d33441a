/*
 * capabilities.c - capget/capset, the capability sets across uid changes,
 * setfsuid/setfsgid, prctl's bounding, keep-caps and ambient options, the
 * checks that consult capabilities (DAC override, mknod, chroot, setting
 * the clock), and set-user-ID exec (ids, AT_SECURE, capabilities).
 *
 * Runs as root. Every scenario that changes credentials runs in a child,
 * which reports the first step that went wrong as its exit status.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

/* linux/capability.h, which musl does not ship. */
struct __user_cap_header_struct {
	unsigned version;
	int pid;
};
struct __user_cap_data_struct {
	unsigned effective, permitted, inheritable;
};
#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_KILL 5
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_NET_RAW 13
#define CAP_SYS_CHROOT 18
#define CAP_SYS_ADMIN 21
#define CAP_SYS_TIME 25
#define CAP_MKNOD 27
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_IS_SET 1
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_LOWER 3
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#define CAPS(c) (1ULL << (c))

static int capget_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d)
{
	return (int)syscall(SYS_capget, h, d);
}

static int capset_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d)
{
	return (int)syscall(SYS_capset, h, d);
}

/* The three sets as 64-bit masks (version 3); -1 on failure. */
static int get_sets(int pid, unsigned long long *eff, unsigned long long *prm, unsigned long long *inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, pid };
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof d);
	if (capget_(&h, d) != 0)
		return -1;
	*eff = d[0].effective | (unsigned long long)d[1].effective << 32;
	*prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	*inh = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
	return 0;
}

static int set_sets(unsigned long long eff, unsigned long long prm, unsigned long long inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	d[0].effective = (unsigned)eff;
	d[1].effective = (unsigned)(eff >> 32);
	d[0].permitted = (unsigned)prm;
	d[1].permitted = (unsigned)(prm >> 32);
	d[0].inheritable = (unsigned)inh;
	d[1].inheritable = (unsigned)(inh >> 32);
	return capset_(&h, d);
}

/* The hex value of a /proc/self/status line such as "CapEff:". */
static unsigned long long status_hex(const char *key)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return ~0ULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return ~0ULL;
	buf[n] = 0;
	char *at = strstr(buf, key);
	if (!at)
		return ~0ULL;
	return strtoull(at + strlen(key), NULL, 16);
}

/* The fourth (file-system) id of a "Uid:" or "Gid:" status line. */
static long status_fs_id(const char *key)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *at = strstr(buf, key);
	if (!at)
		return -1;
	long a, b, c, d;
	if (sscanf(at + strlen(key), "%ld %ld %ld %ld", &a, &b, &c, &d) != 4)
		return -1;
	return d;
}

/* Runs fn in a child; its exit status (0: every step held). */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 100;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

static char locked_file[300];	/* mode 0000, owned by root */
static char suid_copy[300];	/* this program, set-user-ID to 65534 */
static char scratch_dir[200];
static int scratch_fd = -1;	/* the directory, reached without a path walk */
static int suid_fd = -1;	/* the set-user-ID copy, for exec through /proc/self/fd */

/* Drop one capability from the effective and permitted sets. */
static int drop(int cap)
{
	unsigned long long e, p, i;
	if (get_sets(0, &e, &p, &i) != 0)
		return -1;
	return set_sets(e & ~CAPS(cap), p & ~CAPS(cap), i);
}

static int drop_sys_time(void)
{
	if (drop(CAP_SYS_TIME) != 0)
		return 1;
	unsigned long long e, p, i;
	if (get_sets(0, &e, &p, &i) != 0 || (e & CAPS(CAP_SYS_TIME)) || (p & CAPS(CAP_SYS_TIME)))
		return 2;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	if (settimeofday(&tv, NULL) != -1 || errno != EPERM)
		return 3;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (clock_settime(CLOCK_REALTIME, &ts) != -1 || errno != EPERM)
		return 4;
	/* Gone from permitted: it cannot come back. */
	if (set_sets(e | CAPS(CAP_SYS_TIME), p | CAPS(CAP_SYS_TIME), i) != -1 || errno != EPERM)
		return 5;
	if ((status_hex("CapEff:") & CAPS(CAP_SYS_TIME)) != 0)
		return 6;
	return 0;
}

static int drop_dac(void)
{
	int fd = open(locked_file, O_RDONLY);
	if (fd < 0)
		return 1;
	close(fd);
	unsigned long long e, p, i;
	if (get_sets(0, &e, &p, &i) != 0)
		return 2;
	/* Only from effective: the override is gone, but can come back. */
	if (set_sets(e & ~(CAPS(CAP_DAC_OVERRIDE) | CAPS(CAP_DAC_READ_SEARCH)), p, i) != 0)
		return 3;
	if (open(locked_file, O_RDONLY) != -1 || errno != EACCES)
		return 4;
	if (set_sets(e, p, i) != 0)
		return 5;
	fd = open(locked_file, O_RDONLY);
	if (fd < 0)
		return 6;
	close(fd);
	/* Read-and-search alone opens for reading, not for writing. */
	if (set_sets(e & ~CAPS(CAP_DAC_OVERRIDE), p, i) != 0)
		return 7;
	fd = open(locked_file, O_RDONLY);
	if (fd < 0)
		return 8;
	close(fd);
	if (open(locked_file, O_WRONLY) != -1 || errno != EACCES)
		return 9;
	return 0;
}

static int setuid_drops_everything(void)
{
	if (setuid(65534) != 0)
		return 1;
	unsigned long long e, p, i;
	if (get_sets(0, &e, &p, &i) != 0 || e != 0 || p != 0)
		return 2;
	if (status_hex("CapEff:") != 0 || status_hex("CapPrm:") != 0)
		return 3;
	if (setuid(0) != -1 || errno != EPERM)
		return 4;
	/* Nothing to raise from an empty permitted set. */
	if (set_sets(CAPS(CAP_KILL), CAPS(CAP_KILL), 0) != -1 || errno != EPERM)
		return 5;
	/* reboot checks CAP_SYS_BOOT before anything else. */
	if (syscall(SYS_reboot, 0, 0, 0x89abcdef, NULL) != -1 || errno != EPERM)
		return 6;
	return 0;
}

static int keep_caps(void)
{
	if (prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return 1;
	if (prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0) != -1 || errno != EINVAL)
		return 2;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 || prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 1)
		return 3;
	if (setresuid(65534, 65534, 65534) != 0)
		return 4;
	unsigned long long e, p, i;
	if (get_sets(0, &e, &p, &i) != 0 || e != 0 || !(p & CAPS(CAP_DAC_OVERRIDE)))
		return 5;
	if (open(locked_file, O_RDONLY) != -1 || errno != EACCES)
		return 6;
	/* Effective again from the kept permitted set. */
	if (set_sets(CAPS(CAP_DAC_OVERRIDE), p, i) != 0)
		return 7;
	int fd = open(locked_file, O_RDONLY);
	if (fd < 0)
		return 8;
	close(fd);
	return 0;
}

static int fsuid_follows(void)
{
	/* setfsuid returns the old value and -1 changes nothing. */
	if (setfsuid(-1) != 0)
		return 1;
	if (setfsuid(65534) != 0 || setfsuid(-1) != 65534)
		return 2;
	if (status_fs_id("Uid:") != 65534 || geteuid() != 0)
		return 3;
	/* The file-system capabilities went with fsuid 0... */
	unsigned long long e, p, i;
	if (get_sets(0, &e, &p, &i) != 0 || (e & CAPS(CAP_DAC_OVERRIDE)) || !(e & CAPS(CAP_SETUID)))
		return 4;
	if (open(locked_file, O_RDONLY) != -1 || errno != EACCES)
		return 5;
	/* ... and the file a process creates belongs to its fsuid. */
	int fd = openat(scratch_fd, "by-fsuid", O_CREAT | O_WRONLY | O_EXCL, 0644);
	if (fd < 0)
		return 6;
	struct stat st;
	int owner_ok = fstat(fd, &st) == 0 && st.st_uid == 65534;
	close(fd);
	unlinkat(scratch_fd, "by-fsuid", 0);
	if (!owner_ok)
		return 7;
	if (setfsuid(0) != 65534 || setfsuid(-1) != 0)
		return 8;
	fd = open(locked_file, O_RDONLY);
	if (fd < 0)
		return 9;
	close(fd);
	/* setfsgid likewise. */
	if (setfsgid(65534) != 0 || setfsgid(-1) != 65534 || status_fs_id("Gid:") != 65534)
		return 10;
	/* seteuid moves fsuid with it. */
	if (seteuid(65534) != 0 || setfsuid(-1) != 65534)
		return 11;
	return 0;
}

static int unprivileged_fsuid(void)
{
	if (setuid(65534) != 0)
		return 1;
	/* Not allowed: the old value comes back and nothing changes. */
	if (setfsuid(0) != 65534 || setfsuid(-1) != 65534)
		return 2;
	if (setfsgid(0) != 0 || setfsgid(-1) != 0)
		return 3;
	return 0;
}

static int bounding_and_ambient(void)
{
	if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 1)
		return 1;
	if (prctl(PR_CAPBSET_READ, 999, 0, 0, 0) != -1 || errno != EINVAL)
		return 2;
	if (prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0) != 0 || prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0) != 0)
		return 3;
	if ((status_hex("CapBnd:") & CAPS(CAP_NET_RAW)) != 0)
		return 4;
	/* Ambient needs the capability permitted and inheritable. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0) != -1 || errno != EPERM)
		return 5;
	unsigned long long e, p, i;
	if (get_sets(0, &e, &p, &i) != 0 || set_sets(e, p, i | CAPS(CAP_KILL)) != 0)
		return 6;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0) != 0)
		return 7;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0) != 1 || status_hex("CapAmb:") != CAPS(CAP_KILL))
		return 8;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 || prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0) != 0)
		return 9;
	/* Without CAP_SETPCAP the bounding set stays. */
	if (drop(CAP_SETPCAP) != 0)
		return 10;
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) != -1 || errno != EPERM)
		return 11;
	return 0;
}

static int other_checks(void)
{
	char node[300];
	snprintf(node, sizeof node, "%s/null-again", scratch_dir);
	if (drop(CAP_MKNOD) != 0)
		return 1;
	if (mknod(node, S_IFCHR | 0600, makedev(1, 3)) != -1 || errno != EPERM)
		return 2;
	/* A FIFO needs no capability. */
	if (mknod(node, S_IFIFO | 0600, 0) != 0)
		return 3;
	unlink(node);
	if (drop(CAP_SYS_CHROOT) != 0)
		return 4;
	if (chroot("/") != -1 || errno != EPERM)
		return 5;
	return 0;
}

/* The child side of the set-user-ID exec: report the ids. */
static int report_ids(void)
{
	unsigned long long e, p, i;
	uid_t r, ef, s;
	getresuid(&r, &ef, &s);
	if (get_sets(0, &e, &p, &i) != 0)
		return 1;
	printf("%u %u %u %lu %llx\n", r, ef, s, getauxval(AT_SECURE), e);
	return 0;
}

static int exec_set_user_id(void)
{
	if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0)
		return 90;
	/* The scratch directory's parents may be closed to uid 1000. */
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", suid_fd);
	char *argv[] = { path, "--report-ids", NULL };
	char *envp[] = { NULL };
	execve(path, argv, envp);
	return 91;
}

/* Copies /proc/self/exe to `to`; 0 on success. */
static int copy_self(const char *to)
{
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	return close(out);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--report-ids") == 0)
		return report_ids();
	if (geteuid() != 0) {
		DIAG("capabilities: must run as root");
		return 1;
	}
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(scratch_dir, sizeof scratch_dir, "%s/caps.%d", tmp, (int)getpid());
	CHECK(mkdir(scratch_dir, 0777) == 0 && chmod(scratch_dir, 0777) == 0, "scratch directory %s", scratch_dir);
	scratch_fd = open(scratch_dir, O_RDONLY | O_DIRECTORY);
	snprintf(locked_file, sizeof locked_file, "%s/locked", scratch_dir);
	int fd = open(locked_file, O_CREAT | O_WRONLY, 0);
	CHECK(fd >= 0 && fchmod(fd, 0) == 0, "a mode-0000 file");
	close(fd);

	/* capget: the calling process, its header rules. */
	unsigned long long e, p, i;
	CHECK(get_sets(0, &e, &p, &i) == 0, "capget version 3 of pid 0");
	unsigned long long want = CAPS(CAP_DAC_OVERRIDE) | CAPS(CAP_SETUID) | CAPS(CAP_SYS_ADMIN) | CAPS(CAP_KILL) | CAPS(CAP_SETPCAP);
	CHECK((e & want) == want && e == p, "root's effective set holds DAC_OVERRIDE, SETUID, SYS_ADMIN, KILL, SETPCAP and equals permitted");
	CHECK_EQ((long long)i, 0, "root's inheritable set is empty");
	CHECK(status_hex("CapEff:") == e && status_hex("CapPrm:") == p, "/proc/self/status CapEff/CapPrm match capget");
	unsigned long long e2, p2, i2;
	CHECK(get_sets(getpid(), &e2, &p2, &i2) == 0 && e2 == e, "capget of its own pid");
	struct __user_cap_header_struct h = { 0x1234, 0 };
	struct __user_cap_data_struct d[2];
	CHECK_ERR(capget_(&h, d), EINVAL, "capget with an unknown version");
	CHECK_EQ(h.version, _LINUX_CAPABILITY_VERSION_3, "the kernel writes its preferred version back");
	h.version = _LINUX_CAPABILITY_VERSION_3;
	CHECK_EQ(capget_(&h, NULL), 0, "a version probe with no data");
	h.pid = -1;
	CHECK_ERR(capget_(&h, d), EINVAL, "capget of a negative pid");
	h.pid = 4000000;
	CHECK_ERR(capget_(&h, d), ESRCH, "capget of a pid that does not exist");
	h.pid = 0;
	CHECK_ERR(capget_(&h, (void *)8), EFAULT, "capget into a bad address");
	h.version = _LINUX_CAPABILITY_VERSION_1;
	memset(d, 0xff, sizeof d);
	CHECK(capget_(&h, d) == 0 && d[0].effective == (unsigned)e && d[1].effective == 0xffffffffu, "version 1 fills one data struct only");
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = getpid() == 1 ? 2 : 1;
	CHECK_ERR(capset_(&h, d), EPERM, "capset of another process");
	CHECK_ERR(capset_(&h, (void *)8), EPERM, "capset checks the pid before reading data");

	CHECK_EQ(in_child(drop_sys_time), 0, "dropping CAP_SYS_TIME: settimeofday and clock_settime fail with EPERM; it cannot come back");
	CHECK_EQ(in_child(drop_dac), 0, "dropping CAP_DAC_OVERRIDE/READ_SEARCH from effective: a mode-0000 file is EACCES; read-search alone reads");
	CHECK_EQ(in_child(setuid_drops_everything), 0, "setuid(65534) from root clears permitted and effective; no way back; reboot is EPERM");
	CHECK_EQ(in_child(keep_caps), 0, "PR_SET_KEEPCAPS keeps permitted over setresuid; effective comes back by capset");
	CHECK_EQ(in_child(fsuid_follows), 0, "setfsuid/setfsgid: old value returned, file-system capabilities follow fsuid, new files owned by it");
	CHECK_EQ(in_child(unprivileged_fsuid), 0, "setfsuid/setfsgid unprivileged: refused silently");
	CHECK_EQ(in_child(bounding_and_ambient), 0, "PR_CAPBSET_READ/DROP and PR_CAP_AMBIENT rules");
	CHECK_EQ(in_child(other_checks), 0, "mknod of a device needs CAP_MKNOD, chroot CAP_SYS_CHROOT");

	/* Set-user-ID exec. */
	snprintf(suid_copy, sizeof suid_copy, "%s/suid-copy", scratch_dir);
	CHECK(copy_self(suid_copy) == 0, "copy of the program");
	CHECK(chown(suid_copy, 65534, 65534) == 0 && chmod(suid_copy, 04755) == 0, "made set-user-ID 65534");
	suid_fd = open(suid_copy, O_RDONLY);
	int pipefd[2];
	CHECK(pipe(pipefd) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		_exit(exec_set_user_id());
	}
	close(pipefd[1]);
	char out[128] = { 0 };
	ssize_t n = read(pipefd[0], out, sizeof out - 1);
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(n > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the set-user-ID program ran (status %#x)", status);
	CHECK_STR(out, "1000 65534 65534 1 0\n", "real uid kept, effective and saved uid the owner's, AT_SECURE, no capabilities");

	unlink(suid_copy);
	unlink(locked_file);
	rmdir(scratch_dir);
	return check_done();
}
