/*
 * fd_threads.c - threads of one process use one descriptor table at once:
 * each moves data through its own pipe (a descriptor lookup per read and
 * write) while the others open, dup, dup2 and close descriptors in the
 * same table and one thread forks (which copies the table). Every byte
 * must arrive, every call must succeed, and no descriptor may be left
 * behind. Inside Helctic the table is a capability table: lookups take
 * only its lock while changes take the capability space's tree lock too,
 * so on several CPUs this is their race.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define PIPERS 4
#define ROUNDS 2000
#define CHURNERS 2
#define FORKS 40
#define HIGH_FD 200

static atomic_int failures;
static atomic_int pipers_left = PIPERS;

static void fail(const char *what)
{
	atomic_fetch_add(&failures, 1);
	DIAG("%s failed: %s", what, strerror(errno));
}

static void *piper(void *arg)
{
	int id = (int)(long)arg;
	int p[2];
	if (pipe(p) != 0) {
		fail("pipe");
		atomic_fetch_sub(&pipers_left, 1);
		return NULL;
	}
	for (int i = 0; i < ROUNDS; i++) {
		int v = id * ROUNDS + i, got = -1;
		if (write(p[1], &v, sizeof v) != sizeof v) {
			fail("write");
			break;
		}
		if (read(p[0], &got, sizeof got) != sizeof got || got != v) {
			fail("read");
			break;
		}
	}
	close(p[0]);
	close(p[1]);
	atomic_fetch_sub(&pipers_left, 1);
	return NULL;
}

/* Opens, dups and closes until the pipers are done. */
static void *churner(void *arg)
{
	(void)arg;
	while (atomic_load(&pipers_left) > 0) {
		int a = open("/dev/null", O_RDONLY);
		if (a < 0) {
			fail("open");
			break;
		}
		int b = dup(a);
		int c = fcntl(a, F_DUPFD_CLOEXEC, 50);
		struct stat st;
		if (b < 0 || c < 50 || fstat(b, &st) != 0 || fcntl(c, F_GETFD) != FD_CLOEXEC) {
			fail("dup");
			break;
		}
		if (close(a) || close(b) || close(c)) {
			fail("close");
			break;
		}
	}
	return NULL;
}

/* dup2 onto one high number, over and over, while the others work. */
static void *dupper(void *arg)
{
	(void)arg;
	int src = open("/dev/null", O_WRONLY);
	while (atomic_load(&pipers_left) > 0) {
		if (dup2(src, HIGH_FD) != HIGH_FD || write(HIGH_FD, "x", 1) != 1) {
			fail("dup2");
			break;
		}
	}
	close(HIGH_FD);
	close(src);
	return NULL;
}

/* fork copies the table while it changes; the child checks its copy. */
static void *forker(void *arg)
{
	(void)arg;
	for (int i = 0; i < FORKS && atomic_load(&pipers_left) > 0; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			fail("fork");
			break;
		}
		if (pid == 0) {
			/* Descriptors 0-2 came along and work. */
			struct stat st;
			_exit(fstat(0, &st) == 0 && fstat(1, &st) == 0 && fstat(2, &st) == 0 ? 0 : 1);
		}
		int status = 0;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fail("forked child");
			break;
		}
	}
	return NULL;
}

int main(void)
{
	int before = open("/dev/null", O_RDONLY);
	CHECK(before >= 0, "open /dev/null");
	close(before);

	pthread_t t[PIPERS + CHURNERS + 2];
	int n = 0;
	for (long i = 0; i < PIPERS; i++)
		CHECK_EQ(pthread_create(&t[n++], NULL, piper, (void *)i), 0, "start piper %ld", i);
	for (int i = 0; i < CHURNERS; i++)
		CHECK_EQ(pthread_create(&t[n++], NULL, churner, NULL), 0, "start churner %d", i);
	CHECK_EQ(pthread_create(&t[n++], NULL, dupper, NULL), 0, "start dup2 thread");
	CHECK_EQ(pthread_create(&t[n++], NULL, forker, NULL), 0, "start fork thread");
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);

	CHECK_EQ(atomic_load(&failures), 0, "every pipe round trip, dup, dup2, close and fork succeeded");
	int after = open("/dev/null", O_RDONLY);
	CHECK_EQ(after, before, "no descriptor left behind (the lowest free number is the same)");
	close(after);
	CHECK_ERR(fcntl(HIGH_FD, F_GETFD), EBADF, "the dup2 target is closed");
	return check_done();
}
