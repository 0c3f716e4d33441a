/*
 * mounts.c - tmpfs mounted by a program: read-only mounts and remounts
 * (EROFS for every change, reads still work, devices-free), /proc/mounts
 * showing ro/rw, statfs of a tmpfs (sizes, TMPFS_MAGIC), umount of a busy
 * and a free mount. Runs as root.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>

/* The options field of `dir`'s line in /proc/mounts ("" if absent). */
static void mount_options(const char *dir, char *out, size_t len)
{
	char buf[8192];
	out[0] = 0;
	int fd = open("/proc/mounts", O_RDONLY);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char src[256], at[256], type[64], opts[256];
		if (sscanf(line, "%255s %255s %63s %255s", src, at, type, opts) == 4 && strcmp(at, dir) == 0) {
			snprintf(out, len, "%s", opts);
		}
	}
}

int main(void)
{
	char dir[128], file[160], opts[256];
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(dir, sizeof dir, "%s/mnt.%d", tmp, (int)getpid());
	snprintf(file, sizeof file, "%s/f", dir);
	CHECK(mkdir(dir, 0755) == 0, "a mount point");
	char real[128];
	CHECK(realpath(dir, real) != NULL, "its real path");

	CHECK_EQ(mount("tmpfs", dir, "tmpfs", 0, NULL), 0, "mount tmpfs");
	struct statfs sf;
	CHECK(statfs(dir, &sf) == 0 && sf.f_type == 0x01021994, "statfs: TMPFS_MAGIC");
	CHECK(sf.f_blocks > 0 && sf.f_bfree > 0 && sf.f_files > 0, "statfs: a size and an inode count (half of memory by default)");
	int fd = open(file, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "data", 4) == 4, "write a file on it");
	close(fd);
	mount_options(real, opts, sizeof opts);
	CHECK(strncmp(opts, "rw", 2) == 0, "/proc/mounts says rw (%s)", opts);

	CHECK_EQ(mount(NULL, dir, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL), 0, "remount read-only");
	mount_options(real, opts, sizeof opts);
	CHECK(strncmp(opts, "ro", 2) == 0, "/proc/mounts says ro (%s)", opts);
	char buf[8] = {0};
	fd = open(file, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 4) == 4 && memcmp(buf, "data", 4) == 0, "reading still works");
	close(fd);
	CHECK_ERR(open(file, O_WRONLY), EROFS, "open for writing is EROFS");
	CHECK_ERR(open(file, O_RDONLY | O_TRUNC), EROFS, "O_TRUNC is EROFS");
	char other[200];
	snprintf(other, sizeof other, "%s/g", dir);
	CHECK_ERR(open(other, O_CREAT | O_WRONLY, 0644), EROFS, "creating is EROFS");
	CHECK_ERR(mkdir(other, 0755), EROFS, "mkdir is EROFS");
	CHECK_ERR(unlink(file), EROFS, "unlink is EROFS");
	CHECK_ERR(chmod(file, 0600), EROFS, "chmod is EROFS");
	CHECK_ERR(rename(file, other), EROFS, "rename is EROFS");
	CHECK_ERR(symlink("f", other), EROFS, "symlink is EROFS");
	CHECK_ERR(chown(file, 65534, 65534), EROFS, "chown is EROFS, before any permission check");
	CHECK_ERR(utimes(file, NULL), EROFS, "utimes is EROFS");
	CHECK_ERR(access(file, W_OK), EROFS, "access(W_OK) is EROFS, even for root");
	CHECK_EQ(access(file, R_OK), 0, "access(R_OK) is fine");

	CHECK_EQ(mount(NULL, dir, "tmpfs", MS_REMOUNT, NULL), 0, "remount read-write");
	mount_options(real, opts, sizeof opts);
	CHECK(strncmp(opts, "rw", 2) == 0, "/proc/mounts says rw again (%s)", opts);
	CHECK_EQ(unlink(file), 0, "and unlink works");

	CHECK_EQ(mount("tmpfs", dir, "tmpfs", MS_RDONLY, NULL), 0, "a second tmpfs mounted read-only over it");
	CHECK_ERR(open(file, O_CREAT | O_WRONLY, 0644), EROFS, "a new read-only mount refuses writes");
	CHECK_EQ(umount(dir), 0, "umount the top one");
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0, "the writable one is back underneath");
	CHECK_ERR(umount(dir), EBUSY, "umount while a file is open is EBUSY");
	close(fd);
	CHECK_EQ(umount(dir), 0, "umount once closed");
	CHECK_ERR(mount(NULL, real, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL), EINVAL, "remount of a directory that is no mount's root is EINVAL");
	CHECK_EQ(rmdir(dir), 0, "remove the mount point");
	return check_done();
}
