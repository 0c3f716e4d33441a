//! A sleeping lock: a thread that finds it taken sleeps until it is free,
//! and the holder may itself sleep (wait for a user-space server) while
//! holding it. Unlike `SpinLock` it leaves interrupts on, so it must never
//! be taken from an interrupt handler.
//!
//! It is never taken while holding a `SpinLock`: its holder may sleep, so
//! a waiter would sleep with the spinlock held, stalling (on one CPU:
//! hanging) every other thread that wants it. `super::may_sleep` reports
//! any such attempt.
//!
//! A ranked mutex (`Mutex::ranked`) belongs to a class of the lock order
//! (`super::lock_order`), checked against the sleeping locks its thread
//! already holds; `Mutex::new` makes an unranked one.

use super::lock_order::Rank;
use crate::sched::WaitQueue;
use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU8, Ordering};

/// `Mutex::state`: free, held, or held with (possibly) a sleeper to wake.
const FREE: u8 = 0;
const HELD: u8 = 1;
const CONTENDED: u8 = 2;

pub struct Mutex<T: ?Sized> {
    /// FREE, HELD, or CONTENDED: a thread found it held and went (or is
    /// going) to sleep, so the release must wake the queue. An uncontended
    /// lock and release touch only this word, never the queue's lock.
    state: AtomicU8,
    /// The lock's class in the lock order (`Rank as u8`), 0: unranked.
    #[cfg_attr(not(feature = "lock-order"), allow(dead_code))]
    rank: u8,
    waiters: WaitQueue,
    value: UnsafeCell<T>,
}

// SAFETY: the lock gives one thread at a time access to `value`, so sharing
// it is sound whenever `T` may move between threads.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}
// SAFETY: as above; owning the lock owns the value.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}

pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
    /// The class bit this guard recorded as held by its thread
    /// (lock_order), 0: none.
    #[cfg(feature = "lock-order")]
    rank_bit: u64,
}

impl<T> Mutex<T> {
    /// An unranked lock: not checked by the lock order. For leaves that
    /// take no other sleeping lock under them (none is left unranked now:
    /// the in-kernel tests use it).
    #[cfg_attr(not(feature = "ktest"), allow(dead_code))]
    pub const fn new(value: T) -> Self {
        Mutex { state: AtomicU8::new(FREE), rank: 0, waiters: WaitQueue::new(), value: UnsafeCell::new(value) }
    }

    /// A lock of class `rank` in the lock order (`super::lock_order`): a
    /// sleeping-lock class.
    pub const fn ranked(rank: Rank, value: T) -> Self {
        Mutex { state: AtomicU8::new(FREE), rank: rank as u8, waiters: WaitQueue::new(), value: UnsafeCell::new(value) }
    }
}

impl<T: ?Sized> Mutex<T> {
    fn try_take(&self) -> bool {
        self.state.compare_exchange(FREE, HELD, Ordering::Acquire, Ordering::Relaxed).is_ok()
    }

    /// Takes the lock, or marks it contended so that its release wakes the
    /// queue. Runs under the queue's lock (`wait_until`'s check), so the
    /// release's wake, which takes that lock, cannot fall between this
    /// mark and the sleep. Taking it this way leaves it CONTENDED: the
    /// release then wakes the queue once more than needed, never less.
    fn take_or_mark(&self) -> bool {
        self.state.swap(CONTENDED, Ordering::Acquire) == FREE
    }

    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.lock_checked(false)
    }

    /// Takes a lock of the class of one this thread already holds: only
    /// where the two are always taken in one fixed order, which the caller
    /// documents. Still checked against every other class.
    #[cfg_attr(not(feature = "lock-order"), allow(dead_code))]
    pub fn lock_nested(&self) -> MutexGuard<'_, T> {
        self.lock_checked(true)
    }

    fn lock_checked(&self, nested: bool) -> MutexGuard<'_, T> {
        super::may_sleep("taking a sleeping lock");
        // Checked before waiting, so an inversion that deadlocks is still
        // reported.
        #[cfg(feature = "lock-order")]
        let rank_bit = super::lock_order::acquire_sleeping(self.rank, nested);
        #[cfg(not(feature = "lock-order"))]
        let _ = nested;
        // The uncontended case needs no scheduler (the lock is used during
        // boot, before there is one).
        if !self.try_take() {
            // Not interruptible and no deadline: wait_until returns only
            // once `try_take` succeeded.
            let _ = self.waiters.wait_until(false, None, || self.take_or_mark());
        }
        MutexGuard {
            lock: self,
            #[cfg(feature = "lock-order")]
            rank_bit,
        }
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while its thread holds the lock.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard exists only while its thread holds the lock, and
        // `&mut self` makes this the only live reference through it.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // A sleeper marks the lock CONTENDED under the queue's lock before it
        // sleeps, and wake_all takes that lock: a release that sees HELD had
        // no sleeper to miss, one that sees CONTENDED wakes them all (each
        // tries again, and the losers mark it CONTENDED again).
        if self.lock.state.swap(FREE, Ordering::Release) == CONTENDED {
            self.lock.waiters.wake_all();
        }
        #[cfg(feature = "lock-order")]
        super::lock_order::release_sleeping(self.rank_bit);
    }
}
