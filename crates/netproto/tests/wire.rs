//! The encoding on the host: every variant round-trips, fixed bytes pin
//! the layout, and hostile bytes (random, truncated, trailing) are refused
//! with `Malformed` or decode to something that re-encodes identically;
//! nothing panics.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use netproto::{
    Address, AddressRecord, Answer, Counters, Error, Event, EventList, Family, InterfaceFlags, InterfaceName,
    InterfaceRecord, Kind, Readiness, Record, Records, Request, Response, RouteRecord, SocketHandle, SocketOption,
    SocketRecord, WireError,
};
use proptest::prelude::*;

fn round_trip_request(req: &Request) {
    let mut buf = vec![0u8; 70_000];
    let n = req.encode(&mut buf).unwrap();
    assert_eq!(Request::decode(&buf[..n]).unwrap(), *req);
    // Every truncation is refused, and so is a trailing byte.
    for cut in 0..n {
        assert_eq!(Request::decode(&buf[..cut]), Err(WireError::Malformed), "cut at {cut} of {req:?}");
    }
    assert_eq!(Request::decode(&buf[..n + 1]), Err(WireError::Malformed));
    // A buffer one byte short cannot hold it.
    assert_eq!(req.encode(&mut buf[..n - 1]), Err(WireError::TooLarge));
}

fn round_trip_answer(response: &Response, events: &[Event]) {
    let mut buf = vec![0u8; 70_000];
    let n = Answer::encode(response, events, &mut buf).unwrap();
    let (back, iter) = Answer::decode(&buf[..n]).unwrap();
    assert_eq!(back, *response);
    assert_eq!(iter.collect::<Vec<_>>(), events);
    for cut in 0..n {
        assert!(Answer::decode(&buf[..cut]).is_err(), "cut at {cut}");
    }
    assert!(Answer::decode(&buf[..n + 1]).is_err());
}

const S: SocketHandle = SocketHandle(0x0000_0003_0000_0007);
const V4: Address = Address::V4 { addr: [127, 0, 0, 1], port: 8080 };
const V6: Address =
    Address::V6 { addr: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], port: 1, flow_info: 2, scope_id: 3 };

#[test]
fn every_request_variant_round_trips() {
    for req in [
        Request::Open { family: Family::V4, kind: Kind::Stream },
        Request::Open { family: Family::V6, kind: Kind::Datagram },
        Request::Bind { socket: S, address: V4 },
        Request::Bind { socket: S, address: V6 },
        Request::Listen { socket: S, backlog: 128 },
        Request::Accept { socket: S },
        Request::Connect { socket: S, address: Some(V6) },
        Request::Connect { socket: S, address: None },
        Request::Send { socket: S, to: None, data: b"hello", more: false },
        Request::Send { socket: S, to: Some(V4), data: b"", more: true },
        Request::Receive { socket: S, max: 4096, peek: true },
        Request::Shutdown { socket: S, read: false, write: true },
        Request::Close { socket: S },
        Request::LocalAddress { socket: S },
        Request::PeerAddress { socket: S },
        Request::SetOption { socket: S, option: SocketOption::NoDelay, value: 1 },
        Request::GetOption { socket: S, option: SocketOption::TcpState },
        Request::Interfaces { start: 0 },
        Request::Sockets { start: 64 },
        Request::Membership { socket: S, group: V4, interface: 0, local: Some(V4), join: true },
        Request::Membership { socket: S, group: V6, interface: 2, local: None, join: false },
        Request::Open { family: Family::V4, kind: Kind::Ping },
        Request::Open { family: Family::V6, kind: Kind::Raw },
        Request::SetOption { socket: S, option: SocketOption::HeaderIncluded, value: 1 },
        Request::SetIcmpFilter { socket: S, blocked: [1, 2, 3, 4, 5, 6, 7, u32::MAX] },
    ] {
        round_trip_request(&req);
    }
}

#[test]
fn every_response_variant_round_trips() {
    let events = [
        Event { socket: S, readiness: Readiness::READABLE | Readiness::WRITABLE, seq: 1 },
        Event { socket: SocketHandle(9), readiness: Readiness::HANGUP, seq: 2 },
    ];
    for response in [
        Response::Done,
        Response::Error(Error::WouldBlock),
        Response::Error(Error::NetworkDown),
        Response::Opened { socket: S },
        Response::Accepted { socket: S, peer: V6 },
        Response::Sent { bytes: 77 },
        Response::Received { data: b"abc", full_length: 10, from: Some(V4) },
        Response::Received { data: b"", full_length: 0, from: None },
        Response::ReceivedWithHopLimit { data: b"icmp", full_length: 4, from: Some(V6), hop_limit: 64 },
        Response::ReceivedWithHopLimit { data: b"", full_length: 9, from: None, hop_limit: 0 },
        Response::Address(V4),
        Response::Value(u64::MAX),
    ] {
        round_trip_answer(&response, &[]);
        round_trip_answer(&response, &events);
    }
    let mut scratch = vec![0u8; 8192];
    let page = Records::write(&sample_records(), Some(7), &mut scratch).unwrap();
    round_trip_answer(&Response::Records(page), &events);
    let mut scratch = vec![0u8; 16];
    let empty = Records::write(&[], None, &mut scratch).unwrap();
    round_trip_answer(&Response::Records(empty), &[]);
}

fn sample_records() -> Vec<Record> {
    let lo = InterfaceName::new(b"lo").unwrap();
    vec![
        Record::Interface(InterfaceRecord {
            index: 1,
            name: lo,
            flags: InterfaceFlags::UP | InterfaceFlags::RUNNING | InterfaceFlags::LOOPBACK,
            mtu: 65535,
            tx_queue_length: 4096,
            mac: None,
            counters: Counters { rx_packets: 3, rx_bytes: 300, tx_packets: 3, tx_bytes: 300, ..Counters::default() },
        }),
        Record::Interface(InterfaceRecord {
            index: 2,
            name: InterfaceName::new(b"eth0").unwrap(),
            flags: InterfaceFlags::UP | InterfaceFlags::BROADCAST | InterfaceFlags::MULTICAST,
            mtu: 1500,
            tx_queue_length: 128,
            mac: Some([0x52, 0x54, 0, 0x12, 0x34, 0x56]),
            counters: Counters { rx_dropped: u64::MAX, tx_errors: 1, ..Counters::default() },
        }),
        Record::Address(AddressRecord { interface: 1, address: IpAddr::V4(Ipv4Addr::LOCALHOST), prefix: 8 }),
        Record::Address(AddressRecord { interface: 1, address: IpAddr::V6(Ipv6Addr::LOCALHOST), prefix: 128 }),
        Record::Route(RouteRecord {
            interface: 2,
            destination: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            prefix: 0,
            gateway: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 2, 2))),
        }),
        Record::Route(RouteRecord {
            interface: 2,
            destination: IpAddr::V6(Ipv6Addr::LOCALHOST),
            prefix: 64,
            gateway: None,
        }),
        Record::Socket(SocketRecord {
            handle: Some(S),
            kind: Kind::Stream,
            family: Family::V6,
            local: V6,
            remote: Some(V4),
            state: 10,
            send_queue: 1,
            receive_queue: 2,
        }),
        Record::Socket(SocketRecord {
            handle: None,
            kind: Kind::Datagram,
            family: Family::V4,
            local: V4,
            remote: None,
            state: 7,
            send_queue: 0,
            receive_queue: u32::MAX,
        }),
    ]
}

#[test]
fn table_pages_hold_their_records_and_refuse_bad_ones() {
    let records = sample_records();
    let mut scratch = vec![0u8; 8192];
    let page = Records::write(&records, None, &mut scratch).unwrap();
    assert_eq!(page.iter().collect::<Vec<_>>(), records);
    assert_eq!((page.len(), page.next_start()), (records.len(), None));
    // Every record fits the advertised bound.
    for r in &records {
        let mut one = vec![0u8; 512];
        let n = {
            let p = Records::write(core::slice::from_ref(r), None, &mut one).unwrap();
            let mut out = vec![0u8; 512];
            Answer::encode(&Response::Records(p), &[], &mut out).unwrap()
        };
        assert!(n - 15 <= Record::MAX_SIZE, "{r:?} takes {n}");
    }
    // More than a page's worth is refused when encoding.
    let many = vec![records[0]; Records::MAX_PER_PAGE + 1];
    let mut big = vec![0u8; 65536];
    assert_eq!(Records::write(&many, None, &mut big), Err(WireError::TooLarge));
    // A prefix longer than its address, an empty name, a bad MAC tag.
    for bad in [
        Record::Address(AddressRecord { interface: 1, address: IpAddr::V4(Ipv4Addr::LOCALHOST), prefix: 33 }),
        Record::Route(RouteRecord {
            interface: 1,
            destination: IpAddr::V6(Ipv6Addr::LOCALHOST),
            prefix: 129,
            gateway: None,
        }),
    ] {
        let mut buf = vec![0u8; 512];
        let page = Records::write(&[bad], None, &mut buf).unwrap();
        let mut out = vec![0u8; 512];
        let n = Answer::encode(&Response::Records(page), &[], &mut out).unwrap();
        assert!(Answer::decode(&out[..n]).is_err(), "{bad:?}");
    }
    assert!(InterfaceName::new(b"").is_none());
    assert!(InterfaceName::new(b"0123456789abcdef").is_none());
    assert!(InterfaceName::new(b"a\0b").is_none());
}

#[test]
fn the_layout_is_little_endian_with_tag_bytes() {
    let mut buf = [0u8; 64];
    let n = Request::Listen { socket: SocketHandle(0x0102), backlog: 5 }.encode(&mut buf).unwrap();
    assert_eq!(&buf[..n], &[3, 2, 1, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0]);
    let n = Request::Bind { socket: SocketHandle(1), address: V4 }.encode(&mut buf).unwrap();
    assert_eq!(&buf[..n], &[2, 1, 0, 0, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1, 0x90, 0x1f]);
    let n = Answer::encode(&Response::Error(Error::WouldBlock), &[], &mut buf).unwrap();
    assert_eq!(&buf[..n], &[2, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn event_lists_round_trip_and_refuse_a_wrong_count() {
    let events: Vec<Event> =
        (0..5).map(|i| Event { socket: SocketHandle(i), readiness: Readiness(i as u32), seq: 100 + i }).collect();
    let mut buf = [0u8; 256];
    let n = EventList::encode(&events, &mut buf).unwrap();
    assert_eq!(n, EventList::encoded_len(5));
    assert_eq!(EventList::decode(&buf[..n]).unwrap().collect::<Vec<_>>(), events);
    assert!(EventList::decode(&buf[..n - 1]).is_err());
    assert!(EventList::decode(&buf[..n + 1]).is_err());
    buf[0] = 0xff;
    buf[3] = 0xff;
    assert!(EventList::decode(&buf[..n]).is_err());
    assert_eq!(EventList::encode(&events, &mut buf[..n - 1]), Err(WireError::TooLarge));
}

#[test]
fn unknown_tags_and_non_boolean_bytes_are_malformed() {
    assert_eq!(Request::decode(&[0]), Err(WireError::Malformed));
    assert_eq!(Request::decode(&[99]), Err(WireError::Malformed));
    assert_eq!(Request::decode(&[1, 5, 1]), Err(WireError::Malformed)); // family 5
    assert_eq!(Request::decode(&[1, 4, 5]), Err(WireError::Malformed)); // kind 5
    assert_eq!(Request::decode(&[1, 4, 0]), Err(WireError::Malformed)); // kind 0
    let mut buf = [0u8; 32];
    let n = Request::Receive { socket: S, max: 1, peek: true }.encode(&mut buf).unwrap();
    buf[n - 1] = 2;
    assert_eq!(Request::decode(&buf[..n]), Err(WireError::Malformed));
    let n = Request::GetOption { socket: S, option: SocketOption::Error }.encode(&mut buf).unwrap();
    buf[n - 1] = SocketOption::ALL.len() as u8;
    assert_eq!(Request::decode(&buf[..n]), Err(WireError::Malformed));
    assert!(Answer::decode(&[2, 0, 0, 0, 0, 0, 0]).is_err()); // error code 0
    assert!(Answer::decode(&[2, Error::ALL.len() as u8 + 1, 0, 0, 0, 0, 0]).is_err());
    // past the last error
}

#[test]
fn codes_are_dense_and_stable() {
    for (i, e) in Error::ALL.iter().enumerate() {
        assert_eq!(e.code() as usize, i + 1);
        assert_eq!(Error::from_code(e.code()), Some(*e));
    }
    assert_eq!(Error::from_code(0), None);
    for (i, o) in SocketOption::ALL.iter().enumerate() {
        assert_eq!(o.code() as usize, i);
        assert_eq!(SocketOption::from_code(o.code()), Some(*o));
    }
    let h = SocketHandle::new(7, 3);
    assert_eq!((h.slot(), h.generation()), (7, 3));
}

fn address() -> impl Strategy<Value = Address> {
    prop_oneof![
        (any::<[u8; 4]>(), any::<u16>()).prop_map(|(addr, port)| Address::V4 { addr, port }),
        (any::<[u8; 16]>(), any::<u16>(), any::<u32>(), any::<u32>())
            .prop_map(|(addr, port, flow_info, scope_id)| Address::V6 { addr, port, flow_info, scope_id }),
    ]
}

fn option() -> impl Strategy<Value = SocketOption> {
    (0..SocketOption::ALL.len()).prop_map(|i| SocketOption::ALL[i])
}

fn handle() -> impl Strategy<Value = SocketHandle> {
    any::<u64>().prop_map(SocketHandle)
}

/// A request as owned parts: the data is borrowed by `Request` at use.
#[derive(Debug, Clone)]
struct OwnedRequest {
    tag: u8,
    socket: SocketHandle,
    address: Option<Address>,
    family: Family,
    kind: Kind,
    number: u32,
    flags: (bool, bool),
    option: SocketOption,
    value: u64,
    data: Vec<u8>,
}

impl OwnedRequest {
    fn get(&self) -> Request<'_> {
        let socket = self.socket;
        let address = self.address.unwrap_or(Address::V4 { addr: [1, 2, 3, 4], port: 5 });
        match self.tag {
            0 => Request::Open { family: self.family, kind: self.kind },
            1 => Request::Bind { socket, address },
            2 => Request::Listen { socket, backlog: self.number },
            3 => Request::Accept { socket },
            4 => Request::Connect { socket, address: self.address },
            5 => Request::Send { socket, to: self.address, data: &self.data, more: self.flags.0 },
            6 => Request::Receive { socket, max: self.number, peek: self.flags.0 },
            7 => Request::Shutdown { socket, read: self.flags.0, write: self.flags.1 },
            8 => Request::Close { socket },
            9 => Request::LocalAddress { socket },
            10 => Request::PeerAddress { socket },
            11 => Request::SetOption { socket, option: self.option, value: self.value },
            12 => Request::GetOption { socket, option: self.option },
            13 => Request::Interfaces { start: self.number },
            14 => Request::Membership {
                socket,
                group: address,
                interface: self.number,
                local: self.address,
                join: self.flags.0,
            },
            15 => Request::Sockets { start: self.number },
            _ => {
                Request::SetIcmpFilter { socket, blocked: [self.number, self.value as u32, 0, 0, 0, 0, 0, self.number] }
            }
        }
    }
}

fn request() -> impl Strategy<Value = OwnedRequest> {
    (
        0u8..17,
        handle(),
        proptest::option::of(address()),
        prop_oneof![Just(Family::V4), Just(Family::V6)],
        prop_oneof![Just(Kind::Stream), Just(Kind::Datagram), Just(Kind::Ping), Just(Kind::Raw)],
        any::<u32>(),
        any::<(bool, bool)>(),
        option(),
        any::<u64>(),
        proptest::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(tag, socket, address, family, kind, number, flags, option, value, data)| OwnedRequest {
            tag,
            socket,
            address,
            family,
            kind,
            number,
            flags,
            option,
            value,
            data,
        })
}

fn ip() -> impl Strategy<Value = (IpAddr, u8)> {
    prop_oneof![
        (any::<[u8; 4]>(), 0u8..=32).prop_map(|(a, p)| (IpAddr::V4(Ipv4Addr::from(a)), p)),
        (any::<[u8; 16]>(), 0u8..=128).prop_map(|(a, p)| (IpAddr::V6(Ipv6Addr::from(a)), p)),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    let name = proptest::collection::vec(1u8..=255, 1..=15).prop_map(|n| InterfaceName::new(&n).unwrap());
    prop_oneof![
        (
            any::<u32>(),
            name,
            any::<u32>(),
            any::<(u32, u32)>(),
            proptest::option::of(any::<[u8; 6]>()),
            any::<[u64; 8]>()
        )
            .prop_map(|(index, name, flags, (mtu, tx_queue_length), mac, c)| Record::Interface(
                InterfaceRecord {
                    index,
                    name,
                    flags: InterfaceFlags(flags),
                    mtu,
                    tx_queue_length,
                    mac,
                    counters: Counters {
                        rx_packets: c[0],
                        rx_bytes: c[1],
                        rx_errors: c[2],
                        rx_dropped: c[3],
                        tx_packets: c[4],
                        tx_bytes: c[5],
                        tx_errors: c[6],
                        tx_dropped: c[7],
                    },
                }
            )),
        (any::<u32>(), ip()).prop_map(|(interface, (address, prefix))| Record::Address(AddressRecord {
            interface,
            address,
            prefix
        })),
        (any::<u32>(), ip(), proptest::option::of(ip())).prop_map(|(interface, (destination, prefix), gateway)| {
            Record::Route(RouteRecord { interface, destination, prefix, gateway: gateway.map(|g| g.0) })
        }),
        (
            proptest::option::of(handle()),
            prop_oneof![Just(Kind::Stream), Just(Kind::Datagram)],
            prop_oneof![Just(Family::V4), Just(Family::V6)],
            address(),
            proptest::option::of(address()),
            any::<(u8, u32, u32)>()
        )
            .prop_map(|(handle, kind, family, local, remote, (state, send_queue, receive_queue))| {
                Record::Socket(SocketRecord { handle, kind, family, local, remote, state, send_queue, receive_queue })
            }),
    ]
}

fn error() -> impl Strategy<Value = Error> {
    (0..Error::ALL.len()).prop_map(|i| Error::ALL[i])
}

fn events() -> impl Strategy<Value = Vec<Event>> {
    proptest::collection::vec(
        (handle(), any::<u32>(), any::<u64>()).prop_map(|(socket, r, seq)| Event {
            socket,
            readiness: Readiness(r),
            seq,
        }),
        0..20,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_requests_round_trip(req in request()) {
        round_trip_request(&req.get());
    }

    #[test]
    fn random_answers_round_trip(
        which in 0u8..9, socket in handle(), address in address(), from in proptest::option::of(address()),
        error in error(), number in any::<u32>(), value in any::<u64>(),
        data in proptest::collection::vec(any::<u8>(), 0..300), events in events(),
    ) {
        let response = match which {
            0 => Response::Done,
            1 => Response::Error(error),
            2 => Response::Opened { socket },
            3 => Response::Accepted { socket, peer: address },
            4 => Response::Sent { bytes: number },
            5 => Response::Received { data: &data, full_length: number, from },
            6 => Response::Address(address),
            7 => Response::Value(value),
            _ => Response::Value(value),
        };
        round_trip_answer(&response, &events);
    }

    #[test]
    fn random_table_pages_round_trip(records in proptest::collection::vec(record(), 0..=Records::MAX_PER_PAGE),
                                     next in proptest::option::of(any::<u32>()), events in events()) {
        let mut scratch = vec![0u8; Records::MAX_PER_PAGE * Record::MAX_SIZE];
        let page = Records::write(&records, next, &mut scratch).unwrap();
        prop_assert_eq!(page.iter().collect::<Vec<_>>(), records);
        round_trip_answer(&Response::Records(page), &events);
    }

    /// A hostile server's page: any byte changed is refused or decodes to
    /// records that encode back to the same bytes; nothing panics.
    #[test]
    fn mutated_table_pages_never_panic(records in proptest::collection::vec(record(), 1..8),
                                       at in any::<usize>(), byte in any::<u8>()) {
        let mut scratch = vec![0u8; 8 * Record::MAX_SIZE];
        let page = Records::write(&records, Some(3), &mut scratch).unwrap();
        let mut buf = vec![0u8; 2048];
        let n = Answer::encode(&Response::Records(page), &[], &mut buf).unwrap();
        buf[at % n] = byte;
        if let Ok((Response::Records(back), _)) = Answer::decode(&buf[..n]) {
            let again: Vec<Record> = back.iter().collect();
            prop_assert_eq!(again.len(), back.len());
            let mut scratch2 = vec![0u8; 8 * Record::MAX_SIZE];
            let page2 = Records::write(&again, back.next_start(), &mut scratch2).unwrap();
            prop_assert_eq!(page2, back);
        }
    }

    #[test]
    fn random_bytes_never_panic_and_decode_only_to_what_re_encodes(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        let mut buf = vec![0u8; 256];
        if let Ok(req) = Request::decode(&bytes) {
            let n = req.encode(&mut buf).unwrap();
            prop_assert_eq!(&buf[..n], &bytes[..]);
        }
        if let Ok((response, events)) = Answer::decode(&bytes) {
            let events: Vec<Event> = events.collect();
            let n = Answer::encode(&response, &events, &mut buf).unwrap();
            prop_assert_eq!(&buf[..n], &bytes[..]);
        }
        if let Ok(events) = EventList::decode(&bytes) {
            let events: Vec<Event> = events.collect();
            let n = EventList::encode(&events, &mut buf).unwrap();
            prop_assert_eq!(&buf[..n], &bytes[..]);
        }
    }

    #[test]
    fn mutated_requests_never_panic(req in request(), at in any::<usize>(), byte in any::<u8>()) {
        let mut buf = vec![0u8; 1024];
        let n = req.get().encode(&mut buf).unwrap();
        buf[at % n] = byte;
        if let Ok(back) = Request::decode(&buf[..n]) {
            let mut again = vec![0u8; 1024];
            let m = back.encode(&mut again).unwrap();
            prop_assert_eq!(&again[..m], &buf[..n]);
        }
    }
}
