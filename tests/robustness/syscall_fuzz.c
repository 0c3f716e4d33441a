/*
 * Kernel robustness: call every syscall number from 0 to 512 with garbage
 * arguments, each in a forked child (with an alarm so a call that blocks
 * ends), then check the kernel still does ordinary work.
 *
 * This is the one test program that does not run natively first: random
 * system calls with random arguments would damage the build machine (kill
 * other processes, reboot it). It runs only inside Helctic, where the
 * harness checks that the kernel survives and keeps working.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t state = 0x243f6a8885a308d3ull;

static uint64_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Argument values that exercise validation: null, small, negative,
 * unmapped, kernel, misaligned and huge. */
static const uint64_t interesting[] = {
    0, 1, 2, 3, 0xffffffffffffffffull, 0x7fffffff, 0x80000000, 4096,
    0x1000, 0xdead0000, 0xffff800000000000ull, 0xffffffff80000000ull,
    0x7ffffffff000ull, 0x8000000000000000ull, 7, 0x10000,
};

static uint64_t garbage(void) {
    uint64_t r = next_random();
    if (r & 1) return interesting[(r >> 1) % (sizeof interesting / sizeof interesting[0])];
    return next_random();
}

/* With an argument: print free memory after each call number, to find
 * a call that leaks kernel memory. */
static long memfree_kb(void) {
    int fd = open("/proc/meminfo", O_RDONLY);
    char buf[256] = {0};
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    char *p = n > 0 ? strstr(buf, "MemFree:") : NULL;
    return p ? strtol(p + 8, NULL, 10) : -1;
}

int main(int argc, char **argv) {
    (void)argv;
    int verbose = argc > 1;
    int exited = 0, signaled = 0;
    pid_t self = getpid();
    for (long nr = 0; nr <= 512; nr++) {
        /* vfork and raw clone make a child that runs on this process's
         * own stack (sharing its memory): returning from syscall() then
         * corrupts the parent. That is undefined behaviour in user space,
         * not a kernel test; fork covers task creation. */
        if (nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3) continue;
        for (int round = 0; round < 3; round++) {
            uint64_t a[6];
            for (int i = 0; i < 6; i++) a[i] = garbage();
            /* Signals aimed at "every process" or a process group would
             * also hit the harness's shell; aim them at the child itself. */
            if (nr == SYS_kill || nr == SYS_tkill) a[0] = 0;
            if (nr == SYS_tgkill) { a[0] = 0; a[1] = 0; }
            if (nr == SYS_reboot) a[0] = 0; /* never the magic number */
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) {
                if (nr == SYS_kill || nr == SYS_tkill) a[0] = (uint64_t)getpid();
                if (nr == SYS_tgkill) { a[0] = (uint64_t)getpid(); a[1] = (uint64_t)getpid(); }
                alarm(1);
                syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
                _exit(0);
            }
            int status;
            while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) { perror("waitpid"); return 1; }
            }
            if (WIFEXITED(status)) exited++;
            else if (WIFSIGNALED(status)) signaled++;
        }
        if (verbose) printf("nr %ld: MemFree %ld kB\n", nr, memfree_kb());
    }
    /* The I/O calls reach past their descriptor checks only with
     * descriptors that exist: the same garbage, with the first two
     * arguments (the descriptors of tee) drawn from a pipe, a file, a
     * directory and an epoll set. */
    static const long with_fds[] = {
        SYS_preadv, SYS_pwritev, 327 /* preadv2 */, 328 /* pwritev2 */, 276 /* tee */,
        278 /* vmsplice */, 277 /* sync_file_range */, 306 /* syncfs */, 187 /* readahead */,
        261 /* futimesat */, 452 /* fchmodat2 */, 437 /* openat2 */, 441 /* epoll_pwait2 */,
        SYS_splice, SYS_copy_file_range, SYS_sendfile, SYS_fsync, SYS_fdatasync, SYS_fcntl,
    };
    for (unsigned i = 0; i < sizeof with_fds / sizeof with_fds[0]; i++) {
        for (int round = 0; round < 40; round++) {
            uint64_t a[6];
            for (int j = 0; j < 6; j++) a[j] = garbage();
            uint64_t pick[2] = {next_random() % 5, next_random() % 5};
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) {
                int p[2] = {-1, -1};
                if (pipe(p) != 0) _exit(1);
                if (write(p[1], "fuzz", 4) != 4) _exit(1);
                int fds[5] = {p[0], p[1], open("/tmp", O_RDONLY | O_DIRECTORY), open("/tmp/fuzz-io", O_CREAT | O_RDWR, 0600), syscall(SYS_epoll_create1, 0)};
                a[0] = (uint64_t)fds[pick[0]];
                if (with_fds[i] == 276 || with_fds[i] == SYS_splice || with_fds[i] == SYS_copy_file_range || with_fds[i] == SYS_sendfile) a[with_fds[i] == SYS_splice || with_fds[i] == SYS_copy_file_range ? 2 : 1] = (uint64_t)fds[pick[1]];
                alarm(1);
                syscall(with_fds[i], a[0], a[1], a[2], a[3], a[4], a[5]);
                _exit(0);
            }
            int status;
            while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) { perror("waitpid"); return 1; }
            }
            if (WIFEXITED(status)) exited++;
            else if (WIFSIGNALED(status)) signaled++;
        }
    }
    unlink("/tmp/fuzz-io");

    /* The kernel must still do ordinary work. */
    if (getpid() != self) { printf("not ok - getpid changed\n"); return 1; }
    int fd = open("/tmp/fuzz-check", O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0 || write(fd, "alive", 5) != 5 || lseek(fd, 0, SEEK_SET) != 0) { printf("not ok - file I/O after fuzzing\n"); return 1; }
    char buf[8] = {0};
    if (read(fd, buf, 5) != 5 || memcmp(buf, "alive", 5) != 0) { printf("not ok - read back\n"); return 1; }
    close(fd);
    unlink("/tmp/fuzz-check");
    pid_t p = fork();
    if (p == 0) _exit(7);
    int st;
    if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 7) { printf("not ok - fork after fuzzing\n"); return 1; }
    printf("ok 1 - %d children exited, %d were killed by signals; kernel healthy\n", exited, signaled);
    printf("# passed 1 failed 0\n");
    return 0;
}
