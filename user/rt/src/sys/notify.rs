//! Notifications: a word of bits for asynchronous signals.

use super::{check, unit, Error, Syscall};
use crate::syscall::{syscall0, syscall2};

/// Creates a notification. Returns its slot (all rights).
pub fn notification_create() -> Result<u64, Error> {
    check(syscall0(Syscall::NotificationCreate.nr()))
}

/// ORs `bits` (and the capability's badge) into the word and wakes a waiter.
pub fn notify_signal(ntfn: u64, bits: u64) -> Result<(), Error> {
    unit(syscall2(Syscall::NotifySignal.nr(), ntfn, bits))
}

/// Waits up to `timeout` ns for a bit; returns the bits, which are cleared.
pub fn notify_wait(ntfn: u64, timeout: u64) -> Result<u64, Error> {
    check(syscall2(Syscall::NotifyWait.nr(), ntfn, timeout))
}
