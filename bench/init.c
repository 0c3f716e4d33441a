/*
 * init.c - PID 1 of the benchmark images, the same binary under Linux and
 * under Helctic.
 *
 * usage (arguments come from the kernel command line after `--`):
 *   /init run SCALE   print the marker, run /bench/bench SCALE and then
 *                     /bench/storage SCALE (the disk benchmarks), power off
 *   /init mem         print the marker, run `/bin/sh -c 'echo ...'`, power off
 *
 * The first line it prints, `BENCH-INIT up`, is the marker whose arrival on
 * the serial port ends xtask's boot-time measurement.
 *
 * Linux starts /init with no open files when its root has no /dev/console
 * (ours has none: both kernels get the same image), so init then mounts
 * devtmpfs and opens the console itself. Debian's kernel has a built-in
 * initramfs holding /dev/console, which it unpacks before ours, and Helctic
 * starts init with the console on 0, 1 and 2: for both the step is
 * skipped. /proc (storage.c reads /proc/mounts) is mounted when missing:
 * Linux needs it, Helctic has it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void console(void)
{
	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	int fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		fd = open("/dev/ttyS0", O_RDWR);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void proc(void)
{
	if (access("/proc/mounts", R_OK) == 0)
		return;
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
}

/* Linux: the printk timestamp (seconds since the kernel's clock started,
 * early in start_kernel) of "Run /init as init process". Helctic has no
 * syslog(2); it prints its own figure on the console instead. */
static void kernel_to_init(void)
{
	static char log[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof log - 1);
	if (n <= 0) {
		printf("BENCH-NOTE boot_kernel_to_init no syslog(2) here\n");
		return;
	}
	log[n] = 0;
	char *line = strstr(log, "Run /init as init process");
	if (!line) {
		printf("BENCH-NOTE boot_kernel_to_init no \"Run /init\" line in the kernel log\n");
		return;
	}
	while (line > log && line[-1] != '\n')
		line--;
	char *open = strchr(line, '[');
	if (open)
		printf("BENCH boot_kernel_to_init %.3f ms\n", atof(open + 1) * 1000.0);
}

static int run(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		char *envp[] = {"PATH=/bin:/sbin", "HOME=/", NULL};
		execve(argv[0], argv, envp);
		printf("BENCH-NOTE cannot exec %s\n", argv[0]);
		_exit(127);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	console();
	printf("BENCH-INIT up\n");
	fflush(stdout);
	const char *mode = argc > 1 ? argv[1] : "run";
	int status;
	if (strcmp(mode, "mem") == 0) {
		status = run((char *[]){"/bin/sh", "-c", "echo BENCH-SHELL-OK", NULL});
	} else {
		kernel_to_init();
		fflush(stdout);
		proc();
		char *scale = argc > 2 ? argv[2] : "1";
		status = run((char *[]){"/bench/bench", scale, NULL});
		/* the disk last: its setup (Linux loads modules) must not
		 * disturb the other benchmarks */
		int disk = run((char *[]){"/bench/storage", scale, NULL});
		if (status == 0)
			status = disk;
	}
	printf("BENCH-DONE %d\n", status);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* reboot refused: Helctic powers off when init exits with status 0 */
	return 0;
}
