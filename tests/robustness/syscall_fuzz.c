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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
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

/* Socket calls with random lengths, flags and control messages on real
 * sockets: SCM_RIGHTS lists of open, closed, stale and huge descriptor
 * numbers (the sockets themselves among them, to make cycles), random
 * cmsg headers and truncated buffers, random address lengths. */
static void fuzz_sockets(int rounds) {
    static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
    for (int round = 0; round < rounds; round++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); exit(1); }
        if (pid == 0) {
            alarm(2);
            int sv[2], fds[8];
            int n = 0;
            if (socketpair(AF_UNIX, types[next_random() % 3] | SOCK_NONBLOCK, 0, sv) == 0) { fds[n++] = sv[0]; fds[n++] = sv[1]; }
            int l = socket(AF_UNIX, types[next_random() % 3] | SOCK_NONBLOCK, 0);
            if (l >= 0) fds[n++] = l;
            if (n == 0) _exit(0);
            for (int step = 0; step < 40; step++) {
                int s = fds[next_random() % n];
                unsigned char buf[512], control[1200], name[140];
                for (size_t i = 0; i < sizeof control; i++) control[i] = (unsigned char)next_random();
                for (size_t i = 0; i < sizeof name; i++) name[i] = (unsigned char)next_random();
                name[0] = AF_UNIX; name[1] = 0;
                struct cmsghdr *c = (struct cmsghdr *)control;
                if (next_random() & 1) {
                    /* a plausible SCM_RIGHTS header over a random list */
                    int count = (int)(next_random() % 300);
                    c->cmsg_level = SOL_SOCKET;
                    c->cmsg_type = (next_random() & 3) ? SCM_RIGHTS : SCM_CREDENTIALS;
                    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count) + (next_random() % 3 == 0 ? next_random() % 64 : 0);
                    for (int i = 0; i < count && CMSG_LEN(sizeof(int) * (size_t)(i + 1)) <= sizeof control; i++) {
                        int v = (int)next_random();
                        switch (next_random() % 4) { case 0: v = fds[next_random() % n]; break; case 1: v = 1000 + (v & 7); break; case 2: v = -1; break; default: break; }
                        memcpy(CMSG_DATA(c) + i * sizeof(int), &v, sizeof v);
                    }
                }
                struct iovec iov[3] = { { buf, next_random() % sizeof buf }, { (void *)garbage(), next_random() % 64 }, { buf, next_random() % 8 } };
                struct msghdr m = { 0 };
                m.msg_iov = iov;
                m.msg_iovlen = next_random() % 4;
                m.msg_control = (next_random() % 8) ? (void *)control : (void *)garbage();
                m.msg_controllen = next_random() % (sizeof control + 1);
                m.msg_name = (next_random() & 1) ? (void *)name : NULL;
                m.msg_namelen = (socklen_t)(next_random() % 140);
                int flags = (int)(garbage() & (MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC | MSG_CMSG_CLOEXEC | MSG_NOSIGNAL | MSG_WAITALL | MSG_OOB)) | MSG_DONTWAIT;
                socklen_t len = (socklen_t)(next_random() % 140);
                switch (next_random() % 9) {
                case 0: syscall(SYS_sendmsg, s, &m, flags); break;
                case 1: syscall(SYS_recvmsg, s, &m, flags); break;
                case 2: syscall(SYS_bind, s, name, len); break;
                case 3: syscall(SYS_connect, s, name, len); break;
                case 4: syscall(SYS_sendto, s, buf, next_random() % sizeof buf, flags, (next_random() & 1) ? name : NULL, len); break;
                case 5: syscall(SYS_getsockopt, s, SOL_SOCKET, next_random() % 60, buf, &len); break;
                case 6: syscall(SYS_setsockopt, s, (next_random() & 3) ? SOL_SOCKET : garbage(), next_random() % 60, buf, garbage() % 64); break;
                case 7: syscall(SYS_listen, s, garbage()); syscall(SYS_accept4, s, name, &len, garbage() & (SOCK_CLOEXEC | SOCK_NONBLOCK | 1)); break;
                default: syscall(SYS_shutdown, s, next_random() % 4); break;
                }
            }
            _exit(0);
        }
        int status;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) { perror("waitpid"); exit(1); }
        }
    }
}

/* Netlink route sockets: requests with plausible headers (rtnetlink's
 * types, dump and ack flags) over random bodies and lengths, several in a
 * buffer, random addresses and options, receives into random buffers.
 * The kernel answers them itself, so its glue must survive anything. */
static void fuzz_netlink(int rounds) {
    for (int round = 0; round < rounds; round++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); exit(1); }
        if (pid == 0) {
            alarm(2);
            int fds[2];
            fds[0] = socket(16 /* AF_NETLINK */, SOCK_RAW | SOCK_NONBLOCK, 0);
            fds[1] = socket(16, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            if (fds[0] < 0 || fds[1] < 0) _exit(0);
            for (int step = 0; step < 60; step++) {
                int s = fds[next_random() % 2];
                static unsigned char buf[4096];
                unsigned char name[16];
                for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)next_random();
                for (size_t i = 0; i < sizeof name; i++) name[i] = (unsigned char)next_random();
                name[0] = 16; name[1] = 0;
                if (next_random() & 1) memset(name + 4, 0, 4); /* to the kernel */
                /* Up to four messages, each a header then a random body. */
                size_t at = 0;
                for (int k = (int)(next_random() % 4); k >= 0 && at + 16 <= sizeof buf; k--) {
                    uint32_t len = (next_random() % 4) ? 16 + (uint32_t)(next_random() % 200) : (uint32_t)garbage();
                    uint16_t type = (next_random() % 8) ? 16 + (uint16_t)(next_random() % 110) : (uint16_t)(next_random() % 16);
                    uint16_t flags = (uint16_t)(1 | (next_random() & 1 ? 0x300 : 0) | (next_random() & 1 ? 4 : 0) | (next_random() % 4 == 0 ? next_random() : 0));
                    memcpy(buf + at, &len, 4);
                    memcpy(buf + at + 4, &type, 2);
                    memcpy(buf + at + 6, &flags, 2);
                    at += 16 + (len < 4096 ? ((len + 3) & ~3u) : next_random() % 64);
                }
                size_t total = next_random() % (sizeof buf + 1);
                struct iovec iov[2] = { { buf, total }, { (void *)garbage(), next_random() % 32 } };
                struct msghdr m = { 0 };
                m.msg_iov = iov;
                m.msg_iovlen = 1 + next_random() % 2;
                m.msg_name = (next_random() & 1) ? (void *)name : NULL;
                m.msg_namelen = (socklen_t)(next_random() % 16);
                int flags = (int)(garbage() & (MSG_PEEK | MSG_TRUNC | MSG_WAITALL | MSG_OOB | MSG_ERRQUEUE)) | MSG_DONTWAIT;
                socklen_t len = (socklen_t)(next_random() % 16);
                uint32_t value = (uint32_t)garbage();
                switch (next_random() % 10) {
                case 0: case 1: syscall(SYS_sendto, s, buf, total, flags, (next_random() & 1) ? name : NULL, len); break;
                case 2: syscall(SYS_sendmsg, s, &m, flags); break;
                case 3: case 4: syscall(SYS_recvmsg, s, &m, flags); break;
                case 5: syscall(SYS_recvfrom, s, buf, next_random() % sizeof buf, flags, name, &len); break;
                case 6: syscall(SYS_bind, s, name, len); break;
                case 7: syscall(SYS_connect, s, name, len); break;
                case 8: syscall(SYS_setsockopt, s, (next_random() & 3) ? 270 : SOL_SOCKET, next_random() % 16, &value, garbage() % 8); break;
                default: syscall(SYS_getsockopt, s, (next_random() & 3) ? 270 : SOL_SOCKET, next_random() % 16, buf, &len); break;
                }
            }
            _exit(0);
        }
        int status;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) { perror("waitpid"); exit(1); }
        }
    }
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
    fuzz_sockets(200);
    fuzz_netlink(100);
    /* The IPC calls again, now naming real objects, so garbage reaches
     * past the id check: commands, buffers, addresses, operation arrays. */
    int ids[3] = {(int)syscall(SYS_shmget, 0, 8192, 0600), (int)syscall(SYS_semget, 0, 4, 0600), (int)syscall(SYS_msgget, 0, 0600)};
    static const long ipc_calls[] = {SYS_shmat, SYS_shmctl, SYS_shmdt, SYS_semop, SYS_semtimedop, SYS_semctl, SYS_msgsnd, SYS_msgrcv, SYS_msgctl};
    for (unsigned c = 0; c < sizeof ipc_calls / sizeof ipc_calls[0]; c++) {
        long nr = ipc_calls[c];
        for (int round = 0; round < 40; round++) {
            uint64_t a[6];
            for (int i = 0; i < 6; i++) a[i] = garbage();
            if (nr == SYS_shmat || nr == SYS_shmctl) a[0] = (uint64_t)ids[0];
            else if (nr == SYS_semop || nr == SYS_semtimedop || nr == SYS_semctl) a[0] = (uint64_t)ids[1];
            else if (nr != SYS_shmdt) a[0] = (uint64_t)ids[2];
            /* Keep the objects for the next rounds: no IPC_RMID. */
            if ((nr == SYS_shmctl || nr == SYS_msgctl) && (a[1] & 0xff) == 0) a[1] = 2;
            if (nr == SYS_semctl && (a[2] & 0xff) == 0) a[2] = 2;
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) {
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
    }
    syscall(SYS_shmctl, ids[0], 0, 0);
    syscall(SYS_semctl, ids[1], 0, 0, 0);
    syscall(SYS_msgctl, ids[2], 0, 0);

    /* Scheduling, memory locking and process inspection calls, many times
     * with arguments nearer to valid ones: the child's own id or 0 for
     * ids, a mapped buffer of random bytes or a garbage pointer for
     * pointers, small sizes and flags. */
    static const long focused[] = {
        SYS_sched_setparam, SYS_sched_getparam, SYS_sched_setscheduler, SYS_sched_getscheduler,
        SYS_sched_get_priority_max, SYS_sched_get_priority_min, SYS_sched_rr_get_interval,
        SYS_sched_setaffinity, SYS_sched_getaffinity, SYS_sched_setattr, SYS_sched_getattr,
        SYS_mlock, SYS_munlock, SYS_mlockall, SYS_munlockall, SYS_mlock2, SYS_mincore, SYS_madvise,
        SYS_ioprio_set, SYS_ioprio_get, SYS_get_robust_list, SYS_set_robust_list,
        SYS_rt_tgsigqueueinfo, SYS_kcmp, 438 /* pidfd_getfd */, SYS_sysfs, SYS_clock_gettime,
    };
    for (unsigned f = 0; f < sizeof focused / sizeof focused[0]; f++) {
        long nr = focused[f];
        for (int round = 0; round < 40; round++) {
            uint64_t a[6];
            for (int i = 0; i < 6; i++) a[i] = garbage();
            uint64_t pick = next_random();
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) {
                static unsigned char buf[3 * 4096] __attribute__((aligned(4096)));
                for (unsigned i = 0; i < sizeof buf; i += 8) { uint64_t r = next_random(); memcpy(buf + i, &r, 8); }
                for (int i = 0; i < 6; i++) {
                    switch ((pick >> (3 * i)) & 7) {
                    case 0: a[i] = (uint64_t)(uintptr_t)buf; break;
                    case 1: a[i] = (uint64_t)getpid(); break;
                    case 2: a[i] = 0; break;
                    case 3: a[i] &= 0xff; break;
                    case 4: a[i] = 56; break; /* a struct sched_attr's size */
                    default: break;
                    }
                }
                /* A signal goes to this child only. */
                if (nr == SYS_rt_tgsigqueueinfo) { a[0] = (uint64_t)getpid(); a[1] = (uint64_t)getpid(); a[2] = SIGUSR1; }
                signal(SIGUSR1, SIG_IGN);
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
