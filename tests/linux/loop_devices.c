/*
 * loop_devices.c - loop devices as LTP's library and mount(8) use them:
 * /dev/loop-control (LOOP_CTL_GET_FREE, LOOP_CTL_ADD, LOOP_CTL_REMOVE),
 * /dev/loopN as a block device (7, N) bound to a file with LOOP_SET_FD or
 * LOOP_CONFIGURE; reads and writes through the device reach the file;
 * BLKGETSIZE64/BLKGETSIZE/BLKSSZGET/BLKROGET, lseek(SEEK_END),
 * LOOP_GET_STATUS64/LOOP_SET_STATUS64 (offset, name), LOOP_SET_BLOCK_SIZE,
 * LOOP_SET_DIRECT_IO, read-only loops (EPERM on write), LOOP_CLR_FD, and
 * Linux's errnos (ENXIO for a free device, EBUSY for a bound one, EEXIST,
 * EINVAL, ENOTTY, EBADF).
 *
 * Needs root and loop devices: without them (an unprivileged host) every
 * check is skipped with one message and the program fails, so that the
 * harness never compares a skipped run.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define LOOP_SET_FD 0x4C00
#define LOOP_CLR_FD 0x4C01
#define LOOP_SET_STATUS64 0x4C04
#define LOOP_GET_STATUS64 0x4C05
#define LOOP_SET_DIRECT_IO 0x4C08
#define LOOP_SET_BLOCK_SIZE 0x4C09
#define LOOP_CONFIGURE 0x4C0A
#define LOOP_CTL_ADD 0x4C80
#define LOOP_CTL_REMOVE 0x4C81
#define LOOP_CTL_GET_FREE 0x4C82
#define BLKROGET 0x125e
#define BLKGETSIZE 0x1260
#define BLKFLSBUF 0x1261
#define BLKSSZGET 0x1268
#define BLKGETSIZE64 0x80081272
#define LO_FLAGS_READ_ONLY 1

struct info64 {
	uint64_t device, inode, rdevice, offset, sizelimit;
	uint32_t number, encrypt_type, encrypt_key_size, flags;
	uint8_t file_name[64], crypt_name[64], encrypt_key[32];
	uint64_t init[2];
};

struct config {
	uint32_t fd, block_size;
	struct info64 info;
	uint64_t reserved[8];
};

#define FILE_SIZE (1024 * 1024 + 100)

static char pattern(long i)
{
	return (char)('a' + (i * 7 + i / 4096) % 26);
}

/* Linux finishes unbinding when the device is closed (and udev may hold
 * it open a moment longer): as LTP's library does, close, open again and
 * ask until the device is free. */
static int clear_until_free(const char *path, int *fd)
{
	for (int i = 0; i < 100; i++) {
		struct info64 info;
		close(*fd);
		*fd = open(path, O_RDWR);
		if (*fd < 0)
			return -1;
		if (ioctl(*fd, LOOP_GET_STATUS64, &info) < 0 && errno == ENXIO)
			return 0;
		ioctl(*fd, LOOP_CLR_FD, 0);
		usleep(20000);
	}
	return -1;
}

int main(void)
{
	int ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0) {
		DIAG("no /dev/loop-control (%s): loop devices need root and the loop driver; skipping", strerror(errno));
		CHECK(0, "/dev/loop-control can be opened");
		return check_done();
	}
	struct stat st;
	CHECK(stat("/dev/loop-control", &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 10 && minor(st.st_rdev) == 237, "loop-control is the character device 10:237");
	int n = ioctl(ctl, LOOP_CTL_GET_FREE);
	CHECK(n >= 0, "LOOP_CTL_GET_FREE gives a device number");
	if (n < 0)
		return check_done();
	char dev[64];
	snprintf(dev, sizeof dev, "/dev/loop%d", n);
	CHECK(stat(dev, &st) == 0 && S_ISBLK(st.st_mode) && major(st.st_rdev) == 7 && (int)minor(st.st_rdev) == n, "%s is the block device 7:N", dev);
	CHECK_ERR(ioctl(ctl, LOOP_CTL_ADD, n), EEXIST, "LOOP_CTL_ADD of an existing device");

	int fd = open(dev, O_RDWR);
	CHECK(fd >= 0, "a free loop device opens");
	struct info64 info;
	CHECK_ERR(ioctl(fd, LOOP_GET_STATUS64, &info), ENXIO, "LOOP_GET_STATUS64 of a free device");
	CHECK_ERR(ioctl(fd, LOOP_CLR_FD, 0), ENXIO, "LOOP_CLR_FD of a free device");
	uint64_t size = 1;
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size == 0, "a free device's size is 0 (got %llu)", (unsigned long long)size);

	char image[] = "/tmp/loop-image-XXXXXX";
	int file = mkstemp(image);
	CHECK(file >= 0, "an image file is made");
	static char data[FILE_SIZE];
	for (long i = 0; i < FILE_SIZE; i++)
		data[i] = pattern(i);
	CHECK_EQ(write(file, data, FILE_SIZE), FILE_SIZE, "the image is written");
	CHECK_ERR(ioctl(file, BLKGETSIZE64, &size), ENOTTY, "BLKGETSIZE64 on a regular file");
	CHECK_ERR(ioctl(fd, LOOP_SET_FD, 9999), EBADF, "LOOP_SET_FD of a closed descriptor");
	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(ioctl(fd, LOOP_SET_FD, dir), EINVAL, "LOOP_SET_FD of a directory");
	close(dir);

	CHECK_EQ(ioctl(fd, LOOP_SET_FD, file), 0, "LOOP_SET_FD binds the image");
	CHECK_ERR(ioctl(fd, LOOP_SET_FD, file), EBUSY, "LOOP_SET_FD of a bound device");
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size == 1024 * 1024, "BLKGETSIZE64: the file's size in whole sectors (got %llu)", (unsigned long long)size);
	unsigned long sectors = 0;
	CHECK(ioctl(fd, BLKGETSIZE, &sectors) == 0 && sectors == 2048, "BLKGETSIZE: 512-byte sectors (got %lu)", sectors);
	int ssz = 0;
	CHECK(ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == 512, "BLKSSZGET: 512 (got %d)", ssz);
	int ro = -1;
	CHECK(ioctl(fd, BLKROGET, &ro) == 0 && ro == 0, "BLKROGET: writable (got %d)", ro);
	CHECK_EQ(ioctl(fd, BLKFLSBUF, 0), 0, "BLKFLSBUF");
	CHECK_EQ(lseek(fd, 0, SEEK_END), 1024 * 1024, "lseek(SEEK_END) gives the device's size");
	memset(&info, 0xff, sizeof info);
	struct stat fst;
	fstat(file, &fst);
	CHECK(ioctl(fd, LOOP_GET_STATUS64, &info) == 0, "LOOP_GET_STATUS64 of a bound device");
	CHECK(info.number == (uint32_t)n && info.offset == 0 && info.sizelimit == 0 && info.inode == fst.st_ino && !(info.flags & LO_FLAGS_READ_ONLY),
	      "status: number %u, offset %llu, inode %llu, flags %#x", info.number, (unsigned long long)info.offset, (unsigned long long)info.inode, info.flags);

	char buf[4096];
	CHECK(pread(fd, buf, sizeof buf, 8192) == sizeof buf && memcmp(buf, data + 8192, sizeof buf) == 0, "reading the device reads the file");
	CHECK_EQ(pread(fd, buf, sizeof buf, 1024 * 1024), 0, "a read at the end gives nothing");
	memset(buf, 'Z', sizeof buf);
	CHECK_EQ(pwrite(fd, buf, sizeof buf, 12288), sizeof buf, "writing the device");
	CHECK_EQ(fsync(fd), 0, "fsync of the device");
	char back[4096];
	CHECK(pread(file, back, sizeof back, 12288) == sizeof back && memcmp(back, buf, sizeof buf) == 0, "the write reached the file");
	CHECK(lseek(fd, 4096, SEEK_SET) == 4096 && read(fd, back, 100) == 100 && memcmp(back, data + 4096, 100) == 0 && lseek(fd, 0, SEEK_CUR) == 4196, "read(2) at the device's offset advances it");

	memset(&info, 0, sizeof info);
	info.offset = 4096;
	strcpy((char *)info.file_name, "helctic-image");
	CHECK_EQ(ioctl(fd, LOOP_SET_STATUS64, &info), 0, "LOOP_SET_STATUS64 sets an offset and a name");
	memset(&info, 0, sizeof info);
	CHECK(ioctl(fd, LOOP_GET_STATUS64, &info) == 0 && info.offset == 4096 && strcmp((char *)info.file_name, "helctic-image") == 0, "the status shows them (offset %llu, name '%.64s')", (unsigned long long)info.offset, (char *)info.file_name);
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size == 1044480, "the size counts from the offset, in sectors (got %llu)", (unsigned long long)size);
	CHECK(pread(fd, back, 100, 0) == 100 && memcmp(back, data + 4096, 100) == 0, "the device starts at the offset");
	CHECK_EQ(ioctl(fd, LOOP_SET_BLOCK_SIZE, 4096), 0, "LOOP_SET_BLOCK_SIZE 4096");
	CHECK(ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == 4096, "BLKSSZGET follows it (got %d)", ssz);
	CHECK_ERR(ioctl(fd, LOOP_SET_BLOCK_SIZE, 1000), EINVAL, "a block size that is not a power of two");
	CHECK_EQ(ioctl(fd, LOOP_SET_DIRECT_IO, 0), 0, "LOOP_SET_DIRECT_IO off");
	CHECK_ERR(ioctl(ctl, LOOP_CTL_REMOVE, n), EBUSY, "LOOP_CTL_REMOVE of a bound device");
	CHECK_EQ(ioctl(fd, LOOP_CLR_FD, 0), 0, "LOOP_CLR_FD");
	CHECK_EQ(clear_until_free(dev, &fd), 0, "the device is free again");

	/* A file open for reading only makes a read-only device. */
	int rofile = open(image, O_RDONLY);
	CHECK_EQ(ioctl(fd, LOOP_SET_FD, rofile), 0, "LOOP_SET_FD of a read-only file");
	CHECK(ioctl(fd, BLKROGET, &ro) == 0 && ro == 1, "BLKROGET: read-only (got %d)", ro);
	CHECK(ioctl(fd, LOOP_GET_STATUS64, &info) == 0 && (info.flags & LO_FLAGS_READ_ONLY), "the status says read-only");
	CHECK_ERR(pwrite(fd, buf, 512, 0), EPERM, "a write to a read-only device");
	CHECK(pread(fd, back, 100, 0) == 100 && memcmp(back, data, 100) == 0, "a read-only device reads");
	CHECK_EQ(ioctl(fd, LOOP_CLR_FD, 0), 0, "LOOP_CLR_FD of the read-only device");
	CHECK_EQ(clear_until_free(dev, &fd), 0, "the device is free again");
	close(rofile);

	struct config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fd = (uint32_t)file;
	cfg.block_size = 4096;
	CHECK_EQ(ioctl(fd, LOOP_CONFIGURE, &cfg), 0, "LOOP_CONFIGURE with a block size");
	CHECK(ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == 4096, "its block size (got %d)", ssz);
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size == 1024 * 1024, "its size (got %llu)", (unsigned long long)size);
	CHECK_EQ(ioctl(fd, LOOP_CLR_FD, 0), 0, "LOOP_CLR_FD of the configured device");
	CHECK_EQ(clear_until_free(dev, &fd), 0, "the device is free again");

	close(fd);
	close(file);
	unlink(image);
	close(ctl);
	return check_done();
}
