//! Serving the kernel's Internet sockets, with a Net capability.

use super::{addr, unit, Error, Syscall};
use crate::syscall::{syscall3, syscall5};

/// Serves the kernel's AF_INET/AF_INET6 sockets on `ep`: `buf` is a Memory
/// capability of at least 16 pages that the kernel and the server share for
/// requests and answers (protocol: crates/netproto). Sockets opened from
/// now on are this server's.
pub fn net_serve(net: u64, ep: u64, buf: u64) -> Result<(), Error> {
    unit(syscall5(Syscall::NetServe.nr(), net, ep, buf, 0, 0))
}

/// Reports readiness changes the kernel has not seen in an answer:
/// `events` is an encoded `netproto::EventList`.
pub fn net_events(net: u64, events: &[u8]) -> Result<(), Error> {
    unit(syscall3(Syscall::NetEvents.nr(), net, addr(events.as_ptr()), events.len() as u64))
}
