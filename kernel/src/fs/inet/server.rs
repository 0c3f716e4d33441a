//! The network server as the kernel sees it: who serves Internet sockets
//! now, one exchange with it at a time, and the readiness it reports.
//!
//! The server is not trusted. Every answer is decoded as hostile bytes; a
//! server that dies (`PeerGone`), answers nonsense or does not answer
//! within `ANSWER_TIMEOUT_NS` is marked dead, and every socket it served
//! then reads as reset (crates/netproto's contract: "the server never
//! blocks", so a slow answer is a broken server, never a slow network).
//!
//! Locks: the exchange mutex (rank ServedExchange, one request in the
//! shared buffer at a time) → the endpoint's queues. The socket map and a
//! socket's state (both rank Socket) are never held together nor across an
//! exchange.

use super::socket::InetSocket;
use crate::ipc::{Endpoint, Message, Watchdog};
use crate::mm::SharedPages;
use crate::sched::WaitQueue;
use crate::sync::{Mutex, Rank, SpinLock};
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel_ops::{Error, KResult};
use netproto::{Event, Request, Response, SocketHandle};

/// How long the kernel waits for one answer before it gives the server up.
/// Every request is answered at once by a working server.
const ANSWER_TIMEOUT_NS: u64 = 10_000_000_000;
/// Events for sockets the kernel does not know yet (a socket an answer is
/// about to create) are kept until it does, at most this many.
const MAX_EARLY_EVENTS: usize = 4096;

pub struct NetServer {
    endpoint: Arc<Endpoint>,
    buffer: Arc<SharedPages>,
    /// Where the buffer starts in its memory object, and its size.
    buffer_offset: u64,
    capacity: usize,
    /// The serving task's process id: `net_events` is accepted from it.
    owner: u32,
    dead: AtomicBool,
    /// One request in the shared buffer at a time, and the kernel's copies
    /// of a request and its answer, kept between exchanges so that a
    /// request allocates (and zeroes) nothing once they have grown.
    exchange: Mutex<Buffers>,
    /// Gives the server up when one answer takes `ANSWER_TIMEOUT_NS`.
    watchdog: Arc<Watchdog>,
    /// Its sockets, by handle, for delivering readiness events; and events
    /// that came before their socket was registered.
    sockets: SpinLock<Sockets>,
}

#[derive(Default)]
struct Buffers {
    request: Vec<u8>,
    answer: Vec<u8>,
}

#[derive(Default)]
struct Sockets {
    live: BTreeMap<u64, Weak<InetSocket>>,
    early: BTreeMap<u64, (u32, u64)>,
}

static CURRENT: SpinLock<Option<Arc<NetServer>>> = SpinLock::new(None);
/// Woken when a server starts serving.
static ARRIVED: WaitQueue = WaitQueue::new();
/// Until when (monotonic ns) a server is expected to start: native
/// services were started at boot, and a program's first socket should not
/// fail just because it ran first.
static EXPECTED_UNTIL: AtomicU64 = AtomicU64::new(0);
/// How long a socket call waits for a crashed server's replacement (init
/// restarts it).
const REPLACEMENT_WAIT_NS: u64 = 3_000_000_000;

/// Native services are starting: a network server may be on its way.
pub fn expect_server(within_ns: u64) {
    EXPECTED_UNTIL.store(crate::time::now_ns().saturating_add(within_ns), Ordering::Release);
}

/// `net_serve`: the server for sockets opened from now on. An earlier
/// server's sockets fail from now on (its sockets cannot move).
pub fn serve(
    endpoint: Arc<Endpoint>,
    buffer: Arc<SharedPages>,
    buffer_offset: u64,
    capacity: usize,
    owner: u32,
) -> KResult<()> {
    let server = Arc::new(NetServer {
        endpoint,
        buffer,
        buffer_offset,
        capacity,
        owner,
        dead: AtomicBool::new(false),
        exchange: Mutex::ranked(Rank::ServedExchange, Buffers::default()),
        watchdog: Watchdog::new(ANSWER_TIMEOUT_NS),
        sockets: SpinLock::ranked(Rank::Socket, Sockets::default()),
    });
    let old = CURRENT.lock().replace(server);
    if let Some(old) = old {
        old.mark_dead("was replaced by a new network server");
    }
    ARRIVED.wake_all();
    crate::info!("net: Internet sockets are served from user space (pid {owner})");
    Ok(())
}

fn live() -> Option<Arc<NetServer>> {
    CURRENT.lock().as_ref().filter(|s| !s.is_dead()).cloned()
}

/// The server new sockets go to. With none, a caller waits while one is
/// expected (boot, or a crashed server's restart); then `NetworkDown`.
pub fn current() -> KResult<Arc<NetServer>> {
    if let Some(s) = live() {
        return Ok(s);
    }
    let now = crate::time::now_ns();
    let mut until = EXPECTED_UNTIL.load(Ordering::Acquire);
    if CURRENT.lock().as_ref().is_some_and(|s| s.is_dead()) {
        until = until.max(now.saturating_add(REPLACEMENT_WAIT_NS));
    }
    if now < until {
        // A signal or the deadline ends the wait; either way the answer
        // is whether a server came.
        let _ = ARRIVED.wait_until(true, Some(until), || live().is_some());
    }
    live().ok_or(Error::NetworkDown)
}

/// The process `pid` has ended: if it served the sockets, they fail now,
/// and so does a request queued for it (which would otherwise wait for
/// the answer timeout: the kernel's own capability keeps the endpoint).
pub fn process_ended(pid: u32) {
    let server = CURRENT.lock().as_ref().filter(|s| s.owner == pid).cloned();
    if let Some(server) = server {
        server.mark_dead("is gone");
        server.endpoint.fail_senders(abi::Error::PeerGone);
    }
}

/// `net_events` from the process `pid`: applies an encoded event list.
pub fn events_from(pid: u32, bytes: &[u8]) -> Result<(), abi::Error> {
    let server = CURRENT.lock().as_ref().filter(|s| s.owner == pid).cloned().ok_or(abi::Error::NotFound)?;
    let events = netproto::EventList::decode(bytes).map_err(|_| abi::Error::InvalidArgument)?;
    for event in events {
        server.deliver(event);
    }
    Ok(())
}

impl NetServer {
    pub fn is_dead(&self) -> bool {
        self.dead.load(Ordering::Acquire)
    }

    fn mark_dead(&self, why: &str) {
        if self.dead.swap(true, Ordering::AcqRel) {
            return;
        }
        crate::error!("net: the network server {why}; its sockets now fail with ECONNRESET");
        let sockets: Vec<Arc<InetSocket>> = {
            let mut s = self.sockets.lock();
            s.early.clear();
            s.live.values().filter_map(Weak::upgrade).collect()
        };
        for socket in sockets {
            socket.server_gone();
        }
    }

    /// Starts delivering events for `socket` (and those that came early).
    pub fn register(&self, handle: SocketHandle, socket: &Arc<InetSocket>) {
        let early = {
            let mut s = self.sockets.lock();
            s.live.insert(handle.0, Arc::downgrade(socket));
            s.early.remove(&handle.0)
        };
        if let Some((readiness, seq)) = early {
            socket.update(readiness, seq);
        }
    }

    /// The kernel's file for `handle`, while it lives.
    pub fn socket_of(&self, handle: SocketHandle) -> Option<Arc<InetSocket>> {
        self.sockets.lock().live.get(&handle.0).and_then(Weak::upgrade)
    }

    pub fn unregister(&self, handle: SocketHandle) {
        let mut s = self.sockets.lock();
        s.live.remove(&handle.0);
        s.early.remove(&handle.0);
    }

    fn deliver(&self, event: Event) {
        let socket = {
            let mut s = self.sockets.lock();
            match s.live.get(&event.socket.0).and_then(Weak::upgrade) {
                Some(socket) => socket,
                None => {
                    if s.early.len() >= MAX_EARLY_EVENTS {
                        // A server reporting sockets nobody opens: forget
                        // the oldest handle's (lowest-numbered) events.
                        s.early.pop_first();
                    }
                    let e = s.early.entry(event.socket.0).or_insert((0, 0));
                    if event.seq >= e.1 {
                        *e = (event.readiness.0, event.seq);
                    }
                    return;
                }
            }
        };
        socket.update(event.readiness.0, event.seq);
    }

    /// One request and its answer: `then` sees the response (borrowing the
    /// answer's bytes) after the answer's events are delivered. The
    /// exchange stays locked until `then` returns (it holds the answer):
    /// `then` must not call the server.
    pub fn call<T>(&self, request: &Request<'_>, then: impl FnOnce(Response<'_>) -> KResult<T>) -> KResult<T> {
        if self.is_dead() {
            return Err(Error::ConnectionReset);
        }
        let me = crate::sched::current();
        if me.try_process().is_none() {
            return Err(Error::ConnectionReset); // only a process can wait for a server
        }
        let mut buffers = self.exchange.lock();
        let Buffers { request: bytes, answer } = &mut *buffers;
        grow_to(bytes, request_size(request))?;
        let len = request.encode(bytes).map_err(|_| Error::MessageTooLong)?;
        let answer_len = self.exchange(&me, &bytes[..len], answer)?;
        let Ok((response, events)) = netproto::Answer::decode(&answer[..answer_len]) else {
            self.mark_dead("sent a malformed answer");
            return Err(Error::ConnectionReset);
        };
        for event in events {
            self.deliver(event);
        }
        then(response)
    }

    /// The largest data a request or an answer can carry.
    pub fn data_room(&self) -> usize {
        self.capacity.saturating_sub(4096)
    }

    /// Puts `request` in the shared buffer, waits for the answer and
    /// copies it to the front of `answer`; returns its length. The caller
    /// holds the exchange lock.
    fn exchange(&self, me: &Arc<crate::task::thread::Thread>, request: &[u8], answer: &mut Vec<u8>) -> KResult<usize> {
        // The server may have died (or been given up) while this caller
        // waited for the one before: fail at once, not after a timeout.
        if self.is_dead() {
            return Err(Error::ConnectionReset);
        }
        self.buffer.write_bytes(self.buffer_offset, request).map_err(|_| Error::Io)?;
        let msg = Message { info: abi::MsgInfo::new(0), words: [request.len() as u64, 0, 0, 0] };
        match self.endpoint.call_from_kernel(me, msg, &self.watchdog) {
            Ok(reply) => {
                let len = reply.words[0] as usize;
                if reply.info.label() != 0 || len > self.capacity {
                    self.mark_dead("sent a malformed answer");
                    return Err(Error::ConnectionReset);
                }
                grow_to(answer, len)?;
                self.buffer.read_bytes(self.buffer_offset, &mut answer[..len]).map_err(|_| Error::Io)?;
                Ok(len)
            }
            Err(abi::Error::PeerGone) => {
                self.mark_dead("is gone");
                Err(Error::ConnectionReset)
            }
            Err(abi::Error::TimedOut) => {
                self.mark_dead("did not answer in 10 s");
                Err(Error::ConnectionReset)
            }
            Err(_) => Err(Error::ConnectionReset),
        }
    }
}

/// Makes `buffer` at least `len` bytes long (it never shrinks: the bytes
/// past what an exchange writes are not read).
fn grow_to(buffer: &mut Vec<u8>, len: usize) -> KResult<()> {
    if buffer.len() < len {
        buffer.try_reserve_exact(len - buffer.len()).map_err(|_| Error::NoMemory)?;
        buffer.resize(len, 0);
    }
    Ok(())
}

/// Room enough to encode `request`: its data plus a header's worth.
fn request_size(request: &Request<'_>) -> usize {
    match request {
        Request::Send { data, .. } => data.len() + 256,
        _ => 256,
    }
}
