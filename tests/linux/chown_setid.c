/*
 * chown_setid.c - chown of a file drops its set-user-ID bit, and
 * set-group-ID when group-executable, even for root and even when it
 * changes neither owner nor group (-1, -1), as Linux's chown does; a
 * directory keeps its set-group-ID. Run as root (the test harness runs as root); otherwise the
 * checks that need root are reported as passing trivially with a note.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned mode_of(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? st.st_mode & 07777 : 0;
}

int main(void)
{
	char dir[] = "/tmp/chownXXXXXX";
	CHECK(mkdtemp(dir) != NULL, "a scratch directory");
	char f[64];
	snprintf(f, sizeof f, "%s/prog", dir);
	int fd = open(f, O_CREAT | O_WRONLY, 0755);
	CHECK(fd >= 0, "a file");
	close(fd);
	int root = geteuid() == 0;
	if (!root)
		DIAG("not root: the owner changes below only check what a user may do");

	CHECK(chmod(f, 06755) == 0 && mode_of(f) == 06755, "set-user-ID and set-group-ID set");
	CHECK(chown(f, (uid_t)-1, (gid_t)-1) == 0, "chown -1 -1");
	CHECK_EQ(mode_of(f), 0755, "drops both set-ID bits (group-executable) all the same");
	if (root) {
		CHECK(chmod(f, 06755) == 0 && chown(f, 1000, (gid_t)-1) == 0, "chown a set-ID file to uid 1000");
		CHECK_EQ(mode_of(f), 0755, "both set-ID bits dropped");
		CHECK(chmod(f, 02745) == 0 && chown(f, (uid_t)-1, 1000) == 0, "chgrp a set-group-ID file that is not group-executable");
		CHECK_EQ(mode_of(f), 02745, "its set-group-ID stays (it means mandatory locking there)");
		CHECK(chmod(dir, 02755) == 0 && chown(dir, 1000, 1000) == 0, "chown a set-group-ID directory");
		CHECK_EQ(mode_of(dir), 02755, "a directory keeps set-group-ID");
		CHECK(fchown(open(f, O_RDONLY), 0, 0) == 0, "fchown back to root");
	} else {
		CHECK_ERR(chown(f, 0, (gid_t)-1), EPERM, "a user cannot give a file away");
	}
	unlink(f);
	rmdir(dir);
	return check_done();
}
