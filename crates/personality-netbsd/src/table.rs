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

#[allow(dead_code)]
const fn part(nr: u32, name: &'static str, handler: Handler, note: &'static str) -> Entry {
    Entry { nr, name, handler, status: Status::Partial(note), keeps_registers: false }
}

const fn keep(e: Entry) -> Entry {
    Entry { keeps_registers: true, ..e }
}

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
    full(33, "access", access::access),
    full(37, "kill", process::kill),
    full(41, "dup", descriptors::dup),
    part(54, "ioctl", ioctl::ioctl, "FIOCLEX, FIONCLEX, FIONBIO, FIONREAD, TIOCGETA, TIOCSETA/W/F, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP; FIOASYNC, FIOSETOWN, FIOGETOWN, FIONWRITE, FIONSPACE, TIOCSCTTY and TIOCNOTTY are ENOTTY with one log line, every other request ENOTTY; termios: VDSUSP, VSTATUS, ONOEOT, ALTWERASE, NOKERNINFO, CDTRCTS and MDMBUF read as off and are dropped when set, and a speed outside B0..B921600 is EINVAL"),
    full(57, "symlink", names::symlink),
    full(58, "readlink", names::readlink),
    keep(full(59, "execve", process::execve)),
    full(60, "umask", access::umask),
    keep(full(66, "vfork", process::vfork)),
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
    full(199, "lseek", file_io::lseek),
    full(201, "ftruncate", file_io::ftruncate),
    part(202, "__sysctl", sysctl::sysctl, "the nodes of sys/sysctl/tree.rs only (kern.ostype, osrelease, osrevision, version, argmax, hostname, ngroups, domainname, iov_max, urandom, arandom, boottime; hw.machine, ncpu, physmem, pagesize, machine_arch, physmem64, ncpuonline), all others ENOENT; CTL_QUERY lists them (with the kernel pointers of struct sysctlnode 0); CTL_DESCRIBE, CTL_CREATE, CTL_CREATESYM, CTL_DESTROY and CTL_MMAP are EOPNOTSUPP with one log line"),
    full(207, "getpgid", groups::getpgid),
    keep(full(282, "__vfork14", process::vfork14)),
    full(286, "getsid", groups::getsid),
    full(296, "__getcwd", names::getcwd),
    full(390, "__getdents30", dirent::getdents),
    full(418, "__gettimeofday50", timeofday::gettimeofday),
    part(439, "__stat50", stat::stat, STAT_NOTE),
    part(440, "__fstat50", stat::fstat, STAT_NOTE),
    part(441, "__lstat50", stat::lstat, STAT_NOTE),
    full(445, "__getrusage50", resources::getrusage),
    part(449, "__wait450", wait::wait4, "WALTSIG without WALLSIG finds no child (ECHILD): every child of a NetBSD process here ends with SIGCHLD"),
    part(453, "pipe2", descriptors::pipe2, "O_NOSIGPIPE is EOPNOTSUPP"),
    full(454, "dup3", descriptors::dup3),
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
