//! Synchronisation primitives. This module is one of the kernel's few
//! documented `unsafe` sites outside `arch/`: a lock hands out `&mut T` from
//! shared state, which the type system cannot check by itself.

pub mod lock_order;
mod mutex;
mod once;
mod spinlock;

pub use lock_order::Rank;
pub use mutex::{Mutex, MutexGuard};
pub use once::Once;
pub use spinlock::{SpinLock, SpinLockGuard};

/// Reports (once per boot, loudly) a thread that is about to sleep, or to
/// take a sleeping lock, while its CPU holds a spinlock: the bug behind
/// whole-machine hangs, since a sibling thread then spins on that lock
/// forever with interrupts masked. The test harness fails any boot whose
/// log has a `BUG:` line.
pub fn may_sleep(what: &str) {
    use core::sync::atomic::{AtomicBool, Ordering};
    static REPORTED: AtomicBool = AtomicBool::new(false);
    let held = spinlock::held();
    if held > 0 && !REPORTED.swap(true, Ordering::Relaxed) {
        crate::error!("BUG: {what} while holding {held} spinlock(s)");
        crate::arch::backtrace::print_current();
    }
}

/// How many spinlocks this CPU holds (for the scheduler's check).
pub fn spinlocks_held() -> u32 {
    spinlock::held()
}
