//! Hostile requests: random bytes and random well-formed requests with
//! random handles, options and values never panic the server; every answer
//! decodes; sequence numbers grow; a socket reported ready does not answer
//! WouldBlock.

mod common;

use std::sync::Arc;
use std::sync::Mutex;

use common::fake_device::{FakeDevice, Wire};
use common::{v4, Kernel, Reply};
use netproto::{Address, Answer, Family, Kind, Readiness, Request, SocketHandle, SocketOption};
use netserver::{Duration, Instant, InterfaceConfig, Ipv4Config, Stack};

const OUR_IP6: [u8; 16] = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x15];
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    /// IPv6?, kind: 0 stream, 1 datagram, 2 ping, 3 raw ICMP.
    Open(bool, u8),
    Bind(usize, Address),
    Listen(usize, u32),
    Accept(usize),
    Connect(usize, Option<Address>),
    /// The bool: MSG_MORE.
    Send(usize, Option<Address>, Vec<u8>, bool),
    Receive(usize, u32, bool),
    Shutdown(usize, bool, bool),
    Close(usize),
    Local(usize),
    Peer(usize),
    Set(usize, usize, u64),
    Get(usize, usize),
    Tables(bool, u32),
    Wait(u64),
    /// Group, interface index, local address, join.
    Membership(usize, Address, u32, Option<Address>, bool),
    IcmpFilter(usize, [u32; 8]),
}

fn address() -> impl Strategy<Value = Address> {
    let port = prop_oneof![Just(0u16), Just(80), 7000u16..7004, any::<u16>()];
    prop_oneof![
        (
            prop_oneof![
                Just([127, 0, 0, 1]),
                Just([0, 0, 0, 0]),
                // The Ethernet interface's own, its gateway, a neighbour,
                // subnet and limited broadcast, multicast, far away.
                Just([10, 0, 2, 15]),
                Just([10, 0, 2, 2]),
                Just([10, 0, 2, 99]),
                Just([10, 0, 2, 255]),
                Just([255, 255, 255, 255]),
                Just([224, 0, 0, 1]),
                any::<[u8; 4]>(),
            ],
            port.clone()
        )
            .prop_map(|(addr, port)| Address::V4 { addr, port }),
        (0u8..8, port, any::<u32>(), any::<[u8; 16]>()).prop_map(|(which, port, flow_info, random)| {
            let mut addr = [0u8; 16];
            match which {
                0 => {}
                1 => addr[15] = 1,
                2 => {
                    // ::ffff:127.0.0.1
                    addr[10] = 0xff;
                    addr[11] = 0xff;
                    addr[12..].copy_from_slice(&[127, 0, 0, 1]);
                }
                3 => addr = OUR_IP6,
                4 => {
                    addr = OUR_IP6;
                    addr[15] = 2;
                }
                5 => {
                    addr[0] = 0xff;
                    addr[1] = 0x02;
                    addr[15] = 1;
                }
                6 => {
                    addr[0] = 0xfe;
                    addr[1] = 0x80;
                    addr[15] = 7;
                }
                _ => addr = random,
            }
            Address::V6 { addr, port, flow_info, scope_id: 0 }
        }),
    ]
}

fn value() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0u64), Just(1), Just(4096), Just(u64::MAX), any::<u64>()]
}

/// Socket indices beyond the opened ones become forged handles.
fn op() -> impl Strategy<Value = Op> {
    let s = 0usize..12;
    prop_oneof![
        4 => (any::<bool>(), 0u8..4).prop_map(|(a, b)| Op::Open(a, b)),
        2 => (s.clone(), address()).prop_map(|(s, a)| Op::Bind(s, a)),
        2 => (s.clone(), prop_oneof![Just(0u32), Just(4), any::<u32>()]).prop_map(|(s, b)| Op::Listen(s, b)),
        2 => s.clone().prop_map(Op::Accept),
        3 => (s.clone(), proptest::option::of(address())).prop_map(|(s, a)| Op::Connect(s, a)),
        3 => (s.clone(), proptest::option::of(address()), proptest::collection::vec(any::<u8>(), 0..3000), any::<bool>())
            .prop_map(|(s, a, d, m)| Op::Send(s, a, d, m)),
        // Echo requests (ICMP and ICMPv6), some with an IPv4 header
        // before them, for ping sockets, raw ones and IP_HDRINCL.
        2 => (s.clone(), proptest::option::of(address()), prop_oneof![Just(8u8), Just(128), Just(0)],
              proptest::collection::vec(any::<u8>(), 0..200), any::<bool>())
            .prop_map(|(s, a, t, mut d, header)| {
                d.splice(0..0, [t, 0, 0, 0, 1, 2, 3, 4]);
                if header {
                    d.splice(0..0, [0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1]);
                }
                Op::Send(s, a, d, false)
            }),
        1 => (s.clone(), any::<[u32; 8]>()).prop_map(|(s, f)| Op::IcmpFilter(s, f)),
        3 => (s.clone(), prop_oneof![Just(0u32), Just(1), Just(100_000), any::<u32>()], any::<bool>())
            .prop_map(|(s, m, p)| Op::Receive(s, m, p)),
        1 => (s.clone(), any::<bool>(), any::<bool>()).prop_map(|(s, r, w)| Op::Shutdown(s, r, w)),
        1 => s.clone().prop_map(Op::Close),
        1 => s.clone().prop_map(Op::Local),
        1 => s.clone().prop_map(Op::Peer),
        2 => (s.clone(), 0..SocketOption::ALL.len(), value()).prop_map(|(s, o, v)| Op::Set(s, o, v)),
        2 => (s.clone(), 0..SocketOption::ALL.len()).prop_map(|(s, o)| Op::Get(s, o)),
        1 => (any::<bool>(), prop_oneof![0u32..4, any::<u32>()]).prop_map(|(t, s)| Op::Tables(t, s)),
        2 => prop_oneof![Just(0u64), Just(10), Just(1000), Just(200_000)].prop_map(Op::Wait),
        2 => (
            s.clone(),
            prop_oneof![
                Just(Address::V4 { addr: [224, 0, 0, 0], port: 0 }),
                Just(Address::V4 { addr: [239, 1, 2, 3], port: 0 }),
                Just(Address::V6 { addr: [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb], port: 0, flow_info: 0, scope_id: 0 }),
                address(),
            ],
            prop_oneof![0u32..4, any::<u32>()],
            proptest::option::of(address()),
            any::<bool>(),
        )
            .prop_map(|(s, g, i, l, j)| Op::Membership(s, g, i, l, j)),
    ]
}

fn handle(sockets: &[SocketHandle], i: usize) -> SocketHandle {
    sockets.get(i).copied().unwrap_or(SocketHandle((i as u64) << 40 | 3))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(300)))]

    #[test]
    fn random_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..200), size in 0usize..300) {
        let mut stack = Stack::new(Instant::from_secs(1));
        let mut answer = vec![0u8; size];
        let n = stack.handle(&bytes, &mut answer, Instant::from_secs(1));
        if n > 0 {
            prop_assert!(Answer::decode(&answer[..n]).is_ok());
        }
    }

    #[test]
    fn random_request_streams_never_panic(ops in proptest::collection::vec(op(), 1..100), ethernet in any::<bool>()) {
        let mut k = Kernel::new();
        if ethernet {
            let wire = Arc::new(Mutex::new(Wire::default()));
            let config = InterfaceConfig {
                ipv4: Ipv4Config::Static { address: [10, 0, 2, 15], prefix: 24, gateway: Some([10, 0, 2, 2]) },
                ipv6: Some((OUR_IP6, 64)),
                gateway6: Some({
                    let mut g = OUR_IP6;
                    g[15] = 2;
                    g
                }),
            };
            k.stack.add_ethernet(FakeDevice { wire, offload: false }, [2, 0, 0, 0, 0, 1], config).unwrap();
        }
        let mut sockets: Vec<SocketHandle> = Vec::new();
        for op in ops {
            let request = match &op {
                Op::Open(v6, kind) => Request::Open {
                    family: if *v6 { Family::V6 } else { Family::V4 },
                    kind: [Kind::Stream, Kind::Datagram, Kind::Ping, Kind::Raw][usize::from(*kind)],
                },
                Op::IcmpFilter(s, f) => Request::SetIcmpFilter { socket: handle(&sockets, *s), blocked: *f },
                Op::Bind(s, a) => Request::Bind { socket: handle(&sockets, *s), address: *a },
                Op::Listen(s, b) => Request::Listen { socket: handle(&sockets, *s), backlog: *b },
                Op::Accept(s) => Request::Accept { socket: handle(&sockets, *s) },
                Op::Connect(s, a) => Request::Connect { socket: handle(&sockets, *s), address: *a },
                Op::Send(s, a, d, m) => Request::Send { socket: handle(&sockets, *s), to: *a, data: d, more: *m },
                Op::Receive(s, m, p) => Request::Receive { socket: handle(&sockets, *s), max: *m, peek: *p },
                Op::Shutdown(s, r, w) => Request::Shutdown { socket: handle(&sockets, *s), read: *r, write: *w },
                Op::Close(s) => Request::Close { socket: handle(&sockets, *s) },
                Op::Local(s) => Request::LocalAddress { socket: handle(&sockets, *s) },
                Op::Peer(s) => Request::PeerAddress { socket: handle(&sockets, *s) },
                Op::Set(s, o, v) => Request::SetOption { socket: handle(&sockets, *s), option: SocketOption::ALL[*o], value: *v },
                Op::Get(s, o) => Request::GetOption { socket: handle(&sockets, *s), option: SocketOption::ALL[*o] },
                Op::Tables(t, start) => if *t { Request::Interfaces { start: *start } } else { Request::Sockets { start: *start } },
                Op::Membership(s, g, i, l, j) => Request::Membership { socket: handle(&sockets, *s), group: *g, interface: *i, local: *l, join: *j },
                Op::Wait(ms) => {
                    k.poll_for(Duration::from_millis(*ms));
                    continue;
                }
            };
            let was = request.socket().map(|s| k.ready(s)).unwrap_or_default();
            let reply = k.call(request);
            let would_block = reply == Reply::Error(netproto::Error::WouldBlock);
            match request {
                Request::Receive { .. } | Request::Accept { .. } => {
                    prop_assert!(!(would_block && was.contains(Readiness::READABLE)), "READABLE but WouldBlock: {:?}", op);
                }
                Request::Send { data, .. } if !data.is_empty() => {
                    prop_assert!(!(would_block && was.contains(Readiness::WRITABLE)) || matches!(op, Op::Send(_, Some(_), _, _)) || data.len() > 2000,
                        "WRITABLE but WouldBlock: {:?}", op);
                }
                _ => {}
            }
            match reply {
                Reply::Opened(s) | Reply::Accepted(s, _) => sockets.push(s),
                _ => {}
            }
        }
        // Closing everything gives every resource back, and the stack
        // still works: a fresh connection over loopback.
        for s in sockets {
            let _ = k.call(Request::Close { socket: s });
        }
        k.poll_for(Duration::from_secs(1));
        let (listener, port) = k.listener(v4(0), 1);
        let c = k.connect(Family::V4, v4(port)).expect("connect after the storm");
        let (s, _) = k.accept(listener);
        k.send_all(c, b"still alive");
        prop_assert_eq!(k.receive(s, 100).unwrap(), b"still alive".to_vec());
        // And ping still gets its answer.
        let ping = k.open(Family::V4, Kind::Ping);
        let echo = [8, 0, 0, 0, 0, 0, 0, 1];
        prop_assert_eq!(k.call(Request::Send { socket: ping, to: Some(v4(0)), data: &echo, more: false }), Reply::Sent(8));
        k.wait(ping, Readiness::READABLE);
        let answered = matches!(k.try_receive(ping, 100, false), Ok(Reply::Received { data, .. }) if data.len() == 8 && data[0] == 0);
        prop_assert!(answered, "an echo reply after the storm");
    }
}
