/*
 * unix_sockets.c - Unix-domain sockets as Linux has them: socketpair,
 * bind/listen/accept/connect by path and abstract name, datagrams and
 * their boundaries, seqpacket, SCM_RIGHTS and SCM_CREDENTIALS, poll,
 * EPIPE/SIGPIPE, socket options and the errors of each call.
 * Runs natively first; the same checks must pass inside Helctic.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_sigpipe;
static void on_sigpipe(int s) { (void)s; got_sigpipe++; }
static void on_alarm(int s) { (void)s; }

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof a->sun_path - 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

/* Sends `n` descriptors (and one byte) through `s`. */
static int send_fds(int s, const int *fds, int n)
{
	char byte = 'F';
	struct iovec iov = { &byte, 1 };
	char control[CMSG_SPACE(sizeof(int) * 300)];
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = control;
	m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
	memset(control, 0, sizeof control);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	/* The system call itself: musl's sendmsg refuses control buffers over 1 KiB. */
	return (int)syscall(SYS_sendmsg, s, &m, 0);
}

/* Receives one byte and up to `max` descriptors; returns how many came. */
static int recv_fds(int s, int *fds, int max, size_t room, int flags, int *msg_flags)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	char control[CMSG_SPACE(sizeof(int) * 300)];
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = control;
	m.msg_controllen = room;
	if (recvmsg(s, &m, flags) < 0)
		return -1;
	*msg_flags = m.msg_flags;
	int got = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (int i = 0; i < n && got < max; i++)
				memcpy(&fds[got++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
		}
	}
	return got;
}

static void test_socketpair_stream(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0, "socketpair(AF_UNIX, SOCK_STREAM)");
	CHECK_EQ(write(sv[0], "hello", 5), 5, "stream: write 5 bytes");
	CHECK_EQ(write(sv[0], " world", 6), 6, "stream: write 6 more");
	int avail = -1;
	CHECK_EQ(ioctl(sv[1], FIONREAD, &avail), 0, "FIONREAD on a stream socket");
	CHECK_EQ(avail, 11, "FIONREAD counts every queued byte");
	char buf[64] = { 0 };
	CHECK_EQ(recv(sv[1], buf, sizeof buf, MSG_PEEK), 11, "stream: MSG_PEEK sees both writes joined");
	CHECK_EQ(read(sv[1], buf, 3), 3, "stream: a short read");
	CHECK_EQ(read(sv[1], buf, sizeof buf), 8, "stream: the rest");
	CHECK(memcmp(buf, "lo world", 8) == 0, "stream: bytes in order");
	CHECK_ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "stream: MSG_DONTWAIT on an empty socket");

	struct stat st;
	CHECK_EQ(fstat(sv[0], &st), 0, "fstat on a socket");
	CHECK(S_ISSOCK(st.st_mode), "fstat says S_IFSOCK");
	char link[64], want[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", sv[0]);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
	CHECK_STR(buf, want, "/proc/self/fd link is socket:[inode]");

	struct pollfd p = { sv[1], POLLIN | POLLOUT | POLLRDHUP, 0 };
	CHECK_EQ(poll(&p, 1, 0), 1, "poll: a connected socket");
	CHECK_EQ(p.revents, POLLOUT, "poll: writable, not readable");
	CHECK_EQ(shutdown(sv[0], SHUT_WR), 0, "shutdown(SHUT_WR)");
	CHECK_EQ(poll(&p, 1, 0), 1, "poll after the peer's SHUT_WR");
	CHECK(p.revents & POLLIN, "poll: readable (end of file)");
	CHECK(p.revents & POLLRDHUP, "poll: POLLRDHUP");
	CHECK_EQ(read(sv[1], buf, sizeof buf), 0, "read: end of file after SHUT_WR");
	CHECK_ERR(shutdown(sv[0], 7), EINVAL, "shutdown with a bad how");

	signal(SIGPIPE, on_sigpipe);
	got_sigpipe = 0;
	CHECK_ERR(write(sv[0], "x", 1), EPIPE, "write after SHUT_WR: EPIPE");
	CHECK_EQ(got_sigpipe, 1, "... and SIGPIPE");
	CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "send with MSG_NOSIGNAL: EPIPE");
	CHECK_EQ(got_sigpipe, 1, "... without SIGPIPE");

	close(sv[0]);
	p.events = POLLIN | POLLRDHUP;
	CHECK_EQ(poll(&p, 1, 0), 1, "poll after the peer closed");
	CHECK(p.revents & POLLHUP, "poll: POLLHUP once the peer is gone");
	CHECK_ERR(write(sv[1], "x", 1), EPIPE, "write to a closed peer: EPIPE");
	CHECK_EQ(got_sigpipe, 2, "... and SIGPIPE");
	close(sv[1]);

	/* Unread data at close: the peer's next read is ECONNRESET. */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0, "socketpair again");
	CHECK_EQ(write(sv[1], "zz", 2), 2, "write to be left unread");
	close(sv[0]);
	CHECK_ERR(read(sv[1], buf, sizeof buf), ECONNRESET, "closing with unread data resets the peer");
	CHECK_EQ(read(sv[1], buf, sizeof buf), 0, "then end of file");
	close(sv[1]);
	signal(SIGPIPE, SIG_DFL);
}

static void test_datagrams(void)
{
	int sv[2];
	char buf[64];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0, "socketpair(SOCK_DGRAM | SOCK_CLOEXEC)");
	CHECK_EQ(fcntl(sv[0], F_GETFD), FD_CLOEXEC, "SOCK_CLOEXEC sets close-on-exec");
	CHECK_EQ(send(sv[0], "one", 3, 0), 3, "dgram: send 3");
	CHECK_EQ(send(sv[0], "", 0, 0), 0, "dgram: an empty datagram");
	CHECK_EQ(send(sv[0], "three33", 7, 0), 7, "dgram: send 7");
	int avail = -1;
	CHECK_EQ(ioctl(sv[1], FIONREAD, &avail), 0, "FIONREAD on a datagram socket");
	CHECK_EQ(avail, 3, "FIONREAD: the next datagram's size");
	CHECK_EQ(recv(sv[1], buf, sizeof buf, 0), 3, "dgram: boundaries kept");
	CHECK_EQ(recv(sv[1], buf, sizeof buf, 0), 0, "dgram: the empty one");
	CHECK_EQ(recv(sv[1], buf, 2, MSG_TRUNC | MSG_PEEK), 7, "MSG_TRUNC returns the real length");
	struct iovec iov = { buf, 2 };
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	CHECK_EQ(recvmsg(sv[1], &m, 0), 2, "recvmsg into a small buffer");
	CHECK(m.msg_flags & MSG_TRUNC, "msg_flags has MSG_TRUNC");
	CHECK_ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "the rest of a truncated datagram is gone");

	struct iovec two[2] = { { "ab", 2 }, { "cde", 3 } };
	CHECK_EQ(writev(sv[0], two, 2), 5, "writev: one datagram of both buffers");
	char x[2], y[8];
	struct iovec in[2] = { { x, 2 }, { y, sizeof y } };
	CHECK_EQ(readv(sv[1], in, 2), 5, "readv: one datagram spread over both buffers");
	CHECK(memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0, "readv: the bytes in order");

	struct sockaddr_un from;
	socklen_t fromlen = sizeof from;
	CHECK_EQ(send(sv[0], "a", 1, 0), 1, "send from an unnamed socket");
	CHECK_EQ(recvfrom(sv[1], buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen), 1, "recvfrom");
	CHECK_EQ(fromlen, 0, "recvfrom: an unnamed sender has a 0-length address");

	/* Fill until EAGAIN, then a read makes room again. */
	int sent = 0;
	char big[4096] = { 0 };
	while (send(sv[0], big, sizeof big, MSG_DONTWAIT) == (ssize_t)sizeof big && sent < 10000)
		sent++;
	CHECK(sent > 0 && sent < 10000 && errno == EAGAIN, "a full datagram queue gives EAGAIN (after %d)", sent);
	struct pollfd p = { sv[0], POLLOUT, 0 };
	CHECK_EQ(poll(&p, 1, 0), 0, "poll: not writable while full");
	while (recv(sv[1], big, sizeof big, MSG_DONTWAIT) > 0)
		;
	CHECK_EQ(poll(&p, 1, 0), 1, "poll: writable once drained");
	int sndbuf = 0;
	socklen_t len = sizeof sndbuf;
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len), 0, "getsockopt SO_SNDBUF");
	char *huge = calloc(1, (size_t)sndbuf + 1);
	CHECK_ERR(send(sv[0], huge, (size_t)sndbuf, 0), EMSGSIZE, "a datagram larger than the buffer: EMSGSIZE");
	free(huge);
	close(sv[0]);
	close(sv[1]);
}

static void test_named(const char *dir)
{
	char path[200];
	snprintf(path, sizeof path, "%s/sock.%d", dir, (int)getpid());
	unlink(path);
	struct sockaddr_un a, b;
	socklen_t alen = path_addr(&a, path);

	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(l >= 0, "socket(AF_UNIX, SOCK_STREAM)");
	CHECK_ERR(listen(l, 5), EINVAL, "listen on an unbound socket");
	CHECK_ERR(bind(l, (struct sockaddr *)&a, 1), EINVAL, "bind with a 1-byte address");
	CHECK_ERR(bind(l, (struct sockaddr *)&a, sizeof a + 1), EINVAL, "bind with a too long address");
	CHECK_EQ(bind(l, (struct sockaddr *)&a, alen), 0, "bind to a path");
	struct stat st;
	CHECK_EQ(stat(path, &st), 0, "the path exists");
	CHECK(S_ISSOCK(st.st_mode), "as a socket node");
	CHECK_ERR(open(path, O_RDONLY), ENXIO, "open() of a socket node: ENXIO");
	CHECK_ERR(bind(l, (struct sockaddr *)&a, alen), EADDRINUSE, "binding a bound socket to its own path again: EADDRINUSE");
	struct sockaddr_un other;
	char other_path[220];
	snprintf(other_path, sizeof other_path, "%s/other.%d", dir, (int)getpid());
	socklen_t olen = path_addr(&other, other_path);
	CHECK_ERR(bind(l, (struct sockaddr *)&other, olen), EINVAL, "binding a bound socket to a new path: EINVAL");
	CHECK_ERR(access(other_path, F_OK), ENOENT, "... which leaves no node behind");
	int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(l2, (struct sockaddr *)&a, alen), EADDRINUSE, "binding an existing path: EADDRINUSE");
	close(l2);

	int c0 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c0, (struct sockaddr *)&a, alen), ECONNREFUSED, "connect before listen: ECONNREFUSED");
	close(c0);
	CHECK_EQ(listen(l, 5), 0, "listen");
	int on = -1;
	socklen_t len = sizeof on;
	CHECK_EQ(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &on, &len), 0, "getsockopt SO_ACCEPTCONN");
	CHECK_EQ(on, 1, "SO_ACCEPTCONN is 1 when listening");
	struct pollfd p = { l, POLLIN, 0 };
	CHECK_EQ(poll(&p, 1, 0), 0, "listening socket: not readable without a connection");

	pid_t child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, alen) != 0)
			_exit(1);
		char buf[16];
		ssize_t n = read(c, buf, sizeof buf);
		if (n != 4 || memcmp(buf, "ping", 4) != 0)
			_exit(2);
		if (write(c, "pong", 4) != 4)
			_exit(3);
		struct ucred u;
		socklen_t ul = sizeof u;
		if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &u, &ul) != 0 || u.pid != getppid())
			_exit(4);
		_exit(0);
	}
	CHECK_EQ(poll(&p, 1, 5000), 1, "listening socket readable when a connection waits");
	struct sockaddr_un peer;
	socklen_t plen = sizeof peer;
	int s = accept4(l, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
	CHECK(s >= 0, "accept4");
	CHECK_EQ(plen, sizeof(sa_family_t), "accept: an unnamed peer's address is the family only");
	CHECK_EQ(fcntl(s, F_GETFD), FD_CLOEXEC, "accept4(SOCK_CLOEXEC)");
	struct ucred u;
	socklen_t ul = sizeof u;
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &u, &ul), 0, "SO_PEERCRED");
	CHECK_EQ(u.pid, child, "SO_PEERCRED: the client's pid");
	CHECK_EQ(u.uid, geteuid(), "SO_PEERCRED: the client's uid");
	CHECK_EQ(ul, sizeof u, "SO_PEERCRED: length");
	CHECK_EQ(write(s, "ping", 4), 4, "server writes");
	char buf[16];
	CHECK_EQ(recv(s, buf, 4, MSG_WAITALL), 4, "server reads the answer (MSG_WAITALL)");
	CHECK(memcmp(buf, "pong", 4) == 0, "the answer is pong");
	int status = -1;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "client: connect, read, write, SO_PEERCRED (status %d)", status);
	struct sockaddr_un me;
	socklen_t mlen = sizeof me;
	CHECK_EQ(getsockname(s, (struct sockaddr *)&me, &mlen), 0, "getsockname of the accepted socket");
	CHECK_EQ(mlen, alen, "it has the listener's name (length)");
	CHECK_STR(me.sun_path, path, "... and path");
	mlen = 4;
	CHECK_EQ(getsockname(l, (struct sockaddr *)&me, &mlen), 0, "getsockname with a short buffer");
	CHECK_EQ(mlen, alen, "reports the real length");
	close(s);

	/* connect errors */
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	char missing[220];
	snprintf(missing, sizeof missing, "%s/missing.%d", dir, (int)getpid());
	socklen_t blen = path_addr(&b, missing);
	CHECK_ERR(connect(c, (struct sockaddr *)&b, blen), ENOENT, "connect to a missing path: ENOENT");
	CHECK_ERR(connect(c, (struct sockaddr *)&b, 2), EINVAL, "connect with only the family: EINVAL");
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(connect(d, (struct sockaddr *)&a, alen), EPROTOTYPE, "datagram connect to a stream socket: EPROTOTYPE");
	CHECK_ERR(listen(d, 1), EOPNOTSUPP, "listen on a datagram socket: EOPNOTSUPP");
	CHECK_ERR(accept(d, NULL, NULL), EOPNOTSUPP, "accept on a datagram socket: EOPNOTSUPP");
	close(d);
	CHECK_ERR(getpeername(c, (struct sockaddr *)&me, &mlen), ENOTCONN, "getpeername unconnected: ENOTCONN");
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), ENOTCONN, "send unconnected: ENOTCONN");
	CHECK_EQ(connect(c, (struct sockaddr *)&a, alen), 0, "connect (queued, not accepted yet)");
	CHECK_ERR(connect(c, (struct sockaddr *)&a, alen), EISCONN, "connect again: EISCONN");
	CHECK_ERR(sendto(c, "x", 1, 0, (struct sockaddr *)&a, alen), EISCONN, "sendto with an address on a connected stream: EISCONN");
	plen = sizeof peer;
	CHECK_EQ(getpeername(c, (struct sockaddr *)&peer, &plen), 0, "getpeername");
	CHECK_STR(peer.sun_path, path, "getpeername: the listener's path");
	CHECK_ERR(accept(c, NULL, NULL), EINVAL, "accept on a connected socket: EINVAL");
	s = accept(l, NULL, NULL);
	CHECK(s >= 0, "accept the queued connection");
	close(s);
	close(c);

	/* unlink removes the name, not the socket */
	CHECK_EQ(unlink(path), 0, "unlink the socket's path");
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, alen), ENOENT, "connect to the unlinked path: ENOENT");
	close(c);
	int fl = fcntl(l, F_GETFL);
	fcntl(l, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "non-blocking accept without a connection: EAGAIN");
	close(l);

	/* A path socket left bound after its socket closed refuses connections. */
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(bind(l, (struct sockaddr *)&a, alen), 0, "bind again");
	close(l);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED, "a stale socket node: ECONNREFUSED");
	close(c);
	unlink(path);
}

static void test_abstract_and_dgram_names(void)
{
	struct sockaddr_un a, got;
	char name[64];
	snprintf(name, sizeof name, "helctic-test-%d", (int)getpid());
	socklen_t alen = abstract_addr(&a, name);
	int r = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_EQ(bind(r, (struct sockaddr *)&a, alen), 0, "bind to an abstract name");
	int r2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(bind(r2, (struct sockaddr *)&a, alen), EADDRINUSE, "the abstract name is taken: EADDRINUSE");
	socklen_t glen = sizeof got;
	CHECK_EQ(getsockname(r, (struct sockaddr *)&got, &glen), 0, "getsockname of an abstract socket");
	CHECK_EQ(glen, alen, "its length: family + NUL + name");
	CHECK(got.sun_path[0] == 0 && memcmp(got.sun_path + 1, name, strlen(name)) == 0, "its name");

	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un auto_a;
	memset(&auto_a, 0, sizeof auto_a);
	auto_a.sun_family = AF_UNIX;
	CHECK_EQ(bind(s, (struct sockaddr *)&auto_a, sizeof(sa_family_t)), 0, "autobind (address of the family only)");
	glen = sizeof got;
	CHECK_EQ(getsockname(s, (struct sockaddr *)&got, &glen), 0, "getsockname after autobind");
	CHECK_EQ(glen, 8, "autobind gives a 5-character abstract name");
	CHECK_EQ(sendto(s, "hey", 3, 0, (struct sockaddr *)&a, alen), 3, "sendto an abstract name");
	struct sockaddr_un from;
	socklen_t flen = sizeof from;
	char buf[16];
	CHECK_EQ(recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen), 3, "recvfrom");
	CHECK_EQ(flen, 8, "recvfrom: the sender's autobound name length");
	CHECK(memcmp(&from, &got, 8) == 0, "recvfrom: the sender's name");
	CHECK_ERR(send(s, "x", 1, 0), ENOTCONN, "send on an unconnected datagram socket: ENOTCONN");
	CHECK_EQ(connect(s, (struct sockaddr *)&a, alen), 0, "connect a datagram socket");
	CHECK_EQ(send(s, "yo", 2, 0), 2, "send to the connected destination");
	CHECK_EQ(recv(r, buf, sizeof buf, 0), 2, "received");
	CHECK_EQ(connect(r, (struct sockaddr *)&got, glen), 0, "the receiver connects to the sender");
	CHECK_ERR(sendto(r2, "x", 1, 0, (struct sockaddr *)&a, alen), EPERM, "a socket connected elsewhere refuses others: EPERM");
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	CHECK_EQ(connect(r, &unspec, sizeof unspec), 0, "AF_UNSPEC disconnects a datagram socket");
	close(r);
	CHECK_ERR(send(s, "x", 1, 0), ECONNREFUSED, "the connected peer closed: ECONNREFUSED");
	CHECK_ERR(send(s, "x", 1, 0), ENOTCONN, "then the peer is forgotten: ENOTCONN");
	close(r2);
	close(s);
}

static void test_epoll(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0, "socketpair for epoll");
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.u64 = 42 }, out[2];
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev), 0, "epoll_ctl ADD a socket");
	CHECK_EQ(epoll_wait(ep, out, 2, 0), 0, "epoll: nothing yet");
	CHECK_EQ(write(sv[1], "e", 1), 1, "write to the peer");
	CHECK_EQ(epoll_wait(ep, out, 2, 1000), 1, "epoll: readable");
	CHECK(out[0].events == EPOLLIN && out[0].data.u64 == 42, "epoll: EPOLLIN with its data (events %#x)", out[0].events);
	close(sv[1]);
	CHECK_EQ(epoll_wait(ep, out, 2, 1000), 1, "epoll after the peer closed");
	CHECK((out[0].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) == (EPOLLIN | EPOLLRDHUP | EPOLLHUP), "epoll: EPOLLIN, EPOLLRDHUP and EPOLLHUP (events %#x)", out[0].events);
	close(ep);
	close(sv[0]);
}

static void test_seqpacket(void)
{
	int sv[2];
	char buf[64];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0, "socketpair(SOCK_SEQPACKET)");
	CHECK_EQ(send(sv[0], "abc", 3, 0), 3, "seqpacket: send 3");
	CHECK_EQ(send(sv[0], "defgh", 5, 0), 5, "seqpacket: send 5");
	CHECK_EQ(recv(sv[1], buf, sizeof buf, 0), 3, "seqpacket: records kept");
	CHECK_EQ(recv(sv[1], buf, 2, 0), 2, "seqpacket: a truncated record");
	CHECK_ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "seqpacket: the rest is discarded");
	int type = 0;
	socklen_t len = sizeof type;
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len), 0, "SO_TYPE");
	CHECK_EQ(type, SOCK_SEQPACKET, "SO_TYPE is SOCK_SEQPACKET");
	close(sv[0]);
	CHECK_EQ(recv(sv[1], buf, sizeof buf, 0), 0, "seqpacket: end of file after the peer closes");
	signal(SIGPIPE, on_sigpipe);
	got_sigpipe = 0;
	CHECK_ERR(write(sv[1], "x", 1), EPIPE, "seqpacket: write to a closed peer: EPIPE");
	CHECK_EQ(got_sigpipe, 0, "seqpacket: ... without SIGPIPE (unlike a stream)");
	signal(SIGPIPE, SIG_DFL);
	close(sv[1]);
	int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT), ENOTCONN, "seqpacket recv unconnected: ENOTCONN");
	close(s);
}

static void test_rights(void)
{
	int sv[2], p[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0, "socketpair for SCM_RIGHTS");
	CHECK_EQ(pipe(p), 0, "a pipe to pass");
	CHECK_EQ(send_fds(sv[0], &p[1], 1), 1, "send the pipe's write end");
	int got[4] = { -1, -1, -1, -1 }, flags = 0;
	CHECK_EQ(recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC, &flags), 1, "receive one descriptor");
	CHECK(got[0] >= 0 && got[0] != p[1], "a new descriptor number");
	CHECK_EQ(fcntl(got[0], F_GETFD), FD_CLOEXEC, "MSG_CMSG_CLOEXEC");
	CHECK_EQ(write(got[0], "via", 3), 3, "write through the received descriptor");
	char buf[16];
	CHECK_EQ(read(p[0], buf, sizeof buf), 3, "arrives in the same pipe");
	close(got[0]);

	/* a socket through a socket */
	int inner[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, inner), 0, "a socket pair to pass");
	CHECK_EQ(send_fds(sv[0], &inner[0], 1), 1, "send a socket");
	CHECK_EQ(recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int)), 0, &flags), 1, "receive the socket");
	CHECK_EQ(send(got[0], "in", 2, 0), 2, "send through the received socket");
	CHECK_EQ(recv(inner[1], buf, sizeof buf, 0), 2, "its peer gets it");
	close(got[0]);

	/* too little room: MSG_CTRUNC, the rest closed */
	int three[3] = { p[0], p[1], inner[1] };
	CHECK_EQ(send_fds(sv[0], three, 3), 1, "send three descriptors");
	CHECK_EQ(recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int)), 0, &flags), 2, "room for two (CMSG_SPACE of one int): two arrive");
	CHECK(flags & MSG_CTRUNC, "MSG_CTRUNC");
	close(got[0]);
	close(got[1]);
	CHECK_EQ(send_fds(sv[0], three, 2), 1, "send two");
	CHECK_EQ(recv_fds(sv[1], got, 4, 0, 0, &flags), 0, "no control buffer: none arrive");
	CHECK(flags & MSG_CTRUNC, "... MSG_CTRUNC");

	/* peek duplicates */
	CHECK_EQ(send_fds(sv[0], &p[0], 1), 1, "send for a peek");
	CHECK_EQ(recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int)), MSG_PEEK, &flags), 1, "peek gets a descriptor");
	CHECK_EQ(recv_fds(sv[1], got + 1, 3, CMSG_SPACE(sizeof(int)), 0, &flags), 1, "the real read gets another");
	CHECK(got[0] != got[1], "two different descriptors");
	close(got[0]);
	close(got[1]);

	/* A socket passed through itself: Linux queues it and collects the
	 * cycle once both ends are closed; Helctic refuses the send
	 * (ETOOMANYREFS). Either way the call ends and nothing else breaks. */
	int cyc[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, cyc), 0, "a pair for a cycle");
	int r = send_fds(cyc[0], &cyc[1], 1);
	CHECK(r == 1 || (r < 0 && errno == ETOOMANYREFS), "a socket sent into its own queue: queued or ETOOMANYREFS");
	close(cyc[0]);
	close(cyc[1]);

	/* errors */
	int closed = 1000;
	CHECK_ERR(send_fds(sv[0], &closed, 1), EBADF, "a closed descriptor: EBADF");
	int many[254];
	for (int i = 0; i < 254; i++)
		many[i] = p[0];
	CHECK_ERR(send_fds(sv[0], many, 254), EINVAL, "more than SCM_MAX_FD (253): EINVAL");
	CHECK_EQ(send_fds(sv[0], many, 253), 1, "SCM_MAX_FD descriptors");
	int fds253[300];
	CHECK_EQ(recv_fds(sv[1], fds253, 300, CMSG_SPACE(sizeof(int) * 253), 0, &flags), 253, "all 253 arrive");
	for (int i = 0; i < 253; i++)
		close(fds253[i]);

	/* a bad control message */
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	char control[CMSG_SPACE(sizeof(int))];
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = control;
	m.msg_controllen = sizeof control;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = sizeof control + 8;
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL, "a cmsg_len past the buffer: EINVAL");
	c->cmsg_len = 8;
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL, "a cmsg_len under the header: EINVAL");
	c->cmsg_len = CMSG_LEN(sizeof(int));
	c->cmsg_type = 77;
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL, "an unknown SOL_SOCKET type: EINVAL");

	close(inner[0]);
	close(inner[1]);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

static void test_credentials(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0, "socketpair for SCM_CREDENTIALS");
	int on = 1;
	CHECK_EQ(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0, "SO_PASSCRED on");
	CHECK_EQ(send(sv[0], "c", 1, 0), 1, "send without credentials");
	char byte;
	struct iovec iov = { &byte, 1 };
	char control[CMSG_SPACE(sizeof(struct ucred))];
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = control;
	m.msg_controllen = sizeof control;
	CHECK_EQ(recvmsg(sv[1], &m, 0), 1, "recvmsg");
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	CHECK(c && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len == CMSG_LEN(sizeof(struct ucred)), "SCM_CREDENTIALS arrives");
	struct ucred u = { 0 };
	if (c)
		memcpy(&u, CMSG_DATA(c), sizeof u);
	CHECK_EQ(u.pid, getpid(), "the sender's pid");
	CHECK_EQ(u.uid, getuid(), "the sender's uid");
	CHECK_EQ(u.gid, getgid(), "the sender's gid");

	/* claiming our own credentials explicitly is allowed; another pid is not (unless root) */
	m.msg_controllen = sizeof control;
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
	u.pid = getpid();
	u.uid = getuid();
	u.gid = getgid();
	memcpy(CMSG_DATA(c), &u, sizeof u);
	CHECK_EQ(sendmsg(sv[0], &m, 0), 1, "sendmsg with our own credentials");
	c->cmsg_len = CMSG_LEN(sizeof(struct ucred)) - 1;
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL, "SCM_CREDENTIALS of the wrong length: EINVAL");
	close(sv[0]);
	close(sv[1]);

	/* A sender with SO_PASSCRED is given a name when it sends. */
	struct sockaddr_un named, from;
	char name[64];
	snprintf(name, sizeof name, "helctic-cred-%d", (int)getpid());
	socklen_t nlen = abstract_addr(&named, name);
	int r = socket(AF_UNIX, SOCK_DGRAM, 0), w = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_EQ(bind(r, (struct sockaddr *)&named, nlen), 0, "bind a receiver");
	CHECK_EQ(setsockopt(w, SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0, "SO_PASSCRED on an unbound sender");
	CHECK_EQ(sendto(w, "n", 1, 0, (struct sockaddr *)&named, nlen), 1, "sendto");
	socklen_t flen = sizeof from;
	CHECK_EQ(recvfrom(r, &byte, 1, 0, (struct sockaddr *)&from, &flen), 1, "recvfrom");
	CHECK_EQ(flen, 8, "the sender was autobound (a 5-character abstract name)");
	close(r);
	close(w);

	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct ucred none;
	socklen_t len = sizeof none;
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &none, &len), 0, "SO_PEERCRED unconnected");
	CHECK(none.pid == 0 && none.uid == (uid_t)-1 && none.gid == (gid_t)-1, "is pid 0, uid/gid -1");
	close(s);
}

static void test_options_and_errors(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(s >= 0, "socket(SOCK_NONBLOCK)");
	CHECK(fcntl(s, F_GETFL) & O_NONBLOCK, "SOCK_NONBLOCK sets O_NONBLOCK");
	int v = 0;
	socklen_t len = sizeof v;
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len), 0, "SO_DOMAIN");
	CHECK_EQ(v, AF_UNIX, "SO_DOMAIN is AF_UNIX");
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len), 0, "SO_PROTOCOL");
	CHECK_EQ(v, 0, "SO_PROTOCOL is 0");
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len), 0, "SO_ERROR");
	CHECK_EQ(v, 0, "no error pending");
	v = 10000;
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v), 0, "setsockopt SO_SNDBUF");
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len), 0, "getsockopt SO_SNDBUF");
	CHECK_EQ(v, 20000, "SO_SNDBUF is doubled");
	v = 1;
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v), 0, "setsockopt SO_RCVBUF tiny");
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len), 0, "getsockopt SO_RCVBUF");
	CHECK_EQ(v, 2304, "SO_RCVBUF has its minimum");
	v = 5;
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v), 0, "setsockopt SO_KEEPALIVE");
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len), 0, "getsockopt SO_KEEPALIVE");
	CHECK_EQ(v, 1, "SO_KEEPALIVE reads back as 1");
	v = 1;
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v), 0, "setsockopt SO_REUSEADDR");
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL, "setsockopt with optlen 2: EINVAL");
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof v), ENOPROTOOPT, "setsockopt SO_TYPE: ENOPROTOOPT");
	CHECK_ERR(getsockopt(s, SOL_SOCKET, 12345, &v, &len), ENOPROTOOPT, "an unknown option: ENOPROTOOPT");
	struct linger lg = { 1, 5 }, lg2;
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0, "setsockopt SO_LINGER");
	len = sizeof lg2;
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &len), 0, "getsockopt SO_LINGER");
	CHECK(lg2.l_onoff == 1 && lg2.l_linger == 5, "SO_LINGER reads back");
	struct timeval tv = { 0, -1 };
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), EDOM, "SO_RCVTIMEO with bad microseconds: EDOM");
	close(s);

	/* SO_RCVTIMEO: a blocking read gives up with EAGAIN */
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	tv.tv_sec = 0;
	tv.tv_usec = 50000;
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0, "SO_RCVTIMEO 50 ms");
	char buf[8];
	CHECK_ERR(read(sv[0], buf, sizeof buf), EAGAIN, "a read past SO_RCVTIMEO: EAGAIN");

	/* a blocked read is interrupted by a signal */
	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR(read(sv[1], buf, sizeof buf), EINTR, "a signal interrupts a blocked read: EINTR");
	close(sv[0]);
	close(sv[1]);

}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : (getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	test_socketpair_stream();
	test_datagrams();
	test_named(dir);
	test_abstract_and_dgram_names();
	test_seqpacket();
	test_epoll();
	test_rights();
	test_credentials();
	test_options_and_errors();

	int fd = open("/dev/null", O_RDONLY);
	int v;
	socklen_t len = sizeof v;
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), ENOTSOCK, "getsockopt on a non-socket: ENOTSOCK");
	CHECK_ERR(listen(fd, 1), ENOTSOCK, "listen on a non-socket: ENOTSOCK");
	CHECK_ERR(shutdown(fd, SHUT_RD), ENOTSOCK, "shutdown on a non-socket: ENOTSOCK");
	CHECK_ERR(accept(fd, NULL, NULL), ENOTSOCK, "accept on a non-socket: ENOTSOCK");
	close(fd);
	CHECK_ERR(socket(AF_UNIX, 99, 0), EINVAL, "a type above SOCK_MAX: EINVAL");
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 7), EPROTONOSUPPORT, "a protocol other than 0: EPROTONOSUPPORT");
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM | 0x8000000, 0), EINVAL, "an unknown flag: EINVAL");
	CHECK_ERR(socket(200, SOCK_STREAM, 0), EAFNOSUPPORT, "an unknown family: EAFNOSUPPORT");
	return check_done();
}
