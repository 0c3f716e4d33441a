//! Timers behind a descriptor (Linux's timerfd): armed with a first expiry
//! and an interval, read as the number of expirations since the last read
//! (8 bytes, native-endian), polled readable while that number is not 0.
//! Event loops use them instead of timer signals (systemd, libuv, glib).
//!
//! The count is worked out from the clock whenever someone looks (read,
//! poll, gettime): `advance` folds every deadline that has passed into it.
//! The tick (`sched::track`) only wakes readers and pollers when a deadline
//! passes, so an idle timer costs one comparison per tick.
//!
//! Deadlines are kept on the monotonic clock; an absolute time on the
//! realtime clock is converted when the timer is armed (a later change of
//! the wall clock does not move it).

use super::file::PollState;
use crate::sched::{self, WaitError, WaitQueue};
use crate::sync::SpinLock;
use alloc::sync::Arc;
use kernel_ops::{Clock, Error, KResult};

/// Reads move one `u64`.
pub const SIZE: usize = 8;

#[derive(Clone, Copy, Default)]
struct State {
    /// The next expiry, monotonic ns; 0 when disarmed.
    deadline: u64,
    /// Period after the first expiry (0: one-shot).
    interval: u64,
    /// Expirations not yet read.
    expirations: u64,
}

impl State {
    fn advance(&mut self, now: u64) {
        if self.deadline == 0 || now < self.deadline {
            return;
        }
        if self.interval == 0 {
            self.expirations = self.expirations.saturating_add(1);
            self.deadline = 0;
        } else {
            let periods = (now - self.deadline) / self.interval + 1;
            self.expirations = self.expirations.saturating_add(periods);
            self.deadline = self.deadline.saturating_add(periods.saturating_mul(self.interval));
        }
    }

    fn remaining(&self, now: u64) -> u64 {
        if self.deadline == 0 {
            0
        } else {
            self.deadline.saturating_sub(now)
        }
    }
}

pub struct Timer {
    clock: Clock,
    state: SpinLock<State>,
    /// Readers wait here for an expiration.
    expired: WaitQueue,
    /// Its pollers (poll, select, epoll), woken with the queue above.
    pub pollers: crate::sched::PollQueue,
}

impl Timer {
    pub fn new(clock: Clock) -> Arc<Timer> {
        Arc::new(Timer {
            clock,
            state: SpinLock::new(State::default()),
            expired: WaitQueue::new(),
            pollers: sched::PollQueue::new(),
        })
    }

    /// Arms or (value 0) disarms; returns the previous (time left,
    /// interval). Expirations not yet read are dropped, as on Linux.
    pub fn set(self: &Arc<Self>, value: u64, interval: u64, absolute: bool) -> (u64, u64) {
        let now = crate::time::now_ns();
        let deadline = match (value, absolute) {
            (0, _) => 0,
            (v, false) => now.saturating_add(v),
            (v, true) => match self.clock {
                Clock::Realtime => v.saturating_sub(crate::time::realtime_ns().saturating_sub(now)),
                _ => v,
            }
            .max(1),
        };
        let old = {
            let mut s = self.state.lock();
            s.advance(now);
            let old = (s.remaining(now), s.interval);
            // The interval is kept even when disarming (gettime shows it, as on Linux).
            *s = State { deadline, interval, expirations: 0 };
            old
        };
        if deadline != 0 {
            let me: Arc<dyn sched::Expiring> = self.clone();
            sched::track(Arc::downgrade(&me));
        }
        // A reader asleep on the old setting waits for the new one.
        self.changed();
        old
    }

    /// (time left until the next expiry, interval).
    pub fn get(&self) -> (u64, u64) {
        let now = crate::time::now_ns();
        let mut s = self.state.lock();
        s.advance(now);
        (s.remaining(now), s.interval)
    }

    pub fn read(&self, buf: &mut [u8], non_blocking: bool) -> KResult<usize> {
        if buf.len() < SIZE {
            return Err(Error::InvalidArgument);
        }
        loop {
            let deadline = {
                let now = crate::time::now_ns();
                let mut s = self.state.lock();
                s.advance(now);
                if s.expirations > 0 {
                    let count = core::mem::take(&mut s.expirations);
                    drop(s);
                    buf[..SIZE].copy_from_slice(&count.to_ne_bytes());
                    return Ok(SIZE);
                }
                s.deadline
            };
            if non_blocking {
                return Err(Error::WouldBlock);
            }
            // Sleep until the deadline (the wait's own timeout wakes us
            // even before the tick's expire does) or a new setting.
            let wait = self.expired.wait_until(true, (deadline != 0).then_some(deadline), || {
                let now = crate::time::now_ns();
                let mut s = self.state.lock();
                s.advance(now);
                s.expirations > 0 || s.deadline != deadline
            });
            if wait == Err(WaitError::Interrupted) {
                return Err(Error::Restart);
            }
        }
    }

    pub fn poll(&self) -> PollState {
        let now = crate::time::now_ns();
        let mut s = self.state.lock();
        s.advance(now);
        PollState { readable: s.expirations > 0, ..PollState::default() }
    }

    fn changed(&self) {
        self.expired.wake_all();
        self.pollers.wake();
    }
}

impl sched::Expiring for Timer {
    fn next_deadline(&self) -> Option<u64> {
        let d = self.state.lock().deadline;
        (d != 0).then_some(d)
    }

    fn expire(self: Arc<Self>, now: u64) {
        self.state.lock().advance(now);
        self.changed();
    }
}
