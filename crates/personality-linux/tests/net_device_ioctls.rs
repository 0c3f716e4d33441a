//! The network-interface ioctls against a fake core: which sockets answer
//! which requests (and the errno otherwise), what SIOCGIFCONF writes in
//! the caller's buffer, and that nothing can change an interface.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{InterfaceFlags, InterfaceRecord, NetworkRecord, SocketFamily, SocketKind};
use linux_abi::net_device::*;

const IOCTL: u64 = 16;
const EPERM: i64 = 1;
const ENODEV: i64 = 19;
const ENOTTY: i64 = 25;
const INET: i32 = 5;
const UNIX: i32 = 6;
const INET6: i32 = 7;
const FILE: i32 = 3;
const IFR: u64 = MEM_BASE;
const IFC: u64 = MEM_BASE + 0x100;
const LIST: u64 = MEM_BASE + 0x200;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn core(network: Option<NetworkRecord>) -> FakeCore {
    let mut k = FakeCore::new();
    for (fd, family) in [(INET, SocketFamily::Inet4), (UNIX, SocketFamily::Local), (INET6, SocketFamily::Inet6)] {
        k.ipc_state.sockets.push((fd, SocketKind::Datagram));
        k.ipc_state.families.push((fd, family));
    }
    k.ipc_state.network = network;
    k
}

fn network() -> NetworkRecord {
    NetworkRecord {
        interfaces: vec![
            InterfaceRecord {
                index: 1,
                name: b"lo".to_vec(),
                flags: InterfaceFlags { up: true, running: true, loopback: true, ..Default::default() },
                mtu: 65535,
                addresses: vec![("127.0.0.1".parse().unwrap(), 8)],
                ..Default::default()
            },
            InterfaceRecord {
                index: 2,
                name: b"eth0".to_vec(),
                flags: InterfaceFlags { up: true, broadcast: true, multicast: true, ..Default::default() },
                mtu: 1500,
                mac: Some([2, 0, 0, 0, 0, 1]),
                addresses: vec![("10.0.2.15".parse().unwrap(), 24), ("10.0.3.15".parse().unwrap(), 24)],
                ..Default::default()
            },
        ],
        routes: vec![],
    }
}

fn ioctl(k: &mut FakeCore, fd: i32, request: u32, arg: u64) -> u64 {
    k.syscall(IOCTL, [fd as u64, u64::from(request), arg, 0, 0, 0])
}

fn put_ifreq(k: &mut FakeCore, name: &[u8]) {
    let mut ifr = [0u8; IFREQ_SIZE];
    ifr[..name.len()].copy_from_slice(name);
    k.put(IFR, &ifr);
}

#[test]
fn interface_requests_work_on_every_socket_address_requests_on_inet_only() {
    let mut k = core(Some(network()));
    for fd in [INET, UNIX, INET6] {
        put_ifreq(&mut k, b"lo");
        assert_eq!(ioctl(&mut k, fd, SIOCGIFFLAGS, IFR), 0);
        assert_eq!(k.get(IFR + 16, 2), [0x49, 0]);
        put_ifreq(&mut k, b"eth0");
        assert_eq!(ioctl(&mut k, fd, SIOCGIFINDEX, IFR), 0);
        assert_eq!(k.get(IFR + 16, 4), [2, 0, 0, 0]);
    }
    put_ifreq(&mut k, b"eth0");
    assert_eq!(ioctl(&mut k, INET, SIOCGIFADDR, IFR), 0);
    assert_eq!(k.get(IFR + 16, 8), [2, 0, 0, 0, 10, 0, 2, 15]);
    for fd in [UNIX, INET6] {
        assert_eq!(errno(ioctl(&mut k, fd, SIOCGIFADDR, IFR)), ENOTTY);
    }
    put_ifreq(&mut k, b"eth9");
    assert_eq!(errno(ioctl(&mut k, INET, SIOCGIFADDR, IFR)), ENODEV);
    assert_eq!(errno(ioctl(&mut k, UNIX, SIOCGIFMTU, IFR)), ENODEV);
    // A file that is not a socket has no such request.
    assert_eq!(errno(ioctl(&mut k, FILE, SIOCGIFMTU, IFR)), ENOTTY);
}

#[test]
fn without_a_network_server_there_are_no_interfaces() {
    let mut k = core(None);
    put_ifreq(&mut k, b"lo");
    assert_eq!(errno(ioctl(&mut k, INET, SIOCGIFFLAGS, IFR)), ENODEV);
    k.put(IFC, &[0u8; IFCONF_SIZE]);
    assert_eq!(ioctl(&mut k, UNIX, SIOCGIFCONF, IFC), 0);
    assert_eq!(k.get(IFC, 4), [0; 4]);
}

#[test]
fn ifconf_gives_its_length_then_whole_entries() {
    let mut k = core(Some(network()));
    k.put(IFC, &[0u8; IFCONF_SIZE]);
    assert_eq!(ioctl(&mut k, UNIX, SIOCGIFCONF, IFC), 0);
    assert_eq!(k.get(IFC, 4), (3 * IFREQ_SIZE as i32).to_le_bytes(), "lo, and eth0's two addresses");
    let mut ifc = [0u8; IFCONF_SIZE];
    ifc[..4].copy_from_slice(&(2 * IFREQ_SIZE as i32 + 39).to_le_bytes());
    ifc[8..].copy_from_slice(&LIST.to_le_bytes());
    k.put(IFC, &ifc);
    k.put(LIST + 2 * IFREQ_SIZE as u64, &[0xee; IFREQ_SIZE]);
    assert_eq!(ioctl(&mut k, INET, SIOCGIFCONF, IFC), 0);
    assert_eq!(k.get(IFC, 4), (2 * IFREQ_SIZE as i32).to_le_bytes());
    assert_eq!(&k.get(LIST, 3), b"lo\0");
    assert_eq!(k.get(LIST + 16, 8), [2, 0, 0, 0, 127, 0, 0, 1]);
    assert_eq!(&k.get(LIST + IFREQ_SIZE as u64, 5), b"eth0\0");
    assert_eq!(k.get(LIST + 2 * IFREQ_SIZE as u64, 1), [0xee], "nothing past the whole entries");
    // A buffer outside the caller's memory is EFAULT, not a crash.
    ifc[8..].copy_from_slice(&8u64.to_le_bytes());
    k.put(IFC, &ifc);
    assert_eq!(errno(ioctl(&mut k, INET, SIOCGIFCONF, IFC)), 14);
}

#[test]
fn changes_are_eperm_and_logged() {
    let mut k = core(Some(network()));
    put_ifreq(&mut k, b"lo");
    for request in [SIOCSIFFLAGS, SIOCSIFMTU, SIOCSIFADDR, SIOCADDRT, SIOCSIFHWADDR] {
        assert_eq!(errno(ioctl(&mut k, INET, request, IFR)), EPERM, "{request:#x}");
    }
    // The IPv4 address changes are AF_INET requests: ENOTTY elsewhere.
    assert_eq!(errno(ioctl(&mut k, UNIX, SIOCSIFADDR, IFR)), ENOTTY);
    assert_eq!(errno(ioctl(&mut k, UNIX, SIOCSIFFLAGS, IFR)), EPERM);
    assert!(k.log.iter().any(|l| l.contains("changing network interfaces")));
}
