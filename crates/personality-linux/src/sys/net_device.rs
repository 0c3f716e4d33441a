//! The network-interface ioctls (SIOCGIF*), as Linux answers them on a
//! socket: the interface ones on a socket of any family (sock_do_ioctl
//! hands requests the family does not know to dev_ioctl, and SIOCGIFCONF
//! to dev_ifconf), the IPv4 address ones (SIOCGIFADDR, NETMASK, BRDADDR,
//! DSTADDR) only on an AF_INET socket (devinet_ioctl): elsewhere ENOTTY,
//! as Linux. The figures are the network server's (`network_interfaces`).
//!
//! Nothing here can change an interface: there is no CAP_NET_ADMIN to
//! hold, so every SET request is EPERM (logged once per kind of request
//! by the core).

use kernel_ops::{Error, KResult, KernelOps, NetworkRecord, SocketFamily};
use linux_abi::net_device::*;
use linux_abi::socket::AF_INET;

use crate::util::read_bytes;

/// The requests this file answers (None: not an interface request, let
/// the other ioctl handlers try).
pub fn ioctl(ops: &mut dyn KernelOps, fd: i32, req: u32, arg: u64) -> Option<KResult<u64>> {
    let kind = Kind::of(req)?;
    Some(run(ops, fd, req, kind, arg))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Answered on any socket.
    Interface,
    /// IPv4 address requests: AF_INET sockets only.
    Address,
    /// Changes an interface or the routes.
    Change { inet_only: bool },
}

impl Kind {
    fn of(req: u32) -> Option<Kind> {
        Some(match req {
            SIOCGIFCONF | SIOCGIFNAME | SIOCGIFINDEX | SIOCGIFFLAGS | SIOCGIFMTU | SIOCGIFHWADDR | SIOCGIFTXQLEN
            | SIOCGIFMETRIC => Kind::Interface,
            SIOCGIFADDR | SIOCGIFNETMASK | SIOCGIFBRDADDR | SIOCGIFDSTADDR => Kind::Address,
            SIOCSIFADDR | SIOCSIFNETMASK | SIOCSIFBRDADDR | SIOCSIFDSTADDR | SIOCDIFADDR => {
                Kind::Change { inet_only: true }
            }
            SIOCSIFFLAGS | SIOCSIFMTU | SIOCSIFHWADDR | SIOCSIFTXQLEN | SIOCSIFNAME | SIOCSIFMETRIC
            | SIOCSIFHWBROADCAST | SIOCADDMULTI | SIOCDELMULTI | SIOCSIFLINK | SIOCADDRT | SIOCDELRT => {
                Kind::Change { inet_only: false }
            }
            _ => return None,
        })
    }
}

fn run(ops: &mut dyn KernelOps, fd: i32, req: u32, kind: Kind, arg: u64) -> KResult<u64> {
    let family = match ops.socket_info(fd) {
        Ok(info) => info.family,
        // Not a socket: no such request for this file.
        Err(Error::NotASocket) => return Err(Error::NotATerminal),
        Err(e) => return Err(e),
    };
    let inet = family == SocketFamily::Inet4;
    match kind {
        Kind::Address | Kind::Change { inet_only: true } if !inet => Err(Error::NotATerminal),
        Kind::Change { .. } => {
            // Linux copies the request in before it checks the caller's
            // capability: a bad pointer is EFAULT, not EPERM.
            let size = if matches!(req, SIOCADDRT | SIOCDELRT) { RTENTRY_SIZE } else { IFREQ_SIZE };
            let mut request = alloc::vec![0u8; size];
            ops.copy_in(arg, &mut request)?;
            ops.log_unsupported(format_args!("linux: changing network interfaces or routes (ioctl {req:#x})"));
            Err(Error::NotPermitted)
        }
        _ if req == SIOCGIFCONF => ifconf(ops, arg),
        _ => {
            let mut ifr = read_bytes::<IFREQ_SIZE>(ops, arg)?;
            let net = network(ops)?;
            answer(&net, req, &mut ifr)?;
            ops.copy_out(arg, &ifr).map(|_| 0)
        }
    }
}

/// The interfaces; with no network server there are none.
fn network(ops: &mut dyn KernelOps) -> KResult<NetworkRecord> {
    match ops.network_interfaces() {
        Err(Error::NetworkDown) => Ok(NetworkRecord::default()),
        other => other,
    }
}

/// The name an ifreq carries: up to its first zero, at most 15 bytes
/// (Linux forces a zero into the last byte).
fn name_of(ifr: &[u8; IFREQ_SIZE]) -> &[u8] {
    let name = &ifr[..IFNAMSIZ - 1];
    &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())]
}

fn put_i32(ifr: &mut [u8; IFREQ_SIZE], v: i32) {
    ifr[IFREQ_UNION_OFFSET..IFREQ_UNION_OFFSET + 4].copy_from_slice(&v.to_le_bytes());
}

/// A sockaddr_in (16 bytes) for `addr`, port 0.
fn sockaddr_in(addr: [u8; 4]) -> [u8; 16] {
    let mut s = [0u8; 16];
    s[..2].copy_from_slice(&(AF_INET as u16).to_le_bytes());
    s[4..8].copy_from_slice(&addr);
    s
}

fn mask(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0)
}

/// Linux's ifr_flags for an interface.
pub fn linux_flags(f: &kernel_ops::InterfaceFlags) -> u32 {
    let mut v = 0;
    for (on, bit) in [
        (f.up, IFF_UP),
        (f.running, IFF_RUNNING),
        (f.loopback, IFF_LOOPBACK),
        (f.broadcast, IFF_BROADCAST),
        (f.multicast, IFF_MULTICAST),
    ] {
        if on {
            v |= bit;
        }
    }
    v
}

/// Fills in the answer to `req` in `ifr` (pure, so host-tested).
fn answer(net: &NetworkRecord, req: u32, ifr: &mut [u8; IFREQ_SIZE]) -> KResult<()> {
    if req == SIOCGIFNAME {
        let index = i32::from_le_bytes(ifr[16..20].try_into().expect("4 bytes"));
        let iface = u32::try_from(index).ok().and_then(|i| net.by_index(i)).ok_or(Error::NoDevice)?;
        ifr[..IFNAMSIZ].fill(0);
        let n = iface.name.len().min(IFNAMSIZ - 1);
        ifr[..n].copy_from_slice(&iface.name[..n]);
        return Ok(());
    }
    let iface = net.by_name(name_of(ifr)).ok_or(Error::NoDevice)?;
    let union = &mut ifr[IFREQ_UNION_OFFSET..];
    match req {
        SIOCGIFINDEX => put_i32(ifr, iface.index as i32),
        // A short: only the low 16 bits travel.
        SIOCGIFFLAGS => union[..2].copy_from_slice(&(linux_flags(&iface.flags) as u16).to_le_bytes()),
        SIOCGIFMTU => put_i32(ifr, iface.mtu.min(i32::MAX as u32) as i32),
        SIOCGIFTXQLEN => put_i32(ifr, iface.tx_queue_length.min(i32::MAX as u32) as i32),
        // No route metrics are kept: Linux's default, 0.
        SIOCGIFMETRIC => put_i32(ifr, 0),
        SIOCGIFHWADDR => {
            let (family, mac) = match iface.mac {
                Some(mac) => (ARPHRD_ETHER, mac),
                None => (ARPHRD_LOOPBACK, [0; 6]),
            };
            union[..16].fill(0);
            union[..2].copy_from_slice(&family.to_le_bytes());
            union[2..8].copy_from_slice(&mac);
        }
        SIOCGIFADDR | SIOCGIFNETMASK | SIOCGIFBRDADDR | SIOCGIFDSTADDR => {
            // Linux answers with the interface's first IPv4 address.
            let (addr, prefix) = iface
                .addresses
                .iter()
                .find_map(|(a, p)| match a {
                    core::net::IpAddr::V4(v4) => Some((u32::from(*v4), *p)),
                    _ => None,
                })
                .ok_or(Error::AddressNotAvailable)?;
            let value = match req {
                SIOCGIFNETMASK => mask(prefix),
                // Broadcast: the network's last address, on a link that
                // has broadcast and a network wider than a point-to-point
                // /31; none on loopback.
                SIOCGIFBRDADDR if iface.flags.broadcast && prefix < 31 => addr | !mask(prefix),
                SIOCGIFBRDADDR => 0,
                // Not a point-to-point link: the peer is the address.
                _ => addr,
            };
            union[..16].copy_from_slice(&sockaddr_in(value.to_be_bytes()));
        }
        _ => return Err(Error::NotATerminal),
    }
    Ok(())
}

/// One ifreq per IPv4 address, named by its interface, as Linux's
/// inet_gifconf lists them.
fn gifconf_entries(net: &NetworkRecord) -> alloc::vec::Vec<[u8; IFREQ_SIZE]> {
    let mut out = alloc::vec::Vec::new();
    for iface in &net.interfaces {
        for (address, _) in &iface.addresses {
            let core::net::IpAddr::V4(v4) = address else { continue };
            let mut ifr = [0u8; IFREQ_SIZE];
            let n = iface.name.len().min(IFNAMSIZ - 1);
            ifr[..n].copy_from_slice(&iface.name[..n]);
            ifr[IFREQ_UNION_OFFSET..IFREQ_UNION_OFFSET + 16].copy_from_slice(&sockaddr_in(v4.octets()));
            out.push(ifr);
        }
    }
    out
}

/// SIOCGIFCONF: with no buffer, the length the list needs; otherwise as
/// many whole entries as `ifc_len` holds, and `ifc_len` set to their
/// length.
fn ifconf(ops: &mut dyn KernelOps, arg: u64) -> KResult<u64> {
    let mut ifc = read_bytes::<IFCONF_SIZE>(ops, arg)?;
    let len = i32::from_le_bytes(ifc[..4].try_into().expect("4 bytes")).max(0) as usize;
    let buf = u64::from_le_bytes(ifc[IFCONF_BUF_OFFSET..].try_into().expect("8 bytes"));
    let entries = gifconf_entries(&network(ops)?);
    let used = if buf == 0 {
        entries.len() * IFREQ_SIZE
    } else {
        let fit = entries.len().min(len / IFREQ_SIZE);
        for (i, e) in entries.iter().take(fit).enumerate() {
            ops.copy_out(buf.checked_add((i * IFREQ_SIZE) as u64).ok_or(Error::Fault)?, e)?;
        }
        fit * IFREQ_SIZE
    };
    ifc[..4].copy_from_slice(&(used.min(i32::MAX as usize) as i32).to_le_bytes());
    ops.copy_out(arg, &ifc[..4]).map(|_| 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use kernel_ops::{InterfaceFlags, InterfaceRecord};

    fn net() -> NetworkRecord {
        NetworkRecord {
            interfaces: vec![
                InterfaceRecord {
                    index: 1,
                    name: b"lo".to_vec(),
                    flags: InterfaceFlags { up: true, running: true, loopback: true, ..Default::default() },
                    mtu: 65535,
                    tx_queue_length: 4096,
                    mac: None,
                    addresses: vec![("127.0.0.1".parse().unwrap(), 8), ("::1".parse().unwrap(), 128)],
                    ..Default::default()
                },
                InterfaceRecord {
                    index: 2,
                    name: b"eth0".to_vec(),
                    flags: InterfaceFlags {
                        up: true,
                        running: true,
                        broadcast: true,
                        multicast: true,
                        loopback: false,
                    },
                    mtu: 1500,
                    mac: Some([0x52, 0x54, 0, 0x12, 0x34, 0x56]),
                    addresses: vec![("fe80::1".parse().unwrap(), 64), ("10.0.2.15".parse().unwrap(), 24)],
                    ..Default::default()
                },
            ],
            routes: vec![],
        }
    }

    fn ifreq(name: &[u8]) -> [u8; IFREQ_SIZE] {
        let mut ifr = [0xaa; IFREQ_SIZE];
        ifr[..IFNAMSIZ].fill(0);
        ifr[..name.len()].copy_from_slice(name);
        ifr
    }

    fn ask(req: u32, name: &[u8]) -> KResult<[u8; IFREQ_SIZE]> {
        let mut ifr = ifreq(name);
        answer(&net(), req, &mut ifr).map(|_| ifr)
    }

    #[test]
    fn the_answers_are_linuxs_bytes() {
        // The bytes Linux 6.18 gave for lo on the build host, but for the MTU.
        assert_eq!(&ask(SIOCGIFFLAGS, b"lo").unwrap()[16..18], &[0x49, 0]);
        assert_eq!(&ask(SIOCGIFINDEX, b"lo").unwrap()[16..20], &[1, 0, 0, 0]);
        assert_eq!(&ask(SIOCGIFHWADDR, b"lo").unwrap()[16..32], &[4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&ask(SIOCGIFADDR, b"lo").unwrap()[16..32], &sockaddr_in([127, 0, 0, 1]));
        assert_eq!(&ask(SIOCGIFNETMASK, b"lo").unwrap()[16..32], &sockaddr_in([255, 0, 0, 0]));
        assert_eq!(&ask(SIOCGIFBRDADDR, b"lo").unwrap()[16..32], &sockaddr_in([0; 4]));
        assert_eq!(&ask(SIOCGIFDSTADDR, b"lo").unwrap()[16..32], &sockaddr_in([127, 0, 0, 1]));
        assert_eq!(&ask(SIOCGIFMTU, b"lo").unwrap()[16..20], &65535i32.to_le_bytes());
        assert_eq!(&ask(SIOCGIFTXQLEN, b"lo").unwrap()[16..20], &4096i32.to_le_bytes());
        // The rest of the union is left as the caller had it.
        assert_eq!(ask(SIOCGIFFLAGS, b"lo").unwrap()[18], 0xaa);
    }

    #[test]
    fn ethernet_has_its_mac_broadcast_and_first_ipv4_address() {
        let flags = u16::from_le_bytes(ask(SIOCGIFFLAGS, b"eth0").unwrap()[16..18].try_into().unwrap());
        assert_eq!(u32::from(flags), IFF_UP | IFF_RUNNING | IFF_BROADCAST | IFF_MULTICAST);
        assert_eq!(&ask(SIOCGIFHWADDR, b"eth0").unwrap()[16..24], &[1, 0, 0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        assert_eq!(&ask(SIOCGIFADDR, b"eth0").unwrap()[16..32], &sockaddr_in([10, 0, 2, 15]));
        assert_eq!(&ask(SIOCGIFBRDADDR, b"eth0").unwrap()[16..32], &sockaddr_in([10, 0, 2, 255]));
        assert_eq!(&ask(SIOCGIFNETMASK, b"eth0").unwrap()[16..32], &sockaddr_in([255, 255, 255, 0]));
    }

    #[test]
    fn names_and_indexes_agree_and_unknown_ones_are_enodev() {
        let mut ifr = [0u8; IFREQ_SIZE];
        ifr[16] = 2;
        answer(&net(), SIOCGIFNAME, &mut ifr).unwrap();
        assert_eq!(name_of(&ifr), b"eth0");
        ifr[16] = 3;
        assert_eq!(answer(&net(), SIOCGIFNAME, &mut ifr), Err(Error::NoDevice));
        ifr[16..20].copy_from_slice(&(-1i32).to_le_bytes());
        assert_eq!(answer(&net(), SIOCGIFNAME, &mut ifr), Err(Error::NoDevice));
        assert_eq!(ask(SIOCGIFFLAGS, b"nosuch0"), Err(Error::NoDevice));
        assert_eq!(ask(SIOCGIFADDR, b"nosuch0"), Err(Error::NoDevice));
        // A name filling all 16 bytes is cut at 15, as Linux does.
        assert_eq!(ask(SIOCGIFINDEX, b"lo\0\0\0\0\0\0\0\0\0\0\0\0\0x").map(|r| r[16]), Ok(1));
        assert_eq!(ask(SIOCGIFINDEX, b"0123456789abcdef"), Err(Error::NoDevice));
    }

    #[test]
    fn an_interface_without_ipv4_is_eaddrnotavail() {
        let mut n = net();
        n.interfaces[1].addresses.retain(|(a, _)| a.is_ipv6());
        let mut ifr = ifreq(b"eth0");
        assert_eq!(answer(&n, SIOCGIFADDR, &mut ifr), Err(Error::AddressNotAvailable));
        assert_eq!(gifconf_entries(&n).len(), 1, "only lo's 127.0.0.1");
    }

    #[test]
    fn gifconf_lists_ipv4_addresses() {
        let e = gifconf_entries(&net());
        assert_eq!(e.len(), 2);
        assert_eq!(name_of(&e[0]), b"lo");
        assert_eq!(&e[1][16..32], &sockaddr_in([10, 0, 2, 15]));
    }

    #[test]
    fn requests_are_sorted_into_kinds() {
        assert!(Kind::of(SIOCGIFCONF) == Some(Kind::Interface));
        assert!(Kind::of(SIOCGIFADDR) == Some(Kind::Address));
        assert!(Kind::of(SIOCSIFADDR) == Some(Kind::Change { inet_only: true }));
        assert!(Kind::of(SIOCSIFFLAGS) == Some(Kind::Change { inet_only: false }));
        assert!(Kind::of(linux_abi::ioctl::FIONREAD).is_none());
    }
}
