//! UDP sockets over smoltcp's `udp::Socket`: datagram boundaries,
//! truncation, the sender's address, connected sockets' peer filter.
//!
//! smoltcp gives an arriving datagram to the first socket bound to its
//! port, whatever the socket's IP version, peer or address. Linux picks
//! the best: a socket connected to the sender, then one bound to the
//! exact address, then the wildcard, of a family that carries the
//! datagram. So after each polling round every datagram smoltcp received
//! is taken out and delivered to the socket Linux would choose, into
//! that socket's own queue (bounded by SO_RCVBUF and the buffer budget).

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use netproto::{Address, Error, Readiness, Request, SocketOption};
use smoltcp::socket::udp;
use smoltcp::wire::{IpAddress, IpEndpoint};

use crate::endpoint;
use crate::interface::NetInterface;
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
    /// Datagrams delivered here, oldest first.
    queue: VecDeque<Datagram>,
    queued_bytes: usize,
    /// A datagram being gathered by sends with MSG_MORE, and where it
    /// goes (the first of those sends' destination, as on Linux).
    corked: Option<(IpEndpoint, Vec<u8>)>,
}

pub(crate) struct Datagram {
    data: Vec<u8>,
    from: IpEndpoint,
}

impl UdpState {
    /// Where a connected socket sends, and the only source it hears.
    pub fn peer(&self) -> Option<IpEndpoint> {
        self.peer
    }

    pub fn new() -> UdpState {
        UdpState {
            parts: Vec::new(),
            peer: None,
            shut_read: false,
            shut_write: false,
            queue: VecDeque::new(),
            queued_bytes: 0,
            corked: None,
        }
    }
}

/// A datagram taken out of smoltcp, waiting to be delivered.
struct Arrival {
    port: u16,
    to: IpAddress,
    datagram: Datagram,
}

/// How well a socket fits an arriving datagram (None: not at all):
/// Linux's order, connected to the sender first, then bound to the exact
/// address.
fn fitness(socket: &Socket, state: &UdpState, arrival: &Arrival) -> Option<u8> {
    let binding = socket.binding?;
    if binding.port != arrival.port || state.parts.is_empty() {
        return None;
    }
    if !endpoint::family_carries(socket.family, socket.options.v6_only, arrival.to) {
        return None;
    }
    let mut score = 0;
    match binding.addr {
        Some(a) if a == arrival.to => score += 1,
        Some(_) => return None,
        None => {}
    }
    match state.peer {
        Some(peer) if peer == arrival.datagram.from => score += 2,
        Some(_) => return None,
        None => {}
    }
    Some(score)
}

fn udp_state(socket: &mut Socket) -> &mut UdpState {
    match &mut socket.protocol {
        Protocol::Udp(state) => state,
        // Only UDP sockets come here (stack.rs dispatches by protocol).
        _ => unreachable!("another protocol in the UDP code"),
    }
}

impl Stack {
    pub(crate) fn udp_request(&mut self, socket: &mut Socket, request: Request, room: usize) -> Outcome {
        match request {
            Request::Connect { address, .. } => self.udp_connect(socket, address.as_ref()),
            Request::Send { to, data, more, .. } => self.udp_send(socket, to.as_ref(), data, more),
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

    /// Sends one datagram. With `more` (MSG_MORE) the bytes are gathered
    /// instead, and the next send without it appends its own and sends
    /// them all as one datagram to the first send's destination.
    fn udp_send(&mut self, socket: &mut Socket, to: Option<&Address>, data: &[u8], more: bool) -> Outcome {
        if udp_state(socket).shut_write {
            return Error::BrokenPipe.into();
        }
        // As in the receive: a reported ICMP error fails this send, once.
        if let Some(e) = socket.pending_error.take() {
            return e.into();
        }
        if let Some((dst, mut gathered)) = udp_state(socket).corked.take() {
            if gathered.len() + data.len() > max_datagram(dst.addr) {
                // Linux drops the whole gathered datagram too.
                return Error::MessageTooLong.into();
            }
            let before = gathered.len();
            gathered.extend_from_slice(data);
            if more {
                udp_state(socket).corked = Some((dst, gathered));
                return Outcome::Sent(data.len());
            }
            return match self.udp_transmit(socket, dst, &gathered) {
                Outcome::Sent(_) => Outcome::Sent(data.len()),
                Outcome::Error(Error::WouldBlock) => {
                    // The kernel asks again when there is room.
                    gathered.truncate(before);
                    udp_state(socket).corked = Some((dst, gathered));
                    Error::WouldBlock.into()
                }
                other => other,
            };
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
        if data.len() > max_datagram(dst.addr) {
            return Error::MessageTooLong.into();
        }
        if more {
            // Bound now, as Linux binds at the first send: getsockname
            // shows the port before the datagram leaves.
            if let Err(e) = self.route(dst.addr).and_then(|_| self.udp_autobind(socket)) {
                return e.into();
            }
            udp_state(socket).corked = Some((dst, data.to_vec()));
            return Outcome::Sent(data.len());
        }
        self.udp_transmit(socket, dst, data)
    }

    /// UDP_CORK was cleared: the gathered datagram goes now, as Linux
    /// pushes the pending frames; one that cannot (no room, no route) is
    /// dropped, as Linux's push drops it, and setsockopt still succeeds.
    pub(crate) fn udp_uncork(&mut self, socket: &mut Socket) {
        if let Some((dst, gathered)) = udp_state(socket).corked.take() {
            let _ = self.udp_transmit(socket, dst, &gathered);
        }
    }

    /// Puts one whole datagram in the send buffer of the part on the
    /// interface the route to `dst` leaves by.
    fn udp_transmit(&mut self, socket: &mut Socket, dst: IpEndpoint, data: &[u8]) -> Outcome {
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
        let local = self.source_for(socket.binding.and_then(|b| b.addr), dst.addr);
        if local.is_some_and(|a| a.version() != dst.addr.version()) {
            // Bound to an IPv4(-mapped) address, sending to IPv6 or the
            // reverse (smoltcp would panic building the packet).
            return Error::InvalidArgument.into();
        }
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
        // An ICMP error reported to this socket (udp_errors.rs) comes
        // first, once, as Linux's sock_error in the receive.
        if let Some(e) = socket.pending_error.take() {
            return e.into();
        }
        let family = socket.family;
        let state = udp_state(socket);
        let Some(front) = state.queue.front() else {
            if state.shut_read {
                return Outcome::Received { len: 0, full_length: 0, from: None };
            }
            return Error::WouldBlock.into();
        };
        let len = front.data.len().min(max);
        let from = Some(endpoint::from_smoltcp(family, front.from));
        let full_length = front.data.len();
        self.scratch.clear();
        self.scratch.extend_from_slice(&front.data[..len]);
        if !peek {
            state.queued_bytes -= full_length;
            state.queue.pop_front();
            self.release(full_length);
        }
        Outcome::Received { len, full_length, from }
    }

    pub(crate) fn udp_close(&mut self, socket: &mut Socket) {
        let state = udp_state(socket);
        let queued = core::mem::take(&mut state.queued_bytes);
        state.queue.clear();
        self.release(queued);
        for part in core::mem::take(&mut udp_state(socket).parts) {
            self.free_part(part);
        }
    }

    /// Takes every datagram smoltcp received and delivers it to the
    /// socket that fits it best; datagrams nobody fits, or that do not
    /// fit the chosen socket's buffer, are dropped (as on Linux).
    pub(crate) fn deliver_udp(&mut self) {
        let mut arrivals = Vec::new();
        for iface in &mut self.interfaces {
            for (_, item) in iface.sockets.iter_mut() {
                let smoltcp::socket::Socket::Udp(smol) = item else { continue };
                let port = smol.endpoint().port;
                while let Ok((data, meta)) = smol.recv() {
                    let Some(to) = meta.local_address else { continue };
                    arrivals.push(Arrival {
                        port,
                        to,
                        datagram: Datagram { data: data.to_vec(), from: meta.endpoint },
                    });
                }
            }
        }
        if arrivals.is_empty() {
            return;
        }
        let handles = self.table.handles();
        for arrival in arrivals {
            let mut best: Option<(u8, netproto::SocketHandle)> = None;
            for &h in &handles {
                let Some(socket) = self.table.get(h) else { continue };
                let Protocol::Udp(state) = &socket.protocol else { continue };
                if let Some(score) = fitness(socket, state, &arrival) {
                    if best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, h));
                    }
                }
            }
            let Some((_, h)) = best else { continue };
            let len = arrival.datagram.data.len();
            let room = self.table.get(h).map_or(0, |s| s.options.receive_buffer);
            let Some(Protocol::Udp(state)) = self.table.get(h).map(|s| &s.protocol) else { continue };
            if state.queued_bytes + len > room || self.charge_queue(len).is_err() {
                continue;
            }
            if let Some(socket) = self.table.get_mut(h) {
                let state = udp_state(socket);
                state.queued_bytes += len;
                state.queue.push_back(arrival.datagram);
            }
        }
    }

    pub(crate) fn udp_get(&mut self, socket: &mut Socket, option: SocketOption) -> Outcome {
        let parts = udp_state(socket).parts.clone();
        match option {
            // FIONREAD on UDP: the size of the next datagram.
            SocketOption::ReadableBytes => {
                Outcome::Value(udp_state(socket).queue.front().map_or(0, |d| d.data.len() as u64))
            }
            SocketOption::UnsentBytes => {
                Outcome::Value(parts.into_iter().map(|p| self.udp_socket(p).send_queue() as u64).sum())
            }
            _ => Error::NoSuchOption.into(),
        }
    }
}

/// The largest UDP payload to `addr`'s IP version.
fn max_datagram(addr: IpAddress) -> usize {
    match addr {
        IpAddress::Ipv4(_) => MAX_DATAGRAM_V4,
        IpAddress::Ipv6(_) => MAX_DATAGRAM_V6,
    }
}

/// What a UDP socket is ready for now.
pub(crate) fn readiness(interfaces: &[NetInterface], state: &UdpState) -> Readiness {
    let mut r = Readiness::NONE;
    if !state.queue.is_empty() {
        r |= Readiness::READABLE;
    }
    let mut writable = state.parts.is_empty();
    for part in &state.parts {
        writable |= interfaces[part.iface].sockets.get::<udp::Socket>(part.handle).can_send();
    }
    if state.shut_read {
        r |= Readiness::READABLE | Readiness::READ_CLOSED;
    }
    if writable && !state.shut_write {
        r |= Readiness::WRITABLE;
    }
    r
}
