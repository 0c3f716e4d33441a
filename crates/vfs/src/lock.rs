//! The locks the namespace and each file system are kept behind, supplied
//! by whoever uses the crate: the kernel gives its sleeping mutex (a file
//! system served from user space answers by IPC while its lock is held),
//! host tests give `std::sync::Mutex`. The crate itself has no way to block
//! and no `unsafe`, so it cannot make a lock of its own.

use core::ops::DerefMut;

/// A family of mutual-exclusion locks.
pub trait Locking: Send + Sync + 'static {
    /// A lock holding a `T`.
    type Lock<T: Send + 'static>: Send + Sync;
    /// Access to the value while the lock is held; dropping it unlocks.
    type Guard<'a, T: Send + 'static>: DerefMut<Target = T>;

    fn new_lock<T: Send + 'static>(value: T) -> Self::Lock<T>;

    /// Waits until the lock is free and takes it. Not reentrant: taking a
    /// lock the caller holds may never return.
    fn lock<T: Send + 'static>(lock: &Self::Lock<T>) -> Self::Guard<'_, T>;
}
