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
}

const fn full(nr: u32, name: &'static str, handler: Handler) -> Entry {
    Entry { nr, name, handler, status: Status::Complete }
}

const fn part(nr: u32, name: &'static str, handler: Handler, note: &'static str) -> Entry {
    Entry { nr, name, handler, status: Status::Partial(note) }
}

/// Sorted by number.
pub static TABLE: &[Entry] = &[
    full(1, "exit", process::exit),
    full(2, "fork", process::fork),
    full(3, "read", io::read),
    full(4, "write", io::write),
    full(6, "close", io::close),
    part(7, "wait4",
        wait::wait4,
        "WLINUXCLONE (wait only for Linux-emulation clones) is accepted and ignored; WTRAPPED is implied, as on FreeBSD"),
    full(20, "getpid", ids::getpid),
    full(24, "getuid", ids::getuid),
    full(25, "geteuid", ids::geteuid),
    part(37, "kill", process::kill, "the signal numbers without a core twin (34..=64, 127, 128, and real-time ones past SIGRTMIN+30) are EINVAL"),
    full(39, "getppid", ids::getppid),
    full(43, "getegid", ids::getegid),
    full(47, "getgid", ids::getgid),
    full(53, "sigaltstack", signal::sigaltstack),
    full(59, "execve", process::execve),
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
    full(116, "gettimeofday", time::gettimeofday),
    full(117, "getrusage", resources::getrusage),
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
    full(340, "sigprocmask", signal::sigprocmask),
    part(416, "sigaction", signal::sigaction, "handlers are kept and reported; running one needs the signal frame, not yet built"),
    full(431, "thr_exit", thread::thr_exit),
    full(432, "thr_self", ids::thr_self),
    part(
        454,
        "_umtx_op",
        thread::umtx_op,
        "WAIT, WAIT_UINT, WAIT_UINT_PRIVATE, WAKE and WAKE_PRIVATE; the mutex, condition variable, rwlock and semaphore operations are EINVAL",
    ),
    part(455, "thr_new", thread::thr_new, "THR_SUSPENDED and the rtprio argument are not supported"),
    part(477, "mmap", memory::mmap, "MAP_ALIGNED is met only as far as page alignment; MAP_NOCORE, MAP_NOSYNC and MAP_HASSEMAPHORE are accepted without effect"),
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
        assert!(lookup(1 << 32 | 4).is_none(), "the number is the whole of rax");
    }
}
