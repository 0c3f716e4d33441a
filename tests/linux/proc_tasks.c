/*
 * proc_tasks.c - /proc/<pid>/task/<tid>/ (a directory per thread, with
 * its own stat, status and comm: the thread's name, id and state), a
 * /proc/<pid> directory that names one process even after its pid comes
 * round again (fresh inode, pidfd_send_signal ESRCH), /proc/self/mounts
 * being the mount table, and /proc/sys/kernel/{tainted,ns_last_pid,printk}.
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int release[2];
static volatile pid_t worker_tid;

static void *worker(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "helctic-worker");
	worker_tid = (pid_t)syscall(SYS_gettid);
	char c;
	/* Blocked here until the main thread has looked. */
	if (read(release[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

/* The state letter of a stat line ("tid (comm) S ..."). */
static char stat_state(const char *stat)
{
	const char *p = strrchr(stat, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void test_task_directories(void)
{
	CHECK_EQ(pipe(release), 0, "pipe");
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, worker, NULL), 0, "pthread_create");
	char path[128], buf[4096];
	/* Wait until the worker named itself and is blocked in read. */
	for (int i = 0; i < 2000; i++) {
		if (worker_tid != 0) {
			snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)worker_tid);
			if (read_text(path, buf, sizeof buf) > 0 && stat_state(buf) == 'S')
				break;
		}
		usleep(1000);
	}
	pid_t me = getpid();
	DIR *d = opendir("/proc/self/task");
	CHECK(d != NULL, "opendir /proc/self/task");
	int saw_main = 0, saw_worker = 0, others = 0;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			int tid = atoi(e->d_name);
			if (tid == me)
				saw_main = 1;
			else if (tid == worker_tid)
				saw_worker = 1;
			else
				others++;
			if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
				others += 100;
		}
		closedir(d);
	}
	CHECK(saw_main && saw_worker && others == 0, "it lists the two threads as directories (main %d worker %d others %d)", saw_main,
	      saw_worker, others);
	snprintf(path, sizeof path, "/proc/%d/task/%d/comm", (int)me, (int)worker_tid);
	CHECK(read_text(path, buf, sizeof buf) > 0 && strcmp(buf, "helctic-worker\n") == 0, "the worker's comm is its PR_SET_NAME name (%s)", buf);
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)worker_tid);
	CHECK(read_text(path, buf, sizeof buf) > 0, "read the worker's stat");
	CHECK(atoi(buf) == worker_tid, "it starts with the thread id (%d)", atoi(buf));
	CHECK(strstr(buf, "(helctic-worker)") != NULL, "and the thread's name");
	CHECK_EQ(stat_state(buf), 'S', "the blocked worker is sleeping");
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)me);
	CHECK(read_text(path, buf, sizeof buf) > 0 && stat_state(buf) == 'R', "the main thread, reading, is running");
	snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)worker_tid);
	char want[64];
	snprintf(want, sizeof want, "\nPid:\t%d\n", (int)worker_tid);
	CHECK(read_text(path, buf, sizeof buf) > 0 && strstr(buf, want) != NULL, "its status shows the thread id as Pid");
	snprintf(want, sizeof want, "\nTgid:\t%d\n", (int)me);
	CHECK(strstr(buf, want) != NULL, "and the process id as Tgid");
	CHECK(strncmp(buf, "Name:\thelctic-worker\n", 21) == 0, "and the thread's name");
	CHECK_ERR(open("/proc/self/task/999999/stat", O_RDONLY), ENOENT, "a thread that does not exist");
	struct stat st;
	CHECK(stat("/proc/self/task/.", &st) == 0 && S_ISDIR(st.st_mode), "task is a directory");
	if (write(release[1], "x", 1) != 1)
		DIAG("release write failed");
	pthread_join(t, NULL);
	close(release[0]);
	close(release[1]);
}

/* A /proc/<pid> directory opened while its process lived names that
 * process only. */
static void test_reused_pid(void)
{
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/%d", (int)child);
	int dir = open(path, O_DIRECTORY | O_RDONLY);
	CHECK(dir >= 0, "open /proc/<child>");
	struct stat before;
	CHECK_EQ(fstat(dir, &before), 0, "fstat it");
	CHECK_EQ(syscall(SYS_pidfd_send_signal, dir, 0, NULL, 0), 0, "signal 0 through it while the child lives");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	CHECK_ERR(syscall(SYS_pidfd_send_signal, dir, 0, NULL, 0), ESRCH, "ESRCH once the child was reaped");
	/* Bring the same pid round again through ns_last_pid (needs root). */
	char last[32];
	snprintf(last, sizeof last, "%d", (int)child - 1);
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	int again = -1;
	if (fd >= 0) {
		CHECK_EQ(write(fd, last, strlen(last)), (long long)strlen(last), "write ns_last_pid");
		close(fd);
		again = fork();
		if (again == 0) {
			pause();
			_exit(0);
		}
		CHECK_EQ(again, child, "the next child gets the pid after ns_last_pid");
		if (again == child) {
			struct stat now;
			CHECK_EQ(stat(path, &now), 0, "/proc/<pid> exists again");
			CHECK((unsigned int)now.st_ino != (unsigned int)before.st_ino, "with another inode number (in its low 32 bits)");
			CHECK_ERR(syscall(SYS_pidfd_send_signal, dir, SIGKILL, NULL, 0), ESRCH, "the old directory does not reach the new process");
		}
		kill(again, SIGKILL);
		waitpid(again, NULL, 0);
	} else {
		CHECK(errno == EACCES || errno == EPERM, "ns_last_pid is writable only by root");
	}
	close(dir);
}

static void test_files(void)
{
	char buf[4096];
	CHECK(read_text("/proc/self/mounts", buf, sizeof buf) > 0, "read /proc/self/mounts");
	CHECK(strstr(buf, " proc ") != NULL, "it is the mount table (lists proc)");
	CHECK(strstr(buf, "Size:") == NULL, "not the memory map (smaps)");
	CHECK(read_text("/proc/sys/kernel/tainted", buf, sizeof buf) > 0 && strcmp(buf, "0\n") == 0, "the kernel is not tainted (%s)", buf);
	int level[4] = { 0 };
	CHECK(read_text("/proc/sys/kernel/printk", buf, sizeof buf) > 0 &&
		      sscanf(buf, "%d %d %d %d", &level[0], &level[1], &level[2], &level[3]) == 4,
	      "printk has four levels");
	CHECK(read_text("/proc/sys/kernel/ns_last_pid", buf, sizeof buf) > 0 && atoi(buf) > 0, "ns_last_pid reads the last pid (%s)", buf);
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	CHECK(read_text("/proc/sys/kernel/ns_last_pid", buf, sizeof buf) > 0 && atoi(buf) >= child, "ns_last_pid follows a fork (%d >= %d)",
	      atoi(buf), (int)child);
}

int main(void)
{
	test_task_directories();
	test_reused_pid();
	test_files();
	return check_done();
}
