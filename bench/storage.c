/*
 * storage.c - the disk benchmarks `cargo xtask bench` runs inside Linux and
 * inside Helctic, after bench.c: an ext2 file system on the virtio disk
 * /dev/vda, mounted on /mnt. The same static binary on both kernels.
 *
 * usage: storage [SCALE [NAME...]]   (as bench.c; needs root)
 *
 * Getting the disk: under Helctic, native init has mounted it at boot (its
 * ext2 server over its virtio-blk driver), so /proc/mounts lists /mnt.
 * Debian's Linux builds its virtio drivers as modules, so under Linux this
 * program loads them and waits for /dev/vda (vda.h), and mounts it -t ext2
 * (the kernel's ext4 driver serves ext2).
 * Either way /mnt must hold BENCH-DISK, the mark of the benchmark image
 * (xtask/src/bench/disk.rs), so no other file system is ever measured or
 * changed. When the disk cannot be had, every metric prints BENCH-FAIL
 * with the reason. At the end /mnt is unmounted, so everything is on the
 * disk when the machine powers off and xtask checks it with e2fsck.
 *
 * Each benchmark checks that it did the work: every byte read back is
 * compared with what was written, every create and unlink must succeed and
 * the directory must list exactly the files it should.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "vda.h"

#ifndef DIR_MNT /* -DDIR_MNT=\"/path\" to run it on a host */
#define DIR_MNT "/mnt"
#endif
#define MARK_FILE DIR_MNT "/BENCH-DISK"
#define MARK_TEXT "helctic bench disk\n"
#define SEQ_FILE DIR_MNT "/seq.bin"
#define WARM_FILE DIR_MNT "/warm.bin"
#define CHUNK (64u << 10)
/* The sequential file: four times Helctic's ext2 block cache (4 MiB), so
 * the figures are about the path to the disk rather than about filling a
 * cache (Helctic writes most of it back while it is written; Linux, whose
 * page cache could hold all of it here, at fsync). */
#define SEQ_BYTES (16u << 20)

/* Why the disk cannot be used (NULL: it can). */
static const char *disk_problem;
static char problem_text[1024];
/* What /mnt is, to mount it again. */
static char mnt_source[256], mnt_type[32];

static const char *problem(const char *fmt, const char *arg, int err)
{
	char what[768];
	snprintf(what, sizeof what, fmt, arg);
	if (err)
		snprintf(problem_text, sizeof problem_text, "%s: %s", what, strerror(err));
	else
		snprintf(problem_text, sizeof problem_text, "%s", what);
	return problem_text;
}

/* Finds `dir` in /proc/mounts: 1 and its source and type, or 0. */
static int mounted(const char *dir)
{
	FILE *f = fopen("/proc/mounts", "r");
	if (!f)
		return 0;
	char line[512], src[256], at[256], type[32];
	int found = 0;
	while (!found && fgets(line, sizeof line, f))
		if (sscanf(line, "%255s %255s %31s", src, at, type) == 3 && strcmp(at, dir) == 0) {
			snprintf(mnt_source, sizeof mnt_source, "%s", src);
			snprintf(mnt_type, sizeof mnt_type, "%s", type);
			found = 1;
		}
	fclose(f);
	return found;
}

static const char *attach_disk(void)
{
	if (!mounted(DIR_MNT)) {
		const char *why = vda_attach();
		if (why) {
			char cause[256];
			snprintf(cause, sizeof cause, "%s", why);
			return problem("nothing mounted on " DIR_MNT ", and attaching the disk failed: %s", cause, 0);
		}
		mkdir(DIR_MNT, 0755);
		if (mount("/dev/vda", DIR_MNT, "ext2", 0, NULL))
			return problem("mount -t ext2 %s " DIR_MNT, "/dev/vda", errno);
		if (!mounted(DIR_MNT))
			return problem("mounted /dev/vda on %s but /proc/mounts does not list it", DIR_MNT, 0);
	}
	if (strcmp(mnt_type, "ext2") != 0)
		return problem(DIR_MNT " holds a %s file system, not ext2", mnt_type, 0);
	char mark[64] = {0};
	int fd = open(MARK_FILE, O_RDONLY);
	if (fd < 0)
		return problem("%s: not the benchmark disk", MARK_FILE, errno);
	ssize_t n = read(fd, mark, sizeof mark - 1);
	close(fd);
	if (n != (ssize_t)strlen(MARK_TEXT) || strcmp(mark, MARK_TEXT) != 0)
		return problem("%s does not hold the benchmark disk's mark", MARK_FILE, 0);
	return NULL;
}

/* The sequential file's size at this scale: whole chunks, at least one. */
static size_t seq_bytes(void)
{
	size_t n = SEQ_BYTES / (size_t)(scale > 64 ? 64 : scale) / CHUNK * CHUNK;
	return n < CHUNK ? CHUNK : n;
}

/* What the file holds: 64-bit word i is splitmix64(i), so a block read
 * from the wrong place, or twice, never matches. */
static uint64_t pattern(uint64_t i)
{
	uint64_t z = i * 0x9e3779b97f4a7c15u + 0x9e3779b97f4a7c15u;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A buffer of `len` bytes (plus a chunk of slack), every page touched so
 * no page fault lands in a timed loop; filled with the pattern if asked. */
static uint64_t *buffer(size_t len, int fill)
{
	uint64_t *b = malloc(len + CHUNK);
	if (!b)
		return NULL;
	memset(b, 0, len + CHUNK);
	if (fill)
		for (size_t i = 0; i < len / 8; i++)
			b[i] = pattern(i);
	return b;
}

/* Creates `path` with `len` bytes of `data` in 64 KiB writes and fsyncs
 * it; `took` is the time from open to the end of fsync. */
static int write_file(const char *m, const char *path, const char *data, size_t len, uint64_t *took)
{
	char what[128];
	uint64_t t = now_ns();
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		snprintf(what, sizeof what, "create %s", path);
		return fail(m, what);
	}
	for (size_t off = 0; off < len;) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		ssize_t w = write(fd, data + off, n);
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			snprintf(what, sizeof what, "write at offset %zu of %s", off, path);
			return fail(m, what);
		}
		off += (size_t)w;
	}
	if (fsync(fd))
		return fail(m, "fsync");
	*took = now_ns() - t;
	struct stat st;
	if (fstat(fd, &st))
		return fail(m, "fstat");
	if (close(fd))
		return fail(m, "close");
	if ((size_t)st.st_size != len) {
		snprintf(what, sizeof what, "%s is %lld bytes after writing %zu", path, (long long)st.st_size, len);
		return wrong(m, what);
	}
	return 0;
}

/* A file of seq_bytes() in 64 KiB writes, then fsync; timed from open to
 * the end of fsync. Warm-up: a tenth as much into another file, removed. */
static int b_disk_seq_write(const char *m)
{
	size_t len = seq_bytes();
	uint64_t *data = buffer(len, 1);
	if (!data)
		return fail(m, "malloc");
	size_t warm = len / 10 / CHUNK * CHUNK;
	uint64_t dt;
	int r = write_file(m, WARM_FILE, (char *)data, warm < CHUNK ? CHUNK : warm, &dt);
	if (!r && unlink(WARM_FILE))
		r = fail(m, "unlink " WARM_FILE);
	sync();
	if (!r)
		r = write_file(m, SEQ_FILE, (char *)data, len, &dt);
	free(data);
	if (!r)
		report(m, (double)len / 1e6 / ((double)dt / 1e9), "MB/s");
	return r;
}

/* disk_seq_write's file read back cold: /mnt is unmounted and mounted
 * again first, which empties both kernels' caches of it (Linux's page
 * cache, Helctic's ext2 server's block cache). No warm-up: it would warm
 * exactly what the remount emptied. Timed from open to the read that
 * returns 0 (end of file). */
static int b_disk_seq_read(const char *m)
{
	size_t len = seq_bytes();
	char what[160];
	if (umount(DIR_MNT))
		return fail(m, "umount " DIR_MNT " (to read cold)");
	if (mount(mnt_source, DIR_MNT, mnt_type, 0, NULL)) {
		fail(m, "mount again after umount");
		disk_problem = problem("%s could not be mounted again after disk_seq_read's umount", mnt_source, 0);
		return 1;
	}
	uint64_t *back = buffer(len, 0);
	if (!back)
		return fail(m, "malloc");
	char *p = (char *)back;
	uint64_t t = now_ns();
	int fd = open(SEQ_FILE, O_RDONLY);
	if (fd < 0) {
		free(back);
		return fail(m, "open " SEQ_FILE " (disk_seq_write makes it)");
	}
	size_t got = 0;
	for (;;) {
		ssize_t r = read(fd, p + got, CHUNK);
		if (r < 0) {
			free(back);
			snprintf(what, sizeof what, "read at offset %zu", got);
			return fail(m, what);
		}
		if (r == 0 || (got += (size_t)r) > len)
			break;
	}
	uint64_t dt = now_ns() - t;
	close(fd);
	int bad = got != len;
	if (bad)
		snprintf(what, sizeof what, "read %zu bytes of " SEQ_FILE " back, %s%zu were written", got, got > len ? "more than the " : "", len);
	for (size_t i = 0; !bad && i < len / 8; i++)
		if (back[i] != pattern(i)) {
			bad = 1;
			snprintf(what, sizeof what, SEQ_FILE " read back differs from what was written at byte %zu", i * 8);
		}
	free(back);
	if (bad)
		return wrong(m, what);
	report(m, (double)len / 1e6 / ((double)dt / 1e9), "MB/s");
	return 0;
}

/* Names in `dir` besides . and .. (-1: cannot list it). */
static long entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	long n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* `n` empty files created in the fresh directory `dir`, listed, unlinked,
 * sync; `took` is the creating plus the unlinking and sync (the listings
 * that check them are not timed). The directory is removed again. */
static int create_delete(const char *m, const char *dir, long n, uint64_t *took)
{
	char name[96], what[160];
	if (mkdir(dir, 0755)) {
		snprintf(what, sizeof what, "mkdir %s", dir);
		return fail(m, what);
	}
	uint64_t t = now_ns();
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s/f%06ld", dir, i);
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			snprintf(what, sizeof what, "create %s", name);
			return fail(m, what);
		}
		if (close(fd))
			return fail(m, "close");
	}
	uint64_t dt = now_ns() - t;
	long seen = entries(dir);
	if (seen != n) {
		snprintf(what, sizeof what, "%s lists %ld names after %ld creates", dir, seen, n);
		return wrong(m, what);
	}
	t = now_ns();
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s/f%06ld", dir, i);
		if (unlink(name)) {
			snprintf(what, sizeof what, "unlink %s", name);
			return fail(m, what);
		}
	}
	sync();
	*took = dt + (now_ns() - t);
	seen = entries(dir);
	if (seen != 0) {
		snprintf(what, sizeof what, "%s lists %ld names after unlinking all", dir, seen);
		return wrong(m, what);
	}
	if (rmdir(dir)) {
		snprintf(what, sizeof what, "rmdir %s", dir);
		return fail(m, what);
	}
	return 0;
}

/* Per create + unlink pair, in µs; warm-up: a tenth as many in another
 * directory. */
static int b_disk_create_delete(const char *m)
{
	long n = iters(500);
	uint64_t dt;
	if (create_delete(m, DIR_MNT "/warm", n / 10 + 1, &dt) || create_delete(m, DIR_MNT "/many", n, &dt))
		return 1;
	report(m, (double)dt / n / 1000.0, "us");
	return 0;
}

static const struct {
	const char *name;
	int (*run)(const char *);
} benches[] = {
	{"disk_seq_write", b_disk_seq_write},
	{"disk_seq_read", b_disk_seq_read},
	{"disk_create_delete", b_disk_create_delete},
};

int main(int argc, char **argv)
{
	if (argc > 1)
		scale = atol(argv[1]) > 0 ? atol(argv[1]) : 1;
	int wanted[sizeof benches / sizeof benches[0]], any = 0;
	for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		wanted[i] = argc <= 2;
		for (int a = 2; a < argc; a++)
			wanted[i] |= strcmp(argv[a], benches[i].name) == 0;
		any |= wanted[i];
	}
	/* None of ours named (bench.c's rows only): leave the disk alone. */
	if (!any)
		return 0;
	disk_problem = attach_disk();
	int failed = 0, attached = !disk_problem;
	for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++)
		if (wanted[i])
			failed += disk_problem ? wrong(benches[i].name, disk_problem) : benches[i].run(benches[i].name);
	if (attached && !disk_problem && umount(DIR_MNT)) {
		printf("BENCH-NOTE storage cannot unmount " DIR_MNT " at the end: %s\n", strerror(errno));
		failed++;
	}
	return failed ? 1 : 0;
}
