//! The socket's own rules: acks, control messages, errors, busy dumps,
//! options, the bounded queue and dumps cut into datagrams.

mod common;

use common::*;
use rtnetlink::dump::Dump;
use rtnetlink::inspect;
use rtnetlink::uapi::errno::*;
use rtnetlink::uapi::link::IFF_UP;
use rtnetlink::uapi::netlink::*;
use rtnetlink::uapi::rtnetlink::*;
use rtnetlink::*;

fn getlink(flags: u16, seq: u32, index: i32) -> Vec<u8> {
    let mut ifm = [0u8; 16];
    ifm[4..8].copy_from_slice(&index.to_ne_bytes());
    request(RTM_GETLINK, flags, seq, &ifm, &[])
}

#[test]
fn a_get_with_ack_gets_its_reply_then_a_capped_ack() {
    let config = qemu();
    let mut s = plain_socket();
    let r = exchange(&mut s, &config, &getlink(NLM_F_REQUEST | NLM_F_ACK, 5, 2));
    assert_eq!(r.len(), 2);
    let ack = &inspect::messages(&r[1]).unwrap()[0];
    assert_eq!((ack.header.kind, ack.header.flags, ack.header.seq, ack.header.len), (NLMSG_ERROR, NLM_F_CAPPED, 5, 36));
    assert_eq!(i32_at(ack.body, 0), 0);
}

#[test]
fn a_dump_is_never_acked() {
    let config = qemu();
    let mut s = plain_socket();
    let r = exchange(&mut s, &config, &getlink(NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 5, 0));
    let last = messages(&r).last().unwrap().0;
    assert_eq!(last.kind, NLMSG_DONE);
    assert_eq!(messages(&r).iter().filter(|(h, _)| h.kind == NLMSG_ERROR).count(), 0);
}

#[test]
fn control_messages_and_non_requests_are_only_acked() {
    let config = qemu();
    let mut s = plain_socket();
    for (kind, flags) in [(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK), (RTM_GETLINK, NLM_F_ACK)] {
        let req = request(kind, flags, 8, &[0; 16], &[]);
        let r = exchange(&mut s, &config, &req);
        assert_eq!(r.len(), 1);
        let ack = &inspect::messages(&r[0]).unwrap()[0];
        assert_eq!((ack.header.kind, i32_at(ack.body, 0)), (NLMSG_ERROR, 0));
    }
    // Without NLM_F_ACK: nothing at all.
    assert!(exchange(&mut s, &config, &request(NLMSG_NOOP, NLM_F_REQUEST, 8, &[], &[])).is_empty());
}

#[test]
fn an_empty_body_is_ignored_and_an_unknown_type_is_eopnotsupp() {
    let config = qemu();
    let mut s = plain_socket();
    assert!(exchange(&mut s, &config, &request(RTM_GETLINK, NLM_F_REQUEST, 1, &[], &[])).is_empty());
    for kind in [RTM_MAX + 1, 0xffff, RTM_GETLINKPROP, RTM_GETDCB] {
        let r = exchange(&mut s, &config, &request(kind, NLM_F_REQUEST, 1, &[0; 4], &[]));
        assert_eq!(i32_at(&messages(&r)[0].1, 0), -EOPNOTSUPP, "type {kind}");
    }
    // A single get of something that only dumps.
    let r = exchange(&mut s, &config, &request(RTM_GETADDR, NLM_F_REQUEST, 1, &[2, 0, 0, 0, 1, 0, 0, 0], &[]));
    assert_eq!(i32_at(&messages(&r)[0].1, 0), -EOPNOTSUPP);
}

#[test]
fn cap_ack_stops_the_echo() {
    let config = qemu();
    let mut s = plain_socket();
    s.setsockopt(NETLINK_CAP_ACK, 1).unwrap();
    let r = exchange(&mut s, &config, &request(RTM_NEWLINK, NLM_F_REQUEST, 1, &[0; 16], &[]));
    let (h, body) = &messages(&r)[0];
    assert_eq!((h.flags, h.len, i32_at(body, 0)), (NLM_F_CAPPED, 36, -EPERM));
}

#[test]
fn several_requests_in_one_buffer_are_answered_in_order_and_a_second_dump_is_busy() {
    let config = qemu();
    let mut s = plain_socket();
    let mut buf = getlink(NLM_F_REQUEST | NLM_F_DUMP, 1, 0);
    buf.extend(getlink(NLM_F_REQUEST | NLM_F_DUMP, 2, 0));
    buf.extend(getlink(NLM_F_REQUEST, 3, 1));
    let r = exchange(&mut s, &config, &buf);
    let seen: Vec<(u16, u32)> = messages(&r).iter().map(|(h, _)| (h.kind, h.seq)).collect();
    assert_eq!(
        seen,
        vec![
            // The first datagram of the dump is made while sending.
            (RTM_NEWLINK, 1),
            (RTM_NEWLINK, 1),
            (NLMSG_ERROR, 2),
            (RTM_NEWLINK, 3),
            (NLMSG_DONE, 1),
        ]
    );
    let busy = messages(&r).into_iter().find(|(h, _)| h.kind == NLMSG_ERROR).unwrap();
    assert_eq!(i32_at(&busy.1, 0), -EBUSY);
}

#[test]
fn a_header_that_lies_about_its_length_ends_the_walk() {
    let config = qemu();
    let mut s = plain_socket();
    let mut buf = getlink(NLM_F_REQUEST | NLM_F_ACK, 1, 1);
    let mut bad = getlink(NLM_F_REQUEST | NLM_F_ACK, 2, 1);
    bad[0] = 200;
    buf.extend(&bad);
    let r = exchange(&mut s, &config, &buf);
    assert!(messages(&r).iter().all(|(h, _)| h.seq == 1));
}

#[test]
fn options_read_back_and_groups_are_remembered() {
    let mut s = plain_socket();
    assert_eq!(s.getsockopt(NETLINK_GET_STRICT_CHK), Ok(0));
    s.setsockopt(NETLINK_GET_STRICT_CHK, 1).unwrap();
    assert_eq!(s.getsockopt(NETLINK_GET_STRICT_CHK), Ok(1));
    assert_eq!(s.setsockopt(99, 1), Err(ENOPROTOOPT));
    assert_eq!(s.setsockopt(NETLINK_ADD_MEMBERSHIP, 0), Err(EINVAL));
    s.bind_groups(0x1);
    s.setsockopt(NETLINK_ADD_MEMBERSHIP, 5).unwrap();
    s.setsockopt(NETLINK_ADD_MEMBERSHIP, 40).unwrap();
    assert!(s.in_group(1) && s.in_group(5) && s.in_group(40) && !s.in_group(2));
    assert_eq!(s.groups(), 0x11);
    s.setsockopt(NETLINK_DROP_MEMBERSHIP, 5).unwrap();
    assert_eq!(s.groups(), 0x1);
}

/// A machine with many links, so that a dump spans many datagrams.
fn many_links(n: u32) -> Config {
    let mut links = vec![Link::loopback()];
    let mut addresses = vec![Address::new(1, Ip::V4([127, 0, 0, 1]), 8)];
    for i in 2..n + 2 {
        let mut l = Link::ether(i, &format!("eth{}", i - 2), [2, 0, 0, 0, (i >> 8) as u8, i as u8]);
        if i % 3 == 0 {
            l.flags &= !IFF_UP;
        }
        links.push(l);
        addresses.push(Address::new(i, Ip::V4([10, (i >> 8) as u8, i as u8, 1]), 24).with_broadcast());
    }
    let routes = derive::routes(&links, &addresses, &[]);
    Config { links, addresses, routes }
}

#[test]
fn a_long_dump_is_cut_into_datagrams_sized_as_linux_sizes_them() {
    let config = many_links(100);
    let mut s = plain_socket();
    s.send(&config, &getlink(NLM_F_REQUEST | NLM_F_DUMP, 1, 0));
    // iproute2: peek with an empty buffer, then read with 32 KiB, again
    // and again. Every read (a peek too) lets the dump make its next
    // datagram, sized by the largest buffer seen so far.
    let mut all = Vec::new();
    while let Some(peeked) = s.recv(0, true).unwrap() {
        let d = s.recv(32768, false).unwrap().unwrap();
        assert_eq!(peeked, d);
        all.push(d);
    }
    let sizes: Vec<usize> = all.iter().map(Vec::len).collect();
    assert!(sizes[0] <= socket::NLMSG_GOODSIZE, "the first datagram is made before any read");
    assert!(sizes[1] <= socket::NLMSG_GOODSIZE, "the second one after a peek with an empty buffer");
    assert!(sizes[2] > socket::NLMSG_GOODSIZE, "later datagrams grow to the reader's buffer");
    assert!(sizes.iter().all(|&n| n <= socket::MAX_DUMP_DATAGRAM));
    let msgs = messages(&all);
    assert_eq!(msgs.iter().filter(|(h, _)| h.kind == RTM_NEWLINK).count(), 101);
    assert_eq!(msgs.last().unwrap().0.kind, NLMSG_DONE);
    let indexes: Vec<i32> = msgs.iter().filter(|(h, _)| h.kind == RTM_NEWLINK).map(|(_, b)| i32_at(b, 4)).collect();
    assert_eq!(indexes, (1..=101).collect::<Vec<i32>>());
}

#[test]
fn a_dump_round_trips_through_small_datagrams() {
    let config = many_links(40);
    let mut big = plain_socket();
    let whole = exchange(&mut big, &config, &request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 4, &[0; 8], &[]));
    let expected = messages(&whole);
    let parts: Vec<Vec<u8>> = expected.iter().map(|(h, b)| msg(h, b)).collect();
    let (done, items) = parts.split_last().unwrap();
    for limit in [1, 60, 100, 177, 500, 4096] {
        let mut d = Dump::new(items.to_vec(), done.clone());
        let mut datagrams = Vec::new();
        while let Some(dg) = d.next_datagram(limit) {
            let n = inspect::messages(&dg).unwrap().len();
            assert!(dg.len() <= limit || n == 1, "only a lone message may exceed the limit");
            datagrams.push(dg);
        }
        assert_eq!(messages(&datagrams), expected, "limit {limit}");
        assert_eq!(inspect::messages(datagrams.last().unwrap()).unwrap().len(), 1, "DONE alone");
    }
}

#[test]
fn an_overflowing_queue_loses_replies_and_says_enobufs_once() {
    let config = qemu();
    let mut s = plain_socket();
    s.set_rcvbuf(2000);
    let mut buf = Vec::new();
    for seq in 0..20 {
        buf.extend(getlink(NLM_F_REQUEST, seq, 1));
    }
    s.send(&config, &buf);
    assert_eq!(s.recv(32768, false), Err(ENOBUFS));
    let kept = drain(&mut s, 32768);
    assert!(!kept.is_empty() && kept.len() < 20);
    // With NETLINK_NO_ENOBUFS the loss is silent.
    let mut s = plain_socket();
    s.set_rcvbuf(2000);
    s.setsockopt(NETLINK_NO_ENOBUFS, 1).unwrap();
    s.send(&config, &buf);
    assert!(s.recv(32768, false).unwrap().is_some());
}

#[test]
fn a_large_dump_does_not_overflow_a_small_queue() {
    let config = many_links(300);
    let mut s = plain_socket();
    s.set_rcvbuf(16384);
    s.send(&config, &getlink(NLM_F_REQUEST | NLM_F_DUMP, 1, 0));
    let all = drain(&mut s, 8192);
    assert_eq!(messages(&all).len(), 302);
}
