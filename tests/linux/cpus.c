/*
 * cpus.c - what a program is told about the CPUs, and whether it holds:
 * the online count agrees everywhere it is published (sysconf, the
 * affinity mask, /proc/cpuinfo, /sys/devices/system/cpu/online); a thread
 * pinned to a CPU runs there and nowhere else (getcpu through the vDSO
 * and the system call, /proc/self/stat's processor field); one thread per
 * CPU, each pinned to its own, all run at once (each spins until all have
 * arrived, which on fewer CPUs than threads could only end by preemption,
 * and each saw only its own CPU); and a thread moved by another's
 * sched_setaffinity ends up where it was sent.
 *
 * The number of checks does not depend on the number of CPUs: it passes
 * the same on one CPU and on several, natively and inside Helctic.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>

#define MAX_THREADS 16
#define SPINS 2000

static int getcpu_syscall(void)
{
	unsigned cpu = 99999, node = 99999;
	if (syscall(SYS_getcpu, &cpu, &node, NULL) != 0)
		return -1;
	return (int)cpu;
}

static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf + total, size - 1 - (size_t)total);
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = 0;
	return total;
}

/* user + system ticks of cpuN in /proc/stat, or -1. */
static long long stat_cpu_busy(int cpu)
{
	static char buf[1 << 14];
	if (read_file("/proc/stat", buf, sizeof buf) <= 0)
		return -1;
	char name[16];
	int len = snprintf(name, sizeof name, "cpu%d ", cpu);
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, name, (size_t)len) == 0) {
			long long user, nice, system;
			if (sscanf(line + len, "%lld %lld %lld", &user, &nice, &system) != 3)
				return -1;
			return user + nice + system;
		}
	}
	return -1;
}

/* Spins until the calling thread has used `ms` of CPU time. */
static void spin_cpu_ms(long ms)
{
	struct timespec start, now;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	do {
		for (volatile int i = 0; i < 10000; i++)
			;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
}

/* Field 39 of /proc/self/task/TID/stat: the CPU the thread last ran on. */
static int stat_processor(void)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/self/task/%ld/stat", (long)syscall(SYS_gettid));
	if (read_file(path, buf, sizeof buf) <= 0)
		return -1;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2; /* field 3 */
	for (int field = 3; field < 39; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	return atoi(p);
}

static int pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set);
}

/* The CPUs in the mask, in order. */
static int cpus_of(const cpu_set_t *set, int *out, int max)
{
	int n = 0;
	for (int c = 0; c < CPU_SETSIZE && n < max; c++)
		if (CPU_ISSET(c, set))
			out[n++] = c;
	return n;
}

struct runner {
	pthread_t thread;
	int cpu;
	int pinned_ok;
	int wrong_cpu; /* a getcpu that named another CPU, or -1 */
};

static atomic_int arrived;
static int runners;

static void *run_pinned(void *arg)
{
	struct runner *r = arg;
	r->wrong_cpu = -1;
	r->pinned_ok = pin(r->cpu) == 0;
	atomic_fetch_add(&arrived, 1);
	/* Wait for every other runner, spinning: with each on a CPU of its
	 * own they all run at once. sched_yield keeps it finite where they do
	 * not (it does not count against the check: the CPU is checked). */
	while (atomic_load(&arrived) < runners)
		sched_yield();
	for (int i = 0; i < SPINS; i++) {
		int c = sched_getcpu();
		if (c != r->cpu) {
			r->wrong_cpu = c;
			break;
		}
		if (i % 100 == 0)
			sched_yield();
	}
	return NULL;
}

static atomic_int mover_cpu = -1;
static atomic_int mover_stop;

static void *run_mover(void *arg)
{
	atomic_int *tid = arg;
	atomic_store(tid, (int)syscall(SYS_gettid));
	while (!atomic_load(&mover_stop)) {
		atomic_store(&mover_cpu, sched_getcpu());
		sched_yield();
	}
	return NULL;
}

int main(void)
{
	cpu_set_t original;
	CPU_ZERO(&original);
	CHECK_EQ(sched_getaffinity(0, sizeof original, &original), 0, "sched_getaffinity");
	int cpus[CPU_SETSIZE];
	int allowed = cpus_of(&original, cpus, CPU_SETSIZE);
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	DIAG("%ld CPUs online, %d allowed", online, allowed);
	CHECK(allowed >= 1 && allowed <= online, "the affinity mask names online CPUs (%d of %ld)", allowed, online);

	/* /proc/cpuinfo has one "processor" block per online CPU. */
	static char info[1 << 16];
	long len = read_file("/proc/cpuinfo", info, sizeof info);
	int blocks = 0;
	for (char *p = info; len > 0 && (p = strstr(p, "processor\t:")); p++)
		blocks++;
	CHECK_EQ(blocks, online, "/proc/cpuinfo: a processor block per online CPU");

	/* /sys/devices/system/cpu/online: "0" or "0-N". */
	char range[64];
	long n = read_file("/sys/devices/system/cpu/online", range, sizeof range);
	int last = -1;
	if (n > 0)
		last = strchr(range, '-') ? atoi(strchr(range, '-') + 1) : atoi(range);
	CHECK_EQ(last + 1, online, "/sys/devices/system/cpu/online (%.*s)", (int)(n > 0 ? n - 1 : 0), range);

	/* Pinned to each allowed CPU in turn, the thread runs there. */
	int pin_fail = -1, where_fail = -1, stat_fail = -1, vdso_fail = -1;
	for (int i = 0; i < allowed; i++) {
		int c = cpus[i];
		if (pin(c) != 0) {
			pin_fail = c;
			break;
		}
		for (int k = 0; k < 50; k++) {
			int s = getcpu_syscall(), v = sched_getcpu();
			if (s != c && where_fail < 0)
				where_fail = c * 1000 + s;
			if (v != c && vdso_fail < 0)
				vdso_fail = c * 1000 + v;
			sched_yield();
		}
		if (stat_processor() != c && stat_fail < 0)
			stat_fail = c * 1000 + stat_processor();
	}
	CHECK_EQ(pin_fail, -1, "sched_setaffinity to each allowed CPU");
	CHECK_EQ(where_fail, -1, "getcpu (system call) names the pinned CPU (pinned*1000+seen)");
	CHECK_EQ(vdso_fail, -1, "sched_getcpu (vDSO) names the pinned CPU (pinned*1000+seen)");
	CHECK_EQ(stat_fail, -1, "/proc/self/task/TID/stat field 39 names the pinned CPU (pinned*1000+seen)");

	/* /proc/stat: a line per online CPU, and the CPU a thread spun on
	 * shows that time. Ticks, not exact time: a vCPU the host did not run
	 * for a while gets one timer interrupt for the ticks it missed, so on
	 * a loaded host 200 ms of CPU time (20 ticks at USER_HZ 100) may show
	 * as well under 20. What must hold is that the time is counted on
	 * that CPU: a tenth of it at least. */
	int lines = 0;
	for (int c = 0; c < online; c++)
		lines += stat_cpu_busy(c) >= 0;
	CHECK_EQ(lines, online, "/proc/stat: a cpuN line per online CPU");
	int spin_on = cpus[allowed - 1];
	pin(spin_on);
	long long before = stat_cpu_busy(spin_on);
	spin_cpu_ms(200);
	long long after = stat_cpu_busy(spin_on);
	CHECK(before >= 0 && after - before >= 2, "/proc/stat: cpu%d's busy time grew by %lld ticks over 200 ms spun there",
	      spin_on, after - before);

	/* A mask with only a CPU that is not online is refused. */
	cpu_set_t none;
	CPU_ZERO(&none);
	CPU_SET(CPU_SETSIZE - 1, &none);
	CHECK_ERR(sched_setaffinity(0, sizeof none, &none), EINVAL, "an affinity naming no online CPU");
	CHECK_EQ(sched_setaffinity(0, sizeof original, &original), 0, "the original affinity back");

	/* One thread per allowed CPU (up to MAX_THREADS), all at once. */
	struct runner r[MAX_THREADS];
	runners = allowed < MAX_THREADS ? allowed : MAX_THREADS;
	for (int i = 0; i < runners; i++) {
		r[i].cpu = cpus[i];
		pthread_create(&r[i].thread, NULL, run_pinned, &r[i]);
	}
	int bad = -1;
	for (int i = 0; i < runners; i++) {
		pthread_join(r[i].thread, NULL);
		if ((!r[i].pinned_ok || r[i].wrong_cpu != -1) && bad < 0)
			bad = r[i].cpu * 1000 + r[i].wrong_cpu;
	}
	CHECK_EQ(bad, -1, "%d threads, one pinned per CPU, each ran only on its own (cpu*1000+seen)", runners);

	/* Another thread's affinity changed: it ends up there. */
	atomic_int tid = 0;
	pthread_t mover;
	pthread_create(&mover, NULL, run_mover, &tid);
	while (atomic_load(&tid) == 0)
		sched_yield();
	int target = cpus[allowed - 1], moved = 0;
	cpu_set_t to;
	CPU_ZERO(&to);
	CPU_SET(target, &to);
	CHECK_EQ(sched_setaffinity(atomic_load(&tid), sizeof to, &to), 0, "sched_setaffinity of another thread");
	atomic_store(&mover_cpu, -1);
	for (int i = 0; i < 100000 && !moved; i++) {
		moved = atomic_load(&mover_cpu) == target;
		sched_yield();
	}
	atomic_store(&mover_stop, 1);
	pthread_join(mover, NULL);
	CHECK(moved, "the other thread runs on CPU %d once sent there (last seen on %d)", target,
	      atomic_load(&mover_cpu));
	return check_done();
}
