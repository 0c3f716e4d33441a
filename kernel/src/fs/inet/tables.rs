//! The network server's tables (netproto's `Interfaces` and `Sockets`),
//! read page by page and handed to personalities as kernel-ops records:
//! the SIOCGIF* ioctls and /proc/net read them.
//!
//! The server is not trusted: a page that does not move the position
//! forward, or more pages than `MAX_PAGES`, end the reading with EIO
//! instead of looping.

use super::server::{self, NetServer};
use super::socket::kernel_error;
use alloc::vec::Vec;
use kernel_ops::{
    Error, InetAddress, InetSocketRecord, InterfaceCounters, InterfaceFlags, InterfaceRecord, KResult, NetworkRecord,
    RouteRecord, SocketFamily, SocketKind,
};
use netproto::{Address, Family, Kind, Record, Request, Response};

/// Pages read at most: 64 records each, so 16,384 records (the server
/// holds at most 4,096 sockets and the connections closing behind them),
/// about 2 MiB of kernel heap however long a hostile server's table.
const MAX_PAGES: usize = 256;

/// Every record of one table, in the server's order.
fn read_table(server: &NetServer, interfaces: bool, mut each: impl FnMut(Record)) -> KResult<()> {
    let mut start = 0u32;
    for _ in 0..MAX_PAGES {
        let request = if interfaces { Request::Interfaces { start } } else { Request::Sockets { start } };
        let next = server.call(&request, |response| match response {
            Response::Records(page) => {
                page.iter().for_each(&mut each);
                Ok(page.next_start())
            }
            Response::Error(e) => Err(kernel_error(e)),
            _ => Err(Error::Io),
        })?;
        match next {
            None => return Ok(()),
            Some(n) if n > start => start = n,
            Some(_) => return Err(Error::Io),
        }
    }
    Err(Error::Io)
}

/// The interfaces with their addresses, and the routes.
pub fn network() -> KResult<NetworkRecord> {
    let server = server::current()?;
    let mut net = NetworkRecord::default();
    let mut addresses = Vec::new();
    read_table(&server, true, |record| match record {
        Record::Interface(i) => net.interfaces.push(interface(&i)),
        Record::Address(a) => addresses.push(a),
        Record::Route(r) => net.routes.push(RouteRecord {
            interface: r.interface,
            destination: r.destination,
            prefix: r.prefix,
            gateway: r.gateway,
        }),
        Record::Socket(_) => {}
    })?;
    // Addresses of interfaces the server did not list are dropped.
    for a in addresses {
        if let Some(i) = net.interfaces.iter_mut().find(|i| i.index == a.interface) {
            i.addresses.push((a.address, a.prefix));
        }
    }
    Ok(net)
}

fn interface(i: &netproto::InterfaceRecord) -> InterfaceRecord {
    use netproto::InterfaceFlags as F;
    let c = &i.counters;
    InterfaceRecord {
        index: i.index,
        name: i.name.as_bytes().to_vec(),
        flags: InterfaceFlags {
            up: i.flags.contains(F::UP),
            running: i.flags.contains(F::RUNNING),
            loopback: i.flags.contains(F::LOOPBACK),
            broadcast: i.flags.contains(F::BROADCAST),
            multicast: i.flags.contains(F::MULTICAST),
        },
        mtu: i.mtu,
        tx_queue_length: i.tx_queue_length,
        mac: i.mac,
        counters: InterfaceCounters {
            rx_packets: c.rx_packets,
            rx_bytes: c.rx_bytes,
            rx_errors: c.rx_errors,
            rx_dropped: c.rx_dropped,
            tx_packets: c.tx_packets,
            tx_bytes: c.tx_bytes,
            tx_errors: c.tx_errors,
            tx_dropped: c.tx_dropped,
        },
        addresses: Vec::new(),
    }
}

fn address(a: &Address) -> InetAddress {
    match *a {
        Address::V4 { addr, port } => InetAddress::V4 { addr, port },
        Address::V6 { addr, port, flow_info, scope_id } => InetAddress::V6 { addr, port, flow_info, scope_id },
    }
}

/// Every Internet socket the server holds. The inode number and owner
/// come from the kernel's socket file for the handle (the file fstat
/// shows); a connection whose file is gone (closed, still finishing) has
/// inode 0 and uid 0, as Linux shows an orphaned connection.
pub fn sockets() -> KResult<Vec<InetSocketRecord>> {
    let server = server::current()?;
    let mut records = Vec::new();
    read_table(&server, false, |record| {
        if let Record::Socket(s) = record {
            records.push(s);
        }
    })?;
    Ok(records
        .iter()
        .map(|s| {
            let file = s.handle.and_then(|h| server.socket_of(h));
            InetSocketRecord {
                kind: match s.kind {
                    Kind::Stream => SocketKind::Stream,
                    Kind::Datagram => SocketKind::Datagram,
                    // Not shown in /proc/net/tcp or udp (Linux has icmp and raw for them).
                    Kind::Ping => SocketKind::Ping,
                    Kind::Raw => SocketKind::Raw,
                },
                family: match s.family {
                    Family::V4 => SocketFamily::Inet4,
                    Family::V6 => SocketFamily::Inet6,
                },
                local: address(&s.local),
                remote: s.remote.as_ref().map(address),
                state: s.state,
                send_queue: s.send_queue,
                receive_queue: s.receive_queue,
                inode: file.as_ref().map_or(0, |f| f.id),
                uid: file.as_ref().map_or(0, |f| f.owner),
            }
        })
        .collect())
}
