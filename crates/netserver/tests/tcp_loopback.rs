//! TCP over 127.0.0.1 and ::1, driven as the kernel drives the server.

mod common;

use common::*;
use netproto::{Address, Error, Family, Kind, Readiness, Request, SocketOption};
use netserver::Duration;

fn pattern(len: usize, seed: u32) -> Vec<u8> {
    (0..len as u32).map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8).collect()
}

fn connect_accept_exchange(family: Family, loopback: fn(u16) -> Address) {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(any(family, 0), 8);
    assert!((32768..=60999).contains(&port), "ephemeral port {port}");
    let client = k.connect(family, loopback(port)).expect("connect");
    let (server, peer) = k.accept(listener);
    match (k.call(Request::LocalAddress { socket: client }), peer) {
        (Reply::Address(local), peer) => assert_eq!(local, peer),
        other => panic!("{other:?}"),
    }
    assert_eq!(k.call(Request::PeerAddress { socket: client }), Reply::Address(loopback(port)));
    k.send_all(client, b"ping");
    assert_eq!(k.receive(server, 100).unwrap(), b"ping");
    k.send_all(server, b"pong!");
    assert_eq!(k.receive(client, 100).unwrap(), b"pong!");
    assert_eq!(k.get(client, SocketOption::TcpState), 1);
    assert_eq!(k.get(listener, SocketOption::TcpState), 10);
    assert_eq!(k.get(listener, SocketOption::AcceptConnections), 1);
    k.ok(Request::Close { socket: client });
    assert_eq!(k.receive(server, 100).unwrap(), b"", "end of stream after the peer's close");
    k.ok(Request::Close { socket: server });
    k.ok(Request::Close { socket: listener });
    assert_eq!(k.call(Request::Close { socket: server }), Reply::Error(Error::BadHandle));
}

#[test]
fn connect_accept_and_data_over_ipv4() {
    connect_accept_exchange(Family::V4, v4);
}

#[test]
fn connect_accept_and_data_over_ipv6() {
    connect_accept_exchange(Family::V6, v6);
}

#[test]
fn half_close_delivers_end_of_stream_one_way() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 4);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    k.send_all(client, b"request");
    k.ok(Request::Shutdown { socket: client, read: false, write: true });
    assert_eq!(k.receive_to_end(server), b"request");
    assert!(k.ready(server).contains(Readiness::READ_CLOSED));
    // The other direction still works.
    assert_eq!(
        k.call(Request::Send { socket: client, to: None, data: b"x", more: false }),
        Reply::Error(Error::BrokenPipe)
    );
    k.send_all(server, b"response");
    k.ok(Request::Close { socket: server });
    assert_eq!(k.receive_to_end(client), b"response");
    k.wait(client, Readiness::HANGUP);
}

#[test]
fn several_mebibytes_through_small_windows() {
    let mut k = Kernel::new();
    let listener = k.open(Family::V6, Kind::Stream);
    k.set(listener, SocketOption::ReceiveBuffer, 4096);
    k.set(listener, SocketOption::SendBuffer, 4096);
    k.ok(Request::Bind { socket: listener, address: any(Family::V6, 5000) });
    k.ok(Request::Listen { socket: listener, backlog: 1 });
    let client = k.open(Family::V6, Kind::Stream);
    k.set(client, SocketOption::SendBuffer, 3000);
    k.set(client, SocketOption::ReceiveBuffer, 3000);
    assert_eq!(k.call(Request::Connect { socket: client, address: Some(v6(5000)) }), Reply::Error(Error::InProgress));
    let (server, _) = k.accept(listener);
    let data = pattern(3 << 20, 7);
    let mut sent = 0;
    let mut got = Vec::new();
    while got.len() < data.len() {
        if sent < data.len() {
            let end = (sent + 10_000).min(data.len());
            match k.call(Request::Send { socket: client, to: None, data: &data[sent..end], more: false }) {
                Reply::Sent(n) => sent += n as usize,
                Reply::Error(Error::WouldBlock) => {}
                other => panic!("{other:?}"),
            }
        }
        match k.try_receive(server, 65536, false) {
            Ok(Reply::Received { data, .. }) => {
                assert!(!data.is_empty(), "no end of stream before the close");
                got.extend_from_slice(&data);
            }
            Err(Error::WouldBlock) => k.poll(),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(got, data);
    k.ok(Request::Close { socket: client });
    assert_eq!(k.receive(server, 10).unwrap(), b"");
}

#[test]
fn connecting_to_a_closed_port_is_refused() {
    let mut k = Kernel::new();
    let s = k.connect_start(Family::V4, v4(9));
    k.wait(s, Readiness::ERROR);
    let r = k.ready(s);
    assert!(r.contains(Readiness::ERROR | Readiness::HANGUP | Readiness::WRITABLE), "{r:?}");
    assert_eq!(
        k.call(Request::Connect { socket: s, address: Some(v4(9)) }),
        Reply::Error(Error::ConnectionRefused),
        "the next connect reports the failure, as on Linux"
    );
    assert_eq!(k.get(s, SocketOption::Error), 0, "taken once");
    let s = k.open(Family::V6, Kind::Stream);
    assert_eq!(k.call(Request::Connect { socket: s, address: Some(v6(9)) }), Reply::Error(Error::InProgress));
    k.wait(s, Readiness::ERROR);
    assert_eq!(k.get(s, SocketOption::Error), u64::from(Error::ConnectionRefused.code()));
}

#[test]
fn a_non_blocking_connect_reports_writable_then_is_connected() {
    let mut k = Kernel::new();
    let (_listener, port) = k.listener(v4(0), 1);
    let s = k.connect_start(Family::V4, v4(port));
    assert_eq!(
        k.call(Request::Send { socket: s, to: None, data: b"", more: false }).clone(),
        k.call(Request::Send { socket: s, to: None, data: b"", more: false })
    );
    k.wait(s, Readiness::WRITABLE);
    assert_eq!(k.get(s, SocketOption::Error), 0);
    assert_eq!(k.call(Request::Connect { socket: s, address: Some(v4(port)) }), Reply::Error(Error::AlreadyConnected));
}

#[test]
fn two_hundred_connections_on_one_listener() {
    let mut k = Kernel::new();
    let listener = k.open(Family::V4, Kind::Stream);
    k.set(listener, SocketOption::ReceiveBuffer, 4096);
    k.set(listener, SocketOption::SendBuffer, 4096);
    k.ok(Request::Bind { socket: listener, address: v4(7000) });
    k.ok(Request::Listen { socket: listener, backlog: 200 });
    let mut clients = Vec::new();
    for _ in 0..200 {
        let c = k.open(Family::V4, Kind::Stream);
        k.set(c, SocketOption::ReceiveBuffer, 4096);
        k.set(c, SocketOption::SendBuffer, 4096);
        assert_eq!(k.call(Request::Connect { socket: c, address: Some(v4(7000)) }), Reply::Error(Error::InProgress));
        clients.push(c);
    }
    let mut servers = Vec::new();
    for _ in 0..200 {
        servers.push(k.accept(listener).0);
    }
    assert_eq!(k.call(Request::Accept { socket: listener }), Reply::Error(Error::WouldBlock));
    // Each client talks to the server that accepted it: match by address.
    for (i, &c) in clients.iter().enumerate() {
        k.send_all(c, format!("client {i}").as_bytes());
    }
    let mut heard = Vec::new();
    for &s in &servers {
        let msg = k.receive(s, 100).unwrap();
        k.send_all(s, &msg);
        heard.push(String::from_utf8(msg).unwrap());
    }
    heard.sort();
    let mut expected: Vec<String> = (0..200).map(|i| format!("client {i}")).collect();
    expected.sort();
    assert_eq!(heard, expected);
    for (i, &c) in clients.iter().enumerate() {
        assert_eq!(k.receive(c, 100).unwrap(), format!("client {i}").as_bytes());
    }
}

#[test]
fn reuse_address_rebinds_a_port_after_close() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 2);
    let second = k.open(Family::V4, Kind::Stream);
    assert_eq!(k.call(Request::Bind { socket: second, address: v4(port) }), Reply::Error(Error::AddressInUse));
    k.set(second, SocketOption::ReuseAddress, 1);
    assert_eq!(
        k.call(Request::Bind { socket: second, address: any(Family::V4, port) }),
        Reply::Error(Error::AddressInUse),
        "a listener blocks even with SO_REUSEADDR"
    );
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    // The server closes first: its side goes through TIME-WAIT.
    k.ok(Request::Close { socket: server });
    k.ok(Request::Close { socket: listener });
    assert_eq!(k.receive(client, 10).unwrap(), b"");
    k.ok(Request::Close { socket: client });
    let plain = k.open(Family::V4, Kind::Stream);
    assert_eq!(
        k.call(Request::Bind { socket: plain, address: v4(port) }),
        Reply::Error(Error::AddressInUse),
        "TIME-WAIT holds the port"
    );
    let reuse = k.open(Family::V4, Kind::Stream);
    k.set(reuse, SocketOption::ReuseAddress, 1);
    k.ok(Request::Bind { socket: reuse, address: v4(port) });
    k.ok(Request::Listen { socket: reuse, backlog: 1 });
    let again = k.connect(Family::V4, v4(port)).unwrap();
    let (s, _) = k.accept(reuse);
    k.send_all(again, b"again");
    assert_eq!(k.receive(s, 10).unwrap(), b"again");
}

#[test]
fn peek_leaves_data_queued() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 1);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    k.send_all(client, b"hello world");
    k.wait(server, Readiness::READABLE);
    assert_eq!(k.get(server, SocketOption::ReadableBytes), 11);
    match k.try_receive(server, 5, true) {
        Ok(Reply::Received { data, .. }) => assert_eq!(data, b"hello"),
        other => panic!("{other:?}"),
    }
    assert_eq!(k.receive(server, 100).unwrap(), b"hello world");
}

#[test]
fn closing_with_unread_data_resets_the_peer() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 1);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    k.send_all(client, b"unread");
    k.wait(server, Readiness::READABLE);
    k.ok(Request::Close { socket: server });
    k.wait(client, Readiness::ERROR);
    assert_eq!(k.receive(client, 10), Err(Error::ConnectionReset));
    assert_eq!(k.receive(client, 10).unwrap(), b"", "then end of stream");
    assert_eq!(
        k.call(Request::Send { socket: client, to: None, data: b"x", more: false }),
        Reply::Error(Error::BrokenPipe)
    );
}

#[test]
fn data_for_a_closed_socket_resets_its_sender() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 1);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    // The client closes with nothing unread: an orderly FIN.
    k.ok(Request::Close { socket: client });
    k.wait(server, Readiness::READ_CLOSED);
    // What the server then sends reaches a socket nobody can read: reset.
    assert_eq!(k.call(Request::Send { socket: server, to: None, data: b"late", more: false }), Reply::Sent(4));
    k.wait(server, Readiness::ERROR);
    assert_eq!(
        k.call(Request::Send { socket: server, to: None, data: b"x", more: false }),
        Reply::Error(Error::ConnectionReset)
    );
    assert_eq!(
        k.call(Request::Send { socket: server, to: None, data: b"x", more: false }),
        Reply::Error(Error::BrokenPipe)
    );
}

#[test]
fn a_dual_stack_listener_takes_ipv4_and_v6_only_does_not() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(any(Family::V6, 0), 2);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (_server, peer) = k.accept(listener);
    let mut mapped = [0u8; 16];
    mapped[10] = 0xff;
    mapped[11] = 0xff;
    mapped[12..].copy_from_slice(&[127, 0, 0, 1]);
    let client_port = match k.call(Request::LocalAddress { socket: client }) {
        Reply::Address(a) => a.port(),
        other => panic!("{other:?}"),
    };
    assert_eq!(peer, Address::V6 { addr: mapped, port: client_port, flow_info: 0, scope_id: 0 });
    // A V6-only listener and a V4 listener share a port; each gets its own.
    let only6 = k.open(Family::V6, Kind::Stream);
    k.set(only6, SocketOption::V6Only, 1);
    k.ok(Request::Bind { socket: only6, address: any(Family::V6, 6000) });
    k.ok(Request::Listen { socket: only6, backlog: 2 });
    let (listen4, _) = k.listener(any(Family::V4, 6000), 2);
    let c4 = k.connect(Family::V4, v4(6000)).unwrap();
    let c6 = k.connect(Family::V6, v6(6000)).unwrap();
    let (s4, _) = k.accept(listen4);
    let (s6, _) = k.accept(only6);
    k.send_all(c4, b"four");
    k.send_all(c6, b"six");
    assert_eq!(k.receive(s4, 10).unwrap(), b"four");
    assert_eq!(k.receive(s6, 10).unwrap(), b"six");
    k.ok(Request::Close { socket: listen4 });
    // With nobody left for IPv4 on the port, an IPv4 SYN is refused
    // before any handshake, though the V6-only listener's smoltcp sockets
    // (which listen on both versions) took it in.
    assert_eq!(k.connect(Family::V4, v4(6000)), Err(Error::ConnectionRefused));
    assert_eq!(k.call(Request::Accept { socket: only6 }), Reply::Error(Error::WouldBlock));
}

#[test]
fn reuse_port_listeners_share_connections() {
    let mut k = Kernel::new();
    let mut listeners = Vec::new();
    for _ in 0..2 {
        let l = k.open(Family::V4, Kind::Stream);
        k.set(l, SocketOption::ReusePort, 1);
        k.ok(Request::Bind { socket: l, address: v4(6100) });
        k.ok(Request::Listen { socket: l, backlog: 8 });
        listeners.push(l);
    }
    for _ in 0..6 {
        k.connect(Family::V4, v4(6100)).unwrap();
    }
    let mut accepted = 0;
    for &l in &listeners {
        while let Reply::Accepted(..) = k.call(Request::Accept { socket: l }) {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 6);
}

#[test]
fn hostile_handles_and_options_are_refused() {
    let mut k = Kernel::new();
    let s = k.open(Family::V4, Kind::Stream);
    for bad in [netproto::SocketHandle(0), netproto::SocketHandle(s.0 ^ (1 << 32)), netproto::SocketHandle(u64::MAX)] {
        assert_eq!(k.call(Request::Accept { socket: bad }), Reply::Error(Error::BadHandle));
    }
    assert_eq!(
        k.call(Request::SetOption { socket: s, option: SocketOption::V6Only, value: 1 }),
        Reply::Error(Error::NoSuchOption)
    );
    assert_eq!(
        k.call(Request::SetOption { socket: s, option: SocketOption::TcpState, value: 1 }),
        Reply::Error(Error::InvalidArgument)
    );
    assert_eq!(
        k.call(Request::SetOption { socket: s, option: SocketOption::TimeToLive, value: 300 }),
        Reply::Error(Error::InvalidArgument)
    );
    k.set(s, SocketOption::SendBuffer, u64::MAX);
    assert_eq!(k.get(s, SocketOption::SendBuffer), 4 << 20);
    assert_eq!(
        k.call(Request::Bind { socket: s, address: Address::V4 { addr: [10, 9, 9, 9], port: 1 } }),
        Reply::Error(Error::AddressNotAvailable)
    );
    assert_eq!(k.call(Request::Bind { socket: s, address: v6(1) }), Reply::Error(Error::FamilyNotSupported));
    assert_eq!(k.call(Request::Receive { socket: s, max: 10, peek: false }), Reply::Error(Error::NotConnected));
    assert_eq!(
        k.call(Request::Connect { socket: s, address: Some(Address::V4 { addr: [8, 8, 8, 8], port: 53 }) }),
        Reply::Error(Error::NetworkUnreachable)
    );
    assert_eq!(k.stack.handle(&[0xff, 1, 2], &mut [0u8; 64], k.now), 7);
}

#[test]
fn limits_are_errors_and_dropped_connections_not_panics() {
    let limits = netserver::Limits { max_sockets: 5, buffer_bytes: 5 * 8192, ..Default::default() };
    let mut k = Kernel::with_limits(limits);
    let listener = k.open(Family::V4, Kind::Stream);
    k.set(listener, SocketOption::ReceiveBuffer, 4096);
    k.set(listener, SocketOption::SendBuffer, 4096);
    k.ok(Request::Bind { socket: listener, address: v4(7100) });
    // Room for only part of the pool: listening still works.
    k.ok(Request::Listen { socket: listener, backlog: 100 });
    let mut clients = Vec::new();
    let mut refused = Vec::new();
    for _ in 0..4 {
        let c = k.open(Family::V4, Kind::Stream);
        k.set(c, SocketOption::ReceiveBuffer, 4096);
        k.set(c, SocketOption::SendBuffer, 4096);
        match k.call(Request::Connect { socket: c, address: Some(v4(7100)) }) {
            Reply::Error(Error::InProgress) => clients.push(c),
            Reply::Error(Error::NoBufferSpace) => refused.push(c),
            other => panic!("{other:?}"),
        }
    }
    assert!(!refused.is_empty(), "the budget ran out");
    assert_eq!(k.call(Request::Open { family: Family::V4, kind: Kind::Datagram }), Reply::Error(Error::TooManySockets));
    assert_eq!(k.call(Request::Accept { socket: listener }), Reply::Error(Error::TooManySockets));
    k.ok(Request::Close { socket: refused[0] });
    // Whatever got through works.
    let (s, _) = k.accept(listener);
    k.ok(Request::Close { socket: s });
}

#[test]
fn large_buffers_use_window_scaling() {
    let mut k = Kernel::new();
    let listener = k.open(Family::V4, Kind::Stream);
    k.set(listener, SocketOption::ReceiveBuffer, 1 << 20);
    k.ok(Request::Bind { socket: listener, address: v4(7200) });
    k.ok(Request::Listen { socket: listener, backlog: 1 });
    let client = k.open(Family::V4, Kind::Stream);
    k.set(client, SocketOption::SendBuffer, 1 << 20);
    k.set(client, SocketOption::NoDelay, 1);
    k.set(client, SocketOption::KeepAlive, 1);
    assert_eq!(k.call(Request::Connect { socket: client, address: Some(v4(7200)) }), Reply::Error(Error::InProgress));
    let (server, _) = k.accept(listener);
    // More than a 64 KiB window is in flight at once: one send of 1 MiB
    // is taken whole and arrives without the receiver reading in between.
    let data = pattern(1 << 20, 3);
    let mut sent = 0;
    while sent < data.len() {
        match k.call(Request::Send {
            socket: client,
            to: None,
            data: &data[sent..(sent + 60000).min(data.len())],
            more: false,
        }) {
            Reply::Sent(n) => sent += n as usize,
            other => panic!("{other:?}"),
        }
    }
    k.poll();
    assert!(k.get(server, SocketOption::ReadableBytes) > 65535, "the window scaled past 64 KiB");
    let mut got = Vec::new();
    while got.len() < data.len() {
        got.extend(k.receive(server, 65536).unwrap());
    }
    assert_eq!(got, data);
    assert_eq!(k.get(client, SocketOption::NoDelay), 1);
}

#[test]
fn a_connection_reset_before_accept_is_accepted_and_reports_the_reset() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 2);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let client_addr = match k.call(Request::LocalAddress { socket: client }) {
        Reply::Address(a) => a,
        other => panic!("{other:?}"),
    };
    // SO_LINGER {on, 0}: close resets.
    k.set(client, SocketOption::Linger, 1);
    k.ok(Request::Close { socket: client });
    k.poll();
    let (server, peer) = k.accept(listener);
    assert_eq!(peer, client_addr, "the peer as it was");
    assert!(k.ready(server).contains(Readiness::ERROR | Readiness::HANGUP));
    assert_eq!(k.receive(server, 10), Err(Error::ConnectionReset));
}

#[test]
fn closed_connections_give_their_buffers_back_in_time_wait() {
    // Room for 64 sockets with the default buffers (96 KiB each): the
    // listener's pool of 8 and 28 connections, both ends.
    let limits = netserver::Limits { buffer_bytes: 6 << 20, ..netserver::Limits::default() };
    let mut k = Kernel::with_limits(limits);
    let (listener, port) = k.listener(v4(0), 8);
    for round in 0..10 {
        let client = k.connect(Family::V4, v4(port)).unwrap_or_else(|e| panic!("round {round}: {e:?}"));
        let (server, _) = k.accept(listener);
        k.send_all(client, b"ping");
        assert_eq!(k.receive(server, 10).unwrap(), b"ping");
        // The client closes first: its side waits in TIME-WAIT.
        k.ok(Request::Close { socket: client });
        k.wait(server, Readiness::READ_CLOSED);
        k.ok(Request::Close { socket: server });
        k.poll();
    }
    // Ten closed connections later, the budget is whole again: 25
    // connections at once fit (with the ten TIME-WAIT sockets still
    // holding their buffers, 23 would).
    let mut open = Vec::new();
    for i in 0..25 {
        let client = k.connect(Family::V4, v4(port)).unwrap_or_else(|e| panic!("connection {i}: {e:?}"));
        let (server, _) = k.accept(listener);
        open.push((client, server));
    }
    // The ports of the TIME-WAIT connections are still held: the listener's
    // port cannot be bound again without SO_REUSEADDR.
    let again = k.open(Family::V4, Kind::Stream);
    assert_eq!(k.call(Request::Bind { socket: again, address: v4(port) }), Reply::Error(Error::AddressInUse));
}

#[test]
fn data_after_both_half_closes_is_still_read() {
    // What busybox's `nc -l` does with /dev/null as its input: it shuts
    // its writing side down at once, then reads what the client sends
    // before the client shuts down too.
    for family in [Family::V4, Family::V6] {
        let mut k = Kernel::new();
        let any_port = if family == Family::V4 { v4(0) } else { v6(0) };
        let (listener, port) = k.listener(any_port, 1);
        let to = if family == Family::V4 { v4(port) } else { v6(port) };
        let client = k.connect(family, to).unwrap();
        let (server, _) = k.accept(listener);
        k.ok(Request::Close { socket: listener });
        k.ok(Request::Shutdown { socket: server, read: false, write: true });
        k.send_all(client, b"line one\nline two\n");
        k.ok(Request::Shutdown { socket: client, read: false, write: true });
        assert_eq!(k.receive(client, 100), Ok(vec![]), "the server's FIN");
        k.ok(Request::Close { socket: client });
        k.poll_for(netserver::Duration::from_millis(500));
        assert_eq!(k.receive(server, 100), Ok(b"line one\nline two\n".to_vec()), "{family:?}");
        assert_eq!(k.receive(server, 100), Ok(vec![]), "then the end");
    }
}

#[test]
fn msg_more_holds_bytes_back_until_a_send_without_it() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 1);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    let more = |k: &mut Kernel, data: &[u8]| k.call(Request::Send { socket: client, to: None, data, more: true });
    assert_eq!(more(&mut k, b"abc"), Reply::Sent(3));
    assert_eq!(more(&mut k, b"def"), Reply::Sent(3));
    k.poll_for(Duration::from_millis(100));
    assert_eq!(k.try_receive(server, 100, false), Err(Error::WouldBlock), "corked bytes left");
    assert_eq!(k.get(client, SocketOption::UnsentBytes), 6, "SIOCOUTQ counts the corked bytes");
    k.send_all(client, b"g");
    k.wait(server, Readiness::READABLE);
    let mut got = Vec::new();
    while got.len() < 7 {
        got.extend(k.receive(server, 100).unwrap());
    }
    assert_eq!(got, b"abcdefg", "in order, all together");

    // Nothing releases them: they leave after 200 ms, as Linux's probe
    // timer sends them.
    assert_eq!(more(&mut k, b"late"), Reply::Sent(4));
    k.poll_for(Duration::from_millis(100));
    assert_eq!(k.try_receive(server, 100, false), Err(Error::WouldBlock), "still corked after 100 ms");
    k.wait(server, Readiness::READABLE);
    assert_eq!(k.receive(server, 100).unwrap(), b"late");

    // A whole segment's worth goes at once; shutdown sends the rest
    // before the FIN.
    let big = vec![7u8; 3000];
    assert_eq!(more(&mut k, &big), Reply::Sent(3000));
    k.wait(server, Readiness::READABLE);
    let first = k.receive(server, 65536).unwrap();
    assert!(!first.is_empty() && first.len() < 3000 && first.len().is_multiple_of(1460), "{}", first.len());
    k.ok(Request::Shutdown { socket: client, read: false, write: true });
    let rest = k.receive_to_end(server);
    assert_eq!(first.len() + rest.len(), 3000, "the corked tail arrived before the end of stream");
}

#[test]
fn closing_a_corked_stream_delivers_its_bytes() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 1);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    assert_eq!(k.call(Request::Send { socket: client, to: None, data: b"last words", more: true }), Reply::Sent(10));
    k.ok(Request::Close { socket: client });
    assert_eq!(k.receive_to_end(server), b"last words");
}

/// inet_loopback.c's 200 connections at once, with the default buffers
/// and user/netstack's buffer budget: every SYN finds a listening socket
/// (a pool that cannot grow answers with a reset: connection refused).
#[test]
fn two_hundred_connections_with_default_buffers_in_the_servers_budget() {
    let mut k =
        Kernel::with_limits(netserver::Limits { buffer_bytes: netserver::SERVER_BUFFER_BYTES, ..Default::default() });
    let (listener, port) = k.listener(v4(0), 216);
    let clients: Vec<_> = (0..200).map(|_| k.connect_start(Family::V4, v4(port))).collect();
    let servers: Vec<_> = (0..200).map(|_| k.accept(listener).0).collect();
    for (i, &c) in clients.iter().enumerate() {
        assert_eq!(k.get(c, SocketOption::Error), 0, "client {i}");
    }
    assert_eq!(servers.len(), 200);
}

#[test]
fn a_full_backlog_drops_syns_and_the_client_retries() {
    let mut k = Kernel::new();
    // Backlog 0: one connection waits for accept at most, as on Linux.
    let (listener, port) = k.listener(v4(0), 0);
    let first = k.connect(Family::V4, v4(port)).unwrap();
    // The backlog is full: the next SYN is dropped, not answered with a
    // reset, as on Linux.
    let second = k.connect_start(Family::V4, v4(port));
    for _ in 0..10 {
        k.poll();
    }
    assert!(
        !k.ready(second).contains(Readiness::WRITABLE) && !k.ready(second).contains(Readiness::ERROR),
        "connected or refused while the backlog is full: {:?}",
        k.ready(second)
    );
    let (a, _) = k.accept(listener);
    // Accepting made room: the client's next SYN is taken.
    k.wait(second, Readiness::WRITABLE | Readiness::ERROR | Readiness::HANGUP);
    assert_eq!(k.get(second, SocketOption::Error), 0, "the retried connect succeeds");
    let (b, _) = k.accept(listener);
    k.send_all(second, b"late");
    assert_eq!(k.receive(b, 10).unwrap(), b"late");
    for s in [first, second, a, b] {
        k.ok(Request::Close { socket: s });
    }
    // A full listener that closes leaves its port refusing again.
    let third = k.connect(Family::V4, v4(port)).unwrap();
    let fourth = k.connect_start(Family::V4, v4(port));
    k.poll();
    k.ok(Request::Close { socket: listener });
    k.wait(fourth, Readiness::ERROR | Readiness::HANGUP | Readiness::WRITABLE);
    assert_eq!(k.get(fourth, SocketOption::Error), u64::from(Error::ConnectionRefused.code()));
    assert_eq!(k.connect(Family::V4, v4(port)), Err(Error::ConnectionRefused));
    k.ok(Request::Close { socket: third });
}

#[test]
fn the_accept_queue_holds_one_more_than_the_backlog() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 2);
    let taken: Vec<netproto::SocketHandle> = (0..3).map(|_| k.connect(Family::V4, v4(port)).unwrap()).collect();
    let waiting = k.connect_start(Family::V4, v4(port));
    for _ in 0..10 {
        k.poll();
    }
    assert_eq!(k.ready(waiting), Readiness::NONE, "a fourth connection waits for room");
    for _ in &taken {
        k.accept(listener);
    }
    k.wait(waiting, Readiness::WRITABLE | Readiness::ERROR);
    assert_eq!(k.get(waiting, SocketOption::Error), 0);
}

#[test]
fn the_cork_option_holds_a_stream_until_it_is_cleared() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 1);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    k.set(client, SocketOption::Cork, 1);
    assert_eq!(k.call(Request::Send { socket: client, to: None, data: b"ab", more: false }), Reply::Sent(2));
    assert_eq!(k.call(Request::Send { socket: client, to: None, data: b"cd", more: false }), Reply::Sent(2));
    k.poll_for(Duration::from_millis(50));
    assert_eq!(k.try_receive(server, 10, false), Err(Error::WouldBlock), "held while corked");
    assert_eq!(k.get(client, SocketOption::UnsentBytes), 4);
    k.set(client, SocketOption::Cork, 0);
    assert_eq!(k.receive(server, 10).unwrap(), b"abcd");
}
