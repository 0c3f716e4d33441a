/*
 * groups.c - supplementary groups: setgroups and getgroups (the count for
 * size 0, EINVAL for a list too small, sorted as Linux keeps them),
 * inheritance over fork and exec, EPERM for an unprivileged setgroups,
 * the Groups: line of /proc/self/status, and permission checks that
 * count a supplementary group as one of the process's groups. Run as
 * root (the harness does); otherwise only the unprivileged rules are
 * checked.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The raw calls: the C libraries' wrappers differ in what they check. */
static long getgroups_(int size, gid_t *list)
{
	return syscall(SYS_getgroups, size, list);
}

static long setgroups_(int size, const gid_t *list)
{
	return syscall(SYS_setgroups, size, list);
}

/* The Groups: line of /proc/self/status, without "Groups:\t". */
static void status_groups(char *out, size_t len)
{
	char buf[8192];
	out[0] = 0;
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	char *line = strstr(buf, "\nGroups:\t");
	if (!line)
		return;
	line += strlen("\nGroups:\t");
	size_t i = 0;
	while (line[i] && line[i] != '\n' && i + 1 < len) {
		out[i] = line[i];
		i++;
	}
	out[i] = 0;
}

/* Child side of the exec check: prints its groups and exits. */
static int show_groups(void)
{
	gid_t list[16];
	long n = getgroups_(16, list);
	printf("%ld", n);
	for (long i = 0; i < n; i++)
		printf(" %u", (unsigned)list[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--show-groups") == 0)
		return show_groups();

	gid_t list[8];
	CHECK_ERR(getgroups_(-1, list), EINVAL, "getgroups with a negative size");
	if (geteuid() != 0) {
		gid_t one = 1;
		CHECK_ERR(setgroups_(1, &one), EPERM, "setgroups without privilege");
		return check_done();
	}

	gid_t want[] = {300, 100, 200};
	CHECK_EQ(setgroups_(3, want), 0, "setgroups of three");
	CHECK_EQ(getgroups_(0, NULL), 3, "getgroups(0) counts them");
	CHECK_ERR(getgroups_(2, list), EINVAL, "a list too small");
	memset(list, 0, sizeof list);
	CHECK_EQ(getgroups_(8, list), 3, "getgroups fills three");
	CHECK(list[0] == 100 && list[1] == 200 && list[2] == 300, "sorted (got %u %u %u)", list[0], list[1], list[2]);
	char line[256];
	status_groups(line, sizeof line);
	CHECK_STR(line, "100 200 300 ", "/proc/self/status Groups:");

	CHECK_ERR(setgroups_(65537, want), EINVAL, "more than NGROUPS_MAX");
	CHECK_ERR(setgroups_(3, (gid_t *)8), EFAULT, "an unreadable list");
	gid_t bad[] = {5, (gid_t)-1};
	CHECK_ERR(setgroups_(2, bad), EINVAL, "-1 is no group");
	CHECK_EQ(getgroups_(0, NULL), 3, "the failed calls changed nothing");
	int ng = open("/proc/sys/kernel/ngroups_max", O_RDONLY);
	char ngbuf[32] = {0};
	CHECK(ng >= 0 && read(ng, ngbuf, sizeof ngbuf - 1) > 0 && atol(ngbuf) == 65536, "/proc/sys/kernel/ngroups_max is 65536 (got %ld)", atol(ngbuf));
	close(ng);

	/* Inherited over fork ... */
	pid_t pid = fork();
	if (pid == 0) {
		gid_t got[8];
		_exit(getgroups_(8, got) == 3 && got[1] == 200 ? 0 : 1);
	}
	CHECK_EQ(check_wait(pid), 0, "a forked child has the same groups");

	/* ... and exec. */
	int out[2];
	CHECK_BAIL(pipe(out) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execl("/proc/self/exe", argv[0], "--show-groups", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char shown[128] = {0};
	ssize_t n = 0, r;
	while ((r = read(out[0], shown + n, sizeof shown - 1 - (size_t)n)) > 0)
		n += r;
	close(out[0]);
	CHECK_EQ(check_wait(pid), 0, "the exec'd program ran");
	CHECK_STR(shown, "3 100 200 300\n", "an exec'd program keeps the groups");

	/* Permission checks: a file only group 200 may read, in a directory
	 * uid 1000 can reach (not under $TMPDIR, which may be private). */
	char dir[] = "/tmp/groupsXXXXXX";
	CHECK_BAIL(mkdtemp(dir) != NULL, "scratch directory");
	chmod(dir, 0755);
	char file[600];
	snprintf(file, sizeof file, "%s/group-only", dir);
	int fd = open(file, O_CREAT | O_WRONLY, 0640);
	CHECK_BAIL(fd >= 0, "a file");
	CHECK(write(fd, "x", 1) == 1, "written");
	close(fd);
	CHECK(chown(file, 0, 200) == 0 && chmod(file, 0040) == 0, "owned by root:200, mode 0040");
	pid = fork();
	if (pid == 0) {
		/* uid 1000 whose primary group is 1000 and supplementary 200. */
		gid_t g[] = {200};
		if (setgroups_(1, g) != 0 || setgid(1000) != 0 || setuid(1000) != 0)
			_exit(10);
		int rd = open(file, O_RDONLY);
		if (rd < 0)
			_exit(11);
		close(rd);
		if (access(file, R_OK) != 0)
			_exit(12);
		if (open(file, O_WRONLY) != -1 || errno != EACCES)
			_exit(13);
		gid_t none[1];
		if (setgroups_(0, none) != -1 || errno != EPERM)
			_exit(14);
		_exit(0);
	}
	CHECK_EQ(check_wait(pid), 0, "a supplementary group grants the group's read permission (not write)");
	pid = fork();
	if (pid == 0) {
		if (setgroups_(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0)
			_exit(10);
		int rd = open(file, O_RDONLY);
		_exit(rd == -1 && errno == EACCES ? 0 : 11);
	}
	CHECK_EQ(check_wait(pid), 0, "without it: EACCES");

	/* chown to a group the owner is a member of (supplementary). */
	CHECK(chown(file, 1000, 1000) == 0, "give the file to uid 1000");
	pid = fork();
	if (pid == 0) {
		gid_t g[] = {200};
		if (setgroups_(1, g) != 0 || setgid(1000) != 0 || setuid(1000) != 0)
			_exit(10);
		if (chown(file, (uid_t)-1, 200) != 0)
			_exit(11);
		_exit(chown(file, (uid_t)-1, 300) == -1 && errno == EPERM ? 0 : 12);
	}
	CHECK_EQ(check_wait(pid), 0, "the owner may chgrp to a supplementary group only");
	struct stat st;
	CHECK(stat(file, &st) == 0 && st.st_gid == 200, "the file's group is 200");

	CHECK_EQ(setgroups_(0, NULL), 0, "setgroups of none");
	CHECK_EQ(getgroups_(0, NULL), 0, "no groups left");
	status_groups(line, sizeof line);
	CHECK_STR(line, " ", "/proc/self/status Groups: of none");
	check_rm_rf(dir);
	return check_done();
}
