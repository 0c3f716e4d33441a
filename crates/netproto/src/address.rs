//! Socket addresses, address families and socket kinds.

use crate::wire::{Reader, WireError, Writer};

/// An Internet address family (AF_INET, AF_INET6).
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum Family {
    V4,
    V6,
}

/// A socket kind: a byte stream (TCP), datagrams (UDP), ICMP echo
/// ("ping sockets": ICMP for V4, ICMPv6 for V6, the server owning the
/// echo identifier), or raw ICMP/ICMPv6 packets.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum Kind {
    Stream,
    Datagram,
    /// Linux's SOCK_DGRAM + IPPROTO_ICMP(V6): echo requests out, echo
    /// replies to this socket's identifier (its "port") in.
    Ping,
    /// Linux's SOCK_RAW + IPPROTO_ICMP(V6): every ICMP message in (IPv4:
    /// with its IP header), ICMP messages (or, with
    /// `SocketOption::HeaderIncluded`, whole IPv4 packets) out.
    Raw,
}

/// A socket address: sockaddr_in or sockaddr_in6, in host byte order.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum Address {
    V4 { addr: [u8; 4], port: u16 },
    V6 { addr: [u8; 16], port: u16, flow_info: u32, scope_id: u32 },
}

impl Address {
    pub fn family(&self) -> Family {
        match self {
            Address::V4 { .. } => Family::V4,
            Address::V6 { .. } => Family::V6,
        }
    }

    pub fn port(&self) -> u16 {
        match *self {
            Address::V4 { port, .. } | Address::V6 { port, .. } => port,
        }
    }

    /// The all-zero ("any") address of `family` with `port`.
    pub fn unspecified(family: Family, port: u16) -> Address {
        match family {
            Family::V4 => Address::V4 { addr: [0; 4], port },
            Family::V6 => Address::V6 { addr: [0; 16], port, flow_info: 0, scope_id: 0 },
        }
    }
}

const TAG_NONE: u8 = 0;
const TAG_V4: u8 = 4;
const TAG_V6: u8 = 6;

impl Family {
    pub(crate) fn write(self, w: &mut Writer) -> Result<(), WireError> {
        w.u8(match self {
            Family::V4 => TAG_V4,
            Family::V6 => TAG_V6,
        })
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Family, WireError> {
        match r.u8()? {
            TAG_V4 => Ok(Family::V4),
            TAG_V6 => Ok(Family::V6),
            _ => Err(WireError::Malformed),
        }
    }
}

impl Kind {
    pub(crate) fn write(self, w: &mut Writer) -> Result<(), WireError> {
        w.u8(match self {
            Kind::Stream => 1,
            Kind::Datagram => 2,
            Kind::Ping => 3,
            Kind::Raw => 4,
        })
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Kind, WireError> {
        match r.u8()? {
            1 => Ok(Kind::Stream),
            2 => Ok(Kind::Datagram),
            3 => Ok(Kind::Ping),
            4 => Ok(Kind::Raw),
            _ => Err(WireError::Malformed),
        }
    }
}

/// An optional address: a tag byte (0 none, 4, 6) and the fields.
pub(crate) fn write_optional(w: &mut Writer, address: Option<&Address>) -> Result<(), WireError> {
    match address {
        None => w.u8(TAG_NONE),
        Some(Address::V4 { addr, port }) => {
            w.u8(TAG_V4)?;
            w.bytes(addr)?;
            w.u16(*port)
        }
        Some(Address::V6 { addr, port, flow_info, scope_id }) => {
            w.u8(TAG_V6)?;
            w.bytes(addr)?;
            w.u16(*port)?;
            w.u32(*flow_info)?;
            w.u32(*scope_id)
        }
    }
}

pub(crate) fn read_optional(r: &mut Reader) -> Result<Option<Address>, WireError> {
    match r.u8()? {
        TAG_NONE => Ok(None),
        TAG_V4 => Ok(Some(Address::V4 { addr: r.array()?, port: r.u16()? })),
        TAG_V6 => Ok(Some(Address::V6 { addr: r.array()?, port: r.u16()?, flow_info: r.u32()?, scope_id: r.u32()? })),
        _ => Err(WireError::Malformed),
    }
}

pub(crate) fn write(w: &mut Writer, address: &Address) -> Result<(), WireError> {
    write_optional(w, Some(address))
}

pub(crate) fn read(r: &mut Reader) -> Result<Address, WireError> {
    read_optional(r)?.ok_or(WireError::Malformed)
}
