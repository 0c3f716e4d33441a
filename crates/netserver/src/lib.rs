//! The network server's logic: Helctic's TCP/IP stack as a library, over
//! smoltcp, driven by the kernel's requests (crate `netproto`).
//!
//! [`Stack::handle`] carries out one request and answers at once (the
//! server never blocks); [`Stack::poll`] runs timers and received frames;
//! [`Stack::take_events`] hands over readiness changes that happened
//! between requests. user/netstack wraps this in the IPC loop and adds
//! Ethernet interfaces over the virtio-net driver with
//! [`Stack::add_ethernet`]; the host tests drive it exactly as the kernel
//! will.
//!
//! user/netstack's loop, so that no readiness change is lost:
//! - a request: `len = stack.handle(&buf[..n], &mut buf, now)`, reply with
//!   `len`; then, if [`Stack::has_events`] (events that did not fit the
//!   answer), `take_events` and `net_events` them;
//! - frames from the driver or the timer: `delay = stack.poll(now)`, then
//!   `take_events`/`net_events` until none are left, and arm the timer for
//!   `delay` (`Some(0)`: loopback traffic is still moving, poll again).
//!
//! A `Receive` answer's data is cut to fit the answer buffer (less 2 KiB
//! kept for events); `full_length` keeps the datagram's real length. A
//! 16-page buffer therefore carries datagrams of up to 63,448 bytes whole.
//!
//! What smoltcp lacks and this crate adds: an accept queue
//! (`listener_pool`), ephemeral ports and Linux's port-sharing rules
//! (`ports`), dual-stack IPv6 sockets (IPv4-mapped addresses, `endpoint`),
//! telling refused, reset and closed-in-order connections apart (`tcp`),
//! readiness events (`readiness`), per-interface socket sets so that
//! loopback traffic never leaves by Ethernet (`interface`, `routing`),
//! Linux's choice of the UDP socket a datagram goes to (`udp`), ping
//! sockets and raw ICMP sockets over one shared smoltcp raw socket per
//! interface and IP version (`icmp`), and a bound on buffer memory
//! (`budget`).
//!
//! Not done: IP fragmentation (a UDP datagram over Ethernet must fit the
//! MTU), ICMP errors turned into socket errors, TCP urgent data, a
//! lingering close (SO_LINGER > 0 closes as without it). The interface
//! and socket tables (`Interfaces`, `Sockets`) are `query`'s.

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod budget;
mod config;
mod counters;
mod device;
mod endpoint;
mod full_listeners;
mod icmp;
mod interface;
mod listener_pool;
mod multicast;
mod options;
mod owner;
mod ports;
mod query;
mod readiness;
mod routing;
mod rx_checksum;
mod socket;
mod stack;
mod table;
mod tcp;
mod udp;
mod udp_errors;

pub use config::{ConfigError, NetworkConfig};
pub use device::FrameDevice;
pub use interface::{InterfaceConfig, Ipv4Config};
pub use owner::{Owner, CLIENT_SOCKETS};
pub use smoltcp::time::{Duration, Instant};
pub use stack::{AddInterfaceError, Limits, Stack, SERVER_BUFFER_BYTES};
