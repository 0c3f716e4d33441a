/*
 * stress.c - 16 threads at once, each hammering one part of the kernel for
 * a fixed count: futex ping-pong pairs, pipe round trips to a forked
 * child, mmap/touch/munmap, and fork/exit/wait. Every count must come out
 * exact, every byte must arrive intact, and (inside Helctic) the free
 * memory must come back to where it started once the threads are done:
 * what a leak, a lost wake-up or a race between CPUs would break first.
 *
 * Runs the same on one CPU and on several; on several it is the SMP test.
 */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#ifndef FUTEX_WAIT_PRIVATE
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#endif

#define PAIRS 3       /* futex ping-pong pairs: 6 threads */
#define PIPERS 4      /* threads doing pipe round trips with a child */
#define MAPPERS 3     /* mmap/munmap threads */
#define FORKERS 3     /* fork/exit/wait threads */
#define ROUNDS 300    /* per futex pair and pipe thread */
#define MAPS 150      /* per mapper */
#define FORKS 40      /* per forker */

static long futex(atomic_int *word, int op, int val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* A ping-pong pair: `turn` says whose move it is (0 or 1); each side
 * waits for its turn, bumps the count and hands the turn over. */
struct pair {
	atomic_int turn;
	long moves[2];
};

struct side {
	struct pair *pair;
	int me;
};

static void *ping_pong(void *arg)
{
	struct side *s = arg;
	for (int i = 0; i < ROUNDS; i++) {
		while (atomic_load(&s->pair->turn) != s->me)
			futex(&s->pair->turn, FUTEX_WAIT_PRIVATE, 1 - s->me);
		s->pair->moves[s->me]++;
		atomic_store(&s->pair->turn, 1 - s->me);
		futex(&s->pair->turn, FUTEX_WAKE_PRIVATE, 1);
	}
	return NULL;
}

/* A pipe round trip: a forked child echoes each 8-byte value plus one. */
static void *piper(void *arg)
{
	long *ok = arg;
	int to[2], from[2];
	if (pipe(to) != 0 || pipe(from) != 0)
		return NULL;
	pid_t pid = fork();
	if (pid == 0) {
		/* Exactly ROUNDS echoes, not "until EOF": the other pipe
		 * threads' children, forked meanwhile, hold copies of this
		 * pipe's write end, so EOF may never come. */
		close(to[1]);
		close(from[0]);
		for (int i = 0; i < ROUNDS; i++) {
			uint64_t v;
			if (read(to[0], &v, sizeof v) != sizeof v)
				_exit(3);
			v++;
			if (write(from[1], &v, sizeof v) != sizeof v)
				_exit(2);
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	for (uint64_t i = 0; i < ROUNDS; i++) {
		uint64_t v = i * 1000003u, back = 0;
		if (write(to[1], &v, sizeof v) != sizeof v || read(from[0], &back, sizeof back) != sizeof back)
			break;
		if (back == v + 1)
			(*ok)++;
	}
	close(to[1]);
	close(from[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		*ok = -1;
	return NULL;
}

/* Map 64 KiB, write a pattern to every page, check it, unmap. */
static void *mapper(void *arg)
{
	long *ok = arg;
	for (int i = 0; i < MAPS; i++) {
		size_t len = 64 * 1024;
		unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			continue;
		for (size_t o = 0; o < len; o += 4096)
			p[o] = (unsigned char)(i + o / 4096);
		int good = 1;
		for (size_t o = 0; o < len; o += 4096)
			good &= p[o] == (unsigned char)(i + o / 4096);
		if (munmap(p, len) == 0 && good)
			(*ok)++;
	}
	return NULL;
}

/* fork; the child exits with a status derived from the round; wait. */
static void *forker(void *arg)
{
	long *ok = arg;
	for (int i = 0; i < FORKS; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(i % 100);
		int st = 0;
		if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == i % 100)
			(*ok)++;
	}
	return NULL;
}

/* MemFree from /proc/meminfo, in KiB (-1 if unreadable). */
static long mem_free_kib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	char line[128];
	long v = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "MemFree: %ld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int inside_helctic(void)
{
	struct utsname u;
	return uname(&u) == 0 && strstr(u.release, "helctic") != NULL;
}

static void run_all(long *pipe_ok, long *map_ok, long *fork_ok, struct pair *pairs)
{
	pthread_t threads[2 * PAIRS + PIPERS + MAPPERS + FORKERS];
	struct side sides[2 * PAIRS];
	int n = 0;
	for (int i = 0; i < PAIRS; i++) {
		atomic_store(&pairs[i].turn, 0);
		pairs[i].moves[0] = pairs[i].moves[1] = 0;
		for (int s = 0; s < 2; s++) {
			sides[2 * i + s] = (struct side){&pairs[i], s};
			pthread_create(&threads[n++], NULL, ping_pong, &sides[2 * i + s]);
		}
	}
	for (int i = 0; i < PIPERS; i++)
		pthread_create(&threads[n++], NULL, piper, &pipe_ok[i]);
	for (int i = 0; i < MAPPERS; i++)
		pthread_create(&threads[n++], NULL, mapper, &map_ok[i]);
	for (int i = 0; i < FORKERS; i++)
		pthread_create(&threads[n++], NULL, forker, &fork_ok[i]);
	for (int i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
}

int main(void)
{
	long free_before = mem_free_kib();
	static long pipe_ok[PIPERS], map_ok[MAPPERS], fork_ok[FORKERS];
	static struct pair pairs[PAIRS];
	/* Twice: the first round brings in what stays (thread stacks the
	 * allocator keeps, page tables of the heap); the second must not grow. */
	for (int round = 0; round < 2; round++) {
		memset(pipe_ok, 0, sizeof pipe_ok);
		memset(map_ok, 0, sizeof map_ok);
		memset(fork_ok, 0, sizeof fork_ok);
		if (round == 1)
			free_before = mem_free_kib();
		run_all(pipe_ok, map_ok, fork_ok, pairs);
	}
	for (int i = 0; i < PAIRS; i++)
		CHECK(pairs[i].moves[0] == ROUNDS && pairs[i].moves[1] == ROUNDS, "futex pair %d: %d moves each (got %ld and %ld)", i, ROUNDS, pairs[i].moves[0], pairs[i].moves[1]);
	for (int i = 0; i < PIPERS; i++)
		CHECK_EQ(pipe_ok[i], ROUNDS, "pipe thread %d: every round trip came back intact", i);
	for (int i = 0; i < MAPPERS; i++)
		CHECK_EQ(map_ok[i], MAPS, "mapper %d: every mapping held its pattern and unmapped", i);
	for (int i = 0; i < FORKERS; i++)
		CHECK_EQ(fork_ok[i], FORKS, "forker %d: every child reaped with its status", i);
	long free_after = mem_free_kib();
	/* Inside Helctic nothing else runs: the second round's memory must
	 * come back (a little slack for the kernel heap's bookkeeping). The
	 * host's free memory moves with everything else it runs, so there
	 * only a loss far beyond what the rounds could use counts. */
	long slack = inside_helctic() ? 256 : 256 * 1024;
	CHECK(free_before > 0 && free_after >= free_before - slack, "free memory came back (before %ld KiB, after %ld KiB, slack %ld)", free_before, free_after, slack);
	return check_done();
}
