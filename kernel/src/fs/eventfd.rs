//! Counters behind a descriptor (Linux's eventfd): a 64-bit count that
//! writes add to and reads take from, used by event loops (Go's poller,
//! glib, libuv) to wake a thread that sleeps in poll or epoll.
//!
//! A read takes the whole count (or 1 in semaphore mode) and blocks while
//! it is 0; a write adds its value and blocks while the sum would pass
//! `MAX`. Both move 8 bytes, native-endian: a read needs room for them,
//! a write must be exactly them.

use super::file::PollState;
use crate::sched::WaitQueue;
use crate::sync::SpinLock;
use kernel_ops::{Error, KResult};

/// The largest count (`u64::MAX` itself is never a valid value).
pub const MAX: u64 = u64::MAX - 1;
/// Reads and writes move one `u64`.
pub const SIZE: usize = 8;

pub struct Counter {
    count: SpinLock<u64>,
    semaphore: bool,
    /// Readers wait here for a non-zero count, writers for room.
    changed: WaitQueue,
    /// Writes (input) and reads (output) so far, for edge-triggered epoll.
    changes: SpinLock<(u64, u64)>,
    /// Its pollers (poll, select, epoll), woken with the queue above.
    pub pollers: crate::sched::PollQueue,
}

impl Counter {
    pub fn new(initial: u64, semaphore: bool) -> Counter {
        Counter {
            count: SpinLock::new(initial.min(MAX)),
            semaphore,
            changed: WaitQueue::new(),
            changes: SpinLock::new((0, 0)),
            pollers: crate::sched::PollQueue::new(),
        }
    }

    pub fn read(&self, buf: &mut [u8], non_blocking: bool) -> KResult<usize> {
        if buf.len() < SIZE {
            return Err(Error::InvalidArgument);
        }
        let take = || {
            let mut count = self.count.lock();
            if *count == 0 {
                return non_blocking.then_some(Err(Error::WouldBlock));
            }
            let take = if self.semaphore { 1 } else { *count };
            *count -= take;
            Some(Ok(take))
        };
        let value =
            self.changed.wait_for(true, None, || *self.count.lock() > 0, take).unwrap_or(Err(Error::Restart))?;
        buf[..SIZE].copy_from_slice(&value.to_ne_bytes());
        self.changes.lock().1 += 1;
        self.changed_now();
        Ok(SIZE)
    }

    pub fn write(&self, data: &[u8], non_blocking: bool) -> KResult<usize> {
        // Exactly 8 bytes (Linux 6.6 on; earlier kernels took the first 8
        // of a longer write).
        let bytes: [u8; SIZE] = data.try_into().map_err(|_| Error::InvalidArgument)?;
        let value = u64::from_ne_bytes(bytes);
        if value == u64::MAX {
            return Err(Error::InvalidArgument);
        }
        let add = || {
            let mut count = self.count.lock();
            if MAX - *count < value {
                return non_blocking.then_some(Err(Error::WouldBlock));
            }
            *count += value;
            Some(Ok(()))
        };
        let room = || MAX - *self.count.lock() >= value;
        self.changed.wait_for(true, None, room, add).unwrap_or(Err(Error::Restart))?;
        if value > 0 {
            self.changes.lock().0 += 1;
            self.changed_now();
        }
        Ok(SIZE)
    }

    /// Adds `value` without waiting, as a completed asynchronous request
    /// does (Linux's eventfd_signal): what would pass `MAX` is dropped.
    pub fn signal(&self, value: u64) {
        {
            let mut count = self.count.lock();
            *count = count.saturating_add(value).min(MAX);
        }
        if value > 0 {
            self.changed_now();
        }
    }

    /// Readable with a non-zero count; writable while adding 1 would not block.
    pub fn poll(&self) -> PollState {
        let count = *self.count.lock();
        PollState {
            readable: count > 0,
            writable: count < MAX,
            changes: Some(*self.changes.lock()),
            ..PollState::default()
        }
    }

    fn changed_now(&self) {
        self.changed.wake_all();
        self.pollers.wake();
    }
}
