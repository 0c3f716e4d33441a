/*
 * file_mappings.c - file mappings and the page cache, with many threads.
 *
 * Works in a directory given as argv[1] (the storage test passes the ext2
 * disk's /mnt, where every page comes from a user-space file server), or
 * a fresh directory under /tmp.
 *
 * Checks: 8 threads reading every page of a 4 MiB private file mapping in
 * different orders while the main thread takes locks, changes its signal
 * mask and makes system calls (a fault that waits for file data must not
 * stall the other threads); a private mapping's write is private
 * (copy-on-write: the file and a second mapping keep the old bytes) while
 * its untouched pages see later write()s, as on Linux; a shared mapping's
 * writes reach read() and survive munmap; bytes past the end of the file
 * in its last page read as zero; a page wholly past the end gives SIGBUS,
 * also after ftruncate shrinks the file; a forked child sees the same
 * bytes; and a copy of this very program, written into the directory and
 * executed from there, runs 8 threads through its own code and data.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define FILE_PAGES 1024 /* 4 MiB */
#define THREADS 8

static char dir[256];

static uint32_t word_at(size_t page, size_t i)
{
	return (uint32_t)(page * 2654435761u) ^ (uint32_t)(i * 40503u);
}

static int make_file(const char *path, size_t pages)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	uint32_t buf[PAGE / 4];
	for (size_t p = 0; p < pages; p++) {
		for (size_t i = 0; i < PAGE / 4; i++)
			buf[i] = word_at(p, i);
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* ---- many threads faulting in one file ---- */

static const uint32_t *shared_map;
static int thread_errors[THREADS];

static void *reader(void *arg)
{
	intptr_t me = (intptr_t)arg;
	/* Each thread walks the pages with its own stride, so they fault
	   different pages at the same time. */
	size_t stride = 2 * (size_t)me + 1;
	for (size_t n = 0; n < FILE_PAGES; n++) {
		size_t p = (n * stride + (size_t)me * 97) % FILE_PAGES;
		const uint32_t *page = shared_map + p * (PAGE / 4);
		for (size_t i = 0; i < PAGE / 4; i += 61)
			if (page[i] != word_at(p, i))
				thread_errors[me]++;
	}
	return NULL;
}

static pthread_mutex_t busy_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int readers_done;

static void test_threads_fault_together(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/threads.bin", dir);
	int fd = make_file(path, FILE_PAGES);
	CHECK(fd >= 0, "create a 4 MiB file in %s", dir);
	if (fd < 0)
		return;
	shared_map = mmap(NULL, FILE_PAGES * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(shared_map != MAP_FAILED, "mmap it MAP_PRIVATE");
	if (shared_map == MAP_FAILED)
		return;
	pthread_t t[THREADS];
	int created = 0;
	for (intptr_t i = 0; i < THREADS; i++)
		created += pthread_create(&t[i], NULL, reader, (void *)i) == 0;
	CHECK_EQ(created, THREADS, "start %d reader threads", THREADS);
	/* Meanwhile: locks, signal masks and plain system calls. */
	long calls = 0;
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (int round = 0; round < 2000; round++) {
		pthread_mutex_lock(&busy_lock);
		sigprocmask(SIG_BLOCK, &set, &old);
		calls += getpid() > 0;
		sigprocmask(SIG_SETMASK, &old, NULL);
		pthread_mutex_unlock(&busy_lock);
	}
	CHECK_EQ(calls, 2000, "the main thread kept making system calls");
	int joined = 0;
	for (int i = 0; i < THREADS; i++)
		joined += pthread_join(t[i], NULL) == 0;
	CHECK_EQ(joined, THREADS, "every reader finished");
	int errors = 0;
	for (int i = 0; i < THREADS; i++)
		errors += thread_errors[i];
	CHECK_EQ(errors, 0, "every thread read the file's bytes through the mapping");
	munmap((void *)shared_map, FILE_PAGES * PAGE);
	close(fd);
	unlink(path);
}

/* ---- private and shared semantics ---- */

static void test_private_and_shared(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/semantics.bin", dir);
	int fd = make_file(path, 4);
	CHECK(fd >= 0, "create a 4-page file");
	if (fd < 0)
		return;
	uint32_t *priv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	uint32_t *other = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	uint32_t *shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(priv != MAP_FAILED && other != MAP_FAILED && shared != MAP_FAILED, "three mappings of one file");
	if (priv == MAP_FAILED || other == MAP_FAILED || shared == MAP_FAILED)
		return;
	CHECK(priv[5] == word_at(0, 5) && other[PAGE / 4 + 7] == word_at(1, 7), "mappings read the file's bytes");

	priv[0] = 0xdeadbeef;
	uint32_t file_word = 0;
	CHECK(pread(fd, &file_word, 4, 0) == 4 && file_word == word_at(0, 0), "a private write does not reach the file");
	CHECK_EQ(other[0], word_at(0, 0), "nor another private mapping");
	CHECK_EQ(shared[0], word_at(0, 0), "nor a shared mapping");
	CHECK_EQ(priv[0], 0xdeadbeef, "the writer sees its own write");

	uint32_t v = 0x12345678;
	CHECK(pwrite(fd, &v, 4, 2 * PAGE) == 4, "pwrite into page 2");
	CHECK_EQ(other[2 * PAGE / 4], 0x12345678, "an untouched private page sees the write (as on Linux)");
	CHECK_EQ(shared[2 * PAGE / 4], 0x12345678, "a shared mapping sees the write");

	shared[3 * PAGE / 4 + 1] = 0xcafef00d;
	CHECK(pread(fd, &file_word, 4, 3 * PAGE + 4) == 4 && file_word == 0xcafef00d, "a shared mapping's write reaches read()");
	CHECK(msync(shared, 4 * PAGE, MS_SYNC) == 0, "msync");
	munmap(shared, 4 * PAGE);
	CHECK(pread(fd, &file_word, 4, 3 * PAGE + 4) == 4 && file_word == 0xcafef00d, "and stays after munmap");

	/* fork: the child sees the parent's private copy and the file. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(priv[0] == 0xdeadbeef && other[2 * PAGE / 4] == 0x12345678 ? 0 : 1);
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a forked child sees the same bytes");
	munmap(priv, 4 * PAGE);
	munmap(other, 4 * PAGE);
	close(fd);
	unlink(path);
}

/* ---- the end of the file ---- */

static sigjmp_buf bus_jump;
static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus_jump, 1);
}

static int touch_gives_sigbus(volatile const char *p)
{
	struct sigaction sa = { .sa_handler = on_bus }, old;
	sigaction(SIGBUS, &sa, &old);
	int got = 0;
	if (sigsetjmp(bus_jump, 1) == 0)
		(void)*p;
	else
		got = 1;
	sigaction(SIGBUS, &old, NULL);
	return got;
}

static void test_end_of_file(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/tail.bin", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "create a short file");
	if (fd < 0)
		return;
	char text[100];
	memset(text, 'x', sizeof text);
	CHECK(write(fd, text, sizeof text) == (ssize_t)sizeof text, "write 100 bytes");
	char *m = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "map 3 pages of a 100-byte file");
	if (m == MAP_FAILED)
		return;
	int zeros = 1;
	for (int i = 100; i < PAGE; i++)
		zeros &= m[i] == 0;
	CHECK(m[99] == 'x' && zeros, "the last page holds the file, then zeros");
	CHECK(touch_gives_sigbus(m + PAGE), "a page wholly past the end gives SIGBUS");
	munmap(m, 3 * PAGE);

	int big = make_file(path, 3);
	CHECK(big >= 0, "refill it to 3 pages");
	if (big < 0)
		return;
	char *s = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, big, 0);
	CHECK(s != MAP_FAILED && s[2 * PAGE] == (char)(word_at(2, 0) & 0xff), "map all 3 pages shared");
	CHECK(ftruncate(big, PAGE + 10) == 0, "ftruncate to 1 page and 10 bytes");
	CHECK(touch_gives_sigbus(s + 2 * PAGE), "the page cut off now gives SIGBUS");
	CHECK(s[PAGE + 9] == (char)(word_at(1, 2) >> 8 & 0xff) && s[PAGE + 10] == 0, "the new last page ends in zeros");
	munmap(s, 3 * PAGE);
	close(big);
	close(fd);
	unlink(path);
}

/* ---- a program run from the directory, with threads ---- */

static volatile uint64_t data_words[16384]; /* 128 KiB of this program's data */

static void *spin_through(void *arg)
{
	intptr_t me = (intptr_t)arg;
	uint64_t sum = 0;
	for (int r = 0; r < 4; r++)
		for (size_t i = (size_t)me; i < 16384; i += THREADS) {
			data_words[i] += (uint64_t)i;
			sum += data_words[i];
		}
	return (void *)(uintptr_t)(sum != 0);
}

static int run_threads_child(void)
{
	pthread_t t[THREADS];
	for (intptr_t i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, spin_through, (void *)i) != 0)
			return 2;
	int ok = 1;
	for (int i = 0; i < THREADS; i++) {
		void *r = NULL;
		ok &= pthread_join(t[i], &r) == 0 && r != NULL;
	}
	for (size_t i = 0; i < 16384; i++)
		ok &= data_words[i] == 4 * (uint64_t)i;
	return ok ? 0 : 3;
}

static void test_run_from_directory(void)
{
	char copy[300];
	snprintf(copy, sizeof copy, "%s/copy_of_test", dir);
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(in >= 0 && out >= 0, "open /proc/self/exe and a copy in %s", dir);
	if (in < 0 || out < 0)
		return;
	char buf[65536];
	ssize_t n;
	int ok = 1;
	while ((n = read(in, buf, sizeof buf)) > 0)
		ok &= write(out, buf, (size_t)n) == n;
	close(in);
	close(out);
	CHECK(ok && n == 0, "copy this program there");
	pid_t pid = fork();
	if (pid == 0) {
		execl(copy, copy, "--threads-child", (char *)NULL);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the copy ran 8 threads through its code and data (status %#x)", st);
	unlink(copy);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--threads-child") == 0)
		return run_threads_child();
	if (argc == 2) {
		snprintf(dir, sizeof dir, "%s", argv[1]);
	} else {
		snprintf(dir, sizeof dir, "/tmp/file_mappings.XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
	}
	test_threads_fault_together();
	test_private_and_shared();
	test_end_of_file();
	test_run_from_directory();
	if (argc != 2)
		rmdir(dir);
	return check_done();
}
