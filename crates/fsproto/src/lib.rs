//! The file-system protocol: how the kernel's VFS talks to a file-system
//! server in user space (the ext2 server over the virtio-blk driver).
//!
//! One exchange is one IPC call. The request and the answer travel in a
//! buffer the server shares with the kernel; the message itself carries
//! only their lengths. Both halves live here so that they are tested
//! together on the host:
//!
//! - [`Request`] and [`Response`]: the messages, with encoders and total
//!   decoders (every malformed message is refused, nothing panics).
//! - [`server::handle`]: carries a request out on any `vfs::FileSystem`.
//! - [`RemoteFs`]: a `vfs::FileSystem` that forwards each call through a
//!   [`Transport`]; the kernel mounts one per served file system.
//!
//! The server is untrusted: the client checks each answer against the
//! question and turns anything wrong into `Io`.

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod cache;
mod client;
mod holds;
mod request;
mod response;
pub mod server;
mod wire;

pub use client::{RemoteFs, Transport};
pub use request::{op, Request, FIXED_FIELDS_MAX};
pub use response::{entry_size, error_code, error_of, Entries, EntriesWriter, Response};
pub use wire::WireError;
