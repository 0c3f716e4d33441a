//! Requests: what the kernel asks of the server, one per exchange.

use crate::address::{self, Address, Family, Kind};
use crate::event::SocketHandle;
use crate::option::SocketOption;
use crate::wire::{Reader, WireError, Writer};

/// One operation on the server's sockets.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum Request<'a> {
    Open {
        family: Family,
        kind: Kind,
    },
    Bind {
        socket: SocketHandle,
        address: Address,
    },
    Listen {
        socket: SocketHandle,
        backlog: u32,
    },
    Accept {
        socket: SocketHandle,
    },
    /// None: a datagram socket forgets its peer (AF_UNSPEC connect).
    Connect {
        socket: SocketHandle,
        address: Option<Address>,
    },
    /// `more`: MSG_MORE, the caller has more to send. A stream holds
    /// the bytes back (corks) until a send without it, a shutdown or a
    /// close; a datagram socket appends them to one datagram that the
    /// next send without it completes and sends.
    Send {
        socket: SocketHandle,
        to: Option<Address>,
        data: &'a [u8],
        more: bool,
    },
    /// `max` bytes at most; `peek` leaves them queued.
    Receive {
        socket: SocketHandle,
        max: u32,
        peek: bool,
    },
    Shutdown {
        socket: SocketHandle,
        read: bool,
        write: bool,
    },
    /// The kernel's last reference is gone. TCP finishes its close in the
    /// background (FIN, TIME-WAIT) and the handle is dead from now on.
    Close {
        socket: SocketHandle,
    },
    LocalAddress {
        socket: SocketHandle,
    },
    PeerAddress {
        socket: SocketHandle,
    },
    SetOption {
        socket: SocketHandle,
        option: SocketOption,
        value: u64,
    },
    GetOption {
        socket: SocketHandle,
        option: SocketOption,
    },
    /// The interface, address and route tables, from record `start` on
    /// (answered with `Response::Records`; see `table.rs`).
    Interfaces {
        start: u32,
    },
    /// The socket table, from record `start` on.
    Sockets {
        start: u32,
    },
    /// A raw ICMP socket's filter (Linux's ICMP_FILTER, ICMP6_FILTER):
    /// bit `t % 32` of word `t / 32` set blocks ICMP type `t`.
    SetIcmpFilter {
        socket: SocketHandle,
        blocked: [u32; 8],
    },
    /// Joins (or leaves) a multicast group on one interface: the one of
    /// index `interface`, else the one holding the IPv4 address `local`,
    /// else the one the route to the group leaves by (IP_ADD_MEMBERSHIP,
    /// MCAST_JOIN_GROUP, IPV6_ADD_MEMBERSHIP and their leaves). The
    /// group's port is ignored.
    Membership {
        socket: SocketHandle,
        group: Address,
        interface: u32,
        local: Option<Address>,
        join: bool,
    },
}

mod tag {
    pub const OPEN: u8 = 1;
    pub const BIND: u8 = 2;
    pub const LISTEN: u8 = 3;
    pub const ACCEPT: u8 = 4;
    pub const CONNECT: u8 = 5;
    pub const SEND: u8 = 6;
    pub const RECEIVE: u8 = 7;
    pub const SHUTDOWN: u8 = 8;
    pub const CLOSE: u8 = 9;
    pub const LOCAL_ADDRESS: u8 = 10;
    pub const PEER_ADDRESS: u8 = 11;
    pub const SET_OPTION: u8 = 12;
    pub const GET_OPTION: u8 = 13;
    pub const INTERFACES: u8 = 14;
    pub const SOCKETS: u8 = 15;
    pub const SET_ICMP_FILTER: u8 = 16;
    pub const MEMBERSHIP: u8 = 17;
}

fn read_option(r: &mut Reader) -> Result<SocketOption, WireError> {
    SocketOption::from_code(r.u8()?).ok_or(WireError::Malformed)
}

impl<'a> Request<'a> {
    /// The socket the request names, if any.
    pub fn socket(&self) -> Option<SocketHandle> {
        match *self {
            Request::Open { .. } | Request::Interfaces { .. } | Request::Sockets { .. } => None,
            Request::Bind { socket, .. }
            | Request::Listen { socket, .. }
            | Request::Accept { socket }
            | Request::Connect { socket, .. }
            | Request::Send { socket, .. }
            | Request::Receive { socket, .. }
            | Request::Shutdown { socket, .. }
            | Request::Close { socket }
            | Request::LocalAddress { socket }
            | Request::PeerAddress { socket }
            | Request::SetOption { socket, .. }
            | Request::GetOption { socket, .. }
            | Request::SetIcmpFilter { socket, .. }
            | Request::Membership { socket, .. } => Some(socket),
        }
    }

    /// Writes the request at the start of `buf`; returns its length.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, WireError> {
        let mut w = Writer::new(buf);
        match self {
            Request::Open { family, kind } => {
                w.u8(tag::OPEN)?;
                family.write(&mut w)?;
                kind.write(&mut w)?;
            }
            Request::Bind { socket, address } => {
                w.u8(tag::BIND)?;
                w.u64(socket.0)?;
                address::write(&mut w, address)?;
            }
            Request::Listen { socket, backlog } => {
                w.u8(tag::LISTEN)?;
                w.u64(socket.0)?;
                w.u32(*backlog)?;
            }
            Request::Accept { socket } => {
                w.u8(tag::ACCEPT)?;
                w.u64(socket.0)?;
            }
            Request::Connect { socket, address } => {
                w.u8(tag::CONNECT)?;
                w.u64(socket.0)?;
                address::write_optional(&mut w, address.as_ref())?;
            }
            Request::Send { socket, to, data, more } => {
                w.u8(tag::SEND)?;
                w.u64(socket.0)?;
                address::write_optional(&mut w, to.as_ref())?;
                w.bool(*more)?;
                w.blob(data)?;
            }
            Request::Receive { socket, max, peek } => {
                w.u8(tag::RECEIVE)?;
                w.u64(socket.0)?;
                w.u32(*max)?;
                w.bool(*peek)?;
            }
            Request::Shutdown { socket, read, write } => {
                w.u8(tag::SHUTDOWN)?;
                w.u64(socket.0)?;
                w.bool(*read)?;
                w.bool(*write)?;
            }
            Request::Close { socket } => {
                w.u8(tag::CLOSE)?;
                w.u64(socket.0)?;
            }
            Request::LocalAddress { socket } => {
                w.u8(tag::LOCAL_ADDRESS)?;
                w.u64(socket.0)?;
            }
            Request::PeerAddress { socket } => {
                w.u8(tag::PEER_ADDRESS)?;
                w.u64(socket.0)?;
            }
            Request::SetOption { socket, option, value } => {
                w.u8(tag::SET_OPTION)?;
                w.u64(socket.0)?;
                w.u8(option.code())?;
                w.u64(*value)?;
            }
            Request::GetOption { socket, option } => {
                w.u8(tag::GET_OPTION)?;
                w.u64(socket.0)?;
                w.u8(option.code())?;
            }
            Request::Interfaces { start } => {
                w.u8(tag::INTERFACES)?;
                w.u32(*start)?;
            }
            Request::Sockets { start } => {
                w.u8(tag::SOCKETS)?;
                w.u32(*start)?;
            }
            Request::SetIcmpFilter { socket, blocked } => {
                w.u8(tag::SET_ICMP_FILTER)?;
                w.u64(socket.0)?;
                for word in blocked {
                    w.u32(*word)?;
                }
            }
            Request::Membership { socket, group, interface, local, join } => {
                w.u8(tag::MEMBERSHIP)?;
                w.u64(socket.0)?;
                address::write(&mut w, group)?;
                w.u32(*interface)?;
                address::write_optional(&mut w, local.as_ref())?;
                w.bool(*join)?;
            }
        }
        Ok(w.len())
    }

    /// Reads a whole request; `data` borrows from `buf`.
    pub fn decode(buf: &'a [u8]) -> Result<Request<'a>, WireError> {
        let mut r = Reader::new(buf);
        let request = match r.u8()? {
            tag::OPEN => Request::Open { family: Family::read(&mut r)?, kind: Kind::read(&mut r)? },
            tag::BIND => Request::Bind { socket: SocketHandle(r.u64()?), address: address::read(&mut r)? },
            tag::LISTEN => Request::Listen { socket: SocketHandle(r.u64()?), backlog: r.u32()? },
            tag::ACCEPT => Request::Accept { socket: SocketHandle(r.u64()?) },
            tag::CONNECT => {
                Request::Connect { socket: SocketHandle(r.u64()?), address: address::read_optional(&mut r)? }
            }
            tag::SEND => {
                let socket = SocketHandle(r.u64()?);
                let to = address::read_optional(&mut r)?;
                let more = r.bool()?;
                Request::Send { socket, to, data: r.blob()?, more }
            }
            tag::RECEIVE => Request::Receive { socket: SocketHandle(r.u64()?), max: r.u32()?, peek: r.bool()? },
            tag::SHUTDOWN => Request::Shutdown { socket: SocketHandle(r.u64()?), read: r.bool()?, write: r.bool()? },
            tag::CLOSE => Request::Close { socket: SocketHandle(r.u64()?) },
            tag::LOCAL_ADDRESS => Request::LocalAddress { socket: SocketHandle(r.u64()?) },
            tag::PEER_ADDRESS => Request::PeerAddress { socket: SocketHandle(r.u64()?) },
            tag::SET_OPTION => {
                Request::SetOption { socket: SocketHandle(r.u64()?), option: read_option(&mut r)?, value: r.u64()? }
            }
            tag::GET_OPTION => Request::GetOption { socket: SocketHandle(r.u64()?), option: read_option(&mut r)? },
            tag::INTERFACES => Request::Interfaces { start: r.u32()? },
            tag::SOCKETS => Request::Sockets { start: r.u32()? },
            tag::SET_ICMP_FILTER => {
                let socket = SocketHandle(r.u64()?);
                let mut blocked = [0u32; 8];
                for word in &mut blocked {
                    *word = r.u32()?;
                }
                Request::SetIcmpFilter { socket, blocked }
            }
            tag::MEMBERSHIP => Request::Membership {
                socket: SocketHandle(r.u64()?),
                group: address::read(&mut r)?,
                interface: r.u32()?,
                local: address::read_optional(&mut r)?,
                join: r.bool()?,
            },
            _ => return Err(WireError::Malformed),
        };
        r.finish()?;
        Ok(request)
    }
}
