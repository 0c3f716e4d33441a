//! TCP sockets: connect, send, receive, shutdown and readiness over
//! smoltcp's `tcp::Socket`, and how a connection's end is told apart
//! (refused, reset, timed out, or closed in order).

use alloc::vec::Vec;

use netproto::{Address, Error, Readiness, Request, SocketOption};
use smoltcp::socket::tcp::{self, State};
use smoltcp::time::{Duration, Instant};
use smoltcp::wire::{IpAddress, IpEndpoint, IpListenEndpoint};

use crate::endpoint;
use crate::interface::NetInterface;
use crate::listener_pool::{ListenerPool, Ready};
use crate::options::Options;
use crate::ports::PortUser;
use crate::socket::{Binding, Part, Protocol, Socket};
use crate::stack::{port_user, Outcome, Stack};

/// Linux gives up a connect after about 127 s (six SYN retries).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(127);
/// How long a closed connection may wait for the peer's FIN (Linux's
/// tcp_fin_timeout).
const FIN_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a closed connection keeps its port (smoltcp's own TIME-WAIT
/// lasts as long; Linux's 60 s would make 28,000 ephemeral ports last
/// only 470 connections a second).
const TIME_WAIT: Duration = Duration::from_secs(10);
/// A corked stream (MSG_MORE) sends whole segments of this size as soon
/// as it has them, as Linux sends full-sized segments of a corked
/// socket: an Ethernet segment's payload at the default MTU.
const CORKED_SEGMENT: usize = 1460;
/// How long corked bytes wait for the send that releases them. Linux's
/// zero-window probe timer, armed when a push leaves data unsent, sends
/// them after a retransmission timeout (at least 200 ms).
const CORK_DELAY: Duration = Duration::from_millis(200);

pub(crate) enum TcpState {
    /// Neither connected nor listening (maybe bound).
    Idle,
    Listening(ListenerPool),
    Connection(Connection),
}

impl TcpState {
    pub fn is_idle(&self) -> bool {
        matches!(self, TcpState::Idle)
    }

    pub fn is_listening(&self) -> bool {
        matches!(self, TcpState::Listening(_))
    }

    /// The smoltcp sockets this socket owns.
    pub fn parts(&self) -> alloc::vec::Vec<Part> {
        match self {
            TcpState::Idle => alloc::vec::Vec::new(),
            TcpState::Listening(pool) => pool.parts().collect(),
            TcpState::Connection(c) => alloc::vec![c.part],
        }
    }

    pub fn local_endpoint(&self) -> Option<IpEndpoint> {
        match self {
            TcpState::Connection(c) => c.local,
            _ => None,
        }
    }
}

/// One connection (connecting, established or finishing).
pub(crate) struct Connection {
    pub part: Part,
    /// smoltcp's state when last looked at.
    seen: State,
    /// The handshake finished once.
    established: bool,
    /// The peer's FIN arrived (end of stream after the queued data).
    peer_fin: bool,
    /// Refused, reset or timed out: the error went to SO_ERROR.
    failed: bool,
    shut_read: bool,
    shut_write: bool,
    connect_deadline: Option<Instant>,
    /// Kept from when smoltcp knew them: it forgets them on a reset.
    local: Option<IpEndpoint>,
    remote: Option<IpEndpoint>,
    /// Bytes sent with MSG_MORE and held back, not yet in smoltcp's send
    /// buffer. Never more than that buffer has room for beside them, so
    /// a flush always fits.
    corked: Vec<u8>,
    /// When the oldest corked byte was sent (see `CORK_DELAY`).
    corked_since: Option<Instant>,
    /// Which way data last went through this socket (see `note_traffic`).
    last_traffic: Option<Traffic>,
}

/// A direction data moved in, as the program saw it.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Traffic {
    Sent,
    Received,
}

impl Connection {
    pub fn connecting(part: Part, deadline: Instant) -> Connection {
        Connection {
            part,
            seen: State::SynSent,
            established: false,
            peer_fin: false,
            failed: false,
            shut_read: false,
            shut_write: false,
            connect_deadline: Some(deadline),
            local: None,
            remote: None,
            corked: Vec::new(),
            corked_since: None,
            last_traffic: None,
        }
    }

    /// A connection a listener's pool completed, and the error it has
    /// met since (a reset before the accept).
    pub fn accepted(ready: Ready, socket: &tcp::Socket) -> (Connection, Option<Error>) {
        let mut c = Connection::connecting(ready.part, Instant::ZERO);
        c.connect_deadline = None;
        c.established = true;
        c.seen = State::Established;
        c.local = ready.local;
        c.remote = ready.remote;
        let error = c.observe(socket);
        (c, error)
    }

    /// Looks at smoltcp's state; returns the error if the connection just
    /// failed.
    fn observe(&mut self, socket: &tcp::Socket) -> Option<Error> {
        let state = socket.state();
        self.local = self.local.or(socket.local_endpoint());
        self.remote = self.remote.or(socket.remote_endpoint());
        if matches!(state, State::CloseWait | State::LastAck | State::Closing | State::TimeWait) {
            self.peer_fin = true;
        }
        if !matches!(state, State::Closed | State::Listen | State::SynSent | State::SynReceived) {
            self.established = true;
            self.connect_deadline = None;
        }
        let mut error = None;
        if state == State::Closed && self.seen != State::Closed && !self.failed {
            error = match self.seen {
                State::SynSent | State::SynReceived if !self.established => Some(Error::ConnectionRefused),
                // Ours and the peer's FIN both went through.
                State::LastAck | State::TimeWait => None,
                // The same, seen only after the fact: on loopback our FIN
                // can leave and be acknowledged within one polling round,
                // so CLOSE-WAIT is the last state watched.
                State::CloseWait if self.shut_write => None,
                _ => Some(Error::ConnectionReset),
            };
            self.failed = error.is_some();
        }
        self.seen = state;
        error
    }
}

/// Applies the options smoltcp knows to one of its sockets.
pub(crate) fn apply_options(socket: &mut tcp::Socket, options: &Options) {
    socket.set_nagle_enabled(!options.no_delay);
    socket.set_hop_limit(options.hop_limit);
    if options.keep_alive {
        // smoltcp probes after each `keep_idle` of silence and has neither
        // a probe interval nor a count; its timeout aborts a connection
        // whose peer is silent for idle + interval * count, which is when
        // Linux gives up.
        socket.set_keep_alive(Some(Duration::from_secs(options.keep_idle)));
        let give_up = options.keep_idle + options.keep_interval * options.keep_count;
        socket.set_timeout(Some(Duration::from_secs(give_up)));
    } else {
        socket.set_keep_alive(None);
        socket.set_timeout(None);
    }
}

/// A connection the kernel closed, finishing in the background; it keeps
/// its port (TIME-WAIT) until smoltcp is done with it.
pub(crate) struct Orphan {
    pub part: Part,
    pub user: PortUser,
    fin_wait_since: Option<Instant>,
}

impl Orphan {
    pub fn new(part: Part, user: PortUser) -> Orphan {
        Orphan { part, user, fin_wait_since: None }
    }
}

impl Stack {
    pub(crate) fn tcp_request(&mut self, socket: &mut Socket, request: Request, room: usize) -> Outcome {
        match request {
            Request::Listen { backlog, .. } => self.tcp_listen(socket, backlog),
            Request::Accept { .. } => self.tcp_accept(socket),
            Request::Connect { address: Some(address), .. } => self.tcp_connect(socket, &address),
            // AF_UNSPEC on a stream socket (a disconnect) is not supported.
            Request::Connect { address: None, .. } => Error::InvalidArgument.into(),
            Request::Send { data, more, .. } => self.tcp_send(socket, data, more),
            Request::Receive { max, peek, .. } => self.tcp_receive(socket, (max as usize).min(room), peek),
            Request::Shutdown { read, write, .. } => self.tcp_shutdown(socket, read, write),
            Request::PeerAddress { .. } => match &socket.protocol {
                Protocol::Tcp(TcpState::Connection(c)) if c.established && !c.failed => match c.remote {
                    Some(remote) => Outcome::Address(endpoint::from_smoltcp(socket.family, remote)),
                    None => Error::NotConnected.into(),
                },
                _ => Error::NotConnected.into(),
            },
            _ => Error::InvalidArgument.into(),
        }
    }

    fn tcp_listen(&mut self, socket: &mut Socket, backlog: u32) -> Outcome {
        let Protocol::Tcp(state) = &mut socket.protocol else { return Error::InvalidArgument.into() };
        match state {
            TcpState::Listening(pool) => {
                pool.set_backlog(backlog);
                return Outcome::Done;
            }
            TcpState::Connection(_) => return Error::InvalidArgument.into(),
            TcpState::Idle => {}
        }
        let binding = match socket.binding {
            Some(b) => b,
            None => match self.claim_port(socket, None, 0) {
                Ok(b) => b,
                Err(e) => return e.into(),
            },
        };
        // Listening is checked again: SO_REUSEADDR lets two sockets bind
        // one port, but not both listen on it.
        if let Err(e) = crate::ports::check(&self.port_users(), &port_user(socket, binding, true)) {
            return e.into();
        }
        socket.binding = Some(binding);
        let endpoint = IpListenEndpoint { addr: binding.addr, port: binding.port };
        let mut pool = ListenerPool::new(endpoint, backlog, socket.family, socket.options.v6_only);
        self.fill_pool(&mut pool, &socket.options);
        if pool.is_empty() {
            // Not one connection could be taken: say so rather than refuse
            // every SYN in silence.
            return Error::NoBufferSpace.into();
        }
        socket.protocol = Protocol::Tcp(TcpState::Listening(pool));
        Outcome::Done
    }

    fn tcp_accept(&mut self, socket: &mut Socket) -> Outcome {
        let Protocol::Tcp(TcpState::Listening(pool)) = &mut socket.protocol else {
            return Error::InvalidArgument.into();
        };
        if !self.table.has_room() {
            return Error::TooManySockets.into();
        }
        let Some(ready) = pool.pop_ready() else { return Error::WouldBlock.into() };
        let options = socket.options.clone();
        let (connection, error) = Connection::accepted(ready, self.tcp_socket(ready.part));
        let peer = connection.remote.map(|r| endpoint::from_smoltcp(socket.family, r));
        let binding = Binding { addr: connection.local.map(|l| l.addr), port: socket.binding.map_or(0, |b| b.port) };
        let mut accepted = Socket::new(socket.family, netproto::Kind::Stream);
        accepted.options = options;
        accepted.binding = Some(binding);
        accepted.pending_error = error;
        accepted.owner = socket.owner;
        accepted.protocol = Protocol::Tcp(TcpState::Connection(connection));
        let pool_refill = socket.options.clone();
        if let Protocol::Tcp(TcpState::Listening(pool)) = &mut socket.protocol {
            self.fill_pool(pool, &pool_refill);
        }
        match (self.table.insert(accepted), peer) {
            (Ok(handle), Some(peer)) => Outcome::Accepted(handle, peer),
            (Ok(handle), None) => Outcome::Accepted(handle, Address::unspecified(socket.family, 0)),
            (Err(e), _) => e.into(),
        }
    }

    fn tcp_connect(&mut self, socket: &mut Socket, address: &Address) -> Outcome {
        let Protocol::Tcp(state) = &mut socket.protocol else { return Error::InvalidArgument.into() };
        match state {
            TcpState::Listening(_) => return Error::InvalidArgument.into(),
            TcpState::Connection(c) => {
                if let Some(e) = socket.pending_error.take() {
                    return e.into();
                }
                return if c.failed {
                    Error::ConnectionAborted.into()
                } else if c.established {
                    Error::AlreadyConnected.into()
                } else {
                    Error::Already.into()
                };
            }
            TcpState::Idle => {}
        }
        let (addr, port) = match endpoint::to_smoltcp(socket.family, socket.options.v6_only, address) {
            Ok(x) => x,
            Err(e) => return e.into(),
        };
        if port == 0 {
            return Error::ConnectionRefused.into();
        }
        // Linux connects to the unspecified address as to loopback.
        let dst = addr.unwrap_or(match address {
            Address::V4 { .. } => IpAddress::Ipv4(core::net::Ipv4Addr::LOCALHOST),
            Address::V6 { .. } => IpAddress::Ipv6(core::net::Ipv6Addr::LOCALHOST),
        });
        let iface = match self.route(dst) {
            Ok(i) => i,
            Err(e) => return e.into(),
        };
        let binding = match socket.binding {
            Some(b) => b,
            None => match self.claim_port(socket, None, 0) {
                Ok(b) => b,
                Err(e) => return e.into(),
            },
        };
        if binding.addr.is_some_and(|a| a.version() != dst.version()) {
            return Error::InvalidArgument.into();
        }
        let part = match self.new_tcp_part(iface, socket.options.receive_buffer, socket.options.send_buffer) {
            Ok(p) => p,
            Err(e) => return e.into(),
        };
        let options = socket.options.clone();
        let source = self.source_for(binding.addr, dst);
        let cx_socket = &mut self.interfaces[iface];
        let smol = cx_socket.sockets.get_mut::<tcp::Socket>(part.handle);
        apply_options(smol, &options);
        let local = IpListenEndpoint { addr: source, port: binding.port };
        if let Err(e) = smol.connect(cx_socket.iface.context(), IpEndpoint { addr: dst, port }, local) {
            self.free_part(part);
            return match e {
                // No source address of the destination's version here.
                tcp::ConnectError::Unaddressable => Error::AddressNotAvailable.into(),
                tcp::ConnectError::InvalidState => Error::InvalidArgument.into(),
            };
        }
        socket.binding = Some(binding);
        socket.protocol = Protocol::Tcp(TcpState::Connection(Connection::connecting(part, self.now + CONNECT_TIMEOUT)));
        Error::InProgress.into()
    }

    /// Sends what fits of `data`. With `more` (MSG_MORE) the bytes are
    /// held back until a send without it, a shutdown or a close, or until
    /// a whole segment is gathered.
    fn tcp_send(&mut self, socket: &mut Socket, data: &[u8], more: bool) -> Outcome {
        let Protocol::Tcp(TcpState::Connection(c)) = &mut socket.protocol else { return Error::BrokenPipe.into() };
        if let Some(e) = socket.pending_error.take() {
            return e.into();
        }
        if !c.established && !c.failed {
            return Error::WouldBlock.into();
        }
        let (part, shut_write) = (c.part, c.shut_write);
        let loopback = self.interfaces[part.iface].is_loopback();
        let smol = self.interfaces[part.iface].sockets.get_mut::<tcp::Socket>(part.handle);
        if shut_write || !smol.may_send() {
            return Error::BrokenPipe.into();
        }
        if more {
            let room = smol.send_capacity().saturating_sub(smol.send_queue() + c.corked.len());
            let n = data.len().min(room);
            if n == 0 && !data.is_empty() {
                return Error::WouldBlock.into();
            }
            c.corked.extend_from_slice(&data[..n]);
            if !c.corked.is_empty() {
                c.corked_since.get_or_insert(self.now);
            }
            let whole = c.corked.len() - c.corked.len() % CORKED_SEGMENT;
            if whole > 0 {
                let went = smol.send_slice(&c.corked[..whole]).unwrap_or(0);
                c.corked.drain(..went);
                if c.corked.is_empty() {
                    c.corked_since = None;
                }
            }
            return Outcome::Sent(n);
        }
        if !flush_corked(c, smol) {
            return Error::BrokenPipe.into();
        }
        match smol.send_slice(data) {
            Ok(0) if !data.is_empty() => Error::WouldBlock.into(),
            Ok(n) => {
                if n > 0 {
                    note_traffic(c, smol, loopback, Traffic::Sent);
                }
                Outcome::Sent(n)
            }
            Err(_) => Error::BrokenPipe.into(),
        }
    }

    fn tcp_receive(&mut self, socket: &mut Socket, max: usize, peek: bool) -> Outcome {
        let Protocol::Tcp(TcpState::Connection(c)) = &mut socket.protocol else { return Error::NotConnected.into() };
        if let Some(e) = socket.pending_error.take() {
            return e.into();
        }
        let (part, end) = (c.part, c.peer_fin || c.shut_read || c.failed);
        if !c.established && !c.failed {
            return Error::WouldBlock.into();
        }
        let mut scratch = core::mem::take(&mut self.scratch);
        let loopback = self.interfaces[part.iface].is_loopback();
        let smol = self.interfaces[part.iface].sockets.get_mut::<tcp::Socket>(part.handle);
        let queued = smol.recv_queue();
        let outcome = if queued > 0 && max > 0 {
            scratch.resize(max.min(queued), 0);
            let got = if peek { smol.peek_slice(&mut scratch) } else { smol.recv_slice(&mut scratch) };
            match got {
                Ok(n) => {
                    if n > 0 && !peek {
                        note_traffic(c, smol, loopback, Traffic::Received);
                    }
                    Outcome::Received { len: n, full_length: n, from: None }
                }
                Err(_) => Outcome::Received { len: 0, full_length: 0, from: None },
            }
        } else if queued > 0 || !end && smol.may_recv() {
            if max == 0 && queued > 0 {
                Outcome::Received { len: 0, full_length: 0, from: None }
            } else {
                Error::WouldBlock.into()
            }
        } else {
            // End of stream.
            Outcome::Received { len: 0, full_length: 0, from: None }
        };
        self.scratch = scratch;
        outcome
    }

    fn tcp_shutdown(&mut self, socket: &mut Socket, read: bool, write: bool) -> Outcome {
        let Protocol::Tcp(TcpState::Connection(c)) = &mut socket.protocol else { return Error::NotConnected.into() };
        if !c.established {
            return Error::NotConnected.into();
        }
        c.shut_read |= read;
        if write && !c.shut_write {
            c.shut_write = true;
            let smol = self.interfaces[c.part.iface].sockets.get_mut::<tcp::Socket>(c.part.handle);
            // What MSG_MORE held back goes before the FIN.
            flush_corked(c, smol);
            smol.close();
        }
        Outcome::Done
    }

    /// The kernel's last reference is gone: a listener resets its queued
    /// connections; a connection finishes in the background, or resets if
    /// unread data would be lost or SO_LINGER is zero (as Linux).
    pub(crate) fn tcp_close(&mut self, socket: &mut Socket) {
        let state = core::mem::replace(&mut socket.protocol, Protocol::Tcp(TcpState::Idle));
        let user = |binding: Option<Binding>| {
            let mut user = port_user(socket, binding.unwrap_or(Binding { addr: None, port: 0 }), false);
            user.closing = true;
            user
        };
        match state {
            Protocol::Tcp(TcpState::Listening(pool)) => {
                for part in pool.parts() {
                    self.tcp_socket(part).abort();
                    self.orphans.push(Orphan { part, user: user(None), fin_wait_since: None });
                }
            }
            Protocol::Tcp(TcpState::Connection(mut c)) => {
                let linger_resets = socket.options.linger_resets();
                let smol = self.interfaces[c.part.iface].sockets.get_mut::<tcp::Socket>(c.part.handle);
                if linger_resets || smol.recv_queue() > 0 {
                    smol.abort();
                } else {
                    flush_corked(&mut c, smol);
                    smol.close();
                }
                let binding = c.local.map(|l| Binding { addr: Some(l.addr), port: l.port }).or(socket.binding);
                self.orphans.push(Orphan { part: c.part, user: user(binding), fin_wait_since: None });
            }
            _ => {}
        }
    }

    /// Frees closing connections smoltcp is done with (closed, and its
    /// reset, if any, sent); aborts those stuck waiting for a FIN.
    pub(crate) fn reap_orphans(&mut self) {
        let now = self.now;
        // Oldest first (see `Stack::time_wait`).
        while self.time_wait.front().is_some_and(|t| t.1 <= now) {
            self.time_wait.pop_front();
        }
        let mut i = 0;
        while i < self.orphans.len() {
            let part = self.orphans[i].part;
            let smol = self.tcp_socket(part);
            let state = smol.state();
            if state == State::Closed && smol.local_endpoint().is_none() {
                self.orphans.swap_remove(i);
                self.free_part(part);
                continue;
            }
            // TIME-WAIT keeps only the port: the socket and its buffers
            // go now, as Linux keeps a small record instead of the socket
            // (else a burst of closed connections holds the whole budget).
            // A late retransmitted FIN then gets a reset, which ends the
            // peer's LAST-ACK as its ACK would have.
            if state == State::TimeWait {
                let orphan = self.orphans.swap_remove(i);
                self.time_wait.push_back((orphan.user, now + TIME_WAIT));
                self.free_part(part);
                continue;
            }
            // Data for a connection nobody can read any more: the peer is
            // told with a reset, as Linux does (its next send then fails
            // with EPIPE instead of vanishing into a closed socket).
            if smol.recv_queue() > 0 {
                smol.abort();
                i += 1;
                continue;
            }
            let orphan = &mut self.orphans[i];
            if state == State::FinWait2 {
                let since = *orphan.fin_wait_since.get_or_insert(now);
                if now >= since + FIN_TIMEOUT {
                    self.tcp_socket(part).abort();
                }
            }
            i += 1;
        }
    }

    /// Watches every connection after a polling round for its end.
    pub(crate) fn observe_tcp(&mut self) {
        for i in 0..self.table.slot_count() {
            let Some((_, socket)) = self.table.at_mut(i) else { continue };
            let Protocol::Tcp(TcpState::Connection(c)) = &mut socket.protocol else { continue };
            let smol = self.interfaces[c.part.iface].sockets.get::<tcp::Socket>(c.part.handle);
            if let Some(e) = c.observe(smol) {
                socket.pending_error = Some(e);
            }
        }
        self.sort_listeners();
    }

    /// Gives up connects past their deadline (TimedOut).
    pub(crate) fn expire_connects(&mut self) {
        let now = self.now;
        for i in 0..self.table.slot_count() {
            let Some((_, socket)) = self.table.at_mut(i) else { continue };
            let Protocol::Tcp(TcpState::Connection(c)) = &mut socket.protocol else { continue };
            if c.connect_deadline.is_some_and(|d| now >= d) && !c.established && !c.failed {
                c.failed = true;
                c.connect_deadline = None;
                c.seen = State::Closed;
                socket.pending_error = Some(Error::TimedOut);
                let part = c.part;
                self.interfaces[part.iface].sockets.get_mut::<tcp::Socket>(part.handle).abort();
            }
        }
    }

    /// Sends what MSG_MORE has held back for `CORK_DELAY`.
    pub(crate) fn release_stale_corks(&mut self) {
        let now = self.now;
        for i in 0..self.table.slot_count() {
            let Some((_, socket)) = self.table.at_mut(i) else { continue };
            let Protocol::Tcp(TcpState::Connection(c)) = &mut socket.protocol else { continue };
            if c.corked_since.is_some_and(|since| now >= since + CORK_DELAY) {
                let smol = self.interfaces[c.part.iface].sockets.get_mut::<tcp::Socket>(c.part.handle);
                flush_corked(c, smol);
            }
        }
    }

    /// The earliest connect, FIN-WAIT-2 or cork deadline (for the poll
    /// delay: smoltcp has no timer for any of them).
    pub(crate) fn tcp_deadline(&self) -> Option<Instant> {
        let connects = self.table.iter().filter_map(|(_, s)| match &s.protocol {
            Protocol::Tcp(TcpState::Connection(c)) if !c.failed => {
                [c.connect_deadline, c.corked_since.map(|since| since + CORK_DELAY)].into_iter().flatten().min()
            }
            _ => None,
        });
        let orphans = self.orphans.iter().filter_map(|o| o.fin_wait_since.map(|since| since + FIN_TIMEOUT));
        connects.chain(orphans).min()
    }

    pub(crate) fn tcp_get(&mut self, socket: &mut Socket, option: SocketOption) -> Outcome {
        let Protocol::Tcp(state) = &socket.protocol else { return Error::NoSuchOption.into() };
        match (option, state) {
            (SocketOption::TcpState, TcpState::Idle) => Outcome::Value(7),
            (SocketOption::TcpState, TcpState::Listening(_)) => Outcome::Value(10),
            (SocketOption::TcpState, TcpState::Connection(c)) => {
                let part = c.part;
                Outcome::Value(linux_state(self.tcp_socket(part).state()))
            }
            (SocketOption::ReadableBytes, TcpState::Connection(c)) => {
                let part = c.part;
                Outcome::Value(self.tcp_socket(part).recv_queue() as u64)
            }
            (SocketOption::UnsentBytes, TcpState::Connection(c)) => {
                let (part, corked) = (c.part, c.corked.len());
                Outcome::Value((self.tcp_socket(part).send_queue() + corked) as u64)
            }
            (SocketOption::ReadableBytes | SocketOption::UnsentBytes, TcpState::Listening(_)) => {
                Error::InvalidArgument.into()
            }
            (SocketOption::ReadableBytes | SocketOption::UnsentBytes, TcpState::Idle) => Outcome::Value(0),
            _ => Error::NoSuchOption.into(),
        }
    }
}

/// How long a loopback connection that answers what it reads holds an
/// ACK for the answer to carry: smoltcp's default delay (Linux's is
/// 40 ms).
const REPLY_ACK_DELAY: Duration = Duration::from_millis(10);

/// Loopback ACKs, as Linux's "pingpong" mode chooses them. A socket that
/// sends right after it read is answering requests: its ACKs wait
/// `REPLY_ACK_DELAY` for the answer to carry them, which saves a packet
/// (and a polling round) per request. One that reads twice in a row
/// receives a stream: its ACKs go at once, so that the sender never waits
/// on an ACK for its window or for Nagle's rule. On a wire smoltcp's
/// delayed ACKs stay as they are.
fn note_traffic(c: &mut Connection, smol: &mut tcp::Socket, loopback: bool, now: Traffic) {
    let before = c.last_traffic.replace(now);
    if !loopback {
        return;
    }
    match (before, now) {
        (Some(Traffic::Received), Traffic::Sent) => smol.set_ack_delay(Some(REPLY_ACK_DELAY)),
        (Some(Traffic::Received), Traffic::Received) => smol.set_ack_delay(None),
        _ => {}
    }
}

impl Stack {
    /// TCP_CORK was cleared: what it held goes now, as Linux pushes the
    /// pending frames.
    pub(crate) fn tcp_uncork(&mut self, socket: &mut Socket) {
        let Protocol::Tcp(TcpState::Connection(c)) = &mut socket.protocol else { return };
        let smol = self.interfaces[c.part.iface].sockets.get_mut::<tcp::Socket>(c.part.handle);
        flush_corked(c, smol);
    }
}

/// Moves the bytes MSG_MORE held back into smoltcp's send buffer; false
/// if the connection can no longer send them.
fn flush_corked(c: &mut Connection, smol: &mut tcp::Socket) -> bool {
    if c.corked.is_empty() {
        return true;
    }
    let went = smol.send_slice(&c.corked).unwrap_or(0);
    c.corked.drain(..went);
    if c.corked.is_empty() {
        c.corked_since = None;
    }
    c.corked.is_empty()
}

/// What a TCP socket is ready for now.
pub(crate) fn readiness(interfaces: &[NetInterface], state: &TcpState) -> Readiness {
    match state {
        // Linux: a fresh socket polls writable and hung up.
        TcpState::Idle => Readiness::WRITABLE | Readiness::HANGUP,
        TcpState::Listening(pool) => {
            if pool.has_ready() {
                Readiness::READABLE
            } else {
                Readiness::NONE
            }
        }
        TcpState::Connection(c) => {
            connection_readiness(c, interfaces[c.part.iface].sockets.get::<tcp::Socket>(c.part.handle))
        }
    }
}

fn connection_readiness(c: &Connection, smol: &tcp::Socket) -> Readiness {
    if c.failed || (smol.state() == State::Closed && c.established) {
        let mut r = Readiness::READABLE | Readiness::READ_CLOSED | Readiness::HANGUP;
        if !c.established {
            // The contract: a failed connect wakes writers (connect's
            // waiters) too.
            r |= Readiness::WRITABLE;
        }
        return r;
    }
    if !c.established {
        return Readiness::NONE;
    }
    let mut r = Readiness::NONE;
    let read_closed = c.peer_fin || c.shut_read;
    if smol.recv_queue() > 0 || read_closed {
        r |= Readiness::READABLE;
    }
    if read_closed {
        r |= Readiness::READ_CLOSED;
    }
    let write_open = !c.shut_write && smol.may_send();
    if write_open && smol.send_queue() + c.corked.len() < smol.send_capacity() {
        r |= Readiness::WRITABLE;
    }
    if read_closed && !write_open {
        r |= Readiness::HANGUP;
    }
    r
}

/// Linux's TCP state numbers (include/net/tcp_states.h).
pub(crate) fn linux_state(state: State) -> u64 {
    match state {
        State::Established => 1,
        State::SynSent => 2,
        State::SynReceived => 3,
        State::FinWait1 => 4,
        State::FinWait2 => 5,
        State::TimeWait => 6,
        State::Closed => 7,
        State::CloseWait => 8,
        State::LastAck => 9,
        State::Listen => 10,
        State::Closing => 11,
    }
}
