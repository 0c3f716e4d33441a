//! Internet sockets for native programs: the TCP/IP server
//! (`user/netstack`) serves them on an endpoint the manifest grants
//! (`endpoint sockets`: the server `rwgtd`, each client `wg`), with the
//! requests, answers and events of `crates/netproto`, the very encoding
//! the kernel uses for Linux programs' sockets. The client library is
//! `user/netclient`; docs/native-sockets.md is the full description.
//!
//! # Attaching
//!
//! 1. [`ATTACH`] on the granted endpoint, carrying a capability to the
//!    client's own task (type Task, READ|TRANSFER: the server polls it with
//!    `task_wait` to notice the client's end, and can do nothing else with
//!    it). Reply [`DONE`] carrying the client's *own* endpoint: a badged
//!    copy of the server's (WRITE|GRANT|TRANSFER) whose badge is the
//!    client's number. Every later call goes there: the badge, which the
//!    client cannot forge, is how the server tells clients apart. Or
//!    [`BUSY`] ([`MAX_CLIENTS`] attached and alive), [`MALFORMED`].
//! 2. [`BUFFER`] on the client's endpoint, carrying a Memory capability
//!    (READ|WRITE|TRANSFER), w0 = its pages ([`MIN_PAGES`] to
//!    [`MAX_PAGES`]): the buffer requests and answers travel in.
//! 3. [`EVENTS`] on the client's endpoint, carrying a Notification
//!    (WRITE|TRANSFER), w0 = the bits to signal it with (nonzero, bit 63
//!    clear): signalled whenever readiness events wait for the client.
//!
//! # Calls
//!
//! - [`REQUEST`], w0 = the length of an encoded `netproto::Request` at the
//!   start of the buffer. The server answers in the same buffer: reply
//!   [`DONE`], w0 = the length of an encoded `netproto::Answer` (the
//!   response and the readiness events of the client's sockets). Or
//!   [`NOT_ATTACHED`] (no buffer yet), [`MALFORMED`] (w0 past the buffer).
//! - [`TAKE_EVENTS`]: reply [`DONE`], w0 = the length of an encoded
//!   `netproto::EventList` at the start of the buffer (0: none waiting).
//! - [`DETACH`]: the server closes the client's sockets and forgets it;
//!   the client's endpoint answers `NOT_ATTACHED` from then on.
//!
//! Every call is one exchange: the server never blocks. An operation
//! that would wait is answered `WouldBlock` (`InProgress` for a TCP
//! connect); the client waits on its notification and asks again.
//!
//! # Isolation
//!
//! A socket handle belongs to the client that opened (or accepted) it.
//! A handle of another client or of the kernel is answered `BadHandle`,
//! exactly as one that never existed. A client holds at most 256 sockets
//! (`netserver::CLIENT_SOCKETS`). When its task ends (noticed within a
//! second) or it detaches, its sockets are closed as a dead process's
//! are. Each call does a bounded amount of work, and the server's thread
//! for native clients gives way to the kernel's requests.

/// Attach: capability = the client's Task (READ). Reply `DONE` + the
/// client's endpoint, or `BUSY`, `MALFORMED`.
pub const ATTACH: u32 = 1;
/// The shared buffer: capability = Memory (READ|WRITE), w0 = pages.
/// Reply `DONE`, `MALFORMED` or `FAILED` (the server could not map it).
pub const BUFFER: u32 = 2;
/// Where to signal readiness: capability = Notification (WRITE), w0 =
/// bits. Reply `DONE` or `MALFORMED`.
pub const EVENTS: u32 = 3;
/// One request: w0 = its length in the buffer. Reply `DONE`, w0 = the
/// answer's length.
pub const REQUEST: u32 = 4;
/// The events waiting: reply `DONE`, w0 = an event list's length.
pub const TAKE_EVENTS: u32 = 5;
/// Close every socket and forget the client. Reply `DONE`.
pub const DETACH: u32 = 6;

/// Reply: done.
pub const DONE: u32 = 0;
/// Reply: the server has [`MAX_CLIENTS`] live clients.
pub const BUSY: u32 = 1;
/// Reply: a capability missing, of the wrong type or rights, or a word
/// out of range.
pub const MALFORMED: u32 = 2;
/// Reply: the call needs an attached client with a buffer (or came on the
/// shared endpoint instead of the client's own).
pub const NOT_ATTACHED: u32 = 3;
/// Reply: an unknown label.
pub const UNSUPPORTED: u32 = 4;
/// Reply: the server could not do it (out of memory or address space).
pub const FAILED: u32 = 5;

/// Clients attached at once.
pub const MAX_CLIENTS: usize = 64;
/// The smallest buffer: room for a request's fields and an answer.
pub const MIN_PAGES: u64 = 1;
/// The largest buffer the server maps (80 KiB): 64 KiB of data per
/// exchange with room for events, as the kernel's.
pub const MAX_PAGES: u64 = 20;
