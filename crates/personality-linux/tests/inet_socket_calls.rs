//! The socket calls on Internet sockets the fake core has: how sockaddr_in
//! and sockaddr_in6 become the core's addresses (and which errno a bad one
//! gets), how names are written back, and how protocol options reach the
//! network server's options or the core's settings.

mod fake_core;

use fake_core::{FakeCore, SocketCall, MEM_BASE};
use kernel_ops::{InetAddress, InetOption, SocketAddress, SocketFamily, SocketKind, SocketSetting};

const CONNECT: u64 = 42;
const SENDTO: u64 = 44;
const BIND: u64 = 49;
const GETSOCKNAME: u64 = 51;
const SETSOCKOPT: u64 = 54;
const GETSOCKOPT: u64 = 55;
const SOCKETPAIR: u64 = 53;

const EACCES: i64 = 13;
const EINVAL: i64 = 22;
const ENOPROTOOPT: i64 = 92;
const EOPNOTSUPP: i64 = 95;
const EAFNOSUPPORT: i64 = 97;

const SOL_SOCKET: u64 = 1;
const IPPROTO_TCP: u64 = 6;
const IPPROTO_IPV6: u64 = 41;
const SOCK: u64 = 5;
const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x200;
const C: u64 = MEM_BASE + 0x400;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn core(family: SocketFamily, kind: SocketKind) -> FakeCore {
    let mut k = FakeCore::new();
    k.ipc_state.sockets.push((SOCK as i32, kind));
    k.ipc_state.families.push((SOCK as i32, family));
    k
}

fn sin(family: u16, port: u16, addr: [u8; 4]) -> Vec<u8> {
    let mut b = family.to_le_bytes().to_vec();
    b.extend_from_slice(&port.to_be_bytes());
    b.extend_from_slice(&addr);
    b.extend_from_slice(&[0; 8]);
    b
}

fn u32_at(k: &FakeCore, at: u64) -> u32 {
    u32::from_le_bytes(k.get(at, 4).try_into().unwrap())
}

#[test]
fn ports_below_1024_need_cap_net_bind_service() {
    let mut k = core(SocketFamily::Inet4, SocketKind::Stream);
    k.put(A, &sin(2, 80, [127, 0, 0, 1]));
    assert_eq!(errno(k.syscall(BIND, [SOCK, A, 16, 0, 0, 0])), EACCES, "uid 1000 binding port 80");
    k.put(A, &sin(2, 1024, [127, 0, 0, 1]));
    assert_eq!(k.syscall(BIND, [SOCK, A, 16, 0, 0, 0]), 0, "1024 is anyone's");
    k.creds = kernel_ops::Credentials::ROOT;
    k.put(A, &sin(2, 80, [127, 0, 0, 1]));
    assert_eq!(k.syscall(BIND, [SOCK, A, 16, 0, 0, 0]), 0, "root binding port 80");
}

#[test]
fn icmp_sockets_are_made_as_linux_makes_them() {
    const SOCKET: u64 = 41;
    const EPERM: i64 = 1;
    const EPROTONOSUPPORT: i64 = 93;
    let (inet, inet6, dgram, raw) = (2, 10, 2, 3);
    let mut k = FakeCore::new();
    // The fake core makes no sockets (EOPNOTSUPP) but records what it was
    // asked. Ping sockets: anyone (every group is in the ping group range).
    assert_eq!(errno(k.syscall(SOCKET, [inet, dgram, 1, 0, 0, 0])), EOPNOTSUPP, "AF_INET, SOCK_DGRAM, IPPROTO_ICMP");
    assert_eq!(errno(k.syscall(SOCKET, [inet6, dgram, 58, 0, 0, 0])), EOPNOTSUPP, "AF_INET6, SOCK_DGRAM, ICMPV6");
    assert_eq!(errno(k.syscall(SOCKET, [inet, dgram, 58, 0, 0, 0])), EPROTONOSUPPORT, "ICMPv6 over IPv4");
    assert_eq!(errno(k.syscall(SOCKET, [inet6, dgram, 1, 0, 0, 0])), EPROTONOSUPPORT, "ICMP over IPv6");
    // Raw sockets need CAP_NET_RAW, whatever the protocol; protocol 0 is none.
    assert_eq!(errno(k.syscall(SOCKET, [inet, raw, 0, 0, 0, 0])), EPROTONOSUPPORT, "raw protocol 0");
    for protocol in [1, 17, 255] {
        assert_eq!(errno(k.syscall(SOCKET, [inet, raw, protocol, 0, 0, 0])), EPERM, "uid 1000, raw {protocol}");
    }
    k.creds = kernel_ops::Credentials::ROOT;
    assert_eq!(errno(k.syscall(SOCKET, [inet, raw, 1, 0, 0, 0])), EOPNOTSUPP, "root, raw ICMP");
    assert_eq!(errno(k.syscall(SOCKET, [inet6, raw, 58, 0, 0, 0])), EOPNOTSUPP, "root, raw ICMPv6");
    // Only ICMP is served raw.
    assert_eq!(errno(k.syscall(SOCKET, [inet, raw, 17, 0, 0, 0])), EPROTONOSUPPORT, "root, raw UDP");
    assert_eq!(errno(k.syscall(SOCKET, [inet6, raw, 1, 0, 0, 0])), EPROTONOSUPPORT, "root, raw ICMP over IPv6");
    assert_eq!(
        k.ipc_state.socket_calls,
        vec![
            SocketCall::Create(SocketFamily::Inet4, SocketKind::Ping),
            SocketCall::Create(SocketFamily::Inet6, SocketKind::Ping),
            SocketCall::Create(SocketFamily::Inet4, SocketKind::Raw),
            SocketCall::Create(SocketFamily::Inet6, SocketKind::Raw),
        ]
    );
}

#[test]
fn icmp_socket_options() {
    const SOL_RAW: u64 = 255;
    const IPPROTO_IP: u64 = 0;
    let mut k = core(SocketFamily::Inet4, SocketKind::Raw);
    k.put(A, &2u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 3, A, B, 0]), 0, "SO_TYPE");
    // A is the value, B its length.
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 3, A, B, 0]), 0);
    assert_eq!(u32_at(&k, A), 3, "SOCK_RAW");
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 38, A, B, 0]), 0);
    assert_eq!(u32_at(&k, A), 1, "SO_PROTOCOL: IPPROTO_ICMP");
    k.put(A, &1u32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, IPPROTO_IP, 3, A, 4, 0]), 0, "IP_HDRINCL");
    k.put(A, &0x100u32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_RAW, 1, A, 4, 0]), 0, "ICMP_FILTER");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_RAW, 1, A, 3, 0])), EINVAL, "a short ICMP_FILTER");
    let settings = &k.ipc_state.socket_calls;
    let hdrincl = SocketSetting::Inet { option: InetOption::HeaderIncluded, value: 1 };
    assert!(settings.contains(&SocketCall::Setting(SOCK as i32, hdrincl)));
    let filter = SocketSetting::IcmpFilter([0x100, 0, 0, 0, 0, 0, 0, 0]);
    assert!(settings.contains(&SocketCall::Setting(SOCK as i32, filter)));
    // IP_HDRINCL is a raw socket's only.
    let mut k = core(SocketFamily::Inet4, SocketKind::Ping);
    k.put(A, &1u32.to_le_bytes());
    assert_eq!(
        errno(k.syscall(SETSOCKOPT, [SOCK, IPPROTO_IP, 3, A, 4, 0])),
        ENOPROTOOPT,
        "IP_HDRINCL on a ping socket"
    );
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 3, A, B, 0]), 0);
    assert_eq!(u32_at(&k, A), 2, "a ping socket is SOCK_DGRAM");
    // Identifiers are not ports: binding 7 needs no privilege.
    k.put(C, &sin(2, 7, [127, 0, 0, 1]));
    assert_eq!(k.syscall(BIND, [SOCK, C, 16, 0, 0, 0]), 0, "uid 1000 binding identifier 7");
}

#[test]
fn ipv4_addresses_are_checked_as_linux_checks_them() {
    let mut k = core(SocketFamily::Inet4, SocketKind::Stream);
    k.put(A, &sin(2, 8080, [127, 0, 0, 1]));
    assert_eq!(k.syscall(BIND, [SOCK, A, 16, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(BIND, [SOCK, A, 15, 0, 0, 0])), EINVAL, "shorter than sockaddr_in");
    k.put(B, &sin(10, 80, [0; 4]));
    assert_eq!(errno(k.syscall(BIND, [SOCK, B, 16, 0, 0, 0])), EAFNOSUPPORT, "AF_INET6 on an IPv4 socket");
    // AF_UNSPEC with INADDR_ANY binds (old programs do it); with another
    // address it is the wrong family.
    k.put(C, &sin(0, 7007, [0; 4]));
    assert_eq!(k.syscall(BIND, [SOCK, C, 16, 0, 0, 0]), 0);
    k.put(C, &sin(0, 7007, [1, 2, 3, 4]));
    assert_eq!(errno(k.syscall(BIND, [SOCK, C, 16, 0, 0, 0])), EAFNOSUPPORT);
    // connect: AF_UNSPEC dissolves the connection.
    k.put(C, &sin(0, 0, [0; 4]));
    assert_eq!(k.syscall(CONNECT, [SOCK, C, 16, 0, 0, 0]), 0);
    assert_eq!(k.syscall(CONNECT, [SOCK, A, 16, 0, 0, 0]), 0);
    let v4 = |port, addr| SocketAddress::Inet(InetAddress::V4 { addr, port });
    assert_eq!(
        k.ipc_state.socket_calls,
        vec![
            SocketCall::Bind(5, v4(8080, [127, 0, 0, 1])),
            SocketCall::Bind(5, v4(7007, [0; 4])),
            SocketCall::Connect(5, None, false),
            SocketCall::Connect(5, Some(v4(8080, [127, 0, 0, 1])), false),
        ]
    );
}

#[test]
fn ipv6_names_are_written_back_in_28_bytes() {
    let mut k = core(SocketFamily::Inet6, SocketKind::Datagram);
    let mut loopback = [0u8; 16];
    loopback[15] = 1;
    k.ipc_state.address = SocketAddress::Inet(InetAddress::V6 { addr: loopback, port: 53, flow_info: 0, scope_id: 0 });
    k.put(B, &64u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKNAME, [SOCK, A, B, 0, 0, 0]), 0);
    assert_eq!(u32_at(&k, B), 28);
    let got = k.get(A, 28);
    assert_eq!(&got[..4], &[10, 0, 0, 53]);
    assert_eq!(&got[8..24], &loopback);
    // A 24-byte (RFC 2133) address is still accepted; 23 is not.
    let mut sin6 = vec![10, 0, 0x23, 0x29];
    sin6.extend_from_slice(&[0; 4]);
    sin6.extend_from_slice(&loopback);
    k.put(C, &sin6);
    assert_eq!(k.syscall(BIND, [SOCK, C, 24, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(BIND, [SOCK, C, 23, 0, 0, 0])), EINVAL);
}

#[test]
fn descriptors_do_not_travel_on_internet_sockets() {
    let mut k = core(SocketFamily::Inet4, SocketKind::Datagram);
    k.put(A, b"hello");
    k.put(B, &sin(2, 9, [127, 0, 0, 1]));
    assert_eq!(k.syscall(SENDTO, [SOCK, A, 5, 0, B, 16]), 5);
    match k.ipc_state.socket_calls.last() {
        Some(SocketCall::Send { to, bytes, .. }) => {
            assert_eq!(to, &Some(SocketAddress::Inet(InetAddress::V4 { addr: [127, 0, 0, 1], port: 9 })));
            assert_eq!(bytes, b"hello");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(errno(k.syscall(SOCKETPAIR, [2, 1, 0, C, 0, 0])), EOPNOTSUPP, "no Internet socket pairs");
}

#[test]
fn protocol_options_reach_the_server_or_the_core() {
    let mut k = core(SocketFamily::Inet6, SocketKind::Stream);
    k.put(A, &1u32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, IPPROTO_TCP, 1, A, 4, 0]), 0, "TCP_NODELAY");
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 2, A, 4, 0]), 0, "SO_REUSEADDR");
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, IPPROTO_IPV6, 26, A, 4, 0]), 0, "IPV6_V6ONLY");
    k.put(A, &0u32.to_le_bytes());
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, IPPROTO_TCP, 4, A, 4, 0])), EINVAL, "TCP_KEEPIDLE 0");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, IPPROTO_TCP, 1, A, 2, 0])), EINVAL, "short TCP_NODELAY");
    k.put(A, &4096u32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 7, A, 4, 0]), 0, "SO_SNDBUF: the core's");
    let settings: Vec<_> = k
        .ipc_state
        .socket_calls
        .iter()
        .filter_map(|c| if let SocketCall::Setting(_, s) = c { Some(*s) } else { None })
        .collect();
    assert_eq!(
        settings,
        vec![
            SocketSetting::Inet { option: InetOption::NoDelay, value: 1 },
            SocketSetting::Inet { option: InetOption::ReuseAddress, value: 1 },
            SocketSetting::Inet { option: InetOption::V6Only, value: 1 },
            SocketSetting::SendBuffer(8192),
        ]
    );
    k.ipc_state.inet_options.push((InetOption::KeepAlive, 1));
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 9, A, B, 0]), 0, "SO_KEEPALIVE");
    assert_eq!(u32_at(&k, A), 1);
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 39, A, B, 0]), 0, "SO_DOMAIN");
    assert_eq!(u32_at(&k, A), 10);
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 38, A, B, 0]), 0, "SO_PROTOCOL");
    assert_eq!(u32_at(&k, A), 6);
    assert_eq!(errno(k.syscall(GETSOCKOPT, [SOCK, IPPROTO_TCP, 99, A, B, 0])), ENOPROTOOPT);
}
