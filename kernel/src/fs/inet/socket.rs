//! An Internet socket: a kernel file whose every operation is a request
//! to the network server (`server.rs`), which never blocks. Waiting is
//! done here: an operation the server answers with WouldBlock (InProgress
//! for a connect) sleeps on this socket's wait queue until the server
//! reports the readiness it needs, then asks again. Timeouts
//! (SO_RCVTIMEO/SO_SNDTIMEO), signals and O_NONBLOCK are the kernel's
//! alone, as the local sockets' (`fs/socket.rs`).
//!
//! The readiness the server reported last, with its sequence number, is
//! kept here: poll and epoll read it without asking the server.

use super::server::NetServer;
use crate::fs::file::PollState;
use crate::fs::socket::Wait;
use crate::sched::{PollQueue, PollTable, WaitQueue};
use crate::sync::{Rank, SpinLock};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Error, InetAddress, InetOption, KResult, SocketAddress, SocketFamily, SocketInfo, SocketKind};
use netproto::{Address, Family, Kind, Readiness, Request, Response, SocketHandle, SocketOption};

/// Inode numbers of Internet sockets (fstat, /proc/<pid>/fd's socket:[N]).
static NEXT_ID: AtomicU64 = AtomicU64::new(40_000);
/// Linux's default socket buffer sizes (net.core.wmem_default/rmem_default).
const DEFAULT_BUFFER: u32 = 212_992;

struct State {
    /// Readiness bits as the server last reported them, and that report's
    /// sequence number.
    readiness: u32,
    seq: u64,
    /// The server is gone: everything fails, poll says error and hang-up.
    gone: bool,
    listening: bool,
    /// A connect was started and its outcome not yet collected.
    connecting: bool,
    send_buffer: u32,
    receive_buffer: u32,
    receive_timeout: Option<u64>,
    send_timeout: Option<u64>,
    remembered: Vec<(u32, u64)>,
}

pub struct InetSocket {
    pub family: SocketFamily,
    pub kind: SocketKind,
    pub id: u64,
    /// The file-system uid of the process that made it (opened or
    /// accepted), as Linux's socket inode keeps it: /proc/net/tcp's uid.
    pub owner: u32,
    server: Arc<NetServer>,
    handle: SocketHandle,
    state: SpinLock<State>,
    changed: WaitQueue,
    pollers: PollQueue,
}

/// What a receive found.
pub struct Taken {
    pub data: Vec<u8>,
    /// The datagram's whole length (streams: `data.len()`).
    pub length: usize,
    pub from: Option<SocketAddress>,
    /// ICMP sockets: the TTL or hop limit the message arrived with.
    pub hop_limit: Option<u8>,
}

fn family_of(f: SocketFamily) -> Family {
    if f == SocketFamily::Inet4 {
        Family::V4
    } else {
        Family::V6
    }
}

pub fn to_wire(a: &InetAddress) -> Address {
    match *a {
        InetAddress::V4 { addr, port } => Address::V4 { addr, port },
        InetAddress::V6 { addr, port, flow_info, scope_id } => Address::V6 { addr, port, flow_info, scope_id },
    }
}

pub fn from_wire(a: &Address) -> SocketAddress {
    SocketAddress::Inet(match *a {
        Address::V4 { addr, port } => InetAddress::V4 { addr, port },
        Address::V6 { addr, port, flow_info, scope_id } => InetAddress::V6 { addr, port, flow_info, scope_id },
    })
}

/// The address an Internet socket may be given (`FamilyNotSupported` for
/// a local name, `InvalidArgument` for an IPv6 address on an IPv4 socket).
fn wire_address(family: SocketFamily, a: &SocketAddress) -> KResult<Address> {
    match a {
        SocketAddress::Inet(i @ InetAddress::V4 { .. }) if family == SocketFamily::Inet4 => Ok(to_wire(i)),
        SocketAddress::Inet(i @ InetAddress::V6 { .. }) if family == SocketFamily::Inet6 => Ok(to_wire(i)),
        SocketAddress::Inet(_) => Err(Error::FamilyNotSupported),
        _ => Err(Error::InvalidArgument),
    }
}

pub(super) fn kernel_error(e: netproto::Error) -> Error {
    use netproto::Error as N;
    match e {
        N::WouldBlock => Error::WouldBlock,
        N::InProgress => Error::InProgress,
        N::Already => Error::Already,
        N::AlreadyConnected => Error::AlreadyConnected,
        N::NotConnected => Error::NotConnected,
        N::ConnectionRefused => Error::ConnectionRefused,
        N::ConnectionReset => Error::ConnectionReset,
        N::ConnectionAborted => Error::ConnectionAborted,
        N::BrokenPipe => Error::BrokenPipe,
        N::AddressInUse => Error::AddressInUse,
        N::AddressNotAvailable => Error::AddressNotAvailable,
        N::NetworkUnreachable => Error::NetworkUnreachable,
        N::HostUnreachable => Error::HostUnreachable,
        N::TimedOut => Error::TimedOut,
        N::InvalidArgument => Error::InvalidArgument,
        N::NoBufferSpace => Error::NoBufferSpace,
        N::MessageTooLong => Error::MessageTooLong,
        N::DestinationRequired => Error::DestinationRequired,
        N::NotSupported => Error::NotSupported,
        N::FamilyNotSupported => Error::FamilyNotSupported,
        N::NoSuchOption => Error::NoSuchOption,
        N::TooManySockets => Error::TooManyOpenFiles,
        N::NetworkDown => Error::NetworkDown,
        N::NoDevice => Error::NoDevice,
        N::PermissionDenied => Error::PermissionDenied,
        // A handle the server does not know: it forgot the socket (or it
        // is a new server): the connection is gone.
        N::BadHandle => Error::ConnectionReset,
    }
}

/// A response that should have been another: the server is confused.
fn unexpected<T>() -> KResult<T> {
    Err(Error::Io)
}

fn option_of(o: InetOption) -> SocketOption {
    match o {
        InetOption::ReuseAddress => SocketOption::ReuseAddress,
        InetOption::ReusePort => SocketOption::ReusePort,
        InetOption::KeepAlive => SocketOption::KeepAlive,
        InetOption::NoDelay => SocketOption::NoDelay,
        InetOption::V6Only => SocketOption::V6Only,
        InetOption::KeepIdle => SocketOption::KeepIdle,
        InetOption::KeepInterval => SocketOption::KeepInterval,
        InetOption::KeepCount => SocketOption::KeepCount,
        InetOption::TimeToLive => SocketOption::TimeToLive,
        InetOption::HopLimit => SocketOption::HopLimit,
        InetOption::Broadcast => SocketOption::Broadcast,
        InetOption::Linger => SocketOption::Linger,
        InetOption::TcpState => SocketOption::TcpState,
        InetOption::UnsentBytes => SocketOption::UnsentBytes,
        InetOption::HeaderIncluded => SocketOption::HeaderIncluded,
        InetOption::Cork => SocketOption::Cork,
    }
}

impl InetSocket {
    /// A new socket of the current network server.
    pub fn open(family: SocketFamily, kind: SocketKind) -> KResult<Arc<InetSocket>> {
        let wire_kind = match kind {
            SocketKind::Stream => Kind::Stream,
            SocketKind::Datagram => Kind::Datagram,
            SocketKind::Ping => Kind::Ping,
            // The personality makes raw Internet sockets for ICMP only.
            SocketKind::Raw => Kind::Raw,
            SocketKind::SeqPacket => return Err(Error::SocketTypeNotSupported),
        };
        let server = super::server::current()?;
        let handle = server.call(&Request::Open { family: family_of(family), kind: wire_kind }, |r| match r {
            Response::Opened { socket } => Ok(socket),
            Response::Error(e) => Err(kernel_error(e)),
            _ => unexpected(),
        })?;
        Ok(Self::adopt(server, handle, family, kind))
    }

    /// The kernel's file for a socket the server made (opened or accepted).
    fn adopt(server: Arc<NetServer>, handle: SocketHandle, family: SocketFamily, kind: SocketKind) -> Arc<Self> {
        let socket = Arc::new(InetSocket {
            family,
            kind,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            owner: crate::sched::current().try_process().map_or(0, |p| p.creds.lock().fsuid),
            server: server.clone(),
            handle,
            state: SpinLock::ranked(
                Rank::Socket,
                State {
                    readiness: 0,
                    seq: 0,
                    gone: false,
                    listening: false,
                    connecting: false,
                    send_buffer: DEFAULT_BUFFER,
                    receive_buffer: DEFAULT_BUFFER,
                    receive_timeout: None,
                    send_timeout: None,
                    remembered: Vec::new(),
                },
            ),
            changed: WaitQueue::new(),
            pollers: PollQueue::new(),
        });
        server.register(handle, &socket);
        socket
    }

    /// Whether the socket carries whole messages (UDP, ICMP), not a stream.
    fn messages(&self) -> bool {
        self.kind != SocketKind::Stream
    }

    fn wake(&self) {
        self.changed.wake_all();
        self.pollers.wake();
    }

    /// A readiness report from the server (older ones than the last are
    /// ignored).
    pub fn update(&self, readiness: u32, seq: u64) {
        {
            let mut s = self.state.lock();
            if seq < s.seq {
                return;
            }
            s.seq = seq;
            s.readiness = readiness;
        }
        self.wake();
    }

    /// The server died or was replaced: every waiter wakes to an error.
    pub fn server_gone(&self) {
        self.state.lock().gone = true;
        self.wake();
    }

    fn gone(&self) -> bool {
        self.state.lock().gone
    }

    fn call<T>(&self, request: &Request<'_>, then: impl FnOnce(Response<'_>) -> KResult<T>) -> KResult<T> {
        if self.gone() {
            return Err(Error::ConnectionReset);
        }
        self.server.call(request, then)
    }

    /// A request whose good answer is `Done`.
    fn simple(&self, request: &Request<'_>) -> KResult<()> {
        self.call(request, |r| match r {
            Response::Done => Ok(()),
            Response::Error(e) => Err(kernel_error(e)),
            _ => unexpected(),
        })
    }

    /// Runs `attempt` until it stops saying WouldBlock, sleeping between
    /// tries until the server reports one of `wanted` (or an error or a
    /// hang-up, which the next attempt will report) in a report newer than
    /// the last one seen before the attempt.
    ///
    /// "Newer" matters both ways. With several CPUs, another thread may
    /// deliver the report that makes the socket ready between this attempt's
    /// WouldBlock and the look at the state: that report is newer, so the
    /// wait ends at once. And a server that says WouldBlock while the state
    /// it reported says ready is waited out until it reports again, so a
    /// confused server cannot make the kernel spin.
    ///
    /// `surely_blocks` says, from the reported state, that the server would
    /// answer WouldBlock: the first attempt is then skipped and the wait
    /// starts at once (every change is reported, so the report that ends
    /// the wait comes), which saves a request per blocking call.
    fn blocking<T>(
        &self,
        wait: Wait,
        wanted: u32,
        surely_blocks: impl Fn(&State) -> bool,
        mut attempt: impl FnMut() -> KResult<T>,
    ) -> KResult<T> {
        let wake_on = wanted | Readiness::ERROR.0 | Readiness::HANGUP.0;
        let mut first = true;
        loop {
            let (seen, skip) = {
                let s = self.state.lock();
                (s.seq, first && !s.gone && surely_blocks(&s))
            };
            first = false;
            if !skip {
                match attempt() {
                    Err(Error::WouldBlock) => {}
                    done => return done,
                }
            }
            wait.on(&self.changed, || {
                let s = self.state.lock();
                s.gone || (s.readiness & wake_on != 0 && s.seq != seen)
            })?;
        }
    }

    pub fn bind(&self, address: &SocketAddress) -> KResult<()> {
        let address = wire_address(self.family, address)?;
        self.simple(&Request::Bind { socket: self.handle, address })
    }

    pub fn listen(&self, backlog: u32) -> KResult<()> {
        self.simple(&Request::Listen { socket: self.handle, backlog })?;
        self.state.lock().listening = true;
        Ok(())
    }

    pub fn accept(&self, non_blocking: bool) -> KResult<(Arc<InetSocket>, SocketAddress)> {
        let wait = Wait::new(non_blocking, self.state.lock().receive_timeout);
        // A listener that reported nothing to accept (no READABLE, ERROR
        // or HANGUP) would answer WouldBlock: wait for the report first.
        let trouble = Readiness::READABLE.0 | Readiness::ERROR.0 | Readiness::HANGUP.0;
        let none_ready = |s: &State| s.listening && s.readiness & trouble == 0;
        let (handle, peer) = self.blocking(wait, Readiness::READABLE.0, none_ready, || {
            self.call(&Request::Accept { socket: self.handle }, |r| match r {
                Response::Accepted { socket, peer } => Ok((socket, from_wire(&peer))),
                Response::Error(e) => Err(kernel_error(e)),
                _ => unexpected(),
            })
        })?;
        Ok((Self::adopt(self.server.clone(), handle, self.family, self.kind), peer))
    }

    /// connect(2). A stream's connect started without waiting is
    /// `InProgress`; a blocking one waits until the server reports it
    /// writable (up) or in error (refused, unreachable...).
    pub fn connect(&self, address: Option<&SocketAddress>, non_blocking: bool) -> KResult<()> {
        let address = match address {
            Some(a) => Some(wire_address(self.family, a)?),
            None => None,
        };
        let started = self.call(&Request::Connect { socket: self.handle, address }, |r| match r {
            Response::Done => Ok(()),
            Response::Error(e) => Err(kernel_error(e)),
            _ => unexpected(),
        });
        match started {
            Err(Error::InProgress) => {}
            // connect(2) after a background connect finished reports its
            // outcome once (Linux's SS_CONNECTING): then it is connected.
            Err(Error::AlreadyConnected) if core::mem::take(&mut self.state.lock().connecting) => return Ok(()),
            Err(Error::Already) | Err(Error::AlreadyConnected) => {
                if self.state.lock().connecting {
                    if let Some(e) = self.take_error()? {
                        self.state.lock().connecting = false;
                        return Err(e);
                    }
                }
                return started;
            }
            other => return other,
        }
        self.state.lock().connecting = true;
        let wait = Wait::new(non_blocking, self.state.lock().send_timeout);
        if wait.non_blocking {
            return Err(Error::InProgress);
        }
        let wake_on = Readiness::WRITABLE.0 | Readiness::ERROR.0 | Readiness::HANGUP.0;
        match wait.on(&self.changed, || {
            let s = self.state.lock();
            s.gone || s.readiness & wake_on != 0
        }) {
            // A timeout leaves the connection being made.
            Err(Error::WouldBlock) => return Err(Error::InProgress),
            Err(e) => return Err(e),
            Ok(()) => {}
        }
        {
            let mut s = self.state.lock();
            s.connecting = false;
            // Up with no error pending (the server reports ERROR while
            // SO_ERROR holds one): nothing for SO_ERROR to tell.
            let trouble = Readiness::ERROR.0 | Readiness::HANGUP.0;
            if !s.gone && s.readiness & Readiness::WRITABLE.0 != 0 && s.readiness & trouble == 0 {
                return Ok(());
            }
        }
        match self.take_error()? {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Sends `data` (a stream: as much as fits, waiting for room unless
    /// non-blocking; a datagram: all or nothing). `more`: MSG_MORE, the
    /// server holds the bytes back (see netproto's `Request::Send`).
    pub fn send(&self, to: Option<&SocketAddress>, data: &[u8], more: bool, non_blocking: bool) -> KResult<usize> {
        let to = match to {
            Some(a) => Some(wire_address(self.family, a)?),
            None => None,
        };
        let wait = Wait::new(non_blocking, self.state.lock().send_timeout);
        let room = self.server.data_room();
        if self.messages() && data.len() > room {
            return Err(Error::MessageTooLong);
        }
        let mut sent = 0usize;
        loop {
            let piece = &data[sent..data.len().min(sent + room)];
            let result = self.blocking(
                wait,
                Readiness::WRITABLE.0,
                |_| false,
                || {
                    self.call(&Request::Send { socket: self.handle, to, data: piece, more }, |r| match r {
                        Response::Sent { bytes } => Ok((bytes as usize).min(piece.len())),
                        Response::Error(e) => Err(kernel_error(e)),
                        _ => unexpected(),
                    })
                },
            );
            match result {
                Ok(n) => {
                    sent += n;
                    if self.messages() || sent >= data.len() || (n == 0 && piece.is_empty()) {
                        return Ok(sent);
                    }
                    if n < piece.len() && wait.non_blocking {
                        return Ok(sent);
                    }
                }
                // Part of it went: that part is the answer.
                Err(e) if sent > 0 && matches!(e, Error::Restart | Error::Interrupted | Error::WouldBlock) => {
                    return Ok(sent)
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Receives up to `max` bytes (one datagram, cut to `max`). `wait_all`:
    /// a stream waits until `max` bytes came or the stream ended.
    /// Whether a stream's receive would be answered WouldBlock, by the
    /// readiness last reported: a connection that is up (writable, which
    /// only an established connection reports) with nothing to read, no
    /// error and no hang-up. Anything else asks the server.
    fn nothing_to_read(&self, s: &State) -> bool {
        let other = Readiness::READABLE.0 | Readiness::ERROR.0 | Readiness::HANGUP.0;
        self.kind == SocketKind::Stream && s.readiness & Readiness::WRITABLE.0 != 0 && s.readiness & other == 0
    }

    pub fn receive(&self, max: usize, peek: bool, wait_all: bool, non_blocking: bool) -> KResult<Taken> {
        let wait = Wait::new(non_blocking, self.state.lock().receive_timeout);
        let room = self.server.data_room();
        let mut out = Taken { data: Vec::new(), length: 0, from: None, hop_limit: None };
        loop {
            let want = (max - out.data.len()).min(room) as u32;
            let got = self.blocking(
                wait,
                Readiness::READABLE.0,
                |s| self.nothing_to_read(s),
                || {
                    let copy = |data: &[u8]| -> KResult<Vec<u8>> {
                        let data = &data[..data.len().min(want as usize)];
                        let mut v = Vec::new();
                        v.try_reserve_exact(data.len()).map_err(|_| Error::NoMemory)?;
                        v.extend_from_slice(data);
                        Ok(v)
                    };
                    self.call(&Request::Receive { socket: self.handle, max: want, peek }, |r| match r {
                        Response::Received { data, full_length, from } => {
                            Ok((copy(data)?, full_length as usize, from.as_ref().map(from_wire), None))
                        }
                        Response::ReceivedWithHopLimit { data, full_length, from, hop_limit } => {
                            Ok((copy(data)?, full_length as usize, from.as_ref().map(from_wire), Some(hop_limit)))
                        }
                        Response::Error(e) => Err(kernel_error(e)),
                        _ => unexpected(),
                    })
                },
            );
            match got {
                Ok((data, length, from, hop_limit)) => {
                    let end = data.is_empty();
                    if self.messages() {
                        return Ok(Taken { length: length.max(data.len()), data, from, hop_limit });
                    }
                    if out.data.is_empty() {
                        out.data = data;
                    } else {
                        out.data.try_reserve(data.len()).map_err(|_| Error::NoMemory)?;
                        out.data.extend_from_slice(&data);
                    }
                    out.length = out.data.len();
                    if !wait_all || peek || end || out.data.len() >= max {
                        return Ok(out);
                    }
                }
                Err(e)
                    if !out.data.is_empty() && matches!(e, Error::Restart | Error::Interrupted | Error::WouldBlock) =>
                {
                    return Ok(out)
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub fn shutdown(&self, read: bool, write: bool) -> KResult<()> {
        self.simple(&Request::Shutdown { socket: self.handle, read, write })
    }

    pub fn address(&self, peer: bool) -> KResult<SocketAddress> {
        let request = if peer {
            Request::PeerAddress { socket: self.handle }
        } else {
            Request::LocalAddress { socket: self.handle }
        };
        self.call(&request, |r| match r {
            Response::Address(a) => Ok(from_wire(&a)),
            Response::Error(e) => Err(kernel_error(e)),
            _ => unexpected(),
        })
    }

    pub fn option(&self, option: SocketOption) -> KResult<u64> {
        self.call(&Request::GetOption { socket: self.handle, option }, |r| match r {
            Response::Value(v) => Ok(v),
            Response::Error(e) => Err(kernel_error(e)),
            _ => unexpected(),
        })
    }

    pub fn inet_option(&self, option: InetOption) -> KResult<u64> {
        self.option(option_of(option))
    }

    pub fn set_option(&self, option: SocketOption, value: u64) -> KResult<()> {
        self.simple(&Request::SetOption { socket: self.handle, option, value })
    }

    /// SO_ERROR: the pending error, cleared by taking it.
    pub fn take_error(&self) -> KResult<Option<Error>> {
        if self.gone() {
            return Ok(Some(Error::ConnectionReset));
        }
        let code = self.option(SocketOption::Error)?;
        Ok(if code == 0 { None } else { netproto::Error::from_code(code as u16).map(kernel_error).or(Some(Error::Io)) })
    }

    /// FIONREAD: bytes a read would find.
    pub fn readable_bytes(&self) -> KResult<usize> {
        Ok(self.option(SocketOption::ReadableBytes)? as usize)
    }

    pub fn info(&self) -> SocketInfo {
        let s = self.state.lock();
        SocketInfo {
            family: self.family,
            kind: self.kind,
            listening: s.listening,
            send_buffer: s.send_buffer,
            receive_buffer: s.receive_buffer,
            pass_credentials: false,
            receive_timeout: s.receive_timeout,
            send_timeout: s.send_timeout,
            peer_credentials: None,
            // Asked of the server only when wanted (FIONREAD).
            readable_bytes: 0,
            remembered: s.remembered.clone(),
        }
    }

    pub fn set(&self, setting: kernel_ops::SocketSetting) -> KResult<()> {
        use kernel_ops::SocketSetting as S;
        match setting {
            S::SendBuffer(v) => {
                self.set_option(SocketOption::SendBuffer, u64::from(v))?;
                self.state.lock().send_buffer = v;
            }
            S::ReceiveBuffer(v) => {
                self.set_option(SocketOption::ReceiveBuffer, u64::from(v))?;
                self.state.lock().receive_buffer = v;
            }
            S::PassCredentials(_) => {}
            S::ReceiveTimeout(t) => self.state.lock().receive_timeout = t,
            S::SendTimeout(t) => self.state.lock().send_timeout = t,
            S::Remember { key, value } => kernel_ops::remember(&mut self.state.lock().remembered, key, value),
            S::Inet { option, value } => self.set_option(option_of(option), value)?,
            S::Membership { group, interface, local, join } => {
                let group = match group {
                    kernel_ops::InetGroup::V4(addr) => Address::V4 { addr, port: 0 },
                    kernel_ops::InetGroup::V6(addr) => Address::V6 { addr, port: 0, flow_info: 0, scope_id: 0 },
                };
                let local = local.map(|addr| Address::V4 { addr, port: 0 });
                self.simple(&Request::Membership { socket: self.handle, group, interface, local, join })?
            }
            S::IcmpFilter(blocked) => self.simple(&Request::SetIcmpFilter { socket: self.handle, blocked })?,
            // The personality sends netlink options to netlink sockets only.
            S::Netlink { .. } => return Err(Error::NoSuchOption),
        }
        self.wake();
        Ok(())
    }

    pub fn register_poll(&self, table: &mut PollTable) {
        table.register(&self.pollers);
    }

    pub fn poll(&self) -> PollState {
        let s = self.state.lock();
        if s.gone {
            return PollState {
                readable: true,
                writable: true,
                hang_up: true,
                error: true,
                read_hang_up: true,
                changes: None,
            };
        }
        let r = s.readiness;
        PollState {
            readable: r & Readiness::READABLE.0 != 0,
            writable: r & Readiness::WRITABLE.0 != 0,
            hang_up: r & Readiness::HANGUP.0 != 0,
            error: r & Readiness::ERROR.0 != 0,
            read_hang_up: r & Readiness::READ_CLOSED.0 != 0,
            changes: None,
        }
    }
}

impl Drop for InetSocket {
    /// The last reference went (its last descriptor closed, or an accepted
    /// socket never got one): the server closes the socket, a TCP
    /// connection finishing in the background.
    fn drop(&mut self) {
        self.server.unregister(self.handle);
        if !self.gone() {
            let _ = self.server.call(&Request::Close { socket: self.handle }, |_| Ok(()));
        }
    }
}
