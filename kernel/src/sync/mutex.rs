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
use core::sync::atomic::{AtomicBool, Ordering};

pub struct Mutex<T: ?Sized> {
    locked: AtomicBool,
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
        Mutex { locked: AtomicBool::new(false), waiters: WaitQueue::new(), value: UnsafeCell::new(value) }
    }
}

impl<T: ?Sized> Mutex<T> {
    fn try_take(&self) -> bool {
        self.locked.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok()
    }

    pub fn lock(&self) -> MutexGuard<'_, T> {
        super::may_sleep("taking a sleeping lock");
        // The uncontended case needs no scheduler (the lock is used during
        // boot, before there is one).
        if !self.try_take() {
            // Not interruptible and no deadline: wait_until returns only
            // once `try_take` succeeded.
            let _ = self.waiters.wait_until(false, None, || self.try_take());
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
        self.lock.locked.store(false, Ordering::Release);
        // wake_all takes the queue's lock, which `wait_until` holds while it
        // checks and goes to sleep: no waiter can miss this release.
        self.lock.waiters.wake_all();
    }
}
