//! Capabilities: every kernel object a task may use, reached through its
//! capability table.
//!
//! The tables and the derivation tree are `crates/captable` (host-tested
//! logic); this module says what the objects are (`KObject`) and keeps the
//! one capability space of the machine behind a lock. The derivation tree
//! spans tables (a capability sent over IPC is a child of the sender's), so
//! revocation reaches every copy wherever it went. One lock for the whole
//! space is the simple choice on one CPU; SMP will need a finer one.
//!
//! Both personalities stand on it: a native task's slots and a Linux
//! process's file descriptors are slots of the same kind of table (see
//! `fs/fd_table.rs`).

mod object;

pub use object::{KObject, MemoryObject};

use crate::sync::SpinLock;
use abi::{CapType, Error, Rights};
use alloc::vec::Vec;
use captable::{CapSpace, Placement, TableId};

static SPACE: SpinLock<CapSpace<KObject>> = SpinLock::ranked(crate::sync::Rank::CapSpace, CapSpace::new());

/// Runs `f` with the capability space locked. Objects removed from tables
/// must be dropped after the lock is released (their destructors may wake
/// threads or take other locks): use `drop_outside`.
pub fn with_space<R>(f: impl FnOnce(&mut CapSpace<KObject>) -> R) -> R {
    f(&mut SPACE.lock())
}

/// Drops objects taken out of the space once its lock is released.
pub fn drop_outside(objects: Vec<KObject>) {
    drop(objects);
}

/// The object in `slot` with its rights and badge, if it has the type and
/// rights asked for (errors in the ABI's order: slot, type, rights).
pub fn lookup(table: TableId, slot: u64, ty: CapType, needed: Rights) -> Result<(KObject, Rights, u64), Error> {
    with_space(|s| s.get_typed(table, slot, ty, needed).map(|c| (c.object.clone(), c.rights, c.badge)))
}

/// Any capability in `slot`, whatever its type.
pub fn lookup_any(table: TableId, slot: u64) -> Result<(KObject, Rights, u64), Error> {
    with_space(|s| s.get(table, slot).map(|c| (c.object.clone(), c.rights, c.badge)))
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
