// Test shim: turns a program's AF_NETLINK/NETLINK_ROUTE sockets into
// requests to a test server (the rtnetlink crate) over a Unix datagram
// socket, so an unmodified `ip` can be run against the crate.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>

static char is_nl[4096];

static int real_socket(int d, int t, int p) {
    static int (*f)(int, int, int);
    if (!f) f = dlsym(RTLD_NEXT, "socket");
    return f(d, t, p);
}

// One round trip: op byte + payload out, reply in.
static ssize_t call(int fd, char op, const void *data, size_t len, void *reply, size_t cap) {
    static ssize_t (*snd)(int, const void *, size_t, int);
    static ssize_t (*rcv)(int, void *, size_t, int);
    if (!snd) snd = dlsym(RTLD_NEXT, "send");
    if (!rcv) rcv = dlsym(RTLD_NEXT, "recv");
    static char buf[70000];
    buf[0] = op;
    if (len) memcpy(buf + 1, data, len);
    if (snd(fd, buf, len + 1, 0) < 0) return -1;
    return rcv(fd, reply, cap, 0);
}

int socket(int domain, int type, int protocol) {
    if (domain != AF_NETLINK) return real_socket(domain, type, protocol);
    if (protocol != NETLINK_ROUTE) { errno = EAFNOSUPPORT; return -1; }
    int fd = real_socket(AF_UNIX, SOCK_DGRAM | (type & SOCK_CLOEXEC), 0);
    if (fd < 0 || fd >= 4096) return -1;
    is_nl[fd] = 0;  // the number may have been a closed netlink socket's
    struct sockaddr_un me = {.sun_family = AF_UNIX}, srv = {.sun_family = AF_UNIX};
    snprintf(me.sun_path, sizeof me.sun_path, "%s.c%d.%d", getenv("NLSHIM_SERVER"), getpid(), fd);
    unlink(me.sun_path);
    strncpy(srv.sun_path, getenv("NLSHIM_SERVER"), sizeof srv.sun_path - 1);
    if (bind(fd, (void *)&me, sizeof me) || connect(fd, (void *)&srv, sizeof srv)) return -1;
    is_nl[fd] = 1;
    uint32_t pid = getpid();
    char r[8];
    call(fd, 'N', &pid, 4, r, sizeof r);  // new socket
    return fd;
}

int close(int fd) {
    static int (*f)(int);
    if (!f) f = dlsym(RTLD_NEXT, "close");
    if (fd >= 0 && fd < 4096) is_nl[fd] = 0;
    return f(fd);
}

int bind(int fd, const struct sockaddr *a, socklen_t l) {
    static int (*f)(int, const struct sockaddr *, socklen_t);
    if (!f) f = dlsym(RTLD_NEXT, "bind");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, a, l);
    int32_t r = 0;
    call(fd, 'B', a, l, &r, 4);
    if (r) { errno = r; return -1; }
    return 0;
}

int getsockname(int fd, struct sockaddr *a, socklen_t *l) {
    static int (*f)(int, struct sockaddr *, socklen_t *);
    if (!f) f = dlsym(RTLD_NEXT, "getsockname");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, a, l);
    char r[12];
    call(fd, 'G', NULL, 0, r, 12);
    memcpy(a, r, *l < 12 ? *l : 12);
    *l = 12;
    return 0;
}

int setsockopt(int fd, int level, int name, const void *v, socklen_t l) {
    static int (*f)(int, int, int, const void *, socklen_t);
    if (!f) f = dlsym(RTLD_NEXT, "setsockopt");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, level, name, v, l);
    if (level != SOL_NETLINK) return 0;
    int32_t req[2] = {name, *(const int *)v}, r = 0;
    call(fd, 'O', req, 8, &r, 4);
    if (r) { errno = r; return -1; }
    return 0;
}

static ssize_t nl_send(int fd, const void *b, size_t len) {
    char r[4];
    call(fd, 'S', b, len, r, 4);
    return len;
}

ssize_t sendto(int fd, const void *b, size_t len, int fl, const struct sockaddr *a, socklen_t al) {
    static ssize_t (*f)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
    if (!f) f = dlsym(RTLD_NEXT, "sendto");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, b, len, fl, a, al);
    return nl_send(fd, b, len);
}

ssize_t send(int fd, const void *b, size_t len, int fl) {
    static ssize_t (*f)(int, const void *, size_t, int);
    if (!f) f = dlsym(RTLD_NEXT, "send");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, b, len, fl);
    return nl_send(fd, b, len);
}

ssize_t sendmsg(int fd, const struct msghdr *m, int fl) {
    static ssize_t (*f)(int, const struct msghdr *, int);
    if (!f) f = dlsym(RTLD_NEXT, "sendmsg");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, m, fl);
    char buf[65536];
    size_t n = 0;
    for (size_t i = 0; i < m->msg_iovlen; i++) {
        memcpy(buf + n, m->msg_iov[i].iov_base, m->msg_iov[i].iov_len);
        n += m->msg_iov[i].iov_len;
    }
    return nl_send(fd, buf, n);
}

ssize_t recvmsg(int fd, struct msghdr *m, int fl) {
    static ssize_t (*f)(int, struct msghdr *, int);
    if (!f) f = dlsym(RTLD_NEXT, "recvmsg");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, m, fl);
    size_t cap = 0;
    for (size_t i = 0; i < m->msg_iovlen; i++) cap += m->msg_iov[i].iov_len;
    uint32_t req[2] = {cap, (fl & MSG_PEEK) != 0};
    static char reply[70000];
    ssize_t n = call(fd, 'R', req, 8, reply, sizeof reply);
    // reply: 'E' + errno, or 'D' + datagram
    if (n < 1 || reply[0] == 'E') { errno = n >= 5 ? *(int32_t *)(reply + 1) : EAGAIN; return -1; }
    size_t len = n - 1, done = 0;
    for (size_t i = 0; i < m->msg_iovlen && done < len; i++) {
        size_t k = m->msg_iov[i].iov_len < len - done ? m->msg_iov[i].iov_len : len - done;
        memcpy(m->msg_iov[i].iov_base, reply + 1 + done, k);
        done += k;
    }
    m->msg_flags = len > cap ? MSG_TRUNC : 0;
    if (m->msg_name && m->msg_namelen >= sizeof(struct sockaddr_nl)) {
        struct sockaddr_nl k = {.nl_family = AF_NETLINK};
        memcpy(m->msg_name, &k, sizeof k);
        m->msg_namelen = sizeof k;
    }
    m->msg_controllen = 0;
    return (fl & MSG_TRUNC) ? (ssize_t)len : (ssize_t)done;
}

ssize_t recvfrom(int fd, void *b, size_t len, int fl, struct sockaddr *a, socklen_t *al) {
    static ssize_t (*f)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
    if (!f) f = dlsym(RTLD_NEXT, "recvfrom");
    if (fd < 0 || fd >= 4096 || !is_nl[fd]) return f(fd, b, len, fl, a, al);
    struct iovec v = {b, len};
    struct sockaddr_nl k;
    struct msghdr m = {.msg_name = &k, .msg_namelen = sizeof k, .msg_iov = &v, .msg_iovlen = 1};
    ssize_t r = recvmsg(fd, &m, fl);
    if (a && al) { memcpy(a, &k, *al < sizeof k ? *al : sizeof k); *al = sizeof k; }
    return r;
}

ssize_t recv(int fd, void *b, size_t len, int fl) {
    return recvfrom(fd, b, len, fl, NULL, NULL);
}
