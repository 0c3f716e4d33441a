/*
 * inet_loopback.c - TCP and UDP over the loopback interface, IPv4
 * (127.0.0.1) and IPv6 (::1): connect and accept, names, half-close,
 * peeking, a large transfer between two processes, non-blocking connect
 * with poll, refused connections, 200 connections at once on one
 * listener, readiness through poll and epoll, receive timeouts, datagram
 * boundaries and truncation, connected datagram sockets, socket options,
 * and reusing a port.
 */
#define _GNU_SOURCE
#include "check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* linux/sockios.h: the socket's unsent bytes, TIOCOUTQ's number. */
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

#define MANY 200
#define BIG (8 << 20)

/* A socket address of either family, with its length. */
struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

static struct addr loopback(int family, unsigned short port)
{
	struct addr a;
	memset(&a, 0, sizeof a);
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&a.ss;
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.len = sizeof *in;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a.ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		in6->sin6_addr = in6addr_loopback;
		a.len = sizeof *in6;
	}
	return a;
}

static unsigned short port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A listening TCP socket on the loopback address, any port. */
static int listener(int family, int backlog)
{
	int fd = socket(family, SOCK_STREAM, 0);
	struct addr a = loopback(family, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a.ss, a.len) < 0 || listen(fd, backlog) < 0)
		return -1;
	return fd;
}

static int connect_to(int family, unsigned short port, int flags)
{
	int fd = socket(family, SOCK_STREAM | flags, 0);
	struct addr a = loopback(family, port);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a.ss, a.len) < 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return got ? (ssize_t)got : n;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void stream_basics(int family, const char *name)
{
	int l = listener(family, 8);
	CHECK(l >= 0, "%s: listening socket on the loopback address", name);
	unsigned short port = port_of(l);
	CHECK(port != 0, "%s: bound to an ephemeral port", name);
	int c = connect_to(family, port, 0);
	CHECK(c >= 0, "%s: blocking connect", name);
	struct sockaddr_storage peer;
	socklen_t plen = sizeof peer;
	int s = accept4(l, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
	CHECK(s >= 0, "%s: accept4", name);
	CHECK_EQ(plen, family == AF_INET ? (long long)sizeof(struct sockaddr_in) : (long long)sizeof(struct sockaddr_in6),
		 "%s: accept reports the peer's address length", name);
	CHECK_EQ(peer.ss_family, family, "%s: accept reports the peer's family", name);
	CHECK_EQ(fcntl(s, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC, "%s: SOCK_CLOEXEC on the accepted socket", name);
	CHECK_EQ(port_of(c) == 0, 0, "%s: the connected socket got a local port", name);
	struct sockaddr_storage cp;
	socklen_t cplen = sizeof cp;
	CHECK(getpeername(c, (struct sockaddr *)&cp, &cplen) == 0, "%s: getpeername", name);
	unsigned short seen = family == AF_INET ? ntohs(((struct sockaddr_in *)&cp)->sin_port)
						: ntohs(((struct sockaddr_in6 *)&cp)->sin6_port);
	CHECK_EQ(seen, port, "%s: the peer is the listener's port", name);

	CHECK_EQ(send(c, "hello", 5, 0), 5, "%s: send", name);
	char buf[64] = { 0 };
	CHECK_EQ(recv(s, buf, sizeof buf, MSG_PEEK), 5, "%s: MSG_PEEK sees the bytes", name);
	int avail = -1;
	CHECK(ioctl(s, FIONREAD, &avail) == 0 && avail == 5, "%s: FIONREAD counts them (%d)", name, avail);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read_full(s, buf, 5), 5, "%s: and they are still there to read", name);
	CHECK_STR(buf, "hello", "%s: the bytes arrive in order", name);
	CHECK_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: MSG_DONTWAIT with nothing queued", name);

	/* Half-close: the client's FIN is the server's end of file, and the
	 * server can still answer. */
	CHECK(shutdown(c, SHUT_WR) == 0, "%s: shutdown(SHUT_WR)", name);
	CHECK_EQ(recv(s, buf, sizeof buf, 0), 0, "%s: the peer's FIN reads as end of file", name);
	struct pollfd p = { .fd = s, .events = POLLIN | POLLRDHUP };
	CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLRDHUP), "%s: POLLRDHUP after the FIN", name);
	CHECK_EQ(send(s, "back", 4, 0), 4, "%s: the other direction still carries data", name);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read_full(c, buf, 4), 4, "%s: after a half-close", name);
	CHECK_STR(buf, "back", "%s: the answer arrives", name);
	close(s);
	CHECK_EQ(recv(c, buf, sizeof buf, 0), 0, "%s: end of file after the server closes", name);
	close(c);
	close(l);
}

/* 8 MiB from a child to its parent through one connection. */
static void large_transfer(int family, const char *name)
{
	int l = listener(family, 1);
	unsigned short port = port_of(l);
	pid_t child = fork();
	if (child == 0) {
		int c = connect_to(family, port, 0);
		if (c < 0)
			_exit(2);
		static unsigned char chunk[65536];
		uint32_t x = 12345;
		for (size_t sent = 0; sent < BIG; sent += sizeof chunk) {
			for (size_t i = 0; i < sizeof chunk; i++) {
				x = x * 1103515245 + 12345;
				chunk[i] = (unsigned char)(x >> 16);
			}
			size_t off = 0;
			while (off < sizeof chunk) {
				ssize_t n = write(c, chunk + off, sizeof chunk - off);
				if (n <= 0)
					_exit(3);
				off += (size_t)n;
			}
		}
		close(c);
		_exit(0);
	}
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0, "%s: accept for the large transfer", name);
	static unsigned char buf[100000];
	uint32_t x = 12345;
	size_t total = 0, bad = 0;
	for (;;) {
		ssize_t n = read(s, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			if (buf[i] != (unsigned char)(x >> 16))
				bad++;
		}
		total += (size_t)n;
	}
	CHECK_EQ(total, BIG, "%s: every byte of 8 MiB arrives", name);
	CHECK_EQ(bad, 0, "%s: in order and unchanged", name);
	int status = -1;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the sender finished (status %#x)", name, status);
	close(s);
	close(l);
}

static void nonblocking_connect(int family, const char *name)
{
	int l = listener(family, 4);
	unsigned short port = port_of(l);
	int c = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct addr a = loopback(family, port);
	int r = connect(c, (struct sockaddr *)&a.ss, a.len);
	CHECK(r == 0 || errno == EINPROGRESS, "%s: non-blocking connect starts (or finishes at once)", name);
	struct pollfd p = { .fd = c, .events = POLLOUT };
	CHECK_EQ(poll(&p, 1, 5000), 1, "%s: poll says when the connection is up", name);
	CHECK(p.revents & POLLOUT, "%s: writable (revents %#x)", name, p.revents);
	int err = -1;
	socklen_t len = sizeof err;
	CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0, "%s: SO_ERROR is 0 (%d)", name, err);
	/* The first connect after the background one finished collects its
	 * outcome (0); only then is the socket "connected" to connect(2). */
	CHECK_EQ(connect(c, (struct sockaddr *)&a.ss, a.len), 0, "%s: connecting again collects the outcome", name);
	CHECK_ERR(connect(c, (struct sockaddr *)&a.ss, a.len), EISCONN, "%s: then it is EISCONN", name);
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0, "%s: the listener has it", name);
	close(s);
	close(c);

	/* Nobody listens on a port that was just freed. */
	int gone = listener(family, 1);
	unsigned short dead_port = port_of(gone);
	close(gone);
	int d = socket(family, SOCK_STREAM, 0);
	struct addr da = loopback(family, dead_port);
	CHECK_ERR(connect(d, (struct sockaddr *)&da.ss, da.len), ECONNREFUSED, "%s: blocking connect refused", name);
	close(d);
	d = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r = connect(d, (struct sockaddr *)&da.ss, da.len);
	CHECK(r < 0 && (errno == EINPROGRESS || errno == ECONNREFUSED), "%s: non-blocking connect to nobody", name);
	if (r < 0 && errno == EINPROGRESS) {
		p.fd = d;
		p.events = POLLOUT;
		CHECK_EQ(poll(&p, 1, 5000), 1, "%s: poll reports the refusal", name);
		CHECK(p.revents & (POLLERR | POLLHUP), "%s: as an error (revents %#x)", name, p.revents);
		len = sizeof err;
		CHECK(getsockopt(d, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == ECONNREFUSED,
		      "%s: SO_ERROR is ECONNREFUSED (%d)", name, err);
	}
	close(d);
	close(l);
}

static void many_connections(int family, const char *name)
{
	int l = listener(family, MANY + 16);
	unsigned short port = port_of(l);
	int clients[MANY], servers[MANY];
	int made = 0, taken = 0;
	for (int i = 0; i < MANY; i++) {
		clients[i] = connect_to(family, port, SOCK_NONBLOCK);
		if (clients[i] >= 0)
			made++;
	}
	CHECK_EQ(made, MANY, "%s: %d connects started", name, MANY);
	fcntl(l, F_SETFL, O_NONBLOCK);
	for (int tries = 0; taken < MANY && tries < 1000; tries++) {
		int s = accept(l, NULL, NULL);
		if (s >= 0) {
			servers[taken++] = s;
			continue;
		}
		struct pollfd p = { .fd = l, .events = POLLIN };
		poll(&p, 1, 100);
	}
	CHECK_EQ(taken, MANY, "%s: all %d accepted", name, MANY);
	int sent = 0;
	for (int i = 0; i < made; i++) {
		struct pollfd p = { .fd = clients[i], .events = POLLOUT };
		poll(&p, 1, 5000);
		if (send(clients[i], &i, sizeof i, 0) == sizeof i)
			sent++;
	}
	CHECK_EQ(sent, MANY, "%s: each client sent its number", name);
	int seen[MANY] = { 0 }, good = 0;
	for (int i = 0; i < taken; i++) {
		int v = -1;
		struct pollfd p = { .fd = servers[i], .events = POLLIN };
		poll(&p, 1, 5000);
		if (recv(servers[i], &v, sizeof v, 0) == sizeof v && v >= 0 && v < MANY && !seen[v]) {
			seen[v] = 1;
			good++;
		}
	}
	CHECK_EQ(good, MANY, "%s: every number arrived once, on its own connection", name);
	for (int i = 0; i < made; i++)
		close(clients[i]);
	for (int i = 0; i < taken; i++)
		close(servers[i]);
	close(l);
}

static void readiness(int family, const char *name)
{
	int l = listener(family, 2);
	int c = connect_to(family, port_of(l), 0);
	int s = accept(l, NULL, NULL);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) == 0, "%s: epoll watches a TCP socket", name);
	struct epoll_event out;
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0, "%s: not readable while nothing came", name);
	send(c, "x", 1, 0);
	CHECK_EQ(epoll_wait(ep, &out, 1, 5000), 1, "%s: readable when a byte came", name);
	CHECK_EQ(out.data.u32, 7, "%s: the watch's data", name);
	char b;
	recv(s, &b, 1, 0);
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0, "%s: not readable once it is read", name);
	close(ep);

	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0, "%s: SO_RCVTIMEO", name);
	CHECK_ERR(recv(s, &b, 1, 0), EAGAIN, "%s: a receive times out with EAGAIN", name);

	/* The peer is gone: writing fails with EPIPE (after its RST, possibly
	 * ECONNRESET first), never a hang. MSG_NOSIGNAL keeps SIGPIPE away. */
	close(c);
	int failed = 0, err = 0;
	for (int i = 0; i < 50 && !failed; i++) {
		if (send(s, "y", 1, MSG_NOSIGNAL) < 0) {
			failed = 1;
			err = errno;
		} else {
			usleep(10000);
		}
	}
	CHECK(failed && (err == EPIPE || err == ECONNRESET), "%s: sending to a closed peer fails (errno %d)", name, err);
	close(s);
	close(l);
}

static void options(int family, const char *name)
{
	int s = socket(family, SOCK_STREAM, 0);
	int v = -1;
	socklen_t len = sizeof v;
	CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len) == 0 && v == SOCK_STREAM, "%s: SO_TYPE", name);
	len = sizeof v;
	CHECK(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len) == 0 && v == family, "%s: SO_DOMAIN", name);
	len = sizeof v;
	CHECK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0 && v == IPPROTO_TCP, "%s: SO_PROTOCOL", name);
	int one = 1;
	CHECK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0, "%s: set TCP_NODELAY", name);
	len = sizeof v;
	CHECK(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len) == 0 && v != 0, "%s: TCP_NODELAY reads back", name);
	CHECK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) == 0, "%s: set SO_KEEPALIVE", name);
	len = sizeof v;
	CHECK(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len) == 0 && v != 0, "%s: SO_KEEPALIVE reads back", name);
	/* A level no protocol of the socket has: Linux's IPv4 code says
	 * EOPNOTSUPP, its IPv6 code ENOPROTOOPT. */
	len = sizeof v;
	CHECK_ERR(getsockopt(s, 500, SO_KEEPALIVE, &v, &len), family == AF_INET ? EOPNOTSUPP : ENOPROTOOPT,
		  "%s: getsockopt of an unknown level", name);
	len = sizeof v;
	CHECK_ERR(getsockopt(s, IPPROTO_UDP, SO_OOBINLINE, &v, &len), family == AF_INET ? EOPNOTSUPP : ENOPROTOOPT,
		  "%s: getsockopt at UDP's level on a TCP socket", name);
	len = sizeof v;
	CHECK_ERR(getsockopt(s, IPPROTO_TCP, -1, &v, &len), ENOPROTOOPT, "%s: getsockopt of an unknown TCP option", name);
	int u = socket(family, SOCK_DGRAM, 0);
	len = sizeof v;
	CHECK_ERR(getsockopt(u, IPPROTO_TCP, TCP_NODELAY, &v, &len), family == AF_INET ? EOPNOTSUPP : ENOPROTOOPT,
		  "%s: getsockopt at TCP's level on a UDP socket", name);
	close(u);
	if (family == AF_INET) {
		len = sizeof v;
		CHECK_ERR(getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len), EOPNOTSUPP,
			  "%s: getsockopt at IPv6's level on an IPv4 socket", name);
	}
	close(s);
	/* Ports below 1024 need CAP_NET_BIND_SERVICE: a child that is
	 * nobody (uid 65534) is refused one, and gets a higher one. */
	pid_t child = fork();
	if (child == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		int t = socket(family, SOCK_STREAM, 0);
		struct addr low = loopback(family, 999);
		if (bind(t, (struct sockaddr *)&low.ss, low.len) == 0 || errno != EACCES)
			_exit(3);
		struct addr any = loopback(family, 0);
		_exit(bind(t, (struct sockaddr *)&any.ss, any.len) == 0 ? 0 : 4);
	}
	int status = 0;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "%s: nobody cannot bind port 999 (EACCES) but can bind an ephemeral port (status %#x)", name, status);
}

/* A port in use by a listener is EADDRINUSE; once its connections are
 * closed (TIME-WAIT on one side), SO_REUSEADDR lets a new listener have
 * it. */
static void port_reuse(int family, const char *name)
{
	int one = 1;
	int l = socket(family, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct addr a = loopback(family, 0);
	bind(l, (struct sockaddr *)&a.ss, a.len);
	listen(l, 1);
	unsigned short port = port_of(l);
	int other = socket(family, SOCK_STREAM, 0);
	struct addr same = loopback(family, port);
	CHECK_ERR(bind(other, (struct sockaddr *)&same.ss, same.len), EADDRINUSE, "%s: a listener's port is in use", name);
	close(other);
	int c = connect_to(family, port, 0);
	int s = accept(l, NULL, NULL);
	close(s); /* the server closes first: its side waits in TIME-WAIT */
	char b;
	recv(c, &b, 1, 0);
	close(c);
	close(l);
	int again = socket(family, SOCK_STREAM, 0);
	setsockopt(again, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	CHECK(bind(again, (struct sockaddr *)&same.ss, same.len) == 0, "%s: SO_REUSEADDR rebinds the port", name);
	CHECK(listen(again, 1) == 0, "%s: and listens on it", name);
	close(again);
}

static void datagrams(int family, const char *name)
{
	int a = socket(family, SOCK_DGRAM, 0), b = socket(family, SOCK_DGRAM, 0);
	struct addr any = loopback(family, 0);
	CHECK(bind(a, (struct sockaddr *)&any.ss, any.len) == 0 && bind(b, (struct sockaddr *)&any.ss, any.len) == 0,
	      "%s: two UDP sockets bound", name);
	struct addr to_b = loopback(family, port_of(b));
	const char *msgs[3] = { "one", "second message", "3" };
	for (int i = 0; i < 3; i++)
		CHECK_EQ(sendto(a, msgs[i], strlen(msgs[i]), 0, (struct sockaddr *)&to_b.ss, to_b.len),
			 (long long)strlen(msgs[i]), "%s: sendto datagram %d", name, i);
	for (int i = 0; i < 3; i++) {
		char buf[64] = { 0 };
		struct sockaddr_storage from;
		socklen_t flen = sizeof from;
		ssize_t n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
		CHECK_EQ(n, (long long)strlen(msgs[i]), "%s: datagram %d keeps its boundary", name, i);
		CHECK_STR(buf, msgs[i], "%s: datagram %d's bytes", name, i);
		unsigned short from_port = family == AF_INET ? ntohs(((struct sockaddr_in *)&from)->sin_port)
							     : ntohs(((struct sockaddr_in6 *)&from)->sin6_port);
		CHECK_EQ(from_port, port_of(a), "%s: datagram %d names its sender", name, i);
	}
	/* Truncation: the rest of the datagram is gone, MSG_TRUNC says so. */
	sendto(a, "0123456789", 10, 0, (struct sockaddr *)&to_b.ss, to_b.len);
	char small[4];
	struct iovec iov = { .iov_base = small, .iov_len = sizeof small };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK_EQ(recvmsg(b, &m, 0), 4, "%s: a datagram cut to the buffer", name);
	CHECK(m.msg_flags & MSG_TRUNC, "%s: MSG_TRUNC reported (flags %#x)", name, m.msg_flags);
	CHECK_ERR(recv(b, small, sizeof small, MSG_DONTWAIT), EAGAIN, "%s: the rest was dropped", name);
	sendto(a, "0123456789", 10, 0, (struct sockaddr *)&to_b.ss, to_b.len);
	CHECK_EQ(recv(b, small, sizeof small, MSG_TRUNC), 10, "%s: recv(MSG_TRUNC) gives the real length", name);

	/* A connected datagram socket sends without an address and hears only
	 * its peer. */
	struct addr to_a = loopback(family, port_of(a));
	CHECK(connect(b, (struct sockaddr *)&to_a.ss, to_a.len) == 0, "%s: connect a UDP socket", name);
	CHECK_EQ(send(b, "hi", 2, 0), 2, "%s: send without an address", name);
	char buf[8] = { 0 };
	CHECK_EQ(recv(a, buf, sizeof buf, 0), 2, "%s: it arrives", name);
	int c = socket(family, SOCK_DGRAM, 0);
	sendto(c, "stranger", 8, 0, (struct sockaddr *)&to_b.ss, to_b.len);
	sendto(a, "peer", 4, 0, (struct sockaddr *)&to_b.ss, to_b.len);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(recv(b, buf, sizeof buf, 0), 4, "%s: a connected socket hears its peer", name);
	CHECK_STR(buf, "peer", "%s: and only its peer", name);
	close(c);
	close(a);
	close(b);
}

/* MSG_MORE: a stream holds the bytes back until a send without it or a
 * shutdown; a datagram socket gathers them into one datagram. */
static void msg_more(int family, const char *name)
{
	int l = listener(family, 1);
	int c = connect_to(family, port_of(l), 0);
	int s = accept(l, NULL, NULL);
	CHECK(c >= 0 && s >= 0, "%s: a connection for MSG_MORE", name);
	CHECK_EQ(send(c, "abc", 3, MSG_MORE), 3, "%s: send(MSG_MORE)", name);
	CHECK_EQ(send(c, "def", 3, MSG_MORE), 3, "%s: another send(MSG_MORE)", name);
	/* Linux holds them until its probe timer fires, one retransmission
	 * timeout (at least 200 ms) later. */
	usleep(50 * 1000);
	char buf[16] = { 0 };
	CHECK_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: corked bytes are held back", name);
	int queued = -1;
	CHECK(ioctl(c, SIOCOUTQ, &queued) == 0 && queued == 6, "%s: SIOCOUTQ counts them (%d)", name, queued);
	CHECK_EQ(send(c, "g", 1, 0), 1, "%s: a send without MSG_MORE", name);
	CHECK_EQ(read_full(s, buf, 7), 7, "%s: releases them", name);
	CHECK_STR(buf, "abcdefg", "%s: in order", name);
	CHECK_EQ(send(c, "late", 4, MSG_MORE), 4, "%s: corked with nothing to follow", name);
	struct pollfd p = { .fd = s, .events = POLLIN };
	CHECK_EQ(poll(&p, 1, 5000), 1, "%s: corked bytes leave by themselves after a while", name);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read_full(s, buf, 4), 4, "%s: read them", name);
	CHECK_STR(buf, "late", "%s: all of them", name);
	CHECK_EQ(send(c, "tail", 4, MSG_MORE), 4, "%s: corked again", name);
	CHECK(shutdown(c, SHUT_WR) == 0, "%s: shutdown of a corked stream", name);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read_full(s, buf, 4), 4, "%s: sends the corked bytes", name);
	CHECK_STR(buf, "tail", "%s: before the FIN", name);
	CHECK_EQ(recv(s, buf, sizeof buf, 0), 0, "%s: then end of file", name);
	close(c);
	close(s);
	close(l);

	int a = socket(family, SOCK_DGRAM, 0), b = socket(family, SOCK_DGRAM, 0);
	struct addr any = loopback(family, 0);
	CHECK(bind(b, (struct sockaddr *)&any.ss, any.len) == 0, "%s: a UDP receiver", name);
	struct addr to_b = loopback(family, port_of(b));
	struct addr elsewhere = loopback(family, 9);
	CHECK_EQ(sendto(a, "0123", 4, MSG_MORE, (struct sockaddr *)&to_b.ss, to_b.len), 4, "%s: UDP sendto(MSG_MORE)",
		 name);
	CHECK(port_of(a) != 0, "%s: bound at the first corked send", name);
	CHECK_EQ(sendto(a, "4567", 4, MSG_MORE, (struct sockaddr *)&elsewhere.ss, elsewhere.len), 4,
		 "%s: a second corked sendto (its address is ignored)", name);
	usleep(100 * 1000);
	CHECK_ERR(recv(b, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: no datagram yet", name);
	CHECK_EQ(sendto(a, "89", 2, 0, (struct sockaddr *)&to_b.ss, to_b.len), 2, "%s: the last piece", name);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(recv(b, buf, sizeof buf, 0), 10, "%s: one datagram of all three pieces", name);
	CHECK_STR(buf, "0123456789", "%s: in order", name);
	CHECK_ERR(recv(b, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: and only one", name);
	close(a);
	close(b);
}

/* A connected UDP socket hears, through ICMP, that nobody listens: its
 * next receive or send fails with ECONNREFUSED, once; an unconnected
 * one is told nothing. */
static void udp_refused(int family, const char *name)
{
	int gone = socket(family, SOCK_DGRAM, 0);
	struct addr any = loopback(family, 0);
	CHECK(gone >= 0 && bind(gone, (struct sockaddr *)&any.ss, any.len) == 0, "%s: a port to close", name);
	struct addr closed = loopback(family, port_of(gone));
	close(gone);
	int a = socket(family, SOCK_DGRAM, 0);
	CHECK(connect(a, (struct sockaddr *)&closed.ss, closed.len) == 0, "%s: connect UDP to a closed port", name);
	CHECK_EQ(send(a, "anyone?", 7, 0), 7, "%s: the send succeeds", name);
	struct pollfd p = { a, POLLIN, 0 };
	CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLERR), "%s: then poll shows POLLERR (%#x)", name, p.revents);
	char buf[16];
	CHECK_ERR(recv(a, buf, sizeof buf, MSG_DONTWAIT), ECONNREFUSED, "%s: the next receive is refused", name);
	CHECK_ERR(recv(a, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: once", name);
	CHECK_EQ(send(a, "again?", 6, 0), 6, "%s: another send", name);
	p.revents = 0;
	CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLERR), "%s: POLLERR again", name);
	CHECK_ERR(send(a, "x", 1, 0), ECONNREFUSED, "%s: and now the send is refused", name);
	int u = socket(family, SOCK_DGRAM, 0);
	CHECK_EQ(sendto(u, "hello?", 6, 0, (struct sockaddr *)&closed.ss, closed.len), 6, "%s: unconnected sendto",
		 name);
	usleep(100 * 1000);
	p.fd = u;
	p.revents = 0;
	CHECK_EQ(poll(&p, 1, 0), 0, "%s: an unconnected socket is told nothing", name);
	close(u);
	close(a);
}

/* TCP_CORK and UDP_CORK hold every send back as MSG_MORE holds one, and
 * clearing them sends what was held. */
static void cork_options(int family, const char *name)
{
	int one = 1, zero = 0, v = -1;
	socklen_t len = sizeof v;
	int l = listener(family, 1);
	int c = connect_to(family, port_of(l), 0);
	int s = accept(l, NULL, NULL);
	CHECK(c >= 0 && s >= 0, "%s: a connection for TCP_CORK", name);
	CHECK(setsockopt(c, IPPROTO_TCP, TCP_CORK, &one, sizeof one) == 0, "%s: set TCP_CORK", name);
	CHECK(getsockopt(c, IPPROTO_TCP, TCP_CORK, &v, &len) == 0 && v == 1, "%s: TCP_CORK reads back (%d)", name, v);
	CHECK_EQ(send(c, "ab", 2, 0), 2, "%s: a send while corked", name);
	CHECK_EQ(send(c, "cd", 2, 0), 2, "%s: another", name);
	usleep(50 * 1000);
	char buf[16] = { 0 };
	CHECK_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: TCP_CORK holds them back", name);
	CHECK(setsockopt(c, IPPROTO_TCP, TCP_CORK, &zero, sizeof zero) == 0, "%s: clear TCP_CORK", name);
	CHECK_EQ(read_full(s, buf, 4), 4, "%s: clearing it sends them", name);
	CHECK_STR(buf, "abcd", "%s: in order", name);
	close(c);
	close(s);
	close(l);

	int a = socket(family, SOCK_DGRAM, 0), b = socket(family, SOCK_DGRAM, 0);
	struct addr any = loopback(family, 0);
	CHECK(bind(b, (struct sockaddr *)&any.ss, any.len) == 0, "%s: a UDP receiver for UDP_CORK", name);
	struct addr to_b = loopback(family, port_of(b));
	CHECK(connect(a, (struct sockaddr *)&to_b.ss, to_b.len) == 0, "%s: a UDP sender", name);
	CHECK(setsockopt(a, IPPROTO_UDP, UDP_CORK, &one, sizeof one) == 0, "%s: set UDP_CORK", name);
	v = -1;
	len = sizeof v;
	CHECK(getsockopt(a, IPPROTO_UDP, UDP_CORK, &v, &len) == 0 && v == 1, "%s: UDP_CORK reads back (%d)", name, v);
	CHECK_EQ(send(a, "one ", 4, 0), 4, "%s: a send while corked", name);
	CHECK_EQ(send(a, "two", 3, 0), 3, "%s: another", name);
	usleep(50 * 1000);
	CHECK_ERR(recv(b, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: no datagram while corked", name);
	CHECK(setsockopt(a, IPPROTO_UDP, UDP_CORK, &zero, sizeof zero) == 0, "%s: clear UDP_CORK", name);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(recv(b, buf, sizeof buf, 0), 7, "%s: clearing it sends one datagram", name);
	CHECK_STR(buf, "one two", "%s: of both sends", name);
	CHECK_ERR(recv(b, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "%s: and only one", name);
	int t = socket(family, SOCK_STREAM, 0);
	CHECK_ERR(setsockopt(t, IPPROTO_UDP, UDP_CORK, &one, sizeof one), ENOPROTOOPT,
		  "%s: UDP_CORK on a TCP socket", name);
	close(t);
	close(a);
	close(b);
}

/* A listener whose backlog is full drops further SYNs rather than
 * refusing them, as Linux does: the clients wait, and get in by
 * retransmitting once the server accepts. */
static void full_backlog(int family, const char *name)
{
	enum { CLIENTS = 4 };
	int l = listener(family, 1);
	CHECK_BAIL(l >= 0, "%s: a listener with backlog 1", name);
	unsigned short port = port_of(l);
	int c[CLIENTS];
	for (int i = 0; i < CLIENTS; i++)
		c[i] = connect_to(family, port, SOCK_NONBLOCK);
	usleep(300000);
	int refused = 0, waiting = 0;
	for (int i = 0; i < CLIENTS; i++) {
		struct pollfd p = { c[i], POLLOUT, 0 };
		int err = 0;
		socklen_t len = sizeof err;
		if (c[i] < 0) {
			refused++;
			continue;
		}
		poll(&p, 1, 0);
		getsockopt(c[i], SOL_SOCKET, SO_ERROR, &err, &len);
		refused += err != 0;
		waiting += p.revents == 0;
	}
	CHECK_EQ(refused, 0, "%s: no connect to a full backlog fails", name);
	CHECK(waiting > 0, "%s: and some wait for room (%d of %d)", name, waiting, CLIENTS);
	int accepted = 0;
	for (int i = 0; i < CLIENTS; i++) {
		struct pollfd p = { l, POLLIN, 0 };
		if (poll(&p, 1, 10000) != 1)
			break;
		int s = accept(l, NULL, NULL);
		if (s < 0)
			break;
		accepted++;
		close(s);
	}
	CHECK_EQ(accepted, CLIENTS, "%s: every client is accepted once there is room", name);
	int connected = 0;
	for (int i = 0; i < CLIENTS; i++) {
		struct pollfd p = { c[i], POLLOUT, 0 };
		int err = -1;
		socklen_t len = sizeof err;
		if (poll(&p, 1, 10000) == 1 && getsockopt(c[i], SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
			connected++;
		close(c[i]);
	}
	CHECK_EQ(connected, CLIENTS, "%s: and every connect succeeded", name);
	close(l);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const int families[2] = { AF_INET, AF_INET6 };
	const char *names[2] = { "IPv4", "IPv6" };
	for (int i = 0; i < 2; i++) {
		stream_basics(families[i], names[i]);
		large_transfer(families[i], names[i]);
		nonblocking_connect(families[i], names[i]);
		many_connections(families[i], names[i]);
		readiness(families[i], names[i]);
		options(families[i], names[i]);
		port_reuse(families[i], names[i]);
		datagrams(families[i], names[i]);
		msg_more(families[i], names[i]);
		full_backlog(families[i], names[i]);
		cork_options(families[i], names[i]);
		udp_refused(families[i], names[i]);
	}
	return check_done();
}
