//! Synchronisation primitives. This module is one of the kernel's few
//! documented `unsafe` sites outside `arch/`: a lock hands out `&mut T` from
//! shared state, which the type system cannot check by itself.

mod mutex;
mod once;
mod spinlock;

pub use mutex::Mutex;
pub use once::Once;
pub use spinlock::{SpinLock, SpinLockGuard};
