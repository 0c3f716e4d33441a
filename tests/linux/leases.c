/*
 * leases.c - file leases (fcntl F_SETLEASE/F_GETLEASE): read leases only
 * while nobody has the file open for writing (the taker included), write
 * leases only on the file's one open, F_UNLCK, EINVAL for other kinds of
 * file and bad arguments; breaking: a conflicting open with O_NONBLOCK
 * fails with EWOULDBLOCK and the holder gets SIGIO, F_GETLEASE then shows
 * what the lease must become; a blocking open waits until the holder lets
 * go; a write lease broken by a reader only has to come down to a read
 * lease; truncate breaks a lease too; a lease goes with its holder's last
 * close.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t sigios;
static void on_sigio(int sig)
{
	(void)sig;
	sigios++;
}

int main(void)
{
	char *dir = check_scratch_dir("leases");
	CHECK_BAIL(dir != NULL, "scratch directory");
	char path[700];
	snprintf(path, sizeof path, "%s/file", dir);
	int w = open(path, O_CREAT | O_RDWR, 0600);
	CHECK_BAIL(w >= 0, "a file");
	close(w);
	signal(SIGIO, on_sigio);

	/* ---- taking and giving back ---- */
	int r = open(path, O_RDONLY);
	CHECK_EQ(fcntl(r, F_GETLEASE), F_UNLCK, "no lease at first");
	CHECK_EQ(fcntl(r, F_SETLEASE, F_RDLCK), 0, "a read lease on a read-only open");
	CHECK_EQ(fcntl(r, F_GETLEASE), F_RDLCK, "F_GETLEASE shows it");
	int r2 = open(path, O_RDONLY);
	CHECK(r2 >= 0, "another reader does not break it");
	CHECK_EQ(fcntl(r2, F_GETLEASE), F_UNLCK, "the other open holds none");
	CHECK_EQ(fcntl(r2, F_SETLEASE, F_RDLCK), 0, "and may take a read lease too");
	CHECK_ERR(fcntl(r2, F_SETLEASE, F_WRLCK), EAGAIN, "but no write lease while others have it open");
	CHECK_EQ(fcntl(r2, F_SETLEASE, F_UNLCK), 0, "F_UNLCK");
	close(r2);
	CHECK_EQ(fcntl(r, F_SETLEASE, F_UNLCK), 0, "F_UNLCK the first");
	CHECK_EQ(fcntl(r, F_GETLEASE), F_UNLCK, "gone");
	CHECK_EQ(fcntl(r, F_SETLEASE, F_WRLCK), 0, "a write lease on the file's only open");
	CHECK_EQ(fcntl(r, F_GETLEASE), F_WRLCK, "F_GETLEASE shows it");
	CHECK_EQ(fcntl(r, F_SETLEASE, F_RDLCK), 0, "downgraded to a read lease");
	CHECK_EQ(fcntl(r, F_GETLEASE), F_RDLCK, "now a read lease");
	CHECK_EQ(fcntl(r, F_SETLEASE, F_UNLCK), 0, "let go");

	/* ---- refusals ---- */
	int rw = open(path, O_RDWR);
	CHECK_ERR(fcntl(rw, F_SETLEASE, F_RDLCK), EAGAIN, "no read lease on an O_RDWR open");
	int wo = open(path, O_WRONLY);
	CHECK_ERR(fcntl(wo, F_SETLEASE, F_RDLCK), EAGAIN, "nor on an O_WRONLY one");
	CHECK_ERR(fcntl(r, F_SETLEASE, F_RDLCK), EAGAIN, "nor on a reader while a writer has it open");
	CHECK_ERR(fcntl(r, F_SETLEASE, F_WRLCK), EAGAIN, "nor a write lease");
	close(wo);
	close(rw);
	CHECK_ERR(fcntl(r, F_SETLEASE, 5), EINVAL, "an unknown lease type");
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_ERR(fcntl(d, F_SETLEASE, F_RDLCK), EINVAL, "a directory");
	CHECK_EQ(fcntl(d, F_GETLEASE), F_UNLCK, "F_GETLEASE on a directory: none");
	int p[2];
	CHECK_BAIL(pipe(p) == 0, "a pipe");
	CHECK_ERR(fcntl(p[0], F_SETLEASE, F_RDLCK), EINVAL, "a pipe");
	CHECK_ERR(fcntl(99, F_SETLEASE, F_RDLCK), EBADF, "a closed descriptor");
	close(p[0]);
	close(p[1]);
	close(d);

	/* ---- breaking, without waiting ---- */
	CHECK_EQ(fcntl(r, F_SETLEASE, F_RDLCK), 0, "a read lease again");
	sigios = 0;
	CHECK_ERR(open(path, O_WRONLY | O_NONBLOCK), EWOULDBLOCK, "an O_NONBLOCK writer: EWOULDBLOCK");
	CHECK_EQ(sigios, 1, "the holder got SIGIO");
	CHECK_EQ(fcntl(r, F_GETLEASE), F_UNLCK, "F_GETLEASE: it must go");
	int r3 = open(path, O_RDONLY | O_NONBLOCK);
	CHECK(r3 >= 0, "a reader still gets in");
	close(r3);
	CHECK_EQ(fcntl(r, F_SETLEASE, F_UNLCK), 0, "the holder lets go");
	wo = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(wo >= 0, "then the writer gets in");
	close(wo);

	/* A write lease broken by a reader only comes down to a read lease. */
	CHECK_EQ(fcntl(r, F_SETLEASE, F_WRLCK), 0, "a write lease");
	sigios = 0;
	CHECK_ERR(open(path, O_RDONLY | O_NONBLOCK), EWOULDBLOCK, "an O_NONBLOCK reader: EWOULDBLOCK");
	CHECK_EQ(sigios, 1, "SIGIO");
	CHECK_EQ(fcntl(r, F_GETLEASE), F_RDLCK, "F_GETLEASE: it must become a read lease");
	CHECK_EQ(fcntl(r, F_SETLEASE, F_RDLCK), 0, "downgraded");
	r3 = open(path, O_RDONLY | O_NONBLOCK);
	CHECK(r3 >= 0, "the reader gets in");
	close(r3);
	CHECK_EQ(fcntl(r, F_GETLEASE), F_RDLCK, "the read lease stays");

	/* ---- breaking, with a waiting opener ---- */
	sigset_t io, old;
	sigemptyset(&io);
	sigaddset(&io, SIGIO);
	sigprocmask(SIG_BLOCK, &io, &old);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path, O_WRONLY);
		_exit(fd >= 0 && fcntl(fd, F_GETLEASE) == F_UNLCK ? 0 : 1);
	}
	struct timespec ten = {10, 0};
	CHECK_EQ(sigtimedwait(&io, NULL, &ten), SIGIO, "the holder is told while the writer waits");
	int st = 0;
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0, "the writer is still waiting");
	CHECK_EQ(fcntl(r, F_SETLEASE, F_UNLCK), 0, "the holder lets go");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer's open went through");
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* truncate(2) breaks a lease as an open for writing does. */
	sigprocmask(SIG_BLOCK, &io, &old);
	CHECK_EQ(fcntl(r, F_SETLEASE, F_RDLCK), 0, "a read lease for truncate");
	pid = fork();
	if (pid == 0)
		_exit(truncate(path, 0) == 0 ? 0 : 1);
	CHECK_EQ(sigtimedwait(&io, NULL, &ten), SIGIO, "truncate tells the holder");
	CHECK_EQ(fcntl(r, F_SETLEASE, F_UNLCK), 0, "the holder lets go");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the truncate went through");
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* A lease goes with its holder's close. */
	CHECK_EQ(fcntl(r, F_SETLEASE, F_RDLCK), 0, "a read lease once more");
	int dup_r = dup(r);
	close(r);
	CHECK_EQ(fcntl(dup_r, F_GETLEASE), F_RDLCK, "held by the description, so a dup still has it");
	close(dup_r);
	wo = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(wo >= 0, "after the last close nothing stops a writer");
	close(wo);

	unlink(path);
	rmdir(dir);
	return check_done();
}
