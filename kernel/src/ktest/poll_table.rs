//! Poll tables (sched/poll_table.rs): a waiter on several queues wakes
//! when any of them is woken, and only the waiters on that queue do; a
//! wake that comes before the sleep is not lost; the registrations end
//! with the wait.

use super::kthread::{self, all_in};
use super::TestResult;
use crate::check;
use crate::sched::{self, PollQueue};
use crate::task::thread::ThreadState;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Three waiters: on A, on B, on both. Waking A wakes the first and the
/// third (each looks once more); the second sleeps on. Once every waiter
/// has returned, no queue holds an entry.
pub fn wakes_only_the_waiters_of_the_queue() -> TestResult {
    let p = kthread::process()?;
    let (a, b) = (Arc::new(PollQueue::new()), Arc::new(PollQueue::new()));
    let done = Arc::new(AtomicBool::new(false));
    let checks: Arc<[AtomicUsize; 3]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0)]);
    let mut threads = Vec::new();
    for i in 0..3 {
        let (a, b, done, checks) = (a.clone(), b.clone(), done.clone(), checks.clone());
        threads.push(kthread::spawn(&p, move || {
            let _ = sched::poll_wait_for(false, None, |table| {
                if i != 1 {
                    table.register(&a);
                }
                if i != 0 {
                    table.register(&b);
                }
                checks[i].fetch_add(1, Ordering::SeqCst);
                done.load(Ordering::SeqCst).then_some(())
            });
        })?);
    }
    let looks = |i: usize| checks[i].load(Ordering::SeqCst);
    check!(kthread::run_until(1_000_000_000, || all_in(&threads, ThreadState::Blocked)), "the waiters did not block");
    check!(a.registered() == 2 && b.registered() == 2, "registered: A {}, B {}", a.registered(), b.registered());
    a.wake();
    check!(kthread::run_until(1_000_000_000, || looks(0) == 2 && looks(2) == 2), "A's waiters did not look again");
    kthread::run_until(10_000_000, || false);
    check!(looks(1) == 1, "B's waiter looked {} times: woken by A", looks(1));
    check!(all_in(&threads, ThreadState::Blocked), "a waiter did not go back to sleep");
    // Registering again on every look does not add entries.
    check!(
        a.registered() == 2 && b.registered() == 2,
        "after looking again: A {}, B {}",
        a.registered(),
        b.registered()
    );
    done.store(true, Ordering::SeqCst);
    b.wake();
    check!(kthread::run_until(1_000_000_000, || looks(1) == 2), "B's waiter did not wake");
    check!(looks(0) == 2, "A-only waiter woken by B");
    a.wake();
    kthread::join(&threads)?;
    check!(a.registered() == 0 && b.registered() == 0, "left: A {}, B {}", a.registered(), b.registered());
    Ok(())
}

/// A wake between the registration and the sleep (here: inside the
/// check itself) makes the sleep return at once.
pub fn wake_before_sleep_is_kept() -> TestResult {
    let p = kthread::process()?;
    let q = Arc::new(PollQueue::new());
    let looks = Arc::new(AtomicUsize::new(0));
    let (q2, looks2) = (q.clone(), looks.clone());
    let t = kthread::spawn(&p, move || {
        let _ = sched::poll_wait_for(false, None, |table| {
            table.register(&q2);
            let n = looks2.fetch_add(1, Ordering::SeqCst);
            if n == 0 {
                q2.wake(); // as another CPU would, just after the look
            }
            (n >= 1).then_some(())
        });
    })?;
    check!(kthread::run_until(1_000_000_000, || looks.load(Ordering::SeqCst) >= 2), "the early wake was lost");
    kthread::join(&[t])?;
    check!(q.registered() == 0, "{} entries left", q.registered());
    Ok(())
}

/// A hook that counts its wakes and says whether it "woke a waiter".
struct CountingHook {
    exclusive: bool,
    has_waiter: AtomicBool,
    wakes: AtomicUsize,
}

impl sched::PollHook for CountingHook {
    fn wake(&self) -> bool {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.has_waiter.load(Ordering::SeqCst)
    }
    fn exclusive(&self) -> bool {
        self.exclusive
    }
}

/// Exclusive hooks (EPOLLEXCLUSIVE) are woken in order until one woke a
/// waiter; the others are all woken every time; a hook's table leaves the
/// queue when dropped.
pub fn exclusive_hooks_wake_one() -> TestResult {
    let q = PollQueue::new();
    let hook = |exclusive: bool, has_waiter: bool| {
        Arc::new(CountingHook { exclusive, has_waiter: AtomicBool::new(has_waiter), wakes: AtomicUsize::new(0) })
    };
    // Exclusive: the first has no waiter, the second and third have one.
    let (x1, x2, x3, plain) = (hook(true, false), hook(true, true), hook(true, true), hook(false, false));
    let mut tables = Vec::new();
    for h in [&x1, &x2, &x3, &plain] {
        let mut t = sched::PollTable::with_hook(h.clone());
        t.register(&q);
        t.register(&q); // once only
        tables.push(t);
    }
    check!(q.registered() == 4, "registered {}", q.registered());
    let wakes = |h: &Arc<CountingHook>| h.wakes.load(Ordering::SeqCst);
    check!(q.wake(), "the wake woke nobody");
    check!(
        wakes(&x1) == 1 && wakes(&x2) == 1 && wakes(&x3) == 0 && wakes(&plain) == 1,
        "wakes: {} {} {} plain {}",
        wakes(&x1),
        wakes(&x2),
        wakes(&x3),
        wakes(&plain)
    );
    // No exclusive hook has a waiter: all of them are tried.
    x2.has_waiter.store(false, Ordering::SeqCst);
    x3.has_waiter.store(false, Ordering::SeqCst);
    check!(!q.wake(), "a wake with no waiter said it woke one");
    check!(wakes(&x1) == 2 && wakes(&x2) == 2 && wakes(&x3) == 1 && wakes(&plain) == 2, "not every hook was tried");
    drop(tables);
    check!(q.registered() == 0, "{} entries left", q.registered());
    Ok(())
}
