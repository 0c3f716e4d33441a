//! Watch queues (Linux's inotify descriptor): file events, queued for a
//! reader as records in the creating personality's format.
//!
//! Which nodes a queue watches, and what is reported to it, is
//! `notify.rs`'s business; this file is only the queue: events in order,
//! an identical event right behind the last queued one merged into it, at
//! most `MAX_EVENTS` queued (then one OVERFLOW event stands for everything
//! lost until the reader catches up), reads of whole records.

use super::file::PollState;
use crate::sched::{WaitError, WaitQueue};
use crate::sync::SpinLock;
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicI32, Ordering};
use kernel_ops::{Error, KResult, WatchEvents, WatchRecord, WatchRecordFormat};

/// How many events a queue holds (Linux's default max_queued_events).
pub const MAX_EVENTS: usize = 16384;

struct Event {
    watch: i32,
    events: WatchEvents,
    cookie: u32,
    name: Option<Box<[u8]>>,
}

impl Event {
    fn record(&self) -> WatchRecord<'_> {
        WatchRecord { watch: self.watch, events: self.events, cookie: self.cookie, name: self.name.as_deref() }
    }
}

#[derive(Default)]
struct Queue {
    events: VecDeque<Event>,
    /// Whether an OVERFLOW event is queued (there is never a second one).
    overflowed: bool,
}

/// A name kept in the queue; None when the heap cannot hold it.
fn copy_name(name: &[u8]) -> Option<Box<[u8]>> {
    let mut v = alloc::vec::Vec::new();
    v.try_reserve_exact(name.len()).ok()?;
    v.extend_from_slice(name);
    Some(v.into_boxed_slice())
}

pub struct WatchQueue {
    format: &'static dyn WatchRecordFormat,
    queue: SpinLock<Queue>,
    /// The last watch descriptor handed out (they count up from 1).
    last_watch: AtomicI32,
    /// Readers wait here for an event.
    arrived: WaitQueue,
    /// Its pollers (poll, select, epoll), woken with the queue above.
    pub pollers: crate::sched::PollQueue,
}

impl WatchQueue {
    pub fn new(format: &'static dyn WatchRecordFormat) -> Arc<WatchQueue> {
        Arc::new(WatchQueue {
            format,
            queue: SpinLock::new(Queue::default()),
            last_watch: AtomicI32::new(0),
            arrived: WaitQueue::new(),
            pollers: crate::sched::PollQueue::new(),
        })
    }

    /// A fresh watch descriptor; None once they ran out.
    pub fn next_watch(&self) -> Option<i32> {
        let last = self.last_watch.fetch_add(1, Ordering::Relaxed);
        last.checked_add(1).filter(|w| *w > 0)
    }

    /// Queues one event (merged with the last queued one if identical).
    /// When memory runs out the event counts as lost, like one past a
    /// full queue.
    pub fn push(&self, watch: i32, events: WatchEvents, cookie: u32, name: Option<&[u8]>) {
        let name = match name.map(copy_name) {
            Some(None) => Err(()),
            Some(Some(n)) => Ok(Some(n)),
            None => Ok(None),
        };
        {
            let mut q = self.queue.lock();
            if q.events.try_reserve(1).is_err() {
                return;
            }
            match name {
                Ok(name) if q.events.len() < MAX_EVENTS => {
                    // Linux compares watch, events and name (not the
                    // cookie); a queued IGNORED is never merged into.
                    let same = q.events.back().is_some_and(|last| {
                        !last.events.contains(WatchEvents::IGNORED)
                            && last.watch == watch
                            && last.events == events
                            && last.name == name
                    });
                    if same {
                        return;
                    }
                    q.events.push_back(Event { watch, events, cookie, name });
                }
                // Lost: one overflow event says so.
                _ => {
                    if q.overflowed {
                        return;
                    }
                    q.overflowed = true;
                    q.events.push_back(Event { watch: -1, events: WatchEvents::OVERFLOW, cookie: 0, name: None });
                }
            }
        }
        self.arrived.wake_all();
        self.pollers.wake();
    }

    /// Takes as many whole records as fit in `buf`, blocking (unless
    /// `non_blocking`) until there is one. A first record that does not
    /// fit is `InvalidArgument`, as on Linux.
    pub fn read(&self, buf: &mut [u8], non_blocking: bool) -> KResult<usize> {
        loop {
            let mut done = 0;
            {
                let mut q = self.queue.lock();
                while let Some(e) = q.events.front() {
                    let record = e.record();
                    let size = self.format.size(&record);
                    if done + size > buf.len() {
                        if done == 0 {
                            return Err(Error::InvalidArgument);
                        }
                        break;
                    }
                    self.format.encode(&record, &mut buf[done..done + size]);
                    done += size;
                    if q.events.pop_front().is_some_and(|e| e.events == WatchEvents::OVERFLOW) {
                        q.overflowed = false;
                    }
                }
            }
            if done > 0 {
                return Ok(done);
            }
            if non_blocking {
                return Err(Error::WouldBlock);
            }
            if self.arrived.wait_until(true, None, || !self.queue.lock().events.is_empty())
                == Err(WaitError::Interrupted)
            {
                return Err(Error::Restart);
            }
        }
    }

    /// Bytes a read could take now (FIONREAD).
    pub fn bytes_queued(&self) -> usize {
        self.queue.lock().events.iter().map(|e| self.format.size(&e.record())).sum()
    }

    pub fn poll(&self) -> PollState {
        PollState { readable: !self.queue.lock().events.is_empty(), ..PollState::default() }
    }
}

impl Drop for WatchQueue {
    fn drop(&mut self) {
        super::notify::queue_closed(self);
    }
}
