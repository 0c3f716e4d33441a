//! A server socket: what every socket has (family, options, binding,
//! pending error, last reported readiness) and its protocol's state.

use netproto::{Error, Family, Kind, Readiness};
use smoltcp::iface::SocketHandle as SmolHandle;
use smoltcp::wire::IpAddress;

use alloc::vec::Vec;

use crate::icmp::IcmpState;
use crate::multicast::Membership;
use crate::options::Options;
use crate::owner::Owner;
use crate::tcp::TcpState;
use crate::udp::UdpState;

/// One smoltcp socket: which interface's set holds it, and the buffer
/// bytes it holds against the stack's budget.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub iface: usize,
    pub handle: SmolHandle,
    pub bytes: usize,
}

/// A local address and port a socket holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Binding {
    /// None: the wildcard address.
    pub addr: Option<IpAddress>,
    pub port: u16,
}

pub(crate) enum Protocol {
    Tcp(TcpState),
    Udp(UdpState),
    /// Ping and raw ICMP sockets.
    Icmp(IcmpState),
}

pub(crate) struct Socket {
    pub family: Family,
    pub options: Options,
    pub binding: Option<Binding>,
    /// What SO_ERROR will take.
    pub pending_error: Option<Error>,
    /// The readiness last reported in an event.
    pub reported: Option<Readiness>,
    pub protocol: Protocol,
    /// Only requests of this owner reach the socket; its events go to it.
    pub owner: Owner,
    /// Multicast groups joined (never inherited by accepted sockets).
    pub memberships: Vec<Membership>,
}

impl Socket {
    pub fn new(family: Family, kind: Kind) -> Socket {
        let protocol = match kind {
            Kind::Stream => Protocol::Tcp(TcpState::Idle),
            Kind::Datagram => Protocol::Udp(UdpState::new()),
            Kind::Ping | Kind::Raw => Protocol::Icmp(IcmpState::new(kind)),
        };
        let mut options = Options::new(kind);
        // Linux's ping6 sockets are IPv6-only (ping_init_sock), raw ones
        // are by nature.
        options.v6_only = matches!(kind, Kind::Ping | Kind::Raw) && family == Family::V6;
        // Linux makes them with SO_REUSEADDR on (INET_PROTOSW_REUSE): two
        // ping sockets may share an echo identifier.
        options.reuse_address = matches!(kind, Kind::Ping | Kind::Raw);
        Socket {
            family,
            options,
            binding: None,
            pending_error: None,
            reported: None,
            protocol,
            owner: Owner::Kernel,
            memberships: Vec::new(),
        }
    }

    pub fn kind(&self) -> Kind {
        match &self.protocol {
            Protocol::Tcp(_) => Kind::Stream,
            Protocol::Udp(_) => Kind::Datagram,
            Protocol::Icmp(s) if s.is_raw() => Kind::Raw,
            Protocol::Icmp(_) => Kind::Ping,
        }
    }
}
