//! Linux's rtnetlink (`AF_NETLINK`, `NETLINK_ROUTE`) without the kernel:
//! enough of it that iproute2's `ip addr`, `ip link`, `ip route`
//! (`-4`/`-6`, `show dev X`, `route get`), busybox `ip` and glibc's
//! `getifaddrs`/`if_nameindex` print the machine's configuration.
//!
//! The kernel's glue is `kernel/src/fs/netlink/`. It keeps one [`Socket`] per
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
//!   [`Socket::send`] with the bytes, gathered from all iovecs. (A
//!   destination port other than 0 is another program's socket: the glue
//!   delivers or refuses that itself; Linux allows it only to privileged
//!   senders for `NETLINK_ROUTE`.)
//! - `recvmsg`/`recvfrom`/`read` → [`Socket::recv`] with the buffer's
//!   size and `MSG_PEEK`; it returns the whole datagram, and the glue
//!   copies what fits, sets `MSG_TRUNC` when it did not all fit and
//!   returns the full length when the caller passed `MSG_TRUNC`. The
//!   source address is [`SockaddrNl::KERNEL`]; `poll` →
//!   [`Socket::readable`]; `close` → [`PortTable::release`].
//!
//! `tests/real_ip.rs` is a working model of that glue: it runs the host's
//! unmodified `ip` with a preloaded shim that forwards its netlink sockets
//! to this crate, and checks `ip`'s output against Linux's.
//!
//! # What is answered
//!
//! - `RTM_GETLINK`: dumps (also the `AF_INET6` view `ip -6` asks for)
//!   and single gets by index or `IFLA_IFNAME` ([`link`]).
//! - `RTM_GETADDR`: dumps of either family or both, filtered by link when
//!   strictly checked ([`addr`]).
//! - `RTM_GETROUTE`: dumps of tables main and local, with the strict
//!   filters (table, link, protocol, type) ([`route`]); single gets as
//!   `ip route get` makes them, `fibmatch` included ([`lookup`]).
//! - `RTM_GETRULE`: Linux's default rules ([`rule`]).
//! - Dumps of what Helctic has none of (neighbours, netconf, queueing
//!   disciplines, next hops, ...) are empty; acks (`NLM_F_ACK`), control
//!   messages, extended acks (`NETLINK_EXT_ACK`), capped acks
//!   (`NETLINK_CAP_ACK`) and strict checking (`NETLINK_GET_STRICT_CHK`)
//!   behave as on Linux, with Linux's error messages.
//!
//! # What is refused, and why
//!
//! - `RTM_NEW*`, `RTM_DEL*`, `RTM_SET*`: EPERM with an extended-ack
//!   message. The TCP/IP server owns the configuration and has no
//!   request to change it yet. EPERM is what an unprivileged program gets
//!   from Linux, so every tool handles it; those that ask for extended
//!   acks (iproute2) print the message, which says why.
//! - Types rtnetlink does not serve, and single gets other than links and
//!   routes: EOPNOTSUPP, as Linux answers them.
//!
//! # Not modelled
//!
//! Multicast notifications (groups are remembered, nothing is sent),
//! `IFLA_PROTINFO`/`IFLA_AF_SPEC` per-family link settings, netconf
//! contents, neighbours, address lifetimes (always "forever"), policy
//! routing, input-route lookups (`ip route get ... iif`), and network
//! namespaces. See [`handler`] for the dispatch and each module for the
//! Linux function it follows.
//!
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
