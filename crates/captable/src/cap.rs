//! One live capability as a lookup reports it.

use abi::Rights;

/// What a slot holds: the object, the rights and the badge. A lookup
/// ([`get`](crate::CapSpace::get)) returns a `Cap<O>` holding a clone of
/// the object, since the table's lock is released before it returns;
/// [`with_cap`](crate::CapSpace::with_cap) and
/// [`for_each`](crate::CapSpace::for_each) lend a `Cap<&O>` while the lock
/// is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cap<O> {
    pub object: O,
    pub rights: Rights,
    pub badge: u64,
}
