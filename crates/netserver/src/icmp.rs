//! ICMP sockets: Linux's "ping sockets" (SOCK_DGRAM + IPPROTO_ICMP or
//! ICMPV6, `Kind::Ping`) and raw ICMP sockets (SOCK_RAW, `Kind::Raw`).
//!
//! smoltcp answers echo requests itself and has no socket that shares
//! echo identifiers out as Linux does, so every interface keeps one
//! smoltcp raw socket per IP version that receives every ICMP packet
//! (`NetInterface::icmp4`, `icmp6`), and each ICMP socket sends through
//! smoltcp raw sockets of its own, one per interface it sent on (a packet
//! waiting for a neighbour that never answers then holds up only its own
//! socket, as a UDP datagram does, not every ping on the interface). This
//! module does what Linux's ping.c and raw.c do over them:
//! - out: a ping socket's echo request gets the socket's identifier (its
//!   "port", chosen at the first bind, connect or send) and a fresh
//!   checksum; any other message is refused (InvalidArgument). A raw
//!   socket's message goes as given (ICMPv6: the checksum is filled in,
//!   as Linux always does for ICMPv6). The IP header is built here, the
//!   source address being the interface's for the destination (or the
//!   bound one); IP_HDRINCL takes the caller's IPv4 header instead.
//! - in: after each polling round every ICMP packet the interfaces took
//!   in is handed to every raw socket of its IP version that wants it
//!   (bound address, connected peer, ICMP_FILTER), IPv4 with its IP
//!   header, IPv6 without; an echo reply with a good checksum goes to
//!   the ping socket holding its identifier, as an ICMP message.
//!
//! smoltcp rebuilds a received IPv4 header from its parsed fields, so a
//! raw socket sees no IP options and an identification of 0.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use netproto::{Address, Error, Family, Kind, Readiness, Request, SocketHandle, SocketOption};
use smoltcp::socket::raw;
use smoltcp::wire::{IpAddress, IpEndpoint, IpProtocol, IpVersion, Ipv4Packet, Ipv6Packet};

use crate::endpoint;
use crate::interface::{Link, NetInterface};
use crate::socket::{Binding, Part, Protocol, Socket};
use crate::stack::{Outcome, Stack};

const ICMP_ECHO_REPLY: u8 = 0;
const ICMP_ECHO_REQUEST: u8 = 8;
const ICMPV6_ECHO_REQUEST: u8 = 128;
const ICMPV6_ECHO_REPLY: u8 = 129;
/// An ICMP header: type, code, checksum, identifier, sequence.
const ICMP_HEADER: usize = 8;
const IPV4_HEADER: usize = 20;
const IPV6_HEADER: usize = 40;
/// The largest message a send may carry (Linux: 0xFFFF).
const MAX_MESSAGE: usize = 0xffff;
/// Packets and bytes each interface's shared raw sockets hold (receive).
const RAW_PACKETS: usize = 64;
const RAW_BYTES: usize = 128 << 10;
/// A socket's send queue on one interface: the largest packet fits.
const SEND_PACKETS: usize = 16;
const SEND_BYTES: usize = 128 << 10;
/// IPPROTO_ICMP, IPPROTO_ICMPV6: what getsockname shows as a raw
/// socket's port (Linux's inet_sport of a raw socket is its protocol).
const PROTOCOL_V4: u16 = 1;
const PROTOCOL_V6: u16 = 58;

pub(crate) struct IcmpState {
    raw: bool,
    /// Set by connect: the default destination and, for raw sockets, the
    /// only accepted source.
    peer: Option<IpAddress>,
    shut_read: bool,
    shut_write: bool,
    queue: VecDeque<Message>,
    queued_bytes: usize,
    /// Raw sockets: ICMP types not delivered (bit `t % 32` of word `t / 32`).
    blocked: [u32; 8],
    /// The smoltcp raw sockets this socket sends through, one per
    /// interface and IP version it sent on.
    senders: Vec<Part>,
}

struct Message {
    data: Vec<u8>,
    from: IpAddress,
    /// The IPv4 TTL or IPv6 hop limit it arrived with.
    hop_limit: u8,
}

impl IcmpState {
    pub fn new(kind: Kind) -> IcmpState {
        IcmpState {
            raw: kind == Kind::Raw,
            peer: None,
            shut_read: false,
            shut_write: false,
            queue: VecDeque::new(),
            queued_bytes: 0,
            blocked: [0; 8],
            senders: Vec::new(),
        }
    }

    pub fn is_raw(&self) -> bool {
        self.raw
    }

    fn blocks(&self, icmp_type: u8) -> bool {
        self.blocked[usize::from(icmp_type / 32)] & (1 << (icmp_type % 32)) != 0
    }
}

fn protocol_of(version: IpVersion) -> IpProtocol {
    match version {
        IpVersion::Ipv4 => IpProtocol::Icmp,
        IpVersion::Ipv6 => IpProtocol::Icmpv6,
    }
}

/// The shared raw socket an interface keeps to receive ICMP of `version`
/// (it sends nothing).
pub(crate) fn shared_socket(version: IpVersion) -> raw::Socket<'static> {
    let rx = raw::PacketBuffer::new(alloc::vec![raw::PacketMetadata::EMPTY; RAW_PACKETS], alloc::vec![0; RAW_BYTES]);
    let tx = raw::PacketBuffer::new(Vec::new(), Vec::new());
    raw::Socket::new(version, protocol_of(version), rx, tx)
}

/// A socket's own sending raw socket: it receives nothing (the shared
/// ones do), so its receive buffer is empty.
fn sending_socket(version: IpVersion) -> raw::Socket<'static> {
    let rx = raw::PacketBuffer::new(Vec::new(), Vec::new());
    let tx = raw::PacketBuffer::new(alloc::vec![raw::PacketMetadata::EMPTY; SEND_PACKETS], alloc::vec![0; SEND_BYTES]);
    raw::Socket::new(version, protocol_of(version), rx, tx)
}

fn icmp_state(socket: &mut Socket) -> &mut IcmpState {
    match &mut socket.protocol {
        Protocol::Icmp(state) => state,
        // Only ICMP sockets come here (stack.rs dispatches by protocol).
        _ => unreachable!("another protocol in the ICMP code"),
    }
}

fn version_of(family: Family) -> IpVersion {
    match family {
        Family::V4 => IpVersion::Ipv4,
        Family::V6 => IpVersion::Ipv6,
    }
}

/// The Internet checksum of `data`, starting from the partial sum `sum`.
fn checksum(mut sum: u32, data: &[u8]) -> u16 {
    let mut chunks = data.chunks_exact(2);
    for pair in &mut chunks {
        sum += u32::from(u16::from_be_bytes([pair[0], pair[1]]));
    }
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The partial sum of ICMPv6's pseudo-header.
fn pseudo_header_v6(src: &Ipv6Addr, dst: &Ipv6Addr, len: usize) -> u32 {
    let mut sum = 0u32;
    for a in [src.octets(), dst.octets()] {
        for pair in a.chunks_exact(2) {
            sum += u32::from(u16::from_be_bytes([pair[0], pair[1]]));
        }
    }
    sum + (len as u32 >> 16) + (len as u32 & 0xffff) + u32::from(PROTOCOL_V6)
}

/// Writes ICMP(v6) message `icmp`'s checksum in place.
fn fill_checksum(icmp: &mut [u8], v6: Option<(&Ipv6Addr, &Ipv6Addr)>) {
    icmp[2] = 0;
    icmp[3] = 0;
    let start = v6.map_or(0, |(s, d)| pseudo_header_v6(s, d, icmp.len()));
    let sum = checksum(start, icmp);
    icmp[2..4].copy_from_slice(&sum.to_be_bytes());
}

fn checksum_ok(icmp: &[u8], v6: Option<(&Ipv6Addr, &Ipv6Addr)>) -> bool {
    let start = v6.map_or(0, |(s, d)| pseudo_header_v6(s, d, icmp.len()));
    checksum(start, icmp) == 0
}

/// An IPv4 packet around `payload` (the header's checksum is smoltcp's).
fn ipv4_packet(src: Ipv4Addr, dst: Ipv4Addr, ttl: u8, payload: &[u8]) -> Vec<u8> {
    let total = IPV4_HEADER + payload.len();
    let mut p = Vec::with_capacity(total);
    p.extend_from_slice(&[0x45, 0]);
    p.extend_from_slice(&(total as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0, 0, 0, ttl, PROTOCOL_V4 as u8, 0, 0]);
    p.extend_from_slice(&src.octets());
    p.extend_from_slice(&dst.octets());
    p.extend_from_slice(payload);
    p
}

fn ipv6_packet(src: Ipv6Addr, dst: Ipv6Addr, hop_limit: u8, payload: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(IPV6_HEADER + payload.len());
    p.extend_from_slice(&[0x60, 0, 0, 0]);
    p.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    p.extend_from_slice(&[PROTOCOL_V6 as u8, hop_limit]);
    p.extend_from_slice(&src.octets());
    p.extend_from_slice(&dst.octets());
    p.extend_from_slice(payload);
    p
}

/// A packet one of the shared raw sockets took in.
struct Arrival {
    src: IpAddress,
    dst: IpAddress,
    /// The whole packet (IPv4 header included).
    packet: Vec<u8>,
    /// Where the ICMP message starts in `packet`.
    icmp_at: usize,
}

impl Arrival {
    /// `loopback`: smoltcp fills in no checksums there (nothing corrupts
    /// packets in memory), so the echo replies it makes have none; what a
    /// program reads must look as on Linux, so they are filled in here.
    fn parse(packet: Vec<u8>, loopback: bool) -> Option<Arrival> {
        let mut arrival = Arrival::parse_packet(packet)?;
        if let IpAddress::Ipv4(_) = arrival.src {
            // smoltcp rebuilt the header from its fields; sum it again.
            let header = &mut arrival.packet[..arrival.icmp_at];
            header[10] = 0;
            header[11] = 0;
            let sum = checksum(0, header);
            header[10..12].copy_from_slice(&sum.to_be_bytes());
        }
        let v6 = match (arrival.src, arrival.dst) {
            (IpAddress::Ipv6(s), IpAddress::Ipv6(d)) => Some((s, d)),
            _ => None,
        };
        let icmp = &mut arrival.packet[arrival.icmp_at..];
        if loopback && icmp.len() >= 4 && !checksum_ok(icmp, v6.as_ref().map(|(s, d)| (s, d))) {
            fill_checksum(icmp, v6.as_ref().map(|(s, d)| (s, d)));
        }
        Some(arrival)
    }

    fn parse_packet(packet: Vec<u8>) -> Option<Arrival> {
        match IpVersion::of_packet(&packet).ok()? {
            IpVersion::Ipv4 => {
                let ip = Ipv4Packet::new_checked(&packet[..]).ok()?;
                let (src, dst) = (IpAddress::Ipv4(ip.src_addr()), IpAddress::Ipv4(ip.dst_addr()));
                let icmp_at = usize::from(ip.header_len());
                let end = usize::from(ip.total_len()).min(packet.len());
                let mut packet = packet;
                packet.truncate(end);
                (icmp_at < packet.len()).then_some(Arrival { src, dst, packet, icmp_at })
            }
            IpVersion::Ipv6 => {
                let ip = Ipv6Packet::new_checked(&packet[..]).ok()?;
                if ip.next_header() != IpProtocol::Icmpv6 {
                    return None;
                }
                let (src, dst) = (IpAddress::Ipv6(ip.src_addr()), IpAddress::Ipv6(ip.dst_addr()));
                let end = (IPV6_HEADER + usize::from(ip.payload_len())).min(packet.len());
                let mut packet = packet;
                packet.truncate(end);
                (IPV6_HEADER < packet.len()).then_some(Arrival { src, dst, packet, icmp_at: IPV6_HEADER })
            }
        }
    }

    fn icmp(&self) -> &[u8] {
        &self.packet[self.icmp_at..]
    }

    fn hop_limit(&self) -> u8 {
        match self.src {
            IpAddress::Ipv4(_) => self.packet[8],
            IpAddress::Ipv6(_) => self.packet[7],
        }
    }

    /// The echo identifier of a good echo reply, if this is one.
    fn echo_reply_ident(&self) -> Option<u16> {
        let icmp = self.icmp();
        if icmp.len() < ICMP_HEADER || icmp[1] != 0 {
            return None;
        }
        let good = match (self.src, self.dst) {
            (IpAddress::Ipv4(_), _) => icmp[0] == ICMP_ECHO_REPLY && checksum_ok(icmp, None),
            (IpAddress::Ipv6(s), IpAddress::Ipv6(d)) => {
                icmp[0] == ICMPV6_ECHO_REPLY && checksum_ok(icmp, Some((&s, &d)))
            }
            _ => false,
        };
        good.then(|| u16::from_be_bytes([icmp[4], icmp[5]]))
    }
}

/// Whether a raw socket wants `arrival` (Linux's raw_v4_match and ICMP
/// filters): its version, its bound address, its peer, its filter.
fn raw_wants(socket: &Socket, state: &IcmpState, arrival: &Arrival) -> bool {
    if version_of(socket.family) != arrival.src.version() {
        return false;
    }
    if socket.binding.is_some_and(|b| b.addr.is_some_and(|a| a != arrival.dst)) {
        return false;
    }
    if state.peer.is_some_and(|p| p != arrival.src) {
        return false;
    }
    let icmp_type = arrival.icmp()[0];
    // ICMP_FILTER (IPv4) covers types 0-31 only; ICMP6_FILTER all.
    !(state.blocks(icmp_type) && (socket.family == Family::V6 || icmp_type < 32))
}

/// Whether ping socket `socket` holds echo identifier `ident` for `arrival`.
fn ping_wants(socket: &Socket, arrival: &Arrival, ident: u16) -> bool {
    let Some(binding) = socket.binding else { return false };
    version_of(socket.family) == arrival.src.version()
        && binding.port == ident
        && binding.addr.is_none_or(|a| a == arrival.dst)
}

impl Stack {
    pub(crate) fn icmp_request(&mut self, socket: &mut Socket, request: Request, room: usize) -> Outcome {
        match request {
            Request::Connect { address, .. } => self.icmp_connect(socket, address.as_ref()),
            Request::Send { to, data, .. } => self.icmp_send(socket, to.as_ref(), data),
            Request::Receive { max, peek, .. } => self.icmp_receive(socket, (max as usize).min(room), peek),
            Request::Shutdown { read, write, .. } => {
                let state = icmp_state(socket);
                if state.peer.is_none() {
                    return Error::NotConnected.into();
                }
                state.shut_read |= read;
                state.shut_write |= write;
                Outcome::Done
            }
            Request::PeerAddress { .. } => match icmp_state(socket).peer {
                Some(peer) => {
                    Outcome::Address(endpoint::from_smoltcp(socket.family, IpEndpoint { addr: peer, port: 0 }))
                }
                None => Error::NotConnected.into(),
            },
            Request::SetIcmpFilter { blocked, .. } => {
                let state = icmp_state(socket);
                if !state.raw {
                    return Error::NoSuchOption.into();
                }
                state.blocked = blocked;
                Outcome::Done
            }
            Request::Listen { .. } | Request::Accept { .. } => Error::NotSupported.into(),
            _ => Error::InvalidArgument.into(),
        }
    }

    /// bind(2) on an ICMP socket: the address must be this machine's; a
    /// ping socket's port is its echo identifier (0: one is chosen), a raw
    /// socket's port is ignored, as on Linux.
    pub(crate) fn icmp_bind(&mut self, socket: &mut Socket, address: &Address) -> Outcome {
        let (addr, port) = match endpoint::to_smoltcp(socket.family, true, address) {
            Ok(x) => x,
            Err(e) => return e.into(),
        };
        if addr.is_some_and(|ip| !self.is_local(ip)) {
            return Error::AddressNotAvailable.into();
        }
        if icmp_state(socket).raw {
            socket.binding = Some(Binding { addr, port: 0 });
            return Outcome::Done;
        }
        match self.claim_ident(socket, port) {
            Ok(ident) => {
                socket.binding = Some(Binding { addr, port: ident });
                Outcome::Done
            }
            Err(e) => e.into(),
        }
    }

    /// Echo identifier `wanted` (0: the next free one after the last
    /// chosen) for a ping socket; identifiers are per family, as Linux's
    /// ping table (SO_REUSEADDR on both lets two sockets share one).
    fn claim_ident(&mut self, socket: &Socket, wanted: u16) -> Result<u16, Error> {
        let taken: Vec<(u16, bool)> = self
            .table
            .iter()
            .filter(|(_, s)| s.kind() == Kind::Ping && s.family == socket.family)
            .filter_map(|(_, s)| Some((s.binding?.port, s.options.reuse_address)))
            .collect();
        if wanted != 0 {
            let clash = taken.iter().any(|&(p, reuse)| p == wanted && !(reuse && socket.options.reuse_address));
            return if clash { Err(Error::AddressInUse) } else { Ok(wanted) };
        }
        for _ in 0..=u16::MAX {
            self.ident_cursor = self.ident_cursor.wrapping_add(1).max(1);
            let ident = self.ident_cursor;
            if !taken.iter().any(|&(p, _)| p == ident) {
                return Ok(ident);
            }
        }
        Err(Error::AddressInUse)
    }

    /// A ping socket gets its identifier at its first connect or send.
    fn icmp_autobind(&mut self, socket: &mut Socket) -> Result<(), Error> {
        if icmp_state(socket).raw || socket.binding.is_some() {
            return Ok(());
        }
        let ident = self.claim_ident(socket, 0)?;
        socket.binding = Some(Binding { addr: None, port: ident });
        Ok(())
    }

    fn icmp_destination(&self, socket: &Socket, address: &Address) -> Result<IpAddress, Error> {
        let (addr, _) = endpoint::to_smoltcp(socket.family, true, address)?;
        // The unspecified address is this machine, as on Linux.
        Ok(addr.unwrap_or(match socket.family {
            Family::V4 => IpAddress::Ipv4(Ipv4Addr::LOCALHOST),
            Family::V6 => IpAddress::Ipv6(Ipv6Addr::LOCALHOST),
        }))
    }

    fn icmp_connect(&mut self, socket: &mut Socket, address: Option<&Address>) -> Outcome {
        let Some(address) = address else {
            icmp_state(socket).peer = None;
            return Outcome::Done;
        };
        let peer = match self.icmp_destination(socket, address) {
            Ok(p) => p,
            Err(e) => return e.into(),
        };
        if let Err(e) = self.route(peer).and_then(|_| self.icmp_autobind(socket)) {
            return e.into();
        }
        icmp_state(socket).peer = Some(peer);
        Outcome::Done
    }

    fn icmp_send(&mut self, socket: &mut Socket, to: Option<&Address>, data: &[u8]) -> Outcome {
        if icmp_state(socket).shut_write {
            return Error::BrokenPipe.into();
        }
        if data.len() > MAX_MESSAGE {
            return Error::MessageTooLong.into();
        }
        let raw = icmp_state(socket).raw;
        let header_included = raw && socket.family == Family::V4 && socket.options.header_included;
        if header_included {
            return self.send_with_header(socket, data);
        }
        let min = if raw && socket.family == Family::V4 {
            0
        } else if raw {
            4
        } else {
            ICMP_HEADER
        };
        if data.len() < min {
            return Error::InvalidArgument.into();
        }
        if !raw {
            let echo = match socket.family {
                Family::V4 => ICMP_ECHO_REQUEST,
                Family::V6 => ICMPV6_ECHO_REQUEST,
            };
            if data[0] != echo || data[1] != 0 {
                return Error::InvalidArgument.into();
            }
        }
        let dst = match to {
            Some(a) => match self.icmp_destination(socket, a) {
                Ok(d) => d,
                Err(e) => return e.into(),
            },
            None => match icmp_state(socket).peer {
                Some(p) => p,
                None => return Error::DestinationRequired.into(),
            },
        };
        let iface = match self.route(dst) {
            Ok(i) => i,
            Err(e) => return e.into(),
        };
        // Linux: a route to a broadcast address needs SO_BROADCAST.
        if self.is_broadcast(dst) && !socket.options.broadcast {
            return Error::PermissionDenied.into();
        }
        if let Err(e) = self.icmp_autobind(socket) {
            return e.into();
        }
        let bound = socket.binding.and_then(|b| b.addr);
        let Some(src) = self.source_for(bound, dst).or_else(|| self.interfaces[iface].iface.get_source_address(&dst))
        else {
            return Error::AddressNotAvailable.into();
        };
        let mut icmp = data.to_vec();
        if !raw {
            let ident = socket.binding.map_or(0, |b| b.port);
            icmp[4..6].copy_from_slice(&ident.to_be_bytes());
        }
        let hop_limit = socket.options.hop_limit.unwrap_or(64);
        let packet = match (src, dst) {
            (IpAddress::Ipv4(s), IpAddress::Ipv4(d)) => {
                if !raw {
                    fill_checksum(&mut icmp, None);
                }
                ipv4_packet(s, d, hop_limit, &icmp)
            }
            (IpAddress::Ipv6(s), IpAddress::Ipv6(d)) => {
                // The kernel sums every ICMPv6 message (RFC 3542).
                fill_checksum(&mut icmp, Some((&s, &d)));
                ipv6_packet(s, d, hop_limit, &icmp)
            }
            _ => return Error::InvalidArgument.into(),
        };
        match self.queue_packet(socket, iface, &packet) {
            Ok(()) => Outcome::Sent(data.len()),
            Err(e) => e.into(),
        }
    }

    /// IP_HDRINCL: `data` is a whole IPv4 packet. As Linux's
    /// raw_send_hdrinc: the total length and checksum are filled in, a
    /// zero source becomes the route's; only ICMP may be sent here.
    fn send_with_header(&mut self, socket: &mut Socket, data: &[u8]) -> Outcome {
        if data.len() < IPV4_HEADER {
            return Error::InvalidArgument.into();
        }
        let mut data = data.to_vec();
        let total = data.len() as u16;
        data[2..4].copy_from_slice(&total.to_be_bytes());
        let Ok(ip) = Ipv4Packet::new_checked(&data[..]) else { return Error::InvalidArgument.into() };
        if ip.version() != 4 || ip.next_header() != IpProtocol::Icmp {
            return Error::InvalidArgument.into();
        }
        let dst = ip.dst_addr();
        let iface = match self.route(IpAddress::Ipv4(dst)) {
            Ok(i) => i,
            Err(e) => return e.into(),
        };
        if self.is_broadcast(IpAddress::Ipv4(dst)) && !socket.options.broadcast {
            return Error::PermissionDenied.into();
        }
        let src = match ip.src_addr() {
            s if s.is_unspecified() => {
                match self
                    .source_for(socket.binding.and_then(|b| b.addr), IpAddress::Ipv4(dst))
                    .or_else(|| self.interfaces[iface].iface.get_source_address(&IpAddress::Ipv4(dst)))
                {
                    Some(IpAddress::Ipv4(s)) => s,
                    _ => return Error::AddressNotAvailable.into(),
                }
            }
            s => s,
        };
        let payload = &data[usize::from(ip.header_len())..];
        let packet = ipv4_packet(src, dst, ip.hop_limit(), payload);
        match self.queue_packet(socket, iface, &packet) {
            Ok(()) => Outcome::Sent(usize::from(total)),
            Err(e) => e.into(),
        }
    }

    /// 255.255.255.255, or the broadcast address of one of this machine's
    /// IPv4 networks (127.255.255.255 on loopback).
    fn is_broadcast(&self, dst: IpAddress) -> bool {
        let IpAddress::Ipv4(v4) = dst else { return false };
        v4.is_broadcast()
            || self.interfaces.iter().any(|i| {
                i.iface.ip_addrs().iter().any(|cidr| match cidr {
                    smoltcp::wire::IpCidr::Ipv4(c) => c.broadcast() == Some(v4),
                    _ => false,
                })
            })
    }

    /// Puts `packet` on `socket`'s sending raw socket for interface
    /// `iface` (made at the first packet there, counted in the budget).
    fn queue_packet(&mut self, socket: &mut Socket, iface: usize, packet: &[u8]) -> Result<(), Error> {
        if let Link::Ethernet(link) = &self.interfaces[iface].link {
            // No IP fragmentation: a packet must fit the link's MTU.
            if packet.len() > link.device.mtu() {
                return Err(Error::MessageTooLong);
            }
        }
        if packet.len() > SEND_BYTES {
            return Err(Error::MessageTooLong);
        }
        let version = IpVersion::of_packet(packet).map_err(|_| Error::InvalidArgument)?;
        let part = match icmp_state(socket).senders.iter().copied().find(|p| p.iface == iface) {
            Some(part) => part,
            None => {
                self.charge_queue(SEND_BYTES)?;
                let handle = self.interfaces[iface].sockets.add(sending_socket(version));
                let part = Part { iface, handle, bytes: SEND_BYTES };
                icmp_state(socket).senders.push(part);
                part
            }
        };
        let smol = self.interfaces[iface].sockets.get_mut::<raw::Socket>(part.handle);
        smol.send_slice(packet).map_err(|_| Error::WouldBlock)
    }

    fn icmp_receive(&mut self, socket: &mut Socket, max: usize, peek: bool) -> Outcome {
        let family = socket.family;
        let state = icmp_state(socket);
        let Some(front) = state.queue.front() else {
            if state.shut_read {
                return Outcome::Received { len: 0, full_length: 0, from: None };
            }
            return Error::WouldBlock.into();
        };
        let len = front.data.len().min(max);
        let from = Some(endpoint::from_smoltcp(family, IpEndpoint { addr: front.from, port: 0 }));
        let full_length = front.data.len();
        let hop_limit = front.hop_limit;
        self.scratch.clear();
        self.scratch.extend_from_slice(&front.data[..len]);
        if !peek {
            state.queued_bytes -= full_length;
            state.queue.pop_front();
            self.release(full_length);
        }
        Outcome::Message { len, full_length, from, hop_limit }
    }

    pub(crate) fn icmp_close(&mut self, socket: &mut Socket) {
        let state = icmp_state(socket);
        let queued = core::mem::take(&mut state.queued_bytes);
        state.queue.clear();
        self.release(queued);
        // Packets still queued go with their sockets, as a closed UDP
        // socket's do.
        for part in core::mem::take(&mut icmp_state(socket).senders) {
            self.free_part(part);
        }
    }

    /// The address getsockname shows: a ping socket's identifier is its
    /// port, a raw socket's port is its protocol number.
    pub(crate) fn icmp_local_address(&self, socket: &Socket) -> Address {
        let raw = matches!(&socket.protocol, Protocol::Icmp(s) if s.raw);
        let addr = socket.binding.and_then(|b| b.addr);
        let port = match (raw, socket.family) {
            (true, Family::V4) => PROTOCOL_V4,
            (true, Family::V6) => PROTOCOL_V6,
            (false, _) => socket.binding.map_or(0, |b| b.port),
        };
        match addr {
            Some(addr) => endpoint::from_smoltcp(socket.family, IpEndpoint { addr, port }),
            None => Address::unspecified(socket.family, port),
        }
    }

    /// Takes every packet the shared raw sockets received and delivers
    /// copies to the ICMP sockets that want them; a socket whose queue is
    /// full (SO_RCVBUF) or a budget run out drops it, as on Linux.
    pub(crate) fn deliver_icmp(&mut self) {
        let mut arrivals = Vec::new();
        for i in 0..self.interfaces.len() {
            let loopback = self.interfaces[i].is_loopback();
            for handle in [self.interfaces[i].icmp4, self.interfaces[i].icmp6] {
                let smol = self.interfaces[i].sockets.get_mut::<raw::Socket>(handle);
                while let Ok(packet) = smol.recv() {
                    arrivals.push((packet.to_vec(), loopback));
                }
            }
        }
        if arrivals.is_empty() {
            return;
        }
        let handles = self.table.handles();
        for (packet, loopback) in arrivals {
            let Some(arrival) = Arrival::parse(packet, loopback) else { continue };
            // smoltcp's raw sockets also see frames for other hosts.
            if !self.is_local(arrival.dst) && !arrival.dst.is_multicast() && !is_broadcast(arrival.dst) {
                continue;
            }
            // An error about a datagram a connected UDP socket sent.
            self.note_udp_error(arrival.icmp(), matches!(arrival.src, IpAddress::Ipv6(_)));
            let ident = arrival.echo_reply_ident();
            let mut ping_done = false;
            for &h in &handles {
                let Some(socket) = self.table.get(h) else { continue };
                let Protocol::Icmp(state) = &socket.protocol else { continue };
                let data = if state.raw {
                    if !raw_wants(socket, state, &arrival) {
                        continue;
                    }
                    // IPv4 raw sockets read the IP header too.
                    if socket.family == Family::V4 {
                        &arrival.packet[..]
                    } else {
                        arrival.icmp()
                    }
                } else {
                    if ping_done || !ident.is_some_and(|id| ping_wants(socket, &arrival, id)) {
                        continue;
                    }
                    ping_done = true;
                    arrival.icmp()
                };
                self.queue_message(h, data, arrival.src, arrival.hop_limit());
            }
        }
    }

    fn queue_message(&mut self, h: SocketHandle, data: &[u8], from: IpAddress, hop_limit: u8) {
        let len = data.len();
        let Some(socket) = self.table.get(h) else { return };
        let room = socket.options.receive_buffer;
        let Protocol::Icmp(state) = &socket.protocol else { return };
        if state.shut_read || state.queued_bytes + len > room || self.charge_queue(len).is_err() {
            return;
        }
        if let Some(socket) = self.table.get_mut(h) {
            let state = icmp_state(socket);
            state.queued_bytes += len;
            state.queue.push_back(Message { data: data.to_vec(), from, hop_limit });
        }
    }

    pub(crate) fn icmp_get(&mut self, socket: &mut Socket, option: SocketOption) -> Outcome {
        match option {
            SocketOption::ReadableBytes => {
                Outcome::Value(icmp_state(socket).queue.front().map_or(0, |m| m.data.len() as u64))
            }
            SocketOption::UnsentBytes => Outcome::Value(0),
            _ => Error::NoSuchOption.into(),
        }
    }
}

fn is_broadcast(addr: IpAddress) -> bool {
    matches!(addr, IpAddress::Ipv4(a) if a.is_broadcast())
}

/// What an ICMP socket is ready for now: readable with a message queued,
/// writable while each of its sending sockets has room.
pub(crate) fn readiness(interfaces: &[NetInterface], state: &IcmpState) -> Readiness {
    let mut r = Readiness::NONE;
    if !state.queue.is_empty() {
        r |= Readiness::READABLE;
    }
    if state.shut_read {
        r |= Readiness::READABLE | Readiness::READ_CLOSED;
    }
    let writable = state.senders.iter().all(|p| interfaces[p.iface].sockets.get::<raw::Socket>(p.handle).can_send());
    if writable && !state.shut_write {
        r |= Readiness::WRITABLE;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_of_a_known_echo_request() {
        // An echo request, id 0x1234, seq 1, payload "abcd".
        let mut icmp = [8, 0, 0, 0, 0x12, 0x34, 0, 1, b'a', b'b', b'c', b'd'];
        fill_checksum(&mut icmp, None);
        assert!(checksum_ok(&icmp, None));
        // Summed by hand: 0x0800 + 0x1234 + 0x0001 + 0x6162 + 0x6364 = 0xdefb.
        assert_eq!(u16::from_be_bytes([icmp[2], icmp[3]]), !0xdefbu16);
        icmp[9] ^= 1;
        assert!(!checksum_ok(&icmp, None));
    }

    #[test]
    fn odd_length_and_v6_pseudo_header() {
        let (s, d) = (Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST);
        let mut icmp = [128, 0, 0, 0, 0, 1, 0, 2, 0x55];
        fill_checksum(&mut icmp, Some((&s, &d)));
        assert!(checksum_ok(&icmp, Some((&s, &d))));
        assert!(!checksum_ok(&icmp, None));
    }

    #[test]
    fn filter_bits() {
        let mut state = IcmpState::new(Kind::Raw);
        state.blocked[0] = 1 << 8;
        state.blocked[4] = 1 << 1; // type 129
        assert!(state.blocks(8) && state.blocks(129));
        assert!(!state.blocks(0) && !state.blocks(128));
    }

    #[test]
    fn packets_parse_back() {
        let p = ipv4_packet(Ipv4Addr::new(10, 0, 2, 15), Ipv4Addr::LOCALHOST, 7, &[0, 0, 0, 0, 0, 9, 0, 1]);
        let a = Arrival::parse(p, false).unwrap();
        assert_eq!(a.icmp_at, 20);
        assert_eq!(a.dst, IpAddress::Ipv4(Ipv4Addr::LOCALHOST));
        assert_eq!(a.packet[8], 7);
        let p = ipv6_packet(Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST, 64, &[129, 0, 0, 0]);
        let a = Arrival::parse(p, true).unwrap();
        assert_eq!((a.icmp()[0], a.icmp().len()), (129, 4));
        assert!(checksum_ok(a.icmp(), Some((&Ipv6Addr::LOCALHOST, &Ipv6Addr::LOCALHOST))), "filled in on loopback");
        assert!(Arrival::parse(alloc::vec![0x45, 0, 0], false).is_none());
    }
}

#[cfg(test)]
mod against_smoltcp {
    use super::*;
    use smoltcp::wire::Icmpv6Packet;

    #[test]
    fn icmpv6_checksum_matches_smoltcp() {
        let s = Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 0x15);
        let d = Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 2);
        let mut icmp = [128u8, 0, 0, 0, 0, 1, 0, 2, b'w', b'i', b'r', b'e', b'!'];
        fill_checksum(&mut icmp, Some((&s, &d)));
        let p = Icmpv6Packet::new_checked(&icmp[..]).unwrap();
        assert!(p.verify_checksum(&s, &d));
    }
}
