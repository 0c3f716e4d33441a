//! Routing sockets (Linux's `AF_NETLINK`/`NETLINK_ROUTE`): the kernel
//! answers them itself with crates/rtnetlink, from the network server's
//! own tables. `socket.rs` is the file a netlink descriptor names,
//! `config.rs` turns the server's interfaces and routes into the model
//! rtnetlink answers from.

pub mod config;
pub mod socket;

pub use socket::NetlinkSocket;
