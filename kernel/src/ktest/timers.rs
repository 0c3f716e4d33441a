//! The timer queues and the clock event: many wake-ups with different
//! deadlines, registered while the interrupt runs, each served once, at or
//! after its deadline and not long after; cancelled ones never served;
//! tracked objects expired at their deadlines, moved when armed again.
//!
//! The sleepers are stand-in threads (no stack, never run): the test
//! watches their state go from Blocked to Runnable, which is all a wake-up
//! does, and marks them Dead so that the scheduler drops them unrun. A
//! woken one sits in a real run queue, where no CPU can claim it (it is
//! marked as on a CPU, as an idle thread is) and every CPU that looks at it
//! puts it back: so each is marked Dead as soon as it is seen woken, and
//! all of them when the test ends, however it ends (`Sleepers`' drop), or
//! the other CPUs would go on passing it round for the rest of the boot.

use super::TestResult;
use crate::check;
use crate::sched::{self, Expiring};
use crate::sync::SpinLock;
use crate::task::thread::{Thread, ThreadState};
use crate::time;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Later than this after its deadline, a wake-up counts as lost: the
/// clock event should come at the deadline, and the tick (10 ms) catches
/// anything it missed; the slack is for a busy host under TCG.
const LOST_NS: u64 = 60_000_000;

struct Sleeper {
    thread: Arc<Thread>,
    deadline: u64,
    cancelled: bool,
    woken_seen: Option<u64>,
}

/// A small deterministic generator (the test must not depend on entropy).
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn sleeper(deadline: u64, cancelled: bool) -> Sleeper {
    let thread = Thread::new_idle();
    thread.set_state(ThreadState::Blocked);
    Sleeper { thread, deadline, cancelled, woken_seen: None }
}

/// Looks at every sleeper after an interrupt: a wake-up seen before its
/// deadline, or of a cancelled one, fails.
fn observe(sleepers: &mut [Sleeper]) -> TestResult {
    static LAST: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);
    let now = time::now_ns();
    let last = LAST.swap(now, core::sync::atomic::Ordering::Relaxed);
    check!(now >= last, "the clock went back {} ns between two looks", last - now);
    for (i, s) in sleepers.iter_mut().enumerate() {
        if s.woken_seen.is_none() && s.thread.state() == ThreadState::Runnable {
            // The clock read after the wake-up was seen, not before the
            // loop: another CPU may serve it while this one looks at the
            // others, and the earlier reading would call it early.
            let now = time::now_ns();
            check!(!s.cancelled, "sleeper {i}: woken though its wake-up was cancelled");
            check!(now >= s.deadline, "sleeper {i}: woken {} ns before its deadline", s.deadline - now);
            s.woken_seen = Some(now);
            s.thread.set_state(ThreadState::Dead);
        }
    }
    Ok(())
}

/// The test's sleepers, every one marked Dead when dropped.
struct Sleepers(Vec<Sleeper>);

impl Drop for Sleepers {
    fn drop(&mut self) {
        for s in &self.0 {
            s.thread.set_state(ThreadState::Dead);
        }
    }
}

impl core::ops::Deref for Sleepers {
    type Target = Vec<Sleeper>;
    fn deref(&self) -> &Vec<Sleeper> {
        &self.0
    }
}

impl core::ops::DerefMut for Sleepers {
    fn deref_mut(&mut self) -> &mut Vec<Sleeper> {
        &mut self.0
    }
}

pub fn many_sleepers_wake_on_time() -> TestResult {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let start = time::now_ns();
    let mut sleepers = Sleepers(Vec::new());
    // A first batch at once, in no order: deadlines 0-20 ms ahead, some
    // already passed (the timer armed for "now"), every fifth cancelled.
    for i in 0..96 {
        let ahead = next(&mut seed) % 20_000_000;
        let cancelled = i % 5 == 4;
        // A cancelled one well ahead: the interrupt may serve any other
        // between its registration and its cancelling.
        let deadline = match () {
            _ if cancelled => time::now_ns() + 5_000_000 + ahead,
            _ if i % 16 == 0 => start.saturating_sub(1),
            _ => start + ahead,
        };
        let s = sleeper(deadline, cancelled);
        let id = sched::wake_at(deadline, &s.thread);
        if s.cancelled {
            sched::cancel_wake(id);
        }
        sleepers.push(s);
    }
    // A second batch one at a time between interrupts, so that additions
    // meet the interrupt's own re-arming: short deadlines, some earlier
    // than anything queued.
    let mut added = 0;
    let mut last_deadline = sleepers.iter().map(|s| s.deadline).max().unwrap_or(start);
    loop {
        if added < 64 {
            let now = time::now_ns();
            let deadline = now + next(&mut seed) % 3_000_000;
            let s = sleeper(deadline, false);
            let _ = sched::wake_at(deadline, &s.thread);
            last_deadline = last_deadline.max(deadline);
            sleepers.push(s);
            added += 1;
        }
        crate::arch::cpu::wait_for_interrupt();
        observe(&mut sleepers)?;
        let waiting = sleepers.iter().filter(|s| !s.cancelled && s.woken_seen.is_none()).count();
        if waiting == 0 && added == 64 {
            break;
        }
        if time::now_ns() > last_deadline + LOST_NS {
            let lost = sleepers.iter().filter(|s| !s.cancelled && s.woken_seen.is_none()).count();
            check!(false, "{lost} wake-up(s) lost: not served {} ms after their deadline", LOST_NS / 1_000_000);
        }
    }
    // Cancelled ones stay asleep past their deadlines.
    let until = last_deadline + 20_000_000;
    while time::now_ns() < until {
        crate::arch::cpu::wait_for_interrupt();
        observe(&mut sleepers)?;
    }
    let mut worst = 0;
    for (i, s) in sleepers.iter().enumerate() {
        if let Some(seen) = s.woken_seen {
            let late = seen.saturating_sub(s.deadline.max(start));
            check!(late < LOST_NS, "sleeper {i}: woken {late} ns after its deadline");
            worst = worst.max(late);
        }
    }
    println!("ktest: {} wake-ups served, the latest {} us after its deadline", sleepers.len(), worst / 1000);
    Ok(())
}

/// A tracked object like a timer descriptor: a deadline, an optional
/// period, and what the interrupt did to it.
struct Alarm {
    state: SpinLock<AlarmState>,
}

#[derive(Default)]
struct AlarmState {
    deadline: u64,
    period: u64,
    expirations: u64,
    early: bool,
}

impl Alarm {
    fn new(deadline: u64, period: u64) -> Arc<Alarm> {
        Arc::new(Alarm { state: SpinLock::new(AlarmState { deadline, period, ..AlarmState::default() }) })
    }

    fn arm(self: &Arc<Self>, deadline: u64) {
        self.state.lock().deadline = deadline;
        let object: Arc<dyn Expiring> = self.clone();
        sched::track(Arc::downgrade(&object));
    }

    fn expirations(&self) -> (u64, bool) {
        let s = self.state.lock();
        (s.expirations, s.early)
    }
}

impl Expiring for Alarm {
    fn next_deadline(&self) -> Option<u64> {
        let d = self.state.lock().deadline;
        (d != 0).then_some(d)
    }

    fn expire(self: Arc<Self>, now: u64) {
        let mut s = self.state.lock();
        if s.deadline == 0 || now < s.deadline {
            s.early = true;
            return;
        }
        if s.period == 0 {
            s.expirations += 1;
            s.deadline = 0;
        } else {
            let periods = (now - s.deadline) / s.period + 1;
            s.expirations += periods;
            s.deadline += periods * s.period;
        }
    }
}

pub fn tracked_objects_expire_on_time() -> TestResult {
    let start = time::now_ns();
    let periodic = Alarm::new(0, 2_000_000);
    periodic.arm(start + 2_000_000);
    // Armed far ahead, then again nearer: the entry moves (one expiry).
    let moved = Alarm::new(0, 0);
    moved.arm(start + 10_000_000_000);
    moved.arm(start + 5_000_000);
    // Armed, then dropped: its entry must just go away.
    let dropped = Alarm::new(0, 0);
    dropped.arm(start + 3_000_000);
    drop(dropped);
    // Many one-shots at once, in reverse order of deadline.
    let shots: Vec<Arc<Alarm>> = (0..50u64)
        .map(|i| {
            let a = Alarm::new(0, 0);
            a.arm(start + 1_000_000 + (50 - i) * 300_000);
            a
        })
        .collect();
    let end = start + 21_000_000;
    while time::now_ns() < end {
        crate::arch::cpu::wait_for_interrupt();
    }
    let (n, early) = periodic.expirations();
    let now = time::now_ns();
    check!(!early, "the periodic object was expired before its deadline");
    // Periods due by now (2, 4, ... ms): no more than that, and no fewer
    // than were due a tick (plus TCG's jitter) ago.
    let due_by = |t: u64| t.saturating_sub(start) / 2_000_000;
    let (most, least) = (due_by(now), due_by(now.saturating_sub(15_000_000)));
    check!((least..=most).contains(&n), "the periodic object expired {n} times; {least}..={most} were due");
    let (n, early) = moved.expirations();
    check!(!early && n == 1, "the re-armed object expired {n} times (early: {early}), not once");
    for (i, a) in shots.iter().enumerate() {
        let (n, early) = a.expirations();
        check!(!early && n == 1, "one-shot {i} expired {n} times (early: {early}), not once");
    }
    periodic.state.lock().deadline = 0;
    Ok(())
}
