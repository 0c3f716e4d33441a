//! ICMP sockets over 127.0.0.1 and ::1: ping sockets (the server owns the
//! echo identifier) and raw sockets (IPv4 with the IP header).

mod common;

use common::*;
use netproto::{Address, Error, Family, Kind, Readiness, Request, SocketHandle, SocketOption};

fn lo(family: Family) -> Address {
    match family {
        Family::V4 => v4(0),
        Family::V6 => v6(0),
    }
}

fn echo_type(family: Family) -> (u8, u8) {
    match family {
        Family::V4 => (8, 0),
        Family::V6 => (128, 129),
    }
}

/// An echo request with identifier `ident`, sequence `seq`, a payload,
/// and a checksum left wrong on purpose (the server must fill it in for
/// ping sockets).
fn echo_request(family: Family, ident: u16, seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut m = vec![echo_type(family).0, 0, 0xde, 0xad];
    m.extend_from_slice(&ident.to_be_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(payload);
    m
}

fn sum(data: &[u8], start: u32) -> u16 {
    let mut s = start;
    for pair in data.chunks(2) {
        s += u32::from(u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]));
    }
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

fn local_port(k: &mut Kernel, s: SocketHandle) -> u16 {
    match k.call(Request::LocalAddress { socket: s }) {
        Reply::Address(a) => a.port(),
        other => panic!("{other:?}"),
    }
}

fn receive(k: &mut Kernel, s: SocketHandle, max: u32) -> (Vec<u8>, u32, Option<Address>) {
    k.wait(s, Readiness::READABLE);
    match k.try_receive(s, max, false) {
        Ok(Reply::Received { data, full_length, from }) => (data, full_length, from),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_ping_socket_gets_its_echo_reply_with_its_identifier() {
    for family in [Family::V4, Family::V6] {
        let mut k = Kernel::new();
        let s = k.open(family, Kind::Ping);
        // No identifier before the first send.
        assert_eq!(local_port(&mut k, s), 0);
        let request = echo_request(family, 0x4242, 7, b"helctic ping");
        assert_eq!(
            k.call(Request::Send { socket: s, to: Some(lo(family)), data: &request, more: false }),
            Reply::Sent(request.len() as u32)
        );
        let ident = local_port(&mut k, s);
        assert_ne!(ident, 0, "the send chose an identifier");
        let (data, full, from) = receive(&mut k, s, 1000);
        assert_eq!(full as usize, data.len());
        assert_eq!(from, Some(lo(family)), "the sender, port 0");
        assert_eq!(k.hop_limit, Some(64), "the reply's TTL or hop limit comes along");
        assert_eq!(data.len(), request.len(), "no IP header on a ping socket");
        assert_eq!(data[0], echo_type(family).1 * u8::from(family == Family::V6), "an echo reply");
        assert_eq!(u16::from_be_bytes([data[4], data[5]]), ident, "the identifier was rewritten");
        assert_eq!(&data[6..8], &[0, 7], "the sequence is the caller's");
        assert_eq!(&data[8..], b"helctic ping");
        if family == Family::V4 {
            assert_eq!(sum(&data, 0), 0, "a good checksum");
        }
        // Only one reply: the request itself is not delivered to a ping socket.
        k.poll();
        assert_eq!(k.try_receive(s, 1000, false), Err(Error::WouldBlock));
    }
}

#[test]
fn ping_sockets_refuse_what_linux_refuses() {
    let mut k = Kernel::new();
    let s = k.open(Family::V4, Kind::Ping);
    let send = |k: &mut Kernel, to, data: &[u8]| k.call(Request::Send { socket: s, to, data, more: false });
    // Not an echo request, a non-zero code, shorter than a header.
    assert_eq!(send(&mut k, Some(v4(0)), &[0, 0, 0, 0, 0, 0, 0, 0]), Reply::Error(Error::InvalidArgument));
    assert_eq!(send(&mut k, Some(v4(0)), &[8, 1, 0, 0, 0, 0, 0, 0]), Reply::Error(Error::InvalidArgument));
    assert_eq!(send(&mut k, Some(v4(0)), &[8, 0, 0, 0]), Reply::Error(Error::InvalidArgument));
    // An ICMPv6 echo request on an IPv4 socket is not an echo request.
    assert_eq!(send(&mut k, Some(v4(0)), &echo_request(Family::V6, 1, 1, b"")), Reply::Error(Error::InvalidArgument));
    assert_eq!(send(&mut k, None, &echo_request(Family::V4, 1, 1, b"")), Reply::Error(Error::DestinationRequired));
    assert_eq!(
        send(&mut k, Some(v6(0)), &echo_request(Family::V4, 1, 1, b"")),
        Reply::Error(Error::FamilyNotSupported)
    );
    assert_eq!(k.call(Request::Listen { socket: s, backlog: 1 }), Reply::Error(Error::NotSupported));
    // A broadcast needs SO_BROADCAST (Linux: EACCES).
    let broadcast = Some(Address::V4 { addr: [127, 255, 255, 255], port: 0 });
    let echo = echo_request(Family::V4, 1, 1, b"");
    assert_eq!(send(&mut k, broadcast, &echo), Reply::Error(Error::PermissionDenied));
    let raw = k.open(Family::V4, Kind::Raw);
    assert_eq!(
        k.call(Request::Send { socket: raw, to: broadcast, data: &echo, more: false }),
        Reply::Error(Error::PermissionDenied)
    );
    // Nothing went out, so nothing comes back.
    k.poll();
    assert_eq!(k.try_receive(s, 100, false), Err(Error::WouldBlock));
    assert_eq!(local_port(&mut k, s), 0, "a refused send binds nothing");
    k.set(s, SocketOption::Broadcast, 1);
    assert_eq!(send(&mut k, broadcast, &echo), Reply::Sent(8), "with SO_BROADCAST");
}

#[test]
fn identifiers_are_bound_and_shared_as_linux_does() {
    let mut k = Kernel::new();
    let a = k.open(Family::V4, Kind::Ping);
    k.ok(Request::Bind { socket: a, address: v4(5000) });
    assert_eq!(local_port(&mut k, a), 5000, "getsockname shows the identifier");
    // Ports under 1024 are not privileged here: identifiers are not ports.
    let low = k.open(Family::V4, Kind::Ping);
    k.ok(Request::Bind { socket: low, address: v4(7) });
    // SO_REUSEADDR is on by default (as Linux): an identifier may be
    // shared, unless one of the two turned it off.
    assert_eq!(k.get(a, SocketOption::ReuseAddress), 1);
    let shared = k.open(Family::V4, Kind::Ping);
    k.ok(Request::Bind { socket: shared, address: v4(5000) });
    k.ok(Request::Close { socket: shared });
    let b = k.open(Family::V4, Kind::Ping);
    k.set(b, SocketOption::ReuseAddress, 0);
    assert_eq!(k.call(Request::Bind { socket: b, address: v4(5000) }), Reply::Error(Error::AddressInUse));
    // Another family, or a UDP socket, has its own numbers.
    let c = k.open(Family::V6, Kind::Ping);
    k.ok(Request::Bind { socket: c, address: v6(5000) });
    let u = k.open(Family::V4, Kind::Datagram);
    k.ok(Request::Bind { socket: u, address: v4(5000) });
    assert_eq!(
        k.call(Request::Bind { socket: b, address: Address::V4 { addr: [10, 9, 9, 9], port: 0 } }),
        Reply::Error(Error::AddressNotAvailable)
    );
    // Echo replies go by identifier: b (identifier chosen at connect) never sees a's.
    k.ok(Request::Connect { socket: b, address: Some(v4(0)) });
    let b_ident = local_port(&mut k, b);
    assert!(b_ident != 0 && b_ident != 5000);
    let req = echo_request(Family::V4, 1, 1, b"for a");
    assert_eq!(
        k.call(Request::Send { socket: a, to: Some(v4(0)), data: &req, more: false }),
        Reply::Sent(req.len() as u32)
    );
    let (data, _, _) = receive(&mut k, a, 100);
    assert_eq!(u16::from_be_bytes([data[4], data[5]]), 5000);
    assert_eq!(k.try_receive(b, 100, false), Err(Error::WouldBlock));
    // b sends on its connection and gets its own reply.
    assert_eq!(k.call(Request::Send { socket: b, to: None, data: &req, more: false }), Reply::Sent(req.len() as u32));
    let (data, _, _) = receive(&mut k, b, 100);
    assert_eq!(u16::from_be_bytes([data[4], data[5]]), b_ident);
    match k.call(Request::PeerAddress { socket: b }) {
        Reply::Address(a) => assert_eq!(a, v4(0).clone_with_addr([127, 0, 0, 1])),
        other => panic!("{other:?}"),
    }
}

trait WithAddr {
    fn clone_with_addr(&self, addr: [u8; 4]) -> Address;
}

impl WithAddr for Address {
    fn clone_with_addr(&self, addr: [u8; 4]) -> Address {
        Address::V4 { addr, port: self.port() }
    }
}

#[test]
fn a_raw_socket_reads_ip_headers_and_both_directions() {
    let mut k = Kernel::new();
    let raw = k.open(Family::V4, Kind::Raw);
    assert_eq!(local_port(&mut k, raw), 1, "a raw socket's port is its protocol");
    // The caller's message goes as given: the checksum is the caller's job.
    let mut req = echo_request(Family::V4, 0x1234, 3, b"raw payload");
    req[2] = 0;
    req[3] = 0;
    let c = sum(&req, 0);
    req[2..4].copy_from_slice(&c.to_be_bytes());
    k.set(raw, SocketOption::TimeToLive, 33);
    assert_eq!(
        k.call(Request::Send { socket: raw, to: Some(v4(0)), data: &req, more: false }),
        Reply::Sent(req.len() as u32)
    );
    // On loopback the raw socket sees its own request, then the reply.
    let mut seen = Vec::new();
    for _ in 0..2 {
        let (packet, full, from) = receive(&mut k, raw, 1000);
        assert_eq!(full as usize, packet.len());
        assert_eq!(from, Some(v4(0).clone_with_addr([127, 0, 0, 1])));
        assert_eq!(packet[0], 0x45, "an IPv4 header of 20 bytes");
        assert_eq!(u16::from_be_bytes([packet[2], packet[3]]) as usize, packet.len(), "total length");
        assert_eq!(packet[9], 1, "protocol ICMP");
        assert_eq!(&packet[12..16], &[127, 0, 0, 1]);
        assert_eq!(&packet[16..20], &[127, 0, 0, 1]);
        assert_eq!(sum(&packet[..20], 0), 0, "a good header checksum");
        assert_eq!(&packet[24..], &req[4..], "identifier, sequence and payload unchanged");
        seen.push((packet[20], packet[8]));
    }
    assert_eq!(seen[0], (8, 33), "the request, with the socket's TTL");
    assert_eq!(k.hop_limit, Some(64), "the reply's TTL, beside the header");
    assert_eq!(seen[1].0, 0, "the reply");
    // A truncated read says the whole length.
    let mut k2 = Kernel::new();
    let raw = k2.open(Family::V4, Kind::Raw);
    assert_eq!(
        k2.call(Request::Send { socket: raw, to: Some(v4(0)), data: &req, more: false }),
        Reply::Sent(req.len() as u32)
    );
    let (packet, full, _) = receive(&mut k2, raw, 10);
    assert_eq!((packet.len(), full as usize), (10, 20 + req.len()));
}

#[test]
fn raw_filters_peers_and_header_included() {
    let mut k = Kernel::new();
    let raw = k.open(Family::V4, Kind::Raw);
    // ICMP_FILTER: block echo requests (type 8): only the reply arrives.
    k.ok(Request::SetIcmpFilter { socket: raw, blocked: [1 << 8, 0, 0, 0, 0, 0, 0, 0] });
    let req = echo_request(Family::V4, 9, 9, b"x");
    let mut req = req;
    req[2] = 0;
    req[3] = 0;
    let c = sum(&req, 0);
    req[2..4].copy_from_slice(&c.to_be_bytes());
    assert_eq!(
        k.call(Request::Send { socket: raw, to: Some(v4(0)), data: &req, more: false }),
        Reply::Sent(req.len() as u32)
    );
    let (packet, _, _) = receive(&mut k, raw, 1000);
    assert_eq!(packet[20], 0);
    k.poll();
    assert_eq!(k.try_receive(raw, 1000, false), Err(Error::WouldBlock));
    // IP_HDRINCL: the caller's header (TTL 9, zero source: filled in).
    k.set(raw, SocketOption::HeaderIncluded, 1);
    assert_eq!(k.get(raw, SocketOption::HeaderIncluded), 1);
    let mut packet = vec![0x45, 0, 0, 0, 0, 0, 0, 0, 9, 1, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1];
    packet.extend_from_slice(&req);
    assert_eq!(
        k.call(Request::Send { socket: raw, to: Some(v4(0)), data: &packet, more: false }),
        Reply::Sent(packet.len() as u32)
    );
    let (reply, _, _) = receive(&mut k, raw, 1000);
    assert_eq!((reply[20], &reply[12..16]), (0, &[127, 0, 0, 1][..]));
    // Not ICMP, or not IPv4: refused.
    let mut udp = packet.clone();
    udp[9] = 17;
    assert_eq!(
        k.call(Request::Send { socket: raw, to: None, data: &udp, more: false }),
        Reply::Error(Error::InvalidArgument)
    );
    assert_eq!(
        k.call(Request::Send { socket: raw, to: None, data: &[0x45], more: false }),
        Reply::Error(Error::InvalidArgument)
    );
    // HeaderIncluded is for raw IPv4 sockets only.
    let ping = k.open(Family::V4, Kind::Ping);
    assert_eq!(
        k.call(Request::SetOption { socket: ping, option: SocketOption::HeaderIncluded, value: 1 }),
        Reply::Error(Error::NoSuchOption)
    );
    assert_eq!(k.call(Request::SetIcmpFilter { socket: ping, blocked: [0; 8] }), Reply::Error(Error::NoSuchOption));
    // A connected raw socket hears only its peer: 127.0.0.2 never answers it.
    let peer = k.open(Family::V4, Kind::Raw);
    k.ok(Request::Connect { socket: peer, address: Some(Address::V4 { addr: [127, 0, 0, 2], port: 0 }) });
    let pinger = k.open(Family::V4, Kind::Ping);
    let req = echo_request(Family::V4, 1, 1, b"");
    assert_eq!(k.call(Request::Send { socket: pinger, to: Some(v4(0)), data: &req, more: false }), Reply::Sent(8));
    receive(&mut k, pinger, 100);
    assert_eq!(k.try_receive(peer, 1000, false), Err(Error::WouldBlock));
}

#[test]
fn raw_icmpv6_gets_messages_without_header_and_its_checksum_filled() {
    let mut k = Kernel::new();
    let raw = k.open(Family::V6, Kind::Raw);
    assert_eq!(local_port(&mut k, raw), 58);
    // Block everything but echo replies (what busybox ping6 asks).
    let mut blocked = [u32::MAX; 8];
    blocked[129 / 32] &= !(1 << (129 % 32));
    k.ok(Request::SetIcmpFilter { socket: raw, blocked });
    // The checksum field is garbage: the server computes it.
    let req = echo_request(Family::V6, 77, 5, b"six");
    assert_eq!(
        k.call(Request::Send { socket: raw, to: Some(v6(0)), data: &req, more: false }),
        Reply::Sent(req.len() as u32)
    );
    let (msg, _, from) = receive(&mut k, raw, 1000);
    assert_eq!(from, Some(v6(0)));
    assert_eq!(msg.len(), req.len(), "no IPv6 header");
    assert_eq!(msg[0], 129, "the reply: smoltcp answered a good checksum");
    assert_eq!(&msg[4..], &req[4..]);
    k.poll();
    assert_eq!(k.try_receive(raw, 1000, false), Err(Error::WouldBlock), "the request was filtered");
    assert_eq!(
        k.call(Request::Send { socket: raw, to: Some(v6(0)), data: &[128, 0], more: false }),
        Reply::Error(Error::InvalidArgument)
    );
}

#[test]
fn readiness_peek_and_close() {
    let mut k = Kernel::new();
    let s = k.open(Family::V4, Kind::Ping);
    k.poll();
    assert!(k.ready(s).0 & Readiness::WRITABLE.0 != 0);
    assert!(k.ready(s).0 & Readiness::READABLE.0 == 0);
    let req = echo_request(Family::V4, 0, 0, b"peek");
    k.call(Request::Send { socket: s, to: Some(v4(0)), data: &req, more: false });
    k.wait(s, Readiness::READABLE);
    assert_eq!(k.get(s, SocketOption::ReadableBytes), req.len() as u64);
    let peeked = k.try_receive(s, 100, true).unwrap();
    let taken = k.try_receive(s, 100, false).unwrap();
    assert_eq!(peeked, taken);
    k.poll();
    assert!(k.ready(s).0 & Readiness::READABLE.0 == 0);
    // Closing with a queued reply gives its bytes back to the budget.
    k.call(Request::Send { socket: s, to: Some(v4(0)), data: &req, more: false });
    k.wait(s, Readiness::READABLE);
    k.ok(Request::Close { socket: s });
    assert_eq!(k.call(Request::LocalAddress { socket: s }), Reply::Error(Error::BadHandle));
}
