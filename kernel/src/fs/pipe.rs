//! Pipes: a bounded byte queue between writers and readers.

use super::file::PollState;
use crate::sched::{PollQueue, WaitQueue};
use crate::sync::SpinLock;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use kernel_ops::{Error, KResult};

/// Linux's default pipe capacity (16 pages).
pub const CAPACITY: usize = 65536;
/// Writes up to this size are atomic (never interleaved with other writers).
pub const PIPE_BUF: usize = 4096;
/// The most an unprivileged process may make a pipe hold
/// (/proc/sys/fs/pipe-max-size, Linux's default).
pub const MAX_SIZE: usize = 1 << 20;
/// Capacities are whole pages, as Linux counts a pipe's buffers.
const PAGE: usize = 4096;

struct State {
    data: VecDeque<u8>,
    /// How many bytes it holds at most (F_SETPIPE_SZ changes it).
    capacity: usize,
    readers: u32,
    writers: u32,
    /// Opens of each end so far (FIFOs): a reader waiting in open for a
    /// writer must also wake for one that came and already went (opened,
    /// wrote, closed), which `writers` alone no longer shows. Linux keeps
    /// the same counters (r_counter, w_counter).
    reader_opens: u64,
    writer_opens: u64,
    /// Changes that can make the read end newly ready (data written, a
    /// writer gone) and the write end (room made, a reader gone): what an
    /// edge-triggered epoll watch reports once each.
    input_changes: u64,
    output_changes: u64,
}

impl State {
    /// `ends` readers and writers open (and as many opens counted).
    fn new(ends: u32) -> State {
        State {
            data: VecDeque::new(),
            capacity: CAPACITY,
            readers: ends,
            writers: ends,
            reader_opens: ends.into(),
            writer_opens: ends.into(),
            input_changes: 0,
            output_changes: 0,
        }
    }
}

pub struct Pipe {
    state: SpinLock<State>,
    /// Readers wait here for data or the last writer closing; writers wait
    /// here for room. One queue: every change can matter to both sides.
    changed: WaitQueue,
    /// Pollers of either end: woken by the same changes.
    pollers: PollQueue,
}

/// The pipes behind named FIFOs, by file-system node, while anyone has
/// them open.
static FIFOS: SpinLock<alloc::collections::BTreeMap<(u32, u64), alloc::sync::Weak<Pipe>>> =
    SpinLock::new(alloc::collections::BTreeMap::new());

impl Pipe {
    pub fn new() -> Arc<Pipe> {
        Arc::new(Pipe {
            state: SpinLock::ranked(crate::sync::Rank::Pipe, State::new(1)),
            changed: WaitQueue::new(),
            pollers: PollQueue::new(),
        })
    }

    /// The pipe of the FIFO at `node` (shared by everyone who opens it).
    pub fn of_fifo(node: vfs::NodeRef) -> Arc<Pipe> {
        let mut fifos = FIFOS.lock();
        fifos.retain(|_, w| w.strong_count() > 0);
        if let Some(p) = fifos.get(&(node.fs.0, node.ino)).and_then(alloc::sync::Weak::upgrade) {
            return p;
        }
        let p = Arc::new(Pipe {
            state: SpinLock::ranked(crate::sync::Rank::Pipe, State::new(0)),
            changed: WaitQueue::new(),
            pollers: PollQueue::new(),
        });
        fifos.insert((node.fs.0, node.ino), Arc::downgrade(&p));
        p
    }

    /// Opening a FIFO: a reader waits for a writer and a writer for a
    /// reader, unless non-blocking (where a writer without readers gets
    /// ENXIO). Read-write opens never wait.
    pub fn open_fifo_end(&self, read: bool, write: bool, non_blocking: bool) -> KResult<()> {
        if write && !read && non_blocking && self.state.lock().readers == 0 {
            return Err(Error::NoSuchDeviceOrAddress);
        }
        // The other end's opens so far, seen as this end opens, and whether
        // it is open now. Decided once, under the lock, as Linux does: an
        // end open at this moment ends the wait before it starts, even if
        // (on another CPU) it closes again before this thread could look.
        let (other_opens, other_open) = {
            let mut s = self.state.lock();
            if read {
                s.readers += 1;
                s.reader_opens += 1;
            }
            if write {
                s.writers += 1;
                s.writer_opens += 1;
            }
            if read {
                (s.writer_opens, s.writers > 0)
            } else {
                (s.reader_opens, s.readers > 0)
            }
        };
        self.changed.wake_all();
        self.pollers.wake();
        if (read && write) || non_blocking || other_open {
            return Ok(());
        }
        let waited = self.changed.wait_until(true, None, || {
            let s = self.state.lock();
            if read {
                s.writers > 0 || s.writer_opens != other_opens
            } else {
                s.readers > 0 || s.reader_opens != other_opens
            }
        });
        if waited.is_err() {
            let mut s = self.state.lock();
            if read {
                s.readers -= 1;
            } else {
                s.writers -= 1;
            }
            drop(s);
            self.pollers.wake();
            return Err(Error::Restart);
        }
        Ok(())
    }

    /// A new end on an existing pipe (an open of /proc/<pid>/fd/N): as
    /// Linux does for pipes (not FIFOs), it never waits for the other end.
    pub fn add_end(&self, read: bool, write: bool) {
        {
            let mut s = self.state.lock();
            if read {
                s.readers += 1;
                s.reader_opens += 1;
            }
            if write {
                s.writers += 1;
                s.writer_opens += 1;
            }
        }
        self.changed.wake_all();
        self.pollers.wake();
    }

    pub fn read(&self, buf: &mut [u8], non_blocking: bool) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let ready = || {
            let s = self.state.lock();
            !s.data.is_empty() || s.writers == 0
        };
        self.changed.wait_for(true, None, ready, || self.try_read(buf, non_blocking)).unwrap_or(Err(Error::Restart))
    }

    /// One read, if it can finish now: `None` asks a blocking reader to
    /// wait (the pipe is empty and a writer is left).
    fn try_read(&self, buf: &mut [u8], non_blocking: bool) -> Option<KResult<usize>> {
        let mut s = self.state.lock();
        if s.data.is_empty() {
            return match (s.writers, non_blocking) {
                (0, _) => Some(Ok(0)),
                (_, true) => Some(Err(Error::WouldBlock)),
                (_, false) => None,
            };
        }
        let n = buf.len().min(s.data.len());
        let (a, b) = s.data.as_slices();
        let from_a = n.min(a.len());
        buf[..from_a].copy_from_slice(&a[..from_a]);
        buf[from_a..n].copy_from_slice(&b[..n - from_a]);
        s.data.drain(..n);
        s.output_changes += 1;
        drop(s);
        self.changed.wake_all();
        self.pollers.wake();
        Some(Ok(n))
    }

    /// Writes all of `data` (blocking for room), or as much as fits when
    /// non-blocking. No readers left: `BrokenPipe` (the caller raises SIGPIPE).
    pub fn write(&self, data: &[u8], non_blocking: bool) -> KResult<usize> {
        let mut written = 0;
        while written < data.len() {
            let rest = &data[written..];
            // Small writes go in whole or not at all (atomicity).
            let need = if rest.len() <= PIPE_BUF { rest.len() } else { 1 };
            let ready = || {
                let s = self.state.lock();
                s.readers == 0 || s.room() >= need
            };
            let step = self
                .changed
                .wait_for(true, None, ready, || self.try_write(rest, need, non_blocking))
                .unwrap_or(Err(Error::Restart));
            match step {
                Ok(n) => written += n,
                Err(_) if written > 0 => break,
                Err(e) => return Err(e),
            }
        }
        Ok(written)
    }

    /// Puts as much of `data` as fits, if at least `need` bytes do: `None`
    /// asks a blocking writer to wait for room.
    fn try_write(&self, data: &[u8], need: usize, non_blocking: bool) -> Option<KResult<usize>> {
        let mut s = self.state.lock();
        if s.readers == 0 {
            return Some(Err(Error::BrokenPipe));
        }
        let room = s.room();
        if room < need {
            return non_blocking.then_some(Err(Error::WouldBlock));
        }
        let n = room.min(data.len());
        // A privileged process may make a pipe hold more than the
        // heap can give: running out is ENOMEM, never an abort.
        if s.data.try_reserve(n).is_err() {
            return Some(Err(Error::NoMemory));
        }
        s.data.extend(&data[..n]);
        s.input_changes += 1;
        drop(s);
        self.changed.wake_all();
        self.pollers.wake();
        Some(Ok(n))
    }

    pub fn pollers(&self) -> &PollQueue {
        &self.pollers
    }

    pub fn poll_reader(&self) -> PollState {
        let s = self.state.lock();
        PollState {
            readable: !s.data.is_empty(),
            hang_up: s.writers == 0,
            changes: Some((s.input_changes, s.output_changes)),
            ..PollState::default()
        }
    }

    pub fn poll_writer(&self) -> PollState {
        let s = self.state.lock();
        PollState {
            writable: s.readers == 0 || s.room() >= PIPE_BUF.min(s.capacity),
            error: s.readers == 0,
            changes: Some((s.input_changes, s.output_changes)),
            ..PollState::default()
        }
    }

    pub fn close_reader(&self) {
        {
            let mut s = self.state.lock();
            s.readers -= 1;
            s.output_changes += 1;
        }
        self.changed.wake_all();
        self.pollers.wake();
    }

    pub fn close_writer(&self) {
        {
            let mut s = self.state.lock();
            s.writers -= 1;
            s.input_changes += 1;
        }
        self.changed.wake_all();
        self.pollers.wake();
    }

    pub fn available(&self) -> usize {
        self.state.lock().data.len()
    }

    /// How many bytes it holds at most.
    pub fn capacity(&self) -> usize {
        self.state.lock().capacity
    }

    /// F_SETPIPE_SZ with a size already rounded to a power-of-two number
    /// of pages: growing past `MAX_SIZE` needs privilege (`NotPermitted`),
    /// and the pages the data occupies must still fit (`Busy`).
    pub fn set_capacity(&self, bytes: usize, privileged: bool) -> KResult<usize> {
        {
            let mut s = self.state.lock();
            if bytes > s.capacity && bytes > MAX_SIZE && !privileged {
                return Err(Error::NotPermitted);
            }
            if s.data.len().div_ceil(PAGE) > bytes / PAGE {
                return Err(Error::Busy);
            }
            s.capacity = bytes;
            s.output_changes += 1;
        }
        // Writers waiting for room may now have it.
        self.changed.wake_all();
        self.pollers.wake();
        Ok(bytes)
    }

    /// Waits until the pipe holds data (tee's input); returns how much, 0
    /// when it is empty and no writer is left.
    pub fn wait_for_data(&self, non_blocking: bool) -> KResult<usize> {
        let ready = || {
            let s = self.state.lock();
            !s.data.is_empty() || s.writers == 0
        };
        let attempt = || {
            let s = self.state.lock();
            match s.data.len() {
                0 if s.writers == 0 => Some(Ok(0)),
                0 => non_blocking.then_some(Err(Error::WouldBlock)),
                n => Some(Ok(n)),
            }
        };
        self.changed.wait_for(true, None, ready, attempt).unwrap_or(Err(Error::Restart))
    }

    /// Copies the first bytes the pipe holds into `buf` without taking
    /// them (tee); returns how many.
    pub fn peek(&self, buf: &mut [u8]) -> usize {
        let s = self.state.lock();
        let n = buf.len().min(s.data.len());
        for (to, from) in buf[..n].iter_mut().zip(s.data.iter()) {
            *to = *from;
        }
        n
    }

    /// Waits until there is room for at least one byte (splice into a
    /// pipe); returns how much. No readers left: `BrokenPipe`.
    pub fn wait_for_room(&self, non_blocking: bool) -> KResult<usize> {
        let ready = || {
            let s = self.state.lock();
            s.readers == 0 || s.room() > 0
        };
        let attempt = || {
            let s = self.state.lock();
            match s.room() {
                _ if s.readers == 0 => Some(Err(Error::BrokenPipe)),
                0 => non_blocking.then_some(Err(Error::WouldBlock)),
                room => Some(Ok(room)),
            }
        };
        self.changed.wait_for(true, None, ready, attempt).unwrap_or(Err(Error::Restart))
    }
}

impl State {
    fn room(&self) -> usize {
        self.capacity.saturating_sub(self.data.len())
    }
}
