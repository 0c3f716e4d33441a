//! Internet sockets (AF_INET, AF_INET6), served by the user-space network
//! server (user/netstack) over crates/netproto: `server.rs` is the kernel's
//! side of the protocol, `socket.rs` the file a socket descriptor names,
//! `tables.rs` the server's interface and socket tables for tools.

pub mod server;
pub mod socket;
pub mod tables;

pub use server::{events_from, serve};
pub use socket::InetSocket;
