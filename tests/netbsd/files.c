/*
 * files.c - NetBSD's file and directory calls, checked against what
 * NetBSD's headers and kernel say (sys/sys/fcntl.h, stat.h, dirent.h,
 * ttycom.h, filio.h; sys/kern/vfs_syscalls.c, sys_descrip.c,
 * vfs_getcwd.c, vfs_vnops.c): every expected value below is NetBSD's,
 * not what Helctic happens to return.
 *
 * Runs in /tmp (a writable ramfs in Helctic), as root.
 */
#include "nbsd.h"

/* Calls nbsd.h does not number (sys/kern/syscalls.master). */
enum {
	SYS_link = 9, SYS_unlink = 10, SYS_chdir = 12, SYS_fchdir = 13, SYS_chmod = 15,
	SYS_access = 33, SYS_dup = 41, SYS_ioctl = 54, SYS_symlink = 57, SYS_readlink = 58,
	SYS_umask = 60, SYS_dup2 = 90, SYS_fsync = 95, SYS_readv = 120, SYS_writev = 121,
	SYS_fchmod = 124, SYS_rename = 128, SYS_flock = 131, SYS_mkdir = 136, SYS_rmdir = 137,
	SYS_pread = 173, SYS_pwrite = 174, SYS_lseek = 199, SYS_ftruncate = 201,
	SYS___getcwd = 296, SYS___getdents30 = 390, SYS___stat50 = 439, SYS___fstat50 = 440,
	SYS___lstat50 = 441, SYS_dup3 = 454, SYS_linkat = 457, SYS_renameat = 458,
	SYS_mkdirat = 461, SYS_faccessat = 462, SYS_fchmodat = 463, SYS_fstatat = 466,
	SYS_openat = 468, SYS_readlinkat = 469, SYS_symlinkat = 470, SYS_unlinkat = 471,
};

/* sys/sys/fcntl.h */
#define O_RDONLY 0x0000
#define O_WRONLY 0x0001
#define O_RDWR 0x0002
#define O_NONBLOCK 0x0004
#define O_APPEND 0x0008
#define O_NOFOLLOW 0x0100
#define O_CREAT 0x0200
#define O_TRUNC 0x0400
#define O_EXCL 0x0800
#define O_DIRECTORY 0x00200000
#define O_CLOEXEC 0x00400000
#define AT_FDCWD (-100)
#define AT_EACCESS 0x100
#define AT_SYMLINK_NOFOLLOW 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_REMOVEDIR 0x800
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 7
#define F_SETLK 8
#define F_SETLKW 9
#define F_CLOSEM 10
#define F_MAXFD 11
#define F_DUPFD_CLOEXEC 12
#define FD_CLOEXEC 1
#define F_RDLCK 1
#define F_UNLCK 2
#define F_WRLCK 3
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
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
#define TIOCSETA 0x802c7414UL
#define FIOCLEX 0x20006601UL
#define FIONCLEX 0x20006602UL
#define FIONREAD 0x4004667fUL
#define FIONBIO 0x8004667eUL

/* struct stat since NetBSD 5.0: 152 bytes on amd64. */
#define ST_SIZEOF 152
#define ST_MODE 8
#define ST_INO 16
#define ST_NLINK 24
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

/* The PAD argument before an off_t (syscalls.master's lseek, pread,
 * pwrite and ftruncate). */
static long lseek3(long fd, long off, long whence) { return sys4(SYS_lseek, fd, 0, off, whence); }
static long pread4(long fd, void *b, long n, long off) { return sys5(SYS_pread, fd, b, n, 0, off); }
static long pwrite4(long fd, const void *b, long n, long off) { return sys5(SYS_pwrite, fd, b, n, 0, off); }
static long openat3(const char *p, long flags) { return sys4(SYS_openat, AT_FDCWD, p, flags, 0); }
static long mode_of(const char *p, int flags)
{
	if (sys4(SYS_fstatat, AT_FDCWD, p, st2, flags) != 0)
		return -1;
	return get32(st2 + ST_MODE);
}

/* Looks for `name` in __getdents30 output; returns its d_type or -1. */
static int find_entry(const char *b, long len, const char *name, int *bad_record)
{
	long off = 0;
	int found = -1;
	while (off < len) {
		const unsigned char *r = (const unsigned char *)b + off;
		uint16_t reclen = get16(r + 8);
		uint16_t namlen = get16(r + 10);
		const char *n = (const char *)r + 13;
		if (reclen != ((13 + namlen + 1 + 7) & ~7) || n[namlen] != 0 || reclen == 0) {
			*bad_record = 1;
			return found;
		}
		if (nbsd_strlen(name) == namlen && memeq(n, name, namlen))
			found = r[12];
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
	CHECK_EQ(lseek3(fd, 0, SEEK_CUR), 5, "lseek(fd, PAD, 0, SEEK_CUR) is the position");
	CHECK_EQ(lseek3(fd, 0, SEEK_END), 11, "lseek SEEK_END is the size");
	CHECK_EQ(lseek3(fd, -1, SEEK_SET), -EINVAL, "lseek before the start is EINVAL");
	CHECK_EQ(lseek3(fd, 0, 3), -EINVAL, "lseek with whence 3 (no SEEK_DATA on NetBSD) is EINVAL");
	CHECK_EQ(sys4(SYS_lseek, fd, 5, 0, SEEK_END), 11, "the offset is the third argument: the second is PAD");
	CHECK_EQ(pread4(fd, buf, 5, 6), 5, "pread(fd, buf, 5, PAD, 6)");
	CHECK(memeq(buf, "world", 5), "pread reads at the offset");
	CHECK_EQ(lseek3(fd, 0, SEEK_CUR), 11, "pread leaves the position alone");
	CHECK_EQ(pwrite4(fd, "W", 1, 6), 1, "pwrite 1 at 6");
	CHECK_EQ(pread4(fd, buf, 11, 0), 11, "pread all");
	CHECK(memeq(buf, "hello World", 11), "pwrite wrote at the offset");
	CHECK_EQ(pread4(fd, buf, 1, -1), -EINVAL, "pread at a negative offset is EINVAL");

	/* __fstat50: NetBSD's layout. */
	CHECK_EQ(sys2(SYS___fstat50, fd, st), 0, "__fstat50");
	CHECK_EQ(get64(st + ST_SIZE), 11, "st_size at 112");
	CHECK_EQ(get32(st + ST_MODE), S_IFREG | 0644, "st_mode at 8 is S_IFREG|0644 (umask 022)");
	CHECK_EQ(get32(st + ST_MODE + 4), 0, "the padding after st_mode is 0");
	CHECK_EQ(get32(st + ST_NLINK), 1, "st_nlink at 24 is 1");
	CHECK(get64(st + ST_INO) != 0, "st_ino at 16 is not 0");
	CHECK(get32(st + ST_BLKSIZE) >= 512, "st_blksize at 128 is a block size");
	CHECK_EQ(sys2(SYS___stat50, "a.txt", st2), 0, "__stat50");
	CHECK_EQ(get64(st2 + ST_INO), get64(st + ST_INO), "__fstat50 and __stat50 give the same st_ino");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "a.txt", st2, 0), 0, "fstatat");
	CHECK_EQ(get64(st2 + ST_INO), get64(st + ST_INO), "and fstatat too");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "a.txt", st2, 1), 0, "fstatat ignores flags it does not know");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "missing", st2, 0), -ENOENT, "fstatat of a missing name is ENOENT");
	CHECK_EQ(sys4(SYS_fstatat, AT_FDCWD, "", st2, 0), -ENOENT, "fstatat of \"\" is ENOENT");
	CHECK_EQ(sys2(SYS___stat50, "missing", st2), -ENOENT, "__stat50 of a missing name is ENOENT");

	/* ioctl on a regular file. */
	CHECK_EQ(sys3(SYS_ioctl, fd, TIOCGETA, dbuf), -ENOTTY, "TIOCGETA on a regular file is ENOTTY (25)");
	CHECK_EQ(lseek3(fd, 4, SEEK_SET), 4, "lseek to 4");
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
		CHECK_EQ(lseek3(fd, 0, SEEK_END), 11, "to the end");
		CHECK_EQ(sys3(SYS_writev, fd, iov, 2), 5, "writev of 2+3 bytes");
		CHECK_EQ(lseek3(fd, 11, SEEK_SET), 11, "back");
		CHECK_EQ(sys3(SYS_readv, fd, rio, 2), 5, "readv of 2+3 bytes");
		CHECK(memeq(x, "ab", 2) && memeq(y, "cde", 3), "readv filled both buffers in order");
		CHECK_EQ(sys3(SYS_writev, fd, iov, 1025), -EINVAL, "writev of more than IOV_MAX is EINVAL");
		CHECK_EQ(sys3(SYS_readv, fd, rio, 0), -EINVAL, "readv of no buffers is EINVAL (NetBSD)");
	}

	CHECK_EQ(sys3(SYS_ftruncate, fd, 0, 5), 0, "ftruncate(fd, PAD, 5)");
	sys2(SYS___fstat50, fd, st);
	CHECK_EQ(get64(st + ST_SIZE), 5, "ftruncate changed st_size");
	CHECK_EQ(sys3(SYS_ftruncate, fd, 0, -1), -EINVAL, "ftruncate to a negative size is EINVAL");
	CHECK_EQ(sys1(SYS_fsync, fd), 0, "fsync a file");

	/* Record locks: NetBSD's 24-byte struct flock. */
	{
		struct { int64_t start, len; int32_t pid; short type, whence; } fl;
		CHECK_EQ(sizeof fl, 24, "struct flock is 24 bytes");
		fl.start = 0; fl.len = 0; fl.pid = 0; fl.type = F_WRLCK; fl.whence = SEEK_SET;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK, &fl), 0, "F_SETLK (8) a write lock");
		fl.type = F_WRLCK;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_GETLK, &fl), 0, "F_GETLK (7)");
		CHECK_EQ(fl.type, F_UNLCK, "one's own lock is not in the way (F_UNLCK is 2)");
		fl.type = 9;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK, &fl), -EINVAL, "F_SETLK with a bad l_type is EINVAL");
		fl.type = F_UNLCK;
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLKW, &fl), 0, "F_SETLKW (9) F_UNLCK");
		CHECK_EQ(sys2(SYS_flock, fd, LOCK_EX | LOCK_NB), 0, "flock LOCK_EX|LOCK_NB");
		CHECK_EQ(sys2(SYS_flock, fd, LOCK_UN), 0, "flock LOCK_UN");
		CHECK_EQ(sys2(SYS_flock, fd, LOCK_SH | LOCK_EX), -EINVAL, "flock with two kinds is EINVAL");
	}

	/* dup, dup2, dup3, fcntl */
	{
		long d = sys1(SYS_dup, fd);
		CHECK(d >= 0 && d != fd, "dup gives a new descriptor");
		CHECK_EQ(lseek3(fd, 1, SEEK_SET), 1, "lseek the original");
		CHECK_EQ(lseek3(d, 0, SEEK_CUR), 1, "the duplicate shares the offset");
		CHECK_EQ(sys2(SYS_dup2, fd, 20), 20, "dup2 to 20");
		CHECK_EQ(sys2(SYS_dup2, fd, fd), fd, "dup2 onto itself");
		CHECK_EQ(sys2(SYS_dup2, fd, -1), -EBADF, "dup2 to -1 is EBADF");
		CHECK_EQ(sys2(SYS_dup2, 999, 21), -EBADF, "dup2 of a closed descriptor is EBADF");
		CHECK_EQ(sys2(SYS_dup2, fd, 0x7fffffff), -EBADF, "dup2 past RLIMIT_NOFILE is EBADF");
		CHECK_EQ(sys3(SYS_fcntl, fd, F_DUPFD, 0x7fffffff), -EINVAL, "F_DUPFD past RLIMIT_NOFILE is EINVAL");
		CHECK_EQ(sys3(SYS_dup3, fd, 21, O_CLOEXEC), 21, "dup3 O_CLOEXEC to 21");
		CHECK_EQ(sys2(SYS_fcntl, 21, F_GETFD), FD_CLOEXEC, "dup3's O_CLOEXEC (0x400000) copy is close-on-exec");
		CHECK_EQ(sys3(SYS_dup3, fd, 22, O_APPEND), -EINVAL, "dup3 with another flag is EINVAL");
		CHECK_EQ(sys3(SYS_dup3, fd, fd, O_APPEND), fd, "dup3 onto itself does nothing, flags unchecked");
		CHECK_EQ(sys3(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC), 0, "F_SETFD FD_CLOEXEC");
		CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC, "F_GETFD reads it back");
		CHECK_EQ(sys2(SYS_fcntl, 20, F_GETFD), 0, "dup2's copy is not close-on-exec");
		n = sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 30);
		CHECK(n >= 30, "F_DUPFD_CLOEXEC (12) at or above 30");
		CHECK_EQ(sys2(SYS_fcntl, n, F_GETFD), FD_CLOEXEC, "F_DUPFD_CLOEXEC's copy is close-on-exec");
		sys1(SYS_close, n);
		n = sys3(SYS_fcntl, fd, F_DUPFD, 40);
		CHECK(n >= 40, "F_DUPFD at or above 40");
		CHECK_EQ(sys2(SYS_fcntl, n, F_GETFD), 0, "F_DUPFD's copy is not close-on-exec");
		CHECK_EQ(sys2(SYS_fcntl, 0, F_MAXFD), n, "F_MAXFD (11) is the highest open descriptor");
		CHECK_EQ(sys3(SYS_fcntl, fd, F_DUPFD, -1), -EINVAL, "F_DUPFD below 0 is EINVAL");
		CHECK_EQ(sys2(SYS_fcntl, fd, 99), -EINVAL, "an unknown fcntl command is EINVAL");
		CHECK_EQ(sys2(SYS_fcntl, 999, F_GETFD), -EBADF, "fcntl on a closed descriptor is EBADF");
		CHECK_EQ(sys2(SYS_fcntl, 20, F_CLOSEM), 0, "F_CLOSEM (10) from 20 up");
		CHECK_EQ(sys2(SYS_fcntl, 20, F_GETFD), -EBADF, "closed 20");
		CHECK_EQ(sys2(SYS_fcntl, 21, F_GETFD), -EBADF, "closed 21");
		CHECK_EQ(sys2(SYS_fcntl, n, F_GETFD), -EBADF, "closed the F_DUPFD copy");
		CHECK_EQ(sys2(SYS_fcntl, d, F_GETFD), 0, "left the ones below alone");
		sys1(SYS_close, d);
	}
	sys1(SYS_close, fd);
	CHECK_EQ(sys2(SYS_open, "a.txt", O_RDONLY), fd, "the lowest free descriptor again");
	CHECK_EQ(sys3(SYS_ftruncate, fd, 0, 1), -EINVAL, "ftruncate of a read-only descriptor is EINVAL");
	sys1(SYS_close, fd);

	/* Status flags in NetBSD's numbering. */
	fd = sys2(SYS_open, "a.txt", O_WRONLY | O_APPEND);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_WRONLY | O_APPEND, "F_GETFL is O_WRONLY|O_APPEND (9)");
	CHECK_EQ(sys3(SYS_write, fd, "XY", 2), 2, "append");
	CHECK_EQ(lseek3(fd, 0, SEEK_CUR), 7, "O_APPEND wrote at the end");
	CHECK_EQ(sys3(SYS_fcntl, fd, F_SETFL, O_NONBLOCK), 0, "F_SETFL O_NONBLOCK");
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_WRONLY | O_NONBLOCK, "F_GETFL is O_WRONLY|O_NONBLOCK (5)");
	CHECK_EQ(sys3(SYS_fcntl, fd, F_SETFL, 3), 0, "F_SETFL 3: FFLAGS(3) is FNONBLOCK");
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_WRONLY | O_NONBLOCK, "so O_NONBLOCK stays set");
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, "a.txt", O_RDONLY | O_CLOEXEC);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC, "O_CLOEXEC (0x400000) opens close-on-exec");
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, "a.txt", O_RDONLY | 0x100000);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), 0, "FreeBSD's O_CLOEXEC bit means nothing here");
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, "a.txt", O_RDONLY | O_NONBLOCK);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_RDONLY | O_NONBLOCK, "O_NONBLOCK (4) at open shows in F_GETFL");
	sys1(SYS_close, fd);
	fd = sys2(SYS_open, "a.txt", O_WRONLY | O_TRUNC);
	sys2(SYS___fstat50, fd, st);
	CHECK_EQ(get64(st + ST_SIZE), 0, "O_TRUNC (0x400) truncates");
	sys1(SYS_close, fd);

	/* Errors. */
	CHECK_EQ(sys2(SYS_open, "missing", O_RDONLY), -ENOENT, "open of a missing file is ENOENT");
	CHECK_EQ(sys2(SYS_open, "a.txt/x", O_RDONLY), -ENOTDIR, "a file as a directory is ENOTDIR (20)");
	CHECK_EQ(sys2(SYS_open, "a.txt", O_RDONLY | O_DIRECTORY), -ENOTDIR, "O_DIRECTORY (0x200000) on a file is ENOTDIR");
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
	long dfd, fd, n;
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
	CHECK_EQ(mode_of("d/ln", AT_SYMLINK_NOFOLLOW) & S_IFMT, S_IFLNK, "fstatat AT_SYMLINK_NOFOLLOW sees the link");
	CHECK_EQ(sys2(SYS___lstat50, "d/ln", st), 0, "__lstat50");
	CHECK_EQ(get32(st + ST_MODE) & S_IFMT, S_IFLNK, "__lstat50 sees the link (S_IFLNK)");
	CHECK_EQ(mode_of("d/ln", 0), S_IFREG | 0600, "stat follows it");
	CHECK_EQ(sys2(SYS_open, "d/ln", O_RDONLY | O_NOFOLLOW), -EFTYPE,
		 "O_NOFOLLOW (0x100) on a symbolic link is EFTYPE (79), NetBSD's answer");

	dfd = sys2(SYS_open, "d", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, "open the directory");
	CHECK_EQ(sys4(SYS_readlinkat, dfd, "ln", buf, 2), 2, "readlinkat truncates to the buffer");
	n = sys3(SYS___getdents30, dfd, dbuf, sizeof dbuf);
	CHECK(n > 0, "__getdents30 reads entries");
	CHECK_EQ(find_entry(dbuf, n, "file", &bad), DT_REG, "\"file\" is listed as DT_REG (8)");
	CHECK_EQ(find_entry(dbuf, n, "sub", &bad), DT_DIR, "\"sub\" is listed as DT_DIR (4)");
	CHECK_EQ(find_entry(dbuf, n, "ln", &bad), DT_LNK, "\"ln\" is listed as DT_LNK (10)");
	CHECK_EQ(find_entry(dbuf, n, ".", &bad), DT_DIR, "\".\" is listed");
	CHECK_EQ(find_entry(dbuf, n, "..", &bad), DT_DIR, "\"..\" is listed");
	CHECK(!bad, "every record has d_reclen = roundup(13 + d_namlen + 1, 8) and a NUL");
	CHECK_EQ(sys3(SYS___getdents30, dfd, dbuf, sizeof dbuf), 0, "then the end: 0");
	CHECK_EQ(lseek3(dfd, 0, SEEK_SET), 0, "rewind the directory");
	CHECK_EQ(sys3(SYS___getdents30, dfd, dbuf, 8), -EINVAL, "a buffer too small for one entry is EINVAL (ufs)");
	fd = sys2(SYS_open, "a.txt", O_RDONLY);
	CHECK_EQ(sys3(SYS___getdents30, fd, dbuf, sizeof dbuf), -EINVAL, "__getdents30 on a file is EINVAL");
	sys1(SYS_close, fd);

	CHECK_EQ(sys2(SYS_link, "a.txt", "d/hard"), 0, "link");
	CHECK_EQ(sys2(SYS___stat50, "a.txt", st), 0, "stat after link");
	CHECK_EQ(get32(st + ST_NLINK), 2, "st_nlink is 2");
	CHECK_EQ(sys5(SYS_linkat, AT_FDCWD, "d/ln", dfd, "ln2", 0), 0, "linkat without AT_SYMLINK_FOLLOW");
	CHECK_EQ(mode_of("d/ln2", AT_SYMLINK_NOFOLLOW) & S_IFMT, S_IFLNK, "links the symbolic link itself");
	CHECK_EQ(sys5(SYS_linkat, AT_FDCWD, "d/ln", dfd, "ln3", AT_SYMLINK_FOLLOW), 0, "linkat AT_SYMLINK_FOLLOW (0x400)");
	CHECK_EQ(mode_of("d/ln3", AT_SYMLINK_NOFOLLOW), S_IFREG | 0600, "links the file it names");
	CHECK_EQ(sys2(SYS_rename, "d/file", "d/f2"), 0, "rename");
	CHECK_EQ(mode_of("d/file", 0), -1, "the old name is gone");
	CHECK_EQ(mode_of("d/f2", 0), S_IFREG | 0600, "the new name is there");
	CHECK_EQ(sys4(SYS_renameat, dfd, "f2", AT_FDCWD, "d/f3"), 0, "renameat between directory descriptors");
	CHECK_EQ(sys2(SYS_rename, "d/missing", "d/x"), -ENOENT, "rename of a missing name is ENOENT");
	CHECK_EQ(sys3(SYS_symlinkat, "f3", dfd, "ln4"), 0, "symlinkat");
	CHECK_EQ(sys4(SYS_readlinkat, dfd, "ln4", buf, 64), 2, "readlinkat of it");

	CHECK_EQ(sys1(SYS_unlink, "d/sub"), -EPERM, "unlink of a directory is EPERM (NetBSD, not EISDIR)");
	CHECK_EQ(sys1(SYS_rmdir, "d"), -ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY (66)");
	CHECK_EQ(sys1(SYS_rmdir, "d/f3"), -ENOTDIR, "rmdir of a file is ENOTDIR");
	CHECK_EQ(sys3(SYS_unlinkat, dfd, "f3", AT_REMOVEDIR), -ENOTDIR, "unlinkat AT_REMOVEDIR of a file is ENOTDIR");
	CHECK_EQ(sys3(SYS_unlinkat, dfd, "sub", AT_REMOVEDIR), 0, "unlinkat AT_REMOVEDIR (0x800)");
	CHECK_EQ(sys3(SYS_unlinkat, AT_FDCWD, "d/f3", 0), 0, "unlinkat a file");
	CHECK_EQ(sys1(SYS_unlink, "d/ln"), 0, "unlink the symlink");
	CHECK_EQ(sys3(SYS_unlinkat, dfd, "ln2", 0), 0, "unlinkat ln2");
	CHECK_EQ(sys3(SYS_unlinkat, dfd, "ln3", 0), 0, "unlinkat ln3");
	CHECK_EQ(sys3(SYS_unlinkat, dfd, "ln4", 0), 0, "unlinkat ln4");
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
	CHECK_EQ(get32(st + ST_MODE), S_IFREG | 0640, "with the mode asked for");
	CHECK_EQ(openat3("e", O_RDONLY | O_DIRECTORY | O_CREAT), -EINVAL,
		 "O_CREAT|O_DIRECTORY is EINVAL on NetBSD, even for an existing directory");
	CHECK_EQ(sys4(SYS_faccessat, dfd, "g", W_OK, 0), 0, "faccessat relative to a directory");

	/* Working directory: __getcwd returns the length with the NUL. */
	CHECK_EQ(sys1(SYS_fchdir, dfd), 0, "fchdir");
	CHECK_EQ(sys2(SYS___getcwd, buf, sizeof buf), 11, "__getcwd returns 11, the length of \"/tmp/nbf/e\" and its NUL");
	CHECK(nbsd_streq(buf, "/tmp/nbf/e"), "__getcwd after fchdir is /tmp/nbf/e");
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
	CHECK_EQ(pread4(p[0], buf, 1, 0), -ESPIPE, "pread on a pipe is ESPIPE");
	CHECK_EQ(lseek3(p[0], 0, SEEK_CUR), -ESPIPE, "lseek on a pipe is ESPIPE");
	CHECK_EQ(sys3(SYS_ioctl, p[0], TIOCGETA, dbuf), -ENOTTY, "TIOCGETA on a pipe is ENOTTY");
	sys1(SYS_close, p[0]);
	sys1(SYS_close, p[1]);
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0, "pipe2 without flags");
	CHECK_EQ(sys2(SYS_fcntl, p[0], F_GETFD), 0, "not close-on-exec");
	CHECK_EQ(sys2(SYS_fcntl, p[1], F_GETFL), O_WRONLY, "the write end is O_WRONLY");
	sys1(SYS_close, p[0]);
	sys1(SYS_close, p[1]);
	CHECK_EQ(sys2(SYS_pipe2, p, 0x100000), -EINVAL, "pipe2 with FreeBSD's O_CLOEXEC bit is EINVAL");
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
	CHECK_EQ(sys4(SYS_faccessat, AT_FDCWD, "a.txt", R_OK, AT_SYMLINK_NOFOLLOW), 0,
		 "faccessat takes AT_SYMLINK_NOFOLLOW on NetBSD");
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
	CHECK_EQ(sys2(SYS_mkdir, "/tmp/nbf", 0755), 0, "mkdir /tmp/nbf");
	CHECK_EQ(sys1(SYS_chdir, "/tmp/nbf"), 0, "chdir /tmp/nbf");
	CHECK_EQ(sys2(SYS___getcwd, buf, sizeof buf), 9, "__getcwd returns the length with the NUL (9)");
	CHECK(nbsd_streq(buf, "/tmp/nbf"), "__getcwd after chdir is /tmp/nbf");
	CHECK_EQ(sys2(SYS___getcwd, buf, 1), -ERANGE, "__getcwd with a 1-byte buffer is ERANGE (34)");
	CHECK_EQ(sys2(SYS___getcwd, buf, 5), -ERANGE, "__getcwd with a too small buffer is ERANGE");
	files();
	directories();
	pipes();
	terminal();
	permissions();
	return check_done();
}
