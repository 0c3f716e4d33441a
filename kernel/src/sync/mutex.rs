//! A sleeping lock: a thread that finds it taken sleeps until it is free,
//! and the holder may itself sleep (wait for a user-space server) while
//! holding it. Unlike `SpinLock` it leaves interrupts on, so it must never
//! be taken from an interrupt handler.
//!
//! It is never taken while holding a `SpinLock`: its holder may sleep, so
//! a waiter would sleep with the spinlock held, stalling (on one CPU:
//! hanging) every other thread that wants it. `super::may_sleep` reports
//! any such attempt.

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
}

impl<T> Mutex<T> {
    pub const fn new(value: T) -> Self {
        Mutex { state: AtomicU8::new(FREE), waiters: WaitQueue::new(), value: UnsafeCell::new(value) }
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
        super::may_sleep("taking a sleeping lock");
        // The uncontended case needs no scheduler (the lock is used during
        // boot, before there is one).
        if !self.try_take() {
            // Not interruptible and no deadline: wait_until returns only
            // once `try_take` succeeded.
            let _ = self.waiters.wait_until(false, None, || self.take_or_mark());
        }
        MutexGuard { lock: self }
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
    }
}
