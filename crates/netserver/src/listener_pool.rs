//! A listening TCP socket's accept queue.
//!
//! smoltcp has no accept queue: a listening `tcp::Socket` becomes the
//! connection when a SYN arrives. A listener therefore keeps a pool of
//! listening smoltcp sockets per interface on its endpoint; those that
//! finish the handshake wait in `ready` for `Accept`, and the pool is
//! topped up after every polling round. As on Linux, the backlog bounds
//! the connections not yet accepted; when it is reached no socket listens
//! and SYNs for it are dropped, as Linux drops them, so that the client
//! retries (full_listeners.rs).
//!
//! Each pooled socket holds its buffers from the start (smoltcp fixes the
//! window scale from the receive buffer when the SYN arrives), and smoltcp
//! polls every socket of an interface on every round, so only a few listen
//! at once per interface: as many as the frames the stack takes in from it
//! between two top-ups (`NetInterface::frames_per_round`: 4 on loopback,
//! 16 on a wire). A burst of SYNs therefore never finds the pool empty
//! before the backlog or the buffer budget is reached.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use netproto::Family;
use smoltcp::socket::tcp::{self, State};
use smoltcp::wire::{IpEndpoint, IpListenEndpoint};

use crate::endpoint;
use crate::full_listeners::FullListener;
use crate::options::Options;
use crate::socket::{Part, Protocol};
use crate::stack::Stack;
use crate::tcp::{apply_options, Orphan, TcpState};

/// Backlogs above this are cut to it: Linux's somaxconn.
pub(crate) const BACKLOG_MAX: usize = 4096;

pub(crate) struct ListenerPool {
    endpoint: IpListenEndpoint,
    /// Connections it holds at most (`set_backlog`).
    backlog: usize,
    family: Family,
    v6_only: bool,
    /// Listening or in the handshake.
    waiting: Vec<Part>,
    /// Established, waiting for Accept, oldest first.
    ready: VecDeque<Ready>,
}

/// A connection waiting for Accept, with its endpoints as they were when
/// it was established (smoltcp forgets them if it is reset meanwhile).
#[derive(Copy, Clone)]
pub(crate) struct Ready {
    pub part: Part,
    pub local: Option<IpEndpoint>,
    pub remote: Option<IpEndpoint>,
}

impl Ready {
    fn of(part: Part, socket: &tcp::Socket) -> Ready {
        Ready { part, local: socket.local_endpoint(), remote: socket.remote_endpoint() }
    }
}

impl ListenerPool {
    pub fn new(endpoint: IpListenEndpoint, backlog: u32, family: Family, v6_only: bool) -> ListenerPool {
        let mut pool =
            ListenerPool { endpoint, backlog: 1, family, v6_only, waiting: Vec::new(), ready: VecDeque::new() };
        pool.set_backlog(backlog);
        pool
    }

    /// Connections not yet accepted, at most: one more than the backlog,
    /// as Linux counts (its queue is full only past the backlog, so 0
    /// still takes one); large values are capped.
    pub fn set_backlog(&mut self, backlog: u32) {
        self.backlog = (backlog as usize).min(BACKLOG_MAX) + 1;
    }

    pub fn parts(&self) -> impl Iterator<Item = Part> + '_ {
        self.waiting.iter().copied().chain(self.ready.iter().map(|r| r.part))
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty() && self.ready.is_empty()
    }

    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    pub fn pop_ready(&mut self) -> Option<Ready> {
        self.ready.pop_front()
    }

    /// Whether a connection to local address `local` belongs here: an
    /// unbound smoltcp listener takes SYNs of both IP versions, and only
    /// dual-stack IPv6 listeners want both.
    fn fits(&self, local: Option<smoltcp::wire::IpAddress>) -> bool {
        local.is_some_and(|a| endpoint::family_carries(self.family, self.v6_only, a))
    }

    fn port(&self) -> u16 {
        self.endpoint.port
    }

    /// What the links match SYNs for this listener against.
    fn as_full(&self) -> FullListener {
        FullListener { endpoint: self.endpoint, family: self.family, v6_only: self.v6_only }
    }
}

impl Stack {
    /// Tops the pool up to `backlog` sockets on each interface it listens
    /// on (fewer when the buffer budget runs out).
    pub(crate) fn fill_pool(&mut self, pool: &mut ListenerPool, options: &Options) {
        for iface in self.interfaces_for(pool.endpoint.addr) {
            let held = pool.parts().filter(|p| p.iface == iface).count();
            // Those in the handshake no longer take SYNs.
            let sockets = &self.interfaces[iface].sockets;
            let listening = pool
                .waiting
                .iter()
                .filter(|p| p.iface == iface && sockets.get::<tcp::Socket>(p.handle).state() == State::Listen)
                .count();
            let at_once = self.interfaces[iface].frames_per_round();
            let want = pool.backlog.min(at_once).saturating_sub(listening).min(pool.backlog.saturating_sub(held));
            for _ in 0..want {
                let Ok(part) = self.new_pool_part(iface, options.receive_buffer, options.send_buffer) else {
                    self.pool_left_short = true;
                    return;
                };
                let smol = self.tcp_socket(part);
                apply_options(smol, options);
                if smol.listen(pool.endpoint).is_err() {
                    self.free_part(part);
                    self.pool_left_short = true;
                    return;
                }
                pool.waiting.push(part);
            }
            if listening + want == 0 {
                self.pool_left_short = true;
            } else {
                // A socket listens now: its SYNs are taken again at once (an
                // Accept made room), not only after the next round's count.
                let full = pool.as_full();
                self.interfaces[iface].full_listeners_mut().retain(|f| *f != full);
            }
        }
    }

    /// Tells each interface's link which listeners have no socket
    /// listening on it, so that it drops their SYNs (full_listeners.rs).
    /// Listeners sharing an endpoint (SO_REUSEPORT) are full together:
    /// smoltcp gives a SYN to any listening socket of the endpoint.
    fn note_full_listeners(&mut self) {
        // Nothing short now and nothing listed: nothing to do (the common
        // case; refill_listeners ran fill_pool for every listener).
        let short = core::mem::take(&mut self.pool_left_short);
        if !short && self.interfaces.iter_mut().all(|i| i.full_listeners_mut().is_empty()) {
            return;
        }
        let Stack { table, interfaces, .. } = self;
        for iface in interfaces.iter_mut() {
            iface.full_listeners_mut().clear();
        }
        // Two passes, allocating nothing (this runs after every round):
        // every listener without a listening socket on an interface, then
        // out again each endpoint another listener still listens for.
        for listening_pass in [false, true] {
            for (_, socket) in table.iter() {
                let Protocol::Tcp(TcpState::Listening(pool)) = &socket.protocol else { continue };
                let key = pool.as_full();
                for (i, iface) in interfaces.iter_mut().enumerate() {
                    if pool.endpoint.addr.is_some_and(|a| !iface.iface.has_ip_addr(a)) {
                        continue;
                    }
                    let listening = pool
                        .waiting
                        .iter()
                        .any(|p| p.iface == i && iface.sockets.get::<tcp::Socket>(p.handle).state() == State::Listen);
                    let full = iface.full_listeners_mut();
                    if !listening_pass && !listening && !full.contains(&key) {
                        full.push(key);
                    } else if listening_pass && listening {
                        full.retain(|k| *k != key);
                    }
                }
            }
        }
    }

    pub(crate) fn refill_listeners(&mut self) {
        for i in 0..self.table.slot_count() {
            let Some((handle, socket)) = self.table.at_mut(i) else { continue };
            if !matches!(socket.protocol, Protocol::Tcp(TcpState::Listening(_))) {
                continue;
            }
            let options = socket.options.clone();
            let Protocol::Tcp(TcpState::Listening(pool)) = &mut socket.protocol else { continue };
            let mut pool = core::mem::replace(pool, ListenerPool::new(pool.endpoint, 1, pool.family, pool.v6_only));
            self.fill_pool(&mut pool, &options);
            if let Some(socket) = self.table.get_mut(handle) {
                socket.protocol = Protocol::Tcp(TcpState::Listening(pool));
            }
        }
        self.note_full_listeners();
    }

    /// After a polling round: pooled sockets that finished the handshake
    /// move to `ready` (or to a listener of the other IP version on the
    /// same port, or are reset if none wants them); failed ones are freed.
    pub(crate) fn sort_listeners(&mut self) {
        let mut strays: Vec<(u16, Ready)> = Vec::new();
        let mut dead: Vec<Part> = Vec::new();
        let mut unwanted = Vec::new();
        for slot in 0..self.table.slot_count() {
            let Some((_, socket)) = self.table.at_mut(slot) else { continue };
            let Protocol::Tcp(TcpState::Listening(pool)) = &mut socket.protocol else { continue };
            let mut i = 0;
            while i < pool.waiting.len() {
                let part = pool.waiting[i];
                let smol = self.interfaces[part.iface].sockets.get::<tcp::Socket>(part.handle);
                match smol.state() {
                    State::Listen => i += 1,
                    State::SynReceived => {
                        // A SYN of the other IP version (smoltcp's unbound
                        // listeners take both): keep it if another
                        // listener on the port will want it, else refuse.
                        let local = smol.local_endpoint().map(|e| e.addr);
                        if !pool.fits(local) {
                            unwanted.push((pool.port(), part, local));
                        }
                        i += 1;
                    }
                    State::Established | State::CloseWait => {
                        pool.waiting.swap_remove(i);
                        if pool.fits(smol.local_endpoint().map(|e| e.addr)) {
                            pool.ready.push_back(Ready::of(part, smol));
                        } else {
                            strays.push((pool.port(), Ready::of(part, smol)));
                        }
                    }
                    _ => {
                        pool.waiting.swap_remove(i);
                        dead.push(part);
                    }
                }
            }
        }
        for (port, part, local) in unwanted {
            if !self.has_listener_for(port, local) {
                // Still in the pool: sorted out as dead after the reset.
                self.tcp_socket(part).abort();
            }
        }
        for part in dead {
            self.tcp_socket(part).abort();
            self.orphan_without_port(part);
        }
        for (port, ready) in strays {
            let (part, local) = (ready.part, ready.local.map(|e| e.addr));
            let home = self.table.handles().into_iter().find(|&h| {
                matches!(self.table.get(h).map(|s| &s.protocol),
                    Some(Protocol::Tcp(TcpState::Listening(p))) if p.port() == port && p.fits(local))
            });
            match home.and_then(|h| self.table.get_mut(h)) {
                Some(socket) => {
                    if let Protocol::Tcp(TcpState::Listening(pool)) = &mut socket.protocol {
                        pool.ready.push_back(ready);
                    }
                }
                None => {
                    self.tcp_socket(part).abort();
                    self.orphan_without_port(part);
                }
            }
        }
    }

    fn has_listener_for(&self, port: u16, local: Option<smoltcp::wire::IpAddress>) -> bool {
        self.table.iter().any(
            |(_, s)| matches!(&s.protocol, Protocol::Tcp(TcpState::Listening(p)) if p.port() == port && p.fits(local)),
        )
    }

    /// A smoltcp socket to free once its reset is sent; it holds no port.
    fn orphan_without_port(&mut self, part: Part) {
        let user = crate::ports::PortUser {
            kind: netproto::Kind::Stream,
            family: Family::V4,
            v6_only: false,
            binding: crate::socket::Binding { addr: None, port: 0 },
            reuse_address: true,
            reuse_port: true,
            listening: false,
            closing: true,
        };
        self.orphans.push(Orphan::new(part, user));
    }
}
