/*
 * net.c - the TCP benchmarks `cargo xtask bench` runs inside Linux and
 * inside Helctic (the same static binary, built with musl-gcc -static), in
 * boots of their own with a virtio-net device on QEMU's user network.
 *
 * usage: net [SCALE [NAME...]]
 *   SCALE   divides every iteration count and size (1 = full run, 1000 =
 *           smoke test)
 *   NAME    run only these (default: the three loopback rows). `serve`
 *           (run only when named, and first): bring eth0 up, then be the sink
 *           of one TCP transfer from the host on port SERVE_PORT (QEMU
 *           forwards a host port to it): send one byte `R` (ready), count
 *           what arrives until the host shuts its side, answer
 *           `OK <bytes>\n`, close. The host (xtask/src/bench/net.rs) times
 *           the transfer from its side; this side prints its own clock's
 *           figure as `tcp_host_bandwidth_guest`.
 *
 * Loopback rows, all over 127.0.0.1 between two processes, with
 * TCP_NODELAY (see bench/README.md for what each times):
 *   tcp_rtt          1 byte each way, per round trip
 *   tcp_bandwidth    32 MiB one way in 64 KiB writes
 *   tcp_connect      connect + accept + close, per connection
 *
 * Before any row: `lo` is brought up if it is down (Linux starts init with
 * it down; Helctic's TCP/IP server has it up). Before `serve`, eth0 must
 * have an IPv4 address: Helctic's TCP/IP server gives it one from
 * network.conf; under Linux the virtio modules are loaded (vda.h's list,
 * which includes virtio_net) and eth0 is given 10.0.2.15/24 with ioctls,
 * QEMU user network's address for the guest.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "vda.h"

#ifndef SERVE_PORT
#define SERVE_PORT 5201
#endif

#define CHUNK (64 * 1024)

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000}, NULL);
}

/* An interface's flags, or -1. */
static int if_flags(int s, const char *name)
{
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &r))
		return -1;
	return (unsigned short)r.ifr_flags;
}

static int if_set_up(int s, const char *name)
{
	int flags = if_flags(s, name);
	if (flags < 0)
		return -1;
	if (flags & IFF_UP)
		return 0;
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", name);
	r.ifr_flags = (short)(flags | IFF_UP);
	return ioctl(s, SIOCSIFFLAGS, &r);
}

/* The interface's IPv4 address (network order), or 0. */
static uint32_t if_addr(int s, const char *name)
{
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", name);
	if (ioctl(s, SIOCGIFADDR, &r))
		return 0;
	return ((struct sockaddr_in *)&r.ifr_addr)->sin_addr.s_addr;
}

static int if_set_addr(int s, const char *name, unsigned long req, const char *dotted)
{
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", name);
	struct sockaddr_in *a = (struct sockaddr_in *)&r.ifr_addr;
	a->sin_family = AF_INET;
	inet_pton(AF_INET, dotted, &a->sin_addr);
	return ioctl(s, req, &r);
}

/* lo up (Linux starts with it down). 0, or 1 after a BENCH-NOTE. */
static int loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		printf("BENCH-NOTE net socket: %s\n", strerror(errno));
		return 1;
	}
	int bad = if_set_up(s, "lo");
	if (bad)
		printf("BENCH-NOTE net bring lo up: %s\n", strerror(errno));
	close(s);
	return bad ? 1 : 0;
}

/* eth0 with an IPv4 address: NULL, or why not. */
static const char *eth0_up(void)
{
	static char why[256];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return "socket failed";
	/* Helctic: the TCP/IP server may still be starting. */
	for (int i = 0; i < 200 && !if_nametoindex("eth0"); i++)
		sleep_ms(10);
	if (!if_nametoindex("eth0")) {
		/* Linux: its virtio drivers are modules. */
		const char *load = vda_load_modules();
		if (load)
			printf("BENCH-NOTE net %s\n", load);
		for (int i = 0; i < 1000 && !if_nametoindex("eth0"); i++)
			sleep_ms(10);
	}
	if (!if_nametoindex("eth0")) {
		close(s);
		return "no eth0 10 s after loading the virtio modules";
	}
	if (!if_addr(s, "eth0")) {
		/* Linux: QEMU's user network gives the guest 10.0.2.15/24.
		 * Helctic refuses (its server configures the interface). */
		if (if_set_addr(s, "eth0", SIOCSIFADDR, "10.0.2.15") == 0) {
			if_set_addr(s, "eth0", SIOCSIFNETMASK, "255.255.255.0");
			if (if_set_up(s, "eth0"))
				printf("BENCH-NOTE net bring eth0 up: %s\n", strerror(errno));
		}
	}
	uint32_t a = 0;
	for (int i = 0; i < 3000 && !(a = if_addr(s, "eth0")); i++)
		sleep_ms(10);
	close(s);
	if (!a) {
		snprintf(why, sizeof why, "eth0 has no IPv4 address after 30 s");
		return why;
	}
	char dotted[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &a, dotted, sizeof dotted);
	printf("BENCH-INFO net eth0 %s\n", dotted);
	fflush(stdout);
	return NULL;
}

static void nodelay(int fd)
{
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* A socket listening on 127.0.0.1 (any port); its port in *port. */
static int listen_loopback(uint16_t *port)
{
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 128) ||
	    getsockname(l, (struct sockaddr *)&a, &len)) {
		close(l);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return l;
}

static int connect_loopback(uint16_t port)
{
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (connect(c, (struct sockaddr *)&a, sizeof a)) {
		int e = errno;
		close(c);
		errno = e;
		return -1;
	}
	return c;
}

static int write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

static int reap(pid_t pid)
{
	int st = 0;
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* A child that connects to `port` and runs `body` on the connection. */
static pid_t client(uint16_t port, int listener, int (*body)(int fd))
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	close(listener);
	int c = connect_loopback(port);
	if (c < 0)
		_exit(2);
	nodelay(c);
	_exit(body(c) ? 1 : 0);
}

static int echo_body(int fd)
{
	char c;
	while (read(fd, &c, 1) == 1)
		if (write(fd, &c, 1) != 1)
			return 1;
	return 0;
}

/* One byte to a child over a loopback TCP connection, one byte back. */
static int b_tcp_rtt(const char *m)
{
	long n = iters(20000);
	uint16_t port;
	int l = listen_loopback(&port);
	if (l < 0)
		return fail(m, "listen on 127.0.0.1");
	pid_t pid = client(port, l, echo_body);
	if (pid < 0)
		return fail(m, "fork");
	int s = accept(l, NULL, NULL);
	close(l);
	if (s < 0)
		return fail(m, "accept");
	nodelay(s);
	char c = 'x';
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		if (write(s, &c, 1) != 1 || read(s, &c, 1) != 1)
			return fail(m, "write/read");
	}
	uint64_t dt = now_ns() - t;
	close(s);
	if (reap(pid))
		return wrong(m, "the echoing child failed");
	report(m, (double)dt / n, "ns");
	return 0;
}

static long bandwidth_bytes(void)
{
	long b = (32L << 20) / scale;
	return b < CHUNK ? CHUNK : b;
}

/* Waits for the go byte, then sends bandwidth_bytes() in 64 KiB writes
 * (a tenth as much first, untimed, as warm-up). */
static int source_body(int fd)
{
	static char buf[CHUNK];
	memset(buf, 'n', sizeof buf);
	char go;
	for (int round = 0; round < 2; round++) {
		if (read(fd, &go, 1) != 1)
			return 1;
		long left = round ? bandwidth_bytes() : bandwidth_bytes() / 10;
		while (left > 0) {
			long n = left < CHUNK ? left : CHUNK;
			if (write_full(fd, buf, n))
				return 1;
			left -= n;
		}
	}
	return 0;
}

/* Counts `want` bytes from fd; 0 when they all came. */
static int drain(int fd, long want)
{
	static char buf[CHUNK];
	while (want > 0) {
		ssize_t r = read(fd, buf, want < CHUNK ? want : CHUNK);
		if (r <= 0)
			return -1;
		want -= r;
	}
	return 0;
}

/* 32 MiB from a child to the parent over loopback TCP; clock from the go
 * byte to the last byte read. */
static int b_tcp_bandwidth(const char *m)
{
	uint16_t port;
	int l = listen_loopback(&port);
	if (l < 0)
		return fail(m, "listen on 127.0.0.1");
	pid_t pid = client(port, l, source_body);
	if (pid < 0)
		return fail(m, "fork");
	int s = accept(l, NULL, NULL);
	close(l);
	if (s < 0)
		return fail(m, "accept");
	long bytes = bandwidth_bytes();
	if (write(s, "g", 1) != 1 || drain(s, bytes / 10))
		return fail(m, "warm-up transfer");
	uint64_t t = now_ns();
	if (write(s, "g", 1) != 1 || drain(s, bytes))
		return fail(m, "transfer");
	uint64_t dt = now_ns() - t;
	char extra;
	if (read(s, &extra, 1) != 0)
		return wrong(m, "more bytes than sent, or no end of stream");
	close(s);
	if (reap(pid))
		return wrong(m, "the sending child failed");
	report(m, (double)bytes / ((double)dt / 1e9) / 1e6, "MB/s");
	return 0;
}

/* The server side of tcp_connect: accept and close, `n` times. */
static int accept_loop(int l, long n)
{
	for (long i = 0; i < n; i++) {
		int s = accept(l, NULL, NULL);
		if (s < 0)
			return 1;
		close(s);
	}
	return 0;
}

/* connect + accept + close: the parent connects and waits for the end of
 * stream the child's close sends; the child accepts and closes. */
static int b_tcp_connect(const char *m)
{
	long n = iters(2000);
	long warm = n / 10 + 1;
	uint16_t port;
	int l = listen_loopback(&port);
	if (l < 0)
		return fail(m, "listen on 127.0.0.1");
	pid_t pid = fork();
	if (pid < 0)
		return fail(m, "fork");
	if (pid == 0)
		_exit(accept_loop(l, warm + n));
	close(l);
	uint64_t t = 0;
	for (long i = -warm; i < n; i++) {
		if (i == 0)
			t = now_ns();
		int c = connect_loopback(port);
		if (c < 0)
			return fail(m, "connect");
		char b;
		if (read(c, &b, 1) != 0)
			return wrong(m, "no end of stream after the server's close");
		close(c);
	}
	uint64_t dt = now_ns() - t;
	if (reap(pid))
		return wrong(m, "the accepting child failed");
	report(m, (double)dt / n / 1000.0, "us");
	return 0;
}

/* The host's transfer: see the top of the file. */
static int serve(const char *m)
{
	const char *why = eth0_up();
	if (why)
		return wrong(m, why);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(SERVE_PORT)};
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4))
		return fail(m, "listen");
	printf("BENCH-NET listening on port %d\n", SERVE_PORT);
	fflush(stdout);
	static char buf[CHUNK];
	long long got = 0;
	uint64_t t = 0, dt = 0;
	int s = -1;
	/* A connection that ends before its first byte is one of the host's
	 * earlier attempts, given up on (QEMU may still deliver it): the next. */
	for (int tries = 0; !got && tries < 20; tries++) {
		if (s >= 0)
			close(s);
		s = accept(l, NULL, NULL);
		if (s < 0)
			return fail(m, "accept");
		if (write(s, "R", 1) != 1)
			continue;
		for (;;) {
			ssize_t r = read(s, buf, sizeof buf);
			if (r <= 0)
				break;
			if (!got)
				t = now_ns();
			got += r;
		}
		dt = now_ns() - t;
	}
	close(l);
	char answer[64];
	int len = snprintf(answer, sizeof answer, "OK %lld\n", got);
	if (write_full(s, answer, len))
		return fail(m, "write the answer");
	close(s);
	printf("BENCH-NET received %lld bytes\n", got);
	if (got > 0 && dt > 0)
		report(m, (double)got / ((double)dt / 1e9) / 1e6, "MB/s");
	return 0;
}

static const struct {
	const char *name;
	int (*run)(const char *);
	int named_only;
} benches[] = {
	/* first: the host's connection attempts, until the guest listens,
	 * reach the guest's network stack and must not disturb the rest */
	{"tcp_host_bandwidth_guest", serve, 1},
	{"tcp_rtt", b_tcp_rtt, 0},
	{"tcp_bandwidth", b_tcp_bandwidth, 0},
	{"tcp_connect", b_tcp_connect, 0},
};

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1)
		scale = atol(argv[1]) > 0 ? atol(argv[1]) : 1;
	int failed = 0, lo = 0;
	for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		int wanted = argc <= 2 && !benches[i].named_only;
		for (int a = 2; a < argc; a++)
			wanted |= strcmp(argv[a], benches[i].name) == 0 ||
				  (benches[i].named_only && strcmp(argv[a], "serve") == 0);
		if (!wanted)
			continue;
		if (!lo++)
			failed += loopback_up();
		failed += benches[i].run(benches[i].name);
	}
	return failed ? 1 : 0;
}
