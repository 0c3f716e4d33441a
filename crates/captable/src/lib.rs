//! Capability tables and the derivation tree that links them, without the
//! kernel.
//!
//! A [`CapSpace`] holds every table of the system ([`TableId`]) and one tree
//! across all of them: each capability made from another one (by
//! [`derive`](CapSpace::derive), [`copy`](CapSpace::copy) or
//! [`clone_table`](CapSpace::clone_table)) is its child, wherever it lives.
//! [`revoke`](CapSpace::revoke) removes a capability's whole subtree, in
//! every table, leaving tombstones that fail with `Revoked` until their
//! owners delete them; [`delete`](CapSpace::delete) removes one capability
//! and hands its children to its parent. What a capability names is the
//! caller's type, through [`CapObject`].
//!
//! Locked as its user says ([`Locking`]): one lock for the tree, one per
//! table. A table's slots hold the capabilities themselves, so a lookup
//! takes only its table's lock; every change takes the tree lock, then the
//! tables it touches (one at a time; a move between two tables holds both,
//! lower index first). Tables are found without a lock: their directory is
//! a set of chunks made once and never moved or freed.
//!
//! Built to run inside the kernel, under those locks:
//! - no input makes it panic, and no walk recurses (a derivation chain may
//!   be as long as user space likes);
//! - storage grows only through `try_reserve`, so running out of memory is
//!   `Error::NoMemory`, and every operation checks and reserves before it
//!   changes anything, so a failed call leaves the space unchanged;
//! - objects leaving the space are returned, never dropped here, so the
//!   caller can drop them after releasing its lock.
//!   [`destroy_table`](CapSpace::destroy_table), which a dying task needs,
//!   cannot fail: each table keeps room to return all its objects.
//!
//! Costs, with `n` live capabilities in the space and `s` the stored size
//! of a table (its highest non-empty slot + 1, not its limit):
//!
//! | operation | time |
//! |---|---|
//! | `get`, `get_typed`, `limit`, `set_limit`, `live_count`, `node_count`, `create_table` | O(1) |
//! | `insert_root`, `derive`, `copy`, `copy_unchecked`, `move_cap` | O(1) amortized with `Exactly`; plus O(s/64) with `Lowest` |
//! | `first_free` | O(s/64) |
//! | `delete` | O(children of the capability) |
//! | `revoke` | O(descendants) |
//! | `destroy_table` | O(s + children of its capabilities) |
//! | `clone_table`, `iter` | O(s) |
//!
//! Memory: a table's storage is one slot (the object, rights, badge and a
//! node id) per stored slot plus a bit, and keeps its high-water mark (it
//! is trimmed, never shrunk); each capability is also one arena node (its
//! place in the tree) plus room for one object in its table's reserve.
//! The table directory grows by chunks of 16, 32, 64... entries, never
//! freed.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

extern crate alloc;
#[cfg(test)]
extern crate std;

mod cap;
mod lock;
mod node;
mod object;
mod placement;
mod reserve;
mod space;
mod table;
mod tables;
mod tree;

#[cfg(test)]
mod tests;

pub use cap::Cap;
pub use lock::{LockClass, Locking};
pub use object::CapObject;
pub use placement::Placement;
pub use space::CapSpace;
pub use tables::TableId;
