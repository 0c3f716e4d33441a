/*
 * vda.h - how a program under Debian's Linux reaches the virtio disk
 * /dev/vda (storage.c for the disk benchmarks, init.c to mount the Debian
 * root file system): Debian's cloud kernel builds its virtio drivers as
 * modules, so they are loaded here from /lib/modules, in the order
 * /lib/modules/load gives (dependencies first; xtask copies them out of
 * the kernel package, see xtask/src/bench/modules.rs), then the disk is
 * waited for and /dev/vda made if it is missing.
 *
 * Under Helctic none of this runs: its native storage services reach the
 * disk before the Linux init starts.
 */
#ifndef VDA_H
#define VDA_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* Why the last vda_* call failed. */
static char vda_why[512];

static inline const char *vda_problem(const char *fmt, const char *arg, int err)
{
	char what[384];
	snprintf(what, sizeof what, fmt, arg);
	if (err)
		snprintf(vda_why, sizeof vda_why, "%s: %s", what, strerror(err));
	else
		snprintf(vda_why, sizeof vda_why, "%s", what);
	return vda_why;
}

/* The virtio modules, in the order /lib/modules/load gives. NULL: loaded
 * (or built in). */
static inline const char *vda_load_modules(void)
{
	FILE *list = fopen("/lib/modules/load", "r");
	if (!list)
		return vda_problem("no %s to load drivers from", "/lib/modules/load", errno);
	char name[128], path[192];
	const char *why = NULL;
	while (!why && fgets(name, sizeof name, list)) {
		name[strcspn(name, "\r\n")] = 0;
		if (!name[0])
			continue;
		snprintf(path, sizeof path, "/lib/modules/%s.ko", name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			why = vda_problem("open %s", path, errno);
			break;
		}
		/* musl has no wrapper; EEXIST: built in or already loaded. */
		if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
			why = vda_problem("finit_module(%s)", path, errno);
		close(fd);
	}
	fclose(list);
	return why;
}

/* The disk's numbers once virtio_blk has found it: /proc/partitions lists
 * it (major, minor, size, name). 1 if listed. */
static inline int vda_listed(unsigned *major, unsigned *minor)
{
	FILE *f = fopen("/proc/partitions", "r");
	if (!f)
		return 0;
	char line[256], name[64];
	int found = 0;
	while (!found && fgets(line, sizeof line, f))
		found = sscanf(line, "%u %u %*u %63s", major, minor, name) == 3 && strcmp(name, "vda") == 0;
	fclose(f);
	return found;
}

/* Waits for virtio_blk to find the disk, then makes /dev/vda if devtmpfs
 * has not (Debian's kernel starts init on its built-in /dev, a directory
 * holding only the console, so nothing else appears there by itself). */
static inline const char *vda_wait(void)
{
	unsigned major = 0, minor = 0;
	int listed = 0;
	for (int i = 0; i < 1000 && !(listed = vda_listed(&major, &minor)); i++)
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	if (!listed)
		return vda_problem("no vda in %s 10 s after loading the virtio modules", "/proc/partitions", 0);
	struct stat st;
	if (stat("/dev/vda", &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == makedev(major, minor))
		return NULL;
	unlink("/dev/vda");
	if (mknod("/dev/vda", S_IFBLK | 0600, makedev(major, minor)))
		return vda_problem("mknod %s", "/dev/vda", errno);
	return NULL;
}

/* Modules loaded and /dev/vda there: NULL, or why not. */
static inline const char *vda_attach(void)
{
	const char *why = vda_load_modules();
	return why ? why : vda_wait();
}

#endif
