/*
 * server_fault.c - what a program sees when the network server fails in
 * the middle of a transfer (run by xtask/src/netstack_tests.rs with a
 * netstack that crashes or hangs on purpose at a given request).
 *
 * A child sends 64 MiB to its parent over one loopback TCP connection.
 * When the server fails, both ends must get an error (ECONNRESET or EPIPE),
 * not hang. Then, with "restart" as the argument, new connections must work
 * again within 20 s (init restarts a crashed server); with "hang", a new
 * socket must fail (ENETDOWN) or work, but never block for ever.
 *
 * Prints one line per finding; the test reads them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOTAL (64L << 20)

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int listener(unsigned short *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 4) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return l;
}

static int dial(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) < 0) {
		if (c >= 0)
			close(c);
		return -1;
	}
	return c;
}

/* One small exchange on a fresh connection: 0 if it worked, else errno. */
static int ping(void)
{
	unsigned short port;
	int l = listener(&port);
	if (l < 0)
		return errno;
	int c = dial(port);
	if (c < 0) {
		int e = errno;
		close(l);
		return e;
	}
	int s = accept(l, NULL, NULL);
	char buf[4] = { 0 };
	int ok = s >= 0 && send(c, "ping", 4, 0) == 4 && recv(s, buf, 4, MSG_WAITALL) == 4 && !memcmp(buf, "ping", 4);
	int e = ok ? 0 : (errno ? errno : EIO);
	close(c);
	if (s >= 0)
		close(s);
	close(l);
	return e;
}

int main(int argc, char **argv)
{
	int restart = argc > 1 && !strcmp(argv[1], "restart");
	signal(SIGPIPE, SIG_IGN);
	unsigned short port;
	int l = listener(&port);
	if (l < 0) {
		printf("fault: no listener: %s\n", strerror(errno));
		return 1;
	}
	pid_t child = fork();
	if (child == 0) {
		int c = dial(port);
		if (c < 0)
			_exit(2);
		static char chunk[65536];
		long sent = 0;
		while (sent < TOTAL) {
			ssize_t n = send(c, chunk, sizeof chunk, 0);
			if (n < 0) {
				printf("fault: sender stopped: %s\n", strerror(errno));
				_exit(0);
			}
			sent += n;
		}
		printf("fault: sender finished without an error\n");
		_exit(0);
	}
	int s = accept(l, NULL, NULL);
	if (s < 0) {
		printf("fault: accept failed: %s\n", strerror(errno));
		return 1;
	}
	static char buf[65536];
	long got = 0;
	double start = now();
	for (;;) {
		ssize_t n = recv(s, buf, sizeof buf, 0);
		if (n < 0) {
			printf("fault: receiver stopped: %s after %.0f s\n", strerror(errno), now() - start);
			break;
		}
		if (n == 0) {
			printf("fault: receiver saw the end of the stream after %ld bytes\n", got);
			break;
		}
		got += n;
	}
	int status;
	waitpid(child, &status, 0);
	close(s);
	close(l);
	if (restart) {
		double deadline = now() + 20;
		int tries = 0, e;
		do {
			tries++;
			e = ping();
			if (e)
				usleep(200000);
		} while (e && now() < deadline);
		if (e)
			printf("fault: no new connection works: %s\n", strerror(e));
		else
			printf("fault: a new connection works\n");
	} else {
		double t = now();
		int e = ping();
		printf("fault: a new connection: %s (%.0f s)\n", e ? strerror(e) : "works", now() - t);
	}
	return 0;
}
