/*
 * priority.c - nice values: getpriority/setpriority for a process, a
 * process group and a user; the raw call's 20 - nice encoding; clamping
 * to -20..19; an unprivileged process may raise its nice value but not
 * lower it (EACCES) nor touch another user's process (EPERM); ESRCH and
 * EINVAL; fork inherits; /proc/<pid>/stat's priority and nice fields.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* glibc and musl turn the raw 20 - nice back into nice; errno tells. */
static int nice_of(int which, int who)
{
	errno = 0;
	return getpriority(which, who);
}

/* Fields 18 (priority) and 19 (nice) of /proc/<pid>/stat. */
static int stat_fields(pid_t pid, long *prio, long *nice)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2; /* field 3 */
	for (int field = 3; field < 18; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	return sscanf(p, "%ld %ld", prio, nice) == 2 ? 0 : -1;
}

int main(void)
{
	int base = nice_of(PRIO_PROCESS, 0);
	CHECK(errno == 0, "getpriority of itself (nice %d)", base);
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 20 - base, "the raw call returns 20 - nice");
	CHECK_EQ(nice_of(PRIO_PROCESS, getpid()), base, "by pid");

	/* Raising (to a higher nice value) is always allowed. */
	CHECK_EQ(setpriority(PRIO_PROCESS, 0, base + 1), 0, "raise to %d", base + 1);
	CHECK_EQ(nice_of(PRIO_PROCESS, 0), base + 1, "getpriority sees it");
	long prio = -1, ni = -1;
	CHECK(stat_fields(getpid(), &prio, &ni) == 0 && ni == base + 1 && prio == 20 + base + 1, "/proc/self/stat priority %ld nice %ld", prio, ni);

	/* Clamping. */
	CHECK_EQ(setpriority(PRIO_PROCESS, 0, 100), 0, "setpriority 100");
	CHECK_EQ(nice_of(PRIO_PROCESS, 0), 19, "is clamped to 19");
	CHECK(stat_fields(getpid(), &prio, &ni) == 0 && ni == 19 && prio == 39, "/proc/self/stat priority %ld nice %ld", prio, ni);

	/* A forked child inherits it. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(nice_of(PRIO_PROCESS, 0) == 19 && errno == 0 ? 0 : 1);
	CHECK_EQ(check_wait(pid), 0, "fork inherits the nice value");

	/* Errors. */
	CHECK_ERR(getpriority(PRIO_PROCESS, 0x7ffffff0), ESRCH, "no such process");
	CHECK_ERR(setpriority(PRIO_PROCESS, 0x7ffffff0, 1), ESRCH, "setpriority: no such process");
	CHECK_ERR(syscall(SYS_getpriority, 3, 0), EINVAL, "an unknown which");
	CHECK_ERR(syscall(SYS_setpriority, -1, 0, 0), EINVAL, "setpriority: an unknown which");

	if (geteuid() == 0) {
		/* Root may lower it again, down to -20. */
		CHECK_EQ(setpriority(PRIO_PROCESS, 0, -100), 0, "root: setpriority -100");
		CHECK_EQ(nice_of(PRIO_PROCESS, 0), -20, "is clamped to -20");
		CHECK_EQ(setpriority(PRIO_PROCESS, 0, base), 0, "and back to %d", base);

		/* A process group: a child in its own group, set through the group. */
		int ready[2];
		CHECK_BAIL(pipe(ready) == 0, "pipe");
		pid = fork();
		if (pid == 0) {
			setpgid(0, 0);
			char c;
			close(ready[1]);
			if (read(ready[0], &c, 1) != 1)
				_exit(2);
			_exit(nice_of(PRIO_PROCESS, 0) == 7 ? 0 : 1);
		}
		close(ready[0]);
		setpgid(pid, pid);
		CHECK_EQ(setpriority(PRIO_PGRP, pid, 7), 0, "setpriority of a process group");
		CHECK_EQ(nice_of(PRIO_PGRP, pid), 7, "getpriority of the group");
		CHECK_EQ(nice_of(PRIO_PROCESS, pid), 7, "the member has it");
		CHECK(write(ready[1], "x", 1) == 1, "go");
		close(ready[1]);
		CHECK_EQ(check_wait(pid), 0, "the child saw nice 7 itself");

		/* A user's processes: the lowest nice value among them. */
		int sync[2], up[2];
		CHECK_BAIL(pipe(sync) == 0 && pipe(up) == 0, "pipes");
		pid = fork();
		if (pid == 0) {
			close(sync[1]);
			close(up[0]);
			if (setuid(4321) != 0)
				_exit(3);
			char c = 'r';
			if (write(up[1], &c, 1) != 1 || read(sync[0], &c, 1) != 1)
				_exit(2);
			/* Unprivileged now: lowering is EACCES, raising fine. */
			int now = nice_of(PRIO_PROCESS, 0);
			if (now != 5)
				_exit(4);
			if (setpriority(PRIO_PROCESS, 0, 4) != -1 || errno != EACCES)
				_exit(5);
			if (setpriority(PRIO_PROCESS, 0, 6) != 0 || nice_of(PRIO_PROCESS, 0) != 6)
				_exit(6);
			/* Another user's process (the parent, root): EPERM. */
			if (setpriority(PRIO_PROCESS, getppid(), 10) != -1 || errno != EPERM)
				_exit(7);
			_exit(0);
		}
		close(sync[0]);
		close(up[1]);
		char c;
		CHECK(read(up[0], &c, 1) == 1, "the child runs as uid 4321");
		close(up[0]);
		CHECK_EQ(setpriority(PRIO_USER, 4321, 5), 0, "setpriority of a user's processes");
		CHECK_EQ(nice_of(PRIO_USER, 4321), 5, "getpriority of the user");
		CHECK(write(sync[1], "x", 1) == 1, "go");
		close(sync[1]);
		CHECK_EQ(check_wait(pid), 0, "unprivileged: EACCES to lower, raising fine, EPERM for another user's process");
		CHECK_ERR(getpriority(PRIO_USER, 4321), ESRCH, "no process of that user left");
	} else {
		CHECK_ERR(setpriority(PRIO_PROCESS, 0, base), EACCES, "lowering without privilege");
	}
	return check_done();
}
