/*
 * init.c - PID 1 of the benchmark images, the same binary under Linux and
 * under Helctic.
 *
 * usage (arguments come from the kernel command line after `--`):
 *   /init run SCALE [NAME...]
 *                     print the marker, run /bench/bench SCALE and then
 *                     /bench/storage SCALE (the disk benchmarks), power off;
 *                     NAMEs, if given, go to both: each runs those rows of
 *                     its own (storage.c leaves the disk alone if none)
 *   /init net SCALE NAME...
 *                     print the marker, run /bench/net SCALE NAME... (the
 *                     TCP rows, in boots with a virtio-net device), power
 *                     off
 *   /init mem         print the marker, run `/bin/sh -c 'echo ...'`, power off
 *   /init ARGS...     with `root=DEV` on the kernel command line (Linux only:
 *                     Helctic starts the root's init itself): what an
 *                     initramfs does, in little. Load the virtio modules
 *                     (vda.h), mount DEV (`rootfstype=`, default ext2) on
 *                     /sysroot with /proc, /sys and /dev inside, run the
 *                     command line's `init=` program chrooted there with
 *                     ARGS, then unmount it all and power off. This is how
 *                     the Debian root file system benchmarks (debian.c)
 *                     boot Linux.
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

#include "vda.h"

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

/* The value of `name=` among the kernel's own parameters (those before
 * `--`) in /proc/cmdline, copied to `out`; NULL when absent. */
static const char *param(const char *name, char *out, size_t len)
{
	static char line[4096];
	int fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, line, sizeof line - 1);
	close(fd);
	line[n > 0 ? n : 0] = 0;
	size_t want = strlen(name);
	for (char *w = strtok(line, " \n"); w; w = strtok(NULL, " \n")) {
		if (strcmp(w, "--") == 0)
			break;
		if (strncmp(w, name, want) == 0 && w[want] == '=') {
			snprintf(out, len, "%s", w + want + 1);
			return out;
		}
	}
	return NULL;
}

static const char *const root_mounts[][3] = {
	{"proc", "/sysroot/proc", "proc"},
	{"sysfs", "/sysroot/sys", "sysfs"},
	{"devtmpfs", "/sysroot/dev", "devtmpfs"},
};

/* Mounts `device` on /sysroot and runs the `init=` program there with
 * `args`; its exit status, or -1 (after a BENCH-NOTE) if it never ran. */
static int run_on_root(const char *device, char **args, int nargs)
{
	char type[32], prog[256];
	if (!param("rootfstype", type, sizeof type))
		snprintf(type, sizeof type, "ext2");
	if (!param("init", prog, sizeof prog))
		snprintf(prog, sizeof prog, "/sbin/init");
	if (strcmp(device, "/dev/vda") != 0) {
		printf("BENCH-NOTE root only root=/dev/vda is known here, not %s\n", device);
		return -1;
	}
	const char *why = vda_attach();
	if (why) {
		printf("BENCH-NOTE root %s\n", why);
		return -1;
	}
	mkdir("/sysroot", 0755);
	if (mount(device, "/sysroot", type, 0, NULL)) {
		printf("BENCH-NOTE root mount -t %s %s /sysroot: %s\n", type, device, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof root_mounts / sizeof root_mounts[0]; i++)
		if (mount(root_mounts[i][0], root_mounts[i][1], root_mounts[i][2], 0, NULL))
			printf("BENCH-NOTE root mount %s: %s\n", root_mounts[i][1], strerror(errno));
	fflush(stdout);
	char *argv[64] = {prog};
	for (int i = 0; i < nargs && i < 62; i++)
		argv[i + 1] = args[i];
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		if (chroot("/sysroot") || chdir("/")) {
			printf("BENCH-NOTE root chroot /sysroot: %s\n", strerror(errno));
			_exit(126);
		}
		/* The standard files from the new root's /dev/console, as
		 * Debian's initramfs hands them over: the initramfs's console
		 * node is not under the new /dev, so ttyname(), which bash
		 * calls, would not find it there and stat all of /dev. */
		int fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			for (int i = 0; i < 3; i++)
				if (fd != i)
					dup2(fd, i);
			if (fd > 2)
				close(fd);
		}
		char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", NULL};
		execve(prog, argv, envp);
		printf("BENCH-NOTE root cannot exec %s in /sysroot: %s\n", prog, strerror(errno));
		_exit(127);
	}
	int st = 0;
	if (pid > 0 && waitpid(pid, &st, 0) == pid)
		status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	for (size_t i = sizeof root_mounts / sizeof root_mounts[0]; i-- > 0;)
		umount(root_mounts[i][1]);
	if (umount("/sysroot"))
		printf("BENCH-NOTE root umount /sysroot: %s\n", strerror(errno));
	return status;
}

int main(int argc, char **argv)
{
	console();
	printf("BENCH-INIT up\n");
	fflush(stdout);
	const char *mode = argc > 1 ? argv[1] : "run";
	char device[256];
	int status;
	if (strcmp(mode, "mem") == 0) {
		status = run((char *[]){"/bin/sh", "-c", "echo BENCH-SHELL-OK", NULL});
	} else if (strcmp(mode, "net") == 0) {
		proc();
		char *args[64] = {"/bench/net", argc > 2 ? argv[2] : "1"};
		for (int i = 3; i < argc && i < 63; i++)
			args[i - 1] = argv[i];
		status = run(args);
	} else {
		proc();
		if (param("root", device, sizeof device)) {
			status = run_on_root(device, argv + 1, argc - 1);
		} else {
			kernel_to_init();
			fflush(stdout);
			/* /bench/bench SCALE NAME...: the names after the
			 * scale, if any, choose the rows; each program runs
			 * those of its own */
			char *args[64] = {"/bench/bench", argc > 2 ? argv[2] : "1"};
			for (int i = 3; i < argc && i < 63; i++)
				args[i - 1] = argv[i];
			status = run(args);
			/* the disk last: its setup (Linux loads modules) must
			 * not disturb the other benchmarks */
			args[0] = "/bench/storage";
			int disk = run(args);
			if (status == 0)
				status = disk;
		}
	}
	printf("BENCH-DONE %d\n", status);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* reboot refused: Helctic powers off when init exits with status 0 */
	return 0;
}
