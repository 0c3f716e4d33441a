//! The socket calls' argument rules, checked against a fake core that has
//! no sockets: what the personality refuses before it reaches the core.

mod fake_core;

use fake_core::FakeCore;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

const SOCKET: u64 = 41;
const SOCKETPAIR: u64 = 53;
const AF_UNIX: u64 = 1;
const AF_INET: u64 = 2;
const AF_INET6: u64 = 10;
const AF_PACKET: u64 = 17;

#[test]
fn other_families_are_eafnosupport_with_one_log_line() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(SOCKET, [AF_PACKET, 3, 0, 0, 0, 0])), 97, "AF_PACKET: EAFNOSUPPORT, not ENOSYS");
    assert_eq!(k.log.len(), 1, "one line naming the call: {:?}", k.log);
    assert!(k.log[0].contains("socket") && k.log[0].contains("family 17"), "{:?}", k.log);
    assert_eq!(errno(k.syscall(SOCKETPAIR, [AF_PACKET, 1, 0, 0, 0, 0])), 97, "AF_PACKET socketpair");
    assert_eq!(errno(k.syscall(SOCKET, [4000, 1, 0, 0, 0, 0])), 97, "past AF_MAX");
}

#[test]
fn internet_sockets_reach_the_core_with_their_protocol_checked() {
    let mut k = FakeCore::new();
    // The fake core has no sockets: reaching it is EOPNOTSUPP.
    assert_eq!(errno(k.syscall(SOCKET, [AF_INET, 1, 0, 0, 0, 0])), 95, "TCP, protocol 0");
    assert_eq!(errno(k.syscall(SOCKET, [AF_INET6, 1, 6, 0, 0, 0])), 95, "TCP, IPPROTO_TCP");
    assert_eq!(errno(k.syscall(SOCKET, [AF_INET6, 2, 17, 0, 0, 0])), 95, "UDP, IPPROTO_UDP");
    assert!(k.log.is_empty(), "{:?}", k.log);
    assert_eq!(errno(k.syscall(SOCKET, [AF_INET, 1, 17, 0, 0, 0])), 93, "a stream of UDP: EPROTONOSUPPORT");
    assert_eq!(errno(k.syscall(SOCKET, [AF_INET, 5, 0, 0, 0, 0])), 94, "SOCK_SEQPACKET: ESOCKTNOSUPPORT");
    let logged = k.log.len();
    assert_eq!(errno(k.syscall(SOCKET, [AF_INET, 3, 1, 0, 0, 0])), 1, "raw ICMP as uid 1000: EPERM");
    assert_eq!(k.log.len(), logged, "EPERM is not logged: {:?}", k.log);
    k.creds = kernel_ops::Credentials::ROOT;
    assert_eq!(errno(k.syscall(SOCKET, [AF_INET, 3, 17, 0, 0, 0])), 93, "raw UDP: EPROTONOSUPPORT");
    assert!(k.log.iter().any(|l| l.contains("raw Internet socket of protocol 17")), "{:?}", k.log);
    assert_eq!(errno(k.syscall(SOCKETPAIR, [AF_INET6, 1, 0, 0, 0, 0])), 95, "no Internet socket pairs: EOPNOTSUPP");
}

#[test]
fn types_flags_and_protocols_as_linux_checks_them() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(SOCKET, [AF_UNIX, 1 | 0x10, 0, 0, 0, 0])), 22, "an unknown flag bit: EINVAL");
    assert_eq!(errno(k.syscall(SOCKET, [AF_UNIX, 11, 0, 0, 0, 0])), 22, "a type at SOCK_MAX: EINVAL");
    assert_eq!(errno(k.syscall(SOCKET, [AF_UNIX, 4, 0, 0, 0, 0])), 94, "SOCK_RDM: ESOCKTNOSUPPORT");
    assert_eq!(errno(k.syscall(SOCKET, [AF_UNIX, 1, 6, 0, 0, 0])), 93, "a protocol: EPROTONOSUPPORT");
    // A valid request reaches the core (which has no sockets here).
    assert_eq!(errno(k.syscall(SOCKET, [AF_UNIX, 1 | 0o4000 | 0o2000000, 0, 0, 0, 0])), 95);
}
