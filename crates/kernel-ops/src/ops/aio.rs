//! Asynchronous I/O contexts: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Error, Fd, KResult, PollRequest};

/// Asynchronous I/O contexts (Linux's io_setup family). Contexts belong to
/// the caller's address space: exec and exit end them, fork does not copy
/// them. Cores without them answer `NotImplemented`.
pub trait AioOps {
    /// A new context: `ring_bytes` of zeroed memory mapped read-write into
    /// the caller's address space (its address names the context) with
    /// `slots` completion slots, and `charge` requests counted against the
    /// machine's limit (`WouldBlock` past it).
    fn aio_create(&mut self, ring_bytes: u64, slots: u32, charge: u32) -> KResult<u64> {
        let _ = (ring_bytes, slots, charge);
        Err(Error::NotImplemented)
    }
    /// Changes the state of the caller's context `id` (`InvalidArgument`
    /// when it has none) under the context's lock, so `change` must not
    /// block. If that changed its counts, ring indexes or the lengths of
    /// its lists, its generation moves on and its waiters wake.
    fn aio_update(&mut self, id: u64, change: &mut dyn FnMut(&mut crate::AioState)) -> KResult<()> {
        let _ = (id, change);
        Err(Error::NotImplemented)
    }
    /// Ends the context `id`: unmaps its ring, returns its charge, wakes
    /// its waiters, and gives its last state.
    fn aio_destroy(&mut self, id: u64) -> KResult<crate::AioState> {
        let _ = id;
        Err(Error::NotImplemented)
    }
    /// Waits until the context's generation is no longer `seen` (or the
    /// context is gone), one of `watch` is ready (poll's rules), the
    /// monotonic `deadline` passes (`TimedOut`) or a signal comes
    /// (`Interrupted`).
    fn aio_wait(&mut self, id: u64, seen: u64, watch: &mut [PollRequest], deadline: Option<u64>) -> KResult<()> {
        let _ = (id, seen, watch, deadline);
        Err(Error::NotImplemented)
    }
    /// Adds `value` to the counter (eventfd) behind `fd` without waiting,
    /// as a completion signals one; 0 only checks that `fd` is a counter
    /// (`InvalidArgument` for another kind).
    fn add_to_counter(&mut self, fd: Fd, value: u64) -> KResult<()> {
        let _ = (fd, value);
        Err(Error::NotImplemented)
    }
}
