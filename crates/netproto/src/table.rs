//! The network tables: interfaces, their addresses, routes, and sockets, as
//! tools see them (SIOCGIF* ioctls, /proc/net, netlink).
//!
//! A table can be longer than one exchange buffer holds (thousands of
//! sockets), so it travels in pages: `Request::Interfaces { start }` or
//! `Request::Sockets { start }` asks for the records from position `start`
//! on, and the answer's [`Records`] holds at most [`Records::MAX_PER_PAGE`]
//! of them and the position of the next page (None: the table ends).
//! Each record is at most [`Record::MAX_SIZE`] bytes, so a page's size is
//! bounded whatever the table's length. A table that changes between two
//! pages may show an entry twice or miss one, as Linux's /proc does.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::address::{self, Address, Family, Kind};
use crate::event::SocketHandle;
use crate::wire::{Reader, WireError, Writer};

/// Linux's IFNAMSIZ less the terminating zero.
pub const INTERFACE_NAME_MAX: usize = 15;

/// An interface's name ("lo", "eth0"): at most 15 bytes, no zero byte.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct InterfaceName {
    bytes: [u8; INTERFACE_NAME_MAX],
    len: u8,
}

impl InterfaceName {
    /// None when `name` is empty, too long or holds a zero byte.
    pub fn new(name: &[u8]) -> Option<InterfaceName> {
        if name.is_empty() || name.len() > INTERFACE_NAME_MAX || name.contains(&0) {
            return None;
        }
        let mut bytes = [0u8; INTERFACE_NAME_MAX];
        bytes[..name.len()].copy_from_slice(name);
        Some(InterfaceName { bytes, len: name.len() as u8 })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// What an interface is and does, hand-written bits (the Linux personality
/// maps them onto IFF_*).
#[derive(Copy, Clone, Eq, PartialEq, Debug, Default)]
pub struct InterfaceFlags(pub u32);

impl InterfaceFlags {
    /// Configured up.
    pub const UP: InterfaceFlags = InterfaceFlags(1);
    /// The link carries frames (carrier).
    pub const RUNNING: InterfaceFlags = InterfaceFlags(2);
    pub const LOOPBACK: InterfaceFlags = InterfaceFlags(4);
    pub const BROADCAST: InterfaceFlags = InterfaceFlags(8);
    pub const MULTICAST: InterfaceFlags = InterfaceFlags(16);

    pub fn contains(self, other: InterfaceFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for InterfaceFlags {
    type Output = InterfaceFlags;
    fn bitor(self, rhs: InterfaceFlags) -> InterfaceFlags {
        InterfaceFlags(self.0 | rhs.0)
    }
}

/// Frames and bytes through an interface since it was added.
#[derive(Copy, Clone, Eq, PartialEq, Debug, Default)]
pub struct Counters {
    pub rx_packets: u64,
    pub rx_bytes: u64,
    pub rx_errors: u64,
    pub rx_dropped: u64,
    pub tx_packets: u64,
    pub tx_bytes: u64,
    pub tx_errors: u64,
    pub tx_dropped: u64,
}

/// One interface. Its addresses and routes are separate records.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct InterfaceRecord {
    /// 1 for loopback, then 2, 3, ... (never 0: Linux's "no interface").
    pub index: u32,
    pub name: InterfaceName,
    pub flags: InterfaceFlags,
    /// The largest IP packet the link carries.
    pub mtu: u32,
    /// Frames the device queues for sending at most (txqueuelen).
    pub tx_queue_length: u32,
    /// None for links without hardware addresses (loopback).
    pub mac: Option<[u8; 6]>,
    pub counters: Counters,
}

/// An address an interface holds, with its prefix length.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct AddressRecord {
    pub interface: u32,
    pub address: IpAddr,
    pub prefix: u8,
}

/// A route: `destination/prefix` (0.0.0.0/0 or ::/0 for the default
/// route) through `interface`, by `gateway` or directly attached.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct RouteRecord {
    pub interface: u32,
    pub destination: IpAddr,
    pub prefix: u8,
    pub gateway: Option<IpAddr>,
}

/// One socket (TCP or UDP, listening, connected or closing).
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct SocketRecord {
    /// None: a connection closed by the kernel that the server still
    /// finishes (FIN-WAIT, TIME-WAIT).
    pub handle: Option<SocketHandle>,
    pub kind: Kind,
    /// The socket's family (an AF_INET6 socket may talk IPv4-mapped).
    pub family: Family,
    /// Port 0 when unbound.
    pub local: Address,
    pub remote: Option<Address>,
    /// Linux's TCP state number (1 ESTABLISHED ... 10 LISTEN, 11 CLOSING);
    /// UDP: 1 when connected, 7 (CLOSE) otherwise, as Linux shows it.
    pub state: u8,
    /// Bytes queued to send, and received but not yet read.
    pub send_queue: u32,
    pub receive_queue: u32,
}

/// An entry of a table page.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum Record {
    Interface(InterfaceRecord),
    Address(AddressRecord),
    Route(RouteRecord),
    Socket(SocketRecord),
}

mod tag {
    pub const INTERFACE: u8 = 1;
    pub const ADDRESS: u8 = 2;
    pub const ROUTE: u8 = 3;
    pub const SOCKET: u8 = 4;
}

const IP_NONE: u8 = 0;
const IP_V4: u8 = 4;
const IP_V6: u8 = 6;

fn write_ip(w: &mut Writer, ip: Option<&IpAddr>) -> Result<(), WireError> {
    match ip {
        None => w.u8(IP_NONE),
        Some(IpAddr::V4(a)) => {
            w.u8(IP_V4)?;
            w.bytes(&a.octets())
        }
        Some(IpAddr::V6(a)) => {
            w.u8(IP_V6)?;
            w.bytes(&a.octets())
        }
    }
}

fn read_ip(r: &mut Reader) -> Result<Option<IpAddr>, WireError> {
    Ok(match r.u8()? {
        IP_NONE => None,
        IP_V4 => Some(IpAddr::V4(Ipv4Addr::from(r.array::<4>()?))),
        IP_V6 => Some(IpAddr::V6(Ipv6Addr::from(r.array::<16>()?))),
        _ => return Err(WireError::Malformed),
    })
}

/// A prefix length must fit its address.
fn read_prefix(r: &mut Reader, ip: &IpAddr) -> Result<u8, WireError> {
    let prefix = r.u8()?;
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    if prefix > bits {
        return Err(WireError::Malformed);
    }
    Ok(prefix)
}

impl Record {
    /// The most bytes one record takes on the wire (an interface: 105).
    pub const MAX_SIZE: usize = 128;

    fn write(&self, w: &mut Writer) -> Result<(), WireError> {
        match self {
            Record::Interface(i) => {
                w.u8(tag::INTERFACE)?;
                w.u32(i.index)?;
                w.u8(i.name.len)?;
                w.bytes(i.name.as_bytes())?;
                w.u32(i.flags.0)?;
                w.u32(i.mtu)?;
                w.u32(i.tx_queue_length)?;
                match &i.mac {
                    None => w.u8(0)?,
                    Some(mac) => {
                        w.u8(1)?;
                        w.bytes(mac)?;
                    }
                }
                let c = &i.counters;
                for v in [
                    c.rx_packets,
                    c.rx_bytes,
                    c.rx_errors,
                    c.rx_dropped,
                    c.tx_packets,
                    c.tx_bytes,
                    c.tx_errors,
                    c.tx_dropped,
                ] {
                    w.u64(v)?;
                }
                Ok(())
            }
            Record::Address(a) => {
                w.u8(tag::ADDRESS)?;
                w.u32(a.interface)?;
                write_ip(w, Some(&a.address))?;
                w.u8(a.prefix)
            }
            Record::Route(r) => {
                w.u8(tag::ROUTE)?;
                w.u32(r.interface)?;
                write_ip(w, Some(&r.destination))?;
                w.u8(r.prefix)?;
                write_ip(w, r.gateway.as_ref())
            }
            Record::Socket(s) => {
                w.u8(tag::SOCKET)?;
                match s.handle {
                    None => w.u8(0)?,
                    Some(h) => {
                        w.u8(1)?;
                        w.u64(h.0)?;
                    }
                }
                s.kind.write(w)?;
                s.family.write(w)?;
                address::write(w, &s.local)?;
                address::write_optional(w, s.remote.as_ref())?;
                w.u8(s.state)?;
                w.u32(s.send_queue)?;
                w.u32(s.receive_queue)
            }
        }
    }

    fn read(r: &mut Reader) -> Result<Record, WireError> {
        Ok(match r.u8()? {
            tag::INTERFACE => {
                let index = r.u32()?;
                let len = usize::from(r.u8()?);
                let name = InterfaceName::new(r.bytes(len)?).ok_or(WireError::Malformed)?;
                let flags = InterfaceFlags(r.u32()?);
                let mtu = r.u32()?;
                let tx_queue_length = r.u32()?;
                let mac = match r.u8()? {
                    0 => None,
                    1 => Some(r.array::<6>()?),
                    _ => return Err(WireError::Malformed),
                };
                let counters = Counters {
                    rx_packets: r.u64()?,
                    rx_bytes: r.u64()?,
                    rx_errors: r.u64()?,
                    rx_dropped: r.u64()?,
                    tx_packets: r.u64()?,
                    tx_bytes: r.u64()?,
                    tx_errors: r.u64()?,
                    tx_dropped: r.u64()?,
                };
                Record::Interface(InterfaceRecord { index, name, flags, mtu, tx_queue_length, mac, counters })
            }
            tag::ADDRESS => {
                let interface = r.u32()?;
                let address = read_ip(r)?.ok_or(WireError::Malformed)?;
                let prefix = read_prefix(r, &address)?;
                Record::Address(AddressRecord { interface, address, prefix })
            }
            tag::ROUTE => {
                let interface = r.u32()?;
                let destination = read_ip(r)?.ok_or(WireError::Malformed)?;
                let prefix = read_prefix(r, &destination)?;
                let gateway = read_ip(r)?;
                Record::Route(RouteRecord { interface, destination, prefix, gateway })
            }
            tag::SOCKET => {
                let handle = match r.u8()? {
                    0 => None,
                    1 => Some(SocketHandle(r.u64()?)),
                    _ => return Err(WireError::Malformed),
                };
                Record::Socket(SocketRecord {
                    handle,
                    kind: Kind::read(r)?,
                    family: Family::read(r)?,
                    local: address::read(r)?,
                    remote: address::read_optional(r)?,
                    state: r.u8()?,
                    send_queue: r.u32()?,
                    receive_queue: r.u32()?,
                })
            }
            _ => return Err(WireError::Malformed),
        })
    }
}

/// One page of a table: its records, checked whole when decoded, and where
/// the next page starts.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct Records<'a> {
    next: Option<u32>,
    count: u32,
    bytes: &'a [u8],
}

impl<'a> Records<'a> {
    /// Records one page holds at most: a page is at most
    /// `MAX_PER_PAGE * Record::MAX_SIZE` bytes (8 KiB), well inside any
    /// exchange buffer.
    pub const MAX_PER_PAGE: usize = 64;

    /// Encodes `records` (at most `MAX_PER_PAGE`) into `buf`: the page to
    /// put in a `Response::Records`.
    pub fn write(records: &[Record], next: Option<u32>, buf: &'a mut [u8]) -> Result<Records<'a>, WireError> {
        if records.len() > Self::MAX_PER_PAGE {
            return Err(WireError::TooLarge);
        }
        let mut w = Writer::new(buf);
        for record in records {
            record.write(&mut w)?;
        }
        let len = w.len();
        Ok(Records { next, count: records.len() as u32, bytes: &buf[..len] })
    }

    /// The position of the next page; None: this is the last.
    pub fn next_start(&self) -> Option<u32> {
        self.next
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn iter(&self) -> RecordIter<'a> {
        RecordIter { reader: Reader::new(self.bytes), left: self.count }
    }

    pub(crate) fn write_to(&self, w: &mut Writer) -> Result<(), WireError> {
        match self.next {
            None => w.u8(0)?,
            Some(n) => {
                w.u8(1)?;
                w.u32(n)?;
            }
        }
        w.u32(self.count)?;
        w.blob(self.bytes)
    }

    /// Reads a page and checks every record in it, so that iterating
    /// afterwards cannot fail.
    pub(crate) fn read(r: &mut Reader<'a>) -> Result<Records<'a>, WireError> {
        let next = match r.u8()? {
            0 => None,
            1 => Some(r.u32()?),
            _ => return Err(WireError::Malformed),
        };
        let count = r.u32()?;
        if count as usize > Self::MAX_PER_PAGE {
            return Err(WireError::Malformed);
        }
        let bytes = r.blob()?;
        let mut check = Reader::new(bytes);
        for _ in 0..count {
            Record::read(&mut check)?;
        }
        check.finish()?;
        Ok(Records { next, count, bytes })
    }
}

/// The records of a decoded page, one at a time (no allocation).
#[derive(Clone)]
pub struct RecordIter<'a> {
    reader: Reader<'a>,
    left: u32,
}

impl Iterator for RecordIter<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        Record::read(&mut self.reader).ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}
