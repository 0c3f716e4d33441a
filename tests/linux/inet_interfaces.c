/*
 * inet_interfaces.c - what tools such as ifconfig, netstat and route see:
 * the SIOCGIF* ioctls on sockets of every family, and /proc/net/dev,
 * route, if_inet6, tcp, tcp6, udp, udp6.
 *
 * Machines differ in their interfaces, so only invariants are checked:
 * lo exists, is up and loopback, holds 127.0.0.1/8; names and indexes
 * agree; unknown names are ENODEV; the IPv4 address requests work on
 * AF_INET sockets only (ENOTTY elsewhere, as Linux's devinet_ioctl is
 * reached only from inet_ioctl); sockets this program opens appear in
 * /proc/net with their ports, states, inode numbers and owner.
 */
#define _GNU_SOURCE
#include "check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int ask(int fd, unsigned long req, const char *name, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof *ifr);
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
	return ioctl(fd, req, ifr);
}

static const char *family_name(int family)
{
	return family == AF_INET ? "AF_INET" : family == AF_INET6 ? "AF_INET6" : "AF_UNIX";
}

/* What every socket family answers about lo. */
static void interface_requests(int fd, int family)
{
	const char *fam = family_name(family);
	struct ifreq ifr;

	CHECK(ask(fd, SIOCGIFFLAGS, "lo", &ifr) == 0, "%s: SIOCGIFFLAGS lo", fam);
	CHECK((ifr.ifr_flags & (IFF_UP | IFF_LOOPBACK)) == (IFF_UP | IFF_LOOPBACK), "%s: lo is UP|LOOPBACK (flags %#x)",
	      fam, ifr.ifr_flags);
	CHECK(ifr.ifr_flags & IFF_RUNNING, "%s: lo is RUNNING", fam);
	CHECK(!(ifr.ifr_flags & IFF_BROADCAST), "%s: lo has no broadcast", fam);

	CHECK(ask(fd, SIOCGIFINDEX, "lo", &ifr) == 0, "%s: SIOCGIFINDEX lo", fam);
	int index = ifr.ifr_ifindex;
	CHECK(index > 0, "%s: lo's index %d is positive", fam, index);
	CHECK_EQ((long long)if_nametoindex("lo"), index, "%s: if_nametoindex agrees", fam);
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_ifindex = index;
	CHECK(ioctl(fd, SIOCGIFNAME, &ifr) == 0, "%s: SIOCGIFNAME %d", fam, index);
	CHECK_STR(ifr.ifr_name, "lo", "%s: SIOCGIFNAME names index %d lo", fam, index);

	CHECK(ask(fd, SIOCGIFMTU, "lo", &ifr) == 0 && ifr.ifr_mtu >= 576, "%s: lo's MTU %d", fam, ifr.ifr_mtu);
	CHECK(ask(fd, SIOCGIFHWADDR, "lo", &ifr) == 0, "%s: SIOCGIFHWADDR lo", fam);
	CHECK_EQ(ifr.ifr_hwaddr.sa_family, ARPHRD_LOOPBACK, "%s: lo's hardware type", fam);
	CHECK(ask(fd, SIOCGIFTXQLEN, "lo", &ifr) == 0 && ifr.ifr_qlen >= 0, "%s: SIOCGIFTXQLEN lo", fam);

	CHECK_ERR(ask(fd, SIOCGIFFLAGS, "nosuch0", &ifr), ENODEV, "%s: SIOCGIFFLAGS of an unknown name", fam);
	CHECK_ERR(ask(fd, SIOCGIFINDEX, "nosuch0", &ifr), ENODEV, "%s: SIOCGIFINDEX of an unknown name", fam);
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_ifindex = 999999;
	CHECK_ERR(ioctl(fd, SIOCGIFNAME, &ifr), ENODEV, "%s: SIOCGIFNAME of an unknown index", fam);

	/* SIOCGIFCONF: the length it needs, then the list. */
	struct ifconf ifc;
	memset(&ifc, 0, sizeof ifc);
	CHECK(ioctl(fd, SIOCGIFCONF, &ifc) == 0, "%s: SIOCGIFCONF without a buffer", fam);
	int needed = ifc.ifc_len;
	CHECK(needed > 0 && needed % (int)sizeof(struct ifreq) == 0, "%s: SIOCGIFCONF needs %d bytes", fam, needed);
	struct ifreq list[64];
	ifc.ifc_len = sizeof list;
	ifc.ifc_req = list;
	CHECK(ioctl(fd, SIOCGIFCONF, &ifc) == 0, "%s: SIOCGIFCONF", fam);
	CHECK_EQ(ifc.ifc_len, needed, "%s: SIOCGIFCONF fills what it said it needs", fam);
	int found = 0;
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&list[i].ifr_addr;
		if (sin->sin_family != AF_INET)
			found = -100;
		if (strcmp(list[i].ifr_name, "lo") == 0 && sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			found++;
	}
	CHECK(found >= 1, "%s: SIOCGIFCONF lists lo with 127.0.0.1, every entry AF_INET", fam);
	ifc.ifc_len = sizeof(struct ifreq) + 10;
	CHECK(ioctl(fd, SIOCGIFCONF, &ifc) == 0, "%s: SIOCGIFCONF into a short buffer", fam);
	CHECK_EQ(ifc.ifc_len, (long long)sizeof(struct ifreq), "%s: only whole entries", fam);
}

/* The IPv4 address requests: only AF_INET sockets know them. */
static void address_requests(int fd, int family)
{
	const char *fam = family_name(family);
	struct ifreq ifr;
	if (family != AF_INET) {
		CHECK_ERR(ask(fd, SIOCGIFADDR, "lo", &ifr), ENOTTY, "%s: SIOCGIFADDR is an AF_INET request", fam);
		CHECK_ERR(ask(fd, SIOCGIFNETMASK, "lo", &ifr), ENOTTY, "%s: SIOCGIFNETMASK too", fam);
		return;
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	CHECK(ask(fd, SIOCGIFADDR, "lo", &ifr) == 0, "SIOCGIFADDR lo");
	CHECK_EQ(sin->sin_family, AF_INET, "lo's address is AF_INET");
	CHECK_EQ(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK, "lo's address is 127.0.0.1");
	CHECK(ask(fd, SIOCGIFNETMASK, "lo", &ifr) == 0, "SIOCGIFNETMASK lo");
	CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0xff000000u, "lo's netmask is 255.0.0.0");
	CHECK(ask(fd, SIOCGIFBRDADDR, "lo", &ifr) == 0, "SIOCGIFBRDADDR lo");
	CHECK(ask(fd, SIOCGIFDSTADDR, "lo", &ifr) == 0, "SIOCGIFDSTADDR lo");
	CHECK_EQ(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK, "lo's destination is itself");
	CHECK_ERR(ask(fd, SIOCGIFADDR, "nosuch0", &ifr), ENODEV, "SIOCGIFADDR of an unknown name");
}

/* Changing an interface needs CAP_NET_ADMIN: a user without it gets EPERM. */
static void changes_are_refused(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(10);
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		struct ifreq ifr;
		ask(fd, SIOCGIFFLAGS, "lo", &ifr);
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) != -1 || errno != EPERM)
			_exit(11);
		ask(fd, SIOCGIFMTU, "lo", &ifr);
		if (ioctl(fd, SIOCSIFMTU, &ifr) != -1 || errno != EPERM)
			_exit(12);
		/* The request is read before the capability is checked. */
		if (ioctl(fd, SIOCSIFFLAGS, NULL) != -1 || errno != EFAULT)
			_exit(13);
		_exit(0);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "SIOCSIFFLAGS and SIOCSIFMTU without CAP_NET_ADMIN are EPERM, EFAULT first (child status %#x)", status);
}

/* SIOCATMARK: TCP answers (no urgent data here: not at a mark), a bad
 * pointer is EFAULT, UDP does not know the request. */
static void urgent_mark(void)
{
	int t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	int at = -1;
	CHECK(ioctl(t, SIOCATMARK, &at) == 0 && at == 0, "SIOCATMARK on TCP (%d)", at);
	CHECK_ERR(ioctl(t, SIOCATMARK, NULL), EFAULT, "SIOCATMARK into a bad pointer");
	CHECK_ERR(ioctl(u, SIOCATMARK, &at), ENOTTY, "SIOCATMARK on UDP");
	close(t);
	close(u);
}

/* Reads a whole file into buf (NUL-terminated); its length, or -1. */
static int slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return (int)len;
}

static char text[1 << 18];

/* The line of a /proc/net socket table whose local address is `local`,
 * copied to out; 0 if there is none. */
static int find_line(const char *path, const char *local, char *out, size_t size)
{
	if (slurp(path, text, sizeof text) < 0)
		return 0;
	for (char *line = strchr(text, '\n'); line; line = strchr(line, '\n')) {
		line++;
		char *colon = strchr(line, ':');
		if (!colon)
			break;
		if (strncmp(colon + 2, local, strlen(local)) == 0 && colon[2 + strlen(local)] == ' ') {
			char *end = strchr(line, '\n');
			size_t n = end ? (size_t)(end - line) : strlen(line);
			if (n >= size)
				n = size - 1;
			memcpy(out, line, n);
			out[n] = 0;
			return 1;
		}
	}
	return 0;
}

/* The fields of a /proc/net/tcp|udp line after "sl:". */
struct entry {
	char local[64], remote[64];
	unsigned state, txq, rxq, uid;
	unsigned long inode;
};

static int parse_entry(const char *line, struct entry *e)
{
	unsigned tr, when, retr, timeout;
	int sl;
	return sscanf(line, "%d: %63s %63s %x %x:%x %x:%x %x %u %u %lu", &sl, e->local, e->remote, &e->state, &e->txq,
		      &e->rxq, &tr, &when, &retr, &e->uid, &timeout, &e->inode) == 12;
}

static unsigned short bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &len);
	return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					     : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

static unsigned long inode_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static void socket_tables(void)
{
	char line[512], local[64];
	struct entry e;

	/* A TCP listener on a port of 127.0.0.1 the system picks. */
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	CHECK(bind(l, (struct sockaddr *)&a, sizeof a) == 0 && listen(l, 5) == 0, "a TCP listener on 127.0.0.1");
	unsigned short port = bound_port(l);
	snprintf(local, sizeof local, "0100007F:%04X", port);
	CHECK(find_line("/proc/net/tcp", local, line, sizeof line), "/proc/net/tcp lists %s", local);
	CHECK(parse_entry(line, &e), "its line parses: %s", line);
	CHECK_EQ(e.state, 0x0A, "the listener is in state 0A (LISTEN)");
	CHECK_STR(e.remote, "00000000:0000", "a listener has no peer");
	CHECK_EQ(e.uid, getuid(), "its uid is the owner's");
	CHECK_EQ(e.inode, inode_of(l), "its inode is the socket's st_ino");
	CHECK(find_line("/proc/self/net/tcp", local, line, sizeof line), "/proc/self/net/tcp lists it too");

	/* A connection: both ends established, unread bytes counted. */
	int c = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = htons(port);
	CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0, "connect to the listener");
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0, "accept");
	CHECK_EQ(write(c, "hello", 5), 5, "send 5 bytes");
	usleep(100 * 1000);
	char client[64];
	snprintf(client, sizeof client, "0100007F:%04X", bound_port(c));
	CHECK(find_line("/proc/net/tcp", client, line, sizeof line) && parse_entry(line, &e), "the client's line");
	CHECK_EQ(e.state, 0x01, "the client is ESTABLISHED");
	CHECK_STR(e.remote, local, "the client's peer is the listener's port");
	CHECK_EQ(e.inode, inode_of(c), "the client's inode");
	/* The server end shares the listener's local address: find it by its peer. */
	int server_seen = 0;
	slurp("/proc/net/tcp", text, sizeof text);
	for (char *p = strchr(text, '\n'); p && *++p; p = strchr(p, '\n')) {
		if (parse_entry(p, &e) && strcmp(e.local, local) == 0 && strcmp(e.remote, client) == 0)
			server_seen = e.state == 0x01 && e.rxq == 5 && e.inode == inode_of(s);
	}
	CHECK(server_seen, "the accepted end is ESTABLISHED with 5 bytes unread and its own inode");

	/* UDP, bound. */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = 0;
	CHECK(bind(u, (struct sockaddr *)&a, sizeof a) == 0, "a UDP socket on 127.0.0.1");
	snprintf(local, sizeof local, "0100007F:%04X", bound_port(u));
	CHECK(find_line("/proc/net/udp", local, line, sizeof line) && parse_entry(line, &e), "/proc/net/udp lists %s",
	      local);
	CHECK_EQ(e.state, 0x07, "an unconnected UDP socket is in state 07");
	CHECK_EQ(e.inode, inode_of(u), "the UDP socket's inode");

	/* IPv6: a listener on ::1 and a UDP socket on ::. */
	int l6 = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	CHECK(bind(l6, (struct sockaddr *)&a6, sizeof a6) == 0 && listen(l6, 1) == 0, "a TCP listener on ::1");
	snprintf(local, sizeof local, "00000000000000000000000001000000:%04X", bound_port(l6));
	CHECK(find_line("/proc/net/tcp6", local, line, sizeof line) && parse_entry(line, &e), "/proc/net/tcp6 lists %s",
	      local);
	CHECK_EQ(e.state, 0x0A, "the IPv6 listener is in state 0A");
	CHECK(!find_line("/proc/net/tcp", local, line, sizeof line), "an IPv6 socket is not in /proc/net/tcp");
	int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	a6.sin6_addr = in6addr_any;
	CHECK(bind(u6, (struct sockaddr *)&a6, sizeof a6) == 0, "a UDP socket on ::");
	snprintf(local, sizeof local, "00000000000000000000000000000000:%04X", bound_port(u6));
	CHECK(find_line("/proc/net/udp6", local, line, sizeof line) && parse_entry(line, &e), "/proc/net/udp6 lists %s",
	      local);
	CHECK_EQ(e.inode, inode_of(u6), "the UDP6 socket's inode");

	close(l);
	close(c);
	close(s);
	close(u);
	close(l6);
	close(u6);
}

static void interface_files(void)
{
	/* /proc/net/dev: two header lines, then "name: 16 numbers". */
	CHECK(slurp("/proc/net/dev", text, sizeof text) > 0, "read /proc/net/dev");
	CHECK(strncmp(text, "Inter-|   Receive", 17) == 0, "/proc/net/dev's header");
	char *lo = strstr(text, " lo: ");
	CHECK(lo != NULL, "/proc/net/dev has an lo: line");
	if (lo) {
		unsigned long long v[16];
		int n = sscanf(lo + 5, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			       &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13],
			       &v[14], &v[15]);
		CHECK_EQ(n, 16, "lo's line has 16 counters");
		CHECK(v[1] > 0 && v[9] > 0, "lo has carried packets (rx %llu, tx %llu)", v[1], v[9]);
	}

	/* /proc/net/route: the header, then 11 tab-separated fields a line. */
	CHECK(slurp("/proc/net/route", text, sizeof text) > 0, "read /proc/net/route");
	CHECK(strncmp(text, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT", 70) == 0,
	      "/proc/net/route's header");
	int bad = 0, routes = 0;
	for (char *p = strchr(text, '\n'); p && *++p; p = strchr(p, '\n')) {
		char iface[32];
		unsigned dst, gw, flags, mask, mtu, win, irtt;
		int ref, use, metric;
		if (sscanf(p, "%31s %x %x %x %d %d %d %x %u %u %u", iface, &dst, &gw, &flags, &ref, &use, &metric, &mask,
			   &mtu, &win, &irtt) != 11 ||
		    !(flags & 1) || (dst & ~mask) != 0)
			bad++;
		routes++;
	}
	CHECK_EQ(bad, 0, "each of the %d routes parses, is up and fits its mask", routes);

	/* /proc/net/if_inet6: ::1 on lo, prefix 128, host scope. */
	CHECK(slurp("/proc/net/if_inet6", text, sizeof text) >= 0, "read /proc/net/if_inet6");
	char *one = strstr(text, "00000000000000000000000000000001 ");
	unsigned idx = 0, prefix = 0, scope = 0, flags = 0;
	char name[32] = "";
	CHECK(one && sscanf(one + 33, "%x %x %x %x %31s", &idx, &prefix, &scope, &flags, name) == 5,
	      "/proc/net/if_inet6 lists ::1");
	CHECK(prefix == 0x80 && scope == 0x10 && strcmp(name, "lo") == 0 && idx == if_nametoindex("lo"),
	      "::1 is lo's, /128, host scope (index %u prefix %x scope %x name %s)", idx, prefix, scope, name);
}

int main(void)
{
	int families[] = { AF_INET, AF_INET6, AF_UNIX };
	for (int i = 0; i < 3; i++) {
		int fd = socket(families[i], SOCK_DGRAM, 0);
		CHECK(fd >= 0, "socket(%s, SOCK_DGRAM)", family_name(families[i]));
		interface_requests(fd, families[i]);
		address_requests(fd, families[i]);
		close(fd);
	}
	int p[2];
	struct ifconf ifc = { 0 };
	CHECK(pipe(p) == 0, "pipe");
	CHECK_ERR(ioctl(p[0], SIOCGIFCONF, &ifc), ENOTTY, "SIOCGIFCONF on a pipe");
	changes_are_refused();
	urgent_mark();
	socket_tables();
	interface_files();
	return check_done();
}
