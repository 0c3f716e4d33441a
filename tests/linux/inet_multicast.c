/*
 * inet_multicast.c - multicast group membership on Internet sockets:
 * IP_ADD/DROP_MEMBERSHIP with ip_mreq and ip_mreqn, MCAST_JOIN/LEAVE_GROUP
 * with group_req at IPPROTO_IP and IPPROTO_IPV6, IPV6_ADD/DROP_MEMBERSHIP,
 * and the errors Linux gives: EADDRINUSE for a second join, EADDRNOTAVAIL
 * for leaving a group not joined (also on a connection accepted from a
 * listener that joined: memberships are not inherited, CVE-2017-8890),
 * EINVAL for a unicast group or a short option, ENODEV for no such
 * interface, EPROTO for IPv6 memberships on TCP.
 *
 * Joins name the loopback interface (index 1), so the program needs no
 * network: it passes on a machine with only lo.
 */
#define _GNU_SOURCE
#include "check.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static struct ip_mreqn mreqn(const char *group, int ifindex)
{
	struct ip_mreqn m = { .imr_ifindex = ifindex };
	inet_pton(AF_INET, group, &m.imr_multiaddr);
	return m;
}

static struct group_req group_req(int family, const char *group, int ifindex)
{
	struct group_req g = { .gr_interface = ifindex };
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&g.gr_group;
		a->sin_family = AF_INET;
		inet_pton(AF_INET, group, &a->sin_addr);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&g.gr_group;
		a->sin6_family = AF_INET6;
		inet_pton(AF_INET6, group, &a->sin6_addr);
	}
	return g;
}

static void ipv4_memberships(void)
{
	int lo = if_nametoindex("lo");
	CHECK(lo > 0, "the loopback interface has an index (%d)", lo);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct ip_mreqn m = mreqn("239.255.1.2", lo);
	CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m), 0, "IP_ADD_MEMBERSHIP (ip_mreqn) on lo");
	CHECK_ERR(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m), EADDRINUSE, "joining twice");
	struct ip_mreqn other = mreqn("239.255.1.3", lo);
	CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &other, sizeof other), 0, "a second group");
	CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_DROP_MEMBERSHIP, &m, sizeof m), 0, "IP_DROP_MEMBERSHIP");
	CHECK_ERR(setsockopt(u, IPPROTO_IP, IP_DROP_MEMBERSHIP, &m, sizeof m), EADDRNOTAVAIL, "leaving twice");
	CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m), 0, "joining again after leaving");

	/* A plain ip_mreq names the interface by its address. */
	struct ip_mreq old = { 0 };
	inet_pton(AF_INET, "239.255.1.4", &old.imr_multiaddr);
	inet_pton(AF_INET, "127.0.0.1", &old.imr_interface);
	CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &old, sizeof old), 0, "ip_mreq by 127.0.0.1");
	CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_DROP_MEMBERSHIP, &old, sizeof old), 0, "and its leave");

	struct ip_mreqn unicast = mreqn("10.1.2.3", lo);
	CHECK_ERR(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &unicast, sizeof unicast), EINVAL, "a unicast group");
	CHECK_ERR(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, 7), EINVAL, "a short ip_mreq");
	struct ip_mreqn nowhere = mreqn("239.255.1.9", 9999);
	CHECK_ERR(setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &nowhere, sizeof nowhere), ENODEV, "no interface 9999");

	struct group_req g = group_req(AF_INET, "239.255.1.5", lo);
	CHECK_EQ(setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof g), 0, "MCAST_JOIN_GROUP");
	CHECK_ERR(setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof g), EADDRINUSE, "MCAST_JOIN_GROUP twice");
	CHECK_EQ(setsockopt(u, IPPROTO_IP, MCAST_LEAVE_GROUP, &g, sizeof g), 0, "MCAST_LEAVE_GROUP");
	CHECK_ERR(setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof g - 1), EINVAL, "a short group_req");
	struct group_req g6 = group_req(AF_INET6, "ff02::1:3", lo);
	CHECK_ERR(setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g6, sizeof g6), EINVAL, "an IPv6 group at IPPROTO_IP");
	close(u);

	/* A TCP listener may join; the connection it accepts is no member. */
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	struct group_req tg = group_req(AF_INET, "224.0.0.0", lo);
	CHECK_EQ(setsockopt(l, IPPROTO_IP, MCAST_JOIN_GROUP, &tg, sizeof tg), 0, "a TCP socket joins a group");
	CHECK(bind(l, (struct sockaddr *)&a, sizeof a) == 0 && listen(l, 1) == 0 &&
		      getsockname(l, (struct sockaddr *)&a, &alen) == 0,
	      "it listens");
	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0, "a client connects");
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0, "accepted");
	CHECK_ERR(setsockopt(s, IPPROTO_IP, MCAST_LEAVE_GROUP, &tg, sizeof tg), EADDRNOTAVAIL,
		  "the accepted connection did not inherit the listener's group");
	CHECK_EQ(setsockopt(l, IPPROTO_IP, MCAST_LEAVE_GROUP, &tg, sizeof tg), 0, "the listener leaves it");
	close(s);
	close(c);
	close(l);
}

static void ipv6_memberships(void)
{
	int lo = if_nametoindex("lo");
	int u = socket(AF_INET6, SOCK_DGRAM, 0);
	struct ipv6_mreq m = { .ipv6mr_interface = lo };
	inet_pton(AF_INET6, "ff02::1:3", &m.ipv6mr_multiaddr);
	CHECK_EQ(setsockopt(u, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m), 0, "IPV6_ADD_MEMBERSHIP on lo");
	CHECK_ERR(setsockopt(u, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m), EADDRINUSE, "IPv6: joining twice");
	CHECK_EQ(setsockopt(u, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, &m, sizeof m), 0, "IPV6_DROP_MEMBERSHIP");
	CHECK_ERR(setsockopt(u, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, &m, sizeof m), EADDRNOTAVAIL,
		  "IPv6: leaving twice");
	CHECK_ERR(setsockopt(u, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m - 1), EINVAL, "a short ipv6_mreq");
	struct ipv6_mreq unicast = { .ipv6mr_interface = lo };
	inet_pton(AF_INET6, "::1", &unicast.ipv6mr_multiaddr);
	CHECK_ERR(setsockopt(u, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &unicast, sizeof unicast), EINVAL,
		  "IPv6: a unicast group");
	struct group_req g = group_req(AF_INET6, "ff02::1:4", lo);
	CHECK_EQ(setsockopt(u, IPPROTO_IPV6, MCAST_JOIN_GROUP, &g, sizeof g), 0, "IPv6 MCAST_JOIN_GROUP");
	CHECK_EQ(setsockopt(u, IPPROTO_IPV6, MCAST_LEAVE_GROUP, &g, sizeof g), 0, "IPv6 MCAST_LEAVE_GROUP");
	struct group_req g4 = group_req(AF_INET, "239.255.1.2", lo);
	CHECK_ERR(setsockopt(u, IPPROTO_IPV6, MCAST_JOIN_GROUP, &g4, sizeof g4), EADDRNOTAVAIL,
		  "an IPv4 group at IPPROTO_IPV6");
	close(u);

	int t = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_ERR(setsockopt(t, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m), EPROTO,
		  "no IPV6_ADD_MEMBERSHIP on TCP");
	close(t);
	int four = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_ERR(setsockopt(four, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m), ENOPROTOOPT,
		  "no IPv6 options on an IPv4 socket");
	close(four);
}

int main(void)
{
	ipv4_memberships();
	ipv6_memberships();
	return check_done();
}
