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
    /// rt_sigreturn): the result must not be written to rax.
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

const INOTIFY_NOTE: &str = "events for changes made through system calls on any file system; not generated: IN_OPEN/IN_ACCESS for exec and mappings, IN_DELETE_SELF waiting for the last close of an open file (it comes at the unlink), events following a file renamed after it was opened (they name the old entry); IN_EXCL_UNLINK accepted without effect";

const ITIMER_NOTE: &str = "ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF; the CPU-time timers are checked at each scheduler tick, so they fire up to one tick late";

const NICE_NOTE: &str = "nice values are kept per process (not per thread), inherited over fork and shown in /proc/<pid>/stat; lowering one needs root or RLIMIT_NICE, as Linux; the scheduler does not use them yet";

const XATTR_NOTE: &str = "no file system stores extended attributes yet: none exist (get/remove ENODATA, list empty), set EOPNOTSUPP";

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
    part(16, "ioctl", tty::ioctl, "terminal requests (TCGETS/TCSETS*, window size, process groups, FIONREAD, FIONBIO, FIOCLEX) only"),
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
    part(28, "madvise", memory::madvise, "MADV_DONTNEED and MADV_FREE drop private pages; access-pattern advice is accepted and ignored"),
    full(32, "dup", file::dup),
    full(33, "dup2", file::dup2),
    full(34, "pause", signal::pause),
    full(35, "nanosleep", time::nanosleep),
    part(36, "getitimer", time::getitimer, ITIMER_NOTE),
    full(37, "alarm", time::alarm),
    part(38, "setitimer", time::setitimer, ITIMER_NOTE),
    full(39, "getpid", ids::getpid),
    full(40, "sendfile", io::sendfile),
    part(56, "clone", process::clone, "no CLONE_PIDFD, CLONE_PARENT, CLONE_PTRACE or namespace flags"),
    full(57, "fork", process::fork),
    full(58, "vfork", process::vfork),
    keep(full(59, "execve", process::execve)),
    full(60, "exit", process::exit),
    full(61, "wait4", process::wait4),
    full(62, "kill", signal::kill),
    full(63, "uname", info::uname),
    part(72, "fcntl", file::fcntl, "record locks (POSIX and OFD, F_GETLK/F_SETLK/F_SETLKW, deadlock detection), pipe sizes and memfd seals as Linux; leases, F_NOTIFY, F_SETOWN and F_SEAL_EXEC are missing"),
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
    full(124, "getsid", ids::getsid),
    full(127, "rt_sigpending", signal::rt_sigpending),
    full(128, "rt_sigtimedwait", signal::rt_sigtimedwait),
    full(129, "rt_sigqueueinfo", signal::rt_sigqueueinfo),
    full(130, "rt_sigsuspend", signal::rt_sigsuspend),
    full(131, "sigaltstack", signal::sigaltstack),
    full(132, "utime", file::utime),
    full(133, "mknod", dir::mknod),
    part(135, "personality", info::personality, "only PER_LINUX is supported"),
    full(137, "statfs", stat::statfs),
    full(138, "fstatfs", stat::fstatfs),
    part(140, "getpriority", priority::getpriority, NICE_NOTE),
    part(141, "setpriority", priority::setpriority, NICE_NOTE),
    stub(142, "sched_setparam", process::sched_ok, "one scheduling class"),
    stub(143, "sched_getparam", process::sched_getparam, "one scheduling class: priority 0"),
    stub(144, "sched_setscheduler", process::sched_ok, "one scheduling class"),
    stub(145, "sched_getscheduler", process::sched_getscheduler, "one scheduling class: SCHED_OTHER"),
    stub(149, "mlock", memory::mlock, "nothing is ever swapped out, so memory is always locked"),
    stub(150, "munlock", memory::mlock, "nothing is ever swapped out"),
    part(157, "prctl", prctl::prctl, "names, parent-death signal, dumpable, no_new_privs, seccomp (off), child subreaper, capability bounding set, timer slack; PR_SET_VMA and PR_SET_MM refused; others EINVAL"),
    part(158, "arch_prctl", process::arch_prctl, "ARCH_SET_FS and ARCH_GET_FS; GS and CPUID faulting are refused"),
    full(160, "setrlimit", info::setrlimit),
    full(161, "chroot", dir::chroot),
    full(162, "sync", file::sync),
    full(164, "settimeofday", time::settimeofday),
    part(165, "mount", mount::mount, "new mounts of ext2 (served from user space), tmpfs and proc; no remount, bind or move"),
    full(166, "umount2", mount::umount2),
    part(169, "reboot", info::reboot, "power off, restart and halt all end the machine"),
    full(170, "sethostname", info::sethostname),
    full(186, "gettid", ids::gettid),
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
    stub(203, "sched_setaffinity", process::sched_ok, "one CPU"),
    part(204, "sched_getaffinity", process::sched_getaffinity, "reports CPU 0 only"),
    full(213, "epoll_create", epoll::epoll_create),
    full(217, "getdents64", dir::getdents64),
    full(218, "set_tid_address", process::set_tid_address),
    stub(221, "fadvise64", file::fadvise64, "advice is checked and accepted; the page cache reads around every miss anyway"),
    part(222, "timer_create", time::timer_create, "SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID on wall and monotonic clocks; no CPU-time clocks"),
    full(223, "timer_settime", time::timer_settime),
    full(224, "timer_gettime", time::timer_gettime),
    full(225, "timer_getoverrun", time::timer_getoverrun),
    full(226, "timer_delete", time::timer_delete),
    full(227, "clock_settime", time::clock_settime),
    full(228, "clock_gettime", time::clock_gettime),
    full(229, "clock_getres", time::clock_getres),
    full(230, "clock_nanosleep", time::clock_nanosleep),
    full(231, "exit_group", process::exit_group),
    part(232, "epoll_wait", epoll::epoll_wait, "level-triggered; EPOLLET reports like level-triggered"),
    part(233, "epoll_ctl", epoll::epoll_ctl, "EPOLLET is accepted and treated as level-triggered; EPOLLEXCLUSIVE ignored"),
    full(234, "tgkill", signal::tgkill),
    full(235, "utimes", file::utimes),
    part(247, "waitid", process::waitid, "P_ALL, P_PID, P_PGID; no P_PIDFD"),
    full(253, "inotify_init", inotify::inotify_init),
    part(254, "inotify_add_watch", inotify::inotify_add_watch, INOTIFY_NOTE),
    full(255, "inotify_rm_watch", inotify::inotify_rm_watch),
    full(257, "openat", file::openat),
    full(258, "mkdirat", dir::mkdirat),
    full(259, "mknodat", dir::mknodat),
    full(260, "fchownat", file::fchownat),
    full(262, "newfstatat", stat::newfstatat),
    full(263, "unlinkat", dir::unlinkat),
    full(264, "renameat", dir::renameat),
    full(265, "linkat", dir::linkat),
    full(266, "symlinkat", dir::symlinkat),
    full(267, "readlinkat", dir::readlinkat),
    full(268, "fchmodat", file::fchmodat),
    full(269, "faccessat", file::faccessat),
    full(270, "pselect6", poll::pselect6),
    full(271, "ppoll", poll::ppoll),
    stub(273, "set_robust_list", process::set_robust_list, "accepted; robust futexes are not cleaned up at thread exit yet"),
    full(275, "splice", splice::splice),
    full(280, "utimensat", file::utimensat),
    part(281, "epoll_pwait", epoll::epoll_pwait, "as epoll_wait"),
    full(282, "signalfd", signalfd::signalfd),
    full(283, "timerfd_create", timerfd::timerfd_create),
    full(284, "eventfd", eventfd::eventfd),
    part(285, "fallocate", io::fallocate, "mode 0 and FALLOC_FL_KEEP_SIZE; no hole punching"),
    part(286, "timerfd_settime", timerfd::timerfd_settime, "TFD_TIMER_CANCEL_ON_SET is accepted but reads never fail with ECANCELED, and an absolute CLOCK_REALTIME expiry does not move when the wall clock is set; the _ALARM clocks are their base clocks (nothing suspends)"),
    full(287, "timerfd_gettime", timerfd::timerfd_gettime),
    full(289, "signalfd4", signalfd::signalfd4),
    full(290, "eventfd2", eventfd::eventfd2),
    full(291, "epoll_create1", epoll::epoll_create1),
    full(292, "dup3", file::dup3),
    full(293, "pipe2", file::pipe2),
    full(294, "inotify_init1", inotify::inotify_init1),
    full(302, "prlimit64", info::prlimit64),
    part(306, "syncfs", file::syncfs, "syncs every file system, not only the descriptor's"),
    full(309, "getcpu", process::getcpu),
    part(316, "renameat2", dir::renameat2, "RENAME_NOREPLACE; no RENAME_EXCHANGE or RENAME_WHITEOUT"),
    full(318, "getrandom", info::getrandom),
    part(319, "memfd_create", memfd::memfd_create, "MFD_CLOEXEC and MFD_ALLOW_SEALING (seals: SEAL, SHRINK, GROW, WRITE, FUTURE_WRITE); MFD_HUGETLB, MFD_NOEXEC_SEAL and MFD_EXEC are refused with EINVAL"),
    part(324, "membarrier", membarrier::membarrier, "no RSEQ commands (there is no rseq); on one CPU a barrier only checks registration"),
    part(326, "copy_file_range", splice::copy_file_range, "between two regular files on any file systems; the data is copied, never shared as a reflink would be"),
    part(332, "statx", stat::statx, "no birth time or attributes"),
    part(424, "pidfd_send_signal", pidfd::pidfd_send_signal, "to a pidfd or a /proc/<pid> directory; flags 0 and PIDFD_SIGNAL_THREAD_GROUP (PIDFD_SIGNAL_THREAD and _PROCESS_GROUP are EINVAL); a given siginfo is checked as Linux checks it (si_signo, forged si_code) but the signal arrives with the sender's SI_USER details"),
    part(434, "pidfd_open", pidfd::pidfd_open, "PIDFD_NONBLOCK accepted, PIDFD_THREAD refused (EINVAL); no waitid(P_PIDFD) yet; polled readable once the process exits"),
    part(435, "clone3", process::clone3, "no CLONE_PIDFD, CLONE_INTO_CGROUP, set_tid or namespace flags"),
    full(436, "close_range", file::close_range),
    full(439, "faccessat2", file::faccessat2),
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
