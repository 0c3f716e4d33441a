/*
 * file_handles.c - name_to_handle_at and open_by_handle_at: handles that
 * name a file apart from its path, the mount id /proc/self/mountinfo
 * shows, EOVERFLOW with the size needed, AT_HANDLE_FID for file systems
 * that cannot open by handle, ESTALE for a deleted file or another file
 * system's anchor, CAP_DAC_READ_SEARCH. Runs as root.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#define HANDLE_FID 0x200
#define HANDLE_MNT_ID_UNIQUE 0x001
#define HANDLE_CONNECTABLE 0x002
#define MAX_HANDLE 128

struct handle {
	uint32_t bytes;
	int32_t type;
	unsigned char data[MAX_HANDLE];
};

static long to_handle(int dfd, const char *path, struct handle *h, int *mount_id, int flags)
{
	return syscall(SYS_name_to_handle_at, dfd, path, h, mount_id, flags);
}

static long by_handle(int dfd, struct handle *h, int flags)
{
	return syscall(SYS_open_by_handle_at, dfd, h, flags);
}

/* The handle of `path` in `h` (0 on success). */
static int handle_of(int dfd, const char *path, struct handle *h, int *mount_id, int flags)
{
	memset(h, 0, sizeof *h);
	h->bytes = MAX_HANDLE;
	return (int)to_handle(dfd, path, h, mount_id, flags);
}

static int same_handle(const struct handle *a, const struct handle *b)
{
	return a->bytes == b->bytes && a->type == b->type && memcmp(a->data, b->data, a->bytes) == 0;
}

/* Whether /proc/self/mountinfo has a line for mount `id` with device `dev`. */
static int mountinfo_has(int id, dev_t dev)
{
	static char buf[16384];
	int fd = open("/proc/self/mountinfo", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = 0, r;
	while ((r = read(fd, buf + n, sizeof buf - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		int mid, parent;
		unsigned major, minor;
		if (sscanf(line, "%d %d %u:%u", &mid, &parent, &major, &minor) == 4 && mid == id && major == major(dev) && minor == minor(dev))
			return 1;
	}
	return 0;
}

/* Drops CAP_DAC_READ_SEARCH from the effective set. */
static int drop_dac_read_search(void)
{
	struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
	struct { uint32_t effective, permitted, inheritable; } data[2];
	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	data[0].effective &= ~(1u << 2);
	return (int)syscall(SYS_capset, &hdr, data);
}

/* argv[1]: the directory to work in (default /tmp), e.g. a mounted disk. */
int main(int argc, char **argv)
{
	char dir[256];
	snprintf(dir, sizeof dir, "%s/handles-XXXXXX", argc > 1 ? argv[1] : "/tmp");
	CHECK_BAIL(mkdtemp(dir) != NULL, "a scratch directory in %s", argc > 1 ? argv[1] : "/tmp");
	char file[300], other[300], link[300], sub[300];
	snprintf(file, sizeof file, "%s/file", dir);
	snprintf(other, sizeof other, "%s/other", dir);
	snprintf(link, sizeof link, "%s/link", dir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	int fd = open(file, O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0 && write(fd, "contents", 8) == 8, "a file with contents");
	close(open(other, O_RDWR | O_CREAT, 0600));
	CHECK_EQ(symlink(file, link), 0, "a symlink to it");
	CHECK_EQ(mkdir(sub, 0700), 0, "a subdirectory");
	/* AT_FDCWD anchors at the working directory's file system. */
	CHECK_EQ(chdir(dir), 0, "into the scratch directory");

	/* The size first, as callers learn it. */
	struct handle h, h2;
	int mount_id = -1;
	memset(&h, 0, sizeof h);
	CHECK_ERR(to_handle(AT_FDCWD, file, &h, &mount_id, 0), EOVERFLOW, "handle_bytes 0: EOVERFLOW");
	CHECK(h.bytes > 0 && h.bytes <= MAX_HANDLE, "and it says the size needed (%u)", h.bytes);
	CHECK(mount_id >= 0, "and the mount id (%d)", mount_id);
	unsigned needed = h.bytes;
	h.bytes = needed - 1;
	CHECK_ERR(to_handle(AT_FDCWD, file, &h, &mount_id, 0), EOVERFLOW, "one byte short: EOVERFLOW");

	CHECK_EQ(handle_of(AT_FDCWD, file, &h, &mount_id, 0), 0, "name_to_handle_at of the file");
	CHECK_EQ(h.bytes, needed, "the handle has the size it asked for");
	struct stat st, st2;
	stat(file, &st);
	CHECK(mountinfo_has(mount_id, st.st_dev), "mount id %d is /proc/self/mountinfo's line for the file's device %u:%u", mount_id, major(st.st_dev), minor(st.st_dev));
	uint64_t unique = 0;
	memset(&h2, 0, sizeof h2);
	CHECK_ERR(to_handle(AT_FDCWD, file, &h2, (int *)&unique, HANDLE_MNT_ID_UNIQUE), EOVERFLOW, "AT_HANDLE_MNT_ID_UNIQUE without room: EOVERFLOW too");
	h2.bytes = MAX_HANDLE;
	CHECK_EQ(to_handle(AT_FDCWD, file, &h2, (int *)&unique, HANDLE_MNT_ID_UNIQUE), 0, "AT_HANDLE_MNT_ID_UNIQUE");
	CHECK(unique != 0, "gives a 64-bit mount id");
	CHECK(same_handle(&h, &h2), "the same handle again");

	int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_EQ(handle_of(dirfd, "file", &h2, &mount_id, 0), 0, "by a directory descriptor and a relative name");
	CHECK(same_handle(&h, &h2), "gives the same handle");
	int ffd = open(file, O_RDONLY);
	CHECK_EQ(handle_of(ffd, "", &h2, &mount_id, AT_EMPTY_PATH), 0, "AT_EMPTY_PATH on the file's descriptor");
	CHECK(same_handle(&h, &h2), "gives the same handle");
	close(ffd);
	CHECK_EQ(handle_of(AT_FDCWD, other, &h2, &mount_id, 0), 0, "another file's handle");
	CHECK(!same_handle(&h, &h2), "differs");

	/* Opening by handle. */
	int opened = (int)by_handle(AT_FDCWD, &h, O_RDONLY);
	CHECK(opened >= 0, "open_by_handle_at");
	char buf[16] = { 0 };
	CHECK(opened >= 0 && fstat(opened, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev, "opens the same file");
	CHECK(opened >= 0 && read(opened, buf, sizeof buf) == 8 && strcmp(buf, "contents") == 0, "and reads its contents");
	close(opened);
	opened = (int)by_handle(dirfd, &h, O_RDWR);
	CHECK(opened >= 0 && write(opened, "C", 1) == 1, "opens for writing, anchored at a directory of the file system");
	close(opened);
	int anyfd = open(other, O_RDONLY);
	opened = (int)by_handle(anyfd, &h, O_RDONLY);
	CHECK(opened >= 0, "any descriptor on the file system anchors it");
	close(opened);
	close(anyfd);

	struct handle dh;
	CHECK_EQ(handle_of(AT_FDCWD, sub, &dh, &mount_id, 0), 0, "a directory's handle");
	opened = (int)by_handle(AT_FDCWD, &dh, O_RDONLY | O_DIRECTORY);
	CHECK(opened >= 0 && fstat(opened, &st2) == 0 && S_ISDIR(st2.st_mode), "opens the directory");
	close(opened);
	CHECK_ERR(by_handle(AT_FDCWD, &dh, O_RDWR), EISDIR, "a directory for writing: EISDIR");

	struct handle lh;
	CHECK_EQ(handle_of(AT_FDCWD, link, &lh, &mount_id, 0), 0, "a symlink's own handle");
	CHECK(!same_handle(&lh, &h), "is not its target's");
	CHECK_ERR(by_handle(AT_FDCWD, &lh, O_RDONLY), ELOOP, "opening a symlink by handle: ELOOP");
	CHECK_EQ(handle_of(AT_FDCWD, link, &lh, &mount_id, AT_SYMLINK_FOLLOW), 0, "AT_SYMLINK_FOLLOW");
	CHECK(same_handle(&lh, &h), "gives the target's handle");

	/* Bad arguments. */
	CHECK_ERR(to_handle(AT_FDCWD, file, &h2, &mount_id, -1), EINVAL, "name_to_handle_at: flags -1");
	CHECK_ERR(to_handle(AT_FDCWD, file, &h2, &mount_id, HANDLE_FID | HANDLE_CONNECTABLE), EINVAL, "AT_HANDLE_FID with AT_HANDLE_CONNECTABLE");
	CHECK_ERR(to_handle(AT_FDCWD, "", &h2, &mount_id, 0), ENOENT, "an empty path without AT_EMPTY_PATH");
	CHECK_ERR(to_handle(-1, "file", &h2, &mount_id, 0), EBADF, "a bad directory descriptor");
	CHECK_ERR(to_handle(AT_FDCWD, file, (struct handle *)-1l, &mount_id, 0), EFAULT, "an unreadable handle");
	h2.bytes = MAX_HANDLE;
	CHECK_ERR(to_handle(AT_FDCWD, file, &h2, (int *)-1l, 0), EFAULT, "an unwritable mount id");
	CHECK_ERR(to_handle(AT_FDCWD, (char *)-1l, &h2, &mount_id, 0), EFAULT, "an unreadable path");
	h2.bytes = MAX_HANDLE + 1;
	CHECK_ERR(to_handle(AT_FDCWD, file, &h2, &mount_id, 0), EINVAL, "handle_bytes over MAX_HANDLE_SZ");

	struct handle bad = h;
	bad.bytes = 0;
	CHECK_ERR(by_handle(AT_FDCWD, &bad, O_RDONLY), EINVAL, "open_by_handle_at: handle_bytes 0");
	bad.bytes = MAX_HANDLE + 1;
	CHECK_ERR(by_handle(AT_FDCWD, &bad, O_RDONLY), EINVAL, "handle_bytes over MAX_HANDLE_SZ");
	CHECK_ERR(by_handle(-1, &h, O_RDONLY), EBADF, "a bad anchor descriptor");
	CHECK_ERR(by_handle(AT_FDCWD, (struct handle *)-1l, O_RDONLY), EFAULT, "an unreadable handle");
	int p[2];
	CHECK_EQ(pipe(p), 0, "a pipe");
	CHECK_ERR(by_handle(p[0], &h, O_RDONLY), ESTALE, "anchored at a pipe: ESTALE");
	int procfd = open("/proc/self/status", O_RDONLY);
	CHECK_ERR(by_handle(procfd, &h, O_RDONLY), ESTALE, "anchored in /proc: ESTALE");

	/* /proc: identifiers only. */
	CHECK_ERR(handle_of(AT_FDCWD, "/proc/self/status", &h2, &mount_id, 0), EOPNOTSUPP, "/proc cannot encode an openable handle");
	CHECK_EQ(handle_of(AT_FDCWD, "/proc/self/status", &h2, &mount_id, HANDLE_FID), 0, "but AT_HANDLE_FID gives an identifier");
	CHECK_EQ(handle_of(procfd, "", &h2, &mount_id, AT_EMPTY_PATH | HANDLE_FID), 0, "of a /proc descriptor too");
	CHECK_ERR(handle_of(p[0], "", &h2, &mount_id, AT_EMPTY_PATH), EOPNOTSUPP, "a pipe has no openable handle");
	close(procfd);
	close(p[0]);
	close(p[1]);

	/* The capability. */
	pid_t child = fork();
	if (child == 0) {
		if (drop_dac_read_search() != 0)
			_exit(2);
		_exit(by_handle(AT_FDCWD, &h, O_RDONLY) == -1 && errno == EPERM ? 0 : 1);
	}
	int status = -1;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "without CAP_DAC_READ_SEARCH: EPERM (status %#x)", status);

	/* A deleted file's handle is stale. */
	struct handle gone;
	CHECK_EQ(handle_of(AT_FDCWD, other, &gone, &mount_id, 0), 0, "the other file's handle");
	CHECK_EQ(unlink(other), 0, "the other file deleted");
	CHECK_ERR(by_handle(AT_FDCWD, &gone, O_RDONLY), ESTALE, "its handle is stale");

	close(fd);
	close(dirfd);
	unlink(link);
	unlink(file);
	rmdir(sub);
	CHECK_EQ(chdir("/"), 0, "out of it");
	rmdir(dir);
	return check_done();
}
