//! Property tests: whatever a program writes, the crate neither panics nor
//! produces a reply that does not parse; every reply is addressed to the
//! socket and answers a sequence number the program used.

mod common;
mod fixtures;

use common::*;
use proptest::prelude::*;
use rtnetlink::inspect;
use rtnetlink::uapi::netlink::*;
use rtnetlink::uapi::rtnetlink::*;
use rtnetlink::wire::Header;
use rtnetlink::*;

const FIXTURES: &[&[u8]] = &[
    fixtures::GETLINK_DUMP,
    fixtures::GETADDR_DUMP,
    fixtures::GETROUTE_DUMP_INET_MAIN,
    fixtures::GETROUTE_DUMP_INET6_MAIN,
    fixtures::GETROUTE_DUMP_ALL,
    fixtures::GETROUTE_GET_10_0_2_2,
    fixtures::GETLINK_PACKET_LO_BY_NAME,
    fixtures::GETLINK_LO_BY_NAME_SKIP_STATS,
    fixtures::GETADDR_DUMP_INET_INDEX_1,
    fixtures::NEWLINK_PROBE,
    fixtures::GETNEIGH_DUMP,
    fixtures::GETRULE_DUMP_INET,
];

/// The sequence numbers of every message a buffer holds that the crate
/// could answer (any header-shaped 16 bytes at a message boundary).
fn request_seqs(buf: &[u8]) -> Vec<u32> {
    let mut seqs = Vec::new();
    let mut rest = buf;
    while let Some(h) = Header::parse(rest) {
        let len = h.len as usize;
        if len < 16 || len > rest.len() {
            break;
        }
        seqs.push(h.seq);
        rest = &rest[rtnetlink::wire::nlmsg_align(len).min(rest.len())..];
    }
    seqs
}

/// Every reply parses, its fixed part and attributes fit, and it is for
/// this socket and for one of the requests.
fn check_replies(s: &mut Socket, buf: &[u8], buf_len: usize) {
    let seqs = request_seqs(buf);
    let mut count = 0;
    loop {
        let d = match s.recv(buf_len, false) {
            Ok(Some(d)) => d,
            Ok(None) => break,
            Err(e) => {
                assert_eq!(e, rtnetlink::uapi::errno::ENOBUFS);
                continue;
            }
        };
        count += 1;
        assert!(count < 100_000);
        let msgs = inspect::messages(&d).expect("a reply that parses");
        assert!(!msgs.is_empty());
        for m in msgs {
            assert_eq!(m.header.pid, PID);
            assert!(seqs.contains(&m.header.seq), "reply to a request that was not made");
            let fixed = match m.header.kind {
                RTM_NEWLINK => 16,
                RTM_NEWADDR => 8,
                RTM_NEWROUTE | RTM_NEWRULE => 12,
                NLMSG_DONE => {
                    assert!(m.body.len() >= 4);
                    continue;
                }
                NLMSG_ERROR => {
                    assert!(m.body.len() >= 20);
                    let errno = i32::from_ne_bytes(m.body[..4].try_into().unwrap());
                    assert!(errno <= 0);
                    continue;
                }
                other => panic!("unexpected reply type {other}"),
            };
            assert!(m.attrs(fixed).is_some(), "attributes fill the message exactly");
        }
    }
}

/// iproute2's socket, a plain one, and one with capped acks and a small
/// receive buffer (so replies are dropped and ENOBUFS reported).
fn both_sockets() -> [Socket; 3] {
    let mut tight = plain_socket();
    tight.setsockopt(rtnetlink::uapi::netlink::NETLINK_CAP_ACK, 1).unwrap();
    tight.setsockopt(rtnetlink::uapi::netlink::NETLINK_EXT_ACK, 1).unwrap();
    tight.set_rcvbuf(600);
    [iproute2_socket(), plain_socket(), tight]
}

proptest! {
    #[test]
    fn random_bytes_never_panic(buf in proptest::collection::vec(any::<u8>(), 0..600), buf_len in 0usize..40000) {
        let config = qemu();
        for mut s in both_sockets() {
            s.send(&config, &buf);
            check_replies(&mut s, &buf, buf_len);
        }
    }

    #[test]
    fn cut_and_damaged_real_requests_never_panic(
        which in 0..FIXTURES.len(),
        cut in 0usize..200,
        flips in proptest::collection::vec((0usize..200, any::<u8>()), 0..6),
        fix_len in any::<bool>(),
    ) {
        let config = qemu();
        let mut buf = FIXTURES[which].to_vec();
        buf.truncate(cut.min(buf.len()));
        for (at, value) in flips {
            if let Some(b) = buf.get_mut(at) {
                *b = value;
            }
        }
        if fix_len && buf.len() >= 4 {
            let len = buf.len() as u32;
            buf[..4].copy_from_slice(&len.to_ne_bytes());
        }
        for mut s in both_sockets() {
            s.send(&config, &buf);
            check_replies(&mut s, &buf, 32768);
        }
    }

    #[test]
    fn well_shaped_requests_of_any_kind_get_well_formed_answers(
        kind in prop_oneof![16u16..130, any::<u16>()],
        flags in any::<u16>(),
        family in prop_oneof![Just(0u8), Just(2), Just(10), Just(17), Just(7), Just(128), any::<u8>()],
        fixed in proptest::collection::vec(any::<u8>(), 0..20),
        attrs in proptest::collection::vec((0u16..40, proptest::collection::vec(any::<u8>(), 0..20)), 0..5),
        seq in any::<u32>(),
        buf_len in prop_oneof![Just(0usize), Just(8192), Just(32768), 0usize..70000],
    ) {
        let config = qemu();
        let mut body = fixed.clone();
        if let Some(first) = body.first_mut() {
            *first = family;
        }
        let attr_refs: Vec<(u16, &[u8])> = attrs.iter().map(|(t, p)| (*t, p.as_slice())).collect();
        let buf = request(kind, flags, seq, &body, &attr_refs);
        for mut s in both_sockets() {
            s.send(&config, &buf);
            check_replies(&mut s, &buf, buf_len);
        }
    }

    #[test]
    fn a_dump_read_with_any_buffers_arrives_whole_and_in_order(
        links in 1u32..60,
        reads in proptest::collection::vec((0usize..40000, any::<bool>()), 1..20),
        rcvbuf in 1000usize..300_000,
    ) {
        let mut config = Config { links: vec![Link::loopback()], ..Default::default() };
        for i in 2..links + 2 {
            config.links.push(Link::ether(i, &format!("eth{i}"), [2, 0, 0, 0, 0, i as u8]));
        }
        let mut s = plain_socket();
        s.set_rcvbuf(rcvbuf);
        s.send(&config, fixtures::GETLINK_DUMP);
        let mut got = Vec::new();
        let mut i = 0;
        loop {
            let (len, peek) = reads[i % reads.len()];
            i += 1;
            // A peek (which may also let the dump go on) is followed by
            // the read it prepares, as iproute2 does.
            if peek && s.recv(len, true).unwrap().is_none() {
                break;
            }
            match s.recv(len, false).unwrap() {
                Some(d) => got.push(d),
                None => break,
            }
        }
        let all = messages(&got);
        let indexes: Vec<u32> = all.iter().filter(|(h, _)| h.kind == RTM_NEWLINK).map(|(_, b)| u32_at(b, 4)).collect();
        prop_assert_eq!(indexes, (1..links + 2).collect::<Vec<u32>>());
        prop_assert_eq!(all.last().unwrap().0.kind, NLMSG_DONE);
        for d in &got {
            prop_assert!(d.len() <= rtnetlink::socket::MAX_DUMP_DATAGRAM);
        }
    }

    #[test]
    fn derived_routes_of_any_configuration_encode_and_dump(
        addrs in proptest::collection::vec((1u32..5, any::<[u8; 4]>(), 0u8..=40, any::<bool>()), 0..8),
        addrs6 in proptest::collection::vec((1u32..5, any::<[u8; 16]>(), 0u8..=140), 0..6),
        gw in proptest::option::of((any::<[u8; 4]>(), 1u32..5, any::<u32>())),
        down in any::<u8>(),
    ) {
        let mut links = vec![Link::loopback()];
        for i in 2..5u32 {
            let mut l = Link::ether(i, &format!("eth{i}"), [2, 0, 0, 0, 0, i as u8]);
            if down & (1 << i) != 0 {
                l.flags &= !rtnetlink::uapi::link::IFF_RUNNING & !rtnetlink::uapi::link::IFF_LOWER_UP;
            }
            links.push(l);
        }
        let mut addresses: Vec<Address> = addrs
            .iter()
            .map(|(i, a, p, brd)| {
                let a = Address::new(*i, Ip::V4(*a), *p);
                if *brd { a.with_broadcast() } else { a }
            })
            .collect();
        addresses.extend(addrs6.iter().map(|(i, a, p)| Address::new(*i, Ip::V6(*a), *p)));
        let gateways: Vec<Gateway> = gw
            .iter()
            .map(|(via, oif, metric)| Gateway { via: Ip::V4(*via), oif: *oif, protocol: Protocol::Dhcp, metric: *metric })
            .collect();
        let routes = derive::routes(&links, &addresses, &gateways);
        let config = Config { links, addresses, routes };
        for req in [fixtures::GETROUTE_DUMP_ALL, fixtures::GETADDR_DUMP, fixtures::GETLINK_DUMP] {
            let mut s = plain_socket();
            s.send(&config, req);
            check_replies(&mut s, req, 32768);
        }
        let mut s = iproute2_socket();
        s.send(&config, fixtures::GETROUTE_GET_10_0_2_2);
        check_replies(&mut s, fixtures::GETROUTE_GET_10_0_2_2, 32768);
    }
}
