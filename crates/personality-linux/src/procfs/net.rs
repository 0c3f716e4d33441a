//! /proc/net: dev, route, if_inet6, tcp, tcp6, udp, udp6, printed as
//! Linux prints them (net/core/net-procfs.c, net/ipv4/fib_trie.c,
//! net/ipv6/addrconf.c, net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c,
//! net/ipv4/udp.c, net/ipv6/datagram.c), because netstat, ifconfig, route,
//! ss's fallback and many scripts parse them by column.
//!
//! Addresses are printed as Linux prints a network-order word with %08X
//! on a little-endian machine: 127.0.0.1 is 0100007F. Ports are in host
//! order.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;
use core::net::IpAddr;
use kernel_ops::{InetAddress, InetSocketRecord, NetworkRecord, SocketFamily, SocketKind};

/// Linux pads each line of tcp to 149 columns, of udp and route to 127
/// (seq_setwidth/seq_pad); the IPv6 files are not padded.
const TCP_WIDTH: usize = 149;
const UDP_WIDTH: usize = 127;
const ROUTE_WIDTH: usize = 127;

/// Linux's RTF_UP and RTF_GATEWAY, RTF_HOST.
const RTF_UP: u32 = 0x1;
const RTF_GATEWAY: u32 = 0x2;
const RTF_HOST: u32 = 0x4;

/// Linux's IPv6 address scopes (IFA_HOST, IFA_LINK, IFA_SITE) and
/// IFA_F_PERMANENT: every address here is configured, none is temporary.
const IFA_HOST: u8 = 0x10;
const IFA_LINK: u8 = 0x20;
const IFA_SITE: u8 = 0x40;
const IFA_F_PERMANENT: u8 = 0x80;

const TCP_TIME_WAIT: u8 = 6;

fn padded(out: &mut String, line: &str, width: usize) {
    let _ = writeln!(out, "{line:<width$}");
}

/// /proc/net/dev: the counters the server keeps; the kinds of error
/// Linux splits out (fifo, frame, collisions, carrier) and compression
/// and multicast counts are not kept, so 0.
pub fn dev(n: &NetworkRecord) -> String {
    let mut s = String::from(
        "Inter-|   Receive                                                |  Transmit\n \
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n",
    );
    for i in &n.interfaces {
        let c = &i.counters;
        let _ = writeln!(
            s,
            "{:>6}: {:>7} {:>7} {:>4} {:>4} {:>4} {:>5} {:>10} {:>9} {:>8} {:>7} {:>4} {:>4} {:>4} {:>5} {:>7} {:>10}",
            String::from_utf8_lossy(&i.name),
            c.rx_bytes,
            c.rx_packets,
            c.rx_errors,
            c.rx_dropped,
            0,
            0,
            0,
            0,
            c.tx_bytes,
            c.tx_packets,
            c.tx_errors,
            c.tx_dropped,
            0,
            0,
            0,
            0
        );
    }
    s
}

/// An IPv4 address as Linux's %08X of a network-order word shows it.
fn hex4(a: [u8; 4]) -> String {
    format!("{:08X}", u32::from_le_bytes(a))
}

/// An IPv6 address as four such words.
fn hex16(a: [u8; 16]) -> String {
    let mut s = String::with_capacity(32);
    for w in a.chunks_exact(4) {
        let _ = write!(s, "{:08X}", u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
    }
    s
}

fn mask4(prefix: u8) -> [u8; 4] {
    u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0).to_be_bytes()
}

/// /proc/net/route: the IPv4 routes of the main table, in the trie's
/// order (by destination, then prefix). Routes through loopback are in
/// Linux's local table, which this file does not show. Metric, MTU,
/// window and IRTT are not kept: 0, as for a route added without them.
pub fn route(n: &NetworkRecord) -> String {
    let mut s = String::new();
    padded(&mut s, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT", ROUTE_WIDTH);
    let mut routes: alloc::vec::Vec<_> = n
        .routes
        .iter()
        .filter_map(|r| {
            let IpAddr::V4(dst) = r.destination else { return None };
            let iface = n.by_index(r.interface)?;
            if iface.flags.loopback {
                return None;
            }
            let gateway = match r.gateway {
                Some(IpAddr::V4(g)) => Some(g.octets()),
                _ => None,
            };
            Some((dst.octets(), r.prefix, gateway, &iface.name))
        })
        .collect();
    routes.sort_by_key(|(dst, prefix, _, _)| (u32::from_be_bytes(*dst), *prefix));
    for (dst, prefix, gateway, name) in routes {
        let mut flags = RTF_UP;
        if gateway.is_some() {
            flags |= RTF_GATEWAY;
        }
        if prefix == 32 {
            flags |= RTF_HOST;
        }
        let line = format!(
            "{}\t{}\t{}\t{:04X}\t0\t0\t0\t{}\t0\t0\t0",
            String::from_utf8_lossy(name),
            hex4(dst),
            hex4(gateway.unwrap_or([0; 4])),
            flags,
            hex4(mask4(prefix)),
        );
        padded(&mut s, &line, ROUTE_WIDTH);
    }
    s
}

/// Linux's scope of an IPv6 address (ipv6_addr_src_scope).
fn scope6(a: &core::net::Ipv6Addr) -> u8 {
    let s = a.segments();
    if a.is_loopback() {
        IFA_HOST
    } else if s[0] & 0xffc0 == 0xfe80 {
        IFA_LINK
    } else if s[0] & 0xffc0 == 0xfec0 {
        IFA_SITE
    } else {
        0
    }
}

/// /proc/net/if_inet6: address, interface index, prefix length, scope,
/// flags, name.
pub fn if_inet6(n: &NetworkRecord) -> String {
    let mut s = String::new();
    for i in &n.interfaces {
        for (address, prefix) in &i.addresses {
            let IpAddr::V6(a) = address else { continue };
            let mut hex = String::with_capacity(32);
            for b in a.octets() {
                let _ = write!(hex, "{b:02x}");
            }
            let _ = writeln!(
                s,
                "{hex} {:02x} {:02x} {:02x} {:02x} {:>8}",
                i.index,
                prefix,
                scope6(a),
                IFA_F_PERMANENT,
                String::from_utf8_lossy(&i.name)
            );
        }
    }
    s
}

fn endpoint(family: SocketFamily, a: Option<&InetAddress>) -> String {
    match (family, a) {
        (SocketFamily::Inet6, Some(InetAddress::V6 { addr, port, .. })) => format!("{}:{port:04X}", hex16(*addr)),
        (SocketFamily::Inet6, Some(InetAddress::V4 { addr, port })) => {
            let mapped = core::net::Ipv4Addr::from(*addr).to_ipv6_mapped().octets();
            format!("{}:{port:04X}", hex16(mapped))
        }
        (SocketFamily::Inet6, None) => format!("{}:0000", hex16([0; 16])),
        (_, Some(InetAddress::V4 { addr, port })) => format!("{}:{port:04X}", hex4(*addr)),
        (_, Some(InetAddress::V6 { port, .. })) => format!("{}:{port:04X}", hex4([0; 4])),
        (_, None) => format!("{}:0000", hex4([0; 4])),
    }
}

/// /proc/net/tcp, tcp6, udp, udp6: the sockets of `kind` and `family`.
///
/// Columns the server does not report are printed as Linux prints a
/// fresh socket's: no timer pending (`00:00000000`), no retransmits, no
/// zero-window probes, reference count 1, the pointer hidden (as
/// kptr_restrict shows it to unprivileged readers), and for TCP the
/// initial retransmission timeout (100 ticks), no delayed-ACK estimate, a
/// congestion window of 10 and no slow-start threshold (-1; a listener's
/// fast-open queue: 0). A listener's rx_queue is its accept queue on
/// Linux; the server does not report it (0). The `sl` of UDP is Linux's
/// hash bucket; here, the line's number.
pub fn sockets(all: &[InetSocketRecord], kind: SocketKind, family: SocketFamily) -> String {
    let v6 = family == SocketFamily::Inet6;
    let tcp = kind == SocketKind::Stream;
    let mut s = String::new();
    let header = match (tcp, v6) {
        (true, false) => {
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
        }
        (false, false) => {
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops"
        }
        (true, true) => {
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
        }
        (false, true) => {
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops"
        }
    };
    let width = match (tcp, v6) {
        (_, true) => 0,
        (true, false) => TCP_WIDTH,
        (false, false) => UDP_WIDTH,
    };
    padded(&mut s, header, width);
    let chosen = all.iter().filter(|r| r.kind == kind && r.family == family);
    for (i, r) in chosen.enumerate() {
        let local = endpoint(family, Some(&r.local));
        let remote = endpoint(family, r.remote.as_ref());
        let line = if !tcp {
            format!(
                "{i:5}: {local} {remote} {:02X} {:08X}:{:08X} 00:00000000 00000000 {:5} {:8} {} 2 0000000000000000 0",
                r.state, r.send_queue, r.receive_queue, r.uid, 0, r.inode
            )
        } else if r.state == TCP_TIME_WAIT {
            // Linux shows a TIME-WAIT connection without an owner.
            format!(
                "{i:4}: {local} {remote} {:02X} 00000000:00000000 03:00000000 00000000 {:5} {:8} 0 1 0000000000000000",
                r.state, 0, 0
            )
        } else {
            let ssthresh = if r.state == 10 { 0 } else { -1 };
            format!(
                "{i:4}: {local} {remote} {:02X} {:08X}:{:08X} 00:00000000 00000000 {:5} {:8} {} 1 0000000000000000 100 0 0 10 {ssthresh}",
                r.state, r.send_queue, r.receive_queue, r.uid, 0, r.inode
            )
        };
        padded(&mut s, &line, width);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use kernel_ops::{InterfaceCounters, InterfaceFlags, InterfaceRecord, RouteRecord};

    fn network() -> NetworkRecord {
        NetworkRecord {
            interfaces: vec![
                InterfaceRecord {
                    index: 1,
                    name: b"lo".to_vec(),
                    flags: InterfaceFlags { up: true, running: true, loopback: true, ..Default::default() },
                    mtu: 65535,
                    tx_queue_length: 4096,
                    mac: None,
                    counters: InterfaceCounters {
                        rx_bytes: 750744121,
                        rx_packets: 1162457,
                        tx_bytes: 750744121,
                        tx_packets: 1162457,
                        ..Default::default()
                    },
                    addresses: vec![("127.0.0.1".parse().unwrap(), 8), ("::1".parse().unwrap(), 128)],
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
                    tx_queue_length: 128,
                    mac: Some([0x52, 0x54, 0, 0x12, 0x34, 0x56]),
                    counters: InterfaceCounters::default(),
                    addresses: vec![
                        ("192.168.2.5".parse().unwrap(), 24),
                        ("fe80::fc:ff:fe00:1".parse().unwrap(), 64),
                        ("fd00::2".parse().unwrap(), 64),
                    ],
                },
            ],
            routes: vec![
                RouteRecord { interface: 1, destination: "127.0.0.0".parse().unwrap(), prefix: 8, gateway: None },
                RouteRecord { interface: 2, destination: "192.168.2.0".parse().unwrap(), prefix: 24, gateway: None },
                RouteRecord {
                    interface: 2,
                    destination: "0.0.0.0".parse().unwrap(),
                    prefix: 0,
                    gateway: Some("192.168.2.1".parse().unwrap()),
                },
                RouteRecord { interface: 2, destination: "fd00::".parse().unwrap(), prefix: 64, gateway: None },
            ],
        }
    }

    /// Lines as Linux 6.18 printed them on the build host (trailing
    /// padding included where Linux pads).
    #[test]
    fn dev_matches_linux() {
        let text = dev(&network());
        let lines: alloc::vec::Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Inter-|   Receive                                                |  Transmit");
        assert_eq!(
            lines[1],
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed"
        );
        assert_eq!(
            lines[2],
            "    lo: 750744121 1162457    0    0    0     0          0         0 750744121 1162457    0    0    0     0       0          0"
        );
        assert_eq!(
            lines[3],
            "  eth0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0"
        );
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn route_matches_linux() {
        let text = route(&network());
        let lines: alloc::vec::Vec<&str> = text.split_inclusive('\n').collect();
        assert_eq!(lines.len(), 3, "the header, the default route, eth0's network; not lo's, not IPv6");
        assert!(lines.iter().all(|l| l.len() == 128));
        assert!(lines[0]
            .starts_with("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT "));
        assert_eq!(lines[1].trim_end(), "eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0");
        assert_eq!(lines[2].trim_end(), "eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");
    }

    #[test]
    fn if_inet6_matches_linux() {
        assert_eq!(
            if_inet6(&network()),
            "00000000000000000000000000000001 01 80 10 80       lo\n\
             fe8000000000000000fc00fffe000001 02 40 20 80     eth0\n\
             fd000000000000000000000000000002 02 40 00 80     eth0\n"
        );
    }

    fn socket(kind: SocketKind, family: SocketFamily, local: InetAddress, state: u8) -> InetSocketRecord {
        InetSocketRecord {
            kind,
            family,
            local,
            remote: None,
            state,
            send_queue: 0,
            receive_queue: 0,
            inode: 2981420,
            uid: 0,
        }
    }

    #[test]
    fn sockets_match_linux() {
        let lo = |port| InetAddress::V4 { addr: [127, 0, 0, 1], port };
        let mut established = socket(SocketKind::Stream, SocketFamily::Inet4, lo(0xB26E), 1);
        established.remote = Some(lo(0x9C6A));
        established.receive_queue = 5;
        established.inode = 2981425;
        let all = [
            socket(SocketKind::Stream, SocketFamily::Inet4, lo(0xB26E), 10),
            established,
            socket(SocketKind::Datagram, SocketFamily::Inet4, lo(0xB26F), 7),
            socket(
                SocketKind::Stream,
                SocketFamily::Inet6,
                InetAddress::V6 {
                    addr: core::net::Ipv6Addr::LOCALHOST.octets(),
                    port: 0xB270,
                    flow_info: 0,
                    scope_id: 0,
                },
                10,
            ),
        ];
        let tcp = sockets(&all, SocketKind::Stream, SocketFamily::Inet4);
        let lines: alloc::vec::Vec<&str> = tcp.lines().collect();
        assert!(lines.iter().all(|l| l.len() == 149));
        assert_eq!(
            lines[0].trim_end(),
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
        );
        assert_eq!(
            lines[1].trim_end(),
            "   0: 0100007F:B26E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2981420 1 0000000000000000 100 0 0 10 0"
        );
        assert!(lines[2].starts_with(
            "   1: 0100007F:B26E 0100007F:9C6A 01 00000000:00000005 00:00000000 00000000     0        0 2981425 1 "
        ));
        assert_eq!(lines.len(), 3);

        let udp = sockets(&all, SocketKind::Datagram, SocketFamily::Inet4);
        let lines: alloc::vec::Vec<&str> = udp.lines().collect();
        assert!(lines.iter().all(|l| l.len() == 127));
        assert!(lines[0].starts_with("   sl  local_address rem_address   st tx_queue rx_queue"));
        assert!(lines[1].starts_with(
            "    0: 0100007F:B26F 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2981420 2 "
        ));

        let tcp6 = sockets(&all, SocketKind::Stream, SocketFamily::Inet6);
        let lines: alloc::vec::Vec<&str> = tcp6.lines().collect();
        assert_eq!(
            lines[1],
            "   0: 00000000000000000000000001000000:B270 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2981420 1 0000000000000000 100 0 0 10 0"
        );
        assert_eq!(sockets(&all, SocketKind::Datagram, SocketFamily::Inet6).lines().count(), 1, "the header alone");
    }
}
