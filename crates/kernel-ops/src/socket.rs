//! Sockets as the core offers them to personalities: local (Unix-domain)
//! ones, kept by the core, Internet ones (IPv4, IPv6), served by the
//! user-space network server, and routing ones (Linux's rtnetlink), which
//! the core answers from the network server's tables.

use crate::types::Fd;
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketKind {
    /// A byte stream (SOCK_STREAM).
    Stream,
    /// Messages with boundaries, connected or not (SOCK_DGRAM).
    Datagram,
    /// Messages with boundaries over a connection (SOCK_SEQPACKET).
    SeqPacket,
    /// A protocol's own messages (SOCK_RAW): netlink sockets (they behave
    /// as datagram ones; the type is what SO_TYPE reports) and Internet
    /// ICMP ones (IPv4: ICMP, with the IP header on receive; IPv6:
    /// ICMPv6). A raw local socket is a datagram one, as on Linux.
    Raw,
    /// ICMP echo datagrams (Linux's SOCK_DGRAM + IPPROTO_ICMP or
    /// IPPROTO_ICMPV6, "ping sockets"): echo requests out, the replies to
    /// the socket's identifier (its port, chosen by the server) in.
    Ping,
}

/// Which kind of names a socket has, and who keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketFamily {
    /// Unix-domain: the core's own.
    Local,
    /// IPv4 (the network server's).
    Inet4,
    /// IPv6 (the network server's; may also reach IPv4 peers as
    /// v4-mapped addresses unless `InetOption::V6Only`).
    Inet6,
    /// Routing sockets (Linux's `AF_NETLINK`/`NETLINK_ROUTE`): messages to
    /// and from the core, which answers them from the network server's
    /// interfaces, addresses and routes.
    Netlink,
}

/// An Internet socket's name: an address and a port, in host order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InetAddress {
    V4 { addr: [u8; 4], port: u16 },
    V6 { addr: [u8; 16], port: u16, flow_info: u32, scope_id: u32 },
}

/// A socket's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SocketAddress {
    /// No name (binding a local socket asks for an automatic abstract one).
    Unnamed,
    /// A socket node in the file system.
    Path(Vec<u8>),
    /// A name outside the file system (Linux's abstract namespace).
    Abstract(Vec<u8>),
    /// An Internet address and port.
    Inet(InetAddress),
    /// A routing socket's name: its port id (0 is the core's own) and the
    /// first 32 multicast groups it listens to, bit `n - 1` for group `n`.
    Netlink { port: u32, groups: u32 },
}

/// Who is at the other end, or who sent a message: process, user, group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeerCredentials {
    pub pid: u32,
    pub uid: u32,
    pub gid: u32,
}

/// A message to send. `data` are user buffers, gathered in order.
#[derive(Debug, Clone, Copy)]
pub struct SendRequest<'a> {
    pub data: &'a [(u64, usize)],
    /// Where to (datagrams on an unconnected socket).
    pub to: Option<&'a SocketAddress>,
    /// Descriptors passed along (the receiver gets its own for the same
    /// open files).
    pub rights: &'a [Fd],
    /// Credentials the sender claims (checked: only its own, unless
    /// privileged).
    pub credentials: Option<PeerCredentials>,
    pub non_blocking: bool,
    /// A broken connection gives `BrokenPipe` without the SIGPIPE.
    pub no_signal: bool,
    /// MSG_MORE: more follows. Internet sockets hold the bytes back (a
    /// stream) or gather them into one datagram; local sockets ignore it,
    /// as Linux's do.
    pub more: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct ReceiveRequest<'a> {
    pub data: &'a [(u64, usize)],
    /// Leave the message queued.
    pub peek: bool,
    /// A stream read waits until every buffer is full.
    pub wait_all: bool,
    pub non_blocking: bool,
    /// Received descriptors are close-on-exec.
    pub close_on_exec: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Received {
    /// Bytes copied into the buffers.
    pub copied: usize,
    /// The message's whole length (records; for streams equal to `copied`).
    pub length: usize,
    /// The sender's name, when it has one.
    pub from: Option<SocketAddress>,
    /// The sender's credentials, when the receiver asked for them
    /// (`SocketSetting::PassCredentials`).
    pub credentials: Option<PeerCredentials>,
    /// Descriptors installed for the receiver.
    pub rights: Vec<Fd>,
    /// How many descriptors the message carried (more than `rights`: the
    /// rest did not fit and were closed).
    pub rights_offered: usize,
    /// The IPv4 TTL or IPv6 hop limit the message arrived with, when the
    /// network server reports it (ICMP sockets).
    pub hop_limit: Option<u8>,
}

/// A socket's state and settings (getsockopt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketInfo {
    pub family: SocketFamily,
    pub kind: SocketKind,
    pub listening: bool,
    pub send_buffer: u32,
    pub receive_buffer: u32,
    pub pass_credentials: bool,
    /// ns; None: wait forever.
    pub receive_timeout: Option<u64>,
    pub send_timeout: Option<u64>,
    /// Who is connected (or, listening, who listens).
    pub peer_credentials: Option<PeerCredentials>,
    /// Bytes a read would find (FIONREAD): all queued for streams and
    /// seqpackets, the next datagram's for datagram sockets.
    pub readable_bytes: usize,
    /// Settings the core keeps without acting on them, by the
    /// personality's own keys (`SocketSetting::Remember`).
    pub remembered: Vec<(u32, u64)>,
}

/// Keeps `value` under `key` in a socket's remembered settings
/// (`SocketSetting::Remember`), replacing an earlier value.
pub fn remember(remembered: &mut Vec<(u32, u64)>, key: u32, value: u64) {
    match remembered.iter_mut().find(|(k, _)| *k == key) {
        Some(e) => e.1 = value,
        None => remembered.push((key, value)),
    }
}

/// A setting changed by setsockopt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketSetting {
    /// Already in the core's units (the personality applies its OS's rules).
    SendBuffer(u32),
    ReceiveBuffer(u32),
    PassCredentials(bool),
    ReceiveTimeout(Option<u64>),
    SendTimeout(Option<u64>),
    /// A value the personality wants back later (options that mean
    /// nothing for local sockets, e.g. keep-alive), by its own key.
    Remember {
        key: u32,
        value: u64,
    },
    /// An Internet socket's protocol option (the network server's).
    Inet {
        option: InetOption,
        value: u64,
    },
    /// A raw ICMP socket's type filter: bit `t % 32` of word `t / 32`
    /// set drops ICMP type `t` (Linux's ICMP_FILTER, ICMP6_FILTER).
    IcmpFilter([u32; 8]),
    /// A routing socket's protocol option, by the number of Linux's
    /// `SOL_NETLINK` options: the protocol is Linux's own, so its numbers
    /// are the names (the core hands them to crates/rtnetlink).
    Netlink {
        option: u32,
        value: u32,
    },
    /// Joins or leaves a multicast group on an Internet socket: on the
    /// interface of index `interface` (from 1), else the one holding the
    /// IPv4 address `local`, else the one the route to the group takes.
    Membership {
        group: InetGroup,
        interface: u32,
        local: Option<[u8; 4]>,
        join: bool,
    },
}

/// A multicast group's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InetGroup {
    V4([u8; 4]),
    V6([u8; 16]),
}

/// The options of Internet sockets the network server keeps, each a
/// number (flags are 0 or 1; times in seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InetOption {
    ReuseAddress,
    ReusePort,
    KeepAlive,
    /// Send small segments at once (no Nagle delay).
    NoDelay,
    /// An IPv6 socket reaches IPv6 peers only.
    V6Only,
    KeepIdle,
    KeepInterval,
    KeepCount,
    TimeToLive,
    HopLimit,
    Broadcast,
    /// 0: off; otherwise the linger time in seconds plus one.
    Linger,
    /// Read only: Linux's TCP state number (1 established .. 10 listen).
    TcpState,
    /// Read only: bytes sent but not yet acknowledged (SIOCOUTQ).
    UnsentBytes,
    /// A raw IPv4 socket's sends carry their own IP header (IP_HDRINCL).
    HeaderIncluded,
    /// Sends are held back until it is cleared (Linux's TCP_CORK on
    /// streams, UDP_CORK on datagrams; FreeBSD's TCP_NOPUSH).
    Cork,
}
