//! Linux's rtnetlink (`AF_NETLINK`, `NETLINK_ROUTE`) without the kernel:
//! enough of it that iproute2's `ip addr`, `ip link`, `ip route`
//! (`-4`/`-6`, `show dev X`, `route get`), busybox `ip` and glibc's
//! `getifaddrs`/`if_nameindex` print the machine's configuration.
//!
//! Not yet wired into the kernel. The glue keeps one [`Socket`] per
//! netlink socket and one [`PortTable`]; it builds a [`Config`] from what
//! the TCP/IP server reports (with [`derive::routes`] for the routes Linux
//! would derive from the links and addresses) and then:
//!
//! - `socket(AF_NETLINK, SOCK_RAW|SOCK_DGRAM, NETLINK_ROUTE)`: nothing yet;
//!   `bind` or the first send gives a port id ([`PortTable::autobind`]
//!   with the process's pid, or [`PortTable::bind`]) →
//!   [`Socket::new`]; `nl_groups` → [`Socket::bind_groups`].
//! - `setsockopt`/`getsockopt(SOL_NETLINK, ...)` → [`Socket::setsockopt`],
//!   [`Socket::getsockopt`]; `SO_RCVBUF` → [`Socket::set_rcvbuf`].
//! - `getsockname` → [`SockaddrNl`] with the port id and groups.
//! - `sendmsg`/`sendto`/`write` to port 0 (or unaddressed) →
//!   [`Socket::send`] with the bytes, gathered from all iovecs.
//! - `recvmsg`/`recvfrom`/`read` → [`Socket::recv`]; the source address
//!   is [`SockaddrNl::KERNEL`]; `poll` → [`Socket::readable`].
//!
//! What is answered, and what is refused and why, is in [`handler`].
//! Everything is `#![no_std]`, allocation only, no `unsafe`; no input
//! makes it panic (property tests feed it random and cut requests).

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod addr;
pub mod derive;
pub mod dump;
pub mod handler;
pub mod inspect;
pub mod link;
pub mod lookup;
pub mod model;
pub mod reply;
pub mod request;
pub mod route;
pub mod rule;
pub mod sockaddr;
pub mod socket;
pub mod uapi;
pub mod wire;

pub use model::{Address, Config, Gateway, Ip, Link, LinkKind, LinkStats, Protocol, Route, RouteType, Scope, Table};
pub use sockaddr::{PortTable, SockaddrNl};
pub use socket::Socket;
