/*
 * inet_ping.c - ICMP sockets over the loopback interface: "ping sockets"
 * (SOCK_DGRAM + IPPROTO_ICMP / IPPROTO_ICMPV6: the kernel owns the echo
 * identifier) to 127.0.0.1 and ::1, raw ICMP sockets (IPv4 with the IP
 * header on receive, IP_HDRINCL, ICMP_FILTER; ICMPv6 without a header,
 * its checksum filled in, ICMP6_FILTER), EPERM for raw sockets without
 * CAP_NET_RAW, EINVAL for what a ping socket may not send, readiness,
 * MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT and SO_RCVTIMEO.
 *
 * Natively, ping sockets need net.ipv4.ping_group_range to include the
 * caller's group; when it does not, the test widens it to "0 65534" for
 * its run (it runs as root there: root and nobody) and puts it back at
 * exit.
 */
#define _GNU_SOURCE
#include "check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

#define RANGE "/proc/sys/net/ipv4/ping_group_range"

static char saved_range[64];

static void restore_range(void)
{
	int fd = open(RANGE, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, saved_range, strlen(saved_range)) < 0) {
			/* nothing more to do at exit */
		}
		close(fd);
	}
}

/* A ping socket, widening ping_group_range first if the host needs it. */
static int ping_socket(int family)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int s = socket(family, SOCK_DGRAM, proto);
	if (s >= 0 || errno != EACCES || saved_range[0])
		return s;
	int fd = open(RANGE, O_RDWR);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, saved_range, sizeof saved_range - 1);
	if (n <= 0 || lseek(fd, 0, SEEK_SET) < 0 || write(fd, "0 65534", 7) != 7) {
		close(fd);
		return -1;
	}
	saved_range[n] = 0;
	close(fd);
	atexit(restore_range);
	DIAG("ping_group_range was %.*s; set to 0 65534 for this test", (int)strcspn(saved_range, "\n"), saved_range);
	return socket(family, SOCK_DGRAM, proto);
}

static struct sockaddr_in lo4(void)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static struct sockaddr_in6 lo6(void)
{
	struct sockaddr_in6 a;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	a.sin6_addr = in6addr_loopback;
	return a;
}

static uint16_t inet_sum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An echo request: type, code 0, identifier, sequence, a payload. */
static size_t echo(uint8_t *buf, uint8_t type, uint16_t ident, uint16_t seq, const char *payload, int sum)
{
	size_t len = 8 + strlen(payload);
	memset(buf, 0, 8);
	buf[0] = type;
	buf[4] = ident >> 8;
	buf[5] = ident & 0xff;
	buf[6] = seq >> 8;
	buf[7] = seq & 0xff;
	memcpy(buf + 8, payload, strlen(payload));
	if (sum) {
		uint16_t c = inet_sum(buf, len);
		buf[2] = c >> 8;
		buf[3] = c & 0xff;
	}
	return len;
}

static int readable(int s, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static unsigned short local_port(int s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(s, (struct sockaddr *)&ss, &len) < 0)
		return 0xffff;
	return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
				       : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int sockopt(int s, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof v;
	if (getsockopt(s, level, name, &v, &len) < 0)
		return -1;
	return v;
}

/* recvmsg with room for control messages; the int of (level, type), or -1. */
static int received_int(int s, uint8_t *in, size_t size, int level, int type, ssize_t *n)
{
	char control[256];
	struct iovec iov = { .iov_base = in, .iov_len = size };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
	*n = recvmsg(s, &m, 0);
	if (*n < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == level && c->cmsg_type == type && c->cmsg_len == CMSG_LEN(sizeof(int))) {
			int v;
			memcpy(&v, CMSG_DATA(c), sizeof v);
			return v;
		}
	}
	return -1;
}

static void ping_v4(void)
{
	int s = ping_socket(AF_INET);
	CHECK(s >= 0, "ping4: socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)");
	if (s < 0)
		return;
	CHECK_EQ(sockopt(s, SOL_SOCKET, SO_TYPE), SOCK_DGRAM, "ping4: SO_TYPE");
	CHECK_EQ(sockopt(s, SOL_SOCKET, SO_PROTOCOL), IPPROTO_ICMP, "ping4: SO_PROTOCOL");
	CHECK_EQ(local_port(s), 0, "ping4: no identifier before the first send");

	struct pollfd p = { .fd = s, .events = POLLIN | POLLOUT };
	CHECK_EQ(poll(&p, 1, 0), 1, "ping4: poll: one ready");
	CHECK_EQ(p.revents, POLLOUT, "ping4: writable, not readable");
	uint8_t buf[256], in[256];
	CHECK_ERR(recv(s, in, sizeof in, MSG_DONTWAIT), EAGAIN, "ping4: MSG_DONTWAIT on an empty queue");

	struct sockaddr_in to = lo4();
	size_t len = echo(buf, ICMP_ECHO, 0x1234, 1, "helctic ping four", 0);
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "ping4: sendto 127.0.0.1");
	unsigned short ident = local_port(s);
	CHECK(ident != 0, "ping4: the send chose an identifier (%u)", ident);
	CHECK(readable(s, 5000), "ping4: poll: readable when the reply came");

	CHECK_EQ(recv(s, in, sizeof in, MSG_PEEK), (long long)len, "ping4: MSG_PEEK");
	struct sockaddr_in from;
	socklen_t flen = sizeof from;
	memset(&from, 0xaa, sizeof from);
	ssize_t n = recvfrom(s, in, sizeof in, 0, (struct sockaddr *)&from, &flen);
	CHECK_EQ(n, (long long)len, "ping4: the reply has no IP header");
	CHECK_EQ(in[0], ICMP_ECHOREPLY, "ping4: an echo reply");
	CHECK_EQ(in[4] << 8 | in[5], ident, "ping4: with the socket's identifier");
	CHECK_EQ(in[6] << 8 | in[7], 1, "ping4: the caller's sequence");
	CHECK(n == (ssize_t)len && memcmp(in + 8, buf + 8, len - 8) == 0, "ping4: the payload");
	CHECK_EQ(inet_sum(in, (size_t)n), 0, "ping4: a good checksum");
	CHECK_EQ(flen, sizeof from, "ping4: sockaddr_in length");
	CHECK(from.sin_family == AF_INET && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && from.sin_port == 0,
	      "ping4: from 127.0.0.1, port 0");
	CHECK(!readable(s, 300), "ping4: one reply only (the request is not delivered)");

	/* What a ping socket may not send. */
	len = echo(buf, ICMP_ECHOREPLY, 1, 1, "", 0);
	CHECK_ERR(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), EINVAL, "ping4: an echo reply is EINVAL");
	len = echo(buf, ICMP_ECHO, 1, 1, "", 0);
	buf[1] = 3;
	CHECK_ERR(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), EINVAL, "ping4: a non-zero code is EINVAL");
	buf[1] = 0;
	CHECK_ERR(sendto(s, buf, 4, 0, (struct sockaddr *)&to, sizeof to), EINVAL, "ping4: half a header is EINVAL");
	CHECK_ERR(send(s, buf, len, 0), EDESTADDRREQ, "ping4: no destination");
	struct sockaddr_in bcast = lo4();
	bcast.sin_addr.s_addr = htonl(0x7fffffff);
	CHECK_ERR(sendto(s, buf, len, 0, (struct sockaddr *)&bcast, sizeof bcast), EACCES,
		  "ping4: 127.255.255.255 without SO_BROADCAST is EACCES");
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &(int){ 1 }, sizeof(int)), 0, "ping4: SO_BROADCAST");
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&bcast, sizeof bcast), (long long)len,
		 "ping4: with SO_BROADCAST it goes");
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &(int){ 0 }, sizeof(int)), 0, "ping4: SO_BROADCAST off");
	while (readable(s, 300))
		recv(s, in, sizeof in, 0); /* whatever answered the broadcast */

	/* Truncation: msg_flags says it; MSG_TRUNC does not change the result here. */
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, got;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev), 0, "ping4: epoll_ctl");
	CHECK_EQ(epoll_wait(ep, &got, 1, 0), 0, "ping4: epoll: nothing to read yet");
	len = echo(buf, ICMP_ECHO, 0, 2, "0123456789abcdef", 0);
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "ping4: second echo");
	CHECK(epoll_wait(ep, &got, 1, 5000) == 1 && got.data.u32 == 7 && (got.events & EPOLLIN), "ping4: epoll: readable");
	close(ep);
	CHECK(readable(s, 5000), "ping4: second reply");
	struct iovec iov = { .iov_base = in, .iov_len = 10 };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK_EQ(recvmsg(s, &m, MSG_TRUNC), 10, "ping4: a short read returns what was copied");
	CHECK(m.msg_flags & MSG_TRUNC, "ping4: msg_flags has MSG_TRUNC");
	CHECK(m.msg_namelen == sizeof from && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "ping4: recvmsg's msg_name");

	/* SO_RCVTIMEO. */
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 }, t0, t1;
	CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0, "ping4: SO_RCVTIMEO");
	gettimeofday(&t0, NULL);
	CHECK_ERR(recv(s, in, sizeof in, 0), EAGAIN, "ping4: a timed-out receive");
	gettimeofday(&t1, NULL);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
	CHECK(ms >= 150 && ms < 3000, "ping4: it waited about 200 ms (%ld)", ms);
	CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_TTL, &(int){ 7 }, sizeof(int)), 0, "ping4: IP_TTL");
	CHECK_EQ(sockopt(s, IPPROTO_IP, IP_TTL), 7, "ping4: IP_TTL reads back");
	close(s);

	/* A chosen identifier, and a connected socket. */
	s = ping_socket(AF_INET);
	struct sockaddr_in me = lo4();
	me.sin_port = htons(4321);
	CHECK_EQ(bind(s, (struct sockaddr *)&me, sizeof me), 0, "ping4: bind identifier 4321 (no privilege needed)");
	CHECK_EQ(local_port(s), 4321, "ping4: getsockname shows it");
	/* Ping sockets are made with SO_REUSEADDR (INET_PROTOSW_REUSE): two may share an identifier. */
	int again = ping_socket(AF_INET);
	CHECK_EQ(sockopt(again, SOL_SOCKET, SO_REUSEADDR), 1, "ping4: SO_REUSEADDR is on");
	CHECK_EQ(bind(again, (struct sockaddr *)&me, sizeof me), 0, "ping4: so an identifier can be shared");
	close(again);
	int strict = ping_socket(AF_INET);
	CHECK_EQ(setsockopt(strict, SOL_SOCKET, SO_REUSEADDR, &(int){ 0 }, sizeof(int)), 0, "ping4: SO_REUSEADDR off");
	CHECK_ERR(bind(strict, (struct sockaddr *)&me, sizeof me), EADDRINUSE, "ping4: then the identifier is taken");
	close(strict);
	CHECK_EQ(connect(s, (struct sockaddr *)&to, sizeof to), 0, "ping4: connect");
	CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_RECVTTL, &(int){ 1 }, sizeof(int)), 0, "ping4: IP_RECVTTL");
	len = echo(buf, ICMP_ECHO, 0, 3, "connected", 0);
	CHECK_EQ(send(s, buf, len, 0), (long long)len, "ping4: send on the connection");
	CHECK(readable(s, 5000), "ping4: connected reply");
	int ttl = received_int(s, in, sizeof in, IPPROTO_IP, IP_TTL, &n);
	CHECK(n == (ssize_t)len && in[0] == ICMP_ECHOREPLY && (in[4] << 8 | in[5]) == 4321, "ping4: the reply to 4321");
	CHECK_EQ(ttl, 64, "ping4: an IP_TTL control message with the reply's TTL");
	close(s);
}

static void ping_v6(void)
{
	int s = ping_socket(AF_INET6);
	CHECK(s >= 0, "ping6: socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6)");
	if (s < 0)
		return;
	CHECK_EQ(sockopt(s, SOL_SOCKET, SO_PROTOCOL), IPPROTO_ICMPV6, "ping6: SO_PROTOCOL");
	uint8_t buf[256], in[256];
	struct sockaddr_in6 to = lo6();
	size_t len = echo(buf, ICMP6_ECHO_REQUEST, 0x9999, 5, "helctic ping six", 0);
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "ping6: sendto ::1");
	unsigned short ident = local_port(s);
	CHECK(ident != 0, "ping6: an identifier");
	CHECK(readable(s, 5000), "ping6: readable");
	struct sockaddr_in6 from;
	socklen_t flen = sizeof from;
	CHECK_EQ(recv(s, in, sizeof in, MSG_PEEK | MSG_TRUNC), (long long)len, "ping6: peek");
	ssize_t n = recvfrom(s, in, sizeof in, 0, (struct sockaddr *)&from, &flen);
	CHECK_EQ(n, (long long)len, "ping6: the reply, no header");
	CHECK_EQ(in[0], ICMP6_ECHO_REPLY, "ping6: an echo reply");
	CHECK_EQ(in[4] << 8 | in[5], ident, "ping6: the identifier");
	CHECK(n == (ssize_t)len && memcmp(in + 8, buf + 8, len - 8) == 0, "ping6: the payload");
	CHECK(flen == sizeof from && IN6_IS_ADDR_LOOPBACK(&from.sin6_addr) && from.sin6_port == 0, "ping6: from ::1");
	CHECK_EQ(setsockopt(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &(int){ 1 }, sizeof(int)), 0, "ping6: IPV6_RECVHOPLIMIT");
	len = echo(buf, ICMP6_ECHO_REQUEST, 0, 6, "hops", 0);
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "ping6: second sendto");
	CHECK(readable(s, 5000), "ping6: second reply");
	int hops = received_int(s, in, sizeof in, IPPROTO_IPV6, IPV6_HOPLIMIT, &n);
	CHECK_EQ(n, (long long)len, "ping6: the second reply");
	CHECK_EQ(hops, 64, "ping6: an IPV6_HOPLIMIT control message with the reply's hop limit");
	len = echo(buf, ICMP_ECHO, 0, 0, "", 0);
	CHECK_ERR(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), EINVAL, "ping6: an ICMPv4 echo is EINVAL");
	struct sockaddr_in v4 = lo4();
	len = echo(buf, ICMP6_ECHO_REQUEST, 0, 0, "", 0);
	CHECK(sendto(s, buf, len, 0, (struct sockaddr *)&v4, sizeof v4) < 0, "ping6: an IPv4 destination is refused");
	close(s);
}

/* Reads raw IPv4 packets until an ICMP message of `type` with `ident`. */
static ssize_t raw_wait(int s, uint8_t *in, size_t size, int type, uint16_t ident, struct sockaddr_in *from)
{
	for (int i = 0; i < 50; i++) {
		if (!readable(s, 5000))
			return -1;
		socklen_t flen = sizeof *from;
		ssize_t n = recvfrom(s, in, size, 0, (struct sockaddr *)from, &flen);
		if (n < 28)
			continue;
		size_t hl = (size_t)(in[0] & 15) * 4;
		if ((size_t)n >= hl + 8 && in[hl] == type && (in[hl + 4] << 8 | in[hl + 5]) == ident)
			return n;
	}
	return -1;
}

static void raw_v4(void)
{
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	CHECK(s >= 0, "raw4: socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) as root");
	if (s < 0)
		return;
	CHECK_EQ(sockopt(s, SOL_SOCKET, SO_TYPE), SOCK_RAW, "raw4: SO_TYPE");
	CHECK_EQ(sockopt(s, SOL_SOCKET, SO_PROTOCOL), IPPROTO_ICMP, "raw4: SO_PROTOCOL");
	CHECK_EQ(local_port(s), IPPROTO_ICMP, "raw4: getsockname's port is the protocol");
	uint16_t ident = (uint16_t)(getpid() ^ 0x5a5a);
	uint8_t buf[256], in[512];
	struct sockaddr_in to = lo4(), from;
	size_t len = echo(buf, ICMP_ECHO, ident, 1, "raw payload", 1);
	CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_TTL, &(int){ 33 }, sizeof(int)), 0, "raw4: IP_TTL 33");
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "raw4: sendto");

	ssize_t n = raw_wait(s, in, sizeof in, ICMP_ECHO, ident, &from);
	CHECK_EQ(n, (long long)(20 + len), "raw4: loopback shows the request itself, with its header");
	if (n > 0)
		CHECK_EQ(in[8], 33, "raw4: sent with the socket's TTL");
	n = raw_wait(s, in, sizeof in, ICMP_ECHOREPLY, ident, &from);
	CHECK_EQ(n, (long long)(20 + len), "raw4: the reply, IP header included");
	if (n > 0) {
		CHECK_EQ(in[0], 0x45, "raw4: IPv4, a 20-byte header");
		CHECK_EQ(in[2] << 8 | in[3], n, "raw4: total length");
		CHECK_EQ(in[9], IPPROTO_ICMP, "raw4: protocol ICMP");
		CHECK(in[8] > 0, "raw4: a TTL");
		CHECK(memcmp(in + 12, "\x7f\0\0\x01\x7f\0\0\x01", 8) == 0, "raw4: from and to 127.0.0.1");
		CHECK_EQ(inet_sum(in, 20), 0, "raw4: a good header checksum");
		CHECK_EQ(inet_sum(in + 20, (size_t)n - 20), 0, "raw4: a good ICMP checksum");
		CHECK(memcmp(in + 24, buf + 4, len - 4) == 0, "raw4: identifier, sequence, payload");
		CHECK(from.sin_family == AF_INET && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "raw4: msg_name");
	}

	/* MSG_TRUNC on a raw socket returns the whole length. */
	len = echo(buf, ICMP_ECHO, ident, 2, "truncate me", 1);
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "raw4: second sendto");
	CHECK(readable(s, 5000), "raw4: readable");
	CHECK_EQ(recv(s, in, 10, MSG_TRUNC), (long long)(20 + len), "raw4: MSG_TRUNC gives the packet's length");

	/* ICMP_FILTER: echo requests dropped, replies kept. */
	uint32_t filter = 1u << ICMP_ECHO, got = 0;
	socklen_t glen = sizeof got;
	CHECK_EQ(setsockopt(s, SOL_RAW, ICMP_FILTER, &filter, sizeof filter), 0, "raw4: ICMP_FILTER");
	CHECK(getsockopt(s, SOL_RAW, ICMP_FILTER, &got, &glen) == 0 && got == filter, "raw4: ICMP_FILTER reads back");
	while (recv(s, in, sizeof in, MSG_DONTWAIT) > 0) {
	}
	len = echo(buf, ICMP_ECHO, ident, 3, "filtered", 1);
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "raw4: third sendto");
	int requests = 0, replies = 0;
	while (readable(s, 500)) {
		n = recv(s, in, sizeof in, 0);
		if (n >= 28 && (in[24] << 8 | in[25]) == ident)
			*(in[20] == ICMP_ECHO ? &requests : &replies) += 1;
	}
	CHECK(requests == 0 && replies == 1, "raw4: only the reply passed (%d requests, %d replies)", requests, replies);

	/* IP_HDRINCL: our header (TTL 9, no source: filled in). */
	CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_HDRINCL, &(int){ 1 }, sizeof(int)), 0, "raw4: IP_HDRINCL");
	CHECK_EQ(sockopt(s, IPPROTO_IP, IP_HDRINCL), 1, "raw4: IP_HDRINCL reads back");
	uint8_t packet[256];
	memset(packet, 0, 20);
	packet[0] = 0x45;
	packet[8] = 9;
	packet[9] = IPPROTO_ICMP;
	memcpy(packet + 16, "\x7f\0\0\x01", 4);
	len = echo(packet + 20, ICMP_ECHO, ident, 4, "own header", 1);
	CHECK_EQ(sendto(s, packet, 20 + len, 0, (struct sockaddr *)&to, sizeof to), (long long)(20 + len),
		 "raw4: sendto with our own header");
	n = raw_wait(s, in, sizeof in, ICMP_ECHOREPLY, ident, &from);
	CHECK(n == (ssize_t)(20 + len) && (in[26] << 8 | in[27]) == 4, "raw4: the reply to it");
	close(s);

	/* Linux's rules for the protocol of a raw socket. */
	CHECK_ERR(socket(AF_INET, SOCK_RAW, 0), EPROTONOSUPPORT, "raw4: protocol 0");
	CHECK_EQ(setsockopt(socket(AF_INET, SOCK_DGRAM, 0), IPPROTO_IP, IP_HDRINCL, &(int){ 1 }, sizeof(int)), -1,
		 "raw4: IP_HDRINCL on a UDP socket is refused");
}

static void raw_v6(void)
{
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	CHECK(s >= 0, "raw6: socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)");
	if (s < 0)
		return;
	CHECK_EQ(sockopt(s, SOL_SOCKET, SO_PROTOCOL), IPPROTO_ICMPV6, "raw6: SO_PROTOCOL");
	struct icmp6_filter f, g;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	socklen_t glen = sizeof g;
	CHECK_EQ(setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f), 0, "raw6: ICMP6_FILTER");
	CHECK(getsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &g, &glen) == 0 && memcmp(&f, &g, sizeof f) == 0,
	      "raw6: ICMP6_FILTER reads back");
	CHECK_EQ(setsockopt(s, SOL_RAW, IPV6_CHECKSUM, &(int){ 2 }, sizeof(int)), 0, "raw6: IPV6_CHECKSUM 2 at SOL_RAW");
	CHECK_ERR(setsockopt(s, IPPROTO_IPV6, IPV6_CHECKSUM, &(int){ 2 }, sizeof(int)), EINVAL,
		  "raw6: IPV6_CHECKSUM at IPPROTO_IPV6 is EINVAL on ICMPv6");
	uint16_t ident = (uint16_t)(getpid() ^ 0x6b6b);
	uint8_t buf[256], in[256];
	struct sockaddr_in6 to = lo6(), from;
	/* No checksum: the kernel computes ICMPv6's. */
	size_t len = echo(buf, ICMP6_ECHO_REQUEST, ident, 1, "raw six", 0);
	CHECK_EQ(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len, "raw6: sendto ::1");
	ssize_t n = -1;
	for (int i = 0; i < 50 && readable(s, 5000); i++) {
		socklen_t flen = sizeof from;
		n = recvfrom(s, in, sizeof in, 0, (struct sockaddr *)&from, &flen);
		if (n >= 8 && (in[4] << 8 | in[5]) == ident)
			break;
		n = -1;
	}
	CHECK_EQ(n, (long long)len, "raw6: the reply, without an IPv6 header");
	CHECK_EQ(in[0], ICMP6_ECHO_REPLY, "raw6: an echo reply (the filter dropped the request)");
	CHECK(n == (ssize_t)len && memcmp(in + 4, buf + 4, len - 4) == 0, "raw6: identifier, sequence, payload");
	CHECK(IN6_IS_ADDR_LOOPBACK(&from.sin6_addr), "raw6: from ::1");
	close(s);
}

/* A process without CAP_NET_RAW gets EPERM for raw sockets, and pings
 * with a ping socket all the same. */
static void unprivileged(void)
{
	int probe = ping_socket(AF_INET); /* widens the group range natively, if needed */
	close(probe);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
		if (s < 0)
			_exit(20);
		uint8_t buf[64], in[64];
		struct sockaddr_in to = lo4();
		size_t len = echo(buf, ICMP_ECHO, 0, 9, "nobody", 0);
		if (sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to) != (ssize_t)len)
			_exit(21);
		if (!readable(s, 5000) || recv(s, in, sizeof in, 0) != (ssize_t)len || in[0] != ICMP_ECHOREPLY)
			_exit(22);
		if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) >= 0 || errno != EPERM)
			_exit(11);
		if (socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) >= 0 || errno != EPERM)
			_exit(12);
		if (socket(AF_INET, SOCK_RAW, IPPROTO_UDP) >= 0 || errno != EPERM)
			_exit(13);
		_exit(0);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status), "unprivileged: the child ended");
	CHECK_EQ(WEXITSTATUS(status), 0,
		 "unprivileged: uid 65534 pings with a ping socket, gets EPERM for raw ICMP, ICMPv6 and UDP");
}

int main(void)
{
	ping_v4();
	ping_v6();
	raw_v4();
	raw_v6();
	unprivileged();
	return check_done();
}
