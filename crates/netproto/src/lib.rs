//! The network protocol: how the kernel's Internet sockets talk to the
//! user-space TCP/IP server (user/netstack).
//!
//! One exchange is one IPC call. The kernel writes an encoded [`Request`]
//! in the buffer it shares with the server; the server answers with an
//! encoded [`Answer`]: a [`Response`] and the readiness [`Event`]s that
//! handling the request caused. Readiness changes that happen between
//! requests (frames, timers) travel separately as an [`EventList`].
//!
//! The server never blocks: an operation that would have to wait answers
//! [`Error::WouldBlock`] (or [`Error::InProgress`] for a TCP connect), and
//! the kernel waits for the socket's next readiness event before asking
//! again.
//!
//! Both sides distrust each other's bytes: every decoder refuses truncated
//! messages, trailing bytes, unknown tags and lengths past the end with
//! [`WireError::Malformed`], and never panics.

#![no_std]
#![forbid(unsafe_code)]

mod address;
mod answer;
mod error;
mod event;
mod option;
mod request;
mod table;
mod wire;

pub use address::{Address, Family, Kind};
pub use answer::{Answer, Response};
pub use error::Error;
pub use event::{Event, EventIter, EventList, Readiness, SocketHandle, EVENT_SIZE};
pub use option::SocketOption;
pub use request::Request;
pub use table::{
    AddressRecord, Counters, InterfaceFlags, InterfaceName, InterfaceRecord, Record, RecordIter, Records, RouteRecord,
    SocketRecord, INTERFACE_NAME_MAX,
};
pub use wire::WireError;
