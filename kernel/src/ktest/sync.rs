//! Locks and one-time initialisation.

use super::TestResult;
use crate::check;
use crate::sync::{Mutex, Once, SpinLock};

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

/// The lock order's bookkeeping: a ranked lock's class is recorded while
/// it is held (by lock, lock_nested and try_lock alike) and given back at
/// unlock, in any order of release; an unranked lock records nothing. (A
/// lock taken out of order is `ktest.fault=lock-order`, a harness test: its
/// `BUG:` line fails the boot.)
pub fn lock_order_bookkeeping() -> TestResult {
    use crate::sync::lock_order::held_classes;
    use crate::sync::Rank;
    let bit = |r: Rank| 1u64 << r as u8;
    let before = held_classes();
    check!(before == 0, "classes held on entry: {before:#x}");
    let outer = SpinLock::ranked(Rank::Pipe, ());
    let inner = SpinLock::ranked(Rank::AddressSpace, ());
    let same = SpinLock::ranked(Rank::Pipe, ());
    let plain = SpinLock::new(());
    {
        let a = outer.lock();
        let _p = plain.lock();
        check!(held_classes() == bit(Rank::Pipe), "after one: {:#x}", held_classes());
        let n = same.lock_nested();
        let b = inner.lock();
        check!(held_classes() == bit(Rank::Pipe) | bit(Rank::AddressSpace), "after three: {:#x}", held_classes());
        drop(n); // the nested lock leaves the class to the outer one
        check!(held_classes() & bit(Rank::Pipe) != 0, "nested unlock cleared the outer lock's class");
        drop(a); // released out of order
        check!(held_classes() == bit(Rank::AddressSpace), "after out-of-order unlock: {:#x}", held_classes());
        drop(b);
    }
    check!(held_classes() == 0, "classes left held: {:#x}", held_classes());
    {
        let t = inner.try_lock();
        check!(t.is_some() && held_classes() == bit(Rank::AddressSpace), "try_lock: {:#x}", held_classes());
    }
    check!(held_classes() == 0, "try_lock left its class held: {:#x}", held_classes());
    // Every class has a distinct rank that fits the per-CPU mask.
    let mut seen = 0u64;
    for r in crate::sync::lock_order::all() {
        check!((1..64).contains(&(r as u8)) && seen & bit(r) == 0, "rank {} of {}", r as u8, r.name());
        seen |= bit(r);
    }
    Ok(())
}

/// The sleeping locks' bookkeeping: a ranked mutex's class is recorded in
/// its thread's mask (not the CPU's) while held, by lock and lock_nested,
/// and given back at unlock in any order; it stays recorded across a
/// sleep (after which the thread may run on another CPU); a ranked
/// spinlock under a mutex is in order (the boot would fail on its `BUG:`
/// line otherwise). (A mutex taken out of order is
/// `ktest.fault=mutex-order`, a harness test.)
pub fn sleeping_lock_order_follows_the_thread() -> TestResult {
    use alloc::sync::Arc;
    // In a thread of its own: the test runs on the idle thread, which may
    // not sleep.
    let p = super::kthread::process()?;
    let result = Arc::new(SpinLock::new(None));
    let out = result.clone();
    let t = super::kthread::spawn(&p, move || {
        let r = sleeping_bookkeeping();
        *out.lock() = Some(r);
    })?;
    super::kthread::join(&[t])?;
    check!(crate::sync::lock_order::held_sleeping_classes() == 0, "the test's thread's classes seen here");
    let r = result.lock().take();
    r.unwrap_or_else(|| Err("the thread recorded nothing".into()))
}

fn sleeping_bookkeeping() -> TestResult {
    use crate::sync::lock_order::{held_classes, held_sleeping_classes};
    use crate::sync::Rank;
    let bit = |r: Rank| 1u64 << r as u8;
    check!(held_sleeping_classes() == 0, "sleeping classes held on entry: {:#x}", held_sleeping_classes());
    let outer = Mutex::ranked(Rank::FileSystem, ());
    let same = Mutex::ranked(Rank::FileSystem, ());
    let inner = Mutex::ranked(Rank::FsTable, ());
    let plain = Mutex::new(());
    let spin = SpinLock::ranked(Rank::WaitQueue, ());
    {
        let a = outer.lock();
        let _p = plain.lock();
        check!(held_sleeping_classes() == bit(Rank::FileSystem), "after one: {:#x}", held_sleeping_classes());
        check!(held_classes() & bit(Rank::FileSystem) == 0, "a sleeping lock's class in the CPU's mask");
        let n = same.lock_nested();
        let b = inner.lock();
        let both = bit(Rank::FileSystem) | bit(Rank::FsTable);
        check!(held_sleeping_classes() == both, "after three: {:#x}", held_sleeping_classes());
        // Held across a sleep: the mask goes with the thread.
        let _ = crate::sched::sleep_until(crate::time::now_ns() + 1_000_000);
        check!(held_sleeping_classes() == both, "after a sleep: {:#x}", held_sleeping_classes());
        // The lowest spinlock class is above every sleeping class.
        {
            let _s = spin.lock();
            check!(held_classes() & bit(Rank::WaitQueue) != 0, "spinlock under a mutex not recorded");
        }
        drop(n); // the nested lock leaves the class to the outer one
        check!(held_sleeping_classes() & bit(Rank::FileSystem) != 0, "nested unlock cleared the outer lock's class");
        drop(a); // released out of order
        check!(
            held_sleeping_classes() == bit(Rank::FsTable),
            "after out-of-order unlock: {:#x}",
            held_sleeping_classes()
        );
        drop(b);
    }
    check!(held_sleeping_classes() == 0, "sleeping classes left held: {:#x}", held_sleeping_classes());
    // Every sleeping class comes before every spinlock class.
    check!(Rank::KeyStore < Rank::WaitQueue, "a sleeping class ranked above a spinlock class");
    Ok(())
}
