//! UDP sockets over smoltcp's `udp::Socket`: datagram boundaries,
//! truncation, the sender's address, connected sockets' peer filter.

use alloc::vec::Vec;

use netproto::{Address, Error, Readiness, Request, SocketOption};
use smoltcp::socket::udp;
use smoltcp::wire::{IpAddress, IpEndpoint};

use crate::endpoint;
use crate::socket::{Part, Protocol, Socket};
use crate::stack::{Outcome, Stack};

/// The largest UDP payload in one IP packet (65535 minus the headers).
const MAX_DATAGRAM_V4: usize = 65507;
const MAX_DATAGRAM_V6: usize = 65527;
/// Ethernet's IP and UDP headers, for the largest unfragmented datagram.
const IPV4_UDP_HEADERS: usize = 28;
const IPV6_UDP_HEADERS: usize = 48;

pub(crate) struct UdpState {
    /// One smoltcp socket per interface the binding covers.
    pub parts: Vec<Part>,
    /// Set by connect: the default destination and the only accepted source.
    peer: Option<IpEndpoint>,
    shut_read: bool,
    shut_write: bool,
}

impl UdpState {
    pub fn new() -> UdpState {
        UdpState { parts: Vec::new(), peer: None, shut_read: false, shut_write: false }
    }
}

fn udp_state(socket: &mut Socket) -> &mut UdpState {
    match &mut socket.protocol {
        Protocol::Udp(state) => state,
        // Only UDP sockets come here (stack.rs dispatches by protocol).
        Protocol::Tcp(_) => unreachable!("a TCP socket in the UDP code"),
    }
}

impl Stack {
    pub(crate) fn udp_request(&mut self, socket: &mut Socket, request: Request, room: usize) -> Outcome {
        match request {
            Request::Connect { address, .. } => self.udp_connect(socket, address.as_ref()),
            Request::Send { to, data, .. } => self.udp_send(socket, to.as_ref(), data),
            Request::Receive { max, peek, .. } => self.udp_receive(socket, (max as usize).min(room), peek),
            Request::Shutdown { read, write, .. } => {
                let state = udp_state(socket);
                if state.peer.is_none() {
                    return Error::NotConnected.into();
                }
                state.shut_read |= read;
                state.shut_write |= write;
                Outcome::Done
            }
            Request::PeerAddress { .. } => match udp_state(socket).peer {
                Some(peer) => Outcome::Address(endpoint::from_smoltcp(socket.family, peer)),
                None => Error::NotConnected.into(),
            },
            Request::Listen { .. } | Request::Accept { .. } => Error::NotSupported.into(),
            _ => Error::InvalidArgument.into(),
        }
    }

    /// Opens a smoltcp socket on each interface the binding covers.
    pub(crate) fn udp_open_parts(&mut self, socket: &mut Socket) -> Result<(), Error> {
        let Some(binding) = socket.binding else { return Ok(()) };
        let have: Vec<usize> = udp_state(socket).parts.iter().map(|p| p.iface).collect();
        for iface in self.interfaces_for(binding.addr) {
            if have.contains(&iface) {
                continue;
            }
            let part = self.new_udp_part(iface, socket.options.receive_buffer, socket.options.send_buffer)?;
            let smol = self.udp_socket(part);
            smol.set_hop_limit(socket.options.hop_limit);
            if smol.bind(smoltcp::wire::IpListenEndpoint { addr: binding.addr, port: binding.port }).is_err() {
                self.free_part(part);
                return Err(Error::InvalidArgument);
            }
            udp_state(socket).parts.push(part);
        }
        Ok(())
    }

    /// Binds an unbound socket to an ephemeral port (send and connect do).
    fn udp_autobind(&mut self, socket: &mut Socket) -> Result<(), Error> {
        if socket.binding.is_none() {
            socket.binding = Some(self.claim_port(socket, None, 0)?);
        }
        let result = self.udp_open_parts(socket);
        if result.is_err() && udp_state(socket).parts.is_empty() {
            socket.binding = None;
        }
        result
    }

    fn destination(&self, socket: &Socket, address: &Address) -> Result<IpEndpoint, Error> {
        let (addr, port) = endpoint::to_smoltcp(socket.family, socket.options.v6_only, address)?;
        let addr = addr.unwrap_or(match address {
            Address::V4 { .. } => IpAddress::Ipv4(core::net::Ipv4Addr::LOCALHOST),
            Address::V6 { .. } => IpAddress::Ipv6(core::net::Ipv6Addr::LOCALHOST),
        });
        Ok(IpEndpoint { addr, port })
    }

    fn udp_connect(&mut self, socket: &mut Socket, address: Option<&Address>) -> Outcome {
        let Some(address) = address else {
            udp_state(socket).peer = None;
            return Outcome::Done;
        };
        let peer = match self.destination(socket, address) {
            Ok(p) => p,
            Err(e) => return e.into(),
        };
        if let Err(e) = self.route(peer.addr).and_then(|_| self.udp_autobind(socket)) {
            return e.into();
        }
        udp_state(socket).peer = Some(peer);
        Outcome::Done
    }

    fn udp_send(&mut self, socket: &mut Socket, to: Option<&Address>, data: &[u8]) -> Outcome {
        if udp_state(socket).shut_write {
            return Error::BrokenPipe.into();
        }
        let dst = match to {
            Some(a) => match self.destination(socket, a) {
                Ok(d) => d,
                Err(e) => return e.into(),
            },
            None => match udp_state(socket).peer {
                Some(p) => p,
                None => return Error::DestinationRequired.into(),
            },
        };
        if dst.port == 0 {
            return Error::InvalidArgument.into();
        }
        let limit = match dst.addr {
            IpAddress::Ipv4(_) => MAX_DATAGRAM_V4,
            IpAddress::Ipv6(_) => MAX_DATAGRAM_V6,
        };
        if data.len() > limit {
            return Error::MessageTooLong.into();
        }
        let iface = match self.route(dst.addr) {
            Ok(i) => i,
            Err(e) => return e.into(),
        };
        if let Err(e) = self.udp_autobind(socket) {
            return e.into();
        }
        if !self.interfaces[iface].is_loopback() {
            // No IP fragmentation: a datagram must fit the link's MTU.
            let headers =
                if dst.addr.version() == smoltcp::wire::IpVersion::Ipv4 { IPV4_UDP_HEADERS } else { IPV6_UDP_HEADERS };
            if let crate::interface::Link::Ethernet(link) = &self.interfaces[iface].link {
                if data.len() + headers > link.device.mtu() {
                    return Error::MessageTooLong.into();
                }
            }
        }
        let Some(part) = udp_state(socket).parts.iter().copied().find(|p| p.iface == iface) else {
            // Bound to an address of another interface.
            return Error::NetworkUnreachable.into();
        };
        let local = socket.binding.and_then(|b| b.addr);
        let smol = self.udp_socket(part);
        if data.len() > smol.payload_send_capacity() {
            return Error::MessageTooLong.into();
        }
        let mut meta = udp::UdpMetadata::from(dst);
        meta.local_address = local;
        match smol.send_slice(data, meta) {
            Ok(()) => Outcome::Sent(data.len()),
            Err(udp::SendError::BufferFull) => Error::WouldBlock.into(),
            Err(udp::SendError::Unaddressable) => Error::InvalidArgument.into(),
        }
    }

    fn udp_receive(&mut self, socket: &mut Socket, max: usize, peek: bool) -> Outcome {
        let state = udp_state(socket);
        if state.shut_read {
            return Outcome::Received { len: 0, full_length: 0, from: None };
        }
        let parts = state.parts.clone();
        let mut scratch = core::mem::take(&mut self.scratch);
        let mut outcome: Outcome = Error::WouldBlock.into();
        for part in parts {
            let smol = self.udp_socket(part);
            let Ok((data, meta)) = smol.peek() else { continue };
            let len = data.len().min(max);
            scratch.clear();
            scratch.extend_from_slice(&data[..len]);
            let from = Some(endpoint::from_smoltcp(socket.family, meta.endpoint));
            outcome = Outcome::Received { len, full_length: data.len(), from };
            if !peek {
                let _ = smol.recv();
            }
            break;
        }
        self.scratch = scratch;
        outcome
    }

    pub(crate) fn udp_close(&mut self, socket: &mut Socket) {
        for part in core::mem::take(&mut udp_state(socket).parts) {
            self.free_part(part);
        }
    }

    /// Connected sockets take datagrams from their peer only; the others
    /// are dropped as they arrive (as Linux never queues them).
    pub(crate) fn filter_udp(&mut self) {
        for handle in self.table.handles() {
            let Some(socket) = self.table.get_mut(handle) else { continue };
            let Protocol::Udp(state) = &socket.protocol else { continue };
            let Some(peer) = state.peer else { continue };
            for part in &state.parts {
                let smol = self.interfaces[part.iface].sockets.get_mut::<udp::Socket>(part.handle);
                while let Ok((_, meta)) = smol.peek() {
                    if meta.endpoint == peer {
                        break;
                    }
                    let _ = smol.recv();
                }
            }
        }
    }

    pub(crate) fn udp_readiness(&self, state: &UdpState) -> Readiness {
        let mut r = Readiness::NONE;
        let mut writable = state.parts.is_empty();
        for part in &state.parts {
            let smol = self.interfaces[part.iface].sockets.get::<udp::Socket>(part.handle);
            if smol.can_recv() {
                r |= Readiness::READABLE;
            }
            writable |= smol.can_send();
        }
        if state.shut_read {
            r |= Readiness::READABLE | Readiness::READ_CLOSED;
        }
        if writable && !state.shut_write {
            r |= Readiness::WRITABLE;
        }
        r
    }

    pub(crate) fn udp_get(&mut self, socket: &mut Socket, option: SocketOption) -> Outcome {
        let parts = udp_state(socket).parts.clone();
        match option {
            // FIONREAD on UDP: the size of the next datagram.
            SocketOption::ReadableBytes => {
                for part in parts {
                    if let Ok((data, _)) = self.udp_socket(part).peek() {
                        return Outcome::Value(data.len() as u64);
                    }
                }
                Outcome::Value(0)
            }
            SocketOption::UnsentBytes => {
                Outcome::Value(parts.into_iter().map(|p| self.udp_socket(p).send_queue() as u64).sum())
            }
            _ => Error::NoSuchOption.into(),
        }
    }
}
