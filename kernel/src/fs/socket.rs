//! Local (Unix-domain) sockets: stream, datagram and seqpacket, with names
//! in the file system (a socket node, found by its file system and inode)
//! or in the abstract namespace, descriptors passed as capabilities
//! (SCM_RIGHTS) and the sender's credentials on every message.
//!
//! Each socket has one spinlock for its state and one wait queue; no code
//! holds two sockets' locks at once (a send looks at its own state, lets
//! go, then locks the receiver), so no lock order is needed. A sender
//! waiting for room waits on the receiver's queue, which every read wakes.
//!
//! Objects that can sleep when dropped (open files carried in messages,
//! sockets whose last reference goes) are always taken out of the state
//! first and dropped after the lock is released.
//!
//! Descriptor cycles (a socket passed into its own queue, or into a queue
//! that its own queue reaches through other passed sockets) are refused
//! with `TooManyReferences` (crates/unix-socket, `cycle`), and a user may
//! have at most RLIMIT_NOFILE descriptors in flight, as on Linux.

use super::file::PollState;
use super::OpenFile;
use crate::sched::{PollQueue, PollTable, WaitError, WaitQueue};
use crate::sync::SpinLock;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Error, KResult, PeerCredentials, SocketAddress, SocketInfo, SocketKind, SocketSetting};
use unix_socket::buffers;
use unix_socket::queue::ReceiveQueue;
use vfs::NodeRef;

/// `net.unix.max_dgram_qlen`: datagrams queued for a receiver that is not
/// connected back to the sender before the sender waits.
const MAX_DATAGRAM_QUEUE: usize = 10;
/// `net.core.somaxconn`: the largest listen backlog.
const MAX_BACKLOG: u32 = 4096;
/// How many sockets the cycle check visits before it refuses anyway.
const CYCLE_CHECK_LIMIT: usize = 4096;

static NEXT_ID: AtomicU64 = AtomicU64::new(20_000);
/// Sockets bound to a path: by the socket node's (file system, inode).
static BOUND: SpinLock<BTreeMap<(u32, u64), Weak<Socket>>> = SpinLock::new(BTreeMap::new());
/// Sockets bound to an abstract name.
static ABSTRACT: SpinLock<BTreeMap<Vec<u8>, Weak<Socket>>> = SpinLock::new(BTreeMap::new());
/// Descriptors in flight per (real) user id.
static IN_FLIGHT: SpinLock<BTreeMap<u32, u64>> = SpinLock::new(BTreeMap::new());
static NEXT_AUTOBIND: AtomicU64 = AtomicU64::new(0);

/// Open files travelling in one message. Counted against their sender's
/// in-flight allowance until received or dropped.
pub struct InFlight {
    pub files: Vec<Arc<OpenFile>>,
    uid: u32,
}

impl InFlight {
    /// Counts `files` as in flight for `uid`; refused when that user has
    /// more in flight than `limit` already (unless `privileged`).
    pub fn new(files: Vec<Arc<OpenFile>>, uid: u32, limit: u64, privileged: bool) -> KResult<Arc<InFlight>> {
        {
            let mut map = IN_FLIGHT.lock();
            let count = map.entry(uid).or_insert(0);
            if *count > limit && !privileged {
                return Err(Error::TooManyReferences);
            }
            *count += files.len() as u64;
        }
        Ok(Arc::new(InFlight { files, uid }))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut map = IN_FLIGHT.lock();
        if let Some(c) = map.get_mut(&self.uid) {
            *c = c.saturating_sub(self.files.len() as u64);
        }
    }
}

/// Who sent a message: credentials, and the sender's name if it had one.
#[derive(Clone)]
pub struct Meta {
    pub creds: PeerCredentials,
    pub from: Option<SocketAddress>,
}

type Queue = ReceiveQueue<Arc<InFlight>, Meta>;

#[derive(Default)]
enum Connection {
    #[default]
    None,
    Listening {
        backlog: u32,
        /// Server ends of connections not yet accepted.
        pending: VecDeque<Arc<Socket>>,
    },
    /// Connected (datagram: the default destination).
    Peer(Arc<Socket>),
}

struct State {
    name: Option<SocketAddress>,
    node: Option<NodeRef>,
    connection: Connection,
    /// A connection-oriented socket that has ever been connected.
    was_connected: bool,
    queue: Queue,
    /// SHUT_RD / SHUT_WR of this end (also set when the peer goes).
    shut_read: bool,
    shut_write: bool,
    /// A pending error (SO_ERROR), reported once.
    error: Option<Error>,
    released: bool,
    send_buffer: u32,
    receive_buffer: u32,
    pass_credentials: bool,
    receive_timeout: Option<u64>,
    send_timeout: Option<u64>,
    peer_credentials: Option<PeerCredentials>,
    remembered: Vec<(u32, u64)>,
}

pub struct Socket {
    pub kind: SocketKind,
    /// Its inode number (fstat, /proc/<pid>/fd's "socket:[N]").
    pub id: u64,
    state: SpinLock<State>,
    changed: WaitQueue,
    /// Pollers of this socket, and of the sockets connected to it (whose
    /// writability depends on room here): woken with `changed`.
    pollers: PollQueue,
}

/// How long a blocking call may wait: none at all, forever, or until a
/// monotonic deadline (SO_RCVTIMEO/SO_SNDTIMEO).
#[derive(Clone, Copy)]
pub struct Wait {
    pub non_blocking: bool,
    deadline: Option<u64>,
}

impl Wait {
    pub fn new(non_blocking: bool, timeout: Option<u64>) -> Wait {
        // A timeout of zero (negative seconds on Linux) never waits.
        let non_blocking = non_blocking || timeout == Some(0);
        Wait { non_blocking, deadline: timeout.map(|t| crate::time::now_ns().saturating_add(t)) }
    }

    /// A signal ends a wait without a timeout with `Restart` (SA_RESTART
    /// decides), one with a timeout with `Interrupted`, as Linux's
    /// sock_intr_errno; the timeout itself is `WouldBlock`.
    pub fn on(&self, queue: &WaitQueue, mut ready: impl FnMut() -> bool) -> KResult<()> {
        if self.non_blocking {
            return if ready() { Ok(()) } else { Err(Error::WouldBlock) };
        }
        match queue.wait_until(true, self.deadline, &mut ready) {
            Ok(()) => Ok(()),
            Err(WaitError::TimedOut) => Err(Error::WouldBlock),
            Err(WaitError::Interrupted) => {
                Err(if self.deadline.is_some() { Error::Interrupted } else { Error::Restart })
            }
        }
    }
}

fn wake(s: &Socket) {
    s.changed.wake_all();
    s.pollers.wake();
}

/// What a receive found.
pub struct Taken {
    pub data: Vec<u8>,
    pub length: usize,
    pub rights: Option<Arc<InFlight>>,
    pub meta: Option<Meta>,
    pub credentials: bool,
}

impl Socket {
    pub fn new(kind: SocketKind) -> Arc<Socket> {
        let state = State {
            name: None,
            node: None,
            connection: Connection::None,
            was_connected: false,
            queue: ReceiveQueue::new(),
            shut_read: false,
            shut_write: false,
            error: None,
            released: false,
            send_buffer: buffers::DEFAULT_BUFFER,
            receive_buffer: buffers::DEFAULT_BUFFER,
            pass_credentials: false,
            receive_timeout: None,
            send_timeout: None,
            peer_credentials: None,
            remembered: Vec::new(),
        };
        Arc::new(Socket {
            kind,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            state: SpinLock::ranked(crate::sync::Rank::Socket, state),
            changed: WaitQueue::new(),
            pollers: PollQueue::new(),
        })
    }

    fn connection_oriented(&self) -> bool {
        self.kind != SocketKind::Datagram
    }

    /// Two sockets connected to each other (socketpair).
    pub fn pair(kind: SocketKind, who: PeerCredentials) -> (Arc<Socket>, Arc<Socket>) {
        let (a, b) = (Socket::new(kind), Socket::new(kind));
        for (me, other) in [(&a, &b), (&b, &a)] {
            let mut s = me.state.lock();
            s.connection = Connection::Peer(other.clone());
            s.was_connected = true;
            s.peer_credentials = Some(who);
        }
        (a, b)
    }

    pub fn is_bound(&self) -> bool {
        self.state.lock().name.is_some()
    }

    /// The socket at a path's node, if one is bound there.
    pub fn at_node(node: NodeRef) -> Option<Arc<Socket>> {
        BOUND.lock().get(&(node.fs.0, node.ino)).and_then(Weak::upgrade)
    }

    pub fn at_abstract(name: &[u8]) -> Option<Arc<Socket>> {
        ABSTRACT.lock().get(name).and_then(Weak::upgrade)
    }

    /// Names the socket: `node` is the socket node just made for a path.
    /// An abstract name in use is `AddressInUse`; `Unnamed` picks one.
    pub fn bind(self: &Arc<Socket>, addr: SocketAddress, node: Option<NodeRef>) -> KResult<()> {
        let addr = match addr {
            SocketAddress::Unnamed => {
                let mut map = ABSTRACT.lock();
                loop {
                    let n = NEXT_AUTOBIND.fetch_add(1, Ordering::Relaxed) % 0x10_0000;
                    let name = alloc::format!("{n:05x}").into_bytes();
                    if map.get(&name).and_then(Weak::upgrade).is_none() {
                        map.insert(name.clone(), Arc::downgrade(self));
                        break SocketAddress::Abstract(name);
                    }
                }
            }
            SocketAddress::Abstract(name) => {
                let mut map = ABSTRACT.lock();
                if map.get(&name).and_then(Weak::upgrade).is_some() {
                    return Err(Error::AddressInUse);
                }
                map.insert(name.clone(), Arc::downgrade(self));
                SocketAddress::Abstract(name)
            }
            path => {
                if let Some(n) = node {
                    BOUND.lock().insert((n.fs.0, n.ino), Arc::downgrade(self));
                }
                path
            }
        };
        let mut s = self.state.lock();
        s.name = Some(addr);
        s.node = node;
        Ok(())
    }

    pub fn listen(&self, backlog: u32, who: PeerCredentials) -> KResult<()> {
        if !self.connection_oriented() {
            return Err(Error::NotSupported);
        }
        let mut s = self.state.lock();
        if s.name.is_none() {
            return Err(Error::InvalidArgument);
        }
        let backlog = backlog.min(MAX_BACKLOG);
        let was_connected = s.was_connected;
        match &mut s.connection {
            Connection::Listening { backlog: b, .. } => *b = backlog,
            Connection::None if !was_connected => {
                s.connection = Connection::Listening { backlog, pending: VecDeque::new() };
                s.peer_credentials = Some(who);
            }
            _ => return Err(Error::InvalidArgument),
        }
        drop(s);
        wake(self);
        Ok(())
    }

    /// Connects a stream or seqpacket socket to `listener`.
    pub fn connect(self: &Arc<Socket>, listener: Arc<Socket>, who: PeerCredentials, non_blocking: bool) -> KResult<()> {
        let wait = {
            let s = self.state.lock();
            match s.connection {
                Connection::Peer(_) => return Err(Error::AlreadyConnected),
                Connection::Listening { .. } => return Err(Error::InvalidArgument),
                Connection::None => {}
            }
            Wait::new(non_blocking, s.send_timeout)
        };
        if listener.kind != self.kind {
            return Err(Error::WrongProtocolType);
        }
        // Wait for room in the backlog (Linux lets backlog + 1 wait).
        let mut refused = false;
        wait.on(&listener.changed, || {
            let l = listener.state.lock();
            match &l.connection {
                Connection::Listening { backlog, pending } if !l.released => pending.len() <= *backlog as usize,
                _ => {
                    refused = true;
                    true
                }
            }
        })?;
        if refused {
            return Err(Error::ConnectionRefused);
        }
        let server = Socket::new(self.kind);
        let listener_creds = {
            let mut l = listener.state.lock();
            let listener_name = l.name.clone();
            let (send_buffer, receive_buffer, pass) = (l.send_buffer, l.receive_buffer, l.pass_credentials);
            let creds = l.peer_credentials;
            let Connection::Listening { pending, .. } = &mut l.connection else { return Err(Error::ConnectionRefused) };
            {
                // Same class as the listener's: the server socket is new and
                // reachable by no one else yet, so this order is the only one.
                let mut n = server.state.lock_nested();
                n.name = listener_name;
                n.connection = Connection::Peer(self.clone());
                n.was_connected = true;
                n.peer_credentials = Some(who);
                n.send_buffer = send_buffer;
                n.receive_buffer = receive_buffer;
                n.pass_credentials = pass;
            }
            pending.push_back(server.clone());
            creds
        };
        {
            let mut s = self.state.lock();
            s.connection = Connection::Peer(server);
            s.was_connected = true;
            s.peer_credentials = listener_creds;
        }
        wake(&listener);
        wake(self);
        Ok(())
    }

    /// A datagram socket's default destination (None: forget it).
    pub fn connect_datagram(&self, target: Option<Arc<Socket>>) -> KResult<()> {
        if let Some(t) = &target {
            if t.kind != self.kind {
                return Err(Error::WrongProtocolType);
            }
        }
        let old = {
            let mut s = self.state.lock();
            core::mem::replace(&mut s.connection, target.map(Connection::Peer).unwrap_or_default())
        };
        drop(old);
        wake(self);
        Ok(())
    }

    pub fn accept(&self, non_blocking: bool) -> KResult<Arc<Socket>> {
        if !self.connection_oriented() {
            return Err(Error::NotSupported);
        }
        let wait = Wait::new(non_blocking, self.state.lock().receive_timeout);
        let mut taken = None;
        let mut invalid = false;
        wait.on(&self.changed, || {
            let mut s = self.state.lock();
            match &mut s.connection {
                Connection::Listening { pending, .. } => {
                    taken = pending.pop_front();
                    taken.is_some()
                }
                _ => {
                    invalid = true;
                    true
                }
            }
        })?;
        if invalid {
            return Err(Error::InvalidArgument);
        }
        wake(self);
        taken.ok_or(Error::WouldBlock)
    }

    pub fn name(&self) -> SocketAddress {
        self.state.lock().name.clone().unwrap_or(SocketAddress::Unnamed)
    }

    pub fn peer(&self) -> Option<Arc<Socket>> {
        match &self.state.lock().connection {
            Connection::Peer(p) => Some(p.clone()),
            _ => None,
        }
    }

    pub fn peer_name(&self) -> KResult<SocketAddress> {
        Ok(self.peer().ok_or(Error::NotConnected)?.name())
    }

    pub fn shutdown(&self, read: bool, write: bool) -> KResult<()> {
        let peer = {
            let mut s = self.state.lock();
            s.shut_read |= read;
            s.shut_write |= write;
            match &s.connection {
                Connection::Peer(p) if self.connection_oriented() => Some(p.clone()),
                _ => None,
            }
        };
        if let Some(p) = &peer {
            {
                let mut ps = p.state.lock();
                ps.shut_read |= write;
                ps.shut_write |= read;
            }
            wake(p);
        }
        wake(self);
        Ok(())
    }

    /// The sockets this one's queue (and, listening, its pending
    /// connections) keep alive: the cycle check's edges.
    fn held_sockets(&self) -> Vec<Arc<Socket>> {
        let s = self.state.lock();
        let mut out: Vec<Arc<Socket>> =
            s.queue.rights().flat_map(|r| r.files.iter()).filter_map(|f| f.socket().cloned()).collect();
        if let Connection::Listening { pending, .. } = &s.connection {
            out.extend(pending.iter().cloned());
        }
        out
    }

    /// Whether passing `passed` into this socket's queue would close a cycle.
    fn would_close_cycle(self: &Arc<Socket>, passed: &InFlight) -> bool {
        let mut known: BTreeMap<u64, Arc<Socket>> = BTreeMap::new();
        let roots: Vec<u64> = passed
            .files
            .iter()
            .filter_map(|f| f.socket())
            .map(|s| {
                known.insert(s.id, s.clone());
                s.id
            })
            .collect();
        if roots.is_empty() {
            return false;
        }
        let found = unix_socket::cycle::would_close_cycle(
            self.id,
            &roots,
            |id| match known.get(&id).cloned() {
                Some(s) => s
                    .held_sockets()
                    .into_iter()
                    .map(|k| {
                        let id = k.id;
                        known.insert(id, k);
                        id
                    })
                    .collect(),
                None => Vec::new(),
            },
            CYCLE_CHECK_LIMIT,
        );
        drop(known);
        found
    }

    /// Sends a message. Streams take what fits and wait for the rest
    /// (returning what was taken if a signal, a timeout or non-blocking
    /// mode ends the wait after some); records go whole. `target` is the
    /// explicit destination of a datagram (None: the peer).
    pub fn send(
        self: &Arc<Socket>,
        target: Option<Arc<Socket>>,
        data: &[u8],
        rights: Option<Arc<InFlight>>,
        creds: PeerCredentials,
        non_blocking: bool,
    ) -> KResult<usize> {
        let (to, wait, send_buffer, from, explicit) = {
            let s = self.state.lock();
            if s.shut_write {
                return Err(Error::BrokenPipe);
            }
            let peer = match &s.connection {
                Connection::Peer(p) => Some(p.clone()),
                _ => None,
            };
            let explicit = target.is_some();
            let to = match (self.kind, target, peer) {
                (SocketKind::Datagram, Some(t), _) => t,
                (SocketKind::Datagram, None, Some(p)) => p,
                (SocketKind::Datagram, None, None) => return Err(Error::NotConnected),
                (_, _, Some(p)) => p,
                (_, _, None) if s.was_connected => return Err(Error::BrokenPipe),
                (_, _, None) => return Err(Error::NotConnected),
            };
            (to, Wait::new(non_blocking, s.send_timeout), s.send_buffer, s.name.clone(), explicit)
        };
        if let Some(r) = &rights {
            if to.would_close_cycle(r) {
                return Err(Error::TooManyReferences);
            }
        }
        let meta = Meta { creds, from };
        if self.kind == SocketKind::Stream {
            return self.send_stream(&to, data, rights, meta, wait, send_buffer);
        }
        if !buffers::datagram_fits(data.len(), send_buffer) {
            return Err(Error::MessageTooLong);
        }
        let cost = data.len() + buffers::MESSAGE_OVERHEAD;
        let mut outcome: KResult<()> = Ok(());
        let me = Arc::as_ptr(self);
        wait.on(&to.changed, || {
            let t = to.state.lock();
            let connected_back = matches!(&t.connection, Connection::Peer(p) if Arc::as_ptr(p) == me);
            if t.released {
                outcome =
                    Err(if self.kind == SocketKind::SeqPacket { Error::BrokenPipe } else { Error::ConnectionRefused });
                return true;
            }
            if self.kind == SocketKind::SeqPacket && t.shut_read {
                outcome = Err(Error::BrokenPipe);
                return true;
            }
            if self.kind == SocketKind::Datagram && !connected_back && matches!(t.connection, Connection::Peer(_)) {
                outcome = Err(Error::NotPermitted);
                return true;
            }
            let full = (!connected_back && t.queue.len() > MAX_DATAGRAM_QUEUE)
                || (t.queue.cost() > 0 && t.queue.cost() + cost > send_buffer as usize);
            !full
        })?;
        if let Err(e) = outcome {
            if e == Error::ConnectionRefused && !explicit {
                // A datagram peer that is gone is forgotten, as on Linux.
                let old = {
                    let mut s = self.state.lock();
                    core::mem::take(&mut s.connection)
                };
                drop(old);
            }
            return Err(e);
        }
        let mut copy = Vec::new();
        copy.try_reserve_exact(data.len()).map_err(|_| Error::NoMemory)?;
        copy.extend_from_slice(data);
        {
            let mut t = to.state.lock();
            if t.released {
                return Err(Error::ConnectionRefused);
            }
            t.queue.push(copy, rights, meta);
        }
        wake(&to);
        Ok(data.len())
    }

    fn send_stream(
        &self,
        to: &Arc<Socket>,
        data: &[u8],
        mut rights: Option<Arc<InFlight>>,
        meta: Meta,
        wait: Wait,
        send_buffer: u32,
    ) -> KResult<usize> {
        let mut sent = 0;
        // Each piece at most half the buffer, as Linux sizes its skbs.
        let max_piece = (send_buffer as usize / 2).saturating_sub(64).max(1);
        while sent < data.len() {
            let mut room = 0usize;
            let mut broken = false;
            let waited = wait.on(&to.changed, || {
                let t = to.state.lock();
                if t.released || t.shut_read {
                    broken = true;
                    return true;
                }
                room = (send_buffer as usize).saturating_sub(t.queue.cost() + buffers::MESSAGE_OVERHEAD);
                room > 0
            });
            if let Err(e) = waited {
                return if sent > 0 { Ok(sent) } else { Err(e) };
            }
            if broken || self.state.lock().shut_write {
                return if sent > 0 { Ok(sent) } else { Err(Error::BrokenPipe) };
            }
            let n = room.min(max_piece).min(data.len() - sent);
            let mut piece = Vec::new();
            if piece.try_reserve_exact(n).is_err() {
                return if sent > 0 { Ok(sent) } else { Err(Error::NoMemory) };
            }
            piece.extend_from_slice(&data[sent..sent + n]);
            {
                let mut t = to.state.lock();
                if t.released || t.shut_read {
                    drop(t);
                    return if sent > 0 { Ok(sent) } else { Err(Error::BrokenPipe) };
                }
                t.queue.push(piece, rights.take(), meta.clone());
            }
            sent += n;
            wake(to);
        }
        Ok(sent)
    }

    /// Takes (or peeks at) up to `max` bytes: one record, or a stream's
    /// bytes (with `wait_all`, waiting until `max` have come).
    pub fn receive(&self, max: usize, peek: bool, wait_all: bool, non_blocking: bool) -> KResult<Taken> {
        let wait = {
            let s = self.state.lock();
            if matches!(s.connection, Connection::Listening { .. }) {
                return Err(Error::InvalidArgument);
            }
            if self.kind == SocketKind::SeqPacket && !s.was_connected {
                return Err(Error::NotConnected);
            }
            if self.kind == SocketKind::Stream && !s.was_connected {
                return Err(Error::InvalidArgument);
            }
            Wait::new(non_blocking, s.receive_timeout)
        };
        let mut out = Taken { data: Vec::new(), length: 0, rights: None, meta: None, credentials: false };
        loop {
            let mut finished = false;
            let waited = wait.on(&self.changed, || {
                let s = self.state.lock();
                !s.queue.is_empty()
                    || s.shut_read
                    || s.error.is_some()
                    || (self.connection_oriented() && !matches!(s.connection, Connection::Peer(_)))
            });
            if let Err(e) = waited {
                if out.data.is_empty() && out.meta.is_none() {
                    return Err(e);
                }
                break;
            }
            {
                let mut s = self.state.lock();
                out.credentials = s.pass_credentials;
                if s.queue.is_empty() {
                    let error = s.error.take();
                    let ended = error.is_some()
                        || s.shut_read
                        || (self.connection_oriented() && !matches!(s.connection, Connection::Peer(_)));
                    if let Some(e) = error {
                        if out.data.is_empty() {
                            return Err(e);
                        }
                    }
                    if ended {
                        break; // end of file (or shut down): what was read so far
                    }
                    // Another reader took what woke this one: wait again
                    // (never report an end of file that is not one).
                    if wait.non_blocking {
                        if out.data.is_empty() && out.meta.is_none() {
                            return Err(Error::WouldBlock);
                        }
                        break;
                    }
                    continue;
                }
                if self.kind == SocketKind::Stream {
                    let want = (max - out.data.len()).min(s.queue.unread_bytes());
                    let start = out.data.len();
                    if out.data.try_reserve_exact(want).is_err() {
                        return Err(Error::NoMemory);
                    }
                    out.data.resize(start + want, 0);
                    let pass = s.pass_credentials;
                    let r = s.queue.read_stream(&mut out.data[start..], peek, |a, b| !pass || a.creds == b.creds);
                    out.data.truncate(start + r.copied);
                    if out.meta.is_none() {
                        out.meta = r.meta;
                    }
                    if r.rights.is_some() {
                        out.rights = r.rights;
                        finished = true;
                    }
                } else {
                    let want = max.min(s.queue.next_length().unwrap_or(0));
                    let mut buf = Vec::new();
                    if buf.try_reserve_exact(want).is_err() {
                        return Err(Error::NoMemory);
                    }
                    buf.resize(want, 0);
                    if let Some(r) = s.queue.read_record(&mut buf, peek) {
                        buf.truncate(r.copied);
                        out.data = buf;
                        out.length = r.length;
                        out.rights = r.rights;
                        out.meta = Some(r.meta);
                    }
                    finished = true;
                }
            }
            if !peek {
                wake(self);
            }
            if finished || !wait_all || peek || out.data.len() >= max || self.kind != SocketKind::Stream {
                break;
            }
        }
        if self.kind == SocketKind::Stream {
            out.length = out.data.len();
        }
        Ok(out)
    }

    pub fn info(&self) -> SocketInfo {
        let s = self.state.lock();
        SocketInfo {
            family: kernel_ops::SocketFamily::Local,
            kind: self.kind,
            listening: matches!(s.connection, Connection::Listening { .. }),
            send_buffer: s.send_buffer,
            receive_buffer: s.receive_buffer,
            pass_credentials: s.pass_credentials,
            receive_timeout: s.receive_timeout,
            send_timeout: s.send_timeout,
            peer_credentials: s.peer_credentials,
            remembered: s.remembered.clone(),
            readable_bytes: if self.kind == SocketKind::Datagram {
                s.queue.next_length().unwrap_or(0)
            } else {
                s.queue.unread_bytes()
            },
        }
    }

    /// SO_ERROR: the pending error, cleared by reading it.
    pub fn take_error(&self) -> Option<Error> {
        self.state.lock().error.take()
    }

    pub fn set(&self, setting: SocketSetting) {
        {
            let mut s = self.state.lock();
            match setting {
                SocketSetting::SendBuffer(v) => s.send_buffer = v,
                SocketSetting::ReceiveBuffer(v) => s.receive_buffer = v,
                SocketSetting::PassCredentials(v) => s.pass_credentials = v,
                SocketSetting::ReceiveTimeout(t) => s.receive_timeout = t,
                SocketSetting::SendTimeout(t) => s.send_timeout = t,
                SocketSetting::Remember { key, value } => kernel_ops::remember(&mut s.remembered, key, value),
                // Internet options mean nothing here (the personality
                // refuses them on local sockets).
                SocketSetting::Inet { .. }
                | SocketSetting::Netlink { .. }
                | SocketSetting::Membership { .. }
                | SocketSetting::IcmpFilter(_) => {}
            }
        }
        wake(self);
    }

    /// Puts `table` on what this socket's readiness depends on: its own
    /// queue and its peer's (room there makes this one writable).
    pub fn register_poll(&self, table: &mut PollTable) {
        table.register(&self.pollers);
        let peer = match &self.state.lock().connection {
            Connection::Peer(p) => Some(p.clone()),
            _ => None,
        };
        if let Some(p) = peer {
            table.register(&p.pollers);
        }
    }

    pub fn poll(&self) -> PollState {
        let s = self.state.lock();
        let listening = matches!(s.connection, Connection::Listening { .. });
        let peer = match &s.connection {
            Connection::Peer(p) => Some(p.clone()),
            _ => None,
        };
        let mut st = PollState {
            readable: !s.queue.is_empty()
                || s.shut_read
                || matches!(&s.connection, Connection::Listening { pending, .. } if !pending.is_empty()),
            hang_up: (s.shut_read && s.shut_write) || (self.connection_oriented() && !listening && peer.is_none()),
            read_hang_up: s.shut_read,
            error: s.error.is_some(),
            writable: false,
            changes: None,
        };
        let send_buffer = s.send_buffer as usize;
        let me = self as *const Socket;
        drop(s);
        st.writable = !listening
            && match peer {
                Some(p) => {
                    let t = p.state.lock();
                    let connected_back = matches!(&t.connection, Connection::Peer(q) if Arc::as_ptr(q) == me);
                    t.released
                        || t.queue.cost() * 4 <= send_buffer
                            && (connected_back
                                || self.kind != SocketKind::Datagram
                                || t.queue.len() <= MAX_DATAGRAM_QUEUE)
                }
                None => true,
            };
        st
    }

    /// The last descriptor of the socket closed: it leaves its name, its
    /// peer sees the connection end (and ECONNRESET if data was left
    /// unread here), queued messages and pending connections go.
    pub fn release(&self) {
        let (peer, rights, pending, name, node, unread) = {
            let mut s = self.state.lock();
            s.released = true;
            s.shut_read = true;
            s.shut_write = true;
            let unread = !s.queue.is_empty();
            let rights = s.queue.drain();
            let (peer, pending) = match core::mem::take(&mut s.connection) {
                Connection::Peer(p) => (Some(p), VecDeque::new()),
                Connection::Listening { pending, .. } => (None, pending),
                Connection::None => (None, VecDeque::new()),
            };
            let unread = unread || !pending.is_empty();
            (peer, rights, pending, s.name.clone(), s.node, unread)
        };
        match (&name, node) {
            (Some(SocketAddress::Abstract(n)), _) => {
                let mut map = ABSTRACT.lock();
                if map.get(n).is_some_and(|w| core::ptr::eq(w.as_ptr(), self)) {
                    map.remove(n);
                }
            }
            (_, Some(n)) => {
                let mut map = BOUND.lock();
                if map.get(&(n.fs.0, n.ino)).is_some_and(|w| core::ptr::eq(w.as_ptr(), self)) {
                    map.remove(&(n.fs.0, n.ino));
                }
            }
            _ => {}
        }
        if let Some(p) = &peer {
            if self.connection_oriented() {
                let mut ps = p.state.lock();
                ps.shut_read = true;
                ps.shut_write = true;
                if unread {
                    ps.error = Some(Error::ConnectionReset);
                }
            }
            wake(p);
        }
        wake(self);
        drop(rights);
        for embryo in pending {
            embryo.release();
        }
        drop(peer);
    }
}

/// The calling process's credentials as a message carries them (its
/// thread-group id, real user and group) and as SO_PEERCRED reports them
/// (effective ids).
pub fn caller_credentials() -> (PeerCredentials, PeerCredentials) {
    let thread = crate::sched::current();
    let process = thread.process();
    let c = *process.creds.lock();
    (
        PeerCredentials { pid: process.pid, uid: c.uid, gid: c.gid },
        PeerCredentials { pid: process.pid, uid: c.euid, gid: c.egid },
    )
}
