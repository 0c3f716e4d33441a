/*
 * xattr.c - extended attributes, as far as a file system without them
 * goes: a file has none (get/remove ENODATA, an empty list); setting one
 * either works (a file system that stores them, such as the host's) and
 * reads back, or is refused with EOPNOTSUPP and changes nothing; a missing
 * file is ENOENT, a bad descriptor EBADF, an empty name ERANGE. Also
 * posix_fadvise (checked, then only a hint).
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

int main(void)
{
	char path[] = "/tmp/xattrXXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "create a file");
	char buf[64];
	CHECK_ERR(getxattr(path, "user.none", buf, sizeof buf), ENODATA, "getxattr of an unset attribute");
	CHECK_ERR(lgetxattr(path, "user.none", buf, sizeof buf), ENODATA, "lgetxattr of an unset attribute");
	CHECK_ERR(fgetxattr(fd, "user.none", buf, sizeof buf), ENODATA, "fgetxattr of an unset attribute");
	CHECK_EQ(listxattr(path, buf, sizeof buf), 0, "listxattr: no attributes");
	CHECK_EQ(flistxattr(fd, NULL, 0), 0, "flistxattr: size 0");
	CHECK_ERR(removexattr(path, "user.none"), ENODATA, "removexattr of an unset attribute");
	CHECK_ERR(getxattr("/tmp/no/such/file", "user.a", buf, sizeof buf), ENOENT, "getxattr of a missing file");
	CHECK_ERR(fgetxattr(-1, "user.a", buf, sizeof buf), EBADF, "fgetxattr of a bad descriptor");
	CHECK_ERR(getxattr(path, "", buf, sizeof buf), ERANGE, "an empty name");

	int set = setxattr(path, "user.helctic", "value", 5, 0);
	if (set == 0) {
		ssize_t n = getxattr(path, "user.helctic", buf, sizeof buf);
		CHECK(n == 5 && memcmp(buf, "value", 5) == 0, "a stored attribute reads back");
		CHECK_EQ(removexattr(path, "user.helctic"), 0, "and can be removed");
	} else {
		CHECK(errno == EOPNOTSUPP, "a refused setxattr says EOPNOTSUPP");
		CHECK_ERR(getxattr(path, "user.helctic", buf, sizeof buf), ENODATA, "and stored nothing");
	}
	CHECK_ERR(setxattr(path, "user.x", "v", 1, 0x10), EINVAL, "setxattr with unknown flags");

	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0, "posix_fadvise SEQUENTIAL");
	CHECK_EQ(posix_fadvise(fd, 0, 4096, POSIX_FADV_DONTNEED), 0, "posix_fadvise DONTNEED");
	CHECK_EQ(posix_fadvise(fd, 0, 0, 99), EINVAL, "an unknown advice");
	CHECK_EQ(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL), EBADF, "a bad descriptor");
	int p[2];
	CHECK(pipe(p) == 0, "a pipe");
	CHECK_EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE, "advice on a pipe");
	close(fd);
	unlink(path);
	return check_done();
}
