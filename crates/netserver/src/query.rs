//! The tables tools read (`Request::Interfaces`, `Request::Sockets`):
//! interfaces with their addresses, counters and routes, and every socket
//! with its addresses, state and queues, from the live stack.
//!
//! Each request asks for one page (netproto's `Records`): the whole table
//! is listed in a fixed order and the records from `start` on are sent, as
//! many as fit the answer (at most `Records::MAX_PER_PAGE`).

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netproto::{
    AddressRecord, InterfaceFlags, InterfaceName, InterfaceRecord, Kind, Record, Records, Request, RouteRecord,
    SocketHandle, SocketOption, SocketRecord,
};
use smoltcp::wire::{IpAddress, IpCidr};

use crate::device::LOOPBACK_QUEUE_LIMIT;
use crate::endpoint;
use crate::interface::{Link, NetInterface};
use crate::socket::{Protocol, Socket};
use crate::stack::{Outcome, Stack};

/// Linux's state numbers for a UDP socket: connected, or not.
const UDP_CONNECTED: u8 = 1;
const UDP_UNCONNECTED: u8 = 7;

impl Stack {
    /// One page of the interface table (interfaces, then their addresses,
    /// then routes); `room`: bytes the answer can hold.
    pub(crate) fn interfaces_page(&mut self, start: u32, room: usize) -> Outcome {
        let mut all = Vec::new();
        for (position, iface) in self.interfaces.iter().enumerate() {
            all.push(Record::Interface(interface_record(position, iface)));
        }
        for (position, iface) in self.interfaces.iter().enumerate() {
            for cidr in own_addresses(iface) {
                all.push(Record::Address(AddressRecord {
                    interface: index_of(position),
                    address: ip(cidr.address()),
                    prefix: cidr.prefix_len(),
                }));
            }
        }
        for (position, iface) in self.interfaces.iter().enumerate() {
            all.extend(routes(position, iface).map(Record::Route));
        }
        page(all, start, room)
    }

    /// One page of the socket table: the kernel's sockets by handle, then
    /// connections the kernel closed that are still finishing.
    pub(crate) fn sockets_page(&mut self, start: u32, room: usize) -> Outcome {
        let mut all = Vec::new();
        for handle in self.table.handles() {
            let Ok(mut socket) = self.table.take(handle) else { continue };
            let record = self.socket_record(handle, &mut socket);
            self.table.put_back(handle, socket);
            all.push(Record::Socket(record));
        }
        for i in 0..self.orphans.len() {
            let (part, family) = (self.orphans[i].part, self.orphans[i].user.family);
            let smol = self.tcp_socket(part);
            let Some(local) = smol.local_endpoint() else { continue };
            all.push(Record::Socket(SocketRecord {
                handle: None,
                kind: Kind::Stream,
                family,
                local: endpoint::from_smoltcp(family, local),
                remote: smol.remote_endpoint().map(|r| endpoint::from_smoltcp(family, r)),
                state: crate::tcp::linux_state(smol.state()) as u8,
                send_queue: clamp(smol.send_queue() as u64),
                receive_queue: clamp(smol.recv_queue() as u64),
            }));
        }
        page(all, start, room)
    }

    /// What the socket's own requests would report: its addresses, state
    /// and queues.
    fn socket_record(&mut self, handle: SocketHandle, socket: &mut Socket) -> SocketRecord {
        let local = match socket.protocol {
            Protocol::Icmp(_) => self.icmp_local_address(socket),
            _ => self.local_address(socket),
        };
        let peer = Request::PeerAddress { socket: handle };
        let remote = match socket.protocol {
            Protocol::Tcp(_) => self.tcp_request(socket, peer, 0),
            Protocol::Udp(_) => self.udp_request(socket, peer, 0),
            Protocol::Icmp(_) => self.icmp_request(socket, peer, 0),
        };
        let remote = match remote {
            Outcome::Address(a) => Some(a),
            _ => None,
        };
        let kind = socket.kind();
        let state = match kind {
            Kind::Stream => value(self, socket, SocketOption::TcpState) as u8,
            // Linux shows ping and raw sockets with UDP's states too.
            Kind::Datagram | Kind::Ping | Kind::Raw if remote.is_some() => UDP_CONNECTED,
            Kind::Datagram | Kind::Ping | Kind::Raw => UDP_UNCONNECTED,
        };
        SocketRecord {
            handle: Some(handle),
            kind,
            family: socket.family,
            local,
            remote,
            state,
            send_queue: clamp(value(self, socket, SocketOption::UnsentBytes)),
            receive_queue: clamp(value(self, socket, SocketOption::ReadableBytes)),
        }
    }
}

/// A value the socket's GetOption would answer; 0 where it has none (a
/// listener has no queues of its own).
fn value(stack: &mut Stack, socket: &mut Socket, option: SocketOption) -> u64 {
    match stack.get_option(socket, option) {
        Outcome::Value(v) => v,
        _ => 0,
    }
}

/// The records from `start` on that fit `room`, and where the rest begin.
fn page(all: Vec<Record>, start: u32, room: usize) -> Outcome {
    let start = (start as usize).min(all.len());
    let fit = (room.saturating_sub(64) / Record::MAX_SIZE).min(Records::MAX_PER_PAGE);
    let end = start.saturating_add(fit).min(all.len());
    let next = (end < all.len()).then_some(end as u32);
    let mut records = all;
    records.truncate(end);
    records.drain(..start);
    Outcome::Records(records, next)
}

/// Interface positions are 0 (loopback), 1, ...; Linux numbers interfaces
/// from 1 (0 means none), loopback first.
fn index_of(position: usize) -> u32 {
    position as u32 + 1
}

fn interface_record(position: usize, iface: &NetInterface) -> InterfaceRecord {
    let index = index_of(position);
    match &iface.link {
        Link::Loopback(link) => InterfaceRecord {
            index,
            name: name("lo"),
            flags: InterfaceFlags::UP | InterfaceFlags::RUNNING | InterfaceFlags::LOOPBACK,
            mtu: iface_mtu(iface),
            tx_queue_length: LOOPBACK_QUEUE_LIMIT as u32,
            mac: None,
            counters: link.counters,
        },
        Link::Ethernet(link) => {
            let mut flags = InterfaceFlags::UP | InterfaceFlags::BROADCAST | InterfaceFlags::MULTICAST;
            if link.device.link_up() {
                flags = flags | InterfaceFlags::RUNNING;
            }
            let mac = match iface.iface.hardware_addr() {
                smoltcp::wire::HardwareAddress::Ethernet(e) => Some(e.0),
                _ => None,
            };
            InterfaceRecord {
                index,
                // eth0 is the first Ethernet interface (position 1).
                name: name(&alloc::format!("eth{}", position - 1)),
                flags,
                mtu: iface_mtu(iface),
                tx_queue_length: link.device.queue_length() as u32,
                mac,
                counters: link.counters,
            }
        }
    }
}

/// The IP MTU: what the device takes, less the Ethernet header.
fn iface_mtu(iface: &NetInterface) -> u32 {
    let frame = match &iface.link {
        Link::Loopback(link) => smoltcp::phy::Device::capabilities(link).max_transmission_unit,
        Link::Ethernet(link) => smoltcp::phy::Device::capabilities(link).ip_mtu(),
    };
    frame as u32
}

fn name(text: &str) -> InterfaceName {
    // Names made here are short ASCII ("lo", "eth0").
    InterfaceName::new(text.as_bytes()).unwrap_or_else(|| InterfaceName::new(b"?").expect("a one-byte name"))
}

/// The addresses an interface holds itself: loopback also answers for the
/// Ethernet interfaces' addresses (routing.rs), which are theirs, not its.
fn own_addresses(iface: &NetInterface) -> impl Iterator<Item = IpCidr> + '_ {
    let loopback = iface.is_loopback();
    iface.iface.ip_addrs().iter().copied().filter(move |c| !loopback || endpoint::is_loopback(c.address()))
}

/// The interface's routes: a directly attached one per address (its
/// network), then the default routes by its gateways.
fn routes(position: usize, iface: &NetInterface) -> impl Iterator<Item = RouteRecord> + '_ {
    let interface = index_of(position);
    let attached = own_addresses(iface).map(move |cidr| RouteRecord {
        interface,
        destination: network(ip(cidr.address()), cidr.prefix_len()),
        prefix: cidr.prefix_len(),
        gateway: None,
    });
    let default4 = iface.gateway4.map(|g| RouteRecord {
        interface,
        destination: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        prefix: 0,
        gateway: Some(IpAddr::V4(g)),
    });
    let default6 = iface.gateway6.map(|g| RouteRecord {
        interface,
        destination: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        prefix: 0,
        gateway: Some(IpAddr::V6(g)),
    });
    attached.chain(default4).chain(default6)
}

fn ip(a: IpAddress) -> IpAddr {
    match a {
        IpAddress::Ipv4(v4) => IpAddr::V4(v4),
        IpAddress::Ipv6(v6) => IpAddr::V6(v6),
    }
}

/// `addr` with the bits past `prefix` cleared.
fn network(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix.min(128))).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
        }
    }
}

fn clamp(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}
