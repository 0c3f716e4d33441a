/*
 * threads.c - POSIX threads on clone/futex/set_tid_address/TLS.
 *
 * pthread_create/join with return values, 8 threads incrementing a shared
 * counter under a mutex (exact total), a condition-variable bounded
 * buffer, semaphores, barriers, pthread_once, pthread_self/gettid distinct
 * per thread (getpid shared), __thread variables independent per thread,
 * detached threads, custom stack sizes, raw futex wait/wake/timeout,
 * pthread_kill to a specific thread and per-thread signal masks, many
 * short-lived threads, exit() from a non-main thread ending the whole
 * process, and pthread_exit() from main letting other threads finish
 * (both checked in child processes; the latter re-executes this program
 * through argv[0], or /proc/self/exe when argv[0] has no slash).
 */
#define _GNU_SOURCE
#include "check.h"

#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int wait_child(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return -2;
}

/* ---- create/join ---- */
static void *square(void *arg)
{
	intptr_t v = (intptr_t)arg;
	return (void *)(v * v);
}

static void test_create_join(void)
{
	pthread_t t[4];
	int created = 0;
	for (intptr_t i = 0; i < 4; i++)
		created += pthread_create(&t[i], NULL, square, (void *)(i + 3)) == 0;
	CHECK_EQ(created, 4, "pthread_create 4 threads");
	int ok = 1;
	for (intptr_t i = 0; i < 4; i++) {
		void *ret = NULL;
		if (pthread_join(t[i], &ret) != 0 || (intptr_t)ret != (i + 3) * (i + 3))
			ok = 0;
	}
	CHECK(ok, "pthread_join returns each thread's return value");

	/* 200 short-lived threads, created and joined one after another */
	int good = 0;
	for (intptr_t i = 0; i < 200; i++) {
		pthread_t th;
		void *ret;
		if (pthread_create(&th, NULL, square, (void *)i) == 0 && pthread_join(th, &ret) == 0 &&
		    (intptr_t)ret == i * i)
			good++;
	}
	CHECK_EQ(good, 200, "200 sequential create/join cycles");
}

/* ---- mutex counter ---- */
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long counter;
enum { NTHREADS = 8, PER_THREAD = 100000 };

static void *incr(void *arg)
{
	(void)arg;
	for (int i = 0; i < PER_THREAD; i++) {
		pthread_mutex_lock(&mtx);
		counter++;
		pthread_mutex_unlock(&mtx);
		if ((i & 1023) == 0)
			sched_yield();
	}
	return NULL;
}

static void test_mutex(void)
{
	pthread_t t[NTHREADS];
	counter = 0;
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, incr, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(counter, (long)NTHREADS * PER_THREAD, "8 threads x 100000 mutex-protected increments");
	CHECK_EQ(pthread_mutex_trylock(&mtx), 0, "trylock on a free mutex");
	CHECK_EQ(pthread_mutex_trylock(&mtx), EBUSY, "trylock on a held mutex is EBUSY");
	pthread_mutex_unlock(&mtx);

	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_t em;
	pthread_mutex_init(&em, &a);
	pthread_mutex_lock(&em);
	CHECK_EQ(pthread_mutex_lock(&em), EDEADLK, "error-checking mutex detects relock (EDEADLK)");
	pthread_mutex_unlock(&em);
	pthread_mutex_destroy(&em);
}

/* ---- condition variable bounded buffer ---- */
enum { QCAP = 4, ITEMS = 20000 };
static int queue[QCAP], qhead, qlen;
static pthread_mutex_t qm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&qm);
		while (qlen == QCAP)
			pthread_cond_wait(&not_full, &qm);
		queue[(qhead + qlen) % QCAP] = i;
		qlen++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&qm);
	}
	return NULL;
}

struct cons_result {
	long long sum;
	int in_order;
};

static void *consumer(void *arg)
{
	struct cons_result *r = arg;
	int expect = 1;
	r->sum = 0;
	r->in_order = 1;
	for (int n = 0; n < ITEMS; n++) {
		pthread_mutex_lock(&qm);
		while (qlen == 0)
			pthread_cond_wait(&not_empty, &qm);
		int v = queue[qhead];
		qhead = (qhead + 1) % QCAP;
		qlen--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&qm);
		if (v != expect++)
			r->in_order = 0;
		r->sum += v;
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t p, c;
	struct cons_result r;
	pthread_create(&c, NULL, consumer, &r);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	CHECK_EQ(r.sum, (long long)ITEMS * (ITEMS + 1) / 2, "condvar producer/consumer: every item consumed");
	CHECK(r.in_order, "condvar producer/consumer: items arrive in order");

	/* timed wait times out */
	struct timespec t0, t1, dl;
	clock_gettime(CLOCK_REALTIME, &t0);
	dl = t0;
	dl.tv_nsec += 20000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&qm);
	int rc;
	do
		rc = pthread_cond_timedwait(&not_empty, &qm, &dl);
	while (rc == 0);
	pthread_mutex_unlock(&qm);
	clock_gettime(CLOCK_REALTIME, &t1);
	long ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	CHECK_EQ(rc, ETIMEDOUT, "pthread_cond_timedwait times out");
	CHECK(ns >= 20000000, "timed wait lasted at least 20 ms (%ld ns)", ns);
}

/* ---- ids and TLS ---- */
static __thread int tls_value = 17;
static __thread char tls_buf[64];
static pthread_barrier_t bar;

struct ids {
	pthread_t self;
	pid_t tid, pid;
	int tls_initial, tls_ok;
};

static void *id_thread(void *arg)
{
	struct ids *r = arg;
	r->self = pthread_self();
	r->tid = gettid();
	r->pid = getpid();
	r->tls_initial = tls_value;
	tls_value = r->tid;
	snprintf(tls_buf, sizeof tls_buf, "thread-%d", (int)r->tid);
	pthread_barrier_wait(&bar); /* everyone has written their TLS */
	char want[64];
	snprintf(want, sizeof want, "thread-%d", (int)r->tid);
	r->tls_ok = tls_value == r->tid && strcmp(tls_buf, want) == 0;
	pthread_barrier_wait(&bar);
	return NULL;
}

static void test_ids_tls(void)
{
	enum { N = 4 };
	struct ids r[N];
	pthread_t t[N];
	tls_value = 99; /* main's copy: new threads must still start at 17 */
	pthread_barrier_init(&bar, NULL, N);
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, id_thread, &r[i]);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);

	CHECK_EQ(gettid(), getpid(), "main thread's tid equals the pid");
	int distinct = 1, samepid = 1, selfok = 1, init_ok = 1, tls_ok = 1;
	for (int i = 0; i < N; i++) {
		if (r[i].pid != getpid())
			samepid = 0;
		if (r[i].tid == getpid())
			distinct = 0;
		if (!pthread_equal(r[i].self, t[i]) || pthread_equal(r[i].self, pthread_self()))
			selfok = 0;
		if (r[i].tls_initial != 17)
			init_ok = 0;
		if (!r[i].tls_ok)
			tls_ok = 0;
		for (int j = 0; j < i; j++)
			if (r[i].tid == r[j].tid || pthread_equal(r[i].self, r[j].self))
				distinct = 0;
	}
	CHECK(distinct, "every thread has its own gettid and pthread_self");
	CHECK(samepid, "all threads share getpid");
	CHECK(selfok, "pthread_self in the thread equals the pthread_t from create");
	CHECK(init_ok, "__thread variables start at their initializer in new threads");
	CHECK(tls_ok, "__thread variables are independent per thread");
	CHECK_EQ(tls_value, 99, "main thread's __thread value untouched");
}

/* ---- detached, stack size, once, semaphores ---- */
static sem_t done_sem;
static volatile int detached_ran;

static void *detached_fn(void *arg)
{
	(void)arg;
	detached_ran = 1;
	sem_post(&done_sem);
	return NULL;
}

static void *big_stack_fn(void *arg)
{
	(void)arg;
	volatile char big[512 * 1024];
	big[0] = 1;
	big[sizeof big - 1] = 2;
	return (void *)(intptr_t)(big[0] + big[sizeof big - 1]);
}

static int once_count;
static void once_fn(void)
{
	once_count++;
}
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void *once_thread(void *arg)
{
	(void)arg;
	pthread_once(&once, once_fn);
	return NULL;
}

static void test_misc_threads(void)
{
	sem_init(&done_sem, 0, 0);
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	CHECK_EQ(pthread_create(&t, &a, detached_fn, NULL), 0, "create a detached thread");
	pthread_attr_destroy(&a);
	CHECK_EQ(sem_wait(&done_sem), 0, "sem_wait for the detached thread");
	CHECK_EQ(detached_ran, 1, "detached thread ran");

	pthread_create(&t, NULL, detached_fn, NULL);
	CHECK_EQ(pthread_detach(t), 0, "pthread_detach");
	sem_wait(&done_sem);
	CHECK_EQ(sem_trywait(&done_sem), -1, "sem_trywait on zero semaphore fails");
	CHECK_EQ(errno, EAGAIN, "with EAGAIN");

	pthread_attr_init(&a);
	CHECK_EQ(pthread_attr_setstacksize(&a, 2 << 20), 0, "pthread_attr_setstacksize 2 MiB");
	void *ret = NULL;
	CHECK(pthread_create(&t, &a, big_stack_fn, NULL) == 0 && pthread_join(t, &ret) == 0 && (intptr_t)ret == 3,
	      "thread uses 512 KiB of its 2 MiB stack");
	pthread_attr_destroy(&a);

	pthread_t o[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&o[i], NULL, once_thread, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(o[i], NULL);
	pthread_once(&once, once_fn);
	CHECK_EQ(once_count, 1, "pthread_once runs the initializer exactly once");
	sem_destroy(&done_sem);
}

/* ---- raw futex (no <linux/futex.h> with musl-gcc) ---- */
#define K_FUTEX_WAIT_PRIVATE (0 | 128)
#define K_FUTEX_WAKE_PRIVATE (1 | 128)
static int futex_word;
static long futex(int *uaddr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static void *futex_waker(void *arg)
{
	(void)arg;
	usleep(10000);
	__atomic_store_n(&futex_word, 1, __ATOMIC_SEQ_CST);
	futex(&futex_word, K_FUTEX_WAKE_PRIVATE, 1, NULL);
	return NULL;
}

static void test_futex(void)
{
	futex_word = 0;
	CHECK_ERR(futex(&futex_word, K_FUTEX_WAIT_PRIVATE, 1, NULL), EAGAIN, "FUTEX_WAIT with a stale value is EAGAIN");
	struct timespec ts = {0, 10000000}, t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_ERR(futex(&futex_word, K_FUTEX_WAIT_PRIVATE, 0, &ts), ETIMEDOUT, "FUTEX_WAIT with a 10 ms timeout");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	CHECK(ns >= 10000000, "FUTEX_WAIT timeout lasted at least 10 ms (%ld ns)", ns);
	CHECK_EQ(futex(&futex_word, K_FUTEX_WAKE_PRIVATE, 1, NULL), 0, "FUTEX_WAKE with no waiters wakes 0");

	pthread_t t;
	pthread_create(&t, NULL, futex_waker, NULL);
	int woke = 0;
	while (__atomic_load_n(&futex_word, __ATOMIC_SEQ_CST) == 0) {
		long r = futex(&futex_word, K_FUTEX_WAIT_PRIVATE, 0, NULL);
		if (r == 0 || errno == EAGAIN || errno == EINTR)
			woke = 1;
	}
	pthread_join(t, NULL);
	CHECK(woke && futex_word == 1, "FUTEX_WAIT woken by FUTEX_WAKE from another thread");
}

/* ---- signals and threads ---- */
static volatile pid_t handler_tid;
static void record_tid(int sig)
{
	(void)sig;
	handler_tid = gettid();
}

static volatile int sig_thread_stop;
static pid_t sig_thread_tid;
static void *sig_target(void *arg)
{
	(void)arg;
	sig_thread_tid = gettid();
	pthread_barrier_wait(&bar);
	while (!sig_thread_stop)
		usleep(1000);
	return NULL;
}

static void test_thread_signals(void)
{
	signal(SIGUSR1, record_tid);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_t t;
	pthread_create(&t, NULL, sig_target, NULL);
	pthread_barrier_wait(&bar);
	handler_tid = 0;
	CHECK_EQ(pthread_kill(t, SIGUSR1), 0, "pthread_kill");
	for (int i = 0; i < 5000 && handler_tid == 0; i++)
		usleep(1000);
	CHECK_EQ(handler_tid, sig_thread_tid, "signal sent with pthread_kill runs in the target thread");

	/* process-directed signal blocked in main goes to the thread */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	handler_tid = 0;
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 5000 && handler_tid == 0; i++)
		usleep(1000);
	CHECK_EQ(handler_tid, sig_thread_tid, "kill() to the process is handled by the thread not blocking it");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	sig_thread_stop = 1;
	pthread_join(t, NULL);
	pthread_barrier_destroy(&bar);
	signal(SIGUSR1, SIG_DFL);
}

/* ---- process exit from threads ---- */
static void *exit_from_thread(void *arg)
{
	(void)arg;
	usleep(5000);
	exit(7);
}

static int report_fd;
static const char *self_path;
static void *outlive_main(void *arg)
{
	(void)arg;
	usleep(20000);
	write(report_fd, "T", 1);
	return NULL;
}

static void test_exit_paths(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, exit_from_thread, NULL);
		for (;;)
			pause(); /* main thread blocks; exit() in the other thread ends all */
	}
	CHECK_EQ(wait_child(pid), 7, "exit(7) from a non-main thread ends the process with status 7");

	/*
	 * pthread_exit from main is tested in a freshly exec'd copy of this
	 * program: musl 1.2.3 deadlocks when the main thread of a *forked*
	 * child calls pthread_exit (fork does not redo set_tid_address, so
	 * the thread-list lock is never released by the kernel).
	 */
	int p[2];
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		char fdarg[16];
		snprintf(fdarg, sizeof fdarg, "%d", p[1]);
		char *args[] = {(char *)self_path, "--pthread-exit-main", fdarg, NULL};
		char *env[] = {NULL};
		execve(self_path, args, env);
		_exit(99);
	}
	close(p[1]);
	char c = 0;
	CHECK(read(p[0], &c, 1) == 1 && c == 'T', "thread keeps running after main calls pthread_exit");
	CHECK_EQ(wait_child(pid), 0, "process exits 0 when its last thread returns");
	close(p[0]);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--pthread-exit-main") == 0) {
		report_fd = atoi(argv[2]);
		pthread_t t;
		pthread_create(&t, NULL, outlive_main, NULL);
		pthread_exit(NULL); /* process lives on until the last thread ends */
	}
	self_path = strchr(argv[0], '/') ? argv[0] : "/proc/self/exe";

	test_create_join();
	test_mutex();
	test_condvar();
	test_ids_tls();
	test_misc_threads();
	test_futex();
	test_thread_signals();
	test_exit_paths();
	return check_done();
}
