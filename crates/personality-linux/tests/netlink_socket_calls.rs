//! The socket calls on netlink sockets (AF_NETLINK, NETLINK_ROUTE): which
//! types and protocols reach the core, how sockaddr_nl becomes the core's
//! address (and which errno a bad one gets), how names are written back,
//! and how SOL_NETLINK options reach the core.

mod fake_core;

use fake_core::{FakeCore, SocketCall, MEM_BASE};
use kernel_ops::{SocketAddress, SocketFamily, SocketKind, SocketSetting};

const SOCKET: u64 = 41;
const CONNECT: u64 = 42;
const SENDTO: u64 = 44;
const RECVFROM: u64 = 45;
const BIND: u64 = 49;
const GETSOCKNAME: u64 = 51;
const SOCKETPAIR: u64 = 53;
const SETSOCKOPT: u64 = 54;
const GETSOCKOPT: u64 = 55;

const EINVAL: i64 = 22;
const ENOPROTOOPT: i64 = 92;
const EPROTONOSUPPORT: i64 = 93;
const ESOCKTNOSUPPORT: i64 = 94;
const EOPNOTSUPP: i64 = 95;

const AF_NETLINK: u64 = 16;
const SOCK_STREAM: u64 = 1;
const SOCK_DGRAM: u64 = 2;
const SOCK_RAW: u64 = 3;
const SOCK_CLOEXEC: u64 = 0o2000000;
const SOL_SOCKET: u64 = 1;
const SOL_NETLINK: u64 = 270;
const NETLINK_EXT_ACK: u64 = 11;
const MSG_TRUNC: u64 = 0x20;
const SOCK: u64 = 5;
const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x200;
const C: u64 = MEM_BASE + 0x400;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn core() -> FakeCore {
    let mut k = FakeCore::new();
    k.ipc_state.sockets.push((SOCK as i32, SocketKind::Datagram));
    k.ipc_state.families.push((SOCK as i32, SocketFamily::Netlink));
    k
}

fn nl(family: u16, pid: u32, groups: u32) -> Vec<u8> {
    let mut b = family.to_le_bytes().to_vec();
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&pid.to_le_bytes());
    b.extend_from_slice(&groups.to_le_bytes());
    b
}

fn u32_at(k: &FakeCore, at: u64) -> u32 {
    u32::from_le_bytes(k.get(at, 4).try_into().unwrap())
}

#[test]
fn route_sockets_reach_the_core_and_other_protocols_are_refused_with_one_log_line() {
    let mut k = FakeCore::new();
    // The fake core makes no sockets: reaching it is EOPNOTSUPP.
    assert_eq!(errno(k.syscall(SOCKET, [AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0, 0, 0, 0])), EOPNOTSUPP);
    assert_eq!(errno(k.syscall(SOCKET, [AF_NETLINK, SOCK_DGRAM, 0, 0, 0, 0])), EOPNOTSUPP);
    assert!(k.log.is_empty(), "{:?}", k.log);
    assert_eq!(errno(k.syscall(SOCKET, [AF_NETLINK, SOCK_STREAM, 0, 0, 0, 0])), ESOCKTNOSUPPORT);
    assert_eq!(errno(k.syscall(SOCKET, [AF_NETLINK, SOCK_RAW, 9, 0, 0, 0])), EPROTONOSUPPORT, "NETLINK_AUDIT");
    assert_eq!(k.log.len(), 1, "{:?}", k.log);
    assert!(k.log[0].contains("NETLINK_AUDIT") && k.log[0].contains("(9;"), "{:?}", k.log);
    assert_eq!(errno(k.syscall(SOCKET, [AF_NETLINK, SOCK_RAW, 32, 0, 0, 0])), EPROTONOSUPPORT, "past MAX_LINKS");
    assert_eq!(k.log.len(), 1, "no protocol at all: no log line");
    assert_eq!(errno(k.syscall(SOCKETPAIR, [AF_NETLINK, SOCK_RAW, 0, A, 0, 0])), EOPNOTSUPP, "no netlink pairs");
}

#[test]
fn sockaddr_nl_is_checked_as_linux_checks_it() {
    let mut k = core();
    k.put(A, &nl(16, 0, 0x11));
    assert_eq!(k.syscall(BIND, [SOCK, A, 12, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(BIND, [SOCK, A, 11, 0, 0, 0])), EINVAL, "shorter than sockaddr_nl");
    k.put(B, &nl(2, 0, 0));
    assert_eq!(errno(k.syscall(BIND, [SOCK, B, 12, 0, 0, 0])), EINVAL, "AF_INET on a netlink socket");
    k.put(C, &nl(0, 0, 0));
    assert_eq!(k.syscall(CONNECT, [SOCK, C, 12, 0, 0, 0]), 0, "AF_UNSPEC: back to the kernel");
    k.put(C, &nl(16, 0, 0));
    assert_eq!(k.syscall(CONNECT, [SOCK, C, 12, 0, 0, 0]), 0);
    k.put(B + 0x40, b"hello");
    assert_eq!(k.syscall(SENDTO, [SOCK, B + 0x40, 5, 0, C, 12]), 5);
    assert_eq!(errno(k.syscall(SENDTO, [SOCK, B + 0x40, 5, 0, C, 8])), EINVAL, "a short destination");
    let kernel = SocketAddress::Netlink { port: 0, groups: 0 };
    assert_eq!(k.ipc_state.socket_calls[0], SocketCall::Bind(5, SocketAddress::Netlink { port: 0, groups: 0x11 }));
    assert_eq!(k.ipc_state.socket_calls[1], SocketCall::Connect(5, None, false));
    assert_eq!(k.ipc_state.socket_calls[2], SocketCall::Connect(5, Some(kernel.clone()), false));
    match &k.ipc_state.socket_calls[3] {
        SocketCall::Send { bytes, to, .. } => {
            assert_eq!(bytes, b"hello");
            assert_eq!(to.as_ref(), Some(&kernel));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(k.ipc_state.socket_calls.len(), 4, "refused calls never reach the core");
}

#[test]
fn names_and_sources_are_written_as_sockaddr_nl() {
    let mut k = core();
    k.ipc_state.address = SocketAddress::Netlink { port: 4242, groups: 3 };
    k.put(B, &64u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKNAME, [SOCK, A, B, 0, 0, 0]), 0);
    assert_eq!(u32_at(&k, B), 12);
    assert_eq!(k.get(A, 12), nl(16, 4242, 3));
    // A datagram longer than the buffer: MSG_TRUNC returns its length,
    // the source is the kernel's port 0.
    k.ipc_state.incoming = vec![7; 40];
    k.ipc_state.received.from = Some(SocketAddress::Netlink { port: 0, groups: 0 });
    k.put(B, &64u32.to_le_bytes());
    assert_eq!(k.syscall(RECVFROM, [SOCK, C, 16, MSG_TRUNC, A, B]), 40);
    assert_eq!(u32_at(&k, B), 12);
    assert_eq!(k.get(A, 12), nl(16, 0, 0));
}

#[test]
fn sol_netlink_options_reach_the_core_by_linux_number() {
    let mut k = core();
    k.put(A, &1u32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_NETLINK, NETLINK_EXT_ACK, A, 4, 0]), 0);
    // Shorter than an int: Linux takes 0 and lets the option judge it.
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_NETLINK, NETLINK_EXT_ACK, A, 2, 0]), 0);
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, 6, 1, A, 4, 0])), ENOPROTOOPT, "another level");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_NETLINK, 11, A, u64::MAX, 0])), EINVAL, "negative length");
    assert_eq!(
        k.ipc_state.socket_calls,
        vec![
            SocketCall::Setting(5, SocketSetting::Netlink { option: 11, value: 1 }),
            SocketCall::Setting(5, SocketSetting::Netlink { option: 11, value: 0 }),
        ]
    );
    k.ipc_state.netlink_options = vec![(11, 1)];
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_NETLINK, NETLINK_EXT_ACK, C, B, 0]), 0);
    assert_eq!((u32_at(&k, C), u32_at(&k, B)), (1, 4));
    k.put(B, &2u32.to_le_bytes());
    assert_eq!(errno(k.syscall(GETSOCKOPT, [SOCK, SOL_NETLINK, NETLINK_EXT_ACK, C, B, 0])), EINVAL, "short");
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(errno(k.syscall(GETSOCKOPT, [SOCK, SOL_NETLINK, 99, C, B, 0])), ENOPROTOOPT, "unknown");
    // SOL_SOCKET is the core's, as on any socket.
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 39, C, B, 0]), 0, "SO_DOMAIN");
    assert_eq!(u32_at(&k, C), 16);
}

#[test]
fn a_raw_netlink_socket_says_so() {
    let mut k = FakeCore::new();
    k.ipc_state.sockets.push((SOCK as i32, SocketKind::Raw));
    k.ipc_state.families.push((SOCK as i32, SocketFamily::Netlink));
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 3, C, B, 0]), 0, "SO_TYPE");
    assert_eq!(u32_at(&k, C), SOCK_RAW as u32);
}
