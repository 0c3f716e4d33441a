/*
 * pty.c - pseudo-terminals: /dev/ptmx, grantpt/unlockpt/ptsname, /dev/pts.
 *
 * A line written to the master arrives at the slave through its line
 * discipline (and is echoed back, with \n as \r\n); the slave's output
 * reaches the master; raw mode; window sizes set on one side are seen on
 * the other; a child that makes the slave its controlling terminal gets
 * SIGINT from a ^C typed at the master; the master reads EIO once every
 * slave has closed; closing the master hangs the session up (SIGHUP);
 * /dev/pts lists the slave while it exists; TIOCGPTPEER opens the slave
 * from the master.
 */
#define _GNU_SOURCE
#include "check.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Reads from the master until `want` bytes arrived or 2 s passed. */
static ssize_t read_master(int m, char *buf, size_t want)
{
	size_t got = 0;
	for (int tries = 0; tries < 200 && got < want; tries++) {
		ssize_t n = read(m, buf + got, want - got);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN)
			return got ? (ssize_t)got : -1;
		usleep(10000);
	}
	return (ssize_t)got;
}

static int open_pair(int *master, char *name, size_t len)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0)
		return -1;
	if (grantpt(m) != 0 || unlockpt(m) != 0 || ptsname_r(m, name, len) != 0) {
		close(m);
		return -1;
	}
	*master = m;
	return 0;
}

static void test_basics(void)
{
	int m;
	char name[64];
	CHECK(open_pair(&m, name, sizeof name) == 0, "posix_openpt, grantpt, unlockpt, ptsname");
	CHECK(strncmp(name, "/dev/pts/", 9) == 0, "the slave is under /dev/pts (%s)", name);
	struct stat st;
	CHECK(stat(name, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136, "the slave is character device 136:N");
	int unsigned_n = -1;
	CHECK(ioctl(m, TIOCGPTN, &unsigned_n) == 0 && st.st_rdev == makedev(136, unsigned_n), "TIOCGPTN names it");

	DIR *d = opendir("/dev/pts");
	int listed = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		listed |= strcmp(e->d_name, name + 9) == 0;
	if (d)
		closedir(d);
	CHECK(listed, "/dev/pts lists it");

	int s = open(name, O_RDWR | O_NOCTTY);
	CHECK(s >= 0, "open the slave");
	CHECK(isatty(m) && isatty(s), "both sides are terminals");
	char tn[64] = "";
	CHECK(ttyname_r(s, tn, sizeof tn) == 0 && strcmp(tn, name) == 0, "ttyname of the slave (%s)", tn);

	fcntl(m, F_SETFL, O_NONBLOCK);
	CHECK(write(m, "hello\n", 6) == 6, "type a line at the master");
	char buf[64] = "";
	ssize_t n = read(s, buf, sizeof buf);
	CHECK(n == 6 && memcmp(buf, "hello\n", 6) == 0, "the slave reads the line (%zd)", n);
	n = read_master(m, buf, 7);
	CHECK(n == 7 && memcmp(buf, "hello\r\n", 7) == 0, "the master sees the echo, \\n as \\r\\n (%zd)", n);

	CHECK(write(s, "out\n", 4) == 4, "the slave writes");
	n = read_master(m, buf, 5);
	CHECK(n == 5 && memcmp(buf, "out\r\n", 5) == 0, "the master reads it with output processing (%zd)", n);

	struct termios t;
	CHECK(tcgetattr(s, &t) == 0, "tcgetattr on the slave");
	cfmakeraw(&t);
	CHECK(tcsetattr(s, TCSANOW, &t) == 0, "raw mode");
	CHECK(write(m, "abc", 3) == 3, "three bytes in raw mode");
	n = read(s, buf, sizeof buf);
	CHECK(n == 3 && memcmp(buf, "abc", 3) == 0, "arrive at once, without a newline");
	n = read(m, buf, sizeof buf);
	CHECK(n < 0 && errno == EAGAIN, "and are not echoed");

	struct winsize ws = { .ws_row = 30, .ws_col = 100 }, got = { 0 };
	CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ on the master");
	CHECK(ioctl(s, TIOCGWINSZ, &got) == 0 && got.ws_row == 30 && got.ws_col == 100, "the slave sees 30x100");

	int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	CHECK(peer >= 0 && isatty(peer), "TIOCGPTPEER opens the slave");
	if (peer >= 0) {
		CHECK(write(peer, "p", 1) == 1 && read_master(m, buf, 1) == 1 && buf[0] == 'p', "which talks to the master");
		char pn[64] = "";
		CHECK(ttyname_r(peer, pn, sizeof pn) == 0 && strcmp(pn, name) == 0, "ttyname of the TIOCGPTPEER slave is %s (%s)", name, pn);
		struct stat by_fd, by_name;
		CHECK(fstat(peer, &by_fd) == 0 && stat(name, &by_name) == 0 && by_fd.st_ino == by_name.st_ino && by_fd.st_dev == by_name.st_dev && by_fd.st_rdev == by_name.st_rdev, "fstat of it is the node's stat");
		close(peer);
	}
	close(s);
	n = read_master(m, buf, sizeof buf);
	CHECK(n < 0 && errno == EIO, "the master reads EIO once every slave closed");
	close(m);
	struct stat gone;
	CHECK(stat(name, &gone) != 0 && errno == ENOENT, "the slave node goes with the master");
}

/* A child on the slave as its controlling terminal. */
static void test_session(void)
{
	int m;
	char name[64];
	if (open_pair(&m, name, sizeof name) != 0) {
		CHECK(0, "a second pair");
		return;
	}
	int report[2];
	if (pipe(report) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		/* A shell started us in the background may have left SIGINT
		 * ignored (POSIX lets it); the test needs the default. */
		signal(SIGINT, SIG_DFL);
		close(report[0]);
		setsid();
		int s = open(name, O_RDWR); /* acquires it: no O_NOCTTY */
		int tty = open("/dev/tty", O_RDWR);
		char ok = (s >= 0 && tty >= 0 && tcgetpgrp(s) == getpgrp()) ? 'y' : 'n';
		if (write(report[1], &ok, 1) != 1)
			_exit(2);
		char line[64];
		ssize_t n = read(s, line, sizeof line);
		if (n > 0 && write(s, "got it\n", 7) != 7)
			_exit(3);
		for (;;)
			pause(); /* until ^C */
	}
	close(report[1]);
	char ok = 0;
	CHECK(read(report[0], &ok, 1) == 1 && ok == 'y', "the child's session got the slave as controlling terminal, /dev/tty works");
	CHECK(write(m, "x\n", 2) == 2, "type to the child");
	char buf[128];
	ssize_t n = read_master(m, buf, 11); /* "x\r\n" echoed, then "got it\r\n" */
	CHECK(n == 11 && memmem(buf, (size_t)n, "got it\r\n", 8) != NULL, "the child answered (%zd)", n);
	CHECK(write(m, "\003", 1) == 1, "type ^C");
	int st = 0;
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "the child died of SIGINT (%#x)", st);
	close(m);
	close(report[0]);

	/* Hang-up: closing the master sends SIGHUP to the session. */
	if (open_pair(&m, name, sizeof name) != 0)
		return;
	if (pipe(report) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		signal(SIGHUP, SIG_DFL);
		close(report[0]);
		close(m);
		setsid();
		int s = open(name, O_RDWR);
		char c = s >= 0 ? 'y' : 'n';
		if (write(report[1], &c, 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(report[1]);
	CHECK(read(report[0], &ok, 1) == 1 && ok == 'y', "a second child took a slave");
	close(m);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGHUP, "closing the master hung it up: SIGHUP (%#x)", st);
	close(report[0]);
}

/* Input written to the master is echoed back to it; when nobody reads the
 * master, echo beyond what the pair buffers is dropped, as the device has
 * no room for it, or the writer is held back (a typed character and its
 * erasure, over and over, never fill the input queue). The kernel once
 * kept all of it and ran out of memory. */
static void test_unread_echo(void)
{
	int m;
	char name[64];
	CHECK(open_pair(&m, name, sizeof name) == 0, "a pair for unread echo");
	int s = open(name, O_RDWR | O_NOCTTY);
	CHECK(s >= 0, "open the slave (ECHO and ICANON on by default)");
	struct termios t;
	tcgetattr(s, &t);
	char chunk[4096];
	for (size_t i = 0; i < sizeof chunk; i += 2) {
		chunk[i] = 'x';
		chunk[i + 1] = (char)t.c_cc[VERASE];
	}
	fcntl(m, F_SETFL, O_NONBLOCK);
	long long written = 0;
	for (int i = 0; i < 2048; i++) {
		ssize_t n = write(m, chunk, sizeof chunk);
		if (n <= 0)
			break;
		written += n;
	}
	/* Linux holds the writer back once the echo has no room (EAGAIN
	 * here); Helctic drops the echo and takes the input. Either way the
	 * writes end and the machine is still here. */
	CHECK(written > 0, "typing and erasing written to the master until it is held back or 8 MiB went (%lld bytes)", written);
	long long echoed = 0;
	ssize_t n;
	while ((n = read(m, chunk, sizeof chunk)) > 0)
		echoed += n;
	CHECK(echoed < 1024 * 1024, "the echo kept for the master is bounded (%lld bytes)", echoed);
	close(s);
	close(m);
}

/* With the slave in raw mode and nobody reading it, the master's writer is
 * held back once the slave's input is full: EAGAIN when non-blocking, and
 * a blocked writer (here sendfile from /dev/zero, which would otherwise
 * run for a gigabyte) still dies of SIGKILL. Reading the slave makes room. */
static void test_master_held_back(void)
{
	int m;
	char name[64];
	CHECK(open_pair(&m, name, sizeof name) == 0, "a pair for flow control");
	int s = open(name, O_RDWR | O_NOCTTY);
	struct termios t;
	tcgetattr(s, &t);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	fcntl(m, F_SETFL, O_NONBLOCK);
	char chunk[1024];
	memset(chunk, 'z', sizeof chunk);
	long long written = 0;
	ssize_t n = 0;
	for (int i = 0; i < 4096 && (n = write(m, chunk, sizeof chunk)) > 0; i++)
		written += n;
	CHECK(n == -1 && errno == EAGAIN, "a non-blocking master write is held back with EAGAIN once the slave's input is full");
	CHECK(written > 0 && written < 1024 * 1024, "after %lld bytes", written);
	usleep(100000);
	char got[512];
	CHECK(read(s, got, sizeof got) > 0, "the slave reads some");
	usleep(100000);
	CHECK_EQ(write(m, "y", 1), 1, "and the master may write again");

	fcntl(m, F_SETFL, 0);
	pid_t pid = fork();
	if (pid == 0) {
		int zero = open("/dev/zero", O_RDONLY);
		sendfile(m, zero, NULL, 1 << 30);
		_exit(3);
	}
	usleep(300000);
	CHECK_EQ(kill(pid, SIGKILL), 0, "SIGKILL to a child blocked sending /dev/zero to the master");
	CHECK_EQ(check_wait_within(pid, 5000), 1000 + SIGKILL, "it dies of it within 5 s");
	close(s);
	close(m);
}

int main(void)
{
	test_basics();
	test_unread_echo();
	test_master_held_back();
	test_session();
	return check_done();
}
