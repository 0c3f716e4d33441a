//! What the integration tests share: the configuration of a QEMU guest on
//! user networking, sockets set up as iproute2 and busybox set theirs up,
//! and helpers that read every queued datagram back.

#![allow(dead_code)]

use rtnetlink::inspect::{self, Message};
use rtnetlink::uapi::netlink::*;
use rtnetlink::*;

pub const PID: u32 = 4242;

pub const MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

pub fn link_local() -> [u8; 16] {
    [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56]
}

pub fn loopback6() -> [u8; 16] {
    let mut a = [0u8; 16];
    a[15] = 1;
    a
}

/// lo (1) and eth0 (2) of a QEMU guest: 10.0.2.15/24 by DHCP from slirp,
/// gateway 10.0.2.2, and an IPv6 link-local address.
pub fn qemu() -> Config {
    let mut lo = Link::loopback();
    lo.stats = LinkStats { rx_packets: 10, tx_packets: 10, rx_bytes: 840, tx_bytes: 840, ..Default::default() };
    let mut eth0 = Link::ether(2, "eth0", MAC);
    eth0.stats = LinkStats {
        rx_packets: 111_625,
        tx_packets: 57_318,
        rx_bytes: 5_080_264_123,
        tx_bytes: 4_693_091,
        ..Default::default()
    };
    let links = vec![lo, eth0];
    let addresses = vec![
        Address::new(1, Ip::V4([127, 0, 0, 1]), 8),
        Address::new(1, Ip::V6(loopback6()), 128),
        Address::new(2, Ip::V4([10, 0, 2, 15]), 24).with_broadcast(),
        Address::new(2, Ip::V6(link_local()), 64),
    ];
    let gateways = [Gateway { via: Ip::V4([10, 0, 2, 2]), oif: 2, protocol: Protocol::Boot, metric: 0 }];
    let routes = derive::routes(&links, &addresses, &gateways);
    Config { links, addresses, routes }
}

/// iproute2's main socket: extended acks and strict checking.
pub fn iproute2_socket() -> Socket {
    let mut s = Socket::new(PID);
    s.setsockopt(NETLINK_EXT_ACK, 1).unwrap();
    s.setsockopt(NETLINK_GET_STRICT_CHK, 1).unwrap();
    s
}

/// busybox's and glibc's socket: no options.
pub fn plain_socket() -> Socket {
    Socket::new(PID)
}

/// Reads every datagram queued, with a `buf_len`-byte buffer each time.
pub fn drain(s: &mut Socket, buf_len: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(d) = s.recv(buf_len, false).unwrap() {
        out.push(d);
        assert!(out.len() < 10_000, "a dump that never ends");
    }
    out
}

/// Sends `request` and returns the messages of every reply datagram, in
/// order, each checked to be well formed.
pub fn exchange(s: &mut Socket, config: &Config, request: &[u8]) -> Vec<Vec<u8>> {
    assert_eq!(s.send(config, request), request.len());
    drain(s, 32768)
}

/// All messages of all datagrams (owned copies of each message's bytes).
pub fn messages(datagrams: &[Vec<u8>]) -> Vec<(Header, Vec<u8>)> {
    let mut out = Vec::new();
    for d in datagrams {
        for m in inspect::messages(d).expect("a well-formed datagram") {
            out.push((m.header, m.body.to_vec()));
        }
    }
    out
}

pub use rtnetlink::wire::Header;

pub fn msg(h: &Header, body: &[u8]) -> Vec<u8> {
    let mut v = h.to_bytes().to_vec();
    v.extend_from_slice(body);
    v
}

pub fn attr<'a>(m: &'a Message, fixed: usize, kind: u16) -> Option<&'a [u8]> {
    m.attr(fixed, kind)
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
}

pub fn i32_at(b: &[u8], at: usize) -> i32 {
    u32_at(b, at) as i32
}

/// Builds a request: header, fixed body, attributes (type, payload).
pub fn request(kind: u16, flags: u16, seq: u32, fixed: &[u8], attrs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut b = rtnetlink::wire::Builder::new(kind, flags, seq, 0);
    b.body(fixed);
    for (t, p) in attrs {
        b.attr(*t, p);
    }
    b.finish()
}
