/*
 * trace_probe.c - a few system calls whose log lines the `--trace` test
 * (xtask/src/trace_test.rs) looks for: a path string and an errno name
 * (openat of a missing file), a buffer (write), flags by name, exit_group.
 */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	int fd = openat(AT_FDCWD, "/helctic/no-such-file", O_RDONLY | O_CLOEXEC);
	if (write(1, "trace probe\n", 12) != 12)
		return 2;
	return fd < 0 ? 0 : 1;
}
