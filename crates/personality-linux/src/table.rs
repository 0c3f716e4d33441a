//! The Linux x86_64 system-call table: number, name, handler and status.
//!
//! This table is the single source of truth for the Linux personality:
//! dispatch goes through it, and `docs/linux-syscalls.md` is generated from
//! it (a test fails when the document is stale).

use crate::sys::*;
use kernel_ops::{KResult, KernelOps};

pub type Handler = fn(&mut dyn KernelOps, [u64; 6]) -> KResult<u64>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Implemented as Linux documents it.
    Complete,
    /// Implemented for the common cases; the note says what is missing.
    Partial(&'static str),
    /// Accepted and answered with fixed success; the note says why that is
    /// honest (e.g. there is nothing to do on this kernel).
    Stub(&'static str),
}

pub struct Entry {
    pub nr: u32,
    pub name: &'static str,
    pub handler: Option<Handler>,
    pub status: Status,
    /// On success the handler has set every register itself (execve,
    /// rt_sigreturn): the result must not be written to the result register.
    pub keeps_registers: bool,
}

const fn full(nr: u32, name: &'static str, h: Handler) -> Entry {
    Entry { nr, name, handler: Some(h), status: Status::Complete, keeps_registers: false }
}

const fn part(nr: u32, name: &'static str, h: Handler, note: &'static str) -> Entry {
    Entry { nr, name, handler: Some(h), status: Status::Partial(note), keeps_registers: false }
}

const fn stub(nr: u32, name: &'static str, h: Handler, note: &'static str) -> Entry {
    Entry { nr, name, handler: Some(h), status: Status::Stub(note), keeps_registers: false }
}

const fn keep(e: Entry) -> Entry {
    Entry { keeps_registers: true, ..e }
}

const EPOLLET_NOTE: &str = "level-triggered, and edge-triggered (EPOLLET: an event once per change of the object: new data, room freed, an end closed) for pipes, FIFOs and eventfd; on other descriptors (sockets, terminals, timerfd, signalfd, inotify...) EPOLLET reports like level-triggered, which only ever reports more (a program that reads until EAGAIN works unchanged)";

const INOTIFY_NOTE: &str = "events for changes made through system calls on any file system; not generated: IN_OPEN/IN_ACCESS for exec and mappings, IN_DELETE_SELF waiting for the last close of an open file (it comes at the unlink), events following a file renamed after it was opened (they name the old entry); IN_EXCL_UNLINK accepted without effect";

const ITIMER_NOTE: &str = "ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF; the CPU-time timers are checked at each scheduler tick, so they fire up to one tick late";

const NICE_NOTE: &str = "nice values are kept per process (not per thread), inherited over fork and shown in /proc/<pid>/stat; lowering one needs root or RLIMIT_NICE, as Linux; the scheduler does not use them yet";

const CAPS_NOTE: &str = "the effective, permitted, inheritable, bounding and ambient sets, changed as Linux changes them at uid changes and exec, and checked where Linux checks them; no file capabilities (security.capability), so exec gives the superuser the bounding set and others the ambient set";

const PROCESS_VM_NOTE: &str = "copies between the caller and a process it may inspect as a debugger attaching would (CAP_SYS_PTRACE, or the same ids); the copy stops at the first remote fault with what moved; no partial page at a local fault (EFAULT)";

const ADJTIME_NOTE: &str = "the NTP discipline state (status, offset, frequency, error estimates, time constant, tick, TAI offset, adjtime one-shots) is checked, kept and reported as Linux does, and ADJ_SETOFFSET steps the clock; the clock is not slewed by the offset or the frequency; clock_adjtime on CLOCK_REALTIME only";

const XATTR_NOTE: &str = "user., trusted. and security. attributes with Linux's permission rules, stored by ramfs/tmpfs; /proc and the ext2 server store none (EOPNOTSUPP to set, an empty list); no system.* (POSIX ACLs)";

const PTRACE_NOTE: &str = "TRACEME, ATTACH, SEIZE, INTERRUPT, LISTEN, DETACH, CONT, SYSCALL, SINGLESTEP, KILL, PEEK/POKE of text, data and user area, GET/SETREGS (Linux's segment selectors), GET/SETFPREGS, GET/SETREGSET (NT_PRSTATUS, NT_PRFPREG, NT_X86_XSTATE: the x87 and SSE state in XSAVE's standard form, XCR0 = 3, a bad header EINVAL), GET/SETSIGINFO (int3 gives SI_KERNEL, a single step TRAP_TRACE, a hardware breakpoint TRAP_HWBKPT, as Linux), GET/SETSIGMASK, SETOPTIONS (every event, VFORK_DONE included), GETEVENTMSG, GET_SYSCALL_INFO; the debug registers in the user area (DR0-DR3, DR7 checked as Linux checks them: EIO for DR4/DR5, EINVAL for kernel addresses and bad slots) are armed as hardware breakpoints and watchpoints of the tracee, DR6 reports the last trap; hits by the kernel's own accesses are ignored, as on Linux; they are dropped at exec (as Linux) and at detach (Linux keeps them). Debian's gdb breaks, steps, prints and watches inside (debian group). A tracer attaching to a job-stopped process finds it in a trace stop when PTRACE_ATTACH returns, as on Linux. Missing: AVX and later state in NT_X86_XSTATE (the core keeps only FXSAVE's), seccomp stops, SYSEMU, PEEKSIGINFO, a traced thread's exit reported to the tracer before its real parent";

const SOCKET_NOTE: &str = "AF_UNIX (stream, datagram, seqpacket; path names as socket nodes on any file system, abstract names, autobind, SO_PASSCRED autobind), kept by the kernel; AF_INET and AF_INET6 TCP and UDP (blocking and non-blocking, EINPROGRESS connects, SO_ERROR), served by the user-space TCP/IP server (user/netstack, docs/network.md), on loopback and on a virtio-net card (run --net); ICMP \"ping sockets\" (SOCK_DGRAM with IPPROTO_ICMP or IPPROTO_ICMPV6, any group may make them: the server owns the echo identifier, only echo requests may be sent) and raw ICMP/ICMPv6 sockets (SOCK_RAW; EPERM without CAP_NET_RAW whatever the protocol, as on Linux; IPv4 receives carry the IP header, IP_HDRINCL, ICMP_FILTER, ICMP6_FILTER; other raw protocols EPROTONOSUPPORT with a log line, raw protocol 0 EPROTONOSUPPORT as on Linux); AF_NETLINK NETLINK_ROUTE (SOCK_RAW or SOCK_DGRAM), answered by the kernel with crates/rtnetlink from the TCP/IP server's interfaces, addresses and routes (dumps, single gets, acks, extended acks, strict checking; changes EPERM; port ids as Linux gives them; no multicast notifications, no unicast between programs), other netlink protocols EPROTONOSUPPORT; every other family (AF_PACKET...) EAFNOSUPPORT, each refusal with one log line; with no network server running, Internet sockets are ENETDOWN and netlink dumps are empty";

const SEND_NOTE: &str = "AF_INET/AF_INET6 as Linux (a stream ignores a destination; MSG_NOSIGNAL; descriptors and credentials EINVAL); AF_NETLINK: each send is one buffer of requests to the kernel (port 0), answered at once (EMSGSIZE past SO_SNDBUF less 32 bytes; another port or groups EPERM, as Linux for unprivileged senders; control messages EINVAL where Linux takes SCM_CREDENTIALS); AF_UNIX: SCM_RIGHTS and SCM_CREDENTIALS as Linux (credentials checked, RLIMIT_NOFILE descriptors in flight per user); a send that would close a descriptor cycle through in-flight messages (a socket passed into its own queue, directly or through other passed sockets) is refused with ETOOMANYREFS where Linux accepts it and collects the cycle later; MSG_OOB is EOPNOTSUPP; no SCM_PIDFD; buffer space is counted at the receiving queue, not per sender";

const RECEIVE_NOTE: &str = "AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK (one datagram a call, the source the kernel's port 0); MSG_PEEK, MSG_WAITALL, MSG_TRUNC, MSG_DONTWAIT, MSG_CMSG_CLOEXEC, SCM_RIGHTS/SCM_CREDENTIALS with MSG_CTRUNC as Linux; no SO_PEEK_OFF, MSG_OOB is EINVAL, MSG_ERRQUEUE EAGAIN";

const SOCKOPT_NOTE: &str = "SOL_SOCKET on AF_UNIX sockets: SO_TYPE, SO_ERROR, SO_PEERCRED, SO_SNDBUF/SO_RCVBUF (+FORCE), SO_PASSCRED, SO_RCVTIMEO/SO_SNDTIMEO, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN act as on Linux; SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER, SO_OOBINLINE, SO_PRIORITY, SO_RCVLOWAT and friends are kept and read back without effect; missing (ENOPROTOOPT, logged): SO_PEEK_OFF, SO_PEERSEC, SO_PEERGROUPS, SO_PEERPIDFD, SO_TIMESTAMP*, the _NEW timeouts; other levels EOPNOTSUPP on local sockets. On netlink sockets the same SOL_SOCKET options, and SOL_NETLINK: NETLINK_ADD/DROP_MEMBERSHIP, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_CAP_ACK, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO, NETLINK_BROADCAST_ERROR, NETLINK_LISTEN_ALL_NSID, NETLINK_LIST_MEMBERSHIPS (groups 1-32). On Internet sockets: SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_BROADCAST, SO_LINGER, TCP_NODELAY, TCP_CORK and UDP_CORK (every send held back as MSG_MORE holds one, sent when cleared; a stream's after 200 ms at most), TCP_KEEPIDLE/KEEPINTVL/KEEPCNT, IP_TTL, IPV6_V6ONLY and IPV6_UNICAST_HOPS act (the network server's); TCP_INFO reports the state only; on raw ICMP sockets IP_HDRINCL, SOL_RAW ICMP_FILTER, IPPROTO_ICMPV6 ICMP6_FILTER act, SOL_RAW IPV6_CHECKSUM accepts offset 2 only (where the kernel always sums ICMPv6; others ENOPROTOOPT, logged); on ping and raw ICMP sockets IP_RECVTTL, IPV6_RECVHOPLIMIT and IPV6_2292HOPLIMIT give their control messages (on TCP and UDP sockets they are kept without effect); TCP_QUICKACK, IP_TOS, IP_RECVERR and similar hints are kept and read back without effect (no error queue)";

const KEYS_NOTE: &str = "key types user, logon and keyring (others ENODEV, as Linux built without them: no big_key, asymmetric, encrypted, trusted); serial numbers, the possessor/user/group/other permissions, per-user quotas (/proc/sys/kernel/keys), expiry and revocation as Linux; keys nothing can reach are freed at once, where Linux's collector runs a moment later; no /proc/keys";

const SHM_NOTE: &str = "the mapping is shared across fork and named /SYSV<key> (deleted) in /proc/<pid>/maps; SHM_EXEC maps executable; shm_rmid_forced destroys a segment only at its last detach or its creator's exit";
const SCHED_NOTE: &str = "policies (SCHED_OTHER, FIFO, RR, BATCH, IDLE, DEADLINE), real-time priorities, reset-on-fork and deadline budgets are kept per thread, inherited over fork and clone, checked and reported as Linux does (EPERM for real-time without root or RLIMIT_RTPRIO; deadline needs root), and shown in /proc/<pid>/stat; the scheduler does not use them yet (one round-robin queue)";

const MLOCK_NOTE: &str = "accounting only: nothing is ever swapped out, so locking changes no paging; locked ranges are kept per address space (RLIMIT_MEMLOCK, VmLck, smaps Locked), pages are faulted in unless MLOCK_ONFAULT, unmapping drops the lock";

const RWF_NOTE: &str = "RWF_HIPRI (a direct-I/O hint), RWF_DSYNC, RWF_SYNC, RWF_APPEND, RWF_NOAPPEND and RWF_NOWAIT (on pipes and other streams: EAGAIN unless ready now; files in memory never wait); RWF_ATOMIC and RWF_DONTCACHE are EOPNOTSUPP, as Linux for files that cannot";

const AIO_NOTE: &str = "contexts are a completion ring mapped into the process (Linux's struct aio_ring, which libaio reads) and limited by /proc/sys/fs/aio-max-nr; PREAD, PWRITE, PREADV, PWRITEV (with RWF_* flags), FSYNC, FDSYNC and POLL, IOCB_FLAG_RESFD; requests on files complete inside io_submit (as Linux's buffered AIO); a pipe, socket or terminal read or write that is not ready, and a poll request whose events have not come, wait in the context and are carried out by the next AIO call on it (io_getevents sleeps on the poll machinery for them), so their eventfd is signalled then, not when the data arrives; only poll requests can be cancelled, as on Linux";

const HANDLE_NOTE: &str = "handles hold the inode number and the file system; they open on ramfs, tmpfs and the ext2 server, /proc, /sys and devpts give only AT_HANDLE_FID identifiers (EOPNOTSUPP otherwise, ESTALE to open); the mount id is /proc/self/mountinfo's (AT_HANDLE_MNT_ID_UNIQUE gives the same number); no generation numbers: an ext2 inode freed and reused is opened as the new file where Linux says ESTALE; AT_HANDLE_CONNECTABLE is accepted but the handle does not find its path (a file opened by handle shows the path its handle was made by, or /)";

pub const TABLE: &[Entry] = &[
    full(0, "read", io::read),
    full(1, "write", io::write),
    full(2, "open", file::open),
    full(3, "close", file::close),
    full(4, "stat", stat::stat),
    full(5, "fstat", stat::fstat),
    full(6, "lstat", stat::lstat),
    full(7, "poll", poll::poll),
    full(8, "lseek", io::lseek),
    full(9, "mmap", memory::mmap),
    full(10, "mprotect", memory::mprotect),
    full(11, "munmap", memory::munmap),
    full(12, "brk", memory::brk),
    full(13, "rt_sigaction", signal::rt_sigaction),
    full(14, "rt_sigprocmask", signal::rt_sigprocmask),
    keep(full(15, "rt_sigreturn", signal::rt_sigreturn)),
    part(16, "ioctl", tty::ioctl, "terminal requests (TCGETS/TCSETS*, window size, process groups, FIONREAD, FIONBIO, FIOCLEX), SIOCOUTQ and SIOCATMARK on Internet sockets, loop and block devices, network interfaces on sockets (SIOCGIFCONF, SIOCGIFNAME/INDEX/FLAGS/MTU/HWADDR/TXQLEN/METRIC; SIOCGIFADDR/NETMASK/BRDADDR/DSTADDR on AF_INET; every SET request EPERM) only"),
    full(17, "pread64", io::pread64),
    full(18, "pwrite64", io::pwrite64),
    full(19, "readv", io::readv),
    full(20, "writev", io::writev),
    full(21, "access", file::access),
    full(22, "pipe", file::pipe),
    full(23, "select", poll::select),
    full(24, "sched_yield", process::sched_yield),
    full(25, "mremap", memory::mremap),
    full(26, "msync", memory::msync),
    full(27, "mincore", memlock::mincore),
    part(28, "madvise", memory::madvise, "checked as Linux (unknown advice, KSM and memory-failure advice EINVAL; locked, file and shared regions refused per advice; ENOMEM for holes); MADV_DONTNEED and MADV_FREE drop private pages; MADV_WIPEONFORK/KEEPONFORK are carried out at fork; access-pattern and paging advice is accepted and ignored (nothing swaps)"),
    part(29, "shmget", sysv::shmget, "no huge pages: SHM_HUGETLB is EINVAL, as on a Linux built without hugetlb"),
    part(30, "shmat", sysv::shmat, SHM_NOTE),
    full(31, "shmctl", sysv::shmctl),
    full(32, "dup", file::dup),
    full(33, "dup2", file::dup2),
    full(34, "pause", signal::pause),
    full(35, "nanosleep", time::nanosleep),
    part(36, "getitimer", time::getitimer, ITIMER_NOTE),
    full(37, "alarm", time::alarm),
    part(38, "setitimer", time::setitimer, ITIMER_NOTE),
    full(39, "getpid", ids::getpid),
    full(40, "sendfile", io::sendfile),
    part(41, "socket", socket::socket, SOCKET_NOTE),
    part(42, "connect", socket::connect, SOCKET_NOTE),
    part(43, "accept", socket::accept, SOCKET_NOTE),
    part(44, "sendto", socket::sendto, SEND_NOTE),
    part(45, "recvfrom", socket::recvfrom, RECEIVE_NOTE),
    part(46, "sendmsg", socket::sendmsg, SEND_NOTE),
    part(47, "recvmsg", socket::recvmsg, RECEIVE_NOTE),
    part(48, "shutdown", socket::shutdown, SOCKET_NOTE),
    part(49, "bind", socket::bind, SOCKET_NOTE),
    part(50, "listen", socket::listen, SOCKET_NOTE),
    part(51, "getsockname", socket::getsockname, SOCKET_NOTE),
    part(52, "getpeername", socket::getpeername, SOCKET_NOTE),
    part(53, "socketpair", socket::socketpair, SOCKET_NOTE),
    part(54, "setsockopt", socket::setsockopt, SOCKOPT_NOTE),
    part(55, "getsockopt", socket::getsockopt, SOCKOPT_NOTE),
    part(56, "clone", process::clone, "no CLONE_PARENT, CLONE_PTRACE or namespace flags; CLONE_PIDFD as in Linux 6.1 (processes only, close-on-exec, stored through parent_tid)"),
    full(57, "fork", process::fork),
    full(58, "vfork", process::vfork),
    keep(full(59, "execve", process::execve)),
    full(60, "exit", process::exit),
    full(61, "wait4", process::wait4),
    full(62, "kill", signal::kill),
    full(63, "uname", info::uname),
    full(64, "semget", sysv::semget),
    full(65, "semop", sysv::semop),
    full(66, "semctl", sysv::semctl),
    full(67, "shmdt", sysv::shmdt),
    full(68, "msgget", sysv::msgget),
    full(69, "msgsnd", sysv::msgsnd),
    full(70, "msgrcv", sysv::msgrcv),
    full(71, "msgctl", sysv::msgctl),
    part(72, "fcntl", file::fcntl, "record locks (POSIX and OFD, F_GETLK/F_SETLK/F_SETLKW, deadlock detection), pipe sizes, memfd seals and leases (F_SETLEASE/F_GETLEASE with Linux's rules; a conflicting open sends the holder SIGIO and waits up to 45 s, EWOULDBLOCK with O_NONBLOCK; truncate breaks them too) as Linux; F_SETSIG does not choose the lease signal, the break time is fixed; F_NOTIFY (dnotify) is EINVAL (inotify is the supported way); F_SETOWN and F_SEAL_EXEC are missing"),
    full(73, "flock", locks::flock),
    full(74, "fsync", file::fsync),
    full(75, "fdatasync", file::fsync),
    full(76, "truncate", file::truncate),
    full(77, "ftruncate", file::ftruncate),
    full(78, "getdents", dir::getdents),
    full(79, "getcwd", dir::getcwd),
    full(80, "chdir", dir::chdir),
    full(81, "fchdir", dir::fchdir),
    full(82, "rename", dir::rename),
    full(83, "mkdir", dir::mkdir),
    full(84, "rmdir", dir::rmdir),
    full(85, "creat", file::creat),
    full(86, "link", dir::link),
    full(87, "unlink", dir::unlink),
    full(88, "symlink", dir::symlink),
    full(89, "readlink", dir::readlink),
    full(90, "chmod", file::chmod),
    full(91, "fchmod", file::fchmod),
    full(92, "chown", file::chown),
    full(93, "fchown", file::fchown),
    full(94, "lchown", file::lchown),
    full(95, "umask", file::umask),
    full(96, "gettimeofday", time::gettimeofday),
    full(97, "getrlimit", info::getrlimit),
    part(98, "getrusage", info::getrusage, "CPU time is all reported as user time (ru_stime 0); every fault counts as minor (ru_majflt 0)"),
    full(99, "sysinfo", info::sysinfo),
    full(100, "times", info::times),
    part(101, "ptrace", ptrace::ptrace, PTRACE_NOTE),
    full(102, "getuid", ids::getuid),
    full(104, "getgid", ids::getgid),
    full(105, "setuid", ids::setuid),
    full(106, "setgid", ids::setgid),
    full(107, "geteuid", ids::geteuid),
    full(108, "getegid", ids::getegid),
    full(109, "setpgid", ids::setpgid),
    full(110, "getppid", ids::getppid),
    full(111, "getpgrp", ids::getpgrp),
    full(112, "setsid", ids::setsid),
    full(113, "setreuid", ids::setreuid),
    full(114, "setregid", ids::setregid),
    full(115, "getgroups", ids::getgroups),
    full(116, "setgroups", ids::setgroups),
    full(117, "setresuid", ids::setresuid),
    full(118, "getresuid", ids::getresuid),
    full(119, "setresgid", ids::setresgid),
    full(120, "getresgid", ids::getresgid),
    full(121, "getpgid", ids::getpgid),
    full(122, "setfsuid", ids::setfsuid),
    full(123, "setfsgid", ids::setfsgid),
    full(124, "getsid", ids::getsid),
    part(125, "capget", capability::capget, CAPS_NOTE),
    part(126, "capset", capability::capset, CAPS_NOTE),
    full(127, "rt_sigpending", signal::rt_sigpending),
    full(128, "rt_sigtimedwait", signal::rt_sigtimedwait),
    full(129, "rt_sigqueueinfo", signal::rt_sigqueueinfo),
    full(130, "rt_sigsuspend", signal::rt_sigsuspend),
    full(131, "sigaltstack", signal::sigaltstack),
    full(132, "utime", file::utime),
    full(133, "mknod", dir::mknod),
    part(135, "personality", info::personality, "any value is kept and returned (per process, inherited, kept over exec); UNAME26 and STICKY_TIMEOUTS act, ADDR_NO_RANDOMIZE is what Helctic does anyway; READ_IMPLIES_EXEC, MMAP_PAGE_ZERO, ADDR_LIMIT_* and other execution domains are kept without effect"),
    full(137, "statfs", stat::statfs),
    full(138, "fstatfs", stat::fstatfs),
    full(139, "sysfs", fs_types::sysfs),
    part(140, "getpriority", priority::getpriority, NICE_NOTE),
    part(141, "setpriority", priority::setpriority, NICE_NOTE),
    part(142, "sched_setparam", sched::sched_setparam, SCHED_NOTE),
    part(143, "sched_getparam", sched::sched_getparam, SCHED_NOTE),
    part(144, "sched_setscheduler", sched::sched_setscheduler, SCHED_NOTE),
    part(145, "sched_getscheduler", sched::sched_getscheduler, SCHED_NOTE),
    full(146, "sched_get_priority_max", sched::sched_get_priority_max),
    full(147, "sched_get_priority_min", sched::sched_get_priority_min),
    part(148, "sched_rr_get_interval", sched::sched_rr_get_interval, "SCHED_RR reports Linux's 100 ms slice, SCHED_FIFO and deadline 0, the others the scheduler's tick (10 ms); the scheduler does not use policies yet"),
    part(149, "mlock", memlock::mlock, MLOCK_NOTE),
    part(150, "munlock", memlock::munlock, MLOCK_NOTE),
    part(151, "mlockall", memlock::mlockall, MLOCK_NOTE),
    part(152, "munlockall", memlock::munlockall, MLOCK_NOTE),
    part(157, "prctl", prctl::prctl, "names, parent-death signal, dumpable, no_new_privs, seccomp (off), child subreaper, capability bounding set, timer slack; PR_SET_VMA and PR_SET_MM refused; others EINVAL"),
    part(158, "arch_prctl", process::arch_prctl, "ARCH_SET_FS and ARCH_GET_FS; GS and CPUID faulting are refused"),
    part(159, "adjtimex", adjtime::adjtimex, ADJTIME_NOTE),
    full(160, "setrlimit", info::setrlimit),
    full(161, "chroot", dir::chroot),
    full(162, "sync", file::sync),
    full(164, "settimeofday", time::settimeofday),
    part(165, "mount", mount::mount, "new mounts of ext2 (served from user space), tmpfs (half of memory, as Linux's default), ramfs and proc, read-only or not; MS_REMOUNT switches tmpfs and ramfs between read-only and writable; no mount options (size=, mode=...), no remount of a served file system, no bind or move mounts, no namespaces"),
    full(166, "umount2", mount::umount2),
    part(169, "reboot", info::reboot, "power off, restart and halt all end the machine"),
    full(170, "sethostname", info::sethostname),
    full(171, "setdomainname", info::setdomainname),
    full(186, "gettid", ids::gettid),
    full(187, "readahead", writeback::readahead),
    part(188, "setxattr", xattr::setxattr, XATTR_NOTE),
    part(189, "lsetxattr", xattr::lsetxattr, XATTR_NOTE),
    part(190, "fsetxattr", xattr::fsetxattr, XATTR_NOTE),
    part(191, "getxattr", xattr::getxattr, XATTR_NOTE),
    part(192, "lgetxattr", xattr::lgetxattr, XATTR_NOTE),
    part(193, "fgetxattr", xattr::fgetxattr, XATTR_NOTE),
    part(194, "listxattr", xattr::listxattr, XATTR_NOTE),
    part(195, "llistxattr", xattr::llistxattr, XATTR_NOTE),
    part(196, "flistxattr", xattr::flistxattr, XATTR_NOTE),
    part(197, "removexattr", xattr::removexattr, XATTR_NOTE),
    part(198, "lremovexattr", xattr::lremovexattr, XATTR_NOTE),
    part(199, "fremovexattr", xattr::fremovexattr, XATTR_NOTE),
    full(200, "tkill", signal::tkill),
    full(201, "time", time::time),
    part(202, "futex", futex::futex, "WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET; no PI or WAKE_OP"),
    part(203, "sched_setaffinity", sched::sched_setaffinity, "the mask is kept per thread, inherited, checked (a mask without an online CPU is EINVAL) and reported; the scheduler has one run queue and does not use it yet"),
    full(204, "sched_getaffinity", sched::sched_getaffinity),
    part(206, "io_setup", aio::io_setup, AIO_NOTE),
    part(207, "io_destroy", aio::io_destroy, AIO_NOTE),
    part(208, "io_getevents", aio::io_getevents, AIO_NOTE),
    part(209, "io_submit", aio::io_submit, AIO_NOTE),
    part(210, "io_cancel", aio::io_cancel, AIO_NOTE),
    full(213, "epoll_create", epoll::epoll_create),
    full(217, "getdents64", dir::getdents64),
    full(218, "set_tid_address", process::set_tid_address),
    full(220, "semtimedop", sysv::semtimedop),
    stub(221, "fadvise64", file::fadvise64, "advice is checked and accepted; the page cache reads around every miss anyway"),
    part(222, "timer_create", time::timer_create, "SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID on the wall, monotonic and boot clocks (the alarm clocks as their plain kinds, TAI as the wall clock) and on the calling process's and thread's CPU-time clocks (fired at the scheduler tick: up to 10 ms late); not on another process's CPU clock (clock_getcpuclockid ids: EINVAL)"),
    full(223, "timer_settime", time::timer_settime),
    full(224, "timer_gettime", time::timer_gettime),
    full(225, "timer_getoverrun", time::timer_getoverrun),
    full(226, "timer_delete", time::timer_delete),
    full(227, "clock_settime", time::clock_settime),
    full(228, "clock_gettime", time::clock_gettime),
    full(229, "clock_getres", time::clock_getres),
    full(230, "clock_nanosleep", time::clock_nanosleep),
    full(231, "exit_group", process::exit_group),
    part(232, "epoll_wait", epoll::epoll_wait, EPOLLET_NOTE),
    part(233, "epoll_ctl", epoll::epoll_ctl, "EPOLLET and EPOLLONESHOT as Linux (see epoll_wait); EPOLLEXCLUSIVE accepted without effect (one waiter per set is the common case; all waiters wake)"),
    full(234, "tgkill", signal::tgkill),
    full(235, "utimes", file::utimes),
    full(240, "mq_open", mqueue::mq_open),
    full(241, "mq_unlink", mqueue::mq_unlink),
    full(242, "mq_timedsend", mqueue::mq_timedsend),
    full(243, "mq_timedreceive", mqueue::mq_timedreceive),
    part(244, "mq_notify", mqueue::mq_notify, "SIGEV_SIGNAL and SIGEV_NONE; SIGEV_THREAD needs a netlink socket (glibc makes one), and there are no sockets: glibc's mq_notify fails; a registration goes once its process holds no descriptor of the queue (exit, or closing the last one), checked when the queue next needs it, where Linux drops it at any close by that process"),
    full(245, "mq_getsetattr", mqueue::mq_getsetattr),
    full(247, "waitid", process::waitid),
    part(248, "add_key", keys::add_key, KEYS_NOTE),
    part(249, "request_key", keys::request_key, "searches the caller's thread, process and session (or user-session) keyrings and links what it finds into the destination; there is no /sbin/request-key upcall, so a key it would construct is left negative for 60 s in the destination and the call fails with ENOENT, as Linux without the helper"),
    part(250, "keyctl", keys::keyctl, "GET_KEYRING_ID, JOIN_SESSION_KEYRING, UPDATE, REVOKE, CHOWN, SETPERM, DESCRIBE, CLEAR, LINK, UNLINK, SEARCH, READ, SET_REQKEY_KEYRING, SET_TIMEOUT, INVALIDATE, GET_SECURITY (no security module: an empty label), SESSION_TO_PARENT, MOVE, CAPABILITIES, RESTRICT_KEYRING (only the untyped \"no more links\" restriction) as Linux; INSTANTIATE/NEGATE/REJECT/ASSUME_AUTHORITY answer as to a caller with no request-key authority (there is no upcall); GET_PERSISTENT, DH_COMPUTE, PKEY_* and WATCH_KEY are EOPNOTSUPP (logged), as Linux built without them; the session keyring is per process, not per thread"),
    part(251, "ioprio_set", ioprio::ioprio_set, "classes and levels (with Linux 6 hint bits) are kept per thread, inherited over fork and clone, checked (the real-time class needs root) and reported; no block-layer scheduler uses them"),
    part(252, "ioprio_get", ioprio::ioprio_get, "reports what ioprio_set kept (IOPRIO_CLASS_NONE until set); no block-layer scheduler uses it"),
    full(253, "inotify_init", inotify::inotify_init),
    part(254, "inotify_add_watch", inotify::inotify_add_watch, INOTIFY_NOTE),
    full(255, "inotify_rm_watch", inotify::inotify_rm_watch),
    full(257, "openat", file::openat),
    full(258, "mkdirat", dir::mkdirat),
    full(259, "mknodat", dir::mknodat),
    full(260, "fchownat", file::fchownat),
    full(261, "futimesat", file::futimesat),
    full(262, "newfstatat", stat::newfstatat),
    full(263, "unlinkat", dir::unlinkat),
    full(264, "renameat", dir::renameat),
    part(265, "linkat", dir::linkat, "AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH (Linux 6.10 also lets a caller with the credentials the file was opened with); no O_TMPFILE files"),
    full(266, "symlinkat", dir::symlinkat),
    full(267, "readlinkat", dir::readlinkat),
    full(268, "fchmodat", file::fchmodat),
    full(269, "faccessat", file::faccessat),
    full(270, "pselect6", poll::pselect6),
    full(271, "ppoll", poll::ppoll),
    part(272, "unshare", process::unshare, "CLONE_FILES and CLONE_FS give the process its own descriptor table and file-system context (for the whole process, where Linux unshares the calling thread); CLONE_SYSVSEM needs nothing; CLONE_THREAD/SIGHAND/VM only from a single-threaded process; no namespaces (EPERM unprivileged, else EINVAL and a log line)"),
    part(273, "set_robust_list", process::set_robust_list, "kept per thread (get_robust_list reports it); robust futexes are not cleaned up at thread exit yet"),
    full(274, "get_robust_list", process::get_robust_list),
    full(275, "splice", splice::splice),
    full(276, "tee", splice::tee),
    full(277, "sync_file_range", writeback::sync_file_range),
    full(278, "vmsplice", splice::vmsplice),
    full(280, "utimensat", file::utimensat),
    part(281, "epoll_pwait", epoll::epoll_pwait, "as epoll_wait"),
    full(282, "signalfd", signalfd::signalfd),
    full(283, "timerfd_create", timerfd::timerfd_create),
    full(284, "eventfd", eventfd::eventfd),
    part(285, "fallocate", io::fallocate, "mode 0 and FALLOC_FL_KEEP_SIZE; no hole punching"),
    part(286, "timerfd_settime", timerfd::timerfd_settime, "TFD_TIMER_CANCEL_ON_SET is accepted but reads never fail with ECANCELED, and an absolute CLOCK_REALTIME expiry does not move when the wall clock is set; the _ALARM clocks are their base clocks (nothing suspends)"),
    full(287, "timerfd_gettime", timerfd::timerfd_gettime),
    part(288, "accept4", socket::accept4, SOCKET_NOTE),
    full(289, "signalfd4", signalfd::signalfd4),
    full(290, "eventfd2", eventfd::eventfd2),
    full(291, "epoll_create1", epoll::epoll_create1),
    full(292, "dup3", file::dup3),
    full(293, "pipe2", file::pipe2),
    full(294, "inotify_init1", inotify::inotify_init1),
    full(295, "preadv", io::preadv),
    full(296, "pwritev", io::pwritev),
    full(297, "rt_tgsigqueueinfo", signal::rt_tgsigqueueinfo),
    part(299, "recvmmsg", socket::recvmmsg, RECEIVE_NOTE),
    part(300, "fanotify_init", fanotify::fanotify_init, "notification groups as Linux (classes, FAN_CLOEXEC/NONBLOCK, FAN_UNLIMITED_QUEUE/MARKS, FAN_REPORT_TID, event_f_flags for the event descriptors; CAP_SYS_ADMIN required); FAN_REPORT_FID/DIR_FID/NAME/TARGET_FID and FAN_REPORT_PIDFD are EINVAL (no file handles or pidfd records yet); FAN_ENABLE_AUDIT accepted without an audit log"),
    part(301, "fanotify_mark", fanotify::fanotify_mark, "marks on inodes, mounts and file systems (a mount is its file system: no bind mounts of one file system apart), ADD/REMOVE/FLUSH, ONLYDIR, DONT_FOLLOW, ignore masks (FAN_MARK_IGNORED_MASK, FAN_MARK_IGNORE, IGNORED_SURV_MODIFY); events with a descriptor: open, access, modify, close_write/close_nowrite, open_exec and the permission events FAN_OPEN_PERM/ACCESS_PERM/OPEN_EXEC_PERM; events needing file ids (create, delete, move, attrib) are EINVAL as for a group without FAN_REPORT_FID; FAN_MARK_EVICTABLE is kept like an ordinary mark"),
    full(302, "prlimit64", info::prlimit64),
    part(303, "name_to_handle_at", file_handle::name_to_handle_at, HANDLE_NOTE),
    part(304, "open_by_handle_at", file_handle::open_by_handle_at, HANDLE_NOTE),
    part(305, "clock_adjtime", adjtime::clock_adjtime, ADJTIME_NOTE),
    full(306, "syncfs", writeback::syncfs),
    part(307, "sendmmsg", socket::sendmmsg, SEND_NOTE),
    full(309, "getcpu", process::getcpu),
    part(310, "process_vm_readv", process_vm::process_vm_readv, PROCESS_VM_NOTE),
    part(311, "process_vm_writev", process_vm::process_vm_writev, PROCESS_VM_NOTE),
    part(312, "kcmp", kcmp::kcmp, "KCMP_FILE, FILES, VM, FS, SIGHAND, IO and SYSVSEM (the last two: no such objects exist, so any two compare equal); KCMP_EPOLL_TFD is EOPNOTSUPP (event sets do not expose their registrations); access as ptrace's read check (root, or all of the target's user and group ids the caller's real ones)"),
    part(314, "sched_setattr", sched::sched_setattr, "as sched_setscheduler, plus sched_nice (per process here) and deadline budgets (checked as Linux, kept and reported; over 95% of the CPU is EBUSY; a deadline thread's fork is EAGAIN); utilization clamps are EOPNOTSUPP"),
    part(315, "sched_getattr", sched::sched_getattr, SCHED_NOTE),
    part(316, "renameat2", dir::renameat2, "RENAME_NOREPLACE; no RENAME_EXCHANGE or RENAME_WHITEOUT"),
    full(318, "getrandom", info::getrandom),
    part(319, "memfd_create", memfd::memfd_create, "MFD_CLOEXEC and MFD_ALLOW_SEALING (seals: SEAL, SHRINK, GROW, WRITE, FUTURE_WRITE); MFD_HUGETLB, MFD_NOEXEC_SEAL and MFD_EXEC are refused with EINVAL"),
    keep(full(322, "execveat", process::execveat)),
    part(324, "membarrier", membarrier::membarrier, "no RSEQ commands (there is no rseq); on one CPU a barrier only checks registration"),
    part(325, "mlock2", memlock::mlock2, MLOCK_NOTE),
    part(326, "copy_file_range", splice::copy_file_range, "between two regular files on any file systems; the data is copied, never shared as a reflink would be"),
    part(327, "preadv2", io::preadv2, RWF_NOTE),
    part(328, "pwritev2", io::pwritev2, RWF_NOTE),
    part(332, "statx", stat::statx, "no birth time or attributes"),
    part(333, "io_pgetevents", aio::io_pgetevents, AIO_NOTE),
    part(424, "pidfd_send_signal", pidfd::pidfd_send_signal, "to a pidfd or a /proc/<pid> directory; flags 0 and PIDFD_SIGNAL_THREAD_GROUP (PIDFD_SIGNAL_THREAD and _PROCESS_GROUP are EINVAL); a given siginfo is checked as Linux checks it (si_signo, forged si_code) and its si_value delivered as rt_sigqueueinfo delivers it (SI_QUEUE with the sender's pid and uid; other fields of the given siginfo are not passed on)"),
    part(434, "pidfd_open", pidfd::pidfd_open, "PIDFD_NONBLOCK accepted, PIDFD_THREAD refused (EINVAL); waitid(P_PIDFD) collects the process; polled readable once the process exits"),
    part(435, "clone3", process::clone3, "no CLONE_INTO_CGROUP, set_tid or namespace flags; CLONE_PIDFD as in Linux 6.1 (processes only, close-on-exec)"),
    full(436, "close_range", file::close_range),
    part(437, "openat2", file::openat2, "RESOLVE_* rules are checked by a walk just before the open walks again (a concurrent rename in between can move what was checked); magic links are /proc links whose targets are absolute or name no path; no O_TMPFILE"),
    part(438, "pidfd_getfd", pidfd::pidfd_getfd, "needs the ptrace attach right (root, or all of the target's user and group ids the caller's real ones, and the target dumpable)"),
    full(439, "faccessat2", file::faccessat2),
    part(441, "epoll_pwait2", epoll::epoll_pwait2, "as epoll_wait, with a timespec timeout"),
    full(452, "fchmodat2", file::fchmodat2),
];

const INDEX_SIZE: usize = 512;

const fn build_index() -> [u16; INDEX_SIZE] {
    let mut index = [0u16; INDEX_SIZE];
    let mut i = 0;
    while i < TABLE.len() {
        index[TABLE[i].nr as usize] = (i + 1) as u16;
        i += 1;
    }
    index
}

/// Table position + 1 for each syscall number (0: not in the table).
static INDEX: [u16; INDEX_SIZE] = build_index();

pub fn lookup(nr: u64) -> Option<&'static Entry> {
    let slot = *INDEX.get(usize::try_from(nr).ok()?)?;
    TABLE.get(usize::from(slot).checked_sub(1)?)
}
