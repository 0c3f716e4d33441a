//! The interval timers that count a process's CPU time (setitimer's
//! ITIMER_VIRTUAL: user time, SIGVTALRM; ITIMER_PROF: user and system
//! time, SIGPROF).
//!
//! A timer is kept as the CPU time at which it expires, on the clock it
//! counts (`usage::cpu_now`), so reading it back is a subtraction and
//! getitimer agrees with getrusage. CPU time only passes while one of the
//! process's threads runs, so the timers are checked at each scheduler
//! tick against the process of the thread the tick interrupted: a timer
//! fires up to one tick (10 ms) after its expiry, as on a Linux kernel
//! that accounts CPU time at ticks.

use super::process::Process;
use super::signal;
use super::thread::Thread;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel_ops::{IntervalTimer, Signal, SignalCause};

#[derive(Debug, Clone, Copy, Default)]
struct Timer {
    /// The CPU time (ns, on the timer's clock) at which it fires; 0 when
    /// disarmed.
    expires: u64,
    interval: u64,
}

/// A process's two CPU-time interval timers.
pub struct CpuTimers {
    /// [ITIMER_VIRTUAL, ITIMER_PROF].
    timers: SpinLock<[Timer; 2]>,
    /// Whether either is armed: the tick looks no further when not.
    armed: AtomicBool,
    /// Whether a POSIX timer on a CPU-time clock may be armed (they live
    /// with the process's other POSIX timers; this spares the tick a look).
    posix_armed: AtomicBool,
}

impl CpuTimers {
    pub const fn new() -> CpuTimers {
        CpuTimers {
            timers: SpinLock::new([Timer { expires: 0, interval: 0 }; 2]),
            armed: AtomicBool::new(false),
            posix_armed: AtomicBool::new(false),
        }
    }
}

/// A POSIX timer of `p` on a CPU-time clock was armed: the tick checks them.
pub fn posix_timer_armed(p: &Process) {
    p.cpu_timers.posix_armed.store(true, Ordering::Relaxed);
}

/// Fires `p`'s POSIX timers on CPU-time clocks that are due (the tick, for
/// the process of the thread it interrupted, `current`).
fn fire_posix(p: &Arc<Process>, current: &Arc<Thread>, process_now: u64) {
    let threads: alloc::vec::Vec<(u32, u64)> = p
        .threads
        .lock()
        .iter()
        .map(|t| {
            (
                t.tid,
                t.cpu_ns.load(Ordering::Relaxed)
                    + if Arc::ptr_eq(t, current) { crate::sched::current_slice_ns() } else { 0 },
            )
        })
        .collect();
    signal::fire_posix_timers(p, &|t| match t.clock {
        kernel_ops::Clock::ProcessCpu => Some(process_now),
        kernel_ops::Clock::ThreadCpu => threads.iter().find(|(tid, _)| *tid == t.cpu_thread).map(|x| x.1),
        _ => None,
    });
    let still = p.timers.lock().iter().flatten().any(|t| t.on_cpu_clock() && t.deadline != 0);
    p.cpu_timers.posix_armed.store(still, Ordering::Relaxed);
}

/// Which slot, and what its clock reads, given (user, system) CPU time.
fn slot(which: IntervalTimer, (user, system): (u64, u64)) -> (usize, u64) {
    match which {
        IntervalTimer::Virtual => (0, user),
        _ => (1, user + system),
    }
}

/// Time left until `expires` at `now` (0: disarmed; an expiry not yet
/// noticed by a tick still reads as armed, 1 ns).
fn left(expires: u64, now: u64) -> u64 {
    if expires == 0 {
        0
    } else {
        expires.saturating_sub(now).max(1)
    }
}

/// (time left, interval) of a CPU-time timer of `p`, whose thread
/// `current` is the one asking (it is running).
pub fn get(p: &Process, current: &Thread, which: IntervalTimer) -> (u64, u64) {
    let (i, now) = slot(which, super::usage::cpu_now(p, Some(current)));
    let t = p.cpu_timers.timers.lock()[i];
    (left(t.expires, now), t.interval)
}

/// Arms (value > 0) or disarms a CPU-time timer; returns the old (time
/// left, interval).
pub fn set(p: &Process, current: &Thread, which: IntervalTimer, value: u64, interval: u64) -> (u64, u64) {
    let (i, now) = slot(which, super::usage::cpu_now(p, Some(current)));
    let mut timers = p.cpu_timers.timers.lock();
    let old = timers[i];
    // CPU time is counted exactly (not in ticks), so the tick that first
    // sees it at or past the expiry fires it: never early, at most a tick
    // late, and getitimer reads back what was set, as on Linux. The
    // interval is kept even when disarming, as Linux keeps it.
    timers[i] = Timer { expires: if value == 0 { 0 } else { now.saturating_add(value) }, interval };
    p.cpu_timers.armed.store(timers.iter().any(|t| t.expires != 0), Ordering::Relaxed);
    (left(old.expires, now), old.interval)
}

/// The scheduler tick: fires the timers of the interrupted thread's
/// process that its CPU time has reached. A periodic timer's next expiry
/// is one interval after the last one, as on Linux.
pub fn on_tick(current: &Arc<Thread>) {
    let Some(p) = current.try_process() else { return };
    let posix = p.cpu_timers.posix_armed.load(Ordering::Relaxed);
    if !p.cpu_timers.armed.load(Ordering::Relaxed) && !posix {
        return;
    }
    let times = super::usage::cpu_now(p, Some(current));
    if posix {
        fire_posix(p, current, times.0 + times.1);
    }
    if !p.cpu_timers.armed.load(Ordering::Relaxed) {
        return;
    }
    let mut fire = [false; 2];
    {
        let mut timers = p.cpu_timers.timers.lock();
        for (which, due) in [IntervalTimer::Virtual, IntervalTimer::Profiling].into_iter().zip(fire.iter_mut()) {
            let (i, now) = slot(which, times);
            let t = &mut timers[i];
            if t.expires != 0 && t.expires <= now {
                t.expires = if t.interval != 0 { t.expires + t.interval } else { 0 };
                *due = true;
            }
        }
        p.cpu_timers.armed.store(timers.iter().any(|t| t.expires != 0), Ordering::Relaxed);
    }
    for (signal, due) in [Signal::VTALRM, Signal::PROF].into_iter().zip(fire) {
        if due {
            signal::send_to_process(p, signal, SignalCause::Kernel);
        }
    }
}
