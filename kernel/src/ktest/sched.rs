//! The scheduler: round-robin among runnable threads, wait queues, sleeps
//! and wait deadlines, with real threads switching on the boot CPU.

use super::kthread::{self, all_in};
use super::TestResult;
use crate::check;
use crate::sched::{self, WaitError, WaitQueue};
use crate::sync::SpinLock;
use crate::task::thread::ThreadState;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Four threads that each record their turn and yield, five times: every
/// one runs to the end, and the single FIFO run queue makes their turns
/// strict rotation (a yield puts the thread behind every other runnable
/// one; the kernel does not preempt itself, so nothing else reorders them).
pub fn yield_rotates_round_robin() -> TestResult {
    const THREADS: usize = 4;
    const ROUNDS: usize = 5;
    let p = kthread::process()?;
    let turns: Arc<SpinLock<Vec<usize>>> = Arc::new(SpinLock::new(Vec::new()));
    let mut threads = Vec::new();
    for i in 0..THREADS {
        let turns = turns.clone();
        threads.push(kthread::spawn(&p, move || {
            for _ in 0..ROUNDS {
                turns.lock().push(i);
                sched::yield_now();
            }
        })?);
    }
    kthread::join(&threads)?;
    let turns = turns.lock().clone();
    check!(turns.len() == THREADS * ROUNDS, "{} turns taken, {} expected: {turns:?}", turns.len(), THREADS * ROUNDS);
    let expected: Vec<usize> = (0..THREADS * ROUNDS).map(|n| n % THREADS).collect();
    check!(turns == expected, "turns {turns:?} are not a rotation");
    Ok(())
}

/// `wait_until` sleeps until its condition holds: `wake_all` wakes every
/// waiter, one whose condition is still false goes back to sleep (so a
/// spurious wake is harmless), and once the condition holds the next
/// `wake_all` lets them all return Ok.
pub fn wait_queue_wake_all_rechecks() -> TestResult {
    const WAITERS: usize = 3;
    let p = kthread::process()?;
    let queue = Arc::new(WaitQueue::new());
    let ready = Arc::new(AtomicBool::new(false));
    let checks = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for _ in 0..WAITERS {
        let (queue, ready, checks, finished) = (queue.clone(), ready.clone(), checks.clone(), finished.clone());
        threads.push(kthread::spawn(&p, move || {
            let r = queue.wait_until(false, None, || {
                checks.fetch_add(1, Ordering::Relaxed);
                ready.load(Ordering::Relaxed)
            });
            if r.is_ok() && ready.load(Ordering::Relaxed) {
                finished.fetch_add(1, Ordering::Relaxed);
            }
        })?);
    }
    check!(kthread::run_until(1_000_000_000, || all_in(&threads, ThreadState::Blocked)), "the waiters did not block");
    check!(checks.load(Ordering::Relaxed) == WAITERS, "{} checks before sleeping", checks.load(Ordering::Relaxed));

    // A wake with the condition still false: each waiter looks once more
    // and sleeps again.
    queue.wake_all();
    check!(kthread::run_until(1_000_000_000, || checks.load(Ordering::Relaxed) == 2 * WAITERS));
    kthread::run_until(10_000_000, || false);
    check!(all_in(&threads, ThreadState::Blocked), "a waiter did not go back to sleep");
    check!(finished.load(Ordering::Relaxed) == 0, "a waiter returned with its condition false");
    check!(
        checks.load(Ordering::Relaxed) == 2 * WAITERS,
        "{} checks, one per wake expected",
        checks.load(Ordering::Relaxed)
    );

    // Setting the condition alone wakes no one: wakers must call wake_all.
    ready.store(true, Ordering::Relaxed);
    kthread::run_until(10_000_000, || false);
    check!(all_in(&threads, ThreadState::Blocked), "a waiter woke without a wake");
    queue.wake_all();
    kthread::join(&threads)?;
    check!(
        finished.load(Ordering::Relaxed) == WAITERS,
        "{} of {WAITERS} waiters saw the condition",
        finished.load(Ordering::Relaxed)
    );
    Ok(())
}

/// `sleep_until` blocks the thread (it is seen Blocked before the
/// deadline) and returns Ok at the deadline, not before.
pub fn sleep_until_honours_deadline() -> TestResult {
    const SLEEP_NS: u64 = 20_000_000;
    let p = kthread::process()?;
    let deadline = crate::time::now_ns() + SLEEP_NS;
    let woke = Arc::new(SpinLock::new(None));
    let out = woke.clone();
    let t = kthread::spawn(&p, move || {
        let r = sched::sleep_until(deadline);
        *out.lock() = Some((r, crate::time::now_ns()));
    })?;
    check!(kthread::run_until(SLEEP_NS, || t.state() == ThreadState::Blocked), "the sleeper did not block");
    let seen_blocked_at = crate::time::now_ns();
    check!(seen_blocked_at < deadline, "blocked only at {seen_blocked_at}, after the deadline {deadline}");
    check!(woke.lock().is_none(), "the sleeper woke early");
    kthread::join(&[t])?;
    let Some((result, at)) = *woke.lock() else { return Err("the sleeper recorded nothing".into()) };
    check!(result == Ok(()), "sleep_until gave {result:?}");
    check!(at >= deadline, "woke at {at}, {} ns before the deadline", deadline - at);
    check!(at < deadline + 1_000_000_000, "woke {} ns after the deadline", at - deadline);
    Ok(())
}

/// A wait with a deadline whose condition never holds ends with TimedOut
/// once the deadline has passed; one without a deadline stays asleep.
pub fn wait_deadline_times_out() -> TestResult {
    const WAIT_NS: u64 = 15_000_000;
    let p = kthread::process()?;
    let queue = Arc::new(WaitQueue::new());
    let result = Arc::new(SpinLock::new(None));
    let (q, out) = (queue.clone(), result.clone());
    let deadline = crate::time::now_ns() + WAIT_NS;
    let timed = kthread::spawn(&p, move || {
        let r = q.wait_until(true, Some(deadline), || false);
        *out.lock() = Some((r, crate::time::now_ns()));
    })?;
    let (release, returned_ok) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    let (q, go, ok) = (queue.clone(), release.clone(), returned_ok.clone());
    let forever = kthread::spawn(&p, move || {
        let r = q.wait_until(false, None, || go.load(Ordering::Relaxed));
        ok.store(r.is_ok(), Ordering::Relaxed);
    })?;
    kthread::join(core::slice::from_ref(&timed))?;
    let Some((r, at)) = *result.lock() else { return Err("the timed waiter recorded nothing".into()) };
    check!(r == Err(WaitError::TimedOut), "the timed wait gave {r:?}");
    check!(at >= deadline, "timed out at {at}, before the deadline {deadline}");
    check!(forever.state() == ThreadState::Blocked, "the waiter without a deadline is {:?}", forever.state());
    check!(!returned_ok.load(Ordering::Relaxed));
    release.store(true, Ordering::Relaxed);
    queue.wake_all();
    kthread::join(&[forever])?;
    check!(returned_ok.load(Ordering::Relaxed), "the waiter without a deadline did not return Ok");
    Ok(())
}

/// A thread that dies is freed, its kernel stack with it, once the last
/// outside reference goes: its final switch away leaves no reference of
/// its own behind (one on its abandoned stack would never be given back,
/// and every exiting thread would leak its 36 KiB stack). Checked for a
/// thread that dies after blocking in IPC and being handed the CPU
/// directly, and for one that just ends.
pub fn dead_threads_are_freed() -> TestResult {
    let p = kthread::process()?;
    let endpoint = crate::ipc::Endpoint::new();
    let ep = endpoint.clone();
    let server = kthread::spawn(&p, move || {
        let me = sched::current();
        if ep.receive(&me, None, false).is_ok() {
            let right = me.ipc.lock().reply.take();
            if let Some(right) = right {
                let reply = crate::ipc::Message { info: abi::MsgInfo::new(1), words: [7, 0, 0, 0] };
                let _ = right.reply(&reply, crate::ipc::table_of(&me));
            }
        }
    })?;
    check!(kthread::run_until(1_000_000_000, || server.state() == ThreadState::Blocked), "the server did not wait");
    let ep = endpoint.clone();
    let client = kthread::spawn(&p, move || {
        let me = sched::current();
        let msg = crate::ipc::Message { info: abi::MsgInfo::new(1), words: [0; 4] };
        let _ = ep.send(&me, msg, 0, true);
    })?;
    let plain = kthread::spawn(&p, || {})?;
    let threads = [server, client, plain];
    kthread::join(&threads)?;
    let gone: Vec<alloc::sync::Weak<crate::task::thread::Thread>> = threads.iter().map(Arc::downgrade).collect();
    drop(threads);
    let freed = kthread::run_until(1_000_000_000, || gone.iter().all(|w| w.strong_count() == 0));
    let left: Vec<usize> = gone.iter().map(|w| w.strong_count()).collect();
    check!(freed, "dead threads still referenced: {left:?}");
    Ok(())
}
