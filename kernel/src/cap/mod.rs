//! Capabilities: every kernel object a task may use, reached through its
//! capability table.
//!
//! The tables and the derivation tree are `crates/captable` (host-tested
//! logic); this module says what the objects are (`KObject`) and keeps the
//! one capability space of the machine, locked with the kernel's ranked
//! spinlocks (`CapLocks`). The derivation tree spans tables (a capability
//! sent over IPC is a child of the sender's), so revocation reaches every
//! copy wherever it went. Each table has its own lock (`Rank::CapTable`)
//! and a lookup (`lookup`, `lookup_any`, a descriptor's `FdTable::get`)
//! takes only that one, so CPUs reading different tables, or the same one,
//! never meet on a machine-wide lock. Changes (insert, derive, copy, move,
//! delete, revoke, fork's clone, destroy) take the space-wide tree lock
//! (`Rank::CapSpace`) first, then the tables they touch: one at a time, or
//! two for a move between tables, lower index first. Changes to tables
//! therefore still meet on the tree lock.
//!
//! Both personalities stand on it: a native task's slots and a Linux
//! process's file descriptors are slots of the same kind of table (see
//! `fs/fd_table.rs`).

mod object;

pub use object::{KObject, MemoryObject};

use crate::sync::{Once, Rank, SpinLock, SpinLockGuard};
use abi::{CapType, Error, Rights};
use alloc::vec::Vec;
use captable::{CapSpace, LockClass, Locking, Placement, TableId};

/// The kernel's locks for the capability space: ranked spinlocks, the tree
/// lock `CapSpace`, each table's `CapTable` (a rank above it).
#[derive(Debug)]
pub struct CapLocks;

impl Locking for CapLocks {
    type Lock<T> = SpinLock<T>;
    type Guard<'a, T: 'a> = SpinLockGuard<'a, T>;
    type Once<T> = Once<T>;

    fn new_lock<T>(class: LockClass, value: T) -> SpinLock<T> {
        let rank = match class {
            LockClass::Tree => Rank::CapSpace,
            LockClass::Table => Rank::CapTable,
        };
        SpinLock::ranked(rank, value)
    }

    fn lock<T>(lock: &SpinLock<T>) -> SpinLockGuard<'_, T> {
        lock.lock()
    }

    fn lock_nested<T>(lock: &SpinLock<T>) -> SpinLockGuard<'_, T> {
        lock.lock_nested()
    }

    fn new_once<T>() -> Once<T> {
        Once::new()
    }

    fn once_get<T>(once: &Once<T>) -> Option<&T> {
        once.get()
    }

    fn once_set<T>(once: &Once<T>, value: T) -> &T {
        once.call_once(|| value)
    }
}

/// The machine's capability space.
pub type Space = CapSpace<KObject, CapLocks>;

static SPACE: Once<Space> = Once::new();

/// The capability space (made, empty, on first use). Its methods take the
/// locks they need; objects they hand back (delete, revoke, destroy) must
/// be dropped by the caller, which holds none of them then: their
/// destructors may wake threads or take other locks (`drop_outside`).
#[inline]
pub fn space() -> &'static Space {
    // A load, not `call_once`'s compare-exchange: every lookup on every
    // CPU comes here, and a write to one shared line would be the very
    // contention the per-table locks remove.
    match SPACE.get() {
        Some(space) => space,
        None => SPACE.call_once(Space::new),
    }
}

/// Runs `f` on the capability space. No lock is held across `f`: each
/// call on the space takes its own (see the module comment).
pub fn with_space<R>(f: impl FnOnce(&Space) -> R) -> R {
    f(space())
}

/// Drops objects taken out of the space once its lock is released.
pub fn drop_outside(objects: Vec<KObject>) {
    drop(objects);
}

/// The object in `slot` with its rights and badge (only the table's lock
/// is taken), if it has the type and
/// rights asked for (errors in the ABI's order: slot, type, rights).
pub fn lookup(table: TableId, slot: u64, ty: CapType, needed: Rights) -> Result<(KObject, Rights, u64), Error> {
    space().get_typed(table, slot, ty, needed).map(|c| (c.object, c.rights, c.badge))
}

/// Any capability in `slot`, whatever its type.
pub fn lookup_any(table: TableId, slot: u64) -> Result<(KObject, Rights, u64), Error> {
    space().get(table, slot).map(|c| (c.object, c.rights, c.badge))
}

/// Puts a new object into the lowest free slot.
pub fn insert(table: TableId, object: KObject, rights: Rights) -> Result<u64, Error> {
    with_space(|s| s.insert_root(table, Placement::Lowest { min: 0 }, object, rights, 0)).map(u64::from)
}

pub fn create_table(limit: u32) -> Result<TableId, Error> {
    with_space(|s| s.create_table(limit))
}

/// Deletes every capability in a table and the table itself.
pub fn destroy_table(table: TableId) {
    let objects = with_space(|s| s.destroy_table(table));
    drop_outside(objects);
}
