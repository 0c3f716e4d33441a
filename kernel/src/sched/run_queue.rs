//! The run queues: one per CPU, so that CPUs pick their next thread
//! without contending on one lock, and a CPU with nothing to do takes work
//! from the busiest other queue.
//!
//! A thread goes back on the queue of the CPU it last ran on (its caches
//! are warm there) unless that CPU is not running the scheduler; one that
//! has never run goes on the queue of the CPU that made it runnable.

use crate::arch::percpu::MAX_CPUS;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static QUEUES: [SpinLock<VecDeque<Arc<Thread>>>; MAX_CPUS] = [const { SpinLock::new(VecDeque::new()) }; MAX_CPUS];
/// Threads waiting in each queue, readable without its lock (for stealing
/// and for the idle loop's check).
static LENGTHS: [AtomicUsize; MAX_CPUS] = [const { AtomicUsize::new(0) }; MAX_CPUS];
/// CPUs whose scheduler runs (their queues are served).
static SERVED: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// The CPU starts serving its queue.
pub fn serve(cpu: usize) {
    SERVED[cpu].store(true, Ordering::Release);
}

/// Puts `thread` at the back of a queue: the one of the CPU it last ran
/// on if that CPU is served, else `here`'s. Returns the CPU chosen.
pub fn push(thread: Arc<Thread>, here: usize) -> usize {
    let cpu = match thread.last_cpu() {
        Some(c) if SERVED[c].load(Ordering::Acquire) => c,
        _ => here,
    };
    let mut q = QUEUES[cpu].lock();
    q.push_back(thread);
    LENGTHS[cpu].store(q.len(), Ordering::Release);
    cpu
}

/// The next thread for `cpu`: from its own queue, else from the longest
/// other queue (the thread that has waited longest there).
pub fn pop(cpu: usize) -> Option<Arc<Thread>> {
    if let Some(t) = pop_from(cpu) {
        return Some(t);
    }
    let busiest = (0..MAX_CPUS).filter(|&c| c != cpu).max_by_key(|&c| LENGTHS[c].load(Ordering::Acquire))?;
    if LENGTHS[busiest].load(Ordering::Acquire) == 0 {
        return None;
    }
    pop_from(busiest)
}

fn pop_from(cpu: usize) -> Option<Arc<Thread>> {
    if LENGTHS[cpu].load(Ordering::Acquire) == 0 {
        return None;
    }
    let mut q = QUEUES[cpu].lock();
    let t = q.pop_front();
    LENGTHS[cpu].store(q.len(), Ordering::Release);
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
