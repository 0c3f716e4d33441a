/*
 * files.c - regular files, directories and path operations.
 *
 * open/creat/read/write/lseek/pread/pwrite/ftruncate/fsync, O_APPEND,
 * O_TRUNC, O_EXCL, creation modes under umask, stat/fstat/lstat/fstatat/
 * statx, rename, unlink, link, symlink/readlink, mkdir/rmdir, directory
 * listing (readdir and raw getdents64), *at() calls with dirfds and
 * AT_FDCWD, chdir/getcwd, access, chmod, utimensat and a 1 MiB file.
 *
 * All scratch files live in a fresh directory under $TMPDIR (or /tmp).
 */
#define _GNU_SOURCE
#include "check.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* The kernel's struct statx (musl 1.2.3 has no wrapper, so define it). */
struct k_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct k_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct k_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare2[14];
};
#define K_STATX_TYPE 0x1u
#define K_STATX_MODE 0x2u
#define K_STATX_NLINK 0x4u
#define K_STATX_SIZE 0x200u
#define K_STATX_BASIC_STATS 0x7ffu

struct k_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static ssize_t write_str(int fd, const char *s)
{
	return write(fd, s, strlen(s));
}

static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf + total, cap - 1 - (size_t)total);
		if (n <= 0)
			break;
		total += n;
	}
	buf[total] = 0;
	close(fd);
	return total;
}

static long file_mode(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	return st.st_mode & 07777;
}

static void test_basic_io(void)
{
	char buf[256];
	int fd = open("a.txt", O_CREAT | O_RDWR | O_EXCL, 0644);
	CHECK(fd >= 0, "open O_CREAT|O_EXCL creates a new file");
	CHECK_EQ(write_str(fd, "hello, world\n"), 13, "write returns byte count");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 13, "lseek SEEK_CUR reports offset after write");
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0, "lseek SEEK_SET 0");
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read(fd, buf, sizeof buf), 13, "read returns whole file");
	CHECK_STR(buf, "hello, world\n", "read returns what was written");
	CHECK_EQ(read(fd, buf, sizeof buf), 0, "read at EOF returns 0");
	CHECK_EQ(lseek(fd, -6, SEEK_END), 7, "lseek SEEK_END -6");
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read(fd, buf, 5), 5, "read 5 bytes after SEEK_END");
	CHECK_STR(buf, "world", "read after SEEK_END sees tail");
	CHECK_EQ(lseek(fd, -2, SEEK_CUR), 10, "lseek SEEK_CUR negative");

	/* pread/pwrite do not move the file offset */
	memset(buf, 0, sizeof buf);
	CHECK_EQ(pread(fd, buf, 5, 0), 5, "pread 5 bytes at 0");
	CHECK_STR(buf, "hello", "pread data");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10, "pread leaves offset alone");
	CHECK_EQ(pwrite(fd, "HELLO", 5, 0), 5, "pwrite 5 bytes at 0");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10, "pwrite leaves offset alone");
	memset(buf, 0, sizeof buf);
	CHECK_EQ(pread(fd, buf, sizeof buf, 0), 13, "pread whole file");
	CHECK_STR(buf, "HELLO, world\n", "pwrite data visible to pread");

	/* sparse write past EOF reads back zeros in the hole */
	CHECK_EQ(pwrite(fd, "Z", 1, 100), 1, "pwrite past EOF");
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 101, "file grows to 101 bytes after write at 100");
	char hole[87];
	memset(hole, 'x', sizeof hole);
	CHECK_EQ(pread(fd, hole, sizeof hole, 13), 87, "pread the hole");
	int zeros = 1;
	for (size_t i = 0; i < sizeof hole; i++)
		if (hole[i] != 0)
			zeros = 0;
	CHECK(zeros, "hole reads back as zeros");

	/* ftruncate shrink and grow */
	CHECK_EQ(ftruncate(fd, 5), 0, "ftruncate shrink to 5");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 5, "size is 5 after ftruncate");
	CHECK_EQ(ftruncate(fd, 4096), 0, "ftruncate grow to 4096");
	memset(buf, 'x', sizeof buf);
	CHECK_EQ(pread(fd, buf, 10, 0), 10, "pread after grow");
	CHECK(memcmp(buf, "HELLO\0\0\0\0\0", 10) == 0, "grown part reads zeros");
	CHECK_EQ(fsync(fd), 0, "fsync");
	CHECK_EQ(fdatasync(fd), 0, "fdatasync");
	CHECK_EQ(close(fd), 0, "close");

	CHECK_EQ(truncate("a.txt", 3), 0, "truncate by path");
	CHECK_EQ(read_file("a.txt", buf, sizeof buf), 3, "file has 3 bytes after truncate()");
	CHECK_STR(buf, "HEL", "truncated contents");

	CHECK_ERR(open("a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST,
		  "O_EXCL on existing file fails with EEXIST");

	/* O_TRUNC */
	fd = open("a.txt", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0, "open O_TRUNC");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC empties the file");
	close(fd);

	/* O_APPEND: every write goes to the end, even after lseek */
	fd = open("a.txt", O_WRONLY | O_APPEND);
	CHECK(fd >= 0, "open O_APPEND");
	write_str(fd, "one ");
	lseek(fd, 0, SEEK_SET);
	write_str(fd, "two ");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 8, "O_APPEND offset is at end after write");
	close(fd);
	fd = open("a.txt", O_WRONLY | O_APPEND);
	write_str(fd, "three");
	close(fd);
	read_file("a.txt", buf, sizeof buf);
	CHECK_STR(buf, "one two three", "O_APPEND appends across opens and lseeks");
	fd = open("a.txt", O_WRONLY | O_APPEND);
	CHECK_EQ(pwrite(fd, "!", 1, 0), 1, "pwrite on an O_APPEND descriptor");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0, "and it leaves the position alone");
	close(fd);
	read_file("a.txt", buf, sizeof buf);
	CHECK_STR(buf, "one two three!", "pwrite with O_APPEND appends, whatever the offset (Linux)");
	fd = open("a.txt", O_PATH);
	/* Raw calls: musl's fchmod falls back to /proc/self/fd on EBADF. */
	CHECK_ERR(syscall(SYS_fchmod, fd, 0600), EBADF, "fchmod through an O_PATH descriptor");
	CHECK_ERR(syscall(SYS_fchown, fd, 0, 0), EBADF, "fchown through an O_PATH descriptor");
	close(fd);

	/* creat() is open(O_CREAT|O_WRONLY|O_TRUNC) */
	fd = creat("a.txt", 0600);
	CHECK(fd >= 0, "creat existing file");
	CHECK_ERR(read(fd, buf, 1), EBADF, "creat fd is write-only");
	close(fd);
	CHECK_EQ(read_file("a.txt", buf, sizeof buf), 0, "creat truncates");
	CHECK_EQ(unlink("a.txt"), 0, "unlink");
	CHECK_ERR(open("a.txt", O_RDONLY), ENOENT, "unlinked file is gone");
}

static void test_modes_umask(void)
{
	mode_t old = umask(022);
	int fd = open("m1", O_CREAT | O_WRONLY, 0666);
	close(fd);
	CHECK_EQ(file_mode("m1"), 0644, "O_CREAT 0666 under umask 022 gives 0644");
	umask(077);
	fd = open("m2", O_CREAT | O_WRONLY, 0666);
	close(fd);
	CHECK_EQ(file_mode("m2"), 0600, "O_CREAT 0666 under umask 077 gives 0600");
	umask(0);
	fd = open("m3", O_CREAT | O_WRONLY, 0751);
	close(fd);
	CHECK_EQ(file_mode("m3"), 0751, "O_CREAT 0751 under umask 0 gives 0751");
	umask(027);
	CHECK_EQ(mkdir("d1", 0777), 0, "mkdir");
	CHECK_EQ(file_mode("d1"), 0750, "mkdir 0777 under umask 027 gives 0750");
	umask(022);

	/* chmod / fchmod (mode bits are not filtered by umask) */
	CHECK_EQ(chmod("m1", 0604), 0, "chmod");
	CHECK_EQ(file_mode("m1"), 0604, "chmod sets the mode");
	fd = open("m2", O_RDONLY);
	CHECK_EQ(fchmod(fd, 0755), 0, "fchmod");
	close(fd);
	CHECK_EQ(file_mode("m2"), 0755, "fchmod sets the mode");
	CHECK_EQ(fchmodat(AT_FDCWD, "m3", 01777, 0), 0, "fchmodat with sticky bit");
	CHECK_EQ(file_mode("m3"), 01777, "fchmodat sets mode including sticky bit");

	/* access */
	CHECK_EQ(access("m2", F_OK), 0, "access F_OK");
	CHECK_EQ(access("m2", R_OK | W_OK), 0, "access R_OK|W_OK");
	CHECK_EQ(access("m2", X_OK), 0, "access X_OK on 0755 file");
	chmod("m1", 0644);
	/* no execute bit anywhere: X_OK fails even for root */
	CHECK_ERR(access("m1", X_OK), EACCES, "access X_OK on 0644 file is EACCES");
	CHECK_ERR(access("nonexistent", F_OK), ENOENT, "access on missing file is ENOENT");
	CHECK_EQ(faccessat(AT_FDCWD, "m2", R_OK, 0), 0, "faccessat AT_FDCWD");

	unlink("m1");
	unlink("m2");
	unlink("m3");
	rmdir("d1");
	umask(old);
}

static void test_stat_family(void)
{
	struct stat st, st2;
	int fd = open("s", O_CREAT | O_WRONLY | O_TRUNC, 0640);
	write_str(fd, "0123456789");
	CHECK_EQ(fstat(fd, &st), 0, "fstat");
	CHECK(S_ISREG(st.st_mode), "fstat: regular file type");
	CHECK_EQ(st.st_size, 10, "fstat: size");
	CHECK_EQ(st.st_nlink, 1, "fstat: nlink 1");
	CHECK_EQ(st.st_mode & 07777, 0640 & ~022, "fstat: permission bits");
	CHECK_EQ(st.st_uid, geteuid(), "fstat: owner is euid");
	close(fd);

	CHECK_EQ(stat("s", &st2), 0, "stat");
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, "stat and fstat agree on dev/ino");

	/* hard link */
	CHECK_EQ(link("s", "s.link"), 0, "link");
	stat("s", &st);
	stat("s.link", &st2);
	CHECK_EQ(st.st_nlink, 2, "nlink 2 after link");
	CHECK(st.st_ino == st2.st_ino, "hard link shares inode");
	CHECK_ERR(link("s", "s.link"), EEXIST, "link onto existing name is EEXIST");
	unlink("s.link");
	stat("s", &st);
	CHECK_EQ(st.st_nlink, 1, "nlink back to 1 after unlinking the link");

	/* symlink */
	CHECK_EQ(symlink("s", "s.sym"), 0, "symlink");
	CHECK_EQ(lstat("s.sym", &st), 0, "lstat symlink");
	CHECK(S_ISLNK(st.st_mode), "lstat: symlink type");
	CHECK_EQ(st.st_size, 1, "lstat: symlink size is target length");
	CHECK_EQ(stat("s.sym", &st), 0, "stat through symlink");
	CHECK(S_ISREG(st.st_mode) && st.st_size == 10, "stat follows symlink to the file");
	char buf[64];
	memset(buf, 'x', sizeof buf);
	CHECK_EQ(readlink("s.sym", buf, sizeof buf), 1, "readlink returns target length");
	CHECK(buf[0] == 's' && buf[1] == 'x', "readlink writes target without NUL");
	/* raw syscall: musl's readlink() wrapper special-cases bufsiz 0 */
	CHECK_ERR(syscall(SYS_readlink, "s.sym", buf, 0), EINVAL, "readlink syscall with bufsiz 0 is EINVAL");
	CHECK_ERR(readlink("s", buf, sizeof buf), EINVAL, "readlink on regular file is EINVAL");
	CHECK_EQ(symlink("a/b/c/long/target", "s.sym2"), 0, "symlink to dangling target");
	memset(buf, 0, sizeof buf);
	CHECK_EQ(readlink("s.sym2", buf, 6), 6, "readlink truncates to bufsiz");
	CHECK(memcmp(buf, "a/b/c/", 6) == 0, "readlink truncated contents");
	CHECK_ERR(stat("s.sym2", &st), ENOENT, "stat through dangling symlink is ENOENT");
	CHECK_EQ(lstat("s.sym2", &st), 0, "lstat dangling symlink works");

	/* fstatat */
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, "open . O_DIRECTORY");
	CHECK_EQ(fstatat(dfd, "s.sym", &st, AT_SYMLINK_NOFOLLOW), 0, "fstatat AT_SYMLINK_NOFOLLOW");
	CHECK(S_ISLNK(st.st_mode), "fstatat NOFOLLOW sees the symlink");
	CHECK_EQ(fstatat(dfd, "s.sym", &st, 0), 0, "fstatat follow");
	CHECK(S_ISREG(st.st_mode) && st.st_size == 10, "fstatat follows the symlink");
	CHECK_EQ(fstatat(AT_FDCWD, "s", &st, 0), 0, "fstatat AT_FDCWD");
	CHECK_EQ(fstatat(dfd, "", &st2, AT_EMPTY_PATH), 0, "fstatat AT_EMPTY_PATH on a dirfd");
	CHECK(S_ISDIR(st2.st_mode), "AT_EMPTY_PATH stats the dirfd itself");

	/* statx via raw syscall */
	struct k_statx sx;
	memset(&sx, 0, sizeof sx);
	long r = syscall(SYS_statx, dfd, "s", 0, K_STATX_BASIC_STATS, &sx);
	CHECK_EQ(r, 0, "statx");
	uint32_t need = K_STATX_TYPE | K_STATX_MODE | K_STATX_NLINK | K_STATX_SIZE;
	CHECK((sx.stx_mask & need) == need, "statx mask has type/mode/nlink/size (mask %#x)", sx.stx_mask);
	CHECK_EQ(sx.stx_size, 10, "statx size");
	CHECK(S_ISREG(sx.stx_mode), "statx type regular");
	CHECK_EQ(sx.stx_mode & 07777, 0640 & ~022, "statx permission bits");
	CHECK_EQ(sx.stx_nlink, 1, "statx nlink");
	CHECK_EQ(sx.stx_ino, st.st_ino, "statx ino matches stat");
	memset(&sx, 0, sizeof sx);
	r = syscall(SYS_statx, AT_FDCWD, "s.sym", AT_SYMLINK_NOFOLLOW, K_STATX_BASIC_STATS, &sx);
	CHECK(r == 0 && S_ISLNK(sx.stx_mode), "statx AT_SYMLINK_NOFOLLOW sees symlink");
	close(dfd);

	unlink("s.sym");
	unlink("s.sym2");
	unlink("s");
}

static void test_rename(void)
{
	char buf[64];
	int fd = open("r1", O_CREAT | O_WRONLY, 0644);
	write_str(fd, "first");
	close(fd);
	fd = open("r2", O_CREAT | O_WRONLY, 0644);
	write_str(fd, "second");
	close(fd);
	CHECK_EQ(rename("r1", "r3"), 0, "rename to new name");
	CHECK_ERR(access("r1", F_OK), ENOENT, "old name gone after rename");
	read_file("r3", buf, sizeof buf);
	CHECK_STR(buf, "first", "new name has the contents");
	CHECK_EQ(rename("r3", "r2"), 0, "rename over existing file");
	read_file("r2", buf, sizeof buf);
	CHECK_STR(buf, "first", "rename replaced the target");
	CHECK_ERR(access("r3", F_OK), ENOENT, "source gone after replacing rename");
	CHECK_ERR(rename("nope", "r4"), ENOENT, "rename missing source is ENOENT");
	mkdir("rd", 0755);
	CHECK_EQ(rename("r2", "rd/r2"), 0, "rename into subdirectory");
	CHECK_EQ(access("rd/r2", F_OK), 0, "file visible in subdirectory");
	CHECK_EQ(rename("rd", "rd2"), 0, "rename a directory");
	CHECK_EQ(access("rd2/r2", F_OK), 0, "contents follow renamed directory");
	int dfd = open("rd2", O_RDONLY | O_DIRECTORY);
	CHECK_EQ(renameat(dfd, "r2", AT_FDCWD, "r5"), 0, "renameat between dirfd and AT_FDCWD");
	CHECK_EQ(access("r5", F_OK), 0, "renameat result present");
	close(dfd);
	CHECK_EQ(rename("r5", "r5"), 0, "rename onto itself succeeds");
	unlink("r5");
	rmdir("rd2");
}

static void test_dirs(void)
{
	struct stat st;
	CHECK_EQ(mkdir("dir", 0755), 0, "mkdir dir");
	CHECK_EQ(stat("dir", &st), 0, "stat dir");
	CHECK(S_ISDIR(st.st_mode), "dir is a directory");
	CHECK_ERR(mkdir("dir", 0755), EEXIST, "mkdir existing is EEXIST");

	const char *names[] = {"alpha", "beta", "gamma", "delta", "epsilon", "sub"};
	const int n = 6;
	for (int i = 0; i < n - 1; i++) {
		char p[64];
		snprintf(p, sizeof p, "dir/%s", names[i]);
		int fd = open(p, O_CREAT | O_WRONLY, 0644);
		close(fd);
	}
	mkdir("dir/sub", 0755);

	DIR *d = opendir("dir");
	CHECK(d != NULL, "opendir");
	int seen[6] = {0}, dot = 0, dotdot = 0, other = 0, subtype_ok = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, "."))
			dot++;
		else if (!strcmp(e->d_name, ".."))
			dotdot++;
		else {
			int found = 0;
			for (int i = 0; i < n; i++)
				if (!strcmp(e->d_name, names[i])) {
					seen[i]++;
					found = 1;
					if (i == 5 && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN))
						subtype_ok = 1;
				}
			if (!found)
				other++;
		}
	}
	if (d)
		closedir(d);
	int all = 1;
	for (int i = 0; i < n; i++)
		if (seen[i] != 1)
			all = 0;
	CHECK(all, "readdir lists every entry exactly once");
	CHECK(dot == 1 && dotdot == 1, "readdir lists . and .. once each");
	CHECK_EQ(other, 0, "readdir lists no unexpected entries");
	CHECK(subtype_ok, "readdir d_type of subdirectory is DT_DIR");

	/* raw getdents64 with a small buffer forces several calls */
	int dfd = open("dir", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, "open dir O_DIRECTORY");
	char buf[128] __attribute__((aligned(8)));
	int count = 0, calls = 0, bad = 0;
	for (;;) {
		long nread = syscall(SYS_getdents64, dfd, buf, sizeof buf);
		if (nread < 0) {
			bad = 1;
			break;
		}
		if (nread == 0)
			break;
		calls++;
		for (long off = 0; off < nread;) {
			struct k_dirent64 *de = (struct k_dirent64 *)(buf + off);
			if (de->d_reclen == 0) {
				bad = 1;
				break;
			}
			count++;
			off += de->d_reclen;
		}
		if (bad || calls > 100)
			break;
	}
	CHECK(!bad, "getdents64 returns well-formed records");
	CHECK_EQ(count, n + 2, "getdents64 returns all entries including . and ..");
	CHECK(calls >= 2, "getdents64 with 128-byte buffer needs several calls (%d)", calls);
	CHECK_EQ(syscall(SYS_getdents64, dfd, buf, sizeof buf), 0, "getdents64 at end of directory returns 0");
	CHECK_EQ(lseek(dfd, 0, SEEK_SET), 0, "lseek directory back to 0");
	CHECK_ERR(syscall(SYS_getdents64, dfd, buf, 8), EINVAL, "getdents64 buffer too small is EINVAL");
	CHECK(syscall(SYS_getdents64, dfd, buf, sizeof buf) > 0, "getdents64 after rewind returns entries again");

	/* *at() calls relative to the dirfd */
	CHECK_EQ(mkdirat(dfd, "sub/deeper", 0700), 0, "mkdirat relative to dirfd");
	CHECK_EQ(stat("dir/sub/deeper", &st), 0, "mkdirat created dir/sub/deeper");
	CHECK_EQ(st.st_mode & 07777, 0700, "mkdirat mode");
	int fd = openat(dfd, "sub/deeper/file", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0, "openat O_CREAT relative to dirfd");
	write_str(fd, "xyz");
	close(fd);
	CHECK_EQ(stat("dir/sub/deeper/file", &st), 0, "openat created the file");
	CHECK_EQ(st.st_size, 3, "openat file contents size");
	fd = openat(AT_FDCWD, "dir/sub/deeper/file", O_RDONLY);
	CHECK(fd >= 0, "openat AT_FDCWD");
	close(fd);
	CHECK_EQ(symlinkat("deeper/file", dfd, "sub/lnk"), 0, "symlinkat");
	char lb[64] = {0};
	CHECK_EQ(readlinkat(dfd, "sub/lnk", lb, sizeof lb - 1), 11, "readlinkat");
	CHECK_STR(lb, "deeper/file", "readlinkat target");
	CHECK_EQ(linkat(dfd, "sub/deeper/file", AT_FDCWD, "hardlink", 0), 0, "linkat");
	CHECK_EQ(stat("hardlink", &st), 0, "linkat result exists");
	CHECK_EQ(st.st_nlink, 2, "linkat increments nlink");
	CHECK_EQ(unlinkat(AT_FDCWD, "hardlink", 0), 0, "unlinkat AT_FDCWD");
	CHECK_ERR(unlinkat(dfd, "sub", 0), EISDIR, "unlinkat dir without AT_REMOVEDIR is EISDIR");
	CHECK_ERR(unlinkat(dfd, "sub/deeper", AT_REMOVEDIR), ENOTEMPTY, "unlinkat AT_REMOVEDIR non-empty");
	CHECK_EQ(unlinkat(dfd, "sub/lnk", 0), 0, "unlinkat symlink");
	CHECK_EQ(unlinkat(dfd, "sub/deeper/file", 0), 0, "unlinkat file");
	CHECK_EQ(unlinkat(dfd, "sub/deeper", AT_REMOVEDIR), 0, "unlinkat AT_REMOVEDIR");
	CHECK_ERR(stat("dir/sub/deeper", &st), ENOENT, "removed dir is gone");

	/* chdir / getcwd / fchdir */
	char top[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 8];
	CHECK(getcwd(top, sizeof top) != NULL, "getcwd");
	CHECK_EQ(chdir("dir/sub"), 0, "chdir into subdirectory");
	CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd after chdir");
	snprintf(want, sizeof want, "%s/dir/sub", top);
	CHECK_STR(cwd, want, "getcwd reflects chdir");
	CHECK_EQ(chdir(".."), 0, "chdir ..");
	getcwd(cwd, sizeof cwd);
	snprintf(want, sizeof want, "%s/dir", top);
	CHECK_STR(cwd, want, "getcwd after chdir ..");
	int topfd = open(top, O_RDONLY | O_DIRECTORY);
	CHECK_EQ(fchdir(topfd), 0, "fchdir");
	getcwd(cwd, sizeof cwd);
	CHECK_STR(cwd, top, "getcwd after fchdir");
	close(topfd);
	CHECK_ERR(getcwd(cwd, 2) ? 0 : -1, ERANGE, "getcwd with tiny buffer is ERANGE");

	/* rmdir */
	CHECK_ERR(rmdir("dir"), ENOTEMPTY, "rmdir non-empty is ENOTEMPTY");
	for (int i = 0; i < n - 1; i++) {
		char p[64];
		snprintf(p, sizeof p, "dir/%s", names[i]);
		unlink(p);
	}
	CHECK_EQ(rmdir("dir/sub"), 0, "rmdir empty subdirectory");
	CHECK_EQ(rmdir("dir"), 0, "rmdir now-empty directory");
	CHECK_ERR(stat("dir", &st), ENOENT, "rmdir'd directory is gone");
	close(dfd);
}

static void test_utimens(void)
{
	struct stat st;
	int fd = open("t", O_CREAT | O_WRONLY, 0644);
	close(fd);
	struct timespec ts[2] = {{1000000000, 0}, {1234567890, 0}};
	CHECK_EQ(utimensat(AT_FDCWD, "t", ts, 0), 0, "utimensat explicit times");
	stat("t", &st);
	CHECK_EQ(st.st_atim.tv_sec, 1000000000, "atime set");
	CHECK_EQ(st.st_mtim.tv_sec, 1234567890, "mtime set");
	struct timespec omit[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
	CHECK_EQ(utimensat(AT_FDCWD, "t", omit, 0), 0, "utimensat UTIME_OMIT for atime");
	stat("t", &st);
	CHECK_EQ(st.st_atim.tv_sec, 1000000000, "UTIME_OMIT leaves atime unchanged");
	CHECK_EQ(st.st_mtim.tv_sec, 1500000000, "mtime updated");
	time_t before = time(NULL);
	CHECK_EQ(utimensat(AT_FDCWD, "t", NULL, 0), 0, "utimensat NULL (now)");
	stat("t", &st);
	CHECK(st.st_mtim.tv_sec >= before - 1 && st.st_mtim.tv_sec <= time(NULL) + 1,
	      "utimensat NULL sets mtime to now");
	fd = open("t", O_RDONLY);
	struct timespec ts2[2] = {{42, 0}, {43, 0}};
	CHECK_EQ(futimens(fd, ts2), 0, "futimens");
	close(fd);
	stat("t", &st);
	CHECK(st.st_atim.tv_sec == 42 && st.st_mtim.tv_sec == 43, "futimens set both times");
	unlink("t");
}

static void test_big_file(void)
{
	const size_t size = 1 << 20;
	unsigned char *wbuf = malloc(size), *rbuf = malloc(size);
	CHECK_BAIL(wbuf && rbuf, "malloc 2 MiB for big file test");
	uint32_t x = 12345;
	for (size_t i = 0; i < size; i++) {
		x = x * 1103515245u + 12345u;
		wbuf[i] = (unsigned char)(x >> 16);
	}
	int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
	/* write in odd-sized chunks so writes straddle page boundaries */
	size_t off = 0;
	int ok = 1;
	while (off < size) {
		size_t chunk = 3001;
		if (chunk > size - off)
			chunk = size - off;
		ssize_t n = write(fd, wbuf + off, chunk);
		if (n <= 0) {
			ok = 0;
			break;
		}
		off += (size_t)n;
	}
	CHECK(ok && off == size, "write 1 MiB in 3001-byte chunks");
	struct stat st;
	fstat(fd, &st);
	CHECK_EQ(st.st_size, (long long)size, "1 MiB file size");
	CHECK_EQ(lseek(fd, 0, SEEK_END), (long long)size, "lseek SEEK_END on 1 MiB file");
	close(fd);

	fd = open("big", O_RDONLY);
	off = 0;
	while (off < size) {
		ssize_t n = read(fd, rbuf + off, size - off > 65536 ? 65536 : size - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	CHECK_EQ(off, (long long)size, "read back 1 MiB");
	CHECK(memcmp(wbuf, rbuf, size) == 0, "1 MiB contents identical");
	unsigned char b[7];
	CHECK_EQ(pread(fd, b, 7, 777777), 7, "pread in the middle of the big file");
	CHECK(memcmp(b, wbuf + 777777, 7) == 0, "pread data matches");
	close(fd);
	unlink("big");
	free(wbuf);
	free(rbuf);
}

/* RLIMIT_FSIZE in a child: returns the first step that went wrong. */
static int file_size_limit_child(int ignore)
{
	struct rlimit rl = { 4096, 4096 };
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		return 1;
	if (ignore)
		signal(SIGXFSZ, SIG_IGN);
	int fd = open("limited", O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		return 2;
	static char buf[5000];
	/* A write crossing the limit is cut short at it... */
	if (write(fd, buf, sizeof buf) != 4096)
		return 3;
	/* ... one starting at it fails with EFBIG (and SIGXFSZ). */
	if (write(fd, buf, 1) != -1 || errno != EFBIG)
		return 4;
	if (ftruncate(fd, 8192) != -1 || errno != EFBIG)
		return 5;
	if (ftruncate(fd, 100) != 0)
		return 6;
	if (pwrite(fd, buf, 10, 5000) != -1 || errno != EFBIG)
		return 7;
	/* Pipes have no such limit. */
	int p[2];
	if (pipe(p) != 0 || write(p[1], buf, 4097) != 4097)
		return 8;
	return 0;
}

static void test_file_size_limit(void)
{
	int status = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(file_size_limit_child(1));
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "RLIMIT_FSIZE: writes cut at the limit, EFBIG beyond it, ftruncate too (status %#x)", status);
	pid = fork();
	if (pid == 0)
		_exit(file_size_limit_child(0));
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ, "RLIMIT_FSIZE: SIGXFSZ's default action ends the writer (status %#x)", status);
	unlink("limited");
}

int main(void)
{
	char *scratch = check_scratch_dir("files");
	CHECK_BAIL(scratch != NULL, "create scratch directory");
	char real[PATH_MAX];
	CHECK_BAIL(realpath(scratch, real) != NULL, "realpath scratch");
	CHECK_BAIL(chdir(real) == 0, "chdir to scratch");
	umask(022);

	test_basic_io();
	test_modes_umask();
	test_stat_family();
	test_rename();
	test_dirs();
	test_utimens();
	test_big_file();
	test_file_size_limit();

	CHECK_EQ(chdir("/"), 0, "chdir /");
	CHECK_EQ(check_rm_rf(real), 0, "remove scratch directory");
	return check_done();
}
