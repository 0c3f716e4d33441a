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

/// Sorted by number.
pub static TABLE: &[Entry] = &[
    full(1, "exit", exit::exit),
    full(3, "read", io::read),
    full(4, "write", io::write),
    full(6, "close", io::close),
    keep(full(20, "getpid", ids::getpid)),
    keep(full(24, "getuid", ids::getuid)),
    full(25, "geteuid", ids::geteuid),
    full(39, "getppid", ids::getppid),
    full(43, "getegid", ids::getegid),
    keep(full(47, "getgid", ids::getgid)),
    full(73, "munmap", memory::munmap),
    part(74, "mprotect", memory::mprotect, "PaX's PROT_MPROTECT bits are accepted and not kept"),
    part(75, "madvise", memory::madvise, "advice is checked and accepted without effect: NetBSD's advice never changes what a program may rely on a mapping holding"),
    part(197, "mmap", memory::mmap, "MAP_ALIGNED above a page is EINVAL with one log line; MAP_STACK, MAP_NORESERVE, MAP_INHERIT, MAP_HASSEMAPHORE, MAP_TRYFIXED and MAP_WIRED are accepted without effect; PaX's PROT_MPROTECT bits are not kept"),
    part(281, "__sigaltstack14", signal::sigaltstack, "changing the stack while running on it (other than disabling it, which NetBSD refuses too) is EINVAL with one log line"),
    full(292, "__sigpending14", signal::sigpending),
    full(293, "__sigprocmask14", signal::sigprocmask),
    full(294, "__sigsuspend14", signal::sigsuspend),
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
    full(418, "__gettimeofday50", time::gettimeofday),
    full(427, "__clock_gettime50", time::clock_gettime),
    full(429, "__clock_getres50", time::clock_getres),
    full(430, "__nanosleep50", time::nanosleep),
    part(435, "__kevent50", kqueue::kevent, KEVENT_NOTE),
    part(453, "pipe2", pipe2::pipe2, "O_CLOEXEC and O_NONBLOCK; O_NOSIGPIPE is EINVAL with one log line (a minimal pipe2 for Go's network poller)"),
    part(455, "kqueue1", kqueue::kqueue1, KQUEUE_NOTE),
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
