//! A spinlock that also masks interrupts on this CPU while held, so an
//! interrupt handler can never spin on a lock its own CPU already holds.
//!
//! Each CPU counts the spinlocks it holds, so code that is about to sleep
//! can check that it holds none (`super::may_sleep`): sleeping with one
//! held stalls every other thread that wants it, and a sibling thread on
//! the same CPU spins on it forever with interrupts masked.

use super::lock_order::Rank;
use crate::arch::{cpu, percpu};
use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicBool, Ordering};

/// The count lives in the per-CPU block (arch): only this CPU changes it,
/// and only with interrupts masked (a lock has just masked them, or is
/// about to unmask them), so one plain add is enough.
fn count_held(delta: i32) {
    percpu::add_spinlocks_held(delta);
}

/// How many spinlocks this CPU holds now.
pub fn held() -> u32 {
    percpu::spinlocks_held()
}

pub struct SpinLock<T: ?Sized> {
    locked: AtomicBool,
    /// The lock's class in the lock order (`Rank as u8`), 0: unranked.
    #[cfg_attr(not(feature = "lock-order"), allow(dead_code))]
    rank: u8,
    value: UnsafeCell<T>,
}

// SAFETY: the lock gives at most one CPU access to `value` at a time, so
// sharing the lock between CPUs is sound whenever `T` may move between them.
unsafe impl<T: ?Sized + Send> Sync for SpinLock<T> {}
// SAFETY: as above; owning the lock owns the value.
unsafe impl<T: ?Sized + Send> Send for SpinLock<T> {}

pub struct SpinLockGuard<'a, T: ?Sized> {
    lock: &'a SpinLock<T>,
    interrupts_were_enabled: bool,
    /// The class bit this guard recorded as held (lock_order), 0: none.
    #[cfg(feature = "lock-order")]
    rank_bit: u64,
}

impl<T> SpinLock<T> {
    /// An unranked lock: not checked by the lock order.
    pub const fn new(value: T) -> Self {
        SpinLock { locked: AtomicBool::new(false), rank: 0, value: UnsafeCell::new(value) }
    }

    /// A lock of class `rank` in the lock order (`super::lock_order`).
    pub const fn ranked(rank: Rank, value: T) -> Self {
        SpinLock { locked: AtomicBool::new(false), rank: rank as u8, value: UnsafeCell::new(value) }
    }
}

impl<T: ?Sized> SpinLock<T> {
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        self.lock_checked(false)
    }

    /// Takes a lock of the class of one this CPU already holds: only where
    /// the two are always taken in one fixed order (by address, by index),
    /// which the caller documents. Still checked against every other class.
    #[cfg_attr(not(feature = "lock-order"), allow(dead_code))]
    pub fn lock_nested(&self) -> SpinLockGuard<'_, T> {
        self.lock_checked(true)
    }

    #[inline]
    fn lock_checked(&self, nested: bool) -> SpinLockGuard<'_, T> {
        let interrupts_were_enabled = cpu::interrupts_enabled();
        cpu::disable_interrupts();
        // Checked before waiting, so an inversion that deadlocks is still
        // reported.
        #[cfg(feature = "lock-order")]
        let rank_bit = super::lock_order::acquire(self.rank, nested);
        #[cfg(not(feature = "lock-order"))]
        let _ = nested;
        while self.locked.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
            while self.locked.load(Ordering::Relaxed) {
                // Interrupts are masked: the holder may be waiting for this
                // CPU to flush its TLB (arch tlb.rs), so answer here.
                crate::arch::tlb::answer_requests();
                core::hint::spin_loop();
            }
        }
        count_held(1);
        SpinLockGuard {
            lock: self,
            interrupts_were_enabled,
            #[cfg(feature = "lock-order")]
            rank_bit,
        }
    }

    #[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
    /// Takes the lock only if it is free right now.
    pub fn try_lock(&self) -> Option<SpinLockGuard<'_, T>> {
        let interrupts_were_enabled = cpu::interrupts_enabled();
        cpu::disable_interrupts();
        if self.locked.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            count_held(1);
            Some(SpinLockGuard {
                lock: self,
                interrupts_were_enabled,
                #[cfg(feature = "lock-order")]
                rank_bit: super::lock_order::note_taken(self.rank),
            })
        } else {
            if interrupts_were_enabled {
                cpu::enable_interrupts();
            }
            None
        }
    }

    /// Exclusive access without locking: `&mut self` proves no one else holds it.
    pub fn get_mut(&mut self) -> &mut T {
        self.value.get_mut()
    }

    #[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::Relaxed)
    }
}

impl<T: ?Sized> Deref for SpinLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while this CPU holds the lock.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T: ?Sized> DerefMut for SpinLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard exists only while this CPU holds the lock, and
        // `&mut self` makes this the only live reference through it.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T: ?Sized> Drop for SpinLockGuard<'_, T> {
    fn drop(&mut self) {
        #[cfg(feature = "lock-order")]
        super::lock_order::release(self.rank_bit);
        count_held(-1);
        self.lock.locked.store(false, Ordering::Release);
        if self.interrupts_were_enabled {
            cpu::enable_interrupts();
        }
    }
}

impl<T: Default> Default for SpinLock<T> {
    fn default() -> Self {
        SpinLock::new(T::default())
    }
}
