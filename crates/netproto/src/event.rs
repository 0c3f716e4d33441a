//! Socket handles, readiness, and the readiness events the server reports.

use crate::wire::{Reader, WireError, Writer};

/// A server's name for one socket: slot index in the low 32 bits, a
/// generation in the high 32, so that a stale handle is refused
/// (`BadHandle`) instead of reaching a reused slot.
#[derive(Copy, Clone, Eq, PartialEq, Hash, Debug, Ord, PartialOrd)]
pub struct SocketHandle(pub u64);

impl SocketHandle {
    pub fn new(slot: u32, generation: u32) -> SocketHandle {
        SocketHandle(u64::from(generation) << 32 | u64::from(slot))
    }

    pub fn slot(self) -> u32 {
        self.0 as u32
    }

    pub fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

/// What a socket is ready for: poll's bits, hand-written.
#[derive(Copy, Clone, Eq, PartialEq, Debug, Default)]
pub struct Readiness(pub u32);

impl Readiness {
    pub const NONE: Readiness = Readiness(0);
    /// Data, end of stream, a pending datagram, or (listening) a connection waiting.
    pub const READABLE: Readiness = Readiness(1);
    /// Room to send; (connecting) the connection is up or has failed.
    pub const WRITABLE: Readiness = Readiness(2);
    /// The peer sent FIN (POLLRDHUP).
    pub const READ_CLOSED: Readiness = Readiness(4);
    /// Both directions finished, reset, or the socket is dead (POLLHUP).
    pub const HANGUP: Readiness = Readiness(8);
    /// A pending error SO_ERROR would report (POLLERR).
    pub const ERROR: Readiness = Readiness(16);

    pub fn contains(self, other: Readiness) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for Readiness {
    type Output = Readiness;
    fn bitor(self, rhs: Readiness) -> Readiness {
        Readiness(self.0 | rhs.0)
    }
}

impl core::ops::BitOrAssign for Readiness {
    fn bitor_assign(&mut self, rhs: Readiness) {
        self.0 |= rhs.0;
    }
}

/// A socket's readiness as of server-wide sequence number `seq`. The kernel
/// keeps, per socket, the event with the highest `seq` it has seen, so the
/// order in which answers and event lists reach it does not matter.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct Event {
    pub socket: SocketHandle,
    pub readiness: Readiness,
    pub seq: u64,
}

/// Bytes one event takes on the wire: handle u64, readiness u32, seq u64.
pub const EVENT_SIZE: usize = 20;

pub(crate) fn write_events(w: &mut Writer, events: &[Event]) -> Result<(), WireError> {
    let count = u32::try_from(events.len()).map_err(|_| WireError::TooLarge)?;
    w.u32(count)?;
    for e in events {
        w.u64(e.socket.0)?;
        w.u32(e.readiness.0)?;
        w.u64(e.seq)?;
    }
    Ok(())
}

/// Reads a count and checks that exactly that many events follow, so that
/// iterating afterwards cannot fail.
pub(crate) fn read_events<'a>(r: &mut Reader<'a>) -> Result<EventIter<'a>, WireError> {
    let count = r.u32()? as usize;
    let len = count.checked_mul(EVENT_SIZE).ok_or(WireError::Malformed)?;
    if r.remaining() != len {
        return Err(WireError::Malformed);
    }
    Ok(EventIter { bytes: r.rest() })
}

/// The events of a decoded message, decoded one at a time (no allocation).
#[derive(Clone, Debug)]
pub struct EventIter<'a> {
    bytes: &'a [u8],
}

impl EventIter<'_> {
    /// Events not yet taken.
    pub fn remaining(&self) -> usize {
        self.bytes.len() / EVENT_SIZE
    }
}

impl Iterator for EventIter<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.bytes.len() < EVENT_SIZE {
            return None;
        }
        let (one, rest) = self.bytes.split_at(EVENT_SIZE);
        self.bytes = rest;
        let mut r = Reader::new(one);
        let socket = SocketHandle(r.u64().ok()?);
        let readiness = Readiness(r.u32().ok()?);
        let seq = r.u64().ok()?;
        Some(Event { socket, readiness, seq })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining(), Some(self.remaining()))
    }
}

/// The asynchronous path (`net_events`): readiness changes caused by
/// frames and timers, between requests. On the wire: a u32 count and the
/// events.
pub struct EventList;

impl EventList {
    pub fn encode(events: &[Event], buf: &mut [u8]) -> Result<usize, WireError> {
        let mut w = Writer::new(buf);
        write_events(&mut w, events)?;
        Ok(w.len())
    }

    pub fn decode(buf: &[u8]) -> Result<EventIter<'_>, WireError> {
        read_events(&mut Reader::new(buf))
    }

    /// Bytes an encoded list of `count` events takes.
    pub fn encoded_len(count: usize) -> usize {
        4 + count * EVENT_SIZE
    }
}
