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
//! What smoltcp lacks and this crate adds: an accept queue
//! (`listener_pool`), ephemeral ports and Linux's port-sharing rules
//! (`ports`), dual-stack IPv6 sockets (IPv4-mapped addresses, `endpoint`),
//! telling refused, reset and closed-in-order connections apart (`tcp`),
//! readiness events (`readiness`), per-interface socket sets so that
//! loopback traffic never leaves by Ethernet (`interface`), and a bound
//! on buffer memory (`stack`). Not done: IP fragmentation (a UDP datagram
//! over Ethernet must fit the MTU), ICMP errors turned into socket errors,
//! TCP urgent data, a real SO_LINGER wait.

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod device;
mod endpoint;
mod interface;
mod listener_pool;
mod options;
mod ports;
mod readiness;
mod socket;
mod stack;
mod table;
mod tcp;
mod udp;

pub use device::FrameDevice;
pub use interface::{InterfaceConfig, Ipv4Config};
pub use smoltcp::time::{Duration, Instant};
pub use stack::{AddInterfaceError, Limits, Stack};
