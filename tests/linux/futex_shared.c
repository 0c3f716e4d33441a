/* Futexes in shared memory across processes: a wait in one process is
 * woken by a wake in another, whether the word is in anonymous MAP_SHARED
 * memory inherited over fork or in a file each process maps for itself at
 * its own address (LTP's checkpoints and process-shared pthread objects
 * rely on this). */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef FUTEX_WAIT
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#endif

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* The parent wakes `word` until one waiter was woken (the child may not be
 * waiting yet), at most `tries` times; returns how many were woken. The
 * word stays 0, so the child's wait can only end by this wake. */
static long wake_one(uint32_t *word, int tries)
{
	for (int i = 0; i < tries; i++) {
		long n = futex(word, FUTEX_WAKE, 1);
		if (n != 0)
			return n;
		usleep(1000);
	}
	return 0;
}

/* The child waits on the word (0); exits 0 once a wake ended the wait. */
static void child_waits(uint32_t *word)
{
	long r;
	do
		r = futex(word, FUTEX_WAIT, 0);
	while (r != 0 && errno == EINTR);
	_exit(r == 0 ? 0 : 2);
}

int main(void)
{
	/* Anonymous shared memory, inherited over fork. */
	uint32_t *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK_BAIL(anon != MAP_FAILED, "mmap anonymous shared");
	pid_t pid = fork();
	if (pid == 0)
		child_waits(anon + 5);
	CHECK_EQ(wake_one(anon + 5, 10000), 1, "a wake in the parent woke the child's wait (anonymous MAP_SHARED)");
	CHECK_EQ(check_wait(pid), 0, "the child's wait ended by that wake");

	/* A file, mapped by each process at its own address. */
	char path[] = "/tmp/futex-shared-XXXXXX";
	int fd = mkstemp(path);
	CHECK_BAIL(fd >= 0, "make a file");
	CHECK_EQ(ftruncate(fd, 8192), 0, "size it");
	pid = fork();
	if (pid == 0) {
		/* A mapping of its own, with a hole first so that it lands at
		 * an address other than the parent's. */
		void *hole = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		(void)hole;
		uint32_t *mine = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (mine == MAP_FAILED)
			_exit(3);
		child_waits(mine + 1024 + 3);
	}
	uint32_t *ours = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_BAIL(ours != MAP_FAILED, "map the file in the parent");
	CHECK_EQ(wake_one(ours + 1024 + 3, 10000), 1, "a wake through one mapping woke a wait through another (file MAP_SHARED)");
	CHECK_EQ(check_wait(pid), 0, "the child's wait ended by that wake");

	/* Private memory stays private: a word at the same address in a
	 * forked child is another word. */
	uint32_t *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_BAIL(priv != MAP_FAILED, "mmap private");
	int ready[2];
	CHECK_EQ(pipe(ready), 0, "pipe");
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		write(ready[1], "w", 1);
		struct timespec t = {0, 200 * 1000 * 1000};
		long r = syscall(SYS_futex, priv, FUTEX_WAIT, 0, &t, NULL, 0);
		_exit(r == -1 && errno == ETIMEDOUT ? 0 : 4);
	}
	close(ready[1]);
	char c;
	CHECK_EQ(read(ready[0], &c, 1), 1, "the child is about to wait");
	long woken = 0;
	for (int i = 0; i < 50; i++) {
		woken += futex(priv, FUTEX_WAKE, 1);
		usleep(1000);
	}
	CHECK_EQ(woken, 0, "a wake on private memory never reaches another process");
	CHECK_EQ(check_wait(pid), 0, "the child's wait timed out instead");

	unlink(path);
	return check_done();
}
