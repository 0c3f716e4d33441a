/* System V IPC as Linux does it: shared memory (shmget/shmat/shmdt/shmctl,
 * shared across fork, detached by exec and exit, futexes in it meeting
 * across processes), semaphores (atomic operation arrays, blocking woken
 * by another process, EINTR, EIDRM, timeouts, SEM_UNDO at exit, the wait
 * counts), message queues (selection by type, E2BIG/MSG_NOERROR, blocking
 * senders), permissions as an unprivileged user, and the /proc files. */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static const char *self_path;

/* A key no other run uses at the same time. */
static pid_t main_pid;

static key_t key_for(int n)
{
	return (key_t)(0x5e000000 | ((main_pid & 0xffff) << 8) | n);
}

static int semval(int id, int n)
{
	return semctl(id, n, GETVAL);
}

static int count_lines(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	char buf[65536];
	int total = 0, lines = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
		total += (int)n;
	}
	close(fd);
	return total >= 0 ? lines : -1;
}

static int file_contains(const char *path, const char *needle)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	static char buf[262144];
	ssize_t total = 0, n;
	while (total < (ssize_t)sizeof buf - 1 && (n = read(fd, buf + total, sizeof buf - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return strstr(buf, needle) != NULL;
}

/* The inode column of the /proc/self/maps line naming `needle` (-1: none). */
static long maps_inode(const char *needle)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	long ino = -1;
	while (f && fgets(line, sizeof line, f)) {
		if (strstr(line, needle)) {
			unsigned long lo, hi, off;
			char perms[8], dev[16];
			if (sscanf(line, "%lx-%lx %7s %lx %15s %ld", &lo, &hi, perms, &off, dev, &ino) != 6)
				ino = -1;
			break;
		}
	}
	if (f)
		fclose(f);
	return ino;
}

/* Waits until semaphore `n` of `id` has `want` waiters (GETNCNT, or
 * GETZCNT when `zero`): the child is asleep in semop. */
static int wait_for_waiters(int id, int n, int zero, int want)
{
	for (int i = 0; i < 100000; i++) {
		if (semctl(id, n, zero ? GETZCNT : GETNCNT) == want)
			return 1;
		usleep(100);
	}
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void no_restart_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
}

/* Signals `pid` until it exits; returns its exit status (check_wait's). */
static int signal_until_exit(pid_t pid)
{
	for (int i = 0; i < 100000; i++) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
		kill(pid, SIGUSR1);
		usleep(200);
	}
	kill(pid, SIGKILL);
	return check_wait(pid);
}

static void test_shm(void)
{
	CHECK_ERR(shmget(IPC_PRIVATE, 0, 0600), EINVAL, "shmget: size 0 is below SHMMIN");
	CHECK_ERR(shmget(key_for(1), 4096, 0600), ENOENT, "shmget: an unknown key without IPC_CREAT");
	int id = shmget(key_for(1), 10000, IPC_CREAT | IPC_EXCL | 0600);
	CHECK_BAIL(id >= 0, "shmget: create a keyed segment");
	CHECK_ERR(shmget(key_for(1), 10000, IPC_CREAT | IPC_EXCL | 0600), EEXIST, "shmget: IPC_EXCL on a key in use");
	CHECK_EQ(shmget(key_for(1), 5000, 0600), id, "shmget: the same key finds the segment");
	CHECK_ERR(shmget(key_for(1), 10001, 0600), EINVAL, "shmget: asking for more than the segment has");

	struct shmid_ds ds;
	CHECK_EQ(shmctl(id, IPC_STAT, &ds), 0, "shmctl IPC_STAT");
	CHECK_EQ(ds.shm_segsz, 10000, "shm_segsz");
	CHECK_EQ(ds.shm_nattch, 0, "shm_nattch before any attach");
	CHECK_EQ(ds.shm_cpid, getpid(), "shm_cpid is the creator");
	CHECK_EQ(ds.shm_perm.mode & 0777, 0600, "shm_perm.mode");
	CHECK_EQ(ds.shm_perm.__key, key_for(1), "shm_perm.key");
	CHECK(ds.shm_ctime > 0 && ds.shm_atime == 0, "ctime set, atime not yet");

	char *p = shmat(id, NULL, 0);
	CHECK_BAIL(p != (void *)-1, "shmat anywhere");
	CHECK_EQ(p[9999], 0, "a new segment is zero");
	strcpy(p, "parent");
	shmctl(id, IPC_STAT, &ds);
	CHECK_EQ(ds.shm_nattch, 1, "nattch 1 after shmat");
	CHECK_EQ(ds.shm_lpid, getpid(), "shm_lpid after shmat");
	CHECK(ds.shm_atime > 0, "shm_atime after shmat");

	char needle[64];
	snprintf(needle, sizeof needle, "/SYSV%08x (deleted)", (unsigned)key_for(1));
	CHECK(file_contains("/proc/self/maps", needle), "/proc/self/maps names the segment %s", needle);
	CHECK_EQ(maps_inode(needle), id, "its inode column is the segment's id");

	/* Fork: the child shares the attachment (nattch 2), writes, exits. */
	pid_t pid = fork();
	if (pid == 0) {
		struct shmid_ds c;
		shmctl(id, IPC_STAT, &c);
		strcpy(p, "child");
		_exit(c.shm_nattch == 2 ? 0 : 10 + (int)c.shm_nattch);
	}
	CHECK_EQ(check_wait(pid), 0, "the child inherited the attachment (nattch 2 inside it)");
	CHECK_STR(p, "child", "the child's write is seen by the parent");
	shmctl(id, IPC_STAT, &ds);
	CHECK_EQ(ds.shm_nattch, 1, "the child's exit detached it");
	CHECK(ds.shm_dtime > 0, "shm_dtime after the child's exit");

	/* Exec detaches too: the new program sees only the parent's. */
	pid = fork();
	if (pid == 0) {
		char arg[32];
		snprintf(arg, sizeof arg, "%d", id);
		execl(self_path, self_path, "nattch", arg, (char *)NULL);
		_exit(99);
	}
	CHECK_EQ(check_wait(pid), 1, "after exec the child's attachment is gone (nattch 1)");

	/* A second attachment at a chosen address; rounding and remapping. */
	/* An address known to be free: reserved, then given back. */
	char *want = mmap(NULL, 0x10000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_BAIL(want != MAP_FAILED && munmap(want, 0x10000) == 0, "find a free address range");
	CHECK(shmat(id, want + 1, 0) == (void *)-1 && errno == EINVAL, "shmat at an unaligned address without SHM_RND");
	char *q = shmat(id, want + 1, SHM_RND);
	CHECK(q == want, "SHM_RND rounds the address down (got %p want %p)", q, want);
	CHECK_STR(q, "child", "the second attachment shows the same memory");
	CHECK(shmat(id, want, 0) == (void *)-1 && errno == EINVAL, "shmat over a mapping without SHM_REMAP");
	CHECK(shmat(id, want, SHM_REMAP) == want, "SHM_REMAP replaces the mapping");
	CHECK(shmat(id, NULL, SHM_REMAP) == (void *)-1 && errno == EINVAL, "SHM_REMAP without an address");
	shmctl(id, IPC_STAT, &ds);
	CHECK_EQ(ds.shm_nattch, 2, "nattch counts both attachments");
	CHECK_EQ(shmdt(want), 0, "shmdt the second attachment");
	CHECK_ERR(shmdt(want), EINVAL, "shmdt where nothing is attached");
	CHECK_ERR(shmdt(p + 1), EINVAL, "shmdt at an unaligned address");

	/* SHM_RDONLY: readable, a write is SIGSEGV; mprotect cannot add write. */
	char *ro = shmat(id, NULL, SHM_RDONLY);
	CHECK(ro != (void *)-1 && ro[0] == 'c', "SHM_RDONLY attachment reads");
	pid = fork();
	if (pid == 0) {
		ro[0] = 'x';
		_exit(0);
	}
	CHECK_EQ(check_wait(pid), 1000 + SIGSEGV, "writing a SHM_RDONLY attachment is SIGSEGV");
	CHECK_ERR(mprotect(ro, 4096, PROT_READ | PROT_WRITE), EACCES, "mprotect cannot make a SHM_RDONLY attachment writable");
	shmdt(ro);

	/* Futexes in the segment meet across processes. */
	uint32_t *word = (uint32_t *)(p + 4096);
	pid = fork();
	if (pid == 0) {
		long r;
		do
			r = syscall(SYS_futex, word, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0);
		while (r != 0 && errno == EINTR);
		_exit(r == 0 ? 0 : 2);
	}
	long woken = 0;
	for (int i = 0; i < 100000 && woken == 0; i++) {
		woken = syscall(SYS_futex, word, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
		if (woken == 0)
			usleep(100);
	}
	CHECK_EQ(woken, 1, "a futex wake in the parent reached the child's wait in the segment");
	CHECK_EQ(check_wait(pid), 0, "the child's futex wait ended by it");

	/* IPC_SET, then IPC_RMID while attached: the key is freed, the id
	 * lives on until the last detach. */
	ds.shm_perm.mode = 0640;
	CHECK_EQ(shmctl(id, IPC_SET, &ds), 0, "shmctl IPC_SET");
	shmctl(id, IPC_STAT, &ds);
	CHECK_EQ(ds.shm_perm.mode & 0777, 0640, "IPC_SET changed the mode");
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0, "shmctl IPC_RMID while attached");
	CHECK_EQ(shmctl(id, IPC_STAT, &ds), 0, "the removed segment still answers IPC_STAT while attached");
	CHECK(ds.shm_perm.mode & SHM_DEST, "SHM_DEST is set in its mode");
	CHECK_EQ(ds.shm_perm.__key, IPC_PRIVATE, "its key became IPC_PRIVATE");
	CHECK_ERR(shmget(key_for(1), 100, 0600), ENOENT, "the key no longer finds it");
	CHECK_EQ(p[0], 'c', "the memory is still there");
	CHECK_EQ(shmdt(p), 0, "the last shmdt");
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL, "after the last detach the id is gone");

	/* IPC_INFO, SHM_INFO, SHM_STAT by index, /proc/sysvipc/shm. */
	int before = count_lines("/proc/sysvipc/shm");
	int id2 = shmget(IPC_PRIVATE, 4096, 0600);
	CHECK(id2 >= 0 && id2 != id, "a new private segment gets a new id");
	CHECK_EQ(count_lines("/proc/sysvipc/shm"), before + 1, "/proc/sysvipc/shm lists it");
	struct shminfo info;
	int maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
	CHECK(maxidx >= id2 % 32768 && info.shmmax > 0 && info.shmmni > 0, "IPC_INFO: highest index and limits");
	struct shm_info usage;
	CHECK(shmctl(0, SHM_INFO, (struct shmid_ds *)&usage) >= 0 && usage.used_ids >= 1, "SHM_INFO counts segments");
	CHECK_EQ(shmctl(id2 % 32768, SHM_STAT, &ds), id2, "SHM_STAT by index gives the id");
	CHECK_EQ(shmctl(id2 % 32768, SHM_STAT_ANY, &ds), id2, "SHM_STAT_ANY by index gives the id");
	CHECK_EQ(shmctl(id2, SHM_LOCK, NULL), 0, "SHM_LOCK");
	shmctl(id2, IPC_STAT, &ds);
	CHECK(ds.shm_perm.mode & SHM_LOCKED, "SHM_LOCKED shows in the mode");
	CHECK_EQ(shmctl(id2, SHM_UNLOCK, NULL), 0, "SHM_UNLOCK");
	CHECK_EQ(shmctl(id2, IPC_RMID, NULL), 0, "IPC_RMID an unattached segment");
	CHECK_ERR(shmctl(id2, IPC_STAT, &ds), EINVAL, "it is gone at once");
	CHECK_ERR(shmctl(id2, 999, &ds), EINVAL, "an unknown shmctl command");
	CHECK_ERR(shmat(-1, NULL, 0) == (void *)-1 ? -1 : 0, EINVAL, "shmat of a negative id");
}

static void test_sem(void)
{
	CHECK_ERR(semget(IPC_PRIVATE, -1, 0600), EINVAL, "semget: negative nsems");
	CHECK_ERR(semget(IPC_PRIVATE, 0, 0600), EINVAL, "semget: a new set needs semaphores");
	int id = semget(key_for(2), 3, IPC_CREAT | 0600);
	CHECK_BAIL(id >= 0, "semget: a set of three");
	CHECK_EQ(semget(key_for(2), 0, 0), id, "semget: an existing key with nsems 0");
	CHECK_ERR(semget(key_for(2), 4, 0), EINVAL, "semget: more semaphores than the set has");

	union semun arg;
	arg.val = 5;
	CHECK_EQ(semctl(id, 0, SETVAL, arg), 0, "SETVAL");
	CHECK_EQ(semval(id, 0), 5, "GETVAL");
	CHECK_EQ(semctl(id, 0, GETPID), getpid(), "GETPID after SETVAL");
	arg.val = 32768;
	CHECK_ERR(semctl(id, 0, SETVAL, arg), ERANGE, "SETVAL past SEMVMX");
	CHECK_ERR(semctl(id, 3, GETVAL), EINVAL, "GETVAL of a semaphore outside the set");
	unsigned short vals[3] = {1, 0, 0}, got[3] = {9, 9, 9};
	arg.array = vals;
	CHECK_EQ(semctl(id, 0, SETALL, arg), 0, "SETALL");
	arg.array = got;
	CHECK(semctl(id, 0, GETALL, arg) == 0 && got[0] == 1 && got[1] == 0 && got[2] == 0, "GETALL");
	struct semid_ds ds;
	arg.buf = &ds;
	CHECK(semctl(id, 0, IPC_STAT, arg) == 0 && ds.sem_nsems == 3, "IPC_STAT sem_nsems");
	CHECK_EQ(ds.sem_otime, 0, "sem_otime before any semop");

	/* All or nothing. */
	struct sembuf two[2] = {{0, -1, 0}, {1, -1, IPC_NOWAIT}};
	CHECK_ERR(semop(id, two, 2), EAGAIN, "semop: the second operation would wait (IPC_NOWAIT)");
	CHECK_EQ(semval(id, 0), 1, "...and the first did not happen");
	struct sembuf dec = {0, -1, 0};
	CHECK_EQ(semop(id, &dec, 1), 0, "semop: take the one");
	arg.buf = &ds;
	semctl(id, 0, IPC_STAT, arg);
	CHECK(ds.sem_otime > 0, "sem_otime after semop");
	struct sembuf bad = {3, 1, 0};
	CHECK_ERR(semop(id, &bad, 1), EFBIG, "semop on a semaphore outside the set");
	CHECK_ERR(semop(id, &dec, 0), EINVAL, "semop with no operations");
	struct timespec ts = {0, 10 * 1000 * 1000};
	CHECK_ERR(semtimedop(id, &dec, 1, &ts), EAGAIN, "semtimedop times out with EAGAIN");
	struct timespec badts = {0, 2000000000};
	CHECK_ERR(semtimedop(id, &dec, 1, &badts), EINVAL, "semtimedop with a bad timeout");

	/* Blocking, woken by another process's semop. */
	pid_t pid = fork();
	if (pid == 0) {
		struct sembuf d = {2, -1, 0};
		_exit(semop(id, &d, 1) == 0 ? 0 : 1);
	}
	CHECK(wait_for_waiters(id, 2, 0, 1), "GETNCNT shows the child waiting");
	struct sembuf inc = {2, 1, 0};
	CHECK_EQ(semop(id, &inc, 1), 0, "the parent's semop");
	CHECK_EQ(check_wait(pid), 0, "the child's blocked semop completed");
	CHECK_EQ(semctl(id, 2, GETPID), pid, "GETPID names the child");
	CHECK_EQ(semctl(id, 2, GETNCNT), 0, "no waiter left");

	/* Waiting for zero. */
	arg.val = 1;
	semctl(id, 1, SETVAL, arg);
	pid = fork();
	if (pid == 0) {
		struct sembuf z = {1, 0, 0};
		_exit(semop(id, &z, 1) == 0 ? 0 : 1);
	}
	CHECK(wait_for_waiters(id, 1, 1, 1), "GETZCNT shows the child waiting for zero");
	arg.val = 0;
	semctl(id, 1, SETVAL, arg);
	CHECK_EQ(check_wait(pid), 0, "SETVAL 0 let the wait for zero through");

	/* A signal interrupts the wait: EINTR, even without SA_RESTART
	 * mattering. */
	pid = fork();
	if (pid == 0) {
		no_restart_handler();
		struct sembuf d = {2, -1, 0};
		int r = semop(id, &d, 1);
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK(wait_for_waiters(id, 2, 0, 1), "the child waits again");
	CHECK_EQ(signal_until_exit(pid), 0, "a signal ends the wait with EINTR");
	CHECK_EQ(semctl(id, 2, GETNCNT), 0, "the interrupted waiter is no longer counted");

	/* SEM_UNDO: the exit takes the child's changes back. */
	arg.val = 5;
	semctl(id, 0, SETVAL, arg);
	pid = fork();
	if (pid == 0) {
		struct sembuf ops[2] = {{0, 2, SEM_UNDO}, {1, 3, SEM_UNDO}};
		if (semop(id, ops, 2) != 0)
			_exit(1);
		struct sembuf back = {0, -1, SEM_UNDO};
		_exit(semop(id, &back, 1) == 0 && semval(id, 0) == 6 ? 0 : 2);
	}
	CHECK_EQ(check_wait(pid), 0, "the child's SEM_UNDO operations");
	CHECK_EQ(semval(id, 0), 5, "its exit undid +2 -1");
	CHECK_EQ(semval(id, 1), 0, "and +3");
	/* An undo that would go below zero is clamped at 0. */
	pid = fork();
	if (pid == 0) {
		struct sembuf up = {1, 2, SEM_UNDO};
		semop(id, &up, 1);
		arg.val = 1;
		semctl(id, 1, SETVAL, arg);
		/* SETVAL forgot the adjustment: the exit leaves 1. */
		_exit(0);
	}
	check_wait(pid);
	CHECK_EQ(semval(id, 1), 1, "SETVAL clears the SEM_UNDO adjustments");

	/* Removal wakes a waiter with EIDRM. */
	pid = fork();
	if (pid == 0) {
		struct sembuf d = {2, -1, 0};
		int r = semop(id, &d, 1);
		_exit(r == -1 && errno == EIDRM ? 0 : 1);
	}
	CHECK(wait_for_waiters(id, 2, 0, 1), "a child waits on the set");
	CHECK_EQ(semctl(id, 0, IPC_RMID), 0, "IPC_RMID the set");
	CHECK_EQ(check_wait(pid), 0, "the waiter got EIDRM");
	CHECK_ERR(semctl(id, 0, GETVAL), EINVAL, "the id is gone");

	struct seminfo si;
	arg.__buf = &si;
	CHECK(semctl(0, 0, IPC_INFO, arg) >= 0 && si.semmsl > 0 && si.semvmx == 32767, "IPC_INFO: semmsl, semvmx");
	int id2 = semget(IPC_PRIVATE, 2, 0600);
	CHECK(semctl(0, 0, SEM_INFO, arg) >= 0 && si.semusz >= 1 && si.semaem >= 2, "SEM_INFO counts sets and semaphores");
	arg.buf = &ds;
	CHECK_EQ(semctl(id2 % 32768, 0, SEM_STAT, arg), id2, "SEM_STAT by index gives the id");
	CHECK(count_lines("/proc/sysvipc/sem") >= 2, "/proc/sysvipc/sem lists the set");
	semctl(id2, 0, IPC_RMID);
}

struct msg {
	long mtype;
	char mtext[64];
};

static int send(int id, long type, const char *text, int flags)
{
	struct msg m;
	m.mtype = type;
	strcpy(m.mtext, text);
	return msgsnd(id, &m, strlen(text) + 1, flags);
}

static void test_msg(void)
{
	int id = msgget(key_for(3), IPC_CREAT | 0600);
	CHECK_BAIL(id >= 0, "msgget: create a queue");
	CHECK_EQ(msgget(key_for(3), 0), id, "msgget: the key finds it");
	CHECK_ERR(send(id, 0, "x", 0), EINVAL, "msgsnd: mtype 0");
	CHECK_EQ(send(id, 1, "one", 0), 0, "msgsnd type 1");
	CHECK_EQ(send(id, 2, "two", 0), 0, "msgsnd type 2");
	CHECK_EQ(send(id, 3, "three", 0), 0, "msgsnd type 3");
	CHECK_EQ(send(id, 1, "uno", 0), 0, "msgsnd type 1 again");

	struct msqid_ds ds;
	CHECK(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 4 && ds.msg_cbytes == 4 + 4 + 6 + 4, "IPC_STAT: qnum and cbytes");
	CHECK_EQ(ds.msg_lspid, getpid(), "msg_lspid");
	CHECK_EQ(ds.msg_qbytes, 16384, "msg_qbytes starts at msgmnb");

	struct msg m;
	CHECK_EQ(msgrcv(id, &m, sizeof m.mtext, 2, 0), 4, "msgrcv type 2");
	CHECK_STR(m.mtext, "two", "...its text");
	CHECK_EQ(msgrcv(id, &m, sizeof m.mtext, -3, 0), 4, "msgrcv -3 takes the lowest type");
	CHECK(m.mtype == 1 && !strcmp(m.mtext, "one"), "...the first of type 1");
	CHECK_EQ(msgrcv(id, &m, sizeof m.mtext, 1, MSG_EXCEPT), 6, "MSG_EXCEPT 1 takes type 3");
	CHECK_ERR(msgrcv(id, &m, 2, 0, 0), E2BIG, "a buffer too small: E2BIG");
	CHECK_EQ(msgrcv(id, &m, 2, 0, MSG_NOERROR), 2, "MSG_NOERROR cuts the text");
	CHECK(m.mtext[0] == 'u' && m.mtext[1] == 'n', "...to its first bytes");
	CHECK_ERR(msgrcv(id, &m, sizeof m.mtext, 0, IPC_NOWAIT), ENOMSG, "an empty queue with IPC_NOWAIT");
	msgctl(id, IPC_STAT, &ds);
	CHECK(ds.msg_qnum == 0 && ds.msg_lrpid == getpid() && ds.msg_rtime > 0, "IPC_STAT after receiving");

	/* A full queue blocks the sender until a receiver makes room. */
	ds.msg_qbytes = 8;
	CHECK_EQ(msgctl(id, IPC_SET, &ds), 0, "IPC_SET msg_qbytes 8");
	CHECK_EQ(send(id, 5, "1234567", 0), 0, "fill the queue");
	CHECK_ERR(send(id, 5, "x", IPC_NOWAIT), EAGAIN, "a full queue with IPC_NOWAIT");
	pid_t pid = fork();
	if (pid == 0)
		_exit(send(id, 6, "later", 0) == 0 ? 0 : 1);
	CHECK_EQ(msgrcv(id, &m, sizeof m.mtext, 5, 0), 8, "the receiver empties the queue");
	CHECK_EQ(check_wait(pid), 0, "the blocked sender's msgsnd completed");
	CHECK_EQ(msgrcv(id, &m, sizeof m.mtext, 6, IPC_NOWAIT), 6, "its message arrived");

	/* A receiver blocks until a sender comes; a signal interrupts it. */
	pid = fork();
	if (pid == 0) {
		struct msg r;
		_exit(msgrcv(id, &r, sizeof r.mtext, 9, 0) == 5 && !strcmp(r.mtext, "nine") ? 0 : 1);
	}
	CHECK_EQ(send(id, 9, "nine", 0), 0, "send what the child waits for");
	CHECK_EQ(check_wait(pid), 0, "the child received it");
	pid = fork();
	if (pid == 0) {
		no_restart_handler();
		struct msg r;
		int n = msgrcv(id, &r, sizeof r.mtext, 10, 0);
		_exit(n == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK_EQ(signal_until_exit(pid), 0, "a signal ends a waiting msgrcv with EINTR");

	struct msginfo mi;
	CHECK(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0 && mi.msgmax == 8192 && mi.msgmnb == 16384, "IPC_INFO: msgmax and msgmnb");
	send(id, 1, "a", 0);
	CHECK(msgctl(0, MSG_INFO, (struct msqid_ds *)&mi) >= 0 && mi.msgpool >= 1 && mi.msgmap >= 1, "MSG_INFO counts queues and messages");
	CHECK_EQ(msgctl(id % 32768, MSG_STAT, &ds), id, "MSG_STAT by index gives the id");
	CHECK_EQ(msgctl(id % 32768, MSG_STAT_ANY, &ds), id, "MSG_STAT_ANY by index gives the id");
	CHECK(count_lines("/proc/sysvipc/msg") >= 2, "/proc/sysvipc/msg lists the queue");
	CHECK_EQ(msgctl(id, IPC_RMID, NULL), 0, "IPC_RMID the queue");
	CHECK_ERR(msgsnd(id, &m, 1, 0), EINVAL, "the removed queue's id is invalid");
	CHECK_ERR(msgget(key_for(3), 0), ENOENT, "and so is its key");
}

/* An unprivileged process meets the mode bits and the owner rule. */
static void test_permissions(void)
{
	int shm = shmget(key_for(4), 4096, IPC_CREAT | 0600);
	int sem = semget(key_for(5), 1, IPC_CREAT | 0640);
	int msg = msgget(key_for(6), IPC_CREAT | 0604);
	CHECK_BAIL(shm >= 0 && sem >= 0 && msg >= 0, "root creates three objects");
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		int bad = 0;
		struct shmid_ds sd;
		struct msqid_ds md;
		struct sembuf op = {0, 1, IPC_NOWAIT};
		if (!(shmget(key_for(4), 4096, 0600) == -1 && errno == EACCES))
			bad |= 1;
		if (!(shmat(shm, NULL, 0) == (void *)-1 && errno == EACCES))
			bad |= 2;
		if (!(shmctl(shm, IPC_STAT, &sd) == -1 && errno == EACCES))
			bad |= 4;
		if (!(shmctl(shm, IPC_RMID, NULL) == -1 && errno == EPERM))
			bad |= 8;
		if (shmctl(shm % 32768, SHM_STAT_ANY, &sd) != shm)
			bad |= 16;
		if (!(semop(sem, &op, 1) == -1 && errno == EACCES))
			bad |= 32;
		if (!(msgctl(msg, IPC_STAT, &md) == 0))
			bad |= 64; /* others may read (04) */
		if (!(send(msg, 1, "x", IPC_NOWAIT) == -1 && errno == EACCES))
			bad |= 128;
		_exit(bad);
	}
	CHECK_EQ(check_wait(pid), 0, "as uid 65534: EACCES by mode, EPERM to remove, STAT_ANY allowed (bits of what failed)");
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	msgctl(msg, IPC_RMID, NULL);
}

static void test_proc_sys(void)
{
	char buf[128] = {0};
	int fd = open("/proc/sys/kernel/sem", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) > 0, "/proc/sys/kernel/sem reads");
	int a = 0, b = 0, c = 0, d = 0;
	CHECK_EQ(sscanf(buf, "%d %d %d %d", &a, &b, &c, &d), 4, "it holds four numbers");
	close(fd);
	fd = open("/proc/sys/kernel/msgmni", O_RDONLY);
	memset(buf, 0, sizeof buf);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) > 0, "/proc/sys/kernel/msgmni reads");
	close(fd);
	int old = atoi(buf);
	fd = open("/proc/sys/kernel/msgmni", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, "1234\n", 5) == 5, "root writes msgmni");
	close(fd);
	fd = open("/proc/sys/kernel/msgmni", O_RDONLY);
	memset(buf, 0, sizeof buf);
	CHECK(read(fd, buf, sizeof buf - 1) > 0 && atoi(buf) == 1234, "the new value reads back");
	close(fd);
	fd = open("/proc/sys/kernel/msgmni", O_WRONLY | O_TRUNC);
	snprintf(buf, sizeof buf, "%d\n", old);
	write(fd, buf, strlen(buf));
	close(fd);
	/* msg_next_id: the next queue gets that id, once. */
	int want = 3 * 32768 + 1234;
	fd = open("/proc/sys/kernel/msg_next_id", O_WRONLY | O_TRUNC);
	snprintf(buf, sizeof buf, "%d\n", want);
	CHECK(fd >= 0 && write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf), "write msg_next_id");
	close(fd);
	int q = msgget(IPC_PRIVATE, 0600);
	CHECK_EQ(q, want, "the next queue has the id asked for");
	msgctl(q, IPC_RMID, NULL);
	fd = open("/proc/sys/kernel/msg_next_id", O_RDONLY);
	memset(buf, 0, sizeof buf);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) > 0 && atoi(buf) == -1, "msg_next_id is -1 again");
	close(fd);
	CHECK(access("/proc/sys/kernel/shmmax", R_OK) == 0 && access("/proc/sys/kernel/shm_rmid_forced", R_OK) == 0, "shmmax and shm_rmid_forced exist");
}

int main(int argc, char **argv)
{
	self_path = "/proc/self/exe";
	main_pid = getpid();
	/* Children inherit it: a SIGUSR1 meant to interrupt a wait never
	 * kills one that has not reached the wait yet. */
	no_restart_handler();
	if (argc == 3 && !strcmp(argv[1], "nattch")) {
		struct shmid_ds ds;
		if (shmctl(atoi(argv[2]), IPC_STAT, &ds) != 0)
			return 50;
		return (int)ds.shm_nattch;
	}
	test_shm();
	test_sem();
	test_msg();
	test_permissions();
	test_proc_sys();
	return check_done();
}
