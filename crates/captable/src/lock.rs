//! How a [`CapSpace`](crate::CapSpace) locks, supplied by its user: the
//! kernel's ranked spinlocks, or `std` locks in the host tests. The crate
//! itself stays `#![forbid(unsafe_code)]` and knows no CPU.
//!
//! A space has one lock for the derivation tree and one per table
//! ([`LockClass`]). Lookups take only their table's lock. Changes take the
//! tree lock, then table locks; two tables at once only in ascending
//! index order, the second with [`lock_nested`](Locking::lock_nested).

use core::ops::DerefMut;

/// Which of a space's locks is being made, so a user with ranked locks
/// can give each its rank: the tree lock is always taken before a table
/// lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockClass {
    /// The space-wide lock: the derivation tree and the list of free
    /// table ids.
    Tree,
    /// One table's slots: one lock per directory entry, which holds one
    /// table at a time (a destroyed table's index is reused, under a new
    /// generation).
    Table,
}

/// Locks and set-once cells for a [`CapSpace`](crate::CapSpace).
pub trait Locking: 'static {
    /// A lock holding a `T`.
    type Lock<T>;
    /// Access to the value while the lock is held; dropping it unlocks.
    type Guard<'a, T: 'a>: DerefMut<Target = T>;
    /// A cell written at most once, then read without a lock.
    type Once<T>;

    fn new_lock<T>(class: LockClass, value: T) -> Self::Lock<T>;

    /// Waits until the lock is free and takes it. Not reentrant.
    fn lock<T>(lock: &Self::Lock<T>) -> Self::Guard<'_, T>;

    /// Takes a second lock of a class the caller already holds one of; the
    /// space does it only for two table locks, lower table index first.
    fn lock_nested<T>(lock: &Self::Lock<T>) -> Self::Guard<'_, T>;

    fn new_once<T>() -> Self::Once<T>;

    /// The value, once set.
    fn once_get<T>(once: &Self::Once<T>) -> Option<&T>;

    /// Sets the value if it is not set yet (the space calls this only with
    /// its tree lock held, so never twice at once), and returns it.
    fn once_set<T>(once: &Self::Once<T>, value: T) -> &T;
}
