//! Internet sockets for native programs: the client side of
//! `protocols::sockets`, served by the TCP/IP server (`user/netstack`)
//! with the same stack, and the same `crates/netproto` messages, as the
//! Linux programs' sockets.
//!
//! A crate of its own rather than a module of `rt`: `rt` is the runtime
//! every program links (and every unsafe line of user space is audited
//! there); sockets need netproto and a protocol with one server, which
//! programs without a network should not carry. This crate has no unsafe
//! code: the shared buffer is `rt::shared::SharedBuffer`.
//!
//! ```ignore
//! let mut net = netclient::Net::attach(netclient::find_endpoint()?)?;
//! let listener = net.tcp_listen(Address::V4 { addr: [127, 0, 0, 1], port: 0 }, 8)?;
//! let (conn, peer) = net.accept(listener)?;
//! let n = net.recv(conn, &mut buf)?;
//! ```
//!
//! Every call blocks the way a Linux socket call does, but the server
//! never does: it answers `WouldBlock` (or `InProgress`), and the library
//! waits on its notification, which the server signals when readiness
//! events wait for this client, then takes those events and asks again.
//!
//! A [`Net`] is one attachment: one shared buffer, one request at a time.
//! Threads that use sockets at once attach each on their own (their
//! sockets are then as separate as two programs'). Dropping a `Net`
//! detaches, closing its sockets; so does the task's end.

#![no_std]
#![forbid(unsafe_code)]

mod attach;
mod calls;
mod error;

pub use attach::{find_endpoint, Net};
pub use error::NetError;
pub use netproto::{Address, Error, Family, Kind, Readiness, SocketHandle as Socket};
