//! Readiness events: each socket's readiness is recomputed after every
//! request and poll and compared with what was last reported; a change
//! becomes an [`Event`] with the next server-wide sequence number.

use alloc::vec::Vec;

use netproto::{Event, EventList, Readiness, SocketHandle, EVENT_SIZE};

pub(crate) struct EventQueue {
    next_seq: u64,
    /// Events not yet delivered (neither in an answer nor by `take_events`).
    pending: Vec<Event>,
}

impl EventQueue {
    pub fn new() -> EventQueue {
        EventQueue { next_seq: 1, pending: Vec::new() }
    }

    /// Records `now` as `socket`'s readiness if it differs from `reported`.
    pub fn update(&mut self, socket: SocketHandle, reported: &mut Option<Readiness>, now: Readiness) {
        if *reported == Some(now) {
            return;
        }
        *reported = Some(now);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.push(Event { socket, readiness: now, seq });
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Takes as many pending events (oldest first) as `room` bytes of an
    /// encoded list hold; the rest stay for the next answer or
    /// `take_events`.
    pub fn take_fitting(&mut self, room: usize) -> Vec<Event> {
        let fit = room.saturating_sub(EventList::encoded_len(0)) / EVENT_SIZE;
        let n = fit.min(self.pending.len());
        self.pending.drain(..n).collect()
    }
}
