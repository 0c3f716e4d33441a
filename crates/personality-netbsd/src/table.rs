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

/// Sorted by number.
pub static TABLE: &[Entry] = &[
    full(1, "exit", exit::exit),
    full(3, "read", io::read),
    full(4, "write", io::write),
    full(6, "close", io::close),
    keep(full(20, "getpid", ids::getpid)),
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
