//! Two stacks joined by an Ethernet cable: ARP and NDP, TCP and UDP over
//! IPv4 and IPv6 with a 1500-byte MTU and checksums, as between Helctic
//! and QEMU's gateway.

mod common;

use common::fake_device::cable;
use common::{Kernel, Reply};
use netproto::{Address, Error, Family, Kind, Readiness, Request, SocketHandle};
use netserver::{Duration, InterfaceConfig, Ipv4Config};

const A4: [u8; 4] = [10, 0, 2, 15];
const B4: [u8; 4] = [10, 0, 2, 2];

fn v6(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[0] = 0xfd;
    a[15] = last;
    a
}

fn machines() -> (Kernel, Kernel) {
    lossy_machines(0)
}

fn lossy_machines(lose_every: usize) -> (Kernel, Kernel) {
    machines_losing(lose_every, lose_every + 2)
}

/// Each end loses one frame in `a` (`b`) at random, 0: none.
fn machines_losing(a: usize, b: usize) -> (Kernel, Kernel) {
    let (mut end_a, mut end_b) = cable();
    end_a.lose_every = a;
    end_b.lose_every = b;
    let mut a = Kernel::new();
    let mut b = Kernel::new();
    let config = |me: [u8; 4], six: u8| InterfaceConfig {
        ipv4: Ipv4Config::Static { address: me, prefix: 24, gateway: None },
        ipv6: Some((v6(six), 64)),
        gateway6: None,
    };
    a.stack.add_ethernet(end_a, [2, 0, 0, 0, 0, 0x15], config(A4, 0x15)).unwrap();
    b.stack.add_ethernet(end_b, [2, 0, 0, 0, 0, 0x02], config(B4, 0x02)).unwrap();
    (a, b)
}

/// Both machines run a little (frames cross the cable, timers move).
fn run(a: &mut Kernel, b: &mut Kernel) {
    a.poll_for(Duration::from_millis(50));
    b.poll_for(Duration::from_millis(50));
}

fn run_until(a: &mut Kernel, b: &mut Kernel, mut done: impl FnMut(&mut Kernel, &mut Kernel) -> bool) {
    for _ in 0..5000 {
        if done(a, b) {
            return;
        }
        run(a, b);
    }
    panic!("never done");
}

fn tcp_across(family: Family, server_addr: Address) {
    tcp_across_with(family, server_addr, 0, 1 << 20);
}

fn tcp_across_with(family: Family, server_addr: Address, lose_every: usize, len: u32) {
    let (mut a, mut b) = lossy_machines(lose_every);
    let listener = b.open(family, Kind::Stream);
    b.ok(Request::Bind { socket: listener, address: Address::unspecified(family, 80) });
    b.ok(Request::Listen { socket: listener, backlog: 4 });
    let client = a.connect_start(family, server_addr);
    run_until(&mut a, &mut b, |a, _| a.ready(client).contains(Readiness::WRITABLE));
    assert_eq!(a.get(client, netproto::SocketOption::Error), 0);
    let mut server = None;
    run_until(&mut a, &mut b, |_, b| {
        if let Reply::Accepted(s, _) = b.call(Request::Accept { socket: listener }) {
            server = Some(s);
        }
        server.is_some()
    });
    let server = server.unwrap();
    // 1 MiB each way through a 1500-byte MTU.
    let data: Vec<u8> = (0..len).map(|i: u32| (i * 31 % 253) as u8).collect();
    transfer(&mut a, client, &mut b, server, &data);
    transfer(&mut b, server, &mut a, client, &data);
    a.ok(Request::Close { socket: client });
    let mut end = false;
    run_until(&mut a, &mut b, |_, b| {
        if let Reply::Received { data, .. } = b.call(Request::Receive { socket: server, max: 10, peek: false }) {
            end = data.is_empty();
        }
        end
    });
}

fn transfer(from: &mut Kernel, tx: SocketHandle, to: &mut Kernel, rx: SocketHandle, data: &[u8]) {
    let mut sent = 0;
    let mut got = Vec::new();
    for round in 0.. {
        if got.len() >= data.len() {
            break;
        }
        if round == 100_000 {
            let tx_state = from.get(tx, netproto::SocketOption::TcpState);
            let rx_state = to.get(rx, netproto::SocketOption::TcpState);
            let unsent = from.get(tx, netproto::SocketOption::UnsentBytes);
            panic!(
                "stuck at {} of {} bytes, {sent} sent, {unsent} unsent, states {tx_state} {rx_state}",
                got.len(),
                data.len()
            );
        }
        if sent < data.len() {
            let end = (sent + 32768).min(data.len());
            match from.call(Request::Send { socket: tx, to: None, data: &data[sent..end], more: false }) {
                Reply::Sent(n) => sent += n as usize,
                Reply::Error(Error::WouldBlock) => {}
                other => panic!("{other:?}"),
            }
        }
        match to.call(Request::Receive { socket: rx, max: 65536, peek: false }) {
            Reply::Received { data, .. } => got.extend_from_slice(&data),
            Reply::Error(Error::WouldBlock) => run(from, to),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(got, data);
}

#[test]
fn tcp_over_ethernet_ipv4() {
    tcp_across(Family::V4, Address::V4 { addr: B4, port: 80 });
}

#[test]
fn tcp_over_ethernet_ipv6() {
    tcp_across(Family::V6, Address::V6 { addr: v6(2), port: 80, flow_info: 0, scope_id: 0 });
}

#[test]
fn tcp_recovers_from_lost_frames() {
    // One frame in 7 one way and one in 9 the other are lost, SYNs, data,
    // ACKs and FINs alike.
    tcp_across_with(Family::V4, Address::V4 { addr: B4, port: 80 }, 7, 200_000);
}

#[test]
fn udp_over_ethernet_and_own_address_over_loopback() {
    let (mut a, mut b) = machines();
    let r = b.open(Family::V4, Kind::Datagram);
    b.ok(Request::Bind { socket: r, address: Address::unspecified(Family::V4, 53) });
    let s = a.open(Family::V4, Kind::Datagram);
    let to = Address::V4 { addr: B4, port: 53 };
    assert_eq!(a.call(Request::Send { socket: s, to: Some(to), data: b"query", more: false }), Reply::Sent(5));
    let mut got = None;
    run_until(&mut a, &mut b, |_, b| {
        if let Reply::Received { data, from, .. } = b.call(Request::Receive { socket: r, max: 100, peek: false }) {
            got = Some((data, from));
        }
        got.is_some()
    });
    let (data, from) = got.unwrap();
    assert_eq!(data, b"query");
    let from = from.unwrap();
    assert!(matches!(from, Address::V4 { addr, .. } if addr == A4));
    // The answer comes back to the sender's port.
    assert_eq!(b.call(Request::Send { socket: r, to: Some(from), data: b"answer", more: false }), Reply::Sent(6));
    let mut back = None;
    run_until(&mut a, &mut b, |a, _| {
        if let Reply::Received { data, .. } = a.call(Request::Receive { socket: s, max: 100, peek: false }) {
            back = Some(data);
        }
        back.is_some()
    });
    assert_eq!(back.unwrap(), b"answer");
    // A machine reaches its own Ethernet address through loopback.
    let (listener, port) = a.listener(Address::unspecified(Family::V4, 0), 1);
    let c = a.connect(Family::V4, Address::V4 { addr: A4, port }).expect("own address");
    let (srv, peer) = a.accept(listener);
    assert!(matches!(peer, Address::V4 { addr, .. } if addr == A4));
    a.send_all(c, b"self");
    assert_eq!(a.receive(srv, 10).unwrap(), b"self");
}

/// B joins 239.1.2.3 on its Ethernet interface; A (whose default route
/// is B) sends datagrams to the group.
#[test]
fn multicast_datagrams_reach_members_only() {
    let (mut end_a, end_b) = cable();
    end_a.lose_every = 0;
    let mut a = Kernel::new();
    let mut b = Kernel::new();
    let config = |me: [u8; 4], gateway: Option<[u8; 4]>| InterfaceConfig {
        ipv4: Ipv4Config::Static { address: me, prefix: 24, gateway },
        ipv6: None,
        gateway6: None,
    };
    a.stack.add_ethernet(end_a, [2, 0, 0, 0, 0, 0x15], config(A4, Some(B4))).unwrap();
    b.stack.add_ethernet(end_b, [2, 0, 0, 0, 0, 0x02], config(B4, None)).unwrap();
    let group = Address::V4 { addr: [239, 1, 2, 3], port: 0 };
    let membership = |socket, interface, local, join| Request::Membership { socket, group, interface, local, join };

    let r = b.open(Family::V4, Kind::Datagram);
    b.ok(Request::Bind { socket: r, address: Address::unspecified(Family::V4, 5353) });
    // B has no route to the group: with neither an index nor an address
    // there is no interface (ENODEV, as Linux's).
    assert_eq!(b.call(membership(r, 0, None, true)), Reply::Error(Error::NoDevice));
    assert_eq!(b.call(membership(r, 9, None, true)), Reply::Error(Error::NoDevice));
    let not_a_group = Request::Membership {
        socket: r,
        group: Address::V4 { addr: [10, 0, 2, 9], port: 0 },
        interface: 2,
        local: None,
        join: true,
    };
    assert_eq!(b.call(not_a_group), Reply::Error(Error::InvalidArgument));
    assert_eq!(b.call(membership(r, 2, None, false)), Reply::Error(Error::AddressNotAvailable), "not a member");
    // By the interface's address, then again by its index: the same.
    b.ok(membership(r, 0, Some(Address::V4 { addr: B4, port: 0 }), true));
    assert_eq!(b.call(membership(r, 2, None, true)), Reply::Error(Error::AddressInUse), "already a member");

    let s = a.open(Family::V4, Kind::Datagram);
    let to = Address::V4 { addr: [239, 1, 2, 3], port: 5353 };
    let receive = |b: &mut Kernel| match b.call(Request::Receive { socket: r, max: 100, peek: false }) {
        Reply::Received { data, .. } => Some(data),
        _ => None,
    };
    assert_eq!(a.call(Request::Send { socket: s, to: Some(to), data: b"hello group", more: false }), Reply::Sent(11));
    let mut got = None;
    run_until(&mut a, &mut b, |_, b| {
        got = receive(b);
        got.is_some()
    });
    assert_eq!(got.unwrap(), b"hello group");

    // Left: the interface stops listening to the group.
    b.ok(membership(r, 2, None, false));
    assert_eq!(a.call(Request::Send { socket: s, to: Some(to), data: b"nobody", more: false }), Reply::Sent(6));
    for _ in 0..10 {
        run(&mut a, &mut b);
    }
    assert_eq!(receive(&mut b), None, "a datagram to a group nobody here joined");

    // A membership ends with its socket: a close leaves the group.
    let m = b.open(Family::V4, Kind::Datagram);
    b.ok(membership(m, 2, None, true));
    b.ok(Request::Close { socket: m });
    assert_eq!(a.call(Request::Send { socket: s, to: Some(to), data: b"closed", more: false }), Reply::Sent(6));
    for _ in 0..10 {
        run(&mut a, &mut b);
    }
    assert_eq!(receive(&mut b), None, "the closed member's group is left");
}

#[test]
fn an_accepted_connection_does_not_inherit_its_listeners_groups() {
    let (mut a, _b) = machines();
    let group = Address::V4 { addr: [224, 0, 0, 0], port: 0 };
    let (listener, port) = a.listener(Address::unspecified(Family::V4, 0), 1);
    a.ok(Request::Membership { socket: listener, group, interface: 1, local: None, join: true });
    let _client = a.connect(Family::V4, Address::V4 { addr: [127, 0, 0, 1], port }).unwrap();
    let (accepted, _) = a.accept(listener);
    assert_eq!(
        a.call(Request::Membership { socket: accepted, group, interface: 1, local: None, join: false }),
        Reply::Error(Error::AddressNotAvailable)
    );
    a.ok(Request::Membership { socket: listener, group, interface: 1, local: None, join: false });
}

/// Pings cross the cable (machine b's smoltcp answers them, so the
/// checksums are good on a wire), and a ping to a neighbour that never
/// answers ARP holds up only its own socket: another socket's ping to a
/// known neighbour still goes. (A new neighbour would wait: smoltcp
/// sends one neighbour request per second per interface, and the dead
/// one's retries take that turn; docs/network.md says so.)
#[test]
fn pings_cross_the_cable_and_a_dead_neighbour_holds_up_only_its_socket() {
    // A cable that loses nothing: a ping is not retransmitted.
    let (mut a, mut b) = machines_losing(0, 0);
    let ping = |a: &mut Kernel, b: &mut Kernel, family: Family, seq: u8| {
        let (to, echo) = match family {
            Family::V4 => (Address::V4 { addr: B4, port: 0 }, 8),
            Family::V6 => (Address::V6 { addr: v6(2), port: 0, flow_info: 0, scope_id: 0 }, 128),
        };
        let request = vec![echo, 0, 0, 0, 0, 0, 0, seq, b'w', b'i', b'r', b'e'];
        let s = a.open(family, Kind::Ping);
        assert_eq!(a.call(Request::Send { socket: s, to: Some(to), data: &request, more: false }), Reply::Sent(12));
        run_until(a, b, |a, _| a.ready(s).contains(Readiness::READABLE));
        match a.try_receive(s, 100, false) {
            Ok(Reply::Received { data, from, .. }) => {
                assert_eq!(data[0], if family == Family::V6 { 129 } else { 0 }, "an echo reply");
                assert_eq!(&data[6..], &request[6..]);
                assert_eq!(from, Some(to));
            }
            other => panic!("{other:?}"),
        }
    };
    ping(&mut a, &mut b, Family::V4, 1);
    ping(&mut a, &mut b, Family::V6, 1);
    let dead = a.open(Family::V4, Kind::Ping);
    let nobody = Address::V4 { addr: [10, 0, 2, 99], port: 0 };
    let request = [8, 0, 0, 0, 0, 0, 0, 1];
    assert_eq!(a.call(Request::Send { socket: dead, to: Some(nobody), data: &request, more: false }), Reply::Sent(8));
    run(&mut a, &mut b);
    ping(&mut a, &mut b, Family::V4, 2);
    ping(&mut a, &mut b, Family::V6, 2);
    assert_eq!(a.try_receive(dead, 100, false), Err(Error::WouldBlock));
}

/// A SYN from the wire for a listener whose backlog is full is dropped,
/// not reset; the peer's retransmission gets through once it accepts.
#[test]
fn a_full_backlog_drops_syns_from_the_wire() {
    for family in [Family::V4, Family::V6] {
        // A cable that loses nothing: a lost reset would pass for a drop.
        let (mut a, mut b) = machines_losing(0, 0);
        let server_addr = match family {
            Family::V4 => Address::V4 { addr: B4, port: 80 },
            Family::V6 => Address::V6 { addr: v6(0x02), port: 80, flow_info: 0, scope_id: 0 },
        };
        let listener = b.open(family, Kind::Stream);
        b.ok(Request::Bind { socket: listener, address: Address::unspecified(family, 80) });
        // Backlog 0: one connection waits for accept at most.
        b.ok(Request::Listen { socket: listener, backlog: 0 });
        let first = a.connect_start(family, server_addr);
        run_until(&mut a, &mut b, |a, _| a.ready(first).contains(Readiness::WRITABLE));
        let second = a.connect_start(family, server_addr);
        for _ in 0..40 {
            run(&mut a, &mut b);
        }
        let ready = a.ready(second);
        assert!(
            !ready.contains(Readiness::WRITABLE) && !ready.contains(Readiness::ERROR),
            "{family:?}: connected or refused while the backlog is full: {ready:?}"
        );
        assert!(matches!(b.call(Request::Accept { socket: listener }), Reply::Accepted(..)));
        run_until(&mut a, &mut b, |a, _| a.ready(second).0 & (Readiness::WRITABLE.0 | Readiness::ERROR.0) != 0);
        assert_eq!(a.get(second, netproto::SocketOption::Error), 0, "{family:?}: the retried connect succeeds");
    }
}
