//! The interface and socket tables (`Request::Interfaces`,
//! `Request::Sockets`): loopback alone, then with an Ethernet interface
//! configured statically; sockets listening, bound, connected; counters
//! that move with traffic (and count which ACKs ride on answers); pages
//! that split a long table.

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex};

use common::fake_device::{FakeDevice, Wire};
use common::{v4, v6, Kernel, Reply};
use netproto::{
    Address, AddressRecord, Family, InterfaceFlags, InterfaceRecord, Kind, Record, Records, Request, RouteRecord,
    SocketRecord,
};
use netserver::{InterfaceConfig, Ipv4Config};

const MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

fn interfaces(records: &[Record]) -> Vec<InterfaceRecord> {
    records.iter().filter_map(|r| if let Record::Interface(i) = r { Some(*i) } else { None }).collect()
}

fn addresses(records: &[Record], index: u32) -> Vec<(IpAddr, u8)> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Address(AddressRecord { interface, address, prefix }) if *interface == index => {
                Some((*address, *prefix))
            }
            _ => None,
        })
        .collect()
}

fn routes(records: &[Record]) -> Vec<RouteRecord> {
    records.iter().filter_map(|r| if let Record::Route(x) = r { Some(*x) } else { None }).collect()
}

fn sockets(records: &[Record]) -> Vec<SocketRecord> {
    records.iter().filter_map(|r| if let Record::Socket(s) = r { Some(*s) } else { None }).collect()
}

#[test]
fn loopback_alone() {
    let mut k = Kernel::new();
    let table = k.table(true);
    let ifaces = interfaces(&table);
    assert_eq!(ifaces.len(), 1);
    let lo = ifaces[0];
    assert_eq!((lo.index, lo.name.as_bytes()), (1, &b"lo"[..]));
    assert!(lo.flags.contains(InterfaceFlags::UP | InterfaceFlags::RUNNING | InterfaceFlags::LOOPBACK));
    assert!(!lo.flags.contains(InterfaceFlags::BROADCAST));
    assert_eq!(lo.mac, None);
    assert_eq!(lo.mtu, 65535);
    assert_eq!(
        addresses(&table, 1),
        vec![(IpAddr::V4(Ipv4Addr::LOCALHOST), 8), (IpAddr::V6(Ipv6Addr::LOCALHOST), 128)]
    );
    let r = routes(&table);
    assert!(r.iter().all(|r| r.interface == 1 && r.gateway.is_none()));
    assert!(r.iter().any(|r| r.destination == IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)) && r.prefix == 8));
    assert!(k.table(false).is_empty(), "no sockets yet");
}

#[test]
fn an_ethernet_interface_with_a_static_address() {
    let mut k = Kernel::new();
    let wire = Arc::new(Mutex::new(Wire::default()));
    let config = InterfaceConfig {
        ipv4: Ipv4Config::Static { address: [10, 0, 2, 15], prefix: 24, gateway: Some([10, 0, 2, 2]) },
        ipv6: None,
        gateway6: None,
    };
    assert_eq!(k.stack.add_ethernet(FakeDevice { wire: wire.clone(), offload: false }, MAC, config), Ok(1));
    let table = k.table(true);
    let ifaces = interfaces(&table);
    assert_eq!(ifaces.len(), 2);
    let eth = ifaces[1];
    assert_eq!((eth.index, eth.name.as_bytes()), (2, &b"eth0"[..]));
    assert_eq!(eth.mac, Some(MAC));
    assert_eq!(eth.mtu, 1500);
    assert!(eth.flags.contains(InterfaceFlags::UP | InterfaceFlags::RUNNING | InterfaceFlags::BROADCAST));
    assert!(!eth.flags.contains(InterfaceFlags::LOOPBACK));
    let eth_addresses = addresses(&table, 2);
    assert!(eth_addresses.contains(&(IpAddr::V4(Ipv4Addr::new(10, 0, 2, 15)), 24)));
    // The link-local address made from the MAC.
    assert!(eth_addresses.contains(&(IpAddr::V6("fe80::5054:ff:fe12:3456".parse().unwrap()), 64)));
    // Loopback answers for 10.0.2.15 too, but it is eth0's address, not lo's.
    assert_eq!(addresses(&table, 1).len(), 2);
    let r = routes(&table);
    assert!(r.contains(&RouteRecord {
        interface: 2,
        destination: IpAddr::V4(Ipv4Addr::new(10, 0, 2, 0)),
        prefix: 24,
        gateway: None
    }));
    assert!(r.contains(&RouteRecord {
        interface: 2,
        destination: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        prefix: 0,
        gateway: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 2, 2)))
    }));

    // Frames sent and received are counted: a datagram to the gateway
    // sends an ARP request, and an inbound runt is received (and dropped
    // by the stack, but the device delivered it).
    let u = k.open(Family::V4, Kind::Datagram);
    let to = Address::V4 { addr: [10, 0, 2, 2], port: 53 };
    assert_eq!(k.call(Request::Send { socket: u, to: Some(to), data: b"q", more: false }), Reply::Sent(1));
    wire.lock().unwrap().inbound.push_back(vec![0xff; 60]);
    k.poll();
    let sent = wire.lock().unwrap().outbound.len() as u64;
    let eth = interfaces(&k.table(true))[1];
    assert!(sent > 0);
    assert_eq!(eth.counters.tx_packets, sent);
    let bytes: u64 = wire.lock().unwrap().outbound.iter().map(|f| f.len() as u64).sum();
    assert_eq!(eth.counters.tx_bytes, bytes);
    assert_eq!((eth.counters.rx_packets, eth.counters.rx_bytes), (1, 60));
}

#[test]
fn sockets_show_their_ports_and_states() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 5);
    let udp = k.open(Family::V6, Kind::Datagram);
    k.ok(Request::Bind { socket: udp, address: v6(5353) });
    let idle = k.open(Family::V4, Kind::Stream);
    let all = sockets(&k.table(false));
    assert_eq!(all.len(), 3);
    let l = all.iter().find(|s| s.handle == Some(listener)).unwrap();
    assert_eq!((l.kind, l.family, l.state, l.local, l.remote), (Kind::Stream, Family::V4, 10, v4(port), None));
    let u = all.iter().find(|s| s.handle == Some(udp)).unwrap();
    assert_eq!((u.kind, u.family, u.state, u.local.port(), u.remote), (Kind::Datagram, Family::V6, 7, 5353, None));
    let i = all.iter().find(|s| s.handle == Some(idle)).unwrap();
    assert_eq!((i.state, i.local.port()), (7, 0));

    // A connection: both ends established, and unread bytes counted.
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    assert_eq!(k.call(Request::Send { socket: client, to: None, data: b"hello", more: false }), Reply::Sent(5));
    k.poll();
    let all = sockets(&k.table(false));
    let c = all.iter().find(|s| s.handle == Some(client)).unwrap();
    let s = all.iter().find(|s| s.handle == Some(server)).unwrap();
    assert_eq!((c.state, s.state), (1, 1));
    assert_eq!(c.remote, Some(v4(port)));
    assert_eq!(s.local, v4(port));
    assert_eq!(s.remote, Some(c.local));
    assert_eq!(s.receive_queue, 5);

    // The client closes: the kernel's handle is gone, the connection
    // finishing in the background still shows, without a handle.
    k.ok(Request::Close { socket: client });
    let all = sockets(&k.table(false));
    assert!(all.iter().all(|s| s.handle != Some(client)));
    let closing = all.iter().find(|s| s.handle.is_none()).expect("the closing connection");
    assert_eq!(closing.local, c.local);
    assert!([4, 5, 6].contains(&closing.state), "FIN-WAIT or TIME-WAIT: {}", closing.state);
    // Loopback carried the handshake and the data both ways.
    let lo = interfaces(&k.table(true))[0];
    assert!(lo.counters.rx_packets >= 4);
    assert_eq!(lo.counters.rx_packets, lo.counters.tx_packets);
}

#[test]
fn a_long_table_comes_in_pages() {
    let mut k = Kernel::new();
    let count = Records::MAX_PER_PAGE * 2 + 5;
    let mut opened = Vec::new();
    for _ in 0..count {
        opened.push(k.open(Family::V4, Kind::Datagram));
    }
    let first = match k.call(Request::Sockets { start: 0 }) {
        Reply::Records(records, next) => {
            assert_eq!((records.len(), next), (Records::MAX_PER_PAGE, Some(Records::MAX_PER_PAGE as u32)));
            records
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(sockets(&first)[0].handle, Some(opened[0]));
    let all = sockets(&k.table(false));
    assert_eq!(all.iter().map(|s| s.handle.unwrap()).collect::<Vec<_>>(), opened);
    // Past the end: an empty last page.
    assert_eq!(k.call(Request::Sockets { start: u32::MAX }), Reply::Records(Vec::new(), None));
    // A small answer buffer gets a smaller page, never an overflow.
    let mut req = [0u8; 16];
    let n = Request::Sockets { start: 0 }.encode(&mut req).unwrap();
    let mut answer = vec![0u8; 1024];
    let len = k.stack.handle(&req[..n], &mut answer, k.now);
    let (response, _) = netproto::Answer::decode(&answer[..len]).unwrap();
    match response {
        netproto::Response::Records(page) => assert!(!page.is_empty() && page.next_start().is_some()),
        other => panic!("{other:?}"),
    }
}

/// Loopback packets for `exchange`'s requests: lo's transmit counter.
fn loopback_packets_for(k: &mut Kernel, exchange: impl FnOnce(&mut Kernel)) -> u64 {
    let before = interfaces(&k.table(true))[0].counters.tx_packets;
    exchange(k);
    interfaces(&k.table(true))[0].counters.tx_packets - before
}

#[test]
fn answers_carry_the_acks_of_what_they_answer() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 4);
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    let send = |k: &mut Kernel, from, byte: u8| {
        assert_eq!(k.call(Request::Send { socket: from, to: None, data: &[byte], more: false }), Reply::Sent(1));
    };

    // The first request's ACK goes at once: nothing has answered yet.
    let first = loopback_packets_for(&mut k, |k| {
        send(k, client, b'q');
        assert_eq!(k.receive(server, 10).unwrap(), b"q");
    });
    assert_eq!(first, 2, "the request and its ACK");

    // Request and answer: from now on each side answers what it read,
    // so every ACK rides on the next answer or request.
    send(&mut k, server, b'a');
    assert_eq!(k.receive(client, 10).unwrap(), b"a");
    let exchanges = loopback_packets_for(&mut k, |k| {
        for _ in 0..10 {
            send(k, client, b'q');
            assert_eq!(k.receive(server, 10).unwrap(), b"q");
            send(k, server, b'a');
            assert_eq!(k.receive(client, 10).unwrap(), b"a");
        }
    });
    assert_eq!(exchanges, 20, "one packet per request and per answer");

    // The server now only reads (a stream). Its first read's ACK still
    // waits for an answer, and Nagle's rule holds the client's next byte
    // until that ACK goes at the delay's end. The second read in a row
    // makes the server's ACKs quick, but smoltcp keeps the timer it had
    // started for that read's own ACK: one more delay. After that, each
    // byte is ACKed at once and the next goes without waiting.
    let delay = std::time::Duration::from_millis(10).into();
    send(&mut k, client, b'1');
    assert_eq!(k.receive(server, 10).unwrap(), b"1");
    send(&mut k, client, b'2');
    assert_eq!(k.try_receive(server, 10, false), Err(netproto::Error::WouldBlock), "held by Nagle");
    k.poll_for(delay);
    assert_eq!(k.receive(server, 10).unwrap(), b"2");
    send(&mut k, client, b'3');
    assert_eq!(k.try_receive(server, 10, false), Err(netproto::Error::WouldBlock), "held by Nagle");
    k.poll_for(delay);
    assert_eq!(k.receive(server, 10).unwrap(), b"3");
    let stream = loopback_packets_for(&mut k, |k| {
        for byte in b'4'..=b'9' {
            send(k, client, byte);
            assert_eq!(k.receive(server, 10).unwrap(), [byte]);
        }
    });
    assert_eq!(stream, 12, "each byte and its ACK, with no wait");
}
