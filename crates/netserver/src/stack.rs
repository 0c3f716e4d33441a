//! The stack: interfaces, the socket table, and the one entry point per
//! thing that can happen (a request, a poll, a new interface).

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use netproto::{Address, Answer, Error, EventList, Readiness, Request, Response, SocketHandle};
use smoltcp::time::{Duration, Instant};
use smoltcp::wire::{IpAddress, IpListenEndpoint};

use crate::device::{EthernetLink, FrameDevice};
use crate::endpoint;
use crate::interface::{InterfaceConfig, NetInterface};
use crate::owner::{Owner, CLIENT_SOCKETS};
use crate::ports::{self, PortUser};
use crate::readiness::EventQueue;
use crate::socket::{Binding, Protocol, Socket};
use crate::tcp::Orphan;

/// Bounds on what hostile or greedy clients can make the server hold.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Open sockets (the kernel's handles).
    pub max_sockets: usize,
    /// Bytes of socket buffers, over every smoltcp socket (listener pools
    /// and closing connections included). Past it, new sockets fail with
    /// NoBufferSpace and listeners stop taking connections.
    pub buffer_bytes: usize,
    /// Seeds TCP initial sequence numbers and the first ephemeral port.
    pub random_seed: u64,
}

/// The buffer budget user/netstack serves with: half the 128 MiB its boot
/// manifests give it. 200 connections with the default buffers (192 KiB
/// each, both ends) fit under the listener pools' three quarters of it,
/// with the spares and pools beside them.
pub const SERVER_BUFFER_BYTES: usize = 64 << 20;

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_sockets: 4096, buffer_bytes: 128 << 20, random_seed: 0x5eed_0f4e }
    }
}

/// Why an Ethernet interface was not added.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AddInterfaceError {
    /// The MAC address is not a unicast address.
    BadMac,
}

/// Polling rounds one request or poll may take to let loopback traffic
/// settle: each round carries every packet queued. More is left for the
/// next poll (which is then due at once).
const SETTLE_ROUNDS: usize = 1024;
/// Bytes of an answer kept for events when data could fill it.
const EVENT_ROOM: usize = 2048;

/// What a request produced; `Received`'s data waits in `Stack::scratch`.
pub(crate) enum Outcome {
    Done,
    Error(Error),
    Opened(SocketHandle),
    Accepted(SocketHandle, Address),
    Sent(usize),
    Received {
        len: usize,
        full_length: usize,
        from: Option<Address>,
    },
    /// An ICMP socket's message, with the TTL or hop limit it came with.
    Message {
        len: usize,
        full_length: usize,
        from: Option<Address>,
        hop_limit: u8,
    },
    Address(Address),
    Value(u64),
    /// A page of a table (query.rs) and where the next one starts.
    Records(Vec<netproto::Record>, Option<u32>),
}

impl From<Error> for Outcome {
    fn from(e: Error) -> Outcome {
        Outcome::Error(e)
    }
}

/// The network server's whole state.
pub struct Stack {
    pub(crate) interfaces: Vec<NetInterface>,
    pub(crate) table: crate::table::SocketTable,
    pub(crate) orphans: Vec<Orphan>,
    /// Closed connections in TIME-WAIT, by the port they keep and until
    /// when: their smoltcp sockets (and buffers) are gone. Oldest first:
    /// each is kept for the same time from a clock that never goes back.
    pub(crate) time_wait: VecDeque<(PortUser, Instant)>,
    events: EventQueue,
    pub(crate) limits: Limits,
    pub(crate) buffer_used: usize,
    pub(crate) port_cursor: u16,
    /// The last echo identifier a ping socket was given.
    pub(crate) ident_cursor: u16,
    pub(crate) now: Instant,
    pub(crate) scratch: Vec<u8>,
    /// A listener pool was left with no socket listening on an interface
    /// since the last count of full listeners (listener_pool.rs).
    pub(crate) pool_left_short: bool,
}

impl Stack {
    /// A stack with the loopback interface (127.0.0.1/8, ::1/128) only.
    pub fn new(now: Instant) -> Stack {
        Stack::with_limits(now, Limits::default())
    }

    pub fn with_limits(now: Instant, limits: Limits) -> Stack {
        let span = u64::from(ports::EPHEMERAL_LAST - ports::EPHEMERAL_FIRST) + 1;
        let port_cursor = ports::EPHEMERAL_FIRST + (limits.random_seed % span) as u16;
        Stack {
            interfaces: alloc::vec![NetInterface::loopback(now, limits.random_seed)],
            table: crate::table::SocketTable::new(limits.max_sockets),
            orphans: Vec::new(),
            time_wait: VecDeque::new(),
            events: EventQueue::new(),
            buffer_used: 0,
            port_cursor,
            ident_cursor: (limits.random_seed >> 16) as u16,
            now,
            scratch: Vec::new(),
            pool_left_short: false,
            limits,
        }
    }

    /// Adds an Ethernet interface on `device`; returns its position (1,
    /// 2, ...; loopback is 0). `Interfaces` reports position + 1 as its
    /// index, as Linux numbers lo 1.
    pub fn add_ethernet<D: FrameDevice + 'static>(
        &mut self,
        device: D,
        mac: [u8; 6],
        config: InterfaceConfig,
    ) -> Result<usize, AddInterfaceError> {
        let seed = self.limits.random_seed ^ (self.interfaces.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let link = EthernetLink::new(Box::new(device));
        let iface = NetInterface::ethernet(link, mac, &config, self.now, seed).ok_or(AddInterfaceError::BadMac)?;
        self.interfaces.push(iface);
        self.mirror_local_addresses();
        // Sockets bound to the wildcard address listen here too.
        for handle in self.table.handles() {
            let Ok(mut socket) = self.table.take(handle) else { continue };
            if matches!(socket.protocol, Protocol::Udp(_)) {
                let _ = self.udp_open_parts(&mut socket);
            }
            self.table.put_back(handle, socket);
        }
        self.maintain();
        Ok(self.interfaces.len() - 1)
    }

    /// Interface `index`'s IPv4 address, prefix and gateway, if it has one
    /// (a static one, or DHCP's lease).
    pub fn ipv4_address(&self, index: usize) -> Option<([u8; 4], u8, Option<[u8; 4]>)> {
        let iface = self.interfaces.get(index)?;
        iface.iface.ip_addrs().iter().find_map(|cidr| match cidr {
            smoltcp::wire::IpCidr::Ipv4(c) => {
                Some((c.address().octets(), c.prefix_len(), iface.gateway4.map(|g| g.octets())))
            }
            _ => None,
        })
    }

    /// The DNS servers DHCP announced (for /etc/resolv.conf).
    pub fn dns_servers(&self) -> Vec<[u8; 4]> {
        self.interfaces.iter().flat_map(|i| i.dns_servers.iter().map(|a| a.octets())).collect()
    }

    /// One request from the kernel: decode `request`, act, let the
    /// interfaces run (loopback traffic flows here), and encode the answer
    /// with every readiness change into `answer`; returns its length.
    /// Never blocks, never panics on any input. An `answer` too small for
    /// any answer gets 0.
    pub fn handle(&mut self, request: &[u8], answer: &mut [u8], now: Instant) -> usize {
        self.handle_as(Owner::Kernel, request, answer, now)
    }

    /// One request from `owner`, as [`handle`](Self::handle) does the
    /// kernel's: it reaches only `owner`'s sockets (any other handle is
    /// `BadHandle`, as a closed one is), a new or accepted socket becomes
    /// `owner`'s, and the answer carries only `owner`'s events. A client
    /// holds at most [`CLIENT_SOCKETS`] sockets (`TooManySockets`).
    pub fn handle_as(&mut self, owner: Owner, request: &[u8], answer: &mut [u8], now: Instant) -> usize {
        self.now = now.max(self.now);
        // Data gets the buffer but for room for ~100 events; events that
        // do not fit wait for `take_events`.
        let room = answer.len().saturating_sub(Answer::OVERHEAD + EVENT_ROOM.min(answer.len() / 4));
        let outcome = match Request::decode(request) {
            Ok(request) => match self.admit(owner, &request) {
                Ok(()) => self.dispatch(owner, request, room),
                Err(e) => e.into(),
            },
            Err(_) => Outcome::Error(Error::InvalidArgument),
        };
        self.settle();
        self.update_readiness();
        self.encode_answer(owner, outcome, answer)
    }

    /// Whether `owner` may make `request`: the socket it names is its
    /// own, and a client opening or accepting one is under its limit.
    fn admit(&self, owner: Owner, request: &Request) -> Result<(), Error> {
        if let Some(handle) = request.socket() {
            if self.table.get(handle).is_none_or(|s| s.owner != owner) {
                return Err(Error::BadHandle);
            }
        }
        let opens = matches!(request, Request::Open { .. } | Request::Accept { .. });
        if opens && owner != Owner::Kernel && self.sockets_of(owner) >= CLIENT_SOCKETS {
            return Err(Error::TooManySockets);
        }
        Ok(())
    }

    /// How many sockets `owner` holds.
    pub fn sockets_of(&self, owner: Owner) -> usize {
        self.table.iter().filter(|(_, s)| s.owner == owner).count()
    }

    /// A native client has ended (or detached): closes every socket it
    /// holds, as the kernel closes a dead process's files (connections
    /// finish in the background), and drops its events. Returns how many
    /// sockets were closed.
    pub fn close_owner(&mut self, owner: Owner, now: Instant) -> usize {
        self.now = now.max(self.now);
        let handles: Vec<SocketHandle> = self.table.iter().filter(|(_, s)| s.owner == owner).map(|(h, _)| h).collect();
        for &handle in &handles {
            if let Ok(socket) = self.table.take(handle) {
                self.close(socket);
                self.table.release(handle);
            }
        }
        self.settle();
        self.update_readiness();
        self.events.forget_owner(owner);
        handles.len()
    }

    /// Timers and frames: runs every interface; returns how long until the
    /// stack needs polling again (None: only when something arrives).
    pub fn poll(&mut self, now: Instant) -> Option<Duration> {
        self.now = now.max(self.now);
        self.settle();
        self.update_readiness();
        self.poll_delay()
    }

    /// How long until the stack needs polling, without running it: right
    /// after `handle` (which already ran the interfaces and timers), a
    /// `poll` would only do the same work again.
    pub fn next_poll(&mut self) -> Option<Duration> {
        self.poll_delay()
    }

    /// Readiness changes not yet reported, encoded as an `EventList` for
    /// `net_events`; 0 if none. What does not fit stays for the next call.
    pub fn take_events(&mut self, buf: &mut [u8]) -> usize {
        self.take_events_of(Owner::Kernel, buf)
    }

    /// As [`take_events`](Self::take_events), `owner`'s events only (a
    /// client's `EVENTS` call); 0 if none.
    pub fn take_events_of(&mut self, owner: Owner, buf: &mut [u8]) -> usize {
        if !self.events.has(owner) {
            return 0;
        }
        let events = self.events.take_fitting(owner, buf.len());
        EventList::encode(&events, buf).unwrap_or(0)
    }

    /// Whether the kernel's readiness changes wait for `take_events`
    /// (clients' waiting events do not make the server poll again: they
    /// wait for the client to ask).
    pub fn has_events(&self) -> bool {
        self.events.has(Owner::Kernel)
    }

    /// Moves into `out` the clients that got events since the last call:
    /// the server signals each one's notification, once per batch.
    pub fn take_woken_clients(&mut self, out: &mut Vec<u64>) {
        self.events.take_woken(out);
    }

    fn dispatch(&mut self, owner: Owner, request: Request, room: usize) -> Outcome {
        let handle = match request {
            Request::Open { family, kind } => {
                let mut socket = Socket::new(family, kind);
                socket.owner = owner;
                return match self.table.insert(socket) {
                    Ok(handle) => Outcome::Opened(handle),
                    Err(e) => e.into(),
                };
            }
            Request::Interfaces { start } => return self.interfaces_page(start, room),
            Request::Sockets { start } => return self.sockets_page(start, room),
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
            | Request::Membership { socket, .. }
            | Request::SetIcmpFilter { socket, .. } => socket,
        };
        let mut socket = match self.table.take(handle) {
            Ok(socket) => socket,
            Err(e) => return e.into(),
        };
        if let Request::Close { .. } = request {
            self.close(socket);
            self.table.release(handle);
            if owner != Owner::Kernel {
                self.events.forget_socket(owner, handle);
            }
            return Outcome::Done;
        }
        let outcome = self.on_socket(&mut socket, request, room);
        self.table.put_back(handle, socket);
        outcome
    }

    fn on_socket(&mut self, socket: &mut Socket, request: Request, room: usize) -> Outcome {
        match request {
            Request::Bind { address, .. } if matches!(socket.protocol, Protocol::Icmp(_)) => {
                if socket.binding.is_some() {
                    return Error::InvalidArgument.into();
                }
                self.icmp_bind(socket, &address)
            }
            Request::Bind { address, .. } => self.bind(socket, &address),
            Request::SetOption { option, value, .. } => self.set_option(socket, option, value),
            Request::GetOption { option, .. } => self.get_option(socket, option),
            Request::LocalAddress { .. } if matches!(socket.protocol, Protocol::Icmp(_)) => {
                Outcome::Address(self.icmp_local_address(socket))
            }
            Request::LocalAddress { .. } => Outcome::Address(self.local_address(socket)),
            Request::Membership { group, interface, local, join, .. } => {
                self.membership(socket, &group, interface, local.as_ref(), join)
            }
            // TCP_CORK and UDP_CORK hold every send back as MSG_MORE holds
            // one (the option exists on streams and datagrams only).
            Request::Send { socket: handle, to, data, more } if socket.options.cork && !more => {
                self.on_socket(socket, Request::Send { socket: handle, to, data, more: true }, room)
            }
            _ => match socket.protocol {
                Protocol::Tcp(_) => self.tcp_request(socket, request, room),
                Protocol::Udp(_) => self.udp_request(socket, request, room),
                Protocol::Icmp(_) => self.icmp_request(socket, request, room),
            },
        }
    }

    fn close(&mut self, mut socket: Socket) {
        self.leave_all_groups(&mut socket);
        match socket.protocol {
            Protocol::Tcp(_) => self.tcp_close(&mut socket),
            Protocol::Udp(_) => self.udp_close(&mut socket),
            Protocol::Icmp(_) => self.icmp_close(&mut socket),
        }
    }

    /// Binds `socket` to `address` (port 0: an ephemeral port).
    fn bind(&mut self, socket: &mut Socket, address: &Address) -> Outcome {
        if socket.binding.is_some() {
            return Error::InvalidArgument.into();
        }
        if let Protocol::Tcp(state) = &socket.protocol {
            if !state.is_idle() {
                return Error::InvalidArgument.into();
            }
        }
        let (addr, port) = match endpoint::to_smoltcp(socket.family, socket.options.v6_only, address) {
            Ok(x) => x,
            Err(e) => return e.into(),
        };
        if let Some(ip) = addr {
            if !self.is_local(ip) {
                return Error::AddressNotAvailable.into();
            }
        }
        match self.claim_port(socket, addr, port) {
            Ok(binding) => {
                socket.binding = Some(binding);
                self.after_bind(socket)
            }
            Err(e) => e.into(),
        }
    }

    /// Finds `port` (0: an ephemeral one) free for `socket` at `addr`.
    pub(crate) fn claim_port(&mut self, socket: &Socket, addr: Option<IpAddress>, port: u16) -> Result<Binding, Error> {
        let port = if port == 0 { self.ephemeral_port(socket.kind())? } else { port };
        let binding = Binding { addr, port };
        // Only holders of the same port can block it.
        let users: Vec<PortUser> = self.port_users_iter().filter(|u| u.binding.port == port).collect();
        ports::check(&users, &port_user(socket, binding, false))?;
        Ok(binding)
    }

    /// `ports::ephemeral`'s answer, found without sorting every holder
    /// (TIME-WAIT keeps thousands when connections are short): the ports
    /// after the cursor are tried one by one first, which finds a free
    /// one at once unless the range is crowded.
    fn ephemeral_port(&mut self, kind: netproto::Kind) -> Result<u16, Error> {
        const QUICK_TRIES: usize = 8;
        let mut cursor = self.port_cursor;
        for _ in 0..QUICK_TRIES {
            let port = ports::next_ephemeral(&mut cursor);
            if !self.port_users_iter().any(|u| u.kind == kind && u.binding.port == port) {
                self.port_cursor = cursor;
                return Ok(port);
            }
        }
        ports::ephemeral(&self.port_users(), kind, &mut self.port_cursor)
    }

    /// Every socket and closing connection that holds a port (the socket
    /// being worked on is lent out of the table and so not among them).
    pub(crate) fn port_users(&self) -> Vec<PortUser> {
        self.port_users_iter().collect()
    }

    fn port_users_iter(&self) -> impl Iterator<Item = PortUser> + '_ {
        // ICMP identifiers are a namespace of their own (icmp.rs).
        let sockets =
            self.table.iter().filter(|(_, s)| !matches!(s.protocol, Protocol::Icmp(_))).filter_map(|(_, s)| {
                let listening = matches!(&s.protocol, Protocol::Tcp(t) if t.is_listening());
                Some(port_user(s, s.binding?, listening))
            });
        let orphans = self.orphans.iter().map(|o| o.user.clone());
        let time_wait = self.time_wait.iter().filter(|t| t.1 > self.now).map(|t| t.0.clone());
        sockets.chain(orphans).chain(time_wait)
    }

    /// Runs the interfaces until loopback traffic settles (or the round
    /// limit), watching connections after each round, then the upkeep.
    fn settle(&mut self) {
        let now = self.now;
        for _ in 0..SETTLE_ROUNDS {
            let mut arrived = false;
            for iface in &mut self.interfaces {
                // Few, so that listener pools are topped up between
                // bursts of SYNs.
                let limit = iface.frames_per_round();
                arrived |= iface.ingress(now, limit);
            }
            if arrived {
                // Between frames in and frames out, so that a SYN no
                // listener wants is answered by a reset, not by a
                // handshake. Connections are watched once, after the
                // rounds: on loopback none can pass through a state that
                // would be missed (the peer acts only in its own request,
                // TIME-WAIT lasts seconds); from the wire, a SYN-ACK and a
                // reset in one burst would read as refused, not reset.
                self.sort_listeners();
                self.deliver_udp();
                self.deliver_icmp();
            }
            for iface in &mut self.interfaces {
                iface.egress(now);
            }
            if arrived {
                // Pools topped up between rounds take the next SYNs.
                self.refill_listeners();
            }
            if self.interfaces.iter().all(|i| i.is_idle()) {
                break;
            }
        }
        self.observe_tcp();
        self.maintain();
        if self.interfaces.iter().any(|i| i.addresses_changed) {
            self.mirror_local_addresses();
        }
    }

    /// Upkeep after the interfaces ran: listener pools, closing
    /// connections, connect deadlines, corked bytes held long enough.
    fn maintain(&mut self) {
        self.refill_listeners();
        self.reap_orphans();
        self.expire_connects();
        self.release_stale_corks();
    }

    fn poll_delay(&mut self) -> Option<Duration> {
        if !self.interfaces.iter().all(|i| i.is_idle()) {
            return Some(Duration::ZERO);
        }
        let now = self.now;
        let mut delay = self.tcp_deadline().map(|at| if at > now { at - now } else { Duration::ZERO });
        for iface in &mut self.interfaces {
            if let Some(d) = iface.iface.poll_delay(now, &iface.sockets) {
                delay = Some(delay.map_or(d, |x: Duration| x.min(d)));
            }
        }
        delay
    }

    fn update_readiness(&mut self) {
        for i in 0..self.table.slot_count() {
            let Some((handle, socket)) = self.table.at_mut(i) else { continue };
            let readiness = readiness(&self.interfaces, socket);
            self.events.update(socket.owner, handle, &mut socket.reported, readiness);
        }
    }

    fn encode_answer(&mut self, owner: Owner, outcome: Outcome, answer: &mut [u8]) -> usize {
        let scratch = core::mem::take(&mut self.scratch);
        // A table page is encoded here first, then copied into the answer.
        let mut page = match &outcome {
            Outcome::Records(records, _) => alloc::vec![0u8; records.len() * netproto::Record::MAX_SIZE],
            _ => Vec::new(),
        };
        let response = match outcome {
            Outcome::Done => Response::Done,
            Outcome::Error(e) => Response::Error(e),
            Outcome::Opened(socket) => Response::Opened { socket },
            Outcome::Accepted(socket, peer) => Response::Accepted { socket, peer },
            Outcome::Sent(n) => Response::Sent { bytes: n as u32 },
            Outcome::Received { len, full_length, from } => Response::Received {
                data: scratch.get(..len).unwrap_or(&[]),
                full_length: full_length.min(u32::MAX as usize) as u32,
                from,
            },
            Outcome::Message { len, full_length, from, hop_limit } => Response::ReceivedWithHopLimit {
                data: scratch.get(..len).unwrap_or(&[]),
                full_length: full_length.min(u32::MAX as usize) as u32,
                from,
                hop_limit,
            },
            Outcome::Address(a) => Response::Address(a),
            Outcome::Value(v) => Response::Value(v),
            Outcome::Records(records, next) => match netproto::Records::write(&records, next, &mut page) {
                Ok(records) => Response::Records(records),
                Err(_) => Response::Error(Error::NoBufferSpace),
            },
        };
        let len = match Answer::encode(&response, &[], answer) {
            Ok(bare) => {
                let events = self.events.take_fitting(owner, answer.len() - bare + EventList::encoded_len(0));
                Answer::encode(&response, &events, answer).unwrap_or(0)
            }
            Err(_) => Answer::encode(&Response::Error(Error::NoBufferSpace), &[], answer).unwrap_or(0),
        };
        self.scratch = scratch;
        len
    }

    pub(crate) fn local_address(&mut self, socket: &Socket) -> Address {
        if let Protocol::Tcp(state) = &socket.protocol {
            if let Some(local) = state.local_endpoint() {
                return endpoint::from_smoltcp(socket.family, local);
            }
        }
        match socket.binding {
            Some(b) => endpoint::listen_to_address(socket.family, IpListenEndpoint { addr: b.addr, port: b.port }),
            None => Address::unspecified(socket.family, 0),
        }
    }

    fn after_bind(&mut self, socket: &mut Socket) -> Outcome {
        match socket.protocol {
            Protocol::Udp(_) => match self.udp_open_parts(socket) {
                Ok(()) => Outcome::Done,
                Err(e) => {
                    socket.binding = None;
                    e.into()
                }
            },
            Protocol::Tcp(_) | Protocol::Icmp(_) => Outcome::Done,
        }
    }
}

/// How `socket` holds `binding` for the port rules.
pub(crate) fn port_user(socket: &Socket, binding: Binding, listening: bool) -> PortUser {
    PortUser {
        kind: socket.kind(),
        family: socket.family,
        v6_only: socket.options.v6_only,
        binding,
        reuse_address: socket.options.reuse_address,
        reuse_port: socket.options.reuse_port,
        listening,
        closing: false,
    }
}

/// What `socket` is ready for now.
fn readiness(interfaces: &[NetInterface], socket: &Socket) -> Readiness {
    let mut r = match &socket.protocol {
        Protocol::Tcp(state) => crate::tcp::readiness(interfaces, state),
        Protocol::Udp(state) => crate::udp::readiness(interfaces, state),
        Protocol::Icmp(state) => crate::icmp::readiness(interfaces, state),
    };
    if socket.pending_error.is_some() {
        r |= Readiness::ERROR;
    }
    r
}
