/*
 * Processes of several systems in one tree: /proc (Linux's file system,
 * which every personality's processes can read) names each process's
 * personality in the last line of its status. This NetBSD program, run
 * from busybox's Linux shell, sees itself as netbsd and its parent as
 * linux.
 *
 * `proc upper` is a filter instead: standard input to standard output in
 * capitals, for the harness's pipeline of Linux and NetBSD programs
 * (xtask/src/netbsd_tests.rs).
 */
#include "nbsd.h"

/* Reads `path` into buf (NUL-terminated); returns the length or -errno. */
static long slurp(const char *path, char *buf, long size)
{
	long fd = sys3(SYS_open, path, 0, 0);
	if (fd < 0)
		return fd;
	long total = 0, n;
	while (total < size - 1 && (n = sys3(SYS_read, fd, buf + total, size - 1 - total)) > 0)
		total += n;
	sys1(SYS_close, fd);
	buf[total] = 0;
	return total;
}

static int contains(const char *hay, const char *needle)
{
	for (; *hay; hay++) {
		const char *h = hay, *n = needle;
		while (*n && *h == *n)
			h++, n++;
		if (!*n)
			return 1;
	}
	return 0;
}

static void path_of(char *out, long pid)
{
	const char *pre = "/proc/";
	while (*pre)
		*out++ = *pre++;
	char digits[20];
	int i = 0;
	do {
		digits[i++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid);
	while (i)
		*out++ = digits[--i];
	const char *post = "/status";
	while (*post)
		*out++ = *post++;
	*out = 0;
}

static char buf[8192];

static int upper(void)
{
	char b[512];
	long n;
	while ((n = sys3(SYS_read, 0, b, sizeof b)) > 0) {
		for (long i = 0; i < n; i++)
			if (b[i] >= 'a' && b[i] <= 'z')
				b[i] = (char)(b[i] - 'a' + 'A');
		for (long done = 0; done < n;) {
			long w = sys3(SYS_write, 1, b + done, n - done);
			if (w <= 0)
				return 1;
			done += w;
		}
	}
	return n < 0 ? 1 : 0;
}

int test_main(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc > 1 && nbsd_streq(argv[1], "upper"))
		return upper();
	CHECK(slurp("/proc/self/status", buf, sizeof buf) > 0, "read /proc/self/status");
	CHECK(contains(buf, "\nPersonality:\tnetbsd\n"), "its personality line says netbsd");
	char path[64];
	path_of(path, sys0(SYS_getppid));
	CHECK(slurp(path, buf, sizeof buf) > 0, "read the parent's status");
	CHECK(contains(buf, "\nPersonality:\tlinux\n"), "the parent (busybox's shell) is linux");
	return check_done();
}
