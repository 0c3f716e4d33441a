//! Work that may sleep, asked for where sleeping is forbidden.
//!
//! Letting go of a file (the VFS `release`, which a user-space file server
//! answers over IPC) or writing a shared mapping's pages back can sleep.
//! Both happen when a mapping or a cached page is dropped, and that often
//! happens under a spinlock: unmapping under the address-space lock,
//! evicting under the page-cache lock. There the work is queued instead and
//! done by the next Linux thread on its way back to user mode, when it
//! holds nothing.
//!
//! Native threads never run the queue: one of them may be the very server
//! the work would wait for.

use crate::sync::SpinLock;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};
use vfs::NodeRef;

pub enum Job {
    /// The VFS `release` of a node the kernel held (see `NodeHold`).
    Release(NodeRef),
    /// The last writable shared mapping of a node went away: write its
    /// cached pages back (see `page_cache::SharedFile`).
    WriteBack(NodeRef),
}

static QUEUE: SpinLock<Vec<Job>> = SpinLock::new(Vec::new());
static PENDING: AtomicBool = AtomicBool::new(false);

/// Queues `job` (FIFO: a write-back queued before its node's release runs first).
pub fn push(job: Job) {
    QUEUE.lock().push(job);
    PENDING.store(true, Ordering::Release);
}

/// Whether the caller may do sleeping work now instead of queueing it.
pub fn can_sleep_now() -> bool {
    crate::sync::spinlocks_held() == 0
}

/// Does the queued work. The caller holds no spinlock and no file
/// system's lock.
/// Asked on every return to user mode: the usual answer (nothing queued)
/// is one load, inlined.
#[inline]
pub fn run() {
    if pending() {
        run_queued();
    }
}

/// Whether work is queued.
#[inline]
pub fn pending() -> bool {
    PENDING.load(Ordering::Acquire)
}

#[cold]
fn run_queued() {
    loop {
        let jobs = {
            let mut q = QUEUE.lock();
            PENDING.store(false, Ordering::Release);
            core::mem::take(&mut *q)
        };
        if jobs.is_empty() {
            return;
        }
        for job in jobs {
            match job {
                Job::Release(node) => crate::fs::release_node(node),
                Job::WriteBack(node) => super::page_cache::write_back_and_unregister(node),
            }
        }
    }
}
