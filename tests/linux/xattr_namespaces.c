/*
 * xattr_namespaces.c - extended attributes on a file system that stores
 * them (/tmp: tmpfs in Helctic, the host's disk natively): values, the
 * XATTR_CREATE/REPLACE flags, sizes (probe with 0, ERANGE, E2BIG), lists,
 * the user/trusted/security namespaces and their permission rules for root
 * and for an unprivileged process, symlinks and FIFOs, descriptors.
 * Runs as root.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static char file[64], link_path[80], fifo[80], dir[80];

/* Whether `list` (n bytes of NUL-terminated names) holds `name`. */
static int listed(const char *list, ssize_t n, const char *name)
{
	for (ssize_t at = 0; at < n; at += (ssize_t)strlen(list + at) + 1)
		if (strcmp(list + at, name) == 0)
			return 1;
	return 0;
}

/* As uid 65534: what an ordinary user may and may not do. */
static int unprivileged(void)
{
	char buf[64];
	if (setgid(65534) != 0 || setuid(65534) != 0)
		return 1;
	/* The file is 0644 root's: readable, not writable. */
	if (getxattr(file, "user.colour", buf, sizeof buf) != 5)
		return 2;
	if (setxattr(file, "user.colour", "red", 3, 0) != -1 || errno != EACCES)
		return 3;
	if (removexattr(file, "user.colour") != -1 || errno != EACCES)
		return 4;
	/* trusted.* is invisible and untouchable without CAP_SYS_ADMIN. */
	if (getxattr(file, "trusted.secret", buf, sizeof buf) != -1 || errno != ENODATA)
		return 5;
	ssize_t n = listxattr(file, buf, sizeof buf);
	if (n < 0 || listed(buf, n, "trusted.secret") || !listed(buf, n, "user.colour"))
		return 6;
	if (setxattr(file, "trusted.x", "1", 1, 0) != -1 || errno != EPERM)
		return 7;
	/* security.* may be read by anyone, changed only with privilege. */
	if (setxattr(file, "security.helctic", "1", 1, 0) != -1 || errno != EPERM)
		return 8;
	/* A world-writable sticky directory is only its owner's to label. */
	if (setxattr(dir, "user.x", "1", 1, 0) != -1 || errno != EPERM)
		return 9;
	return 0;
}

int main(void)
{
	char buf[256];
	snprintf(file, sizeof file, "/tmp/xattr-ns.%d", (int)getpid());
	snprintf(link_path, sizeof link_path, "%s.link", file);
	snprintf(fifo, sizeof fifo, "%s.fifo", file);
	snprintf(dir, sizeof dir, "%s.dir", file);
	int fd = open(file, O_CREAT | O_RDWR | O_EXCL, 0644);
	CHECK(fd >= 0 && fchmod(fd, 0644) == 0, "create a file");

	CHECK_EQ(setxattr(file, "user.colour", "blue", 4, 0), 0, "setxattr user.colour");
	CHECK_EQ(getxattr(file, "user.colour", NULL, 0), 4, "a size-0 probe gives the length");
	CHECK_ERR(getxattr(file, "user.colour", buf, 2), ERANGE, "a buffer too small is ERANGE");
	memset(buf, 0, sizeof buf);
	CHECK(getxattr(file, "user.colour", buf, sizeof buf) == 4 && memcmp(buf, "blue", 4) == 0, "the value reads back");
	CHECK_ERR(setxattr(file, "user.colour", "x", 1, XATTR_CREATE), EEXIST, "XATTR_CREATE of an existing one");
	CHECK_ERR(setxattr(file, "user.shape", "x", 1, XATTR_REPLACE), ENODATA, "XATTR_REPLACE of a missing one");
	CHECK_EQ(setxattr(file, "user.shape", "", 0, XATTR_CREATE), 0, "an empty value");
	CHECK_EQ(getxattr(file, "user.shape", buf, sizeof buf), 0, "reads back empty");
	CHECK_EQ(fsetxattr(fd, "user.colour", "green", 5, XATTR_REPLACE), 0, "fsetxattr replaces");
	CHECK(fgetxattr(fd, "user.colour", buf, sizeof buf) == 5 && memcmp(buf, "green", 5) == 0, "fgetxattr sees it");
	static char big[65537];
	CHECK_ERR(setxattr(file, "user.big", big, sizeof big, 0), E2BIG, "a value over 64 KiB is E2BIG");
	char long_name[300];
	memset(long_name, 'a', sizeof long_name);
	memcpy(long_name, "user.", 5);
	long_name[299] = 0;
	CHECK_ERR(setxattr(file, long_name, "1", 1, 0), ERANGE, "a name over 255 bytes is ERANGE");
	CHECK_ERR(setxattr(file, "nonsense.x", "1", 1, 0), EOPNOTSUPP, "an unknown namespace is EOPNOTSUPP");
	CHECK_ERR(getxattr(file, "nonsense.x", buf, sizeof buf), EOPNOTSUPP, "and reading one too");
	CHECK_ERR(setxattr(file, "user.x", "1", 1, 4), EINVAL, "unknown flags");

	CHECK_EQ(setxattr(file, "trusted.secret", "s", 1, 0), 0, "root sets trusted.*");
	CHECK_EQ(setxattr(file, "security.helctic", "1", 1, 0), 0, "root sets security.*");
	ssize_t need = listxattr(file, NULL, 0);
	ssize_t n = listxattr(file, buf, sizeof buf);
	CHECK(n > 0 && n == need, "listxattr probe and list agree (%zd, %zd)", need, n);
	CHECK(listed(buf, n, "user.colour") && listed(buf, n, "user.shape") && listed(buf, n, "trusted.secret") && listed(buf, n, "security.helctic"), "the list names all four");
	CHECK_ERR(listxattr(file, buf, 3), ERANGE, "a list buffer too small");
	CHECK_EQ(flistxattr(fd, NULL, 0), need, "flistxattr agrees");

	/* user.* lives on regular files and directories only. */
	CHECK(symlink(file, link_path) == 0, "a symlink to it");
	CHECK_ERR(lsetxattr(link_path, "user.x", "1", 1, 0), EPERM, "user.* on a symlink itself is EPERM");
	CHECK_ERR(lgetxattr(link_path, "user.colour", buf, sizeof buf), ENODATA, "and reads nothing there");
	CHECK_EQ(getxattr(link_path, "user.colour", buf, sizeof buf), 5, "through the link: the file's");
	CHECK(mkfifo(fifo, 0666) == 0, "a FIFO");
	CHECK_ERR(setxattr(fifo, "user.x", "1", 1, 0), EPERM, "user.* on a FIFO is EPERM");
	CHECK(mkdir(dir, 01777) == 0 && chmod(dir, 01777) == 0, "a sticky world-writable directory");
	CHECK_EQ(setxattr(dir, "user.x", "1", 1, 0), 0, "its owner labels it");

	int status = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(unprivileged());
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unprivileged: read allowed by mode, write EACCES, trusted hidden/EPERM, security EPERM, sticky dir EPERM (step %d)", WEXITSTATUS(status));

	CHECK_EQ(removexattr(file, "user.shape"), 0, "removexattr");
	CHECK_ERR(removexattr(file, "user.shape"), ENODATA, "twice is ENODATA");
	CHECK_EQ(fremovexattr(fd, "trusted.secret"), 0, "fremovexattr");
	n = listxattr(file, buf, sizeof buf);
	CHECK(n > 0 && !listed(buf, n, "user.shape") && !listed(buf, n, "trusted.secret") && listed(buf, n, "user.colour"), "the list follows");

	int p[2];
	CHECK(pipe(p) == 0, "a pipe");
	CHECK_ERR(fsetxattr(p[0], "user.x", "1", 1, 0), EPERM, "user.* on a pipe is EPERM, as on any non-file");
	CHECK_ERR(fgetxattr(p[0], "user.x", buf, sizeof buf), ENODATA, "and reads nothing");
	CHECK_EQ(flistxattr(p[0], buf, sizeof buf), 0, "a pipe lists none");

	close(fd);
	unlink(link_path);
	unlink(fifo);
	rmdir(dir);
	unlink(file);
	return check_done();
}
