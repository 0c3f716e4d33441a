//! Simulated allocation failure: `arm(k)` makes the k-th (from 0) vector
//! growth after it report `NoMemory`, so the tests can check that a failed
//! call leaves everything as it was.

use core::cell::Cell;

std::thread_local! {
    static COUNTDOWN: Cell<Option<u32>> = const { Cell::new(None) };
    static FIRED: Cell<bool> = const { Cell::new(false) };
}

pub(crate) fn arm(k: u32) {
    COUNTDOWN.with(|c| c.set(Some(k)));
    FIRED.with(|f| f.set(false));
}

/// Disarms; whether a failure was injected since `arm`.
pub(crate) fn disarm() -> bool {
    COUNTDOWN.with(|c| c.set(None));
    FIRED.with(|f| f.replace(false))
}

/// Called by every growth: whether this one fails.
pub(crate) fn hit() -> bool {
    COUNTDOWN.with(|c| match c.get() {
        Some(0) => {
            c.set(None);
            FIRED.with(|f| f.set(true));
            true
        }
        Some(k) => {
            c.set(Some(k - 1));
            false
        }
        None => false,
    })
}
