//! Internet socket addresses (`struct sockaddr_in`, `struct sockaddr_in6`)
//! and the protocol-level option numbers of `IPPROTO_TCP`, `IPPROTO_IP`
//! and `IPPROTO_IPV6`. Ports and IPv4/IPv6 addresses are in network byte
//! order inside the structures; [`InetAddr`] holds the port in host order.

use crate::socket::{sockaddr_family, AF_INET, AF_INET6, AF_UNSPEC, SOCKADDR_IN6_SIZE, SOCKADDR_IN_SIZE};
use crate::wire::{get_u16, get_u32};

/// `SIN6_LEN_RFC2133`: the older, 24-byte `sockaddr_in6` without
/// `sin6_scope_id`, which Linux still accepts.
pub const SOCKADDR_IN6_OLD_SIZE: usize = 24;

pub const TCP_NODELAY: u32 = 1;
pub const TCP_MAXSEG: u32 = 2;
pub const TCP_CORK: u32 = 3;
/// IPPROTO_UDP level: gather sends into one datagram until cleared.
pub const UDP_CORK: u32 = 1;
pub const TCP_KEEPIDLE: u32 = 4;
pub const TCP_KEEPINTVL: u32 = 5;
pub const TCP_KEEPCNT: u32 = 6;
pub const TCP_SYNCNT: u32 = 7;
pub const TCP_LINGER2: u32 = 8;
pub const TCP_DEFER_ACCEPT: u32 = 9;
pub const TCP_WINDOW_CLAMP: u32 = 10;
pub const TCP_INFO: u32 = 11;
pub const TCP_QUICKACK: u32 = 12;
pub const TCP_CONGESTION: u32 = 13;
pub const TCP_USER_TIMEOUT: u32 = 18;
pub const TCP_FASTOPEN: u32 = 23;
pub const TCP_NOTSENT_LOWAT: u32 = 25;
/// `struct tcp_info` as Linux 6.1 fills it (`tcpi_state` is byte 0).
pub const TCP_INFO_SIZE: usize = 232;

pub const IP_TOS: u32 = 1;
pub const IP_TTL: u32 = 2;
pub const IP_HDRINCL: u32 = 3;
pub const IP_PKTINFO: u32 = 8;
pub const IP_MTU_DISCOVER: u32 = 10;
pub const IP_RECVERR: u32 = 11;
pub const IP_RECVTTL: u32 = 12;
pub const IP_RECVTOS: u32 = 13;
pub const IP_MTU: u32 = 14;
pub const IP_FREEBIND: u32 = 15;
pub const IP_BIND_ADDRESS_NO_PORT: u32 = 24;
pub const IP_MULTICAST_IF: u32 = 32;
pub const IP_MULTICAST_TTL: u32 = 33;
pub const IP_MULTICAST_LOOP: u32 = 34;
pub const IP_ADD_MEMBERSHIP: u32 = 35;
pub const IP_DROP_MEMBERSHIP: u32 = 36;
/// Protocol-independent joins (`struct group_req`), at IPPROTO_IP and
/// IPPROTO_IPV6 alike.
pub const MCAST_JOIN_GROUP: u32 = 42;
pub const MCAST_LEAVE_GROUP: u32 = 45;
/// `struct ip_mreq`: the group and the interface's address.
pub const IP_MREQ_SIZE: usize = 8;
/// `struct ip_mreqn`: the group, an address and an interface index.
pub const IP_MREQN_SIZE: usize = 12;
/// `struct group_req`: a u32 interface index, padding, then a
/// `sockaddr_storage` (128 bytes) at offset 8.
pub const GROUP_REQ_SIZE: usize = 136;
/// `struct ipv6_mreq`: the group and an interface index.
pub const IPV6_MREQ_SIZE: usize = 20;

pub const IPV6_UNICAST_HOPS: u32 = 16;
pub const IPV6_MULTICAST_IF: u32 = 17;
pub const IPV6_MULTICAST_HOPS: u32 = 18;
pub const IPV6_MULTICAST_LOOP: u32 = 19;
pub const IPV6_ADD_MEMBERSHIP: u32 = 20;
pub const IPV6_DROP_MEMBERSHIP: u32 = 21;
pub const IPV6_MTU_DISCOVER: u32 = 23;
pub const IPV6_RECVERR: u32 = 25;
pub const IPV6_V6ONLY: u32 = 26;
pub const IPV6_RECVPKTINFO: u32 = 49;
pub const IPV6_TCLASS: u32 = 67;
/// Where a raw IPv6 socket's checksum goes (at level SOL_RAW, Linux's
/// extension, or IPPROTO_IPV6, which ICMPv6 sockets refuse).
pub const IPV6_CHECKSUM: u32 = 7;
pub const IPV6_2292HOPLIMIT: u32 = 8;
pub const IPV6_RECVHOPLIMIT: u32 = 51;
/// The control message IPV6_RECVHOPLIMIT asks for.
pub const IPV6_HOPLIMIT: u32 = 52;

/// Raw sockets' own level (`<linux/socket.h>`) and its ICMP type filter
/// (`<linux/icmp.h>`: a u32, bit `t` set drops ICMP type `t` < 32).
pub const SOL_RAW: u32 = 255;
pub const ICMP_FILTER: u32 = 1;
/// `<linux/icmpv6.h>`, at level IPPROTO_ICMPV6: 8 u32, bit `t % 32` of
/// word `t / 32` set drops ICMPv6 type `t`.
pub const ICMP6_FILTER: u32 = 1;

/// An Internet socket address, port in host order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InetAddr {
    V4 { addr: [u8; 4], port: u16 },
    V6 { addr: [u8; 16], port: u16, flow_info: u32, scope_id: u32 },
}

/// Why an Internet address is refused: too short (EINVAL) or of another
/// family (EAFNOSUPPORT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InetAddrError {
    TooShort,
    WrongFamily,
}

/// What the caller passed: the family field, when there are two bytes.
pub fn family_of(bytes: &[u8]) -> Option<u32> {
    sockaddr_family(bytes).map(u32::from)
}

/// Reads an address for an IPv4 socket (`inet_bind`, `tcp_v4_connect`,
/// `udp_sendmsg`): at least 16 bytes, family AF_INET. With `unspec_any`,
/// AF_UNSPEC with address 0.0.0.0 is taken as AF_INET (Linux's bind
/// allows it for old programs).
pub fn parse_in(bytes: &[u8], unspec_any: bool) -> Result<InetAddr, InetAddrError> {
    if bytes.len() < SOCKADDR_IN_SIZE {
        return Err(InetAddrError::TooShort);
    }
    let addr = [bytes[4], bytes[5], bytes[6], bytes[7]];
    let family = u32::from(get_u16(bytes, 0));
    if family != AF_INET && !(unspec_any && family == AF_UNSPEC && addr == [0; 4]) {
        return Err(InetAddrError::WrongFamily);
    }
    Ok(InetAddr::V4 { addr, port: u16::from_be_bytes([bytes[2], bytes[3]]) })
}

/// Reads an address for an IPv6 socket (`inet6_bind`, `tcp_v6_connect`):
/// at least the 24-byte RFC 2133 form, family AF_INET6. The scope id is
/// read only when the caller passed the whole 28-byte structure.
pub fn parse_in6(bytes: &[u8]) -> Result<InetAddr, InetAddrError> {
    if bytes.len() < SOCKADDR_IN6_OLD_SIZE {
        return Err(InetAddrError::TooShort);
    }
    if u32::from(get_u16(bytes, 0)) != AF_INET6 {
        return Err(InetAddrError::WrongFamily);
    }
    let mut addr = [0u8; 16];
    addr.copy_from_slice(&bytes[8..24]);
    let scope_id = if bytes.len() >= SOCKADDR_IN6_SIZE { get_u32(bytes, 24) } else { 0 };
    Ok(InetAddr::V6 {
        addr,
        port: u16::from_be_bytes([bytes[2], bytes[3]]),
        flow_info: u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]),
        scope_id,
    })
}

/// The address as getsockname/getpeername/accept/recvfrom report it: 16
/// bytes for IPv4, 28 for IPv6.
pub fn encode_inet(addr: &InetAddr) -> ([u8; SOCKADDR_IN6_SIZE], usize) {
    let mut b = [0u8; SOCKADDR_IN6_SIZE];
    match *addr {
        InetAddr::V4 { addr, port } => {
            b[..2].copy_from_slice(&(AF_INET as u16).to_le_bytes());
            b[2..4].copy_from_slice(&port.to_be_bytes());
            b[4..8].copy_from_slice(&addr);
            (b, SOCKADDR_IN_SIZE)
        }
        InetAddr::V6 { addr, port, flow_info, scope_id } => {
            b[..2].copy_from_slice(&(AF_INET6 as u16).to_le_bytes());
            b[2..4].copy_from_slice(&port.to_be_bytes());
            b[4..8].copy_from_slice(&flow_info.to_be_bytes());
            b[8..24].copy_from_slice(&addr);
            b[24..28].copy_from_slice(&scope_id.to_le_bytes());
            (b, SOCKADDR_IN6_SIZE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ipv4_loopback_port_80() {
        let b = [2, 0, 0, 80, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(parse_in(&b, false), Ok(InetAddr::V4 { addr: [127, 0, 0, 1], port: 80 }));
        assert_eq!(parse_in(&b[..15], false), Err(InetAddrError::TooShort));
        let (e, n) = encode_inet(&InetAddr::V4 { addr: [127, 0, 0, 1], port: 80 });
        assert_eq!(&e[..n], &b);
    }

    #[test]
    fn unspecified_family_binds_only_the_any_address() {
        let mut b = [0u8; 16];
        b[3] = 7;
        assert_eq!(parse_in(&b, true), Ok(InetAddr::V4 { addr: [0; 4], port: 7 }));
        assert_eq!(parse_in(&b, false), Err(InetAddrError::WrongFamily));
        b[7] = 1;
        assert_eq!(parse_in(&b, true), Err(InetAddrError::WrongFamily));
    }

    #[test]
    fn ipv6_short_form_has_no_scope() {
        let mut b = [0u8; 28];
        b[0] = 10;
        b[3] = 22;
        b[23] = 1;
        b[24] = 9;
        let full = parse_in6(&b).unwrap();
        assert_eq!(
            full,
            InetAddr::V6 {
                addr: {
                    let mut a = [0; 16];
                    a[15] = 1;
                    a
                },
                port: 22,
                flow_info: 0,
                scope_id: 9
            }
        );
        let InetAddr::V6 { scope_id, .. } = parse_in6(&b[..24]).unwrap() else { panic!() };
        assert_eq!(scope_id, 0);
        assert_eq!(parse_in6(&b[..23]), Err(InetAddrError::TooShort));
        b[0] = 2;
        assert_eq!(parse_in6(&b), Err(InetAddrError::WrongFamily));
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(a) = parse_in(&bytes, true) {
                let (e, n) = encode_inet(&a);
                prop_assert_eq!(parse_in(&e[..n], false), Ok(a));
            }
            if let Ok(a) = parse_in6(&bytes) {
                let (e, n) = encode_inet(&a);
                prop_assert_eq!(parse_in6(&e[..n]), Ok(a));
            }
        }
    }
}
