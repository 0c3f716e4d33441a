//! A routing socket: a kernel file holding one `rtnetlink::Socket`. What
//! the program sends to port 0 is answered at once, from the network
//! server's tables as they are (`config.rs`), and queued; receives take
//! one datagram each. Port ids come from one table for the machine (one
//! network namespace), given at bind or at the first send or connect.
//!
//! Nothing but the socket's own sends fills its queue (no multicast
//! notifications are made), so a blocking receive on an empty queue waits
//! for another thread's send, a signal or SO_RCVTIMEO, as on Linux.

use crate::fs::file::PollState;
use crate::fs::socket::Wait;
use crate::sched::{PollQueue, PollTable, WaitQueue};
use crate::sync::{Rank, SpinLock};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Error, KResult, SocketAddress, SocketFamily, SocketInfo, SocketKind};
use rtnetlink::uapi::errno;
use rtnetlink::PortTable;

/// Inode numbers of routing sockets (fstat, /proc/<pid>/fd's socket:[N]),
/// apart from the local (20,000) and Internet (40,000) ones.
static NEXT_ID: AtomicU64 = AtomicU64::new(60_000);
/// Linux's default socket buffer sizes (net.core.wmem_default/rmem_default).
const DEFAULT_BUFFER: u32 = 212_992;
/// What netlink_sendmsg keeps of the send buffer for the skb's own
/// overhead: a message longer than the buffer less this is EMSGSIZE.
const SEND_OVERHEAD: u32 = 32;

/// The port ids in use, made on first use (`PortTable::new` is not const).
/// Never taken with a socket's state lock held.
static PORTS: SpinLock<Option<PortTable>> = SpinLock::new(None);

fn with_ports<T>(f: impl FnOnce(&mut PortTable) -> T) -> T {
    let mut ports = PORTS.lock();
    f(ports.get_or_insert_with(PortTable::new))
}

/// rtnetlink's errno values as the core's errors.
fn error_of(errno: i32) -> Error {
    match errno {
        errno::EADDRINUSE => Error::AddressInUse,
        errno::ENOBUFS => Error::NoBufferSpace,
        errno::ENOPROTOOPT => Error::NoSuchOption,
        errno::EPERM => Error::NotPermitted,
        _ => Error::InvalidArgument,
    }
}

struct State {
    socket: rtnetlink::Socket,
    /// The port id was given (bind, send or connect); 0 is never one.
    bound: bool,
    /// connect's destination port (0: the kernel).
    peer: u32,
    peer_groups: u32,
    send_buffer: u32,
    receive_buffer: u32,
    receive_timeout: Option<u64>,
    send_timeout: Option<u64>,
    remembered: Vec<(u32, u64)>,
}

pub struct NetlinkSocket {
    pub id: u64,
    /// The type asked for: SOCK_RAW and SOCK_DGRAM behave alike.
    pub kind: SocketKind,
    /// The creator's process (the port id `autobind` tries first) and
    /// effective uid (`RTA_UID` in route lookups).
    tgid: u32,
    state: SpinLock<State>,
    changed: WaitQueue,
    pollers: PollQueue,
}

/// What a receive found.
pub struct Taken {
    pub data: Vec<u8>,
    /// The datagram's whole length.
    pub length: usize,
}

impl NetlinkSocket {
    pub fn open(kind: SocketKind) -> alloc::sync::Arc<NetlinkSocket> {
        let (tgid, uid) = crate::sched::current().try_process().map_or((0, 0), |p| (p.pid, p.creds.lock().euid));
        let mut socket = rtnetlink::Socket::new(0);
        socket.set_uid(uid);
        alloc::sync::Arc::new(NetlinkSocket {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            kind,
            tgid,
            state: SpinLock::ranked(
                Rank::Socket,
                State {
                    socket,
                    bound: false,
                    peer: 0,
                    peer_groups: 0,
                    send_buffer: DEFAULT_BUFFER,
                    receive_buffer: DEFAULT_BUFFER,
                    receive_timeout: None,
                    send_timeout: None,
                    remembered: Vec::new(),
                },
            ),
            changed: WaitQueue::new(),
            pollers: PollQueue::new(),
        })
    }

    fn wake(&self) {
        self.changed.wake_all();
        self.pollers.wake();
    }

    /// Gives the socket a port id if it has none (`netlink_autobind`):
    /// the process's pid when free, else a negative one.
    fn autobind(&self) {
        if self.state.lock().bound {
            return;
        }
        let port = with_ports(|p| p.autobind(self.tgid));
        let mut s = self.state.lock();
        if s.bound {
            // Another thread bound it meanwhile: keep its port.
            drop(s);
            with_ports(|p| p.release(port));
            return;
        }
        s.socket.set_port_id(port);
        s.bound = true;
    }

    /// bind(2): a port id (0: the process's pid or a free one) and groups
    /// 1-32. A bound socket keeps its port: another one is EINVAL.
    pub fn bind(&self, address: &SocketAddress) -> KResult<()> {
        let SocketAddress::Netlink { port, groups } = *address else { return Err(Error::InvalidArgument) };
        let (bound, current) = {
            let s = self.state.lock();
            (s.bound, s.socket.port_id())
        };
        if bound && port != current {
            return Err(Error::InvalidArgument);
        }
        if !bound {
            if port == 0 {
                self.autobind();
            } else {
                with_ports(|p| p.bind(port)).map_err(error_of)?;
                let mut s = self.state.lock();
                if s.bound {
                    drop(s);
                    with_ports(|p| p.release(port));
                    return Err(Error::InvalidArgument);
                }
                s.socket.set_port_id(port);
                s.bound = true;
            }
        }
        self.state.lock().socket.bind_groups(groups);
        Ok(())
    }

    /// connect(2): where unaddressed sends go (None, AF_UNSPEC: back to
    /// the kernel). Sending to groups takes a privilege NETLINK_ROUTE
    /// grants nobody here.
    pub fn connect(&self, address: Option<&SocketAddress>) -> KResult<()> {
        let (port, groups) = match address {
            None => (0, 0),
            Some(SocketAddress::Netlink { port, groups }) => (*port, *groups),
            Some(_) => return Err(Error::InvalidArgument),
        };
        if groups != 0 {
            return Err(Error::NotPermitted);
        }
        self.autobind();
        let mut s = self.state.lock();
        s.peer = port;
        s.peer_groups = groups;
        Ok(())
    }

    /// The largest message a send takes (netlink_sendmsg's EMSGSIZE bound).
    pub fn max_message(&self) -> usize {
        self.state.lock().send_buffer.saturating_sub(SEND_OVERHEAD) as usize
    }

    /// Sends one message: to the kernel (port 0) it is answered from the
    /// network as the server reports it now. Another program's port or a
    /// group takes CAP_NET_ADMIN-like rights Linux gives only to root for
    /// NETLINK_ROUTE; Helctic grants them nobody: EPERM.
    pub fn send(&self, to: Option<&SocketAddress>, data: &[u8]) -> KResult<usize> {
        let destination = match to {
            Some(SocketAddress::Netlink { port, groups }) => Some((*port, *groups)),
            Some(_) => return Err(Error::InvalidArgument),
            None => None,
        };
        if data.len() > self.max_message() {
            return Err(Error::MessageTooLong);
        }
        let (port, groups) = destination.unwrap_or_else(|| {
            let s = self.state.lock();
            (s.peer, s.peer_groups)
        });
        if port != 0 || groups != 0 {
            return Err(Error::NotPermitted);
        }
        self.autobind();
        // The server is asked before the lock is taken: it is an exchange
        // that may sleep.
        let config = super::config::current()?;
        let n = self.state.lock().socket.send(&config, data);
        self.wake();
        Ok(n)
    }

    /// Receives one datagram (whole: the caller copies what fits in
    /// `max`). `max` also sizes the next dump datagrams, as on Linux.
    pub fn receive(&self, max: usize, peek: bool, non_blocking: bool) -> KResult<Taken> {
        let wait = Wait::new(non_blocking, self.state.lock().receive_timeout);
        loop {
            let got = self.state.lock().socket.recv(max, peek);
            match got {
                Ok(Some(data)) => {
                    let length = data.len();
                    // A dump may have queued its next datagram.
                    self.wake();
                    return Ok(Taken { data, length });
                }
                Ok(None) => wait.on(&self.changed, || self.state.lock().socket.readable())?,
                Err(e) => return Err(error_of(e)),
            }
        }
    }

    pub fn address(&self, peer: bool) -> SocketAddress {
        let s = self.state.lock();
        if peer {
            SocketAddress::Netlink { port: s.peer, groups: s.peer_groups }
        } else {
            SocketAddress::Netlink { port: s.socket.port_id(), groups: s.socket.groups() }
        }
    }

    /// A `SOL_NETLINK` option's value, by Linux's number.
    pub fn option(&self, option: u32) -> KResult<u32> {
        self.state.lock().socket.getsockopt(option as i32).map_err(error_of)
    }

    pub fn info(&self) -> SocketInfo {
        let s = self.state.lock();
        SocketInfo {
            family: SocketFamily::Netlink,
            kind: self.kind,
            listening: false,
            send_buffer: s.send_buffer,
            receive_buffer: s.receive_buffer,
            pass_credentials: false,
            receive_timeout: s.receive_timeout,
            send_timeout: s.send_timeout,
            peer_credentials: None,
            readable_bytes: s.socket.next_len().unwrap_or(0),
            remembered: s.remembered.clone(),
        }
    }

    pub fn set(&self, setting: kernel_ops::SocketSetting) -> KResult<()> {
        use kernel_ops::SocketSetting as S;
        {
            let mut s = self.state.lock();
            match setting {
                S::SendBuffer(v) => s.send_buffer = v,
                S::ReceiveBuffer(v) => {
                    s.receive_buffer = v;
                    s.socket.set_rcvbuf(v as usize);
                }
                S::PassCredentials(_) => {}
                S::ReceiveTimeout(t) => s.receive_timeout = t,
                S::SendTimeout(t) => s.send_timeout = t,
                S::Remember { key, value } => kernel_ops::remember(&mut s.remembered, key, value),
                S::Netlink { option, value } => s.socket.setsockopt(option as i32, value).map_err(error_of)?,
                S::Inet { .. } | S::Membership { .. } | S::IcmpFilter(_) => return Err(Error::NoSuchOption),
            }
        }
        // A larger buffer may let a waiting dump go on; NO_ENOBUFS clears
        // a pending error.
        self.wake();
        Ok(())
    }

    pub fn register_poll(&self, table: &mut PollTable) {
        table.register(&self.pollers);
    }

    /// Readable with a datagram or an error queued; always writable
    /// (sends are answered at once).
    pub fn poll(&self) -> PollState {
        let s = self.state.lock();
        PollState { readable: s.socket.readable(), writable: true, ..PollState::default() }
    }
}

impl Drop for NetlinkSocket {
    /// The last reference went: its port id is free again.
    fn drop(&mut self) {
        let s = self.state.lock();
        let (bound, port) = (s.bound, s.socket.port_id());
        drop(s);
        if bound {
            with_ports(|p| p.release(port));
        }
    }
}
