/*
 * memfd.c - memfd_create: an anonymous regular file in memory (mode 0777,
 * no links, listed nowhere), MFD_CLOEXEC, its /proc/self/fd link and
 * /proc/self/maps name `/memfd:NAME (deleted)`, read/write/lseek,
 * ftruncate, shared and private mappings, reopening through /proc; and
 * seals (MFD_ALLOW_SEALING, F_ADD_SEALS, F_GET_SEALS): SEAL_SHRINK,
 * SEAL_GROW, SEAL_WRITE (EBUSY while a writable shared mapping exists),
 * SEAL_FUTURE_WRITE and SEAL_SEAL, each with Linux's EPERM rules.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

static int memfd(const char *name, unsigned flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

static off_t size_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_size : -1;
}

/* Whether /proc/self/maps has a line naming `name`. */
static int maps_mention(const char *name)
{
	static char buf[65536];
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n, total = 0;
	while ((n = read(fd, buf + total, sizeof buf - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return strstr(buf, name) != NULL;
}

int main(void)
{
	/* ---- the file ---- */
	int fd = memfd("Hi", MFD_CLOEXEC);
	CHECK_BAIL(fd >= 0, "memfd_create");
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC, "MFD_CLOEXEC");
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR, "open for reading and writing");
	struct stat st;
	CHECK(fstat(fd, &st) == 0, "fstat");
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0777, "a regular file, mode 0777 (got %o)", st.st_mode);
	CHECK_EQ(st.st_nlink, 0, "no links");
	CHECK_EQ(st.st_size, 0, "empty");
	CHECK_EQ(st.st_uid, geteuid(), "owned by the caller");
	char link[256] = {0}, path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK(readlink(path, link, sizeof link - 1) > 0, "readlink %s", path);
	CHECK_STR(link, "/memfd:Hi (deleted)", "its /proc link");

	CHECK_EQ(write(fd, "memfd_create", 12), 12, "write");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 12, "the position moved");
	char buf[64] = {0};
	CHECK_EQ(pread(fd, buf, sizeof buf, 0), 12, "pread");
	CHECK_STR(buf, "memfd_create", "what was written");
	CHECK_EQ(ftruncate(fd, 8192), 0, "ftruncate to 8 KiB");
	CHECK_EQ(size_of(fd), 8192, "the size");

	/* Shared and private mappings. */
	char *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_BAIL(shared != MAP_FAILED, "mmap shared");
	CHECK(memcmp(shared, "memfd_create", 12) == 0, "the mapping shows the data");
	memcpy(shared + 4096, "through the mapping", 19);
	CHECK(pread(fd, buf, 19, 4096) == 19 && memcmp(buf, "through the mapping", 19) == 0, "read sees a store through the mapping");
	CHECK_EQ(pwrite(fd, "WRITE", 5, 0), 5, "pwrite");
	CHECK(memcmp(shared, "WRITE", 5) == 0, "the mapping sees a write");
	char *private = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK_BAIL(private != MAP_FAILED, "mmap private");
	private[0] = 'p';
	CHECK(shared[0] == 'W', "a private store stays private");
	CHECK(maps_mention("/memfd:Hi (deleted)"), "/proc/self/maps names it");
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(shared + 100, "child", 5);
		_exit(0);
	}
	CHECK_EQ(check_wait(pid), 0, "a child writes the shared mapping");
	CHECK(memcmp(shared + 100, "child", 5) == 0, "the parent sees it");
	munmap(private, 8192);
	munmap(shared, 8192);

	/* Reopening through /proc gives another description of the same file. */
	int again = open(path, O_RDWR);
	CHECK(again >= 0, "open %s", path);
	CHECK(pread(again, buf, 5, 100) == 5 && memcmp(buf, "child", 5) == 0, "the same contents");
	CHECK_EQ(lseek(again, 0, SEEK_CUR), 0, "its own position");
	close(again);

	/* Without MFD_ALLOW_SEALING the file is sealed against seals. */
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL, "F_GET_SEALS without MFD_ALLOW_SEALING");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), EPERM, "no seals may be added");
	close(fd);

	int plain = memfd("plain", 0);
	CHECK_EQ(fcntl(plain, F_GETFD), 0, "without MFD_CLOEXEC");
	close(plain);

	/* Argument errors. */
	char longname[300];
	memset(longname, 'n', sizeof longname);
	longname[249] = 0;
	fd = memfd(longname, 0);
	CHECK(fd >= 0, "a 249-byte name");
	close(fd);
	longname[249] = 'n';
	longname[250] = 0;
	CHECK_ERR(memfd(longname, 0), EINVAL, "a 250-byte name");
	CHECK_ERR(memfd("x", 0x100), EINVAL, "an unknown flag");
	CHECK_ERR(syscall(SYS_memfd_create, (char *)8, 0), EFAULT, "an unreadable name");

	/* F_GET_SEALS of what is not a memory file. */
	int null = open("/dev/null", O_RDONLY);
	CHECK_ERR(fcntl(null, F_GET_SEALS), EINVAL, "F_GET_SEALS of /dev/null");
	close(null);

	/* ---- seals ---- */
	fd = memfd("sealed", MFD_ALLOW_SEALING);
	CHECK_BAIL(fd >= 0, "memfd_create with MFD_ALLOW_SEALING");
	CHECK_EQ(fcntl(fd, F_GET_SEALS), 0, "no seals yet");
	CHECK_EQ(write(fd, "0123456789", 10), 10, "write");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0x1000), EINVAL, "an unknown seal");

	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0, "SEAL_SHRINK");
	CHECK_ERR(ftruncate(fd, 5), EPERM, "ftruncate smaller");
	CHECK_EQ(ftruncate(fd, 20), 0, "ftruncate larger is fine");
	CHECK_EQ(ftruncate(fd, 20), 0, "and to the same size");

	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), 0, "SEAL_GROW");
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW, "both seals");
	CHECK_ERR(ftruncate(fd, 30), EPERM, "ftruncate larger");
	CHECK_ERR(pwrite(fd, "x", 1, 20), EPERM, "a write past the end");
	CHECK_ERR(pwrite(fd, "abc", 3, 19), EPERM, "a write crossing the end");
	CHECK_EQ(pwrite(fd, "ab", 2, 18), 2, "a write inside is fine");
	CHECK_EQ(size_of(fd), 20, "the size did not change");

	/* A writable shared mapping keeps SEAL_WRITE out. */
	char *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_BAIL(map != MAP_FAILED, "a writable shared mapping");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY, "SEAL_WRITE while it exists");
	munmap(map, 4096);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK_BAIL(ro != MAP_FAILED, "a private mapping");
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), 0, "SEAL_WRITE once the shared one is gone");
	CHECK_ERR(write(fd, "x", 1), EPERM, "write");
	CHECK_ERR(pwrite(fd, "x", 1, 0), EPERM, "pwrite inside the file");
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EPERM, "a writable shared mapping: EPERM");
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED, "a read-only shared mapping is fine");
	CHECK(map != MAP_FAILED && memcmp(map, "0123456789", 10) == 0, "and shows the data");
	CHECK_ERR(mprotect(map, 4096, PROT_READ | PROT_WRITE), EACCES, "it cannot be made writable");
	munmap(map, 4096);
	CHECK(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "0123456789", 10) == 0, "reading still works");
	munmap(ro, 4096);

	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), 0, "SEAL_SEAL");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), EPERM, "no more seals");
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE, "all four");

	/* Seals belong to the file, not the descriptor. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	int ro_fd = open(path, O_RDONLY);
	CHECK(ro_fd >= 0 && fcntl(ro_fd, F_GET_SEALS) == (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), "another open of it has the same seals");
	close(ro_fd);
	close(fd);

	/* Adding a seal needs the file open for writing. */
	fd = memfd("ro", MFD_ALLOW_SEALING);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ro_fd = open(path, O_RDONLY);
	CHECK_ERR(fcntl(ro_fd, F_ADD_SEALS, F_SEAL_GROW), EPERM, "F_ADD_SEALS through a read-only descriptor");
	close(ro_fd);

	/* SEAL_FUTURE_WRITE: existing writable mappings keep writing. */
	CHECK_EQ(ftruncate(fd, 4096), 0, "4 KiB");
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_BAIL(map != MAP_FAILED, "a writable shared mapping");
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), 0, "SEAL_FUTURE_WRITE with it in place");
	CHECK_ERR(pwrite(fd, "x", 1, 0), EPERM, "write");
	map[0] = 'm';
	CHECK(pread(fd, buf, 1, 0) == 1 && buf[0] == 'm', "the old mapping still writes");
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EPERM, "a new writable shared mapping: EPERM");
	CHECK_EQ(ftruncate(fd, 100), 0, "ftruncate is not a write");
	munmap(map, 4096);
	close(fd);
	return check_done();
}
