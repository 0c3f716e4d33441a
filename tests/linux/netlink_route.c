/*
 * netlink_route.c - rtnetlink (AF_NETLINK, NETLINK_ROUTE) as iproute2,
 * busybox ip, getifaddrs and getaddrinfo use it: sockets and their port
 * ids, dumps of links, addresses and routes ending in NLMSG_DONE, peeking
 * at a datagram's length, truncation, acks, a refused change, options,
 * poll/epoll and timeouts, and the libc calls built on it (getifaddrs,
 * if_nameindex, getaddrinfo with AI_ADDRCONFIG).
 *
 * Machines differ in their interfaces, so only invariants are checked:
 * lo exists with its flags and addresses. The change asked for
 * (RTM_NEWADDR) names an interface that does not exist, so it fails
 * whoever runs it and never changes the machine.
 *
 * The netlink structures are defined here: musl has no <linux/...>.
 */
#define _GNU_SOURCE
#include "check.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#define NETLINK_ROUTE 0
#define SOL_NETLINK 270
#define NETLINK_EXT_ACK 11
#define NETLINK_GET_STRICT_CHK 12

struct nl_sockaddr {
	unsigned short nl_family;
	unsigned short nl_pad;
	unsigned int nl_pid;
	unsigned int nl_groups;
};

struct nl_header {
	unsigned int len;
	unsigned short type;
	unsigned short flags;
	unsigned int seq;
	unsigned int pid;
};

struct nl_error {
	int error;
	struct nl_header request;
};

struct nl_ifinfo {
	unsigned char family, pad;
	unsigned short type;
	int index;
	unsigned int flags, change;
};

struct nl_ifaddr {
	unsigned char family, prefixlen, flags, scope;
	unsigned int index;
};

struct nl_rtmsg {
	unsigned char family, dst_len, src_len, tos, table, protocol, scope, type;
	unsigned int flags;
};

struct nl_attr {
	unsigned short len, type;
};

#define NLMSG_NOOP_ 1
#define NLMSG_ERROR_ 2
#define NLMSG_DONE_ 3
#define NLM_F_REQUEST_ 1
#define NLM_F_ACK_ 4
#define NLM_F_DUMP_ 0x300
#define NLM_F_CREATE_ 0x400
#define NLM_F_EXCL_ 0x200
#define RTM_NEWLINK_ 16
#define RTM_GETLINK_ 18
#define RTM_NEWADDR_ 20
#define RTM_GETADDR_ 22
#define RTM_NEWROUTE_ 24
#define RTM_GETROUTE_ 26
#define IFLA_IFNAME_ 3
#define IFLA_MTU_ 4
#define IFA_ADDRESS_ 1
#define IFA_LOCAL_ 2
#define RTA_DST_ 1
#define RT_TABLE_LOCAL_ 255
#define RTN_LOCAL_ 2
#define ALIGN4(n) (((n) + 3u) & ~3u)

static unsigned int seq = 100;

/* Sends one request of `type` with `body` (a family header) to the kernel. */
static int request(int fd, unsigned short type, unsigned short flags, const void *body, unsigned int body_len,
		   const void *attrs, unsigned int attrs_len)
{
	unsigned char buf[256];
	struct nl_header h = { 0 };
	h.len = sizeof h + ALIGN4(body_len) + attrs_len;
	h.type = type;
	h.flags = NLM_F_REQUEST_ | flags;
	h.seq = ++seq;
	memset(buf, 0, sizeof buf);
	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, body, body_len);
	if (attrs_len)
		memcpy(buf + sizeof h + ALIGN4(body_len), attrs, attrs_len);
	struct nl_sockaddr to = { .nl_family = AF_NETLINK };
	return sendto(fd, buf, h.len, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)h.len ? 0 : -1;
}

/* What one dump found. */
struct dump {
	int done, error, messages, bad_seq, bad_pid, bad_len;
	/* links */
	int lo_index, lo_flags, lo_mtu, lo_named;
	/* addresses */
	int v4_loopback_on_lo, v6_loopback_on_lo;
	/* routes */
	int local_127;
};

static void attrs_of(const unsigned char *at, int len, void (*each)(int type, const unsigned char *data, int n, void *ctx),
		     void *ctx)
{
	while (len >= (int)sizeof(struct nl_attr)) {
		struct nl_attr a;
		memcpy(&a, at, sizeof a);
		if (a.len < sizeof a || a.len > len)
			return;
		each(a.type, at + sizeof a, a.len - sizeof a, ctx);
		int step = ALIGN4(a.len);
		if (step > len)
			return;
		at += step;
		len -= step;
	}
}

struct link_ctx {
	int mtu, named;
};

static void link_attr(int type, const unsigned char *data, int n, void *ctx)
{
	struct link_ctx *c = ctx;
	if (type == IFLA_MTU_ && n >= 4)
		memcpy(&c->mtu, data, 4);
	if (type == IFLA_IFNAME_ && n >= 3 && memcmp(data, "lo", 3) == 0)
		c->named = 1;
}

struct addr_ctx {
	unsigned char address[16];
	int have;
};

static void addr_attr(int type, const unsigned char *data, int n, void *ctx)
{
	struct addr_ctx *c = ctx;
	/* IFA_LOCAL if present (IPv4), else IFA_ADDRESS. */
	if ((type == IFA_LOCAL_ || (type == IFA_ADDRESS_ && !c->have)) && n <= 16) {
		memcpy(c->address, data, n);
		c->have = 1;
	}
}

static void route_attr(int type, const unsigned char *data, int n, void *ctx)
{
	unsigned char *dst = ctx;
	if (type == RTA_DST_ && n == 4)
		memcpy(dst, data, 4);
}

/* Reads datagrams until NLMSG_DONE (or an error), 32 KiB at a time. */
static void read_dump(int fd, unsigned int port, unsigned int want_seq, int lo_index, struct dump *d)
{
	static unsigned char buf[32768];
	memset(d, 0, sizeof *d);
	d->lo_index = -1;
	for (int rounds = 0; rounds < 1000 && !d->done && !d->error; rounds++) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n <= 0) {
			d->error = n < 0 ? errno : -1;
			return;
		}
		unsigned char *at = buf;
		while (n >= (ssize_t)sizeof(struct nl_header)) {
			struct nl_header h;
			memcpy(&h, at, sizeof h);
			if (h.len < sizeof h || h.len > n) {
				d->bad_len++;
				break;
			}
			d->messages++;
			if (h.seq != want_seq)
				d->bad_seq++;
			if (h.pid != port)
				d->bad_pid++;
			const unsigned char *body = at + sizeof h;
			int body_len = h.len - sizeof h;
			if (h.type == NLMSG_DONE_) {
				d->done = 1;
			} else if (h.type == NLMSG_ERROR_) {
				struct nl_error e;
				memcpy(&e, body, sizeof e);
				d->error = -e.error;
			} else if (h.type == RTM_NEWLINK_ && body_len >= (int)sizeof(struct nl_ifinfo)) {
				struct nl_ifinfo i;
				memcpy(&i, body, sizeof i);
				struct link_ctx c = { 0, 0 };
				attrs_of(body + sizeof i, body_len - sizeof i, link_attr, &c);
				if (c.named) {
					d->lo_index = i.index;
					d->lo_flags = i.flags;
					d->lo_mtu = c.mtu;
					d->lo_named = 1;
				}
			} else if (h.type == RTM_NEWADDR_ && body_len >= (int)sizeof(struct nl_ifaddr)) {
				struct nl_ifaddr a;
				memcpy(&a, body, sizeof a);
				struct addr_ctx c;
				memset(&c, 0, sizeof c);
				attrs_of(body + sizeof a, body_len - sizeof a, addr_attr, &c);
				static const unsigned char v6_one[16] = { [15] = 1 };
				if ((int)a.index == lo_index && a.family == AF_INET && a.prefixlen == 8 &&
				    memcmp(c.address, "\x7f\0\0\1", 4) == 0)
					d->v4_loopback_on_lo = 1;
				if ((int)a.index == lo_index && a.family == AF_INET6 && a.prefixlen == 128 &&
				    memcmp(c.address, v6_one, 16) == 0)
					d->v6_loopback_on_lo = 1;
			} else if (h.type == RTM_NEWROUTE_ && body_len >= (int)sizeof(struct nl_rtmsg)) {
				struct nl_rtmsg r;
				memcpy(&r, body, sizeof r);
				unsigned char dst[4] = { 0 };
				attrs_of(body + sizeof r, body_len - sizeof r, route_attr, dst);
				if (r.family == AF_INET && r.table == RT_TABLE_LOCAL_ && r.type == RTN_LOCAL_ && r.dst_len == 32 &&
				    memcmp(dst, "\x7f\0\0\1", 4) == 0)
					d->local_127 = 1;
			}
			unsigned int step = ALIGN4(h.len);
			if (step >= (size_t)n)
				break;
			at += step;
			n -= step;
		}
	}
}

static unsigned int port_of(int fd)
{
	struct nl_sockaddr a;
	socklen_t len = sizeof a;
	memset(&a, 0, sizeof a);
	if (getsockname(fd, (struct sockaddr *)&a, &len) != 0 || len != sizeof a || a.nl_family != AF_NETLINK)
		return 0;
	return a.nl_pid;
}

/* Reads one reply datagram and returns the error an NLMSG_ERROR carries
 * (0 for an ack), or 1 if the datagram is something else. */
static int read_ack(int fd, unsigned short *type)
{
	unsigned char buf[8192];
	ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n < (ssize_t)sizeof(struct nl_header))
		return -1000;
	struct nl_header h;
	memcpy(&h, buf, sizeof h);
	*type = h.type;
	if (h.type != NLMSG_ERROR_)
		return 1;
	struct nl_error e;
	memcpy(&e, buf + sizeof h, sizeof e);
	return e.error;
}

static void libc_calls(void)
{
	struct ifaddrs *list = NULL;
	CHECK(getifaddrs(&list) == 0, "getifaddrs");
	int lo_v4 = 0, lo_any = 0;
	for (struct ifaddrs *i = list; i; i = i->ifa_next) {
		if (strcmp(i->ifa_name, "lo") != 0)
			continue;
		lo_any = 1;
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			lo_v4 = 1;
	}
	CHECK(lo_any, "getifaddrs lists lo");
	CHECK(lo_v4, "getifaddrs gives lo 127.0.0.1");
	freeifaddrs(list);

	/* glibc lists interfaces over netlink, musl from /proc/net/dev. */
	struct if_nameindex *names = if_nameindex();
	int lo_listed = 0;
	for (struct if_nameindex *n = names; n && n->if_index; n++)
		if (strcmp(n->if_name, "lo") == 0 && n->if_index == if_nametoindex("lo"))
			lo_listed = 1;
	CHECK(lo_listed, "if_nameindex lists lo with its index");
	if (names)
		if_freenameindex(names);

#ifdef __GLIBC__
	/* A static glibc warns at link time for getaddrinfo (its NSS), and
	 * the test programs must build cleanly: glibc's AI_ADDRCONFIG over
	 * netlink is exercised by Debian's getent in the network tests. */
	DIAG("getaddrinfo not checked with glibc");
#else
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	int rc = getaddrinfo("localhost", "80", &hints, &res);
	CHECK_EQ(rc, 0, "getaddrinfo(localhost, AI_ADDRCONFIG) (%s)", rc ? gai_strerror(rc) : "ok");
	int loopback = 0;
	for (struct addrinfo *r = res; r; r = r->ai_next) {
		if (r->ai_family == AF_INET &&
		    ((struct sockaddr_in *)r->ai_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			loopback = 1;
		if (r->ai_family == AF_INET6 &&
		    IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)r->ai_addr)->sin6_addr))
			loopback = 1;
	}
	CHECK(loopback, "getaddrinfo(localhost) gives a loopback address");
	if (res)
		freeaddrinfo(res);
#endif
}

int main(void)
{
	CHECK_ERR(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE), ESOCKTNOSUPPORT, "a netlink stream socket");
	CHECK_ERR(socket(AF_NETLINK, SOCK_RAW, 31), EPROTONOSUPPORT, "netlink protocol 31");
	CHECK_ERR(socket(AF_NETLINK, SOCK_RAW, 32), EPROTONOSUPPORT, "netlink protocol 32 (past MAX_LINKS)");

	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	CHECK(fd >= 0, "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)");
	if (fd < 0)
		return check_done();

	/* Unbound: port 0. */
	struct nl_sockaddr a;
	socklen_t len = sizeof a;
	memset(&a, 0xff, sizeof a);
	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0 && len == 12 && a.nl_family == AF_NETLINK &&
		      a.nl_pid == 0 && a.nl_groups == 0,
	      "an unbound socket's name is port 0 (len %u pid %u)", (unsigned)len, a.nl_pid);

	struct nl_sockaddr me = { .nl_family = AF_NETLINK };
	CHECK_ERR(bind(fd, (struct sockaddr *)&me, 8), EINVAL, "bind with a short sockaddr_nl");
	struct sockaddr_in wrong = { .sin_family = AF_INET };
	CHECK_ERR(bind(fd, (struct sockaddr *)&wrong, sizeof wrong), EINVAL, "bind with an AF_INET address");
	CHECK(bind(fd, (struct sockaddr *)&me, sizeof me) == 0, "bind with pid 0");
	unsigned int port = port_of(fd);
	CHECK(port != 0, "getsockname gives a port id (%u)", port);
	CHECK_EQ(port, (unsigned)getpid(), "the process's first netlink socket gets its pid");
	me.nl_pid = port + 1;
	CHECK_ERR(bind(fd, (struct sockaddr *)&me, sizeof me), EINVAL, "binding a bound socket to another port");

	int second = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	CHECK(second >= 0, "socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE)");
	me.nl_pid = port;
	CHECK_ERR(bind(second, (struct sockaddr *)&me, sizeof me), EADDRINUSE, "binding to a port in use");
	struct nl_sockaddr kernel = { .nl_family = AF_NETLINK };
	CHECK(connect(second, (struct sockaddr *)&kernel, sizeof kernel) == 0, "connect to the kernel (pid 0)");
	unsigned int second_port = port_of(second);
	CHECK(second_port != 0 && second_port != port, "connect gave the second socket its own port (%u)",
	      second_port);

	/* Links. */
	struct nl_ifinfo link_req = { 0 };
	CHECK(request(fd, RTM_GETLINK_, NLM_F_DUMP_, &link_req, sizeof link_req, NULL, 0) == 0, "RTM_GETLINK dump sent");
	struct dump d;
	read_dump(fd, port, seq, -1, &d);
	CHECK(d.done && !d.error, "RTM_GETLINK dump ends with NLMSG_DONE (error %d)", d.error);
	CHECK(!d.bad_seq && !d.bad_pid && !d.bad_len, "RTM_GETLINK replies carry our seq and port, whole");
	int lo_index = d.lo_index;
	CHECK(d.lo_named, "RTM_GETLINK lists lo");
	CHECK_EQ(lo_index, (long long)if_nametoindex("lo"), "lo's index agrees with if_nametoindex");
	CHECK((d.lo_flags & (IFF_UP | IFF_LOOPBACK)) == (IFF_UP | IFF_LOOPBACK), "lo is UP|LOOPBACK (%#x)",
	      d.lo_flags);
	CHECK(d.lo_mtu >= 576, "lo's IFLA_MTU (%d)", d.lo_mtu);

	/* Addresses, both families. */
	struct nl_ifaddr addr_req = { 0 };
	CHECK(request(fd, RTM_GETADDR_, NLM_F_DUMP_, &addr_req, sizeof addr_req, NULL, 0) == 0, "RTM_GETADDR dump sent");
	read_dump(fd, port, seq, lo_index, &d);
	CHECK(d.done && !d.error, "RTM_GETADDR dump ends with NLMSG_DONE (error %d)", d.error);
	CHECK(d.v4_loopback_on_lo, "RTM_GETADDR: 127.0.0.1/8 on lo");
	CHECK(d.v6_loopback_on_lo, "RTM_GETADDR: ::1/128 on lo");

	/* Routes. */
	struct nl_rtmsg route_req = { .family = AF_INET };
	CHECK(request(fd, RTM_GETROUTE_, NLM_F_DUMP_, &route_req, sizeof route_req, NULL, 0) == 0,
	      "RTM_GETROUTE dump sent");
	read_dump(fd, port, seq, lo_index, &d);
	CHECK(d.done && !d.error && !d.bad_len, "RTM_GETROUTE dump parses and ends with NLMSG_DONE (error %d)",
	      d.error);
	CHECK(d.local_127, "RTM_GETROUTE: local 127.0.0.1 in table local");

	/* MSG_PEEK | MSG_TRUNC sizes the next datagram; a short buffer truncates. */
	CHECK(request(fd, RTM_GETLINK_, NLM_F_DUMP_, &link_req, sizeof link_req, NULL, 0) == 0, "another dump sent");
	ssize_t whole = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	CHECK(whole > (ssize_t)sizeof(struct nl_header), "MSG_PEEK|MSG_TRUNC with no buffer gives the length (%zd)",
	      whole);
	unsigned char small[16];
	struct iovec iov = { small, sizeof small };
	struct nl_sockaddr from;
	memset(&from, 0xff, sizeof from);
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t got = recvmsg(fd, &m, MSG_PEEK);
	CHECK(got == (ssize_t)sizeof small && (m.msg_flags & MSG_TRUNC), "a peek into 16 bytes is cut, MSG_TRUNC set");
	CHECK(m.msg_namelen == sizeof from && from.nl_family == AF_NETLINK && from.nl_pid == 0 && from.nl_groups == 0,
	      "the source is the kernel (port 0)");
	got = recv(fd, small, sizeof small, MSG_TRUNC);
	CHECK_EQ(got, whole, "recv with MSG_TRUNC returns the whole length");
	read_dump(fd, port, seq, -1, &d);
	CHECK(d.done, "the rest of the dump follows the truncated datagram");

	/* Nothing queued. */
	char byte;
	CHECK_ERR(recv(fd, &byte, 1, MSG_DONTWAIT), EAGAIN, "an empty socket with MSG_DONTWAIT");
	struct timeval tv = { 0, 50000 };
	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0, "SO_RCVTIMEO");
	CHECK_ERR(recv(fd, &byte, 1, 0), EAGAIN, "a blocking receive times out");
	struct pollfd p = { fd, POLLIN, 0 };
	CHECK_EQ(poll(&p, 1, 0), 0, "poll: nothing to read");

	/* An ack, and poll/epoll seeing it. */
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN };
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "epoll watches the socket");
	struct nl_ifinfo one = { .index = lo_index };
	CHECK(request(fd, RTM_GETLINK_, NLM_F_ACK_, &one, sizeof one, NULL, 0) == 0, "RTM_GETLINK of lo with NLM_F_ACK");
	CHECK_EQ(poll(&p, 1, 1000), 1, "poll: the reply is readable");
	CHECK_EQ(epoll_wait(ep, &ev, 1, 1000), 1, "epoll: the reply is readable");
	unsigned short type = 0;
	CHECK_EQ(read_ack(fd, &type), 1, "the reply comes first");
	CHECK_EQ(type, RTM_NEWLINK_, "it is RTM_NEWLINK");
	CHECK_EQ(read_ack(fd, &type), 0, "then the ack, error 0");
	close(ep);

	/* A change to an interface that does not exist: refused (EPERM
	 * unprivileged, ENODEV for root), and nothing changes. */
	struct {
		struct nl_attr a;
		unsigned char addr[4];
	} local = { { 8, IFA_LOCAL_ }, { 192, 0, 2, 1 } };
	struct nl_ifaddr bad = { .family = AF_INET, .prefixlen = 24, .index = 999999 };
	CHECK(request(fd, RTM_NEWADDR_, NLM_F_ACK_ | NLM_F_CREATE_ | NLM_F_EXCL_, &bad, sizeof bad, &local,
		      sizeof local) == 0,
	      "RTM_NEWADDR sent");
	int err = read_ack(fd, &type);
	CHECK(err < 0 && err > -1000, "RTM_NEWADDR is refused (error %d)", err);

	/* Options. */
	int on = 1, v = 0;
	socklen_t vl = sizeof v;
	CHECK(setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on) == 0, "NETLINK_EXT_ACK on");
	CHECK(getsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &v, &vl) == 0 && v == 1 && vl == 4,
	      "NETLINK_EXT_ACK reads back 1");
	CHECK(setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof on) == 0, "NETLINK_GET_STRICT_CHK on");
	CHECK_ERR(setsockopt(fd, SOL_NETLINK, 999, &on, sizeof on), ENOPROTOOPT, "an unknown SOL_NETLINK option");
	int rcv = 65536;
	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv) == 0, "SO_RCVBUF");
	vl = sizeof v;
	CHECK(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &vl) == 0 && v == 2 * rcv, "SO_RCVBUF reads back doubled (%d)",
	      v);
	vl = sizeof v;
	CHECK(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &vl) == 0 && v == AF_NETLINK, "SO_DOMAIN is AF_NETLINK");
	vl = sizeof v;
	CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_RAW, "SO_TYPE is SOCK_RAW (%d)", v);
	vl = sizeof v;
	CHECK(getsockopt(second, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_DGRAM, "SO_TYPE is SOCK_DGRAM (%d)",
	      v);

	/* write and read on the connected socket. */
	unsigned char buf[8192];
	struct {
		struct nl_header h;
		struct nl_ifinfo i;
	} w = { { sizeof w, RTM_GETLINK_, NLM_F_REQUEST_ | NLM_F_ACK_, 7, 0 }, { .index = lo_index } };
	CHECK_EQ(write(second, &w, sizeof w), (long long)sizeof w, "write a request");
	ssize_t r = read(second, buf, sizeof buf);
	struct nl_header h;
	memcpy(&h, buf, sizeof h);
	CHECK(r >= (ssize_t)sizeof h && h.type == RTM_NEWLINK_ && h.seq == 7 && h.pid == second_port,
	      "read the reply (%zd bytes, type %u)", r, h.type);
	close(second);
	close(fd);

	libc_calls();
	return check_done();
}
