/*
 * inotify.c - inotify_init/inotify_init1, inotify_add_watch,
 * inotify_rm_watch: file events read as struct inotify_event records.
 *
 * The events of a directory's entries in the order Linux reports them
 * (IN_CREATE, IN_OPEN, IN_MODIFY, IN_ACCESS, IN_CLOSE_WRITE/NOWRITE,
 * IN_ATTRIB, IN_MOVED_FROM/IN_MOVED_TO with one cookie, IN_DELETE, IN_ISDIR
 * for directories), a watched file's own (no name; IN_DELETE_SELF and
 * IN_IGNORED when its last name goes, IN_MOVE_SELF), identical consecutive
 * events merged, names NUL-padded to 16 bytes, reads of whole records
 * (EINVAL when the first does not fit), FIONREAD, rm_watch's IN_IGNORED,
 * IN_ONESHOT, IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, IN_DONT_FOLLOW,
 * IN_Q_OVERFLOW after max_queued_events, poll/epoll readiness, a blocked
 * read woken by another process's change or interrupted by a signal,
 * IN_NONBLOCK/IN_CLOEXEC, and the argument errors.
 *
 * Works in $TMPDIR (or /tmp); Helctic also runs it on its ext2 disk.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

struct ev {
	int wd;
	uint32_t mask;
	uint32_t cookie;
	uint32_t len;
	char name[256];
};

static struct ev evs[64];
static int nev;

/* Reads every queued event (non-blocking descriptor) into evs[]. */
static int collect(int fd)
{
	static char buf[64 * 1024] __attribute__((aligned(8)));
	nev = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;
			if (nev < 64) {
				evs[nev].wd = e->wd;
				evs[nev].mask = e->mask;
				evs[nev].cookie = e->cookie;
				evs[nev].len = e->len;
				snprintf(evs[nev].name, sizeof evs[nev].name, "%s", e->len ? e->name : "");
			}
			nev++;
			p += sizeof *e + e->len;
		}
	}
	return nev;
}

/* Checks that evs[i] is (wd, mask, name). */
#define EXPECT_EV(i, w, m, n, what)                                                                    \
	CHECK((i) < nev && evs[i].wd == (w) && evs[i].mask == (uint32_t)(m) && !strcmp(evs[i].name, (n)), \
	      "%s: event %d is wd %d mask %#x \"%s\" (got wd %d mask %#x \"%s\")", what, (int)(i), (int)(w), \
	      (unsigned)(m), n, (i) < nev ? evs[i].wd : 0, (i) < nev ? evs[i].mask : 0, (i) < nev ? evs[i].name : "(none)")

static char dir[512];

static const char *at(const char *name)
{
	static char p[4][600];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void touch(const char *name)
{
	close(open(at(name), O_CREAT | O_WRONLY, 0644));
}

static void sleep_ms(int ms)
{
	struct timespec t = {0, ms * 1000 * 1000L};
	nanosleep(&t, NULL);
}

static void test_directory_events(void)
{
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CHECK(in >= 0, "inotify_init1(IN_NONBLOCK | IN_CLOEXEC)");
	CHECK(fcntl(in, F_GETFD) & FD_CLOEXEC, "IN_CLOEXEC sets close-on-exec");
	CHECK(fcntl(in, F_GETFL) & O_NONBLOCK, "IN_NONBLOCK sets O_NONBLOCK");
	char buf[256];
	CHECK_ERR(read(in, buf, sizeof buf), EAGAIN, "no events: EAGAIN");
	int wd = inotify_add_watch(in, dir, IN_ALL_EVENTS);
	CHECK(wd >= 1, "watch the directory for everything (wd %d)", wd);
	CHECK_EQ(inotify_add_watch(in, dir, IN_ALL_EVENTS), wd, "watching it again gives the same wd");

	int fd = open(at("a"), O_CREAT | O_WRONLY, 0644);
	write(fd, "x", 1);
	write(fd, "y", 1);
	write(fd, "z", 1);
	close(fd);
	CHECK_EQ(collect(in), 4, "create, three writes, close: 4 events (the writes merge)");
	EXPECT_EV(0, wd, IN_CREATE, "a", "create");
	EXPECT_EV(1, wd, IN_OPEN, "a", "create");
	EXPECT_EV(2, wd, IN_MODIFY, "a", "create");
	EXPECT_EV(3, wd, IN_CLOSE_WRITE, "a", "create");

	fd = open(at("a"), O_RDONLY);
	read(fd, buf, 1);
	read(fd, buf, 1);
	close(fd);
	CHECK_EQ(collect(in), 3, "open for reading, two reads, close: 3 events");
	EXPECT_EV(0, wd, IN_OPEN, "a", "read");
	EXPECT_EV(1, wd, IN_ACCESS, "a", "read");
	EXPECT_EV(2, wd, IN_CLOSE_NOWRITE, "a", "read");

	fd = open(at("a"), O_RDONLY);
	read(fd, buf, sizeof buf);
	read(fd, buf, sizeof buf); /* at the end: reads nothing, no IN_ACCESS */
	close(fd);
	CHECK_EQ(collect(in), 3, "a read at the end of the file is no access");

	chmod(at("a"), 0600);
	truncate(at("a"), 1);
	utimensat(AT_FDCWD, at("a"), NULL, 0);
	struct timespec mt[2] = {{0, UTIME_OMIT}, {12345, 0}};
	utimensat(AT_FDCWD, at("a"), mt, 0);
	chown(at("a"), (uid_t)-1, (gid_t)-1);
	CHECK_EQ(collect(in), 4, "chmod, truncate, utimensat(NULL), utimensat(mtime), chown(-1, -1): 4 events");
	EXPECT_EV(0, wd, IN_ATTRIB, "a", "chmod");
	EXPECT_EV(1, wd, IN_MODIFY, "a", "truncate");
	EXPECT_EV(2, wd, IN_ATTRIB, "a", "utimensat both times");
	EXPECT_EV(3, wd, IN_MODIFY, "a", "utimensat mtime only");

	CHECK_EQ(rename(at("a"), at("b")), 0, "rename a b");
	CHECK_EQ(collect(in), 2, "a rename: 2 events");
	EXPECT_EV(0, wd, IN_MOVED_FROM, "a", "rename");
	EXPECT_EV(1, wd, IN_MOVED_TO, "b", "rename");
	CHECK(evs[0].cookie != 0 && evs[0].cookie == evs[1].cookie, "MOVED_FROM and MOVED_TO share a cookie (%u, %u)", evs[0].cookie, evs[1].cookie);
	uint32_t first_cookie = evs[0].cookie;
	rename(at("b"), at("c"));
	collect(in);
	CHECK(evs[0].cookie != first_cookie, "the next rename has another cookie");

	link(at("c"), at("d"));
	symlink("c", at("l"));
	CHECK_EQ(collect(in), 2, "link and symlink: 2 events");
	EXPECT_EV(0, wd, IN_CREATE, "d", "link");
	EXPECT_EV(1, wd, IN_CREATE, "l", "symlink");
	fd = open(at("d"), O_WRONLY);
	write(fd, "q", 1);
	close(fd);
	collect(in);
	EXPECT_EV(1, wd, IN_MODIFY, "d", "a write through the second name");
	unlink(at("d"));
	unlink(at("l"));
	unlink(at("c"));
	CHECK_EQ(collect(in), 3, "three unlinks");
	EXPECT_EV(0, wd, IN_DELETE, "d", "unlink");
	EXPECT_EV(2, wd, IN_DELETE, "c", "unlink");

	mkdir(at("sub"), 0755);
	int dfd = open(at("sub"), O_RDONLY | O_DIRECTORY);
	close(dfd);
	rename(at("sub"), at("sub2"));
	rmdir(at("sub2"));
	mkfifo(at("fifo"), 0644);
	unlink(at("fifo"));
	CHECK_EQ(collect(in), 8, "mkdir, open and close it, rename, rmdir, mkfifo, unlink: 8 events");
	EXPECT_EV(0, wd, IN_CREATE | IN_ISDIR, "sub", "mkdir");
	EXPECT_EV(1, wd, IN_OPEN | IN_ISDIR, "sub", "opendir");
	EXPECT_EV(2, wd, IN_CLOSE_NOWRITE | IN_ISDIR, "sub", "closedir");
	EXPECT_EV(3, wd, IN_MOVED_FROM | IN_ISDIR, "sub", "rename a directory");
	EXPECT_EV(4, wd, IN_MOVED_TO | IN_ISDIR, "sub2", "rename a directory");
	EXPECT_EV(5, wd, IN_DELETE | IN_ISDIR, "sub2", "rmdir");
	EXPECT_EV(6, wd, IN_CREATE, "fifo", "mkfifo");
	EXPECT_EV(7, wd, IN_DELETE, "fifo", "unlink the fifo");

	chmod(dir, 0755);
	CHECK_EQ(collect(in), 1, "chmod of the watched directory itself");
	EXPECT_EV(0, wd, IN_ATTRIB | IN_ISDIR, "", "its own event has no name and IN_ISDIR");

	char link_[64] = {0}, path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", in);
	CHECK(readlink(path, link_, sizeof link_ - 1) > 0, "readlink of the inotify descriptor");
	CHECK_STR(link_, "anon_inode:inotify", "its /proc/self/fd link");

	CHECK_EQ(inotify_rm_watch(in, wd), 0, "inotify_rm_watch");
	CHECK_EQ(collect(in), 1, "one event after rm_watch");
	EXPECT_EV(0, wd, IN_IGNORED, "", "rm_watch");
	CHECK_ERR(inotify_rm_watch(in, wd), EINVAL, "removing it again: EINVAL");
	touch("e");
	CHECK_EQ(collect(in), 0, "no events once the watch is gone");
	unlink(at("e"));
	close(in);
}

static void test_file_watch(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	touch("f");
	int wd = inotify_add_watch(in, dir, IN_ALL_EVENTS);
	int wf = inotify_add_watch(in, at("f"), IN_ALL_EVENTS);
	CHECK(wf >= 1 && wf != wd, "a watch on a file has its own wd (%d, dir %d)", wf, wd);
	int fd = open(at("f"), O_WRONLY | O_APPEND);
	write(fd, "1", 1);
	close(fd);
	CHECK_EQ(collect(in), 6, "open, write, close: each reported to the directory and to the file");
	EXPECT_EV(0, wd, IN_OPEN, "f", "directory first");
	EXPECT_EV(1, wf, IN_OPEN, "", "then the file, without a name");
	EXPECT_EV(2, wd, IN_MODIFY, "f", "modify");
	EXPECT_EV(3, wf, IN_MODIFY, "", "modify");
	EXPECT_EV(5, wf, IN_CLOSE_WRITE, "", "close");
	CHECK_EQ(evs[1].len, 0, "an event without a name has len 0");

	link(at("f"), at("g"));
	unlink(at("g"));
	CHECK_EQ(collect(in), 4, "link and unlink of a second name");
	EXPECT_EV(0, wf, IN_ATTRIB, "", "link: the link count changed");
	EXPECT_EV(1, wd, IN_CREATE, "g", "link: then the new name");
	EXPECT_EV(2, wf, IN_ATTRIB, "", "unlink of one of two names: IN_ATTRIB");
	EXPECT_EV(3, wd, IN_DELETE, "g", "unlink");

	rename(at("f"), at("h"));
	CHECK_EQ(collect(in), 3, "rename of a watched file");
	EXPECT_EV(2, wf, IN_MOVE_SELF, "", "IN_MOVE_SELF");

	touch("victim");
	int wv = inotify_add_watch(in, at("victim"), IN_ALL_EVENTS);
	collect(in);
	rename(at("h"), at("victim"));
	CHECK_EQ(collect(in), 6, "renaming over a watched file");
	EXPECT_EV(0, wd, IN_MOVED_FROM, "h", "over");
	EXPECT_EV(1, wd, IN_MOVED_TO, "victim", "over");
	EXPECT_EV(2, wv, IN_ATTRIB, "", "the replaced file lost a link");
	EXPECT_EV(3, wf, IN_MOVE_SELF, "", "the moved file");
	EXPECT_EV(4, wv, IN_DELETE_SELF, "", "the replaced file is gone");
	EXPECT_EV(5, wv, IN_IGNORED, "", "and its watch with it");

	unlink(at("victim"));
	CHECK_EQ(collect(in), 4, "unlink of a watched file's last name");
	EXPECT_EV(0, wf, IN_ATTRIB, "", "IN_ATTRIB");
	EXPECT_EV(1, wf, IN_DELETE_SELF, "", "IN_DELETE_SELF");
	EXPECT_EV(2, wf, IN_IGNORED, "", "IN_IGNORED");
	EXPECT_EV(3, wd, IN_DELETE, "victim", "then the directory's IN_DELETE");
	CHECK_ERR(inotify_rm_watch(in, wf), EINVAL, "the file's watch is gone");

	mkdir(at("sd"), 0755);
	int ws = inotify_add_watch(in, at("sd"), IN_ALL_EVENTS);
	touch("sd/inner");
	unlink(at("sd/inner"));
	rmdir(at("sd"));
	CHECK_EQ(collect(in), 8, "a watched subdirectory: its creation, its entries, then its removal");
	EXPECT_EV(1, ws, IN_CREATE, "inner", "the subdirectory's watch names its entry");
	EXPECT_EV(4, ws, IN_DELETE, "inner", "and its deletion");
	EXPECT_EV(5, ws, IN_DELETE_SELF, "", "rmdir: IN_DELETE_SELF (no IN_ISDIR, as Linux)");
	EXPECT_EV(6, ws, IN_IGNORED, "", "IN_IGNORED");
	EXPECT_EV(7, wd, IN_DELETE | IN_ISDIR, "sd", "the parent's IN_DELETE");
	close(in);
}

static void test_watch_options(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	touch("o");
	int w = inotify_add_watch(in, at("o"), IN_MODIFY | IN_ONESHOT);
	int fd = open(at("o"), O_WRONLY);
	write(fd, "a", 1);
	close(fd);
	fd = open(at("o"), O_WRONLY);
	write(fd, "b", 1);
	close(fd);
	CHECK_EQ(collect(in), 2, "IN_ONESHOT: one event, then the watch ends");
	EXPECT_EV(0, w, IN_MODIFY, "", "oneshot");
	EXPECT_EV(1, w, IN_IGNORED, "", "oneshot");

	int d = inotify_add_watch(in, dir, IN_CREATE);
	CHECK_EQ(inotify_add_watch(in, dir, IN_DELETE), d, "a new mask for the same directory: same wd");
	touch("p");
	unlink(at("p"));
	CHECK_EQ(collect(in), 1, "the new mask replaced the old one");
	EXPECT_EV(0, d, IN_DELETE, "p", "replaced");
	CHECK_EQ(inotify_add_watch(in, dir, IN_CREATE | IN_MASK_ADD), d, "IN_MASK_ADD: same wd");
	touch("p");
	unlink(at("p"));
	CHECK_EQ(collect(in), 2, "IN_MASK_ADD added to the mask");
	EXPECT_EV(0, d, IN_CREATE, "p", "added");
	EXPECT_EV(1, d, IN_DELETE, "p", "kept");
	CHECK_ERR(inotify_add_watch(in, dir, IN_CREATE | IN_MASK_CREATE), EEXIST, "IN_MASK_CREATE on a watched directory: EEXIST");
	CHECK_ERR(inotify_add_watch(in, at("o"), IN_ATTRIB | IN_ONLYDIR), ENOTDIR, "IN_ONLYDIR on a file: ENOTDIR");
	symlink("o", at("lnk"));
	int wo = inotify_add_watch(in, at("o"), IN_ATTRIB);
	CHECK_EQ(inotify_add_watch(in, at("lnk"), IN_ATTRIB), wo, "a symlink is followed: the target's wd");
	int wl = inotify_add_watch(in, at("lnk"), IN_ATTRIB | IN_DONT_FOLLOW);
	CHECK(wl >= 1 && wl != wo, "IN_DONT_FOLLOW watches the link itself (%d, target %d)", wl, wo);
	collect(in);
	chmod(at("lnk"), 0644);
	CHECK_EQ(collect(in), 1, "chmod through the link");
	EXPECT_EV(0, wo, IN_ATTRIB, "", "reaches the target's watch");
	unlink(at("lnk"));
	unlink(at("o"));
	close(in);
}

static void test_records_and_reads(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	int wd = inotify_add_watch(in, dir, IN_CREATE);
	touch("x");
	touch("sixteen-chars-xx");
	touch("y");
	int avail = -1;
	CHECK_EQ(ioctl(in, FIONREAD, &avail), 0, "FIONREAD");
	CHECK_EQ(avail, 32 + 48 + 32, "FIONREAD: the bytes of three records (32 + 48 + 32)");
	char buf[512] __attribute__((aligned(8)));
	CHECK_ERR(read(in, buf, 31), EINVAL, "a buffer smaller than the first record: EINVAL");
	CHECK_ERR(read(in, buf, 0), EINVAL, "a 0-byte read with an event queued: EINVAL");
	memset(buf, 0x55, sizeof buf);
	CHECK_EQ(read(in, buf, 40), 32, "a buffer for one record and a half gets one");
	struct inotify_event *e = (struct inotify_event *)buf;
	CHECK(e->wd == wd && e->mask == IN_CREATE && e->cookie == 0, "the record's header");
	CHECK_EQ(e->len, 16, "\"x\" with its NUL padded to 16");
	CHECK(!strcmp(e->name, "x") && buf[16 + 15] == 0 && buf[16 + 2] == 0, "the name, NUL-padded");
	CHECK_EQ(read(in, buf, sizeof buf), 80, "the rest: 48 + 32 bytes");
	CHECK_EQ(e->len, 32, "a 16-character name takes 32 (room for its NUL)");
	CHECK_STR(e->name, "sixteen-chars-xx", "its name");
	unlink(at("x"));
	unlink(at("y"));
	unlink(at("sixteen-chars-xx"));
	close(in);
}

static void test_overflow(void)
{
	long max = 16384;
	FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 16384;
		fclose(f);
	}
	CHECK(max > 0 && max <= 1 << 20, "max_queued_events %ld", max);
	int in = inotify_init1(IN_NONBLOCK);
	touch("flood");
	int fd = open(at("flood"), O_RDWR);
	int wd = inotify_add_watch(in, at("flood"), IN_MODIFY | IN_ACCESS);
	char c = 'c';
	/* Alternating write and read: no two events alike in a row. */
	for (long i = 0; i < max / 2 + 8; i++) {
		pwrite(fd, &c, 1, 0);
		pread(fd, &c, 1, 0);
	}
	static char buf[64 * 1024] __attribute__((aligned(8)));
	long total = 0, modifies = 0, overflows = 0, last_wd = 0;
	uint32_t last_mask = 0;
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;
			total++;
			modifies += e->mask == IN_MODIFY;
			overflows += e->mask == IN_Q_OVERFLOW;
			last_mask = e->mask;
			last_wd = e->wd;
			p += sizeof *e + e->len;
		}
	}
	CHECK_EQ(total, max + 1, "a full queue holds max_queued_events, then one overflow event");
	CHECK_EQ(modifies, max / 2, "the first half of them IN_MODIFY");
	CHECK_EQ(overflows, 1, "exactly one IN_Q_OVERFLOW");
	CHECK(last_mask == IN_Q_OVERFLOW && last_wd == -1, "at the end, with wd -1 (mask %#x wd %ld)", last_mask, last_wd);
	pwrite(fd, &c, 1, 0);
	CHECK_EQ(collect(in), 1, "once read, events queue again");
	EXPECT_EV(0, wd, IN_MODIFY, "", "after the overflow");
	close(fd);
	unlink(at("flood"));
	close(in);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void test_waiting(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	int wd = inotify_add_watch(in, dir, IN_CREATE | IN_DELETE);
	struct pollfd p = {in, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 0), 0, "poll: nothing queued");
	touch("r");
	CHECK_EQ(poll(&p, 1, 0), 1, "poll: readable with an event queued");
	CHECK_EQ(p.revents, POLLIN, "POLLIN");
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 3}, out;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev), 0, "epoll_ctl ADD an inotify descriptor");
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 1, "epoll: readable");
	collect(in);
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0, "epoll: empty once read");

	/* Another process's change wakes a blocked reader. */
	int b = inotify_init();
	CHECK_EQ(fcntl(b, F_GETFL) & O_NONBLOCK, 0, "inotify_init: blocking");
	CHECK_EQ(fcntl(b, F_GETFD) & FD_CLOEXEC, 0, "inotify_init: no close-on-exec");
	int wb = inotify_add_watch(b, dir, IN_DELETE);
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(20);
		_exit(unlink(at("r")) == 0 ? 0 : 1);
	}
	char buf[256] __attribute__((aligned(8)));
	ssize_t n = read(b, buf, sizeof buf);
	CHECK_EQ(n, 32, "a blocked read wakes when another process deletes an entry");
	struct inotify_event *e = (struct inotify_event *)buf;
	CHECK(e->wd == wb && e->mask == IN_DELETE && !strcmp(e->name, "r"), "IN_DELETE \"r\"");
	CHECK_EQ(check_wait(pid), 0, "the child");
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 1, "the other descriptor has it too");
	collect(in);
	EXPECT_EV(0, wd, IN_DELETE, "r", "delete seen by the first descriptor");

	pid = fork();
	if (pid == 0) {
		sleep_ms(20);
		touch("s");
		_exit(0);
	}
	CHECK_EQ(epoll_wait(ep, &out, 1, -1), 1, "epoll_wait sleeping is woken by an event");
	check_wait(pid);
	collect(in);
	unlink(at("s"));

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	pid_t parent = getpid();
	pid = fork();
	if (pid == 0) {
		for (;;) {
			kill(parent, SIGALRM);
			sleep_ms(2);
		}
	}
	int fresh = inotify_init();
	inotify_add_watch(fresh, dir, IN_ATTRIB);
	errno = 0;
	n = read(fresh, buf, sizeof buf);
	int err = errno;
	kill(pid, SIGKILL);
	check_wait(pid);
	CHECK(n == -1 && err == EINTR, "a handled signal interrupts a blocked read: EINTR (got %zd errno %d)", n, err);
	signal(SIGALRM, SIG_DFL);
	close(fresh);
	close(b);
	close(ep);
	close(in);
}

static void test_errors(void)
{
	CHECK_ERR(inotify_init1(O_CREAT), EINVAL, "inotify_init1 with an unknown flag: EINVAL");
	int in = inotify_init1(0);
	CHECK_ERR(inotify_add_watch(in, dir, 0), EINVAL, "an empty mask: EINVAL");
	CHECK_ERR(inotify_add_watch(in, dir, IN_CREATE | IN_MASK_ADD | IN_MASK_CREATE), EINVAL, "IN_MASK_ADD with IN_MASK_CREATE: EINVAL");
	CHECK_ERR(inotify_add_watch(in, at("missing"), IN_CREATE), ENOENT, "a missing path: ENOENT");
	CHECK_ERR(inotify_add_watch(in, (const char *)8, IN_CREATE), EFAULT, "an unreadable path: EFAULT");
	int pfd[2];
	pipe(pfd);
	CHECK_ERR(inotify_add_watch(pfd[0], dir, IN_CREATE), EINVAL, "a pipe is not an inotify descriptor: EINVAL");
	CHECK_ERR(inotify_rm_watch(pfd[0], 1), EINVAL, "rm_watch on a pipe: EINVAL");
	close(pfd[0]);
	close(pfd[1]);
	CHECK_ERR(inotify_add_watch(pfd[0], dir, IN_CREATE), EBADF, "a closed descriptor: EBADF");
	CHECK_ERR(inotify_rm_watch(in, 12345), EINVAL, "rm_watch of an unknown wd: EINVAL");
	char c = 0;
	CHECK_ERR(write(in, &c, 1), EBADF, "write to an inotify descriptor (opened read-only): EBADF");
	close(in);
}

int main(void)
{
	char *d = check_scratch_dir("inotify");
	CHECK_BAIL(d != NULL, "scratch directory");
	snprintf(dir, sizeof dir, "%s", d);
	test_directory_events();
	test_file_watch();
	test_watch_options();
	test_records_and_reads();
	test_overflow();
	test_waiting();
	test_errors();
	check_rm_rf(dir);
	return check_done();
}
