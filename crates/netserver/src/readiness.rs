//! Readiness events: each socket's readiness is recomputed after every
//! request and poll and compared with what was last reported; a change
//! becomes an [`Event`] with the next server-wide sequence number, queued
//! for the socket's owner: the kernel's go into its answers and to
//! `net_events`, a native client's into its answers and to its own
//! `EVENTS` calls, never anyone else's.

use alloc::vec::Vec;

use netproto::{Event, EventList, Readiness, SocketHandle, EVENT_SIZE};

use crate::owner::Owner;

pub(crate) struct EventQueue {
    next_seq: u64,
    /// Events not yet delivered (neither in an answer nor by `take_events`).
    pending: Vec<(Owner, Event)>,
    /// Clients that got an event since [`take_woken`](Self::take_woken):
    /// the server signals their notifications.
    woken: Vec<u64>,
}

impl EventQueue {
    pub fn new() -> EventQueue {
        EventQueue { next_seq: 1, pending: Vec::new(), woken: Vec::new() }
    }

    /// Records `now` as `socket`'s readiness if it differs from `reported`.
    pub fn update(&mut self, owner: Owner, socket: SocketHandle, reported: &mut Option<Readiness>, now: Readiness) {
        if *reported == Some(now) {
            return;
        }
        *reported = Some(now);
        let seq = self.next_seq;
        self.next_seq += 1;
        let event = Event { socket, readiness: now, seq };
        if let Owner::Client(client) = owner {
            // Only the newest event of a socket matters (the reader keeps
            // the highest seq), so a client that never takes its events
            // holds at most one per socket here.
            self.pending.retain(|(o, e)| !(*o == owner && e.socket == socket));
            if !self.woken.contains(&client) {
                self.woken.push(client);
            }
        }
        self.pending.push((owner, event));
    }

    /// Whether events wait for `owner`.
    pub fn has(&self, owner: Owner) -> bool {
        self.pending.iter().any(|(o, _)| *o == owner)
    }

    /// Takes as many of `owner`'s pending events (oldest first) as `room`
    /// bytes of an encoded list hold; the rest stay for the next answer
    /// or `take_events`.
    pub fn take_fitting(&mut self, owner: Owner, room: usize) -> Vec<Event> {
        let mut fit = room.saturating_sub(EventList::encoded_len(0)) / EVENT_SIZE;
        let mut taken = Vec::new();
        self.pending.retain(|(o, e)| {
            if *o == owner && fit > 0 {
                fit -= 1;
                taken.push(*e);
                false
            } else {
                true
            }
        });
        taken
    }

    /// Drops what waits for `socket` of `owner` (closed: nobody will ask).
    pub fn forget_socket(&mut self, owner: Owner, socket: SocketHandle) {
        self.pending.retain(|(o, e)| !(*o == owner && e.socket == socket));
    }

    /// Drops everything that waits for `owner` (a client that ended).
    pub fn forget_owner(&mut self, owner: Owner) {
        self.pending.retain(|(o, _)| *o != owner);
        if let Owner::Client(client) = owner {
            self.woken.retain(|c| *c != client);
        }
    }

    /// The clients with new events since the last call.
    pub fn take_woken(&mut self, out: &mut Vec<u64>) {
        out.append(&mut self.woken);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_holds_one_pending_event_per_socket_the_kernel_all() {
        let mut q = EventQueue::new();
        let (mut a, mut b) = (None, None);
        for i in 0..100 {
            let r = if i % 2 == 0 { Readiness::READABLE } else { Readiness::NONE };
            q.update(Owner::Client(1), SocketHandle(5), &mut a, r);
            q.update(Owner::Kernel, SocketHandle(5), &mut b, r);
        }
        let mut woken = Vec::new();
        q.take_woken(&mut woken);
        assert_eq!(woken, [1]);
        let client = q.take_fitting(Owner::Client(1), 1 << 16);
        assert_eq!(client.len(), 1);
        assert_eq!(client[0].readiness, Readiness::NONE);
        assert_eq!(q.take_fitting(Owner::Kernel, 1 << 16).len(), 100);
        assert!(!q.has(Owner::Client(1)) && !q.has(Owner::Kernel));
    }

    #[test]
    fn events_go_to_their_owner_only() {
        let mut q = EventQueue::new();
        q.update(Owner::Client(1), SocketHandle(1), &mut None, Readiness::READABLE);
        q.update(Owner::Client(2), SocketHandle(2), &mut None, Readiness::READABLE);
        q.update(Owner::Kernel, SocketHandle(3), &mut None, Readiness::READABLE);
        let taken = q.take_fitting(Owner::Client(2), 1 << 16);
        assert_eq!(taken.iter().map(|e| e.socket).collect::<Vec<_>>(), [SocketHandle(2)]);
        q.forget_owner(Owner::Client(1));
        assert!(!q.has(Owner::Client(1)));
        assert_eq!(q.take_fitting(Owner::Kernel, 1 << 16).len(), 1);
        let mut woken = Vec::new();
        q.take_woken(&mut woken);
        assert_eq!(woken, [2]);
    }
}
