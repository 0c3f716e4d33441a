//! The NetBSD amd64 system-call table: number, name, handler and status,
//! numbered as sys/kern/syscalls.master numbers them and named as
//! `syscall_names` names them (libc's names: `__fstat50`,
//! `___lwp_park60`).
//!
//! This table is the single source of truth for the NetBSD personality:
//! dispatch goes through it and docs/netbsd-syscalls.md is generated from
//! it. To keep merges simple, entries are added as lines; the order is
//! by number.

use crate::sys::*;
use kernel_ops::{KResult, KernelOps};

pub type Handler = fn(&mut dyn KernelOps, [u64; 6]) -> KResult<u64>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Implemented as NetBSD documents it.
    Complete,
    /// Implemented for the common cases; the note says what is missing.
    Partial(&'static str),
}

pub struct Entry {
    pub nr: u32,
    pub name: &'static str,
    pub handler: Handler,
    pub status: Status,
    /// On success the handler has set every register itself (setcontext,
    /// execve) or both results (the two-result calls): the result must
    /// not be written over them.
    pub keeps_registers: bool,
}

const fn full(nr: u32, name: &'static str, handler: Handler) -> Entry {
    Entry { nr, name, handler, status: Status::Complete, keeps_registers: false }
}

const fn part(nr: u32, name: &'static str, handler: Handler, note: &'static str) -> Entry {
    Entry { nr, name, handler, status: Status::Partial(note), keeps_registers: false }
}

const fn keep(e: Entry) -> Entry {
    Entry { keeps_registers: true, ..e }
}

const KQUEUE_NOTE: &str = "the queue is inherited by the child of fork, where NetBSD's child has none";

const KEVENT_NOTE: &str = "EVFILT_READ and EVFILT_WRITE on pipes, sockets, terminals and other pollable descriptors, with EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_ONESHOT and EV_CLEAR; a returned event's data is 0 (not the byte count) and its flags carry only EV_EOF; EVFILT_AIO, VNODE, PROC, SIGNAL, TIMER, FS, USER and EMPTY, regular files, EV_RECEIPT and EV_DISPATCH are EINVAL with one log line; a watch ends with the open file's last close, not with each close of its descriptor";
/// open and openat: what is not done of NetBSD's flags.
const OPEN_NOTE: &str = "O_ASYNC and O_NOSIGPIPE are EOPNOTSUPP; O_SYNC, O_DSYNC and O_RSYNC are accepted but writes are not forced to storage one by one; O_DIRECT, O_ALT_IO and O_SEARCH change nothing";

/// The stat calls: what no file system here keeps.
const STAT_NOTE: &str =
    "st_birthtim is {0, 0} (no file system here records a birth time) and st_flags 0 (no chflags flags)";

const RLIMIT_NOTE: &str = "RLIMIT_SBSIZE and RLIMIT_NTHR are not kept by the core: they read as RLIM_INFINITY, and setting them to anything else is EINVAL";

/// Sorted by number.
pub static TABLE: &[Entry] = &[
    full(1, "exit", exit::exit),
    keep(full(2, "fork", process::fork)),
    full(3, "read", io::read),
    full(4, "write", io::write),
    part(5, "open", open::open, OPEN_NOTE),
    full(6, "close", io::close),
    full(9, "link", names::link),
    full(10, "unlink", names::unlink),
    full(12, "chdir", names::chdir),
    full(13, "fchdir", names::fchdir),
    full(15, "chmod", access::chmod),
    keep(full(20, "getpid", ids::getpid)),
    keep(full(24, "getuid", ids::getuid)),
    full(25, "geteuid", ids::geteuid),
    full(33, "access", access::access),
    full(37, "kill", process::kill),
    full(39, "getppid", ids::getppid),
    full(41, "dup", descriptors::dup),
    full(43, "getegid", ids::getegid),
    keep(full(47, "getgid", ids::getgid)),
    part(54, "ioctl", ioctl::ioctl, "FIOCLEX, FIONCLEX, FIONBIO, FIONREAD, TIOCGETA, TIOCSETA/W/F, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP; FIOASYNC, FIOSETOWN, FIOGETOWN, FIONWRITE, FIONSPACE, TIOCSCTTY and TIOCNOTTY are ENOTTY with one log line, every other request ENOTTY; termios: VDSUSP, VSTATUS, ONOEOT, ALTWERASE, NOKERNINFO, CDTRCTS and MDMBUF read as off and are dropped when set, and a speed outside B0..B921600 is EINVAL"),
    full(57, "symlink", names::symlink),
    full(58, "readlink", names::readlink),
    keep(full(59, "execve", process::execve)),
    full(60, "umask", access::umask),
    keep(full(66, "vfork", process::vfork)),
    full(73, "munmap", memory::munmap),
    part(74, "mprotect", memory::mprotect, "PaX's PROT_MPROTECT bits are accepted and not kept"),
    part(75, "madvise", memory::madvise, "advice is checked and accepted without effect: NetBSD's advice never changes what a program may rely on a mapping holding"),
    full(81, "getpgrp", groups::getpgrp),
    full(82, "setpgid", groups::setpgid),
    full(90, "dup2", descriptors::dup2),
    full(91, "getrandom", random::getrandom),
    part(92, "fcntl", descriptors::fcntl, "F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK, F_SETLKW, F_CLOSEM, F_MAXFD; F_GETOWN, F_SETOWN, F_GETNOSIGPIPE, F_SETNOSIGPIPE and the file-system commands (F_FSCTL) are EINVAL with one log line; F_SETFL with O_ASYNC or O_NOSIGPIPE is EOPNOTSUPP, and O_SYNC/O_DSYNC/O_RSYNC/O_ALT_IO/O_DIRECT are accepted without effect and not reported by F_GETFL"),
    full(95, "fsync", file_io::fsync),
    full(120, "readv", file_io::readv),
    full(121, "writev", file_io::writev),
    full(124, "fchmod", access::fchmod),
    full(128, "rename", names::rename),
    part(131, "flock", locks::flock, "an anonymous pipe is locked as a FIFO is, where NetBSD's flock says EOPNOTSUPP (the core tells them apart from neither)"),
    full(136, "mkdir", names::mkdir),
    full(137, "rmdir", names::rmdir),
    full(147, "setsid", groups::setsid),
    full(173, "pread", file_io::pread),
    full(174, "pwrite", file_io::pwrite),
    part(194, "getrlimit", resources::getrlimit, RLIMIT_NOTE),
    part(195, "setrlimit", resources::setrlimit, RLIMIT_NOTE),
    part(197, "mmap", memory::mmap, "MAP_ALIGNED above a page is EINVAL with one log line; MAP_STACK, MAP_NORESERVE, MAP_INHERIT, MAP_HASSEMAPHORE, MAP_TRYFIXED and MAP_WIRED are accepted without effect; PaX's PROT_MPROTECT bits are not kept"),
    full(199, "lseek", file_io::lseek),
    full(201, "ftruncate", file_io::ftruncate),
    part(202, "__sysctl", sysctl::sysctl, "the nodes of sys/sysctl/tree.rs only (kern.ostype, osrelease, osrevision, version, argmax, hostname, ngroups, domainname, iov_max, urandom, arandom, boottime; hw.machine, ncpu, physmem, pagesize, machine_arch, physmem64, ncpuonline), all others ENOENT; CTL_QUERY lists them (with the kernel pointers of struct sysctlnode 0); CTL_DESCRIBE, CTL_CREATE, CTL_CREATESYM, CTL_DESTROY and CTL_MMAP are EOPNOTSUPP with one log line"),
    full(207, "getpgid", groups::getpgid),
    part(281, "__sigaltstack14", signal::sigaltstack, "changing the stack while running on it (other than disabling it, which NetBSD refuses too) is EINVAL with one log line"),
    keep(full(282, "__vfork14", process::vfork14)),
    full(286, "getsid", groups::getsid),
    full(292, "__sigpending14", signal::sigpending),
    full(293, "__sigprocmask14", signal::sigprocmask),
    full(294, "__sigsuspend14", signal::sigsuspend),
    full(296, "__getcwd", names::getcwd),
    part(305, "issetugid", ids::issetugid, "true while the real and effective ids differ; NetBSD also stays tainted after a set-id exec or an id change"),
    part(307, "getcontext", context::getcontext, "uc_link is 0 and uc_stack off the alternate stack is zero (NetBSD names the main stack)"),
    keep(part(308, "setcontext", context::setcontext, "uc_link is not kept")),
    part(309, "_lwp_create", lwp::lwp_create, "LWP_SUSPENDED is EINVAL with one log line; LWP_DETACHED changes nothing (there is no _lwp_wait); LWP ids are the core's thread ids, the main LWP's the pid"),
    full(310, "_lwp_exit", lwp::lwp_exit),
    full(311, "_lwp_self", lwp::lwp_self),
    full(316, "_lwp_getprivate", lwp::lwp_getprivate),
    full(317, "_lwp_setprivate", lwp::lwp_setprivate),
    full(318, "_lwp_kill", lwp::lwp_kill),
    full(321, "_lwp_unpark", lwp::lwp_unpark),
    full(322, "_lwp_unpark_all", lwp::lwp_unpark_all),
    part(340, "__sigaction_sigtramp", signal::sigaction, "trampoline versions 2 and 3 (siginfo); the sigcontext versions 0 and 1 (compat_16) are EINVAL with one log line, as without that module"),
    part(344, "kqueue", kqueue::kqueue, KQUEUE_NOTE),
    full(350, "sched_yield", lwp::sched_yield),
    full(390, "__getdents30", dirent::getdents),
    full(418, "__gettimeofday50", time::gettimeofday),
    full(427, "__clock_gettime50", time::clock_gettime),
    full(429, "__clock_getres50", time::clock_getres),
    full(430, "__nanosleep50", time::nanosleep),
    part(435, "__kevent50", kqueue::kevent, KEVENT_NOTE),
    part(439, "__stat50", stat::stat, STAT_NOTE),
    part(440, "__fstat50", stat::fstat, STAT_NOTE),
    part(441, "__lstat50", stat::lstat, STAT_NOTE),
    full(445, "__getrusage50", resources::getrusage),
    part(449, "__wait450", wait::wait4, "WALTSIG without WALLSIG finds no child (ECHILD): every child of a NetBSD process here ends with SIGCHLD"),
    part(453, "pipe2", descriptors::pipe2, "O_NOSIGPIPE is EOPNOTSUPP"),
    full(454, "dup3", descriptors::dup3),
    part(455, "kqueue1", kqueue::kqueue1, KQUEUE_NOTE),
    full(457, "linkat", names::linkat),
    full(458, "renameat", names::renameat),
    full(461, "mkdirat", names::mkdirat),
    full(462, "faccessat", access::faccessat),
    full(463, "fchmodat", access::fchmodat),
    part(466, "fstatat", stat::fstatat, STAT_NOTE),
    part(468, "openat", open::openat, OPEN_NOTE),
    full(469, "readlinkat", names::readlinkat),
    full(470, "symlinkat", names::symlinkat),
    full(471, "unlinkat", names::unlinkat),
    part(478, "___lwp_park60", lwp::lwp_park, "a relative timeout's remainder is not written back to `ts` (NetBSD 10 does; 9 and the 2015 sources do not)"),
];

pub fn lookup(nr: u64) -> Option<&'static Entry> {
    let nr = u32::try_from(nr).ok()?;
    TABLE.binary_search_by_key(&nr, |e| e.nr).ok().map(|i| &TABLE[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_sorted_and_unique() {
        assert!(TABLE.windows(2).all(|w| w[0].nr < w[1].nr));
    }

    #[test]
    fn every_entry_is_found_by_its_number() {
        for e in TABLE {
            assert_eq!(lookup(u64::from(e.nr)).map(|f| f.name), Some(e.name));
        }
        assert!(lookup(2000).is_none());
        assert!(lookup(u64::MAX).is_none());
        assert!(lookup(1 << 32 | 4).is_none(), "the number is the whole register");
    }
}
