//! The FreeBSD amd64 system-call table: number, name, handler and status,
//! numbered as sys/kern/syscalls.master numbers them.
//!
//! This table is the single source of truth for the FreeBSD personality:
//! dispatch goes through it (and docs/freebsd-syscalls.md is to be
//! generated from it, as docs/linux-syscalls.md is from Linux's).

use crate::arch::sysarch;
use crate::sys::*;
use kernel_ops::{KResult, KernelOps};

pub type Handler = fn(&mut dyn KernelOps, [u64; 6]) -> KResult<u64>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Implemented as FreeBSD documents it.
    Complete,
    /// Implemented for the common cases; the note says what is missing.
    Partial(&'static str),
}

pub struct Entry {
    pub nr: u32,
    pub name: &'static str,
    pub handler: Handler,
    pub status: Status,
    /// On success the handler has set every register itself (sigreturn,
    /// execve): the result must not be written over them.
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

const KQUEUE_NOTE: &str = "the queue is inherited by the child of fork, where FreeBSD's child has none";

const KEVENT_NOTE: &str = "EVFILT_READ and EVFILT_WRITE on pipes, sockets, terminals and other pollable descriptors, with EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_ONESHOT, EV_CLEAR and EV_RECEIPT; a returned event's data is 0 (not the byte count) and its flags carry only EV_EOF; EVFILT_TIMER, EVFILT_SIGNAL, EVFILT_USER, EVFILT_PROC, EVFILT_VNODE, regular files and EV_DISPATCH are EINVAL with one log line; a watch ends with the open file's last close, not with each close of its descriptor";

/// open and openat: what is not done of FreeBSD's flags.
const OPEN_NOTE: &str = "O_ASYNC, O_RESOLVE_BENEATH and O_EMPTY_PATH with an empty path are EOPNOTSUPP; O_SYNC/O_FSYNC/O_DSYNC are accepted but writes are not forced to storage one by one; O_EXEC/O_SEARCH opens for neither reading nor writing (no execute-only open); O_DIRECT, O_TTY_INIT and O_VERIFY change nothing";

const CPUSET_NOTE: &str = "CPU_LEVEL_WHICH for a thread or process (CPU_LEVEL_ROOT and CPU_LEVEL_CPUSET read the whole machine, one set); other kinds of id (cpusets, IRQs, jails, domains) are EINVAL; at most 64 CPUs";

/// Sorted by number.
pub static TABLE: &[Entry] = &[
    full(1, "exit", process::exit),
    full(2, "fork", process::fork),
    full(3, "read", io::read),
    full(4, "write", io::write),
    part(5, "open", open::open, OPEN_NOTE),
    full(6, "close", io::close),
    part(7, "wait4",
        wait::wait4,
        "WLINUXCLONE (wait only for Linux-emulation clones) is accepted and ignored; WTRAPPED is implied, as on FreeBSD"),
    full(9, "link", names::link),
    full(10, "unlink", names::unlink),
    full(12, "chdir", names::chdir),
    full(13, "fchdir", names::fchdir),
    full(15, "chmod", access::chmod),
    full(20, "getpid", ids::getpid),
    full(24, "getuid", ids::getuid),
    full(25, "geteuid", ids::geteuid),
    full(33, "access", access::access),
    part(37, "kill", process::kill, "the signal numbers without a core twin (34..=64, 127, 128, and real-time ones past SIGRTMIN+30) are EINVAL"),
    full(39, "getppid", ids::getppid),
    full(41, "dup", descriptors::dup),
    full(43, "getegid", ids::getegid),
    full(47, "getgid", ids::getgid),
    full(53, "sigaltstack", signal::sigaltstack),
    part(54, "ioctl", ioctl::ioctl, "FIOCLEX, FIONCLEX, FIONBIO, FIONREAD, TIOCGETA, TIOCSETA/W/F, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP; every other request is ENOTTY; termios: VERASE2, VDSUSP, VSTATUS, ONOEOT, ALTWERASE, NOKERNINFO and the modem flow flags other than CRTSCTS read as off and are dropped when set, and a speed outside B0..B921600 is EINVAL"),
    full(57, "symlink", names::symlink),
    full(58, "readlink", names::readlink),
    keep(full(59, "execve", process::execve)),
    full(60, "umask", access::umask),
    full(66, "vfork", process::vfork),
    full(73, "munmap", memory::munmap),
    full(74, "mprotect", memory::mprotect),
    part(
        75,
        "madvise",
        memory::madvise,
        "advice is checked and accepted without effect: FreeBSD's advice never changes a mapping's contents",
    ),
    full(81, "getpgrp", ids::getpgrp),
    full(82, "setpgid", ids::setpgid),
    full(90, "dup2", descriptors::dup2),
    part(92, "fcntl", descriptors::fcntl, "F_DUPFD, F_DUPFD_CLOEXEC, F_DUP2FD, F_DUP2FD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK, F_SETLKW, F_ISUNIONSTACK; F_GETOWN, F_SETOWN, F_OGETLK/F_OSETLK/F_OSETLKW, F_SETLK_REMOTE, F_READAHEAD, F_RDAHEAD, F_ADD_SEALS, F_GET_SEALS and F_KINFO are EINVAL; F_SETFL with O_ASYNC is EOPNOTSUPP, and O_FSYNC/O_DSYNC/O_DIRECT are accepted without effect and not reported by F_GETFL"),
    full(95, "fsync", io::fsync),
    full(116, "gettimeofday", time::gettimeofday),
    full(117, "getrusage", resources::getrusage),
    full(120, "readv", io::readv),
    full(121, "writev", io::writev),
    full(124, "fchmod", access::fchmod),
    full(128, "rename", names::rename),
    full(131, "flock", locks::flock),
    full(136, "mkdir", names::mkdir),
    full(137, "rmdir", names::rmdir),
    full(147, "setsid", ids::setsid),
    part(
        165,
        "sysarch",
        sysarch::sysarch,
        "AMD64_GET_FSBASE and AMD64_SET_FSBASE; the GS base, PKRU and extended FPU state ops are EINVAL",
    ),
    part(194, "getrlimit", resources::getrlimit, "RLIMIT_SBSIZE, NPTS, SWAP, KQUEUES, UMTXP and PIPEBUF are not kept by the core and read as RLIM_INFINITY"),
    part(195, "setrlimit", resources::setrlimit, "RLIMIT_SBSIZE, NPTS, SWAP, KQUEUES, UMTXP and PIPEBUF are not kept: only infinity/infinity is accepted, anything else is EINVAL"),
    part(202, "__sysctl", sysctl::sysctl, "the nodes of sys/sysctl/tree.rs only (kern.ostype, osrelease, osrevision, version, argmax, hostname, proc.pathname, ngroups, boottime, nisdomainname, osreldate, maxfilesperproc, iov_max, arandom, smp.maxcpus, smp.cpus; hw.machine, ncpu, physmem, pagesize, machine_arch); kern.usrstack, kern.ps_strings and all others are ENOENT; of CTL_SYSCTL only name, next and name2oid"),
    full(207, "getpgid", ids::getpgid),
    full(232, "clock_gettime", time::clock_gettime),
    full(240, "nanosleep", time::nanosleep),
    part(
        253,
        "issetugid",
        ids::issetugid,
        "true while the real and effective ids differ; FreeBSD also stays tainted after a set-id exec or an id change",
    ),
    full(310, "getsid", ids::getsid),
    full(326, "__getcwd", names::getcwd),
    full(331, "sched_yield", thread::sched_yield),
    full(340, "sigprocmask", signal::sigprocmask),
    full(341, "sigsuspend", signal::sigsuspend),
    full(343, "sigpending", signal::sigpending),
    part(362, "kqueue", kqueue::kqueue, KQUEUE_NOTE),
    part(363, "freebsd11_kevent", kqueue::freebsd11_kevent, KEVENT_NOTE),
    part(
        416,
        "sigaction",
        signal::sigaction,
        "SIGTHR and SIGLIBRT take the core's default action for their numbers (terminate) where FreeBSD ignores them; real-time signals above 95 cannot be caught",
    ),
    keep(part(
        417,
        "sigreturn",
        signal::sigreturn,
        "the legacy 512-byte floating-point image only: a context with extended FPU state (_MC_HASFPXSTATE) is EINVAL",
    )),
    full(431, "thr_exit", thread::thr_exit),
    full(432, "thr_self", ids::thr_self),
    full(433, "thr_kill", signal::thr_kill),
    part(
        454,
        "_umtx_op",
        thread::umtx_op,
        "WAIT, WAIT_UINT, WAIT_UINT_PRIVATE, WAKE and WAKE_PRIVATE; the mutex, condition variable, rwlock and semaphore operations are EINVAL",
    ),
    part(455, "thr_new", thread::thr_new, "THR_SUSPENDED and the rtprio argument are not supported"),
    full(475, "pread", io::pread),
    full(476, "pwrite", io::pwrite),
    part(477, "mmap", memory::mmap, "MAP_ALIGNED is met only as far as page alignment; MAP_NOCORE, MAP_NOSYNC and MAP_HASSEMAPHORE are accepted without effect"),
    full(478, "lseek", io::lseek),
    full(480, "ftruncate", io::ftruncate),
    full(481, "thr_kill2", signal::thr_kill2),
    part(487, "cpuset_getaffinity", thread::cpuset_getaffinity, CPUSET_NOTE),
    part(488, "cpuset_setaffinity", thread::cpuset_setaffinity, CPUSET_NOTE),
    part(489, "faccessat", access::faccessat, "AT_RESOLVE_BENEATH is EOPNOTSUPP"),
    part(490, "fchmodat", access::fchmodat, "AT_RESOLVE_BENEATH is EOPNOTSUPP"),
    part(495, "linkat", names::linkat, "AT_EMPTY_PATH with an empty path (linking an open file) and AT_RESOLVE_BENEATH are EOPNOTSUPP"),
    full(496, "mkdirat", names::mkdirat),
    part(499, "openat", open::openat, OPEN_NOTE),
    full(500, "readlinkat", names::readlinkat),
    full(501, "renameat", names::renameat),
    full(502, "symlinkat", names::symlinkat),
    part(503, "unlinkat", names::unlinkat, "AT_RESOLVE_BENEATH is EOPNOTSUPP"),
    part(
        532,
        "wait6",
        wait::wait6,
        "P_PID, P_PGID and P_ALL; the children's share of wrusage is zero (the core reports one usage per child)",
    ),
    full(542, "pipe2", descriptors::pipe2),
    full(551, "fstat", stat::fstat),
    part(552, "fstatat", stat::fstatat, "AT_RESOLVE_BENEATH is EOPNOTSUPP; st_birthtim is {-1, 0} (no file system here records it), st_flags and st_gen are 0"),
    full(554, "getdirentries", dirent::getdirentries),
    part(560, "kevent", kqueue::kevent, KEVENT_NOTE),
    full(563, "getrandom", random::getrandom),
    part(570, "__sysctlbyname", sysctl::sysctlbyname, "the nodes __sysctl knows"),
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
        assert!(lookup(8).is_none(), "8 (old creat) is not served");
        assert!(lookup(u64::MAX).is_none());
        assert!(lookup(1 << 32 | 4).is_none(), "the number is the whole register");
    }
}
