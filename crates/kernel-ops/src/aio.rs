//! Asynchronous I/O contexts (Linux's io_setup family): what the core
//! keeps of one between system calls. The core owns the context's life,
//! its ring memory, its charge against the machine's limit and its
//! waiters; the personality decides what the requests and completions
//! mean, and carries requests out with the ordinary file operations.

use crate::types::{Fd, PollEvents};
use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// One finished request, until it is reaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AioCompletion {
    /// The value the submitter attached to the request.
    pub data: u64,
    /// The user address of the request itself.
    pub request: u64,
    /// Bytes moved, events, or the personality's encoding of an error.
    pub result: i64,
    pub result2: i64,
}

/// A request that waits for its descriptor to become ready (a read of an
/// empty pipe, a poll request): the personality's own record of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AioWaiting {
    /// The user address of the request (what cancelling names).
    pub request: u64,
    pub fd: Fd,
    pub wanted: PollEvents,
    pub record: Vec<u8>,
}

/// A context's state, changed only through `KernelOps::aio_update`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AioState {
    /// The completion ring's address (the context's id) and size.
    pub ring: u64,
    pub ring_bytes: u64,
    /// Completion slots in the ring; one always stays empty, so at most
    /// `slots - 1` requests are in flight.
    pub slots: u32,
    /// Requests submitted and not reaped yet.
    pub in_flight: u32,
    /// Ring index of the oldest unreaped completion, and of the next slot
    /// to fill (both below `slots`).
    pub head: u32,
    pub tail: u32,
    /// The unreaped completions, oldest first (the ring mirrors them).
    pub done: VecDeque<AioCompletion>,
    /// Requests waiting for their descriptor.
    pub waiting: Vec<AioWaiting>,
    /// Moved on by the core at every update that changes the counts, ring
    /// indexes or list lengths: a waiter's condition.
    pub generation: u64,
}

impl AioState {
    /// Records a completion at the tail; false when the ring is full
    /// (cannot happen while `in_flight` stays below `slots`).
    pub fn complete(&mut self, c: AioCompletion) -> bool {
        if self.slots == 0 || self.done.len() + 1 >= self.slots as usize {
            return false;
        }
        self.done.push_back(c);
        self.tail = (self.tail + 1) % self.slots;
        true
    }

    /// Takes up to `max` completions from the head, returning them and the
    /// requests they free.
    pub fn take(&mut self, max: usize) -> Vec<AioCompletion> {
        let n = max.min(self.done.len());
        let taken: Vec<AioCompletion> = self.done.drain(..n).collect();
        if self.slots > 0 {
            self.head = (self.head + n as u32) % self.slots;
        }
        self.in_flight = self.in_flight.saturating_sub(n as u32);
        taken
    }

    /// User space may reap completions itself by moving the ring's head:
    /// accepts `user_head` when it lies between the head and the tail.
    pub fn reaped_in_user_space(&mut self, user_head: u32) {
        if self.slots == 0 || user_head >= self.slots {
            return;
        }
        let moved = (user_head + self.slots - self.head) % self.slots;
        if moved as usize <= self.done.len() {
            self.take(moved as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(slots: u32) -> AioState {
        AioState { slots, ..AioState::default() }
    }

    #[test]
    fn completions_wrap_around_the_ring() {
        let mut s = state(4);
        for round in 0..5u64 {
            s.in_flight += 3;
            for i in 0..3 {
                assert!(s.complete(AioCompletion { data: round * 3 + i, ..Default::default() }));
            }
            assert!(!s.complete(AioCompletion::default()), "one slot stays empty");
            let got = s.take(8);
            assert_eq!(got.iter().map(|c| c.data).collect::<Vec<_>>(), [round * 3, round * 3 + 1, round * 3 + 2]);
            assert_eq!(s.head, s.tail);
            assert_eq!(s.in_flight, 0);
        }
    }

    #[test]
    fn user_space_reaping_is_believed_only_within_the_completions() {
        let mut s = state(8);
        s.in_flight = 3;
        for i in 0..3 {
            s.complete(AioCompletion { data: i, ..Default::default() });
        }
        s.reaped_in_user_space(7); // before the head: ignored
        assert_eq!(s.done.len(), 3);
        s.reaped_in_user_space(99);
        assert_eq!(s.done.len(), 3);
        s.reaped_in_user_space(2);
        assert_eq!(s.done.len(), 1);
        assert_eq!(s.head, 2);
        assert_eq!(s.in_flight, 1);
    }
}
