//! `Locking` for the host tests: `std` locks, plus a per-thread check of
//! the space's lock order (the tree lock before any table lock, never two
//! table locks but through `lock_nested`), so the tests catch a change
//! that breaks it as the kernel's `lock-order` build would.

use core::cell::RefCell;
use core::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread_local;
use std::vec::Vec;

use crate::{CapSpace, LockClass, Locking};

#[derive(Debug)]
pub(crate) struct TestLocks;

pub(crate) type Space<O> = CapSpace<O, TestLocks>;

pub(crate) struct Lock<T> {
    class: LockClass,
    inner: Mutex<T>,
}

pub(crate) struct Guard<'a, T> {
    class: LockClass,
    inner: MutexGuard<'a, T>,
}

thread_local! {
    static HELD: RefCell<Vec<LockClass>> = const { RefCell::new(Vec::new()) };
}

fn take<T>(lock: &Lock<T>, nested: bool) -> Guard<'_, T> {
    HELD.with(|held| {
        let mut held = held.borrow_mut();
        let tables = held.iter().filter(|c| **c == LockClass::Table).count();
        match lock.class {
            LockClass::Tree => assert!(held.is_empty(), "tree lock taken under {held:?}"),
            // The space nests two at most; `inspect` (tests only) takes all.
            LockClass::Table if nested => assert!(tables >= 1, "lock_nested with no table lock held"),
            LockClass::Table => assert_eq!(tables, 0, "a second table lock taken without lock_nested"),
        }
        held.push(lock.class);
    });
    Guard { class: lock.class, inner: lock.inner.lock().unwrap_or_else(PoisonError::into_inner) }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        HELD.with(|held| {
            let mut held = held.borrow_mut();
            // Innermost first, as the kernel's spinlocks want.
            assert_eq!(held.pop(), Some(self.class), "locks released out of order");
        });
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl Locking for TestLocks {
    type Lock<T> = Lock<T>;
    type Guard<'a, T: 'a> = Guard<'a, T>;
    type Once<T> = OnceLock<T>;

    fn new_lock<T>(class: LockClass, value: T) -> Lock<T> {
        Lock { class, inner: Mutex::new(value) }
    }

    fn lock<T>(lock: &Lock<T>) -> Guard<'_, T> {
        take(lock, false)
    }

    fn lock_nested<T>(lock: &Lock<T>) -> Guard<'_, T> {
        take(lock, true)
    }

    fn new_once<T>() -> OnceLock<T> {
        OnceLock::new()
    }

    fn once_get<T>(once: &OnceLock<T>) -> Option<&T> {
        once.get()
    }

    fn once_set<T>(once: &OnceLock<T>, value: T) -> &T {
        once.get_or_init(|| value)
    }
}
