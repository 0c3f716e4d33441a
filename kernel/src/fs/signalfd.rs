//! Signal readers (Linux's signalfd): a descriptor through which a thread
//! takes its own pending signals from a mask, as records, instead of
//! having them delivered to a handler. Event loops block the signals and
//! poll the descriptor with their other files (util-linux `script`,
//! systemd, libuv).
//!
//! Nothing is stored in the descriptor but the mask: what a read or poll
//! sees is always the *calling* thread's pending signals (its own first,
//! then its process's), taken through the signal machinery in
//! `task/signal.rs` as sigtimedwait takes them. So a descriptor inherited
//! across fork reads the child's signals in the child. The record layout
//! is the creating personality's.

use super::file::PollState;
use crate::sched::{self, WaitError};
use crate::task::signal;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Error, KResult, Signal, SignalRecordFormat};

pub struct SignalReader {
    mask: AtomicU64,
    format: &'static dyn SignalRecordFormat,
    /// Its pollers, woken when its mask changes (signals arriving wake the
    /// polling thread's process's queue, `Process::pollers`).
    pub pollers: sched::PollQueue,
}

/// KILL and STOP are never read through a descriptor (Linux drops them
/// from the mask silently).
fn readable(mask: u64) -> u64 {
    mask & !(Signal::KILL.bit() | Signal::STOP.bit())
}

impl SignalReader {
    pub fn new(mask: u64, format: &'static dyn SignalRecordFormat) -> SignalReader {
        signal::reader_opened();
        SignalReader { mask: AtomicU64::new(readable(mask)), format, pollers: sched::PollQueue::new() }
    }

    pub fn set_mask(&self, mask: u64) {
        self.mask.store(readable(mask), Ordering::Release);
        // A thread asleep in read or poll may now have something to take.
        self.pollers.wake();
    }

    /// Bytes per record: a read needs room for one.
    pub fn record_size(&self) -> usize {
        self.format.size()
    }

    fn mask(&self) -> u64 {
        self.mask.load(Ordering::Acquire)
    }

    /// Takes as many pending signals as whole records fit in `buf`,
    /// blocking (unless `non_blocking`) until there is at least one.
    pub fn read(&self, buf: &mut [u8], non_blocking: bool) -> KResult<usize> {
        let size = self.format.size();
        if buf.len() < size {
            return Err(Error::InvalidArgument);
        }
        let me = sched::current();
        loop {
            let mut done = 0;
            while done + size <= buf.len() {
                let Some(info) = signal::take_from_set(&me, self.mask()) else { break };
                self.format.encode(&info, &mut buf[done..done + size]);
                done += size;
            }
            if done > 0 {
                return Ok(done);
            }
            if non_blocking {
                return Err(Error::WouldBlock);
            }
            if signal::wait_pending(&|| self.mask()) == Err(WaitError::Interrupted) {
                return Err(Error::Restart);
            }
        }
    }

    /// Puts `table` on what wakes a poller of this reader: a mask change,
    /// a signal for the polling thread or its process.
    pub fn register_poll(&self, table: &mut sched::PollTable) {
        table.register(&self.pollers);
        if let Some(p) = sched::current().try_process() {
            table.register(&p.pollers);
        }
    }

    /// Readable while a signal in the mask is pending for the polling thread.
    pub fn poll(&self) -> PollState {
        let me = sched::current();
        PollState { readable: signal::pending_in(&me, self.mask()), ..PollState::default() }
    }
}

impl Drop for SignalReader {
    fn drop(&mut self) {
        signal::reader_closed();
    }
}
