//! An Ethernet interface on a fake device: SYNs from the wire, routes,
//! connect timeouts reported through the asynchronous event path, and
//! hostile frames: random and mutated Ethernet, ARP, IPv4, IPv6, TCP, UDP
//! and ICMP frames fed into an Ethernet interface (statically configured
//! or running DHCP), with sockets listening, never panic the stack, and
//! loopback still works afterwards.

mod common;

use std::sync::Arc;
use std::sync::Mutex;

use common::fake_device::{FakeDevice, Wire};
use common::{v4, Kernel, Reply};
use netproto::{Address, Family, Kind, Request, SocketOption};
use netserver::{Duration, InterfaceConfig, Ipv4Config};
use proptest::prelude::*;

const OUR_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const PEER_MAC: [u8; 6] = [0x52, 0x55, 0x0a, 0x00, 0x02, 0x02];
const OUR_IP: [u8; 4] = [10, 0, 2, 15];
const PEER_IP: [u8; 4] = [10, 0, 2, 2];

fn checksum(data: &[u8], initial: u32) -> u16 {
    let mut sum = initial;
    for chunk in data.chunks(2) {
        sum += u32::from(u16::from_be_bytes([chunk[0], *chunk.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn pseudo_sum(src: &[u8], dst: &[u8], protocol: u8, len: usize) -> u32 {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(src);
    bytes.extend_from_slice(dst);
    bytes.extend_from_slice(&[0, protocol]);
    bytes.extend_from_slice(&(len as u16).to_be_bytes());
    bytes.chunks(2).map(|c| u32::from(u16::from_be_bytes([c[0], c[1]]))).sum()
}

fn ethernet(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&OUR_MAC);
    f.extend_from_slice(&PEER_MAC);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

fn ipv4(protocol: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, protocol, 0, 0];
    h[2..4].copy_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
    h.extend_from_slice(&PEER_IP);
    h.extend_from_slice(&OUR_IP);
    let c = checksum(&h, 0);
    h[10..12].copy_from_slice(&c.to_be_bytes());
    h.extend_from_slice(payload);
    ethernet(0x0800, &h)
}

const OUR_IP6: [u8; 16] = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x15];
const PEER_IP6: [u8; 16] = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02];

fn ipv6(next: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[next, 64]);
    h.extend_from_slice(&PEER_IP6);
    h.extend_from_slice(&OUR_IP6);
    h.extend_from_slice(payload);
    ethernet(0x86dd, &h)
}

fn transport_checksum(v6: bool, protocol: u8, segment: &mut [u8], at: usize) {
    let sum = if v6 {
        pseudo_sum(&PEER_IP6, &OUR_IP6, protocol, segment.len())
    } else {
        pseudo_sum(&PEER_IP, &OUR_IP, protocol, segment.len())
    };
    let c = checksum(segment, sum);
    segment[at..at + 2].copy_from_slice(&c.to_be_bytes());
}

#[allow(clippy::too_many_arguments)]
fn tcp(v6: bool, sport: u16, dport: u16, seq: u32, ack: u32, flags: u8, window: u16, payload: &[u8]) -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(&sport.to_be_bytes());
    s.extend_from_slice(&dport.to_be_bytes());
    s.extend_from_slice(&seq.to_be_bytes());
    s.extend_from_slice(&ack.to_be_bytes());
    // 24-byte header: an MSS option.
    s.extend_from_slice(&[0x60, flags]);
    s.extend_from_slice(&window.to_be_bytes());
    s.extend_from_slice(&[0, 0, 0, 0, 2, 4, 5, 0xb4]);
    s.extend_from_slice(payload);
    transport_checksum(v6, 6, &mut s, 16);
    if v6 {
        ipv6(6, &s)
    } else {
        ipv4(6, &s)
    }
}

fn udp(v6: bool, sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(&sport.to_be_bytes());
    s.extend_from_slice(&dport.to_be_bytes());
    s.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    s.extend_from_slice(&[0, 0]);
    s.extend_from_slice(payload);
    transport_checksum(v6, 17, &mut s, 6);
    if v6 {
        ipv6(17, &s)
    } else {
        ipv4(17, &s)
    }
}

fn arp(op: u16) -> Vec<u8> {
    let mut a = vec![0, 1, 8, 0, 6, 4];
    a.extend_from_slice(&op.to_be_bytes());
    a.extend_from_slice(&PEER_MAC);
    a.extend_from_slice(&PEER_IP);
    a.extend_from_slice(&[0; 6]);
    a.extend_from_slice(&OUR_IP);
    ethernet(0x0806, &a)
}

fn icmp_echo(v6: bool, payload: &[u8]) -> Vec<u8> {
    let mut m = vec![if v6 { 128 } else { 8 }, 0, 0, 0, 0, 1, 0, 1];
    m.extend_from_slice(payload);
    if v6 {
        transport_checksum(true, 58, &mut m, 2);
        ipv6(58, &m)
    } else {
        let c = checksum(&m, 0);
        m[2..4].copy_from_slice(&c.to_be_bytes());
        ipv4(1, &m)
    }
}

#[derive(Debug, Clone)]
struct FrameSpec {
    kind: u8,
    v6: bool,
    ports: (u16, u16),
    seq: (u32, u32),
    flags: u8,
    window: u16,
    payload: Vec<u8>,
    mutations: Vec<(usize, u8)>,
    cut: Option<usize>,
}

impl FrameSpec {
    fn build(&self) -> Vec<u8> {
        let dport = [80, 53, self.ports.1][self.ports.1 as usize % 3];
        let mut f = match self.kind {
            0 => tcp(self.v6, self.ports.0, dport, self.seq.0, self.seq.1, self.flags, self.window, &self.payload),
            1 => udp(self.v6, self.ports.0, dport, &self.payload),
            2 => arp(1 + (self.flags as u16 & 1)),
            3 => icmp_echo(self.v6, &self.payload),
            _ => self.payload.clone(),
        };
        for &(at, byte) in &self.mutations {
            if !f.is_empty() {
                let i = at % f.len();
                f[i] = byte;
            }
        }
        if let Some(cut) = self.cut {
            f.truncate(cut);
        }
        f
    }
}

fn frame() -> impl Strategy<Value = FrameSpec> {
    (
        0u8..5,
        any::<bool>(),
        (any::<u16>(), any::<u16>()),
        (any::<u32>(), any::<u32>()),
        prop_oneof![Just(0x02u8), Just(0x10), Just(0x12), Just(0x04), Just(0x11), Just(0x18), any::<u8>()],
        any::<u16>(),
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4),
        proptest::option::of(0usize..120),
    )
        .prop_map(|(kind, v6, ports, seq, flags, window, payload, mutations, cut)| FrameSpec {
            kind,
            v6,
            ports,
            seq,
            flags,
            window,
            payload,
            mutations,
            cut,
        })
}

fn machine(dhcp: bool, offload: bool) -> (Kernel, Arc<Mutex<Wire>>) {
    let mut k = Kernel::new();
    let wire = Arc::new(Mutex::new(Wire::default()));
    let config = InterfaceConfig {
        ipv4: if dhcp {
            Ipv4Config::Dhcp
        } else {
            Ipv4Config::Static { address: OUR_IP, prefix: 24, gateway: Some(PEER_IP) }
        },
        ipv6: Some((OUR_IP6, 64)),
        gateway6: Some(PEER_IP6),
    };
    let device = FakeDevice { wire: wire.clone(), offload };
    assert_eq!(k.stack.add_ethernet(device, OUR_MAC, config), Ok(1));
    // Something for frames to reach: listeners on 80, UDP on 53, both
    // versions.
    for family in [Family::V4, Family::V6] {
        let l = k.open(family, Kind::Stream);
        let u = k.open(family, Kind::Datagram);
        if family == Family::V6 {
            // Beside the IPv4 sockets on the same ports, as Linux requires.
            k.set(l, SocketOption::V6Only, 1);
            k.set(u, SocketOption::V6Only, 1);
        }
        k.ok(Request::Bind { socket: l, address: Address::unspecified(family, 80) });
        k.ok(Request::Listen { socket: l, backlog: 4 });
        k.ok(Request::Bind { socket: u, address: Address::unspecified(family, 53) });
    }
    (k, wire)
}

#[test]
fn a_bad_mac_is_refused() {
    let mut k = Kernel::new();
    let wire = Arc::new(Mutex::new(Wire::default()));
    let config = InterfaceConfig { ipv4: Ipv4Config::None, ipv6: None, gateway6: None };
    let device = FakeDevice { wire, offload: false };
    assert!(k.stack.add_ethernet(device, [0xff; 6], config).is_err());
}

#[test]
fn a_syn_from_the_wire_is_answered_and_accepted() {
    let (mut k, wire) = machine(false, false);
    wire.lock().unwrap().inbound.push_back(arp(1));
    wire.lock().unwrap().inbound.push_back(tcp(false, 40000, 80, 1000, 0, 0x02, 65535, &[]));
    k.poll();
    let out = wire.lock().unwrap().outbound.clone();
    // An ARP reply and a SYN-ACK (flags 0x12) from port 80.
    assert!(out.iter().any(|f| f.len() >= 42 && f[12..14] == [0x08, 0x06]), "ARP reply");
    let synack = out.iter().find(|f| f.len() >= 54 && f[12..14] == [0x08, 0x00] && f[23] == 6).expect("a TCP answer");
    assert_eq!(synack[47] & 0x12, 0x12);
    // And UDP to a route through the gateway leaves by Ethernet.
    let u = k.open(Family::V4, Kind::Datagram);
    let reply = k.call(Request::Send {
        socket: u,
        to: Some(Address::V4 { addr: [8, 8, 8, 8], port: 53 }),
        data: b"q",
        more: false,
    });
    assert_eq!(reply, Reply::Sent(1));
    let too_big = vec![0u8; 1473];
    let reply = k.call(Request::Send {
        socket: u,
        to: Some(Address::V4 { addr: [8, 8, 8, 8], port: 53 }),
        data: &too_big,
        more: false,
    });
    assert_eq!(reply, Reply::Error(netproto::Error::MessageTooLong), "no fragmentation");
}

#[test]
fn a_burst_of_syns_is_all_answered() {
    let (mut k, wire) = machine(false, false);
    let l = k.open(Family::V4, Kind::Stream);
    k.ok(Request::Bind { socket: l, address: Address::unspecified(Family::V4, 8080) });
    k.ok(Request::Listen { socket: l, backlog: 128 });
    wire.lock().unwrap().inbound.push_back(arp(1));
    for port in 0..100u16 {
        wire.lock().unwrap().inbound.push_back(tcp(false, 40000 + port, 8080, 1000, 0, 0x02, 65535, &[]));
    }
    k.poll();
    assert!(wire.lock().unwrap().inbound.is_empty(), "{} frames left", wire.lock().unwrap().inbound.len());
    let out = wire.lock().unwrap().outbound.clone();
    let tcp_flags: Vec<u8> =
        out.iter().filter(|f| f.len() >= 54 && f[12..14] == [8, 0] && f[23] == 6).map(|f| f[47]).collect();
    assert_eq!(
        tcp_flags.iter().filter(|&&f| f == 0x12).count(),
        100,
        "a SYN-ACK for each SYN: {tcp_flags:?} of {} frames",
        out.len()
    );
    assert!(!tcp_flags.iter().any(|&f| f & 0x04 != 0), "no reset");
}

#[test]
fn an_unanswered_connect_times_out_through_the_event_path() {
    let (mut k, _wire) = machine(false, false);
    let s = k.open(Family::V4, Kind::Stream);
    let far = Address::V4 { addr: [10, 0, 2, 99], port: 80 };
    assert_eq!(k.call(Request::Connect { socket: s, address: Some(far) }), Reply::Error(netproto::Error::InProgress));
    let before = k.events_seen;
    k.wait(s, netproto::Readiness::ERROR);
    assert!(k.events_seen > before);
    assert_eq!(k.get(s, SocketOption::Error), u64::from(netproto::Error::TimedOut.code()));
    assert!(k.now.secs() >= 1000 + 127, "Linux's connect timeout");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(256)))]

    #[test]
    fn random_and_mutated_frames_never_panic(
        frames in proptest::collection::vec(frame(), 1..24),
        dhcp in any::<bool>(),
        offload in any::<bool>(),
    ) {
        let (mut k, wire) = machine(dhcp, offload);
        for (i, spec) in frames.iter().enumerate() {
            wire.lock().unwrap().inbound.push_back(spec.build());
            if i % 4 == 3 {
                k.poll_for(Duration::from_millis(300));
            }
        }
        k.poll_for(Duration::from_secs(2));
        // Accept what the frames may have completed, and drain the UDP.
        for s in k.readiness.keys().copied().collect::<Vec<_>>() {
            let _ = k.call(Request::Accept { socket: s });
            let _ = k.call(Request::Receive { socket: s, max: 2000, peek: false });
        }
        // Loopback still works.
        let (listener, port) = k.listener(v4(0), 1);
        let c = k.connect(Family::V4, v4(port)).expect("connect");
        let (s, _) = k.accept(listener);
        k.send_all(c, b"ok");
        prop_assert_eq!(k.receive(s, 10).unwrap(), b"ok".to_vec());
    }
}

fn echo_request(seq: u16) -> Vec<u8> {
    let mut icmp = vec![8, 0, 0, 0, 0x48, 0x54];
    icmp.extend_from_slice(&seq.to_be_bytes());
    icmp.extend((0..56u8).map(|i| i.wrapping_mul(7) ^ seq as u8));
    let c = checksum(&icmp, 0);
    icmp[2..4].copy_from_slice(&c.to_be_bytes());
    ipv4(1, &icmp)
}

fn answers_ping(k: &mut Kernel, wire: &Arc<Mutex<Wire>>, seq: u16) -> bool {
    wire.lock().unwrap().outbound.clear();
    wire.lock().unwrap().inbound.push_back(echo_request(seq));
    k.poll_for(Duration::from_millis(50));
    let out = std::mem::take(&mut wire.lock().unwrap().outbound);
    out.iter()
        .any(|f| f.len() > 42 && f[12..14] == [8, 0] && f[23] == 1 && f[34] == 0 && f[40..42] == seq.to_be_bytes())
}

/// Every truncation of common frames, each into a fresh stack that has
/// learnt its peer's address: the interface still answers a ping after it
/// (not only survives: a stack that ignored everything afterwards would
/// survive too).
#[test]
fn truncated_frames_leave_the_interface_answering() {
    let arp_request = {
        let mut a = vec![0, 1, 0x08, 0x00, 6, 4, 0, 1];
        a.extend_from_slice(&PEER_MAC);
        a.extend_from_slice(&PEER_IP);
        a.extend_from_slice(&[0; 6]);
        a.extend_from_slice(&OUR_IP);
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&PEER_MAC);
        f.extend_from_slice(&[0x08, 0x06]);
        f.extend_from_slice(&a);
        f
    };
    for (name, frame) in [
        ("echo", echo_request(99)),
        ("arp", arp_request.clone()),
        ("udp", udp(false, 40000, 7779, b"nobody listens here")),
        ("udp80", udp(false, 40000, 53, b"listened")),
        ("syn", tcp(false, 40000, 80, 1, 0, 2, 65535, b"")),
        ("syn-closed", tcp(false, 40000, 81, 1, 0, 2, 65535, b"")),
        ("echo6", icmp_echo(true, b"abcd")),
        ("udp6", udp(true, 40000, 53, b"x")),
    ] {
        for len in 0..frame.len() {
            let (mut k, wire) = machine(false, false);
            // The peer's MAC known, as in the guest.
            wire.lock().unwrap().inbound.push_back(arp_request.clone());
            k.poll_for(Duration::from_millis(50));
            assert!(answers_ping(&mut k, &wire, 1), "{name}: no reply before");
            wire.lock().unwrap().inbound.push_back(frame[..len].to_vec());
            k.poll_for(Duration::from_millis(50));
            assert!(answers_ping(&mut k, &wire, 2), "{name} cut at {len}: no ping reply after it");
        }
    }
}
