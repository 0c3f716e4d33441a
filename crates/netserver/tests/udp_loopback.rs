//! UDP over 127.0.0.1 and ::1: datagram boundaries, truncation, senders'
//! addresses, connected sockets' filter.

mod common;

use common::*;
use netproto::{Address, Error, Family, Kind, Readiness, Request, SocketHandle, SocketOption};
use netserver::Duration;

fn bound(k: &mut Kernel, address: Address) -> (SocketHandle, Address) {
    let s = k.open(address.family(), Kind::Datagram);
    k.ok(Request::Bind { socket: s, address });
    match k.call(Request::LocalAddress { socket: s }) {
        Reply::Address(a) => (s, a),
        other => panic!("{other:?}"),
    }
}

fn datagram(k: &mut Kernel, s: SocketHandle, max: u32) -> (Vec<u8>, u32, Option<Address>) {
    k.wait(s, Readiness::READABLE);
    match k.try_receive(s, max, false) {
        Ok(Reply::Received { data, full_length, from }) => (data, full_length, from),
        other => panic!("{other:?}"),
    }
}

fn send(k: &mut Kernel, s: SocketHandle, to: Option<Address>, data: &[u8]) -> Reply {
    k.call(Request::Send { socket: s, to, data, more: false })
}

#[test]
fn datagrams_keep_their_boundaries_and_senders() {
    for (family, lo) in [(Family::V4, v4 as fn(u16) -> Address), (Family::V6, v6)] {
        let mut k = Kernel::new();
        let (a, a_addr) = bound(&mut k, lo(0));
        let (b, b_addr) = bound(&mut k, any(family, 0));
        assert!((32768..=60999).contains(&a_addr.port()));
        for msg in [&b"one"[..], b"", b"three three"] {
            assert_eq!(send(&mut k, a, Some(lo(b_addr.port())), msg), Reply::Sent(msg.len() as u32));
        }
        for msg in [&b"one"[..], b"", b"three three"] {
            let (data, full, from) = datagram(&mut k, b, 100);
            assert_eq!((data.as_slice(), full as usize, from), (msg, msg.len(), Some(a_addr)));
        }
        assert_eq!(k.try_receive(b, 100, false), Err(Error::WouldBlock));
    }
}

#[test]
fn a_short_receive_truncates_and_peek_keeps() {
    let mut k = Kernel::new();
    let (a, _) = bound(&mut k, v4(0));
    let (b, b_addr) = bound(&mut k, v4(0));
    send(&mut k, a, Some(b_addr), b"0123456789");
    send(&mut k, a, Some(b_addr), b"next");
    k.wait(b, Readiness::READABLE);
    assert_eq!(k.get(b, SocketOption::ReadableBytes), 10);
    match k.try_receive(b, 3, true) {
        Ok(Reply::Received { data, full_length, .. }) => assert_eq!((data.as_slice(), full_length), (&b"012"[..], 10)),
        other => panic!("{other:?}"),
    }
    let (data, full, _) = datagram(&mut k, b, 4);
    assert_eq!((data.as_slice(), full), (&b"0123"[..], 10), "MSG_TRUNC's full length");
    let (data, _, _) = datagram(&mut k, b, 100);
    assert_eq!(data, b"next", "the rest of a cut datagram is gone");
}

#[test]
fn a_connected_socket_hears_only_its_peer() {
    let mut k = Kernel::new();
    let (a, a_addr) = bound(&mut k, v4(0));
    let (b, b_addr) = bound(&mut k, v4(0));
    let (c, _) = bound(&mut k, v4(0));
    k.ok(Request::Connect { socket: a, address: Some(b_addr) });
    assert_eq!(k.call(Request::PeerAddress { socket: a }), Reply::Address(b_addr));
    send(&mut k, c, Some(a_addr), b"stranger");
    send(&mut k, b, Some(a_addr), b"peer");
    let (data, _, from) = datagram(&mut k, a, 100);
    assert_eq!((data.as_slice(), from), (&b"peer"[..], Some(b_addr)));
    assert_eq!(k.try_receive(a, 100, false), Err(Error::WouldBlock));
    // Send without an address goes to the peer.
    assert_eq!(send(&mut k, a, None, b"hi"), Reply::Sent(2));
    assert_eq!(datagram(&mut k, b, 100).0, b"hi");
    // AF_UNSPEC forgets the peer.
    k.ok(Request::Connect { socket: a, address: None });
    assert_eq!(send(&mut k, a, None, b"x"), Reply::Error(Error::DestinationRequired));
    assert_eq!(k.call(Request::PeerAddress { socket: a }), Reply::Error(Error::NotConnected));
    send(&mut k, c, Some(a_addr), b"now heard");
    assert_eq!(datagram(&mut k, a, 100).0, b"now heard");
}

#[test]
fn sizes_limits_and_errors() {
    let mut k = Kernel::new();
    let s = k.open(Family::V4, Kind::Datagram);
    assert_eq!(send(&mut k, s, None, b"x"), Reply::Error(Error::DestinationRequired));
    let (r, r_addr) = bound(&mut k, v4(0));
    let big = vec![7u8; 65507];
    assert_eq!(send(&mut k, s, Some(r_addr), &big), Reply::Sent(65507), "the largest datagram");
    // A 16-page buffer cannot carry all of it back: the answer says how
    // long it was, so the kernel can tell the cut from the caller's.
    let (data, full, _) = datagram(&mut k, r, 70000);
    assert!(data.len() > 60000 && data.iter().all(|&b| b == 7));
    assert_eq!(full, 65507);
    assert_eq!(send(&mut k, s, Some(r_addr), &vec![0u8; 65508]), Reply::Error(Error::MessageTooLong));
    // An unbound sender was given an ephemeral port.
    match k.call(Request::LocalAddress { socket: s }) {
        Reply::Address(a) => assert!((32768..=60999).contains(&a.port())),
        other => panic!("{other:?}"),
    }
    // Two sockets on one port need SO_REUSEADDR on both.
    let t = k.open(Family::V4, Kind::Datagram);
    assert_eq!(k.call(Request::Bind { socket: t, address: r_addr }), Reply::Error(Error::AddressInUse));
    assert_eq!(k.call(Request::Listen { socket: t, backlog: 1 }), Reply::Error(Error::NotSupported));
    assert_eq!(k.get(t, SocketOption::TimeToLive), 64);
    k.set(t, SocketOption::TimeToLive, 5);
    assert_eq!(k.get(t, SocketOption::TimeToLive), 5);
    assert!(k.ready(t).contains(Readiness::WRITABLE));
}

#[test]
fn a_full_receive_queue_drops_and_readiness_tracks_it() {
    let mut k = Kernel::new();
    let (a, _) = bound(&mut k, v4(0));
    let r = k.open(Family::V4, Kind::Datagram);
    k.set(r, SocketOption::ReceiveBuffer, 4096);
    k.ok(Request::Bind { socket: r, address: v4(0) });
    let r_addr = match k.call(Request::LocalAddress { socket: r }) {
        Reply::Address(a) => a,
        other => panic!("{other:?}"),
    };
    for _ in 0..100 {
        send(&mut k, a, Some(r_addr), &[1u8; 1000]);
    }
    let mut got = 0;
    while let Ok(Reply::Received { .. }) = k.try_receive(r, 2000, false) {
        got += 1;
    }
    assert!(got > 0 && got <= 4, "a 4 KiB buffer holds about four 1000-byte datagrams, got {got}");
    assert!(!k.ready(r).contains(Readiness::READABLE));
}

#[test]
fn each_datagram_goes_to_the_socket_linux_would_choose() {
    let mut k = Kernel::new();
    // IPv4 and V6-only sockets on one port: each gets its own version.
    let four = k.open(Family::V4, Kind::Datagram);
    k.ok(Request::Bind { socket: four, address: any(Family::V4, 5300) });
    let six = k.open(Family::V6, Kind::Datagram);
    k.set(six, SocketOption::V6Only, 1);
    k.ok(Request::Bind { socket: six, address: any(Family::V6, 5300) });
    let (s4, _) = bound(&mut k, v4(0));
    let (s6, _) = bound(&mut k, v6(0));
    send(&mut k, s6, Some(v6(5300)), b"to six");
    send(&mut k, s4, Some(v4(5300)), b"to four");
    assert_eq!(datagram(&mut k, four, 100).0, b"to four");
    assert_eq!(datagram(&mut k, six, 100).0, b"to six");
    // A dual-stack socket hears IPv4 senders as ::ffff:a.b.c.d.
    let dual = k.open(Family::V6, Kind::Datagram);
    k.ok(Request::Bind { socket: dual, address: any(Family::V6, 5301) });
    send(&mut k, s4, Some(v4(5301)), b"mapped");
    let (data, _, from) = datagram(&mut k, dual, 100);
    assert_eq!(data, b"mapped");
    assert!(
        matches!(from, Some(Address::V6 { addr, .. }) if addr[10..12] == [0xff, 0xff] && addr[12..] == [127, 0, 0, 1])
    );
    // On a shared port, a socket connected to the sender takes its
    // datagrams; the unconnected one takes the rest.
    let (peer, peer_addr) = bound(&mut k, v4(0));
    let (other, _) = bound(&mut k, v4(0));
    let mut shared = Vec::new();
    for _ in 0..2 {
        let s = k.open(Family::V4, Kind::Datagram);
        k.set(s, SocketOption::ReuseAddress, 1);
        k.ok(Request::Bind { socket: s, address: v4(5302) });
        shared.push(s);
    }
    k.ok(Request::Connect { socket: shared[1], address: Some(peer_addr) });
    send(&mut k, other, Some(v4(5302)), b"anyone");
    send(&mut k, peer, Some(v4(5302)), b"mine");
    assert_eq!(datagram(&mut k, shared[1], 100).0, b"mine");
    assert_eq!(datagram(&mut k, shared[0], 100).0, b"anyone");
}

#[test]
fn a_socket_bound_to_an_ipv4_mapped_address_cannot_send_to_ipv6() {
    // Found by the request proptest: smoltcp panicked building the packet.
    let mut k = Kernel::new();
    let mut mapped = [0u8; 16];
    mapped[10] = 0xff;
    mapped[11] = 0xff;
    mapped[12..].copy_from_slice(&[127, 0, 0, 1]);
    let s = k.open(Family::V6, Kind::Datagram);
    k.ok(Request::Bind { socket: s, address: Address::V6 { addr: mapped, port: 0, flow_info: 0, scope_id: 0 } });
    assert_eq!(send(&mut k, s, Some(v6(9)), b"x"), Reply::Error(Error::InvalidArgument));
    let (r, r_addr) = bound(&mut k, v4(0));
    // To an IPv4 socket through the mapped form of 127.0.0.1.
    let to = Address::V6 { addr: mapped, port: r_addr.port(), flow_info: 0, scope_id: 0 };
    assert_eq!(send(&mut k, s, Some(to), b"four"), Reply::Sent(4));
    assert_eq!(datagram(&mut k, r, 10).0, b"four");
}

#[test]
fn msg_more_gathers_one_datagram() {
    for (family, lo) in [(Family::V4, v4 as fn(u16) -> Address), (Family::V6, v6)] {
        let mut k = Kernel::new();
        let (b, b_addr) = bound(&mut k, any(family, 0));
        let a = k.open(family, Kind::Datagram);
        let to = Some(lo(b_addr.port()));
        let more = |k: &mut Kernel, to, data: &[u8]| k.call(Request::Send { socket: a, to, data, more: true });
        assert_eq!(more(&mut k, to, b"0123"), Reply::Sent(4));
        let a_addr = match k.call(Request::LocalAddress { socket: a }) {
            Reply::Address(addr) => addr,
            other => panic!("{other:?}"),
        };
        assert_ne!(a_addr.port(), 0, "bound at the first send, as on Linux");
        // A later destination is ignored while a datagram is gathered.
        assert_eq!(more(&mut k, Some(lo(9)), b"4567"), Reply::Sent(4));
        k.poll_for(Duration::from_millis(100));
        assert_eq!(k.try_receive(b, 100, false), Err(Error::WouldBlock), "nothing sent yet");
        assert_eq!(send(&mut k, a, None, b"89"), Reply::Sent(2));
        let (data, full, from) = datagram(&mut k, b, 100);
        assert_eq!((data.as_slice(), full), (&b"0123456789"[..], 10), "{family:?}");
        assert_eq!(from.map(|f| f.port()), Some(a_addr.port()), "from the port bound at the first send");
        assert_eq!(k.try_receive(b, 100, false), Err(Error::WouldBlock), "one datagram");

        // Too much for one datagram: EMSGSIZE, and the gathered bytes go.
        assert_eq!(more(&mut k, to, &vec![1; 40000]), Reply::Sent(40000));
        assert_eq!(more(&mut k, to, &vec![1; 40000]), Reply::Error(Error::MessageTooLong));
        assert_eq!(send(&mut k, a, to, b"fresh"), Reply::Sent(5));
        let (data, _, _) = datagram(&mut k, b, 100);
        assert_eq!(data, b"fresh");
    }
}

#[test]
fn the_cork_option_gathers_sends_until_it_is_cleared() {
    let mut k = Kernel::new();
    let (b, b_addr) = bound(&mut k, any(Family::V4, 0));
    let a = k.open(Family::V4, Kind::Datagram);
    let to = Some(v4(b_addr.port()));
    k.set(a, SocketOption::Cork, 1);
    assert_eq!(k.get(a, SocketOption::Cork), 1);
    assert_eq!(send(&mut k, a, to, b"one "), Reply::Sent(4));
    assert_eq!(send(&mut k, a, to, b"two"), Reply::Sent(3));
    k.poll_for(Duration::from_millis(500));
    assert_eq!(k.try_receive(b, 100, false), Err(Error::WouldBlock), "held while corked");
    k.set(a, SocketOption::Cork, 0);
    let (data, _, _) = datagram(&mut k, b, 100);
    assert_eq!(data, b"one two", "one datagram of both sends");
    assert_eq!(k.try_receive(b, 100, false), Err(Error::WouldBlock), "and only one");
    let t = k.open(Family::V4, Kind::Ping);
    assert_eq!(
        k.call(Request::SetOption { socket: t, option: SocketOption::Cork, value: 1 }),
        Reply::Error(Error::NoSuchOption)
    );
}

#[test]
fn a_connected_socket_hears_that_nobody_listens() {
    for (family, lo) in [(Family::V4, v4 as fn(u16) -> Address), (Family::V6, v6)] {
        let mut k = Kernel::new();
        let (closed, closed_addr) = bound(&mut k, any(family, 0));
        k.ok(Request::Close { socket: closed });
        let a = k.open(family, Kind::Datagram);
        k.ok(Request::Connect { socket: a, address: Some(lo(closed_addr.port())) });
        assert_eq!(send(&mut k, a, None, b"anyone?"), Reply::Sent(7));
        k.wait(a, Readiness::ERROR);
        assert_eq!(k.try_receive(a, 100, false), Err(Error::ConnectionRefused), "{family:?}");
        assert_eq!(k.try_receive(a, 100, false), Err(Error::WouldBlock), "reported once");
        // The next send fails instead, when it comes first.
        assert_eq!(send(&mut k, a, None, b"again?"), Reply::Sent(6));
        k.wait(a, Readiness::ERROR);
        assert_eq!(send(&mut k, a, None, b"x"), Reply::Error(Error::ConnectionRefused));
        // An unconnected socket is told nothing, as on Linux.
        let b = k.open(family, Kind::Datagram);
        assert_eq!(send(&mut k, b, Some(lo(closed_addr.port())), b"hello?"), Reply::Sent(6));
        k.poll_for(Duration::from_millis(100));
        assert_eq!(k.ready(b).0 & Readiness::ERROR.0, 0);
        assert_eq!(k.try_receive(b, 100, false), Err(Error::WouldBlock));
    }
}
