/*
 * files.c - FreeBSD's file and directory calls, checked against what
 * FreeBSD's headers and manual pages say (sys/sys/fcntl.h, stat.h,
 * dirent.h, ttycom.h, filio.h; open(2), getdirentries(2), unlink(2),
 * rmdir(2), __getcwd in kern___getcwd): every expected value below is
 * FreeBSD's, not what Helctic happens to return.
 *
 * Runs in /tmp (a writable ramfs in Helctic), as root.
 */
#include "bsd.h"

/* Calls bsd.h does not number yet (sys/kern/syscalls.master). */
enum { SYS_access = 33, SYS_symlink = 57, SYS_fchmod = 124, SYS_fchmodat = 490,
       SYS_readlinkat = 500 };

/* sys/sys/fcntl.h */
#define O_RDONLY 0x0000
#define O_WRONLY 0x0001
#define O_RDWR 0x0002
#define O_NONBLOCK 0x0004
#define O_APPEND 0x0008
#define O_CREAT 0x0200
#define O_TRUNC 0x0400
#define O_EXCL 0x0800
#define O_DIRECTORY 0x00020000
#define O_CLOEXEC 0x00100000
#define AT_FDCWD (-100)
#define AT_EACCESS 0x100
#define AT_SYMLINK_NOFOLLOW 0x200
#define AT_REMOVEDIR 0x800
#define AT_EMPTY_PATH 0x4000
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 11
#define F_SETLK 12
#define F_DUPFD_CLOEXEC 17
#define FD_CLOEXEC 1
#define F_RDLCK 1
#define F_UNLCK 2
#define F_WRLCK 3
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define R_OK 4
#define W_OK 2
#define F_OK 0
/* sys/sys/stat.h */
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_IFLNK 0120000
/* sys/sys/dirent.h */
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10
/* sys/sys/ttycom.h, sys/sys/filio.h */
#define TIOCGETA 0x402c7413UL
#define FIOCLEX 0x20006601UL
#define FIONCLEX 0x20006602UL
#define FIONREAD 0x4004667fUL
#define FIONBIO 0x8004667eUL
#define TIOCSETA 0x802c7414UL

/* struct stat (ino64): 224 bytes. */
#define ST_SIZEOF 224
#define ST_INO 8
#define ST_NLINK 16
#define ST_MODE 24
#define ST_SIZE 112
#define ST_BLKSIZE 128

static uint64_t get64(const unsigned char *p) { return *(const uint64_t *)p; }
static uint32_t get32(const unsigned char *p) { return *(const uint32_t *)p; }
static uint16_t get16(const unsigned char *p) { return *(const uint16_t *)p; }

static unsigned char st[ST_SIZEOF + 16], st2[ST_SIZEOF + 16];
static char buf[2048];
static char dbuf[4096];

static int memeq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

static long openat3(const char *p, long flags) { return sys4(SYS_openat, AT_FDCWD, p, flags, 0); }
static long mode_of(const char *p, int flags)
{
	if (sys4(SYS_fstatat, AT_FDCWD, p, st2, flags) != 0)
		return -1;
	return get16(st2 + ST_MODE);
}

/* Looks for `name` in getdirentries output; returns its d_type or -1. */
static int find_entry(const char *b, long len, const char *name, int *bad_record)
{
	long off = 0;
	int found = -1;
	while (off < len) {
		const unsigned char *r = (const unsigned char *)b + off;
		uint16_t reclen = get16(r + 16);
		uint16_t namlen = get16(r + 20);
		const char *n = (const char *)r + 24;
		if (reclen != ((24 + namlen + 1 + 7) & ~7) || n[namlen] != 0 || reclen == 0) {
			*bad_record = 1;
			return found;
		}
		if (bsd_strlen(name) == namlen && memeq(n, name, namlen))
			found = r[18];
		off += reclen;
	}
	return found;
}

static void files(void)
{
	long fd, n;

	fd = sys3(SYS_open, "a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0, "open O_CREAT|O_EXCL creates a file");
	CHECK_EQ(sys3(SYS_open, "a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), -EEXIST,
		 "O_EXCL on an existing file is EEXIST (17)");
	CHECK_EQ(sys3(SYS_write, fd, "hello world", 11), 11, "write 11 bytes");
	CHECK_EQ(sys1(SYS_close, fd), 0, "close");

	fd = sys2(SYS_open, "a.txt", O_RDWR);
	CHECK(fd >= 0, "open O_RDWR");
	CHECK_EQ(sys3(SYS_read, fd, buf, 5), 5, "read 5");
	CHECK(memeq(buf, "hello", 5), "read back what was written");
	CHECK_EQ(sys3(SYS_lseek, fd, 0, SEEK_CUR), 5, "lseek SEEK_CUR is the position");
	CHECK_EQ(sys3(SYS_lseek, fd, 0, SEEK_END), 11, "lseek SEEK_END is the size");
	CHECK_EQ(sys3(SYS_lseek, fd, -1, SEEK_SET), -EINVAL, "lseek before the start is EINVAL");
	CHECK_EQ(sys3(SYS_lseek, fd, 0, 7), -EINVAL, "lseek with an unknown whence is EINVAL");
	CHECK_EQ(sys4(SYS_pread, fd, buf, 5, 6), 5, "pread 5 at 6");
	CHECK(memeq(buf, "world", 5), "pread reads at the offset");
	CHECK_EQ(sys3(SYS_lseek, fd, 0, SEEK_CUR), 11, "pread leaves the position alone");
	CHECK_EQ(sys4(SYS_pwrite, fd, "W", 1, 6), 1, "pwrite 1 at 6");
	CHECK_EQ(sys4(SYS_pread, fd, buf, 11, 0), 11, "pread all");
	CHECK(memeq(buf, "hello World", 11), "pwrite wrote at the offset");
	CHECK_EQ(sys4(SYS_pread, fd, buf, 1, -1), -EINVAL, "pread at a negative offset is EINVAL");

	/* fstat: FreeBSD's layout. */
	CHECK_EQ(sys2(SYS_fstat, fd, st), 0, "fstat");
	CHECK_EQ(get64(st + ST_SIZE), 11, "st_size at 112");
	CHECK_EQ(get16(st + ST_MODE), S_IFREG | 0644, "st_mode at 24 is S_IFREG|0644 (umask 022)");
	CHECK_EQ(get64(st + ST_NLINK), 1, "st_nlink at 16 is 1");
	CHECK(get64(st + ST_INO) != 0, "st_ino at 8 is not 0");
	CHECK(get32(st + ST_BLKSIZE) >= 512, "st_blksize at 128 is a block size");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "a.txt", st2, 0), 0, "fstatat (stat)");
	CHECK_EQ(get64(st2 + ST_INO), get64(st + ST_INO), "fstat and fstatat give the same st_ino");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "a.txt", st2, 1), -EINVAL, "fstatat with an unknown flag is EINVAL");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "missing", st2, 0), -ENOENT, "fstatat of a missing name is ENOENT");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "", st2, 0), -ENOENT, "fstatat of \"\" without AT_EMPTY_PATH is ENOENT");

	/* ioctl on a regular file. */
	CHECK_EQ(sys3(SYS_ioctl, fd, TIOCGETA, dbuf), -ENOTTY, "TIOCGETA on a regular file is ENOTTY (25)");
	CHECK_EQ(sys3(SYS_lseek, fd, 4, SEEK_SET), 4, "lseek to 4");
	{
		int avail = -1;
		CHECK_EQ(sys3(SYS_ioctl, fd, FIONREAD, &avail), 0, "FIONREAD on a file");
		CHECK_EQ(avail, 7, "FIONREAD is size - offset");
	}
	CHECK_EQ(sys3(SYS_ioctl, fd, FIOCLEX, 0), 0, "FIOCLEX");
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC, "FIOCLEX set FD_CLOEXEC");
	CHECK_EQ(sys3(SYS_ioctl, fd, FIONCLEX, 0), 0, "FIONCLEX");
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), 0, "FIONCLEX cleared it");
	{
		int on = 1;
		CHECK_EQ(sys3(SYS_ioctl, fd, FIONBIO, &on), 0, "FIONBIO on");
		CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_RDWR | O_NONBLOCK, "FIONBIO set O_NONBLOCK (4)");
		on = 0;
		sys3(SYS_ioctl, fd, FIONBIO, &on);
		CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_RDWR, "F_GETFL of O_RDWR is 2");
	}

	/* readv / writev */
	{
		struct { const void *base; size_t len; } iov[2] = { { "ab", 2 }, { "cde", 3 } };
		char x[3], y[4];
		struct { void *base; size_t len; } rio[2] = { { x, 2 }, { y, 3 } };
		CHECK_EQ(sys3(SYS_lseek, fd, 0, SEEK_END), 11, "to the end");
		CHECK_EQ(sys3(SYS_writev, fd, iov, 2), 5, "writev of 2+3 bytes");
		CHECK_EQ(sys3(SYS_lseek, fd, 11, SEEK_SET), 11, "back");
		CHECK_EQ(sys3(SYS_readv, fd, rio, 2), 5, "readv of 2+3 bytes");
		CHECK(memeq(x, "ab", 2) && memeq(y, "cde", 3), "readv filled both buffers in order");
		CHECK_EQ(sys3(SYS_writev, fd, iov, 1025), -EINVAL, "writev of more than UIO_MAXIOV is EINVAL");
	}

	CHECK_EQ(sys2(SYS_ftruncate, fd, 5), 0, "ftruncate to 5");
	sys2(SYS_fstat, fd, st);
	CHECK_EQ(get64(st + ST_SIZE), 5, "ftruncate changed st_size");
	CHECK_EQ(sys2(SYS_ftruncate, fd, -1), -EINVAL, "ftruncate to a negative size is EINVAL");
	CHECK_EQ(sys1(SYS_fsync, fd), 0, "fsync a file");

	/* Record locks: FreeBSD's struct flock. */
	{
		struct { int64_t start, len; int32_t pid; short type, whence; int32_t sysid; } fl;
		fl.start = 0; fl.len = 0; fl.pid = 0; fl.type = F_WRLCK; fl.whence = SEEK_SET; fl.sysid = 0;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK, &fl), 0, "F_SETLK a write lock");
		fl.type = F_WRLCK;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_GETLK, &fl), 0, "F_GETLK");
		CHECK_EQ(fl.type, F_UNLCK, "one's own lock is not in the way (F_UNLCK is 2)");
		fl.type = 9;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK, &fl), -EINVAL, "F_SETLK with a bad l_type is EINVAL");
		fl.type = F_UNLCK;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK, &fl), 0, "F_SETLK F_UNLCK");
	}

	/* dup, dup2, fcntl */
	{
		long d = sys1(SYS_dup, fd);
		CHECK(d >= 0 && d != fd, "dup gives a new descriptor");
		CHECK_EQ(sys3(SYS_lseek, fd, 1, SEEK_SET), 1, "lseek the original");
		CHECK_EQ(sys3(SYS_lseek, d, 0, SEEK_CUR), 1, "the duplicate shares the offset");
		CHECK_EQ(sys2(SYS_dup2, fd, 20), 20, "dup2 to 20");
		CHECK_EQ(sys2(SYS_dup2, fd, fd), fd, "dup2 onto itself");
		CHECK_EQ(sys2(SYS_dup2, fd, -1), -EBADF, "dup2 to -1 is EBADF");
		CHECK_EQ(sys2(SYS_dup2, 999, 21), -EBADF, "dup2 of a closed descriptor is EBADF");
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC), 0, "F_SETFD FD_CLOEXEC");
		CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC, "F_GETFD reads it back");
		CHECK_EQ(sys2(SYS_fcntl, 20, F_GETFD), 0, "dup2's copy is not close-on-exec");
		n = sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 30);
		CHECK(n >= 30, "F_DUPFD_CLOEXEC at or above 30");
		CHECK_EQ(sys2(SYS_fcntl, n, F_GETFD), FD_CLOEXEC, "F_DUPFD_CLOEXEC's copy is close-on-exec");
		n = sys3(SYS_fcntl, fd, F_DUPFD, 40);
		CHECK(n >= 40, "F_DUPFD at or above 40");
		CHECK_EQ(sys2(SYS_fcntl, n, F_GETFD), 0, "F_DUPFD's copy is not close-on-exec");
		CHECK_EQ(sys3(SYS_fcntl, fd, F_DUPFD, -1), -EINVAL, "F_DUPFD below 0 is EINVAL");
		CHECK_EQ(sys2(SYS_fcntl, fd, 99), -EINVAL, "an unknown fcntl command is EINVAL");
		CHECK_EQ(sys2(SYS_fcntl, 999, F_GETFD), -EBADF, "fcntl on a closed descriptor is EBADF");
		sys1(SYS_close, d);
		sys1(SYS_close, 20);
		sys1(SYS_close, n);
	}
	sys1(SYS_close, fd);

	/* Status flags in FreeBSD's numbering. */
	fd = sys2(SYS_open, "a.txt", O_WRONLY | O_APPEND);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_WRONLY | O_APPEND, "F_GETFL is O_WRONLY|O_APPEND (9)");
	CHECK_EQ(sys3(SYS_write, fd, "XY", 2), 2, "append");
	CHECK_EQ(sys3(SYS_lseek, fd, 0, SEEK_CUR), 7, "O_APPEND wrote at the end");
	CHECK_EQ(sys3(SYS_fcntl, fd, F_SETFL, O_NONBLOCK), 0, "F_SETFL O_NONBLOCK");
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_WRONLY | O_NONBLOCK, "F_GETFL is O_WRONLY|O_NONBLOCK (5)");
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, "a.txt", O_RDONLY | O_CLOEXEC);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC, "O_CLOEXEC (0x100000) opens close-on-exec");
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, "a.txt", O_RDONLY | O_NONBLOCK);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), 0, "without O_CLOEXEC it is not");
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_RDONLY | O_NONBLOCK, "O_NONBLOCK (4) at open shows in F_GETFL");
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, "a.txt", O_WRONLY | O_TRUNC);
	sys2(SYS_fstat, fd, st);
	CHECK_EQ(get64(st + ST_SIZE), 0, "O_TRUNC (0x400) truncates");
	sys1(SYS_close, fd);

	/* Errors. */
	CHECK_EQ(sys2(SYS_open, "missing", O_RDONLY), -ENOENT, "open of a missing file is ENOENT");
	CHECK_EQ(sys2(SYS_open, "a.txt/x", O_RDONLY), -ENOTDIR, "a file as a directory is ENOTDIR (20)");
	CHECK_EQ(sys2(SYS_open, "a.txt", O_RDONLY | O_DIRECTORY), -ENOTDIR, "O_DIRECTORY on a file is ENOTDIR");
	CHECK_EQ(sys2(SYS_open, "a.txt", 3), -EINVAL, "O_ACCMODE as a mode is EINVAL");
	CHECK_EQ(sys2(SYS_open, "", O_RDONLY), -ENOENT, "open of \"\" is ENOENT");
	{
		int i;
		for (i = 0; i < 300; i++)
			buf[i] = 'n';
		buf[300] = 0;
		CHECK_EQ(sys2(SYS_open, buf, O_RDONLY), -ENAMETOOLONG, "a 300-byte name is ENAMETOOLONG (63)");
		for (i = 0; i < 1100; i++)
			buf[i] = (i % 8 == 7) ? '/' : 'p';
		buf[1100] = 0;
		CHECK_EQ(sys2(SYS_open, buf, O_RDONLY), -ENAMETOOLONG, "a 1100-byte path is ENAMETOOLONG");
	}
}

static void directories(void)
{
	long dfd, fd, n, base = -1;
	int bad = 0;

	CHECK_EQ(sys2(SYS_mkdir, "d", 0755), 0, "mkdir");
	CHECK_EQ(sys2(SYS_mkdir, "d", 0755), -EEXIST, "mkdir of an existing name is EEXIST");
	CHECK_EQ(mode_of("d", 0), S_IFDIR | 0755, "the directory's mode");
	CHECK_EQ(sys2(SYS_open, "d", O_WRONLY), -EISDIR, "a directory opened for writing is EISDIR (21)");
	fd = sys3(SYS_open, "d/file", O_WRONLY | O_CREAT, 0600);
	CHECK(fd >= 0, "create d/file");
	sys1(SYS_close, fd);
	CHECK_EQ(sys2(SYS_mkdir, "d/sub", 0700), 0, "mkdir d/sub");
	CHECK_EQ(sys2(SYS_symlink, "file", "d/ln"), 0, "symlink d/ln -> file");
	CHECK_EQ(sys3(SYS_readlink, "d/ln", buf, 64), 4, "readlink gives the target's length");
	CHECK(memeq(buf, "file", 4), "readlink gives the target");
	CHECK_EQ(sys3(SYS_readlink, "d/file", buf, 64), -EINVAL, "readlink of a file is EINVAL");
	CHECK_EQ(mode_of("d/ln", AT_SYMLINK_NOFOLLOW) & S_IFMT, S_IFLNK, "lstat sees the link (S_IFLNK)");
	CHECK_EQ(mode_of("d/ln", 0), S_IFREG | 0600, "stat follows it");

	dfd = sys2(SYS_open, "d", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, "open the directory");
	CHECK_EQ(sys4(SYS_readlinkat, dfd, "ln", buf, 2), 2, "readlinkat truncates to the buffer");
	n = sys4(SYS_getdirentries, dfd, dbuf, sizeof dbuf, &base);
	CHECK(n > 0, "getdirentries reads entries");
	CHECK_EQ(base, 0, "basep gets the position the read started at");
	CHECK_EQ(find_entry(dbuf, n, "file", &bad), DT_REG, "\"file\" is listed as DT_REG (8)");
	CHECK_EQ(find_entry(dbuf, n, "sub", &bad), DT_DIR, "\"sub\" is listed as DT_DIR (4)");
	CHECK_EQ(find_entry(dbuf, n, "ln", &bad), DT_LNK, "\"ln\" is listed as DT_LNK (10)");
	CHECK_EQ(find_entry(dbuf, n, ".", &bad), DT_DIR, "\".\" is listed");
	CHECK_EQ(find_entry(dbuf, n, "..", &bad), DT_DIR, "\"..\" is listed");
	CHECK(!bad, "every record has d_reclen = roundup(24 + d_namlen + 1, 8) and a NUL");
	CHECK_EQ(sys4(SYS_getdirentries, dfd, dbuf, sizeof dbuf, 0), 0, "then the end: 0");
	sys1(SYS_close, dfd);
	dfd = sys2(SYS_open, "d", O_RDONLY | O_DIRECTORY);
	CHECK_EQ(sys4(SYS_getdirentries, dfd, dbuf, 16, 0), -EINVAL, "a buffer too small for one entry is EINVAL");
	fd = sys2(SYS_open, "a.txt", O_RDONLY);
	CHECK_EQ(sys4(SYS_getdirentries, fd, dbuf, sizeof dbuf, 0), -EINVAL, "getdirentries on a file is EINVAL");
	sys1(SYS_close, fd);

	CHECK_EQ(sys2(SYS_link, "a.txt", "d/hard"), 0, "link");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "a.txt", st, 0), 0, "stat after link");
	CHECK_EQ(get64(st + ST_NLINK), 2, "st_nlink is 2");
	CHECK_EQ(sys2(SYS_rename, "d/file", "d/f2"), 0, "rename");
	CHECK_EQ(mode_of("d/file", 0), -1, "the old name is gone");
	CHECK_EQ(mode_of("d/f2", 0), S_IFREG | 0600, "the new name is there");
	CHECK_EQ(sys4(SYS_renameat, dfd, "f2", AT_FDCWD, "d/f3"), 0, "renameat between directory descriptors");
	CHECK_EQ(sys2(SYS_rename, "d/missing", "d/x"), -ENOENT, "rename of a missing name is ENOENT");

	CHECK_EQ(sys1(SYS_unlink, "d/sub"), -EPERM, "unlink of a directory is EPERM (FreeBSD, not EISDIR)");
	CHECK_EQ(sys1(SYS_rmdir, "d"), -ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY (66)");
	CHECK_EQ(sys1(SYS_rmdir, "d/f3"), -ENOTDIR, "rmdir of a file is ENOTDIR");
	CHECK_EQ(sys3(SYS_unlinkat, dfd, "sub", 1), -EINVAL, "unlinkat with an unknown flag is EINVAL");
	CHECK_EQ(sys3(SYS_unlinkat, dfd, "sub", AT_REMOVEDIR), 0, "unlinkat AT_REMOVEDIR (0x800)");
	CHECK_EQ(sys3(SYS_unlinkat, AT_FDCWD, "d/f3", 0), 0, "unlinkat a file");
	CHECK_EQ(sys1(SYS_unlink, "d/ln"), 0, "unlink the symlink");
	CHECK_EQ(sys1(SYS_unlink, "d/hard"), 0, "unlink the hard link");
	CHECK_EQ(sys1(SYS_unlink, "d/hard"), -ENOENT, "unlink again is ENOENT");
	sys1(SYS_close, dfd);
	CHECK_EQ(sys1(SYS_rmdir, "d"), 0, "rmdir the emptied directory");

	/* The *at calls from a directory descriptor. */
	CHECK_EQ(sys3(SYS_mkdirat, AT_FDCWD, "e", 0700), 0, "mkdirat");
	dfd = sys4(SYS_openat, AT_FDCWD, "e", O_RDONLY | O_DIRECTORY, 0);
	CHECK(dfd >= 0, "openat the directory");
	fd = sys4(SYS_openat, dfd, "g", O_WRONLY | O_CREAT, 0640);
	CHECK(fd >= 0, "openat O_CREAT in it");
	sys1(SYS_close, fd);
	CHECK_EQ(sys4(SYS_fstatat, dfd, "g", st, 0), 0, "fstatat relative to it");
	CHECK_EQ(get16(st + ST_MODE), S_IFREG | 0640, "with the mode asked for");
	CHECK_EQ(sys4(SYS_fstatat, dfd, "", st, AT_EMPTY_PATH), 0, "fstatat AT_EMPTY_PATH (0x4000)");
	CHECK_EQ(get16(st + ST_MODE), S_IFDIR | 0700, "is the directory itself");
	CHECK_EQ(openat3("e", O_RDONLY | O_DIRECTORY | O_CREAT) >= 0, 1,
		 "O_CREAT|O_DIRECTORY opens an existing directory");
	CHECK_EQ(openat3("nodir", O_RDONLY | O_DIRECTORY | O_CREAT), -ENOENT,
		 "O_CREAT|O_DIRECTORY creates nothing (ENOENT)");
	CHECK_EQ(openat3("nodir", O_RDONLY | O_DIRECTORY | O_CREAT | O_EXCL), -EINVAL,
		 "O_CREAT|O_EXCL|O_DIRECTORY is EINVAL");
	CHECK_EQ(sys4(SYS_faccessat, dfd, "g", W_OK, 0), 0, "faccessat relative to a directory");

	/* Working directory. */
	CHECK_EQ(sys1(SYS_fchdir, dfd), 0, "fchdir");
	CHECK_EQ(sys2(SYS___getcwd, buf, sizeof buf), 0, "__getcwd returns 0");
	CHECK(bsd_streq(buf, "/tmp/fbf/e"), "__getcwd after fchdir is /tmp/fbf/e");
	CHECK_EQ(sys1(SYS_chdir, ".."), 0, "chdir ..");
	CHECK_EQ(sys1(SYS_chdir, "a.txt"), -ENOTDIR, "chdir to a file is ENOTDIR");
	CHECK_EQ(sys1(SYS_chdir, "missing"), -ENOENT, "chdir to a missing name is ENOENT");
	sys1(SYS_close, dfd);
}

static void pipes(void)
{
	int p[2] = { -1, -1 };
	int avail = -1;

	CHECK_EQ(sys2(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK), 0, "pipe2 O_CLOEXEC|O_NONBLOCK");
	CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1], "two descriptors in the array");
	CHECK_EQ(sys2(SYS_fcntl, p[0], F_GETFD), FD_CLOEXEC, "the read end is close-on-exec");
	CHECK_EQ(sys2(SYS_fcntl, p[1], F_GETFD), FD_CLOEXEC, "the write end is close-on-exec");
	CHECK_EQ(sys2(SYS_fcntl, p[0], F_GETFL), O_RDONLY | O_NONBLOCK, "the read end is O_RDONLY|O_NONBLOCK");
	CHECK_EQ(sys3(SYS_read, p[0], buf, 4), -EAGAIN, "an empty non-blocking pipe is EAGAIN (35)");
	CHECK_EQ(sys3(SYS_write, p[1], "ping", 4), 4, "write the pipe");
	CHECK_EQ(sys3(SYS_ioctl, p[0], FIONREAD, &avail), 0, "FIONREAD on a pipe");
	CHECK_EQ(avail, 4, "4 bytes to read");
	CHECK_EQ(sys3(SYS_read, p[0], buf, 16), 4, "read them");
	CHECK(memeq(buf, "ping", 4), "the same bytes");
	CHECK_EQ(sys4(SYS_pread, p[0], buf, 1, 0), -ESPIPE, "pread on a pipe is ESPIPE");
	CHECK_EQ(sys3(SYS_lseek, p[0], 0, SEEK_CUR), -ESPIPE, "lseek on a pipe is ESPIPE");
	CHECK_EQ(sys3(SYS_ioctl, p[0], TIOCGETA, dbuf), -ENOTTY, "TIOCGETA on a pipe is ENOTTY");
	sys1(SYS_close, p[0]);
	sys1(SYS_close, p[1]);
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0, "pipe2 without flags");
	CHECK_EQ(sys2(SYS_fcntl, p[0], F_GETFD), 0, "not close-on-exec");
	CHECK_EQ(sys2(SYS_fcntl, p[1], F_GETFL), O_WRONLY, "the write end is O_WRONLY");
	sys1(SYS_close, p[0]);
	sys1(SYS_close, p[1]);
	CHECK_EQ(sys2(SYS_pipe2, p, 0x80000), -EINVAL, "pipe2 with Linux's O_CLOEXEC bit is EINVAL");
}

/* The terminal, when standard output is one: struct termios is 44 bytes,
 * and setting what TIOCGETA gave changes nothing TIOCGETA then reads. */
static void terminal(void)
{
	static unsigned char t[64], u[64];
	long r;
	int i;

	for (i = 0; i < 64; i++)
		t[i] = u[i] = 0xa5;
	r = sys3(SYS_ioctl, 1, TIOCGETA, t);
	CHECK(r == 0 || r == -ENOTTY, "TIOCGETA on standard output: a terminal or ENOTTY");
	if (r != 0)
		return;
	CHECK(t[44] == 0xa5 && t[63] == 0xa5, "TIOCGETA writes 44 bytes, no more");
	CHECK_EQ(sys3(SYS_ioctl, 1, TIOCSETA, t), 0, "TIOCSETA with what TIOCGETA gave");
	CHECK_EQ(sys3(SYS_ioctl, 1, TIOCGETA, u), 0, "TIOCGETA again");
	CHECK(memeq(t, u, 44), "the same settings read back");
}

static void permissions(void)
{
	long fd;

	CHECK_EQ(sys2(SYS_access, "a.txt", R_OK | W_OK), 0, "access R_OK|W_OK");
	CHECK_EQ(sys2(SYS_access, "a.txt", F_OK), 0, "access F_OK");
	CHECK_EQ(sys2(SYS_access, "missing", F_OK), -ENOENT, "access of a missing name is ENOENT");
	CHECK_EQ(sys2(SYS_access, "a.txt", 8), -EINVAL, "access with an unknown mode bit is EINVAL");
	CHECK_EQ(sys4(SYS_faccessat, AT_FDCWD, "a.txt", R_OK, AT_EACCESS), 0, "faccessat AT_EACCESS (0x100)");
	CHECK_EQ(sys4(SYS_faccessat, AT_FDCWD, "a.txt", R_OK, AT_SYMLINK_NOFOLLOW), -EINVAL,
		 "faccessat takes no AT_SYMLINK_NOFOLLOW on FreeBSD (EINVAL)");
	CHECK_EQ(sys2(SYS_chmod, "a.txt", 0600), 0, "chmod");
	CHECK_EQ(mode_of("a.txt", 0), S_IFREG | 0600, "chmod changed the mode");
	fd = sys2(SYS_open, "a.txt", O_RDONLY);
	CHECK_EQ(sys2(SYS_fchmod, fd, 0640), 0, "fchmod");
	CHECK_EQ(mode_of("a.txt", 0), S_IFREG | 0640, "fchmod changed the mode");
	sys1(SYS_close, fd);
	CHECK_EQ(sys4(SYS_fchmodat, AT_FDCWD, "a.txt", 0604, 0), 0, "fchmodat");
	CHECK_EQ(mode_of("a.txt", 0), S_IFREG | 0604, "fchmodat changed the mode");
	CHECK_EQ(sys1(SYS_umask, 077), 022, "umask returns the previous mask");
	fd = sys3(SYS_open, "masked", O_WRONLY | O_CREAT, 0666);
	CHECK_EQ(mode_of("masked", 0), S_IFREG | 0600, "the umask applies to O_CREAT");
	sys1(SYS_close, fd);
	CHECK_EQ(sys1(SYS_umask, 022), 077, "umask back");
	sys1(SYS_unlink, "masked");
}

int test_main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	sys1(SYS_umask, 022);
	CHECK_EQ(sys2(SYS_mkdir, "/tmp/fbf", 0755), 0, "mkdir /tmp/fbf");
	CHECK_EQ(sys1(SYS_chdir, "/tmp/fbf"), 0, "chdir /tmp/fbf");
	CHECK_EQ(sys2(SYS___getcwd, buf, sizeof buf), 0, "__getcwd returns 0, not a length");
	CHECK(bsd_streq(buf, "/tmp/fbf"), "__getcwd after chdir is /tmp/fbf");
	CHECK_EQ(sys2(SYS___getcwd, buf, 1), -EINVAL, "__getcwd with a 1-byte buffer is EINVAL");
	CHECK_EQ(sys2(SYS___getcwd, buf, 5), -ENOMEM, "__getcwd with a too small buffer is ENOMEM");
	files();
	directories();
	pipes();
	terminal();
	permissions();
	return check_done();
}
