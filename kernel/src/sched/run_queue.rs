//! The run queues: one per CPU, so that CPUs pick their next thread
//! without contending on one lock, and a CPU with nothing to do takes work
//! from the busiest other queue.
//!
//! A thread goes back on the queue of the CPU it last ran on (its caches
//! are warm there) unless that CPU is not running the scheduler or the
//! thread may not run there (its affinity); one that has never run goes on
//! the queue of the CPU that made it runnable, if it may run there. A CPU
//! takes only threads allowed on it; one whose affinity changed while it
//! waited is moved to a CPU it allows.

use crate::arch::percpu::MAX_CPUS;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static QUEUES: [SpinLock<VecDeque<Arc<Thread>>>; MAX_CPUS] =
    [const { SpinLock::ranked(crate::sync::Rank::RunQueue, VecDeque::new()) }; MAX_CPUS];
/// Threads waiting in each queue, readable without its lock (for stealing
/// and for the idle loop's check).
static LENGTHS: [AtomicUsize; MAX_CPUS] = [const { AtomicUsize::new(0) }; MAX_CPUS];
/// CPUs whose scheduler runs (their queues are served).
static SERVED: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// The CPU starts serving its queue.
pub fn serve(cpu: usize) {
    SERVED[cpu].store(true, Ordering::Release);
}

fn may_run(thread: &Thread, cpu: usize) -> bool {
    SERVED[cpu].load(Ordering::Acquire) && thread.may_run_on(cpu)
}

/// Puts `thread` at the back of a queue: the one of the CPU it last ran
/// on if it may run there, else `here`'s, else the first CPU it allows.
/// Returns the CPU chosen.
pub fn push(thread: Arc<Thread>, here: usize) -> usize {
    let cpu = match thread.last_cpu() {
        Some(c) if may_run(&thread, c) => c,
        _ if may_run(&thread, here) => here,
        // None served and allowed: an affinity naming only CPUs that are
        // not scheduling cannot be set (set_cpu_affinity), so only in early
        // boot, where `here` is the one CPU.
        _ => (0..MAX_CPUS).find(|&c| may_run(&thread, c)).unwrap_or(here),
    };
    let mut q = QUEUES[cpu].lock();
    q.push_back(thread);
    LENGTHS[cpu].store(q.len(), Ordering::Release);
    cpu
}

/// The next thread for `cpu`: from its own queue, else from the other
/// queues, longest first (the thread allowed on `cpu` that has waited
/// longest there).
pub fn pop(cpu: usize) -> Option<Arc<Thread>> {
    loop {
        match pop_from(cpu, cpu) {
            Some(t) if !t.may_run_on(cpu) => {
                // Its affinity changed while it waited here.
                let there = push(t, cpu);
                if there != cpu {
                    crate::arch::ipi::send_reschedule(there);
                }
            }
            Some(t) => return Some(t),
            None => break,
        }
    }
    let mut others: [(usize, usize); MAX_CPUS] = [(0, 0); MAX_CPUS];
    let mut n = 0;
    for c in (0..MAX_CPUS).filter(|&c| c != cpu) {
        let len = LENGTHS[c].load(Ordering::Acquire);
        if len > 0 {
            others[n] = (len, c);
            n += 1;
        }
    }
    others[..n].sort_unstable_by(|a, b| b.cmp(a));
    others[..n].iter().find_map(|&(_, c)| pop_from(c, cpu))
}

/// Takes from `queue` the first thread allowed on `cpu` (its own queue:
/// simply the first).
fn pop_from(queue: usize, cpu: usize) -> Option<Arc<Thread>> {
    if LENGTHS[queue].load(Ordering::Acquire) == 0 {
        return None;
    }
    let mut q = QUEUES[queue].lock();
    let t = if queue == cpu {
        q.pop_front()
    } else {
        let at = q.iter().position(|t| t.may_run_on(cpu))?;
        q.remove(at)
    };
    LENGTHS[queue].store(q.len(), Ordering::Release);
    t
}

/// Whether any queue holds a thread (an idle CPU may take from any).
pub fn any_work() -> bool {
    LENGTHS.iter().any(|l| l.load(Ordering::Acquire) > 0)
}

/// Threads waiting in all queues (None: a queue's lock is held), for the
/// NMI dump.
pub fn total_len() -> Option<usize> {
    let mut n = 0;
    for q in &QUEUES {
        n += q.try_lock()?.len();
    }
    Some(n)
}
