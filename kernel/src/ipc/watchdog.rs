//! The time limit on a call the kernel makes to an untrusted server, kept
//! without a timer per call.
//!
//! The kernel calls user-space servers for its callers (the network
//! server for sockets, file-system servers for their mounts), one call at
//! a time per server, and gives a server up when an answer takes longer
//! than a fixed limit. Arming a wake-up for every call and withdrawing it
//! at the answer put two timer-queue updates on every exchange: 12% of the
//! kernel's samples in the network benchmark's profile.
//!
//! Instead each server has one watchdog. A call records when it began (an
//! atomic store) and which thread waits; the timer interrupt tracks the
//! watchdog (`sched::track`) at the limit of the call that was in progress
//! when it last looked. When that comes, the watchdog moves itself on to
//! the limit of whichever call is in progress now, or stops being tracked
//! when none is; so under steady traffic it costs one timer event per
//! limit, not two queue updates per call. A call past its limit has its
//! thread woken, which finds its deadline gone and fails with `TimedOut`
//! (endpoint.rs re-checks the deadline on every wake). Wakes are
//! level-triggered: a waiter not yet asleep when woken is woken again at
//! the next interrupt, until its call ends.

use crate::sched::{self, Expiring};
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

pub struct Watchdog {
    limit_ns: u64,
    /// When the call in progress began (monotonic ns); 0: no call.
    started: AtomicU64,
    /// The thread waiting for that call's answer (or the last call's: it
    /// is replaced, not cleared). A leaf lock: nothing is taken under it.
    waiter: SpinLock<Weak<Thread>>,
    /// Whether the timer interrupt tracks this watchdog now.
    tracked: AtomicBool,
}

impl Watchdog {
    /// A watchdog that gives a call up after `limit_ns`.
    pub fn new(limit_ns: u64) -> Arc<Watchdog> {
        Arc::new(Watchdog {
            limit_ns,
            started: AtomicU64::new(0),
            waiter: SpinLock::new(Weak::new()),
            tracked: AtomicBool::new(false),
        })
    }

    /// Watches the call `me` is about to make and returns its deadline.
    /// One call at a time (the server's exchange lock is held) until
    /// `end`.
    pub fn begin(self: &Arc<Self>, me: &Arc<Thread>) -> u64 {
        let now = crate::time::now_ns().max(1);
        let last = core::mem::replace(&mut *self.waiter.lock(), Arc::downgrade(me));
        drop(last); // outside the lock
        let before = self.started.swap(now, SeqCst);
        debug_assert!(before == 0, "two calls under one watchdog");
        // Stored `started` first: a timer interrupt that stops tracking
        // (next_deadline) looks at `started` after clearing `tracked`, so
        // one of the two always sees the other.
        if !self.tracked.swap(true, SeqCst) {
            let me: Arc<dyn Expiring> = self.clone();
            sched::track(Arc::downgrade(&me));
        }
        now.saturating_add(self.limit_ns)
    }

    /// The call has its answer, or has given up.
    pub fn end(&self) {
        self.started.store(0, SeqCst);
    }
}

impl Expiring for Watchdog {
    fn next_deadline(&self) -> Option<u64> {
        let started = self.started.load(SeqCst);
        if started != 0 {
            return Some(started.saturating_add(self.limit_ns));
        }
        self.tracked.store(false, SeqCst);
        // A call that began just now may have seen `tracked` still set
        // and left the tracking to this interrupt.
        let started = self.started.load(SeqCst);
        if started != 0 && !self.tracked.swap(true, SeqCst) {
            return Some(started.saturating_add(self.limit_ns));
        }
        None
    }

    fn expire(self: Arc<Self>, now: u64) {
        let started = self.started.load(SeqCst);
        if started != 0 && now >= started.saturating_add(self.limit_ns) {
            // If the call has just ended and another begun, the wake is
            // spurious, which every waiter tolerates.
            let waiter = self.waiter.lock().upgrade();
            if let Some(t) = waiter {
                sched::wake(&t);
            }
        }
    }
}
