//! Locks and one-time initialisation.

use super::TestResult;
use crate::check;
use crate::sync::{Once, SpinLock};

pub fn spinlock_and_once() -> TestResult {
    let lock = SpinLock::new(5u32);
    {
        let mut g = lock.lock();
        *g += 1;
        check!(lock.is_locked());
        check!(lock.try_lock().is_none(), "try_lock succeeded on a held lock");
        check!(!crate::arch::cpu::interrupts_enabled(), "interrupts on while a spinlock is held");
    }
    check!(crate::arch::cpu::interrupts_enabled(), "interrupts not restored after unlock");
    check!(*lock.lock() == 6);
    let once: Once<u32> = Once::new();
    check!(once.get().is_none());
    check!(*once.call_once(|| 7) == 7);
    check!(*once.call_once(|| 8) == 7, "Once ran twice");
    Ok(())
}
