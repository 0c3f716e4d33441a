//! The locks the namespace and each file system are kept behind, supplied
//! by whoever uses the crate: the kernel gives its sleeping mutex (a file
//! system served from user space answers by IPC while its lock is held),
//! host tests give `std::sync::Mutex`. The crate itself has no way to block
//! and no `unsafe`, so it cannot make a lock of its own.

use core::ops::DerefMut;

/// Which of the namespace's locks is being made, so a user with ranked
/// locks can give each its rank. Outermost first: a file system's lock may
/// be held while the mount table's or the file-system table's is taken,
/// never the other way round (see the crate's notes on locks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockClass {
    /// One file system's own lock ([`crate::FsHandle::lock`]).
    FileSystem,
    /// The namespace lock: the current mount table.
    MountTable,
    /// The file-system table (`FsId` to handle), held only to copy out a
    /// handle or add one.
    FsTable,
}

/// A family of mutual-exclusion locks.
pub trait Locking: Send + Sync + 'static {
    /// A lock holding a `T`.
    type Lock<T: Send + 'static>: Send + Sync;
    /// Access to the value while the lock is held; dropping it unlocks.
    type Guard<'a, T: Send + 'static>: DerefMut<Target = T>;

    fn new_lock<T: Send + 'static>(class: LockClass, value: T) -> Self::Lock<T>;

    /// Waits until the lock is free and takes it. Not reentrant: taking a
    /// lock the caller holds may never return.
    fn lock<T: Send + 'static>(lock: &Self::Lock<T>) -> Self::Guard<'_, T>;

    /// Takes a second lock of a class the caller already holds one of,
    /// where the two are always taken in one documented order. A user
    /// that checks a lock order lets it pass; by default, `lock`.
    fn lock_nested<T: Send + 'static>(lock: &Self::Lock<T>) -> Self::Guard<'_, T> {
        Self::lock(lock)
    }
}
