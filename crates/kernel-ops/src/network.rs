//! The network as tools see it: interfaces with their addresses and
//! counters, routes, and the Internet sockets, gathered by the core from
//! the network server (its `Interfaces` and `Sockets` tables) for a
//! personality's ioctls (Linux's SIOCGIF*) and /proc/net files.

use crate::socket::{InetAddress, SocketFamily, SocketKind};
use alloc::vec::Vec;
use core::net::IpAddr;

/// What an interface is and does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InterfaceFlags {
    pub up: bool,
    /// The link carries frames.
    pub running: bool,
    pub loopback: bool,
    pub broadcast: bool,
    pub multicast: bool,
}

/// Frames and bytes through an interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InterfaceCounters {
    pub rx_packets: u64,
    pub rx_bytes: u64,
    pub rx_errors: u64,
    pub rx_dropped: u64,
    pub tx_packets: u64,
    pub tx_bytes: u64,
    pub tx_errors: u64,
    pub tx_dropped: u64,
}

/// One network interface.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterfaceRecord {
    /// Never 0; loopback is 1.
    pub index: u32,
    /// At most 15 bytes ("lo", "eth0").
    pub name: Vec<u8>,
    pub flags: InterfaceFlags,
    pub mtu: u32,
    pub tx_queue_length: u32,
    /// None for links without hardware addresses (loopback).
    pub mac: Option<[u8; 6]>,
    pub counters: InterfaceCounters,
    /// Its addresses and their prefix lengths, IPv4 and IPv6, in the
    /// server's order.
    pub addresses: Vec<(IpAddr, u8)>,
}

/// A route: `destination/prefix` through interface `interface`, by
/// `gateway` or directly attached. The default route is 0.0.0.0/0 (::/0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteRecord {
    pub interface: u32,
    pub destination: IpAddr,
    pub prefix: u8,
    pub gateway: Option<IpAddr>,
}

/// The interfaces and routes, as one look at the server saw them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkRecord {
    pub interfaces: Vec<InterfaceRecord>,
    pub routes: Vec<RouteRecord>,
}

impl NetworkRecord {
    pub fn by_name(&self, name: &[u8]) -> Option<&InterfaceRecord> {
        self.interfaces.iter().find(|i| i.name == name)
    }

    pub fn by_index(&self, index: u32) -> Option<&InterfaceRecord> {
        self.interfaces.iter().find(|i| i.index == index)
    }
}

/// One Internet socket (or a connection closed by its program that the
/// server is still finishing: `inode` 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InetSocketRecord {
    pub kind: SocketKind,
    pub family: SocketFamily,
    pub local: InetAddress,
    pub remote: Option<InetAddress>,
    /// Linux's TCP state number (1 ESTABLISHED ... 10 LISTEN, 11 CLOSING);
    /// for UDP 1 when connected, else 7.
    pub state: u8,
    pub send_queue: u32,
    pub receive_queue: u32,
    /// The socket file's inode number (fstat's st_ino), 0 if none.
    pub inode: u64,
    /// The user that created the socket, 0 if none.
    pub uid: u32,
}
